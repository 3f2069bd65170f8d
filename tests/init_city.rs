//! Day one for a real city (issue 17): `ducha init --city 4105 --admin root` on an empty database
//! (SQLite, and PostgreSQL when `DUCHA_TEST_PG` is set), then `ducha serve` on it: `/healthz`
//! answers, the administrator logs in through the API, the unit list is Anyang's (county offices,
//! townships, departments), a second `ducha init` is refused. On SQLite also the modes of the files
//! the service creates (database, WAL, key, backup), and rate-limit buckets behind a trusted proxy.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod common;

use common::{PASSWORD, Server, client, login, run};
use ducha_store::{Backend, testing};
use serde_json::Value;

/// Cheap password hashing for the binary (the production default takes 19 MiB and a while per hash).
const CHEAP: [(&str, &str); 2] = [("DUCHA_APP__ARGON2_M_COST", "256"), ("DUCHA_APP__ARGON2_T_COST", "1")];

fn env<'a>(key_file: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut v = vec![("DUCHA_SM4_KEY_FILE", key_file)];
    v.extend(CHEAP);
    v.extend_from_slice(extra);
    v
}

#[cfg(unix)]
fn mode(p: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).permissions().mode() & 0o777
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn init_any_city_then_serve() {
    for backend in testing::backends() {
        init_then_serve(backend).await;
    }
}

async fn init_then_serve(backend: Backend) {
    let db = testing::fresh_url(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("ducha.key").display().to_string();
    let url = db.url.as_str();
    let init = ["init", "--db", url, "--city", "4105", "--admin", "root"];

    // Refusals that leave the database untouched: a bad city, a short password.
    let (code, _, err) = run(
        &["init", "--db", url, "--city", "4199", "--admin", "root"],
        &env(&key_file, &[("DUCHA_NEW_PASSWORD", PASSWORD)]),
    );
    assert_ne!(code, 0);
    assert!(err.contains("4199"), "{err}");
    let (code, _, err) = run(&init, &env(&key_file, &[("DUCHA_NEW_PASSWORD", "short")]));
    assert_ne!(code, 0);
    assert!(err.contains("密码至少8位"), "{err}");

    let (code, out, err) = run(&init, &env(&key_file, &[("DUCHA_NEW_PASSWORD", PASSWORD)]));
    assert_eq!(code, 0, "{backend:?} init: {out}\n{err}");
    assert!(out.contains("安阳市（4105）"), "{out}");
    assert!(out.contains("区县攻坚办 10"), "{out}");

    // A second init on the same database is refused, whatever city it names.
    for city in ["4105", "4109"] {
        let (code, out, err) = run(
            &["init", "--db", url, "--city", city, "--admin", "root2"],
            &env(&key_file, &[("DUCHA_NEW_PASSWORD", PASSWORD)]),
        );
        assert_ne!(code, 0, "{out}");
        assert!(err.contains("已初始化为安阳市（4105）"), "{err}");
    }

    // The deployment's places: checked against Anyang, installed where serve reads them.
    let places = dir.path().join("places.csv").display().to_string();
    let head = "name,kind,county_code,township_code,village_code,aliases\n";
    let upload = dir.path().join("upload.csv");
    std::fs::write(&upload, format!("{head}京开大道,road,410928,,,\n")).unwrap();
    let import = ["import", "places", upload.to_str().unwrap(), "--db", url];
    let (code, _, err) = run(&import, &env(&key_file, &[("DUCHA_PLACES_FILE", &places)]));
    assert_ne!(code, 0);
    assert!(err.contains("京开大道") && err.contains("不是本市的区县"), "{err}");
    std::fs::write(&upload, format!("{head}红旗渠大道,road,410505,,,\n留固工业园,park,410526,410526103,,\n"))
        .unwrap();
    let (code, _, err) = run(&import, &env(&key_file, &[]));
    assert_ne!(code, 0, "no places_file configured");
    assert!(err.contains("places_file"), "{err}");
    let (code, out, err) = run(&import, &env(&key_file, &[("DUCHA_PLACES_FILE", &places)]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 条"), "{out}");
    assert_eq!(std::fs::read(&places).unwrap(), std::fs::read(&upload).unwrap());

    let server = Server::start(url, &env(&key_file, &[("DUCHA_PLACES_FILE", &places)]));
    let http = client();
    let r = http.get(format!("{}/healthz", server.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let token = login(&http, &server.base, "root").await;
    let me: Value = http
        .get(format!("{}/api/v1/me", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "root", "{me}");
    let units: Vec<Value> = http
        .get(format!("{}/api/v1/units", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let unit = |code: &str| units.iter().find(|u| u["code"] == code).cloned();
    assert_eq!(unit("city-4105").unwrap()["name"], "安阳市污染防治攻坚战领导小组办公室");
    assert_eq!(unit("county-410526").unwrap()["name"], "滑县污染防治攻坚办");
    assert_eq!(unit("county-410581").unwrap()["level"], "county");
    assert_eq!(unit("town-410526103").unwrap()["name"], "留固镇");
    assert_eq!(unit("town-410505101").unwrap()["level"], "township");
    assert_eq!(unit("dept-ecology-410522").unwrap()["name"], "安阳县生态环境分局");
    assert!(unit("city-4109").is_none() && unit("county-410928").is_none(), "no Puyang units");
    let count = |level: &str| units.iter().filter(|u| u["level"] == level).count();
    assert_eq!((count("team"), count("city"), count("county"), count("township")), (1, 1, 10, 137));
    // Townships hang under their county office.
    let huaxian = unit("county-410526").unwrap()["id"].clone();
    assert_eq!(unit("town-410526103").unwrap()["parent_id"], huaxian);
    drop(server);

    #[cfg(unix)]
    if backend == Backend::Sqlite {
        let path = std::path::PathBuf::from(url.trim_start_matches("sqlite://"));
        // The server was killed: its WAL and shared-memory files are still there.
        for suffix in ["", "-wal", "-shm"] {
            let p = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            assert_eq!(mode(&p), 0o600, "{}", p.display());
        }
        assert_eq!(mode(std::path::Path::new(&key_file)), 0o600);
        let backup = dir.path().join("b.jsonl");
        let (code, out, err) =
            run(&["backup", "--db", url, "--out", &backup.display().to_string()], &env(&key_file, &[]));
        assert_eq!(code, 0, "{out}{err}");
        assert_eq!(mode(&backup), 0o600);
    }
}

/// Behind a reverse proxy: with `trusted_proxies` naming it, each client (`X-Forwarded-For`) has its
/// own login bucket; without, the header is ignored and a client cannot escape its bucket by sending
/// one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_for_counts_only_from_trusted_proxies() {
    let db = testing::fresh_url(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("ducha.key").display().to_string();
    let (code, out, err) = run(
        &["init", "--db", &db.url, "--city", "4105", "--admin", "root"],
        &env(&key_file, &[("DUCHA_NEW_PASSWORD", PASSWORD)]),
    );
    assert_eq!(code, 0, "{out}{err}");
    let http = client();
    let attempt = |base: String, xff: &'static str| {
        let http = http.clone();
        async move {
            http.post(format!("{base}/api/v1/session"))
                .header("X-Forwarded-For", xff)
                .json(&serde_json::json!({ "username": "nobody", "password": "wrong-password" }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let rate = [("DUCHA_APP__LOGIN_RATE_PER_MINUTE", "2")];

    // Not trusted: spoofed headers share the peer's bucket.
    let server = Server::start(&db.url, &env(&key_file, &rate));
    assert_eq!(attempt(server.base.clone(), "198.51.100.1").await, 401);
    assert_eq!(attempt(server.base.clone(), "198.51.100.2").await, 401);
    assert_eq!(attempt(server.base.clone(), "198.51.100.3").await, 429, "a spoofed header escaped the limit");
    drop(server);

    // Trusted: the address the proxy appended (right-most untrusted) is the client.
    let trusted = [rate[0], ("DUCHA_APP__TRUSTED_PROXIES", "[\"127.0.0.1/32\", \"::1\"]")];
    let server = Server::start(&db.url, &env(&key_file, &trusted));
    assert_eq!(attempt(server.base.clone(), "198.51.100.1").await, 401);
    assert_eq!(attempt(server.base.clone(), "198.51.100.1").await, 401);
    assert_eq!(attempt(server.base.clone(), "198.51.100.1").await, 429);
    assert_eq!(attempt(server.base.clone(), "198.51.100.2").await, 401, "another client behind the proxy");
    assert_eq!(
        attempt(server.base.clone(), "6.6.6.6, 198.51.100.1").await,
        429,
        "a client-sent prefix is ignored"
    );
    drop(server);

    // A malformed list stops serve with a clear message.
    let bad = [("DUCHA_APP__TRUSTED_PROXIES", "[\"nginx\"]")];
    let err = Server::try_start(&db.url, &env(&key_file, &bad)).unwrap_err();
    assert!(err.contains("trusted_proxies"), "{err}");
}
