//! Reading what a call consumed from the provider's answer: the `usage`
//! block when present, else the generated text to count ourselves.

use serde_json::Value;

use crate::accounting::{ApiKind, Usage};

fn u64_at(v: &Value, path: &[&str]) -> Option<u64> {
    path.iter().try_fold(v, |v, key| v.get(key))?.as_u64()
}

/// `usage` of a complete (non-streamed) response body.
pub fn usage_from_body(api: ApiKind, body: &Value) -> Option<Usage> {
    match api {
        ApiKind::AnthropicMessages => anthropic_usage(body.get("usage")?),
        _ => openai_usage(api, body.get("usage")?),
    }
}

fn openai_usage(api: ApiKind, usage: &Value) -> Option<Usage> {
    if usage.is_null() {
        return None;
    }
    let (input, output, cached) = match api {
        ApiKind::Responses => (
            u64_at(usage, &["input_tokens"])?,
            u64_at(usage, &["output_tokens"]).unwrap_or(0),
            u64_at(usage, &["input_tokens_details", "cached_tokens"]),
        ),
        _ => (
            u64_at(usage, &["prompt_tokens"])?,
            u64_at(usage, &["completion_tokens"]).unwrap_or(0),
            u64_at(usage, &["prompt_tokens_details", "cached_tokens"]),
        ),
    };
    Some(Usage {
        input_tokens: input,
        cached_input_tokens: cached.unwrap_or(0).min(input),
        output_tokens: output,
    })
}

/// Anthropic counts cache reads and writes apart from `input_tokens`;
/// [`Usage::from_anthropic`] folds them in (writes at their 1.25x premium).
fn anthropic_usage(usage: &Value) -> Option<Usage> {
    Some(Usage::from_anthropic(
        u64_at(usage, &["input_tokens"])?,
        u64_at(usage, &["cache_creation_input_tokens"]).unwrap_or(0),
        u64_at(usage, &["cache_read_input_tokens"]).unwrap_or(0),
        u64_at(usage, &["output_tokens"]).unwrap_or(0),
    ))
}

/// The generated text of a complete response, for counting when the
/// provider reported no usage.
pub fn output_text_from_body(api: ApiKind, body: &Value, out: &mut String) {
    match api {
        ApiKind::ChatCompletions => {
            for choice in body["choices"].as_array().into_iter().flatten() {
                push_chat_message(&choice["message"], out);
            }
        }
        ApiKind::Responses => {
            for item in body["output"].as_array().into_iter().flatten() {
                push_str(&item["arguments"], out);
                for part in item["content"].as_array().into_iter().flatten() {
                    push_str(&part["text"], out);
                }
            }
        }
        ApiKind::AnthropicMessages => {
            for block in body["content"].as_array().into_iter().flatten() {
                push_str(&block["text"], out);
                push_str(&block["thinking"], out);
                if !block["input"].is_null() {
                    out.push_str(&block["input"].to_string());
                }
            }
        }
        ApiKind::Embeddings => {}
    }
}

fn push_chat_message(message: &Value, out: &mut String) {
    push_str(&message["content"], out);
    push_str(&message["refusal"], out);
    for call in message["tool_calls"].as_array().into_iter().flatten() {
        push_str(&call["function"]["name"], out);
        push_str(&call["function"]["arguments"], out);
    }
}

fn push_str(v: &Value, out: &mut String) {
    if let Some(s) = v.as_str() {
        out.push_str(s);
    }
}

/// What a stream has shown so far.
#[derive(Debug, Default)]
pub struct StreamMeter {
    /// Usage reported by the provider (final or cumulative).
    pub usage: Option<Usage>,
    /// Prompt tokens reported early (Anthropic's `message_start`).
    pub input_reported: Option<(u64, u64)>,
    /// Generated text seen, for counting when no usage arrives.
    pub text: String,
}

impl StreamMeter {
    /// Observes one event, its data parsed once by the caller
    /// ([`SseEvent::json`](super::sse::SseEvent::json); `None` when it is not
    /// JSON). Returns `true` when the event is the usage-only chunk of an
    /// OpenAI chat stream (which the gateway strips when it asked for usage
    /// on the agent's behalf).
    pub fn observe(&mut self, api: ApiKind, value: Option<&Value>) -> bool {
        let Some(value) = value else {
            return false;
        };
        match api {
            ApiKind::ChatCompletions => self.observe_chat(value),
            ApiKind::Responses => {
                self.observe_responses(value);
                false
            }
            ApiKind::AnthropicMessages => {
                self.observe_anthropic(value);
                false
            }
            ApiKind::Embeddings => false,
        }
    }

    fn observe_chat(&mut self, chunk: &Value) -> bool {
        for choice in chunk["choices"].as_array().into_iter().flatten() {
            push_chat_message(&choice["delta"], &mut self.text);
        }
        match openai_usage(ApiKind::ChatCompletions, &chunk["usage"]) {
            Some(usage) => {
                self.usage = Some(usage);
                chunk["choices"].as_array().is_some_and(Vec::is_empty)
            }
            None => false,
        }
    }

    fn observe_responses(&mut self, event: &Value) {
        match event["type"].as_str().unwrap_or("") {
            "response.output_text.delta"
            | "response.refusal.delta"
            | "response.function_call_arguments.delta" => push_str(&event["delta"], &mut self.text),
            "response.completed" | "response.incomplete" | "response.failed" => {
                if let Some(u) = openai_usage(ApiKind::Responses, &event["response"]["usage"]) {
                    self.usage = Some(u);
                }
            }
            _ => {}
        }
    }

    fn observe_anthropic(&mut self, event: &Value) {
        match event["type"].as_str().unwrap_or("") {
            "message_start" => {
                if let Some(u) = anthropic_usage(&event["message"]["usage"]) {
                    self.input_reported = Some((u.input_tokens, u.cached_input_tokens));
                }
            }
            "content_block_delta" => {
                let delta = &event["delta"];
                push_str(&delta["text"], &mut self.text);
                push_str(&delta["partial_json"], &mut self.text);
                push_str(&delta["thinking"], &mut self.text);
            }
            "message_delta" => {
                // output_tokens here is cumulative; newer API versions may
                // repeat input counts too.
                if let Some(output) = u64_at(event, &["usage", "output_tokens"]) {
                    let (input, cached) = match anthropic_usage(&event["usage"]) {
                        Some(u) if u.input_tokens > 0 => (u.input_tokens, u.cached_input_tokens),
                        _ => self.input_reported.unwrap_or((0, 0)),
                    };
                    if self.input_reported.is_some() || input > 0 {
                        self.usage = Some(Usage {
                            input_tokens: input,
                            cached_input_tokens: cached,
                            output_tokens: output,
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn chat_usage_and_cached_tokens() {
        let body = json!({"usage": {"prompt_tokens": 10, "completion_tokens": 5,
            "prompt_tokens_details": {"cached_tokens": 4}}});
        let u = usage_from_body(ApiKind::ChatCompletions, &body).unwrap();
        assert_eq!(
            (u.input_tokens, u.cached_input_tokens, u.output_tokens),
            (10, 4, 5)
        );
        assert!(usage_from_body(ApiKind::ChatCompletions, &json!({"usage": null})).is_none());
    }

    #[test]
    fn anthropic_adds_cache_tokens_to_input() {
        let body = json!({"usage": {"input_tokens": 10, "cache_read_input_tokens": 100,
            "cache_creation_input_tokens": 7, "output_tokens": 3}});
        let u = usage_from_body(ApiKind::AnthropicMessages, &body).unwrap();
        // 7 cache writes bill as ceil(7 * 1.25) = 9 input tokens.
        assert_eq!(
            (u.input_tokens, u.cached_input_tokens, u.output_tokens),
            (119, 100, 3)
        );
    }

    #[test]
    fn chat_stream_usage_chunk_is_flagged() {
        let mut m = StreamMeter::default();
        assert!(!m.observe(
            ApiKind::ChatCompletions,
            Some(&json!({"choices": [{"delta": {"content": "Hi"}}], "usage": null}))
        ));
        assert!(m.observe(
            ApiKind::ChatCompletions,
            Some(&json!({"choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 1}}))
        ));
        assert_eq!(m.text, "Hi");
        assert_eq!(m.usage.unwrap().output_tokens, 1);
    }

    #[test]
    fn anthropic_stream_usage() {
        let mut m = StreamMeter::default();
        let api = ApiKind::AnthropicMessages;
        m.observe(
            api,
            Some(&json!({"type": "message_start",
            "message": {"usage": {"input_tokens": 12, "output_tokens": 1}}})),
        );
        m.observe(
            api,
            Some(&json!({"type": "content_block_delta",
            "delta": {"type": "text_delta", "text": "Hello"}})),
        );
        assert!(m.usage.is_none());
        m.observe(
            api,
            Some(&json!({"type": "message_delta", "usage": {"output_tokens": 6}})),
        );
        let u = m.usage.unwrap();
        assert_eq!((u.input_tokens, u.output_tokens), (12, 6));
        assert_eq!(m.text, "Hello");
    }
}
