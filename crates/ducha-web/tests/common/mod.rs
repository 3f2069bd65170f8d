//! Shared fixture for HTTP tests: a fresh database (SQLite or PostgreSQL), Puyang's directory, a
//! campaign and one user per role, served in-process.

#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{TimeZone, Utc};
use ducha_app::auth::NewUserInput;
use ducha_app::{App, Config, FixedClock};
use ducha_store::directory::{self, NewCampaign};
use ducha_store::testing::{self, TestDb};
use ducha_store::{Backend, IdentityCipher, KeyMaterial, crypto};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const PASSWORD: &str = "test-password-1";

#[derive(Debug)]
pub struct Fx {
    pub app: App,
    pub router: Router,
    pub clock: Arc<FixedClock>,
    pub _db: TestDb,
}

/// (username, unit code, role)
pub const USERS: &[(&str, &str, &str)] = &[
    ("op", "team", "operator"),
    ("team", "team", "team"),
    ("prov", "team", "provincial"),
    ("city", "city-4109", "office"),
    ("county_py", "county-410928", "office"),
    ("county_hl", "county-410902", "office"),
    ("liutun", "town-410928101", "handler"),
    ("wenliu", "town-410928102", "handler"),
    ("opinion", "county-410928", "opinion"),
];

pub mod receivers;

pub async fn setup(backend: Backend) -> Fx {
    setup_cfg(backend, Config::for_tests()).await
}

pub async fn setup_cfg(backend: Backend, cfg: Config) -> Fx {
    let (store, db) = testing::fresh(backend).await;
    // Thursday 2023-12-14 10:00 Beijing time.
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2023, 12, 14, 2, 0, 0).unwrap()));
    let cipher = IdentityCipher::new(&KeyMaterial::generate(), &[]).unwrap();
    crypto::check_keys(&store, Some(&cipher), 0).await.unwrap();
    let app = App::new(store.clone(), cfg, clock.clone(), Some(cipher));
    app.bootstrap_directory(ducha_triage::Gazetteer::builtin()).await.unwrap();
    let team = directory::unit_by_code(&store, "team").await.unwrap().unwrap();
    let city = directory::unit_by_code(&store, "city-4109").await.unwrap().unwrap();
    let mut tx = store.begin().await.unwrap();
    directory::insert_campaign(
        &mut tx,
        &NewCampaign {
            name: "三散专项督察".into(),
            team_name: "省第三督察组".into(),
            start_date: "2023-12-10".into(),
            end_date: "2024-01-10".into(),
            hotlines: vec!["0393-12369".into()],
            postal_box: "濮阳市A001号信箱".into(),
            hours_start: "08:00".into(),
            hours_end: "20:00".into(),
            round_no: 3,
            province_letters: "HA".into(),
            regions: vec![],
            team_unit_id: team.id,
            city_unit_id: city.id,
            settings: serde_json::json!({}),
            created_at: 0,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    for (u, unit, role) in USERS {
        app.create_user(
            None,
            &NewUserInput {
                username: (*u).into(),
                display_name: format!("用户{u}"),
                password: PASSWORD.into(),
                unit_code: (*unit).into(),
                role: (*role).into(),
            },
        )
        .await
        .unwrap();
    }
    let router = ducha_web::router(app.clone());
    Fx { app, router, clock, _db: db }
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub json: serde_json::Value,
    pub text: String,
    pub headers: axum::http::HeaderMap,
}

impl Fx {
    pub async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
        Resp { status, json, text, headers }
    }

    pub async fn token(&self, user: &str) -> String {
        let r = self
            .json(
                "POST",
                "/api/v1/session",
                None,
                Some(serde_json::json!({ "username": user, "password": PASSWORD })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login {user}: {}", r.text);
        r.json["token"].as_str().unwrap().to_owned()
    }

    pub async fn json(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(v) => b.header("content-type", "application/json").body(Body::from(v.to_string())).unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: &str,
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        if let Some(ct) = content_type {
            b = b.header("content-type", ct);
        }
        self.send(b.body(Body::from(body.to_owned())).unwrap()).await
    }

    /// One number from the database (`SELECT COUNT(*) …`), for assertions on what was stored.
    pub async fn count(&self, sql: &str) -> i64 {
        ducha_store::Q::new(sql)
            .query_scalar::<i64>()
            .unwrap()
            .fetch_one(self.app.store.reader())
            .await
            .unwrap()
    }

    pub async fn unit_id(&self, code: &str) -> i64 {
        directory::unit_by_code(&self.app.store, code).await.unwrap().unwrap().id
    }

    /// Intake one complaint as the operator; returns the case id.
    pub async fn intake(&self, op: &str, text: &str) -> i64 {
        let r = self
            .json("POST", "/api/v1/cases", Some(op), Some(serde_json::json!({ "channel": "phone", "text": text, "complainant": { "name": "王建国", "phone": "13803930123" } })))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json["id"].as_i64().unwrap()
    }

    pub async fn act(&self, token: &str, id: i64, body: serde_json::Value) -> Resp {
        self.json("POST", &format!("/api/v1/cases/{id}/actions"), Some(token), Some(body)).await
    }

    /// Take a case from intake down to a township: assign, dispatch to county, dispatch to township.
    pub async fn route_down(&self, id: i64, county: &str, town: &str) {
        let team = self.token("team").await;
        let city = self.token("city").await;
        let cty = self
            .token(match county {
                "county-410928" => "county_py",
                _ => "county_hl",
            })
            .await;
        let r = self.act(&team, id, serde_json::json!({ "action": "assign" })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = self
            .act(
                &city,
                id,
                serde_json::json!({ "action": "dispatch", "to_unit_id": self.unit_id(county).await }),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = self
            .act(
                &cty,
                id,
                serde_json::json!({ "action": "dispatch", "to_unit_id": self.unit_id(town).await }),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
}

/// A complete handling report (属实, one subject, an immediate fix, a 办结目标).
pub fn valid_report(subject: &str) -> serde_json::Value {
    serde_json::json!({
        "facts": format!("经现场核查，{subject}无环保手续，夜间生产时烟气未经处理直排。"),
        "issues": [{ "finding": "true" }],
        "subjects": [{ "name": subject }],
        "measures": [
            { "kind": "order_correction", "description": "责令立即停止违法生产行为" },
            { "kind": "penalty", "description": "依法立案查处", "fine_yuan": 20000 }
        ],
        "rectifications": [{ "kind": "immediate", "done": "已拆除生产设备并清理原料", "done_on": "2023-12-14" }],
        "closure_target": "违法生产点位取缔到位，不再反弹",
        "investigated_on": "2023-12-14"
    })
}

/// A browser-like session: the session cookie and the page's CSRF token.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

pub fn set_cookie(r: &Resp, name: &str) -> Option<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
}

pub fn hidden_csrf(html: &str) -> String {
    let i = html.find("name=\"_csrf\" value=\"").expect("a form with a CSRF token");
    let rest = &html[i + "name=\"_csrf\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

pub async fn login(fx: &Fx, user: &str) -> Session {
    let r = fx.send(Request::get("/login").body(Body::empty()).unwrap()).await;
    let login_cookie = set_cookie(&r, "ducha_login_csrf").unwrap();
    let csrf = hidden_csrf(&r.text);
    let body =
        serde_urlencoded::to_string([("_csrf", csrf.as_str()), ("username", user), ("password", PASSWORD)])
            .unwrap();
    let r = fx
        .send(
            Request::post("/login")
                .header("cookie", login_cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "login {user}: {}", r.text);
    let cookie = set_cookie(&r, "ducha_session").unwrap();
    let home = fx.send(Request::get("/").header("cookie", &cookie).body(Body::empty()).unwrap()).await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.text);
    Session { csrf: hidden_csrf(&home.text), cookie }
}

impl Session {
    pub async fn get(&self, fx: &Fx, path: &str) -> Resp {
        fx.send(Request::get(path).header("cookie", &self.cookie).body(Body::empty()).unwrap()).await
    }

    pub async fn post_form(&self, fx: &Fx, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut all: Vec<(&str, &str)> = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        fx.send(
            Request::post(path)
                .header("cookie", &self.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(serde_urlencoded::to_string(&all).unwrap()))
                .unwrap(),
        )
        .await
    }

    pub async fn post_json(&self, fx: &Fx, path: &str, body: serde_json::Value, csrf: bool) -> Resp {
        let mut b =
            Request::post(path).header("cookie", &self.cookie).header("content-type", "application/json");
        if csrf {
            b = b.header("x-csrf-token", &self.csrf);
        }
        fx.send(b.body(Body::from(body.to_string())).unwrap()).await
    }
}
