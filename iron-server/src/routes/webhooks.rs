//! Webhook subscriptions (admins only). The signing secret is sealed like
//! a vault entry and shown once, at creation.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use crate::audit::Event;
use crate::auth::Admin;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ids;
use crate::pagination::{Page, fetch_limit};
use crate::state::AppState;
use crate::time::{now_micros, to_iso};
use crate::transaction;
use crate::webhooks::{self, Delivery, NewWebhook, Webhook, secret_aad};

/// The alert kinds a webhook can subscribe to.
pub const EVENT_KINDS: [&str; 6] = [
    "budget_soft",
    "budget_hard",
    "anomaly_multi_ip",
    "anomaly_spend_rate",
    "key_revoked",
    "key_suspended",
];
const WEBHOOK_PREFIX: &str = "wh";
const SECRET_PREFIX: &str = "whsec_";
const MAX_URL_LEN: usize = 2000;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhook {
    /// `http://` or `https://` URL that receives the POSTs.
    pub url: String,
    /// Alert kinds to send; empty or absent: all.
    #[serde(default)]
    pub events: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookView {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookCreated {
    /// HMAC-SHA256 signing secret. Shown only in this response.
    pub secret: String,
    #[serde(flatten)]
    pub details: WebhookView,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: String,
    pub webhook_id: String,
    pub event_kind: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    pub last_status_code: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

impl From<&Webhook> for WebhookView {
    fn from(w: &Webhook) -> Self {
        WebhookView {
            id: w.id.clone(),
            url: w.url.clone(),
            events: w.events(),
            status: w.status.clone(),
            created_at: to_iso(w.created_at),
            updated_at: to_iso(w.updated_at),
        }
    }
}

impl From<Delivery> for DeliveryView {
    fn from(d: Delivery) -> Self {
        DeliveryView {
            next_attempt_at: (d.status == webhooks::PENDING).then(|| to_iso(d.next_attempt_at)),
            id: d.id,
            webhook_id: d.webhook_id,
            event_kind: d.event_kind,
            status: d.status,
            attempts: d.attempts,
            last_status_code: d.last_status_code,
            last_error: d.last_error,
            created_at: to_iso(d.created_at),
            delivered_at: d.delivered_at.map(to_iso),
        }
    }
}

fn validate_url(text: &str) -> AppResult<String> {
    let invalid = || AppError::validation("url", "must be an http:// or https:// URL");
    if text.len() > MAX_URL_LEN {
        return Err(AppError::validation(
            "url",
            format!("at most {MAX_URL_LEN} characters"),
        ));
    }
    let url = reqwest::Url::parse(text).map_err(|_| invalid())?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(invalid());
    }
    Ok(url.to_string())
}

fn validate_events(events: &[String]) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for event in events {
        if !EVENT_KINDS.contains(&event.as_str()) {
            return Err(AppError::validation(
                "events",
                format!("unknown event `{event}`; one of {}", EVENT_KINDS.join(", ")),
            ));
        }
        if !out.contains(event) {
            out.push(event.clone());
        }
    }
    Ok(out)
}

#[utoipa::path(operation_id = "webhooks_create", post, path = "/api/v1/webhooks", tag = "webhooks",
    request_body = CreateWebhook, security(("bearer" = [])),
    responses((status = 201, body = WebhookCreated), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Json(req): Json<CreateWebhook>,
) -> AppResult<(StatusCode, Json<WebhookCreated>)> {
    let url = validate_url(&req.url)?;
    let events = validate_events(&req.events)?;
    let id = ids::new_id(WEBHOOK_PREFIX);
    let secret = format!("{SECRET_PREFIX}{}", ids::random_base62(32));
    let sealed = state.keys.master.seal(secret.as_bytes(), &secret_aad(&id));
    let now = now_micros();
    let mut conn = state.db.conn().await?;
    let hook = transaction!(conn, {
        let new = NewWebhook {
            id: &id,
            url: &url,
            sealed: &sealed,
            events: &events,
            created_by: admin.id(),
            now,
        };
        webhooks::insert(&mut conn, &new).await?;
        let event = Event {
            action: "webhook.create",
            target_type: "webhook",
            target_id: &id,
            before: None,
            after: Some(json!({"url": url, "events": events})),
        };
        state.audit(&mut conn, &admin, event).await?;
        webhooks::find(&mut conn, &id).await
    })?;
    Ok((
        StatusCode::CREATED,
        Json(WebhookCreated {
            secret,
            details: WebhookView::from(&hook),
        }),
    ))
}

#[utoipa::path(operation_id = "webhooks_list", get, path = "/api/v1/webhooks", tag = "webhooks",
    params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = Page<WebhookView>), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    Query(params): Query<ListParams>,
) -> AppResult<Json<Page<WebhookView>>> {
    let limit = fetch_limit(params.limit)?;
    let mut conn = state.db.conn().await?;
    let rows = webhooks::list(&mut conn, params.cursor.as_deref().unwrap_or(""), limit).await?;
    Ok(Json(Page::from_rows(
        rows,
        limit,
        |w| w.id.clone(),
        |w| WebhookView::from(&w),
    )))
}

/// Deletes the subscription and its delivery log.
#[utoipa::path(operation_id = "webhooks_delete", delete, path = "/api/v1/webhooks/{webhook_id}", tag = "webhooks",
    params(("webhook_id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(webhook_id): Path<String>,
) -> AppResult<StatusCode> {
    let mut conn = state.db.conn().await?;
    transaction!(conn, {
        let hook = webhooks::find(&mut conn, &webhook_id).await?;
        webhooks::delete(&mut conn, &webhook_id).await?;
        let event = Event {
            action: "webhook.delete",
            target_type: "webhook",
            target_id: &webhook_id,
            before: Some(json!({"url": hook.url, "events": hook.events()})),
            after: None,
        };
        state.audit(&mut conn, &admin, event).await
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// The delivery log, newest first.
#[utoipa::path(operation_id = "webhooks_deliveries", get, path = "/api/v1/webhooks/{webhook_id}/deliveries", tag = "webhooks",
    params(("webhook_id" = String, Path), ListParams), security(("bearer" = [])),
    responses((status = 200, body = Page<DeliveryView>), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn deliveries(
    State(state): State<AppState>,
    _admin: Admin,
    Path(webhook_id): Path<String>,
    Query(params): Query<ListParams>,
) -> AppResult<Json<Page<DeliveryView>>> {
    let limit = fetch_limit(params.limit)?;
    let before = params
        .cursor
        .as_deref()
        .map(|c| {
            c.split_once(':')
                .and_then(|(at, id)| Some((at.parse().ok()?, id.to_owned())))
                .ok_or_else(|| AppError::validation("cursor", "not a cursor from this API"))
        })
        .transpose()?;
    let mut conn = state.db.conn().await?;
    webhooks::find(&mut conn, &webhook_id).await?;
    let rows = webhooks::deliveries(&mut conn, &webhook_id, before, limit).await?;
    Ok(Json(Page::from_rows(
        rows,
        limit,
        |d| format!("{}:{}", d.created_at, d.id),
        DeliveryView::from,
    )))
}

/// Queues a `test` event to the webhook; the dispatcher sends it like any other.
#[utoipa::path(operation_id = "webhooks_test", post, path = "/api/v1/webhooks/{webhook_id}/test", tag = "webhooks",
    params(("webhook_id" = String, Path)), security(("bearer" = [])),
    responses((status = 202, body = DeliveryView), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn test(
    State(state): State<AppState>,
    _admin: Admin,
    Path(webhook_id): Path<String>,
) -> AppResult<(StatusCode, Json<DeliveryView>)> {
    let mut conn = state.db.conn().await?;
    webhooks::find(&mut conn, &webhook_id).await?;
    let id = ids::new_id("whd");
    let now = now_micros();
    let payload = json!({
        "id": id,
        "type": "test",
        "created_at": to_iso(now),
        "data": {"message": "test delivery from Iron Cage"},
    });
    webhooks::enqueue(&mut conn, &id, &webhook_id, "test", &payload, now).await?;
    let delivery = webhooks::find_delivery(&mut conn, &id).await?;
    Ok((StatusCode::ACCEPTED, Json(DeliveryView::from(delivery))))
}
