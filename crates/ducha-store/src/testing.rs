//! Fresh databases for tests: a temporary SQLite file, or a new database on the PostgreSQL server
//! named by `DUCHA_TEST_PG` (an admin URL such as `postgres://postgres@127.0.0.1:55432/postgres`,
//! which `scripts/pg-start` prints). With `DUCHA_REQUIRE_PG=1` (set by `.ci/run`) a missing server is
//! a failure, never a silent skip. A PostgreSQL test database is dropped when its [`TestDb`] is (at the
//! end of the test, passed or failed), so runs leave no databases behind.

#![allow(clippy::disallowed_methods)] // test harness configuration comes from the environment

use sqlx::Executor;

use crate::{Backend, Store, StoreOptions};

/// Keeps a test database alive; the SQLite file, or the PostgreSQL database, goes with it.
#[derive(Debug)]
pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    _dir: Option<tempfile::TempDir>,
    /// On PostgreSQL: the admin URL and the database's name, to drop it.
    pg: Option<(String, String)>,
}

impl Drop for TestDb {
    /// Drops the PostgreSQL database (`WITH (FORCE)`: connections a test left open are closed). Runs on
    /// a thread with its own runtime, since `drop` cannot await and may run inside the test's runtime;
    /// a failure is reported, never a panic (this may run while a failed test unwinds).
    fn drop(&mut self) {
        let Some((admin, name)) = self.pg.take() else { return };
        let dropped = std::thread::spawn(move || -> Result<(), String> {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(async {
                let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
                    .await
                    .map_err(|e| e.to_string())?;
                conn.execute(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                    .await
                    .map_err(|e| format!("{name}: {e}"))?;
                <sqlx::AnyConnection as sqlx::Connection>::close(conn).await.map_err(|e| e.to_string())
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("note: test database not dropped: {e}"),
            Err(_) => eprintln!("note: test database not dropped: the dropping thread panicked"),
        }
    }
}

/// The backends the suite must run on here.
pub fn backends() -> Vec<Backend> {
    let mut v = vec![Backend::Sqlite];
    match std::env::var("DUCHA_TEST_PG") {
        Ok(u) if !u.trim().is_empty() => v.push(Backend::Postgres),
        _ => {
            if std::env::var("DUCHA_REQUIRE_PG").map(|v| v == "1").unwrap_or(false) {
                panic!("DUCHA_REQUIRE_PG=1 but DUCHA_TEST_PG is not set: the PostgreSQL suite cannot run");
            }
            eprintln!("note: DUCHA_TEST_PG not set; PostgreSQL tests skipped (CI sets DUCHA_REQUIRE_PG=1)");
        }
    }
    v
}

/// A fresh, migrated database on `backend`.
pub async fn fresh(backend: Backend) -> (Store, TestDb) {
    let db = fresh_url(backend).await;
    let store = Store::connect(&db.url, &StoreOptions { max_connections: 4, ..StoreOptions::default() })
        .await
        .expect("connect to test database");
    store.migrate().await.expect("migrate test database");
    (store, db)
}

/// A fresh, empty (unmigrated) database URL on `backend`.
pub async fn fresh_url(backend: Backend) -> TestDb {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("tempdir");
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            TestDb { url, backend, _dir: Some(dir), pg: None }
        }
        Backend::Postgres => {
            let admin = std::env::var("DUCHA_TEST_PG").expect("DUCHA_TEST_PG");
            sqlx::any::install_default_drivers();
            let name = format!("ducha_t_{}", hex::encode(rand::random::<[u8; 6]>()));
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
                .await
                .expect("connect to DUCHA_TEST_PG");
            conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await
                .expect("create test database");
            let base = admin.rsplit_once('/').map(|(b, _)| b.to_owned()).unwrap_or(admin.clone());
            TestDb { url: format!("{base}/{name}"), backend, _dir: None, pg: Some((admin, name)) }
        }
    }
}
