//! Reading and verifying the audit trail (admins only).

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::audit::{self, Verification};
use crate::auth::Admin;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Query};
use crate::models::audit::{AuditFilter, AuditRecord};
use crate::pagination::{Page, fetch_limit};
use crate::state::AppState;
use crate::time::{parse_iso, to_iso};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    pub actor_id: Option<String>,
    /// e.g. `project.create`
    pub action: Option<String>,
    pub target_id: Option<String>,
    /// ISO-8601, inclusive.
    pub since: Option<String>,
    /// ISO-8601, exclusive.
    pub until: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditRecordView {
    pub seq: i64,
    pub actor_id: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub ip: Option<String>,
    pub created_at: String,
    pub mac: String,
}

impl From<AuditRecord> for AuditRecordView {
    fn from(r: AuditRecord) -> Self {
        let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        AuditRecordView {
            seq: r.seq,
            actor_id: r.actor_id,
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            before: parse(r.before_summary),
            after: parse(r.after_summary),
            ip: r.ip,
            created_at: to_iso(r.created_at),
            mac: r.mac,
        }
    }
}

fn parse_time(field: &str, value: Option<&str>) -> AppResult<Option<i64>> {
    value
        .map(|text| parse_iso(text).ok_or_else(|| AppError::validation(field, "must be ISO-8601")))
        .transpose()
}

#[utoipa::path(operation_id = "audit_list", get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    security(("bearer" = [])),
    responses((status = 200, body = Page<AuditRecordView>), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    Query(params): Query<AuditParams>,
) -> AppResult<Json<Page<AuditRecordView>>> {
    let limit = fetch_limit(params.limit)?;
    let after_seq = match params.cursor.as_deref() {
        Some(cursor) => cursor
            .parse::<i64>()
            .map_err(|_| AppError::validation("cursor", "not a cursor from this API"))?,
        None => 0,
    };
    let filter = AuditFilter {
        since: parse_time("since", params.since.as_deref())?,
        until: parse_time("until", params.until.as_deref())?,
        actor_id: params.actor_id,
        action: params.action,
        target_id: params.target_id,
    };
    let mut conn = state.db.conn().await?;
    let rows = crate::models::audit::list(&mut conn, &filter, after_seq, limit).await?;
    Ok(Json(Page::from_rows(
        rows,
        limit,
        |r| r.seq.to_string(),
        AuditRecordView::from,
    )))
}

/// Walks the whole HMAC chain and names the first record that fails.
#[utoipa::path(operation_id = "audit_verify", get, path = "/api/v1/audit/verify", tag = "audit", security(("bearer" = [])),
    responses((status = 200, body = Verification), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn verify(State(state): State<AppState>, _admin: Admin) -> AppResult<Json<Verification>> {
    let mut conn = state.db.conn().await?;
    Ok(Json(
        audit::verify(&mut conn, &state.keys.audit_hmac).await?,
    ))
}
