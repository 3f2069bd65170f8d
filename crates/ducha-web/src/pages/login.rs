//! Staff sign-in and sign-out: the login form with its own CSRF cookie, throttled attempts, the session cookie.

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
            Ok((
                jar.add(c).remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/login").build()),
                Redirect::to("/"),
            )
                .into_response())
        }
        Err(e) if e.kind == ducha_app::error::ErrorKind::Internal => Err(PageError(e)),
        Err(e) => again(e.message, jar, f.username),
    }
}

pub async fn logout(
    State(st): State<AppState>,
    jar: CookieJar,
    CsrfForm(_, _): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        st.app.logout(c.value()).await?;
    }
    Ok((jar.remove(Cookie::build(SESSION_COOKIE).path("/").build()), Redirect::to("/login")).into_response())
}
