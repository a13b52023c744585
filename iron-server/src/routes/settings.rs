//! Server-wide settings (admins only).

use axum::extract::State;

use crate::audit::Event;
use crate::auth::Admin;
use crate::error::AppResult;
use crate::extract::Json;
use crate::settings::{self, Settings, SettingsPatch};
use crate::state::AppState;
use crate::time::now_micros;
use crate::transaction;

#[utoipa::path(operation_id = "settings_get", get, path = "/api/v1/settings", tag = "settings",
    security(("bearer" = [])),
    responses((status = 200, body = Settings), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn get(State(state): State<AppState>, _admin: Admin) -> AppResult<Json<Settings>> {
    let mut conn = state.db.conn().await?;
    Ok(Json(settings::load(&mut conn).await?))
}

#[utoipa::path(operation_id = "settings_update", patch, path = "/api/v1/settings", tag = "settings",
    request_body = SettingsPatch, security(("bearer" = [])),
    responses((status = 200, body = Settings), (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Json(patch): Json<SettingsPatch>,
) -> AppResult<Json<Settings>> {
    let mut conn = state.db.conn().await?;
    let next = transaction!(conn, {
        let before = settings::load(&mut conn).await?;
        let next = before.apply(&patch)?;
        settings::save(&mut conn, &next, Some(admin.id()), now_micros()).await?;
        let event = Event {
            action: "settings.update",
            target_type: "settings",
            target_id: "server",
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&next).ok(),
        };
        state.audit(&mut conn, &admin, event).await?;
        Ok(next)
    })?;
    state.settings.set(next.clone());
    Ok(Json(next))
}
