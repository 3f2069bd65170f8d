//! One workflow step on an item: assess, alert the township (quiet hours, R5.1 override for critical
//! items), escalate to the team with a copy to the city office, handle, reopen, note.

use ducha_domain::quiet::{QuietHoursConfig, delivery_time, delivery_time_with_override};
use ducha_domain::unit::UnitLevel;
use ducha_opinion::severity::Level;
use ducha_opinion::workflow::{self, ItemAction, ItemStatus};
use ducha_store::audit;
use ducha_store::directory;
use ducha_store::opinion::{self, AlertRow, ItemScope, NoteRow};
use ducha_store::outbox::{self, NewMessage};

use crate::auth::CurrentUser;
use crate::error::ErrorKind;
use crate::opinion::{desk_scope, opinion_not_found};
use crate::{App, AppError, Result};

use super::{ItemActInput, ItemDetail, item_title, trimmed};

impl App {
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
                    .filter(|r| r.level == ducha_domain::region::RegionLevel::Township)
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
                let cal = self.work_calendar();
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
                        delivery_time_with_override(created, UnitLevel::Township, &cfg, &cal, &reason)?
                    }
                    None => delivery_time(created, UnitLevel::Township, &cfg, &cal)?,
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
                let cal = self.work_calendar();
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
                    let delivery = delivery_time(created, unit_level, &cfg, &cal)?;
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
}
