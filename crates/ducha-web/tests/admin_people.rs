//! Issue 17: units and people administration — the API and pages under `/api/v1/admin/…` and
//! `/admin/…`, the audit records they leave, a disabled user's live session refused on its next
//! request, the must-change-password rule for pages and API tokens, and webhook kinds delivered in
//! the robots' own formats. Runs on SQLite, and on PostgreSQL too when `DUCHA_TEST_PG` is set.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Fx, PASSWORD, Resp, Session, hidden_csrf, login, receivers, set_cookie, setup, setup_cfg};
use ducha_app::Config;
use ducha_app::auth::NewUserInput;
use ducha_store::{Backend, testing};
use serde_json::json;

async fn with_admin(fx: &Fx) -> String {
    fx.app
        .create_user(
            None,
            &NewUserInput {
                username: "admin".into(),
                display_name: "管理员".into(),
                password: PASSWORD.into(),
                unit_code: "city-4109".into(),
                role: "admin".into(),
            },
        )
        .await
        .unwrap();
    fx.token("admin").await
}

async fn audits(fx: &Fx, action: &str, entity_id: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND entity_id = $2")
        .bind(action)
        .bind(entity_id.to_string())
        .fetch_one(fx.app.store.reader())
        .await
        .unwrap()
}

fn code(r: &Resp) -> &str {
    r.json["error"]["code"].as_str().unwrap_or("")
}

fn field(r: &Resp) -> &str {
    r.json["error"]["field"].as_str().unwrap_or("")
}

async fn units_api(backend: Backend) {
    let fx = setup(backend).await;
    let admin = with_admin(&fx).await;
    let county = fx.token("county_py").await;
    // Only the administrator.
    let r = fx.json("GET", "/api/v1/admin/units", Some(&county), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = fx.json("GET", "/api/v1/admin/units", Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let before = r.json.as_array().unwrap().len();
    let py = fx.unit_id("county-410928").await;
    let city = fx.unit_id("city-4109").await;
    let py_path = fx.json("GET", &format!("/api/v1/admin/units/{py}"), Some(&admin), None).await.json["path"]
        .as_str()
        .unwrap()
        .to_owned();

    // Level rules, one field each.
    let add = |body: serde_json::Value| fx.json("POST", "/api/v1/admin/units", Some(&admin), Some(body));
    let r =
        add(json!({ "code": "town-x", "name": "新区街道", "level": "township", "parent_id": city })).await;
    assert_eq!((r.status, field(&r)), (StatusCode::BAD_REQUEST, "parent_id"), "{}", r.text);
    assert!(r.json["error"]["message"].as_str().unwrap().contains("县（区）级"), "{}", r.text);
    let r = add(json!({ "code": "dept-x", "name": "某局", "level": "department", "parent_id": py })).await;
    assert_eq!((r.status, field(&r)), (StatusCode::BAD_REQUEST, "dept_kind"), "{}", r.text);
    let r = add(json!({ "code": "team-2", "name": "第二组", "level": "team", "parent_id": city })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let r = add(json!({ "code": "bad code", "name": "x", "level": "township", "parent_id": py })).await;
    assert_eq!(field(&r), "code", "{}", r.text);

    let r =
        add(json!({ "code": "town-new", "name": "新区街道", "level": "township", "parent_id": py })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let town = r.json["id"].as_i64().unwrap();
    assert_eq!(r.json["path"], format!("{py_path}{town}/"));
    assert_eq!(audits(&fx, "unit.create", town).await, 1);
    let r = add(json!({ "code": "town-new", "name": "重复", "level": "township", "parent_id": py })).await;
    assert_eq!((r.status, code(&r)), (StatusCode::CONFLICT, "unit_exists"), "{}", r.text);
    let r = add(json!({ "code": "dept-new", "name": "濮阳县环卫处", "level": "department", "dept_kind": "urban_management", "parent_id": py })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["region_code"], "410928", "a department takes its county's region");

    // Rename.
    let r = fx
        .json(
            "PATCH",
            &format!("/api/v1/admin/units/{town}"),
            Some(&admin),
            Some(json!({ "name": "新城街道" })),
        )
        .await;
    assert_eq!((r.status, r.json["name"].as_str()), (StatusCode::OK, Some("新城街道")), "{}", r.text);
    assert_eq!(audits(&fx, "unit.rename", town).await, 1);

    // Move a county with its township to a second city office: the whole subtree's paths follow.
    let team = fx.unit_id("team").await;
    let r =
        add(json!({ "code": "city-2", "name": "第二市攻坚办", "level": "city", "parent_id": team })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let (city2, city2_path) = (r.json["id"].as_i64().unwrap(), r.json["path"].as_str().unwrap().to_owned());
    let r = add(json!({ "code": "county-new", "name": "新区攻坚办", "level": "county", "parent_id": city }))
        .await;
    let county_new = r.json["id"].as_i64().unwrap();
    let r = add(
        json!({ "code": "town-under", "name": "新区一街道", "level": "township", "parent_id": county_new }),
    )
    .await;
    let town_under = r.json["id"].as_i64().unwrap();
    let r = fx
        .json(
            "PATCH",
            &format!("/api/v1/admin/units/{county_new}"),
            Some(&admin),
            Some(json!({ "parent_id": city2 })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["path"], format!("{city2_path}{county_new}/"));
    let r = fx.json("GET", &format!("/api/v1/admin/units/{town_under}"), Some(&admin), None).await;
    assert_eq!(r.json["path"], format!("{city2_path}{county_new}/{town_under}/"), "{}", r.text);
    assert_eq!(audits(&fx, "unit.move", county_new).await, 1);
    // A township cannot move under a city office.
    let r = fx
        .json(
            "PATCH",
            &format!("/api/v1/admin/units/{town}"),
            Some(&admin),
            Some(json!({ "parent_id": city2 })),
        )
        .await;
    assert_eq!((r.status, field(&r)), (StatusCode::BAD_REQUEST, "parent_id"), "{}", r.text);

    // Contacts: validated per field, kind stored, the audit does not keep the webhook address.
    let url = format!("/api/v1/admin/units/{town}/contacts");
    let r = fx.json("PUT", &url, Some(&admin), Some(json!({ "email": "not-an-email" }))).await;
    assert_eq!(field(&r), "email", "{}", r.text);
    let r = fx.json("PUT", &url, Some(&admin), Some(json!({ "sms": "12345" }))).await;
    assert_eq!(field(&r), "sms", "{}", r.text);
    let r = fx
        .json(
            "PUT",
            &url,
            Some(&admin),
            Some(json!({ "webhook": "https://x.example/h", "webhook_kind": "slack" })),
        )
        .await;
    assert_eq!(field(&r), "webhook_kind", "{}", r.text);
    let hook = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-KEY-1";
    let r = fx
        .json("PUT", &url, Some(&admin), Some(json!({ "email": "xc@example.gov.cn", "webhook": hook, "webhook_kind": "wecom", "sms": "139 3930 0001" })))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.json["webhook_kind"].as_str(), r.json["sms"].as_str()),
        (Some("wecom"), Some("13939300001"))
    );
    let leaked = fx.count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%SECRET-KEY-1%'").await;
    assert_eq!(leaked, 0, "the webhook key stays out of the audit chain");

    // Retire: refused while a case is active there (naming it), then allowed; hidden from dispatch.
    let case = fx.intake(&fx.token("op").await, "濮阳县柳屯镇北街村有人露天焚烧垃圾，烟很大。").await;
    fx.route_down(case, "county-410928", "town-410928101").await;
    let liutun = fx.unit_id("town-410928101").await;
    let r = fx.json("POST", &format!("/api/v1/admin/units/{liutun}/retire"), Some(&admin), None).await;
    assert_eq!((r.status, code(&r)), (StatusCode::CONFLICT, "unit_has_active_assignments"), "{}", r.text);
    let accept_no: String = sqlx::query_scalar("SELECT accept_no FROM cases WHERE id = $1")
        .bind(case)
        .fetch_one(fx.app.store.reader())
        .await
        .unwrap();
    assert!(r.json["error"]["message"].as_str().unwrap().contains(&accept_no), "{}", r.text);
    let r = fx.json("POST", &format!("/api/v1/admin/units/{py}/retire"), Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let r = fx.json("POST", &format!("/api/v1/admin/units/{town}/retire"), Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.json["retired_at"].is_i64());
    assert_eq!(audits(&fx, "unit.retire", town).await, 1);
    let r = fx.json("POST", &format!("/api/v1/admin/units/{town}/retire"), Some(&admin), None).await;
    assert_eq!((r.status, code(&r)), (StatusCode::CONFLICT, "unit_retired"));
    let county_user = fx.app.load_user(user_id(&fx, "county_py").await).await.unwrap();
    let targets = fx.app.dispatch_targets(&county_user).await.unwrap();
    assert!(targets.iter().all(|u| u.id != town) && targets.iter().any(|u| u.id == liutun));
    // No new assignment to a retired unit.
    let case2 = fx.intake(&fx.token("op").await, "濮阳县文留镇有砖厂冒黑烟。").await;
    let r = fx.act(&fx.token("team").await, case2, json!({ "action": "assign" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = fx.act(&fx.token("city").await, case2, json!({ "action": "dispatch", "to_unit_id": py })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = fx.act(&county, case2, json!({ "action": "dispatch", "to_unit_id": town })).await;
    assert_eq!((r.status, field(&r)), (StatusCode::BAD_REQUEST, "to_unit_id"), "{}", r.text);
    let n = fx.count(&format!("SELECT COUNT(*) FROM assignments WHERE unit_id = {town}")).await;
    assert_eq!(n, 0);
    // The history stays: the retired unit is still listed.
    let r = fx.json("GET", "/api/v1/admin/units", Some(&admin), None).await;
    assert_eq!(r.json.as_array().unwrap().len(), before + 5);
}

async fn user_id(fx: &Fx, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(name)
        .fetch_one(fx.app.store.reader())
        .await
        .unwrap()
}

async fn login_status(fx: &Fx, user: &str, password: &str) -> Resp {
    fx.json("POST", "/api/v1/session", None, Some(json!({ "username": user, "password": password }))).await
}

async fn users_api(backend: Backend) {
    let fx = setup(backend).await;
    let admin = with_admin(&fx).await;
    let liutun_unit = fx.unit_id("town-410928101").await;
    let city = fx.unit_id("city-4109").await;
    let r = fx.json("GET", "/api/v1/admin/users", Some(&fx.token("team").await), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Role and level must fit.
    let add = |body: serde_json::Value| fx.json("POST", "/api/v1/admin/users", Some(&admin), Some(body));
    let r = add(json!({ "username": "li", "display_name": "李", "role": "handler", "unit_id": city })).await;
    assert_eq!((r.status, field(&r)), (StatusCode::BAD_REQUEST, "role"), "{}", r.text);
    let r = add(json!({ "username": "li", "display_name": "李", "role": "handler", "unit_id": liutun_unit, "password": "short" })).await;
    assert_eq!(field(&r), "password", "{}", r.text);
    let r =
        add(json!({ "username": "liutun", "display_name": "李", "role": "handler", "unit_id": liutun_unit }))
            .await;
    assert_eq!((r.status, code(&r)), (StatusCode::CONFLICT, "user_exists"), "{}", r.text);

    // Generated password: shown once, must be changed at first login (API tokens refused too).
    let r =
        add(json!({ "username": "li", "display_name": "李丽", "role": "handler", "unit_id": liutun_unit }))
            .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let li = r.json["user"]["id"].as_i64().unwrap();
    let generated = r.json["generated_password"].as_str().unwrap().to_owned();
    assert!(r.json["user"]["must_change_password"].as_bool().unwrap());
    assert_eq!(audits(&fx, "user.create", li).await, 1);
    assert_eq!(
        fx.count(&format!("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%{generated}%'")).await,
        0
    );
    let r = login_status(&fx, "li", &generated).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let li_token = r.json["token"].as_str().unwrap().to_owned();
    let r = fx.json("GET", "/api/v1/tasks", Some(&li_token), None).await;
    assert_eq!((r.status, code(&r)), (StatusCode::FORBIDDEN, "password_change_required"), "{}", r.text);
    fx.app.change_own_password(&li_token, &generated, "li-new-password", "li-new-password").await.unwrap();
    let r = fx.json("GET", "/api/v1/tasks", Some(&li_token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(audits(&fx, "user.password_changed", li).await, 1);

    // Disable: the live token is refused on its next request, login refused with a clear message.
    let r = fx.json("POST", &format!("/api/v1/admin/users/{li}/disable"), Some(&admin), None).await;
    assert_eq!((r.status, r.json["active"].as_bool()), (StatusCode::OK, Some(false)), "{}", r.text);
    let r = fx.json("GET", "/api/v1/tasks", Some(&li_token), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    assert_eq!(fx.count(&format!("SELECT COUNT(*) FROM sessions WHERE user_id = {li}")).await, 0);
    let r = login_status(&fx, "li", "li-new-password").await;
    assert_eq!((r.status, code(&r)), (StatusCode::FORBIDDEN, "account_disabled"), "{}", r.text);
    assert!(r.json["error"]["message"].as_str().unwrap().contains("停用"));
    assert_eq!(audits(&fx, "user.disable", li).await, 1);
    let me = user_id(&fx, "admin").await;
    let r = fx.json("POST", &format!("/api/v1/admin/users/{me}/disable"), Some(&admin), None).await;
    assert_eq!((r.status, code(&r)), (StatusCode::CONFLICT, "cannot_disable_self"));
    let r = fx.json("POST", &format!("/api/v1/admin/users/{li}/enable"), Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(login_status(&fx, "li", "li-new-password").await.status, StatusCode::OK);
    assert_eq!(audits(&fx, "user.enable", li).await, 1);

    // Reset by the administrator: sessions end, the next sign-in must change it.
    let r = fx
        .json(
            "POST",
            &format!("/api/v1/admin/users/{li}/password"),
            Some(&admin),
            Some(json!({ "password": "admin-chosen-1" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.json["generated_password"].is_null());
    assert_eq!(fx.count(&format!("SELECT COUNT(*) FROM sessions WHERE user_id = {li}")).await, 0);
    let t = login_status(&fx, "li", "admin-chosen-1").await.json["token"].as_str().unwrap().to_owned();
    let r = fx.json("GET", "/api/v1/me", Some(&t), None).await;
    assert_eq!(code(&r), "password_change_required");
    assert_eq!(audits(&fx, "user.password_reset", li).await, 1);

    // Role and unit change.
    let r = fx
        .json(
            "PATCH",
            &format!("/api/v1/admin/users/{li}"),
            Some(&admin),
            Some(json!({ "role": "office", "unit_id": liutun_unit })),
        )
        .await;
    assert_eq!((r.status, field(&r)), (StatusCode::BAD_REQUEST, "role"), "{}", r.text);
    let py = fx.unit_id("county-410928").await;
    let r = fx
        .json(
            "PATCH",
            &format!("/api/v1/admin/users/{li}"),
            Some(&admin),
            Some(json!({ "role": "office", "unit_id": py })),
        )
        .await;
    assert_eq!((r.status, r.json["role"].as_str()), (StatusCode::OK, Some("office")), "{}", r.text);
    assert_eq!(audits(&fx, "user.role_unit", li).await, 1);
    let r = fx
        .json(
            "PATCH",
            &format!("/api/v1/admin/users/{me}"),
            Some(&admin),
            Some(json!({ "role": "office", "unit_id": city })),
        )
        .await;
    assert_eq!(field(&r), "role", "{}", r.text);
}

async fn post_form(fx: &Fx, cookie: &str, path: &str, fields: &[(&str, &str)]) -> Resp {
    fx.send(
        Request::post(path)
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(serde_urlencoded::to_string(fields).unwrap()))
            .unwrap(),
    )
    .await
}

/// A sign-in through the login page, returning the answer and the session cookie.
async fn page_login(fx: &Fx, user: &str, password: &str) -> (Resp, String) {
    let r = fx.send(Request::get("/login").body(Body::empty()).unwrap()).await;
    let login_cookie = set_cookie(&r, "ducha_login_csrf").unwrap();
    let csrf = hidden_csrf(&r.text);
    let r = post_form(
        fx,
        &login_cookie,
        "/login",
        &[("_csrf", &csrf), ("username", user), ("password", password)],
    )
    .await;
    let cookie = set_cookie(&r, "ducha_session").unwrap_or_default();
    (r, cookie)
}

async fn pages(backend: Backend) {
    let fx = setup(backend).await;
    with_admin(&fx).await;
    let admin: Session = login(&fx, "admin").await;
    let county = login(&fx, "county_py").await;
    for path in ["/admin/units", "/admin/users"] {
        assert_eq!(county.get(&fx, path).await.status, StatusCode::FORBIDDEN, "{path}");
        let r = admin.get(&fx, path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
    }
    let r = admin.get(&fx, "/admin/units").await;
    assert!(r.text.contains("濮阳县污染防治攻坚办") && r.text.contains("新增单位"));
    // A forged token is refused as such before anything else, for every role.
    let py_id = fx.unit_id("county-410928").await;
    let me = user_id(&fx, "admin").await;
    for s in [&admin, &county] {
        for path in [
            "/admin/units".to_owned(),
            format!("/admin/units/{py_id}"),
            "/admin/users".to_owned(),
            format!("/admin/users/{me}"),
            "/password".to_owned(),
            "/logout".to_owned(),
        ] {
            let forged = format!("{}x", s.csrf);
            for body in [
                vec![("_csrf", forged.as_str()), ("op", "retire")],
                vec![("_csrf", s.csrf.as_str()), ("_csrf", forged.as_str())],
            ] {
                let r = post_form(&fx, &s.cookie, &path, &body).await;
                assert_eq!(
                    (r.status, r.text.contains("csrf_failed")),
                    (StatusCode::FORBIDDEN, true),
                    "POST {path}"
                );
            }
        }
    }
    assert_eq!(fx.count("SELECT COUNT(*) FROM units WHERE retired_at IS NOT NULL").await, 0);

    // A refused form keeps what was typed and shows the error next to its field.
    let city = fx.unit_id("city-4109").await.to_string();
    let r = admin
        .post_form(
            &fx,
            "/admin/units",
            &[("parent_id", &city), ("level", "township"), ("code", "t-1"), ("name", "新街道")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains(r#"<p class="error" id="u-parent-err">"#), "{}", r.text);
    assert!(r.text.contains(r#"value="新街道""#));
    let py = fx.unit_id("county-410928").await.to_string();
    let r = admin
        .post_form(
            &fx,
            "/admin/units",
            &[("parent_id", &py), ("level", "township"), ("code", "t-1"), ("name", "新街道")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let t1 = fx.unit_id("t-1").await;
    // Without the CSRF token nothing happens.
    let r =
        post_form(&fx, &admin.cookie, &format!("/admin/units/{t1}"), &[("op", "rename"), ("name", "被篡改")])
            .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin.post_form(&fx, &format!("/admin/units/{t1}"), &[("op", "contacts"), ("sms", "123")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains(r#"<p class="error" id="c-sms-err">"#), "{}", r.text);
    let r = admin
        .post_form(
            &fx,
            &format!("/admin/units/{t1}"),
            &[
                ("op", "contacts"),
                ("webhook", "https://oapi.dingtalk.com/robot/send?access_token=t"),
                ("webhook_kind", "dingtalk"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("联系方式已保存"));
    let r =
        admin.post_form(&fx, &format!("/admin/units/{t1}"), &[("op", "rename"), ("name", "新城街道")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(audits(&fx, "unit.rename", t1).await, 1);
    let r = admin.post_form(&fx, &format!("/admin/units/{t1}"), &[("op", "retire")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("已撤销"));

    // A user added on the page with a generated password sees it once.
    let t = fx.unit_id("town-410928102").await.to_string();
    let r = admin
        .post_form(
            &fx,
            "/admin/users",
            &[("username", "zhao"), ("display_name", "赵"), ("role", "office"), ("unit_id", &t)],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains(r#"<p class="error" id="n-role-err">"#), "{}", r.text);
    let r = admin
        .post_form(
            &fx,
            "/admin/users",
            &[("username", "zhao"), ("display_name", "赵"), ("role", "handler"), ("unit_id", &t)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let i = r.text.find("<code>").unwrap() + "<code>".len();
    let generated = r.text[i..i + 14].to_owned();
    let listing = admin.get(&fx, "/admin/users").await;
    assert!(!listing.text.contains(&generated), "shown once");

    // First sign-in goes to the change-password page; every other page and form is refused.
    let (r, cookie) = page_login(&fx, "zhao", &generated).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers["location"], "/password");
    let home = fx.send(Request::get("/").header("cookie", &cookie).body(Body::empty()).unwrap()).await;
    assert_eq!(home.status, StatusCode::FORBIDDEN);
    assert!(home.text.contains("修改密码"));
    let page =
        fx.send(Request::get("/password").header("cookie", &cookie).body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = hidden_csrf(&page.text);
    let r = post_form(
        &fx,
        &cookie,
        "/password",
        &[
            ("_csrf", &csrf),
            ("current", &generated),
            ("password", "zhao-pass-01"),
            ("repeat", "zhao-pass-02"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains(r#"<p class="error" id="repeat-err">"#), "{}", r.text);
    let r = post_form(
        &fx,
        &cookie,
        "/password",
        &[("current", &generated), ("password", "zhao-pass-01"), ("repeat", "zhao-pass-01")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token, no change");
    let r = post_form(
        &fx,
        &cookie,
        "/password",
        &[
            ("_csrf", &csrf),
            ("current", &generated),
            ("password", "zhao-pass-01"),
            ("repeat", "zhao-pass-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let home = fx.send(Request::get("/").header("cookie", &cookie).body(Body::empty()).unwrap()).await;
    assert_eq!(home.status, StatusCode::OK);

    // Disabled on the page: the live session is refused on its next request.
    let zhao = user_id(&fx, "zhao").await;
    let r = admin.post_form(&fx, &format!("/admin/users/{zhao}"), &[("op", "disable")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let home = fx.send(Request::get("/").header("cookie", &cookie).body(Body::empty()).unwrap()).await;
    assert!(home.status.is_redirection() && home.headers["location"] == "/login", "{:?}", home.status);
    let (r, _) = page_login(&fx, "zhao", "zhao-pass-01").await;
    assert!(r.text.contains("该账号已停用"), "{}", r.text);
}

async fn webhook_kinds(backend: Backend) {
    let (hook, got) = receivers::webhook().await;
    let fx = setup_cfg(
        backend,
        Config {
            webhook_secret: Some("s3cret".into()),
            sms_webhook_url: Some(hook.clone()),
            ..Config::for_tests()
        },
    )
    .await;
    let admin = with_admin(&fx).await;
    for (unit, kind) in [("county-410928", "wecom"), ("county-410902", "dingtalk"), ("city-4109", "generic")]
    {
        let id = fx.unit_id(unit).await;
        let r = fx
            .json(
                "PUT",
                &format!("/api/v1/admin/units/{id}/contacts"),
                Some(&admin),
                Some(json!({ "webhook": hook, "webhook_kind": kind })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let py = fx.unit_id("county-410928").await;
    let r = fx
        .json(
            "PUT",
            &format!("/api/v1/admin/units/{py}/contacts"),
            Some(&admin),
            Some(json!({ "webhook": hook, "webhook_kind": "wecom", "sms": "13939300001" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let op = fx.token("op").await;
    let team = fx.token("team").await;
    let city = fx.token("city").await;
    for (text, county) in
        [("濮阳县柳屯镇有人焚烧垃圾。", "county-410928"), ("华龙区有工地扬尘严重。", "county-410902")]
    {
        let case = fx.intake(&op, text).await;
        assert_eq!(fx.act(&team, case, json!({ "action": "assign" })).await.status, StatusCode::OK);
        let to = fx.unit_id(county).await;
        let r = fx.act(&city, case, json!({ "action": "dispatch", "to_unit_id": to })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    for _ in 0..3 {
        fx.app.deliver_outbox("w").await.unwrap();
    }
    let bodies: Vec<serde_json::Value> =
        got.all().iter().map(|l| serde_json::from_str(l.split_once('\t').unwrap().1).unwrap()).collect();
    let robots: Vec<&serde_json::Value> = bodies.iter().filter(|b| b["msgtype"] == "text").collect();
    assert_eq!(robots.len(), 2, "one WeCom and one DingTalk text message: {bodies:?}");
    for b in &robots {
        let content = b["text"]["content"].as_str().unwrap();
        assert!(content.contains("转办案件"), "{content}");
        assert_eq!(b.as_object().unwrap().len(), 2, "only msgtype and text: {b}");
    }
    assert!(robots.iter().any(|b| b["text"]["content"].as_str().unwrap().contains("濮阳县污染防治攻坚办")));
    let sms: Vec<&serde_json::Value> = bodies.iter().filter(|b| b.get("phone").is_some()).collect();
    assert_eq!(sms.len(), 1, "the county office's duty phone gets one SMS: {bodies:?}");
    assert_eq!(sms[0]["phone"], "13939300001");
    assert!(sms[0]["text"].as_str().unwrap().contains("转办案件"), "{}", sms[0]);
    let generic: Vec<&serde_json::Value> = bodies.iter().filter(|b| b.get("unit").is_some()).collect();
    assert!(!generic.is_empty(), "the city office's generic hook still gets signed JSON: {bodies:?}");
    assert!(
        generic
            .iter()
            .all(|b| b["id"].as_str().unwrap().starts_with("outbox-") && b["unit"]["code"] == "city-4109")
    );
    let failed = fx
        .count("SELECT COUNT(*) FROM outbox WHERE channel IN ('webhook', 'sms') AND delivered_at IS NULL")
        .await;
    assert_eq!(failed, 0);
}

#[tokio::test]
async fn issue17_units_api_level_rules_move_retire_contacts_all_backends() {
    for b in testing::backends() {
        units_api(b).await;
    }
}

#[tokio::test]
async fn issue17_users_api_disable_reset_must_change_all_backends() {
    for b in testing::backends() {
        users_api(b).await;
    }
}

#[tokio::test]
async fn issue17_admin_pages_field_errors_password_change_all_backends() {
    for b in testing::backends() {
        pages(b).await;
    }
}

#[tokio::test]
async fn issue17_webhook_kinds_wecom_dingtalk_generic_all_backends() {
    for b in testing::backends() {
        webhook_kinds(b).await;
    }
}
