//! Issue 5 over HTTP: the 一刀切 scenario (R1.1, R1.2, R1.3), accountability (R4), callbacks and
//! outcome metrics (R5.4), and the discipline channel (R6), on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{TimeZone, Utc};
use common::{Fx, PASSWORD, receivers, setup, setup_cfg};
use ducha_app::Config;
use ducha_app::auth::NewUserInput;
use ducha_store::{Backend, testing};
use serde_json::{Value, json};

const BASIS: &str = "《中华人民共和国大气污染防治法》第一百零八条";

fn shutdown(subject: &str, on: &str, ends: &str) -> Value {
    json!({
        "kind": "suspend_production",
        "description": format!("责令{subject}停产整治"),
        "shutdown": {
            "subject": subject,
            "legal_basis": BASIS,
            "scope": "喷漆工序及喷漆房",
            "starts_on": on,
            "ends_on": ends,
            "rectification_target": "建成密闭喷漆房并安装活性炭吸附装置",
            "verification_conditions": "废气治理设施运行正常，经监测VOCs达标后复产"
        }
    })
}

fn report(subjects: &[&str], measures: Vec<Value>, plan_due: &str) -> Value {
    json!({
        "facts": format!("经现场核查，{}露天喷漆，无废气治理设施。", subjects.join("、")),
        "issues": [{ "finding": "true" }],
        "subjects": subjects.iter().map(|s| json!({ "name": s, "industry": "家具制造" })).collect::<Vec<_>>(),
        "measures": measures,
        "rectifications": [{ "kind": "scheduled", "target": "废气治理设施建成并运行", "measures": "建设密闭喷漆房，安装活性炭吸附装置", "due": plan_due, "responsible_unit": "镇人民政府" }],
        "closure_target": "喷漆废气达标排放",
        "investigated_on": "2023-12-14"
    })
}

async fn handler(fx: &Fx, username: &str, town: &str) -> String {
    fx.app
        .create_user(
            None,
            &NewUserInput {
                username: username.into(),
                display_name: username.into(),
                password: PASSWORD.into(),
                unit_code: town.into(),
                role: "handler".into(),
            },
        )
        .await
        .unwrap();
    fx.token(username).await
}

async fn to_investigating(fx: &Fx, h: &str, text: &str, town: &str) -> i64 {
    let op = fx.token("op").await;
    let id = fx.intake(&op, text).await;
    let team = fx.token("team").await;
    let city = fx.token("city").await;
    fx.act(&team, id, json!({ "action": "assign" })).await;
    let r = fx
        .act(&city, id, json!({ "action": "dispatch", "to_unit_id": fx.unit_id("county-410922").await }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let county = fx.token("county_qf").await;
    let r = fx.act(&county, id, json!({ "action": "dispatch", "to_unit_id": fx.unit_id(town).await })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for a in ["acknowledge", "start_investigation"] {
        let r = fx.act(h, id, json!({ "action": a })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    id
}

async fn scenario(backend: Backend) {
    let fx = setup(backend).await;
    fx.app
        .create_user(
            None,
            &NewUserInput {
                username: "county_qf".into(),
                display_name: "清丰县攻坚办".into(),
                password: PASSWORD.into(),
                unit_code: "county-410922".into(),
                role: "office".into(),
            },
        )
        .await
        .unwrap();
    let mzq = handler(&fx, "mzq", "town-410922101").await;
    let hc = handler(&fx, "hc", "town-410922105").await;
    let wwt = handler(&fx, "wwt", "town-410922102").await;
    let a =
        to_investigating(&fx, &mzq, "清丰县马庄桥镇兴旺家具厂露天喷漆，油漆味很大。", "town-410922101").await;
    let b =
        to_investigating(&fx, &hc, "清丰县韩村镇宏达家具作坊喷漆不关门，味道刺鼻。", "town-410922105").await;
    let c =
        to_investigating(&fx, &wwt, "清丰县瓦屋头镇金鑫家具厂夜里喷漆，熏得人头疼。", "town-410922102").await;
    let put = |tok: String, id: i64, body: Value| {
        let fx = &fx;
        async move {
            fx.json("PUT", &format!("/api/v1/cases/{id}/report"), Some(&tok), Some(json!({ "report": body })))
                .await
        }
    };

    // R1.1: a shutdown without a legal basis is refused, naming what is missing.
    let mut bad = shutdown("兴旺家具厂", "2023-12-12", "2023-12-20");
    bad["shutdown"]["legal_basis"] = json!("依法");
    let r = put(mzq.clone(), a, report(&["兴旺家具厂"], vec![bad], "2023-12-30")).await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("r1_1_shutdown_without_basis")),
        "{}",
        r.text
    );
    assert!(r.json["error"]["message"].as_str().unwrap().contains("法律依据"), "{}", r.text);

    // Lawful, complaint-based shutdowns with a plan pass R1.1.
    let r = put(
        mzq.clone(),
        a,
        report(&["兴旺家具厂"], vec![shutdown("兴旺家具厂", "2023-12-12", "2023-12-20")], "2023-12-30"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = put(
        hc.clone(),
        b,
        report(&["宏达家具作坊"], vec![shutdown("宏达家具作坊", "2023-12-13", "2023-12-20")], "2023-12-30"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let city = fx.token("city").await;
    assert_eq!(
        fx.json("GET", "/api/v1/alerts", Some(&city), None).await.json.as_array().unwrap().len(),
        0,
        "two shutdowns are no pattern"
    );
    // The third township shuts down its complained-of workshop and one no complaint names.
    let r = put(
        wwt.clone(),
        c,
        report(
            &["金鑫家具厂", "鸿运家具作坊"],
            vec![
                shutdown("金鑫家具厂", "2023-12-14", "2023-12-20"),
                shutdown("鸿运家具作坊", "2023-12-14", "2023-12-20"),
            ],
            "2023-12-30",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // R1.2: four furniture workshops in three days in one county, one without a complaint.
    let alerts = fx.json("GET", "/api/v1/alerts", Some(&city), None).await.json;
    let alerts = alerts.as_array().unwrap();
    let cluster = alerts
        .iter()
        .find(|a| a["kind"] == "blanket_shutdown" && a["evidence"].as_array().unwrap().len() == 4)
        .unwrap_or_else(|| panic!("{alerts:?}"));
    assert!(cluster["summary"].as_str().unwrap().contains("家具"), "{cluster}");
    let ev = cluster["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_owned())
        .collect::<Vec<_>>();
    assert!(ev.iter().any(|e| e.contains("鸿运家具作坊") && e.contains("无群众举报")), "{ev:?}");
    assert!(
        alerts.iter().any(|a| a["summary"].as_str().unwrap().contains("鸿运家具作坊")),
        "the unnamed subject is flagged on its own"
    );
    // The city office was notified in its inbox.
    let inbox =
        ducha_store::outbox::messages_for_unit(&fx.app.store, fx.unit_id("city-4109").await).await.unwrap();
    assert!(inbox.iter().any(|m| m.subject.contains("一刀切")));
    // Townships do not see alerts.
    assert_eq!(fx.json("GET", "/api/v1/alerts", Some(&mzq), None).await.status, StatusCode::FORBIDDEN);

    // R1.3: the shutdown left unverified past its end raises 长停久治 to the county, then the city.
    fx.clock.set(Utc.with_ymd_and_hms(2023, 12, 22, 2, 0, 0).unwrap());
    assert!(fx.app.check_endless_shutdowns().await.unwrap() >= 1);
    let county = fx.token("county_qf").await;
    let al = fx.json("GET", "/api/v1/alerts", Some(&county), None).await.json;
    assert!(
        al.as_array().unwrap().iter().any(|a| a["kind"] == "endless_shutdown" && a["level"] == "county"),
        "{al}"
    );
    fx.clock.set(Utc.with_ymd_and_hms(2023, 12, 29, 2, 0, 0).unwrap());
    assert!(fx.app.check_endless_shutdowns().await.unwrap() >= 1, "escalates after a week");
    let city = fx.token("city").await; // sessions last 12 hours
    let al = fx.json("GET", "/api/v1/alerts", Some(&city), None).await.json;
    assert!(
        al.as_array().unwrap().iter().any(|a| a["kind"] == "endless_shutdown" && a["level"] == "city"),
        "{al}"
    );
    assert_eq!(fx.app.check_endless_shutdowns().await.unwrap(), 0, "raised once per level");

    // R4.4: no accountability without a substantiated finding; R4.1 records otherwise.
    let county = fx.token("county_qf").await;
    let op = fx.token("op").await;
    let uninvestigated = fx.intake(&op, "清丰县马庄桥镇某塑料厂夜里冒黑烟。").await;
    let rec = |case: i64| json!({ "person_name": "张某", "position": "副镇长", "person_level": "section", "unit": "清丰县马庄桥镇人民政府", "kind": "admonishment", "basis": "对辖区散乱污企业排查整治不力", "case_ids": [case.to_string()], "typical": false });
    let team = fx.token("team").await;
    let r = fx.json("POST", "/api/v1/accountability", Some(&team), Some(rec(uninvestigated))).await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str().map(|c| c.starts_with("r4_4"))),
        (StatusCode::UNPROCESSABLE_ENTITY, Some(true)),
        "no finding yet: {}",
        r.text
    );
    let r = fx.json("POST", "/api/v1/accountability", Some(&county), Some(rec(a))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let mut incomplete = rec(a);
    incomplete["basis"] = json!("");
    let r = fx.json("POST", "/api/v1/accountability", Some(&county), Some(incomplete)).await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("r4_1_incomplete_record")),
        "{}",
        r.text
    );
    let list = fx.json("GET", "/api/v1/accountability", Some(&county), None).await;
    assert_eq!(list.json.as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r1_scenario_furniture_workshops_all_backends() {
    for b in testing::backends() {
        scenario(b).await;
    }
}

/// Take a new complaint from intake to 办结 (closed after an on-site verification); returns its id.
async fn closed_case(fx: &Fx, op: &str) -> i64 {
    let id = fx.intake(op, "濮阳县柳屯镇有个塑料颗粒加工点晚上偷偷生产，冒黑烟。").await;
    fx.route_down(id, "county-410928", "town-410928101").await;
    let h = fx.token("liutun").await;
    let c = fx.token("county_py").await;
    for a in ["acknowledge", "start_investigation"] {
        fx.act(&h, id, json!({ "action": a })).await;
    }
    let r = fx
        .json(
            "PUT",
            &format!("/api/v1/cases/{id}/report"),
            Some(&h),
            Some(json!({ "report": common::valid_report("塑料颗粒加工点") })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for (tok, a) in [(&h, "record_finding"), (&h, "start_rectification"), (&h, "submit_report")] {
        let r = fx.act(tok, id, json!({ "action": a })).await;
        assert_eq!(r.status, StatusCode::OK, "{a}: {}", r.text);
    }
    let r =
        fx.act(&c, id, json!({ "action": "verify_closed", "onsite": true, "notes": "现场已拆除设备" })).await;
    assert_eq!((r.status, r.json["stage"].as_str()), (StatusCode::OK, Some("closed")), "{}", r.text);
    id
}

async fn callbacks_and_metrics(backend: Backend) {
    let fx = setup(backend).await;
    let op = fx.token("op").await;
    let id = closed_case(&fx, &op).await;
    let h = fx.token("liutun").await;
    let c = fx.token("county_py").await;
    // Metrics before any callback: one resolved case, no valid callback.
    let m = fx.json("GET", "/api/v1/metrics/outcomes", Some(&c), None).await;
    let total = m.json.as_array().unwrap().iter().find(|r| r["key"] == "all").unwrap().clone();
    assert_eq!(total["metrics"]["resolution"], json!({ "num": 1, "den": 1 }), "{total}");
    // 不满意 reopens the case for review by the county.
    let r = fx.json("POST", &format!("/api/v1/cases/{id}/callbacks"), Some(&op), Some(json!({ "channel": "phone", "result": "answered", "satisfaction": "不满意", "comment": "晚上还有味" }))).await;
    assert_eq!(
        (r.status, r.json["reopened_for_review"].as_bool()),
        (StatusCode::CREATED, Some(true)),
        "{}",
        r.text
    );
    let r = fx.json("GET", &format!("/api/v1/cases/{id}"), Some(&c), None).await;
    assert_eq!(r.json["case"]["stage"].as_str(), Some("awaiting_verification"));
    // A township cannot record callbacks; bad input is a clear 400.
    let r = fx
        .json(
            "POST",
            &format!("/api/v1/cases/{id}/callbacks"),
            Some(&h),
            Some(json!({ "channel": "phone", "result": "answered", "satisfaction": "满意" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = fx.json("GET", "/api/v1/metrics/outcomes?by=weekday", Some(&c), None).await;
    assert_eq!((r.status, r.json["error"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("by")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r5_4_callbacks_and_metrics_all_backends() {
    for b in testing::backends() {
        callbacks_and_metrics(b).await;
    }
}

#[tokio::test]
async fn r6_discipline_reports_reach_only_the_provincial_office() {
    let fx = setup(Backend::Sqlite).await;
    let body = json!({ "concern": "hospitality", "about": "省第三督察组某成员", "facts": "督察期间接受被督察单位宴请，饮酒至深夜。", "place": "濮阳县", "contact": "13900000000", "received_at": "2023-12-14T10:00:00+08:00" });
    let r = fx.json("POST", "/api/v1/discipline", None, Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    for user in ["team", "city", "county_py", "op"] {
        let t = fx.token(user).await;
        assert_eq!(
            fx.json("GET", "/api/v1/discipline", Some(&t), None).await.status,
            StatusCode::FORBIDDEN,
            "{user}"
        );
    }
    let p = fx.token("prov").await;
    let r = fx.json("GET", "/api/v1/discipline", Some(&p), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text.contains("宴请") && !r.text.contains("13900000000"),
        "the contact stays sealed: {}",
        r.text
    );
}

/// GET or POST a public page as a complainant's browser would (no session; the form's CSRF cookie).
async fn public(
    fx: &Fx,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> common::Resp {
    let mut b = Request::builder().method(method).uri(path);
    if let Some(c) = cookie {
        b = b.header("cookie", c);
    }
    let body = if method == "POST" {
        b = b.header("content-type", "application/x-www-form-urlencoded");
        Body::from(serde_urlencoded::to_string(form).unwrap())
    } else {
        Body::empty()
    };
    fx.send(b.body(body).unwrap()).await
}

/// The complainant's callback link (R5.4) end to end: sent by SMS through the gateway with the phone
/// decrypted only at delivery (and that read audited); the one-page form shows no identity; a
/// 不满意 answer reopens the case; the link works once; a refused answer does not use it up; it
/// expires.
async fn callback_link(backend: Backend) {
    let (gateway, sms) = receivers::webhook().await;
    let fx = setup_cfg(backend, Config { sms_webhook_url: Some(gateway), ..Config::for_tests() }).await;
    let op = fx.token("op").await;
    let county = fx.token("county_py").await;
    let id = closed_case(&fx, &op).await;
    let accept_no =
        fx.json("GET", &format!("/api/v1/cases/{id}"), Some(&op), None).await.json["case"]["accept_no"]
            .as_str()
            .unwrap()
            .to_owned();

    // Only intake staff send links, only for closed cases that left a phone.
    let county_try = fx.json("POST", &format!("/api/v1/cases/{id}/callback-link"), Some(&county), None).await;
    assert_eq!(county_try.status, StatusCode::FORBIDDEN);
    let open = fx.intake(&op, "濮阳县文留镇一家砖厂烟囱冒黑烟，粉尘大。").await;
    let r = fx.json("POST", &format!("/api/v1/cases/{open}/callback-link"), Some(&op), None).await;
    assert_eq!((r.status, r.json["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("not_closed")));

    // Two links for the same case (sent twice, say).
    let mut paths = Vec::new();
    for _ in 0..2 {
        let r = fx.json("POST", &format!("/api/v1/cases/{id}/callback-link"), Some(&op), None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let link = r.json["link"].as_str().unwrap().to_owned();
        paths.push(link.strip_prefix("http://127.0.0.1:8080").unwrap().to_owned());
    }
    let outbox_has_phone = fx
        .count("SELECT COUNT(*) FROM outbox WHERE body LIKE '%13803930123%' OR payload LIKE '%13803930123%'")
        .await;
    assert_eq!(outbox_has_phone, 0, "the outbox never holds the phone number");
    fx.app.deliver_outbox("w").await.unwrap();
    let texts: Vec<Value> =
        sms.all().iter().map(|m| serde_json::from_str(m.split_once('\t').unwrap().1).unwrap()).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    for (t, path) in texts.iter().zip(&paths) {
        assert_eq!(t["phone"], "13803930123");
        assert!(
            t["text"].as_str().unwrap().contains(path.as_str())
                && t["text"].as_str().unwrap().contains(&accept_no)
        );
    }
    let reads = fx
        .count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'identity.read' AND detail LIKE '%callback_sms%'",
        )
        .await;
    assert_eq!(reads, 2, "each decryption for an SMS is audited");

    // The complainant opens the first link: the case, no identity.
    let (first, second) = (&paths[0], &paths[1]);
    let r = public(&fx, "GET", first, None, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains(&accept_no) && r.text.contains("不满意"), "{}", r.text);
    assert!(!r.text.contains("王建国") && !r.text.contains("13803930123"), "no identity on the page");
    let cookie = common::set_cookie(&r, "ducha_form_csrf").unwrap();
    let csrf = common::hidden_csrf(&r.text);

    // A post without the form's token is refused and uses nothing up.
    let forged =
        public(&fx, "POST", first, Some(&cookie), &[("_csrf", "forged"), ("satisfaction", "满意")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // Bad input is a clear 422 with the form again, and uses nothing up either.
    let bad =
        public(&fx, "POST", first, Some(&cookie), &[("_csrf", &csrf), ("satisfaction", "还行吧")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    let r = public(
        &fx,
        "POST",
        first,
        Some(&cookie),
        &[("_csrf", &csrf), ("satisfaction", "不满意"), ("comment", "晚上还在生产")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("已转县（区）复核"), "{}", r.text);
    let case = fx.json("GET", &format!("/api/v1/cases/{id}"), Some(&county), None).await;
    assert_eq!(case.json["case"]["stage"], "awaiting_verification", "不满意 reopens the case");

    // The link works once.
    let again = public(&fx, "GET", first, None, &[]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(again.text.contains("已使用过"), "{}", again.text);
    let again =
        public(&fx, "POST", first, Some(&cookie), &[("_csrf", &csrf), ("satisfaction", "满意")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text.contains("已使用过"), "{}", again.text);

    // The second link, answered now that the case is no longer closed, is refused — and stays
    // usable (answer and link are one transaction).
    let refused =
        public(&fx, "POST", second, Some(&cookie), &[("_csrf", &csrf), ("satisfaction", "满意")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text);
    assert!(refused.text.contains("已办结"), "{}", refused.text);
    let still = public(&fx, "GET", second, None, &[]).await;
    assert_eq!(still.status, StatusCode::OK, "the refused answer did not use the link up: {}", still.text);
    let callbacks = fx.count("SELECT COUNT(*) FROM callbacks").await;
    assert_eq!(callbacks, 1, "one answer recorded");

    // Links expire; made-up ones are simply invalid.
    fx.clock.set(ducha_app::Clock::now(&*fx.clock) + chrono::Duration::days(400));
    let expired = public(&fx, "GET", second, None, &[]).await;
    assert_eq!(expired.status, StatusCode::NOT_FOUND);
    assert!(expired.text.contains("已过期"), "{}", expired.text);
    let bogus = public(&fx, "GET", "/huifang/not-a-real-token", None, &[]).await;
    assert_eq!(bogus.status, StatusCode::NOT_FOUND);
    assert!(bogus.text.contains("回访链接无效"), "{}", bogus.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r5_4_callback_link_all_backends() {
    for b in testing::backends() {
        callback_link(b).await;
    }
}
