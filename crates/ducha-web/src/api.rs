//! The JSON API under `/api/v1`, described by the OpenAPI 3.1 document at `/api/openapi.json`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use ducha_app::auth::CurrentUser;
use ducha_app::intake::IntakeInput;
use ducha_app::queries::{CaseDetail, CasePage, CaseView, HistoryEntry};
use ducha_app::workflow::ActInput;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, ApiUser};
pub use crate::filters::CaseQuery;
use crate::ratelimit::{Login, Throttle};

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// Needed with cookie sessions on state-changing requests, as `X-CSRF-Token`.
    pub csrf_token: String,
    /// Milliseconds since the Unix epoch.
    pub expires_at: i64,
    pub user: MeView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub role_label: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub level: String,
    pub may_read_identity: bool,
}

impl From<&CurrentUser> for MeView {
    fn from(u: &CurrentUser) -> Self {
        MeView {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role.code().into(),
            role_label: u.role.label().into(),
            unit_id: u.unit.id,
            unit_name: u.unit.name.clone(),
            level: u.level.code().into(),
            may_read_identity: u.can_read_identity(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_id: Option<i64>,
    pub region_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionView {
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub level: String,
    pub parent_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignView {
    pub id: i64,
    pub name: String,
    pub team_name: String,
    pub start_date: String,
    pub end_date: String,
    pub hotlines: Vec<String>,
    pub postal_box: String,
    pub hours: String,
    pub round_no: i64,
    pub province_letters: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IdentityView {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub id_number: Option<String>,
    pub email: Option<String>,
    pub handle: Option<String>,
    /// What the complainant typed in callbacks, as typed (others read it through the identity
    /// firewall).
    pub callback_comments: Vec<CallbackOriginal>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallbackOriginal {
    pub callback_id: i64,
    pub comment: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegionQuery {
    /// Parent code; without it the county-level regions of the deployment are listed.
    pub parent: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/session", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    _: Throttle<Login>,
    State(st): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let out = st.app.login(&req.username, &req.password).await?;
    Ok(Json(LoginResponse {
        token: out.token,
        csrf_token: out.csrf,
        expires_at: out.expires_at,
        user: MeView::from(&out.user),
    }))
}

#[utoipa::path(delete, path = "/api/v1/session", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(st): State<AppState>,
    headers: axum::http::HeaderMap,
    ApiUser(_u): ApiUser,
) -> Result<StatusCode, ApiError> {
    // The session the request authenticated with: the bearer token, else the session cookie
    // (`ApiUser` accepts both, so both must end here).
    let bearer =
        headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let jar = axum_extra::extract::CookieJar::from_headers(&headers);
    let token = match bearer {
        Some(t) => Some(t.trim().to_owned()),
        None => jar.get(crate::extract::SESSION_COOKIE).map(|c| c.value().to_owned()),
    };
    if let Some(t) = token {
        st.app.logout(&t).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = MeView), (status = 401, body = ErrorBody)))]
pub async fn me(ApiUser(u): ApiUser) -> Json<MeView> {
    Json(MeView::from(&u))
}

#[utoipa::path(get, path = "/api/v1/campaign", tag = "directory", security(("bearer" = [])),
    responses((status = 200, body = CampaignView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn campaign(
    State(st): State<AppState>,
    ApiUser(_u): ApiUser,
) -> Result<Json<CampaignView>, ApiError> {
    let c = st.app.campaign().await?;
    Ok(Json(CampaignView {
        id: c.id,
        hotlines: serde_json::from_str(&c.hotlines).unwrap_or_default(),
        hours: format!("{}–{}", c.hours_start, c.hours_end),
        name: c.name,
        team_name: c.team_name,
        start_date: c.start_date,
        end_date: c.end_date,
        postal_box: c.postal_box,
        round_no: c.round_no,
        province_letters: c.province_letters,
    }))
}

#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", security(("bearer" = [])), params(CaseQuery),
    responses((status = 200, body = CasePage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_cases(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiQuery(q): ApiQuery<CaseQuery>,
) -> Result<Json<CasePage>, ApiError> {
    let f = q.filter_at(st.app.now_ms())?;
    Ok(Json(st.app.list_cases(&u, f, q.page.unwrap_or(1), q.per_page.unwrap_or(50)).await?))
}

#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", security(("bearer" = [])), request_body = IntakeInput,
    responses((status = 201, body = CaseView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_case(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(input): ApiJson<IntakeInput>,
) -> Result<impl IntoResponse, ApiError> {
    let v = st.app.intake(&u, &input).await?;
    metrics::counter!("ducha_intake_total", "channel" => v.channel.clone()).increment(1);
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", security(("bearer" = [])), params(("id" = i64, Path, description = "case id")),
    responses((status = 200, body = CaseDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_case(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CaseDetail>, ApiError> {
    Ok(Json(st.app.case_detail(&u, id).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/actions", tag = "cases", security(("bearer" = [])), params(("id" = i64, Path, description = "case id")), request_body = ActInput,
    responses((status = 200, body = CaseView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn act(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ActInput>,
) -> Result<Json<CaseView>, ApiError> {
    let v = st.app.act(&u, id, &input).await?;
    metrics::counter!("ducha_transitions_total", "action" => input.action.trim().to_owned()).increment(1);
    Ok(Json(v))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/history", tag = "cases", security(("bearer" = [])), params(("id" = i64, Path, description = "case id")),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<HistoryEntry>>, ApiError> {
    Ok(Json(st.app.case_history(&u, id).await?))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/identity", tag = "cases", security(("bearer" = [])), params(("id" = i64, Path, description = "case id")),
    description = "The complainant's identity. Only intake operators and the team may read it; every read is written to the audit trail.",
    responses((status = 200, body = IdentityView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn identity(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<IdentityView>, ApiError> {
    let (who, comments) = st.app.read_identity_with_comments(&u, id).await?;
    let who = who.unwrap_or_default();
    Ok(Json(IdentityView {
        name: who.name,
        phone: who.phone,
        address: who.address,
        id_number: who.id_number,
        email: who.email,
        handle: who.handle,
        callback_comments: comments
            .into_iter()
            .map(|(callback_id, comment)| CallbackOriginal { callback_id, comment })
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/units", tag = "directory", security(("bearer" = [])),
    responses((status = 200, body = Vec<UnitView>), (status = 401, body = ErrorBody)))]
pub async fn units(
    State(st): State<AppState>,
    ApiUser(_u): ApiUser,
) -> Result<Json<Vec<UnitView>>, ApiError> {
    Ok(Json(
        st.app
            .units()
            .await?
            .into_iter()
            .map(|u| UnitView {
                id: u.id,
                code: u.code,
                name: u.name,
                level: u.level.code().into(),
                parent_id: u.parent_id,
                region_code: u.region_code,
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/regions", tag = "directory", security(("bearer" = [])), params(RegionQuery),
    responses((status = 200, body = Vec<RegionView>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn regions(
    State(st): State<AppState>,
    ApiUser(_u): ApiUser,
    ApiQuery(q): ApiQuery<RegionQuery>,
) -> Result<Json<Vec<RegionView>>, ApiError> {
    let rows = match q.parent.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => st.app.regions_under(p).await?,
        None => st.app.counties().await?,
    };
    Ok(Json(
        rows.into_iter()
            .map(|r| RegionView {
                code: r.code,
                name: r.name,
                short_name: r.short_name,
                level: r.level.code().into(),
                parent_code: r.parent_code,
            })
            .collect(),
    ))
}

struct SecurityAddon;

impl utoipa::Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The error answers every operation can give, added to each operation so the document is complete
/// without repeating them in every annotation (all with the one error body, `ErrorBody`):
/// 400 when the operation takes parameters or a body (malformed path, query or JSON; the extractors
/// in `extract`), 415 when it takes a JSON body sent as another type, 401 when it needs a session,
/// 403 on state-changing operations (a cookie session without its CSRF token) and 500 everywhere
/// (an unexpected failure: a request id and a Chinese message, never internals).
struct ErrorResponses;

impl ErrorResponses {
    fn add(op: &mut utoipa::openapi::path::Operation, mutating: bool) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        let takes_input = op.request_body.is_some()
            || op.parameters.as_ref().is_some_and(|ps| {
                ps.iter().any(|p| {
                    matches!(p, RefOr::Ref(_))
                        || matches!(p, RefOr::T(p) if matches!(p.parameter_in, ParameterIn::Path | ParameterIn::Query))
                })
            });
        let json_body = op.request_body.as_ref().is_some_and(|b| match b {
            RefOr::T(b) => b.content.keys().any(|k| k.starts_with("application/json")),
            RefOr::Ref(_) => true,
        });
        let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
        let mut add = |status: &str, description: &str| {
            op.responses.responses.entry(status.to_owned()).or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description(description)
                        .content(
                            "application/json",
                            ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
                        )
                        .build(),
                )
            });
        };
        if takes_input {
            add(
                "400",
                "malformed path, query or body (`invalid_path`, `invalid_query`, `malformed_json`, …)",
            );
        }
        if json_body {
            add("415", "the body is not `application/json` (`unsupported_media_type`)");
        }
        if secured {
            add("401", "no valid session (`unauthenticated`)");
            if mutating {
                add("403", "not allowed for this role or unit, or a cookie session without `X-CSRF-Token`");
            }
        }
        add("500", "unexpected failure (logged with the request id; no internals in the answer)");
    }
}

impl utoipa::Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for (op, mutating) in [
                (&mut item.get, false),
                (&mut item.post, true),
                (&mut item.put, true),
                (&mut item.patch, true),
                (&mut item.delete, true),
            ] {
                if let Some(op) = op {
                    Self::add(op, mutating);
                }
            }
        }
    }
}

#[derive(Debug, OpenApi)]
#[openapi(
    info(title = "ducha 督察 API", version = "1", description = "群众举报受理、交办、办理、验收与公开。错误均以 {\"error\": {code, message}} 返回。"),
    paths(login, logout, me, campaign, list_cases, create_case, get_case, act, history, identity, units, regions,
        crate::api_work::send_batch, crate::api_work::batches, crate::api_work::tasks, crate::api_work::get_report, crate::api_work::save_report, crate::api_work::redact_report,
        crate::api_work::callback, crate::api_work::callback_link, crate::api_work::accountability_list, crate::api_work::add_accountability,
        crate::api_work::add_fault_tolerance, crate::api_work::alerts, crate::api_work::ack_alert, crate::api_work::outcome_metrics,
        crate::api_work::burden, crate::api_work::submit_discipline, crate::api_work::list_discipline,
        crate::opinion_api::list_items, crate::opinion_api::create_item, crate::opinion_api::get_item, crate::opinion_api::act,
        crate::opinion_api::link, crate::opinion_api::unlink, crate::opinion_api::import, crate::opinion_api::list_sources,
        crate::opinion_api::create_source, crate::opinion_api::update_source, crate::opinion_api::poll_source,
        crate::opinion_api::my_alerts, crate::opinion_api::ack_alert, crate::opinion_api::report, crate::opinion_api::report_xlsx,
        crate::opinion_api::briefing, crate::opinion_api::briefing_txt, crate::pages_intake::suggest, correct_triage, triage_corrections, corrections_jsonl, crate::attachments::upload, crate::attachments::list, crate::attachments::download,
        crate::admin::units::api_list, crate::admin::units::api_create, crate::admin::units::api_get, crate::admin::units::api_patch, crate::admin::units::api_retire, crate::admin::units::api_contacts,
        crate::admin::users::api_list, crate::admin::users::api_create, crate::admin::users::api_get, crate::admin::users::api_patch, crate::admin::users::api_disable, crate::admin::users::api_enable, crate::admin::users::api_reset,
        crate::admin::api_campaigns::list_campaigns, crate::admin::api_campaigns::create_campaign, crate::admin::api_campaigns::get_campaign, crate::admin::api_campaigns::update_campaign,
        crate::admin::holidays::api_list, crate::admin::holidays::api_import),
    components(schemas(ErrorBody, crate::attachments::AttachmentView, ducha_app::corrections::TriageCorrectionInput, ducha_app::corrections::CorrectionView, crate::pages_intake::SuggestRequest, ducha_app::workbench::Suggestion, ducha_app::workbench::SimilarCase, ducha_app::workbench::Place, LoginRequest, LoginResponse, MeView, CampaignView, UnitView, RegionView, IdentityView, CallbackOriginal, CaseView, CaseDetail, CasePage, HistoryEntry, ActInput, IntakeInput,
        ducha_app::opinion::items::ItemView, ducha_app::opinion::items::ItemPage, ducha_app::opinion::items::ItemDetail,
        ducha_app::opinion::items::ItemActInput, ducha_app::opinion::items::ManualItemInput, ducha_app::opinion::items::AlertView,
        ducha_app::opinion::items::AckInput, ducha_app::opinion::items::LinkedCaseView, ducha_app::opinion::sources::SourceInput,
        ducha_app::opinion::sources::SourceUpdate, ducha_app::opinion::sources::SourceView, ducha_app::opinion::poll::SourcePoll,
        ducha_app::opinion::ingest::IngestReport, ducha_app::opinion::report::DailyReport, ducha_app::opinion::report::Briefing,
        crate::opinion_api::LinkInput, crate::opinion_api::ImportResult, crate::opinion_api::ImportLineError,
        crate::admin::units::AdminUnitView, crate::admin::units::NewUnitRequest, crate::admin::units::UnitPatch, crate::admin::units::ContactsRequest,
        crate::admin::users::AdminUserView, crate::admin::users::PasswordIssuedView, crate::admin::users::NewUserRequest, crate::admin::users::RoleUnitRequest, crate::admin::users::PasswordResetRequest,
        ducha_app::campaigns::CampaignInput, ducha_app::campaigns::CampaignDetail, ducha_app::campaigns::CampaignState, crate::admin::api_campaigns::CampaignUpdateRequest,
        crate::admin::holidays::HolidaysView, ducha_app::holidays::HolidayImportInput, ducha_app::holidays::HolidayYearView, ducha_app::holidays::HolidayNoticeView, ducha_app::holidays::HolidayImportView)),
    modifiers(&SecurityAddon, &ErrorResponses),
    tags((name = "auth", description = "登录与会话"), (name = "cases", description = "案件"), (name = "directory", description = "督察、单位与区划"), (name = "batches", description = "批次、任务与基层减负"), (name = "handling", description = "办理报告、验收、回访、问责与预警"), (name = "discipline", description = "督察纪律监督"), (name = "opinion", description = "舆情监测、研判、预警与报送（R3）"), (name = "workbench", description = "工作台：受理辅助、统计与检索"), (name = "admin", description = "系统管理：督察轮次、单位、人员与节假日安排"))
)]
pub struct ApiDoc;

pub async fn openapi_json() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/triage-corrections", tag = "cases", security(("bearer" = [])), params(("id" = i64, Path, description = "case id")),
    request_body = ducha_app::corrections::TriageCorrectionInput,
    responses((status = 200, body = Vec<ducha_app::corrections::CorrectionView>, description = "the fields that changed"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn correct_triage(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ducha_app::corrections::TriageCorrectionInput>,
) -> Result<Json<Vec<ducha_app::corrections::CorrectionView>>, ApiError> {
    Ok(Json(st.app.correct_triage(&u, id, &input).await?))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/triage-corrections", tag = "cases", security(("bearer" = [])), params(("id" = i64, Path, description = "case id")),
    responses((status = 200, body = Vec<ducha_app::corrections::CorrectionView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn triage_corrections(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<ducha_app::corrections::CorrectionView>>, ApiError> {
    Ok(Json(st.app.triage_corrections(&u, id).await?))
}

#[utoipa::path(get, path = "/api/v1/triage/corrections.jsonl", tag = "cases", security(("bearer" = [])),
    responses((status = 200, content_type = "application/x-ndjson", body = String, description = "corrected cases as labelled JSONL (evaluation-set format, redacted text)"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn corrections_jsonl(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<impl IntoResponse, ApiError> {
    let body = st.app.corrections_jsonl(&u).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8")], body))
}
