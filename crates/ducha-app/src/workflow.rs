//! Moving a case along the chain. The domain decides whether a step is allowed; this module checks
//! that the acting unit is the one holding the case, applies the step's effects (assignments,
//! batch, finding, duplicate link), and writes state, audit record and notifications in one
//! transaction.

use chrono::{DateTime, Utc};
use ducha_domain::compression::{check_child_due, default_child_due};
use ducha_domain::deadline::due_after_working_days;
use ducha_domain::quiet::{delivery_time, delivery_time_with_override};
use ducha_domain::time::{from_millis, human_cst};
use ducha_domain::unit::UnitLevel;
use ducha_domain::workflow::{self, Action, Stage};
use ducha_store::Tx;
use ducha_store::audit;
use ducha_store::cases::{self, CasePatch, CaseRow, NewAssignment};
use ducha_store::directory::{self, CampaignRow};
use ducha_store::outbox::{self, NewMessage};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::ErrorKind;
use crate::queries::CaseView;
use crate::settings::CampaignSettings;
use crate::{App, AppError, Result};
use ducha_domain::closure::{ClosureState, VerificationOutcome};

/// One step requested by a user.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ActInput {
    pub action: String,
    #[serde(default)]
    pub reason: Option<String>,
    /// The version the user saw; a stale one is refused so nobody overwrites a change unseen.
    #[serde(default)]
    pub expected_version: Option<i64>,
    /// `dispatch`: the receiving unit.
    #[serde(default)]
    pub to_unit_id: Option<i64>,
    /// `dispatch` to handlers: co-handling units besides the lead.
    #[serde(default)]
    pub co_unit_ids: Vec<i64>,
    /// `record_finding`: 属实 / 部分属实 / 不属实.
    #[serde(default)]
    pub finding: Option<String>,
    /// `mark_duplicate`: the primary case, by accept number or id.
    #[serde(default)]
    pub dup_of: Option<String>,
    /// `dispatch`: the due time given to the receiving unit (defaults to the latest the R5.2 guard
    /// allows: the parent's due minus the report buffer).
    #[serde(default)]
    pub due_at: Option<DateTime<Utc>>,
    /// `dispatch` to a township/department during quiet hours: deliver at once anyway, with this
    /// written reason (R5.1 urgent override; audited and counted).
    #[serde(default)]
    pub urgent_reason: Option<String>,
    /// `request_extension`: working days asked for.
    #[serde(default)]
    pub extension_days: Option<u32>,
    /// `decide_extension`: approve (true) or refuse (false) the pending request.
    #[serde(default)]
    pub approve: Option<bool>,
    /// `verify_*`: the verifier went on site (required when the case is in the on-site sample).
    #[serde(default)]
    pub onsite: Option<bool>,
    /// `verify_*`: the verifier's notes.
    #[serde(default)]
    pub notes: Option<String>,
}

fn notice(case: &CaseRow, unit_id: i64, subject: String, body: String, now: i64) -> NewMessage {
    NewMessage {
        kind: "case".into(),
        channel: "inbox".into(),
        unit_id: Some(unit_id),
        user_id: None,
        subject,
        body,
        payload: serde_json::json!({ "case_id": case.id, "accept_no": case.accept_no }),
        created_at: now,
        deliver_after: now,
        override_reason: None,
    }
}

impl App {
    /// Whether `user`'s unit is the one holding `case` for `action`.
    fn holds(
        &self,
        user: &CurrentUser,
        case: &CaseRow,
        stage: Stage,
        campaign: &CampaignRow,
        action: Action,
    ) -> bool {
        let unit = user.unit.id;
        match (action, user.level) {
            (Action::Reopen, UnitLevel::Team) => unit == campaign.team_unit_id,
            (Action::Reopen, UnitLevel::City) => unit == campaign.city_unit_id,
            (Action::Reopen, UnitLevel::County) => case.county_unit_id == Some(unit),
            (Action::DecideExtension, UnitLevel::Team) => unit == campaign.team_unit_id,
            (Action::ReopenForReview, UnitLevel::Team) => unit == campaign.team_unit_id,
            (Action::DecideExtension, UnitLevel::City) => unit == campaign.city_unit_id,
            (Action::DecideExtension, UnitLevel::County) => case.county_unit_id == Some(unit),
            _ => match stage.holder() {
                Some(UnitLevel::Team) => unit == campaign.team_unit_id,
                Some(UnitLevel::City) => unit == campaign.city_unit_id,
                Some(UnitLevel::County) => case.county_unit_id == Some(unit),
                Some(_) => case.handler_unit_id == Some(unit),
                None => false,
            },
        }
    }

    /// Take one workflow step on a case.
    pub async fn act(&self, user: &CurrentUser, case_id: i64, input: &ActInput) -> Result<CaseView> {
        let action = Action::parse(input.action.trim())?;
        if !cases::in_scope(&self.store, user.scope(), case_id).await? {
            return Err(AppError::case_not_found());
        }
        let campaign = self.campaign().await?;
        // Reasons and notes are free text that other roles, the inbox and the audit chain will read:
        // they are kept only as the identity firewall passes them.
        let shield = self.shield(case_id).await?;
        let screened_reason = input.reason.as_deref().map(|r| shield.screen(r.trim()));
        let screened_urgent = input.urgent_reason.as_deref().map(|r| shield.screen(r.trim()));
        let screened_notes = input.notes.as_deref().map(|r| shield.screen(r.trim()));
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let case = cases::get_for_update(&mut tx, case_id).await?.ok_or_else(AppError::case_not_found)?;
        if let Some(v) = input.expected_version
            && v != case.version
        {
            return Err(AppError::conflict("stale_case", "案件已被他人更新，请刷新页面后重试"));
        }
        let stage = case.stage;
        let reason = screened_reason.as_ref().map(|r| r.as_str().trim()).filter(|r| !r.is_empty());
        let next = workflow::transition(stage, action, user.actor(), reason)?;
        if !self.holds(user, &case, stage, &campaign, action) {
            return Err(AppError::new(
                ErrorKind::Forbidden,
                "not_holder",
                format!("该案件当前由其他单位办理，{}不能对其执行“{}”", user.unit.name, action.label()),
            ));
        }

        let mut patch =
            CasePatch { stage: (next != stage).then(|| next.code().to_owned()), ..CasePatch::default() };
        let mut detail =
            serde_json::json!({ "action": action.code(), "from": stage.code(), "to": next.code() });
        if let Some(r) = reason {
            detail["reason"] = r.into();
        }
        let mut notices = Vec::new();

        match action {
            Action::Assign => {
                let (batch, batch_due) =
                    self.ensure_batch(&mut tx, &campaign, case.received_at, user, now).await?;
                patch.batch_id = Some(Some(batch));
                patch.due_at = Some(Some(batch_due));
                let id = cases::insert_assignment(
                    &mut tx,
                    &NewAssignment {
                        case_id,
                        unit_id: campaign.city_unit_id,
                        level: UnitLevel::City.code().into(),
                        parent_id: None,
                        is_lead: true,
                        created_at: now,
                        delivered_at: Some(now),
                        due_at: Some(batch_due),
                        override_reason: None,
                        created_by: Some(user.id),
                        deferred: false,
                    },
                )
                .await?;
                detail["batch_id"] = batch.into();
                detail["due_at"] = batch_due.into();
                detail["assignment_id"] = id.into();
                notices.push(notice(
                    &case,
                    campaign.city_unit_id,
                    format!("新交办案件 {}", case.accept_no),
                    "督察组交办群众举报件，请及时签收转办。".into(),
                    now,
                ));
            }
            Action::Dispatch => {
                let to = input.to_unit_id.ok_or_else(|| AppError::invalid("to_unit_id", "请选择转办单位"))?;
                let target = directory::unit_in_tx(&mut tx, to)
                    .await?
                    .ok_or_else(|| AppError::invalid("to_unit_id", "转办单位不存在"))?;
                let allowed = user.level.dispatches_to().unwrap_or(&[]);
                if target.parent_id != Some(user.unit.id) || !allowed.contains(&target.level) {
                    return Err(AppError::invalid(
                        "to_unit_id",
                        format!("“{}”不是{}的下级承办单位，不能转办", target.name, user.unit.name),
                    ));
                }
                let level = target.level;
                let settings = CampaignSettings::of(&campaign);
                let active = cases::active_assignments_tx(&mut tx, case_id).await?;
                let parent = active.iter().rev().find(|a| a.unit_id == user.unit.id);
                let now_t = from_millis(now);
                let cal = self.calendar();
                // R5.2: the receiving unit's due time keeps only the report buffer off ours.
                let child_due = match parent.and_then(|p| p.due_at) {
                    Some(parent_due) => {
                        let parent_due = from_millis(parent_due);
                        let buffer = settings.compression.buffer_for(user.level);
                        match input.due_at {
                            Some(want) => {
                                if let Err(e) = check_child_due(parent_due, want, buffer, &cal) {
                                    drop(tx);
                                    self.count_refused_compression(
                                        user, case_id, target.id, want, parent_due,
                                    )
                                    .await;
                                    return Err(e.into());
                                }
                                Some(want)
                            }
                            None => Some(default_child_due(parent_due, buffer, &cal)?),
                        }
                    }
                    None => input.due_at,
                };
                // R5.1: nothing reaches a township or department at night unless urgent and written down.
                let urgent = screened_urgent.as_ref().map(|r| r.as_str().trim()).filter(|r| !r.is_empty());
                let delivery = match urgent {
                    Some(reason) => delivery_time_with_override(now_t, level, &settings.quiet, &cal, reason)?,
                    None => delivery_time(now_t, level, &settings.quiet, &cal)?,
                };
                let delivered_at = delivery.at.timestamp_millis();
                let due_ms = child_due.map(|d| d.timestamp_millis()).map(|d| d.max(delivered_at));
                let override_reason = delivery.overridden.then(|| urgent.unwrap_or_default().to_owned());
                let mut new_assignment = NewAssignment {
                    case_id,
                    unit_id: target.id,
                    level: level.code().into(),
                    parent_id: parent.map(|p| p.id),
                    is_lead: true,
                    created_at: now,
                    delivered_at: Some(delivered_at),
                    due_at: due_ms,
                    override_reason: override_reason.clone(),
                    created_by: Some(user.id),
                    deferred: delivery.deferred,
                };
                cases::insert_assignment(&mut tx, &new_assignment).await?;
                let mut n = notice(
                    &case,
                    target.id,
                    format!("转办案件 {}", case.accept_no),
                    format!(
                        "{}转办群众举报件，请及时签收办理。{}",
                        user.unit.name,
                        due_ms
                            .map(|d| format!("办理期限：{}。", human_cst(from_millis(d))))
                            .unwrap_or_default()
                    ),
                    now,
                );
                n.deliver_after = delivered_at;
                n.override_reason = override_reason.clone();
                notices.push(n);
                if delivery.deferred {
                    outbox::burden_event(
                        &mut tx,
                        "night_held",
                        Some(target.id),
                        Some(case_id),
                        Some(user.id),
                        now,
                        &serde_json::json!({ "delivered_at": delivered_at }),
                    )
                    .await?;
                }
                if delivery.overridden {
                    outbox::burden_event(
                        &mut tx,
                        "night_override",
                        Some(target.id),
                        Some(case_id),
                        Some(user.id),
                        now,
                        &serde_json::json!({ "reason": override_reason }),
                    )
                    .await?;
                }
                if level == UnitLevel::County {
                    patch.county_unit_id = Some(Some(target.id));
                } else {
                    patch.handler_unit_id = Some(Some(target.id));
                    let mut co = Vec::new();
                    for &cid in input.co_unit_ids.iter().filter(|&&c| c != target.id) {
                        let cu = directory::unit_in_tx(&mut tx, cid)
                            .await?
                            .ok_or_else(|| AppError::invalid("co_unit_ids", "协办单位不存在"))?;
                        if cu.parent_id != Some(user.unit.id) || !allowed.contains(&cu.level) {
                            return Err(AppError::invalid(
                                "co_unit_ids",
                                format!("“{}”不是{}的下级单位，不能协办", cu.name, user.unit.name),
                            ));
                        }
                        new_assignment.unit_id = cu.id;
                        new_assignment.level = cu.level.code().into();
                        new_assignment.is_lead = false;
                        cases::insert_assignment(&mut tx, &new_assignment).await?;
                        let mut n = notice(
                            &case,
                            cu.id,
                            format!("协办案件 {}", case.accept_no),
                            format!("{}请你单位协助办理。", user.unit.name),
                            now,
                        );
                        n.deliver_after = delivered_at;
                        notices.push(n);
                        co.push(cu.id);
                    }
                    detail["co_unit_ids"] = serde_json::json!(co);
                }
                if due_ms.is_some() {
                    patch.due_at = Some(due_ms);
                }
                detail["to_unit_id"] = target.id.into();
                detail["to_unit"] = target.name.into();
                detail["delivered_at"] = delivered_at.into();
                detail["due_at"] = due_ms.into();
                detail["delivery"] = delivery.reason_text.into();
                if let Some(r) = &override_reason {
                    detail["urgent_reason"] = r.clone().into();
                }
            }
            Action::Acknowledge => {
                let active = cases::active_assignments_tx(&mut tx, case_id).await?;
                if let Some(a) = active.iter().rev().find(|a| a.unit_id == user.unit.id) {
                    cases::acknowledge_assignment(&mut tx, a.id, now).await?;
                }
            }
            Action::Return => {
                let active = cases::active_assignments_tx(&mut tx, case_id).await?;
                let back_to = match user.level {
                    UnitLevel::City => {
                        patch.batch_id = Some(None);
                        campaign.team_unit_id
                    }
                    UnitLevel::County => {
                        patch.county_unit_id = Some(None);
                        campaign.city_unit_id
                    }
                    _ => {
                        patch.handler_unit_id = Some(None);
                        case.county_unit_id.unwrap_or(campaign.city_unit_id)
                    }
                };
                for a in active.iter().filter(|a| {
                    a.unit_id == user.unit.id
                        || (user.level.is_handling() && a.level != "county" && a.level != "city")
                }) {
                    cases::return_assignment(&mut tx, a.id, now, reason.unwrap_or_default()).await?;
                }
                notices.push(notice(
                    &case,
                    back_to,
                    format!("案件被退回 {}", case.accept_no),
                    format!("{}退回：{}", user.unit.name, reason.unwrap_or_default()),
                    now,
                ));
            }
            Action::RecordFinding => {
                // R5.5: the finding comes from the one handling report, never typed twice.
                let report = self.load_report_tx(&mut tx, case_id).await?;
                if !report.investigation_complete() {
                    let mut e = AppError::new(
                        ErrorKind::Rule,
                        "r5_5_investigation_incomplete",
                        "请先在办理报告中填写调查核实情况和每项问题的调查结论（属实、部分属实或不属实）",
                    );
                    e.field = Some("report".into());
                    return Err(e);
                }
                let f = report.finding().map(|f| f.label()).unwrap_or_default();
                if let Some(given) = input.finding.as_deref().map(str::trim).filter(|g| !g.is_empty())
                    && given != f
                {
                    return Err(AppError::invalid(
                        "finding",
                        format!("调查结论应与办理报告一致（报告为“{f}”）"),
                    ));
                }
                patch.finding = Some(Some(f.to_owned()));
                detail["finding"] = f.into();
            }
            Action::StartRectification => {
                if case.finding.as_deref() == Some("不属实") {
                    return Err(AppError::new(
                        ErrorKind::Rule,
                        "no_rectification_needed",
                        "调查结论为不属实，无需整改，可直接报送办理结果",
                    ));
                }
            }
            Action::SubmitReport => {
                // R5.5: one complete structured report before it goes up for verification.
                let report = self.load_report_tx(&mut tx, case_id).await?;
                report.validate()?;
                ducha_store::handling::mark_submitted(&mut tx, case_id, now).await?;
                if let Some(county) = case.county_unit_id {
                    notices.push(notice(
                        &case,
                        county,
                        format!("待验收 {}", case.accept_no),
                        format!("{}已报送办理结果，请验收。", user.unit.name),
                        now,
                    ));
                }
            }
            Action::VerifyClosed | Action::VerifyPartly => {
                let outcome = if action == Action::VerifyClosed {
                    VerificationOutcome::Passed
                } else {
                    VerificationOutcome::PartlyPassed
                };
                let notes = screened_notes.as_ref().map_or("", |n| n.as_str().trim());
                let state = self
                    .verify_case(
                        &mut tx,
                        user,
                        &case,
                        &campaign,
                        outcome,
                        input.onsite.unwrap_or(false),
                        notes,
                        now,
                    )
                    .await?;
                match (action, state) {
                    (Action::VerifyClosed, Some(ClosureState::PartlyClosed)) => {
                        return Err(AppError::new(
                            ErrorKind::Rule,
                            "r1_4_plan_still_running",
                            "本案尚有在办的限期整改计划，只能“阶段性办结”，待整改完成验收后再办结",
                        ));
                    }
                    (_, Some(ClosureState::Closed)) => {
                        patch.stage = Some(Stage::Closed.code().into());
                        for a in cases::active_assignments_tx(&mut tx, case_id).await? {
                            cases::complete_assignment(&mut tx, a.id, now).await?;
                        }
                    }
                    (_, Some(ClosureState::PartlyClosed)) => {
                        patch.stage = Some(Stage::PartlyClosed.code().into())
                    }
                    _ => {}
                }
                detail["onsite"] = input.onsite.unwrap_or(false).into();
                if let Some(s) = &patch.stage {
                    detail["to"] = s.clone().into();
                }
            }
            Action::RejectVerification => {
                let notes = reason.unwrap_or_default();
                self.verify_case(
                    &mut tx,
                    user,
                    &case,
                    &campaign,
                    VerificationOutcome::Failed { reason: notes.to_owned() },
                    input.onsite.unwrap_or(false),
                    notes,
                    now,
                )
                .await?;
                if let Some(h) = case.handler_unit_id {
                    notices.push(notice(
                        &case,
                        h,
                        format!("{} {}", action.label(), case.accept_no),
                        notes.to_owned(),
                        now,
                    ));
                }
            }
            Action::ReopenForReview => {
                if let Some(county) = case.county_unit_id {
                    notices.push(notice(
                        &case,
                        county,
                        format!("请复核 {}", case.accept_no),
                        reason.unwrap_or_default().to_owned(),
                        now,
                    ));
                }
            }
            Action::Reopen => {
                if let Some(h) = case.handler_unit_id {
                    notices.push(notice(
                        &case,
                        h,
                        format!("{} {}", action.label(), case.accept_no),
                        reason.unwrap_or_default().to_owned(),
                        now,
                    ));
                }
            }
            Action::MarkDuplicate => {
                let primary = self.resolve_primary(&mut tx, &case, input.dup_of.as_deref()).await?;
                patch.dup_of = Some(Some(primary.id));
                cases::increment_repeat(&mut tx, primary.id).await?;
                if self.reopen_on_repeat(&mut tx, &primary, &campaign, now).await? {
                    detail["reopened_primary"] = true.into();
                }
                detail["dup_of"] = primary.id.into();
                detail["dup_of_accept_no"] = primary.accept_no.into();
            }
            Action::StartInvestigation => {}
            Action::RequestExtension => {
                let days = input.extension_days.filter(|d| (1..=30).contains(d)).ok_or_else(|| {
                    AppError::invalid("extension_days", "请填写申请延期的工作日数（1至30天）")
                })?;
                let active = cases::active_assignments_tx(&mut tx, case_id).await?;
                let mine = active
                    .iter()
                    .rev()
                    .find(|a| a.unit_id == user.unit.id)
                    .ok_or_else(|| AppError::conflict("no_assignment", "您的单位没有该案件的在办任务"))?;
                if ducha_store::extensions::pending(&mut tx, case_id).await?.is_some() {
                    return Err(AppError::conflict(
                        "extension_pending",
                        "已有待审批的延期申请，请等待上级审批",
                    ));
                }
                let id = ducha_store::extensions::request(
                    &mut tx,
                    case_id,
                    mine.id,
                    user.unit.id,
                    i64::from(days),
                    reason.unwrap_or_default(),
                    now,
                    user.id,
                )
                .await?;
                let approver_unit = match mine.parent_id {
                    Some(p) => cases::assignment(&self.store, p).await?.map(|a| a.unit_id),
                    None => Some(campaign.team_unit_id),
                };
                if let Some(u) = approver_unit {
                    notices.push(notice(
                        &case,
                        u,
                        format!("延期申请 {}", case.accept_no),
                        format!("{}申请延期{}个工作日：{}", user.unit.name, days, reason.unwrap_or_default()),
                        now,
                    ));
                }
                detail["extension_id"] = id.into();
                detail["extension_days"] = days.into();
            }
            Action::DecideExtension => {
                let approve =
                    input.approve.ok_or_else(|| AppError::invalid("approve", "请选择同意或不同意延期"))?;
                let req = ducha_store::extensions::pending(&mut tx, case_id)
                    .await?
                    .ok_or_else(|| AppError::conflict("no_extension", "该案件没有待审批的延期申请"))?;
                let asg = cases::assignment(&self.store, req.assignment_id.unwrap_or_default())
                    .await?
                    .ok_or_else(|| AppError::conflict("no_assignment", "延期申请对应的任务已不存在"))?;
                // Only the unit that gave the task decides on more time for it.
                let parent_unit = match asg.parent_id {
                    Some(p) => cases::assignment(&self.store, p).await?.map(|a| a.unit_id),
                    None => Some(campaign.team_unit_id),
                };
                if parent_unit != Some(user.unit.id) {
                    return Err(AppError::forbidden_code(
                        "not_approver",
                        "延期申请由交办该任务的上一级单位审批",
                    ));
                }
                let mut new_due = None;
                if approve {
                    let base = from_millis(asg.due_at.unwrap_or(now).max(now));
                    let days = u32::try_from(req.requested_days).unwrap_or(1);
                    let due_ms = due_after_working_days(base, days, &self.calendar())?.at.timestamp_millis();
                    cases::set_assignment_due(&mut tx, asg.id, due_ms).await?;
                    let holder = (asg.is_lead != 0 && case.handler_unit_id == Some(asg.unit_id))
                        || (case.handler_unit_id.is_none() && case.county_unit_id == Some(asg.unit_id));
                    if holder {
                        patch.due_at = Some(Some(due_ms));
                    }
                    new_due = Some(due_ms);
                }
                ducha_store::extensions::decide(
                    &mut tx,
                    req.id,
                    approve,
                    reason.map(str::to_owned),
                    now,
                    user.id,
                    new_due,
                )
                .await?;
                let body = match new_due {
                    Some(d) => format!("新的办理期限：{}", human_cst(from_millis(d))),
                    None => reason.unwrap_or("请按原期限办理").to_owned(),
                };
                let verdict = if approve { "已同意" } else { "未同意" };
                notices.push(notice(
                    &case,
                    asg.unit_id,
                    format!("延期申请{verdict} {}", case.accept_no),
                    body,
                    now,
                ));
                detail["approve"] = approve.into();
                detail["new_due_at"] = new_due.into();
            }
        }

        cases::update(&mut tx, case_id, case.version, &patch, now).await?;
        audit::append(&mut tx, &user.audit(now, "case.transition", "case", case_id, detail)).await?;
        for n in &notices {
            self.enqueue_notice(&mut tx, n).await?;
        }
        tx.commit().await?;
        self.case_view(user, case_id).await.map_err(|e| {
            // A handler who just returned a case no longer sees it; answer with what they did.
            if e.kind == ErrorKind::NotFound {
                AppError::new(
                    ErrorKind::NotFound,
                    "case_left_scope",
                    format!("已{}，该案件已离开您的办理范围", action.label()),
                )
            } else {
                e
            }
        })
    }

    async fn resolve_primary(&self, tx: &mut Tx, case: &CaseRow, key: Option<&str>) -> Result<CaseRow> {
        let key = key
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| AppError::invalid("dup_of", "请填写原案件的受理编号"))?;
        let found = match key.parse::<i64>() {
            Ok(id) => cases::get(&self.store, id).await?,
            Err(_) => cases::get_by_accept_no(&self.store, key).await?,
        };
        let mut primary =
            found.ok_or_else(|| AppError::invalid("dup_of", format!("未找到受理编号为“{key}”的案件")))?;
        // Point at the first report, never at another duplicate.
        if let Some(root) = primary.dup_of
            && let Some(p) = cases::get_for_update(tx, root).await?
        {
            primary = p;
        }
        if primary.id == case.id || primary.campaign_id != case.campaign_id {
            return Err(AppError::invalid("dup_of", "重复件只能指向本次督察中另一件案件"));
        }
        Ok(primary)
    }

    /// Persist one refused compression (R5.2) for the burden dashboard, outside the refused transaction.
    async fn count_refused_compression(
        &self,
        user: &CurrentUser,
        case_id: i64,
        target: i64,
        wanted: DateTime<Utc>,
        parent_due: DateTime<Utc>,
    ) {
        let now = self.now_ms();
        let res = async {
            let mut tx = self.store.begin().await?;
            let detail = serde_json::json!({ "wanted": wanted.timestamp_millis(), "parent_due": parent_due.timestamp_millis(), "to_unit_id": target });
            outbox::burden_event(&mut tx, "compression_refused", Some(user.unit.id), Some(case_id), Some(user.id), now, &detail).await?;
            audit::append(&mut tx, &user.audit(now, "case.compression_refused", "case", case_id, detail)).await?;
            tx.commit().await
        }
        .await;
        if let Err(e) = res {
            tracing::warn!(error = %e, "could not record a refused compression");
        }
    }
}
