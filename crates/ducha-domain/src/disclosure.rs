//! R2 disclosure while inspecting (边督边改信息公开): what the public sees, as pure functions.
//!
//! - R2.1 [`Announcement`]: the entry announcement (team, period, hotlines, postal box, answering hours)
//!   and its one-line TV crawl text;
//! - R2.2 [`Layout`] and [`PublicCase`]: the standard table (2023 layout by default, the older layout with
//!   污染类型 and no 办结目标 per campaign) and [`summary_text`], the batch's "文字" part;
//! - R2.3 [`tv_bulletin`]: the prime-time news script (cases assigned and handled, progress and results,
//!   typical cases, public reaction);
//! - R2.4 [`PublicAccountabilityDoc`]: counts and levels always, names only for typical records (built
//!   from [`crate::accountability::PublicAccountability`], which cannot hold any other name);
//! - R2.5 [`social_text`]: the ready-to-post WeChat/Weibo text with its link;
//! - R2.6 [`disclosure_gaps`]: every assigned case disclosed within the configured working days.
//!
//! Architecture invariant: [`PublicCase`] is the only shape in which a complaint reaches the public. It
//! has no field that could hold the complainant's identity (a test pins its field set), and its text
//! (`summary`) is the case's redacted text, never the original words.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use ducha_shield::{Screened, Shield};
use serde::{Deserialize, Serialize};
use sm3::{Digest, Sm3};

use crate::DomainError;
use crate::accountability::PublicAccountability;
use crate::calendar::WorkCalendar;
use crate::campaign::AnsweringHours;
use crate::closure::ClosureState;
use crate::handling::{
    Finding, HandlingReport, MeasureKind, date_cn, render_closure_target, render_finding, render_handling,
    render_investigation,
};
use crate::workflow::Stage;

// ---------------------------------------------------------------------------------------------
// R2.2 the table

/// Which standard table a campaign discloses with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Layout {
    /// 2023 layout: 问题类型 and 办结目标.
    #[default]
    #[serde(rename = "2023")]
    Y2023,
    /// Older rounds: 污染类型, no 办结目标.
    #[serde(rename = "legacy")]
    Legacy,
}

impl Layout {
    pub fn code(self) -> &'static str {
        match self {
            Layout::Y2023 => "2023",
            Layout::Legacy => "legacy",
        }
    }

    /// The campaign setting `disclosure_layout` ("2023" | "legacy"); absent means 2023.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s.trim() {
            "" | "2023" => Ok(Layout::Y2023),
            "legacy" | "old" | "旧版" => Ok(Layout::Legacy),
            other => Err(DomainError::invalid(
                "disclosure_layout",
                format!("未知的公开表格式“{other}”（应为 2023 或 legacy）"),
            )),
        }
    }

    /// The columns in table order.
    pub fn columns(self) -> &'static [Column] {
        use Column::*;
        match self {
            Layout::Y2023 => &[
                Seq,
                AcceptNo,
                Summary,
                Region,
                ProblemType,
                Investigation,
                Finding,
                ClosureTarget,
                Handling,
                Closure,
                Accountability,
            ],
            Layout::Legacy => &[
                Seq,
                AcceptNo,
                Summary,
                Region,
                PollutionType,
                Investigation,
                Finding,
                Handling,
                Closure,
                Accountability,
            ],
        }
    }

    pub fn headers(self) -> Vec<&'static str> {
        self.columns().iter().map(|c| c.header()).collect()
    }
}

/// One column of the standard table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Seq,
    AcceptNo,
    Summary,
    Region,
    ProblemType,
    PollutionType,
    Investigation,
    Finding,
    ClosureTarget,
    Handling,
    Closure,
    Accountability,
}

impl Column {
    pub fn header(self) -> &'static str {
        match self {
            Column::Seq => "序号",
            Column::AcceptNo => "受理编号",
            Column::Summary => "交办问题基本情况",
            Column::Region => "行政区域",
            Column::ProblemType => "问题类型",
            Column::PollutionType => "污染类型",
            Column::Investigation => "调查核实情况",
            Column::Finding => "是否属实",
            Column::ClosureTarget => "办结目标",
            Column::Handling => "处理和整改情况",
            Column::Closure => "是否办结",
            Column::Accountability => "责任人被处理情况",
        }
    }

    /// The key used in JSON exports.
    pub fn key(self) -> &'static str {
        match self {
            Column::Seq => "seq",
            Column::AcceptNo => "accept_no",
            Column::Summary => "summary",
            Column::Region => "region",
            Column::ProblemType => "problem_type",
            Column::PollutionType => "pollution_type",
            Column::Investigation => "investigation",
            Column::Finding => "finding",
            Column::ClosureTarget => "closure_target",
            Column::Handling => "handling",
            Column::Closure => "closure",
            Column::Accountability => "accountability",
        }
    }

    /// Long text columns (wrapped and wide in exports).
    pub fn is_long(self) -> bool {
        matches!(self, Column::Summary | Column::Investigation | Column::Handling | Column::Accountability)
    }
}

/// What the store knows about a case that may be disclosed — and nothing else. The app fills it from
/// the case row's routing and its REDACTED text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub accept_no: String,
    /// The redacted complaint text.
    pub redacted_text: String,
    pub county_code: Option<String>,
    pub county_name: String,
    pub township_name: String,
    pub village_name: String,
    pub pollution_types: Vec<String>,
    pub sansan: Option<String>,
    pub stage: Stage,
    /// The finding recorded in the workflow, when there is no handling report yet.
    pub finding: Option<Finding>,
    pub received_at: DateTime<Utc>,
    pub assigned_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// The county-level office responsible (Open311 `agency_responsible`).
    pub agency: String,
}

/// One disclosed case: exactly the standard table's cells plus the routing labels and counts the
/// summary, feeds and Open311 need. No field can hold who complained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCase {
    /// 序号 (1-based within its table).
    pub seq: u32,
    /// 受理编号.
    pub accept_no: String,
    /// 交办问题基本情况: the redacted complaint text, through the identity firewall.
    pub summary: Screened,
    /// 行政区域, e.g. `濮阳县 柳屯镇 西街村`.
    pub region: String,
    pub county_code: Option<String>,
    pub county_name: String,
    pub township_name: String,
    /// 问题类型 / 污染类型 cell, e.g. `大气、噪声（散乱污企业）`.
    pub problem_type: String,
    pub pollution_types: Vec<String>,
    pub sansan: Option<String>,
    /// 调查核实情况 (typed by the handler: through the identity firewall).
    pub investigation: Screened,
    /// 是否属实: 属实 / 部分属实 / 不属实 / 调查核实中.
    pub finding: String,
    /// 办结目标.
    pub closure_target: Screened,
    /// 处理和整改情况.
    pub handling: Screened,
    /// 是否办结.
    pub closure: ClosureState,
    /// 责任人被处理情况.
    pub accountability: String,
    /// The kinds of measure taken (for the batch totals).
    pub measures: Vec<MeasureKind>,
    /// Fines imposed, in yuan.
    pub fine_yuan: u64,
    /// Linked to an accountability record marked typical.
    pub typical: bool,
    pub received_at: DateTime<Utc>,
    pub assigned_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// The responsible county-level office.
    pub agency: String,
}

/// `大气、噪声（散乱污企业）`; `待核定` when nothing is known.
pub fn problem_type_cell(types: &[String], sansan: Option<&str>) -> String {
    let mut s = types.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join("、");
    if let Some(ss) = sansan.map(str::trim).filter(|s| !s.is_empty()) {
        if s.is_empty() {
            s = ss.to_owned();
        } else {
            s.push_str(&format!("（{ss}）"));
        }
    }
    if s.is_empty() { "待核定".to_owned() } else { s }
}

impl PublicCase {
    /// Render one case for the public: the routing labels, the redacted text, and the handling report's
    /// disclosure columns (or "being investigated" wording before there is a report). `accountability` is
    /// the public view of the records linked to this case.
    pub fn build(
        seq: u32,
        facts: &CaseFacts,
        report: Option<&HandlingReport>,
        accountability: &PublicAccountability,
        shield: &Shield,
    ) -> PublicCase {
        let empty = HandlingReport::default();
        let r = report.unwrap_or(&empty);
        let finding = match r.finding() {
            Some(_) => render_finding(r).to_owned(),
            None => facts.finding.map(|f| f.label().to_owned()).unwrap_or_else(|| "调查核实中".to_owned()),
        };
        let investigation = if report.is_some() {
            render_investigation(r)
        } else {
            match facts.finding {
                Some(f) => format!("经调查核实，反映问题{}。", f.label()),
                None => "正在调查核实。".to_owned(),
            }
        };
        let handling = match (report, facts.finding) {
            (Some(r), _) => render_handling(r),
            (None, Some(Finding::False)) => "反映问题不属实，不涉及整改。".to_owned(),
            (None, _) => "正在办理中。".to_owned(),
        };
        let mut measures: Vec<MeasureKind> = r.measures.iter().map(|m| m.kind).collect();
        measures.sort();
        measures.dedup();
        let fine_yuan = r.measures.iter().filter_map(|m| m.fine_yuan).sum();
        let region = [&facts.county_name, &facts.township_name, &facts.village_name]
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        PublicCase {
            seq,
            accept_no: facts.accept_no.clone(),
            summary: shield.screen(facts.redacted_text.trim()),
            region: if region.is_empty() { "待核定".to_owned() } else { region },
            county_code: facts.county_code.clone(),
            county_name: facts.county_name.clone(),
            township_name: facts.township_name.clone(),
            problem_type: problem_type_cell(&facts.pollution_types, facts.sansan.as_deref()),
            pollution_types: facts.pollution_types.clone(),
            sansan: facts.sansan.clone(),
            investigation: shield.screen(&investigation),
            finding,
            closure_target: match render_closure_target(r) {
                t if t.is_empty() => Screened::fixed("—"),
                t => shield.screen(&t),
            },
            handling: shield.screen(&handling),
            closure: ClosureState::from_stage(facts.stage),
            accountability: accountability.cell(),
            measures,
            fine_yuan,
            typical: !accountability.typical.is_empty(),
            received_at: facts.received_at,
            assigned_at: facts.assigned_at,
            updated_at: facts.updated_at,
            agency: facts.agency.clone(),
        }
    }

    /// The text of one table cell.
    pub fn cell(&self, c: Column) -> String {
        match c {
            Column::Seq => self.seq.to_string(),
            Column::AcceptNo => self.accept_no.clone(),
            Column::Summary => self.summary.to_string(),
            Column::Region => self.region.clone(),
            Column::ProblemType | Column::PollutionType => self.problem_type.clone(),
            Column::Investigation => self.investigation.to_string(),
            Column::Finding => self.finding.clone(),
            Column::ClosureTarget => self.closure_target.to_string(),
            Column::Handling => self.handling.to_string(),
            Column::Closure => self.closure.label().to_owned(),
            Column::Accountability => self.accountability.clone(),
        }
    }

    /// One table row in `layout`'s column order.
    pub fn cells(&self, layout: Layout) -> Vec<String> {
        layout.columns().iter().map(|c| self.cell(*c)).collect()
    }

    /// Whether an investigation finding exists.
    pub fn investigated(&self) -> bool {
        matches!(self.finding.as_str(), "属实" | "部分属实" | "不属实")
    }
}

// ---------------------------------------------------------------------------------------------
// R2.4 accountability as stored in a published disclosure

/// A count with its Chinese label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelCount {
    pub label: String,
    pub count: usize,
}

/// The public accountability of a disclosure, frozen at publication: counts by level and kind always,
/// and the typical cases' texts (the only place a name appears).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAccountabilityDoc {
    pub people: usize,
    pub records: usize,
    pub by_level: Vec<LabelCount>,
    pub by_kind: Vec<LabelCount>,
    /// `对…给予…`, one per typical record.
    pub typical: Vec<String>,
    pub text: String,
}

impl From<&PublicAccountability> for PublicAccountabilityDoc {
    fn from(p: &PublicAccountability) -> Self {
        PublicAccountabilityDoc {
            people: p.people,
            records: p.records,
            by_level: p
                .by_level
                .iter()
                .map(|c| LabelCount { label: c.label.into(), count: c.count })
                .collect(),
            by_kind: p.by_kind.iter().map(|c| LabelCount { label: c.label.into(), count: c.count }).collect(),
            typical: p.typical.iter().map(|t| t.text().to_owned()).collect(),
            text: p.text(),
        }
    }
}

impl PublicAccountabilityDoc {
    /// Several disclosures' accountability added up (people are counted per disclosure).
    pub fn sum<'a>(docs: impl IntoIterator<Item = &'a PublicAccountabilityDoc>) -> PublicAccountabilityDoc {
        let mut out = PublicAccountabilityDoc::default();
        let add = |into: &mut Vec<LabelCount>, from: &[LabelCount]| {
            for c in from {
                match into.iter_mut().find(|x| x.label == c.label) {
                    Some(x) => x.count += c.count,
                    None => into.push(c.clone()),
                }
            }
        };
        for d in docs {
            out.people += d.people;
            out.records += d.records;
            add(&mut out.by_level, &d.by_level);
            add(&mut out.by_kind, &d.by_kind);
            for t in &d.typical {
                if !out.typical.contains(t) {
                    out.typical.push(t.clone());
                }
            }
        }
        out.text = accountability_text(&out);
        out
    }
}

fn accountability_text(d: &PublicAccountabilityDoc) -> String {
    if d.people == 0 {
        return "暂无问责情况。".to_owned();
    }
    let levels: Vec<String> =
        d.by_level.iter().filter(|c| c.count > 0).map(|c| format!("{}{}人", c.label, c.count)).collect();
    let kinds: Vec<String> =
        d.by_kind.iter().filter(|c| c.count > 0).map(|c| format!("{}{}人次", c.label, c.count)).collect();
    let mut s = format!("问责{}人（{}），其中{}。", d.people, levels.join("、"), kinds.join("、"));
    if !d.typical.is_empty() {
        s.push_str(&format!("典型问责案例：{}。", d.typical.join("；")));
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Batch statistics and the text summary (R2.2 "文字")

/// The column a disclosure belongs to: a county-level unit's, or the city's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnRef {
    /// County-level region code; None for the city column.
    pub county_code: Option<String>,
    /// `濮阳县` or `濮阳市`.
    pub name: String,
}

impl ColumnRef {
    pub fn is_city(&self) -> bool {
        self.county_code.is_none()
    }

    /// `city` or the county code: the stored column code.
    pub fn code(&self) -> String {
        self.county_code.clone().unwrap_or_else(|| "city".to_owned())
    }

    /// `我县` / `我区` / `我市`, as local media write.
    pub fn we(&self) -> String {
        if self.is_city() {
            return "我市".to_owned();
        }
        let last = self.name.chars().last().unwrap_or('县');
        match last {
            '区' => "我区".to_owned(),
            '市' => "我市".to_owned(),
            '县' => "我县".to_owned(),
            _ => self.name.clone(),
        }
    }
}

/// Counts over a set of disclosed cases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub total: usize,
    /// By county (city column) or by township (county column), largest first.
    pub by_area: Vec<(String, usize)>,
    /// By pollution type, largest first.
    pub by_type: Vec<(String, usize)>,
    pub found_true: usize,
    pub found_partly: usize,
    pub found_false: usize,
    pub investigating: usize,
    pub closed: usize,
    pub partly_closed: usize,
    pub open: usize,
    /// Cases with each measure kind (one case counts one 家 per kind).
    pub measures: BTreeMap<MeasureKind, usize>,
    pub fine_yuan: u64,
}

/// The pollution types in the order the design lists them (ties in counts keep this order).
pub const TYPE_ORDER: [&str; 8] = ["大气", "水", "土壤", "噪声", "固废", "生态", "辐射", "其他"];

fn ranked(map: BTreeMap<String, usize>) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

impl Stats {
    pub fn of(rows: &[PublicCase], by_county: bool) -> Stats {
        let mut s = Stats { total: rows.len(), ..Stats::default() };
        let mut area: BTreeMap<String, usize> = BTreeMap::new();
        let mut types: BTreeMap<String, usize> = BTreeMap::new();
        for r in rows {
            let a = if by_county { &r.county_name } else { &r.township_name };
            let a = if a.trim().is_empty() { "待核定".to_owned() } else { a.clone() };
            *area.entry(a).or_default() += 1;
            if r.pollution_types.is_empty() {
                *types.entry("待核定".into()).or_default() += 1;
            }
            for t in &r.pollution_types {
                *types.entry(t.clone()).or_default() += 1;
            }
            match r.finding.as_str() {
                "属实" => s.found_true += 1,
                "部分属实" => s.found_partly += 1,
                "不属实" => s.found_false += 1,
                _ => s.investigating += 1,
            }
            match r.closure {
                ClosureState::Closed => s.closed += 1,
                ClosureState::PartlyClosed => s.partly_closed += 1,
                ClosureState::Open => s.open += 1,
            }
            for m in &r.measures {
                *s.measures.entry(*m).or_default() += 1;
            }
            s.fine_yuan += r.fine_yuan;
        }
        s.by_area = ranked(area);
        let order = |t: &str| TYPE_ORDER.iter().position(|x| *x == t).unwrap_or(TYPE_ORDER.len());
        let mut by_type: Vec<(String, usize)> = types.into_iter().collect();
        by_type.sort_by(|a, b| {
            b.1.cmp(&a.1).then_with(|| order(&a.0).cmp(&order(&b.0))).then_with(|| a.0.cmp(&b.0))
        });
        s.by_type = by_type;
        s
    }

    pub fn measure(&self, k: MeasureKind) -> usize {
        self.measures.get(&k).copied().unwrap_or(0)
    }

    /// `责令改正6家、立案处罚3家、罚款12.5万元、关停取缔1家`, then any other measures; `None` when no
    /// measure was taken.
    pub fn measures_text(&self) -> Option<String> {
        let mut parts = Vec::new();
        let main = [MeasureKind::OrderCorrection, MeasureKind::Penalty];
        for k in main {
            parts.push(format!("{}{}家", k.label(), self.measure(k)));
        }
        parts.push(format!("罚款{}", wan_cn(self.fine_yuan)));
        parts.push(format!("{}{}家", MeasureKind::CloseBan.label(), self.measure(MeasureKind::CloseBan)));
        let others: Vec<String> = self
            .measures
            .iter()
            .filter(|(k, n)| {
                **n > 0
                    && !matches!(
                        k,
                        MeasureKind::OrderCorrection | MeasureKind::Penalty | MeasureKind::CloseBan
                    )
            })
            .map(|(k, n)| format!("{}{}家", k.label(), n))
            .collect();
        if self.measures.values().all(|n| *n == 0) && self.fine_yuan == 0 {
            return None;
        }
        let mut s = parts.join("、");
        if !others.is_empty() {
            s.push_str(&format!("，另{}", others.join("、")));
        }
        Some(s)
    }
}

/// A sum of fines in 万元 as disclosures write it: `12.5万元`, `0.8万元`, `0万元`.
pub fn wan_cn(yuan: u64) -> String {
    let wan = yuan / 10_000;
    let rest = yuan % 10_000;
    if rest == 0 {
        format!("{wan}万元")
    } else {
        let frac = format!("{rest:04}");
        format!("{wan}.{}万元", frac.trim_end_matches('0'))
    }
}

fn counts_text(items: &[(String, usize)], unit: &str) -> String {
    items.iter().map(|(k, n)| format!("{k}{n}{unit}")).collect::<Vec<_>>().join("、")
}

/// What a batch disclosure is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRef {
    pub campaign_name: String,
    pub team_name: String,
    pub number: u32,
    /// The answering day whose intake the batch holds.
    pub answering_date: NaiveDate,
    /// The day it was assigned (交办).
    pub assigned_on: Option<NaiveDate>,
}

/// R2.2 the "文字" part of a batch disclosure: cases received and assigned (by county or township and by
/// problem type), findings, closure, measures in totals and accountability by level and kind.
pub fn summary_text(
    batch: &BatchRef,
    column: &ColumnRef,
    rows: &[PublicCase],
    accountability: &PublicAccountabilityDoc,
    as_of: NaiveDate,
) -> String {
    let s = Stats::of(rows, column.is_city());
    let assigned = batch.assigned_on.map(date_cn).unwrap_or_else(|| date_cn(batch.answering_date));
    let mut out = format!(
        "{assigned}，{}向{}交办第{}批群众信访举报件{}件（{}受理）。",
        batch.team_name,
        column.we(),
        batch.number,
        s.total,
        date_cn(batch.answering_date)
    );
    if s.total == 0 {
        return out;
    }
    let area = if column.is_city() { "按县（区）分" } else { "按乡镇（街道）分" };
    out.push_str(&format!(
        "{area}：{}；按问题类型分：{}。",
        counts_text(&s.by_area, "件"),
        counts_text(&s.by_type, "件")
    ));
    out.push_str(&format!("截至{}，", date_cn(as_of)));
    let investigated = s.found_true + s.found_partly + s.found_false;
    if investigated == 0 {
        out.push_str("交办件均在调查核实中；");
    } else {
        out.push_str(&format!(
            "已调查核实{investigated}件，其中属实{}件、部分属实{}件、不属实{}件",
            s.found_true, s.found_partly, s.found_false
        ));
        if s.investigating > 0 {
            out.push_str(&format!("，{}件正在调查核实", s.investigating));
        }
        out.push('；');
    }
    out.push_str(&format!("已办结{}件、阶段性办结{}件、未办结{}件。", s.closed, s.partly_closed, s.open));
    if let Some(m) = s.measures_text() {
        out.push_str(&format!("共{m}。"));
    }
    out.push_str(&accountability.text);
    out
}

// ---------------------------------------------------------------------------------------------
// R2.3 TV bulletin

/// 群众反映: what callbacks (回访) said, and how many repeat complaints came in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicReaction {
    pub satisfied: usize,
    pub basically_satisfied: usize,
    pub unsatisfied: usize,
    pub repeat_complaints: usize,
}

impl PublicReaction {
    pub fn text(&self) -> String {
        let total = self.satisfied + self.basically_satisfied + self.unsatisfied;
        let mut s = if total == 0 {
            "对已办结案件的回访正在进行中。".to_owned()
        } else {
            let mut s = format!(
                "对已办结案件回访群众{total}人次，其中满意{}人次、基本满意{}人次、不满意{}人次",
                self.satisfied, self.basically_satisfied, self.unsatisfied
            );
            if self.unsatisfied > 0 {
                s.push_str("，对群众不满意的案件已重新核查办理");
            }
            s.push('。');
            s
        };
        if self.repeat_complaints > 0 {
            s.push_str(&format!("同一问题重复举报{}件次，均已并入原案件一并办理。", self.repeat_complaints));
        }
        s
    }
}

/// Representative cases for the news, best first: cases linked to typical accountability, then the
/// cases with the firmest lawful measures (关停取缔, 立案处罚 by fine, then any measure), closed before open.
pub fn pick_typical(rows: &[PublicCase], n: usize) -> Vec<&PublicCase> {
    let weight = |r: &PublicCase| {
        let firm = if r.measures.contains(&MeasureKind::CloseBan) {
            3
        } else if r.measures.contains(&MeasureKind::Penalty) {
            2
        } else if r.measures.is_empty() {
            0
        } else {
            1
        };
        let closed = match r.closure {
            ClosureState::Closed => 2,
            ClosureState::PartlyClosed => 1,
            ClosureState::Open => 0,
        };
        (r.typical, firm, r.fine_yuan, closed)
    };
    let mut picked: Vec<&PublicCase> =
        rows.iter().filter(|r| r.typical || (!r.measures.is_empty() && r.investigated())).collect();
    picked.sort_by(|a, b| weight(b).cmp(&weight(a)).then_with(|| a.accept_no.cmp(&b.accept_no)));
    picked.truncate(n);
    picked
}

fn first_sentence(s: &str, max_chars: usize) -> String {
    let end = s.find('。').map(|i| i + '。'.len_utf8()).unwrap_or(s.len());
    let first = &s[..end];
    if first.chars().count() <= max_chars {
        first.to_owned()
    } else {
        let mut t: String = first.chars().take(max_chars).collect();
        t.push('…');
        t
    }
}

/// What a TV bulletin covers: one batch, or the whole inspection up to a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulletinScope {
    Batch(BatchRef),
    Day { campaign_name: String, team_name: String, day: NaiveDate, batches: usize },
}

/// R2.3 a prime-time news script: 导语, cases assigned and handled, progress and results, typical cases,
/// public reaction, and the hotline at the end.
pub fn tv_bulletin(
    scope: &BulletinScope,
    column: &ColumnRef,
    announcement: &Announcement,
    rows: &[PublicCase],
    accountability: &PublicAccountabilityDoc,
    reaction: &PublicReaction,
) -> String {
    let s = Stats::of(rows, column.is_city());
    let (title, lead) = match scope {
        BulletinScope::Batch(b) => (
            format!("{}边督边改情况电视报道稿（第{}批）", column.name, b.number),
            format!(
                "{}，{}向{}交办第{}批群众信访举报件{}件。",
                b.assigned_on.map(date_cn).unwrap_or_else(|| date_cn(b.answering_date)),
                b.team_name,
                column.we(),
                b.number,
                s.total
            ),
        ),
        BulletinScope::Day { campaign_name, team_name, day, batches } => (
            format!("{}边督边改情况电视报道稿（{}）", column.name, date_cn(*day)),
            format!(
                "{}进驻以来，截至{}，{}共向{}交办{}批群众信访举报件{}件。",
                campaign_name,
                date_cn(*day),
                team_name,
                column.we(),
                batches,
                s.total
            ),
        ),
    };
    let mut out = String::new();
    out.push_str(&title);
    out.push_str("\n\n【导语】\n");
    out.push_str(&format!(
        "{}{}坚持边督边改，对交办件逐件调查核实、依法依规处理，严禁“一刀切”。\n",
        lead,
        column.we()
    ));
    out.push_str("\n【交办和办理情况】\n");
    if s.total == 0 {
        out.push_str("本期暂无交办件。\n");
    } else {
        let area = if column.is_city() { "从区域看" } else { "从乡镇（街道）看" };
        out.push_str(&format!(
            "{area}，{}；从问题类型看，{}。",
            counts_text(&s.by_area, "件"),
            counts_text(&s.by_type, "件")
        ));
        let investigated = s.found_true + s.found_partly + s.found_false;
        out.push_str(&format!(
            "目前已调查核实{investigated}件，其中属实{}件、部分属实{}件、不属实{}件。\n",
            s.found_true, s.found_partly, s.found_false
        ));
    }
    out.push_str("\n【进展和成效】\n");
    out.push_str(&format!(
        "已办结{}件、阶段性办结{}件，其余{}件正在抓紧办理。",
        s.closed, s.partly_closed, s.open
    ));
    if let Some(m) = s.measures_text() {
        out.push_str(&format!("共{m}。"));
    }
    out.push_str(&accountability.text);
    out.push('\n');
    out.push_str("\n【典型案例】\n");
    let typical = pick_typical(rows, 3);
    if typical.is_empty() {
        out.push_str("典型案例将在调查处理完成后报道。\n");
    } else {
        for (i, t) in typical.iter().enumerate() {
            out.push_str(&format!(
                "{}. {}群众反映：{}调查核实：{}处理情况：{}\n",
                i + 1,
                t.region,
                first_sentence(t.summary.as_str(), 80),
                first_sentence(t.investigation.as_str(), 80),
                t.handling
            ));
        }
        for t in &accountability.typical {
            out.push_str(&format!("问责：{t}。\n"));
        }
    }
    out.push_str("\n【群众反映】\n");
    out.push_str(&reaction.text());
    out.push('\n');
    out.push_str("\n【结束语】\n");
    out.push_str(&format!(
        "督察期间，群众可拨打举报电话{}（{}），或写信至{}反映生态环境问题。\n",
        announcement.hotlines.join("、"),
        announcement.hours.label(),
        announcement.postal_box
    ));
    out
}

// ---------------------------------------------------------------------------------------------
// R2.5 short text for WeChat / Weibo

/// The longest short text, in characters, without the link (a Weibo post shows 140 characters before
/// folding, and counts a link as a short fixed length).
pub const SOCIAL_MAX_CHARS: usize = 120;

/// R2.5 a ready-to-post short text for one batch, with its link.
pub fn social_text(batch: &BatchRef, column: &ColumnRef, rows: &[PublicCase], link: &str) -> String {
    let s = Stats::of(rows, column.is_city());
    let mut text = format!(
        "【边督边改】{}第{}批交办件办理情况公开：督察组交办{}件，已办结{}件、阶段性办结{}件",
        column.name, batch.number, s.total, s.closed, s.partly_closed
    );
    let mut extra = Vec::new();
    if s.measure(MeasureKind::OrderCorrection) > 0 {
        extra.push(format!("责令改正{}家", s.measure(MeasureKind::OrderCorrection)));
    }
    if s.measure(MeasureKind::Penalty) > 0 {
        extra.push(format!("立案处罚{}家、罚款{}", s.measure(MeasureKind::Penalty), wan_cn(s.fine_yuan)));
    }
    if s.measure(MeasureKind::CloseBan) > 0 {
        extra.push(format!("关停取缔{}家", s.measure(MeasureKind::CloseBan)));
    }
    for e in extra {
        if text.chars().count() + e.chars().count() + 1 > SOCIAL_MAX_CHARS - 8 {
            break;
        }
        text.push('；');
        text.push_str(&e);
    }
    text.push_str("。详情：");
    format!("{text}{link}")
}

// ---------------------------------------------------------------------------------------------
// R2.1 entry announcement

/// 督察组进驻公告.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    pub campaign_name: String,
    pub team_name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub hotlines: Vec<String>,
    pub postal_box: String,
    pub hours: AnsweringHours,
    /// Where the team is stationed: `濮阳市` (city column) or the county's name.
    pub place: String,
}

impl Announcement {
    /// The prominent announcement's paragraphs.
    pub fn paragraphs(&self) -> Vec<String> {
        vec![
            format!(
                "根据工作安排，{}于{}至{}进驻{}开展{}。",
                self.team_name,
                date_cn(self.start),
                date_cn(self.end),
                self.place,
                self.campaign_name
            ),
            format!(
                "督察进驻期间（{}至{}）设立专门值班电话：{}，接听时间为{}；设立专门邮政信箱：{}。",
                date_cn(self.start),
                date_cn(self.end),
                self.hotlines.join("、"),
                self.hours.label(),
                self.postal_box
            ),
            "督察组主要受理生态环境保护方面的来电来信举报，其他不属于受理范围的信访问题将按规定转交被督察地方和有关部门处理。"
                .to_owned(),
            "举报人的个人信息依法予以保密。".to_owned(),
        ]
    }

    /// R2.1 the TV crawl: one line, everything a viewer needs.
    pub fn crawl_text(&self) -> String {
        format!(
            "【督察公告】{}于{}至{}进驻{}开展督察。举报电话：{}（{}）；邮政信箱：{}。",
            self.team_name,
            date_cn(self.start),
            date_cn(self.end),
            self.place,
            self.hotlines.join("、"),
            self.hours.label(),
            self.postal_box
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Publication

/// The content hash of a published disclosure: SM3 (GM/T 0004) over its stored JSON, hex.
pub fn content_hash(content: &str) -> String {
    hex_lower(&Sm3::digest(content.as_bytes()))
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The shortest correction note accepted, in characters.
pub const MIN_NOTE_CHARS: usize = 5;

/// A correction (a new version of a published disclosure) must say what changed and why.
pub fn check_correction_note(note: &str) -> Result<(), DomainError> {
    if note.trim().chars().count() < MIN_NOTE_CHARS {
        return Err(DomainError::invalid(
            "note",
            format!("更正须写明更正说明（至少{MIN_NOTE_CHARS}个字），公开页面将显示该说明"),
        ));
    }
    Ok(())
}

/// Where a disclosure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PubStatus {
    Draft,
    Reviewed,
    Published,
}

impl PubStatus {
    pub fn code(self) -> &'static str {
        match self {
            PubStatus::Draft => "draft",
            PubStatus::Reviewed => "reviewed",
            PubStatus::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "draft" => Ok(PubStatus::Draft),
            "reviewed" => Ok(PubStatus::Reviewed),
            "published" => Ok(PubStatus::Published),
            other => Err(DomainError::invalid("status", format!("未知的公开状态“{other}”"))),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PubStatus::Draft => "草稿",
            PubStatus::Reviewed => "已审核",
            PubStatus::Published => "已发布",
        }
    }
}

/// A step of the publication workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PubStep {
    /// Re-render the draft from current data.
    Refresh,
    Review,
    Publish,
}

/// The publication workflow: draft → reviewed → published; a refresh sends a reviewed draft back to
/// draft (what was reviewed is no longer what would be published); a published version never changes
/// (a correction is a new version). Code `disclosure_step_refused`.
pub fn publication_step(from: PubStatus, step: PubStep) -> Result<PubStatus, DomainError> {
    use PubStatus::*;
    use PubStep::*;
    match (from, step) {
        (Draft | Reviewed, Refresh) => Ok(Draft),
        (Draft, Review) => Ok(Reviewed),
        (Reviewed, Publish) => Ok(Published),
        (Draft, Publish) => {
            Err(DomainError::new("disclosure_step_refused", "草稿须先审核，审核通过后才能发布")
                .with_details(["审核"]))
        }
        (Reviewed, Review) => {
            Err(DomainError::new("disclosure_step_refused", "该版本已审核，可直接发布或重新生成草稿")
                .with_details(["发布", "重新生成"]))
        }
        (Published, _) => Err(DomainError::new(
            "disclosure_step_refused",
            "已发布的版本不可修改；如需更正，请发布更正版本并写明更正说明",
        )
        .with_details(["更正"])),
    }
}

// ---------------------------------------------------------------------------------------------
// R2.6 completeness

/// Default: every assigned case is disclosed within 1 working day.
pub const DEFAULT_DISCLOSURE_WORKING_DAYS: u32 = 1;

/// One assigned case and when (if ever) it was first disclosed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosureItem {
    pub case_id: i64,
    pub accept_no: String,
    pub column: String,
    pub batch_number: u32,
    pub assigned_at: DateTime<Utc>,
    pub disclosed_at: Option<DateTime<Utc>>,
}

/// A case not disclosed in time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub case_id: i64,
    pub accept_no: String,
    pub column: String,
    pub batch_number: u32,
    pub assigned_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    /// None: still not disclosed (a gap); Some: disclosed, but after the due time.
    pub disclosed_at: Option<DateTime<Utc>>,
    /// Whole hours past due (at `now` for open gaps).
    pub hours_late: i64,
}

impl Gap {
    pub fn is_open(&self) -> bool {
        self.disclosed_at.is_none()
    }
}

/// The result of the R2.6 check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GapReport {
    /// Open gaps (not disclosed, past due) first, then late disclosures.
    pub gaps: Vec<Gap>,
    /// Calendar warnings (a year without holiday data was counted on whole days).
    pub warnings: Vec<String>,
}

impl GapReport {
    pub fn open(&self) -> impl Iterator<Item = &Gap> {
        self.gaps.iter().filter(|g| g.is_open())
    }
}

/// When a case assigned at `assigned_at` must be disclosed: the end of the `days`-th working day after
/// it (R5.3 calendar); with no calendar, or for a year the calendar has no data for, `days` whole days
/// (the warning says so).
pub fn disclosure_due(
    assigned_at: DateTime<Utc>,
    days: u32,
    cal: Option<&WorkCalendar>,
) -> (DateTime<Utc>, Option<String>) {
    let days = days.max(1);
    let whole = assigned_at + Duration::days(i64::from(days));
    match cal {
        None => (whole, Some(format!("未加载工作日历，公开时限按{days}个自然日计算"))),
        Some(c) => match crate::deadline::due_after_working_days(assigned_at, days, c) {
            Ok(due) => (due.at, due.warnings.into_iter().next()),
            Err(e) => (whole, Some(format!("{}；公开时限按{days}个自然日计算", e.message))),
        },
    }
}

/// R2.6: every assigned case must be disclosed within `days` working days of its assignment. Lists the
/// cases still undisclosed past their due time (open gaps) and those disclosed late.
pub fn disclosure_gaps(
    items: &[DisclosureItem],
    now: DateTime<Utc>,
    days: u32,
    cal: Option<&WorkCalendar>,
) -> GapReport {
    let mut report = GapReport::default();
    for it in items {
        let (due, warning) = disclosure_due(it.assigned_at, days, cal);
        if let Some(w) = warning
            && !report.warnings.contains(&w)
        {
            report.warnings.push(w);
        }
        let late_at = match it.disclosed_at {
            None if now > due => now,
            Some(d) if d > due => d,
            _ => continue,
        };
        report.gaps.push(Gap {
            case_id: it.case_id,
            accept_no: it.accept_no.clone(),
            column: it.column.clone(),
            batch_number: it.batch_number,
            assigned_at: it.assigned_at,
            due_at: due,
            disclosed_at: it.disclosed_at,
            hours_late: (late_at - due).num_hours(),
        });
    }
    report.gaps.sort_by(|a, b| {
        b.is_open()
            .cmp(&a.is_open())
            .then_with(|| a.due_at.cmp(&b.due_at))
            .then_with(|| a.accept_no.cmp(&b.accept_no))
    });
    report
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::accountability::{
        AccountabilityKind, AccountabilityRecord, AccountabilitySummary, PersonLevel,
    };
    use crate::handling::{IssueFinding, Measure, Rectification, RectificationPlan, Subject};
    use crate::time::from_cst;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn at(y: i32, m: u32, day: u32, h: u32) -> DateTime<Utc> {
        from_cst(d(y, m, day).and_hms_opt(h, 0, 0).unwrap())
    }

    fn facts(no: &str, county: &str, town: &str, types: &[&str], stage: Stage) -> CaseFacts {
        CaseFacts {
            accept_no: no.into(),
            redacted_text: "韩村镇某家具厂露天喷漆，气味刺鼻。".into(),
            county_code: Some(if county == "清丰县" { "410922" } else { "410928" }.into()),
            county_name: county.into(),
            township_name: town.into(),
            village_name: String::new(),
            pollution_types: types.iter().map(|t| t.to_string()).collect(),
            sansan: Some("散乱污企业".into()),
            stage,
            finding: None,
            received_at: at(2019, 11, 25, 9),
            assigned_at: Some(at(2019, 11, 26, 9)),
            updated_at: at(2019, 11, 28, 9),
            agency: format!("{county}攻坚办"),
        }
    }

    fn report(finding: Finding, measures: Vec<Measure>) -> HandlingReport {
        HandlingReport {
            facts: "经现场核查，该厂露天喷漆".into(),
            issues: vec![IssueFinding { issue: String::new(), finding, facts: String::new() }],
            subjects: vec![Subject { name: "某家具厂".into(), ..Default::default() }],
            measures,
            rectifications: vec![Rectification::Scheduled(RectificationPlan {
                target: "建成密闭喷漆房".into(),
                measures: "安装治理设施".into(),
                due: Some(d(2019, 12, 20)),
                responsible_unit: "韩村镇人民政府".into(),
                completed_on: None,
            })],
            closure_target: "VOCs治理设施建成并验收".into(),
            investigated_on: Some(d(2019, 11, 27)),
        }
    }

    fn m(kind: MeasureKind, fine: Option<u64>) -> Measure {
        Measure { kind, description: String::new(), fine_yuan: fine, shutdown: None }
    }

    fn none() -> PublicAccountability {
        AccountabilitySummary::new([]).public_view()
    }

    fn record(name: &str, typical: bool) -> AccountabilityRecord {
        AccountabilityRecord {
            person_name: name.into(),
            position: "副镇长".into(),
            person_level: PersonLevel::Section,
            unit: "清丰县韩村镇人民政府".into(),
            kind: AccountabilityKind::Admonishment,
            kind_detail: String::new(),
            basis: "监管不力".into(),
            case_ids: vec!["D3HA201911250001".into()],
            typical,
        }
    }

    /// Three cases: penalised and partly closed; closed with 关停取缔; not yet investigated.
    fn rows() -> Vec<PublicCase> {
        let a = PublicCase::build(
            1,
            &facts("D3HA201911250001", "清丰县", "韩村镇", &["大气"], Stage::PartlyClosed),
            Some(&report(
                Finding::True,
                vec![m(MeasureKind::OrderCorrection, None), m(MeasureKind::Penalty, Some(25_000))],
            )),
            &none(),
            &Shield::none(),
        );
        let b = PublicCase::build(
            2,
            &facts("D3HA201911250002", "濮阳县", "柳屯镇", &["大气", "噪声"], Stage::Closed),
            Some(&report(
                Finding::PartlyTrue,
                vec![
                    m(MeasureKind::OrderCorrection, None),
                    m(MeasureKind::Penalty, Some(100_000)),
                    m(MeasureKind::CloseBan, None),
                ],
            )),
            &none(),
            &Shield::none(),
        );
        let c = PublicCase::build(
            3,
            &facts("X3HA201911250003", "濮阳县", "文留镇", &["水"], Stage::Investigating),
            None,
            &none(),
            &Shield::none(),
        );
        vec![a, b, c]
    }

    #[test]
    fn r2_2_layout_columns_2023_and_legacy() {
        let table: &[(Layout, &[&str])] = &[
            (
                Layout::Y2023,
                &[
                    "序号",
                    "受理编号",
                    "交办问题基本情况",
                    "行政区域",
                    "问题类型",
                    "调查核实情况",
                    "是否属实",
                    "办结目标",
                    "处理和整改情况",
                    "是否办结",
                    "责任人被处理情况",
                ],
            ),
            (
                Layout::Legacy,
                &[
                    "序号",
                    "受理编号",
                    "交办问题基本情况",
                    "行政区域",
                    "污染类型",
                    "调查核实情况",
                    "是否属实",
                    "处理和整改情况",
                    "是否办结",
                    "责任人被处理情况",
                ],
            ),
        ];
        for (layout, headers) in table {
            assert_eq!(layout.headers(), headers.to_vec(), "{layout:?}");
            assert_eq!(rows()[0].cells(*layout).len(), headers.len());
        }
        for (s, expect) in [
            ("2023", Some(Layout::Y2023)),
            ("", Some(Layout::Y2023)),
            ("legacy", Some(Layout::Legacy)),
            ("2019", None),
        ] {
            assert_eq!(Layout::parse(s).ok(), expect, "{s}");
        }
        assert_eq!(serde_json::to_string(&Layout::Legacy).unwrap(), "\"legacy\"");
    }

    #[test]
    fn r2_2_public_case_field_set_has_no_identity() {
        let json = serde_json::to_value(&rows()[0]).unwrap();
        let keys: BTreeSet<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        let expect: BTreeSet<&str> = [
            "seq",
            "accept_no",
            "summary",
            "region",
            "county_code",
            "county_name",
            "township_name",
            "problem_type",
            "pollution_types",
            "sansan",
            "investigation",
            "finding",
            "closure_target",
            "handling",
            "closure",
            "accountability",
            "measures",
            "fine_yuan",
            "typical",
            "received_at",
            "assigned_at",
            "updated_at",
            "agency",
        ]
        .into_iter()
        .collect();
        assert_eq!(keys, expect, "a new field on the public type must be reviewed for privacy");
        for forbidden in ["name", "phone", "address", "id_number", "complainant", "original_text", "identity"]
        {
            assert!(!keys.contains(forbidden), "{forbidden}");
        }
    }

    #[test]
    fn r2_2_cells_render_from_report_or_progress() {
        let r = rows();
        let table: &[(usize, Column, &str)] = &[
            (0, Column::Seq, "1"),
            (0, Column::Region, "清丰县 韩村镇"),
            (0, Column::ProblemType, "大气（散乱污企业）"),
            (1, Column::ProblemType, "大气、噪声（散乱污企业）"),
            (0, Column::Finding, "属实"),
            (1, Column::Finding, "部分属实"),
            (2, Column::Finding, "调查核实中"),
            (2, Column::Investigation, "正在调查核实。"),
            (2, Column::Handling, "正在办理中。"),
            (2, Column::ClosureTarget, "—"),
            (0, Column::ClosureTarget, "VOCs治理设施建成并验收"),
            (0, Column::Closure, "阶段性办结"),
            (1, Column::Closure, "已办结"),
            (2, Column::Closure, "未办结"),
            (0, Column::Accountability, "无"),
        ];
        for (i, col, expect) in table {
            assert_eq!(r[*i].cell(*col), *expect, "row {i} {col:?}");
        }
        assert!(r[0].cell(Column::Handling).contains("罚款2.5万元"), "{}", r[0].handling);
        // A workflow finding without a report still shows.
        let mut f = facts("D1", "濮阳县", "柳屯镇", &[], Stage::Investigated);
        f.finding = Some(Finding::False);
        let c = PublicCase::build(1, &f, None, &none(), &Shield::none());
        assert_eq!((c.finding.as_str(), c.handling.as_str()), ("不属实", "反映问题不属实，不涉及整改。"));
        assert_eq!(c.problem_type, "散乱污企业");
        f.sansan = None;
        assert_eq!(PublicCase::build(1, &f, None, &none(), &Shield::none()).problem_type, "待核定");
    }

    #[test]
    fn r2_2_stats_and_measure_totals() {
        let s = Stats::of(&rows(), true);
        assert_eq!(s.total, 3);
        assert_eq!(s.by_area, vec![("濮阳县".to_owned(), 2), ("清丰县".to_owned(), 1)]);
        assert_eq!(s.by_type[0], ("大气".to_owned(), 2));
        assert_eq!((s.found_true, s.found_partly, s.found_false, s.investigating), (1, 1, 0, 1));
        assert_eq!((s.closed, s.partly_closed, s.open), (1, 1, 1));
        assert_eq!(s.fine_yuan, 125_000);
        assert_eq!(s.measures_text().unwrap(), "责令改正2家、立案处罚2家、罚款12.5万元、关停取缔1家");
        assert_eq!(Stats::of(&rows()[2..], true).measures_text(), None);
        let by_town = Stats::of(&rows(), false);
        assert_eq!(by_town.by_area.len(), 3);
        for (yuan, text) in [
            (0, "0万元"),
            (8_000, "0.8万元"),
            (125_000, "12.5万元"),
            (10_000, "1万元"),
            (12_345, "1.2345万元"),
        ] {
            assert_eq!(wan_cn(yuan), text);
        }
    }

    fn batch() -> BatchRef {
        BatchRef {
            campaign_name: "河南省“三散”污染治理专项督察".into(),
            team_name: "省第三督察组".into(),
            number: 2,
            answering_date: d(2019, 11, 25),
            assigned_on: Some(d(2019, 11, 26)),
        }
    }

    fn city() -> ColumnRef {
        ColumnRef { county_code: None, name: "濮阳市".into() }
    }

    #[test]
    fn r2_2_summary_text_city_and_county() {
        let acc =
            PublicAccountabilityDoc::from(&AccountabilitySummary::new([record("张三", false)]).public_view());
        let text = summary_text(&batch(), &city(), &rows(), &acc, d(2019, 11, 28));
        assert_eq!(
            text,
            "2019年11月26日，省第三督察组向我市交办第2批群众信访举报件3件（2019年11月25日受理）。\
             按县（区）分：濮阳县2件、清丰县1件；按问题类型分：大气2件、水1件、噪声1件。\
             截至2019年11月28日，已调查核实2件，其中属实1件、部分属实1件、不属实0件，1件正在调查核实；\
             已办结1件、阶段性办结1件、未办结1件。共责令改正2家、立案处罚2家、罚款12.5万元、关停取缔1家。\
             问责1人（乡科级1人），其中诫勉谈话1人次。"
        );
        assert!(!text.contains("张三"), "a name only for typical records");
        let county = ColumnRef { county_code: Some("410928".into()), name: "濮阳县".into() };
        let text = summary_text(
            &batch(),
            &county,
            &rows()[1..],
            &PublicAccountabilityDoc::default(),
            d(2019, 11, 28),
        );
        assert!(text.starts_with("2019年11月26日，省第三督察组向我县交办第2批群众信访举报件2件"), "{text}");
        assert!(text.contains("按乡镇（街道）分：文留镇1件、柳屯镇1件"), "{text}");
        let empty =
            summary_text(&batch(), &county, &[], &PublicAccountabilityDoc::default(), d(2019, 11, 28));
        assert!(empty.ends_with("交办第2批群众信访举报件0件（2019年11月25日受理）。"), "{empty}");
        for (name, we) in [
            ("华龙区", "我区"),
            ("濮阳县", "我县"),
            ("濮阳市城乡一体化示范区", "我区"),
            ("濮阳经济技术开发区", "我区"),
            ("示范区管委会", "示范区管委会"),
        ] {
            assert_eq!(ColumnRef { county_code: Some("x".into()), name: name.into() }.we(), we);
        }
    }

    #[test]
    fn r2_4_accountability_doc_names_only_typical_and_sums() {
        let view = AccountabilitySummary::new([record("张三", true), record("李四", false)]).public_view();
        let doc = PublicAccountabilityDoc::from(&view);
        let json = serde_json::to_string(&doc).unwrap();
        assert!(json.contains("张三") && !json.contains("李四"), "{json}");
        assert_eq!((doc.people, doc.records), (2, 2));
        let total = PublicAccountabilityDoc::sum([&doc, &doc]);
        assert_eq!((total.people, total.records, total.typical.len()), (4, 4, 1));
        assert_eq!(total.by_level.iter().find(|c| c.label == "乡科级").unwrap().count, 4);
        assert!(
            total.text.starts_with("问责4人（乡科级4人），其中诫勉谈话4人次。典型问责案例"),
            "{}",
            total.text
        );
        assert_eq!(PublicAccountabilityDoc::sum([]).text, "暂无问责情况。");
        // A case linked to a typical record is typical and its cell names the person.
        let c = PublicCase::build(
            1,
            &facts("D1", "清丰县", "韩村镇", &["大气"], Stage::Closed),
            None,
            &view,
            &Shield::none(),
        );
        assert!(c.typical && c.accountability.contains("张三") && !c.accountability.contains("李四"));
    }

    fn announcement() -> Announcement {
        Announcement {
            campaign_name: "“三散”污染治理专项督察".into(),
            team_name: "省第三督察组".into(),
            start: d(2019, 11, 25),
            end: d(2019, 12, 25),
            hotlines: vec!["0393-8991369".into(), "0393-8991370".into()],
            postal_box: "濮阳市A001号邮政信箱".into(),
            hours: AnsweringHours::default(),
            place: "濮阳县".into(),
        }
    }

    #[test]
    fn r2_1_announcement_and_crawl_carry_period_hotline_box_hours() {
        let a = announcement();
        let crawl = a.crawl_text();
        assert_eq!(
            crawl,
            "【督察公告】省第三督察组于2019年11月25日至2019年12月25日进驻濮阳县开展督察。\
             举报电话：0393-8991369、0393-8991370（每日8时至20时）；邮政信箱：濮阳市A001号邮政信箱。"
        );
        assert!(!crawl.contains('\n'));
        let text = a.paragraphs().join("");
        for must in [
            "2019年11月25日",
            "2019年12月25日",
            "0393-8991370",
            "每日8时至20时",
            "濮阳市A001号邮政信箱",
            "保密",
        ] {
            assert!(text.contains(must), "{must}");
        }
        let mut other = a.clone();
        other.hours.end = chrono::NaiveTime::from_hms_opt(21, 30, 0).unwrap();
        assert!(other.crawl_text().contains("每日8时至21时30分"));
    }

    #[test]
    fn r2_3_tv_bulletin_sections_and_content() {
        let acc =
            PublicAccountabilityDoc::from(&AccountabilitySummary::new([record("张三", true)]).public_view());
        let reaction =
            PublicReaction { satisfied: 5, basically_satisfied: 2, unsatisfied: 1, repeat_complaints: 3 };
        let tv =
            tv_bulletin(&BulletinScope::Batch(batch()), &city(), &announcement(), &rows(), &acc, &reaction);
        let sections = [
            "【导语】",
            "【交办和办理情况】",
            "【进展和成效】",
            "【典型案例】",
            "【群众反映】",
            "【结束语】",
        ];
        let mut last = 0;
        for s in sections {
            let i = tv.find(s).unwrap_or_else(|| panic!("{s} missing:\n{tv}"));
            assert!(i > last, "{s} out of order");
            last = i;
        }
        assert!(tv.starts_with("濮阳市边督边改情况电视报道稿（第2批）"));
        assert!(tv.contains("交办第2批群众信访举报件3件"));
        assert!(tv.contains("已办结1件、阶段性办结1件，其余1件正在抓紧办理"));
        assert!(tv.contains("关停取缔1家"));
        assert!(tv.contains("满意5人次、基本满意2人次、不满意1人次"));
        assert!(tv.contains("重复举报3件次"));
        assert!(tv.contains("问责：对清丰县韩村镇人民政府副镇长张三给予诫勉谈话"));
        assert!(tv.contains("0393-8991369") && tv.contains("每日8时至20时"));
        // The 关停取缔 case is the first typical case.
        let first = tv.split("【典型案例】\n").nth(1).unwrap().lines().next().unwrap();
        assert!(first.starts_with("1. 濮阳县 柳屯镇"), "{first}");
        let day = BulletinScope::Day {
            campaign_name: "专项督察".into(),
            team_name: "省第三督察组".into(),
            day: d(2019, 11, 30),
            batches: 4,
        };
        let tv = tv_bulletin(
            &day,
            &city(),
            &announcement(),
            &[],
            &PublicAccountabilityDoc::default(),
            &PublicReaction::default(),
        );
        assert!(tv.contains("截至2019年11月30日，省第三督察组共向我市交办4批群众信访举报件0件"), "{tv}");
        assert!(tv.contains("本期暂无交办件") && tv.contains("回访正在进行中"));
    }

    #[test]
    fn r2_3_typical_case_ranking() {
        let mut r = rows();
        assert_eq!(
            pick_typical(&r, 5).iter().map(|c| c.seq).collect::<Vec<_>>(),
            vec![2, 1],
            "关停取缔 first, then penalties; not-yet-investigated cases never"
        );
        r[0].typical = true;
        assert_eq!(pick_typical(&r, 1)[0].seq, 1, "typical accountability first");
        assert!(pick_typical(&r[2..], 3).is_empty());
    }

    #[test]
    fn r2_5_social_text_is_short_and_links() {
        let link = "https://example.gov.cn/gongkai/batch/2/";
        let t = social_text(&batch(), &city(), &rows(), link);
        assert!(t.ends_with(link));
        let body = t.trim_end_matches(link);
        assert!(body.chars().count() <= SOCIAL_MAX_CHARS, "{} chars: {body}", body.chars().count());
        assert_eq!(
            body,
            "【边督边改】濮阳市第2批交办件办理情况公开：督察组交办3件，已办结1件、阶段性办结1件；责令改正2家；立案处罚2家、罚款12.5万元；关停取缔1家。详情："
        );
        let long = ColumnRef {
            county_code: Some("410990".into()),
            name: "濮阳市城乡一体化示范区（示范区管委会）".repeat(2),
        };
        let t = social_text(&batch(), &long, &rows(), link);
        assert!(t.trim_end_matches(link).chars().count() <= SOCIAL_MAX_CHARS, "{t}");
    }

    #[test]
    fn r2_2_publication_workflow_table() {
        use PubStatus::*;
        use PubStep::*;
        let table = [
            (Draft, Refresh, Some(Draft)),
            (Draft, Review, Some(Reviewed)),
            (Draft, Publish, None),
            (Reviewed, Refresh, Some(Draft)),
            (Reviewed, Review, None),
            (Reviewed, Publish, Some(Published)),
            (Published, Refresh, None),
            (Published, Review, None),
            (Published, Publish, None),
        ];
        for (from, step, expect) in table {
            let got = publication_step(from, step);
            assert_eq!(got.as_ref().ok().copied(), expect, "{from:?} {step:?}");
            if let Err(e) = got {
                assert_eq!(e.code, "disclosure_step_refused");
                assert!(!e.details.is_empty());
            }
        }
        assert!(check_correction_note("改").is_err());
        assert!(check_correction_note("第3件处理情况录入有误，已更正罚款金额").is_ok());
        for s in [Draft, Reviewed, Published] {
            assert_eq!(PubStatus::parse(s.code()).ok(), Some(s));
        }
        // The content hash is SM3: the standard test vector "abc" (GB/T 32905 A.1).
        assert_eq!(content_hash("abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    }

    #[test]
    fn r2_6_disclosure_gaps_in_working_days() {
        let cal = WorkCalendar::builtin().unwrap();
        // Friday 2023-12-15 09:00 → due end of Monday 2023-12-18 (18:00).
        let assigned = at(2023, 12, 15, 9);
        let (due, warn) = disclosure_due(assigned, 1, Some(&cal));
        assert_eq!(due, at(2023, 12, 18, 18));
        assert_eq!(warn, None);
        let item = |id: i64, disclosed: Option<DateTime<Utc>>| DisclosureItem {
            case_id: id,
            accept_no: format!("D3HA2023121500{id:02}"),
            column: "410928".into(),
            batch_number: 1,
            assigned_at: assigned,
            disclosed_at: disclosed,
        };
        type Case = (DateTime<Utc>, Option<DateTime<Utc>>, Option<bool>);
        let table: &[Case] = &[
            // (now, disclosed_at, expect: None = no gap, Some(true) = open gap, Some(false) = late)
            (at(2023, 12, 16, 12), None, None), // Saturday: not yet due
            (at(2023, 12, 18, 17), None, None), // Monday before 18:00
            (at(2023, 12, 18, 19), None, Some(true)), // past due, undisclosed
            (at(2023, 12, 19, 9), Some(at(2023, 12, 18, 10)), None), // in time
            (at(2023, 12, 19, 9), Some(at(2023, 12, 19, 8)), Some(false)), // late
        ];
        for (i, (now, disclosed, expect)) in table.iter().enumerate() {
            let r = disclosure_gaps(&[item(i as i64, *disclosed)], *now, 1, Some(&cal));
            assert_eq!(r.gaps.first().map(Gap::is_open), *expect, "case {i}");
        }
        let r = disclosure_gaps(&[item(1, None)], at(2023, 12, 19, 18), 1, Some(&cal));
        assert_eq!(r.gaps[0].hours_late, 24);
        // Over a holiday: assigned Thursday 2023-09-28 → the National Day holiday runs to 10-06 and
        // Saturday 10-07 is a make-up working day.
        let (due, _) = disclosure_due(at(2023, 9, 28, 9), 1, Some(&cal));
        assert_eq!(due, at(2023, 10, 7, 18));
        // Without a calendar, whole days, with a warning.
        let (due, warn) = disclosure_due(assigned, 2, None);
        assert_eq!(due, assigned + Duration::days(2));
        assert!(warn.unwrap().contains("2个自然日"));
        // Open gaps come first.
        let r = disclosure_gaps(
            &[item(1, Some(at(2023, 12, 19, 8))), item(2, None)],
            at(2023, 12, 20, 9),
            1,
            Some(&cal),
        );
        assert_eq!(r.gaps.iter().map(|g| g.case_id).collect::<Vec<_>>(), vec![2, 1]);
        assert_eq!(r.open().count(), 1);
    }
}
