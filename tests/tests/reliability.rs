//! Retry, circuit breaker and fallback against scripted provider failures.

mod common;

use std::time::Duration;

use common::*;
use iron_core::reliability::{BreakerConfig, FallbackTarget};
use iron_testkit::Script;
use serde_json::Value;

#[tokio::test]
async fn retries_a_429_honouring_retry_after_then_succeeds() {
    let s = setup(5.0).await;
    s.fake
        .script(&s.key, vec![Script::new().status(429).retry_after(1)]);
    let started = std::time::Instant::now();
    let r = s.send_chat("gpt-4o-mini", "hi").await;
    assert_eq!(r.status(), 200);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited for Retry-After"
    );
    assert_eq!(s.provider_calls(), 2);
    let calls = s.calls();
    assert_eq!(calls[0].data["attempts"], 2);
    assert!(s.spent() > 0, "only the successful attempt is billed");
    assert_eq!(
        s.runtime
            .events()
            .iter()
            .filter(|e| e.kind == "llm.retry")
            .count(),
        1
    );
}

#[tokio::test]
async fn retries_server_errors_and_dropped_connections() {
    let s = setup(5.0).await;
    s.fake.script(
        &s.key,
        vec![Script::new().status(500), Script::new().drop_connection()],
    );
    let r = s.send_chat("gpt-4o-mini", "hi").await;
    assert_eq!(r.status(), 200);
    assert_eq!(s.provider_calls(), 3);
    assert_eq!(s.calls()[0].data["attempts"], 3);
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_the_providers_error_and_bills_nothing() {
    let s = setup(5.0).await;
    s.fake.script(
        &s.key,
        vec![
            Script::new().status(503),
            Script::new().status(503),
            Script::new().status(503),
            Script::new().status(503),
        ],
    );
    let r = s.send_chat("gpt-4o-mini", "hi").await;
    assert_eq!(r.status(), 503, "the provider's own error comes back");
    assert_eq!(s.provider_calls(), 3);
    assert_eq!(s.spent(), 0);
    assert_eq!(
        s.runtime.budget().reserved,
        0,
        "the reservation was released"
    );
}

#[tokio::test]
async fn client_errors_are_not_retried_and_not_billed() {
    let s = setup(5.0).await;
    s.fake.script(&s.key, vec![Script::new().status(400)]);
    let r = s.send_chat("gpt-4o-mini", "hi").await;
    assert_eq!(r.status(), 400);
    assert_eq!(s.provider_calls(), 1);
    assert_eq!(s.spent(), 0);
}

#[tokio::test]
async fn an_open_breaker_refuses_without_calling_the_provider_then_recovers() {
    let s = setup_with(5.0, |b| {
        b.retry(quick_retry(1)).breaker(BreakerConfig {
            failure_threshold: 2,
            open_for: Duration::from_millis(300),
        })
    })
    .await;
    s.fake.script(
        &s.key,
        vec![Script::new().status(500), Script::new().status(500)],
    );
    for _ in 0..2 {
        let r = s.send_chat("gpt-4o-mini", "hi").await;
        assert_eq!(r.status(), 500);
    }
    let refused = s.send_chat("gpt-4o-mini", "hi").await;
    assert_eq!(refused.status(), 503);
    let body: Value = refused.json().await.unwrap();
    assert_openai_error(&body, "provider_unavailable");
    assert_eq!(
        s.provider_calls(),
        2,
        "the open breaker kept the call from the provider"
    );

    tokio::time::sleep(Duration::from_millis(400)).await;
    let r = s.send_chat("gpt-4o-mini", "hi").await;
    assert_eq!(
        r.status(),
        200,
        "half-open trial succeeds and closes the breaker"
    );
    assert_eq!(s.provider_calls(), 3);
}

#[tokio::test]
async fn falls_back_to_the_next_model_when_the_first_keeps_failing() {
    let s = setup_with(5.0, |b| {
        b.retry(quick_retry(2)).fallback(
            "gpt-4o",
            vec![FallbackTarget {
                provider: "openai".into(),
                model: "gpt-4o-mini".into(),
            }],
        )
    })
    .await;
    s.fake.script(
        &s.key,
        vec![Script::new().status(500), Script::new().status(502)],
    );
    let r = s.send_chat("gpt-4o", "hi").await;
    assert_eq!(r.status(), 200);
    let seen = s.fake.requests(&s.key);
    let models: Vec<&str> = seen
        .iter()
        .map(|r| r.body["model"].as_str().unwrap())
        .collect();
    assert_eq!(models, ["gpt-4o", "gpt-4o", "gpt-4o-mini"]);
    let calls = s.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].data["model"], "gpt-4o-mini",
        "billed at the model that answered"
    );
    assert_eq!(calls[0].data["attempts"], 3);
    assert_eq!(s.runtime.budget().reserved, 0);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_limit_goes_back_to_the_agent() {
    let s = setup_with(5.0, |b| {
        b.retry(iron_core::reliability::RetryPolicy {
            max_retry_after: Duration::from_secs(2),
            ..quick_retry(3)
        })
    })
    .await;
    s.fake
        .script(&s.key, vec![Script::new().status(429).retry_after(60)]);
    let r = s.send_chat("gpt-4o-mini", "hi").await;
    assert_eq!(r.status(), 429);
    assert_eq!(
        r.headers()["retry-after"],
        "60",
        "the provider's Retry-After is passed on"
    );
    assert_eq!(s.provider_calls(), 1);
    assert_eq!(s.spent(), 0);
}

#[tokio::test]
async fn falls_back_to_another_provider_of_the_same_format() {
    use iron_core::provider::{HttpProvider, ProviderKind};
    use iron_core::secrets::{Secret, StaticSecrets};
    use std::sync::Arc;

    // A second OpenAI-compatible endpoint (the same fake, another tenant key).
    let backup_key = iron_testkit::fake_key();
    let backup_secrets =
        StaticSecrets::new().with_key(ProviderKind::OpenAi, Secret::new(backup_key.clone()));
    let backup = HttpProvider::new(
        "openai-backup",
        ProviderKind::OpenAi,
        iron_testkit::FakeProvider::shared().url(),
        Arc::new(backup_secrets),
    )
    .unwrap();
    let s = setup_with(5.0, |b| {
        b.retry(quick_retry(1)).provider(Arc::new(backup)).fallback(
            "gpt-4o-mini",
            vec![FallbackTarget {
                provider: "openai-backup".into(),
                model: "gpt-4o-mini".into(),
            }],
        )
    })
    .await;
    s.fake.script(&s.key, vec![Script::new().drop_connection()]);
    let r = s.send_chat("gpt-4o-mini", "hi").await;
    assert_eq!(r.status(), 200);
    assert_eq!(s.provider_calls(), 1);
    assert_eq!(
        s.fake.request_count(&backup_key),
        1,
        "the backup provider answered"
    );
    assert_eq!(s.calls()[0].data["provider"], "openai-backup");
}
