//! The admin workflows of the product seeds, end to end over HTTP.

use serde_json::json;

use crate::common::{Backend, PASSWORD, TestServer, id, token};
use crate::on_both_backends;

on_both_backends!(
    first_user_becomes_admin_and_others_need_an_invitation,
    admin_manages_roles_and_removes_users,
    admin_creates_and_manages_a_project_with_budget,
    admin_adds_rotates_and_removes_provider_keys,
    admin_generates_suspends_and_revokes_ic_keys,
    developer_requests_budget_and_admin_decides,
    refresh_tokens_rotate_and_reuse_ends_the_session,
    password_change_ends_other_sessions,
    login_is_rate_limited_per_account,
    a_periodic_budget_resets_when_its_period_ends,
    live_project_names_are_unique,
);

async fn first_user_becomes_admin_and_others_need_an_invitation(backend: Backend) {
    let server = TestServer::start(backend).await;
    let api = server.api();
    let admin = api.register_admin("admin@example.com").await;
    assert_eq!(admin["user"]["role"], "admin");
    assert!(admin["user"]["id"].as_str().unwrap().starts_with("user_"));

    let uninvited = json!({"email": "eve@example.com", "name": "Eve", "password": PASSWORD});
    api.anonymous_post("/api/v1/auth/register", uninvited)
        .await
        .expect_error(403, "FORBIDDEN");

    let dev = api
        .invite_and_register(&token(&admin), "dev@example.com", "developer")
        .await;
    assert_eq!(dev["user"]["role"], "developer");

    let login = json!({"email": "DEV@example.com", "password": PASSWORD});
    let session = api
        .anonymous_post("/api/v1/auth/login", login)
        .await
        .expect(200);
    let me = api
        .get("/api/v1/users/me", &token(&session))
        .await
        .expect(200);
    assert_eq!(me["email"], "dev@example.com");

    let wrong = json!({"email": "dev@example.com", "password": "not the password"});
    api.anonymous_post("/api/v1/auth/login", wrong)
        .await
        .expect_error(401, "UNAUTHORIZED");
}

async fn admin_manages_roles_and_removes_users(backend: Backend) {
    let server = TestServer::start(backend).await;
    let api = server.api();
    let admin = token(&api.register_admin("admin@example.com").await);
    let dev_session = api
        .invite_and_register(&admin, "dev@example.com", "developer")
        .await;
    let dev_id = id(&dev_session["user"]);
    let dev = token(&dev_session);

    let users = api.get("/api/v1/users", &admin).await.expect(200);
    assert_eq!(users["items"].as_array().unwrap().len(), 2);

    let promoted = api
        .put(
            &format!("/api/v1/users/{dev_id}/role"),
            &admin,
            json!({"role": "admin"}),
        )
        .await
        .expect(200);
    assert_eq!(promoted["role"], "admin");
    api.get("/api/v1/users", &dev).await.expect(200);
    api.put(
        &format!("/api/v1/users/{dev_id}/role"),
        &admin,
        json!({"role": "developer"}),
    )
    .await
    .expect(200);
    api.get("/api/v1/users", &dev)
        .await
        .expect_error(403, "FORBIDDEN");

    let admin_id = id(&api.get("/api/v1/users/me", &admin).await.expect(200));
    api.delete(&format!("/api/v1/users/{admin_id}"), &admin)
        .await
        .expect_error(409, "CONFLICT");

    api.delete(&format!("/api/v1/users/{dev_id}"), &admin)
        .await
        .expect(204);
    api.get("/api/v1/users/me", &dev)
        .await
        .expect_error(401, "UNAUTHORIZED");
    let users = api.get("/api/v1/users", &admin).await.expect(200);
    assert_eq!(users["items"].as_array().unwrap().len(), 1);
    // The email is free again for a new invitation.
    api.invite_and_register(&admin, "dev@example.com", "developer")
        .await;
}

async fn admin_creates_and_manages_a_project_with_budget(backend: Backend) {
    let server = TestServer::start(backend).await;
    let api = server.api();
    let admin = token(&api.register_admin("admin@example.com").await);
    let dev_session = api
        .invite_and_register(&admin, "dev@example.com", "developer")
        .await;
    let dev = token(&dev_session);

    let project = api
        .post(
            "/api/v1/projects",
            &admin,
            json!({
                "name": "Production Agent",
                "budget_usd": "500",
                "budget_period": "monthly",
                "allowed_models": ["gpt-4o", "claude-sonnet-4"],
                "policy": {"pii_mode": "block", "lease_size_usd": 0.25, "lease_ttl_secs": 120},
            }),
        )
        .await
        .expect(201);
    let project_id = id(&project);
    assert!(project_id.starts_with("proj_"));
    assert_eq!(project["budget_usd"], "500.00");
    assert_eq!(project["remaining_usd"], "500.00");
    assert_eq!(project["soft_threshold_pct"], 90);
    assert_eq!(project["hard_threshold_pct"], 100);
    assert_eq!(project["policy"]["pii_mode"], "block");
    assert_eq!(project["policy"]["lease_size_usd"], "0.25");
    assert!(
        project["period_started_at"]
            .as_str()
            .unwrap()
            .ends_with("-01T00:00:00.000000Z")
    );

    let path = format!("/api/v1/projects/{project_id}");
    api.get(&path, &dev).await.expect_error(404, "NOT_FOUND");
    let dev_list = api.get("/api/v1/projects", &dev).await.expect(200);
    assert!(dev_list["items"].as_array().unwrap().is_empty());
    let dev_id = id(&dev_session["user"]);
    api.post(
        &format!("{path}/members"),
        &admin,
        json!({"user_id": dev_id}),
    )
    .await
    .expect(204);
    assert_eq!(
        api.get(&path, &dev).await.expect(200)["name"],
        "Production Agent"
    );

    let updated = api
        .patch(
            &path,
            &admin,
            json!({"budget_usd": "750.5", "soft_threshold_pct": 80}),
        )
        .await
        .expect(200);
    assert_eq!(updated["budget_usd"], "750.50");
    assert_eq!(updated["soft_threshold_pct"], 80);
    api.patch(&path, &admin, json!({"soft_threshold_pct": 101}))
        .await
        .expect_error(422, "VALIDATION_FAILED");

    assert_eq!(
        api.post(&format!("{path}/pause"), &admin, json!({}))
            .await
            .expect(200)["status"],
        "paused"
    );
    api.post(&format!("{path}/pause"), &admin, json!({}))
        .await
        .expect_error(409, "CONFLICT");
    assert_eq!(
        api.post(&format!("{path}/resume"), &admin, json!({}))
            .await
            .expect(200)["status"],
        "active"
    );
    assert_eq!(
        api.post(&format!("{path}/archive"), &admin, json!({}))
            .await
            .expect(200)["status"],
        "archived"
    );
    api.patch(&path, &admin, json!({"name": "x"}))
        .await
        .expect_error(409, "CONFLICT");

    let listed = api.get("/api/v1/projects", &admin).await.expect(200);
    assert!(
        listed["items"].as_array().unwrap().is_empty(),
        "archived projects are hidden"
    );
    let archived = api
        .get("/api/v1/projects?status=archived", &admin)
        .await
        .expect(200);
    assert_eq!(archived["items"].as_array().unwrap().len(), 1);
}

async fn admin_adds_rotates_and_removes_provider_keys(backend: Backend) {
    let server = TestServer::start(backend).await;
    let api = server.api();
    let admin = token(&api.register_admin("admin@example.com").await);
    let project_id = id(&api.create_project(&admin, "Prod", "500").await);
    let vault = format!("/api/v1/projects/{project_id}/providers");

    let openai = api
        .post(
            &vault,
            &admin,
            json!({"provider": "openai", "api_key": "sk-proj-0penAiSecretValue7777"}),
        )
        .await
        .expect(201);
    assert!(id(&openai).starts_with("prov_"));
    assert_eq!(openai["masked_value"], "sk-proj-...7777");
    let anthropic = api
        .post(
            &vault,
            &admin,
            json!({"provider": "anthropic", "label": "Claude", "api_key": "sk-ant-api03-AnthropicSecret9999"}),
        )
        .await
        .expect(201);
    assert_eq!(anthropic["masked_value"], "sk-ant-...9999");

    let listed = api.get(&vault, &admin).await.expect(200);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(!listed.to_string().contains("Secret"));

    api.post(
        &vault,
        &admin,
        json!({"provider": "acme", "api_key": "sk-whatever-123456"}),
    )
    .await
    .expect_error(422, "VALIDATION_FAILED");

    let rotated = api
        .put(
            &format!("{vault}/{}", id(&openai)),
            &admin,
            json!({"api_key": "sk-proj-RotatedSecretValue1234"}),
        )
        .await
        .expect(200);
    assert_eq!(rotated["masked_value"], "sk-proj-...1234");

    api.delete(&format!("{vault}/{}", id(&anthropic)), &admin)
        .await
        .expect(204);
    api.delete(&format!("{vault}/{}", id(&anthropic)), &admin)
        .await
        .expect_error(404, "NOT_FOUND");
    assert_eq!(
        api.get(&vault, &admin)
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn admin_generates_suspends_and_revokes_ic_keys(backend: Backend) {
    let server = TestServer::start(backend).await;
    let api = server.api();
    let admin = token(&api.register_admin("admin@example.com").await);
    let dev = api
        .invite_and_register(&admin, "dev@example.com", "developer")
        .await;
    let project_id = id(&api.create_project(&admin, "Prod", "500").await);

    let created = api
        .post(
            &format!("/api/v1/projects/{project_id}/keys"),
            &admin,
            json!({
                "name": "Dev 1",
                "owner_id": id(&dev["user"]),
                "spend_limit_usd": "25",
                "ip_allowlist": ["10.0.0.0/8", "192.168.1.7"],
                "expires_at": "2099-01-01T00:00:00Z",
            }),
        )
        .await
        .expect(201);
    let secret = created["key"].as_str().unwrap();
    assert!(secret.starts_with("ic_") && secret.len() == 35);
    assert!(secret[3..].bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(created["display_prefix"], &secret[..11]);
    assert_eq!(
        created["ip_allowlist"],
        json!(["10.0.0.0/8", "192.168.1.7/32"])
    );
    assert_eq!(created["spend_limit_usd"], "25.00");
    let key_id = id(&created);

    let listed = api
        .get(&format!("/api/v1/keys?project_id={project_id}"), &admin)
        .await;
    assert!(!listed.text.contains(secret), "the key is shown only once");
    let dev_keys = api.get("/api/v1/keys", &token(&dev)).await.expect(200);
    assert_eq!(dev_keys["items"][0]["id"], key_id.as_str());
    // The owner became a member, so the project is visible to them.
    api.get(&format!("/api/v1/projects/{project_id}"), &token(&dev))
        .await
        .expect(200);

    let inspect = |ip: &str| json!({"key": secret, "ip": ip});
    let inspection = api
        .post("/api/v1/keys/inspect", &admin, inspect("10.9.8.7"))
        .await
        .expect(200);
    assert_eq!(
        (
            inspection["valid"].clone(),
            inspection["details"]["id"].clone()
        ),
        (json!(true), json!(key_id))
    );
    let outside = api
        .post("/api/v1/keys/inspect", &admin, inspect("8.8.8.8"))
        .await
        .expect(200);
    assert_eq!(outside["problem"], "IP_NOT_ALLOWED");
    let bogus = json!({"key": format!("ic_{}", "A".repeat(32))});
    assert_eq!(
        api.post("/api/v1/keys/inspect", &admin, bogus)
            .await
            .expect(200)["problem"],
        "UNKNOWN_KEY"
    );
    let keys = format!("/api/v1/keys/{key_id}");
    assert_eq!(
        api.post(&format!("{keys}/suspend"), &admin, json!({}))
            .await
            .expect(200)["status"],
        "suspended"
    );
    assert_eq!(
        api.post(&format!("{keys}/resume"), &admin, json!({}))
            .await
            .expect(200)["status"],
        "active"
    );
    assert_eq!(
        api.post(&format!("{keys}/revoke"), &admin, json!({}))
            .await
            .expect(200)["status"],
        "revoked"
    );
    api.post(&format!("{keys}/resume"), &admin, json!({}))
        .await
        .expect_error(409, "CONFLICT");
    let revoked = api
        .post("/api/v1/keys/inspect", &admin, inspect("10.9.8.7"))
        .await
        .expect(200);
    assert_eq!(
        (revoked["valid"].clone(), revoked["problem"].clone()),
        (json!(false), json!("KEY_REVOKED"))
    );
    api.post(&format!("{keys}/revoke"), &admin, json!({}))
        .await
        .expect_error(409, "CONFLICT");

    api.post(
        &format!("/api/v1/projects/{project_id}/keys"),
        &admin,
        json!({"name": "bad", "ip_allowlist": ["not-a-cidr"]}),
    )
    .await
    .expect_error(422, "VALIDATION_FAILED");
}

async fn developer_requests_budget_and_admin_decides(backend: Backend) {
    let server = TestServer::start(backend).await;
    let api = server.api();
    let admin = token(&api.register_admin("admin@example.com").await);
    let dev_session = api
        .invite_and_register(&admin, "dev@example.com", "developer")
        .await;
    let dev = token(&dev_session);
    let project_id = id(&api.create_project(&admin, "Research", "100").await);
    let requests = format!("/api/v1/projects/{project_id}/budget-requests");
    let ask = json!({"amount_usd": "50", "reason": "evaluation run"});

    api.post(&requests, &dev, ask.clone())
        .await
        .expect_error(404, "NOT_FOUND");
    api.post(
        &format!("/api/v1/projects/{project_id}/members"),
        &admin,
        json!({"user_id": id(&dev_session["user"])}),
    )
    .await
    .expect(204);
    let first = api.post(&requests, &dev, ask.clone()).await.expect(201);
    assert!(id(&first).starts_with("breq_"));
    assert_eq!(first["status"], "pending");
    let second = api.post(&requests, &dev, ask).await.expect(201);

    let pending = api
        .get("/api/v1/budget-requests?status=pending", &admin)
        .await
        .expect(200);
    assert_eq!(pending["items"].as_array().unwrap().len(), 2);
    api.post(
        &format!("/api/v1/budget-requests/{}/approve", id(&first)),
        &dev,
        json!({}),
    )
    .await
    .expect_error(403, "FORBIDDEN");

    let approved = api
        .post(
            &format!("/api/v1/budget-requests/{}/approve", id(&first)),
            &admin,
            json!({"reason": "ok"}),
        )
        .await
        .expect(200);
    assert_eq!(approved["status"], "approved");
    let project = api
        .get(&format!("/api/v1/projects/{project_id}"), &admin)
        .await
        .expect(200);
    assert_eq!(project["budget_usd"], "150.00");

    let deny = format!("/api/v1/budget-requests/{}/deny", id(&second));
    api.post(&deny, &admin, json!({}))
        .await
        .expect_error(422, "VALIDATION_FAILED");
    let denied = api
        .post(&deny, &admin, json!({"reason": "quarter is closed"}))
        .await
        .expect(200);
    assert_eq!(denied["status"], "denied");
    assert_eq!(denied["decision_reason"], "quarter is closed");
    api.post(
        &format!("/api/v1/budget-requests/{}/approve", id(&second)),
        &admin,
        json!({}),
    )
    .await
    .expect_error(409, "CONFLICT");
    let project = api
        .get(&format!("/api/v1/projects/{project_id}"), &admin)
        .await
        .expect(200);
    assert_eq!(
        project["budget_usd"], "150.00",
        "a denial leaves the budget alone"
    );

    let mine = api.get("/api/v1/budget-requests", &dev).await.expect(200);
    assert_eq!(mine["items"].as_array().unwrap().len(), 2);
}

async fn refresh_tokens_rotate_and_reuse_ends_the_session(backend: Backend) {
    let server = TestServer::start(backend).await;
    let api = server.api();
    let first = api.register_admin("admin@example.com").await;
    let refresh = |token: &serde_json::Value| json!({"refresh_token": token["refresh_token"]});

    let second = api
        .anonymous_post("/api/v1/auth/refresh", refresh(&first))
        .await
        .expect(200);
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    api.get("/api/v1/users/me", &token(&second))
        .await
        .expect(200);

    // Replaying the used token revokes the whole family, including `second`.
    api.anonymous_post("/api/v1/auth/refresh", refresh(&first))
        .await
        .expect_error(401, "UNAUTHORIZED");
    api.anonymous_post("/api/v1/auth/refresh", refresh(&second))
        .await
        .expect_error(401, "UNAUTHORIZED");

    let login = json!({"email": "admin@example.com", "password": PASSWORD});
    let third = api
        .anonymous_post("/api/v1/auth/login", login)
        .await
        .expect(200);
    api.anonymous_post("/api/v1/auth/logout", refresh(&third))
        .await
        .expect(204);
    api.anonymous_post("/api/v1/auth/refresh", refresh(&third))
        .await
        .expect_error(401, "UNAUTHORIZED");
}

async fn password_change_ends_other_sessions(backend: Backend) {
    let server = TestServer::start(backend).await;
    let api = server.api();
    let session = api.register_admin("admin@example.com").await;
    let change =
        json!({"current_password": "wrong password!", "new_password": "a brand new secret"});
    api.post("/api/v1/auth/password", &token(&session), change)
        .await
        .expect_error(401, "UNAUTHORIZED");
    let change = json!({"current_password": PASSWORD, "new_password": "short"});
    api.post("/api/v1/auth/password", &token(&session), change)
        .await
        .expect_error(422, "VALIDATION_FAILED");
    let change = json!({"current_password": PASSWORD, "new_password": "a brand new secret"});
    api.post("/api/v1/auth/password", &token(&session), change)
        .await
        .expect(204);

    let refresh = json!({"refresh_token": session["refresh_token"]});
    api.anonymous_post("/api/v1/auth/refresh", refresh)
        .await
        .expect_error(401, "UNAUTHORIZED");
    let old = json!({"email": "admin@example.com", "password": PASSWORD});
    api.anonymous_post("/api/v1/auth/login", old)
        .await
        .expect_error(401, "UNAUTHORIZED");
    let new = json!({"email": "admin@example.com", "password": "a brand new secret"});
    api.anonymous_post("/api/v1/auth/login", new)
        .await
        .expect(200);
}

async fn login_is_rate_limited_per_account(backend: Backend) {
    let server = TestServer::start_with(backend, &["--login-limit-per-account", "3"]).await;
    let api = server.api();
    api.register_admin("admin@example.com").await;
    let attempt = json!({"email": "admin@example.com", "password": "guessing-password"});
    for _ in 0..3 {
        api.anonymous_post("/api/v1/auth/login", attempt.clone())
            .await
            .expect_error(401, "UNAUTHORIZED");
    }
    let limited = api.anonymous_post("/api/v1/auth/login", attempt).await;
    assert_eq!(limited.status.as_u16(), 429);
    assert_eq!(limited.body["error"]["code"], "RATE_LIMITED");
    // Even the right password waits: the limit is on attempts, not failures.
    let right = json!({"email": "admin@example.com", "password": PASSWORD});
    api.anonymous_post("/api/v1/auth/login", right)
        .await
        .expect_error(429, "RATE_LIMITED");
}

async fn a_periodic_budget_resets_when_its_period_ends(backend: Backend) {
    let server = TestServer::start(backend).await;
    let api = server.api();
    let admin = token(&api.register_admin("admin@example.com").await);
    let body = json!({"name": "Daily", "budget_usd": "10", "budget_period": "daily"});
    let project = api.post("/api/v1/projects", &admin, body).await.expect(201);
    let project_id = id(&project);
    let today = project["period_started_at"].as_str().unwrap().to_owned();
    assert!(today.ends_with("T00:00:00.000000Z"));

    // Yesterday's period with $9.50 spent, as the SDK ledger would leave it.
    let yesterday = iron_server::time::parse_iso(&today).unwrap() - 86_400_000_000;
    server
        .execute_sql(&format!(
            "UPDATE projects SET spent_micros = 9500000, period_started_at = {yesterday} WHERE id = '{project_id}'"
        ))
        .await;
    let rolled = api
        .get(&format!("/api/v1/projects/{project_id}"), &admin)
        .await
        .expect(200);
    assert_eq!(rolled["spent_usd"], "0.00");
    assert_eq!(rolled["period_started_at"], today.as_str());

    // Within the period nothing resets, and the thresholds report usage.
    server
        .execute_sql(&format!(
            "UPDATE projects SET spent_micros = 9500000 WHERE id = '{project_id}'"
        ))
        .await;
    let current = api
        .get(&format!("/api/v1/projects/{project_id}"), &admin)
        .await
        .expect(200);
    assert_eq!(current["spent_usd"], "9.50");
    assert_eq!(current["remaining_usd"], "0.50");
    assert_eq!(current["threshold_state"], "soft");
}

/// Two live projects may not share a name (ignoring case), on create or
/// rename; the error names the field. Archiving frees the name.
async fn live_project_names_are_unique(backend: Backend) {
    let server = TestServer::start(backend).await;
    let api = server.api();
    let admin = token(&api.register_admin("admin@example.com").await);
    let first = api.create_project(&admin, "Production Agent", "500").await;
    let other = api.create_project(&admin, "Research", "100").await;

    let duplicate = json!({"name": "production agent", "budget_usd": "50"});
    let err = api
        .post("/api/v1/projects", &admin, duplicate.clone())
        .await
        .expect_error(409, "CONFLICT");
    assert_eq!(
        err["error"]["fields"]["name"],
        "a project with this name already exists"
    );
    let rename = format!("/api/v1/projects/{}", id(&other));
    let err = api
        .patch(&rename, &admin, json!({"name": "PRODUCTION AGENT"}))
        .await
        .expect_error(409, "CONFLICT");
    assert!(err["error"]["fields"]["name"].is_string());
    let projects = api.get("/api/v1/projects", &admin).await.expect(200);
    assert_eq!(projects["items"].as_array().unwrap().len(), 2);

    api.post(
        &format!("/api/v1/projects/{}/archive", id(&first)),
        &admin,
        json!({}),
    )
    .await
    .expect(200);
    api.post("/api/v1/projects", &admin, duplicate)
        .await
        .expect(201);
}
