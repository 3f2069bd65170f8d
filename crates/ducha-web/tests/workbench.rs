//! The staff workbench over HTTP, on both backends: each role's home shows its own work and only
//! what it may see; live intake suggestions are read-only, CSRF-protected and say when a problem is
//! already being handled; the hotline form reads the accept number back; dashboards carry SVG
//! charts with their tables and XLSX downloads; the map links every township to its cases; search
//! combines full text with filters.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Fx, login};
use ducha_store::Backend;
use serde_json::json;

/// The `data-card` keys on a home page, with their counts.
fn cards(html: &str) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for part in html.split("data-card=\"").skip(1) {
        let key = part[..part.find('"').unwrap()].to_owned();
        let n = part.split("<span class=\"n\">").nth(1).unwrap();
        let n: i64 = n[..n.find('<').unwrap()].trim().parse().unwrap();
        out.push((key, n));
    }
    out
}

fn card(html: &str, key: &str) -> Option<i64> {
    cards(html).into_iter().find(|c| c.0 == key).map(|c| c.1)
}

const LIUTUN: &str =
    "濮阳县柳屯镇南街村东头有个塑料颗粒加工作坊，晚上一直冒黑烟，气味刺鼻，影响周边居民休息。";
const WENLIU: &str = "濮阳县文留镇西街村一家洗车店污水直排路边沟渠，臭味明显。";

async fn audit_count(fx: &Fx) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log")
        .fetch_one(fx.app.store.reader())
        .await
        .unwrap()
}

async fn case_count(fx: &Fx) -> i64 {
    ducha_store::cases::count_cases(&fx.app.store).await.unwrap()
}

async fn scenario(backend: Backend) {
    let fx = common::setup(backend).await;
    let op = fx.token("op").await;
    let first = fx.intake(&op, LIUTUN).await;
    let other = fx.intake(&op, WENLIU).await;
    fx.route_down(first, "county-410928", "town-410928101").await;

    // ---- live suggestions: read-only, for intake roles, CSRF-checked on cookie sessions ----
    let ops = login(&fx, "op").await;
    let (cases_before, audit_before) = (case_count(&fx).await, audit_count(&fx).await);
    let again = "柳屯镇南街村那个塑料颗粒作坊今天晚上又在冒黑烟，味道很大";
    let r = ops.post_json(&fx, "/api/v1/triage/suggest", json!({ "text": again }), true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["county"]["code"], "410928", "{}", r.json);
    assert_eq!(r.json["township"]["code"], "410928101");
    assert_eq!(r.json["township"]["name"], "柳屯镇");
    assert!(r.json["pollution_types"].as_array().unwrap().iter().any(|t| t == "大气"), "{}", r.json);
    let dup = &r.json["duplicate"];
    assert_eq!(dup["id"], first, "the earlier report of the same workshop: {}", r.json);
    assert_eq!(dup["open"], true);
    let say = dup["say"].as_str().unwrap();
    assert!(say.contains("柳屯镇") && say.contains("办理"), "tells the operator who is handling it: {say}");
    assert_eq!(case_count(&fx).await, cases_before, "suggestions store nothing");
    assert_eq!(audit_count(&fx).await, audit_before, "suggestions write no audit record");
    // Without the CSRF header a cookie session is refused; a handler may not use it at all.
    let r = ops.post_json(&fx, "/api/v1/triage/suggest", json!({ "text": again }), false).await;
    assert_eq!((r.status, r.json["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("csrf_failed")));
    let h = fx.token("liutun").await;
    let r = fx.json("POST", "/api/v1/triage/suggest", Some(&h), Some(json!({ "text": again }))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = fx.json("POST", "/api/v1/triage/suggest", Some(&op), Some(json!({ "txt": again }))).await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json_body"))
    );
    // A different township: no duplicate, but the open case of 柳屯镇 is not offered either.
    let r =
        ops.post_json(&fx, "/api/v1/triage/suggest", json!({ "text": "清丰县城关镇有人烧散煤" }), true).await;
    assert_eq!(r.json["duplicate"], serde_json::Value::Null, "{}", r.json);
    assert!(r.json["nearby"].as_array().unwrap().iter().all(|c| c["id"] != first));
    // The OpenAPI document describes it.
    let doc = fx.json("GET", "/api/openapi.json", None, None).await;
    assert!(doc.json["paths"]["/api/v1/triage/suggest"]["post"].is_object());

    // ---- the hotline form: field errors next to the field, then the accept number read back ----
    let page = ops.get(&fx, "/intake").await;
    assert!(page.text.contains("/static/intake.js") && page.text.contains("data-suggest="));
    assert!(page.text.contains("<optgroup label=\"濮阳县\""), "townships grouped by county");
    let r = ops.post_form(&fx, "/intake", &[("channel", "phone"), ("text", "短")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("id=\"err-text\""), "the error sits next to the text field");
    assert!(r.text.contains("aria-invalid=\"true\""));
    let r = ops
        .post_form(
            &fx,
            "/intake",
            &[
                ("channel", "letter"),
                ("text", "范县陈庄镇有家砖厂晚上偷偷生产，粉尘很大。"),
                ("name", "李四"),
                ("received_at", "2023-12-13T16:30"),
                ("types", "大气"),
                ("types", "噪声"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let to = r.headers.get("location").unwrap().to_str().unwrap().to_owned();
    assert!(to.starts_with("/intake?accepted="), "{to}");
    let done = ops.get(&fx, &to).await;
    let id: i64 = to["/intake?accepted=".len()..].split('&').next().unwrap().parse().unwrap();
    let c = ducha_store::cases::get(&fx.app.store, id).await.unwrap().unwrap();
    assert!(c.accept_no.starts_with("X3HA20231213"), "a letter dated when it came: {}", c.accept_no);
    assert!(
        done.text.contains(&format!("<p class=\"accept-no\" lang=\"en\">{}</p>", c.accept_no)),
        "read back"
    );
    assert!(done.text.contains("2023年12月13日"), "the date part spelled out");
    assert_eq!(c.pollution_types, "大气,噪声", "the operator's types win over triage");
    assert_eq!(c.channel, "letter");
    // CSRF on the form.
    let r = fx
        .send(
            Request::post("/intake")
                .header("cookie", &ops.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("_csrf=wrong&channel=phone&text=abcdefgh"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // ---- homes: each role its own cards; counts link to filtered lists ----
    let team = login(&fx, "team").await;
    let home = team.get(&fx, "/").await.text;
    assert!(card(&home, "to_batch").unwrap() >= 2, "{:?}", cards(&home));
    assert!(card(&home, "today").unwrap() >= 2);
    // The fixture routed one case down today, so today's batch (第1批) has been sent.
    assert!(home.contains("今日批次已交办：第1批，共1件"), "{home}");
    assert!(
        card(&home, "discipline").is_none() && !home.contains("纪律"),
        "discipline reports are not the team's"
    );
    let list = team.get(&fx, "/cases?stage=received,returned_team").await.text;
    assert!(list.contains(&ducha_store::cases::get(&fx.app.store, other).await.unwrap().unwrap().accept_no));

    let city = login(&fx, "city").await;
    let home = city.get(&fx, "/").await.text;
    for k in ["to_dispatch", "handling", "extensions", "overdue", "blanket", "endless"] {
        assert!(card(&home, k).is_some(), "city card {k}: {:?}", cards(&home));
    }
    assert_eq!(card(&home, "handling"), Some(1), "the case with 柳屯镇");

    let county = login(&fx, "county_py").await;
    let home = county.get(&fx, "/").await.text;
    assert!(card(&home, "to_verify").is_some() && card(&home, "to_dispatch").is_some());
    assert_eq!(card(&home, "handling"), Some(1));
    let hl = login(&fx, "county_hl").await;
    assert_eq!(card(&hl.get(&fx, "/").await.text, "handling"), Some(0), "华龙区 does not see 濮阳县's case");

    let town = login(&fx, "liutun").await;
    let home = town.get(&fx, "/").await.text;
    assert_eq!(card(&home, "to_ack"), Some(1));
    assert!(home.contains("我的任务") && home.contains("还剩"), "due time in plain words");
    let wenliu = login(&fx, "wenliu").await;
    let home = wenliu.get(&fx, "/").await.text;
    assert_eq!(card(&home, "to_ack"), Some(0));
    assert!(home.contains("目前没有在办任务"), "an empty state that says what happens next");
    assert_eq!(wenliu.get(&fx, &format!("/cases/{first}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(wenliu.get(&fx, "/dashboard").await.status, StatusCode::FORBIDDEN);

    let prov = login(&fx, "prov").await;
    let home = prov.get(&fx, "/").await.text;
    assert_eq!(cards(&home).iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), vec!["discipline"]);
    assert!(!home.contains("href=\"/cases\""), "no case list in the provincial office's navigation");
    assert_eq!(prov.get(&fx, "/map").await.status, StatusCode::FORBIDDEN);

    // ---- search: full text with filters, numbered pages, filter summary ----
    let r = team.get(&fx, "/cases?q=%E5%A1%91%E6%96%99%20%E9%BB%91%E7%83%9F&county_code=410928").await;
    assert!(
        r.text.contains(&ducha_store::cases::get(&fx.app.store, first).await.unwrap().unwrap().accept_no)
    );
    assert!(r.text.contains("检索：塑料 黑烟") && r.text.contains("县区：濮阳县"), "the filters in words");
    let r = team.get(&fx, "/cases?q=%E6%B4%97%E8%BD%A6&stage=closed").await;
    assert!(r.text.contains("没有符合条件的案件"), "washing shop is not closed");
    let r = team.get(&fx, "/cases?from=2023-13-01").await;
    assert!(r.text.contains("日期“2023-13-01”格式不正确"), "a bad date is explained, not a 400 page");
    let r = team.get(&fx, "/api/v1/cases?q=%E6%B4%97%E8%BD%A6").await;
    assert_eq!(r.json["total"], 1, "{}", r.text);
    let r = team.get(&fx, "/api/v1/cases?overdue=1").await;
    assert_eq!(r.json["total"], 0);

    // ---- dashboards: SVG charts, tables, XLSX ----
    let r = city.get(&fx, "/dashboard").await;
    assert_eq!(r.status, StatusCode::OK);
    for key in ["county", "type", "day", "outcomes", "due", "burden", "alerts"] {
        assert!(r.text.contains(&format!("id=\"s-{key}\"")), "section {key}");
        assert!(r.text.contains(&format!("href=\"/dashboard/{key}.xlsx\"")), "xlsx {key}");
    }
    assert!(r.text.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\""), "inline SVG");
    assert!(r.text.contains("<th scope=\"row\">濮阳县</th>"), "numbers as an accessible table");
    let x = city.get(&fx, "/dashboard/county.xlsx").await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(x.headers["content-type"].to_str().unwrap().contains("spreadsheetml"));
    {
        use calamine::{Data, Reader, Xlsx};
        let all = city.get(&fx, "/dashboard/all.xlsx").await;
        assert_eq!(all.status, StatusCode::OK);
        let resp = tower::ServiceExt::oneshot(
            fx.router.clone(),
            Request::get("/dashboard/county.xlsx")
                .header("cookie", &city.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
        let bytes = http_body_util::BodyExt::collect(resp.into_body()).await.unwrap().to_bytes();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let range = wb.worksheet_range("按县区").unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        assert_eq!(rows[0][0], Data::String("县（区）".into()));
        let py = rows.iter().find(|r| r[0] == Data::String("濮阳县".into())).expect("濮阳县 row");
        assert_eq!(py[2], Data::Float(2.0), "two of the three cases are in 濮阳县");
    }
    assert_eq!(city.get(&fx, "/dashboard/nope.xlsx").await.status, StatusCode::NOT_FOUND);

    // ---- map: every township a tile linking to its cases ----
    let r = city.get(&fx, "/map").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text.matches("class=\"tile q").count(), 89, "Puyang's 89 townships and streets");
    assert!(r.text.contains("href=\"/cases?township_code=410928101\""));
    assert!(r.text.contains("aria-label=\"柳屯镇，1 件\""), "{}", &r.text[..200]);
    let r = city.get(&fx, "/map?stage=closed").await;
    assert!(r.text.contains("aria-label=\"柳屯镇，0 件\""));
    let r = hl.get(&fx, "/map").await;
    assert!(r.text.contains("aria-label=\"柳屯镇，0 件\""), "华龙区's map counts only its own cases");

    // ---- extensions to decide ----
    let r = city.get(&fx, "/extensions").await;
    assert!(r.text.contains("没有待审批的延期申请"));
    let r = town.get(&fx, "/extensions").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workbench_all_backends() {
    for b in ducha_store::testing::backends() {
        scenario(b).await;
    }
}
