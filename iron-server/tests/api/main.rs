//! HTTP tests against a real `iron serve` process, each on SQLite and on
//! PostgreSQL.

mod common;

mod audit_chain;
mod cli;
mod secrets;
mod workflows;
