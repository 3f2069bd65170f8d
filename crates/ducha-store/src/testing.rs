//! Fresh databases for tests: a temporary SQLite file, or a new database on the PostgreSQL server
//! named by `DUCHA_TEST_PG` (an admin URL such as `postgres://postgres@127.0.0.1:55432/postgres`,
//! which `scripts/pg-start` prints). With `DUCHA_REQUIRE_PG=1` (set by `.ci/run`) a missing server is
//! a failure, never a silent skip.

#![allow(clippy::disallowed_methods)] // test harness configuration comes from the environment

use sqlx::Executor;

use crate::{Backend, Store, StoreOptions};

/// Keeps a test database alive; the SQLite file goes with it.
#[derive(Debug)]
pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    _dir: Option<tempfile::TempDir>,
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
            TestDb { url, backend, _dir: Some(dir) }
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
            TestDb { url: format!("{base}/{name}"), backend, _dir: None }
        }
    }
}
