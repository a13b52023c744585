//! Shared helpers for the benches.

use serde_json::{Value, json};

/// A realistic ~1 KB user prompt (the size for the guards' goal).
pub const PROMPT_1KB: &str = "Please review the following release notes and summarise the risks for the \
operations team in three bullet points. The release moves the billing service to the new \
database cluster, changes the retry policy of the payment worker from five attempts to three, \
and removes the legacy export endpoint that two internal dashboards still call every night. \
It also upgrades the HTTP client library, which changes the default connection timeout from \
thirty seconds to ten seconds, and it turns on request tracing for ten percent of the traffic. \
The migration runs during the maintenance window on Saturday; the rollback plan restores the \
previous cluster from the snapshot taken an hour before. Customer-facing latency should not \
change, but the nightly reports may fail if the dashboards are not moved to the new endpoint \
first. List anything the on-call engineer should watch during the first week after the \
release, and say which of the changes you would postpone if the team is short of people.";

/// The gateway benches' chat request: a system prompt and the 1 KB user prompt.
pub fn request_body(stream: bool) -> Value {
    json!({
        "model": "gpt-4o-mini",
        "max_tokens": 64,
        "stream": stream,
        "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": PROMPT_1KB}
        ]
    })
}
