//! Assignments of a case down the chain (lead and co-handlers, due times, acknowledgement, return,
//! completion), the reminder and escalation marks, and extension requests awaiting a decision.

use serde::{Deserialize, Serialize};

use crate::{Result, Store, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AssignmentRow {
    pub id: i64,
    pub case_id: i64,
    pub unit_id: i64,
    pub level: String,
    pub parent_id: Option<i64>,
    pub is_lead: i64,
    /// `active`, `returned`, `done`.
    pub status: String,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
    pub due_at: Option<i64>,
    pub acknowledged_at: Option<i64>,
    pub returned_at: Option<i64>,
    pub return_reason: Option<String>,
    pub completed_at: Option<i64>,
    pub override_reason: Option<String>,
    pub created_by: Option<i64>,
    pub reminded_at: Option<i64>,
    pub escalated_at: Option<i64>,
    /// 1 when the delivery was held for quiet hours.
    pub deferred: i64,
}

const ASSIGNMENT_COLS: &str = "id, case_id, unit_id, level, parent_id, is_lead, status, created_at, delivered_at, due_at, acknowledged_at, returned_at, return_reason, completed_at, override_reason, created_by, reminded_at, escalated_at, deferred";

#[derive(Debug, Clone)]
pub struct NewAssignment {
    pub case_id: i64,
    pub unit_id: i64,
    pub level: String,
    pub parent_id: Option<i64>,
    pub is_lead: bool,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
    pub due_at: Option<i64>,
    pub override_reason: Option<String>,
    pub created_by: Option<i64>,
    pub deferred: bool,
}

pub async fn insert_assignment(tx: &mut Tx, a: &NewAssignment) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO assignments (case_id, unit_id, level, parent_id, is_lead, status, created_at, delivered_at, due_at,
             override_reason, created_by, deferred)
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(a.case_id)
    .bind(a.unit_id)
    .bind(&a.level)
    .bind(a.parent_id)
    .bind(i64::from(a.is_lead))
    .bind(a.created_at)
    .bind(a.delivered_at)
    .bind(a.due_at)
    .bind(&a.override_reason)
    .bind(a.created_by)
    .bind(i64::from(a.deferred))
    .fetch_one(tx.conn())
    .await?)
}

pub async fn assignments(store: &Store, case_id: i64) -> Result<Vec<AssignmentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ASSIGNMENT_COLS} FROM assignments WHERE case_id = $1 ORDER BY id"
    )))
    .bind(case_id)
    .fetch_all(store.reader())
    .await?)
}

pub async fn active_assignments_tx(tx: &mut Tx, case_id: i64) -> Result<Vec<AssignmentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ASSIGNMENT_COLS} FROM assignments WHERE case_id = $1 AND status = 'active' ORDER BY id"
    )))
    .bind(case_id)
    .fetch_all(tx.conn())
    .await?)
}

pub async fn acknowledge_assignment(tx: &mut Tx, id: i64, at: i64) -> Result<()> {
    sqlx::query("UPDATE assignments SET acknowledged_at = $1 WHERE id = $2 AND acknowledged_at IS NULL")
        .bind(at)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn return_assignment(tx: &mut Tx, id: i64, at: i64, reason: &str) -> Result<()> {
    sqlx::query(
        "UPDATE assignments SET status = 'returned', returned_at = $1, return_reason = $2 WHERE id = $3",
    )
    .bind(at)
    .bind(reason)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn complete_assignment(tx: &mut Tx, id: i64, at: i64) -> Result<()> {
    sqlx::query("UPDATE assignments SET status = 'done', completed_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn set_assignment_due(tx: &mut Tx, id: i64, due_at: i64) -> Result<()> {
    sqlx::query("UPDATE assignments SET due_at = $1 WHERE id = $2")
        .bind(due_at)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Active assignments due before `before` that have not been reminded (the reminder job).
pub async fn assignments_to_remind(store: &Store, now: i64, before: i64) -> Result<Vec<AssignmentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ASSIGNMENT_COLS} FROM assignments WHERE status = 'active' AND reminded_at IS NULL AND due_at IS NOT NULL
         AND due_at > $1 AND due_at <= $2 ORDER BY due_at"
    )))
    .bind(now)
    .bind(before)
    .fetch_all(store.reader())
    .await?)
}

/// Active assignments past due and not yet escalated (the escalation job).
pub async fn assignments_overdue(store: &Store, now: i64) -> Result<Vec<AssignmentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ASSIGNMENT_COLS} FROM assignments WHERE status = 'active' AND escalated_at IS NULL AND due_at IS NOT NULL AND due_at <= $1
         ORDER BY due_at"
    )))
    .bind(now)
    .fetch_all(store.reader())
    .await?)
}

/// Mark reminded/escalated; true if this call did it (so two workers never both notify).
pub async fn mark_assignment(tx: &mut Tx, id: i64, column: AssignmentMark, at: i64) -> Result<bool> {
    let sql = match column {
        AssignmentMark::Reminded => {
            "UPDATE assignments SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL"
        }
        AssignmentMark::Escalated => {
            "UPDATE assignments SET escalated_at = $1 WHERE id = $2 AND escalated_at IS NULL"
        }
    };
    Ok(sqlx::query(sql).bind(at).bind(id).execute(tx.conn()).await?.rows_affected() > 0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentMark {
    Reminded,
    Escalated,
}

pub async fn assignment(store: &Store, id: i64) -> Result<Option<AssignmentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ASSIGNMENT_COLS} FROM assignments WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(store.reader())
    .await?)
}

/// All assignments (dashboards: time given vs time used).
pub async fn all_assignments(store: &Store) -> Result<Vec<AssignmentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {ASSIGNMENT_COLS} FROM assignments ORDER BY id")))
        .fetch_all(store.reader())
        .await?)
}

/// Active assignments of one unit with their cases (a township's "my tasks").
pub async fn active_for_unit(store: &Store, unit_id: i64) -> Result<Vec<AssignmentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ASSIGNMENT_COLS} FROM assignments WHERE unit_id = $1 AND status = 'active' ORDER BY due_at, id"
    )))
    .bind(unit_id)
    .fetch_all(store.reader())
    .await?)
}

/// Pending extension requests from units directly under `parent_unit_id` (the level that decides),
/// oldest first: (request, requesting unit's name, accept number).
pub async fn pending_extensions_below(
    store: &Store,
    parent_unit_id: i64,
) -> Result<Vec<(crate::extensions::ExtensionRow, String, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        e: crate::extensions::ExtensionRow,
        unit_name: String,
        accept_no: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT e.id, e.case_id, e.assignment_id, e.unit_id, e.requested_days, e.reason, e.requested_at, e.requested_by,
                e.decided_at, e.decided_by, e.approved, e.decision_note, e.new_due_at, u.name AS unit_name, c.accept_no
         FROM extension_requests e JOIN units u ON u.id = e.unit_id JOIN cases c ON c.id = e.case_id
         WHERE e.decided_at IS NULL AND u.parent_id = $1 ORDER BY e.requested_at, e.id",
    )
    .bind(parent_unit_id)
    .fetch_all(store.reader())
    .await?;
    Ok(rows.into_iter().map(|r| (r.e, r.unit_name, r.accept_no)).collect())
}
