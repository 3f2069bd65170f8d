//! Crash durability: `ducha serve` takes concurrent intake over HTTP and is killed with SIGKILL at
//! random moments, several times; after each restart every complaint that was acknowledged to a client
//! (HTTP 201 with its accept number) is present and intact — text, channel, sealed identity, its
//! intake audit record — and `ducha audit verify` passes. On SQLite and, when configured, PostgreSQL.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Server, bootstrap, client, login, run};
use ducha_store::testing::{self, TestDb};
use ducha_store::{Backend, IdentityCipher, KeyMaterial, Store, StoreOptions, audit, cases};

const CLIENTS: usize = 16;
const ROUNDS: usize = 4;

/// What a client was told: the complaint it sent and the accept number it got back.
#[derive(Debug, Clone)]
struct Acked {
    id: i64,
    accept_no: String,
    text: String,
    name: String,
    phone: String,
}

async fn drive(
    server: &Server,
    round: usize,
    acked: Arc<Mutex<Vec<Acked>>>,
) -> (u64, usize, Vec<tokio::task::JoinHandle<()>>) {
    let http = client();
    let token = login(&http, &server.base, "op").await;
    let killed = Arc::new(AtomicBool::new(false));
    let attempts = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let (http, token, base, acked, killed, attempts) = (
            http.clone(),
            token.clone(),
            server.base.clone(),
            acked.clone(),
            killed.clone(),
            attempts.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut n = 0usize;
            loop {
                n += 1;
                attempts.fetch_add(1, Ordering::Relaxed);
                let text = format!(
                    "濮阳县柳屯镇第{round}轮{c}号客户第{n}次举报：村东头塑料颗粒加工点夜间排放刺鼻废气，编号R{round}C{c}N{n}"
                );
                let name = format!("测试{round}{c}{n}");
                let phone = format!("139{round:02}{c:02}{n:04}");
                let r = http
                    .post(format!("{base}/api/v1/cases"))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({
                        "channel": "phone",
                        "text": text,
                        "complainant": { "name": name, "phone": phone },
                    }))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status().as_u16() == 201 => {
                        // The acknowledgement is only what the client has fully received.
                        let Ok(v) = r.json::<serde_json::Value>().await else { continue };
                        let (Some(id), Some(no)) = (v["id"].as_i64(), v["accept_no"].as_str()) else {
                            panic!("201 without id/accept_no: {v}");
                        };
                        acked.lock().unwrap().push(Acked { id, accept_no: no.to_owned(), text, name, phone });
                    }
                    Ok(r) => {
                        let status = r.status();
                        let body = r.text().await.unwrap_or_default();
                        assert!(killed.load(Ordering::Relaxed), "intake refused while serving: {status} {body}");
                    }
                    Err(_) if killed.load(Ordering::Relaxed) => return,
                    Err(e) => panic!("request failed while the server was up: {e}"),
                }
            }
        }));
    }
    // Let intake run for a random moment; the caller then pulls the plug.
    let ms = rand::random_range(250..1500u64);
    tokio::time::sleep(Duration::from_millis(ms)).await;
    killed.store(true, Ordering::Relaxed);
    (ms, attempts.load(Ordering::Relaxed), tasks)
}

async fn check(db: &TestDb, key: &KeyMaterial, acked: &[Acked]) {
    let store = Store::connect(&db.url, &StoreOptions::default()).await.unwrap();
    let cipher = IdentityCipher::new(key, &[]).unwrap();
    for a in acked {
        let row = cases::get_by_accept_no(&store, &a.accept_no)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("acknowledged complaint {} lost", a.accept_no));
        assert_eq!(row.id, a.id, "{}", a.accept_no);
        assert_eq!(row.original_text, a.text, "{}", a.accept_no);
        assert_eq!(row.channel, "phone");
        let who = cases::identity(&store, &cipher, a.id).await.unwrap().unwrap();
        assert_eq!(who.name.as_deref(), Some(a.name.as_str()));
        assert_eq!(who.phone.as_deref(), Some(a.phone.as_str()));
        let trail = audit::for_entity(&store, "case", &a.id.to_string()).await.unwrap();
        assert!(trail.iter().any(|r| r.action == "case.intake"), "{} has its intake record", a.accept_no);
    }
    let mut ids: Vec<&str> = acked.iter().map(|a| a.accept_no.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), acked.len(), "accept numbers are never handed out twice");
    store.close().await;
}

async fn crash_rounds(backend: Backend) {
    let started = Instant::now();
    let db = testing::fresh_url(backend).await;
    let key = KeyMaterial::generate();
    bootstrap(&db.url, &key).await;
    let env = [("DUCHA_SM4_KEY", key.to_hex())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let acked = Arc::new(Mutex::new(Vec::new()));
    for round in 0..ROUNDS {
        let server = Server::start(&db.url, &env);
        let (ms, attempts, tasks) = drive(&server, round, acked.clone()).await;
        server.kill();
        for t in tasks {
            t.await.unwrap();
        }
        let n = acked.lock().unwrap().len();
        println!(
            "{backend:?} round {round}: SIGKILL after {ms} ms, {attempts} requests sent, {n} acknowledged so far"
        );
    }
    // One more start proves recovery; then look at what is stored.
    let server = Server::start(&db.url, &env);
    let http = client();
    let token = login(&http, &server.base, "op").await;
    let r = http
        .post(format!("{}/api/v1/cases", server.base))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "channel": "letter", "text": "清丰县城关镇某砖厂粉尘污染严重，请督察组核查" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201, "intake works after the crashes");
    server.kill();

    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= ROUNDS, "some intake was acknowledged ({})", acked.len());
    check(&db, &key, &acked).await;
    let (code, out, err) = run(&["audit", "verify", "--db", &db.url], &[]);
    assert_eq!(code, 0, "audit verify after crashes: {out}{err}");
    println!(
        "{backend:?}: {} acknowledged complaints all present; {}; {:?}",
        acked.len(),
        out.trim(),
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_intake_loses_no_acknowledged_complaint() {
    for backend in testing::backends() {
        crash_rounds(backend).await;
    }
}
