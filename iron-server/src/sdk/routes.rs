//! Handshake, leases, settle, events and close of the SDK protocol.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::usage::{self, EventScope, SdkEvent, UsageLine};
use super::{SdkCaller, SdkSettler};
use crate::audit::{self, Actor, Event};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path};
use crate::ids::{self, sha256_hex};
use crate::ledger::{self, ExpireScope, GrantRequest, SettleOutcome};
use crate::models::idempotency::{self, Claim};
use crate::models::lease::{self, Lease, SESSION_OPEN, SdkSession};
use crate::models::provider;
use crate::routes::projects::{PiiMode, Policy, Severity, ToolPolicy};
use crate::state::AppState;
use crate::time::{now_micros, to_iso};
use crate::transaction;

/// Largest `want_micros` / `spent_micros`: one million dollars.
const MAX_AMOUNT_MICROS: i64 = 1_000_000_000_000;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenSession {
    #[schema(max_length = 200)]
    pub client: Option<String>,
    #[schema(max_length = 200)]
    pub hostname: Option<String>,
}

/// A provider credential of the project, decrypted for the SDK's memory.
#[derive(Serialize, ToSchema)]
pub struct ProviderSecret {
    pub provider: String,
    pub api_key: String,
    /// The server's `--provider-base-url` for this provider, if any.
    pub base_url: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SdkPolicy {
    pub pii_mode: PiiMode,
    pub injection_threshold: Severity,
    pub tool_policy: ToolPolicy,
    pub allowed_models: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LeaseTerms {
    pub tranche_micros: i64,
    pub ttl_secs: u32,
}

#[derive(Serialize, ToSchema)]
pub struct BudgetFigures {
    pub budget_micros: i64,
    pub spent_micros: i64,
    pub reserved_micros: i64,
    pub key_limit_micros: Option<i64>,
    pub key_spent_micros: i64,
}

#[derive(Serialize, ToSchema)]
pub struct SessionOpened {
    pub session_id: String,
    pub project_id: String,
    pub key_id: String,
    pub providers: Vec<ProviderSecret>,
    pub policy: SdkPolicy,
    pub lease: LeaseTerms,
    pub budget: BudgetFigures,
    pub control_url: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaseRequest {
    pub session_id: String,
    /// 1 to 10^12 micro-dollars.
    pub want_micros: i64,
    /// Client-generated UUID (v7); a retry reuses it.
    pub idempotency_key: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct LeaseView {
    pub lease_id: String,
    pub amount_micros: i64,
    pub expires_at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettleRequest {
    pub idempotency_key: String,
    /// What the lease paid for, 0 to 10^12; more than the lease is an overrun.
    pub spent_micros: i64,
    #[serde(default)]
    pub usage: Vec<UsageLine>,
    /// Grant the next lease in the same round trip.
    pub next_tranche_micros: Option<i64>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SettleView {
    pub lease_id: String,
    pub spent_micros: i64,
    pub returned_micros: i64,
    pub overrun_micros: i64,
    pub next: Option<LeaseView>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    pub session_id: String,
    pub events: Vec<SdkEvent>,
}

#[derive(Serialize, ToSchema)]
pub struct EventsAccepted {
    pub accepted: usize,
    pub duplicates: usize,
}

fn optional_text(field: &str, text: Option<String>) -> AppResult<String> {
    let text = text.unwrap_or_default();
    if text.len() > 200 {
        return Err(AppError::validation(field, "at most 200 characters"));
    }
    Ok(text)
}

fn check_amount(field: &str, value: i64, min: i64) -> AppResult<()> {
    if !(min..=MAX_AMOUNT_MICROS).contains(&value) {
        return Err(AppError::validation(
            field,
            format!("must be {min} to {MAX_AMOUNT_MICROS}"),
        ));
    }
    Ok(())
}

fn check_idempotency_key(key: &str) -> AppResult<()> {
    uuid::Uuid::parse_str(key)
        .map(drop)
        .map_err(|_| AppError::validation("idempotency_key", "must be a UUID (v7)"))
}

fn idempotency_conflict() -> AppError {
    AppError::new(
        StatusCode::CONFLICT,
        "IDEMPOTENCY_CONFLICT",
        "this idempotency key was used with a different request",
    )
}

fn request_hash<T: Serialize>(request: &T) -> AppResult<String> {
    Ok(sha256_hex(
        &serde_json::to_string(request).map_err(AppError::internal)?,
    ))
}

fn lease_view(lease: &Lease) -> LeaseView {
    LeaseView {
        lease_id: lease.id.clone(),
        amount_micros: lease.amount_micros,
        expires_at: to_iso(lease.expires_at),
    }
}

fn policy_of(caller: &SdkCaller) -> AppResult<Policy> {
    serde_json::from_str(&caller.project.policy).map_err(AppError::internal)
}

/// The project's own lease size / TTL, else the server's lease defaults.
async fn lease_terms(state: &AppState, policy: &Policy) -> AppResult<LeaseTerms> {
    let defaults = state.settings.get(&state.db).await?.lease_defaults;
    Ok(LeaseTerms {
        tranche_micros: policy
            .lease_size_usd
            .unwrap_or(defaults.lease_size_usd)
            .micros(),
        ttl_secs: policy.lease_ttl_secs.unwrap_or(defaults.lease_ttl_secs),
    })
}

fn to_text<T: Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(AppError::internal)
}

/// Replayed answers come back as the stored JSON text.
fn stored(text: &str) -> AppResult<Value> {
    serde_json::from_str(text).map_err(AppError::internal)
}

#[utoipa::path(operation_id = "sdk_open_session", post, path = "/api/v1/sdk/sessions", tag = "sdk",
    request_body = OpenSession, security(("ic_key" = [])),
    responses((status = 201, body = SessionOpened), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn open_session(
    State(state): State<AppState>,
    caller: SdkCaller,
    Json(req): Json<OpenSession>,
) -> AppResult<(StatusCode, Json<SessionOpened>)> {
    let client = optional_text("client", req.client)?;
    let hostname = optional_text("hostname", req.hostname)?;
    let policy = policy_of(&caller)?;
    let terms = lease_terms(&state, &policy).await?;
    let now = now_micros();
    let session = SdkSession {
        id: ids::new_id(ids::SESSION),
        key_id: caller.key.id.clone(),
        project_id: caller.project.id.clone(),
        client,
        hostname,
        ip: Some(caller.ip.to_string()),
        status: SESSION_OPEN.to_owned(),
        created_at: now,
        last_seen_at: now,
        closed_at: None,
    };
    let mut conn = state.db.conn().await?;
    let entries = provider::list_for_project(&mut conn, &caller.project.id).await?;
    // Newest entry per provider.
    let mut newest: BTreeMap<&str, &provider::ProviderCredential> = BTreeMap::new();
    for entry in &entries {
        let slot = newest.entry(entry.provider.as_str()).or_insert(entry);
        if (entry.created_at, &entry.id) > (slot.created_at, &slot.id) {
            *slot = entry;
        }
    }
    let providers = newest
        .into_values()
        .map(|entry| {
            let secret = state
                .keys
                .master
                .open(&entry.sealed(), &entry.id)
                .map_err(AppError::internal)?;
            Ok(ProviderSecret {
                provider: entry.provider.clone(),
                api_key: String::from_utf8(secret.to_vec()).map_err(AppError::internal)?,
                base_url: state
                    .config
                    .provider_base_url(&entry.provider)
                    .map(str::to_owned),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    transaction!(conn, {
        lease::insert_session(&mut conn, &session).await?;
        let actor = Actor {
            user_id: Some(caller.key.owner_id.clone()),
            ip: Some(caller.ip.to_string()),
        };
        let event = Event {
            action: "sdk.session_open",
            target_type: "sdk_session",
            target_id: &session.id,
            before: None,
            after: Some(json!({
                "key_id": caller.key.id,
                "client": session.client,
                "hostname": session.hostname,
                "providers": providers.iter().map(|p| &p.provider).collect::<Vec<_>>(),
            })),
        };
        audit::record(&mut conn, &state.keys.audit_hmac, &actor, event).await
    })?;
    let project = &caller.project;
    Ok((
        StatusCode::CREATED,
        Json(SessionOpened {
            control_url: format!("/api/v1/sdk/sessions/{}/control", session.id),
            session_id: session.id,
            project_id: project.id.clone(),
            key_id: caller.key.id.clone(),
            providers,
            policy: SdkPolicy {
                pii_mode: policy.pii_mode,
                injection_threshold: policy.injection_threshold,
                tool_policy: policy.tool_policy,
                allowed_models: serde_json::from_str(&project.allowed_models)
                    .map_err(AppError::internal)?,
            },
            lease: terms,
            budget: BudgetFigures {
                budget_micros: project.budget_micros,
                spent_micros: project.spent_micros,
                reserved_micros: project.reserved_micros,
                key_limit_micros: caller.key.spend_limit_micros,
                key_spent_micros: caller.key.spent_micros,
            },
        }),
    ))
}

/// Grants inside the caller's transaction, counting the outcome.
async fn grant_counted(
    conn: &mut crate::db::Conn,
    caller: &SdkCaller,
    session_id: &str,
    want_micros: i64,
    ttl_secs: u32,
    now: i64,
) -> AppResult<Lease> {
    let request = GrantRequest {
        project: &caller.project,
        key_id: &caller.key.id,
        session_id,
        want_micros,
        ttl_secs: i64::from(ttl_secs),
    };
    match ledger::grant(conn, &request, now).await {
        Ok(lease) => {
            metrics::counter!("iron_leases_granted_total").increment(1);
            Ok(lease)
        }
        Err(err) => {
            metrics::counter!("iron_leases_refused_total", "reason" => err.code()).increment(1);
            Err(err)
        }
    }
}

#[utoipa::path(operation_id = "sdk_lease", post, path = "/api/v1/sdk/leases", tag = "sdk",
    request_body = LeaseRequest, security(("ic_key" = [])),
    responses((status = 201, body = LeaseView), (status = 200, description = "replay of the same request", body = LeaseView),
        (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn lease(
    State(state): State<AppState>,
    caller: SdkCaller,
    Json(req): Json<LeaseRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    check_amount("want_micros", req.want_micros, 1)?;
    check_idempotency_key(&req.idempotency_key)?;
    let scope = format!("grant:{}", req.session_id);
    let hash = request_hash(&req)?;
    let ttl_secs = lease_terms(&state, &policy_of(&caller)?).await?.ttl_secs;
    let now = now_micros();
    let mut conn = state.db.conn().await?;
    transaction!(conn, {
        match idempotency::claim(&mut conn, &scope, &req.idempotency_key, &hash, now).await? {
            Claim::Replay(text) => return Ok((StatusCode::OK, Json(stored(&text)?))),
            Claim::Conflict => return Err(idempotency_conflict()),
            Claim::New => {}
        }
        lease::open_session(&mut conn, &req.session_id, &caller.key.id).await?;
        let granted = grant_counted(
            &mut conn,
            &caller,
            &req.session_id,
            req.want_micros,
            ttl_secs,
            now,
        )
        .await?;
        let view = serde_json::to_value(lease_view(&granted)).map_err(AppError::internal)?;
        idempotency::store_response(&mut conn, &scope, &req.idempotency_key, &to_text(&view)?)
            .await?;
        Ok((StatusCode::CREATED, Json(view)))
    })
}

#[utoipa::path(operation_id = "sdk_settle", post, path = "/api/v1/sdk/leases/{lease_id}/settle", tag = "sdk",
    request_body = SettleRequest, params(("lease_id" = String, Path)), security(("ic_key" = [])),
    responses((status = 200, body = SettleView), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn settle(
    State(state): State<AppState>,
    SdkSettler(caller): SdkSettler,
    Path(lease_id): Path<String>,
    Json(req): Json<SettleRequest>,
) -> AppResult<Json<Value>> {
    check_idempotency_key(&req.idempotency_key)?;
    check_amount("spent_micros", req.spent_micros, 0)?;
    if let Some(next) = req.next_tranche_micros {
        check_amount("next_tranche_micros", next, 1)?;
    }
    usage::validate_usage(&req.usage)?;
    if !ids::is_valid(ids::LEASE, &lease_id) {
        return Err(AppError::not_found("lease"));
    }
    let scope = format!("settle:{lease_id}");
    let hash = request_hash(&req)?;
    let ttl_secs = lease_terms(&state, &policy_of(&caller)?).await?.ttl_secs;
    let now = now_micros();
    let mut conn = state.db.conn().await?;
    let view = transaction!(conn, {
        match idempotency::claim(&mut conn, &scope, &req.idempotency_key, &hash, now).await? {
            Claim::Replay(text) => return stored(&text),
            Claim::Conflict => return Err(idempotency_conflict()),
            Claim::New => {}
        }
        let settled =
            match ledger::settle(&mut conn, &lease_id, &caller.key.id, req.spent_micros, now)
                .await?
            {
                SettleOutcome::Done(settled) => settled,
                SettleOutcome::AlreadySettled => {
                    return Err(AppError::new(
                        StatusCode::CONFLICT,
                        "LEASE_SETTLED",
                        "the lease was already settled under another idempotency key",
                    ));
                }
            };
        usage::insert_usage(
            &mut conn,
            &settled.lease,
            &caller.key.owner_id,
            &req.usage,
            now,
        )
        .await?;
        let next = match req.next_tranche_micros {
            Some(want) => {
                let session = &settled.lease.session_id;
                next_lease(&mut conn, &caller, session, want, ttl_secs, now).await?
            }
            None => None,
        };
        let view = serde_json::to_value(SettleView {
            lease_id: settled.lease.id.clone(),
            spent_micros: settled.lease.spent_micros,
            returned_micros: settled.lease.returned_micros,
            overrun_micros: settled.overrun_micros,
            next: next.as_ref().map(lease_view),
        })
        .map_err(AppError::internal)?;
        idempotency::store_response(&mut conn, &scope, &req.idempotency_key, &to_text(&view)?)
            .await?;
        Ok(view)
    })?;
    metrics::counter!("iron_settles_total").increment(1);
    metrics::counter!("iron_spend_micros_total").increment(req.spent_micros.max(0) as u64);
    Ok(Json(view))
}

/// The optional next tranche of a settle: any refusal (budget, status, a
/// closed session) gives `None`; the settle itself still succeeds.
async fn next_lease(
    conn: &mut crate::db::Conn,
    caller: &SdkCaller,
    session_id: &str,
    want: i64,
    ttl_secs: u32,
    now: i64,
) -> AppResult<Option<Lease>> {
    if lease::open_session(conn, session_id, &caller.key.id)
        .await
        .is_err()
    {
        return Ok(None);
    }
    match grant_counted(conn, caller, session_id, want, ttl_secs, now).await {
        Ok(lease) => Ok(Some(lease)),
        Err(err) if err.status().is_client_error() => Ok(None),
        Err(err) => Err(err),
    }
}

#[utoipa::path(operation_id = "sdk_events", post, path = "/api/v1/sdk/events", tag = "sdk",
    request_body = EventBatch, security(("ic_key" = [])),
    responses((status = 202, body = EventsAccepted), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn events(
    State(state): State<AppState>,
    caller: SdkCaller,
    Json(req): Json<EventBatch>,
) -> AppResult<(StatusCode, Json<EventsAccepted>)> {
    usage::validate_events(&req.events)?;
    let mut conn = state.db.conn().await?;
    let session = lease::find_session(&mut conn, &req.session_id, &caller.key.id).await?;
    let scope = EventScope {
        session_id: &session.id,
        project_id: &session.project_id,
        key_id: &session.key_id,
    };
    let now = now_micros();
    let accepted = transaction!(conn, {
        usage::insert_events(&mut conn, &scope, &req.events, now).await
    })?;
    Ok((
        StatusCode::ACCEPTED,
        Json(EventsAccepted {
            accepted,
            duplicates: req.events.len() - accepted,
        }),
    ))
}

#[utoipa::path(operation_id = "sdk_close_session", delete, path = "/api/v1/sdk/sessions/{session_id}", tag = "sdk",
    params(("session_id" = String, Path)), security(("ic_key" = [])),
    responses((status = 204), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn close_session(
    State(state): State<AppState>,
    caller: SdkCaller,
    Path(session_id): Path<String>,
) -> AppResult<StatusCode> {
    let mut conn = state.db.conn().await?;
    let session = lease::find_session(&mut conn, &session_id, &caller.key.id).await?;
    let now = now_micros();
    transaction!(conn, {
        lease::close_session(&mut conn, &session.id, now).await?;
        ledger::expire(
            &mut conn,
            &session.project_id,
            ExpireScope::Session(&session.id),
            now,
        )
        .await
    })?;
    Ok(StatusCode::NO_CONTENT)
}
