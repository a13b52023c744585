//! The HTTP side of the SDK protocol: one reqwest client (rustls), the IC
//! key as a bearer token, retries of retryable failures with capped
//! exponential backoff, and the server's error codes mapped to [`ErrorKind`].

use std::time::Duration;

use http::{Method, StatusCode};
use rand::Rng;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::wire::{ErrorBody, Handshake, HandshakeRequest};
use crate::error::{Error, ErrorKind, Result};
use crate::secrets::Secret;

/// A whole request/response, control stream excepted.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Largest error body read (the error shape is small).
const MAX_ERROR_BODY: usize = 64 * 1024;

/// How failed requests are retried. Every retry of one logical request
/// carries the same body, so the same idempotency key.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// Tries per request, the first included.
    pub attempts: u32,
    pub base: Duration,
    pub cap: Duration,
    /// A `Retry-After` longer than this is not waited for: the error is
    /// returned (a call should fail fast rather than hang).
    pub max_retry_after: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            attempts: 5,
            base: Duration::from_millis(100),
            cap: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(5),
        }
    }
}

impl Backoff {
    /// The wait before try `attempt + 1`: `base * 2^(attempt-1)`, capped,
    /// with jitter in [50 %, 100 %] so many agents do not retry in step.
    pub fn delay(&self, attempt: u32) -> Duration {
        let exp = self
            .base
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.cap);
        exp.mul_f64(rand::rng().random_range(0.5..=1.0))
    }
}

/// iron-server's SDK protocol client. Cheap to clone. `Debug` shows the
/// server and a redacted key.
#[derive(Clone)]
pub struct RemoteClient {
    base: url::Url,
    key: Secret,
    http: reqwest::Client,
    backoff: Backoff,
}

impl std::fmt::Debug for RemoteClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteClient")
            .field("server", &self.base.as_str())
            .field("ic_key", &"ic_***")
            .finish()
    }
}

impl RemoteClient {
    /// `server_url`: iron-server's root (`https://iron.example.com`).
    /// `ic_key`: the developer key (`ic_…`).
    pub fn new(server_url: &str, ic_key: Secret) -> Result<Self> {
        let base = url::Url::parse(server_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
            .ok_or_else(|| {
                Error::invalid_config(format!(
                    "the server URL must be an http(s) URL, got {server_url:?}"
                ))
            })?;
        if !ic_key.expose().starts_with("ic_") {
            return Err(Error::invalid_config(
                "the developer key must start with ic_ (see the dashboard's Keys page)",
            ));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .map_err(|e| Error::internal("cannot build the HTTP client").with_source(e))?;
        Ok(Self {
            base,
            key: ic_key,
            http,
            backoff: Backoff::default(),
        })
    }

    pub fn with_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    pub fn server_url(&self) -> &str {
        self.base.as_str()
    }

    /// Opens a session: validates the key and returns the project's
    /// credentials, policy and lease terms. Fails closed: any error (server
    /// down included) is returned, never a default.
    pub async fn handshake(&self) -> Result<Handshake> {
        let hostname = std::env::var("HOSTNAME")
            .ok()
            .map(|h| h.chars().take(200).collect());
        let body = HandshakeRequest {
            client: concat!("iron-core/", env!("CARGO_PKG_VERSION")),
            hostname,
        };
        self.send(Method::POST, "/api/v1/sdk/sessions", Some(&body))
            .await
    }

    /// Closes a session (after its leases were settled). Idempotent.
    pub async fn close_session(&self, session_id: &str) -> Result<()> {
        let path = format!("/api/v1/sdk/sessions/{session_id}");
        self.send::<(), ()>(Method::DELETE, &path, None).await
    }

    pub(super) fn url(&self, path: &str) -> Result<url::Url> {
        self.base
            .join(path)
            .map_err(|e| Error::internal(format!("bad server path {path:?}: {e}")))
    }

    pub(super) fn request(&self, method: Method, url: url::Url) -> reqwest::RequestBuilder {
        self.http
            .request(method, url)
            .bearer_auth(self.key.expose())
    }

    /// Sends one logical request, retrying retryable failures with the same
    /// body. A `204` (or empty body) reads as JSON `null`.
    pub(super) async fn send<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T> {
        let url = self.url(path)?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut req = self
                .request(method.clone(), url.clone())
                .timeout(REQUEST_TIMEOUT);
            if let Some(body) = body {
                req = req.json(body);
            }
            let error = match req.send().await {
                Ok(resp) if resp.status().is_success() => return read_json(resp).await,
                Ok(resp) => error_from_response(resp).await,
                Err(e) => self.transport_error(e),
            };
            if !error.is_retryable() || attempt >= self.backoff.attempts {
                return Err(error);
            }
            let wait = match error.retry_after() {
                Some(after) if after > self.backoff.max_retry_after => return Err(error),
                Some(after) => after,
                None => self.backoff.delay(attempt),
            };
            tracing::debug!(%method, path, attempt, error = %error, ?wait, "iron-server request failed; retrying");
            tokio::time::sleep(wait).await;
        }
    }

    pub(super) fn transport_error(&self, e: reqwest::Error) -> Error {
        // Connect errors, timeouts, a reset mid-response: the request may or
        // may not have been applied, and the idempotency key makes a retry safe.
        let what = if e.is_connect() {
            "cannot connect to"
        } else if e.is_timeout() {
            "timed out talking to"
        } else {
            "lost the connection to"
        };
        Error::new(
            ErrorKind::Unavailable,
            format!("{what} iron-server at {}", self.base),
        )
        .with_source(e.without_url())
    }
}

async fn read_json<T: DeserializeOwned>(resp: reqwest::Response) -> Result<T> {
    let status = resp.status();
    let bytes = resp.bytes().await.map_err(|e| {
        Error::new(
            ErrorKind::Unavailable,
            "lost the connection to iron-server mid-response",
        )
        .with_source(e.without_url())
    })?;
    let text: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
    serde_json::from_slice(text).map_err(|e| {
        Error::internal(format!(
            "iron-server answered {status} with a body this client cannot read: {e}"
        ))
    })
}

pub(super) async fn error_from_response(resp: reqwest::Response) -> Error {
    let status = resp.status();
    let retry_after = resp
        .headers()
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = resp.bytes().await.unwrap_or_default();
    let body = &body[..body.len().min(MAX_ERROR_BODY)];
    let (code, message) = match serde_json::from_slice::<ErrorBody>(body) {
        Ok(b) => (b.error.code, b.error.message),
        Err(_) => (
            String::new(),
            String::from_utf8_lossy(body).chars().take(200).collect(),
        ),
    };
    map_error(status, &code, &message, retry_after)
}

/// The server's error code to the engine's kind. Key and project refusals
/// keep the server's code as the finer code.
pub(super) fn map_error(
    status: StatusCode,
    code: &str,
    message: &str,
    retry_after: Option<Duration>,
) -> Error {
    use ErrorKind::*;
    let (kind, finer): (ErrorKind, Option<&'static str>) = match code {
        "BUDGET_EXCEEDED" => (BudgetExceeded, None),
        "KEY_REVOKED" => (KeyRevoked, Some("key_revoked")),
        "KEY_SUSPENDED" => (KeyRevoked, Some("key_suspended")),
        "KEY_EXPIRED" => (KeyRevoked, Some("key_expired")),
        "UNAUTHENTICATED" => (KeyRevoked, Some("unauthenticated")),
        "IP_NOT_ALLOWED" => (KeyRevoked, Some("ip_not_allowed")),
        "PROJECT_PAUSED" => (ProjectPaused, Some("project_paused")),
        "PROJECT_ARCHIVED" => (ProjectPaused, Some("project_archived")),
        "RATE_LIMITED" => (RateLimited, None),
        _ if status == StatusCode::TOO_MANY_REQUESTS => (RateLimited, None),
        _ if status.is_server_error() => (Unavailable, None),
        // Anything else (validation, conflicts) means this client sent
        // something the server does not accept: a bug, not worth retrying.
        _ => (Internal, None),
    };
    let code = if code.is_empty() {
        "no error code"
    } else {
        code
    };
    let mut error = Error::new(
        kind,
        format!("iron-server answered {status} ({code}): {message}"),
    )
    .with_retry_after(retry_after);
    if let Some(finer) = finer {
        error = error.with_code(finer);
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_codes_map_to_kinds_and_keep_the_finer_code() {
        let m =
            |status: u16, code| map_error(StatusCode::from_u16(status).unwrap(), code, "m", None);
        assert_eq!(m(402, "BUDGET_EXCEEDED").kind(), ErrorKind::BudgetExceeded);
        for (status, code, finer) in [
            (403, "KEY_REVOKED", "key_revoked"),
            (403, "KEY_SUSPENDED", "key_suspended"),
            (401, "KEY_EXPIRED", "key_expired"),
            (401, "UNAUTHENTICATED", "unauthenticated"),
        ] {
            let e = m(status, code);
            assert_eq!((e.kind(), e.code()), (ErrorKind::KeyRevoked, finer));
            assert!(!e.is_retryable());
        }
        let e = m(403, "PROJECT_ARCHIVED");
        assert_eq!(
            (e.kind(), e.code()),
            (ErrorKind::ProjectPaused, "project_archived")
        );
        let e = map_error(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            "slow down",
            Some(Duration::from_secs(2)),
        );
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert!(e.is_retryable());
        assert_eq!(e.retry_after(), Some(Duration::from_secs(2)));
        assert!(m(503, "").is_retryable());
        assert_eq!(m(503, "").kind(), ErrorKind::Unavailable);
        let e = m(409, "IDEMPOTENCY_CONFLICT");
        assert_eq!(e.kind(), ErrorKind::Internal);
        assert!(!e.is_retryable());
        assert!(e.message().contains("IDEMPOTENCY_CONFLICT"));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let b = Backoff::default();
        assert!(b.delay(1) <= Duration::from_millis(100));
        assert!(b.delay(1) >= Duration::from_millis(50));
        assert!(b.delay(4) >= Duration::from_millis(400));
        assert!(b.delay(30) <= b.cap);
    }

    #[test]
    fn debug_redacts_the_key_and_bad_config_is_refused() {
        let c = RemoteClient::new("http://127.0.0.1:1", Secret::new("ic_topsecret")).unwrap();
        assert!(!format!("{c:?}").contains("topsecret"));
        let e = RemoteClient::new("ftp://x", Secret::new("ic_a")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        let e = RemoteClient::new("http://x", Secret::new("sk-a")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    }
}
