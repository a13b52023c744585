//! Structured events: every governed call emits an `llm.call` event; guards
//! and the budget add their own. Sinks are pluggable ([`EventSink`]): JSON
//! lines on disk for local use, memory for bindings, the server for remote mode.

mod sinks;
mod timestamp;

pub use sinks::{FanoutSink, JsonLinesSink, MemorySink};
pub use timestamp::rfc3339;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::money::{Micros, micros_to_usd_string};

/// One event: a dotted type (`llm.call`, `budget.refill`, ...), a UTC
/// timestamp and type-specific fields at the top level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    #[serde(rename = "type")]
    pub kind: String,
    pub timestamp: String,
    #[serde(flatten)]
    pub data: Map<String, Value>,
}

impl Event {
    /// An event stamped now, with fields from any serialisable struct.
    pub fn new(kind: impl Into<String>, data: impl Serialize) -> Self {
        match serde_json::to_value(data) {
            Ok(value) => Self::from_value(kind, value),
            Err(e) => Self::from_value(
                kind,
                Value::Object(Map::from_iter([(
                    "serialize_error".to_string(),
                    e.to_string().into(),
                )])),
            ),
        }
    }

    /// An event stamped now whose fields are already JSON (`json!({...})`):
    /// taken as they are, where [`Event::new`] would copy them.
    pub fn from_value(kind: impl Into<String>, data: Value) -> Self {
        let data = match data {
            Value::Object(map) => map,
            other => Map::from_iter([("value".to_string(), other)]),
        };
        Self {
            kind: kind.into(),
            timestamp: rfc3339(std::time::SystemTime::now()),
            data,
        }
    }

    /// The event ready to hand to an [`EventSink`].
    pub fn shared(self) -> Arc<Event> {
        Arc::new(self)
    }

    pub fn field(&self, name: &str) -> Option<&Value> {
        self.data.get(name)
    }
}

/// The fields of an `llm.call` event: one per governed call (after all
/// retries and fallbacks), whatever its outcome.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LlmCall {
    pub provider: String,
    pub api: String,
    pub model: String,
    pub stream: bool,
    pub input_tokens: u64,
    pub cached_input_tokens: u64,
    pub output_tokens: u64,
    pub cost_micros: Micros,
    pub cost_usd: String,
    pub reserved_micros: Micros,
    pub latency_ms: u64,
    pub attempts: u32,
    /// `ok`, `aborted`, or the error code that ended the call.
    pub outcome: String,
    /// Where the output token count came from: `usage`, `counted`, or `none`.
    pub usage_source: String,
}

impl LlmCall {
    pub fn cost(mut self, micros: Micros) -> Self {
        self.cost_micros = micros;
        self.cost_usd = micros_to_usd_string(micros);
        self
    }
}

/// Receives events. `emit` must return quickly and never fail the call:
/// sinks buffer and do their I/O elsewhere. Events are shared, not copied:
/// a sink that keeps one keeps the `Arc` (emitting is on every call's path).
pub trait EventSink: Send + Sync + std::fmt::Debug {
    fn emit(&self, event: Arc<Event>);
}
