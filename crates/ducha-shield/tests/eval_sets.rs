//! The firewall on its labelled sets, side by side: the triage set it was developed beside
//! (`crates/ducha-triage/eval/complaints.jsonl`, its `pii`/`keep` labels), set 1 (written blind, first
//! measured blind, then retired to the training side: `eval/set-1/`), set 2 (the same story:
//! `eval/set-2/`). Only counts are printed, so a set still blind is measured without being read.
//! The floors are the figures measured on each set (a regression guard, not a target tuned against).

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use ducha_shield::Identity;
use ducha_shield::eval::{Labelled, Score, score};

fn own_set() -> Vec<Labelled> {
    include_str!("../../ducha-triage/eval/complaints.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let c = &v["complainant"];
            let f = |k: &str| c.get(k).and_then(|x| x.as_str()).map(str::to_owned);
            let strs = |k: &str| -> Vec<String> {
                v["expected"][k]
                    .as_array()
                    .map_or(vec![], |a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
            };
            Labelled {
                id: v["id"].as_str().unwrap_or_default().to_owned(),
                kind: Some("complaint".into()),
                text: v["text"].as_str().unwrap().to_owned(),
                identity: Identity {
                    name: f("name"),
                    phone: f("phone"),
                    address: f("address"),
                    id_number: f("id_number"),
                    ..Identity::default()
                },
                pii: strs("pii"),
                keep: strs("keep"),
                families: vec![],
            }
        })
        .collect()
}

fn jsonl(text: &str) -> Vec<Labelled> {
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn print(name: &str, s: &Score) {
    println!(
        "{name}: {} lines, PII {}/{} hidden ({:.1} %), kept {}/{} ({:.1} %)",
        s.all.lines,
        s.all.pii_hidden,
        s.all.pii,
        100.0 * s.all.recall(),
        s.all.keep_kept,
        s.all.keep,
        100.0 * s.all.kept()
    );
    for (k, t) in s.by_kind.iter().chain(s.by_family.iter()) {
        println!(
            "  {k:<22} lines {:>3}  PII {:>3}/{:<3} ({:>5.1} %)  kept {:>3}/{:<3} ({:>5.1} %)",
            t.lines,
            t.pii_hidden,
            t.pii,
            100.0 * t.recall(),
            t.keep_kept,
            t.keep,
            100.0 * t.kept()
        );
    }
}

#[test]
fn firewall_own_and_blind_sets() {
    let own = score(&own_set());
    let set1 = score(&jsonl(include_str!("../eval/set-1/pii-blind-1.jsonl")));
    let set2 = score(&jsonl(include_str!("../eval/set-2/pii-blind-2.jsonl")));
    let set3 = score(&jsonl(include_str!("../eval/set-3/pii-blind-3.jsonl")));
    let set4 = score(&jsonl(include_str!("../eval/blind-4/pii-blind-4.jsonl")));
    print("own set (triage complaints.jsonl)", &own);
    print("set 1, retired blind set (eval/set-1/)", &set1);
    print("set 2, retired blind set (eval/set-2/)", &set2);
    print("set 3, retired blind set (eval/set-3/)", &set3);
    print("set 4, blind (eval/blind-4/)", &set4);
    assert!(own.all.recall() >= 1.0, "own set recall {:.3}", own.all.recall());
    assert!(own.all.kept() >= 0.99, "own set kept {:.3}", own.all.kept());
    assert!(set1.all.recall() >= SET1_RECALL_FLOOR, "set 1 recall {:.4}", set1.all.recall());
    assert!(set1.all.kept() >= 0.99, "set 1 kept {:.4}", set1.all.kept());
    assert!(set2.all.recall() >= SET2_RECALL_FLOOR, "set 2 recall {:.4}", set2.all.recall());
    assert!(set2.all.kept() >= SET2_KEPT_FLOOR, "set 2 kept {:.4}", set2.all.kept());
    assert!(set3.all.recall() >= SET3_RECALL_FLOOR, "set 3 recall {:.4}", set3.all.recall());
    assert!(set3.all.kept() >= SET3_KEPT_FLOOR, "set 3 kept {:.4}", set3.all.kept());
    assert!(set4.all.recall() >= SET4_RECALL_FLOOR, "set 4 recall {:.4}", set4.all.recall());
    assert!(set4.all.kept() >= SET4_KEPT_FLOOR, "set 4 kept {:.4}", set4.all.kept());
}

/// Set 1 after its misses were learned from: 444 of 445.
const SET1_RECALL_FLOOR: f64 = 0.997;

/// Set 2 was first scored blind at 359 of 394 identifying strings hidden (91.1 %), 727 of 736 names
/// kept (98.8 %) (docs/PERFORMANCE.md, "The identity firewall"); these floors are its figures after
/// its misses were learned from: 392 of 394, 729 of 736.
const SET2_RECALL_FLOOR: f64 = 0.994;
const SET2_KEPT_FLOOR: f64 = 0.990;

/// Set 3 was first scored blind at 420 of 480 identifying strings hidden (87.5 %), 958 of 975 names kept
/// (98.3 %); these floors are its figures after it was retired and its misses learned from: 466 of 480,
/// 958 of 975.
const SET3_RECALL_FLOOR: f64 = 0.970;
const SET3_KEPT_FLOOR: f64 = 0.982;

/// Set 4 is still blind: its first and only measurement, 418 of 509 identifying strings hidden
/// (82.1 %), 1 007 of 1 016 names kept (99.1 %). Counts only; its misses have not been read.
const SET4_RECALL_FLOOR: f64 = 0.821;
const SET4_KEPT_FLOOR: f64 = 0.991;
