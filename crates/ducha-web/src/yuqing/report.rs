//! The daily report (page and XLSX) and the press-briefing export.

use super::*;

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
pub(super) struct ReportPage {
    pub(super) nav: Nav,
    pub(super) sub: Sub,
    pub(super) r: DailyReport,
    pub(super) generated: String,
    pub(super) change: String,
    pub(super) trend: Vec<TrendRow>,
    pub(super) key: Vec<ItemRowView>,
    pub(super) escalations: Vec<EscRow>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DateParams {
    pub(super) date: Option<String>,
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
pub(super) struct BriefingPage {
    pub(super) nav: Nav,
    pub(super) sub: Sub,
    pub(super) b: Briefing,
    pub(super) generated: String,
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

pub(super) const CSS: &str = include_str!("../../static/yuqing.css");

pub async fn css() -> impl IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}
