//! Lists the firewall's misses on a labelled JSONL set that is NOT blind (the triage set): for
//! developing the rules. Never run it on a blind set.
#![allow(clippy::unwrap_used, clippy::print_stdout)]
use ducha_shield::{Identity, Shield};
fn main() {
    let path = std::env::args().nth(1).expect("a labelled JSONL file");
    assert!(!path.contains("/blind/"), "blind sets are measured, not read");
    for l in std::fs::read_to_string(&path).unwrap().lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let id = if v.get("identity").is_some() { &v["identity"] } else { &v["complainant"] };
        let known: Identity = serde_json::from_value(id.clone()).unwrap_or_default();
        let text = v["text"].as_str().unwrap();
        let out = Shield::new(&known).screen(text).into_string();
        let lab = if v.get("expected").is_some() { &v["expected"] } else { &v };
        for x in lab["pii"].as_array().unwrap() {
            let x = x.as_str().unwrap();
            if out.contains(x) {
                println!("{} PII {x:?}\n   {out}", v["id"]);
            }
        }
        for x in lab["keep"].as_array().unwrap() {
            let x = x.as_str().unwrap();
            if out.matches(x).count() < text.matches(x).count().max(1) {
                println!("{} KEEP {x:?}\n   {out}", v["id"]);
            }
        }
    }
}
