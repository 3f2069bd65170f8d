//! The address router on arbitrary text: never panics, and what it returns is consistent (a village
//! lies in the township returned, a township is never returned without a county).
#![no_main]

use std::sync::LazyLock;

use ducha_triage::{CountyOutcome, Router};
use libfuzzer_sys::fuzz_target;

static ROUTER: LazyLock<Router> = LazyLock::new(Router::builtin);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let r = ROUTER.route(text);
    if let Some(v) = &r.village_code {
        let t = r.township_code.as_deref().unwrap_or_else(|| panic!("village {v} without township"));
        assert!(v.starts_with(t), "village {v} not in township {t}");
    }
    if r.township_code.is_some() {
        assert!(matches!(r.county, CountyOutcome::Code(_)), "township without a county: {r:?}");
    }
    for c in [r.confidence.county, r.confidence.township, r.confidence.village] {
        assert!((0.0..=1.0).contains(&c), "confidence out of range: {r:?}");
    }
});
