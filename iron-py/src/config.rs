//! The runtime configuration the Python layer sends as JSON. Unknown
//! fields and wrong types are refused with the path of the bad field.

use std::collections::HashMap;
use std::path::PathBuf;

use iron_core::RuntimeBuilder;
use iron_core::provider::ProviderKind;
use iron_core::safety::{Action, SafetyPolicy};
use iron_core::tools::ToolPolicyConfig;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `None` in remote mode: the server holds the budget.
    #[serde(default)]
    pub budget_usd: Option<f64>,
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
    #[serde(default)]
    pub budget_file: Option<PathBuf>,
}

fn default_safety() -> Option<SafetyPolicy> {
    Some(SafetyPolicy::default())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Injection {
    pub action: Action,
    #[serde(default)]
    pub threshold: Option<f32>,
}

impl Config {
    pub fn parse(json: &str) -> Result<Self, String> {
        let de = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            if path == "." {
                format!("invalid runtime configuration: {}", e.inner())
            } else {
                format!("invalid runtime configuration at {path}: {}", e.inner())
            }
        })
    }

    /// The builder for this configuration; `remote` is `(server_url, ic_key)`
    /// (remote mode, where iron-core refuses a local budget as well).
    pub fn builder(self, remote: Option<(String, String)>) -> RuntimeBuilder {
        let mut b = iron_core::Runtime::builder();
        if let Some((url, key)) = remote {
            b = b.remote(url, key);
        }
        if let Some(usd) = self.budget_usd {
            b = b.budget_usd(usd);
        }
        for (kind, url) in self.upstreams {
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
        if let Some(path) = self.budget_file {
            b = b.budget_file(path);
        }
        b
    }
}
