//! Public-opinion monitoring (R3): feed sources and their poll log, items with their analysis,
//! locality-sensitive band keys for near-duplicate lookup, links to cases, notes, and alerts /
//! escalations with acknowledgement tracking. Holds no rules: the app decides, this stores.

use serde::{Deserialize, Serialize};

use crate::sql::Q;
use crate::{Result, Store, StoreError, Tx};

// ---- sources ----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct SourceRow {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub outlet: Option<String>,
    pub county_code: Option<String>,
    pub interval_secs: i64,
    pub enabled: i64,
    /// `never`, `ok`, `error` (retrying with backoff) or `failing` (stopped until re-enabled).
    pub status: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_polled_at: Option<i64>,
    pub last_success_at: Option<i64>,
    pub next_poll_at: i64,
    pub consecutive_failures: i64,
    pub last_error: Option<String>,
    pub items_total: i64,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const SOURCE_COLS: &str = "id, name, url, outlet, county_code, interval_secs, enabled, status, etag, last_modified, last_polled_at, last_success_at, next_poll_at, consecutive_failures, last_error, items_total, created_by, created_at, updated_at";

#[derive(Debug, Clone)]
pub struct NewSource {
    pub name: String,
    pub url: String,
    pub outlet: Option<String>,
    pub county_code: Option<String>,
    pub interval_secs: i64,
    pub created_by: Option<i64>,
    pub now: i64,
}

pub async fn insert_source(tx: &mut Tx, s: &NewSource) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO opinion_sources (name, url, outlet, county_code, interval_secs, next_poll_at, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $6) RETURNING id",
    )
    .bind(&s.name)
    .bind(&s.url)
    .bind(&s.outlet)
    .bind(&s.county_code)
    .bind(s.interval_secs)
    .bind(s.now)
    .bind(s.created_by)
    .fetch_one(tx.conn())
    .await
    .map_err(|e| match StoreError::from(e) {
        e if e.is_unique_violation() => {
            StoreError::Conflict { code: "source_exists", message: format!("订阅源地址已存在：{}", s.url) }
        }
        e => e,
    })
}

pub async fn source(store: &Store, id: i64) -> Result<Option<SourceRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SOURCE_COLS} FROM opinion_sources WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(store.reader())
    .await?)
}

pub async fn source_for_update(tx: &mut Tx, id: i64) -> Result<Option<SourceRow>> {
    let lock = tx.for_update();
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SOURCE_COLS} FROM opinion_sources WHERE id = $1{lock}"
    )))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?)
}

/// Sources, optionally only one county's.
pub async fn sources(store: &Store, county: Option<&str>) -> Result<Vec<SourceRow>> {
    let mut q = Q::new(&format!("SELECT {SOURCE_COLS} FROM opinion_sources WHERE 1 = 1"));
    if let Some(c) = county {
        q.push(" AND county_code = ").bind(c);
    }
    q.push(" ORDER BY id");
    Ok(q.query_as()?.fetch_all(store.reader()).await?)
}

/// Enabled sources that are due and not flagged failing, earliest first.
pub async fn due_sources(store: &Store, now: i64, limit: i64) -> Result<Vec<SourceRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SOURCE_COLS} FROM opinion_sources
         WHERE enabled = 1 AND status <> 'failing' AND next_poll_at <= $1 ORDER BY next_poll_at, id LIMIT $2"
    )))
    .bind(now)
    .bind(limit)
    .fetch_all(store.reader())
    .await?)
}

/// Claim one due source for a poll: move its next poll to `lease_until`, but only if its next poll is
/// still `seen_next_poll_at` (compare-and-set). Of several instances that saw the source due, exactly
/// one wins and polls it; the others skip it. A poller that dies mid-poll leaves the source due again
/// at `lease_until`. Works alike on both backends (SQLite's single writer, PostgreSQL's row lock).
pub async fn claim_source(store: &Store, id: i64, seen_next_poll_at: i64, lease_until: i64) -> Result<bool> {
    let mut tx = store.begin().await?;
    let n = sqlx::query(
        "UPDATE opinion_sources SET next_poll_at = $1
         WHERE id = $2 AND next_poll_at = $3 AND enabled = 1 AND status <> 'failing'",
    )
    .bind(lease_until)
    .bind(id)
    .bind(seen_next_poll_at)
    .execute(tx.conn())
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(n == 1)
}

/// The earliest next poll of any pollable source.
pub async fn next_due_at(store: &Store) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT MIN(next_poll_at) FROM opinion_sources WHERE enabled = 1 AND status <> 'failing'",
    )
    .fetch_one(store.reader())
    .await?)
}

/// Settings the desk may change; `None` leaves a column alone.
#[derive(Debug, Clone, Default)]
pub struct SourcePatch {
    pub name: Option<String>,
    pub outlet: Option<Option<String>>,
    pub interval_secs: Option<i64>,
    pub enabled: Option<bool>,
    /// Clear the failure state and poll at this instant (re-enabling a failing source).
    pub reset_at: Option<i64>,
}

pub async fn update_source(tx: &mut Tx, id: i64, p: &SourcePatch, now: i64) -> Result<()> {
    let mut q = Q::new("UPDATE opinion_sources SET updated_at = ");
    q.bind(now);
    if let Some(v) = &p.name {
        q.push(", name = ").bind(v.clone());
    }
    if let Some(v) = &p.outlet {
        q.push(", outlet = ").bind(v.clone());
    }
    if let Some(v) = p.interval_secs {
        q.push(", interval_secs = ").bind(v);
    }
    if let Some(v) = p.enabled {
        q.push(", enabled = ").bind(i64::from(v));
    }
    if let Some(at) = p.reset_at {
        q.push(", status = 'never', consecutive_failures = 0, last_error = NULL, next_poll_at = ").bind(at);
    }
    q.push(" WHERE id = ").bind(id);
    q.query()?.execute(tx.conn()).await?;
    Ok(())
}

/// A poll that fetched (200) or found nothing new (304).
#[derive(Debug, Clone)]
pub struct PollSuccess {
    pub at: i64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_poll_at: i64,
    pub items_new: i64,
}

pub async fn record_success(tx: &mut Tx, id: i64, s: &PollSuccess) -> Result<()> {
    sqlx::query(
        "UPDATE opinion_sources SET status = 'ok', consecutive_failures = 0, last_error = NULL, last_polled_at = $1,
             last_success_at = $1, etag = COALESCE($2, etag), last_modified = COALESCE($3, last_modified),
             next_poll_at = $4, items_total = items_total + $5, updated_at = $1
         WHERE id = $6",
    )
    .bind(s.at)
    .bind(&s.etag)
    .bind(&s.last_modified)
    .bind(s.next_poll_at)
    .bind(s.items_new)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A poll that failed; `failing` stops further polls until the source is re-enabled.
pub async fn record_failure(
    tx: &mut Tx,
    id: i64,
    at: i64,
    error: &str,
    failures: i64,
    next_poll_at: i64,
    failing: bool,
) -> Result<()> {
    sqlx::query(
        "UPDATE opinion_sources SET status = $1, consecutive_failures = $2, last_error = $3, last_polled_at = $4,
             next_poll_at = $5, updated_at = $4
         WHERE id = $6",
    )
    .bind(if failing { "failing" } else { "error" })
    .bind(failures)
    .bind(error)
    .bind(at)
    .bind(next_poll_at)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct PollRow {
    pub id: i64,
    pub source_id: i64,
    pub at: i64,
    /// `ok`, `not_modified`, `error`.
    pub outcome: String,
    pub http_status: Option<i64>,
    pub items_new: i64,
    pub items_seen: i64,
    pub items_dup: i64,
    pub duration_ms: i64,
    pub error: Option<String>,
}

pub async fn insert_poll(tx: &mut Tx, p: &PollRow) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO opinion_polls (source_id, at, outcome, http_status, items_new, items_seen, items_dup, duration_ms, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(p.source_id)
    .bind(p.at)
    .bind(&p.outcome)
    .bind(p.http_status)
    .bind(p.items_new)
    .bind(p.items_seen)
    .bind(p.items_dup)
    .bind(p.duration_ms)
    .bind(&p.error)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn recent_polls(store: &Store, source_id: i64, limit: i64) -> Result<Vec<PollRow>> {
    Ok(sqlx::query_as(
        "SELECT id, source_id, at, outcome, http_status, items_new, items_seen, items_dup, duration_ms, error
         FROM opinion_polls WHERE source_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(source_id)
    .bind(limit)
    .fetch_all(store.reader())
    .await?)
}

// ---- items ------------------------------------------------------------------------------------

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

// ---- links to cases ---------------------------------------------------------------------------

/// A linked case as the opinion desk sees it: routing, redacted text, stage and finding — never the
/// original text, never the complainant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct LinkedCase {
    pub case_id: i64,
    pub accept_no: String,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub redacted_text: String,
    pub stage: String,
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

// ---- alerts and escalations -------------------------------------------------------------------

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
