//! Raw SQL shared by both backends. Written with PostgreSQL's `$n`
//! placeholders; SQLite gets the same text with `?n` (its numbered form, so a
//! parameter used twice is still one parameter).

use diesel::query_builder::SqlQuery;

pub trait Dialect {
    const SQLITE: bool;
}

impl Dialect for diesel_async::AsyncPgConnection {
    const SQLITE: bool = false;
}

impl Dialect for crate::db::SqliteConn {
    const SQLITE: bool = true;
}

pub fn query<C: Dialect>(_conn: &C, text: &str) -> SqlQuery {
    if C::SQLITE {
        diesel::sql_query(text.replace('$', "?"))
    } else {
        diesel::sql_query(text)
    }
}

/// What a project may still reserve: its hard threshold of the budget minus
/// spent and reserved. `b / 100 * h + b % 100 * h / 100` is `b * h / 100`
/// without the overflow of `b * h` (budgets go up to 10^18 micro-dollars).
macro_rules! project_available {
    () => {
        "(budget_micros / 100 * hard_threshold_pct + budget_micros % 100 * hard_threshold_pct / 100 \
         - spent_micros - reserved_micros)"
    };
}

macro_rules! key_available {
    () => {
        "(spend_limit_micros - spent_micros - reserved_micros)"
    };
}

/// The grant on the project row: tranche = min(want, available), computed
/// from the row's old values inside the one conditional UPDATE, and written
/// to `last_grant_micros` as well so RETURNING can report it.
pub const GRANT_PROJECT: &str = concat!(
    "UPDATE projects SET reserved_micros = reserved_micros + CASE WHEN $2 < ",
    project_available!(),
    " THEN $2 ELSE ",
    project_available!(),
    " END, last_grant_micros = CASE WHEN $2 < ",
    project_available!(),
    " THEN $2 ELSE ",
    project_available!(),
    " END WHERE id = $1 AND status = 'active' AND ",
    project_available!(),
    " > 0 RETURNING last_grant_micros, period_started_at, budget_micros, spent_micros, \
     reserved_micros, soft_threshold_pct, hard_threshold_pct"
);

/// The grant on the key row: capped by the key's limit when it has one; the
/// row is always updated so its status and expiry are checked atomically
/// with the grant (a revoke committed first refuses it).
pub const GRANT_KEY: &str = concat!(
    "UPDATE ic_keys SET reserved_micros = reserved_micros + CASE WHEN spend_limit_micros IS NULL OR $2 < ",
    key_available!(),
    " THEN $2 ELSE ",
    key_available!(),
    " END, last_grant_micros = CASE WHEN spend_limit_micros IS NULL OR $2 < ",
    key_available!(),
    " THEN $2 ELSE ",
    key_available!(),
    " END WHERE id = $1 AND status = 'active' AND (expires_at IS NULL OR expires_at > $3) \
     AND (spend_limit_micros IS NULL OR ",
    key_available!(),
    " > 0) RETURNING last_grant_micros"
);

/// Gives back the part of a project tranche the key's limit did not allow.
pub const UNRESERVE_PROJECT: &str =
    "UPDATE projects SET reserved_micros = reserved_micros - $2 WHERE id = $1";

/// Takes the project row lock first: every ledger transaction does, so
/// concurrent ones on PostgreSQL always lock project → key → lease.
pub const LOCK_PROJECT: &str = "UPDATE projects SET last_grant_micros = last_grant_micros \
     WHERE id = $1 RETURNING period_started_at";

const PROJECT_FIGURES: &str = " RETURNING period_started_at, budget_micros, spent_micros, \
     reserved_micros, soft_threshold_pct, hard_threshold_pct";

/// Moves an open lease's amount out of reserved and its spend into spent.
pub fn settle_open_project() -> String {
    format!(
        "UPDATE projects SET reserved_micros = reserved_micros - $2, \
         spent_micros = spent_micros + $3 WHERE id = $1{PROJECT_FIGURES}"
    )
}

/// Corrects an expired lease's full charge by `$2` — only when it was
/// charged to the project's current period (`$3`); an older period is closed.
pub fn correct_expired_project() -> String {
    format!(
        "UPDATE projects SET spent_micros = spent_micros + \
         CASE WHEN period_started_at = $3 THEN $2 ELSE 0 END WHERE id = $1{PROJECT_FIGURES}"
    )
}

pub const MOVE_KEY: &str = "UPDATE ic_keys SET reserved_micros = reserved_micros - $2, \
     spent_micros = spent_micros + $3 WHERE id = $1";

/// Expires open leases of one project; `$4` selects which (see `ExpireScope`).
pub fn expire_leases(condition: &str) -> String {
    format!(
        "UPDATE leases SET status = 'expired', \
         expires_at = CASE WHEN expires_at < $3 THEN expires_at ELSE $3 END, \
         period_started_at = $2 \
         WHERE project_id = $1 AND status = 'open' AND {condition} \
         RETURNING key_id, amount_micros, charges_key"
    )
}
