//! Gateway added latency: the same request to the fake provider directly and
//! through the iron-core gateway (placeholder check, parse, estimate,
//! reserve, forward with the real key, read usage, commit, event).
//!
//! Criterion measures the single-client mean; a second pass prints p50/p99
//! at 1 and 32 concurrent clients, for JSON calls and for a stream's
//! time-to-first-byte. Run: `cargo bench -p iron-benches --bench gateway`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use iron_benches::request_body;
use iron_core::Runtime;
use iron_core::provider::ProviderKind;
use iron_core::safety::Action;
use iron_core::secrets::{Secret, StaticSecrets};
use iron_testkit::{FakeProvider, fake_key};
use serde_json::Value;

struct Target {
    name: &'static str,
    url: String,
    key: String,
}

struct Bench {
    rt: tokio::runtime::Runtime,
    direct: Target,
    gateway: Target,
    _runtime: Runtime,
    _fake: FakeProvider,
}

fn setup() -> Bench {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (fake, runtime, key) = rt.block_on(async {
        let fake = FakeProvider::start().await.unwrap();
        let key = fake_key();
        let secrets = StaticSecrets::new().with_key(ProviderKind::OpenAi, Secret::new(key.clone()));
        // IRON_BENCH_NO_GUARDS=1 measures the gateway without the safety
        // guards; IRON_BENCH_NO_INJECTION=1 with every guard but the
        // injection check (whose share this separates).
        let mut builder = Runtime::builder();
        if std::env::var_os("IRON_BENCH_NO_GUARDS").is_some() {
            builder = builder.without_guards();
        }
        if std::env::var_os("IRON_BENCH_NO_INJECTION").is_some() {
            builder = builder.injection(None, Action::Allow);
        }
        let runtime = builder
            .budget_usd(1_000_000.0)
            .secrets(Arc::new(secrets))
            .upstream(ProviderKind::OpenAi, fake.url())
            .start()
            .await
            .unwrap();
        (fake, runtime, key)
    });
    Bench {
        direct: Target {
            name: "direct",
            url: format!("{}/v1/chat/completions", fake.url()),
            key: key.clone(),
        },
        gateway: Target {
            name: "gateway",
            url: format!("{}/v1/chat/completions", runtime.gateway_url()),
            key: runtime.placeholder_key().to_string(),
        },
        rt,
        _runtime: runtime,
        _fake: fake,
    }
}

/// One call; returns the time to the whole answer (JSON) or the first byte (stream).
async fn call(http: &reqwest::Client, target: &Target, body: &Value, stream: bool) -> Duration {
    let started = Instant::now();
    let mut response = http
        .post(&target.url)
        .bearer_auth(&target.key)
        .json(body)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    if stream {
        let first = response.chunk().await.unwrap();
        let elapsed = started.elapsed();
        assert!(first.is_some());
        while response.chunk().await.unwrap().is_some() {}
        elapsed
    } else {
        response.bytes().await.unwrap();
        started.elapsed()
    }
}

fn criterion_single_client(c: &mut Criterion) {
    let bench = setup();
    let http = reqwest::Client::new();
    let body = request_body(false);
    let mut group = c.benchmark_group("chat_json_1_client");
    for target in [&bench.direct, &bench.gateway] {
        group.bench_function(target.name, |b| {
            b.to_async(&bench.rt)
                .iter(|| call(&http, target, &body, false));
        });
    }
    group.finish();
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// p50/p99 over `total` calls spread across `clients` concurrent clients.
fn percentiles(
    bench: &Bench,
    target: &Target,
    clients: usize,
    total: usize,
    stream: bool,
) -> (Duration, Duration) {
    let http = reqwest::Client::new();
    let body = request_body(stream);
    let mut samples = bench.rt.block_on(async {
        // Warm the connection pools.
        for _ in 0..50 {
            call(&http, target, &body, stream).await;
        }
        let per_client = total / clients;
        let tasks = (0..clients).map(|_| {
            let http = http.clone();
            let body = body.clone();
            let target = Target {
                name: target.name,
                url: target.url.clone(),
                key: target.key.clone(),
            };
            tokio::spawn(async move {
                let mut out = Vec::with_capacity(per_client);
                for _ in 0..per_client {
                    out.push(call(&http, &target, &body, stream).await);
                }
                out
            })
        });
        let mut all = Vec::new();
        for t in futures::future::join_all(tasks).await {
            all.extend(t.unwrap());
        }
        all
    });
    samples.sort();
    (percentile(&samples, 0.50), percentile(&samples, 0.99))
}

fn latency_table() {
    let bench = setup();
    println!("\ngateway added latency (fake provider on loopback, 2-core machine)");
    println!(
        "{:<10} {:>7} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "mode",
        "clients",
        "direct p50",
        "gateway p50",
        "added p50",
        "direct p99",
        "gateway p99",
        "added p99"
    );
    for (mode, stream) in [("json", false), ("stream-ttfb", true)] {
        for clients in [1, 32] {
            let total = if clients == 1 { 2_000 } else { 6_400 };
            let (d50, d99) = percentiles(&bench, &bench.direct, clients, total, stream);
            let (g50, g99) = percentiles(&bench, &bench.gateway, clients, total, stream);
            let us = |d: Duration| d.as_secs_f64() * 1e6;
            println!(
                "{:<10} {:>7} {:>10.0}µs {:>10.0}µs {:>10.0}µs {:>10.0}µs {:>10.0}µs {:>10.0}µs",
                mode,
                clients,
                us(d50),
                us(g50),
                us(g50) - us(d50),
                us(d99),
                us(g99),
                us(g99) - us(d99)
            );
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(5));
    targets = criterion_single_client
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    latency_table();
}
