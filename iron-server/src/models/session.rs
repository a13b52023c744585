//! Refresh tokens and invitations: both stored only as SHA-256 hashes.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::db::Conn;
use crate::db::schema::{invitations, refresh_tokens};
use crate::dispatch;
use crate::error::AppResult;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    pub id: String,
    pub user_id: String,
    pub family_id: String,
    pub token_hash: String,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub created_at: i64,
}

pub async fn insert_refresh(conn: &mut Conn, token: &RefreshToken) -> AppResult<()> {
    dispatch!(conn, |c| diesel::insert_into(refresh_tokens::table)
        .values(token)
        .execute(c)
        .await?);
    Ok(())
}

pub async fn find_refresh(conn: &mut Conn, token_hash: &str) -> AppResult<Option<RefreshToken>> {
    Ok(dispatch!(conn, |c| refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .first(c)
        .await
        .optional()?))
}

/// Marks the token used; false when it already was (a replay).
pub async fn consume_refresh(conn: &mut Conn, id: &str, now: i64) -> AppResult<bool> {
    let updated = dispatch!(conn, |c| diesel::update(
        refresh_tokens::table
            .find(id)
            .filter(refresh_tokens::revoked_at.is_null())
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(c)
    .await?);
    Ok(updated == 1)
}

pub async fn revoke_family(conn: &mut Conn, family_id: &str, now: i64) -> AppResult<()> {
    dispatch!(conn, |c| diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null())
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(c)
    .await?);
    Ok(())
}

pub async fn revoke_all_for_user(conn: &mut Conn, user_id: &str, now: i64) -> AppResult<()> {
    dispatch!(conn, |c| diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null())
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(c)
    .await?);
    Ok(())
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    pub id: String,
    pub email: String,
    pub role: String,
    pub token_hash: String,
    pub invited_by: String,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub created_at: i64,
}

pub async fn insert_invitation(conn: &mut Conn, invitation: &Invitation) -> AppResult<()> {
    dispatch!(conn, |c| diesel::insert_into(invitations::table)
        .values(invitation)
        .execute(c)
        .await?);
    Ok(())
}

pub async fn find_open_invitation(
    conn: &mut Conn,
    token_hash: &str,
    now: i64,
) -> AppResult<Option<Invitation>> {
    Ok(dispatch!(conn, |c| invitations::table
        .filter(invitations::token_hash.eq(token_hash))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::expires_at.gt(now))
        .first(c)
        .await
        .optional()?))
}

/// Conditional on still being open, so one invitation makes one account.
pub async fn accept_invitation(conn: &mut Conn, id: &str, now: i64) -> AppResult<bool> {
    let updated = dispatch!(conn, |c| diesel::update(
        invitations::table
            .find(id)
            .filter(invitations::accepted_at.is_null())
    )
    .set(invitations::accepted_at.eq(now))
    .execute(c)
    .await?);
    Ok(updated == 1)
}
