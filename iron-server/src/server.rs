//! `iron serve`: storage, keys, router, and a graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::auth::limiter::LoginLimiter;
use crate::config::ServeConfig;
use crate::crypto::MasterKey;
use crate::db::Db;
use crate::ratelimit::SdkRateLimiter;
use crate::routes;
use crate::settings::SettingsCache;
use crate::state::{AppState, Keys};

pub async fn serve(config: ServeConfig) -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind(config.bind).await?;
    let address = listener.local_addr()?;
    let state = build_state(config).await?;
    spawn_limiter_cleanup(state.login_limiter.clone());
    crate::ledger::sweeper::spawn(
        state.db.clone(),
        Duration::from_millis(state.config.lease_sweep_ms.max(10)),
    );
    crate::webhooks::spawn(
        state.clone(),
        Duration::from_millis(state.config.webhook_interval_ms),
    );
    crate::anomaly::spawn(
        state.clone(),
        Duration::from_secs(state.config.anomaly_interval_secs),
    );
    let app = routes::router(state);
    // Tests and scripts read this line to learn the port (`--bind 127.0.0.1:0`).
    println!("iron-server listening on http://{address}");
    println!("next: open http://{address}/api/v1 or run `iron login --server http://{address}`");
    tracing::info!(%address, "listening");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("stopped");
    Ok(())
}

/// Storage, keys and limiters for `config`: everything but the listener
/// and the background tasks.
pub async fn build_state(config: ServeConfig) -> Result<AppState, Box<dyn std::error::Error>> {
    crate::telemetry::install();
    let db = Db::connect(&config.database_url, config.pool_size).await?;
    tracing::info!(
        database = %config.database_url_for_display(),
        backend = db.backend_name(),
        "database ready, migrations applied"
    );
    let master = MasterKey::load_or_create(&config.master_key_file)?;
    let keys = {
        let mut conn = db.conn().await?;
        Keys::load(&mut conn, master)
            .await
            .map_err(|e| e.to_string())?
    };
    let login_limiter = Arc::new(LoginLimiter::new(
        config.login_limit_per_account,
        config.login_limit_per_ip,
    ));
    let control = crate::control::ControlBus::new(config.redis_url.as_deref())?;
    let rate_limiter = match &config.redis_url {
        Some(url) => SdkRateLimiter::with_redis(url, &config.redis_key_prefix).await?,
        None => SdkRateLimiter::in_process(),
    };
    Ok(AppState {
        db,
        config: Arc::new(config),
        keys: Arc::new(keys),
        login_limiter,
        http: reqwest::Client::builder().build()?,
        control,
        settings: Arc::new(SettingsCache::default()),
        rate_limiter: Arc::new(rate_limiter),
    })
}

fn spawn_limiter_cleanup(limiter: Arc<LoginLimiter>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            limiter.forget_idle();
        }
    });
}

/// Ctrl-C or SIGTERM: stop accepting, let in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; draining connections");
}
