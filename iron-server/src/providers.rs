//! The LLM providers the vault knows, and how to test a credential against
//! each. Adding a provider is one entry in [`PROVIDERS`].

use std::time::Duration;

pub enum AuthStyle {
    /// `Authorization: Bearer <key>`
    Bearer,
    /// `x-api-key: <key>` plus `anthropic-version`
    AnthropicHeader,
}

pub struct ProviderSpec {
    pub id: &'static str,
    pub default_base_url: &'static str,
    /// A cheap authenticated GET that proves the key works.
    pub test_path: &'static str,
    pub auth: AuthStyle,
}

pub const PROVIDERS: &[ProviderSpec] = &[
    ProviderSpec {
        id: "openai",
        default_base_url: "https://api.openai.com",
        test_path: "/v1/models",
        auth: AuthStyle::Bearer,
    },
    ProviderSpec {
        id: "anthropic",
        default_base_url: "https://api.anthropic.com",
        test_path: "/v1/models",
        auth: AuthStyle::AnthropicHeader,
    },
    ProviderSpec {
        id: "mistral",
        default_base_url: "https://api.mistral.ai",
        test_path: "/v1/models",
        auth: AuthStyle::Bearer,
    },
];

pub fn find(id: &str) -> Option<&'static ProviderSpec> {
    PROVIDERS.iter().find(|p| p.id == id)
}

pub fn ids() -> Vec<&'static str> {
    PROVIDERS.iter().map(|p| p.id).collect()
}

/// Outcome of a connection test; never includes the key.
pub struct TestOutcome {
    pub ok: bool,
    pub http_status: Option<u16>,
    pub message: String,
}

pub async fn test_credential(
    http: &reqwest::Client,
    spec: &ProviderSpec,
    base_url: &str,
    secret: &str,
) -> TestOutcome {
    let request = http
        .get(format!("{base_url}{}", spec.test_path))
        .timeout(Duration::from_secs(10));
    let request = match spec.auth {
        AuthStyle::Bearer => request.bearer_auth(secret),
        AuthStyle::AnthropicHeader => request
            .header("x-api-key", secret)
            .header("anthropic-version", "2023-06-01"),
    };
    match request.send().await {
        Ok(response) => {
            let status = response.status();
            let message = if status.is_success() {
                "the provider accepted the credential".to_owned()
            } else if status.as_u16() == 401 || status.as_u16() == 403 {
                "the provider rejected the credential".to_owned()
            } else {
                format!("the provider answered {status}")
            };
            TestOutcome {
                ok: status.is_success(),
                http_status: Some(status.as_u16()),
                message,
            }
        }
        // reqwest errors name the URL, never headers, so this holds no secret.
        Err(err) => TestOutcome {
            ok: false,
            http_status: None,
            message: format!("could not reach the provider: {}", err.without_url()),
        },
    }
}
