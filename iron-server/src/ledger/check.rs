//! The ledger's invariants as queries (docs/sdk-protocol.md, "Ledger
//! invariants"), run by `iron ledger check` and the tests.

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::RunQueryDsl;
use serde::Serialize;

use super::sql;
use crate::db::Conn;
use crate::dispatch;
use crate::error::AppResult;
use crate::transaction;

#[derive(Debug, Serialize)]
pub struct Violation {
    pub kind: &'static str,
    pub subject: String,
    pub detail: String,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub ok: bool,
    pub leases: i64,
    pub projects: i64,
    pub keys: i64,
    pub violations: Vec<Violation>,
}

/// Leases whose own figures do not add up: amount = spent + returned + outstanding.
const BAD_LEASES: &str = "SELECT id, status FROM leases WHERE amount_micros <= 0 \
     OR status NOT IN ('open', 'settled', 'expired') \
     OR (status IN ('open', 'expired') AND (spent_micros <> 0 OR returned_micros <> 0)) \
     OR (status = 'settled' AND (spent_micros < 0 OR returned_micros <> \
         CASE WHEN amount_micros > spent_micros THEN amount_micros - spent_micros ELSE 0 END))";

/// Per project: its columns next to the sums over its leases (current period).
const PROJECTS: &str = "SELECT p.id, p.spent_micros, p.reserved_micros, \
     p.budget_micros / 100 * p.hard_threshold_pct + p.budget_micros % 100 * p.hard_threshold_pct / 100 AS cap_micros, \
     CAST(COALESCE((SELECT SUM(l.amount_micros) FROM leases l \
        WHERE l.project_id = p.id AND l.status = 'open'), 0) AS BIGINT) AS open_micros, \
     CAST(COALESCE((SELECT SUM(CASE WHEN l.status = 'settled' THEN l.spent_micros ELSE l.amount_micros END) \
        FROM leases l WHERE l.project_id = p.id AND l.status IN ('settled', 'expired') \
        AND l.period_started_at = p.period_started_at), 0) AS BIGINT) AS charged_micros, \
     CAST(COALESCE((SELECT SUM(l.spent_micros - l.amount_micros) FROM leases l \
        WHERE l.project_id = p.id AND l.status = 'settled' AND l.spent_micros > l.amount_micros \
        AND l.period_started_at = p.period_started_at), 0) AS BIGINT) AS overrun_micros \
     FROM projects p";

/// Per key: the same over the leases charged to the key (keys have no period).
const KEYS: &str = "SELECT k.id, k.spent_micros, k.reserved_micros, k.spend_limit_micros AS cap_micros, \
     CAST(COALESCE((SELECT SUM(l.amount_micros) FROM leases l \
        WHERE l.key_id = k.id AND l.charges_key AND l.status = 'open'), 0) AS BIGINT) AS open_micros, \
     CAST(COALESCE((SELECT SUM(CASE WHEN l.status = 'settled' THEN l.spent_micros ELSE l.amount_micros END) \
        FROM leases l WHERE l.key_id = k.id AND l.charges_key \
        AND l.status IN ('settled', 'expired')), 0) AS BIGINT) AS charged_micros, \
     CAST(COALESCE((SELECT SUM(l.spent_micros - l.amount_micros) FROM leases l \
        WHERE l.key_id = k.id AND l.charges_key AND l.status = 'settled' \
        AND l.spent_micros > l.amount_micros), 0) AS BIGINT) AS overrun_micros \
     FROM ic_keys k";

#[derive(QueryableByName)]
struct BadLease {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    status: String,
}

#[derive(QueryableByName)]
struct Account {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = BigInt)]
    spent_micros: i64,
    #[diesel(sql_type = BigInt)]
    reserved_micros: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    cap_micros: Option<i64>,
    #[diesel(sql_type = BigInt)]
    open_micros: i64,
    #[diesel(sql_type = BigInt)]
    charged_micros: i64,
    #[diesel(sql_type = BigInt)]
    overrun_micros: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn balance(kind: &'static str, account: &Account, violations: &mut Vec<Violation>) {
    let mut fail = |what: &str, detail: String| {
        violations.push(Violation {
            kind,
            subject: account.id.clone(),
            detail: format!("{what}: {detail}"),
        })
    };
    if account.reserved_micros != account.open_micros {
        fail(
            "reserved",
            format!(
                "column {} != open leases {}",
                account.reserved_micros, account.open_micros
            ),
        );
    }
    if account.spent_micros != account.charged_micros {
        fail(
            "spent",
            format!(
                "column {} != charged leases {}",
                account.spent_micros, account.charged_micros
            ),
        );
    }
    if let Some(cap) = account.cap_micros {
        let committed = account.spent_micros + account.reserved_micros;
        if committed > cap + account.overrun_micros {
            fail(
                "overspend",
                format!(
                    "spent + reserved {committed} > budget {cap} + recorded overruns {}",
                    account.overrun_micros
                ),
            );
        }
    }
}

/// Runs every check in one consistent snapshot.
pub async fn run(conn: &mut Conn) -> AppResult<Report> {
    transaction!(conn, {
        if !conn.is_sqlite() {
            dispatch!(&mut *conn, |c| diesel::sql_query(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
            )
            .execute(c)
            .await?);
        }
        let mut violations = Vec::new();
        let bad: Vec<BadLease> =
            dispatch!(&mut *conn, |c| sql::query(&*c, BAD_LEASES).load(c).await?);
        violations.extend(bad.into_iter().map(|l| Violation {
            kind: "lease",
            subject: l.id,
            detail: format!(
                "{} lease: amount != spent + returned + outstanding",
                l.status
            ),
        }));
        let projects: Vec<Account> =
            dispatch!(&mut *conn, |c| sql::query(&*c, PROJECTS).load(c).await?);
        for project in &projects {
            balance("project", project, &mut violations);
        }
        let keys: Vec<Account> = dispatch!(&mut *conn, |c| sql::query(&*c, KEYS).load(c).await?);
        for key in &keys {
            balance("key", key, &mut violations);
        }
        let leases: Vec<Count> = dispatch!(&mut *conn, |c| sql::query(
            &*c,
            "SELECT COUNT(*) AS n FROM leases"
        )
        .load(c)
        .await?);
        Ok(Report {
            ok: violations.is_empty(),
            leases: leases.into_iter().next().map_or(0, |c| c.n),
            projects: projects.len() as i64,
            keys: keys.len() as i64,
            violations,
        })
    })
}
