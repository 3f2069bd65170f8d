//! R1.2 the 一刀切 detector: shutdowns of distinct subjects clustered in one county and one industry
//! within a few days, and shutdowns of subjects no complaint names, raise “疑似一刀切” alerts to the city
//! office with the evidence.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::industry::BlanketShutdownConfig;
use crate::handling::{HandlingReport, MeasureKind, date_cn};
use crate::unit::UnitLevel;

/// One shutdown as the detector sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShutdownRecord {
    pub case_id: String,
    pub county_code: String,
    pub county_name: String,
    pub subject: String,
    /// An explicit industry; when empty the keyword map decides.
    #[serde(default)]
    pub industry: Option<String>,
    pub kind: MeasureKind,
    /// The day the shutdown took effect (Beijing date).
    pub on: NaiveDate,
}

impl HandlingReport {
    /// The shutdown records of this report, for the detector (one per shutdown-type measure with a
    /// start date; the subject's recorded industry is carried over).
    pub fn shutdown_records(
        &self,
        case_id: &str,
        county_code: &str,
        county_name: &str,
    ) -> Vec<ShutdownRecord> {
        self.measures
            .iter()
            .filter(|m| m.kind.is_shutdown_type())
            .filter_map(|m| {
                let t = m.shutdown.as_ref()?;
                Some(ShutdownRecord {
                    case_id: case_id.to_owned(),
                    county_code: county_code.to_owned(),
                    county_name: county_name.to_owned(),
                    subject: t.subject.trim().to_owned(),
                    industry: self.subject(&t.subject).and_then(|s| s.industry.clone()),
                    kind: m.kind,
                    on: t.starts_on?,
                })
            })
            .collect()
    }
}

/// One shutdown in an alert's evidence list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShutdownEvidence {
    pub case_id: String,
    pub subject: String,
    pub industry: Option<String>,
    pub kind: MeasureKind,
    pub on: NaiveDate,
    pub named_in_complaint: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlanketAlertKind {
    /// K or more subjects of one industry in one county within D days.
    Cluster,
    /// A shutdown of a subject no complaint names.
    NotNamedInComplaint,
}

/// A “疑似一刀切” alert, addressed to the city office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlanketAlert {
    pub kind: BlanketAlertKind,
    /// Always [`UnitLevel::City`]: the city office receives these.
    pub to_level: UnitLevel,
    pub county_code: String,
    pub county_name: String,
    pub industry: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Distinct subjects concerned.
    pub subjects: usize,
    pub evidence: Vec<ShutdownEvidence>,
    pub summary: String,
    pub raised_on: NaiveDate,
}

impl BlanketAlert {
    /// A stable key so the app raises each alert once: kind, county, industry, first day and the
    /// case ids of the evidence.
    pub fn key(&self) -> String {
        let cases: Vec<&str> = self.evidence.iter().map(|e| e.case_id.as_str()).collect();
        format!(
            "r1_2:{:?}:{}:{}:{}:{}",
            self.kind,
            self.county_code,
            self.industry.as_deref().unwrap_or("-"),
            self.from,
            cases.join(",")
        )
    }
}

fn md_cn(d: NaiveDate) -> String {
    d.format("%-m月%-d日").to_string()
}

fn evidence_text(e: &ShutdownEvidence) -> String {
    let named = if e.named_in_complaint { "" } else { "，未见群众举报" };
    format!("{}（{}，{}，案件{}{}）", e.subject, e.kind.label(), md_cn(e.on), e.case_id, named)
}

/// R1.2. Shutdown-type records dated after `now` are ignored (not yet in force).
///
/// Cluster rule: records are grouped by (county, industry), the industry taken from the record or
/// else from the keyword map (records whose industry cannot be told are not clustered, but are still
/// checked against complaints). Within a group, sorted by date, every window of `window_days`
/// calendar days that starts at a record's date and holds `k` or more *distinct subjects* fires;
/// overlapping firing windows merge into one alert whose evidence is every record in them. So four
/// workshops on the 26th, 27th, 27th and 28th give one alert with four records, not two.
///
/// Not-named rule: every shutdown whose record `named_in_complaint` says no complaint names raises
/// its own alert (and is flagged inside any cluster alert).
pub fn detect_blanket_shutdowns(
    shutdowns: &[ShutdownRecord],
    named_in_complaint: &dyn Fn(&ShutdownRecord) -> bool,
    cfg: &BlanketShutdownConfig,
    now: NaiveDate,
) -> Vec<BlanketAlert> {
    let k = cfg.k.max(1);
    let span = i64::from(cfg.window_days.max(1)) - 1;
    let live: Vec<(&ShutdownRecord, ShutdownEvidence)> = shutdowns
        .iter()
        .filter(|r| r.kind.is_shutdown_type() && r.on <= now)
        .map(|r| {
            let industry = cfg.industry_of(&r.subject, r.industry.as_deref());
            let ev = ShutdownEvidence {
                case_id: r.case_id.clone(),
                subject: r.subject.clone(),
                industry,
                kind: r.kind,
                on: r.on,
                named_in_complaint: named_in_complaint(r),
            };
            (r, ev)
        })
        .collect();

    let mut alerts = Vec::new();
    let mut groups: BTreeMap<(&str, &str), Vec<&(&ShutdownRecord, ShutdownEvidence)>> = BTreeMap::new();
    for item in &live {
        if let Some(ind) = item.1.industry.as_deref() {
            groups.entry((item.0.county_code.as_str(), ind)).or_default().push(item);
        }
    }
    for ((_, industry), mut items) in groups {
        items.sort_by(|a, b| (a.1.on, &a.1.case_id).cmp(&(b.1.on, &b.1.case_id)));
        // Firing windows as index ranges [start, end], merged when they overlap.
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for start in 0..items.len() {
            let last_day = items[start].1.on + chrono::Duration::days(span);
            let end = (start..items.len()).take_while(|&j| items[j].1.on <= last_day).last().unwrap_or(start);
            let distinct = distinct_subjects(items[start..=end].iter().map(|i| i.1.subject.as_str()));
            if distinct < k {
                continue;
            }
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        for (s, e) in merged {
            let evidence: Vec<ShutdownEvidence> = items[s..=e].iter().map(|i| i.1.clone()).collect();
            let first = items[s].0;
            alerts.push(cluster_alert(first, industry, evidence, cfg, now));
        }
    }
    for (r, ev) in &live {
        if !ev.named_in_complaint {
            let summary = format!(
                "疑似“一刀切”：{}对{}采取了“{}”（{}，案件{}），但没有群众举报件指向该企业（场所）。\
                 请市污染防治攻坚战领导小组办公室核查是否存在“一刀切”。",
                r.county_name,
                r.subject,
                r.kind.label(),
                date_cn(r.on),
                r.case_id
            );
            alerts.push(BlanketAlert {
                kind: BlanketAlertKind::NotNamedInComplaint,
                to_level: UnitLevel::City,
                county_code: r.county_code.clone(),
                county_name: r.county_name.clone(),
                industry: ev.industry.clone(),
                from: r.on,
                to: r.on,
                subjects: 1,
                evidence: vec![ev.clone()],
                summary,
                raised_on: now,
            });
        }
    }
    alerts.sort_by(|a, b| (a.from, &a.county_code, a.kind).cmp(&(b.from, &b.county_code, b.kind)));
    alerts
}

fn distinct_subjects<'a>(names: impl Iterator<Item = &'a str>) -> usize {
    names.map(|n| n.chars().filter(|c| !c.is_whitespace()).collect::<String>()).collect::<BTreeSet<_>>().len()
}

fn cluster_alert(
    first: &ShutdownRecord,
    industry: &str,
    evidence: Vec<ShutdownEvidence>,
    cfg: &BlanketShutdownConfig,
    now: NaiveDate,
) -> BlanketAlert {
    let from = evidence.iter().map(|e| e.on).min().unwrap_or(first.on);
    let to = evidence.iter().map(|e| e.on).max().unwrap_or(first.on);
    let subjects = distinct_subjects(evidence.iter().map(|e| e.subject.as_str()));
    let unnamed = evidence.iter().filter(|e| !e.named_in_complaint).count();
    let when = if from == to {
        format!("{}当日", date_cn(from))
    } else {
        format!("{}至{}", date_cn(from), md_cn(to))
    };
    let unnamed_text =
        if unnamed > 0 { format!("其中{unnamed}起未见群众举报。") } else { String::new() };
    let summary = format!(
        "疑似“一刀切”：{}{}对{}家{}企业（场所）采取停产、关停等措施，达到预警标准（{}日内同一县区同一行业{}家）。\
         {}涉及：{}。请市污染防治攻坚战领导小组办公室核查是否存在“一刀切”。",
        first.county_name,
        when,
        subjects,
        industry,
        cfg.window_days,
        cfg.k,
        unnamed_text,
        evidence.iter().map(evidence_text).collect::<Vec<_>>().join("；")
    );
    BlanketAlert {
        kind: BlanketAlertKind::Cluster,
        to_level: UnitLevel::City,
        county_code: first.county_code.clone(),
        county_name: first.county_name.clone(),
        industry: Some(industry.to_owned()),
        from,
        to,
        subjects,
        evidence,
        summary,
        raised_on: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handling::tests::d;

    fn rec(case: &str, county: &str, subject: &str, on: NaiveDate) -> ShutdownRecord {
        ShutdownRecord {
            case_id: case.into(),
            county_code: county.into(),
            county_name: if county == "410922" { "清丰县".into() } else { "南乐县".into() },
            subject: subject.into(),
            industry: None,
            kind: MeasureKind::SuspendProduction,
            on,
        }
    }

    #[test]
    fn r1_2_sliding_window_table() {
        let cfg = BlanketShutdownConfig::default(); // K = 3, D = 3
        let all_named = |_: &ShutdownRecord| true;
        type Case = (&'static str, Vec<ShutdownRecord>, Vec<Vec<&'static str>>);
        let q = "410922";
        let table: Vec<Case> = vec![
            (
                "three in three days fire",
                vec![
                    rec("a", q, "甲家具厂", d(2019, 11, 26)),
                    rec("b", q, "乙家具厂", d(2019, 11, 27)),
                    rec("c", q, "丙家具厂", d(2019, 11, 28)),
                ],
                vec![vec!["a", "b", "c"]],
            ),
            (
                "three spread over four days do not",
                vec![
                    rec("a", q, "甲家具厂", d(2019, 11, 26)),
                    rec("b", q, "乙家具厂", d(2019, 11, 27)),
                    rec("c", q, "丙家具厂", d(2019, 11, 29)),
                ],
                vec![],
            ),
            (
                "two are below K",
                vec![rec("a", q, "甲家具厂", d(2019, 11, 26)), rec("b", q, "乙家具厂", d(2019, 11, 26))],
                vec![],
            ),
            (
                "the same subject twice counts once",
                vec![
                    rec("a", q, "甲家具厂", d(2019, 11, 26)),
                    rec("b", q, "甲家具厂", d(2019, 11, 27)),
                    rec("c", q, "乙家具厂", d(2019, 11, 27)),
                ],
                vec![],
            ),
            (
                "different industries do not add up",
                vec![
                    rec("a", q, "甲家具厂", d(2019, 11, 26)),
                    rec("b", q, "乙砖厂", d(2019, 11, 26)),
                    rec("c", q, "丙家具厂", d(2019, 11, 26)),
                ],
                vec![],
            ),
            (
                "different counties do not add up",
                vec![
                    rec("a", q, "甲家具厂", d(2019, 11, 26)),
                    rec("b", "410923", "乙家具厂", d(2019, 11, 26)),
                    rec("c", q, "丙家具厂", d(2019, 11, 26)),
                ],
                vec![],
            ),
            (
                "overlapping windows merge into one alert",
                vec![
                    rec("a", q, "甲家具厂", d(2019, 11, 26)),
                    rec("b", q, "乙家具厂", d(2019, 11, 27)),
                    rec("c", q, "丙家具厂", d(2019, 11, 28)),
                    rec("d", q, "丁家具厂", d(2019, 11, 29)),
                ],
                vec![vec!["a", "b", "c", "d"]],
            ),
            (
                "separate bursts give separate alerts",
                vec![
                    rec("a", q, "甲家具厂", d(2019, 11, 1)),
                    rec("b", q, "乙家具厂", d(2019, 11, 1)),
                    rec("c", q, "丙家具厂", d(2019, 11, 2)),
                    rec("d", q, "丁家具厂", d(2019, 11, 20)),
                    rec("e", q, "戊家具厂", d(2019, 11, 21)),
                    rec("f", q, "己家具厂", d(2019, 11, 22)),
                ],
                vec![vec!["a", "b", "c"], vec!["d", "e", "f"]],
            ),
            (
                "future shutdowns are not counted",
                vec![
                    rec("a", q, "甲家具厂", d(2019, 11, 29)),
                    rec("b", q, "乙家具厂", d(2019, 11, 30)),
                    rec("c", q, "丙家具厂", d(2019, 12, 1)),
                ],
                vec![],
            ),
        ];
        let now = d(2019, 11, 30);
        for (name, records, expect) in table {
            let alerts = detect_blanket_shutdowns(&records, &all_named, &cfg, now);
            let got: Vec<Vec<&str>> =
                alerts.iter().map(|a| a.evidence.iter().map(|e| e.case_id.as_str()).collect()).collect();
            assert_eq!(got, expect, "{name}");
            assert!(
                alerts.iter().all(|a| a.kind == BlanketAlertKind::Cluster && a.to_level == UnitLevel::City)
            );
        }
    }

    #[test]
    fn r1_2_window_and_k_are_configurable() {
        let records = vec![
            rec("a", "410922", "甲家具厂", d(2019, 11, 26)),
            rec("b", "410922", "乙家具厂", d(2019, 11, 29)),
        ];
        let named = |_: &ShutdownRecord| true;
        let cfg = BlanketShutdownConfig { k: 2, window_days: 4, ..Default::default() };
        assert_eq!(detect_blanket_shutdowns(&records, &named, &cfg, d(2019, 12, 1)).len(), 1);
        let cfg = BlanketShutdownConfig { k: 2, window_days: 3, ..Default::default() };
        assert_eq!(detect_blanket_shutdowns(&records, &named, &cfg, d(2019, 12, 1)).len(), 0);
        assert!(BlanketShutdownConfig { k: 1, ..Default::default() }.validate().is_err());
        assert!(BlanketShutdownConfig { window_days: 0, ..Default::default() }.validate().is_err());
        assert!(BlanketShutdownConfig::default().validate().is_ok());
    }

    #[test]
    fn r1_2_shutdown_of_unnamed_subject_alerts_alone() {
        let records = vec![rec("x1", "410922", "某某有限公司", d(2019, 11, 26))];
        let alerts = detect_blanket_shutdowns(
            &records,
            &|_| false,
            &BlanketShutdownConfig::default(),
            d(2019, 11, 27),
        );
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].kind, BlanketAlertKind::NotNamedInComplaint);
        assert!(alerts[0].summary.contains("没有群众举报件指向"), "{}", alerts[0].summary);
        assert!(alerts[0].summary.contains("某某有限公司"));
        // Non-shutdown measures are ignored.
        let mut r = records[0].clone();
        r.kind = MeasureKind::Penalty;
        assert!(
            detect_blanket_shutdowns(&[r], &|_| false, &BlanketShutdownConfig::default(), d(2019, 11, 27))
                .is_empty()
        );
    }
}
