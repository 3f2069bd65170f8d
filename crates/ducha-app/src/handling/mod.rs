//! Handling to a verified close (issue 5): the one structured handling report per case (R5.5) with its
//! R1.1/R1.2 checks on shutdown-type measures. The rest of the road to a close lives in the submodules:
//! the blanket-shutdown detectors (R1), verification with on-site sampling, accountability and 容错 (R4),
//! callbacks, outcome metrics (R5.4) and the confidential discipline channel (R6).

mod accountability;
mod callbacks;
mod discipline;
mod metrics;
mod shutdown;
mod verification;

use chrono::NaiveDate;
use ducha_domain::handling::{HandlingReport, render_closure_target, render_handling, render_investigation};
use ducha_domain::role::Role;
use ducha_domain::shutdown::{check_second_approval, check_shutdown_measure};
use ducha_domain::time::{from_millis, to_cst};
use ducha_domain::workflow::Stage;
use ducha_store::Tx;
use ducha_store::audit;
use ducha_store::handling::{self as hstore, NewShutdown};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::settings::CampaignSettings;
use crate::{App, AppError, Result};

pub use accountability::AccountabilityView;
pub use callbacks::CallbackInput;
pub use discipline::DisciplineView;
pub use metrics::MetricsRow;

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
        let stage = case.stage;
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
        let stage = case.stage;
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
}
