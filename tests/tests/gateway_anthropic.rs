//! The gateway with Anthropic's wire format.

mod common;

use common::*;
use iron_core::accounting::Usage;
use iron_testkit::Script;
use serde_json::{Value, json};

fn message(text: &str) -> Value {
    json!({"model": "claude-sonnet-4-5", "max_tokens": 200, "messages": [{"role": "user", "content": text}]})
}

#[tokio::test]
async fn messages_json_uses_x_api_key_and_bills_reported_usage() {
    let s = setup(5.0).await;
    let r = s
        .anthropic()
        .json(&message("Hello Claude"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["type"], "message");
    let seen = &s.fake.requests(&s.key)[0];
    assert_eq!(seen.header("x-api-key"), Some(s.key.as_str()));
    assert_eq!(seen.header("anthropic-version"), Some("2023-06-01"));
    assert!(seen.header("authorization").is_none());
    let usage = Usage {
        input_tokens: body["usage"]["input_tokens"].as_u64().unwrap(),
        cached_input_tokens: 0,
        output_tokens: body["usage"]["output_tokens"].as_u64().unwrap(),
    };
    assert_eq!(s.spent(), price_cost("claude-sonnet-4-5", usage));
}

#[tokio::test]
async fn messages_stream_is_billed_from_message_delta_usage() {
    let s = setup(5.0).await;
    let mut body = message("Stream please");
    body["stream"] = json!(true);
    let text = s
        .anthropic()
        .json(&body)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("event: message_stop"));
    let calls = s.wait_for_calls(1).await;
    assert_eq!(calls[0].data["usage_source"], "usage");
    assert!(calls[0].data["output_tokens"].as_u64().unwrap() > 1);
    assert_eq!(calls[0].data["cost_micros"], s.spent());
}

#[tokio::test]
async fn a_broken_anthropic_stream_bills_reported_input_and_counted_output() {
    let s = setup(5.0).await;
    s.fake
        .script(&s.key, vec![Script::new().stream_drop_after(2)]);
    let mut body = message("Stream please");
    body["stream"] = json!(true);
    let r = s.anthropic().json(&body).send().await.unwrap();
    assert!(r.text().await.is_err());
    let calls = s.wait_for_calls(1).await;
    assert_eq!(calls[0].data["outcome"], "aborted");
    assert!(calls[0].data["input_tokens"].as_u64().unwrap() > 0);
    assert!(s.spent() > 0);
}

#[tokio::test]
async fn refusals_use_anthropics_error_shape() {
    let s = setup(0.000001).await;
    let r = s.anthropic().json(&message("hi")).send().await.unwrap();
    assert_eq!(r.status(), 402);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["type"], "error");
    assert_eq!(body["error"]["type"], "budget_exceeded");
    let r = s.anthropic().body("{").send().await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["type"], "error");
    assert_eq!(s.provider_calls(), 0);
}
