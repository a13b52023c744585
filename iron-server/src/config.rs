//! `iron serve` settings: flags, each also readable from an `IRON_*` variable.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(clap::Args, Clone)]
pub struct ServeConfig {
    /// Address to listen on.
    #[arg(long, env = "IRON_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// `postgres://...` or a SQLite file path (created when missing).
    #[arg(long, env = "IRON_DATABASE_URL", default_value = "iron.db")]
    pub database_url: String,
    /// Master key file, created with mode 0600 when missing; ignored when
    /// `IRON_MASTER_KEY` (base64 of 32 bytes) is set.
    #[arg(long, env = "IRON_MASTER_KEY_FILE", default_value = "iron.key")]
    pub master_key_file: PathBuf,
    #[arg(long, env = "IRON_DB_POOL_SIZE", default_value_t = 16)]
    pub pool_size: u32,
    #[arg(long, env = "IRON_ACCESS_TOKEN_TTL_SECS", default_value_t = 900)]
    pub access_token_ttl_secs: i64,
    #[arg(long, env = "IRON_REFRESH_TOKEN_TTL_SECS", default_value_t = 30 * 24 * 3600)]
    pub refresh_token_ttl_secs: i64,
    /// Login attempts allowed per account per minute.
    #[arg(long, env = "IRON_LOGIN_LIMIT_PER_ACCOUNT", default_value_t = 10)]
    pub login_limit_per_account: u32,
    /// Login attempts allowed per client IP per minute.
    #[arg(long, env = "IRON_LOGIN_LIMIT_PER_IP", default_value_t = 60)]
    pub login_limit_per_ip: u32,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "IRON_BODY_LIMIT_BYTES", default_value_t = 64 * 1024)]
    pub body_limit_bytes: usize,
    /// Override a provider's API base URL, e.g. `openai=http://127.0.0.1:9000`.
    #[arg(long = "provider-base-url", value_name = "PROVIDER=URL", value_parser = parse_override)]
    pub provider_base_urls: Vec<(String, String)>,
    /// `redis://host:port/db`: shared rate-limit counters, key-validity cache and
    /// control-stream fan-out across replicas. Optional; correctness never
    /// depends on it (the ledger lives in the database).
    #[arg(long, env = "IRON_REDIS_URL")]
    pub redis_url: Option<String>,
    /// How often the lease sweeper expires leases past their TTL.
    #[arg(long, env = "IRON_LEASE_SWEEP_MS", default_value_t = 1000)]
    pub lease_sweep_ms: u64,
    /// Prefix of every Redis key this deployment writes.
    #[arg(long, env = "IRON_REDIS_KEY_PREFIX", default_value = "iron:")]
    pub redis_key_prefix: String,
    /// Seconds between passes of the anomaly detector.
    #[arg(long, env = "IRON_ANOMALY_INTERVAL_SECS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..))]
    pub anomaly_interval_secs: u64,
    /// First webhook retry delay in milliseconds; doubles per attempt (max 1 h).
    #[arg(long, env = "IRON_WEBHOOK_RETRY_BASE_MS", default_value_t = 5000)]
    pub webhook_retry_base_ms: u64,
    /// Milliseconds between passes of the webhook dispatcher.
    #[arg(long, env = "IRON_WEBHOOK_INTERVAL_MS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(10..))]
    pub webhook_interval_ms: u64,
    /// OTLP/HTTP collector base URL (e.g. `http://127.0.0.1:4318`): export traces there.
    #[arg(long, env = "IRON_OTLP_ENDPOINT")]
    pub otlp_endpoint: Option<String>,
    /// Log lines as JSON instead of text.
    #[arg(long, env = "IRON_LOG_JSON")]
    pub log_json: bool,
}

fn parse_override(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(provider, url)| (provider.to_owned(), url.trim_end_matches('/').to_owned()))
        .ok_or_else(|| "expected PROVIDER=URL".to_owned())
}

impl ServeConfig {
    /// The database URL with any password replaced, for logs.
    pub fn database_url_for_display(&self) -> String {
        let url = &self.database_url;
        let Some((credentials, host)) = url.split_once('@') else {
            return url.clone();
        };
        match credentials.rsplit_once(':') {
            Some((user, password)) if !password.starts_with("//") => format!("{user}:***@{host}"),
            _ => url.clone(),
        }
    }

    pub fn provider_base_url(&self, provider: &str) -> Option<&str> {
        self.provider_base_urls
            .iter()
            .find(|(name, _)| name == provider)
            .map(|(_, url)| url.as_str())
    }
}
