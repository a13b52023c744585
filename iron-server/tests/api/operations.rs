//! Operations: server settings, the anomaly detector, webhooks, metrics.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::analytics::{Line, World, world};
use crate::common::Backend;
use crate::on_both_backends;

on_both_backends!(
    settings_are_admin_only_validated_and_persisted,
    keys_used_from_many_ips_raise_one_alert_and_are_suspended,
    fast_spending_raises_an_alert_without_suspension_by_default,
);

/// `iron serve` with the anomaly detector running every second.
const FAST_DETECTOR: &[&str] = &["--anomaly-interval-secs", "1"];

fn now_micros() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

async fn session(w: &World, key_id: &str, project_id: &str, ip: &str) {
    let id = format!("sess_{}", uuid::Uuid::now_v7());
    let now = now_micros();
    w.server
        .execute_sql(&format!(
            "INSERT INTO sdk_sessions (id, key_id, project_id, client, hostname, ip, status, \
             created_at, last_seen_at) VALUES ('{id}', '{key_id}', '{project_id}', 'iron-core/0.1.0', \
             'host', '{ip}', 'open', {now}, {now})"
        ))
        .await;
}

/// Polls the alert list until `kind` shows up (generous bound, not a timer).
async fn wait_for_alerts(w: &World, kind: &str) -> Vec<Value> {
    for _ in 0..100 {
        let page = w.get("/api/v1/alerts", false).await.expect(200);
        let found: Vec<Value> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["kind"] == kind)
            .cloned()
            .collect();
        if !found.is_empty() {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("no {kind} alert within 20 s");
}

async fn key_status(w: &World, key_id: &str) -> String {
    let keys = w.get("/api/v1/keys", false).await.expect(200);
    keys["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == key_id)
        .expect("key listed")["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn keys_used_from_many_ips_raise_one_alert_and_are_suspended(backend: Backend) {
    let w = world(backend, FAST_DETECTOR).await;
    w.server
        .api()
        .patch(
            "/api/v1/settings",
            &w.admin,
            json!({"anomaly": {"auto_suspend": true}}),
        )
        .await
        .expect(200);
    // Key B at the limit (3 IPs) is fine; key A from 4 IPs is not.
    for ip in ["10.0.0.1", "10.0.0.2", "10.0.0.3"] {
        session(&w, &w.key_b, &w.project_b, ip).await;
    }
    for ip in ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.4"] {
        session(&w, &w.key_a, &w.project_a, ip).await;
    }
    let alerts = wait_for_alerts(&w, "anomaly_multi_ip").await;
    assert_eq!(alerts.len(), 1);
    let alert = &alerts[0];
    assert_eq!(alert["key_id"], w.key_a.as_str());
    assert_eq!(alert["project_id"], w.project_a.as_str());
    assert_eq!(alert["severity"], "critical");
    assert_eq!(
        alert["data"]["ips"],
        json!(["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"])
    );
    assert_eq!(key_status(&w, &w.key_a).await, "suspended");
    assert_eq!(key_status(&w, &w.key_b).await, "active");
    // Later passes in the same window add nothing.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(wait_for_alerts(&w, "anomaly_multi_ip").await.len(), 1);
    let audit = w
        .get("/api/v1/audit?action=key.suspend", false)
        .await
        .expect(200);
    let records = audit["items"].as_array().unwrap();
    assert_eq!(records.len(), 1);
    assert!(records[0]["actor_id"].is_null(), "suspended by the system");
    // The developer sees the alerts of their project: the anomaly, and the
    // suspension it caused (raised by the one key status path).
    let dev_alerts = w.get("/api/v1/alerts", true).await.expect(200);
    let mut kinds: Vec<&str> = dev_alerts["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["anomaly_multi_ip", "key_suspended"]);
}

async fn fast_spending_raises_an_alert_without_suspension_by_default(backend: Backend) {
    let w = world(backend, FAST_DETECTOR).await;
    let line = |key, project, user, cost_micros| Line {
        project,
        key,
        user,
        model: "gpt-4o",
        cost_micros,
        at: now_micros(),
        outcome: "ok",
    };
    // $4.99 within a minute is under the default $5/min; $5.01 is over.
    w.usage(line(&w.key_a, &w.project_a, &w.dev_id, 4_990_000))
        .await;
    w.usage(line(&w.key_b, &w.project_b, &w.admin_id, 3_000_000))
        .await;
    w.usage(line(&w.key_b, &w.project_b, &w.admin_id, 2_010_000))
        .await;
    let alerts = wait_for_alerts(&w, "anomaly_spend_rate").await;
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0]["key_id"], w.key_b.as_str());
    assert_eq!(alerts[0]["severity"], "warning");
    assert_eq!(alerts[0]["data"]["spent_usd"], "5.01");
    assert_eq!(alerts[0]["data"]["auto_suspend"], false);
    assert_eq!(key_status(&w, &w.key_b).await, "active");
    // Activity shows the alert too.
    let activity = w.get("/api/v1/activity", false).await.expect(200);
    assert!(
        activity["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["type"] == "alert" && i["key_id"] == w.key_b.as_str())
    );
}

async fn settings_are_admin_only_validated_and_persisted(backend: Backend) {
    let mut w = world(backend, &[]).await;
    let api = w.server.api();
    let defaults = api.get("/api/v1/settings", &w.admin).await.expect(200);
    assert_eq!(
        defaults,
        json!({"anomaly": {"max_ips_per_key": 3, "window_secs": 300, "max_spend_usd_per_min": "5.00",
                           "auto_suspend": false},
               "rate_limits": {"key_rpm": 600, "project_rpm": 6000},
               "lease_defaults": {"lease_size_usd": "0.50", "lease_ttl_secs": 300},
               "policy_defaults": {"pii_mode": "redact", "injection_threshold": "high",
                                   "tool_policy": {"allow": [], "deny": []}}})
    );
    api.get("/api/v1/settings", &w.dev)
        .await
        .expect_error(403, "FORBIDDEN");
    api.patch(
        "/api/v1/settings",
        &w.dev,
        json!({"anomaly": {"auto_suspend": true}}),
    )
    .await
    .expect_error(403, "FORBIDDEN");
    for bad in [
        json!({"anomaly": {"auto_suspend": "yes"}}),
        json!({"anomaly": {"max_spend_usd_per_min": "-1"}}),
        json!({"anomaly": {"max_spend_usd_per_min": "0"}}),
        json!({"anomaly": {"window_secs": 1}}),
        json!({"rate_limits": {"key_rpm": 0}}),
        json!({"rate_limits": {"key_rpm": -5}}),
        json!({"rate_limits": {"burst": 5}}),
        json!({"colour": "blue"}),
    ] {
        api.patch("/api/v1/settings", &w.admin, bad.clone())
            .await
            .expect_error(422, "VALIDATION_FAILED");
    }
    let patched = api
        .patch(
            "/api/v1/settings",
            &w.admin,
            json!({"anomaly": {"auto_suspend": true, "max_spend_usd_per_min": "0.25"},
                   "rate_limits": {"project_rpm": 100}}),
        )
        .await
        .expect(200);
    assert_eq!(patched["anomaly"]["auto_suspend"], true);
    assert_eq!(patched["anomaly"]["max_spend_usd_per_min"], "0.25");
    assert_eq!(patched["anomaly"]["max_ips_per_key"], 3);
    assert_eq!(
        patched["rate_limits"],
        json!({"key_rpm": 600, "project_rpm": 100})
    );
    w.server.restart().await;
    let api = w.server.api();
    let stored = api.get("/api/v1/settings", &w.admin).await.expect(200);
    assert_eq!(stored, patched);
    let audit = api
        .get("/api/v1/audit?action=settings.update", &w.admin)
        .await
        .expect(200);
    assert_eq!(audit["items"][0]["after"], patched);
    api.call(Method::GET, "/api/v1/settings", None, None)
        .await
        .expect_error(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn metrics_are_scraped_in_the_prometheus_format() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let w = world(backend, &[]).await;
        let api = w.server.api();
        api.get("/api/v1/projects", &w.admin).await.expect(200);
        api.get(&format!("/api/v1/projects/{}", w.project_a), &w.admin)
            .await
            .expect(200);
        let response = reqwest::get(format!("{}/metrics", w.server.url))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain")
        );
        let text = response.text().await.unwrap();
        for name in [
            "iron_leases_granted_total 0",
            "iron_settles_total 0",
            "iron_spend_micros_total 0",
            "iron_leases_expired_total 0",
            "iron_control_streams_open 0",
            "# TYPE iron_http_request_duration_seconds histogram",
            "iron_db_pool_connections{backend=",
            "iron_db_pool_idle_connections{backend=",
            "iron_db_pool_max_connections{backend=",
        ] {
            assert!(text.contains(name), "{name} missing from:\n{text}");
        }
        // Latency is labelled by route template, never by the raw path.
        assert!(
            text.contains(r#"route="/api/v1/projects/{project_id}""#),
            "{text}"
        );
        assert!(!text.contains(&w.project_a));
        assert!(text.contains(r#"iron_http_request_duration_seconds_bucket{method="GET",route="/api/v1/projects",status="200",le="0.5"}"#), "{text}");
    }
}

/// Traces reach a real OTLP/HTTP receiver as protobuf when configured.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traces_are_exported_over_otlp_http_when_configured() {
    use std::sync::{Arc, Mutex};
    /// (content type, body) of each export request.
    type Posts = Arc<Mutex<Vec<(String, Vec<u8>)>>>;
    let bodies: Posts = Arc::default();
    let sink = bodies.clone();
    let app = axum::Router::new().route(
        "/v1/traces",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| async move {
                let kind = headers
                    .get("content-type")
                    .map(|v| v.to_str().unwrap_or("").to_owned())
                    .unwrap_or_default();
                sink.lock().unwrap().push((kind, body.to_vec()));
                axum::http::StatusCode::OK
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let w = world(Backend::Sqlite, &["--otlp-endpoint", &endpoint]).await;
    w.get("/api/v1/users/me", false).await.expect(200);
    let found = |bodies: &[(String, Vec<u8>)]| {
        bodies.iter().any(|(kind, body)| {
            let text = String::from_utf8_lossy(body);
            kind == "application/x-protobuf"
                && text.contains("iron-server")
                && text.contains("/api/v1/users/me")
        })
    };
    for _ in 0..100 {
        if found(&bodies.lock().unwrap()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!(
        "no trace export with the request span within 20 s ({} posts)",
        bodies.lock().unwrap().len()
    );
}
