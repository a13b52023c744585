//! The `/_fake` control API: scripts, request logs and counters over HTTP,
//! for Python tests and other processes.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde_json::{Value, json};

use super::state::{Script, Store};

pub fn routes() -> Router<Arc<Store>> {
    Router::new()
        .route("/_fake/keys/{key}/script", post(append_script))
        .route("/_fake/keys/{key}/requests", get(requests))
        .route("/_fake/keys/{key}/stats", get(stats))
        .route("/_fake/keys/{key}", delete(reset))
        .route("/_fake/stats", get(totals))
}

/// Takes a JSON array of entries (a single object is accepted too).
async fn append_script(
    State(store): State<Arc<Store>>,
    Path(key): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let entries = match body {
        Value::Array(_) => serde_json::from_value::<Vec<Script>>(body),
        single => serde_json::from_value::<Script>(single).map(|s| vec![s]),
    };
    match entries {
        Ok(entries) => {
            let queued = entries.len();
            store.append_script(&key, entries);
            Json(json!({"queued": queued})).into_response()
        }
        Err(e) => {
            let body = json!({"error": {"message": format!("invalid script: {e}")}});
            (StatusCode::BAD_REQUEST, Json(body)).into_response()
        }
    }
}

async fn requests(State(store): State<Arc<Store>>, Path(key): Path<String>) -> Response {
    Json(store.requests(&key)).into_response()
}

async fn stats(State(store): State<Arc<Store>>, Path(key): Path<String>) -> Response {
    Json(store.stats(&key)).into_response()
}

async fn reset(State(store): State<Arc<Store>>, Path(key): Path<String>) -> StatusCode {
    store.reset(&key);
    StatusCode::NO_CONTENT
}

async fn totals(State(store): State<Arc<Store>>) -> Response {
    let (stats, keys) = store.totals();
    Json(json!({"requests": stats.requests, "completed": stats.completed, "keys": keys}))
        .into_response()
}
