//! The control stream: a long-lived SSE connection on which the server
//! tells a running session that its key was revoked or its project paused.
//! Each message halts or resumes the [`Accountant`]; the accountant, not
//! this listener, refuses the calls. A dropped stream reconnects with
//! backoff and the calls keep going on the current lease meanwhile (the
//! next lease request tells otherwise).

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use http::Method;

use super::client::{Backoff, RemoteClient, error_from_response};
use super::wire::ControlMessage;
use crate::budget::Accountant;
use crate::error::{Error, ErrorKind};
use crate::gateway::sse::SseParser;

/// The server sends a keepalive every 15 s; silence this long means the
/// connection is dead.
const SILENCE: Duration = Duration::from_secs(45);

const RECONNECT: Backoff = Backoff {
    attempts: u32::MAX,
    base: Duration::from_millis(200),
    cap: Duration::from_secs(10),
    max_retry_after: Duration::from_secs(60),
};

/// A running listener; stops when dropped or [`ControlListener::stop`]ped.
#[derive(Debug)]
pub struct ControlListener {
    task: tokio::task::JoinHandle<()>,
}

impl ControlListener {
    /// `control_url`: the handshake's `control_url` (a path on the server).
    pub fn start(client: RemoteClient, control_url: String, accountant: Arc<Accountant>) -> Self {
        Self {
            task: tokio::spawn(listen(client, control_url, accountant)),
        }
    }

    pub fn stop(&self) {
        self.task.abort();
    }
}

impl Drop for ControlListener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn listen(client: RemoteClient, control_url: String, accountant: Arc<Accountant>) {
    let mut failures = 0u32;
    loop {
        match stream_once(&client, &control_url, &accountant).await {
            // The stream was up: start the backoff afresh.
            Ok(()) => failures = 0,
            Err(e) => {
                // A refusal of the key or project is itself the news.
                if matches!(e.kind(), ErrorKind::KeyRevoked | ErrorKind::ProjectPaused) {
                    accountant.halt(&e);
                }
                tracing::debug!(error = %e, "control stream unavailable");
            }
        }
        failures = failures.saturating_add(1);
        tokio::time::sleep(RECONNECT.delay(failures)).await;
    }
}

/// One connection. `Ok` when the stream was established and later ended.
async fn stream_once(
    client: &RemoteClient,
    control_url: &str,
    accountant: &Accountant,
) -> crate::Result<()> {
    let url = client.url(control_url)?;
    let resp = client
        .request(Method::GET, url)
        .header(http::header::ACCEPT, "text/event-stream")
        .send()
        .await
        .map_err(|e| client.transport_error(e))?;
    if !resp.status().is_success() {
        return Err(error_from_response(resp).await);
    }
    let mut body = resp.bytes_stream();
    let mut parser = SseParser::new();
    loop {
        let chunk = match tokio::time::timeout(SILENCE, body.next()).await {
            Ok(Some(Ok(chunk))) => chunk,
            Ok(Some(Err(e))) => {
                tracing::debug!(error = %e, "control stream broke");
                return Ok(());
            }
            Ok(None) => return Ok(()),
            Err(_) => {
                tracing::debug!("control stream silent too long; reconnecting");
                return Ok(());
            }
        };
        let Ok(events) = parser.push(&chunk) else {
            tracing::warn!("control stream sent an oversized event; reconnecting");
            return Ok(());
        };
        for event in events {
            if event.data.is_empty() {
                continue; // keepalive comment
            }
            match serde_json::from_str::<ControlMessage>(&event.data) {
                Ok(message) => apply(accountant, &message),
                Err(e) => tracing::warn!(error = %e, "unreadable control message ignored"),
            }
        }
    }
}

/// What a control message means for the accountant.
pub(super) fn apply(accountant: &Accountant, message: &ControlMessage) {
    match message {
        ControlMessage::State {
            key_status,
            project_status,
        } => {
            // The current state after a (re)connect: catches up on changes
            // missed while disconnected, in both directions.
            let key = match key_status.as_str() {
                "revoked" => Some(revoked(None)),
                "suspended" => Some(suspended()),
                "expired" => Some(
                    Error::new(ErrorKind::KeyRevoked, "the developer key has expired")
                        .with_code("key_expired"),
                ),
                _ => None,
            };
            let project = match project_status.as_str() {
                "paused" => Some(paused()),
                "archived" => Some(
                    Error::new(ErrorKind::ProjectPaused, "the project is archived")
                        .with_code("project_archived"),
                ),
                _ => None,
            };
            match key.or(project) {
                Some(error) => accountant.halt(&error),
                None => {
                    for code in LIFTED_BY_ACTIVE_STATE {
                        accountant.resume(code);
                    }
                }
            }
        }
        ControlMessage::Revoked { reason } => accountant.halt(&revoked(reason.as_deref())),
        ControlMessage::Suspended => accountant.halt(&suspended()),
        ControlMessage::Paused => accountant.halt(&paused()),
        ControlMessage::Resumed => {
            // A resumed project or a suspended key made active again; never
            // a revocation.
            let _ = accountant.resume("project_paused") || accountant.resume("key_suspended");
        }
        ControlMessage::BudgetChanged { budget_micros } => {
            tracing::info!(?budget_micros, "the project's budget changed");
        }
        ControlMessage::PolicyChanged => {
            tracing::info!("the project's policy changed; it applies from the next session");
        }
        ControlMessage::Unknown => {}
    }
}

/// Halts a `state` message saying "all active" lifts.
const LIFTED_BY_ACTIVE_STATE: [&str; 5] = [
    "key_revoked",
    "key_suspended",
    "key_expired",
    "project_paused",
    "project_archived",
];

fn revoked(reason: Option<&str>) -> Error {
    let message = match reason {
        Some(r) if !r.is_empty() => format!("the developer key was revoked: {r}"),
        _ => "the developer key was revoked".to_string(),
    };
    Error::new(ErrorKind::KeyRevoked, message).with_code("key_revoked")
}

fn suspended() -> Error {
    Error::new(ErrorKind::KeyRevoked, "the developer key is suspended").with_code("key_suspended")
}

fn paused() -> Error {
    Error::new(ErrorKind::ProjectPaused, "the project is paused").with_code("project_paused")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::{BudgetAuthority, LocalAuthority};

    fn accountant() -> Accountant {
        Accountant::new(
            Arc::new(LocalAuthority::new(10_000)) as Arc<dyn BudgetAuthority>,
            1_000,
        )
    }

    fn state(key: &str, project: &str) -> ControlMessage {
        ControlMessage::State {
            key_status: key.into(),
            project_status: project.into(),
        }
    }

    #[tokio::test]
    async fn messages_halt_and_resume_the_accountant() {
        let acc = accountant();
        let r = acc.reserve(10).await.unwrap();
        acc.commit(r, 10, None);

        apply(&acc, &ControlMessage::Paused);
        let e = acc.reserve(10).await.unwrap_err();
        assert_eq!(
            (e.kind(), e.code()),
            (ErrorKind::ProjectPaused, "project_paused")
        );
        apply(&acc, &ControlMessage::Resumed);
        acc.reserve(10).await.unwrap();
        apply(&acc, &ControlMessage::Suspended);
        assert_eq!(acc.reserve(10).await.unwrap_err().code(), "key_suspended");
        apply(&acc, &ControlMessage::Resumed);
        acc.reserve(10).await.unwrap();

        apply(
            &acc,
            &ControlMessage::Revoked {
                reason: Some("leaked".into()),
            },
        );
        let e = acc.reserve(10).await.unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::KeyRevoked, "key_revoked"));
        assert!(e.message().contains("leaked"));
        // `resumed` lifts a pause, never a revocation.
        apply(&acc, &ControlMessage::Resumed);
        assert_eq!(acc.halted(), Some(ErrorKind::KeyRevoked));
    }

    #[tokio::test]
    async fn the_state_message_catches_up_both_ways() {
        let acc = accountant();
        apply(&acc, &state("active", "paused"));
        assert_eq!(acc.halted(), Some(ErrorKind::ProjectPaused));
        apply(&acc, &state("suspended", "paused"));
        let e = acc.reserve(1).await.unwrap_err();
        assert_eq!(e.code(), "key_suspended");
        apply(&acc, &state("active", "active"));
        assert_eq!(acc.halted(), None);
        acc.reserve(1).await.unwrap();
    }
}
