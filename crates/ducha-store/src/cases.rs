//! Cases (one row per complaint as received), the complainant's encrypted identity, accept-number
//! counters and assignments down the chain.

use serde::{Deserialize, Serialize};

use crate::crypto::{IdentityCipher, Sealed};
use crate::search::{self, TextQuery};
use crate::sql::Q;
use crate::{Backend, Result, Store, StoreError, Tx};

/// Everything stored about a case. `original_text` may carry the complainant's own words about
/// themselves; only identity-reading roles ever see it (the app layer enforces that), and nothing
/// public is rendered from this type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub campaign_id: i64,
    pub accept_no: String,
    pub channel: String,
    pub received_at: i64,
    pub original_text: String,
    pub redacted_text: String,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    /// Comma-separated labels (大气,水 …).
    pub pollution_types: String,
    pub sansan: Option<String>,
    /// JSON: the triage explanation (deciding words, confidences).
    pub triage: String,
    pub dup_of: Option<i64>,
    pub repeat_count: i64,
    pub stage: String,
    pub batch_id: Option<i64>,
    pub county_unit_id: Option<i64>,
    pub handler_unit_id: Option<i64>,
    pub due_at: Option<i64>,
    pub finding: Option<String>,
    pub has_identity: i64,
    pub created_by: Option<i64>,
    pub updated_at: i64,
    pub version: i64,
}

pub const CASE_COLS: &str = "id, campaign_id, accept_no, channel, received_at, original_text, redacted_text, county_code, township_code, village_code, pollution_types, sansan, triage, dup_of, repeat_count, stage, batch_id, county_unit_id, handler_unit_id, due_at, finding, has_identity, created_by, updated_at, version";

#[derive(Debug, Clone)]
pub struct NewCase {
    pub campaign_id: i64,
    pub accept_no: String,
    pub channel: String,
    pub received_at: i64,
    pub original_text: String,
    pub redacted_text: String,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    pub pollution_types: String,
    pub sansan: Option<String>,
    pub triage: String,
    pub dup_of: Option<i64>,
    pub stage: String,
    pub county_unit_id: Option<i64>,
    pub created_by: Option<i64>,
    pub now: i64,
    /// JSON of the duplicate-index features.
    pub dup_doc: Option<String>,
}

/// The next serial for accept numbers of one campaign day; atomic under concurrent intake on both
/// backends (an upsert on the counter row inside the intake transaction).
pub async fn next_accept_serial(tx: &mut Tx, campaign_id: i64, day: &str) -> Result<i64> {
    let first = reserve_accept_serials(tx, &[(campaign_id, day, 1)]).await?;
    Ok(first[0])
}

/// Reserve `count` consecutive serials for each `(campaign, day)` (each pair at most once), in one
/// upsert; returns the first serial of each range, in the order asked. The ranges may run past
/// 9 999; the caller refuses those.
pub async fn reserve_accept_serials(tx: &mut Tx, wants: &[(i64, &str, i64)]) -> Result<Vec<i64>> {
    if wants.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<(i64, String, i64)> = Vec::with_capacity(wants.len());
    for chunk in crate::sql::pow2_chunks(wants) {
        let mut q =
            Q::many(tx.backend(), "INSERT INTO accept_counters (campaign_id, day, last_serial) VALUES ");
        for (i, (campaign_id, day, count)) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" });
            q.bind(*campaign_id).push(", ").bind(*day).push(", ").bind(*count).push(")");
        }
        q.push(
            " ON CONFLICT (campaign_id, day) DO UPDATE SET last_serial = accept_counters.last_serial + excluded.last_serial
             RETURNING campaign_id, day, last_serial",
        );
        rows.extend(q.query_as::<(i64, String, i64)>()?.fetch_all(tx.conn()).await?);
    }
    wants
        .iter()
        .map(|(campaign_id, day, count)| {
            rows.iter()
                .find(|(c, d, _)| c == campaign_id && d == day)
                .map(|(_, _, last)| last - count + 1)
                .ok_or_else(|| StoreError::Corrupt(format!("受理编号计数器未返回 {day}")))
        })
        .collect()
}

/// The search tokens of a new case (see [`crate::search`]).
pub fn new_case_tokens(c: &NewCase) -> String {
    crate::search::document_tokens(
        &c.accept_no,
        &c.redacted_text,
        &crate::search::Facets {
            campaign_id: Some(c.campaign_id),
            county_code: c.county_code.as_deref(),
            township_code: c.township_code.as_deref(),
            stage: &c.stage,
            pollution_types: &c.pollution_types,
            batch_id: None,
            county_unit_id: c.county_unit_id,
        },
    )
}

pub async fn insert_case(tx: &mut Tx, c: &NewCase) -> Result<i64> {
    Ok(insert_case_row(tx, c, false).await?.id)
}

/// Insert a case and return it as stored. `has_identity` says that a sealed identity follows in
/// the same transaction ([`seal_identities`]).
pub async fn insert_case_row(tx: &mut Tx, c: &NewCase, has_identity: bool) -> Result<CaseRow> {
    let mut rows = insert_cases(tx, &[(c, has_identity)]).await?;
    rows.pop().ok_or_else(|| StoreError::Corrupt("插入案件未返回记录".into()))
}

/// Insert cases and return them as stored, in the order given, in a few multi-row statements
/// ([`crate::sql::pow2_chunks`]; group commit of intakes writes a whole group this way). Accept
/// numbers must be distinct.
pub async fn insert_cases(tx: &mut Tx, cases: &[(&NewCase, bool)]) -> Result<Vec<CaseRow>> {
    let mut out = Vec::with_capacity(cases.len());
    for chunk in crate::sql::pow2_chunks(cases) {
        let mut q = Q::many(
            tx.backend(),
            "INSERT INTO cases (campaign_id, accept_no, channel, received_at, original_text, redacted_text, county_code,
                 township_code, village_code, pollution_types, sansan, triage, dup_of, stage, county_unit_id, created_by,
                 updated_at, dup_doc, search_tokens, has_identity) VALUES ",
        );
        for (i, (c, has_identity)) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" });
            q.bind(c.campaign_id).push(", ").bind(c.accept_no.as_str()).push(", ").bind(c.channel.as_str());
            q.push(", ").bind(c.received_at).push(", ").bind(c.original_text.as_str()).push(", ");
            q.bind(c.redacted_text.as_str()).push(", ").bind(c.county_code.clone()).push(", ");
            q.bind(c.township_code.clone()).push(", ").bind(c.village_code.clone()).push(", ");
            q.bind(c.pollution_types.as_str()).push(", ").bind(c.sansan.clone()).push(", ");
            q.bind(c.triage.as_str()).push(", ").bind(c.dup_of).push(", ").bind(c.stage.as_str()).push(", ");
            q.bind(c.county_unit_id).push(", ").bind(c.created_by).push(", ").bind(c.now).push(", ");
            q.bind(c.dup_doc.clone()).push(", ").bind(new_case_tokens(c)).push(", ");
            q.bind(i64::from(*has_identity)).push(")");
        }
        q.push(" RETURNING ").push(CASE_COLS);
        let mut rows: Vec<CaseRow> =
            q.query_as()?.fetch_all(tx.conn()).await.map_err(|e| match StoreError::from(e) {
                e if e.is_unique_violation() => StoreError::Conflict {
                    code: "accept_no_taken",
                    message: match chunk {
                        [(c, _)] => format!("受理编号 {} 已被使用", c.accept_no),
                        _ => "受理编号已被使用".to_owned(),
                    },
                },
                e => e,
            })?;
        // RETURNING gives no order for a multi-row insert: put the rows back in the order asked.
        for (c, _) in chunk {
            let at = rows
                .iter()
                .position(|r| r.accept_no == c.accept_no)
                .ok_or_else(|| StoreError::Corrupt(format!("插入案件 {} 未返回记录", c.accept_no)))?;
            out.push(rows.swap_remove(at));
        }
    }
    Ok(out)
}

pub async fn get(store: &Store, id: i64) -> Result<Option<CaseRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {CASE_COLS} FROM cases WHERE id = $1")))
        .bind(id)
        .fetch_optional(store.reader())
        .await?)
}

pub async fn get_by_accept_no(store: &Store, accept_no: &str) -> Result<Option<CaseRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {CASE_COLS} FROM cases WHERE accept_no = $1")))
        .bind(accept_no)
        .fetch_optional(store.reader())
        .await?)
}

/// Load a case for change, locking its row on PostgreSQL.
pub async fn get_for_update(tx: &mut Tx, id: i64) -> Result<Option<CaseRow>> {
    let lock = tx.for_update();
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {CASE_COLS} FROM cases WHERE id = $1{lock}")))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?)
}

/// Fields a use case may change; `None` leaves a column alone.
#[derive(Debug, Clone, Default)]
pub struct CasePatch {
    pub stage: Option<String>,
    pub batch_id: Option<Option<i64>>,
    pub county_unit_id: Option<Option<i64>>,
    pub handler_unit_id: Option<Option<i64>>,
    pub due_at: Option<Option<i64>>,
    pub finding: Option<Option<String>>,
    pub dup_of: Option<Option<i64>>,
    pub county_code: Option<Option<String>>,
    pub township_code: Option<Option<String>>,
    pub village_code: Option<Option<String>>,
    pub pollution_types: Option<String>,
    pub sansan: Option<Option<String>>,
    pub redacted_text: Option<String>,
    pub triage: Option<String>,
}

/// Apply a patch if the row is still at `expected_version` (optimistic concurrency on top of the row
/// lock); bumps the version.
pub async fn update(tx: &mut Tx, id: i64, expected_version: i64, p: &CasePatch, now: i64) -> Result<()> {
    let mut q = Q::new("UPDATE cases SET version = version + 1, updated_at = ");
    q.bind(now);
    macro_rules! set {
        ($field:ident) => {
            if let Some(v) = &p.$field {
                q.push(concat!(", ", stringify!($field), " = ")).bind(v.clone());
            }
        };
    }
    set!(stage);
    set!(batch_id);
    set!(county_unit_id);
    set!(handler_unit_id);
    set!(due_at);
    set!(finding);
    set!(dup_of);
    set!(county_code);
    set!(township_code);
    set!(village_code);
    set!(pollution_types);
    set!(sansan);
    set!(redacted_text);
    set!(triage);
    q.push(" WHERE id = ").bind(id).push(" AND version = ").bind(expected_version);
    let done = q.query()?.execute(tx.conn()).await?.rows_affected();
    if done == 0 {
        return Err(StoreError::Conflict {
            code: "stale_case",
            message: "案件已被他人更新，请刷新后重试".into(),
        });
    }
    crate::search::refresh(tx, id).await
}

pub async fn increment_repeat(tx: &mut Tx, primary_id: i64) -> Result<()> {
    sqlx::query("UPDATE cases SET repeat_count = repeat_count + 1 WHERE id = $1")
        .bind(primary_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Which cases a user may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Team and city: the whole campaign.
    All,
    /// A county-level office: cases dispatched to it.
    County(i64),
    /// A township or department: cases assigned to it as lead or co-handler (not ones it returned).
    Handler(i64),
}

#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub campaign_id: Option<i64>,
    pub stages: Vec<String>,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub batch_id: Option<i64>,
    pub pollution_type: Option<String>,
    /// Free text over accept number and the redacted text.
    pub text: Option<String>,
    pub received_from: Option<i64>,
    pub received_to: Option<i64>,
    pub overdue_at: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

fn push_scope(q: &mut Q, scope: Scope) {
    match scope {
        Scope::All => {}
        Scope::County(unit) => {
            q.push(" AND c.county_unit_id = ").bind(unit);
        }
        Scope::Handler(unit) => {
            q.push(" AND (c.handler_unit_id = ").bind(unit).push(
                " OR EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = c.id AND a.status <> 'returned' AND a.unit_id = ",
            );
            q.bind(unit).push("))");
        }
    }
}

/// `%text%` with LIKE's wildcards escaped (used with `ESCAPE '\'`).
fn like_pattern(t: &str) -> String {
    format!("%{}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

/// How the search index takes part in a query: the index expression (the text's tokens and the
/// facet tokens of the filters), the terms `LIKE` must confirm, and whether the index alone decides
/// the whole filter (then its own count is the exact total).
#[derive(Debug, Clone)]
struct IndexPlan {
    expr: String,
    verify: Vec<String>,
    exact: bool,
}

/// Lists with more index matches than this walk the time index newest-first and stop after the
/// page, instead of fetching and sorting every match (SQLite).
const WALK_FROM: i64 = 2_000;

/// The index plan of a filter, or `None` when the index cannot help: no text and (unless
/// `facets_alone`) no facet filter, or a text of punctuation only (then a plain substring match).
/// With `facets_alone`, a filter of facets without text uses the index too — on SQLite, where
/// FTS5 counts a facet combination far faster than the table can.
fn index_plan(backend: Backend, scope: Scope, f: &CaseFilter, facets_alone: bool) -> Option<IndexPlan> {
    let text = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let mut tq = match text {
        Some(t) => TextQuery::parse(t)?,
        None if facets_alone && backend == Backend::Sqlite => TextQuery::default(),
        None => return None,
    };
    // Whether every filter value became a facet token (else the index count is no total).
    let mut all_in = true;
    if let Some(v) = &f.county_code {
        all_in &= tq.require_facet(search::FACET_COUNTY, &[v]);
    }
    if let Some(v) = &f.township_code {
        all_in &= tq.require_facet(search::FACET_TOWNSHIP, &[v]);
    }
    if !f.stages.is_empty() {
        let v: Vec<&str> = f.stages.iter().map(String::as_str).collect();
        all_in &= tq.require_facet(search::FACET_STAGE, &v);
    }
    if let Some(v) = &f.pollution_type {
        all_in &= tq.require_facet(search::FACET_TYPE, &[v]);
    }
    if let Some(v) = f.batch_id {
        all_in &= tq.require_facet(search::FACET_BATCH, &[&v.to_string()]);
    }
    if let Scope::County(unit) = scope {
        all_in &= tq.require_facet(search::FACET_COUNTY_UNIT, &[&unit.to_string()]);
    }
    if tq.is_empty() {
        return None;
    }
    if let Some(c) = f.campaign_id {
        all_in &= tq.require_facet(search::FACET_CAMPAIGN, &[&c.to_string()]);
    }
    let exact = all_in
        && tq.verify.is_empty()
        && f.received_from.is_none()
        && f.received_to.is_none()
        && f.overdue_at.is_none()
        && !matches!(scope, Scope::Handler(_));
    Some(IndexPlan { expr: search::index_expr(backend, &tq), verify: tq.verify, exact })
}

/// The free-text condition. With an index plan, the search index narrows (its facet tokens carry
/// the other filters too, so the index alone answers most of a filtered query) and `LIKE` confirms
/// the terms whose contiguity bigrams cannot prove; otherwise (punctuation only) a plain substring
/// match on accept number and redacted text.
fn push_text(q: &mut Q, backend: Backend, plan: Option<&IndexPlan>, text: Option<&str>) {
    if let Some(p) = plan {
        let (open, close) = search::index_condition(backend);
        q.push(" AND ").push(open).bind(p.expr.clone()).push(close);
        for term in &p.verify {
            let pat = like_pattern(term);
            q.push(" AND (LOWER(c.accept_no) LIKE ").bind(pat.clone());
            q.push(" ESCAPE '\\' OR LOWER(c.redacted_text) LIKE ").bind(pat).push(" ESCAPE '\\')");
        }
    } else if let Some(text) = text {
        let pat = like_pattern(text);
        q.push(" AND (c.accept_no LIKE ").bind(pat.clone()).push(" ESCAPE '\\' OR c.redacted_text LIKE ");
        q.bind(pat).push(" ESCAPE '\\')");
    }
}

/// ` AND {col} IN ($a, $b, …)` over bound values.
fn push_in(q: &mut Q, col: &str, values: &[String]) {
    q.push(&format!(" AND {col} IN ("));
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(v.as_str());
    }
    q.push(")");
}

fn push_filter(q: &mut Q, backend: Backend, scope: Scope, f: &CaseFilter) {
    let plan = index_plan(backend, scope, f, false);
    push_filter_with(q, backend, f, plan.as_ref());
}

fn push_filter_with(q: &mut Q, backend: Backend, f: &CaseFilter, plan: Option<&IndexPlan>) {
    if let Some(c) = f.campaign_id {
        q.push(" AND c.campaign_id = ").bind(c);
    }
    if !f.stages.is_empty() {
        push_in(q, "c.stage", &f.stages);
    }
    if let Some(v) = &f.county_code {
        q.push(" AND c.county_code = ").bind(v.as_str());
    }
    if let Some(v) = &f.township_code {
        q.push(" AND c.township_code = ").bind(v.as_str());
    }
    if let Some(v) = f.batch_id {
        q.push(" AND c.batch_id = ").bind(v);
    }
    if let Some(v) = &f.pollution_type {
        q.push(" AND (',' || c.pollution_types || ',') LIKE ").bind(format!("%,{v},%"));
    }
    push_text(q, backend, plan, f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()));
    if let Some(v) = f.received_from {
        q.push(" AND c.received_at >= ").bind(v);
    }
    if let Some(v) = f.received_to {
        q.push(" AND c.received_at < ").bind(v);
    }
    if let Some(v) = f.overdue_at {
        q.push(" AND c.due_at IS NOT NULL AND c.due_at < ").bind(v);
        q.push(" AND c.stage NOT IN ('closed', 'partly_closed', 'duplicate', 'awaiting_verification')");
    }
}

/// One page of cases in scope, newest first, and the total matching.
///
/// Planned per query so that a million cases answer in well under 200 ms: when the search index
/// takes part, its own count (fast: FTS5 and GIN count token postings, not rows) is the total if the
/// index alone decides the filter (else the matches are counted row by row, driven by the index);
/// and on SQLite a list with many matches walks the
/// `(campaign_id, received_at)` index newest-first, testing each entry's id against the index's
/// matches without reading the row, and stops after the page — rather than reading and sorting
/// every match. Few matches are read and sorted directly.
pub async fn list(store: &Store, scope: Scope, f: &CaseFilter) -> Result<(Vec<CaseRow>, i64)> {
    list_planned(store, scope, f, WALK_FROM).await
}

/// [`list`] with the number of index matches above which SQLite walks the time index (tests run
/// both plans against the same oracle).
#[doc(hidden)]
pub async fn list_planned(
    store: &Store,
    scope: Scope,
    f: &CaseFilter,
    walk_from: i64,
) -> Result<(Vec<CaseRow>, i64)> {
    let backend = store.backend();
    let plan = index_plan(backend, scope, f, true);
    let total = count_planned(store, scope, f, plan.as_ref()).await?;
    if total == 0 {
        return Ok((Vec::new(), 0));
    }
    let walk = backend == Backend::Sqlite && f.campaign_id.is_some() && plan.is_some() && total > walk_from;
    let cols: String = CASE_COLS.split(", ").map(|c| format!("c.{c}")).collect::<Vec<_>>().join(", ");
    let from = if walk { "cases c INDEXED BY cases_received" } else { by_matches(backend, plan.as_ref()) };
    let mut q = Q::new(&format!("SELECT {cols} FROM {from} WHERE 1 = 1"));
    push_scope(&mut q, scope);
    push_filter_with(&mut q, backend, f, plan.as_ref());
    q.push(" ORDER BY c.received_at DESC, c.id DESC LIMIT ").bind(f.limit.clamp(1, 500));
    q.push(" OFFSET ").bind(f.offset.max(0));
    let rows: Vec<CaseRow> = q.query_as()?.fetch_all(store.reader()).await?;
    Ok((rows, total))
}

/// The `FROM` of a query the search index takes part in: on SQLite the matches' ids drive it
/// (`NOT INDEXED` still looks rows up by id), so the planner cannot prefer scanning a whole county
/// or stage through a column index and testing each row against the matches.
fn by_matches(backend: Backend, plan: Option<&IndexPlan>) -> &'static str {
    match (backend, plan) {
        (Backend::Sqlite, Some(_)) => "cases c NOT INDEXED",
        _ => "cases c",
    }
}

/// How many cases the index expression of a plan matches (the index alone, no row read).
async fn index_count(store: &Store, p: &IndexPlan) -> Result<i64> {
    let sql = match store.backend() {
        Backend::Sqlite => "SELECT COUNT(*) FROM cases_fts WHERE cases_fts MATCH $1",
        Backend::Postgres => {
            "SELECT COUNT(*) FROM cases c WHERE array_to_tsvector(string_to_array(c.search_tokens, ' ')) @@ CAST($1 AS tsquery)"
        }
    };
    Ok(sqlx::query_scalar(sql).bind(&p.expr).fetch_one(store.reader()).await?)
}

/// Whether a case is within a scope (for single-case reads and writes).
pub async fn in_scope(store: &Store, scope: Scope, case_id: i64) -> Result<bool> {
    let mut q = Q::new("SELECT COUNT(*) FROM cases c WHERE c.id = ");
    q.bind(case_id);
    push_scope(&mut q, scope);
    let n: i64 = q.query_scalar()?.fetch_one(store.reader()).await?;
    Ok(n > 0)
}

/// Counts by stage within a scope.
pub async fn stage_counts(store: &Store, scope: Scope, campaign_id: i64) -> Result<Vec<(String, i64)>> {
    if matches!(scope, Scope::All | Scope::County(_)) {
        let f = CaseFilter { campaign_id: Some(campaign_id), ..CaseFilter::default() };
        return Ok(group_counts(store, scope, &f, GroupBy::Stage)
            .await?
            .into_iter()
            .map(|(s, n)| (s.unwrap_or_default(), n))
            .collect());
    }
    let mut q = Q::new("SELECT c.stage, COUNT(*) FROM cases c WHERE c.campaign_id = ");
    q.bind(campaign_id);
    push_scope(&mut q, scope);
    q.push(" GROUP BY c.stage");
    let rows: Vec<(String, i64)> = q.query_as()?.fetch_all(store.reader()).await?;
    Ok(rows)
}

/// How many cases in scope match a filter (cards on the home pages).
pub async fn count(store: &Store, scope: Scope, f: &CaseFilter) -> Result<i64> {
    let plan = index_plan(store.backend(), scope, f, true);
    count_planned(store, scope, f, plan.as_ref()).await
}

/// The total of a planned query: the index's own count when it decides the whole filter, else the
/// matching cases counted (driven by the index's matches when it takes part).
async fn count_planned(store: &Store, scope: Scope, f: &CaseFilter, plan: Option<&IndexPlan>) -> Result<i64> {
    if let Some(p) = plan.filter(|p| p.exact) {
        return index_count(store, p).await;
    }
    let mut q = Q::new(&format!("SELECT COUNT(*) FROM {} WHERE 1 = 1", by_matches(store.backend(), plan)));
    push_scope(&mut q, scope);
    push_filter_with(&mut q, store.backend(), f, plan);
    Ok(q.query_scalar()?.fetch_one(store.reader()).await?)
}

/// A column cases are counted by on the dashboards and the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    County,
    Township,
    Stage,
    /// The stored comma-separated type list (split by the caller: a case may have several).
    Types,
}

/// Whether the tallies (`case_tally`, kept by triggers: see migration 0302) can answer a filter in
/// a scope: the whole campaign or a county office, and only filters the tallies are keyed by.
fn tally_answers(scope: Scope, f: &CaseFilter, with_day_keys_only: bool) -> bool {
    let scope_ok = matches!(scope, Scope::All | Scope::County(_));
    let kinds_ok = f.township_code.is_none() && f.stages.is_empty() && f.pollution_type.is_none();
    scope_ok
        && f.campaign_id.is_some()
        && f.batch_id.is_none()
        && f.text.as_deref().is_none_or(|t| t.trim().is_empty())
        && f.received_from.is_none()
        && f.received_to.is_none()
        && f.overdue_at.is_none()
        && (!with_day_keys_only || kinds_ok)
}

/// The tally conditions of a filter `tally_answers` accepted (`t` is the tally table).
fn push_tally_filter(q: &mut Q, scope: Scope, f: &CaseFilter) {
    q.push(" AND t.campaign_id = ").bind(f.campaign_id.unwrap_or_default());
    if let Scope::County(unit) = scope {
        q.push(" AND t.county_unit_id = ").bind(unit);
    }
    if let Some(v) = &f.county_code {
        q.push(" AND t.county_code = ").bind(v.as_str());
    }
    if let Some(v) = &f.township_code {
        q.push(" AND t.township_code = ").bind(v.as_str());
    }
    if !f.stages.is_empty() {
        push_in(q, "t.stage", &f.stages);
    }
    if let Some(v) = &f.pollution_type {
        q.push(" AND (',' || t.pollution_types || ',') LIKE ").bind(format!("%,{v},%"));
    }
}

/// Case counts per value of one column, within a scope and a filter. `None` is "not determined".
/// Answered from the tallies when they are keyed by everything the filter asks (dashboards and the
/// map: a few hundred tally rows instead of a million cases), else by counting the cases.
pub async fn group_counts(
    store: &Store,
    scope: Scope,
    f: &CaseFilter,
    by: GroupBy,
) -> Result<Vec<(Option<String>, i64)>> {
    if tally_answers(scope, f, false) {
        let col = match by {
            GroupBy::County => "NULLIF(t.county_code, '')",
            GroupBy::Township => "NULLIF(t.township_code, '')",
            GroupBy::Stage => "t.stage",
            GroupBy::Types => "t.pollution_types",
        };
        let mut q =
            Q::new(&format!("SELECT {col}, CAST(SUM(t.n) AS BIGINT) FROM case_tally t WHERE t.n > 0"));
        push_tally_filter(&mut q, scope, f);
        q.push(&format!(" GROUP BY {col} ORDER BY {col}"));
        return Ok(q.query_as()?.fetch_all(store.reader()).await?);
    }
    group_counts_scan(store, scope, f, by).await
}

/// [`group_counts`] by counting the cases themselves (any filter; the oracle for the tallies).
#[doc(hidden)]
pub async fn group_counts_scan(
    store: &Store,
    scope: Scope,
    f: &CaseFilter,
    by: GroupBy,
) -> Result<Vec<(Option<String>, i64)>> {
    let col = match by {
        GroupBy::County => "c.county_code",
        GroupBy::Township => "c.township_code",
        GroupBy::Stage => "c.stage",
        GroupBy::Types => "c.pollution_types",
    };
    let mut q = Q::new(&format!("SELECT {col}, CAST(COUNT(*) AS BIGINT) FROM cases c WHERE 1 = 1"));
    push_scope(&mut q, scope);
    push_filter(&mut q, store.backend(), scope, f);
    q.push(&format!(" GROUP BY {col} ORDER BY {col}"));
    Ok(q.query_as()?.fetch_all(store.reader()).await?)
}

/// Cases received per Beijing calendar day: (days since 1970-01-01 in UTC+8, count), in day order.
pub async fn daily_counts(store: &Store, scope: Scope, f: &CaseFilter) -> Result<Vec<(i64, i64)>> {
    if tally_answers(scope, f, true) {
        let mut q = Q::new("SELECT t.day, CAST(SUM(t.n) AS BIGINT) FROM case_tally_day t WHERE t.n > 0");
        push_tally_filter(&mut q, scope, f);
        q.push(" GROUP BY t.day ORDER BY t.day");
        return Ok(q.query_as()?.fetch_all(store.reader()).await?);
    }
    daily_counts_scan(store, scope, f).await
}

/// [`daily_counts`] by counting the cases themselves.
#[doc(hidden)]
pub async fn daily_counts_scan(store: &Store, scope: Scope, f: &CaseFilter) -> Result<Vec<(i64, i64)>> {
    const DAY: &str = "CAST((c.received_at + 28800000) / 86400000 AS BIGINT)";
    let mut q = Q::new(&format!("SELECT {DAY}, CAST(COUNT(*) AS BIGINT) FROM cases c WHERE 1 = 1"));
    push_scope(&mut q, scope);
    push_filter(&mut q, store.backend(), scope, f);
    q.push(&format!(" GROUP BY {DAY} ORDER BY {DAY}"));
    Ok(q.query_as()?.fetch_all(store.reader()).await?)
}

/// Stages in which a case is still open at a township or department (what due times are kept for).
const NOT_OPEN: &str = "('closed', 'partly_closed', 'duplicate', 'awaiting_verification')";

/// Open cases past their due time, and open cases with a due time, per county (on-time/overdue
/// chart): (county code, with a due time and still open, of which overdue at `now`), by county code.
///
/// For the campaign or a county office: the open cases with a due time come from the tallies, the
/// ones not yet due from the not-yet-due end of the partial index `cases_open_due` (few: only
/// recent cases), and overdue is the difference — so the chart never counts the overdue backlog
/// row by row.
pub async fn open_due_by_county(
    store: &Store,
    scope: Scope,
    campaign_id: i64,
    now: i64,
) -> Result<Vec<(Option<String>, i64, i64)>> {
    if !matches!(scope, Scope::All | Scope::County(_)) {
        return open_due_by_county_scan(store, scope, campaign_id, now).await;
    }
    let f = CaseFilter { campaign_id: Some(campaign_id), ..CaseFilter::default() };
    let mut q = Q::new(&format!(
        "SELECT NULLIF(t.county_code, ''), CAST(SUM(t.n) AS BIGINT) FROM case_tally t
         WHERE t.n > 0 AND t.has_due = 1 AND t.stage NOT IN {NOT_OPEN}"
    ));
    push_tally_filter(&mut q, scope, &f);
    q.push(" GROUP BY NULLIF(t.county_code, '')");
    let with_due: Vec<(Option<String>, i64)> = q.query_as()?.fetch_all(store.reader()).await?;
    // The same condition as the partial index (migration 0302), so only the index is read.
    let mut q = Q::new("SELECT c.county_code, CAST(COUNT(*) AS BIGINT) FROM cases c WHERE c.campaign_id = ");
    q.bind(campaign_id).push(" AND c.due_at >= ").bind(now);
    q.push(&format!(" AND c.due_at IS NOT NULL AND c.stage NOT IN {NOT_OPEN}"));
    push_scope(&mut q, scope);
    q.push(" GROUP BY c.county_code");
    let not_due: std::collections::BTreeMap<Option<String>, i64> =
        q.query_as::<(Option<String>, i64)>()?.fetch_all(store.reader()).await?.into_iter().collect();
    let mut out: Vec<(Option<String>, i64, i64)> = with_due
        .into_iter()
        .map(|(county, open)| {
            let on_time = not_due.get(&county).copied().unwrap_or(0);
            (county, open, open - on_time)
        })
        .collect();
    out.sort();
    Ok(out)
}

/// [`open_due_by_county`] by counting the cases themselves (any scope), by county code.
#[doc(hidden)]
pub async fn open_due_by_county_scan(
    store: &Store,
    scope: Scope,
    campaign_id: i64,
    now: i64,
) -> Result<Vec<(Option<String>, i64, i64)>> {
    let mut q = Q::new("SELECT c.county_code, CAST(COUNT(*) AS BIGINT), CAST(SUM(CASE WHEN c.due_at < ");
    q.bind(now).push(" THEN 1 ELSE 0 END) AS BIGINT) FROM cases c WHERE c.campaign_id = ").bind(campaign_id);
    q.push(&format!(" AND c.due_at IS NOT NULL AND c.stage NOT IN {NOT_OPEN}"));
    push_scope(&mut q, scope);
    q.push(" GROUP BY c.county_code");
    let mut out: Vec<(Option<String>, i64, i64)> = q.query_as()?.fetch_all(store.reader()).await?;
    out.sort();
    Ok(out)
}

/// Open cases of the same township (or county when no township is known) and type, newest first —
/// "is this already being handled?" at the hotline. Duplicates and closed cases are left out.
pub async fn open_nearby(
    store: &Store,
    campaign_id: i64,
    county_code: Option<&str>,
    township_code: Option<&str>,
    pollution_type: Option<&str>,
    limit: i64,
) -> Result<Vec<CaseRow>> {
    let cols: String = CASE_COLS.split(", ").map(|c| format!("c.{c}")).collect::<Vec<_>>().join(", ");
    let mut q = Q::new(&format!("SELECT {cols} FROM cases c WHERE c.campaign_id = "));
    q.bind(campaign_id);
    q.push(" AND c.stage NOT IN ('closed', 'partly_closed', 'duplicate')");
    match (township_code, county_code) {
        (Some(t), _) => {
            q.push(" AND c.township_code = ").bind(t);
        }
        (None, Some(c)) => {
            q.push(" AND c.county_code = ").bind(c);
        }
        (None, None) => return Ok(Vec::new()),
    }
    if let Some(t) = pollution_type {
        q.push(" AND (',' || c.pollution_types || ',') LIKE ").bind(format!("%,{t},%"));
    }
    q.push(" ORDER BY c.received_at DESC, c.id DESC LIMIT ").bind(limit.clamp(1, 50));
    Ok(q.query_as()?.fetch_all(store.reader()).await?)
}

/// Pending extension requests from units directly under `parent_unit_id` (the level that decides),
/// oldest first: (request, requesting unit's name, accept number).
pub async fn pending_extensions_below(
    store: &Store,
    parent_unit_id: i64,
) -> Result<Vec<(crate::extensions::ExtensionRow, String, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        e: crate::extensions::ExtensionRow,
        unit_name: String,
        accept_no: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT e.id, e.case_id, e.assignment_id, e.unit_id, e.requested_days, e.reason, e.requested_at, e.requested_by,
                e.decided_at, e.decided_by, e.approved, e.decision_note, e.new_due_at, u.name AS unit_name, c.accept_no
         FROM extension_requests e JOIN units u ON u.id = e.unit_id JOIN cases c ON c.id = e.case_id
         WHERE e.decided_at IS NULL AND u.parent_id = $1 ORDER BY e.requested_at, e.id",
    )
    .bind(parent_unit_id)
    .fetch_all(store.reader())
    .await?;
    Ok(rows.into_iter().map(|r| (r.e, r.unit_name, r.accept_no)).collect())
}

// ---- identities -------------------------------------------------------------------------------

/// Who complained. Never leaves the store except through an audited read by a permitted role, or
/// into the identity firewall's matcher (`ducha_shield::Shield`), which keeps it to itself.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplainantIdentity {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub id_number: Option<String>,
    /// E-mail, when the complainant gave one (web, Open311, letters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A chat or social-media handle the complainant gave (WeChat, QQ, Douyin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
}

impl std::fmt::Debug for ComplainantIdentity {
    // Which fields are known, never their values: a Debug print must not leak into a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let k = |o: &Option<String>| o.as_ref().map(|_| "…");
        f.debug_struct("ComplainantIdentity")
            .field("name", &k(&self.name))
            .field("phone", &k(&self.phone))
            .field("address", &k(&self.address))
            .field("id_number", &k(&self.id_number))
            .field("email", &k(&self.email))
            .field("handle", &k(&self.handle))
            .finish()
    }
}

impl ComplainantIdentity {
    pub fn is_empty(&self) -> bool {
        [&self.name, &self.phone, &self.address, &self.id_number, &self.email, &self.handle]
            .iter()
            .all(|f| f.as_deref().map(str::trim).unwrap_or("").is_empty())
    }
}

/// The sealed identities of these cases, opened (for the identity firewall's matcher; callers do not
/// show them). Cases without an identity are absent from the map.
pub async fn identities(
    store: &Store,
    cipher: &IdentityCipher,
    case_ids: &[i64],
) -> Result<std::collections::HashMap<i64, ComplainantIdentity>> {
    let mut out = std::collections::HashMap::with_capacity(case_ids.len());
    for chunk in case_ids.chunks(500) {
        let mut q = Q::many(
            store.backend(),
            "SELECT case_id, key_id, nonce, ciphertext FROM complainant_identities WHERE case_id IN (",
        );
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(*id);
        }
        q.push(")");
        let rows: Vec<(i64, String, Vec<u8>, Vec<u8>)> = q.query_as()?.fetch_all(store.reader()).await?;
        for (case_id, key_id, nonce, ciphertext) in rows {
            let plain = cipher.open(&identity_aad(case_id), &Sealed { key_id, nonce, ciphertext })?;
            let who: ComplainantIdentity = serde_json::from_slice(&plain)
                .map_err(|e| StoreError::Corrupt(format!("身份信息解码失败：{e}")))?;
            out.insert(case_id, who);
        }
    }
    Ok(out)
}

pub(crate) fn identity_aad(case_id: i64) -> Vec<u8> {
    format!("ducha:identity:v1:case:{case_id}").into_bytes()
}

/// Seal and store a case's identity and mark the case as having one.
pub async fn put_identity(
    tx: &mut Tx,
    cipher: &IdentityCipher,
    case_id: i64,
    who: &ComplainantIdentity,
) -> Result<()> {
    seal_identities(tx, cipher, &[(case_id, who)]).await?;
    sqlx::query("UPDATE cases SET has_identity = 1 WHERE id = $1").bind(case_id).execute(tx.conn()).await?;
    Ok(())
}

/// Seal and store identities for cases inserted with `has_identity` already set
/// ([`insert_cases`]), in a few multi-row statements.
pub async fn seal_identities(
    tx: &mut Tx,
    cipher: &IdentityCipher,
    identities: &[(i64, &ComplainantIdentity)],
) -> Result<()> {
    for chunk in crate::sql::pow2_chunks(identities) {
        let mut q = Q::many(
            tx.backend(),
            "INSERT INTO complainant_identities (case_id, key_id, nonce, ciphertext) VALUES ",
        );
        for (i, (case_id, who)) in chunk.iter().enumerate() {
            let plain = serde_json::to_vec(who).map_err(|e| StoreError::Crypto(e.to_string()))?;
            let sealed = cipher.seal(&identity_aad(*case_id), &plain)?;
            q.push(if i == 0 { "(" } else { ", (" });
            q.bind(*case_id).push(", ").bind(sealed.key_id).push(", ").bind(sealed.nonce).push(", ");
            q.bind(sealed.ciphertext).push(")");
        }
        q.push(
            " ON CONFLICT (case_id) DO UPDATE SET key_id = excluded.key_id, nonce = excluded.nonce, ciphertext = excluded.ciphertext",
        );
        q.query()?.execute(tx.conn()).await?;
    }
    Ok(())
}

pub async fn identity(
    store: &Store,
    cipher: &IdentityCipher,
    case_id: i64,
) -> Result<Option<ComplainantIdentity>> {
    let row: Option<(String, Vec<u8>, Vec<u8>)> =
        sqlx::query_as("SELECT key_id, nonce, ciphertext FROM complainant_identities WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(store.reader())
            .await?;
    let Some((key_id, nonce, ciphertext)) = row else { return Ok(None) };
    let plain = cipher.open(&identity_aad(case_id), &Sealed { key_id, nonce, ciphertext })?;
    serde_json::from_slice(&plain)
        .map(Some)
        .map_err(|e| StoreError::Corrupt(format!("身份信息解码失败：{e}")))
}

/// Raw sealed identities, for key rotation and backup checks.
pub async fn sealed_identities_with_key(store: &Store, key_id: &str, limit: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT case_id FROM complainant_identities WHERE key_id = $1 ORDER BY case_id LIMIT $2",
    )
    .bind(key_id)
    .bind(limit)
    .fetch_all(store.reader())
    .await?)
}

// ---- assignments ------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AssignmentRow {
    pub id: i64,
    pub case_id: i64,
    pub unit_id: i64,
    pub level: String,
    pub parent_id: Option<i64>,
    pub is_lead: i64,
    /// `active`, `returned`, `done`.
    pub status: String,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
    pub due_at: Option<i64>,
    pub acknowledged_at: Option<i64>,
    pub returned_at: Option<i64>,
    pub return_reason: Option<String>,
    pub completed_at: Option<i64>,
    pub override_reason: Option<String>,
    pub created_by: Option<i64>,
    pub reminded_at: Option<i64>,
    pub escalated_at: Option<i64>,
    /// 1 when the delivery was held for quiet hours.
    pub deferred: i64,
}

const ASSIGNMENT_COLS: &str = "id, case_id, unit_id, level, parent_id, is_lead, status, created_at, delivered_at, due_at, acknowledged_at, returned_at, return_reason, completed_at, override_reason, created_by, reminded_at, escalated_at, deferred";

#[derive(Debug, Clone)]
pub struct NewAssignment {
    pub case_id: i64,
    pub unit_id: i64,
    pub level: String,
    pub parent_id: Option<i64>,
    pub is_lead: bool,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
    pub due_at: Option<i64>,
    pub override_reason: Option<String>,
    pub created_by: Option<i64>,
    pub deferred: bool,
}

pub async fn insert_assignment(tx: &mut Tx, a: &NewAssignment) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO assignments (case_id, unit_id, level, parent_id, is_lead, status, created_at, delivered_at, due_at,
             override_reason, created_by, deferred)
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(a.case_id)
    .bind(a.unit_id)
    .bind(&a.level)
    .bind(a.parent_id)
    .bind(i64::from(a.is_lead))
    .bind(a.created_at)
    .bind(a.delivered_at)
    .bind(a.due_at)
    .bind(&a.override_reason)
    .bind(a.created_by)
    .bind(i64::from(a.deferred))
    .fetch_one(tx.conn())
    .await?)
}

pub async fn assignments(store: &Store, case_id: i64) -> Result<Vec<AssignmentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ASSIGNMENT_COLS} FROM assignments WHERE case_id = $1 ORDER BY id"
    )))
    .bind(case_id)
    .fetch_all(store.reader())
    .await?)
}

pub async fn active_assignments_tx(tx: &mut Tx, case_id: i64) -> Result<Vec<AssignmentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ASSIGNMENT_COLS} FROM assignments WHERE case_id = $1 AND status = 'active' ORDER BY id"
    )))
    .bind(case_id)
    .fetch_all(tx.conn())
    .await?)
}

pub async fn acknowledge_assignment(tx: &mut Tx, id: i64, at: i64) -> Result<()> {
    sqlx::query("UPDATE assignments SET acknowledged_at = $1 WHERE id = $2 AND acknowledged_at IS NULL")
        .bind(at)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn return_assignment(tx: &mut Tx, id: i64, at: i64, reason: &str) -> Result<()> {
    sqlx::query(
        "UPDATE assignments SET status = 'returned', returned_at = $1, return_reason = $2 WHERE id = $3",
    )
    .bind(at)
    .bind(reason)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn complete_assignment(tx: &mut Tx, id: i64, at: i64) -> Result<()> {
    sqlx::query("UPDATE assignments SET status = 'done', completed_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn set_assignment_due(tx: &mut Tx, id: i64, due_at: i64) -> Result<()> {
    sqlx::query("UPDATE assignments SET due_at = $1 WHERE id = $2")
        .bind(due_at)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Cases after `after_id` with their duplicate link and index features, in id order (index rebuild).
pub async fn dup_docs_after(
    store: &Store,
    after_id: i64,
    limit: i64,
) -> Result<Vec<(i64, Option<i64>, Option<String>)>> {
    dup_docs_after_on(store.reader(), after_id, limit).await
}

/// [`dup_docs_after`] on a given connection (or pool).
pub async fn dup_docs_after_on<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    after_id: i64,
    limit: i64,
) -> Result<Vec<(i64, Option<i64>, Option<String>)>> {
    Ok(sqlx::query_as("SELECT id, dup_of, dup_doc FROM cases WHERE id > $1 ORDER BY id LIMIT $2")
        .bind(after_id)
        .bind(limit)
        .fetch_all(ex)
        .await?)
}

/// Active assignments due before `before` that have not been reminded (the reminder job).
pub async fn assignments_to_remind(store: &Store, now: i64, before: i64) -> Result<Vec<AssignmentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ASSIGNMENT_COLS} FROM assignments WHERE status = 'active' AND reminded_at IS NULL AND due_at IS NOT NULL
         AND due_at > $1 AND due_at <= $2 ORDER BY due_at"
    )))
    .bind(now)
    .bind(before)
    .fetch_all(store.reader())
    .await?)
}

/// Active assignments past due and not yet escalated (the escalation job).
pub async fn assignments_overdue(store: &Store, now: i64) -> Result<Vec<AssignmentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ASSIGNMENT_COLS} FROM assignments WHERE status = 'active' AND escalated_at IS NULL AND due_at IS NOT NULL AND due_at <= $1
         ORDER BY due_at"
    )))
    .bind(now)
    .fetch_all(store.reader())
    .await?)
}

/// Mark reminded/escalated; true if this call did it (so two workers never both notify).
pub async fn mark_assignment(tx: &mut Tx, id: i64, column: AssignmentMark, at: i64) -> Result<bool> {
    let sql = match column {
        AssignmentMark::Reminded => {
            "UPDATE assignments SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL"
        }
        AssignmentMark::Escalated => {
            "UPDATE assignments SET escalated_at = $1 WHERE id = $2 AND escalated_at IS NULL"
        }
    };
    Ok(sqlx::query(sql).bind(at).bind(id).execute(tx.conn()).await?.rows_affected() > 0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentMark {
    Reminded,
    Escalated,
}

pub async fn assignment(store: &Store, id: i64) -> Result<Option<AssignmentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ASSIGNMENT_COLS} FROM assignments WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(store.reader())
    .await?)
}

/// All assignments (dashboards: time given vs time used).
pub async fn all_assignments(store: &Store) -> Result<Vec<AssignmentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {ASSIGNMENT_COLS} FROM assignments ORDER BY id")))
        .fetch_all(store.reader())
        .await?)
}

/// Active assignments of one unit with their cases (a township's "my tasks").
pub async fn active_for_unit(store: &Store, unit_id: i64) -> Result<Vec<AssignmentRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ASSIGNMENT_COLS} FROM assignments WHERE unit_id = $1 AND status = 'active' ORDER BY due_at, id"
    )))
    .bind(unit_id)
    .fetch_all(store.reader())
    .await?)
}

/// The redacted texts of a county's cases (to tell whether any complaint names a subject).
pub async fn texts_in_county(store: &Store, campaign_id: i64, county_code: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT redacted_text FROM cases WHERE campaign_id = $1 AND county_code = $2")
        .bind(campaign_id)
        .bind(county_code)
        .fetch_all(store.reader())
        .await?)
}

pub async fn count_cases(store: &Store) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(store.reader()).await?)
}

/// One staff correction of a triage field, kept as labelled data (issue 3).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct TriageCorrectionRow {
    pub id: i64,
    pub case_id: i64,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub user_id: Option<i64>,
    pub at: i64,
}

pub async fn insert_triage_correction(
    tx: &mut Tx,
    case_id: i64,
    field: &str,
    old_value: Option<&str>,
    new_value: Option<&str>,
    user_id: i64,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO triage_corrections (case_id, field, old_value, new_value, user_id, at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(case_id)
    .bind(field)
    .bind(old_value)
    .bind(new_value)
    .bind(user_id)
    .bind(at)
    .fetch_one(tx.conn())
    .await?)
}

/// Corrections of one case, oldest first.
pub async fn triage_corrections(store: &Store, case_id: i64) -> Result<Vec<TriageCorrectionRow>> {
    Ok(sqlx::query_as(
        "SELECT id, case_id, field, old_value, new_value, user_id, at FROM triage_corrections
         WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(store.reader())
    .await?)
}

/// The ids of every corrected case, in order of their latest correction.
pub async fn corrected_case_ids(store: &Store) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT case_id FROM triage_corrections GROUP BY case_id ORDER BY MAX(id)")
        .fetch_all(store.reader())
        .await?)
}
