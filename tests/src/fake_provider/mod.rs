//! The fake LLM provider: a real HTTP server speaking the OpenAI and
//! Anthropic wire formats, with per-API-key scripts and request logs. It is
//! the only fake the project's tests use.

mod anthropic;
mod control;
mod embeddings;
mod gate;
mod ids;
mod openai_chat;
mod responses;
mod server;
mod sse;
mod state;
pub mod tokens;

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use state::{Outcome, RecordedRequest, Script, Stats, ToolCall};

/// A running fake provider. Dropping it stops accepting connections.
pub struct FakeProvider {
    addr: SocketAddr,
    store: Arc<state::Store>,
    task: JoinHandle<()>,
}

impl FakeProvider {
    /// Binds 127.0.0.1 on a free port and serves on a tokio task.
    pub async fn start() -> io::Result<FakeProvider> {
        Self::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Binds the given address (port 0 picks a free one).
    pub async fn bind(addr: SocketAddr) -> io::Result<FakeProvider> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let store = Arc::new(state::Store::default());
        let app = server::router(store.clone());
        let task = tokio::spawn(server::accept_loop(listener, app));
        Ok(FakeProvider { addr, store, task })
    }

    /// One fake for the whole test binary, on its own runtime thread, so
    /// tests on separate `#[tokio::test]` runtimes can share it. Isolate
    /// tests with [`fake_key`].
    pub fn shared() -> &'static FakeProvider {
        static SHARED: OnceLock<FakeProvider> = OnceLock::new();
        SHARED.get_or_init(|| {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::Builder::new()
                .name("fake-provider".into())
                .spawn(move || {
                    let runtime = tokio::runtime::Builder::new_multi_thread()
                        .worker_threads(2)
                        .enable_all()
                        .build();
                    let runtime = match runtime {
                        Ok(rt) => rt,
                        Err(e) => return drop(tx.send(Err(e))),
                    };
                    runtime.block_on(async move {
                        let _ = tx.send(FakeProvider::start().await);
                        std::future::pending::<()>().await;
                    });
                })
                .and_then(|_| rx.recv().map_err(io::Error::other)?)
                .unwrap_or_else(|e| panic!("cannot start the shared fake provider: {e}"))
        })
    }

    /// `http://127.0.0.1:PORT`: no trailing slash, no `/v1`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Appends entries to the key's script queue.
    pub fn script(&self, key: &str, entries: Vec<Script>) {
        self.store.append_script(key, entries);
    }

    /// Every request the key made, oldest first.
    pub fn requests(&self, key: &str) -> Vec<RecordedRequest> {
        self.store.requests(key)
    }

    pub fn request_count(&self, key: &str) -> usize {
        self.store.stats(key).requests
    }

    pub fn stats(&self, key: &str) -> Stats {
        self.store.stats(key)
    }

    pub fn total_requests(&self) -> usize {
        self.store.totals().0.requests
    }

    /// Forgets the key's script and requests.
    pub fn reset(&self, key: &str) {
        self.store.reset(key);
    }
}

impl Drop for FakeProvider {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A fresh `sk-test-…` key: one tenant of the shared fake per test.
pub fn fake_key() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("sk-test-{:x}-{nanos:08x}-{n}", std::process::id())
}
