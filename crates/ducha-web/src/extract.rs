//! Extractors that turn every bad request into a clear error with a stable code.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::Method;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use ducha_app::AppError;
use ducha_app::auth::CurrentUser;
use ducha_app::lookups::SessionRow;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::{ApiError, PageError};

pub const SESSION_COOKIE: &str = "ducha_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// `Json<T>` whose rejections are [`ApiError`]s.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rej) => Err(ApiError(json_rejection(&rej))),
        }
    }
}

pub fn json_rejection(rej: &JsonRejection) -> AppError {
    match rej {
        JsonRejection::MissingJsonContentType(_) => AppError::bad_request(
            "unsupported_media_type",
            "请求体应为 JSON（Content-Type: application/json）",
        ),
        JsonRejection::JsonSyntaxError(e) => {
            let mut err = AppError::bad_request("malformed_json", "请求体不是合法的 JSON");
            err.details = vec![e.body_text()];
            err
        }
        JsonRejection::JsonDataError(e) => {
            let mut err = AppError::bad_request("invalid_json_body", "JSON 字段缺失或类型不符");
            err.details = vec![e.body_text()];
            err
        }
        JsonRejection::BytesRejection(_) => AppError::bad_request("body_unreadable", "请求体无法读取或过大"),
        _ => AppError::bad_request("malformed_json", "请求体不是合法的 JSON"),
    }
}

/// `Path<T>` whose rejections are [`ApiError`]s.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(rej) => Err(ApiError(path_rejection(&rej))),
        }
    }
}

pub fn path_rejection(rej: &PathRejection) -> AppError {
    let mut e = AppError::bad_request("invalid_path", "地址中的编号格式不正确");
    e.details = vec![rej.body_text()];
    e
}

/// `Query<T>` whose rejections are [`ApiError`]s.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(rej) => Err(ApiError(query_rejection(&rej))),
        }
    }
}

pub fn query_rejection(rej: &QueryRejection) -> AppError {
    let mut e = AppError::bad_request("invalid_query", "查询参数格式不正确");
    e.details = vec![rej.body_text()];
    e
}

fn bearer(parts: &Parts) -> Option<String> {
    let v = parts.headers.get("authorization")?.to_str().ok()?;
    let t = v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer "))?;
    Some(t.trim().to_owned())
}

/// The API caller: `Authorization: Bearer <token>`, or the session cookie plus `X-CSRF-Token` on
/// every state-changing request.
#[derive(Debug, Clone)]
pub struct ApiUser(pub CurrentUser);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(token) = bearer(parts) {
            let (user, _) = state.app.authenticate(&token).await?;
            return Ok(ApiUser(user));
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let token =
            jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()).ok_or_else(AppError::unauthenticated)?;
        let (user, session) = state.app.authenticate(&token).await?;
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if !constant_eq(sent, &session.csrf_token) {
                return Err(ApiError(AppError::forbidden_code(
                    "csrf_failed",
                    "请求缺少有效的防伪令牌（X-CSRF-Token）",
                )));
            }
        }
        Ok(ApiUser(user))
    }
}

/// A logged-in page visitor with their session (for the CSRF token of forms).
#[derive(Debug, Clone)]
pub struct PageUser {
    pub user: CurrentUser,
    pub session: SessionRow,
    /// The holiday-data banner every staff page shows while it applies ([`ducha_app::App::calendar_notice`]).
    pub calendar_notice: Option<String>,
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = PageError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token =
            jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()).ok_or_else(AppError::unauthenticated)?;
        let (user, session) = state.app.authenticate(&token).await?;
        Ok(PageUser { user, session, calendar_notice: state.app.calendar_notice() })
    }
}

impl PageUser {
    /// Refuse a form whose CSRF token does not match the session's.
    pub fn check_csrf(&self, sent: &str) -> Result<(), PageError> {
        if constant_eq(sent, &self.session.csrf_token) {
            Ok(())
        } else {
            Err(PageError(AppError::forbidden_code(
                "csrf_failed",
                "表单已过期或来源不明，请刷新页面后重新提交",
            )))
        }
    }
}

/// Compare secrets in constant time (`subtle`); an empty secret never matches.
pub fn constant_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq as _;
    !a.is_empty() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// `Form<T>` whose rejections are page errors.
#[derive(Debug)]
pub struct PageForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for PageForm<T> {
    type Rejection = PageError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(PageForm(v)),
            Err(rej) => {
                let mut e = AppError::bad_request("invalid_form", "表单内容不完整或格式不正确");
                e.details = vec![rej.body_text()];
                Err(PageError(e))
            }
        }
    }
}

/// A staff form whose CSRF token is checked before the handler runs: the signed-in user and the
/// form, or `403 csrf_failed` (and `400 invalid_form` for a body that does not fit `T`). Parsed with
/// `serde_html_form` (what `axum_extra`'s `Form` uses), so repeated keys (`types=大气&types=水`) fill a `Vec` field. The `_csrf`
/// field need not be part of `T`.
#[derive(Debug)]
pub struct CsrfForm<T>(pub PageUser, pub T);

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = PageError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = PageUser::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let invalid = |detail: String| {
            let mut e = AppError::bad_request("invalid_form", "表单内容不完整或格式不正确");
            e.details = vec![detail];
            PageError(e)
        };
        let axum::extract::RawForm(bytes) =
            axum::extract::RawForm::from_request(req, state).await.map_err(|rej| invalid(rej.body_text()))?;
        // Checked before the form is interpreted, so a forged post learns nothing from the answer.
        // A token that cannot be read (absent, repeated, not text) is a wrong token.
        let sent = serde_html_form::from_bytes::<CsrfField>(&bytes).map(|f| f.csrf).unwrap_or_default();
        user.check_csrf(&sent)?;
        let form = serde_html_form::from_bytes::<T>(&bytes).map_err(|e| invalid(e.to_string()))?;
        Ok(CsrfForm(user, form))
    }
}
