//! [`EventSink`] that ships events to `POST /api/v1/sdk/events` in batches
//! from a background task. `emit` never blocks: the queue is bounded and an
//! event that does not fit is dropped (and counted).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use http::Method;
use serde_json::{Map, Value};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::client::RemoteClient;
use super::wire::{EventsRequest, WireEvent};
use crate::events::{Event, EventSink};

/// Events per request (the protocol's limit).
const MAX_BATCH: usize = 500;
/// Largest `data` the server accepts per event.
const MAX_DATA_BYTES: usize = 16 * 1024;
/// Events waiting to be sent, at most.
const QUEUE: usize = 10_000;
/// How long a batch may wait to fill up before it is sent.
const LINGER: Duration = Duration::from_millis(250);

#[derive(Debug)]
pub struct RemoteEventSink {
    sender: Mutex<Option<mpsc::Sender<Arc<Event>>>>,
    task: Mutex<Option<JoinHandle<()>>>,
    dropped: Arc<AtomicU64>,
}

impl RemoteEventSink {
    /// Starts the sender task on the current Tokio runtime.
    pub fn start(client: RemoteClient, session_id: String) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        let dropped = Arc::new(AtomicU64::new(0));
        let task = tokio::spawn(ship(client, session_id, rx, dropped.clone()));
        Self {
            sender: Mutex::new(Some(tx)),
            task: Mutex::new(Some(task)),
            dropped,
        }
    }

    /// Events lost: queue full, or the server refused them for good.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Sends everything queued so far and stops the task. Bound it with a
    /// timeout when the server may be gone.
    pub async fn close(&self) {
        drop(
            self.sender
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
        let task = self
            .task
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}

impl EventSink for RemoteEventSink {
    fn emit(&self, event: Arc<Event>) {
        let guard = self.sender.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(sender) = guard.as_ref() else {
            return;
        };
        // Converted to the wire form by the sender task, off the call's path.
        if sender.try_send(event).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Each event gets its id here, once (in the sender task): every retry of its batch carries the
/// same id, so the server stores it once.
fn to_wire(event: &Event) -> WireEvent {
    let size = serde_json::to_vec(&event.data).map_or(0, |v| v.len());
    let data = if size > MAX_DATA_BYTES {
        Map::from_iter([
            ("truncated".to_string(), Value::Bool(true)),
            ("bytes".to_string(), Value::from(size)),
        ])
    } else {
        event.data.clone()
    };
    WireEvent {
        id: uuid::Uuid::now_v7().to_string(),
        kind: event.kind.clone(),
        at: event.timestamp.clone(),
        data,
    }
}

async fn ship(
    client: RemoteClient,
    session_id: String,
    mut rx: mpsc::Receiver<Arc<Event>>,
    dropped: Arc<AtomicU64>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.recv().await {
        batch.push(to_wire(&first));
        let deadline = tokio::time::Instant::now() + LINGER;
        while batch.len() < MAX_BATCH {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(event)) => batch.push(to_wire(&event)),
                // Closed (flush now) or lingered long enough.
                Ok(None) | Err(_) => break,
            }
        }
        let body = EventsRequest {
            session_id: &session_id,
            events: &batch,
        };
        let sent: crate::Result<Value> = client
            .send(Method::POST, "/api/v1/sdk/events", Some(&body))
            .await;
        if let Err(e) = sent {
            dropped.fetch_add(batch.len() as u64, Ordering::Relaxed);
            tracing::warn!(events = batch.len(), error = %e, "events could not be delivered to iron-server; dropped");
        }
        batch.clear();
    }
}
