//! Read-only look-ups the pages and the API need beside the use cases — the division tree, units, a
//! case's accept number and callbacks, the publication stamp — and the store's row and filter types,
//! re-exported so that the web layer names them through the app and never calls the store itself.

pub use ducha_store::cases::{AssignmentRow, CaseFilter, CaseRow, ComplainantIdentity};
pub use ducha_store::directory::{CampaignRow, RegionRow, UnitRow};
pub use ducha_store::followup::{AttachmentRow, CallbackRow};
pub use ducha_store::handling::AlertRow;
pub use ducha_store::opinion::{ItemFilter, ItemScope};
pub use ducha_store::sessions::SessionRow;

use ducha_store::{cases, directory, disclosure, followup};

use crate::auth::CurrentUser;
use crate::{App, Result};

impl App {
    /// A division by its code.
    pub async fn region(&self, code: &str) -> Result<Option<RegionRow>> {
        Ok(directory::region(&self.store, code).await?)
    }

    /// A division's short name (濮阳县), or `None` if the code is unknown.
    pub async fn region_short_name(&self, code: &str) -> Result<Option<String>> {
        Ok(self.region(code).await?.map(|r| r.short_name))
    }

    /// The counties (县、区、开发区) of the city, by code.
    pub async fn counties(&self) -> Result<Vec<RegionRow>> {
        Ok(directory::regions_by_level(&self.store, "county").await?)
    }

    /// All townships and streets of the city, by code.
    pub async fn townships(&self) -> Result<Vec<RegionRow>> {
        Ok(directory::regions_by_level(&self.store, "township").await?)
    }

    /// The divisions directly under one, by code.
    pub async fn regions_under(&self, parent: &str) -> Result<Vec<RegionRow>> {
        Ok(directory::regions_under(&self.store, parent).await?)
    }

    /// Each county with its townships, for the pickers on intake and correction forms.
    pub async fn county_tree(&self) -> Result<Vec<(RegionRow, Vec<RegionRow>)>> {
        let mut out = Vec::new();
        for c in self.counties().await? {
            let towns = self.regions_under(&c.code).await?;
            out.push((c, towns));
        }
        Ok(out)
    }

    /// A unit by id.
    pub async fn unit(&self, id: i64) -> Result<Option<UnitRow>> {
        Ok(directory::unit(&self.store, id).await?)
    }

    /// The accept number of a case, whoever may see it: used to name a duplicate's primary report
    /// (the number is on every public page of the batch).
    pub async fn accept_no_of(&self, case_id: i64) -> Result<Option<String>> {
        Ok(cases::get(&self.store, case_id).await?.map(|c| c.accept_no))
    }

    /// The callbacks of a case the user may see; comments are the firewalled text (the original is
    /// sealed, see [`App::read_identity_with_comments`]).
    pub async fn case_callbacks(&self, user: &CurrentUser, id: i64) -> Result<Vec<CallbackRow>> {
        self.visible_case(user, id).await?;
        Ok(followup::callbacks(&self.store, id).await?)
    }

    /// Whether the database answers, and which backend it is (`sqlite` / `postgres`), for `/healthz`.
    pub async fn db_health(&self) -> Result<&'static str> {
        self.store.ping().await?;
        Ok(self.store.backend().name())
    }

    /// How many disclosures are published and when the last one was: the public column's cache key.
    pub async fn publication_stamp(&self) -> Result<(i64, i64)> {
        Ok(disclosure::publication_stamp(&self.store).await?)
    }
}
