//! Per-tool rate limits: GCRA buckets from `governor`, one per tool name
//! under the most specific matching glob.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, RwLock};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use super::policy::RateLimit;
use super::validators::Violation;
use crate::error::{Error, Result};
use crate::glob::Glob;

const RATE_LIMITED: &str = "rate_limited";

/// Buckets are created per tool name on first use; past this many names a
/// rule's buckets are reset rather than grow without bound on invented names.
const MAX_BUCKETS_PER_RULE: usize = 4096;

#[derive(Debug)]
struct Rule {
    glob: Glob,
    quota: Quota,
    buckets: RwLock<HashMap<Box<str>, Arc<DefaultDirectRateLimiter>>>,
}

#[derive(Debug, Default)]
pub(crate) struct RateLimits {
    /// Most specific first.
    rules: Vec<Rule>,
}

impl RateLimits {
    pub(crate) fn new(limits: &HashMap<String, RateLimit>) -> Result<Self> {
        let mut rules = limits
            .iter()
            .map(|(glob, limit)| {
                let nonzero = |n: u32, what: &str| {
                    NonZeroU32::new(n).ok_or_else(|| {
                        Error::invalid_config(format!(
                            "rate limit for {glob:?}: {what} must be > 0"
                        ))
                    })
                };
                let quota = Quota::per_minute(nonzero(limit.per_minute, "per_minute")?)
                    .allow_burst(nonzero(limit.burst, "burst")?);
                Ok(Rule {
                    glob: Glob::new(glob)?,
                    quota,
                    buckets: RwLock::default(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // Deterministic precedence whatever the map order: most literal
        // characters first, then alphabetical.
        rules.sort_by(|a, b| {
            b.glob
                .specificity()
                .cmp(&a.glob.specificity())
                .then_with(|| a.glob.as_str().cmp(b.glob.as_str()))
        });
        Ok(Self { rules })
    }

    /// Takes one call from the tool's bucket, if a limit applies to it.
    pub(crate) fn check(&self, tool: &str) -> std::result::Result<(), Violation> {
        let Some(rule) = self.rules.iter().find(|r| r.glob.matches(tool)) else {
            return Ok(());
        };
        let bucket = rule.bucket(tool);
        bucket.check().map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            Violation::new(
                RATE_LIMITED,
                format!(
                    "tool {tool:?} exceeded its rate limit ({}); retry in {:.1}s",
                    rule.glob.as_str(),
                    wait.as_secs_f64()
                ),
            )
        })
    }
}

impl Rule {
    fn bucket(&self, tool: &str) -> Arc<DefaultDirectRateLimiter> {
        // Poisoning only means a panic mid-insert; the map is still valid.
        if let Some(b) = self
            .buckets
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(tool)
        {
            return b.clone();
        }
        let mut map = self.buckets.write().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_BUCKETS_PER_RULE && !map.contains_key(tool) {
            map.clear();
        }
        map.entry(tool.into())
            .or_insert_with(|| Arc::new(RateLimiter::direct(self.quota)))
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(pairs: &[(&str, u32, u32)]) -> RateLimits {
        let map = pairs
            .iter()
            .map(|(g, per_minute, burst)| {
                (
                    g.to_string(),
                    RateLimit {
                        per_minute: *per_minute,
                        burst: *burst,
                    },
                )
            })
            .collect();
        RateLimits::new(&map).unwrap()
    }

    #[test]
    fn burst_then_refuse_per_tool() {
        let l = limits(&[("search_*", 1, 2)]);
        assert!(l.check("search_web").is_ok());
        assert!(l.check("search_web").is_ok());
        assert_eq!(l.check("search_web").unwrap_err().rule, RATE_LIMITED);
        // Another tool under the same glob has its own bucket.
        assert!(l.check("search_docs").is_ok());
        // Tools no glob matches are unlimited.
        for _ in 0..10 {
            assert!(l.check("read_file").is_ok());
        }
    }

    #[test]
    fn most_specific_glob_wins() {
        let l = limits(&[("*", 1, 1), ("db_write", 1, 3)]);
        for _ in 0..3 {
            assert!(l.check("db_write").is_ok());
        }
        assert!(l.check("db_write").is_err());
        assert!(l.check("other").is_ok());
        assert!(l.check("other").is_err());
    }

    #[test]
    fn zero_limits_are_config_errors() {
        let map = HashMap::from([(
            "x".to_string(),
            RateLimit {
                per_minute: 0,
                burst: 1,
            },
        )]);
        assert!(RateLimits::new(&map).is_err());
        let map = HashMap::from([(
            "x".to_string(),
            RateLimit {
                per_minute: 1,
                burst: 0,
            },
        )]);
        assert!(RateLimits::new(&map).is_err());
    }
}
