//! PII/secret scanner throughput (`RuleDetector`), in MB/s:
//!
//! - `clean`: 1 MiB of `benches/data/mixed_text.txt` repeated (prose, code,
//!   JSON, other scripts; digits, `@`, `:` and key words, few entities);
//! - `mixed`: the same text with a labelled sample from the PII corpus
//!   (`iron-core/tests/data/pii/corpus.jsonl`) spliced in every ~2 KiB at a
//!   line break, so roughly one finding per 2 KiB.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iron_core::safety::{Detector, RuleDetector};
use std::hint::black_box;

const CLEAN: &str = include_str!("../data/mixed_text.txt");
const CORPUS: &str = include_str!("../../iron-core/tests/data/pii/corpus.jsonl");
const SIZE: usize = 1 << 20;

fn clean_text() -> String {
    let mut s = String::with_capacity(SIZE + CLEAN.len());
    while s.len() < SIZE {
        s.push_str(CLEAN);
    }
    s
}

fn mixed_text() -> String {
    let samples: Vec<String> = CORPUS
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("corpus line"))
        .filter(|v| v["entities"].as_array().is_some_and(|e| !e.is_empty()))
        .map(|v| v["text"].as_str().unwrap_or_default().to_owned())
        .collect();
    let lines: Vec<&str> = CLEAN.lines().collect();
    let mut s = String::with_capacity(SIZE + 4096);
    let (mut since, mut i, mut k) = (0, 0, 0);
    while s.len() < SIZE {
        let line = lines[i % lines.len()];
        s.push_str(line);
        s.push('\n');
        since += line.len() + 1;
        i += 1;
        if since >= 2048 {
            s.push_str(&samples[k % samples.len()]);
            s.push('\n');
            since = 0;
            k += 1;
        }
    }
    s
}

fn scan(c: &mut Criterion) {
    let detector = RuleDetector::shared();
    let mut group = c.benchmark_group("scanner");
    for (name, text) in [("clean", clean_text()), ("mixed", mixed_text())] {
        let found = detector.detect(&text).len();
        eprintln!("{name}: {} bytes, {found} findings", text.len());
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| b.iter(|| detector.detect(black_box(&text))));
    }
    group.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
