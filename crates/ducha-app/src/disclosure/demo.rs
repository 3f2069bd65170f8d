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
        let offices: Vec<CurrentUser> = {
            let mut v = Vec::new();
            for u in directory::users(&self.store).await? {
                if u.role == Role::Office.code() {
                    v.push(self.load_user(u.id).await?);
                }
            }
            v
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
                self.review_disclosure(user, d.id).await?;
                self.publish_disclosure(user, d.id).await?;
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
