//! axum's extractors with their rejections turned into [`AppError`], so
//! every bad input gets the one error shape.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A JSON body. Besides axum's checks it refuses NUL characters, which
/// PostgreSQL cannot store in text and SQLite would silently truncate.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        if !is_json(req.headers()) {
            return Err(AppError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                "expected `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "PAYLOAD_TOO_LARGE",
                    "request body is too large",
                )
            } else {
                AppError::bad_request("BAD_REQUEST", rejection.body_text())
            }
        })?;
        if contains_escaped_nul(&bytes) {
            return Err(AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "VALIDATION_FAILED",
                "text must not contain NUL (\\u0000) characters",
            ));
        }
        let axum::Json(value) = axum::Json::<T>::from_bytes(&bytes)?;
        Ok(Json(value))
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|mime| mime.trim().to_ascii_lowercase())
        .is_some_and(|mime| mime == "application/json" || mime.ends_with("+json"))
}

/// Raw NULs are already invalid JSON; this catches the `\u0000` escape.
fn contains_escaped_nul(body: &[u8]) -> bool {
    body.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"))
}

/// Refuses `%00` anywhere in the path or query, for the same reason as [`Json`].
pub async fn reject_nul_in_uri(
    req: Request,
    next: axum::middleware::Next,
) -> Result<Response, AppError> {
    let has_nul = req.uri().to_string().to_ascii_lowercase().contains("%00");
    if has_nul {
        return Err(AppError::bad_request(
            "BAD_REQUEST",
            "the URL must not contain NUL (%00) characters",
        ));
    }
    Ok(next.run(req).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_escaped_nul_only() {
        assert!(contains_escaped_nul(br#"{"name": "a\u0000b"}"#));
        assert!(!contains_escaped_nul(br#"{"name": "a\u0001b"}"#));
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

/// For `#[serde(default, deserialize_with = "nullable")]` on an
/// `Option<Option<T>>` field of a patch: absent → `None` (unchanged),
/// `null` → `Some(None)` (cleared), a value → `Some(Some(v))`.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}
