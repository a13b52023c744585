//! OpenAI endpoints: chat completions, responses, embeddings.

use super::*;
use base64::Engine;
use iron_testkit::fake_provider::tokens::DEFAULT_REPLY;
use iron_testkit::{FakeProvider, Script, fake_key};

#[tokio::test]
async fn chat_json_shape_and_usage() {
    let key = fake_key();
    let body: Value = post("/v1/chat/completions", &key, chat_body())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["object"], "chat.completion");
    assert!(body["id"].as_str().unwrap().starts_with("chatcmpl-"));
    assert_eq!(body["model"], "gpt-4o");
    let choice = &body["choices"][0];
    assert_eq!(choice["message"]["role"], "assistant");
    assert_eq!(choice["message"]["content"], DEFAULT_REPLY);
    assert_eq!(choice["finish_reason"], "stop");
    assert_eq!(body["usage"]["prompt_tokens"], chat_prompt(o200k));
    assert_eq!(body["usage"]["completion_tokens"], o200k(DEFAULT_REPLY));
    assert_eq!(
        body["usage"]["total_tokens"],
        chat_prompt(o200k) + o200k(DEFAULT_REPLY)
    );

    // gpt-4 is a cl100k model; array content parts count part by part.
    let mut old = chat_body();
    old["model"] = json!("gpt-4");
    let body: Value = post("/v1/chat/completions", &key, old)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["usage"]["prompt_tokens"], chat_prompt(cl100k));
    let parts = json!({"model": "gpt-4o", "messages": [{"role": "user", "content": [
        {"type": "text", "text": "first part"}, {"type": "text", "text": "second part"}]}]});
    let body: Value = post("/v1/chat/completions", &key, parts)
        .await
        .json()
        .await
        .unwrap();
    let expected = 3 + o200k("user") + o200k("first part") + o200k("second part") + 3;
    assert_eq!(body["usage"]["prompt_tokens"], expected);
}

#[tokio::test]
async fn chat_truncates_at_max_tokens() {
    let key = fake_key();
    for field in ["max_tokens", "max_completion_tokens"] {
        let mut req = chat_body();
        req[field] = json!(4);
        let body: Value = post("/v1/chat/completions", &key, req)
            .await
            .json()
            .await
            .unwrap();
        let text = body["choices"][0]["message"]["content"].as_str().unwrap();
        assert_eq!(body["choices"][0]["finish_reason"], "length");
        assert!(DEFAULT_REPLY.starts_with(text) && !text.is_empty());
        assert_eq!(body["usage"]["completion_tokens"], o200k(text));
        assert!(o200k(text) <= 4);
    }
}

#[tokio::test]
async fn chat_stream_with_and_without_usage() {
    let key = fake_key();
    let mut req = chat_body();
    req["stream"] = json!(true);
    req["stream_options"] = json!({"include_usage": true});
    let resp = post("/v1/chat/completions", &key, req.clone()).await;
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let text = resp.text().await.unwrap();
    assert!(text.trim_end().ends_with("data: [DONE]"));
    let chunks = json_events(&text);
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    assert!(
        chunks
            .iter()
            .all(|c| c["object"] == "chat.completion.chunk")
    );
    let content: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(content, DEFAULT_REPLY);
    let words = DEFAULT_REPLY.split_whitespace().count();
    assert_eq!(chunks.len(), 1 + words + 2);
    let (last, earlier) = chunks.split_last().unwrap();
    assert_eq!(last["choices"], json!([]));
    assert_eq!(last["usage"]["prompt_tokens"], chat_prompt(o200k));
    assert_eq!(last["usage"]["completion_tokens"], o200k(DEFAULT_REPLY));
    assert!(
        earlier
            .iter()
            .all(|c| c["usage"].is_null() && c.get("usage").is_some())
    );
    assert_eq!(
        earlier.last().unwrap()["choices"][0]["finish_reason"],
        "stop"
    );

    req["stream_options"] = json!({"include_usage": false});
    let text = post("/v1/chat/completions", &key, req)
        .await
        .text()
        .await
        .unwrap();
    let chunks = json_events(&text);
    assert!(chunks.iter().all(|c| c.get("usage").is_none()));
    assert_eq!(chunks.len(), 1 + words + 1);
}

#[tokio::test]
async fn chat_tool_calls_json_and_stream() {
    let key = fake_key();
    let fake = FakeProvider::shared();
    let args = json!({"city": "Paris", "unit": "celsius"});
    let tool = Script::new().tool_call("get_weather", args.clone());
    fake.script(&key, vec![tool.clone(), tool]);
    let body: Value = post("/v1/chat/completions", &key, chat_body())
        .await
        .json()
        .await
        .unwrap();
    let choice = &body["choices"][0];
    assert_eq!(choice["finish_reason"], "tool_calls");
    let call = &choice["message"]["tool_calls"][0];
    assert_eq!(call["function"]["name"], "get_weather");
    let sent: Value =
        serde_json::from_str(call["function"]["arguments"].as_str().unwrap()).unwrap();
    assert_eq!(sent, args);

    let mut req = chat_body();
    req["stream"] = json!(true);
    let chunks = json_events(
        &post("/v1/chat/completions", &key, req)
            .await
            .text()
            .await
            .unwrap(),
    );
    let head = &chunks[0]["choices"][0]["delta"]["tool_calls"][0];
    assert_eq!(head["function"]["name"], "get_weather");
    assert!(head["id"].as_str().unwrap().starts_with("call_"));
    let streamed: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"].as_str())
        .collect();
    assert_eq!(serde_json::from_str::<Value>(&streamed).unwrap(), args);
    assert_eq!(
        chunks.last().unwrap()["choices"][0]["finish_reason"],
        "tool_calls"
    );
}

#[tokio::test]
async fn responses_json_and_stream() {
    let key = fake_key();
    let req = json!({"model": "gpt-4.1", "instructions": "Be brief.", "input": "Say something."});
    let body: Value = post("/v1/responses", &key, req.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["object"], "response");
    assert_eq!(body["status"], "completed");
    let item = &body["output"][0];
    assert_eq!(
        (&item["type"], &item["role"]),
        (&json!("message"), &json!("assistant"))
    );
    assert_eq!(item["content"][0]["type"], "output_text");
    assert_eq!(item["content"][0]["text"], DEFAULT_REPLY);
    let input = o200k("Be brief.") + o200k("Say something.");
    let usage = &body["usage"];
    assert_eq!(usage["input_tokens"], input);
    assert_eq!(usage["output_tokens"], o200k(DEFAULT_REPLY));
    assert_eq!(usage["total_tokens"], input + o200k(DEFAULT_REPLY));
    assert_eq!(usage["input_tokens_details"]["cached_tokens"], 0);
    assert_eq!(usage["output_tokens_details"]["reasoning_tokens"], 0);

    let mut stream_req = req;
    stream_req["stream"] = json!(true);
    let text = post("/v1/responses", &key, stream_req)
        .await
        .text()
        .await
        .unwrap();
    let events = sse(&text);
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_deref().unwrap()).collect();
    let mut expected = vec![
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
    ];
    expected.extend(vec![
        "response.output_text.delta";
        DEFAULT_REPLY.split_whitespace().count()
    ]);
    expected.extend([
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]);
    assert_eq!(names, expected);
    let payloads = json_events(&text);
    for (n, payload) in payloads.iter().enumerate() {
        assert_eq!(payload["sequence_number"], n);
        assert_eq!(payload["type"], names[n]);
    }
    let deltas: String = payloads
        .iter()
        .filter_map(|p| p["delta"].as_str())
        .collect();
    assert_eq!(deltas, DEFAULT_REPLY);
    assert_eq!(
        payloads.last().unwrap()["response"]["usage"]["input_tokens"],
        input
    );

    let short = json!({"model": "gpt-4.1", "input": "x", "max_output_tokens": 3});
    let body: Value = post("/v1/responses", &key, short)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["status"], "incomplete");
    assert_eq!(body["incomplete_details"]["reason"], "max_output_tokens");
    assert!(body["usage"]["output_tokens"].as_u64().unwrap() <= 3);
}

#[tokio::test]
async fn responses_function_call() {
    let key = fake_key();
    let tool = Script::new().tool_call("lookup", json!({"id": 7}));
    FakeProvider::shared().script(&key, vec![tool.clone(), tool]);
    let req = json!({"model": "gpt-5", "input": [{"role": "user", "content": "find 7"}]});
    let body: Value = post("/v1/responses", &key, req.clone())
        .await
        .json()
        .await
        .unwrap();
    let item = &body["output"][0];
    assert_eq!(
        (&item["type"], &item["name"]),
        (&json!("function_call"), &json!("lookup"))
    );
    assert_eq!(item["arguments"], r#"{"id":7}"#);
    assert_eq!(body["usage"]["input_tokens"], o200k("find 7"));

    let mut stream_req = req;
    stream_req["stream"] = json!(true);
    let payloads = json_events(
        &post("/v1/responses", &key, stream_req)
            .await
            .text()
            .await
            .unwrap(),
    );
    let args: String = payloads
        .iter()
        .filter(|p| p["type"] == "response.function_call_arguments.delta")
        .filter_map(|p| p["delta"].as_str())
        .collect();
    assert_eq!(args, r#"{"id":7}"#);
    assert_eq!(payloads.last().unwrap()["type"], "response.completed");
}

#[tokio::test]
async fn embeddings_float_base64_and_ids() {
    let key = fake_key();
    let req = json!({"model": "text-embedding-3-small", "input": ["alpha beta", "gamma"]});
    let body: Value = post("/v1/embeddings", &key, req.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["object"], "list");
    assert_eq!(
        body["usage"]["prompt_tokens"],
        cl100k("alpha beta") + cl100k("gamma")
    );
    assert_eq!(
        body["usage"]["total_tokens"],
        body["usage"]["prompt_tokens"]
    );
    let first: Vec<f32> = serde_json::from_value(body["data"][0]["embedding"].clone()).unwrap();
    assert_eq!(first.len(), 8);
    let norm: f32 = first.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-4);
    assert_eq!(body["data"][1]["index"], 1);

    let mut b64 = req.clone();
    b64["encoding_format"] = json!("base64");
    let body: Value = post("/v1/embeddings", &key, b64)
        .await
        .json()
        .await
        .unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(body["data"][0]["embedding"].as_str().unwrap())
        .unwrap();
    let decoded: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
        .collect();
    assert_eq!(
        decoded, first,
        "base64 is the same little-endian f32 vector"
    );

    let dims = json!({"model": "text-embedding-3-small", "input": "alpha beta", "dimensions": 32});
    let body: Value = post("/v1/embeddings", &key, dims)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"][0]["embedding"].as_array().unwrap().len(), 32);
    let ids = json!({"model": "text-embedding-3-small", "input": [[1, 2, 3], [4, 5]]});
    let body: Value = post("/v1/embeddings", &key, ids)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["usage"]["prompt_tokens"], 5);
}
