//! Runs an iron-core runtime (the governed gateway) as its own process, for
//! tests in other languages and for trying the gateway by hand before the
//! language SDKs wrap it.
//!
//! Prints one JSON line `{"url": ..., "env": {...}}` once listening, then
//! answers commands on stdin, one per line: `snapshot` (budget as JSON),
//! `events` (recent events as JSON), `quit`. EOF on stdin also quits. On
//! quit it shuts down (settling the budget) and prints the final snapshot.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use iron_core::budget::BudgetSnapshot;
use iron_core::provider::ProviderKind;
use iron_core::reliability::{BreakerConfig, FallbackTarget, RetryPolicy};
use iron_core::secrets::{Secret, StaticSecrets};
use iron_core::{Runtime, money::usd_to_micros};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};

#[derive(Parser, Debug)]
#[command(about = "Run the Iron Cage governed gateway as a process")]
struct Args {
    /// Local budget in USD (local mode).
    #[arg(
        long,
        required_unless_present = "server_url",
        conflicts_with = "server_url"
    )]
    budget_usd: Option<f64>,
    /// iron-server's URL: remote mode (budget, provider keys and policy from
    /// the server). Needs --ic-key.
    #[arg(long, env = "IRON_SERVER_URL", requires = "ic_key")]
    server_url: Option<String>,
    /// The developer key (`ic_…`) for remote mode.
    #[arg(long, env = "IC_KEY", hide_env_values = true)]
    ic_key: Option<String>,
    /// Lease tranche in USD (how much is reserved from the budget at a time).
    #[arg(long)]
    tranche_usd: Option<f64>,
    /// OpenAI-compatible upstream (default: IRON_OPENAI_UPSTREAM_URL or the public API).
    #[arg(long)]
    openai_upstream: Option<String>,
    /// Anthropic upstream (default: IRON_ANTHROPIC_UPSTREAM_URL or the public API).
    #[arg(long)]
    anthropic_upstream: Option<String>,
    /// Real provider key used for both providers (default: OPENAI_API_KEY / ANTHROPIC_API_KEY).
    #[arg(long, env = "IRON_TEST_PROVIDER_KEY", hide_env_values = true)]
    provider_key: Option<String>,
    #[arg(long)]
    max_body_bytes: Option<usize>,
    /// Attempts per provider (1 = no retries).
    #[arg(long, default_value_t = 3)]
    max_attempts: u32,
    /// Only these model patterns may be called (repeatable).
    #[arg(long = "allow-model")]
    allowed_models: Vec<String>,
    /// `MODEL=FALLBACK_MODEL` on the same provider (repeatable).
    #[arg(long = "fallback")]
    fallbacks: Vec<String>,
    /// Append events as JSON lines here.
    #[arg(long)]
    event_log: Option<PathBuf>,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if let Err(e) = run(args).await {
        eprintln!("governed-gateway: {e}");
        std::process::exit(2);
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = match (&args.server_url, &args.ic_key, args.budget_usd) {
        (Some(url), Some(key), _) => Runtime::builder().remote(url.clone(), key.clone()),
        (_, _, Some(usd)) => Runtime::builder().budget_usd(usd),
        _ => return Err("give --budget-usd, or --server-url with --ic-key".into()),
    };
    builder = builder.retry(RetryPolicy {
        max_attempts: args.max_attempts.max(1),
        base_delay: Duration::from_millis(50),
        ..RetryPolicy::default()
    });
    builder = builder.breaker(BreakerConfig::default());
    if let Some(t) = args.tranche_usd {
        builder = builder.tranche_micros(usd_to_micros(t)?);
    }
    if let Some(url) = args.openai_upstream {
        builder = builder.upstream(ProviderKind::OpenAi, url);
    }
    if let Some(url) = args.anthropic_upstream {
        builder = builder.upstream(ProviderKind::Anthropic, url);
    }
    if let Some(key) = args.provider_key {
        let secrets = StaticSecrets::new()
            .with_key(ProviderKind::OpenAi, Secret::new(key.clone()))
            .with_key(ProviderKind::Anthropic, Secret::new(key));
        builder = builder.secrets(Arc::new(secrets));
    }
    if let Some(n) = args.max_body_bytes {
        builder = builder.max_body_bytes(n);
    }
    if !args.allowed_models.is_empty() {
        builder = builder.allowed_models(args.allowed_models);
    }
    for spec in &args.fallbacks {
        let (model, fallback) = spec
            .split_once('=')
            .ok_or_else(|| format!("--fallback wants MODEL=FALLBACK_MODEL, got {spec:?}"))?;
        let provider = if fallback.starts_with("claude") {
            "anthropic"
        } else {
            "openai"
        };
        builder = builder.fallback(
            model,
            vec![FallbackTarget {
                provider: provider.into(),
                model: fallback.into(),
            }],
        );
    }
    if let Some(path) = args.event_log {
        builder = builder.event_log(path);
    }
    let runtime = builder.start().await?;
    let env: BTreeMap<String, String> = runtime.env_vars().into_iter().collect();
    say(&json!({ "url": runtime.gateway_url(), "env": env }));

    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        match line.trim() {
            "snapshot" => say(&snapshot_json(&runtime.budget())),
            "events" => say(&serde_json::to_value(runtime.events())?),
            "quit" => break,
            "" => {}
            other => say(&json!({ "error": format!("unknown command {other:?}") })),
        }
    }
    let last = runtime.shutdown().await?;
    say(&snapshot_json(&last));
    Ok(())
}

fn snapshot_json(s: &BudgetSnapshot) -> serde_json::Value {
    json!({
        "granted": s.granted, "spent": s.spent, "reserved": s.reserved,
        "available": s.available, "returned": s.returned, "overrun": s.overrun,
    })
}

fn say(value: &serde_json::Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{value}");
    let _ = out.flush();
}
