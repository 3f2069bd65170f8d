//! Which cases a user may see ([`Scope`]) and which a filter asks for ([`CaseFilter`]): the scope and
//! filter conditions, the search index's plan for a query, the planned list and count, and the open
//! cases near a new complaint.

use crate::search::{self, TextQuery};
use crate::sql::Q;
use crate::{Backend, Result, Store};

use super::{CASE_COLS, CaseRow};

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

pub(super) fn push_scope(q: &mut Q, scope: Scope) {
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
pub(super) fn push_in(q: &mut Q, col: &str, values: &[String]) {
    q.push(&format!(" AND {col} IN ("));
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(v.as_str());
    }
    q.push(")");
}

pub(super) fn push_filter(q: &mut Q, backend: Backend, scope: Scope, f: &CaseFilter) {
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
