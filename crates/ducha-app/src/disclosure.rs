//! Disclosure while inspecting (R2): the publication workflow of batch disclosures, the public reads of
//! the columns, the R2.6 completeness check, Open311 intake, and the demo's publications.
//!
//! Roles: a county-level office drafts, reviews and publishes its own column; the city office the city
//! column. A published version is immutable; its SM3 content hash is written to the audit trail in the
//! same transaction. A correction is a new version with a visible note.
//!
//! Privacy: everything public is built here as [`PublicCase`] from the case's REDACTED text (passed
//! through the redactor once more, with no identity to hand) plus routing labels, types, stage and the
//! handling report's rendered columns; the snapshot stored at publication holds only public types, and
//! the public pages read nothing else.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use ducha_domain::accountability::{AccountabilityRecord, AccountabilitySummary};
use ducha_domain::calendar::WorkCalendar;
use ducha_domain::callback::Satisfaction;
use ducha_domain::campaign::AnsweringHours;
use ducha_domain::disclosure::{
    self, Announcement, BatchRef, CaseFacts, ColumnRef, GapReport, Layout, PubStatus, PubStep,
    PublicAccountabilityDoc, PublicCase, PublicReaction,
};
use ducha_domain::handling::{Finding, HandlingReport};
use ducha_domain::role::Role;
use ducha_domain::time::{from_millis, to_cst};
use ducha_domain::unit::UnitLevel;
use ducha_domain::workflow::Stage;
use ducha_store::audit::{self, AuditEntry};
use ducha_store::batches::{self, BatchRow};
use ducha_store::cases::{self, CaseFilter, CaseRow, ComplainantIdentity, Scope};
use ducha_store::directory::{self, CampaignRow, RegionRow};
use ducha_store::disclosure::{self as store, DisclosureRow, NewDisclosure};
use ducha_store::{accountability, handling};
use serde::{Deserialize, Serialize};

use crate::auth::CurrentUser;
use crate::intake::IntakeInput;
use crate::{App, AppError, Result};

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

fn hours(c: &CampaignRow) -> AnsweringHours {
    let t = |s: &str| chrono::NaiveTime::parse_from_str(s, "%H:%M").ok();
    match (t(&c.hours_start), t(&c.hours_end)) {
        (Some(start), Some(end)) => AnsweringHours { start, end },
        _ => AnsweringHours::default(),
    }
}

fn audit_public(
    now: i64,
    user: &CurrentUser,
    action: &str,
    id: i64,
    detail: serde_json::Value,
) -> AuditEntry {
    user.audit(now, action, "disclosure", id, detail)
}

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

/// The public text of a case with no identity at hand: its stored redacted text through the firewall's
/// general rules (idempotent: text that went through it at intake does not change). Where the case is
/// known, [`App::shields`] screens with its identity too.
pub fn public_text(redacted_text: &str) -> String {
    ducha_shield::Shield::none().screen(redacted_text).into_string()
}

impl App {
    // ---- columns ----------------------------------------------------------------------------

    async fn region_name(
        &self,
        cache: &mut HashMap<String, Option<RegionRow>>,
        code: &Option<String>,
    ) -> Result<String> {
        let Some(code) = code.as_deref().filter(|c| !c.is_empty()) else { return Ok(String::new()) };
        if !cache.contains_key(code) {
            let r = directory::region(&self.store, code).await?;
            cache.insert(code.to_owned(), r);
        }
        Ok(cache.get(code).and_then(|r| r.as_ref()).map(|r| r.short_name.clone()).unwrap_or_default())
    }

    /// The column for a county-level region code, or the city's (`None`). Unknown codes are not found.
    pub async fn column(&self, county_code: Option<&str>) -> Result<ColumnRef> {
        match county_code {
            None => {
                let campaign = self.campaign().await?;
                let city = directory::unit(&self.store, campaign.city_unit_id).await?;
                let name = match city.and_then(|u| u.region_code) {
                    Some(code) => directory::region(&self.store, &code).await?.map(|r| r.short_name),
                    None => None,
                };
                Ok(ColumnRef { county_code: None, name: name.unwrap_or_else(|| "全市".into()) })
            }
            Some(code) => {
                let not_found = || AppError::not_found("column_not_found", "未找到该县（区）的公开专栏");
                if code.is_empty() || code.len() > 12 || !code.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(not_found());
                }
                directory::county_unit_for_region(&self.store, code).await?.ok_or_else(not_found)?;
                let r = directory::region(&self.store, code).await?.ok_or_else(not_found)?;
                Ok(ColumnRef { county_code: Some(code.to_owned()), name: r.short_name })
            }
        }
    }

    /// Every county-level column (one per county-level office).
    pub async fn county_columns(&self) -> Result<Vec<ColumnRef>> {
        let mut out = Vec::new();
        for u in directory::units(&self.store).await? {
            if u.level != UnitLevel::County.code() {
                continue;
            }
            let Some(code) = u.region_code else { continue };
            let name = directory::region(&self.store, &code).await?.map(|r| r.short_name).unwrap_or(u.name);
            out.push(ColumnRef { county_code: Some(code), name });
        }
        out.sort_by(|a, b| a.county_code.cmp(&b.county_code));
        Ok(out)
    }

    /// The column a staff user publishes: a county office its county's, the city office the city's.
    pub async fn column_of(&self, user: &CurrentUser) -> Result<ColumnRef> {
        if user.role != Role::Office {
            return Err(AppError::forbidden("只有市、县（区）攻坚办可以编辑和发布边督边改公开信息"));
        }
        match user.level {
            UnitLevel::City => self.column(None).await,
            UnitLevel::County => {
                let code = user
                    .unit
                    .region_code
                    .clone()
                    .ok_or_else(|| AppError::forbidden("本单位未关联行政区域，不能发布公开信息"))?;
                self.column(Some(&code)).await
            }
            _ => Err(AppError::forbidden("只有市、县（区）攻坚办可以编辑和发布边督边改公开信息")),
        }
    }

    pub async fn announcement(&self, column: &ColumnRef) -> Result<Announcement> {
        let c = self.campaign().await?;
        Ok(Announcement {
            campaign_name: c.name.clone(),
            team_name: c.team_name.clone(),
            start: date(&c.start_date)?,
            end: date(&c.end_date)?,
            hotlines: serde_json::from_str(&c.hotlines).unwrap_or_default(),
            postal_box: c.postal_box.clone(),
            hours: hours(&c),
            place: column.name.clone(),
        })
    }

    // ---- rendering ----------------------------------------------------------------------------

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
        rows_db.retain(|c| c.stage != Stage::Duplicate.code());
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
            let stage = Stage::parse(&c.stage)?;
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

    fn encode(doc: &DisclosureDoc) -> Result<(String, String)> {
        let content = serde_json::to_string(doc).map_err(|e| AppError::internal(e.to_string()))?;
        let hash = disclosure::content_hash(&content);
        Ok((content, hash))
    }

    async fn batch_of_campaign(&self, campaign: &CampaignRow, batch_id: i64) -> Result<BatchRow> {
        batches::get(&self.store, batch_id)
            .await?
            .filter(|b| b.campaign_id == campaign.id)
            .ok_or_else(|| AppError::not_found("batch_not_found", "未找到该交办批次"))
    }

    // ---- the publication workflow -------------------------------------------------------------

    /// Draft (or re-render the current draft of) the user's column for one batch.
    pub async fn draft_disclosure(&self, user: &CurrentUser, batch_id: i64) -> Result<DisclosureView> {
        let column = self.column_of(user).await?;
        let campaign = self.campaign().await?;
        let batch = self.batch_of_campaign(&campaign, batch_id).await?;
        let existing = store::versions(&self.store, batch.id, &column.code()).await?;
        let (doc, _, mut hits) = self.render_disclosure(&campaign, &batch, &column).await?;
        if let Some(latest) = existing.first().filter(|l| l.status != PubStatus::Published.code()) {
            // A correction draft keeps its note, and the note's findings.
            let shield = self.shield_none().await?;
            hits.extend(
                shield.findings(&latest.note).into_iter().map(|f| IdentityHit::of(None, "", "更正说明", f)),
            );
        }
        let hits_json = serde_json::to_string(&hits).map_err(|e| AppError::internal(e.to_string()))?;
        let (content, hash) = Self::encode(&doc)?;
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let id = match existing.first() {
            Some(latest) if latest.status != PubStatus::Published.code() => {
                disclosure::publication_step(PubStatus::parse(&latest.status)?, PubStep::Refresh)?;
                store::refresh(&mut tx, latest.id, doc.layout.code(), &content, &hash, &hits_json, now)
                    .await?;
                latest.id
            }
            Some(_) => {
                return Err(AppError::conflict(
                    "disclosure_already_published",
                    "该批次已发布；如需更正或更新办理进展，请发布更正版本并写明更正说明",
                ));
            }
            None => {
                let (id, _) = store::insert_draft(
                    &mut tx,
                    &NewDisclosure {
                        campaign_id: campaign.id,
                        batch_id: batch.id,
                        column_code: column.code(),
                        layout: doc.layout.code().into(),
                        content,
                        content_hash: hash.clone(),
                        note: String::new(),
                        created_at: now,
                        created_by: Some(user.id),
                        identity_hits: hits_json.clone(),
                    },
                )
                .await?;
                id
            }
        };
        audit::append(
            &mut tx,
            &audit_public(
                now,
                user,
                "disclosure.draft",
                id,
                serde_json::json!({ "batch": batch.number, "column": column.code(), "content_hash": hash, "rows": doc.rows.len(), "identity_hits": hits.len() }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.disclosure_for_staff(user, id).await
    }

    /// Start a correction: a new draft version of a published batch disclosure, with the note the public
    /// will see.
    pub async fn correct_disclosure(
        &self,
        user: &CurrentUser,
        batch_id: i64,
        note: &str,
    ) -> Result<DisclosureView> {
        disclosure::check_correction_note(note)?;
        let column = self.column_of(user).await?;
        let campaign = self.campaign().await?;
        let batch = self.batch_of_campaign(&campaign, batch_id).await?;
        let existing = store::versions(&self.store, batch.id, &column.code()).await?;
        match existing.first() {
            Some(l) if l.status == PubStatus::Published.code() => {}
            Some(_) => {
                return Err(AppError::conflict(
                    "disclosure_unpublished_version_exists",
                    "该批次已有未发布的版本，请先审核发布或修改该版本",
                ));
            }
            None => {
                return Err(AppError::conflict(
                    "disclosure_not_published",
                    "该批次尚未发布，无需更正，请直接生成草稿",
                ));
            }
        }
        let (doc, _, mut hits) = self.render_disclosure(&campaign, &batch, &column).await?;
        // The note is public: it is kept firewalled, and what the firewall hid in it is listed.
        let shield = self.shield_none().await?;
        hits.extend(
            shield.findings(note.trim()).into_iter().map(|f| IdentityHit::of(None, "", "更正说明", f)),
        );
        let note = shield.screen(note.trim());
        let note = note.as_str();
        let hits_json = serde_json::to_string(&hits).map_err(|e| AppError::internal(e.to_string()))?;
        let (content, hash) = Self::encode(&doc)?;
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let (id, version) = store::insert_draft(
            &mut tx,
            &NewDisclosure {
                campaign_id: campaign.id,
                batch_id: batch.id,
                column_code: column.code(),
                layout: doc.layout.code().into(),
                content,
                content_hash: hash.clone(),
                note: note.trim().to_owned(),
                created_at: now,
                created_by: Some(user.id),
                identity_hits: hits_json,
            },
        )
        .await?;
        audit::append(
            &mut tx,
            &audit_public(
                now,
                user,
                "disclosure.correct",
                id,
                serde_json::json!({ "batch": batch.number, "column": column.code(), "version": version, "note": note.trim(), "content_hash": hash }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.disclosure_for_staff(user, id).await
    }

    async fn own_version(
        &self,
        tx: &mut ducha_store::Tx,
        user: &CurrentUser,
        id: i64,
    ) -> Result<(DisclosureRow, ColumnRef)> {
        let column = self.column_of(user).await?;
        let row =
            store::get_for_update(tx, id).await?.filter(|r| r.column_code == column.code()).ok_or_else(
                || AppError::not_found("disclosure_not_found", "未找到该公开版本，或不属于本单位专栏"),
            )?;
        Ok((row, column))
    }

    /// Mark a draft reviewed (审核). What was reviewed is exactly what will be published: a later
    /// refresh sends it back to draft.
    pub async fn review_disclosure(&self, user: &CurrentUser, id: i64) -> Result<DisclosureView> {
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let (row, column) = self.own_version(&mut tx, user, id).await?;
        disclosure::publication_step(PubStatus::parse(&row.status)?, PubStep::Review)?;
        store::mark_reviewed(&mut tx, id, user.id, now).await?;
        audit::append(
            &mut tx,
            &audit_public(
                now,
                user,
                "disclosure.review",
                id,
                serde_json::json!({ "column": column.code(), "version": row.version, "content_hash": row.content_hash }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.disclosure_for_staff(user, id).await
    }

    /// Publish a reviewed version: the content hash goes into the audit trail in the same transaction and
    /// the row becomes immutable.
    pub async fn publish_disclosure(&self, user: &CurrentUser, id: i64) -> Result<DisclosureView> {
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let (row, column) = self.own_version(&mut tx, user, id).await?;
        disclosure::publication_step(PubStatus::parse(&row.status)?, PubStep::Publish)?;
        let hits: Vec<IdentityHit> = serde_json::from_str(&row.identity_hits).unwrap_or_default();
        if !hits.is_empty() {
            return Err(AppError::conflict(
                "identity_in_disclosure",
                format!(
                    "本版本的办理报告或更正说明中有{}处疑似举报人信息（已在公开内容中隐去），请先由填报单位修改后重新生成草稿，再审核发布",
                    hits.len()
                ),
            ));
        }
        // The stored content must still be what was hashed and reviewed.
        if disclosure::content_hash(&row.content) != row.content_hash {
            return Err(AppError::internal(format!("disclosure {id}: content does not match its hash")));
        }
        let doc = parse_doc(&row)?;
        let mut case_ids = Vec::with_capacity(doc.rows.len());
        for r in &doc.rows {
            if let Some(c) = cases::get_by_accept_no(&self.store, &r.accept_no).await? {
                case_ids.push(c.id);
            }
        }
        let seq = audit::append(
            &mut tx,
            &audit_public(
                now,
                user,
                "disclosure.publish",
                id,
                serde_json::json!({
                    "batch": doc.batch.number,
                    "column": column.code(),
                    "version": row.version,
                    "content_hash": row.content_hash,
                    "hash_algorithm": "SM3",
                    "rows": doc.rows.len(),
                    "note": row.note,
                }),
            ),
        )
        .await?;
        store::mark_published(&mut tx, id, user.id, now, seq, &case_ids).await?;
        tx.commit().await?;
        self.disclosure_for_staff(user, id).await
    }

    /// Throw away an unpublished version.
    pub async fn discard_disclosure(&self, user: &CurrentUser, id: i64) -> Result<()> {
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let (row, column) = self.own_version(&mut tx, user, id).await?;
        if row.status == PubStatus::Published.code()
            && let Err(e) = disclosure::publication_step(PubStatus::Published, PubStep::Refresh)
        {
            return Err(e.into());
        }
        store::discard(&mut tx, id).await?;
        audit::append(
            &mut tx,
            &audit_public(
                now,
                user,
                "disclosure.discard",
                id,
                serde_json::json!({ "column": column.code(), "version": row.version }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One version of the user's column (any status).
    pub async fn disclosure_for_staff(&self, user: &CurrentUser, id: i64) -> Result<DisclosureView> {
        let column = self.column_of(user).await?;
        let row = store::get(&self.store, id).await?.filter(|r| r.column_code == column.code()).ok_or_else(
            || AppError::not_found("disclosure_not_found", "未找到该公开版本，或不属于本单位专栏"),
        )?;
        let earlier = store::published_versions(&self.store, row.batch_id, &row.column_code)
            .await?
            .iter()
            .filter(|r| r.version < row.version)
            .map(info_of)
            .collect();
        view_of(&row, earlier)
    }

    /// The staff publication page: every batch of the campaign with the user's column's versions.
    pub async fn staff_batches(&self, user: &CurrentUser) -> Result<(ColumnRef, Vec<StaffBatch>)> {
        let column = self.column_of(user).await?;
        let campaign = self.campaign().await?;
        let all = store::all_versions(&self.store, campaign.id).await?;
        let mut out = Vec::new();
        for b in batches::list(&self.store, campaign.id).await? {
            let f = CaseFilter {
                campaign_id: Some(campaign.id),
                batch_id: Some(b.id),
                county_code: column.county_code.clone(),
                limit: 1,
                ..CaseFilter::default()
            };
            let (_, n) = cases::list(&self.store, Scope::All, &f).await?;
            let versions: Vec<VersionInfoStaff> = all
                .iter()
                .filter(|r| r.batch_id == b.id && r.column_code == column.code())
                .rev()
                .map(|r| {
                    Ok(VersionInfoStaff {
                        id: r.id,
                        version: r.version,
                        status: PubStatus::parse(&r.status)?,
                        note: ducha_shield::Shield::none().screen(&r.note).into_string(),
                        content_hash: r.content_hash.clone(),
                        updated_at: from_millis(r.updated_at),
                        identity_hits: serde_json::from_str(&r.identity_hits).unwrap_or_default(),
                    })
                })
                .collect::<Result<_>>()?;
            if n == 0 && versions.is_empty() {
                continue;
            }
            out.push(StaffBatch {
                batch_id: b.id,
                number: b.number,
                answering_date: b.answering_date.clone(),
                cases: n.max(0) as usize,
                versions,
            });
        }
        out.reverse();
        Ok((column, out))
    }

    // ---- public reads -------------------------------------------------------------------------

    /// A column's landing data: the announcement and the latest published version of each batch.
    pub async fn public_column(&self, county_code: Option<&str>) -> Result<ColumnIndex> {
        let column = self.column(county_code).await?;
        let campaign = self.campaign().await?;
        let rows = store::published(&self.store, campaign.id, Some(&column.code())).await?;
        let last_published = rows.iter().filter_map(|r| r.published_at).max().map(from_millis);
        let mut batches = Vec::with_capacity(rows.len());
        for r in &rows {
            let earlier = if r.version > 1 {
                store::published_versions(&self.store, r.batch_id, &r.column_code)
                    .await?
                    .iter()
                    .filter(|x| x.version < r.version)
                    .map(info_of)
                    .collect()
            } else {
                Vec::new()
            };
            batches.push(view_of(r, earlier)?);
        }
        let counties = if column.is_city() { self.county_columns().await? } else { Vec::new() };
        Ok(ColumnIndex {
            announcement: self.announcement(&column).await?,
            column,
            batches,
            counties,
            last_published,
        })
    }

    /// One published batch disclosure (latest version, or the given one) of a column.
    pub async fn public_batch(
        &self,
        county_code: Option<&str>,
        number: i64,
        version: Option<i64>,
    ) -> Result<DisclosureView> {
        let column = self.column(county_code).await?;
        let campaign = self.campaign().await?;
        let not_found =
            || AppError::not_found("disclosure_not_found", "未找到该批次的公开信息（可能尚未发布）");
        let batch = batches::list(&self.store, campaign.id)
            .await?
            .into_iter()
            .find(|b| b.number == number)
            .ok_or_else(not_found)?;
        let published = store::published_versions(&self.store, batch.id, &column.code()).await?;
        let row = match version {
            None => published.first(),
            Some(v) => published.iter().find(|r| r.version == v),
        }
        .ok_or_else(not_found)?;
        let earlier = published.iter().filter(|r| r.version < row.version).map(info_of).collect();
        view_of(row, earlier)
    }

    /// Every disclosed case across the published columns (latest version of each batch; a case shown in
    /// several columns is taken from the most recently published one). For Open311 and feeds.
    pub async fn public_cases(&self) -> Result<Vec<PublicCase>> {
        let campaign = self.campaign().await?;
        let mut rows = store::published(&self.store, campaign.id, None).await?;
        rows.sort_by_key(|r| r.published_at.unwrap_or(0));
        let mut by_no: BTreeMap<String, PublicCase> = BTreeMap::new();
        for r in &rows {
            for c in parse_doc(r)?.rows {
                by_no.insert(c.accept_no.clone(), c);
            }
        }
        let mut v: Vec<PublicCase> = by_no.into_values().collect();
        v.sort_by(|a, b| a.received_at.cmp(&b.received_at).then_with(|| a.accept_no.cmp(&b.accept_no)));
        Ok(v)
    }

    /// What the public may know about a case that has not been disclosed yet: that it was received, and
    /// when (Open311 "request by id" for the person who filed it).
    pub async fn received_case_status(
        &self,
        accept_no: &str,
    ) -> Result<Option<(String, DateTime<Utc>, Vec<String>, bool)>> {
        let Some(c) = cases::get_by_accept_no(&self.store, accept_no).await? else { return Ok(None) };
        let stage = Stage::parse(&c.stage)?;
        let types = c
            .pollution_types
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(Some((c.accept_no, from_millis(c.received_at), types, stage.is_terminal())))
    }

    // ---- R2.6 ------------------------------------------------------------------------------

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
        let cal = WorkCalendar::builtin().ok();
        Ok(disclosure::disclosure_gaps(&items, self.clock.now(), days, cal.as_ref()))
    }

    // ---- Open311 intake ----------------------------------------------------------------------

    /// A complaint from Open311 (or any public web form): the same intake path as every channel, as
    /// channel `web`, anonymous. Returns the accept number and a token to look it up by.
    pub async fn public_intake(
        &self,
        text: &str,
        pollution_type: Option<&str>,
        county_code: Option<&str>,
        who: ComplainantIdentity,
    ) -> Result<(String, String)> {
        let input = IntakeInput {
            channel: "web".into(),
            text: text.to_owned(),
            received_at: None,
            complainant: who,
            county_code: county_code.map(str::to_owned),
            township_code: None,
            village_code: None,
            pollution_types: pollution_type.map(|t| vec![t.to_owned()]),
            sansan: None,
        };
        let id = self.intake_as(None, &input).await?;
        let accept_no = cases::get(&self.store, id).await?.map(|c| c.accept_no).unwrap_or_default();
        let token = hex::encode(rand::random::<[u8; 16]>());
        let mut tx = self.store.begin().await?;
        store::insert_token(&mut tx, &token, id, self.now_ms()).await?;
        tx.commit().await?;
        Ok((accept_no, token))
    }

    pub async fn open311_token(&self, token: &str) -> Result<Option<String>> {
        if token.is_empty() || token.len() > 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        Ok(store::token_accept_no(&self.store, token).await?)
    }

    // ---- demo --------------------------------------------------------------------------------

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
            c.finding.is_some() || matches!(c.stage.as_str(), "closed" | "partly_closed" | "duplicate")
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
