//! Holidays as data, not code (issue 17), run as an operator would: on a deployment's database (SQLite,
//! and PostgreSQL when `DUCHA_TEST_PG` is set), `ducha calendar due --db URL --from
//! 2026-12-30T10:00:00+08:00 --working-days 5` is refused with instructions while 2027 has no data,
//! estimated on weekends only when so configured, and gives a 2027 due time once `ducha holidays
//! import` has stored the year; `ducha holidays list` shows the years with 文号 and date; a year already
//! there is replaced only with `--replace`; a bad file is refused line by line.
//!
//! The 2027 file is a TEST FIXTURE (`tests/data/holidays/2027-fixture.csv`), not the real notice.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

use ducha_store::{Backend, testing};

const DOC_NO: &str = "测试文号〔2026〕1号";

/// The binary with no `DUCHA_*` settings from the environment (so the default policy applies: a year
/// without data is refused).
fn ducha() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ducha"));
    for (k, _) in std::env::vars() {
        if k.starts_with("DUCHA_") {
            c.env_remove(k);
        }
    }
    c.env("DUCHA_LOG", "warn");
    c
}

fn run(c: &mut Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/holidays/2027-fixture.csv")
}

fn due(url: &str, explain: bool) -> Command {
    let mut c = ducha();
    c.args(["calendar", "due", "--db", url, "--from", "2026-12-30T10:00:00+08:00", "--working-days", "5"]);
    if explain {
        c.arg("--explain");
    }
    c
}

fn import(url: &str, file: &std::path::Path, extra: &[&str]) -> Command {
    let mut c = ducha();
    c.args([
        "holidays",
        "import",
        "--db",
        url,
        "--year",
        "2027",
        "--doc-no",
        DOC_NO,
        "--dated",
        "2026-11-20",
    ])
    .args(extra)
    .arg(file);
    c
}

fn story(backend: Backend, url: &str) {
    // Before: refused, and the refusal says what to do.
    let (code, out, err) = run(&mut due(url, false));
    assert_ne!(code, 0, "{backend:?}: {out}");
    for needle in [
        "缺少2027年的节假日安排数据",
        "ducha holidays import --db",
        "--year 2027",
        "/admin/holidays",
        "weekends_only",
        "只按周六、周日休息计算",
    ] {
        assert!(err.contains(needle), "{backend:?} {needle}: {err}");
    }
    // Configured to estimate: a due time counted on weekends alone (元旦 not known), with the warning.
    let (code, out, err) = run(due(url, false).env("DUCHA_APP__WORKING_TIME__MISSING_YEAR", "weekends_only"));
    assert_eq!(code, 0, "{backend:?}: {err}");
    assert!(out.contains("due:       2027-01-06T18:00:00+08:00"), "{backend:?}: {out}");
    assert!(err.contains("注意：缺少2027年节假日安排数据"), "{backend:?}: {err}");
    let (code, out, err) = run(ducha().args(["holidays", "list", "--db", url]));
    assert_eq!(code, 0, "{backend:?}: {err}");
    assert!(out.contains("2026\t内置") && out.contains("国办发明电〔2025〕7号（2025-11-04）"), "{out}");
    assert!(!out.contains("2027\t"), "{out}");

    // A bad file: refused, every line named, nothing stored.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "from,to,kind,name,doc_no\n2027-02-01,2027-02-01,workday,春节,\n2027-13-01,2027-13-01,holiday,元旦,\n")
        .unwrap();
    let (code, _, err) = run(&mut import(url, &bad, &[]));
    assert_ne!(code, 0);
    assert!(err.contains("2处错误") && err.contains("第2行") && err.contains("第3行"), "{backend:?}: {err}");
    assert_ne!(run(&mut due(url, false)).0, 0, "still refused");

    // The import: the same command now gives a 2027 due time, 元旦 skipped.
    let (code, out, err) = run(&mut import(url, &fixture(), &[]));
    assert_eq!(code, 0, "{backend:?}: {out}{err}");
    assert!(
        out.contains("已导入2027年节假日安排") && out.contains(DOC_NO) && out.contains("命令行"),
        "{out}"
    );
    let (code, out, err) = run(&mut due(url, true));
    assert_eq!(code, 0, "{backend:?}: {err}");
    // Wed 30 Dec 10:00 + 5 working days: 31 Dec, (元旦 1–3 Jan), 4, 5, 6, 7 Jan → Thursday 7 January 18:00.
    assert!(out.contains("due:       2027-01-07T18:00:00+08:00"), "{backend:?}: {out}");
    assert!(out.contains("元旦"), "the holiday crossed is named: {out}");
    let (_, out, _) = run(ducha().args(["holidays", "list", "--db", url]));
    assert!(out.contains(&format!("2027\t导入\t放假29天、调休上班6天\t{DOC_NO}（2026-11-20）")), "{out}");

    // Again without --replace: refused, naming what is there; with it, replaced.
    let (code, _, err) = run(&mut import(url, &fixture(), &[]));
    assert_ne!(code, 0);
    assert!(err.contains("2027年已有节假日安排") && err.contains("--replace"), "{err}");
    let (code, out, err) = run(&mut import(url, &fixture(), &["--replace"]));
    assert_eq!(code, 0, "{out}{err}");
    // Without --db the built-in data alone: still refused.
    let (code, _, _) =
        run(ducha().args(["calendar", "due", "--from", "2026-12-30T10:00:00+08:00", "--working-days", "5"]));
    assert_ne!(code, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r5_3_calendar_due_uses_imported_years() {
    for backend in testing::backends() {
        let db = testing::fresh_url(backend).await;
        let url = db.url.clone();
        tokio::task::spawn_blocking(move || story(backend, &url)).await.unwrap();
        drop(db);
    }
}
