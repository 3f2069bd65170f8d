//! Batches (第N批): one answering day's intake, assigned together.

use serde::{Deserialize, Serialize};

use crate::{Result, Store, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct BatchRow {
    pub id: i64,
    pub campaign_id: i64,
    pub number: i64,
    pub answering_date: String,
    pub created_at: i64,
    pub assigned_at: Option<i64>,
    pub due_at: Option<i64>,
    pub created_by: Option<i64>,
}

const COLS: &str = "id, campaign_id, number, answering_date, created_at, assigned_at, due_at, created_by";

pub async fn find(tx: &mut Tx, campaign_id: i64, day: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM batches WHERE campaign_id = $1 AND answering_date = $2")
        .bind(campaign_id)
        .bind(day)
        .fetch_optional(tx.conn())
        .await?)
}

/// Create the next-numbered batch of a campaign (numbers follow creation order).
pub async fn create(
    tx: &mut Tx,
    campaign_id: i64,
    day: &str,
    now: i64,
    by: Option<i64>,
    due_at: i64,
) -> Result<i64> {
    let lock = tx.for_update();
    // Lock the campaign row so two instances cannot take the same number.
    let _: i64 =
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT id FROM campaigns WHERE id = $1{lock}")))
            .bind(campaign_id)
            .fetch_one(tx.conn())
            .await?;
    let next: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(MAX(number), 0) + 1 AS BIGINT) FROM batches WHERE campaign_id = $1",
    )
    .bind(campaign_id)
    .fetch_one(tx.conn())
    .await?;
    Ok(sqlx::query_scalar(
        "INSERT INTO batches (campaign_id, number, answering_date, created_at, assigned_at, created_by, due_at)
         VALUES ($1, $2, $3, $4, $4, $5, $6) RETURNING id",
    )
    .bind(campaign_id)
    .bind(next)
    .bind(day)
    .bind(now)
    .bind(by)
    .bind(due_at)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn list(store: &Store, campaign_id: i64) -> Result<Vec<BatchRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM batches WHERE campaign_id = $1 ORDER BY number"
    )))
    .bind(campaign_id)
    .fetch_all(store.reader())
    .await?)
}

pub async fn get_in_tx(tx: &mut Tx, id: i64) -> Result<Option<BatchRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM batches WHERE id = $1")))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?)
}

pub async fn by_number(store: &Store, campaign_id: i64, number: i64) -> Result<Option<BatchRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM batches WHERE campaign_id = $1 AND number = $2"
    )))
    .bind(campaign_id)
    .bind(number)
    .fetch_optional(store.reader())
    .await?)
}

/// Per batch: total cases, closed, partly closed, still open, overdue at `now`.
pub async fn board(store: &Store, campaign_id: i64, now: i64) -> Result<Vec<(i64, i64, i64, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT c.batch_id,
                CAST(COUNT(*) AS BIGINT),
                CAST(SUM(CASE WHEN c.stage = 'closed' THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN c.stage = 'partly_closed' THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN c.due_at IS NOT NULL AND c.due_at < $2 AND c.stage NOT IN ('closed', 'partly_closed', 'duplicate') THEN 1 ELSE 0 END) AS BIGINT)
         FROM cases c WHERE c.campaign_id = $1 AND c.batch_id IS NOT NULL GROUP BY c.batch_id",
    )
    .bind(campaign_id)
    .bind(now)
    .fetch_all(store.reader())
    .await?)
}

pub async fn get(store: &Store, id: i64) -> Result<Option<BatchRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM batches WHERE id = $1")))
        .bind(id)
        .fetch_optional(store.reader())
        .await?)
}
