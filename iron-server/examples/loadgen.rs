//! Bounded load generator for `iron serve` (run it as a second process on
//! loopback): seeds an admin, projects and an IC key, then measures
//! requests/s and latency percentiles for login, key validation
//! (`POST /api/v1/keys/inspect`) and project listing.
//!
//! cargo run --release -p iron-server --example loadgen -- --url http://127.0.0.1:8080

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};

#[derive(Parser)]
struct Args {
    /// Base URL of a fresh server (started with high login limits).
    #[arg(long)]
    url: String,
    /// Concurrent clients.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Requests per scenario (login uses a tenth: argon2 is slow by design).
    #[arg(long, default_value_t = 4000)]
    requests: usize,
    /// Hard stop per scenario, in seconds.
    #[arg(long, default_value_t = 30)]
    max_seconds: u64,
}

const PASSWORD: &str = "benchmark password";

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let http = reqwest::Client::new();
    let base = args.url.trim_end_matches('/').to_owned();
    let (token, key) = seed(&http, &base).await;

    let login_body = json!({"email": "bench@example.com", "password": PASSWORD});
    let scenarios: Vec<(&str, reqwest::Method, &str, Option<Value>, usize)> = vec![
        (
            "login",
            reqwest::Method::POST,
            "/api/v1/auth/login",
            Some(login_body),
            args.requests / 10,
        ),
        (
            "key validation",
            reqwest::Method::POST,
            "/api/v1/keys/inspect",
            Some(json!({"key": key})),
            args.requests,
        ),
        (
            "project list",
            reqwest::Method::GET,
            "/api/v1/projects?limit=20",
            None,
            args.requests,
        ),
    ];
    for (name, method, path, body, requests) in scenarios {
        let report = run(&http, &base, &token, method, path, body, requests, &args).await;
        println!(
            "{}",
            json!({"scenario": name, "requests": report.requests, "errors": report.errors,
            "rps": report.rps.round(), "p50_ms": report.p50_ms, "p99_ms": report.p99_ms})
        );
    }
}

async fn seed(http: &reqwest::Client, base: &str) -> (String, String) {
    let post = |path: &str, token: Option<&str>, body: Value| {
        let mut request = http.post(format!("{base}{path}")).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let session: Value = post(
        "/api/v1/auth/register",
        None,
        json!({"email": "bench@example.com", "name": "Bench", "password": PASSWORD}),
    )
    .await
    .expect("register")
    .json()
    .await
    .expect("session");
    let token = session["access_token"]
        .as_str()
        .expect("a fresh server")
        .to_owned();
    let mut project_id = String::new();
    for i in 0..20 {
        let project: Value = post(
            "/api/v1/projects",
            Some(&token),
            json!({"name": format!("p{i}"), "budget_usd": "100"}),
        )
        .await
        .expect("project")
        .json()
        .await
        .expect("project json");
        project_id = project["id"].as_str().expect("project id").to_owned();
    }
    let key: Value = post(
        &format!("/api/v1/projects/{project_id}/keys"),
        Some(&token),
        json!({"name": "bench"}),
    )
    .await
    .expect("key")
    .json()
    .await
    .expect("key json");
    (token, key["key"].as_str().expect("key").to_owned())
}

struct Report {
    requests: usize,
    errors: usize,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

#[allow(clippy::too_many_arguments)]
async fn run(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
    requests: usize,
    args: &Args,
) -> Report {
    let issued = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(args.max_seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..args.concurrency {
        let (http, issued, method, body) =
            (http.clone(), issued.clone(), method.clone(), body.clone());
        let (url, token) = (format!("{base}{path}"), token.to_owned());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            while issued.fetch_add(1, Ordering::Relaxed) < requests && Instant::now() < deadline {
                let mut request = http.request(method.clone(), &url).bearer_auth(&token);
                if let Some(body) = &body {
                    request = request.json(body);
                }
                let sent = Instant::now();
                let ok = match request.send().await {
                    Ok(response) => {
                        response.status().is_success() && response.bytes().await.is_ok()
                    }
                    Err(_) => false,
                };
                latencies.push(sent.elapsed());
                errors += usize::from(!ok);
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (mut l, e) = worker.await.expect("worker");
        latencies.append(&mut l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let percentile = |p: f64| {
        let index = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        (latencies[index].as_secs_f64() * 1000.0 * 100.0).round() / 100.0
    };
    Report {
        requests: latencies.len(),
        errors,
        rps: latencies.len() as f64 / elapsed,
        p50_ms: percentile(0.50),
        p99_ms: percentile(0.99),
    }
}
