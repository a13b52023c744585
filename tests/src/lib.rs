//! Test support for Iron Cage.
//!
//! The fake LLM provider is a real HTTP server imitating OpenAI and Anthropic
//! (JSON and SSE) with scripted failures per API key; it is the only fake the
//! project's tests may use. See `fake_provider` and the `fake-provider` binary.

pub mod fake_provider;
pub mod iron_server;

pub use fake_provider::{
    FakeProvider, Outcome, RecordedRequest, Script, Stats, ToolCall, fake_key,
};
pub use iron_server::{Admin, IronServer, ProjectKey, iron_binary, spawn_iron};
