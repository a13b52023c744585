//! [`RuntimeOptions`]: a runtime's settings as plain data, the shape the
//! Python and Node bindings send as JSON. Parsing and the mapping onto
//! [`RuntimeBuilder`] live here so both bindings share one implementation
//! and one set of error messages; they only convert their own types.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::provider::ProviderKind;
use crate::runtime::RuntimeBuilder;
use crate::safety::{Action, SafetyPolicy};
use crate::tools::{ToolGuard, ToolPolicyConfig};

/// Every field is optional; unknown fields are refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeOptions {
    /// Local mode's budget; `None` in remote mode (the server holds it).
    #[serde(default)]
    pub budget_usd: Option<f64>,
    /// Persist the local budget's spend in this file.
    #[serde(default)]
    pub budget_file: Option<PathBuf>,
    /// Remote mode: budget, provider keys and policy from iron-server.
    #[serde(default)]
    pub remote: Option<RemoteOptions>,
    /// Real provider URLs; a missing kind falls back to the builder's default.
    #[serde(default)]
    pub upstreams: HashMap<ProviderKind, String>,
    /// `None` (JSON `null`): every safety guard off.
    #[serde(default = "default_safety")]
    pub safety: Option<SafetyPolicy>,
    #[serde(default)]
    pub injection: Option<InjectionOptions>,
    #[serde(default)]
    pub tools: Option<ToolPolicyConfig>,
    #[serde(default)]
    pub tool_call_action: Option<Action>,
    #[serde(default)]
    pub allowed_models: Option<Vec<String>>,
    #[serde(default)]
    pub event_log: Option<PathBuf>,
}

impl Default for RuntimeOptions {
    fn default() -> Self {
        Self {
            budget_usd: None,
            budget_file: None,
            remote: None,
            upstreams: HashMap::new(),
            safety: default_safety(),
            injection: None,
            tools: None,
            tool_call_action: None,
            allowed_models: None,
            event_log: None,
        }
    }
}

fn default_safety() -> Option<SafetyPolicy> {
    Some(SafetyPolicy::default())
}

/// Where remote mode's server is and the developer key that opens a session.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteOptions {
    pub server_url: String,
    pub ic_key: String,
}

impl fmt::Debug for RemoteOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteOptions")
            .field("server_url", &self.server_url)
            .finish_non_exhaustive()
    }
}

/// The injection check's action (`block`, `alert`; `allow` turns it off)
/// and threshold (`None`: the detector's default).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InjectionOptions {
    pub action: Action,
    #[serde(default)]
    pub threshold: Option<f32>,
}

impl RuntimeOptions {
    /// Parses the JSON form. An `InvalidConfig` error names the bad field's
    /// path: `invalid runtime configuration at tools.deny: invalid type ...`.
    pub fn from_json(json: &str) -> Result<Self> {
        let de = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            Error::invalid_config(if path == "." {
                format!("invalid runtime configuration: {}", e.inner())
            } else {
                format!("invalid runtime configuration at {path}: {}", e.inner())
            })
        })
    }

    /// The checks that need no start: the tool policy compiles. (`start()`
    /// runs them again; this reports them where the options are made.)
    pub fn validate(&self) -> Result<()> {
        if let Some(tools) = &self.tools {
            ToolGuard::new(tools.clone())?;
        }
        Ok(())
    }
}

impl RuntimeBuilder {
    /// A builder with these options. Whatever the options leave out
    /// (provider keys, an approver, extra sinks) is added with the
    /// builder's methods afterwards.
    pub fn from_options(options: RuntimeOptions) -> Self {
        let mut b = RuntimeBuilder::default();
        if let Some(remote) = options.remote {
            b = b.remote(remote.server_url, remote.ic_key);
        }
        // Core refuses a local budget next to remote mode, and no budget in
        // local mode, with messages that say so.
        if let Some(usd) = options.budget_usd {
            b = b.budget_usd(usd);
        }
        if let Some(path) = options.budget_file {
            b = b.budget_file(path);
        }
        for (kind, url) in options.upstreams {
            b = b.upstream(kind, url);
        }
        match options.safety {
            Some(policy) => b = b.safety_policy(policy),
            None => b = b.without_guards(),
        }
        if let Some(injection) = options.injection {
            b = b.injection(injection.threshold, injection.action);
        }
        if let Some(tools) = options.tools {
            b = b.tool_policy(tools);
        }
        if let Some(action) = options.tool_call_action {
            b = b.tool_call_action(action);
        }
        if let Some(models) = options.allowed_models {
            b = b.allowed_models(models);
        }
        if let Some(path) = options.event_log {
            b = b.event_log(path);
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn parse_error(json: &str) -> String {
        let e = RuntimeOptions::from_json(json).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        e.message().to_string()
    }

    #[test]
    fn errors_name_the_bad_field() {
        assert!(
            parse_error(r#"{"tools": {"denny": ["x"]}}"#).starts_with(
                "invalid runtime configuration at tools.denny: unknown field `denny`, expected one of `allow`"
            )
        );
        assert!(
            parse_error(r#"{"tools": {"deny": "rm_*"}}"#)
                .starts_with("invalid runtime configuration at tools.deny: invalid type")
        );
        assert!(parse_error(r#"{"budget": 5}"#).contains("unknown field `budget`"));
        assert!(parse_error("\"oops\"").starts_with("invalid runtime configuration: invalid type"));
        assert!(parse_error(r#"{"remote": {"server_url": "http://x"}}"#).contains("ic_key"));
    }

    #[test]
    fn defaults_keep_the_guards_on_and_null_turns_them_off() {
        let options = RuntimeOptions::from_json("{}").unwrap();
        assert!(options.safety.is_some());
        let options = RuntimeOptions::from_json(r#"{"safety": null}"#).unwrap();
        assert!(options.safety.is_none());
    }

    #[test]
    fn validate_compiles_the_tool_policy() {
        let options = RuntimeOptions::from_json(r#"{"tools": {"max_arg_bytes": 0}}"#).unwrap();
        let e = options.validate().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert!(e.message().contains("max_arg_bytes must be > 0"));
        assert!(RuntimeOptions::default().validate().is_ok());
    }

    #[test]
    fn remote_options_hide_the_key_in_debug() {
        let options = RuntimeOptions::from_json(
            r#"{"remote": {"server_url": "http://s", "ic_key": "ic_secret"}}"#,
        )
        .unwrap();
        assert!(!format!("{options:?}").contains("ic_secret"));
    }

    #[tokio::test]
    async fn options_reach_the_runtime() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("events.jsonl");
        let json = serde_json::json!({
            "budget_usd": 2.5,
            "safety": null,
            "tools": {"deny": ["rm_*"]},
            "event_log": log,
        })
        .to_string();
        let runtime = RuntimeBuilder::from_options(RuntimeOptions::from_json(&json).unwrap())
            .start()
            .await
            .unwrap();
        assert_eq!(runtime.remaining(), Some(2_500_000));
        assert!(
            !runtime
                .check_tool_sync("rm_rf", &serde_json::json!({}))
                .allowed
        );
        runtime.shutdown().await.unwrap();
        assert!(
            std::fs::read_to_string(&log)
                .unwrap()
                .contains("tool.invoke")
        );
    }

    #[tokio::test]
    async fn remote_mode_refuses_a_local_budget_too() {
        let json = r#"{"budget_usd": 1, "remote": {"server_url": "http://127.0.0.1:1", "ic_key": "ic_x"}}"#;
        let e = RuntimeBuilder::from_options(RuntimeOptions::from_json(json).unwrap())
            .start()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert!(
            e.message()
                .contains("remote mode takes the budget from the server")
        );
    }
}
