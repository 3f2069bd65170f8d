//! People administration: `/api/v1/admin/users…` and the pages `/admin/users…` (system
//! administrator only). Each handler parses, calls one `ducha_app::admin_users` use case, renders.

use std::collections::BTreeMap;

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ducha_app::AppError;
use ducha_app::admin_users::{AddUserInput, PasswordIssued, UserAdminRow};
use ducha_domain::role::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::units::{field_errors, form_status, parse_id};
use super::{AdminApi, AdminNav, AdminPage};
use crate::AppState;
use crate::error::{ApiError, ErrorBody, PageError};
use crate::extract::{ApiJson, ApiPath, CsrfForm, PageUser};
use crate::kit::{Nav, fmt_ms, render_with_status};

// ---- API -------------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminUserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub active: bool,
    /// The next sign-in must change the password (set after an administrator chose it).
    pub must_change_password: bool,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
}

impl From<UserAdminRow> for AdminUserView {
    fn from(u: UserAdminRow) -> Self {
        AdminUserView {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role: u.role,
            unit_id: u.unit_id,
            unit_name: u.unit_name,
            active: u.active != 0,
            must_change_password: u.must_change_password != 0,
            created_at: u.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordIssuedView {
    pub user: AdminUserView,
    /// Present when the system generated the password: shown this once, stored nowhere in clear.
    pub generated_password: Option<String>,
}

impl From<PasswordIssued> for PasswordIssuedView {
    fn from(p: PasswordIssued) -> Self {
        PasswordIssuedView { user: p.user.into(), generated_password: p.generated_password }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewUserRequest {
    pub username: String,
    pub display_name: String,
    /// `operator`, `team`, `office`, `handler`, `opinion`, `provincial` or `admin`; must fit the
    /// unit's level.
    pub role: String,
    pub unit_id: i64,
    /// At least 8 characters; absent or empty: one is generated and answered once.
    #[serde(default)]
    pub password: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RoleUnitRequest {
    pub role: String,
    pub unit_id: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordResetRequest {
    /// Absent or empty: one is generated and answered once.
    #[serde(default)]
    pub password: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", operation_id = "admin_users_list", security(("bearer" = [])),
    responses((status = 200, body = Vec<AdminUserView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn api_list(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
) -> Result<Json<Vec<AdminUserView>>, ApiError> {
    Ok(Json(st.app.admin_users(&u).await?.into_iter().map(AdminUserView::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/admin/users", tag = "admin", operation_id = "admin_users_create", security(("bearer" = [])), request_body = NewUserRequest,
    description = "新增账号。首次登录须修改密码；未给密码时系统生成一个，只在本次应答中出现。",
    responses((status = 201, body = PasswordIssuedView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn api_create(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
    ApiJson(req): ApiJson<NewUserRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let input = AddUserInput {
        username: req.username,
        display_name: req.display_name,
        role: req.role,
        unit_id: req.unit_id,
        password: req.password,
    };
    Ok((StatusCode::CREATED, Json(PasswordIssuedView::from(st.app.add_user(&u, &input).await?))))
}

#[utoipa::path(get, path = "/api/v1/admin/users/{id}", tag = "admin", operation_id = "admin_users_get", security(("bearer" = [])),
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = AdminUserView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn api_get(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AdminUserView>, ApiError> {
    Ok(Json(st.app.admin_user(&u, id).await?.into()))
}

#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", tag = "admin", operation_id = "admin_users_patch", security(("bearer" = [])), request_body = RoleUnitRequest,
    description = "调整角色和单位（角色须与单位层级相符）。",
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = AdminUserView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn api_patch(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<RoleUnitRequest>,
) -> Result<Json<AdminUserView>, ApiError> {
    Ok(Json(st.app.change_role_unit(&u, id, &req.role, req.unit_id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/disable", tag = "admin", operation_id = "admin_users_disable", security(("bearer" = [])),
    description = "停用账号：其所有会话立即失效，登录被拒绝。",
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = AdminUserView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn api_disable(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AdminUserView>, ApiError> {
    Ok(Json(st.app.set_user_active(&u, id, false).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/enable", tag = "admin", operation_id = "admin_users_enable", security(("bearer" = [])),
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = AdminUserView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn api_enable(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AdminUserView>, ApiError> {
    Ok(Json(st.app.set_user_active(&u, id, true).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/password", tag = "admin", operation_id = "admin_users_reset", security(("bearer" = [])), request_body = PasswordResetRequest,
    description = "重置密码：会话全部失效，下次登录须修改密码；未给密码时系统生成一个，只在本次应答中出现。",
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = PasswordIssuedView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn api_reset(
    State(st): State<AppState>,
    AdminApi(u): AdminApi,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<PasswordResetRequest>,
) -> Result<Json<PasswordIssuedView>, ApiError> {
    Ok(Json(st.app.reset_password(&u, id, req.password.as_deref()).await?.into()))
}

// ---- pages -----------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub password: String,
}

/// One row of the user list.
#[derive(Debug, Clone)]
pub struct UserLine {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub unit_name: String,
    pub state: String,
}

fn role_label(code: &str) -> String {
    Role::parse(code).map(|r| r.label().to_owned()).unwrap_or_else(|_| code.to_owned())
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    pub nav: Nav,
    pub admin: AdminNav,
    pub lines: Vec<UserLine>,
    pub roles: Vec<(&'static str, &'static str)>,
    pub units: Vec<(i64, String)>,
    pub form: UserForm,
    pub errors: BTreeMap<String, String>,
    pub error: Option<String>,
    pub flash: Option<String>,
    /// A generated password, shown this once.
    pub issued: Option<String>,
}

impl UsersPage {
    pub fn err(&self, field: &str) -> &str {
        self.errors.get(field).map_or("", String::as_str)
    }
}

/// Units a user can be placed in (in service), for the selects.
async fn unit_choices(st: &AppState, p: &PageUser) -> Result<Vec<(i64, String)>, PageError> {
    Ok(st
        .app
        .admin_units(&p.user)
        .await?
        .into_iter()
        .filter(|u| u.retired_at.is_none())
        .map(|u| (u.id, format!("{}（{}）", u.name, u.level.label())))
        .collect())
}

async fn users_page(st: &AppState, p: &PageUser) -> Result<UsersPage, PageError> {
    let lines = st
        .app
        .admin_users(&p.user)
        .await?
        .into_iter()
        .map(|u| UserLine {
            id: u.id,
            role: role_label(&u.role),
            state: match (u.active != 0, u.must_change_password != 0) {
                (false, _) => "已停用".into(),
                (true, true) => "待修改密码".into(),
                (true, false) => "正常".into(),
            },
            username: u.username,
            display_name: u.display_name,
            unit_name: u.unit_name,
        })
        .collect();
    Ok(UsersPage {
        nav: Nav::of(p, "admin"),
        admin: AdminNav { active: "users" },
        lines,
        roles: Role::ALL.into_iter().map(|r| (r.code(), r.label())).collect(),
        units: unit_choices(st, p).await?,
        form: UserForm::default(),
        errors: BTreeMap::new(),
        error: None,
        flash: None,
        issued: None,
    })
}

pub async fn list_page(State(st): State<AppState>, AdminPage(p): AdminPage) -> Result<Response, PageError> {
    render_with_status(StatusCode::OK, &users_page(&st, &p).await?)
}

pub async fn create_page(
    State(st): State<AppState>,
    CsrfForm(p, f): CsrfForm<UserForm>,
) -> Result<Response, PageError> {
    // The CSRF token is checked first (for everyone), then the role.
    AdminPage::check(&p)?;
    let result = match f.unit_id.trim().parse::<i64>() {
        Ok(unit_id) => {
            let input = AddUserInput {
                username: f.username.clone(),
                display_name: f.display_name.clone(),
                role: f.role.clone(),
                unit_id,
                password: Some(f.password.clone()),
            };
            st.app.add_user(&p.user, &input).await
        }
        Err(_) => Err(AppError::invalid("unit_id", "请选择单位")),
    };
    let mut page = users_page(&st, &p).await?;
    match result {
        Ok(issued) => {
            page.flash = Some(format!(
                "已新增账号“{}”（{}），首次登录须修改密码",
                issued.user.username, issued.user.display_name
            ));
            page.issued = issued.generated_password;
            render_with_status(StatusCode::CREATED, &page)
        }
        Err(e) => {
            let status = form_status(&e)?;
            page.errors = field_errors(&e);
            page.error = Some(e.message.clone());
            page.form = UserForm { password: String::new(), ..f };
            render_with_status(status, &page)
        }
    }
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    pub nav: Nav,
    pub admin: AdminNav,
    pub user: AdminUserView,
    pub role_label: String,
    pub created: String,
    pub is_self: bool,
    pub roles: Vec<(&'static str, &'static str)>,
    pub units: Vec<(i64, String)>,
    pub errors: BTreeMap<String, String>,
    pub error: Option<String>,
    pub flash: Option<String>,
    pub issued: Option<String>,
}

impl UserPage {
    pub fn err(&self, field: &str) -> &str {
        self.errors.get(field).map_or("", String::as_str)
    }
}

async fn user_page(st: &AppState, p: &PageUser, id: i64) -> Result<UserPage, PageError> {
    let user = AdminUserView::from(st.app.admin_user(&p.user, id).await?);
    Ok(UserPage {
        nav: Nav::of(p, "admin"),
        admin: AdminNav { active: "users" },
        role_label: role_label(&user.role),
        created: fmt_ms(Some(user.created_at)),
        is_self: user.id == p.user.id,
        user,
        roles: Role::ALL.into_iter().map(|r| (r.code(), r.label())).collect(),
        units: unit_choices(st, p).await?,
        errors: BTreeMap::new(),
        error: None,
        flash: None,
        issued: None,
    })
}

pub async fn show_page(
    State(st): State<AppState>,
    AdminPage(p): AdminPage,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    render_with_status(StatusCode::OK, &user_page(&st, &p, id).await?)
}

/// One of the user page's forms, told apart by `op`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserOp {
    #[serde(default)]
    pub op: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub password: String,
}

pub async fn op_page(
    State(st): State<AppState>,
    axum::extract::Path(raw): axum::extract::Path<String>,
    CsrfForm(p, f): CsrfForm<UserOp>,
) -> Result<Response, PageError> {
    // The CSRF token is checked first (for everyone), then the role, then the id.
    AdminPage::check(&p)?;
    let id = parse_id(&raw)?;
    let mut issued = None;
    let result = match f.op.as_str() {
        "disable" => st
            .app
            .set_user_active(&p.user, id, false)
            .await
            .map(|_| "账号已停用，其会话已全部失效".to_owned()),
        "enable" => st.app.set_user_active(&p.user, id, true).await.map(|_| "账号已启用".to_owned()),
        "reset" => st.app.reset_password(&p.user, id, Some(&f.password)).await.map(|r| {
            issued = r.generated_password;
            "密码已重置，该用户下次登录须修改密码".to_owned()
        }),
        "role" => match f.unit_id.trim().parse::<i64>() {
            Ok(unit_id) => st
                .app
                .change_role_unit(&p.user, id, &f.role, unit_id)
                .await
                .map(|_| "角色和单位已调整".to_owned()),
            Err(_) => Err(AppError::invalid("unit_id", "请选择单位")),
        },
        _ => Err(AppError::bad_request("unknown_op", "未知的操作")),
    };
    let mut page = user_page(&st, &p, id).await?;
    match result {
        Ok(msg) => {
            page.flash = Some(msg);
            page.issued = issued;
            render_with_status(StatusCode::OK, &page)
        }
        Err(e) => {
            let status = form_status(&e)?;
            page.errors = field_errors(&e);
            page.error = Some(e.message.clone());
            render_with_status(status, &page)
        }
    }
}
