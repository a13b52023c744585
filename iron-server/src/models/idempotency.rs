//! Stripe-style idempotency keys, claimed inside the transaction of the
//! effect they guard.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::db::Conn;
use crate::db::schema::idempotency_keys;
use crate::dispatch;
use crate::error::AppResult;

pub enum Claim {
    /// First use: go ahead, then [`store_response`].
    New,
    /// Seen with the same request: answer with the stored response.
    Replay(String),
    /// Seen with a different request.
    Conflict,
}

/// Claims `(scope, key)` for a request whose canonical hash is `hash`. On
/// PostgreSQL a concurrent claim of the same key waits for the first
/// transaction and then sees its committed row (or claims it, if that one
/// rolled back).
pub async fn claim(
    conn: &mut Conn,
    scope: &str,
    key: &str,
    hash: &str,
    now: i64,
) -> AppResult<Claim> {
    let inserted = dispatch!(conn, |c| diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::scope.eq(scope),
            idempotency_keys::idem_key.eq(key),
            idempotency_keys::request_hash.eq(hash),
            idempotency_keys::response.eq(""),
            idempotency_keys::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(c)
        .await?);
    if inserted == 1 {
        return Ok(Claim::New);
    }
    let (stored_hash, response): (String, String) = dispatch!(conn, |c| idempotency_keys::table
        .find((scope, key))
        .select((idempotency_keys::request_hash, idempotency_keys::response))
        .first(c)
        .await?);
    Ok(if stored_hash == hash {
        Claim::Replay(response)
    } else {
        Claim::Conflict
    })
}

pub async fn store_response(
    conn: &mut Conn,
    scope: &str,
    key: &str,
    response: &str,
) -> AppResult<()> {
    dispatch!(conn, |c| diesel::update(
        idempotency_keys::table.find((scope, key))
    )
    .set(idempotency_keys::response.eq(response))
    .execute(c)
    .await?);
    Ok(())
}
