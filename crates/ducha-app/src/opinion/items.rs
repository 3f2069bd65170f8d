//! The opinion desk's items: list, read, enter by hand, move through the workflow (assess, alert the
//! township, escalate to the team with a copy to the city office, handle), link to cases; and the
//! recipients' side: alerts in the township's inbox, escalations for the team, acknowledgements.

use ducha_domain::quiet::{QuietHoursConfig, delivery_time, delivery_time_with_override};
use ducha_domain::role::Role;
use ducha_domain::unit::UnitLevel;
use ducha_domain::workflow::Stage;
use ducha_opinion::entities::Enterprise;
use ducha_opinion::record::{self, RawItem};
use ducha_opinion::sentiment::SentimentLabel;
use ducha_opinion::severity::{Level, Signal};
use ducha_opinion::workflow::{self, ItemAction, ItemStatus};
use ducha_store::audit;
use ducha_store::directory;
use ducha_store::opinion::{self, AlertRow, ItemFilter, ItemRow, ItemScope, LinkedCase, NoteRow};
use ducha_store::outbox::{self, NewMessage};
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
        Ok(ItemView {
            id: r.id,
            status_label: status.label(),
            status: r.status,
            level_label: level.label(),
            level: r.level,
            auto_level: r.auto_level,
            score: r.score_milli as f32 / 1000.0,
            title: r.title.as_deref().map(|t| shield.screen(t).into_string()),
            body: shield.screen(&r.body).into_string(),
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
            place_evidence: parse_json(&r.place_evidence),
            enterprises: parse_json(&r.enterprises),
            keywords: parse_json(&r.keywords),
            sentiment: r.sentiment,
            sentiment_label: sentiment.label(),
            sentiment_score: r.sentiment_milli as f32 / 1000.0,
            signals: parse_json(&r.signals),
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
        let stage = Stage::parse(&l.stage)?;
        Ok(LinkedCaseView {
            region_label: self
                .region_label_of([l.county_code.as_deref(), l.township_code.as_deref(), None])
                .await?,
            case_id: l.case_id,
            accept_no: l.accept_no,
            text: self.screen_for_case(l.case_id, &l.redacted_text).await?.into_string(),
            stage: l.stage,
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

    /// One workflow step on an item, with its alerts / escalation, note and audit record in one
    /// transaction.
    pub async fn opinion_act(&self, user: &CurrentUser, id: i64, input: &ItemActInput) -> Result<ItemDetail> {
        let scope = desk_scope(user)?;
        let action = ItemAction::parse(&input.action)?;
        if !opinion::item_in_scope(&self.store, &scope, id).await? {
            return Err(opinion_not_found());
        }
        let note = trimmed(&input.note);
        let campaign = self.campaign().await?;
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let item = opinion::item_for_update(&mut tx, id).await?.ok_or_else(opinion_not_found)?;
        if let Some(orig) = item.dup_of {
            let mut e = AppError::conflict("opinion_item_is_repost", "这是一条转载，请在原帖上研判处置");
            e.details = vec![format!("/yuqing/items/{orig}")];
            return Err(e);
        }
        if let Some(v) = input.expected_version
            && v != item.version
        {
            return Err(AppError::conflict("stale_opinion_item", "该舆情已被他人更新，请刷新页面后重试"));
        }
        let status = ItemStatus::parse(&item.status)?;
        let mut level = Level::parse(&item.level).unwrap_or(Level::Low);
        if action == ItemAction::Assess
            && let Some(l) = trimmed(&input.level)
        {
            level = Level::parse(&l).ok_or_else(|| {
                AppError::invalid(
                    "level",
                    format!("未知的舆情等级“{l}”（应为 low、medium、high 或 critical）"),
                )
            })?;
        }
        let next = workflow::transition(status, action, level, note.as_deref())?;
        let mut detail =
            serde_json::json!({ "action": action.code(), "from": status.code(), "to": next.code() });
        if let Some(n) = &note {
            detail["note"] = n.clone().into();
        }
        let title = item_title(&item);
        let region = self
            .region_label_of([
                item.county_code.as_deref(),
                item.township_code.as_deref(),
                item.village_code.as_deref(),
            ])
            .await?;
        let excerpt: String = item.body.chars().take(120).collect();
        match action {
            ItemAction::Assess => {
                detail["level"] = level.code().into();
                detail["auto_level"] = item.auto_level.clone().into();
            }
            ItemAction::Alert => {
                let code = trimmed(&input.township_code).or(item.township_code.clone()).ok_or_else(|| {
                    AppError::invalid("township_code", "未能确定该舆情涉及的乡镇（街道），请选择预警对象")
                })?;
                let region_row = directory::region(&self.store, &code)
                    .await?
                    .filter(|r| r.level == "township")
                    .ok_or_else(|| {
                        AppError::invalid("township_code", format!("乡镇（街道）代码“{code}”不存在"))
                    })?;
                if let ItemScope::County(c) = &scope
                    && region_row.parent_code.as_deref() != Some(c.as_str())
                {
                    return Err(AppError::invalid(
                        "township_code",
                        format!("{}不属于本县（区），不能预警", region_row.short_name),
                    ));
                }
                let unit =
                    directory::township_unit_for_region(&self.store, &code).await?.ok_or_else(|| {
                        AppError::invalid(
                            "township_code",
                            format!("{}尚未建立单位账号，无法送达", region_row.short_name),
                        )
                    })?;
                let pending = opinion::alerts_for_item(&self.store, id)
                    .await?
                    .into_iter()
                    .any(|a| a.unit_id == unit.id && a.kind == "alert" && a.acknowledged_at.is_none());
                if pending {
                    return Err(AppError::conflict(
                        "alert_pending",
                        format!("已向{}预警，对方尚未签收", unit.name),
                    ));
                }
                let cfg = QuietHoursConfig::default();
                let cal = self.work_calendar()?;
                let created = ducha_domain::time::from_millis(now);
                let delivery = match trimmed(&input.override_reason) {
                    Some(reason) => {
                        if level != Level::Critical {
                            return Err(AppError {
                                field: Some("override_reason".into()),
                                ..AppError::new(
                                    ErrorKind::Rule,
                                    "r5_1_override_critical_only",
                                    "只有特别重大舆情才可在夜间静默时段紧急送达乡镇（街道）",
                                )
                            });
                        }
                        delivery_time_with_override(created, UnitLevel::Township, &cfg, cal, &reason)?
                    }
                    None => delivery_time(created, UnitLevel::Township, &cfg, cal)?,
                };
                let override_reason = delivery.overridden.then(|| trimmed(&input.override_reason)).flatten();
                let message = format!(
                    "{region}出现{}舆情：{excerpt}（来源：{}）。请核实情况、依法处置并及时回应群众关切，处置后在平台签收反馈。",
                    level.label(),
                    item.outlet.as_deref().unwrap_or("网络")
                );
                let message = self.shield_none().await?.screen(&message).into_string();
                let title = self.shield_none().await?.screen(&title).into_string();
                let outbox_id = outbox::enqueue(
                    &mut tx,
                    &NewMessage {
                        kind: "opinion_alert".into(),
                        channel: "inbox".into(),
                        unit_id: Some(unit.id),
                        user_id: None,
                        subject: format!("【舆情预警·{}】{title}", level.label()),
                        body: message.clone(),
                        payload: serde_json::json!({ "opinion_item_id": id, "link": format!("/yuqing/items/{id}") }),
                        created_at: now,
                        deliver_after: delivery.at.timestamp_millis(),
                        override_reason: override_reason.clone(),
                    },
                )
                .await?;
                let alert_id = opinion::insert_alert(
                    &mut tx,
                    &AlertRow {
                        id: 0,
                        item_id: id,
                        kind: "alert".into(),
                        unit_id: unit.id,
                        outbox_id: Some(outbox_id),
                        message,
                        created_at: now,
                        deliver_after: delivery.at.timestamp_millis(),
                        deferred: i64::from(delivery.deferred),
                        override_reason: override_reason.clone(),
                        created_by: Some(user.id),
                        acknowledged_at: None,
                        acknowledged_by: None,
                        ack_note: None,
                    },
                )
                .await?;
                detail["alert_id"] = alert_id.into();
                detail["unit_id"] = unit.id.into();
                detail["unit"] = unit.name.clone().into();
                detail["deliver_after"] = delivery.at.timestamp_millis().into();
                detail["deferred"] = delivery.deferred.into();
                detail["overridden"] = delivery.overridden.into();
                detail["delivery"] = delivery.reason_text.clone().into();
                if let Some(r) = &override_reason {
                    detail["override_reason"] = r.clone().into();
                }
            }
            ItemAction::Escalate => {
                let cfg = QuietHoursConfig::default();
                let cal = self.work_calendar()?;
                let created = ducha_domain::time::from_millis(now);
                let linked = opinion::linked_cases(&self.store, id).await?;
                let cases: Vec<String> = linked.iter().map(|l| l.accept_no.clone()).collect();
                let cases_text = if cases.is_empty() {
                    String::new()
                } else {
                    format!("涉及交办案件：{}。", cases.join("、"))
                };
                let mut sent = Vec::new();
                for (unit_id, kind, unit_level, lead) in [
                    (campaign.team_unit_id, "escalation", UnitLevel::Team, "报送督察组"),
                    (campaign.city_unit_id, "copy", UnitLevel::City, "抄送市攻坚办"),
                ] {
                    let delivery = delivery_time(created, unit_level, &cfg, cal)?;
                    let message = format!(
                        "{}舆情（{region}）：{excerpt}（来源：{}）。{cases_text}{}",
                        level.label(),
                        item.outlet.as_deref().unwrap_or("网络"),
                        note.as_deref().map(|n| format!("研判意见：{n}")).unwrap_or_default()
                    );
                    let shield = self.shield_none().await?;
                    let message = shield.screen(&message).into_string();
                    let title = shield.screen(&title).into_string();
                    let outbox_id = outbox::enqueue(
                        &mut tx,
                        &NewMessage {
                            kind: format!("opinion_{kind}"),
                            channel: "inbox".into(),
                            unit_id: Some(unit_id),
                            user_id: None,
                            subject: format!("【舆情{lead}·{}】{title}", level.label()),
                            body: message.clone(),
                            payload: serde_json::json!({ "opinion_item_id": id, "link": format!("/yuqing/items/{id}") }),
                            created_at: now,
                            deliver_after: delivery.at.timestamp_millis(),
                            override_reason: None,
                        },
                    )
                    .await?;
                    let alert_id = opinion::insert_alert(
                        &mut tx,
                        &AlertRow {
                            id: 0,
                            item_id: id,
                            kind: kind.into(),
                            unit_id,
                            outbox_id: Some(outbox_id),
                            message,
                            created_at: now,
                            deliver_after: delivery.at.timestamp_millis(),
                            deferred: i64::from(delivery.deferred),
                            override_reason: None,
                            created_by: Some(user.id),
                            acknowledged_at: None,
                            acknowledged_by: None,
                            ack_note: None,
                        },
                    )
                    .await?;
                    sent.push(serde_json::json!({ "alert_id": alert_id, "kind": kind, "unit_id": unit_id }));
                }
                detail["sent"] = sent.into();
                detail["linked_cases"] = cases.into();
            }
            ItemAction::Handle | ItemAction::Reopen | ItemAction::Note => {}
        }
        if let Some(n) = &note {
            opinion::insert_note(
                &mut tx,
                &NoteRow {
                    id: 0,
                    item_id: id,
                    at: now,
                    user_id: Some(user.id),
                    author_name: format!("{}（{}）", user.display_name, user.unit.name),
                    action: action.code().into(),
                    body: n.clone(),
                },
            )
            .await?;
        }
        let new_level = (action == ItemAction::Assess).then(|| level.code());
        opinion::update_item_state(&mut tx, id, item.version, next.code(), new_level, now).await?;
        audit::append(
            &mut tx,
            &user.audit(now, &format!("opinion.{}", action.code()), "opinion_item", id, detail),
        )
        .await?;
        tx.commit().await?;
        self.opinion_item(user, id).await
    }

    /// Link an item to a case by accept number or id (the desk's own judgement).
    pub async fn link_opinion_case(&self, user: &CurrentUser, id: i64, case_key: &str) -> Result<ItemDetail> {
        let scope = desk_scope(user)?;
        if !opinion::item_in_scope(&self.store, &scope, id).await? {
            return Err(opinion_not_found());
        }
        // A case of another county answers exactly like one that does not exist.
        let not_found = || {
            AppError::invalid(
                "case",
                format!("未找到受理编号为“{}”的案件，或该案件不在本县（区）", case_key.trim()),
            )
        };
        let case = opinion::case_for_link(&self.store, case_key).await?.ok_or_else(not_found)?;
        if let ItemScope::County(c) = &scope
            && case.county_code.as_deref() != Some(c.as_str())
        {
            return Err(not_found());
        }
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let added = opinion::insert_link(
            &mut tx,
            id,
            case.id,
            0,
            "[\"舆情专员人工关联\"]",
            "manual",
            Some(user.id),
            now,
        )
        .await?;
        if !added {
            return Err(AppError::conflict("already_linked", format!("已关联案件 {}", case.accept_no)));
        }
        audit::append(
            &mut tx,
            &user.audit(
                now,
                "opinion.link",
                "opinion_item",
                id,
                serde_json::json!({ "case_id": case.id, "accept_no": case.accept_no }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.opinion_item(user, id).await
    }

    pub async fn unlink_opinion_case(&self, user: &CurrentUser, id: i64, case_id: i64) -> Result<ItemDetail> {
        let scope = desk_scope(user)?;
        if !opinion::item_in_scope(&self.store, &scope, id).await? {
            return Err(opinion_not_found());
        }
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        if !opinion::delete_link(&mut tx, id, case_id).await? {
            return Err(AppError::not_found("link_not_found", "该舆情未关联此案件"));
        }
        audit::append(
            &mut tx,
            &user.audit(now, "opinion.unlink", "opinion_item", id, serde_json::json!({ "case_id": case_id })),
        )
        .await?;
        tx.commit().await?;
        self.opinion_item(user, id).await
    }

    /// Alerts, escalations and copies delivered to the user's unit (quiet hours respected).
    pub async fn my_opinion_alerts(&self, user: &CurrentUser) -> Result<Vec<AlertView>> {
        read_scope(user)?;
        let mut out = Vec::new();
        for a in opinion::alerts_for_unit(&self.store, user.unit.id, self.now_ms(), 200).await? {
            out.push(self.alert_view(a).await?);
        }
        Ok(out)
    }

    /// Acknowledge an alert (township), an escalation (team) or a copy (city office).
    pub async fn acknowledge_opinion_alert(
        &self,
        user: &CurrentUser,
        alert_id: i64,
        input: &AckInput,
    ) -> Result<AlertView> {
        let now = self.now_ms();
        let not_found = || AppError::not_found("alert_not_found", "未找到该预警，或该预警不是发给本单位的");
        let mut tx = self.store.begin().await?;
        let a = opinion::alert_for_update(&mut tx, alert_id).await?.ok_or_else(not_found)?;
        if a.unit_id != user.unit.id || a.deliver_after > now {
            return Err(not_found());
        }
        let role_ok = match a.kind.as_str() {
            "alert" => user.role == Role::Handler,
            "escalation" => user.role == Role::Team,
            "copy" => user.role == Role::Office,
            _ => false,
        };
        if !role_ok {
            return Err(AppError::forbidden("您的角色不能签收此项"));
        }
        let note = trimmed(&input.note);
        if !opinion::acknowledge_alert(&mut tx, alert_id, user.id, now, note.as_deref()).await? {
            return Err(AppError::conflict("already_acknowledged", "已签收，无需重复签收"));
        }
        if let Some(n) = &note {
            opinion::insert_note(
                &mut tx,
                &NoteRow {
                    id: 0,
                    item_id: a.item_id,
                    at: now,
                    user_id: Some(user.id),
                    author_name: format!("{}（{}）", user.display_name, user.unit.name),
                    action: "acknowledge".into(),
                    body: n.clone(),
                },
            )
            .await?;
        }
        audit::append(
            &mut tx,
            &user.audit(
                now,
                "opinion.acknowledge",
                "opinion_item",
                a.item_id,
                serde_json::json!({ "alert_id": alert_id, "kind": a.kind, "note": note }),
            ),
        )
        .await?;
        tx.commit().await?;
        let row = opinion::alerts_for_item(&self.store, a.item_id)
            .await?
            .into_iter()
            .find(|x| x.id == alert_id)
            .ok_or_else(not_found)?;
        self.alert_view(row).await
    }
}
