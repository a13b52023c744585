//! Remote mode: iron-core's client of iron-server's SDK protocol (the wire
//! contract is docs/sdk-protocol.md). A handshake opens a session and
//! brings the project's provider keys (memory only) and policy; then
//! [`RemoteAuthority`] draws leases, [`RemoteEventSink`] ships events,
//! and [`ControlListener`] halts the accountant the moment the server says
//! the key was revoked or the project paused.
//! [`crate::RuntimeBuilder::remote`] wires all of it.

mod authority;
mod client;
mod control;
mod events;
mod policy;
mod secrets;
mod wire;

pub use authority::RemoteAuthority;
pub use client::{Backoff, RemoteClient};
pub use control::ControlListener;
pub use events::RemoteEventSink;
pub use secrets::RemoteSecrets;
pub use wire::{
    BudgetState, Handshake, LeaseTerms, PiiMode, ProviderCredential, RemotePolicy,
    RemoteToolPolicy, Severity,
};
