//! Shared set-up for the cross-component tests: a real fake provider, a
//! real runtime (gateway + accountant) pointed at it, and a reqwest client
//! playing the agent.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use iron_core::accounting::{PriceTable, StaticPriceTable, Usage};
use iron_core::events::Event;
use iron_core::provider::ProviderKind;
use iron_core::reliability::RetryPolicy;
use iron_core::secrets::{Secret, StaticSecrets};
use iron_core::{Micros, Runtime, RuntimeBuilder};
use iron_testkit::{FakeProvider, fake_key};
use serde_json::{Value, json};

pub struct Setup {
    pub fake: &'static FakeProvider,
    /// The real provider key: the fake files requests under it.
    pub key: String,
    pub runtime: Runtime,
    pub http: reqwest::Client,
}

/// Fast retries so reliability tests don't wait on real backoff.
pub fn quick_retry(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(5),
    }
}

pub async fn setup(budget_usd: f64) -> Setup {
    setup_with(budget_usd, |b| b).await
}

pub async fn setup_with(
    budget_usd: f64,
    configure: impl FnOnce(RuntimeBuilder) -> RuntimeBuilder,
) -> Setup {
    let fake = FakeProvider::shared();
    let key = fake_key();
    let secrets = StaticSecrets::new()
        .with_key(ProviderKind::OpenAi, Secret::new(key.clone()))
        .with_key(ProviderKind::Anthropic, Secret::new(key.clone()));
    let builder = Runtime::builder()
        .budget_usd(budget_usd)
        .secrets(Arc::new(secrets))
        .upstream(ProviderKind::OpenAi, fake.url())
        .upstream(ProviderKind::Anthropic, fake.url())
        .retry(quick_retry(3));
    let runtime = configure(builder).start().await.expect("runtime starts");
    Setup {
        fake,
        key,
        runtime,
        http: reqwest::Client::new(),
    }
}

impl Setup {
    /// A request as the official OpenAI client sends it, placeholder included.
    pub fn openai(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}/v1{path}", self.runtime.gateway_url()))
            .bearer_auth(self.runtime.placeholder_key())
    }

    /// Sends a one-message chat completion through the gateway.
    pub async fn send_chat(&self, model: &str, text: &str) -> reqwest::Response {
        self.openai("/chat/completions")
            .json(&chat(model, text))
            .send()
            .await
            .expect("the gateway answers")
    }

    /// A request as the official Anthropic client sends it.
    pub fn anthropic(&self) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}/v1/messages", self.runtime.gateway_url()))
            .header("x-api-key", self.runtime.placeholder_key())
            .header("anthropic-version", "2023-06-01")
    }

    pub fn provider_calls(&self) -> usize {
        self.fake.request_count(&self.key)
    }

    pub fn spent(&self) -> Micros {
        self.runtime.budget().spent
    }

    pub fn calls(&self) -> Vec<Event> {
        self.runtime
            .events()
            .into_iter()
            .filter(|e| e.kind == "llm.call")
            .collect()
    }

    /// Events are emitted when a stream's billing ends, which may trail the
    /// last byte the client read by a moment: wait for them (bounded).
    pub async fn wait_for_calls(&self, n: usize) -> Vec<Event> {
        for _ in 0..200 {
            let calls = self.calls();
            if calls.len() >= n {
                return calls;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("expected {n} llm.call events, got {:?}", self.calls());
    }
}

pub fn chat(model: &str, text: &str) -> Value {
    json!({ "model": model, "messages": [{ "role": "user", "content": text }] })
}

pub fn price_cost(model: &str, usage: Usage) -> Micros {
    StaticPriceTable::builtin()
        .price(model)
        .unwrap()
        .cost(&usage)
}

/// Data payloads of an SSE body.
pub fn sse_data(body: &str) -> Vec<String> {
    body.split("\n\n")
        .filter_map(|event| {
            event
                .lines()
                .find_map(|l| l.strip_prefix("data: ").or_else(|| l.strip_prefix("data:")))
                .map(str::to_string)
        })
        .collect()
}

/// Asserts an error answer has the OpenAI shape with `code`.
pub fn assert_openai_error(body: &Value, code: &str) {
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["type"].as_str().is_some(), "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}
