//! The tool calls a model asks for, read from a provider response so the
//! gateway can run each through the guard: OpenAI Chat Completions
//! (`choices[].message.tool_calls[]`), OpenAI Responses (`output[]` items of
//! type `function_call`) and Anthropic Messages (`content[]` blocks of type
//! `tool_use`).

use serde_json::Value;

/// One requested call. `args` is the parsed argument object; OpenAI sends
/// arguments as a JSON string, and one that does not parse is kept as a
/// string so the validators still see its text.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestedCall {
    pub id: Option<String>,
    pub name: String,
    pub args: Value,
}

/// Every tool call requested in a (non-streaming) response body.
pub fn requested_calls(body: &Value) -> Vec<RequestedCall> {
    let str_of = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let parse_args = |v: Option<&Value>| match v {
        Some(Value::String(s)) => {
            serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone()))
        }
        Some(other) => other.clone(),
        None => Value::Null,
    };
    let items = |k: &str| body.get(k).and_then(Value::as_array).into_iter().flatten();
    let mut calls = Vec::new();
    for choice in items("choices") {
        let tool_calls = choice
            .pointer("/message/tool_calls")
            .and_then(Value::as_array);
        for call in tool_calls.into_iter().flatten() {
            if let Some(name) = call.pointer("/function/name").and_then(Value::as_str) {
                calls.push(RequestedCall {
                    id: str_of(call, "id"),
                    name: name.to_string(),
                    args: parse_args(call.pointer("/function/arguments")),
                });
            }
        }
    }
    for item in items("output").filter(|i| i["type"] == "function_call") {
        if let Some(name) = str_of(item, "name") {
            let id = str_of(item, "call_id");
            calls.push(RequestedCall {
                id,
                name,
                args: parse_args(item.get("arguments")),
            });
        }
    }
    for block in items("content").filter(|b| b["type"] == "tool_use") {
        if let Some(name) = str_of(block, "name") {
            let id = str_of(block, "id");
            calls.push(RequestedCall {
                id,
                name,
                args: parse_args(block.get("input")),
            });
        }
    }
    calls
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_openai_chat_responses_and_anthropic_calls() {
        let chat = json!({"choices": [{"message": {"tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "read_file", "arguments": "{\"path\":\"/etc/passwd\"}"}},
            {"id": "c2", "type": "function", "function": {"name": "run_sql", "arguments": "DROP TABLE x"}}
        ]}}]});
        let calls = requested_calls(&chat);
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].name, "read_file");
        assert_eq!(calls[0].args, json!({"path": "/etc/passwd"}));
        assert_eq!(
            calls[1].args,
            json!("DROP TABLE x"),
            "unparseable arguments stay text"
        );

        let responses = json!({"output": [
            {"type": "message", "content": []},
            {"type": "function_call", "call_id": "r1", "name": "http_get", "arguments": "{\"url\":\"http://127.0.0.1\"}"}
        ]});
        let calls = requested_calls(&responses);
        assert_eq!(
            calls,
            vec![RequestedCall {
                id: Some("r1".into()),
                name: "http_get".into(),
                args: json!({"url": "http://127.0.0.1"})
            }]
        );

        let anthropic = json!({"content": [
            {"type": "text", "text": "let me look"},
            {"type": "tool_use", "id": "t1", "name": "run_shell", "input": {"command": "ls; id"}}
        ]});
        let calls = requested_calls(&anthropic);
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].args, json!({"command": "ls; id"}));

        assert!(requested_calls(&json!({"choices": [{"message": {"content": "hi"}}]})).is_empty());
    }
}
