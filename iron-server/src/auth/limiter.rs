//! Login brute-force protection: separate budgets per account and per IP.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::{AppError, AppResult};

pub struct LoginLimiter {
    per_account: DefaultKeyedRateLimiter<String>,
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
}

impl LoginLimiter {
    pub fn new(per_account_per_minute: u32, per_ip_per_minute: u32) -> LoginLimiter {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).expect("n >= 1"));
        LoginLimiter {
            per_account: RateLimiter::keyed(quota(per_account_per_minute)),
            per_ip: RateLimiter::keyed(quota(per_ip_per_minute)),
        }
    }

    /// Counts one attempt for both the IP and the (lower-cased) account.
    pub fn check(&self, ip: IpAddr, email: &str) -> AppResult<()> {
        let clock = DefaultClock::default();
        let retry_after = |not_until: governor::NotUntil<_>| {
            AppError::rate_limited(not_until.wait_time_from(clock.now()).as_secs().max(1))
        };
        self.per_ip.check_key(&ip).map_err(retry_after)?;
        self.per_account
            .check_key(&email.to_lowercase())
            .map_err(retry_after)?;
        Ok(())
    }

    /// Drops idle keys so memory stays bounded under a spray of emails.
    pub fn forget_idle(&self) {
        self.per_account.retain_recent();
        self.per_ip.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_limited_independently_of_others() {
        let limiter = LoginLimiter::new(2, 100);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(limiter.check(ip, "a@x.io").is_ok());
        assert!(limiter.check(ip, "A@x.io").is_ok());
        assert_eq!(
            limiter.check(ip, "a@x.io").unwrap_err().code(),
            "RATE_LIMITED"
        );
        assert!(limiter.check(ip, "b@x.io").is_ok());
    }

    #[test]
    fn an_ip_is_limited_across_accounts() {
        let limiter = LoginLimiter::new(100, 2);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        assert!(limiter.check(ip, "a@x.io").is_ok());
        assert!(limiter.check(ip, "b@x.io").is_ok());
        assert!(limiter.check(ip, "c@x.io").is_err());
    }
}
