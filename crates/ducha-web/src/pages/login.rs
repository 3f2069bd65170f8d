//! Staff sign-in and sign-out: the login form with its own CSRF cookie, throttled attempts, the session cookie;
//! the change-password page (where a user whose password an administrator set is sent, and the only
//! page such a user may reach until it is changed).

use super::*;

// ---- login ----

#[derive(Template)]
#[template(path = "login.html")]
pub(super) struct LoginPage {
    pub(super) error: Option<String>,
    pub(super) csrf: String,
    pub(super) username: String,
}

pub(super) fn login_csrf_cookie(value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((LOGIN_CSRF_COOKIE, value))
        .path("/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build()
}

pub async fn login_form(State(st): State<AppState>, jar: CookieJar) -> Result<Response, PageError> {
    let csrf = crate::random_token();
    let page = render(&LoginPage { error: None, csrf: csrf.clone(), username: String::new() })?;
    Ok((jar.add(login_csrf_cookie(csrf, st.app.cfg.cookie_secure)), page).into_response())
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(rename = "_csrf", default)]
    pub(super) csrf: String,
    #[serde(default)]
    pub(super) username: String,
    #[serde(default)]
    pub(super) password: String,
}

pub async fn login_submit(
    _: Throttle<Login>,
    State(st): State<AppState>,
    jar: CookieJar,
    PageForm(f): PageForm<LoginForm>,
) -> Result<Response, PageError> {
    let expected = jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    let secure = st.app.cfg.cookie_secure;
    let again = |msg: String, jar: CookieJar, username: String| -> Result<Response, PageError> {
        let csrf = crate::random_token();
        let page = render(&LoginPage { error: Some(msg), csrf: csrf.clone(), username })?;
        Ok((StatusCode::UNAUTHORIZED, jar.add(login_csrf_cookie(csrf, secure)), page).into_response())
    };
    if !crate::extract::constant_eq(&f.csrf, &expected) {
        return again("登录页面已过期，请重新输入".into(), jar, f.username);
    }
    match st.app.login(&f.username, &f.password).await {
        Ok(out) => {
            let c = Cookie::build((SESSION_COOKIE, out.token))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(secure)
                .build();
            // A password an administrator set must be changed before anything else.
            let next = if out.user.must_change_password { "/password" } else { "/" };
            Ok((
                jar.add(c).remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/login").build()),
                Redirect::to(next),
            )
                .into_response())
        }
        Err(e) if e.kind == ducha_app::error::ErrorKind::Internal => Err(PageError(e)),
        Err(e) => again(e.message, jar, f.username),
    }
}

/// Sign out; also open to a user who must still change their password (the change-password page
/// offers it), so the session's own CSRF token is checked here rather than through `CsrfForm`.
pub async fn logout(
    State(st): State<AppState>,
    jar: CookieJar,
    axum::extract::RawForm(body): axum::extract::RawForm,
) -> Result<Response, PageError> {
    let token = session_token(&jar)?;
    let (_, session) = st.app.authenticate_for_password_change(&token).await?;
    check_form_csrf(&body, &session.csrf_token)?;
    st.app.logout(&token).await?;
    Ok((jar.remove(Cookie::build(SESSION_COOKIE).path("/").build()), Redirect::to("/login")).into_response())
}

// ---- change password ----

#[derive(Template)]
#[template(path = "password.html")]
pub(super) struct PasswordPage {
    pub(super) csrf: String,
    pub(super) display_name: String,
    pub(super) required: bool,
    pub(super) error: Option<String>,
    pub(super) field: String,
}

/// The form's `_csrf` against the session's, read like `CsrfForm` reads it: a token that cannot be
/// read (absent, repeated, not text) is a wrong token, refused before the form is interpreted.
fn check_form_csrf(body: &[u8], expected: &str) -> Result<(), PageError> {
    #[derive(Deserialize)]
    struct CsrfOnly {
        #[serde(rename = "_csrf", default)]
        csrf: String,
    }
    let sent = serde_html_form::from_bytes::<CsrfOnly>(body).map(|f| f.csrf).unwrap_or_default();
    if crate::extract::constant_eq(&sent, expected) {
        Ok(())
    } else {
        Err(PageError(AppError::forbidden_code("csrf_failed", "表单已过期或来源不明，请刷新页面后重新提交")))
    }
}

fn session_token(jar: &CookieJar) -> Result<String, PageError> {
    jar.get(SESSION_COOKIE)
        .map(|c| c.value().to_owned())
        .ok_or_else(|| PageError(AppError::unauthenticated()))
}

pub async fn password_form(State(st): State<AppState>, jar: CookieJar) -> Result<Response, PageError> {
    let (user, session) = st.app.authenticate_for_password_change(&session_token(&jar)?).await?;
    let page = PasswordPage {
        csrf: session.csrf_token,
        display_name: user.display_name,
        required: user.must_change_password,
        error: None,
        field: String::new(),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub(super) current: String,
    #[serde(default)]
    pub(super) password: String,
    #[serde(default)]
    pub(super) repeat: String,
}

pub async fn password_submit(
    State(st): State<AppState>,
    jar: CookieJar,
    axum::extract::RawForm(body): axum::extract::RawForm,
) -> Result<Response, PageError> {
    let token = session_token(&jar)?;
    let (user, session) = st.app.authenticate_for_password_change(&token).await?;
    check_form_csrf(&body, &session.csrf_token)?;
    let f: PasswordForm = serde_html_form::from_bytes(&body).map_err(|e| {
        let mut err = AppError::bad_request("invalid_form", "表单内容不完整或格式不正确");
        err.details = vec![e.to_string()];
        PageError(err)
    })?;
    match st.app.change_own_password(&token, &f.current, &f.password, &f.repeat).await {
        Ok(_) => Ok(Redirect::to("/").into_response()),
        Err(e) if e.kind == ducha_app::error::ErrorKind::BadRequest => {
            let page = PasswordPage {
                csrf: session.csrf_token,
                display_name: user.display_name,
                required: user.must_change_password,
                field: e.field.clone().unwrap_or_default(),
                error: Some(e.message),
            };
            Ok((StatusCode::BAD_REQUEST, render(&page)?).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}
