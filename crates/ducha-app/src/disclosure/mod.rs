//! Disclosure while inspecting (R2): what a disclosure holds and how it is shown (this module), the
//! columns, rendering, the publication workflow of batch disclosures, the public reads of the columns
//! and Open311 intake, the R2.6 completeness check, and the demo's publications (the submodules).
//!
//! Roles: a county-level office drafts, reviews and publishes its own column; the city office the city
//! column. A published version is immutable; its SM3 content hash is written to the audit trail in the
//! same transaction. A correction is a new version with a visible note.
//!
//! Privacy: everything public is built here as [`PublicCase`] from the case's REDACTED text (passed
//! through the redactor once more, with no identity to hand) plus routing labels, types, stage and the
//! handling report's rendered columns; the snapshot stored at publication holds only public types, and
//! the public pages read nothing else.

mod columns;
mod demo;
mod gaps;
mod public;
mod publication;
mod render;

use chrono::{DateTime, NaiveDate, Utc};
use ducha_domain::disclosure::{
    self, Announcement, BatchRef, ColumnRef, Layout, PubStatus, PublicAccountabilityDoc, PublicCase,
    PublicReaction,
};
use ducha_domain::time::from_millis;
use ducha_store::directory::CampaignRow;
use ducha_store::disclosure::DisclosureRow;
use serde::{Deserialize, Serialize};

use crate::{AppError, Result};

/// Settings of the public side (in `Config::public`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct PublicConfig {
    /// R2.6: working days within which an assigned case must be disclosed (a campaign's
    /// `disclosure_days` setting overrides it).
    pub disclosure_days: u32,
    /// Open311 POST needs an `api_key` from `open311_api_keys`; otherwise anonymous posts are accepted.
    pub open311_require_api_key: bool,
    pub open311_api_keys: Vec<String>,
    /// Open311 POSTs allowed per minute per client (API key, or address when known).
    pub open311_rate_per_minute: u32,
    /// Anonymous form posts (a callback answer `POST /huifang/{token}`, a discipline report
    /// `POST /jiandu` or `POST /api/v1/discipline`) accepted per minute from one client address, also
    /// the burst size; more are answered 429 with `Retry-After`. Default 10.
    /// 公众表单限流：同一客户端地址每分钟最多提交回访评价、督察纪律反映的次数，默认 10。
    pub post_rate_per_minute: u32,
    /// The Open311 `jurisdiction_id` this deployment answers to (optional in requests).
    pub open311_jurisdiction: String,
    /// Seconds a server instance trusts its public-page cache before asking the database whether
    /// anything was published elsewhere (another instance).
    pub cache_recheck_seconds: u64,
}

impl Default for PublicConfig {
    fn default() -> Self {
        Self {
            disclosure_days: disclosure::DEFAULT_DISCLOSURE_WORKING_DAYS,
            open311_require_api_key: false,
            open311_api_keys: Vec::new(),
            open311_rate_per_minute: 10,
            post_rate_per_minute: 10,
            open311_jurisdiction: "puyang.gov.cn".into(),
            cache_recheck_seconds: 1,
        }
    }
}

/// What a published (or draft) disclosure holds: only public types. Stored as JSON in
/// `disclosures.content`; its SM3 hash is the content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureDoc {
    pub campaign_id: i64,
    pub column: ColumnRef,
    pub batch: BatchRef,
    pub layout: Layout,
    /// When the content was rendered.
    pub as_of: DateTime<Utc>,
    pub summary: String,
    pub rows: Vec<PublicCase>,
    pub accountability: PublicAccountabilityDoc,
    pub reaction: PublicReaction,
}

/// One version as the public (or a reviewer) sees it.
#[derive(Debug, Clone, Serialize)]
pub struct DisclosureView {
    pub id: i64,
    pub batch_id: i64,
    pub version: i64,
    pub status: PubStatus,
    pub note: String,
    pub content_hash: String,
    pub published_at: Option<DateTime<Utc>>,
    pub doc: DisclosureDoc,
    /// Earlier published versions (for a published one), newest first.
    pub earlier: Vec<VersionInfo>,
    /// What the identity firewall found in this version's source texts (report fields typed by staff,
    /// the correction note): hidden in the content, but a version with any is not published until the
    /// source is edited and the draft regenerated.
    pub identity_hits: Vec<IdentityHit>,
}

/// One thing the identity firewall found in a disclosure's source text, described without it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityHit {
    /// The case (none for the correction note).
    #[serde(default)]
    pub case_id: Option<i64>,
    /// The case's accept number (empty for the correction note).
    pub accept_no: String,
    /// The column or field: `调查核实情况`, `处理和整改情况`, `办结目标`, `更正说明`.
    pub field: String,
    /// What it is: `姓名`, `电话号码` …
    pub kind: String,
    /// The firewalled text around it.
    pub context: String,
}

impl IdentityHit {
    fn of(case_id: Option<i64>, accept_no: &str, field: &str, f: ducha_shield::Finding) -> Self {
        IdentityHit {
            case_id,
            accept_no: accept_no.to_owned(),
            field: field.to_owned(),
            kind: f.label,
            context: f.context,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionInfo {
    pub version: i64,
    pub note: String,
    pub content_hash: String,
    pub published_at: Option<DateTime<Utc>>,
}

/// A column's landing page data.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnIndex {
    pub column: ColumnRef,
    pub announcement: Announcement,
    /// Latest published version of each batch, by batch number.
    pub batches: Vec<DisclosureView>,
    /// The county columns (on the city column).
    pub counties: Vec<ColumnRef>,
    /// When the column last changed (latest publication).
    pub last_published: Option<DateTime<Utc>>,
}

/// One batch's row on the staff publication page.
#[derive(Debug, Clone, Serialize)]
pub struct StaffBatch {
    pub batch_id: i64,
    pub number: i64,
    pub answering_date: String,
    pub cases: usize,
    pub versions: Vec<VersionInfoStaff>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionInfoStaff {
    pub id: i64,
    pub version: i64,
    pub status: PubStatus,
    pub note: String,
    pub content_hash: String,
    pub updated_at: DateTime<Utc>,
    /// What the firewall found in the version's source texts (it is not published while any remain).
    pub identity_hits: Vec<IdentityHit>,
}

fn parse_doc(row: &DisclosureRow) -> Result<DisclosureDoc> {
    serde_json::from_str(&row.content)
        .map_err(|e| AppError::internal(format!("disclosure {} content unreadable: {e}", row.id)))
}

fn view_of(row: &DisclosureRow, earlier: Vec<VersionInfo>) -> Result<DisclosureView> {
    Ok(DisclosureView {
        id: row.id,
        batch_id: row.batch_id,
        version: row.version,
        status: PubStatus::parse(&row.status)?,
        // Public: through the firewall (notes written before it was are screened on the way out).
        note: ducha_shield::Shield::none().screen(&row.note).into_string(),
        content_hash: row.content_hash.clone(),
        published_at: row.published_at.map(from_millis),
        doc: parse_doc(row)?,
        earlier,
        identity_hits: serde_json::from_str(&row.identity_hits).unwrap_or_default(),
    })
}

fn info_of(row: &DisclosureRow) -> VersionInfo {
    VersionInfo {
        version: row.version,
        note: ducha_shield::Shield::none().screen(&row.note).into_string(),
        content_hash: row.content_hash.clone(),
        published_at: row.published_at.map(from_millis),
    }
}

/// The campaign's table layout (`settings.disclosure_layout`: "2023" | "legacy").
pub fn campaign_layout(c: &CampaignRow) -> Result<Layout> {
    let settings: serde_json::Value = serde_json::from_str(&c.settings).unwrap_or_default();
    let s = settings.get("disclosure_layout").and_then(|v| v.as_str()).unwrap_or("2023");
    Ok(Layout::parse(s)?)
}

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| AppError::internal(format!("bad date {s}")))
}

/// The public text of a case with no identity at hand: its stored redacted text through the firewall's
/// general rules (idempotent: text that went through it at intake does not change). Where the case is
/// known, [`App::shields`](crate::App::shields) screens with its identity too.
pub fn public_text(redacted_text: &str) -> String {
    ducha_shield::Shield::none().screen(redacted_text).into_string()
}
