//! Token-counting bridge for the Python parity test
//! (`tests/python/test_tiktoken_parity.py`).
//!
//! Reads JSON lines from stdin and writes one JSON line per input line:
//! - `{"encoding": "o200k_base", "text": "..."}` -> `{"count": n, "tokens": [...]}`
//! - `{"api": "chat", "model": "gpt-4o", "body": {...}}` -> `{"prompt_tokens": n, "max_output_tokens": m}`
//!   (`api` is one of chat, responses, embeddings, anthropic)
//!
//! `count_tokens --dump-ranks <encoding> <out_path>` writes the encoding's
//! vocabulary as a tiktoken rank file.
//!
//! `count_tokens --time <encoding> <text_path> <seconds>` counts the file's
//! tokens repeatedly and prints the median MiB/s (build with `--release`);
//! `benches/scripts/tiktoken_compare.py` interleaves it with Python
//! tiktoken so both see the same machine load.

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use iron_core::accounting::{ApiKind, Encoding, ModelPrice, estimate_prompt};
use serde_json::{Value, json};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag, encoding, out] if flag == "--dump-ranks" => dump_ranks(encoding, out),
        [flag, encoding, path, seconds] if flag == "--time" => {
            time_counting(encoding, path, seconds)
        }
        [] => serve_lines(),
        _ => Err(
            "usage: count_tokens [--dump-ranks <encoding> <out_path>] (JSON lines on stdin)".into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("count_tokens: {e}");
            ExitCode::FAILURE
        }
    }
}

fn encoding(name: &str) -> Result<Encoding, String> {
    Encoding::from_name(name).ok_or_else(|| format!("unknown encoding {name:?}"))
}

fn dump_ranks(name: &str, out: &str) -> Result<(), String> {
    std::fs::write(out, encoding(name)?.tiktoken_ranks()).map_err(|e| format!("writing {out}: {e}"))
}

fn time_counting(name: &str, path: &str, seconds: &str) -> Result<(), String> {
    let tokenizer = encoding(name)?.tokenizer();
    let text = std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))?;
    let seconds: f64 = seconds.parse().map_err(|e| format!("seconds: {e}"))?;
    tokenizer.count(&text); // builds the tokenizer outside the timing
    let mut times = Vec::new();
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    while Instant::now() < deadline {
        let start = Instant::now();
        std::hint::black_box(tokenizer.count(std::hint::black_box(&text)));
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!("{:.3}", text.len() as f64 / median / (1024.0 * 1024.0));
    Ok(())
}

fn serve_lines() -> Result<(), String> {
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (n, line) in stdin.lines().enumerate() {
        let line = line.map_err(|e| format!("reading stdin: {e}"))?;
        let request: Value =
            serde_json::from_str(&line).map_err(|e| format!("line {}: {e}", n + 1))?;
        let reply = answer(&request).map_err(|e| format!("line {}: {e}", n + 1))?;
        writeln!(out, "{reply}").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

fn answer(request: &Value) -> Result<Value, String> {
    if let Some(api) = request.get("api").and_then(Value::as_str) {
        let api = match api {
            "chat" => ApiKind::ChatCompletions,
            "responses" => ApiKind::Responses,
            "embeddings" => ApiKind::Embeddings,
            "anthropic" => ApiKind::AnthropicMessages,
            other => return Err(format!("unknown api {other:?}")),
        };
        let model = request["model"].as_str().ok_or("missing \"model\"")?;
        // Prices do not affect token counts; the cap fallback is reported as 0.
        let price = ModelPrice {
            input_per_mtok: 0,
            cached_input_per_mtok: 0,
            output_per_mtok: 0,
            max_output_tokens: 0,
        };
        let estimate =
            estimate_prompt(api, model, &request["body"], &price).map_err(|e| e.to_string())?;
        return Ok(json!({
            "prompt_tokens": estimate.prompt_tokens,
            "max_output_tokens": estimate.max_output_tokens,
        }));
    }
    let name = request["encoding"].as_str().ok_or("missing \"encoding\"")?;
    let text = request["text"].as_str().ok_or("missing \"text\"")?;
    let tokenizer = encoding(name)?.tokenizer();
    Ok(json!({"count": tokenizer.count(text), "tokens": tokenizer.encode(text)}))
}
