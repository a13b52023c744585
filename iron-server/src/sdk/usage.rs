//! Usage lines and SDK events: validated, then inserted idempotently (a
//! repeated id is ignored, never counted twice).

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::db::Conn;
use crate::db::schema::{sdk_events, usage_records};
use crate::error::{AppError, AppResult};
use crate::models::lease::Lease;
use crate::time::parse_iso;

pub const MAX_USAGE_LINES: usize = 1000;
pub const MAX_EVENTS: usize = 500;
const MAX_EVENT_DATA_BYTES: usize = 16 * 1024;
const MAX_COUNT: i64 = 1_000_000_000_000;

/// One LLM call as the SDK accounted it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UsageLine {
    /// Client-generated UUID (v7), unique server-wide.
    pub id: String,
    /// ISO-8601 time of the call.
    pub at: String,
    pub model: String,
    pub input_tokens: i64,
    #[serde(default)]
    pub cached_input_tokens: i64,
    pub output_tokens: i64,
    pub cost_micros: i64,
    #[serde(default)]
    pub latency_ms: i64,
    /// e.g. `ok`, `error`, `blocked`.
    pub outcome: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SdkEvent {
    /// Client-generated UUID (v7); a repeated id is a duplicate.
    pub id: String,
    /// e.g. `guard.pii`, `tool.invoke`.
    pub kind: String,
    pub at: String,
    #[schema(value_type = Object)]
    pub data: Value,
}

#[derive(Insertable)]
#[diesel(table_name = usage_records)]
struct UsageRow<'a> {
    id: &'a str,
    project_id: &'a str,
    key_id: &'a str,
    user_id: &'a str,
    session_id: &'a str,
    lease_id: &'a str,
    model: &'a str,
    input_tokens: i64,
    cached_input_tokens: i64,
    output_tokens: i64,
    cost_micros: i64,
    latency_ms: i64,
    outcome: &'a str,
    at: i64,
    received_at: i64,
}

#[derive(Insertable)]
#[diesel(table_name = sdk_events)]
struct EventRow<'a> {
    id: &'a str,
    session_id: &'a str,
    project_id: &'a str,
    key_id: &'a str,
    kind: &'a str,
    at: i64,
    data: String,
    received_at: i64,
}

/// Inserts `$rows`, skipping ids already stored; evaluates to
/// `AppResult<usize>` (rows inserted). PostgreSQL takes the batch in one
/// statement; Diesel has no batch upsert for SQLite, so there it is one
/// statement per row (cheap: same process, same transaction).
macro_rules! insert_ignoring_duplicates {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            Conn::Postgres(c) => Ok(diesel::insert_into($table)
                .values(&$rows)
                .on_conflict_do_nothing()
                .execute(&mut **c)
                .await?),
            Conn::Sqlite(c) => {
                let mut inserted = 0;
                for row in &$rows {
                    inserted += diesel::insert_into($table)
                        .values(row)
                        .on_conflict_do_nothing()
                        .execute(&mut **c)
                        .await?;
                }
                Ok(inserted)
            }
        }
    };
}

fn check_id(field: &str, id: &str) -> AppResult<()> {
    uuid::Uuid::parse_str(id)
        .map(drop)
        .map_err(|_| AppError::validation(field, "must be a UUID"))
}

fn check_text(field: &str, text: &str, max: usize) -> AppResult<()> {
    if text.trim().is_empty() || text.len() > max {
        return Err(AppError::validation(
            field,
            format!("1 to {max} characters"),
        ));
    }
    Ok(())
}

fn check_time(field: &str, text: &str) -> AppResult<i64> {
    parse_iso(text).ok_or_else(|| AppError::validation(field, "must be an ISO-8601 time"))
}

fn check_count(field: &str, value: i64) -> AppResult<()> {
    if !(0..=MAX_COUNT).contains(&value) {
        return Err(AppError::validation(field, "must be 0 to 10^12"));
    }
    Ok(())
}

pub fn validate_usage(lines: &[UsageLine]) -> AppResult<()> {
    if lines.len() > MAX_USAGE_LINES {
        return Err(AppError::validation(
            "usage",
            "at most 1000 lines per settle",
        ));
    }
    for line in lines {
        check_id("usage.id", &line.id)?;
        check_time("usage.at", &line.at)?;
        check_text("usage.model", &line.model, 200)?;
        check_text("usage.outcome", &line.outcome, 50)?;
        check_count("usage.input_tokens", line.input_tokens)?;
        check_count("usage.cached_input_tokens", line.cached_input_tokens)?;
        check_count("usage.output_tokens", line.output_tokens)?;
        check_count("usage.cost_micros", line.cost_micros)?;
        check_count("usage.latency_ms", line.latency_ms)?;
    }
    Ok(())
}

/// Inserts the lines of a settled lease; returns how many were new.
pub async fn insert_usage(
    conn: &mut Conn,
    lease: &Lease,
    user_id: &str,
    lines: &[UsageLine],
    now: i64,
) -> AppResult<usize> {
    if lines.is_empty() {
        return Ok(0);
    }
    let rows = lines
        .iter()
        .map(|line| {
            Ok(UsageRow {
                id: &line.id,
                project_id: &lease.project_id,
                key_id: &lease.key_id,
                user_id,
                session_id: &lease.session_id,
                lease_id: &lease.id,
                model: &line.model,
                input_tokens: line.input_tokens,
                cached_input_tokens: line.cached_input_tokens,
                output_tokens: line.output_tokens,
                cost_micros: line.cost_micros,
                latency_ms: line.latency_ms,
                outcome: &line.outcome,
                at: check_time("usage.at", &line.at)?,
                received_at: now,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    insert_ignoring_duplicates!(conn, usage_records::table, rows)
}

pub fn validate_events(events: &[SdkEvent]) -> AppResult<()> {
    if events.len() > MAX_EVENTS {
        return Err(AppError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            "at most 500 events per batch",
        ));
    }
    for event in events {
        check_id("events.id", &event.id)?;
        check_text("events.kind", &event.kind, 100)?;
        check_time("events.at", &event.at)?;
        if !event.data.is_object() {
            return Err(AppError::validation("events.data", "must be a JSON object"));
        }
        if event.data.to_string().len() > MAX_EVENT_DATA_BYTES {
            return Err(AppError::validation("events.data", "at most 16 KiB"));
        }
    }
    Ok(())
}

/// Scope of an event batch: the session and its key and project.
pub struct EventScope<'a> {
    pub session_id: &'a str,
    pub project_id: &'a str,
    pub key_id: &'a str,
}

pub async fn insert_events(
    conn: &mut Conn,
    scope: &EventScope<'_>,
    events: &[SdkEvent],
    now: i64,
) -> AppResult<usize> {
    if events.is_empty() {
        return Ok(0);
    }
    let rows = events
        .iter()
        .map(|event| {
            Ok(EventRow {
                id: &event.id,
                session_id: scope.session_id,
                project_id: scope.project_id,
                key_id: scope.key_id,
                kind: &event.kind,
                at: check_time("events.at", &event.at)?,
                data: event.data.to_string(),
                received_at: now,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    insert_ignoring_duplicates!(conn, sdk_events::table, rows)
}
