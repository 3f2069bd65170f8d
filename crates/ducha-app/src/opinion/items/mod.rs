//! The opinion desk's items: list, read, enter by hand (this module, with the views people see), move
//! through the workflow (assess, alert the township, escalate to the team with a copy to the city office,
//! handle), link to cases; and the recipients' side: alerts in the township's inbox, escalations for the
//! team, acknowledgements.

mod act;
mod inbox;
mod links;

use ducha_opinion::entities::Enterprise;
use ducha_opinion::record::{self, RawItem};
use ducha_opinion::sentiment::SentimentLabel;
use ducha_opinion::severity::{Level, Signal};
use ducha_opinion::workflow::{self, ItemAction, ItemStatus};
use ducha_store::audit;
use ducha_store::directory;
use ducha_store::opinion::{self, AlertRow, ItemFilter, ItemRow, ItemScope, LinkedCase, NoteRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ingest::{IngestReport, Origin};
use super::{desk_scope, opinion_not_found, read_scope};
use crate::auth::CurrentUser;
use crate::error::ErrorKind;
use crate::queries::HistoryEntry;
use crate::{App, AppError, Result};

/// An item as people see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemView {
    pub id: i64,
    pub status: String,
    pub status_label: &'static str,
    /// The level in force (the desk's assessment, else the automatic one).
    pub level: String,
    pub level_label: &'static str,
    pub auto_level: String,
    pub score: f32,
    pub title: Option<String>,
    pub body: String,
    pub url: Option<String>,
    pub author: Option<String>,
    pub outlet: Option<String>,
    pub platform: Option<String>,
    pub published_at: Option<i64>,
    pub collected_at: i64,
    pub day: String,
    pub reposts: i64,
    pub comments: i64,
    pub likes: i64,
    pub views: i64,
    pub followers: i64,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    pub region_label: String,
    pub place_evidence: Vec<String>,
    #[schema(value_type = Vec<Object>)]
    pub enterprises: Vec<Enterprise>,
    pub keywords: Vec<String>,
    pub sentiment: String,
    pub sentiment_label: &'static str,
    pub sentiment_score: f32,
    /// Every reason for the score.
    #[schema(value_type = Vec<Object>)]
    pub signals: Vec<Signal>,
    pub level_rule: Option<String>,
    pub relevant: bool,
    pub about_inspection: bool,
    pub origin: String,
    pub source_id: Option<i64>,
    pub dup_of: Option<i64>,
    /// Near-identical reposts collected of it.
    pub dup_count: i64,
    pub version: i64,
    /// What this user may do next.
    #[schema(value_type = Vec<String>)]
    pub actions: Vec<ItemAction>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemPage {
    pub items: Vec<ItemView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// A linked case: its routing, redacted text, stage and finding (never the complainant).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkedCaseView {
    pub case_id: i64,
    pub accept_no: String,
    pub region_label: String,
    pub text: String,
    pub stage: String,
    pub stage_label: &'static str,
    pub finding: Option<String>,
    pub repeat_count: i64,
    pub score: f32,
    pub evidence: Vec<String>,
    /// `auto` (matched) or `manual` (linked by the desk).
    pub origin: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlertView {
    pub id: i64,
    pub item_id: i64,
    pub item_title: String,
    /// `alert`, `escalation` or `copy`.
    pub kind: String,
    pub kind_label: &'static str,
    pub unit_id: i64,
    pub unit_name: String,
    pub message: String,
    pub created_at: i64,
    pub deliver_after: i64,
    /// Held back by quiet hours (R5.1).
    pub deferred: bool,
    /// Delivered at night by an urgent override, with this reason.
    pub override_reason: Option<String>,
    pub acknowledged_at: Option<i64>,
    pub ack_note: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemDetail {
    pub item: ItemView,
    pub linked_cases: Vec<LinkedCaseView>,
    pub alerts: Vec<AlertView>,
    #[schema(value_type = Vec<Object>)]
    pub notes: Vec<NoteRow>,
    pub history: Vec<HistoryEntry>,
    /// Reposts collected of this item.
    pub reposts: Vec<ItemView>,
}

/// One workflow step on an item.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ItemActInput {
    /// `assess`, `alert`, `escalate`, `handle`, `reopen` or `note`.
    pub action: String,
    #[serde(default)]
    pub note: Option<String>,
    /// `assess`: the level the desk settles on (`low`, `medium`, `high`, `critical`).
    #[serde(default)]
    pub level: Option<String>,
    /// `alert`: the township/street to alert (defaults to the one the item is placed in).
    #[serde(default)]
    pub township_code: Option<String>,
    /// `alert` of a 特别重大 item at night: deliver at once, with this reason (R5.1, audited and counted).
    #[serde(default)]
    pub override_reason: Option<String>,
    #[serde(default)]
    pub expected_version: Option<i64>,
}

/// An item entered by the desk.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ManualItemInput {
    pub text: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub outlet: Option<String>,
    /// weibo, wechat, douyin, forum, news …
    #[serde(default)]
    pub platform: Option<String>,
    /// `2023-12-15 14:05` (Beijing time) or ISO-8601.
    #[serde(default)]
    pub published_at: Option<String>,
    #[serde(default)]
    pub reposts: Option<i64>,
    #[serde(default)]
    pub comments: Option<i64>,
    #[serde(default)]
    pub likes: Option<i64>,
    #[serde(default)]
    pub views: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AckInput {
    #[serde(default)]
    pub note: Option<String>,
}

fn parse_json<T: serde::de::DeserializeOwned + Default>(s: &str) -> T {
    serde_json::from_str(s).unwrap_or_default()
}

fn trimmed(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "alert" => "属地预警",
        "escalation" => "报送督察组",
        "copy" => "抄送市攻坚办",
        _ => "通知",
    }
}

/// Human label of an audit action on an item.
pub fn history_label(action: &str) -> &'static str {
    match action {
        "opinion.ingest" => "采集入库",
        "opinion.rescore" => "转载增加，重新评分",
        "opinion.assess" => "研判",
        "opinion.alert" => "向属地预警",
        "opinion.escalate" => "报送督察组（抄送市攻坚办）",
        "opinion.handle" => "处置完毕",
        "opinion.reopen" => "重新打开",
        "opinion.note" => "备注",
        "opinion.link" => "关联案件",
        "opinion.unlink" => "取消关联案件",
        "opinion.acknowledge" => "签收",
        _ => "操作",
    }
}

fn item_title(row: &ItemRow) -> String {
    row.title.clone().unwrap_or_else(|| {
        let mut t: String = row.body.chars().take(30).collect();
        if row.body.chars().count() > 30 {
            t.push('…');
        }
        t
    })
}

impl App {
    pub(crate) async fn region_label_of(&self, codes: [Option<&str>; 3]) -> Result<String> {
        let mut parts = Vec::new();
        for code in codes.into_iter().flatten() {
            if code == "OUTSIDE" {
                parts.push("濮阳市外".to_owned());
            } else if let Some(r) = directory::region(&self.store, code).await? {
                parts.push(r.short_name);
            }
        }
        Ok(if parts.is_empty() { "待定".into() } else { parts.join(" ") })
    }

    pub(crate) async fn item_view(&self, user: &CurrentUser, r: ItemRow) -> Result<ItemView> {
        let status = ItemStatus::parse(&r.status)?;
        let level = Level::parse(&r.level).unwrap_or(Level::Low);
        let sentiment = SentimentLabel::parse(&r.sentiment).unwrap_or(SentimentLabel::Neutral);
        let region_label = self
            .region_label_of([
                r.county_code.as_deref(),
                r.township_code.as_deref(),
                r.village_code.as_deref(),
            ])
            .await?;
        let actions = if desk_scope(user).is_ok() && r.dup_of.is_none() {
            workflow::allowed(status)
        } else {
            Vec::new()
        };
        // Posts name people too: every role reads them through the firewall (general rules).
        let shield = self.shield_none().await?;
        let body = shield.screen(&r.body).into_string();
        // Words the analysis took from the post (keywords, place evidence, signals' evidence) are shown
        // only where the screened post still shows them: a name the firewall hid in the post must not come
        // back as a keyword.
        let shown = |w: &str| body.contains(w) && shield.screen(w).as_str() == w;
        let words = |v: Vec<String>| v.into_iter().filter(|w| shown(w)).collect::<Vec<String>>();
        let enterprises: Vec<ducha_opinion::entities::Enterprise> = parse_json::<Vec<_>>(&r.enterprises)
            .into_iter()
            .filter(|e: &ducha_opinion::entities::Enterprise| shown(&e.name))
            .collect();
        let signals: Vec<ducha_opinion::severity::Signal> =
            parse_json::<Vec<ducha_opinion::severity::Signal>>(&r.signals)
                .into_iter()
                .map(|mut g| {
                    g.evidence = words(std::mem::take(&mut g.evidence));
                    g
                })
                .collect();
        Ok(ItemView {
            id: r.id,
            status_label: status.label(),
            status: r.status,
            level_label: level.label(),
            level: r.level,
            auto_level: r.auto_level,
            score: r.score_milli as f32 / 1000.0,
            title: r.title.as_deref().map(|t| shield.screen(t).into_string()),
            body: body.clone(),
            url: r.url,
            author: r.author.as_deref().map(|a| shield.screen_handle(a).into_string()),
            outlet: r.outlet,
            platform: r.platform,
            published_at: r.published_at,
            collected_at: r.collected_at,
            day: r.day,
            reposts: r.reposts,
            comments: r.comments,
            likes: r.likes,
            views: r.views,
            followers: r.followers,
            county_code: r.county_code,
            township_code: r.township_code,
            village_code: r.village_code,
            region_label,
            place_evidence: words(parse_json(&r.place_evidence)),
            enterprises,
            keywords: words(parse_json(&r.keywords)),
            sentiment: r.sentiment,
            sentiment_label: sentiment.label(),
            sentiment_score: r.sentiment_milli as f32 / 1000.0,
            signals,
            level_rule: r.level_rule,
            relevant: r.relevant != 0,
            about_inspection: r.about_inspection != 0,
            origin: r.origin,
            source_id: r.source_id,
            dup_of: r.dup_of,
            dup_count: r.dup_count,
            version: r.version,
            actions,
        })
    }

    pub(crate) async fn linked_view(&self, l: LinkedCase) -> Result<LinkedCaseView> {
        let stage = l.stage;
        Ok(LinkedCaseView {
            region_label: self
                .region_label_of([l.county_code.as_deref(), l.township_code.as_deref(), None])
                .await?,
            case_id: l.case_id,
            accept_no: l.accept_no,
            text: self.screen_for_case(l.case_id, &l.redacted_text).await?.into_string(),
            stage: stage.code().into(),
            stage_label: stage.label(),
            finding: l.finding,
            repeat_count: l.repeat_count,
            score: l.score_milli as f32 / 1000.0,
            evidence: parse_json(&l.evidence),
            origin: l.origin,
        })
    }

    pub async fn alert_view(&self, a: AlertRow) -> Result<AlertView> {
        let unit_name = directory::unit(&self.store, a.unit_id).await?.map(|u| u.name).unwrap_or_default();
        let shield = self.shield_none().await?;
        let item_title = opinion::item(&self.store, a.item_id)
            .await?
            .map(|r| shield.screen(&item_title(&r)).into_string())
            .unwrap_or_default();
        Ok(AlertView {
            id: a.id,
            item_id: a.item_id,
            item_title,
            kind_label: kind_label(&a.kind),
            kind: a.kind,
            unit_id: a.unit_id,
            unit_name,
            message: shield.screen(&a.message).into_string(),
            created_at: a.created_at,
            deliver_after: a.deliver_after,
            deferred: a.deferred != 0,
            override_reason: a.override_reason.as_deref().map(|r| shield.screen(r).into_string()),
            acknowledged_at: a.acknowledged_at,
            ack_note: a.ack_note.as_deref().map(|r| shield.screen(r).into_string()),
        })
    }

    /// Items the user may read, most severe and newest first.
    pub async fn list_opinion_items(
        &self,
        user: &CurrentUser,
        mut f: ItemFilter,
        page: i64,
        per_page: i64,
    ) -> Result<ItemPage> {
        let scope = read_scope(user)?;
        let per_page = per_page.clamp(1, 200);
        let page = page.max(1);
        f.limit = per_page;
        // Saturating: an absurd page number is an empty page, not an overflow.
        f.offset = (page - 1).saturating_mul(per_page);
        let (rows, total) = opinion::list_items(&self.store, &scope, &f).await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            items.push(self.item_view(user, r).await?);
        }
        Ok(ItemPage { items, total, page, per_page })
    }

    /// An item the user may read, or `opinion_item_not_found` (the same answer whether it does not
    /// exist or is outside the user's jurisdiction).
    pub async fn visible_item(&self, user: &CurrentUser, id: i64) -> Result<ItemRow> {
        let scope = read_scope(user)?;
        if !opinion::item_in_scope(&self.store, &scope, id).await? {
            return Err(opinion_not_found());
        }
        opinion::item(&self.store, id).await?.ok_or_else(opinion_not_found)
    }

    pub async fn opinion_item(&self, user: &CurrentUser, id: i64) -> Result<ItemDetail> {
        let row = self.visible_item(user, id).await?;
        let item = self.item_view(user, row).await?;
        let mut linked_cases = Vec::new();
        for l in opinion::linked_cases(&self.store, id).await? {
            linked_cases.push(self.linked_view(l).await?);
        }
        let mut alerts = Vec::new();
        for a in opinion::alerts_for_item(&self.store, id).await? {
            alerts.push(self.alert_view(a).await?);
        }
        let shield = self.shield_none().await?;
        let notes: Vec<NoteRow> = opinion::notes(&self.store, id)
            .await?
            .into_iter()
            .map(|n| NoteRow { body: shield.screen(&n.body).into_string(), ..n })
            .collect();
        let history = audit::for_entity(&self.store, "opinion_item", &id.to_string())
            .await?
            .into_iter()
            .map(|r| {
                let detail: serde_json::Value = crate::queries::screen_json(
                    &shield,
                    serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::Null),
                );
                HistoryEntry {
                    seq: r.seq,
                    at: r.at,
                    label: history_label(&r.action).into(),
                    actor: r.actor_name,
                    action: r.action,
                    detail,
                }
            })
            .collect();
        let mut reposts = Vec::new();
        if item.dup_count > 0 {
            let (rows, _) = opinion::list_items(
                &self.store,
                &ItemScope::All,
                &ItemFilter { include_duplicates: true, limit: 5000, ..ItemFilter::default() },
            )
            .await?;
            for r in rows.into_iter().filter(|r| r.dup_of == Some(id)).take(50) {
                reposts.push(self.item_view(user, r).await?);
            }
        }
        Ok(ItemDetail { item, linked_cases, alerts, notes, history, reposts })
    }

    /// An item typed in by the desk (analysed and stored like any other).
    pub async fn create_opinion_item(
        &self,
        user: &CurrentUser,
        input: &ManualItemInput,
    ) -> Result<ItemDetail> {
        desk_scope(user)?;
        let mut v = serde_json::to_value(input).map_err(|e| AppError::internal(e.to_string()))?;
        if let Some(o) = v.as_object_mut() {
            o.retain(|_, x| !x.is_null());
            o.entry("platform").or_insert_with(|| "manual".into());
        }
        let raw: RawItem = record::from_json(&v, 1).map_err(|e| match e {
            ducha_opinion::OpinionError::Record { message, .. } => AppError::invalid("text", message),
            other => AppError::invalid("text", other.to_string()),
        })?;
        if let Some(p) = raw.published_at
            && p > self.clock.now() + chrono::Duration::minutes(5)
        {
            return Err(AppError::invalid("published_at", "发布时间不能晚于当前时间"));
        }
        let r = self.ingest(Some(user), Origin::Manual, None, vec![raw]).await?;
        let id = match (r.new_items.first(), r.near_duplicates.first(), r.existing.first()) {
            (Some(id), _, _) | (None, Some(id), _) => *id,
            (None, None, Some(existing)) => {
                let mut e = AppError::conflict("opinion_item_exists", "该舆情已收录，请勿重复录入");
                e.details = vec![format!("/yuqing/items/{existing}")];
                return Err(e);
            }
            _ => return Err(AppError::internal("manual item not stored")),
        };
        // A county desk may have entered an item placed in another county: it is stored all the same,
        // and the answer says so instead of a not-found.
        match self.opinion_item(user, id).await {
            Ok(d) => Ok(d),
            Err(e) if e.kind == ErrorKind::NotFound => Err(AppError::new(
                ErrorKind::Conflict,
                "opinion_item_elsewhere",
                "已录入，但该舆情经分析属于其他县（区），已转由其舆情专员研判",
            )),
            Err(e) => Err(e),
        }
    }

    /// Import exported posts (the CLI and the import form); each item analysed and stored.
    pub async fn import_opinion_items(
        &self,
        user: Option<&CurrentUser>,
        items: Vec<RawItem>,
    ) -> Result<IngestReport> {
        if let Some(u) = user {
            desk_scope(u)?;
        }
        self.ingest(user, Origin::Import, None, items).await
    }
}
