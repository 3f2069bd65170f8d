//! The home page of each role (工作台): cards with counts that link to the filtered lists, and the
//! one or two things that role does most — the operator's next call, the team's batch, a county's
//! reports to verify, a township's tasks with their due times in plain words.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use chrono::Datelike;
use ducha_app::lookups::CaseFilter;
use ducha_app::workbench::{HomeCard, HomeKind};
use ducha_domain::time::human_cst;
use ducha_domain::workflow::Stage;

use crate::AppState;
use crate::error::PageError;
use crate::extract::PageUser;
use crate::kit::{Nav, render};

#[derive(Debug)]
pub struct InboxItem {
    pub at: String,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
}

/// A short row in a panel: a link, a status, a note.
#[derive(Debug)]
pub struct PanelRow {
    pub href: String,
    pub title: String,
    pub status: String,
    pub note: String,
    /// `overdue`, `soon` or empty.
    pub tone: &'static str,
    /// A second action (the handling report).
    pub action: Option<(String, &'static str)>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    nav: Nav,
    kind: &'static str,
    date: String,
    campaign: Option<String>,
    cards: Vec<HomeCard>,
    /// (heading, rows, empty text, "more" link).
    panels: Vec<(String, Vec<PanelRow>, String, Option<(String, String)>)>,
    batch_note: Option<String>,
    inbox: Vec<InboxItem>,
}

fn fmt_ms(ms: i64) -> String {
    human_cst(ducha_domain::time::from_millis(ms))
}

const WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

fn kind_code(k: HomeKind) -> &'static str {
    match k {
        HomeKind::Operator => "operator",
        HomeKind::Team => "team",
        HomeKind::City => "city",
        HomeKind::County => "county",
        HomeKind::Handler => "handler",
        HomeKind::Opinion => "opinion",
        HomeKind::Provincial => "provincial",
        HomeKind::Admin => "admin",
    }
}

pub async fn home(State(st): State<AppState>, p: PageUser) -> Result<Html<String>, PageError> {
    let view = st.app.home_view(&p.user).await?;
    let today = view.today;
    let campaign = st.app.campaign().await.ok();
    let mut panels = Vec::new();
    let mut batch_note = None;
    let case_row = |c: &ducha_app::queries::CaseView, note: String| PanelRow {
        href: format!("/cases/{}", c.id),
        title: c.accept_no.clone(),
        status: c.stage_label.to_owned(),
        note,
        tone: "",
        action: None,
    };
    match view.kind {
        HomeKind::Operator | HomeKind::Team => {
            let start = ducha_domain::time::from_cst(today.and_hms_opt(0, 0, 0).unwrap_or_default());
            let f = CaseFilter { received_from: Some(start.timestamp_millis()), ..CaseFilter::default() };
            let page = st.app.list_cases(&p.user, f, 1, 8).await?;
            let rows = page
                .items
                .iter()
                .map(|c| {
                    let mut r = case_row(
                        c,
                        format!(
                            "{} · {}",
                            c.region_label,
                            c.text.as_str().chars().take(40).collect::<String>()
                        ),
                    );
                    if c.dup_of.is_some() {
                        r.status = format!("{}（疑似重复）", r.status);
                    }
                    r
                })
                .collect();
            panels.push((
                "今日受理".to_owned(),
                rows,
                "今天还没有受理登记。来电时按 Alt+N 或点击“受理登记”。".to_owned(),
                (page.total > 8).then(|| {
                    let d = today.format("%Y-%m-%d");
                    (format!("/cases?from={d}&to={d}"), format!("全部{}件", page.total))
                }),
            ));
            if view.kind == HomeKind::Team {
                let sent = st
                    .app
                    .batch_board()
                    .await?
                    .into_iter()
                    .find(|b| b.0.answering_date == today.format("%Y-%m-%d").to_string());
                batch_note = Some(match sent {
                    Some((b, total, ..)) => format!(
                        "今日批次已交办：第{}批，共{}件，办理期限{}。",
                        b.number,
                        total,
                        b.due_at.map(fmt_ms).unwrap_or_else(|| "—".into())
                    ),
                    None => "今日批次尚未交办。接听结束（20时）后，在“批次”页交办当日受理件。".to_owned(),
                });
            }
        }
        HomeKind::City | HomeKind::County => {
            let alerts = st.app.alerts_for(&p.user).await?;
            let rows = alerts
                .iter()
                .take(5)
                .map(|a| PanelRow {
                    href: "/alerts".into(),
                    title: a.title.clone(),
                    status: if a.acknowledged_at.is_some() { "已签收".into() } else { "待签收".into() },
                    note: a.summary.clone(),
                    tone: if a.acknowledged_at.is_none() { "overdue" } else { "" },
                    action: None,
                })
                .collect();
            panels.push((
                "预警".to_owned(),
                rows,
                "没有未解除的预警。".to_owned(),
                (alerts.len() > 5).then(|| ("/alerts".to_owned(), format!("全部{}条", alerts.len()))),
            ));
            if view.kind == HomeKind::County {
                let f = CaseFilter {
                    stages: vec![Stage::AwaitingVerification.code().into()],
                    ..CaseFilter::default()
                };
                let page = st.app.list_cases(&p.user, f, 1, 6).await?;
                let rows = page
                    .items
                    .iter()
                    .map(|c| {
                        case_row(
                            c,
                            format!(
                                "{} · {}",
                                c.region_label,
                                c.text.as_str().chars().take(40).collect::<String>()
                            ),
                        )
                    })
                    .collect();
                panels.push((
                    "待审核验收的办理报告".to_owned(),
                    rows,
                    "没有待验收的办理报告。".to_owned(),
                    (page.total > 6).then(|| {
                        ("/cases?stage=awaiting_verification".to_owned(), format!("全部{}件", page.total))
                    }),
                ));
            }
        }
        HomeKind::Handler => {
            let tasks = st.app.task_list(&p.user).await?;
            let rows = tasks
                .iter()
                .map(|t| {
                    let stage = Some(t.stage);
                    let overdue =
                        t.remaining.as_deref().is_some_and(|r| r.contains("超期") || r.contains("已到期"));
                    let soon = t.remaining.as_deref().is_some_and(|r| {
                        ["小时", "分钟", "即将到期", "还剩1个工作日"].iter().any(|w| r.contains(w))
                    });
                    let report = matches!(
                        stage,
                        Some(
                            Stage::Acknowledged
                                | Stage::Investigating
                                | Stage::Investigated
                                | Stage::Rectifying
                                | Stage::PartlyClosed
                        )
                    );
                    PanelRow {
                        href: format!("/cases/{}", t.case_id),
                        title: t.accept_no.clone(),
                        status: format!("{}（{}）", t.stage_label, t.role),
                        note: format!(
                            "{}{}",
                            t.remaining.clone().map(|r| format!("{r} · ")).unwrap_or_default(),
                            t.excerpt
                        ),
                        tone: if overdue {
                            "overdue"
                        } else if soon {
                            "soon"
                        } else {
                            ""
                        },
                        action: report.then(|| (format!("/cases/{}/report", t.case_id), "填写办理报告")),
                    }
                })
                .collect();
            panels.push((
                "我的任务".to_owned(),
                rows,
                "目前没有在办任务。新任务在工作时间送达（20时至次日8时不送达），到达后会出现在这里。"
                    .to_owned(),
                Some(("/tasks".to_owned(), "任务清单".to_owned())),
            ));
        }
        HomeKind::Admin => {
            let rows = crate::admin::SECTIONS
                .iter()
                .map(|s| PanelRow {
                    href: s.href.to_owned(),
                    title: s.title.to_owned(),
                    status: String::new(),
                    note: s.blurb.to_owned(),
                    tone: "",
                    action: None,
                })
                .collect();
            panels.push((
                "系统管理".to_owned(),
                rows,
                String::new(),
                Some(("/admin/".to_owned(), "进入系统管理".to_owned())),
            ));
        }
        HomeKind::Opinion | HomeKind::Provincial => {}
    }
    let inbox: Vec<InboxItem> = if view.kind == HomeKind::Provincial {
        Vec::new()
    } else {
        st.app
            .inbox(&p.user, 10)
            .await?
            .into_iter()
            .map(|m| {
                let payload: serde_json::Value = serde_json::from_str(&m.payload).unwrap_or_default();
                InboxItem {
                    at: fmt_ms(m.deliver_after),
                    link: payload.get("case_id").and_then(|v| v.as_i64()).map(|id| format!("/cases/{id}")),
                    subject: m.subject,
                    body: m.body,
                }
            })
            .collect()
    };
    let campaign = campaign
        .filter(|_| view.kind != HomeKind::Provincial)
        .map(|c| format!("{}：{}，进驻时间 {} 至 {}。", c.name, c.team_name, c.start_date, c.end_date));
    let date = format!(
        "{}年{}月{}日 星期{}",
        today.year(),
        today.month(),
        today.day(),
        WEEKDAYS[today.weekday().num_days_from_monday() as usize]
    );
    render(&HomePage {
        nav: Nav::of(&p, "home"),
        kind: kind_code(view.kind),
        date,
        campaign,
        cards: view.cards,
        panels,
        batch_note,
        inbox,
    })
}

/// Pending extension requests the user's unit decides (the level above the requester).
pub async fn extensions(State(st): State<AppState>, p: PageUser) -> Result<Html<String>, PageError> {
    use crate::pages_work::{Cell, TablePage};
    let mut page = TablePage::new(
        Nav::of(&p, "home"),
        "延期申请待审批",
        vec!["受理编号", "申请单位", "申请延期", "理由", "申请时间", "审批"],
        "没有待审批的延期申请。下级单位申请延期后会出现在这里，并发送站内通知。",
    );
    page.intro = Some("延期由上一级审批。同意后，新的办理期限按工作日顺延。".into());
    for (e, unit, accept_no) in st.app.extensions_to_decide(&p.user).await? {
        page.rows.push(vec![
            Cell::link(accept_no, format!("/cases/{}", e.case_id)),
            Cell::t(unit),
            Cell::t(format!("{}个工作日", e.requested_days)),
            Cell::t(e.reason),
            Cell::t(fmt_ms(e.requested_at)),
            Cell::link("去审批", format!("/cases/{}#h-act", e.case_id)),
        ]);
    }
    render(&page)
}
