//! The local accountant: reserves a call's worst-case cost from the current
//! lease before the call, commits the actual cost after, refills from the
//! authority when short, and settles leases with what was really spent.
//!
//! Concurrency: the books ([`Ledger`]) sit behind a std mutex that is never
//! held across an await, so the fast path does no I/O and no allocation
//! beyond one small vector. All I/O with the authority (refills and
//! settlements) goes through one tokio mutex: when 200 tasks find the lease
//! short at once, one refills and the rest re-check afterwards instead of
//! each calling the authority.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use tokio::sync::{Notify, OwnedMutexGuard};

use super::authority::{BudgetAuthority, Lease, UsageLine, settle_with_retry};
use super::ledger::{Ledger, Piece};
use crate::error::{Error, ErrorKind, Result};
use crate::money::{Micros, micros_to_usd_string};

/// The accountant's totals. `available = granted - spent - reserved -
/// returned` is the balance of the books: negative by the overruns beyond
/// leases. What a call can reserve right now is [`Accountant::reservable`]:
/// it excludes the unspent rest of leases waiting to settle, and stops
/// counting an overrun once the authority has acknowledged it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BudgetSnapshot {
    pub granted: Micros,
    pub spent: Micros,
    pub reserved: Micros,
    pub available: Micros,
    pub returned: Micros,
    /// Sum of actual costs beyond their reservations (included in `spent`).
    pub overrun: Micros,
}

/// Shared by the accountant, its outstanding [`Reservation`]s (which release
/// themselves on drop) and detached grant tasks.
#[derive(Debug)]
struct Shared {
    ledger: Mutex<Ledger>,
    /// Signalled when the last reservation ends after close.
    drained: Notify,
    authority: Arc<dyn BudgetAuthority>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Ledger> {
        // Ledger updates cannot panic half-way; a poisoned lock still holds
        // consistent books, and refusing them would leak reservations.
        self.ledger.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn finish(&self, pieces: &[Piece], actual: Option<Micros>, usage: Option<UsageLine>) {
        let drained = self.lock().finish(pieces, actual, usage);
        if drained {
            self.drained.notify_waiters();
        }
    }

    fn admit(&self, lease: Lease) -> Micros {
        if lease.amount > 0 && lease.is_expired(SystemTime::now()) {
            tracing::warn!(lease = %lease.id, "lease expired on arrival; is the clock skewed?");
        }
        self.lock().admit(lease)
    }

    /// Grants and admits in one step that outlives a cancelled caller: a
    /// grant has no idempotency key, so a lease dropped in flight would stay
    /// charged at the authority until it expires. The task holds the
    /// single-flight guard until the lease is in the books, so `close` cannot
    /// finish before it; the guard is handed back when the caller is still
    /// there.
    async fn grant(
        self: &Arc<Self>,
        want: Micros,
        single_flight: OwnedMutexGuard<()>,
    ) -> (Option<OwnedMutexGuard<()>>, Result<Micros>) {
        let shared = Arc::clone(self);
        let grant = async move {
            let granted = match shared.authority.grant(want).await {
                Ok(lease) => Ok(shared.admit(lease)),
                Err(e) => Err(e),
            };
            (single_flight, granted)
        };
        if tokio::runtime::Handle::try_current().is_err() {
            let (guard, granted) = grant.await;
            return (Some(guard), granted);
        }
        match tokio::spawn(grant).await {
            Ok((guard, granted)) => (Some(guard), granted),
            Err(e) => (
                None,
                Err(Error::internal(format!("the lease grant task failed: {e}"))),
            ),
        }
    }

    /// Sends queued settlements in order and stops at the first failure
    /// (it stays queued, with its key, for the next attempt). Leases granted
    /// with the receipts are admitted; their usable amount is added to
    /// `usable`.
    async fn send_outbox(&self, next_tranche: Option<Micros>, usable: &mut Micros) -> Result<()> {
        let batch = self.lock().outbox(next_tranche);
        for settlement in batch {
            self.lock().mark_sent(&settlement.lease_id);
            match settle_with_retry(self.authority.as_ref(), &settlement).await {
                Ok(receipt) => {
                    self.lock().ack(&settlement.lease_id, &receipt);
                    if let Some(lease) = receipt.next {
                        *usable += self.admit(lease);
                    }
                }
                Err(e) => {
                    tracing::warn!(lease = %settlement.lease_id, error = %e, "lease settlement failed; kept for retry");
                    return Err(e);
                }
            }
        }
        Ok(())
    }
}

/// Governs spending against a [`BudgetAuthority`]. Share it as
/// `Arc<Accountant>`.
pub struct Accountant {
    shared: Arc<Shared>,
    tranche: Micros,
    /// Single flight for every call to the authority.
    io: Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for Accountant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accountant")
            .field("authority", &self.shared.authority)
            .field("tranche", &self.tranche)
            .field("snapshot", &self.snapshot())
            .finish()
    }
}

/// A call's worst-case cost, held until [`Accountant::commit`] or
/// [`Accountant::release`]. Dropping it releases it, so a cancelled call
/// cannot leak budget.
pub struct Reservation {
    shared: Arc<Shared>,
    pieces: Vec<Piece>,
    amount: Micros,
    /// False once committed or released.
    live: bool,
}

impl Reservation {
    pub fn amount(&self) -> Micros {
        self.amount
    }

    fn end(mut self, actual: Option<Micros>, usage: Option<UsageLine>) {
        self.live = false;
        self.shared.finish(&self.pieces, actual, usage);
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if self.live {
            self.live = false;
            self.shared.finish(&self.pieces, None, None);
        }
    }
}

impl std::fmt::Debug for Reservation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reservation")
            .field("amount", &self.amount)
            .field("pieces", &self.pieces)
            .finish()
    }
}

impl Accountant {
    /// `tranche`: how much to ask the authority for per refill (a refill asks
    /// for more when one call needs more).
    pub fn new(authority: Arc<dyn BudgetAuthority>, tranche: Micros) -> Self {
        Self {
            shared: Arc::new(Shared {
                ledger: Mutex::default(),
                drained: Notify::new(),
                authority,
            }),
            tranche,
            io: Arc::default(),
        }
    }

    /// Reserves `estimate` from the local lease; if the lease is short,
    /// refills from the authority synchronously (awaits) before returning.
    /// `Err(BudgetExceeded)` if the authority cannot cover it; other errors
    /// from the authority (revoked key, paused project, unreachable) pass
    /// through unchanged. A failed grant is not retried here: grants carry no
    /// idempotency key, so a blind retry could strand a lease on the server.
    pub async fn reserve(&self, estimate: Micros) -> Result<Reservation> {
        if estimate < 0 {
            return Err(Error::invalid_request(format!(
                "a cost estimate must be >= 0, got {estimate} micro-USD"
            )));
        }
        if let Some(pieces) = self.shared.lock().try_reserve(estimate)? {
            return Ok(self.reservation(pieces, estimate));
        }
        let mut single_flight = Some(Arc::clone(&self.io).lock_owned().await);
        // Filled across refills, so capacity this task brought in cannot be
        // taken by others while it waits for the rest; released if it fails.
        self.shared.lock().begin();
        let mut held = self.reservation(Vec::new(), 0);
        loop {
            let want = {
                let mut ledger = self.shared.lock();
                ledger.ensure_open()?;
                ledger.retire_expired();
                held.amount += ledger.take(&mut held.pieces, estimate - held.amount);
                if held.amount == estimate && !held.pieces.is_empty() {
                    return Ok(held);
                }
                // Ask for the missing part plus any uncovered overrun.
                let shortfall = (estimate - held.amount) - ledger.reservable().min(0);
                self.tranche.max(shortfall).max(1)
            };
            match self.refill(want, &mut single_flight).await {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::BudgetExceeded => {
                    let left = self.shared.lock().reservable() + held.amount;
                    return Err(Error::budget_exceeded(format!(
                        "this call needs up to {} USD but only {} USD is left ({})",
                        micros_to_usd_string(estimate),
                        micros_to_usd_string(left.max(0)),
                        e.message()
                    )));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Records the actual cost of a reserved call and frees the rest of the
    /// reservation (sync, no I/O). A cost above the reservation is recorded as
    /// overrun and taken from what is available. `usage` is sent with the next
    /// settlement. A negative `actual` counts as 0.
    pub fn commit(&self, reservation: Reservation, actual: Micros, usage: Option<UsageLine>) {
        reservation.end(Some(actual), usage);
    }

    /// Frees a reservation unused (call failed / refused upstream).
    pub fn release(&self, reservation: Reservation) {
        reservation.end(None, None);
    }

    pub fn snapshot(&self) -> BudgetSnapshot {
        self.shared.lock().snapshot()
    }

    /// What a call can reserve now without a refill; negative while an
    /// overrun the authority has not acknowledged exceeds the leases held.
    pub fn reservable(&self) -> Micros {
        let mut ledger = self.shared.lock();
        ledger.retire_expired();
        ledger.reservable()
    }

    pub fn is_closed(&self) -> bool {
        self.shared.lock().is_closed()
    }

    /// Refuses every new reservation with `error` from now on, even while
    /// leases still hold money (the authority revoked the key or paused the
    /// project). Reservations already made run to their commit or release;
    /// leases are settled as usual. A later halt replaces this one.
    pub fn halt(&self, error: &Error) {
        tracing::warn!(error = %error, "budget halted: new calls are refused");
        self.shared.lock().halt(error);
    }

    /// Lifts a halt whose error code ([`Error::code`]) is `code`, e.g.
    /// `project_paused` when the project is resumed; any other halt (a
    /// revoked key) stays. Returns whether a halt was lifted.
    pub fn resume(&self, code: &str) -> bool {
        let lifted = self.shared.lock().resume(code);
        if lifted {
            tracing::info!(code, "budget halt lifted");
        }
        lifted
    }

    /// The kind of the current halt, if any.
    pub fn halted(&self) -> Option<ErrorKind> {
        self.shared.lock().halted()
    }

    /// Sends the settlements of leases that are spent out or expired now,
    /// rather than with the next refill or at close. Retryable failures are
    /// retried with the same idempotency key; a settlement that still fails
    /// stays queued and the error is returned.
    pub async fn flush(&self) -> Result<()> {
        let _single_flight = self.io.lock().await;
        self.shared.send_outbox(None, &mut 0).await
    }

    /// Settles every lease with what was spent and returns the rest to the
    /// authority. Waits for in-flight reservations to be committed, released
    /// or dropped (wrap in `tokio::time::timeout` for a deadline; leases left
    /// unsettled are then charged in full by the authority until settled).
    /// Idempotent, and safe to call again after an error; `reserve()` after
    /// close fails with `BudgetExceeded`.
    pub async fn close(&self) -> Result<()> {
        self.shared.lock().close();
        loop {
            let drained = self.shared.drained.notified();
            tokio::pin!(drained);
            // Registered before the check, so a wake-up in between is kept.
            drained.as_mut().enable();
            if self.shared.lock().live_reservations() == 0 {
                break;
            }
            drained.await;
        }
        let _single_flight = self.io.lock().await;
        // A receipt may carry a lease asked for before close; it is admitted
        // retired and settled in the next round.
        for _ in 0..4 {
            self.shared.send_outbox(None, &mut 0).await?;
            if !self.shared.lock().has_outbox() {
                return Ok(());
            }
        }
        Err(Error::internal(
            "the budget authority kept granting leases while the accountant was closing",
        ))
    }

    fn reservation(&self, pieces: Vec<Piece>, amount: Micros) -> Reservation {
        Reservation {
            shared: Arc::clone(&self.shared),
            pieces,
            amount,
            live: true,
        }
    }

    /// Brings in at least one usable lease: settles waiting leases first,
    /// asking for the next tranche in the same round trip, and grants
    /// separately if that brought nothing. `single_flight` is the caller's
    /// guard; it is `None` only after a failure.
    async fn refill(
        &self,
        want: Micros,
        single_flight: &mut Option<OwnedMutexGuard<()>>,
    ) -> Result<()> {
        let mut usable = 0;
        // A failed settlement stays queued; it must not block the refill.
        let _ = self.shared.send_outbox(Some(want), &mut usable).await;
        if usable == 0 {
            let Some(guard) = single_flight.take() else {
                return Err(Error::internal("refill without the single-flight guard"));
            };
            let (guard, granted) = self.shared.grant(want, guard).await;
            *single_flight = guard;
            usable = granted?;
        }
        if usable == 0 {
            return Err(Error::budget_exceeded(
                "the budget authority granted nothing usable",
            ));
        }
        Ok(())
    }
}
