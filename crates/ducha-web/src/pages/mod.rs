//! Server-rendered staff pages (Chinese). Templates escape by default (askama).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use ducha_app::AppError;
use ducha_app::lookups::ComplainantIdentity;
use ducha_app::queries::CaseView;
use ducha_app::workflow::ActInput;
use ducha_domain::role::Role;
use ducha_domain::workflow::{Action, Stage};
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
pub use crate::error::error_page;
use crate::extract::{ApiPath, CsrfForm, PageForm, PageUser, SESSION_COOKIE};
use crate::filters::CaseQuery;
pub use crate::kit::Nav;
use crate::kit::{excerpt, fmt_ms, page_window, render};
use crate::ratelimit::{Login, Throttle};

mod case;
mod login;
pub use case::*;
pub use login::*;

const LOGIN_CSRF_COOKIE: &str = "ducha_login_csrf";

fn badge(stage: Stage) -> &'static str {
    match stage {
        Stage::Closed | Stage::PartlyClosed => "closed",
        Stage::ReturnedTeam | Stage::ReturnedCity | Stage::ReturnedCounty => "returned",
        Stage::Duplicate => "dup",
        _ => "",
    }
}

// ---- case list and search ----

struct Row {
    id: i64,
    accept_no: String,
    received: String,
    region: String,
    types: String,
    excerpt: String,
    stage: &'static str,
    badge: &'static str,
    repeat_count: i64,
    due: String,
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    nav: Nav,
    total: i64,
    rows: Vec<Row>,
    stage_options: Vec<(String, String, bool)>,
    county_options: Vec<(String, String, bool)>,
    township_groups: Vec<(String, Vec<(String, String, bool)>)>,
    type_options: Vec<(String, String, bool)>,
    f_batch: String,
    f_q: String,
    f_from: String,
    f_to: String,
    f_overdue: bool,
    filter_summary: Vec<String>,
    error: Option<String>,
    has_filter: bool,
    page: i64,
    pages: i64,
    pager: Vec<(Option<String>, String, bool)>,
    prev_link: Option<String>,
    next_link: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CasesParams {
    stage: Option<String>,
    county_code: Option<String>,
    township_code: Option<String>,
    #[serde(rename = "type")]
    pollution_type: Option<String>,
    batch_id: Option<String>,
    q: Option<String>,
    from: Option<String>,
    to: Option<String>,
    overdue: Option<String>,
    page: Option<String>,
}

/// `<option>` triples (value, label, selected).
fn options(
    it: impl Iterator<Item = (String, String)>,
    selected: &Option<String>,
) -> Vec<(String, String, bool)> {
    it.map(|(v, l)| {
        let sel = selected.as_deref() == Some(v.as_str());
        (v, l, sel)
    })
    .collect()
}

pub async fn cases(
    State(st): State<AppState>,
    p: PageUser,
    Query(params): Query<CasesParams>,
) -> Result<Html<String>, PageError> {
    let page = params.page.as_deref().and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
    let blank = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let mut error = None;
    let batch_id = match blank(&params.batch_id) {
        Some(b) => match b.trim_start_matches('第').trim_end_matches('批').parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                error = Some("批次号应为数字".to_owned());
                None
            }
        },
        None => None,
    };
    let q = CaseQuery {
        stage: blank(&params.stage),
        county_code: blank(&params.county_code),
        township_code: blank(&params.township_code),
        batch_id,
        pollution_type: blank(&params.pollution_type),
        q: blank(&params.q),
        from: blank(&params.from),
        to: blank(&params.to),
        overdue: blank(&params.overdue),
        page: Some(page),
        per_page: Some(30),
    };
    let filter = match q.filter_at(st.app.now_ms()) {
        Ok(f) => f,
        Err(e) => {
            error = Some(e.message.clone());
            CaseQuery { from: None, to: None, ..q }.filter_at(st.app.now_ms())?
        }
    };
    let res = st.app.list_cases(&p.user, filter, page, 30).await?;
    let pages = ((res.total + res.per_page - 1) / res.per_page).max(1);
    let link = |pg: i64| {
        let mut qs: Vec<(&str, String)> = Vec::new();
        for (k, v) in [
            ("stage", &params.stage),
            ("county_code", &params.county_code),
            ("township_code", &params.township_code),
            ("type", &params.pollution_type),
            ("batch_id", &params.batch_id),
            ("q", &params.q),
            ("from", &params.from),
            ("to", &params.to),
            ("overdue", &params.overdue),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                qs.push((k, v.to_owned()));
            }
        }
        qs.push(("page", pg.to_string()));
        format!("/cases?{}", serde_urlencoded::to_string(&qs).unwrap_or_default())
    };
    let rows = res
        .items
        .iter()
        .map(|c| Row {
            id: c.id,
            accept_no: c.accept_no.clone(),
            received: fmt_ms(Some(c.received_at)),
            region: c.region_label.clone(),
            types: if c.pollution_types.is_empty() { "待定".into() } else { c.pollution_types.join("、") },
            excerpt: excerpt(c.text.as_str(), 60),
            stage: c.stage.label(),
            badge: badge(c.stage),
            repeat_count: c.repeat_count,
            due: fmt_ms(c.due_at),
        })
        .collect();
    let counties = st.app.counties().await?;
    let mut township_groups = Vec::new();
    for c in &counties {
        if let Some(sel) = blank(&params.county_code)
            && sel != c.code
        {
            continue;
        }
        let towns = st
            .app
            .regions_under(&c.code)
            .await?
            .into_iter()
            .filter(|r| r.level == ducha_domain::region::RegionLevel::Township)
            .map(|r| (r.code, r.short_name));
        township_groups.push((c.short_name.clone(), options(towns, &blank(&params.township_code))));
    }
    // What the list is filtered by, in words (for the heading and for screen readers).
    let mut filter_summary = Vec::new();
    if let Some(v) = blank(&params.stage) {
        let labels: Vec<&str> =
            v.split(',').filter_map(|c| Stage::parse(c.trim()).ok()).map(|s| s.label()).collect();
        if !labels.is_empty() {
            filter_summary.push(format!("状态：{}", labels.join("、")));
        }
    }
    if let Some(v) = blank(&params.county_code) {
        let name = counties.iter().find(|c| c.code == v).map(|c| c.short_name.clone()).unwrap_or(v);
        filter_summary.push(format!("县区：{name}"));
    }
    if let Some(v) = blank(&params.township_code)
        && let Some(r) = st.app.region(&v).await?
    {
        filter_summary.push(format!("乡镇：{}", r.short_name));
    }
    if let Some(v) = blank(&params.pollution_type) {
        filter_summary.push(format!("类型：{v}"));
    }
    if let Some(b) = batch_id {
        filter_summary.push(format!("批次编号：{b}"));
    }
    match (blank(&params.from), blank(&params.to)) {
        (Some(a), Some(b)) if a == b => filter_summary.push(format!("受理日期：{a}")),
        (Some(a), Some(b)) => filter_summary.push(format!("受理日期：{a} 至 {b}")),
        (Some(a), None) => filter_summary.push(format!("受理日期：{a} 起")),
        (None, Some(b)) => filter_summary.push(format!("受理日期：至 {b}")),
        (None, None) => {}
    }
    if matches!(params.overdue.as_deref(), Some("1" | "on" | "true")) {
        filter_summary.push("仅超期".into());
    }
    if let Some(v) = blank(&params.q) {
        filter_summary.push(format!("检索：{v}"));
    }
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    render(&CasesPage {
        nav: Nav::of(&p, "cases"),
        total: res.total,
        rows,
        stage_options: options(
            Stage::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())),
            &params.stage,
        ),
        county_options: options(counties.into_iter().map(|r| (r.code, r.short_name)), &params.county_code),
        township_groups,
        type_options: options(
            ducha_app::triage::POLLUTION_TYPES.iter().map(|t| ((*t).to_owned(), (*t).to_owned())),
            &params.pollution_type,
        ),
        has_filter: !filter_summary.is_empty(),
        filter_summary,
        error,
        f_batch: s(&params.batch_id),
        f_q: s(&params.q),
        f_from: s(&params.from),
        f_to: s(&params.to),
        f_overdue: matches!(params.overdue.as_deref(), Some("1" | "on" | "true")),
        page,
        pages,
        pager: page_window(page, pages)
            .into_iter()
            .map(|p| match p {
                Some(n) => (Some(link(n)), n.to_string(), n == page),
                None => (None, "…".to_owned(), false),
            })
            .collect(),
        prev_link: (page > 1).then(|| link(page - 1)),
        next_link: (page < pages).then(|| link(page + 1)),
    })
}
