//! Server-wide lease and policy defaults, and editing IC keys after creation.

use serde_json::json;

use crate::common::{Backend, id};
use crate::on_both_backends;
use crate::sdk_support::{Fixture, uuid};

on_both_backends!(
    new_projects_and_sessions_follow_the_server_defaults,
    keys_are_edited_and_the_sdk_sees_it_at_once,
);

async fn new_projects_and_sessions_follow_the_server_defaults(backend: Backend) {
    let f = Fixture::new(backend, "10.00").await;
    let api = &f.api;
    // The fixture's project was created before any change: it follows the defaults.
    assert_eq!(f.project().await["policy"]["lease_size_usd"], json!(null));
    let opened = f.handshake(&f.key).await.expect(201);
    assert_eq!(
        opened["lease"],
        json!({"tranche_micros": 500_000, "ttl_secs": 300})
    );
    for (bad, field) in [
        (
            json!({"lease_defaults": {"lease_ttl_secs": 5}}),
            "lease_defaults.lease_ttl_secs",
        ),
        (
            json!({"lease_defaults": {"lease_size_usd": "0"}}),
            "lease_defaults.lease_size_usd",
        ),
        (
            json!({"policy_defaults": {"tool_policy": {"deny": [""]}}}),
            "policy_defaults.tool_policy",
        ),
    ] {
        let err = api.patch("/api/v1/settings", &f.admin, bad).await;
        assert!(err.expect_error(422, "VALIDATION_FAILED")["error"]["fields"][field].is_string());
    }
    for bad in [
        json!({"lease_defaults": {"lease_size_usd": "-1"}}),
        json!({"lease_defaults": {"size": 1}}),
        json!({"policy_defaults": {"pii_mode": "shout"}}),
    ] {
        api.patch("/api/v1/settings", &f.admin, bad)
            .await
            .expect_error(422, "VALIDATION_FAILED");
    }
    let patched = api
        .patch(
            "/api/v1/settings",
            &f.admin,
            json!({"lease_defaults": {"lease_size_usd": "0.25", "lease_ttl_secs": 60},
                   "policy_defaults": {"pii_mode": "block", "injection_threshold": "medium",
                                       "tool_policy": {"allow": [], "deny": ["shell*"]}}}),
        )
        .await
        .expect(200);
    assert_eq!(
        patched["lease_defaults"],
        json!({"lease_size_usd": "0.25", "lease_ttl_secs": 60})
    );
    let audit = api
        .get("/api/v1/audit?action=settings.update", &f.admin)
        .await
        .expect(200);
    let records = audit["items"].as_array().unwrap();
    assert!(records.iter().any(|r| r["after"] == patched), "{audit:#}");

    // Sessions of the existing project get the new lease terms.
    let opened = f.handshake(&f.key).await.expect(201);
    assert_eq!(
        opened["lease"],
        json!({"tranche_micros": 250_000, "ttl_secs": 60})
    );
    let session = opened["session_id"].as_str().unwrap().to_owned();
    let lease = f
        .lease(&f.key, &session, 250_000, &uuid())
        .await
        .expect(201);
    let expires = chrono::DateTime::parse_from_rfc3339(lease["expires_at"].as_str().unwrap())
        .unwrap()
        .signed_duration_since(chrono::Utc::now())
        .num_seconds();
    assert!((50..=61).contains(&expires), "lease TTL {expires}s");
    // Its safety policy was fixed at creation, so it stays.
    assert_eq!(opened["policy"]["pii_mode"], "redact");

    // A new project without a policy starts from the defaults.
    let plain = api.create_project(&f.admin, "Defaults", "5").await;
    assert_eq!(
        plain["policy"],
        json!({"pii_mode": "block", "injection_threshold": "medium",
               "tool_policy": {"allow": [], "deny": ["shell*"]},
               "lease_size_usd": null, "lease_ttl_secs": null})
    );
    // Named fields win; the rest come from the defaults.
    let custom = api
        .post(
            "/api/v1/projects",
            &f.admin,
            json!({"name": "Custom", "budget_usd": "5",
                   "policy": {"pii_mode": "alert", "lease_size_usd": "0.10"}}),
        )
        .await
        .expect(201);
    assert_eq!(custom["policy"]["pii_mode"], "alert");
    assert_eq!(custom["policy"]["injection_threshold"], "medium");
    assert_eq!(custom["policy"]["lease_size_usd"], "0.10");
    let custom_id = id(&custom);
    let key = api
        .post(
            &format!("/api/v1/projects/{custom_id}/keys"),
            &f.admin,
            json!({"name": "c"}),
        )
        .await
        .expect(201)["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let opened = f.handshake(&key).await.expect(201);
    assert_eq!(
        opened["lease"],
        json!({"tranche_micros": 100_000, "ttl_secs": 60})
    );
    assert_eq!(opened["policy"]["pii_mode"], "alert");
    assert_eq!(opened["policy"]["tool_policy"]["deny"], json!(["shell*"]));
    // `null` hands the lease size back to the server default.
    let reset = api
        .patch(
            &format!("/api/v1/projects/{custom_id}"),
            &f.admin,
            json!({"policy": {"lease_size_usd": null}}),
        )
        .await
        .expect(200);
    assert_eq!(reset["policy"]["lease_size_usd"], json!(null));
    assert_eq!(reset["policy"]["pii_mode"], "alert");
    let opened = f.handshake(&key).await.expect(201);
    assert_eq!(opened["lease"]["tranche_micros"], 250_000);
    api.patch(
        &format!("/api/v1/projects/{custom_id}"),
        &f.admin,
        json!({"policy": {"lease_ttl_secs": 5}}),
    )
    .await
    .expect_error(422, "VALIDATION_FAILED");
}

async fn keys_are_edited_and_the_sdk_sees_it_at_once(backend: Backend) {
    let f = Fixture::new(backend, "10.00").await;
    let api = &f.api;
    let path = format!("/api/v1/keys/{}", f.key_id);
    let edited = api
        .patch(
            &path,
            &f.admin,
            json!({"name": "ci runner", "spend_limit_usd": "1.00",
                   "ip_allowlist": ["10.0.0.0/8"], "expires_at": "2099-01-01T00:00:00Z"}),
        )
        .await
        .expect(200);
    assert_eq!(edited["name"], "ci runner");
    assert_eq!(edited["spend_limit_usd"], "1.00");
    assert_eq!(edited["ip_allowlist"], json!(["10.0.0.0/8"]));
    assert_eq!(edited["expires_at"], "2099-01-01T00:00:00.000000Z");
    // The tests connect from 127.0.0.1: outside the new allowlist.
    f.handshake(&f.key)
        .await
        .expect_error(403, "IP_NOT_ALLOWED");
    let edited = api
        .patch(
            &path,
            &f.admin,
            json!({"ip_allowlist": ["127.0.0.1"], "expires_at": null}),
        )
        .await
        .expect(200);
    assert_eq!(edited["name"], "ci runner");
    assert_eq!(edited["expires_at"], json!(null));
    assert_eq!(edited["ip_allowlist"], json!(["127.0.0.1/32"]));
    let session = f.session().await;
    // The limit caps the tranche.
    let lease = f
        .lease(&f.key, &session, 2_000_000, &uuid())
        .await
        .expect(201);
    assert_eq!(lease["amount_micros"], 1_000_000);
    let listed = api
        .get(
            &format!("/api/v1/keys?project_id={}", f.project_id),
            &f.admin,
        )
        .await
        .expect(200);
    assert_eq!(listed["items"][0]["reserved_usd"], "1.00");
    // Below what the key holds: refused, nothing changed.
    let err = api
        .patch(
            &path,
            &f.admin,
            json!({"spend_limit_usd": "0.50", "name": "renamed"}),
        )
        .await
        .expect_error(409, "CONFLICT");
    assert!(err["error"]["fields"]["spend_limit_usd"].is_string());
    let lease_id = lease["lease_id"].as_str().unwrap();
    f.settle(
        &f.key,
        lease_id,
        json!({"idempotency_key": uuid(), "spent_micros": 300_000}),
    )
    .await
    .expect(200);
    let edited = api
        .patch(&path, &f.admin, json!({"spend_limit_usd": "0.30"}))
        .await
        .expect(200);
    assert_eq!(edited["name"], "ci runner");
    assert_eq!(edited["spent_usd"], "0.30");
    assert_eq!(edited["reserved_usd"], "0.00");
    let refused = f.lease(&f.key, &session, 1_000, &uuid()).await;
    let refused = refused.expect_error(402, "BUDGET_EXCEEDED");
    assert_eq!(refused["error"]["fields"]["scope"], "key");
    api.patch(&path, &f.admin, json!({"spend_limit_usd": null}))
        .await
        .expect(200);
    f.lease(&f.key, &session, 1_000, &uuid()).await.expect(201);

    for (bad, field) in [
        (json!({"ip_allowlist": ["nope"]}), "ip_allowlist"),
        (json!({"expires_at": "2001-01-01T00:00:00Z"}), "expires_at"),
        (json!({"name": " "}), "name"),
    ] {
        let err = api.patch(&path, &f.admin, bad).await;
        assert!(err.expect_error(422, "VALIDATION_FAILED")["error"]["fields"][field].is_string());
    }
    for bad in [
        json!({"status": "active"}),
        json!({"spend_limit_usd": "-1"}),
    ] {
        api.patch(&path, &f.admin, bad)
            .await
            .expect_error(422, "VALIDATION_FAILED");
    }
    api.patch(
        "/api/v1/keys/key_0190c0de-0000-7000-8000-000000000000",
        &f.admin,
        json!({"name": "x"}),
    )
    .await
    .expect_error(404, "NOT_FOUND");
    let dev = crate::common::token(
        &api.invite_and_register(&f.admin, "dev@example.com", "developer")
            .await,
    );
    api.patch(&path, &dev, json!({"name": "mine"}))
        .await
        .expect_error(403, "FORBIDDEN");
    api.patch(&path, &f.key, json!({"name": "mine"}))
        .await
        .expect_error(401, "UNAUTHORIZED");
    let audit = api
        .get("/api/v1/audit?action=key.update", &f.admin)
        .await
        .expect(200);
    let records = audit["items"].as_array().unwrap();
    assert_eq!(records.len(), 4, "{audit:#}");
    assert!(records.iter().all(|r| r["target_id"] == f.key_id.as_str()));
    // The refused edit left no record; the cleared limit did.
    assert!(
        records
            .iter()
            .any(|r| r["before"]["spend_limit_usd"] == "0.30"
                && r["after"]["spend_limit_usd"] == json!(null))
    );
    api.post(&format!("{path}/revoke"), &f.admin, json!({}))
        .await
        .expect(200);
    api.patch(&path, &f.admin, json!({"name": "again"}))
        .await
        .expect_error(409, "CONFLICT");
    f.assert_ledger_balances();
}
