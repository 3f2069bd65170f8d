//! Issue 6's privacy invariant: crawl every public URL (the column pages, exports, feeds, TV text,
//! Open311 in both formats) of a campaign fed with PII-laden complaints, and of the demo, and find no
//! complainant name, phone, id number or home address — nor anything of the original text.

#![allow(clippy::unwrap_used)]

mod common;
mod gongkai;

use axum::http::StatusCode;
use ducha_store::{Backend, Q, testing};
use gongkai::*;
use serde_json::json;

/// What must never be public: (label, text as it might be printed).
fn forbidden() -> Vec<(&'static str, String)> {
    let mut v: Vec<(&'static str, String)> = Vec::new();
    for n in ["张桂英", "李建国", "王德明", "刘淑芬", "赵秀英"] {
        v.push(("name", n.into()));
    }
    for p in ["13803934567", "15939312345", "13939300001", "03937221234", "13700001111"] {
        v.push(("phone", p.into()));
    }
    for i in ["410928198803151231", "410902197506204562", "410922199001017897"] {
        v.push(("id_number", i.into()));
    }
    for a in ["幸福小区3号楼", "3号楼2单元501", "金色家园5号院", "幸福里小区8栋302", "胜利路金色家园"]
    {
        v.push(("address", a.into()));
    }
    v.push(("email", "wangdm@example.com".into()));
    v.push(("wechat", "wdm_8899".into()));
    v.push(("original_text", SENTINEL.into()));
    v
}

const SENTINEL: &str = "原文哨兵Q7X";

/// The leaks of one page's text.
fn leaks(text: &str, forbidden: &[(&'static str, String)]) -> Vec<String> {
    let norm = normalise(text);
    forbidden
        .iter()
        .filter(|(_, s)| text.contains(s.as_str()) || norm.contains(&normalise(s)))
        .map(|(k, s)| format!("{k}: {s}"))
        .collect()
}

struct Pii {
    text: &'static str,
    channel: &'static str,
    county: &'static str,
    town: &'static str,
    who: serde_json::Value,
}

fn complaints() -> Vec<Pii> {
    vec![
        Pii {
            text: "我叫张桂英，住在柳屯镇幸福小区3号楼2单元501室，电话138 0393 4567。柳屯镇张庄村有个塑料颗粒加工点夜里偷偷生产，冒黑烟，气味刺鼻。",
            channel: "phone",
            county: "410928",
            town: "410928101",
            who: json!({ "name": "张桂英", "phone": "13803934567", "address": "濮阳县柳屯镇幸福小区3号楼2单元501室", "id_number": "410928198803151231" }),
        },
        Pii {
            text: "举报人：李建国，身份证号410902197506204562，手机：１５９３９３１２３４５。文留镇赵庄村东关砖厂烟囱冒黑烟，粉尘大。落款：李建国",
            channel: "letter",
            county: "410928",
            town: "410928102",
            who: json!({ "name": "李建国", "phone": "15939312345", "address": "华龙区胜利路金色家园5号院2号楼", "id_number": "410902197506204562" }),
        },
        Pii {
            text: "王先生反映：岳村镇东寨村工地扬尘严重，渣土车不苫盖。联系电话+86 139-3930-0001，邮箱 wangdm@example.com，微信：wdm_8899。",
            channel: "web",
            county: "410902",
            town: "410902101",
            who: json!({ "name": "王德明", "phone": "+86 139-3930-0001" }),
        },
        Pii {
            text: "0393-7221234是我家座机，我是刘淑芬，住城关镇建设路幸福里小区8栋302。柳屯镇花庄村废品收购站焚烧电线，气味难闻。",
            channel: "phone",
            county: "410928",
            town: "410928101",
            who: json!({ "name": "刘淑芬", "phone": "0393-7221234", "address": "清丰县城关镇建设路幸福里小区8栋302", "id_number": "410922199001017897" }),
        },
    ]
}

async fn pii_campaign(backend: Backend) {
    let fx = common::setup(backend).await;
    ensure_yuecun(&fx).await;
    let mut ids = Vec::new();
    for c in complaints() {
        let op = fx.token("op").await;
        let r = fx
            .json(
                "POST",
                "/api/v1/cases",
                Some(&op),
                Some(json!({ "channel": c.channel, "text": c.text, "complainant": c.who, "county_code": c.county, "township_code": c.town })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        ids.push(r.json["id"].as_i64().unwrap());
    }
    // A web complaint through Open311, with the submitter's name and phone.
    let form = "service_code=air&description=%E6%88%91%E6%98%AF%E8%B5%B5%E7%A7%80%E8%8B%B1%EF%BC%8C%E6%9F%B3%E5%B1%AF%E9%95%87%E5%BC%A0%E5%BA%84%E6%9D%91%E4%B8%80%E5%AE%B6%E5%B0%8F%E4%BD%9C%E5%9D%8A%E9%9C%B2%E5%A4%A9%E5%96%B7%E6%BC%86%E3%80%82%E6%88%91%E7%9A%84%E7%94%B5%E8%AF%9D13700001111&address_string=%E6%BF%AE%E9%98%B3%E5%8E%BF%E6%9F%B3%E5%B1%AF%E9%95%87%E5%BC%A0%E5%BA%84%E6%9D%91&first_name=%E7%A7%80%E8%8B%B1&last_name=%E8%B5%B5&phone=13700001111&email=zxy%40example.com&attribute%5Bcounty_code%5D=410928";
    let r = fx
        .raw("POST", "/open311/v2/requests.json", None, Some("application/x-www-form-urlencoded"), form)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let accept_open311 = r.json[0]["service_request_id"].as_str().unwrap().to_owned();
    let token = r.json[0]["token"].as_str().unwrap().to_owned();
    let open311_case =
        ducha_store::cases::get_by_accept_no(&fx.app.store, &accept_open311).await.unwrap().unwrap();
    assert!(open311_case.original_text.contains("赵秀英") && open311_case.has_identity == 1);
    ids.push(open311_case.id);

    // Mark every original text, so a public page that rendered it would show the sentinel.
    let mut tx = fx.app.store.begin().await.unwrap();
    let mut q = Q::new("UPDATE cases SET original_text = original_text || ");
    q.bind(SENTINEL);
    q.query().unwrap().execute(tx.conn()).await.unwrap();
    tx.commit().await.unwrap();

    fx.route_down(ids[0], "county-410928", "town-410928101").await;
    fx.route_down(ids[1], "county-410928", "town-410928102").await;
    fx.route_down(ids[2], "county-410902", "town-410902101").await;
    fx.route_down(ids[3], "county-410928", "town-410928101").await;
    fx.route_down(ids[4], "county-410928", "town-410928101").await;
    save_report(&fx, ids[0], "town-410928101", "liutun", &report_penalty()).await;
    save_report(&fx, ids[1], "town-410928102", "wenliu", &report_close_ban()).await;
    save_report(&fx, ids[2], "town-410902101", "yuecun", &report_false()).await;
    handle(&fx, "liutun", "county_py", ids[0], "属实", "verify_partly").await;
    handle(&fx, "wenliu", "county_py", ids[1], "部分属实", "verify_closed").await;
    handle(&fx, "yuecun", "county_hl", ids[2], "不属实", "verify_closed").await;
    let no0 = ducha_store::cases::get(&fx.app.store, ids[0]).await.unwrap().unwrap().accept_no;
    add_accountability(
        &fx,
        ids[0],
        &no0,
        "刘明远",
        true,
        ducha_domain::accountability::AccountabilityKind::Admonishment,
    )
    .await;
    let batch = batch_of(&fx, ids[0]).await;
    publish_all(&fx, batch, &["county_py", "county_hl", "city"]).await;
    // A correction too, so earlier versions are crawled.
    let py = user(&fx, "county_py").await;
    let c = fx.app.correct_disclosure(&py, batch, "更新办理进展").await.unwrap();
    fx.app.review_disclosure(&py, c.id).await.unwrap();
    fx.app.publish_disclosure(&py, c.id).await.unwrap();

    // The data really holds what must not leak (so the crawl could find it if a page showed it).
    let all: Vec<String> = {
        let mut v = Vec::new();
        for id in &ids {
            v.push(ducha_store::cases::get(&fx.app.store, *id).await.unwrap().unwrap().original_text);
        }
        v
    };
    let joined = all.join("\n");
    for must in ["张桂英", "１５９３９３１２３４５", "wangdm@example.com", SENTINEL] {
        assert!(joined.contains(must), "fixture lost {must}");
    }
    let f = forbidden();
    assert!(!leaks(&joined, &f).is_empty(), "the checker finds PII in original texts");

    let mut seeds =
        vec![format!("/open311/v2/tokens/{token}.json"), format!("/open311/v2/tokens/{token}.xml")];
    for id in &ids {
        let no = ducha_store::cases::get(&fx.app.store, *id).await.unwrap().unwrap().accept_no;
        for ext in ["json", "xml"] {
            seeds.push(format!("/open311/v2/requests/{no}.{ext}"));
        }
    }
    seeds.push("/open311/v2/requests.json?status=open,closed".into());
    let pages = crawl(&fx.router, "http://127.0.0.1:8080", &seeds).await;
    check_pages(&pages, &f);
    // The crawl reached every kind of public output.
    for must in [
        "/gongkai/",
        "/gongkai/410928/",
        "/gongkai/410902/",
        "/gongkai/410928/batch/1/",
        "/gongkai/410928/batch/1/?version=1",
        "/gongkai/410928/batch/1.xlsx",
        "/gongkai/410928/batch/1.csv",
        "/gongkai/410928/batch/1.json",
        "/gongkai/410928/batch/1/tv/",
        "/gongkai/410928/batch/1/tv.txt",
        "/gongkai/410928/batch/1/share.txt",
        "/gongkai/410928/typical/",
        "/gongkai/410928/accountability/",
        "/gongkai/410928/tv.txt",
        "/gongkai/410928/announcement.txt",
        "/gongkai/410928/feed.rss",
        "/gongkai/410928/feed.atom",
        "/gongkai/410928/feed.json",
        "/gongkai/batch/1.xlsx",
        "/open311/v2/requests.xml",
        "/open311/v2/services/air.xml",
    ] {
        assert!(pages.iter().any(|p| p.url == must && p.status == StatusCode::OK), "crawl missed {must}");
    }
    assert!(pages.iter().any(|p| p.url.contains(&accept_open311) && p.status == StatusCode::OK));
    // The redacted disclosure still says what the complaints were about.
    let page = pages.iter().find(|p| p.url == "/gongkai/410928/batch/1/").unwrap().text();
    for keep in ["塑料颗粒加工点", "东关砖厂", "柳屯镇"] {
        assert!(page.contains(keep), "{keep} kept");
    }
}

fn check_pages(pages: &[Page], f: &[(&'static str, String)]) {
    assert!(pages.len() > 30, "crawled only {} pages", pages.len());
    let mut bad = Vec::new();
    for p in pages {
        let l = leaks(&p.text(), f);
        if !l.is_empty() {
            bad.push(format!("{} → {}", p.url, l.join(", ")));
        }
    }
    assert!(bad.is_empty(), "personal data on public pages:\n{}", bad.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn privacy_crawl_pii_campaign_all_backends() {
    for b in testing::backends() {
        pii_campaign(b).await;
    }
}

#[test]
fn privacy_checker_finds_every_form() {
    let f = forbidden();
    for (text, kind) in [
        ("联系人张桂英", "name"),
        ("电话：138-0393-4567", "phone"),
        ("电话１３８０３９３４５６７", "phone"),
        ("0393 7221234", "phone"),
        ("身份证410922199001017897", "id_number"),
        ("住幸福里小区8栋302", "address"),
        (SENTINEL, "original_text"),
    ] {
        assert!(leaks(text, &f).iter().any(|l| l.starts_with(kind)), "{text}");
    }
    assert!(leaks("柳屯镇张庄村塑料颗粒加工点，受理编号D3HA202312140001", &f).is_empty());
}

/// The demo, seeded and published as `ducha demo` does, crawled for every complainant field of the
/// demo's complaints.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn privacy_crawl_demo() {
    let (store, _db) = testing::fresh(Backend::Sqlite).await;
    let clock = std::sync::Arc::new(ducha_app::FixedClock::new(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2023, 12, 20, 12, 0, 0).unwrap(),
    ));
    let cipher = ducha_store::IdentityCipher::new(&ducha_store::KeyMaterial::generate(), &[]).unwrap();
    ducha_store::crypto::check_keys(&store, Some(&cipher), 0).await.unwrap();
    let app = ducha_app::App::new(store, ducha_app::Config::for_tests(), clock, Some(cipher));
    app.seed_demo(ducha_triage::Gazetteer::builtin()).await.unwrap();
    let summary = app.seed_disclosure_demo().await.unwrap();
    assert!(!summary.contains(" 0 期"), "the demo publishes something: {summary}");
    let router = ducha_web::router(app.clone());

    let mut f: Vec<(&'static str, String)> = vec![];
    for line in include_str!("../../ducha-triage/eval/complaints.jsonl").lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let c = &v["complainant"];
        if let Some(n) = c["name"].as_str().filter(|n| n.chars().count() >= 2) {
            f.push(("name", n.to_owned()));
        }
        if let Some(p) =
            c["phone"].as_str().filter(|p| normalise(p).chars().filter(char::is_ascii_digit).count() >= 7)
        {
            f.push(("phone", p.to_owned()));
        }
        if let Some(i) = c["id_number"].as_str() {
            f.push(("id_number", i.to_owned()));
        }
        if let Some(a) = c["address"]
            .as_str()
            .filter(|a| ["号", "栋", "单元", "室", "小区", "院"].iter().any(|m| a.contains(m)))
        {
            f.push(("address", a.to_owned()));
        }
    }
    assert!(!f.is_empty());
    let pages = crawl(&router, "http://127.0.0.1:8080", &[]).await;
    assert!(
        pages.iter().any(|p| p.url.contains("/batch/") && p.status == StatusCode::OK),
        "the demo column has batches"
    );
    let mut bad = Vec::new();
    for p in &pages {
        let l = leaks(&p.text(), &f);
        if !l.is_empty() {
            bad.push(format!("{} → {}", p.url, l.join(", ")));
        }
    }
    assert!(bad.is_empty(), "personal data on the demo's public pages:\n{}", bad.join("\n"));
}
