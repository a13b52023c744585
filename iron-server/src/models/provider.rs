use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::crypto::Sealed;
use crate::db::Conn;
use crate::db::schema::provider_credentials;
use crate::dispatch;
use crate::error::{AppError, AppResult};

/// A vault entry. Only `masked_value` may ever leave the server.
#[derive(Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = provider_credentials)]
pub struct ProviderCredential {
    pub id: String,
    pub project_id: String,
    pub provider: String,
    pub label: String,
    pub masked_value: String,
    pub nonce: String,
    pub ciphertext: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl std::fmt::Debug for ProviderCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderCredential")
            .field("id", &self.id)
            .field("provider", &self.provider)
            .field("masked_value", &self.masked_value)
            .finish_non_exhaustive()
    }
}

impl ProviderCredential {
    pub fn sealed(&self) -> Sealed {
        Sealed {
            nonce: self.nonce.clone(),
            ciphertext: self.ciphertext.clone(),
        }
    }
}

pub async fn insert(conn: &mut Conn, entry: &ProviderCredential) -> AppResult<()> {
    dispatch!(conn, |c| diesel::insert_into(provider_credentials::table)
        .values(entry)
        .execute(c)
        .await?);
    Ok(())
}

pub async fn find_in_project(
    conn: &mut Conn,
    project_id: &str,
    id: &str,
) -> AppResult<ProviderCredential> {
    dispatch!(conn, |c| provider_credentials::table
        .find(id)
        .filter(provider_credentials::project_id.eq(project_id))
        .first(c)
        .await
        .optional()?)
    .ok_or_else(|| AppError::not_found("provider credential"))
}

pub async fn list_for_project(
    conn: &mut Conn,
    project_id: &str,
) -> AppResult<Vec<ProviderCredential>> {
    Ok(dispatch!(conn, |c| provider_credentials::table
        .filter(provider_credentials::project_id.eq(project_id))
        .order(provider_credentials::id)
        .load(c)
        .await?))
}

pub async fn list_all(conn: &mut Conn) -> AppResult<Vec<ProviderCredential>> {
    Ok(dispatch!(conn, |c| provider_credentials::table
        .load(c)
        .await?))
}

pub async fn replace_secret(
    conn: &mut Conn,
    id: &str,
    sealed: &Sealed,
    masked_value: Option<&str>,
    now: i64,
) -> AppResult<()> {
    dispatch!(conn, |c| {
        diesel::update(provider_credentials::table.find(id))
            .set((
                provider_credentials::nonce.eq(&sealed.nonce),
                provider_credentials::ciphertext.eq(&sealed.ciphertext),
                provider_credentials::updated_at.eq(now),
            ))
            .execute(c)
            .await?;
        if let Some(masked) = masked_value {
            diesel::update(provider_credentials::table.find(id))
                .set(provider_credentials::masked_value.eq(masked))
                .execute(c)
                .await?;
        }
    });
    Ok(())
}

pub async fn delete(conn: &mut Conn, id: &str) -> AppResult<()> {
    dispatch!(conn, |c| diesel::delete(
        provider_credentials::table.find(id)
    )
    .execute(c)
    .await?);
    Ok(())
}
