//! `POST /v1/embeddings`: deterministic unit vectors, float or base64.

use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::gate::{Call, Flavor};
use super::tokens;

const DEFAULT_DIMENSIONS: u64 = 8;
const MAX_DIMENSIONS: u64 = 4096;

/// One input: text, or token ids already encoded by the client.
enum Input {
    Text(String),
    Ids(Vec<u64>),
}

/// Accepts what OpenAI accepts: a string, strings, token ids, or lists of ids.
fn parse_inputs(input: &Value) -> Option<Vec<Input>> {
    let ids = |v: &Value| -> Option<Vec<u64>> { v.as_array()?.iter().map(Value::as_u64).collect() };
    match input {
        Value::String(s) => Some(vec![Input::Text(s.clone())]),
        Value::Array(items) if items.is_empty() => None,
        Value::Array(items) if items.iter().all(Value::is_number) => {
            Some(vec![Input::Ids(ids(input)?)])
        }
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Some(Input::Text(s.clone())),
                other => ids(other).filter(|v| !v.is_empty()).map(Input::Ids),
            })
            .collect(),
        _ => None,
    }
}

/// FNV-1a seed, then splitmix64: the same input always gives the same vector.
fn vector(input: &Input, dimensions: usize) -> Vec<f32> {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash = (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    match input {
        Input::Text(s) => feed(s.as_bytes()),
        Input::Ids(ids) => ids.iter().for_each(|id| feed(&id.to_le_bytes())),
    }
    let mut state = hash;
    let raw: Vec<f64> = (0..dimensions)
        .map(|_| {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            (z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        })
        .collect();
    // Unit length, like OpenAI's embeddings.
    let norm = raw
        .iter()
        .map(|x| x * x)
        .sum::<f64>()
        .sqrt()
        .max(f64::MIN_POSITIVE);
    raw.iter().map(|x| (x / norm) as f32).collect()
}

pub fn answer(call: Call) -> Response {
    let Some(model) = call.str_field("model").map(str::to_owned) else {
        return call.error(Flavor::OpenAi, 400, "you must provide a model parameter");
    };
    let Some(inputs) = call.body.get("input").and_then(parse_inputs) else {
        let message = "'input' must be a non-empty string, array of strings or token ids";
        return call.error(Flavor::OpenAi, 400, message);
    };
    let dimensions = call.u64_field("dimensions").unwrap_or(DEFAULT_DIMENSIONS);
    if !(1..=MAX_DIMENSIONS).contains(&dimensions) {
        return call.error(
            Flavor::OpenAi,
            400,
            "'dimensions' must be between 1 and 4096",
        );
    }
    let base64 = call.str_field("encoding_format") == Some("base64");
    let tok = tokens::tokenizer(&model);
    let prompt: usize = inputs
        .iter()
        .map(|input| match input {
            Input::Text(s) => tok.count(s.as_str()),
            Input::Ids(ids) => ids.len(),
        })
        .sum();
    let data: Vec<Value> = inputs
        .iter()
        .enumerate()
        .map(|(index, input)| {
            let v = vector(input, dimensions as usize);
            let embedding = if base64 {
                let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
                json!(STANDARD.encode(bytes))
            } else {
                json!(v)
            };
            json!({"object": "embedding", "index": index, "embedding": embedding})
        })
        .collect();
    let mut body = json!({"object": "list", "data": data, "model": model});
    if !call.script.omit_usage {
        body["usage"] = json!({"prompt_tokens": prompt, "total_tokens": prompt});
    }
    call.json(body)
}
