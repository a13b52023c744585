//! Alert rows raised by the ledger and the kill switch. The webhook
//! dispatcher picks them up from the `alerts` table.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::Value;

use crate::db::Conn;
use crate::db::schema::alerts;
use crate::dispatch;
use crate::error::AppResult;
use crate::ids;
use crate::models::alert::{self, NewAlert};

pub struct Alert<'a> {
    pub project_id: &'a str,
    pub key_id: Option<&'a str>,
    pub kind: &'a str,
    pub severity: &'a str,
    pub message: String,
    pub data: Value,
}

/// Inserts `alert`; with `once_since`, only when the project has no alert of
/// that kind created since then (one per budget period).
pub(crate) async fn raise(
    conn: &mut Conn,
    alert: Alert<'_>,
    once_since: Option<i64>,
    now: i64,
) -> AppResult<()> {
    if let Some(since) = once_since {
        let existing: i64 = dispatch!(conn, |c| alerts::table
            .filter(alerts::project_id.eq(alert.project_id))
            .filter(alerts::kind.eq(alert.kind))
            .filter(alerts::created_at.ge(since))
            .count()
            .get_result(c)
            .await?);
        if existing > 0 {
            return Ok(());
        }
    }
    let id = ids::new_id(ids::ALERT);
    let new = NewAlert {
        id: &id,
        project_id: Some(alert.project_id),
        key_id: alert.key_id,
        kind: alert.kind,
        severity: alert.severity,
        message: &alert.message,
        data: &alert.data,
        created_at: now,
    };
    alert::insert_once(conn, &new).await?;
    Ok(())
}

/// The project figures after a ledger change, for threshold crossings.
pub struct Figures {
    pub period_started_at: i64,
    pub budget_micros: i64,
    pub spent_micros: i64,
    pub reserved_micros: i64,
    pub soft_threshold_pct: i32,
    pub hard_threshold_pct: i32,
}

fn pct_of(budget: i64, pct: i32) -> i64 {
    let pct = i64::from(pct);
    budget / 100 * pct + budget % 100 * pct / 100
}

/// Raises `budget_soft` / `budget_hard` when committed spend (spent +
/// reserved) went from `before` to the figures' total across a threshold.
pub(crate) async fn budget_thresholds(
    conn: &mut Conn,
    project_id: &str,
    before: i64,
    after: &Figures,
    now: i64,
) -> AppResult<()> {
    let used = after.spent_micros + after.reserved_micros;
    for (kind, severity, pct) in [
        ("budget_soft", "warning", after.soft_threshold_pct),
        ("budget_hard", "critical", after.hard_threshold_pct),
    ] {
        let line = pct_of(after.budget_micros, pct);
        if after.budget_micros > 0 && before < line && used >= line {
            let alert = Alert {
                project_id,
                key_id: None,
                kind,
                severity,
                message: format!("project spend reached {pct}% of its budget"),
                data: serde_json::json!({
                    "threshold_pct": pct,
                    "budget_micros": after.budget_micros,
                    "spent_micros": after.spent_micros,
                    "reserved_micros": after.reserved_micros,
                }),
            };
            raise(conn, alert, Some(after.period_started_at), now).await?;
        }
    }
    Ok(())
}
