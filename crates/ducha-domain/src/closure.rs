//! Verification (验收) and closing: R1.4 (every case ends in 立行立改 or a complete 限期整改 plan), R4.2
//! (accountability never replaces rectification), the closure states disclosed as 是否办结, the
//! on-site re-check sample, and reopening on a repeat complaint.
//!
//! Closing rule ([`check_can_close`]), decided here and relied on by the app layer:
//! - the verification must not have failed, and the investigation must be complete (facts + finding);
//! - **不属实** closes on its investigation facts alone: nothing was wrong, so nothing is rectified
//!   (any measures or plans recorded are still checked). It closes as 已办结 only; a partial pass
//!   makes no sense for it and is refused;
//! - **属实 / 部分属实** needs at least one rectification — 立行立改 with what was done, or a 限期整改
//!   plan with all four of target, measures, deadline and responsible unit — every shutdown-type
//!   measure lawful under R1.1, and a 办结目标. Accountability records never stand in for this (R4.2;
//!   the refusal says so explicitly when the case has them);
//! - it is **已办结** when the verification passed and no scheduled plan is still running;
//! - it is **阶段性办结** when everything immediate is done and at least one complete scheduled plan is
//!   still running (whether the verifier marked it passed or partly passed); a partly-passed
//!   verification with no running plan is refused, because the unfinished part would have no plan.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sm3::{Digest, Sm3};

use crate::DomainError;
use crate::accountability::AccountabilityRecord;
use crate::handling::{Finding, HandlingReport, blank};
use crate::workflow::{MIN_REASON_CHARS, Stage};

/// 是否办结 as disclosed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosureState {
    /// 已办结.
    Closed,
    /// 阶段性办结: the immediate part done and verified, a scheduled plan still running.
    PartlyClosed,
    /// 未办结.
    Open,
}

impl ClosureState {
    pub const ALL: [ClosureState; 3] = [ClosureState::Closed, ClosureState::PartlyClosed, ClosureState::Open];

    pub fn code(self) -> &'static str {
        match self {
            ClosureState::Closed => "closed",
            ClosureState::PartlyClosed => "partly_closed",
            ClosureState::Open => "open",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClosureState::Closed => "已办结",
            ClosureState::PartlyClosed => "阶段性办结",
            ClosureState::Open => "未办结",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|c| c.code() == s || c.label() == s)
            .ok_or_else(|| DomainError::invalid("closure", format!("未知的办结状态“{s}”")))
    }

    /// The closure state a workflow stage discloses.
    pub fn from_stage(stage: Stage) -> Self {
        match stage {
            Stage::Closed => ClosureState::Closed,
            Stage::PartlyClosed => ClosureState::PartlyClosed,
            _ => ClosureState::Open,
        }
    }
}

/// The verifier's conclusion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum VerificationOutcome {
    /// 验收通过.
    Passed,
    /// 部分通过: what was due now is done; the rest continues under its plan.
    PartlyPassed,
    /// 验收不通过, with the reason (sent back for rectification).
    Failed { reason: String },
}

impl VerificationOutcome {
    pub fn label(&self) -> &'static str {
        match self {
            VerificationOutcome::Passed => "验收通过",
            VerificationOutcome::PartlyPassed => "部分通过",
            VerificationOutcome::Failed { .. } => "验收不通过",
        }
    }
}

/// 验收 by the level above the handling unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// The verifying unit (its id or code in the store).
    pub by_unit: String,
    pub at: DateTime<Utc>,
    pub outcome: VerificationOutcome,
    /// Whether the verifier went on site (see [`pick_onsite_sample`]).
    #[serde(default)]
    pub onsite: bool,
    #[serde(default)]
    pub notes: String,
}

impl Verification {
    pub fn validate(&self) -> Result<(), DomainError> {
        if blank(&self.by_unit) {
            return Err(DomainError::invalid("by_unit", "验收单位未填写"));
        }
        if let VerificationOutcome::Failed { reason } = &self.outcome
            && reason.trim().chars().count() < MIN_REASON_CHARS
        {
            return Err(DomainError::invalid(
                "reason",
                format!("验收不通过须写明理由（至少{MIN_REASON_CHARS}个字）"),
            ));
        }
        Ok(())
    }
}

/// R4.2, explicit: a substantiated case with accountability records but no rectification is refused
/// because accountability cannot replace rectification. Ok when there are no records, when the
/// finding is not substantiated, or when rectification is recorded (its completeness is R1.4's
/// business).
pub fn check_not_accountability_alone(
    report: &HandlingReport,
    accountability: &[AccountabilityRecord],
) -> Result<(), DomainError> {
    let substantiated = report.finding().is_some_and(Finding::is_substantiated);
    if substantiated && !accountability.is_empty() && report.rectifications.is_empty() {
        let n = accountability.len();
        return Err(DomainError::new(
            "r4_2_accountability_instead_of_rectification",
            format!(
                "不能以问责代替整改：本案已问责{n}人，但反映问题{}，仍须立行立改或制定限期整改计划\
                 （整改目标、整改措施、整改时限、责任单位）后才能办结。",
                report.finding().map(Finding::label).unwrap_or_default()
            ),
        )
        .with_field("rectifications")
        .with_details(["立行立改或限期整改"]));
    }
    Ok(())
}

/// R1.4 with R4.2: whether the case may close on this verification, and into which state
/// ([`ClosureState::Closed`] or [`ClosureState::PartlyClosed`]); see the module doc for the rule.
/// `accountability` are the records linked to this case.
///
/// Codes: `verification_failed`, `r4_2_accountability_instead_of_rectification`,
/// `r1_4_not_investigated`, `r1_4_incomplete_rectification`, `r1_4_partly_without_plan`,
/// `r1_4_false_finding_partly_passed`. Refusals list everything missing in `details`.
pub fn check_can_close(
    report: &HandlingReport,
    verification: &Verification,
    accountability: &[AccountabilityRecord],
) -> Result<ClosureState, DomainError> {
    if let VerificationOutcome::Failed { reason } = &verification.outcome {
        return Err(DomainError::new(
            "verification_failed",
            format!("验收未通过（{}），不能办结，请退回整改。", reason.trim()),
        ));
    }
    let Some(finding) = report.finding().filter(|_| !blank(&report.facts)) else {
        let mut missing = Vec::new();
        if blank(&report.facts) {
            missing.push("调查核实情况");
        }
        if report.finding().is_none() {
            missing.push("调查结论（属实、部分属实或不属实）");
        }
        return Err(DomainError::new(
            "r1_4_not_investigated",
            format!("案件尚未完成调查核实，不能办结。还缺少：{}。", missing.join("；")),
        )
        .with_details(missing));
    };

    check_not_accountability_alone(report, accountability)?;

    let mut missing: Vec<String> = Vec::new();
    if finding.is_substantiated() && report.rectifications.is_empty() {
        missing.push("立行立改情况或限期整改计划（整改目标、整改措施、整改时限、责任单位）".into());
    }
    missing.extend(report.rectification_problems().into_iter().map(|p| p.message));
    for (i, m) in report.measures.iter().enumerate() {
        let lacks = crate::handling::shutdown_problems(report, m);
        if !lacks.is_empty() {
            missing.push(format!("第{}项措施“{}”的{}", i + 1, m.kind.label(), lacks.join("、")));
        }
    }
    if finding.is_substantiated() && blank(&report.closure_target) {
        missing.push("办结目标".into());
    }
    if !missing.is_empty() {
        return Err(DomainError::new(
            "r1_4_incomplete_rectification",
            format!("案件不能办结：能马上解决的要立行立改，一时解决不了的要明确整改目标、措施、时限和责任单位。还缺少：{}。", missing.join("；")),
        )
        .with_field("rectifications")
        .with_details(missing));
    }

    let running = report.running_plans().count();
    match (finding, &verification.outcome) {
        (Finding::False, VerificationOutcome::PartlyPassed) => Err(DomainError::new(
            "r1_4_false_finding_partly_passed",
            "调查结论为不属实的案件，验收只能为通过或不通过，不能部分通过。",
        )),
        (Finding::False, _) => Ok(ClosureState::Closed),
        (_, VerificationOutcome::Passed) if running == 0 => Ok(ClosureState::Closed),
        _ if running > 0 => Ok(ClosureState::PartlyClosed),
        _ => Err(DomainError::new(
            "r1_4_partly_without_plan",
            "验收认定部分完成，但本案没有在办的限期整改计划。请补充限期整改计划（整改目标、整改措施、整改时限、责任单位），\
             或验收不通过退回整改。",
        )
        .with_field("rectifications")),
    }
}

/// The cases to re-check on site: `ceil(rate × n)` of them (none for a rate ≤ 0 or NaN, all for
/// a rate ≥ 1), chosen by ranking each id by SM3(seed as 8 big-endian bytes ‖ id as UTF-8) and taking
/// the lowest digests. The draw is reproducible by anyone with the seed, does not depend on the order
/// of the input, and is returned in input order.
pub fn pick_onsite_sample<T: Clone + std::fmt::Display>(case_ids: &[T], rate: f64, seed: u64) -> Vec<T> {
    if case_ids.is_empty() || rate.is_nan() || rate <= 0.0 {
        return Vec::new();
    }
    let n = case_ids.len();
    let take = if rate >= 1.0 {
        n
    } else {
        // n ≤ usize::MAX and rate < 1, so the product fits; ceil keeps a positive rate non-empty.
        let want = (rate * n as f64).ceil();
        if want >= n as f64 { n } else { (want as usize).max(1) }
    };
    let mut ranked: Vec<(Vec<u8>, usize)> = case_ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let mut h = Sm3::new();
            h.update(seed.to_be_bytes());
            h.update(id.to_string().as_bytes());
            (h.finalize().to_vec(), i)
        })
        .collect();
    ranked.sort();
    let mut chosen: Vec<usize> = ranked.into_iter().take(take).map(|(_, i)| i).collect();
    chosen.sort_unstable();
    chosen.into_iter().map(|i| case_ids[i].clone()).collect()
}

/// A repeat complaint about the same source reopens a closed case for review when it arrives at or
/// after the closing and within `window_days` × 24 hours of it. One arriving before the closing is a
/// duplicate of an open case, not a reason to reopen.
pub fn should_reopen_on_repeat(closed_at: DateTime<Utc>, repeat_at: DateTime<Utc>, window_days: u32) -> bool {
    repeat_at >= closed_at && repeat_at - closed_at <= Duration::days(i64::from(window_days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accountability::tests::record;
    use crate::handling::tests::{d, painting_workshop};
    use crate::handling::{IssueFinding, Measure, MeasureKind, Rectification, RectificationPlan};

    fn at(day: u32, h: u32) -> DateTime<Utc> {
        crate::time::from_cst(d(2019, 12, day).and_hms_opt(h, 0, 0).unwrap())
    }

    fn verification(outcome: VerificationOutcome) -> Verification {
        Verification {
            by_unit: "清丰县污染防治攻坚办".into(),
            at: at(10, 10),
            outcome,
            onsite: true,
            notes: String::new(),
        }
    }

    fn passed() -> Verification {
        verification(VerificationOutcome::Passed)
    }

    fn partly() -> Verification {
        verification(VerificationOutcome::PartlyPassed)
    }

    fn complete_plan(r: &mut HandlingReport) {
        for x in &mut r.rectifications {
            if let Rectification::Scheduled(p) = x {
                p.completed_on = Some(d(2019, 12, 9));
            }
        }
    }

    fn false_report() -> HandlingReport {
        HandlingReport {
            facts: "经现场核查，未发现露天喷漆行为".into(),
            issues: vec![IssueFinding {
                issue: String::new(),
                finding: Finding::False,
                facts: String::new(),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn r1_4_closure_table() {
        type Case = (&'static str, HandlingReport, Verification, Result<ClosureState, &'static str>);
        let mut done = painting_workshop();
        complete_plan(&mut done);
        let mut immediate_only = painting_workshop();
        immediate_only.rectifications.truncate(1);
        let mut plan_only = painting_workshop();
        plan_only.rectifications.remove(0);
        let mut no_rect = painting_workshop();
        no_rect.rectifications.clear();
        let mut half_plan = painting_workshop();
        half_plan.rectifications[1] = Rectification::Scheduled(RectificationPlan {
            target: "建成喷漆房".into(),
            due: Some(d(2019, 12, 20)),
            ..Default::default()
        });
        let mut empty_immediate = painting_workshop();
        empty_immediate.rectifications[0] = Rectification::Immediate { done: String::new(), done_on: None };
        let mut bare_shutdown = done.clone();
        bare_shutdown.measures.push(Measure {
            kind: MeasureKind::PowerCut,
            description: String::new(),
            fine_yuan: None,
            shutdown: None,
        });
        let mut no_target = done.clone();
        no_target.closure_target.clear();
        let mut partly_true = done.clone();
        partly_true.issues.push(IssueFinding {
            issue: "夜间".into(),
            finding: Finding::False,
            facts: String::new(),
        });
        partly_true.issues[0].issue = "露天喷漆".into();
        let failed = verification(VerificationOutcome::Failed { reason: "喷漆房未建成".into() });

        let table: Vec<Case> = vec![
            ("all done, passed", done.clone(), passed(), Ok(ClosureState::Closed)),
            ("部分属实 all done", partly_true, passed(), Ok(ClosureState::Closed)),
            ("立行立改 only", immediate_only.clone(), passed(), Ok(ClosureState::Closed)),
            ("plan running, passed", painting_workshop(), passed(), Ok(ClosureState::PartlyClosed)),
            ("plan running, partly passed", painting_workshop(), partly(), Ok(ClosureState::PartlyClosed)),
            ("plan only, running", plan_only, partly(), Ok(ClosureState::PartlyClosed)),
            ("partly passed, nothing running", immediate_only, partly(), Err("r1_4_partly_without_plan")),
            ("no rectification", no_rect, passed(), Err("r1_4_incomplete_rectification")),
            ("half a plan", half_plan, passed(), Err("r1_4_incomplete_rectification")),
            ("立行立改 says nothing", empty_immediate, passed(), Err("r1_4_incomplete_rectification")),
            ("bare shutdown", bare_shutdown, passed(), Err("r1_4_incomplete_rectification")),
            ("no closure target", no_target, passed(), Err("r1_4_incomplete_rectification")),
            ("verification failed", done, failed, Err("verification_failed")),
            ("not investigated", HandlingReport::default(), passed(), Err("r1_4_not_investigated")),
            ("不属实 closes on facts", false_report(), passed(), Ok(ClosureState::Closed)),
            ("不属实 partly passed", false_report(), partly(), Err("r1_4_false_finding_partly_passed")),
        ];
        for (name, report, v, expect) in table {
            let got = check_can_close(&report, &v, &[]).map_err(|e| e.code);
            assert_eq!(got, expect, "{name}");
        }
    }

    #[test]
    fn r1_4_refusal_names_what_is_missing() {
        let mut r = painting_workshop();
        r.rectifications[1] = Rectification::Scheduled(RectificationPlan {
            target: "建成喷漆房".into(),
            measures: "建设密闭喷漆房".into(),
            ..Default::default()
        });
        r.closure_target.clear();
        let e = check_can_close(&r, &passed(), &[]).unwrap_err();
        for w in ["整改时限", "责任单位", "办结目标", "目标、措施、时限和责任单位"] {
            assert!(e.message.contains(w), "{w}: {}", e.message);
        }
        assert_eq!(e.details.len(), 2);
        let e = check_can_close(&HandlingReport::default(), &passed(), &[]).unwrap_err();
        assert!(e.message.contains("调查核实情况") && e.message.contains("调查结论"), "{}", e.message);
    }

    #[test]
    fn r4_2_true_case_cannot_close_on_accountability_alone() {
        let mut r = painting_workshop();
        r.rectifications.clear();
        let records = vec![record("张三", true), record("李四", false)];
        let e = check_can_close(&r, &passed(), &records).unwrap_err();
        assert_eq!(e.code, "r4_2_accountability_instead_of_rectification");
        assert!(e.message.contains("不能以问责代替整改") && e.message.contains("问责2人"), "{}", e.message);
        // The same case without records is refused by R1.4 instead — accountability changes nothing.
        assert_eq!(check_can_close(&r, &passed(), &[]).unwrap_err().code, "r1_4_incomplete_rectification");
        // With a rectification, records do not block closing.
        let mut ok = painting_workshop();
        complete_plan(&mut ok);
        assert_eq!(check_can_close(&ok, &passed(), &records), Ok(ClosureState::Closed));
        // A 不属实 case has nothing to rectify.
        assert!(check_not_accountability_alone(&false_report(), &records).is_ok());
    }

    #[test]
    fn verification_needs_unit_and_failure_reason() {
        assert!(passed().validate().is_ok());
        let mut v = passed();
        v.by_unit = " ".into();
        assert_eq!(v.validate().unwrap_err().field.as_deref(), Some("by_unit"));
        let v = verification(VerificationOutcome::Failed { reason: "不行".into() });
        assert_eq!(v.validate().unwrap_err().field.as_deref(), Some("reason"));
        let v = verification(VerificationOutcome::Failed { reason: "喷漆房未建成".into() });
        assert!(v.validate().is_ok());
        let json = serde_json::to_string(&v).unwrap();
        assert!(json.contains(r#""result":"failed""#), "{json}");
        assert_eq!(serde_json::from_str::<Verification>(&json).unwrap(), v);
    }

    #[test]
    fn closure_states_match_the_workflow() {
        assert_eq!(ClosureState::from_stage(Stage::Closed).label(), Stage::Closed.closure_label());
        for s in Stage::ALL {
            assert_eq!(ClosureState::from_stage(s).label(), s.closure_label(), "{s:?}");
        }
        for c in ClosureState::ALL {
            assert_eq!(ClosureState::parse(c.label()).ok(), Some(c));
        }
    }

    #[test]
    fn onsite_sample_is_seeded_sized_and_order_free() {
        let ids: Vec<String> = (1..=40).map(|i| format!("D3HA20191126{i:04}")).collect();
        let s = pick_onsite_sample(&ids, 0.1, 7);
        assert_eq!(s.len(), 4);
        assert_eq!(pick_onsite_sample(&ids, 0.1, 7), s, "same seed, same sample");
        let mut reversed = ids.clone();
        reversed.reverse();
        let mut r = pick_onsite_sample(&reversed, 0.1, 7);
        r.reverse();
        assert_eq!(r, s, "input order does not matter");
        assert!(s.windows(2).all(|w| w[0] < w[1]), "returned in input order");
        let others: Vec<Vec<String>> = (0..20).map(|seed| pick_onsite_sample(&ids, 0.1, seed)).collect();
        assert!(others.iter().any(|o| *o != s), "another seed draws differently");
        // Over many seeds every case gets picked sometimes (no case is exempt).
        let mut hit = std::collections::BTreeSet::new();
        for seed in 0..400 {
            hit.extend(pick_onsite_sample(&ids, 0.1, seed));
        }
        assert_eq!(hit.len(), ids.len());
        assert_eq!(pick_onsite_sample(&ids, 0.01, 1).len(), 1, "a positive rate samples at least one");
        assert_eq!(pick_onsite_sample(&ids, 0.0, 1).len(), 0);
        assert_eq!(pick_onsite_sample(&ids, f64::NAN, 1).len(), 0);
        assert_eq!(pick_onsite_sample(&ids, 1.5, 1), ids);
        assert_eq!(pick_onsite_sample::<u64>(&[], 0.5, 1), Vec::<u64>::new());
        assert_eq!(pick_onsite_sample(&[1u64, 2, 3], 0.5, 1).len(), 2);
    }

    #[test]
    fn repeat_complaint_within_window_reopens() {
        let closed = at(10, 10);
        let table = [
            (at(9, 10), 30, false),
            (at(10, 10), 30, true),
            (at(11, 9), 1, true),
            (at(11, 10), 1, true),
            (at(11, 11), 1, false),
            (at(31, 10), 20, false),
            (at(30, 10), 20, true),
        ];
        for (repeat, window, expect) in table {
            assert_eq!(should_reopen_on_repeat(closed, repeat, window), expect, "{repeat} / {window}");
        }
    }
}
