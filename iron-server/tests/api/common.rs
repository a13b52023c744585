//! Test support: a real `iron serve` process on a fresh database (SQLite
//! file in a tempdir, or a new PostgreSQL database), and a small client.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const POSTGRES_ADMIN_URL: &str = "host=127.0.0.1 port=5432 user=postgres dbname=postgres";
pub const PASSWORD: &str = "correct horse battery";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates one `#[tokio::test]` per backend for each listed
/// `async fn name(backend: Backend)` of the calling module.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Postgres).await
                }
            )*
        }
    };
}

pub struct TestServer {
    child: Child,
    pub url: String,
    pub dir: tempfile::TempDir,
    pub backend: Backend,
    pub database_url: String,
    postgres_database: Option<String>,
    args: Vec<String>,
}

impl TestServer {
    pub async fn start(backend: Backend) -> TestServer {
        Self::start_with(backend, &[]).await
    }

    /// Starts `iron serve` with `extra_args`. Every provider's base URL points
    /// at a closed loopback port unless overridden, so no test traffic ever
    /// leaves this machine.
    pub async fn start_with(backend: Backend, extra_args: &[&str]) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let (database_url, postgres_database) = match backend {
            Backend::Sqlite => (dir.path().join("iron.db").display().to_string(), None),
            Backend::Postgres => {
                let name = format!(
                    "iron_test_{}",
                    iron_server::ids::random_base62(12).to_lowercase()
                );
                postgres_admin(&format!("CREATE DATABASE {name}")).await;
                (
                    format!("postgres://postgres@127.0.0.1:5432/{name}"),
                    Some(name),
                )
            }
        };
        let mut args: Vec<String> = vec![
            "serve".into(),
            "--bind".into(),
            "127.0.0.1:0".into(),
            "--database-url".into(),
            database_url.clone(),
            "--master-key-file".into(),
            dir.path().join("iron.key").display().to_string(),
        ];
        for provider in ["openai", "anthropic", "mistral"] {
            if !extra_args
                .iter()
                .any(|a| a.starts_with(&format!("{provider}=")))
            {
                args.push("--provider-base-url".into());
                args.push(format!("{provider}=http://127.0.0.1:9"));
            }
        }
        args.extend(extra_args.iter().map(|a| a.to_string()));
        let (child, url) = spawn_server(&args, dir.path()).await;
        TestServer {
            child,
            url,
            dir,
            backend,
            database_url,
            postgres_database,
            args,
        }
    }

    /// Stops the server and starts it again on the same database and key file.
    pub async fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let (child, url) = spawn_server(&self.args, self.dir.path()).await;
        self.child = child;
        self.url = url;
    }

    /// Another `iron serve` on the same database and master key (a second
    /// replica); killed when dropped.
    pub async fn second_replica(&self) -> Replica {
        let (child, url) = spawn_server(&self.args, self.dir.path()).await;
        Replica { child, url }
    }

    pub fn api(&self) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: self.url.clone(),
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    pub fn sqlite_files(&self) -> Vec<PathBuf> {
        ["iron.db", "iron.db-wal", "iron.db-shm"]
            .iter()
            .map(|name| self.dir.path().join(name))
            .filter(|path| path.exists())
            .collect()
    }

    /// Runs one SQL statement directly against the server's database.
    pub async fn execute_sql(&self, sql: &str) {
        match self.backend {
            Backend::Postgres => {
                let client = postgres_client(&self.database_url).await;
                client.batch_execute(sql).await.expect("sql");
            }
            Backend::Sqlite => {
                use diesel::connection::SimpleConnection;
                self.sqlite_connection().batch_execute(sql).expect("sql");
            }
        }
    }

    /// A connection of the test's own beside the server's: it waits for the
    /// server's write transactions as the server's connections do, instead
    /// of failing at once with "database is locked".
    fn sqlite_connection(&self) -> diesel::sqlite::SqliteConnection {
        use diesel::Connection;
        use diesel::connection::SimpleConnection;
        let mut conn =
            diesel::sqlite::SqliteConnection::establish(&self.database_url).expect("sqlite");
        conn.batch_execute("PRAGMA busy_timeout = 30000;")
            .expect("busy_timeout");
        conn
    }

    /// Runs a query returning one integer (e.g. `SELECT COUNT(*) ...`).
    pub async fn query_i64(&self, sql: &str) -> i64 {
        match self.backend {
            Backend::Postgres => {
                let client = postgres_client(&self.database_url).await;
                let row = client
                    .query_one(&format!("SELECT CAST(({sql}) AS BIGINT)"), &[])
                    .await
                    .expect("sql");
                row.get::<_, i64>(0)
            }
            Backend::Sqlite => {
                use diesel::prelude::*;
                #[derive(QueryableByName)]
                struct One {
                    #[diesel(sql_type = diesel::sql_types::BigInt)]
                    n: i64,
                }
                let rows: Vec<One> =
                    diesel::sql_query(format!("SELECT CAST(({sql}) AS BIGINT) AS n"))
                        .load(&mut self.sqlite_connection())
                        .expect("sql");
                rows[0].n
            }
        }
    }

    /// `iron ledger check` on this server's database: (exit code, JSON report).
    pub fn ledger_check(&self) -> (i32, Value) {
        let (code, stdout, stderr) =
            self.cli(&["ledger", "check", "--database-url", &self.database_url]);
        let report = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("ledger check printed no JSON ({e}): {stdout} {stderr}"));
        (code, report)
    }

    /// Every value of every row of every table, as text (PostgreSQL), or the
    /// raw database files (SQLite), for hunting leaked secrets.
    pub async fn database_dump(&self) -> Vec<u8> {
        match self.backend {
            Backend::Sqlite => self
                .sqlite_files()
                .iter()
                .flat_map(|path| std::fs::read(path).expect("read db file"))
                .collect(),
            Backend::Postgres => {
                let client = postgres_client(&self.database_url).await;
                let tables = client
                    .query(
                        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
                        &[],
                    )
                    .await
                    .expect("tables");
                let mut dump = Vec::new();
                for table in tables {
                    let name: String = table.get(0);
                    let rows = client
                        .query(&format!("SELECT t::text FROM \"{name}\" t"), &[])
                        .await
                        .expect("rows");
                    for row in rows {
                        let text: String = row.get(0);
                        dump.extend_from_slice(text.as_bytes());
                        dump.push(b'\n');
                    }
                }
                dump
            }
        }
    }

    /// Runs the `iron` binary with a private config dir; returns (exit code, stdout, stderr).
    pub fn cli(&self, args: &[&str]) -> (i32, String, String) {
        self.cli_with_stdin(args, "")
    }

    pub fn cli_with_stdin(&self, args: &[&str], stdin: &str) -> (i32, String, String) {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_iron"))
            .args(args)
            .env("IRON_CONFIG_DIR", self.dir.path().join("cli"))
            .env_remove("IRON_SERVER")
            .env_remove("IRON_PASSWORD")
            .env_remove("IRON_MASTER_KEY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run iron");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        let output = child.wait_with_output().expect("iron output");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// Runs `iron <args> --json` and parses its output, asserting success.
    #[track_caller]
    pub fn cli_json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let (code, stdout, stderr) = self.cli(&all);
        assert_eq!(code, 0, "iron {args:?} failed: {stderr}");
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(name) = self.postgres_database.take() {
            // Drop runs inside the test's runtime; use a separate one.
            let _ = std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime")
                    .block_on(postgres_admin(&format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
            })
            .join();
        }
    }
}

pub struct Replica {
    child: Child,
    pub url: String,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Spawns `iron serve` (the helper is shared with the cross-component tests).
async fn spawn_server(args: &[String], dir: &std::path::Path) -> (Child, String) {
    iron_testkit::spawn_iron(std::path::Path::new(env!("CARGO_BIN_EXE_iron")), args, dir).await
}

async fn postgres_client(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect to PostgreSQL at 127.0.0.1:5432");
    tokio::spawn(connection);
    client
}

async fn postgres_admin(sql: &str) {
    postgres_client(POSTGRES_ADMIN_URL)
        .await
        .batch_execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// A response: status and JSON body (`Value::Null` when empty).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub text: String,
}

impl Reply {
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected reply: {}",
            self.text
        );
        self.body
    }

    #[track_caller]
    pub fn expect_error(self, status: u16, code: &str) -> Value {
        let body = self.expect(status);
        assert_eq!(body["error"]["code"], code, "error body: {body}");
        assert!(body["error"]["message"].is_string());
        assert!(body["error"]["fields"].is_object());
        body
    }
}

#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
}

impl Api {
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, body, text }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    pub async fn anonymous_post(&self, path: &str, body: Value) -> Reply {
        self.call(Method::POST, path, None, Some(body)).await
    }

    /// Registers the first user (who becomes admin); returns the session.
    pub async fn register_admin(&self, email: &str) -> Value {
        self.anonymous_post(
            "/api/v1/auth/register",
            json!({"email": email, "name": "Admin", "password": PASSWORD}),
        )
        .await
        .expect(201)
    }

    /// Invites `email` as `role` and registers them; returns the session.
    pub async fn invite_and_register(&self, admin_token: &str, email: &str, role: &str) -> Value {
        let invitation = self
            .post(
                "/api/v1/invitations",
                admin_token,
                json!({"email": email, "role": role}),
            )
            .await
            .expect(201);
        self.anonymous_post(
            "/api/v1/auth/register",
            json!({
                "email": email,
                "name": email,
                "password": PASSWORD,
                "invitation_token": invitation["invitation_token"],
            }),
        )
        .await
        .expect(201)
    }

    pub async fn create_project(&self, admin_token: &str, name: &str, budget: &str) -> Value {
        self.post(
            "/api/v1/projects",
            admin_token,
            json!({"name": name, "budget_usd": budget}),
        )
        .await
        .expect(201)
    }
}

pub fn token(session: &Value) -> String {
    session["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

pub fn id(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}
