//! The identity firewall end to end (issue 15): random identities, written in the hostile families of
//! `ducha_shield::testing`, go into every kind of free text along a case's whole path — the complaint
//! (hotline), a return reason and a handling report typed by the township, verification notes typed by
//! the county, a callback comment, an opinion post, an accountability note and a correction note — on
//! both backends. Then every public URL and every staff view of every role that may not read identities
//! is crawled, and the notifications, the audit chain and the stored clear-text columns are read: none
//! may hold any part of any identity, measured in the firewall's normalised reading. The identity
//! readers' audited read still returns what was typed (so the check has teeth).

#![allow(clippy::unwrap_used)]

mod common;
mod gongkai;

use axum::http::StatusCode;
use common::login;
use ducha_shield::norm::Norm;
use ducha_shield::testing::{FAMILIES, Person, person, render};
use ducha_store::{Backend, testing};
use gongkai::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

/// What of a person must not be anywhere: the name (letters only), the phone and its local part, the
/// ID number without its check character, the e-mail's local part, the handle, the flat. Compared in
/// the firewall's reading with spacing and number separators removed (not commas, quotes or colons:
/// the numbers of a JSON document must not run into each other).
fn secrets(p: &Person) -> Vec<String> {
    vec![
        p.name.clone(),
        p.phone.clone(),
        p.phone[3..].to_string(),
        p.id[..17].to_string(),
        p.email_local.clone(),
        p.handle.clone(),
        format!("{}单元{}", p.unit, p.room),
    ]
}

fn reading(s: &str) -> String {
    Norm::new(s)
        .text()
        .chars()
        .filter(|c| !c.is_whitespace() && !"-.·/()—–_+".contains(*c))
        .collect::<String>()
        .to_lowercase()
}

fn leaks(text: &str, people: &[Person]) -> Vec<String> {
    let r = reading(text);
    people.iter().flat_map(secrets).filter(|s| r.contains(&reading(s))).collect()
}

struct Found {
    bad: Vec<String>,
    looked: usize,
}

impl Found {
    fn check(&mut self, what: &str, text: &str, people: &[Person]) {
        self.looked += 1;
        let l = leaks(text, people);
        if !l.is_empty() {
            self.bad.push(format!("{what} → {}", l.join(", ")));
        }
    }
}

fn pick(rng: &mut StdRng, p: &Person) -> String {
    let f = rng.random_range(0..FAMILIES);
    render(f, p, rng)
}

async fn path(backend: Backend, seed: u64) {
    let fx = common::setup(backend).await;
    let mut rng = StdRng::seed_from_u64(seed);
    let op = fx.token("op").await;
    let liutun = fx.token("liutun").await;
    let county = fx.token("county_py").await;
    let mut people: Vec<Person> = Vec::new();
    let mut ids: Vec<i64> = Vec::new();
    for i in 0..3 {
        let p = person(&mut rng);
        let text = format!(
            "濮阳县柳屯镇东陈庄村北头有个塑料颗粒加工点，夜里冒黑烟，气味刺鼻，{}。",
            pick(&mut rng, &p)
        );
        let who = p.identity();
        let r = fx
            .json(
                "POST",
                "/api/v1/cases",
                Some(&op),
                Some(json!({ "channel": "phone", "text": text, "complainant": {
                    "name": who.name, "phone": who.phone, "address": who.address, "id_number": who.id_number,
                    "email": who.email, "handle": who.handle },
                    "county_code": "410928", "township_code": "410928101" })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let id = r.json["id"].as_i64().unwrap();
        fx.route_down(id, "county-410928", "town-410928101").await;
        if i == 0 {
            // A return whose reason the township types with the complainant's details in it.
            let reason = format!("经核实不属本镇辖区，已联系反映人（{}）", pick(&mut rng, &p));
            let r = fx.act(&liutun, id, json!({ "action": "return", "reason": reason })).await;
            // Done; the case has left the township's hands (answered as such).
            assert_eq!(r.json["error"]["code"].as_str(), Some("case_left_scope"), "{}", r.text);
            let r = fx
                .act(
                    &county,
                    id,
                    json!({ "action": "dispatch", "to_unit_id": fx.unit_id("town-410928101").await }),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        act(&fx, "liutun", id, "acknowledge", json!({})).await;
        act(&fx, "liutun", id, "start_investigation", json!({})).await;
        // The township's report: identities typed into the facts, a measure and the 办结目标.
        let mut report = common::valid_report("东陈庄村塑料颗粒加工点");
        report["facts"] = json!(format!(
            "经现场核查，该点无环保手续。已电话联系举报人，{}，核实属实。",
            pick(&mut rng, &p)
        ));
        report["measures"][0]["description"] =
            json!(format!("责令停止违法生产（告知举报人{}）", pick(&mut rng, &p)));
        report["closure_target"] = json!(format!("取缔到位，并向{}反馈", pick(&mut rng, &p)));
        let r = fx
            .json(
                "PUT",
                &format!("/api/v1/cases/{id}/report"),
                Some(&liutun),
                Some(json!({ "report": report })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert!(
            !r.json["identity_findings"].as_array().unwrap().is_empty(),
            "the handler is told the report holds identity: {}",
            r.json["identity_findings"]
        );
        act(&fx, "liutun", id, "record_finding", json!({ "finding": "属实" })).await;
        act(&fx, "liutun", id, "start_rectification", json!({})).await;
        act(&fx, "liutun", id, "submit_report", json!({})).await;
        let notes = format!("现场复核：已按报告整改，回访{}", pick(&mut rng, &p));
        act(&fx, "county_py", id, "verify_closed", json!({ "onsite": true, "notes": notes })).await;
        let comment = format!("不满意，还在偷偷开。{}", pick(&mut rng, &p));
        let r = fx
            .json(
                "POST",
                &format!("/api/v1/cases/{id}/callbacks"),
                Some(&op),
                Some(json!({ "channel": "phone", "result": "answered", "satisfaction": "不满意", "comment": comment })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        people.push(p);
        ids.push(id);
    }
    let accept0 = ducha_store::cases::get(&fx.app.store, ids[0]).await.unwrap().unwrap().accept_no;

    // An opinion post naming the first complainant; an accountability note naming the second.
    let desk = fx.token("opinion").await;
    let post = format!("柳屯镇东陈庄村那个塑料厂又开了，{}，快管管！", pick(&mut rng, &people[0]));
    let r = fx
        .json(
            "POST",
            "/api/v1/opinion/items",
            Some(&desk),
            Some(json!({ "text": post, "author": people[0].handle, "platform": "weibo" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let item = r.json["item"]["id"].as_i64().unwrap();
    let r = fx
        .json(
            "POST",
            "/api/v1/accountability",
            Some(&county),
            Some(json!({
                "person_name": "刘明远", "position": "副镇长", "person_level": "section", "unit": "濮阳县柳屯镇人民政府",
                "kind": "admonishment", "kind_detail": format!("约谈（举报人{}）", pick(&mut rng, &people[1])),
                "basis": format!("对散乱污企业监管不力，举报人{}多次反映", pick(&mut rng, &people[1])),
                "case_ids": [accept0], "typical": true })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    // Publication: the draft lists what the firewall hid in the reports and may not be published;
    // the office hides it in the reports (audited), redrafts and publishes.
    let py = user(&fx, "county_py").await;
    let batch = batch_of(&fx, ids[0]).await;
    let v = fx.app.draft_disclosure(&py, batch).await.unwrap();
    assert!(v.identity_hits.len() >= 3, "hits listed: {:?}", v.identity_hits);
    assert!(v.identity_hits.iter().all(|h| h.case_id.is_some()));
    fx.app.review_disclosure(&py, v.id).await.unwrap();
    let e = fx.app.publish_disclosure(&py, v.id).await.unwrap_err();
    assert_eq!(e.code, "identity_in_disclosure", "{}", e.message);
    let county_page = login(&fx, "county_py").await;
    let mut found = Found { bad: Vec::new(), looked: 0 };
    let preview = county_page.get(&fx, &format!("/disclosure/{}", v.id)).await;
    assert_eq!(preview.status, StatusCode::OK);
    found.check("draft preview", &preview.text, &people);
    let staff_list = county_page.get(&fx, "/disclosure/").await;
    assert!(staff_list.text.contains("疑似举报人信息"), "the office sees the hits");
    found.check("/disclosure/ (hits listed)", &staff_list.text, &people);
    for id in &ids {
        let r = fx.json("POST", &format!("/api/v1/cases/{id}/report/redact"), Some(&county), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert!(
            r.json["identity_findings"].as_array().unwrap().is_empty(),
            "{}",
            r.json["identity_findings"]
        );
    }
    let v = fx.app.draft_disclosure(&py, batch).await.unwrap();
    assert!(v.identity_hits.is_empty(), "{:?}", v.identity_hits);
    fx.app.review_disclosure(&py, v.id).await.unwrap();
    fx.app.publish_disclosure(&py, v.id).await.unwrap();
    let city = user(&fx, "city").await;
    let c = fx.app.draft_disclosure(&city, batch).await.unwrap();
    fx.app.review_disclosure(&city, c.id).await.unwrap();
    fx.app.publish_disclosure(&city, c.id).await.unwrap();
    // A correction whose note names the third complainant: hidden, listed; a redraft clears the list.
    let note = format!("更新办理进展（应{}要求）", pick(&mut rng, &people[2]));
    let c = fx.app.correct_disclosure(&py, batch, &note).await.unwrap();
    let c = fx.app.draft_disclosure(&py, batch).await.map(|_| c).unwrap();
    let c = fx.app.disclosure_for_staff(&py, c.id).await.unwrap();
    assert!(c.identity_hits.is_empty(), "{:?}", c.identity_hits);
    fx.app.review_disclosure(&py, c.id).await.unwrap();
    fx.app.publish_disclosure(&py, c.id).await.unwrap();

    // The identity readers' audited read returns what was typed: the checker finds it there.
    let r = fx.json("GET", &format!("/api/v1/cases/{}/identity", ids[2]), Some(&op), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!leaks(&r.text, &people).is_empty(), "the identity read shows the identity");
    let originals = r.json["callback_comments"].as_array().unwrap();
    assert_eq!(originals.len(), 1, "{}", r.text);

    // Every public URL.
    let mut seeds = Vec::new();
    for id in &ids {
        let no = ducha_store::cases::get(&fx.app.store, *id).await.unwrap().unwrap().accept_no;
        for ext in ["json", "xml"] {
            seeds.push(format!("/open311/v2/requests/{no}.{ext}"));
        }
    }
    let pages = crawl(&fx.router, "http://127.0.0.1:8080", &seeds).await;
    assert!(pages.len() > 25, "crawled {} public pages", pages.len());
    for p in &pages {
        found.check(&p.url, &p.text(), &people);
    }
    assert!(
        pages.iter().any(|p| p.url == "/gongkai/410928/batch/1/?version=1"),
        "both versions were crawled"
    );

    // Every staff view of every role that may not read identities.
    let mut staff_paths: Vec<String> = [
        "/",
        "/cases",
        "/tasks",
        "/alerts",
        "/accountability",
        "/extensions",
        "/yuqing/",
        "/yuqing/items",
        "/yuqing/alerts",
        "/disclosure/",
        "/discipline",
        "/dashboard",
        "/batches",
        "/tongji",
        "/burden",
        "/api/v1/cases?per_page=200",
        "/api/v1/tasks",
        "/api/v1/alerts",
        "/api/v1/accountability",
        "/api/v1/opinion/items",
        "/api/v1/opinion/alerts",
        "/api/v1/opinion/report?date=2023-12-14",
        "/api/v1/opinion/briefing.txt?date=2023-12-14",
        "/yuqing/briefing.txt?date=2023-12-14",
        "/api/v1/triage/corrections.jsonl",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for id in &ids {
        for p in [
            "/cases/{id}",
            "/cases/{id}/report",
            "/api/v1/cases/{id}",
            "/api/v1/cases/{id}/history",
            "/api/v1/cases/{id}/report",
        ] {
            staff_paths.push(p.replace("{id}", &id.to_string()));
        }
    }
    staff_paths.push(format!("/yuqing/items/{item}"));
    staff_paths.push(format!("/api/v1/opinion/items/{item}"));
    for d in ducha_store::disclosure::all_versions(&fx.app.store, fx.app.campaign().await.unwrap().id)
        .await
        .unwrap()
    {
        staff_paths.push(format!("/disclosure/{}", d.id));
    }
    let mut read_ok = 0;
    for role in ["city", "county_py", "liutun", "opinion", "prov"] {
        let s = login(&fx, role).await;
        let token = fx.token(role).await;
        for path in &staff_paths {
            let r = if path.starts_with("/api/") {
                fx.json("GET", path, Some(&token), None).await
            } else {
                s.get(&fx, path).await
            };
            assert!(!r.status.is_server_error(), "{role} {path}: {}", r.status);
            if r.status.is_success() {
                read_ok += 1;
                found.check(&format!("{role} {path}"), &r.text, &people);
            }
        }
    }
    assert!(read_ok > 80, "staff views read: {read_ok}");

    // What units receive (inbox, e-mail, webhook) and what is chained and stored in the clear.
    for (what, sql) in [
        ("outbox", "SELECT subject || ' ' || body || ' ' || COALESCE(override_reason, '') FROM outbox"),
        ("audit chain", "SELECT detail FROM audit_log"),
        ("callbacks", "SELECT comment FROM callbacks"),
        (
            "assignments",
            "SELECT COALESCE(return_reason, '') || ' ' || COALESCE(override_reason, '') FROM assignments",
        ),
        ("verifications", "SELECT COALESCE(notes, '') FROM verifications"),
        ("opinion alerts", "SELECT message FROM opinion_alerts"),
        ("disclosures", "SELECT content || ' ' || note || ' ' || identity_hits FROM disclosures"),
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(fx.app.store.reader()).await.unwrap();
        for (i, row) in rows.iter().enumerate() {
            found.check(&format!("{what} row {i}"), row, &people);
        }
    }
    assert!(found.looked > 150, "looked at {}", found.looked);
    assert!(found.bad.is_empty(), "identity left ({backend:?}, seed {seed}):\n{}", found.bad.join("\n"));
}

proptest! {
    #![proptest_config(Config { cases: 3, rng_algorithm: RngAlgorithm::ChaCha, failure_persistence: None, ..Config::default() })]

    #[test]
    fn firewall_whole_path_all_backends(seed in any::<u64>()) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        for b in testing::backends() {
            rt.block_on(path(b, seed));
        }
    }
}

/// Seeds CI found: a post naming a complainant (吴梅志反映) whose name came back as an opinion item's
/// keyword after the firewall had hidden it in the post.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn firewall_path_keywords_of_a_post_regressions() {
    for seed in [773103173290864031, 773480849486902557] {
        path(Backend::Sqlite, seed).await;
    }
}
