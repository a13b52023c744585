//! What to do with each entity type, per direction, and applying it.

use std::collections::BTreeMap;

use super::detector::{Detector, EntityType, Finding};
use super::redact::Redactor;
use crate::error::{Error, ErrorKind, Result};

/// What happens to text containing an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Pass silently.
    Allow,
    /// Replace with a typed placeholder such as `[EMAIL_1]`.
    Redact,
    /// Refuse the call with [`ErrorKind::PolicyViolation`].
    Block,
    /// Pass, but report it (the gateway emits a `guardrail.check` event).
    Alert,
}

/// Which way the text is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// To the provider: blocking still prevents the leak.
    Prompt,
    /// From the provider: the call already happened, so redact by default.
    Response,
}

/// Per-entity actions. Default: secrets are blocked in prompts and
/// redacted in responses; PII is redacted both ways.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SafetyPolicy {
    pub pii: Action,
    pub secrets_in_prompts: Action,
    pub secrets_in_responses: Action,
    /// Per-type actions that win over the three defaults, both directions.
    pub overrides: BTreeMap<EntityType, Action>,
}

impl Default for SafetyPolicy {
    fn default() -> Self {
        Self {
            pii: Action::Redact,
            secrets_in_prompts: Action::Block,
            secrets_in_responses: Action::Redact,
            overrides: BTreeMap::new(),
        }
    }
}

/// A finding and the action the policy chose for it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Flagged {
    #[serde(flatten)]
    pub finding: Finding,
    pub action: Action,
}

/// Result of [`SafetyPolicy::apply`] on text that was not blocked.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The redacted text, or `None` when nothing had to be redacted.
    pub redacted: Option<String>,
    /// Every finding with its action (including `Allow`/`Alert`), for events.
    pub flagged: Vec<Flagged>,
}

impl SafetyPolicy {
    pub fn action(&self, entity: EntityType, direction: Direction) -> Action {
        if let Some(&a) = self.overrides.get(&entity) {
            return a;
        }
        match (entity.is_secret(), direction) {
            (false, _) => self.pii,
            (true, Direction::Prompt) => self.secrets_in_prompts,
            (true, Direction::Response) => self.secrets_in_responses,
        }
    }

    pub fn with_pii(mut self, action: Action) -> Self {
        self.pii = action;
        self
    }

    pub fn with_secrets(mut self, in_prompts: Action, in_responses: Action) -> Self {
        self.secrets_in_prompts = in_prompts;
        self.secrets_in_responses = in_responses;
        self
    }

    pub fn with_override(mut self, entity: EntityType, action: Action) -> Self {
        self.overrides.insert(entity, action);
        self
    }

    /// Whether any entity would be redacted in `direction` (lets callers
    /// skip building a [`StreamRedactor`](super::StreamRedactor)).
    pub fn redacts_any(&self, direction: Direction) -> bool {
        EntityType::ALL
            .iter()
            .any(|&e| self.action(e, direction) == Action::Redact)
    }

    /// Scans `text` and applies the policy. Blocking findings fail the whole
    /// text with `PolicyViolation`; the message names the entity types only,
    /// never the values.
    pub fn apply(
        &self,
        direction: Direction,
        detector: &dyn Detector,
        redactor: &Redactor,
        text: &str,
    ) -> Result<Outcome> {
        let flagged: Vec<Flagged> = detector
            .detect(text)
            .into_iter()
            .map(|finding| Flagged {
                action: self.action(finding.entity, direction),
                finding,
            })
            .filter(|f| f.action != Action::Allow)
            .collect();
        let mut blocked: Vec<&str> = flagged
            .iter()
            .filter(|f| f.action == Action::Block)
            .map(|f| f.finding.entity.name())
            .collect();
        if !blocked.is_empty() {
            blocked.dedup();
            let what = if direction == Direction::Prompt {
                "prompt"
            } else {
                "response"
            };
            return Err(Error::new(
                ErrorKind::PolicyViolation,
                format!("{what} contains {}", blocked.join(", ")),
            ));
        }
        let to_redact: Vec<Finding> = flagged
            .iter()
            .filter(|f| f.action == Action::Redact)
            .map(|f| f.finding.clone())
            .collect();
        let redacted = (!to_redact.is_empty()).then(|| redactor.redact(text, &to_redact));
        Ok(Outcome { redacted, flagged })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::safety::RuleDetector;

    #[test]
    fn defaults_and_overrides() {
        let p = SafetyPolicy::default();
        assert_eq!(
            p.action(EntityType::Email, Direction::Prompt),
            Action::Redact
        );
        assert_eq!(p.action(EntityType::Jwt, Direction::Prompt), Action::Block);
        assert_eq!(
            p.action(EntityType::Jwt, Direction::Response),
            Action::Redact
        );
        let json = r#"{"pii": "redact", "secrets_in_prompts": "block", "secrets_in_responses": "redact", "overrides": {"EMAIL": "alert"}}"#;
        let parsed: SafetyPolicy = serde_json::from_str(json).unwrap();
        assert_eq!(
            parsed,
            SafetyPolicy::default().with_override(EntityType::Email, Action::Alert)
        );
        assert!(serde_json::from_str::<SafetyPolicy>(r#"{"pi": "redact"}"#).is_err());
    }

    #[test]
    fn apply_blocks_redacts_and_alerts() {
        let det = RuleDetector::shared();
        let r = Redactor::default();
        let p = SafetyPolicy::default().with_override(EntityType::IpAddress, Action::Alert);
        let out = p
            .apply(Direction::Prompt, det, &r, "mail a@b.io from 10.1.2.3")
            .unwrap();
        assert_eq!(
            out.redacted.as_deref(),
            Some("mail [EMAIL_1] from 10.1.2.3")
        );
        assert_eq!(out.flagged.len(), 2);
        let err = p
            .apply(Direction::Prompt, det, &r, "key AKIA2E0A8F3B244C9986")
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::PolicyViolation);
        assert!(!err.to_string().contains("AKIA2E0A8F3B244C9986"));
    }
}
