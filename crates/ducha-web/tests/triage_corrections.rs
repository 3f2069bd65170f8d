//! Issue 3: staff correct triage on the case page; corrections are audited, kept as labelled data and
//! exported in the evaluation-set format. Both backends.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use ducha_store::{Backend, audit, testing};
use serde_json::json;

const TEXT: &str =
    "濮阳县柳屯镇东陈庄村有个塑料颗粒加工点晚上偷偷生产，冒黑烟，气味刺鼻。我叫王建国，电话13803930123。";

async fn corrections(b: Backend) {
    let fx = setup(b).await;
    let op = fx.token("op").await;
    let id = fx.intake(&op, TEXT).await;
    let team = fx.token("team").await;
    let url = format!("/api/v1/cases/{id}/triage-corrections");
    let before = fx.json("GET", &format!("/api/v1/cases/{id}"), Some(&team), None).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.text);

    // Who may: not a township handler, not a county office.
    for who in ["liutun", "county_py", "prov"] {
        let t = fx.token(who).await;
        let r = fx.json("POST", &url, Some(&t), Some(json!({ "pollution_types": ["水"] }))).await;
        assert!(matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{who}: {}", r.text);
    }

    // Bad input: named field, nothing changed.
    for (body, field) in [
        (json!({ "pollution_types": ["空气"] }), "pollution_types"),
        (json!({ "pollution_types": [] }), "pollution_types"),
        (json!({ "sansan": "散装" }), "sansan"),
        (json!({ "county_code": "999999" }), "county_code"),
        (json!({ "county_code": "" }), "county_code"),
        (json!({ "county_code": "410922", "township_code": "410928101" }), "township_code"),
    ] {
        let r = fx.json("POST", &url, Some(&team), Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text);
        assert_eq!(r.json["error"]["field"].as_str(), Some(field), "{body}: {}", r.text);
    }
    let r = fx.json("POST", &url, Some(&team), Some(json!({ "nonsense": 1 }))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let same = fx.json("GET", &format!("/api/v1/cases/{id}"), Some(&team), None).await;
    assert_eq!(same.json["case"]["pollution_types"], before.json["case"]["pollution_types"]);
    assert_eq!(same.json["case"]["county_code"], before.json["case"]["county_code"]);

    // A real correction: to 清丰县 / its first township, types 大气+固废, 三散 散乱污企业.
    let r = fx
        .json(
            "POST",
            &url,
            Some(&team),
            Some(json!({ "county_code": "410922", "township_code": "410922100", "pollution_types": ["固废", "大气", "固废"],
                         "sansan": "散乱污企业", "reason": "来电人补充：实际在清丰县" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let fields: Vec<&str> = r.json.as_array().unwrap().iter().filter_map(|c| c["field"].as_str()).collect();
    assert!(fields.contains(&"county_code") && fields.contains(&"township_code"), "{fields:?}");
    let after = fx.json("GET", &format!("/api/v1/cases/{id}"), Some(&team), None).await;
    assert_eq!(after.json["case"]["county_code"].as_str(), Some("410922"));
    assert_eq!(after.json["case"]["township_code"].as_str(), Some("410922100"));
    assert_eq!(after.json["case"]["pollution_types"], json!(["大气", "固废"]), "canonical order, no repeats");
    // The same values again change nothing and write nothing.
    let again = fx
        .json(
            "POST",
            &url,
            Some(&team),
            Some(json!({ "pollution_types": ["大气", "固废"], "county_code": "410922" })),
        )
        .await;
    assert_eq!(again.json, json!([]), "{}", again.text);
    let list = fx.json("GET", &url, Some(&team), None).await;
    assert_eq!(list.json.as_array().unwrap().len(), fields.len());

    // Audited, in the chain.
    let entries = audit::for_entity(&fx.app.store, "case", &id.to_string()).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "case.triage_corrected"), "audited");
    assert_eq!(audit::verify(&fx.app.store).await.unwrap().broken, None);

    // Exported as labelled data, without the complainant's identity.
    assert_eq!(
        fx.json("GET", "/api/v1/triage/corrections.jsonl", Some(&op), None).await.status,
        StatusCode::FORBIDDEN
    );
    let x = fx.raw("GET", "/api/v1/triage/corrections.jsonl", Some(&team), None, "").await;
    assert_eq!(x.status, StatusCode::OK);
    assert_eq!(x.text.lines().count(), 1, "{}", x.text);
    let item = ducha_triage::eval::parse_eval_line(x.text.lines().next().unwrap(), 1)
        .expect("evaluation-set format");
    assert_eq!(item.expected.county_code, "410922");
    assert_eq!(item.expected.township_code.as_deref(), Some("410922100"));
    assert!(!x.text.contains("王建国") && !x.text.contains("13803930123"), "{}", x.text);

    // The page shows the form and the record; the form corrects too (CSRF checked).
    let s = login(&fx, "team").await;
    let page = s.get(&fx, &format!("/cases/{id}")).await.text;
    assert!(page.contains("更正分拣结果") && page.contains("人工更正记录"), "{page}");
    let post = |csrf: String| {
        Request::post(format!("/cases/{id}/triage"))
            .header("cookie", &s.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "_csrf={csrf}&county_code=410928&township_code=410928101&types=%E6%B0%B4&sansan=&reason=%E5%A4%8D%E6%A0%B8"
            )))
            .unwrap()
    };
    assert_eq!(fx.send(post("wrong".into())).await.status, StatusCode::FORBIDDEN);
    let r = fx.send(post(s.csrf.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("已更正分拣结果"), "{}", r.text);
    let after = fx.json("GET", &format!("/api/v1/cases/{id}"), Some(&team), None).await;
    assert_eq!(after.json["case"]["pollution_types"], json!(["水"]));
    assert!(after.json["case"]["sansan"].is_null());
    assert_eq!(after.json["case"]["township_code"].as_str(), Some("410928101"), "back to 柳屯镇 by the form");

    // Once dispatched, the region is locked; types may still be corrected.
    fx.route_down(id, "county-410928", "town-410928101").await;
    let r = fx.json("POST", &url, Some(&team), Some(json!({ "county_code": "410922" }))).await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("triage_region_locked"))
    );
    let r = fx.json("POST", &url, Some(&team), Some(json!({ "pollution_types": ["水", "土壤"] }))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn triage_corrections_all_backends() {
    for b in testing::backends() {
        corrections(b).await;
    }
}
