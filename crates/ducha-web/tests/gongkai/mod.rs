//! Fixtures for the public-side tests: a fixed campaign with handled cases, handling reports,
//! accountability records and published disclosures; a PII-laden campaign; a crawler of every public
//! URL.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::{BTreeSet, VecDeque};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{TimeZone, Utc};
use ducha_app::auth::{CurrentUser, NewUserInput};
use ducha_domain::accountability::{AccountabilityKind, AccountabilityRecord, PersonLevel};
use ducha_domain::handling::{
    Finding, HandlingReport, IssueFinding, Measure, MeasureKind, Rectification, RectificationPlan,
    ShutdownTerms, Subject,
};
use ducha_store::accountability::{self, NewAccountability};
use ducha_store::{directory, handling};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use crate::common::{Fx, PASSWORD};

pub async fn user(fx: &Fx, username: &str) -> CurrentUser {
    let row = directory::user_by_name(&fx.app.store, username).await.unwrap().unwrap();
    fx.app.load_user(row.id).await.unwrap()
}

/// A handler account for 岳村镇 (华龙区), which the shared fixture lacks.
pub async fn ensure_yuecun(fx: &Fx) {
    if directory::user_by_name(&fx.app.store, "yuecun").await.unwrap().is_none() {
        fx.app
            .create_user(
                None,
                &NewUserInput {
                    username: "yuecun".into(),
                    display_name: "岳村镇经办人".into(),
                    password: PASSWORD.into(),
                    unit_code: "town-410902101".into(),
                    role: "handler".into(),
                },
            )
            .await
            .unwrap();
    }
}

/// Intake one complaint as the operator with pinned routing and types (so the stored case does not
/// depend on the classifier), returning its id.
pub async fn intake(
    fx: &Fx,
    text: &str,
    channel: &str,
    county: &str,
    town: &str,
    village: &str,
    types: &[&str],
    sansan: &str,
    complainant: serde_json::Value,
) -> i64 {
    let op = fx.token("op").await;
    let r = fx
        .json(
            "POST",
            "/api/v1/cases",
            Some(&op),
            Some(json!({
                "channel": channel,
                "text": text,
                "complainant": complainant,
                "county_code": county,
                "township_code": town,
                "village_code": village,
                "pollution_types": types,
                "sansan": sansan,
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json["id"].as_i64().unwrap()
}

pub async fn act(fx: &Fx, who: &str, id: i64, action: &str, extra: serde_json::Value) {
    let t = fx.token(who).await;
    let mut body = json!({ "action": action });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let r = fx.act(&t, id, body).await;
    assert_eq!(r.status, StatusCode::OK, "{who} {action}: {}", r.text);
}

/// Handler steps from dispatch to an investigated finding (and the report submitted).
pub async fn handle(fx: &Fx, handler: &str, county: &str, id: i64, finding: &str, close: &str) {
    act(fx, handler, id, "acknowledge", json!({})).await;
    act(fx, handler, id, "start_investigation", json!({})).await;
    act(fx, handler, id, "record_finding", json!({ "finding": finding })).await;
    if finding != "不属实" {
        act(fx, handler, id, "start_rectification", json!({})).await;
    }
    act(fx, handler, id, "submit_report", json!({})).await;
    act(fx, county, id, close, json!({ "onsite": true, "notes": "现场复核：已按报告整改" })).await;
}

pub async fn save_report(fx: &Fx, case_id: i64, unit_code: &str, handler: &str, r: &HandlingReport) {
    let unit = fx.unit_id(unit_code).await;
    let u = user(fx, handler).await;
    let mut tx = fx.app.store.begin().await.unwrap();
    handling::save_report(
        &mut tx,
        case_id,
        &serde_json::to_string(r).unwrap(),
        r.finding().map(|f| f.label()),
        unit,
        u.id,
        fx.app.now_ms(),
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

pub async fn add_accountability(
    fx: &Fx,
    case_id: i64,
    accept_no: &str,
    name: &str,
    typical: bool,
    kind: AccountabilityKind,
) {
    let campaign = fx.app.campaign().await.unwrap();
    let rec = AccountabilityRecord {
        person_name: name.into(),
        position: "副镇长".into(),
        person_level: PersonLevel::Section,
        unit: "濮阳县柳屯镇人民政府".into(),
        kind,
        kind_detail: String::new(),
        basis: "对辖区散乱污企业监管不力".into(),
        case_ids: vec![accept_no.into()],
        typical,
    };
    let mut tx = fx.app.store.begin().await.unwrap();
    accountability::insert(
        &mut tx,
        &NewAccountability {
            campaign_id: campaign.id,
            record: serde_json::to_string(&rec).unwrap(),
            person_level: rec.person_level.code().into(),
            kind: rec.kind.code().into(),
            unit_name: rec.unit.clone(),
            typical,
            case_ids: vec![case_id],
            created_at: fx.app.now_ms(),
            created_by: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

fn d(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn report_penalty() -> HandlingReport {
    HandlingReport {
        facts: "经现场核查，该加工点未办理环评手续，夜间生产时废气未经处理直排".into(),
        issues: vec![IssueFinding { issue: String::new(), finding: Finding::True, facts: String::new() }],
        subjects: vec![Subject {
            name: "柳屯镇张庄村塑料颗粒加工点".into(), ..Default::default()
        }],
        measures: vec![
            Measure {
                kind: MeasureKind::OrderCorrection,
                description: "责令立即停止违法生产行为".into(),
                fine_yuan: None,
                shutdown: None,
            },
            Measure {
                kind: MeasureKind::Penalty,
                description: String::new(),
                fine_yuan: Some(20_000),
                shutdown: None,
            },
        ],
        rectifications: vec![
            Rectification::Immediate {
                done: "已拆除熔融挤出设备".into(), done_on: Some(d(2023, 12, 14))
            },
            Rectification::Scheduled(RectificationPlan {
                target: "完成环评手续并建成废气收集处理设施".into(),
                measures: "委托编制环评，安装活性炭吸附装置".into(),
                due: Some(d(2024, 1, 31)),
                responsible_unit: "柳屯镇人民政府".into(),
                completed_on: None,
            }),
        ],
        closure_target: "违法生产行为停止，废气治理设施建成并验收".into(),
        investigated_on: Some(d(2023, 12, 14)),
    }
}

pub fn report_close_ban() -> HandlingReport {
    HandlingReport {
        facts: "经现场核查，该砖厂无任何污染防治设施，属散乱污企业".into(),
        issues: vec![
            IssueFinding { issue: "烟囱冒黑烟".into(), finding: Finding::True, facts: String::new() },
            IssueFinding {
                issue: "夜间噪声扰民".into(),
                finding: Finding::False,
                facts: "夜间未生产".into(),
            },
        ],
        subjects: vec![Subject { name: "文留镇东关砖厂".into(), ..Default::default() }],
        measures: vec![Measure {
            kind: MeasureKind::CloseBan,
            description: "依法关停取缔".into(),
            fine_yuan: None,
            shutdown: Some(ShutdownTerms {
                subject: "文留镇东关砖厂".into(),
                legal_basis: "《中华人民共和国大气污染防治法》第九十九条".into(),
                scope: "全部生产设施".into(),
                starts_on: Some(d(2023, 12, 14)),
                ends_on: Some(d(2023, 12, 31)),
                rectification_target: "拆除生产设施，清理场地".into(),
                verification_conditions: "生产设施全部拆除，原料产品清运完毕".into(),
                second_approval: None,
            }),
        }],
        rectifications: vec![Rectification::Immediate {
            done: "已断电并拆除窑炉".into(),
            done_on: Some(d(2023, 12, 14)),
        }],
        closure_target: "散乱污企业取缔到位".into(),
        investigated_on: Some(d(2023, 12, 14)),
    }
}

pub fn report_false() -> HandlingReport {
    HandlingReport {
        facts: "经现场核查，该工地已落实围挡、洒水和渣土车苫盖措施".into(),
        issues: vec![IssueFinding { issue: String::new(), finding: Finding::False, facts: String::new() }],
        ..Default::default()
    }
}

/// The fixed campaign of the snapshot tests: four cases in batch 1 with texts free of personal data (so
/// any redactor leaves them alone), pinned routing and types, three handled and one still under
/// investigation, two accountability records (one typical), published in the 濮阳县 and 华龙区 columns
/// and the city column. Returns the case ids.
pub async fn fixed_campaign(fx: &Fx) -> Vec<i64> {
    ensure_yuecun(fx).await;
    let none = json!({});
    let a = intake(
        fx,
        "柳屯镇张庄村有个塑料颗粒加工点夜里偷偷生产，冒黑烟，气味刺鼻。",
        "phone",
        "410928",
        "410928101",
        "410928101202",
        &["大气"],
        "散乱污企业",
        none.clone(),
    )
    .await;
    let b = intake(
        fx,
        "文留镇赵庄村东关砖厂烟囱冒黑烟，粉尘大，夜里机器响。",
        "letter",
        "410928",
        "410928102",
        "410928102204",
        &["大气", "噪声"],
        "散乱污企业",
        none.clone(),
    )
    .await;
    let c = intake(
        fx,
        "岳村镇东寨村一处工地扬尘严重，渣土车不苫盖。",
        "web",
        "410902",
        "410902101",
        "410902101203",
        &["大气"],
        "散尘",
        none.clone(),
    )
    .await;
    let e = intake(
        fx,
        "柳屯镇花庄村废品收购站焚烧电线，气味难闻。",
        "phone",
        "410928",
        "410928101",
        "410928101205",
        &["大气", "固废"],
        "散乱污企业",
        none,
    )
    .await;
    fx.route_down(a, "county-410928", "town-410928101").await;
    fx.route_down(b, "county-410928", "town-410928102").await;
    fx.route_down(c, "county-410902", "town-410902101").await;
    fx.route_down(e, "county-410928", "town-410928101").await;
    save_report(fx, a, "town-410928101", "liutun", &report_penalty()).await;
    save_report(fx, b, "town-410928102", "wenliu", &report_close_ban()).await;
    save_report(fx, c, "town-410902101", "yuecun", &report_false()).await;
    handle(fx, "liutun", "county_py", a, "属实", "verify_partly").await;
    handle(fx, "wenliu", "county_py", b, "部分属实", "verify_closed").await;
    handle(fx, "yuecun", "county_hl", c, "不属实", "verify_closed").await;
    act(fx, "liutun", e, "acknowledge", json!({})).await;
    let no =
        |id: i64| async move { ducha_store::cases::get(&fx.app.store, id).await.unwrap().unwrap().accept_no };
    add_accountability(fx, a, &no(a).await, "刘明远", true, AccountabilityKind::Admonishment).await;
    add_accountability(fx, b, &no(b).await, "孙立新", false, AccountabilityKind::CircularCriticism).await;
    vec![a, b, c, e]
}

/// Draft, review and publish batch `batch_id` as each of the given office users.
pub async fn publish_all(fx: &Fx, batch_id: i64, offices: &[&str]) {
    for o in offices {
        let u = user(fx, o).await;
        let d = fx.app.draft_disclosure(&u, batch_id).await.unwrap();
        fx.app.review_disclosure(&u, d.id).await.unwrap();
        fx.app.publish_disclosure(&u, d.id).await.unwrap();
    }
}

pub async fn batch_of(fx: &Fx, case_id: i64) -> i64 {
    ducha_store::cases::get(&fx.app.store, case_id).await.unwrap().unwrap().batch_id.unwrap()
}

/// 2023-12-14 16:00 Beijing time: the fixture's publication time.
pub fn publish_time() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2023, 12, 14, 8, 0, 0).unwrap()
}

// ---- crawling ---------------------------------------------------------------------------------

#[derive(Debug)]
pub struct Page {
    pub url: String,
    pub status: StatusCode,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Page {
    /// The text a reader could see: the body, or for XLSX every cell string inside the archive.
    pub fn text(&self) -> String {
        if self.content_type.contains("spreadsheetml") {
            return xlsx_text(&self.bytes);
        }
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// All XML parts of an XLSX archive, concatenated (shared strings, sheets, properties).
pub fn xlsx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut out = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut s = String::new();
        if f.read_to_string(&mut s).is_ok() {
            out.push_str(&s);
        }
    }
    out
}

pub async fn get(fx_router: &axum::Router, url: &str) -> Page {
    let resp = fx_router.clone().oneshot(Request::get(url).body(Body::empty()).unwrap()).await.unwrap();
    let status = resp.status();
    let content_type =
        resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes().to_vec();
    Page { url: url.to_owned(), status, content_type, bytes }
}

fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(j) = rest.find('"') {
                out.push(rest[..j].replace("&amp;", "&").replace("&#x3d;", "=").replace("&#61;", "="));
                rest = &rest[j..];
            }
        }
    }
    out
}

/// Every public URL reachable from the column roots and the Open311 and feed entry points, following
/// links on the site (absolute links to the configured base are followed too). Fails on any 5xx.
pub async fn crawl(router: &axum::Router, base: &str, extra_seeds: &[String]) -> Vec<Page> {
    let mut seeds: Vec<String> = vec!["/gongkai/".into()];
    for f in ["discovery", "services", "requests"] {
        for ext in ["json", "xml"] {
            seeds.push(format!("/open311/v2/{f}.{ext}"));
        }
    }
    for (code, ..) in ducha_web::open311::SERVICES {
        for ext in ["json", "xml"] {
            seeds.push(format!("/open311/v2/services/{code}.{ext}"));
        }
    }
    seeds.extend(extra_seeds.iter().cloned());
    let mut queue: VecDeque<String> = seeds.into_iter().collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut pages = Vec::new();
    while let Some(u) = queue.pop_front() {
        let u = u.strip_prefix(base).map(str::to_owned).unwrap_or(u);
        if !(u.starts_with("/gongkai") || u.starts_with("/open311") || u.starts_with("/static/gongkai"))
            || !seen.insert(u.clone())
        {
            continue;
        }
        let p = get(router, &u).await;
        assert!(!p.status.is_server_error(), "{u}: {}", p.status);
        if p.status.is_redirection() {
            continue;
        }
        let text = p.text();
        if p.content_type.contains("html")
            || p.content_type.contains("xml")
            || p.content_type.contains("json")
        {
            for l in links(&text) {
                let l = if l.starts_with("?") { format!("{}{l}", u.split('?').next().unwrap()) } else { l };
                queue.push_back(l);
            }
            // Feeds and JSON carry absolute links in text too.
            for part in text.split(['"', '<', '>', ' ']) {
                if let Some(rel) = part.strip_prefix(base)
                    && (rel.starts_with("/gongkai") || rel.starts_with("/open311"))
                {
                    queue.push_back(rel.to_owned());
                }
            }
        }
        pages.push(p);
    }
    pages
}

/// Text normalised for searching: full-width digits and letters folded to ASCII, separators removed.
pub fn normalise(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c {
                '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                }
                c => c,
            };
            (!matches!(c, ' ' | '-' | '\u{3000}' | '(' | ')' | '（' | '）' | '.' | '\u{00a0}')).then_some(c)
        })
        .collect()
}
