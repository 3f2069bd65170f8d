//! `ducha triage` and `ducha gen`, run as a user would run them: the pinned JSONL of DESIGN.md, bad
//! lines named by number, standard input, exit codes, the quality bars on the labelled set, the
//! scorer, and the synthetic corpus in files and in a database.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

fn ducha() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ducha"));
    c.env_remove("DUCHA_DB").env_remove("DUCHA_SM4_KEY").env("DUCHA_LOG", "warn");
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

fn eval_set() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/ducha-triage/eval/complaints.jsonl")
}

fn lines(out: &str) -> Vec<Value> {
    out.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const PLASTICS: &str = r#"{"id":"a1","text":"濮阳县柳屯镇东陈庄村北头有个塑料颗粒作坊，夜里烧废塑料冒黑烟。我叫王建国，电话138 0393 0123","received_at":"2023-12-15T09:12:00+08:00","channel":"phone","complainant":{"name":"王建国","phone":"13803930123","address":null}}"#;
const NOISE: &str = r#"{"id":7,"text":"清丰县城关镇有个工地半夜打桩，噪音吵得睡不着","channel":"web"}"#;
const PLASTICS_AGAIN: &str = r#"{"id":"a3","text":"尊敬的督察组：上回反映过，柳屯镇东陈庄村北边那个塑料颗粒加工点晚上又开始烧废塑料了，味道刺鼻。","channel":"letter","complainant":{"name":null,"phone":null,"address":null}}"#;

#[test]
fn triage_writes_exactly_the_pinned_fields() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.jsonl", &format!("{PLASTICS}\n{NOISE}\n{PLASTICS_AGAIN}\n"));
    let (code, out, err) = run(ducha().arg("triage").arg("--input").arg(&input));
    assert_eq!(code, 0, "{err}");
    let v = lines(&out);
    assert_eq!(v.len(), 3);
    for o in &v {
        let keys: BTreeSet<&str> = o.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "id",
                "county_code",
                "township_code",
                "village_code",
                "pollution_types",
                "sansan",
                "dup_of",
                "redacted_text",
                "confidence"
            ])
        );
        let ck: BTreeSet<&str> = o["confidence"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            ck,
            BTreeSet::from([
                "county_code",
                "township_code",
                "village_code",
                "pollution_types",
                "sansan",
                "dup_of"
            ])
        );
        for c in o["confidence"].as_object().unwrap().values() {
            assert!((0.0..=1.0).contains(&c.as_f64().unwrap()), "{o}");
        }
        for t in o["pollution_types"].as_array().unwrap() {
            assert!(
                ["大气", "水", "土壤", "噪声", "固废", "生态", "辐射", "其他"].contains(&t.as_str().unwrap())
            );
        }
    }
    // Ids are echoed as given (string or number), in input order.
    assert_eq!(v[0]["id"], json!("a1"));
    assert_eq!(v[1]["id"], json!(7));
    assert_eq!(v[0]["county_code"], json!("410928"));
    assert_eq!(v[0]["township_code"], json!("410928101"));
    assert_eq!(v[1]["county_code"], json!("410922"));
    assert_eq!(v[1]["pollution_types"], json!(["噪声"]));
    // The earlier line is never a duplicate of a later one; the re-report points back at it.
    assert_eq!(v[0]["dup_of"], Value::Null);
    assert_eq!(v[1]["dup_of"], Value::Null);
    assert_eq!(v[2]["dup_of"], json!("a1"));
    let red = v[0]["redacted_text"].as_str().unwrap();
    assert!(!red.contains("王建国") && !red.contains("138 0393 0123"), "{red}");
    assert!(red.contains("柳屯镇") && red.contains("东陈庄村"), "{red}");
}

#[test]
fn a_bad_line_is_named_and_the_rest_is_processed() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = format!("{PLASTICS}\n{{\"id\": \"x\", \"text\": \n\n{NOISE}\n").into_bytes();
    bytes.extend_from_slice(b"{\"id\":\"bin\",\"text\":\"\xff\xfe\"}\n");
    bytes.extend_from_slice(format!("{{\"text\":\"没有编号\"}}\n{PLASTICS_AGAIN}").as_bytes()); // no newline at the end
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, bytes).unwrap();
    let (code, out, err) = run(ducha().arg("triage").arg("--input").arg(&input));
    assert_ne!(code, 0, "bad lines make the exit code non-zero");
    assert!(err.contains("第2行"), "names the broken JSON line: {err}");
    assert!(err.contains("第5行") && err.contains("UTF-8"), "names the invalid UTF-8 line: {err}");
    assert!(err.contains("第6行"), "names the line without an id: {err}");
    assert!(!err.contains("第3行"), "a blank line is not an error: {err}");
    assert!(err.contains("3 行无法处理"), "{err}");
    let ids: Vec<Value> = lines(&out).into_iter().map(|o| o["id"].clone()).collect();
    assert_eq!(ids, [json!("a1"), json!(7), json!("a3")], "every good line, in order");
    // Duplicates still see the earlier good lines.
    assert_eq!(lines(&out)[2]["dup_of"], json!("a1"));
}

#[test]
fn dash_reads_standard_input_and_gives_the_same_output() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("\u{feff}{PLASTICS}\r\n{NOISE}\r\n{PLASTICS_AGAIN}\r\n");
    let input = write(dir.path(), "in.jsonl", &text);
    let (code, from_file, err) = run(ducha().arg("triage").arg("--input").arg(&input));
    assert_eq!(code, 0, "a BOM and CRLF line ends are accepted: {err}");
    let mut child = ducha()
        .args(["triage", "--input", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), from_file);
    assert_eq!(from_file.lines().count(), 3);
}

#[test]
fn usage_and_file_errors_exit_non_zero() {
    let (code, _, err) = run(ducha().arg("triage"));
    assert_eq!(code, 2, "one of --input/--eval/--score is required: {err}");
    let (code, _, err) = run(ducha().args(["triage", "--input", "/nonexistent/in.jsonl"]));
    assert_eq!(code, 1);
    assert!(err.contains("无法打开输入文件"), "{err}");
    let (code, _, err) = run(ducha().args(["triage", "--input", "-", "--gazetteer", "/nonexistent"]));
    assert_eq!(code, 1);
    assert!(err.contains("/nonexistent"), "{err}");
}

#[test]
fn a_gazetteer_directory_in_the_nbs_layout_is_used() {
    // The built-in data as a directory: same answers as the built-in gazetteer.
    let dir = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/gazetteer");
    let g = dir.path().join("g");
    std::fs::create_dir(&g).unwrap();
    std::fs::copy(data.join("provinces.csv"), g.join("provinces.csv")).unwrap();
    std::fs::copy(data.join("china-cities.csv"), g.join("cities.csv")).unwrap();
    std::fs::copy(data.join("china-areas.csv"), g.join("areas.csv")).unwrap();
    std::fs::copy(data.join("4109/streets.csv"), g.join("streets.csv")).unwrap();
    std::fs::copy(data.join("4109/villages.csv"), g.join("villages.csv")).unwrap();
    let input = write(dir.path(), "in.jsonl", &format!("{PLASTICS}\n{NOISE}\n"));
    let (code, builtin, err) = run(ducha().arg("triage").arg("--input").arg(&input));
    assert_eq!(code, 0, "{err}");
    let (code, custom, err) =
        run(ducha().arg("triage").arg("--input").arg(&input).arg("--gazetteer").arg(&g));
    assert_eq!(code, 0, "{err}");
    assert_eq!(lines(&custom), lines(&builtin));
    // Without 清丰县城关镇 in the directory's files its township code cannot come out: the files are read.
    for f in ["streets.csv", "villages.csv"] {
        let kept: String = std::fs::read_to_string(g.join(f))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("410922100"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(g.join(f), kept).unwrap();
    }
    let (code, fewer, err) = run(ducha().arg("triage").arg("--input").arg(&input).arg("--gazetteer").arg(&g));
    assert_eq!(code, 0, "{err}");
    assert_eq!(lines(&builtin)[1]["township_code"], json!("410922100"));
    assert_ne!(lines(&fewer)[1]["township_code"], json!("410922100"));
    assert_eq!(lines(&fewer)[0], lines(&builtin)[0]);
}

#[test]
fn eval_holds_the_bars_of_issue_3_on_the_labelled_set() {
    let (code, out, err) = run(ducha().arg("triage").arg("--eval").arg(eval_set()));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("all quality bars met"), "{out}");
    for field in ["county accuracy", "township accuracy", "pollution types", "duplicate pairs", "PII recall"]
    {
        assert!(out.contains(field), "{field}: {out}");
    }
    // The same numbers as JSON, with every bar checked here too.
    let (code, out, _) = run(ducha().arg("triage").arg("--eval").arg(eval_set()).arg("--json"));
    assert_eq!(code, 0);
    let r: Value = serde_json::from_str(&out).unwrap();
    assert!(r["items"].as_u64().unwrap() >= 300);
    let acc = |k: &str| r[k]["correct"].as_f64().unwrap() / r[k]["total"].as_f64().unwrap();
    let f1 = |k: &str| {
        let (tp, fp, fn_) =
            (r[k]["tp"].as_f64().unwrap(), r[k]["fp"].as_f64().unwrap(), r[k]["fn_"].as_f64().unwrap());
        2.0 * tp / (2.0 * tp + fp + fn_)
    };
    assert!(acc("county") >= 0.97, "{r}");
    assert!(acc("township") >= 0.90, "{r}");
    assert!(f1("types") >= 0.90, "{r}");
    assert!(f1("dup_pairs") >= 0.90, "{r}");
    assert!((acc("pii") - 1.0).abs() < 1e-12, "{r}");
    assert!(acc("keep") >= 0.95, "{r}");
}

#[test]
fn eval_exits_non_zero_when_a_bar_is_missed() {
    // The labelled set with every county label moved elsewhere: the engine cannot agree.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(eval_set()).unwrap();
    let wrong: String = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(60)
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            v["expected"]["county_code"] = json!("410523");
            format!("{v}\n")
        })
        .collect();
    let p = write(dir.path(), "wrong.jsonl", &wrong);
    let (code, out, _) = run(ducha().arg("triage").arg("--eval").arg(&p));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("bars missed") && out.contains("区县准确率"), "{out}");
}

#[test]
fn score_gives_the_eval_numbers_for_the_engine_output_and_counts_missing_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (code, output, err) = run(ducha().arg("triage").arg("--input").arg(eval_set()));
    assert_eq!(code, 0, "{err}");
    let out_file = write(dir.path(), "out.jsonl", &output);
    let (_, eval_json, _) = run(ducha().arg("triage").arg("--eval").arg(eval_set()).arg("--json"));
    let (code, score_json, err) =
        run(ducha().arg("triage").arg("--score").arg(eval_set()).arg(&out_file).arg("--json"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        serde_json::from_str::<Value>(&score_json).unwrap(),
        serde_json::from_str::<Value>(&eval_json).unwrap()
    );

    // An output without its first 40 lines: those items count as unlocated and unredacted.
    let partial: String = output.lines().skip(40).map(|l| format!("{l}\n")).collect();
    let partial_file = write(dir.path(), "partial.jsonl", &partial);
    let (code, out, err) =
        run(ducha().arg("triage").arg("--score").arg(eval_set()).arg(&partial_file).arg("--json"));
    assert_eq!(code, 1, "bars are missed: {out}");
    assert!(err.contains("40 条标注没有对应的输出行"), "{err}");
    let full: Value = serde_json::from_str(&score_json).unwrap();
    let part: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        part["county"]["correct"].as_u64().unwrap() + 40,
        full["county"]["correct"].as_u64().unwrap() + count_unknown_in_first(&eval_set(), 40),
        "each missing line scores as UNKNOWN"
    );
    assert!(part["pii"]["correct"].as_u64() < full["pii"]["correct"].as_u64());
}

/// How many of the first `n` labelled items are labelled UNKNOWN (a missing line gets those right).
fn count_unknown_in_first(path: &Path, n: usize) -> u64 {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(n)
        .filter(|l| serde_json::from_str::<Value>(l).unwrap()["expected"]["county_code"] == json!("UNKNOWN"))
        .count() as u64
}

#[test]
fn gen_writes_a_labelled_corpus_that_triage_reads() {
    let dir = tempfile::tempdir().unwrap();
    let (code, a, err) = run(ducha().args(["gen", "--count", "300", "--seed", "5"]));
    assert_eq!(code, 0, "{err}");
    let (_, b, _) = run(ducha().args(["gen", "--count", "300", "--seed", "5"]));
    let (_, c, _) = run(ducha().args(["gen", "--count", "300", "--seed", "6"]));
    assert_eq!(a, b, "same seed, same corpus");
    assert_ne!(a, c);
    let items = lines(&a);
    assert_eq!(items.len(), 300);
    let dups = items.iter().filter(|i| !i["expected"]["dup_of"].is_null()).count();
    assert!((30..=100).contains(&dups), "about a fifth re-report a source: {dups}");
    let (code, _, _) = run(ducha().args(["gen", "--count", "10", "--dup-rate", "1.5"]));
    assert_ne!(code, 0);

    let file = dir.path().join("corpus.jsonl");
    let (code, _, err) = run(ducha().args(["gen", "--count", "300", "--seed", "5", "--out"]).arg(&file));
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), a);
    let (code, out, err) = run(ducha().arg("triage").arg("--input").arg(&file));
    assert_eq!(code, 0, "{err}");
    let outs = lines(&out);
    assert_eq!(outs.len(), 300);
    let ids: Vec<&Value> = items.iter().map(|i| &i["id"]).collect();
    assert_eq!(outs.iter().map(|o| &o["id"]).collect::<Vec<_>>(), ids);
    let (_, report, _) = run(ducha().arg("triage").arg("--eval").arg(&file));
    assert!(report.contains("triage evaluation: 300 items"), "{report}");
}

#[test]
fn gen_db_writes_triaged_cases_over_the_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gen.db");
    let url = format!("sqlite://{}", file.display());
    let (code, out, err) = run(ducha().args([
        "gen",
        "--count",
        "1500",
        "--seed",
        "3",
        "--tx-size",
        "400",
        "--per-day",
        "100",
        "--db",
        &url,
    ]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("已写入 1500 件"), "{out}");
    let (code, out, err) = run(ducha().args(["audit", "verify", "--db", &url]));
    assert_eq!(code, 0, "every case has its audit record in one chain: {out}{err}");

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = ducha_store::Store::connect(&url, &ducha_store::StoreOptions::default()).await.unwrap();
        assert_eq!(ducha_store::cases::count_cases(&store).await.unwrap(), 1500);
        let campaign = ducha_store::directory::current_campaign(&store, "9999-12-31").await.unwrap().unwrap();
        let counts: HashMap<String, i64> =
            ducha_store::cases::stage_counts(&store, ducha_store::cases::Scope::All, campaign.id)
                .await
                .unwrap()
                .into_iter()
                .collect();
        // (Which cases are still with the team or the city depends on the time of day the test runs.)
        for s in ["received", "dispatched_handler", "investigating", "rectifying", "closed", "duplicate"] {
            assert!(counts.get(s).copied().unwrap_or(0) > 0, "{s}: {counts:?}");
        }
        let filter = ducha_store::cases::CaseFilter { limit: 500, ..Default::default() };
        let mut rows = Vec::new();
        for page in 0..3 {
            let f = ducha_store::cases::CaseFilter { offset: page * 500, ..filter.clone() };
            rows.extend(
                ducha_store::cases::list(&store, ducha_store::cases::Scope::All, &f).await.unwrap().0,
            );
        }
        assert_eq!(rows.len(), 1500);
        let by_id: HashMap<i64, &ducha_store::cases::CaseRow> = rows.iter().map(|r| (r.id, r)).collect();
        let mut accept: BTreeSet<&str> = BTreeSet::new();
        for r in &rows {
            assert!(accept.insert(&r.accept_no), "accept numbers are unique");
            assert_eq!(r.accept_no.len(), 16, "{}", r.accept_no);
            assert!(r.accept_no[1..].starts_with("3HA"), "{}", r.accept_no);
            assert!(!r.redacted_text.is_empty());
            if r.original_text.contains("电话") {
                assert_ne!(r.redacted_text, r.original_text, "the phone number is redacted");
            }
            assert!(!r.pollution_types.is_empty());
            assert_eq!(r.has_identity, 1, "identities are sealed with the key created beside the database");
            if let Some(p) = r.dup_of {
                let primary = by_id[&p];
                assert!(primary.id < r.id && primary.dup_of.is_none(), "links point at an earlier primary");
            }
            let stage = r.stage.code();
            if stage == "duplicate" {
                assert!(r.dup_of.is_some());
                assert!(by_id[&r.dup_of.unwrap()].repeat_count > 0);
            }
            if !matches!(stage, "received" | "duplicate") {
                assert!(r.batch_id.is_some() && r.due_at.is_some(), "{stage} has a batch and a due time");
            }
            if matches!(
                stage,
                "dispatched_handler" | "acknowledged" | "investigating" | "rectifying" | "closed"
            ) {
                assert!(r.handler_unit_id.is_some(), "{stage}");
                let a = ducha_store::cases::assignments(&store, r.id).await.unwrap();
                let levels: Vec<&str> = a.iter().map(|x| x.level.as_str()).collect();
                assert_eq!(&levels[..2], ["city", "county"], "{levels:?}");
                assert!(matches!(levels[2], "township" | "department"));
                // R5.2: each level's due time leaves the parent its report buffer.
                assert!(
                    a[2].due_at.unwrap() <= a[1].due_at.unwrap()
                        && a[1].due_at.unwrap() <= a[0].due_at.unwrap()
                );
                if stage == "closed" {
                    assert!(a.iter().all(|x| x.status == "done"));
                    assert!(r.finding.is_some());
                }
            }
        }
        let mut days: HashMap<&str, usize> = HashMap::new();
        for r in &rows {
            *days.entry(&r.accept_no[4..12]).or_default() += 1;
        }
        assert!((15..=16).contains(&days.len()), "1500 cases at 100 a day (and today's so far): {days:?}");
        assert!(days.values().all(|&n| n <= 100), "{days:?}");
        let history = ducha_store::audit::for_entity(&store, "case", &rows[0].id.to_string()).await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].action, "case.generated");
        store.close().await;
    });

    // Running again appends to the same campaign; duplicates may point at the earlier run's cases.
    let (code, out, err) =
        run(ducha().args(["gen", "--count", "200", "--seed", "4", "--per-day", "100", "--db", &url]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("原有 1500 件"), "{out}");
    let (code, _, err) = run(ducha().args(["audit", "verify", "--db", &url]));
    assert_eq!(code, 0, "{err}");
}
