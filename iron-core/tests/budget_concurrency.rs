//! Many concurrent governed calls against one accountant: no overspend,
//! nothing counted twice, books that balance after close.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use iron_core::budget::{
    Accountant, BudgetAuthority, Lease, LocalAuthority, SettleReceipt, Settlement, UsageLine,
};
use iron_core::{Error, ErrorKind, Micros, Result};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const TASKS: usize = 200;
const MIN_ESTIMATE: Micros = 1_000;
const MAX_ESTIMATE: Micros = 20_000;
/// Covers about 50 calls at their worst case.
const BUDGET: Micros = 50 * (MIN_ESTIMATE + MAX_ESTIMATE) / 2;

#[derive(Debug, Clone, Copy)]
enum Ending {
    Commit(Micros),
    Release,
    Drop,
}

#[derive(Debug, Clone, Copy)]
struct Call {
    start_after: Duration,
    estimate: Micros,
    duration: Duration,
    ending: Ending,
}

/// Every call commits at least half its estimate, so all 200 together would
/// need far more than the budget: some must be refused.
fn plan(seed: u64) -> Vec<Call> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..TASKS)
        .map(|_| {
            let estimate = rng.random_range(MIN_ESTIMATE..=MAX_ESTIMATE);
            let ending = match rng.random_range(0..10) {
                0 => Ending::Release,
                1 => Ending::Drop,
                _ => Ending::Commit(rng.random_range(estimate / 2..=estimate)),
            };
            Call {
                start_after: Duration::from_micros(rng.random_range(0..3_000)),
                estimate,
                duration: Duration::from_micros(rng.random_range(0..2_000)),
                ending,
            }
        })
        .collect()
}

#[derive(Debug, Default)]
struct Outcome {
    reserved_ok: usize,
    committed: Micros,
}

/// Runs the plan concurrently while a watcher checks the invariants at
/// every step, then closes the accountant.
async fn run(plan: Vec<Call>, acc: Arc<Accountant>, remaining: impl Fn() -> Micros) -> Outcome {
    let committed = Arc::new(AtomicI64::new(0));
    let reserved_ok = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));

    let watcher = tokio::spawn({
        let (acc, done) = (acc.clone(), done.clone());
        async move {
            while !done.load(Ordering::SeqCst) {
                let s = acc.snapshot();
                assert!(
                    s.spent + s.reserved <= s.granted - s.returned,
                    "accountant overspent: {s:?}"
                );
                assert_eq!(s.available, s.granted - s.spent - s.reserved - s.returned);
                tokio::time::sleep(Duration::from_micros(200)).await;
            }
        }
    });

    let tasks: Vec<_> = plan
        .into_iter()
        .map(|call| {
            let (acc, committed, reserved_ok) =
                (acc.clone(), committed.clone(), reserved_ok.clone());
            tokio::spawn(async move {
                tokio::time::sleep(call.start_after).await;
                let reservation = match acc.reserve(call.estimate).await {
                    Ok(r) => r,
                    Err(e) if e.kind() == ErrorKind::BudgetExceeded => return,
                    // Only the flaky authority fails this way.
                    Err(e) if e.kind() == ErrorKind::Unavailable => return,
                    Err(e) => panic!("unexpected error: {e}"),
                };
                assert_eq!(reservation.amount(), call.estimate);
                reserved_ok.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(call.duration).await;
                match call.ending {
                    Ending::Commit(actual) => {
                        committed.fetch_add(actual, Ordering::SeqCst);
                        acc.commit(reservation, actual, Some(usage(actual)));
                    }
                    Ending::Release => acc.release(reservation),
                    Ending::Drop => drop(reservation),
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
        assert!(remaining() >= 0, "authority granted beyond the budget");
    }
    done.store(true, Ordering::SeqCst);
    watcher.await.unwrap();

    // A flaky authority may fail a close; a later close finishes the job.
    let mut closed = acc.close().await;
    for _ in 0..10 {
        if closed.is_ok() {
            break;
        }
        closed = acc.close().await;
    }
    closed.unwrap();
    Outcome {
        reserved_ok: reserved_ok.load(Ordering::SeqCst),
        committed: committed.load(Ordering::SeqCst),
    }
}

fn usage(cost: Micros) -> UsageLine {
    let (id, at) = UsageLine::stamp();
    UsageLine {
        id,
        at,
        model: "gpt-4o-mini".into(),
        input_tokens: 100,
        cached_input_tokens: 0,
        output_tokens: 50,
        cost,
        latency_ms: 3,
        outcome: "ok".into(),
    }
}

fn assert_balanced(acc: &Accountant, local: &LocalAuthority, outcome: &Outcome) {
    let s = acc.snapshot();
    assert!(outcome.reserved_ok > 0, "no call got through");
    assert!(
        outcome.reserved_ok < TASKS,
        "the budget cannot cover every call"
    );
    assert!(
        outcome.committed <= BUDGET,
        "{} > {BUDGET}",
        outcome.committed
    );
    assert_eq!(
        local.spent(),
        outcome.committed,
        "authority spent != commits"
    );
    assert_eq!(local.outstanding(), 0);
    assert_eq!(s.spent, outcome.committed);
    assert_eq!((s.reserved, s.overrun, s.available), (0, 0, 0));
    assert_eq!(s.granted, s.spent + s.returned);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_never_overspend() {
    for seed in 0..8 {
        let local = Arc::new(LocalAuthority::new(BUDGET));
        let tranche = [5_000, 40_000, 200_000][seed as usize % 3];
        let acc = Arc::new(Accountant::new(local.clone(), tranche));
        let outcome = run(plan(seed), acc.clone(), || local.remaining()).await;
        assert_balanced(&acc, &local, &outcome);
    }
}

/// Wraps a LocalAuthority with random delays, expiring leases, grants that
/// fail before reaching it and settles whose response is lost after it was
/// applied.
#[derive(Debug)]
struct Flaky {
    inner: Arc<LocalAuthority>,
    rng: Mutex<StdRng>,
    settles: Mutex<Vec<Settlement>>,
}

impl Flaky {
    fn roll(&self, range: std::ops::Range<u64>) -> u64 {
        self.rng.lock().unwrap().random_range(range)
    }

    async fn pause(&self) {
        tokio::time::sleep(Duration::from_micros(self.roll(0..3_000))).await;
    }
}

#[async_trait::async_trait]
impl BudgetAuthority for Flaky {
    async fn grant(&self, want: Micros) -> Result<Lease> {
        self.pause().await;
        if self.roll(0..10) == 0 {
            return Err(Error::new(ErrorKind::Unavailable, "connection refused"));
        }
        let mut lease = self.inner.grant(want).await?;
        lease.expires_at =
            Some(SystemTime::now() + Duration::from_micros(self.roll(1_000..20_000)));
        self.pause().await;
        Ok(lease)
    }

    async fn settle(&self, settlement: Settlement) -> Result<SettleReceipt> {
        self.settles.lock().unwrap().push(settlement.clone());
        self.pause().await;
        let receipt = self.inner.settle(settlement).await?;
        self.pause().await;
        if self.roll(0..4) == 0 {
            return Err(Error::new(ErrorKind::Unavailable, "response lost"));
        }
        Ok(receipt)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slow_flaky_authority_loses_nothing_and_counts_nothing_twice() {
    for seed in 0..4 {
        let local = Arc::new(LocalAuthority::new(BUDGET));
        let flaky = Arc::new(Flaky {
            inner: local.clone(),
            rng: Mutex::new(StdRng::seed_from_u64(1_000 + seed)),
            settles: Mutex::default(),
        });
        let acc = Arc::new(Accountant::new(flaky.clone(), 20_000));
        let outcome = run(plan(seed), acc.clone(), || local.remaining()).await;
        assert_balanced(&acc, &local, &outcome);

        // Every usage line reached the authority exactly once per settled
        // key, whatever was retried.
        let settles = flaky.settles.lock().unwrap();
        let mut seen = std::collections::HashSet::new();
        let reported: Micros = settles
            .iter()
            .filter(|s| seen.insert(s.idempotency_key.clone()))
            .flat_map(|s| s.usage.iter().map(|u| u.cost))
            .sum();
        assert_eq!(reported, outcome.committed);
    }
}
