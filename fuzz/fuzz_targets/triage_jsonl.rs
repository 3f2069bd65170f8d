//! The triage JSONL reader and the whole per-line pipeline (redact, route, classify, duplicates) on
//! arbitrary input: never panics, and every output line survives a JSON round trip unchanged.
#![no_main]

use std::sync::{LazyLock, Mutex};

use ducha_triage::{Triage, TriageOutput, parse_jsonl_line};
use libfuzzer_sys::fuzz_target;

static TRIAGE: LazyLock<Mutex<Triage>> = LazyLock::new(|| Mutex::new(Triage::builtin()));

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let mut triage = TRIAGE.lock().unwrap_or_else(|e| e.into_inner());
    triage.reset();
    for (i, line) in s.lines().enumerate() {
        let Ok(input) = parse_jsonl_line(line, i + 1) else { continue };
        let out = triage.triage_line(&input);
        let json = serde_json::to_string(&out).expect("output serialises");
        let back: TriageOutput = serde_json::from_str(&json).expect("output parses back");
        assert_eq!(back, out, "round trip changed the line");
    }
});
