//! Alerts and escalations raised from opinion items, their delivery after quiet hours, overrides,
//! and acknowledgement tracking.

use serde::{Deserialize, Serialize};

use crate::sql::Q;
use crate::{Result, Store, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AlertRow {
    pub id: i64,
    pub item_id: i64,
    /// `alert` (to a township/street), `escalation` (to the team), `copy` (to the city office).
    pub kind: String,
    pub unit_id: i64,
    pub outbox_id: Option<i64>,
    pub message: String,
    pub created_at: i64,
    pub deliver_after: i64,
    pub deferred: i64,
    pub override_reason: Option<String>,
    pub created_by: Option<i64>,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by: Option<i64>,
    pub ack_note: Option<String>,
}

const ALERT_COLS: &str = "id, item_id, kind, unit_id, outbox_id, message, created_at, deliver_after, deferred, override_reason, created_by, acknowledged_at, acknowledged_by, ack_note";

/// A new alert (`id` and acknowledgement fields are ignored).
pub type NewAlert = AlertRow;

pub async fn insert_alert(tx: &mut Tx, a: &NewAlert) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO opinion_alerts (item_id, kind, unit_id, outbox_id, message, created_at, deliver_after, deferred,
             override_reason, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(a.item_id)
    .bind(&a.kind)
    .bind(a.unit_id)
    .bind(a.outbox_id)
    .bind(&a.message)
    .bind(a.created_at)
    .bind(a.deliver_after)
    .bind(a.deferred)
    .bind(&a.override_reason)
    .bind(a.created_by)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn alerts_for_item(store: &Store, item_id: i64) -> Result<Vec<AlertRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ALERT_COLS} FROM opinion_alerts WHERE item_id = $1 ORDER BY id"
    )))
    .bind(item_id)
    .fetch_all(store.reader())
    .await?)
}

/// Alerts addressed to a unit that have been delivered by `now` (quiet hours respected), newest first.
pub async fn alerts_for_unit(store: &Store, unit_id: i64, now: i64, limit: i64) -> Result<Vec<AlertRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ALERT_COLS} FROM opinion_alerts WHERE unit_id = $1 AND deliver_after <= $2
         ORDER BY created_at DESC, id DESC LIMIT $3"
    )))
    .bind(unit_id)
    .bind(now)
    .bind(limit)
    .fetch_all(store.reader())
    .await?)
}

/// Escalations and copies, newest first (for the daily report and the team's view).
pub async fn escalations(store: &Store, from_ms: i64, to_ms: i64) -> Result<Vec<AlertRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ALERT_COLS} FROM opinion_alerts WHERE kind IN ('escalation', 'copy') AND created_at >= $1 AND created_at < $2
         ORDER BY created_at DESC, id DESC"
    )))
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(store.reader())
    .await?)
}

pub async fn alert_for_update(tx: &mut Tx, id: i64) -> Result<Option<AlertRow>> {
    let lock = tx.for_update();
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ALERT_COLS} FROM opinion_alerts WHERE id = $1{lock}"
    )))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?)
}

pub async fn acknowledge_alert(tx: &mut Tx, id: i64, by: i64, at: i64, note: Option<&str>) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE opinion_alerts SET acknowledged_at = $1, acknowledged_by = $2, ack_note = $3
         WHERE id = $4 AND acknowledged_at IS NULL",
    )
    .bind(at)
    .bind(by)
    .bind(note)
    .bind(id)
    .execute(tx.conn())
    .await?
    .rows_affected()
        > 0)
}

/// Alerts delivered at night by an override, per unit (R5.1: counted publicly).
pub async fn override_counts(store: &Store) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT unit_id, CAST(COUNT(*) AS BIGINT) FROM opinion_alerts WHERE override_reason IS NOT NULL GROUP BY unit_id
         ORDER BY unit_id",
    )
    .fetch_all(store.reader())
    .await?)
}

/// Alerts not yet acknowledged, delivered by `now`, in a set of kinds.
pub async fn unacknowledged(store: &Store, kinds: &[&str], now: i64) -> Result<Vec<AlertRow>> {
    let mut q = Q::new(&format!(
        "SELECT {ALERT_COLS} FROM opinion_alerts WHERE acknowledged_at IS NULL AND deliver_after <= "
    ));
    q.bind(now).push(" AND kind IN (");
    for (n, k) in kinds.iter().enumerate() {
        if n > 0 {
            q.push(", ");
        }
        q.bind(*k);
    }
    q.push(") ORDER BY created_at, id");
    Ok(q.query_as()?.fetch_all(store.reader()).await?)
}
