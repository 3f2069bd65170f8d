//! The opinion desk's home figures (R3): items by status and level in the desk's jurisdiction,
//! today's volumes, and the alerts, escalations and copies still waiting to be acknowledged.

use ducha_store::opinion::{self as ostore, ItemScope};

use super::desk_scope;
use super::items::AlertView;
use crate::auth::CurrentUser;
use crate::{App, Result};

/// What the desk's home page shows besides the item lists.
#[derive(Debug, Clone, Default)]
pub struct DeskOverview {
    /// 全市, or the county's short name.
    pub scope_label: String,
    /// (status code, level code, number of original items).
    pub counts: Vec<(String, String, i64)>,
    /// Today (Beijing date, `YYYY-MM-DD`).
    pub today: String,
    pub today_originals: i64,
    pub today_reposts: i64,
    pub today_negative: i64,
    /// Alerts, escalations and copies on items in scope that nobody has acknowledged yet.
    pub pending_acks: Vec<AlertView>,
}

impl App {
    /// The home figures of the user's desk (`forbidden` for users who are not an opinion desk).
    pub async fn desk_overview(&self, user: &CurrentUser) -> Result<DeskOverview> {
        let scope = desk_scope(user)?;
        let mut out = DeskOverview {
            scope_label: match &scope {
                ItemScope::County(c) => self.region_short_name(c).await?.unwrap_or_default(),
                _ => "全市".into(),
            },
            counts: ostore::status_counts(&self.store, &scope).await?,
            today: ducha_domain::time::to_cst(self.clock.now()).format("%Y-%m-%d").to_string(),
            ..DeskOverview::default()
        };
        for (_, o, r, n) in ostore::day_volumes(&self.store, &scope, &out.today, &out.today).await? {
            out.today_originals = o;
            out.today_reposts = r;
            out.today_negative = n;
        }
        let pending =
            ostore::unacknowledged(&self.store, &["alert", "escalation", "copy"], self.now_ms()).await?;
        let in_scope = ostore::items_in_scope(
            &self.store,
            &scope,
            &pending.iter().map(|a| a.item_id).collect::<Vec<_>>(),
        )
        .await?;
        for a in pending {
            if in_scope.contains(&a.item_id) {
                out.pending_acks.push(self.alert_view(a).await?);
            }
        }
        Ok(out)
    }
}
