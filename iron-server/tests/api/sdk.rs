//! The SDK protocol over HTTP (docs/sdk-protocol.md): handshake, leases,
//! settle, events, close, and every way a call can be refused.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Backend, TestServer};
use crate::on_both_backends;
use crate::sdk_support::{Fixture, PROVIDER_SECRET, uuid};

on_both_backends!(
    handshake_lease_settle_and_events_happy_path,
    idempotency_replays_and_conflicts,
    tranches_never_exceed_the_budget_and_thresholds_alert_once,
    a_key_limit_caps_the_tranche,
    every_key_check_gives_its_code,
    bad_input_on_every_sdk_route_is_a_4xx,
    foreign_sessions_and_leases_are_not_found,
    closing_a_session_expires_its_leases_and_a_late_settle_corrects,
    the_sweeper_expires_abandoned_leases,
    ledger_check_reports_an_imbalance,
);

async fn handshake_lease_settle_and_events_happy_path(backend: Backend) {
    let f = Fixture::new(backend, "50").await;
    let opened = f.handshake(&f.key).await.expect(201);
    let session = opened["session_id"].as_str().unwrap();
    assert!(session.starts_with("sess_"));
    assert_eq!(opened["project_id"], f.project_id.as_str());
    assert_eq!(opened["key_id"], f.key_id.as_str());
    assert_eq!(
        opened["providers"],
        json!([{"provider": "openai", "api_key": PROVIDER_SECRET, "base_url": "http://127.0.0.1:9"}])
    );
    assert_eq!(opened["policy"]["pii_mode"], "redact");
    assert_eq!(opened["policy"]["allowed_models"], json!([]));
    assert_eq!(
        opened["lease"],
        json!({"tranche_micros": 500000, "ttl_secs": 300})
    );
    assert_eq!(opened["budget"]["budget_micros"], 50_000_000);
    assert_eq!(
        opened["control_url"],
        format!("/api/v1/sdk/sessions/{session}/control")
    );

    let lease = f.lease(&f.key, session, 500_000, &uuid()).await.expect(201);
    let lease_id = lease["lease_id"].as_str().unwrap();
    assert!(lease_id.starts_with("lease_"));
    assert_eq!(lease["amount_micros"], 500_000);
    assert_eq!(f.project().await["reserved_usd"], "0.50");

    let usage = json!([{"id": uuid(), "at": "2026-11-23T10:00:00Z", "model": "gpt-4o-mini",
        "input_tokens": 10, "cached_input_tokens": 0, "output_tokens": 5, "cost_micros": 4200,
        "latency_ms": 12, "outcome": "ok"}]);
    let settled = f
        .settle(
            &f.key,
            lease_id,
            json!({"idempotency_key": uuid(), "spent_micros": 4200, "usage": usage, "next_tranche_micros": 500000}),
        )
        .await
        .expect(200);
    assert_eq!(settled["spent_micros"], 4200);
    assert_eq!(settled["returned_micros"], 495_800);
    assert_eq!(settled["overrun_micros"], 0);
    assert_eq!(settled["next"]["amount_micros"], 500_000);
    let project = f.project().await;
    assert_eq!(project["spent_usd"], "0.0042");
    assert_eq!(project["reserved_usd"], "0.50");
    let owner_usage = f
        .server
        .query_i64("SELECT COUNT(*) FROM usage_records u JOIN ic_keys k ON k.id = u.key_id WHERE u.user_id = k.owner_id AND u.cost_micros = 4200")
        .await;
    assert_eq!(owner_usage, 1);

    // An overrun is charged and reported.
    let next = settled["next"]["lease_id"].as_str().unwrap();
    let over = f
        .settle(
            &f.key,
            next,
            json!({"idempotency_key": uuid(), "spent_micros": 600000}),
        )
        .await
        .expect(200);
    assert_eq!(over["overrun_micros"], 100_000);
    assert_eq!(over["returned_micros"], 0);
    assert_eq!(f.project().await["spent_usd"], "0.6042");

    let event =
        json!({"id": uuid(), "kind": "guard.pii", "at": "2026-11-23T10:00:00Z", "data": {"n": 1}});
    let batch = json!({"session_id": session, "events": [event.clone(), event.clone()]});
    let accepted = f
        .api
        .post("/api/v1/sdk/events", &f.key, batch.clone())
        .await
        .expect(202);
    assert_eq!(accepted, json!({"accepted": 1, "duplicates": 1}));
    let again = f
        .api
        .post("/api/v1/sdk/events", &f.key, batch)
        .await
        .expect(202);
    assert_eq!(again, json!({"accepted": 0, "duplicates": 2}));

    f.api
        .call(
            Method::DELETE,
            &format!("/api/v1/sdk/sessions/{session}"),
            Some(&f.key),
            None,
        )
        .await
        .expect(204);
    f.api
        .call(
            Method::DELETE,
            &format!("/api/v1/sdk/sessions/{session}"),
            Some(&f.key),
            None,
        )
        .await
        .expect(204);

    // The handshake is audited without the credential.
    let audit = f
        .api
        .get("/api/v1/audit?action=sdk.session_open", &f.admin)
        .await
        .expect(200);
    assert_eq!(audit["items"].as_array().unwrap().len(), 1, "{audit}");
    assert!(!audit.to_string().contains(PROVIDER_SECRET));
    assert!(!f.server.log().contains(PROVIDER_SECRET));
    f.assert_ledger_balances();
}

async fn idempotency_replays_and_conflicts(backend: Backend) {
    let f = Fixture::new(backend, "50").await;
    let session = f.session().await;
    let idem = uuid();
    let first = f.lease(&f.key, &session, 300_000, &idem).await.expect(201);
    let replay = f.lease(&f.key, &session, 300_000, &idem).await.expect(200);
    assert_eq!(first, replay);
    f.lease(&f.key, &session, 300_001, &idem)
        .await
        .expect_error(409, "IDEMPOTENCY_CONFLICT");
    assert_eq!(f.project().await["reserved_usd"], "0.30");

    let lease_id = first["lease_id"].as_str().unwrap();
    let settle_key = uuid();
    let body =
        json!({"idempotency_key": settle_key, "spent_micros": 1000, "next_tranche_micros": 1000});
    let settled = f.settle(&f.key, lease_id, body.clone()).await.expect(200);
    let replayed = f.settle(&f.key, lease_id, body).await.expect(200);
    assert_eq!(
        settled, replayed,
        "a replay gets the same answer, next lease included"
    );
    f.settle(
        &f.key,
        lease_id,
        json!({"idempotency_key": settle_key, "spent_micros": 999}),
    )
    .await
    .expect_error(409, "IDEMPOTENCY_CONFLICT");
    f.settle(
        &f.key,
        lease_id,
        json!({"idempotency_key": uuid(), "spent_micros": 1000}),
    )
    .await
    .expect_error(409, "LEASE_SETTLED");
    let project = f.project().await;
    assert_eq!(project["spent_usd"], "0.001", "settled once");
    assert_eq!(project["reserved_usd"], "0.001", "one next lease");
    f.assert_ledger_balances();
}

async fn tranches_never_exceed_the_budget_and_thresholds_alert_once(backend: Backend) {
    let f = Fixture::new(backend, "1").await;
    let session = f.session().await;
    let a = f
        .lease(&f.key, &session, 600_000, &uuid())
        .await
        .expect(201);
    assert_eq!(a["amount_micros"], 600_000);
    let b = f
        .lease(&f.key, &session, 600_000, &uuid())
        .await
        .expect(201);
    assert_eq!(b["amount_micros"], 400_000, "only what is left");
    let refused = f
        .lease(&f.key, &session, 1, &uuid())
        .await
        .expect_error(402, "BUDGET_EXCEEDED");
    assert_eq!(refused["error"]["fields"]["budget_micros"], "1000000");
    assert_eq!(refused["error"]["fields"]["reserved_micros"], "1000000");
    let alerts = |kind: &'static str| {
        let sql = format!("SELECT COUNT(*) FROM alerts WHERE kind = '{kind}' AND status = 'open'");
        let server = &f.server;
        async move { server.query_i64(&sql).await }
    };
    assert_eq!(alerts("budget_soft").await, 1);
    assert_eq!(alerts("budget_hard").await, 1);

    // Settling frees budget; a `next` refused for budget is null, not an error.
    let settled = f
        .settle(
            &f.key,
            a["lease_id"].as_str().unwrap(),
            json!({"idempotency_key": uuid(), "spent_micros": 100000, "next_tranche_micros": 2000000}),
        )
        .await
        .expect(200);
    assert_eq!(settled["next"]["amount_micros"], 500_000);
    let settled = f
        .settle(
            &f.key,
            b["lease_id"].as_str().unwrap(),
            json!({"idempotency_key": uuid(), "spent_micros": 400000, "next_tranche_micros": 1}),
        )
        .await
        .expect(200);
    assert_eq!(settled["next"], Value::Null);
    assert_eq!(alerts("budget_hard").await, 1, "once per period");
    f.assert_ledger_balances();
}

async fn a_key_limit_caps_the_tranche(backend: Backend) {
    let f = Fixture::with(backend, "100", json!({"spend_limit_usd": "0.25"}), &[]).await;
    let session = f.session().await;
    let lease = f
        .lease(&f.key, &session, 500_000, &uuid())
        .await
        .expect(201);
    assert_eq!(lease["amount_micros"], 250_000);
    let refused = f
        .lease(&f.key, &session, 1, &uuid())
        .await
        .expect_error(402, "BUDGET_EXCEEDED");
    assert_eq!(refused["error"]["fields"]["scope"], "key");
    // The project gave back what the key could not take.
    assert_eq!(f.project().await["reserved_usd"], "0.25");
    f.assert_ledger_balances();
}

async fn every_key_check_gives_its_code(backend: Backend) {
    let f = Fixture::new(backend, "10").await;
    let open = json!({});
    let call = |key: Option<String>| {
        let api = f.api.clone();
        let body = open.clone();
        async move {
            api.call(
                Method::POST,
                "/api/v1/sdk/sessions",
                key.as_deref(),
                Some(body),
            )
            .await
        }
    };
    call(None).await.expect_error(401, "UNAUTHENTICATED");
    call(Some(format!("ic_{}", "A".repeat(32))))
        .await
        .expect_error(401, "UNAUTHENTICATED");
    call(Some("ic_short".into()))
        .await
        .expect_error(401, "UNAUTHENTICATED");
    call(Some(f.admin.clone()))
        .await
        .expect_error(401, "UNAUTHENTICATED");
    // An IC key never reaches the admin API.
    f.api
        .get("/api/v1/projects", &f.key)
        .await
        .expect_error(401, "UNAUTHORIZED");

    let (expired, expired_id) = f.new_key(json!({})).await;
    f.server
        .execute_sql(&format!(
            "UPDATE ic_keys SET expires_at = 1 WHERE id = '{expired_id}'"
        ))
        .await;
    call(Some(expired)).await.expect_error(401, "KEY_EXPIRED");

    let (fenced, _) = f.new_key(json!({"ip_allowlist": ["10.0.0.0/8"]})).await;
    call(Some(fenced)).await.expect_error(403, "IP_NOT_ALLOWED");
    let (loopback, _) = f.new_key(json!({"ip_allowlist": ["127.0.0.1"]})).await;
    call(Some(loopback)).await.expect(201);

    let (suspended, suspended_id) = f.new_key(json!({})).await;
    f.api
        .post(
            &format!("/api/v1/keys/{suspended_id}/suspend"),
            &f.admin,
            json!({}),
        )
        .await
        .expect(200);
    call(Some(suspended))
        .await
        .expect_error(403, "KEY_SUSPENDED");
    let (revoked, revoked_id) = f.new_key(json!({})).await;
    f.api
        .post(
            &format!("/api/v1/keys/{revoked_id}/revoke"),
            &f.admin,
            json!({}),
        )
        .await
        .expect(200);
    call(Some(revoked)).await.expect_error(403, "KEY_REVOKED");
    let alerts = f
        .server
        .query_i64("SELECT COUNT(*) FROM alerts WHERE kind IN ('key_revoked', 'key_suspended')")
        .await;
    assert_eq!(alerts, 2);

    let project = format!("/api/v1/projects/{}", f.project_id);
    f.api
        .post(&format!("{project}/pause"), &f.admin, json!({}))
        .await
        .expect(200);
    call(Some(f.key.clone()))
        .await
        .expect_error(403, "PROJECT_PAUSED");
    f.api
        .post(&format!("{project}/archive"), &f.admin, json!({}))
        .await
        .expect(200);
    call(Some(f.key.clone()))
        .await
        .expect_error(403, "PROJECT_ARCHIVED");
}

async fn bad_input_on_every_sdk_route_is_a_4xx(backend: Backend) {
    let f = Fixture::new(backend, "10").await;
    let session = f.session().await;
    let lease = f.lease(&f.key, &session, 1000, &uuid()).await.expect(201);
    let lease_id = lease["lease_id"].as_str().unwrap().to_owned();
    let settle = format!("/api/v1/sdk/leases/{lease_id}/settle");
    let want =
        |w: Value| json!({"session_id": session, "want_micros": w, "idempotency_key": uuid()});
    let cases: Vec<(&str, Value, u16)> = vec![
        (
            "/api/v1/sdk/sessions",
            json!({"client": "x", "extra": 1}),
            422,
        ),
        (
            "/api/v1/sdk/sessions",
            json!({"client": "x".repeat(201)}),
            422,
        ),
        ("/api/v1/sdk/sessions", json!({"client": 5}), 422),
        ("/api/v1/sdk/leases", want(json!(0)), 422),
        ("/api/v1/sdk/leases", want(json!(-5)), 422),
        ("/api/v1/sdk/leases", want(json!(1_000_000_000_001i64)), 422),
        ("/api/v1/sdk/leases", want(json!(1e300)), 422),
        ("/api/v1/sdk/leases", want(json!("500")), 422),
        (
            "/api/v1/sdk/leases",
            json!({"session_id": session, "want_micros": 5, "idempotency_key": "nope"}),
            422,
        ),
        (
            "/api/v1/sdk/leases",
            json!({"session_id": session, "want_micros": 5, "idempotency_key": uuid(), "x": 1}),
            422,
        ),
        (
            "/api/v1/sdk/leases",
            json!({"session_id": "sess_nope", "want_micros": 5, "idempotency_key": uuid()}),
            404,
        ),
        (
            &settle,
            json!({"idempotency_key": uuid(), "spent_micros": -1}),
            422,
        ),
        (
            &settle,
            json!({"idempotency_key": uuid(), "spent_micros": 1_000_000_000_001i64}),
            422,
        ),
        (
            &settle,
            json!({"idempotency_key": uuid(), "spent_micros": 1, "next_tranche_micros": 0}),
            422,
        ),
        (
            &settle,
            json!({"idempotency_key": uuid(), "spent_micros": 1, "bogus": true}),
            422,
        ),
        (
            &settle,
            json!({"idempotency_key": uuid(), "spent_micros": 1, "usage": [{"id": "x"}]}),
            422,
        ),
        (
            &settle,
            json!({"idempotency_key": uuid(), "spent_micros": 1, "usage": [{"id": "not-a-uuid", "at": "2026-11-23T10:00:00Z",
            "model": "m", "input_tokens": 1, "output_tokens": 1, "cost_micros": 1, "outcome": "ok"}]}),
            422,
        ),
        (
            &settle,
            json!({"idempotency_key": uuid(), "spent_micros": 1, "usage": [{"id": uuid(), "at": "yesterday",
            "model": "m", "input_tokens": 1, "output_tokens": 1, "cost_micros": 1, "outcome": "ok"}]}),
            422,
        ),
        (
            &settle,
            json!({"idempotency_key": uuid(), "spent_micros": 1, "usage": [{"id": uuid(), "at": "2026-11-23T10:00:00Z",
            "model": "m", "input_tokens": -1, "output_tokens": 1, "cost_micros": 1, "outcome": "ok"}]}),
            422,
        ),
        (
            "/api/v1/sdk/leases/lease_nope/settle",
            json!({"idempotency_key": uuid(), "spent_micros": 1}),
            404,
        ),
        (
            "/api/v1/sdk/events",
            json!({"session_id": session, "events": [{"id": uuid(), "kind": "k", "at": "2026-11-23T10:00:00Z", "data": 5}]}),
            422,
        ),
        (
            "/api/v1/sdk/events",
            json!({"session_id": session, "events": [{"id": uuid(), "kind": "k", "at": "2026-11-23T10:00:00Z", "data": {"x": "y".repeat(17000)}}]}),
            422,
        ),
        (
            "/api/v1/sdk/events",
            json!({"session_id": "sess_nope", "events": []}),
            404,
        ),
    ];
    let mut failures = Vec::new();
    for (path, body, status) in cases {
        let reply = f.api.post(path, &f.key, body.clone()).await;
        let shaped =
            reply.body["error"]["code"].is_string() && reply.body["error"]["fields"].is_object();
        if reply.status.as_u16() != status || !shaped {
            failures.push(format!(
                "{path} {body}: expected {status}, got {} {}",
                reply.status, reply.text
            ));
        }
    }
    // Too many usage lines and events: refused whole.
    let line = |_| {
        json!({"id": uuid(), "at": "2026-11-23T10:00:00Z", "model": "m", "input_tokens": 1,
        "output_tokens": 1, "cost_micros": 1, "outcome": "ok"})
    };
    let lines: Vec<Value> = (0..1001).map(line).collect();
    let reply = f
        .api
        .post(
            &settle,
            &f.key,
            json!({"idempotency_key": uuid(), "spent_micros": 1, "usage": lines}),
        )
        .await;
    if reply.status.as_u16() != 422 {
        failures.push(format!("1001 usage lines: {} {}", reply.status, reply.text));
    }
    let event = |_| json!({"id": uuid(), "kind": "k", "at": "2026-11-23T10:00:00Z", "data": {}});
    let events: Vec<Value> = (0..501).map(event).collect();
    let reply = f
        .api
        .post(
            "/api/v1/sdk/events",
            &f.key,
            json!({"session_id": session, "events": events}),
        )
        .await;
    if reply.status.as_u16() != 413 {
        failures.push(format!("501 events: {} {}", reply.status, reply.text));
    }
    // Malformed JSON and a wrong content type.
    for (content_type, body, status) in
        [("application/json", "{,}", 400), ("text/plain", "{}", 415)]
    {
        for path in [
            "/api/v1/sdk/sessions",
            "/api/v1/sdk/leases",
            settle.as_str(),
            "/api/v1/sdk/events",
        ] {
            let response = f
                .api
                .http
                .post(format!("{}{path}", f.api.base))
                .bearer_auth(&f.key)
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .unwrap();
            if response.status().as_u16() != status {
                failures.push(format!(
                    "{path} {content_type} {body}: {}",
                    response.status()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "bad input mishandled:\n{}",
        failures.join("\n")
    );
    // Nothing was half-written: the one lease is still open and whole.
    assert_eq!(f.project().await["reserved_usd"], "0.001");
    assert!(
        !f.server.log().contains("internal error"),
        "a 5xx was logged"
    );
    f.assert_ledger_balances();
}

async fn foreign_sessions_and_leases_are_not_found(backend: Backend) {
    let f = Fixture::new(backend, "10").await;
    let session = f.session().await;
    let lease = f.lease(&f.key, &session, 1000, &uuid()).await.expect(201);
    let lease_id = lease["lease_id"].as_str().unwrap();
    let (other, _) = f.new_key(json!({})).await;
    f.settle(
        &other,
        lease_id,
        json!({"idempotency_key": uuid(), "spent_micros": 1}),
    )
    .await
    .expect_error(404, "NOT_FOUND");
    f.lease(&other, &session, 1000, &uuid())
        .await
        .expect_error(404, "NOT_FOUND");
    f.api
        .post(
            "/api/v1/sdk/events",
            &other,
            json!({"session_id": session, "events": []}),
        )
        .await
        .expect_error(404, "NOT_FOUND");
    f.api
        .call(
            Method::DELETE,
            &format!("/api/v1/sdk/sessions/{session}"),
            Some(&other),
            None,
        )
        .await
        .expect_error(404, "NOT_FOUND");
    f.api
        .get(&format!("/api/v1/sdk/sessions/{session}/control"), &other)
        .await
        .expect_error(404, "NOT_FOUND");
    // A JWT is not an SDK credential, even an admin's.
    f.settle(
        &f.admin,
        lease_id,
        json!({"idempotency_key": uuid(), "spent_micros": 1}),
    )
    .await
    .expect_error(401, "UNAUTHENTICATED");
    assert_eq!(f.project().await["reserved_usd"], "0.001");
}

async fn closing_a_session_expires_its_leases_and_a_late_settle_corrects(backend: Backend) {
    let f = Fixture::new(backend, "10").await;
    let session = f.session().await;
    let lease = f
        .lease(&f.key, &session, 400_000, &uuid())
        .await
        .expect(201);
    f.api
        .call(
            Method::DELETE,
            &format!("/api/v1/sdk/sessions/{session}"),
            Some(&f.key),
            None,
        )
        .await
        .expect(204);
    let project = f.project().await;
    assert_eq!(project["reserved_usd"], "0.00");
    assert_eq!(
        project["spent_usd"], "0.40",
        "charged in full while expired"
    );
    f.lease(&f.key, &session, 1, &uuid())
        .await
        .expect_error(409, "SESSION_CLOSED");
    f.assert_ledger_balances();

    let late = f
        .settle(
            &f.key,
            lease["lease_id"].as_str().unwrap(),
            json!({"idempotency_key": uuid(), "spent_micros": 1000}),
        )
        .await
        .expect(200);
    assert_eq!(late["returned_micros"], 399_000);
    assert_eq!(
        f.project().await["spent_usd"],
        "0.001",
        "the late settle corrected the charge"
    );
    f.assert_ledger_balances();
}

async fn the_sweeper_expires_abandoned_leases(backend: Backend) {
    let f = Fixture::with(backend, "10", json!({}), &["--lease-sweep-ms", "100"]).await;
    let session = f.session().await;
    let lease = f
        .lease(&f.key, &session, 250_000, &uuid())
        .await
        .expect(201);
    let lease_id = lease["lease_id"].as_str().unwrap();
    f.server
        .execute_sql(&format!(
            "UPDATE leases SET expires_at = 1 WHERE id = '{lease_id}'"
        ))
        .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let project = f.project().await;
        if project["reserved_usd"] == "0.00" {
            assert_eq!(project["spent_usd"], "0.25");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "lease not expired: {project}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    f.assert_ledger_balances();
}

async fn ledger_check_reports_an_imbalance(backend: Backend) {
    let f = Fixture::new(backend, "10").await;
    let session = f.session().await;
    f.lease(&f.key, &session, 1000, &uuid()).await.expect(201);
    f.assert_ledger_balances();
    f.server
        .execute_sql(&format!(
            "UPDATE projects SET reserved_micros = reserved_micros + 7 WHERE id = '{}'",
            f.project_id
        ))
        .await;
    let (code, report) = f.server.ledger_check();
    assert_eq!(code, 5, "{report:#}");
    assert_eq!(report["ok"], false);
    let violations = report["violations"].as_array().unwrap();
    assert!(
        violations
            .iter()
            .any(|v| v["kind"] == "project" && v["subject"] == f.project_id.as_str()),
        "{report:#}"
    );
}

#[tokio::test]
async fn the_server_starts_without_redis_and_rejects_a_bad_redis_url() {
    // A malformed URL is a start-up error, not a silent fallback.
    let server = TestServer::start(Backend::Sqlite).await;
    let (code, _, stderr) = server.cli(&[
        "serve",
        "--bind",
        "127.0.0.1:0",
        "--redis-url",
        "nope://x",
        "--database-url",
        &server.database_url,
        "--master-key-file",
        &server.dir.path().join("iron.key").display().to_string(),
    ]);
    assert_ne!(code, 0);
    assert!(
        stderr.to_lowercase().contains("redis") || stderr.contains("URL"),
        "{stderr}"
    );
}
