//! Per-key and per-project request rate limits of the SDK protocol.
//!
//! GCRA (a leaky bucket kept as one "theoretical arrival time" per bucket):
//! a bucket of `rpm` requests per minute refills one request every
//! `60 s / rpm` and holds at most one minute's worth. Both buckets of a call
//! are checked and charged together, so a call refused by either consumes
//! neither. With Redis configured the state lives there (one Lua script,
//! atomic, timed by the Redis clock), so every replica shares it; otherwise,
//! or while Redis is unreachable, it lives in this process.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::error::{AppError, AppResult};
use crate::settings::RateLimits;
use crate::state::AppState;
use crate::time::now_micros;

const PERIOD_MICROS: i64 = 60_000_000;
const REDIS_TIMEOUT: Duration = Duration::from_millis(500);
/// Forget idle local buckets once the map grows beyond this.
const LOCAL_PRUNE_AT: usize = 10_000;

const GCRA_SCRIPT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local period = tonumber(ARGV[1])
local wait = 0
local tats = {}
for i = 1, #KEYS do
  local interval = tonumber(ARGV[i + 1])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  local new_tat = tat + interval
  local excess = new_tat - now - period
  if excess > wait then wait = excess end
  tats[i] = new_tat
end
if wait > 0 then return wait end
for i = 1, #KEYS do
  local ttl = math.ceil((tats[i] - now) / 1000) + 1
  redis.call('SET', KEYS[i], string.format('%d', tats[i]), 'PX', ttl)
end
return 0
";

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    Limited { retry_after: Duration },
}

struct Shared {
    conn: redis::aio::ConnectionManager,
    prefix: String,
    script: redis::Script,
}

pub struct SdkRateLimiter {
    local: Mutex<HashMap<String, i64>>,
    shared: Option<Shared>,
}

impl SdkRateLimiter {
    pub fn in_process() -> SdkRateLimiter {
        SdkRateLimiter {
            local: Mutex::new(HashMap::new()),
            shared: None,
        }
    }

    /// Shares the buckets through Redis under `prefix`; fails when Redis
    /// cannot be reached now (a misconfiguration worth stopping for).
    pub async fn with_redis(url: &str, prefix: &str) -> Result<SdkRateLimiter, String> {
        let client = redis::Client::open(url).map_err(|e| format!("redis url: {e}"))?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Duration::from_secs(3))
            .set_response_timeout(REDIS_TIMEOUT)
            .set_number_of_retries(1);
        let conn = tokio::time::timeout(
            Duration::from_secs(5),
            redis::aio::ConnectionManager::new_with_config(client, config),
        )
        .await
        .map_err(|_| "redis: connection timed out".to_owned())?
        .map_err(|e| format!("redis: {e}"))?;
        Ok(SdkRateLimiter {
            local: Mutex::new(HashMap::new()),
            shared: Some(Shared {
                conn,
                prefix: prefix.to_owned(),
                script: redis::Script::new(GCRA_SCRIPT),
            }),
        })
    }

    pub fn is_shared(&self) -> bool {
        self.shared.is_some()
    }

    /// Counts one request of `key_id` in `project_id` against `limits`.
    pub async fn check(&self, limits: &RateLimits, key_id: &str, project_id: &str) -> Decision {
        let buckets = [
            (format!("rl:key:{key_id}"), interval(limits.key_rpm)),
            (
                format!("rl:proj:{project_id}"),
                interval(limits.project_rpm),
            ),
        ];
        if let Some(shared) = &self.shared {
            match shared.check(&buckets).await {
                Ok(decision) => return decision,
                Err(err) => {
                    tracing::warn!(error = %err, "redis rate limiter unavailable; limiting in-process")
                }
            }
        }
        self.check_local(&buckets, now_micros())
    }

    fn check_local(&self, buckets: &[(String, i64)], now: i64) -> Decision {
        let mut tats = self.local.lock().expect("rate limiter lock");
        if tats.len() > LOCAL_PRUNE_AT {
            tats.retain(|_, tat| *tat > now);
        }
        let next: Vec<i64> = buckets
            .iter()
            .map(|(name, interval)| tats.get(name).copied().unwrap_or(now).max(now) + interval)
            .collect();
        let wait = next
            .iter()
            .map(|tat| tat - now - PERIOD_MICROS)
            .max()
            .unwrap_or(0);
        if wait > 0 {
            return limited(wait);
        }
        for ((name, _), tat) in buckets.iter().zip(next) {
            tats.insert(name.clone(), tat);
        }
        Decision::Allowed
    }
}

impl Shared {
    async fn check(&self, buckets: &[(String, i64)]) -> redis::RedisResult<Decision> {
        let mut invocation = self.script.prepare_invoke();
        for (name, _) in buckets {
            invocation.key(format!("{}{name}", self.prefix));
        }
        invocation.arg(PERIOD_MICROS);
        for (_, interval) in buckets {
            invocation.arg(*interval);
        }
        let mut conn = self.conn.clone();
        let wait: i64 = tokio::time::timeout(REDIS_TIMEOUT, invocation.invoke_async(&mut conn))
            .await
            .map_err(|_| redis::RedisError::from((redis::ErrorKind::IoError, "timed out")))??;
        Ok(if wait > 0 {
            limited(wait)
        } else {
            Decision::Allowed
        })
    }
}

fn interval(rpm: u32) -> i64 {
    PERIOD_MICROS / i64::from(rpm.max(1))
}

fn limited(wait_micros: i64) -> Decision {
    Decision::Limited {
        retry_after: Duration::from_micros(wait_micros.max(0) as u64),
    }
}

/// The SDK routes call this after the key checks: `429 RATE_LIMITED` with
/// `Retry-After` (whole seconds, at least 1) when the key or its project is
/// over its per-minute limit from the settings.
pub async fn check_sdk_rate(state: &AppState, key_id: &str, project_id: &str) -> AppResult<()> {
    let settings = state.settings.get(&state.db).await?;
    match state
        .rate_limiter
        .check(&settings.rate_limits, key_id, project_id)
        .await
    {
        Decision::Allowed => Ok(()),
        Decision::Limited { retry_after } => {
            metrics::counter!("iron_rate_limited_total").increment(1);
            let secs = retry_after.as_micros().div_ceil(1_000_000).max(1) as u64;
            Err(AppError::rate_limited(secs)
                .with_message("request rate limit of this key or project exceeded; retry later"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(key_rpm: u32, project_rpm: u32) -> RateLimits {
        RateLimits {
            key_rpm,
            project_rpm,
        }
    }

    fn buckets(key: &str, project: &str, l: &RateLimits) -> Vec<(String, i64)> {
        vec![
            (format!("rl:key:{key}"), interval(l.key_rpm)),
            (format!("rl:proj:{project}"), interval(l.project_rpm)),
        ]
    }

    #[test]
    fn a_key_gets_a_minute_of_burst_then_one_request_per_interval() {
        let limiter = SdkRateLimiter::in_process();
        let l = limits(60, 1000);
        let b = buckets("k", "p", &l);
        let t0 = 1_000_000_000;
        for _ in 0..60 {
            assert_eq!(limiter.check_local(&b, t0), Decision::Allowed);
        }
        let Decision::Limited { retry_after } = limiter.check_local(&b, t0) else {
            panic!("the 61st request in the same instant must be limited");
        };
        assert_eq!(retry_after, Duration::from_secs(1));
        assert_eq!(limiter.check_local(&b, t0 + 1_000_000), Decision::Allowed);
        assert!(matches!(
            limiter.check_local(&b, t0 + 1_000_000),
            Decision::Limited { .. }
        ));
    }

    #[test]
    fn the_project_limit_spans_its_keys_and_a_refusal_charges_nothing() {
        let limiter = SdkRateLimiter::in_process();
        let l = limits(1000, 3);
        let t0 = 5_000_000_000;
        for key in ["a", "b", "c"] {
            assert_eq!(
                limiter.check_local(&buckets(key, "p", &l), t0),
                Decision::Allowed
            );
        }
        assert!(matches!(
            limiter.check_local(&buckets("d", "p", &l), t0),
            Decision::Limited { .. }
        ));
        // Key d was not charged by the refused call; another project is unaffected.
        assert_eq!(
            limiter.check_local(&buckets("d", "q", &l), t0),
            Decision::Allowed
        );
        assert_eq!(
            limiter.local.lock().unwrap()["rl:key:d"],
            t0 + interval(1000)
        );
    }

    fn prefix() -> String {
        format!("iron-test:{}:", uuid::Uuid::now_v7())
    }

    /// Against the real Redis of the environment (127.0.0.1:6379).
    #[tokio::test]
    async fn replicas_share_their_buckets_through_redis() {
        let prefix = prefix();
        let url = "redis://127.0.0.1:6379/0";
        let one = SdkRateLimiter::with_redis(url, &prefix).await.unwrap();
        let two = SdkRateLimiter::with_redis(url, &prefix).await.unwrap();
        assert!(one.is_shared());
        let l = limits(10, 1000);
        for i in 0..10 {
            let replica = if i % 2 == 0 { &one } else { &two };
            assert_eq!(
                replica.check(&l, "k", "p").await,
                Decision::Allowed,
                "call {i}"
            );
        }
        for replica in [&one, &two] {
            let Decision::Limited { retry_after } = replica.check(&l, "k", "p").await else {
                panic!("the shared bucket is empty");
            };
            assert!(retry_after > Duration::ZERO && retry_after <= Duration::from_secs(6));
        }
        // Another key of the same project still has its own bucket.
        assert_eq!(two.check(&l, "other", "p").await, Decision::Allowed);
        // A separate prefix (another deployment) shares nothing.
        let other = SdkRateLimiter::with_redis(url, &super::tests::prefix())
            .await
            .unwrap();
        assert_eq!(other.check(&l, "k", "p").await, Decision::Allowed);
    }

    #[tokio::test]
    async fn an_unreachable_redis_is_refused_at_startup() {
        let err = SdkRateLimiter::with_redis("redis://127.0.0.1:9/0", "x:")
            .await
            .err()
            .expect("no redis on port 9");
        assert!(err.starts_with("redis"), "{err}");
    }

    /// A real server state (SQLite file, optionally Redis) with the
    /// settings stored in the database, as the SDK routes will use it.
    async fn state_with(redis: bool, key_rpm: u32) -> (AppState, tempfile::TempDir) {
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            serve: crate::config::ServeConfig,
        }
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec![
            "iron".to_owned(),
            "--database-url".to_owned(),
            dir.path().join("iron.db").display().to_string(),
            "--master-key-file".to_owned(),
            dir.path().join("iron.key").display().to_string(),
        ];
        if redis {
            args.extend([
                "--redis-url".to_owned(),
                "redis://127.0.0.1:6379/0".to_owned(),
                "--redis-key-prefix".to_owned(),
                prefix(),
            ]);
        }
        let cli = <Cli as clap::Parser>::parse_from(args);
        let state = crate::server::build_state(cli.serve).await.unwrap();
        let mut conn = state.db.conn().await.unwrap();
        let mut settings = crate::settings::Settings::default();
        settings.rate_limits.key_rpm = key_rpm;
        crate::settings::save(&mut conn, &settings, None, 0)
            .await
            .unwrap();
        (state, dir)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn check_sdk_rate_answers_429_with_retry_after_from_the_stored_settings() {
        use axum::response::IntoResponse;
        for redis in [false, true] {
            let (state, _dir) = state_with(redis, 2).await;
            assert_eq!(state.rate_limiter.is_shared(), redis);
            check_sdk_rate(&state, "key_1", "proj_1").await.unwrap();
            check_sdk_rate(&state, "key_1", "proj_1").await.unwrap();
            let err = check_sdk_rate(&state, "key_1", "proj_1").await.unwrap_err();
            let response = err.into_response();
            assert_eq!(response.status(), 429);
            let retry: u64 = response.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=30).contains(&retry), "retry-after {retry}");
            let body = axum::body::to_bytes(response.into_body(), 4096)
                .await
                .unwrap();
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(body["error"]["code"], "RATE_LIMITED");
            check_sdk_rate(&state, "key_2", "proj_1").await.unwrap();
        }
    }
}
