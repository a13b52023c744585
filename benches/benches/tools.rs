//! Cost of `ToolGuard::check_sync` (the path bindings call per tool call) on
//! a typical three-field argument object, for an allowed call, a call every
//! validator refuses late (SQL), and a call refused by name. With and
//! without an event sink, since building the `tool.invoke` event costs too.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use iron_core::events::MemorySink;
use iron_core::tools::{ToolGuard, ToolPolicyConfig};
use serde_json::json;

fn guard() -> ToolGuard {
    ToolGuard::new(ToolPolicyConfig {
        deny: vec!["delete_*".into()],
        ..Default::default()
    })
    .expect("default policy compiles")
}

fn check_sync(c: &mut Criterion) {
    let allowed =
        json!({"path": "src/main.rs", "url": "https://api.example.com/v1/items", "limit": 10});
    let sql = json!({"query": "DELETE FROM users", "database": "prod", "timeout": 5});
    let mut group = c.benchmark_group("tools");

    let g = guard();
    group.bench_function("check_sync_allowed", |b| {
        b.iter(|| black_box(g.check_sync(black_box("read_file"), black_box(&allowed))))
    });
    group.bench_function("check_sync_denied_sql", |b| {
        b.iter(|| black_box(g.check_sync(black_box("run_sql"), black_box(&sql))))
    });
    group.bench_function("check_sync_denied_name", |b| {
        b.iter(|| black_box(g.check_sync(black_box("delete_file"), black_box(&allowed))))
    });

    let g = guard().with_events(Arc::new(MemorySink::new(1024)));
    group.bench_function("check_sync_allowed_with_event", |b| {
        b.iter(|| black_box(g.check_sync(black_box("read_file"), black_box(&allowed))))
    });
    group.finish();
}

criterion_group!(benches, check_sync);
criterion_main!(benches);
