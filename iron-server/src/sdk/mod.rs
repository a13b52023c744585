//! The SDK protocol (docs/sdk-protocol.md): what iron-core's client calls
//! with an `ic_` key. Handlers stay thin; money moves in `crate::ledger`.

pub mod auth;
pub mod control;
pub mod routes;
mod usage;

pub use auth::SdkCaller;
