//! A developer asks for more budget; an admin approves (the budget grows)
//! or denies, with a reason.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use crate::audit::Event;
use crate::auth::{Admin, AuthUser};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ids;
use crate::models::budget_request::{self, APPROVED, BudgetRequest, DENIED, PENDING};
use crate::models::project;
use crate::money::Usd;
use crate::pagination::{Page, fetch_limit};
use crate::routes::projects::{load_mutable, load_visible};
use crate::state::AppState;
use crate::time::{now_micros, to_iso};
use crate::transaction;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBudgetRequest {
    pub amount_usd: Usd,
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Required when denying.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RequestStatus {
    Pending,
    Approved,
    Denied,
}

#[derive(Serialize, ToSchema)]
pub struct BudgetRequestView {
    pub id: String,
    pub project_id: String,
    pub requester_id: String,
    pub amount_usd: Usd,
    pub reason: String,
    pub status: RequestStatus,
    pub decided_by: Option<String>,
    pub decision_reason: Option<String>,
    pub created_at: String,
    pub decided_at: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RequestListParams {
    pub status: Option<RequestStatus>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

fn status_name(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Pending => PENDING,
        RequestStatus::Approved => APPROVED,
        RequestStatus::Denied => DENIED,
    }
}

impl TryFrom<&BudgetRequest> for BudgetRequestView {
    type Error = AppError;

    fn try_from(r: &BudgetRequest) -> AppResult<Self> {
        let status = [
            RequestStatus::Pending,
            RequestStatus::Approved,
            RequestStatus::Denied,
        ]
        .into_iter()
        .find(|s| status_name(*s) == r.status)
        .ok_or_else(|| AppError::internal(format!("unknown request status {}", r.status)))?;
        Ok(BudgetRequestView {
            id: r.id.clone(),
            project_id: r.project_id.clone(),
            requester_id: r.requester_id.clone(),
            amount_usd: Usd(r.amount_micros),
            reason: r.reason.clone(),
            status,
            decided_by: r.decided_by.clone(),
            decision_reason: r.decision_reason.clone(),
            created_at: to_iso(r.created_at),
            decided_at: r.decided_at.map(to_iso),
        })
    }
}

fn validate_reason(field: &str, reason: &str) -> AppResult<String> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(AppError::validation(field, "must be 1 to 1000 characters"));
    }
    Ok(reason.to_owned())
}

#[utoipa::path(operation_id = "budget_requests_create", post, path = "/api/v1/projects/{project_id}/budget-requests", tag = "budget",
    request_body = CreateBudgetRequest, params(("project_id" = String, Path)), security(("bearer" = [])),
    responses((status = 201, body = BudgetRequestView), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: AuthUser,
    Path(project_id): Path<String>,
    Json(req): Json<CreateBudgetRequest>,
) -> AppResult<(StatusCode, Json<BudgetRequestView>)> {
    let reason = validate_reason("reason", &req.reason)?;
    if req.amount_usd.micros() == 0 {
        return Err(AppError::validation("amount_usd", "must be more than 0"));
    }
    let request = BudgetRequest {
        id: ids::new_id(ids::BUDGET_REQUEST),
        project_id: project_id.clone(),
        requester_id: me.id().to_owned(),
        amount_micros: req.amount_usd.micros(),
        reason,
        status: PENDING.to_owned(),
        decided_by: None,
        decision_reason: None,
        created_at: now_micros(),
        decided_at: None,
    };
    let mut conn = state.db.conn().await?;
    transaction!(conn, {
        load_visible(&mut conn, &me, &project_id).await?;
        load_mutable(&mut conn, &project_id).await?;
        budget_request::insert(&mut conn, &request).await?;
        let event = Event {
            action: "budget_request.create",
            target_type: "budget_request",
            target_id: &request.id,
            before: None,
            after: Some(json!({"project_id": project_id, "amount_usd": req.amount_usd})),
        };
        state.audit(&mut conn, &me, event).await
    })?;
    Ok((
        StatusCode::CREATED,
        Json(BudgetRequestView::try_from(&request)?),
    ))
}

/// Admins see all requests; developers see their own.
#[utoipa::path(operation_id = "budget_requests_list", get, path = "/api/v1/budget-requests", tag = "budget", params(RequestListParams),
    security(("bearer" = [])),
    responses((status = 200, body = Page<BudgetRequestView>), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    me: AuthUser,
    Query(params): Query<RequestListParams>,
) -> AppResult<Json<Page<BudgetRequestView>>> {
    let limit = fetch_limit(params.limit)?;
    let requester = (!me.is_admin()).then(|| me.id());
    let status = params.status.map(status_name);
    let after = params.cursor.as_deref().unwrap_or("");
    let mut conn = state.db.conn().await?;
    let rows = budget_request::list(&mut conn, requester, status, after, limit).await?;
    let page = Page::from_rows(
        rows,
        limit,
        |r| r.id.clone(),
        |r| BudgetRequestView::try_from(&r),
    );
    let items = page.items.into_iter().collect::<AppResult<Vec<_>>>()?;
    Ok(Json(Page {
        items,
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(operation_id = "budget_requests_approve", post, path = "/api/v1/budget-requests/{request_id}/approve", tag = "budget",
    request_body = Decision, params(("request_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = BudgetRequestView), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn approve(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(request_id): Path<String>,
    Json(decision): Json<Decision>,
) -> AppResult<Json<BudgetRequestView>> {
    decide(&state, &admin, &request_id, APPROVED, decision.reason).await
}

#[utoipa::path(operation_id = "budget_requests_deny", post, path = "/api/v1/budget-requests/{request_id}/deny", tag = "budget",
    request_body = Decision, params(("request_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = BudgetRequestView), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn deny(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(request_id): Path<String>,
    Json(decision): Json<Decision>,
) -> AppResult<Json<BudgetRequestView>> {
    if decision.reason.is_none() {
        return Err(AppError::validation("reason", "a denial needs a reason"));
    }
    decide(&state, &admin, &request_id, DENIED, decision.reason).await
}

async fn decide(
    state: &AppState,
    admin: &AuthUser,
    request_id: &str,
    outcome: &str,
    reason: Option<String>,
) -> AppResult<Json<BudgetRequestView>> {
    let reason = reason.map(|r| validate_reason("reason", &r)).transpose()?;
    let mut conn = state.db.conn().await?;
    let decided = transaction!(conn, {
        let request = budget_request::find(&mut conn, request_id).await?;
        let now = now_micros();
        if !budget_request::decide(
            &mut conn,
            request_id,
            outcome,
            admin.id(),
            reason.as_deref(),
            now,
        )
        .await?
        {
            return Err(AppError::conflict(format!(
                "the request is already {}",
                request.status
            )));
        }
        let mut budget_change = json!(null);
        if outcome == APPROVED {
            let before = load_mutable(&mut conn, &request.project_id).await?;
            project::add_budget(&mut conn, &request.project_id, request.amount_micros, now).await?;
            budget_change = json!({
                "budget_usd_before": Usd(before.budget_micros),
                "budget_usd_after": Usd(before.budget_micros + request.amount_micros),
            });
        }
        let event = Event {
            action: &format!(
                "budget_request.{}",
                if outcome == APPROVED {
                    "approve"
                } else {
                    "deny"
                }
            ),
            target_type: "budget_request",
            target_id: request_id,
            before: Some(json!({"status": request.status})),
            after: Some(json!({"status": outcome, "reason": reason, "project": budget_change})),
        };
        state.audit(&mut conn, admin, event).await?;
        budget_request::find(&mut conn, request_id).await
    })?;
    Ok(Json(BudgetRequestView::try_from(&decided)?))
}
