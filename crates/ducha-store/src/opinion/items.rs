//! Opinion items with their analysis: insert and dedup lookup (canonical URL, external id, band keys),
//! state and re-assessment, the scoped list and counts, and the desk's notes on an item.

use serde::{Deserialize, Serialize};

use crate::sql::Q;
use crate::{Result, Store, StoreError, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub campaign_id: Option<i64>,
    pub source_id: Option<i64>,
    pub origin: String,
    pub external_id: Option<String>,
    pub url: Option<String>,
    pub url_canonical: Option<String>,
    pub title: Option<String>,
    pub body: String,
    pub author: Option<String>,
    pub outlet: Option<String>,
    pub platform: Option<String>,
    pub published_at: Option<i64>,
    pub collected_at: i64,
    pub day: String,
    pub reposts: i64,
    pub comments: i64,
    pub likes: i64,
    pub views: i64,
    pub followers: i64,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    /// JSON array of strings.
    pub place_evidence: String,
    /// JSON array of `{name, core, generic}`.
    pub enterprises: String,
    /// JSON array of strings.
    pub keywords: String,
    pub sentiment: String,
    pub sentiment_milli: i64,
    pub level: String,
    pub auto_level: String,
    pub score_milli: i64,
    /// JSON array of `{code, label, points, evidence}`.
    pub signals: String,
    pub level_rule: Option<String>,
    pub relevant: i64,
    pub about_inspection: i64,
    pub fingerprint: Option<String>,
    pub dup_of: Option<i64>,
    pub dup_count: i64,
    pub status: String,
    pub created_by: Option<i64>,
    pub updated_at: i64,
    pub version: i64,
}

pub const ITEM_COLS: &str = "id, campaign_id, source_id, origin, external_id, url, url_canonical, title, body, author, outlet, platform, published_at, collected_at, day, reposts, comments, likes, views, followers, county_code, township_code, village_code, place_evidence, enterprises, keywords, sentiment, sentiment_milli, level, auto_level, score_milli, signals, level_rule, relevant, about_inspection, fingerprint, dup_of, dup_count, status, created_by, updated_at, version";

/// A new item with its analysis (`id`, `updated_at` and `version` are ignored).
pub type NewItem = ItemRow;

pub async fn insert_item(tx: &mut Tx, i: &NewItem) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO opinion_items (campaign_id, source_id, origin, external_id, url, url_canonical, title, body, author,
             outlet, platform, published_at, collected_at, day, reposts, comments, likes, views, followers, county_code,
             township_code, village_code, place_evidence, enterprises, keywords, sentiment, sentiment_milli, level,
             auto_level, score_milli, signals, level_rule, relevant, about_inspection, fingerprint, dup_of, dup_count,
             status, created_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
             $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $13) RETURNING id",
    )
    .bind(i.campaign_id)
    .bind(i.source_id)
    .bind(&i.origin)
    .bind(&i.external_id)
    .bind(&i.url)
    .bind(&i.url_canonical)
    .bind(&i.title)
    .bind(&i.body)
    .bind(&i.author)
    .bind(&i.outlet)
    .bind(&i.platform)
    .bind(i.published_at)
    .bind(i.collected_at)
    .bind(&i.day)
    .bind(i.reposts)
    .bind(i.comments)
    .bind(i.likes)
    .bind(i.views)
    .bind(i.followers)
    .bind(&i.county_code)
    .bind(&i.township_code)
    .bind(&i.village_code)
    .bind(&i.place_evidence)
    .bind(&i.enterprises)
    .bind(&i.keywords)
    .bind(&i.sentiment)
    .bind(i.sentiment_milli)
    .bind(&i.level)
    .bind(&i.auto_level)
    .bind(i.score_milli)
    .bind(&i.signals)
    .bind(&i.level_rule)
    .bind(i.relevant)
    .bind(i.about_inspection)
    .bind(&i.fingerprint)
    .bind(i.dup_of)
    .bind(i.dup_count)
    .bind(&i.status)
    .bind(i.created_by)
    .fetch_one(tx.conn())
    .await
    .map_err(|e| match StoreError::from(e) {
        e if e.is_unique_violation() => StoreError::Conflict {
            code: "opinion_item_exists",
            message: format!("该链接的舆情已收录：{}", i.url.as_deref().unwrap_or("")),
        },
        e => e,
    })
}

/// The item already stored at a canonical URL, or under a source's external id.
pub async fn existing_item(
    tx: &mut Tx,
    url_canonical: Option<&str>,
    source_id: Option<i64>,
    external_id: Option<&str>,
) -> Result<Option<i64>> {
    if let Some(u) = url_canonical
        && let Some(id) = sqlx::query_scalar("SELECT id FROM opinion_items WHERE url_canonical = $1")
            .bind(u)
            .fetch_optional(tx.conn())
            .await?
    {
        return Ok(Some(id));
    }
    if let (Some(s), Some(e)) = (source_id, external_id) {
        return Ok(sqlx::query_scalar(
            "SELECT id FROM opinion_items WHERE source_id = $1 AND external_id = $2 ORDER BY id LIMIT 1",
        )
        .bind(s)
        .bind(e)
        .fetch_optional(tx.conn())
        .await?);
    }
    Ok(None)
}

pub async fn insert_bands(tx: &mut Tx, item_id: i64, keys: &[String]) -> Result<()> {
    for k in keys {
        sqlx::query("INSERT INTO opinion_bands (band_key, item_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(k)
            .bind(item_id)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// An original item that shares a band key with a new one.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct BandCandidate {
    pub id: i64,
    pub fingerprint: String,
    pub body: String,
    pub published_at: Option<i64>,
}

/// Original items (not themselves duplicates) sharing any band key, oldest first.
pub async fn band_candidates(tx: &mut Tx, keys: &[String]) -> Result<Vec<BandCandidate>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Q::new(
        "SELECT i.id, i.fingerprint, i.body, i.published_at FROM opinion_items i
         WHERE i.dup_of IS NULL AND i.fingerprint IS NOT NULL AND i.id IN (SELECT b.item_id FROM opinion_bands b WHERE b.band_key IN (",
    );
    for (n, k) in keys.iter().enumerate() {
        if n > 0 {
            q.push(", ");
        }
        q.bind(k.as_str());
    }
    q.push(")) ORDER BY i.id");
    Ok(q.query_as()?.fetch_all(tx.conn()).await?)
}

/// Whether an item is linked to an open case, and the largest repeat count among them.
pub async fn link_context(tx: &mut Tx, item_id: i64) -> Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(MAX(c.repeat_count), 0) AS BIGINT)
         FROM opinion_links l JOIN cases c ON c.id = l.case_id
         WHERE l.item_id = $1 AND c.stage NOT IN ('closed', 'partly_closed', 'duplicate')",
    )
    .bind(item_id)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn bump_dup_count(tx: &mut Tx, id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "UPDATE opinion_items SET dup_count = dup_count + 1 WHERE id = $1 RETURNING dup_count",
    )
    .bind(id)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn item(store: &Store, id: i64) -> Result<Option<ItemRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {ITEM_COLS} FROM opinion_items WHERE id = $1")))
        .bind(id)
        .fetch_optional(store.reader())
        .await?)
}

pub async fn item_for_update(tx: &mut Tx, id: i64) -> Result<Option<ItemRow>> {
    let lock = tx.for_update();
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ITEM_COLS} FROM opinion_items WHERE id = $1{lock}"
    )))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?)
}

/// Change an item's status (and the desk's level) if it is still at `expected_version`.
pub async fn update_item_state(
    tx: &mut Tx,
    id: i64,
    expected_version: i64,
    status: &str,
    level: Option<&str>,
    now: i64,
) -> Result<()> {
    let mut q = Q::new("UPDATE opinion_items SET version = version + 1, updated_at = ");
    q.bind(now).push(", status = ").bind(status);
    if let Some(l) = level {
        q.push(", level = ").bind(l);
    }
    q.push(" WHERE id = ").bind(id).push(" AND version = ").bind(expected_version);
    if q.query()?.execute(tx.conn()).await?.rows_affected() == 0 {
        return Err(StoreError::Conflict {
            code: "stale_opinion_item",
            message: "该舆情已被他人更新，请刷新后重试".into(),
        });
    }
    Ok(())
}

/// A re-computed assessment (after reposts were collected or cases linked). The desk's own level is
/// kept unless it still equals the old automatic level.
pub async fn update_item_assessment(
    tx: &mut Tx,
    id: i64,
    auto_level: &str,
    score_milli: i64,
    signals: &str,
    level_rule: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE opinion_items SET level = CASE WHEN level = auto_level THEN $1 ELSE level END, auto_level = $1,
             score_milli = $2, signals = $3, level_rule = $4, updated_at = $5
         WHERE id = $6",
    )
    .bind(auto_level)
    .bind(score_milli)
    .bind(signals)
    .bind(level_rule)
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Which items a user may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemScope {
    /// The city desk: everything.
    All,
    /// A county desk: items placed in its county (by text or by the source's county).
    County(String),
    /// A township, the team or the city office: items alerted or escalated to this unit.
    Unit(i64),
}

#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    pub status: Vec<String>,
    pub levels: Vec<String>,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub source_id: Option<i64>,
    pub sentiment: Option<String>,
    /// Inclusive `YYYY-MM-DD` bounds on the item's day.
    pub day_from: Option<String>,
    pub day_to: Option<String>,
    /// Free text over title, body, outlet and author.
    pub text: Option<String>,
    /// Include near-duplicate reposts (left out by default).
    pub include_duplicates: bool,
    pub limit: i64,
    pub offset: i64,
}

fn push_item_scope(q: &mut Q, scope: &ItemScope) {
    match scope {
        ItemScope::All => {}
        ItemScope::County(c) => {
            q.push(" AND i.county_code = ").bind(c.as_str());
        }
        ItemScope::Unit(u) => {
            q.push(" AND EXISTS (SELECT 1 FROM opinion_alerts a WHERE a.item_id = i.id AND a.unit_id = ")
                .bind(*u);
            q.push(")");
        }
    }
}

fn push_in(q: &mut Q, col: &str, vals: &[String]) {
    if vals.is_empty() {
        return;
    }
    q.push(" AND ").push(col).push(" IN (");
    for (n, v) in vals.iter().enumerate() {
        if n > 0 {
            q.push(", ");
        }
        q.bind(v.as_str());
    }
    q.push(")");
}

fn push_item_filter(q: &mut Q, f: &ItemFilter) {
    push_in(q, "i.status", &f.status);
    push_in(q, "i.level", &f.levels);
    if let Some(v) = &f.county_code {
        q.push(" AND i.county_code = ").bind(v.as_str());
    }
    if let Some(v) = &f.township_code {
        q.push(" AND i.township_code = ").bind(v.as_str());
    }
    if let Some(v) = f.source_id {
        q.push(" AND i.source_id = ").bind(v);
    }
    if let Some(v) = &f.sentiment {
        q.push(" AND i.sentiment = ").bind(v.as_str());
    }
    if let Some(v) = &f.day_from {
        q.push(" AND i.day >= ").bind(v.as_str());
    }
    if let Some(v) = &f.day_to {
        q.push(" AND i.day <= ").bind(v.as_str());
    }
    if !f.include_duplicates {
        q.push(" AND i.dup_of IS NULL");
    }
    if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pat = format!("%{}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        q.push(" AND (COALESCE(i.title, '') LIKE ").bind(pat.clone()).push(" ESCAPE '\\' OR i.body LIKE ");
        q.bind(pat.clone()).push(" ESCAPE '\\' OR COALESCE(i.outlet, '') LIKE ").bind(pat);
        q.push(" ESCAPE '\\')");
    }
}

/// One page of items in scope (most severe and newest first) and the total matching.
pub async fn list_items(store: &Store, scope: &ItemScope, f: &ItemFilter) -> Result<(Vec<ItemRow>, i64)> {
    let cols: String = ITEM_COLS.split(", ").map(|c| format!("i.{c}")).collect::<Vec<_>>().join(", ");
    let mut q = Q::new(&format!("SELECT {cols} FROM opinion_items i WHERE 1 = 1"));
    push_item_scope(&mut q, scope);
    push_item_filter(&mut q, f);
    q.push(
        " ORDER BY CASE i.level WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END,
          COALESCE(i.published_at, i.collected_at) DESC, i.id DESC LIMIT ",
    )
    .bind(f.limit.clamp(1, 5000));
    q.push(" OFFSET ").bind(f.offset.max(0));
    let rows: Vec<ItemRow> = q.query_as()?.fetch_all(store.reader()).await?;
    let mut cq = Q::new("SELECT COUNT(*) FROM opinion_items i WHERE 1 = 1");
    push_item_scope(&mut cq, scope);
    push_item_filter(&mut cq, f);
    let total: i64 = cq.query_scalar()?.fetch_one(store.reader()).await?;
    Ok((rows, total))
}

pub async fn item_in_scope(store: &Store, scope: &ItemScope, id: i64) -> Result<bool> {
    let mut q = Q::new("SELECT COUNT(*) FROM opinion_items i WHERE i.id = ");
    q.bind(id);
    push_item_scope(&mut q, scope);
    let n: i64 = q.query_scalar()?.fetch_one(store.reader()).await?;
    Ok(n > 0)
}

/// Which of `ids` are items in scope, in one query (the desk's pending acknowledgements).
pub async fn items_in_scope(
    store: &Store,
    scope: &ItemScope,
    ids: &[i64],
) -> Result<std::collections::HashSet<i64>> {
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        let mut q = Q::new("SELECT i.id FROM opinion_items i WHERE i.id IN (");
        for (n, id) in chunk.iter().enumerate() {
            if n > 0 {
                q.push(", ");
            }
            q.bind(*id);
        }
        q.push(")");
        push_item_scope(&mut q, scope);
        let rows: Vec<i64> = q.query_scalar()?.fetch_all(store.reader()).await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Items per day (originals, reposts, negative originals) between two days inclusive, in scope.
pub async fn day_volumes(
    store: &Store,
    scope: &ItemScope,
    from: &str,
    to: &str,
) -> Result<Vec<(String, i64, i64, i64)>> {
    let mut q = Q::new(
        "SELECT i.day, CAST(SUM(CASE WHEN i.dup_of IS NULL THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN i.dup_of IS NULL THEN 0 ELSE 1 END) AS BIGINT),
                CAST(SUM(CASE WHEN i.dup_of IS NULL AND i.sentiment = 'negative' THEN 1 ELSE 0 END) AS BIGINT)
         FROM opinion_items i WHERE i.day >= ",
    );
    q.bind(from).push(" AND i.day <= ").bind(to);
    push_item_scope(&mut q, scope);
    q.push(" GROUP BY i.day ORDER BY i.day");
    Ok(q.query_as()?.fetch_all(store.reader()).await?)
}

/// Counts of items by status in scope (originals only).
pub async fn status_counts(store: &Store, scope: &ItemScope) -> Result<Vec<(String, String, i64)>> {
    let mut q = Q::new(
        "SELECT i.status, i.level, CAST(COUNT(*) AS BIGINT) FROM opinion_items i WHERE i.dup_of IS NULL",
    );
    push_item_scope(&mut q, scope);
    q.push(" GROUP BY i.status, i.level");
    Ok(q.query_as()?.fetch_all(store.reader()).await?)
}

pub async fn count_items(store: &Store) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM opinion_items").fetch_one(store.reader()).await?)
}

// ---- notes ------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct NoteRow {
    pub id: i64,
    pub item_id: i64,
    pub at: i64,
    pub user_id: Option<i64>,
    pub author_name: String,
    pub action: String,
    pub body: String,
}

pub async fn insert_note(tx: &mut Tx, n: &NoteRow) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO opinion_notes (item_id, at, user_id, author_name, action, body) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id",
    )
    .bind(n.item_id)
    .bind(n.at)
    .bind(n.user_id)
    .bind(&n.author_name)
    .bind(&n.action)
    .bind(&n.body)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn notes(store: &Store, item_id: i64) -> Result<Vec<NoteRow>> {
    Ok(sqlx::query_as(
        "SELECT id, item_id, at, user_id, author_name, action, body FROM opinion_notes WHERE item_id = $1 ORDER BY at, id",
    )
    .bind(item_id)
    .fetch_all(store.reader())
    .await?)
}
