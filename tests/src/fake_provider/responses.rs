//! `POST /v1/responses`, JSON and the typed `response.*` SSE events.

use axum::response::Response;
use bpe_openai::Tokenizer;
use serde_json::{Value, json};

use super::gate::{Call, Flavor};
use super::openai_chat::arguments_text;
use super::{ids, sse, tokens};

/// Plain token count of `instructions` and of every text in `input` (a
/// string, or items with content parts, tool outputs and call arguments),
/// plus the JSON text of `tools`.
pub fn prompt_tokens(tok: &Tokenizer, body: &Value) -> usize {
    let instructions = body
        .get("instructions")
        .and_then(Value::as_str)
        .map_or(0, |s| tok.count(s));
    let input = match body.get("input") {
        Some(Value::String(s)) => tok.count(s.as_str()),
        Some(Value::Array(items)) => items.iter().map(|item| item_tokens(tok, item)).sum(),
        _ => 0,
    };
    instructions + input + tokens::tools_tokens(tok, body)
}

fn item_tokens(tok: &Tokenizer, item: &Value) -> usize {
    let content = item
        .get("content")
        .map_or(0, |c| tokens::content_tokens(tok, c));
    let extra: usize = ["output", "arguments"]
        .iter()
        .filter_map(|k| item.get(*k).and_then(Value::as_str))
        .map(|s| tok.count(s))
        .sum();
    content + extra
}

fn usage(input: usize, output: usize) -> Value {
    json!({
        "input_tokens": input,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": output,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": input + output
    })
}

/// The finished output item and the pieces it is streamed in.
struct Item {
    done: Value,
    pieces: Vec<String>,
    tokens: usize,
    truncated: bool,
}

fn output_item(call: &Call, tok: &Tokenizer) -> Item {
    if let Some(tool) = &call.script.tool_call {
        let arguments = arguments_text(tool);
        return Item {
            tokens: tok.count(tool.name.as_str()) + tok.count(arguments.as_str()),
            pieces: tokens::pieces(&arguments, 8),
            done: json!({
                "id": ids::new("fc_"), "type": "function_call", "status": "completed",
                "call_id": ids::new("call_"), "name": tool.name, "arguments": arguments
            }),
            truncated: false,
        };
    }
    let text = call
        .script
        .reply
        .as_deref()
        .unwrap_or(tokens::DEFAULT_REPLY);
    let reply = tokens::fit(tok, text, call.u64_field("max_output_tokens"));
    let status = if reply.truncated {
        "incomplete"
    } else {
        "completed"
    };
    Item {
        pieces: tokens::words(&reply.text)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        done: json!({
            "id": ids::new("msg_"), "type": "message", "status": status, "role": "assistant",
            "content": [{"type": "output_text", "text": reply.text, "annotations": [],
                         "logprobs": []}]
        }),
        tokens: reply.tokens,
        truncated: reply.truncated,
    }
}

pub fn answer(call: Call) -> Response {
    let Some(model) = call.str_field("model").map(str::to_owned) else {
        return call.error(Flavor::OpenAi, 400, "Missing required parameter: 'model'.");
    };
    let tok = tokens::tokenizer(&model);
    let input = prompt_tokens(tok, &call.body);
    let item = output_item(&call, tok);
    let usage = (!call.script.omit_usage).then(|| usage(input, item.tokens));
    let (status, incomplete) = if item.truncated {
        ("incomplete", json!({"reason": "max_output_tokens"}))
    } else {
        ("completed", Value::Null)
    };
    let mut response = json!({
        "id": ids::new("resp_"),
        "object": "response",
        "created_at": ids::unix_secs(),
        "status": status,
        "error": null,
        "incomplete_details": incomplete,
        "instructions": call.body.get("instructions").cloned().unwrap_or(Value::Null),
        "max_output_tokens": call.body.get("max_output_tokens").cloned().unwrap_or(Value::Null),
        "model": model,
        "output": [item.done],
        "parallel_tool_calls": true,
        "previous_response_id": null,
        "reasoning": {"effort": null, "summary": null},
        "store": true,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}},
        "tool_choice": "auto",
        "tools": call.body.get("tools").cloned().unwrap_or(json!([])),
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": usage,
        "user": null,
        "metadata": {}
    });
    if !call.is_stream() {
        if let Some(fields) = response.as_object_mut().filter(|_| call.script.omit_usage) {
            fields.remove("usage");
        }
        return call.json(response);
    }
    let events = stream_events(response, &item.pieces);
    sse::response(events, &call.script, call.finisher.clone())
}

/// created, in_progress, item added, part added, deltas, text done, part
/// done, item done, then completed (or incomplete when truncated).
fn stream_events(done: Value, pieces: &[String]) -> Vec<sse::Event> {
    let item = done["output"][0].clone();
    let item_id = item["id"].clone();
    let is_message = item["type"] == "message";
    let mut snapshot = done.clone();
    snapshot["status"] = json!("in_progress");
    snapshot["output"] = json!([]);
    snapshot["usage"] = Value::Null;
    snapshot["incomplete_details"] = Value::Null;
    let mut started = item.clone();
    started["status"] = json!("in_progress");
    if is_message {
        started["content"] = json!([]);
    } else {
        started["arguments"] = json!("");
    }

    let mut events: Vec<(Value, bool)> = vec![
        (
            json!({"type": "response.created", "response": snapshot}),
            false,
        ),
        (
            json!({"type": "response.in_progress", "response": snapshot}),
            false,
        ),
        (
            json!({"type": "response.output_item.added", "output_index": 0, "item": started}),
            false,
        ),
    ];
    let at = json!({"item_id": item_id, "output_index": 0});
    let with = |mut base: Value, extra: Value| {
        if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        base
    };
    if is_message {
        let part = item["content"][0].clone();
        let empty = json!({"type": "output_text", "text": "", "annotations": []});
        let at = with(at.clone(), json!({"content_index": 0}));
        events.push((
            with(
                at.clone(),
                json!({"type": "response.content_part.added", "part": empty}),
            ),
            false,
        ));
        for piece in pieces {
            let delta =
                json!({"type": "response.output_text.delta", "delta": piece, "logprobs": []});
            events.push((with(at.clone(), delta), true));
        }
        let text =
            json!({"type": "response.output_text.done", "text": part["text"], "logprobs": []});
        events.push((with(at.clone(), text), false));
        events.push((
            with(
                at.clone(),
                json!({"type": "response.content_part.done", "part": part}),
            ),
            false,
        ));
    } else {
        for piece in pieces {
            let delta = json!({"type": "response.function_call_arguments.delta", "delta": piece});
            events.push((with(at.clone(), delta), true));
        }
        let args = json!({"type": "response.function_call_arguments.done",
                          "arguments": item["arguments"], "name": item["name"]});
        events.push((with(at.clone(), args), false));
    }
    events.push((
        json!({"type": "response.output_item.done", "output_index": 0, "item": item}),
        false,
    ));
    let last = if done["status"] == "incomplete" {
        "response.incomplete"
    } else {
        "response.completed"
    };
    events.push((json!({"type": last, "response": done}), false));

    events
        .into_iter()
        .enumerate()
        .map(|(n, (mut payload, content))| {
            payload["sequence_number"] = json!(n);
            let event = sse::Event::typed(payload);
            if content { event.content() } else { event }
        })
        .collect()
}
