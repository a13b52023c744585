//! Team management: who is on the server and with which role.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use crate::audit::{Actor, Event};
use crate::auth::{Admin, AuthUser};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ids::{self, sha256_hex};
use crate::models::ic_key;
use crate::models::session::{self, Invitation};
use crate::models::user::{self, Role, User};
use crate::pagination::{Page, fetch_limit};
use crate::routes::auth::validate_email;
use crate::routes::keys::{KeyStatusChange, announce_status, apply_status_change};
use crate::state::AppState;
use crate::time::{MICROS_PER_SECOND, now_micros, to_iso};
use crate::transaction;

const INVITATION_TTL_SECS: i64 = 7 * 24 * 3600;

#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub created_at: String,
}

impl TryFrom<&User> for UserView {
    type Error = AppError;

    fn try_from(user: &User) -> AppResult<Self> {
        Ok(UserView {
            id: user.id.clone(),
            email: user.email.clone(),
            name: user.name.clone(),
            role: user.role()?,
            created_at: to_iso(user.created_at),
        })
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    #[schema(format = "email", max_length = 254)]
    pub email: String,
    pub role: Role,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationCreated {
    pub id: String,
    pub email: String,
    pub role: Role,
    /// Shown once: the invitee passes it to `POST /api/v1/auth/register`.
    pub invitation_token: String,
    pub expires_at: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    pub role: Role,
}

#[utoipa::path(operation_id = "users_me", get, path = "/api/v1/users/me", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn me(me: AuthUser) -> AppResult<Json<UserView>> {
    Ok(Json(UserView::try_from(&me.user)?))
}

#[utoipa::path(operation_id = "users_list", get, path = "/api/v1/users", tag = "users", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = Page<UserView>), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    Query(params): Query<ListParams>,
) -> AppResult<Json<Page<UserView>>> {
    let limit = fetch_limit(params.limit)?;
    let mut conn = state.db.conn().await?;
    let rows = user::list_active(&mut conn, params.cursor.as_deref(), limit).await?;
    let page = Page::from_rows(rows, limit, |u| u.id.clone(), |u| UserView::try_from(&u));
    let items = page.items.into_iter().collect::<AppResult<Vec<_>>>()?;
    Ok(Json(Page {
        items,
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(operation_id = "users_invite", post, path = "/api/v1/invitations", tag = "users", request_body = InviteRequest,
    security(("bearer" = [])),
    responses((status = 201, body = InvitationCreated), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn invite(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Json(req): Json<InviteRequest>,
) -> AppResult<(StatusCode, Json<InvitationCreated>)> {
    let email = validate_email(&req.email)?;
    let token = format!("inv_{}", ids::random_base62(32));
    let now = now_micros();
    let invitation = Invitation {
        id: ids::new_id(ids::INVITATION),
        email,
        role: req.role.as_str().to_owned(),
        token_hash: sha256_hex(&token),
        invited_by: admin.id().to_owned(),
        expires_at: now + INVITATION_TTL_SECS * MICROS_PER_SECOND,
        accepted_at: None,
        created_at: now,
    };
    let mut conn = state.db.conn().await?;
    transaction!(conn, {
        if user::find_active_by_email(&mut conn, &invitation.email)
            .await?
            .is_some()
        {
            return Err(AppError::conflict(
                "an account with this email already exists",
            ));
        }
        session::insert_invitation(&mut conn, &invitation).await?;
        let event = Event {
            action: "user.invite",
            target_type: "invitation",
            target_id: &invitation.id,
            before: None,
            after: Some(json!({"email": invitation.email, "role": invitation.role})),
        };
        state.audit(&mut conn, &admin, event).await
    })?;
    Ok((
        StatusCode::CREATED,
        Json(InvitationCreated {
            id: invitation.id,
            email: invitation.email,
            role: req.role,
            invitation_token: token,
            expires_at: to_iso(invitation.expires_at),
        }),
    ))
}

#[utoipa::path(operation_id = "users_set_role", put, path = "/api/v1/users/{user_id}/role", tag = "users", request_body = RoleChange,
    params(("user_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn set_role(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(user_id): Path<String>,
    Json(req): Json<RoleChange>,
) -> AppResult<Json<UserView>> {
    let mut conn = state.db.conn().await?;
    let updated = transaction!(conn, {
        let mut target = user::find_active(&mut conn, &user_id).await?;
        let before = target.role.clone();
        if req.role != Role::Admin && target.role()? == Role::Admin {
            ensure_another_admin(&mut conn).await?;
        }
        let now = now_micros();
        user::set_role(&mut conn, &target.id, req.role, now).await?;
        target.role = req.role.as_str().to_owned();
        let event = Event {
            action: "user.role_change",
            target_type: "user",
            target_id: &target.id,
            before: Some(json!({"role": before})),
            after: Some(json!({"role": target.role})),
        };
        state.audit(&mut conn, &admin, event).await?;
        Ok(target)
    })?;
    Ok(Json(UserView::try_from(&updated)?))
}

#[utoipa::path(operation_id = "users_remove", delete, path = "/api/v1/users/{user_id}", tag = "users",
    params(("user_id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(user_id): Path<String>,
) -> AppResult<StatusCode> {
    let mut conn = state.db.conn().await?;
    let revoked_keys = transaction!(conn, {
        let target = user::find_active(&mut conn, &user_id).await?;
        if target.role()? == Role::Admin {
            ensure_another_admin(&mut conn).await?;
        }
        let now = now_micros();
        user::mark_removed(&mut conn, &target, now).await?;
        // Access ends with the account: sessions and the person's IC keys.
        session::revoke_all_for_user(&mut conn, &target.id, now).await?;
        // Through the one key status path: leases voided, alerts raised.
        let actor = Actor::from(&admin);
        let mut revoked_keys = Vec::new();
        for key in ic_key::unrevoked_for_owner(&mut conn, &target.id).await? {
            let change = KeyStatusChange::Revoke;
            revoked_keys
                .push(apply_status_change(&state, &mut conn, &actor, &key.id, change).await?);
        }
        let event = Event {
            action: "user.remove",
            target_type: "user",
            target_id: &target.id,
            before: Some(json!({"email": target.email, "role": target.role})),
            after: Some(json!({"ic_keys_revoked": revoked_keys.len()})),
        };
        state.audit(&mut conn, &admin, event).await?;
        Ok(revoked_keys)
    })?;
    for key in &revoked_keys {
        announce_status(&state, key).await;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Refuses to demote or remove the last admin, which would lock everyone out.
async fn ensure_another_admin(conn: &mut crate::db::Conn) -> AppResult<()> {
    if user::count_active_admins(conn).await? <= 1 {
        return Err(AppError::conflict(
            "the server must keep at least one admin",
        ));
    }
    Ok(())
}
