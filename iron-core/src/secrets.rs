//! Where real provider keys come from. They live only in this process's
//! memory: [`Secret`] never prints its value and wipes it on drop.

use std::collections::HashMap;
use std::fmt;

use async_trait::async_trait;
use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind, Result};
use crate::provider::ProviderKind;

/// Prefix of every gateway placeholder key; lets us recognise (and never
/// forward or mistake for a real key) a placeholder found in the environment.
pub const PLACEHOLDER_PREFIX: &str = "iron-placeholder-";

pub fn is_placeholder(value: &str) -> bool {
    value.starts_with(PLACEHOLDER_PREFIX)
}

/// A provider credential. `Debug`/`Display` are redacted; the value is
/// reachable only through [`Secret::expose`], at the one place that sends it.
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The raw value. Call only to put it on the wire to the provider.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Read from the server's handshake; the value moves into the wiped buffer
/// without a copy.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes() == other.0.as_bytes()
    }
}

/// Supplies provider credentials: environment (local mode), the server's
/// handshake (remote mode), or anything else a binding plugs in.
#[async_trait]
pub trait SecretSource: Send + Sync + fmt::Debug {
    async fn provider_key(&self, provider: ProviderKind) -> Result<Secret>;
}

/// Keys fixed when the runtime starts. Local mode reads them from
/// `OPENAI_API_KEY` / `ANTHROPIC_API_KEY` *once*, before the runtime puts
/// placeholders into the agent's environment.
#[derive(Clone, Default)]
pub struct StaticSecrets {
    keys: HashMap<ProviderKind, Secret>,
}

impl StaticSecrets {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_key(mut self, provider: ProviderKind, key: Secret) -> Self {
        self.keys.insert(provider, key);
        self
    }

    /// Snapshot of the provider keys in the process environment. Values that
    /// are themselves gateway placeholders are ignored.
    pub fn from_env() -> Self {
        let mut secrets = Self::new();
        for provider in ProviderKind::ALL {
            if let Ok(value) = std::env::var(provider.api_key_env()) {
                if !value.is_empty() && !is_placeholder(&value) {
                    secrets.keys.insert(provider, Secret::new(value));
                }
            }
        }
        secrets
    }
}

impl fmt::Debug for StaticSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticSecrets")
            .field("providers", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[async_trait]
impl SecretSource for StaticSecrets {
    async fn provider_key(&self, provider: ProviderKind) -> Result<Secret> {
        self.keys.get(&provider).cloned().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidConfig,
                format!(
                    "no {} key is configured: set {} before starting the runtime",
                    provider.name(),
                    provider.api_key_env()
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = Secret::new("sk-very-secret");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        let all = StaticSecrets::new().with_key(ProviderKind::OpenAi, s);
        assert!(!format!("{all:?}").contains("very-secret"));
    }
}
