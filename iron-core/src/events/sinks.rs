//! The built-in event sinks.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::{Event, EventSink};
use crate::error::{Error, ErrorKind, Result};

/// Keeps the most recent events in memory (bounded), for bindings'
/// `runtime.events()` and for tests.
#[derive(Debug)]
pub struct MemorySink {
    capacity: usize,
    events: Mutex<VecDeque<Arc<Event>>>,
}

impl MemorySink {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            events: Mutex::new(VecDeque::new()),
        }
    }

    /// A copy of the retained events, oldest first.
    pub fn events(&self) -> Vec<Event> {
        // Copied out of the lock: reading is rare, emitting is per call.
        let shared: Vec<Arc<Event>> = self.lock().iter().cloned().collect();
        shared.iter().map(|e| Event::clone(e)).collect()
    }

    pub fn of_kind(&self, kind: &str) -> Vec<Event> {
        self.lock()
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| Event::clone(e))
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Arc<Event>>> {
        // A poisoned lock only means a panic elsewhere mid-push; the data is still usable.
        self.events.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl EventSink for MemorySink {
    fn emit(&self, event: Arc<Event>) {
        let evicted = {
            let mut events = self.lock();
            let evicted = (events.len() == self.capacity)
                .then(|| events.pop_front())
                .flatten();
            events.push_back(event);
            evicted
        };
        // The oldest event is freed outside the lock.
        drop(evicted);
    }
}

/// Appends one JSON object per line to a file. Writing happens on a
/// background thread so `emit` never blocks a call on disk I/O.
#[derive(Debug)]
pub struct JsonLinesSink {
    sender: Mutex<Option<Sender<Arc<Event>>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
}

impl JsonLinesSink {
    pub fn create(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| {
                Error::new(
                    ErrorKind::InvalidConfig,
                    format!("cannot open event log {}", path.display()),
                )
                .with_source(e)
            })?;
        let (sender, receiver) = mpsc::channel::<Arc<Event>>();
        let writer = std::thread::Builder::new()
            .name("iron-events".into())
            .spawn(move || write_lines(file, receiver))
            .map_err(|e| Error::internal("cannot start the event writer").with_source(e))?;
        Ok(Self {
            sender: Mutex::new(Some(sender)),
            writer: Mutex::new(Some(writer)),
        })
    }

    /// Writes out everything emitted so far and stops the writer.
    pub fn close(&self) {
        drop(self.sender.lock().unwrap_or_else(|p| p.into_inner()).take());
        if let Some(handle) = self.writer.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = handle.join();
        }
    }
}

fn write_lines(file: File, receiver: mpsc::Receiver<Arc<Event>>) {
    let mut out = BufWriter::new(file);
    // Block for one event, write whatever else is queued, then flush, so a
    // reader sees whole batches promptly without a flush per event.
    while let Ok(first) = receiver.recv() {
        let mut ok = write_one(&mut out, &first);
        while let Ok(next) = receiver.try_recv() {
            ok &= write_one(&mut out, &next);
        }
        if !(ok && out.flush().is_ok()) {
            tracing::warn!("event log write failed; events may be lost");
        }
    }
    let _ = out.flush();
}

fn write_one(out: &mut BufWriter<File>, event: &Event) -> bool {
    serde_json::to_writer(&mut *out, event).is_ok() && out.write_all(b"\n").is_ok()
}

impl EventSink for JsonLinesSink {
    fn emit(&self, event: Arc<Event>) {
        if let Some(sender) = self
            .sender
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            let _ = sender.send(event);
        }
    }
}

impl Drop for JsonLinesSink {
    fn drop(&mut self) {
        self.close();
    }
}

/// Sends every event to several sinks.
#[derive(Debug, Default, Clone)]
pub struct FanoutSink {
    sinks: Vec<Arc<dyn EventSink>>,
}

impl FanoutSink {
    pub fn new(sinks: Vec<Arc<dyn EventSink>>) -> Self {
        Self { sinks }
    }

    pub fn push(&mut self, sink: Arc<dyn EventSink>) {
        self.sinks.push(sink);
    }
}

impl EventSink for FanoutSink {
    fn emit(&self, event: Arc<Event>) {
        for sink in &self.sinks {
            sink.emit(event.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn memory_sink_keeps_the_newest() {
        let sink = MemorySink::new(2);
        for i in 0..3 {
            sink.emit(Event::new("t", json!({ "i": i })).shared());
        }
        let kept: Vec<_> = sink.events().iter().map(|e| e.data["i"].clone()).collect();
        assert_eq!(kept, vec![json!(1), json!(2)]);
    }

    #[test]
    fn json_lines_sink_writes_one_object_per_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.jsonl");
        let sink = JsonLinesSink::create(&path).unwrap();
        sink.emit(Event::new("llm.call", json!({ "model": "gpt-4o" })).shared());
        sink.emit(Event::new("budget.refill", json!({ "amount_micros": 5 })).shared());
        for i in 0..100 {
            sink.emit(Event::new("burst", json!({ "i": i })).shared());
        }
        sink.close();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<Event> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 102, "none lost in a burst");
        assert_eq!(lines[0].kind, "llm.call");
        assert_eq!(lines[0].data["model"], "gpt-4o");
        assert_eq!(lines[1].data["amount_micros"], 5);
    }
}
