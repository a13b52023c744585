//! `POST /v1/messages`: Anthropic's message JSON and named SSE events.

use axum::response::Response;
use serde_json::{Value, json};

use super::gate::{Call, Flavor};
use super::{ids, sse, tokens};

/// Plain o200k count of the system prompt, every message's text and the
/// tools' JSON text; no per-message overhead.
pub fn prompt_tokens(body: &Value) -> usize {
    let tok = bpe_openai::o200k_base();
    let system = body
        .get("system")
        .map_or(0, |s| tokens::content_tokens(tok, s));
    let messages: usize = body
        .get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| m.get("content"))
        .map(|c| tokens::content_tokens(tok, c))
        .sum();
    system + messages + tokens::tools_tokens(tok, body)
}

fn usage(input: usize, output: usize) -> Value {
    json!({
        "input_tokens": input,
        "output_tokens": output,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0
    })
}

/// The single content block, its stream pieces, output tokens, stop reason.
fn content_block(call: &Call) -> (Value, Vec<String>, usize, &'static str) {
    let tok = bpe_openai::o200k_base();
    if let Some(tool) = &call.script.tool_call {
        let input = match &tool.arguments {
            Value::Null => json!({}),
            // A string of JSON is what OpenAI-style scripts carry; Anthropic wants the object.
            Value::String(s) => serde_json::from_str(s).unwrap_or(json!({})),
            other => other.clone(),
        };
        let text = input.to_string();
        let tokens = tok.count(tool.name.as_str()) + tok.count(text.as_str());
        let block = json!({"type": "tool_use", "id": ids::new("toolu_"), "name": tool.name,
                           "input": input});
        return (block, tokens::pieces(&text, 8), tokens, "tool_use");
    }
    let text = call
        .script
        .reply
        .as_deref()
        .unwrap_or(tokens::DEFAULT_REPLY);
    let reply = tokens::fit(tok, text, call.u64_field("max_tokens"));
    let stop = if reply.truncated {
        "max_tokens"
    } else {
        "end_turn"
    };
    let pieces = tokens::words(&reply.text)
        .into_iter()
        .map(str::to_owned)
        .collect();
    (
        json!({"type": "text", "text": reply.text}),
        pieces,
        reply.tokens,
        stop,
    )
}

pub fn answer(call: Call) -> Response {
    let Some(model) = call.str_field("model").map(str::to_owned) else {
        return call.error(Flavor::Anthropic, 400, "model: Field required");
    };
    if call.u64_field("max_tokens").is_none() {
        return call.error(Flavor::Anthropic, 400, "max_tokens: Field required");
    }
    if !call.body.get("messages").is_some_and(Value::is_array) {
        return call.error(Flavor::Anthropic, 400, "messages: Field required");
    }
    let input = prompt_tokens(&call.body);
    let (block, pieces, output, stop) = content_block(&call);
    let id = ids::new("msg_");
    if call.is_stream() {
        let events = stream_events(&call, &id, &model, block, &pieces, input, output, stop);
        return sse::response(events, &call.script, call.finisher.clone());
    }
    let mut body = json!({
        "id": id, "type": "message", "role": "assistant", "model": model,
        "content": [block], "stop_reason": stop, "stop_sequence": null
    });
    if !call.script.omit_usage {
        body["usage"] = usage(input, output);
    }
    call.json(body)
}

/// message_start, content_block_start, ping, deltas, content_block_stop,
/// message_delta, message_stop.
#[allow(clippy::too_many_arguments)]
fn stream_events(
    call: &Call,
    id: &str,
    model: &str,
    block: Value,
    pieces: &[String],
    input: usize,
    output: usize,
    stop: &str,
) -> Vec<sse::Event> {
    let with_usage = !call.script.omit_usage;
    let mut message = json!({
        "id": id, "type": "message", "role": "assistant", "model": model, "content": [],
        "stop_reason": null, "stop_sequence": null
    });
    if with_usage {
        message["usage"] = usage(input, 1);
    }
    let is_tool = block["type"] == "tool_use";
    let mut start = block;
    if is_tool {
        start["input"] = json!({});
    } else {
        start["text"] = json!("");
    }
    let mut events = vec![
        sse::Event::typed(json!({"type": "message_start", "message": message})),
        sse::Event::typed(
            json!({"type": "content_block_start", "index": 0, "content_block": start}),
        ),
        sse::Event::typed(json!({"type": "ping"})),
    ];
    for piece in pieces {
        let delta = if is_tool {
            json!({"type": "input_json_delta", "partial_json": piece})
        } else {
            json!({"type": "text_delta", "text": piece})
        };
        let event = json!({"type": "content_block_delta", "index": 0, "delta": delta});
        events.push(sse::Event::typed(event).content());
    }
    events.push(sse::Event::typed(
        json!({"type": "content_block_stop", "index": 0}),
    ));
    let mut delta = json!({"type": "message_delta",
                           "delta": {"stop_reason": stop, "stop_sequence": null}});
    if with_usage {
        delta["usage"] = json!({"output_tokens": output});
    }
    events.push(sse::Event::typed(delta));
    events.push(sse::Event::typed(json!({"type": "message_stop"})));
    events
}
