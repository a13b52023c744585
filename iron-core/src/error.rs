//! One error type for the engine. Bindings map each [`ErrorKind`] to one
//! native exception class; the gateway maps it to the provider's error format.

use std::fmt;
use std::time::Duration;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, independent of where. Stable: bindings and the gateway
/// switch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The budget (lease, project, or key limit) cannot cover the call.
    BudgetExceeded,
    /// The developer key was revoked or suspended.
    KeyRevoked,
    /// The project is paused.
    ProjectPaused,
    /// A safety policy refused the call (PII, secret, injection, tool).
    PolicyViolation,
    /// The model is unknown to the price table (and no default price is set).
    UnknownModel,
    /// The model is known but not allowed by the policy.
    ModelNotAllowed,
    /// The request is malformed (bad JSON, wrong types, missing fields).
    InvalidRequest,
    /// The request body is larger than the configured limit.
    PayloadTooLarge,
    /// The caller did not present the gateway's placeholder key.
    Unauthorized,
    /// Too many requests; `retry_after` may say when to come back.
    RateLimited,
    /// The provider answered with an error status.
    Upstream,
    /// The provider (or the budget authority) could not be reached, or its
    /// circuit breaker is open.
    Unavailable,
    /// Configuration given to the engine is invalid.
    InvalidConfig,
    /// A bug or an unexpected state inside the engine.
    Internal,
}

impl ErrorKind {
    /// Stable snake_case code used in wire formats and events.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::BudgetExceeded => "budget_exceeded",
            ErrorKind::KeyRevoked => "key_revoked",
            ErrorKind::ProjectPaused => "project_paused",
            ErrorKind::PolicyViolation => "policy_violation",
            ErrorKind::UnknownModel => "model_not_found",
            ErrorKind::ModelNotAllowed => "model_not_allowed",
            ErrorKind::InvalidRequest => "invalid_request_error",
            ErrorKind::PayloadTooLarge => "request_too_large",
            ErrorKind::Unauthorized => "invalid_api_key",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Upstream => "upstream_error",
            ErrorKind::Unavailable => "provider_unavailable",
            ErrorKind::InvalidConfig => "invalid_config",
            ErrorKind::Internal => "internal_error",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The engine's error: a kind, a human message, whether retrying may help,
/// and an optional cause.
pub struct Error {
    kind: ErrorKind,
    message: String,
    retryable: bool,
    retry_after: Option<Duration>,
    /// Upstream HTTP status, when the error came from a provider.
    status: Option<u16>,
    /// A finer code than the kind's (`pii_blocked`, `prompt_injection`, `tool_denied`).
    code: Option<&'static str>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        let retryable = matches!(
            kind,
            ErrorKind::RateLimited | ErrorKind::Unavailable | ErrorKind::Upstream
        );
        Self {
            kind,
            message: message.into(),
            retryable,
            retry_after: None,
            status: None,
            code: None,
            source: None,
        }
    }

    /// Sets a finer code than the kind's, e.g. `tool_denied` for a
    /// `PolicyViolation`; bindings map it to a subclass of the kind's exception.
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// The finer code if set, else the kind's code.
    pub fn code(&self) -> &'static str {
        self.code.unwrap_or(self.kind.code())
    }

    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    pub fn with_retry_after(mut self, retry_after: Option<Duration>) -> Self {
        self.retry_after = retry_after;
        self
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn is_retryable(&self) -> bool {
        self.retryable
    }

    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    pub fn status(&self) -> Option<u16> {
        self.status
    }

    pub fn budget_exceeded(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BudgetExceeded, message)
    }

    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidRequest, message)
    }

    pub fn invalid_config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidConfig, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.kind).field("message", &self.message);
        if let Some(code) = self.code {
            d.field("code", &code);
        }
        if self.retryable {
            d.field("retryable", &true);
        }
        if let Some(ra) = self.retry_after {
            d.field("retry_after", &ra);
        }
        if let Some(status) = self.status {
            d.field("status", &status);
        }
        if let Some(source) = &self.source {
            d.field("source", &source.to_string());
        }
        d.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)?;
        if let Some(source) = &self.source {
            write!(f, " ({source})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|s| s.as_ref() as &(dyn std::error::Error + 'static))
    }
}
