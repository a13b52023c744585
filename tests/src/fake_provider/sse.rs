//! Server-sent event bodies with scripted pacing and mid-stream aborts.

use std::io;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::stream;
use serde_json::Value;

use super::state::{Finisher, Outcome, Script};

/// One SSE event. `content` marks the chunks that carry reply text or tool
/// arguments: the ones `chunk_delay_ms` paces and `stream_drop_after` counts.
pub struct Event {
    name: Option<String>,
    data: String,
    content: bool,
}

impl Event {
    /// A `data:`-only event (OpenAI chat).
    pub fn data(value: Value) -> Self {
        Self {
            name: None,
            data: value.to_string(),
            content: false,
        }
    }

    /// An event with an `event:` line; the name is the payload's `type`.
    pub fn typed(value: Value) -> Self {
        let name = value.get("type").and_then(Value::as_str).map(str::to_owned);
        Self {
            name,
            data: value.to_string(),
            content: false,
        }
    }

    /// OpenAI's end-of-stream marker.
    pub fn done_marker() -> Self {
        Self {
            name: None,
            data: "[DONE]".to_owned(),
            content: false,
        }
    }

    pub fn content(mut self) -> Self {
        self.content = true;
        self
    }

    fn to_bytes(&self) -> Bytes {
        let mut out = String::new();
        if let Some(name) = &self.name {
            out.push_str("event: ");
            out.push_str(name);
            out.push('\n');
        }
        out.push_str("data: ");
        out.push_str(&self.data);
        out.push_str("\n\n");
        Bytes::from(out)
    }
}

struct Run {
    events: std::vec::IntoIter<Event>,
    sent: usize,
    chunk_delay: Option<Duration>,
    drop_after: Option<usize>,
    finisher: Finisher,
    over: bool,
}

/// Streams `events` as a 200 `text/event-stream` answer, honouring the
/// script's chunk delay and mid-stream drop, and records the outcome.
pub fn response(events: Vec<Event>, script: &Script, finisher: Finisher) -> Response {
    let run = Run {
        events: events.into_iter(),
        sent: 0,
        chunk_delay: script.chunk_delay_ms.map(Duration::from_millis),
        drop_after: script.stream_drop_after,
        finisher,
        over: false,
    };
    let body = stream::unfold(run, |mut run| async move {
        if run.over {
            return None;
        }
        let Some(event) = run.events.next() else {
            run.finisher.finish(Some(200), Outcome::Completed);
            return None;
        };
        if let Some(limit) = run.drop_after
            && run.sent >= limit
            && (limit > 0 || event.content)
        {
            // Let hyper flush what was sent, then fail the body: hyper then
            // aborts the connection without the closing chunk.
            tokio::time::sleep(Duration::from_millis(50)).await;
            run.finisher.finish(Some(200), Outcome::StreamDropped);
            run.over = true;
            return Some((Err(io::Error::other("scripted stream drop")), run));
        }
        if event.content {
            if let Some(delay) = run.chunk_delay {
                tokio::time::sleep(delay).await;
            }
            run.sent += 1;
        }
        Some((Ok::<_, io::Error>(event.to_bytes()), run))
    });
    let mut response = (StatusCode::OK, Body::from_stream(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
