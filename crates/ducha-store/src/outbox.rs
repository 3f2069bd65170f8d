//! The transactional outbox: notifications are written in the same transaction as the change that
//! causes them, and delivered later by a worker.

use serde::{Deserialize, Serialize};

use crate::{Result, Store, Tx};

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub kind: String,
    /// `inbox`, `email`, `webhook`.
    pub channel: String,
    pub unit_id: Option<i64>,
    pub user_id: Option<i64>,
    pub subject: String,
    pub body: String,
    pub payload: serde_json::Value,
    pub created_at: i64,
    /// Not before this instant (quiet hours push it to the next working morning).
    pub deliver_after: i64,
    pub override_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub created_at: i64,
    pub kind: String,
    pub channel: String,
    pub unit_id: Option<i64>,
    pub user_id: Option<i64>,
    pub subject: String,
    pub body: String,
    pub payload: String,
    pub deliver_after: i64,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
    pub override_reason: Option<String>,
}

pub async fn enqueue(tx: &mut Tx, m: &NewMessage) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox (created_at, kind, channel, unit_id, user_id, subject, body, payload, deliver_after, override_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(m.created_at)
    .bind(&m.kind)
    .bind(&m.channel)
    .bind(m.unit_id)
    .bind(m.user_id)
    .bind(&m.subject)
    .bind(&m.body)
    .bind(m.payload.to_string())
    .bind(m.deliver_after)
    .bind(&m.override_reason)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn pending_count(store: &Store) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
        .fetch_one(store.reader())
        .await?)
}

pub async fn messages_for_unit(store: &Store, unit_id: i64) -> Result<Vec<MessageRow>> {
    Ok(sqlx::query_as(
        "SELECT id, created_at, kind, channel, unit_id, user_id, subject, body, payload, deliver_after, status, attempts,
                last_error, delivered_at, override_reason
         FROM outbox WHERE unit_id = $1 ORDER BY id",
    )
    .bind(unit_id)
    .fetch_all(store.reader())
    .await?)
}

const MSG_COLS: &str = "id, created_at, kind, channel, unit_id, user_id, subject, body, payload, deliver_after, status, attempts, last_error, delivered_at, override_reason";

/// Claim up to `limit` due messages for `worker` until `lease_until`. On PostgreSQL concurrent
/// workers skip each other's rows (`FOR UPDATE SKIP LOCKED`); SQLite has one writer. Messages whose
/// lease expired (a worker died mid-send) are claimable again.
pub async fn claim(
    store: &Store,
    worker: &str,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<MessageRow>> {
    let mut tx = store.begin().await?;
    let skip = match tx.backend() {
        crate::Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        crate::Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE outbox SET status = 'sending', locked_by = $1, locked_until = $2
         WHERE id IN (SELECT id FROM outbox
                      WHERE (status = 'pending' AND deliver_after <= $3) OR (status = 'sending' AND locked_until < $3)
                      ORDER BY id LIMIT $4{skip})
         RETURNING {MSG_COLS}"
    );
    let mut rows: Vec<MessageRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(worker)
        .bind(lease_until)
        .bind(now)
        .bind(limit)
        .fetch_all(tx.conn())
        .await?;
    tx.commit().await?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// Mark a claimed message delivered — only if this worker still holds it. For the in-app inbox the
/// inbox row is written in the same transaction, so it exists exactly once.
pub async fn complete(
    store: &Store,
    m: &MessageRow,
    worker: &str,
    now: i64,
    link: Option<&str>,
) -> Result<bool> {
    let mut tx = store.begin().await?;
    let done = sqlx::query("UPDATE outbox SET status = 'delivered', delivered_at = $1, locked_until = NULL WHERE id = $2 AND locked_by = $3 AND status = 'sending'")
        .bind(now)
        .bind(m.id)
        .bind(worker)
        .execute(tx.conn())
        .await?
        .rows_affected();
    if done == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    if m.channel == "inbox" {
        sqlx::query(
            "INSERT INTO inbox (outbox_id, unit_id, user_id, subject, body, link, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (outbox_id) DO NOTHING",
        )
        .bind(m.id)
        .bind(m.unit_id)
        .bind(m.user_id)
        .bind(&m.subject)
        .bind(&m.body)
        .bind(link)
        .bind(now)
        .execute(tx.conn())
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Record a failed attempt: back to pending after `retry_at`, or `failed` for good.
pub async fn fail(store: &Store, id: i64, worker: &str, error: &str, retry_at: Option<i64>) -> Result<()> {
    let mut tx = store.begin().await?;
    match retry_at {
        Some(at) => sqlx::query(
            "UPDATE outbox SET status = 'pending', attempts = attempts + 1, last_error = $1, deliver_after = $2, locked_until = NULL
             WHERE id = $3 AND locked_by = $4",
        )
        .bind(error)
        .bind(at)
        .bind(id)
        .bind(worker)
        .execute(tx.conn())
        .await?,
        None => sqlx::query(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = $1, locked_until = NULL WHERE id = $2 AND locked_by = $3",
        )
        .bind(error)
        .bind(id)
        .bind(worker)
        .execute(tx.conn())
        .await?,
    };
    tx.commit().await?;
    Ok(())
}

/// Push a message that may not be delivered yet (quiet hours) to a later time without counting an
/// attempt.
pub async fn postpone(store: &Store, id: i64, worker: &str, until: i64) -> Result<()> {
    let mut tx = store.begin().await?;
    sqlx::query("UPDATE outbox SET status = 'pending', deliver_after = $1, locked_until = NULL WHERE id = $2 AND locked_by = $3")
        .bind(until)
        .bind(id)
        .bind(worker)
        .execute(tx.conn())
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn get(store: &Store, id: i64) -> Result<Option<MessageRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {MSG_COLS} FROM outbox WHERE id = $1")))
        .bind(id)
        .fetch_optional(store.reader())
        .await?)
}

pub async fn all(store: &Store) -> Result<Vec<MessageRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {MSG_COLS} FROM outbox ORDER BY id")))
        .fetch_all(store.reader())
        .await?)
}

pub async fn status_counts(store: &Store) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        .fetch_all(store.reader())
        .await?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct InboxRow {
    pub id: i64,
    pub outbox_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub user_id: Option<i64>,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// A unit's inbox, newest first.
pub async fn inbox(store: &Store, unit_id: i64, limit: i64) -> Result<Vec<InboxRow>> {
    Ok(sqlx::query_as(
        "SELECT id, outbox_id, unit_id, user_id, subject, body, link, created_at, read_at FROM inbox WHERE unit_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(unit_id)
    .bind(limit)
    .fetch_all(store.reader())
    .await?)
}

pub async fn inbox_count(store: &Store) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM inbox").fetch_one(store.reader()).await?)
}

// ---- burden events ------------------------------------------------------------------------

/// One countable burden event: `night_held` (a delivery held for quiet hours), `night_override`
/// (an urgent delivery in quiet hours), `compression_refused` (a squeezed due time refused).
pub async fn burden_event(
    tx: &mut Tx,
    kind: &str,
    unit_id: Option<i64>,
    case_id: Option<i64>,
    user_id: Option<i64>,
    at: i64,
    detail: &serde_json::Value,
) -> Result<()> {
    sqlx::query("INSERT INTO burden_events (kind, unit_id, case_id, user_id, at, detail) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(kind)
        .bind(unit_id)
        .bind(case_id)
        .bind(user_id)
        .bind(at)
        .bind(detail.to_string())
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Counts per (kind, unit).
pub async fn burden_counts(store: &Store) -> Result<Vec<(String, Option<i64>, i64)>> {
    Ok(sqlx::query_as("SELECT kind, unit_id, COUNT(*) FROM burden_events GROUP BY kind, unit_id")
        .fetch_all(store.reader())
        .await?)
}
