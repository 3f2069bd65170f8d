//! Handling reports (one per case, stored as the JSON of `ducha_domain::handling::HandlingReport`),
//! the shutdowns they order (for the R1.2/R1.3 detectors), and the alerts those raise.

use serde::{Deserialize, Serialize};

use crate::sql::Q;
use crate::{Result, Store, StoreError, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ReportRow {
    pub case_id: i64,
    /// JSON of `HandlingReport`.
    pub report: String,
    pub finding: Option<String>,
    pub unit_id: Option<i64>,
    pub updated_at: i64,
    pub updated_by: Option<i64>,
    pub submitted_at: Option<i64>,
    pub version: i64,
}

const REPORT_COLS: &str = "case_id, report, finding, unit_id, updated_at, updated_by, submitted_at, version";

pub async fn report(store: &Store, case_id: i64) -> Result<Option<ReportRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {REPORT_COLS} FROM handling_reports WHERE case_id = $1"
    )))
    .bind(case_id)
    .fetch_optional(store.reader())
    .await?)
}

pub async fn report_in_tx(tx: &mut Tx, case_id: i64) -> Result<Option<ReportRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {REPORT_COLS} FROM handling_reports WHERE case_id = $1"
    )))
    .bind(case_id)
    .fetch_optional(tx.conn())
    .await?)
}

/// Reports of many cases at once (disclosure tables, metrics).
pub async fn reports_for(store: &Store, case_ids: &[i64]) -> Result<Vec<ReportRow>> {
    if case_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::with_capacity(case_ids.len());
    for chunk in case_ids.chunks(500) {
        let mut q = Q::new(&format!("SELECT {REPORT_COLS} FROM handling_reports WHERE case_id IN ("));
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(*id);
        }
        q.push(")");
        out.extend(q.query_as::<ReportRow>()?.fetch_all(store.reader()).await?);
    }
    Ok(out)
}

/// Save the report as it stands (drafts are allowed); `expected_version` guards against overwriting
/// someone else's edit (None on first save).
pub async fn save_report(
    tx: &mut Tx,
    case_id: i64,
    report_json: &str,
    finding: Option<&str>,
    unit_id: i64,
    user_id: i64,
    now: i64,
    expected_version: Option<i64>,
) -> Result<i64> {
    let existing = report_in_tx(tx, case_id).await?;
    match existing {
        None => {
            sqlx::query(
                "INSERT INTO handling_reports (case_id, report, finding, unit_id, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(case_id)
            .bind(report_json)
            .bind(finding)
            .bind(unit_id)
            .bind(now)
            .bind(user_id)
            .execute(tx.conn())
            .await?;
            Ok(1)
        }
        Some(row) => {
            if let Some(v) = expected_version
                && v != row.version
            {
                return Err(StoreError::Conflict {
                    code: "stale_report",
                    message: "办理报告已被他人修改，请刷新后重试".into(),
                });
            }
            sqlx::query(
                "UPDATE handling_reports SET report = $1, finding = $2, unit_id = $3, updated_at = $4, updated_by = $5, version = version + 1 WHERE case_id = $6",
            )
            .bind(report_json)
            .bind(finding)
            .bind(unit_id)
            .bind(now)
            .bind(user_id)
            .bind(case_id)
            .execute(tx.conn())
            .await?;
            Ok(row.version + 1)
        }
    }
}

pub async fn all_reports(store: &Store) -> Result<Vec<ReportRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {REPORT_COLS} FROM handling_reports ORDER BY case_id"
    )))
    .fetch_all(store.reader())
    .await?)
}

pub async fn mark_submitted(tx: &mut Tx, case_id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE handling_reports SET submitted_at = $1 WHERE case_id = $2")
        .bind(now)
        .bind(case_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ShutdownRow {
    pub id: i64,
    pub case_id: i64,
    pub county_code: String,
    pub kind: String,
    pub subject: String,
    pub industry: Option<String>,
    /// ISO date.
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub complaint_named: i64,
    pub verified_on: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewShutdown {
    pub county_code: String,
    pub kind: String,
    pub subject: String,
    pub industry: Option<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub complaint_named: bool,
}

/// Replace a case's shutdown rows with those its current report orders.
pub async fn replace_shutdowns(tx: &mut Tx, case_id: i64, rows: &[NewShutdown]) -> Result<()> {
    sqlx::query("DELETE FROM shutdowns WHERE case_id = $1").bind(case_id).execute(tx.conn()).await?;
    for r in rows {
        sqlx::query(
            "INSERT INTO shutdowns (case_id, county_code, kind, subject, industry, starts_on, ends_on, complaint_named) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(case_id)
        .bind(&r.county_code)
        .bind(&r.kind)
        .bind(&r.subject)
        .bind(&r.industry)
        .bind(&r.starts_on)
        .bind(&r.ends_on)
        .bind(i64::from(r.complaint_named))
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

pub async fn mark_shutdowns_verified(tx: &mut Tx, case_id: i64, on: &str) -> Result<()> {
    sqlx::query("UPDATE shutdowns SET verified_on = $1 WHERE case_id = $2 AND verified_on IS NULL")
        .bind(on)
        .bind(case_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

const SHUTDOWN_COLS: &str =
    "id, case_id, county_code, kind, subject, industry, starts_on, ends_on, complaint_named, verified_on";

pub async fn shutdowns_in_county(tx: &mut Tx, county_code: &str) -> Result<Vec<ShutdownRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SHUTDOWN_COLS} FROM shutdowns WHERE county_code = $1 ORDER BY starts_on, id"
    )))
    .bind(county_code)
    .fetch_all(tx.conn())
    .await?)
}

pub async fn all_shutdowns(store: &Store) -> Result<Vec<ShutdownRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SHUTDOWN_COLS} FROM shutdowns ORDER BY county_code, starts_on, id"
    )))
    .fetch_all(store.reader())
    .await?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AlertRow {
    pub id: i64,
    pub kind: String,
    pub alert_key: String,
    pub level: String,
    pub unit_id: Option<i64>,
    pub county_code: Option<String>,
    pub title: String,
    pub summary: String,
    /// JSON array of evidence lines.
    pub evidence: String,
    /// JSON array of case ids.
    pub case_ids: String,
    pub escalation: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by: Option<i64>,
    pub resolved_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewAlert {
    pub kind: String,
    pub alert_key: String,
    pub level: String,
    pub unit_id: Option<i64>,
    pub county_code: Option<String>,
    pub title: String,
    pub summary: String,
    pub evidence: Vec<String>,
    pub case_ids: Vec<i64>,
    pub escalation: i64,
}

/// Raise an alert once per key; a later raise with a higher escalation updates it (and reopens
/// acknowledgement). Returns (id, newly raised or escalated).
pub async fn raise_alert(tx: &mut Tx, a: &NewAlert, now: i64) -> Result<(i64, bool)> {
    let lock = tx.for_update();
    let existing: Option<(i64, i64, Option<i64>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, escalation, resolved_at FROM alerts WHERE alert_key = $1{lock}"
    )))
    .bind(&a.alert_key)
    .fetch_optional(tx.conn())
    .await?;
    let evidence = serde_json::to_string(&a.evidence).unwrap_or_else(|_| "[]".into());
    let case_ids = serde_json::to_string(&a.case_ids).unwrap_or_else(|_| "[]".into());
    match existing {
        Some((id, esc, resolved)) if esc >= a.escalation || resolved.is_some() => {
            sqlx::query(
                "UPDATE alerts SET summary = $1, evidence = $2, case_ids = $3, updated_at = $4 WHERE id = $5",
            )
            .bind(&a.summary)
            .bind(&evidence)
            .bind(&case_ids)
            .bind(now)
            .bind(id)
            .execute(tx.conn())
            .await?;
            Ok((id, false))
        }
        Some((id, _, _)) => {
            sqlx::query(
                "UPDATE alerts SET level = $1, unit_id = $2, summary = $3, evidence = $4, case_ids = $5, escalation = $6, updated_at = $7,
                     acknowledged_at = NULL, acknowledged_by = NULL WHERE id = $8",
            )
            .bind(&a.level)
            .bind(a.unit_id)
            .bind(&a.summary)
            .bind(&evidence)
            .bind(&case_ids)
            .bind(a.escalation)
            .bind(now)
            .bind(id)
            .execute(tx.conn())
            .await?;
            Ok((id, true))
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO alerts (kind, alert_key, level, unit_id, county_code, title, summary, evidence, case_ids, escalation, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
            )
            .bind(&a.kind)
            .bind(&a.alert_key)
            .bind(&a.level)
            .bind(a.unit_id)
            .bind(&a.county_code)
            .bind(&a.title)
            .bind(&a.summary)
            .bind(&evidence)
            .bind(&case_ids)
            .bind(a.escalation)
            .bind(now)
            .fetch_one(tx.conn())
            .await?;
            Ok((id, true))
        }
    }
}

pub async fn resolve_alerts_for_key_prefix(tx: &mut Tx, prefix: &str, now: i64) -> Result<u64> {
    Ok(sqlx::query("UPDATE alerts SET resolved_at = $1 WHERE resolved_at IS NULL AND alert_key LIKE $2")
        .bind(now)
        .bind(format!("{prefix}%"))
        .execute(tx.conn())
        .await?
        .rows_affected())
}

const ALERT_COLS: &str = "id, kind, alert_key, level, unit_id, county_code, title, summary, evidence, case_ids, escalation, created_at, updated_at, acknowledged_at, acknowledged_by, resolved_at";

/// Open alerts, newest first; optionally of one kind and for units in a set.
pub async fn open_alerts(store: &Store, kind: Option<&str>) -> Result<Vec<AlertRow>> {
    let mut q = Q::new(&format!("SELECT {ALERT_COLS} FROM alerts WHERE resolved_at IS NULL"));
    if let Some(k) = kind {
        q.push(" AND kind = ").bind(k);
    }
    q.push(" ORDER BY updated_at DESC, id DESC");
    Ok(q.query_as::<AlertRow>()?.fetch_all(store.reader()).await?)
}

pub async fn all_alerts(store: &Store) -> Result<Vec<AlertRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {ALERT_COLS} FROM alerts ORDER BY id")))
        .fetch_all(store.reader())
        .await?)
}

pub async fn acknowledge_alert(tx: &mut Tx, id: i64, user_id: i64, now: i64) -> Result<bool> {
    Ok(sqlx::query("UPDATE alerts SET acknowledged_at = $1, acknowledged_by = $2 WHERE id = $3 AND acknowledged_at IS NULL")
        .bind(now)
        .bind(user_id)
        .bind(id)
        .execute(tx.conn())
        .await?
        .rows_affected()
        > 0)
}
