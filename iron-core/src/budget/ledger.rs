//! The accountant's books: synchronous and free of I/O, so every change
//! happens under one short std-mutex critical section.
//!
//! Each granted lease is a slot. A reservation draws *pieces* from live slots,
//! oldest first (FIFO), and its newest slot is its *home*. On commit the actual
//! cost fills the pieces in order; anything beyond the reservation (an
//! overrun) is charged to the home slot, so each lease reports what was really
//! spent through it. A slot stops lending when it expires, is spent out, or the
//! accountant closes; once no reservation holds it, its settlement is built
//! (with a fresh idempotency key that every retry reuses) and waits in the
//! outbox until the authority acknowledges it.
//!
//! Overruns: until the authority has acknowledged a settlement, its excess
//! beyond the lease weighs on what may be reserved (forcing a refill first).
//! Once acknowledged, the authority's later grants already account for it, so
//! it is withheld only from leases granted before (they were sized without
//! it); charging it to later leases too would refuse calls the budget covers.

use std::collections::VecDeque;
use std::time::SystemTime;

use super::accountant::BudgetSnapshot;
use super::authority::{Lease, MAX_USAGE_LINES, SettleReceipt, Settlement, UsageLine};
use crate::error::{Error, ErrorKind, Result};
use crate::money::Micros;

/// Part of a reservation drawn from one lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Piece {
    pub seq: u64,
    pub amount: Micros,
}

#[derive(Debug)]
enum SlotState {
    /// Reservations may draw from it.
    Live,
    /// Lends no more; settles once no reservation holds it.
    Retired,
    /// Final account built; waits for the authority's receipt. `sent` freezes
    /// the settlement: a retry must carry exactly what the first attempt did.
    Settling { settlement: Settlement, sent: bool },
}

#[derive(Debug)]
struct Slot {
    seq: u64,
    lease: Lease,
    reserved: Micros,
    spent: Micros,
    /// Reservations with a piece in this slot.
    holders: u32,
    /// Not to be lent: covers an overrun on an older lease (returned at settle).
    withheld: Micros,
    state: SlotState,
}

impl Slot {
    /// Negative after an overrun charged here.
    fn free(&self) -> Micros {
        self.lease.amount - self.reserved - self.spent - self.withheld
    }
}

#[derive(Debug, Default)]
pub(super) struct Ledger {
    /// Leases not yet acknowledged as settled, in grant order.
    slots: VecDeque<Slot>,
    next_seq: u64,
    granted: Micros,
    spent: Micros,
    reserved: Micros,
    returned: Micros,
    overrun: Micros,
    live_reservations: usize,
    /// Usage lines not yet placed in a settlement.
    usage: Vec<UsageLine>,
    closed: bool,
    /// Set while the authority has stopped this holder (key revoked, project
    /// paused): every new reservation is refused with it, leases or not.
    halt: Option<Halt>,
}

/// Why reservations are refused until lifted; kept as parts because
/// [`Error`] is not `Clone`.
#[derive(Debug, Clone)]
struct Halt {
    kind: ErrorKind,
    code: &'static str,
    message: String,
}

impl Ledger {
    pub fn ensure_open(&self) -> Result<()> {
        if self.closed {
            return Err(Error::budget_exceeded(
                "the budget session is closed; no further calls can be reserved",
            ));
        }
        if let Some(h) = &self.halt {
            return Err(Error::new(h.kind, h.message.clone()).with_code(h.code));
        }
        Ok(())
    }

    /// Refuses every new reservation with `error` (replacing an earlier halt).
    pub fn halt(&mut self, error: &Error) {
        self.halt = Some(Halt {
            kind: error.kind(),
            code: error.code(),
            message: error.message().to_string(),
        });
    }

    /// Lifts a halt whose error code is `code`; any other halt stays.
    pub fn resume(&mut self, code: &str) -> bool {
        let lifted = self.halt.as_ref().is_some_and(|h| h.code == code);
        if lifted {
            self.halt = None;
        }
        lifted
    }

    pub fn halted(&self) -> Option<ErrorKind> {
        self.halt.as_ref().map(|h| h.kind)
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// What a reservation may take now: free capacity of live leases, less
    /// overruns the authority does not know of yet. Negative while in deficit.
    pub fn reservable(&self) -> Micros {
        self.slots
            .iter()
            .map(|s| match s.state {
                SlotState::Live => s.free(),
                _ => s.free().min(0),
            })
            .sum()
    }

    fn has_live(&self) -> bool {
        self.slots
            .iter()
            .any(|s| matches!(s.state, SlotState::Live))
    }

    /// Stops lending from expired leases. Reads the clock only when a lease
    /// can expire.
    pub fn retire_expired(&mut self) {
        let mut now = None;
        for i in 0..self.slots.len() {
            let slot = &self.slots[i];
            if !matches!(slot.state, SlotState::Live) || slot.lease.expires_at.is_none() {
                continue;
            }
            if slot
                .lease
                .is_expired(*now.get_or_insert_with(SystemTime::now))
            {
                self.slots[i].state = SlotState::Retired;
                self.promote(i);
            }
        }
    }

    /// Reserves all of `estimate` or nothing. `None` when a refill is needed.
    pub fn try_reserve(&mut self, estimate: Micros) -> Result<Option<Vec<Piece>>> {
        self.ensure_open()?;
        self.retire_expired();
        if self.reservable() < estimate || !self.has_live() {
            return Ok(None);
        }
        let mut pieces = Vec::with_capacity(1);
        self.begin();
        let taken = self.take(&mut pieces, estimate);
        debug_assert_eq!(taken, estimate);
        Ok(Some(pieces))
    }

    /// Counts a reservation that is about to be filled piece by piece.
    pub fn begin(&mut self) {
        self.live_reservations += 1;
    }

    /// Moves up to `want` into `pieces`, oldest lease first, never beyond what
    /// is reservable, and gives the reservation a home lease even when `want`
    /// is 0 (an overrun needs a lease to be reported through). Returns what
    /// was taken.
    pub fn take(&mut self, pieces: &mut Vec<Piece>, want: Micros) -> Micros {
        let mut left = want.min(self.reservable()).max(0);
        let mut taken = 0;
        for slot in self.slots.iter_mut() {
            if left == 0 {
                break;
            }
            if !matches!(slot.state, SlotState::Live) {
                continue;
            }
            let t = slot.free().min(left);
            if t <= 0 {
                continue;
            }
            slot.reserved += t;
            left -= t;
            taken += t;
            add_piece(pieces, slot, t);
        }
        if pieces.is_empty()
            && let Some(slot) = self
                .slots
                .iter_mut()
                .rev()
                .find(|s| matches!(s.state, SlotState::Live))
        {
            add_piece(pieces, slot, 0);
        }
        self.reserved += taken;
        taken
    }

    /// Ends a reservation: `actual` is `Some` for a commit, `None` for a
    /// release. Returns true when the accountant is closed and this was the
    /// last reservation.
    pub fn finish(
        &mut self,
        pieces: &[Piece],
        actual: Option<Micros>,
        usage: Option<UsageLine>,
    ) -> bool {
        if let Some(line) = usage {
            self.usage.push(line);
        }
        // A negative cost is nonsense from upstream; never let it mint budget.
        let actual = actual.unwrap_or(0).max(0);
        let held: Micros = pieces.iter().map(|p| p.amount).sum();
        let mut unattributed = actual;
        for (k, piece) in pieces.iter().enumerate() {
            let Some(i) = self.slots.iter().position(|s| s.seq == piece.seq) else {
                debug_assert!(false, "a held lease is never settled");
                continue;
            };
            let mut spend = unattributed.min(piece.amount);
            if k + 1 == pieces.len() {
                // The home lease carries any overrun.
                spend = unattributed;
            }
            unattributed -= spend;
            let slot = &mut self.slots[i];
            slot.reserved -= piece.amount;
            slot.holders -= 1;
            slot.spent += spend;
            self.promote(i);
        }
        debug_assert!(unattributed == 0 || pieces.is_empty());
        self.reserved -= held;
        self.spent += actual;
        self.overrun += (actual - held).max(0);
        self.live_reservations -= 1;
        self.rotate_if_usage_piles_up();
        self.closed && self.live_reservations == 0
    }

    /// A settlement carries at most [`MAX_USAGE_LINES`]: when that many
    /// wait, the oldest live lease is retired so it settles soon, instead of
    /// lines piling up beyond what settlements can carry.
    fn rotate_if_usage_piles_up(&mut self) {
        let pending = |s: &Slot| {
            matches!(
                s.state,
                SlotState::Retired | SlotState::Settling { sent: false, .. }
            )
        };
        if self.usage.len() < MAX_USAGE_LINES || self.slots.iter().any(pending) {
            return;
        }
        if let Some(i) = self
            .slots
            .iter()
            .position(|s| matches!(s.state, SlotState::Live))
        {
            self.slots[i].state = SlotState::Retired;
            self.promote(i);
        }
    }

    /// Retires a spent-out slot and builds the settlement of a retired slot
    /// nobody holds.
    fn promote(&mut self, i: usize) {
        let slot = &mut self.slots[i];
        if matches!(slot.state, SlotState::Live) && slot.spent >= slot.lease.amount {
            slot.state = SlotState::Retired;
        }
        if matches!(slot.state, SlotState::Retired) && slot.holders == 0 {
            slot.state = SlotState::Settling {
                settlement: Settlement {
                    lease_id: slot.lease.id.clone(),
                    spent: slot.spent,
                    usage: {
                        let n = self.usage.len().min(MAX_USAGE_LINES);
                        self.usage.drain(..n).collect()
                    },
                    idempotency_key: uuid::Uuid::now_v7().to_string(),
                    next_tranche: None,
                },
                sent: false,
            };
        }
    }

    /// Adds a granted lease; returns how much of it can be reserved.
    pub fn admit(&mut self, mut lease: Lease) -> Micros {
        lease.amount = lease.amount.max(0);
        let usable = !self.closed && !lease.is_expired(SystemTime::now());
        let amount = lease.amount;
        self.granted += amount;
        self.slots.push_back(Slot {
            seq: self.next_seq,
            lease,
            reserved: 0,
            spent: 0,
            holders: 0,
            withheld: 0,
            state: if usable {
                SlotState::Live
            } else {
                SlotState::Retired
            },
        });
        self.next_seq += 1;
        let i = self.slots.len() - 1;
        self.promote(i);
        if usable { amount } else { 0 }
    }

    /// Settlements waiting for the authority, oldest first. The first one not
    /// yet sent carries `next_tranche` (settle and refill in one round trip).
    pub fn outbox(&mut self, next_tranche: Option<Micros>) -> Vec<Settlement> {
        let mut ask = next_tranche;
        let mut out = Vec::new();
        for slot in self.slots.iter_mut() {
            if let SlotState::Settling { settlement, sent } = &mut slot.state {
                if !*sent && let Some(want) = ask.take() {
                    settlement.next_tranche = Some(want);
                }
                out.push(settlement.clone());
            }
        }
        out
    }

    /// Freezes a settlement before its first attempt.
    pub fn mark_sent(&mut self, lease_id: &str) {
        for slot in self.slots.iter_mut() {
            if let SlotState::Settling { settlement, sent } = &mut slot.state
                && settlement.lease_id == lease_id
            {
                *sent = true;
            }
        }
    }

    pub fn has_outbox(&self) -> bool {
        self.slots
            .iter()
            .any(|s| matches!(s.state, SlotState::Settling { .. }))
    }

    /// Records the authority's receipt; a duplicate receipt changes nothing.
    pub fn ack(&mut self, lease_id: &str, receipt: &SettleReceipt) {
        let Some(i) = self
            .slots
            .iter()
            .position(|s| matches!(s.state, SlotState::Settling { .. }) && s.lease.id == lease_id)
        else {
            return;
        };
        let Some(slot) = self.slots.remove(i) else {
            return;
        };
        self.returned += receipt.returned.clamp(0, slot.lease.amount);
        let mut excess = slot.spent - slot.lease.amount;
        for live in self.slots.iter_mut() {
            if excess <= 0 {
                break;
            }
            if matches!(live.state, SlotState::Live) {
                let w = live.free().clamp(0, excess);
                live.withheld += w;
                excess -= w;
            }
        }
    }

    /// Stops all lending; leases settle as their reservations end.
    pub fn close(&mut self) {
        self.closed = true;
        for i in 0..self.slots.len() {
            if matches!(self.slots[i].state, SlotState::Live) {
                self.slots[i].state = SlotState::Retired;
            }
            self.promote(i);
        }
    }

    pub fn live_reservations(&self) -> usize {
        self.live_reservations
    }

    pub fn snapshot(&self) -> BudgetSnapshot {
        BudgetSnapshot {
            granted: self.granted,
            spent: self.spent,
            reserved: self.reserved,
            available: self.granted - self.spent - self.reserved - self.returned,
            returned: self.returned,
            overrun: self.overrun,
        }
    }
}

/// Adds `amount` to the reservation's piece in `slot`, keeping pieces in
/// lease order so the last one is the home.
fn add_piece(pieces: &mut Vec<Piece>, slot: &mut Slot, amount: Micros) {
    match pieces.binary_search_by_key(&slot.seq, |p| p.seq) {
        Ok(k) => pieces[k].amount += amount,
        Err(k) => {
            slot.holders += 1;
            pieces.insert(
                k,
                Piece {
                    seq: slot.seq,
                    amount,
                },
            );
        }
    }
}
