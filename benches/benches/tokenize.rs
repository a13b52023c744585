//! Token-counting throughput on a realistic mixed 64 KiB text
//! (`benches/data/mixed_text.txt`: prose, code, JSON, other scripts, emoji).
//!
//! - `iron-core`: the default tokenizer (`Encoding::tokenizer()`);
//! - `bpe-openai`: that crate's own tokenizer (regex pretokenizer);
//! - `tiktoken-rs`: the Rust port of tiktoken's core.
//!
//! `benches/scripts/tiktoken_compare.py` compares these with Python tiktoken.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use iron_core::accounting::Encoding;
use std::hint::black_box;

const TEXT: &str = include_str!("../data/mixed_text.txt");

fn alternatives(
    encoding: Encoding,
) -> (
    &'static bpe_openai::Tokenizer,
    &'static tiktoken_rs::CoreBPE,
) {
    match encoding {
        Encoding::Cl100kBase => (
            bpe_openai::cl100k_base(),
            tiktoken_rs::cl100k_base_singleton(),
        ),
        Encoding::O200kBase => (
            bpe_openai::o200k_base(),
            tiktoken_rs::o200k_base_singleton(),
        ),
    }
}

fn count(c: &mut Criterion) {
    let mut group = c.benchmark_group("tokenize_count");
    group.throughput(Throughput::Bytes(TEXT.len() as u64));
    for encoding in Encoding::ALL {
        let ours = encoding.tokenizer();
        let (bpe, tiktoken) = alternatives(encoding);
        // All three are exact: the same text must give the same tokens.
        let tokens = ours.encode(TEXT);
        assert_eq!(tokens, bpe.encode(TEXT));
        assert_eq!(tokens, tiktoken.encode_ordinary(TEXT));
        let name = encoding.name();
        group.bench_with_input(BenchmarkId::new("iron-core", name), TEXT, |b, text| {
            b.iter(|| ours.count(black_box(text)))
        });
        group.bench_with_input(BenchmarkId::new("bpe-openai", name), TEXT, |b, text| {
            b.iter(|| bpe.count(black_box(text)))
        });
        group.bench_with_input(BenchmarkId::new("tiktoken-rs", name), TEXT, |b, text| {
            b.iter(|| tiktoken.encode_ordinary(black_box(text)).len())
        });
    }
    group.finish();
}

fn encode(c: &mut Criterion) {
    let mut group = c.benchmark_group("tokenize_encode");
    group.throughput(Throughput::Bytes(TEXT.len() as u64));
    for encoding in Encoding::ALL {
        let ours = encoding.tokenizer();
        group.bench_with_input(
            BenchmarkId::new("iron-core", encoding.name()),
            TEXT,
            |b, text| b.iter(|| ours.encode(black_box(text))),
        );
    }
    group.finish();
}

criterion_group!(benches, count, encode);
criterion_main!(benches);
