//! The public-opinion desk's pages under `/yuqing/` (舆情): dashboard, item list and item page with
//! its workflow, manual entry, sources, the daily report (page and XLSX), the press-briefing export,
//! and the alerts a township, the team or the city office acknowledge. Templates escape by default.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use ducha_app::AppError;
use ducha_app::error::ErrorKind;
use ducha_app::lookups::{ItemFilter, ItemScope};
use ducha_app::opinion::items::{AckInput, AlertView, ItemActInput, ItemDetail, ItemView, ManualItemInput};
use ducha_app::opinion::report::{Briefing, DailyReport};
use ducha_app::opinion::sources::{SourceInput, SourceUpdate, SourceView};
use ducha_app::opinion::{desk_scope, report_scope};
use ducha_domain::role::Role;
use ducha_opinion::{ItemAction, ItemStatus, Level, SentimentLabel};
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{ApiPath, CsrfForm, PageUser};
use crate::kit::{excerpt, fmt_ms, render};
use crate::opinion_api::{ItemQuery, briefing_text_response, xlsx_response};
use crate::pages::Nav;

mod entry;
mod items;
mod report;
mod sources;
pub use entry::*;
pub use items::*;
pub use report::*;
pub use sources::*;

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
    if desk_scope(&p.user).is_ok() {
        let o = app.desk_overview(&p.user).await?;
        page.scope_label = o.scope_label;
        let counts = o.counts;
        for s in ItemStatus::ALL {
            let n: i64 = counts.iter().filter(|c| c.0 == s.code()).map(|c| c.2).sum();
            page.status_tiles.push(Tile {
                label: s.label().into(),
                count: n,
                link: format!("/yuqing/items?status={}", s.code()),
            });
        }
        for l in Level::ALL.iter().rev() {
            let n: i64 = counts
                .iter()
                .filter(|c| c.1 == l.code() && c.0 != ItemStatus::Handled.code())
                .map(|c| c.2)
                .sum();
            page.level_tiles.push(Tile {
                label: format!("{}（未处置）", l.label()),
                count: n,
                link: format!("/yuqing/items?level={}&status=new,assessed,alerted,escalated", l.code()),
            });
        }
        page.today_originals = o.today_originals;
        page.today_reposts = o.today_reposts;
        page.today_negative = o.today_negative;
        page.today = o.today;
        page.pending_acks = o.pending_acks.iter().map(|v| alert_row(v, &p)).collect();
        let urgent = app
            .list_opinion_items(
                &p.user,
                ItemFilter {
                    status: vec!["new".into(), "assessed".into()],
                    levels: vec!["critical".into(), "high".into()],
                    ..Default::default()
                },
                1,
                20,
            )
            .await?;
        page.urgent = urgent.items.iter().map(row_of).collect();
        let latest = app.list_opinion_items(&p.user, ItemFilter::default(), 1, 10).await?;
        page.latest = latest.items.iter().map(row_of).collect();
        for s in app.list_sources(&p.user).await? {
            if s.row.is_failing() {
                page.failing_sources.push((
                    s.row.id,
                    s.row.name.clone(),
                    s.row.last_error.clone().unwrap_or_default(),
                ));
            }
        }
    } else {
        let alerts = app.my_opinion_alerts(&p.user).await?;
        page.alerts = alerts.iter().map(|a| alert_row(a, &p)).collect();
    }
    render(&page)
}
