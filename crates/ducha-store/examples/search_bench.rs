//! Search benchmark: filtered full-text queries over a million generated cases, on SQLite or
//! PostgreSQL, through the store's own `cases::list` (one page of 30 plus the total count).
//!
//! ```text
//! cargo run --release -p ducha-store --example search_bench -- --db sqlite:///tmp/ducha-search.db --cases 1000000
//! cargo run --release -p ducha-store --example search_bench -- --db postgres://postgres@127.0.0.1:55432/ducha_bench
//! ```
//!
//! The database is filled once (bulk multi-row inserts carrying the same `search_tokens` the store
//! writes; texts from the triage crate's labelled generator, spread over 120 days, every county and
//! stage) and reused on later runs. Each query runs 7 times; the median and the worst are printed.

#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::disallowed_methods)]

use std::time::{Duration, Instant};

use ducha_store::cases::{self, CaseFilter, Scope};
use ducha_store::directory::{self, NewCampaign, NewUnit, RegionRow};
use ducha_store::search::{Facets, document_tokens};
use ducha_store::{Backend, Store, StoreOptions};
use ducha_triage::synth::{Synth, SynthConfig};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const STAGES: &[(&str, u32)] = &[
    ("received", 2),
    ("assigned", 3),
    ("dispatched_county", 4),
    ("dispatched_handler", 8),
    ("acknowledged", 6),
    ("investigating", 10),
    ("investigated", 5),
    ("rectifying", 12),
    ("awaiting_verification", 8),
    ("closed", 35),
    ("partly_closed", 5),
    ("duplicate", 2),
];
const DAYS: i64 = 120;
/// Stages at a township or department (the on-time/overdue chart counts them).
const OPEN: &[&str] = &["dispatched_handler", "acknowledged", "investigating", "investigated", "rectifying"];
/// 2023-09-01 00:00 Beijing time.
const START_MS: i64 = 1_693_497_600_000;

fn arg(name: &str) -> Option<String> {
    let mut it = std::env::args();
    while let Some(a) = it.next() {
        if a == name {
            return it.next();
        }
    }
    None
}

fn pick_stage(r: &mut StdRng) -> &'static str {
    let total: u32 = STAGES.iter().map(|s| s.1).sum();
    let mut x = r.random_range(0..total);
    for (s, w) in STAGES {
        if x < *w {
            return s;
        }
        x -= w;
    }
    "closed"
}

struct Gen {
    text: String,
    county: String,
    township: Option<String>,
    types: String,
}

async fn setup_directory(store: &Store) -> (i64, Vec<(String, i64)>) {
    if let Some(c) = directory::current_campaign(store, "9999-12-31").await.unwrap() {
        let units = directory::units(store)
            .await
            .unwrap()
            .into_iter()
            .filter(|u| u.level == ducha_domain::unit::UnitLevel::County)
            .filter_map(|u| Some((u.region_code?, u.id)))
            .collect();
        return (c.id, units);
    }
    let g = ducha_triage::Gazetteer::builtin();
    let mut regions = Vec::new();
    for c in g.counties().filter(|c| c.code.starts_with("4109")) {
        regions.push(RegionRow {
            code: c.code.clone(),
            name: c.name.clone(),
            short_name: c.name.clone(),
            level: ducha_domain::region::RegionLevel::County,
            parent_code: Some("4109".into()),
        });
    }
    for t in g.townships().filter(|t| t.code.starts_with("4109")) {
        regions.push(RegionRow {
            code: t.code.clone(),
            name: t.name.clone(),
            short_name: t.common.clone(),
            level: ducha_domain::region::RegionLevel::Township,
            parent_code: Some(t.parent.clone()),
        });
    }
    let mut tx = store.begin().await.unwrap();
    directory::upsert_regions(&mut tx, &regions).await.unwrap();
    let unit = |code: &str, level: &str, parent: Option<i64>, region: Option<String>| NewUnit {
        code: code.into(),
        name: code.into(),
        level: level.into(),
        dept_kind: None,
        parent_id: parent,
        region_code: region,
        contact_email: None,
        contact_webhook: None,
    };
    let team = directory::insert_unit(&mut tx, &unit("team", "team", None, None)).await.unwrap();
    let city = directory::insert_unit(&mut tx, &unit("city-4109", "city", Some(team), Some("4109".into())))
        .await
        .unwrap();
    let mut units = Vec::new();
    for r in regions.iter().filter(|r| r.level == ducha_domain::region::RegionLevel::County) {
        let id = directory::insert_unit(
            &mut tx,
            &unit(&format!("county-{}", r.code), "county", Some(city), Some(r.code.clone())),
        )
        .await
        .unwrap();
        units.push((r.code.clone(), id));
    }
    let campaign = directory::insert_campaign(
        &mut tx,
        &NewCampaign {
            name: "三散专项督察（基准数据）".into(),
            team_name: "省第三督察组".into(),
            start_date: "2023-09-01".into(),
            end_date: "2023-12-29".into(),
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
            created_at: START_MS,
        },
    )
    .await
    .unwrap();
    for d in 0..DAYS {
        let day = chrono::DateTime::from_timestamp_millis(START_MS + d * 86_400_000 + 8 * 3_600_000).unwrap();
        ducha_store::batches::create(
            &mut tx,
            campaign,
            &day.format("%Y-%m-%d").to_string(),
            START_MS,
            None,
            START_MS,
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    (campaign, units)
}

async fn load(store: &Store, campaign: i64, units: &[(String, i64)], n: i64) {
    let have = cases::count_cases(store).await.unwrap();
    if have >= n {
        println!("{have} cases already loaded");
        return;
    }
    let batch_ids: Vec<i64> =
        ducha_store::batches::list(store, campaign).await.unwrap().iter().map(|b| b.id).collect();
    // A pool of generated complaints, reused with their own places and types.
    let t0 = Instant::now();
    let pool: Vec<Gen> =
        Synth::builtin(SynthConfig { dup_rate: 0.25, pii_rate: 0.0, ..SynthConfig::default() })
            .take(60_000)
            .filter(|it| it.expected.county_code.starts_with("4109"))
            .map(|it| Gen {
                text: it.input.text,
                county: it.expected.county_code,
                township: it.expected.township_code,
                types: it.expected.pollution_types.iter().map(|t| t.label()).collect::<Vec<_>>().join(","),
            })
            .collect();
    println!("generated {} distinct complaints in {:.1?}", pool.len(), t0.elapsed());
    let mut rng = StdRng::seed_from_u64(2023);
    let per_day = (n + DAYS - 1) / DAYS;
    let t0 = Instant::now();
    let chunk = 400usize;
    let mut i = have;
    while i < n {
        let mut q = ducha_store::Q::new(
            "INSERT INTO cases (campaign_id, accept_no, channel, received_at, original_text, redacted_text, county_code, township_code, pollution_types, stage, batch_id, county_unit_id, updated_at, search_tokens, due_at) VALUES ",
        );
        let end = (i + chunk as i64).min(n);
        for k in i..end {
            let g = &pool[rng.random_range(0..pool.len())];
            let day = k / per_day;
            let serial = k % per_day + 1;
            let received = START_MS + day * 86_400_000 + 8 * 3_600_000 + rng.random_range(0..12 * 3_600_000);
            let date = chrono::DateTime::from_timestamp_millis(received + 8 * 3_600_000)
                .unwrap()
                .format("%Y%m%d")
                .to_string();
            let accept_no = format!("D3HA{date}{serial:04}");
            let stage = pick_stage(&mut rng);
            // Cases with a township or department have a due time, 5 to 20 days after receipt.
            let due = OPEN.contains(&stage).then(|| received + rng.random_range(5..=20) * 86_400_000);
            let batch = (stage != "received").then(|| batch_ids[day as usize % batch_ids.len()]);
            let unit = units.iter().find(|u| u.0 == g.county).map(|u| u.1);
            let tokens = document_tokens(
                &accept_no,
                &g.text,
                &Facets {
                    campaign_id: Some(campaign),
                    county_code: Some(&g.county),
                    township_code: g.township.as_deref(),
                    stage,
                    pollution_types: &g.types,
                    batch_id: batch,
                    county_unit_id: unit,
                },
            );
            if k > i {
                q.push(", ");
            }
            q.push("(").bind(campaign).push(", ").bind(accept_no).push(", 'phone', ").bind(received);
            q.push(", ")
                .bind(g.text.clone())
                .push(", ")
                .bind(g.text.clone())
                .push(", ")
                .bind(g.county.clone());
            q.push(", ").bind(g.township.clone()).push(", ").bind(g.types.clone()).push(", ").bind(stage);
            q.push(", ")
                .bind(batch)
                .push(", ")
                .bind(unit)
                .push(", ")
                .bind(received)
                .push(", ")
                .bind(tokens)
                .push(", ")
                .bind(due)
                .push(")");
        }
        let mut tx = store.begin().await.unwrap();
        q.query().unwrap().execute(tx.conn()).await.unwrap();
        tx.commit().await.unwrap();
        i = end;
        if i % 100_000 < chunk as i64 {
            println!("  {i} cases, {:.0?}", t0.elapsed());
        }
    }
    if store.backend() == Backend::Postgres {
        sqlx::query("ANALYZE").execute(store.reader()).await.unwrap();
    } else {
        sqlx::query("ANALYZE").execute(store.reader()).await.unwrap();
        sqlx::query("INSERT INTO cases_fts (cases_fts) VALUES ('optimize')")
            .execute(store.reader())
            .await
            .unwrap();
    }
    println!("loaded {} cases in {:.1?}", n - have, t0.elapsed());
}

async fn time(store: &Store, label: &str, f: CaseFilter) -> (Duration, Duration, i64) {
    let mut times = Vec::new();
    let mut total = 0;
    for _ in 0..7 {
        let t = Instant::now();
        let (rows, n) = cases::list(store, Scope::All, &f).await.unwrap();
        times.push(t.elapsed());
        total = n;
        assert!(rows.len() as i64 <= f.limit);
    }
    times.sort();
    let (median, worst) = (times[3], times[6]);
    println!("{label:<58} {total:>8} hits  median {:>7.1} ms  max {:>7.1} ms", ms(median), ms(worst));
    (median, worst, total)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let url = arg("--db").unwrap_or_else(|| "sqlite:///tmp/ducha-search.db".into());
    let n: i64 = arg("--cases").and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let store = Store::connect(
        &url,
        &StoreOptions { sqlite_synchronous: "NORMAL".into(), ..StoreOptions::default() },
    )
    .await
    .unwrap();
    store.migrate().await.unwrap();
    let (campaign, units) = setup_directory(&store).await;
    load(&store, campaign, &units, n).await;
    let base = CaseFilter { campaign_id: Some(campaign), limit: 30, ..CaseFilter::default() };
    let batches = ducha_store::batches::list(&store, campaign).await.unwrap();
    let day_ms = |d: i64| START_MS + d * 86_400_000;
    let some = cases::list(&store, Scope::All, &CaseFilter { limit: 1, offset: 4321, ..base.clone() })
        .await
        .unwrap()
        .0;
    let probe = some.first().cloned().unwrap();
    let open: Vec<String> =
        ["dispatched_handler", "acknowledged", "investigating", "investigated", "rectifying"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
    println!("backend {} · {} cases", store.backend().name(), cases::count_cases(&store).await.unwrap());
    let mut worst_filtered = Duration::ZERO;
    let queries: Vec<(&str, CaseFilter, bool)> = vec![
        ("q=废气 (no filter)", CaseFilter { text: Some("废气".into()), ..base.clone() }, false),
        (
            "q=废气 + county 410928",
            CaseFilter { text: Some("废气".into()), county_code: Some("410928".into()), ..base.clone() },
            true,
        ),
        (
            "q=塑料颗粒 + county + open stages",
            CaseFilter {
                text: Some("塑料颗粒".into()),
                county_code: Some("410928".into()),
                stages: open.clone(),
                ..base.clone()
            },
            true,
        ),
        (
            "q=黑烟 + type 大气 + stage closed",
            CaseFilter {
                text: Some("黑烟".into()),
                pollution_type: Some("大气".into()),
                stages: vec!["closed".into()],
                ..base.clone()
            },
            true,
        ),
        (
            "q=柳屯 + township 410928101 + 30 days",
            CaseFilter {
                text: Some("柳屯".into()),
                township_code: Some("410928101".into()),
                received_from: Some(day_ms(30)),
                received_to: Some(day_ms(60)),
                ..base.clone()
            },
            true,
        ),
        (
            "q=砖厂 粉尘 + batch 7",
            CaseFilter { text: Some("砖厂 粉尘".into()), batch_id: Some(batches[7].id), ..base.clone() },
            true,
        ),
        ("q=<accept no>", CaseFilter { text: Some(probe.accept_no.clone()), ..base.clone() }, true),
        (
            "q=<serial> + one day",
            CaseFilter {
                text: Some(probe.accept_no[probe.accept_no.len() - 4..].to_owned()),
                received_from: Some(day_ms(40)),
                received_to: Some(day_ms(41)),
                ..base.clone()
            },
            true,
        ),
        (
            "q=煤 (one character) + county 410922",
            CaseFilter { text: Some("煤".into()), county_code: Some("410922".into()), ..base.clone() },
            true,
        ),
        (
            "no text: county 410928 + stage rectifying",
            CaseFilter {
                county_code: Some("410928".into()),
                stages: vec!["rectifying".into()],
                ..base.clone()
            },
            false,
        ),
    ];
    for (label, f, filtered) in queries {
        let (_, worst, _) = time(&store, label, f).await;
        if filtered {
            worst_filtered = worst_filtered.max(worst);
        }
    }
    println!("worst filtered full-text query (max of 7 runs): {:.1} ms", ms(worst_filtered));

    // A page deep in a broad list, and a county office's own list.
    let unit = units.iter().find(|u| u.0 == "410928").map(|u| u.1).unwrap();
    time(
        &store,
        "q=废气, page 101 (offset 3000)",
        CaseFilter { text: Some("废气".into()), offset: 3000, ..base.clone() },
    )
    .await;
    let t = Instant::now();
    let (_, n) =
        cases::list(&store, Scope::County(unit), &CaseFilter { text: Some("废气".into()), ..base.clone() })
            .await
            .unwrap();
    println!("{:<58} {n:>8} hits  once    {:>7.1} ms", "q=废气 as county office 410928", ms(t.elapsed()));

    // The dashboard's figures (what `Workbench::dashboard_figures` asks the store) and the map's.
    let now = START_MS + DAYS * 86_400_000;
    let f = CaseFilter { campaign_id: Some(campaign), ..CaseFilter::default() };
    for (label, scope) in
        [("dashboard, whole campaign", Scope::All), ("dashboard, county office 410928", Scope::County(unit))]
    {
        let mut times = Vec::new();
        let mut cells = 0;
        for _ in 0..7 {
            let t = Instant::now();
            let a = cases::group_counts(&store, scope, &f, cases::GroupBy::County).await.unwrap();
            let b = cases::group_counts(&store, scope, &f, cases::GroupBy::Types).await.unwrap();
            let c = cases::daily_counts(&store, scope, &f).await.unwrap();
            let d = cases::open_due_by_county(&store, scope, campaign, now).await.unwrap();
            let e = cases::stage_counts(&store, scope, campaign).await.unwrap();
            let m = cases::group_counts(&store, scope, &f, cases::GroupBy::Township).await.unwrap();
            times.push(t.elapsed());
            cells = a.len() + b.len() + c.len() + d.len() + e.len() + m.len();
            let total: i64 = a.iter().map(|r| r.1).sum();
            assert!(total > 0);
        }
        times.sort();
        println!(
            "{label:<58} {cells:>8} cells median {:>7.1} ms  max {:>7.1} ms",
            ms(times[3]),
            ms(times[6])
        );
    }
    // The same figures by counting the cases (what the tallies replace), once.
    let t = Instant::now();
    for by in [cases::GroupBy::County, cases::GroupBy::Types, cases::GroupBy::Township] {
        cases::group_counts_scan(&store, Scope::All, &f, by).await.unwrap();
    }
    cases::daily_counts_scan(&store, Scope::All, &f).await.unwrap();
    println!(
        "{:<58} {:>8}       once    {:>7.1} ms",
        "same counts by scanning the cases",
        "",
        ms(t.elapsed())
    );
    let t = Instant::now();
    let d = cases::open_due_by_county(&store, Scope::All, campaign, now).await.unwrap();
    let open: i64 = d.iter().map(|r| r.1).sum();
    println!("{:<58} {open:>8} open  once    {:>7.1} ms", "open_due_by_county alone", ms(t.elapsed()));
}
