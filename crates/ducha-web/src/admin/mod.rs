//! The system administrator's side: `/admin/…` pages and `/api/v1/admin/…` endpoints, role `admin`
//! only (issue 17). This module holds what every admin section shares — the section list the admin
//! pages show as their navigation, the admin-only extractors, the admin home; each section lives in
//! its own file (campaigns, units, users, …) and adds one line to [`SECTIONS`].

pub mod api_campaigns;
pub mod campaigns;
pub mod holidays;
pub mod units;
pub mod users;

use askama::Template;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use ducha_app::AppError;
use ducha_app::campaigns::CampaignDetail;
use ducha_domain::role::Role;

use crate::AppState;
use crate::error::{ApiError, PageError};
use crate::extract::{ApiUser, PageUser};
use crate::kit::{Nav, render};

/// One admin section of the navigation.
#[derive(Debug)]
pub struct Section {
    pub key: &'static str,
    pub title: &'static str,
    pub href: &'static str,
    /// What it is for, on the admin home.
    pub blurb: &'static str,
}

/// The admin navigation, in the order an administrator sets up a city. One line per section.
pub const SECTIONS: &[Section] = &[
    Section {
        key: "campaigns",
        title: "督察轮次",
        href: "/admin/campaigns",
        blurb: "督察进驻的名称、期间、举报电话和信箱、受理编号的轮次和省份字母、公开和减负设置",
    },
    Section {
        key: "units",
        title: "单位",
        href: "/admin/units",
        blurb: "督察组、市县攻坚办、乡镇（街道）和部门，及其联系方式",
    },
    Section {
        key: "users", title: "人员", href: "/admin/users", blurb: "账号、角色、停用和重置密码"
    },
    Section {
        key: "holidays",
        title: "节假日安排",
        href: "/admin/holidays",
        blurb: "各年法定节假日和调休上班日（国务院办公厅通知），办理期限按工作日计算所依据；录入新一年的安排",
    },
];

fn refuse() -> AppError {
    AppError::forbidden("只有系统管理员可以进入系统管理")
}

/// A page visitor with the `admin` role; anyone else is refused before the request is read further.
#[derive(Debug, Clone)]
pub struct AdminPage(pub PageUser);

impl FromRequestParts<AppState> for AdminPage {
    type Rejection = PageError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let p = PageUser::from_request_parts(parts, state).await?;
        if p.user.role == Role::Admin { Ok(AdminPage(p)) } else { Err(PageError(refuse())) }
    }
}

impl AdminPage {
    /// Refuse a signed-in visitor (of a form post, say) who is not an administrator.
    pub fn check(p: &PageUser) -> Result<(), PageError> {
        if p.user.role == Role::Admin { Ok(()) } else { Err(PageError(refuse())) }
    }
}

/// An API caller with the `admin` role.
#[derive(Debug, Clone)]
pub struct AdminApi(pub ducha_app::auth::CurrentUser);

impl FromRequestParts<AppState> for AdminApi {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ApiUser(u) = ApiUser::from_request_parts(parts, state).await?;
        if u.role == Role::Admin { Ok(AdminApi(u)) } else { Err(ApiError(refuse())) }
    }
}

/// The admin pages' section navigation, the current section marked.
#[derive(Debug, Clone)]
pub struct AdminNav {
    pub active: &'static str,
}

impl AdminNav {
    pub fn sections(&self) -> &'static [Section] {
        SECTIONS
    }
}

#[derive(Template)]
#[template(path = "admin/home.html")]
struct HomePage {
    nav: Nav,
    admin: AdminNav,
    campaigns: Vec<CampaignDetail>,
    units: usize,
    users: usize,
    active_users: usize,
    calendar_warnings: Vec<String>,
}

/// `/admin/`: what an administrator needs at a glance.
pub async fn home(State(st): State<AppState>, AdminPage(p): AdminPage) -> Result<Html<String>, PageError> {
    let o = st.app.admin_overview(&p.user).await?;
    // Campaigns whose due times can reach a year the holiday calendar does not decide.
    let calendar_warnings = st.app.calendar_warnings().await;
    render(&HomePage {
        nav: Nav::of(&p, "admin"),
        admin: AdminNav { active: "home" },
        campaigns: o.campaigns,
        units: o.units,
        users: o.users,
        active_users: o.active_users,
        calendar_warnings,
    })
}

/// `/admin` → `/admin/` (for administrators only, like the page itself).
pub async fn home_redirect(AdminPage(_): AdminPage) -> Response {
    Redirect::permanent("/admin/").into_response()
}
