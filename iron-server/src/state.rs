//! Shared server state and the data keys kept (wrapped) in the database.

use std::sync::Arc;

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use rand::RngCore;
use zeroize::Zeroizing;

use crate::audit::{self, Actor, Event};
use crate::auth::AuthUser;
use crate::auth::limiter::LoginLimiter;
use crate::auth::tokens::JwtKeys;
use crate::config::ServeConfig;
use crate::crypto::{MasterKey, Sealed};
use crate::db::schema::server_keys;
use crate::db::{Conn, Db};
use crate::dispatch;
use crate::error::{AppError, AppResult};
use crate::ratelimit::SdkRateLimiter;
use crate::settings::SettingsCache;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<ServeConfig>,
    pub keys: Arc<Keys>,
    pub login_limiter: Arc<LoginLimiter>,
    /// Client for the vault's "test connection" calls to providers.
    pub http: reqwest::Client,
    /// Fan-out of kill-switch and policy events to SDK control streams.
    pub control: Arc<crate::control::ControlBus>,
    /// Admin-edited settings, cached for a few seconds.
    pub settings: Arc<SettingsCache>,
    pub rate_limiter: Arc<SdkRateLimiter>,
}

pub struct Keys {
    pub master: MasterKey,
    pub jwt: JwtKeys,
    pub audit_hmac: Zeroizing<Vec<u8>>,
}

pub const JWT_KEY_NAME: &str = "jwt_signing";
pub const AUDIT_KEY_NAME: &str = "audit_hmac";

impl Keys {
    pub async fn load(conn: &mut Conn, master: MasterKey) -> AppResult<Keys> {
        let jwt = load_or_create_data_key(conn, &master, JWT_KEY_NAME).await?;
        let audit_hmac = load_or_create_data_key(conn, &master, AUDIT_KEY_NAME).await?;
        Ok(Keys {
            jwt: JwtKeys::new(&jwt),
            audit_hmac,
            master,
        })
    }
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = server_keys)]
pub struct ServerKeyRow {
    pub name: String,
    pub nonce: String,
    pub ciphertext: String,
    pub created_at: i64,
}

/// Reads a data key; on first start generates it. Several replicas racing
/// here all end up with the row that was inserted first.
async fn load_or_create_data_key(
    conn: &mut Conn,
    master: &MasterKey,
    name: &str,
) -> AppResult<Zeroizing<Vec<u8>>> {
    let mut fresh = Zeroizing::new(vec![0u8; 32]);
    rand::rng().fill_bytes(&mut fresh);
    let sealed = master.seal(&fresh, name);
    let row = ServerKeyRow {
        name: name.to_owned(),
        nonce: sealed.nonce,
        ciphertext: sealed.ciphertext,
        created_at: crate::time::now_micros(),
    };
    let stored: ServerKeyRow = dispatch!(conn, |c| {
        diesel::insert_into(server_keys::table)
            .values(&row)
            .on_conflict(server_keys::name)
            .do_nothing()
            .execute(c)
            .await?;
        server_keys::table.find(name).first(c).await?
    });
    master
        .open(
            &Sealed {
                nonce: stored.nonce,
                ciphertext: stored.ciphertext,
            },
            name,
        )
        .map_err(|_| {
            AppError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "MASTER_KEY_MISMATCH",
                "cannot decrypt the server keys: the master key does not match this database",
            )
        })
}

pub async fn all_server_keys(conn: &mut Conn) -> AppResult<Vec<ServerKeyRow>> {
    Ok(dispatch!(conn, |c| server_keys::table.load(c).await?))
}

pub async fn replace_server_key(conn: &mut Conn, name: &str, sealed: &Sealed) -> AppResult<()> {
    dispatch!(conn, |c| diesel::update(server_keys::table.find(name))
        .set((
            server_keys::nonce.eq(&sealed.nonce),
            server_keys::ciphertext.eq(&sealed.ciphertext),
        ))
        .execute(c)
        .await?);
    Ok(())
}

impl AppState {
    /// Writes `event` to the HMAC-chained audit trail as done by `user`,
    /// inside the caller's transaction.
    pub async fn audit(&self, conn: &mut Conn, user: &AuthUser, event: Event<'_>) -> AppResult<()> {
        audit::record(conn, &self.keys.audit_hmac, &Actor::from(user), event).await
    }
}
