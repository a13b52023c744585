//! Tamper-evident audit trail: each record's MAC covers its own fields and
//! the previous record's MAC, so editing, deleting or reordering any record
//! breaks every MAC after it.

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::auth::AuthUser;
use crate::db::Conn;
use crate::error::AppResult;
use crate::ids::hex;
use crate::models::audit::{self, AuditFilter, AuditRecord};
use crate::time::now_micros;

pub const GENESIS_MAC: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it and from where.
pub struct Actor {
    pub user_id: Option<String>,
    pub ip: Option<String>,
}

impl From<&AuthUser> for Actor {
    fn from(user: &AuthUser) -> Self {
        Actor {
            user_id: Some(user.id().to_owned()),
            ip: Some(user.ip.to_string()),
        }
    }
}

/// One mutation to record; summaries must already be free of secrets.
pub struct Event<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Appends to the chain. Call inside the mutation's transaction so the
/// change and its record commit together.
pub async fn record(conn: &mut Conn, key: &[u8], actor: &Actor, event: Event<'_>) -> AppResult<()> {
    audit::lock_chain(conn).await?;
    let (last_seq, prev_mac) = audit::head(conn)
        .await?
        .unwrap_or((0, GENESIS_MAC.to_owned()));
    let mut row = AuditRecord {
        seq: last_seq + 1,
        actor_id: actor.user_id.clone(),
        action: event.action.to_owned(),
        target_type: event.target_type.to_owned(),
        target_id: event.target_id.to_owned(),
        before_summary: event.before.map(|v| v.to_string()),
        after_summary: event.after.map(|v| v.to_string()),
        ip: actor.ip.clone(),
        created_at: now_micros(),
        prev_mac,
        mac: String::new(),
    };
    row.mac = compute_mac(key, &row);
    audit::insert(conn, &row).await
}

fn compute_mac(key: &[u8], row: &AuditRecord) -> String {
    // A JSON array is an unambiguous encoding of the fields (no delimiter games).
    let canonical = serde_json::json!([
        row.seq,
        row.actor_id,
        row.action,
        row.target_type,
        row.target_id,
        row.before_summary,
        row.after_summary,
        row.ip,
        row.created_at,
        row.prev_mac,
    ]);
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(canonical.to_string().as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// Result of walking the whole chain.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Verification {
    pub ok: bool,
    pub records_checked: i64,
    /// The first record that does not verify, if any.
    pub first_bad_seq: Option<i64>,
    pub problem: Option<String>,
}

pub async fn verify(conn: &mut Conn, key: &[u8]) -> AppResult<Verification> {
    const BATCH: i64 = 500;
    let mut expected_seq = 1;
    let mut prev_mac = GENESIS_MAC.to_owned();
    let fail = |seq: i64, checked: i64, problem: &str| Verification {
        ok: false,
        records_checked: checked,
        first_bad_seq: Some(seq),
        problem: Some(problem.to_owned()),
    };
    loop {
        let batch = audit::list(conn, &AuditFilter::default(), expected_seq - 1, BATCH).await?;
        if batch.is_empty() {
            break;
        }
        for row in &batch {
            let checked = expected_seq - 1;
            if row.seq != expected_seq {
                return Ok(fail(expected_seq, checked, "record is missing"));
            }
            if row.prev_mac != prev_mac {
                return Ok(fail(
                    row.seq,
                    checked,
                    "does not chain to the previous record",
                ));
            }
            if compute_mac(key, row) != row.mac {
                return Ok(fail(
                    row.seq,
                    checked,
                    "contents were altered (MAC mismatch)",
                ));
            }
            prev_mac = row.mac.clone();
            expected_seq += 1;
        }
    }
    Ok(Verification {
        ok: true,
        records_checked: expected_seq - 1,
        first_bad_seq: None,
        problem: None,
    })
}
