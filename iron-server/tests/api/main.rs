//! HTTP tests against a real `iron serve` process, each on SQLite and on
//! PostgreSQL.

mod common;

mod admin_edits;
mod analytics;
mod audit_chain;
mod authz;
mod bad_input;
mod cli;
mod dashboard;
mod lifecycle;
mod openapi;
mod operations;
mod sdk;
mod sdk_control;
mod sdk_load;
mod sdk_support;
mod secrets;
mod webhooks;
mod workflows;
