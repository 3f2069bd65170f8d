//! Screens the triage set's 334 complaints (each with its recorded identity) `N` times: a fixed
//! workload for instruction counts (`valgrind --tool=callgrind`), which, unlike timings, do not move
//! with other load on the machine.
#![allow(clippy::unwrap_used, clippy::print_stdout)]
use ducha_shield::{Identity, Shield};
fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1);
    let items: Vec<(String, Identity)> = include_str!("../../ducha-triage/eval/complaints.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["text"].as_str().unwrap().to_owned(),
                serde_json::from_value(v["complainant"].clone()).unwrap_or_default(),
            )
        })
        .collect();
    let mut total = 0usize;
    for _ in 0..n {
        for (t, who) in &items {
            total += Shield::new(who).screen(t).as_str().len();
        }
    }
    println!("{} texts, {total} bytes out", items.len() * n);
}
