//! Issue 5 over HTTP: the 一刀切 scenario (R1.1, R1.2, R1.3), accountability (R4), callbacks and
//! outcome metrics (R5.4), and the discipline channel (R6), on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use common::{Fx, PASSWORD, setup};
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

async fn callbacks_and_metrics(backend: Backend) {
    let fx = setup(backend).await;
    let op = fx.token("op").await;
    let id = fx.intake(&op, "濮阳县柳屯镇有个塑料颗粒加工点晚上偷偷生产，冒黑烟。").await;
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
