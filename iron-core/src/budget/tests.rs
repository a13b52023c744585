//! Unit tests of the accountant and the local authority.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::*;
use crate::error::{Error, ErrorKind, Result};
use crate::money::Micros;

/// A LocalAuthority that records every call, and can be slow, hand out
/// expiring leases, or lose settle responses after applying them.
#[derive(Debug)]
struct Probe {
    inner: LocalAuthority,
    delay: Duration,
    ttl: Option<Duration>,
    wants: Mutex<Vec<Micros>>,
    settlements: Mutex<Vec<Settlement>>,
    lost_responses: AtomicUsize,
}

impl Probe {
    fn new(budget: Micros) -> Self {
        Self {
            inner: LocalAuthority::new(budget),
            delay: Duration::ZERO,
            ttl: None,
            wants: Mutex::default(),
            settlements: Mutex::default(),
            lost_responses: AtomicUsize::new(0),
        }
    }

    fn grants(&self) -> usize {
        self.wants.lock().unwrap().len()
    }

    fn settlements(&self) -> Vec<Settlement> {
        self.settlements.lock().unwrap().clone()
    }
}

#[async_trait::async_trait]
impl BudgetAuthority for Probe {
    async fn grant(&self, want: Micros) -> Result<Lease> {
        self.wants.lock().unwrap().push(want);
        tokio::time::sleep(self.delay).await;
        let mut lease = self.inner.grant(want).await?;
        lease.expires_at = self.ttl.map(|ttl| SystemTime::now() + ttl);
        Ok(lease)
    }

    async fn settle(&self, settlement: Settlement) -> Result<SettleReceipt> {
        self.settlements.lock().unwrap().push(settlement.clone());
        tokio::time::sleep(self.delay).await;
        let receipt = self.inner.settle(settlement).await?;
        let lose = self
            .lost_responses
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if lose {
            return Err(Error::new(ErrorKind::Unavailable, "response lost"));
        }
        Ok(receipt)
    }
}

fn accountant(probe: &Arc<Probe>, tranche: Micros) -> Accountant {
    Accountant::new(Arc::clone(probe) as Arc<dyn BudgetAuthority>, tranche)
}

fn usage(cost: Micros) -> UsageLine {
    let (id, at) = UsageLine::stamp();
    UsageLine {
        id,
        at,
        model: "gpt-4o-mini".into(),
        input_tokens: 10,
        cached_input_tokens: 0,
        output_tokens: 5,
        cost,
        latency_ms: 12,
        outcome: "ok".into(),
    }
}

#[tokio::test]
async fn reserve_and_commit_within_one_lease() {
    let probe = Arc::new(Probe::new(10_000));
    let acc = accountant(&probe, 1_000);

    let r = acc.reserve(300).await.unwrap();
    assert_eq!(r.amount(), 300);
    let s = acc.snapshot();
    assert_eq!((s.granted, s.reserved, s.available), (1_000, 300, 700));

    acc.commit(r, 200, None);
    let s = acc.snapshot();
    assert_eq!((s.spent, s.reserved, s.available), (200, 0, 800));
    assert_eq!(probe.grants(), 1);
    assert_eq!(probe.inner.remaining(), 9_000);
}

#[tokio::test]
async fn a_halt_refuses_new_reservations_while_the_lease_has_money() {
    let probe = Arc::new(Probe::new(10_000));
    let acc = accountant(&probe, 1_000);
    let held = acc.reserve(100).await.unwrap();

    acc.halt(&Error::new(ErrorKind::KeyRevoked, "revoked by admin").with_code("key_revoked"));
    let err = acc.reserve(10).await.unwrap_err();
    assert_eq!(
        (err.kind(), err.code()),
        (ErrorKind::KeyRevoked, "key_revoked")
    );
    assert!(err.message().contains("revoked by admin"), "{err}");
    assert_eq!(acc.halted(), Some(ErrorKind::KeyRevoked));
    assert!(acc.reservable() > 0, "the lease still holds money");
    assert_eq!(probe.grants(), 1, "a halt asks the authority for nothing");

    // A reservation made before the halt still commits, and close settles it.
    acc.commit(held, 80, Some(usage(80)));
    // Resuming another kind does not lift a revocation.
    assert!(!acc.resume("project_paused"));
    assert_eq!(
        acc.reserve(10).await.unwrap_err().kind(),
        ErrorKind::KeyRevoked
    );
    acc.close().await.unwrap();
    assert_eq!(probe.inner.spent(), 80);
}

#[tokio::test]
async fn a_pause_is_lifted_by_resume_and_a_later_halt_replaces_it() {
    let probe = Arc::new(Probe::new(10_000));
    let acc = accountant(&probe, 1_000);
    acc.halt(&Error::new(ErrorKind::ProjectPaused, "paused"));
    assert_eq!(
        acc.reserve(10).await.unwrap_err().kind(),
        ErrorKind::ProjectPaused
    );
    assert_eq!(probe.grants(), 0);
    assert!(acc.resume("project_paused"));
    let r = acc.reserve(10).await.unwrap();
    acc.commit(r, 10, None);

    acc.halt(&Error::new(ErrorKind::ProjectPaused, "paused"));
    acc.halt(&Error::new(ErrorKind::KeyRevoked, "revoked"));
    assert!(!acc.resume("project_paused"));
    assert_eq!(
        acc.reserve(10).await.unwrap_err().kind(),
        ErrorKind::KeyRevoked
    );
    acc.close().await.unwrap();
}

#[tokio::test]
async fn no_settlement_carries_more_usage_lines_than_the_protocol_allows() {
    let probe = Arc::new(Probe::new(1_000_000));
    let acc = accountant(&probe, 100_000);
    let calls = 2 * MAX_USAGE_LINES + 7;
    for _ in 0..calls {
        let r = acc.reserve(1).await.unwrap();
        acc.commit(r, 1, Some(usage(1)));
    }
    acc.close().await.unwrap();
    let sent = probe.settlements();
    assert!(sent.iter().all(|s| s.usage.len() <= MAX_USAGE_LINES));
    assert_eq!(sent.iter().map(|s| s.usage.len()).sum::<usize>(), calls);
    assert_eq!(probe.inner.spent(), calls as Micros);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn refill_is_single_flight() {
    let probe = Arc::new(Probe {
        delay: Duration::from_millis(20),
        ..Probe::new(1_000_000)
    });
    let acc = Arc::new(accountant(&probe, 1_000));

    // 200 tasks find the lease empty at once and hold 10 each: 2_000 in
    // total, i.e. exactly two tranches, whatever the interleaving.
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let acc = Arc::clone(&acc);
            tokio::spawn(async move { acc.reserve(10).await.unwrap() })
        })
        .collect();
    let mut held = Vec::new();
    for t in tasks {
        held.push(t.await.unwrap());
    }
    assert_eq!(probe.grants(), 2, "asked {:?}", probe.wants.lock().unwrap());
    assert_eq!(acc.snapshot().reserved, 2_000);

    for r in held {
        acc.commit(r, 7, None);
    }
    acc.close().await.unwrap();
    assert_eq!(probe.inner.spent(), 1_400);
    assert_eq!(probe.inner.outstanding(), 0);
}

#[tokio::test]
async fn refill_asks_for_the_larger_of_tranche_and_shortfall() {
    let probe = Arc::new(Probe::new(1_000_000));
    let acc = accountant(&probe, 100);

    let big = acc.reserve(500).await.unwrap();
    let small = acc.reserve(60).await.unwrap();
    assert_eq!(*probe.wants.lock().unwrap(), vec![500, 100]);
    // The second lease had 100: 60 of it is held, 40 left.
    assert_eq!(acc.snapshot().available, 40);
    drop((big, small));
}

#[tokio::test]
async fn refusal_says_what_was_needed_and_what_is_left() {
    let probe = Arc::new(Probe::new(1_000_000));
    let acc = accountant(&probe, 1_000_000);

    let first = acc.reserve(800_000).await.unwrap();
    let err = acc.reserve(300_000).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BudgetExceeded);
    assert!(err.message().contains("0.300000 USD"), "{}", err.message());
    assert!(err.message().contains("0.200000 USD"), "{}", err.message());
    // The refused call holds nothing; a call that fits still goes through.
    assert_eq!(acc.snapshot().reserved, 800_000);
    let fits = acc.reserve(200_000).await.unwrap();
    drop((first, fits));
}

#[tokio::test]
async fn partial_grant_then_refusal_releases_what_was_held() {
    let probe = Arc::new(Probe::new(500));
    let acc = accountant(&probe, 100);

    let err = acc.reserve(800).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BudgetExceeded);
    assert!(
        err.message().contains("0.000500 USD is left"),
        "{}",
        err.message()
    );
    assert_eq!(*probe.wants.lock().unwrap(), vec![800, 300]);
    let s = acc.snapshot();
    assert_eq!((s.granted, s.reserved, s.available), (500, 0, 500));
    // What was granted serves a call that fits, without asking again.
    acc.reserve(400).await.unwrap();
    assert_eq!(probe.grants(), 2);
}

#[tokio::test]
async fn dropping_a_reservation_releases_it() {
    let probe = Arc::new(Probe::new(10_000));
    let acc = accountant(&probe, 1_000);

    let r = acc.reserve(600).await.unwrap();
    assert_eq!(acc.snapshot().available, 400);
    drop(r);
    let s = acc.snapshot();
    assert_eq!((s.reserved, s.spent, s.available), (0, 0, 1_000));

    let r = acc.reserve(600).await.unwrap();
    acc.release(r);
    assert_eq!(acc.snapshot().available, 1_000);
}

#[tokio::test]
async fn a_cancelled_reserve_strands_no_lease() {
    let probe = Arc::new(Probe {
        delay: Duration::from_millis(100),
        ..Probe::new(10_000)
    });
    let acc = accountant(&probe, 1_000);

    let cancelled = tokio::time::timeout(Duration::from_millis(10), acc.reserve(300)).await;
    assert!(cancelled.is_err());
    assert_eq!(acc.snapshot().reserved, 0);
    // The grant in flight completes and lands in the books; close waits for
    // it and returns the lease.
    acc.close().await.unwrap();
    let s = acc.snapshot();
    assert_eq!((s.granted, s.returned, s.reserved), (1_000, 1_000, 0));
    assert_eq!(probe.inner.outstanding(), 0);
    assert_eq!(probe.inner.remaining(), 10_000);
}

#[tokio::test]
async fn a_cancelled_reserve_keeps_refills_single_flight() {
    let probe = Arc::new(Probe {
        delay: Duration::from_millis(100),
        ..Probe::new(10_000)
    });
    let acc = accountant(&probe, 1_000);

    let cancelled = tokio::time::timeout(Duration::from_millis(10), acc.reserve(300)).await;
    assert!(cancelled.is_err());
    // The next call waits for the grant in flight and uses it.
    let r = acc.reserve(300).await.unwrap();
    assert_eq!(probe.grants(), 1);
    drop(r);
}

#[tokio::test]
async fn overrun_is_recorded_and_taken_from_available() {
    let probe = Arc::new(Probe::new(1_000_000));
    let acc = accountant(&probe, 1_000);

    let r = acc.reserve(100).await.unwrap();
    acc.commit(r, 1_500, None);
    let s = acc.snapshot();
    assert_eq!((s.spent, s.overrun, s.available), (1_500, 1_400, -500));
    assert_eq!(acc.reservable(), -500);

    // Available is negative: the next call refills first. The spent-out lease
    // is settled in the same round trip, asking for this call's need plus
    // the 500 not covered.
    let r = acc.reserve(600).await.unwrap();
    assert_eq!(probe.grants(), 1);
    let sent = probe.settlements();
    assert_eq!((sent[0].spent, sent[0].next_tranche), (1_500, Some(1_100)));
    // The authority granted the new lease knowing of the overrun: all of it
    // can be used.
    assert_eq!(acc.reservable(), 500);
    acc.commit(r, 600, None);
    acc.close().await.unwrap();

    // The authority counts the overrun truthfully, on the lease it ran on.
    assert_eq!(probe.inner.spent(), 2_100);
    let spent: Vec<_> = probe.settlements().iter().map(|s| s.spent).collect();
    assert_eq!(spent, vec![1_500, 600]);
    assert_eq!(probe.inner.outstanding(), 0);
    let s = acc.snapshot();
    assert_eq!((s.granted, s.returned, s.available), (2_100, 500, -500));
}

#[tokio::test]
async fn an_overrun_is_withheld_from_leases_granted_before_it_was_known() {
    // Budget 200 in two leases of 100; a call billed 130 on the first must
    // not let the second be spent in full.
    let probe = Arc::new(Probe::new(200));
    let acc = accountant(&probe, 100);

    let a = acc.reserve(100).await.unwrap();
    let b = acc.reserve(50).await.unwrap();
    acc.commit(a, 130, None);
    assert_eq!(acc.reservable(), 50 - 30);
    let c = acc.reserve(15).await.unwrap();
    // The authority learns of the overrun; the second lease, sized before,
    // keeps 30 aside.
    acc.flush().await.unwrap();
    assert_eq!(acc.reservable(), 5);
    let d = acc.reserve(5).await.unwrap();
    let err = acc.reserve(1).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BudgetExceeded);

    for r in [b, c, d] {
        let amount = r.amount();
        acc.commit(r, amount, None);
    }
    acc.close().await.unwrap();
    assert_eq!(probe.inner.spent(), 200);
    assert_eq!(probe.inner.outstanding(), 0);
}

#[tokio::test]
async fn zero_estimate_calls_still_report_what_they_cost() {
    let probe = Arc::new(Probe::new(10_000));
    let acc = accountant(&probe, 1_000);

    let r = acc.reserve(0).await.unwrap();
    assert_eq!(r.amount(), 0);
    acc.commit(r, 40, None);
    assert_eq!(acc.snapshot().overrun, 40);
    acc.close().await.unwrap();
    assert_eq!(probe.inner.spent(), 40);
}

#[tokio::test]
async fn bad_estimates_are_refused() {
    let probe = Arc::new(Probe::new(10_000));
    let acc = accountant(&probe, 1_000);
    let err = acc.reserve(-1).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert_eq!(probe.grants(), 0);
}

#[tokio::test]
async fn close_returns_the_rest_and_is_idempotent() {
    let probe = Arc::new(Probe::new(10_000));
    let acc = accountant(&probe, 1_000);

    let r = acc.reserve(300).await.unwrap();
    let line = usage(200);
    acc.commit(r, 200, Some(line.clone()));
    acc.close().await.unwrap();

    let s = acc.snapshot();
    assert_eq!(
        (s.granted, s.spent, s.returned, s.reserved, s.available),
        (1_000, 200, 800, 0, 0)
    );
    assert_eq!(probe.inner.spent(), 200);
    assert_eq!(probe.inner.remaining(), 9_800);
    let sent = probe.settlements();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].usage, vec![line]);

    acc.close().await.unwrap();
    assert_eq!(probe.settlements().len(), 1);
    let err = acc.reserve(1).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BudgetExceeded);
    assert!(acc.is_closed());
}

#[tokio::test]
async fn close_waits_for_calls_in_flight() {
    let probe = Arc::new(Probe::new(10_000));
    let acc = Arc::new(accountant(&probe, 1_000));

    let r = acc.reserve(300).await.unwrap();
    let closing = tokio::spawn({
        let acc = Arc::clone(&acc);
        async move { acc.close().await }
    });
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(!closing.is_finished());
    assert!(acc.reserve(1).await.is_err(), "closing refuses new calls");

    acc.commit(r, 250, None);
    closing.await.unwrap().unwrap();
    assert_eq!(probe.inner.spent(), 250);
    assert_eq!(probe.inner.outstanding(), 0);
}

#[tokio::test]
async fn a_spent_lease_settles_with_its_usage_and_refills_in_one_round_trip() {
    let probe = Arc::new(Probe::new(10_000));
    let acc = accountant(&probe, 100);

    let r = acc.reserve(100).await.unwrap();
    let line = usage(100);
    acc.commit(r, 100, Some(line.clone()));
    // The lease is spent out; the next call settles it and gets the next
    // tranche from the same settle.
    let r = acc.reserve(50).await.unwrap();
    assert_eq!(probe.grants(), 1);
    let sent = probe.settlements();
    assert_eq!(sent.len(), 1);
    assert_eq!((sent[0].spent, sent[0].next_tranche), (100, Some(100)));
    assert_eq!(sent[0].usage, vec![line]);
    acc.commit(r, 50, None);
    acc.close().await.unwrap();
    assert_eq!(probe.inner.spent(), 150);
    assert_eq!(acc.snapshot().granted, 200);
}

#[tokio::test]
async fn flush_settles_spent_leases_now() {
    let probe = Arc::new(Probe::new(10_000));
    let acc = accountant(&probe, 100);
    let r = acc.reserve(100).await.unwrap();
    acc.commit(r, 100, None);
    acc.flush().await.unwrap();
    assert_eq!(probe.inner.spent(), 100);
    assert_eq!(probe.inner.outstanding(), 0);
}

#[tokio::test]
async fn an_expired_lease_is_not_reserved_from() {
    let probe = Arc::new(Probe {
        ttl: Some(Duration::from_millis(100)),
        ..Probe::new(10_000)
    });
    let acc = accountant(&probe, 1_000);

    let in_flight = acc.reserve(300).await.unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    // 700 is still free in the first lease, but it has expired.
    let r = acc.reserve(10).await.unwrap();
    assert_eq!(probe.grants(), 2);
    acc.commit(r, 10, None);
    // The call started before expiry is still charged to its lease.
    acc.commit(in_flight, 250, None);
    acc.close().await.unwrap();

    let mut by_lease: Vec<_> = probe.settlements().iter().map(|s| s.spent).collect();
    by_lease.sort();
    assert_eq!(by_lease, vec![10, 250]);
    assert_eq!(probe.inner.spent(), 260);
    assert_eq!(probe.inner.outstanding(), 0);
}

#[tokio::test]
async fn a_lost_settle_response_is_retried_with_the_same_key() {
    let probe = Arc::new(Probe::new(10_000));
    probe.lost_responses.store(2, Ordering::SeqCst);
    let acc = accountant(&probe, 1_000);

    let r = acc.reserve(300).await.unwrap();
    acc.commit(r, 120, None);
    acc.close().await.unwrap();

    let sent = probe.settlements();
    assert_eq!(sent.len(), 3);
    assert!(
        sent.iter()
            .all(|s| s.idempotency_key == sent[0].idempotency_key)
    );
    assert!(uuid::Uuid::parse_str(&sent[0].idempotency_key).is_ok());
    assert_eq!(probe.inner.spent(), 120, "counted once");
    assert_eq!(acc.snapshot().returned, 880);
}

#[tokio::test]
async fn a_settle_that_keeps_failing_is_kept_for_the_next_close() {
    let probe = Arc::new(Probe::new(10_000));
    probe.lost_responses.store(3, Ordering::SeqCst);
    let acc = accountant(&probe, 1_000);

    let r = acc.reserve(300).await.unwrap();
    acc.commit(r, 120, None);
    assert_eq!(
        acc.close().await.unwrap_err().kind(),
        ErrorKind::Unavailable
    );
    acc.close().await.unwrap();
    let sent = probe.settlements();
    assert_eq!(sent.len(), 4);
    assert!(
        sent.iter()
            .all(|s| s.idempotency_key == sent[0].idempotency_key)
    );
    assert_eq!(probe.inner.spent(), 120);
    assert_eq!(acc.snapshot().returned, 880);
}

mod local {
    use super::*;

    fn settlement(lease: &Lease, spent: Micros, key: &str) -> Settlement {
        Settlement {
            lease_id: lease.id.clone(),
            spent,
            usage: Vec::new(),
            idempotency_key: key.into(),
            next_tranche: None,
        }
    }

    #[tokio::test]
    async fn grants_what_is_left_then_refuses() {
        let auth = LocalAuthority::new(1_000);
        let a = auth.grant(600).await.unwrap();
        assert!(a.id.starts_with("lease_"));
        let b = auth.grant(600).await.unwrap();
        assert_eq!((a.amount, b.amount), (600, 400));
        assert_eq!(auth.remaining(), 0);
        let err = auth.grant(1).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BudgetExceeded);
        assert!(err.message().contains("0.001000 USD"), "{}", err.message());
        assert_eq!(
            auth.grant(0).await.unwrap_err().kind(),
            ErrorKind::InvalidRequest
        );
    }

    #[tokio::test]
    async fn settle_is_idempotent_by_key() {
        let auth = LocalAuthority::new(1_000);
        let lease = auth.grant(600).await.unwrap();
        let mut s = settlement(&lease, 250, "k1");
        s.next_tranche = Some(100);
        let first = auth.settle(s.clone()).await.unwrap();
        let again = auth.settle(s).await.unwrap();
        assert_eq!(first.returned, 350);
        assert_eq!(again.returned, 350);
        assert_eq!(first.next, again.next);
        assert_eq!(first.next.as_ref().map(|l| l.amount), Some(100));
        assert_eq!((auth.spent(), auth.outstanding()), (250, 100));

        // A new key for a settled lease is refused, not counted.
        let err = auth
            .settle(settlement(&lease, 250, "k2"))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
        assert_eq!(auth.spent(), 250);
    }

    #[tokio::test]
    async fn an_overrun_is_recorded_in_full() {
        let auth = LocalAuthority::new(1_000);
        let lease = auth.grant(100).await.unwrap();
        let receipt = auth.settle(settlement(&lease, 150, "k")).await.unwrap();
        assert_eq!(receipt.returned, 0);
        assert_eq!((auth.spent(), auth.remaining()), (150, 850));
    }

    #[tokio::test]
    async fn a_persistent_budget_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state").join("budget.json");
        let (open, key) = {
            let auth = LocalAuthority::persistent(&path, 1_000).unwrap();
            let settled = auth.grant(300).await.unwrap();
            let open = auth.grant(200).await.unwrap();
            auth.settle(settlement(&settled, 120, "k")).await.unwrap();
            (open, "k")
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        let auth = LocalAuthority::persistent(&path, 1_000).unwrap();
        assert_eq!(auth.spent(), 120);
        // A lease left open by the dead process stays charged.
        assert_eq!(auth.outstanding(), 200);
        assert_eq!(auth.remaining(), 680);
        // A retried settle after the restart is still recognised...
        let lease = Lease {
            id: "lease_gone".into(),
            amount: 300,
            expires_at: None,
        };
        let replay = auth.settle(settlement(&lease, 120, key)).await.unwrap();
        assert_eq!(replay.returned, 180);
        assert_eq!(auth.spent(), 120);
        // ...and a late settle of the open lease corrects it.
        auth.settle(settlement(&open, 50, "late")).await.unwrap();
        assert_eq!((auth.spent(), auth.outstanding()), (170, 0));

        // A new budget given at start-up replaces the stored one.
        drop(auth);
        let auth = LocalAuthority::persistent(&path, 5_000).unwrap();
        assert_eq!((auth.budget(), auth.remaining()), (5_000, 4_830));
    }

    #[tokio::test]
    async fn an_accountant_over_a_persistent_budget_continues_after_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("budget.json");
        for _ in 0..2 {
            let auth = Arc::new(LocalAuthority::persistent(&path, 1_000).unwrap());
            let acc = Accountant::new(Arc::clone(&auth) as Arc<dyn BudgetAuthority>, 1_000);
            let r = acc.reserve(400).await.unwrap();
            acc.commit(r, 400, None);
            acc.close().await.unwrap();
        }
        let auth = Arc::new(LocalAuthority::persistent(&path, 1_000).unwrap());
        assert_eq!(auth.spent(), 800);
        let acc = Accountant::new(Arc::clone(&auth) as Arc<dyn BudgetAuthority>, 1_000);
        let err = acc.reserve(400).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BudgetExceeded);
    }

    #[test]
    fn a_corrupt_file_is_a_clear_config_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("budget.json");
        for bad in [
            "",
            "{not json",
            r#"{"version":1,"budget":1,"spent":-5,"leases":{},"receipts":{}}"#,
        ] {
            std::fs::write(&path, bad).unwrap();
            let err = LocalAuthority::persistent(&path, 1_000).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidConfig);
            assert!(err.message().contains("corrupt"), "{}", err.message());
            assert!(err.message().contains("budget.json"), "{}", err.message());
            // The corrupt file is left for the operator, not overwritten.
            assert_eq!(std::fs::read_to_string(&path).unwrap(), bad);
        }
    }
}
