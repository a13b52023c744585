//! Invariants 1 and 5 through the gateway: concurrent calls never spend
//! more than the budget, and refused calls never reach the provider.

mod common;

use common::*;
use iron_core::accounting::{PriceTable, StaticPriceTable};
use iron_testkit::Script;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_calls_never_overspend_and_refusals_never_reach_the_provider() {
    // Worst case of one call: its prompt plus max_tokens of output.
    let body = json!({
        "model": "gpt-4o",
        "max_tokens": 400,
        "messages": [{"role": "user", "content": "Summarise the quarterly report in detail."}],
    });
    let price = StaticPriceTable::builtin().price("gpt-4o").unwrap();
    let worst = price.worst_case(30, 400);
    let budget_micros = worst * 50;
    let s = setup_with(0.0, |b| {
        b.budget_micros(budget_micros).tranche_micros(worst * 5)
    })
    .await;
    // Every answer runs to max_tokens, so actual cost is close to the worst
    // case and about 50 calls fit whatever the timing.
    let long_reply = "word ".repeat(1000);
    s.fake.script(
        &s.key,
        vec![Script {
            reply: Some(long_reply),
            sticky: true,
            ..Default::default()
        }],
    );

    let mut tasks = Vec::new();
    for _ in 0..200 {
        let request = s.openai("/chat/completions").json(&body);
        tasks.push(tokio::spawn(async move {
            let r = request.send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap())
        }));
    }
    let mut ok = 0;
    let mut refused = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            200 => ok += 1,
            402 => {
                assert_openai_error(&body, "budget_exceeded");
                refused += 1;
            }
            other => panic!("unexpected status {other}: {body}"),
        }
    }
    assert_eq!(ok + refused, 200);
    assert!(refused > 0, "the budget ran out");
    assert!((40..=55).contains(&ok), "about 50 calls fit: {ok}");
    assert_eq!(
        s.provider_calls(),
        ok,
        "refused calls never reached the provider"
    );
    let snapshot = s.runtime.budget();
    assert!(snapshot.spent <= budget_micros, "{snapshot:?}");
    assert_eq!(snapshot.reserved, 0);
    assert_eq!(snapshot.overrun, 0, "worst-case estimates held");
    let spent = snapshot.spent;
    let closed = s.runtime.shutdown().await.unwrap();
    assert_eq!(closed.spent, spent);
    assert_eq!(closed.granted, closed.spent + closed.returned);
}

#[tokio::test]
async fn a_refused_call_names_what_it_needed_and_what_is_left() {
    let s = setup(0.0001).await;
    let r = s
        .openai("/chat/completions")
        .json(&json!({"model": "gpt-4o", "max_tokens": 4000, "messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 402);
    assert_eq!(r.headers()["x-should-retry"], "false");
    let body: Value = r.json().await.unwrap();
    assert_openai_error(&body, "budget_exceeded");
    assert_eq!(s.provider_calls(), 0);
    let calls = s.calls();
    assert_eq!(calls[0].data["outcome"], "budget_exceeded");
}
