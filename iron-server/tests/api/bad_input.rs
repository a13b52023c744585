//! Invariant 6: bad input gets a clear 4xx in the one error shape, never a
//! 5xx, and never a partial write.

use reqwest::Method;
use serde_json::json;

use crate::common::{Backend, TestServer, id, token};
use crate::on_both_backends;

on_both_backends!(
    malformed_bodies_get_the_error_shape,
    bad_query_and_path_values_are_rejected,
    forged_and_expired_tokens_are_rejected,
    a_rejected_request_writes_nothing,
);

async fn malformed_bodies_get_the_error_shape(backend: Backend) {
    let server = TestServer::start(backend).await;
    let api = server.api();
    let admin = token(&api.register_admin("admin@example.com").await);
    let url = format!("{}/api/v1/projects", server.url);
    let send = |body: String, content_type: &'static str| {
        api.http
            .post(&url)
            .bearer_auth(&admin)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let cases = [
        (
            "{\"name\": \"x\", ".to_owned(),
            "application/json",
            400,
            "MALFORMED_JSON",
        ),
        (
            "{\"name\": 5, \"budget_usd\": \"1\"}".to_owned(),
            "application/json",
            422,
            "VALIDATION_FAILED",
        ),
        (
            "{\"name\": \"x\", \"budget_usd\": \"-1\"}".to_owned(),
            "application/json",
            422,
            "VALIDATION_FAILED",
        ),
        (
            "{\"name\": \"x\", \"budget_usd\": \"1\", \"colour\": \"red\"}".to_owned(),
            "application/json",
            422,
            "VALIDATION_FAILED",
        ),
        (
            "{\"name\": \"x\", \"budget_usd\": 1e400}".to_owned(),
            "application/json",
            400,
            "MALFORMED_JSON",
        ),
        (
            "[]".to_owned(),
            "application/json",
            422,
            "VALIDATION_FAILED",
        ),
        (
            "{\"name\": \"x\", \"budget_usd\": \"1\"}".to_owned(),
            "text/plain",
            415,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
    ];
    for (body, content_type, status, code) in cases {
        let preview: String = body.chars().take(60).collect();
        let response = send(body, content_type).await.expect("request");
        assert_eq!(response.status().as_u16(), status, "{preview}");
        let reply: serde_json::Value = response.json().await.expect("JSON error body");
        assert_eq!(reply["error"]["code"], code, "{preview}: {reply}");
        assert!(
            reply["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    let unknown_field = api
        .post(
            "/api/v1/projects",
            &admin,
            json!({"name": "x", "budget_usd": "1", "colour": "red"}),
        )
        .await
        .expect_error(422, "VALIDATION_FAILED");
    assert!(
        unknown_field["error"]["message"]
            .as_str()
            .unwrap()
            .contains("colour")
    );
    let field = api
        .post(
            "/api/v1/projects",
            &admin,
            json!({"name": " ", "budget_usd": "1"}),
        )
        .await
        .expect_error(422, "VALIDATION_FAILED");
    assert_eq!(
        field["error"]["fields"]["name"],
        "must be 1 to 200 characters"
    );
}

async fn bad_query_and_path_values_are_rejected(backend: Backend) {
    let server = TestServer::start(backend).await;
    let api = server.api();
    let admin = token(&api.register_admin("admin@example.com").await);
    api.get("/api/v1/projects?limit=0", &admin)
        .await
        .expect_error(422, "VALIDATION_FAILED");
    api.get("/api/v1/projects?limit=lots", &admin)
        .await
        .expect_error(400, "BAD_QUERY");
    api.get("/api/v1/projects?status=deleted", &admin)
        .await
        .expect_error(400, "BAD_QUERY");
    api.get("/api/v1/projects?colour=red", &admin)
        .await
        .expect_error(400, "BAD_QUERY");
    api.get("/api/v1/audit?cursor=abc", &admin)
        .await
        .expect_error(422, "VALIDATION_FAILED");
    api.get("/api/v1/audit?since=yesterday", &admin)
        .await
        .expect_error(422, "VALIDATION_FAILED");
    api.get("/api/v1/projects/proj_nope", &admin)
        .await
        .expect_error(404, "NOT_FOUND");
    api.post("/api/v1/keys/key_nope/revoke", &admin, json!({}))
        .await
        .expect_error(404, "NOT_FOUND");
    api.get("/api/v1/nothing-here", &admin)
        .await
        .expect_error(404, "NOT_FOUND");
    // PostgreSQL cannot store NUL in text: refused at the edge on both backends.
    api.get("/api/v1/users?cursor=%00x", &admin)
        .await
        .expect_error(400, "BAD_REQUEST");
    api.post(
        "/api/v1/projects",
        &admin,
        json!({"name": "a\u{0}b", "budget_usd": "1"}),
    )
    .await
    .expect_error(422, "VALIDATION_FAILED");
    api.call(Method::DELETE, "/api/v1/projects", Some(&admin), None)
        .await
        .expect_error(405, "METHOD_NOT_ALLOWED");
}

async fn forged_and_expired_tokens_are_rejected(backend: Backend) {
    let server = TestServer::start_with(backend, &["--access-token-ttl-secs", "1"]).await;
    let api = server.api();
    let session = api.register_admin("admin@example.com").await;
    let real = token(&session);
    api.get("/api/v1/users/me", &real).await.expect(200);

    let now = chrono::Utc::now().timestamp();
    let claims = json!({"sub": session["user"]["id"], "iat": now, "exp": now + 3600});
    let forged = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(b"guessed-secret"),
    )
    .unwrap();
    let (header, rest) = real.split_once('.').unwrap();
    let (_, signature) = rest.split_once('.').unwrap();
    let unsigned_header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"; // {"alg":"none","typ":"JWT"}
    let payload_swap = format!("{header}.{}.{signature}", forged.split('.').nth(1).unwrap());
    for bad in [
        forged.as_str(),
        "not-a-jwt",
        &format!("{unsigned_header}.{rest}"),
        &payload_swap,
    ] {
        api.get("/api/v1/users/me", bad)
            .await
            .expect_error(401, "UNAUTHORIZED");
    }
    let no_scheme = api
        .http
        .get(format!("{}/api/v1/users/me", server.url))
        .header("authorization", real.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(no_scheme.status().as_u16(), 401);

    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let expired = api
        .get("/api/v1/users/me", &real)
        .await
        .expect_error(401, "UNAUTHORIZED");
    assert!(
        expired["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
}

async fn a_rejected_request_writes_nothing(backend: Backend) {
    let server = TestServer::start(backend).await;
    let api = server.api();
    let admin = token(&api.register_admin("admin@example.com").await);
    // The project insert succeeds inside the transaction, then the unknown
    // member fails it: nothing may remain, not even an audit record.
    let body = json!({"name": "Half", "budget_usd": "10", "members": ["user_00000000-0000-7000-8000-000000000000"]});
    api.post("/api/v1/projects", &admin, body)
        .await
        .expect_error(422, "VALIDATION_FAILED");
    let projects = api.get("/api/v1/projects", &admin).await.expect(200);
    assert!(projects["items"].as_array().unwrap().is_empty());
    let audit = api.get("/api/v1/audit", &admin).await.expect(200);
    assert_eq!(
        audit["items"].as_array().unwrap().len(),
        1,
        "only the registration"
    );
    assert_eq!(
        api.get("/api/v1/audit/verify", &admin).await.expect(200)["ok"],
        true
    );
    // The next write chains on cleanly after the rollback.
    let project = api.create_project(&admin, "Whole", "10").await;
    assert!(id(&project).starts_with("proj_"));
    assert_eq!(
        api.get("/api/v1/audit/verify", &admin).await.expect(200)["records_checked"],
        2
    );
}
