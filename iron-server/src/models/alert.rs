//! Alerts: budget thresholds and key status changes (written by the SDK
//! protocol), anomalies (written by the detector). Read by the API and the
//! webhook dispatcher.

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};

use crate::db::Conn;
use crate::db::raw::{self, RawQuery};
use crate::error::AppResult;
use crate::models::usage::push_membership;

pub const OPEN: &str = "open";
pub const ACKNOWLEDGED: &str = "acknowledged";

#[derive(QueryableByName, Debug, Clone)]
pub struct Alert {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub project_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub key_id: Option<String>,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub severity: String,
    #[diesel(sql_type = Text)]
    pub message: String,
    #[diesel(sql_type = Text)]
    pub data: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = BigInt)]
    pub created_at: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub acknowledged_at: Option<i64>,
}

const COLUMNS: &str = "SELECT a.id AS id, a.project_id AS project_id, a.key_id AS key_id, \
    a.kind AS kind, a.severity AS severity, a.message AS message, a.data AS data, \
    a.status AS status, a.created_at AS created_at, a.acknowledged_at AS acknowledged_at \
    FROM alerts a WHERE 1 = 1";

/// A new alert; `id` decides deduplication (inserted at most once).
pub struct NewAlert<'a> {
    pub id: &'a str,
    pub project_id: Option<&'a str>,
    pub key_id: Option<&'a str>,
    pub kind: &'a str,
    pub severity: &'a str,
    pub message: &'a str,
    pub data: &'a serde_json::Value,
    pub created_at: i64,
}

/// Inserts unless an alert with this id exists; true when inserted.
pub async fn insert_once(conn: &mut Conn, alert: &NewAlert<'_>) -> AppResult<bool> {
    let mut q = RawQuery::new(
        "INSERT INTO alerts (id, project_id, key_id, kind, severity, message, data, status, \
         created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    );
    q.text(alert.id)
        .opt_text(alert.project_id.map(str::to_owned))
        .opt_text(alert.key_id.map(str::to_owned))
        .text(alert.kind)
        .text(alert.severity)
        .text(alert.message)
        .text(alert.data.to_string())
        .text(OPEN)
        .int(alert.created_at);
    Ok(raw::execute(conn, q).await? == 1)
}

pub struct AlertFilter<'a> {
    pub status: Option<&'a str>,
    pub project_id: Option<&'a str>,
    pub member_of: Option<&'a str>,
}

fn push_filter(q: &mut RawQuery, filter: &AlertFilter<'_>) {
    if let Some(status) = filter.status {
        q.sql(" AND a.status = ?").text(status);
    }
    if let Some(project_id) = filter.project_id {
        q.sql(" AND a.project_id = ?").text(project_id);
    }
    push_membership(q, "a.project_id", filter.member_of);
}

/// Newest first; `before` is the (created_at, id) of the last row seen.
pub async fn list(
    conn: &mut Conn,
    filter: &AlertFilter<'_>,
    before: Option<(i64, String)>,
    limit: i64,
) -> AppResult<Vec<Alert>> {
    let mut q = RawQuery::new(COLUMNS);
    push_filter(&mut q, filter);
    if let Some((at, id)) = before {
        q.sql(" AND (a.created_at < ? OR (a.created_at = ? AND a.id < ?))")
            .int(at)
            .int(at)
            .text(id);
    }
    q.sql(" ORDER BY a.created_at DESC, a.id DESC LIMIT ?")
        .int(limit);
    raw::load(conn, q).await
}

pub async fn find(conn: &mut Conn, id: &str) -> AppResult<Option<Alert>> {
    let mut q = RawQuery::new(COLUMNS);
    q.sql(" AND a.id = ?").text(id);
    Ok(raw::load(conn, q).await?.into_iter().next())
}

/// Alerts created at or after `since`, oldest first (for webhook fan-out).
pub async fn created_since(conn: &mut Conn, since: i64, limit: i64) -> AppResult<Vec<Alert>> {
    let mut q = RawQuery::new(COLUMNS);
    q.sql(" AND a.created_at >= ? ORDER BY a.created_at, a.id LIMIT ?")
        .int(since)
        .int(limit);
    raw::load(conn, q).await
}

/// Open -> acknowledged; false when it was not open.
pub async fn acknowledge(conn: &mut Conn, id: &str, user_id: &str, now: i64) -> AppResult<bool> {
    let mut q = RawQuery::new(
        "UPDATE alerts SET status = ?, acknowledged_at = ?, acknowledged_by = ? \
         WHERE id = ? AND status = ?",
    );
    q.text(ACKNOWLEDGED)
        .int(now)
        .text(user_id)
        .text(id)
        .text(OPEN);
    Ok(raw::execute(conn, q).await? == 1)
}
