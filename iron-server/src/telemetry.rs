//! Prometheus metrics: the process-wide recorder behind the `metrics`
//! facade (used by the ledger, the rate limiter, the anomaly detector and
//! the webhook dispatcher), HTTP latency per matched route, and database
//! pool gauges read at scrape time. `GET /metrics` renders the text format.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::state::AppState;

pub const HTTP_DURATION: &str = "iron_http_request_duration_seconds";
const LATENCY_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The counters other parts increment, registered at zero so a scrape
/// shows them before the first event.
const COUNTERS: [(&str, &str); 6] = [
    (
        "iron_leases_granted_total",
        "Leases granted by the SDK protocol",
    ),
    ("iron_settles_total", "Lease settlements"),
    ("iron_spend_micros_total", "Spend settled, in micro-dollars"),
    (
        "iron_leases_expired_total",
        "Leases expired before settlement",
    ),
    (
        "iron_rate_limited_total",
        "SDK calls refused by a rate limit",
    ),
    ("iron_anomalies_total", "Anomaly alerts raised"),
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the recorder once per process and returns its handle.
pub fn install() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let handle = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.to_owned()), &LATENCY_BUCKETS)
            .expect("non-empty buckets")
            .install_recorder()
            .expect("the only metrics recorder of this process");
        for (name, help) in COUNTERS {
            metrics::describe_counter!(name, help);
            metrics::counter!(name).increment(0);
        }
        metrics::describe_counter!(
            "iron_leases_refused_total",
            "Lease requests refused, by reason"
        );
        metrics::describe_counter!(
            "iron_webhook_attempts_total",
            "Webhook delivery attempts, by outcome"
        );
        metrics::describe_gauge!("iron_control_streams_open", "Open SDK control streams");
        metrics::gauge!("iron_control_streams_open").increment(0.0);
        metrics::describe_histogram!(
            HTTP_DURATION,
            metrics::Unit::Seconds,
            "HTTP request latency by method, matched route and status"
        );
        handle
    })
}

/// Records the latency of every routed request under its route template
/// (never the raw path, which would carry ids).
pub async fn track_http(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics::histogram!(
        HTTP_DURATION,
        "method" => method,
        "route" => route,
        "status" => response.status().as_u16().to_string(),
    )
    .record(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`: Prometheus text exposition format.
pub async fn serve(State(state): State<AppState>) -> Response {
    let (connections, idle) = state.db.pool_state();
    let max = state.config.pool_size;
    let backend = state.db.backend_name();
    metrics::gauge!("iron_db_pool_connections", "backend" => backend).set(f64::from(connections));
    metrics::gauge!("iron_db_pool_idle_connections", "backend" => backend).set(f64::from(idle));
    metrics::gauge!("iron_db_pool_max_connections", "backend" => backend).set(f64::from(max));
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        install().render(),
    )
        .into_response()
}
