//! The IC-key extractor of every SDK route: `Authorization: Bearer ic_…`,
//! looked up by SHA-256, then the contract's checks in order. A JWT never
//! passes here (and an IC key never passes the admin extractors).

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;

use crate::auth::ClientIp;
use crate::auth::extract::bearer_token;
use crate::error::{AppError, AppResult};
use crate::ids::sha256_hex;
use crate::ledger;
use crate::models::ic_key::{self, IcKey};
use crate::models::project::{self, Project};
use crate::routes::keys::{KEY_PREFIX, KeyProblem, SECRET_LEN, key_problem};
use crate::state::AppState;
use crate::time::now_micros;

/// The key of an SDK call, with its project, both loaded fresh.
#[derive(Debug, Clone)]
pub struct SdkCaller {
    pub key: IcKey,
    pub project: Project,
    pub ip: IpAddr,
}

fn unauthenticated(message: &str) -> AppError {
    AppError::new(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", message)
}

pub fn problem_error(problem: KeyProblem) -> AppError {
    match problem {
        KeyProblem::UnknownKey => unauthenticated("unknown key"),
        KeyProblem::KeyExpired => AppError::new(
            StatusCode::UNAUTHORIZED,
            "KEY_EXPIRED",
            "the key has expired",
        ),
        KeyProblem::KeyRevoked => ledger::key_revoked(),
        KeyProblem::KeySuspended => ledger::key_suspended(),
        KeyProblem::IpNotAllowed => AppError::new(
            StatusCode::FORBIDDEN,
            "IP_NOT_ALLOWED",
            "this key may not be used from this address",
        ),
        KeyProblem::ProjectPaused => ledger::project_paused(),
        KeyProblem::ProjectArchived => ledger::project_archived(),
    }
}

/// A caller allowed to settle: like [`SdkCaller`], but a revoked or
/// suspended key and a paused or archived project still pass, so the holder
/// of a voided lease can report what it really spent (a settle only ever
/// records spend; its `next` lease is refused by the ledger). Unknown and
/// expired keys and addresses outside the allowlist are refused as usual.
#[derive(Debug, Clone)]
pub struct SdkSettler(pub SdkCaller);

impl FromRequestParts<AppState> for SdkCaller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        authenticate(parts, state, false).await
    }
}

impl FromRequestParts<AppState> for SdkSettler {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        authenticate(parts, state, true).await.map(SdkSettler)
    }
}

async fn authenticate(parts: &mut Parts, state: &AppState, settling: bool) -> AppResult<SdkCaller> {
    let ClientIp(ip) = ClientIp::from_request_parts(parts, state).await?;
    let token = bearer_token(parts)
        .map_err(|_| unauthenticated("missing `Authorization: Bearer ic_…` header"))?;
    if !token.starts_with(KEY_PREFIX) || token.len() != KEY_PREFIX.len() + SECRET_LEN {
        return Err(unauthenticated("the SDK protocol takes an `ic_` key"));
    }
    let mut conn = state.db.conn().await?;
    let key = ic_key::find_by_hash(&mut conn, &sha256_hex(token))
        .await?
        .ok_or_else(|| unauthenticated("unknown key"))?;
    let project = project::find(&mut conn, &key.project_id).await?;
    let problem = if settling {
        // The same checks with the statuses taken as active: expiry and IP only.
        let probe = IcKey {
            status: ic_key::ACTIVE.to_owned(),
            ..key.clone()
        };
        key_problem(&probe, project::ACTIVE, Some(ip), now_micros())?
    } else {
        key_problem(&key, &project.status, Some(ip), now_micros())?
    };
    if let Some(problem) = problem {
        return Err(problem_error(problem));
    }
    drop(conn);
    // Settles are never throttled: they only report spend and return money,
    // and a lease bounds how many a key can make.
    if !settling {
        crate::ratelimit::check_sdk_rate(state, &key.id, &key.project_id).await?;
    }
    Ok(SdkCaller { key, project, ip })
}
