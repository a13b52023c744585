use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::db::Conn;
use crate::db::schema::ic_keys;
use crate::dispatch;
use crate::error::{AppError, AppResult};

pub const ACTIVE: &str = "active";
pub const SUSPENDED: &str = "suspended";
pub const REVOKED: &str = "revoked";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ic_keys)]
pub struct IcKey {
    pub id: String,
    pub project_id: String,
    pub owner_id: String,
    pub name: String,
    pub key_hash: String,
    pub display_prefix: String,
    pub spend_limit_micros: Option<i64>,
    pub spent_micros: i64,
    /// JSON array of CIDR strings; empty means any address.
    pub ip_allowlist: String,
    pub expires_at: Option<i64>,
    pub status: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Ledger column: open leases' amount charged to this key's limit.
    pub reserved_micros: i64,
}

pub async fn insert(conn: &mut Conn, key: &IcKey) -> AppResult<()> {
    dispatch!(conn, |c| diesel::insert_into(ic_keys::table)
        .values(key)
        .execute(c)
        .await?);
    Ok(())
}

pub async fn find(conn: &mut Conn, id: &str) -> AppResult<IcKey> {
    dispatch!(conn, |c| ic_keys::table
        .find(id)
        .first(c)
        .await
        .optional()?)
    .ok_or_else(|| AppError::not_found("key"))
}

pub async fn find_by_hash(conn: &mut Conn, key_hash: &str) -> AppResult<Option<IcKey>> {
    Ok(dispatch!(conn, |c| ic_keys::table
        .filter(ic_keys::key_hash.eq(key_hash))
        .first(c)
        .await
        .optional()?))
}

/// Keys of a project, or of one owner, in id order.
pub async fn list(
    conn: &mut Conn,
    project_id: Option<&str>,
    owner_id: Option<&str>,
    after: &str,
    limit: i64,
) -> AppResult<Vec<IcKey>> {
    Ok(dispatch!(conn, |c| {
        let mut query = ic_keys::table.filter(ic_keys::id.gt(after)).into_boxed();
        if let Some(project_id) = project_id {
            query = query.filter(ic_keys::project_id.eq(project_id.to_owned()));
        }
        if let Some(owner_id) = owner_id {
            query = query.filter(ic_keys::owner_id.eq(owner_id.to_owned()));
        }
        query.order(ic_keys::id).limit(limit).load(c).await?
    }))
}

pub async fn transition(
    conn: &mut Conn,
    id: &str,
    from: &[&str],
    to: &str,
    now: i64,
) -> AppResult<bool> {
    let updated = dispatch!(conn, |c| diesel::update(
        ic_keys::table.find(id).filter(ic_keys::status.eq_any(from))
    )
    .set((ic_keys::status.eq(to), ic_keys::updated_at.eq(now)))
    .execute(c)
    .await?);
    Ok(updated == 1)
}

/// The keys of `owner_id` that are not revoked yet (active or suspended).
pub async fn unrevoked_for_owner(conn: &mut Conn, owner_id: &str) -> AppResult<Vec<IcKey>> {
    Ok(dispatch!(conn, |c| ic_keys::table
        .filter(ic_keys::owner_id.eq(owner_id))
        .filter(ic_keys::status.ne(REVOKED))
        .select(IcKey::as_select())
        .load(c)
        .await?))
}

/// The editable fields of a key.
pub struct KeyEdit<'a> {
    pub name: &'a str,
    pub spend_limit_micros: Option<i64>,
    pub ip_allowlist: &'a str,
    pub expires_at: Option<i64>,
}

/// Writes `edit` unless the new limit is below what the key already spent
/// and holds in open leases; false then (nothing changed).
pub async fn edit(conn: &mut Conn, id: &str, edit: &KeyEdit<'_>, now: i64) -> AppResult<bool> {
    let limit = edit.spend_limit_micros.unwrap_or(i64::MAX);
    let updated =
        dispatch!(conn, |c| diesel::update(ic_keys::table.find(id).filter(
            (ic_keys::spent_micros + ic_keys::reserved_micros).le(limit)
        ))
        .set((
            ic_keys::name.eq(edit.name),
            ic_keys::spend_limit_micros.eq(edit.spend_limit_micros),
            ic_keys::ip_allowlist.eq(edit.ip_allowlist),
            ic_keys::expires_at.eq(edit.expires_at),
            ic_keys::updated_at.eq(now),
        ))
        .execute(c)
        .await?);
    Ok(updated == 1)
}
