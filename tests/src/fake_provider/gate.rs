//! What every provider endpoint does before answering: authenticate, record
//! the request, apply the scripted delay / drop / error status, parse JSON.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::Notify;

use super::ids;
use super::state::{Finisher, Outcome, RecordedRequest, Script, Store, now_ms};

/// Largest request body accepted; far above what tests send.
const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// Closes the TCP connection a request arrived on (see `server`).
#[derive(Clone, Default)]
pub struct ConnKill(pub Arc<Notify>);

/// Which provider's wire format errors take.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    OpenAi,
    Anthropic,
}

/// An admitted request, ready for an endpoint to answer.
pub struct Call {
    pub body: Value,
    /// The consumed script entry, or the default (normal answer).
    pub script: Script,
    pub finisher: Finisher,
}

impl Call {
    /// Sends a JSON 200 answer and records it as completed.
    pub fn json(&self, value: Value) -> Response {
        self.finisher.finish(Some(200), Outcome::Completed);
        axum::Json(value).into_response()
    }

    /// Sends a provider-format error and records it.
    pub fn error(&self, flavor: Flavor, status: u16, message: &str) -> Response {
        self.finisher.finish(Some(status), Outcome::Failed);
        error_response(flavor, status, message, None)
    }

    pub fn str_field(&self, name: &str) -> Option<&str> {
        self.body.get(name).and_then(Value::as_str)
    }

    pub fn u64_field(&self, name: &str) -> Option<u64> {
        self.body.get(name).and_then(Value::as_u64)
    }

    pub fn is_stream(&self) -> bool {
        self.body.get("stream").and_then(Value::as_bool) == Some(true)
    }
}

/// Runs the common steps; `Err` is the answer already decided (auth error,
/// scripted error, bad JSON). A scripted drop never returns.
pub async fn admit(
    store: &Arc<Store>,
    flavor: Flavor,
    kill: ConnKill,
    request: Request,
) -> Result<Call, Response> {
    let (parts, body) = request.into_parts();
    let key = api_key(flavor, &parts.headers);
    let bytes = to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
    let raw_body = String::from_utf8_lossy(&bytes).into_owned();
    let parsed: Option<Value> = serde_json::from_slice(&bytes).ok();
    let record = RecordedRequest {
        id: 0,
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: header_map(&parts.headers),
        body: parsed
            .clone()
            .unwrap_or_else(|| Value::String(raw_body.clone())),
        raw_body,
        timestamp_ms: now_ms(),
        script: None,
        status: None,
        outcome: Outcome::Pending,
    };
    // Unauthenticated requests are logged under the empty key and never
    // consume a script.
    let Some(key) = key else {
        let (id, _) = store.admit("", record);
        store.finish("", id, Some(401), Outcome::Failed);
        let message = match flavor {
            Flavor::OpenAi => {
                "You didn't provide an API key. You need to provide your API key in an \
                 Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
            }
            Flavor::Anthropic => "x-api-key header is required",
        };
        return Err(error_response(flavor, 401, message, None));
    };
    let (id, script) = store.admit(&key, record);
    let script = script.unwrap_or_default();
    let finisher = Finisher {
        store: store.clone(),
        key,
        id,
    };

    if let Some(ms) = script.delay_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    if script.drop {
        finisher.finish(None, Outcome::Dropped);
        // The connection task drops the connection, which cancels this future.
        kill.0.notify_one();
        std::future::pending::<()>().await;
    }
    if let Some(status) = script.status.filter(|s| *s >= 400) {
        finisher.finish(Some(status), Outcome::Failed);
        let message = scripted_message(status);
        return Err(error_response(flavor, status, &message, script.retry_after));
    }
    let body = match parsed {
        Some(body) if parts.method != axum::http::Method::GET && !body.is_object() => {
            finisher.finish(Some(400), Outcome::Failed);
            return Err(error_response(
                flavor,
                400,
                "The request body must be a JSON object.",
                None,
            ));
        }
        Some(body) => body,
        None if parts.method == axum::http::Method::GET => Value::Null,
        None => {
            finisher.finish(Some(400), Outcome::Failed);
            let message = "We could not parse the JSON body of your request.";
            return Err(error_response(flavor, 400, message, None));
        }
    };
    Ok(Call {
        body,
        script,
        finisher,
    })
}

/// OpenAI: `Authorization: Bearer`. Anthropic: `x-api-key`, or Bearer as its
/// clients send when given an auth token. Empty keys count as missing.
fn api_key(flavor: Flavor, headers: &HeaderMap) -> Option<String> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let x_api_key = headers.get("x-api-key").and_then(|v| v.to_str().ok());
    let key = match flavor {
        Flavor::OpenAi => bearer,
        Flavor::Anthropic => x_api_key.or(bearer),
    };
    key.filter(|k| !k.is_empty()).map(str::to_owned)
}

fn header_map(headers: &HeaderMap) -> BTreeMap<String, String> {
    let mut map = BTreeMap::<String, String>::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        map.entry(name.as_str().to_owned())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    map
}

fn scripted_message(status: u16) -> String {
    match status {
        429 => "Rate limit reached for requests (scripted by the fake provider).".to_owned(),
        s if s >= 500 => {
            format!("The server had an error processing your request ({s}, scripted).")
        }
        s => format!("Scripted error {s} from the fake provider."),
    }
}

/// An error in the provider's own format.
pub fn error_response(
    flavor: Flavor,
    status: u16,
    message: &str,
    retry_after: Option<u64>,
) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = match flavor {
        Flavor::OpenAi => {
            let (kind, error_code) = match status {
                401 => ("invalid_request_error", json!("invalid_api_key")),
                403 => ("permission_error", Value::Null),
                429 => ("requests", json!("rate_limit_exceeded")),
                s if s >= 500 => ("server_error", Value::Null),
                _ => ("invalid_request_error", Value::Null),
            };
            json!({"error": {"message": message, "type": kind, "param": null, "code": error_code}})
        }
        Flavor::Anthropic => {
            let kind = match status {
                400 => "invalid_request_error",
                401 => "authentication_error",
                403 => "permission_error",
                404 => "not_found_error",
                413 => "request_too_large",
                429 => "rate_limit_error",
                529 => "overloaded_error",
                _ => "api_error",
            };
            json!({"type": "error", "error": {"type": kind, "message": message}})
        }
    };
    let mut response = (code, axum::Json(body)).into_response();
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

/// Adds the request-id header each provider sends (`x-request-id` / `request-id`).
pub fn with_request_id(flavor: Flavor, mut response: Response) -> Response {
    let name = match flavor {
        Flavor::OpenAi => "x-request-id",
        Flavor::Anthropic => "request-id",
    };
    if let Ok(value) = HeaderValue::from_str(&ids::new("req_")) {
        response.headers_mut().insert(name, value);
    }
    response
}
