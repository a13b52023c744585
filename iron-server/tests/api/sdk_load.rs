//! Concurrency and faults: many agents on one project, a seeded simulation
//! with crashes, duplicates and drops, SIGKILLs mid-load, and two replicas.
//! After each: committed spend within budget, the ledger balances, and no
//! settle counted twice.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use tokio::sync::RwLock;

use crate::common::Backend;
use crate::on_both_backends;
use crate::sdk_support::{Fixture, uuid};

on_both_backends!(
    a_thousand_agents_never_overspend,
    sigkill_mid_load_leaves_a_balanced_ledger
);

/// What the agents saw, to compare with the ledger.
#[derive(Default)]
struct Tally {
    settled_spend: AtomicI64,
    granted: AtomicI64,
}

/// One agent: lease, spend part of it, settle (sometimes twice, as a retry
/// would), until the budget is refused. `crash_every` > 0 abandons a lease
/// now and then. Transport errors (a killed server) are retried with the same
/// idempotency key against the current URL.
async fn agent(
    http: reqwest::Client,
    base: Arc<RwLock<String>>,
    key: String,
    session: String,
    seed: u64,
    crash_every: u32,
    tally: Arc<Tally>,
) {
    let mut rng = StdRng::seed_from_u64(seed);
    for round in 0..50u32 {
        let want: i64 = rng.random_range(5_000..20_000);
        let body = json!({"session_id": session, "want_micros": want, "idempotency_key": uuid()});
        let Some((status, lease)) = send(&http, &base, &key, "/api/v1/sdk/leases", &body).await
        else {
            return;
        };
        match status {
            200 | 201 => {}
            402 => return,
            other => panic!("lease answered {other}: {lease}"),
        }
        let amount = lease["amount_micros"].as_i64().unwrap();
        tally.granted.fetch_add(1, Ordering::Relaxed);
        if crash_every > 0 && round % crash_every == crash_every - 1 {
            continue; // crashed: the lease is abandoned, the sweeper expires it
        }
        let spent = rng.random_range(0..=amount);
        let path = format!(
            "/api/v1/sdk/leases/{}/settle",
            lease["lease_id"].as_str().unwrap()
        );
        let body = json!({"idempotency_key": uuid(), "spent_micros": spent});
        let times = if rng.random_bool(0.2) { 2 } else { 1 };
        let mut first: Option<Value> = None;
        for _ in 0..times {
            let Some((status, answer)) = send(&http, &base, &key, &path, &body).await else {
                return;
            };
            assert_eq!(status, 200, "settle: {answer}");
            if let Some(first) = &first {
                assert_eq!(first, &answer, "a replayed settle gets the same answer");
            } else {
                first = Some(answer);
            }
        }
        tally.settled_spend.fetch_add(spent, Ordering::Relaxed);
    }
}

/// POSTs with retries on transport errors; `None` when it never got through.
async fn send(
    http: &reqwest::Client,
    base: &RwLock<String>,
    key: &str,
    path: &str,
    body: &Value,
) -> Option<(u16, Value)> {
    for _ in 0..400 {
        let url = format!("{}{path}", base.read().await);
        match http.post(url).bearer_auth(key).json(body).send().await {
            Ok(response) if response.status() == 503 => {
                // Backpressure: retry after the hint, like iron-core's client.
                assert!(response.headers().contains_key("retry-after"));
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
            Ok(response) => {
                let status = response.status().as_u16();
                assert!(status < 500, "5xx from {path}: {:?}", response.text().await);
                let value = response.json().await.unwrap_or(Value::Null);
                return Some((status, value));
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
        }
    }
    None
}

async fn sessions(f: &Fixture, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(f.session().await);
    }
    out
}

async fn assert_within_budget(f: &Fixture) {
    let committed = f
        .server
        .query_i64(&format!(
            "SELECT spent_micros + reserved_micros FROM projects WHERE id = '{}'",
            f.project_id
        ))
        .await;
    let overruns = f
        .server
        .query_i64("SELECT COALESCE(SUM(spent_micros - amount_micros), 0) FROM leases WHERE spent_micros > amount_micros")
        .await;
    assert_eq!(overruns, 0, "the agents never overran");
    let budget = f
        .server
        .query_i64(&format!(
            "SELECT budget_micros FROM projects WHERE id = '{}'",
            f.project_id
        ))
        .await;
    assert!(
        committed <= budget,
        "committed {committed} > budget {budget}"
    );
}

fn spawn_agents(
    f: &Fixture,
    base: &Arc<RwLock<String>>,
    sessions: &[String],
    n: usize,
    crash_every: u32,
    tally: &Arc<Tally>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .unwrap();
    (0..n)
        .map(|i| {
            tokio::spawn(agent(
                http.clone(),
                base.clone(),
                f.key.clone(),
                sessions[i % sessions.len()].clone(),
                i as u64,
                crash_every,
                tally.clone(),
            ))
        })
        .collect()
}

async fn a_thousand_agents_never_overspend(backend: Backend) {
    let f = Fixture::new(backend, "5").await;
    let sessions = sessions(&f, 20).await;
    let base = Arc::new(RwLock::new(f.api.base.clone()));
    let tally = Arc::new(Tally::default());
    for task in spawn_agents(&f, &base, &sessions, 1000, 0, &tally) {
        if task.await.is_err() {
            let log = f.server.log();
            let errors: Vec<&str> = log
                .lines()
                .filter(|l| l.contains("internal error"))
                .take(3)
                .collect();
            panic!("an agent failed; server errors: {errors:#?}");
        }
    }
    assert_within_budget(&f).await;
    f.assert_ledger_balances();
    // Every settle counted once: the project's spend is what the agents settled.
    let spent = f
        .server
        .query_i64(&format!(
            "SELECT spent_micros FROM projects WHERE id = '{}'",
            f.project_id
        ))
        .await;
    assert_eq!(spent, tally.settled_spend.load(Ordering::Relaxed));
    let leases = f.server.query_i64("SELECT COUNT(*) FROM leases").await;
    assert_eq!(leases, tally.granted.load(Ordering::Relaxed));
    assert!(
        leases > 200,
        "the budget was shared among many grants: {leases}"
    );
}

async fn sigkill_mid_load_leaves_a_balanced_ledger(backend: Backend) {
    let mut f = Fixture::with(backend, "2", json!({}), &["--lease-sweep-ms", "100"]).await;
    let sessions = sessions(&f, 10).await;
    let base = Arc::new(RwLock::new(f.api.base.clone()));
    let tally = Arc::new(Tally::default());
    let tasks = spawn_agents(&f, &base, &sessions, 100, 7, &tally);
    for _ in 0..3 {
        tokio::time::sleep(std::time::Duration::from_millis(700)).await;
        f.server.restart().await; // SIGKILL, then start on the same database
        *base.write().await = f.server.url.clone();
        f.api.base = f.server.url.clone();
        f.assert_ledger_balances();
    }
    for task in tasks {
        task.await.expect("agent");
    }
    assert_within_budget(&f).await;
    f.assert_ledger_balances();
}

/// Two `iron serve` on one PostgreSQL database (+ Redis), agents spread
/// over both: one ledger, no overspend.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_share_one_ledger() {
    let redis = ["--redis-url", "redis://127.0.0.1:6379/0"];
    let f = Fixture::with(Backend::Postgres, "2", json!({}), &redis).await;
    let b = f.server.second_replica().await;
    let sessions = sessions(&f, 10).await;
    let tally = Arc::new(Tally::default());
    let mut tasks = Vec::new();
    for (i, url) in [f.api.base.clone(), b.url.clone()].into_iter().enumerate() {
        let base = Arc::new(RwLock::new(url));
        let half: Vec<String> = sessions.iter().skip(i).step_by(2).cloned().collect();
        tasks.extend(spawn_agents(&f, &base, &half, 100, 0, &tally));
    }
    for task in tasks {
        task.await.expect("agent");
    }
    assert_within_budget(&f).await;
    f.assert_ledger_balances();
    let spent = f
        .server
        .query_i64(&format!(
            "SELECT spent_micros FROM projects WHERE id = '{}'",
            f.project_id
        ))
        .await;
    assert_eq!(spent, tally.settled_spend.load(Ordering::Relaxed));
}

/// A seeded simulation: per step one random agent action — grant (sometimes
/// sent twice), settle (sometimes duplicated, sometimes dropped: the agent
/// crashed), a short-TTL expiry, or a session close — and the invariants
/// checked in-process after every step. Many runs, each on its own project.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_simulation_keeps_the_invariants_after_every_step() {
    let f = Fixture::with(Backend::Sqlite, "1", json!({}), &["--lease-sweep-ms", "50"]).await;
    let server = &f.server;
    let db = iron_server::db::Db::connect(&server.database_url, 2)
        .await
        .expect("db");
    for seed in 0..6u64 {
        let (_, key) = f.add_project("2").await;
        let mut rng = StdRng::seed_from_u64(seed);
        let mut session = f.session_of(&key).await;
        let mut open: Vec<String> = Vec::new();
        for step in 0..40 {
            match rng.random_range(0..10) {
                0..=3 => {
                    let idem = uuid();
                    let want = rng.random_range(1..400_000);
                    let reply = f.lease(&key, &session, want, &idem).await;
                    let body = match reply.status.as_u16() {
                        201 => reply.body,
                        402 => continue,
                        other => panic!("step {step}: lease {other} {}", reply.text),
                    };
                    if rng.random_bool(0.3) {
                        let again = f.lease(&key, &session, want, &idem).await.expect(200);
                        assert_eq!(again, body);
                    }
                    open.push(body["lease_id"].as_str().unwrap().to_owned());
                }
                4..=6 if !open.is_empty() => {
                    let lease = open.swap_remove(rng.random_range(0..open.len()));
                    if rng.random_bool(0.2) {
                        continue; // dropped: never settled
                    }
                    let body = json!({"idempotency_key": uuid(), "spent_micros": rng.random_range(0..500_000)});
                    let first = f.settle(&key, &lease, body.clone()).await.expect(200);
                    if rng.random_bool(0.3) {
                        assert_eq!(f.settle(&key, &lease, body).await.expect(200), first);
                    }
                }
                7 if !open.is_empty() => {
                    let lease = &open[rng.random_range(0..open.len())];
                    server
                        .execute_sql(&format!(
                            "UPDATE leases SET expires_at = 1 WHERE id = '{lease}'"
                        ))
                        .await;
                }
                8 => {
                    let path = format!("/api/v1/sdk/sessions/{session}");
                    f.api
                        .call(reqwest::Method::DELETE, &path, Some(&key), None)
                        .await
                        .expect(204);
                    session = f.session_of(&key).await;
                }
                _ => tokio::time::sleep(std::time::Duration::from_millis(60)).await,
            }
            let mut conn = db.conn().await.expect("conn");
            let report = iron_server::ledger::check::run(&mut conn)
                .await
                .expect("check");
            assert!(report.ok, "seed {seed} step {step}: {report:?}");
        }
    }
}
