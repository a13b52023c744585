//! Provider credentials of a project, sealed with AES-256-GCM. Responses
//! carry masked values only.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use zeroize::Zeroizing;

use crate::audit::Event;
use crate::auth::{Admin, AuthUser};
use crate::crypto::mask_secret;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path};
use crate::ids;
use crate::models::provider::{self, ProviderCredential};
use crate::providers;
use crate::routes::auth::validate_name;
use crate::routes::projects::{load_mutable, load_visible};
use crate::state::AppState;
use crate::time::{now_micros, to_iso};
use crate::transaction;

/// The secret is zeroed on drop and never printed.
#[derive(Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String)]
pub struct SecretString(Zeroizing<String>);

impl std::fmt::Debug for SecretString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl SecretString {
    fn validated(&self) -> AppResult<&str> {
        let secret = self.0.as_str();
        if secret.len() < 8 || secret.len() > 1024 || secret.chars().any(char::is_whitespace) {
            return Err(AppError::validation(
                "api_key",
                "must be 8 to 1024 characters without whitespace",
            ));
        }
        Ok(secret)
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddCredential {
    /// One of `openai`, `anthropic`, `mistral`.
    pub provider: String,
    /// Display name; defaults to the provider id.
    pub label: Option<String>,
    pub api_key: SecretString,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateCredential {
    pub api_key: SecretString,
}

#[derive(Serialize, ToSchema)]
pub struct CredentialView {
    pub id: String,
    pub project_id: String,
    pub provider: String,
    pub label: String,
    /// e.g. `sk-...abcd`; the secret itself is never returned.
    pub masked_value: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConnectionTest {
    pub ok: bool,
    pub http_status: Option<u16>,
    pub message: String,
}

impl From<&ProviderCredential> for CredentialView {
    fn from(entry: &ProviderCredential) -> Self {
        CredentialView {
            id: entry.id.clone(),
            project_id: entry.project_id.clone(),
            provider: entry.provider.clone(),
            label: entry.label.clone(),
            masked_value: entry.masked_value.clone(),
            created_at: to_iso(entry.created_at),
            updated_at: to_iso(entry.updated_at),
        }
    }
}

fn summary(entry: &ProviderCredential) -> serde_json::Value {
    json!({"provider": entry.provider, "label": entry.label, "masked_value": entry.masked_value})
}

#[utoipa::path(operation_id = "vault_add", post, path = "/api/v1/projects/{project_id}/providers", tag = "vault",
    request_body = AddCredential, params(("project_id" = String, Path)), security(("bearer" = [])),
    responses((status = 201, body = CredentialView), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn add(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(project_id): Path<String>,
    Json(req): Json<AddCredential>,
) -> AppResult<(StatusCode, Json<CredentialView>)> {
    let spec = providers::find(&req.provider).ok_or_else(|| {
        AppError::validation(
            "provider",
            format!("must be one of {}", providers::ids().join(", ")),
        )
    })?;
    let label = match &req.label {
        Some(label) => validate_name("label", label, 100)?,
        None => spec.id.to_owned(),
    };
    let secret = req.api_key.validated()?;
    let id = ids::new_id(ids::PROVIDER);
    let sealed = state.keys.master.seal(secret.as_bytes(), &id);
    let now = now_micros();
    let entry = ProviderCredential {
        id,
        project_id: project_id.clone(),
        provider: spec.id.to_owned(),
        label,
        masked_value: mask_secret(secret),
        nonce: sealed.nonce,
        ciphertext: sealed.ciphertext,
        created_at: now,
        updated_at: now,
    };
    let mut conn = state.db.conn().await?;
    transaction!(conn, {
        load_mutable(&mut conn, &project_id).await?;
        provider::insert(&mut conn, &entry).await?;
        let event = Event {
            action: "vault.add",
            target_type: "provider_credential",
            target_id: &entry.id,
            before: None,
            after: Some(summary(&entry)),
        };
        state.audit(&mut conn, &admin, event).await
    })?;
    Ok((StatusCode::CREATED, Json(CredentialView::from(&entry))))
}

#[utoipa::path(operation_id = "vault_list", get, path = "/api/v1/projects/{project_id}/providers", tag = "vault",
    params(("project_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<CredentialView>), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    me: AuthUser,
    Path(project_id): Path<String>,
) -> AppResult<Json<Vec<CredentialView>>> {
    let mut conn = state.db.conn().await?;
    load_visible(&mut conn, &me, &project_id).await?;
    let entries = provider::list_for_project(&mut conn, &project_id).await?;
    Ok(Json(entries.iter().map(CredentialView::from).collect()))
}

#[utoipa::path(operation_id = "vault_rotate", put, path = "/api/v1/projects/{project_id}/providers/{provider_id}", tag = "vault",
    request_body = RotateCredential,
    params(("project_id" = String, Path), ("provider_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = CredentialView), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn rotate(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path((project_id, provider_id)): Path<(String, String)>,
    Json(req): Json<RotateCredential>,
) -> AppResult<Json<CredentialView>> {
    let secret = req.api_key.validated()?;
    let mut conn = state.db.conn().await?;
    let entry = transaction!(conn, {
        let before = provider::find_in_project(&mut conn, &project_id, &provider_id).await?;
        let sealed = state.keys.master.seal(secret.as_bytes(), &before.id);
        let masked = mask_secret(secret);
        let now = now_micros();
        provider::replace_secret(&mut conn, &before.id, &sealed, Some(&masked), now).await?;
        let after = ProviderCredential {
            masked_value: masked,
            nonce: sealed.nonce,
            ciphertext: sealed.ciphertext,
            updated_at: now,
            ..before.clone()
        };
        let event = Event {
            action: "vault.rotate",
            target_type: "provider_credential",
            target_id: &before.id,
            before: Some(summary(&before)),
            after: Some(summary(&after)),
        };
        state.audit(&mut conn, &admin, event).await?;
        Ok(after)
    })?;
    Ok(Json(CredentialView::from(&entry)))
}

#[utoipa::path(operation_id = "vault_remove", delete, path = "/api/v1/projects/{project_id}/providers/{provider_id}", tag = "vault",
    params(("project_id" = String, Path), ("provider_id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path((project_id, provider_id)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let mut conn = state.db.conn().await?;
    transaction!(conn, {
        let entry = provider::find_in_project(&mut conn, &project_id, &provider_id).await?;
        provider::delete(&mut conn, &entry.id).await?;
        let event = Event {
            action: "vault.remove",
            target_type: "provider_credential",
            target_id: &entry.id,
            before: Some(summary(&entry)),
            after: None,
        };
        state.audit(&mut conn, &admin, event).await
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// Calls the provider with the stored credential to check it works.
#[utoipa::path(operation_id = "vault_test_connection", post, path = "/api/v1/projects/{project_id}/providers/{provider_id}/test", tag = "vault",
    params(("project_id" = String, Path), ("provider_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ConnectionTest), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn test_connection(
    State(state): State<AppState>,
    Admin(_admin): Admin,
    Path((project_id, provider_id)): Path<(String, String)>,
) -> AppResult<Json<ConnectionTest>> {
    let mut conn = state.db.conn().await?;
    let entry = provider::find_in_project(&mut conn, &project_id, &provider_id).await?;
    drop(conn);
    let spec = providers::find(&entry.provider)
        .ok_or_else(|| AppError::internal(format!("unknown provider {}", entry.provider)))?;
    let secret = state
        .keys
        .master
        .open(&entry.sealed(), &entry.id)
        .map_err(AppError::internal)?;
    let secret = std::str::from_utf8(&secret).map_err(AppError::internal)?;
    let base_url = state
        .config
        .provider_base_url(spec.id)
        .unwrap_or(spec.default_base_url);
    let outcome = providers::test_credential(&state.http, spec, base_url, secret).await;
    Ok(Json(ConnectionTest {
        ok: outcome.ok,
        http_status: outcome.http_status,
        message: outcome.message,
    }))
}
