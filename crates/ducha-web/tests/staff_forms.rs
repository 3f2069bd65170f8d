//! Every staff form is CSRF-checked before anything is read or stored (`CsrfForm`), walked over the
//! route table rather than listed by hand, and a malformed `expected_version` on a form is refused
//! instead of silently turning the stale-version check off (issue 16).

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Fx, login};
use ducha_store::Backend;

/// Staff POST routes outside `/api` that are not a staff form: the login form has its own cookie
/// token, the complainant's callback and the discipline channel are public forms with theirs, uploads
/// are multipart (checked in `attachments.rs`), Open311 is an API.
fn is_staff_form(path: &str) -> bool {
    !(path.starts_with("/api/")
        || path == "/login"
        || path.starts_with("/huifang/")
        || path == "/jiandu"
        || path.starts_with("/open311/")
        || path.ends_with("/attachments"))
}

async fn audit_count(fx: &Fx) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log")
        .fetch_one(fx.app.store.reader())
        .await
        .unwrap()
}

async fn post_raw(fx: &Fx, path: &str, cookie: &str, body: &str) -> common::Resp {
    fx.send(
        Request::post(path)
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body.to_owned()))
            .unwrap(),
    )
    .await
}

async fn scenario(backend: Backend) {
    let fx = common::setup(backend).await;
    let op = fx.token("op").await;
    let id = fx.intake(&op, "濮阳县柳屯镇南街村有个塑料颗粒作坊晚上冒黑烟，气味很大").await;
    let forms: Vec<String> = ducha_web::route_table()
        .into_iter()
        .filter(|r| r.method == Method::POST && is_staff_form(&r.path))
        .map(|r| r.path.replace("{id}", &id.to_string()))
        .collect();
    assert!(forms.len() >= 20, "the walk reaches the staff forms: {forms:?}");
    for user in ["team", "op", "liutun", "opinion"] {
        let s = login(&fx, user).await;
        // A token of the right length with one character changed, a token with a zero-width space,
        // an empty one, none at all, and the right one sent twice with a forged one first.
        let mut changed = s.csrf.clone();
        let last = changed.pop().unwrap();
        changed.push(if last == 'A' { 'B' } else { 'A' });
        let bodies = [
            serde_urlencoded::to_string([("_csrf", changed.as_str()), ("note", "x")]).unwrap(),
            serde_urlencoded::to_string([("_csrf", format!("{}\u{200B}", s.csrf).as_str())]).unwrap(),
            "_csrf=&note=x".to_owned(),
            "note=x&action=dispatch".to_owned(),
            serde_urlencoded::to_string([("_csrf", changed.as_str()), ("_csrf", s.csrf.as_str())]).unwrap(),
        ];
        for path in &forms {
            let before = audit_count(&fx).await;
            for body in &bodies {
                let r = post_raw(&fx, path, &s.cookie, body).await;
                assert_eq!(
                    (r.status, r.text.contains("csrf_failed")),
                    (StatusCode::FORBIDDEN, true),
                    "{user} POST {path} with {body:?}: {}",
                    r.text.chars().take(300).collect::<String>()
                );
            }
            assert_eq!(audit_count(&fx).await, before, "{user} POST {path}: a forged form changes nothing");
        }
    }

    // A malformed version on the handling-report form is a field error, never a save without the
    // stale-version check.
    fx.route_down(id, "county-410928", "town-410928101").await;
    let h = login(&fx, "liutun").await;
    let report = common::valid_report("塑料颗粒作坊");
    let mut fields: Vec<(String, String)> = Vec::new();
    for (k, v) in report.as_object().unwrap() {
        if let Some(t) = v.as_str() {
            fields.push((k.clone(), t.to_owned()));
        }
    }
    for bad in ["abc", "-3", "1.5", "１２", "9999999999999999999999"] {
        let mut f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        f.push(("expected_version", bad));
        let before = audit_count(&fx).await;
        let r = h.post_form(&fx, &format!("/cases/{id}/report"), &f).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "expected_version={bad}: {}", r.status);
        assert!(r.text.contains("版本号"), "the error says what is wrong: {bad}");
        assert_eq!(audit_count(&fx).await, before, "nothing saved with expected_version={bad}");
    }
}

#[tokio::test]
async fn staff_forms_are_csrf_checked_and_versions_parsed_all_backends() {
    for b in ducha_store::testing::backends() {
        scenario(b).await;
    }
}
