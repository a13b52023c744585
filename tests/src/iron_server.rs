//! A real `iron serve` process for cross-component tests: spawned from the
//! built binary, on a SQLite file in a temp dir, killed on drop.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The `iron` binary: `IRON_BIN` if set, else next to the running test's
/// target dir (`target/debug/iron`). Build it first with
/// `cargo build -p iron-server --bin iron` (a workspace test run does).
pub fn iron_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("IRON_BIN") {
        return PathBuf::from(bin);
    }
    let exe = std::env::current_exe().expect("current exe");
    // target/debug/deps/<test> -> target/debug/iron
    let dir = exe
        .parent()
        .and_then(|d| {
            if d.ends_with("deps") {
                d.parent()
            } else {
                Some(d)
            }
        })
        .expect("target dir");
    let bin = dir.join(format!("iron{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build -p iron-server --bin iron` first (or set IRON_BIN)",
        bin.display()
    );
    bin
}

/// Spawns `bin` with `args` (an `iron serve` command line), stderr appended
/// to `dir/server.log`, and waits for the line that names its URL.
pub async fn spawn_iron(bin: &Path, args: &[String], dir: &Path) -> (Child, String) {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("server.log"))
        .expect("log file");
    let mut child = Command::new(bin)
        .args(args)
        .env_remove("IRON_MASTER_KEY")
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("spawn iron serve");
    let stdout = child.stdout.take().expect("stdout");
    let first_line = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        // Keep draining so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        first
    })
    .await
    .expect("read stdout");
    let url = first_line
        .strip_prefix("iron-server listening on ")
        .unwrap_or_else(|| {
            panic!(
                "server did not start: {first_line:?}; see {}",
                dir.display()
            )
        })
        .to_owned();
    (child, url)
}

/// `iron serve` on a fresh SQLite database, stopped on drop.
pub struct IronServer {
    child: Child,
    pub url: String,
    pub dir: tempfile::TempDir,
}

impl IronServer {
    /// `extra_args` are appended to `iron serve --bind 127.0.0.1:0
    /// --database-url <tmp>/iron.db --master-key-file <tmp>/iron.key`.
    pub async fn start(extra_args: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut args: Vec<String> = vec![
            "serve".into(),
            "--bind".into(),
            "127.0.0.1:0".into(),
            "--database-url".into(),
            dir.path().join("iron.db").display().to_string(),
            "--master-key-file".into(),
            dir.path().join("iron.key").display().to_string(),
        ];
        args.extend(extra_args.iter().map(|a| a.to_string()));
        let (child, url) = spawn_iron(&iron_binary(), &args, dir.path()).await;
        Self { child, url, dir }
    }

    /// The server's stderr so far, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }
}

impl Drop for IronServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
