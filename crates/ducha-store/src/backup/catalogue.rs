//! The catalogue of a database: its tables (parents first), their columns in portable types, primary
//! and foreign keys and identity columns, read from SQLite's pragmas or PostgreSQL's
//! `information_schema`; and the migrations applied.

use std::collections::{BTreeMap, BTreeSet};

use super::{ColType, TableSpec};
use sqlx::AssertSqlSafe;

use crate::{Backend, Result, StoreError};

/// Tables derived from others by triggers (the case tallies of migration 0302): neither written nor
/// counted; the triggers rebuild them as the cases are restored.
const DERIVED: &[&str] = &["case_tally", "case_tally_day"];

#[derive(Debug, Clone)]
pub(super) struct TableInfo {
    pub spec: TableSpec,
    pub primary_key: Vec<String>,
    /// (column, referenced table)
    pub foreign_keys: Vec<(String, String)>,
    /// Columns filled by a PostgreSQL identity sequence.
    pub identity: Vec<String>,
}

fn sqlite_type(decl: &str) -> Result<ColType> {
    let d = decl.to_ascii_uppercase();
    // SQLite's type-affinity rules (section 3.1 of its datatype documentation), in its order.
    if d.contains("INT") {
        Ok(ColType::Int)
    } else if d.contains("CHAR") || d.contains("CLOB") || d.contains("TEXT") {
        Ok(ColType::Text)
    } else if d.contains("BLOB") || d.is_empty() {
        Ok(ColType::Blob)
    } else if d.contains("REAL") || d.contains("FLOA") || d.contains("DOUB") {
        Ok(ColType::Float)
    } else {
        Err(StoreError::Corrupt(format!("不支持备份的列类型 {decl}")))
    }
}

fn pg_type(t: &str) -> Result<ColType> {
    match t {
        "bigint" | "integer" | "smallint" => Ok(ColType::Int),
        "text" | "character varying" | "character" => Ok(ColType::Text),
        "bytea" => Ok(ColType::Blob),
        "double precision" | "real" => Ok(ColType::Float),
        other => Err(StoreError::Corrupt(format!("不支持备份的列类型 {other}"))),
    }
}

pub(super) async fn catalogue(conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<Vec<TableInfo>> {
    let mut out = Vec::new();
    match backend {
        Backend::Sqlite => {
            let names: Vec<String> = sqlx::query_scalar(
                // Virtual tables (FTS5) and their shadow tables are derived data: the triggers rebuild
                // them as the rows are restored, so they are neither written nor counted.
                "SELECT name FROM sqlite_master m WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                   AND name <> '_sqlx_migrations' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
                   AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.type = 'table'
                       AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND m.name LIKE v.name || '\\_%' ESCAPE '\\')
                 ORDER BY name",
            )
            .fetch_all(&mut *conn)
            .await?;
            for name in names.into_iter().filter(|n| !DERIVED.contains(&n.as_str())) {
                let cols: Vec<(i64, String, String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT cid, name, type, pk FROM pragma_table_info({}) ORDER BY cid",
                    sql_str(&name)
                )))
                .fetch_all(&mut *conn)
                .await?;
                let mut columns = Vec::new();
                let mut pk: Vec<(i64, String)> = Vec::new();
                for (_, col, decl, pkpos) in cols {
                    columns.push((col.clone(), sqlite_type(&decl)?));
                    if pkpos > 0 {
                        pk.push((pkpos, col));
                    }
                }
                pk.sort();
                let fks: Vec<(String, String)> = sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT \"from\", \"table\" FROM pragma_foreign_key_list({})",
                    sql_str(&name)
                )))
                .fetch_all(&mut *conn)
                .await?;
                out.push(TableInfo {
                    spec: TableSpec { name, columns },
                    primary_key: pk.into_iter().map(|(_, c)| c).collect(),
                    foreign_keys: fks,
                    identity: Vec::new(),
                });
            }
        }
        Backend::Postgres => {
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'
                 ORDER BY table_name",
            )
            .fetch_all(&mut *conn)
            .await?;
            for name in names.into_iter().filter(|n| !DERIVED.contains(&n.as_str())) {
                let cols: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT column_name::text, data_type::text, is_identity::text FROM information_schema.columns
                     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                )
                .bind(&name)
                .fetch_all(&mut *conn)
                .await?;
                let mut columns = Vec::new();
                let mut identity = Vec::new();
                for (col, t, ident) in cols {
                    columns.push((col.clone(), pg_type(&t)?));
                    if ident == "YES" {
                        identity.push(col);
                    }
                }
                let pk: Vec<String> = sqlx::query_scalar(
                    "SELECT a.attname::text FROM pg_index i
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                     WHERE i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident($1))::regclass AND i.indisprimary
                     ORDER BY array_position(i.indkey::int2[], a.attnum)",
                )
                .bind(&name)
                .fetch_all(&mut *conn)
                .await?;
                let fks: Vec<(String, String)> = sqlx::query_as(
                    "SELECT a.attname::text, r.relname::text FROM pg_constraint c
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
                     JOIN pg_class r ON r.oid = c.confrelid
                     WHERE c.contype = 'f' AND c.conrelid = (quote_ident(current_schema()) || '.' || quote_ident($1))::regclass",
                )
                .bind(&name)
                .fetch_all(&mut *conn)
                .await?;
                out.push(TableInfo {
                    spec: TableSpec { name, columns },
                    primary_key: pk,
                    foreign_keys: fks,
                    identity,
                });
            }
        }
    }
    order_by_dependencies(out)
}

pub(super) fn sql_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Parents before children; self-references do not count (they are filled in a second pass).
fn order_by_dependencies(tables: Vec<TableInfo>) -> Result<Vec<TableInfo>> {
    let mut left: BTreeMap<String, TableInfo> =
        tables.into_iter().map(|t| (t.spec.name.clone(), t)).collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    while !left.is_empty() {
        let ready: Vec<String> = left
            .values()
            .filter(|t| {
                t.foreign_keys.iter().all(|(_, parent)| {
                    *parent == t.spec.name || done.contains(parent) || !left.contains_key(parent)
                })
            })
            .map(|t| t.spec.name.clone())
            .collect();
        if ready.is_empty() {
            let names: Vec<&str> = left.keys().map(String::as_str).collect();
            return Err(StoreError::Corrupt(format!(
                "表之间的外键形成环，无法确定恢复顺序：{}",
                names.join("、")
            )));
        }
        for name in ready {
            if let Some(t) = left.remove(&name) {
                done.insert(name);
                out.push(t);
            }
        }
    }
    Ok(out)
}

pub(super) async fn applied_migrations(conn: &mut sqlx::AnyConnection) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
        .fetch_all(&mut *conn)
        .await?)
}
