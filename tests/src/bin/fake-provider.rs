//! Runs the fake LLM provider as its own process, for Python tests and other
//! languages: prints `{"url":"http://HOST:PORT"}` once listening, then serves
//! until SIGTERM/SIGINT (or stdin EOF with `--exit-on-stdin-eof`).

use std::io::Write;
use std::net::{IpAddr, SocketAddr};

use clap::Parser;
use iron_testkit::FakeProvider;
use tokio::io::AsyncReadExt;

#[derive(Parser)]
#[command(about = "Fake OpenAI/Anthropic provider for Iron Cage tests")]
struct Args {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Exit when stdin closes, so the fake dies with the process that spawned it.
    #[arg(long)]
    exit_on_stdin_eof: bool,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let fake = FakeProvider::bind(SocketAddr::new(args.host, args.port)).await?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", serde_json::json!({"url": fake.url()}))?;
    stdout.flush()?;
    drop(stdout);

    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let stdin_eof = async {
        if !args.exit_on_stdin_eof {
            return std::future::pending().await;
        }
        let mut stdin = tokio::io::stdin();
        let mut buf = [0u8; 256];
        // Anything read is ignored; only EOF (or a read error) ends the fake.
        while let Ok(n) = stdin.read(&mut buf).await {
            if n == 0 {
                break;
            }
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
        _ = stdin_eof => {}
    }
    drop(fake);
    Ok(())
}
