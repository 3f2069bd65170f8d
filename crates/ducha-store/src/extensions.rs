//! Extension requests (申请延期) and their decisions by the level above.

use serde::{Deserialize, Serialize};

use crate::{Result, Store, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ExtensionRow {
    pub id: i64,
    pub case_id: i64,
    pub assignment_id: Option<i64>,
    pub unit_id: i64,
    pub requested_days: i64,
    pub reason: String,
    pub requested_at: i64,
    pub requested_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub decided_by: Option<i64>,
    pub approved: Option<i64>,
    pub decision_note: Option<String>,
    pub new_due_at: Option<i64>,
}

const COLS: &str = "id, case_id, assignment_id, unit_id, requested_days, reason, requested_at, requested_by, decided_at, decided_by, approved, decision_note, new_due_at";

pub async fn request(
    tx: &mut Tx,
    case_id: i64,
    assignment_id: i64,
    unit_id: i64,
    days: i64,
    reason: &str,
    now: i64,
    by: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO extension_requests (case_id, assignment_id, unit_id, requested_days, reason, requested_at, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(case_id)
    .bind(assignment_id)
    .bind(unit_id)
    .bind(days)
    .bind(reason)
    .bind(now)
    .bind(by)
    .fetch_one(tx.conn())
    .await?)
}

/// The undecided request of a case, if any.
pub async fn pending(tx: &mut Tx, case_id: i64) -> Result<Option<ExtensionRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM extension_requests WHERE case_id = $1 AND decided_at IS NULL ORDER BY id DESC LIMIT 1"
    )))
    .bind(case_id)
    .fetch_optional(tx.conn())
    .await?)
}

pub async fn decide(
    tx: &mut Tx,
    id: i64,
    approve: bool,
    note: Option<String>,
    now: i64,
    by: i64,
    new_due_at: Option<i64>,
) -> Result<()> {
    sqlx::query("UPDATE extension_requests SET decided_at = $1, decided_by = $2, approved = $3, decision_note = $4, new_due_at = $5 WHERE id = $6")
        .bind(now)
        .bind(by)
        .bind(i64::from(approve))
        .bind(note)
        .bind(new_due_at)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn for_case(store: &Store, case_id: i64) -> Result<Vec<ExtensionRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM extension_requests WHERE case_id = $1 ORDER BY id"
    )))
    .bind(case_id)
    .fetch_all(store.reader())
    .await?)
}
