//! Issue 7's "done when", over HTTP on SQLite and PostgreSQL: feeds served from a local server (one
//! malformed, one that times out, one answering 304 to a repeated ETag) are polled; items are ingested,
//! de-duplicated (same URL, near-identical repost), placed in the right township and linked to the
//! right open case; the township is alerted (quiet hours respected, critical override recorded) and
//! acknowledges; a key item is escalated to the team with its copy to the city office; the daily
//! report, its XLSX and the press briefing come out without the complainant's identity.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::TimeZone;
use common::setup;
use ducha_store::{Backend, audit, testing};
use serde_json::json;

#[derive(Debug, Default)]
struct Hits {
    good: AtomicUsize,
    good_304: AtomicUsize,
    slow: AtomicUsize,
}

const GOOD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>濮阳身边事</title><link>http://feeds.local/</link>
<item><title>柳屯镇塑料颗粒加工点夜间偷产</title><link>https://weibo.example.cn/1/liutun?from=rss</link><guid>g-1</guid>
<pubDate>Thu, 14 Dec 2023 01:30:00 GMT</pubDate>
<description><![CDATA[<p>濮阳县柳屯镇那个塑料颗粒加工点又开始晚上偷偷生产了，冒黑烟，气味刺鼻，附近孩子咳嗽不止，举报多次一直没人管！</p>]]></description></item>
<item><title>转发</title><link>https://weibo.example.cn/2/repost</link><guid>g-2</guid>
<pubDate>Thu, 14 Dec 2023 01:40:00 GMT</pubDate>
<description>太气人了 //@濮阳身边事:濮阳县柳屯镇那个塑料颗粒加工点又开始晚上偷偷生产了，冒黑烟，气味刺鼻，附近孩子咳嗽不止，举报多次一直没人管！</description></item>
<item><title>濮阳县边督边改见成效</title><link>https://news.example.cn/py/good-news</link><guid>g-3</guid>
<pubDate>Thu, 14 Dec 2023 01:50:00 GMT</pubDate>
<description>濮阳县对督察组交办问题立行立改，河道变清了，群众点赞。&lt;script&gt;alert(1)&lt;/script&gt;</description></item>
</channel></rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>大河报·濮阳</title><id>urn:dahe</id><updated>2023-12-14T10:00:00+08:00</updated>
<entry><title>柳屯镇塑料颗粒加工点夜间偷产</title><id>urn:dahe:1</id><updated>2023-12-14T09:45:00+08:00</updated>
<link rel="alternate" href="https://weibo.example.cn/1/liutun?utm_source=dahe&amp;from=atom"/>
<content type="text">同一条微博，链接带了跟踪参数。</content></entry></feed>"#;

async fn feed_server(hits: Arc<Hits>) -> String {
    let h1 = hits.clone();
    let h2 = hits.clone();
    let app = axum::Router::new()
        .route(
            "/good.xml",
            get(move |headers: HeaderMap| {
                let hits = h1.clone();
                async move {
                    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some("\"v1\"") {
                        hits.good_304.fetch_add(1, Ordering::SeqCst);
                        return StatusCode::NOT_MODIFIED.into_response();
                    }
                    hits.good.fetch_add(1, Ordering::SeqCst);
                    ([(header::ETAG, "\"v1\""), (header::CONTENT_TYPE, "application/rss+xml")], GOOD)
                        .into_response()
                }
            }),
        )
        .route("/atom.xml", get(|| async { ([(header::CONTENT_TYPE, "application/atom+xml")], ATOM) }))
        .route("/bad.xml", get(|| async { "<rss><channel><item><title>断了的订阅源" }))
        .route(
            "/slow.xml",
            get(move || {
                let hits = h2.clone();
                async move {
                    hits.slow.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    GOOD
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

fn cst(y: i32, m: u32, d: u32, h: u32, mi: u32) -> chrono::DateTime<chrono::Utc> {
    chrono::FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(y, m, d, h, mi, 0)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

async fn feeds_to_escalation(backend: Backend) {
    let fx = setup(backend).await;
    // Short fetch timeout, and a source is flagged failing after two failures in a row.
    sqlx::query(
        "UPDATE campaigns SET settings = '{\"opinion\": {\"fetch_timeout_ms\": 600, \"max_failures\": 2}}'",
    )
    .execute(fx.app.store.reader())
    .await
    .unwrap();
    let op = fx.token("op").await;
    let case_a =
        fx.intake(&op, "我叫王建国，濮阳县柳屯镇有个塑料颗粒加工点晚上偷偷生产，冒黑烟，气味刺鼻。").await;
    let case_b = fx.intake(&op, "濮阳县文留镇一家砖厂烟囱冒黑烟，粉尘大。").await;
    fx.route_down(case_a, "county-410928", "town-410928101").await;
    fx.route_down(case_b, "county-410928", "town-410928102").await;
    let accept_a = fx
        .json("GET", &format!("/api/v1/cases/{case_a}"), Some(&fx.token("team").await), None)
        .await
        .json["case"]["accept_no"]
        .as_str()
        .unwrap()
        .to_owned();

    let hits = Arc::new(Hits::default());
    let base = feed_server(hits.clone()).await;
    let desk = fx.token("opinion").await;
    let mut ids = std::collections::HashMap::new();
    for (name, path) in
        [("身边事", "/good.xml"), ("大河报", "/atom.xml"), ("坏源", "/bad.xml"), ("慢源", "/slow.xml")]
    {
        let r = fx
            .json(
                "POST",
                "/api/v1/opinion/sources",
                Some(&desk),
                Some(json!({ "name": name, "url": format!("{base}{path}"), "interval_secs": 60 })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(
            r.json["county_code"].as_str(),
            Some("410928"),
            "a county desk's sources are its county's"
        );
        ids.insert(name, r.json["id"].as_i64().unwrap());
    }
    // Bad sources are refused with a clear code.
    let r = fx
        .json(
            "POST",
            "/api/v1/opinion/sources",
            Some(&desk),
            Some(json!({ "name": "x", "url": "ftp://a/b" })),
        )
        .await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_input"))
    );
    let r = fx
        .json(
            "POST",
            "/api/v1/opinion/sources",
            Some(&desk),
            Some(json!({ "name": "重复", "url": format!("{base}/good.xml") })),
        )
        .await;
    assert_eq!((r.status, r.json["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("source_exists")));

    // Round 1: two feeds fine, one malformed, one timing out.
    let r1 = fx.app.poll_due_sources().await.unwrap();
    assert_eq!((r1.polled, r1.ok, r1.failed), (4, 2, 2), "{r1:?}");
    let by = |name: &str| r1.sources.iter().find(|s| s.source_id == ids[name]).unwrap().clone();
    assert_eq!((by("身边事").items_new, by("身边事").items_dup), (2, 1), "original + repost + good news");
    assert_eq!(
        (by("大河报").items_new, by("大河报").items_seen),
        (0, 1),
        "same URL with tracking parameters"
    );
    assert!(by("坏源").error.as_deref().unwrap().contains("无法解析"), "{:?}", by("坏源"));
    assert!(by("慢源").error.as_deref().unwrap().contains("超时"), "{:?}", by("慢源"));
    assert_eq!(fx.count("SELECT COUNT(*) FROM opinion_items").await, 3);

    // The original: right township, linked to the right open case, with its repost counted.
    let list = fx.json("GET", "/api/v1/opinion/items?q=塑料颗粒", Some(&desk), None).await;
    assert_eq!(list.json["total"].as_i64(), Some(1), "the repost is folded into the original: {}", list.text);
    let item = list.json["items"][0]["id"].as_i64().unwrap();
    let d = fx.json("GET", &format!("/api/v1/opinion/items/{item}"), Some(&desk), None).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    assert_eq!(d.json["item"]["township_code"].as_str(), Some("410928101"));
    assert_eq!(d.json["item"]["dup_count"].as_i64(), Some(1));
    let linked: Vec<i64> =
        d.json["linked_cases"].as_array().unwrap().iter().map(|c| c["case_id"].as_i64().unwrap()).collect();
    assert_eq!(linked, vec![case_a], "{}", d.text);
    assert!(!d.text.contains("王建国"), "linked cases show the redacted text only");
    let signals: Vec<&str> =
        d.json["item"]["signals"].as_array().unwrap().iter().map(|s| s["code"].as_str().unwrap()).collect();
    for s in ["health", "repeat_unresolved", "linked_open_case", "reposts"] {
        assert!(signals.contains(&s), "{s} in {signals:?}");
    }
    assert_eq!(d.json["reposts"].as_array().unwrap().len(), 1);

    // Round 2, ten minutes later: the good feed answers 304 to its ETag; the broken ones fail again
    // and are flagged failing; round 3 leaves them alone.
    fx.clock.advance(chrono::Duration::minutes(10));
    let r2 = fx.app.poll_due_sources().await.unwrap();
    assert_eq!((r2.not_modified, r2.failed, r2.now_failing), (1, 2, 2), "{r2:?}");
    assert_eq!(hits.good_304.load(Ordering::SeqCst), 1);
    fx.clock.advance(chrono::Duration::hours(12));
    let r3 = fx.app.poll_due_sources().await.unwrap();
    assert_eq!(r3.polled, 2, "failing sources are not retried: {r3:?}");
    assert_eq!(hits.slow.load(Ordering::SeqCst), 2);
    assert_eq!(audit::count_action(&fx.app.store, "opinion.source_failing").await.unwrap(), 2);
    let late = fx.token("opinion").await; // the morning's session has expired by now
    let srcs = fx.json("GET", "/api/v1/opinion/sources", Some(&late), None).await;
    assert_eq!(srcs.status, StatusCode::OK, "{}", srcs.text);
    let bad = srcs.json.as_array().unwrap().iter().find(|s| s["id"].as_i64() == Some(ids["坏源"])).unwrap();
    assert_eq!(bad["status"].as_str(), Some("failing"));
    // Re-enabling puts it back in the rotation at once.
    let r = fx
        .json(
            "PATCH",
            &format!("/api/v1/opinion/sources/{}", ids["坏源"]),
            Some(&late),
            Some(json!({ "enabled": true })),
        )
        .await;
    assert_eq!((r.status, r.json["status"].as_str()), (StatusCode::OK, Some("never")), "{}", r.text);
    let r4 = fx.app.poll_due_sources().await.unwrap();
    assert!(r4.sources.iter().any(|s| s.source_id == ids["坏源"]), "{r4:?}");
    fx.clock.set(cst(2023, 12, 14, 10, 30));

    // Workflow: refusals first, nothing stored changes.
    let before = fx.count("SELECT COUNT(*) FROM outbox").await;
    let act_path = format!("/api/v1/opinion/items/{item}/actions");
    let act = |body: serde_json::Value| fx.json("POST", &act_path, Some(&desk), Some(body));
    for (body, status, code) in [
        (json!({ "action": "escalate" }), StatusCode::CONFLICT, "illegal_transition"),
        (json!({ "action": "teleport" }), StatusCode::BAD_REQUEST, "invalid_input"),
        (json!({ "action": "assess", "level": "huge" }), StatusCode::BAD_REQUEST, "invalid_input"),
        (json!({ "action": "handle" }), StatusCode::BAD_REQUEST, "invalid_input"),
        (json!({ "action": 7 }), StatusCode::BAD_REQUEST, "invalid_json_body"),
    ] {
        let r = act(body.clone()).await;
        assert_eq!((r.status, r.json["error"]["code"].as_str()), (status, Some(code)), "{body}: {}", r.text);
    }
    let r = fx
        .raw(
            "POST",
            &format!("/api/v1/opinion/items/{item}/actions"),
            Some(&desk),
            Some("application/json"),
            "{\"action\":",
        )
        .await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("malformed_json"))
    );
    assert_eq!(fx.count("SELECT COUNT(*) FROM outbox").await, before);

    // Assess at 重大, alert the township (daytime: delivered at once), it acknowledges.
    let r = act(json!({ "action": "assess", "level": "high", "note": "反复举报，关联交办案件" })).await;
    assert_eq!(
        (r.status, r.json["item"]["status"].as_str()),
        (StatusCode::OK, Some("assessed")),
        "{}",
        r.text
    );
    let r = act(json!({ "action": "alert" })).await;
    assert_eq!(
        (r.status, r.json["item"]["status"].as_str()),
        (StatusCode::OK, Some("alerted")),
        "{}",
        r.text
    );
    let liutun_unit = fx.unit_id("town-410928101").await;
    let inbox = ducha_store::outbox::messages_for_unit(&fx.app.store, liutun_unit).await.unwrap();
    let msg = inbox.iter().find(|m| m.kind == "opinion_alert").expect("an inbox message to 柳屯镇");
    assert_eq!(msg.channel, "inbox");
    assert_eq!(msg.deliver_after, cst(2023, 12, 14, 10, 30).timestamp_millis(), "daytime: at once");
    let liutun = fx.token("liutun").await;
    let alerts = fx.json("GET", "/api/v1/opinion/alerts", Some(&liutun), None).await;
    assert_eq!(alerts.json.as_array().unwrap().len(), 1, "{}", alerts.text);
    let alert_id = alerts.json[0]["id"].as_i64().unwrap();
    let ack = |t: String, id: i64| {
        let fx = &fx;
        async move {
            fx.json(
                "POST",
                &format!("/api/v1/opinion/alerts/{id}/ack"),
                Some(&t),
                Some(json!({ "note": "已到现场核查" })),
            )
            .await
        }
    };
    let wenliu = fx.token("wenliu").await;
    assert_eq!(ack(wenliu.clone(), alert_id).await.status, StatusCode::NOT_FOUND, "not its alert");
    let r = ack(liutun.clone(), alert_id).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.json["acknowledged_at"].as_i64().is_some());
    assert_eq!(
        ack(liutun.clone(), alert_id).await.json["error"]["code"].as_str(),
        Some("already_acknowledged")
    );
    // The township reads the item behind its alert; a handler elsewhere does not.
    assert_eq!(
        fx.json("GET", &format!("/api/v1/opinion/items/{item}"), Some(&liutun), None).await.status,
        StatusCode::OK
    );
    let r = fx.json("GET", &format!("/api/v1/opinion/items/{item}"), Some(&wenliu), None).await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("opinion_item_not_found"))
    );

    // Escalate: the team gets it, the city office its copy; both acknowledge.
    let r = act(json!({ "action": "escalate", "note": "建议督察组督办" })).await;
    assert_eq!(
        (r.status, r.json["item"]["status"].as_str()),
        (StatusCode::OK, Some("escalated")),
        "{}",
        r.text
    );
    let kinds: Vec<&str> =
        r.json["alerts"].as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["alert", "escalation", "copy"]);
    for (user, unit, kind) in [("team", "team", "opinion_escalation"), ("city", "city-4109", "opinion_copy")]
    {
        let uid = fx.unit_id(unit).await;
        let msgs = ducha_store::outbox::messages_for_unit(&fx.app.store, uid).await.unwrap();
        let m = msgs.iter().find(|m| m.kind == kind).unwrap_or_else(|| panic!("{kind} to {unit}"));
        assert!(m.body.contains(&accept_a), "the escalation names the linked case: {}", m.body);
        let t = fx.token(user).await;
        let mine = fx.json("GET", "/api/v1/opinion/alerts", Some(&t), None).await;
        let a = mine
            .json
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["item_id"].as_i64() == Some(item))
            .unwrap()
            .clone();
        assert_eq!(ack(t.clone(), a["id"].as_i64().unwrap()).await.status, StatusCode::OK);
    }
    let r = act(json!({ "action": "handle", "note": "属地已查封，交办案件办理中" })).await;
    assert_eq!(r.json["item"]["status"].as_str(), Some("handled"));
    let hist: Vec<&str> =
        r.json["history"].as_array().unwrap().iter().map(|h| h["action"].as_str().unwrap()).collect();
    for a in [
        "opinion.ingest",
        "opinion.assess",
        "opinion.alert",
        "opinion.acknowledge",
        "opinion.escalate",
        "opinion.handle",
    ] {
        assert!(hist.contains(&a), "{a} in {hist:?}");
    }

    // Quiet hours (R5.1): at 21:00 a township alert waits for 08:00 the next working day; only a
    // 特别重大 item may be delivered at night, with a written reason that is recorded and counted.
    fx.clock.set(cst(2023, 12, 14, 21, 0));
    let m = fx
        .json("POST", "/api/v1/opinion/items", Some(&desk), Some(json!({ "text": "濮阳县文留镇一家化工厂发生泄漏，两名工人中毒送医抢救，村民很担心。", "platform": "weibo" })))
        .await;
    assert_eq!(m.status, StatusCode::CREATED, "{}", m.text);
    assert_eq!(
        (m.json["item"]["level"].as_str(), m.json["item"]["township_code"].as_str()),
        (Some("critical"), Some("410928102"))
    );
    let crit = m.json["item"]["id"].as_i64().unwrap();
    let cact_path = format!("/api/v1/opinion/items/{crit}/actions");
    let cact = |body: serde_json::Value| fx.json("POST", &cact_path, Some(&desk), Some(body));
    assert_eq!(cact(json!({ "action": "assess" })).await.status, StatusCode::OK);
    let r = cact(json!({ "action": "alert" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let a = &r.json["alerts"][0];
    assert_eq!(
        (a["deferred"].as_bool(), a["deliver_after"].as_i64()),
        (Some(true), Some(cst(2023, 12, 15, 8, 0).timestamp_millis()))
    );
    assert!(
        fx.json("GET", "/api/v1/opinion/alerts", Some(&wenliu), None)
            .await
            .json
            .as_array()
            .unwrap()
            .is_empty(),
        "not delivered at night"
    );
    // A second township, at once, with the reason recorded.
    let r = cact(json!({ "action": "alert", "township_code": "410928101", "override_reason": "化工厂泄漏有人中毒，需立即组织疏散" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let over = r.json["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["override_reason"].is_string())
        .unwrap()
        .clone();
    assert_eq!(over["deliver_after"].as_i64(), Some(cst(2023, 12, 14, 21, 0).timestamp_millis()));
    assert_eq!(ducha_store::opinion::override_counts(&fx.app.store).await.unwrap(), vec![(liutun_unit, 1)]);
    // …and never for a lesser item.
    let m2 = fx
        .json(
            "POST",
            "/api/v1/opinion/items",
            Some(&desk),
            Some(json!({ "text": "濮阳县文留镇路边有人烧垃圾，有点呛。" })),
        )
        .await;
    let lesser = m2.json["item"]["id"].as_i64().unwrap();
    fx.json(
        "POST",
        &format!("/api/v1/opinion/items/{lesser}/actions"),
        Some(&desk),
        Some(json!({ "action": "assess" })),
    )
    .await;
    let r = fx
        .json(
            "POST",
            &format!("/api/v1/opinion/items/{lesser}/actions"),
            Some(&desk),
            Some(json!({ "action": "alert", "override_reason": "想让乡镇马上处理这个问题" })),
        )
        .await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("r5_1_override_critical_only"))
    );
    // Entering the same post again is refused.
    let again = fx
        .json(
            "POST",
            "/api/v1/opinion/items",
            Some(&desk),
            Some(json!({ "text": "濮阳县文留镇路边有人烧垃圾，有点呛。" })),
        )
        .await;
    assert!(again.status == StatusCode::CREATED || again.status == StatusCode::CONFLICT, "{}", again.text);

    // Another county's desk sees none of it.
    fx.app
        .create_user(
            None,
            &ducha_app::auth::NewUserInput {
                username: "desk_hl".into(),
                display_name: "华龙区舆情专员".into(),
                password: common::PASSWORD.into(),
                unit_code: "county-410902".into(),
                role: "opinion".into(),
            },
        )
        .await
        .unwrap();
    let hl = fx.token("desk_hl").await;
    let r = fx.json("GET", &format!("/api/v1/opinion/items/{item}"), Some(&hl), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        fx.json("GET", "/api/v1/opinion/items", Some(&hl), None).await.json["total"].as_i64(),
        Some(0)
    );
    let r = fx
        .json(
            "POST",
            &format!("/api/v1/opinion/items/{item}/actions"),
            Some(&hl),
            Some(json!({ "action": "note", "note": "越权操作试试" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Daily report, XLSX and briefing: the complainant never appears.
    let r = fx.json("GET", "/api/v1/opinion/report?date=2023-12-14", Some(&desk), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.json["volume"]["originals"].as_i64().unwrap() >= 3);
    assert_eq!(r.json["volume"]["reposts"].as_i64(), Some(1));
    let esc = &r.json["escalations"][0];
    assert_eq!(esc["item_id"].as_i64(), Some(item));
    assert!(esc["team_acknowledged_at"].as_i64().is_some() && esc["city_acknowledged_at"].as_i64().is_some());
    assert!(r.json["hot_topics"].as_array().unwrap().iter().any(|t| {
        t["linked_cases"].as_array().unwrap().iter().any(|c| c.as_str() == Some(accept_a.as_str()))
    }));
    let x = fx.json("GET", "/api/v1/opinion/report.xlsx?date=2023-12-14", Some(&desk), None).await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(x.text.starts_with("PK"), "an XLSX (zip) body");
    let b = fx.json("GET", "/api/v1/opinion/briefing?date=2023-12-14", Some(&desk), None).await;
    assert_eq!(b.status, StatusCode::OK, "{}", b.text);
    assert!(b.text.contains(&accept_a), "{}", b.text);
    let t = fx.json("GET", "/api/v1/opinion/briefing.txt?date=2023-12-14", Some(&desk), None).await;
    for out in [&b.text, &t.text, &r.text] {
        assert!(!out.contains("王建国") && !out.contains("13803930123"), "no identity in outputs: {out}");
    }
    // The firewall writes a name as 某某 (the surname alone can identify in a village).
    assert!(t.text.contains("我叫某某"), "the redacted text is what is quoted: {}", t.text);
    let r = fx.json("GET", "/api/v1/opinion/report?date=14-12-2023", Some(&desk), None).await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_input"))
    );
    let liutun_report = fx.json("GET", "/api/v1/opinion/report", Some(&liutun), None).await;
    assert_eq!(liutun_report.status, StatusCode::FORBIDDEN);

    // The pages render (escaped) for the desk and for the township.
    let cookie = |t: &str| format!("ducha_session={t}");
    for (t, path, want) in [
        (&desk, "/yuqing/".to_owned(), "舆情工作台"),
        (&desk, "/yuqing/items".to_owned(), "舆情列表"),
        (&desk, format!("/yuqing/items/{item}"), "等级评定依据"),
        (&desk, "/yuqing/sources".to_owned(), "连续失败"),
        (&desk, "/yuqing/report?date=2023-12-14".to_owned(), "热点话题"),
        (&desk, "/yuqing/briefing?date=2023-12-14".to_owned(), &accept_a),
        (&liutun, "/yuqing/".to_owned(), "发给本单位的舆情预警"),
    ] {
        let req = axum::http::Request::builder()
            .uri(&path)
            .header("cookie", cookie(t))
            .body(axum::body::Body::empty())
            .unwrap();
        let r = fx.send(req).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        assert!(r.text.contains(want), "{path} shows {want}");
        assert!(!r.text.contains("<script>alert(1)"), "{path} escapes feed text");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_to_escalation_all_backends() {
    for b in testing::backends() {
        feeds_to_escalation(b).await;
    }
}

#[tokio::test]
async fn opinion_api_is_documented() {
    let fx = setup(Backend::Sqlite).await;
    let r = fx.json("GET", "/api/openapi.json", None, None).await;
    let paths = r.json["paths"].as_object().unwrap();
    for p in [
        "/api/v1/opinion/items",
        "/api/v1/opinion/items/{id}",
        "/api/v1/opinion/items/{id}/actions",
        "/api/v1/opinion/import",
        "/api/v1/opinion/sources",
        "/api/v1/opinion/alerts/{id}/ack",
        "/api/v1/opinion/report",
        "/api/v1/opinion/briefing",
    ] {
        assert!(paths.contains_key(p), "{p} documented");
    }
}
