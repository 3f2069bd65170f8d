//! Holiday years imported at run time (migration 0500): one row per import of a State Council notice,
//! its dates one row each. The import of a year in force is the one not superseded; replacing it marks
//! the old one superseded in the same transaction (the partial unique index `holiday_imports_in_force`
//! lets only one stand, so two concurrent imports of one year cannot both win). Nothing is deleted:
//! [`stamp`] changes with every import, which is how other instances notice one.
//!
//! The store holds no rules: whether a year may be replaced, and what a valid row is, the app and the
//! domain decide (`ducha_app::holidays`, `ducha_domain::calendar::ImportedYear`).

use sqlx::Row;

use crate::{Result, Store, StoreError, Tx};

/// One import, without its dates.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ImportRow {
    pub id: i64,
    pub year: i64,
    pub doc_no: String,
    /// `YYYY-MM-DD`.
    pub dated: String,
    /// 0/1: the year was also built in when this import replaced it.
    pub replaced_builtin: i64,
    pub imported_by: Option<i64>,
    pub imported_by_name: String,
    pub imported_at: i64,
    pub superseded_at: Option<i64>,
}

/// One date of an import.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DayRow {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `holiday` | `workday`.
    pub kind: String,
    pub name: String,
}

/// An import in force with its dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearInForce {
    pub import: ImportRow,
    pub days: Vec<DayRow>,
}

/// What a new import stores.
#[derive(Debug, Clone)]
pub struct NewImport {
    pub year: i64,
    pub doc_no: String,
    pub dated: String,
    pub replaced_builtin: bool,
    pub imported_by: Option<i64>,
    pub imported_by_name: String,
    pub imported_at: i64,
    pub source_csv: String,
    pub days: Vec<DayRow>,
}

const IMPORT_COLS: &str =
    "id, year, doc_no, dated, replaced_builtin, imported_by, imported_by_name, imported_at, superseded_at";

/// Changes with every import (rows are only ever added): `(count, highest id)`. Cheap; what the app
/// compares to decide whether to reload.
pub async fn stamp(store: &Store) -> Result<(i64, i64)> {
    let r = sqlx::query("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM holiday_imports")
        .fetch_one(store.reader())
        .await?;
    Ok((r.try_get(0)?, r.try_get(1)?))
}

/// Every import in force, by year, with its dates (ascending).
pub async fn in_force(store: &Store) -> Result<Vec<YearInForce>> {
    let imports: Vec<ImportRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {IMPORT_COLS} FROM holiday_imports WHERE superseded_at IS NULL ORDER BY year"
    )))
    .fetch_all(store.reader())
    .await?;
    let rows = sqlx::query(
        "SELECT d.import_id, d.day, d.kind, d.name FROM holiday_days d
         JOIN holiday_imports i ON i.id = d.import_id
         WHERE i.superseded_at IS NULL ORDER BY d.import_id, d.day",
    )
    .fetch_all(store.reader())
    .await?;
    let mut out: Vec<YearInForce> =
        imports.into_iter().map(|import| YearInForce { import, days: Vec::new() }).collect();
    for r in rows {
        let import_id: i64 = r.try_get(0)?;
        // An import superseded between the two reads has no entry here: its dates are skipped, and the
        // next reload (the stamp changed) reads the new one.
        if let Some(y) = out.iter_mut().find(|y| y.import.id == import_id) {
            y.days.push(DayRow { day: r.try_get(1)?, kind: r.try_get(2)?, name: r.try_get(3)? });
        }
    }
    Ok(out)
}

/// Every import, the superseded ones too, newest first (for the record on the admin page).
pub async fn history(store: &Store) -> Result<Vec<ImportRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {IMPORT_COLS} FROM holiday_imports ORDER BY imported_at DESC, id DESC"
    )))
    .fetch_all(store.reader())
    .await?)
}

/// The import of `year` in force, read in the transaction that may replace it.
pub async fn in_force_for_year(tx: &mut Tx, year: i64) -> Result<Option<ImportRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {IMPORT_COLS} FROM holiday_imports WHERE year = $1 AND superseded_at IS NULL"
    )))
    .bind(year)
    .fetch_optional(tx.conn())
    .await?)
}

/// Store a new import in force for its year: the one in force before it (if any) is marked superseded
/// at `imported_at`. A concurrent import of the same year that committed first makes this one fail
/// with the conflict `holiday_import_concurrent`.
pub async fn insert(tx: &mut Tx, n: &NewImport) -> Result<i64> {
    sqlx::query("UPDATE holiday_imports SET superseded_at = $1 WHERE year = $2 AND superseded_at IS NULL")
        .bind(n.imported_at)
        .bind(n.year)
        .execute(tx.conn())
        .await?;
    let id: std::result::Result<i64, StoreError> = sqlx::query_scalar(
        "INSERT INTO holiday_imports (year, doc_no, dated, replaced_builtin, imported_by, imported_by_name,
             imported_at, superseded_at, source_csv)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8) RETURNING id",
    )
    .bind(n.year)
    .bind(&n.doc_no)
    .bind(&n.dated)
    .bind(i64::from(n.replaced_builtin))
    .bind(n.imported_by)
    .bind(&n.imported_by_name)
    .bind(n.imported_at)
    .bind(&n.source_csv)
    .fetch_one(tx.conn())
    .await
    .map_err(StoreError::from);
    let id = match id {
        Err(e) if e.is_unique_violation() => {
            return Err(StoreError::Conflict {
                code: "holiday_import_concurrent",
                message: format!("{}年的节假日安排刚被另一处导入，请刷新后查看再决定是否替换", n.year),
            });
        }
        other => other?,
    };
    for d in &n.days {
        sqlx::query("INSERT INTO holiday_days (import_id, day, kind, name) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(&d.day)
            .bind(&d.kind)
            .bind(&d.name)
            .execute(tx.conn())
            .await?;
    }
    Ok(id)
}

/// The file an import was made from.
pub async fn source_csv(store: &Store, id: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT source_csv FROM holiday_imports WHERE id = $1")
        .bind(id)
        .fetch_optional(store.reader())
        .await?)
}
