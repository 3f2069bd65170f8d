//! SM4 key rotation: every sealed identity and contact moves to the new key in small batches while
//! readers and writers go on; the old key is retired and refused afterwards; the rotation is audited.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use common::{Server, bootstrap, client, login, run};
use ducha_app::intake::IntakeInput;
use ducha_app::{App, Config, SystemClock};
use ducha_store::cases::{self, ComplainantIdentity};
use ducha_store::rotation::{self, RotateOptions};
use ducha_store::testing;
use ducha_store::{IdentityCipher, KeyMaterial, Store, StoreOptions, audit, crypto, followup};

fn who(i: usize) -> ComplainantIdentity {
    ComplainantIdentity {
        name: Some(format!("王{i}号")),
        phone: Some(format!("1380393{i:04}")),
        address: Some(format!("濮阳县柳屯镇{i}号")),
        id_number: None,
        ..Default::default()
    }
}

async fn intake(app: &App, i: usize) -> i64 {
    app.intake_as(
        None,
        &IntakeInput {
            channel: "web".into(),
            text: format!("南乐县城关镇第{i}号废品收购站露天焚烧垃圾，浓烟很大"),
            complainant: who(i),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

async fn sealed_keys(store: &Store) -> Vec<(String, i64)> {
    rotation::rows_per_key(store).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_reseals_everything_while_reads_and_writes_go_on() {
    for backend in testing::backends() {
        let db = testing::fresh_url(backend).await;
        let old = KeyMaterial::generate();
        let new = KeyMaterial::generate();
        bootstrap(&db.url, &old).await;
        let store = Store::connect(&db.url, &StoreOptions::default()).await.unwrap();
        let old_only = IdentityCipher::new(&old, &[]).unwrap();
        let app_old =
            App::new(store.clone(), Config::for_tests(), Arc::new(SystemClock), Some(old_only.clone()));
        let mut ids = Vec::new();
        for i in 0..120 {
            ids.push((intake(&app_old, i).await, i));
        }
        let mut tx = store.begin().await.unwrap();
        let contact = followup::insert_discipline(&mut tx, Some(&old_only), 1, "{}", Some("微信 zhang_san"))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(sealed_keys(&store).await, vec![(old.key_id(), 121)]);

        // Servers now write with the new key and read with both.
        let serving = IdentityCipher::new(&new, std::slice::from_ref(&old)).unwrap();
        let app = App::new(store.clone(), Config::for_tests(), Arc::new(SystemClock), Some(serving.clone()));
        let stop = Arc::new(AtomicBool::new(false));
        let reads = Arc::new(AtomicUsize::new(0));
        let reader = {
            let (store, serving, ids, stop, reads) =
                (store.clone(), serving.clone(), ids.clone(), stop.clone(), reads.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    for &(id, i) in &ids {
                        let got = cases::identity(&store, &serving, id).await.unwrap();
                        assert_eq!(got, Some(who(i)), "case {id} readable during rotation");
                        reads.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        };
        let writer = {
            let (app, stop) = (app.clone(), stop.clone());
            tokio::spawn(async move {
                let mut written = Vec::new();
                let mut i = 1000;
                while !stop.load(Ordering::Relaxed) {
                    written.push((intake(&app, i).await, i));
                    i += 1;
                }
                written
            })
        };
        let opts = RotateOptions { batch: 16, ..RotateOptions::default() };
        let report = rotation::rotate(&store, &serving, &opts, 77, "测试").await.unwrap();
        stop.store(true, Ordering::Relaxed);
        reader.await.unwrap();
        let written = writer.await.unwrap();
        assert!(reads.load(Ordering::Relaxed) > 0);
        assert_eq!(report.identities, 120, "{report:?}");
        assert_eq!(report.contacts, 1);
        assert_eq!(report.retired, vec![old.key_id()]);
        assert_eq!(report.new_key_id, new.key_id());

        // Everything is under the new key now and opens with it alone.
        let total = (121 + written.len()) as i64;
        assert_eq!(sealed_keys(&store).await, vec![(new.key_id(), total)]);
        let new_only = IdentityCipher::new(&new, &[]).unwrap();
        for &(id, i) in ids.iter().chain(written.iter()) {
            assert_eq!(cases::identity(&store, &new_only, id).await.unwrap(), Some(who(i)));
            assert!(cases::identity(&store, &old_only, id).await.is_err(), "the old key opens nothing");
        }
        assert_eq!(
            followup::discipline_contact(&store, &new_only, contact).await.unwrap().as_deref(),
            Some("微信 zhang_san")
        );

        // The old key is retired: refused as the current key, with a message that says why.
        let err = crypto::check_keys(&store, Some(&old_only), 99).await.unwrap_err();
        assert!(err.to_string().contains("停用"), "{err}");
        assert!(crypto::check_keys(&store, Some(&new_only), 99).await.unwrap());

        // Audited, and the chain holds.
        assert_eq!(audit::count_action(&store, "keys.rotation_started").await.unwrap(), 1);
        assert_eq!(audit::count_action(&store, "keys.rotated").await.unwrap(), 1);
        assert_eq!(audit::verify(&store).await.unwrap().broken, None);
        let trail = audit::for_entity(&store, "crypto_key", &new.key_id()).await.unwrap();
        assert!(!trail.iter().any(|r| r.detail.contains(&new.to_hex()) || r.detail.contains(&old.to_hex())));

        // A rotation that lacks a key some rows need refuses before touching anything.
        let third = KeyMaterial::generate();
        let lacking = IdentityCipher::new(&third, &[]).unwrap();
        let err = rotation::rotate(&store, &lacking, &opts, 100, "测试").await.unwrap_err();
        assert!(err.to_string().contains(&new.key_id()), "{err}");
        assert_eq!(sealed_keys(&store).await, vec![(new.key_id(), total)]);
        store.close().await;
    }
}

/// The no-downtime story with the real binary: a server configured with the new key (and the old one
/// for reading) keeps answering identity reads while `ducha keys rotate` runs beside it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_rotate_command_beside_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("k.db").display());
    let old = KeyMaterial::generate();
    let new = KeyMaterial::generate();
    bootstrap(&url, &old).await;
    let old_hex = old.to_hex();
    let new_hex = new.to_hex();

    // Identities sealed under the old key by a server that knows only it.
    let server = Server::start(&url, &[("DUCHA_SM4_KEY", &old_hex)]);
    let http = client();
    let token = login(&http, &server.base, "op").await;
    let mut cases = Vec::new();
    for i in 0..60 {
        let r = http
            .post(format!("{}/api/v1/cases", server.base))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "channel": "phone", "text": format!("范县第{i}号砖厂夜间排放黑烟"), "complainant": { "name": format!("李{i}"), "phone": format!("1390000{i:04}") } }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201);
        let v: serde_json::Value = r.json().await.unwrap();
        cases.push((v["id"].as_i64().unwrap(), i));
    }
    server.kill();

    // Step 1: the server gets the new key and keeps the old one for reading.
    let old_list = format!("[\"{old_hex}\"]");
    let server = Server::start(&url, &[("DUCHA_SM4_KEY", &new_hex), ("DUCHA_SM4_OLD_KEYS", &old_list)]);
    let token = login(&http, &server.base, "op").await;
    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicUsize::new(0));
    let reader = {
        let (http, base, token, cases, stop, reads) =
            (http.clone(), server.base.clone(), token.clone(), cases.clone(), stop.clone(), reads.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                for &(id, i) in &cases {
                    let r = http
                        .get(format!("{base}/api/v1/cases/{id}/identity"))
                        .bearer_auth(&token)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status().as_u16(), 200, "identity of case {id} during rotation");
                    let v: serde_json::Value = r.json().await.unwrap();
                    assert_eq!(v["name"], format!("李{i}"));
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            }
        })
    };

    // Step 2: rotate beside it, the old key coming from this command's configuration.
    let key_file = dir.path().join("new.key");
    std::fs::write(&key_file, format!("{new_hex}\n")).unwrap();
    let (code, out, err) = run(
        &["keys", "rotate", "--db", &url, "--batch", "7", "--new-key-file", key_file.to_str().unwrap()],
        &[("DUCHA_SM4_KEY", &old_hex)],
    );
    stop.store(true, Ordering::Relaxed);
    reader.await.unwrap();
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&new.key_id()) && out.contains("60 条"), "{out}");
    assert!(reads.load(Ordering::Relaxed) >= cases.len(), "reads went on during the rotation");
    assert!(
        !out.contains(&new_hex) && !err.contains(&new_hex) && !out.contains(&old_hex),
        "keys never printed"
    );
    server.kill();

    // The old key alone no longer starts a server; the new key alone does.
    let fail = Server::try_start(&url, &[("DUCHA_SM4_KEY", &old_hex)]).unwrap_err();
    assert!(fail.contains("停用"), "{fail}");
    let server = Server::start(&url, &[("DUCHA_SM4_KEY", &new_hex)]);
    let token = login(&http, &server.base, "op").await;
    let (id, i) = cases[17];
    let r = http
        .get(format!("{}/api/v1/cases/{id}/identity", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["name"], format!("李{i}"));
    server.kill();
    let (code, out, err) = run(&["audit", "verify", "--db", &url], &[]);
    assert_eq!(code, 0, "{out}{err}");
}
