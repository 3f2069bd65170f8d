//! `/admin/holidays` and `/api/v1/admin/holidays` (issue 17, R5.3): administrators list the years of
//! the calendar (built in and imported, with 文号 and date) and import a year — through the API as
//! JSON, through the page as a pasted text or a chosen file (multipart, CSRF-checked); a year already
//! there needs `replace`; a bad file is shown back with every error; other roles are refused and store
//! nothing. On SQLite, and on PostgreSQL when `DUCHA_TEST_PG` is set.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Fx, PASSWORD, Resp, Session, login};
use ducha_app::auth::NewUserInput;
use ducha_store::{Backend, testing};
use serde_json::json;

const FIXTURE: &str = include_str!("../../../tests/data/holidays/2027-fixture.csv");
const DOC_NO: &str = "测试文号〔2026〕1号";
const BOUNDARY: &str = "holidaysboundary";

/// A multipart body: text fields, and optionally a file `(name, content)` in the `file` field.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str)>) -> String {
    let mut b = String::new();
    for (k, v) in fields {
        b.push_str(&format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"));
    }
    let (name, content) = file.unwrap_or(("", ""));
    b.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n--{BOUNDARY}--\r\n"
    ));
    b
}

async fn post_page(fx: &Fx, s: &Session, fields: &[(&str, &str)], file: Option<(&str, &str)>) -> Resp {
    fx.send(
        Request::post("/admin/holidays")
            .header("cookie", &s.cookie)
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(Body::from(multipart(fields, file)))
            .unwrap(),
    )
    .await
}

/// The page form's fields for a 2028 import, with `csrf`.
fn fields(csrf: &str) -> Vec<(&str, &str)> {
    vec![("_csrf", csrf), ("year", "2028"), ("doc_no", "测试文号〔2027〕3号"), ("dated", "2027-11-01")]
}

async fn imports(fx: &Fx) -> i64 {
    fx.count("SELECT COUNT(*) FROM holiday_imports").await
}

async fn check(backend: Backend) {
    let fx = common::setup(backend).await;
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
    let admin = fx.token("admin").await;
    let city = fx.token("city").await;

    // --- the API ---
    let r = fx.json("GET", "/api/v1/admin/holidays", Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let years: Vec<i64> =
        r.json["years"].as_array().unwrap().iter().map(|y| y["year"].as_i64().unwrap()).collect();
    assert_eq!(years, (2019..=2026).collect::<Vec<_>>());
    assert_eq!(r.json["years"][7]["notices"][0]["doc_no"], "国办发明电〔2025〕7号");
    assert_eq!(r.json["years"][7]["source"], "builtin");
    assert_eq!(
        fx.json("GET", "/api/v1/admin/holidays", Some(&city), None).await.status,
        StatusCode::FORBIDDEN
    );

    let body = json!({ "year": 2027, "doc_no": DOC_NO, "dated": "2026-11-20", "csv": FIXTURE });
    let r = fx.json("POST", "/api/v1/admin/holidays", Some(&city), Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let bad = json!({ "year": 2027, "doc_no": DOC_NO, "dated": "2026-11-20", "csv": "from,to,kind,name\n2027-02-01,2027-02-01,workday,春节\n" });
    let r = fx.json("POST", "/api/v1/admin/holidays", Some(&admin), Some(bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json["error"]["code"], "calendar_data_invalid");
    assert!(r.json["error"]["details"][0].as_str().unwrap().contains("第2行"), "{}", r.text);
    assert_eq!(imports(&fx).await, 0);

    let r = fx.json("POST", "/api/v1/admin/holidays", Some(&admin), Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!((r.json["year"].as_i64(), r.json["holidays"].as_i64()), (Some(2027), Some(29)));
    assert_eq!(r.json["notices"][0]["dated"], "2026-11-20");
    let r = fx.json("POST", "/api/v1/admin/holidays", Some(&admin), Some(body)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json["error"]["code"], "holiday_year_exists");
    assert_eq!(r.json["error"]["field"], "replace");
    // In use at once: a due time reaching 2027 is computed.
    let start = chrono::DateTime::parse_from_rfc3339("2026-12-30T10:00:00+08:00").unwrap().to_utc();
    let due = ducha_domain::deadline::due_after_working_days(start, 5, &fx.app.calendar()).unwrap();
    assert_eq!(ducha_domain::time::iso_cst(due.at), "2027-01-07T18:00:00+08:00");

    // --- the page ---
    let s = login(&fx, "admin").await;
    let r = s.get(&fx, "/admin/holidays").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for needle in [
        "节假日安排",
        "国办发明电〔2025〕7号（2025-11-04）",
        DOC_NO,
        "enctype=\"multipart/form-data\"",
        "管理员",
    ] {
        assert!(r.text.contains(needle), "{needle}");
    }
    let home = s.get(&fx, "/admin/").await;
    assert!(home.text.contains("href=\"/admin/holidays\""), "the admin navigation lists the page");
    let other = login(&fx, "city").await;
    assert_eq!(other.get(&fx, "/admin/holidays").await.status, StatusCode::FORBIDDEN);
    let y2028 = "from,to,kind,name\n2028-01-01,2028-01-03,holiday,元旦\n";
    // Another role, and a forged form: refused, nothing stored.
    let r = post_page(&fx, &other, &fields(&other.csrf), Some(("2028.csv", y2028))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post_page(&fx, &s, &fields("forged"), Some(("2028.csv", y2028))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(imports(&fx).await, 1);

    // A pasted text with errors: the form again, with what was typed and every error.
    let mut f = fields(&s.csrf);
    f.push((
        "csv",
        "from,to,kind,name\n2028-01-03,2028-01-03,workday,元旦\n2029-01-01,2029-01-01,holiday,元旦\n",
    ));
    let r = post_page(&fx, &s, &f, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.text.contains("第2行") && r.text.contains("第3行") && r.text.contains("测试文号〔2027〕3号"),
        "{}",
        r.text
    );
    assert_eq!(imports(&fx).await, 1);

    // A chosen file wins over the text; success goes back to the list.
    let r = post_page(&fx, &s, &f, Some(("2028.csv", y2028))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.headers.get("location").unwrap(), "/admin/holidays?done=2028");
    let r = s.get(&fx, "/admin/holidays?done=2028").await;
    assert!(
        r.text.contains("已导入2028年节假日安排") && r.text.contains("测试文号〔2027〕3号"),
        "{}",
        r.text
    );

    // The built-in 2026 is replaced only with the box ticked.
    let y2026 = "from,to,kind,name\n2026-01-01,2026-01-03,holiday,元旦\n";
    let mut f = vec![
        ("_csrf", s.csrf.as_str()),
        ("year", "2026"),
        ("doc_no", "测试〔2025〕9号"),
        ("dated", "2025-12-01"),
        ("csv", y2026),
    ];
    let r = post_page(&fx, &s, &f, None).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("内置数据") && r.text.contains("替换该年已有安排"), "{}", r.text);
    f.push(("replace", "1"));
    let r = post_page(&fx, &s, &f, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = fx.json("GET", "/api/v1/admin/holidays", Some(&admin), None).await;
    let y = r.json["years"].as_array().unwrap().iter().find(|y| y["year"] == 2026).unwrap().clone();
    assert_eq!((y["source"].as_str(), y["replaced_builtin"].as_bool()), (Some("imported"), Some(true)));
    assert_eq!(r.json["imports"].as_array().unwrap().len(), 3);
    assert_eq!(
        fx.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'holidays.import' AND actor_name LIKE '管理员%'"
        )
        .await,
        3
    );
    // The same fields as a plain form (no file) work too.
    let r = s
        .post_form(
            &fx,
            "/admin/holidays",
            &[
                ("year", "2029"),
                ("doc_no", "测试文号〔2028〕1号"),
                ("dated", "2028-11-01"),
                ("csv", "from,to,kind,name\n2029-01-01,2029-01-01,holiday,元旦\n"),
            ],
        )
        .await;
    assert_eq!(
        (r.status, r.headers.get("location").map(|l| l.to_str().unwrap())),
        (StatusCode::SEE_OTHER, Some("/admin/holidays?done=2029"))
    );
}

#[tokio::test]
async fn r5_3_admin_holidays_page_and_api() {
    for backend in testing::backends() {
        check(backend).await;
    }
}
