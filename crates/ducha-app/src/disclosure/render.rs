//! Rendering a column's disclosure of one batch: the cases as [`PublicCase`] rows through the firewall,
//! the accountability summary and the public reaction, and what the firewall found in staff-typed text.

use std::collections::HashMap;

use ducha_domain::accountability::{AccountabilityRecord, AccountabilitySummary};
use ducha_domain::callback::Satisfaction;
use ducha_domain::disclosure::{
    self, BatchRef, CaseFacts, ColumnRef, PublicAccountabilityDoc, PublicCase, PublicReaction,
};
use ducha_domain::handling::{Finding, HandlingReport};
use ducha_domain::time::{from_millis, to_cst};
use ducha_domain::unit::UnitLevel;
use ducha_domain::workflow::Stage;
use ducha_store::batches::BatchRow;
use ducha_store::cases::{self, CaseFilter, CaseRow, Scope};
use ducha_store::directory::{self, CampaignRow, RegionRow};
use ducha_store::disclosure::{self as store};
use ducha_store::{accountability, handling};

use super::{DisclosureDoc, IdentityHit, campaign_layout, date, public_text};
use crate::{App, Result};

/// Stored satisfaction answers (code or label) into the public reaction counts.
fn reaction_of(counts: &[(String, i64)], repeats: i64) -> PublicReaction {
    let mut r = PublicReaction { repeat_complaints: repeats.max(0) as usize, ..PublicReaction::default() };
    for (k, n) in counts {
        let n = (*n).max(0) as usize;
        match Satisfaction::parse(k) {
            Ok(Satisfaction::Satisfied) => r.satisfied += n,
            Ok(Satisfaction::BasicallySatisfied) => r.basically_satisfied += n,
            Ok(Satisfaction::Dissatisfied) => r.unsatisfied += n,
            Err(_) => {}
        }
    }
    r
}

impl App {
    /// Render what a column's disclosure of one batch shows now, and the ids of the cases in it.
    pub async fn render_disclosure(
        &self,
        campaign: &CampaignRow,
        batch: &BatchRow,
        column: &ColumnRef,
    ) -> Result<(DisclosureDoc, Vec<i64>, Vec<IdentityHit>)> {
        let mut rows_db: Vec<CaseRow> = Vec::new();
        let mut offset = 0;
        loop {
            let f = CaseFilter {
                campaign_id: Some(campaign.id),
                batch_id: Some(batch.id),
                county_code: column.county_code.clone(),
                limit: 500,
                offset,
                ..CaseFilter::default()
            };
            let (page, total) = cases::list(&self.store, Scope::All, &f).await?;
            let n = page.len() as i64;
            rows_db.extend(page);
            offset += n;
            if n == 0 || offset >= total {
                break;
            }
        }
        rows_db.retain(|c| c.stage != Stage::Duplicate);
        rows_db.sort_by_key(|c| (c.received_at, c.id));
        let ids: Vec<i64> = rows_db.iter().map(|c| c.id).collect();

        let reports: HashMap<i64, HandlingReport> = handling::reports_for(&self.store, &ids)
            .await?
            .into_iter()
            .filter_map(|r| {
                serde_json::from_str::<HandlingReport>(&r.report).ok().map(|rep| (r.case_id, rep))
            })
            .collect();
        let acc_rows = accountability::for_cases(&self.store, campaign.id, &ids).await?;
        let acc: Vec<(Vec<i64>, AccountabilityRecord)> = acc_rows
            .iter()
            .filter_map(|r| {
                let rec = serde_json::from_str::<AccountabilityRecord>(&r.record).ok()?;
                let case_ids = serde_json::from_str::<Vec<i64>>(&r.case_ids).unwrap_or_default();
                Some((case_ids, rec))
            })
            .collect();

        let shields = self.shields(&ids).await?;
        let mut hits: Vec<IdentityHit> = Vec::new();
        let mut regions: HashMap<String, Option<RegionRow>> = HashMap::new();
        let mut agencies: HashMap<i64, String> = HashMap::new();
        let mut public = Vec::with_capacity(rows_db.len());
        for (i, c) in rows_db.iter().enumerate() {
            let stage = c.stage;
            let assigned_at = cases::assignments(&self.store, c.id)
                .await?
                .iter()
                .filter(|a| a.level == UnitLevel::City.code())
                .map(|a| a.created_at)
                .min()
                .or(batch.assigned_at);
            let agency = match c.county_unit_id {
                Some(u) => match agencies.get(&u) {
                    Some(n) => n.clone(),
                    None => {
                        let name = directory::unit(&self.store, u).await?.map(|x| x.name).unwrap_or_default();
                        agencies.insert(u, name.clone());
                        name
                    }
                },
                None => String::new(),
            };
            let facts = CaseFacts {
                accept_no: c.accept_no.clone(),
                redacted_text: public_text(&c.redacted_text),
                county_code: c.county_code.clone().filter(|x| x != "OUTSIDE"),
                county_name: self.region_name(&mut regions, &c.county_code).await?,
                township_name: self.region_name(&mut regions, &c.township_code).await?,
                village_name: self.region_name(&mut regions, &c.village_code).await?,
                pollution_types: c
                    .pollution_types
                    .split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
                sansan: c.sansan.clone(),
                stage,
                finding: c.finding.as_deref().and_then(|f| Finding::parse(f).ok()),
                received_at: from_millis(c.received_at),
                assigned_at: assigned_at.map(from_millis),
                updated_at: from_millis(c.updated_at),
                agency,
            };
            let linked = AccountabilitySummary::new(
                acc.iter().filter(|(ids, _)| ids.contains(&c.id)).map(|(_, r)| r.clone()),
            )
            .public_view();
            let shield = shields.get(&c.id).cloned().unwrap_or_default();
            // Staff-typed report text should hold no identity at all: what the firewall hides there is
            // listed for the office, and the version is not published until the report is edited.
            if let Some(r) = reports.get(&c.id) {
                use ducha_domain::handling::{render_closure_target, render_handling, render_investigation};
                for (field, text) in [
                    ("调查核实情况", render_investigation(r)),
                    ("处理和整改情况", render_handling(r)),
                    ("办结目标", render_closure_target(r)),
                ] {
                    hits.extend(
                        shield
                            .findings(&text)
                            .into_iter()
                            .map(|f| IdentityHit::of(Some(c.id), &c.accept_no, field, f)),
                    );
                }
            }
            public.push(PublicCase::build((i + 1) as u32, &facts, reports.get(&c.id), &linked, &shield));
        }
        let all = AccountabilitySummary::new(acc.iter().map(|(_, r)| r.clone())).public_view();
        let accountability = PublicAccountabilityDoc::from(&all);
        let reaction = reaction_of(
            &store::callback_counts(&self.store, &ids).await?,
            store::repeat_count(&self.store, &ids).await?,
        );
        let now = self.clock.now();
        let batch_ref = BatchRef {
            campaign_name: campaign.name.clone(),
            team_name: campaign.team_name.clone(),
            number: batch.number.max(0) as u32,
            answering_date: date(&batch.answering_date)?,
            assigned_on: batch.assigned_at.map(|t| to_cst(from_millis(t)).date_naive()),
        };
        let summary =
            disclosure::summary_text(&batch_ref, column, &public, &accountability, to_cst(now).date_naive());
        Ok((
            DisclosureDoc {
                campaign_id: campaign.id,
                column: column.clone(),
                batch: batch_ref,
                layout: campaign_layout(campaign)?,
                as_of: now,
                summary,
                rows: public,
                accountability,
                reaction,
            },
            ids,
            hits,
        ))
    }
}
