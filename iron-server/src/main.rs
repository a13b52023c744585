use std::process::ExitCode;

use clap::Parser;
use iron_server::cli::{Cli, Command};

use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Logs on stderr, plus OTLP trace export when `otlp_endpoint` is set;
/// returns the tracer provider to flush at exit.
fn init_logging(json: bool, otlp_endpoint: Option<&str>) -> Option<SdkTracerProvider> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,tower_http=info".into());
    let fmt = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let fmt = if json {
        fmt.json().boxed()
    } else {
        fmt.boxed()
    };
    let (otel, provider) = match otlp_endpoint.map(iron_server::tracing_otlp::layer) {
        Some(Ok((layer, provider))) => (Some(layer), Some(provider)),
        Some(Err(err)) => {
            eprintln!("warning: traces not exported: {err}");
            (None, None)
        }
        None => (None, None),
    };
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt)
        .with(otel)
        .init();
    provider
}

/// glibc raises its mmap threshold after large frees, so the 19 MiB argon2
/// buffers of past logins end up kept in the heap arenas (hundreds of MB
/// after a burst of logins). A fixed threshold returns them to the OS.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_allocations_to_the_os() {
    const MMAP_THRESHOLD_BYTES: libc::c_int = 128 * 1024;
    // SAFETY: mallopt only tunes allocator parameters; called once at start,
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_allocations_to_the_os() {}

fn main() -> ExitCode {
    return_large_allocations_to_the_os();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match cli.command {
        Command::Serve(config) => {
            let tracer = init_logging(config.log_json, config.otlp_endpoint.as_deref());
            let code = match runtime.block_on(iron_server::server::serve(config)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("error: {err}");
                    ExitCode::FAILURE
                }
            };
            if let Some(provider) = tracer {
                let _ = provider.shutdown();
            }
            code
        }
        command => match runtime.block_on(iron_server::cli::run(command)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: {}", err.message);
                ExitCode::from(err.exit_code)
            }
        },
    }
}
