//! The demo's publications (`ducha demo`): every fully handled batch published through the real
//! workflow, the most recent left for the gap dashboard.

use ducha_domain::role::Role;
use ducha_domain::workflow::Stage;
use ducha_store::batches;
use ducha_store::cases::{self, CaseFilter, CaseRow, Scope};
use ducha_store::directory;

use crate::auth::CurrentUser;
use crate::{App, Result};

impl App {
    /// `ducha demo`: publish, through the real workflow, every batch whose cases in a column are all
    /// handled (a finding recorded or closed) — the county columns by their offices, the city column by
    /// the city office. The most recent batches stay unpublished, so the gap dashboard has something to
    /// show.
    pub async fn seed_disclosure_demo(&self) -> Result<String> {
        let campaign = self.campaign().await?;
        // The first office account of each unit drafts; a second one (the demo's `s-…`), if any, approves.
        let (offices, reviewers): (Vec<CurrentUser>, Vec<CurrentUser>) = {
            let mut drafters: Vec<CurrentUser> = Vec::new();
            let mut approvers: Vec<CurrentUser> = Vec::new();
            for u in directory::users(&self.store).await? {
                if u.role == Role::Office.code() {
                    let u = self.load_user(u.id).await?;
                    if drafters.iter().any(|d| d.unit.id == u.unit.id) {
                        if !approvers.iter().any(|a| a.unit.id == u.unit.id) {
                            approvers.push(u);
                        }
                    } else {
                        drafters.push(u);
                    }
                }
            }
            (drafters, approvers)
        };
        let handled = |c: &CaseRow| {
            c.finding.is_some() || matches!(c.stage, Stage::Closed | Stage::PartlyClosed | Stage::Duplicate)
        };
        let mut published = 0usize;
        let mut columns = 0usize;
        for user in &offices {
            let Ok(column) = self.column_of(user).await else { continue };
            let mut any = false;
            for b in batches::list(&self.store, campaign.id).await? {
                let f = CaseFilter {
                    campaign_id: Some(campaign.id),
                    batch_id: Some(b.id),
                    county_code: column.county_code.clone(),
                    limit: 500,
                    ..CaseFilter::default()
                };
                let (rows, _) = cases::list(&self.store, Scope::All, &f).await?;
                if rows.is_empty() || !rows.iter().all(handled) {
                    continue;
                }
                let d = self.draft_disclosure(user, b.id).await?;
                // Four-eyes: another office account of the unit reviews and publishes.
                let approver = reviewers.iter().find(|r| r.unit.id == user.unit.id).unwrap_or(user);
                self.review_disclosure(approver, d.id).await?;
                self.publish_disclosure(approver, d.id).await?;
                published += 1;
                any = true;
            }
            if any {
                columns += 1;
            }
        }
        Ok(format!("已发布边督边改公开信息 {published} 期（{columns} 个专栏）。"))
    }
}
