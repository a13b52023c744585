//! HTTP tests against a real `iron serve` process, each on SQLite and on
//! PostgreSQL.

mod common;

mod audit_chain;
mod authz;
mod bad_input;
mod cli;
mod dashboard;
mod lifecycle;
mod openapi;
mod secrets;
mod workflows;
