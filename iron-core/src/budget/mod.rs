//! Budget: the local accountant and the authorities it draws leases from.
//!
//! Per governed call the gateway reserves the worst-case cost
//! ([`Accountant::reserve`]), forwards, then commits the actual cost
//! ([`Accountant::commit`]) or releases the reservation. The accountant holds
//! leases granted by a [`BudgetAuthority`] (iron-server, or
//! [`LocalAuthority`] for self-managed use), refills when short, and settles
//! each lease with what was spent through it.
//!
//! Invariant: `spent + reserved <= granted - returned` at every instant,
//! unless a provider billed more than a call's reservation; that excess is
//! recorded as `overrun` and taken from what is available (which may go
//! negative and forces a refill before the next reservation).

mod accountant;
mod authority;
mod ledger;
mod local;

pub use accountant::{Accountant, BudgetSnapshot, Reservation};
pub use authority::{
    BudgetAuthority, Lease, MAX_USAGE_LINES, SettleReceipt, Settlement, UsageLine,
};
pub use local::LocalAuthority;

#[cfg(test)]
mod tests;
