//! The dashboard's recent-activity feed: LLM calls, alerts and (for
//! admins) audit records, merged newest first.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Query};
use crate::models::alert::{self, AlertFilter};
use crate::models::audit::{self, AuditFilter};
use crate::models::usage;
use crate::money::Usd;
use crate::state::AppState;
use crate::time::to_iso;

const MAX_LIMIT: u32 = 200;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ActivityParams {
    /// 1..=200, default 50.
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActivityType {
    LlmCall,
    Alert,
    Audit,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityItem {
    pub at: String,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub project_id: Option<String>,
    pub key_id: Option<String>,
    pub summary: String,
}

#[derive(Serialize, ToSchema)]
pub struct Activity {
    pub items: Vec<ActivityItem>,
}

#[utoipa::path(operation_id = "activity_list", get, path = "/api/v1/activity", tag = "analytics",
    params(ActivityParams), security(("bearer" = [])),
    responses((status = 200, body = Activity), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    me: AuthUser,
    Query(params): Query<ActivityParams>,
) -> AppResult<Json<Activity>> {
    let limit = params.limit.unwrap_or(50);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::validation(
            "limit",
            format!("must be 1 to {MAX_LIMIT}"),
        ));
    }
    let member_of = (!me.is_admin()).then(|| me.id());
    let mut conn = state.db.conn().await?;
    let mut items: Vec<(i64, ActivityItem)> = Vec::new();
    for line in usage::newest(&mut conn, member_of, i64::from(limit)).await? {
        let summary = format!(
            "{} call ({}): {} in / {} out tokens, ${}",
            line.model,
            line.outcome,
            line.input_tokens,
            line.output_tokens,
            Usd(line.cost_micros)
        );
        items.push((
            line.at,
            ActivityItem {
                at: to_iso(line.at),
                kind: ActivityType::LlmCall,
                project_id: Some(line.project_id),
                key_id: Some(line.key_id),
                summary,
            },
        ));
    }
    let filter = AlertFilter {
        status: None,
        project_id: None,
        member_of,
    };
    for a in alert::list(&mut conn, &filter, None, i64::from(limit)).await? {
        items.push((
            a.created_at,
            ActivityItem {
                at: to_iso(a.created_at),
                kind: ActivityType::Alert,
                project_id: a.project_id,
                key_id: a.key_id,
                summary: format!("{}: {}", a.kind, a.message),
            },
        ));
    }
    // The audit trail is server-wide; only admins read it.
    if me.is_admin() {
        for r in audit::newest(&mut conn, &AuditFilter::default(), i64::from(limit)).await? {
            let (project_id, key_id) = match r.target_type.as_str() {
                "project" => (Some(r.target_id.clone()), None),
                "ic_key" => (None, Some(r.target_id.clone())),
                _ => (None, None),
            };
            items.push((
                r.created_at,
                ActivityItem {
                    at: to_iso(r.created_at),
                    kind: ActivityType::Audit,
                    project_id,
                    key_id,
                    summary: format!("{} {} {}", r.action, r.target_type, r.target_id),
                },
            ));
        }
    }
    items.sort_by_key(|item| std::cmp::Reverse(item.0));
    items.truncate(limit as usize);
    Ok(Json(Activity {
        items: items.into_iter().map(|(_, item)| item).collect(),
    }))
}
