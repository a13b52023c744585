//! Gateway refusals in the provider's own error format, with statuses the
//! official clients surface as typed errors and do not retry blindly.

use axum::Json;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode};
use serde_json::json;

use crate::error::{Error, ErrorKind};

/// Which provider's error shape the agent's client expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireFormat {
    OpenAi,
    Anthropic,
}

/// The status for each kind. Budget is 402 (no client retries it); revoked
/// keys, paused projects and disallowed models 403; unknown models 404 like
/// OpenAI's `model_not_found`.
pub fn status_for(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::BudgetExceeded => StatusCode::PAYMENT_REQUIRED,
        ErrorKind::KeyRevoked | ErrorKind::ProjectPaused | ErrorKind::ModelNotAllowed => {
            StatusCode::FORBIDDEN
        }
        ErrorKind::PolicyViolation | ErrorKind::InvalidRequest => StatusCode::BAD_REQUEST,
        ErrorKind::UnknownModel => StatusCode::NOT_FOUND,
        ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Upstream => StatusCode::BAD_GATEWAY,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Builds the refusal response for `error` in `format`.
pub fn error_response(format: WireFormat, error: &Error) -> Response {
    let kind = error.kind();
    let (kind_code, code) = (kind.code(), error.code());
    let body = match format {
        WireFormat::OpenAi => json!({
            "error": {
                "message": error.message(),
                "type": kind_code,
                "param": null,
                "code": code,
            }
        }),
        WireFormat::Anthropic => json!({
            "type": "error",
            "error": { "type": kind_code, "code": code, "message": error.message() }
        }),
    };
    let mut response = (status_for(kind), Json(body)).into_response();
    let headers = response.headers_mut();
    // The official clients honour this header: a budget or policy refusal
    // must not be retried (it would only be refused again).
    let retry = matches!(kind, ErrorKind::RateLimited | ErrorKind::Unavailable);
    headers.insert(
        "x-should-retry",
        HeaderValue::from_static(if retry { "true" } else { "false" }),
    );
    if let Some(after) = error.retry_after() {
        if let Ok(v) = HeaderValue::try_from(after.as_secs().max(1).to_string()) {
            headers.insert(http::header::RETRY_AFTER, v);
        }
    }
    headers.insert("x-iron-cage-error", HeaderValue::from_static(code));
    response
}
