//! Core errors to JavaScript errors. The reason carries iron-core's error
//! kind and finer code in a fixed prefix, `[iron-cage:<kind>:<code>] `, which
//! `lib/errors.js` turns into the matching error class — the one mapping.

use iron_core::Error;

/// Kind used for options the JavaScript layer passed but core refused to
/// parse (wrong type, unknown field): a `TypeError` in JavaScript.
pub const INVALID_OPTIONS: &str = "invalid_options";

pub fn to_napi(error: Error) -> napi::Error {
    let mut message = error.message().to_string();
    if let Some(after) = error.retry_after() {
        message.push_str(&format!(" (retry after {} ms)", after.as_millis()));
    }
    tagged(error.kind().code(), error.code(), &message)
}

pub fn tagged(kind: &str, code: &str, message: &str) -> napi::Error {
    napi::Error::from_reason(format!("[iron-cage:{kind}:{code}] {message}"))
}
