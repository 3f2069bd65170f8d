//! R5.5 the gate before verification: everything that stops a handling report from being submitted,
//! each problem with its form field, all named at once.

use serde::Serialize;

use super::shutdown_check::shutdown_problems;
use super::{Finding, HandlingReport, MeasureKind, Rectification, RectificationPlan, blank};
use crate::DomainError;
use crate::uscc::Uscc;

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

impl HandlingReport {
    /// Everything that stops this report from being submitted for verification, each with its
    /// field. Rules:
    /// - 调查核实情况 and at least one issue finding are required; with several issues each must say
    ///   what it is;
    /// - 属实/部分属实 needs at least one named subject, at least one rectification (立行立改 with what
    ///   was done, or a complete 限期整改 plan) and a 办结目标; 不属实 needs none of them;
    /// - every subject has a name and, when given, a valid 统一社会信用代码;
    /// - 立案处罚 carries its fine, and only 立案处罚 does; 其他 says what it was;
    /// - every shutdown-type measure meets R1.1 ([`shutdown_problems`]);
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
                let missing = shutdown_problems(self, m);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handling::tests::{d, painting_workshop};
    use crate::handling::{IssueFinding, Measure, render_finding, render_handling};

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
}
