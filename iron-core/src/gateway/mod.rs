//! The loopback gateway: an HTTP server on 127.0.0.1 that speaks the OpenAI
//! and Anthropic wire formats. The agent's official clients point at it
//! (through `OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL`) with a placeholder key;
//! every call is checked, reserved, forwarded with the real key, and billed.

mod call;
mod errors;
mod guard;
mod request;
pub mod sse;
mod stream;
mod stream_guard;
mod texts;
mod usage;

pub use errors::{WireFormat, error_response, status_for};
pub use guard::Guards;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::json;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::accounting::{ApiKind, PriceTable};
use crate::budget::Accountant;
use crate::error::{Error, ErrorKind, Result};
use crate::events::EventSink;
use crate::glob::GlobSet;
use crate::provider::{Provider, ProviderKind};
use crate::reliability::{BreakerConfig, CircuitBreaker, FallbackChains, RetryPolicy};
use crate::secrets::Secret;
pub use crate::secrets::{PLACEHOLDER_PREFIX, is_placeholder};

/// Default request body limit: generous for long prompts with images.
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// A fresh random placeholder key for one runtime.
pub fn new_placeholder() -> String {
    let suffix: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect();
    format!("{PLACEHOLDER_PREFIX}{suffix}")
}

/// Everything the gateway needs; assembled by [`crate::Runtime`].
#[derive(Debug)]
pub struct GatewayConfig {
    /// Providers by unique name. The first of each kind is that kind's primary.
    pub providers: Vec<Arc<dyn Provider>>,
    pub prices: Arc<dyn PriceTable>,
    pub accountant: Arc<Accountant>,
    pub events: Arc<dyn EventSink>,
    pub retry: RetryPolicy,
    pub breaker: BreakerConfig,
    pub fallbacks: FallbackChains,
    /// Model patterns (`*` wildcard) the agent may call; `None` allows all priced models.
    pub allowed_models: Option<Vec<String>>,
    pub max_body_bytes: usize,
    pub placeholder: String,
    /// Real provider keys a binding exported into the agent's environment
    /// (opt-in export mode); accepted like the placeholder.
    pub exported_keys: Vec<Secret>,
    /// Safety guards; `None` turns scanning off.
    pub guards: Option<Guards>,
}

#[derive(Debug)]
pub(crate) struct GatewayState {
    pub placeholder: String,
    pub exported_keys: Vec<Secret>,
    pub providers: HashMap<String, (Arc<dyn Provider>, CircuitBreaker)>,
    pub primary: HashMap<ProviderKind, String>,
    pub prices: Arc<dyn PriceTable>,
    pub accountant: Arc<Accountant>,
    pub events: Arc<dyn EventSink>,
    pub retry: RetryPolicy,
    pub fallbacks: FallbackChains,
    pub allowed_models: Option<GlobSet>,
    pub max_body_bytes: usize,
    pub guards: Option<Guards>,
}

impl GatewayState {
    fn new(config: GatewayConfig) -> Result<Self> {
        let mut providers = HashMap::new();
        let mut primary = HashMap::new();
        for provider in config.providers {
            let name = provider.name().to_string();
            primary
                .entry(provider.kind())
                .or_insert_with(|| name.clone());
            let breaker = CircuitBreaker::new(config.breaker.clone());
            if providers
                .insert(name.clone(), (provider, breaker))
                .is_some()
            {
                return Err(Error::invalid_config(format!(
                    "two providers are named {name:?}"
                )));
            }
        }
        for (model, targets) in config.fallbacks.iter() {
            for target in targets {
                if !providers.contains_key(&target.provider) {
                    return Err(Error::invalid_config(format!(
                        "fallback for {model:?} names unknown provider {:?}",
                        target.provider
                    )));
                }
            }
        }
        Ok(Self {
            placeholder: config.placeholder,
            exported_keys: config.exported_keys,
            providers,
            primary,
            prices: config.prices,
            accountant: config.accountant,
            events: config.events,
            retry: config.retry,
            fallbacks: config.fallbacks,
            allowed_models: config
                .allowed_models
                .as_deref()
                .map(GlobSet::new)
                .transpose()?,
            max_body_bytes: config.max_body_bytes,
            guards: config.guards,
        })
    }

    pub fn model_allowed(&self, model: &str) -> bool {
        match &self.allowed_models {
            None => true,
            Some(patterns) => patterns.matches(model),
        }
    }
}

/// A running gateway. Dropping it without [`Gateway::shutdown`] stops it too.
#[derive(Debug)]
pub struct Gateway {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Gateway {
    /// Binds `addr` (use port 0 for a random one) and serves on the current Tokio runtime.
    pub async fn start(config: GatewayConfig, addr: SocketAddr) -> Result<Self> {
        let state = Arc::new(GatewayState::new(config)?);
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            Error::new(
                ErrorKind::InvalidConfig,
                format!("cannot bind the gateway to {addr}"),
            )
            .with_source(e)
        })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::internal("gateway has no local address").with_source(e))?;
        let (tx, rx) = oneshot::channel::<()>();
        let app = router(state);
        let task = tokio::spawn(async move {
            // Small SSE writes must not wait for Nagle's algorithm.
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "gateway stopped");
            }
        });
        tracing::debug!(%addr, "gateway listening");
        Ok(Self {
            addr,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting calls and waits for calls in flight to finish.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

fn router(state: Arc<GatewayState>) -> Router {
    Router::new()
        .route("/v1/chat/completions", post(chat_completions))
        .route("/v1/responses", post(responses))
        .route("/v1/embeddings", post(embeddings))
        .route("/v1/messages", post(messages))
        .route("/v1/models", get(list_models))
        .route("/v1/models/{id}", get(get_model))
        .fallback(not_found)
        .with_state(state)
}

async fn chat_completions(State(s): State<Arc<GatewayState>>, req: Request) -> Response {
    call::handle(s, ApiKind::ChatCompletions, req).await
}

async fn responses(State(s): State<Arc<GatewayState>>, req: Request) -> Response {
    call::handle(s, ApiKind::Responses, req).await
}

async fn embeddings(State(s): State<Arc<GatewayState>>, req: Request) -> Response {
    call::handle(s, ApiKind::Embeddings, req).await
}

async fn messages(State(s): State<Arc<GatewayState>>, req: Request) -> Response {
    call::handle(s, ApiKind::AnthropicMessages, req).await
}

async fn list_models(State(s): State<Arc<GatewayState>>, req: Request) -> Response {
    if let Err(e) = request::check_placeholder(&s, WireFormat::OpenAi, req.headers()) {
        return error_response(WireFormat::OpenAi, &e);
    }
    let mut models: Vec<String> = s
        .prices
        .models()
        .into_iter()
        .filter(|m| s.model_allowed(m))
        .collect();
    models.sort();
    let data: Vec<_> = models.iter().map(model_object).collect();
    axum::Json(json!({ "object": "list", "data": data })).into_response()
}

async fn get_model(
    State(s): State<Arc<GatewayState>>,
    axum::extract::Path(id): axum::extract::Path<String>,
    req: Request,
) -> Response {
    if let Err(e) = request::check_placeholder(&s, WireFormat::OpenAi, req.headers()) {
        return error_response(WireFormat::OpenAi, &e);
    }
    if s.prices.price(&id).is_err() || !s.model_allowed(&id) {
        let e = Error::new(
            ErrorKind::UnknownModel,
            format!("model {id:?} is not available"),
        );
        return error_response(WireFormat::OpenAi, &e);
    }
    axum::Json(model_object(&id)).into_response()
}

fn model_object(id: &String) -> serde_json::Value {
    let owner = if id.starts_with("claude") {
        "anthropic"
    } else {
        "openai"
    };
    json!({ "id": id, "object": "model", "created": 0, "owned_by": owner })
}

async fn not_found(req: Request) -> Response {
    let format = if req.uri().path().starts_with("/v1/messages") {
        WireFormat::Anthropic
    } else {
        WireFormat::OpenAi
    };
    let e = Error::invalid_request(format!(
        "the Iron Cage gateway does not serve {} {}",
        req.method(),
        req.uri().path()
    ));
    let mut response = error_response(format, &e);
    *response.status_mut() = http::StatusCode::NOT_FOUND;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_globs() {
        let glob_match = |p: &str, t: &str| GlobSet::new(&[p]).unwrap().matches(t);
        assert!(glob_match("gpt-4o*", "gpt-4o-mini"));
        assert!(glob_match("gpt-4o", "gpt-4o"));
        assert!(!glob_match("gpt-4o", "gpt-4o-mini"));
        assert!(glob_match("claude-*-4-5*", "claude-sonnet-4-5-20250929"));
        assert!(!glob_match("claude-*-4-5", "claude-sonnet-4-1"));
        assert!(glob_match("*", "anything"));
    }

    #[test]
    fn placeholders_are_recognisable_and_unique() {
        let a = new_placeholder();
        assert!(is_placeholder(&a));
        assert_ne!(a, new_placeholder());
        assert!(!is_placeholder("sk-proj-abc"));
    }
}

/// Entry points for the fuzz targets in `iron-core/fuzz`; not a stable API.
#[doc(hidden)]
pub mod fuzzing {
    use crate::accounting::{ApiKind, PriceTable, StaticPriceTable, estimate_prompt};

    /// Parses `body` as each API would and estimates its prompt.
    pub fn parse_and_estimate(body: &[u8]) {
        let prices = StaticPriceTable::builtin();
        for api in [
            ApiKind::ChatCompletions,
            ApiKind::Responses,
            ApiKind::Embeddings,
            ApiKind::AnthropicMessages,
        ] {
            if let Ok(parsed) = super::request::parse(api, body) {
                let price = prices
                    .price(&parsed.model)
                    .or_else(|_| prices.price("gpt-4o"));
                if let Ok(price) = price {
                    let _ = estimate_prompt(api, &parsed.model, &parsed.json, &price);
                }
            }
        }
    }
}
