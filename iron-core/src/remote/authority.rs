//! [`BudgetAuthority`] over the SDK protocol: leases and settlements of one
//! session. Fail closed: when no lease can be had, the error goes to the
//! accountant and the call is refused before the provider.

use std::time::{Duration, SystemTime};

use http::Method;

use super::client::RemoteClient;
use super::wire::{LeaseRequest, LeaseResponse, SettleRequest, SettleResponse};
use crate::budget::{BudgetAuthority, Lease, SettleReceipt, Settlement};
use crate::error::Result;
use crate::money::Micros;

/// The session's leases, drawn from iron-server.
#[derive(Debug, Clone)]
pub struct RemoteAuthority {
    client: RemoteClient,
    session_id: String,
    ttl: Duration,
}

impl RemoteAuthority {
    /// `ttl`: the lease TTL from the handshake.
    pub fn new(client: RemoteClient, session_id: impl Into<String>, ttl: Duration) -> Self {
        Self {
            client,
            session_id: session_id.into(),
            ttl,
        }
    }

    /// The lease's local deadline: the TTL counted from when the request
    /// was sent (not the server's clock, so clock skew cannot stretch it),
    /// less a margin so the holder stops before the server expires it.
    fn lease(&self, wire: LeaseResponse, sent_at: SystemTime) -> Lease {
        let margin = (self.ttl / 10).min(Duration::from_secs(5));
        Lease {
            id: wire.lease_id,
            amount: wire.amount_micros,
            expires_at: Some(sent_at + self.ttl.saturating_sub(margin)),
        }
    }
}

#[async_trait::async_trait]
impl BudgetAuthority for RemoteAuthority {
    async fn grant(&self, want: Micros) -> Result<Lease> {
        // One key per logical grant, reused by every retry: a lease whose
        // answer was lost is handed back, not granted twice.
        let key = uuid::Uuid::now_v7().to_string();
        let body = LeaseRequest {
            session_id: &self.session_id,
            want_micros: want,
            idempotency_key: &key,
        };
        let sent_at = SystemTime::now();
        let wire: LeaseResponse = self
            .client
            .send(Method::POST, "/api/v1/sdk/leases", Some(&body))
            .await?;
        Ok(self.lease(wire, sent_at))
    }

    async fn settle(&self, settlement: Settlement) -> Result<SettleReceipt> {
        let body = SettleRequest {
            idempotency_key: &settlement.idempotency_key,
            spent_micros: settlement.spent,
            usage: &settlement.usage,
            next_tranche_micros: settlement.next_tranche,
        };
        let path = format!("/api/v1/sdk/leases/{}/settle", settlement.lease_id);
        let sent_at = SystemTime::now();
        let wire: SettleResponse = self.client.send(Method::POST, &path, Some(&body)).await?;
        if wire.overrun_micros > 0 {
            tracing::info!(lease = %settlement.lease_id, overrun = wire.overrun_micros, "lease settled with an overrun");
        }
        Ok(SettleReceipt {
            returned: wire.returned_micros,
            next: wire.next.map(|next| self.lease(next, sent_at)),
        })
    }
}
