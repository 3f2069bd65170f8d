//! Full-text search over cases, on both backends: the index answers exactly what a substring scan
//! of the accept numbers and redacted texts answers, with every filter combined, and it follows
//! each write (stage changes, corrections, cases written before the index existed).

#![allow(clippy::unwrap_used)]

use ducha_store::cases::{self, CaseFilter, CasePatch, NewCase, Scope};
use ducha_store::directory::{self, NewCampaign, NewUnit, RegionRow};
use ducha_store::{Backend, Store, testing};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const PLACES: &[(&str, &str, &str)] = &[
    ("410928", "410928101", "柳屯镇"),
    ("410928", "410928102", "文留镇"),
    ("410922", "410922100", "城关镇"),
];
const SOURCES: &[&str] = &["化工厂", "塑料颗粒作坊", "砖厂", "烧烤摊", "养殖场", "洗车店", "搅拌站"];
const PROBLEMS: &[&str] =
    &["夜间排放刺鼻异味", "散煤燃烧冒黑烟", "污水直排河道", "噪声扰民", "渣土乱倒扬尘", "工厂异味"];
const TYPES: &[&str] = &["大气", "水", "噪声", "固废"];
const STAGES: &[&str] = &["received", "assigned", "dispatched_county", "closed", "partly_closed"];

#[derive(Debug, Clone)]
struct Doc {
    id: i64,
    accept_no: String,
    text: String,
    county: String,
    township: String,
    stage: String,
    types: String,
    batch: Option<i64>,
    county_unit: Option<i64>,
    received_at: i64,
}

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

async fn seed(store: &Store) -> (i64, i64, Vec<Doc>) {
    let mut tx = store.begin().await.unwrap();
    let mut regions = vec![
        RegionRow {
            code: "410928".into(),
            name: "濮阳县".into(),
            short_name: "濮阳县".into(),
            level: ducha_domain::region::RegionLevel::County,
            parent_code: Some("4109".into()),
        },
        RegionRow {
            code: "410922".into(),
            name: "清丰县".into(),
            short_name: "清丰县".into(),
            level: ducha_domain::region::RegionLevel::County,
            parent_code: Some("4109".into()),
        },
    ];
    for (c, t, name) in PLACES {
        regions.push(RegionRow {
            code: (*t).into(),
            name: (*name).into(),
            short_name: (*name).into(),
            level: ducha_domain::region::RegionLevel::Township,
            parent_code: Some((*c).into()),
        });
    }
    directory::upsert_regions(&mut tx, &regions).await.unwrap();
    tx.commit().await.unwrap();
    let team = unit(store, "team", "team", None, None).await;
    let city = unit(store, "city", "city", Some(team), Some("4109")).await;
    let py = unit(store, "c-410928", "county", Some(city), Some("410928")).await;
    let qf = unit(store, "c-410922", "county", Some(city), Some("410922")).await;
    let mut tx = store.begin().await.unwrap();
    let campaign = directory::insert_campaign(
        &mut tx,
        &NewCampaign {
            name: "三散专项督察".into(),
            team_name: "省第三督察组".into(),
            start_date: "2023-12-10".into(),
            end_date: "2024-01-10".into(),
            hotlines: vec!["0393-12369".into()],
            postal_box: "A001".into(),
            hours_start: "08:00".into(),
            hours_end: "20:00".into(),
            round_no: 3,
            province_letters: "HA".into(),
            regions: vec![],
            team_unit_id: team,
            city_unit_id: city,
            settings: serde_json::json!({}),
            created_at: 1,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut batch_ids = Vec::new();
    for n in 1..=2 {
        let mut tx = store.begin().await.unwrap();
        let b = ducha_store::batches::create(&mut tx, campaign, &format!("2023-12-1{n}"), 1, None, 2)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        batch_ids.push(b);
    }

    let mut rng = StdRng::seed_from_u64(8);
    let mut docs = Vec::new();
    for i in 0..240i64 {
        let (county, township, place) = PLACES[rng.random_range(0..PLACES.len())];
        let text = format!(
            "{}{}有家{}，{}。{}",
            place,
            ["北街村", "南关村", "东庄"][rng.random_range(0..3)],
            SOURCES[rng.random_range(0..SOURCES.len())],
            PROBLEMS[rng.random_range(0..PROBLEMS.len())],
            if rng.random_bool(0.3) { "PM2.5 超标" } else { "" }
        );
        let day = 12 + i % 4;
        let accept_no = format!("D3HA202312{day:02}{:04}", i + 1);
        let types = {
            let a = TYPES[rng.random_range(0..TYPES.len())];
            let b = TYPES[rng.random_range(0..TYPES.len())];
            if a == b { a.to_owned() } else { format!("{a},{b}") }
        };
        let county_unit = match county {
            "410928" => Some(py),
            _ => (i % 2 == 0).then_some(qf),
        };
        let received_at = 1_702_339_200_000 + i * 3_600_000;
        let mut tx = store.begin().await.unwrap();
        let id = cases::insert_case(
            &mut tx,
            &NewCase {
                campaign_id: campaign,
                accept_no: accept_no.clone(),
                channel: "phone".into(),
                received_at,
                original_text: text.clone(),
                redacted_text: text.clone(),
                county_code: Some(county.into()),
                township_code: Some(township.into()),
                village_code: None,
                pollution_types: types.clone(),
                sansan: None,
                triage: "{}".into(),
                dup_of: None,
                stage: "received".into(),
                county_unit_id: county_unit,
                created_by: None,
                now: received_at,
                dup_doc: None,
            },
        )
        .await
        .unwrap();
        // Move most cases on: a stage and (for some) a batch, through the ordinary update path.
        let stage = STAGES[rng.random_range(0..STAGES.len())];
        let batch = (stage != "received").then(|| batch_ids[(i % 2) as usize]);
        cases::update(
            &mut tx,
            id,
            1,
            &CasePatch { stage: Some(stage.into()), batch_id: Some(batch), ..CasePatch::default() },
            received_at,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        docs.push(Doc {
            id,
            accept_no,
            text,
            county: county.into(),
            township: township.into(),
            stage: stage.into(),
            types,
            batch,
            county_unit,
            received_at,
        });
    }
    (campaign, py, docs)
}

/// What a substring scan says (the semantics the index must reproduce for Han-character terms).
fn oracle(docs: &[Doc], scope: Scope, f: &CaseFilter) -> Vec<i64> {
    let mut hits: Vec<&Doc> = docs
        .iter()
        .filter(|d| match scope {
            Scope::County(u) => d.county_unit == Some(u),
            _ => true,
        })
        .filter(|d| f.stages.is_empty() || f.stages.contains(&d.stage))
        .filter(|d| f.county_code.as_deref().is_none_or(|c| c == d.county))
        .filter(|d| f.township_code.as_deref().is_none_or(|c| c == d.township))
        .filter(|d| f.pollution_type.as_deref().is_none_or(|t| d.types.split(',').any(|x| x == t)))
        .filter(|d| f.batch_id.is_none_or(|b| d.batch == Some(b)))
        .filter(|d| f.received_from.is_none_or(|t| d.received_at >= t))
        .filter(|d| {
            f.text.as_deref().is_none_or(|q| {
                q.split_whitespace().all(|t| {
                    d.accept_no.to_lowercase().contains(&t.to_lowercase())
                        || d.text.to_lowercase().contains(&t.to_lowercase())
                })
            })
        })
        .collect();
    hits.sort_by(|a, b| b.received_at.cmp(&a.received_at).then(b.id.cmp(&a.id)));
    hits.into_iter().map(|d| d.id).collect()
}

async fn check(store: &Store, docs: &[Doc], scope: Scope, f: CaseFilter) {
    let f = CaseFilter { limit: 500, ..f };
    let (rows, total) = cases::list(store, scope, &f).await.unwrap();
    let got: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let want = oracle(docs, scope, &f);
    assert_eq!(got, want, "{:?} {:?} on {:?}", f.text, f, store.backend());
    assert_eq!(total, want.len() as i64, "count {:?}", f.text);
    assert_eq!(cases::count(store, scope, &f).await.unwrap(), total);
    // The other plan (walking the time index newest-first) lists the same cases in the same order.
    let (walked, walked_total) = cases::list_planned(store, scope, &f, 0).await.unwrap();
    assert_eq!(walked.iter().map(|r| r.id).collect::<Vec<_>>(), want, "walked {f:?}");
    assert_eq!(walked_total, total);
    // A page deep inside the list, on both plans.
    if want.len() > 12 {
        let page = CaseFilter { limit: 5, offset: 7, ..f.clone() };
        for walk_from in [0, i64::MAX] {
            let (rows, n) = cases::list_planned(store, scope, &page, walk_from).await.unwrap();
            assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), want[7..12], "page {f:?}");
            assert_eq!(n, total);
        }
    }
}

/// The dashboards' counts from the tallies (kept by triggers) equal counting the cases.
async fn tallies_match(store: &Store, campaign: i64, py: i64, mid: i64) {
    use ducha_store::cases::GroupBy;
    let all = CaseFilter { campaign_id: Some(campaign), ..CaseFilter::default() };
    let filters = [
        all.clone(),
        CaseFilter { county_code: Some("410928".into()), ..all.clone() },
        CaseFilter { township_code: Some("410928102".into()), ..all.clone() },
        CaseFilter { stages: vec!["closed".into(), "assigned".into()], ..all.clone() },
        CaseFilter { pollution_type: Some("大气".into()), ..all.clone() },
    ];
    let mut compared = 0;
    for scope in [Scope::All, Scope::County(py)] {
        for f in &filters {
            for by in [GroupBy::County, GroupBy::Township, GroupBy::Stage, GroupBy::Types] {
                let tally = cases::group_counts(store, scope, f, by).await.unwrap();
                let scan = cases::group_counts_scan(store, scope, f, by).await.unwrap();
                assert_eq!(tally, scan, "{by:?} {f:?} {scope:?} on {:?}", store.backend());
                compared += scan.len();
            }
            let tally = cases::daily_counts(store, scope, f).await.unwrap();
            assert_eq!(tally, cases::daily_counts_scan(store, scope, f).await.unwrap(), "days {f:?}");
        }
    }
    assert!(compared > 20, "the seed spreads over groups");
    for scope in [Scope::All, Scope::County(py)] {
        for now in [0, mid, mid + 7 * 86_400_000, i64::MAX] {
            let tally = cases::open_due_by_county(store, scope, campaign, now).await.unwrap();
            let scan = cases::open_due_by_county_scan(store, scope, campaign, now).await.unwrap();
            assert_eq!(tally, scan, "open/overdue at {now} {scope:?}");
        }
    }
    let stages = cases::stage_counts(store, Scope::All, campaign).await.unwrap();
    let scan = cases::group_counts_scan(store, Scope::All, &all, GroupBy::Stage).await.unwrap();
    assert_eq!(stages, scan.into_iter().map(|(s, n)| (s.unwrap_or_default(), n)).collect::<Vec<_>>());
}

async fn story(backend: Backend) {
    let (store, _db) = testing::fresh(backend).await;
    let (campaign, py, docs) = seed(&store).await;
    let mid = docs[docs.len() / 2].received_at;
    tallies_match(&store, campaign, py, mid).await;
    let text =
        |q: &str| CaseFilter { campaign_id: Some(campaign), text: Some(q.into()), ..CaseFilter::default() };

    // Han terms of one, two and more characters, several terms, with and without filters.
    for q in
        ["煤", "异味", "化工厂", "刺鼻异味", "工厂异味", "柳屯镇 异味", "颗粒作坊 黑烟", "南关村砖厂", "厂异"]
    {
        check(&store, &docs, Scope::All, text(q)).await;
        let n = oracle(&docs, Scope::All, &text(q)).len();
        assert!(n > 0 || q == "南关村砖厂", "the query {q} should find something in the seed");
        for f in [
            CaseFilter { county_code: Some("410928".into()), ..text(q) },
            CaseFilter { township_code: Some("410928102".into()), ..text(q) },
            CaseFilter { stages: vec!["closed".into(), "partly_closed".into()], ..text(q) },
            CaseFilter { pollution_type: Some("大气".into()), ..text(q) },
            CaseFilter { batch_id: docs.iter().find_map(|d| d.batch), ..text(q) },
            CaseFilter { received_from: Some(docs[100].received_at), ..text(q) },
            CaseFilter {
                county_code: Some("410922".into()),
                stages: vec!["assigned".into()],
                pollution_type: Some("噪声".into()),
                ..text(q)
            },
        ] {
            check(&store, &docs, Scope::All, f).await;
        }
        check(&store, &docs, Scope::County(py), text(q)).await;
    }
    // Filters without text: on SQLite the index's facet tokens count them (exact totals) and pick
    // the plan; the oracle decides.
    let all = CaseFilter { campaign_id: Some(campaign), ..CaseFilter::default() };
    let batch = docs.iter().find_map(|d| d.batch);
    for f in [
        all.clone(),
        CaseFilter { county_code: Some("410928".into()), ..all.clone() },
        CaseFilter { township_code: Some("410922100".into()), ..all.clone() },
        CaseFilter { stages: vec!["closed".into(), "received".into()], ..all.clone() },
        CaseFilter { pollution_type: Some("水".into()), county_code: Some("410928".into()), ..all.clone() },
        CaseFilter { batch_id: batch, ..all.clone() },
        CaseFilter {
            stages: vec!["assigned".into()],
            received_from: Some(docs[200].received_at),
            ..all.clone()
        },
        CaseFilter { county_code: Some("410922".into()), ..CaseFilter::default() },
        CaseFilter { county_code: Some("999999".into()), ..all.clone() },
        // A value no facet token can carry is left out of the index: the total must still be exact.
        CaseFilter { county_code: Some("410928".into()), township_code: Some(">@x".into()), ..all.clone() },
        CaseFilter { stages: vec!["closed".into(), "a\"b".into()], ..all.clone() },
    ] {
        check(&store, &docs, Scope::All, f.clone()).await;
        check(&store, &docs, Scope::County(py), f).await;
    }
    // Another campaign's filter finds nothing of this one.
    let other = CaseFilter { campaign_id: Some(campaign + 1000), ..text("异味") };
    assert_eq!(cases::list(&store, Scope::All, &other).await.unwrap().1, 0);
    assert_eq!(
        cases::list(&store, Scope::All, &CaseFilter { county_code: Some("410928".into()), ..other })
            .await
            .unwrap()
            .1,
        0
    );

    // "工厂异味" must not match "化工厂，夜间排放刺鼻异味" (bigrams 工厂 and 异味 both present, but not
    // adjacent): the substring check decides.
    let split = docs.iter().filter(|d| d.text.contains("化工厂") && d.text.contains("刺鼻异味")).count();
    assert!(split > 0, "the seed has the trap");
    let (rows, _) =
        cases::list(&store, Scope::All, &CaseFilter { limit: 500, ..text("工厂异味") }).await.unwrap();
    assert!(rows.iter().all(|r| r.redacted_text.contains("工厂异味")));

    // Accept numbers: the whole number, a prefix, the date+serial and the serial read out by a caller.
    let d = &docs[57];
    for q in [
        d.accept_no.clone(),
        d.accept_no[..10].to_owned(),
        d.accept_no[4..].to_owned(),
        d.accept_no[12..].to_owned(),
    ] {
        let (rows, total) =
            cases::list(&store, Scope::All, &CaseFilter { limit: 500, ..text(&q) }).await.unwrap();
        assert!(rows.iter().any(|r| r.id == d.id), "{q} finds {}", d.accept_no);
        assert!(rows.iter().all(|r| r.accept_no.to_lowercase().contains(&q.to_lowercase())), "{q}");
        assert_eq!(total, oracle(&docs, Scope::All, &text(&q)).len() as i64, "{q}");
    }
    // Lower case and ASCII words in the text.
    check(&store, &docs, Scope::All, text(&d.accept_no.to_lowercase())).await;
    check(&store, &docs, Scope::All, text("pm2")).await;
    // Punctuation only: no index tokens, the plain substring path.
    check(&store, &docs, Scope::All, text("，")).await;
    // Filter values from a request that are no code or label (quotes, punctuation — found by the
    // API sweep as a 500: FTS5 took `zzt>@x` for a phrase, a quote broke the tsquery) answer like
    // any other filter: nothing matches, no error.
    for bad in ["4109>28@x", "x\"y", "x'y", "a\\b", "\u{8e}@\u{8f}", "1 OR 2"] {
        check(&store, &docs, Scope::All, CaseFilter { township_code: Some(bad.into()), ..text("异味") })
            .await;
        check(&store, &docs, Scope::All, CaseFilter { county_code: Some(bad.into()), ..text("煤") }).await;
        check(&store, &docs, Scope::All, CaseFilter { pollution_type: Some(bad.into()), ..text("异味") })
            .await;
        check(
            &store,
            &docs,
            Scope::All,
            CaseFilter { stages: vec!["closed".into(), bad.into()], ..text("异味") },
        )
        .await;
    }

    // The index follows a stage change.
    let target = docs.iter().find(|d| d.stage == "received" && d.text.contains("异味")).unwrap().clone();
    let only = |stage: &str| CaseFilter { stages: vec![stage.into()], limit: 500, ..text("异味") };
    let ids = |v: Vec<ducha_store::cases::CaseRow>| v.into_iter().map(|r| r.id).collect::<Vec<_>>();
    assert!(ids(cases::list(&store, Scope::All, &only("received")).await.unwrap().0).contains(&target.id));
    let mut tx = store.begin().await.unwrap();
    let row = cases::get_for_update(&mut tx, target.id).await.unwrap().unwrap();
    cases::update(
        &mut tx,
        target.id,
        row.version,
        &CasePatch { stage: Some("dispatched_handler".into()), ..CasePatch::default() },
        1,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(!ids(cases::list(&store, Scope::All, &only("received")).await.unwrap().0).contains(&target.id));
    assert!(
        ids(cases::list(&store, Scope::All, &only("dispatched_handler")).await.unwrap().0)
            .contains(&target.id)
    );

    // ... and a corrected text.
    let mut tx = store.begin().await.unwrap();
    let row = cases::get_for_update(&mut tx, target.id).await.unwrap().unwrap();
    cases::update(
        &mut tx,
        target.id,
        row.version,
        &CasePatch {
            redacted_text: Some("更正后：某木材加工点锯末扬尘".into()), ..CasePatch::default()
        },
        2,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (rows, _) =
        cases::list(&store, Scope::All, &CaseFilter { limit: 500, ..text("锯末") }).await.unwrap();
    assert_eq!(ids(rows), vec![target.id]);
    assert!(
        !ids(cases::list(&store, Scope::All, &only("dispatched_handler")).await.unwrap().0)
            .contains(&target.id)
    );

    // Cases written before the index existed (empty tokens) are filled in by the backfill.
    sqlx::query("UPDATE cases SET search_tokens = ''").execute(store.reader()).await.unwrap();
    let (rows, _) =
        cases::list(&store, Scope::All, &CaseFilter { limit: 500, ..text("异味") }).await.unwrap();
    assert!(rows.is_empty(), "with no tokens the index finds nothing");
    let n = ducha_store::search::backfill(&store).await.unwrap();
    assert_eq!(n, docs.len() as u64);
    let mut docs2 = docs.clone();
    for d in docs2.iter_mut().filter(|d| d.id == target.id) {
        d.text = "更正后：某木材加工点锯末扬尘".into();
        d.stage = "dispatched_handler".into();
    }
    check(&store, &docs2, Scope::All, text("异味")).await;
    check(&store, &docs2, Scope::All, CaseFilter { county_code: Some("410928".into()), ..text("烟") }).await;
    assert_eq!(ducha_store::search::backfill(&store).await.unwrap(), 0, "nothing left to fill");

    // The tallies follow every kind of change to the keyed columns (stage, region, types, county
    // office, received time), and a deleted case.
    let mut rng = StdRng::seed_from_u64(9);
    for d in docs.iter().step_by(7) {
        let mut tx = store.begin().await.unwrap();
        let row = cases::get_for_update(&mut tx, d.id).await.unwrap().unwrap();
        let (county, township, _) = PLACES[rng.random_range(0..PLACES.len())];
        let patch = CasePatch {
            stage: Some(STAGES[rng.random_range(0..STAGES.len())].into()),
            county_code: rng.random_bool(0.3).then(|| Some(county.to_owned())),
            township_code: rng.random_bool(0.3).then(|| rng.random_bool(0.8).then(|| township.to_owned())),
            pollution_types: rng.random_bool(0.3).then(|| TYPES[rng.random_range(0..TYPES.len())].to_owned()),
            county_unit_id: rng.random_bool(0.2).then(|| rng.random_bool(0.5).then_some(py)),
            due_at: rng
                .random_bool(0.6)
                .then(|| rng.random_bool(0.9).then(|| d.received_at + rng.random_range(1..20) * 86_400_000)),
            ..CasePatch::default()
        };
        cases::update(&mut tx, d.id, row.version, &patch, 3).await.unwrap();
        tx.commit().await.unwrap();
    }
    sqlx::query("UPDATE cases SET received_at = received_at - 86400000 WHERE id % 5 = 0")
        .execute(store.reader())
        .await
        .unwrap();
    sqlx::query(
        "DELETE FROM cases WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM assignments WHERE case_id = $1)",
    )
    .bind(docs[3].id)
    .execute(store.reader())
    .await
    .unwrap();
    tallies_match(&store, campaign, py, mid).await;
    let open = cases::open_due_by_county(&store, Scope::All, campaign, mid + 7 * 86_400_000).await.unwrap();
    assert!(open.iter().any(|r| r.2 > 0) && open.iter().any(|r| r.1 > r.2), "{open:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_story_all_backends() {
    for b in testing::backends() {
        story(b).await;
    }
}
