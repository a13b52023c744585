//! Cost of governing one call's money: `reserve` + `commit` on the
//! accountant, alone and with 8 threads contending for the same lease.

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use iron_core::Micros;
use iron_core::budget::{Accountant, LocalAuthority};

const ESTIMATE: Micros = 1_000;
const ACTUAL: Micros = 600;
const THREADS: u64 = 8;

fn accountant(tranche: Micros) -> Arc<Accountant> {
    let authority = Arc::new(LocalAuthority::new(Micros::MAX / 4));
    Arc::new(Accountant::new(authority, tranche))
}

async fn one_call(acc: &Accountant) {
    let reservation = acc.reserve(ESTIMATE).await.expect("budget is ample");
    acc.commit(reservation, ACTUAL, None);
}

fn uncontended(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("budget");

    // A lease large enough that the authority is never asked again.
    let acc = accountant(Micros::MAX / 8);
    group.bench_function("reserve_commit", |b| {
        b.to_async(&rt).iter(|| one_call(&acc))
    });

    // A refill (settle + next tranche) every 100 calls.
    let acc = accountant(100 * ACTUAL);
    group.bench_function("reserve_commit_refill_every_100", |b| {
        b.to_async(&rt).iter(|| one_call(&acc))
    });
    group.finish();
}

fn contended(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(THREADS as usize)
        .enable_all()
        .build()
        .unwrap();
    let acc = accountant(Micros::MAX / 8);
    let mut group = c.benchmark_group("budget");
    // Wall time per call while 8 threads share one accountant.
    group.bench_function("reserve_commit_8_threads", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                let workers: Vec<_> = (0..THREADS)
                    .map(|t| {
                        let acc = Arc::clone(&acc);
                        let n = iters / THREADS + u64::from(t < iters % THREADS);
                        tokio::spawn(async move {
                            for _ in 0..n {
                                one_call(&acc).await;
                            }
                        })
                    })
                    .collect();
                for w in workers {
                    w.await.unwrap();
                }
                start.elapsed()
            })
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3));
    targets = uncontended, contended
}
criterion_main!(benches);
