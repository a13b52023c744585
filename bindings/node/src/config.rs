//! The runtime configuration the JavaScript layer sends as JSON (already in
//! iron-core's snake_case field names). Unknown fields and wrong types are
//! refused with the path of the bad field.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

use iron_core::RuntimeBuilder;
use iron_core::provider::ProviderKind;
use iron_core::safety::{Action, SafetyPolicy};
use iron_core::secrets::{Secret, StaticSecrets, is_placeholder};
use iron_core::tools::ToolPolicyConfig;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Local mode's budget; `None` in remote mode.
    #[serde(default)]
    pub budget_usd: Option<f64>,
    /// Remote mode: budget, provider keys and policy from iron-server.
    #[serde(default)]
    pub remote: Option<Remote>,
    #[serde(default)]
    pub upstreams: HashMap<ProviderKind, String>,
    /// `None`: every safety guard off.
    #[serde(default = "default_safety")]
    pub safety: Option<SafetyPolicy>,
    #[serde(default)]
    pub injection: Option<Injection>,
    #[serde(default)]
    pub tools: Option<ToolPolicyConfig>,
    #[serde(default)]
    pub tool_call_action: Option<Action>,
    #[serde(default)]
    pub allowed_models: Option<Vec<String>>,
    #[serde(default)]
    pub event_log: Option<PathBuf>,
}

fn default_safety() -> Option<SafetyPolicy> {
    Some(SafetyPolicy::default())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remote {
    pub server_url: String,
    pub ic_key: String,
}

impl fmt::Debug for Remote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Remote")
            .field("server_url", &self.server_url)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Injection {
    pub action: Action,
    #[serde(default)]
    pub threshold: Option<f32>,
}

impl Config {
    /// Parses the JSON; the error names the bad field.
    pub fn parse(json: &str) -> Result<Self, String> {
        let de = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            if path == "." {
                format!("invalid runtime options: {}", e.inner())
            } else {
                format!("invalid runtime option {path}: {}", e.inner())
            }
        })
    }

    /// The builder for this configuration. Local mode's provider keys come
    /// from the caller (read from `process.env` on the JavaScript thread),
    /// never from this process's environment on another thread; remote
    /// mode's from the server.
    pub fn builder(self, keys: HashMap<ProviderKind, String>) -> RuntimeBuilder {
        let mut b = iron_core::Runtime::builder();
        if let Some(remote) = self.remote {
            b = b.remote(remote.server_url, remote.ic_key);
        } else {
            let mut secrets = StaticSecrets::new();
            for (kind, key) in keys {
                if !key.is_empty() && !is_placeholder(&key) {
                    secrets = secrets.with_key(kind, Secret::new(key));
                }
            }
            b = b.secrets(std::sync::Arc::new(secrets));
        }
        // Core refuses a local budget next to remote mode, and no budget in
        // local mode, with messages that say so.
        if let Some(usd) = self.budget_usd {
            b = b.budget_usd(usd);
        }
        for kind in ProviderKind::ALL {
            let url = match self.upstreams.get(&kind) {
                Some(url) => url.clone(),
                None => kind.default_upstream().to_string(),
            };
            b = b.upstream(kind, url);
        }
        match self.safety {
            Some(policy) => b = b.safety_policy(policy),
            None => b = b.without_guards(),
        }
        if let Some(inj) = self.injection {
            b = b.injection(inj.threshold, inj.action);
        }
        if let Some(tools) = self.tools {
            b = b.tool_policy(tools);
        }
        if let Some(action) = self.tool_call_action {
            b = b.tool_call_action(action);
        }
        if let Some(models) = self.allowed_models {
            b = b.allowed_models(models);
        }
        if let Some(path) = self.event_log {
            b = b.event_log(path);
        }
        b
    }
}
