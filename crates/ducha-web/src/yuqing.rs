//! The public-opinion desk's pages under `/yuqing/` (舆情): dashboard, item list and item page with
//! its workflow, manual entry, sources, the daily report (page and XLSX), the press-briefing export,
//! and the alerts a township, the team or the city office acknowledge. Templates escape by default.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use ducha_app::AppError;
use ducha_app::error::ErrorKind;
use ducha_app::opinion::items::{AckInput, AlertView, ItemActInput, ItemDetail, ItemView, ManualItemInput};
use ducha_app::opinion::report::{Briefing, DailyReport};
use ducha_app::opinion::sources::{SourceInput, SourceUpdate, SourceView};
use ducha_app::opinion::{desk_scope, report_scope};
use ducha_domain::role::Role;
use ducha_domain::time::human_cst;
use ducha_opinion::{ItemAction, ItemStatus, Level, SentimentLabel};
use ducha_store::directory;
use ducha_store::opinion::{self as ostore, ItemScope};
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{ApiPath, PageForm, PageUser};
use crate::opinion_api::{ItemQuery, briefing_text_response, xlsx_response};
use crate::pages::Nav;

fn nav(p: &PageUser) -> Nav {
    Nav::of(p, "yuqing")
}

/// The desk's sub-navigation.
#[derive(Debug, Clone)]
pub struct Sub {
    pub desk: bool,
    pub report: bool,
    pub active: &'static str,
}

fn sub(p: &PageUser, active: &'static str) -> Sub {
    Sub { desk: desk_scope(&p.user).is_ok(), report: report_scope(&p.user).is_ok(), active }
}

fn render<T: Template>(t: &T) -> Result<Html<String>, PageError> {
    t.render().map(Html).map_err(|e| PageError(AppError::internal(format!("template: {e}"))))
}

fn fmt_ms(ms: Option<i64>) -> String {
    ms.map(|v| human_cst(ducha_domain::time::from_millis(v))).unwrap_or_else(|| "—".into())
}

fn excerpt(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

fn level_class(level: &str) -> &'static str {
    match level {
        "critical" => "returned",
        "high" => "overdue",
        "medium" => "",
        _ => "dup",
    }
}

fn opt(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// A row of an item table.
#[derive(Debug)]
pub struct ItemRowView {
    pub id: i64,
    pub title: String,
    pub level: &'static str,
    pub level_class: &'static str,
    pub status: &'static str,
    pub sentiment: &'static str,
    pub outlet: String,
    pub region: String,
    pub published: String,
    pub reposts: i64,
}

fn row_of(v: &ItemView) -> ItemRowView {
    ItemRowView {
        id: v.id,
        title: v.title.clone().unwrap_or_else(|| excerpt(&v.body, 60)),
        level: v.level_label,
        level_class: level_class(&v.level),
        status: v.status_label,
        sentiment: v.sentiment_label,
        outlet: v.outlet.clone().or_else(|| v.author.clone()).unwrap_or_else(|| "—".into()),
        region: v.region_label.clone(),
        published: fmt_ms(Some(v.published_at.unwrap_or(v.collected_at))),
        reposts: v.dup_count,
    }
}

/// An alert row with what the viewer may do.
#[derive(Debug)]
pub struct AlertRowView {
    pub id: i64,
    pub item_id: i64,
    pub item_title: String,
    pub kind: &'static str,
    pub unit: String,
    pub message: String,
    pub created: String,
    pub delivered: String,
    pub deferred: bool,
    pub override_reason: String,
    pub acknowledged: String,
    pub ack_note: String,
    pub can_ack: bool,
}

fn alert_row(a: &AlertView, viewer: &PageUser) -> AlertRowView {
    let role_ok = match a.kind.as_str() {
        "alert" => viewer.user.role == Role::Handler,
        "escalation" => viewer.user.role == Role::Team,
        "copy" => viewer.user.role == Role::Office,
        _ => false,
    };
    AlertRowView {
        id: a.id,
        item_id: a.item_id,
        item_title: a.item_title.clone(),
        kind: a.kind_label,
        unit: a.unit_name.clone(),
        message: a.message.clone(),
        created: fmt_ms(Some(a.created_at)),
        delivered: fmt_ms(Some(a.deliver_after)),
        deferred: a.deferred,
        override_reason: a.override_reason.clone().unwrap_or_default(),
        acknowledged: fmt_ms(a.acknowledged_at),
        ack_note: a.ack_note.clone().unwrap_or_default(),
        can_ack: role_ok && a.unit_id == viewer.user.unit.id && a.acknowledged_at.is_none(),
    }
}

// ---- dashboard ----

#[derive(Debug)]
pub struct Tile {
    pub label: String,
    pub count: i64,
    pub link: String,
}

#[derive(Template)]
#[template(path = "yuqing/home.html")]
struct HomePage {
    nav: Nav,
    sub: Sub,
    scope_label: String,
    status_tiles: Vec<Tile>,
    level_tiles: Vec<Tile>,
    today: String,
    today_originals: i64,
    today_reposts: i64,
    today_negative: i64,
    urgent: Vec<ItemRowView>,
    latest: Vec<ItemRowView>,
    failing_sources: Vec<(i64, String, String)>,
    pending_acks: Vec<AlertRowView>,
    alerts: Vec<AlertRowView>,
    flash: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneParams {
    done: Option<String>,
}

fn flash_of(done: &Option<String>) -> Option<String> {
    match done.as_deref() {
        Some("ack") => Some("已签收。".into()),
        Some("created") => Some("已录入并完成分析。".into()),
        Some("link") => Some("已关联案件。".into()),
        Some("unlink") => Some("已取消关联。".into()),
        Some("source") => Some("订阅源已保存。".into()),
        Some(a) => ItemAction::parse(a).ok().map(|a| format!("已{}。", a.label())),
        None => None,
    }
}

pub async fn home(
    State(st): State<AppState>,
    p: PageUser,
    Query(q): Query<DoneParams>,
) -> Result<Html<String>, PageError> {
    let app = &st.app;
    let sub = sub(&p, "home");
    let mut page = HomePage {
        nav: nav(&p),
        scope_label: String::new(),
        status_tiles: Vec::new(),
        level_tiles: Vec::new(),
        today: String::new(),
        today_originals: 0,
        today_reposts: 0,
        today_negative: 0,
        urgent: Vec::new(),
        latest: Vec::new(),
        failing_sources: Vec::new(),
        pending_acks: Vec::new(),
        alerts: Vec::new(),
        flash: flash_of(&q.done),
        sub,
    };
    if let Ok(scope) = desk_scope(&p.user) {
        page.scope_label = match &scope {
            ItemScope::County(c) => {
                directory::region(&app.store, c).await?.map(|r| r.short_name).unwrap_or_default()
            }
            _ => "全市".into(),
        };
        let counts = ostore::status_counts(&app.store, &scope).await?;
        for s in ItemStatus::ALL {
            let n: i64 = counts.iter().filter(|c| c.0 == s.code()).map(|c| c.2).sum();
            page.status_tiles.push(Tile {
                label: s.label().into(),
                count: n,
                link: format!("/yuqing/items?status={}", s.code()),
            });
        }
        for l in Level::ALL.iter().rev() {
            let n: i64 = counts.iter().filter(|c| c.1 == l.code() && c.0 != "handled").map(|c| c.2).sum();
            page.level_tiles.push(Tile {
                label: format!("{}（未处置）", l.label()),
                count: n,
                link: format!("/yuqing/items?level={}&status=new,assessed,alerted,escalated", l.code()),
            });
        }
        let today = ducha_domain::time::to_cst(app.clock.now()).format("%Y-%m-%d").to_string();
        for (_, o, r, n) in ostore::day_volumes(&app.store, &scope, &today, &today).await? {
            page.today_originals = o;
            page.today_reposts = r;
            page.today_negative = n;
        }
        page.today = today;
        let urgent = app
            .list_opinion_items(
                &p.user,
                ostore::ItemFilter {
                    status: vec!["new".into(), "assessed".into()],
                    levels: vec!["critical".into(), "high".into()],
                    ..Default::default()
                },
                1,
                20,
            )
            .await?;
        page.urgent = urgent.items.iter().map(row_of).collect();
        let latest = app.list_opinion_items(&p.user, ostore::ItemFilter::default(), 1, 10).await?;
        page.latest = latest.items.iter().map(row_of).collect();
        for s in app.list_sources(&p.user).await? {
            if s.row.status == "failing" {
                page.failing_sources.push((
                    s.row.id,
                    s.row.name.clone(),
                    s.row.last_error.clone().unwrap_or_default(),
                ));
            }
        }
        let now = app.now_ms();
        for a in ostore::unacknowledged(&app.store, &["alert", "escalation", "copy"], now).await? {
            if ostore::item_in_scope(&app.store, &scope, a.item_id).await? {
                let v = app.alert_view(a).await?;
                page.pending_acks.push(alert_row(&v, &p));
            }
        }
    } else {
        let alerts = app.my_opinion_alerts(&p.user).await?;
        page.alerts = alerts.iter().map(|a| alert_row(a, &p)).collect();
    }
    render(&page)
}

// ---- item list ----

#[derive(Template)]
#[template(path = "yuqing/items.html")]
struct ItemsPage {
    nav: Nav,
    sub: Sub,
    total: i64,
    rows: Vec<ItemRowView>,
    status_options: Vec<(String, String, bool)>,
    level_options: Vec<(String, String, bool)>,
    sentiment_options: Vec<(String, String, bool)>,
    county_options: Vec<(String, String, bool)>,
    f_from: String,
    f_to: String,
    f_q: String,
    f_dups: bool,
    has_filter: bool,
    page: i64,
    pages: i64,
    prev_link: Option<String>,
    next_link: Option<String>,
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
pub struct ItemsParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sentiment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    county_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    q: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dups: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<String>,
}

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

pub async fn items(
    State(st): State<AppState>,
    p: PageUser,
    Query(params): Query<ItemsParams>,
) -> Result<Html<String>, PageError> {
    let page = params.page.as_deref().and_then(|v| v.parse::<i64>().ok()).unwrap_or(1).max(1);
    let q = ItemQuery {
        status: opt(&params.status),
        level: opt(&params.level),
        county_code: opt(&params.county_code),
        sentiment: opt(&params.sentiment),
        date_from: opt(&params.date_from),
        date_to: opt(&params.date_to),
        q: opt(&params.q),
        include_duplicates: Some(params.dups.as_deref() == Some("1")),
        ..ItemQuery::default()
    };
    let res = st.app.list_opinion_items(&p.user, q.filter()?, page, 30).await?;
    let pages = ((res.total + res.per_page - 1) / res.per_page).max(1);
    let link = |pg: i64| {
        let mut pp = ItemsParams {
            status: opt(&params.status),
            level: opt(&params.level),
            sentiment: opt(&params.sentiment),
            county_code: opt(&params.county_code),
            date_from: opt(&params.date_from),
            date_to: opt(&params.date_to),
            q: opt(&params.q),
            dups: opt(&params.dups),
            page: None,
        };
        pp.page = Some(pg.to_string());
        format!("/yuqing/items?{}", serde_urlencoded::to_string(&pp).unwrap_or_default())
    };
    let counties = directory::regions_by_level(&st.app.store, "county").await?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    render(&ItemsPage {
        nav: nav(&p),
        sub: sub(&p, "items"),
        total: res.total,
        rows: res.items.iter().map(row_of).collect(),
        status_options: options(
            ItemStatus::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())),
            &params.status,
        ),
        level_options: options(
            Level::ALL.iter().rev().map(|l| (l.code().to_owned(), l.label().to_owned())),
            &params.level,
        ),
        sentiment_options: options(
            SentimentLabel::ALL.iter().map(|l| (l.code().to_owned(), l.label().to_owned())),
            &params.sentiment,
        ),
        county_options: options(counties.into_iter().map(|r| (r.code, r.short_name)), &params.county_code),
        f_from: s(&params.date_from),
        f_to: s(&params.date_to),
        f_q: s(&params.q),
        f_dups: params.dups.as_deref() == Some("1"),
        has_filter: [
            &params.status,
            &params.level,
            &params.sentiment,
            &params.county_code,
            &params.date_from,
            &params.date_to,
            &params.q,
        ]
        .iter()
        .any(|v| v.as_deref().is_some_and(|x| !x.is_empty())),
        page,
        pages,
        prev_link: (page > 1).then(|| link(page - 1)),
        next_link: (page < pages).then(|| link(page + 1)),
    })
}

// ---- one item ----

#[derive(Debug)]
pub struct SignalRow {
    pub label: String,
    pub points: String,
    pub evidence: String,
}

#[derive(Debug)]
pub struct CaseRowView {
    pub case_id: i64,
    pub accept_no: String,
    pub region: String,
    pub text: String,
    pub stage: &'static str,
    pub finding: String,
    pub evidence: String,
    pub origin: &'static str,
}

#[derive(Debug)]
pub struct NoteView {
    pub at: String,
    pub author: String,
    pub action: String,
    pub body: String,
}

#[derive(Debug)]
pub struct HistRow {
    pub at: String,
    pub actor: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "yuqing/item.html")]
struct ItemPageT {
    nav: Nav,
    sub: Sub,
    it: ItemView,
    level_class: &'static str,
    published: String,
    collected: String,
    signals: Vec<SignalRow>,
    enterprises: String,
    keywords: String,
    places: String,
    cases: Vec<CaseRowView>,
    alerts: Vec<AlertRowView>,
    notes: Vec<NoteView>,
    history: Vec<HistRow>,
    reposts: Vec<ItemRowView>,
    desk: bool,
    can: Vec<&'static str>,
    level_options: Vec<(String, String, bool)>,
    township_options: Vec<(String, String, bool)>,
    critical: bool,
    back: String,
    flash: Option<String>,
    error: Option<String>,
}

async fn item_page(
    st: &AppState,
    p: &PageUser,
    id: i64,
    flash: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let d: ItemDetail = st.app.opinion_item(&p.user, id).await?;
    let it = d.item;
    let desk = desk_scope(&p.user).is_ok();
    let townships = match it.county_code.as_deref() {
        Some(c) if c != "OUTSIDE" => directory::regions_under(&st.app.store, c).await?,
        _ => directory::regions_by_level(&st.app.store, "township").await?,
    };
    let township_options = townships
        .into_iter()
        .filter(|r| r.level == "township")
        .map(|r| {
            let sel = it.township_code.as_deref() == Some(r.code.as_str());
            (r.code, r.short_name, sel)
        })
        .collect();
    let page = ItemPageT {
        nav: nav(p),
        sub: sub(p, "items"),
        level_class: level_class(&it.level),
        published: fmt_ms(it.published_at),
        collected: fmt_ms(Some(it.collected_at)),
        signals: it
            .signals
            .iter()
            .map(|s| SignalRow {
                label: s.label.clone(),
                points: format!("{:+.1}", s.points),
                evidence: s.evidence.join("、"),
            })
            .collect(),
        enterprises: it.enterprises.iter().map(|e| e.name.clone()).collect::<Vec<_>>().join("、"),
        keywords: it.keywords.join("、"),
        places: it.place_evidence.join("、"),
        cases: d
            .linked_cases
            .iter()
            .map(|c| CaseRowView {
                case_id: c.case_id,
                accept_no: c.accept_no.clone(),
                region: c.region_label.clone(),
                text: excerpt(&c.text, 80),
                stage: c.stage_label,
                finding: c.finding.clone().unwrap_or_else(|| "—".into()),
                evidence: c.evidence.join("；"),
                origin: if c.origin == "manual" { "人工关联" } else { "自动匹配" },
            })
            .collect(),
        alerts: d.alerts.iter().map(|a| alert_row(a, p)).collect(),
        notes: d
            .notes
            .iter()
            .map(|n| NoteView {
                at: fmt_ms(Some(n.at)),
                author: n.author_name.clone(),
                action: ItemAction::parse(&n.action)
                    .map(|a| a.label().to_owned())
                    .unwrap_or_else(|_| "签收反馈".into()),
                body: n.body.clone(),
            })
            .collect(),
        history: d
            .history
            .iter()
            .map(|h| HistRow { at: fmt_ms(Some(h.at)), actor: h.actor.clone(), label: h.label.clone() })
            .collect(),
        reposts: d.reposts.iter().map(row_of).collect(),
        desk,
        can: it.actions.iter().map(|a| a.code()).collect(),
        level_options: Level::ALL
            .iter()
            .rev()
            .map(|l| (l.code().to_owned(), l.label().to_owned(), l.code() == it.level))
            .collect(),
        township_options,
        critical: it.level == "critical",
        back: format!("/yuqing/items/{}", it.id),
        flash,
        error,
        it,
    };
    let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&page)?).into_response())
}

pub async fn item(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<DoneParams>,
) -> Result<Response, PageError> {
    item_page(&st, &p, id, flash_of(&q.done), None).await
}

fn user_error(e: &AppError) -> bool {
    matches!(e.kind, ErrorKind::BadRequest | ErrorKind::Conflict | ErrorKind::Rule | ErrorKind::Forbidden)
}

#[derive(Debug, Deserialize)]
pub struct ActForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    action: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    township_code: Option<String>,
    #[serde(default)]
    override_reason: Option<String>,
    #[serde(default)]
    expected_version: Option<String>,
}

pub async fn item_act(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
    PageForm(f): PageForm<ActForm>,
) -> Result<Response, PageError> {
    p.check_csrf(&f.csrf)?;
    let input = ItemActInput {
        action: f.action.clone(),
        note: opt(&f.note),
        level: opt(&f.level),
        township_code: opt(&f.township_code),
        override_reason: opt(&f.override_reason),
        expected_version: opt(&f.expected_version).and_then(|v| v.parse().ok()),
    };
    match st.app.opinion_act(&p.user, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/yuqing/items/{id}?done={}", f.action.trim())).into_response()),
        Err(e) if user_error(&e) => item_page(&st, &p, id, None, Some(e.message)).await,
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Debug, Deserialize)]
pub struct LinkForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    case: String,
    #[serde(default)]
    case_id: Option<String>,
}

pub async fn item_link(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
    PageForm(f): PageForm<LinkForm>,
) -> Result<Response, PageError> {
    p.check_csrf(&f.csrf)?;
    match st.app.link_opinion_case(&p.user, id, &f.case).await {
        Ok(_) => Ok(Redirect::to(&format!("/yuqing/items/{id}?done=link")).into_response()),
        Err(e) if user_error(&e) => item_page(&st, &p, id, None, Some(e.message)).await,
        Err(e) => Err(PageError(e)),
    }
}

pub async fn item_unlink(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
    PageForm(f): PageForm<LinkForm>,
) -> Result<Response, PageError> {
    p.check_csrf(&f.csrf)?;
    let case_id = opt(&f.case_id)
        .and_then(|v| v.parse::<i64>().ok())
        .ok_or_else(|| AppError::invalid("case_id", "缺少案件编号"))?;
    match st.app.unlink_opinion_case(&p.user, id, case_id).await {
        Ok(_) => Ok(Redirect::to(&format!("/yuqing/items/{id}?done=unlink")).into_response()),
        Err(e) if user_error(&e) || e.kind == ErrorKind::NotFound && e.code == "link_not_found" => {
            item_page(&st, &p, id, None, Some(e.message)).await
        }
        Err(e) => Err(PageError(e)),
    }
}

// ---- manual entry ----

#[derive(Debug, Default, Deserialize)]
pub struct NewForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    outlet: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    platform: String,
    #[serde(default)]
    published_at: String,
    #[serde(default)]
    reposts: String,
    #[serde(default)]
    comments: String,
    #[serde(default)]
    likes: String,
    #[serde(default)]
    views: String,
}

#[derive(Template)]
#[template(path = "yuqing/new.html")]
struct NewPage {
    nav: Nav,
    sub: Sub,
    v: NewForm,
    error: Option<String>,
    platforms: Vec<(&'static str, &'static str)>,
}

const PLATFORMS: [(&str, &str); 7] = [
    ("weibo", "微博"),
    ("wechat", "微信公众号"),
    ("douyin", "抖音/短视频"),
    ("forum", "论坛/贴吧"),
    ("news", "新闻网站"),
    ("tv", "广播电视"),
    ("manual", "其他（群众反映等）"),
];

pub async fn new_form(p: PageUser) -> Result<Html<String>, PageError> {
    desk_scope(&p.user)?;
    render(&NewPage {
        nav: nav(&p),
        sub: sub(&p, "new"),
        v: NewForm { platform: "weibo".into(), ..NewForm::default() },
        error: None,
        platforms: PLATFORMS.to_vec(),
    })
}

pub async fn new_submit(
    State(st): State<AppState>,
    p: PageUser,
    PageForm(f): PageForm<NewForm>,
) -> Result<Response, PageError> {
    p.check_csrf(&f.csrf)?;
    // Only a desk may enter items: anyone else is refused (403), not shown the form again with 422.
    desk_scope(&p.user)?;
    let num = |s: &str| -> Result<Option<i64>, AppError> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        ducha_opinion::record::parse_count(s)
            .map(Some)
            .ok_or_else(|| AppError::invalid("reposts", format!("“{s}”不是有效的数字")))
    };
    let o = |s: &str| Some(s.trim().to_owned()).filter(|v| !v.is_empty());
    let input = (|| -> Result<ManualItemInput, AppError> {
        Ok(ManualItemInput {
            text: f.text.clone(),
            title: o(&f.title),
            url: o(&f.url),
            author: o(&f.author),
            outlet: o(&f.outlet),
            platform: o(&f.platform),
            published_at: o(&f.published_at),
            reposts: num(&f.reposts)?,
            comments: num(&f.comments)?,
            likes: num(&f.likes)?,
            views: num(&f.views)?,
        })
    })();
    let result = match input {
        Ok(i) => st.app.create_opinion_item(&p.user, &i).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(d) => Ok(Redirect::to(&format!("/yuqing/items/{}?done=created", d.item.id)).into_response()),
        Err(e) if user_error(&e) => {
            let page = NewPage {
                nav: nav(&p),
                sub: sub(&p, "new"),
                error: Some(e.message),
                platforms: PLATFORMS.to_vec(),
                v: f,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

// ---- alerts ----

#[derive(Template)]
#[template(path = "yuqing/alerts.html")]
struct AlertsPage {
    nav: Nav,
    sub: Sub,
    alerts: Vec<AlertRowView>,
    flash: Option<String>,
}

pub async fn alerts(
    State(st): State<AppState>,
    p: PageUser,
    Query(q): Query<DoneParams>,
) -> Result<Html<String>, PageError> {
    let list = st.app.my_opinion_alerts(&p.user).await?;
    render(&AlertsPage {
        nav: nav(&p),
        sub: sub(&p, "alerts"),
        alerts: list.iter().map(|a| alert_row(a, &p)).collect(),
        flash: flash_of(&q.done),
    })
}

#[derive(Debug, Deserialize)]
pub struct AckForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    back: Option<String>,
}

pub async fn ack(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
    PageForm(f): PageForm<AckForm>,
) -> Result<Response, PageError> {
    p.check_csrf(&f.csrf)?;
    st.app.acknowledge_opinion_alert(&p.user, id, &AckInput { note: opt(&f.note) }).await?;
    // Only back to one of our own pages.
    let back = opt(&f.back)
        .filter(|b| b.starts_with("/yuqing/") && !b.contains("//") && !b.contains('\\'))
        .unwrap_or_else(|| "/yuqing/alerts".into());
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{back}{sep}done=ack")).into_response())
}

// ---- sources ----

#[derive(Debug)]
pub struct SourceRowView {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub outlet: String,
    pub county: String,
    pub interval_min: i64,
    pub enabled: bool,
    pub failing: bool,
    pub status: &'static str,
    pub last_polled: String,
    pub last_success: String,
    pub failures: i64,
    pub last_error: String,
    pub items_total: i64,
    pub next_poll: String,
    pub last_outcome: String,
}

#[derive(Template)]
#[template(path = "yuqing/sources.html")]
struct SourcesPage {
    nav: Nav,
    sub: Sub,
    rows: Vec<SourceRowView>,
    county_desk: bool,
    county_options: Vec<(String, String, bool)>,
    v: SourceFormData,
    error: Option<String>,
    flash: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SourceFormData {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    outlet: String,
    #[serde(default)]
    county_code: String,
    #[serde(default)]
    interval_min: String,
}

async fn source_rows(st: &AppState, list: Vec<SourceView>) -> Result<Vec<SourceRowView>, PageError> {
    let mut rows = Vec::new();
    for s in list {
        let county = match &s.row.county_code {
            Some(c) => {
                directory::region(&st.app.store, c).await?.map(|r| r.short_name).unwrap_or_else(|| c.clone())
            }
            None => "全市".into(),
        };
        let last_outcome = s
            .recent_polls
            .first()
            .map(|p| match p.outcome.as_str() {
                "ok" => {
                    format!("成功：新增{}条，转载{}条，已收录{}条", p.items_new, p.items_dup, p.items_seen)
                }
                "not_modified" => "无更新（304）".into(),
                _ => format!("失败：{}", p.error.clone().unwrap_or_default()),
            })
            .unwrap_or_else(|| "—".into());
        rows.push(SourceRowView {
            id: s.row.id,
            name: s.row.name.clone(),
            url: s.row.url.clone(),
            outlet: s.row.outlet.clone().unwrap_or_default(),
            county,
            interval_min: s.row.interval_secs / 60,
            enabled: s.row.enabled != 0,
            failing: s.row.status == "failing",
            status: s.status_label,
            last_polled: fmt_ms(s.row.last_polled_at),
            last_success: fmt_ms(s.row.last_success_at),
            failures: s.row.consecutive_failures,
            last_error: s.row.last_error.clone().unwrap_or_default(),
            items_total: s.row.items_total,
            next_poll: fmt_ms(Some(s.row.next_poll_at)),
            last_outcome,
        });
    }
    Ok(rows)
}

async fn sources_page(
    st: &AppState,
    p: &PageUser,
    v: SourceFormData,
    error: Option<String>,
    flash: Option<String>,
) -> Result<Response, PageError> {
    let scope = desk_scope(&p.user)?;
    let list = st.app.list_sources(&p.user).await?;
    let counties = directory::regions_by_level(&st.app.store, "county").await?;
    let sel = Some(v.county_code.clone());
    let page = SourcesPage {
        nav: nav(p),
        sub: sub(p, "sources"),
        rows: source_rows(st, list).await?,
        county_desk: matches!(scope, ItemScope::County(_)),
        county_options: options(counties.into_iter().map(|r| (r.code, r.short_name)), &sel),
        v,
        flash,
        error,
    };
    let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&page)?).into_response())
}

pub async fn sources(
    State(st): State<AppState>,
    p: PageUser,
    Query(q): Query<DoneParams>,
) -> Result<Response, PageError> {
    let flash = match q.done.as_deref() {
        Some("poll") => Some("已采集一次，结果见下表。".into()),
        other => flash_of(&other.map(str::to_owned)),
    };
    sources_page(
        &st,
        &p,
        SourceFormData { interval_min: "15".into(), ..SourceFormData::default() },
        None,
        flash,
    )
    .await
}

pub async fn source_create(
    State(st): State<AppState>,
    p: PageUser,
    PageForm(f): PageForm<SourceFormData>,
) -> Result<Response, PageError> {
    p.check_csrf(&f.csrf)?;
    let interval = match f.interval_min.trim() {
        "" => Ok(None),
        v => v
            .parse::<i64>()
            .map(|m| Some(m.saturating_mul(60)))
            .map_err(|_| AppError::invalid("interval_secs", "采集间隔应为分钟数")),
    };
    let result = match interval {
        Ok(interval_secs) => {
            st.app
                .create_source(
                    &p.user,
                    &SourceInput {
                        name: f.name.clone(),
                        url: f.url.clone(),
                        outlet: Some(f.outlet.clone()),
                        county_code: Some(f.county_code.clone()),
                        interval_secs,
                    },
                )
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/yuqing/sources?done=source").into_response()),
        Err(e) if user_error(&e) => sources_page(&st, &p, f, Some(e.message), None).await,
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Debug, Deserialize)]
pub struct SourceOpForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    op: String,
}

pub async fn source_op(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
    PageForm(f): PageForm<SourceOpForm>,
) -> Result<Response, PageError> {
    p.check_csrf(&f.csrf)?;
    let result = match f.op.as_str() {
        "enable" => st
            .app
            .update_source(&p.user, id, &SourceUpdate { enabled: Some(true), ..SourceUpdate::default() })
            .await
            .map(|_| "source"),
        "disable" => st
            .app
            .update_source(&p.user, id, &SourceUpdate { enabled: Some(false), ..SourceUpdate::default() })
            .await
            .map(|_| "source"),
        "poll" => st.app.poll_source_now(&p.user, id).await.map(|_| "poll"),
        other => Err(AppError::invalid("op", format!("未知的操作“{other}”"))),
    };
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/yuqing/sources?done={done}")).into_response()),
        Err(e) if user_error(&e) => {
            sources_page(&st, &p, SourceFormData::default(), Some(e.message), None).await
        }
        Err(e) => Err(PageError(e)),
    }
}

// ---- daily report and briefing ----

#[derive(Debug)]
pub struct TrendRow {
    pub day: String,
    pub originals: i64,
    pub reposts: i64,
    pub negative: i64,
    pub max: i64,
}

#[derive(Debug)]
pub struct EscRow {
    pub item_id: i64,
    pub title: String,
    pub level: &'static str,
    pub at: String,
    pub team_ack: String,
    pub city_ack: String,
    pub status: &'static str,
    pub note: String,
}

#[derive(Template)]
#[template(path = "yuqing/report.html")]
struct ReportPage {
    nav: Nav,
    sub: Sub,
    r: DailyReport,
    generated: String,
    change: String,
    trend: Vec<TrendRow>,
    key: Vec<ItemRowView>,
    escalations: Vec<EscRow>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DateParams {
    date: Option<String>,
}

pub async fn report(
    State(st): State<AppState>,
    p: PageUser,
    Query(q): Query<DateParams>,
) -> Result<Html<String>, PageError> {
    let r = st.app.opinion_daily_report(&p.user, q.date.as_deref()).await?;
    let max = r.trend.iter().map(|d| d.originals + d.reposts).max().unwrap_or(0).max(1);
    let page = ReportPage {
        nav: nav(&p),
        sub: sub(&p, "report"),
        generated: fmt_ms(Some(r.generated_at)),
        change: r.volume.change_pct.map(|c| format!("{c:+.1}%")).unwrap_or_else(|| "—".into()),
        trend: r
            .trend
            .iter()
            .map(|d| TrendRow {
                day: d.day.clone(),
                originals: d.originals,
                reposts: d.reposts,
                negative: d.negative,
                max,
            })
            .collect(),
        key: r.key_items.iter().map(row_of).collect(),
        escalations: r
            .escalations
            .iter()
            .map(|e| EscRow {
                item_id: e.item_id,
                title: e.title.clone(),
                level: e.level_label,
                at: fmt_ms(Some(e.escalated_at)),
                team_ack: fmt_ms(e.team_acknowledged_at),
                city_ack: fmt_ms(e.city_acknowledged_at),
                status: e.status_label,
                note: e.latest_note.clone().unwrap_or_default(),
            })
            .collect(),
        r,
    };
    render(&page)
}

pub async fn report_xlsx(
    State(st): State<AppState>,
    p: PageUser,
    Query(q): Query<DateParams>,
) -> Result<Response, PageError> {
    let r = st.app.opinion_daily_report(&p.user, q.date.as_deref()).await?;
    Ok(xlsx_response(&r)?)
}

#[derive(Template)]
#[template(path = "yuqing/briefing.html")]
struct BriefingPage {
    nav: Nav,
    sub: Sub,
    b: Briefing,
    generated: String,
}

pub async fn briefing(
    State(st): State<AppState>,
    p: PageUser,
    Query(q): Query<DateParams>,
) -> Result<Html<String>, PageError> {
    let b = st.app.opinion_briefing(&p.user, q.date.as_deref()).await?;
    render(&BriefingPage {
        nav: nav(&p),
        sub: sub(&p, "briefing"),
        generated: fmt_ms(Some(b.generated_at)),
        b,
    })
}

pub async fn briefing_txt(
    State(st): State<AppState>,
    p: PageUser,
    Query(q): Query<DateParams>,
) -> Result<Response, PageError> {
    let b = st.app.opinion_briefing(&p.user, q.date.as_deref()).await?;
    Ok(briefing_text_response(&b))
}

const CSS: &str = include_str!("../static/yuqing.css");

pub async fn css() -> impl IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}
