//! Iron Cage control plane: the admin REST API behind `iron serve`, its
//! storage, vault and audit trail, and the `iron` admin CLI.

pub mod anomaly;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod control;
pub mod crypto;
pub mod dashboard;
pub mod db;
pub mod error;
pub mod extract;
pub mod ids;
pub mod ledger;
pub mod models;
pub mod money;
pub mod openapi;
pub mod pagination;
pub mod providers;
pub mod ratelimit;
pub mod routes;
pub mod sdk;
pub mod server;
pub mod settings;
pub mod state;
pub mod telemetry;
pub mod time;
pub mod tracing_otlp;
pub mod webhooks;
