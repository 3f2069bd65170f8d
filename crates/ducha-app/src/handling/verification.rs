//! Verification by the county (R1.4, R4.2) with the on-site re-check sample, and the reopening of a
//! closed case when a repeat complaint about it arrives within the window.

use ducha_domain::accountability::AccountabilityRecord;
use ducha_domain::closure::{
    ClosureState, Verification, VerificationOutcome, check_can_close, pick_onsite_sample,
    should_reopen_on_repeat,
};
use ducha_domain::time::from_millis;
use ducha_domain::workflow::Stage;
use ducha_store::Tx;
use ducha_store::accountability;
use ducha_store::audit::{self, AuditEntry};
use ducha_store::cases::{self, CaseRow, Scope};
use ducha_store::directory::CampaignRow;
use ducha_store::followup;
use ducha_store::handling as hstore;
use ducha_store::outbox::NewMessage;

use super::date_of;
use crate::auth::CurrentUser;
use crate::error::ErrorKind;
use crate::settings::CampaignSettings;
use crate::{App, AppError, Result};

impl App {
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
        let stage = primary.stage;
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
