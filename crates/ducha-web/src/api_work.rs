//! JSON API for batches, tasks, handling reports, verification follow-up, accountability, alerts,
//! metrics, the burden figures and the discipline channel.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::NaiveDate;
use ducha_app::AppError;
use ducha_app::batches::BatchSent;
use ducha_app::handling::{AccountabilityView, CallbackInput, DisciplineView, MetricsRow, ReportView};
pub use ducha_app::oversight::{AlertView, BurdenRow, TaskView};
use ducha_domain::accountability::{AccountabilityRecord, FaultTolerance};
use ducha_domain::discipline::DisciplineReport;
use ducha_domain::handling::HandlingReport;
use ducha_domain::role::Role;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, ApiUser};
use crate::ratelimit::{PublicPost, Throttle};

#[derive(Debug, Deserialize, ToSchema)]
pub struct SendBatchRequest {
    /// The answering day (Beijing date), e.g. `2023-12-14`.
    pub date: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchView {
    pub id: i64,
    pub number: i64,
    pub answering_date: String,
    pub due_at: Option<i64>,
    pub remaining: Option<String>,
    pub total: i64,
    pub closed: i64,
    pub partly_closed: i64,
    pub overdue: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SaveReportRequest {
    #[schema(value_type = Object)]
    pub report: HandlingReport,
    /// The report version you edited (omit on first save).
    #[serde(default)]
    pub expected_version: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallbackResultView {
    /// The answer sent the case back to the county for review.
    pub reopened_for_review: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkView {
    pub link: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IdView {
    pub id: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MetricsQuery {
    /// `county` (default) or `unit`.
    pub by: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/batches", tag = "batches", security(("bearer" = [])), request_body = SendBatchRequest,
    description = "督察组交办一个接听日的全部受理件（第N批），期限默认7个工作日。",
    responses((status = 201, body = BatchSent), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn send_batch(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(req): ApiJson<SendBatchRequest>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(st.app.send_batch(&u, req.date).await?)))
}

#[utoipa::path(get, path = "/api/v1/batches", tag = "batches", security(("bearer" = [])),
    responses((status = 200, body = Vec<BatchView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn batches(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<BatchView>>, ApiError> {
    if !matches!(u.level, ducha_domain::unit::UnitLevel::Team | ducha_domain::unit::UnitLevel::City) {
        return Err(AppError::forbidden("批次看板供督察组和市攻坚办使用").into());
    }
    Ok(Json(
        st.app
            .batch_board()
            .await?
            .into_iter()
            .map(|(b, total, closed, partly, overdue)| BatchView {
                remaining: b.due_at.map(|d| st.app.remaining(d)),
                id: b.id,
                number: b.number,
                answering_date: b.answering_date,
                due_at: b.due_at,
                total,
                closed,
                partly_closed: partly,
                overdue,
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/tasks", tag = "batches", security(("bearer" = [])),
    description = "本单位在办任务，含以工作日计的剩余时间。",
    responses((status = 200, body = Vec<TaskView>), (status = 401, body = ErrorBody)))]
pub async fn tasks(State(st): State<AppState>, ApiUser(u): ApiUser) -> Result<Json<Vec<TaskView>>, ApiError> {
    Ok(Json(st.app.task_list(&u).await?))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/report", tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, description = "case id")),
    responses((status = 200, body = ReportView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_report(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReportView>, ApiError> {
    Ok(Json(st.app.report_view(&u, id).await?))
}

#[utoipa::path(put, path = "/api/v1/cases/{id}/report", tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, description = "case id")), request_body = SaveReportRequest,
    description = "保存办理报告（可为草稿）。停产类措施须符合R1.1，民生行业须经第二级审批（R1.2）。",
    responses((status = 200, body = ReportView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_report(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<SaveReportRequest>,
) -> Result<Json<ReportView>, ApiError> {
    Ok(Json(st.app.save_report(&u, id, &req.report, req.expected_version).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/report/redact", tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, description = "case id")),
    description = "攻坚办隐去办理报告中的举报人信息：报告各文字项改为经身份防火墙处理后的文字（留痕）。用于解决信息公开草稿中列出的疑似举报人信息。",
    responses((status = 200, body = ReportView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn redact_report(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReportView>, ApiError> {
    Ok(Json(st.app.redact_report(&u, id).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/callbacks", tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, description = "case id")), request_body = CallbackInput,
    responses((status = 201, body = CallbackResultView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn callback(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<CallbackInput>,
) -> Result<impl IntoResponse, ApiError> {
    let reopened = st.app.operator_callback(&u, id, &req).await?;
    Ok((StatusCode::CREATED, Json(CallbackResultView { reopened_for_review: reopened })))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/callback-link", tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, description = "case id")),
    description = "生成签名、限时的回访链接并经短信网关发送给举报人（号码仅在发送时解密并留痕）。",
    responses((status = 201, body = LinkView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn callback_link(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(LinkView { link: st.app.send_callback_link(&u, id).await? })))
}

#[utoipa::path(get, path = "/api/v1/accountability", tag = "handling", security(("bearer" = [])),
    responses((status = 200, body = Vec<AccountabilityView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn accountability_list(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<AccountabilityView>>, ApiError> {
    Ok(Json(st.app.accountability_list(&u).await?.0))
}

#[utoipa::path(post, path = "/api/v1/accountability", tag = "handling", security(("bearer" = [])), request_body(content = Object, description = "AccountabilityRecord"),
    description = "录入问责记录（R4.1）；关联案件须调查属实或部分属实（R4.4）。",
    responses((status = 201, body = IdView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_accountability(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(r): ApiJson<AccountabilityRecord>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(IdView { id: st.app.add_accountability(&u, &r).await? })))
}

#[utoipa::path(post, path = "/api/v1/fault-tolerance", tag = "handling", security(("bearer" = [])), request_body(content = Object, description = "FaultTolerance"),
    description = "容错免责（R4.3）：须有通知所列情形之一、书面说明和审批人。",
    responses((status = 201, body = IdView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_fault_tolerance(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(f): ApiJson<FaultTolerance>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(IdView { id: st.app.add_fault_tolerance(&u, &f).await? })))
}

#[utoipa::path(get, path = "/api/v1/alerts", tag = "handling", security(("bearer" = [])),
    description = "疑似“一刀切”（R1.2）与“长停久治、久治不验”（R1.3）预警。",
    responses((status = 200, body = Vec<AlertView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn alerts(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<AlertView>>, ApiError> {
    Ok(Json(st.app.visible_alerts(&u).await?))
}

#[utoipa::path(post, path = "/api/v1/alerts/{id}/ack", tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, description = "alert id")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn ack_alert(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    st.app.acknowledge_alert(&u, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/metrics/outcomes", tag = "handling", security(("bearer" = [])), params(MetricsQuery),
    description = "响应率、解决率、满意率（满意+0.9×基本满意）/有效回访、按期率、重复举报率与综合评分（R5.4）。不统计照片、附件或材料数量。",
    responses((status = 200, body = Vec<MetricsRow>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn outcome_metrics(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiQuery(q): ApiQuery<MetricsQuery>,
) -> Result<Json<Vec<MetricsRow>>, ApiError> {
    let by_unit = match q.by.as_deref() {
        None | Some("county") => false,
        Some("unit") => true,
        Some(other) => {
            return Err(AppError::invalid("by", format!("分组方式“{other}”无效（county 或 unit）")).into());
        }
    };
    Ok(Json(st.app.outcome_metrics(&u, by_unit).await?))
}

#[utoipa::path(get, path = "/api/v1/burden", tag = "batches", security(("bearer" = [])),
    description = "基层减负：夜间暂缓送达、紧急送达、被拒绝的压缩期限、给予与实际使用的工作时间。",
    responses((status = 200, body = Vec<BurdenRow>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn burden(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<BurdenRow>>, ApiError> {
    if u.role == Role::Handler {
        return Err(AppError::forbidden("减负看板供各级攻坚办和督察组查看").into());
    }
    Ok(Json(st.app.burden_rows().await?))
}

#[utoipa::path(post, path = "/api/v1/discipline", tag = "discipline", request_body(content = Object, description = "DisciplineReport"),
    description = "反映督察组及其成员执行督察纪律情况（R6）。无需登录；联系方式加密保存，仅省督察办可见。",
    responses((status = 201, body = IdView), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, description = "too many reports from this address (`rate_limited`, with `Retry-After`)", body = ErrorBody)))]
pub async fn submit_discipline(
    _: Throttle<PublicPost>,
    State(st): State<AppState>,
    ApiJson(r): ApiJson<DisciplineReport>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(IdView { id: st.app.submit_discipline_report(r).await? })))
}

#[utoipa::path(get, path = "/api/v1/discipline", tag = "discipline", security(("bearer" = [])),
    responses((status = 200, body = Vec<DisciplineView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_discipline(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<DisciplineView>>, ApiError> {
    Ok(Json(st.app.discipline_reports(&u).await?))
}
