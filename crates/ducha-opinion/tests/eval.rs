//! The labelled set `crates/ducha-app/eval/opinion.jsonl` (119 items, rules in its README): severity,
//! sentiment, place, signals, enterprises, de-duplication and case matching, each held to a stated bar.
//! Run with `--nocapture` to see every figure and each miss.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::collections::HashMap;
use std::sync::OnceLock;

use ducha_opinion::analyze::{Analysis, Analyzer, Context};
use ducha_opinion::fingerprint::DupIndex;
use ducha_opinion::matching::{CaseIndex, CaseRef};
use ducha_opinion::record::{RawItem, parse_time};
use ducha_opinion::{Level, SentimentLabel};
use serde_json::Value;

const ITEMS: &str = include_str!("../../ducha-app/eval/opinion.jsonl");
const COMPLAINTS: &str = include_str!("../../ducha-triage/eval/complaints.jsonl");

struct Case {
    id: String,
    raw: RawItem,
    exp: Value,
}

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(Analyzer::builtin)
}

fn items() -> Vec<Case> {
    ITEMS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().filter(|x| !x.is_empty()).map(str::to_owned);
            let n = |k: &str| v["reach"][k].as_i64().unwrap_or(0);
            let raw = RawItem {
                external_id: s("id"),
                url: s("url"),
                title: s("title"),
                text: s("text").unwrap(),
                author: None,
                outlet: None,
                platform: s("source"),
                published_at: s("published_at").and_then(|t| parse_time(&t)),
                reposts: n("reposts"),
                comments: n("comments"),
                likes: n("likes"),
                views: 0,
                followers: n("followers"),
            }
            .validated()
            .unwrap();
            Case { id: s("id").unwrap(), raw, exp: v["expected"].clone() }
        })
        .collect()
}

fn analysed() -> &'static Vec<(Case, Analysis)> {
    static A: OnceLock<Vec<(Case, Analysis)>> = OnceLock::new();
    A.get_or_init(|| {
        items()
            .into_iter()
            .map(|c| {
                let a = analyzer().analyze(&c.raw, &Context::default());
                (c, a)
            })
            .collect()
    })
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 { 100.0 } else { n as f64 * 100.0 / d as f64 }
}

#[test]
fn r3_eval_set_is_complete() {
    assert!(analysed().len() >= 100, "at least 100 labelled items");
}

#[test]
fn r3_severity_on_the_labelled_set() {
    let all = analysed();
    let (mut exact, mut within, mut crit, mut crit_hit) = (0, 0, 0, 0);
    let mut confusion: HashMap<(String, String), usize> = HashMap::new();
    for (c, a) in all {
        let want = Level::parse(c.exp["severity"].as_str().unwrap()).unwrap();
        let got = a.assessment.level;
        *confusion.entry((want.code().into(), got.code().into())).or_default() += 1;
        exact += usize::from(got == want);
        within += usize::from((got.rank() - want.rank()).abs() <= 1);
        if want == Level::Critical {
            crit += 1;
            crit_hit += usize::from(got == Level::Critical);
        }
        if got != want {
            println!(
                "severity {} want {} got {} ({:?}): {}",
                c.id,
                want.code(),
                got.code(),
                a.assessment.rule,
                a.text.chars().take(50).collect::<String>()
            );
        }
    }
    let n = all.len();
    println!(
        "severity: exact {:.1}%, within one level {:.1}%, critical recall {crit_hit}/{crit}",
        pct(exact, n),
        pct(within, n)
    );
    let mut rows: Vec<_> = confusion.into_iter().collect();
    rows.sort();
    println!("confusion (want, got): {rows:?}");
    assert!(pct(exact, n) >= 80.0, "severity exact {:.1}% < 80%", pct(exact, n));
    assert!(pct(within, n) >= 95.0, "severity within one level {:.1}% < 95%", pct(within, n));
    assert_eq!(crit_hit, crit, "every critical item found");
}

#[test]
fn r3_sentiment_on_the_labelled_set() {
    let all = analysed();
    let mut ok = 0;
    for (c, a) in all {
        let want = SentimentLabel::parse(c.exp["sentiment"].as_str().unwrap()).unwrap();
        if a.sentiment.label == want {
            ok += 1;
        } else {
            println!(
                "sentiment {} want {} got {} ({:.2} +{:?} -{:?})",
                c.id,
                want.code(),
                a.sentiment.label.code(),
                a.sentiment.score,
                a.sentiment.positive,
                a.sentiment.negative
            );
        }
    }
    println!("sentiment accuracy {:.1}%", pct(ok, all.len()));
    assert!(pct(ok, all.len()) >= 80.0, "sentiment accuracy {:.1}% < 80%", pct(ok, all.len()));
}

#[test]
fn r3_places_on_the_labelled_set() {
    let all = analysed();
    let (mut county_ok, mut town_n, mut town_ok) = (0, 0, 0);
    for (c, a) in all {
        let want = c.exp["county_code"].as_str().unwrap();
        let got = a.county_code.as_deref().unwrap_or("UNKNOWN");
        if got == want {
            county_ok += 1;
        } else {
            println!("county {} want {want} got {got} ({:?})", c.id, a.place_evidence);
        }
        if let Some(t) = c.exp["township_code"].as_str() {
            town_n += 1;
            if a.township_code.as_deref() == Some(t) {
                town_ok += 1;
            } else {
                println!("township {} want {t} got {:?} ({:?})", c.id, a.township_code, a.place_evidence);
            }
        }
    }
    println!("county {:.1}%, township {:.1}% of {town_n}", pct(county_ok, all.len()), pct(town_ok, town_n));
    assert!(pct(county_ok, all.len()) >= 90.0, "county match {:.1}% < 90%", pct(county_ok, all.len()));
    assert!(pct(town_ok, town_n) >= 80.0, "township match {:.1}% < 80%", pct(town_ok, town_n));
}

#[test]
fn r3_signals_on_the_labelled_set() {
    let all = analysed();
    // The set's signal names → the analyzer's codes.
    let names = [
        ("casualty", "casualty"),
        ("health", "health"),
        ("mass_incident", "mass_incident"),
        ("repeat_unresolved", "repeat_unresolved"),
        ("criticism_of_inspection", "inspection_criticism"),
        ("blanket_shutdown", "blanket_shutdown"),
    ];
    let mut missed_deciding = Vec::new();
    for (label, code) in names {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for (c, a) in all {
            let want = c.exp["signals"].as_array().unwrap().iter().any(|s| s.as_str() == Some(label));
            let got = a.assessment.signals.iter().any(|s| s.code == code);
            match (want, got) {
                (true, true) => tp += 1,
                (false, true) => {
                    fp += 1;
                    println!(
                        "signal {label} false positive {}: {:?}",
                        c.id,
                        a.assessment.signals.iter().find(|s| s.code == code).map(|s| &s.evidence)
                    );
                }
                (true, false) => {
                    fn_ += 1;
                    println!(
                        "signal {label} missed {}: {}",
                        c.id,
                        a.text.chars().take(60).collect::<String>()
                    );
                }
                _ => {}
            }
        }
        let (p, r) = (pct(tp, tp + fp), pct(tp, tp + fn_));
        println!("signal {label}: precision {p:.0}%, recall {r:.0}% (tp {tp}, fp {fp}, fn {fn_})");
        if (label == "casualty" || label == "mass_incident") && fn_ > 0 {
            missed_deciding.push(label);
        }
    }
    assert!(
        missed_deciding.is_empty(),
        "every casualty and mass incident found (they decide 特别重大): {missed_deciding:?}"
    );
}

#[test]
fn r3_enterprises_on_the_labelled_set() {
    let all = analysed();
    let (mut n, mut ok) = (0, 0);
    for (c, a) in all {
        if let Some(e) = c.exp["about_enterprise"].as_str() {
            n += 1;
            if a.enterprises.iter().any(|x| x.name.contains(e) || (!x.generic && e.contains(&x.core))) {
                ok += 1;
            } else {
                println!("enterprise {} want {e} got {:?}", c.id, a.enterprises);
            }
        }
    }
    println!("named enterprises found {ok}/{n}");
    assert!(pct(ok, n) >= 75.0, "enterprise names {ok}/{n}");
}

#[test]
fn r3_duplicates_on_the_labelled_set() {
    let all = analysed();
    let mut by_url: HashMap<String, String> = HashMap::new();
    let mut idx = DupIndex::new();
    let mut ids: Vec<String> = Vec::new();
    let (mut want_n, mut right, mut false_dups) = (0, 0, 0);
    for (c, a) in all {
        let note = c.exp["note"].as_str().unwrap_or("");
        let want = note.strip_prefix("duplicate of ").map(|r| r[..4].to_owned());
        let by_same_url = a.url_canonical.iter().chain(&a.linked_urls).find_map(|u| by_url.get(u).cloned());
        let got = by_same_url.or_else(|| {
            a.fingerprint.as_ref().and_then(|fp| idx.find(fp)).map(|(i, _)| ids[i as usize].clone())
        });
        match (&want, &got) {
            (Some(w), Some(g)) if w == g => right += 1,
            (Some(w), g) => println!("duplicate {} of {w} found as {g:?}", c.id),
            (None, Some(g)) => {
                false_dups += 1;
                println!("false duplicate {} of {g}", c.id);
            }
            (None, None) => {}
        }
        want_n += usize::from(want.is_some());
        if got.is_none() {
            if let Some(u) = &a.url_canonical {
                by_url.insert(u.clone(), c.id.clone());
            }
            if let Some(fp) = &a.fingerprint {
                idx.insert(ids.len() as i64, fp.clone());
            }
            ids.push(c.id.clone());
        }
    }
    println!("duplicates: {right}/{want_n} folded into the right original, {false_dups} false");
    assert_eq!(right, want_n, "every duplicate folded into its original");
    assert_eq!(false_dups, 0, "no original taken for a duplicate");
}

#[test]
fn r3_case_matching_on_the_labelled_set() {
    let az = analyzer();
    // The complaint set's primary complaints as open cases, routed and redacted as intake does.
    let cases: Vec<CaseRef> = COMPLAINTS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .filter_map(|(i, l)| {
            let v: Value = serde_json::from_str(l).ok()?;
            if !v["expected"]["dup_of"].is_null() {
                return None;
            }
            let text = v["text"].as_str()?;
            let r = az.router.route(text);
            let redacted: String = text.chars().map(|c| if c.is_ascii_digit() { '*' } else { c }).collect();
            Some(CaseRef {
                id: i as i64,
                accept_no: v["id"].as_str()?.to_owned(),
                county_code: match r.county {
                    ducha_triage::CountyOutcome::Code(c) => Some(c),
                    _ => None,
                },
                township_code: r.township_code,
                village_code: r.village_code,
                text: redacted,
                repeat_count: 0,
            })
        })
        .collect();
    let index = CaseIndex::new(az, cases);
    let (mut with, mut found, mut links, mut right_links, mut spurious) = (0, 0, 0, 0, 0);
    for (c, a) in analysed() {
        let note = c.exp["note"].as_str().unwrap_or("");
        let want: Vec<String> = note
            .split("cases: ")
            .nth(1)
            .map(|s| {
                s.split(|ch: char| ch == ',' || ch == ';' || ch.is_whitespace())
                    .filter(|x| x.starts_with('e'))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let got: Vec<String> = index.matches(az, a).into_iter().map(|m| m.accept_no).collect();
        links += got.len();
        right_links += got.iter().filter(|g| want.contains(g)).count();
        if want.is_empty() {
            spurious += got.len();
            continue;
        }
        with += 1;
        if got.iter().any(|g| want.contains(g)) {
            found += 1;
        } else {
            println!("case {} want {want:?} got {got:?}", c.id);
        }
    }
    println!(
        "case matching: {found}/{with} items linked to one of their cases ({:.1}%), link precision {:.1}% ({right_links}/{links}), {spurious} links on items about no case",
        pct(found, with),
        pct(right_links, links)
    );
    assert!(pct(found, with) >= 70.0, "case recall {:.1}% < 70%", pct(found, with));
    assert!(pct(right_links, links) >= 80.0, "link precision {:.1}% < 80%", pct(right_links, links));
}
