//! R1.1 no “一停了之”: a shutdown-type measure is accepted only on a completed 属实/部分属实 finding,
//! naming one of the case's subjects, with a legal basis (law and article), scope, start and end, a
//! rectification target and verification conditions.
//!
//! The check reads one report and one measure, so it lives with the report; the rules over many
//! reports (R1.2 一刀切 detection, R1.3 长停久治) are in [`crate::shutdown`].

use super::{Finding, HandlingReport, Measure, MeasureKind, ShutdownTerms, blank};
use crate::DomainError;

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
    let empty = ShutdownTerms::default();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handling::tests::{d, lawful_terms, painting_workshop, shutdown};

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
}
