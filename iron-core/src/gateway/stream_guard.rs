//! Redaction of streamed answers. Text deltas go through a
//! [`StreamRedactor`] per output part, which holds back a bounded tail so a
//! value split across chunks is still caught; the held text is flushed as
//! one extra delta event just before the part ends.

use std::collections::HashMap;

use bytes::BytesMut;
use serde_json::{Value, json};

use super::guard::Guards;
use super::sse::SseEvent;
use crate::accounting::ApiKind;
use crate::events::EventSink;
use crate::safety::StreamRedactor;

pub(crate) struct StreamGuard {
    api: ApiKind,
    guards: Guards,
    /// One redactor per output part (choice index, content block, ...).
    parts: HashMap<String, StreamRedactor>,
    /// The last chat chunk, as a template for a flushed delta.
    last_chunk: Option<Value>,
    found: BTreeCounter,
}

type BTreeCounter = std::collections::BTreeMap<&'static str, u32>;

impl StreamGuard {
    pub fn new(api: ApiKind, guards: Guards) -> Option<Self> {
        (guards.redacts_responses() && api != ApiKind::Embeddings).then(|| Self {
            api,
            guards,
            parts: HashMap::new(),
            last_chunk: None,
            found: BTreeCounter::new(),
        })
    }

    /// The bytes to forward for one event (zero, one or two events);
    /// `json` is the event's data parsed ([`SseEvent::json`]).
    pub fn transform(&mut self, event: &SseEvent, json: Option<Value>, out: &mut BytesMut) {
        let Some(mut value) = json else {
            if event.data == "[DONE]" {
                self.flush_chat(out);
            }
            out.extend_from_slice(&event.raw);
            return;
        };
        let changed = match self.api {
            ApiKind::ChatCompletions => self.chat(&mut value),
            ApiKind::AnthropicMessages => self.anthropic(&mut value, out),
            ApiKind::Responses => self.responses(&mut value, out),
            ApiKind::Embeddings => false,
        };
        if changed {
            write_event(out, event.event.as_deref(), &value);
        } else {
            out.extend_from_slice(&event.raw);
        }
        if self.api == ApiKind::ChatCompletions
            && value["choices"].as_array().is_some_and(|c| !c.is_empty())
        {
            // Kept (not copied) as the template for a flushed delta.
            self.last_chunk = Some(value);
        }
    }

    fn part(&mut self, key: String) -> &mut StreamRedactor {
        let guards = &self.guards;
        // Clone the guards only when a part starts, not on every delta.
        self.parts.entry(key).or_insert_with(|| {
            let decide = guards.clone();
            StreamRedactor::new(guards.detector.clone(), guards.redactor.clone(), move |e| {
                decide.redacts_in_stream(e)
            })
        })
    }

    fn finish_part(&mut self, key: &str) -> String {
        match self.parts.remove(key) {
            Some(mut r) => {
                let tail = r.finish();
                for f in r.take_findings() {
                    *self.found.entry(f.entity.name()).or_default() += 1;
                }
                tail
            }
            None => String::new(),
        }
    }

    fn chat(&mut self, chunk: &mut Value) -> bool {
        let mut changed = false;
        let choices: Vec<(u64, Option<String>, bool)> = chunk["choices"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                let index = c["index"].as_u64().unwrap_or(0);
                let text = c["delta"]["content"].as_str().map(str::to_string);
                (index, text, !c["finish_reason"].is_null())
            })
            .collect();
        for (i, (index, text, finished)) in choices.into_iter().enumerate() {
            let key = format!("c{index}");
            let mut emit = text.map(|t| self.part(key.clone()).push(&t));
            if finished {
                let tail = self.finish_part(&key);
                if !tail.is_empty() {
                    emit.get_or_insert_with(String::new).push_str(&tail);
                }
            }
            if let Some(new_text) = emit {
                chunk["choices"][i]["delta"]["content"] = Value::String(new_text);
                changed = true;
            }
        }
        changed
    }

    /// Flushes choices that ended without a finish chunk (before `[DONE]`).
    fn flush_chat(&mut self, out: &mut BytesMut) {
        let keys: Vec<String> = self.parts.keys().cloned().collect();
        for key in keys {
            let tail = self.finish_part(&key);
            if tail.is_empty() {
                continue;
            }
            let index: u64 = key[1..].parse().unwrap_or(0);
            let mut chunk = self.last_chunk.clone().unwrap_or_else(|| json!({}));
            chunk["choices"] =
                json!([{ "index": index, "delta": { "content": tail }, "finish_reason": null }]);
            write_event(out, None, &chunk);
        }
    }

    fn anthropic(&mut self, value: &mut Value, out: &mut BytesMut) -> bool {
        let index = value["index"].as_u64().unwrap_or(0);
        let key = format!("b{index}");
        match value["type"].as_str().unwrap_or("") {
            "content_block_delta" if value["delta"]["type"] == "text_delta" => {
                let text = value["delta"]["text"].as_str().unwrap_or("").to_string();
                let safe = self.part(key).push(&text);
                value["delta"]["text"] = Value::String(safe);
                true
            }
            "content_block_stop" => {
                let tail = self.finish_part(&key);
                if !tail.is_empty() {
                    let delta = json!({"type": "content_block_delta", "index": index,
                        "delta": {"type": "text_delta", "text": tail}});
                    write_event(out, Some("content_block_delta"), &delta);
                }
                false
            }
            _ => false,
        }
    }

    fn responses(&mut self, value: &mut Value, out: &mut BytesMut) -> bool {
        let key = format!(
            "r{}:{}",
            value["output_index"].as_u64().unwrap_or(0),
            value["content_index"].as_u64().unwrap_or(0)
        );
        match value["type"].as_str().unwrap_or("") {
            "response.output_text.delta" => {
                let text = value["delta"].as_str().unwrap_or("").to_string();
                let safe = self.part(key).push(&text);
                value["delta"] = Value::String(safe);
                true
            }
            "response.output_text.done" => {
                let tail = self.finish_part(&key);
                if !tail.is_empty() {
                    let mut delta = value.clone();
                    delta["type"] = json!("response.output_text.delta");
                    delta["delta"] = Value::String(tail);
                    if let Some(m) = delta.as_object_mut() {
                        m.remove("text");
                    }
                    write_event(out, Some("response.output_text.delta"), &delta);
                }
                self.redact_full_texts(value)
            }
            "response.content_part.done"
            | "response.output_item.done"
            | "response.completed"
            | "response.incomplete" => self.redact_full_texts(value),
            _ => false,
        }
    }

    /// Events that repeat the whole text: redact every `text` field (the
    /// shared redactor gives the same placeholders as the deltas got).
    fn redact_full_texts(&mut self, value: &mut Value) -> bool {
        let mut changed = false;
        walk_texts(value, &mut |text| {
            let found = self.guards.detector.detect(text);
            let keep: Vec<_> = found
                .into_iter()
                .filter(|f| self.guards.redacts_in_stream(f.entity))
                .collect();
            if !keep.is_empty() {
                *text = self.guards.redactor.redact(text, &keep);
                changed = true;
            }
        });
        changed
    }

    /// Reports what the stream's redactors found, once at its end.
    pub fn finish(mut self, events: &dyn EventSink, model: &str) {
        let keys: Vec<String> = self.parts.keys().cloned().collect();
        for key in keys {
            self.finish_part(&key);
        }
        events.emit(
            crate::events::Event::from_value(
                "guardrail.check",
                json!({"direction": "response", "model": model, "stream": true,
                       "entities": self.found, "outcome": "allowed"}),
            )
            .shared(),
        );
    }
}

fn walk_texts(value: &mut Value, f: &mut dyn FnMut(&mut String)) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(s) if key == "text" => f(s),
                    _ => walk_texts(v, f),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| walk_texts(v, f)),
        _ => {}
    }
}

fn write_event(out: &mut BytesMut, name: Option<&str>, value: &Value) {
    if let Some(name) = name {
        out.extend_from_slice(b"event: ");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\n");
    }
    out.extend_from_slice(b"data: ");
    out.extend_from_slice(value.to_string().as_bytes());
    out.extend_from_slice(b"\n\n");
}
