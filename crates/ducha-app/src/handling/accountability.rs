//! Accountability (R4): the people held to account, linked to cases with a substantiated finding
//! (R4.1, R4.4), 容错 exemptions (R4.3), the staff list and the public summary.

use std::collections::HashMap;

use ducha_domain::accountability::{
    AccountabilityRecord, AccountabilitySummary, FaultTolerance, check_linked_findings,
};
use ducha_domain::handling::Finding;
use ducha_domain::role::Role;
use ducha_domain::unit::UnitLevel;
use ducha_store::accountability::{self, NewAccountability};
use ducha_store::audit;
use ducha_store::cases;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::{App, AppError, Result};

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
