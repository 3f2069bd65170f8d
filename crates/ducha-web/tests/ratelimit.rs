//! Rate limits on anonymous POSTs (issue 9): logins (`POST /login`, `POST /api/v1/session`), public
//! forms (`POST /jiandu`, `POST /huifang/{token}`, `POST /api/v1/discipline`) and Open311. One bucket
//! per client address; the N+1st request in a minute gets 429 with `Retry-After` and changes nothing
//! stored; another address is unaffected; the bucket refills with time; the per-account lockout
//! still applies.

#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use common::{Fx, PASSWORD, Resp};
use ducha_app::Config;
use ducha_store::Backend;
use serde_json::json;

fn addr(last: u8) -> SocketAddr {
    SocketAddr::from(([10, 0, 0, last], 40_000))
}

/// A request as if it came from `from` (what `serve()` provides through `ConnectInfo`).
async fn send_from(fx: &Fx, from: SocketAddr, mut req: Request<Body>) -> Resp {
    req.extensions_mut().insert(ConnectInfo(from));
    fx.send(req).await
}

fn api_login(user: &str, password: &str) -> Request<Body> {
    Request::post("/api/v1/session")
        .header("content-type", "application/json")
        .body(Body::from(json!({ "username": user, "password": password }).to_string()))
        .unwrap()
}

fn page_login(user: &str) -> Request<Body> {
    Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(
            serde_urlencoded::to_string([("_csrf", "x"), ("username", user), ("password", PASSWORD)])
                .unwrap(),
        ))
        .unwrap()
}

fn discipline() -> Request<Body> {
    let body = json!({ "concern": "hospitality", "about": "督察组某成员", "facts": "督察期间接受被督察单位宴请。", "place": "濮阳县", "contact": "13900000000", "received_at": "2023-12-14T10:00:00+08:00" });
    Request::post("/api/v1/discipline")
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn form_post(path: &str) -> Request<Body> {
    Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("_csrf=x"))
        .unwrap()
}

fn retry_after(r: &Resp) -> u64 {
    r.headers.get("retry-after").expect("Retry-After").to_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn logins_are_rate_limited_per_address_and_refill() {
    let mut cfg = Config::for_tests();
    cfg.login_rate_per_minute = 3;
    let fx = common::setup_cfg(Backend::Sqlite, cfg).await;
    let a = addr(1);
    // Three attempts from one address: a success and two wrong passwords, all answered.
    assert_eq!(send_from(&fx, a, api_login("op", PASSWORD)).await.status, StatusCode::OK);
    for _ in 0..2 {
        assert_eq!(
            send_from(&fx, a, api_login("team", "wrong-password")).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // The fourth — even with the right password — is refused before anything is read or stored.
    let (audit, fails, sessions) = (
        fx.count("SELECT COUNT(*) FROM audit_log").await,
        fx.count("SELECT COALESCE(SUM(failed_logins), 0) FROM users").await,
        fx.count("SELECT COUNT(*) FROM sessions").await,
    );
    let r = send_from(&fx, a, api_login("team", PASSWORD)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    assert_eq!(r.json["error"]["code"], "rate_limited", "{}", r.text);
    assert!(r.json["error"]["message"].as_str().unwrap().contains("请求过于频繁"), "{}", r.text);
    assert_eq!(retry_after(&r), 20, "one more login after a third of a minute");
    let r = send_from(&fx, a, api_login("team", "wrong-password")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(fx.count("SELECT COUNT(*) FROM audit_log").await, audit, "no audit record");
    assert_eq!(
        fx.count("SELECT COALESCE(SUM(failed_logins), 0) FROM users").await,
        fails,
        "no failure counted"
    );
    assert_eq!(fx.count("SELECT COUNT(*) FROM sessions").await, sessions, "no session");
    // The login page shares the bucket and answers with a Chinese page.
    let r = send_from(&fx, a, page_login("team")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text.contains("<!doctype html>") && r.text.contains("请求过于频繁"), "{}", r.text);
    assert!(retry_after(&r) >= 1);
    // Another address is unaffected.
    assert_eq!(send_from(&fx, addr(2), api_login("team", PASSWORD)).await.status, StatusCode::OK);
    // The bucket refills: 20 seconds later one more login from the first address goes through.
    fx.clock.advance(chrono::Duration::seconds(19));
    assert_eq!(send_from(&fx, a, api_login("team", PASSWORD)).await.status, StatusCode::TOO_MANY_REQUESTS);
    fx.clock.advance(chrono::Duration::seconds(1));
    assert_eq!(send_from(&fx, a, api_login("team", PASSWORD)).await.status, StatusCode::OK);
    assert_eq!(send_from(&fx, a, api_login("team", PASSWORD)).await.status, StatusCode::TOO_MANY_REQUESTS);
    // Logging in through the page still works from a fresh address (the limit is per address).
    let r = send_from(&fx, addr(3), page_login("team")).await;
    assert_ne!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn account_lockout_still_applies_beside_the_rate_limit() {
    let fx = common::setup(Backend::Sqlite).await;
    let max = fx.app.cfg.login_max_failures;
    for i in 0..max {
        // Each wrong password from a different address: the rate limit never triggers.
        let r = send_from(&fx, addr(10 + u8::try_from(i).unwrap()), api_login("county_py", "wrong-password"))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    }
    let r = send_from(&fx, addr(99), api_login("county_py", PASSWORD)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        r.json["error"]["code"], "account_locked",
        "the account lockout, not the address limit: {}",
        r.text
    );
}

#[tokio::test]
async fn public_posts_are_rate_limited_per_address() {
    let mut cfg = Config::for_tests();
    cfg.public.post_rate_per_minute = 2;
    cfg.public.open311_rate_per_minute = 1;
    let fx = common::setup_cfg(Backend::Sqlite, cfg).await;
    let a = addr(1);
    // Two public form posts from one address are answered (a discipline report is stored) …
    assert_eq!(send_from(&fx, a, discipline()).await.status, StatusCode::CREATED);
    let r = send_from(&fx, a, form_post("/jiandu")).await;
    assert_ne!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    // … the third, of any of the public forms, is refused and stores nothing.
    let reports = fx.count("SELECT COUNT(*) FROM discipline_reports").await;
    assert_eq!(reports, 1);
    let r = send_from(&fx, a, discipline()).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    assert_eq!(r.json["error"]["code"], "rate_limited");
    assert!(retry_after(&r) >= 1);
    assert_eq!(fx.count("SELECT COUNT(*) FROM discipline_reports").await, reports, "nothing stored");
    for path in ["/jiandu", "/huifang/some-token"] {
        let r = send_from(&fx, a, form_post(path)).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{path}: {}", r.text);
        assert!(r.text.contains("请求过于频繁"), "{path}: a Chinese page");
        assert!(r.headers.get("retry-after").is_some(), "{path}");
    }
    // Another address is unaffected, and logins have their own bucket.
    assert_eq!(send_from(&fx, addr(2), discipline()).await.status, StatusCode::CREATED);
    assert_eq!(send_from(&fx, a, api_login("op", PASSWORD)).await.status, StatusCode::OK);
    // The bucket refills (2 per minute: one every 30 s).
    fx.clock.advance(chrono::Duration::seconds(30));
    assert_eq!(send_from(&fx, a, discipline()).await.status, StatusCode::CREATED);
    assert_eq!(send_from(&fx, a, discipline()).await.status, StatusCode::TOO_MANY_REQUESTS);

    // Open311 POSTs have their own limit (1 a minute here) and answer in Open311's error format.
    let post = || {
        Request::post("/open311/v2/requests.json")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("service_code=air&description=%E6%9F%B3%E5%B1%AF%E9%95%87%E6%9C%89%E5%B7%A5%E5%8E%82%E5%86%92%E9%BB%91%E7%83%9F&address_string=%E6%BF%AE%E9%98%B3%E5%8E%BF%E6%9F%B3%E5%B1%AF%E9%95%87"))
            .unwrap()
    };
    let r = send_from(&fx, a, post()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let cases = fx.count("SELECT COUNT(*) FROM cases").await;
    let r = send_from(&fx, a, post()).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    assert_eq!(r.json[0]["code"], 429, "{}", r.text);
    assert_eq!(retry_after(&r), 60);
    assert_eq!(fx.count("SELECT COUNT(*) FROM cases").await, cases, "no case from a limited post");
    assert_eq!(send_from(&fx, addr(2), post()).await.status, StatusCode::OK);
}
