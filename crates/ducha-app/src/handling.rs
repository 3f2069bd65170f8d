//! Handling to a verified close (issue 5): the one structured handling report per case (R5.5), the
//! blanket-shutdown guard and detectors (R1), verification with on-site sampling, accountability and
//! 容错 (R4), callbacks, outcome metrics (R5.4) and the confidential discipline channel (R6).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use ducha_domain::accountability::{
    AccountabilityRecord, AccountabilitySummary, FaultTolerance, check_linked_findings,
};
use ducha_domain::callback::{
    Callback, CallbackChannel, CallbackResult, Satisfaction, callback_requires_review,
};
use ducha_domain::closure::{
    ClosureState, Verification, VerificationOutcome, check_can_close, pick_onsite_sample,
    should_reopen_on_repeat,
};
use ducha_domain::discipline::{DisciplineReport, may_read_discipline};
use ducha_domain::handling::{
    Finding, HandlingReport, render_closure_target, render_handling, render_investigation,
};
use ducha_domain::metrics::{CallbackFact, CaseOutcome, MetricsConfig, OutcomeMetrics, outcome_metrics_by};
use ducha_domain::role::Role;
use ducha_domain::shutdown::{
    ShutdownRecord, check_second_approval, check_shutdown_measure, detect_blanket_shutdowns,
    overdue_unverified,
};
use ducha_domain::time::{from_millis, to_cst};
use ducha_domain::unit::UnitLevel;
use ducha_domain::workflow::Stage;
use ducha_store::Tx;
use ducha_store::accountability::{self, NewAccountability};
use ducha_store::audit::{self, AuditEntry};
use ducha_store::cases::{self, CaseRow, Scope};
use ducha_store::directory::{self, CampaignRow};
use ducha_store::followup;
use ducha_store::handling::{self as hstore, NewAlert, NewShutdown};
use ducha_store::outbox::NewMessage;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::ErrorKind;
use crate::settings::CampaignSettings;
use crate::{App, AppError, Result};

/// The report as people see it: the stored report, the disclosure texts rendered from it, and what
/// is still missing before it can be submitted.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportView {
    pub case_id: i64,
    #[schema(value_type = Object)]
    pub report: HandlingReport,
    pub version: i64,
    pub finding: Option<String>,
    pub investigation_text: String,
    pub handling_text: String,
    pub closure_target_text: String,
    pub submitted: bool,
    /// Problems that block submission (field, Chinese message).
    #[schema(value_type = Vec<Object>)]
    pub problems: Vec<ducha_domain::handling::Problem>,
    pub editable: bool,
    /// What the identity firewall hides in the stored report (the report above is shown through it):
    /// the handler is told, and the disclosure will not be published until it is edited out.
    #[schema(value_type = Vec<Object>)]
    pub identity_findings: Vec<ducha_shield::Finding>,
}

/// Which stages a handling unit may edit its report in.
fn report_editable(stage: Stage) -> bool {
    matches!(
        stage,
        Stage::Acknowledged
            | Stage::Investigating
            | Stage::Investigated
            | Stage::Rectifying
            | Stage::PartlyClosed
    )
}

fn date_of(ms: i64) -> NaiveDate {
    to_cst(from_millis(ms)).date_naive()
}

/// A name stripped of the usual legal-form suffixes, for matching subjects against complaint text.
fn core_name(name: &str) -> String {
    let mut n: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    for suffix in
        ["有限责任公司", "股份有限公司", "有限公司", "公司", "加工厂", "加工点", "作坊", "厂", "店", "场"]
    {
        if n.chars().count() > suffix.chars().count() + 1 && n.ends_with(suffix) {
            n.truncate(n.len() - suffix.len());
            break;
        }
    }
    n
}

impl App {
    pub(crate) async fn load_report(&self, case_id: i64) -> Result<(HandlingReport, i64, Option<i64>)> {
        match hstore::report(&self.store, case_id).await? {
            Some(r) => Ok((
                serde_json::from_str(&r.report)
                    .map_err(|e| AppError::internal(format!("stored report: {e}")))?,
                r.version,
                r.submitted_at,
            )),
            None => Ok((HandlingReport::default(), 0, None)),
        }
    }

    pub(crate) async fn load_report_tx(&self, tx: &mut Tx, case_id: i64) -> Result<HandlingReport> {
        match hstore::report_in_tx(tx, case_id).await? {
            Some(r) => {
                serde_json::from_str(&r.report).map_err(|e| AppError::internal(format!("stored report: {e}")))
            }
            None => Ok(HandlingReport::default()),
        }
    }

    /// The case's handling report, for anyone who may see the case (R5.5: what the township entered is
    /// what the county, the city and the team read).
    pub async fn report_view(&self, user: &CurrentUser, case_id: i64) -> Result<ReportView> {
        let case = self.visible_case(user, case_id).await?;
        let (raw, version, submitted_at) = self.load_report(case_id).await?;
        let stage = Stage::parse(&case.stage)?;
        // Every role reads the report through the case's firewall; what it hides is listed.
        let shield = self.shield(case_id).await?;
        let identity_findings =
            [render_investigation(&raw), render_handling(&raw), render_closure_target(&raw)]
                .iter()
                .flat_map(|t| shield.findings(t))
                .collect();
        let report = raw.map_text(|t| shield.screen(t).into_string());
        Ok(ReportView {
            identity_findings,
            case_id,
            finding: report.finding().map(|f| f.label().to_owned()),
            investigation_text: render_investigation(&report),
            handling_text: render_handling(&report),
            closure_target_text: render_closure_target(&report),
            problems: report.problems(),
            submitted: submitted_at.is_some(),
            editable: user.role == Role::Handler
                && case.handler_unit_id == Some(user.unit.id)
                && report_editable(stage),
            report,
            version,
        })
    }

    /// Hide what the identity firewall finds in a case's handling report, in the report itself: every
    /// free-text field is replaced by its firewalled text (the office that publishes the case's column
    /// resolves a disclosure's identity hits this way when the report can no longer be edited by its
    /// handler). The finding, measures and dates stay; the change is audited with what kinds were hidden.
    pub async fn redact_report(&self, user: &CurrentUser, case_id: i64) -> Result<ReportView> {
        if user.role != Role::Office {
            return Err(AppError::forbidden("由负责信息公开的攻坚办隐去办理报告中的举报人信息"));
        }
        let case = self.visible_case(user, case_id).await?;
        let row = hstore::report(&self.store, case_id)
            .await?
            .ok_or_else(|| AppError::not_found("report_not_found", "该案件还没有办理报告"))?;
        let raw: HandlingReport = serde_json::from_str(&row.report)
            .map_err(|e| AppError::internal(format!("stored report: {e}")))?;
        let shield = self.shield(case_id).await?;
        let found: Vec<ducha_shield::Finding> =
            [render_investigation(&raw), render_handling(&raw), render_closure_target(&raw)]
                .iter()
                .flat_map(|t| shield.findings(t))
                .collect();
        if found.is_empty() {
            return Err(AppError::conflict("no_identity_in_report", "办理报告中没有需要隐去的举报人信息"));
        }
        let redacted = raw.map_text(|t| shield.screen(t).into_string());
        let json = serde_json::to_string(&redacted).map_err(|e| AppError::internal(e.to_string()))?;
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let version = hstore::save_report(
            &mut tx,
            case_id,
            &json,
            row.finding.as_deref(),
            row.unit_id.or(case.handler_unit_id).unwrap_or(user.unit.id),
            user.id,
            now,
            Some(row.version),
        )
        .await?;
        let kinds: Vec<&str> = found.iter().map(|f| f.label.as_str()).collect();
        audit::append(
            &mut tx,
            &user.audit(
                now,
                "case.report_redacted",
                "case",
                case_id,
                serde_json::json!({ "version": version, "hidden": found.len(), "kinds": kinds }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.report_view(user, case_id).await
    }

    /// Save the handling report as it stands. Drafts may be incomplete, but every shutdown-type measure
    /// must already be lawful (R1.1) and, in a livelihood trade, carry a second approval (R1.2); saving
    /// re-runs the 一刀切 detector for the county.
    pub async fn save_report(
        &self,
        user: &CurrentUser,
        case_id: i64,
        report: &HandlingReport,
        expected_version: Option<i64>,
    ) -> Result<ReportView> {
        let case = self.visible_case(user, case_id).await?;
        let stage = Stage::parse(&case.stage)?;
        if user.role != Role::Handler || case.handler_unit_id != Some(user.unit.id) {
            return Err(AppError::forbidden_code("not_handler", "办理报告由承办单位（主办）填写"));
        }
        if !report_editable(stage) {
            return Err(AppError::conflict(
                "report_locked",
                format!("案件当前状态为“{}”，不能修改办理报告", stage.label()),
            ));
        }
        if let Some(p) = report.problems().into_iter().find(|p| p.field.ends_with(".uscc")) {
            return Err(AppError::invalid(&p.field, p.message));
        }
        let campaign = self.campaign().await?;
        let settings = CampaignSettings::of(&campaign);
        for m in report.measures.iter().filter(|m| m.kind.is_shutdown_type()) {
            check_shutdown_measure(report, m)?;
            check_second_approval(
                report,
                m,
                &user.display_name,
                &user.unit.name,
                &settings.blanket_shutdown,
            )?;
        }
        let now = self.now_ms();
        let json = serde_json::to_string(report).map_err(|e| AppError::internal(e.to_string()))?;
        let finding = report.finding().map(|f| f.label().to_owned());
        let county_code = case.county_code.clone().unwrap_or_default();
        let mut tx = self.store.begin().await?;
        let version = hstore::save_report(
            &mut tx,
            case_id,
            &json,
            finding.as_deref(),
            user.unit.id,
            user.id,
            now,
            expected_version,
        )
        .await?;
        let shutdowns: Vec<NewShutdown> = report
            .shutdown_records(&case_id.to_string(), &county_code, "")
            .into_iter()
            .map(|r| NewShutdown {
                county_code: county_code.clone(),
                kind: r.kind.code().to_owned(),
                industry: settings.blanket_shutdown.industry_of(&r.subject, r.industry.as_deref()),
                subject: r.subject,
                starts_on: Some(r.on.to_string()),
                ends_on: report
                    .measures
                    .iter()
                    .filter_map(|m| m.shutdown.as_ref())
                    .find(|t| t.starts_on == Some(r.on))
                    .and_then(|t| t.ends_on)
                    .map(|d| d.to_string()),
                complaint_named: true,
            })
            .collect();
        hstore::replace_shutdowns(&mut tx, case_id, &shutdowns).await?;
        audit::append(
            &mut tx,
            &user.audit(now, "case.report_saved", "case", case_id, serde_json::json!({ "version": version, "finding": finding, "measures": report.measures.len(), "shutdowns": shutdowns.len() })),
        )
        .await?;
        if !shutdowns.is_empty() {
            self.detect_blanket(&mut tx, &campaign, &settings, &county_code, now).await?;
        }
        tx.commit().await?;
        self.report_view(user, case_id).await
    }

    /// R1.2: run the detector over the county's shutdowns and raise (once) every alert to the city.
    async fn detect_blanket(
        &self,
        tx: &mut Tx,
        campaign: &CampaignRow,
        settings: &CampaignSettings,
        county_code: &str,
        now: i64,
    ) -> Result<usize> {
        let rows = hstore::shutdowns_in_county(tx, county_code).await?;
        let county_name = directory::region(&self.store, county_code)
            .await?
            .map(|r| r.short_name)
            .unwrap_or_else(|| county_code.to_owned());
        let records: Vec<ShutdownRecord> = rows
            .iter()
            .filter_map(|r| {
                Some(ShutdownRecord {
                    case_id: r.case_id.to_string(),
                    county_code: r.county_code.clone(),
                    county_name: county_name.clone(),
                    subject: r.subject.clone(),
                    industry: r.industry.clone(),
                    kind: ducha_domain::handling::MeasureKind::parse(&r.kind).ok()?,
                    on: r.starts_on.as_deref().and_then(|d| d.parse().ok())?,
                })
            })
            .collect();
        // Which subjects some complaint of the campaign names (by core name, in the redacted text).
        let texts = cases::texts_in_county(&self.store, campaign.id, county_code).await?;
        let named: HashMap<String, bool> = records
            .iter()
            .map(|r| {
                let core = core_name(&r.subject);
                (r.subject.clone(), !core.is_empty() && texts.iter().any(|t| t.contains(&core)))
            })
            .collect();
        let alerts = detect_blanket_shutdowns(
            &records,
            &|r: &ShutdownRecord| named.get(&r.subject).copied().unwrap_or(false),
            &settings.blanket_shutdown,
            date_of(now),
        );
        let mut raised = 0;
        for a in alerts {
            let case_ids: Vec<i64> = a.evidence.iter().filter_map(|e| e.case_id.parse().ok()).collect();
            let evidence: Vec<String> = a
                .evidence
                .iter()
                .map(|e| {
                    format!(
                        "{} {}：{}（{}）{}",
                        e.on,
                        e.subject,
                        e.kind.label(),
                        e.industry.clone().unwrap_or_else(|| "行业不明".into()),
                        if e.named_in_complaint { "" } else { "，无群众举报" }
                    )
                })
                .collect();
            let (_, fresh) = hstore::raise_alert(
                tx,
                &NewAlert {
                    kind: "blanket_shutdown".into(),
                    alert_key: a.key(),
                    level: UnitLevel::City.code().into(),
                    unit_id: Some(campaign.city_unit_id),
                    county_code: Some(county_code.to_owned()),
                    title: "疑似“一刀切”".into(),
                    summary: a.summary.clone(),
                    evidence,
                    case_ids,
                    escalation: 1,
                },
                now,
            )
            .await?;
            if fresh {
                raised += 1;
                self.enqueue_notice(
                    tx,
                    &NewMessage {
                        kind: "alert".into(),
                        channel: "inbox".into(),
                        unit_id: Some(campaign.city_unit_id),
                        user_id: None,
                        subject: format!("疑似“一刀切”预警：{county_name}"),
                        body: a.summary.clone(),
                        payload: serde_json::json!({ "alert_key": a.key() }),
                        created_at: now,
                        deliver_after: now,
                        override_reason: None,
                    },
                )
                .await?;
                audit::append(
                    tx,
                    &AuditEntry {
                        at_ms: now,
                        actor_user_id: None,
                        actor_unit_id: None,
                        actor_name: "系统（一刀切监测）".into(),
                        action: "alert.raised".into(),
                        entity_type: "alert".into(),
                        entity_id: a.key(),
                        detail: serde_json::json!({ "kind": "blanket_shutdown", "summary": a.summary }),
                    },
                )
                .await?;
            }
        }
        Ok(raised)
    }

    /// R1.3: shutdowns and scheduled rectifications past due without verification raise
    /// "长停久治、久治不验" alerts, escalating weekly (county → city → team). Returns alerts raised or
    /// escalated.
    pub async fn check_endless_shutdowns(&self) -> Result<usize> {
        let Some(campaign) = directory::current_campaign(&self.store).await? else { return Ok(0) };
        let settings = CampaignSettings::of(&campaign);
        let now = self.now_ms();
        let today = date_of(now);
        let passes: HashMap<i64, i64> = followup::first_pass_times(&self.store).await?.into_iter().collect();
        let mut raised = 0;
        for row in hstore::all_reports(&self.store).await? {
            let Ok(report) = serde_json::from_str::<HandlingReport>(&row.report) else { continue };
            let Some(case) = cases::get(&self.store, row.case_id).await? else { continue };
            let stage = Stage::parse(&case.stage)?;
            // Verified on: the case's closing verification, unless a plan still runs (阶段性办结).
            let verified_on = match stage {
                Stage::Closed => passes.get(&case.id).map(|&t| date_of(t)),
                _ => None,
            };
            let county_code = case.county_code.clone().unwrap_or_default();
            let items = report.rectification_statuses(&case.id.to_string(), &county_code, "", verified_on);
            for a in overdue_unverified(&items, today, &settings.endless_shutdown) {
                let (unit_id, level) = match a.to_level {
                    UnitLevel::County => (case.county_unit_id, UnitLevel::County),
                    UnitLevel::City => (Some(campaign.city_unit_id), UnitLevel::City),
                    _ => (Some(campaign.team_unit_id), UnitLevel::Team),
                };
                let key = format!("r1_3:{}:{}:{}", a.case_id, a.subject, a.due);
                let mut tx = self.store.begin().await?;
                let (_, fresh) = hstore::raise_alert(
                    &mut tx,
                    &NewAlert {
                        kind: "endless_shutdown".into(),
                        alert_key: key.clone(),
                        level: level.code().into(),
                        unit_id,
                        county_code: Some(county_code.clone()),
                        title: "长停久治、久治不验".into(),
                        summary: a.summary.clone(),
                        evidence: vec![format!(
                            "受理编号 {}：{}，{}到期，已超期{}天",
                            case.accept_no, a.subject, a.due, a.days_overdue
                        )],
                        case_ids: vec![case.id],
                        escalation: i64::from(a.level),
                    },
                    now,
                )
                .await?;
                if fresh {
                    raised += 1;
                    if let Some(u) = unit_id {
                        self.enqueue_notice(
                            &mut tx,
                            &NewMessage {
                                kind: "alert".into(),
                                channel: "inbox".into(),
                                unit_id: Some(u),
                                user_id: None,
                                subject: format!("“长停久治、久治不验”预警 {}", case.accept_no),
                                body: a.summary.clone(),
                                payload: serde_json::json!({ "case_id": case.id, "accept_no": case.accept_no }),
                                created_at: now,
                                deliver_after: now,
                                override_reason: None,
                            },
                        )
                        .await?;
                    }
                }
                tx.commit().await?;
            }
        }
        Ok(raised)
    }

    /// Verification by the county (R1.4, R4.2, on-site sample), called from [`App::act`].
    pub(crate) async fn verify_case(
        &self,
        tx: &mut Tx,
        user: &CurrentUser,
        case: &CaseRow,
        campaign: &CampaignRow,
        outcome: VerificationOutcome,
        onsite: bool,
        notes: &str,
        now: i64,
    ) -> Result<Option<ClosureState>> {
        let report = self.load_report_tx(tx, case.id).await?;
        let settings = CampaignSettings::of(campaign);
        if !matches!(outcome, VerificationOutcome::Failed { .. })
            && !onsite
            && self.sampled_for_onsite(case, &settings).await?
        {
            return Err(AppError::new(
                ErrorKind::Rule,
                "onsite_required",
                "本案被随机抽中现场复核，请到现场核查后勾选“已现场复核”再验收",
            ));
        }
        let records: Vec<AccountabilityRecord> =
            accountability::for_cases(&self.store, campaign.id, &[case.id])
                .await?
                .into_iter()
                .filter_map(|r| serde_json::from_str(&r.record).ok())
                .collect();
        let v = Verification {
            by_unit: user.unit.name.clone(),
            at: from_millis(now),
            outcome: outcome.clone(),
            onsite,
            notes: notes.to_owned(),
        };
        let code = match &outcome {
            VerificationOutcome::Passed => "passed",
            VerificationOutcome::PartlyPassed => "partly_passed",
            VerificationOutcome::Failed { .. } => "failed",
        };
        let state = if matches!(outcome, VerificationOutcome::Failed { .. }) {
            None
        } else {
            Some(check_can_close(&report, &v, &records)?)
        };
        followup::insert_verification(tx, case.id, user.unit.id, user.id, now, code, onsite, notes).await?;
        if state == Some(ClosureState::Closed) {
            hstore::mark_shutdowns_verified(tx, case.id, &date_of(now).to_string()).await?;
        }
        Ok(state)
    }

    /// Whether a case falls in the campaign's on-site re-check sample (reproducible from the seed).
    pub async fn sampled_for_onsite(&self, case: &CaseRow, settings: &CampaignSettings) -> Result<bool> {
        let Some(batch) = case.batch_id else { return Ok(false) };
        let (rows, _) = cases::list(
            &self.store,
            Scope::All,
            &cases::CaseFilter { batch_id: Some(batch), limit: 500, ..Default::default() },
        )
        .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let seed = (case.campaign_id as u64) << 32 | batch as u64;
        Ok(pick_onsite_sample(&ids, settings.onsite_sample_rate, seed).contains(&case.id))
    }

    /// Reopen a closed primary case for review when a repeat complaint about the same source arrives
    /// within the window (called when a duplicate is confirmed).
    pub(crate) async fn reopen_on_repeat(
        &self,
        tx: &mut Tx,
        primary: &CaseRow,
        campaign: &CampaignRow,
        now: i64,
    ) -> Result<bool> {
        let stage = Stage::parse(&primary.stage)?;
        if !matches!(stage, Stage::Closed | Stage::PartlyClosed) {
            return Ok(false);
        }
        let settings = CampaignSettings::of(campaign);
        let closed_at = followup::verifications(&self.store, primary.id)
            .await?
            .into_iter()
            .filter(|v| v.outcome != "failed")
            .map(|v| v.at)
            .max()
            .unwrap_or(primary.updated_at);
        if !should_reopen_on_repeat(
            from_millis(closed_at),
            from_millis(now),
            settings.repeat_reopen_window_days,
        ) {
            return Ok(false);
        }
        cases::update(
            tx,
            primary.id,
            primary.version,
            &cases::CasePatch {
                stage: Some(Stage::AwaitingVerification.code().into()),
                ..Default::default()
            },
            now,
        )
        .await?;
        audit::append(
            tx,
            &AuditEntry {
                at_ms: now,
                actor_user_id: None,
                actor_unit_id: None,
                actor_name: "系统".into(),
                action: "case.transition".into(),
                entity_type: "case".into(),
                entity_id: primary.id.to_string(),
                detail: serde_json::json!({ "action": "reopen_for_review", "from": stage.code(), "to": "awaiting_verification", "reason": format!("办结后{}日内群众重复举报同一问题，交县（区）复核", settings.repeat_reopen_window_days) }),
            },
        )
        .await?;
        if let Some(county) = primary.county_unit_id {
            self.enqueue_notice(
                tx,
                &NewMessage {
                    kind: "case".into(),
                    channel: "inbox".into(),
                    unit_id: Some(county),
                    user_id: None,
                    subject: format!("重复举报，请复核 {}", primary.accept_no),
                    body: "已办结案件在规定期限内被群众重复举报，请复核整改是否到位。".into(),
                    payload: serde_json::json!({ "case_id": primary.id, "accept_no": primary.accept_no }),
                    created_at: now,
                    deliver_after: now,
                    override_reason: None,
                },
            )
            .await?;
        }
        Ok(true)
    }
}

// ---- accountability ------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountabilityView {
    pub id: i64,
    #[schema(value_type = Object)]
    pub record: AccountabilityRecord,
    pub accept_nos: Vec<String>,
}

impl App {
    fn require_accountability_role(user: &CurrentUser) -> Result<()> {
        match (user.role, user.level) {
            (Role::Office, UnitLevel::County | UnitLevel::City) | (Role::Team, _) => Ok(()),
            _ => Err(AppError::forbidden("问责记录由县（区）、市攻坚办或督察组录入")),
        }
    }

    /// R4.1 + R4.4: record one person held to account, linked to case(s) with a substantiated finding.
    pub async fn add_accountability(&self, user: &CurrentUser, record: &AccountabilityRecord) -> Result<i64> {
        Self::require_accountability_role(user)?;
        record.validate()?;
        let campaign = self.campaign().await?;
        let mut case_ids = Vec::new();
        let mut findings: HashMap<String, Option<Finding>> = HashMap::new();
        for key in &record.case_ids {
            let c = match key.trim().parse::<i64>() {
                Ok(id) => cases::get(&self.store, id).await?,
                Err(_) => cases::get_by_accept_no(&self.store, key.trim()).await?,
            };
            // A case outside the user's jurisdiction answers exactly like one that does not exist
            // (a different message would tell a county which accept numbers exist elsewhere).
            let not_found =
                || AppError::invalid("case_ids", format!("未找到案件“{key}”，或该案件不在您的管辖范围内"));
            let c = c.filter(|c| c.campaign_id == campaign.id).ok_or_else(not_found)?;
            if !cases::in_scope(&self.store, user.scope(), c.id).await? {
                return Err(not_found());
            }
            let (report, _, _) = self.load_report(c.id).await?;
            findings.insert(key.clone(), report.finding());
            case_ids.push(c.id);
        }
        check_linked_findings(record, &|k: &str| findings.get(k).copied().flatten())?;
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let id = accountability::insert(
            &mut tx,
            &NewAccountability {
                campaign_id: campaign.id,
                record: serde_json::to_string(record).map_err(|e| AppError::internal(e.to_string()))?,
                person_level: record.person_level.code().into(),
                kind: record.kind.code().into(),
                unit_name: record.unit.clone(),
                typical: record.typical,
                case_ids: case_ids.clone(),
                created_at: now,
                created_by: Some(user.id),
            },
        )
        .await?;
        audit::append(&mut tx, &user.audit(now, "accountability.add", "accountability", id, serde_json::json!({ "cases": case_ids, "level": record.person_level.code(), "kind": record.kind.code(), "typical": record.typical }))).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// R4.3: a 容错 exemption with one of the notice's grounds, a statement and an approver.
    pub async fn add_fault_tolerance(&self, user: &CurrentUser, ft: &FaultTolerance) -> Result<i64> {
        Self::require_accountability_role(user)?;
        ft.validate()?;
        let campaign = self.campaign().await?;
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let id = accountability::insert_fault_tolerance(
            &mut tx,
            campaign.id,
            &serde_json::to_string(ft).map_err(|e| AppError::internal(e.to_string()))?,
            now,
            Some(user.id),
        )
        .await?;
        audit::append(&mut tx, &user.audit(now, "fault_tolerance.add", "fault_tolerance", id, serde_json::json!({ "person": ft.person_name, "unit": ft.unit, "approver": ft.approver_name }))).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn accountability_list(
        &self,
        user: &CurrentUser,
    ) -> Result<(Vec<AccountabilityView>, Vec<FaultTolerance>)> {
        Self::require_accountability_role(user)?;
        let campaign = self.campaign().await?;
        // Officials' names are the record's business; the free text (basis, detail, statement) passes
        // the firewall like every text a role reads.
        let shield = self.shield_none().await?;
        let mut out = Vec::new();
        for r in accountability::for_campaign(&self.store, campaign.id).await? {
            let ids: Vec<i64> = serde_json::from_str(&r.case_ids).unwrap_or_default();
            let mut visible = Vec::new();
            for id in &ids {
                if cases::in_scope(&self.store, user.scope(), *id).await?
                    && let Some(c) = cases::get(&self.store, *id).await?
                {
                    visible.push(c.accept_no);
                }
            }
            if visible.is_empty() {
                continue;
            }
            if let Ok(record) = serde_json::from_str::<AccountabilityRecord>(&r.record) {
                let record = AccountabilityRecord {
                    basis: shield.screen(&record.basis).into_string(),
                    kind_detail: shield.screen(&record.kind_detail).into_string(),
                    ..record
                };
                out.push(AccountabilityView { id: r.id, record, accept_nos: visible });
            }
        }
        let fts = accountability::fault_tolerances(&self.store, campaign.id)
            .await?
            .into_iter()
            .filter_map(|r| serde_json::from_str::<FaultTolerance>(&r.record).ok())
            .map(|f| FaultTolerance { statement: shield.screen(&f.statement).into_string(), ..f })
            .collect();
        Ok((out, fts))
    }

    /// The public accountability summary of the campaign: counts by level and kind; names only for
    /// records marked typical (R2.4).
    pub async fn accountability_summary(&self, campaign_id: i64) -> Result<AccountabilitySummary> {
        let records: Vec<AccountabilityRecord> = accountability::for_campaign(&self.store, campaign_id)
            .await?
            .into_iter()
            .filter_map(|r| serde_json::from_str(&r.record).ok())
            .collect();
        Ok(AccountabilitySummary::new(records))
    }
}

// ---- callbacks -------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CallbackInput {
    /// `phone` or `visit` (the web form has its own path).
    pub channel: String,
    /// `answered`, `not_reached`, `declined`.
    pub result: String,
    /// 满意 / 基本满意 / 不满意 (or satisfied / basically_satisfied / dissatisfied) when answered.
    #[serde(default)]
    pub satisfaction: Option<String>,
    #[serde(default)]
    pub comment: String,
}

fn callback_result(result: &str, satisfaction: Option<&str>) -> Result<CallbackResult> {
    match result.trim() {
        "answered" => {
            let s = satisfaction
                .ok_or_else(|| AppError::invalid("satisfaction", "请选择满意、基本满意或不满意"))?;
            Ok(CallbackResult::Answered { satisfaction: Satisfaction::parse(s)? })
        }
        "not_reached" => Ok(CallbackResult::NotReached),
        "declined" => Ok(CallbackResult::Declined),
        other => Err(AppError::invalid("result", format!("未知的回访结果“{other}”"))),
    }
}

impl App {
    /// Record a callback on a closed (or partly closed) case; 不满意 sends it back to the county for review.
    /// An answer through the complainant's link uses the link up (`link`: its token hash) in the same
    /// transaction: a refused or failed answer leaves the link as it was, so the complainant can answer
    /// again; an answer is never lost behind a used link.
    pub async fn record_callback(
        &self,
        user: Option<&CurrentUser>,
        case_id: i64,
        channel: CallbackChannel,
        result: CallbackResult,
        comment: &str,
        link: Option<&str>,
    ) -> Result<bool> {
        let case = cases::get(&self.store, case_id).await?.ok_or_else(AppError::case_not_found)?;
        let stage = Stage::parse(&case.stage)?;
        if !matches!(stage, Stage::Closed | Stage::PartlyClosed) {
            return Err(AppError::conflict("not_closed", "只能对已办结或阶段性办结的案件回访"));
        }
        let now = self.now_ms();
        let cb = Callback {
            case_id: case_id.to_string(),
            at: from_millis(now),
            channel,
            result,
            comment: comment.trim().chars().take(1000).collect(),
        };
        cb.validate()?;
        let review = callback_requires_review(&cb);
        // What the commenter typed is sealed; staff, the audit chain and notices get the firewalled text.
        let screened = self.screen_for_case(case_id, &cb.comment).await?;
        let screened = screened.as_str();
        let channel_code = match channel {
            CallbackChannel::Phone => "phone",
            CallbackChannel::WebForm => "web_form",
            CallbackChannel::Visit => "visit",
        };
        let (result_code, sat) = match result {
            CallbackResult::Answered { satisfaction } => ("answered", Some(satisfaction.label())),
            CallbackResult::NotReached => ("not_reached", None),
            CallbackResult::Declined => ("declined", None),
        };
        let mut tx = self.store.begin().await?;
        if let Some(hash) = link
            && !followup::use_link(&mut tx, hash, now).await?
        {
            return Err(AppError::conflict("link_used", "该回访链接已使用过，感谢您的评价"));
        }
        let locked = cases::get_for_update(&mut tx, case_id).await?.ok_or_else(AppError::case_not_found)?;
        if locked.stage != case.stage {
            // Moved on since it was read (another callback reopened it, say).
            return Err(AppError::conflict("not_closed", "只能对已办结或阶段性办结的案件回访"));
        }
        followup::insert_callback(
            &mut tx,
            self.cipher.as_ref(),
            case_id,
            now,
            channel_code,
            result_code,
            sat,
            followup::CallbackComment { screened, original: &cb.comment },
            user.map(|u| u.id),
        )
        .await?;
        let entry = match user {
            Some(u) => u.audit(
                now,
                "case.callback",
                "case",
                case_id,
                serde_json::json!({ "channel": channel_code, "result": result_code, "satisfaction": sat }),
            ),
            None => AuditEntry {
                at_ms: now,
                actor_user_id: None,
                actor_unit_id: None,
                actor_name: "举报人（回访链接）".into(),
                action: "case.callback".into(),
                entity_type: "case".into(),
                entity_id: case_id.to_string(),
                detail: serde_json::json!({ "channel": channel_code, "result": result_code, "satisfaction": sat }),
            },
        };
        audit::append(&mut tx, &entry).await?;
        if review {
            cases::update(
                &mut tx,
                case_id,
                locked.version,
                &cases::CasePatch {
                    stage: Some(Stage::AwaitingVerification.code().into()),
                    ..Default::default()
                },
                now,
            )
            .await?;
            let mut e = entry.clone();
            e.action = "case.transition".into();
            e.detail = serde_json::json!({ "action": "reopen_for_review", "from": stage.code(), "to": "awaiting_verification", "reason": format!("回访不满意：{screened}") });
            audit::append(&mut tx, &e).await?;
            if let Some(county) = case.county_unit_id {
                self.enqueue_notice(
                    &mut tx,
                    &NewMessage {
                        kind: "case".into(),
                        channel: "inbox".into(),
                        unit_id: Some(county),
                        user_id: None,
                        subject: format!("回访不满意，请复核 {}", case.accept_no),
                        body: if screened.is_empty() {
                            "群众回访表示不满意，请复核办理情况。".into()
                        } else {
                            format!("群众回访表示不满意：{screened}")
                        },
                        payload: serde_json::json!({ "case_id": case.id, "accept_no": case.accept_no }),
                        created_at: now,
                        deliver_after: now,
                        override_reason: None,
                    },
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(review)
    }

    /// An operator's callback from the form/API.
    pub async fn operator_callback(
        &self,
        user: &CurrentUser,
        case_id: i64,
        input: &CallbackInput,
    ) -> Result<bool> {
        if !matches!(user.role, Role::Operator | Role::Team) {
            return Err(AppError::forbidden("回访由热线接线员或督察组记录"));
        }
        self.visible_case(user, case_id).await?;
        let channel = match input.channel.trim() {
            "phone" => CallbackChannel::Phone,
            "visit" => CallbackChannel::Visit,
            other => return Err(AppError::invalid("channel", format!("未知的回访方式“{other}”"))),
        };
        let result = callback_result(&input.result, input.satisfaction.as_deref())?;
        self.record_callback(Some(user), case_id, channel, result, &input.comment, None).await
    }

    /// A signed, expiring one-page link for the complainant, sent by SMS to the phone they left (the
    /// number is decrypted only by the delivery worker). Returns the link.
    pub async fn send_callback_link(&self, user: &CurrentUser, case_id: i64) -> Result<String> {
        if !matches!(user.role, Role::Operator | Role::Team) {
            return Err(AppError::forbidden("回访链接由热线接线员或督察组发送"));
        }
        let case = self.visible_case(user, case_id).await?;
        if !matches!(Stage::parse(&case.stage)?, Stage::Closed | Stage::PartlyClosed) {
            return Err(AppError::conflict("not_closed", "只能对已办结或阶段性办结的案件回访"));
        }
        if case.has_identity == 0 {
            return Err(AppError::conflict("no_phone", "匿名举报，未留联系电话，无法发送回访链接"));
        }
        let campaign = self.campaign().await?;
        let settings = CampaignSettings::of(&campaign);
        let token = crate::auth::random_token();
        let now = self.now_ms();
        let link = format!("{}/huifang/{token}", self.cfg.public_base_url.trim_end_matches('/'));
        let mut tx = self.store.begin().await?;
        followup::insert_link(
            &mut tx,
            &crate::auth::token_hash(&token),
            case_id,
            now,
            now + i64::from(settings.callback_link_days) * 86_400_000,
        )
        .await?;
        ducha_store::outbox::enqueue(
            &mut tx,
            &NewMessage {
                kind: "callback_link".into(),
                channel: "sms".into(),
                unit_id: None,
                user_id: None,
                subject: "回访".into(),
                body: format!(
                    "【督察举报回访】您反映的问题（受理编号{}）已办理，请点击评价：{link}",
                    case.accept_no
                ),
                payload: serde_json::json!({ "case_id": case_id }),
                created_at: now,
                deliver_after: now,
                override_reason: None,
            },
        )
        .await?;
        audit::append(
            &mut tx,
            &user.audit(
                now,
                "case.callback_link",
                "case",
                case_id,
                serde_json::json!({ "expires_days": settings.callback_link_days }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(link)
    }

    /// The case a callback link is for, if the link is valid: (case id, accept number, redacted text).
    pub async fn callback_link_case(&self, token: &str) -> Result<(i64, String, String)> {
        let (case_id, expires, used) = followup::link(&self.store, &crate::auth::token_hash(token))
            .await?
            .ok_or_else(|| AppError::not_found("link_invalid", "回访链接无效"))?;
        if used.is_some() {
            return Err(AppError::conflict("link_used", "该回访链接已使用过，感谢您的评价"));
        }
        if expires < self.now_ms() {
            return Err(AppError::conflict("link_expired", "回访链接已过期，如需评价请拨打督察举报电话"));
        }
        let c = cases::get(&self.store, case_id)
            .await?
            .ok_or_else(|| AppError::not_found("link_invalid", "回访链接无效"))?;
        // The page is public: the text goes through the case's firewall.
        let text = self.screen_for_case(c.id, &c.redacted_text).await?.into_string();
        Ok((c.id, c.accept_no, text))
    }

    /// The complainant answers through the link (once).
    pub async fn answer_callback_link(&self, token: &str, satisfaction: &str, comment: &str) -> Result<bool> {
        let (case_id, _, _) = self.callback_link_case(token).await?;
        let result = CallbackResult::Answered { satisfaction: Satisfaction::parse(satisfaction)? };
        let hash = crate::auth::token_hash(token);
        self.record_callback(None, case_id, CallbackChannel::WebForm, result, comment, Some(&hash)).await
    }
}

// ---- metrics ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MetricsRow {
    pub key: String,
    pub label: String,
    #[schema(value_type = Object)]
    pub metrics: OutcomeMetrics,
}

impl App {
    /// Outcome facts of the handled cases within the user's scope (no field for photos, attachments
    /// or documents exists in them: R5.4).
    pub async fn case_outcomes(
        &self,
        user: &CurrentUser,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<CaseOutcome>> {
        let campaign = self.campaign().await?;
        let filter = cases::CaseFilter {
            campaign_id: Some(campaign.id),
            received_from: from.map(|t| t.timestamp_millis()),
            received_to: to.map(|t| t.timestamp_millis()),
            limit: 500,
            ..Default::default()
        };
        let passes: HashMap<i64, i64> = followup::first_pass_times(&self.store).await?.into_iter().collect();
        let mut callbacks: HashMap<i64, Vec<CallbackFact>> = HashMap::new();
        for c in followup::all_callbacks(&self.store).await? {
            let result = match (c.result.as_str(), c.satisfaction.as_deref()) {
                ("answered", Some(s)) => match Satisfaction::parse(s) {
                    Ok(s) => CallbackResult::Answered { satisfaction: s },
                    Err(_) => continue,
                },
                ("declined", _) => CallbackResult::Declined,
                _ => CallbackResult::NotReached,
            };
            callbacks.entry(c.case_id).or_default().push(CallbackFact { at: from_millis(c.at), result });
        }
        let mut out = Vec::new();
        let mut offset = 0;
        loop {
            let (rows, _) =
                cases::list(&self.store, user.scope(), &cases::CaseFilter { offset, ..filter.clone() })
                    .await?;
            if rows.is_empty() {
                break;
            }
            offset += rows.len() as i64;
            for c in rows {
                let Some(handler) = c.handler_unit_id else { continue };
                let asg = cases::assignments(&self.store, c.id).await?;
                let Some(lead) = asg.iter().rev().find(|a| a.unit_id == handler && a.status != "returned")
                else {
                    continue;
                };
                let stage = Stage::parse(&c.stage)?;
                let unit = directory::unit(&self.store, handler).await?.map(|u| u.name).unwrap_or_default();
                out.push(CaseOutcome {
                    case_id: c.id.to_string(),
                    unit,
                    county_code: c.county_code.clone().unwrap_or_default(),
                    campaign: campaign.id.to_string(),
                    assigned_at: from_millis(lead.delivered_at.unwrap_or(lead.created_at)),
                    acknowledged_at: lead.acknowledged_at.map(from_millis),
                    due_at: from_millis(lead.due_at.or(c.due_at).unwrap_or(lead.created_at)),
                    finding: c.finding.as_deref().and_then(|f| Finding::parse(f).ok()),
                    closure: ClosureState::from_stage(stage),
                    closed_at: passes.get(&c.id).map(|&t| from_millis(t)),
                    callbacks: callbacks.remove(&c.id).unwrap_or_default(),
                    repeat_complaints: u32::try_from(c.repeat_count).unwrap_or(0),
                });
            }
        }
        Ok(out)
    }

    /// R5.4 outcome metrics grouped by county, and by handling unit.
    pub async fn outcome_metrics(&self, user: &CurrentUser, group_by_unit: bool) -> Result<Vec<MetricsRow>> {
        let outcomes = self.case_outcomes(user, None, None).await?;
        let now = self.clock.now();
        let cfg = MetricsConfig::default();
        let mut rows = Vec::new();
        let grouped = if group_by_unit {
            outcome_metrics_by(&outcomes, |o| o.unit.clone(), now, &cfg)
        } else {
            outcome_metrics_by(&outcomes, |o| o.county_code.clone(), now, &cfg)
        };
        for (k, m) in grouped {
            let label = if group_by_unit {
                k.clone()
            } else {
                directory::region(&self.store, &k).await?.map(|r| r.short_name).unwrap_or_else(|| k.clone())
            };
            rows.push(MetricsRow { key: k, label, metrics: m });
        }
        let all = ducha_domain::metrics::outcome_metrics(outcomes.iter(), now, &cfg);
        rows.push(MetricsRow { key: "all".into(), label: "合计".into(), metrics: all });
        Ok(rows)
    }
}

// ---- R6 discipline channel -------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DisciplineView {
    pub id: i64,
    pub at: i64,
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
    pub status: String,
}

impl App {
    /// Anyone (staff or public) may report the inspection team's own conduct. Returns the report id.
    pub async fn submit_discipline_report(&self, mut report: DisciplineReport) -> Result<i64> {
        report.received_at = self.clock.now();
        report.validate()?;
        let contact = report.contact.take();
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let json = serde_json::to_string(&report).map_err(|e| AppError::internal(e.to_string()))?;
        let id = followup::insert_discipline(&mut tx, self.cipher.as_ref(), now, &json, contact.as_deref())
            .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                at_ms: now,
                actor_user_id: None,
                actor_unit_id: None,
                actor_name: "督察纪律监督渠道".into(),
                action: "discipline.received".into(),
                entity_type: "discipline".into(),
                entity_id: id.to_string(),
                detail: serde_json::json!({}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Only the provincial office reads discipline reports; every read is audited.
    pub async fn discipline_reports(&self, user: &CurrentUser) -> Result<Vec<DisciplineView>> {
        if !may_read_discipline(user.role) {
            return Err(AppError::forbidden("督察纪律问题反映仅省督察办可查看"));
        }
        let rows = followup::discipline_reports(&self.store).await?;
        let mut tx = self.store.begin().await?;
        audit::append(
            &mut tx,
            &user.audit(
                self.now_ms(),
                "discipline.read",
                "discipline",
                "list",
                serde_json::json!({ "count": rows.len() }),
            ),
        )
        .await?;
        tx.commit().await?;
        // A discipline report exists to name the team member concerned: names stay, contact data of
        // anyone (the reporter's own phone typed into the facts, say) is hidden.
        let shield = self.shield_none().await?.keeping_names();
        Ok(rows
            .into_iter()
            .map(|r| DisciplineView {
                id: r.id,
                at: r.at,
                report: crate::queries::screen_json(
                    &shield,
                    serde_json::from_str(&r.report).unwrap_or_default(),
                ),
                status: r.status,
            })
            .collect())
    }
}
