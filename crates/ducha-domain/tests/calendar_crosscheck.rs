//! R5.3: the built-in holiday data (`data/holidays/*.csv`, transcribed from the State Council notices)
//! against an independently published copy (NateScarlet/holiday-cn, see `fixtures/holiday-cn/README.md`),
//! every date of 2019–2026.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use ducha_domain::calendar::{
    BUILTIN_DAYS_CSV, BUILTIN_NOTICES_CSV, DayKind, MissingYearPolicy, WorkCalendar, WorkingTimeConfig,
};
use serde::Deserialize;

const PUBLISHED: [(i32, &str); 8] = [
    (2019, include_str!("fixtures/holiday-cn/2019.json")),
    (2020, include_str!("fixtures/holiday-cn/2020.json")),
    (2021, include_str!("fixtures/holiday-cn/2021.json")),
    (2022, include_str!("fixtures/holiday-cn/2022.json")),
    (2023, include_str!("fixtures/holiday-cn/2023.json")),
    (2024, include_str!("fixtures/holiday-cn/2024.json")),
    (2025, include_str!("fixtures/holiday-cn/2025.json")),
    (2026, include_str!("fixtures/holiday-cn/2026.json")),
];

#[derive(Deserialize)]
struct PublishedYear {
    year: i32,
    papers: Vec<String>,
    days: Vec<PublishedDay>,
}

#[derive(Deserialize)]
struct PublishedDay {
    name: String,
    date: NaiveDate,
    #[serde(rename = "isOffDay")]
    is_off_day: bool,
}

fn published() -> (BTreeMap<NaiveDate, (String, bool)>, BTreeMap<i32, Vec<String>>) {
    let mut days = BTreeMap::new();
    let mut papers = BTreeMap::new();
    for (year, text) in PUBLISHED {
        let y: PublishedYear = serde_json::from_str(text).unwrap();
        assert_eq!(y.year, year);
        papers.insert(year, y.papers);
        for d in y.days {
            let entry = (d.name, d.is_off_day);
            if let Some(old) = days.insert(d.date, entry.clone()) {
                assert_eq!(old, entry, "the published files disagree on {}", d.date);
            }
        }
    }
    (days, papers)
}

/// What the published copy says `date` is, in our terms. A weekday listed as worked is an ordinary workday.
fn published_kind(listed: Option<&(String, bool)>, date: NaiveDate) -> DayKind {
    let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
    match listed {
        Some((name, true)) => DayKind::Holiday { name: name.clone() },
        Some((name, false)) if weekend => DayKind::MakeupWorkday { name: name.clone() },
        Some((_, false)) => DayKind::Workday,
        None if weekend => DayKind::Weekend,
        None => DayKind::Workday,
    }
}

/// Every disagreement between `cal` and the published copy: each date of 2019–2026 (the late-December rule
/// turned off so that 2026-12-29..31 can be compared), and each listed date outside those years
/// (2018-12-29..31, written by the 2019 notice) by the rows alone.
fn mismatches(cal: WorkCalendar) -> Vec<String> {
    let (days, _) = published();
    let cfg = WorkingTimeConfig {
        late_december_needs_next_year: false,
        missing_year: MissingYearPolicy::WeekendsOnly,
        ..Default::default()
    };
    let cal = cal.with_config(cfg).unwrap();
    let mut out = Vec::new();
    let first = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    for date in first.iter_days().take_while(|d| *d <= last) {
        let want = published_kind(days.get(&date), date);
        match cal.day_kind(date) {
            Ok(got) if got == want => {}
            other => out.push(format!("{date}: ours {other:?}, published {want:?}")),
        }
    }
    for (date, listed) in days.range(..first) {
        let want = published_kind(Some(listed), *date);
        let got = cal.resolve(*date).unwrap().kind;
        if got != want {
            out.push(format!("{date}: ours {got:?}, published {want:?}"));
        }
    }
    out
}

#[test]
fn r5_3_crosscheck_every_date_2019_to_2026_against_holiday_cn() {
    let bad = mismatches(WorkCalendar::builtin().unwrap());
    assert!(bad.is_empty(), "{} dates disagree:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn r5_3_crosscheck_has_teeth() {
    // Drop the 2020 extension notice's row: 1月31日–2月2日 go back to the original notice, three dates differ.
    let without_extension: String = BUILTIN_DAYS_CSV
        .lines()
        .filter(|l| !l.starts_with("2020-01-31,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let bad = mismatches(WorkCalendar::from_csv(BUILTIN_NOTICES_CSV, &without_extension).unwrap());
    assert_eq!(bad.len(), 3, "{bad:#?}");
    assert!(bad.iter().any(|m| m.starts_with("2020-02-01")));
    // A wrong holiday name is caught too.
    let renamed = BUILTIN_DAYS_CSV
        .replace("2023-09-29,2023-10-06,holiday,中秋节、国庆节", "2023-09-29,2023-10-06,holiday,国庆节");
    assert_eq!(mismatches(WorkCalendar::from_csv(BUILTIN_NOTICES_CSV, &renamed).unwrap()).len(), 8);
}

#[test]
fn r5_3_notices_are_the_papers_the_published_copy_cites() {
    let (_, papers) = published();
    let cal = WorkCalendar::builtin().unwrap();
    let id = |url: &str| url.rsplit('/').next().unwrap_or_default().to_string();
    for (year, urls) in papers {
        let mut theirs: Vec<String> = urls.iter().map(|u| id(u)).collect();
        let mut ours: Vec<String> =
            cal.notices().iter().filter(|n| n.year == year).map(|n| id(&n.url)).collect();
        theirs.sort();
        ours.sort();
        assert_eq!(ours, theirs, "{year}");
    }
}

#[test]
fn r5_3_makeup_workday_counts_per_year_match_the_notices() {
    let cal = WorkCalendar::builtin()
        .unwrap()
        .with_config(WorkingTimeConfig { late_december_needs_next_year: false, ..Default::default() })
        .unwrap();
    let mut makeup = BTreeMap::new();
    for (year, _) in PUBLISHED {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let n = first
            .iter_days()
            .take_while(|d| d.year() == year)
            .filter(|d| matches!(cal.day_kind(*d).unwrap(), DayKind::MakeupWorkday { .. }))
            .count();
        makeup.insert(year, n);
    }
    // Counted by hand from the notices' "X月X日（星期六）上班" sentences, per calendar year (2019 includes the
    // two days the 劳动节 amendment added; 2020 excludes 2月1日, which the extension made a holiday).
    let want: BTreeMap<i32, usize> =
        [(2019, 6), (2020, 6), (2021, 7), (2022, 7), (2023, 7), (2024, 8), (2025, 5), (2026, 6)].into();
    assert_eq!(makeup, want);
}
