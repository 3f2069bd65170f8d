//! One story, both databases: the same assertions run on SQLite and on a real PostgreSQL server.

#![allow(clippy::unwrap_used)]

use ducha_store::audit::{self, AuditEntry};
use ducha_store::cases::{self, CaseFilter, CasePatch, ComplainantIdentity, NewAssignment, NewCase, Scope};
use ducha_store::directory::{self, NewCampaign, NewUnit, NewUser, RegionRow};
use ducha_store::testing;
use ducha_store::{Backend, IdentityCipher, KeyMaterial, Store, StoreError, crypto};

async fn unit(store: &Store, code: &str, level: &str, parent: Option<i64>, region: Option<&str>) -> i64 {
    let mut tx = store.begin().await.unwrap();
    let id = directory::insert_unit(
        &mut tx,
        &NewUnit {
            code: code.into(),
            name: format!("单位{code}"),
            level: level.into(),
            dept_kind: None,
            parent_id: parent,
            region_code: region.map(Into::into),
            contact_email: None,
            contact_webhook: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

fn entry(action: &str, id: i64) -> AuditEntry {
    AuditEntry {
        at_ms: 1_700_000_000_000 + id,
        actor_user_id: None,
        actor_unit_id: None,
        actor_name: "测试".into(),
        action: action.into(),
        entity_type: "case".into(),
        entity_id: id.to_string(),
        detail: serde_json::json!({"n": id}),
    }
}

async fn story(backend: Backend) {
    let (store, _db) = testing::fresh(backend).await;
    assert_eq!(store.backend(), backend);
    store.migrate().await.expect("migrations are idempotent");

    // Regions and units form the chain, with materialised paths.
    let mut tx = store.begin().await.unwrap();
    let n = directory::upsert_regions(
        &mut tx,
        &[
            RegionRow {
                code: "410928".into(),
                name: "濮阳县".into(),
                short_name: "濮阳县".into(),
                level: ducha_domain::region::RegionLevel::County,
                parent_code: Some("4109".into()),
            },
            RegionRow {
                code: "410928101".into(),
                name: "濮阳县柳屯镇".into(),
                short_name: "柳屯镇".into(),
                level: ducha_domain::region::RegionLevel::Township,
                parent_code: Some("410928".into()),
            },
        ],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(n, 2);
    assert_eq!(directory::regions_under(&store, "410928").await.unwrap()[0].short_name, "柳屯镇");

    let team = unit(&store, "team", "team", None, None).await;
    let city = unit(&store, "city", "city", Some(team), Some("4109")).await;
    let county = unit(&store, "c-410928", "county", Some(city), Some("410928")).await;
    let town = unit(&store, "t-410928101", "township", Some(county), Some("410928101")).await;
    let other_town = unit(&store, "t-410928102", "township", Some(county), Some("410928102")).await;
    let u = directory::unit(&store, town).await.unwrap().unwrap();
    assert_eq!(u.path, format!("/{team}/{city}/{county}/{town}/"));
    assert_eq!(directory::township_unit_for_region(&store, "410928101").await.unwrap().unwrap().id, town);
    let mut tx = store.begin().await.unwrap();
    let dup = directory::insert_unit(
        &mut tx,
        &NewUnit {
            code: "team".into(),
            name: "x".into(),
            level: "team".into(),
            dept_kind: None,
            parent_id: None,
            region_code: None,
            contact_email: None,
            contact_webhook: None,
        },
    )
    .await;
    assert!(matches!(dup, Err(StoreError::Conflict { code: "unit_exists", .. })), "{dup:?}");
    tx.rollback().await.unwrap();

    // Campaign and users.
    let mut tx = store.begin().await.unwrap();
    let campaign = directory::insert_campaign(
        &mut tx,
        &NewCampaign {
            name: "三散专项督察".into(),
            team_name: "省第三督察组".into(),
            start_date: "2019-11-25".into(),
            end_date: "2019-12-25".into(),
            hotlines: vec!["0393-12369".into()],
            postal_box: "A001".into(),
            hours_start: "08:00".into(),
            hours_end: "20:00".into(),
            round_no: 3,
            province_letters: "HA".into(),
            regions: vec!["410928".into()],
            team_unit_id: team,
            city_unit_id: city,
            settings: serde_json::json!({}),
            created_at: 1,
        },
    )
    .await
    .unwrap();
    let user = directory::insert_user(
        &mut tx,
        &NewUser {
            username: "liutun".into(),
            display_name: "柳屯镇经办人".into(),
            password_hash: "x".into(),
            unit_id: town,
            role: "handler".into(),
            created_at: 1,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(directory::current_campaign(&store, "9999-12-31").await.unwrap().unwrap().id, campaign);
    // A campaign created ahead of its period takes over only when it starts; the running one stays
    // current until then, and before any has started the newest is.
    let mut tx = store.begin().await.unwrap();
    let next = directory::insert_campaign(
        &mut tx,
        &NewCampaign {
            name: "第二轮督察".into(),
            start_date: "2020-05-10".into(),
            end_date: "2020-06-10".into(),
            round_no: 4,
            created_at: 2,
            ..directory::NewCampaign {
                name: String::new(),
                team_name: "省第三督察组".into(),
                start_date: String::new(),
                end_date: String::new(),
                hotlines: vec!["0393-12369".into()],
                postal_box: "A001".into(),
                hours_start: "08:00".into(),
                hours_end: "20:00".into(),
                round_no: 0,
                province_letters: "HA".into(),
                regions: vec!["410928".into()],
                team_unit_id: team,
                city_unit_id: city,
                settings: serde_json::json!({}),
                created_at: 0,
            }
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let current = |d: &'static str| {
        let store = store.clone();
        async move { directory::current_campaign(&store, d).await.unwrap().unwrap().id }
    };
    assert_eq!(current("2019-12-01").await, campaign, "the running campaign while the next has not started");
    assert_eq!(current("2020-05-09").await, campaign, "the day before the next starts");
    assert_eq!(current("2020-05-10").await, next, "the next from its first day");
    assert_eq!(current("2019-01-01").await, next, "before any has started: the newest");
    assert_eq!(directory::user_by_name(&store, "liutun").await.unwrap().unwrap().id, user);

    // Accept-number serials are per day and strictly increasing.
    let mut serials = Vec::new();
    for _ in 0..3 {
        let mut tx = store.begin().await.unwrap();
        serials.push(cases::next_accept_serial(&mut tx, campaign, "20191126").await.unwrap());
        tx.commit().await.unwrap();
    }
    assert_eq!(serials, vec![1, 2, 3]);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(cases::next_accept_serial(&mut tx, campaign, "20191127").await.unwrap(), 1);
    tx.rollback().await.unwrap();

    // A case with an encrypted identity and an audit record, in one transaction.
    let key = KeyMaterial::generate();
    let cipher = IdentityCipher::new(&key, &[]).unwrap();
    assert!(crypto::check_keys(&store, Some(&cipher), 5).await.unwrap());
    let mut tx = store.begin().await.unwrap();
    let new = NewCase {
        campaign_id: campaign,
        accept_no: "D3HA201911260001".into(),
        channel: "phone".into(),
        received_at: 100,
        original_text: "我叫张三，柳屯镇某厂夜里排黑烟".into(),
        redacted_text: "我叫某某，柳屯镇某厂夜里排黑烟".into(),
        county_code: Some("410928".into()),
        township_code: Some("410928101".into()),
        village_code: None,
        pollution_types: "大气".into(),
        sansan: None,
        triage: "{}".into(),
        dup_of: None,
        stage: "received".into(),
        county_unit_id: None,
        created_by: Some(user),
        now: 100,
        dup_doc: None,
    };
    let case_id = cases::insert_case(&mut tx, &new).await.unwrap();
    let who = ComplainantIdentity {
        name: Some("张三".into()),
        phone: Some("13803930123".into()),
        address: None,
        id_number: None,
        ..Default::default()
    };
    cases::put_identity(&mut tx, &cipher, case_id, &who).await.unwrap();
    audit::append(&mut tx, &entry("case.intake", case_id)).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(cases::identity(&store, &cipher, case_id).await.unwrap(), Some(who));
    let raw: Vec<u8> = sqlx::query_scalar("SELECT ciphertext FROM complainant_identities WHERE case_id = $1")
        .bind(case_id)
        .fetch_one(store.reader())
        .await
        .unwrap();
    assert!(!raw.windows("13803930123".len()).any(|w| w == b"13803930123"), "phone is not stored in clear");

    // The same accept number again is a conflict, and the failed transaction leaves nothing behind.
    let mut tx = store.begin().await.unwrap();
    let again = cases::insert_case(&mut tx, &new).await;
    assert!(matches!(again, Err(StoreError::Conflict { code: "accept_no_taken", .. })), "{again:?}");
    tx.rollback().await.unwrap();
    assert_eq!(cases::count_cases(&store).await.unwrap(), 1);

    // A wrong key, or no key, on a database with encrypted data is a clear start-up error.
    let wrong = IdentityCipher::new(&KeyMaterial::generate(), &[]).unwrap();
    let e = crypto::check_keys(&store, Some(&wrong), 6).await.unwrap_err();
    assert!(e.to_string().contains("不符"), "{e}");
    let e = crypto::check_keys(&store, None, 6).await.unwrap_err();
    assert!(e.to_string().contains("DUCHA_SM4_KEY"), "{e}");
    assert!(crypto::check_keys(&store, Some(&cipher), 7).await.unwrap(), "the right key still opens");

    // Assignment and scoped visibility.
    let mut tx = store.begin().await.unwrap();
    let case = cases::get_for_update(&mut tx, case_id).await.unwrap().unwrap();
    cases::update(
        &mut tx,
        case_id,
        case.version,
        &CasePatch {
            stage: Some("dispatched_handler".into()),
            county_unit_id: Some(Some(county)),
            handler_unit_id: Some(Some(town)),
            ..CasePatch::default()
        },
        200,
    )
    .await
    .unwrap();
    cases::insert_assignment(
        &mut tx,
        &NewAssignment {
            case_id,
            unit_id: town,
            level: "township".into(),
            parent_id: None,
            is_lead: true,
            created_at: 200,
            delivered_at: Some(200),
            due_at: Some(900),
            override_reason: None,
            created_by: None,
            deferred: false,
        },
    )
    .await
    .unwrap();
    audit::append(&mut tx, &entry("case.transition", case_id)).await.unwrap();
    tx.commit().await.unwrap();
    let f = CaseFilter { limit: 50, ..CaseFilter::default() };
    assert_eq!(cases::list(&store, Scope::All, &f).await.unwrap().1, 1);
    assert_eq!(cases::list(&store, Scope::County(county), &f).await.unwrap().1, 1);
    assert_eq!(cases::list(&store, Scope::Handler(town), &f).await.unwrap().1, 1);
    assert_eq!(cases::list(&store, Scope::Handler(other_town), &f).await.unwrap().1, 0);
    assert!(!cases::in_scope(&store, Scope::Handler(other_town), case_id).await.unwrap());
    let by_text = CaseFilter { text: Some("排黑烟".into()), limit: 50, ..CaseFilter::default() };
    assert_eq!(cases::list(&store, Scope::All, &by_text).await.unwrap().1, 1);
    let by_pct = CaseFilter { text: Some("100%".into()), limit: 50, ..CaseFilter::default() };
    assert_eq!(cases::list(&store, Scope::All, &by_pct).await.unwrap().1, 0, "LIKE wildcards are escaped");
    let by_type = CaseFilter {
        pollution_type: Some("大气".into()),
        stages: vec!["dispatched_handler".into()],
        limit: 50,
        ..CaseFilter::default()
    };
    assert_eq!(cases::list(&store, Scope::All, &by_type).await.unwrap().1, 1);

    // Optimistic concurrency: a stale version is refused and changes nothing.
    let mut tx = store.begin().await.unwrap();
    let stale = cases::update(
        &mut tx,
        case_id,
        1,
        &CasePatch { stage: Some("closed".into()), ..CasePatch::default() },
        300,
    )
    .await;
    assert!(matches!(stale, Err(StoreError::Conflict { code: "stale_case", .. })));
    tx.rollback().await.unwrap();
    assert_eq!(cases::get(&store, case_id).await.unwrap().unwrap().stage.code(), "dispatched_handler");

    // The audit chain verifies, and names the record that was edited by hand.
    for i in 0..5 {
        let mut tx = store.begin().await.unwrap();
        audit::append(&mut tx, &entry("case.note", 1000 + i)).await.unwrap();
        tx.commit().await.unwrap();
    }
    let ok = audit::verify(&store).await.unwrap();
    assert_eq!((ok.checked, ok.broken.clone()), (7, None));
    assert_eq!(audit::for_entity(&store, "case", &case_id.to_string()).await.unwrap().len(), 2);
    sqlx::query("UPDATE audit_log SET detail = '{\"n\":0}' WHERE seq = 4")
        .execute(store.reader())
        .await
        .unwrap();
    let bad = audit::verify(&store).await.unwrap();
    assert_eq!(bad.broken.as_ref().map(|b| b.seq), Some(4), "{bad:?}");
    assert!(bad.broken.unwrap().reason.contains("第 4 条"));
}

async fn audit_tamper_kinds(backend: Backend) {
    // Removal in the middle, removal at the end, and reordering are each named.
    for kind in ["delete_middle", "delete_tail", "swap"] {
        let (store, _db) = testing::fresh(backend).await;
        for i in 1..=6 {
            let mut tx = store.begin().await.unwrap();
            audit::append(&mut tx, &entry("case.note", i)).await.unwrap();
            tx.commit().await.unwrap();
        }
        let w = store.reader();
        let expect = match kind {
            "delete_middle" => {
                sqlx::query("DELETE FROM audit_log WHERE seq = 3").execute(w).await.unwrap();
                3
            }
            "delete_tail" => {
                sqlx::query("DELETE FROM audit_log WHERE seq = 6").execute(w).await.unwrap();
                6
            }
            _ => {
                // Swap the contents of records 2 and 5 while keeping their sequence numbers.
                sqlx::query("UPDATE audit_log SET seq = 100 WHERE seq = 2").execute(w).await.unwrap();
                sqlx::query("UPDATE audit_log SET seq = 2 WHERE seq = 5").execute(w).await.unwrap();
                sqlx::query("UPDATE audit_log SET seq = 5 WHERE seq = 100").execute(w).await.unwrap();
                2
            }
        };
        let r = audit::verify(&store).await.unwrap();
        assert_eq!(r.broken.as_ref().map(|b| b.seq), Some(expect), "{kind}: {r:?}");
    }
}

async fn concurrent_serials(backend: Backend) {
    let (store, _db) = testing::fresh(backend).await;
    let team = unit(&store, "team", "team", None, None).await;
    let mut tx = store.begin().await.unwrap();
    let campaign = directory::insert_campaign(
        &mut tx,
        &NewCampaign {
            name: "x".into(),
            team_name: "x".into(),
            start_date: "2019-11-25".into(),
            end_date: "2019-12-25".into(),
            hotlines: vec!["1".into()],
            postal_box: "x".into(),
            hours_start: "08:00".into(),
            hours_end: "20:00".into(),
            round_no: 1,
            province_letters: "HA".into(),
            regions: vec![],
            team_unit_id: team,
            city_unit_id: team,
            settings: serde_json::json!({}),
            created_at: 1,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut handles = Vec::new();
    for _ in 0..16 {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            let mut got = Vec::new();
            for _ in 0..10 {
                let mut tx = store.begin().await.unwrap();
                got.push(cases::next_accept_serial(&mut tx, campaign, "20191126").await.unwrap());
                audit::append(&mut tx, &entry("serial", 0)).await.unwrap();
                tx.commit().await.unwrap();
            }
            got
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap());
    }
    all.sort_unstable();
    assert_eq!(all, (1..=160).collect::<Vec<i64>>(), "no serial twice, none skipped");
    let r = audit::verify(&store).await.unwrap();
    assert_eq!((r.checked, r.broken), (160, None), "the chain stays linear under concurrency");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn store_story_all_backends() {
    for b in testing::backends() {
        story(b).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn audit_tampering_all_backends() {
    for b in testing::backends() {
        audit_tamper_kinds(b).await;
    }
}

/// What group commit writes in one statement each — accept-number ranges, cases, sealed identities,
/// audit records — gives the same rows, in the order asked, as writing them one at a time would.
async fn group_writes(backend: Backend) {
    let (store, _db) = testing::fresh(backend).await;
    let team = unit(&store, "team", "team", None, None).await;
    let mut tx = store.begin().await.unwrap();
    let campaign = directory::insert_campaign(
        &mut tx,
        &NewCampaign {
            name: "x".into(),
            team_name: "x".into(),
            start_date: "2019-11-25".into(),
            end_date: "2019-12-25".into(),
            hotlines: vec!["1".into()],
            postal_box: "x".into(),
            hours_start: "08:00".into(),
            hours_end: "20:00".into(),
            round_no: 1,
            province_letters: "HA".into(),
            regions: vec![],
            team_unit_id: team,
            city_unit_id: team,
            settings: serde_json::json!({}),
            created_at: 1,
        },
    )
    .await
    .unwrap();

    // Ranges per day: a new day starts at 1, a known day goes on from its counter.
    assert_eq!(
        cases::reserve_accept_serials(&mut tx, &[(campaign, "20191126", 3), (campaign, "20191127", 2)])
            .await
            .unwrap(),
        vec![1, 1]
    );
    assert_eq!(
        cases::reserve_accept_serials(&mut tx, &[(campaign, "20191127", 1), (campaign, "20191126", 2)])
            .await
            .unwrap(),
        vec![3, 4]
    );
    assert_eq!(cases::next_accept_serial(&mut tx, campaign, "20191126").await.unwrap(), 6);

    // 70 cases: more than one INSERT's worth, every third with an identity.
    let key = KeyMaterial::generate();
    let cipher = IdentityCipher::new(&key, &[]).unwrap();
    let new: Vec<NewCase> = (0..70i64)
        .map(|i| NewCase {
            campaign_id: campaign,
            accept_no: format!("D1HA20191126{:04}", 70 - i),
            channel: if i % 2 == 0 { "phone".into() } else { "web".into() },
            received_at: 1_000 + i,
            original_text: format!("第{i}件：某厂排黑烟"),
            redacted_text: format!("第{i}件：某厂排黑烟"),
            county_code: (i % 5 == 0).then(|| "410928".to_owned()),
            township_code: None,
            village_code: None,
            pollution_types: "大气".into(),
            sansan: None,
            triage: "{}".into(),
            dup_of: None,
            stage: "received".into(),
            county_unit_id: None,
            created_by: None,
            now: 2_000 + i,
            dup_doc: Some(format!("{{\"n\":{i}}}")),
        })
        .collect();
    let asked: Vec<(&NewCase, bool)> = new.iter().enumerate().map(|(i, c)| (c, i % 3 == 0)).collect();
    let rows = cases::insert_cases(&mut tx, &asked).await.unwrap();
    assert_eq!(rows.len(), 70);
    let who: Vec<ComplainantIdentity> = (0..70)
        .map(|i| ComplainantIdentity {
            name: Some(format!("举报人{i}")),
            phone: Some(format!("1380393{i:04}")),
            ..Default::default()
        })
        .collect();
    let sealed: Vec<(i64, &ComplainantIdentity)> =
        rows.iter().enumerate().filter(|(i, _)| i % 3 == 0).map(|(i, r)| (r.id, &who[i])).collect();
    cases::seal_identities(&mut tx, &cipher, &sealed).await.unwrap();
    let entries: Vec<AuditEntry> = rows.iter().map(|r| entry("case.intake", r.id)).collect();
    let seqs = audit::append_many(&mut tx, &entries).await.unwrap();
    tx.commit().await.unwrap();

    assert_eq!(seqs, (1..=70).collect::<Vec<i64>>(), "one record each, in order");
    for (i, (c, row)) in new.iter().zip(&rows).enumerate() {
        assert_eq!(row.accept_no, c.accept_no, "row {i} comes back in the order asked");
        assert_eq!(row.received_at, c.received_at);
        assert_eq!(row.has_identity, i64::from(i % 3 == 0));
        assert_eq!(&cases::get(&store, row.id).await.unwrap().unwrap(), row, "returned as stored");
        let stored = cases::identity(&store, &cipher, row.id).await.unwrap();
        assert_eq!(stored, (i % 3 == 0).then(|| who[i].clone()), "identity of row {i}");
    }
    let report = audit::verify(&store).await.unwrap();
    assert_eq!((report.checked, report.broken), (70, None));

    // One taken accept number fails the whole insert, and the rolled-back transaction keeps nothing.
    let mut tx = store.begin().await.unwrap();
    let clash = NewCase { accept_no: "D1HA201911260099".into(), ..new[0].clone() };
    let again = NewCase { accept_no: new[5].accept_no.clone(), ..new[0].clone() };
    let e = cases::insert_cases(&mut tx, &[(&clash, false), (&again, false)]).await;
    assert!(matches!(e, Err(StoreError::Conflict { code: "accept_no_taken", .. })), "{e:?}");
    tx.rollback().await.unwrap();
    assert_eq!(cases::count_cases(&store).await.unwrap(), 70);
}

#[tokio::test]
async fn group_writes_all_backends() {
    for b in testing::backends() {
        group_writes(b).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_intake_serials_all_backends() {
    for b in testing::backends() {
        concurrent_serials(b).await;
    }
}

/// Several instances find the same feed source due; each claims it at once, and exactly one wins.
/// A claim that is not followed by a poll leaves the source due again when its lease ends.
async fn feed_claims(backend: Backend) {
    use ducha_store::opinion::{self, NewSource};
    let (store, _db) = testing::fresh(backend).await;
    let mut tx = store.begin().await.unwrap();
    let id = opinion::insert_source(
        &mut tx,
        &NewSource {
            name: "源".into(),
            url: "http://127.0.0.1:9/feed.xml".into(),
            outlet: None,
            county_code: None,
            interval_secs: 600,
            created_by: None,
            now: 1_000,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    for round in 0..3i64 {
        let due = opinion::due_sources(&store, 5_000 + round * 100_000, 10).await.unwrap();
        assert_eq!(due.len(), 1, "round {round}: the source is due");
        let seen = due[0].next_poll_at;
        let lease = 5_000 + round * 100_000 + 60_000;
        let claims = (0..8).map(|_| opinion::claim_source(&store, id, seen, lease));
        let won =
            futures_util::future::join_all(claims).await.into_iter().filter(|r| *r.as_ref().unwrap()).count();
        assert_eq!(won, 1, "round {round}: one of eight concurrent claims wins");
        assert!(
            opinion::due_sources(&store, lease - 1, 10).await.unwrap().is_empty(),
            "round {round}: claimed, not due to anyone else until the lease ends"
        );
        assert!(!opinion::claim_source(&store, id, seen, lease + 1).await.unwrap(), "a stale claim loses");
    }
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn feed_poll_claimed_once_all_backends() {
    for b in testing::backends() {
        feed_claims(b).await;
    }
}

/// Two start-ups on one database take turns: the second waits until the first releases the lock
/// (or its holder disappears).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn startup_lock_serialises_instances() {
    for b in testing::backends() {
        let (store, _db) = testing::fresh(b).await;
        let first = store.startup_lock().await.unwrap();
        let other = store.clone();
        let mut second = tokio::spawn(async move { other.startup_lock().await.unwrap() });
        let waited = tokio::time::timeout(std::time::Duration::from_millis(300), &mut second).await;
        match b {
            Backend::Postgres => assert!(waited.is_err(), "the second start-up waits for the first"),
            Backend::Sqlite => assert!(waited.is_ok(), "SQLite: nothing to wait for"),
        }
        first.release().await.unwrap();
        let second = match waited {
            Ok(done) => done.unwrap(),
            Err(_) => {
                tokio::time::timeout(std::time::Duration::from_secs(10), second).await.unwrap().unwrap()
            }
        };
        // A holder that goes away without releasing does not keep the lock.
        drop(second);
        let third = tokio::time::timeout(std::time::Duration::from_secs(10), store.startup_lock()).await;
        third.expect("a dropped holder's lock is gone").unwrap().release().await.unwrap();
        store.close().await;
    }
}
