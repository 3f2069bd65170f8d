//! Editing campaigns after creation: the version used for optimistic concurrency, and the facts an
//! edit must respect (accept numbers already issued, the days cases were received on).

use crate::{Result, Store, Tx};

/// The fields of a campaign an administrator may change (all of them; the app decides which changes
/// are safe on a running campaign).
#[derive(Debug, Clone)]
pub struct CampaignUpdate {
    pub name: String,
    pub team_name: String,
    pub start_date: String,
    pub end_date: String,
    pub hotlines: Vec<String>,
    pub postal_box: String,
    pub hours_start: String,
    pub hours_end: String,
    pub round_no: i64,
    pub province_letters: String,
    pub regions: Vec<String>,
    pub settings: serde_json::Value,
    pub updated_at: i64,
}

/// The edit version of a campaign (1 after creation), or `None` when it does not exist.
pub async fn version(store: &Store, id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT version FROM campaigns WHERE id = $1")
        .bind(id)
        .fetch_optional(store.reader())
        .await?)
}

/// Write an edit when the campaign is still at `expected_version`; returns the new version, or `None`
/// when someone else changed it in the meantime (or it does not exist).
pub async fn update(tx: &mut Tx, id: i64, expected_version: i64, c: &CampaignUpdate) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "UPDATE campaigns SET name = $1, team_name = $2, start_date = $3, end_date = $4, hotlines = $5,
             postal_box = $6, hours_start = $7, hours_end = $8, round_no = $9, province_letters = $10,
             regions = $11, settings = $12, updated_at = $13, version = version + 1
         WHERE id = $14 AND version = $15 RETURNING version",
    )
    .bind(&c.name)
    .bind(&c.team_name)
    .bind(&c.start_date)
    .bind(&c.end_date)
    .bind(serde_json::to_string(&c.hotlines).unwrap_or_else(|_| "[]".into()))
    .bind(&c.postal_box)
    .bind(&c.hours_start)
    .bind(&c.hours_end)
    .bind(c.round_no)
    .bind(&c.province_letters)
    .bind(serde_json::to_string(&c.regions).unwrap_or_else(|_| "[]".into()))
    .bind(c.settings.to_string())
    .bind(c.updated_at)
    .bind(id)
    .bind(expected_version)
    .fetch_optional(tx.conn())
    .await?)
}

/// What the campaign's cases pin down: how many there are (each has an accept number built from the
/// round and the province letters) and the first and last receipt times (ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CaseSpan {
    pub cases: i64,
    pub first_received_at: Option<i64>,
    pub last_received_at: Option<i64>,
}

pub async fn case_span(store: &Store, campaign_id: i64) -> Result<CaseSpan> {
    let (cases, first, last): (i64, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(received_at), MAX(received_at) FROM cases WHERE campaign_id = $1",
    )
    .bind(campaign_id)
    .fetch_one(store.reader())
    .await?;
    Ok(CaseSpan { cases, first_received_at: first, last_received_at: last })
}

/// Whether any accept number was issued for a campaign (the counters move even when an intake is
/// later merged, so they, not the cases, say whether a number is out).
pub async fn accept_numbers_issued(store: &Store, campaign_id: i64) -> Result<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM accept_counters WHERE campaign_id = $1 AND last_serial > 0")
            .bind(campaign_id)
            .fetch_one(store.reader())
            .await?;
    Ok(n > 0)
}

/// The codes among `codes` that are not in the regions table.
pub async fn regions_missing(store: &Store, codes: &[String]) -> Result<Vec<String>> {
    let mut missing = Vec::new();
    for code in codes {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM regions WHERE code = $1")
            .bind(code)
            .fetch_one(store.reader())
            .await?;
        if n == 0 {
            missing.push(code.clone());
        }
    }
    Ok(missing)
}
