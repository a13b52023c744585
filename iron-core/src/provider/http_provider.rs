//! Providers over HTTP with reqwest: one pooled client per provider
//! (keep-alive, HTTP/2 where the server offers it through ALPN).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures::TryStreamExt;
use http::{HeaderMap, HeaderValue};

use super::{Provider, ProviderKind, UpstreamRequest, UpstreamResponse};
use crate::error::{Error, ErrorKind, Result};
use crate::secrets::SecretSource;

/// Anthropic requires an API version header; used when the agent sent none.
const DEFAULT_ANTHROPIC_VERSION: &str = "2023-06-01";

#[derive(Debug)]
pub struct HttpProvider {
    name: String,
    kind: ProviderKind,
    base_url: String,
    secrets: Arc<dyn SecretSource>,
    client: reqwest::Client,
}

impl HttpProvider {
    /// `base_url` is the API root without `/v1` (a trailing `/v1` is tolerated).
    pub fn new(
        name: impl Into<String>,
        kind: ProviderKind,
        base_url: impl Into<String>,
        secrets: Arc<dyn SecretSource>,
    ) -> Result<Self> {
        let mut base_url: String = base_url.into();
        while base_url.ends_with('/') {
            base_url.pop();
        }
        if let Some(stripped) = base_url.strip_suffix("/v1") {
            base_url = stripped.to_string();
        }
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(Error::invalid_config(format!(
                "upstream URL for {} must start with http:// or https://, got {base_url:?}",
                kind.name()
            )));
        }
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(Duration::from_secs(600))
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_nodelay(true)
            .build()
            .map_err(|e| Error::internal("cannot build the HTTP client").with_source(e))?;
        Ok(Self {
            name: name.into(),
            kind,
            base_url,
            secrets,
            client,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

#[async_trait]
impl Provider for HttpProvider {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> ProviderKind {
        self.kind
    }

    async fn send(&self, request: UpstreamRequest) -> Result<UpstreamResponse> {
        let key = self.secrets.provider_key(self.kind).await?;
        let mut headers = request.headers;
        match self.kind {
            ProviderKind::OpenAi => {
                let value = HeaderValue::try_from(format!("Bearer {}", key.expose()))
                    .map_err(|_| Error::invalid_config("the OpenAI key has invalid characters"))?;
                headers.insert(http::header::AUTHORIZATION, sensitive(value));
            }
            ProviderKind::Anthropic => {
                let value = HeaderValue::try_from(key.expose()).map_err(|_| {
                    Error::invalid_config("the Anthropic key has invalid characters")
                })?;
                headers.insert("x-api-key", sensitive(value));
                if !headers.contains_key("anthropic-version") {
                    headers.insert(
                        "anthropic-version",
                        HeaderValue::from_static(DEFAULT_ANTHROPIC_VERSION),
                    );
                }
            }
        }
        let url = format!("{}{}", self.base_url, request.path);
        let response = self
            .client
            .post(url)
            .headers(headers)
            .body(request.body)
            .send()
            .await
            .map_err(|e| transport_error(&self.name, e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let name = self.name.clone();
        let body = response
            .bytes_stream()
            .map_err(move |e| transport_error(&name, e));
        Ok(UpstreamResponse {
            status,
            headers,
            body: Box::pin(body),
        })
    }
}

fn sensitive(mut value: HeaderValue) -> HeaderValue {
    value.set_sensitive(true);
    value
}

fn transport_error(provider: &str, e: reqwest::Error) -> Error {
    // reqwest's Display includes the URL, never headers, so the key stays out.
    Error::new(
        ErrorKind::Unavailable,
        format!("cannot reach provider {provider}"),
    )
    .with_source(e)
    .with_retryable(true)
}

/// Headers an agent may pass through to the provider. Everything else
/// (credentials, hop-by-hop, host, length) is dropped.
pub(crate) const PASSTHROUGH_HEADERS: &[&str] = &[
    "content-type",
    "accept",
    "user-agent",
    "anthropic-version",
    "anthropic-beta",
    "openai-beta",
    "openai-organization",
    "openai-project",
    "idempotency-key",
];

/// The subset of an agent's headers that may reach the provider.
pub fn passthrough_headers(from: &HeaderMap) -> HeaderMap {
    let mut out = HeaderMap::new();
    for name in PASSTHROUGH_HEADERS {
        if let Some(value) = from.get(*name) {
            out.insert(*name, value.clone());
        }
    }
    out
}
