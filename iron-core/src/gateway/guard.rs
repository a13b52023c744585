//! The safety guards in the gateway: prompts are scanned (PII, secrets,
//! injection) before any budget is reserved or byte sent; responses are
//! scanned before the agent sees them; tool calls the model asks for are
//! checked against the tool policy. Every decision is a `guardrail.check`
//! (or `tool.invoke`) event; values never appear in events.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::texts::{Origin, for_each_output_text, for_each_prompt_text};
use crate::accounting::ApiKind;
use crate::error::{Error, ErrorKind, Result};
use crate::events::{Event, EventSink};
use crate::safety::injection::InjectionDetector;
use crate::safety::{Action, Detector, Direction, EntityType, Redactor, SafetyPolicy};
use crate::tools::{RequestedCall, ToolGuard, requested_calls};

/// The guards one runtime applies. Cheap to share.
#[derive(Debug, Clone)]
pub struct Guards {
    pub detector: Arc<dyn Detector>,
    pub policy: SafetyPolicy,
    /// One per runtime session: the same value gets the same placeholder.
    pub redactor: Arc<Redactor>,
    /// Injection detector and what to do when it flags (`Block` or `Alert`).
    pub injection: Option<(InjectionDetector, Action)>,
    /// Tool policy for the tool calls models request (`Block` or `Alert`).
    pub tools: Option<(Arc<ToolGuard>, Action)>,
}

/// What one scan found, for the `guardrail.check` event.
#[derive(Debug, Default)]
struct Report {
    /// entity name -> action -> count
    entities: BTreeMap<&'static str, BTreeMap<&'static str, u32>>,
    injection: Option<Value>,
    blocked: Option<String>,
}

impl Report {
    /// One event per decision, clean ones included, so the audit trail
    /// shows every scan and not only the hits.
    fn emit(self, events: &dyn EventSink, direction: &str, model: &str) {
        let _span = tracing::info_span!("guardrail.check", direction, model).entered();
        events.emit(
            Event::from_value(
                "guardrail.check",
                json!({
                    "direction": direction,
                    "model": model,
                    "entities": self.entities,
                    "injection": self.injection,
                    "outcome": if self.blocked.is_some() { "blocked" } else { "allowed" },
                    "reason": self.blocked,
                }),
            )
            .shared(),
        );
    }
}

fn action_name(action: Action) -> &'static str {
    match action {
        Action::Allow => "allow",
        Action::Redact => "redact",
        Action::Block => "block",
        Action::Alert => "alert",
    }
}

impl Guards {
    /// Scans and rewrites a request's prompt texts. `Ok(true)` when something
    /// was redacted (the body must be re-serialised); `Err(PolicyViolation)`
    /// refuses the call.
    pub fn check_prompt(
        &self,
        api: ApiKind,
        body: &mut Map<String, Value>,
        model: &str,
        events: &dyn EventSink,
    ) -> Result<bool> {
        let mut changed = false;
        let mut error: Option<Error> = None;
        let mut report = Report::default();
        for_each_prompt_text(api, body, &mut |origin, text| {
            if error.is_some() {
                return;
            }
            if let Err(e) = self.check_injection(origin, text, &mut report) {
                error = Some(e);
                return;
            }
            match self.scan(Direction::Prompt, text, &mut report) {
                Ok(true) => changed = true,
                Ok(false) => {}
                Err(e) => error = Some(e),
            }
        });
        report.blocked = error.as_ref().map(|e| e.message().to_string());
        report.emit(events, "prompt", model);
        error.map_or(Ok(changed), Err)
    }

    fn check_injection(&self, origin: Origin, text: &str, report: &mut Report) -> Result<()> {
        let Some((detector, action)) = &self.injection else {
            return Ok(());
        };
        let verdict = match origin {
            // The developer's own system prompt is trusted.
            Origin::System => return Ok(()),
            Origin::User => detector.check(text),
            Origin::Untrusted => detector.check_untrusted(text),
        };
        if !verdict.flagged {
            return Ok(());
        }
        let category = verdict
            .category
            .map(|c| serde_json::to_value(c).unwrap_or_default())
            .unwrap_or(Value::Null);
        report.injection = Some(json!({
            "score": verdict.score, "category": category, "signals": verdict.signals,
            "untrusted": origin == Origin::Untrusted, "action": action_name(*action),
        }));
        if *action == Action::Block {
            return Err(Error::new(
                ErrorKind::PolicyViolation,
                format!(
                    "prompt injection detected ({}, score {:.2})",
                    category.as_str().unwrap_or("unknown"),
                    verdict.score
                ),
            )
            .with_code("prompt_injection"));
        }
        Ok(())
    }

    /// Applies the PII/secret policy to one text in place.
    fn scan(&self, direction: Direction, text: &mut String, report: &mut Report) -> Result<bool> {
        let outcome = self
            .policy
            .apply(direction, &*self.detector, &self.redactor, text)
            .map_err(|e| {
                if e.kind() == ErrorKind::PolicyViolation {
                    e.with_code("pii_blocked")
                } else {
                    e
                }
            })?;
        for flagged in &outcome.flagged {
            *report
                .entities
                .entry(flagged.finding.entity.name())
                .or_default()
                .entry(action_name(flagged.action))
                .or_default() += 1;
        }
        Ok(match outcome.redacted {
            Some(redacted) => {
                *text = redacted;
                true
            }
            None => false,
        })
    }

    /// Scans a complete response: redacts output texts in place and checks
    /// the tool calls it requests. `Err` refuses to hand the answer over
    /// (the call is billed all the same: the provider did the work).
    pub fn check_response(
        &self,
        api: ApiKind,
        body: &mut Value,
        model: &str,
        events: &dyn EventSink,
    ) -> Result<bool> {
        let mut changed = false;
        let mut error = None;
        let mut report = Report::default();
        let tools = requested_calls(body);
        for_each_output_text(api, body, &mut |text| {
            if error.is_none() {
                match self.scan(Direction::Response, text, &mut report) {
                    Ok(c) => changed |= c,
                    Err(e) => error = Some(e),
                }
            }
        });
        if error.is_none() {
            error = self.check_requested_tools(&tools).err();
        }
        report.blocked = error.as_ref().map(|e| e.message().to_string());
        report.emit(events, "response", model);
        error.map_or(Ok(changed), Err)
    }

    /// Checks the tool calls a model asked for; each decision is a
    /// `tool.invoke` event (emitted by the tool guard).
    pub fn check_requested_tools(&self, tools: &[RequestedCall]) -> Result<()> {
        let Some((guard, action)) = &self.tools else {
            return Ok(());
        };
        for tool in tools {
            let decision = guard.check_sync(&tool.name, &tool.args);
            if !decision.allowed && *action == Action::Block {
                return Err(Error::new(
                    ErrorKind::PolicyViolation,
                    format!(
                        "the model asked for tool {:?}, which the tool policy denies: {}",
                        tool.name,
                        decision.reason.as_deref().unwrap_or("denied")
                    ),
                )
                .with_code("tool_denied"));
            }
        }
        Ok(())
    }

    /// Whether streamed responses need rewriting at all.
    pub fn redacts_responses(&self) -> bool {
        EntityType::ALL.iter().any(|&e| self.redacts_in_stream(e))
    }

    /// A `Block` on responses cannot be honoured mid-stream (the bytes
    /// before it are already with the agent), so streams redact instead.
    pub fn redacts_in_stream(&self, entity: EntityType) -> bool {
        matches!(
            self.policy.action(entity, Direction::Response),
            Action::Redact | Action::Block
        )
    }
}
