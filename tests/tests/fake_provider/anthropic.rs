//! Anthropic messages, and authentication errors of both providers.

use super::*;
use iron_testkit::fake_provider::tokens::DEFAULT_REPLY;
use iron_testkit::{FakeProvider, Script, fake_key};

#[tokio::test]
async fn anthropic_messages_json_and_stream() {
    let key = fake_key();
    let req = json!({"model": "claude-sonnet-4-6", "max_tokens": 200, "system": "Be kind.",
                     "messages": [{"role": "user", "content": "Hello there."}]});
    let resp = post_anthropic(&key, req.clone()).await;
    assert!(resp.headers().contains_key("request-id"));
    let body: Value = resp.json().await.unwrap();
    assert!(body["id"].as_str().unwrap().starts_with("msg_"));
    assert_eq!(
        (&body["type"], &body["role"]),
        (&json!("message"), &json!("assistant"))
    );
    assert_eq!(
        body["content"],
        json!([{"type": "text", "text": DEFAULT_REPLY}])
    );
    assert_eq!(
        (&body["stop_reason"], &body["stop_sequence"]),
        (&json!("end_turn"), &Value::Null)
    );
    let input = o200k("Be kind.") + o200k("Hello there.");
    assert_eq!(
        body["usage"],
        json!({"input_tokens": input, "output_tokens": o200k(DEFAULT_REPLY),
               "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0})
    );

    let mut stream_req = req.clone();
    stream_req["stream"] = json!(true);
    let text = post_anthropic(&key, stream_req).await.text().await.unwrap();
    let events = sse(&text);
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_deref().unwrap()).collect();
    let words = DEFAULT_REPLY.split_whitespace().count();
    assert_eq!(names[..3], ["message_start", "content_block_start", "ping"]);
    assert!(
        names[3..3 + words]
            .iter()
            .all(|n| *n == "content_block_delta")
    );
    assert_eq!(
        names[3 + words..],
        ["content_block_stop", "message_delta", "message_stop"]
    );
    let payloads = json_events(&text);
    assert_eq!(payloads[0]["message"]["usage"]["input_tokens"], input);
    assert_eq!(payloads[0]["message"]["usage"]["output_tokens"], 1);
    let streamed: String = payloads
        .iter()
        .filter_map(|p| p["delta"]["text"].as_str())
        .collect();
    assert_eq!(streamed, DEFAULT_REPLY);
    let delta = &payloads[payloads.len() - 2];
    assert_eq!(delta["delta"]["stop_reason"], "end_turn");
    assert_eq!(delta["usage"]["output_tokens"], o200k(DEFAULT_REPLY));

    let mut short = req;
    short["max_tokens"] = json!(2);
    let body: Value = post_anthropic(&key, short).await.json().await.unwrap();
    assert_eq!(body["stop_reason"], "max_tokens");
    assert!(body["usage"]["output_tokens"].as_u64().unwrap() <= 2);
}

#[tokio::test]
async fn anthropic_tool_use_stream() {
    let key = fake_key();
    let args = json!({"query": "rust"});
    FakeProvider::shared().script(&key, vec![Script::new().tool_call("search", args.clone())]);
    let req = json!({"model": "claude-haiku-4-5", "max_tokens": 50, "stream": true,
                     "messages": [{"role": "user", "content": "find"}]});
    let payloads = json_events(&post_anthropic(&key, req).await.text().await.unwrap());
    let block = &payloads[1]["content_block"];
    assert_eq!(
        (&block["type"], &block["name"]),
        (&json!("tool_use"), &json!("search"))
    );
    let partial: String = payloads
        .iter()
        .filter(|p| p["delta"]["type"] == "input_json_delta")
        .filter_map(|p| p["delta"]["partial_json"].as_str())
        .collect();
    assert_eq!(serde_json::from_str::<Value>(&partial).unwrap(), args);
    assert_eq!(
        payloads[payloads.len() - 2]["delta"]["stop_reason"],
        "tool_use"
    );
}

#[tokio::test]
async fn authentication_errors() {
    let url = FakeProvider::shared().url();
    let client = reqwest::Client::new();
    for auth in [None, Some("Bearer "), Some("Basic abc")] {
        let mut req = client
            .post(format!("{url}/v1/chat/completions"))
            .json(&chat_body());
        if let Some(auth) = auth {
            req = req.header("authorization", auth);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 401);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_api_key");
        assert_eq!(body["error"]["type"], "invalid_request_error");
        assert!(body["error"]["message"].is_string() && body["error"]["param"].is_null());
    }
    let resp = client
        .post(format!("{url}/v1/messages"))
        .json(&json!({"model": "claude", "max_tokens": 5, "messages": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        (&body["type"], &body["error"]["type"]),
        (&json!("error"), &json!("authentication_error"))
    );
}
