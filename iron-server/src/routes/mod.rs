//! The HTTP surface: one module per resource, assembled here.

pub mod activity;
pub mod alerts;
pub mod analytics;
pub mod audit;
pub mod auth;
pub mod budget_requests;
pub mod health;
pub mod keys;
pub mod projects;
pub mod settings;
pub mod users;
pub mod vault;
pub mod webhooks;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, TraceLayer};

use crate::error::AppError;
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/auth/register", post(auth::register))
        .route("/auth/login", post(auth::login))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/password", post(auth::change_password))
        .route("/users", get(users::list))
        .route("/users/me", get(users::me))
        .route("/users/{user_id}", axum::routing::delete(users::remove))
        .route("/users/{user_id}/role", put(users::set_role))
        .route("/invitations", post(users::invite))
        .route("/projects", get(projects::list).post(projects::create))
        .route(
            "/projects/{project_id}",
            get(projects::get).patch(projects::update),
        )
        .route("/projects/{project_id}/pause", post(projects::pause))
        .route("/projects/{project_id}/resume", post(projects::resume))
        .route("/projects/{project_id}/archive", post(projects::archive))
        .route(
            "/projects/{project_id}/members",
            get(projects::members).post(projects::add_member),
        )
        .route(
            "/projects/{project_id}/members/{user_id}",
            axum::routing::delete(projects::remove_member),
        )
        .route(
            "/projects/{project_id}/providers",
            get(vault::list).post(vault::add),
        )
        .route(
            "/projects/{project_id}/providers/{provider_id}",
            put(vault::rotate).delete(vault::remove),
        )
        .route(
            "/projects/{project_id}/providers/{provider_id}/test",
            post(vault::test_connection),
        )
        .route("/projects/{project_id}/keys", post(keys::create))
        .route("/keys", get(keys::list))
        .route("/keys/inspect", post(keys::inspect))
        .route("/keys/{key_id}", axum::routing::patch(keys::update))
        .route("/keys/{key_id}/revoke", post(keys::revoke))
        .route("/keys/{key_id}/suspend", post(keys::suspend))
        .route("/keys/{key_id}/resume", post(keys::resume))
        .route(
            "/projects/{project_id}/budget-requests",
            post(budget_requests::create),
        )
        .route("/budget-requests", get(budget_requests::list))
        .route(
            "/budget-requests/{request_id}/approve",
            post(budget_requests::approve),
        )
        .route(
            "/budget-requests/{request_id}/deny",
            post(budget_requests::deny),
        )
        .route("/audit", get(audit::list))
        .route("/audit/verify", get(audit::verify))
        .route("/analytics/spend", get(analytics::spend))
        .route("/analytics/usage", get(analytics::usage))
        .route("/analytics/models", get(analytics::models))
        .route("/analytics/keys", get(analytics::keys))
        .route("/analytics/projects", get(analytics::projects))
        .route("/analytics/daily", get(analytics::daily))
        .route("/analytics/export.csv", get(analytics::export_csv))
        .route("/activity", get(activity::list))
        .route("/settings", get(settings::get).patch(settings::update))
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route(
            "/webhooks/{webhook_id}",
            axum::routing::delete(webhooks::remove),
        )
        .route(
            "/webhooks/{webhook_id}/deliveries",
            get(webhooks::deliveries),
        )
        .route("/webhooks/{webhook_id}/test", post(webhooks::test))
        .route("/alerts", get(alerts::list))
        .route("/alerts/{alert_id}/ack", post(alerts::ack))
        .merge(sdk_routes(state.config.body_limit_bytes));

    let body_limit = state.config.body_limit_bytes;
    Router::new()
        .nest("/api/v1", api)
        .route("/api/openapi.json", get(crate::openapi::serve))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(crate::dashboard::routes())
        .route("/metrics", get(crate::telemetry::serve))
        .route_layer(axum::middleware::from_fn(crate::telemetry::track_http))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn(crate::extract::reject_nul_in_uri))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        // INFO spans, so the default filter keeps them for OTLP export.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO)),
        )
        .with_state(state)
}

/// The SDK protocol's routes. Their bodies may be larger than the admin
/// API's: 500 events of up to 16 KiB, or 1000 usage lines.
fn sdk_routes(admin_body_limit: usize) -> Router<AppState> {
    use crate::sdk::{control, routes as sdk};
    const SDK_BODY_LIMIT: usize = 9 * 1024 * 1024;
    Router::new()
        .route("/sdk/sessions", post(sdk::open_session))
        .route(
            "/sdk/sessions/{session_id}",
            axum::routing::delete(sdk::close_session),
        )
        .route("/sdk/sessions/{session_id}/control", get(control::control))
        .route("/sdk/leases", post(sdk::lease))
        .route("/sdk/leases/{lease_id}/settle", post(sdk::settle))
        .route("/sdk/events", post(sdk::events))
        .layer(DefaultBodyLimit::max(SDK_BODY_LIMIT.max(admin_body_limit)))
}

async fn not_found() -> AppError {
    AppError::not_found("route")
}

async fn method_not_allowed() -> AppError {
    AppError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "this method is not allowed on this route",
    )
}
