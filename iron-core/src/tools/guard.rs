//! [`ToolGuard`]: the policy engine behind `runtime.check_tool` and the
//! gateway's screening of model-requested tool calls.

use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use serde_json::Value;

use super::approval::{Approver, DenyAll};
use super::policy::{CompiledPolicy, ToolPolicyConfig};
use super::rate::RateLimits;
use super::validators::{ArgChecks, PendingHost, Violation, size, urls};
use super::{OutputScanner, ToolDecision, ToolPolicy};
use crate::error::{Error, ErrorKind, Result};
use crate::events::{Event, EventSink};

/// Checks tool calls against a [`ToolPolicyConfig`]. In order: name
/// (allow/deny), argument size, argument validators, (async only) DNS of
/// named hosts, rate limit, approval. Every decision emits `tool.invoke`.
#[derive(Debug)]
pub struct ToolGuard {
    policy: CompiledPolicy,
    rates: RateLimits,
    approver: Arc<dyn Approver>,
    events: Option<Arc<dyn EventSink>>,
    scanner: Option<Arc<dyn OutputScanner>>,
}

/// The `tool.invoke` event. Arguments are never included (they may hold
/// secrets), only their size.
#[derive(Serialize)]
struct ToolInvoke<'a> {
    tool: &'a str,
    allowed: bool,
    rule: Option<&'static str>,
    reason: Option<&'a str>,
    latency_us: u64,
    arg_bytes: Option<usize>,
}

/// The `tool.output` event: where findings are, never what they say.
#[derive(Serialize)]
struct ToolOutput<'a> {
    tool: &'a str,
    output_bytes: usize,
    findings: Vec<OutputFinding<'a>>,
}

#[derive(Serialize)]
struct OutputFinding<'a> {
    entity: &'a str,
    start: usize,
    end: usize,
}

impl ToolGuard {
    /// Compiles the policy; `InvalidConfig` on bad globs, paths or limits.
    /// Approval-required tools are denied until an approver is set.
    pub fn new(config: ToolPolicyConfig) -> Result<Self> {
        Ok(Self {
            policy: CompiledPolicy::compile(&config)?,
            rates: RateLimits::new(&config.rate_limits)?,
            approver: Arc::new(DenyAll),
            events: None,
            scanner: None,
        })
    }

    pub fn with_approver(mut self, approver: Arc<dyn Approver>) -> Self {
        self.approver = approver;
        self
    }

    pub fn with_events(mut self, sink: Arc<dyn EventSink>) -> Self {
        self.events = Some(sink);
        self
    }

    pub fn with_output_scanner(mut self, scanner: Arc<dyn OutputScanner>) -> Self {
        self.scanner = Some(scanner);
        self
    }

    /// The full check: also resolves host names (refusing names that point
    /// at private addresses) and waits for the approver, up to the timeout.
    pub async fn check(&self, tool: &str, args: &Value) -> ToolDecision {
        let start = Instant::now();
        let mut pending = Vec::new();
        let (arg_bytes, mut verdict) = self.static_checks(tool, args, &mut pending);
        if verdict.is_ok() {
            verdict = urls::check_resolved(&pending).await;
        }
        if verdict.is_ok() {
            verdict = self.rates.check(tool);
        }
        if verdict.is_ok() && self.policy.require_approval.matches(tool) {
            verdict = self.ask_approver(tool, args).await;
        }
        self.decide(tool, start, arg_bytes, verdict)
    }

    /// The fast path for bindings: no DNS resolution (host names are only
    /// checked statically) and no waiting for approval — approval-required
    /// tools are decided only by approvers that answer immediately
    /// ([`AutoApprove`](super::AutoApprove), [`DenyAll`]); otherwise they are
    /// denied with rule `approval_required_async`.
    pub fn check_sync(&self, tool: &str, args: &Value) -> ToolDecision {
        let start = Instant::now();
        let mut pending = Vec::new();
        let (arg_bytes, mut verdict) = self.static_checks(tool, args, &mut pending);
        if verdict.is_ok() {
            verdict = self.rates.check(tool);
        }
        if verdict.is_ok() && self.policy.require_approval.matches(tool) {
            verdict = match self.approver.immediate() {
                Some(true) => Ok(()),
                Some(false) => Err(approval_denied(tool)),
                None => Err(Violation::new(
                    "approval_required_async",
                    format!("tool {tool:?} needs approval; use the async check"),
                )),
            };
        }
        self.decide(tool, start, arg_bytes, verdict)
    }

    /// `Ok` when the decision allows the call, else a `PolicyViolation`
    /// naming the tool, the rule and the reason.
    pub fn require(&self, decision: ToolDecision) -> Result<()> {
        if decision.allowed {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::PolicyViolation,
            format!(
                "tool {:?} denied ({}): {}",
                decision.tool,
                decision.rule.unwrap_or("policy"),
                decision
                    .reason
                    .as_deref()
                    .unwrap_or("denied by tool policy")
            ),
        ))
    }

    /// Scans a tool's output with the configured scanner (none: nothing is
    /// found). Emits `tool.output` with the findings' spans when any.
    pub fn scan_output(&self, tool: &str, output: &str) -> Vec<(String, usize, usize)> {
        let Some(scanner) = &self.scanner else {
            return Vec::new();
        };
        let findings = scanner.scan(output);
        if let Some(sink) = self.events.as_ref().filter(|_| !findings.is_empty()) {
            let data = ToolOutput {
                tool,
                output_bytes: output.len(),
                findings: findings
                    .iter()
                    .map(|(entity, start, end)| OutputFinding {
                        entity,
                        start: *start,
                        end: *end,
                    })
                    .collect(),
            };
            sink.emit(Event::new("tool.output", data).shared());
        }
        findings
    }

    /// Everything that needs neither the network nor a person.
    fn static_checks(
        &self,
        tool: &str,
        args: &Value,
        pending: &mut Vec<PendingHost>,
    ) -> (Option<usize>, std::result::Result<(), Violation>) {
        let p = &self.policy;
        if !p.name_allowed(tool) {
            let why = if p.deny.matches(tool) {
                "is on the deny list"
            } else {
                "is not on the allow list"
            };
            return (
                None,
                Err(Violation::new("deny_list", format!("tool {tool:?} {why}"))),
            );
        }
        let bytes = match size::check(args, p.max_arg_bytes) {
            Ok(n) => n,
            Err(v) => return (None, Err(v)),
        };
        let checks = ArgChecks {
            policy: p,
            sql: p.sql_tools.matches(tool),
            shell: p.shell_tools.matches(tool),
        };
        (Some(bytes), checks.check(args, pending))
    }

    async fn ask_approver(&self, tool: &str, args: &Value) -> std::result::Result<(), Violation> {
        let timeout = self.policy.approval_timeout;
        match tokio::time::timeout(timeout, self.approver.approve(tool, args)).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(approval_denied(tool)),
            Err(_) => Err(Violation::new(
                "approval_timeout",
                format!(
                    "no approval for tool {tool:?} within {} ms",
                    timeout.as_millis()
                ),
            )),
        }
    }

    fn decide(
        &self,
        tool: &str,
        start: Instant,
        arg_bytes: Option<usize>,
        verdict: std::result::Result<(), Violation>,
    ) -> ToolDecision {
        let (rule, reason) = match verdict {
            Ok(()) => (None, None),
            Err(v) => (Some(v.rule), Some(v.reason)),
        };
        if let Some(sink) = &self.events {
            let data = ToolInvoke {
                tool,
                allowed: rule.is_none(),
                rule,
                reason: reason.as_deref(),
                latency_us: u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX),
                arg_bytes,
            };
            sink.emit(Event::new("tool.invoke", data).shared());
        }
        ToolDecision {
            tool: tool.to_string(),
            allowed: rule.is_none(),
            reason,
            rule,
        }
    }
}

fn approval_denied(tool: &str) -> Violation {
    Violation::new(
        "approval_denied",
        format!("approval for tool {tool:?} was denied"),
    )
}

#[async_trait::async_trait]
impl ToolPolicy for ToolGuard {
    async fn check(&self, tool: &str, args: &Value) -> ToolDecision {
        ToolGuard::check(self, tool, args).await
    }
}
