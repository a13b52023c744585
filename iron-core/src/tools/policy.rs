//! What users configure ([`ToolPolicyConfig`]) and its validated, compiled
//! form used on the hot path.

use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::validators::paths::RestrictedPaths;
use crate::error::{Error, Result};
use crate::glob::GlobSet;

/// A per-tool rate limit: a bucket of `burst` calls refilled at
/// `per_minute`. Each tool matching the glob gets its own bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    pub per_minute: u32,
    pub burst: u32,
}

/// The tool-call policy, as the server sends it or a user writes it. Every
/// field has a default, so a partial config is valid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ToolPolicyConfig {
    /// Globs on tool names; empty means every tool not denied is allowed.
    pub allow: Vec<String>,
    /// Globs on tool names; deny wins over allow.
    pub deny: Vec<String>,
    /// Directories no path argument may resolve into (`~` is expanded).
    pub restricted_paths: Vec<String>,
    /// Host globs; `None` allows any public host. Private, loopback,
    /// link-local and metadata addresses are denied either way.
    pub url_allowlist: Option<Vec<String>>,
    /// Globs of tools whose string arguments are checked for destructive SQL.
    pub sql_tools: Vec<String>,
    /// Globs of tools whose string arguments are checked for shell syntax.
    pub shell_tools: Vec<String>,
    /// Largest serialized argument object accepted.
    pub max_arg_bytes: usize,
    /// Tool glob -> limit; when several globs match, the most specific wins.
    pub rate_limits: HashMap<String, RateLimit>,
    /// Globs of tools that need the approver's consent.
    pub require_approval: Vec<String>,
    /// How long to wait for the approver; no answer in time is a denial.
    pub approval_timeout_ms: u64,
}

impl Default for ToolPolicyConfig {
    fn default() -> Self {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        Self {
            allow: Vec::new(),
            deny: Vec::new(),
            restricted_paths: strings(&["/etc", "/root", "~/.ssh", "~/.aws", "C:\\Windows"]),
            url_allowlist: None,
            sql_tools: strings(&["*sql*", "*query*", "*database*", "*db*"]),
            shell_tools: strings(&["*shell*", "*bash*", "*exec*", "*command*", "*terminal*"]),
            max_arg_bytes: 64 * 1024,
            rate_limits: HashMap::new(),
            require_approval: Vec::new(),
            approval_timeout_ms: 30_000,
        }
    }
}

/// The validated form of [`ToolPolicyConfig`].
#[derive(Debug)]
pub(crate) struct CompiledPolicy {
    pub allow: GlobSet,
    pub deny: GlobSet,
    pub restricted: RestrictedPaths,
    pub url_allowlist: Option<GlobSet>,
    pub sql_tools: GlobSet,
    pub shell_tools: GlobSet,
    pub max_arg_bytes: usize,
    pub require_approval: GlobSet,
    pub approval_timeout: Duration,
}

impl CompiledPolicy {
    pub(crate) fn compile(config: &ToolPolicyConfig) -> Result<Self> {
        if config.max_arg_bytes == 0 {
            return Err(Error::invalid_config(
                "tool policy max_arg_bytes must be > 0",
            ));
        }
        if config.approval_timeout_ms == 0 {
            return Err(Error::invalid_config(
                "tool policy approval_timeout_ms must be > 0",
            ));
        }
        Ok(Self {
            allow: GlobSet::new(&config.allow)?,
            deny: GlobSet::new(&config.deny)?,
            restricted: RestrictedPaths::new(&config.restricted_paths, home_dir().as_deref())?,
            url_allowlist: config
                .url_allowlist
                .as_deref()
                .map(GlobSet::new)
                .transpose()?,
            sql_tools: GlobSet::new(&config.sql_tools)?,
            shell_tools: GlobSet::new(&config.shell_tools)?,
            max_arg_bytes: config.max_arg_bytes,
            require_approval: GlobSet::new(&config.require_approval)?,
            approval_timeout: Duration::from_millis(config.approval_timeout_ms),
        })
    }

    /// Deny wins; an empty allow list allows everything not denied.
    pub(crate) fn name_allowed(&self, tool: &str) -> bool {
        !self.deny.matches(tool) && (self.allow.is_empty() || self.allow.matches(tool))
    }
}

fn home_dir() -> Option<String> {
    ["HOME", "USERPROFILE"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_config_deserializes_with_defaults() {
        let c: ToolPolicyConfig = serde_json::from_str(r#"{"deny": ["rm_*"]}"#).unwrap();
        assert_eq!(c.deny, vec!["rm_*"]);
        assert_eq!(c.max_arg_bytes, 64 * 1024);
        assert!(c.sql_tools.contains(&"*sql*".to_string()));
    }

    #[test]
    fn unknown_fields_are_rejected() {
        assert!(serde_json::from_str::<ToolPolicyConfig>(r#"{"denny": []}"#).is_err());
    }

    #[test]
    fn invalid_values_are_config_errors() {
        let bad = [
            ToolPolicyConfig {
                max_arg_bytes: 0,
                ..Default::default()
            },
            ToolPolicyConfig {
                approval_timeout_ms: 0,
                ..Default::default()
            },
            ToolPolicyConfig {
                deny: vec!["".into()],
                ..Default::default()
            },
            ToolPolicyConfig {
                restricted_paths: vec!["relative/dir".into()],
                ..Default::default()
            },
        ];
        for config in bad {
            let err = CompiledPolicy::compile(&config).unwrap_err();
            assert_eq!(
                err.kind(),
                crate::error::ErrorKind::InvalidConfig,
                "{config:?}"
            );
        }
    }

    #[test]
    fn deny_wins_over_allow() {
        let c = ToolPolicyConfig {
            allow: vec!["file_*".into()],
            deny: vec!["file_delete".into()],
            ..Default::default()
        };
        let p = CompiledPolicy::compile(&c).unwrap();
        assert!(p.name_allowed("file_read"));
        assert!(!p.name_allowed("FILE_DELETE"));
        assert!(!p.name_allowed("web_search"));
    }
}
