//! Webhooks: alert rows turned into signed HTTP POSTs, retried with
//! exponential backoff, each attempt logged in `webhook_deliveries`.
//!
//! Safe with several replicas: a delivery's id is derived from (webhook,
//! alert), so fan-out inserts it once (ON CONFLICT DO NOTHING), and a
//! replica claims a due delivery with a conditional update before sending.

use std::time::Duration;

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::crypto::Sealed;
use crate::db::Conn;
use crate::db::raw::{self, RawQuery};
use crate::error::{AppError, AppResult};
use crate::ids::hex;
use crate::models::alert::{self, Alert};
use crate::state::AppState;
use crate::time::{MICROS_PER_SECOND, now_micros, to_iso};

pub const SIGNATURE_HEADER: &str = "X-Iron-Signature";
pub const ACTIVE: &str = "active";
pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";
/// Attempts before a delivery is given up as failed.
pub const MAX_ATTEMPTS: i64 = 8;
const MAX_BACKOFF_MICROS: i64 = 3600 * MICROS_PER_SECOND;
/// How long a claimed delivery is hidden from other replicas.
const CLAIM_MICROS: i64 = 60 * MICROS_PER_SECOND;
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// Alerts older than this when the process starts are not fanned out.
const FIRST_LOOKBACK_MICROS: i64 = 3600 * MICROS_PER_SECOND;
/// Overlap between passes, for alerts committed late.
const OVERLAP_MICROS: i64 = 60 * MICROS_PER_SECOND;

#[derive(QueryableByName, Debug, Clone)]
pub struct Webhook {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub url: String,
    #[diesel(sql_type = Text)]
    pub secret_nonce: String,
    #[diesel(sql_type = Text)]
    pub secret_ciphertext: String,
    #[diesel(sql_type = Text)]
    pub events: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = BigInt)]
    pub created_at: i64,
    #[diesel(sql_type = BigInt)]
    pub updated_at: i64,
}

impl Webhook {
    pub fn events(&self) -> Vec<String> {
        serde_json::from_str(&self.events).unwrap_or_default()
    }

    fn wants(&self, kind: &str) -> bool {
        let events = self.events();
        events.is_empty() || events.iter().any(|e| e == kind)
    }

    pub fn secret(&self, state: &AppState) -> AppResult<Zeroizing<Vec<u8>>> {
        let sealed = Sealed {
            nonce: self.secret_nonce.clone(),
            ciphertext: self.secret_ciphertext.clone(),
        };
        state
            .keys
            .master
            .open(&sealed, &secret_aad(&self.id))
            .map_err(AppError::internal)
    }
}

#[derive(QueryableByName, Debug, Clone)]
pub struct Delivery {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub webhook_id: String,
    #[diesel(sql_type = Text)]
    pub event_kind: String,
    #[diesel(sql_type = Text)]
    pub payload: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = BigInt)]
    pub attempts: i64,
    #[diesel(sql_type = BigInt)]
    pub next_attempt_at: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub last_status_code: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub last_error: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub created_at: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub delivered_at: Option<i64>,
}

pub fn secret_aad(webhook_id: &str) -> String {
    format!("webhook:{webhook_id}")
}

const WEBHOOK_COLUMNS: &str = "SELECT w.id AS id, w.url AS url, w.secret_nonce AS secret_nonce, \
    w.secret_ciphertext AS secret_ciphertext, w.events AS events, w.status AS status, \
    w.created_at AS created_at, w.updated_at AS updated_at FROM webhooks w WHERE 1 = 1";

const DELIVERY_COLUMNS: &str = "SELECT d.id AS id, d.webhook_id AS webhook_id, \
    d.event_kind AS event_kind, d.payload AS payload, d.status AS status, d.attempts AS attempts, \
    d.next_attempt_at AS next_attempt_at, d.last_status_code AS last_status_code, \
    d.last_error AS last_error, d.created_at AS created_at, d.delivered_at AS delivered_at \
    FROM webhook_deliveries d WHERE 1 = 1";

pub struct NewWebhook<'a> {
    pub id: &'a str,
    pub url: &'a str,
    pub sealed: &'a Sealed,
    pub events: &'a [String],
    pub created_by: &'a str,
    pub now: i64,
}

pub async fn insert(conn: &mut Conn, w: &NewWebhook<'_>) -> AppResult<()> {
    let mut q = RawQuery::new(
        "INSERT INTO webhooks (id, url, secret_nonce, secret_ciphertext, events, status, \
         created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    q.text(w.id)
        .text(w.url)
        .text(w.sealed.nonce.clone())
        .text(w.sealed.ciphertext.clone())
        .text(serde_json::to_string(w.events).map_err(AppError::internal)?)
        .text(ACTIVE)
        .text(w.created_by)
        .int(w.now)
        .int(w.now);
    raw::execute(conn, q).await?;
    Ok(())
}

pub async fn list(conn: &mut Conn, after: &str, limit: i64) -> AppResult<Vec<Webhook>> {
    let mut q = RawQuery::new(WEBHOOK_COLUMNS);
    q.sql(" AND w.id > ? ORDER BY w.id LIMIT ?")
        .text(after)
        .int(limit);
    raw::load(conn, q).await
}

pub async fn find(conn: &mut Conn, id: &str) -> AppResult<Webhook> {
    let mut q = RawQuery::new(WEBHOOK_COLUMNS);
    q.sql(" AND w.id = ?").text(id);
    let rows: Vec<Webhook> = raw::load(conn, q).await?;
    rows.into_iter()
        .next()
        .ok_or_else(|| AppError::not_found("webhook"))
}

/// Deletes the webhook and its delivery log; false when there was none.
pub async fn delete(conn: &mut Conn, id: &str) -> AppResult<bool> {
    let mut q = RawQuery::new("DELETE FROM webhook_deliveries WHERE webhook_id = ?");
    q.text(id);
    raw::execute(conn, q).await?;
    let mut q = RawQuery::new("DELETE FROM webhooks WHERE id = ?");
    q.text(id);
    Ok(raw::execute(conn, q).await? == 1)
}

pub async fn deliveries(
    conn: &mut Conn,
    webhook_id: &str,
    before: Option<(i64, String)>,
    limit: i64,
) -> AppResult<Vec<Delivery>> {
    let mut q = RawQuery::new(DELIVERY_COLUMNS);
    q.sql(" AND d.webhook_id = ?").text(webhook_id);
    if let Some((at, id)) = before {
        q.sql(" AND (d.created_at < ? OR (d.created_at = ? AND d.id < ?))")
            .int(at)
            .int(at)
            .text(id);
    }
    q.sql(" ORDER BY d.created_at DESC, d.id DESC LIMIT ?")
        .int(limit);
    raw::load(conn, q).await
}

pub async fn find_delivery(conn: &mut Conn, id: &str) -> AppResult<Delivery> {
    let mut q = RawQuery::new(DELIVERY_COLUMNS);
    q.sql(" AND d.id = ?").text(id);
    let rows: Vec<Delivery> = raw::load(conn, q).await?;
    rows.into_iter()
        .next()
        .ok_or_else(|| AppError::not_found("delivery"))
}

/// Queues a delivery unless one with this id exists; true when queued.
pub async fn enqueue(
    conn: &mut Conn,
    id: &str,
    webhook_id: &str,
    kind: &str,
    payload: &serde_json::Value,
    now: i64,
) -> AppResult<bool> {
    let mut q = RawQuery::new(
        "INSERT INTO webhook_deliveries (id, webhook_id, event_kind, payload, status, attempts, \
         next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (id) DO NOTHING",
    );
    q.text(id)
        .text(webhook_id)
        .text(kind)
        .text(payload.to_string())
        .text(PENDING)
        .int(now)
        .int(now);
    Ok(raw::execute(conn, q).await? == 1)
}

/// The delivery of `alert_id` to `webhook_id` always has the same id.
pub fn delivery_id(webhook_id: &str, alert_id: &str) -> String {
    let digest = Sha256::digest(format!("{webhook_id}|{alert_id}").as_bytes());
    let bytes: [u8; 16] = digest[..16].try_into().expect("16 bytes");
    format!("whd_{}", uuid::Uuid::from_bytes(bytes))
}

pub fn alert_payload(delivery_id: &str, alert: &Alert) -> serde_json::Value {
    json!({
        "id": delivery_id,
        "type": alert.kind,
        "created_at": to_iso(alert.created_at),
        "data": {
            "alert_id": alert.id,
            "project_id": alert.project_id,
            "key_id": alert.key_id,
            "kind": alert.kind,
            "severity": alert.severity,
            "message": alert.message,
            "data": serde_json::from_str::<serde_json::Value>(&alert.data).unwrap_or_default(),
        },
    })
}

/// `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
pub fn signature(secret: &[u8], unix_secs: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("{unix_secs}.{body}").as_bytes());
    format!("t={unix_secs},v1={}", hex(&mac.finalize().into_bytes()))
}

/// Delay before attempt `attempts + 1`: base, 2×base, 4×base, … capped at an hour.
pub fn backoff_micros(base_ms: u64, attempts: i64) -> i64 {
    let exp = attempts.clamp(1, 30) - 1;
    (base_ms as i64)
        .saturating_mul(1000)
        .saturating_mul(1 << exp)
        .min(MAX_BACKOFF_MICROS)
}

pub fn spawn(state: AppState, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut since = now_micros() - FIRST_LOOKBACK_MICROS;
        loop {
            tick.tick().await;
            let started = now_micros();
            match fan_out(&state, since, started).await {
                Ok(()) => since = started - OVERLAP_MICROS,
                Err(err) => tracing::warn!(error = %err, "webhook fan-out failed"),
            }
            if let Err(err) = deliver_due(&state, started).await {
                tracing::warn!(error = %err, "webhook delivery pass failed");
            }
        }
    });
}

/// Queues one delivery per (active webhook, matching alert created since
/// `since` and after the webhook itself).
async fn fan_out(state: &AppState, since: i64, now: i64) -> AppResult<()> {
    let mut conn = state.db.conn().await?;
    let hooks: Vec<Webhook> = list(&mut conn, "", 10_000)
        .await?
        .into_iter()
        .filter(|w| w.status == ACTIVE)
        .collect();
    if hooks.is_empty() {
        return Ok(());
    }
    for alert in alert::created_since(&mut conn, since, 10_000).await? {
        for hook in hooks
            .iter()
            .filter(|h| h.created_at <= alert.created_at && h.wants(&alert.kind))
        {
            let id = delivery_id(&hook.id, &alert.id);
            let payload = alert_payload(&id, &alert);
            enqueue(&mut conn, &id, &hook.id, &alert.kind, &payload, now).await?;
        }
    }
    Ok(())
}

async fn deliver_due(state: &AppState, now: i64) -> AppResult<()> {
    let mut conn = state.db.conn().await?;
    let mut q = RawQuery::new(DELIVERY_COLUMNS);
    q.sql(" AND d.status = ? AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT 50")
        .text(PENDING)
        .int(now);
    let due: Vec<Delivery> = raw::load(&mut conn, q).await?;
    for delivery in due {
        if claim(&mut conn, &delivery, now).await? {
            attempt(state, &mut conn, delivery).await?;
        }
    }
    Ok(())
}

/// Hides the delivery from other replicas while this one sends it.
async fn claim(conn: &mut Conn, d: &Delivery, now: i64) -> AppResult<bool> {
    let mut q = RawQuery::new(
        "UPDATE webhook_deliveries SET next_attempt_at = ? \
         WHERE id = ? AND status = ? AND next_attempt_at = ?",
    );
    q.int(now + CLAIM_MICROS)
        .text(d.id.clone())
        .text(PENDING)
        .int(d.next_attempt_at);
    Ok(raw::execute(conn, q).await? == 1)
}

async fn attempt(state: &AppState, conn: &mut Conn, d: Delivery) -> AppResult<()> {
    let hook = find(conn, &d.webhook_id).await?;
    let secret = hook.secret(state)?;
    let sent_at = now_micros();
    let result = state
        .http
        .post(&hook.url)
        .timeout(SEND_TIMEOUT)
        .header("content-type", "application/json")
        .header(
            SIGNATURE_HEADER,
            signature(&secret, sent_at / MICROS_PER_SECOND, &d.payload),
        )
        .header("X-Iron-Event", &d.event_kind)
        .header("X-Iron-Delivery", &d.id)
        .body(d.payload.clone())
        .send()
        .await;
    let (code, error) = match result {
        Ok(response) if response.status().is_success() => (Some(response.status().as_u16()), None),
        Ok(response) => (
            Some(response.status().as_u16()),
            Some(format!("HTTP {}", response.status())),
        ),
        // Without the URL: it may carry credentials.
        Err(err) => (None, Some(err.without_url().to_string())),
    };
    let attempts = d.attempts + 1;
    let now = now_micros();
    let (status, next) = match &error {
        None => (DELIVERED, now),
        Some(_) if attempts >= MAX_ATTEMPTS => (FAILED, now),
        Some(_) => (
            PENDING,
            now + backoff_micros(state.config.webhook_retry_base_ms, attempts),
        ),
    };
    metrics::counter!("iron_webhook_attempts_total", "outcome" => status).increment(1);
    let mut q = RawQuery::new(
        "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, \
         last_status_code = ?, last_error = ?, delivered_at = ? WHERE id = ?",
    );
    q.text(status)
        .int(attempts)
        .int(next)
        .opt_int(code.map(i64::from))
        .opt_text(error)
        .opt_int((status == DELIVERED).then_some(now))
        .text(d.id);
    raw::execute(conn, q).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_over_time_dot_body() {
        // RFC 4231 test case 2 key and data, as "<t>.<body>" = "what do ya want for nothing?".
        let sig = signature(b"Jefe", 0, "what do ya want for nothing?");
        assert!(sig.starts_with("t=0,v1="));
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"0.what do ya want for nothing?");
        assert_eq!(sig, format!("t=0,v1={}", hex(&mac.finalize().into_bytes())));
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_micros(100, 1), 100_000);
        assert_eq!(backoff_micros(100, 2), 200_000);
        assert_eq!(backoff_micros(100, 4), 800_000);
        assert_eq!(backoff_micros(100_000, 20), MAX_BACKOFF_MICROS);
    }

    #[test]
    fn delivery_ids_are_stable() {
        assert_eq!(
            delivery_id("wh_1", "alert_1"),
            delivery_id("wh_1", "alert_1")
        );
        assert_ne!(
            delivery_id("wh_1", "alert_1"),
            delivery_id("wh_2", "alert_1")
        );
    }
}
