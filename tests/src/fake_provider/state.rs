//! Per-tenant state: scripted behaviour queues and the request log.
//!
//! Tests share one fake and run in parallel, so everything is keyed by the
//! API key a request presents; a test that uses its own key sees only its own
//! requests and consumes only its own script.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One scripted behaviour, consumed by one request. Fields combine: the delay
/// happens first, then a drop or an error status, else a normal answer shaped
/// by the remaining fields.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Script {
    /// Answer with this HTTP status in the provider's error format (>= 400).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Seconds for the `retry-after` header of an error answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Wait this long before answering (or dropping).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// Close the TCP connection without sending any response.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub drop: bool,
    /// Streaming only: send this many content chunks, then abort the connection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_drop_after: Option<usize>,
    /// Leave usage out of the answer, even when the client asked for it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub omit_usage: bool,
    /// Reply with this text instead of the default sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    /// Reply with a tool call instead of text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_call: Option<ToolCall>,
    /// Streaming only: wait this long before each content chunk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chunk_delay_ms: Option<u64>,
    /// Stay at the head of the queue: applies to every later request of the key.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sticky: bool,
}

/// A scripted tool call: the function name and its JSON arguments.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolCall {
    pub name: String,
    #[serde(default)]
    pub arguments: Value,
}

// Builders, so Rust tests read like the JSON they mirror.
impl Script {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }
    pub fn delay_ms(mut self, ms: u64) -> Self {
        self.delay_ms = Some(ms);
        self
    }
    pub fn drop_connection(mut self) -> Self {
        self.drop = true;
        self
    }
    pub fn stream_drop_after(mut self, chunks: usize) -> Self {
        self.stream_drop_after = Some(chunks);
        self
    }
    pub fn omit_usage(mut self) -> Self {
        self.omit_usage = true;
        self
    }
    pub fn reply(mut self, text: impl Into<String>) -> Self {
        self.reply = Some(text.into());
        self
    }
    pub fn tool_call(mut self, name: impl Into<String>, arguments: Value) -> Self {
        self.tool_call = Some(ToolCall {
            name: name.into(),
            arguments,
        });
        self
    }
    pub fn chunk_delay_ms(mut self, ms: u64) -> Self {
        self.chunk_delay_ms = Some(ms);
        self
    }
    pub fn sticky(mut self) -> Self {
        self.sticky = true;
        self
    }
}

/// What became of a recorded request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Still being answered (or the client went away mid-answer).
    Pending,
    /// A 2xx answer was sent in full.
    Completed,
    /// An error status was sent.
    Failed,
    /// The connection was closed without a response.
    Dropped,
    /// The connection was aborted in the middle of a stream.
    StreamDropped,
}

/// One request as the fake saw it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// Unique across the whole fake; orders requests of one key.
    pub id: u64,
    pub method: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Lower-case names; repeated headers joined with ", ".
    pub headers: BTreeMap<String, String>,
    /// The body parsed as JSON, or the raw text when it is not JSON.
    pub body: Value,
    pub raw_body: String,
    /// Milliseconds since the Unix epoch when the request arrived.
    pub timestamp_ms: u64,
    /// The script entry this request consumed, if any.
    pub script: Option<Script>,
    /// HTTP status sent, once known; none for dropped connections.
    pub status: Option<u16>,
    pub outcome: Outcome,
}

impl RecordedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// Request counters of one key, or of the whole fake.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub requests: usize,
    /// Requests whose 2xx answer was sent in full.
    pub completed: usize,
}

#[derive(Default)]
struct Tenant {
    queue: VecDeque<Script>,
    requests: Vec<RecordedRequest>,
}

/// All tenants. A std mutex is enough: it is never held across an await.
#[derive(Default)]
pub struct Store {
    tenants: Mutex<HashMap<String, Tenant>>,
    next_id: AtomicU64,
}

impl Store {
    fn tenants(&self) -> MutexGuard<'_, HashMap<String, Tenant>> {
        // A panicking test thread must not take every other test down with it.
        self.tenants.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn append_script(&self, key: &str, entries: Vec<Script>) {
        let mut tenants = self.tenants();
        tenants
            .entry(key.to_owned())
            .or_default()
            .queue
            .extend(entries);
    }

    /// Logs a request and takes the script entry it consumes, atomically, so
    /// concurrent requests of one key each get their own entry.
    pub fn admit(&self, key: &str, mut request: RecordedRequest) -> (u64, Option<Script>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut tenants = self.tenants();
        let tenant = tenants.entry(key.to_owned()).or_default();
        let script = match tenant.queue.front() {
            Some(head) if head.sticky => Some(head.clone()),
            _ => tenant.queue.pop_front(),
        };
        request.id = id;
        request.script = script.clone();
        tenant.requests.push(request);
        (id, script)
    }

    pub fn finish(&self, key: &str, id: u64, status: Option<u16>, outcome: Outcome) {
        let mut tenants = self.tenants();
        // The key may have been reset while the request was in flight.
        let found = tenants
            .get_mut(key)
            .and_then(|t| t.requests.iter_mut().rev().find(|r| r.id == id));
        if let Some(request) = found {
            request.status = status;
            request.outcome = outcome;
        }
    }

    pub fn requests(&self, key: &str) -> Vec<RecordedRequest> {
        self.tenants()
            .get(key)
            .map(|t| t.requests.clone())
            .unwrap_or_default()
    }

    pub fn stats(&self, key: &str) -> Stats {
        self.tenants()
            .get(key)
            .map(tenant_stats)
            .unwrap_or_default()
    }

    /// Totals over every key, and the number of keys seen.
    pub fn totals(&self) -> (Stats, usize) {
        let tenants = self.tenants();
        let stats = tenants
            .values()
            .map(tenant_stats)
            .fold(Stats::default(), |a, b| Stats {
                requests: a.requests + b.requests,
                completed: a.completed + b.completed,
            });
        (stats, tenants.len())
    }

    pub fn reset(&self, key: &str) {
        self.tenants().remove(key);
    }
}

fn tenant_stats(tenant: &Tenant) -> Stats {
    Stats {
        requests: tenant.requests.len(),
        completed: tenant
            .requests
            .iter()
            .filter(|r| r.outcome == Outcome::Completed)
            .count(),
    }
}

/// Marks the outcome of one request; cloned into streams so the outcome is
/// known only once the last event went out.
#[derive(Clone)]
pub struct Finisher {
    pub store: Arc<Store>,
    pub key: String,
    pub id: u64,
}

impl Finisher {
    pub fn finish(&self, status: Option<u16>, outcome: Outcome) {
        self.store.finish(&self.key, self.id, status, outcome);
    }
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
