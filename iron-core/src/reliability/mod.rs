//! Reliability around provider calls: retry with backoff and jitter
//! (honouring `Retry-After`), a circuit breaker per provider, and fallback
//! chains across models and providers of the same wire format.

mod breaker;
mod fallback;
mod retry;

pub use breaker::{BreakerConfig, BreakerState, CircuitBreaker};
pub use fallback::{FallbackChains, FallbackTarget};
pub use retry::{RetryPolicy, is_retryable_status, parse_retry_after};
