//! The handling report (R5.5): one structured report per case, entered once by the handling unit and
//! read unchanged by the county, the city and the team (nobody re-types it).
//!
//! A report is a document that is filled in over days, so it is stored as it stands — even half
//! filled — and checked at the gates: [`HandlingReport::validate`] before it is submitted for
//! verification, [`crate::shutdown::check_shutdown_measure`] (R1.1) when a shutdown-type measure is
//! added, and [`crate::closure::check_can_close`] (R1.4, R4.2) when the county closes the case. Every
//! field is therefore a plain value (text, optional date) so a posted form always deserializes and the
//! refusal can name *everything* that is missing at once, in Chinese.
//!
//! The disclosure table's text columns (调查核实情况, 是否属实, 处理和整改情况, 办结目标) are rendered from
//! the report by the pure functions at the end of this module.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::uscc::Uscc;

/// 调查核实结论.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// 属实.
    True,
    /// 部分属实.
    PartlyTrue,
    /// 不属实.
    False,
}

impl Finding {
    pub const ALL: [Finding; 3] = [Finding::True, Finding::PartlyTrue, Finding::False];

    pub fn code(self) -> &'static str {
        match self {
            Finding::True => "true",
            Finding::PartlyTrue => "partly_true",
            Finding::False => "false",
        }
    }

    /// 属实 / 部分属实 / 不属实, as disclosed in the 是否属实 column.
    pub fn label(self) -> &'static str {
        match self {
            Finding::True => "属实",
            Finding::PartlyTrue => "部分属实",
            Finding::False => "不属实",
        }
    }

    /// Accepts the code or the Chinese label.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        Self::ALL.into_iter().find(|f| f.code() == s || f.label() == s).ok_or_else(|| {
            DomainError::invalid("finding", format!("未知的调查结论“{s}”（应为属实、部分属实或不属实）"))
        })
    }

    /// 属实 or 部分属实: something was wrong, so something must be done about it.
    pub fn is_substantiated(self) -> bool {
        matches!(self, Finding::True | Finding::PartlyTrue)
    }

    /// The overall finding of a complaint that raised several issues, from the per-issue findings:
    /// all 不属实 → 不属实; all 属实 → 属实; anything else (a mix, or any 部分属实) → 部分属实.
    /// No issues → None (not yet investigated).
    pub fn overall(per_issue: impl IntoIterator<Item = Finding>) -> Option<Finding> {
        let mut acc: Option<Finding> = None;
        for f in per_issue {
            acc = Some(match acc {
                None => f,
                Some(prev) if prev == f => f,
                Some(_) => Finding::PartlyTrue,
            });
        }
        acc
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// One issue a complaint raised and what the investigation found about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueFinding {
    /// What was complained of (may be left empty when the complaint raises a single issue).
    #[serde(default)]
    pub issue: String,
    pub finding: Finding,
    /// What was found about this issue, when it differs from the report's overall facts.
    #[serde(default)]
    pub facts: String,
}

/// An enterprise or site the case is about (enterprises under complaint are named publicly).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Subject {
    /// 企业或场所名称.
    pub name: String,
    /// 统一社会信用代码, when it has one (checked with GB 32100-2015 when given).
    pub uscc: Option<String>,
    /// 行业; when empty the R1.2 detector infers it from the name.
    pub industry: Option<String>,
    pub address: Option<String>,
}

/// 处理和整改措施.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// 责令改正.
    OrderCorrection,
    /// 限期整改.
    DeadlineRectification,
    /// 立案处罚 (with the fine in yuan).
    Penalty,
    /// 查封扣押.
    SealSeize,
    /// 停产整治.
    SuspendProduction,
    /// 停业整顿.
    SuspendBusiness,
    /// 停运 (a boiler, a line, a vehicle fleet …).
    SuspendOperation,
    /// 关停取缔.
    CloseBan,
    /// 断电.
    PowerCut,
    /// 限产.
    LimitProduction,
    /// 约谈.
    Interview,
    /// 移送公安.
    TransferPolice,
    /// 其他.
    Other,
}

impl MeasureKind {
    pub const ALL: [MeasureKind; 13] = [
        MeasureKind::OrderCorrection,
        MeasureKind::DeadlineRectification,
        MeasureKind::Penalty,
        MeasureKind::SealSeize,
        MeasureKind::SuspendProduction,
        MeasureKind::SuspendBusiness,
        MeasureKind::SuspendOperation,
        MeasureKind::CloseBan,
        MeasureKind::PowerCut,
        MeasureKind::LimitProduction,
        MeasureKind::Interview,
        MeasureKind::TransferPolice,
        MeasureKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MeasureKind::OrderCorrection => "order_correction",
            MeasureKind::DeadlineRectification => "deadline_rectification",
            MeasureKind::Penalty => "penalty",
            MeasureKind::SealSeize => "seal_seize",
            MeasureKind::SuspendProduction => "suspend_production",
            MeasureKind::SuspendBusiness => "suspend_business",
            MeasureKind::SuspendOperation => "suspend_operation",
            MeasureKind::CloseBan => "close_ban",
            MeasureKind::PowerCut => "power_cut",
            MeasureKind::LimitProduction => "limit_production",
            MeasureKind::Interview => "interview",
            MeasureKind::TransferPolice => "transfer_police",
            MeasureKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MeasureKind::OrderCorrection => "责令改正",
            MeasureKind::DeadlineRectification => "限期整改",
            MeasureKind::Penalty => "立案处罚",
            MeasureKind::SealSeize => "查封扣押",
            MeasureKind::SuspendProduction => "停产整治",
            MeasureKind::SuspendBusiness => "停业整顿",
            MeasureKind::SuspendOperation => "停运",
            MeasureKind::CloseBan => "关停取缔",
            MeasureKind::PowerCut => "断电",
            MeasureKind::LimitProduction => "限产",
            MeasureKind::Interview => "约谈",
            MeasureKind::TransferPolice => "移送公安",
            MeasureKind::Other => "其他",
        }
    }

    /// Accepts the code or the Chinese label.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.code() == s || k.label() == s)
            .ok_or_else(|| DomainError::invalid("measures", format!("未知的处理措施“{s}”")))
    }

    /// Shutdown-type measures (DESIGN R1.1: 停产/停业/停运/关停/取缔/断电/限产), the ones the
    /// 一刀切 guard applies to. 查封扣押 seals named equipment or goods under its own procedure and is
    /// not counted here.
    pub fn is_shutdown_type(self) -> bool {
        matches!(
            self,
            MeasureKind::SuspendProduction
                | MeasureKind::SuspendBusiness
                | MeasureKind::SuspendOperation
                | MeasureKind::CloseBan
                | MeasureKind::PowerCut
                | MeasureKind::LimitProduction
        )
    }
}

impl std::fmt::Display for MeasureKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// The terms every shutdown-type measure must state (R1.1; checked by
/// [`crate::shutdown::check_shutdown_measure`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShutdownTerms {
    /// The one enterprise or site stopped; must be one of the report's subjects.
    pub subject: String,
    /// 法律依据, citing the law and article, e.g. 《中华人民共和国大气污染防治法》第一百零八条.
    pub legal_basis: String,
    /// 范围: which lines, processes or equipment.
    pub scope: String,
    /// 起止时间.
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// 整改目标.
    pub rectification_target: String,
    /// 复产验收条件 (for 关停取缔: what verification of the ban checks).
    pub verification_conditions: String,
    /// The second approval livelihood trades need (R1.2), see
    /// [`crate::shutdown::check_second_approval`].
    pub second_approval: Option<SecondApproval>,
}

/// A second approval of a shutdown in a livelihood trade, by someone other than who ordered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondApproval {
    pub approver: String,
    pub unit: String,
    /// The approver's written opinion (why the shutdown is needed and proportionate).
    pub opinion: String,
    pub at: DateTime<Utc>,
}

/// One measure taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    pub kind: MeasureKind,
    /// What exactly, as it will be disclosed, e.g. `责令该厂立即停止露天喷漆作业` (without the fine
    /// amount, which is rendered from `fine_yuan`).
    #[serde(default)]
    pub description: String,
    /// 罚款金额（元）, required for 立案处罚 and only allowed there.
    #[serde(default)]
    pub fine_yuan: Option<u64>,
    /// Required for shutdown-type measures.
    #[serde(default)]
    pub shutdown: Option<ShutdownTerms>,
}

/// 限期整改: all four of target, measures, deadline and responsible unit are required (R1.4). Fields
/// are optional/plain so that a half-filled plan can be stored and the refusal can name what is
/// missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RectificationPlan {
    /// 整改目标.
    pub target: String,
    /// 整改措施.
    pub measures: String,
    /// 整改时限.
    pub due: Option<NaiveDate>,
    /// 责任单位.
    pub responsible_unit: String,
    /// Set when the handling unit reports the plan done (still subject to verification).
    pub completed_on: Option<NaiveDate>,
}

impl RectificationPlan {
    /// The names of the required parts that are missing, in the notice's order.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut m = Vec::new();
        if blank(&self.target) {
            m.push("整改目标");
        }
        if blank(&self.measures) {
            m.push("整改措施");
        }
        if self.due.is_none() {
            m.push("整改时限");
        }
        if blank(&self.responsible_unit) {
            m.push("责任单位");
        }
        m
    }

    pub fn is_complete(&self) -> bool {
        self.missing().is_empty()
    }
}

/// 立行立改 or 限期整改. A report may hold both: what could be fixed at once, and a plan for the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rectification {
    /// 立行立改, with what was done.
    Immediate {
        #[serde(default)]
        done: String,
        #[serde(default)]
        done_on: Option<NaiveDate>,
    },
    /// 限期整改.
    Scheduled(RectificationPlan),
}

impl Rectification {
    pub fn label(&self) -> &'static str {
        match self {
            Rectification::Immediate { .. } => "立行立改",
            Rectification::Scheduled(_) => "限期整改",
        }
    }
}

/// One thing wrong with a report: the form field (a JSON path) and a Chinese sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

impl Problem {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// The one handling report of a case (R5.5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HandlingReport {
    /// 调查核实情况: what was found on site.
    pub facts: String,
    /// The finding per issue (one entry when the complaint raised one issue).
    pub issues: Vec<IssueFinding>,
    /// The enterprises or sites concerned.
    pub subjects: Vec<Subject>,
    pub measures: Vec<Measure>,
    pub rectifications: Vec<Rectification>,
    /// 办结目标.
    pub closure_target: String,
    pub investigated_on: Option<NaiveDate>,
}

impl HandlingReport {
    /// The report with every free-text field the handler typed passed through `f` (the identity
    /// firewall, for every view of it): facts, issues, subjects, measure descriptions, shutdown terms and
    /// rectification texts. The second approval's approver and unit and a plan's responsible unit are
    /// officials and units, not free text, and stay as written.
    pub fn map_text(&self, f: impl Fn(&str) -> String) -> HandlingReport {
        let opt = |o: &Option<String>| o.as_deref().map(&f);
        HandlingReport {
            facts: f(&self.facts),
            issues: self
                .issues
                .iter()
                .map(|i| IssueFinding { issue: f(&i.issue), facts: f(&i.facts), ..i.clone() })
                .collect(),
            subjects: self
                .subjects
                .iter()
                .map(|s| Subject {
                    name: f(&s.name),
                    uscc: s.uscc.clone(),
                    industry: opt(&s.industry),
                    address: opt(&s.address),
                })
                .collect(),
            measures: self
                .measures
                .iter()
                .map(|m| Measure {
                    description: f(&m.description),
                    shutdown: m.shutdown.as_ref().map(|t| ShutdownTerms {
                        subject: f(&t.subject),
                        legal_basis: f(&t.legal_basis),
                        scope: f(&t.scope),
                        rectification_target: f(&t.rectification_target),
                        verification_conditions: f(&t.verification_conditions),
                        second_approval: t
                            .second_approval
                            .as_ref()
                            .map(|a| SecondApproval { opinion: f(&a.opinion), ..a.clone() }),
                        ..t.clone()
                    }),
                    ..m.clone()
                })
                .collect(),
            rectifications: self
                .rectifications
                .iter()
                .map(|r| match r {
                    Rectification::Immediate { done, done_on } => {
                        Rectification::Immediate { done: f(done), done_on: *done_on }
                    }
                    Rectification::Scheduled(p) => Rectification::Scheduled(RectificationPlan {
                        target: f(&p.target),
                        measures: f(&p.measures),
                        ..p.clone()
                    }),
                })
                .collect(),
            closure_target: f(&self.closure_target),
            investigated_on: self.investigated_on,
        }
    }
}

/// Empty after trimming.
pub(crate) fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Names compared as people write them: whitespace ignored.
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && a == b
}

impl HandlingReport {
    /// The overall finding, derived from the per-issue findings ([`Finding::overall`]).
    pub fn finding(&self) -> Option<Finding> {
        Finding::overall(self.issues.iter().map(|i| i.finding))
    }

    /// The investigation is complete: the facts are written and every issue has a finding.
    pub fn investigation_complete(&self) -> bool {
        !blank(&self.facts) && self.finding().is_some()
    }

    /// The subject of that name, if the report names it.
    pub fn subject(&self, name: &str) -> Option<&Subject> {
        self.subjects.iter().find(|s| same_name(&s.name, name))
    }

    /// Everything that stops this report from being submitted for verification, each with its
    /// field. Rules:
    /// - 调查核实情况 and at least one issue finding are required; with several issues each must say
    ///   what it is;
    /// - 属实/部分属实 needs at least one named subject, at least one rectification (立行立改 with what
    ///   was done, or a complete 限期整改 plan) and a 办结目标; 不属实 needs none of them;
    /// - every subject has a name and, when given, a valid 统一社会信用代码;
    /// - 立案处罚 carries its fine, and only 立案处罚 does; 其他 says what it was;
    /// - every shutdown-type measure meets R1.1 ([`crate::shutdown::shutdown_problems`]);
    /// - a plan's deadline is not before the investigation date.
    pub fn problems(&self) -> Vec<Problem> {
        let mut p = Vec::new();
        if blank(&self.facts) {
            p.push(Problem::new("facts", "调查核实情况未填写"));
        }
        if self.issues.is_empty() {
            p.push(Problem::new("issues", "调查结论未填写（属实、部分属实或不属实）"));
        }
        if self.issues.len() > 1 {
            for (i, issue) in self.issues.iter().enumerate() {
                if blank(&issue.issue) {
                    p.push(Problem::new(
                        format!("issues[{i}].issue"),
                        format!("第{}项调查结论未写明对应的反映问题", i + 1),
                    ));
                }
            }
        }
        let substantiated = self.finding().is_some_and(Finding::is_substantiated);
        if substantiated && self.subjects.is_empty() {
            p.push(Problem::new("subjects", "未填写涉及的企业或场所名称"));
        }
        for (i, s) in self.subjects.iter().enumerate() {
            if blank(&s.name) {
                p.push(Problem::new(
                    format!("subjects[{i}].name"),
                    format!("第{}个涉及主体未填写名称", i + 1),
                ));
            }
            if let Some(code) = s.uscc.as_deref().filter(|c| !blank(c))
                && let Err(e) = Uscc::parse(code)
            {
                p.push(Problem::new(
                    format!("subjects[{i}].uscc"),
                    format!("涉及主体“{}”的{}", s.name.trim(), e.message),
                ));
            }
        }
        for (i, m) in self.measures.iter().enumerate() {
            let n = i + 1;
            match (m.kind, m.fine_yuan) {
                (MeasureKind::Penalty, None | Some(0)) => p.push(Problem::new(
                    format!("measures[{i}].fine_yuan"),
                    format!("第{n}项措施“立案处罚”未填写罚款金额"),
                )),
                (MeasureKind::Penalty, Some(_)) | (_, None) => {}
                (kind, Some(_)) => p.push(Problem::new(
                    format!("measures[{i}].fine_yuan"),
                    format!("第{n}项措施“{}”不能填写罚款金额（罚款属于立案处罚）", kind.label()),
                )),
            }
            if m.kind == MeasureKind::Other && blank(&m.description) {
                p.push(Problem::new(
                    format!("measures[{i}].description"),
                    format!("第{n}项措施为“其他”，须写明具体措施"),
                ));
            }
            if m.kind.is_shutdown_type() {
                let missing = crate::shutdown::shutdown_problems(self, m);
                if !missing.is_empty() {
                    p.push(Problem::new(
                        format!("measures[{i}].shutdown"),
                        format!("第{n}项措施“{}”缺少：{}", m.kind.label(), missing.join("；")),
                    ));
                }
            }
        }
        if substantiated && self.rectifications.is_empty() {
            p.push(Problem::new(
                "rectifications",
                "问题属实，须立行立改或制定限期整改计划（整改目标、整改措施、整改时限、责任单位）",
            ));
        }
        p.extend(self.rectification_problems());
        if substantiated && blank(&self.closure_target) {
            p.push(Problem::new("closure_target", "办结目标未填写"));
        }
        p
    }

    /// Problems of the rectification entries alone (used by the closing check too).
    pub(crate) fn rectification_problems(&self) -> Vec<Problem> {
        let mut p = Vec::new();
        for (i, r) in self.rectifications.iter().enumerate() {
            let n = i + 1;
            match r {
                Rectification::Immediate { done, .. } => {
                    if blank(done) {
                        p.push(Problem::new(
                            format!("rectifications[{i}].done"),
                            format!("第{n}项立行立改未写明已完成的整改内容"),
                        ));
                    }
                }
                Rectification::Scheduled(plan) => {
                    let missing = plan.missing();
                    if !missing.is_empty() {
                        p.push(Problem::new(
                            format!("rectifications[{i}]"),
                            format!("第{n}项限期整改计划缺少：{}", missing.join("、")),
                        ));
                    }
                    if let (Some(due), Some(inv)) = (plan.due, self.investigated_on)
                        && due < inv
                    {
                        p.push(Problem::new(
                            format!("rectifications[{i}].due"),
                            format!("第{n}项限期整改的整改时限早于调查核实日期"),
                        ));
                    }
                }
            }
        }
        p
    }

    /// Ready to submit for verification, or one refusal listing every problem (code
    /// `r5_5_incomplete_report`; `field` is the first problem's field, `details` all messages).
    pub fn validate(&self) -> Result<(), DomainError> {
        let problems = self.problems();
        let Some(first) = problems.first() else {
            return Ok(());
        };
        let messages: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
        Err(DomainError::new(
            "r5_5_incomplete_report",
            format!("办理报告还不能报送：{}。", messages.join("；")),
        )
        .with_field(first.field.clone())
        .with_details(messages))
    }

    /// The scheduled plans not yet reported done.
    pub fn running_plans(&self) -> impl Iterator<Item = &RectificationPlan> {
        self.rectifications.iter().filter_map(|r| match r {
            Rectification::Scheduled(plan) if plan.completed_on.is_none() => Some(plan),
            _ => None,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Disclosure text (the 2023 table's columns).

/// `2019年12月31日`.
pub fn date_cn(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

/// A fine as people read it: `5000元`, `2万元`, `2.5万元`.
pub fn yuan_cn(yuan: u64) -> String {
    if yuan >= 10_000 {
        let wan = yuan / 10_000;
        let rest = yuan % 10_000;
        if rest == 0 {
            format!("{wan}万元")
        } else {
            let frac = format!("{rest:04}");
            format!("{wan}.{}万元", frac.trim_end_matches('0'))
        }
    } else {
        format!("{yuan}元")
    }
}

fn end_sentence(s: &str) -> String {
    let s = s.trim().trim_end_matches(['。', '；', '，', '.', ';', ',']);
    format!("{s}。")
}

/// 是否属实 column: the overall finding, or `调查核实中` before there is one.
pub fn render_finding(report: &HandlingReport) -> &'static str {
    report.finding().map(Finding::label).unwrap_or("调查核实中")
}

/// 调查核实情况 column: the facts, then the finding (per issue when there are several).
pub fn render_investigation(report: &HandlingReport) -> String {
    let mut out = String::new();
    if !blank(&report.facts) {
        out.push_str(&end_sentence(&report.facts));
    }
    match report.issues.as_slice() {
        [] => {
            if out.is_empty() {
                out.push_str("正在调查核实。");
            }
        }
        [one] => {
            if !blank(&one.facts) {
                out.push_str(&end_sentence(&one.facts));
            }
            out.push_str(&format!("反映问题{}。", one.finding.label()));
        }
        several => {
            out.push_str(&format!("经调查核实，反映问题{}。其中：", render_finding(report)));
            let parts: Vec<String> = several
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let mut s = format!("{}.反映“{}”{}", i + 1, f.issue.trim(), f.finding.label());
                    if !blank(&f.facts) {
                        s.push_str(&format!("（{}）", f.facts.trim().trim_end_matches('。')));
                    }
                    s
                })
                .collect();
            out.push_str(&end_sentence(&parts.join("；")));
        }
    }
    out
}

/// One measure as disclosed, e.g. `立案处罚，罚款2万元`.
pub fn render_measure(m: &Measure) -> String {
    let mut s =
        if blank(&m.description) { m.kind.label().to_owned() } else { m.description.trim().to_owned() };
    if let Some(fine) = m.fine_yuan.filter(|f| *f > 0) {
        s.push_str(&format!("，罚款{}", yuan_cn(fine)));
    }
    if let Some(t) = &m.shutdown {
        let mut terms = Vec::new();
        if !blank(&t.legal_basis) {
            terms.push(format!("依据{}", t.legal_basis.trim()));
        }
        if let (Some(a), Some(b)) = (t.starts_on, t.ends_on) {
            terms.push(format!("期限{}至{}", date_cn(a), date_cn(b)));
        }
        if !blank(&t.verification_conditions) {
            terms.push(format!("验收条件：{}", t.verification_conditions.trim()));
        }
        if !terms.is_empty() {
            s.push_str(&format!("（{}）", terms.join("，")));
        }
    }
    s
}

/// One rectification as disclosed.
pub fn render_rectification(r: &Rectification) -> String {
    match r {
        Rectification::Immediate { done, .. } => {
            format!("已立行立改：{}", done.trim().trim_end_matches('。'))
        }
        Rectification::Scheduled(plan) => {
            let mut parts = vec![format!("限期整改：{}", plan.target.trim())];
            if !blank(&plan.measures) {
                parts.push(format!("整改措施：{}", plan.measures.trim().trim_end_matches('。')));
            }
            if let Some(due) = plan.due {
                parts.push(format!("{}前完成", date_cn(due)));
            }
            if !blank(&plan.responsible_unit) {
                parts.push(format!("责任单位：{}", plan.responsible_unit.trim()));
            }
            let mut s = parts.join("，");
            if let Some(done) = plan.completed_on {
                s.push_str(&format!("（已于{}完成）", date_cn(done)));
            }
            s
        }
    }
}

/// 处理和整改情况 column: the measures joined by `，`, then each rectification, sections joined by
/// `；`, e.g. `责令该厂立即停止露天喷漆作业，立案处罚，罚款2万元；已立行立改：…。`
pub fn render_handling(report: &HandlingReport) -> String {
    let mut sections = Vec::new();
    if !report.measures.is_empty() {
        sections.push(report.measures.iter().map(render_measure).collect::<Vec<_>>().join("，"));
    }
    sections.extend(report.rectifications.iter().map(render_rectification));
    if sections.is_empty() {
        return match report.finding() {
            Some(Finding::False) => "反映问题不属实，不涉及整改。".to_owned(),
            _ => "正在办理中。".to_owned(),
        };
    }
    end_sentence(&sections.join("；"))
}

/// 办结目标 column.
pub fn render_closure_target(report: &HandlingReport) -> String {
    report.closure_target.trim().to_owned()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A complete, lawful report about one spray-painting furniture workshop.
    pub(crate) fn painting_workshop() -> HandlingReport {
        HandlingReport {
            facts: "经现场核查，该厂在院内露天喷漆，未建设废气收集处理设施".into(),
            issues: vec![IssueFinding { issue: String::new(), finding: Finding::True, facts: String::new() }],
            subjects: vec![Subject {
                name: "清丰县某家具厂".into(),
                uscc: None,
                industry: None,
                address: Some("清丰县韩村镇".into()),
            }],
            measures: vec![
                Measure {
                    kind: MeasureKind::OrderCorrection,
                    description: "责令该厂立即停止露天喷漆作业".into(),
                    fine_yuan: None,
                    shutdown: None,
                },
                Measure {
                    kind: MeasureKind::Penalty,
                    description: String::new(),
                    fine_yuan: Some(20_000),
                    shutdown: None,
                },
            ],
            rectifications: vec![
                Rectification::Immediate {
                    done: "已停止露天喷漆，清理现场漆桶".into(),
                    done_on: Some(d(2019, 11, 27)),
                },
                Rectification::Scheduled(RectificationPlan {
                    target: "建成密闭喷漆房和VOCs治理设施并验收".into(),
                    measures: "建设密闭喷漆房，安装活性炭吸附装置".into(),
                    due: Some(d(2019, 12, 20)),
                    responsible_unit: "韩村镇人民政府".into(),
                    completed_on: None,
                }),
            ],
            closure_target: "停止露天喷漆，VOCs治理设施建成并验收".into(),
            investigated_on: Some(d(2019, 11, 27)),
        }
    }

    #[test]
    fn r5_5_overall_finding_from_per_issue_findings() {
        use Finding::*;
        let table: &[(&[Finding], Option<Finding>)] = &[
            (&[], None),
            (&[True], Some(True)),
            (&[False], Some(False)),
            (&[PartlyTrue], Some(PartlyTrue)),
            (&[True, True, True], Some(True)),
            (&[False, False], Some(False)),
            (&[True, False], Some(PartlyTrue)),
            (&[False, True], Some(PartlyTrue)),
            (&[True, PartlyTrue], Some(PartlyTrue)),
            (&[False, PartlyTrue, False], Some(PartlyTrue)),
            (&[True, True, False], Some(PartlyTrue)),
        ];
        for (input, expect) in table {
            assert_eq!(Finding::overall(input.iter().copied()), *expect, "{input:?}");
        }
    }

    #[test]
    fn r5_5_finding_and_measure_codes_round_trip() {
        for f in Finding::ALL {
            assert_eq!(Finding::parse(f.code()).ok(), Some(f));
            assert_eq!(Finding::parse(f.label()).ok(), Some(f));
        }
        assert!(Finding::parse("基本属实").is_err());
        for k in MeasureKind::ALL {
            assert_eq!(MeasureKind::parse(k.code()).ok(), Some(k));
            assert_eq!(MeasureKind::parse(k.label()).ok(), Some(k));
        }
    }

    #[test]
    fn r1_1_shutdown_type_measures_are_exactly_the_design_list() {
        let shutdown: Vec<&str> =
            MeasureKind::ALL.into_iter().filter(|k| k.is_shutdown_type()).map(MeasureKind::label).collect();
        assert_eq!(shutdown, vec!["停产整治", "停业整顿", "停运", "关停取缔", "断电", "限产"]);
    }

    #[test]
    fn r5_5_complete_report_validates() {
        assert_eq!(painting_workshop().problems(), vec![]);
        assert!(painting_workshop().validate().is_ok());
    }

    fn check_problem(mutate: fn(&mut HandlingReport), field: &str, words: &[&str]) {
        let mut r = painting_workshop();
        mutate(&mut r);
        let e = r.validate().unwrap_err();
        assert_eq!(e.code, "r5_5_incomplete_report");
        let hit = r.problems().into_iter().find(|p| p.field == field);
        let hit = hit.unwrap_or_else(|| panic!("no problem on {field}: {:?}", r.problems()));
        for w in words {
            assert!(hit.message.contains(w), "{field}: “{}” lacks “{w}”", hit.message);
            assert!(e.message.contains(w), "the refusal names it too: {}", e.message);
        }
    }

    #[test]
    fn r5_5_validate_names_each_missing_or_invalid_field() {
        type Case = (fn(&mut HandlingReport), &'static str, &'static [&'static str]);
        let table: &[Case] = &[
            (|r| r.facts = "  ".into(), "facts", &["调查核实情况"]),
            (|r| r.issues.clear(), "issues", &["调查结论"]),
            (
                |r| {
                    r.issues.push(IssueFinding {
                        issue: String::new(),
                        finding: Finding::False,
                        facts: String::new(),
                    })
                },
                "issues[0].issue",
                &["第1项", "反映问题"],
            ),
            (|r| r.subjects.clear(), "subjects", &["企业或场所名称"]),
            (|r| r.subjects[0].name = String::new(), "subjects[0].name", &["名称"]),
            (|r| r.subjects[0].uscc = Some("914403001922038217".into()), "subjects[0].uscc", &["校验位"]),
            (|r| r.measures[1].fine_yuan = None, "measures[1].fine_yuan", &["第2项", "罚款金额"]),
            (
                |r| r.measures[0].fine_yuan = Some(500),
                "measures[0].fine_yuan",
                &["责令改正", "不能填写罚款金额"],
            ),
            (
                |r| {
                    r.measures.push(Measure {
                        kind: MeasureKind::Other,
                        description: String::new(),
                        fine_yuan: None,
                        shutdown: None,
                    })
                },
                "measures[2].description",
                &["其他", "具体措施"],
            ),
            (
                |r| {
                    r.measures.push(Measure {
                        kind: MeasureKind::SuspendProduction,
                        description: String::new(),
                        fine_yuan: None,
                        shutdown: None,
                    })
                },
                "measures[2].shutdown",
                &["停产整治", "法律依据", "复产验收条件"],
            ),
            (|r| r.rectifications.clear(), "rectifications", &["立行立改", "限期整改"]),
            (
                |r| r.rectifications[0] = Rectification::Immediate { done: " ".into(), done_on: None },
                "rectifications[0].done",
                &["立行立改", "整改内容"],
            ),
            (
                |r| {
                    r.rectifications[1] = Rectification::Scheduled(RectificationPlan {
                        target: "建成".into(),
                        ..Default::default()
                    })
                },
                "rectifications[1]",
                &["整改措施", "整改时限", "责任单位"],
            ),
            (
                |r| {
                    if let Rectification::Scheduled(p) = &mut r.rectifications[1] {
                        p.due = Some(d(2019, 11, 1));
                    }
                },
                "rectifications[1].due",
                &["早于调查核实日期"],
            ),
            (|r| r.closure_target.clear(), "closure_target", &["办结目标"]),
        ];
        for (mutate, field, words) in table {
            check_problem(*mutate, field, words);
        }
    }

    #[test]
    fn r5_5_validate_lists_everything_at_once() {
        let e = HandlingReport::default().validate().unwrap_err();
        assert_eq!(e.details.len(), 2, "{:?}", e.details);
        assert_eq!(e.field.as_deref(), Some("facts"));
        let mut r = painting_workshop();
        r.facts.clear();
        r.closure_target.clear();
        r.subjects.clear();
        let e = r.validate().unwrap_err();
        assert_eq!(e.details.len(), 3);
    }

    #[test]
    fn r5_5_false_finding_needs_no_subject_or_rectification() {
        let r = HandlingReport {
            facts: "经现场核查，该处为正常生产，未发现露天喷漆".into(),
            issues: vec![IssueFinding {
                issue: String::new(),
                finding: Finding::False,
                facts: String::new(),
            }],
            ..Default::default()
        };
        assert!(r.validate().is_ok(), "{:?}", r.problems());
        assert_eq!(render_finding(&r), "不属实");
        assert_eq!(render_handling(&r), "反映问题不属实，不涉及整改。");
    }

    #[test]
    fn r5_5_report_round_trips_as_json_and_accepts_partial_forms() {
        let r = painting_workshop();
        let json = serde_json::to_string(&r).unwrap();
        let back: HandlingReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
        assert!(json.contains("\"kind\":\"scheduled\""), "{json}");
        // A form posted with only a plan target still deserializes, and validation names the rest.
        let partial: HandlingReport = serde_json::from_str(
            r#"{"facts":"露天喷漆属实","issues":[{"finding":"true"}],"rectifications":[{"kind":"scheduled","target":"建成喷漆房"}]}"#,
        )
        .unwrap();
        let e = partial.validate().unwrap_err();
        assert!(e.message.contains("整改时限"), "{}", e.message);
    }

    #[test]
    fn r5_5_render_disclosure_columns() {
        let r = painting_workshop();
        assert_eq!(render_finding(&r), "属实");
        assert_eq!(
            render_investigation(&r),
            "经现场核查，该厂在院内露天喷漆，未建设废气收集处理设施。反映问题属实。"
        );
        assert_eq!(
            render_handling(&r),
            "责令该厂立即停止露天喷漆作业，立案处罚，罚款2万元；已立行立改：已停止露天喷漆，清理现场漆桶；\
             限期整改：建成密闭喷漆房和VOCs治理设施并验收，整改措施：建设密闭喷漆房，安装活性炭吸附装置，\
             2019年12月20日前完成，责任单位：韩村镇人民政府。"
        );
        assert_eq!(render_closure_target(&r), "停止露天喷漆，VOCs治理设施建成并验收");
        assert_eq!(render_finding(&HandlingReport::default()), "调查核实中");
        assert_eq!(render_handling(&HandlingReport::default()), "正在办理中。");
    }

    #[test]
    fn r5_5_render_several_issues() {
        let r = HandlingReport {
            facts: "经调查".into(),
            issues: vec![
                IssueFinding {
                    issue: "夜间露天喷漆".into(), finding: Finding::True, facts: String::new()
                },
                IssueFinding {
                    issue: "废水直排河道".into(),
                    finding: Finding::False,
                    facts: "该厂无生产废水产生。".into(),
                },
            ],
            ..Default::default()
        };
        assert_eq!(
            render_investigation(&r),
            "经调查。经调查核实，反映问题部分属实。其中：1.反映“夜间露天喷漆”属实；\
             2.反映“废水直排河道”不属实（该厂无生产废水产生）。"
        );
    }

    #[test]
    fn r5_5_fines_read_as_people_write_them() {
        let table = [
            (800, "800元"),
            (5000, "5000元"),
            (10_000, "1万元"),
            (20_000, "2万元"),
            (25_000, "2.5万元"),
            (123_450, "12.345万元"),
            (1_000_001, "100.0001万元"),
        ];
        for (yuan, text) in table {
            assert_eq!(yuan_cn(yuan), text);
        }
    }
}
