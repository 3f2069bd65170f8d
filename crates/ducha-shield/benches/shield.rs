//! What the firewall costs per text: the 334 complaints of the triage set, screened with each one's own
//! recorded identity (a Shield built per text, as a case view does) and with the general rules only.
//! `cargo bench -p ducha-shield`.

#![allow(clippy::unwrap_used)]

use ducha_shield::{Identity, Shield};

fn main() {
    divan::main();
}

fn texts() -> Vec<(String, Identity)> {
    include_str!("../../ducha-triage/eval/complaints.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let who: Identity = serde_json::from_value(v["complainant"].clone()).unwrap_or_default();
            (v["text"].as_str().unwrap().to_owned(), who)
        })
        .collect()
}

/// All 334 texts, each with a shield built from its own identity.
#[divan::bench]
fn screen_with_identity(b: divan::Bencher) {
    let t = texts();
    b.counter(divan::counter::ItemsCount::new(t.len())).bench(|| {
        for (text, who) in &t {
            divan::black_box(Shield::new(who).screen(text));
        }
    });
}

/// All 334 texts with one shield that knows no identity (opinion posts, notes).
#[divan::bench]
fn screen_general_rules(b: divan::Bencher) {
    let t = texts();
    let s = Shield::none();
    b.counter(divan::counter::ItemsCount::new(t.len())).bench(|| {
        for (text, _) in &t {
            divan::black_box(s.screen(text));
        }
    });
}

/// Thirty short strings one by one (the evidence words of a case's triage), the pattern of a JSON
/// value screened leaf by leaf.
#[divan::bench]
fn screen_thirty_short_strings(b: divan::Bencher) {
    let words: Vec<String> = [
        "柳屯镇",
        "东陈庄村",
        "塑料",
        "颗粒",
        "加工点",
        "冒黑烟",
        "气味",
        "大气",
        "水",
        "散乱污企业",
        "没有牌子",
        "晚上",
        "排到",
        "沟里",
        "黑的",
        "濮阳县",
        "410928",
        "410928101",
        "0.92",
        "0.81",
        "router",
        "keywords",
        "place",
        "村北头",
        "挨着大路",
        "废塑料",
        "洗塑料",
        "老人孩子",
        "咳嗽",
        "管管",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let s = Shield::none();
    b.bench(|| {
        for w in &words {
            divan::black_box(s.screen(w));
        }
    });
}
