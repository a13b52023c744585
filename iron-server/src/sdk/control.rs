//! `GET /api/v1/sdk/sessions/{id}/control`: the session's server-sent
//! events. The first event is the current state; then one per change to the
//! session's key or project; a `: keepalive` comment every 15 s.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::{Stream, StreamExt};
use serde_json::json;
use tokio_stream::wrappers::BroadcastStream;

use super::SdkCaller;
use crate::error::AppResult;
use crate::extract::Path;
use crate::models::lease;
use crate::state::AppState;

const KEEPALIVE: Duration = Duration::from_secs(15);

/// Keeps `iron_control_streams_open` right however the stream ends.
struct OpenStream;

impl OpenStream {
    fn new() -> OpenStream {
        metrics::gauge!("iron_control_streams_open").increment(1.0);
        OpenStream
    }
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        metrics::gauge!("iron_control_streams_open").decrement(1.0);
    }
}

#[utoipa::path(operation_id = "sdk_control", get, path = "/api/v1/sdk/sessions/{session_id}/control", tag = "sdk",
    params(("session_id" = String, Path)), security(("ic_key" = [])),
    responses((status = 200, content_type = "text/event-stream", description = "server-sent control events"),
        (status = "4XX", body = crate::error::ErrorBody)))]
pub async fn control(
    State(state): State<AppState>,
    caller: SdkCaller,
    Path(session_id): Path<String>,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let mut conn = state.db.conn().await?;
    let session = lease::find_session(&mut conn, &session_id, &caller.key.id).await?;
    drop(conn);
    // Subscribe before reading the state, so no change falls in between.
    let updates = BroadcastStream::new(state.control.subscribe());
    let first = json!({
        "type": "state",
        "key_status": caller.key.status,
        "project_status": caller.project.status,
        "budget_micros": caller.project.budget_micros,
    });
    let project_id = session.project_id;
    let key_id = session.key_id;
    let guard = OpenStream::new();
    // A lagging receiver missed events: end the stream, and the client
    // reconnects and gets a fresh `state` first.
    let changes = updates
        .take_while(|message| std::future::ready(message.is_ok()))
        .filter_map(move |message| {
            let _alive = &guard;
            let event = message.ok().filter(|m| {
                m.project_id == project_id && m.key_id.as_ref().is_none_or(|k| *k == key_id)
            });
            std::future::ready(event.map(|m| m.event.clone()))
        });
    let stream = futures::stream::once(std::future::ready(first))
        .chain(changes)
        .map(|data| Ok(Event::default().data(data.to_string())));
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEPALIVE).text(" keepalive")))
}
