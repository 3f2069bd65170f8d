//! Case counts per column, per day and per county's due times (dashboards and the map): answered
//! from the case tallies (`case_tally`, `case_tally_day`, kept by triggers of migration 0302) when
//! they are keyed by everything a filter asks, else by counting the cases (the `_scan` oracles).

use crate::sql::Q;
use crate::{Result, Store};

use super::query::{CaseFilter, Scope, push_filter, push_in, push_scope};

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
