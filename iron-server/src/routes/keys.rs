//! IC keys: the credentials developers give the SDK. The full key is shown
//! once, at creation; the server keeps its SHA-256 hash and a display prefix.

use axum::extract::State;
use axum::http::StatusCode;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use crate::audit::{self, Actor, Event};
use crate::auth::{Admin, AuthUser};
use crate::db::Conn;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ids::{self, sha256_hex};
use crate::ledger::{
    self,
    alerts::{self, Alert},
};
use crate::models::ic_key::{self, ACTIVE, IcKey, REVOKED, SUSPENDED};
use crate::models::{project, user};
use crate::money::Usd;
use crate::pagination::{Page, fetch_limit};
use crate::routes::auth::validate_name;
use crate::routes::projects::{load_mutable, load_visible};
use crate::state::AppState;
use crate::time::{now_micros, parse_iso, to_iso};
use crate::transaction;

pub const KEY_PREFIX: &str = "ic_";
pub const SECRET_LEN: usize = 32;
const DISPLAY_CHARS: usize = 8;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateKey {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// The developer who will use the key; defaults to the caller.
    pub owner_id: Option<String>,
    pub spend_limit_usd: Option<Usd>,
    /// CIDRs (or single addresses) the key may be used from; empty: any.
    #[serde(default)]
    pub ip_allowlist: Vec<String>,
    /// ISO-8601 time after which the key stops working.
    pub expires_at: Option<String>,
}

/// Any subset of a key's settings; absent fields stay as they are, `null`
/// clears the limit or the expiry. Takes effect on the key's next SDK call.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateKey {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    /// Lifetime limit; below what the key already spent and reserved is a 409.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<Usd>)]
    pub spend_limit_usd: Option<Option<Usd>>,
    /// Replaces the allowlist; empty: any address.
    pub ip_allowlist: Option<Vec<String>>,
    /// A future ISO-8601 time, or `null` for no expiry.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub expires_at: Option<Option<String>>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum KeyStatus {
    Active,
    Suspended,
    Revoked,
}

#[derive(Serialize, ToSchema)]
pub struct KeyView {
    pub id: String,
    pub project_id: String,
    pub owner_id: String,
    pub name: String,
    /// The first characters of the key, enough to recognise it.
    pub display_prefix: String,
    pub status: KeyStatus,
    pub spend_limit_usd: Option<Usd>,
    pub spent_usd: Usd,
    /// Held by the key's open leases; counts against its limit like spend.
    pub reserved_usd: Usd,
    pub ip_allowlist: Vec<String>,
    pub expires_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct KeyCreated {
    /// The full key. Shown only in this response; store it now.
    pub key: String,
    #[serde(flatten)]
    pub details: KeyView,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct KeyListParams {
    pub project_id: Option<String>,
    /// Admins only: keys of one owner.
    pub owner_id: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

impl TryFrom<&IcKey> for KeyView {
    type Error = AppError;

    fn try_from(key: &IcKey) -> AppResult<Self> {
        let status = match key.status.as_str() {
            ACTIVE => KeyStatus::Active,
            SUSPENDED => KeyStatus::Suspended,
            REVOKED => KeyStatus::Revoked,
            other => return Err(AppError::internal(format!("unknown key status {other}"))),
        };
        Ok(KeyView {
            id: key.id.clone(),
            project_id: key.project_id.clone(),
            owner_id: key.owner_id.clone(),
            name: key.name.clone(),
            display_prefix: key.display_prefix.clone(),
            status,
            spend_limit_usd: key.spend_limit_micros.map(Usd),
            spent_usd: Usd(key.spent_micros),
            reserved_usd: Usd(key.reserved_micros),
            ip_allowlist: serde_json::from_str(&key.ip_allowlist).map_err(AppError::internal)?,
            expires_at: key.expires_at.map(to_iso),
            created_at: to_iso(key.created_at),
            updated_at: to_iso(key.updated_at),
        })
    }
}

fn parse_allowlist(entries: &[String]) -> AppResult<Vec<String>> {
    if entries.len() > 100 {
        return Err(AppError::validation("ip_allowlist", "at most 100 entries"));
    }
    entries
        .iter()
        .map(|entry| {
            let net = entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    AppError::validation("ip_allowlist", format!("`{entry}` is not a CIDR or IP"))
                })?;
            Ok(net.trunc().to_string())
        })
        .collect()
}

fn summary(key: &IcKey) -> serde_json::Value {
    json!({
        "name": key.name,
        "display_prefix": key.display_prefix,
        "owner_id": key.owner_id,
        "status": key.status,
        "spend_limit_usd": key.spend_limit_micros.map(|m| Usd(m).to_string()),
        "ip_allowlist": key.ip_allowlist,
        "expires_at": key.expires_at.map(to_iso),
    })
}

fn parse_expiry(text: &str, now: i64) -> AppResult<i64> {
    parse_iso(text)
        .filter(|t| *t > now)
        .ok_or_else(|| AppError::validation("expires_at", "must be a future ISO-8601 time"))
}

#[utoipa::path(operation_id = "keys_create", post, path = "/api/v1/projects/{project_id}/keys", tag = "keys",
    request_body = CreateKey, params(("project_id" = String, Path)), security(("bearer" = [])),
    responses((status = 201, body = KeyCreated), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(project_id): Path<String>,
    Json(req): Json<CreateKey>,
) -> AppResult<(StatusCode, Json<KeyCreated>)> {
    let name = validate_name("name", &req.name, 100)?;
    let ip_allowlist = parse_allowlist(&req.ip_allowlist)?;
    let now = now_micros();
    let expires_at = req
        .expires_at
        .as_deref()
        .map(|text| parse_expiry(text, now))
        .transpose()?;
    let secret = format!("{KEY_PREFIX}{}", ids::random_base62(SECRET_LEN));
    let owner_id = req
        .owner_id
        .clone()
        .unwrap_or_else(|| admin.id().to_owned());
    let key = IcKey {
        id: ids::new_id(ids::KEY),
        project_id: project_id.clone(),
        owner_id,
        name,
        key_hash: sha256_hex(&secret),
        display_prefix: secret[..KEY_PREFIX.len() + DISPLAY_CHARS].to_owned(),
        spend_limit_micros: req.spend_limit_usd.map(Usd::micros),
        spent_micros: 0,
        ip_allowlist: to_json(&ip_allowlist)?,
        expires_at,
        status: ACTIVE.to_owned(),
        created_by: admin.id().to_owned(),
        created_at: now,
        updated_at: now,
        reserved_micros: 0,
    };
    let mut conn = state.db.conn().await?;
    transaction!(conn, {
        load_mutable(&mut conn, &project_id).await?;
        user::find_active(&mut conn, &key.owner_id)
            .await
            .map_err(|_| AppError::validation("owner_id", "no such user"))?;
        // The owner needs the project to use its key.
        project::add_member(&mut conn, &project_id, &key.owner_id, now).await?;
        ic_key::insert(&mut conn, &key).await?;
        let event = Event {
            action: "key.create",
            target_type: "ic_key",
            target_id: &key.id,
            before: None,
            after: Some(summary(&key)),
        };
        state.audit(&mut conn, &admin, event).await
    })?;
    let details = KeyView::try_from(&key)?;
    Ok((
        StatusCode::CREATED,
        Json(KeyCreated {
            key: secret,
            details,
        }),
    ))
}

/// Admins see every key; developers see their own.
#[utoipa::path(operation_id = "keys_list", get, path = "/api/v1/keys", tag = "keys", params(KeyListParams),
    security(("bearer" = [])),
    responses((status = 200, body = Page<KeyView>), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    me: AuthUser,
    Query(params): Query<KeyListParams>,
) -> AppResult<Json<Page<KeyView>>> {
    let limit = fetch_limit(params.limit)?;
    let mut conn = state.db.conn().await?;
    let owner = if me.is_admin() {
        params.owner_id.as_deref()
    } else {
        Some(me.id())
    };
    if let Some(project_id) = &params.project_id {
        load_visible(&mut conn, &me, project_id).await?;
    }
    let after = params.cursor.as_deref().unwrap_or("");
    let rows = ic_key::list(&mut conn, params.project_id.as_deref(), owner, after, limit).await?;
    let page = Page::from_rows(rows, limit, |k| k.id.clone(), |k| KeyView::try_from(&k));
    let items = page.items.into_iter().collect::<AppResult<Vec<_>>>()?;
    Ok(Json(Page {
        items,
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(operation_id = "keys_update", patch, path = "/api/v1/keys/{key_id}", tag = "keys",
    request_body = UpdateKey, params(("key_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = KeyView), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(key_id): Path<String>,
    Json(req): Json<UpdateKey>,
) -> AppResult<Json<KeyView>> {
    let now = now_micros();
    let name = req
        .name
        .as_deref()
        .map(|name| validate_name("name", name, 100))
        .transpose()?;
    let ip_allowlist = req
        .ip_allowlist
        .as_deref()
        .map(|entries| parse_allowlist(entries).and_then(|list| to_json(&list)))
        .transpose()?;
    let expires_at = match &req.expires_at {
        Some(Some(text)) => Some(Some(parse_expiry(text, now)?)),
        Some(None) => Some(None),
        None => None,
    };
    let mut conn = state.db.conn().await?;
    let key = transaction!(conn, {
        let before = ic_key::find(&mut conn, &key_id).await?;
        if before.status == REVOKED {
            return Err(AppError::conflict(
                "the key is revoked and cannot be changed",
            ));
        }
        load_mutable(&mut conn, &before.project_id).await?;
        // Project row first: the ledger's lock order (project → key → lease),
        // so the key's spent / reserved cannot move under the limit check.
        ledger::lock_project(&mut conn, &before.project_id).await?;
        let edit = ic_key::KeyEdit {
            name: name.as_deref().unwrap_or(&before.name),
            spend_limit_micros: match req.spend_limit_usd {
                Some(limit) => limit.map(Usd::micros),
                None => before.spend_limit_micros,
            },
            ip_allowlist: ip_allowlist.as_deref().unwrap_or(&before.ip_allowlist),
            expires_at: expires_at.unwrap_or(before.expires_at),
        };
        if !ic_key::edit(&mut conn, &key_id, &edit, now).await? {
            let used = ic_key::find(&mut conn, &key_id).await?;
            return Err(AppError::conflict_on(
                "spend_limit_usd",
                format!(
                    "below what the key already spent and holds in open leases (${})",
                    Usd(used.spent_micros + used.reserved_micros)
                ),
            ));
        }
        let after = ic_key::find(&mut conn, &key_id).await?;
        let event = Event {
            action: "key.update",
            target_type: "ic_key",
            target_id: &key_id,
            before: Some(summary(&before)),
            after: Some(summary(&after)),
        };
        state.audit(&mut conn, &admin, event).await?;
        Ok(after)
    })?;
    Ok(Json(KeyView::try_from(&key)?))
}

fn to_json<T: Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(AppError::internal)
}

/// A change of an IC key's status. Revocation is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStatusChange {
    Revoke,
    Suspend,
    Resume,
}

impl KeyStatusChange {
    pub fn verb(self) -> &'static str {
        match self {
            KeyStatusChange::Revoke => "revoke",
            KeyStatusChange::Suspend => "suspend",
            KeyStatusChange::Resume => "resume",
        }
    }

    fn allowed_from(self) -> &'static [&'static str] {
        match self {
            KeyStatusChange::Revoke => &[ACTIVE, SUSPENDED],
            KeyStatusChange::Suspend => &[ACTIVE],
            KeyStatusChange::Resume => &[SUSPENDED],
        }
    }

    pub fn target(self) -> &'static str {
        match self {
            KeyStatusChange::Revoke => REVOKED,
            KeyStatusChange::Suspend => SUSPENDED,
            KeyStatusChange::Resume => ACTIVE,
        }
    }
}

/// The one path of every key status change (admin routes, the anomaly
/// detector's auto-suspend): a conditional update plus its audit record.
/// Call inside a transaction; a key not in a state the change allows is a
/// 409 and changes nothing. Returns the key as it is now.
pub async fn apply_status_change(
    state: &AppState,
    conn: &mut Conn,
    actor: &Actor,
    key_id: &str,
    change: KeyStatusChange,
) -> AppResult<IcKey> {
    let before = ic_key::find(conn, key_id).await?;
    let to = change.target();
    let now = now_micros();
    // Project row first: the ledger's lock order (project → key → lease).
    ledger::lock_project(conn, &before.project_id).await?;
    if !ic_key::transition(conn, key_id, change.allowed_from(), to, now).await? {
        return Err(AppError::conflict(format!(
            "cannot {} a key that is {}",
            change.verb(),
            before.status
        )));
    }
    if to != ACTIVE {
        // Kill switch: the key's open leases are voided now (charged in
        // full until their holders' late settles correct them).
        let scope = ledger::ExpireScope::Key(key_id);
        let voided = ledger::expire(conn, &before.project_id, scope, now).await?;
        let alert = Alert {
            project_id: &before.project_id,
            key_id: Some(key_id),
            kind: if to == REVOKED {
                "key_revoked"
            } else {
                "key_suspended"
            },
            severity: "warning",
            message: format!("key {} was {}", before.display_prefix, to),
            data: json!({"key_id": key_id, "by": actor.user_id, "leases_voided": voided}),
        };
        alerts::raise(conn, alert, None, now).await?;
    }
    let event = Event {
        action: &format!("key.{}", change.verb()),
        target_type: "ic_key",
        target_id: key_id,
        before: Some(json!({"status": before.status})),
        after: Some(json!({"status": to})),
    };
    audit::record(conn, &state.keys.audit_hmac, actor, event).await?;
    ic_key::find(conn, key_id).await
}

/// Tells the key's open SDK sessions (every replica) about its new status.
/// Call after the status change committed.
pub async fn announce_status(state: &AppState, key: &IcKey) {
    let event = match key.status.as_str() {
        REVOKED => json!({"type": "revoked", "reason": "the key was revoked by an admin"}),
        SUSPENDED => json!({"type": "suspended"}),
        _ => json!({"type": "resumed"}),
    };
    state
        .control
        .publish(&key.project_id, Some(&key.id), event)
        .await;
}

/// Generates the revoke / suspend / resume routes.
macro_rules! key_status_change {
    ($handler:ident, $verb:literal, $change:expr) => {
        #[utoipa::path(operation_id = concat!("keys_", $verb), post, path = concat!("/api/v1/keys/{key_id}/", $verb), tag = "keys",
            params(("key_id" = String, Path)), security(("bearer" = [])),
            responses((status = 200, body = KeyView), (status = "4XX", body = crate::error::ErrorBody)))]
        pub async fn $handler(
            State(state): State<AppState>,
            Admin(admin): Admin,
            Path(key_id): Path<String>,
        ) -> AppResult<Json<KeyView>> {
            let mut conn = state.db.conn().await?;
            let actor = Actor::from(&admin);
            let key = transaction!(conn, {
                apply_status_change(&state, &mut conn, &actor, &key_id, $change).await
            })?;
            announce_status(&state, &key).await;
            Ok(Json(KeyView::try_from(&key)?))
        }
    };
}

key_status_change!(revoke, "revoke", KeyStatusChange::Revoke);
key_status_change!(suspend, "suspend", KeyStatusChange::Suspend);
key_status_change!(resume, "resume", KeyStatusChange::Resume);

/// Why a key would be refused by the SDK protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KeyProblem {
    UnknownKey,
    KeyRevoked,
    KeySuspended,
    KeyExpired,
    IpNotAllowed,
    ProjectPaused,
    ProjectArchived,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectKey {
    /// The full `ic_` key, e.g. one a developer reports.
    pub key: String,
    /// Check the IP allowlist for this client address.
    pub ip: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct KeyInspection {
    pub valid: bool,
    pub problem: Option<KeyProblem>,
    /// The key's record, when the key exists.
    pub details: Option<KeyView>,
}

/// The checks the SDK handshake applies to a key, in order.
pub fn key_problem(
    key: &IcKey,
    project_status: &str,
    ip: Option<std::net::IpAddr>,
    now: i64,
) -> AppResult<Option<KeyProblem>> {
    let problem = match key.status.as_str() {
        REVOKED => Some(KeyProblem::KeyRevoked),
        SUSPENDED => Some(KeyProblem::KeySuspended),
        _ if key.expires_at.is_some_and(|t| t <= now) => Some(KeyProblem::KeyExpired),
        _ => None,
    };
    if problem.is_some() {
        return Ok(problem);
    }
    let allowlist: Vec<IpNet> =
        serde_json::from_str(&key.ip_allowlist).map_err(AppError::internal)?;
    if let Some(ip) = ip
        && !allowlist.is_empty()
        && !allowlist.iter().any(|net| net.contains(&ip))
    {
        return Ok(Some(KeyProblem::IpNotAllowed));
    }
    Ok(match project_status {
        project::PAUSED => Some(KeyProblem::ProjectPaused),
        project::ARCHIVED => Some(KeyProblem::ProjectArchived),
        _ => None,
    })
}

/// Tells an admin which key this is and whether the SDK would accept it.
#[utoipa::path(post, path = "/api/v1/keys/inspect", operation_id = "keys_inspect", tag = "keys",
    request_body = InspectKey, security(("bearer" = [])),
    responses((status = 200, body = KeyInspection), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn inspect(
    State(state): State<AppState>,
    Admin(_admin): Admin,
    Json(req): Json<InspectKey>,
) -> AppResult<Json<KeyInspection>> {
    let ip = req
        .ip
        .as_deref()
        .map(|text| {
            text.parse()
                .map_err(|_| AppError::validation("ip", "must be an IP address"))
        })
        .transpose()?;
    let unknown = KeyInspection {
        valid: false,
        problem: Some(KeyProblem::UnknownKey),
        details: None,
    };
    let well_formed =
        req.key.len() == KEY_PREFIX.len() + SECRET_LEN && req.key.starts_with(KEY_PREFIX);
    if !well_formed {
        return Ok(Json(unknown));
    }
    let mut conn = state.db.conn().await?;
    let Some(key) = ic_key::find_by_hash(&mut conn, &sha256_hex(&req.key)).await? else {
        return Ok(Json(unknown));
    };
    let project = project::find(&mut conn, &key.project_id).await?;
    let problem = key_problem(&key, &project.status, ip, now_micros())?;
    Ok(Json(KeyInspection {
        valid: problem.is_none(),
        problem,
        details: Some(KeyView::try_from(&key)?),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(status: &str, expires_at: Option<i64>, allowlist: &str) -> IcKey {
        IcKey {
            id: "key_1".into(),
            project_id: "proj_1".into(),
            owner_id: "user_1".into(),
            name: "k".into(),
            key_hash: "h".into(),
            display_prefix: "ic_abcdefgh".into(),
            spend_limit_micros: None,
            spent_micros: 0,
            ip_allowlist: allowlist.into(),
            expires_at,
            status: status.into(),
            created_by: "user_1".into(),
            created_at: 0,
            updated_at: 0,
            reserved_micros: 0,
        }
    }

    #[test]
    fn a_key_is_refused_for_each_reason_in_order() {
        let inside = Some("10.1.2.3".parse().unwrap());
        let outside = Some("192.168.0.1".parse().unwrap());
        let check = |k: &IcKey, project: &str, ip| key_problem(k, project, ip, 100).unwrap();
        let open = key(ACTIVE, None, "[]");
        assert_eq!(check(&open, project::ACTIVE, outside), None);
        let fenced = key(ACTIVE, Some(200), r#"["10.0.0.0/8"]"#);
        assert_eq!(check(&fenced, project::ACTIVE, inside), None);
        assert_eq!(
            check(&fenced, project::ACTIVE, outside),
            Some(KeyProblem::IpNotAllowed)
        );
        assert_eq!(
            check(&fenced, project::PAUSED, inside),
            Some(KeyProblem::ProjectPaused)
        );
        assert_eq!(
            check(&key(ACTIVE, Some(100), "[]"), project::ACTIVE, None),
            Some(KeyProblem::KeyExpired)
        );
        assert_eq!(
            check(&key(SUSPENDED, None, "[]"), project::ACTIVE, None),
            Some(KeyProblem::KeySuspended)
        );
        assert_eq!(
            check(&key(REVOKED, Some(1), "[]"), project::PAUSED, None),
            Some(KeyProblem::KeyRevoked)
        );
    }
}
