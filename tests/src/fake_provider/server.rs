//! Routing and the connection loop.
//!
//! Connections are served by our own accept loop rather than `axum::serve`
//! so a handler can close its TCP connection without any response: each
//! connection gets a `ConnKill` in its request extensions, and the connection
//! task drops the socket when it fires.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::net::TcpListener;
use tower::ServiceExt;

use super::gate::{self, Call, ConnKill, Flavor};
use super::state::Store;
use super::{anthropic, control, embeddings, ids, openai_chat, responses};

pub fn router(store: Arc<Store>) -> Router {
    Router::new()
        .route("/v1/chat/completions", post(chat))
        .route("/v1/responses", post(responses))
        .route("/v1/embeddings", post(embeddings))
        .route("/v1/messages", post(messages))
        .route("/v1/models", get(models))
        .merge(control::routes())
        .fallback(not_found)
        .with_state(store)
}

async fn endpoint(
    store: Arc<Store>,
    flavor: Flavor,
    kill: ConnKill,
    request: Request,
    answer: fn(Call) -> Response,
) -> Response {
    let response = match gate::admit(&store, flavor, kill, request).await {
        Ok(call) => answer(call),
        Err(response) => response,
    };
    gate::with_request_id(flavor, response)
}

async fn chat(
    State(s): State<Arc<Store>>,
    Extension(k): Extension<ConnKill>,
    r: Request,
) -> Response {
    endpoint(s, Flavor::OpenAi, k, r, openai_chat::answer).await
}

async fn responses(
    State(s): State<Arc<Store>>,
    Extension(k): Extension<ConnKill>,
    r: Request,
) -> Response {
    endpoint(s, Flavor::OpenAi, k, r, responses::answer).await
}

async fn embeddings(
    State(s): State<Arc<Store>>,
    Extension(k): Extension<ConnKill>,
    r: Request,
) -> Response {
    endpoint(s, Flavor::OpenAi, k, r, embeddings::answer).await
}

async fn messages(
    State(s): State<Arc<Store>>,
    Extension(k): Extension<ConnKill>,
    r: Request,
) -> Response {
    endpoint(s, Flavor::Anthropic, k, r, anthropic::answer).await
}

/// OpenAI's model list, or Anthropic's when the client sends `anthropic-version`.
async fn models(
    State(s): State<Arc<Store>>,
    Extension(k): Extension<ConnKill>,
    r: Request,
) -> Response {
    match flavor_of(r.headers()) {
        Flavor::OpenAi => endpoint(s, Flavor::OpenAi, k, r, openai_models).await,
        Flavor::Anthropic => endpoint(s, Flavor::Anthropic, k, r, anthropic_models).await,
    }
}

const OPENAI_MODELS: [&str; 6] = [
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "gpt-5",
    "o3-mini",
    "text-embedding-3-small",
];
const CLAUDE_MODELS: [&str; 3] = ["claude-opus-4-6", "claude-sonnet-4-6", "claude-haiku-4-5"];

fn openai_models(call: Call) -> Response {
    let created = ids::unix_secs();
    let data: Vec<_> = OPENAI_MODELS
        .iter()
        .map(|id| json!({"id": id, "object": "model", "created": created, "owned_by": "system"}))
        .collect();
    call.json(json!({"object": "list", "data": data}))
}

fn anthropic_models(call: Call) -> Response {
    let data: Vec<_> = CLAUDE_MODELS
        .iter()
        .map(|id| {
            json!({"type": "model", "id": id, "display_name": id,
                   "created_at": "2025-01-01T00:00:00Z"})
        })
        .collect();
    call.json(json!({
        "data": data, "has_more": false,
        "first_id": CLAUDE_MODELS[0], "last_id": CLAUDE_MODELS[CLAUDE_MODELS.len() - 1]
    }))
}

fn flavor_of(headers: &HeaderMap) -> Flavor {
    if headers.contains_key("anthropic-version") {
        Flavor::Anthropic
    } else {
        Flavor::OpenAi
    }
}

async fn not_found(request: Request) -> Response {
    let message = format!(
        "Invalid URL ({} {})",
        request.method(),
        request.uri().path()
    );
    let flavor = flavor_of(request.headers());
    gate::error_response(flavor, 404, &message, None)
}

/// Serves connections until the task is aborted.
pub async fn accept_loop(listener: TcpListener, app: Router) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: back off, keep serving.
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        tokio::spawn(async move {
            let kill = ConnKill::default();
            let fired = kill.0.clone();
            let service =
                hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(kill.clone());
                    app.clone().oneshot(request.map(axum::body::Body::new))
                });
            let conn = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            // Dropping `conn` closes the socket with no response written.
            tokio::select! {
                _ = conn => {}
                _ = fired.notified() => {}
            }
        });
    }
}
