//! The one storage contract of ducha.
//!
//! [`Store`] runs on SQLite (the embedded default) or PostgreSQL (the scale path), chosen by the URL.
//! Both backends go through sqlx's `Any` driver with the same SQL (`$1` placeholders work on both);
//! where dialects differ (row locks, upserts of counters, full-text search) the code branches on
//! [`Backend`] in one place. Each backend has its own migrations folder. Every write happens in a
//! [`Tx`]: a state change, its audit record ([`audit`]) and the notifications it causes ([`outbox`])
//! commit together or not at all.
//!
//! Architecture invariant: the store holds no rules. It never decides whether a transition is allowed;
//! it stores what the app layer decided, and hands back what was stored.

pub mod accountability;
pub mod admin;
pub mod audit;
pub mod backup;
pub mod batches;
pub mod campaign_admin;
pub mod cases;
pub mod crypto;
pub mod directory;
pub mod disclosure;
pub mod dup_reindex;
pub mod extensions;
pub mod followup;
pub mod handling;
pub mod holidays;
pub mod opinion;
pub mod outbox;
pub mod rotation;
pub mod search;
pub mod sessions;
mod sql;
#[cfg(feature = "testing")]
pub mod testing;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use crypto::{IdentityCipher, KeyMaterial};
pub use sql::Q;

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// What can go wrong in storage, in terms the app layer can map to a clear answer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库错误：{0}")]
    Db(#[from] sqlx::Error),
    #[error("数据库迁移失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("未找到{0}")]
    NotFound(&'static str),
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("数据库地址无效：{0}（应为 sqlite://文件路径 或 postgres://用户@主机/库名）")]
    BadUrl(String),
    #[error("{0}")]
    Key(String),
    #[error("加密/解密失败：{0}")]
    Crypto(String),
    #[error("数据损坏：{0}")]
    Corrupt(String),
    #[error("文件读写失败：{0}")]
    Io(#[from] std::io::Error),
}

impl StoreError {
    /// Unique-constraint violations surface as conflicts with a stable code.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Db(sqlx::Error::Database(e)) => e.is_unique_violation(),
            _ => false,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Tuning that differs between an interactive server and tests.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Connections for readers (PostgreSQL also uses this many for writers).
    pub max_connections: u32,
    /// SQLite `synchronous`: `FULL` survives power loss, `NORMAL` (WAL) survives process crashes.
    pub sqlite_synchronous: String,
    pub acquire_timeout: Duration,
    /// SQLite: checkpoint the write-ahead log from a background task instead of in the committing
    /// transaction (for a long-running server; see [`Store::connect`]).
    pub sqlite_background_checkpoint: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_connections: 8,
            sqlite_synchronous: "FULL".into(),
            acquire_timeout: Duration::from_secs(10),
            sqlite_background_checkpoint: false,
        }
    }
}

/// A handle on the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    read: AnyPool,
    write: AnyPool,
    backend: Backend,
}

/// One write transaction.
#[derive(Debug)]
pub struct Tx {
    pub(crate) inner: sqlx::Transaction<'static, sqlx::Any>,
    pub(crate) backend: Backend,
}

fn normalise_url(url: &str) -> Result<(String, Backend)> {
    let url = url.trim();
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let rest = rest.trim_start_matches("//");
        if rest.is_empty() {
            return Err(StoreError::BadUrl(redact_url(url)));
        }
        let with_mode = if rest.contains("mode=") || rest == ":memory:" {
            format!("sqlite://{rest}")
        } else if rest.contains('?') {
            format!("sqlite://{rest}&mode=rwc")
        } else {
            format!("sqlite://{rest}?mode=rwc")
        };
        Ok((with_mode, Backend::Sqlite))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok((url.to_owned(), Backend::Postgres))
    } else {
        Err(StoreError::BadUrl(redact_url(url)))
    }
}

/// Creates a missing SQLite database file empty with mode 0600 (on Unix), before SQLite opens it:
/// SQLite gives its `-wal` and `-shm` files the database file's mode, so all three stay private to
/// the service account. An existing file is left as it is; in-memory databases are skipped.
fn create_private_sqlite_file(url: &str) {
    let rest = url.strip_prefix("sqlite://").unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" || query.contains("mode=memory") || query.contains("mode=ro") {
        return;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    // Already there: left alone. Any other failure (a directory that does not exist …): SQLite
    // reports it in its own words when it opens the file.
    let _ = opts.open(path);
}

/// A database address fit to print or log: the password, if any (`user:password@` or a `password=`
/// parameter), replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let (address, query) = match url.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (url, None),
    };
    let mut out = match (address.find("://"), address.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => match address[scheme + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &address[..scheme + 3], &address[at..]),
            None => address.to_owned(),
        },
        _ => address.to_owned(),
    };
    if let Some(q) = query {
        let params: Vec<String> = q
            .split('&')
            .map(|p| match p.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => p.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

/// How often the background checkpoint runs (see [`StoreOptions::sqlite_background_checkpoint`]).
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// Checkpoint the SQLite log every [`CHECKPOINT_EVERY`] until the pool closes.
async fn checkpoint_wal(read: AnyPool) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while !read.is_closed() {
        tick.tick().await;
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&read).await
            && !read.is_closed()
        {
            tracing::warn!(error = %e, "SQLite checkpoint failed; retrying");
        }
    }
}

/// A reader connection held for a few reads ([`Store::read_conn`]).
pub type ReadConn = sqlx::pool::PoolConnection<sqlx::Any>;

impl Store {
    /// Connect (creating an SQLite file if needed). Does not migrate; call [`Store::migrate`].
    pub async fn connect(url: &str, opts: &StoreOptions) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (url, backend) = normalise_url(url)?;
        let connect = AnyConnectOptions::from_str(&url).map_err(|_| StoreError::BadUrl(url.clone()))?;
        match backend {
            Backend::Sqlite => {
                create_private_sqlite_file(&url);
                let sync = match opts.sqlite_synchronous.to_ascii_uppercase().as_str() {
                    "NORMAL" => "NORMAL",
                    "OFF" => "OFF",
                    _ => "FULL",
                };
                let pragmas: &'static str = match sync {
                    "NORMAL" => {
                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
                    }
                    "OFF" => {
                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
                    }
                    _ => {
                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
                    }
                };
                // One writer connection: SQLite admits one writer at a time anyway, and queueing in the
                // pool is fairer and faster than spinning on SQLITE_BUSY.
                // No ping before each acquire (sqlx's default): an SQLite connection is a file handle
                // that cannot drop, and each ping is one more round trip to the connection's thread.
                // By default SQLite checkpoints the log inside the commit that takes it past 1 000
                // pages: that commit then also copies the pages into the database file and syncs
                // it, and every intake waiting on it waits too. With a background checkpoint, a
                // task copies the pages from a reader connection, beside the writer (PASSIVE blocks
                // neither readers nor the writer). The writer still checkpoints past 8 192 pages
                // (32 MiB): by then the task has copied nearly all of them, so that is mostly one
                // sync, and it lets the log start over from its beginning — a checkpoint that
                // runs beside a busy writer never catches up with the end of the log, and the log
                // would grow without bound.
                let background = opts.sqlite_background_checkpoint;
                let write = AnyPoolOptions::new()
                    .max_connections(1)
                    .test_before_acquire(false)
                    .acquire_timeout(opts.acquire_timeout)
                    .after_connect(move |conn, _meta| {
                        Box::pin(async move {
                            conn.execute(pragmas).await?;
                            if background {
                                conn.execute("PRAGMA wal_autocheckpoint=8192;").await?;
                            }
                            Ok(())
                        })
                    })
                    .connect_with(connect.clone())
                    .await?;
                // The first connection sets WAL; readers then never block the writer.
                let read = AnyPoolOptions::new()
                    .max_connections(opts.max_connections.max(1))
                    .test_before_acquire(false)
                    .acquire_timeout(opts.acquire_timeout)
                    .after_connect(move |conn, _meta| {
                        Box::pin(async move {
                            conn.execute(pragmas).await?;
                            Ok(())
                        })
                    })
                    .connect_with(connect)
                    .await?;
                if background {
                    tokio::spawn(checkpoint_wal(read.clone()));
                }
                Ok(Store { read, write, backend })
            }
            Backend::Postgres => {
                // Ping only a connection that sat idle a while (the server may have closed it since);
                // a ping before every acquire would double the round trips of every short query.
                let pool = AnyPoolOptions::new()
                    .max_connections(opts.max_connections.max(2))
                    .acquire_timeout(opts.acquire_timeout)
                    .test_before_acquire(false)
                    .before_acquire(|conn, meta| {
                        Box::pin(async move {
                            if meta.idle_for > Duration::from_secs(30) {
                                sqlx::Connection::ping(conn).await?;
                            }
                            Ok(true)
                        })
                    })
                    .connect_with(connect)
                    .await?;
                Ok(Store { read: pool.clone(), write: pool, backend })
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Apply this backend's migrations (idempotent).
    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&self.write).await?,
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&self.write).await?,
        }
        let n = search::backfill(self).await?;
        if n > 0 {
            tracing::info!(cases = n, "search tokens filled in for earlier cases");
        }
        Ok(())
    }

    /// Begin a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`) so a
    /// transaction never fails half-way on a lock upgrade.
    pub async fn begin(&self) -> Result<Tx> {
        let inner = match self.backend {
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.write.begin().await?,
        };
        Ok(Tx { inner, backend: self.backend })
    }

    /// Take the start-up lock: instances starting together on one PostgreSQL database prepare it in
    /// turn (key check, directory bootstrap), so the second finds the first's work instead of racing
    /// it into unique-key errors. A session-level advisory lock on a connection of its own; released
    /// by [`StartupLock::release`], or by closing that connection if the holder fails first. On
    /// SQLite there is one process per file; nothing to take.
    pub async fn startup_lock(&self) -> Result<StartupLock> {
        match self.backend {
            Backend::Sqlite => Ok(StartupLock { conn: None }),
            Backend::Postgres => {
                let mut conn = self.write.acquire().await?;
                sqlx::query("SELECT pg_advisory_lock($1)").bind(STARTUP_LOCK_KEY).execute(&mut *conn).await?;
                Ok(StartupLock { conn: Some(conn) })
            }
        }
    }

    /// The pool for reads.
    pub fn reader(&self) -> &AnyPool {
        &self.read
    }

    /// One reader connection for several reads in a row. sqlx checks a connection on its way back
    /// to the pool (a round trip to SQLite's connection thread, or to the server), so a use case
    /// that reads several times pays that once instead of once per read.
    pub async fn read_conn(&self) -> Result<ReadConn> {
        Ok(self.read.acquire().await?)
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }

    /// A trivial round trip for health checks.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }
}

/// The advisory-lock key of [`Store::startup_lock`] ("ducha" + 1).
const STARTUP_LOCK_KEY: i64 = 0x6475_6368_6101;

/// Held while this instance prepares the shared database at start-up.
#[derive(Debug)]
pub struct StartupLock {
    conn: Option<sqlx::pool::PoolConnection<sqlx::Any>>,
}

impl StartupLock {
    pub async fn release(mut self) -> Result<()> {
        if let Some(mut conn) = self.conn.take() {
            sqlx::query("SELECT pg_advisory_unlock($1)").bind(STARTUP_LOCK_KEY).execute(&mut *conn).await?;
        }
        Ok(())
    }
}

impl Drop for StartupLock {
    fn drop(&mut self) {
        // Not released (the holder failed): close the connection rather than return it to the pool
        // still holding the lock; PostgreSQL drops a session's advisory locks with the session.
        if let Some(conn) = self.conn.take() {
            drop(conn.detach());
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        self.inner.commit().await?;
        Ok(())
    }

    pub async fn rollback(self) -> Result<()> {
        self.inner.rollback().await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// `FOR UPDATE` where the backend has row locks (PostgreSQL); SQLite's single writer already
    /// serialises.
    pub(crate) fn for_update(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    pub fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(normalise_url("sqlite://ducha.db").unwrap().0, "sqlite://ducha.db?mode=rwc");
        assert_eq!(
            normalise_url("sqlite:x.db?cache=shared").unwrap().0,
            "sqlite://x.db?cache=shared&mode=rwc"
        );
        assert_eq!(normalise_url("postgres://u@h/d").unwrap().1, Backend::Postgres);
        assert!(normalise_url("mysql://x").is_err());
        assert!(normalise_url("sqlite://").is_err());
    }

    #[test]
    fn url_passwords_are_hidden() {
        assert_eq!(redact_url("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact_url("sqlite://x.db"), "sqlite://x.db");
        assert_eq!(redact_url("sqlite://x.db?mode=rwc"), "sqlite://x.db?mode=rwc");
        assert_eq!(
            redact_url("postgres://u@h/db?sslmode=require&password=secret"),
            "postgres://u@h/db?sslmode=require&password=***"
        );
        assert_eq!(redact_url("postgres://u:p@ss@h/db"), "postgres://u:***@h/db");
        // An address refused as invalid is named in the error, without its password.
        let e = normalise_url("mysql://root:secret@h/db").unwrap_err().to_string();
        assert!(e.contains("mysql://root:***@h/db") && !e.contains("secret"), "{e}");
    }
}
