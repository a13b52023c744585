//! The SDK protocol's bodies (docs/sdk-protocol.md). Requests serialise
//! exactly as the contract says (the server denies unknown fields);
//! responses are read leniently so the server may add fields.

use serde::{Deserialize, Serialize};

use crate::budget::UsageLine;
use crate::money::Micros;
use crate::secrets::Secret;

#[derive(Debug, Serialize)]
pub(super) struct HandshakeRequest<'a> {
    pub client: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
}

/// The server's answer to a handshake: who we are, the project's provider
/// credentials and policy, and the lease terms.
#[derive(Debug, Clone, Deserialize)]
pub struct Handshake {
    pub session_id: String,
    pub project_id: String,
    pub key_id: String,
    pub providers: Vec<ProviderCredential>,
    pub policy: RemotePolicy,
    pub lease: LeaseTerms,
    pub budget: BudgetState,
    /// Path (or absolute URL) of the session's control stream.
    pub control_url: String,
}

/// One decrypted vault credential. The key is a [`Secret`]: redacted in
/// Debug, wiped on drop, held in memory only.
#[derive(Debug, Clone, Deserialize)]
pub struct ProviderCredential {
    pub provider: String,
    pub api_key: Secret,
    /// The server's override of the provider's URL, if any.
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RemotePolicy {
    pub pii_mode: PiiMode,
    pub injection_threshold: Severity,
    #[serde(default)]
    pub tool_policy: RemoteToolPolicy,
    /// Model globs; empty means any model.
    #[serde(default)]
    pub allowed_models: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PiiMode {
    Off,
    Alert,
    Redact,
    Block,
}

/// Injection findings at or above this severity block the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RemoteToolPolicy {
    #[serde(default)]
    pub allow: Vec<String>,
    #[serde(default)]
    pub deny: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct LeaseTerms {
    pub tranche_micros: Micros,
    pub ttl_secs: u64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct BudgetState {
    pub budget_micros: Micros,
    pub spent_micros: Micros,
    pub reserved_micros: Micros,
    pub key_limit_micros: Option<Micros>,
    pub key_spent_micros: Micros,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub(super) struct LeaseRequest<'a> {
    pub session_id: &'a str,
    pub want_micros: Micros,
    pub idempotency_key: &'a str,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct LeaseResponse {
    pub lease_id: String,
    pub amount_micros: Micros,
}

#[derive(Debug, Serialize)]
pub(super) struct SettleRequest<'a> {
    pub idempotency_key: &'a str,
    pub spent_micros: Micros,
    pub usage: &'a [UsageLine],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_tranche_micros: Option<Micros>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct SettleResponse {
    pub returned_micros: Micros,
    #[serde(default)]
    pub overrun_micros: Micros,
    pub next: Option<LeaseResponse>,
}

#[derive(Debug, Serialize)]
pub(super) struct EventsRequest<'a> {
    pub session_id: &'a str,
    pub events: &'a [WireEvent],
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct WireEvent {
    pub id: String,
    pub kind: String,
    pub at: String,
    pub data: serde_json::Map<String, serde_json::Value>,
}

/// One message of the control stream.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum ControlMessage {
    State {
        key_status: String,
        project_status: String,
    },
    Revoked {
        #[serde(default)]
        reason: Option<String>,
    },
    Suspended,
    Paused,
    Resumed,
    BudgetChanged {
        budget_micros: Option<Micros>,
    },
    PolicyChanged,
    /// A type this client does not know yet.
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Deserialize)]
pub(super) struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Deserialize)]
pub(super) struct ErrorDetail {
    pub code: String,
    #[serde(default)]
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settle_body_is_exactly_the_contracts() {
        let line = UsageLine {
            id: "0190-line".into(),
            at: "2026-11-23T10:00:00.000000Z".into(),
            model: "gpt-4o-mini".into(),
            input_tokens: 10,
            cached_input_tokens: 0,
            output_tokens: 5,
            cost: 4200,
            latency_ms: 12,
            outcome: "ok".into(),
        };
        let body = SettleRequest {
            idempotency_key: "k1",
            spent_micros: 4200,
            usage: std::slice::from_ref(&line),
            next_tranche_micros: Some(500_000),
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"idempotency_key": "k1", "spent_micros": 4200,
                   "usage": [{"id": "0190-line", "at": "2026-11-23T10:00:00.000000Z",
                              "model": "gpt-4o-mini", "input_tokens": 10,
                              "cached_input_tokens": 0, "output_tokens": 5,
                              "cost_micros": 4200, "latency_ms": 12, "outcome": "ok"}],
                   "next_tranche_micros": 500_000})
        );
        let without_next = SettleRequest {
            next_tranche_micros: None,
            ..body
        };
        let v = serde_json::to_value(&without_next).unwrap();
        assert!(v.get("next_tranche_micros").is_none());
    }

    #[test]
    fn handshake_reads_the_contracts_example_and_keeps_keys_secret() {
        let h: Handshake = serde_json::from_value(json!({
            "session_id": "sess_1", "project_id": "proj_1", "key_id": "key_1",
            "providers": [{"provider": "openai", "api_key": "sk-real-secret", "base_url": null}],
            "policy": {"pii_mode": "redact", "injection_threshold": "high",
                       "tool_policy": {"allow": [], "deny": ["shell*"]}, "allowed_models": ["gpt-4o*"]},
            "lease": {"tranche_micros": 500000, "ttl_secs": 300},
            "budget": {"budget_micros": 50000000, "spent_micros": 0, "reserved_micros": 0,
                       "key_limit_micros": null, "key_spent_micros": 0},
            "control_url": "/api/v1/sdk/sessions/sess_1/control",
            "a_field_added_later": true
        }))
        .unwrap();
        assert_eq!(h.providers[0].api_key.expose(), "sk-real-secret");
        assert!(!format!("{h:?}").contains("sk-real-secret"));
        assert_eq!(h.policy.pii_mode, PiiMode::Redact);
        assert_eq!(h.policy.tool_policy.deny, ["shell*"]);
        assert_eq!(h.lease.tranche_micros, 500_000);
    }

    #[test]
    fn control_messages_parse_and_unknown_types_are_tolerated() {
        let parse = |v| serde_json::from_value::<ControlMessage>(v).unwrap();
        assert_eq!(
            parse(json!({"type": "revoked", "reason": "leaked"})),
            ControlMessage::Revoked {
                reason: Some("leaked".into())
            }
        );
        assert_eq!(parse(json!({"type": "paused"})), ControlMessage::Paused);
        assert_eq!(
            parse(json!({"type": "state", "key_status": "active",
                         "project_status": "paused", "budget_micros": 5})),
            ControlMessage::State {
                key_status: "active".into(),
                project_status: "paused".into()
            }
        );
        assert_eq!(parse(json!({"type": "brand_new"})), ControlMessage::Unknown);
    }
}
