//! The planner of `ducha gen --db`: a case's simulated workflow history (batch, dispatch to county and
//! township/department, acknowledgement, investigation, finding, rectification, report, verification,
//! returns, duplicates) up to now, drawn from a seeded `ChaCha8Rng` and checked step by step against
//! `workflow::transition`.

use anyhow::Result;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use ducha_domain::role::Role;
use ducha_domain::time::{from_cst, to_cst};
use ducha_domain::unit::UnitLevel;
use ducha_domain::workflow::{self, Action, Actor, Stage};
use rand::Rng;

/// Who takes a planned step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Team,
    City,
    County,
    Handler,
}

impl By {
    pub fn actor(self, handler_level: UnitLevel) -> Actor {
        match self {
            By::Team => Actor { role: Role::Team, level: UnitLevel::Team },
            By::City => Actor { role: Role::Office, level: UnitLevel::City },
            By::County => Actor { role: Role::Office, level: UnitLevel::County },
            By::Handler => Actor { role: Role::Handler, level: handler_level },
        }
    }
}

/// One planned workflow step.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub action: Action,
    pub by: By,
    pub at: DateTime<Utc>,
    pub reason: Option<&'static str>,
}

/// A case's simulated history and where it ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub stage: Stage,
    pub finding: Option<&'static str>,
    /// The handler is a township/street (true) or the county's ecology department (false).
    pub to_township: bool,
}

/// A delay of `lo..hi` hours.
fn hours(rng: &mut impl Rng, lo: f64, hi: f64) -> Duration {
    Duration::seconds(((lo + (hi - lo) * rng.random::<f64>()) * 3600.0) as i64)
}

/// The next moment inside office hours (08:30–18:00 Beijing time).
fn office_hours(t: DateTime<Utc>) -> DateTime<Utc> {
    let local = to_cst(t);
    let (start, end) = (
        NaiveTime::from_hms_opt(8, 30, 0).unwrap_or_default(),
        NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default(),
    );
    let date = local.date_naive();
    if local.time() < start {
        from_cst(date.and_time(start))
    } else if local.time() >= end {
        from_cst(date.succ_opt().unwrap_or(date).and_time(start))
    } else {
        t
    }
}

/// What the planner knows about one case.
#[derive(Debug, Clone, Copy)]
pub struct PlanInput {
    pub received: DateTime<Utc>,
    /// Answering day of the receipt (its batch).
    pub batch_day: NaiveDate,
    /// A local county-level unit exists for the routed county.
    pub county_known: bool,
    /// A township unit exists for the routed township.
    pub township_known: bool,
    pub is_duplicate: bool,
    pub now: DateTime<Utc>,
}

/// Plans a case's history up to `now` and checks every step against the workflow rules.
pub fn plan(p: PlanInput, rng: &mut impl Rng) -> Result<Plan> {
    let mut steps = Vec::new();
    let mut finding = None;
    let to_township = p.township_known;
    // Next morning the team sends the answering day's batch to the city.
    let assign_at = from_cst(
        p.batch_day
            .succ_opt()
            .unwrap_or(p.batch_day)
            .and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default()),
    ) + Duration::minutes((rng.random::<f64>() * 40.0) as i64);
    // A few cases stall at some handling step and go overdue.
    let stall_after =
        if rng.random_bool(0.05) { Some(3 + (rng.random::<f64>() * 5.0) as usize) } else { None };
    let push = |steps: &mut Vec<Step>, action, by, at: DateTime<Utc>, reason| -> bool {
        if at > p.now || stall_after.is_some_and(|s| steps.len() >= s) {
            return false;
        }
        steps.push(Step { action, by, at, reason });
        true
    };
    'walk: {
        if assign_at <= p.received || !p.county_known && !p.is_duplicate {
            // Outside the city or not located: stays with the team.
            break 'walk;
        }
        if p.is_duplicate && rng.random_bool(0.9) {
            push(&mut steps, Action::MarkDuplicate, By::Team, assign_at, Some("与已受理案件反映同一污染源"));
            break 'walk;
        }
        if !p.county_known || !push(&mut steps, Action::Assign, By::Team, assign_at, None) {
            break 'walk;
        }
        let mut t = office_hours(assign_at + hours(rng, 2.0, 40.0));
        if !push(&mut steps, Action::Dispatch, By::City, t, None) {
            break 'walk;
        }
        t = office_hours(t + hours(rng, 2.0, 24.0));
        if rng.random_bool(0.02) {
            push(&mut steps, Action::Return, By::County, t, Some("问题不在本辖区，请重新交办"));
            break 'walk;
        }
        if !push(&mut steps, Action::Dispatch, By::County, t, None) {
            break 'walk;
        }
        t = office_hours(t + hours(rng, 0.5, 6.0));
        if rng.random_bool(0.02) {
            push(&mut steps, Action::Return, By::Handler, t, Some("不属本单位职责，请重新转办"));
            break 'walk;
        }
        if !push(&mut steps, Action::Acknowledge, By::Handler, t, None) {
            break 'walk;
        }
        t = office_hours(t + hours(rng, 1.0, 24.0));
        if !push(&mut steps, Action::StartInvestigation, By::Handler, t, None) {
            break 'walk;
        }
        t = office_hours(t + hours(rng, 24.0, 96.0));
        let f = match rng.random::<f64>() {
            x if x < 0.7 => "属实",
            x if x < 0.9 => "部分属实",
            _ => "不属实",
        };
        if !push(&mut steps, Action::RecordFinding, By::Handler, t, None) {
            break 'walk;
        }
        finding = Some(f);
        if f != "不属实" {
            t = office_hours(t + hours(rng, 1.0, 24.0));
            if !push(&mut steps, Action::StartRectification, By::Handler, t, None) {
                break 'walk;
            }
            t = office_hours(t + hours(rng, 24.0, 240.0));
        } else {
            t = office_hours(t + hours(rng, 4.0, 24.0));
        }
        if !push(&mut steps, Action::SubmitReport, By::Handler, t, None) {
            break 'walk;
        }
        t = office_hours(t + hours(rng, 24.0, 96.0));
        let verify = if f != "不属实" && rng.random_bool(0.12) {
            Action::VerifyPartly
        } else {
            Action::VerifyClosed
        };
        push(&mut steps, verify, By::County, t, None);
    }
    let handler_level = if to_township { UnitLevel::Township } else { UnitLevel::Department };
    let mut stage = Stage::Received;
    for s in &steps {
        stage = workflow::transition(stage, s.action, s.by.actor(handler_level), s.reason)
            .map_err(|e| anyhow::anyhow!("生成的办理步骤不合规则（{}）：{}", s.action.code(), e.message))?;
    }
    Ok(Plan { steps, stage, finding, to_township })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use ducha_domain::answering::batch_day_of;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    fn input(now: DateTime<Utc>, received: DateTime<Utc>, dup: bool) -> PlanInput {
        PlanInput {
            received,
            batch_day: batch_day_of(received, Default::default()),
            county_known: true,
            township_known: true,
            is_duplicate: dup,
            now,
        }
    }

    #[test]
    fn plans_follow_the_workflow_and_spread_with_age() {
        let now = from_cst(NaiveDate::from_ymd_opt(2024, 6, 1).unwrap().and_hms_opt(12, 0, 0).unwrap());
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut stages: HashMap<Stage, usize> = HashMap::new();
        for i in 0..3000 {
            let received = now - Duration::hours(6 + (i % 60) * 24);
            let p = plan(input(now, received, i % 10 == 0), &mut rng).unwrap();
            // Times never go backwards and never pass `now`.
            let mut t = received;
            for s in &p.steps {
                assert!(s.at >= t && s.at <= now, "{:?}", p.steps);
                t = s.at;
            }
            if p.stage == Stage::Duplicate {
                assert_eq!(p.steps.len(), 1);
            }
            assert_eq!(p.finding.is_some(), p.steps.iter().any(|s| s.action == Action::RecordFinding));
            *stages.entry(p.stage).or_default() += 1;
        }
        // Young cases are early in the workflow, old ones mostly closed; all main stages occur.
        for s in [
            Stage::Received,
            Stage::Assigned,
            Stage::DispatchedCounty,
            Stage::DispatchedHandler,
            Stage::Acknowledged,
            Stage::Investigating,
            Stage::Rectifying,
            Stage::AwaitingVerification,
            Stage::Closed,
            Stage::PartlyClosed,
            Stage::Duplicate,
        ] {
            assert!(stages.get(&s).copied().unwrap_or(0) > 0, "{s:?} missing: {stages:?}");
        }
        assert!(stages[&Stage::Closed] > stages[&Stage::Received], "{stages:?}");
    }

    #[test]
    fn young_cases_stay_with_the_team_and_unlocated_ones_are_never_dispatched() {
        let now = from_cst(NaiveDate::from_ymd_opt(2024, 6, 1).unwrap().and_hms_opt(12, 0, 0).unwrap());
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let p = plan(input(now, now - Duration::hours(1), false), &mut rng).unwrap();
        assert_eq!(p.stage, Stage::Received);
        let old = now - Duration::days(40);
        for _ in 0..200 {
            let mut i = input(now, old, false);
            i.county_known = false;
            let p = plan(i, &mut rng).unwrap();
            assert_eq!(p.stage, Stage::Received);
            assert!(p.steps.is_empty());
        }
    }

    #[test]
    fn plans_are_deterministic_per_seed() {
        let now = from_cst(NaiveDate::from_ymd_opt(2024, 6, 1).unwrap().and_hms_opt(12, 0, 0).unwrap());
        let plans = |seed: u64| -> Vec<Plan> {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            (0..300)
                .map(|i| {
                    plan(input(now, now - Duration::hours(6 + (i % 60) * 24), i % 10 == 0), &mut rng).unwrap()
                })
                .collect()
        };
        assert_eq!(plans(42), plans(42));
        assert_ne!(plans(42), plans(43));
    }
}
