//! Backup and restore: a consistent copy of a live database, restored into an empty database of either
//! backend, with its audit chain intact and its sealed identities still opening with the same key.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::collections::BTreeMap;
use std::sync::Arc;

use ducha_app::intake::IntakeInput;
use ducha_app::{App, Config, FixedClock};
use ducha_store::cases::{self, ComplainantIdentity};
use ducha_store::testing::{self, TestDb};
use ducha_store::{
    Backend, IdentityCipher, KeyMaterial, Store, StoreOptions, audit, backup, crypto, followup,
};

type Table = Vec<BTreeMap<String, serde_json::Value>>;

/// Every table's rows (by column name) as a backup sees them.
async fn dump(store: &Store) -> BTreeMap<String, Table> {
    let mut buf = Vec::new();
    backup::backup(store, &mut buf, 0).await.unwrap();
    parse(&buf)
}

fn parse(buf: &[u8]) -> BTreeMap<String, Table> {
    let mut lines = buf.split(|b| *b == b'\n').filter(|l| !l.is_empty());
    let header: backup::Header = serde_json::from_slice(lines.next().unwrap()).unwrap();
    let mut out: BTreeMap<String, Table> = BTreeMap::new();
    let mut current: Option<&backup::TableSpec> = None;
    for l in lines {
        let v: serde_json::Value = serde_json::from_slice(l).unwrap();
        if let Some(t) = v.get("table").and_then(|t| t.as_str()) {
            current = header.tables.iter().find(|s| s.name == t);
            out.insert(t.to_owned(), Vec::new());
        } else if let Some(row) = v.as_array() {
            let spec = current.unwrap();
            let named = spec.columns.iter().map(|(c, _)| c.clone()).zip(row.iter().cloned()).collect();
            out.get_mut(&spec.name).unwrap().push(named);
        }
    }
    out
}

struct Source {
    app: App,
    cipher: IdentityCipher,
    _db: TestDb,
}

/// A database with the demo campaign (every workflow stage, identities, assignments, handling reports,
/// verifications, the audit chain) plus discipline reports with and without a sealed contact.
async fn seeded(backend: Backend) -> Source {
    let (store, db) = testing::fresh(backend).await;
    let cipher = IdentityCipher::new(&KeyMaterial::generate(), &[]).unwrap();
    crypto::check_keys(&store, Some(&cipher), 0).await.unwrap();
    // A fixed instant, so the demo's due times fall in years the built-in holiday data cover.
    let clock = Arc::new(FixedClock::new(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2024, 6, 3, 12, 0, 0).unwrap(),
    ));
    let app = App::new(store.clone(), Config::for_tests(), clock, Some(cipher.clone()));
    app.seed_demo(ducha_triage::Gazetteer::builtin()).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    followup::insert_discipline(
        &mut tx,
        Some(&cipher),
        1,
        r#"{"text":"督察组成员接受宴请"}"#,
        Some("13912345678"),
    )
    .await
    .unwrap();
    followup::insert_discipline(&mut tx, Some(&cipher), 2, r#"{"text":"匿名反映"}"#, None).await.unwrap();
    tx.commit().await.unwrap();
    Source { app, cipher, _db: db }
}

async fn restore_into(backend: Backend, file: &[u8]) -> (Store, TestDb, backup::RestoreSummary) {
    let db = testing::fresh_url(backend).await;
    let store = Store::connect(&db.url, &StoreOptions::default()).await.unwrap();
    let r = backup::restore(&store, file, 5, "测试").await.unwrap();
    (store, db, r)
}

async fn case_ids_with_identity(store: &Store) -> Vec<i64> {
    ducha_store::Q::new("SELECT case_id FROM complainant_identities ORDER BY case_id")
        .query_scalar::<i64>()
        .unwrap()
        .fetch_all(store.reader())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_round_trip_across_backends_keeps_chain_and_identities() {
    let backends = testing::backends();
    for &src in &backends {
        let s = seeded(src).await;
        let store = &s.app.store;
        let before = dump(store).await;
        assert!(before["cases"].len() > 100, "demo data present");
        assert!(before["complainant_identities"].len() > 10);
        let mut file = Vec::new();
        let summary = backup::backup(store, &mut file, 42).await.unwrap();
        assert_eq!(summary.rows, before.values().map(|t| t.len() as u64).sum::<u64>());

        for &dst in &backends {
            let (restored, _db, r) = restore_into(dst, &file).await;
            assert_eq!(r.rows, summary.rows, "{src:?} → {dst:?}");
            assert_eq!(r.sm3, summary.sm3);

            // Every table is equal, row for row, except the one audit record the restore appended.
            let after = dump(&restored).await;
            assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
            for (table, rows) in &before {
                if table == "audit_log" || table == "audit_head" {
                    continue;
                }
                assert_eq!(rows, &after[table], "table {table} differs after {src:?} → {dst:?}");
            }
            let log = &after["audit_log"];
            assert_eq!(&log[..log.len() - 1], &before["audit_log"][..], "chain copied verbatim");
            assert_eq!(log.last().unwrap()["action"], "store.restore");
            let report = audit::verify(&restored).await.unwrap();
            assert_eq!(report.broken, None, "{src:?} → {dst:?}: {report:?}");
            assert_eq!(report.checked as usize, before["audit_log"].len() + 1);

            // Sealed identities and contacts open with the same key, and say the same thing.
            let ids = case_ids_with_identity(&restored).await;
            assert_eq!(ids, case_ids_with_identity(store).await);
            for id in ids {
                let a = cases::identity(store, &s.cipher, id).await.unwrap();
                let b = cases::identity(&restored, &s.cipher, id).await.unwrap();
                assert!(a.is_some());
                assert_eq!(a, b, "case {id}");
            }
            let other = IdentityCipher::new(&KeyMaterial::generate(), &[]).unwrap();
            assert!(
                crypto::check_keys(&restored, Some(&other), 9).await.is_err(),
                "a foreign key is refused"
            );
            assert!(crypto::check_keys(&restored, Some(&s.cipher), 9).await.unwrap());
            let reports = followup::discipline_reports(&restored).await.unwrap();
            let with = reports.iter().find(|d| d.at == 1).unwrap().id;
            let without = reports.iter().find(|d| d.at == 2).unwrap().id;
            assert_eq!(
                followup::discipline_contact(&restored, &s.cipher, with).await.unwrap().as_deref(),
                Some("13912345678")
            );
            assert_eq!(followup::discipline_contact(&restored, &s.cipher, without).await.unwrap(), None);

            // The restored database works: new rows get fresh ids (PostgreSQL sequences moved on).
            let app =
                App::new(restored.clone(), Config::for_tests(), s.app.clock.clone(), Some(s.cipher.clone()));
            let max_case = before["cases"].iter().filter_map(|r| r["id"].as_i64()).max().unwrap();
            let id = app
                .intake_as(
                    None,
                    &IntakeInput {
                        channel: "web".into(),
                        text: "濮阳县柳屯镇东陈庄村塑料颗粒厂夜里冒黑烟，气味刺鼻".into(),
                        complainant: ComplainantIdentity {
                            name: Some("李四".into()), ..Default::default()
                        },
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            assert!(id > max_case, "new case id {id} after restored {max_case}");
            assert_eq!(audit::verify(&restored).await.unwrap().broken, None);
            restored.close().await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_is_consistent_while_intake_goes_on() {
    for backend in testing::backends() {
        let s = seeded(backend).await;
        let app = s.app.clone();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = {
            let stop = stop.clone();
            tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let input = IntakeInput {
                        channel: "phone".into(),
                        text: format!("清丰县马庄桥镇第{n}号砖厂夜间排放黑烟，粉尘很大"),
                        complainant: ComplainantIdentity {
                            phone: Some(format!("1390000{n:04}")),
                            ..Default::default()
                        },
                        ..Default::default()
                    };
                    app.intake_as(None, &input).await.unwrap();
                    n += 1;
                }
                n
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let mut files = Vec::new();
        for _ in 0..3 {
            let mut file = Vec::new();
            backup::backup(&s.app.store, &mut file, 1).await.unwrap();
            files.push(file);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let written = writer.await.unwrap();
        assert!(written > 0, "intake went on during the backups");
        for file in files {
            let (restored, _db, _) = restore_into(backend, &file).await;
            // The chain's head matches its last record, and every case has its intake record and
            // every identity its case: nothing was read half-way through a transaction.
            assert_eq!(audit::verify(&restored).await.unwrap().broken, None);
            let t = dump(&restored).await;
            let intakes = t["audit_log"].iter().filter(|r| r["action"] == "case.intake").count();
            assert_eq!(intakes, t["cases"].len());
            for row in &t["complainant_identities"] {
                assert!(t["cases"].iter().any(|c| c["id"] == row["case_id"]));
            }
            restored.close().await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_refuses_non_empty_targets_and_damaged_files() {
    let backend = Backend::Sqlite;
    let s = seeded(backend).await;
    let mut file = Vec::new();
    backup::backup(&s.app.store, &mut file, 1).await.unwrap();

    // A database that holds data is refused, and stays as it was.
    let before = dump(&s.app.store).await;
    let err = backup::restore(&s.app.store, &file[..], 2, "测试").await.unwrap_err();
    assert!(
        matches!(err, ducha_store::StoreError::Conflict { code: "restore_target_not_empty", .. }),
        "{err}"
    );
    assert_eq!(dump(&s.app.store).await, before);

    // Truncated: refused, and the target keeps nothing of it (one transaction).
    let db = testing::fresh_url(backend).await;
    let target = Store::connect(&db.url, &StoreOptions::default()).await.unwrap();
    let cut = &file[..file.len() - 10];
    let err = backup::restore(&target, cut, 2, "测试").await.unwrap_err();
    assert!(err.to_string().contains("截断"), "{err}");
    let last_line_dropped: Vec<u8> = {
        let body = &file[..file.len() - 1];
        let end = body.iter().rposition(|b| *b == b'\n').unwrap();
        file[..=end].to_vec()
    };
    let err = backup::restore(&target, &last_line_dropped[..], 2, "测试").await.unwrap_err();
    assert!(err.to_string().contains("截断"), "{err}");
    assert_eq!(cases::count_cases(&target).await.unwrap(), 0);

    // One changed character in a row: the digest does not match.
    let text = String::from_utf8(file.clone()).unwrap();
    let tampered = text.replacen("濮阳县", "濮阳市", 1);
    assert_ne!(tampered, text);
    let err = backup::restore(&target, tampered.as_bytes(), 2, "测试").await.unwrap_err();
    assert!(err.to_string().contains("SM3"), "{err}");
    assert_eq!(cases::count_cases(&target).await.unwrap(), 0);

    // Not a backup at all.
    let err = backup::restore(&target, &b"{\"format\":\"other\"}\n"[..], 2, "测试").await.unwrap_err();
    assert!(err.to_string().contains("不是 ducha 备份文件"), "{err}");

    // And after all that the same target takes the good file.
    let r = backup::restore(&target, &file[..], 2, "测试").await.unwrap();
    assert_eq!(r.rows, before.values().map(|t| t.len() as u64).sum::<u64>());
    assert_eq!(audit::verify(&target).await.unwrap().broken, None);
}
