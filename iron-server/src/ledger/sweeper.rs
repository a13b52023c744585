//! Expires leases whose holder vanished. Safe with several replicas: each
//! expiry is a conditional UPDATE (`status = 'open'`) under the project lock,
//! so two sweepers never charge a lease twice.

use std::time::Duration;

use crate::db::Db;
use crate::error::AppResult;
use crate::ledger::{ExpireScope, expire};
use crate::models::lease;
use crate::time::now_micros;
use crate::transaction;

/// Projects handled per sweep; the rest wait for the next tick.
const PROJECTS_PER_SWEEP: i64 = 100;

pub fn spawn(db: Db, interval: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(err) = sweep(&db).await {
                tracing::warn!(error = %err, "lease sweep failed; retrying next tick");
            }
        }
    });
}

/// One pass: expires every due open lease of up to `PROJECTS_PER_SWEEP` projects.
pub async fn sweep(db: &Db) -> AppResult<usize> {
    let mut conn = db.conn().await?;
    let now = now_micros();
    let projects = lease::projects_with_due_leases(&mut conn, now, PROJECTS_PER_SWEEP).await?;
    let mut expired = 0;
    for project_id in projects {
        expired += transaction!(conn, {
            expire(&mut conn, &project_id, ExpireScope::Due, now).await
        })?;
    }
    if expired > 0 {
        tracing::info!(expired, "expired leases past their TTL");
    }
    Ok(expired)
}
