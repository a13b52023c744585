//! HTTP client of the admin API with the stored session, refreshed on 401.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Global, config_dir};

pub const DEFAULT_SERVER: &str = "http://127.0.0.1:8080";

/// A failure with the process exit code it maps to.
#[derive(Debug)]
pub struct CliError {
    pub exit_code: u8,
    pub message: String,
}

pub const EXIT_FAILURE: u8 = 1;
pub const EXIT_NOT_LOGGED_IN: u8 = 3;
pub const EXIT_AUDIT_BROKEN: u8 = 4;
pub const EXIT_LEDGER_IMBALANCE: u8 = 5;

impl CliError {
    pub fn new(exit_code: u8, message: impl Into<String>) -> CliError {
        CliError {
            exit_code,
            message: message.into(),
        }
    }

    pub fn failure(message: impl Into<String>) -> CliError {
        CliError::new(EXIT_FAILURE, message)
    }
}

#[derive(Serialize, Deserialize)]
pub struct StoredSession {
    pub server: String,
    pub email: String,
    pub access_token: String,
    pub refresh_token: String,
}

impl StoredSession {
    fn path() -> PathBuf {
        config_dir().join("session.json")
    }

    pub fn load() -> Option<StoredSession> {
        let text = std::fs::read_to_string(Self::path()).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Written owner-only: the file holds live tokens.
    pub fn save(&self) -> Result<(), CliError> {
        let path = Self::path();
        let io_error =
            |e: std::io::Error| CliError::failure(format!("cannot write {}: {e}", path.display()));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io_error)?;
        }
        let tmp = path.with_extension("tmp");
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(io_error)?;
        let text =
            serde_json::to_string_pretty(self).map_err(|e| CliError::failure(e.to_string()))?;
        file.write_all(text.as_bytes()).map_err(io_error)?;
        std::fs::rename(&tmp, &path).map_err(io_error)
    }

    pub fn delete() {
        let _ = std::fs::remove_file(Self::path());
    }
}

pub struct Client {
    http: reqwest::Client,
    server: String,
    session: Option<StoredSession>,
}

impl Client {
    pub fn new(global: &Global) -> Client {
        let session = StoredSession::load();
        let server = global
            .server
            .clone()
            .or_else(|| session.as_ref().map(|s| s.server.clone()))
            .unwrap_or_else(|| DEFAULT_SERVER.to_owned());
        Client {
            http: reqwest::Client::new(),
            server: server.trim_end_matches('/').to_owned(),
            session,
        }
    }

    pub fn server(&self) -> &str {
        &self.server
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Result<(u16, Value), CliError> {
        let mut request = self.http.request(method, format!("{}{path}", self.server));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| {
            CliError::failure(format!("cannot reach {}: {}", self.server, e.without_url()))
        })?;
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
    }

    /// Calls without a session (login, refresh).
    pub async fn anonymous(
        &self,
        method: Method,
        path: &str,
        body: &Value,
    ) -> Result<Value, CliError> {
        let (status, reply) = self.send(method, path, None, Some(body)).await?;
        into_result(status, reply)
    }

    /// Calls with the stored session, refreshing it once if it expired.
    pub async fn call(
        &mut self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, CliError> {
        let not_logged_in = || {
            CliError::new(
                EXIT_NOT_LOGGED_IN,
                "not logged in: run `iron login --email ...` first",
            )
        };
        let access = self
            .session
            .as_ref()
            .ok_or_else(not_logged_in)?
            .access_token
            .clone();
        let (status, reply) = self
            .send(method.clone(), path, Some(&access), body.as_ref())
            .await?;
        if status != 401 {
            return into_result(status, reply);
        }
        self.refresh().await.map_err(|_| {
            CliError::new(
                EXIT_NOT_LOGGED_IN,
                "the session expired: run `iron login` again",
            )
        })?;
        let access = self
            .session
            .as_ref()
            .ok_or_else(not_logged_in)?
            .access_token
            .clone();
        let (status, reply) = self
            .send(method, path, Some(&access), body.as_ref())
            .await?;
        into_result(status, reply)
    }

    async fn refresh(&mut self) -> Result<(), CliError> {
        let Some(session) = &self.session else {
            return Err(CliError::failure("no session"));
        };
        let body = json!({"refresh_token": session.refresh_token});
        let fresh = self
            .anonymous(Method::POST, "/api/v1/auth/refresh", &body)
            .await?;
        let stored = StoredSession {
            server: session.server.clone(),
            email: session.email.clone(),
            access_token: string_field(&fresh, "access_token")?,
            refresh_token: string_field(&fresh, "refresh_token")?,
        };
        stored.save()?;
        self.session = Some(stored);
        Ok(())
    }

    pub fn session(&self) -> Option<&StoredSession> {
        self.session.as_ref()
    }
}

pub fn string_field(value: &Value, field: &str) -> Result<String, CliError> {
    value[field]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| CliError::failure(format!("unexpected reply: no `{field}`")))
}

fn into_result(status: u16, reply: Value) -> Result<Value, CliError> {
    if (200..300).contains(&status) {
        return Ok(reply);
    }
    let code = reply["error"]["code"].as_str().unwrap_or("HTTP_ERROR");
    let message = reply["error"]["message"].as_str().unwrap_or("no details");
    let exit_code = if status == 401 {
        EXIT_NOT_LOGGED_IN
    } else {
        EXIT_FAILURE
    };
    Err(CliError::new(
        exit_code,
        format!("{code} ({status}): {message}"),
    ))
}
