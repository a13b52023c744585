//! Iron Cage engine.
//!
//! Every front end (Python, Node, the Rust API) wraps [`Runtime`]; none
//! re-implements what lives here. Capabilities are organised by module, each
//! behind a trait where more than one implementation exists or is planned.

pub mod accounting;
pub mod budget;
pub mod error;
pub mod events;
pub mod gateway;
pub(crate) mod glob;
pub mod money;
pub mod options;
pub mod provider;
pub mod reliability;
pub mod remote;
pub mod runtime;
pub mod safety;
pub mod secrets;
pub mod tools;

pub use error::{Error, ErrorKind, Result};
pub use money::Micros;
pub use options::RuntimeOptions;
pub use runtime::{Runtime, RuntimeBuilder};
