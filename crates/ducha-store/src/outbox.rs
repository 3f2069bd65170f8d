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
