//! The web layer's error policy: every failure becomes a status, a stable code and a Chinese message —
//! as JSON under `/api` and `/open311`, as a page elsewhere. Internal details go to the log with the
//! request id, never to the client.

use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use ducha_app::AppError;
use ducha_app::error::ErrorKind;
use serde::Serialize;
use utoipa::ToSchema;

pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Rule => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::TooMany => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The JSON error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, for programs (e.g. `illegal_transition`, `malformed_json`, `case_not_found`).
    pub code: String,
    /// For people, in Chinese.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

fn log_internal(e: &AppError) {
    if e.kind == ErrorKind::Internal {
        tracing::error!(code = %e.code, detail = e.internal.as_deref().unwrap_or(""), "internal error");
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        log_internal(&e);
        let status = status_of(e.kind);
        let body = ErrorBody {
            error: ErrorDetail { code: e.code, message: e.message, field: e.field, details: e.details },
        };
        let mut resp = (status, axum::Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert("www-authenticate", axum::http::HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

/// An error answered as a Chinese page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = self.0;
        log_internal(&e);
        if e.kind == ErrorKind::Unauthenticated {
            return axum::response::Redirect::to("/login").into_response();
        }
        let status = status_of(e.kind);
        (status, error_page(status, &e)).into_response()
    }
}

/// Whether a path answers in JSON.
pub fn wants_json(path: &str, headers: &HeaderMap) -> bool {
    path.starts_with("/api")
        || path.starts_with("/open311")
        || headers
            .get("accept")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("application/json") && !a.contains("text/html"))
}

/// The staff error page: a title by status, the message, the stable code and (except for internal
/// errors) the details.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    code: &'a str,
    details: &'a [String],
}

pub fn error_page(status: StatusCode, e: &AppError) -> Html<String> {
    let title = match status.as_u16() {
        400 => "请求有误",
        401 => "请先登录",
        403 => "无权操作",
        404 => "未找到",
        409 => "操作与当前状态冲突",
        422 => "不符合办理规则",
        429 => "请求过于频繁",
        _ => "系统错误",
    };
    let details: Vec<String> =
        if e.kind == ducha_app::error::ErrorKind::Internal { Vec::new() } else { e.details.clone() };
    let page = ErrorPage { title, message: &e.message, code: &e.code, details: &details };
    Html(page.render().unwrap_or_else(|_| format!("{title}：{}", e.code)))
}
