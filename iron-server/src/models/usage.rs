//! Reporting over `usage_records` (written by the SDK protocol's settle and
//! usage ingest): time buckets, per-model / per-key / per-project totals.

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};

use crate::db::Conn;
use crate::db::raw::{self, RawQuery};
use crate::error::AppResult;

/// Which usage rows a report covers. `member_of` limits a developer to the
/// projects they belong to; `None` is an admin (everything).
#[derive(Default, Clone)]
pub struct UsageFilter {
    pub from: i64,
    pub to: i64,
    pub project_id: Option<String>,
    pub key_id: Option<String>,
    pub user_id: Option<String>,
    pub model: Option<String>,
    pub member_of: Option<String>,
}

impl UsageFilter {
    /// Appends ` WHERE ...` over the alias `u` of usage_records.
    fn push_where(&self, q: &mut RawQuery) {
        q.sql(" WHERE u.at >= ? AND u.at < ?")
            .int(self.from)
            .int(self.to);
        for (column, value) in [
            ("project_id", &self.project_id),
            ("key_id", &self.key_id),
            ("user_id", &self.user_id),
            ("model", &self.model),
        ] {
            if let Some(value) = value {
                q.sql(&format!(" AND u.{column} = ?")).text(value.clone());
            }
        }
        push_membership(q, "u.project_id", self.member_of.as_deref());
    }
}

/// ` AND <column> IN (projects of user)` when `member_of` is set.
pub fn push_membership(q: &mut RawQuery, column: &str, member_of: Option<&str>) {
    if let Some(user_id) = member_of {
        q.sql(&format!(
            " AND {column} IN (SELECT project_id FROM project_members WHERE user_id = ?)"
        ))
        .text(user_id);
    }
}

/// The aggregate columns every report shares; PostgreSQL's SUM of BIGINT is
/// NUMERIC, hence the casts.
const TOTALS: &str = "COUNT(*) AS requests, \
    CAST(COALESCE(SUM(CASE WHEN u.outcome = 'ok' THEN 0 ELSE 1 END), 0) AS BIGINT) AS errors, \
    CAST(COALESCE(SUM(u.input_tokens), 0) AS BIGINT) AS input_tokens, \
    CAST(COALESCE(SUM(u.cached_input_tokens), 0) AS BIGINT) AS cached_input_tokens, \
    CAST(COALESCE(SUM(u.output_tokens), 0) AS BIGINT) AS output_tokens, \
    CAST(COALESCE(SUM(u.cost_micros), 0) AS BIGINT) AS cost_micros";

#[derive(QueryableByName, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    #[diesel(sql_type = BigInt)]
    pub requests: i64,
    #[diesel(sql_type = BigInt)]
    pub errors: i64,
    #[diesel(sql_type = BigInt)]
    pub input_tokens: i64,
    #[diesel(sql_type = BigInt)]
    pub cached_input_tokens: i64,
    #[diesel(sql_type = BigInt)]
    pub output_tokens: i64,
    #[diesel(sql_type = BigInt)]
    pub cost_micros: i64,
}

impl Totals {
    pub fn add(&mut self, other: &Totals) {
        self.requests += other.requests;
        self.errors += other.errors;
        self.input_tokens += other.input_tokens;
        self.cached_input_tokens += other.cached_input_tokens;
        self.output_tokens += other.output_tokens;
        self.cost_micros += other.cost_micros;
    }
}

#[derive(QueryableByName)]
struct BucketRow {
    #[diesel(sql_type = BigInt)]
    bucket: i64,
    #[diesel(embed)]
    totals: Totals,
}

/// Totals per bucket of `size` micros starting at `start` (aligned by the
/// caller), zero-filled: element i covers `[start + i*size, start + (i+1)*size)`.
pub async fn buckets(
    conn: &mut Conn,
    filter: &UsageFilter,
    start: i64,
    size: i64,
    count: usize,
) -> AppResult<Vec<Totals>> {
    let mut q = RawQuery::new("SELECT (u.at - ?) / ? AS bucket, ");
    q.int(start).int(size);
    q.sql(TOTALS).sql(" FROM usage_records u");
    filter.push_where(&mut q);
    // By position: PostgreSQL cannot tell that a repeated expression with
    // fresh placeholders is the selected one.
    q.sql(" GROUP BY 1");
    let rows: Vec<BucketRow> = raw::load(conn, q).await?;
    let mut series = vec![Totals::default(); count];
    for row in rows {
        if let Some(slot) = usize::try_from(row.bucket)
            .ok()
            .and_then(|i| series.get_mut(i))
        {
            *slot = row.totals;
        }
    }
    Ok(series)
}

#[derive(QueryableByName)]
pub struct ModelRow {
    #[diesel(sql_type = Text)]
    pub model: String,
    #[diesel(embed)]
    pub totals: Totals,
}

pub async fn by_model(conn: &mut Conn, filter: &UsageFilter) -> AppResult<Vec<ModelRow>> {
    let mut q = RawQuery::new("SELECT u.model AS model, ");
    q.sql(TOTALS).sql(" FROM usage_records u");
    filter.push_where(&mut q);
    q.sql(" GROUP BY u.model ORDER BY cost_micros DESC, u.model");
    raw::load(conn, q).await
}

#[derive(QueryableByName)]
pub struct KeyRow {
    #[diesel(sql_type = Text)]
    pub key_id: String,
    #[diesel(sql_type = Text)]
    pub key_name: String,
    #[diesel(sql_type = Text)]
    pub display_prefix: String,
    #[diesel(sql_type = Text)]
    pub project_id: String,
    #[diesel(sql_type = Text)]
    pub user_id: String,
    #[diesel(embed)]
    pub totals: Totals,
}

pub async fn by_key(conn: &mut Conn, filter: &UsageFilter) -> AppResult<Vec<KeyRow>> {
    let mut q = RawQuery::new(
        "SELECT u.key_id AS key_id, k.name AS key_name, k.display_prefix AS display_prefix, \
         k.project_id AS project_id, k.owner_id AS user_id, ",
    );
    q.sql(TOTALS)
        .sql(" FROM usage_records u JOIN ic_keys k ON k.id = u.key_id");
    filter.push_where(&mut q);
    q.sql(
        " GROUP BY u.key_id, k.name, k.display_prefix, k.project_id, k.owner_id \
         ORDER BY cost_micros DESC, u.key_id",
    );
    raw::load(conn, q).await
}

#[derive(QueryableByName)]
pub struct ProjectRow {
    #[diesel(sql_type = Text)]
    pub project_id: String,
    #[diesel(sql_type = Text)]
    pub project_name: String,
    #[diesel(sql_type = BigInt)]
    pub budget_micros: i64,
    #[diesel(sql_type = BigInt)]
    pub period_spent_micros: i64,
    #[diesel(sql_type = BigInt)]
    pub requests: i64,
    #[diesel(sql_type = BigInt)]
    pub cost_micros: i64,
}

/// Every visible project (also those without usage in the range) with its
/// spend in the range and its current budget period.
pub async fn by_project(conn: &mut Conn, filter: &UsageFilter) -> AppResult<Vec<ProjectRow>> {
    let mut q = RawQuery::new(
        "SELECT p.id AS project_id, p.name AS project_name, p.budget_micros AS budget_micros, \
         p.spent_micros AS period_spent_micros, \
         COALESCE(t.requests, 0) AS requests, COALESCE(t.cost_micros, 0) AS cost_micros \
         FROM projects p LEFT JOIN (SELECT u.project_id AS project_id, ",
    );
    q.sql(TOTALS).sql(" FROM usage_records u");
    filter.push_where(&mut q);
    q.sql(" GROUP BY u.project_id) t ON t.project_id = p.id WHERE 1 = 1");
    if let Some(project_id) = &filter.project_id {
        q.sql(" AND p.id = ?").text(project_id.clone());
    }
    push_membership(&mut q, "p.id", filter.member_of.as_deref());
    q.sql(" ORDER BY cost_micros DESC, p.id");
    raw::load(conn, q).await
}

#[derive(QueryableByName, Debug, Clone)]
pub struct UsageLine {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub project_id: String,
    #[diesel(sql_type = Text)]
    pub key_id: String,
    #[diesel(sql_type = Text)]
    pub user_id: String,
    #[diesel(sql_type = Text)]
    pub session_id: String,
    #[diesel(sql_type = Text)]
    pub lease_id: String,
    #[diesel(sql_type = Text)]
    pub model: String,
    #[diesel(sql_type = BigInt)]
    pub input_tokens: i64,
    #[diesel(sql_type = BigInt)]
    pub cached_input_tokens: i64,
    #[diesel(sql_type = BigInt)]
    pub output_tokens: i64,
    #[diesel(sql_type = BigInt)]
    pub cost_micros: i64,
    #[diesel(sql_type = BigInt)]
    pub latency_ms: i64,
    #[diesel(sql_type = Text)]
    pub outcome: String,
    #[diesel(sql_type = BigInt)]
    pub at: i64,
}

const LINE_COLUMNS: &str = "SELECT u.id AS id, u.project_id AS project_id, u.key_id AS key_id, \
    u.user_id AS user_id, u.session_id AS session_id, u.lease_id AS lease_id, u.model AS model, \
    u.input_tokens AS input_tokens, u.cached_input_tokens AS cached_input_tokens, \
    u.output_tokens AS output_tokens, u.cost_micros AS cost_micros, u.latency_ms AS latency_ms, \
    u.outcome AS outcome, u.at AS at FROM usage_records u";

/// One page of usage lines in (at, id) order after `after` (for the export).
pub async fn lines_after(
    conn: &mut Conn,
    filter: &UsageFilter,
    after: Option<(i64, String)>,
    limit: i64,
) -> AppResult<Vec<UsageLine>> {
    let mut q = RawQuery::new(LINE_COLUMNS);
    filter.push_where(&mut q);
    if let Some((at, id)) = after {
        q.sql(" AND (u.at > ? OR (u.at = ? AND u.id > ?))")
            .int(at)
            .int(at)
            .text(id);
    }
    q.sql(" ORDER BY u.at, u.id LIMIT ?").int(limit);
    raw::load(conn, q).await
}

/// The newest usage lines (for the activity feed).
pub async fn newest(
    conn: &mut Conn,
    member_of: Option<&str>,
    limit: i64,
) -> AppResult<Vec<UsageLine>> {
    let mut q = RawQuery::new(LINE_COLUMNS);
    q.sql(" WHERE 1 = 1");
    push_membership(&mut q, "u.project_id", member_of);
    q.sql(" ORDER BY u.at DESC, u.id DESC LIMIT ?").int(limit);
    raw::load(conn, q).await
}
