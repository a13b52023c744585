//! Where the gateway's own time goes on one governed JSON call with the
//! 1 KB prompt of `benches/gateway.rs`, step by step and without the HTTP
//! hops: parse, PII/secret scan, the injection check (measured apart: it is
//! the largest guard), token estimate, reserve + commit, the `llm.call`
//! event, and the response side (parse, usage, scan). The sum against the
//! added latency in `gateway.rs` shows what the HTTP hop itself costs.
//! Run: `cargo bench -p iron-benches --bench gateway_steps`.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use iron_benches::{PROMPT_1KB, request_body};
use iron_core::accounting::{ApiKind, PriceTable, StaticPriceTable, estimate_prompt};
use iron_core::budget::{Accountant, LocalAuthority, UsageLine};
use iron_core::events::{Event, EventSink, FanoutSink, LlmCall, MemorySink};
use iron_core::gateway::Guards;
use iron_core::safety::injection::InjectionDetector;
use iron_core::safety::{Action, Redactor, RuleDetector, SafetyPolicy};
use iron_core::tools::{ToolGuard, ToolPolicyConfig};
use serde_json::{Value, json};

const MODEL: &str = "gpt-4o-mini";

fn guards(injection: bool) -> Guards {
    Guards {
        detector: Arc::new(RuleDetector::shared().clone()),
        policy: SafetyPolicy::default(),
        redactor: Arc::new(Redactor::new()),
        injection: injection.then(|| (InjectionDetector::shared().clone(), Action::Block)),
        tools: Some((
            Arc::new(ToolGuard::new(ToolPolicyConfig::default()).unwrap()),
            Action::Block,
        )),
    }
}

fn sink() -> Arc<dyn EventSink> {
    Arc::new(FanoutSink::new(vec![Arc::new(MemorySink::new(10_000))]))
}

/// A provider's answer as the fake sends it.
fn response_body() -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": MODEL,
        "choices": [{"index": 0, "finish_reason": "stop",
            "message": {"role": "assistant", "content": "1. Watch the payment worker's retries. \
    2. Move the dashboards before the release. 3. Check client timeouts."}}],
        "usage": {"prompt_tokens": 240, "completion_tokens": 30, "total_tokens": 270}
    }))
    .unwrap()
}

fn steps(c: &mut Criterion) {
    let raw = serde_json::to_vec(&request_body(false)).unwrap();
    let parsed: Value = serde_json::from_slice(&raw).unwrap();
    let prices = StaticPriceTable::builtin();
    let price = prices.price(MODEL).unwrap();
    let events = sink();
    let mut group = c.benchmark_group("gateway_steps");

    group.bench_function("parse_request", |b| {
        b.iter(|| black_box(serde_json::from_slice::<Value>(black_box(&raw)).unwrap()))
    });
    let pii_only = guards(false);
    group.bench_function("check_prompt_pii_and_event", |b| {
        b.iter_batched(
            || parsed.as_object().unwrap().clone(),
            |mut body| {
                pii_only
                    .check_prompt(ApiKind::ChatCompletions, &mut body, MODEL, &*events)
                    .unwrap()
            },
            BatchSize::SmallInput,
        )
    });
    let injection = InjectionDetector::shared();
    group.bench_function("injection_check_1kb", |b| {
        b.iter(|| black_box(injection.check(black_box(PROMPT_1KB))))
    });
    group.bench_function("estimate_prompt", |b| {
        b.iter(|| {
            black_box(estimate_prompt(ApiKind::ChatCompletions, MODEL, &parsed, &price).unwrap())
        })
    });

    let tokio = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let accountant = Accountant::new(Arc::new(LocalAuthority::new(i64::MAX / 4)), 500_000);
    group.bench_function("reserve_commit", |b| {
        b.iter(|| {
            let reservation = tokio.block_on(accountant.reserve(1_000)).unwrap();
            let (id, at) = UsageLine::stamp();
            let line = UsageLine {
                id,
                at,
                model: MODEL.into(),
                input_tokens: 240,
                cached_input_tokens: 0,
                output_tokens: 30,
                cost: 900,
                latency_ms: 1,
                outcome: "ok".into(),
            };
            accountant.commit(reservation, 900, Some(line));
        })
    });
    group.bench_function("llm_call_event", |b| {
        b.iter(|| {
            let call = LlmCall {
                provider: "openai".into(),
                api: "ChatCompletions".into(),
                model: MODEL.into(),
                stream: false,
                input_tokens: 240,
                cached_input_tokens: 0,
                output_tokens: 30,
                cost_micros: 0,
                cost_usd: String::new(),
                reserved_micros: 1_000,
                latency_ms: 1,
                attempts: 1,
                outcome: "ok".into(),
                usage_source: "usage".into(),
            }
            .cost(900);
            events.emit(Event::new("llm.call", call).shared());
        })
    });

    let answer = response_body();
    let all = guards(true);
    group.bench_function("response_parse_usage_scan", |b| {
        b.iter(|| {
            let mut json: Value = serde_json::from_slice(black_box(&answer)).unwrap();
            black_box(json.get("usage"));
            all.check_response(ApiKind::ChatCompletions, &mut json, MODEL, &*events)
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, steps);
criterion_main!(benches);
