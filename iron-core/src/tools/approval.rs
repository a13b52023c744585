//! Approvers: who consents to tools listed in `require_approval`.

use std::fmt;
use std::future::Future;

use futures::future::BoxFuture;
use serde_json::Value;

/// Decides whether one tool call may run. The guard bounds the wait with the
/// policy's `approval_timeout_ms`; no answer in time is a denial.
#[async_trait::async_trait]
pub trait Approver: Send + Sync + fmt::Debug {
    async fn approve(&self, tool: &str, args: &Value) -> bool;

    /// The answer when it is known without asking (and without awaiting),
    /// which lets [`ToolGuard::check_sync`](super::ToolGuard::check_sync)
    /// decide approval-required tools. `None` means "must ask".
    fn immediate(&self) -> Option<bool> {
        None
    }
}

/// Approves everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct AutoApprove;

#[async_trait::async_trait]
impl Approver for AutoApprove {
    async fn approve(&self, _tool: &str, _args: &Value) -> bool {
        true
    }

    fn immediate(&self) -> Option<bool> {
        Some(true)
    }
}

/// Denies everything: tools that need approval never run. The default.
#[derive(Debug, Clone, Copy, Default)]
pub struct DenyAll;

#[async_trait::async_trait]
impl Approver for DenyAll {
    async fn approve(&self, _tool: &str, _args: &Value) -> bool {
        false
    }

    fn immediate(&self) -> Option<bool> {
        Some(false)
    }
}

type ApproveFn = dyn Fn(String, Value) -> BoxFuture<'static, bool> + Send + Sync;

/// Asks a callback, e.g. one the Python or Node binding wraps around a user
/// function. The callback gets owned copies so it can hand them to another
/// runtime.
pub struct FnApprover {
    name: String,
    f: Box<ApproveFn>,
}

impl FnApprover {
    pub fn new<F, Fut>(name: impl Into<String>, f: F) -> Self
    where
        F: Fn(String, Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = bool> + Send + 'static,
    {
        Self {
            name: name.into(),
            f: Box::new(move |tool, args| Box::pin(f(tool, args))),
        }
    }
}

impl fmt::Debug for FnApprover {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FnApprover")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl Approver for FnApprover {
    async fn approve(&self, tool: &str, args: &Value) -> bool {
        (self.f)(tool.to_string(), args.clone()).await
    }
}
