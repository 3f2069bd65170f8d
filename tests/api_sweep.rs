//! The bad-input sweep: `scripts/api-sweep` runs schemathesis over every operation of
//! `/api/openapi.json` against the test-built binary (`ducha demo` on a fresh SQLite database) and
//! fails on any 5xx, any response that does not match its documented schema, and any undocumented
//! status code.
//!
//! schemathesis comes from PyPI into `target/sweep-venv`. When it cannot be installed (no network,
//! no `python3-venv`) the test is skipped with a note — unless `DUCHA_REQUIRE_SWEEP=1` (set by
//! `scripts/test`), which makes that a failure.

#![allow(clippy::print_stdout)]

use std::process::Command;
use std::time::Instant;

/// `scripts/api-sweep`'s exit code for "schemathesis could not be installed or run".
const TOOL_MISSING: i32 = 3;

#[test]
fn openapi_sweep_finds_no_server_error_and_no_undocumented_answer() {
    #[allow(clippy::disallowed_methods)] // test configuration comes from the environment
    let required = std::env::var("DUCHA_REQUIRE_SWEEP").is_ok_and(|v| v == "1");
    let root = env!("CARGO_MANIFEST_DIR");
    let started = Instant::now();
    let out = Command::new(format!("{root}/scripts/api-sweep"))
        .current_dir(root)
        .env("DUCHA_BIN", env!("CARGO_BIN_EXE_ducha"))
        .output()
        .expect("run scripts/api-sweep (bash)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code().unwrap_or(-1);
    if code == TOOL_MISSING && !required {
        eprintln!(
            "note: schemathesis unavailable, API sweep skipped (scripts/test sets DUCHA_REQUIRE_SWEEP=1):\n{stderr}"
        );
        return;
    }
    assert_eq!(code, 0, "API sweep failed (exit {code}) after {:?}:\n{stdout}\n{stderr}", started.elapsed());
    assert!(stdout.contains("api-sweep: passed"), "the sweep reports success:\n{stdout}");
    // Guard against a sweep that silently tested nothing.
    let tested = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("Tested: "))
        .and_then(|n| n.trim().parse::<usize>().ok())
        .unwrap_or(0);
    assert!(tested >= 40, "the sweep tested every operation ({tested}):\n{stdout}");
    println!("API sweep passed: {tested} operations in {:?}", started.elapsed());
}
