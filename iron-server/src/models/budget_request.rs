use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::db::Conn;
use crate::db::schema::budget_requests;
use crate::dispatch;
use crate::error::{AppError, AppResult};

pub const PENDING: &str = "pending";
pub const APPROVED: &str = "approved";
pub const DENIED: &str = "denied";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = budget_requests)]
pub struct BudgetRequest {
    pub id: String,
    pub project_id: String,
    pub requester_id: String,
    pub amount_micros: i64,
    pub reason: String,
    pub status: String,
    pub decided_by: Option<String>,
    pub decision_reason: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

pub async fn insert(conn: &mut Conn, request: &BudgetRequest) -> AppResult<()> {
    dispatch!(conn, |c| diesel::insert_into(budget_requests::table)
        .values(request)
        .execute(c)
        .await?);
    Ok(())
}

pub async fn find(conn: &mut Conn, id: &str) -> AppResult<BudgetRequest> {
    dispatch!(conn, |c| budget_requests::table
        .find(id)
        .first(c)
        .await
        .optional()?)
    .ok_or_else(|| AppError::not_found("budget request"))
}

pub async fn list(
    conn: &mut Conn,
    requester: Option<&str>,
    status: Option<&str>,
    after: &str,
    limit: i64,
) -> AppResult<Vec<BudgetRequest>> {
    Ok(dispatch!(conn, |c| {
        let mut query = budget_requests::table
            .filter(budget_requests::id.gt(after))
            .into_boxed();
        if let Some(requester) = requester {
            query = query.filter(budget_requests::requester_id.eq(requester.to_owned()));
        }
        if let Some(status) = status {
            query = query.filter(budget_requests::status.eq(status.to_owned()));
        }
        query
            .order(budget_requests::id)
            .limit(limit)
            .load(c)
            .await?
    }))
}

/// Records the decision only while still pending, so a request is decided once.
pub async fn decide(
    conn: &mut Conn,
    id: &str,
    status: &str,
    decided_by: &str,
    reason: Option<&str>,
    now: i64,
) -> AppResult<bool> {
    let updated = dispatch!(conn, |c| diesel::update(
        budget_requests::table
            .find(id)
            .filter(budget_requests::status.eq(PENDING))
    )
    .set((
        budget_requests::status.eq(status),
        budget_requests::decided_by.eq(decided_by),
        budget_requests::decision_reason.eq(reason),
        budget_requests::decided_at.eq(now),
    ))
    .execute(c)
    .await?);
    Ok(updated == 1)
}
