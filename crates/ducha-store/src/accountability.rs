//! Accountability records (R4) and 容错 exemptions, stored as the JSON of their domain types with
//! the columns disclosure counts by.

use serde::{Deserialize, Serialize};

use crate::{Result, Store, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AccountabilityRow {
    pub id: i64,
    pub campaign_id: i64,
    /// JSON of `AccountabilityRecord`.
    pub record: String,
    pub person_level: String,
    pub kind: String,
    pub unit_name: String,
    pub typical: i64,
    /// JSON array of case ids.
    pub case_ids: String,
    pub created_at: i64,
    pub created_by: Option<i64>,
}

const COLS: &str =
    "id, campaign_id, record, person_level, kind, unit_name, typical, case_ids, created_at, created_by";

#[derive(Debug, Clone)]
pub struct NewAccountability {
    pub campaign_id: i64,
    pub record: String,
    pub person_level: String,
    pub kind: String,
    pub unit_name: String,
    pub typical: bool,
    pub case_ids: Vec<i64>,
    pub created_at: i64,
    pub created_by: Option<i64>,
}

pub async fn insert(tx: &mut Tx, a: &NewAccountability) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO accountability_records (campaign_id, record, person_level, kind, unit_name, typical, case_ids, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(a.campaign_id)
    .bind(&a.record)
    .bind(&a.person_level)
    .bind(&a.kind)
    .bind(&a.unit_name)
    .bind(i64::from(a.typical))
    .bind(serde_json::to_string(&a.case_ids).unwrap_or_else(|_| "[]".into()))
    .bind(a.created_at)
    .bind(a.created_by)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn for_campaign(store: &Store, campaign_id: i64) -> Result<Vec<AccountabilityRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM accountability_records WHERE campaign_id = $1 ORDER BY id"
    )))
    .bind(campaign_id)
    .fetch_all(store.reader())
    .await?)
}

/// Records linked to any of the given cases.
pub async fn for_cases(store: &Store, campaign_id: i64, case_ids: &[i64]) -> Result<Vec<AccountabilityRow>> {
    let all = for_campaign(store, campaign_id).await?;
    Ok(all
        .into_iter()
        .filter(|r| {
            serde_json::from_str::<Vec<i64>>(&r.case_ids)
                .unwrap_or_default()
                .iter()
                .any(|c| case_ids.contains(c))
        })
        .collect())
}

pub async fn set_typical(tx: &mut Tx, id: i64, typical: bool) -> Result<()> {
    sqlx::query("UPDATE accountability_records SET typical = $1 WHERE id = $2")
        .bind(i64::from(typical))
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct FaultToleranceRow {
    pub id: i64,
    pub campaign_id: i64,
    /// JSON of `FaultTolerance`.
    pub record: String,
    pub created_at: i64,
    pub created_by: Option<i64>,
}

pub async fn insert_fault_tolerance(
    tx: &mut Tx,
    campaign_id: i64,
    record: &str,
    now: i64,
    by: Option<i64>,
) -> Result<i64> {
    Ok(sqlx::query_scalar("INSERT INTO fault_tolerances (campaign_id, record, created_at, created_by) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(campaign_id)
        .bind(record)
        .bind(now)
        .bind(by)
        .fetch_one(tx.conn())
        .await?)
}

pub async fn fault_tolerances(store: &Store, campaign_id: i64) -> Result<Vec<FaultToleranceRow>> {
    Ok(sqlx::query_as("SELECT id, campaign_id, record, created_at, created_by FROM fault_tolerances WHERE campaign_id = $1 ORDER BY id")
        .bind(campaign_id)
        .fetch_all(store.reader())
        .await?)
}
