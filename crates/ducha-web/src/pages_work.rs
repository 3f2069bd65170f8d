//! Staff pages for batches, tasks, alerts, burden, metrics, accountability and the discipline
//! channel, mostly rendered through one accessible table template.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use ducha_app::AppError;
use ducha_domain::role::Role;
use ducha_domain::unit::UnitLevel;
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{ApiPath, CsrfForm, PageUser};
use crate::kit::{Nav, fmt_ms, render};

#[derive(Debug, Default, Clone)]
pub struct Cell {
    pub text: String,
    pub link: Option<String>,
    pub badge: Option<String>,
    pub post: Option<(String, String)>,
}

impl Cell {
    pub fn t(text: impl Into<String>) -> Self {
        Cell { text: text.into(), ..Cell::default() }
    }
    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Self {
        Cell { text: text.into(), link: Some(href.into()), ..Cell::default() }
    }
    pub fn badge(text: impl Into<String>, class: &str) -> Self {
        Cell { text: text.into(), badge: Some(class.to_owned()), ..Cell::default() }
    }
    pub fn post(action: impl Into<String>, label: impl Into<String>) -> Self {
        Cell { post: Some((action.into(), label.into())), ..Cell::default() }
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub value: String,
    pub required: bool,
    pub options: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct InlineForm {
    pub action: String,
    pub submit: &'static str,
    pub fields: Vec<Field>,
}

#[derive(Debug, Template)]
#[template(path = "table.html")]
pub struct TablePage {
    pub nav: Nav,
    pub title: String,
    pub intro: Option<String>,
    pub flash: Option<String>,
    pub error: Option<String>,
    pub form: Option<InlineForm>,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    pub empty: String,
    pub notes: Vec<String>,
}

impl TablePage {
    pub fn new(nav: Nav, title: &str, headers: Vec<&'static str>, empty: &str) -> Self {
        TablePage {
            nav,
            title: title.into(),
            intro: None,
            flash: None,
            error: None,
            form: None,
            headers,
            rows: Vec::new(),
            empty: empty.into(),
            notes: Vec::new(),
        }
    }
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.1}%", x * 100.0)).unwrap_or_else(|| "—".into())
}

// ---- my tasks --------------------------------------------------------------------------------

pub async fn tasks(State(st): State<AppState>, p: PageUser) -> Result<Html<String>, PageError> {
    let mut page = TablePage::new(
        Nav::of(&p, "tasks"),
        "我的任务",
        vec!["受理编号", "状态", "主办/协办", "送达时间", "办理期限", "剩余时间", "举报内容"],
        "目前没有在办任务。新的交办件会在工作时间送达，并在这里和站内通知中出现。",
    );
    page.intro = Some(
        "期限按工作日计算（节假日和调休已计入）。20:00至次日08:00不会向乡镇（街道）和部门送达任务。".into(),
    );
    for t in st.app.task_list(&p.user).await? {
        let overdue = t.remaining.as_deref().is_some_and(|r| r.contains("超期"));
        page.rows.push(vec![
            Cell::link(t.accept_no, format!("/cases/{}", t.case_id)),
            Cell::t(t.stage_label),
            Cell::t(t.role),
            Cell::t(fmt_ms(t.delivered_at)),
            Cell::t(fmt_ms(t.due_at)),
            if overdue {
                Cell::badge(t.remaining.unwrap_or_default(), "overdue")
            } else {
                Cell::t(t.remaining.unwrap_or_else(|| "—".into()))
            },
            Cell::t(t.excerpt),
        ]);
    }
    render(&page)
}

// ---- batches ---------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct BatchForm {
    #[serde(default)]
    date: String,
}

async fn batch_page(
    st: &AppState,
    p: &PageUser,
    flash: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    if !matches!(p.user.level, UnitLevel::Team | UnitLevel::City) {
        return Err(PageError(AppError::forbidden("批次看板供督察组和市攻坚办使用")));
    }
    let mut page = TablePage::new(
        Nav::of(p, "batches"),
        "交办批次",
        vec!["批次", "接听日", "办理期限", "剩余时间", "案件数", "已办结", "阶段性办结", "超期"],
        "尚未交办批次。督察组每天将当日8时至20时受理的举报件作为一批交办市攻坚办。",
    );
    page.flash = flash;
    page.error = error;
    if p.user.role == Role::Team {
        let today = ducha_domain::time::to_cst(st.app.clock.now()).date_naive();
        page.form = Some(InlineForm {
            action: "/batches".into(),
            submit: "交办该日批次",
            fields: vec![Field {
                name: "date",
                label: "接听日",
                kind: "date",
                value: today.to_string(),
                required: true,
                options: Vec::new(),
            }],
        });
    }
    for (b, total, closed, partly, overdue) in st.app.batch_board().await? {
        page.rows.push(vec![
            Cell::link(format!("第{}批", b.number), format!("/cases?batch_id={}", b.id)),
            Cell::t(b.answering_date),
            Cell::t(fmt_ms(b.due_at)),
            Cell::t(b.due_at.map(|d| st.app.remaining(d)).unwrap_or_else(|| "—".into())),
            Cell::t(total.to_string()),
            Cell::t(closed.to_string()),
            Cell::t(partly.to_string()),
            if overdue > 0 { Cell::badge(overdue.to_string(), "overdue") } else { Cell::t("0") },
        ]);
    }
    Ok(render(&page)?.into_response())
}

pub async fn batches(State(st): State<AppState>, p: PageUser) -> Result<Response, PageError> {
    batch_page(&st, &p, None, None).await
}

pub async fn send_batch(
    State(st): State<AppState>,
    CsrfForm(p, f): CsrfForm<BatchForm>,
) -> Result<Response, PageError> {
    let date = match NaiveDate::parse_from_str(f.date.trim(), "%Y-%m-%d") {
        Ok(d) => d,
        Err(_) => {
            let mut r = batch_page(&st, &p, None, Some("接听日格式应为 2023-12-14".into())).await?;
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(r);
        }
    };
    match st.app.send_batch(&p.user, date).await {
        Ok(b) => {
            let kept = if b.kept.is_empty() {
                String::new()
            } else {
                format!("；{}件外地或重复件留督察组处理（{}）", b.kept.len(), b.kept.join("、"))
            };
            batch_page(
                &st,
                &p,
                Some(format!(
                    "已交办第{}批，共{}件，办理期限{}{kept}",
                    b.number,
                    b.assigned,
                    fmt_ms(b.due_at)
                )),
                None,
            )
            .await
        }
        // A refusal keeps its status (403, 422 …) while the board shows the message.
        Err(e) if e.kind != ducha_app::error::ErrorKind::Internal => {
            let status = crate::error::status_of(e.kind);
            let mut r = batch_page(&st, &p, None, Some(e.message)).await?;
            *r.status_mut() = status;
            Ok(r)
        }
        Err(e) => Err(PageError(e)),
    }
}

// ---- alerts ----------------------------------------------------------------------------------

pub async fn alerts(State(st): State<AppState>, p: PageUser) -> Result<Html<String>, PageError> {
    let mut page = TablePage::new(
        Nav::of(&p, "alerts"),
        "预警",
        vec!["类型", "层级", "摘要", "证据", "发出时间", "签收"],
        "暂无预警。系统自动监测疑似“一刀切”（同一县区同一行业短期内多家停产，或停产对象无群众举报）和“长停久治、久治不验”。",
    );
    for a in st.app.visible_alerts(&p.user).await? {
        let level = match a.level.as_str() {
            "county" => "县（区）",
            "city" => "市级",
            "team" => "督察组",
            _ => "—",
        };
        page.rows.push(vec![
            Cell::badge(a.title, "overdue"),
            Cell::t(level),
            Cell::t(a.summary),
            Cell::t(a.evidence.join("；")),
            Cell::t(fmt_ms(Some(a.created_at))),
            match a.acknowledged_at {
                Some(t) => Cell::t(format!("已签收 {}", fmt_ms(Some(t)))),
                None => Cell::post(format!("/alerts/{}/ack", a.id), "签收"),
            },
        ]);
    }
    render(&page)
}

pub async fn ack_alert(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm(p, _): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    st.app.acknowledge_alert(&p.user, id).await?;
    Ok(Redirect::to("/alerts").into_response())
}

// ---- burden ----------------------------------------------------------------------------------

pub async fn burden(State(st): State<AppState>, p: PageUser) -> Result<Html<String>, PageError> {
    if p.user.role == Role::Handler {
        return Err(PageError(AppError::forbidden("减负看板供各级攻坚办和督察组查看")));
    }
    let mut page = TablePage::new(
        Nav::of(&p, "burden"),
        "基层减负",
        vec![
            "单位",
            "层级",
            "收到任务",
            "夜间暂缓送达",
            "夜间紧急送达",
            "被拒绝的压缩期限",
            "平均给予工作时长",
            "平均实际用时",
        ],
        "暂无数据。",
    );
    page.intro = Some("按《通知》要求：避免基层干部熬夜接收任务，给直接负责查处整改的单位留足时间，禁止层层加码、级级提速。时长按工作时间计算（小时）。".into());
    for r in st.app.burden_rows().await? {
        let level = UnitLevel::parse(&r.level).map(|l| l.label()).unwrap_or("—");
        page.rows.push(vec![
            Cell::t(r.unit),
            Cell::t(level),
            Cell::t(r.tasks.to_string()),
            Cell::t(r.night_held.to_string()),
            if r.night_overrides > 0 {
                Cell::badge(r.night_overrides.to_string(), "overdue")
            } else {
                Cell::t("0")
            },
            if r.refused_compressions > 0 {
                Cell::badge(r.refused_compressions.to_string(), "overdue")
            } else {
                Cell::t("0")
            },
            Cell::t(r.hours_given.map(|h| format!("{h}")).unwrap_or_else(|| "—".into())),
            Cell::t(r.hours_used.map(|h| format!("{h}")).unwrap_or_else(|| "—".into())),
        ]);
    }
    render(&page)
}

// ---- outcome metrics -------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct MetricsParams {
    by: Option<String>,
}

pub async fn metrics(
    State(st): State<AppState>,
    p: PageUser,
    axum::extract::Query(q): axum::extract::Query<MetricsParams>,
) -> Result<Html<String>, PageError> {
    let by_unit = q.by.as_deref() == Some("unit");
    let mut page = TablePage::new(
        Nav::of(&p, "metrics"),
        if by_unit { "办理成效（按承办单位）" } else { "办理成效（按县区）" },
        vec![
            if by_unit { "承办单位" } else { "县（区）" },
            "案件数",
            "响应率",
            "解决率",
            "按期办结率",
            "满意率",
            "重复举报率",
            "综合评分",
        ],
        "暂无已交办到承办单位的案件。",
    );
    page.intro = Some("只看办理结果和群众评价：满意率 =（满意 + 0.9 × 基本满意）÷ 有效回访；综合评分 = 0.1×响应率 + 0.5×解决率 + 0.4×满意率。不统计照片、附件、材料数量（不以留痕论英雄）。".into());
    page.notes.push(if by_unit {
        "按县区查看：/tongji".into()
    } else {
        "按承办单位查看：/tongji?by=unit".into()
    });
    for r in st.app.outcome_metrics(&p.user, by_unit).await? {
        let m = &r.metrics;
        page.rows.push(vec![
            Cell::t(r.label),
            Cell::t(m.cases.to_string()),
            Cell::t(pct(m.response.value())),
            Cell::t(pct(m.resolution.value())),
            Cell::t(pct(m.on_time.value())),
            Cell::t(pct(m.satisfaction_rate())),
            Cell::t(pct(m.repeat.value())),
            Cell::t(m.composite.map(|c| format!("{:.1}", c * 100.0)).unwrap_or_else(|| "—".into())),
        ]);
    }
    render(&page)
}

// ---- discipline (provincial office) -----------------------------------------------------------

pub async fn discipline(State(st): State<AppState>, p: PageUser) -> Result<Html<String>, PageError> {
    let mut page = TablePage::new(
        Nav::of(&p, "discipline"),
        "督察纪律问题反映",
        vec!["编号", "收到时间", "问题类别", "反映对象", "具体情况"],
        "暂无反映。",
    );
    page.intro = Some("仅省督察办可见，每次查看均留痕。反映人联系方式加密保存。".into());
    for d in st.app.discipline_reports(&p.user).await? {
        let s = |k: &str| d.report.get(k).and_then(|v| v.as_str()).unwrap_or("").to_owned();
        let concern = d
            .report
            .get("concern")
            .and_then(|v| {
                serde_json::from_value::<ducha_domain::discipline::DisciplineConcern>(v.clone()).ok()
            })
            .map(|c| c.label().to_owned())
            .unwrap_or_else(|| s("concern"));
        page.rows.push(vec![
            Cell::t(d.id.to_string()),
            Cell::t(fmt_ms(Some(d.at))),
            Cell::t(concern),
            Cell::t(s("about")),
            Cell::t(s("facts")),
        ]);
    }
    render(&page)
}
