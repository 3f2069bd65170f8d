//! The case workflow (DESIGN.md "Workflow"):
//!
//! `received → assigned(batch, to city) → dispatched(to county) → dispatched(to township/department)
//! → acknowledged → investigating → investigated(finding) → rectifying → awaiting_verification →
//! closed | partly_closed`, with returns one level back, duplicates, reopening, and extension requests.
//!
//! This module decides only *whether* a step is allowed from a stage and by which level, and what the
//! next stage is. Content rules (a complete handling report, the 一刀切 guard, deadlines) live in their
//! own modules and are checked by the app layer in the same use case.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::role::Role;
use crate::unit::UnitLevel;

/// Where a case stands. Each stage has exactly one level that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 已受理: taken in by the team, not yet in a batch.
    Received,
    /// 已交办: in a batch, with the city office.
    Assigned,
    /// 已转办（县区）: with a county-level office.
    DispatchedCounty,
    /// 已转办（承办单位）: with a township/street or department, not yet acknowledged.
    DispatchedHandler,
    /// 已签收.
    Acknowledged,
    /// 调查核实中.
    Investigating,
    /// 已调查核实: a finding is recorded.
    Investigated,
    /// 整改中.
    Rectifying,
    /// 待验收: the handling unit has reported; the county verifies.
    AwaitingVerification,
    /// 已办结.
    Closed,
    /// 阶段性办结: verified in part; the remaining rectification continues under its plan.
    PartlyClosed,
    /// 已退回督察组 (by the city).
    ReturnedTeam,
    /// 已退回市级 (by a county).
    ReturnedCity,
    /// 已退回县（区）级 (by a township/department).
    ReturnedCounty,
    /// 重复件: merged into an earlier case about the same source.
    Duplicate,
}

impl Stage {
    pub const ALL: [Stage; 15] = [
        Stage::Received,
        Stage::Assigned,
        Stage::DispatchedCounty,
        Stage::DispatchedHandler,
        Stage::Acknowledged,
        Stage::Investigating,
        Stage::Investigated,
        Stage::Rectifying,
        Stage::AwaitingVerification,
        Stage::Closed,
        Stage::PartlyClosed,
        Stage::ReturnedTeam,
        Stage::ReturnedCity,
        Stage::ReturnedCounty,
        Stage::Duplicate,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Received => "received",
            Stage::Assigned => "assigned",
            Stage::DispatchedCounty => "dispatched_county",
            Stage::DispatchedHandler => "dispatched_handler",
            Stage::Acknowledged => "acknowledged",
            Stage::Investigating => "investigating",
            Stage::Investigated => "investigated",
            Stage::Rectifying => "rectifying",
            Stage::AwaitingVerification => "awaiting_verification",
            Stage::Closed => "closed",
            Stage::PartlyClosed => "partly_closed",
            Stage::ReturnedTeam => "returned_team",
            Stage::ReturnedCity => "returned_city",
            Stage::ReturnedCounty => "returned_county",
            Stage::Duplicate => "duplicate",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|st| st.code() == s)
            .ok_or_else(|| DomainError::invalid("state", format!("未知的案件状态“{s}”")))
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Received => "已受理",
            Stage::Assigned => "已交办市级",
            Stage::DispatchedCounty => "已转办县（区）",
            Stage::DispatchedHandler => "已转办承办单位",
            Stage::Acknowledged => "已签收",
            Stage::Investigating => "调查核实中",
            Stage::Investigated => "已调查核实",
            Stage::Rectifying => "整改中",
            Stage::AwaitingVerification => "待验收",
            Stage::Closed => "已办结",
            Stage::PartlyClosed => "阶段性办结",
            Stage::ReturnedTeam => "已退回督察组",
            Stage::ReturnedCity => "已退回市级",
            Stage::ReturnedCounty => "已退回县（区）",
            Stage::Duplicate => "重复件",
        }
    }

    /// The level that must act next, if any.
    pub fn holder(self) -> Option<UnitLevel> {
        match self {
            Stage::Received | Stage::ReturnedTeam => Some(UnitLevel::Team),
            Stage::Assigned | Stage::ReturnedCity => Some(UnitLevel::City),
            Stage::DispatchedCounty | Stage::ReturnedCounty | Stage::AwaitingVerification => {
                Some(UnitLevel::County)
            }
            Stage::DispatchedHandler
            | Stage::Acknowledged
            | Stage::Investigating
            | Stage::Investigated
            | Stage::Rectifying => Some(UnitLevel::Township),
            Stage::Closed | Stage::PartlyClosed | Stage::Duplicate => None,
        }
    }

    /// Finished for disclosure purposes (已办结 / 阶段性办结 / 重复件).
    pub fn is_terminal(self) -> bool {
        matches!(self, Stage::Closed | Stage::PartlyClosed | Stage::Duplicate)
    }

    /// Disclosed 是否办结 value.
    pub fn closure_label(self) -> &'static str {
        match self {
            Stage::Closed => "已办结",
            Stage::PartlyClosed => "阶段性办结",
            _ => "未办结",
        }
    }
}

/// Read from storage: a stored stage code (`#[sqlx(try_from = "String")]` on row types), so a row with
/// an unknown stage fails where it is read, not wherever the text would be parsed later.
impl TryFrom<String> for Stage {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, DomainError> {
        Stage::parse(&s)
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// One step a person can take on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 交办: the team puts a received case into a batch for the city.
    Assign,
    /// 转办: the city to a county, or a county to a township/department.
    Dispatch,
    /// 签收.
    Acknowledge,
    /// 退回: misrouted; back one level with a reason.
    Return,
    /// 开始调查核实.
    StartInvestigation,
    /// 录入调查核实结论 (属实 / 部分属实 / 不属实).
    RecordFinding,
    /// 开始整改.
    StartRectification,
    /// 报送办理结果.
    SubmitReport,
    /// 验收通过，已办结.
    VerifyClosed,
    /// 验收：阶段性办结.
    VerifyPartly,
    /// 验收不通过，退回整改.
    RejectVerification,
    /// 重新办理 (repeat complaint, 不满意 callback, or review).
    Reopen,
    /// 标记为重复件.
    MarkDuplicate,
    /// 申请延期.
    RequestExtension,
    /// 审批延期申请.
    DecideExtension,
    /// 回访不满意，交县（区）复核: a closed case goes back to the county for review.
    ReopenForReview,
}

impl Action {
    pub const ALL: [Action; 16] = [
        Action::Assign,
        Action::Dispatch,
        Action::Acknowledge,
        Action::Return,
        Action::StartInvestigation,
        Action::RecordFinding,
        Action::StartRectification,
        Action::SubmitReport,
        Action::VerifyClosed,
        Action::VerifyPartly,
        Action::RejectVerification,
        Action::Reopen,
        Action::MarkDuplicate,
        Action::RequestExtension,
        Action::DecideExtension,
        Action::ReopenForReview,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::Assign => "assign",
            Action::Dispatch => "dispatch",
            Action::Acknowledge => "acknowledge",
            Action::Return => "return",
            Action::StartInvestigation => "start_investigation",
            Action::RecordFinding => "record_finding",
            Action::StartRectification => "start_rectification",
            Action::SubmitReport => "submit_report",
            Action::VerifyClosed => "verify_closed",
            Action::VerifyPartly => "verify_partly",
            Action::RejectVerification => "reject_verification",
            Action::Reopen => "reopen",
            Action::MarkDuplicate => "mark_duplicate",
            Action::RequestExtension => "request_extension",
            Action::DecideExtension => "decide_extension",
            Action::ReopenForReview => "reopen_for_review",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|a| a.code() == s)
            .ok_or_else(|| DomainError::invalid("action", format!("未知的操作“{s}”")))
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::Assign => "交办",
            Action::Dispatch => "转办",
            Action::Acknowledge => "签收",
            Action::Return => "退回",
            Action::StartInvestigation => "开始调查核实",
            Action::RecordFinding => "录入调查结论",
            Action::StartRectification => "开始整改",
            Action::SubmitReport => "报送办理结果",
            Action::VerifyClosed => "验收办结",
            Action::VerifyPartly => "阶段性办结",
            Action::RejectVerification => "验收不通过",
            Action::Reopen => "重新办理",
            Action::MarkDuplicate => "标记重复件",
            Action::RequestExtension => "申请延期",
            Action::DecideExtension => "审批延期",
            Action::ReopenForReview => "回访不满意交县级复核",
        }
    }

    /// Steps that must carry a written reason.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Action::Return
                | Action::RejectVerification
                | Action::Reopen
                | Action::RequestExtension
                | Action::MarkDuplicate
                | Action::ReopenForReview
        )
    }

    /// Which roles may take this step at all (the level is checked by [`transition`]).
    pub fn roles(self) -> &'static [Role] {
        match self {
            Action::Assign => &[Role::Team],
            Action::MarkDuplicate => &[Role::Team, Role::Operator],
            Action::Dispatch
            | Action::VerifyClosed
            | Action::VerifyPartly
            | Action::RejectVerification
            | Action::DecideExtension => &[Role::Office],
            Action::Reopen => &[Role::Office, Role::Team],
            Action::ReopenForReview => &[Role::Operator, Role::Team],
            Action::Acknowledge | Action::Return | Action::RequestExtension => &[Role::Office, Role::Handler],
            Action::StartInvestigation
            | Action::RecordFinding
            | Action::StartRectification
            | Action::SubmitReport => &[Role::Handler],
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Who is acting, as far as the workflow cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    pub level: UnitLevel,
}

/// The smallest reason people accept as a written reason.
pub const MIN_REASON_CHARS: usize = 4;

/// The stage after `action`, by the level-only rule, ignoring roles and reasons.
fn next(stage: Stage, action: Action, level: UnitLevel) -> Option<Stage> {
    use Action as A;
    use Stage as S;
    use UnitLevel as L;
    let handling = level.is_handling();
    Some(match (stage, action) {
        (S::Received | S::ReturnedTeam, A::Assign) if level == L::Team => S::Assigned,
        (S::Received | S::ReturnedTeam, A::MarkDuplicate) if level == L::Team => S::Duplicate,

        (S::Assigned | S::ReturnedCity, A::Dispatch) if level == L::City => S::DispatchedCounty,
        (S::Assigned, A::Acknowledge) if level == L::City => S::Assigned,
        (S::Assigned, A::Return) if level == L::City => S::ReturnedTeam,
        (S::Assigned, A::RequestExtension) if level == L::City => S::Assigned,
        (S::Assigned, A::DecideExtension) if level == L::Team => S::Assigned,

        (S::DispatchedCounty | S::ReturnedCounty, A::Dispatch) if level == L::County => S::DispatchedHandler,
        (S::DispatchedCounty, A::Acknowledge) if level == L::County => S::DispatchedCounty,
        (S::DispatchedCounty, A::Return) if level == L::County => S::ReturnedCity,
        (S::DispatchedCounty, A::RequestExtension) if level == L::County => S::DispatchedCounty,
        (S::DispatchedCounty, A::DecideExtension) if level == L::City => S::DispatchedCounty,

        (S::DispatchedHandler, A::Acknowledge) if handling => S::Acknowledged,
        (S::DispatchedHandler | S::Acknowledged, A::Return) if handling => S::ReturnedCounty,
        (S::Acknowledged, A::StartInvestigation) if handling => S::Investigating,
        (S::Investigating, A::RecordFinding) if handling => S::Investigated,
        (S::Investigated, A::StartRectification) if handling => S::Rectifying,
        (S::Investigated | S::Rectifying, A::SubmitReport) if handling => S::AwaitingVerification,
        (
            S::DispatchedHandler | S::Acknowledged | S::Investigating | S::Investigated | S::Rectifying,
            A::RequestExtension,
        ) if handling => stage,
        (
            S::DispatchedHandler | S::Acknowledged | S::Investigating | S::Investigated | S::Rectifying,
            A::DecideExtension,
        ) if level == L::County => stage,

        (S::AwaitingVerification, A::VerifyClosed) if level == L::County => S::Closed,
        (S::AwaitingVerification, A::VerifyPartly) if level == L::County => S::PartlyClosed,
        (S::AwaitingVerification, A::RejectVerification) if level == L::County => S::Rectifying,

        (S::PartlyClosed, A::SubmitReport) if handling => S::AwaitingVerification,
        (S::Closed | S::PartlyClosed, A::ReopenForReview) if level == L::Team => S::AwaitingVerification,
        (S::Closed | S::PartlyClosed, A::Reopen) if matches!(level, L::County | L::City | L::Team) => {
            S::Investigating
        }
        _ => return None,
    })
}

/// Whether `actor` may take `action` from `stage` (level and role), without checking a reason.
pub fn is_allowed(stage: Stage, action: Action, actor: Actor) -> bool {
    action.roles().contains(&actor.role) && next(stage, action, actor.level).is_some()
}

/// Everything `actor` could do from `stage`, in a stable order.
pub fn allowed_actions(stage: Stage, actor: Actor) -> Vec<Action> {
    Action::ALL.into_iter().filter(|&a| is_allowed(stage, a, actor)).collect()
}

/// Take one step. Refusals name the current stage and what the actor could do instead.
pub fn transition(
    stage: Stage,
    action: Action,
    actor: Actor,
    reason: Option<&str>,
) -> Result<Stage, DomainError> {
    let next_stage = match next(stage, action, actor.level) {
        Some(n) if action.roles().contains(&actor.role) => n,
        _ => {
            let allowed = allowed_actions(stage, actor);
            let allowed_text = if allowed.is_empty() {
                "您在此状态下没有可执行的操作".to_owned()
            } else {
                format!("可执行的操作：{}", allowed.iter().map(|a| a.label()).collect::<Vec<_>>().join("、"))
            };
            return Err(DomainError::new(
                "illegal_transition",
                format!(
                    "案件当前状态为“{}”，{}（{}）不能执行“{}”。{}",
                    stage.label(),
                    actor.role.label(),
                    actor.level.label(),
                    action.label(),
                    allowed_text
                ),
            )
            .with_details(allowed.iter().map(|a| a.code())));
        }
    };
    if action.needs_reason() {
        let len = reason.map(|r| r.trim().chars().count()).unwrap_or(0);
        if len < MIN_REASON_CHARS {
            return Err(DomainError::invalid(
                "reason",
                format!("“{}”需要写明理由（至少{}个字）", action.label(), MIN_REASON_CHARS),
            )
            .with_details([action.code()]));
        }
    }
    Ok(next_stage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use Role as R;
    use Stage as S;
    use UnitLevel as L;

    /// The whole allowed set, written out by hand from DESIGN.md; everything else must be refused.
    const ALLOWED: &[(Stage, Action, Role, UnitLevel, Stage)] = &[
        (S::Received, A::Assign, R::Team, L::Team, S::Assigned),
        (S::ReturnedTeam, A::Assign, R::Team, L::Team, S::Assigned),
        (S::Received, A::MarkDuplicate, R::Team, L::Team, S::Duplicate),
        (S::Received, A::MarkDuplicate, R::Operator, L::Team, S::Duplicate),
        (S::ReturnedTeam, A::MarkDuplicate, R::Team, L::Team, S::Duplicate),
        (S::ReturnedTeam, A::MarkDuplicate, R::Operator, L::Team, S::Duplicate),
        (S::Assigned, A::Dispatch, R::Office, L::City, S::DispatchedCounty),
        (S::ReturnedCity, A::Dispatch, R::Office, L::City, S::DispatchedCounty),
        (S::Assigned, A::Acknowledge, R::Office, L::City, S::Assigned),
        (S::Assigned, A::Return, R::Office, L::City, S::ReturnedTeam),
        (S::Assigned, A::RequestExtension, R::Office, L::City, S::Assigned),
        (S::DispatchedCounty, A::Dispatch, R::Office, L::County, S::DispatchedHandler),
        (S::ReturnedCounty, A::Dispatch, R::Office, L::County, S::DispatchedHandler),
        (S::DispatchedCounty, A::Acknowledge, R::Office, L::County, S::DispatchedCounty),
        (S::DispatchedCounty, A::Return, R::Office, L::County, S::ReturnedCity),
        (S::DispatchedCounty, A::RequestExtension, R::Office, L::County, S::DispatchedCounty),
        (S::DispatchedCounty, A::DecideExtension, R::Office, L::City, S::DispatchedCounty),
        (S::DispatchedHandler, A::Acknowledge, R::Handler, L::Township, S::Acknowledged),
        (S::DispatchedHandler, A::Acknowledge, R::Handler, L::Department, S::Acknowledged),
        (S::DispatchedHandler, A::Return, R::Handler, L::Township, S::ReturnedCounty),
        (S::DispatchedHandler, A::Return, R::Handler, L::Department, S::ReturnedCounty),
        (S::Acknowledged, A::Return, R::Handler, L::Township, S::ReturnedCounty),
        (S::Acknowledged, A::Return, R::Handler, L::Department, S::ReturnedCounty),
        (S::Acknowledged, A::StartInvestigation, R::Handler, L::Township, S::Investigating),
        (S::Acknowledged, A::StartInvestigation, R::Handler, L::Department, S::Investigating),
        (S::Investigating, A::RecordFinding, R::Handler, L::Township, S::Investigated),
        (S::Investigating, A::RecordFinding, R::Handler, L::Department, S::Investigated),
        (S::Investigated, A::StartRectification, R::Handler, L::Township, S::Rectifying),
        (S::Investigated, A::StartRectification, R::Handler, L::Department, S::Rectifying),
        (S::Investigated, A::SubmitReport, R::Handler, L::Township, S::AwaitingVerification),
        (S::Investigated, A::SubmitReport, R::Handler, L::Department, S::AwaitingVerification),
        (S::Rectifying, A::SubmitReport, R::Handler, L::Township, S::AwaitingVerification),
        (S::Rectifying, A::SubmitReport, R::Handler, L::Department, S::AwaitingVerification),
        (S::PartlyClosed, A::SubmitReport, R::Handler, L::Township, S::AwaitingVerification),
        (S::PartlyClosed, A::SubmitReport, R::Handler, L::Department, S::AwaitingVerification),
        (S::DispatchedHandler, A::RequestExtension, R::Handler, L::Township, S::DispatchedHandler),
        (S::DispatchedHandler, A::RequestExtension, R::Handler, L::Department, S::DispatchedHandler),
        (S::Acknowledged, A::RequestExtension, R::Handler, L::Township, S::Acknowledged),
        (S::Acknowledged, A::RequestExtension, R::Handler, L::Department, S::Acknowledged),
        (S::Investigating, A::RequestExtension, R::Handler, L::Township, S::Investigating),
        (S::Investigating, A::RequestExtension, R::Handler, L::Department, S::Investigating),
        (S::Investigated, A::RequestExtension, R::Handler, L::Township, S::Investigated),
        (S::Investigated, A::RequestExtension, R::Handler, L::Department, S::Investigated),
        (S::Rectifying, A::RequestExtension, R::Handler, L::Township, S::Rectifying),
        (S::Rectifying, A::RequestExtension, R::Handler, L::Department, S::Rectifying),
        (S::DispatchedHandler, A::DecideExtension, R::Office, L::County, S::DispatchedHandler),
        (S::Acknowledged, A::DecideExtension, R::Office, L::County, S::Acknowledged),
        (S::Investigating, A::DecideExtension, R::Office, L::County, S::Investigating),
        (S::Investigated, A::DecideExtension, R::Office, L::County, S::Investigated),
        (S::Rectifying, A::DecideExtension, R::Office, L::County, S::Rectifying),
        (S::AwaitingVerification, A::VerifyClosed, R::Office, L::County, S::Closed),
        (S::AwaitingVerification, A::VerifyPartly, R::Office, L::County, S::PartlyClosed),
        (S::AwaitingVerification, A::RejectVerification, R::Office, L::County, S::Rectifying),
        (S::Closed, A::Reopen, R::Office, L::County, S::Investigating),
        (S::Closed, A::Reopen, R::Office, L::City, S::Investigating),
        (S::Closed, A::Reopen, R::Team, L::Team, S::Investigating),
        (S::PartlyClosed, A::Reopen, R::Office, L::County, S::Investigating),
        (S::PartlyClosed, A::Reopen, R::Office, L::City, S::Investigating),
        (S::PartlyClosed, A::Reopen, R::Team, L::Team, S::Investigating),
        (S::Closed, A::ReopenForReview, R::Operator, L::Team, S::AwaitingVerification),
        (S::Closed, A::ReopenForReview, R::Team, L::Team, S::AwaitingVerification),
        (S::PartlyClosed, A::ReopenForReview, R::Operator, L::Team, S::AwaitingVerification),
        (S::PartlyClosed, A::ReopenForReview, R::Team, L::Team, S::AwaitingVerification),
    ];

    fn check(stage: Stage, action: Action, role: Role, level: UnitLevel, expect: Option<Stage>) {
        let got = transition(stage, action, Actor { role, level }, Some("经核实确属误派"));
        match (got, expect) {
            (Ok(s), Some(e)) => assert_eq!(s, e, "{stage:?} --{action:?}/{role:?}@{level:?}"),
            (Err(e), None) => {
                assert_eq!(e.code, "illegal_transition");
                assert!(e.message.contains(stage.label()), "message names the stage: {}", e.message);
                assert!(e.message.contains(action.label()), "message names the action: {}", e.message);
            }
            (got, expect) => {
                panic!("{stage:?} --{action:?}/{role:?}@{level:?}: got {got:?}, expected {expect:?}")
            }
        }
    }

    #[test]
    fn workflow_every_transition_allowed_and_refused() {
        let mut checked = 0;
        for stage in Stage::ALL {
            for action in Action::ALL {
                for role in Role::ALL {
                    for &level in role.allowed_levels() {
                        let expect = ALLOWED
                            .iter()
                            .find(|t| t.0 == stage && t.1 == action && t.2 == role && t.3 == level)
                            .map(|t| t.4);
                        check(stage, action, role, level, expect);
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000, "the product covers every pairing: {checked}");
        for t in ALLOWED {
            assert!(t.2.allowed_levels().contains(&t.3), "table row is reachable: {t:?}");
        }
    }

    #[test]
    fn refusal_names_state_and_allowed_actions() {
        let actor = Actor { role: R::Handler, level: L::Township };
        let e = transition(S::Acknowledged, A::VerifyClosed, actor, None).unwrap_err();
        assert_eq!(e.code, "illegal_transition");
        assert!(e.message.contains("已签收"), "{}", e.message);
        assert!(e.message.contains("验收办结"), "{}", e.message);
        assert!(e.message.contains("开始调查核实"), "{}", e.message);
        assert!(e.details.contains(&"start_investigation".to_owned()));
        assert!(e.details.contains(&"return".to_owned()));
    }

    #[test]
    fn terminal_refusal_says_nothing_is_possible() {
        let actor = Actor { role: R::Handler, level: L::Township };
        let e = transition(S::Duplicate, A::Acknowledge, actor, None).unwrap_err();
        assert!(e.message.contains("没有可执行的操作"), "{}", e.message);
    }

    #[test]
    fn reasons_are_required_where_written_reasons_are() {
        let actor = Actor { role: R::Handler, level: L::Township };
        for reason in [None, Some(""), Some("  不对 ")] {
            let e = transition(S::DispatchedHandler, A::Return, actor, reason).unwrap_err();
            assert_eq!(e.code, "invalid_input");
            assert_eq!(e.field.as_deref(), Some("reason"));
        }
        assert_eq!(
            transition(S::DispatchedHandler, A::Return, actor, Some("不属本镇辖区")).ok(),
            Some(S::ReturnedCounty)
        );
        assert_eq!(transition(S::DispatchedHandler, A::Acknowledge, actor, None).ok(), Some(S::Acknowledged));
    }

    #[test]
    fn codes_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.code()).ok(), Some(s));
        }
        for a in Action::ALL {
            assert_eq!(Action::parse(a.code()).ok(), Some(a));
        }
        assert!(Stage::parse("closed ").is_err());
    }

    #[test]
    fn every_non_terminal_stage_has_a_holder_who_can_act() {
        for stage in Stage::ALL.into_iter().filter(|s| !s.is_terminal()) {
            let holder = stage.holder().expect("a holder");
            let someone_can = Role::ALL.into_iter().any(|role| {
                role.allowed_levels().iter().any(|&level| {
                    (level == holder || (holder == L::Township && level.is_handling()))
                        && !allowed_actions(stage, Actor { role, level }).is_empty()
                })
            });
            assert!(someone_can, "{stage:?} is not stuck");
        }
    }
}
