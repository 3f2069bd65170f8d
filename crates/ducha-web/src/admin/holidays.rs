//! `/admin/holidays` and `/api/v1/admin/holidays`: the holiday years of the working-time calendar
//! (R5.3) — built in and imported, with their notices (文号, date) and who imported them — and the
//! import of a year's notice (rows in the layout of `data/holidays/cn.csv`). Administrators only.
//!
//! The page's form is `multipart/form-data`, so a CSV file can be chosen as well as pasted: the text
//! fields (`_csrf`, `year`, `doc_no`, `dated`, `replace`, `csv`) and an optional `file`, whose content,
//! when given, is used instead of the pasted text; the same fields without a file are accepted as a
//! plain form too. The CSRF token (exactly one) is checked once the body is read and before anything in
//! it is used, then the role, like every staff form. Handlers parse, call one use case
//! (`ducha_app::holidays`), render.

use askama::Template;
use axum::Json;
use axum::extract::{FromRequest, Multipart, Query, RawForm, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ducha_app::AppError;
use ducha_app::holidays::{HolidayImportInput, HolidayImportView, HolidayYearView};
use ducha_domain::time::{from_millis, human_cst};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{AdminApi, AdminNav, AdminPage};
use crate::AppState;
use crate::error::{ApiError, ErrorBody, PageError};
use crate::extract::{ApiJson, PageUser};
use crate::kit::{Nav, render_with_status};

/// Everything the page and `GET /api/v1/admin/holidays` show.
#[derive(Debug, Serialize, ToSchema)]
pub struct HolidaysView {
    /// Every year of the calendar in use, ascending (and stored years left out of it, with the reason).
    pub years: Vec<HolidayYearView>,
    /// Every import, newest first, the superseded ones too.
    pub imports: Vec<HolidayImportView>,
    /// Campaigns whose due times can soon reach a year without data (Chinese, one line each).
    pub warnings: Vec<String>,
}

async fn overview(st: &AppState, p: &ducha_app::auth::CurrentUser) -> Result<HolidaysView, AppError> {
    Ok(HolidaysView {
        years: st.app.holiday_years_as(p).await?,
        imports: st.app.holiday_imports_as(p).await?,
        warnings: st.app.calendar_warnings().await,
    })
}

#[utoipa::path(get, path = "/api/v1/admin/holidays", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = HolidaysView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn api_list(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
) -> Result<Json<HolidaysView>, ApiError> {
    Ok(Json(overview(&st, &u).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/holidays", tag = "admin", security(("bearer" = [])),
    request_body = HolidayImportInput,
    responses((status = 201, body = HolidayYearView, description = "the year as now in use"),
        (status = 400, body = ErrorBody, description = "a field malformed (`invalid_input`: year, doc_no, dated, csv)"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`holiday_year_exists`: the year is there already and `replace` was not given; `holiday_import_concurrent`"),
        (status = 422, body = ErrorBody, description = "`calendar_data_invalid`: the rows, every error listed in `details`")))]
pub async fn api_import(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
    ApiJson(input): ApiJson<HolidayImportInput>,
) -> Result<impl IntoResponse, ApiError> {
    let y = st.app.import_holidays(Some(&u), &input).await?;
    Ok((StatusCode::CREATED, Json(y)))
}

struct YearRow {
    year: i32,
    source: String,
    notices: String,
    holidays: usize,
    makeup_workdays: usize,
    imported: String,
    in_force: bool,
    problem: String,
}

struct ImportRow {
    year: i64,
    doc_no: String,
    dated: String,
    by: String,
    at: String,
    state: &'static str,
}

/// The form as typed, shown back after a refusal.
#[derive(Debug, Default)]
struct FormValues {
    year: String,
    doc_no: String,
    dated: String,
    csv: String,
    replace: bool,
}

#[derive(Template)]
#[template(path = "admin/holidays.html")]
struct HolidaysPage {
    nav: Nav,
    admin: AdminNav,
    years: Vec<YearRow>,
    imports: Vec<ImportRow>,
    warnings: Vec<String>,
    flash: Option<String>,
    error: Option<String>,
    error_details: Vec<String>,
    form: FormValues,
    example: &'static str,
}

const EXAMPLE: &str = "from,to,kind,name,doc_no\n2027-01-01,2027-01-03,holiday,元旦,\n2027-02-05,2027-02-13,holiday,春节,\n2027-02-20,2027-02-20,workday,春节,";

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<i32>,
}

async fn page_with(
    st: &AppState,
    p: &PageUser,
    status: StatusCode,
    flash: Option<String>,
    error: Option<AppError>,
    form: FormValues,
) -> Result<Response, PageError> {
    let v = overview(st, &p.user).await?;
    let years = v
        .years
        .into_iter()
        .map(|y| YearRow {
            year: y.year,
            source: if y.replaced_builtin {
                format!("{}（替换内置）", y.source_label)
            } else {
                y.source_label
            },
            notices: y
                .notices
                .iter()
                .map(|n| format!("{}（{}）", n.doc_no, n.dated))
                .collect::<Vec<_>>()
                .join("；"),
            holidays: y.holidays,
            makeup_workdays: y.makeup_workdays,
            imported: match (y.imported_by, y.imported_at) {
                (Some(by), Some(at)) => format!("{by}，{}", human_cst(from_millis(at))),
                _ => String::new(),
            },
            in_force: y.in_force,
            problem: y.problem.unwrap_or_default(),
        })
        .collect();
    let imports = v
        .imports
        .into_iter()
        .map(|i| ImportRow {
            year: i.year,
            doc_no: i.doc_no,
            dated: i.dated,
            by: i.imported_by,
            at: human_cst(from_millis(i.imported_at)),
            state: if i.superseded_at.is_some() { "已被替换" } else { "在用" },
        })
        .collect();
    let (error, error_details) = match error {
        Some(e) => (Some(e.message), e.details),
        None => (None, Vec::new()),
    };
    render_with_status(
        status,
        &HolidaysPage {
            nav: Nav::of(p, "admin"),
            admin: AdminNav { active: "holidays" },
            years,
            imports,
            warnings: v.warnings,
            flash,
            error,
            error_details,
            form,
            example: EXAMPLE,
        },
    )
}

/// `GET /admin/holidays`.
pub async fn page(
    State(st): State<AppState>,
    AdminPage(p): AdminPage,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let flash =
        q.done.map(|y| format!("已导入{y}年节假日安排，期限计算即时生效（其他服务实例在半分钟内生效）。"));
    page_with(&st, &p, StatusCode::OK, flash, None, FormValues::default()).await
}

/// The form's text fields, as sent without a file (`application/x-www-form-urlencoded`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PlainForm {
    year: String,
    doc_no: String,
    dated: String,
    csv: String,
    replace: Option<String>,
}

/// Only the CSRF token, read before the rest (a repeated or unreadable one is a wrong one).
#[derive(Debug, Default, Deserialize)]
struct CsrfOnly {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

fn invalid_form(detail: String) -> AppError {
    let mut e = AppError::bad_request("invalid_form", "表单内容不完整或格式不正确");
    e.details = vec![detail];
    e
}

/// A chosen file's content, if one was chosen: UTF-8 text, or why not.
type FileText = Option<Result<String, std::string::FromUtf8Error>>;

/// Read the form: `(csrf, fields, file content)`. Multipart (the page's form: text fields and an
/// optional file), or a plain form without a file. Nothing is judged here: the caller checks the token
/// first.
async fn read_form(st: &AppState, req: Request) -> Result<(String, FormValues, FileText), AppError> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"));
    if !multipart {
        let RawForm(bytes) =
            RawForm::from_request(req, st).await.map_err(|rej| invalid_form(rej.body_text()))?;
        let csrf = serde_html_form::from_bytes::<CsrfOnly>(&bytes).map(|f| f.csrf).unwrap_or_default();
        // The fields are read only once the token is known; a body that does not fit comes back empty
        // and is refused by the checks (after the token).
        let f = serde_html_form::from_bytes::<PlainForm>(&bytes).unwrap_or_default();
        let form = FormValues {
            year: f.year,
            doc_no: f.doc_no,
            dated: f.dated,
            csv: f.csv,
            replace: f.replace.is_some_and(|r| !r.is_empty()),
        };
        return Ok((csrf, form, None));
    }
    let bad = || AppError::bad_request("invalid_multipart", "请通过页面上的表单提交（multipart/form-data）");
    let mut m = Multipart::from_request(req, st).await.map_err(|_| bad())?;
    let (mut csrf, mut tokens, mut form, mut file) = (String::new(), 0, FormValues::default(), None);
    while let Some(field) = m.next_field().await.map_err(|_| bad())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let chosen = field.file_name().is_some_and(|n| !n.is_empty());
            let bytes = field.bytes().await.map_err(|_| bad())?;
            if chosen && !bytes.is_empty() {
                file = Some(String::from_utf8(bytes.to_vec()));
            }
            continue;
        }
        let text = field.text().await.map_err(|_| bad())?;
        match name.as_str() {
            "_csrf" => {
                tokens += 1;
                csrf = text;
            }
            "year" => form.year = text,
            "doc_no" => form.doc_no = text,
            "dated" => form.dated = text,
            "csv" => form.csv = text,
            "replace" => form.replace = !text.is_empty(),
            _ => {}
        }
    }
    if tokens != 1 {
        csrf.clear();
    }
    Ok((csrf, form, file))
}

/// `POST /admin/holidays`: import, then back to the list; a refusal shows the form again with what
/// was typed and every problem found. The CSRF token is checked first (a forged form learns nothing),
/// then the role.
pub async fn page_import(
    State(st): State<AppState>,
    p: PageUser,
    req: Request,
) -> Result<Response, PageError> {
    let (csrf, mut form, file) = read_form(&st, req).await?;
    p.check_csrf(&csrf)?;
    AdminPage::check(&p)?;
    match file {
        Some(Ok(text)) => form.csv = text,
        Some(Err(_)) => {
            let e =
                AppError::invalid("file", "文件应为 UTF-8 编码的 CSV（在 Excel/WPS 中另存为“CSV UTF-8”）");
            return page_with(&st, &p, StatusCode::BAD_REQUEST, None, Some(e), form).await;
        }
        None => {}
    }
    let year = match form.year.trim().parse::<i32>() {
        Ok(y) => y,
        Err(_) => {
            let e = AppError::invalid("year", "请填写四位数的年份，如 2027");
            return page_with(&st, &p, StatusCode::BAD_REQUEST, None, Some(e), form).await;
        }
    };
    let input = HolidayImportInput {
        year,
        doc_no: form.doc_no.clone(),
        dated: form.dated.clone(),
        csv: form.csv.clone(),
        replace: form.replace,
    };
    match st.app.import_holidays(Some(&p.user), &input).await {
        Ok(y) => Ok(Redirect::to(&format!("/admin/holidays?done={}", y.year)).into_response()),
        Err(e)
            if e.kind != ducha_app::error::ErrorKind::Internal
                && e.kind != ducha_app::error::ErrorKind::Forbidden =>
        {
            let status = crate::error::status_of(e.kind);
            page_with(&st, &p, status, None, Some(e), form).await
        }
        Err(e) => Err(e.into()),
    }
}
