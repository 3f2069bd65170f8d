//! `ducha demo` starts on any date (issue 24): with the clock moved by libfaketime to a date whose
//! campaign and due times reach a year the built-in holiday data do not cover, the demo estimates that
//! year on weekends, says so at start-up and on every staff page, and serves the public column.
//!
//! The clock is moved for the child process only (`LD_PRELOAD` of Debian's libfaketime, package
//! `faketime`). Without the library the test fails when `DUCHA_REQUIRE_FAKETIME=1` (as `scripts/test`
//! sets) and is skipped otherwise.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::{Server, client, ducha};

fn libfaketime() -> Option<PathBuf> {
    let dirs = std::fs::read_dir("/usr/lib").ok()?;
    dirs.filter_map(Result::ok)
        .map(|d| d.path().join("faketime/libfaketime.so.1"))
        .chain([PathBuf::from("/usr/lib/faketime/libfaketime.so.1")])
        .find(|p| p.exists())
}

/// The demo as a newcomer starts it, with the clock at `at` (Beijing wall time).
fn demo_at(lib: &PathBuf, at: &str, dir: &std::path::Path) -> Server {
    let mut cmd = ducha();
    // The demo makes its own choice; nothing configured from outside.
    cmd.env_remove("DUCHA_APP__WORKING_TIME__MISSING_YEAR")
        .env("LD_PRELOAD", lib)
        .env("FAKETIME", format!("@{at}"))
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env("TZ", "Asia/Shanghai")
        .current_dir(dir)
        .args(["demo", "--addr", "127.0.0.1:0", "--file"])
        .arg(dir.join("demo.db"));
    Server::spawn(cmd, Duration::from_secs(300))
        .unwrap_or_else(|log| panic!("demo at {at} did not start:\n{log}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_starts_and_serves_on_any_date() {
    let Some(lib) = libfaketime() else {
        #[allow(clippy::disallowed_methods)] // the suite's switch, as DUCHA_REQUIRE_BROWSER
        let required = std::env::var("DUCHA_REQUIRE_FAKETIME").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "DUCHA_REQUIRE_FAKETIME=1 but libfaketime was not found (apt-get install faketime)"
        );
        println!("skipped: libfaketime not installed (apt-get install faketime)");
        return;
    };
    let c = client();
    // Near the turn of the year, well into a year without data, and several years ahead.
    for (at, missing) in [
        ("2026-12-20 09:30:00", "2027年"),
        ("2027-06-01 10:00:00", "2027年"),
        ("2030-01-01 10:00:00", "2030年"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let server = demo_at(&lib, at, dir.path());
        let log = server.log.lock().unwrap().clone();
        assert!(log.contains("演示平台已启动"), "{at}: {log}");
        assert!(
            log.lines().any(|l| l.contains(missing) && l.contains("节假日安排尚未录入，期限按周末估算")),
            "{at}: start-up output names the estimated year:\n{log}"
        );

        let r = c.get(format!("{}/gongkai/", server.base)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{at}: /gongkai/");
        let body = r.text().await.unwrap();
        assert!(body.contains("第1批"), "{at}: the demo's published batches are listed");

        // Every staff page carries the banner.
        let token = login_demo(&c, &server.base, "shiban").await;
        for path in ["/", "/cases", "/batches"] {
            let page = c
                .get(format!("{}{path}", server.base))
                .header("Cookie", format!("ducha_session={token}"))
                .send()
                .await
                .unwrap();
            assert_eq!(page.status(), 200, "{at}: {path}");
            let html = page.text().await.unwrap();
            assert!(
                html.contains("节假日安排尚未录入，期限按周末估算") && html.contains(missing),
                "{at}: banner on {path}"
            );
        }
        drop(server);
    }
}

async fn login_demo(c: &reqwest::Client, base: &str, user: &str) -> String {
    let r = c
        .post(format!("{base}/api/v1/session"))
        .json(&serde_json::json!({ "username": user, "password": ducha_app::demo::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "demo login as {user}");
    let v: serde_json::Value = r.json().await.unwrap();
    v["token"].as_str().unwrap().to_owned()
}
