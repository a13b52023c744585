//! Script behaviours, tenant isolation, request log and the control API.

use super::*;
use std::time::{Duration, Instant};

use futures::StreamExt;
use iron_testkit::fake_provider::tokens::DEFAULT_REPLY;
use iron_testkit::{FakeProvider, Outcome, Script, fake_key};

#[tokio::test]
async fn scripted_errors_in_each_format() {
    let key = fake_key();
    let fake = FakeProvider::shared();
    fake.script(
        &key,
        vec![
            Script::new().status(429).retry_after(1),
            Script::new().status(500),
        ],
    );
    let resp = post("/v1/chat/completions", &key, chat_body()).await;
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["retry-after"], "1");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limit_exceeded");
    let resp = post("/v1/chat/completions", &key, chat_body()).await;
    assert_eq!(resp.status(), 500);
    assert_eq!(
        resp.json::<Value>().await.unwrap()["error"]["type"],
        "server_error"
    );
    assert_eq!(
        post("/v1/chat/completions", &key, chat_body())
            .await
            .status(),
        200
    );

    fake.script(
        &key,
        vec![
            Script::new().status(529),
            Script::new().status(429).retry_after(7),
        ],
    );
    let req = json!({"model": "claude", "max_tokens": 5, "messages": []});
    let body: Value = post_anthropic(&key, req.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["error"]["type"], "overloaded_error");
    let resp = post_anthropic(&key, req).await;
    assert_eq!(resp.headers()["retry-after"], "7");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        (&body["type"], &body["error"]["type"]),
        (&json!("error"), &json!("rate_limit_error"))
    );

    let outcomes: Vec<_> = fake
        .requests(&key)
        .iter()
        .map(|r| (r.status, r.outcome))
        .collect();
    assert_eq!(outcomes[0], (Some(429), Outcome::Failed));
    assert_eq!(outcomes[2], (Some(200), Outcome::Completed));
}

#[tokio::test]
async fn delay_and_chunk_delay() {
    let key = fake_key();
    let fake = FakeProvider::shared();
    fake.script(
        &key,
        vec![
            Script::new().delay_ms(300),
            Script::new().chunk_delay_ms(40),
        ],
    );
    let started = Instant::now();
    assert_eq!(
        post("/v1/chat/completions", &key, chat_body())
            .await
            .status(),
        200
    );
    assert!(started.elapsed() >= Duration::from_millis(300));

    let mut req = chat_body();
    req["stream"] = json!(true);
    let started = Instant::now();
    let text = post("/v1/chat/completions", &key, req)
        .await
        .text()
        .await
        .unwrap();
    let words = DEFAULT_REPLY.split_whitespace().count() as u32;
    assert!(started.elapsed() >= Duration::from_millis(40) * words);
    assert!(text.contains("[DONE]"));
}

#[tokio::test]
async fn drop_closes_the_connection_without_a_response() {
    let key = fake_key();
    let fake = FakeProvider::shared();
    fake.script(&key, vec![Script::new().drop_connection()]);
    let err = reqwest::Client::new()
        .post(format!("{}/v1/chat/completions", fake.url()))
        .bearer_auth(&key)
        .json(&chat_body())
        .send()
        .await
        .expect_err("a dropped connection is an error, not a response");
    assert!(err.status().is_none() && err.is_request(), "{err:?}");
    let recorded = fake.requests(&key);
    assert_eq!(
        (recorded[0].outcome, recorded[0].status),
        (Outcome::Dropped, None)
    );
    // The queue moved on: the next request is answered.
    assert_eq!(
        post("/v1/chat/completions", &key, chat_body())
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn stream_drop_after_aborts_mid_stream() {
    let key = fake_key();
    let fake = FakeProvider::shared();
    fake.script(&key, vec![Script::new().stream_drop_after(3)]);
    let mut req = chat_body();
    req["stream"] = json!(true);
    let resp = post("/v1/chat/completions", &key, req).await;
    assert_eq!(resp.status(), 200);
    let mut body = resp.bytes_stream();
    let mut received = Vec::new();
    let error = loop {
        match body.next().await {
            Some(Ok(bytes)) => received.extend_from_slice(&bytes),
            Some(Err(e)) => break e,
            None => panic!("the stream ended cleanly instead of aborting"),
        }
    };
    assert!(error.is_body() || error.is_decode(), "{error:?}");
    let chunks = json_events(&String::from_utf8(received).unwrap());
    let content: Vec<&str> = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(content, ["This", " is", " a"]);
    assert_eq!(fake.requests(&key)[0].outcome, Outcome::StreamDropped);
}

#[tokio::test]
async fn omit_usage_and_custom_reply() {
    let key = fake_key();
    let fake = FakeProvider::shared();
    let entry = Script::new().reply("Custom words here.").omit_usage();
    fake.script(&key, vec![entry.clone(), entry]);
    let body: Value = post("/v1/chat/completions", &key, chat_body())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["choices"][0]["message"]["content"],
        "Custom words here."
    );
    assert!(body.get("usage").is_none());
    let mut req = chat_body();
    req["stream"] = json!(true);
    req["stream_options"] = json!({"include_usage": true});
    let chunks = json_events(
        &post("/v1/chat/completions", &key, req)
            .await
            .text()
            .await
            .unwrap(),
    );
    assert!(chunks.iter().all(|c| c["usage"].is_null()));
    assert!(chunks.iter().all(|c| c["choices"] != json!([])));
    // Queue empty again: usage is back.
    let body: Value = post("/v1/chat/completions", &key, chat_body())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["usage"]["completion_tokens"], o200k(DEFAULT_REPLY));
}

#[tokio::test]
async fn sticky_entry_applies_until_reset() {
    let key = fake_key();
    let fake = FakeProvider::shared();
    fake.script(&key, vec![Script::new().status(503).sticky()]);
    for _ in 0..3 {
        assert_eq!(
            post("/v1/chat/completions", &key, chat_body())
                .await
                .status(),
            503
        );
    }
    fake.reset(&key);
    assert_eq!(fake.request_count(&key), 0);
    assert_eq!(
        post("/v1/chat/completions", &key, chat_body())
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn tenants_are_isolated() {
    let (a, b) = (fake_key(), fake_key());
    let fake = FakeProvider::shared();
    fake.script(&a, vec![Script::new().status(429)]);
    let (ra, rb) = tokio::join!(
        post("/v1/chat/completions", &a, chat_body()),
        post("/v1/chat/completions", &b, chat_body())
    );
    assert_eq!((ra.status().as_u16(), rb.status().as_u16()), (429, 200));
    let more = (0..5).map(|_| post("/v1/embeddings", &b, json!({"model": "m", "input": "x"})));
    futures::future::join_all(more).await;
    assert_eq!((fake.request_count(&a), fake.request_count(&b)), (1, 6));
    assert_eq!(fake.stats(&b).completed, 6);
    assert!(
        fake.requests(&b)
            .iter()
            .all(|r| r.header("authorization") == Some(&format!("Bearer {b}")))
    );
}

#[tokio::test]
async fn records_requests_in_detail() {
    let key = fake_key();
    let fake = FakeProvider::shared();
    let resp = reqwest::Client::new()
        .post(format!("{}/v1/chat/completions?trace=1", fake.url()))
        .bearer_auth(&key)
        .header("x-custom", "yes")
        .json(&chat_body())
        .send()
        .await
        .unwrap();
    resp.text().await.unwrap();
    let recorded = &fake.requests(&key)[0];
    assert_eq!(
        (recorded.method.as_str(), recorded.path.as_str()),
        ("POST", "/v1/chat/completions")
    );
    assert_eq!(recorded.query.as_deref(), Some("trace=1"));
    assert_eq!(recorded.header("X-Custom"), Some("yes"));
    assert_eq!(recorded.body, chat_body());
    assert_eq!(
        serde_json::from_str::<Value>(&recorded.raw_body).unwrap(),
        chat_body()
    );
    assert!(recorded.timestamp_ms > 0);
    assert_eq!(recorded.outcome, Outcome::Completed);
}

#[tokio::test]
async fn control_api_over_http() {
    let key = fake_key();
    let url = FakeProvider::shared().url();
    let client = reqwest::Client::new();
    let script = json!([{"status": 500}, {"reply": "scripted over http"}]);
    let resp = client
        .post(format!("{url}/_fake/keys/{key}/script"))
        .json(&script)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.json::<Value>().await.unwrap()["queued"], 2);
    assert_eq!(
        post("/v1/chat/completions", &key, chat_body())
            .await
            .status(),
        500
    );
    let body: Value = post("/v1/chat/completions", &key, chat_body())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["choices"][0]["message"]["content"],
        "scripted over http"
    );

    let get = |path: String| {
        let client = client.clone();
        async move {
            client
                .get(path)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let requests = get(format!("{url}/_fake/keys/{key}/requests")).await;
    assert_eq!(requests.as_array().unwrap().len(), 2);
    assert_eq!(
        requests[0]["headers"]["authorization"],
        format!("Bearer {key}")
    );
    assert_eq!(requests[0]["body"]["model"], "gpt-4o");
    assert_eq!(requests[0]["outcome"], "failed");
    assert_eq!(requests[1]["script"]["reply"], "scripted over http");
    let stats = get(format!("{url}/_fake/keys/{key}/stats")).await;
    assert_eq!(stats, json!({"requests": 2, "completed": 1}));
    let totals = get(format!("{url}/_fake/stats")).await;
    assert!(totals["requests"].as_u64().unwrap() >= 2);

    let bad = client
        .post(format!("{url}/_fake/keys/{key}/script"))
        .json(&json!([{"bogus": 1}]));
    assert_eq!(bad.send().await.unwrap().status(), 400);
    let deleted = client
        .delete(format!("{url}/_fake/keys/{key}"))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let stats = get(format!("{url}/_fake/keys/{key}/stats")).await;
    assert_eq!(stats, json!({"requests": 0, "completed": 0}));
}

#[tokio::test]
async fn own_instance_and_models() {
    let fake = FakeProvider::start().await.unwrap();
    assert!(fake.url().starts_with("http://127.0.0.1:") && !fake.url().ends_with('/'));
    let key = fake_key();
    assert!(key.starts_with("sk-test-") && key != fake_key());
    let client = reqwest::Client::new();
    let models: Value = client
        .get(format!("{}/v1/models", fake.url()))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(models["object"], "list");
    assert!(
        models["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == "gpt-4o")
    );
    let missing = client
        .post(format!("{}/v1/nope", fake.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(fake.total_requests(), 1);
}
