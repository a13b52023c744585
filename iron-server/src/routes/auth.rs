//! Registration, login, token refresh and logout, password change.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Event};
use crate::auth::tokens::new_refresh_token;
use crate::auth::{AuthUser, ClientIp, password};
use crate::db::Conn;
use crate::error::{AppError, AppResult};
use crate::extract::Json;
use crate::ids::{self, sha256_hex};
use crate::models::session::{self, RefreshToken};
use crate::models::user::{self, Role, STATUS_ACTIVE, User};
use crate::routes::users::UserView;
use crate::state::AppState;
use crate::time::{MICROS_PER_SECOND, now_micros};
use crate::transaction;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(format = "email", max_length = 254)]
    pub email: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
    /// Required for everyone but the very first user.
    pub invitation_token: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeRequest {
    pub current_password: String,
    #[schema(min_length = 10, max_length = 256)]
    pub new_password: String,
}

#[derive(Serialize, ToSchema)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: &'static str,
    /// Access token lifetime in seconds.
    pub expires_in: i64,
    pub user: UserView,
}

const REGISTRATION_LOCK: i64 = 0x1C_0001;

pub fn validate_email(email: &str) -> AppResult<String> {
    let email = email.trim().to_lowercase();
    let well_formed = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    if !well_formed {
        return Err(AppError::validation("email", "must be an email address"));
    }
    Ok(email)
}

pub fn validate_name(field: &str, name: &str, max: usize) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > max {
        return Err(AppError::validation(
            field,
            format!("must be 1 to {max} characters"),
        ));
    }
    Ok(name.to_owned())
}

#[utoipa::path(operation_id = "auth_register", post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = Session), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<RegisterRequest>,
) -> AppResult<(StatusCode, Json<Session>)> {
    let email = validate_email(&req.email)?;
    let name = validate_name("name", &req.name, 100)?;
    password::validate(&req.password, "password")?;
    let password_hash = password::hash(req.password).await?;
    let mut conn = state.db.conn().await?;
    let user = transaction!(conn, {
        conn.lock_for_transaction(REGISTRATION_LOCK).await?;
        let role = if user::count_all(&mut conn).await? == 0 {
            Role::Admin
        } else {
            accept_invitation(&mut conn, req.invitation_token.as_deref(), &email).await?
        };
        let now = now_micros();
        let user = User {
            id: ids::new_id(ids::USER),
            email,
            name,
            password_hash,
            role: role.as_str().to_owned(),
            status: STATUS_ACTIVE.to_owned(),
            created_at: now,
            updated_at: now,
        };
        if user::find_active_by_email(&mut conn, &user.email)
            .await?
            .is_some()
        {
            return Err(AppError::conflict(
                "an account with this email already exists",
            ));
        }
        user::insert(&mut conn, &user).await?;
        let actor = Actor {
            user_id: Some(user.id.clone()),
            ip: Some(ip.to_string()),
        };
        let event = Event {
            action: "user.register",
            target_type: "user",
            target_id: &user.id,
            before: None,
            after: Some(json!({"email": user.email, "role": user.role})),
        };
        audit::record(&mut conn, &state.keys.audit_hmac, &actor, event).await?;
        Ok::<_, AppError>(user)
    })?;
    let session = issue_session(&mut conn, &state, user).await?;
    Ok((StatusCode::CREATED, Json(session)))
}

async fn accept_invitation(conn: &mut Conn, token: Option<&str>, email: &str) -> AppResult<Role> {
    let not_invited = || AppError::forbidden("registration needs an invitation from an admin");
    let token = token.ok_or_else(not_invited)?;
    let now = now_micros();
    let invitation = session::find_open_invitation(conn, &sha256_hex(token), now)
        .await?
        .filter(|inv| inv.email == email)
        .ok_or_else(not_invited)?;
    if !session::accept_invitation(conn, &invitation.id, now).await? {
        return Err(not_invited());
    }
    Role::parse(&invitation.role)
}

#[utoipa::path(operation_id = "auth_login", post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Session), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<LoginRequest>,
) -> AppResult<Json<Session>> {
    state.login_limiter.check(ip, &req.email)?;
    let mut conn = state.db.conn().await?;
    let user = user::find_active_by_email(&mut conn, req.email.trim()).await?;
    let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
    let valid = password::verify(req.password, stored_hash).await?;
    match user {
        Some(user) if valid => Ok(Json(issue_session(&mut conn, &state, user).await?)),
        _ => {
            tracing::info!(%ip, "failed login");
            Err(AppError::unauthorized("wrong email or password"))
        }
    }
}

#[utoipa::path(operation_id = "auth_refresh", post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = Session), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn refresh(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> AppResult<Json<Session>> {
    let invalid = || AppError::unauthorized("invalid or expired refresh token");
    let mut conn = state.db.conn().await?;
    let now = now_micros();
    let token = session::find_refresh(&mut conn, &sha256_hex(&req.refresh_token))
        .await?
        .ok_or_else(invalid)?;
    // A used token presented again means it was stolen: end the whole family.
    if token.revoked_at.is_some() || !session::consume_refresh(&mut conn, &token.id, now).await? {
        session::revoke_family(&mut conn, &token.family_id, now).await?;
        tracing::warn!(user_id = %token.user_id, "refresh token reuse; session family revoked");
        return Err(invalid());
    }
    if token.expires_at <= now {
        return Err(invalid());
    }
    let user = user::find(&mut conn, &token.user_id)
        .await?
        .filter(|u| u.status == STATUS_ACTIVE)
        .ok_or_else(invalid)?;
    let session = issue_session_in_family(&mut conn, &state, user, token.family_id).await?;
    Ok(Json(session))
}

#[utoipa::path(operation_id = "auth_logout", post, path = "/api/v1/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses((status = 204), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> AppResult<StatusCode> {
    let mut conn = state.db.conn().await?;
    if let Some(token) = session::find_refresh(&mut conn, &sha256_hex(&req.refresh_token)).await? {
        session::revoke_family(&mut conn, &token.family_id, now_micros()).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(operation_id = "auth_change_password", post, path = "/api/v1/auth/password", tag = "auth", request_body = PasswordChangeRequest,
    security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    me: AuthUser,
    Json(req): Json<PasswordChangeRequest>,
) -> AppResult<StatusCode> {
    password::validate(&req.new_password, "new_password")?;
    if !password::verify(req.current_password, Some(me.user.password_hash.clone())).await? {
        return Err(AppError::unauthorized("current password is wrong"));
    }
    let hash = password::hash(req.new_password).await?;
    let mut conn = state.db.conn().await?;
    transaction!(conn, {
        let now = now_micros();
        user::set_password_hash(&mut conn, me.id(), &hash, now).await?;
        // Other sessions may belong to whoever knew the old password.
        session::revoke_all_for_user(&mut conn, me.id(), now).await?;
        let event = Event {
            action: "user.password_change",
            target_type: "user",
            target_id: me.id(),
            before: None,
            after: None,
        };
        state.audit(&mut conn, &me, event).await
    })?;
    Ok(StatusCode::NO_CONTENT)
}

async fn issue_session(conn: &mut Conn, state: &AppState, user: User) -> AppResult<Session> {
    issue_session_in_family(conn, state, user, ids::new_id(ids::REFRESH_TOKEN)).await
}

async fn issue_session_in_family(
    conn: &mut Conn,
    state: &AppState,
    user: User,
    family_id: String,
) -> AppResult<Session> {
    let now = now_micros();
    let ttl = state.config.access_token_ttl_secs;
    let access_token = state
        .keys
        .jwt
        .issue(&user.id, now / MICROS_PER_SECOND, ttl)?;
    let refresh_token = new_refresh_token();
    let row = RefreshToken {
        id: ids::new_id(ids::REFRESH_TOKEN),
        user_id: user.id.clone(),
        family_id,
        token_hash: sha256_hex(&refresh_token),
        expires_at: now + state.config.refresh_token_ttl_secs * MICROS_PER_SECOND,
        revoked_at: None,
        created_at: now,
    };
    session::insert_refresh(conn, &row).await?;
    Ok(Session {
        access_token,
        refresh_token,
        token_type: "Bearer",
        expires_in: ttl,
        user: UserView::try_from(&user)?,
    })
}
