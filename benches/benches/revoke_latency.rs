//! Kill-switch latency: from the admin's revoke request to the running
//! agent's gateway refusing calls, over a real `iron serve` and the real
//! control stream. Prints p50 / p90 / p99 / max over N revokes (default 50,
//! `REVOKES=n`). Goal: p99 < 1 s.
//!
//! Needs the `iron` binary: `cargo build --release -p iron-server --bin iron`
//! (or set IRON_BIN), then `cargo bench -p iron-benches --bench revoke_latency`.

use std::time::{Duration, Instant};

use iron_core::{ErrorKind, Runtime};
use iron_testkit::{Admin, FakeProvider, IronServer, fake_key};
use serde_json::json;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: usize = std::env::var("REVOKES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let fake = FakeProvider::shared();
    let server =
        IronServer::start(&["--provider-base-url", &format!("openai={}", fake.url())]).await;
    let admin = Admin::register(&server.url).await;
    let provider_key = fake_key();
    let project = admin.project_with_key("1000", &provider_key).await;
    let http = reqwest::Client::new();

    let mut latencies = Vec::with_capacity(n);
    for i in 0..n {
        let (key_id, ic_key) = admin.new_key(&project.project_id).await;
        let runtime = Runtime::builder()
            .remote(server.url.clone(), ic_key)
            .start()
            .await
            .expect("remote runtime starts");
        // One call: the agent holds a lease with money left when revoked.
        let answer = call(&http, &runtime).await;
        assert_eq!(answer, 200, "call {i}");
        // Let the control stream connect, so what is measured is the push.
        tokio::time::sleep(Duration::from_millis(200)).await;

        let started = Instant::now();
        admin.revoke_key(&key_id).await;
        while runtime.accountant().halted() != Some(ErrorKind::KeyRevoked) {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "revoke {i} never arrived"
            );
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        latencies.push(started.elapsed());
        assert_eq!(call(&http, &runtime).await, 403, "refused after revoke {i}");
        let _ = runtime.shutdown().await;
    }
    latencies.sort();
    let at = |q: f64| {
        latencies[((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1]
    };
    println!(
        "revoke -> refusal over {n} revokes: p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms(at(0.50)),
        ms(at(0.90)),
        ms(at(0.99)),
        ms(*latencies.last().unwrap())
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn call(http: &reqwest::Client, runtime: &Runtime) -> u16 {
    http.post(format!("{}/v1/chat/completions", runtime.gateway_url()))
        .bearer_auth(runtime.placeholder_key())
        .json(&json!({"model": "gpt-4o-mini", "max_tokens": 20,
                      "messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .expect("gateway answers")
        .status()
        .as_u16()
}
