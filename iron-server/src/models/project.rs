use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::db::Conn;
use crate::db::schema::{project_members, projects, users};
use crate::dispatch;
use crate::error::{AppError, AppResult};
use crate::models::user::{STATUS_ACTIVE, User};

pub const ACTIVE: &str = "active";
pub const PAUSED: &str = "paused";
pub const ARCHIVED: &str = "archived";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = projects)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub description: String,
    pub status: String,
    pub budget_micros: i64,
    pub budget_period: String,
    pub period_started_at: i64,
    pub spent_micros: i64,
    pub reserved_micros: i64,
    pub soft_threshold_pct: i32,
    pub hard_threshold_pct: i32,
    pub allowed_models: String,
    pub policy: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The columns an admin edits; the ledger columns are never written from here.
#[derive(AsChangeset)]
#[diesel(table_name = projects)]
pub struct ProjectSettings {
    pub name: String,
    pub description: String,
    pub budget_micros: i64,
    pub budget_period: String,
    pub soft_threshold_pct: i32,
    pub hard_threshold_pct: i32,
    pub allowed_models: String,
    pub policy: String,
    pub updated_at: i64,
}

impl Project {
    pub fn settings(&self) -> ProjectSettings {
        ProjectSettings {
            name: self.name.clone(),
            description: self.description.clone(),
            budget_micros: self.budget_micros,
            budget_period: self.budget_period.clone(),
            soft_threshold_pct: self.soft_threshold_pct,
            hard_threshold_pct: self.hard_threshold_pct,
            allowed_models: self.allowed_models.clone(),
            policy: self.policy.clone(),
            updated_at: self.updated_at,
        }
    }
}

/// Start of the budget period containing `now` (UTC): midnight, Monday
/// midnight, or the first of the month. `None` for a budget that never resets.
pub fn current_period_start(period: &str, now_micros: i64) -> Option<i64> {
    let now = DateTime::<Utc>::from_timestamp_micros(now_micros)?;
    let midnight = |date: chrono::NaiveDate| Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN));
    let start = match period {
        "daily" => midnight(now.date_naive()),
        "weekly" => {
            let days_since_monday = i64::from(now.weekday().num_days_from_monday());
            midnight(now.date_naive() - Duration::days(days_since_monday))
        }
        "monthly" => midnight(now.date_naive().with_day(1)?),
        _ => return None,
    };
    Some(start.timestamp_micros())
}

pub async fn insert(conn: &mut Conn, project: &Project) -> AppResult<()> {
    dispatch!(conn, |c| diesel::insert_into(projects::table)
        .values(project)
        .execute(c)
        .await?);
    Ok(())
}

pub async fn find(conn: &mut Conn, id: &str) -> AppResult<Project> {
    dispatch!(conn, |c| projects::table
        .find(id)
        .first(c)
        .await
        .optional()?)
    .ok_or_else(|| AppError::not_found("project"))
}

/// Projects in id order; for a developer, only those they are a member of.
pub async fn list(
    conn: &mut Conn,
    member: Option<&str>,
    status: Option<&str>,
    after: &str,
    limit: i64,
) -> AppResult<Vec<Project>> {
    Ok(dispatch!(conn, |c| {
        let mut query = projects::table
            .filter(projects::id.gt(after))
            .select(Project::as_select())
            .into_boxed();
        if let Some(user_id) = member {
            let memberships = project_members::table
                .filter(project_members::user_id.eq(user_id.to_owned()))
                .select(project_members::project_id);
            query = query.filter(projects::id.eq_any(memberships));
        }
        query = match status {
            Some(status) => query.filter(projects::status.eq(status.to_owned())),
            None => query.filter(projects::status.ne(ARCHIVED)),
        };
        query.order(projects::id).limit(limit).load(c).await?
    }))
}

pub async fn save_settings(conn: &mut Conn, id: &str, settings: &ProjectSettings) -> AppResult<()> {
    dispatch!(conn, |c| diesel::update(projects::table.find(id))
        .set(settings)
        .execute(c)
        .await?);
    Ok(())
}

/// Moves to `to` only from one of `from`; false when the project was elsewhere.
pub async fn transition(
    conn: &mut Conn,
    id: &str,
    from: &[&str],
    to: &str,
    now: i64,
) -> AppResult<bool> {
    let updated = dispatch!(conn, |c| diesel::update(
        projects::table
            .find(id)
            .filter(projects::status.eq_any(from))
    )
    .set((projects::status.eq(to), projects::updated_at.eq(now)))
    .execute(c)
    .await?);
    Ok(updated == 1)
}

/// Starts a new budget period if the stored one is over; conditional on the
/// old start so concurrent readers reset it once.
pub async fn roll_period(conn: &mut Conn, project: &mut Project, now: i64) -> AppResult<()> {
    let Some(start) = current_period_start(&project.budget_period, now) else {
        return Ok(());
    };
    if project.period_started_at >= start {
        return Ok(());
    }
    let old_start = project.period_started_at;
    dispatch!(conn, |c| diesel::update(
        projects::table
            .find(&project.id)
            .filter(projects::period_started_at.eq(old_start))
    )
    .set((
        projects::spent_micros.eq(0),
        projects::period_started_at.eq(start)
    ))
    .execute(c)
    .await?);
    *project = find(conn, &project.id).await?;
    Ok(())
}

pub async fn add_budget(conn: &mut Conn, id: &str, amount_micros: i64, now: i64) -> AppResult<()> {
    dispatch!(conn, |c| diesel::update(projects::table.find(id))
        .set((
            projects::budget_micros.eq(projects::budget_micros + amount_micros),
            projects::updated_at.eq(now),
        ))
        .execute(c)
        .await?);
    Ok(())
}

pub async fn is_member(conn: &mut Conn, project_id: &str, user_id: &str) -> AppResult<bool> {
    let count: i64 = dispatch!(conn, |c| project_members::table
        .filter(project_members::project_id.eq(project_id))
        .filter(project_members::user_id.eq(user_id))
        .count()
        .get_result(c)
        .await?);
    Ok(count > 0)
}

pub async fn add_member(
    conn: &mut Conn,
    project_id: &str,
    user_id: &str,
    now: i64,
) -> AppResult<()> {
    dispatch!(conn, |c| diesel::insert_into(project_members::table)
        .values((
            project_members::project_id.eq(project_id),
            project_members::user_id.eq(user_id),
            project_members::added_at.eq(now),
        ))
        .on_conflict((project_members::project_id, project_members::user_id))
        .do_nothing()
        .execute(c)
        .await?);
    Ok(())
}

pub async fn remove_member(conn: &mut Conn, project_id: &str, user_id: &str) -> AppResult<bool> {
    let deleted = dispatch!(conn, |c| diesel::delete(
        project_members::table
            .filter(project_members::project_id.eq(project_id))
            .filter(project_members::user_id.eq(user_id))
    )
    .execute(c)
    .await?);
    Ok(deleted == 1)
}

pub async fn members(conn: &mut Conn, project_id: &str) -> AppResult<Vec<User>> {
    Ok(dispatch!(conn, |c| project_members::table
        .inner_join(users::table)
        .filter(project_members::project_id.eq(project_id))
        .filter(users::status.eq(STATUS_ACTIVE))
        .select(User::as_select())
        .order(users::id)
        .load(c)
        .await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn micros(text: &str) -> i64 {
        crate::time::parse_iso(text).unwrap()
    }

    #[test]
    fn periods_start_at_utc_midnight_monday_and_first_of_month() {
        let now = micros("2026-11-26T15:30:00Z"); // a Thursday
        assert_eq!(
            current_period_start("daily", now),
            Some(micros("2026-11-26T00:00:00Z"))
        );
        assert_eq!(
            current_period_start("weekly", now),
            Some(micros("2026-11-23T00:00:00Z"))
        );
        assert_eq!(
            current_period_start("monthly", now),
            Some(micros("2026-11-01T00:00:00Z"))
        );
        assert_eq!(current_period_start("none", now), None);
    }
}
