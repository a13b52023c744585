//! LLM providers: where a governed call is finally sent. [`Provider`] is the
//! plug; [`HttpProvider`] speaks to OpenAI-compatible and Anthropic HTTP APIs.

mod http_provider;

pub use http_provider::{HttpProvider, passthrough_headers};

use std::fmt;
use std::pin::Pin;

use async_trait::async_trait;
use bytes::Bytes;
use futures::Stream;
use http::HeaderMap;
use serde::{Deserialize, Serialize};

use crate::error::Result;

/// The wire format family a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    #[serde(rename = "openai")]
    OpenAi,
    Anthropic,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 2] = [ProviderKind::OpenAi, ProviderKind::Anthropic];

    pub fn name(self) -> &'static str {
        match self {
            ProviderKind::OpenAi => "openai",
            ProviderKind::Anthropic => "anthropic",
        }
    }

    /// The variable the official clients read their key from.
    pub fn api_key_env(self) -> &'static str {
        match self {
            ProviderKind::OpenAi => "OPENAI_API_KEY",
            ProviderKind::Anthropic => "ANTHROPIC_API_KEY",
        }
    }

    /// The variable the official clients read their base URL from.
    pub fn base_url_env(self) -> &'static str {
        match self {
            ProviderKind::OpenAi => "OPENAI_BASE_URL",
            ProviderKind::Anthropic => "ANTHROPIC_BASE_URL",
        }
    }

    /// Our variable naming the real upstream (OpenAI-compatible servers, tests).
    pub fn upstream_env(self) -> &'static str {
        match self {
            ProviderKind::OpenAi => "IRON_OPENAI_UPSTREAM_URL",
            ProviderKind::Anthropic => "IRON_ANTHROPIC_UPSTREAM_URL",
        }
    }

    pub fn default_upstream(self) -> &'static str {
        match self {
            ProviderKind::OpenAi => "https://api.openai.com",
            ProviderKind::Anthropic => "https://api.anthropic.com",
        }
    }

    /// The upstream URL: the env var if set, else the public API.
    pub fn upstream_from_env(self) -> String {
        std::env::var(self.upstream_env())
            .ok()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| self.default_upstream().to_string())
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A request ready for the provider, minus credentials (the provider adds them).
#[derive(Debug, Clone)]
pub struct UpstreamRequest {
    /// Path under the API root, starting with `/v1/`.
    pub path: String,
    /// Headers passed through from the agent (content type, API version, beta flags).
    pub headers: HeaderMap,
    pub body: Bytes,
}

pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>;

/// A provider's answer: any HTTP status is an `Ok` here; the reliability
/// layer decides what a status means.
pub struct UpstreamResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: ByteStream,
}

impl fmt::Debug for UpstreamResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpstreamResponse")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

#[async_trait]
pub trait Provider: Send + Sync + fmt::Debug {
    /// Unique name, used for breakers, fallbacks and events (`openai`, `openai-backup`).
    fn name(&self) -> &str;
    fn kind(&self) -> ProviderKind;
    /// Sends with the real credential. `Err` only for transport failures
    /// (connect, reset, timeout): `ErrorKind::Unavailable`, retryable.
    async fn send(&self, request: UpstreamRequest) -> Result<UpstreamResponse>;
}
