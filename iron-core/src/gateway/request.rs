//! Reading and checking an agent's request before anything else happens.

use axum::body::Body;
use bytes::Bytes;
use http::HeaderMap;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde_json::{Map, Value};

use super::{GatewayState, WireFormat};
use crate::accounting::ApiKind;
use crate::error::{Error, ErrorKind, Result};

/// The route's API, its provider path and error format.
pub fn route_of(api: ApiKind) -> (&'static str, WireFormat) {
    match api {
        ApiKind::ChatCompletions => ("/v1/chat/completions", WireFormat::OpenAi),
        ApiKind::Responses => ("/v1/responses", WireFormat::OpenAi),
        ApiKind::Embeddings => ("/v1/embeddings", WireFormat::OpenAi),
        ApiKind::AnthropicMessages => ("/v1/messages", WireFormat::Anthropic),
    }
}

/// Only holders of this runtime's placeholder (or of a real key the runtime
/// exported in opt-in export mode) may use the gateway, so another local
/// process cannot spend the budget through it.
pub fn check_placeholder(
    state: &GatewayState,
    format: WireFormat,
    headers: &HeaderMap,
) -> Result<()> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let bearer = header("authorization").and_then(|v| v.strip_prefix("Bearer "));
    let presented = match format {
        WireFormat::OpenAi => bearer.or_else(|| header("api-key")),
        WireFormat::Anthropic => header("x-api-key").or(bearer),
    };
    match presented {
        Some(key)
            if constant_time_eq(key.trim().as_bytes(), state.placeholder.as_bytes())
                || state
                    .exported_keys
                    .iter()
                    .any(|k| constant_time_eq(key.trim().as_bytes(), k.expose().as_bytes())) =>
        {
            Ok(())
        }
        Some(_) => Err(Error::new(
            ErrorKind::Unauthorized,
            "the API key is not this Iron Cage runtime's placeholder key; \
             use the key the runtime put in the environment",
        )),
        None => Err(Error::new(
            ErrorKind::Unauthorized,
            "no API key: the Iron Cage gateway expects the runtime's placeholder key",
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Reads the whole body, refusing more than `limit` bytes.
pub async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes> {
    let too_large = || {
        Error::new(
            ErrorKind::PayloadTooLarge,
            format!("request body is larger than the gateway's limit of {limit} bytes"),
        )
    };
    let declared = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Err(e) => Err(Error::invalid_request(format!(
            "could not read the request body: {e}"
        ))),
    }
}

/// The parts of a request body the gateway acts on.
#[derive(Debug)]
pub struct ParsedRequest {
    /// The body; always a JSON object.
    pub json: Value,
    pub model: String,
    pub stream: bool,
    /// The agent asked for the usage chunk itself (OpenAI chat streams).
    pub client_wants_usage: bool,
    /// A guard rewrote `json` (redaction): the original bytes are stale.
    pub modified: bool,
}

pub fn parse(api: ApiKind, bytes: &[u8]) -> Result<ParsedRequest> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::invalid_request(format!("request body is not valid JSON: {e}")))?;
    let Some(fields) = value.as_object() else {
        return Err(Error::invalid_request("request body must be a JSON object"));
    };
    let model = match fields.get("model") {
        Some(Value::String(m)) if !m.trim().is_empty() => m.clone(),
        Some(Value::String(_)) | None => {
            return Err(Error::invalid_request("`model` is required"));
        }
        Some(_) => return Err(Error::invalid_request("`model` must be a string")),
    };
    let stream = match fields.get("stream") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(Error::invalid_request("`stream` must be a boolean")),
    };
    if stream && api == ApiKind::Embeddings {
        return Err(Error::invalid_request("embeddings cannot be streamed"));
    }
    let client_wants_usage = match fields.get("stream_options") {
        None | Some(Value::Null) => false,
        Some(Value::Object(o)) => match o.get("include_usage") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(Error::invalid_request(
                    "`stream_options.include_usage` must be a boolean",
                ));
            }
        },
        Some(_) => return Err(Error::invalid_request("`stream_options` must be an object")),
    };
    Ok(ParsedRequest {
        json: value,
        model,
        stream,
        client_wants_usage,
        modified: false,
    })
}

/// The body to send for `model`: the agent's bytes untouched when nothing
/// changes (the fast path), else re-serialised with the model swapped (a
/// fallback) and/or the usage chunk requested for an OpenAI chat stream.
pub fn upstream_body(
    api: ApiKind,
    original: &Bytes,
    parsed: &ParsedRequest,
    model: &str,
) -> Result<Bytes> {
    let ask_usage = api == ApiKind::ChatCompletions && parsed.stream && !parsed.client_wants_usage;
    if model == parsed.model && !ask_usage && !parsed.modified {
        return Ok(original.clone());
    }
    let mut body = parsed.json.clone();
    let Some(json) = body.as_object_mut() else {
        return Err(Error::internal("a parsed request is always an object"));
    };
    json.insert("model".into(), Value::String(model.to_string()));
    if ask_usage {
        let options = json
            .entry("stream_options")
            .or_insert_with(|| Value::Object(Map::new()));
        if !options.is_object() {
            *options = Value::Object(Map::new());
        }
        if let Value::Object(o) = options {
            o.insert("include_usage".into(), Value::Bool(true));
        }
    }
    serde_json::to_vec(&body)
        .map(Bytes::from)
        .map_err(|e| Error::internal("cannot serialise the upstream request").with_source(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rejects_bad_shapes() {
        let api = ApiKind::ChatCompletions;
        for (body, needle) in [
            (&b"{"[..], "not valid JSON"),
            (b"[1]", "JSON object"),
            (b"{}", "`model` is required"),
            (b"{\"model\": 3}", "`model` must be a string"),
            (
                b"{\"model\": \"m\", \"stream\": \"yes\"}",
                "`stream` must be a boolean",
            ),
            (
                b"{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":1}}",
                "include_usage",
            ),
        ] {
            let e = parse(api, body).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidRequest);
            assert!(e.message().contains(needle), "{} vs {needle}", e.message());
        }
    }

    #[test]
    fn usage_is_requested_only_for_chat_streams_that_lack_it() {
        let raw = Bytes::from_static(br#"{"model":"gpt-4o","stream":true,"messages":[]}"#);
        let parsed = parse(ApiKind::ChatCompletions, &raw).unwrap();
        let body = upstream_body(ApiKind::ChatCompletions, &raw, &parsed, "gpt-4o").unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["stream_options"]["include_usage"], true);

        let raw = Bytes::from_static(br#"{"model":"gpt-4o","messages":[]}"#);
        let parsed = parse(ApiKind::ChatCompletions, &raw).unwrap();
        let body = upstream_body(ApiKind::ChatCompletions, &raw, &parsed, "gpt-4o").unwrap();
        assert_eq!(body, raw, "untouched fast path");
        let body = upstream_body(ApiKind::ChatCompletions, &raw, &parsed, "gpt-4o-mini").unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["model"], "gpt-4o-mini");
    }
}
