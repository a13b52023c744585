//! Where the text is in each wire format: mutable walks over a request's
//! prompt texts and a response's output texts and tool calls, so the guards
//! can scan and rewrite them in place.

use serde_json::{Map, Value};

use crate::accounting::ApiKind;

/// Who wrote a piece of prompt text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The developer's own instructions (system / developer messages).
    System,
    /// The user, or earlier assistant turns.
    User,
    /// Tool results and documents: data that may carry indirect injection.
    Untrusted,
}

/// Calls `f` on every prompt text of a request body.
pub fn for_each_prompt_text(
    api: ApiKind,
    body: &mut Map<String, Value>,
    f: &mut dyn FnMut(Origin, &mut String),
) {
    match api {
        ApiKind::ChatCompletions => {
            for message in array_mut(body.get_mut("messages")) {
                let origin = match message["role"].as_str() {
                    Some("system" | "developer") => Origin::System,
                    Some("tool" | "function") => Origin::Untrusted,
                    _ => Origin::User,
                };
                content_texts(message.get_mut("content"), origin, f);
            }
        }
        ApiKind::Responses => {
            if let Some(Value::String(s)) = body.get_mut("instructions") {
                f(Origin::System, s);
            }
            match body.get_mut("input") {
                Some(Value::String(s)) => f(Origin::User, s),
                Some(Value::Array(items)) => {
                    for item in items {
                        if let Some(Value::String(out)) = item.get_mut("output") {
                            f(Origin::Untrusted, out);
                            continue;
                        }
                        let origin = match item["role"].as_str() {
                            Some("system" | "developer") => Origin::System,
                            _ => Origin::User,
                        };
                        content_texts(item.get_mut("content"), origin, f);
                    }
                }
                _ => {}
            }
        }
        ApiKind::AnthropicMessages => {
            content_texts(body.get_mut("system"), Origin::System, f);
            for message in array_mut(body.get_mut("messages")) {
                content_texts(message.get_mut("content"), Origin::User, f);
            }
        }
        ApiKind::Embeddings => match body.get_mut("input") {
            Some(Value::String(s)) => f(Origin::User, s),
            Some(Value::Array(items)) => {
                for item in items {
                    if let Value::String(s) = item {
                        f(Origin::User, s);
                    }
                }
            }
            _ => {}
        },
    }
}

/// A content field: a string, or an array of parts/blocks. Tool results and
/// documents inside it are untrusted whatever the message's role.
fn content_texts(
    content: Option<&mut Value>,
    origin: Origin,
    f: &mut dyn FnMut(Origin, &mut String),
) {
    match content {
        Some(Value::String(s)) => f(origin, s),
        Some(Value::Array(parts)) => {
            for part in parts {
                let kind = part["type"].as_str().unwrap_or("").to_string();
                match kind.as_str() {
                    "tool_result" => content_texts(part.get_mut("content"), Origin::Untrusted, f),
                    "document" => {
                        if let Some(Value::String(s)) = part.pointer_mut("/source/data") {
                            f(Origin::Untrusted, s);
                        }
                    }
                    _ => {
                        if let Some(Value::String(s)) = part.get_mut("text") {
                            f(origin, s);
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

fn array_mut(value: Option<&mut Value>) -> impl Iterator<Item = &mut Value> {
    value.and_then(Value::as_array_mut).into_iter().flatten()
}

/// Calls `f` on every output text of a complete response. (The tool calls
/// it requests are read by `tools::requested_calls`.)
pub fn for_each_output_text(api: ApiKind, body: &mut Value, f: &mut dyn FnMut(&mut String)) {
    match api {
        ApiKind::ChatCompletions => {
            for choice in array_mut(body.get_mut("choices")) {
                let message = &mut choice["message"];
                if let Some(Value::String(s)) = message.get_mut("content") {
                    f(s);
                }
            }
        }
        ApiKind::Responses => {
            for item in array_mut(body.get_mut("output")) {
                for part in array_mut(item.get_mut("content")) {
                    if let Some(Value::String(s)) = part.get_mut("text") {
                        f(s);
                    }
                }
            }
        }
        ApiKind::AnthropicMessages => {
            for block in array_mut(body.get_mut("content")) {
                if let Some(Value::String(s)) = block.get_mut("text") {
                    f(s);
                }
            }
        }
        ApiKind::Embeddings => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn collect(api: ApiKind, body: Value) -> Vec<(Origin, String)> {
        let Value::Object(mut map) = body else {
            unreachable!()
        };
        let mut out = Vec::new();
        for_each_prompt_text(api, &mut map, &mut |o, s| out.push((o, s.clone())));
        out
    }

    #[test]
    fn finds_prompt_texts_with_their_origin() {
        let chat = collect(
            ApiKind::ChatCompletions,
            json!({"messages": [
                {"role": "system", "content": "sys"},
                {"role": "user", "content": [{"type": "text", "text": "hi"}, {"type": "image_url"}]},
                {"role": "tool", "content": "result"},
            ]}),
        );
        assert_eq!(
            chat,
            vec![
                (Origin::System, "sys".into()),
                (Origin::User, "hi".into()),
                (Origin::Untrusted, "result".into())
            ]
        );
        let claude = collect(
            ApiKind::AnthropicMessages,
            json!({"system": "s", "messages": [
                {"role": "user", "content": [{"type": "tool_result", "content": [{"type": "text", "text": "web page"}]},
                                             {"type": "text", "text": "q"}]},
            ]}),
        );
        assert_eq!(
            claude,
            vec![
                (Origin::System, "s".into()),
                (Origin::Untrusted, "web page".into()),
                (Origin::User, "q".into())
            ]
        );
        let responses = collect(
            ApiKind::Responses,
            json!({"instructions": "i", "input": [
                {"role": "user", "content": [{"type": "input_text", "text": "u"}]},
                {"type": "function_call_output", "output": "o"},
            ]}),
        );
        assert_eq!(
            responses,
            vec![
                (Origin::System, "i".into()),
                (Origin::User, "u".into()),
                (Origin::Untrusted, "o".into())
            ]
        );
    }

    #[test]
    fn finds_output_texts() {
        let mut body = json!({"content": [{"type": "text", "text": "a"},
            {"type": "tool_use", "input": {}}, {"type": "text", "text": "b"}]});
        let mut texts = Vec::new();
        for_each_output_text(ApiKind::AnthropicMessages, &mut body, &mut |s| {
            texts.push(s.clone())
        });
        assert_eq!(texts, ["a", "b"]);
    }
}
