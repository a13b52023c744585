//! Leases (pending debits with a timeout) and SDK sessions.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::db::Conn;
use crate::db::schema::{leases, sdk_sessions};
use crate::dispatch;
use crate::error::{AppError, AppResult};

pub const OPEN: &str = "open";
pub const SETTLED: &str = "settled";
pub const EXPIRED: &str = "expired";
pub const SESSION_OPEN: &str = "open";
pub const SESSION_CLOSED: &str = "closed";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = leases)]
pub struct Lease {
    pub id: String,
    pub session_id: String,
    pub project_id: String,
    pub key_id: String,
    pub amount_micros: i64,
    pub spent_micros: i64,
    pub returned_micros: i64,
    pub status: String,
    pub charges_key: bool,
    pub period_started_at: i64,
    pub expires_at: i64,
    pub created_at: i64,
    pub settled_at: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sdk_sessions)]
pub struct SdkSession {
    pub id: String,
    pub key_id: String,
    pub project_id: String,
    pub client: String,
    pub hostname: String,
    pub ip: Option<String>,
    pub status: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub closed_at: Option<i64>,
}

pub async fn insert(conn: &mut Conn, lease: &Lease) -> AppResult<()> {
    dispatch!(conn, |c| diesel::insert_into(leases::table)
        .values(lease)
        .execute(c)
        .await?);
    Ok(())
}

/// The lease if it belongs to `key_id`; others' leases are "not found".
pub async fn find_for_key(conn: &mut Conn, id: &str, key_id: &str) -> AppResult<Lease> {
    dispatch!(conn, |c| leases::table
        .find(id)
        .filter(leases::key_id.eq(key_id))
        .first(c)
        .await
        .optional()?)
    .ok_or_else(|| AppError::not_found("lease"))
}

/// Marks a lease settled, only from `from` (the status read under the project lock).
pub async fn mark_settled(
    conn: &mut Conn,
    lease: &Lease,
    from: &str,
    spent: i64,
    period_started_at: i64,
    now: i64,
) -> AppResult<bool> {
    let returned = (lease.amount_micros - spent).max(0);
    let updated = dispatch!(conn, |c| diesel::update(
        leases::table
            .find(&lease.id)
            .filter(leases::status.eq(from))
    )
    .set((
        leases::status.eq(SETTLED),
        leases::spent_micros.eq(spent),
        leases::returned_micros.eq(returned),
        leases::period_started_at.eq(period_started_at),
        leases::settled_at.eq(now),
    ))
    .execute(c)
    .await?);
    Ok(updated == 1)
}

pub async fn insert_session(conn: &mut Conn, session: &SdkSession) -> AppResult<()> {
    dispatch!(conn, |c| diesel::insert_into(sdk_sessions::table)
        .values(session)
        .execute(c)
        .await?);
    Ok(())
}

/// The session if it belongs to `key_id`; others' sessions are "not found".
pub async fn find_session(conn: &mut Conn, id: &str, key_id: &str) -> AppResult<SdkSession> {
    dispatch!(conn, |c| sdk_sessions::table
        .find(id)
        .filter(sdk_sessions::key_id.eq(key_id))
        .first(c)
        .await
        .optional()?)
    .ok_or_else(|| AppError::not_found("session"))
}

/// An open session of `key_id`, for granting leases and ingesting events.
pub async fn open_session(conn: &mut Conn, id: &str, key_id: &str) -> AppResult<SdkSession> {
    let session = find_session(conn, id, key_id).await?;
    if session.status != SESSION_OPEN {
        return Err(AppError::new(
            axum::http::StatusCode::CONFLICT,
            "SESSION_CLOSED",
            "the session is closed; start a new one",
        ));
    }
    Ok(session)
}

pub async fn close_session(conn: &mut Conn, id: &str, now: i64) -> AppResult<()> {
    dispatch!(conn, |c| diesel::update(
        sdk_sessions::table
            .find(id)
            .filter(sdk_sessions::status.eq(SESSION_OPEN))
    )
    .set((
        sdk_sessions::status.eq(SESSION_CLOSED),
        sdk_sessions::closed_at.eq(now),
        sdk_sessions::last_seen_at.eq(now),
    ))
    .execute(c)
    .await?);
    Ok(())
}

/// Projects that have open leases past their expiry (for the sweeper).
pub async fn projects_with_due_leases(
    conn: &mut Conn,
    now: i64,
    limit: i64,
) -> AppResult<Vec<String>> {
    Ok(dispatch!(conn, |c| leases::table
        .filter(leases::status.eq(OPEN))
        .filter(leases::expires_at.le(now))
        .select(leases::project_id)
        .distinct()
        .limit(limit)
        .load(c)
        .await?))
}
