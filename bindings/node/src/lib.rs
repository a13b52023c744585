//! Node.js bindings of the Iron Cage runtime. Everything that decides lives
//! in iron-core; this crate converts types and errors and moves blocking or
//! async core work off the JavaScript thread (onto napi's Tokio runtime).
//! The JavaScript layer (`lib/`) adds the ergonomics: options, `run()`,
//! error classes.

#![deny(clippy::all)]

mod config;
mod errors;
mod runtime;
