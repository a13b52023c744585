//! The gateway with the OpenAI wire format, end to end: agent (reqwest) →
//! gateway → fake provider. Credentials, billing, refusals.

mod common;

use common::*;
use iron_core::accounting::Usage;
use iron_testkit::Script;
use serde_json::{Value, json};

#[tokio::test]
async fn chat_json_injects_the_real_key_and_bills_the_reported_usage() {
    let s = setup(5.0).await;
    let response = s.send_chat("gpt-4o-mini", "Hello there").await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(!text.contains(&s.key), "the agent never sees the real key");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert!(
        !body["choices"][0]["message"]["content"]
            .as_str()
            .unwrap()
            .is_empty()
    );

    let seen = s.fake.requests(&s.key);
    assert_eq!(seen.len(), 1);
    let auth = seen[0].headers.get("authorization").unwrap();
    assert_eq!(
        auth,
        &format!("Bearer {}", s.key),
        "provider sees the real key"
    );
    let placeholder = s.runtime.placeholder_key();
    assert!(
        seen[0].headers.values().all(|v| !v.contains(placeholder)),
        "the placeholder never reaches the provider"
    );

    let usage = Usage {
        input_tokens: body["usage"]["prompt_tokens"].as_u64().unwrap(),
        cached_input_tokens: 0,
        output_tokens: body["usage"]["completion_tokens"].as_u64().unwrap(),
    };
    assert_eq!(s.spent(), price_cost("gpt-4o-mini", usage));
    let calls = s.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].data["outcome"], "ok");
    assert_eq!(calls[0].data["usage_source"], "usage");
    assert_eq!(calls[0].data["input_tokens"], usage.input_tokens);
    assert_eq!(calls[0].data["cost_micros"], s.spent());
}

#[tokio::test]
async fn a_wrong_or_missing_placeholder_is_refused_before_the_provider() {
    let s = setup(5.0).await;
    let url = format!("{}/v1/chat/completions", s.runtime.gateway_url());
    let missing = s
        .http
        .post(&url)
        .json(&chat("gpt-4o-mini", "hi"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 401);
    let wrong = s
        .http
        .post(&url)
        .bearer_auth(&s.key)
        .json(&chat("gpt-4o-mini", "hi"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        wrong.status(),
        401,
        "even the real key is not the gateway's key"
    );
    assert_openai_error(&wrong.json().await.unwrap(), "invalid_api_key");
    assert_eq!(s.provider_calls(), 0);
}

#[tokio::test]
async fn bad_requests_get_clear_openai_errors_and_never_reach_the_provider() {
    let s = setup_with(5.0, |b| b.max_body_bytes(64 * 1024)).await;
    let cases: Vec<(reqwest::RequestBuilder, u16, &str)> = vec![
        (
            s.openai("/chat/completions").body("{not json"),
            400,
            "invalid_request_error",
        ),
        (
            s.openai("/chat/completions").json(&json!({"messages": []})),
            400,
            "invalid_request_error",
        ),
        (
            s.openai("/chat/completions")
                .json(&json!({"model": "gpt-4o", "messages": "hi"})),
            400,
            "invalid_request_error",
        ),
        (
            s.openai("/chat/completions")
                .json(&json!({"model": "gpt-4o", "messages": [], "max_tokens": -5})),
            400,
            "invalid_request_error",
        ),
        (
            s.openai("/chat/completions")
                .json(&chat("no-such-model-9000", "hi")),
            404,
            "model_not_found",
        ),
        (
            s.openai("/chat/completions")
                .json(&chat("gpt-4o", &"x".repeat(100 * 1024))),
            413,
            "request_too_large",
        ),
        (
            s.openai("/embeddings")
                .json(&json!({"model": "text-embedding-3-small", "input": "a", "stream": true})),
            400,
            "invalid_request_error",
        ),
    ];
    for (request, status, code) in cases {
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), status);
        assert_eq!(response.headers()["x-should-retry"], "false");
        assert_openai_error(&response.json().await.unwrap(), code);
    }
    assert_eq!(s.provider_calls(), 0);
    assert_eq!(s.spent(), 0);
    assert_eq!(
        s.runtime.budget().reserved,
        0,
        "refusals hold no reservation"
    );
}

#[tokio::test]
async fn models_outside_the_allow_list_are_refused() {
    let s = setup_with(5.0, |b| b.allowed_models(vec!["gpt-4o-mini*".into()])).await;
    let ok = s.send_chat("gpt-4o-mini", "hi").await;
    assert_eq!(ok.status(), 200);
    let denied = s.send_chat("gpt-4o", "hi").await;
    assert_eq!(denied.status(), 403);
    assert_openai_error(&denied.json().await.unwrap(), "model_not_allowed");
    assert_eq!(s.provider_calls(), 1);
    let models: Value = s
        .http
        .get(format!("{}/v1/models", s.runtime.gateway_url()))
        .bearer_auth(s.runtime.placeholder_key())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = models["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"gpt-4o-mini") && !ids.contains(&"gpt-4o"),
        "{ids:?}"
    );
}

#[tokio::test]
async fn stream_is_billed_from_the_usage_chunk_which_the_agent_did_not_ask_for() {
    let s = setup(5.0).await;
    let mut body = chat("gpt-4o-mini", "Tell me a story");
    body["stream"] = json!(true);
    let text = s
        .openai("/chat/completions")
        .json(&body)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let data = sse_data(&text);
    assert_eq!(data.last().unwrap(), "[DONE]");
    let chunks: Vec<Value> = data
        .iter()
        .filter(|d| *d != "[DONE]")
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    assert!(
        chunks.iter().all(|c| c["usage"].is_null()),
        "the injected usage chunk is stripped"
    );

    let sent = s.fake.requests(&s.key)[0].body.clone();
    assert_eq!(
        sent["stream_options"]["include_usage"], true,
        "the gateway asked for usage"
    );
    let calls = s.wait_for_calls(1).await;
    assert_eq!(calls[0].data["usage_source"], "usage");
    assert!(s.spent() > 0);
    assert_eq!(calls[0].data["cost_micros"], s.spent());
}

#[tokio::test]
async fn stream_keeps_the_usage_chunk_when_the_agent_asked_for_it() {
    let s = setup(5.0).await;
    let mut body = chat("gpt-4o-mini", "Tell me a story");
    body["stream"] = json!(true);
    body["stream_options"] = json!({"include_usage": true});
    let text = s
        .openai("/chat/completions")
        .json(&body)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let usage_chunk: Value = sse_data(&text)
        .iter()
        .filter(|d| *d != "[DONE]")
        .map(|d| serde_json::from_str::<Value>(d).unwrap())
        .find(|c| !c["usage"].is_null())
        .expect("usage chunk forwarded");
    let usage = Usage {
        input_tokens: usage_chunk["usage"]["prompt_tokens"].as_u64().unwrap(),
        cached_input_tokens: 0,
        output_tokens: usage_chunk["usage"]["completion_tokens"].as_u64().unwrap(),
    };
    s.wait_for_calls(1).await;
    assert_eq!(s.spent(), price_cost("gpt-4o-mini", usage));
}

#[tokio::test]
async fn stream_without_usage_is_billed_from_counted_output() {
    let s = setup(5.0).await;
    let reply = "one two three four five six seven eight nine ten";
    s.fake.script(
        &s.key,
        vec![Script {
            omit_usage: true,
            reply: Some(reply.into()),
            ..Default::default()
        }],
    );
    let mut body = chat("gpt-4o-mini", "count to ten");
    body["stream"] = json!(true);
    let text = s
        .openai("/chat/completions")
        .json(&body)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("[DONE]"));
    let calls = s.wait_for_calls(1).await;
    assert_eq!(calls[0].data["usage_source"], "counted");
    let output = calls[0].data["output_tokens"].as_u64().unwrap();
    assert_eq!(
        output,
        iron_core::accounting::count_output_text("gpt-4o-mini", reply)
    );
    let input = calls[0].data["input_tokens"].as_u64().unwrap();
    assert!(input > 0);
    let expected = price_cost(
        "gpt-4o-mini",
        Usage {
            input_tokens: input,
            cached_input_tokens: 0,
            output_tokens: output,
        },
    );
    assert_eq!(s.spent(), expected);
}

#[tokio::test]
async fn a_stream_the_provider_breaks_is_billed_for_what_was_received() {
    let s = setup(5.0).await;
    s.fake
        .script(&s.key, vec![Script::new().stream_drop_after(3)]);
    let mut body = chat("gpt-4o-mini", "Tell me a long story");
    body["stream"] = json!(true);
    let response = s
        .openai("/chat/completions")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.text().await.is_err(),
        "the agent sees the stream break"
    );
    let calls = s.wait_for_calls(1).await;
    assert_eq!(calls[0].data["outcome"], "aborted");
    let output = calls[0].data["output_tokens"].as_u64().unwrap();
    assert!(
        (1..=6).contains(&output),
        "3 chunks received, got {output} tokens"
    );
    assert!(s.spent() > 0);
    assert!(s.spent() < calls[0].data["reserved_micros"].as_i64().unwrap());
    assert_eq!(s.runtime.budget().reserved, 0);
}

#[tokio::test]
async fn an_agent_that_hangs_up_mid_stream_is_billed_for_what_it_received() {
    let s = setup(5.0).await;
    s.fake
        .script(&s.key, vec![Script::new().chunk_delay_ms(100)]);
    let mut body = chat("gpt-4o-mini", "Tell me a long story");
    body["stream"] = json!(true);
    let mut response = s
        .openai("/chat/completions")
        .json(&body)
        .send()
        .await
        .unwrap();
    let first = response.chunk().await.unwrap().expect("a first chunk");
    assert!(!first.is_empty());
    drop(response);
    let calls = s.wait_for_calls(1).await;
    assert_eq!(calls[0].data["outcome"], "aborted");
    assert!(s.spent() > 0, "prompt tokens at least are billed");
    assert_eq!(s.runtime.budget().reserved, 0, "nothing stays reserved");
}

#[tokio::test]
async fn embeddings_and_responses_are_governed_too() {
    let s = setup(5.0).await;
    let emb: Value = s
        .openai("/embeddings")
        .json(&json!({"model": "text-embedding-3-small", "input": ["alpha", "beta"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(emb["data"].as_array().unwrap().len(), 2);
    let after_embeddings = s.spent();
    assert!(after_embeddings > 0);

    let resp: Value = s
        .openai("/responses")
        .json(&json!({"model": "gpt-4o-mini", "input": "Say hi", "max_output_tokens": 50}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(resp["object"], "response");
    let usage = Usage {
        input_tokens: resp["usage"]["input_tokens"].as_u64().unwrap(),
        cached_input_tokens: 0,
        output_tokens: resp["usage"]["output_tokens"].as_u64().unwrap(),
    };
    assert_eq!(
        s.spent() - after_embeddings,
        price_cost("gpt-4o-mini", usage)
    );

    let streamed = s
        .openai("/responses")
        .json(&json!({"model": "gpt-4o-mini", "input": "Say hi", "stream": true}))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(streamed.contains("response.completed"));
    let calls = s.wait_for_calls(3).await;
    assert_eq!(calls[2].data["usage_source"], "usage");
}

#[tokio::test]
async fn shutdown_returns_the_unspent_lease_and_the_ledger_balances() {
    let s = setup(1.0).await;
    for _ in 0..3 {
        let r = s.send_chat("gpt-4o-mini", "hi").await;
        assert_eq!(r.status(), 200);
    }
    let spent = s.spent();
    let snapshot = s.runtime.shutdown().await.unwrap();
    assert_eq!(snapshot.spent, spent);
    assert_eq!(snapshot.reserved, 0);
    assert_eq!(
        snapshot.granted,
        snapshot.spent + snapshot.returned,
        "{snapshot:?}"
    );
}

#[tokio::test]
async fn every_call_is_written_to_the_event_log() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("events.jsonl");
    let s = setup_with(5.0, |b| b.event_log(&log)).await;
    let ok = s.send_chat("gpt-4o-mini", "hi").await;
    assert_eq!(ok.status(), 200);
    let refused = s.send_chat("nope-model", "hi").await;
    assert_eq!(refused.status(), 404);
    s.runtime.shutdown().await.unwrap();
    let lines: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let outcomes: Vec<&str> = lines
        .iter()
        .filter(|e| e["type"] == "llm.call")
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["ok", "model_not_found"], "{lines:#?}");
    assert!(
        lines
            .iter()
            .all(|e| e["timestamp"].as_str().unwrap().ends_with('Z'))
    );
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(!text.contains(&s.key), "no provider key in events");
}

#[test]
fn a_runtime_can_run_on_its_own_tokio_runtime_for_blocking_callers() {
    let runtime = iron_core::Runtime::builder()
        .budget_usd(1.0)
        .upstream(
            iron_core::provider::ProviderKind::OpenAi,
            iron_testkit::FakeProvider::shared().url(),
        )
        .start_blocking()
        .unwrap();
    assert!(runtime.gateway_url().starts_with("http://127.0.0.1:"));
    assert_eq!(runtime.remaining(), Some(1_000_000));
    let snapshot = runtime.shutdown_blocking().unwrap();
    assert_eq!(snapshot.spent, 0);
}
