//! The pinned `ducha triage` JSONL interface (DESIGN.md): field names, null handling, id echo,
//! `dup_of` pointing at the earliest earlier line, bad lines named by number.
#![allow(clippy::unwrap_used)] // test helpers

use ducha_triage::{Triage, parse_jsonl_line};
use serde_json::{Value, json};

fn run(lines: &[&str]) -> Vec<Value> {
    let mut t = Triage::builtin();
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let input = parse_jsonl_line(l, i + 1).unwrap();
            serde_json::to_value(t.triage_line(&input)).unwrap()
        })
        .collect()
}

#[test]
fn output_has_exactly_the_pinned_fields() {
    let out = run(&[
        r#"{"id":"a","text":"濮阳县柳屯镇东陈庄村有个塑料颗粒作坊晚上冒黑烟。我叫王建国，电话13803930123","received_at":"2023-12-15T09:12:00+08:00","channel":"phone","complainant":{"name":"王建国","phone":"13803930123","address":null}}"#,
    ]);
    let o = out[0].as_object().unwrap();
    let mut keys: Vec<&str> = o.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "confidence",
            "county_code",
            "dup_of",
            "id",
            "pollution_types",
            "redacted_text",
            "sansan",
            "township_code",
            "village_code"
        ]
    );
    let mut ck: Vec<&str> = o["confidence"].as_object().unwrap().keys().map(String::as_str).collect();
    ck.sort_unstable();
    assert_eq!(ck, ["county_code", "dup_of", "pollution_types", "sansan", "township_code", "village_code"]);
    assert_eq!(o["id"], json!("a"));
    assert_eq!(o["county_code"], json!("410928"));
    assert_eq!(o["township_code"], json!("410928101"));
    assert_eq!(o["village_code"], json!("410928101208"));
    assert_eq!(o["pollution_types"], json!(["大气"]));
    assert_eq!(o["sansan"], json!("散乱污企业"));
    assert_eq!(o["dup_of"], Value::Null);
    let red = o["redacted_text"].as_str().unwrap();
    assert!(!red.contains("王建国") && !red.contains("13803930123"), "{red}");
    assert!(red.contains("柳屯镇") && red.contains("东陈庄村"), "{red}");
    for v in o["confidence"].as_object().unwrap().values() {
        let c = v.as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
    }
}

#[test]
fn minimal_lines_and_numeric_ids() {
    let out = run(&[
        r#"{"id":7,"text":"晚上有噪音"}"#,
        r#"{"id":"x","text":"山东莘县一家化工厂排放刺鼻气体","complainant":{"name":null,"phone":null,"address":null}}"#,
    ]);
    assert_eq!(out[0]["id"], json!(7));
    assert_eq!(out[0]["county_code"], json!("UNKNOWN"));
    assert_eq!(out[0]["township_code"], Value::Null);
    assert_eq!(out[1]["county_code"], json!("OUTSIDE"));
}

#[test]
fn dup_of_names_the_earliest_earlier_line() {
    let out = run(&[
        r#"{"id":"l1","text":"南乐县张果屯镇鑫源塑料制品有限公司往河沟里偷排废水"}"#,
        r#"{"id":"l2","text":"清丰县马庄桥镇工地夜间施工噪音扰民"}"#,
        r#"{"id":"l3","text":"张果屯镇新源塑料厂排污水，沟里的水都黑了"}"#,
        r#"{"id":"l4","text":"南乐县鑫源塑料公司又开始偷排废水了"}"#,
    ]);
    assert_eq!(out[0]["dup_of"], Value::Null);
    assert_eq!(out[1]["dup_of"], Value::Null);
    assert_eq!(out[2]["dup_of"], json!("l1"));
    assert_eq!(out[3]["dup_of"], json!("l1"));
}

#[test]
fn bad_lines_are_named_and_do_not_stop_the_run() {
    let e = parse_jsonl_line("{\"text\":\"缺少id\"}", 12).unwrap_err();
    assert_eq!(e.line, Some(12));
    assert!(e.to_string().contains("第12行"), "{e}");
    let e = parse_jsonl_line("not json", 3).unwrap_err();
    assert_eq!(e.line, Some(3));
    let e = parse_jsonl_line(r#"{"id":"a","text":"x","received_at":"昨天"}"#, 4).unwrap_err();
    assert_eq!(e.line, Some(4));
    let ok =
        parse_jsonl_line(r#"{"id":"a","text":"x","received_at":"2023-12-15 09:12:00","channel":"D"}"#, 5)
            .unwrap();
    assert_eq!(ok.received_at.unwrap().to_rfc3339(), "2023-12-15T09:12:00+08:00");
}

#[test]
fn triage_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Triage>();
    assert_send_sync::<ducha_triage::Router>();
    assert_send_sync::<ducha_triage::DupIndex>();
}

/// A store rebuilds an old duplicate document from the complaint text and its stored redacted form,
/// without the complainant's identity; it must be the document intake made.
#[test]
fn dup_doc_rebuilt_from_stored_texts_is_the_intake_one() {
    let t = Triage::builtin();
    let text = "濮阳县柳屯镇东陈庄村有个鑫源塑料颗粒作坊晚上冒黑烟。我叫王建国，电话13803930123";
    let who = ducha_triage::Identity {
        name: Some("王建国".into()),
        phone: Some("13803930123".into()),
        ..Default::default()
    };
    let a = t.analyze(text, &who);
    assert_ne!(a.redacted.text, text);
    let again = t.dup_doc_for(text, &a.redacted.text);
    assert_eq!(again, a.dup_doc);
    assert!(again.is_current());
}
