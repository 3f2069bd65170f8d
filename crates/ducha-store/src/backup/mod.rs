//! Online, consistent backup in a portable logical format, and restore into an empty database of
//! either backend.
//!
//! # Consistency
//! [`backup`] reads every table inside one read transaction: on SQLite a deferred transaction on a
//! reader connection (WAL gives it a stable snapshot from its first read while the writer goes on);
//! on PostgreSQL `REPEATABLE READ, READ ONLY` (one snapshot for the whole transaction). So the file is
//! the database as it was at one instant — the audit chain's head matches its last record, every
//! case has the identities and assignments it had — while the platform keeps serving.
//!
//! # Format (`ducha-backup`, version 1): JSON lines, UTF-8
//! 1. a header: `{"format":"ducha-backup","version":1,"source_backend":…,"taken_at_ms":…,
//!    "migrations":[1,2,…],"tables":[{"name":…,"columns":[[name,type],…]},…]}` with `type` one of
//!    `int`, `text`, `blob`, `float`; tables are listed parents first (foreign-key order);
//! 2. per table, in header order: a marker `{"table":name}` and then one JSON array per row (blobs as
//!    base64 strings, NULL as `null`), ordered by primary key;
//! 3. a trailer: `{"end":true,"counts":{table:rows,…},"sm3":hex}` where `sm3` is the SM3 digest of
//!    every byte before the trailer line — a truncated or edited file is refused.
//!
//! The format names columns, not positions, and carries values in portable types (the schema only uses
//! 64-bit integers, text and byte strings), so a backup of SQLite restores into PostgreSQL and back.
//!
//! # Restore
//! [`restore()`] migrates the target up to the backup's schema version, refuses a target that holds any
//! data, inserts every row in one transaction (self-references such as `cases.dup_of` are filled in a
//! second pass, so row order never trips a foreign key), moves PostgreSQL's identity sequences past the
//! restored ids, checks the row counts and the digest, appends a `store.restore` record to the audit
//! chain it restored, commits, and then applies any newer migrations of this binary. Sealed identities
//! are copied byte for byte (they are bound to their case id, which is kept), so they open with the same
//! key afterwards.
//!
//! # Code
//! This module holds the format's types and [`backup`]; `catalogue` reads the tables, columns, keys and
//! migrations of either backend; `restore` reads a file back ([`restore()`] is re-exported here).

use std::collections::BTreeMap;
use std::io::Write;

use base64::Engine as _;
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use sm3::{Digest, Sm3};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::audit::{self, AuditEntry};
use crate::{Backend, Result, Store, StoreError};

mod catalogue;
mod restore;

pub use restore::restore;

use catalogue::{applied_migrations, catalogue};

pub const FORMAT: &str = "ducha-backup";
pub const FORMAT_VERSION: u32 = 1;

/// A column's portable type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColType {
    Int,
    Text,
    Blob,
    Float,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSpec {
    pub name: String,
    pub columns: Vec<(String, ColType)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub source_backend: String,
    pub taken_at_ms: i64,
    pub migrations: Vec<i64>,
    pub tables: Vec<TableSpec>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Marker {
    table: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Trailer {
    end: bool,
    counts: BTreeMap<String, u64>,
    sm3: String,
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupSummary {
    pub source_backend: String,
    pub taken_at_ms: i64,
    pub migrations: Vec<i64>,
    pub counts: BTreeMap<String, u64>,
    pub rows: u64,
    /// SM3 of the file body (as in its trailer).
    pub sm3: String,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestoreSummary {
    pub source_backend: String,
    pub taken_at_ms: i64,
    pub counts: BTreeMap<String, u64>,
    pub rows: u64,
    pub sm3: String,
    /// Migrations of this binary applied after the data (the backup was older).
    pub upgraded_to: Option<i64>,
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Io(e)
}

fn bad(msg: impl Into<String>) -> StoreError {
    StoreError::Corrupt(format!("备份文件无效：{}", msg.into()))
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// Writes lines and keeps the running SM3 of everything written.
struct Hashing<W: Write> {
    out: W,
    h: Sm3,
}

impl<W: Write> Hashing<W> {
    fn line(&mut self, v: &impl Serialize) -> Result<()> {
        let mut s = serde_json::to_vec(v).map_err(|e| bad(e.to_string()))?;
        s.push(b'\n');
        self.h.update(&s);
        self.out.write_all(&s).map_err(io)
    }
}

fn cell(row: &AnyRow, i: usize, t: ColType) -> Result<serde_json::Value> {
    use serde_json::Value;
    Ok(match t {
        ColType::Int => row.try_get::<Option<i64>, _>(i)?.map(Value::from).unwrap_or(Value::Null),
        ColType::Text => row.try_get::<Option<String>, _>(i)?.map(Value::from).unwrap_or(Value::Null),
        ColType::Blob => row
            .try_get::<Option<Vec<u8>>, _>(i)?
            .map(|b| Value::from(base64::engine::general_purpose::STANDARD.encode(b)))
            .unwrap_or(Value::Null),
        ColType::Float => row.try_get::<Option<f64>, _>(i)?.map(Value::from).unwrap_or(Value::Null),
    })
}

/// Write a consistent backup of `store` to `out` (see the module docs for the format).
pub async fn backup<W: Write>(store: &Store, out: W, now_ms: i64) -> Result<BackupSummary> {
    let backend = store.backend();
    let mut tx = match backend {
        Backend::Sqlite => store.reader().begin().await?,
        Backend::Postgres => {
            store.reader().begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?
        }
    };
    // On SQLite the snapshot starts with the first read; everything below is one snapshot.
    let migrations = applied_migrations(&mut tx).await?;
    let tables = catalogue(&mut tx, backend).await?;
    let header = Header {
        format: FORMAT.into(),
        version: FORMAT_VERSION,
        source_backend: backend.name().into(),
        taken_at_ms: now_ms,
        migrations: migrations.clone(),
        tables: tables.iter().map(|t| t.spec.clone()).collect(),
    };
    let mut w = Hashing { out, h: Sm3::new() };
    w.line(&header)?;
    let mut counts = BTreeMap::new();
    let mut total = 0u64;
    for t in &tables {
        w.line(&Marker { table: t.spec.name.clone() })?;
        let cols: Vec<String> = t.spec.columns.iter().map(|(c, _)| quote(c)).collect();
        let order = if t.primary_key.is_empty() {
            String::new()
        } else {
            format!(" ORDER BY {}", t.primary_key.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", "))
        };
        let sql = format!("SELECT {} FROM {}{order}", cols.join(", "), quote(&t.spec.name));
        let mut n = 0u64;
        let mut rows = sqlx::query(AssertSqlSafe(sql)).fetch(&mut *tx);
        while let Some(row) = rows.try_next().await? {
            let mut vals = Vec::with_capacity(t.spec.columns.len());
            for (i, (_, ty)) in t.spec.columns.iter().enumerate() {
                vals.push(cell(&row, i, *ty)?);
            }
            w.line(&vals)?;
            n += 1;
        }
        drop(rows);
        counts.insert(t.spec.name.clone(), n);
        total += n;
    }
    tx.rollback().await?;
    let digest = hex::encode(w.h.clone().finalize());
    let trailer = Trailer { end: true, counts: counts.clone(), sm3: digest.clone() };
    let mut s = serde_json::to_vec(&trailer).map_err(|e| bad(e.to_string()))?;
    s.push(b'\n');
    w.out.write_all(&s).map_err(io)?;
    w.out.flush().map_err(io)?;
    Ok(BackupSummary {
        source_backend: backend.name().into(),
        taken_at_ms: now_ms,
        migrations,
        counts,
        rows: total,
        sm3: digest,
    })
}

/// Note a finished backup in the audit chain (who exported the data, when, which file digest).
pub async fn record_backup(store: &Store, s: &BackupSummary, actor: &str, now_ms: i64) -> Result<i64> {
    let mut tx = store.begin().await?;
    let seq = audit::append(
        &mut tx,
        &AuditEntry {
            at_ms: now_ms,
            actor_user_id: None,
            actor_unit_id: None,
            actor_name: actor.into(),
            action: "store.backup".into(),
            entity_type: "database".into(),
            entity_id: store.backend().name().into(),
            detail: serde_json::json!({ "rows": s.rows, "sm3": s.sm3, "taken_at_ms": s.taken_at_ms }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(seq)
}
