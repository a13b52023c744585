use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::db::Conn;
use crate::db::schema::audit_records;
use crate::dispatch;
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_records)]
pub struct AuditRecord {
    pub seq: i64,
    pub actor_id: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub before_summary: Option<String>,
    pub after_summary: Option<String>,
    pub ip: Option<String>,
    pub created_at: i64,
    pub prev_mac: String,
    pub mac: String,
}

/// Filters of `GET /api/v1/audit`; `None` means "any".
#[derive(Default)]
pub struct AuditFilter {
    pub actor_id: Option<String>,
    pub action: Option<String>,
    pub target_id: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
}

pub async fn head(conn: &mut Conn) -> AppResult<Option<(i64, String)>> {
    Ok(dispatch!(conn, |c| audit_records::table
        .select((audit_records::seq, audit_records::mac))
        .order(audit_records::seq.desc())
        .first(c)
        .await
        .optional()?))
}

pub async fn insert(conn: &mut Conn, record: &AuditRecord) -> AppResult<()> {
    dispatch!(conn, |c| diesel::insert_into(audit_records::table)
        .values(record)
        .execute(c)
        .await?);
    Ok(())
}

pub async fn list(
    conn: &mut Conn,
    filter: &AuditFilter,
    after_seq: i64,
    limit: i64,
) -> AppResult<Vec<AuditRecord>> {
    Ok(dispatch!(conn, |c| {
        let mut query = audit_records::table
            .filter(audit_records::seq.gt(after_seq))
            .into_boxed();
        if let Some(actor) = &filter.actor_id {
            query = query.filter(audit_records::actor_id.eq(actor));
        }
        if let Some(action) = &filter.action {
            query = query.filter(audit_records::action.eq(action));
        }
        if let Some(target) = &filter.target_id {
            query = query.filter(audit_records::target_id.eq(target));
        }
        if let Some(since) = filter.since {
            query = query.filter(audit_records::created_at.ge(since));
        }
        if let Some(until) = filter.until {
            query = query.filter(audit_records::created_at.lt(until));
        }
        query.order(audit_records::seq).limit(limit).load(c).await?
    }))
}

/// Serialises chain appends (see [`Conn::lock_for_transaction`]).
pub async fn lock_chain(conn: &mut Conn) -> AppResult<()> {
    const AUDIT_CHAIN_LOCK: i64 = 0x1CA0D1;
    Ok(conn.lock_for_transaction(AUDIT_CHAIN_LOCK).await?)
}

/// The newest records first (for the activity feed).
pub async fn newest(
    conn: &mut Conn,
    filter: &AuditFilter,
    limit: i64,
) -> AppResult<Vec<AuditRecord>> {
    Ok(dispatch!(conn, |c| {
        let mut query = audit_records::table.into_boxed();
        if let Some(since) = filter.since {
            query = query.filter(audit_records::created_at.ge(since));
        }
        query
            .order(audit_records::seq.desc())
            .limit(limit)
            .load(c)
            .await?
    }))
}
