//! `/api/v1/admin/campaigns…`: the campaigns (督察轮次) for the system administrator. Each handler
//! parses, calls one `ducha_app::campaigns` use case, answers.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ducha_app::campaigns::{CampaignDetail, CampaignInput};
use serde::Deserialize;
use utoipa::ToSchema;

use super::AdminApi;
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};

/// An edit: the version read (from `GET`) and the whole campaign as it should be.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignUpdateRequest {
    /// The `version` of the campaign the edit is based on; a newer one refuses with `stale_version`.
    pub version: i64,
    pub campaign: CampaignInput,
}

#[utoipa::path(get, path = "/api/v1/admin/campaigns", tag = "admin", security(("bearer" = [])),
    description = "全部督察轮次（含状态、已受理件数、是否已发出受理编号），按创建先后。仅系统管理员。",
    responses((status = 200, body = Vec<CampaignDetail>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_campaigns(
    State(st): State<AppState>,
    AdminApi(_u): AdminApi,
) -> Result<Json<Vec<CampaignDetail>>, ApiError> {
    Ok(Json(st.app.list_campaigns().await?))
}

#[utoipa::path(post, path = "/api/v1/admin/campaigns", tag = "admin", security(("bearer" = [])),
    description = "新建督察轮次。字段有误时答 400，`error.field` 指出第一个有误的字段，`error.details` 列出全部。仅系统管理员。",
    request_body = CampaignInput,
    responses((status = 201, body = CampaignDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_campaign(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
    ApiJson(input): ApiJson<CampaignInput>,
) -> Result<(StatusCode, Json<CampaignDetail>), ApiError> {
    let id = st.app.create_campaign(Some(&u), &input).await?;
    Ok((StatusCode::CREATED, Json(st.app.campaign_by_id(id).await?)))
}

#[utoipa::path(get, path = "/api/v1/admin/campaigns/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, description = "督察轮次编号")),
    responses((status = 200, body = CampaignDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_campaign(
    State(st): State<AppState>,
    AdminApi(_u): AdminApi,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CampaignDetail>, ApiError> {
    Ok(Json(st.app.campaign_by_id(id).await?))
}

#[utoipa::path(put, path = "/api/v1/admin/campaigns/{id}", tag = "admin", security(("bearer" = [])),
    description = "修改督察轮次。已发出受理编号后不能改轮次和省份字母（`campaign_numbers_issued`），督察期间不能缩短到不含已受理日期（`campaign_period_excludes_cases`），城市不能改（`campaign_city_fixed`），版本过期答 409 `stale_version`。仅系统管理员。",
    params(("id" = i64, Path, description = "督察轮次编号")),
    request_body = CampaignUpdateRequest,
    responses((status = 200, body = CampaignDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_campaign(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<CampaignUpdateRequest>,
) -> Result<Json<CampaignDetail>, ApiError> {
    Ok(Json(st.app.update_campaign(Some(&u), id, &req.campaign, req.version).await?))
}
