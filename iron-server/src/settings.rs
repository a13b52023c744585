//! Server-wide settings admins edit (anomaly thresholds, rate limits, the
//! SDK's lease defaults, the policy new projects start with), one
//! JSON row per group in `settings`. Hot paths read a copy cached for a few
//! seconds, so a change reaches every replica within [`CACHE_TTL`].

use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::settings;
use crate::db::{Conn, Db};
use crate::dispatch;
use crate::error::{AppError, AppResult};
use crate::money::Usd;
use crate::routes::projects::{
    PiiMode, Severity, ToolPolicy, validate_lease_size, validate_lease_ttl, validate_tool_policy,
};

pub const CACHE_TTL: Duration = Duration::from_secs(5);
const ANOMALY: &str = "anomaly";
const RATE_LIMITS: &str = "rate_limits";
const LEASE_DEFAULTS: &str = "lease_defaults";
const POLICY_DEFAULTS: &str = "policy_defaults";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnomalySettings {
    /// More distinct client IPs than this for one key within the window is an anomaly.
    pub max_ips_per_key: u32,
    /// The window of the multi-IP rule, and the deduplication window of anomaly alerts.
    pub window_secs: u32,
    /// Spend of one key within the last minute above this is an anomaly.
    pub max_spend_usd_per_min: Usd,
    /// Suspend the key when an anomaly is detected.
    pub auto_suspend: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimits {
    /// SDK requests per minute per IC key.
    pub key_rpm: u32,
    /// SDK requests per minute per project (all its keys).
    pub project_rpm: u32,
}

/// Lease terms the SDK handshake hands out unless the project sets its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaseDefaults {
    /// Budget tranche per lease.
    pub lease_size_usd: Usd,
    /// Lease lifetime; a lease not settled by then is charged in full.
    #[schema(minimum = 10, maximum = 86400)]
    pub lease_ttl_secs: u32,
}

/// The safety policy a new project starts with when its creator names none.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyDefaults {
    pub pii_mode: PiiMode,
    /// Injection findings at or above this severity block the call.
    pub injection_threshold: Severity,
    pub tool_policy: ToolPolicy,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Settings {
    pub anomaly: AnomalySettings,
    pub rate_limits: RateLimits,
    pub lease_defaults: LeaseDefaults,
    pub policy_defaults: PolicyDefaults,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            anomaly: AnomalySettings {
                max_ips_per_key: 3,
                window_secs: 300,
                max_spend_usd_per_min: Usd(5_000_000),
                auto_suspend: false,
            },
            rate_limits: RateLimits {
                key_rpm: 600,
                project_rpm: 6000,
            },
            lease_defaults: LeaseDefaults {
                lease_size_usd: Usd(500_000),
                lease_ttl_secs: 300,
            },
            policy_defaults: PolicyDefaults {
                pii_mode: PiiMode::Redact,
                injection_threshold: Severity::High,
                tool_policy: ToolPolicy::default(),
            },
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnomalyPatch {
    pub max_ips_per_key: Option<u32>,
    pub window_secs: Option<u32>,
    pub max_spend_usd_per_min: Option<Usd>,
    pub auto_suspend: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimitsPatch {
    pub key_rpm: Option<u32>,
    pub project_rpm: Option<u32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaseDefaultsPatch {
    pub lease_size_usd: Option<Usd>,
    pub lease_ttl_secs: Option<u32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyDefaultsPatch {
    pub pii_mode: Option<PiiMode>,
    pub injection_threshold: Option<Severity>,
    pub tool_policy: Option<ToolPolicy>,
}

/// A partial update: absent fields keep their value.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    pub anomaly: Option<AnomalyPatch>,
    pub rate_limits: Option<RateLimitsPatch>,
    pub lease_defaults: Option<LeaseDefaultsPatch>,
    pub policy_defaults: Option<PolicyDefaultsPatch>,
}

fn in_range(field: &str, value: u32, min: u32, max: u32) -> AppResult<u32> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(AppError::validation(
            field,
            format!("must be {min} to {max}"),
        ))
    }
}

impl Settings {
    pub fn apply(&self, patch: &SettingsPatch) -> AppResult<Settings> {
        let mut next = self.clone();
        if let Some(a) = &patch.anomaly {
            if let Some(v) = a.max_ips_per_key {
                next.anomaly.max_ips_per_key = in_range("anomaly.max_ips_per_key", v, 1, 10_000)?;
            }
            if let Some(v) = a.window_secs {
                next.anomaly.window_secs = in_range("anomaly.window_secs", v, 10, 86_400)?;
            }
            if let Some(v) = a.max_spend_usd_per_min {
                if v.micros() == 0 {
                    return Err(AppError::validation(
                        "anomaly.max_spend_usd_per_min",
                        "must be more than 0",
                    ));
                }
                next.anomaly.max_spend_usd_per_min = v;
            }
            if let Some(v) = a.auto_suspend {
                next.anomaly.auto_suspend = v;
            }
        }
        if let Some(r) = &patch.rate_limits {
            if let Some(v) = r.key_rpm {
                next.rate_limits.key_rpm = in_range("rate_limits.key_rpm", v, 1, 10_000_000)?;
            }
            if let Some(v) = r.project_rpm {
                next.rate_limits.project_rpm =
                    in_range("rate_limits.project_rpm", v, 1, 10_000_000)?;
            }
        }
        if let Some(l) = &patch.lease_defaults {
            if let Some(v) = l.lease_size_usd {
                validate_lease_size("lease_defaults.lease_size_usd", v)?;
                next.lease_defaults.lease_size_usd = v;
            }
            if let Some(v) = l.lease_ttl_secs {
                validate_lease_ttl("lease_defaults.lease_ttl_secs", v)?;
                next.lease_defaults.lease_ttl_secs = v;
            }
        }
        if let Some(p) = &patch.policy_defaults {
            if let Some(v) = p.pii_mode {
                next.policy_defaults.pii_mode = v;
            }
            if let Some(v) = p.injection_threshold {
                next.policy_defaults.injection_threshold = v;
            }
            if let Some(v) = &p.tool_policy {
                validate_tool_policy("policy_defaults.tool_policy", v)?;
                next.policy_defaults.tool_policy = v.clone();
            }
        }
        Ok(next)
    }
}

/// Reads the stored settings over the defaults.
pub async fn load(conn: &mut Conn) -> AppResult<Settings> {
    let rows: Vec<(String, String)> = dispatch!(conn, |c| settings::table
        .select((settings::name, settings::value))
        .filter(settings::name.eq_any([ANOMALY, RATE_LIMITS, LEASE_DEFAULTS, POLICY_DEFAULTS]))
        .load(c)
        .await?);
    let mut current = Settings::default();
    for (name, value) in rows {
        let parsed = match name.as_str() {
            ANOMALY => serde_json::from_str(&value).map(|v| current.anomaly = v),
            RATE_LIMITS => serde_json::from_str(&value).map(|v| current.rate_limits = v),
            LEASE_DEFAULTS => serde_json::from_str(&value).map(|v| current.lease_defaults = v),
            _ => serde_json::from_str(&value).map(|v| current.policy_defaults = v),
        };
        parsed.map_err(|e| AppError::internal(format!("stored setting {name}: {e}")))?;
    }
    Ok(current)
}

/// Upserts every group.
pub async fn save(
    conn: &mut Conn,
    value: &Settings,
    user_id: Option<&str>,
    now: i64,
) -> AppResult<()> {
    let groups = [
        (ANOMALY, serde_json::to_string(&value.anomaly)),
        (RATE_LIMITS, serde_json::to_string(&value.rate_limits)),
        (LEASE_DEFAULTS, serde_json::to_string(&value.lease_defaults)),
        (
            POLICY_DEFAULTS,
            serde_json::to_string(&value.policy_defaults),
        ),
    ];
    for (name, json) in groups {
        let json = json.map_err(AppError::internal)?;
        dispatch!(conn, |c| diesel::insert_into(settings::table)
            .values((
                settings::name.eq(name),
                settings::value.eq(&json),
                settings::updated_by.eq(user_id),
                settings::updated_at.eq(now),
            ))
            .on_conflict(settings::name)
            .do_update()
            .set((
                settings::value.eq(&json),
                settings::updated_by.eq(user_id),
                settings::updated_at.eq(now),
            ))
            .execute(c)
            .await?);
    }
    Ok(())
}

/// The settings as last read, refreshed from the database after [`CACHE_TTL`].
#[derive(Default)]
pub struct SettingsCache {
    current: Mutex<Option<(Instant, Settings)>>,
}

impl SettingsCache {
    pub async fn get(&self, db: &Db) -> AppResult<Settings> {
        if let Some((at, value)) = &*self.current.lock().expect("settings lock")
            && at.elapsed() < CACHE_TTL
        {
            return Ok(value.clone());
        }
        let mut conn = db.conn().await?;
        let fresh = load(&mut conn).await?;
        self.set(fresh.clone());
        Ok(fresh)
    }

    pub fn set(&self, value: Settings) {
        *self.current.lock().expect("settings lock") = Some((Instant::now(), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_changes_only_the_named_fields_and_is_validated() {
        let base = Settings::default();
        let patch: SettingsPatch = serde_json::from_str(
            r#"{"anomaly": {"auto_suspend": true}, "rate_limits": {"key_rpm": 5}}"#,
        )
        .unwrap();
        let next = base.apply(&patch).unwrap();
        assert!(next.anomaly.auto_suspend);
        assert_eq!(next.anomaly.max_ips_per_key, 3);
        assert_eq!(next.rate_limits.key_rpm, 5);
        assert_eq!(next.rate_limits.project_rpm, 6000);
        let zero: SettingsPatch =
            serde_json::from_str(r#"{"rate_limits": {"project_rpm": 0}}"#).unwrap();
        assert_eq!(base.apply(&zero).unwrap_err().code(), "VALIDATION_FAILED");
        assert_eq!(
            serde_json::to_value(&base).unwrap()["anomaly"]["max_spend_usd_per_min"],
            "5.00"
        );
        let lease: SettingsPatch = serde_json::from_str(
            r#"{"lease_defaults": {"lease_size_usd": "0.25"}, "policy_defaults": {"pii_mode": "block"}}"#,
        )
        .unwrap();
        let next = base.apply(&lease).unwrap();
        assert_eq!(next.lease_defaults.lease_size_usd, Usd(250_000));
        assert_eq!(next.lease_defaults.lease_ttl_secs, 300);
        assert!(matches!(next.policy_defaults.pii_mode, PiiMode::Block));
        let short: SettingsPatch =
            serde_json::from_str(r#"{"lease_defaults": {"lease_ttl_secs": 5}}"#).unwrap();
        let err = base.apply(&short).unwrap_err();
        assert_eq!(err.code(), "VALIDATION_FAILED");
    }
}
