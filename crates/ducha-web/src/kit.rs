//! The staff pages' shared kit: the layout's navigation data, rendering (with or without a status),
//! the error page, time formatting, excerpts, page windows and flash messages — one copy for every
//! page module (staff, work, intake, opinion desk, public column).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use ducha_app::AppError;
use ducha_domain::role::Role;
use ducha_domain::time::human_cst;

use crate::error::PageError;
use crate::extract::PageUser;

/// What the layout needs on every page.
#[derive(Debug, Clone)]
pub struct Nav {
    pub display_name: String,
    pub unit_name: String,
    pub role_label: String,
    pub csrf: String,
    pub active: &'static str,
    pub can_intake: bool,
    pub role: &'static str,
    pub level: &'static str,
    /// `2027年节假日安排尚未录入，期限按周末估算` while it applies.
    pub calendar_notice: Option<String>,
}

impl Nav {
    pub fn of(p: &PageUser, active: &'static str) -> Self {
        Nav {
            display_name: p.user.display_name.clone(),
            unit_name: p.user.unit.name.clone(),
            role_label: p.user.role.label().into(),
            csrf: p.session.csrf_token.clone(),
            active,
            can_intake: matches!(p.user.role, Role::Operator | Role::Team),
            role: p.user.role.code(),
            level: p.user.level.code(),
            calendar_notice: p.calendar_notice.clone(),
        }
    }
}

pub fn render<T: Template>(t: &T) -> Result<Html<String>, PageError> {
    t.render().map(Html).map_err(|e| PageError(AppError::internal(format!("template: {e}"))))
}

/// A rendered page with a status other than 200 (a form shown again with its error, a 404 page).
pub fn render_with_status<T: Template>(status: StatusCode, t: &T) -> Result<Response, PageError> {
    Ok((status, render(t)?).into_response())
}

/// A time in milliseconds as Beijing time (`2023-12-14 09:30`), `—` when absent.
pub fn fmt_ms(ms: Option<i64>) -> String {
    ms.map(|v| human_cst(ducha_domain::time::from_millis(v))).unwrap_or_else(|| "—".into())
}

/// The first `n` characters of `s`, with `…` when it was longer.
pub fn excerpt(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

/// Page numbers to show: the first, the last, and two either side of the current one; gaps as `…`.
pub fn page_window(page: i64, pages: i64) -> Vec<Option<i64>> {
    let mut out: Vec<Option<i64>> = Vec::new();
    for p in 1..=pages {
        if p == 1 || p == pages || (p - page).abs() <= 2 {
            out.push(Some(p));
        } else if out.last().is_some_and(|l| l.is_some()) {
            out.push(None);
        }
    }
    out
}
