//! Embedding iron-core in a Rust program: start a runtime with a local
//! budget, point an ordinary HTTP client at its gateway, and make governed
//! calls. The program never handles the real provider key after start-up.
//!
//! Run against the real OpenAI API:
//!   OPENAI_API_KEY=sk-... cargo run -p rust-embed
//! or against any OpenAI-compatible server (the README's main command runs
//! it against the test provider):
//!   IRON_OPENAI_UPSTREAM_URL=http://127.0.0.1:PORT OPENAI_API_KEY=... cargo run -p rust-embed

use iron_core::Runtime;
use iron_core::money::micros_to_usd_string;
use serde_json::{Value, json};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let budget_usd: f64 = std::env::var("IRON_BUDGET_USD")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.001);
    let runtime = Runtime::builder().budget_usd(budget_usd).start().await?;
    println!(
        "gateway listening at {} with a ${budget_usd} budget",
        runtime.gateway_url()
    );

    // An agent would get these through its environment; here we use them directly.
    let env: std::collections::HashMap<_, _> = runtime.env_vars().into_iter().collect();
    let base = &env["OPENAI_BASE_URL"];
    let key = &env["OPENAI_API_KEY"];
    let http = reqwest::Client::new();

    let mut calls = 0;
    loop {
        calls += 1;
        let response = http
            .post(format!("{base}/chat/completions"))
            .bearer_auth(key)
            .json(&json!({
                "model": "gpt-4o-mini",
                "max_tokens": 1000,
                "messages": [{"role": "user", "content": format!("Call number {calls}: say hello")}],
            }))
            .send()
            .await?;
        let status = response.status();
        let body: Value = response.json().await?;
        if status.is_success() {
            let text = body["choices"][0]["message"]["content"]
                .as_str()
                .unwrap_or("");
            let spent = runtime.budget().spent;
            println!(
                "call {calls}: {status} \"{text}\" (spent so far ${})",
                micros_to_usd_string(spent)
            );
        } else {
            println!(
                "call {calls}: refused with {status}: {}",
                body["error"]["message"]
            );
            break;
        }
        if calls >= 1000 {
            break;
        }
    }
    let last = runtime.shutdown().await?;
    println!(
        "done: {} calls, spent ${} of ${budget_usd}, returned ${}",
        calls - 1,
        micros_to_usd_string(last.spent),
        micros_to_usd_string(last.returned)
    );
    Ok(())
}
