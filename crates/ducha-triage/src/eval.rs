//! Evaluation against a labelled set (`crates/ducha-triage/eval/complaints.jsonl`): one
//! [`EvalItem`] per line = a [`TriageInput`] plus `expected`; [`evaluate`] compares the engine's
//! outputs and renders a plain-text table.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::TriageError;
use crate::classify::{PollutionType, Sansan};
use crate::triage::{LineId, Triage, TriageInput, TriageOutput};

/// The labels of one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expected {
    pub county_code: String,
    #[serde(default)]
    pub township_code: Option<String>,
    #[serde(default)]
    pub village_code: Option<String>,
    #[serde(default)]
    pub pollution_types: Vec<PollutionType>,
    #[serde(default)]
    pub sansan: Option<Sansan>,
    #[serde(default)]
    pub dup_of: Option<LineId>,
    /// Exact substrings of `text` that must not survive redaction.
    #[serde(default)]
    pub pii: Vec<String>,
    /// Exact substrings of `text` (place/enterprise names) that must survive redaction.
    #[serde(default)]
    pub keep: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// One labelled line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalItem {
    #[serde(flatten)]
    pub input: TriageInput,
    pub expected: Expected,
}

/// Parses one labelled JSONL line; the error names the line.
pub fn parse_eval_line(line: &str, line_no: usize) -> Result<EvalItem, TriageError> {
    serde_json::from_str(line.trim_start_matches('\u{feff}'))
        .map_err(|e| TriageError::new("bad_jsonl", format!("无法解析评测行：{e}")).at("<eval>", line_no))
}

/// Parses a whole labelled file (blank lines skipped). Every bad line is reported.
pub fn parse_eval_set(text: &str) -> Result<Vec<EvalItem>, Vec<TriageError>> {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_eval_line(line, i + 1) {
            Ok(it) => items.push(it),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(items) } else { Err(errors) }
}

/// Precision / recall / F1 with the counts behind them.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

/// Correct out of total.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Acc {
    pub correct: usize,
    pub total: usize,
}

impl Acc {
    pub fn value(&self) -> f64 {
        ratio(self.correct, self.total)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Per-field results of one evaluation run.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct EvalReport {
    pub items: usize,
    /// County (or OUTSIDE/UNKNOWN) exactly right, over all items.
    pub county: Acc,
    /// Township right where the label is non-null.
    pub township: Acc,
    /// Predicted townships that are right (label null counts as wrong when a township was given).
    pub township_precision: Acc,
    pub village: Acc,
    pub village_precision: Acc,
    /// Micro-averaged over the eight types.
    pub types: Prf,
    pub sansan: Acc,
    /// Pairwise over the set of same-source pairs (clusters built from `dup_of` links).
    pub dup_pairs: Prf,
    /// PII spans removed / PII spans.
    pub pii: Acc,
    /// Names to keep that survived / names to keep.
    pub keep: Acc,
    /// Item ids per failing field (for the eval printout).
    pub misses: Vec<(String, String)>,
}

/// Quality bars from issue 3.
pub const BAR_COUNTY: f64 = 0.97;
pub const BAR_TOWNSHIP: f64 = 0.90;
pub const BAR_TYPES_F1: f64 = 0.90;
pub const BAR_DUP_F1: f64 = 0.90;
pub const BAR_PII_RECALL: f64 = 1.0;
pub const BAR_KEEP: f64 = 0.95;

impl EvalReport {
    /// The bars this report misses, in Chinese (empty when all are met).
    pub fn failed_bars(&self) -> Vec<String> {
        let mut f = Vec::new();
        let mut bar = |name: &str, v: f64, min: f64| {
            if v + 1e-9 < min {
                f.push(format!("{name} {:.1}% < {:.1}%", v * 100.0, min * 100.0));
            }
        };
        bar("区县准确率", self.county.value(), BAR_COUNTY);
        bar("乡镇准确率", self.township.value(), BAR_TOWNSHIP);
        bar("污染类型F1", self.types.f1(), BAR_TYPES_F1);
        bar("重复件F1", self.dup_pairs.f1(), BAR_DUP_F1);
        bar("隐私召回率", self.pii.value(), BAR_PII_RECALL);
        bar("地名保留率", self.keep.value(), BAR_KEEP);
        f
    }
}

impl std::fmt::Display for EvalReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |x: f64| format!("{:6.1}%", x * 100.0);
        writeln!(f, "triage evaluation: {} items", self.items)?;
        writeln!(f, "{:<28} {:>8} {:>8} {:>8} {:>12}", "field", "P", "R", "F1/acc", "counts")?;
        let acc = |f: &mut std::fmt::Formatter<'_>, name: &str, a: Acc, bar: Option<f64>| {
            writeln!(
                f,
                "{:<28} {:>8} {:>8} {:>8} {:>12}{}",
                name,
                "",
                "",
                pct(a.value()),
                format!("{}/{}", a.correct, a.total),
                bar.map(|b| format!("  (bar {:.0}%)", b * 100.0)).unwrap_or_default()
            )
        };
        let prf = |f: &mut std::fmt::Formatter<'_>, name: &str, p: Prf, bar: Option<f64>| {
            writeln!(
                f,
                "{:<28} {:>8} {:>8} {:>8} {:>12}{}",
                name,
                pct(p.precision()),
                pct(p.recall()),
                pct(p.f1()),
                format!("tp{} fp{} fn{}", p.tp, p.fp, p.fn_),
                bar.map(|b| format!("  (bar F1 {:.0}%)", b * 100.0)).unwrap_or_default()
            )
        };
        acc(f, "county accuracy", self.county, Some(BAR_COUNTY))?;
        acc(f, "township accuracy (labelled)", self.township, Some(BAR_TOWNSHIP))?;
        acc(f, "township precision", self.township_precision, None)?;
        acc(f, "village accuracy (labelled)", self.village, None)?;
        acc(f, "village precision", self.village_precision, None)?;
        prf(f, "pollution types (micro)", self.types, Some(BAR_TYPES_F1))?;
        acc(f, "sansan accuracy", self.sansan, None)?;
        prf(f, "duplicate pairs", self.dup_pairs, Some(BAR_DUP_F1))?;
        acc(f, "PII recall (spans removed)", self.pii, Some(BAR_PII_RECALL))?;
        acc(f, "names kept", self.keep, Some(BAR_KEEP))?;
        let failed = self.failed_bars();
        if failed.is_empty() {
            writeln!(f, "all quality bars met")?;
        } else {
            writeln!(f, "bars missed: {}", failed.join("; "))?;
        }
        Ok(())
    }
}

/// Runs a fresh engine over the items in order (duplicates compared with earlier items only).
pub fn run(triage: &mut Triage, items: &[EvalItem]) -> Vec<TriageOutput> {
    triage.reset();
    items.iter().map(|it| triage.triage_line(&it.input)).collect()
}

/// Same-source pairs from `dup_of` links (each item joins its target's cluster).
fn pairs(ids: &[String], links: &[Option<String>]) -> HashSet<(usize, usize)> {
    let pos: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    let mut root: Vec<usize> = (0..ids.len()).collect();
    fn find(root: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while root[r] != r {
            r = root[r];
        }
        root[i] = r;
        r
    }
    for (i, l) in links.iter().enumerate() {
        if let Some(t) = l.as_deref().and_then(|t| pos.get(t)) {
            let (a, b) = (find(&mut root, i), find(&mut root, *t));
            root[a] = b;
        }
    }
    let mut clusters: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..ids.len() {
        let r = find(&mut root, i);
        clusters.entry(r).or_default().push(i);
    }
    let mut out = HashSet::new();
    for members in clusters.values() {
        for (k, &a) in members.iter().enumerate() {
            for &b in &members[k + 1..] {
                out.insert((a.min(b), a.max(b)));
            }
        }
    }
    out
}

/// Compares outputs (same order as items) with the labels.
pub fn evaluate(items: &[EvalItem], outputs: &[TriageOutput]) -> EvalReport {
    let mut r = EvalReport { items: items.len(), ..EvalReport::default() };
    let mut miss = |id: &LineId, what: String| r.misses.push((id.to_string(), what));
    let mut county = Acc::default();
    let mut township = Acc::default();
    let mut township_p = Acc::default();
    let mut village = Acc::default();
    let mut village_p = Acc::default();
    let mut types = Prf::default();
    let mut sansan = Acc::default();
    let mut pii = Acc::default();
    let mut keep = Acc::default();
    for (it, out) in items.iter().zip(outputs) {
        let e = &it.expected;
        let id = &it.input.id;
        county.total += 1;
        if out.county_code == e.county_code {
            county.correct += 1;
        } else {
            miss(id, format!("county {} ≠ {}", out.county_code, e.county_code));
        }
        if let Some(t) = &e.township_code {
            township.total += 1;
            if out.township_code.as_ref() == Some(t) {
                township.correct += 1;
            } else {
                miss(id, format!("township {:?} ≠ {t}", out.township_code));
            }
        }
        if let Some(t) = &out.township_code {
            township_p.total += 1;
            if e.township_code.as_ref() == Some(t) {
                township_p.correct += 1;
            }
        }
        if let Some(v) = &e.village_code {
            village.total += 1;
            if out.village_code.as_ref() == Some(v) {
                village.correct += 1;
            }
        }
        if let Some(v) = &out.village_code {
            village_p.total += 1;
            if e.village_code.as_ref() == Some(v) {
                village_p.correct += 1;
            }
        }
        let want: HashSet<PollutionType> = e.pollution_types.iter().copied().collect();
        let got: HashSet<PollutionType> = out.pollution_types.iter().copied().collect();
        types.tp += want.intersection(&got).count();
        types.fp += got.difference(&want).count();
        types.fn_ += want.difference(&got).count();
        if want != got {
            miss(id, format!("types {:?} ≠ {:?}", out.pollution_types, e.pollution_types));
        }
        sansan.total += 1;
        if out.sansan == e.sansan {
            sansan.correct += 1;
        } else {
            miss(id, format!("sansan {:?} ≠ {:?}", out.sansan, e.sansan));
        }
        for p in &e.pii {
            pii.total += 1;
            if out.redacted_text.contains(p.as_str()) {
                miss(id, format!("PII kept: {p}"));
            } else {
                pii.correct += 1;
            }
        }
        for k in &e.keep {
            keep.total += 1;
            if out.redacted_text.contains(k.as_str()) {
                keep.correct += 1;
            } else {
                miss(id, format!("name removed: {k}"));
            }
        }
    }
    let ids: Vec<String> = items.iter().map(|i| i.input.id.to_string()).collect();
    let gold = pairs(
        &ids,
        &items.iter().map(|i| i.expected.dup_of.as_ref().map(|d| d.to_string())).collect::<Vec<_>>(),
    );
    let pred =
        pairs(&ids, &outputs.iter().map(|o| o.dup_of.as_ref().map(|d| d.to_string())).collect::<Vec<_>>());
    let dup = Prf {
        tp: gold.intersection(&pred).count(),
        fp: pred.difference(&gold).count(),
        fn_: gold.difference(&pred).count(),
    };
    for (it, out) in items.iter().zip(outputs) {
        if it.expected.dup_of != out.dup_of {
            r.misses.push((
                it.input.id.to_string(),
                format!("dup_of {:?} ≠ {:?}", out.dup_of, it.expected.dup_of),
            ));
        }
    }
    EvalReport {
        county,
        township,
        township_precision: township_p,
        village,
        village_precision: village_p,
        types,
        sansan,
        dup_pairs: dup,
        pii,
        keep,
        ..r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SET: &str = r#"{"id":"a1","text":"濮阳县柳屯镇东陈庄村北头有个塑料颗粒加工点夜里冒黑烟。我叫王建国，电话13803930123","channel":"phone","complainant":{"name":"王建国","phone":"13803930123","address":null},"expected":{"county_code":"410928","township_code":"410928101","village_code":null,"pollution_types":["大气"],"sansan":"散乱污企业","dup_of":null,"pii":["王建国","13803930123"],"keep":["柳屯镇","东陈庄村"]}}
{"id":"a2","text":"柳屯镇东陈庄北边的塑料颗粒作坊晚上冒烟，味道刺鼻","expected":{"county_code":"410928","township_code":"410928101","pollution_types":["大气"],"sansan":"散乱污企业","dup_of":"a1","pii":[],"keep":["东陈庄"]}}
{"id":"a3","text":"山东莘县一家化工厂排放刺鼻气体","expected":{"county_code":"OUTSIDE","pollution_types":["大气"],"sansan":null,"dup_of":null}}
"#;

    #[test]
    fn parses_and_scores_a_small_set() {
        let items = parse_eval_set(SET).unwrap();
        assert_eq!(items.len(), 3);
        let mut t = Triage::builtin();
        let outs = run(&mut t, &items);
        let r = evaluate(&items, &outs);
        assert_eq!(r.county.total, 3);
        assert_eq!(r.township.total, 2);
        assert_eq!(r.pii.total, 2);
        let s = r.to_string();
        assert!(s.contains("county accuracy") && s.contains("duplicate pairs"), "{s}");
    }

    #[test]
    fn scores_are_computed_from_the_labels() {
        let items = parse_eval_set(SET).unwrap();
        // A deliberately wrong output: every field off.
        let outs: Vec<TriageOutput> = items
            .iter()
            .map(|it| TriageOutput {
                id: it.input.id.clone(),
                county_code: "UNKNOWN".into(),
                township_code: Some("410902001".into()),
                village_code: None,
                pollution_types: vec![PollutionType::Noise],
                sansan: None,
                dup_of: None,
                redacted_text: it.input.text.clone(),
                confidence: Default::default(),
            })
            .collect();
        let r = evaluate(&items, &outs);
        assert_eq!(r.county.correct, 0);
        assert_eq!(r.township.correct, 0);
        assert_eq!(r.township_precision.correct, 0);
        assert_eq!((r.types.tp, r.types.fp, r.types.fn_), (0, 3, 3));
        assert_eq!((r.dup_pairs.tp, r.dup_pairs.fn_), (0, 1));
        assert_eq!(r.pii.correct, 0);
        assert_eq!(r.keep.value(), 1.0);
        assert_eq!(r.failed_bars().len(), 5);
    }

    #[test]
    fn pairwise_clusters_follow_chains() {
        let ids: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        let p = pairs(&ids, &[None, Some("a".into()), Some("b".into()), None]);
        assert_eq!(p.len(), 3);
        assert!(p.contains(&(0, 2)));
    }

    #[test]
    fn bad_lines_are_named() {
        let errs = parse_eval_set("{\"id\":1}\n\nnot json\n").unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].line, Some(1));
        assert_eq!(errs[1].line, Some(3));
    }
}
