//! Webhooks against real local HTTP receivers: signed deliveries of alert
//! rows, retries with backoff, the delivery log, and bad input.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::analytics::{World, insert_alert, world};
use crate::common::Backend;
use crate::on_both_backends;

on_both_backends!(
    alerts_are_delivered_signed_and_failures_are_retried,
    bad_webhook_input_is_refused,
);

const FAST: &[&str] = &[
    "--webhook-interval-ms",
    "100",
    "--webhook-retry-base-ms",
    "100",
];

#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<(String, HeaderMap, String)>>>);

impl Received {
    fn on(&self, path: &str) -> Vec<(HeaderMap, Value)> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _, _)| p == path)
            .map(|(_, h, b)| (h.clone(), serde_json::from_str(b).unwrap()))
            .collect()
    }
}

/// `/ok` answers 200; `/flaky` 500 twice, then 200; `/down` always 503.
async fn receiver() -> (String, Received) {
    let received = Received::default();
    let flaky_calls = Arc::new(Mutex::new(0));
    let record = |path: &'static str, received: Received| {
        move |headers: HeaderMap, body: String| {
            received
                .0
                .lock()
                .unwrap()
                .push((path.to_owned(), headers, body));
        }
    };
    let ok = record("/ok", received.clone());
    let flaky = record("/flaky", received.clone());
    let down = record("/down", received.clone());
    let app = axum::Router::new()
        .route(
            "/ok",
            axum::routing::post(move |h: HeaderMap, b: String| async move {
                ok(h, b);
                StatusCode::OK
            }),
        )
        .route(
            "/flaky",
            axum::routing::post(move |h: HeaderMap, b: String| async move {
                flaky(h, b);
                let mut calls = flaky_calls.lock().unwrap();
                *calls += 1;
                if *calls <= 2 {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::NO_CONTENT
                }
            }),
        )
        .route(
            "/down",
            axum::routing::post(move |h: HeaderMap, b: String| async move {
                down(h, b);
                StatusCode::SERVICE_UNAVAILABLE
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

fn verify(secret: &str, headers: &HeaderMap, body: &Value) {
    let header = headers["x-iron-signature"].to_str().unwrap();
    let (t, v1) = header
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
        .unwrap_or_else(|| panic!("signature header {header}"));
    let now = chrono::Utc::now().timestamp();
    assert!((now - t.parse::<i64>().unwrap()).abs() < 120);
    // The body as sent is the compact serialisation of the JSON.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(v1, expected, "signature of {body}");
}

async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..150 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn create(w: &World, url: String, events: Value) -> Value {
    w.server
        .api()
        .post(
            "/api/v1/webhooks",
            &w.admin,
            json!({"url": url, "events": events}),
        )
        .await
        .expect(201)
}

fn now_micros() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

async fn alerts_are_delivered_signed_and_failures_are_retried(backend: Backend) {
    let w = world(backend, FAST).await;
    let api = w.server.api();
    let (base, received) = receiver().await;
    insert_alert(
        &w,
        "alert_before",
        Some(&w.project_a),
        "budget_hard",
        now_micros() - 1_000_000,
    )
    .await;
    let ok = create(&w, format!("{base}/ok"), json!(["budget_hard"])).await;
    let flaky = create(&w, format!("{base}/flaky"), json!([])).await;
    let down = create(&w, format!("{base}/down"), json!(["budget_soft"])).await;
    let ok_secret = ok["secret"].as_str().unwrap().to_owned();
    let flaky_secret = flaky["secret"].as_str().unwrap().to_owned();
    assert!(ok_secret.starts_with("whsec_"));
    assert_eq!(ok["events"], json!(["budget_hard"]));
    let listed = api.get("/api/v1/webhooks", &w.admin).await.expect(200);
    assert_eq!(listed["items"].as_array().unwrap().len(), 3);
    assert!(
        !listed.to_string().contains(&ok_secret),
        "secret shown once"
    );
    assert!(
        !String::from_utf8_lossy(&w.server.database_dump().await).contains(&ok_secret),
        "secret sealed at rest"
    );

    let t = now_micros();
    insert_alert(&w, "alert_hard", Some(&w.project_a), "budget_hard", t).await;
    insert_alert(&w, "alert_soft", Some(&w.project_b), "budget_soft", t + 1).await;
    until("the deliveries", || {
        received.on("/ok").len() == 1 && received.on("/flaky").len() == 4
    })
    .await;
    let (headers, body) = &received.on("/ok")[0];
    verify(&ok_secret, headers, body);
    assert_eq!(body["type"], "budget_hard");
    assert_eq!(body["data"]["alert_id"], "alert_hard");
    assert_eq!(body["data"]["project_id"], w.project_a.as_str());
    assert_eq!(body["data"]["data"], json!({"pct": 90}));
    assert_eq!(headers["x-iron-event"], "budget_hard");
    assert_eq!(headers["x-iron-delivery"], body["id"].as_str().unwrap());
    for (headers, body) in received.on("/flaky") {
        verify(&flaky_secret, &headers, &body);
    }
    // The same delivery id on each retry.
    let flaky_ids: std::collections::BTreeSet<String> = received
        .on("/flaky")
        .iter()
        .map(|(_, b)| b["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(flaky_ids.len(), 2);

    let path = format!(
        "/api/v1/webhooks/{}/deliveries",
        flaky["id"].as_str().unwrap()
    );
    let mut log = Value::Null;
    for _ in 0..50 {
        log = api.get(&path, &w.admin).await.expect(200);
        let items = log["items"].as_array().unwrap();
        if items.len() == 2 && items.iter().all(|d| d["status"] == "delivered") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let items = log["items"].as_array().unwrap();
    let attempts: i64 = items.iter().map(|d| d["attempts"].as_i64().unwrap()).sum();
    assert_eq!(attempts, 4, "{log}");
    assert!(items.iter().all(|d| d["status"] == "delivered"), "{log}");
    assert!(items.iter().all(|d| d["last_status_code"] == 204));
    assert!(items.iter().all(|d| d["delivered_at"].is_string()));

    // The receiver that is down is retried with growing delays.
    until("retries to /down", || received.on("/down").len() >= 3).await;
    let down_log = api
        .get(
            &format!(
                "/api/v1/webhooks/{}/deliveries",
                down["id"].as_str().unwrap()
            ),
            &w.admin,
        )
        .await
        .expect(200);
    let pending = &down_log["items"][0];
    assert_eq!(pending["status"], "pending");
    assert_eq!(pending["last_status_code"], 503);
    assert!(pending["last_error"].as_str().unwrap().contains("503"));
    assert!(pending["attempts"].as_i64().unwrap() >= 3);

    // A test event goes the same way; nothing is delivered twice.
    let queued = api
        .post(
            &format!("/api/v1/webhooks/{}/test", ok["id"].as_str().unwrap()),
            &w.admin,
            json!({}),
        )
        .await
        .expect(202);
    assert_eq!(queued["status"], "pending");
    until("the test event", || received.on("/ok").len() == 2).await;
    let (headers, body) = &received.on("/ok")[1];
    verify(&ok_secret, headers, body);
    assert_eq!(body["type"], "test");
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(received.on("/ok").len(), 2);
    assert!(
        !received
            .on("/ok")
            .iter()
            .any(|(_, b)| b["data"]["alert_id"] == "alert_before"),
        "alerts older than the webhook are not sent"
    );

    let ok_id = ok["id"].as_str().unwrap();
    api.delete(&format!("/api/v1/webhooks/{ok_id}"), &w.admin)
        .await
        .expect(204);
    api.get(&format!("/api/v1/webhooks/{ok_id}/deliveries"), &w.admin)
        .await
        .expect_error(404, "NOT_FOUND");
    let listed = api.get("/api/v1/webhooks", &w.admin).await.expect(200);
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);
}

async fn bad_webhook_input_is_refused(backend: Backend) {
    let w = world(backend, &[]).await;
    let api = w.server.api();
    for bad in [
        json!({"url": "ftp://example.com/hook"}),
        json!({"url": "not a url"}),
        json!({"url": "http://"}),
        json!({"url": format!("http://example.com/{}", "a".repeat(2100))}),
        json!({"url": "http://example.com", "events": ["nope"]}),
        json!({"url": "http://example.com", "events": "budget_hard"}),
        json!({"url": "http://example.com", "secret": "mine"}),
        json!({"events": []}),
    ] {
        api.post("/api/v1/webhooks", &w.admin, bad)
            .await
            .expect_error(422, "VALIDATION_FAILED");
    }
    let body = json!({"url": "http://example.com/hook"});
    api.post("/api/v1/webhooks", &w.dev, body.clone())
        .await
        .expect_error(403, "FORBIDDEN");
    api.get("/api/v1/webhooks", &w.dev)
        .await
        .expect_error(403, "FORBIDDEN");
    let created = api
        .post("/api/v1/webhooks", &w.admin, body)
        .await
        .expect(201);
    assert_eq!(created["events"], json!([]));
    let id = created["id"].as_str().unwrap();
    api.delete(&format!("/api/v1/webhooks/{id}"), &w.dev)
        .await
        .expect_error(403, "FORBIDDEN");
    for path in [
        "/api/v1/webhooks/wh_nope/deliveries".to_owned(),
        format!("/api/v1/webhooks/{id}/deliveries?cursor=junk"),
    ] {
        let reply = api.get(&path, &w.admin).await;
        assert!(
            matches!(reply.status.as_u16(), 404 | 422),
            "{path}: {}",
            reply.text
        );
    }
    api.post("/api/v1/webhooks/wh_nope/test", &w.admin, json!({}))
        .await
        .expect_error(404, "NOT_FOUND");
    api.delete("/api/v1/webhooks/wh_nope", &w.admin)
        .await
        .expect_error(404, "NOT_FOUND");
}
