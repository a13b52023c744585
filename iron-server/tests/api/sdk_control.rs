//! The kill switch over the real control stream (SSE).

use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};

use crate::common::Backend;
use crate::on_both_backends;
use crate::sdk_support::{Fixture, uuid};

on_both_backends!(
    revoke_reaches_the_stream_and_voids_open_leases,
    pause_and_resume_reach_the_stream
);

/// Generous bound for an event to arrive (CI is slow); the latency itself is
/// measured by the benchmark, not asserted here.
const BOUND: Duration = Duration::from_secs(10);

/// A control stream: yields each `data:` payload as JSON.
pub struct ControlStream {
    body: futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buffer: String,
}

impl ControlStream {
    pub async fn open(base: &str, key: &str, session: &str) -> ControlStream {
        let response = reqwest::Client::new()
            .get(format!("{base}/api/v1/sdk/sessions/{session}/control"))
            .bearer_auth(key)
            .send()
            .await
            .expect("control stream");
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/event-stream")
        );
        ControlStream {
            body: response.bytes_stream().boxed(),
            buffer: String::new(),
        }
    }

    /// The next event, or a panic after `BOUND`.
    pub async fn next(&mut self) -> Value {
        tokio::time::timeout(BOUND, self.next_event())
            .await
            .expect("no control event within the bound")
    }

    async fn next_event(&mut self) -> Value {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let frame: String = self.buffer.drain(..end + 2).collect();
                let data: String = frame
                    .lines()
                    .filter_map(|line| line.strip_prefix("data:"))
                    .map(str::trim_start)
                    .collect();
                if !data.is_empty() {
                    return serde_json::from_str(&data).expect("event JSON");
                }
                continue;
            }
            let chunk = self
                .body
                .next()
                .await
                .expect("stream ended")
                .expect("chunk");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

async fn revoke_reaches_the_stream_and_voids_open_leases(backend: Backend) {
    let f = Fixture::new(backend, "10").await;
    let session = f.session().await;
    let lease = f
        .lease(&f.key, &session, 500_000, &uuid())
        .await
        .expect(201);
    let mut stream = ControlStream::open(&f.api.base, &f.key, &session).await;
    let state = stream.next().await;
    assert_eq!(
        state,
        json!({"type": "state", "key_status": "active", "project_status": "active", "budget_micros": 10_000_000})
    );
    // Another key's revocation is not this session's business.
    let (_, other_id) = f.new_key(json!({})).await;
    f.api
        .post(
            &format!("/api/v1/keys/{other_id}/revoke"),
            &f.admin,
            json!({}),
        )
        .await
        .expect(200);
    f.api
        .post(
            &format!("/api/v1/keys/{}/revoke", f.key_id),
            &f.admin,
            json!({}),
        )
        .await
        .expect(200);
    let event = stream.next().await;
    assert_eq!(event["type"], "revoked", "{event}");

    // New leases are refused at once; the open one was voided (charged in full).
    f.lease(&f.key, &session, 1, &uuid())
        .await
        .expect_error(403, "KEY_REVOKED");
    let project = f.project().await;
    assert_eq!(project["reserved_usd"], "0.00");
    assert_eq!(project["spent_usd"], "0.50");
    f.assert_ledger_balances();
    // Its holder's late settle is refused with the key's status; the charge stands.
    f.settle(
        &f.key,
        lease["lease_id"].as_str().unwrap(),
        json!({"idempotency_key": uuid(), "spent_micros": 1}),
    )
    .await
    .expect_error(403, "KEY_REVOKED");
}

async fn pause_and_resume_reach_the_stream(backend: Backend) {
    let f = Fixture::new(backend, "10").await;
    let session = f.session().await;
    f.lease(&f.key, &session, 200_000, &uuid())
        .await
        .expect(201);
    let mut stream = ControlStream::open(&f.api.base, &f.key, &session).await;
    assert_eq!(stream.next().await["type"], "state");
    let project = format!("/api/v1/projects/{}", f.project_id);
    f.api
        .patch(&project, &f.admin, json!({"budget_usd": "20"}))
        .await
        .expect(200);
    assert_eq!(
        stream.next().await,
        json!({"type": "budget_changed", "budget_micros": 20_000_000})
    );
    f.api
        .patch(&project, &f.admin, json!({"allowed_models": ["gpt-4o*"]}))
        .await
        .expect(200);
    assert_eq!(stream.next().await, json!({"type": "policy_changed"}));
    f.api
        .post(&format!("{project}/pause"), &f.admin, json!({}))
        .await
        .expect(200);
    assert_eq!(stream.next().await, json!({"type": "paused"}));
    assert_eq!(
        f.project().await["reserved_usd"],
        "0.00",
        "open leases voided"
    );
    f.api
        .post(&format!("{project}/resume"), &f.admin, json!({}))
        .await
        .expect(200);
    assert_eq!(stream.next().await, json!({"type": "resumed"}));
    f.lease(&f.key, &session, 1000, &uuid()).await.expect(201);
    f.assert_ledger_balances();
}

/// Two replicas on one PostgreSQL database share control events through
/// Redis: a revoke made on replica A reaches a stream held by replica B.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_events_cross_replicas_through_redis() {
    let redis = ["--redis-url", "redis://127.0.0.1:6379/0"];
    let f = Fixture::with(Backend::Postgres, "10", json!({}), &redis).await;
    let b = f.server.second_replica().await;
    let session = f.session().await;
    let mut stream = ControlStream::open(&b.url, &f.key, &session).await;
    assert_eq!(stream.next().await["type"], "state");
    f.api
        .post(
            &format!("/api/v1/keys/{}/suspend", f.key_id),
            &f.admin,
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(stream.next().await, json!({"type": "suspended"}));
    drop(b);
}
