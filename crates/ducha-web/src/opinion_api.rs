//! The public-opinion JSON API under `/api/v1/opinion` (R3), documented in the OpenAPI document.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use ducha_app::AppError;
use ducha_app::lookups::ItemFilter;
use ducha_app::opinion::ingest::IngestReport;
use ducha_app::opinion::items::{AckInput, AlertView, ItemActInput, ItemDetail, ItemPage, ManualItemInput};
use ducha_app::opinion::poll::SourcePoll;
use ducha_app::opinion::report::{Briefing, DailyReport};
use ducha_app::opinion::sources::{SourceInput, SourceUpdate, SourceView};
use ducha_opinion::record::{RawItem, parse_csv, parse_jsonl};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, ApiUser};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemQuery {
    /// Status codes, comma-separated: `new`, `assessed`, `alerted`, `escalated`, `handled`.
    pub status: Option<String>,
    /// Level codes, comma-separated: `low`, `medium`, `high`, `critical`.
    pub level: Option<String>,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub source_id: Option<i64>,
    /// `negative`, `neutral` or `positive`.
    pub sentiment: Option<String>,
    /// Inclusive day bounds, `YYYY-MM-DD` (Beijing time).
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    /// Free text over title, text and outlet.
    pub q: Option<String>,
    /// Include near-identical reposts (left out by default).
    pub include_duplicates: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

fn list(v: &Option<String>) -> Vec<String> {
    v.as_deref()
        .map(|s| s.split(',').map(|x| x.trim().to_owned()).filter(|x| !x.is_empty()).collect())
        .unwrap_or_default()
}

fn opt(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn check_day(field: &str, v: &Option<String>) -> Result<Option<String>, AppError> {
    match opt(v) {
        None => Ok(None),
        Some(d) => chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
            .map(|_| Some(d.clone()))
            .map_err(|_| AppError::invalid(field, format!("日期格式应为 YYYY-MM-DD，收到“{d}”"))),
    }
}

impl ItemQuery {
    /// The store filter, every code checked.
    pub fn filter(&self) -> Result<ItemFilter, AppError> {
        let status = list(&self.status);
        for s in &status {
            ducha_opinion::ItemStatus::parse(s)?;
        }
        let levels = list(&self.level);
        for l in &levels {
            if ducha_opinion::Level::parse(l).is_none() {
                return Err(AppError::invalid("level", format!("未知的舆情等级“{l}”")));
            }
        }
        let sentiment = opt(&self.sentiment);
        if let Some(s) = &sentiment
            && ducha_opinion::SentimentLabel::parse(s).is_none()
        {
            return Err(AppError::invalid("sentiment", format!("未知的情感倾向“{s}”")));
        }
        Ok(ItemFilter {
            status,
            levels,
            county_code: opt(&self.county_code),
            township_code: opt(&self.township_code),
            source_id: self.source_id,
            sentiment,
            day_from: check_day("date_from", &self.date_from)?,
            day_to: check_day("date_to", &self.date_to)?,
            text: opt(&self.q),
            include_duplicates: self.include_duplicates.unwrap_or(false),
            ..ItemFilter::default()
        })
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DateQuery {
    /// `YYYY-MM-DD` (Beijing time); today by default.
    pub date: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `jsonl` (default) or `csv`.
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LinkInput {
    /// The case's accept number (or id).
    pub case: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportLineError {
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    pub report: IngestReport,
    /// Lines or rows that could not be read (the others were imported).
    pub errors: Vec<ImportLineError>,
}

/// Parse an export into items and per-line errors (shared with the import page and the CLI).
pub fn parse_export(format: &str, text: &str) -> Result<(Vec<RawItem>, Vec<ImportLineError>), AppError> {
    let results = match format {
        "jsonl" | "ndjson" | "" => parse_jsonl(text),
        "csv" => parse_csv(text).map_err(|e| AppError::bad_request(e.code(), e.to_string()))?,
        other => {
            return Err(AppError::invalid(
                "format",
                format!("不支持的导入格式“{other}”（应为 jsonl 或 csv）"),
            ));
        }
    };
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(i) => items.push(i),
            Err(ducha_opinion::OpinionError::Record { line, message }) => {
                errors.push(ImportLineError { line, message })
            }
            Err(e) => errors.push(ImportLineError { line: 0, message: e.to_string() }),
        }
    }
    Ok((items, errors))
}

#[utoipa::path(get, path = "/api/v1/opinion/items", tag = "opinion", security(("bearer" = [])), params(ItemQuery),
    responses((status = 200, body = ItemPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_items(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiQuery(q): ApiQuery<ItemQuery>,
) -> Result<Json<ItemPage>, ApiError> {
    Ok(Json(st.app.list_opinion_items(&u, q.filter()?, q.page.unwrap_or(1), q.per_page.unwrap_or(50)).await?))
}

#[utoipa::path(post, path = "/api/v1/opinion/items", tag = "opinion", security(("bearer" = [])), request_body = ManualItemInput,
    description = "An item entered by the opinion desk; analysed, de-duplicated and linked like any other.",
    responses((status = 201, body = ItemDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_item(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(input): ApiJson<ManualItemInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(st.app.create_opinion_item(&u, &input).await?)))
}

#[utoipa::path(get, path = "/api/v1/opinion/items/{id}", tag = "opinion", security(("bearer" = [])), params(("id" = i64, Path, description = "item id")),
    responses((status = 200, body = ItemDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_item(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ItemDetail>, ApiError> {
    Ok(Json(st.app.opinion_item(&u, id).await?))
}

#[utoipa::path(post, path = "/api/v1/opinion/items/{id}/actions", operation_id = "opinion_act", tag = "opinion", security(("bearer" = [])), params(("id" = i64, Path, description = "item id")), request_body = ItemActInput,
    description = "Assess, alert the township (quiet hours 20:00–08:00 respected; a 特别重大 item may override with a written reason), escalate a key item to the team with a copy to the city office, handle, reopen, or add a note.",
    responses((status = 200, body = ItemDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn act(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ItemActInput>,
) -> Result<Json<ItemDetail>, ApiError> {
    let d = st.app.opinion_act(&u, id, &input).await?;
    metrics::counter!("ducha_opinion_actions_total", "action" => input.action.trim().to_owned()).increment(1);
    Ok(Json(d))
}

#[utoipa::path(post, path = "/api/v1/opinion/items/{id}/links", tag = "opinion", security(("bearer" = [])), params(("id" = i64, Path, description = "item id")), request_body = LinkInput,
    responses((status = 200, body = ItemDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn link(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<LinkInput>,
) -> Result<Json<ItemDetail>, ApiError> {
    Ok(Json(st.app.link_opinion_case(&u, id, &input.case).await?))
}

#[utoipa::path(delete, path = "/api/v1/opinion/items/{id}/links/{case_id}", tag = "opinion", security(("bearer" = [])),
    params(("id" = i64, Path, description = "item id"), ("case_id" = i64, Path, description = "case id")),
    responses((status = 200, body = ItemDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unlink(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath((id, case_id)): ApiPath<(i64, i64)>,
) -> Result<Json<ItemDetail>, ApiError> {
    Ok(Json(st.app.unlink_opinion_case(&u, id, case_id).await?))
}

#[utoipa::path(post, path = "/api/v1/opinion/import", tag = "opinion", security(("bearer" = [])), params(ImportQuery),
    request_body(content = String, content_type = "text/plain", description = "A JSONL or CSV export (UTF-8), at most 1 MiB; use `ducha opinion import` for larger files."),
    responses((status = 200, body = ImportResult), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn import(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<ImportResult>, ApiError> {
    ducha_app::opinion::desk_scope(&u)?;
    // Over the 1 MiB request limit axum answered a plain-text 413 (found by probing the documented
    // limit): answer like every other API error instead.
    let body = body.map_err(|_| {
        AppError::bad_request(
            "body_too_large",
            "导入内容无法读取或超过 1 MiB 上限；较大的文件请用命令 ducha opinion import 导入",
        )
    })?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| AppError::bad_request("not_utf8", "导入内容应为 UTF-8 编码的文本"))?;
    let format = q.format.as_deref().map(str::trim).unwrap_or("jsonl").to_ascii_lowercase();
    let (items, errors) = parse_export(&format, text)?;
    let report = st.app.import_opinion_items(Some(&u), items).await?;
    Ok(Json(ImportResult { report, errors }))
}

#[utoipa::path(get, path = "/api/v1/opinion/sources", tag = "opinion", security(("bearer" = [])),
    responses((status = 200, body = Vec<SourceView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_sources(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<SourceView>>, ApiError> {
    Ok(Json(st.app.list_sources(&u).await?))
}

#[utoipa::path(post, path = "/api/v1/opinion/sources", tag = "opinion", security(("bearer" = [])), request_body = SourceInput,
    responses((status = 201, body = SourceView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_source(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(input): ApiJson<SourceInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(st.app.create_source(&u, &input).await?)))
}

#[utoipa::path(patch, path = "/api/v1/opinion/sources/{id}", tag = "opinion", security(("bearer" = [])), params(("id" = i64, Path, description = "source id")), request_body = SourceUpdate,
    description = "Change a source; `enabled: true` re-enables a source flagged failing (it is polled at once).",
    responses((status = 200, body = SourceView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_source(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<SourceUpdate>,
) -> Result<Json<SourceView>, ApiError> {
    Ok(Json(st.app.update_source(&u, id, &input).await?))
}

#[utoipa::path(post, path = "/api/v1/opinion/sources/{id}/poll", tag = "opinion", security(("bearer" = [])), params(("id" = i64, Path, description = "source id")),
    responses((status = 200, body = SourcePoll), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn poll_source(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SourcePoll>, ApiError> {
    Ok(Json(st.app.poll_source_now(&u, id).await?))
}

#[utoipa::path(get, path = "/api/v1/opinion/alerts", tag = "opinion", security(("bearer" = [])),
    description = "Alerts (townships), escalations (the team) and copies (the city office) delivered to the caller's unit.",
    responses((status = 200, body = Vec<AlertView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn my_alerts(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<AlertView>>, ApiError> {
    Ok(Json(st.app.my_opinion_alerts(&u).await?))
}

#[utoipa::path(post, path = "/api/v1/opinion/alerts/{id}/ack", operation_id = "opinion_ack_alert", tag = "opinion", security(("bearer" = [])), params(("id" = i64, Path, description = "alert id")), request_body = AckInput,
    responses((status = 200, body = AlertView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn ack_alert(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AckInput>,
) -> Result<Json<AlertView>, ApiError> {
    Ok(Json(st.app.acknowledge_opinion_alert(&u, id, &input).await?))
}

#[utoipa::path(get, path = "/api/v1/opinion/report", tag = "opinion", security(("bearer" = [])), params(DateQuery),
    responses((status = 200, body = DailyReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn report(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> Result<Json<DailyReport>, ApiError> {
    Ok(Json(st.app.opinion_daily_report(&u, q.date.as_deref()).await?))
}

/// The XLSX answer of a report (shared with the page route).
pub fn xlsx_response(r: &DailyReport) -> Result<Response, AppError> {
    let bytes = ducha_app::opinion::export::report_xlsx(r)?;
    let name = format!("yuqing-{}.xlsx", r.date);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}

/// The plain-text answer of a briefing (shared with the page route).
pub fn briefing_text_response(b: &Briefing) -> Response {
    let name = format!("fabuhui-koujing-{}.txt", b.date);
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        b.to_text(),
    )
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/opinion/report.xlsx", tag = "opinion", security(("bearer" = [])), params(DateQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The daily report as a workbook"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn report_xlsx(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> Result<Response, ApiError> {
    let r = st.app.opinion_daily_report(&u, q.date.as_deref()).await?;
    Ok(xlsx_response(&r)?)
}

#[utoipa::path(get, path = "/api/v1/opinion/briefing", tag = "opinion", security(("bearer" = [])), params(DateQuery),
    description = "Key facts per hot topic for a press conference, from the linked cases' redacted text, stage and finding; never the complainant.",
    responses((status = 200, body = Briefing), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn briefing(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> Result<Json<Briefing>, ApiError> {
    Ok(Json(st.app.opinion_briefing(&u, q.date.as_deref()).await?))
}

#[utoipa::path(get, path = "/api/v1/opinion/briefing.txt", tag = "opinion", security(("bearer" = [])), params(DateQuery),
    responses((status = 200, content_type = "text/plain", description = "The briefing as plain text"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn briefing_txt(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> Result<Response, ApiError> {
    let b = st.app.opinion_briefing(&u, q.date.as_deref()).await?;
    Ok(briefing_text_response(&b))
}
