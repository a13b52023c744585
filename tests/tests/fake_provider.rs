//! The fake provider over real HTTP: wire shapes, token counts checked
//! against an independent bpe-openai count, every script behaviour, tenant
//! isolation and the control API.

use iron_testkit::FakeProvider;
use serde_json::{Value, json};

fn o200k(text: &str) -> usize {
    bpe_openai::o200k_base().count(text)
}

fn cl100k(text: &str) -> usize {
    bpe_openai::cl100k_base().count(text)
}

async fn post(path: &str, key: &str, body: Value) -> reqwest::Response {
    let fake = FakeProvider::shared();
    reqwest::Client::new()
        .post(format!("{}{path}", fake.url()))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .expect("request")
}

async fn post_anthropic(key: &str, body: Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/v1/messages", FakeProvider::shared().url()))
        .header("x-api-key", key)
        .header("anthropic-version", "2023-06-01")
        .json(&body)
        .send()
        .await
        .expect("request")
}

/// (event name, data) pairs of an SSE body.
fn sse(text: &str) -> Vec<(Option<String>, String)> {
    text.split("\n\n")
        .filter(|block| !block.trim().is_empty())
        .map(|block| {
            let mut name = None;
            let mut data = String::new();
            for line in block.lines() {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = Some(n.to_owned());
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push_str(d);
                }
            }
            (name, data)
        })
        .collect()
}

fn json_events(text: &str) -> Vec<Value> {
    sse(text)
        .into_iter()
        .filter(|(_, data)| data != "[DONE]")
        .map(|(_, data)| serde_json::from_str(&data).expect("event JSON"))
        .collect()
}

fn chat_body() -> Value {
    json!({"model": "gpt-4o", "messages": [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "name": "ada", "content": "Count the tokens of this prompt, please."}
    ]})
}

/// OpenAI cookbook: 3 per message, each string field, +1 per name, 3 priming.
fn chat_prompt(count: fn(&str) -> usize) -> usize {
    let system = 3 + count("system") + count("You are terse.");
    let user =
        3 + count("user") + count("ada") + 1 + count("Count the tokens of this prompt, please.");
    system + user + 3
}

#[path = "fake_provider/anthropic.rs"]
mod anthropic;
#[path = "fake_provider/behaviour.rs"]
mod behaviour;
#[path = "fake_provider/openai.rs"]
mod openai;
