//! The handling report as the API receives it (JSON) and its gate: never panics, a parsed report
//! survives a JSON round trip unchanged, and `validate` agrees with the renderers it feeds.
#![no_main]

use ducha_domain::handling::{self, HandlingReport};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let Ok(report) = serde_json::from_str::<HandlingReport>(s) else { return };
    let json = serde_json::to_string(&report).expect("report serialises");
    let back: HandlingReport = serde_json::from_str(&json).expect("report parses back");
    assert_eq!(back, report, "round trip changed the report");
    let verdict = report.validate();
    if let Err(e) = &verdict {
        assert_eq!(e.code, "r5_5_incomplete_report");
        assert!(!e.message.is_empty());
    }
    let _ = report.finding();
    let _ = handling::render_finding(&report);
    let _ = handling::render_investigation(&report);
    let _ = handling::render_handling(&report);
    let _ = handling::render_closure_target(&report);
});
