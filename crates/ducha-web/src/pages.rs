//! Server-rendered staff pages (Chinese). Templates escape by default (askama).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use ducha_app::AppError;
use ducha_app::queries::CaseView;
use ducha_app::workflow::ActInput;
use ducha_domain::role::Role;
use ducha_domain::time::human_cst;
use ducha_domain::workflow::{Action, Stage};
use ducha_store::cases::ComplainantIdentity;
use ducha_store::directory;
use serde::Deserialize;

use crate::AppState;
use crate::api::CaseQuery;
use crate::error::PageError;
use crate::extract::{ApiPath, PageForm, PageUser, SESSION_COOKIE};
use crate::ratelimit::{Login, Throttle};

const LOGIN_CSRF_COOKIE: &str = "ducha_login_csrf";

/// What the layout needs on every page.
#[derive(Debug, Clone)]
pub struct Nav {
    pub display_name: String,
    pub unit_name: String,
    pub role_label: String,
    pub csrf: String,
    pub active: &'static str,
    pub can_intake: bool,
    pub role: &'static str,
    pub level: &'static str,
    /// `2027年节假日安排尚未录入，期限按周末估算` while it applies.
    pub calendar_notice: Option<String>,
}

impl Nav {
    pub fn of(p: &PageUser, active: &'static str) -> Self {
        Nav {
            display_name: p.user.display_name.clone(),
            unit_name: p.user.unit.name.clone(),
            role_label: p.user.role.label().into(),
            csrf: p.session.csrf_token.clone(),
            active,
            can_intake: matches!(p.user.role, Role::Operator | Role::Team),
            role: p.user.role.code(),
            level: p.user.level.code(),
            calendar_notice: p.calendar_notice.clone(),
        }
    }
}

pub fn render<T: Template>(t: &T) -> Result<Html<String>, PageError> {
    t.render().map(Html).map_err(|e| PageError(AppError::internal(format!("template: {e}"))))
}

fn fmt_ms(ms: Option<i64>) -> String {
    ms.map(|v| human_cst(ducha_domain::time::from_millis(v))).unwrap_or_else(|| "—".into())
}

fn badge(stage: Stage) -> &'static str {
    match stage {
        Stage::Closed | Stage::PartlyClosed => "closed",
        Stage::ReturnedTeam | Stage::ReturnedCity | Stage::ReturnedCounty => "returned",
        Stage::Duplicate => "dup",
        _ => "",
    }
}

// ---- errors ----

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    code: &'a str,
    details: &'a [String],
}

pub fn error_page(status: StatusCode, e: &AppError) -> Html<String> {
    let title = match status.as_u16() {
        400 => "请求有误",
        401 => "请先登录",
        403 => "无权操作",
        404 => "未找到",
        409 => "操作与当前状态冲突",
        422 => "不符合办理规则",
        429 => "请求过于频繁",
        _ => "系统错误",
    };
    let details: Vec<String> =
        if e.kind == ducha_app::error::ErrorKind::Internal { Vec::new() } else { e.details.clone() };
    let page = ErrorPage { title, message: &e.message, code: &e.code, details: &details };
    Html(page.render().unwrap_or_else(|_| format!("{title}：{}", e.code)))
}

// ---- login ----

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    error: Option<String>,
    csrf: String,
    username: String,
}

fn login_csrf_cookie(value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((LOGIN_CSRF_COOKIE, value))
        .path("/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build()
}

pub async fn login_form(State(st): State<AppState>, jar: CookieJar) -> Result<Response, PageError> {
    let csrf = crate::random_token();
    let page = render(&LoginPage { error: None, csrf: csrf.clone(), username: String::new() })?;
    Ok((jar.add(login_csrf_cookie(csrf, st.app.cfg.cookie_secure)), page).into_response())
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

pub async fn login_submit(
    _: Throttle<Login>,
    State(st): State<AppState>,
    jar: CookieJar,
    PageForm(f): PageForm<LoginForm>,
) -> Result<Response, PageError> {
    let expected = jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    let secure = st.app.cfg.cookie_secure;
    let again = |msg: String, jar: CookieJar, username: String| -> Result<Response, PageError> {
        let csrf = crate::random_token();
        let page = render(&LoginPage { error: Some(msg), csrf: csrf.clone(), username })?;
        Ok((StatusCode::UNAUTHORIZED, jar.add(login_csrf_cookie(csrf, secure)), page).into_response())
    };
    if !crate::extract::constant_eq(&f.csrf, &expected) {
        return again("登录页面已过期，请重新输入".into(), jar, f.username);
    }
    match st.app.login(&f.username, &f.password).await {
        Ok(out) => {
            let c = Cookie::build((SESSION_COOKIE, out.token))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(secure)
                .build();
            Ok((
                jar.add(c).remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/login").build()),
                Redirect::to("/"),
            )
                .into_response())
        }
        Err(e) if e.kind == ducha_app::error::ErrorKind::Internal => Err(PageError(e)),
        Err(e) => again(e.message, jar, f.username),
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

pub async fn logout(
    State(st): State<AppState>,
    jar: CookieJar,
    p: PageUser,
    PageForm(f): PageForm<CsrfOnly>,
) -> Result<Response, PageError> {
    p.check_csrf(&f.csrf)?;
    if let Some(c) = jar.get(SESSION_COOKIE) {
        st.app.logout(c.value()).await?;
    }
    Ok((jar.remove(Cookie::build(SESSION_COOKIE).path("/").build()), Redirect::to("/login")).into_response())
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

fn excerpt(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

/// Page numbers to show: the first, the last, and two either side of the current one; gaps as `…`.
pub fn page_window(page: i64, pages: i64) -> Vec<Option<i64>> {
    let mut out: Vec<Option<i64>> = Vec::new();
    for p in 1..=pages {
        if p == 1 || p == pages || (p - page).abs() <= 2 {
            out.push(Some(p));
        } else if out.last().is_some_and(|l| l.is_some()) {
            out.push(None);
        }
    }
    out
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
    let counties = directory::regions_by_level(&st.app.store, "county").await?;
    let mut township_groups = Vec::new();
    for c in &counties {
        if let Some(sel) = blank(&params.county_code)
            && sel != c.code
        {
            continue;
        }
        let towns = directory::regions_under(&st.app.store, &c.code)
            .await?
            .into_iter()
            .filter(|r| r.level == "township")
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
        && let Some(r) = directory::region(&st.app.store, &v).await?
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

// ---- one case ----

struct ActForm {
    action: &'static str,
    label: &'static str,
    needs_unit: bool,
    needs_reason: bool,
    needs_finding: bool,
    needs_dup: bool,
    needs_days: bool,
    needs_approve: bool,
    needs_verify: bool,
    danger: bool,
}

struct AsgRow {
    unit: String,
    role: &'static str,
    delivered: String,
    acknowledged: String,
    due: String,
    status: &'static str,
}

struct HistRow {
    at: String,
    actor: String,
    label: String,
    note: String,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePageT {
    nav: Nav,
    c: CaseView,
    badge: &'static str,
    received: String,
    channel: &'static str,
    types: String,
    due: String,
    evidence: String,
    dup_label: Option<String>,
    identity_allowed: bool,
    identity: Option<(String, String, String, String, String)>,
    assignments: Vec<AsgRow>,
    forms: Vec<ActForm>,
    targets: Vec<(i64, String, bool)>,
    dup_suggestion: String,
    history: Vec<HistRow>,
    flash: Option<String>,
    error: Option<String>,
    report: Option<(String, String, String, String)>,
    report_editable: bool,
    report_missing: usize,
    can_callback: bool,
    callbacks: Vec<(String, String, String)>,
    remaining: Option<String>,
    onsite_required: bool,
    /// Triage correction (issue 3): shown to operators, the team and the city office.
    can_correct: bool,
    region_editable: bool,
    /// (county code, name, [(township code, name)]).
    regions: Vec<(String, String, Vec<(String, String)>)>,
    type_opts: Vec<(&'static str, bool)>,
    sansan_opts: Vec<(&'static str, bool)>,
    /// (time, field, old, new).
    corrections: Vec<(String, &'static str, String, String)>,
    /// (id, file name, size, uploaded at).
    attachments: Vec<(i64, String, String, String)>,
    can_attach: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct CaseParams {
    done: Option<String>,
}

async fn case_page(
    st: &AppState,
    p: &PageUser,
    id: i64,
    identity: Option<(ComplainantIdentity, Vec<(i64, String)>)>,
    flash: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let originals: Vec<(i64, String)> = identity.as_ref().map(|(_, c)| c.clone()).unwrap_or_default();
    let d = st.app.case_detail(&p.user, id).await?;
    let c = d.case;
    let targets: Vec<(i64, String)> =
        st.app.dispatch_targets(&p.user).await?.into_iter().map(|u| (u.id, u.name)).collect();
    // Suggest the unit whose region matches the case's routing.
    let suggested_unit = {
        let mut s = None;
        for (uid, _) in &targets {
            if let Some(u) = directory::unit(&st.app.store, *uid).await? {
                let rc = u.region_code.as_deref();
                if rc.is_some() && (rc == c.county_code.as_deref() || rc == c.township_code.as_deref()) {
                    s = Some(*uid);
                    break;
                }
            }
        }
        s
    };
    let forms = c
        .actions
        .iter()
        .map(|a| ActForm {
            action: a.code(),
            label: a.label(),
            needs_unit: *a == Action::Dispatch,
            needs_reason: a.needs_reason(),
            needs_finding: *a == Action::RecordFinding,
            needs_dup: *a == Action::MarkDuplicate,
            needs_days: *a == Action::RequestExtension,
            needs_approve: *a == Action::DecideExtension,
            needs_verify: matches!(a, Action::VerifyClosed | Action::VerifyPartly),
            danger: matches!(a, Action::Return | Action::RejectVerification),
        })
        .collect();
    let dup_label = match c.dup_of {
        Some(pid) => ducha_store::cases::get(&st.app.store, pid)
            .await?
            .map(|pc| format!("疑似与 {} 为同一问题（系统判断）", pc.accept_no)),
        None => None,
    };
    let dup_suggestion = match c.dup_of {
        Some(pid) => {
            ducha_store::cases::get(&st.app.store, pid).await?.map(|pc| pc.accept_no).unwrap_or_default()
        }
        None => String::new(),
    };
    let evidence = c
        .triage
        .get("evidence")
        .and_then(|e| e.as_array())
        .map(|a| a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join("、"))
        .unwrap_or_default();
    let assignments = d
        .assignments
        .iter()
        .map(|a| AsgRow {
            unit: a.unit_name.clone(),
            role: if a.row.is_lead != 0 { "主办" } else { "协办" },
            delivered: fmt_ms(a.row.delivered_at),
            acknowledged: fmt_ms(a.row.acknowledged_at),
            due: fmt_ms(a.row.due_at),
            status: match a.row.status.as_str() {
                "active" => "办理中",
                "returned" => "已退回",
                "done" => "已完成",
                _ => "—",
            },
        })
        .collect();
    let history = d
        .history
        .iter()
        .map(|h| HistRow {
            at: fmt_ms(Some(h.at)),
            actor: h.actor.clone(),
            label: h.label.clone(),
            note: [
                h.detail.get("to_unit"),
                h.detail.get("finding"),
                h.detail.get("reason"),
                h.detail.get("dup_of_accept_no"),
            ]
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join("；"),
        })
        .collect();
    let rv = st.app.report_view(&p.user, id).await?;
    let has_report = rv.version > 0;
    let report = has_report.then(|| {
        (
            rv.investigation_text.clone(),
            rv.finding.clone().unwrap_or_else(|| "—".into()),
            rv.handling_text.clone(),
            rv.closure_target_text.clone(),
        )
    });
    let closed = matches!(c.stage, Stage::Closed | Stage::PartlyClosed);
    let callbacks = ducha_store::followup::callbacks(&st.app.store, id)
        .await?
        .into_iter()
        .map(|cb| {
            let result = match cb.result.as_str() {
                "answered" => cb.satisfaction.clone().unwrap_or_default(),
                "not_reached" => "未联系上".into(),
                _ => "拒绝评价".into(),
            };
            // The firewalled comment; after an audited identity read, what was typed.
            let comment = match originals.iter().find(|(cid, _)| *cid == cb.id) {
                Some((_, original)) => format!("{}（原话：{original}）", cb.comment),
                None => cb.comment,
            };
            (fmt_ms(Some(cb.at)), result, comment)
        })
        .collect();
    let onsite_required = if matches!(c.stage, Stage::AwaitingVerification) {
        let row = st.app.visible_case(&p.user, id).await?;
        let campaign = st.app.campaign().await?;
        st.app.sampled_for_onsite(&row, &ducha_app::settings::CampaignSettings::of(&campaign)).await?
    } else {
        false
    };
    let can_correct = ducha_app::corrections::may_correct(&p.user) && !c.stage.is_terminal();
    let region_editable = matches!(c.stage, Stage::Received | Stage::ReturnedTeam);
    let mut regions = Vec::new();
    if can_correct && region_editable {
        for county in directory::regions_by_level(&st.app.store, "county").await? {
            let towns = directory::regions_under(&st.app.store, &county.code)
                .await?
                .into_iter()
                .filter(|r| r.level == "township")
                .map(|r| (r.code, r.short_name))
                .collect();
            regions.push((county.code, county.short_name, towns));
        }
    }
    let type_opts = ducha_app::triage::POLLUTION_TYPES
        .iter()
        .map(|t| (*t, c.pollution_types.iter().any(|x| x == t)))
        .collect();
    let sansan_opts =
        ducha_app::triage::SANSAN.iter().map(|t| (*t, c.sansan.as_deref() == Some(*t))).collect();
    let corrections = st
        .app
        .triage_corrections(&p.user, id)
        .await?
        .into_iter()
        .map(|r| {
            let label = match r.field.as_str() {
                "county_code" => "县（区）",
                "township_code" => "乡镇（街道）",
                "village_code" => "村（社区）",
                "pollution_types" => "污染类型",
                _ => "三散类别",
            };
            let show = |v: Option<String>| v.filter(|s| !s.is_empty()).unwrap_or_else(|| "（空）".into());
            (fmt_ms(Some(r.at_ms)), label, show(r.old_value), show(r.new_value))
        })
        .collect();
    let attachments = st
        .app
        .attachments(&p.user, id)
        .await?
        .into_iter()
        .map(|a| {
            let size = if a.size >= 1024 * 1024 {
                format!("{:.1} MB", a.size as f64 / 1048576.0)
            } else {
                format!("{} KB", (a.size + 1023) / 1024)
            };
            (a.id, a.filename, size, fmt_ms(Some(a.at)))
        })
        .collect();
    let can_attach = matches!(p.user.role, Role::Handler | Role::Office | Role::Team | Role::Operator);
    let page = CasePageT {
        attachments,
        can_attach,
        can_correct,
        region_editable,
        regions,
        type_opts,
        sansan_opts,
        corrections,
        report,
        report_editable: rv.editable,
        report_missing: rv.problems.len(),
        can_callback: closed && p.user.can_read_identity(),
        callbacks,
        remaining: c.due_at.filter(|_| !c.stage.is_terminal()).map(|d| st.app.remaining(d)),
        onsite_required,
        nav: Nav::of(p, "cases"),
        badge: badge(c.stage),
        received: fmt_ms(Some(c.received_at)),
        channel: match c.channel.as_str() {
            "phone" => "电话",
            "letter" => "来信",
            _ => "网络",
        },
        types: if c.pollution_types.is_empty() { "待定".into() } else { c.pollution_types.join("、") },
        due: fmt_ms(c.due_at),
        evidence,
        dup_label,
        identity_allowed: p.user.can_read_identity(),
        identity: identity.map(|(w, _)| {
            let f = |v: Option<String>| v.unwrap_or_else(|| "—".into());
            let contact = [w.email, w.handle].into_iter().flatten().collect::<Vec<_>>().join("；");
            (f(w.name), f(w.phone), f(w.address), f(w.id_number), f(Some(contact).filter(|c| !c.is_empty())))
        }),
        assignments,
        forms,
        targets: targets.into_iter().map(|(id, name)| (id, name, Some(id) == suggested_unit)).collect(),
        dup_suggestion,
        history,
        flash,
        error,
        c,
    };
    let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&page)?).into_response())
}

pub async fn case(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<CaseParams>,
) -> Result<Response, PageError> {
    let flash = match q.done.as_deref() {
        Some("intake") => {
            Some("受理登记完成。请向来电群众读回上方的受理编号，并告知将依法为其保密。".to_owned())
        }
        Some("attachment") => Some("附件已上传。附件仅作参考，不作为考核依据。".to_owned()),
        Some(d) => Action::parse(d).ok().map(|a| format!("已{}。", a.label())),
        None => None,
    };
    case_page(&st, &p, id, None, flash, None).await
}

pub async fn case_identity(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
    PageForm(f): PageForm<CsrfOnly>,
) -> Result<Response, PageError> {
    p.check_csrf(&f.csrf)?;
    let (who, comments) = st.app.read_identity_with_comments(&p.user, id).await?;
    case_page(&st, &p, id, Some((who.unwrap_or_default(), comments)), None, None).await
}

#[derive(Debug, Deserialize)]
pub struct ActFormData {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    action: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    expected_version: Option<String>,
    #[serde(default)]
    to_unit_id: Option<String>,
    #[serde(default)]
    finding: Option<String>,
    #[serde(default)]
    dup_of: Option<String>,
    #[serde(default)]
    urgent_reason: Option<String>,
    #[serde(default)]
    extension_days: Option<String>,
    #[serde(default)]
    approve: Option<String>,
    #[serde(default)]
    onsite: Option<String>,
    #[serde(default)]
    notes: Option<String>,
    /// Beijing wall-clock time from a `datetime-local` field.
    #[serde(default)]
    due_at: Option<String>,
}

pub async fn case_act(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
    PageForm(f): PageForm<ActFormData>,
) -> Result<Response, PageError> {
    p.check_csrf(&f.csrf)?;
    let num = |v: &Option<String>| {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty()).and_then(|s| s.parse::<i64>().ok())
    };
    let input = ActInput {
        action: f.action.clone(),
        reason: f.reason.clone(),
        expected_version: num(&f.expected_version),
        to_unit_id: num(&f.to_unit_id),
        co_unit_ids: Vec::new(),
        finding: f.finding.clone(),
        dup_of: f.dup_of.clone(),
        urgent_reason: f.urgent_reason.clone(),
        extension_days: f
            .extension_days
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .and_then(|s| s.parse().ok()),
        approve: f.approve.as_deref().map(|a| a == "yes"),
        onsite: Some(f.onsite.as_deref() == Some("on")),
        notes: f.notes.clone(),
        due_at: match f.due_at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(d) => Some(ducha_domain::deadline::parse_instant(d).map_err(AppError::from)?),
            None => None,
        },
    };
    match st.app.act(&p.user, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{id}?done={}", f.action.trim())).into_response()),
        Err(e) if e.code == "case_left_scope" => Ok(Redirect::to("/cases").into_response()),
        Err(e)
            if matches!(
                e.kind,
                ducha_app::error::ErrorKind::BadRequest
                    | ducha_app::error::ErrorKind::Conflict
                    | ducha_app::error::ErrorKind::Rule
                    | ducha_app::error::ErrorKind::Forbidden
            ) =>
        {
            case_page(&st, &p, id, None, None, Some(e.message)).await
        }
        Err(e) => Err(PageError(e)),
    }
}

/// The case page's triage-correction form (issue 3).
pub async fn case_triage(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
    axum::extract::RawForm(body): axum::extract::RawForm,
) -> Result<Response, PageError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|_| AppError::bad_request("invalid_form", "表单内容不完整或格式不正确"))?;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    p.check_csrf(&get("_csrf").unwrap_or_default())?;
    let types: Vec<String> = pairs.iter().filter(|(n, _)| n == "types").map(|(_, v)| v.clone()).collect();
    let input = ducha_app::corrections::TriageCorrectionInput {
        county_code: get("county_code"),
        township_code: get("township_code"),
        village_code: None,
        pollution_types: Some(types),
        sansan: Some(get("sansan").unwrap_or_default()),
        reason: get("reason"),
    };
    match st.app.correct_triage(&p.user, id, &input).await {
        Ok(changes) => {
            let flash = if changes.is_empty() {
                "分拣结果没有变化。".to_owned()
            } else {
                format!("已更正分拣结果（{} 项），更正记录已保存为标注数据。", changes.len())
            };
            case_page(&st, &p, id, None, Some(flash), None).await
        }
        Err(e)
            if matches!(
                e.kind,
                ducha_app::error::ErrorKind::BadRequest | ducha_app::error::ErrorKind::Conflict
            ) =>
        {
            case_page(&st, &p, id, None, None, Some(e.message)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The case page with an error notice (used by other modules' forms).
pub async fn case_page_with_error(
    st: &AppState,
    p: &PageUser,
    id: i64,
    error: String,
) -> Result<Response, PageError> {
    case_page(st, p, id, None, None, Some(error)).await
}
