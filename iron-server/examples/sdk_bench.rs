//! SDK protocol benchmark against a running `iron serve` (a second process
//! on loopback): lease grants/s at several client counts, settles/s, and
//! control-stream fan-out latency (admin revoke → `revoked` event on SSE).
//!
//! cargo run --release -p iron-server --example sdk_bench -- --url http://127.0.0.1:8080

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use futures::StreamExt;
use serde_json::{Value, json};

#[derive(Parser)]
struct Args {
    /// Base URL of a fresh server.
    #[arg(long)]
    url: String,
    /// Concurrent client counts to measure grants at.
    #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
    clients: Vec<usize>,
    /// Grants per client count (and settles after the last one).
    #[arg(long, default_value_t = 3000)]
    requests: usize,
    /// Revokes measured for fan-out latency.
    #[arg(long, default_value_t = 20)]
    revokes: usize,
}

/// POSTs; a 503 (overload backpressure) is retried after a pause, as
/// iron-core's client does, with the same body (same idempotency key).
async fn post(http: &reqwest::Client, url: &str, token: &str, body: Value) -> (u16, Value) {
    loop {
        let response = http
            .post(url)
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        if status == 503 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        }
        return (status, response.json().await.unwrap_or(Value::Null));
    }
}

struct Setup {
    admin: String,
    project_id: String,
}

async fn setup(http: &reqwest::Client, base: &str) -> Setup {
    let (_, session) = post(
        http,
        &format!("{base}/api/v1/auth/register"),
        "",
        json!({"email": "bench@example.com", "name": "Bench", "password": "benchmark password"}),
    )
    .await;
    let admin = session["access_token"]
        .as_str()
        .expect("register")
        .to_owned();
    let (_, project) = post(
        http,
        &format!("{base}/api/v1/projects"),
        &admin,
        json!({"name": "bench", "budget_usd": "1000000"}),
    )
    .await;
    Setup {
        admin,
        project_id: project["id"].as_str().unwrap().to_owned(),
    }
}

/// A fresh key and session on the project: (key, key id, session id).
async fn key_and_session(
    http: &reqwest::Client,
    base: &str,
    s: &Setup,
) -> (String, String, String) {
    let (_, key) = post(
        http,
        &format!("{base}/api/v1/projects/{}/keys", s.project_id),
        &s.admin,
        json!({"name": "bench"}),
    )
    .await;
    let secret = key["key"].as_str().unwrap().to_owned();
    let (_, session) = post(
        http,
        &format!("{base}/api/v1/sdk/sessions"),
        &secret,
        json!({}),
    )
    .await;
    (
        secret,
        key["id"].as_str().unwrap().to_owned(),
        session["session_id"].as_str().unwrap().to_owned(),
    )
}

/// Runs `requests` calls of `call(i)` over `clients` tasks; returns per-second rate.
async fn drive<F, Fut>(clients: usize, requests: usize, call: F) -> f64
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let call = Arc::new(call);
    let start = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let next = next.clone();
            let call = call.clone();
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= requests {
                        break;
                    }
                    call(i).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("client");
    }
    requests as f64 / start.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .unwrap();
    let base = args.url.trim_end_matches('/').to_owned();
    let s = setup(&http, &base).await;
    let (key, _, session) = key_and_session(&http, &base, &s).await;
    let leases = Arc::new(std::sync::Mutex::new(Vec::new()));
    for &clients in &args.clients {
        let (http, base, key, session, leases) = (
            http.clone(),
            base.clone(),
            key.clone(),
            session.clone(),
            leases.clone(),
        );
        let rate = drive(clients, args.requests, move |_| {
            let (http, base, key, session, leases) = (http.clone(), base.clone(), key.clone(), session.clone(), leases.clone());
            async move {
                let body = json!({"session_id": session, "want_micros": 1000, "idempotency_key": uuid::Uuid::now_v7().to_string()});
                let (status, lease) = post(&http, &format!("{base}/api/v1/sdk/leases"), &key, body).await;
                assert_eq!(status, 201, "{lease}");
                leases.lock().unwrap().push(lease["lease_id"].as_str().unwrap().to_owned());
            }
        })
        .await;
        println!("lease grants, {clients:>3} clients: {rate:>8.0} /s");
    }
    let all: Arc<Vec<String>> = Arc::new(std::mem::take(&mut *leases.lock().unwrap()));
    let settle_clients = *args.clients.last().unwrap_or(&16);
    let count = all.len();
    let rate = {
        let (http, base, key) = (http.clone(), base.clone(), key.clone());
        drive(settle_clients, count, move |i| {
            let (http, base, key, all) = (http.clone(), base.clone(), key.clone(), all.clone());
            async move {
                let body = json!({"idempotency_key": uuid::Uuid::now_v7().to_string(), "spent_micros": 500});
                let (status, answer) =
                    post(&http, &format!("{base}/api/v1/sdk/leases/{}/settle", all[i]), &key, body).await;
                assert_eq!(status, 200, "{answer}");
            }
        })
        .await
    };
    println!("settles,         {settle_clients:>3} clients: {rate:>8.0} /s");

    let mut latencies = Vec::new();
    for _ in 0..args.revokes {
        let (key, key_id, session) = key_and_session(&http, &base, &s).await;
        let response = http
            .get(format!("{base}/api/v1/sdk/sessions/{session}/control"))
            .bearer_auth(&key)
            .send()
            .await
            .expect("stream");
        let mut body = response.bytes_stream();
        let mut text = String::new();
        while !text.contains("\"state\"") {
            text.push_str(&String::from_utf8_lossy(
                &body.next().await.expect("state").expect("chunk"),
            ));
        }
        let start = Instant::now();
        post(
            &http,
            &format!("{base}/api/v1/keys/{key_id}/revoke"),
            &s.admin,
            json!({}),
        )
        .await;
        while !text.contains("\"revoked\"") {
            let chunk = tokio::time::timeout(Duration::from_secs(10), body.next())
                .await
                .expect("revoked within 10 s")
                .expect("event")
                .expect("chunk");
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
        latencies.push(start.elapsed());
    }
    latencies.sort();
    let pct = |p: f64| {
        latencies[((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1]
    };
    println!(
        "revoke → SSE `revoked` (incl. the admin call), {} runs: p50 {:.1} ms, p99 {:.1} ms",
        latencies.len(),
        pct(0.5).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0
    );
}
