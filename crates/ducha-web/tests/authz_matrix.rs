//! Issue 9, "proof that it holds": the authorization matrix, generated from the router's own route
//! table (`ducha_web::route_table()`). Every route × every role (and anonymous) × the role's own and
//! another jurisdiction is requested, and the answer is checked against the table [`expect`] below:
//!
//! - a route the table does not classify fails the test (a new route must be given an expectation);
//! - a method the route table does not list for a path answers 405 (the table is complete);
//! - allowed cells get an answer from the use case, refused ones 401/403/404 or the login redirect;
//! - a scoped role never sees another jurisdiction's accept number or complaint text, anywhere;
//! - a refused write changes nothing stored (case stages and versions, row counts, audit log);
//! - no body anywhere shows a complainant's name or phone, except an identity read by the two roles
//!   allowed to read it — and each such read left an audit record naming the reader.
//!
//! Runs on SQLite, and on PostgreSQL too when `DUCHA_TEST_PG` is set.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Fx, PASSWORD, Resp, Session, login};
use ducha_app::auth::NewUserInput;
use ducha_store::{Backend, testing};
use ducha_web::RouteSpec;
use serde_json::json;

// ---------------------------------------------------------------------------------------------
// Roles

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum R {
    Anon,
    /// 热线接线员 (team unit)
    Op,
    /// 督察组
    Team,
    /// 省督察办 (discipline reports)
    Prov,
    /// 系统管理员 (city unit)
    Admin,
    /// 市攻坚办
    City,
    /// 濮阳县攻坚办
    County,
    /// 柳屯镇经办人
    Town,
    /// 濮阳县生态环境分局经办人 (a department)
    Dept,
    /// 濮阳县舆情专员
    Opinion,
}

use R::*;

const ROLES: [R; 10] = [Anon, Op, Team, Prov, Admin, City, County, Town, Dept, Opinion];
const STAFF: &[R] = &[Op, Team, Prov, Admin, City, County, Town, Dept, Opinion];

fn username(r: R) -> Option<&'static str> {
    Some(match r {
        Anon => return None,
        Op => "op",
        Team => "team",
        Prov => "prov",
        Admin => "admin",
        City => "city",
        County => "county_py",
        Town => "liutun",
        Dept => "dept_py",
        Opinion => "opinion",
    })
}

/// Roles whose unit sees the whole campaign (team and city level).
fn city_wide(r: R) -> bool {
    matches!(r, Op | Team | Prov | Admin | City)
}

// ---------------------------------------------------------------------------------------------
// The expected access per route

#[derive(Debug, Clone, Copy)]
enum Access {
    /// Anyone, logged in or not.
    Public,
    /// These roles, within their jurisdiction; everyone else (and anonymous) is refused.
    Only(&'static [R]),
}

use Access::*;

const INTAKE: &[R] = &[Op, Team];
const OFFICES: &[R] = &[Team, City, County];
/// Who may see a case at all: every staff role, scoped by unit.
const CASE_READERS: &[R] = STAFF;
const DESKS: &[R] = &[Opinion];
/// Units whose level sees the whole campaign's boards (team and city level).
const CITY_WIDE: &[R] = &[Op, Team, Prov, Admin, City];
/// Everyone who works cases or their outcome figures (not township/department handlers).
const BOARDS: &[R] = &[Op, Team, Prov, Admin, City, County, Opinion];
/// Dashboards and the map: not the handlers, not the provincial discipline desk.
const DASHBOARDS: &[R] = &[Op, Team, Admin, City, County, Opinion];
/// The opinion workbench: desks, and the units items are escalated, copied or alerted to.
const OPINION_VIEW: &[R] = &[Team, City, County, Town, Dept, Opinion];
/// The opinion daily report and press briefing.
const OPINION_REPORT: &[R] = &[Team, City, Opinion];

/// The expectation of one route: `(method, path)` as registered → access.
fn expect() -> BTreeMap<(&'static str, &'static str), Access> {
    let t: &[(&str, &str, Access)] = &[
        // --- public ---
        ("GET", "/api/openapi.json", Public),
        ("GET", "/healthz", Public),
        ("GET", "/metrics", Public),
        ("GET", "/static/app.css", Public),
        ("GET", "/static/intake.js", Public),
        ("GET", "/static/yuqing.css", Public),
        ("GET", "/static/gongkai.css", Public),
        ("GET", "/login", Public),
        ("POST", "/login", Public),
        ("POST", "/api/v1/session", Public),
        ("GET", "/gongkai", Public),
        ("GET", "/gongkai/", Public),
        ("GET", "/gongkai/{*rest}", Public),
        ("GET", "/open311/v2/{*rest}", Public),
        ("POST", "/open311/v2/{*rest}", Public),
        ("GET", "/huifang/{token}", Public),
        ("POST", "/huifang/{token}", Public),
        ("GET", "/jiandu", Public),
        ("POST", "/jiandu", Public),
        ("POST", "/api/v1/discipline", Public),
        // --- any logged-in user ---
        ("DELETE", "/api/v1/session", Only(STAFF)),
        ("POST", "/logout", Only(STAFF)),
        ("GET", "/api/v1/me", Only(STAFF)),
        ("GET", "/api/v1/campaign", Only(STAFF)),
        ("GET", "/api/v1/units", Only(STAFF)),
        ("GET", "/api/v1/regions", Only(STAFF)),
        ("GET", "/", Only(STAFF)),
        ("GET", "/yuqing", Public),
        // --- cases ---
        ("GET", "/api/v1/cases", Only(CASE_READERS)),
        ("POST", "/api/v1/cases", Only(INTAKE)),
        ("GET", "/api/v1/cases/{id}", Only(CASE_READERS)),
        ("POST", "/api/v1/cases/{id}/actions", Only(CASE_READERS)),
        ("GET", "/api/v1/cases/{id}/history", Only(CASE_READERS)),
        ("GET", "/api/v1/cases/{id}/identity", Only(INTAKE)),
        ("GET", "/api/v1/cases/{id}/triage-corrections", Only(CASE_READERS)),
        ("POST", "/api/v1/cases/{id}/triage-corrections", Only(&[Op, Team, City])),
        ("GET", "/api/v1/triage/corrections.jsonl", Only(&[Team, City])),
        ("POST", "/api/v1/triage/suggest", Only(INTAKE)),
        ("GET", "/api/v1/cases/{id}/attachments", Only(CASE_READERS)),
        ("POST", "/api/v1/cases/{id}/attachments", Only(&[Op, Team, City, County, Town, Dept])),
        ("GET", "/api/v1/attachments/{id}", Only(CASE_READERS)),
        ("GET", "/api/v1/cases/{id}/report", Only(CASE_READERS)),
        ("PUT", "/api/v1/cases/{id}/report", Only(&[Town, Dept])),
        ("POST", "/api/v1/cases/{id}/report/redact", Only(&[City, County])),
        ("POST", "/api/v1/cases/{id}/callbacks", Only(INTAKE)),
        ("POST", "/api/v1/cases/{id}/callback-link", Only(INTAKE)),
        ("GET", "/cases", Only(CASE_READERS)),
        ("GET", "/cases/{id}", Only(CASE_READERS)),
        ("POST", "/cases/{id}/act", Only(CASE_READERS)),
        ("POST", "/cases/{id}/identity", Only(INTAKE)),
        ("POST", "/cases/{id}/triage", Only(&[Op, Team, City])),
        ("POST", "/cases/{id}/attachments", Only(&[Op, Team, City, County, Town, Dept])),
        ("GET", "/attachments/{id}", Only(CASE_READERS)),
        ("GET", "/cases/{id}/report", Only(CASE_READERS)),
        ("POST", "/cases/{id}/report", Only(&[Town, Dept])),
        // Hiding what the identity firewall found in a report: the offices (the publishing ones).
        ("POST", "/cases/{id}/report/redact", Only(&[City, County])),
        ("POST", "/cases/{id}/callback", Only(INTAKE)),
        ("POST", "/cases/{id}/callback-link", Only(INTAKE)),
        ("GET", "/intake", Only(INTAKE)),
        ("POST", "/intake", Only(INTAKE)),
        // --- batches, tasks, alerts, metrics ---
        ("GET", "/api/v1/batches", Only(CITY_WIDE)),
        ("POST", "/api/v1/batches", Only(&[Team])),
        ("GET", "/batches", Only(CITY_WIDE)),
        ("POST", "/batches", Only(&[Team])),
        ("GET", "/api/v1/tasks", Only(STAFF)),
        ("GET", "/tasks", Only(STAFF)),
        ("GET", "/extensions", Only(&[City, County])),
        ("GET", "/api/v1/alerts", Only(OFFICES)),
        ("POST", "/api/v1/alerts/{id}/ack", Only(OFFICES)),
        ("GET", "/alerts", Only(OFFICES)),
        ("POST", "/alerts/{id}/ack", Only(OFFICES)),
        ("GET", "/api/v1/metrics/outcomes", Only(STAFF)),
        ("GET", "/tongji", Only(STAFF)),
        ("GET", "/api/v1/burden", Only(BOARDS)),
        ("GET", "/burden", Only(BOARDS)),
        ("GET", "/dashboard", Only(DASHBOARDS)),
        ("GET", "/dashboard/{file}", Only(DASHBOARDS)),
        ("GET", "/map", Only(DASHBOARDS)),
        // --- accountability, discipline ---
        ("GET", "/api/v1/accountability", Only(OFFICES)),
        ("POST", "/api/v1/accountability", Only(OFFICES)),
        ("POST", "/api/v1/fault-tolerance", Only(OFFICES)),
        ("GET", "/accountability", Only(OFFICES)),
        ("POST", "/accountability", Only(OFFICES)),
        ("POST", "/fault-tolerance", Only(OFFICES)),
        ("GET", "/api/v1/discipline", Only(&[Prov])),
        ("GET", "/discipline", Only(&[Prov])),
        // --- opinion desk ---
        ("GET", "/api/v1/opinion/items", Only(OPINION_VIEW)),
        ("POST", "/api/v1/opinion/items", Only(DESKS)),
        // The desk, and the township its item was alerted to (柳屯镇 for the 濮阳县 item).
        ("GET", "/api/v1/opinion/items/{id}", Only(&[Opinion, Town])),
        ("POST", "/api/v1/opinion/items/{id}/actions", Only(DESKS)),
        ("POST", "/api/v1/opinion/items/{id}/links", Only(DESKS)),
        ("DELETE", "/api/v1/opinion/items/{id}/links/{case_id}", Only(DESKS)),
        ("POST", "/api/v1/opinion/import", Only(DESKS)),
        ("GET", "/api/v1/opinion/sources", Only(DESKS)),
        ("POST", "/api/v1/opinion/sources", Only(DESKS)),
        ("PATCH", "/api/v1/opinion/sources/{id}", Only(DESKS)),
        ("POST", "/api/v1/opinion/sources/{id}/poll", Only(DESKS)),
        ("GET", "/api/v1/opinion/alerts", Only(OPINION_VIEW)),
        // An opinion alert is acknowledged by the township it was sent to.
        ("POST", "/api/v1/opinion/alerts/{id}/ack", Only(&[Town])),
        ("GET", "/api/v1/opinion/report", Only(OPINION_REPORT)),
        ("GET", "/api/v1/opinion/report.xlsx", Only(OPINION_REPORT)),
        ("GET", "/api/v1/opinion/briefing", Only(OPINION_REPORT)),
        ("GET", "/api/v1/opinion/briefing.txt", Only(OPINION_REPORT)),
        ("GET", "/yuqing/", Only(OPINION_VIEW)),
        ("GET", "/yuqing/items", Only(OPINION_VIEW)),
        ("GET", "/yuqing/items/new", Only(DESKS)),
        ("POST", "/yuqing/items/new", Only(DESKS)),
        ("GET", "/yuqing/items/{id}", Only(&[Opinion, Town])),
        ("POST", "/yuqing/items/{id}/act", Only(DESKS)),
        ("POST", "/yuqing/items/{id}/link", Only(DESKS)),
        ("POST", "/yuqing/items/{id}/unlink", Only(DESKS)),
        ("GET", "/yuqing/alerts", Only(OPINION_VIEW)),
        ("POST", "/yuqing/alerts/{id}/ack", Only(&[Town])),
        ("GET", "/yuqing/sources", Only(DESKS)),
        ("POST", "/yuqing/sources", Only(DESKS)),
        ("POST", "/yuqing/sources/{id}", Only(DESKS)),
        ("GET", "/yuqing/report", Only(OPINION_REPORT)),
        ("GET", "/yuqing/report.xlsx", Only(OPINION_REPORT)),
        ("GET", "/yuqing/briefing", Only(OPINION_REPORT)),
        ("GET", "/yuqing/briefing.txt", Only(OPINION_REPORT)),
        // --- disclosure (staff side) ---
        ("GET", "/disclosure/", Only(&[City, County])),
        ("GET", "/disclosure/gaps", Only(&[Team, Admin, City, County])),
        // Both fixture disclosures are county columns; the city office sees its own column only.
        ("GET", "/disclosure/{id}", Only(&[County])),
        ("POST", "/disclosure/{id}/review", Only(&[County])),
        ("POST", "/disclosure/{id}/publish", Only(&[County])),
        ("POST", "/disclosure/{id}/discard", Only(&[County])),
        ("POST", "/disclosure/batch/{id}/draft", Only(&[City, County])),
        ("POST", "/disclosure/batch/{id}/correct", Only(&[City, County])),
        // --- system administration: units and people (issue 17) ---
        ("GET", "/password", Only(STAFF)),
        ("POST", "/password", Only(STAFF)),
        ("GET", "/api/v1/admin/units", Only(&[Admin])),
        ("POST", "/api/v1/admin/units", Only(&[Admin])),
        ("GET", "/api/v1/admin/units/{id}", Only(&[Admin])),
        ("PATCH", "/api/v1/admin/units/{id}", Only(&[Admin])),
        ("POST", "/api/v1/admin/units/{id}/retire", Only(&[Admin])),
        ("PUT", "/api/v1/admin/units/{id}/contacts", Only(&[Admin])),
        ("GET", "/api/v1/admin/users", Only(&[Admin])),
        ("POST", "/api/v1/admin/users", Only(&[Admin])),
        ("GET", "/api/v1/admin/users/{id}", Only(&[Admin])),
        ("PATCH", "/api/v1/admin/users/{id}", Only(&[Admin])),
        ("POST", "/api/v1/admin/users/{id}/disable", Only(&[Admin])),
        ("POST", "/api/v1/admin/users/{id}/enable", Only(&[Admin])),
        ("POST", "/api/v1/admin/users/{id}/password", Only(&[Admin])),
        ("GET", "/admin/units", Only(&[Admin])),
        ("POST", "/admin/units", Only(&[Admin])),
        ("GET", "/admin/units/{id}", Only(&[Admin])),
        ("POST", "/admin/units/{id}", Only(&[Admin])),
        ("GET", "/admin/users", Only(&[Admin])),
        ("POST", "/admin/users", Only(&[Admin])),
        ("GET", "/admin/users/{id}", Only(&[Admin])),
        ("POST", "/admin/users/{id}", Only(&[Admin])),
        // --- system administration: campaigns (issue 17) ---
        ("GET", "/admin", Only(&[Admin])),
        ("GET", "/admin/", Only(&[Admin])),
        ("GET", "/admin/campaigns", Only(&[Admin])),
        ("POST", "/admin/campaigns", Only(&[Admin])),
        ("GET", "/admin/campaigns/new", Only(&[Admin])),
        ("GET", "/admin/campaigns/{id}", Only(&[Admin])),
        ("POST", "/admin/campaigns/{id}", Only(&[Admin])),
        ("GET", "/api/v1/admin/campaigns", Only(&[Admin])),
        ("POST", "/api/v1/admin/campaigns", Only(&[Admin])),
        ("GET", "/api/v1/admin/campaigns/{id}", Only(&[Admin])),
        ("PUT", "/api/v1/admin/campaigns/{id}", Only(&[Admin])),
        // --- system administration: holiday years (issue 17) ---
        ("GET", "/admin/holidays", Only(&[Admin])),
        ("POST", "/admin/holidays", Only(&[Admin])),
        ("GET", "/api/v1/admin/holidays", Only(&[Admin])),
        ("POST", "/api/v1/admin/holidays", Only(&[Admin])),
    ];
    let mut m = BTreeMap::new();
    for (method, path, a) in t {
        assert!(m.insert((*method, *path), *a).is_none(), "{method} {path} listed twice");
    }
    m
}

// ---------------------------------------------------------------------------------------------
// The fixture

struct Case {
    id: i64,
    accept_no: String,
    /// A phrase of the complaint only this case has.
    marker: &'static str,
    name: &'static str,
    phone: &'static str,
}

struct World {
    fx: Fx,
    /// A: 濮阳县柳屯镇 (county_py → liutun); B: 华龙区岳村镇 (county_hl → yuecun); C: 濮阳县, at the
    /// county's ecology department.
    a: Case,
    b: Case,
    c: Case,
    batch: i64,
    item_py: i64,
    item_hl: i64,
    source_py: i64,
    source_hl: i64,
    /// The 濮阳县 column's disclosure (published) and 华龙区's (a draft).
    disc_py: i64,
    disc_hl: i64,
    /// Alerts (一刀切 detector kind) addressed to 濮阳县's and 华龙区's offices.
    alert_py: i64,
    alert_hl: i64,
    /// One evidence file per case (case id → attachment id), uploaded by its handler.
    attachments: BTreeMap<i64, i64>,
    /// The desks' alerts of their items to 柳屯镇 and 岳村镇.
    opinion_alert_py: i64,
    opinion_alert_hl: i64,
    tokens: BTreeMap<R, String>,
    sessions: BTreeMap<R, Session>,
    user_ids: BTreeMap<R, i64>,
    _files: tempfile::TempDir,
}

async fn add_user(fx: &Fx, name: &str, unit: &str, role: &str) {
    fx.app
        .create_user(
            None,
            &NewUserInput {
                username: name.into(),
                display_name: format!("用户{name}"),
                password: PASSWORD.into(),
                unit_code: unit.into(),
                role: role.into(),
            },
        )
        .await
        .unwrap();
}

async fn intake(fx: &Fx, op: &str, text: &str, county: &str, town: &str, name: &str, phone: &str) -> i64 {
    let r = fx
        .json(
            "POST",
            "/api/v1/cases",
            Some(op),
            Some(json!({
                "channel": "phone", "text": text, "county_code": county, "township_code": town,
                "complainant": { "name": name, "phone": phone },
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json["id"].as_i64().unwrap()
}

async fn case(fx: &Fx, id: i64, marker: &'static str, name: &'static str, phone: &'static str) -> Case {
    let accept_no = ducha_store::cases::get(&fx.app.store, id).await.unwrap().unwrap().accept_no;
    Case { id, accept_no, marker, name, phone }
}

async fn user(fx: &Fx, name: &str) -> ducha_app::auth::CurrentUser {
    let row = ducha_store::directory::user_by_name(&fx.app.store, name).await.unwrap().unwrap();
    fx.app.load_user(row.id).await.unwrap()
}

async fn world(backend: Backend) -> World {
    let files = tempfile::tempdir().unwrap();
    let mut cfg = ducha_app::Config::for_tests();
    cfg.attachments_dir = files.path().display().to_string();
    let fx = common::setup_cfg(backend, cfg).await;
    add_user(&fx, "yuecun", "town-410902101", "handler").await;
    add_user(&fx, "dept_py", "dept-ecology-410928", "handler").await;
    add_user(&fx, "admin", "city-4109", "admin").await;
    add_user(&fx, "opinion_hl", "county-410902", "opinion").await;

    let op = fx.token("op").await;
    let a = intake(
        &fx,
        &op,
        "濮阳县柳屯镇南街村塑料颗粒加工作坊夜里冒黑烟，气味刺鼻。",
        "410928",
        "410928101",
        "王建国",
        "13803930123",
    )
    .await;
    let b = intake(
        &fx,
        &op,
        "华龙区岳村镇东寨村工地扬尘严重，渣土车不苫盖。",
        "410902",
        "410902101",
        "赵丽华",
        "13903931234",
    )
    .await;
    let c = intake(
        &fx,
        &op,
        "濮阳县城关镇化工园区有企业偷排废水，河沟发黑发臭。",
        "410928",
        "410928100",
        "孙志强",
        "13703935678",
    )
    .await;
    fx.route_down(a, "county-410928", "town-410928101").await;
    fx.route_down(b, "county-410902", "town-410902101").await;
    fx.route_down(c, "county-410928", "dept-ecology-410928").await;
    // A handling report each on A and B, saved by their handlers.
    for (id, h) in [(a, "liutun"), (b, "yuecun")] {
        let t = fx.token(h).await;
        for a in ["acknowledge", "start_investigation"] {
            let r = fx.act(&t, id, json!({ "action": a })).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        let r = fx
            .json(
                "PUT",
                &format!("/api/v1/cases/{id}/report"),
                Some(&t),
                Some(json!({ "report": common::valid_report("塑料颗粒加工作坊") })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let batch = ducha_store::cases::get(&fx.app.store, a).await.unwrap().unwrap().batch_id.unwrap();
    // Disclosures: 濮阳县 publishes its column; 华龙区 has a draft.
    let py = user(&fx, "county_py").await;
    let d = fx.app.draft_disclosure(&py, batch).await.unwrap();
    fx.app.review_disclosure(&py, d.id).await.unwrap();
    fx.app.publish_disclosure(&py, d.id).await.unwrap();
    let hl = user(&fx, "county_hl").await;
    let disc_hl = fx.app.draft_disclosure(&hl, batch).await.unwrap().id;
    // Opinion items and sources, one of each per county desk.
    let mut items = Vec::new();
    let mut sources = Vec::new();
    for (desk, text, n) in [
        ("opinion", "濮阳县柳屯镇有网友发帖说塑料厂晚上冒黑烟，好多人转发。", "py"),
        ("opinion_hl", "华龙区岳村镇工地扬尘大，网友拍视频发到抖音。", "hl"),
    ] {
        let t = fx.token(desk).await;
        let r = fx
            .json(
                "POST",
                "/api/v1/opinion/items",
                Some(&t),
                Some(json!({ "text": text, "platform": "weibo" })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        items.push(r.json["item"]["id"].as_i64().unwrap());
        let r = fx
            .json(
                "POST",
                "/api/v1/opinion/sources",
                Some(&t),
                Some(json!({ "name": format!("源{n}"), "url": format!("http://127.0.0.1:9/{n}.xml"), "interval_secs": 3600 })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        sources.push(r.json["id"].as_i64().unwrap());
    }

    let mut alerts = Vec::new();
    for county in ["410928", "410902"] {
        let unit = fx.unit_id(&format!("county-{county}")).await;
        let mut tx = fx.app.store.begin().await.unwrap();
        let (id, _) = ducha_store::handling::raise_alert(
            &mut tx,
            &ducha_store::handling::NewAlert {
                kind: "blanket_shutdown".into(),
                alert_key: format!("matrix-{county}"),
                level: "county".into(),
                unit_id: Some(unit),
                county_code: Some(county.into()),
                title: "疑似一刀切".into(),
                summary: "同一行业短期内多家停产".into(),
                evidence: vec![],
                case_ids: vec![],
                escalation: 0,
            },
            fx.app.now_ms(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        alerts.push(id);
    }

    let mut opinion_alerts = Vec::new();
    for (desk, item) in [("opinion", items[0]), ("opinion_hl", items[1])] {
        let t = fx.token(desk).await;
        for (action, note) in [("assess", "网友集中反映，需属地核实"), ("alert", "请属地核实")]
        {
            let r = fx
                .json(
                    "POST",
                    &format!("/api/v1/opinion/items/{item}/actions"),
                    Some(&t),
                    Some(json!({ "action": action, "note": note })),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        let id: i64 =
            sqlx::query_scalar("SELECT MAX(id) FROM opinion_alerts WHERE item_id = $1 AND kind = 'alert'")
                .bind(item)
                .fetch_one(fx.app.store.reader())
                .await
                .unwrap();
        opinion_alerts.push(id);
    }
    let mut attachments = BTreeMap::new();
    for (case_id, h) in [(a, "liutun"), (b, "yuecun"), (c, "dept_py")] {
        let u = user(&fx, h).await;
        let row = fx.app.add_attachment(&u, case_id, "现场记录.pdf", b"%PDF-1.4 matrix").await.unwrap();
        attachments.insert(case_id, row.id);
    }

    let mut tokens = BTreeMap::new();
    let mut sessions = BTreeMap::new();
    let mut user_ids = BTreeMap::new();
    for r in STAFF {
        let u = username(*r).unwrap();
        tokens.insert(*r, fx.token(u).await);
        sessions.insert(*r, login(&fx, u).await);
        user_ids.insert(*r, user(&fx, u).await.id);
    }
    World {
        a: case(&fx, a, "南街村塑料颗粒", "王建国", "13803930123").await,
        b: case(&fx, b, "东寨村工地扬尘", "赵丽华", "13903931234").await,
        c: case(&fx, c, "化工园区有企业偷排", "孙志强", "13703935678").await,
        fx,
        batch,
        item_py: items[0],
        item_hl: items[1],
        source_py: sources[0],
        source_hl: sources[1],
        disc_py: d.id,
        disc_hl,
        alert_py: alerts[0],
        alert_hl: alerts[1],
        attachments,
        opinion_alert_py: opinion_alerts[0],
        opinion_alert_hl: opinion_alerts[1],
        tokens,
        sessions,
        user_ids,
        _files: files,
    }
}

// ---------------------------------------------------------------------------------------------
// Cells

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Jur {
    Own,
    Other,
}

/// Which object a path parameter names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Param {
    None,
    Case,
    Item,
    Source,
    Disclosure,
    Batch,
    Alert,
    Attachment,
    OpinionAlert,
    Free,
}

fn param_of(path: &str) -> Param {
    if !path.contains('{') {
        Param::None
    } else if path.contains("/opinion/alerts/{id}") || path.contains("/yuqing/alerts/{id}") {
        Param::OpinionAlert
    } else if path.contains("/attachments/{id}") && !path.contains("cases") {
        Param::Attachment
    } else if path.contains("/alerts/{id}") {
        Param::Alert
    } else if path.contains("/cases/{id}") {
        Param::Case
    } else if path.contains("/items/{id}") {
        Param::Item
    } else if path.contains("/sources/{id}") {
        Param::Source
    } else if path.starts_with("/disclosure/batch/") {
        Param::Batch
    } else if path.starts_with("/disclosure/{id}") {
        Param::Disclosure
    } else {
        Param::Free
    }
}

/// Whether a parameter names something that belongs to one jurisdiction.
fn bound(p: Param) -> bool {
    matches!(
        p,
        Param::Case
            | Param::Item
            | Param::Source
            | Param::Disclosure
            | Param::Alert
            | Param::Attachment
            | Param::OpinionAlert
    )
}

impl World {
    /// The case of `role`'s own jurisdiction, and one of another.
    fn own_case(&self, role: R) -> &Case {
        if role == Dept { &self.c } else { &self.a }
    }

    fn cases_foreign_to(&self, role: R) -> Vec<&Case> {
        match role {
            County | Opinion => vec![&self.b],
            Town => vec![&self.b, &self.c],
            Dept => vec![&self.a, &self.b],
            _ => vec![],
        }
    }

    /// Concrete URLs for a registered path, for `role` in jurisdiction `jur`.
    fn urls(&self, path: &str, role: R, jur: Jur) -> Vec<String> {
        let own = jur == Jur::Own;
        match path {
            "/gongkai/{*rest}" => {
                return [
                    "410928/",
                    "410928/batch/1/",
                    "410928/batch/1.json",
                    "410928/batch/1.csv",
                    "410928/feed.json",
                    "410902/",
                    "batch/1/",
                ]
                .iter()
                .map(|r| format!("/gongkai/{r}"))
                .collect();
            }
            "/open311/v2/{*rest}" => {
                return vec![
                    "/open311/v2/discovery.json".into(),
                    "/open311/v2/requests.json".into(),
                    "/open311/v2/requests.xml?status=open,closed".into(),
                    format!("/open311/v2/requests/{}.json", self.a.accept_no),
                    format!("/open311/v2/requests/{}.json", self.b.accept_no),
                ];
            }
            "/huifang/{token}" => return vec!["/huifang/bogus-token-0001".into()],
            "/dashboard/{file}" => return vec!["/dashboard/county.xlsx".into()],
            // The fixture's campaign.
            "/admin/campaigns/{id}" | "/api/v1/admin/campaigns/{id}" => {
                return vec![path.replace("{id}", "1")];
            }
            _ => {}
        }
        let case = if own { self.own_case(role) } else { &self.b };
        let id = match param_of(path) {
            Param::None | Param::Free => return vec![path.to_owned()],
            Param::Case => case.id,
            Param::Item => {
                if own {
                    self.item_py
                } else {
                    self.item_hl
                }
            }
            Param::Source => {
                if own {
                    self.source_py
                } else {
                    self.source_hl
                }
            }
            Param::Disclosure => {
                if own {
                    self.disc_py
                } else {
                    self.disc_hl
                }
            }
            Param::Batch => self.batch,
            Param::Attachment => self.attachments[&case.id],
            Param::Alert => {
                if own {
                    self.alert_py
                } else {
                    self.alert_hl
                }
            }
            Param::OpinionAlert => {
                if own {
                    self.opinion_alert_py
                } else {
                    self.opinion_alert_hl
                }
            }
        };
        vec![path.replace("{case_id}", &case.id.to_string()).replace("{id}", &id.to_string())]
    }
}

/// What an answer means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Allowed,
    Refused,
}

fn class(r: &Resp) -> Class {
    let to_login = r.status.is_redirection()
        && r.headers.get("location").and_then(|v| v.to_str().ok()).is_some_and(|l| l.starts_with("/login"));
    if to_login || matches!(r.status.as_u16(), 401 | 403 | 404) { Class::Refused } else { Class::Allowed }
}

/// A request turned away by validation before the use case ran (a missing field, a wrong form).
/// For a cell that must be refused this is acceptable only together with the checks that always
/// run: nothing stored changed and nothing of another jurisdiction was shown.
fn rejected(r: &Resp) -> bool {
    matches!(r.status.as_u16(), 400 | 422)
}

/// Everything a write could change.
async fn fingerprint(fx: &Fx) -> Vec<String> {
    let db = fx.app.store.reader();
    let mut out = Vec::new();
    for t in [
        "cases",
        "assignments",
        "complainant_identities",
        "handling_reports",
        "shutdowns",
        "verifications",
        "accountability_records",
        "fault_tolerances",
        "callbacks",
        "callback_links",
        "attachments",
        "alerts",
        "triage_corrections",
        "extension_requests",
        "discipline_reports",
        "batches",
        "disclosures",
        "opinion_items",
        "opinion_links",
        "opinion_notes",
        "opinion_alerts",
        "opinion_sources",
        "outbox",
        "audit_log",
        "holiday_imports",
        "holiday_days",
    ] {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {t}")))
            .fetch_one(db)
            .await
            .unwrap();
        out.push(format!("{t}={n}"));
    }
    let rows: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT id, stage, updated_at FROM cases ORDER BY id").fetch_all(db).await.unwrap();
    out.extend(rows.into_iter().map(|(id, s, u)| format!("case {id} {s} {u}")));
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, status FROM disclosures ORDER BY id").fetch_all(db).await.unwrap();
    out.extend(rows.into_iter().map(|(id, s)| format!("disclosure {id} {s}")));
    let rows: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, acknowledged_at FROM alerts ORDER BY id").fetch_all(db).await.unwrap();
    out.extend(rows.into_iter().map(|(id, a)| format!("alert {id} {a:?}")));
    let rows: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, acknowledged_at FROM opinion_alerts ORDER BY id")
            .fetch_all(db)
            .await
            .unwrap();
    out.extend(rows.into_iter().map(|(id, a)| format!("opinion alert {id} {a:?}")));
    let rows: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT id, status, updated_at FROM opinion_sources ORDER BY id")
            .fetch_all(db)
            .await
            .unwrap();
    out.extend(rows.into_iter().map(|(id, s, u)| format!("source {id} {s} {u}")));
    out
}

async fn identity_reads(fx: &Fx, case_id: i64, user_id: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'identity.read' AND entity_id = $1 AND actor_user_id = $2",
    )
    .bind(case_id.to_string())
    .bind(user_id)
    .fetch_one(fx.app.store.reader())
    .await
    .unwrap()
}

const IDENTITY_ROUTES: [(&str, &str); 2] =
    [("GET", "/api/v1/cases/{id}/identity"), ("POST", "/cases/{id}/identity")];

const BOUNDARY: &str = "authzmatrixboundary";

impl World {
    /// A body that gets past parsing for the write routes that act on one object, so the cell
    /// tests the authorization of a real request; other writes get `{}` / just the CSRF token.
    fn payload(&self, method: &Method, path: &str, role: R, jur: Jur) -> Payload {
        let case = if jur == Jur::Own { self.own_case(role) } else { &self.b };
        let j = |v: serde_json::Value| Payload::Json(v);
        let f = |v: &[(&str, &str)]| {
            Payload::Form(v.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect())
        };
        match (method.as_str(), path) {
            ("POST", "/api/v1/cases") => {
                j(json!({ "channel": "phone", "text": "濮阳县柳屯镇北街村有人露天焚烧垃圾，烟很大。" }))
            }
            ("POST", "/api/v1/cases/{id}/actions") => j(json!({ "action": "acknowledge" })),
            ("POST", "/api/v1/cases/{id}/triage-corrections") => {
                j(json!({ "pollution_types": ["大气", "固废"], "reason": "矩阵核对" }))
            }
            ("PUT", "/api/v1/cases/{id}/report") => j(json!({ "report": common::valid_report("矩阵作坊") })),
            ("POST", "/api/v1/cases/{id}/callbacks") => {
                j(json!({ "channel": "phone", "result": "answered", "satisfaction": "满意" }))
            }
            ("POST", "/api/v1/batches") => j(json!({ "date": "2023-12-14" })),
            ("POST", "/api/v1/triage/suggest") => j(json!({ "text": "柳屯镇南街村塑料颗粒作坊又在冒黑烟" })),
            ("POST", "/api/v1/opinion/items") => {
                j(json!({ "text": "濮阳县柳屯镇网友说塑料作坊晚上冒黑烟。", "platform": "weibo" }))
            }
            ("POST", "/api/v1/opinion/sources") => {
                j(json!({ "name": format!("矩阵源{role:?}"), "url": "http://127.0.0.1:9/matrix.xml" }))
            }
            ("POST", "/api/v1/accountability") => j(json!({
                "person_name": "刘明远", "position": "副镇长", "person_level": "section", "unit": "柳屯镇人民政府",
                "kind": "admonishment", "kind_detail": "", "basis": "对辖区散乱污企业监管不力",
                "case_ids": [case.accept_no], "typical": false,
            })),
            ("POST", "/yuqing/items/new") => {
                f(&[("text", "濮阳县柳屯镇网友说塑料作坊晚上冒黑烟。"), ("platform", "weibo")])
            }
            ("POST", "/api/v1/opinion/items/{id}/actions") => {
                j(json!({ "action": "note", "note": "矩阵核对" }))
            }
            ("POST", "/api/v1/opinion/items/{id}/links") => j(json!({ "case": case.accept_no })),
            ("PATCH", "/api/v1/opinion/sources/{id}") => j(json!({ "interval_secs": 7200 })),
            ("POST", "/api/v1/cases/{id}/attachments") | ("POST", "/cases/{id}/attachments") => {
                Payload::Multipart
            }
            ("POST", "/cases/{id}/act") => f(&[("action", "acknowledge")]),
            ("POST", "/cases/{id}/triage") => f(&[("types", "大气"), ("reason", "矩阵核对")]),
            ("POST", "/cases/{id}/callback") => {
                f(&[("channel", "phone"), ("result", "answered"), ("satisfaction", "满意")])
            }
            ("POST", "/batches") => f(&[("date", "2023-12-14")]),
            ("POST", "/yuqing/items/{id}/act") => f(&[("action", "note"), ("note", "矩阵核对")]),
            ("POST", "/yuqing/items/{id}/link") => f(&[("case", case.accept_no.as_str())]),
            ("POST", "/yuqing/items/{id}/unlink") => f(&[("case_id", &case.id.to_string())]),
            ("POST", "/yuqing/sources/{id}") => f(&[("op", "disable")]),
            _ if path.starts_with("/api/") => j(json!({})),
            _ => f(&[]),
        }
    }

    /// Send one request as `role` (bearer token under `/api`, the session cookie and its CSRF token
    /// on pages). `fresh` logs in anew first (for routes that end the session) and answers whether
    /// that session still works afterwards.
    async fn send(&self, role: R, method: &Method, url: &str, payload: Payload, fresh: bool) -> (Resp, bool) {
        let api = url.starts_with("/api/");
        let mut b = Request::builder().method(method.clone()).uri(url);
        let write = *method != Method::GET;
        let (token, session) = match username(role) {
            None => (None, None),
            Some(u) if fresh => (Some(self.fx.token(u).await), Some(login(&self.fx, u).await)),
            Some(_) => (
                self.tokens.get(&role).cloned(),
                self.sessions.get(&role).map(|s| Session { cookie: s.cookie.clone(), csrf: s.csrf.clone() }),
            ),
        };
        if api {
            if let Some(t) = &token {
                b = b.header("authorization", format!("Bearer {t}"));
            }
        } else if let Some(s) = &session {
            b = b.header("cookie", &s.cookie);
        }
        let csrf = session.as_ref().map(|s| s.csrf.clone()).unwrap_or_else(|| "x".into());
        let body = match payload {
            _ if !write => Body::empty(),
            Payload::Json(v) => {
                b = b.header("content-type", "application/json");
                Body::from(v.to_string())
            }
            Payload::Form(mut fields) => {
                b = b.header("content-type", "application/x-www-form-urlencoded");
                fields.insert(0, ("_csrf".into(), csrf));
                Body::from(serde_urlencoded::to_string(&fields).unwrap())
            }
            Payload::Multipart => {
                b = b.header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"));
                Body::from(format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"note.txt\"\r\nContent-Type: text/plain\r\n\r\n现场记录\r\n--{BOUNDARY}--\r\n"
                ))
            }
        };
        let r = self.fx.send(b.body(body).unwrap()).await;
        let mut still = false;
        if fresh {
            if let (true, Some(t)) = (api, &token) {
                still = self.fx.json("GET", "/api/v1/me", Some(t), None).await.status == StatusCode::OK;
            }
            if let (false, Some(s)) = (api, &session) {
                still = s.get(&self.fx, "/").await.status == StatusCode::OK;
            }
        }
        (r, still)
    }
}

enum Payload {
    Json(serde_json::Value),
    Form(Vec<(String, String)>),
    Multipart,
}

#[derive(Default)]
struct Tally {
    cells: usize,
    requests: usize,
    /// Cells that had to be refused and were turned away by validation instead.
    rejected: usize,
    failures: Vec<String>,
}

async fn check_route(w: &World, spec: &RouteSpec, access: Access, t: &mut Tally) {
    let path = spec.path.as_str();
    let method = &spec.method;
    let write = *method != Method::GET;
    let fresh = matches!((method.as_str(), path), ("DELETE", "/api/v1/session") | ("POST", "/logout"));
    let p = param_of(path);
    let jurs: &[Jur] = if p == Param::None { &[Jur::Own] } else { &[Jur::Own, Jur::Other] };
    let identity_route = IDENTITY_ROUTES.contains(&(method.as_str(), path));
    let public = matches!(access, Public);
    for role in ROLES {
        for &jur in jurs {
            t.cells += 1;
            let expected = match access {
                Public => Class::Allowed,
                Only(roles) => {
                    if !roles.contains(&role) || (jur == Jur::Other && bound(p) && !city_wide(role)) {
                        Class::Refused
                    } else {
                        Class::Allowed
                    }
                }
            };
            let urls = if *method == Method::POST && path == "/open311/v2/{*rest}" {
                vec!["/open311/v2/requests.json".to_owned()]
            } else {
                w.urls(path, role, jur)
            };
            for url in urls {
                t.requests += 1;
                let at = format!("{method} {url} as {role:?} ({jur:?})");
                let before =
                    if write && expected == Class::Refused { Some(fingerprint(&w.fx).await) } else { None };
                let target = if jur == Jur::Own { w.own_case(role) } else { &w.b };
                let reads_before = match (identity_route, w.user_ids.get(&role)) {
                    (true, Some(uid)) => identity_reads(&w.fx, target.id, *uid).await,
                    _ => 0,
                };
                let payload = w.payload(method, path, role, jur);
                let (r, still_logged_in) = w.send(role, method, &url, payload, fresh).await;
                // Ending a session is "allowed" when the session really ended.
                let got = if fresh && role != Anon {
                    if still_logged_in { Class::Refused } else { Class::Allowed }
                } else {
                    class(&r)
                };
                if r.status.is_server_error() || r.status == StatusCode::METHOD_NOT_ALLOWED {
                    t.failures.push(format!("{at}: {} {}", r.status, snippet(&r.text)));
                    continue;
                }
                let by_validation = got != expected && expected == Class::Refused && write && rejected(&r);
                t.rejected += usize::from(by_validation);
                let acceptable = got == expected || by_validation;
                if !public && !acceptable {
                    t.failures.push(format!(
                        "{at}: expected {expected:?}, got {} {}",
                        r.status,
                        snippet(&r.text)
                    ));
                }
                if let Some(before) = before {
                    let after = fingerprint(&w.fx).await;
                    if before != after {
                        let diff: Vec<_> = after.iter().filter(|x| !before.contains(x)).collect();
                        t.failures.push(format!("{at}: a refused write changed stored state: {diff:?}"));
                    }
                }
                // An allowed read of a case really shows that case (not an empty shell).
                if !write
                    && got == Class::Allowed
                    && matches!(path, "/api/v1/cases/{id}" | "/cases/{id}" | "/cases/{id}/report")
                    && !r.text.contains(&target.accept_no)
                {
                    t.failures.push(format!("{at}: allowed, but the case {} is not shown", target.accept_no));
                }
                // No other jurisdiction's case, anywhere a scoped role looks (public pages aside).
                if !public {
                    for c in w.cases_foreign_to(role) {
                        if r.text.contains(&c.accept_no) || r.text.contains(c.marker) {
                            t.failures.push(format!("{at}: shows the foreign case {}", c.accept_no));
                        }
                    }
                }
                // Identity: only an identity read by an intake role shows it, and each is audited.
                let shows: Vec<&str> = [&w.a, &w.b, &w.c]
                    .iter()
                    .flat_map(|c| [c.name, c.phone])
                    .filter(|s| r.text.contains(s))
                    .collect();
                let may_show = identity_route && INTAKE.contains(&role) && got == Class::Allowed;
                if !shows.is_empty() && !may_show {
                    t.failures.push(format!("{at}: shows complainant identity {shows:?}"));
                }
                if identity_route && let Some(uid) = w.user_ids.get(&role) {
                    let reads = identity_reads(&w.fx, target.id, *uid).await - reads_before;
                    let showed = r.text.contains(target.name) && r.text.contains(target.phone);
                    if got == Class::Allowed && !(showed && reads == 1) {
                        t.failures
                            .push(format!("{at}: identity read showed={showed} with {reads} audit records"));
                    }
                    if got == Class::Refused && (reads != 0 || !shows.is_empty()) {
                        t.failures
                            .push(format!("{at}: refused identity read audited {reads} / showed {shows:?}"));
                    }
                }
            }
        }
    }
}

fn snippet(s: &str) -> String {
    s.chars().take(160).collect::<String>().replace('\n', " ")
}

async fn matrix(backend: Backend) {
    let w = world(backend).await;
    let table = ducha_web::route_table();
    let expectations = expect();

    // Every route is classified, and every classification names a route.
    let routes: BTreeSet<(String, String)> =
        table.iter().map(|s| (s.method.to_string(), s.path.clone())).collect();
    let unclassified: Vec<_> =
        routes.iter().filter(|(m, p)| !expectations.contains_key(&(m.as_str(), p.as_str()))).collect();
    assert!(
        unclassified.is_empty(),
        "routes without an access expectation in authz_matrix.rs: {unclassified:?}"
    );
    let stale: Vec<_> =
        expectations.keys().filter(|(m, p)| !routes.contains(&((*m).to_owned(), (*p).to_owned()))).collect();
    assert!(stale.is_empty(), "expectations for routes the router does not have: {stale:?}");
    assert!(table.len() >= 100, "the route table lists {} routes", table.len());

    // The table is complete: any other method on a registered path is 405.
    let paths: BTreeSet<&str> = table.iter().map(|s| s.path.as_str()).collect();
    for path in &paths {
        let url = w.urls(path, Team, Jur::Own).remove(0);
        for m in [Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            if table.iter().any(|s| s.path == *path && s.method == m) {
                continue;
            }
            let (r, _) = w.send(Team, &m, &url, Payload::Json(json!({})), false).await;
            assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{m} {url} is not in the route table");
        }
    }

    // Reads first, then writes (which may move the fixture on).
    let mut t = Tally::default();
    let mut ordered: Vec<&RouteSpec> = table.iter().filter(|s| s.method == Method::GET).collect();
    ordered.extend(table.iter().filter(|s| s.method != Method::GET));
    for spec in ordered {
        let access = expectations[&(spec.method.as_str(), spec.path.as_str())];
        check_route(&w, spec, access, &mut t).await;
    }
    eprintln!(
        "authz matrix ({backend:?}): {} cells, {} requests, {} refusals by validation",
        t.cells, t.requests, t.rejected
    );
    assert!(t.failures.is_empty(), "{} failures:\n{}", t.failures.len(), t.failures.join("\n"));
    references_in_bodies(&w).await;
    api_logout_with_the_cookie_ends_that_session(&w).await;
}

/// `DELETE /api/v1/session` accepts the session cookie (with its CSRF header) like every API route;
/// answering 204 must then mean that session has ended.
async fn api_logout_with_the_cookie_ends_that_session(w: &World) {
    let s = login(&w.fx, "county_py").await;
    let del = Request::delete("/api/v1/session")
        .header("cookie", &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .body(Body::empty())
        .unwrap();
    assert_eq!(w.fx.send(del).await.status, StatusCode::NO_CONTENT);
    let me =
        w.fx.send(Request::get("/api/v1/me").header("cookie", &s.cookie).body(Body::empty()).unwrap()).await;
    assert_eq!(
        me.status,
        StatusCode::UNAUTHORIZED,
        "the cookie session still works after logout: {}",
        me.text
    );
}

/// Writes that name a case in their body (not their path) treat another jurisdiction's case exactly
/// like one that does not exist, and store nothing.
async fn references_in_bodies(w: &World) {
    let missing = "D3HA209912319999";
    let county = &w.tokens[&County];
    let desk = &w.tokens[&Opinion];
    let accountability = |key: &str| {
        json!({
            "person_name": "刘明远", "position": "副镇长", "person_level": "section", "unit": "某镇人民政府",
            "kind": "admonishment", "kind_detail": "", "basis": "对辖区散乱污企业监管不力",
            "case_ids": [key], "typical": false,
        })
    };
    let item = format!("/api/v1/opinion/items/{}/links", w.item_py);
    let tries: Vec<(&str, String, &String, serde_json::Value, serde_json::Value)> = vec![
        (
            "POST",
            "/api/v1/accountability".into(),
            county,
            accountability(&w.b.accept_no),
            accountability(missing),
        ),
        ("POST", item.clone(), desk, json!({ "case": w.b.accept_no }), json!({ "case": missing })),
    ];
    for (method, path, token, foreign, absent) in tries {
        let before = fingerprint(&w.fx).await;
        let f = w.fx.json(method, &path, Some(token), Some(foreign)).await;
        assert_eq!(
            fingerprint(&w.fx).await,
            before,
            "{path} with a foreign case stored something: {}",
            f.text
        );
        let n = w.fx.json(method, &path, Some(token), Some(absent)).await;
        assert!(f.status.is_client_error(), "{path}: {} {}", f.status, f.text);
        let shape = |r: &Resp, key: &str| {
            (
                r.status,
                r.json["error"]["code"].clone(),
                r.json["error"]["message"].as_str().unwrap_or("").replace(key, "…"),
            )
        };
        assert_eq!(
            shape(&f, &w.b.accept_no),
            shape(&n, missing),
            "{path}: another county's case must answer like a missing one"
        );
        assert!(!f.text.contains(w.b.marker));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authz_matrix_every_route_role_and_jurisdiction() {
    for b in testing::backends() {
        matrix(b).await;
    }
}
