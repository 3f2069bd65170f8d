//! Staff pages of the publication workflow (draft → review → publish, corrections) and the R2.6
//! disclosure-gap dashboard. Handlers parse, call one use case, render.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use ducha_app::AppError;
use ducha_domain::disclosure::PubStatus;
use ducha_domain::role::Role;
use ducha_domain::time::human_cst;
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{ApiPath, CsrfForm, PageUser};
use crate::pages::Nav;

fn nav(p: &PageUser) -> Nav {
    Nav::of(p, "disclosure")
}

struct VersionRow {
    id: i64,
    version: i64,
    status: &'static str,
    note: String,
    updated: String,
    /// (case id, accept number, field, kind, firewalled context) of what the firewall found.
    hits: Vec<(Option<i64>, String, String, String, String)>,
}

struct BatchRow {
    batch_id: i64,
    number: i64,
    answering_date: String,
    cases: usize,
    versions: Vec<VersionRow>,
    /// The unpublished version, if any.
    open_id: Option<i64>,
    open_status: &'static str,
    published: bool,
}

#[derive(Template)]
#[template(path = "gongkai/staff.html")]
struct StaffPage {
    nav: Nav,
    column_name: String,
    public_link: String,
    batches: Vec<BatchRow>,
    flash: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct StaffParams {
    done: Option<String>,
}

async fn staff_page(
    st: &AppState,
    p: &PageUser,
    flash: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let (column, batches) = st.app.staff_batches(&p.user).await?;
    let rows = batches
        .into_iter()
        .map(|b| {
            let open = b.versions.iter().find(|v| v.status != PubStatus::Published);
            BatchRow {
                batch_id: b.batch_id,
                number: b.number,
                answering_date: b.answering_date,
                cases: b.cases,
                open_id: open.map(|v| v.id),
                open_status: open.map(|v| v.status.label()).unwrap_or(""),
                published: b.versions.iter().any(|v| v.status == PubStatus::Published),
                versions: b
                    .versions
                    .iter()
                    .map(|v| VersionRow {
                        id: v.id,
                        version: v.version,
                        status: v.status.label(),
                        note: v.note.clone(),
                        updated: human_cst(v.updated_at),
                        hits: v
                            .identity_hits
                            .iter()
                            .map(|h| {
                                (
                                    h.case_id,
                                    h.accept_no.clone(),
                                    h.field.clone(),
                                    h.kind.clone(),
                                    h.context.clone(),
                                )
                            })
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    let page = StaffPage {
        nav: nav(p),
        public_link: crate::public::home(&column),
        column_name: column.name,
        batches: rows,
        flash,
        error: error.clone(),
    };
    let html = page.render().map_err(|e| PageError(AppError::internal(format!("template: {e}"))))?;
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok((status, Html(html)).into_response())
}

/// `GET /disclosure/`.
pub async fn staff(
    State(st): State<AppState>,
    p: PageUser,
    Query(q): Query<StaffParams>,
) -> Result<Response, PageError> {
    let flash = match q.done.as_deref() {
        Some("draft") => Some("草稿已生成，请核对后审核。".to_owned()),
        Some("review") => Some("已审核，可以发布。".to_owned()),
        Some("publish") => Some("已发布。内容哈希已记入审计链，公众专栏已更新。".to_owned()),
        Some("correct") => Some("更正版本已生成，请核对后审核发布。".to_owned()),
        Some("discard") => Some("已放弃该版本。".to_owned()),
        Some("redacted") => Some(
            "已隐去该办理报告中的举报人信息（已留痕）。请“按最新数据重新生成”草稿后审核发布。".to_owned(),
        ),
        _ => None,
    };
    staff_page(&st, &p, flash, None).await
}

#[derive(Debug, Deserialize)]
pub struct StepForm {
    #[serde(default)]
    note: String,
}

async fn after(
    st: &AppState,
    p: &PageUser,
    done: &str,
    r: Result<(), AppError>,
) -> Result<Response, PageError> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/disclosure/?done={done}")).into_response()),
        Err(e)
            if e.kind != ducha_app::error::ErrorKind::Internal
                && e.kind != ducha_app::error::ErrorKind::NotFound =>
        {
            staff_page(st, p, None, Some(e.message)).await
        }
        Err(e) => Err(PageError(e)),
    }
}

/// `POST /disclosure/batch/{batch_id}/draft`.
pub async fn draft(
    State(st): State<AppState>,
    ApiPath(batch_id): ApiPath<i64>,
    CsrfForm(p, _): CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    let r = st.app.draft_disclosure(&p.user, batch_id).await.map(|_| ());
    after(&st, &p, "draft", r).await
}

/// `POST /disclosure/batch/{batch_id}/correct`.
pub async fn correct(
    State(st): State<AppState>,
    ApiPath(batch_id): ApiPath<i64>,
    CsrfForm(p, f): CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    let r = st.app.correct_disclosure(&p.user, batch_id, &f.note).await.map(|_| ());
    after(&st, &p, "correct", r).await
}

/// `POST /disclosure/{id}/review`.
pub async fn review(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm(p, _): CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    let r = st.app.review_disclosure(&p.user, id).await.map(|_| ());
    after(&st, &p, "review", r).await
}

/// `POST /disclosure/{id}/publish`: also empties this instance's public cache.
pub async fn publish(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm(p, _): CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    let r = st.app.publish_disclosure(&p.user, id).await.map(|_| ());
    if r.is_ok() {
        st.public.clear();
    }
    after(&st, &p, "publish", r).await
}

/// `POST /disclosure/{id}/discard`.
pub async fn discard(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm(p, _): CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    let r = st.app.discard_disclosure(&p.user, id).await;
    after(&st, &p, "discard", r).await
}

/// `POST /cases/{id}/report/redact`: hide what the firewall found in a case's handling report (from
/// the list of a draft's identity hits).
pub async fn redact_report(
    State(st): State<AppState>,
    ApiPath(case_id): ApiPath<i64>,
    CsrfForm(p, _): CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    let r = st.app.redact_report(&p.user, case_id).await.map(|_| ());
    after(&st, &p, "redacted", r).await
}

/// `GET /disclosure/{id}`: the version as the public would see it, marked when unpublished.
pub async fn preview(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    let v = st.app.disclosure_for_staff(&p.user, id).await?;
    let idx = st.app.public_column(v.doc.column.county_code.as_deref()).await?;
    let base = st.app.cfg.public_base_url.trim_end_matches('/').to_owned();
    let html = crate::public::batch_page(&idx, &v, &base, v.status != PubStatus::Published)?;
    Ok(Html(html).into_response())
}

struct GapRow {
    accept_no: String,
    column: String,
    batch: u32,
    assigned: String,
    due: String,
    open: bool,
    disclosed: String,
    hours: i64,
}

#[derive(Template)]
#[template(path = "gongkai/gaps.html")]
struct GapsPage {
    nav: Nav,
    days: u32,
    open_count: usize,
    warnings: Vec<String>,
    rows: Vec<GapRow>,
}

/// `GET /disclosure/gaps`: R2.6, for the city office (every column) and county offices (their own).
pub async fn gaps(State(st): State<AppState>, p: PageUser) -> Result<Response, PageError> {
    if !matches!(p.user.role, Role::Office | Role::Team | Role::Admin) {
        return Err(PageError(AppError::forbidden("只有督察组和市、县（区）攻坚办可以查看公开时限检查")));
    }
    let report = st.app.disclosure_check().await?;
    let own = match p.user.level {
        ducha_domain::unit::UnitLevel::County => p.user.unit.region_code.clone(),
        _ => None,
    };
    let mut names = std::collections::HashMap::new();
    for c in st.app.county_columns().await? {
        if let Some(code) = c.county_code {
            names.insert(code, c.name);
        }
    }
    let rows: Vec<GapRow> = report
        .gaps
        .iter()
        .filter(|g| own.as_deref().is_none_or(|o| o == g.column))
        .map(|g| GapRow {
            accept_no: g.accept_no.clone(),
            column: names.get(&g.column).cloned().unwrap_or_else(|| g.column.clone()),
            batch: g.batch_number,
            assigned: human_cst(g.assigned_at),
            due: human_cst(g.due_at),
            open: g.is_open(),
            disclosed: g.disclosed_at.map(human_cst).unwrap_or_default(),
            hours: g.hours_late,
        })
        .collect();
    let page = GapsPage {
        nav: nav(&p),
        days: st.app.cfg.public.disclosure_days.max(1),
        open_count: rows.iter().filter(|r| r.open).count(),
        warnings: report.warnings,
        rows,
    };
    let html = page.render().map_err(|e| PageError(AppError::internal(format!("template: {e}"))))?;
    Ok(Html(html).into_response())
}
