//! The anomaly detector: a background task on every replica that looks for
//! keys used from too many IPs at once or spending too fast, raises an
//! alert and, per setting, suspends the key.
//!
//! Several replicas may run it at the same time: an alert's id is derived
//! from (rule, key, window), so the insert is done once (ON CONFLICT DO
//! NOTHING) and only the replica whose insert landed suspends the key.

use std::collections::BTreeMap;
use std::time::Duration;

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::Actor;
use crate::db::raw::{self, RawQuery};
use crate::error::AppResult;
use crate::models::alert::{self, NewAlert};
use crate::money::Usd;
use crate::routes::keys::{KeyStatusChange, announce_status, apply_status_change};
use crate::settings::AnomalySettings;
use crate::state::AppState;
use crate::time::{MICROS_PER_SECOND, now_micros};
use crate::transaction;

pub const MULTI_IP: &str = "anomaly_multi_ip";
pub const SPEND_RATE: &str = "anomaly_spend_rate";
const MINUTE: i64 = 60 * MICROS_PER_SECOND;

pub fn spawn(state: AppState, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(err) = run_once(&state, now_micros()).await {
                tracing::warn!(error = %err, "anomaly detector pass failed");
            }
        }
    });
}

#[derive(QueryableByName)]
struct KeyIps {
    #[diesel(sql_type = Text)]
    key_id: String,
    #[diesel(sql_type = Text)]
    project_id: String,
    #[diesel(sql_type = Text)]
    ip: String,
}

#[derive(QueryableByName)]
struct KeySpend {
    #[diesel(sql_type = Text)]
    key_id: String,
    #[diesel(sql_type = Text)]
    project_id: String,
    #[diesel(sql_type = BigInt)]
    micros: i64,
}

/// One finding of one rule for one key.
struct Finding {
    kind: &'static str,
    key_id: String,
    project_id: String,
    message: String,
    data: serde_json::Value,
}

/// One detector pass; returns the number of new alerts.
pub async fn run_once(state: &AppState, now: i64) -> AppResult<usize> {
    let settings = state.settings.get(&state.db).await?.anomaly;
    let mut findings = multi_ip(state, &settings, now).await?;
    findings.extend(spend_rate(state, &settings, now).await?);
    let window = i64::from(settings.window_secs) * MICROS_PER_SECOND;
    let mut raised = 0;
    for finding in findings {
        if raise(state, &settings, &finding, now, now / window).await? {
            raised += 1;
        }
    }
    Ok(raised)
}

async fn multi_ip(state: &AppState, s: &AnomalySettings, now: i64) -> AppResult<Vec<Finding>> {
    let since = now - i64::from(s.window_secs) * MICROS_PER_SECOND;
    let mut q = RawQuery::new(
        "SELECT DISTINCT s.key_id AS key_id, s.project_id AS project_id, s.ip AS ip \
         FROM sdk_sessions s WHERE s.last_seen_at >= ? AND s.ip IS NOT NULL AND s.key_id IN \
         (SELECT t.key_id FROM sdk_sessions t WHERE t.last_seen_at >= ? AND t.ip IS NOT NULL \
          GROUP BY t.key_id HAVING COUNT(DISTINCT t.ip) > ?) ORDER BY s.key_id, s.ip",
    );
    q.int(since).int(since).int(i64::from(s.max_ips_per_key));
    let mut conn = state.db.conn().await?;
    let rows: Vec<KeyIps> = raw::load(&mut conn, q).await?;
    let mut by_key: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for row in rows {
        by_key
            .entry((row.key_id, row.project_id))
            .or_default()
            .push(row.ip);
    }
    Ok(by_key
        .into_iter()
        .map(|((key_id, project_id), ips)| Finding {
            kind: MULTI_IP,
            message: format!(
                "key used from {} IP addresses within {} s (limit {})",
                ips.len(),
                s.window_secs,
                s.max_ips_per_key
            ),
            data: json!({"ips": ips, "window_secs": s.window_secs, "max_ips_per_key": s.max_ips_per_key}),
            key_id,
            project_id,
        })
        .collect())
}

/// Spend of the last minute per key: the larger of the usage lines reported
/// and the settled leases (a client may settle without usage lines).
async fn spend_rate(state: &AppState, s: &AnomalySettings, now: i64) -> AppResult<Vec<Finding>> {
    let since = now - MINUTE;
    let limit = s.max_spend_usd_per_min.micros();
    let mut conn = state.db.conn().await?;
    let mut usage = RawQuery::new(
        "SELECT u.key_id AS key_id, u.project_id AS project_id, \
         CAST(SUM(u.cost_micros) AS BIGINT) AS micros FROM usage_records u \
         WHERE u.at >= ? GROUP BY u.key_id, u.project_id",
    );
    usage.int(since);
    let mut leases = RawQuery::new(
        "SELECT l.key_id AS key_id, l.project_id AS project_id, \
         CAST(SUM(l.spent_micros) AS BIGINT) AS micros FROM leases l \
         WHERE l.settled_at >= ? GROUP BY l.key_id, l.project_id",
    );
    leases.int(since);
    let mut spent: BTreeMap<(String, String), i64> = BTreeMap::new();
    for query in [usage, leases] {
        let rows: Vec<KeySpend> = raw::load(&mut conn, query).await?;
        for row in rows {
            let slot = spent.entry((row.key_id, row.project_id)).or_default();
            *slot = (*slot).max(row.micros);
        }
    }
    Ok(spent
        .into_iter()
        .filter(|(_, micros)| *micros > limit)
        .map(|((key_id, project_id), micros)| Finding {
            kind: SPEND_RATE,
            message: format!(
                "key spent ${} within the last minute (limit ${}/min)",
                Usd(micros),
                Usd(limit)
            ),
            data: json!({"spent_usd": Usd(micros), "max_spend_usd_per_min": Usd(limit)}),
            key_id,
            project_id,
        })
        .collect())
}

/// The same rule, key and window always give the same id.
fn alert_id(kind: &str, key_id: &str, window_index: i64) -> String {
    let digest = Sha256::digest(format!("{kind}|{key_id}|{window_index}").as_bytes());
    let bytes: [u8; 16] = digest[..16].try_into().expect("16 bytes");
    format!("alert_{}", uuid::Uuid::from_bytes(bytes))
}

async fn raise(
    state: &AppState,
    s: &AnomalySettings,
    f: &Finding,
    now: i64,
    window_index: i64,
) -> AppResult<bool> {
    let id = alert_id(f.kind, &f.key_id, window_index);
    let mut data = f.data.clone();
    data["auto_suspend"] = json!(s.auto_suspend);
    let new = NewAlert {
        id: &id,
        project_id: Some(&f.project_id),
        key_id: Some(&f.key_id),
        kind: f.kind,
        severity: if s.auto_suspend {
            "critical"
        } else {
            "warning"
        },
        message: &f.message,
        data: &data,
        created_at: now,
    };
    let mut conn = state.db.conn().await?;
    let system = Actor {
        user_id: None,
        ip: None,
    };
    let suspended = transaction!(conn, {
        if !alert::insert_once(&mut conn, &new).await? {
            return Ok(None);
        }
        tracing::warn!(kind = f.kind, key_id = %f.key_id, "anomaly detected");
        metrics::counter!("iron_anomalies_total", "kind" => f.kind).increment(1);
        if !s.auto_suspend {
            return Ok(Some(None));
        }
        match apply_status_change(
            state,
            &mut conn,
            &system,
            &f.key_id,
            KeyStatusChange::Suspend,
        )
        .await
        {
            // Already suspended or revoked: nothing more to do.
            Err(err) if err.code() == "CONFLICT" => Ok(Some(None)),
            Err(err) => Err(err),
            Ok(key) => {
                tracing::warn!(key_id = %f.key_id, "key suspended automatically");
                Ok(Some(Some(key)))
            }
        }
    })?;
    // Raised: Some(_); the key's SDK sessions hear of a suspension only after it committed.
    if let Some(Some(key)) = &suspended {
        announce_status(state, key).await;
    }
    Ok(suspended.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_ids_are_stable_per_rule_key_and_window() {
        let a = alert_id(MULTI_IP, "key_1", 7);
        assert_eq!(a, alert_id(MULTI_IP, "key_1", 7));
        assert_ne!(a, alert_id(MULTI_IP, "key_1", 8));
        assert_ne!(a, alert_id(SPEND_RATE, "key_1", 7));
        assert_ne!(a, alert_id(MULTI_IP, "key_2", 7));
        assert!(a.starts_with("alert_"));
    }
}
