//! Batch disclosures (边督边改信息公开): versions per (batch, column), drafted → reviewed → published.
//!
//! A published row is never updated or deleted: the statements here only touch drafts and reviewed
//! rows, and the migration adds triggers that refuse any change to a published row on both backends.
//! A correction is a new version. `content` is the JSON snapshot of what the public sees.

use serde::{Deserialize, Serialize};

use crate::sql::Q;
use crate::{Result, Store, StoreError, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct DisclosureRow {
    pub id: i64,
    pub campaign_id: i64,
    pub batch_id: i64,
    /// `city` or a county-level region code.
    pub column_code: String,
    pub version: i64,
    /// `draft`, `reviewed`, `published`.
    pub status: String,
    pub layout: String,
    pub content: String,
    pub content_hash: String,
    /// The visible correction note of versions after the first.
    pub note: String,
    pub created_at: i64,
    pub created_by: Option<i64>,
    pub updated_at: i64,
    pub reviewed_at: Option<i64>,
    pub reviewed_by: Option<i64>,
    pub published_at: Option<i64>,
    pub published_by: Option<i64>,
    pub audit_seq: Option<i64>,
    /// What the identity firewall found in the version's source texts (JSON list); empty to publish.
    pub identity_hits: String,
}

const COLS: &str = "id, campaign_id, batch_id, column_code, version, status, layout, content, content_hash, note, created_at, created_by, updated_at, reviewed_at, reviewed_by, published_at, published_by, audit_seq, identity_hits";

#[derive(Debug, Clone)]
pub struct NewDisclosure {
    pub campaign_id: i64,
    pub batch_id: i64,
    pub column_code: String,
    pub layout: String,
    pub content: String,
    pub content_hash: String,
    pub note: String,
    pub created_at: i64,
    pub created_by: Option<i64>,
    /// JSON list of what the identity firewall found in the source texts.
    pub identity_hits: String,
}

/// Insert a new draft version (the next version number of its batch and column). The batch row is
/// locked on PostgreSQL so two offices cannot take the same number.
pub async fn insert_draft(tx: &mut Tx, d: &NewDisclosure) -> Result<(i64, i64)> {
    let lock = tx.for_update();
    let _: i64 =
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT id FROM batches WHERE id = $1{lock}")))
            .bind(d.batch_id)
            .fetch_one(tx.conn())
            .await?;
    let version: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(MAX(version), 0) + 1 AS BIGINT) FROM disclosures WHERE batch_id = $1 AND column_code = $2",
    )
    .bind(d.batch_id)
    .bind(&d.column_code)
    .fetch_one(tx.conn())
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO disclosures (campaign_id, batch_id, column_code, version, status, layout, content, content_hash, note,
             created_at, created_by, updated_at, identity_hits)
         VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9, $10, $9, $11) RETURNING id",
    )
    .bind(d.campaign_id)
    .bind(d.batch_id)
    .bind(&d.column_code)
    .bind(version)
    .bind(&d.layout)
    .bind(&d.content)
    .bind(&d.content_hash)
    .bind(&d.note)
    .bind(d.created_at)
    .bind(d.created_by)
    .bind(&d.identity_hits)
    .fetch_one(tx.conn())
    .await?;
    Ok((id, version))
}

pub async fn get(store: &Store, id: i64) -> Result<Option<DisclosureRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM disclosures WHERE id = $1")))
        .bind(id)
        .fetch_optional(store.reader())
        .await?)
}

/// Load for change, locking the row on PostgreSQL.
pub async fn get_for_update(tx: &mut Tx, id: i64) -> Result<Option<DisclosureRow>> {
    let lock = tx.for_update();
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM disclosures WHERE id = $1{lock}")))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?)
}

/// Every version of one batch's column, newest first.
pub async fn versions(store: &Store, batch_id: i64, column_code: &str) -> Result<Vec<DisclosureRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM disclosures WHERE batch_id = $1 AND column_code = $2 ORDER BY version DESC"
    )))
    .bind(batch_id)
    .bind(column_code)
    .fetch_all(store.reader())
    .await?)
}

/// Every version in a campaign (staff overview), by batch then column then version.
pub async fn all_versions(store: &Store, campaign_id: i64) -> Result<Vec<DisclosureRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM disclosures WHERE campaign_id = $1 ORDER BY batch_id, column_code, version"
    )))
    .bind(campaign_id)
    .fetch_all(store.reader())
    .await?)
}

fn not_editable() -> StoreError {
    StoreError::Conflict {
        code: "disclosure_not_editable",
        message: "该公开版本已发布或已被他人处理，不能修改；请刷新后重试".into(),
    }
}

/// Replace a draft's (or reviewed version's) content; it becomes a draft again.
pub async fn refresh(
    tx: &mut Tx,
    id: i64,
    layout: &str,
    content: &str,
    hash: &str,
    identity_hits: &str,
    now: i64,
) -> Result<()> {
    let n = sqlx::query(
        "UPDATE disclosures SET status = 'draft', layout = $1, content = $2, content_hash = $3, updated_at = $4,
             reviewed_at = NULL, reviewed_by = NULL, identity_hits = $6
         WHERE id = $5 AND status IN ('draft', 'reviewed')",
    )
    .bind(layout)
    .bind(content)
    .bind(hash)
    .bind(now)
    .bind(id)
    .bind(identity_hits)
    .execute(tx.conn())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(not_editable());
    }
    Ok(())
}

pub async fn mark_reviewed(tx: &mut Tx, id: i64, by: i64, now: i64) -> Result<()> {
    let n = sqlx::query(
        "UPDATE disclosures SET status = 'reviewed', reviewed_at = $1, reviewed_by = $2, updated_at = $1
         WHERE id = $3 AND status = 'draft'",
    )
    .bind(now)
    .bind(by)
    .bind(id)
    .execute(tx.conn())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(not_editable());
    }
    Ok(())
}

/// Publish a reviewed version and record which cases it disclosed. After this the row is immutable.
pub async fn mark_published(
    tx: &mut Tx,
    id: i64,
    by: i64,
    now: i64,
    audit_seq: i64,
    case_ids: &[i64],
) -> Result<()> {
    let n = sqlx::query(
        "UPDATE disclosures SET status = 'published', published_at = $1, published_by = $2, updated_at = $1, audit_seq = $3
         WHERE id = $4 AND status = 'reviewed'",
    )
    .bind(now)
    .bind(by)
    .bind(audit_seq)
    .bind(id)
    .execute(tx.conn())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(not_editable());
    }
    for c in case_ids {
        sqlx::query("INSERT INTO disclosure_cases (disclosure_id, case_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*c)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// Discard an unpublished version (a draft nobody wants); published versions cannot be deleted.
pub async fn discard(tx: &mut Tx, id: i64) -> Result<()> {
    let n = sqlx::query("DELETE FROM disclosures WHERE id = $1 AND status IN ('draft', 'reviewed')")
        .bind(id)
        .execute(tx.conn())
        .await?
        .rows_affected();
    if n == 0 {
        return Err(not_editable());
    }
    Ok(())
}

/// The latest published version of every batch in a column (or in every column with `None`), by batch
/// number.
pub async fn published(
    store: &Store,
    campaign_id: i64,
    column_code: Option<&str>,
) -> Result<Vec<DisclosureRow>> {
    let mut q = Q::new(&format!(
        "SELECT {} FROM disclosures d JOIN batches b ON b.id = d.batch_id WHERE d.status = 'published' AND d.campaign_id = ",
        COLS.split(", ").map(|c| format!("d.{c}")).collect::<Vec<_>>().join(", ")
    ));
    q.bind(campaign_id);
    if let Some(c) = column_code {
        q.push(" AND d.column_code = ").bind(c);
    }
    q.push(" ORDER BY b.number, d.column_code, d.version DESC");
    let rows: Vec<DisclosureRow> = q.query_as()?.fetch_all(store.reader()).await?;
    let mut out: Vec<DisclosureRow> = Vec::new();
    for r in rows {
        if out.last().is_some_and(|l| l.batch_id == r.batch_id && l.column_code == r.column_code) {
            continue;
        }
        out.push(r);
    }
    Ok(out)
}

/// Every published version of one batch's column, newest first (for the visible correction history).
pub async fn published_versions(
    store: &Store,
    batch_id: i64,
    column_code: &str,
) -> Result<Vec<DisclosureRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM disclosures WHERE batch_id = $1 AND column_code = $2 AND status = 'published' ORDER BY version DESC"
    )))
    .bind(batch_id)
    .bind(column_code)
    .fetch_all(store.reader())
    .await?)
}

/// A cheap fingerprint of everything published: changes whenever anything is published anywhere (so
/// caches in every instance can tell).
pub async fn publication_stamp(store: &Store) -> Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(MAX(published_at), 0) AS BIGINT) FROM disclosures WHERE status = 'published'",
    )
    .fetch_one(store.reader())
    .await?)
}

/// One assigned case for the R2.6 check.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AssignedCaseRow {
    pub case_id: i64,
    pub accept_no: String,
    pub county_code: String,
    pub batch_number: i64,
    pub assigned_at: i64,
    /// First publication of a county-column version that contained it.
    pub disclosed_at: Option<i64>,
}

/// Every case assigned in a batch (not a duplicate), when it was assigned, and when its county column
/// first disclosed it.
pub async fn assigned_cases(store: &Store, campaign_id: i64) -> Result<Vec<AssignedCaseRow>> {
    Ok(sqlx::query_as(
        "SELECT c.id AS case_id, c.accept_no, COALESCE(c.county_code, '') AS county_code, b.number AS batch_number,
                CAST(COALESCE((SELECT MIN(a.created_at) FROM assignments a WHERE a.case_id = c.id AND a.level = 'city'),
                              b.assigned_at, b.created_at) AS BIGINT) AS assigned_at,
                (SELECT MIN(d.published_at) FROM disclosure_cases dc JOIN disclosures d ON d.id = dc.disclosure_id
                  WHERE dc.case_id = c.id AND d.column_code = c.county_code AND d.status = 'published') AS disclosed_at
         FROM cases c JOIN batches b ON b.id = c.batch_id
         WHERE c.campaign_id = $1 AND c.stage <> 'duplicate'
         ORDER BY b.number, c.id",
    )
    .bind(campaign_id)
    .fetch_all(store.reader())
    .await?)
}

/// Callback answers (满意度 code or label, count) over a set of cases, for the 群众反映 part.
pub async fn callback_counts(store: &Store, case_ids: &[i64]) -> Result<Vec<(String, i64)>> {
    let mut out: Vec<(String, i64)> = Vec::new();
    for chunk in case_ids.chunks(500) {
        let mut q = Q::new(
            "SELECT COALESCE(satisfaction, ''), CAST(COUNT(*) AS BIGINT) FROM callbacks WHERE satisfaction IS NOT NULL AND case_id IN (",
        );
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(*id);
        }
        q.push(") GROUP BY satisfaction");
        for (k, n) in q.query_as::<(String, i64)>()?.fetch_all(store.reader()).await? {
            match out.iter_mut().find(|(x, _)| *x == k) {
                Some(e) => e.1 += n,
                None => out.push((k, n)),
            }
        }
    }
    Ok(out)
}

/// Repeat complaints (duplicates) linked to any of the given cases.
pub async fn repeat_count(store: &Store, case_ids: &[i64]) -> Result<i64> {
    let mut total = 0;
    for chunk in case_ids.chunks(500) {
        let mut q = Q::new("SELECT CAST(COALESCE(SUM(repeat_count), 0) AS BIGINT) FROM cases WHERE id IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(*id);
        }
        q.push(")");
        total += q.query_scalar::<i64>()?.fetch_one(store.reader()).await?;
    }
    Ok(total)
}

// ---- Open311 tokens ---------------------------------------------------------------------------

pub async fn insert_token(tx: &mut Tx, token: &str, case_id: i64, now: i64) -> Result<()> {
    sqlx::query("INSERT INTO open311_tokens (token, case_id, created_at) VALUES ($1, $2, $3)")
        .bind(token)
        .bind(case_id)
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// The accept number a token stands for.
pub async fn token_accept_no(store: &Store, token: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT c.accept_no FROM open311_tokens t JOIN cases c ON c.id = t.case_id WHERE t.token = $1",
    )
    .bind(token)
    .fetch_optional(store.reader())
    .await?)
}
