//! Ingestion: items from feeds, imports and the desk, analysed, de-duplicated (same URL or publisher id;
//! near-identical reposts), placed, linked to open cases and stored — each with its audit record, in
//! transactions of at most [`CHUNK`] items.

use ducha_opinion::analyze::{Analysis, Context};
use ducha_opinion::fingerprint::Fingerprint;
use ducha_opinion::matching::{CaseIndex, CaseRef};
use ducha_opinion::record::RawItem;
use ducha_opinion::severity::Level;
use ducha_store::Tx;
use ducha_store::audit::{self, AuditEntry};
use ducha_store::directory;
use ducha_store::opinion::{self, ItemRow, SourceRow};
use ducha_store::outbox::{self, NewMessage};
use serde::Serialize;
use utoipa::ToSchema;

use super::day_of;
use crate::auth::CurrentUser;
use crate::{App, Result};

/// Items stored per transaction.
pub const CHUNK: usize = 100;

/// How an item arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Feed,
    Import,
    Manual,
}

impl Origin {
    pub fn code(self) -> &'static str {
        match self {
            Origin::Feed => "feed",
            Origin::Import => "import",
            Origin::Manual => "manual",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Origin::Feed => "订阅源采集",
            Origin::Import => "批量导入",
            Origin::Manual => "人工录入",
        }
    }
}

/// What one ingestion did.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct IngestReport {
    pub received: usize,
    /// Stored as new originals.
    pub new_items: Vec<i64>,
    /// Already stored (same URL, same publisher id, or the very same post again): skipped.
    pub seen: usize,
    /// Stored as near-identical reposts of an earlier item.
    pub near_duplicates: Vec<i64>,
    /// Links made to open cases.
    pub links: usize,
    /// New items at 重大 or 特别重大.
    pub key_items: Vec<i64>,
    /// For `seen` items: the item already stored (in input order, when there was one).
    pub existing: Vec<i64>,
}

impl IngestReport {
    fn merge(&mut self, o: IngestReport) {
        self.received += o.received;
        self.new_items.extend(o.new_items);
        self.seen += o.seen;
        self.near_duplicates.extend(o.near_duplicates);
        self.links += o.links;
        self.key_items.extend(o.key_items);
        self.existing.extend(o.existing);
    }
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// An item as analysis reads it, rebuilt from its stored row.
pub fn raw_of(row: &ItemRow) -> RawItem {
    RawItem {
        external_id: row.external_id.clone(),
        url: row.url.clone(),
        title: row.title.clone(),
        text: row.body.clone(),
        author: row.author.clone(),
        outlet: row.outlet.clone(),
        platform: row.platform.clone(),
        published_at: row.published_at.map(ducha_domain::time::from_millis),
        reposts: row.reposts,
        comments: row.comments,
        likes: row.likes,
        views: row.views,
        followers: row.followers,
    }
}

/// The stored form of an analysed item.
fn row_of(
    raw: &RawItem,
    a: &Analysis,
    campaign_id: Option<i64>,
    source: Option<&SourceRow>,
    origin: Origin,
    county: Option<String>,
    dup_of: Option<i64>,
    by: Option<i64>,
    now: i64,
) -> ItemRow {
    let published = raw.published_at.map(|t| t.timestamp_millis());
    ItemRow {
        id: 0,
        campaign_id,
        source_id: source.map(|s| s.id),
        origin: origin.code().into(),
        external_id: raw.external_id.clone(),
        url: raw.url.clone(),
        url_canonical: a.url_canonical.clone(),
        title: raw.title.clone(),
        body: raw.text.clone(),
        author: raw.author.clone(),
        outlet: raw.outlet.clone(),
        platform: raw.platform.clone(),
        published_at: published,
        collected_at: now,
        day: day_of(published.unwrap_or(now)),
        reposts: raw.reposts,
        comments: raw.comments,
        likes: raw.likes,
        views: raw.views,
        followers: raw.followers,
        county_code: county,
        township_code: a.township_code.clone(),
        village_code: a.village_code.clone(),
        place_evidence: json(&a.place_evidence),
        enterprises: json(&a.enterprises),
        keywords: json(&a.keywords),
        sentiment: a.sentiment.label.code().into(),
        sentiment_milli: (a.sentiment.score * 1000.0).round() as i64,
        level: a.assessment.level.code().into(),
        auto_level: a.assessment.level.code().into(),
        score_milli: (a.assessment.score * 1000.0).round() as i64,
        signals: json(&a.assessment.signals),
        level_rule: a.assessment.rule.clone(),
        relevant: i64::from(a.relevant),
        about_inspection: i64::from(a.about_inspection),
        fingerprint: a.fingerprint.as_ref().map(Fingerprint::to_hex),
        dup_of,
        dup_count: 0,
        status: "new".into(),
        created_by: by,
        updated_at: now,
        version: 1,
    }
}

impl App {
    /// Open cases as matching sees them (redacted text and routing only).
    pub async fn case_index(&self) -> Result<CaseIndex> {
        let cases: Vec<CaseRef> = opinion::open_cases(&self.store)
            .await?
            .into_iter()
            .map(|c| CaseRef {
                id: c.id,
                accept_no: c.accept_no,
                county_code: c.county_code,
                township_code: c.township_code,
                village_code: c.village_code,
                text: c.redacted_text,
                repeat_count: c.repeat_count,
            })
            .collect();
        let az = self.opinion_analyzer();
        Ok(CaseIndex::new(&az, cases))
    }

    /// Analyse, de-duplicate, place, link and store items. `by` is the user for imports and manual
    /// entry (`None` for the feed worker).
    pub async fn ingest(
        &self,
        by: Option<&CurrentUser>,
        origin: Origin,
        source: Option<&SourceRow>,
        items: Vec<RawItem>,
    ) -> Result<IngestReport> {
        let mut report = IngestReport::default();
        if items.is_empty() {
            return Ok(report);
        }
        let index = self.case_index().await?;
        let campaign = directory::current_campaign(&self.store, &self.today_cst()).await?;
        for chunk in items.chunks(CHUNK) {
            let r = self.ingest_chunk(by, origin, source, chunk, &index, campaign.as_ref()).await?;
            report.merge(r);
        }
        Ok(report)
    }

    async fn ingest_chunk(
        &self,
        by: Option<&CurrentUser>,
        origin: Origin,
        source: Option<&SourceRow>,
        chunk: &[RawItem],
        index: &CaseIndex,
        campaign: Option<&directory::CampaignRow>,
    ) -> Result<IngestReport> {
        let az = self.opinion_analyzer();
        let analysed: Vec<(RawItem, Analysis)> = chunk
            .iter()
            .map(|raw| {
                let mut raw = raw.clone();
                if raw.outlet.is_none() {
                    raw.outlet = source.and_then(|s| s.outlet.clone().or_else(|| Some(s.name.clone())));
                }
                let a = az.analyze(&raw, &Context::default());
                (raw, a)
            })
            .collect();
        let now = self.now_ms();
        let mut report = IngestReport { received: chunk.len(), ..IngestReport::default() };
        let mut tx = self.store.begin().await?;
        for (raw, mut a) in analysed {
            if let Some(id) = opinion::existing_item(
                &mut tx,
                a.url_canonical.as_deref(),
                source.map(|s| s.id),
                raw.external_id.as_deref(),
            )
            .await?
            {
                report.seen += 1;
                report.existing.push(id);
                continue;
            }
            let keys = a.fingerprint.as_ref().map(Fingerprint::band_keys).unwrap_or_default();
            let mut dup_of = None;
            let mut same_post = None;
            if let Some(fp) = &a.fingerprint {
                for c in opinion::band_candidates(&mut tx, &keys).await? {
                    let Some(other) = Fingerprint::from_hex(&c.fingerprint) else { continue };
                    if !fp.is_near_duplicate(&other) {
                        continue;
                    }
                    // The very same post again (an export imported twice) is nothing new.
                    if c.body == raw.text && c.published_at == raw.published_at.map(|t| t.timestamp_millis())
                    {
                        same_post = Some(c.id);
                    } else {
                        dup_of = Some(c.id);
                    }
                    break;
                }
            }
            // A post that links to a stored item's URL reposts it.
            if dup_of.is_none() && same_post.is_none() {
                for u in &a.linked_urls {
                    if let Some(id) = opinion::existing_item(&mut tx, Some(u), None, None).await? {
                        let root =
                            opinion::item_for_update(&mut tx, id).await?.and_then(|r| r.dup_of).unwrap_or(id);
                        dup_of = Some(root);
                        break;
                    }
                }
            }
            if let Some(id) = same_post {
                report.seen += 1;
                report.existing.push(id);
                continue;
            }
            let county = match a.county_code.clone() {
                Some(c) => Some(c),
                None => source.and_then(|s| s.county_code.clone()),
            };
            let matches = if dup_of.is_none() { index.matches(&az, &a) } else { Vec::new() };
            if !matches.is_empty() {
                let ctx = Context {
                    linked_open_case: true,
                    case_repeat_count: matches.iter().map(|m| m.repeat_count).max().unwrap_or(0),
                    reposts_seen: 0,
                };
                az.reassess(&mut a, &ctx);
            }
            let row = row_of(
                &raw,
                &a,
                campaign.map(|c| c.id),
                source,
                origin,
                county,
                dup_of,
                by.map(|u| u.id),
                now,
            );
            let id = opinion::insert_item(&mut tx, &row).await?;
            for m in &matches {
                opinion::insert_link(
                    &mut tx,
                    id,
                    m.case_id,
                    (m.score * 1000.0).round() as i64,
                    &json(&m.evidence),
                    "auto",
                    None,
                    now,
                )
                .await?;
                report.links += 1;
            }
            let detail = serde_json::json!({
                "origin": origin.code(),
                "source_id": source.map(|s| s.id),
                "dup_of": dup_of,
                "level": a.assessment.level.code(),
                "county_code": row.county_code,
                "township_code": row.township_code,
                "linked_cases": matches.iter().map(|m| m.accept_no.clone()).collect::<Vec<_>>(),
            });
            let entry = match by {
                Some(u) => u.audit(now, "opinion.ingest", "opinion_item", id, detail),
                None => AuditEntry {
                    at_ms: now,
                    actor_user_id: None,
                    actor_unit_id: None,
                    actor_name: format!(
                        "舆情采集（{}）",
                        source.map(|s| s.name.as_str()).unwrap_or(origin.label())
                    ),
                    action: "opinion.ingest".into(),
                    entity_type: "opinion_item".into(),
                    entity_id: id.to_string(),
                    detail,
                },
            };
            audit::append(&mut tx, &entry).await?;
            match dup_of {
                Some(orig) => {
                    report.near_duplicates.push(id);
                    self.repost_collected(&mut tx, orig, now).await?;
                }
                None => {
                    opinion::insert_bands(&mut tx, id, &keys).await?;
                    report.new_items.push(id);
                    if a.assessment.level.is_key() && a.relevant {
                        report.key_items.push(id);
                        self.tell_desk(&mut tx, &row, id, a.assessment.level, now).await?;
                    }
                }
            }
        }
        tx.commit().await?;
        Ok(report)
    }

    /// A repost of `orig` was collected: count it and score the original again (reach grew).
    async fn repost_collected(&self, tx: &mut Tx, orig: i64, now: i64) -> Result<()> {
        let reposts = opinion::bump_dup_count(tx, orig).await?;
        let Some(row) = opinion::item_for_update(tx, orig).await? else { return Ok(()) };
        let (links, repeat) = opinion::link_context(tx, orig).await?;
        let ctx = Context { linked_open_case: links > 0, case_repeat_count: repeat, reposts_seen: reposts };
        let az = self.opinion_analyzer();
        let a = az.analyze(&raw_of(&row), &ctx);
        let new_level = a.assessment.level;
        opinion::update_item_assessment(
            tx,
            orig,
            new_level.code(),
            (a.assessment.score * 1000.0).round() as i64,
            &json(&a.assessment.signals),
            a.assessment.rule.as_deref(),
            now,
        )
        .await?;
        let old = Level::parse(&row.auto_level).unwrap_or(Level::Low);
        if new_level > old {
            audit::append(
                tx,
                &AuditEntry {
                    at_ms: now,
                    actor_user_id: None,
                    actor_unit_id: None,
                    actor_name: "舆情分析".into(),
                    action: "opinion.rescore".into(),
                    entity_type: "opinion_item".into(),
                    entity_id: orig.to_string(),
                    detail: serde_json::json!({ "from": old.code(), "to": new_level.code(), "reposts": reposts }),
                },
            )
            .await?;
            if new_level.is_key() && !old.is_key() && a.relevant {
                self.tell_desk(tx, &row, orig, new_level, now).await?;
            }
        }
        Ok(())
    }

    /// A key item arrived: tell the opinion desk of its county (or the city's) through its inbox.
    async fn tell_desk(&self, tx: &mut Tx, row: &ItemRow, id: i64, level: Level, now: i64) -> Result<()> {
        let unit = match row.county_code.as_deref() {
            Some(c) if c != "OUTSIDE" => directory::county_unit_for_region(&self.store, c).await?,
            _ => None,
        };
        let unit = match unit {
            Some(u) => Some(u.id),
            None => {
                directory::current_campaign(&self.store, &self.today_cst()).await?.map(|c| c.city_unit_id)
            }
        };
        let Some(unit_id) = unit else { return Ok(()) };
        let title = row.title.clone().unwrap_or_else(|| row.body.chars().take(30).collect());
        let title = self.shield_none().await?.screen(&title).into_string();
        outbox::enqueue(
            tx,
            &NewMessage {
                kind: "opinion_new".into(),
                channel: "inbox".into(),
                unit_id: Some(unit_id),
                user_id: None,
                subject: format!("【{}舆情】{title}", level.label()),
                body: "监测到一条需研判的舆情，请舆情专员及时研判处置。".into(),
                payload: serde_json::json!({ "opinion_item_id": id, "link": format!("/yuqing/items/{id}") }),
                created_at: now,
                deliver_after: now,
                override_reason: None,
            },
        )
        .await?;
        Ok(())
    }
}
