//! One governed call: check, estimate, reserve, send (with retries, breaker
//! and fallbacks), then bill the actual usage. Refusals happen before a byte
//! reaches the provider.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use bytes::Bytes;
use futures::StreamExt;
use http::{HeaderMap, HeaderValue};
use serde_json::Value;
use tracing::Instrument;

use super::request;
use super::stream::MeteredStream;
use super::usage;
use super::{GatewayState, WireFormat, error_response};
use crate::accounting::{
    ApiKind, ModelPrice, PromptEstimate, Usage, count_output_text, estimate_prompt,
};
use crate::budget::{Reservation, UsageLine};
use crate::error::{Error, ErrorKind, Result};
use crate::events::{Event, LlmCall};
use crate::provider::{UpstreamRequest, UpstreamResponse, passthrough_headers};
use crate::reliability::{BreakerState, is_retryable_status, parse_retry_after};

/// Largest non-streamed provider answer the gateway buffers to read its usage.
const MAX_RESPONSE_BYTES: usize = 256 * 1024 * 1024;

/// Provider response headers worth passing back to the agent.
const RESPONSE_HEADERS: &[&str] = &[
    "content-type",
    "x-request-id",
    "request-id",
    "openai-processing-ms",
    "openai-version",
    "retry-after",
    "retry-after-ms",
];

pub async fn handle(state: Arc<GatewayState>, api: ApiKind, req: Request) -> Response {
    let (_, format) = request::route_of(api);
    let span = tracing::info_span!("llm.call", ?api, model = tracing::field::Empty);
    let started = Instant::now();
    async move {
        let (parts, body) = req.into_parts();
        match governed(&state, api, &parts.headers, body, started).await {
            Ok(response) => response,
            Err(refusal) => {
                let Refusal {
                    error,
                    model,
                    stream,
                } = refusal;
                if let Some(model) = model {
                    emit(
                        &state,
                        CallRecord::refused(api, model, stream, &error, started),
                    );
                }
                tracing::info!(outcome = error.kind().code(), "call refused");
                error_response(format, &error)
            }
        }
    }
    .instrument(span)
    .await
}

/// An error that ends the call before any billing happened.
struct Refusal {
    error: Error,
    model: Option<String>,
    stream: bool,
}

impl From<Error> for Refusal {
    fn from(error: Error) -> Self {
        Self {
            error,
            model: None,
            stream: false,
        }
    }
}

async fn governed(
    state: &Arc<GatewayState>,
    api: ApiKind,
    headers: &HeaderMap,
    body: Body,
    started: Instant,
) -> std::result::Result<Response, Refusal> {
    let (path, format) = request::route_of(api);
    request::check_placeholder(state, format, headers)?;
    let raw = request::read_body(headers, body, state.max_body_bytes).await?;
    let mut parsed = request::parse(api, &raw)?;
    tracing::Span::current().record("model", parsed.model.as_str());
    let (requested_model, stream) = (parsed.model.clone(), parsed.stream);
    let refusal = |error: Error| Refusal {
        error,
        model: Some(requested_model.clone()),
        stream,
    };
    if !state.model_allowed(&parsed.model) {
        return Err(refusal(Error::new(
            ErrorKind::ModelNotAllowed,
            format!(
                "model {:?} is not allowed by this project's policy",
                parsed.model
            ),
        )));
    }
    if let (Some(guards), Some(body)) = (&state.guards, parsed.json.as_object_mut()) {
        let redacted = guards
            .check_prompt(api, body, &requested_model, &*state.events)
            .map_err(&refusal)?;
        parsed.modified |= redacted;
    }
    let kind = match format {
        WireFormat::OpenAi => crate::provider::ProviderKind::OpenAi,
        WireFormat::Anthropic => crate::provider::ProviderKind::Anthropic,
    };
    let Some(primary) = state.primary.get(&kind) else {
        return Err(refusal(Error::invalid_config(format!(
            "no {} provider is configured",
            kind.name()
        ))));
    };
    let mut targets = vec![(primary.clone(), parsed.model.clone())];
    targets.extend(
        state
            .fallbacks
            .for_model(&parsed.model)
            .iter()
            .filter(|t| {
                state
                    .providers
                    .get(&t.provider)
                    .is_some_and(|(p, _)| p.kind() == kind)
            })
            .map(|t| (t.provider.clone(), t.model.clone())),
    );

    let forward_headers = passthrough_headers(headers);
    let mut attempts = 0u32;
    let mut last_failure: Option<Failure> = None;
    for (index, (provider_name, model)) in targets.iter().enumerate() {
        let price = match state.prices.price(model) {
            Ok(price) => price,
            Err(e) if index == 0 => return Err(refusal(e)),
            Err(e) => {
                tracing::warn!(%model, error = %e, "fallback model has no price; skipped");
                continue;
            }
        };
        let estimate = estimate_prompt(api, model, &parsed.json, &price).map_err(&refusal)?;
        let worst = price.worst_case(estimate.prompt_tokens, estimate.max_output_tokens);
        let reservation = state.accountant.reserve(worst).await.map_err(&refusal)?;
        let (provider, breaker) = &state.providers[provider_name];
        if !breaker.try_acquire() {
            last_failure = Some(Failure::Error(Error::new(
                ErrorKind::Unavailable,
                format!("provider {provider_name} is failing; its circuit breaker is open"),
            )));
            continue;
        }
        let upstream = UpstreamRequest {
            path: path.to_string(),
            headers: forward_headers.clone(),
            body: request::upstream_body(api, &raw, &parsed, model).map_err(&refusal)?,
        };
        let mut billing = Billing {
            state: state.clone(),
            api,
            provider: provider_name.clone(),
            model: model.clone(),
            stream: parsed.stream,
            price,
            estimate,
            reservation: Some(reservation),
            started,
            attempts: 0,
            strip_usage_chunk: parsed.stream && !parsed.client_wants_usage,
        };
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            attempts += 1;
            billing.attempts = attempts;
            let failure = match provider.send(upstream.clone()).await {
                Ok(response) if (200..300).contains(&response.status) => {
                    breaker.record_success();
                    return Ok(billing.respond(response).await);
                }
                Ok(response) if !is_retryable_status(response.status) => {
                    // The provider judged the request itself (400, 401, 404...):
                    // nothing was generated, so nothing is billed; pass it on.
                    breaker.record_success();
                    billing.finish_unbilled(&format!("upstream_{}", response.status));
                    return Ok(passthrough(response).await);
                }
                Ok(response) => {
                    if response.status >= 500 {
                        breaker.record_failure();
                    }
                    Failure::Response(response)
                }
                Err(e) => {
                    breaker.record_failure();
                    Failure::Error(e)
                }
            };
            let retry_after = match &failure {
                Failure::Response(r) => parse_retry_after(&r.headers),
                Failure::Error(_) => None,
            };
            let delay = state.retry.delay_after(attempt, retry_after);
            tracing::info!(
                provider = %provider_name, %model, attempt, status = failure.status(),
                will_retry = delay.is_some(), "provider attempt failed"
            );
            emit_event(
                state,
                "llm.retry",
                serde_json::json!({
                    "provider": provider_name, "model": model, "attempt": attempt,
                    "status": failure.status(), "will_retry": delay.is_some(),
                }),
            );
            last_failure = Some(failure);
            match delay {
                Some(d) if breaker.state() != BreakerState::Open => tokio::time::sleep(d).await,
                _ => break,
            }
        }
        billing.finish_unbilled("upstream_failed");
    }
    match last_failure {
        Some(Failure::Response(response)) => Ok(passthrough(response).await),
        Some(Failure::Error(e)) => Err(refusal(e)),
        None => Err(refusal(Error::new(
            ErrorKind::Unavailable,
            "no provider could take the call",
        ))),
    }
}

enum Failure {
    Response(UpstreamResponse),
    Error(Error),
}

impl Failure {
    fn status(&self) -> u16 {
        match self {
            Failure::Response(r) => r.status,
            Failure::Error(_) => 0,
        }
    }
}

/// The provider's own answer, status and body unchanged.
async fn passthrough(response: UpstreamResponse) -> Response {
    let mut builder = Response::builder().status(response.status);
    for name in RESPONSE_HEADERS {
        if let Some(v) = response.headers.get(*name) {
            builder = builder.header(*name, v.clone());
        }
    }
    let body = Body::from_stream(response.body);
    builder
        .body(body)
        .unwrap_or_else(|_| error_response(WireFormat::OpenAi, &Error::internal("bad response")))
}

/// Everything needed to bill a call once its usage is known.
#[derive(Debug)]
pub(crate) struct Billing {
    state: Arc<GatewayState>,
    api: ApiKind,
    provider: String,
    model: String,
    stream: bool,
    price: ModelPrice,
    estimate: PromptEstimate,
    reservation: Option<Reservation>,
    started: Instant,
    attempts: u32,
    /// The gateway asked for the usage chunk; the agent must not see it.
    pub strip_usage_chunk: bool,
}

impl Billing {
    pub fn api(&self) -> ApiKind {
        self.api
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    pub fn state(&self) -> &GatewayState {
        &self.state
    }

    async fn respond(self, response: UpstreamResponse) -> Response {
        let mut headers = HeaderMap::new();
        for name in RESPONSE_HEADERS {
            if let Some(v) = response.headers.get(*name) {
                headers.insert(*name, v.clone());
            }
        }
        if self.stream {
            headers.insert("cache-control", HeaderValue::from_static("no-cache"));
            let status = response.status;
            let body = Body::from_stream(MeteredStream::new(response.body, self));
            return build(status, headers, body);
        }
        let status = response.status;
        let format = self.format();
        let api = self.api;
        match collect(response.body).await {
            Ok(bytes) => {
                let json: Option<Value> = serde_json::from_slice(&bytes).ok();
                let reported = json
                    .as_ref()
                    .and_then(|j| usage::usage_from_body(self.api, j));
                let mut text = String::new();
                if reported.is_none() {
                    if let Some(j) = &json {
                        usage::output_text_from_body(self.api, j, &mut text);
                    }
                }
                let state = self.state.clone();
                let model = self.model.clone();
                self.finish(reported, None, &text, "ok");
                match (&state.guards, json) {
                    (Some(guards), Some(mut json)) => {
                        match guards.check_response(api, &mut json, &model, &*state.events) {
                            Ok(false) => build(status, headers, Body::from(bytes)),
                            Ok(true) => build(status, headers, Body::from(json.to_string())),
                            Err(e) => error_response(format, &e),
                        }
                    }
                    _ => build(status, headers, Body::from(bytes)),
                }
            }
            Err(e) => {
                // The connection broke mid-answer: we cannot know what was
                // generated, so bill the worst case we reserved.
                let reserved = self.reservation.as_ref().map_or(0, Reservation::amount);
                self.finish_at(reserved, Usage::default(), "none", "aborted");
                error_response(format, &e)
            }
        }
    }

    fn format(&self) -> WireFormat {
        request::route_of(self.api).1
    }

    /// Bills from the provider's usage, or else from counted output (with
    /// the prompt as estimated, or as the provider reported it early).
    pub fn finish(
        self,
        reported: Option<Usage>,
        input_reported: Option<(u64, u64)>,
        text: &str,
        outcome: &str,
    ) {
        let (usage, source) = match reported {
            Some(u) => (u, "usage"),
            None => {
                let (input, cached) = input_reported.unwrap_or((self.estimate.prompt_tokens, 0));
                let usage = Usage {
                    input_tokens: input,
                    cached_input_tokens: cached,
                    output_tokens: count_output_text(&self.model, text),
                };
                (usage, "counted")
            }
        };
        let cost = self.price.cost(&usage);
        self.finish_at(cost, usage, source, outcome);
    }

    fn finish_at(mut self, cost: i64, usage: Usage, source: &str, outcome: &str) {
        let reserved = self.reservation.as_ref().map_or(0, Reservation::amount);
        let latency_ms = self.started.elapsed().as_millis() as u64;
        if let Some(reservation) = self.reservation.take() {
            let (id, at) = UsageLine::stamp();
            let line = UsageLine {
                id,
                at,
                model: self.model.clone(),
                input_tokens: usage.input_tokens,
                cached_input_tokens: usage.cached_input_tokens,
                output_tokens: usage.output_tokens,
                cost,
                latency_ms,
                outcome: outcome.to_string(),
            };
            self.state.accountant.commit(reservation, cost, Some(line));
        }
        emit(
            &self.state,
            CallRecord {
                api: self.api,
                provider: self.provider.clone(),
                model: self.model.clone(),
                stream: self.stream,
                usage,
                cost,
                reserved,
                attempts: self.attempts,
                outcome: outcome.to_string(),
                source: source.to_string(),
                started: self.started,
            },
        );
    }

    /// Ends a target that produced nothing billable (errors before output).
    fn finish_unbilled(mut self, outcome: &str) {
        if let Some(r) = self.reservation.take() {
            self.state.accountant.release(r);
        }
        tracing::debug!(outcome, provider = %self.provider, "attempts ended unbilled");
    }
}

fn build(status: u16, headers: HeaderMap, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    *response.headers_mut() = headers;
    response
}

async fn collect(mut body: crate::provider::ByteStream) -> Result<Bytes> {
    let mut out = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        if out.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(Error::new(
                ErrorKind::Upstream,
                "provider answer is too large",
            ));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(out))
}

/// The facts of one call, for its `llm.call` event.
struct CallRecord {
    api: ApiKind,
    provider: String,
    model: String,
    stream: bool,
    usage: Usage,
    cost: i64,
    reserved: i64,
    attempts: u32,
    outcome: String,
    source: String,
    started: Instant,
}

impl CallRecord {
    fn refused(api: ApiKind, model: String, stream: bool, error: &Error, started: Instant) -> Self {
        Self {
            api,
            provider: String::new(),
            model,
            stream,
            usage: Usage::default(),
            cost: 0,
            reserved: 0,
            attempts: 0,
            outcome: error.kind().code().to_string(),
            source: "none".into(),
            started,
        }
    }
}

fn emit(state: &GatewayState, record: CallRecord) {
    let provider = if record.provider.is_empty() {
        match request::route_of(record.api).1 {
            WireFormat::OpenAi => "openai".to_string(),
            WireFormat::Anthropic => "anthropic".to_string(),
        }
    } else {
        record.provider
    };
    let call = LlmCall {
        provider,
        api: format!("{:?}", record.api),
        model: record.model,
        stream: record.stream,
        input_tokens: record.usage.input_tokens,
        cached_input_tokens: record.usage.cached_input_tokens,
        output_tokens: record.usage.output_tokens,
        cost_micros: 0,
        cost_usd: String::new(),
        reserved_micros: record.reserved,
        latency_ms: record.started.elapsed().as_millis() as u64,
        attempts: record.attempts,
        outcome: record.outcome,
        usage_source: record.source,
    }
    .cost(record.cost);
    state.events.emit(Event::new("llm.call", call).shared());
}

fn emit_event(state: &GatewayState, kind: &str, data: Value) {
    state.events.emit(Event::from_value(kind, data).shared());
}
