//! Alerts (budget thresholds, key status changes, anomalies) and their
//! acknowledgement. Developers see the alerts of their projects.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use crate::audit::Event;
use crate::auth::AuthUser;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::models::alert::{self, ACKNOWLEDGED, Alert, AlertFilter, OPEN};
use crate::models::project;
use crate::pagination::{Page, fetch_limit};
use crate::routes::projects::load_visible;
use crate::state::AppState;
use crate::time::{now_micros, to_iso};
use crate::transaction;

#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AlertStatus {
    Open,
    Acknowledged,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AlertParams {
    pub status: Option<AlertStatus>,
    pub project_id: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct AlertView {
    pub id: String,
    pub project_id: Option<String>,
    pub key_id: Option<String>,
    /// `budget_soft`, `budget_hard`, `anomaly_multi_ip`, `anomaly_spend_rate`,
    /// `key_revoked`, `key_suspended`.
    pub kind: String,
    /// `info`, `warning` or `critical`.
    pub severity: String,
    pub message: String,
    pub data: serde_json::Value,
    pub status: AlertStatus,
    pub created_at: String,
    pub acknowledged_at: Option<String>,
}

impl From<Alert> for AlertView {
    fn from(a: Alert) -> Self {
        AlertView {
            id: a.id,
            project_id: a.project_id,
            key_id: a.key_id,
            kind: a.kind,
            severity: a.severity,
            message: a.message,
            data: serde_json::from_str(&a.data).unwrap_or(serde_json::Value::Null),
            status: if a.status == ACKNOWLEDGED {
                AlertStatus::Acknowledged
            } else {
                AlertStatus::Open
            },
            created_at: to_iso(a.created_at),
            acknowledged_at: a.acknowledged_at.map(to_iso),
        }
    }
}

fn parse_cursor(cursor: &str) -> AppResult<(i64, String)> {
    cursor
        .split_once(':')
        .and_then(|(at, id)| Some((at.parse().ok()?, id.to_owned())))
        .ok_or_else(|| AppError::validation("cursor", "not a cursor from this API"))
}

#[utoipa::path(operation_id = "alerts_list", get, path = "/api/v1/alerts", tag = "alerts", params(AlertParams),
    security(("bearer" = [])),
    responses((status = 200, body = Page<AlertView>), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    me: AuthUser,
    Query(params): Query<AlertParams>,
) -> AppResult<Json<Page<AlertView>>> {
    let limit = fetch_limit(params.limit)?;
    let before = params.cursor.as_deref().map(parse_cursor).transpose()?;
    let mut conn = state.db.conn().await?;
    if let Some(project_id) = &params.project_id {
        load_visible(&mut conn, &me, project_id).await?;
    }
    let filter = AlertFilter {
        status: params.status.map(|s| match s {
            AlertStatus::Open => OPEN,
            AlertStatus::Acknowledged => ACKNOWLEDGED,
        }),
        project_id: params.project_id.as_deref(),
        member_of: (!me.is_admin()).then(|| me.id()),
    };
    let rows = alert::list(&mut conn, &filter, before, limit).await?;
    Ok(Json(Page::from_rows(
        rows,
        limit,
        |a| format!("{}:{}", a.created_at, a.id),
        AlertView::from,
    )))
}

/// Marks an alert as seen. Acknowledging twice is harmless (200, unchanged).
#[utoipa::path(operation_id = "alerts_ack", post, path = "/api/v1/alerts/{alert_id}/ack", tag = "alerts",
    params(("alert_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = AlertView), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn ack(
    State(state): State<AppState>,
    me: AuthUser,
    Path(alert_id): Path<String>,
) -> AppResult<Json<AlertView>> {
    let mut conn = state.db.conn().await?;
    let alert = transaction!(conn, {
        let found = alert::find(&mut conn, &alert_id)
            .await?
            .ok_or_else(|| AppError::not_found("alert"))?;
        let visible = match (&found.project_id, me.is_admin()) {
            (_, true) => true,
            (Some(project_id), false) => project::is_member(&mut conn, project_id, me.id()).await?,
            (None, false) => false,
        };
        if !visible {
            return Err(AppError::not_found("alert"));
        }
        if alert::acknowledge(&mut conn, &alert_id, me.id(), now_micros()).await? {
            let event = Event {
                action: "alert.ack",
                target_type: "alert",
                target_id: &alert_id,
                before: Some(json!({"status": OPEN})),
                after: Some(json!({"status": ACKNOWLEDGED})),
            };
            state.audit(&mut conn, &me, event).await?;
        }
        alert::find(&mut conn, &alert_id)
            .await?
            .ok_or_else(|| AppError::not_found("alert"))
    })?;
    Ok(Json(AlertView::from(alert)))
}
