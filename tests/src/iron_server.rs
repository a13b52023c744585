//! A real `iron serve` process for cross-component tests: spawned from the
//! built binary, on a SQLite file in a temp dir, killed on drop.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::fake_key;

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

/// The admin API of a test server, as an admin: enough to set up a project
/// for remote-mode tests and benchmarks.
pub struct Admin {
    http: reqwest::Client,
    base: String,
    token: String,
}

/// What [`Admin::project_with_key`] created.
pub struct ProjectKey {
    pub project_id: String,
    pub key_id: String,
    /// The full `ic_…` key.
    pub ic_key: String,
}

impl Admin {
    /// Registers the server's first user (who becomes admin).
    pub async fn register(base: &str) -> Admin {
        let mut admin = Admin {
            http: reqwest::Client::new(),
            base: base.trim_end_matches('/').to_owned(),
            token: String::new(),
        };
        let session = admin
            .call(
                "POST",
                "/api/v1/auth/register",
                serde_json::json!({"email": "admin@example.com", "name": "Admin",
                                   "password": "correct horse battery"}),
                201,
            )
            .await;
        admin.token = session["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned();
        admin
    }

    /// An admin API call that must answer `status`; the JSON body (or null).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        body: serde_json::Value,
        status: u16,
    ) -> serde_json::Value {
        let mut req = self.http.request(
            method.parse().expect("method"),
            format!("{}{path}", self.base),
        );
        if !self.token.is_empty() {
            req = req.bearer_auth(&self.token);
        }
        if method != "GET" {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("admin API answers");
        let got = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        assert_eq!(got, status, "{method} {path}: {text}");
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
    }

    /// A project with `budget_usd`, `provider_key` stored as its OpenAI
    /// credential, and one `ic_` key.
    pub async fn project_with_key(&self, budget_usd: &str, provider_key: &str) -> ProjectKey {
        let project = self
            .call(
                "POST",
                "/api/v1/projects",
                serde_json::json!({"name": format!("p-{}", fake_key()), "budget_usd": budget_usd}),
                201,
            )
            .await;
        let project_id = project["id"].as_str().expect("id").to_owned();
        self.call(
            "POST",
            &format!("/api/v1/projects/{project_id}/providers"),
            serde_json::json!({"provider": "openai", "api_key": provider_key}),
            201,
        )
        .await;
        let (key_id, ic_key) = self.new_key(&project_id).await;
        ProjectKey {
            project_id,
            key_id,
            ic_key,
        }
    }

    /// Issues another `ic_` key for the project: (id, key).
    pub async fn new_key(&self, project_id: &str) -> (String, String) {
        let key = self
            .call(
                "POST",
                &format!("/api/v1/projects/{project_id}/keys"),
                serde_json::json!({"name": "agent"}),
                201,
            )
            .await;
        (
            key["id"].as_str().expect("id").to_owned(),
            key["key"].as_str().expect("key").to_owned(),
        )
    }

    pub async fn revoke_key(&self, key_id: &str) {
        self.call(
            "POST",
            &format!("/api/v1/keys/{key_id}/revoke"),
            serde_json::json!({}),
            200,
        )
        .await;
    }
}
