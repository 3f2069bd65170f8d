//! The alerts a township, the team or the city office acknowledge, and the desk's sources.

use super::*;

// ---- alerts ----

#[derive(Template)]
#[template(path = "yuqing/alerts.html")]
pub(super) struct AlertsPage {
    pub(super) nav: Nav,
    pub(super) sub: Sub,
    pub(super) alerts: Vec<AlertRowView>,
    pub(super) flash: Option<String>,
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
    #[serde(default)]
    pub(super) note: Option<String>,
    #[serde(default)]
    pub(super) back: Option<String>,
}

pub async fn ack(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm(p, f): CsrfForm<AckForm>,
) -> Result<Response, PageError> {
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
pub(super) struct SourcesPage {
    pub(super) nav: Nav,
    pub(super) sub: Sub,
    pub(super) rows: Vec<SourceRowView>,
    pub(super) county_desk: bool,
    pub(super) county_options: Vec<(String, String, bool)>,
    pub(super) v: SourceFormData,
    pub(super) error: Option<String>,
    pub(super) flash: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SourceFormData {
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) url: String,
    #[serde(default)]
    pub(super) outlet: String,
    #[serde(default)]
    pub(super) county_code: String,
    #[serde(default)]
    pub(super) interval_min: String,
}

pub(super) async fn source_rows(
    st: &AppState,
    list: Vec<SourceView>,
) -> Result<Vec<SourceRowView>, PageError> {
    let mut rows = Vec::new();
    for s in list {
        let county = match &s.row.county_code {
            Some(c) => st.app.region_short_name(c).await?.unwrap_or_else(|| c.clone()),
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
            failing: s.row.is_failing(),
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

pub(super) async fn sources_page(
    st: &AppState,
    p: &PageUser,
    v: SourceFormData,
    error: Option<String>,
    flash: Option<String>,
) -> Result<Response, PageError> {
    let scope = desk_scope(&p.user)?;
    let list = st.app.list_sources(&p.user).await?;
    let counties = st.app.counties().await?;
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
    CsrfForm(p, f): CsrfForm<SourceFormData>,
) -> Result<Response, PageError> {
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
    pub(super) op: String,
}

pub async fn source_op(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm(p, f): CsrfForm<SourceOpForm>,
) -> Result<Response, PageError> {
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
