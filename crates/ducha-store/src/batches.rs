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
pub async fn create(tx: &mut Tx, campaign_id: i64, day: &str, now: i64, by: Option<i64>) -> Result<i64> {
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
        "INSERT INTO batches (campaign_id, number, answering_date, created_at, assigned_at, created_by)
         VALUES ($1, $2, $3, $4, $4, $5) RETURNING id",
    )
    .bind(campaign_id)
    .bind(next)
    .bind(day)
    .bind(now)
    .bind(by)
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

pub async fn get(store: &Store, id: i64) -> Result<Option<BatchRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM batches WHERE id = $1")))
        .bind(id)
        .fetch_optional(store.reader())
        .await?)
}
