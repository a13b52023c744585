//! Every mutation is audited, and the HMAC chain exposes tampering.

use serde_json::json;

use crate::common::{Backend, TestServer, id, token};
use crate::on_both_backends;

on_both_backends!(
    mutations_are_audited_with_actor_target_and_filters,
    editing_an_audit_row_is_detected_and_named,
    deleting_an_audit_row_is_detected,
);

/// A server with a few audited actions; returns it with the admin token.
async fn audited_server(backend: Backend) -> (TestServer, String) {
    let server = TestServer::start(backend).await;
    let api = server.api();
    let admin = token(&api.register_admin("admin@example.com").await);
    let project_id = id(&api.create_project(&admin, "Prod", "500").await);
    api.patch(
        &format!("/api/v1/projects/{project_id}"),
        &admin,
        json!({"budget_usd": "600"}),
    )
    .await
    .expect(200);
    api.post(
        &format!("/api/v1/projects/{project_id}/pause"),
        &admin,
        json!({}),
    )
    .await
    .expect(200);
    (server, admin)
}

async fn mutations_are_audited_with_actor_target_and_filters(backend: Backend) {
    let (server, admin) = audited_server(backend).await;
    let api = server.api();
    let all = api.get("/api/v1/audit", &admin).await.expect(200);
    let actions: Vec<_> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].clone())
        .collect();
    assert_eq!(
        actions,
        [
            "user.register",
            "project.create",
            "project.update",
            "project.pause"
        ]
    );
    let update = &all["items"][2];
    assert_eq!(update["before"]["budget_usd"], "500.00");
    assert_eq!(update["after"]["budget_usd"], "600.00");
    assert_eq!(update["ip"], "127.0.0.1");
    assert!(update["actor_id"].as_str().unwrap().starts_with("user_"));

    let filtered = api
        .get("/api/v1/audit?action=project.pause", &admin)
        .await
        .expect(200);
    assert_eq!(filtered["items"].as_array().unwrap().len(), 1);
    let page = api.get("/api/v1/audit?limit=3", &admin).await.expect(200);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = api
        .get(&format!("/api/v1/audit?limit=3&cursor={cursor}"), &admin)
        .await
        .expect(200);
    assert_eq!(rest["items"][0]["action"], "project.pause");
    assert!(rest["next_cursor"].is_null());
    let future = api
        .get("/api/v1/audit?since=2999-01-01T00:00:00Z", &admin)
        .await
        .expect(200);
    assert!(future["items"].as_array().unwrap().is_empty());

    let verdict = api.get("/api/v1/audit/verify", &admin).await.expect(200);
    assert_eq!(verdict["ok"], true);
    assert_eq!(verdict["records_checked"], 4);
}

async fn editing_an_audit_row_is_detected_and_named(backend: Backend) {
    let (server, admin) = audited_server(backend).await;
    server
        .execute_sql(
            "UPDATE audit_records SET after_summary = '{\"budget_usd\":\"9999.00\"}' WHERE seq = 3",
        )
        .await;
    let verdict = server
        .api()
        .get("/api/v1/audit/verify", &admin)
        .await
        .expect(200);
    assert_eq!(verdict["ok"], false);
    assert_eq!(verdict["first_bad_seq"], 3);
    assert_eq!(verdict["records_checked"], 2);
}

async fn deleting_an_audit_row_is_detected(backend: Backend) {
    let (server, admin) = audited_server(backend).await;
    server
        .execute_sql("DELETE FROM audit_records WHERE seq = 2")
        .await;
    let verdict = server
        .api()
        .get("/api/v1/audit/verify", &admin)
        .await
        .expect(200);
    assert_eq!(verdict["ok"], false);
    assert_eq!(verdict["first_bad_seq"], 2);
}
