//! Outcome metrics (R5.4): the outcome facts of handled cases within a user's scope, grouped by
//! county or by handling unit.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use ducha_domain::callback::{CallbackResult, Satisfaction};
use ducha_domain::closure::ClosureState;
use ducha_domain::handling::Finding;
use ducha_domain::metrics::{CallbackFact, CaseOutcome, MetricsConfig, OutcomeMetrics, outcome_metrics_by};
use ducha_domain::time::from_millis;
use ducha_store::cases;
use ducha_store::directory;
use ducha_store::followup;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::{App, Result};

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
                let stage = c.stage;
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
