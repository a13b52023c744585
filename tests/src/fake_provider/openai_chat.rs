//! `POST /v1/chat/completions`, JSON and `chat.completion.chunk` SSE.

use axum::response::Response;
use bpe_openai::Tokenizer;
use serde_json::{Value, json};

use super::gate::{Call, Flavor};
use super::state::ToolCall;
use super::{ids, sse, tokens};

/// Prompt tokens by OpenAI's cookbook rule: 3 per message, the tokens of each
/// string field (role, content, name…), 1 more per name, 3 to prime the
/// reply; plus the JSON text of `tools`.
pub fn prompt_tokens(tok: &Tokenizer, body: &Value) -> usize {
    let messages = body.get("messages").and_then(Value::as_array);
    let per_message: usize = messages
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|message| {
            let fields: usize = message
                .iter()
                .map(|(key, value)| match (key.as_str(), value) {
                    ("name", Value::String(s)) => tok.count(s.as_str()) + 1,
                    ("tool_calls", calls) => tool_calls_tokens(tok, calls),
                    (_, Value::String(s)) => tok.count(s.as_str()),
                    ("content", parts) => tokens::content_tokens(tok, parts),
                    _ => 0,
                })
                .sum();
            3 + fields
        })
        .sum();
    per_message + 3 + tokens::tools_tokens(tok, body)
}

/// Earlier assistant tool calls in the history: their names and arguments.
fn tool_calls_tokens(tok: &Tokenizer, calls: &Value) -> usize {
    let calls = calls.as_array().into_iter().flatten();
    calls
        .filter_map(|c| c.get("function"))
        .map(|f| {
            ["name", "arguments"]
                .iter()
                .filter_map(|k| f.get(*k).and_then(Value::as_str))
                .map(|s| tok.count(s))
                .sum::<usize>()
        })
        .sum()
}

/// The tool call's arguments as the JSON string OpenAI sends.
pub fn arguments_text(call: &ToolCall) -> String {
    match &call.arguments {
        Value::String(s) => s.clone(),
        Value::Null => "{}".to_owned(),
        other => other.to_string(),
    }
}

fn usage(prompt: usize, completion: usize) -> Value {
    json!({
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0
        }
    })
}

enum Output {
    Text(tokens::Reply),
    Tool {
        id: String,
        name: String,
        arguments: String,
    },
}

pub fn answer(call: Call) -> Response {
    let Some(model) = call.str_field("model").map(str::to_owned) else {
        return call.error(Flavor::OpenAi, 400, "you must provide a model parameter");
    };
    if !call.body.get("messages").is_some_and(Value::is_array) {
        return call.error(Flavor::OpenAi, 400, "'messages' is a required property");
    }
    let tok = tokens::tokenizer(&model);
    let prompt = prompt_tokens(tok, &call.body);
    let max = call
        .u64_field("max_completion_tokens")
        .or(call.u64_field("max_tokens"));
    let output = match &call.script.tool_call {
        Some(tool) => Output::Tool {
            id: ids::new("call_"),
            name: tool.name.clone(),
            arguments: arguments_text(tool),
        },
        None => {
            let text = call
                .script
                .reply
                .as_deref()
                .unwrap_or(tokens::DEFAULT_REPLY);
            Output::Text(tokens::fit(tok, text, max))
        }
    };
    let (completion, finish_reason) = match &output {
        Output::Text(r) if r.truncated => (r.tokens, "length"),
        Output::Text(r) => (r.tokens, "stop"),
        Output::Tool {
            name, arguments, ..
        } => (
            tok.count(name.as_str()) + tok.count(arguments.as_str()),
            "tool_calls",
        ),
    };
    let usage = (!call.script.omit_usage).then(|| usage(prompt, completion));
    let id = ids::new("chatcmpl-");
    if call.is_stream() {
        let include_usage = call
            .body
            .pointer("/stream_options/include_usage")
            .and_then(Value::as_bool)
            == Some(true);
        let usage = usage.filter(|_| include_usage);
        let events = stream_events(&id, &model, &output, finish_reason, usage, include_usage);
        return sse::response(events, &call.script, call.finisher.clone());
    }
    let message = match &output {
        Output::Text(r) => json!({
            "role": "assistant", "content": r.text, "refusal": null, "annotations": []
        }),
        Output::Tool {
            id,
            name,
            arguments,
        } => json!({
            "role": "assistant", "content": null, "refusal": null, "annotations": [],
            "tool_calls": [{"id": id, "type": "function",
                            "function": {"name": name, "arguments": arguments}}]
        }),
    };
    let mut body = json!({
        "id": id,
        "object": "chat.completion",
        "created": ids::unix_secs(),
        "model": model,
        "choices": [{"index": 0, "message": message, "logprobs": null,
                     "finish_reason": finish_reason}],
        "service_tier": "default",
        "system_fingerprint": "fp_fake"
    });
    if let Some(usage) = usage {
        body["usage"] = usage;
    }
    call.json(body)
}

/// Role chunk, one chunk per word (or argument piece), finish chunk, the
/// usage chunk when asked for, `[DONE]`.
fn stream_events(
    id: &str,
    model: &str,
    output: &Output,
    finish_reason: &str,
    usage: Option<Value>,
    include_usage: bool,
) -> Vec<sse::Event> {
    let created = ids::unix_secs();
    let chunk = |choices: Value| {
        let mut c = json!({
            "id": id, "object": "chat.completion.chunk", "created": created,
            "model": model, "system_fingerprint": "fp_fake", "choices": choices
        });
        // With include_usage, every chunk but the last carries `usage: null`.
        if include_usage {
            c["usage"] = Value::Null;
        }
        c
    };
    let choice = |delta: Value, finish: Value| json!([{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]);
    let mut events = Vec::new();
    match output {
        Output::Text(reply) => {
            let role = json!({"role": "assistant", "content": "", "refusal": null});
            events.push(sse::Event::data(chunk(choice(role, Value::Null))));
            for word in tokens::words(&reply.text) {
                let delta = json!({"content": word});
                events.push(sse::Event::data(chunk(choice(delta, Value::Null))).content());
            }
        }
        Output::Tool {
            id,
            name,
            arguments,
        } => {
            let head = json!({"role": "assistant", "content": null, "tool_calls": [{
                "index": 0, "id": id, "type": "function",
                "function": {"name": name, "arguments": ""}
            }]});
            events.push(sse::Event::data(chunk(choice(head, Value::Null))));
            for piece in tokens::pieces(arguments, 8) {
                let delta = json!({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]});
                events.push(sse::Event::data(chunk(choice(delta, Value::Null))).content());
            }
        }
    }
    events.push(sse::Event::data(chunk(choice(
        json!({}),
        json!(finish_reason),
    ))));
    if let Some(usage) = usage {
        let mut last = chunk(json!([]));
        last["usage"] = usage;
        events.push(sse::Event::data(last));
    }
    events.push(sse::Event::done_marker());
    events
}
