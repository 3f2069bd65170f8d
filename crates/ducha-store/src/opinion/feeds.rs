//! Feed sources of the opinion desk and their poll log: settings, the due list, the compare-and-set
//! claim that lets one instance poll a source, and each poll's outcome.

use serde::{Deserialize, Serialize};

use crate::sql::Q;
use crate::{Result, Store, StoreError, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct SourceRow {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub outlet: Option<String>,
    pub county_code: Option<String>,
    pub interval_secs: i64,
    pub enabled: i64,
    /// `never`, `ok`, `error` (retrying with backoff) or `failing` (stopped until re-enabled).
    pub status: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_polled_at: Option<i64>,
    pub last_success_at: Option<i64>,
    pub next_poll_at: i64,
    pub consecutive_failures: i64,
    pub last_error: Option<String>,
    pub items_total: i64,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl SourceRow {
    /// The last polls failed (status `failing`); the desk is shown the error.
    pub fn is_failing(&self) -> bool {
        self.status == "failing"
    }
}

const SOURCE_COLS: &str = "id, name, url, outlet, county_code, interval_secs, enabled, status, etag, last_modified, last_polled_at, last_success_at, next_poll_at, consecutive_failures, last_error, items_total, created_by, created_at, updated_at";

#[derive(Debug, Clone)]
pub struct NewSource {
    pub name: String,
    pub url: String,
    pub outlet: Option<String>,
    pub county_code: Option<String>,
    pub interval_secs: i64,
    pub created_by: Option<i64>,
    pub now: i64,
}

pub async fn insert_source(tx: &mut Tx, s: &NewSource) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO opinion_sources (name, url, outlet, county_code, interval_secs, next_poll_at, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $6) RETURNING id",
    )
    .bind(&s.name)
    .bind(&s.url)
    .bind(&s.outlet)
    .bind(&s.county_code)
    .bind(s.interval_secs)
    .bind(s.now)
    .bind(s.created_by)
    .fetch_one(tx.conn())
    .await
    .map_err(|e| match StoreError::from(e) {
        e if e.is_unique_violation() => {
            StoreError::Conflict { code: "source_exists", message: format!("订阅源地址已存在：{}", s.url) }
        }
        e => e,
    })
}

pub async fn source(store: &Store, id: i64) -> Result<Option<SourceRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SOURCE_COLS} FROM opinion_sources WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(store.reader())
    .await?)
}

pub async fn source_for_update(tx: &mut Tx, id: i64) -> Result<Option<SourceRow>> {
    let lock = tx.for_update();
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SOURCE_COLS} FROM opinion_sources WHERE id = $1{lock}"
    )))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?)
}

/// Sources, optionally only one county's.
pub async fn sources(store: &Store, county: Option<&str>) -> Result<Vec<SourceRow>> {
    let mut q = Q::new(&format!("SELECT {SOURCE_COLS} FROM opinion_sources WHERE 1 = 1"));
    if let Some(c) = county {
        q.push(" AND county_code = ").bind(c);
    }
    q.push(" ORDER BY id");
    Ok(q.query_as()?.fetch_all(store.reader()).await?)
}

/// Enabled sources that are due and not flagged failing, earliest first.
pub async fn due_sources(store: &Store, now: i64, limit: i64) -> Result<Vec<SourceRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SOURCE_COLS} FROM opinion_sources
         WHERE enabled = 1 AND status <> 'failing' AND next_poll_at <= $1 ORDER BY next_poll_at, id LIMIT $2"
    )))
    .bind(now)
    .bind(limit)
    .fetch_all(store.reader())
    .await?)
}

/// Claim one due source for a poll: move its next poll to `lease_until`, but only if its next poll is
/// still `seen_next_poll_at` (compare-and-set). Of several instances that saw the source due, exactly
/// one wins and polls it; the others skip it. A poller that dies mid-poll leaves the source due again
/// at `lease_until`. Works alike on both backends (SQLite's single writer, PostgreSQL's row lock).
pub async fn claim_source(store: &Store, id: i64, seen_next_poll_at: i64, lease_until: i64) -> Result<bool> {
    let mut tx = store.begin().await?;
    let n = sqlx::query(
        "UPDATE opinion_sources SET next_poll_at = $1
         WHERE id = $2 AND next_poll_at = $3 AND enabled = 1 AND status <> 'failing'",
    )
    .bind(lease_until)
    .bind(id)
    .bind(seen_next_poll_at)
    .execute(tx.conn())
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(n == 1)
}

/// The earliest next poll of any pollable source.
pub async fn next_due_at(store: &Store) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT MIN(next_poll_at) FROM opinion_sources WHERE enabled = 1 AND status <> 'failing'",
    )
    .fetch_one(store.reader())
    .await?)
}

/// Settings the desk may change; `None` leaves a column alone.
#[derive(Debug, Clone, Default)]
pub struct SourcePatch {
    pub name: Option<String>,
    pub outlet: Option<Option<String>>,
    pub interval_secs: Option<i64>,
    pub enabled: Option<bool>,
    /// Clear the failure state and poll at this instant (re-enabling a failing source).
    pub reset_at: Option<i64>,
}

pub async fn update_source(tx: &mut Tx, id: i64, p: &SourcePatch, now: i64) -> Result<()> {
    let mut q = Q::new("UPDATE opinion_sources SET updated_at = ");
    q.bind(now);
    if let Some(v) = &p.name {
        q.push(", name = ").bind(v.clone());
    }
    if let Some(v) = &p.outlet {
        q.push(", outlet = ").bind(v.clone());
    }
    if let Some(v) = p.interval_secs {
        q.push(", interval_secs = ").bind(v);
    }
    if let Some(v) = p.enabled {
        q.push(", enabled = ").bind(i64::from(v));
    }
    if let Some(at) = p.reset_at {
        q.push(", status = 'never', consecutive_failures = 0, last_error = NULL, next_poll_at = ").bind(at);
    }
    q.push(" WHERE id = ").bind(id);
    q.query()?.execute(tx.conn()).await?;
    Ok(())
}

/// A poll that fetched (200) or found nothing new (304).
#[derive(Debug, Clone)]
pub struct PollSuccess {
    pub at: i64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_poll_at: i64,
    pub items_new: i64,
}

pub async fn record_success(tx: &mut Tx, id: i64, s: &PollSuccess) -> Result<()> {
    sqlx::query(
        "UPDATE opinion_sources SET status = 'ok', consecutive_failures = 0, last_error = NULL, last_polled_at = $1,
             last_success_at = $1, etag = COALESCE($2, etag), last_modified = COALESCE($3, last_modified),
             next_poll_at = $4, items_total = items_total + $5, updated_at = $1
         WHERE id = $6",
    )
    .bind(s.at)
    .bind(&s.etag)
    .bind(&s.last_modified)
    .bind(s.next_poll_at)
    .bind(s.items_new)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A poll that failed; `failing` stops further polls until the source is re-enabled.
pub async fn record_failure(
    tx: &mut Tx,
    id: i64,
    at: i64,
    error: &str,
    failures: i64,
    next_poll_at: i64,
    failing: bool,
) -> Result<()> {
    sqlx::query(
        "UPDATE opinion_sources SET status = $1, consecutive_failures = $2, last_error = $3, last_polled_at = $4,
             next_poll_at = $5, updated_at = $4
         WHERE id = $6",
    )
    .bind(if failing { "failing" } else { "error" })
    .bind(failures)
    .bind(error)
    .bind(at)
    .bind(next_poll_at)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct PollRow {
    pub id: i64,
    pub source_id: i64,
    pub at: i64,
    /// `ok`, `not_modified`, `error`.
    pub outcome: String,
    pub http_status: Option<i64>,
    pub items_new: i64,
    pub items_seen: i64,
    pub items_dup: i64,
    pub duration_ms: i64,
    pub error: Option<String>,
}

pub async fn insert_poll(tx: &mut Tx, p: &PollRow) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO opinion_polls (source_id, at, outcome, http_status, items_new, items_seen, items_dup, duration_ms, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(p.source_id)
    .bind(p.at)
    .bind(&p.outcome)
    .bind(p.http_status)
    .bind(p.items_new)
    .bind(p.items_seen)
    .bind(p.items_dup)
    .bind(p.duration_ms)
    .bind(&p.error)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn recent_polls(store: &Store, source_id: i64, limit: i64) -> Result<Vec<PollRow>> {
    Ok(sqlx::query_as(
        "SELECT id, source_id, at, outcome, http_status, items_new, items_seen, items_dup, duration_ms, error
         FROM opinion_polls WHERE source_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(source_id)
    .bind(limit)
    .fetch_all(store.reader())
    .await?)
}
