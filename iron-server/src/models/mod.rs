//! Rows and the queries over them, one module per resource.

pub mod alert;
pub mod audit;
pub mod budget_request;
pub mod ic_key;
pub mod idempotency;
pub mod lease;
pub mod project;
pub mod provider;
pub mod session;
pub mod usage;
pub mod user;
