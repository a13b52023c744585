//! Provider keys from the handshake, in memory only.

use std::collections::HashMap;

use async_trait::async_trait;

use super::wire::ProviderCredential;
use crate::error::{Error, ErrorKind, Result};
use crate::provider::ProviderKind;
use crate::secrets::{Secret, SecretSource};

/// The project's provider credentials as the server sent them. `Debug`
/// lists providers, never keys.
#[derive(Clone, Default)]
pub struct RemoteSecrets {
    keys: HashMap<ProviderKind, Secret>,
}

impl RemoteSecrets {
    /// Keeps the credentials of providers this engine knows; others are
    /// skipped with a warning.
    pub fn new(credentials: &[ProviderCredential]) -> Self {
        let mut keys = HashMap::new();
        for c in credentials {
            match ProviderKind::ALL
                .into_iter()
                .find(|k| k.name() == c.provider)
            {
                Some(kind) => {
                    keys.insert(kind, c.api_key.clone());
                }
                None => {
                    tracing::warn!(provider = %c.provider, "the server sent a credential for a provider this engine does not know; ignored")
                }
            }
        }
        Self { keys }
    }
}

impl std::fmt::Debug for RemoteSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteSecrets")
            .field("providers", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[async_trait]
impl SecretSource for RemoteSecrets {
    async fn provider_key(&self, provider: ProviderKind) -> Result<Secret> {
        self.keys.get(&provider).cloned().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidConfig,
                format!(
                    "the project has no {} key in the server's vault; an admin must add one",
                    provider.name()
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn keys_by_provider_and_redacted_debug() {
        let creds = vec![
            ProviderCredential {
                provider: "openai".into(),
                api_key: Secret::new("sk-hidden"),
                base_url: None,
            },
            ProviderCredential {
                provider: "mistral".into(),
                api_key: Secret::new("x"),
                base_url: None,
            },
        ];
        let s = RemoteSecrets::new(&creds);
        assert_eq!(
            s.provider_key(ProviderKind::OpenAi).await.unwrap().expose(),
            "sk-hidden"
        );
        let e = s.provider_key(ProviderKind::Anthropic).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert!(!format!("{s:?}").contains("sk-hidden"));
    }
}
