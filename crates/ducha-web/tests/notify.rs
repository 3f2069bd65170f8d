//! Issue 4: notifications through the transactional outbox — two workers, a real SMTP client against a
//! local SMTP receiver, a webhook receiver — each message delivered exactly once, and nothing reaches
//! a township or department during quiet hours (R5.1).

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;

use axum::http::StatusCode;
use chrono::{Duration, TimeZone, Utc};
use common::{Fx, receivers, setup_cfg};
use ducha_app::config::SmtpConfig;
use ducha_app::{App, Config};
use ducha_store::{Backend, directory, outbox, testing};
use serde_json::json;

async fn contacts(fx: &Fx, code: &str, hook: &str) {
    let id = fx.unit_id(code).await;
    let mut tx = fx.app.store.begin().await.unwrap();
    directory::set_unit_contacts(&mut tx, id, Some(&format!("{code}@example.gov.cn")), Some(hook))
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn run_workers(fx: &Fx, rounds: usize) {
    // Two workers sharing the database, draining concurrently.
    let a: App = fx.app.clone();
    let b: App = fx.app.clone();
    for _ in 0..rounds {
        let (ra, rb) = tokio::join!(a.deliver_outbox("worker-a"), b.deliver_outbox("worker-b"));
        ra.unwrap();
        rb.unwrap();
    }
}

async fn exactly_once(backend: Backend) {
    let (smtp_port, mails) = receivers::smtp().await;
    let (hook, hooks) = receivers::webhook().await;
    let cfg = Config {
        smtp: Some(SmtpConfig {
            host: "127.0.0.1".into(),
            port: smtp_port,
            from: "ducha@example.gov.cn".into(),
            starttls: false,
            username: None,
            password: None,
        }),
        ..Config::for_tests()
    };
    let fx = setup_cfg(backend, cfg).await;
    for code in ["city-4109", "county-410928", "town-410928101", "town-410928102"] {
        contacts(&fx, code, &hook).await;
    }
    let op = fx.token("op").await;
    let team = fx.token("team").await;
    let city = fx.token("city").await;
    let county = fx.token("county_py").await;
    let texts = [
        "濮阳县柳屯镇有个塑料颗粒加工点晚上偷偷生产，冒黑烟。",
        "濮阳县文留镇一家砖厂烟囱冒黑烟，粉尘大。",
        "濮阳县柳屯镇某养殖场污水直排进沟渠。",
        "濮阳县文留镇工地夜间施工噪音扰民。",
    ];
    let mut ids = Vec::new();
    for t in texts {
        ids.push(fx.intake(&op, t).await);
    }
    for &id in &ids {
        assert_eq!(fx.act(&team, id, json!({ "action": "assign" })).await.status, StatusCode::OK);
        let r = fx
            .act(&city, id, json!({ "action": "dispatch", "to_unit_id": fx.unit_id("county-410928").await }))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    // 21:30 Beijing time, Thursday: the county dispatches to the townships.
    fx.clock.set(Utc.with_ymd_and_hms(2023, 12, 14, 13, 30, 0).unwrap());
    let towns = ["town-410928101", "town-410928102", "town-410928101", "town-410928102"];
    for (&id, town) in ids.iter().zip(towns) {
        let r =
            fx.act(&county, id, json!({ "action": "dispatch", "to_unit_id": fx.unit_id(town).await })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        // R5.1: the township's clock starts at delivery, next working morning 08:00.
        let asg = ducha_store::cases::assignments(&fx.app.store, id).await.unwrap();
        let t = asg.iter().find(|a| a.level == "township").unwrap();
        assert_eq!(
            t.delivered_at,
            Some(Utc.with_ymd_and_hms(2023, 12, 15, 0, 0, 0).unwrap().timestamp_millis()),
            "held until 08:00"
        );
        assert_eq!(t.deferred, 1);
    }
    run_workers(&fx, 4).await;
    let town_ids = [fx.unit_id("town-410928101").await, fx.unit_id("town-410928102").await];
    let all = outbox::all(&fx.app.store).await.unwrap();
    let to_towns: Vec<_> = all.iter().filter(|m| m.unit_id.is_some_and(|u| town_ids.contains(&u))).collect();
    assert_eq!(to_towns.len(), 4 * 3, "inbox + e-mail + webhook per dispatch");
    assert!(to_towns.iter().all(|m| m.status == "pending"), "nothing reaches a township at night");
    let mail_count_night = mails.all().len();
    assert!(mails.all().iter().all(|m| !m.contains("town-4109")), "no township e-mail at night");
    assert!(mail_count_night > 0, "higher levels were notified at once");
    // A worker that claims and dies does not lose or double a message: its lease expires.
    fx.clock.set(Utc.with_ymd_and_hms(2023, 12, 15, 0, 0, 0).unwrap());
    let stolen = outbox::claim(&fx.app.store, "crashed-worker", fx.app.now_ms(), fx.app.now_ms() + 60_000, 2)
        .await
        .unwrap();
    assert_eq!(stolen.len(), 2);
    run_workers(&fx, 4).await;
    fx.clock.advance(Duration::minutes(2));
    run_workers(&fx, 4).await;

    let all = outbox::all(&fx.app.store).await.unwrap();
    assert!(
        all.iter().all(|m| m.status == "delivered"),
        "{:?}",
        all.iter().filter(|m| m.status != "delivered").collect::<Vec<_>>()
    );
    // Exactly once per channel and message.
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for m in mails.all() {
        let id = m.lines().find(|l| l.to_ascii_lowercase().starts_with("message-id:")).unwrap().to_owned();
        *by_id.entry(id).or_default() += 1;
    }
    let emails = all.iter().filter(|m| m.channel == "email").count();
    assert_eq!(by_id.len(), emails, "every e-mail arrived");
    assert!(by_id.values().all(|&n| n == 1), "no e-mail twice: {by_id:?}");
    let mut hook_ids: HashMap<String, usize> = HashMap::new();
    for h in hooks.all() {
        *hook_ids.entry(h.split('\t').next().unwrap().to_owned()).or_default() += 1;
    }
    assert_eq!(hook_ids.len(), all.iter().filter(|m| m.channel == "webhook").count());
    assert!(hook_ids.values().all(|&n| n == 1), "no webhook twice: {hook_ids:?}");
    assert_eq!(
        outbox::inbox_count(&fx.app.store).await.unwrap(),
        all.iter().filter(|m| m.channel == "inbox").count() as i64
    );
    // Township deliveries happened at or after 08:00.
    for m in all.iter().filter(|m| m.unit_id.is_some_and(|u| town_ids.contains(&u))) {
        assert!(
            m.delivered_at.unwrap()
                >= Utc.with_ymd_and_hms(2023, 12, 15, 0, 0, 0).unwrap().timestamp_millis()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn r5_1_outbox_exactly_once_two_workers_all_backends() {
    for b in testing::backends() {
        exactly_once(b).await;
    }
}

async fn burden_rules(backend: Backend) {
    let fx = setup_cfg(backend, Config::for_tests()).await;
    let op = fx.token("op").await;
    let team = fx.token("team").await;
    let city = fx.token("city").await;
    let county = fx.token("county_py").await;
    let id = fx.intake(&op, "濮阳县柳屯镇有个塑料颗粒加工点晚上偷偷生产，冒黑烟。").await;
    let r = fx.act(&team, id, json!({ "action": "assign" })).await;
    // Thursday 10:00 + 7 working days = Monday 2023-12-25 18:00.
    assert_eq!(
        r.json["due_at"].as_i64(),
        Some(Utc.with_ymd_and_hms(2023, 12, 25, 10, 0, 0).unwrap().timestamp_millis()),
        "{}",
        r.text
    );
    let r = fx
        .act(&city, id, json!({ "action": "dispatch", "to_unit_id": fx.unit_id("county-410928").await }))
        .await;
    // R5.2 default: one working day less — Friday 2023-12-22 18:00.
    assert_eq!(
        r.json["due_at"].as_i64(),
        Some(Utc.with_ymd_and_hms(2023, 12, 22, 10, 0, 0).unwrap().timestamp_millis()),
        "{}",
        r.text
    );
    // R5.2: squeezing the township to Monday is refused, naming the earliest allowed time, and counted.
    let r = fx
        .act(&county, id, json!({ "action": "dispatch", "to_unit_id": fx.unit_id("town-410928101").await, "due_at": "2023-12-18T10:00:00Z" }))
        .await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("r5_2_deadline_compression")),
        "{}",
        r.text
    );
    assert!(r.json["error"]["message"].as_str().unwrap().contains("12月21日"), "{}", r.text);
    let counts = outbox::burden_counts(&fx.app.store).await.unwrap();
    assert_eq!(counts.iter().filter(|c| c.0 == "compression_refused").map(|c| c.2).sum::<i64>(), 1);
    // Urgent night delivery needs a written reason and is counted.
    fx.clock.set(Utc.with_ymd_and_hms(2023, 12, 14, 14, 0, 0).unwrap()); // 22:00
    let county = fx.token("county_py").await; // sessions last 12 hours
    let r = fx
        .act(&county, id, json!({ "action": "dispatch", "to_unit_id": fx.unit_id("town-410928101").await, "urgent_reason": "急" }))
        .await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("r5_1_override_reason_required")),
        "{}",
        r.text
    );
    let r = fx
        .act(&county, id, json!({ "action": "dispatch", "to_unit_id": fx.unit_id("town-410928101").await, "urgent_reason": "群众反映夜间正在偷排，需立即到场取证制止" }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let asg = ducha_store::cases::assignments(&fx.app.store, id).await.unwrap();
    let t = asg.iter().find(|a| a.level == "township").unwrap();
    assert_eq!(t.delivered_at, Some(fx.app.now_ms()), "delivered at once");
    assert!(t.override_reason.is_some());
    let counts = outbox::burden_counts(&fx.app.store).await.unwrap();
    assert_eq!(counts.iter().filter(|c| c.0 == "night_override").map(|c| c.2).sum::<i64>(), 1);
    // The township sees its task with the time left in plain words.
    fx.clock.set(Utc.with_ymd_and_hms(2023, 12, 15, 2, 0, 0).unwrap());
    let h = fx.token("liutun").await;
    let county = fx.token("county_py").await;
    let r = fx.json("GET", "/api/v1/tasks", Some(&h), None).await;
    // Due Thursday 12-21 18:00 (county due minus one working day); at Friday 10:00 that is 8 h + 4 × 10 h
    // of working time = 4.8 working days, shown as whole days left.
    assert_eq!(r.json[0]["remaining"].as_str(), Some("还剩4个工作日"), "{}", r.text);
    // Extension: requested by the township, decided by the county (the level above).
    let r = fx
        .act(
            &h,
            id,
            json!({ "action": "request_extension", "reason": "需等待检测报告出具", "extension_days": 3 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = fx.act(&h, id, json!({ "action": "decide_extension", "approve": true })).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "the requester cannot approve: {}", r.text);
    let r = fx.act(&county, id, json!({ "action": "decide_extension", "approve": true })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Thursday 12-21 18:00 plus 3 working days (Fri 22, Mon 25, Tue 26) = Tuesday 12-26 18:00.
    assert_eq!(
        r.json["due_at"].as_i64(),
        Some(Utc.with_ymd_and_hms(2023, 12, 26, 10, 0, 0).unwrap().timestamp_millis()),
        "{}",
        r.text
    );
    // Overdue: escalated one level up, once.
    fx.clock.set(Utc.with_ymd_and_hms(2023, 12, 27, 2, 0, 0).unwrap());
    let rep = fx.app.remind_and_escalate().await.unwrap();
    assert!(rep.escalated >= 1, "{rep:?}");
    let again = fx.app.remind_and_escalate().await.unwrap();
    assert_eq!(again.escalated, 0, "escalated once");
    let msgs = outbox::messages_for_unit(&fx.app.store, fx.unit_id("county-410928").await).await.unwrap();
    assert!(msgs.iter().any(|m| m.kind == "overdue"), "the county (one level up) was told");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r5_2_r5_1_burden_rules_all_backends() {
    for b in testing::backends() {
        burden_rules(b).await;
    }
}
