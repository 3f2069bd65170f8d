//! The disclosure table's text columns (the 2023 table's 调查核实情况, 是否属实, 处理和整改情况 and 办结目标),
//! rendered from the handling report, and the date and money wording they use.

use chrono::NaiveDate;

use super::{Finding, HandlingReport, Measure, Rectification, blank};

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
mod tests {
    use super::*;
    use crate::handling::IssueFinding;
    use crate::handling::tests::painting_workshop;

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
