//! The server's policy in the engine's terms.

use super::wire::{PiiMode, RemotePolicy, Severity};
use crate::safety::Action;
use crate::safety::injection::DEFAULT_THRESHOLD;
use crate::tools::ToolPolicyConfig;

impl RemotePolicy {
    /// What the gateway does with PII.
    pub fn pii_action(&self) -> Action {
        match self.pii_mode {
            PiiMode::Off => Action::Allow,
            PiiMode::Alert => Action::Alert,
            PiiMode::Redact => Action::Redact,
            PiiMode::Block => Action::Block,
        }
    }

    /// The injection detector's score threshold for the server's severity:
    /// `high` is the detector's default (one strong cue), `critical` needs
    /// more evidence, `medium` / `low` flag weaker cues.
    pub fn injection_threshold(&self) -> f32 {
        match self.injection_threshold {
            Severity::Low => 0.3,
            Severity::Medium => 0.4,
            Severity::High => DEFAULT_THRESHOLD,
            Severity::Critical => 0.7,
        }
    }

    /// `base` with the server's allow and deny lists.
    pub fn tool_policy(&self, base: ToolPolicyConfig) -> ToolPolicyConfig {
        ToolPolicyConfig {
            allow: self.tool_policy.allow.clone(),
            deny: self.tool_policy.deny.clone(),
            ..base
        }
    }

    /// `None` when any model may be called.
    pub fn allowed_models(&self) -> Option<Vec<String>> {
        (!self.allowed_models.is_empty()).then(|| self.allowed_models.clone())
    }
}
