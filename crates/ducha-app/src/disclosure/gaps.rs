//! The R2.6 completeness check: assigned cases not disclosed in their county column in time.

use ducha_domain::disclosure::{self, GapReport};
use ducha_domain::time::from_millis;
use ducha_store::disclosure::{self as store};

use crate::{App, Result};

impl App {
    /// R2.6: every assigned case not disclosed in its county column within the configured working days
    /// (campaign setting `disclosure_days`, else `public.disclosure_days`, default 1).
    pub async fn disclosure_check(&self) -> Result<GapReport> {
        let campaign = self.campaign().await?;
        let settings: serde_json::Value = serde_json::from_str(&campaign.settings).unwrap_or_default();
        let days = settings
            .get("disclosure_days")
            .and_then(|v| v.as_u64())
            .map(|d| d as u32)
            .unwrap_or(self.cfg.public.disclosure_days)
            .max(1);
        let items: Vec<disclosure::DisclosureItem> = store::assigned_cases(&self.store, campaign.id)
            .await?
            .into_iter()
            .map(|r| disclosure::DisclosureItem {
                case_id: r.case_id,
                accept_no: r.accept_no,
                column: r.county_code,
                batch_number: r.batch_number.max(0) as u32,
                assigned_at: from_millis(r.assigned_at),
                disclosed_at: r.disclosed_at.map(from_millis),
            })
            .collect();
        let cal = self.calendar();
        Ok(disclosure::disclosure_gaps(&items, self.clock.now(), days, Some(&cal)))
    }
}
