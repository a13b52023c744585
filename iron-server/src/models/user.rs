use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::Conn;
use crate::db::schema::users;
use crate::dispatch;
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Developer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Developer => "developer",
        }
    }

    pub fn parse(text: &str) -> AppResult<Role> {
        match text {
            "admin" => Ok(Role::Admin),
            "developer" => Ok(Role::Developer),
            other => Err(AppError::internal(format!(
                "unknown role in database: {other}"
            ))),
        }
    }
}

pub const STATUS_ACTIVE: &str = "active";
pub const STATUS_REMOVED: &str = "removed";

#[derive(Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("role", &self.role)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl User {
    pub fn role(&self) -> AppResult<Role> {
        Role::parse(&self.role)
    }
}

pub async fn find(conn: &mut Conn, id: &str) -> AppResult<Option<User>> {
    Ok(dispatch!(conn, |c| users::table
        .find(id)
        .first(c)
        .await
        .optional()?))
}

pub async fn find_active(conn: &mut Conn, id: &str) -> AppResult<User> {
    find(conn, id)
        .await?
        .filter(|u| u.status == STATUS_ACTIVE)
        .ok_or_else(|| AppError::not_found("user"))
}

pub async fn find_active_by_email(conn: &mut Conn, email: &str) -> AppResult<Option<User>> {
    let email = email.to_lowercase();
    Ok(dispatch!(conn, |c| users::table
        .filter(users::email.eq(&email))
        .filter(users::status.eq(STATUS_ACTIVE))
        .first(c)
        .await
        .optional()?))
}

pub async fn count_all(conn: &mut Conn) -> AppResult<i64> {
    Ok(dispatch!(conn, |c| users::table
        .count()
        .get_result(c)
        .await?))
}

pub async fn count_active_admins(conn: &mut Conn) -> AppResult<i64> {
    Ok(dispatch!(conn, |c| users::table
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::status.eq(STATUS_ACTIVE))
        .count()
        .get_result(c)
        .await?))
}

pub async fn insert(conn: &mut Conn, user: &User) -> AppResult<()> {
    dispatch!(conn, |c| diesel::insert_into(users::table)
        .values(user)
        .execute(c)
        .await?);
    Ok(())
}

pub async fn list_active(conn: &mut Conn, after: Option<&str>, limit: i64) -> AppResult<Vec<User>> {
    let after = after.unwrap_or("");
    Ok(dispatch!(conn, |c| users::table
        .filter(users::status.eq(STATUS_ACTIVE))
        .filter(users::id.gt(after))
        .order(users::id)
        .limit(limit)
        .load(c)
        .await?))
}

pub async fn set_role(conn: &mut Conn, id: &str, role: Role, now: i64) -> AppResult<()> {
    dispatch!(conn, |c| diesel::update(users::table.find(id))
        .set((users::role.eq(role.as_str()), users::updated_at.eq(now)))
        .execute(c)
        .await?);
    Ok(())
}

/// Removal keeps the row (audit records and keys point at it) but frees the
/// email for a later invitation.
pub async fn mark_removed(conn: &mut Conn, user: &User, now: i64) -> AppResult<()> {
    let tombstone = format!("removed+{}+{}", user.id, user.email);
    dispatch!(conn, |c| diesel::update(users::table.find(&user.id))
        .set((
            users::status.eq(STATUS_REMOVED),
            users::email.eq(&tombstone),
            users::updated_at.eq(now),
        ))
        .execute(c)
        .await?);
    Ok(())
}

pub async fn set_password_hash(conn: &mut Conn, id: &str, hash: &str, now: i64) -> AppResult<()> {
    dispatch!(conn, |c| diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(c)
        .await?);
    Ok(())
}
