//! The budget authority: whoever hands out money in leases and takes back what
//! was not spent. Remote (iron-server) or local ([`super::LocalAuthority`]).

use std::time::{Duration, SystemTime};

use crate::error::Result;
use crate::money::Micros;

/// Grants leases and settles them. Implementations must be safe to call from
/// many tasks at once.
#[async_trait::async_trait]
pub trait BudgetAuthority: Send + Sync + std::fmt::Debug {
    /// Grants a lease: at most `want` micro-dollars (the authority decides the
    /// tranche; never more than what is left).
    /// `Err(ErrorKind::BudgetExceeded)` when nothing can be granted;
    /// `KeyRevoked` / `ProjectPaused` from a remote authority.
    async fn grant(&self, want: Micros) -> Result<Lease>;

    /// Reports a lease's spend and returns the unspent rest; idempotent by
    /// `settlement.idempotency_key` (same key twice => same receipt, counted
    /// once). May grant the next tranche in the same round trip.
    async fn settle(&self, settlement: Settlement) -> Result<SettleReceipt>;
}

/// Money moved from the authority to one holder, until settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub id: String,
    pub amount: Micros,
    /// After this instant the holder must not reserve from the lease; the
    /// authority charges it in full until a (late) settle corrects it.
    pub expires_at: Option<SystemTime>,
}

impl Lease {
    pub fn is_expired(&self, now: SystemTime) -> bool {
        self.expires_at.is_some_and(|at| now >= at)
    }
}

/// The final account of one lease.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Settlement {
    pub lease_id: String,
    /// Everything spent against the lease; may exceed its amount when a
    /// provider billed more than the worst-case estimate (an overrun).
    pub spent: Micros,
    pub usage: Vec<UsageLine>,
    pub idempotency_key: String,
    /// Ask for the next lease in the same round trip.
    pub next_tranche: Option<Micros>,
}

#[derive(Debug, Clone)]
pub struct SettleReceipt {
    /// What the authority took back from the lease.
    pub returned: Micros,
    pub next: Option<Lease>,
}

/// One governed LLM call, as reported to the authority. Serialises exactly
/// as a usage line of the SDK protocol's settle body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsageLine {
    /// UUIDv7, unique per call: the authority ignores a line it has seen, so
    /// a retried settle never counts a call twice.
    pub id: String,
    /// When the call finished, RFC 3339 UTC.
    pub at: String,
    pub model: String,
    pub input_tokens: u64,
    pub cached_input_tokens: u64,
    pub output_tokens: u64,
    #[serde(rename = "cost_micros")]
    pub cost: Micros,
    pub latency_ms: u64,
    pub outcome: String,
}

impl UsageLine {
    /// A fresh line id and the current time, for the `id` and `at` fields.
    pub fn stamp() -> (String, String) {
        (
            uuid::Uuid::now_v7().to_string(),
            crate::events::rfc3339(SystemTime::now()),
        )
    }
}

/// Usage lines per settlement, at most (the SDK protocol's limit).
pub const MAX_USAGE_LINES: usize = 1000;

/// Attempts per settle when the authority answers with a retryable error.
const SETTLE_ATTEMPTS: u32 = 3;
const SETTLE_BACKOFF: Duration = Duration::from_millis(50);
/// Caps a server's `retry_after`: settles may sit on an LLM call's path.
const MAX_SETTLE_WAIT: Duration = Duration::from_secs(2);

/// Sends one settlement, retrying retryable failures with the SAME
/// settlement (same idempotency key), so a lost response is never counted twice.
pub(super) async fn settle_with_retry(
    authority: &dyn BudgetAuthority,
    settlement: &Settlement,
) -> Result<SettleReceipt> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match authority.settle(settlement.clone()).await {
            Err(e) if e.is_retryable() && attempt < SETTLE_ATTEMPTS => {
                let wait = e
                    .retry_after()
                    .unwrap_or(SETTLE_BACKOFF * 2u32.pow(attempt - 1))
                    .min(MAX_SETTLE_WAIT);
                tracing::debug!(lease = %settlement.lease_id, error = %e, "settle failed, retrying");
                tokio::time::sleep(wait).await;
            }
            other => return other,
        }
    }
}
