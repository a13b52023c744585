//! Storage: one Diesel schema over two backends (SQLite file, PostgreSQL).
//!
//! Queries are written once inside [`dispatch!`], which expands the same
//! Diesel DSL block for each concrete async connection type.

pub mod raw;
pub mod schema;

use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Duration;

use diesel::sqlite::SqliteConnection;
use diesel_async::pooled_connection::bb8::{Pool, PooledConnection};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use futures::FutureExt;
use tokio::sync::{Mutex, OwnedMutexGuard};

pub type SqliteConn = SyncConnectionWrapper<SqliteConnection>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Applied to every new SQLite connection: WAL lets readers run beside the
/// single writer; busy_timeout makes writers queue instead of failing.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database pool: {0}")]
    Pool(String),
    /// Every connection stayed busy for the pool's timeout: overload.
    #[error("database pool: no connection free in time")]
    PoolTimeout,
    #[error("database migration failed: {0}")]
    Migration(String),
}

/// A connection pool for whichever backend the database URL names.
#[derive(Clone)]
pub enum Db {
    Postgres(Pool<AsyncPgConnection>),
    Sqlite(Pool<SqliteConn>, Arc<Mutex<()>>),
}

/// One pooled connection of either backend.
// Held briefly, one per request; boxing would add an allocation per checkout.
#[allow(clippy::large_enum_variant)]
pub enum Conn {
    Postgres(PooledConnection<'static, AsyncPgConnection>),
    Sqlite(SqliteHandle),
}

/// A pooled SQLite connection plus the process-wide writer lock. SQLite has
/// one writer at a time; queueing writers on a fair in-process lock (held
/// from `begin` to `commit`/`rollback`) instead of SQLite's busy-sleep loop
/// means a burst of concurrent write transactions waits its turn instead of
/// timing out with "database is locked".
pub struct SqliteHandle {
    conn: PooledConnection<'static, SqliteConn>,
    write_lock: Arc<Mutex<()>>,
    writing: Option<OwnedMutexGuard<()>>,
}

impl Deref for SqliteHandle {
    type Target = SqliteConn;
    fn deref(&self) -> &SqliteConn {
        &self.conn
    }
}

impl DerefMut for SqliteHandle {
    fn deref_mut(&mut self) -> &mut SqliteConn {
        &mut self.conn
    }
}

/// Runs the same Diesel block against whichever connection `$conn` holds;
/// `$c` is bound to the concrete `&mut` async connection.
#[macro_export]
macro_rules! dispatch {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::Conn::Postgres(pooled) => {
                let $c: &mut ::diesel_async::AsyncPgConnection = &mut *pooled;
                $body
            }
            $crate::db::Conn::Sqlite(pooled) => {
                let $c: &mut $crate::db::SqliteConn = &mut *pooled;
                $body
            }
        }
    };
}

/// Runs `$body` (a block evaluating to `AppResult<T>`; `?` and `return`
/// leave the block, not the function) in one transaction on the `Conn`
/// named `$conn`: committed on `Ok`, rolled back on `Err`.
#[macro_export]
macro_rules! transaction {
    ($conn:ident, $body:block) => {{
        $conn.begin().await?;
        let result: Result<_, $crate::error::AppError> = async { $body }.await;
        match result {
            Ok(value) => {
                $conn.commit().await?;
                Ok(value)
            }
            Err(err) => {
                $conn.rollback().await;
                Err(err)
            }
        }
    }};
}

impl Db {
    /// Connects, applies the embedded migrations and returns the pool.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbError> {
        let db = if is_postgres_url(url) {
            let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url);
            let pool = Pool::builder()
                .max_size(max_connections)
                .connection_timeout(Duration::from_secs(10))
                .build(manager)
                .await
                .map_err(|e| DbError::Pool(e.to_string()))?;
            Db::Postgres(pool)
        } else {
            let mut config = ManagerConfig::default();
            config.custom_setup = Box::new(|url| establish_sqlite(url.to_owned()).boxed());
            let manager = AsyncDieselConnectionManager::<SqliteConn>::new_with_config(
                sqlite_path(url),
                config,
            );
            let pool = Pool::builder()
                .max_size(max_connections)
                .connection_timeout(Duration::from_secs(10))
                .build(manager)
                .await
                .map_err(|e| DbError::Pool(e.to_string()))?;
            Db::Sqlite(pool, Arc::new(Mutex::new(())))
        };
        db.run_migrations().await?;
        Ok(db)
    }

    pub async fn conn(&self) -> Result<Conn, DbError> {
        let pool_error = |e: bb8::RunError<_>| match e {
            bb8::RunError::TimedOut => DbError::PoolTimeout,
            other => DbError::Pool(other.to_string()),
        };
        Ok(match self {
            Db::Postgres(pool) => Conn::Postgres(pool.get_owned().await.map_err(pool_error)?),
            Db::Sqlite(pool, write_lock) => Conn::Sqlite(SqliteHandle {
                conn: pool.get_owned().await.map_err(pool_error)?,
                write_lock: write_lock.clone(),
                writing: None,
            }),
        })
    }

    /// (open connections, idle connections) of the pool.
    pub fn pool_state(&self) -> (u32, u32) {
        let state = match self {
            Db::Postgres(pool) => pool.state(),
            Db::Sqlite(pool, _) => pool.state(),
        };
        (state.connections, state.idle_connections)
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Db::Postgres(_) => "postgres",
            Db::Sqlite(..) => "sqlite",
        }
    }

    async fn run_migrations(&self) -> Result<(), DbError> {
        let conn = self.conn().await?;
        let migrate_error =
            |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migration(e.to_string());
        match conn {
            Conn::Postgres(pooled) => {
                let mut harness = diesel_async::AsyncMigrationHarness::new(pooled);
                harness
                    .run_pending_migrations(POSTGRES_MIGRATIONS)
                    .map_err(migrate_error)?;
            }
            Conn::Sqlite(handle) => {
                let mut harness = diesel_async::AsyncMigrationHarness::new(handle.conn);
                harness
                    .run_pending_migrations(SQLITE_MIGRATIONS)
                    .map_err(migrate_error)?;
            }
        }
        Ok(())
    }
}

impl Conn {
    pub async fn begin(&mut self) -> Result<(), DbError> {
        use diesel::connection::AnsiTransactionManager;
        match self {
            Conn::Postgres(c) => {
                use diesel_async::TransactionManager;
                <AsyncPgConnection as AsyncConnection>::TransactionManager::begin_transaction(
                    &mut **c,
                )
                .await?
            }
            // IMMEDIATE takes the write lock up front, so a read-then-write
            // transaction waits on busy_timeout instead of failing with BUSY.
            Conn::Sqlite(handle) => {
                if handle.writing.is_none() {
                    handle.writing = Some(handle.write_lock.clone().lock_owned().await);
                }
                let begun = handle
                    .conn
                    .spawn_blocking(|inner| {
                        AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")
                    })
                    .await;
                if begun.is_err() {
                    handle.writing = None;
                }
                begun?
            }
        }
        Ok(())
    }

    /// Serialises transactions that take the same `key`. PostgreSQL: an
    /// advisory lock held to the end of the transaction (works across
    /// replicas). SQLite: `BEGIN IMMEDIATE` already holds the one write lock.
    pub async fn lock_for_transaction(&mut self, key: i64) -> Result<(), DbError> {
        use diesel_async::RunQueryDsl;
        if let Conn::Postgres(c) = self {
            diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
                .bind::<diesel::sql_types::BigInt, _>(key)
                .execute(&mut **c)
                .await?;
        }
        Ok(())
    }

    pub async fn commit(&mut self) -> Result<(), DbError> {
        let committed = dispatch!(self, |c| commit_on(c).await);
        self.release_writer();
        committed?;
        Ok(())
    }

    fn release_writer(&mut self) {
        if let Conn::Sqlite(handle) = self {
            handle.writing = None;
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Conn::Sqlite(_))
    }

    /// Rollback failures leave the connection flagged as broken, and the pool
    /// discards it, so there is nothing more to do with the error here.
    pub async fn rollback(&mut self) {
        dispatch!(self, |c| {
            if let Err(err) = rollback_on(c).await {
                tracing::warn!(error = %err, "transaction rollback failed");
            }
        });
        self.release_writer();
    }
}

async fn commit_on<C: AsyncConnection>(c: &mut C) -> diesel::QueryResult<()> {
    use diesel_async::TransactionManager;
    C::TransactionManager::commit_transaction(c).await
}

async fn rollback_on<C: AsyncConnection>(c: &mut C) -> diesel::QueryResult<()> {
    use diesel_async::TransactionManager;
    C::TransactionManager::rollback_transaction(c).await
}

async fn establish_sqlite(path: String) -> diesel::ConnectionResult<SqliteConn> {
    let mut conn = SqliteConn::establish(&path).await?;
    conn.batch_execute(SQLITE_PRAGMAS)
        .await
        .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
    Ok(conn)
}

pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Accepts `sqlite://path`, `sqlite:path` or a bare path.
pub fn sqlite_path(url: &str) -> String {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
        .to_owned()
}
