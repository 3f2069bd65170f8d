//! The handling report (R5.5): one structured report per case, entered once by the handling unit and
//! read unchanged by the county, the city and the team (nobody re-types it).
//!
//! A report is a document that is filled in over days, so it is stored as it stands — even half
//! filled — and checked at the gates: [`HandlingReport::validate`] before it is submitted for
//! verification, [`check_shutdown_measure`] (R1.1) when a shutdown-type measure is added, and
//! [`crate::closure::check_can_close`] (R1.4, R4.2) when the county closes the case. Every field is
//! therefore a plain value (text, optional date) so a posted form always deserializes and the refusal
//! can name *everything* that is missing at once, in Chinese.
//!
//! This module holds the report's types; the rules over them are in its parts:
//! - `validate`: [`HandlingReport::problems`] and [`HandlingReport::validate`] (R5.5);
//! - `shutdown_check`: R1.1, no “一停了之” — [`check_shutdown_measure`] and [`shutdown_problems`];
//! - `render`: the disclosure table's text columns (调查核实情况, 是否属实, 处理和整改情况, 办结目标),
//!   rendered from the report.
//!
//! The R1.2/R1.3 rules over many reports (the 一刀切 detector, 长停久治) are in [`crate::shutdown`],
//! which builds on this module and not the other way round.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::DomainError;

mod render;
mod shutdown_check;
mod validate;

pub use render::{
    date_cn, render_closure_target, render_finding, render_handling, render_investigation, render_measure,
    render_rectification, yuan_cn,
};
pub use shutdown_check::{check_shutdown_measure, cites_law_and_article, shutdown_problems};
pub use validate::Problem;

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

/// The terms every shutdown-type measure must state (R1.1; checked by [`check_shutdown_measure`]).
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

    /// Lawful terms for a shutdown of `subject` (R1.1): basis with law and article, scope, dates,
    /// target and verification conditions.
    pub(crate) fn lawful_terms(subject: &str) -> ShutdownTerms {
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

    pub(crate) fn shutdown(kind: MeasureKind, terms: Option<ShutdownTerms>) -> Measure {
        Measure { kind, description: String::new(), fine_yuan: None, shutdown: terms }
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
}
