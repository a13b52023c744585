//! The budget ledger: leases are pending debits with a timeout (after
//! TigerBeetle's pending transfers). Every change is a conditional UPDATE in
//! one transaction that first locks the project row, so the order of row
//! locks is always project → key → lease and concurrent transactions on
//! PostgreSQL never deadlock; SQLite serialises writers (see `db`).
//!
//! Budget periods: a reset (`project::roll_period`) zeroes the project's
//! spent and keeps its reserved. Open leases of the old period keep holding
//! budget in the new one, and are charged to the period in which they are
//! settled or expire (their `period_started_at` moves along). A late settle
//! of a lease that expired in a past period changes only the lease and key:
//! that period is closed.

pub mod alerts;
pub mod check;
mod sql;
pub mod sweeper;

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Integer, Text};
use diesel_async::RunQueryDsl;

use crate::db::Conn;
use crate::dispatch;
use crate::error::{AppError, AppResult};
use crate::ids;
use crate::models::lease::{self, EXPIRED, Lease, OPEN, SETTLED};
use crate::models::{ic_key, project};
use alerts::Figures;

#[derive(QueryableByName)]
struct GrantedProject {
    #[diesel(sql_type = BigInt)]
    last_grant_micros: i64,
    #[diesel(sql_type = BigInt)]
    period_started_at: i64,
    #[diesel(sql_type = BigInt)]
    budget_micros: i64,
    #[diesel(sql_type = BigInt)]
    spent_micros: i64,
    #[diesel(sql_type = BigInt)]
    reserved_micros: i64,
    #[diesel(sql_type = Integer)]
    soft_threshold_pct: i32,
    #[diesel(sql_type = Integer)]
    hard_threshold_pct: i32,
}

#[derive(QueryableByName)]
struct ProjectRow {
    #[diesel(sql_type = BigInt)]
    period_started_at: i64,
    #[diesel(sql_type = BigInt)]
    budget_micros: i64,
    #[diesel(sql_type = BigInt)]
    spent_micros: i64,
    #[diesel(sql_type = BigInt)]
    reserved_micros: i64,
    #[diesel(sql_type = Integer)]
    soft_threshold_pct: i32,
    #[diesel(sql_type = Integer)]
    hard_threshold_pct: i32,
}

impl From<ProjectRow> for Figures {
    fn from(r: ProjectRow) -> Figures {
        Figures {
            period_started_at: r.period_started_at,
            budget_micros: r.budget_micros,
            spent_micros: r.spent_micros,
            reserved_micros: r.reserved_micros,
            soft_threshold_pct: r.soft_threshold_pct,
            hard_threshold_pct: r.hard_threshold_pct,
        }
    }
}

#[derive(QueryableByName)]
struct Granted {
    #[diesel(sql_type = BigInt)]
    last_grant_micros: i64,
}

#[derive(QueryableByName)]
struct Period {
    #[diesel(sql_type = BigInt)]
    period_started_at: i64,
}

#[derive(QueryableByName)]
struct Expired {
    #[diesel(sql_type = Text)]
    key_id: String,
    #[diesel(sql_type = BigInt)]
    amount_micros: i64,
    #[diesel(sql_type = Bool)]
    charges_key: bool,
}

/// Who asks for a lease.
pub struct GrantRequest<'a> {
    pub project: &'a project::Project,
    pub key_id: &'a str,
    pub session_id: &'a str,
    pub want_micros: i64,
    pub ttl_secs: i64,
}

/// Grants a lease inside the caller's transaction, or refuses with
/// `BUDGET_EXCEEDED` (or the key's / project's status) and changes nothing
/// the caller's rollback would not undo.
pub async fn grant(conn: &mut Conn, req: &GrantRequest<'_>, now: i64) -> AppResult<Lease> {
    let mut current = req.project.clone();
    project::roll_period(conn, &mut current, now).await?;
    let project_id = req.project.id.as_str();
    let rows: Vec<GrantedProject> = dispatch!(conn, |c| sql::query(&*c, sql::GRANT_PROJECT)
        .bind::<Text, _>(project_id)
        .bind::<BigInt, _>(req.want_micros)
        .load(c)
        .await?);
    let Some(granted) = rows.into_iter().next() else {
        return Err(project_refusal(conn, project_id).await);
    };
    let keys: Vec<Granted> = dispatch!(conn, |c| sql::query(&*c, sql::GRANT_KEY)
        .bind::<Text, _>(req.key_id)
        .bind::<BigInt, _>(granted.last_grant_micros)
        .bind::<BigInt, _>(now)
        .load(c)
        .await?);
    let Some(key_grant) = keys.into_iter().next() else {
        // Undo the project's part so a refusal changes nothing, even when the
        // caller goes on with its transaction (the `next` lease of a settle).
        dispatch!(conn, |c| sql::query(&*c, sql::UNRESERVE_PROJECT)
            .bind::<Text, _>(project_id)
            .bind::<BigInt, _>(granted.last_grant_micros)
            .execute(c)
            .await?);
        return Err(key_refusal(conn, req.key_id, now).await);
    };
    let amount = key_grant.last_grant_micros;
    let given_back = granted.last_grant_micros - amount;
    if given_back > 0 {
        dispatch!(conn, |c| sql::query(&*c, sql::UNRESERVE_PROJECT)
            .bind::<Text, _>(project_id)
            .bind::<BigInt, _>(given_back)
            .execute(c)
            .await?);
    }
    let lease = Lease {
        id: ids::new_id(ids::LEASE),
        session_id: req.session_id.to_owned(),
        project_id: project_id.to_owned(),
        key_id: req.key_id.to_owned(),
        amount_micros: amount,
        spent_micros: 0,
        returned_micros: 0,
        status: OPEN.to_owned(),
        charges_key: true,
        period_started_at: granted.period_started_at,
        expires_at: now.saturating_add(req.ttl_secs.saturating_mul(crate::time::MICROS_PER_SECOND)),
        created_at: now,
        settled_at: None,
    };
    lease::insert(conn, &lease).await?;
    let figures = Figures {
        period_started_at: granted.period_started_at,
        budget_micros: granted.budget_micros,
        spent_micros: granted.spent_micros,
        reserved_micros: granted.reserved_micros - given_back,
        soft_threshold_pct: granted.soft_threshold_pct,
        hard_threshold_pct: granted.hard_threshold_pct,
    };
    let before = figures.spent_micros + figures.reserved_micros - amount;
    alerts::budget_thresholds(conn, project_id, before, &figures, now).await?;
    Ok(lease)
}

async fn project_refusal(conn: &mut Conn, project_id: &str) -> AppError {
    match project::find(conn, project_id).await {
        Ok(p) if p.status == project::PAUSED => project_paused(),
        Ok(p) if p.status == project::ARCHIVED => project_archived(),
        Ok(p) => budget_exceeded(
            "project",
            p.budget_micros,
            p.spent_micros,
            p.reserved_micros,
        ),
        Err(err) => err,
    }
}

async fn key_refusal(conn: &mut Conn, key_id: &str, now: i64) -> AppError {
    match ic_key::find(conn, key_id).await {
        Ok(k) if k.expires_at.is_some_and(|t| t <= now) => AppError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "KEY_EXPIRED",
            "the key has expired",
        ),
        Ok(k) if k.status == ic_key::REVOKED => key_revoked(),
        Ok(k) if k.status == ic_key::SUSPENDED => key_suspended(),
        Ok(k) => budget_exceeded(
            "key",
            k.spend_limit_micros.unwrap_or_default(),
            k.spent_micros,
            k.reserved_micros,
        ),
        Err(err) => err,
    }
}

pub fn budget_exceeded(scope: &str, budget: i64, spent: i64, reserved: i64) -> AppError {
    AppError::new(
        axum::http::StatusCode::PAYMENT_REQUIRED,
        "BUDGET_EXCEEDED",
        format!("the {scope} budget is used up"),
    )
    .with_field("scope", scope)
    .with_field("budget_micros", budget)
    .with_field("spent_micros", spent)
    .with_field("reserved_micros", reserved)
}

pub fn key_revoked() -> AppError {
    AppError::new(
        axum::http::StatusCode::FORBIDDEN,
        "KEY_REVOKED",
        "the key has been revoked",
    )
}

pub fn key_suspended() -> AppError {
    AppError::new(
        axum::http::StatusCode::FORBIDDEN,
        "KEY_SUSPENDED",
        "the key is suspended",
    )
}

pub fn project_paused() -> AppError {
    AppError::new(
        axum::http::StatusCode::FORBIDDEN,
        "PROJECT_PAUSED",
        "the project is paused",
    )
}

pub fn project_archived() -> AppError {
    AppError::new(
        axum::http::StatusCode::FORBIDDEN,
        "PROJECT_ARCHIVED",
        "the project is archived",
    )
}

/// Takes the project row lock (PostgreSQL; SQLite already holds the one
/// write lock) and returns the project's current period start.
pub async fn lock_project(conn: &mut Conn, project_id: &str) -> AppResult<i64> {
    let rows: Vec<Period> = dispatch!(conn, |c| sql::query(&*c, sql::LOCK_PROJECT)
        .bind::<Text, _>(project_id)
        .load(c)
        .await?);
    rows.into_iter()
        .next()
        .map(|p| p.period_started_at)
        .ok_or_else(|| AppError::not_found("project"))
}

pub struct Settled {
    pub lease: Lease,
    pub overrun_micros: i64,
}

/// Outcome of a settle attempt on a lease read under the project lock.
pub enum SettleOutcome {
    Done(Settled),
    /// Already settled (by another idempotency key).
    AlreadySettled,
}

/// Settles `lease_id` (a lease of `key_id`) with `spent` inside the caller's
/// transaction: an open lease moves reserved → spent; an expired lease (charged
/// in full) gets its charge corrected to `spent`.
pub async fn settle(
    conn: &mut Conn,
    lease_id: &str,
    key_id: &str,
    spent: i64,
    now: i64,
) -> AppResult<SettleOutcome> {
    let unlocked = lease::find_for_key(conn, lease_id, key_id).await?;
    lock_project(conn, &unlocked.project_id).await?;
    let lease = lease::find_for_key(conn, lease_id, key_id).await?;
    let (project_sql, project_delta, key_reserved, key_spent) = match lease.status.as_str() {
        OPEN => (
            sql::settle_open_project(),
            spent,
            lease.amount_micros,
            spent,
        ),
        EXPIRED => (
            sql::correct_expired_project(),
            spent - lease.amount_micros,
            0,
            spent - lease.amount_micros,
        ),
        _ => return Ok(SettleOutcome::AlreadySettled),
    };
    let figures: Vec<ProjectRow> = if lease.status == OPEN {
        dispatch!(conn, |c| sql::query(&*c, &project_sql)
            .bind::<Text, _>(&lease.project_id)
            .bind::<BigInt, _>(lease.amount_micros)
            .bind::<BigInt, _>(project_delta)
            .load(c)
            .await?)
    } else {
        dispatch!(conn, |c| sql::query(&*c, &project_sql)
            .bind::<Text, _>(&lease.project_id)
            .bind::<BigInt, _>(project_delta)
            .bind::<BigInt, _>(lease.period_started_at)
            .load(c)
            .await?)
    };
    let figures: Figures = figures
        .into_iter()
        .next()
        .ok_or_else(|| AppError::not_found("project"))?
        .into();
    if lease.charges_key {
        dispatch!(conn, |c| sql::query(&*c, sql::MOVE_KEY)
            .bind::<Text, _>(&lease.key_id)
            .bind::<BigInt, _>(key_reserved)
            .bind::<BigInt, _>(key_spent)
            .execute(c)
            .await?);
    }
    // An open lease is charged to the current period; an expired one stays in its own.
    let period = if lease.status == OPEN {
        figures.period_started_at
    } else {
        lease.period_started_at
    };
    if !lease::mark_settled(conn, &lease, &lease.status, spent, period, now).await? {
        return Err(AppError::internal("lease changed under the project lock"));
    }
    let was_open = lease.status == OPEN;
    if was_open || period == figures.period_started_at {
        let change = if was_open {
            spent - lease.amount_micros
        } else {
            project_delta
        };
        let before = figures.spent_micros + figures.reserved_micros - change;
        alerts::budget_thresholds(conn, &lease.project_id, before, &figures, now).await?;
    }
    let overrun_micros = (spent - lease.amount_micros).max(0);
    let mut settled = lease;
    settled.returned_micros = (settled.amount_micros - spent).max(0);
    settled.spent_micros = spent;
    settled.status = SETTLED.to_owned();
    settled.period_started_at = period;
    settled.settled_at = Some(now);
    Ok(SettleOutcome::Done(Settled {
        lease: settled,
        overrun_micros,
    }))
}

/// Which open leases of a project to expire.
pub enum ExpireScope<'a> {
    /// Those past their expiry (the sweeper).
    Due,
    Key(&'a str),
    Session(&'a str),
    All,
}

/// Expires open leases of `project_id` inside the caller's transaction:
/// each is charged in full (reserved → spent) until a late settle corrects
/// it. Returns how many leases expired.
pub async fn expire(
    conn: &mut Conn,
    project_id: &str,
    scope: ExpireScope<'_>,
    now: i64,
) -> AppResult<usize> {
    let period = lock_project(conn, project_id).await?;
    // `$4` picks the leases; each scope binds it to a column of its own.
    let (condition, selector) = match scope {
        ExpireScope::Due => ("expires_at <= $3 AND status = $4", OPEN),
        ExpireScope::Key(key_id) => ("key_id = $4", key_id),
        ExpireScope::Session(session_id) => ("session_id = $4", session_id),
        ExpireScope::All => ("project_id = $4", project_id),
    };
    let text = sql::expire_leases(condition);
    let rows: Vec<Expired> = dispatch!(conn, |c| sql::query(&*c, &text)
        .bind::<Text, _>(project_id)
        .bind::<BigInt, _>(period)
        .bind::<BigInt, _>(now)
        .bind::<Text, _>(selector)
        .load(c)
        .await?);
    if rows.is_empty() {
        return Ok(0);
    }
    let total: i64 = rows.iter().map(|r| r.amount_micros).sum();
    let _figures: Vec<ProjectRow> =
        dispatch!(conn, |c| sql::query(&*c, &sql::settle_open_project())
            .bind::<Text, _>(project_id)
            .bind::<BigInt, _>(total)
            .bind::<BigInt, _>(total)
            .load(c)
            .await?);
    let mut per_key: std::collections::BTreeMap<&str, i64> = Default::default();
    for row in rows.iter().filter(|r| r.charges_key) {
        *per_key.entry(row.key_id.as_str()).or_default() += row.amount_micros;
    }
    for (key_id, amount) in per_key {
        dispatch!(conn, |c| sql::query(&*c, sql::MOVE_KEY)
            .bind::<Text, _>(key_id)
            .bind::<BigInt, _>(amount)
            .bind::<BigInt, _>(amount)
            .execute(c)
            .await?);
    }
    metrics::counter!("iron_leases_expired_total").increment(rows.len() as u64);
    // Expiry moves reserved to spent: committed spend is unchanged, so no threshold is crossed.
    Ok(rows.len())
}
