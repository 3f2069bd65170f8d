//! Links between opinion items and cases, and the cases as the desk sees them (`LinkedCase`,
//! `OpenCase`): routing codes, redacted text, stage and finding — never the original text, never the
//! complainant.

use serde::{Deserialize, Serialize};

use crate::sql::Q;
use crate::{Result, Store, Tx};

/// A linked case as the opinion desk sees it: routing, redacted text, stage and finding — never the
/// original text, never the complainant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct LinkedCase {
    pub case_id: i64,
    pub accept_no: String,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub redacted_text: String,
    #[sqlx(try_from = "String")]
    pub stage: ducha_domain::workflow::Stage,
    pub finding: Option<String>,
    pub repeat_count: i64,
    pub received_at: i64,
    pub score_milli: i64,
    /// JSON array of strings.
    pub evidence: String,
    pub origin: String,
    pub created_at: i64,
}

pub async fn insert_link(
    tx: &mut Tx,
    item_id: i64,
    case_id: i64,
    score_milli: i64,
    evidence: &str,
    origin: &str,
    by: Option<i64>,
    now: i64,
) -> Result<bool> {
    let n = sqlx::query(
        "INSERT INTO opinion_links (item_id, case_id, score_milli, evidence, origin, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (item_id, case_id) DO NOTHING",
    )
    .bind(item_id)
    .bind(case_id)
    .bind(score_milli)
    .bind(evidence)
    .bind(origin)
    .bind(by)
    .bind(now)
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(n > 0)
}

pub async fn delete_link(tx: &mut Tx, item_id: i64, case_id: i64) -> Result<bool> {
    Ok(sqlx::query("DELETE FROM opinion_links WHERE item_id = $1 AND case_id = $2")
        .bind(item_id)
        .bind(case_id)
        .execute(tx.conn())
        .await?
        .rows_affected()
        > 0)
}

const LINKED_SELECT: &str =
    "SELECT l.case_id, c.accept_no, c.county_code, c.township_code, c.redacted_text, c.stage, c.finding,
        c.repeat_count, c.received_at, l.score_milli, l.evidence, l.origin, l.created_at
     FROM opinion_links l JOIN cases c ON c.id = l.case_id";

pub async fn linked_cases(store: &Store, item_id: i64) -> Result<Vec<LinkedCase>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LINKED_SELECT} WHERE l.item_id = $1 ORDER BY l.score_milli DESC, l.case_id"
    )))
    .bind(item_id)
    .fetch_all(store.reader())
    .await?)
}

/// Links of many items at once: (item id, linked case).
pub async fn linked_cases_of(store: &Store, item_ids: &[i64]) -> Result<Vec<(i64, LinkedCase)>> {
    let mut out = Vec::new();
    for chunk in item_ids.chunks(500) {
        let mut q = Q::new(&format!(
            "{}, l.item_id AS item_id_ FROM opinion_links l JOIN cases c ON c.id = l.case_id WHERE l.item_id IN (",
            LINKED_SELECT.split(" FROM ").next().unwrap_or(LINKED_SELECT)
        ));
        for (n, id) in chunk.iter().enumerate() {
            if n > 0 {
                q.push(", ");
            }
            q.bind(*id);
        }
        q.push(") ORDER BY l.item_id, l.score_milli DESC");
        let rows: Vec<LinkedCaseWithItem> = q.query_as()?.fetch_all(store.reader()).await?;
        out.extend(rows.into_iter().map(|r| (r.item_id_, r.case)));
    }
    Ok(out)
}

#[derive(Debug, sqlx::FromRow)]
struct LinkedCaseWithItem {
    #[sqlx(flatten)]
    case: LinkedCase,
    item_id_: i64,
}

/// Items linked to a case (for the case page and for severity context).
pub async fn items_for_case(store: &Store, case_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT item_id FROM opinion_links WHERE case_id = $1 ORDER BY item_id")
        .bind(case_id)
        .fetch_all(store.reader())
        .await?)
}

/// Open cases as matching sees them: routing codes and the redacted text only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct OpenCase {
    pub id: i64,
    pub accept_no: String,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    pub redacted_text: String,
    pub repeat_count: i64,
}

/// Cases not yet closed (nor duplicates) — the ones an item can still be about.
pub async fn open_cases(store: &Store) -> Result<Vec<OpenCase>> {
    Ok(sqlx::query_as(
        "SELECT id, accept_no, county_code, township_code, village_code, redacted_text, repeat_count FROM cases
         WHERE stage NOT IN ('closed', 'partly_closed', 'duplicate') ORDER BY id",
    )
    .fetch_all(store.reader())
    .await?)
}

/// A case by id or accept number for manual linking (routing and redacted text only).
pub async fn case_for_link(store: &Store, key: &str) -> Result<Option<OpenCase>> {
    let key = key.trim();
    let by_id = key.parse::<i64>().ok();
    Ok(sqlx::query_as(
        "SELECT id, accept_no, county_code, township_code, village_code, redacted_text, repeat_count FROM cases
         WHERE accept_no = $1 OR id = $2",
    )
    .bind(key)
    .bind(by_id.unwrap_or(-1))
    .fetch_optional(store.reader())
    .await?)
}
