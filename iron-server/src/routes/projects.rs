//! Projects: budget, thresholds, allowed models, SDK policy, members, status.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use crate::audit::Event;
use crate::auth::{Admin, AuthUser};
use crate::db::Conn;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ids;
use crate::ledger;
use crate::models::project::{self, ACTIVE, ARCHIVED, PAUSED, Project};
use crate::models::user;
use crate::money::Usd;
use crate::pagination::{Page, fetch_limit};
use crate::routes::auth::validate_name;
use crate::routes::users::UserView;
use crate::settings::PolicyDefaults;
use crate::state::AppState;
use crate::time::{now_micros, to_iso};
use crate::transaction;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum BudgetPeriod {
    None,
    Daily,
    Weekly,
    Monthly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProjectStatus {
    Active,
    Paused,
    Archived,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PiiMode {
    Off,
    Alert,
    Redact,
    Block,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

/// Tool-call policy the SDK enforces: glob patterns of tool names.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ToolPolicy {
    #[serde(default)]
    pub allow: Vec<String>,
    #[serde(default)]
    pub deny: Vec<String>,
}

/// Settings sent to the SDK at handshake, as stored for a project.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub pii_mode: PiiMode,
    /// Injection findings at or above this severity block the call.
    pub injection_threshold: Severity,
    #[serde(default)]
    pub tool_policy: ToolPolicy,
    /// Budget tranche per lease; `null`: the server's lease default (settings).
    #[serde(default)]
    pub lease_size_usd: Option<Usd>,
    /// Lease lifetime; `null`: the server's lease default (settings).
    #[serde(default)]
    #[schema(minimum = 10, maximum = 86400)]
    pub lease_ttl_secs: Option<u32>,
}

/// A policy as given on create (absent fields: the server's policy
/// defaults from settings) or update (absent fields: unchanged). `null`
/// for a lease field means "follow the server's lease default".
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyInput {
    pub pii_mode: Option<PiiMode>,
    pub injection_threshold: Option<Severity>,
    pub tool_policy: Option<ToolPolicy>,
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<Usd>)]
    pub lease_size_usd: Option<Option<Usd>>,
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<u32>, minimum = 10, maximum = 86400)]
    pub lease_ttl_secs: Option<Option<u32>>,
}

impl PolicyInput {
    /// The given fields over `base`, validated.
    pub fn over(self, base: Policy) -> AppResult<Policy> {
        let policy = Policy {
            pii_mode: self.pii_mode.unwrap_or(base.pii_mode),
            injection_threshold: self.injection_threshold.unwrap_or(base.injection_threshold),
            tool_policy: self.tool_policy.unwrap_or(base.tool_policy),
            lease_size_usd: self.lease_size_usd.unwrap_or(base.lease_size_usd),
            lease_ttl_secs: self.lease_ttl_secs.unwrap_or(base.lease_ttl_secs),
        };
        validate_policy(&policy)?;
        Ok(policy)
    }
}

impl From<&PolicyDefaults> for Policy {
    /// A new project's policy: the server defaults, leases following the server's.
    fn from(defaults: &PolicyDefaults) -> Self {
        Policy {
            pii_mode: defaults.pii_mode,
            injection_threshold: defaults.injection_threshold,
            tool_policy: defaults.tool_policy.clone(),
            lease_size_usd: None,
            lease_ttl_secs: None,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProject {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub description: String,
    pub budget_usd: Usd,
    #[serde(default = "default_period")]
    pub budget_period: BudgetPeriod,
    /// Percent of the budget that raises a warning (default 90).
    #[schema(minimum = 1, maximum = 100)]
    pub soft_threshold_pct: Option<u8>,
    /// Percent of the budget at which spending stops (default 100).
    #[schema(minimum = 1, maximum = 100)]
    pub hard_threshold_pct: Option<u8>,
    /// Models the SDK may call; empty means any.
    #[serde(default)]
    pub allowed_models: Vec<String>,
    /// Absent fields take the server's policy defaults (`GET /settings`).
    #[serde(default)]
    pub policy: PolicyInput,
    /// Users (ids) who may use the project.
    #[serde(default)]
    pub members: Vec<String>,
}

fn default_period() -> BudgetPeriod {
    BudgetPeriod::None
}

/// Any subset of the settings; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProject {
    pub name: Option<String>,
    pub description: Option<String>,
    pub budget_usd: Option<Usd>,
    pub budget_period: Option<BudgetPeriod>,
    pub soft_threshold_pct: Option<u8>,
    pub hard_threshold_pct: Option<u8>,
    pub allowed_models: Option<Vec<String>>,
    pub policy: Option<PolicyInput>,
}

#[derive(Serialize, ToSchema)]
pub struct ProjectView {
    pub id: String,
    pub name: String,
    pub description: String,
    pub status: ProjectStatus,
    pub budget_usd: Usd,
    pub budget_period: BudgetPeriod,
    pub period_started_at: String,
    pub spent_usd: Usd,
    pub reserved_usd: Usd,
    pub remaining_usd: Usd,
    pub soft_threshold_pct: u8,
    pub hard_threshold_pct: u8,
    /// `ok`, `soft` (past the soft threshold) or `hard` (spending stopped).
    pub threshold_state: String,
    pub allowed_models: Vec<String>,
    pub policy: Policy,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ProjectListParams {
    /// `active`, `paused` or `archived`; default: all but archived.
    pub status: Option<ProjectStatus>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMember {
    pub user_id: String,
}

fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> AppResult<T> {
    serde_json::from_str(text).map_err(AppError::internal)
}

fn status_of(text: &str) -> AppResult<ProjectStatus> {
    parse_json(&format!("\"{text}\""))
}

fn period_name(period: BudgetPeriod) -> String {
    serde_json::to_value(period)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl TryFrom<&Project> for ProjectView {
    type Error = AppError;

    fn try_from(p: &Project) -> AppResult<Self> {
        let used = p.spent_micros + p.reserved_micros;
        let pct_of_budget = |pct: i32| p.budget_micros.saturating_mul(i64::from(pct)) / 100;
        let threshold_state = if used >= pct_of_budget(p.hard_threshold_pct) {
            "hard"
        } else if used >= pct_of_budget(p.soft_threshold_pct) {
            "soft"
        } else {
            "ok"
        };
        Ok(ProjectView {
            id: p.id.clone(),
            name: p.name.clone(),
            description: p.description.clone(),
            status: status_of(&p.status)?,
            budget_usd: Usd(p.budget_micros),
            budget_period: parse_json(&format!("\"{}\"", p.budget_period))?,
            period_started_at: to_iso(p.period_started_at),
            spent_usd: Usd(p.spent_micros),
            reserved_usd: Usd(p.reserved_micros),
            remaining_usd: Usd((p.budget_micros - used).max(0)),
            soft_threshold_pct: p.soft_threshold_pct as u8,
            hard_threshold_pct: p.hard_threshold_pct as u8,
            threshold_state: threshold_state.to_owned(),
            allowed_models: parse_json(&p.allowed_models)?,
            policy: parse_json(&p.policy)?,
            created_at: to_iso(p.created_at),
            updated_at: to_iso(p.updated_at),
        })
    }
}

/// A short, secret-free picture of a project for audit before/after fields.
fn summary(p: &Project) -> serde_json::Value {
    json!({
        "name": p.name,
        "status": p.status,
        "budget_usd": Usd(p.budget_micros).to_string(),
        "budget_period": p.budget_period,
        "soft_threshold_pct": p.soft_threshold_pct,
        "hard_threshold_pct": p.hard_threshold_pct,
        "allowed_models": p.allowed_models,
        "policy": p.policy,
    })
}

fn validate_thresholds(soft: u8, hard: u8) -> AppResult<()> {
    if !(1..=100).contains(&hard) {
        return Err(AppError::validation(
            "hard_threshold_pct",
            "must be 1 to 100",
        ));
    }
    if soft == 0 || soft > hard {
        return Err(AppError::validation(
            "soft_threshold_pct",
            "must be at least 1 and at most hard_threshold_pct",
        ));
    }
    Ok(())
}

fn validate_models(models: &[String]) -> AppResult<()> {
    if models.len() > 100 || models.iter().any(|m| m.trim().is_empty() || m.len() > 200) {
        return Err(AppError::validation(
            "allowed_models",
            "at most 100 non-empty model names of up to 200 characters",
        ));
    }
    Ok(())
}

/// A lease tranche must be more than nothing.
pub fn validate_lease_size(field: &str, size: Usd) -> AppResult<()> {
    if size.micros() == 0 {
        return Err(AppError::validation(field, "must be more than 0"));
    }
    Ok(())
}

pub fn validate_lease_ttl(field: &str, secs: u32) -> AppResult<()> {
    if !(10..=86_400).contains(&secs) {
        return Err(AppError::validation(field, "must be 10 to 86400"));
    }
    Ok(())
}

pub fn validate_tool_policy(field: &str, tools: &ToolPolicy) -> AppResult<()> {
    let patterns = tools.allow.iter().chain(&tools.deny);
    if patterns.clone().count() > 200 || patterns.clone().any(|p| p.is_empty() || p.len() > 200) {
        return Err(AppError::validation(
            field,
            "at most 200 non-empty patterns of up to 200 characters",
        ));
    }
    Ok(())
}

fn validate_policy(policy: &Policy) -> AppResult<()> {
    if let Some(size) = policy.lease_size_usd {
        validate_lease_size("policy.lease_size_usd", size)?;
    }
    if let Some(secs) = policy.lease_ttl_secs {
        validate_lease_ttl("policy.lease_ttl_secs", secs)?;
    }
    validate_tool_policy("policy.tool_policy", &policy.tool_policy)
}

/// The only unique column a project write can hit is its live name.
fn name_in_use(err: AppError) -> AppError {
    if err.status() == StatusCode::CONFLICT {
        AppError::conflict_on("name", "a project with this name already exists")
    } else {
        err
    }
}

fn to_json_text<T: Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(AppError::internal)
}

/// Loads a project the caller may see: admins see all, developers only
/// their projects. Others get 404, so ids of foreign projects don't leak.
pub async fn load_visible(conn: &mut Conn, me: &AuthUser, id: &str) -> AppResult<Project> {
    let mut project = project::find(conn, id).await?;
    if !me.is_admin() && !project::is_member(conn, id, me.id()).await? {
        return Err(AppError::not_found("project"));
    }
    project::roll_period(conn, &mut project, now_micros()).await?;
    Ok(project)
}

/// Loads a project that may still be changed (not archived).
pub async fn load_mutable(conn: &mut Conn, id: &str) -> AppResult<Project> {
    let project = project::find(conn, id).await?;
    if project.status == ARCHIVED {
        return Err(AppError::conflict("the project is archived"));
    }
    Ok(project)
}

#[utoipa::path(operation_id = "projects_create", post, path = "/api/v1/projects", tag = "projects", request_body = CreateProject,
    security(("bearer" = [])),
    responses((status = 201, body = ProjectView), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Json(req): Json<CreateProject>,
) -> AppResult<(StatusCode, Json<ProjectView>)> {
    let name = validate_name("name", &req.name, 200)?;
    let soft = req.soft_threshold_pct.unwrap_or(90);
    let hard = req.hard_threshold_pct.unwrap_or(100);
    validate_thresholds(soft, hard)?;
    validate_models(&req.allowed_models)?;
    let defaults = state.settings.get(&state.db).await?.policy_defaults;
    let policy = req.policy.over(Policy::from(&defaults))?;
    if req.description.len() > 2000 {
        return Err(AppError::validation(
            "description",
            "at most 2000 characters",
        ));
    }
    let now = now_micros();
    let period = period_name(req.budget_period);
    let project = Project {
        id: ids::new_id(ids::PROJECT),
        name,
        description: req.description,
        status: ACTIVE.to_owned(),
        budget_micros: req.budget_usd.micros(),
        period_started_at: project::current_period_start(&period, now).unwrap_or(now),
        budget_period: period,
        spent_micros: 0,
        reserved_micros: 0,
        soft_threshold_pct: i32::from(soft),
        hard_threshold_pct: i32::from(hard),
        allowed_models: to_json_text(&req.allowed_models)?,
        policy: to_json_text(&policy)?,
        created_by: admin.id().to_owned(),
        created_at: now,
        updated_at: now,
    };
    let mut conn = state.db.conn().await?;
    transaction!(conn, {
        project::insert(&mut conn, &project)
            .await
            .map_err(name_in_use)?;
        for member in &req.members {
            user::find_active(&mut conn, member)
                .await
                .map_err(|_| AppError::validation("members", format!("no user {member}")))?;
            project::add_member(&mut conn, &project.id, member, now).await?;
        }
        let event = Event {
            action: "project.create",
            target_type: "project",
            target_id: &project.id,
            before: None,
            after: Some(summary(&project)),
        };
        state.audit(&mut conn, &admin, event).await
    })?;
    Ok((StatusCode::CREATED, Json(ProjectView::try_from(&project)?)))
}

#[utoipa::path(operation_id = "projects_list", get, path = "/api/v1/projects", tag = "projects", params(ProjectListParams),
    security(("bearer" = [])),
    responses((status = 200, body = Page<ProjectView>), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    me: AuthUser,
    Query(params): Query<ProjectListParams>,
) -> AppResult<Json<Page<ProjectView>>> {
    let limit = fetch_limit(params.limit)?;
    let status = params.status.map(|s| match s {
        ProjectStatus::Active => ACTIVE,
        ProjectStatus::Paused => PAUSED,
        ProjectStatus::Archived => ARCHIVED,
    });
    let member = (!me.is_admin()).then(|| me.id());
    let after = params.cursor.as_deref().unwrap_or("");
    let mut conn = state.db.conn().await?;
    let mut rows = project::list(&mut conn, member, status, after, limit).await?;
    let now = now_micros();
    for row in &mut rows {
        project::roll_period(&mut conn, row, now).await?;
    }
    let page = Page::from_rows(rows, limit, |p| p.id.clone(), |p| ProjectView::try_from(&p));
    let items = page.items.into_iter().collect::<AppResult<Vec<_>>>()?;
    Ok(Json(Page {
        items,
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(operation_id = "projects_get", get, path = "/api/v1/projects/{project_id}", tag = "projects",
    params(("project_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ProjectView), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: AuthUser,
    Path(project_id): Path<String>,
) -> AppResult<Json<ProjectView>> {
    let mut conn = state.db.conn().await?;
    let project = load_visible(&mut conn, &me, &project_id).await?;
    Ok(Json(ProjectView::try_from(&project)?))
}

#[utoipa::path(operation_id = "projects_update", patch, path = "/api/v1/projects/{project_id}", tag = "projects",
    request_body = UpdateProject, params(("project_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ProjectView), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(project_id): Path<String>,
    Json(req): Json<UpdateProject>,
) -> AppResult<Json<ProjectView>> {
    let mut conn = state.db.conn().await?;
    let updated = transaction!(conn, {
        let before = load_mutable(&mut conn, &project_id).await?;
        let mut after = before.clone();
        if let Some(name) = &req.name {
            after.name = validate_name("name", name, 200)?;
        }
        if let Some(description) = &req.description {
            if description.len() > 2000 {
                return Err(AppError::validation(
                    "description",
                    "at most 2000 characters",
                ));
            }
            after.description = description.clone();
        }
        if let Some(budget) = req.budget_usd {
            after.budget_micros = budget.micros();
        }
        if let Some(period) = req.budget_period {
            after.budget_period = period_name(period);
        }
        let soft = req
            .soft_threshold_pct
            .unwrap_or(before.soft_threshold_pct as u8);
        let hard = req
            .hard_threshold_pct
            .unwrap_or(before.hard_threshold_pct as u8);
        validate_thresholds(soft, hard)?;
        after.soft_threshold_pct = i32::from(soft);
        after.hard_threshold_pct = i32::from(hard);
        if let Some(models) = &req.allowed_models {
            validate_models(models)?;
            after.allowed_models = to_json_text(models)?;
        }
        if let Some(policy) = &req.policy {
            let merged = policy.clone().over(parse_json(&before.policy)?)?;
            after.policy = to_json_text(&merged)?;
        }
        after.updated_at = now_micros();
        project::save_settings(&mut conn, &project_id, &after.settings())
            .await
            .map_err(name_in_use)?;
        let event = Event {
            action: "project.update",
            target_type: "project",
            target_id: &project_id,
            before: Some(summary(&before)),
            after: Some(summary(&after)),
        };
        state.audit(&mut conn, &admin, event).await?;
        Ok((before, after))
    })?;
    let (before, updated) = updated;
    if before.budget_micros != updated.budget_micros {
        let event = json!({"type": "budget_changed", "budget_micros": updated.budget_micros});
        state.control.publish(&project_id, None, event).await;
    }
    if before.policy != updated.policy || before.allowed_models != updated.allowed_models {
        let event = json!({"type": "policy_changed"});
        state.control.publish(&project_id, None, event).await;
    }
    Ok(Json(ProjectView::try_from(&updated)?))
}

/// Generates the pause / resume / archive handlers: the same conditional
/// status change and audit record, differing in the allowed source states.
macro_rules! status_change {
    ($handler:ident, $verb:literal, $from:expr, $to:expr) => {
        #[utoipa::path(operation_id = concat!("projects_", $verb), post, path = concat!("/api/v1/projects/{project_id}/", $verb), tag = "projects",
            params(("project_id" = String, Path)), security(("bearer" = [])),
            responses((status = 200, body = ProjectView), (status = "4XX", body = crate::error::ErrorBody)))]
        pub async fn $handler(
            State(state): State<AppState>,
            Admin(admin): Admin,
            Path(project_id): Path<String>,
        ) -> AppResult<Json<ProjectView>> {
            change_status(&state, &admin, &project_id, $verb, &$from, $to).await
        }
    };
}

status_change!(pause, "pause", [ACTIVE], PAUSED);
status_change!(resume, "resume", [PAUSED], ACTIVE);
status_change!(archive, "archive", [ACTIVE, PAUSED], ARCHIVED);

async fn change_status(
    state: &AppState,
    admin: &AuthUser,
    project_id: &str,
    verb: &str,
    from: &[&str],
    to: &str,
) -> AppResult<Json<ProjectView>> {
    let mut conn = state.db.conn().await?;
    let now = now_micros();
    let project = transaction!(conn, {
        let before = project::find(&mut conn, project_id).await?;
        if !project::transition(&mut conn, project_id, from, to, now).await? {
            return Err(AppError::conflict(format!(
                "cannot {verb} a project that is {}",
                before.status
            )));
        }
        if to != ACTIVE {
            // Kill switch: open leases are voided now (charged in full until
            // their holders' late settles correct them).
            ledger::expire(&mut conn, project_id, ledger::ExpireScope::All, now).await?;
        }
        let event = Event {
            action: &format!("project.{verb}"),
            target_type: "project",
            target_id: project_id,
            before: Some(json!({"status": before.status})),
            after: Some(json!({"status": to})),
        };
        state.audit(&mut conn, admin, event).await?;
        project::find(&mut conn, project_id).await
    })?;
    let event = if to == ACTIVE {
        json!({"type": "resumed"})
    } else {
        json!({"type": "paused"})
    };
    state.control.publish(project_id, None, event).await;
    Ok(Json(ProjectView::try_from(&project)?))
}

#[utoipa::path(operation_id = "projects_members", get, path = "/api/v1/projects/{project_id}/members", tag = "projects",
    params(("project_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<UserView>), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn members(
    State(state): State<AppState>,
    me: AuthUser,
    Path(project_id): Path<String>,
) -> AppResult<Json<Vec<UserView>>> {
    let mut conn = state.db.conn().await?;
    load_visible(&mut conn, &me, &project_id).await?;
    let members = project::members(&mut conn, &project_id).await?;
    Ok(Json(
        members
            .iter()
            .map(UserView::try_from)
            .collect::<AppResult<_>>()?,
    ))
}

#[utoipa::path(operation_id = "projects_add_member", post, path = "/api/v1/projects/{project_id}/members", tag = "projects",
    request_body = AddMember, params(("project_id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn add_member(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(project_id): Path<String>,
    Json(req): Json<AddMember>,
) -> AppResult<StatusCode> {
    let mut conn = state.db.conn().await?;
    transaction!(conn, {
        load_mutable(&mut conn, &project_id).await?;
        user::find_active(&mut conn, &req.user_id).await?;
        project::add_member(&mut conn, &project_id, &req.user_id, now_micros()).await?;
        let event = Event {
            action: "project.member_add",
            target_type: "project",
            target_id: &project_id,
            before: None,
            after: Some(json!({"user_id": req.user_id})),
        };
        state.audit(&mut conn, &admin, event).await
    })?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(operation_id = "projects_remove_member", delete, path = "/api/v1/projects/{project_id}/members/{user_id}", tag = "projects",
    params(("project_id" = String, Path), ("user_id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn remove_member(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path((project_id, user_id)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let mut conn = state.db.conn().await?;
    transaction!(conn, {
        if !project::remove_member(&mut conn, &project_id, &user_id).await? {
            return Err(AppError::not_found("membership"));
        }
        let event = Event {
            action: "project.member_remove",
            target_type: "project",
            target_id: &project_id,
            before: Some(json!({"user_id": user_id})),
            after: None,
        };
        state.audit(&mut conn, &admin, event).await
    })?;
    Ok(StatusCode::NO_CONTENT)
}
