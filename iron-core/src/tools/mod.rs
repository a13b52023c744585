//! Tool-call guard: decides whether an agent may run a tool with given
//! arguments. Allow/deny globs on tool names, argument validators (path
//! traversal and restricted directories, destructive SQL, URL allowlist and
//! SSRF, shell syntax, size), per-tool rate limits, an approval hook, and a
//! PII scan of tool outputs. Every decision emits a `tool.invoke` event.
//!
//! Two entry points use it: the direct API (`runtime.check_tool(name, args)`)
//! for frameworks that run tools themselves, and the gateway, which screens
//! the tool calls a model requests.

mod approval;
mod calls;
mod guard;
mod policy;
mod rate;
mod validators;

pub use approval::{Approver, AutoApprove, DenyAll, FnApprover};
pub use calls::{RequestedCall, requested_calls};
pub use guard::ToolGuard;
pub use policy::{RateLimit, ToolPolicyConfig};

use serde::Serialize;
use serde_json::Value;

/// The outcome of one check. `rule` names what refused the call:
/// `deny_list`, `path_traversal`, `restricted_path`, `destructive_sql`,
/// `ssrf`, `url_not_allowed`, `shell_metachar`, `arg_too_large`,
/// `rate_limited`, `approval_denied`, `approval_timeout`,
/// `approval_required_async`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolDecision {
    pub tool: String,
    pub allowed: bool,
    pub reason: Option<String>,
    pub rule: Option<&'static str>,
}

/// Anything that decides tool calls; [`ToolGuard`] is the implementation.
#[async_trait::async_trait]
pub trait ToolPolicy: Send + Sync + std::fmt::Debug {
    async fn check(&self, tool: &str, args: &Value) -> ToolDecision;
}

/// Finds sensitive spans in a tool's output: `(entity name, start, end)`
/// with byte offsets. The safety module's detector is adapted to this.
pub trait OutputScanner: Send + Sync + std::fmt::Debug {
    fn scan(&self, text: &str) -> Vec<(String, usize, usize)>;
}
