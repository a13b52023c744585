//! Liveness and readiness probes.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};
use crate::extract::Json;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    pub status: &'static str,
    pub database: &'static str,
}

/// The process is up.
#[utoipa::path(operation_id = "health_healthz", get, path = "/healthz", tag = "health", responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The process can reach its database.
#[utoipa::path(operation_id = "health_readyz", get, path = "/readyz", tag = "health",
    responses((status = 200, body = Readiness), (status = 503, body = crate::error::ErrorBody)))]
pub async fn readyz(State(state): State<AppState>) -> AppResult<Json<Readiness>> {
    let unavailable = |_| {
        AppError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "NOT_READY",
            "database is unreachable",
        )
    };
    state.db.conn().await.map_err(unavailable)?;
    Ok(Json(Readiness {
        status: "ok",
        database: state.db.backend_name(),
    }))
}
