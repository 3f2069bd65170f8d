//! Units administration: `/api/v1/admin/units…` and the pages `/admin/units…` (system
//! administrator only). Each handler parses, calls one `ducha_app::admin_units` use case, renders.

use std::collections::BTreeMap;

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ducha_app::AppError;
use ducha_app::admin_units::{ContactsInput, NewUnitInput, UnitAdminRow, WebhookKind, check_parent};
use ducha_domain::unit::{DepartmentKind, UnitLevel};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{AdminApi, AdminNav, AdminPage};
use crate::AppState;
use crate::error::{ApiError, ErrorBody, PageError};
use crate::extract::{ApiJson, ApiPath, CsrfForm, PageUser};
use crate::kit::{Nav, fmt_ms, render_with_status};

// ---- forms shown again -----------------------------------------------------------------------

/// A unit or user id from the path of a page form.
pub fn parse_id(raw: &str) -> Result<i64, PageError> {
    raw.parse::<i64>()
        .map_err(|_| PageError(AppError::bad_request("invalid_path", format!("编号“{raw}”无效"))))
}

/// Field → message of a refused form, so the page shows each error next to its field.
pub fn field_errors(e: &AppError) -> BTreeMap<String, String> {
    e.field.iter().map(|f| (f.clone(), e.message.clone())).collect()
}

/// A use-case refusal shown on the form again (422 for rules, the error's own status otherwise);
/// anything unexpected stays an error page.
pub fn form_status(e: &AppError) -> Result<StatusCode, PageError> {
    use ducha_app::error::ErrorKind::*;
    match e.kind {
        BadRequest => Ok(StatusCode::BAD_REQUEST),
        Conflict => Ok(StatusCode::CONFLICT),
        Rule => Ok(StatusCode::UNPROCESSABLE_ENTITY),
        _ => Err(PageError(e.clone())),
    }
}

// ---- API -------------------------------------------------------------------------------------

/// A unit as the administrator manages it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminUnitView {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// `team`, `city`, `county`, `township` or `department`.
    pub level: String,
    pub dept_kind: Option<String>,
    pub parent_id: Option<i64>,
    pub region_code: Option<String>,
    /// Materialised path of ids from the root (`/1/4/17/`).
    pub path: String,
    pub email: Option<String>,
    pub webhook: Option<String>,
    /// `generic`, `wecom` or `dingtalk`.
    pub webhook_kind: String,
    pub sms: Option<String>,
    /// Milliseconds since the Unix epoch; a retired unit keeps its history but gets no new work.
    pub retired_at: Option<i64>,
}

impl From<UnitAdminRow> for AdminUnitView {
    fn from(u: UnitAdminRow) -> Self {
        AdminUnitView {
            id: u.id,
            code: u.code,
            name: u.name,
            level: u.level.code().into(),
            dept_kind: u.dept_kind,
            parent_id: u.parent_id,
            region_code: u.region_code,
            path: u.path,
            email: u.contact_email,
            webhook: u.contact_webhook,
            webhook_kind: u.webhook_kind,
            sms: u.contact_sms,
            retired_at: u.retired_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewUnitRequest {
    /// Unique code (letters, digits, `. _ -`).
    pub code: String,
    pub name: String,
    /// `city`, `county`, `township` or `department`.
    pub level: String,
    /// Departments only: `ecology`, `housing`, `urban_management`, `natural_resources`,
    /// `agriculture`, `transport`, `water_resources`, `other`.
    #[serde(default)]
    pub dept_kind: Option<String>,
    pub parent_id: i64,
    #[serde(default)]
    pub region_code: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UnitPatch {
    /// A new name.
    #[serde(default)]
    pub name: Option<String>,
    /// A new parent (moves the unit with its subtree).
    #[serde(default)]
    pub parent_id: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ContactsRequest {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub webhook: Option<String>,
    /// `generic` (default), `wecom` or `dingtalk`.
    #[serde(default)]
    pub webhook_kind: Option<String>,
    /// Mainland mobile number for SMS notices.
    #[serde(default)]
    pub sms: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/admin/units", tag = "admin", operation_id = "admin_units_list", security(("bearer" = [])),
    description = "全部单位（含已撤销），按单位树顺序。仅系统管理员。",
    responses((status = 200, body = Vec<AdminUnitView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn api_list(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
) -> Result<Json<Vec<AdminUnitView>>, ApiError> {
    Ok(Json(st.app.admin_units(&u).await?.into_iter().map(AdminUnitView::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/admin/units", tag = "admin", operation_id = "admin_units_create", security(("bearer" = [])), request_body = NewUnitRequest,
    description = "在上级单位下新增单位：市级在督察组下，县（区）级在市级下，乡镇（街道）和有关部门在县（区）级下。",
    responses((status = 201, body = AdminUnitView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn api_create(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
    ApiJson(req): ApiJson<NewUnitRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let input = NewUnitInput {
        code: req.code,
        name: req.name,
        level: req.level,
        dept_kind: req.dept_kind,
        parent_id: req.parent_id,
        region_code: req.region_code,
    };
    Ok((StatusCode::CREATED, Json(AdminUnitView::from(st.app.add_unit(&u, &input).await?))))
}

#[utoipa::path(get, path = "/api/v1/admin/units/{id}", tag = "admin", operation_id = "admin_units_get", security(("bearer" = [])),
    params(("id" = i64, Path, description = "unit id")),
    responses((status = 200, body = AdminUnitView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn api_get(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AdminUnitView>, ApiError> {
    Ok(Json(st.app.admin_unit(&u, id).await?.into()))
}

#[utoipa::path(patch, path = "/api/v1/admin/units/{id}", tag = "admin", operation_id = "admin_units_patch", security(("bearer" = [])), request_body = UnitPatch,
    description = "改名和/或调整上级单位（下级单位的路径随之更新）。",
    params(("id" = i64, Path, description = "unit id")),
    responses((status = 200, body = AdminUnitView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn api_patch(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<UnitPatch>,
) -> Result<Json<AdminUnitView>, ApiError> {
    let mut row = st.app.admin_unit(&u, id).await?;
    if let Some(name) = &req.name {
        row = st.app.rename_unit(&u, id, name).await?;
    }
    if let Some(parent) = req.parent_id {
        row = st.app.move_unit(&u, id, parent).await?;
    }
    Ok(Json(row.into()))
}

#[utoipa::path(post, path = "/api/v1/admin/units/{id}/retire", tag = "admin", operation_id = "admin_units_retire", security(("bearer" = [])),
    description = "撤销单位：保留历史，不再接收交办。仍有在办案件、未撤销的下级单位或启用的账号时拒绝，并列出它们。",
    params(("id" = i64, Path, description = "unit id")),
    responses((status = 200, body = AdminUnitView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn api_retire(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AdminUnitView>, ApiError> {
    Ok(Json(st.app.retire_unit(&u, id).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/admin/units/{id}/contacts", tag = "admin", operation_id = "admin_units_contacts", security(("bearer" = [])), request_body = ContactsRequest,
    description = "设置单位的电子邮箱、机器人地址及类型（企业微信、钉钉或通用签名 JSON）和短信号码；留空即清除。",
    params(("id" = i64, Path, description = "unit id")),
    responses((status = 200, body = AdminUnitView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn api_contacts(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ContactsRequest>,
) -> Result<Json<AdminUnitView>, ApiError> {
    let input = ContactsInput {
        email: req.email.unwrap_or_default(),
        webhook: req.webhook.unwrap_or_default(),
        webhook_kind: req.webhook_kind.unwrap_or_default(),
        sms: req.sms.unwrap_or_default(),
    };
    Ok(Json(st.app.set_unit_contacts(&u, id, &input).await?.into()))
}

// ---- pages -----------------------------------------------------------------------------------

/// One row of the unit tree.
#[derive(Debug, Clone)]
pub struct UnitLine {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub level: String,
    /// Full-width spaces by depth, so the tree reads as a tree without styles.
    pub indent: String,
    pub retired: bool,
    pub contacts: String,
}

fn line(u: &UnitAdminRow) -> UnitLine {
    let mut contacts = Vec::new();
    if u.contact_email.is_some() {
        contacts.push("邮箱".to_owned());
    }
    if u.contact_webhook.is_some() {
        contacts.push(WebhookKind::of(&u.webhook_kind).label().to_owned());
    }
    if u.contact_sms.is_some() {
        contacts.push("短信".to_owned());
    }
    UnitLine {
        id: u.id,
        code: u.code.clone(),
        name: u.name.clone(),
        level: u.level.label().into(),
        indent: "\u{3000}".repeat(u.path.matches('/').count().saturating_sub(2)),
        retired: u.retired_at.is_some(),
        contacts: contacts.join("、"),
    }
}

/// The add-unit form as typed, shown again with its errors.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub dept_kind: String,
    #[serde(default)]
    pub parent_id: String,
    #[serde(default)]
    pub region_code: String,
}

#[derive(Template)]
#[template(path = "admin/units.html")]
struct UnitsPage {
    pub nav: Nav,
    pub admin: AdminNav,
    pub lines: Vec<UnitLine>,
    pub parents: Vec<(i64, String)>,
    pub levels: Vec<(&'static str, &'static str)>,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub form: UnitForm,
    pub errors: BTreeMap<String, String>,
    pub error: Option<String>,
    pub flash: Option<String>,
}

impl UnitsPage {
    pub fn err(&self, field: &str) -> &str {
        self.errors.get(field).map_or("", String::as_str)
    }
}

async fn units_page(st: &AppState, p: &PageUser) -> Result<UnitsPage, PageError> {
    let units = st.app.admin_units(&p.user).await?;
    Ok(UnitsPage {
        nav: Nav::of(p, "admin"),
        admin: AdminNav { active: "units" },
        lines: units.iter().map(line).collect(),
        parents: units
            .iter()
            .filter(|u| u.retired_at.is_none() && u.level.dispatches_to().is_some())
            .map(|u| (u.id, format!("{}（{}）", u.name, u.level.label())))
            .collect(),
        levels: [UnitLevel::City, UnitLevel::County, UnitLevel::Township, UnitLevel::Department]
            .into_iter()
            .map(|l| (l.code(), l.label()))
            .collect(),
        kinds: DepartmentKind::ALL.into_iter().map(|k| (k.code(), k.bureau_name())).collect(),
        form: UnitForm::default(),
        errors: BTreeMap::new(),
        error: None,
        flash: None,
    })
}

pub async fn list_page(State(st): State<AppState>, AdminPage(p): AdminPage) -> Result<Response, PageError> {
    render_with_status(StatusCode::OK, &units_page(&st, &p).await?)
}

pub async fn create_page(
    State(st): State<AppState>,
    CsrfForm(p, f): CsrfForm<UnitForm>,
) -> Result<Response, PageError> {
    // The CSRF token is checked first (for everyone), then the role.
    AdminPage::check(&p)?;
    let parent_id = f.parent_id.trim().parse::<i64>().unwrap_or(0);
    let input = NewUnitInput {
        code: f.code.clone(),
        name: f.name.clone(),
        level: f.level.clone(),
        dept_kind: Some(f.dept_kind.clone()),
        parent_id,
        region_code: Some(f.region_code.clone()),
    };
    let result = st.app.add_unit(&p.user, &input).await;
    let mut page = units_page(&st, &p).await?;
    match result {
        Ok(u) => {
            page.flash = Some(format!("已新增单位“{}”（{}）", u.name, u.code));
            render_with_status(StatusCode::CREATED, &page)
        }
        Err(e) => {
            let status = form_status(&e)?;
            page.errors = field_errors(&e);
            page.error = Some(e.message.clone());
            page.form = f;
            render_with_status(status, &page)
        }
    }
}

#[derive(Template)]
#[template(path = "admin/unit.html")]
struct UnitPage {
    pub nav: Nav,
    pub admin: AdminNav,
    pub unit: UnitAdminRow,
    pub level: String,
    pub retired_at: String,
    pub parents: Vec<(i64, String)>,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub errors: BTreeMap<String, String>,
    pub error: Option<String>,
    pub details: Vec<String>,
    pub flash: Option<String>,
}

impl UnitPage {
    pub fn err(&self, field: &str) -> &str {
        self.errors.get(field).map_or("", String::as_str)
    }
    pub fn text<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
}

async fn unit_page(st: &AppState, p: &PageUser, id: i64) -> Result<UnitPage, PageError> {
    let unit = st.app.admin_unit(&p.user, id).await?;
    let all = st.app.admin_units(&p.user).await?;
    let parents = all
        .iter()
        .filter(|c| {
            c.retired_at.is_none()
                && check_parent(unit.level, Some(c.level)).is_ok()
                && !c.path.starts_with(&unit.path)
        })
        .map(|c| (c.id, format!("{}（{}）", c.name, c.level.label())))
        .collect();
    Ok(UnitPage {
        nav: Nav::of(p, "admin"),
        admin: AdminNav { active: "units" },
        level: unit.level.label().into(),
        retired_at: unit.retired_at.map(|t| fmt_ms(Some(t))).unwrap_or_default(),
        unit,
        parents,
        kinds: WebhookKind::ALL.into_iter().map(|k| (k.code(), k.label())).collect(),
        errors: BTreeMap::new(),
        error: None,
        details: Vec::new(),
        flash: None,
    })
}

pub async fn show_page(
    State(st): State<AppState>,
    AdminPage(p): AdminPage,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    render_with_status(StatusCode::OK, &unit_page(&st, &p, id).await?)
}

/// One of the unit page's forms, told apart by `op`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UnitOp {
    #[serde(default)]
    pub op: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub parent_id: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub webhook: String,
    #[serde(default)]
    pub webhook_kind: String,
    #[serde(default)]
    pub sms: String,
}

pub async fn op_page(
    State(st): State<AppState>,
    axum::extract::Path(raw): axum::extract::Path<String>,
    CsrfForm(p, f): CsrfForm<UnitOp>,
) -> Result<Response, PageError> {
    // The CSRF token is checked first (for everyone), then the role, then the id.
    AdminPage::check(&p)?;
    let id = parse_id(&raw)?;
    let result = match f.op.as_str() {
        "rename" => st.app.rename_unit(&p.user, id, &f.name).await.map(|u| format!("已改名为“{}”", u.name)),
        "move" => match f.parent_id.trim().parse::<i64>() {
            Ok(parent) => st.app.move_unit(&p.user, id, parent).await.map(|_| "已调整上级单位".to_owned()),
            Err(_) => Err(AppError::invalid("parent_id", "请选择新的上级单位")),
        },
        "contacts" => {
            let input = ContactsInput {
                email: f.email,
                webhook: f.webhook,
                webhook_kind: f.webhook_kind,
                sms: f.sms,
            };
            st.app.set_unit_contacts(&p.user, id, &input).await.map(|_| "联系方式已保存".to_owned())
        }
        "retire" => st.app.retire_unit(&p.user, id).await.map(|u| format!("“{}”已撤销", u.name)),
        _ => Err(AppError::bad_request("unknown_op", "未知的操作")),
    };
    let mut page = unit_page(&st, &p, id).await?;
    match result {
        Ok(msg) => {
            page.flash = Some(msg);
            render_with_status(StatusCode::OK, &page)
        }
        Err(e) => {
            let status = form_status(&e)?;
            page.errors = field_errors(&e);
            page.error = Some(e.message.clone());
            page.details = e.details;
            render_with_status(status, &page)
        }
    }
}
