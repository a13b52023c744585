//! Spend and usage reports for the dashboard: time series, breakdowns,
//! daily totals and a CSV export. Admins see everything, developers the
//! projects they belong to.

use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Query};
use crate::models::usage::{self, Totals, UsageFilter, UsageLine};
use crate::money::Usd;
use crate::routes::projects::load_visible;
use crate::time::{MICROS_PER_SECOND, now_micros, parse_iso, to_iso};

use crate::state::AppState;

const HOUR: i64 = 3600 * MICROS_PER_SECOND;
const DAY: i64 = 24 * HOUR;
const DEFAULT_RANGE: i64 = 7 * DAY;
/// More buckets than a chart can show is a mistake (or an attack).
pub const MAX_BUCKETS: i64 = 1000;
const MAX_DAYS: u32 = 366;

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Hour,
    #[default]
    Day,
}

impl Bucket {
    fn micros(self) -> i64 {
        match self {
            Bucket::Hour => HOUR,
            Bucket::Day => DAY,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AnalyticsParams {
    /// ISO-8601, inclusive; default: `to` minus 7 days.
    pub from: Option<String>,
    /// ISO-8601, exclusive; default: now.
    pub to: Option<String>,
    /// `hour` or `day` (default); series only.
    pub bucket: Option<Bucket>,
    pub project_id: Option<String>,
    pub key_id: Option<String>,
    pub user_id: Option<String>,
    pub model: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SpendPoint {
    /// Start of the bucket.
    pub t: String,
    pub spend_usd: Usd,
    pub requests: i64,
}

#[derive(Serialize, ToSchema)]
pub struct SpendSeries {
    pub bucket: Bucket,
    pub from: String,
    pub to: String,
    pub total_usd: Usd,
    pub requests: i64,
    pub series: Vec<SpendPoint>,
}

#[derive(Serialize, ToSchema)]
pub struct UsagePoint {
    pub t: String,
    pub requests: i64,
    pub errors: i64,
    pub input_tokens: i64,
    pub cached_input_tokens: i64,
    pub output_tokens: i64,
}

#[derive(Serialize, ToSchema)]
pub struct UsageSeries {
    pub bucket: Bucket,
    pub from: String,
    pub to: String,
    pub requests: i64,
    pub errors: i64,
    pub input_tokens: i64,
    pub cached_input_tokens: i64,
    pub output_tokens: i64,
    pub series: Vec<UsagePoint>,
}

#[derive(Serialize, ToSchema)]
pub struct ModelUsage {
    pub model: String,
    pub requests: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub spend_usd: Usd,
}

#[derive(Serialize, ToSchema)]
pub struct KeyUsage {
    pub key_id: String,
    pub key_name: String,
    pub display_prefix: String,
    pub project_id: String,
    pub user_id: String,
    pub requests: i64,
    pub spend_usd: Usd,
}

#[derive(Serialize, ToSchema)]
pub struct ProjectUsage {
    pub project_id: String,
    pub project_name: String,
    pub requests: i64,
    pub spend_usd: Usd,
    pub budget_usd: Usd,
    /// Spent in the project's current budget period (all time for `none`).
    pub period_spent_usd: Usd,
}

#[derive(Serialize, ToSchema)]
pub struct Rows<T> {
    pub rows: Vec<T>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DailyParams {
    /// Number of UTC days ending today (1..=366, default 7).
    pub days: Option<u32>,
    pub project_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DayTotal {
    /// `YYYY-MM-DD` (UTC).
    pub date: String,
    pub spend_usd: Usd,
    pub requests: i64,
}

#[derive(Serialize, ToSchema)]
pub struct DailyTotals {
    pub days: Vec<DayTotal>,
}

fn bad_range(message: impl Into<String>) -> AppError {
    AppError::bad_request("INVALID_RANGE", message)
}

fn parse_time(field: &str, value: Option<&str>) -> AppResult<Option<i64>> {
    value
        .map(|text| {
            parse_iso(text).ok_or_else(|| bad_range(format!("{field}: must be ISO-8601 UTC")))
        })
        .transpose()
}

/// The caller's filter: validated range, the project check for developers.
async fn filter_for(
    state: &AppState,
    me: &AuthUser,
    params: &AnalyticsParams,
) -> AppResult<UsageFilter> {
    let to = parse_time("to", params.to.as_deref())?.unwrap_or_else(now_micros);
    let from = parse_time("from", params.from.as_deref())?.unwrap_or(to - DEFAULT_RANGE);
    if from >= to {
        return Err(bad_range("`from` must be before `to`"));
    }
    let filter = UsageFilter {
        from,
        to,
        project_id: params.project_id.clone(),
        key_id: params.key_id.clone(),
        user_id: params.user_id.clone(),
        model: params.model.clone(),
        member_of: (!me.is_admin()).then(|| me.id().to_owned()),
    };
    check_project(state, me, filter.project_id.as_deref()).await?;
    Ok(filter)
}

/// A named project must exist and be visible to the caller (404 otherwise).
async fn check_project(state: &AppState, me: &AuthUser, project_id: Option<&str>) -> AppResult<()> {
    if let Some(project_id) = project_id {
        let mut conn = state.db.conn().await?;
        load_visible(&mut conn, me, project_id).await?;
    }
    Ok(())
}

/// Bucket grid covering `[from, to)`: aligned start, size, count.
fn grid(from: i64, to: i64, bucket: Bucket) -> AppResult<(i64, i64, usize)> {
    let size = bucket.micros();
    let start = from.div_euclid(size) * size;
    let count = (to - start + size - 1).div_euclid(size);
    if count > MAX_BUCKETS {
        return Err(bad_range(format!(
            "the range spans {count} buckets; at most {MAX_BUCKETS}"
        )));
    }
    Ok((start, size, count as usize))
}

async fn series(
    state: &AppState,
    me: &AuthUser,
    params: &AnalyticsParams,
) -> AppResult<(UsageFilter, Bucket, Vec<(String, Totals)>, Totals)> {
    let filter = filter_for(state, me, params).await?;
    let bucket = params.bucket.unwrap_or_default();
    let (start, size, count) = grid(filter.from, filter.to, bucket)?;
    let mut conn = state.db.conn().await?;
    let buckets = usage::buckets(&mut conn, &filter, start, size, count).await?;
    let mut total = Totals::default();
    let points = buckets
        .into_iter()
        .enumerate()
        .map(|(i, totals)| {
            total.add(&totals);
            (to_iso(start + i as i64 * size), totals)
        })
        .collect();
    Ok((filter, bucket, points, total))
}

#[utoipa::path(operation_id = "analytics_spend", get, path = "/api/v1/analytics/spend", tag = "analytics",
    params(AnalyticsParams), security(("bearer" = [])),
    responses((status = 200, body = SpendSeries), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn spend(
    State(state): State<AppState>,
    me: AuthUser,
    Query(params): Query<AnalyticsParams>,
) -> AppResult<Json<SpendSeries>> {
    let (filter, bucket, points, total) = series(&state, &me, &params).await?;
    Ok(Json(SpendSeries {
        bucket,
        from: to_iso(filter.from),
        to: to_iso(filter.to),
        total_usd: Usd(total.cost_micros),
        requests: total.requests,
        series: points
            .into_iter()
            .map(|(t, p)| SpendPoint {
                t,
                spend_usd: Usd(p.cost_micros),
                requests: p.requests,
            })
            .collect(),
    }))
}

#[utoipa::path(operation_id = "analytics_usage", get, path = "/api/v1/analytics/usage", tag = "analytics",
    params(AnalyticsParams), security(("bearer" = [])),
    responses((status = 200, body = UsageSeries), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn usage(
    State(state): State<AppState>,
    me: AuthUser,
    Query(params): Query<AnalyticsParams>,
) -> AppResult<Json<UsageSeries>> {
    let (filter, bucket, points, total) = series(&state, &me, &params).await?;
    Ok(Json(UsageSeries {
        bucket,
        from: to_iso(filter.from),
        to: to_iso(filter.to),
        requests: total.requests,
        errors: total.errors,
        input_tokens: total.input_tokens,
        cached_input_tokens: total.cached_input_tokens,
        output_tokens: total.output_tokens,
        series: points
            .into_iter()
            .map(|(t, p)| UsagePoint {
                t,
                requests: p.requests,
                errors: p.errors,
                input_tokens: p.input_tokens,
                cached_input_tokens: p.cached_input_tokens,
                output_tokens: p.output_tokens,
            })
            .collect(),
    }))
}

#[utoipa::path(operation_id = "analytics_models", get, path = "/api/v1/analytics/models", tag = "analytics",
    params(AnalyticsParams), security(("bearer" = [])),
    responses((status = 200, body = Rows<ModelUsage>), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn models(
    State(state): State<AppState>,
    me: AuthUser,
    Query(params): Query<AnalyticsParams>,
) -> AppResult<Json<Rows<ModelUsage>>> {
    let filter = filter_for(&state, &me, &params).await?;
    let mut conn = state.db.conn().await?;
    let rows = usage::by_model(&mut conn, &filter).await?;
    Ok(Json(Rows {
        rows: rows
            .into_iter()
            .map(|r| ModelUsage {
                model: r.model,
                requests: r.totals.requests,
                input_tokens: r.totals.input_tokens,
                output_tokens: r.totals.output_tokens,
                spend_usd: Usd(r.totals.cost_micros),
            })
            .collect(),
    }))
}

#[utoipa::path(operation_id = "analytics_keys", get, path = "/api/v1/analytics/keys", tag = "analytics",
    params(AnalyticsParams), security(("bearer" = [])),
    responses((status = 200, body = Rows<KeyUsage>), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn keys(
    State(state): State<AppState>,
    me: AuthUser,
    Query(params): Query<AnalyticsParams>,
) -> AppResult<Json<Rows<KeyUsage>>> {
    let filter = filter_for(&state, &me, &params).await?;
    let mut conn = state.db.conn().await?;
    let rows = usage::by_key(&mut conn, &filter).await?;
    Ok(Json(Rows {
        rows: rows
            .into_iter()
            .map(|r| KeyUsage {
                key_id: r.key_id,
                key_name: r.key_name,
                display_prefix: r.display_prefix,
                project_id: r.project_id,
                user_id: r.user_id,
                requests: r.totals.requests,
                spend_usd: Usd(r.totals.cost_micros),
            })
            .collect(),
    }))
}

#[utoipa::path(operation_id = "analytics_projects", get, path = "/api/v1/analytics/projects", tag = "analytics",
    params(AnalyticsParams), security(("bearer" = [])),
    responses((status = 200, body = Rows<ProjectUsage>), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn projects(
    State(state): State<AppState>,
    me: AuthUser,
    Query(params): Query<AnalyticsParams>,
) -> AppResult<Json<Rows<ProjectUsage>>> {
    let filter = filter_for(&state, &me, &params).await?;
    let mut conn = state.db.conn().await?;
    let rows = usage::by_project(&mut conn, &filter).await?;
    Ok(Json(Rows {
        rows: rows
            .into_iter()
            .map(|r| ProjectUsage {
                project_id: r.project_id,
                project_name: r.project_name,
                requests: r.requests,
                spend_usd: Usd(r.cost_micros),
                budget_usd: Usd(r.budget_micros),
                period_spent_usd: Usd(r.period_spent_micros),
            })
            .collect(),
    }))
}

#[utoipa::path(operation_id = "analytics_daily", get, path = "/api/v1/analytics/daily", tag = "analytics",
    params(DailyParams), security(("bearer" = [])),
    responses((status = 200, body = DailyTotals), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn daily(
    State(state): State<AppState>,
    me: AuthUser,
    Query(params): Query<DailyParams>,
) -> AppResult<Json<DailyTotals>> {
    let days = params.days.unwrap_or(7);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(bad_range(format!("days: must be 1 to {MAX_DAYS}")));
    }
    check_project(&state, &me, params.project_id.as_deref()).await?;
    let end = (now_micros().div_euclid(DAY) + 1) * DAY;
    let start = end - i64::from(days) * DAY;
    let filter = UsageFilter {
        from: start,
        to: end,
        project_id: params.project_id,
        member_of: (!me.is_admin()).then(|| me.id().to_owned()),
        ..UsageFilter::default()
    };
    let mut conn = state.db.conn().await?;
    let buckets = usage::buckets(&mut conn, &filter, start, DAY, days as usize).await?;
    Ok(Json(DailyTotals {
        days: buckets
            .into_iter()
            .enumerate()
            .map(|(i, t)| DayTotal {
                date: to_iso(start + i as i64 * DAY)[..10].to_owned(),
                spend_usd: Usd(t.cost_micros),
                requests: t.requests,
            })
            .collect(),
    }))
}

const CSV_HEADER: &str = "id,at,project_id,key_id,user_id,session_id,lease_id,model,\
input_tokens,cached_input_tokens,output_tokens,cost_usd,latency_ms,outcome\n";
const CSV_PAGE: i64 = 1000;

/// Quotes a field when needed; a leading formula character is defused so a
/// spreadsheet never evaluates client-supplied text.
fn csv_field(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

fn csv_line(line: &UsageLine) -> String {
    let text = [
        &line.id,
        &to_iso(line.at),
        &line.project_id,
        &line.key_id,
        &line.user_id,
        &line.session_id,
        &line.lease_id,
        &line.model,
    ]
    .map(|v| csv_field(v))
    .join(",");
    format!(
        "{text},{},{},{},{},{},{}\n",
        line.input_tokens,
        line.cached_input_tokens,
        line.output_tokens,
        Usd(line.cost_micros),
        line.latency_ms,
        csv_field(&line.outcome)
    )
}

/// Streams the usage lines page by page, so memory stays flat for any range.
#[utoipa::path(operation_id = "analytics_export_csv", get, path = "/api/v1/analytics/export.csv", tag = "analytics",
    params(AnalyticsParams), security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn export_csv(
    State(state): State<AppState>,
    me: AuthUser,
    Query(params): Query<AnalyticsParams>,
) -> AppResult<Response> {
    let filter = filter_for(&state, &me, &params).await?;
    struct Cursor {
        state: AppState,
        filter: UsageFilter,
        after: Option<(i64, String)>,
        header: bool,
        done: bool,
    }
    let start = Cursor {
        state,
        filter,
        after: None,
        header: true,
        done: false,
    };
    let stream = futures::stream::unfold(start, |mut cur| async move {
        if cur.header {
            cur.header = false;
            return Some((Ok::<_, AppError>(CSV_HEADER.to_owned()), cur));
        }
        if cur.done {
            return None;
        }
        let page = async {
            let mut conn = cur.state.db.conn().await?;
            usage::lines_after(&mut conn, &cur.filter, cur.after.clone(), CSV_PAGE).await
        }
        .await;
        match page {
            Ok(lines) if lines.is_empty() => None,
            Ok(lines) => {
                cur.done = (lines.len() as i64) < CSV_PAGE;
                cur.after = lines.last().map(|l| (l.at, l.id.clone()));
                Some((Ok(lines.iter().map(csv_line).collect()), cur))
            }
            Err(err) => {
                cur.done = true;
                Some((Err(err), cur))
            }
        }
    });
    let body = Body::from_stream(futures::StreamExt::map(stream, |chunk| {
        chunk.map_err(|e| std::io::Error::other(e.to_string()))
    }));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"usage.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_aligns_to_utc_boundaries_and_is_capped() {
        let (start, size, count) = grid(DAY + 5, 3 * DAY, Bucket::Day).unwrap();
        assert_eq!((start, size, count), (DAY, DAY, 2));
        let (_, _, count) = grid(DAY, DAY + 1, Bucket::Hour).unwrap();
        assert_eq!(count, 1);
        assert!(grid(0, (MAX_BUCKETS + 1) * HOUR, Bucket::Hour).is_err());
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("gpt-4o"), "gpt-4o");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=cmd()"), "'=cmd()");
    }
}
