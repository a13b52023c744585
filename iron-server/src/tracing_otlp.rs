//! OpenTelemetry traces over OTLP (HTTP + protobuf) when an endpoint is
//! configured: every `tracing` span (HTTP requests via tower-http, and
//! everything inside them) is exported in batches from a background thread.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, WithExportConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::Layer;
use tracing_subscriber::registry::LookupSpan;

/// The exporter pipeline for `endpoint` (e.g. `http://collector:4318`);
/// spans go to `<endpoint>/v1/traces`. Keep the provider to flush at exit.
pub fn layer<S>(endpoint: &str) -> Result<(impl Layer<S>, SdkTracerProvider), String>
where
    S: tracing::Subscriber + for<'span> LookupSpan<'span>,
{
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(format!("{}/v1/traces", endpoint.trim_end_matches('/')))
        .build()
        .map_err(|e| format!("OTLP exporter: {e}"))?;
    let provider = SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(Resource::builder().with_service_name("iron-server").build())
        .build();
    let tracer = provider.tracer("iron-server");
    Ok((tracing_opentelemetry::layer().with_tracer(tracer), provider))
}
