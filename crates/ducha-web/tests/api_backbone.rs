//! Issue 2's "done when", over HTTP, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::{Fx, setup};
use ducha_store::{Backend, audit, cases, testing};
use serde_json::json;

async fn counts(fx: &Fx) -> (i64, i64, i64) {
    let c = cases::count_cases(&fx.app.store).await.unwrap();
    let a: i64 = sqlx_count(fx, "SELECT COUNT(*) FROM audit_log WHERE action NOT LIKE 'user.login%'").await;
    let o: i64 = sqlx_count(fx, "SELECT COUNT(*) FROM assignments").await;
    (c, a, o)
}

async fn sqlx_count(fx: &Fx, sql: &'static str) -> i64 {
    use ducha_store::Q;
    Q::new(sql).query_scalar::<i64>().unwrap().fetch_one(fx.app.store.reader()).await.unwrap()
}

async fn jurisdiction(backend: Backend) {
    let fx = setup(backend).await;
    let op = fx.token("op").await;
    let a = fx.intake(&op, "濮阳县柳屯镇有个塑料颗粒加工点晚上偷偷生产，冒黑烟，气味刺鼻。").await;
    let b = fx.intake(&op, "濮阳县文留镇一家砖厂烟囱冒黑烟，粉尘大。").await;
    let c = fx.intake(&op, "华龙区岳村镇工地扬尘严重，渣土车不苫盖。").await;
    fx.route_down(a, "county-410928", "town-410928101").await;
    fx.route_down(b, "county-410928", "town-410928102").await;
    fx.route_down(c, "county-410902", "town-410902101").await;

    let ids = |r: &common::Resp| {
        let mut v: Vec<i64> =
            r.json["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
        v.sort_unstable();
        v
    };
    for (user, expect) in [
        ("liutun", vec![a]),
        ("wenliu", vec![b]),
        ("county_py", vec![a, b]),
        ("county_hl", vec![c]),
        ("city", vec![a, b, c]),
        ("team", vec![a, b, c]),
    ] {
        let t = fx.token(user).await;
        let r = fx.json("GET", "/api/v1/cases", Some(&t), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(ids(&r), expect, "{user} sees exactly its jurisdiction");
        assert_eq!(r.json["total"].as_i64().unwrap(), expect.len() as i64);
    }
    // Another unit's case answers exactly like a case that does not exist, for reads and writes.
    let liutun = fx.token("liutun").await;
    for path in
        [format!("/api/v1/cases/{b}"), format!("/api/v1/cases/{b}/history"), "/api/v1/cases/999999".into()]
    {
        let r = fx.json("GET", &path, Some(&liutun), None).await;
        assert_eq!(
            (r.status, r.json["error"]["code"].as_str()),
            (StatusCode::NOT_FOUND, Some("case_not_found")),
            "{path}"
        );
    }
    let before = counts(&fx).await;
    let r = fx.act(&liutun, b, json!({ "action": "acknowledge" })).await;
    assert_eq!((r.status, r.json["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("case_not_found")));
    assert_eq!(counts(&fx).await, before, "nothing stored changed");

    // Handlers work from the redacted text, never the original words.
    let r = fx.json("GET", &format!("/api/v1/cases/{a}"), Some(&liutun), None).await;
    assert!(r.json["case"].get("original_text").is_none(), "{}", r.text);
    let team = fx.token("team").await;
    let r = fx.json("GET", &format!("/api/v1/cases/{a}"), Some(&team), None).await;
    assert!(r.json["case"]["original_text"].as_str().is_some());
}

async fn bad_input(backend: Backend) {
    let fx = setup(backend).await;
    let op = fx.token("op").await;
    let id = fx.intake(&op, "濮阳县柳屯镇有个塑料颗粒加工点晚上偷偷生产，冒黑烟。").await;
    fx.route_down(id, "county-410928", "town-410928101").await;
    let liutun = fx.token("liutun").await;
    let before = counts(&fx).await;
    let path = format!("/api/v1/cases/{id}/actions");
    let cases: Vec<(&str, &str, Option<&str>, &str, StatusCode, &str)> = vec![
        (
            "malformed json",
            "POST",
            Some("application/json"),
            "{\"action\": ",
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            "not json at all",
            "POST",
            Some("application/json"),
            "\u{feff}<xml/>",
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            "wrong content type",
            "POST",
            Some("text/plain"),
            "{}",
            StatusCode::BAD_REQUEST,
            "unsupported_media_type",
        ),
        (
            "wrong field type",
            "POST",
            Some("application/json"),
            "{\"action\": 5}",
            StatusCode::BAD_REQUEST,
            "invalid_json_body",
        ),
        (
            "unknown action",
            "POST",
            Some("application/json"),
            "{\"action\": \"teleport\"}",
            StatusCode::BAD_REQUEST,
            "invalid_input",
        ),
        (
            "illegal transition",
            "POST",
            Some("application/json"),
            "{\"action\": \"verify_closed\"}",
            StatusCode::CONFLICT,
            "illegal_transition",
        ),
        (
            "missing reason",
            "POST",
            Some("application/json"),
            "{\"action\": \"return\"}",
            StatusCode::BAD_REQUEST,
            "invalid_input",
        ),
        (
            "stale version",
            "POST",
            Some("application/json"),
            "{\"action\": \"acknowledge\", \"expected_version\": 1}",
            StatusCode::CONFLICT,
            "stale_case",
        ),
        (
            "finding before investigation",
            "POST",
            Some("application/json"),
            "{\"action\": \"record_finding\", \"finding\": \"属实\"}",
            StatusCode::CONFLICT,
            "illegal_transition",
        ),
    ];
    for (name, method, ct, body, status, code) in cases {
        let r = fx.raw(method, &path, Some(&liutun), ct, body).await;
        assert_eq!(r.status, status, "{name}: {}", r.text);
        assert_eq!(r.json["error"]["code"].as_str(), Some(code), "{name}: {}", r.text);
        assert!(!r.json["error"]["message"].as_str().unwrap().is_empty(), "{name} has a Chinese message");
    }
    // The refusal names the current stage and what is allowed.
    let r = fx
        .raw("POST", &path, Some(&liutun), Some("application/json"), "{\"action\": \"verify_closed\"}")
        .await;
    let msg = r.json["error"]["message"].as_str().unwrap();
    assert!(msg.contains("已转办承办单位") && msg.contains("签收"), "{msg}");
    for (path, status, code) in [
        ("/api/v1/cases/abc", StatusCode::BAD_REQUEST, "invalid_path"),
        ("/api/v1/cases/99999999999999999999999", StatusCode::BAD_REQUEST, "invalid_path"),
        ("/api/v1/cases?page=x", StatusCode::BAD_REQUEST, "invalid_query"),
        ("/api/v1/nothing-here", StatusCode::NOT_FOUND, "route_not_found"),
    ] {
        let r = fx.json("GET", path, Some(&liutun), None).await;
        assert_eq!((r.status, r.json["error"]["code"].as_str()), (status, Some(code)), "{path}: {}", r.text);
    }
    let r = fx.json("DELETE", "/api/v1/cases", Some(&liutun), None).await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed")),
        "{}",
        r.text
    );
    let r = fx.json("GET", "/api/v1/cases", None, None).await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
    let r = fx.json("GET", "/api/v1/cases", Some("forged-token"), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(counts(&fx).await, before, "no refused request changed anything");

    // Intake refusals.
    let r = fx
        .json(
            "POST",
            "/api/v1/cases",
            Some(&op),
            Some(json!({ "channel": "fax", "text": "柳屯镇冒黑烟很严重" })),
        )
        .await;
    assert_eq!((r.status, r.json["error"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("channel")));
    let r =
        fx.json("POST", "/api/v1/cases", Some(&op), Some(json!({ "channel": "phone", "text": "短" }))).await;
    assert_eq!((r.status, r.json["error"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("text")));
    let r = fx
        .json(
            "POST",
            "/api/v1/cases",
            Some(&op),
            Some(json!({ "channel": "phone", "text": "某地冒黑烟很严重", "county_code": "999999" })),
        )
        .await;
    assert_eq!((r.status, r.json["error"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("county_code")));
    let r = fx
        .json(
            "POST",
            "/api/v1/cases",
            Some(&liutun),
            Some(json!({ "channel": "phone", "text": "某地冒黑烟很严重" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a township cannot take in complaints");
    assert_eq!(counts(&fx).await, before);
}

async fn workflow_to_close(backend: Backend) {
    let fx = setup(backend).await;
    let op = fx.token("op").await;
    let id = fx.intake(&op, "濮阳县柳屯镇有个塑料颗粒加工点晚上偷偷生产，冒黑烟。").await;
    fx.route_down(id, "county-410928", "town-410928101").await;
    let h = fx.token("liutun").await;
    let c = fx.token("county_py").await;
    for (tok, body, stage) in [
        (&h, json!({ "action": "acknowledge" }), "acknowledged"),
        (&h, json!({ "action": "start_investigation" }), "investigating"),
    ] {
        let r = fx.act(tok, id, body.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{body}: {}", r.text);
        assert_eq!(r.json["stage"].as_str(), Some(stage));
    }
    // R5.5: no finding without the report's facts and per-issue finding.
    let r = fx.act(&h, id, json!({ "action": "record_finding" })).await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("r5_5_investigation_incomplete")),
        "{}",
        r.text
    );
    let r = fx
        .json(
            "PUT",
            &format!("/api/v1/cases/{id}/report"),
            Some(&h),
            Some(json!({ "report": common::valid_report("鑫源塑料颗粒加工点") })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.json["problems"].as_array().unwrap().is_empty(), "{}", r.text);
    for (tok, body, stage) in [
        (&h, json!({ "action": "record_finding" }), "investigated"),
        (&h, json!({ "action": "start_rectification" }), "rectifying"),
        (&h, json!({ "action": "submit_report" }), "awaiting_verification"),
        (&c, json!({ "action": "reject_verification", "reason": "现场复核仍有异味" }), "rectifying"),
        (&h, json!({ "action": "submit_report" }), "awaiting_verification"),
        (&c, json!({ "action": "verify_closed", "onsite": true }), "closed"),
    ] {
        let r = fx.act(tok, id, body.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{body}: {}", r.text);
        assert_eq!(r.json["stage"].as_str(), Some(stage));
    }
    // The whole history is on the case, with actor and unit, and the chain verifies.
    let r = fx.json("GET", &format!("/api/v1/cases/{id}/history"), Some(&c), None).await;
    let hist = r.json.as_array().unwrap();
    assert_eq!(hist.len(), 1 + 3 + 8 + 1, "{}", r.text);
    assert!(hist.iter().all(|e| e["actor"].as_str().unwrap().contains('（')), "actor names their unit");
    let v = audit::verify(&fx.app.store).await.unwrap();
    assert!(v.broken.is_none(), "{v:?}");

    // A misrouted case goes back one level, and the wrongly chosen township loses it.
    let id2 = fx.intake(&op, "濮阳县柳屯镇东边的河里有人倾倒建筑垃圾。").await;
    fx.route_down(id2, "county-410928", "town-410928101").await;
    let r = fx.act(&h, id2, json!({ "action": "return", "reason": "该点位属文留镇辖区" })).await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("case_left_scope")),
        "{}",
        r.text
    );
    let r = fx.json("GET", &format!("/api/v1/cases/{id2}"), Some(&c), None).await;
    assert_eq!(r.json["case"]["stage"].as_str(), Some("returned_county"));
    let r = fx
        .act(&c, id2, json!({ "action": "dispatch", "to_unit_id": fx.unit_id("town-410928102").await }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let w = fx.token("wenliu").await;
    assert_eq!(fx.json("GET", &format!("/api/v1/cases/{id2}"), Some(&w), None).await.status, StatusCode::OK);
    assert_eq!(
        fx.json("GET", &format!("/api/v1/cases/{id2}"), Some(&h), None).await.status,
        StatusCode::NOT_FOUND
    );
    // A county cannot dispatch outside its own units.
    let id3 = fx.intake(&op, "濮阳县柳屯镇某养殖场污水直排。").await;
    let team = fx.token("team").await;
    let city = fx.token("city").await;
    fx.act(&team, id3, json!({ "action": "assign" })).await;
    fx.act(&city, id3, json!({ "action": "dispatch", "to_unit_id": fx.unit_id("county-410928").await }))
        .await;
    let r = fx
        .act(&c, id3, json!({ "action": "dispatch", "to_unit_id": fx.unit_id("town-410902101").await }))
        .await;
    assert_eq!(
        (r.status, r.json["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("to_unit_id")),
        "{}",
        r.text
    );
}

async fn identity(backend: Backend) {
    let fx = setup(backend).await;
    let op = fx.token("op").await;
    let id = fx.intake(&op, "濮阳县柳屯镇有个塑料颗粒加工点晚上偷偷生产。").await;
    fx.route_down(id, "county-410928", "town-410928101").await;
    let reads = || async { audit::count_action(&fx.app.store, "identity.read").await.unwrap() };
    assert_eq!(reads().await, 0);
    for user in ["liutun", "county_py", "city", "opinion", "prov"] {
        let t = fx.token(user).await;
        let r = fx.json("GET", &format!("/api/v1/cases/{id}/identity"), Some(&t), None).await;
        assert!(
            r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND,
            "{user}: {}",
            r.status
        );
        assert!(!r.text.contains("13803930123") && !r.text.contains("王建国"), "{user} got identity");
    }
    assert_eq!(reads().await, 0, "refused reads decrypt nothing");
    let r = fx.json("GET", &format!("/api/v1/cases/{id}/identity"), Some(&op), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!((r.json["name"].as_str(), r.json["phone"].as_str()), (Some("王建国"), Some("13803930123")));
    assert_eq!(reads().await, 1, "each read is audited");
    // Nothing else the township can fetch carries the identity.
    let t = fx.token("liutun").await;
    for p in [format!("/api/v1/cases/{id}"), format!("/api/v1/cases/{id}/history"), "/api/v1/cases".into()] {
        let r = fx.json("GET", &p, Some(&t), None).await;
        assert!(!r.text.contains("13803930123") && !r.text.contains("王建国"), "{p}: {}", r.text);
    }
}

/// Group commit: concurrent intakes share write transactions, yet each caller gets its own answer
/// — distinct cases and accept numbers, identities and audit records for every 201 — and one that
/// fails inside a group (its day's accept numbers are used up) fails alone.
async fn group_commit(backend: Backend) {
    let fx = setup(backend).await;
    let op = fx.token("op").await;
    let campaign =
        ducha_store::directory::current_campaign(&fx.app.store, &fx.app.today_cst()).await.unwrap().unwrap();
    // 2023-12-13 (Beijing) has no accept numbers left.
    let mut tx = fx.app.store.begin().await.unwrap();
    for _ in 0..9999 {
        cases::next_accept_serial(&mut tx, campaign.id, "20231213").await.unwrap();
    }
    tx.commit().await.unwrap();
    let before = counts(&fx).await;
    let mut tasks = Vec::new();
    for i in 0..48 {
        let router = fx.router.clone();
        let op = op.clone();
        // Every eighth is dated the exhausted day.
        let received = if i % 8 == 3 { "2023-12-13T09:00:00+08:00" } else { "2023-12-14T09:00:00+08:00" };
        tasks.push(tokio::spawn(async move {
            let body = json!({ "channel": "phone", "text": format!("濮阳县柳屯镇第{i}号塑料颗粒加工点夜间冒黑烟"), "received_at": received, "complainant": { "name": format!("举报人{i}"), "phone": "13803930123" } });
            let req = axum::http::Request::builder()
                .method("POST")
                .uri("/api/v1/cases")
                .header("authorization", format!("Bearer {op}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body.to_string()))
                .unwrap();
            let resp = tower::ServiceExt::oneshot(router, req).await.unwrap();
            let status = resp.status();
            let bytes = http_body_util::BodyExt::collect(resp.into_body()).await.unwrap().to_bytes();
            (i, status, serde_json::from_slice::<serde_json::Value>(&bytes).unwrap_or_default())
        }));
    }
    let mut accepted = std::collections::BTreeMap::new();
    for t in tasks {
        let (i, status, body) = t.await.unwrap();
        if i % 8 == 3 {
            assert_eq!(status, StatusCode::CONFLICT, "{i}: {body}");
            assert_eq!(body["error"]["code"], "accept_no_exhausted", "{body}");
        } else {
            assert_eq!(status, StatusCode::CREATED, "{i}: {body}");
            let no = body["accept_no"].as_str().unwrap().to_owned();
            assert!(
                accepted.insert(no, (i, body["id"].as_i64().unwrap())).is_none(),
                "accept numbers are unique"
            );
        }
    }
    assert_eq!(accepted.len(), 42);
    assert!(fx.app.intake_group.largest_group() > 1, "intakes shared a transaction");
    let after = counts(&fx).await;
    assert_eq!(after.0 - before.0, 42, "one case per 201, none for the refused");
    assert_eq!(after.1 - before.1, 42, "one audit record per 201");
    for (i, id) in accepted.values() {
        let c = cases::get(&fx.app.store, *id).await.unwrap().unwrap();
        assert!(c.original_text.contains(&format!("第{i}号")), "the answer names the caller's own case");
        let who =
            cases::identity(&fx.app.store, fx.app.cipher.as_ref().unwrap(), *id).await.unwrap().unwrap();
        assert_eq!(who.name.as_deref(), Some(format!("举报人{i}").as_str()));
    }
    let v = audit::verify(&fx.app.store).await.unwrap();
    assert!(v.broken.is_none(), "the chain holds: {v:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_commit_all_backends() {
    for b in testing::backends() {
        group_commit(b).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jurisdiction_all_backends() {
    for b in testing::backends() {
        jurisdiction(b).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_all_backends() {
    for b in testing::backends() {
        bad_input(b).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workflow_all_backends() {
    for b in testing::backends() {
        workflow_to_close(b).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_all_backends() {
    for b in testing::backends() {
        identity(b).await;
    }
}

#[tokio::test]
async fn openapi_document() {
    let fx = setup(Backend::Sqlite).await;
    let r = fx.json("GET", "/api/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.json["openapi"].as_str().unwrap().starts_with("3.1"), "{}", r.json["openapi"]);
    let paths = r.json["paths"].as_object().unwrap();
    for p in [
        "/api/v1/session",
        "/api/v1/cases",
        "/api/v1/cases/{id}",
        "/api/v1/cases/{id}/actions",
        "/api/v1/cases/{id}/identity",
    ] {
        assert!(paths.contains_key(p), "{p} documented");
    }
    let h = fx.json("GET", "/healthz", None, None).await;
    assert_eq!((h.status, h.json["status"].as_str()), (StatusCode::OK, Some("ok")));
    let m = fx.json("GET", "/metrics", None, None).await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(m.text.contains("ducha_http_requests_total"), "{}", m.text);
}

/// Found by the API sweep (scripts/api-sweep): bad input that reached a 500.
async fn sweep_findings(backend: Backend) {
    let fx = setup(backend).await;
    let op = fx.token("op").await;
    let desk = fx.token("opinion").await;
    let id = fx.intake(&op, "濮阳县柳屯镇有个塑料颗粒加工点晚上偷偷生产，冒黑烟，气味刺鼻。").await;
    // A page number whose offset overflows i64 was a panic (debug) or a negative OFFSET (release).
    for path in [
        "/api/v1/cases?page=546839035470071552",
        "/api/v1/cases?page=9223372036854775807&per_page=200",
        "/api/v1/opinion/items?page=546839035470071552",
        "/api/v1/opinion/items?page=9223372036854775807&per_page=200",
    ] {
        let token = if path.contains("opinion") { &desk } else { &op };
        let r = fx.json("GET", path, Some(token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        assert_eq!(r.json["items"].as_array().map(Vec::len), Some(0), "{path}: an empty page");
        assert!(
            r.json["total"].as_i64().unwrap() >= i64::from(!path.contains("opinion")),
            "{path}: {}",
            r.text
        );
    }
    // A search combined with filter values that are no code or label made the search index see a
    // phrase (SQLite FTS5) or a broken tsquery (PostgreSQL): a 500 instead of "nothing found".
    for filter in ["township_code=%3E%C2%8E%40x", "county_code=41%2209", "type=a%27b", "stage=closed,a@b"] {
        let r = fx.json("GET", &format!("/api/v1/cases?q=塑料颗粒&{filter}"), Some(&op), None).await;
        assert_eq!(r.status, StatusCode::OK, "{filter}: {}", r.text);
        assert_eq!(r.json["total"], 0, "{filter}");
    }
    // An import over the 1 MiB request limit was axum's plain-text 413, outside the document.
    let big = "a".repeat(1024 * 1024 + 1);
    let r = fx.raw("POST", "/api/v1/opinion/import", Some(&desk), Some("text/plain"), &big).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(r.json["error"]["code"], "body_too_large", "{}", r.text);
    let r = fx.json("GET", "/api/v1/cases?q=塑料颗粒&county_code=410928", Some(&op), None).await;
    assert_eq!(r.json["items"][0]["id"].as_i64(), Some(id), "a real filter still finds the case: {}", r.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_findings_all_backends() {
    for b in testing::backends() {
        sweep_findings(b).await;
    }
}

/// The document is pinned as a snapshot. Every operation documents the error answers it can give (the sweep checks status codes against
/// the document), operation ids are unique, and every error is the one `ErrorBody`.
#[tokio::test]
async fn openapi_documents_every_error_answer() {
    let fx = setup(Backend::Sqlite).await;
    let doc = fx.json("GET", "/api/openapi.json", None, None).await.json;
    // Every change to the API is a reviewed diff of this snapshot (`cargo insta review`).
    insta::assert_json_snapshot!("openapi", doc);
    let mut ids = std::collections::HashSet::new();
    let mut ops = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            ops += 1;
            let id = op["operationId"].as_str().unwrap_or_default().to_owned();
            assert!(ids.insert(id.clone()), "operationId {id} is unique ({method} {path})");
            let responses = op["responses"].as_object().unwrap();
            let has = |s: &str| responses.contains_key(s);
            let params = op["parameters"].as_array().map(Vec::len).unwrap_or(0);
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            let json_body = op["requestBody"]["content"].get("application/json").is_some();
            assert!(has("500"), "{method} {path} documents 500");
            if path.contains('{') || params > 0 || json_body {
                assert!(has("400"), "{method} {path} documents 400 (bad path, query or body)");
            }
            if json_body {
                assert!(has("415"), "{method} {path} documents 415");
            }
            if secured {
                assert!(has("401"), "{method} {path} documents 401");
                if method != "get" {
                    assert!(has("403"), "{method} {path} documents 403");
                }
            }
            for (status, r) in responses.iter().filter(|(s, _)| s.starts_with('4') || s.starts_with('5')) {
                assert_eq!(
                    r["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody",
                    "{method} {path} {status} answers with ErrorBody"
                );
            }
        }
    }
    assert!(ops >= 50, "every /api/v1 operation is documented ({ops})");
}
