//! The same admin workflows driven through the `iron` CLI, as processes.

use serde_json::json;

use crate::common::{Backend, PASSWORD, TestServer, id, token};
use crate::on_both_backends;

on_both_backends!(
    cli_drives_the_admin_workflows,
    cli_audit_verify_names_the_tampered_record,
    vault_rekey_reencrypts_every_secret,
);

/// A server with a registered admin, and the CLI logged in as that admin.
async fn logged_in(backend: Backend) -> TestServer {
    let server = TestServer::start(backend).await;
    server.api().register_admin("admin@example.com").await;
    let (code, stdout, stderr) = server.cli(&[
        "login",
        "--server",
        &server.url,
        "--email",
        "admin@example.com",
        "--password",
        PASSWORD,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("logged in"), "{stdout}");
    server
}

async fn cli_drives_the_admin_workflows(backend: Backend) {
    let server = TestServer::start(backend).await;
    let (code, _, stderr) = server.cli(&["projects", "list", "--server", &server.url]);
    assert_eq!(code, 3, "not logged in: {stderr}");
    assert!(stderr.contains("iron login"));
    drop(server);

    let server = logged_in(backend).await;
    let project = server.cli_json(&[
        "projects",
        "create",
        "--name",
        "Production Agent",
        "--budget",
        "500",
    ]);
    let project_id = id(&project);
    assert_eq!(project["budget_usd"], "500.00");
    let (code, stdout, _) = server.cli(&["projects", "list"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("Production Agent") && stdout.contains("500.00"),
        "{stdout}"
    );
    assert_eq!(
        server.cli_json(&["projects", "pause", &project_id])["status"],
        "paused"
    );
    assert_eq!(
        server.cli_json(&["projects", "resume", &project_id])["status"],
        "active"
    );
    assert_eq!(
        server.cli_json(&["projects", "show", &project_id])["name"],
        "Production Agent"
    );

    for (provider, secret) in [
        ("openai", "sk-proj-CliOpenAiSecret000111"),
        ("anthropic", "sk-ant-CliAnthropicSecret222"),
    ] {
        let (code, stdout, stderr) = server.cli_with_stdin(
            &[
                "vault",
                "add",
                "--project",
                &project_id,
                "--provider",
                provider,
            ],
            &format!("{secret}\n"),
        );
        assert_eq!(code, 0, "{stderr}");
        assert!(
            !stdout.contains(secret) && stdout.contains("..."),
            "{stdout}"
        );
    }
    let entries = server.cli_json(&["vault", "list", "--project", &project_id]);
    assert_eq!(entries.as_array().unwrap().len(), 2);
    let openai_id = id(&entries[0]);
    let (code, _, _) = server.cli_with_stdin(
        &["vault", "rotate", "--project", &project_id, &openai_id],
        "sk-proj-CliRotatedSecret333444\n",
    );
    assert_eq!(code, 0);
    let (code, stdout, _) = server.cli(&["vault", "remove", "--project", &project_id, &openai_id]);
    assert_eq!(
        (code, stdout.trim()),
        (0, format!("removed {openai_id}").as_str())
    );

    let key = server.cli_json(&[
        "keys",
        "create",
        "--project",
        &project_id,
        "--name",
        "CI/CD",
        "--limit",
        "20",
    ]);
    assert!(key["key"].as_str().unwrap().starts_with("ic_"));
    let key_id = id(&key);
    let (code, stdout, _) = server.cli(&["keys", "list", "--project", &project_id]);
    assert_eq!(code, 0);
    assert!(stdout.contains(&key_id) && !stdout.contains(key["key"].as_str().unwrap()));
    assert_eq!(
        server.cli_json(&["keys", "revoke", &key_id])["status"],
        "revoked"
    );
    let (code, _, stderr) = server.cli(&["keys", "revoke", &key_id]);
    assert_eq!(code, 1);
    assert!(stderr.contains("CONFLICT"), "{stderr}");

    let invitation = server.cli_json(&["users", "invite", "--email", "dev@example.com"]);
    let api = server.api();
    let dev = api
        .anonymous_post(
            "/api/v1/auth/register",
            json!({"email": "dev@example.com", "name": "Dev", "password": PASSWORD,
                   "invitation_token": invitation["invitation_token"]}),
        )
        .await
        .expect(201);
    let dev_id = id(&dev["user"]);
    let users = server.cli_json(&["users", "list"]);
    assert_eq!(users["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        server.cli_json(&["users", "role", &dev_id, "admin"])["role"],
        "admin"
    );
    assert_eq!(
        server.cli_json(&["users", "role", &dev_id, "developer"])["role"],
        "developer"
    );

    api.post(
        &format!("/api/v1/projects/{project_id}/members"),
        &token(
            &api.anonymous_post(
                "/api/v1/auth/login",
                json!({"email": "admin@example.com", "password": PASSWORD}),
            )
            .await
            .expect(200),
        ),
        json!({"user_id": dev_id}),
    )
    .await
    .expect(204);
    let ask = json!({"amount_usd": "100", "reason": "load test"});
    let request = api
        .post(
            &format!("/api/v1/projects/{project_id}/budget-requests"),
            &token(&dev),
            ask,
        )
        .await
        .expect(201);
    assert_eq!(
        server.cli_json(&["budget", "list", "--status", "pending"])["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        server.cli_json(&["budget", "approve", &id(&request)])["status"],
        "approved"
    );
    assert_eq!(
        server.cli_json(&["projects", "show", &project_id])["budget_usd"],
        "600.00"
    );

    let (code, stdout, _) = server.cli(&["users", "remove", &dev_id]);
    assert_eq!(code, 0, "{stdout}");
    let (code, stdout, _) = server.cli(&["audit", "list", "--action", "user.remove"]);
    assert_eq!(code, 0);
    assert!(stdout.contains(&dev_id), "{stdout}");
    let (code, stdout, _) = server.cli(&["audit", "verify"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("audit chain intact"), "{stdout}");

    let (code, _, _) = server.cli(&["logout"]);
    assert_eq!(code, 0);
    assert_eq!(server.cli(&["projects", "list"]).0, 3);
}

async fn cli_audit_verify_names_the_tampered_record(backend: Backend) {
    let server = logged_in(backend).await;
    server.cli_json(&["projects", "create", "--name", "Prod", "--budget", "500"]);
    server.cli_json(&["projects", "create", "--name", "Lab", "--budget", "50"]);
    server
        .execute_sql("UPDATE audit_records SET actor_id = 'user_somebody_else' WHERE seq = 2")
        .await;
    let (code, _, stderr) = server.cli(&["audit", "verify"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("record #2"), "{stderr}");
}

async fn vault_rekey_reencrypts_every_secret(backend: Backend) {
    let (provider_url, _) = crate::secrets::fake_provider().await;
    let openai = format!("openai={provider_url}");
    let mut server = TestServer::start_with(backend, &["--provider-base-url", &openai]).await;
    let api = server.api();
    let admin = token(&api.register_admin("admin@example.com").await);
    let project_id = id(&api.create_project(&admin, "Prod", "500").await);
    let vault = format!("/api/v1/projects/{project_id}/providers");
    let body = json!({"provider": "openai", "api_key": crate::secrets::OPENAI_KEY});
    let entry_id = id(&api.post(&vault, &admin, body).await.expect(201));
    let key_file = server.dir.path().join("iron.key");
    let old_key = std::fs::read_to_string(&key_file).unwrap();

    let (code, stdout, stderr) = server.cli(&[
        "vault",
        "rekey",
        "--database-url",
        &server.database_url,
        "--master-key-file",
        key_file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("re-encrypted 3 secrets"), "{stdout}");
    let new_key = std::fs::read_to_string(&key_file).unwrap();
    assert_ne!(old_key, new_key);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // A restarted server reads everything with the new key: sessions (JWT
    // data key), the vault entry, and the audit chain.
    server.restart().await;
    let api = server.api();
    let login = json!({"email": "admin@example.com", "password": PASSWORD});
    let admin = token(
        &api.anonymous_post("/api/v1/auth/login", login)
            .await
            .expect(200),
    );
    let tested = api
        .post(&format!("{vault}/{entry_id}/test"), &admin, json!({}))
        .await
        .expect(200);
    assert_eq!(tested["ok"], true);
    let verdict = api.get("/api/v1/audit/verify", &admin).await.expect(200);
    assert_eq!(verdict["ok"], true);
    let last = api
        .get("/api/v1/audit?action=vault.rekey", &admin)
        .await
        .expect(200);
    assert_eq!(last["items"].as_array().unwrap().len(), 1);

    // The old key no longer opens anything.
    std::fs::write(&key_file, old_key).unwrap();
    let (code, _, stderr) = server.cli(&[
        "vault",
        "rekey",
        "--database-url",
        &server.database_url,
        "--master-key-file",
        key_file.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("master key does not match"), "{stderr}");
}
