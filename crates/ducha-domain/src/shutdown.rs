//! R1: no blanket shutdown (禁止“一刀切”).
//!
//! - R1.1 [`check_shutdown_measure`]: a shutdown-type measure is accepted only on a completed
//!   属实/部分属实 finding, naming one of the case's subjects, with a legal basis, scope, start and end,
//!   a rectification target and verification conditions — no “一停了之”.
//! - R1.2 [`detect_blanket_shutdowns`]: K or more shutdowns of distinct subjects in one county and one
//!   industry within D days, or a shutdown of a subject no complaint names, raise a “疑似一刀切” alert to
//!   the city office with the evidence; livelihood trades need a second approval
//!   ([`requires_second_approval`], [`check_second_approval`]).
//! - R1.3 [`overdue_unverified`]: a shutdown or scheduled rectification past its due date without
//!   verification raises a “长停久治、久治不验” alert, escalating weekly.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::handling::{
    Finding, HandlingReport, Measure, MeasureKind, Rectification, blank, date_cn, same_name,
};
use crate::unit::UnitLevel;

// ---------------------------------------------------------------------------------------------
// R1.1

/// Whether a legal basis cites a law or regulation by name (《…》) and an article (第…条).
pub fn cites_law_and_article(basis: &str) -> bool {
    let Some(open) = basis.find('《') else { return false };
    let Some(close) = basis[open..].find('》').map(|c| c + open) else { return false };
    if close <= open + '《'.len_utf8() {
        return false;
    }
    let after = &basis[close..];
    match (after.find('第'), after.rfind('条')) {
        (Some(di), Some(ti)) => di < ti,
        _ => false,
    }
}

/// What a shutdown-type measure lacks under R1.1, as Chinese phrases (empty when lawful, or when the
/// measure is not shutdown-type).
pub fn shutdown_problems(report: &HandlingReport, measure: &Measure) -> Vec<String> {
    let mut missing: Vec<String> = Vec::new();
    if !measure.kind.is_shutdown_type() {
        return missing;
    }
    match report.finding() {
        Some(Finding::False) => {
            missing.push("属实或部分属实的调查结论（本案调查结论为不属实，不能采取停产类措施）".into())
        }
        Some(_) if !blank(&report.facts) => {}
        _ => missing.push("已完成的调查核实结论（属实或部分属实）".into()),
    }
    let empty = crate::handling::ShutdownTerms::default();
    let t = measure.shutdown.as_ref().unwrap_or(&empty);
    if blank(&t.subject) {
        missing.push("停产对象（具体企业或场所名称）".into());
    } else if report.subject(&t.subject).is_none() {
        missing.push(format!("经调查认定的停产对象（“{}”不在本案涉及的企业或场所中）", t.subject.trim()));
    }
    if blank(&t.legal_basis) {
        missing.push("法律依据（如《中华人民共和国大气污染防治法》第一百零八条）".into());
    } else if !cites_law_and_article(&t.legal_basis) {
        missing.push(format!("写明法律法规名称和条款的法律依据（“{}”未写明具体条款）", t.legal_basis.trim()));
    }
    if blank(&t.scope) {
        missing.push("停产范围（涉及的生产线、工序或设备）".into());
    }
    match (t.starts_on, t.ends_on) {
        (None, None) => missing.push("起止时间".into()),
        (None, Some(_)) => missing.push("起始时间".into()),
        (Some(_), None) => missing.push("截止时间".into()),
        (Some(a), Some(b)) if b < a => missing.push("正确的起止时间（截止时间早于起始时间）".into()),
        _ => {}
    }
    if blank(&t.rectification_target) {
        missing.push("整改目标".into());
    }
    if blank(&t.verification_conditions) {
        missing.push(
            if measure.kind == MeasureKind::CloseBan {
                "取缔到位的验收条件"
            } else {
                "复产验收条件"
            }
            .into(),
        );
    }
    missing
}

/// R1.1. Ok for a non-shutdown measure or a lawful shutdown; otherwise one refusal listing everything
/// missing (`details`). Codes: `r1_1_shutdown_before_finding` (no completed finding yet),
/// `r1_1_shutdown_on_false_finding` (the finding is 不属实), `r1_1_shutdown_without_basis` (the terms
/// are incomplete).
pub fn check_shutdown_measure(report: &HandlingReport, measure: &Measure) -> Result<(), DomainError> {
    let missing = shutdown_problems(report, measure);
    if missing.is_empty() {
        return Ok(());
    }
    let code = match report.finding() {
        Some(Finding::False) => "r1_1_shutdown_on_false_finding",
        Some(_) if !blank(&report.facts) => "r1_1_shutdown_without_basis",
        _ => "r1_1_shutdown_before_finding",
    };
    Err(DomainError::new(
        code,
        format!(
            "“{}”属于停产类措施，须依法依规、精准施策，不能“一停了之”。还缺少：{}。",
            measure.kind.label(),
            missing.join("；")
        ),
    )
    .with_field("measures")
    .with_details(missing))
}

// ---------------------------------------------------------------------------------------------
// Industries and livelihood trades

const BUILTIN_INDUSTRIES: &str = include_str!("../../../data/industries.csv");

/// One industry with the name keywords that identify it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndustryEntry {
    pub industry: String,
    /// The livelihood group (餐饮, 供暖, 养殖, 种植, 建材, 农贸 …) this industry belongs to, if any.
    #[serde(default)]
    pub livelihood_group: Option<String>,
    pub keywords: Vec<String>,
}

/// Keyword map from a subject's name to its industry. The longest matching keyword wins; on a tie the
/// earlier entry wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IndustryMap(pub Vec<IndustryEntry>);

impl IndustryMap {
    /// The built-in map (`data/industries.csv`: `industry,livelihood_group,keywords` with keywords
    /// separated by `|`).
    pub fn builtin() -> Self {
        Self::parse_csv(BUILTIN_INDUSTRIES)
    }

    /// Parse the CSV layout of the built-in file (header line first; blank lines and lines starting
    /// with `#` skipped).
    pub fn parse_csv(text: &str) -> Self {
        let entries = text
            .lines()
            .skip(1)
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|line| {
                let mut cols = line.splitn(3, ',');
                let industry = cols.next()?.trim().to_owned();
                let group = cols.next()?.trim();
                let keywords: Vec<String> = cols
                    .next()?
                    .split('|')
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(String::from)
                    .collect();
                (!industry.is_empty()).then(|| IndustryEntry {
                    industry,
                    livelihood_group: (!group.is_empty()).then(|| group.to_owned()),
                    keywords,
                })
            })
            .collect();
        Self(entries)
    }

    /// The industry a subject name suggests.
    pub fn classify(&self, name: &str) -> Option<&str> {
        let mut best: Option<(usize, &str)> = None;
        for e in &self.0 {
            for k in &e.keywords {
                let len = k.chars().count();
                if name.contains(k.as_str()) && best.is_none_or(|(l, _)| len > l) {
                    best = Some((len, &e.industry));
                }
            }
        }
        best.map(|(_, i)| i)
    }

    pub fn entry(&self, industry: &str) -> Option<&IndustryEntry> {
        self.0.iter().find(|e| e.industry == industry)
    }
}

/// Configuration of the R1.2 detector and the livelihood second approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BlanketShutdownConfig {
    /// K: distinct subjects shut down in one county and one industry that raise an alert (default 3).
    pub k: usize,
    /// D: the window in calendar days, inclusive of both ends (default 3: e.g. 26th–28th).
    pub window_days: u32,
    pub industry_map: IndustryMap,
    /// Livelihood trades: an industry is one when its name or its livelihood group is listed here.
    pub livelihood_trades: BTreeSet<String>,
}

impl Default for BlanketShutdownConfig {
    fn default() -> Self {
        Self {
            k: 3,
            window_days: 3,
            industry_map: IndustryMap::builtin(),
            livelihood_trades: ["餐饮", "供暖", "养殖", "种植", "建材", "农贸"]
                .into_iter()
                .map(String::from)
                .collect(),
        }
    }
}

impl BlanketShutdownConfig {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.k < 2 {
            return Err(DomainError::invalid("k", "预警家数至少为2家"));
        }
        if self.window_days < 1 {
            return Err(DomainError::invalid("window_days", "预警时间窗口至少为1天"));
        }
        Ok(())
    }

    /// An explicit industry when given (non-empty), else the keyword map's guess from the name.
    pub fn industry_of(&self, subject_name: &str, explicit: Option<&str>) -> Option<String> {
        explicit
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .or_else(|| self.industry_map.classify(subject_name).map(String::from))
    }

    /// Whether an industry is a livelihood trade (its name or its group is in the list).
    pub fn is_livelihood(&self, industry: &str) -> bool {
        self.livelihood_trades.contains(industry)
            || self
                .industry_map
                .entry(industry)
                .and_then(|e| e.livelihood_group.as_deref())
                .is_some_and(|g| self.livelihood_trades.contains(g))
    }
}

/// R1.2: a shutdown-type measure on a subject in a livelihood trade needs a second approval.
pub fn requires_second_approval(
    kind: MeasureKind,
    subject_name: &str,
    explicit_industry: Option<&str>,
    cfg: &BlanketShutdownConfig,
) -> bool {
    kind.is_shutdown_type()
        && cfg.industry_of(subject_name, explicit_industry).is_some_and(|i| cfg.is_livelihood(&i))
}

/// R1.2: where [`requires_second_approval`] holds for the measure's subject (industry from the report's
/// subject record or the name), the measure must carry a second approval with an approver who is
/// neither the person who ordered it (`ordered_by`) nor of the ordering unit (`ordering_unit`), and a
/// written opinion. Code `r1_2_livelihood_needs_second_approval`.
pub fn check_second_approval(
    report: &HandlingReport,
    measure: &Measure,
    ordered_by: &str,
    ordering_unit: &str,
    cfg: &BlanketShutdownConfig,
) -> Result<(), DomainError> {
    let Some(terms) = &measure.shutdown else {
        return Ok(());
    };
    let explicit = report.subject(&terms.subject).and_then(|s| s.industry.as_deref());
    if !requires_second_approval(measure.kind, &terms.subject, explicit, cfg) {
        return Ok(());
    }
    let industry = cfg.industry_of(&terms.subject, explicit).unwrap_or_default();
    let mut missing = Vec::new();
    match &terms.second_approval {
        None => missing.push("第二级审批".to_owned()),
        Some(a) => {
            if blank(&a.approver) || blank(&a.unit) {
                missing.push("审批人及其单位".to_owned());
            }
            if same_name(&a.approver, ordered_by) {
                missing.push("由决定停产以外的人员审批（审批人与决定人相同）".to_owned());
            }
            if same_name(&a.unit, ordering_unit) {
                missing.push("由决定停产以外的单位审批（审批单位与决定单位相同）".to_owned());
            }
            if blank(&a.opinion) {
                missing.push("审批意见".to_owned());
            }
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(DomainError::new(
        "r1_2_livelihood_needs_second_approval",
        format!(
            "“{}”属于涉及民生的{}行业，对其采取“{}”须妥善处理、分类施策，并经第二级审批。还缺少：{}。",
            terms.subject.trim(),
            industry,
            measure.kind.label(),
            missing.join("；")
        ),
    )
    .with_field("second_approval")
    .with_details(missing))
}

// ---------------------------------------------------------------------------------------------
// R1.2 detector

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

// ---------------------------------------------------------------------------------------------
// R1.3

/// What is being tracked to verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Tracked {
    /// A shutdown-type measure (its end date is the due date).
    Shutdown { kind: MeasureKind },
    /// A 限期整改 plan.
    ScheduledRectification,
}

impl Tracked {
    pub fn label(self) -> &'static str {
        match self {
            Tracked::Shutdown { kind } => kind.label(),
            Tracked::ScheduledRectification => "限期整改",
        }
    }
}

/// One shutdown or plan and whether it has been verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RectificationStatus {
    pub case_id: String,
    pub county_code: String,
    pub county_name: String,
    pub subject: String,
    pub what: Tracked,
    pub due: NaiveDate,
    /// The day a verification passed, if one has.
    #[serde(default)]
    pub verified_on: Option<NaiveDate>,
}

impl HandlingReport {
    /// What of this report R1.3 tracks: every shutdown-type measure with an end date and every
    /// scheduled plan with a due date. `verified_on` is the date of the case's passing verification.
    pub fn rectification_statuses(
        &self,
        case_id: &str,
        county_code: &str,
        county_name: &str,
        verified_on: Option<NaiveDate>,
    ) -> Vec<RectificationStatus> {
        let subject = self.subjects.first().map(|s| s.name.trim().to_owned()).unwrap_or_default();
        let status = |subject: String, what: Tracked, due: NaiveDate| RectificationStatus {
            case_id: case_id.to_owned(),
            county_code: county_code.to_owned(),
            county_name: county_name.to_owned(),
            subject,
            what,
            due,
            verified_on,
        };
        let shutdowns = self.measures.iter().filter(|m| m.kind.is_shutdown_type()).filter_map(|m| {
            let t = m.shutdown.as_ref()?;
            Some(status(t.subject.trim().to_owned(), Tracked::Shutdown { kind: m.kind }, t.ends_on?))
        });
        let plans = self.rectifications.iter().filter_map(|r| match r {
            Rectification::Scheduled(p) => {
                Some(status(subject.clone(), Tracked::ScheduledRectification, p.due?))
            }
            Rectification::Immediate { .. } => None,
        });
        shutdowns.chain(plans).collect()
    }
}

/// R1.3 configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndlessShutdownConfig {
    /// Days after the due date before the first alert (default 0: the day after due).
    pub grace_days: u32,
    /// The highest escalation level (1 county, 2 city, 3 team; default 3).
    pub max_level: u8,
}

impl Default for EndlessShutdownConfig {
    fn default() -> Self {
        Self { grace_days: 0, max_level: 3 }
    }
}

/// A “长停久治、久治不验” alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndlessShutdownAlert {
    pub case_id: String,
    pub county_code: String,
    pub subject: String,
    pub what: Tracked,
    pub due: NaiveDate,
    pub days_overdue: u32,
    /// 1 for days 1–7 overdue, 2 for days 8–14, …
    pub week: u32,
    /// 1 + whole weeks overdue, capped at `max_level`.
    pub level: u8,
    /// Who is alerted: level 1 the county office, 2 the city office, 3 the inspection team.
    pub to_level: UnitLevel,
    pub summary: String,
}

impl EndlessShutdownAlert {
    /// Stable per case, item and level: the app raises each escalation once.
    pub fn key(&self) -> String {
        format!("r1_3:{}:{}:{}:{}:{}", self.case_id, self.what.label(), self.subject, self.due, self.level)
    }
}

/// The unit level an R1.3 escalation level goes to.
pub fn escalation_target(level: u8) -> UnitLevel {
    match level {
        0 | 1 => UnitLevel::County,
        2 => UnitLevel::City,
        _ => UnitLevel::Team,
    }
}

/// R1.3. An item is overdue on `now` when it has no verification on or before `now` and `now` is
/// more than `grace_days` after its due date. Escalation is weekly: with `n` days overdue (counted
/// after the grace days), week = ⌈n / 7⌉ and level = min(week, max_level) — that is 1 + whole weeks
/// overdue — so days 1–7 alert the county office, days 8–14 the city office, and from day 15 the
/// inspection team.
pub fn overdue_unverified(
    items: &[RectificationStatus],
    now: NaiveDate,
    cfg: &EndlessShutdownConfig,
) -> Vec<EndlessShutdownAlert> {
    let max_level = cfg.max_level.clamp(1, 3);
    items
        .iter()
        .filter(|i| i.verified_on.is_none_or(|v| v > now))
        .filter_map(|i| {
            let days = (now - i.due).num_days() - i64::from(cfg.grace_days);
            let days = u32::try_from(days).ok().filter(|d| *d > 0)?;
            let week = days.div_ceil(7);
            let level = u8::try_from(week).unwrap_or(u8::MAX).min(max_level);
            let to_level = escalation_target(level);
            let summary = format!(
                "长停久治、久治不验：{}“{}”的{}已于{}到期，逾期{}天仍未验收（逾期第{}周），请{}督促尽快验收。",
                i.county_name,
                i.subject,
                i.what.label(),
                date_cn(i.due),
                days,
                week,
                match to_level {
                    UnitLevel::County => "县（区）污染防治攻坚办",
                    UnitLevel::City => "市污染防治攻坚战领导小组办公室",
                    _ => "督察组",
                }
            );
            Some(EndlessShutdownAlert {
                case_id: i.case_id.clone(),
                county_code: i.county_code.clone(),
                subject: i.subject.clone(),
                what: i.what,
                due: i.due,
                days_overdue: days,
                week,
                level,
                to_level,
                summary,
            })
        })
        .collect()
}

/// The time an alert or record was made, as the Beijing date the rules count in.
pub fn cst_date(t: DateTime<Utc>) -> NaiveDate {
    crate::time::to_cst(t).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handling::tests::{d, painting_workshop};
    use crate::handling::{SecondApproval, ShutdownTerms, Subject};

    fn lawful_terms(subject: &str) -> ShutdownTerms {
        ShutdownTerms {
            subject: subject.into(),
            legal_basis: "《中华人民共和国大气污染防治法》第一百零八条".into(),
            scope: "喷漆工序及喷漆设备".into(),
            starts_on: Some(d(2019, 11, 27)),
            ends_on: Some(d(2019, 12, 20)),
            rectification_target: "建成密闭喷漆房和VOCs治理设施".into(),
            verification_conditions: "治理设施运行正常、废气监测达标后经镇政府验收复产".into(),
            second_approval: None,
        }
    }

    fn shutdown(kind: MeasureKind, terms: Option<ShutdownTerms>) -> Measure {
        Measure { kind, description: String::new(), fine_yuan: None, shutdown: terms }
    }

    #[test]
    fn r1_1_legal_basis_must_cite_law_and_article() {
        let table = [
            ("《中华人民共和国大气污染防治法》第一百零八条", true),
            ("依据《河南省大气污染防治条例》第六十二条第一款", true),
            ("《大气污染防治法》", false),
            ("大气污染防治法第一百零八条", false),
            ("《》第一条", false),
            ("依法", false),
            ("第一百零八条《大气污染防治法》", false),
        ];
        for (basis, ok) in table {
            assert_eq!(cites_law_and_article(basis), ok, "{basis}");
        }
    }

    #[test]
    fn r1_1_lawful_shutdown_passes() {
        let r = painting_workshop();
        for kind in MeasureKind::ALL.into_iter().filter(|k| k.is_shutdown_type()) {
            assert_eq!(
                check_shutdown_measure(&r, &shutdown(kind, Some(lawful_terms("清丰县某家具厂")))),
                Ok(())
            );
        }
        // Non-shutdown measures are not this rule's business.
        assert!(
            check_shutdown_measure(&HandlingReport::default(), &shutdown(MeasureKind::Interview, None))
                .is_ok()
        );
    }

    #[test]
    fn r1_1_refusals_name_everything_missing() {
        type Case = (fn(&mut HandlingReport, &mut ShutdownTerms), &'static str, &'static [&'static str]);
        let table: &[Case] = &[
            (|r, _| r.issues.clear(), "r1_1_shutdown_before_finding", &["已完成的调查核实结论"]),
            (|r, _| r.facts.clear(), "r1_1_shutdown_before_finding", &["已完成的调查核实结论"]),
            (
                |r, _| r.issues[0].finding = Finding::False,
                "r1_1_shutdown_on_false_finding",
                &["不属实", "不能采取停产类措施"],
            ),
            (|_, t| t.subject.clear(), "r1_1_shutdown_without_basis", &["停产对象"]),
            (
                |_, t| t.subject = "某村所有家具厂".into(),
                "r1_1_shutdown_without_basis",
                &["“某村所有家具厂”不在本案"],
            ),
            (|_, t| t.legal_basis.clear(), "r1_1_shutdown_without_basis", &["法律依据"]),
            (|_, t| t.legal_basis = "依法依规".into(), "r1_1_shutdown_without_basis", &["未写明具体条款"]),
            (|_, t| t.scope = " ".into(), "r1_1_shutdown_without_basis", &["停产范围"]),
            (|_, t| t.starts_on = None, "r1_1_shutdown_without_basis", &["起始时间"]),
            (|_, t| t.ends_on = None, "r1_1_shutdown_without_basis", &["截止时间"]),
            (
                |_, t| t.ends_on = Some(d(2019, 11, 1)),
                "r1_1_shutdown_without_basis",
                &["截止时间早于起始时间"],
            ),
            (|_, t| t.rectification_target.clear(), "r1_1_shutdown_without_basis", &["整改目标"]),
            (|_, t| t.verification_conditions.clear(), "r1_1_shutdown_without_basis", &["复产验收条件"]),
        ];
        for (mutate, code, words) in table {
            let mut r = painting_workshop();
            let mut t = lawful_terms("清丰县某家具厂");
            mutate(&mut r, &mut t);
            let e =
                check_shutdown_measure(&r, &shutdown(MeasureKind::SuspendProduction, Some(t))).unwrap_err();
            assert_eq!(e.code, *code, "{}", e.message);
            assert_eq!(e.details.len(), 1, "exactly the one thing missing: {:?}", e.details);
            assert!(e.message.contains("一停了之"), "{}", e.message);
            for w in *words {
                assert!(e.message.contains(w), "“{}” lacks “{w}”", e.message);
            }
        }
    }

    #[test]
    fn r1_1_bare_shutdown_lists_all_missing_terms() {
        let e = check_shutdown_measure(&HandlingReport::default(), &shutdown(MeasureKind::CloseBan, None))
            .unwrap_err();
        assert_eq!(e.code, "r1_1_shutdown_before_finding");
        for w in
            ["调查核实结论", "停产对象", "法律依据", "停产范围", "起止时间", "整改目标", "取缔到位的验收条件"]
        {
            assert!(e.message.contains(w), "{w}: {}", e.message);
        }
        assert_eq!(e.details.len(), 7);
        assert!(e.message.starts_with("“关停取缔”属于停产类措施"));
    }

    #[test]
    fn r1_2_industry_from_field_or_keywords() {
        let cfg = BlanketShutdownConfig::default();
        let table: &[(&str, Option<&str>, Option<&str>)] = &[
            ("清丰县韩村镇某家具厂", None, Some("家具制造")),
            ("南乐县某木业家具厂", None, Some("家具制造")),
            ("某板材加工厂", None, Some("木材加工")),
            ("张某喷漆作坊", None, Some("表面涂装")),
            ("某铸造厂", None, Some("铸造")),
            ("红星砖厂", None, Some("砖瓦")),
            ("某石材加工点", None, Some("石材加工")),
            ("老王烧烤", None, Some("餐饮")),
            ("城关镇某饭店", None, Some("餐饮")),
            ("某生猪养殖场", None, Some("畜禽养殖")),
            ("某小区燃煤锅炉", None, Some("供热")),
            ("某混凝土搅拌站", None, Some("水泥制品")),
            ("某某有限公司", None, None),
            ("某某有限公司", Some("塑料制品"), Some("塑料制品")),
            ("某家具厂", Some("  "), Some("家具制造")),
        ];
        for (name, explicit, expect) in table {
            assert_eq!(cfg.industry_of(name, *explicit).as_deref(), *expect, "{name}");
        }
    }

    #[test]
    fn r1_2_livelihood_trades_need_second_approval() {
        let cfg = BlanketShutdownConfig::default();
        let table: &[(MeasureKind, &str, Option<&str>, bool)] = &[
            (MeasureKind::SuspendBusiness, "老王烧烤", None, true),
            (MeasureKind::PowerCut, "某小区燃煤锅炉", None, true),
            (MeasureKind::CloseBan, "某生猪养殖场", None, true),
            (MeasureKind::SuspendProduction, "红星砖厂", None, true),
            (MeasureKind::SuspendProduction, "某某有限公司", Some("餐饮"), true),
            (MeasureKind::SuspendProduction, "清丰县某家具厂", None, false),
            (MeasureKind::OrderCorrection, "老王烧烤", None, false),
            (MeasureKind::Penalty, "某小区燃煤锅炉", None, false),
        ];
        for (kind, name, explicit, expect) in table {
            assert_eq!(requires_second_approval(*kind, name, *explicit, &cfg), *expect, "{kind:?} {name}");
        }
        // The list is configuration: without 建材 a brickworks needs no second approval.
        let mut cfg2 = cfg.clone();
        cfg2.livelihood_trades.remove("建材");
        assert!(!requires_second_approval(MeasureKind::SuspendProduction, "红星砖厂", None, &cfg2));
    }

    #[test]
    fn r1_2_check_second_approval() {
        let cfg = BlanketShutdownConfig::default();
        let mut r = painting_workshop();
        r.subjects.push(Subject { name: "老王烧烤".into(), ..Default::default() });
        let at = crate::time::from_cst(d(2019, 11, 27).and_hms_opt(10, 0, 0).unwrap());
        let approval = |approver: &str, unit: &str, opinion: &str| SecondApproval {
            approver: approver.into(),
            unit: unit.into(),
            opinion: opinion.into(),
            at,
        };
        let ok = approval("李四", "清丰县污染防治攻坚办", "油烟直排且拒不整改，同意停业整顿至净化器安装验收");
        let table: Vec<(Option<SecondApproval>, Option<&str>)> = vec![
            (Some(ok.clone()), None),
            (None, Some("第二级审批")),
            (Some(approval("张三", "清丰县污染防治攻坚办", "同意")), Some("审批人与决定人相同")),
            (Some(approval("李四", "城关镇人民政府", "同意")), Some("审批单位与决定单位相同")),
            (Some(approval("李四", "清丰县污染防治攻坚办", " ")), Some("审批意见")),
        ];
        for (sa, missing) in table {
            let mut t = lawful_terms("老王烧烤");
            t.second_approval = sa;
            let m = shutdown(MeasureKind::SuspendBusiness, Some(t));
            match (check_second_approval(&r, &m, "张三", "城关镇人民政府", &cfg), missing) {
                (Ok(()), None) => {}
                (Err(e), Some(w)) => {
                    assert_eq!(e.code, "r1_2_livelihood_needs_second_approval");
                    assert!(e.message.contains(w) && e.message.contains("餐饮"), "{}", e.message);
                }
                (got, want) => panic!("got {got:?}, wanted missing {want:?}"),
            }
        }
        // A furniture workshop is not a livelihood trade: no second approval needed.
        let m = shutdown(MeasureKind::SuspendProduction, Some(lawful_terms("清丰县某家具厂")));
        assert!(check_second_approval(&r, &m, "张三", "城关镇人民政府", &cfg).is_ok());
    }

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

    #[test]
    fn r1_3_weekly_escalation_table() {
        let item = |due: NaiveDate, verified: Option<NaiveDate>| RectificationStatus {
            case_id: "D3HA201911260001".into(),
            county_code: "410922".into(),
            county_name: "清丰县".into(),
            subject: "甲家具厂".into(),
            what: Tracked::Shutdown { kind: MeasureKind::SuspendProduction },
            due,
            verified_on: verified,
        };
        let due = d(2019, 12, 1);
        let cfg = EndlessShutdownConfig::default();
        // (now, verified_on, expected (days, week, level, to))
        let table: &[(NaiveDate, Option<NaiveDate>, Option<(u32, u32, u8, UnitLevel)>)] = &[
            (d(2019, 11, 30), None, None),
            (d(2019, 12, 1), None, None),
            (d(2019, 12, 2), None, Some((1, 1, 1, UnitLevel::County))),
            (d(2019, 12, 8), None, Some((7, 1, 1, UnitLevel::County))),
            (d(2019, 12, 9), None, Some((8, 2, 2, UnitLevel::City))),
            (d(2019, 12, 15), None, Some((14, 2, 2, UnitLevel::City))),
            (d(2019, 12, 16), None, Some((15, 3, 3, UnitLevel::Team))),
            (d(2020, 2, 1), None, Some((62, 9, 3, UnitLevel::Team))),
            (d(2019, 12, 20), Some(d(2019, 12, 10)), None),
            (d(2019, 12, 20), Some(d(2019, 12, 25)), Some((19, 3, 3, UnitLevel::Team))),
        ];
        for (now, verified, expect) in table {
            let alerts = overdue_unverified(&[item(due, *verified)], *now, &cfg);
            let got = alerts.first().map(|a| (a.days_overdue, a.week, a.level, a.to_level));
            assert_eq!(got, *expect, "now {now}");
            if let Some(a) = alerts.first() {
                assert!(
                    a.summary.contains("长停久治、久治不验") && a.summary.contains("甲家具厂"),
                    "{}",
                    a.summary
                );
                assert!(a.summary.contains(&format!("逾期{}天", a.days_overdue)));
            }
        }
        // Grace days and the cap are configuration.
        let cfg = EndlessShutdownConfig { grace_days: 2, max_level: 2 };
        assert!(overdue_unverified(&[item(due, None)], d(2019, 12, 3), &cfg).is_empty());
        let a = overdue_unverified(&[item(due, None)], d(2019, 12, 30), &cfg);
        assert_eq!((a[0].level, a[0].to_level), (2, UnitLevel::City));
    }

    /// The scenario of issue 5, end to end through the pure rules.
    #[test]
    fn r1_scenario_four_furniture_workshops_in_three_days() {
        let cfg = BlanketShutdownConfig::default();
        let county = ("410922", "清丰县");
        // Three complaints name three workshops; the fourth workshop appears in no complaint.
        let complained_of = ["韩村镇甲家具厂", "韩村镇乙家具厂", "马庄桥镇丙家具厂"];
        let workshops = [
            ("D3HA201911250011", "韩村镇甲家具厂", d(2019, 11, 26)),
            ("D3HA201911250012", "韩村镇乙家具厂", d(2019, 11, 27)),
            ("D3HA201911250013", "马庄桥镇丙家具厂", d(2019, 11, 27)),
            ("D3HA201911250013", "马庄桥镇丁家具作坊", d(2019, 11, 28)),
        ];
        let records: Vec<ShutdownRecord> = workshops
            .iter()
            .map(|(case, subject, on)| ShutdownRecord {
                case_id: (*case).into(),
                county_code: county.0.into(),
                county_name: county.1.into(),
                subject: (*subject).into(),
                industry: None,
                kind: MeasureKind::SuspendProduction,
                on: *on,
            })
            .collect();
        let named = |r: &ShutdownRecord| complained_of.contains(&r.subject.as_str());
        let alerts = detect_blanket_shutdowns(&records, &named, &cfg, d(2019, 11, 28));

        let cluster: Vec<&BlanketAlert> =
            alerts.iter().filter(|a| a.kind == BlanketAlertKind::Cluster).collect();
        assert_eq!(cluster.len(), 1);
        let c = cluster[0];
        assert_eq!(c.to_level, UnitLevel::City);
        assert_eq!(c.industry.as_deref(), Some("家具制造"));
        assert_eq!((c.from, c.to, c.subjects), (d(2019, 11, 26), d(2019, 11, 28), 4));
        let evidence: Vec<(&str, NaiveDate, bool)> =
            c.evidence.iter().map(|e| (e.subject.as_str(), e.on, e.named_in_complaint)).collect();
        assert_eq!(
            evidence,
            vec![
                ("韩村镇甲家具厂", d(2019, 11, 26), true),
                ("韩村镇乙家具厂", d(2019, 11, 27), true),
                ("马庄桥镇丙家具厂", d(2019, 11, 27), true),
                ("马庄桥镇丁家具作坊", d(2019, 11, 28), false),
            ]
        );
        for w in [
            "疑似“一刀切”",
            "清丰县",
            "4家家具制造",
            "其中1起未见群众举报",
            "马庄桥镇丁家具作坊（停产整治，11月28日",
        ] {
            assert!(c.summary.contains(w), "{w}: {}", c.summary);
        }
        let unnamed: Vec<&BlanketAlert> =
            alerts.iter().filter(|a| a.kind == BlanketAlertKind::NotNamedInComplaint).collect();
        assert_eq!(unnamed.len(), 1);
        assert_eq!(unnamed[0].evidence[0].subject, "马庄桥镇丁家具作坊");
        assert_ne!(unnamed[0].key(), c.key());

        // Meanwhile a lawful, complaint-based shutdown with a plan passes R1.1 …
        let mut report = painting_workshop();
        report.subjects[0].name = "韩村镇甲家具厂".into();
        let mut terms = lawful_terms("韩村镇甲家具厂");
        terms.starts_on = Some(d(2019, 11, 26));
        terms.ends_on = Some(d(2019, 12, 10));
        report.measures.push(shutdown(MeasureKind::SuspendProduction, Some(terms)));
        assert!(check_shutdown_measure(&report, report.measures.last().unwrap()).is_ok());
        assert!(report.validate().is_ok(), "{:?}", report.problems());
        let from_report = report.shutdown_records("D3HA201911250011", county.0, county.1);
        assert_eq!(from_report.len(), 1);
        assert_eq!(from_report[0], records[0]);

        // … and, left unverified past its end date, it raises R1.3.
        let statuses = report.rectification_statuses("D3HA201911250011", county.0, county.1, None);
        assert_eq!(statuses.len(), 2, "the shutdown and the scheduled plan");
        let alerts = overdue_unverified(&statuses, d(2019, 12, 12), &EndlessShutdownConfig::default());
        assert_eq!(alerts.len(), 1, "only the shutdown (due 12-10) is overdue; the plan is due 12-20");
        assert_eq!(alerts[0].what, Tracked::Shutdown { kind: MeasureKind::SuspendProduction });
        assert_eq!((alerts[0].days_overdue, alerts[0].to_level), (2, UnitLevel::County));
        let verified =
            report.rectification_statuses("D3HA201911250011", county.0, county.1, Some(d(2019, 12, 9)));
        assert!(overdue_unverified(&verified, d(2019, 12, 30), &EndlessShutdownConfig::default()).is_empty());
    }

    #[test]
    fn r1_2_builtin_industry_file_is_well_formed() {
        let map = IndustryMap::builtin();
        assert!(map.0.len() >= 15);
        let mut seen = BTreeSet::new();
        for e in &map.0 {
            assert!(seen.insert(e.industry.clone()), "duplicate industry {}", e.industry);
            assert!(!e.keywords.is_empty(), "{} has keywords", e.industry);
        }
        let groups: BTreeSet<&str> = map.0.iter().filter_map(|e| e.livelihood_group.as_deref()).collect();
        for g in &BlanketShutdownConfig::default().livelihood_trades {
            assert!(groups.contains(g.as_str()), "livelihood trade {g} has industries");
        }
    }
}
