//! Extractors that authenticate the caller and enforce roles. Every admin
//! route takes one of them, so a missing check fails to compile, not open.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::error::{AppError, AppResult};
use crate::models::user::{self, Role, User};
use crate::state::AppState;

/// The signed-in user (any role), loaded fresh so removal and role changes
/// apply at once, not when the access token expires.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: User,
    pub role: Role,
    pub ip: IpAddr,
}

/// A signed-in user with the `admin` role.
#[derive(Debug, Clone)]
pub struct Admin(pub AuthUser);

/// The peer address of the TCP connection.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl AuthUser {
    pub fn id(&self) -> &str {
        &self.user.id
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> AppResult<Self> {
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| ClientIp(addr.ip()))
            .ok_or_else(|| AppError::internal("server started without connect info"))
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let ClientIp(ip) = ClientIp::from_request_parts(parts, state).await?;
        let token = bearer_token(parts)?;
        if token.starts_with("ic_") {
            return Err(AppError::unauthorized(
                "IC keys are accepted only by the SDK protocol, not by the admin API",
            ));
        }
        let claims = state.keys.jwt.verify(token)?;
        let mut conn = state.db.conn().await?;
        let user = user::find(&mut conn, &claims.sub)
            .await?
            .filter(|u| u.status == user::STATUS_ACTIVE)
            .ok_or_else(|| AppError::unauthorized("account no longer exists"))?;
        let role = user.role()?;
        Ok(AuthUser { user, role, ip })
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        if !user.is_admin() {
            return Err(AppError::forbidden("this action needs the admin role"));
        }
        Ok(Admin(user))
    }
}

pub(crate) fn bearer_token(parts: &Parts) -> AppResult<&str> {
    let header = parts
        .headers
        .get(AUTHORIZATION)
        .ok_or_else(|| AppError::unauthorized("missing `Authorization: Bearer <token>` header"))?;
    header
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| AppError::unauthorized("malformed Authorization header"))
}
