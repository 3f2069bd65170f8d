//! Callbacks (回访) on closed cases: recorded by an operator or answered by the complainant through a
//! signed, expiring link sent by SMS; 不满意 sends the case back to the county for review.

use ducha_domain::callback::{
    Callback, CallbackChannel, CallbackResult, Satisfaction, callback_requires_review,
};
use ducha_domain::role::Role;
use ducha_domain::time::from_millis;
use ducha_domain::workflow::Stage;
use ducha_store::audit::{self, AuditEntry};
use ducha_store::cases;
use ducha_store::followup;
use ducha_store::outbox::NewMessage;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::settings::CampaignSettings;
use crate::{App, AppError, Result};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CallbackInput {
    /// `phone` or `visit` (the web form has its own path).
    pub channel: String,
    /// `answered`, `not_reached`, `declined`.
    pub result: String,
    /// 满意 / 基本满意 / 不满意 (or satisfied / basically_satisfied / dissatisfied) when answered.
    #[serde(default)]
    pub satisfaction: Option<String>,
    #[serde(default)]
    pub comment: String,
}

fn callback_result(result: &str, satisfaction: Option<&str>) -> Result<CallbackResult> {
    match result.trim() {
        "answered" => {
            let s = satisfaction
                .ok_or_else(|| AppError::invalid("satisfaction", "请选择满意、基本满意或不满意"))?;
            Ok(CallbackResult::Answered { satisfaction: Satisfaction::parse(s)? })
        }
        "not_reached" => Ok(CallbackResult::NotReached),
        "declined" => Ok(CallbackResult::Declined),
        other => Err(AppError::invalid("result", format!("未知的回访结果“{other}”"))),
    }
}

impl App {
    /// Record a callback on a closed (or partly closed) case; 不满意 sends it back to the county for review.
    /// An answer through the complainant's link uses the link up (`link`: its token hash) in the same
    /// transaction: a refused or failed answer leaves the link as it was, so the complainant can answer
    /// again; an answer is never lost behind a used link.
    pub async fn record_callback(
        &self,
        user: Option<&CurrentUser>,
        case_id: i64,
        channel: CallbackChannel,
        result: CallbackResult,
        comment: &str,
        link: Option<&str>,
    ) -> Result<bool> {
        let case = cases::get(&self.store, case_id).await?.ok_or_else(AppError::case_not_found)?;
        let stage = case.stage;
        if !matches!(stage, Stage::Closed | Stage::PartlyClosed) {
            return Err(AppError::conflict("not_closed", "只能对已办结或阶段性办结的案件回访"));
        }
        let now = self.now_ms();
        let cb = Callback {
            case_id: case_id.to_string(),
            at: from_millis(now),
            channel,
            result,
            comment: comment.trim().chars().take(1000).collect(),
        };
        cb.validate()?;
        let review = callback_requires_review(&cb);
        // What the commenter typed is sealed; staff, the audit chain and notices get the firewalled text.
        let screened = self.screen_for_case(case_id, &cb.comment).await?;
        let screened = screened.as_str();
        let channel_code = match channel {
            CallbackChannel::Phone => "phone",
            CallbackChannel::WebForm => "web_form",
            CallbackChannel::Visit => "visit",
        };
        let (result_code, sat) = match result {
            CallbackResult::Answered { satisfaction } => ("answered", Some(satisfaction.label())),
            CallbackResult::NotReached => ("not_reached", None),
            CallbackResult::Declined => ("declined", None),
        };
        let mut tx = self.store.begin().await?;
        if let Some(hash) = link
            && !followup::use_link(&mut tx, hash, now).await?
        {
            return Err(AppError::conflict("link_used", "该回访链接已使用过，感谢您的评价"));
        }
        let locked = cases::get_for_update(&mut tx, case_id).await?.ok_or_else(AppError::case_not_found)?;
        if locked.stage != case.stage {
            // Moved on since it was read (another callback reopened it, say).
            return Err(AppError::conflict("not_closed", "只能对已办结或阶段性办结的案件回访"));
        }
        followup::insert_callback(
            &mut tx,
            self.cipher.as_ref(),
            case_id,
            now,
            channel_code,
            result_code,
            sat,
            followup::CallbackComment { screened, original: &cb.comment },
            user.map(|u| u.id),
        )
        .await?;
        let entry = match user {
            Some(u) => u.audit(
                now,
                "case.callback",
                "case",
                case_id,
                serde_json::json!({ "channel": channel_code, "result": result_code, "satisfaction": sat }),
            ),
            None => AuditEntry {
                at_ms: now,
                actor_user_id: None,
                actor_unit_id: None,
                actor_name: "举报人（回访链接）".into(),
                action: "case.callback".into(),
                entity_type: "case".into(),
                entity_id: case_id.to_string(),
                detail: serde_json::json!({ "channel": channel_code, "result": result_code, "satisfaction": sat }),
            },
        };
        audit::append(&mut tx, &entry).await?;
        if review {
            cases::update(
                &mut tx,
                case_id,
                locked.version,
                &cases::CasePatch {
                    stage: Some(Stage::AwaitingVerification.code().into()),
                    ..Default::default()
                },
                now,
            )
            .await?;
            let mut e = entry.clone();
            e.action = "case.transition".into();
            e.detail = serde_json::json!({ "action": "reopen_for_review", "from": stage.code(), "to": "awaiting_verification", "reason": format!("回访不满意：{screened}") });
            audit::append(&mut tx, &e).await?;
            if let Some(county) = case.county_unit_id {
                self.enqueue_notice(
                    &mut tx,
                    &NewMessage {
                        kind: "case".into(),
                        channel: "inbox".into(),
                        unit_id: Some(county),
                        user_id: None,
                        subject: format!("回访不满意，请复核 {}", case.accept_no),
                        body: if screened.is_empty() {
                            "群众回访表示不满意，请复核办理情况。".into()
                        } else {
                            format!("群众回访表示不满意：{screened}")
                        },
                        payload: serde_json::json!({ "case_id": case.id, "accept_no": case.accept_no }),
                        created_at: now,
                        deliver_after: now,
                        override_reason: None,
                    },
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(review)
    }

    /// An operator's callback from the form/API.
    pub async fn operator_callback(
        &self,
        user: &CurrentUser,
        case_id: i64,
        input: &CallbackInput,
    ) -> Result<bool> {
        if !matches!(user.role, Role::Operator | Role::Team) {
            return Err(AppError::forbidden("回访由热线接线员或督察组记录"));
        }
        self.visible_case(user, case_id).await?;
        let channel = match input.channel.trim() {
            "phone" => CallbackChannel::Phone,
            "visit" => CallbackChannel::Visit,
            other => return Err(AppError::invalid("channel", format!("未知的回访方式“{other}”"))),
        };
        let result = callback_result(&input.result, input.satisfaction.as_deref())?;
        self.record_callback(Some(user), case_id, channel, result, &input.comment, None).await
    }

    /// A signed, expiring one-page link for the complainant, sent by SMS to the phone they left (the
    /// number is decrypted only by the delivery worker). Returns the link.
    pub async fn send_callback_link(&self, user: &CurrentUser, case_id: i64) -> Result<String> {
        if !matches!(user.role, Role::Operator | Role::Team) {
            return Err(AppError::forbidden("回访链接由热线接线员或督察组发送"));
        }
        let case = self.visible_case(user, case_id).await?;
        if !matches!(case.stage, Stage::Closed | Stage::PartlyClosed) {
            return Err(AppError::conflict("not_closed", "只能对已办结或阶段性办结的案件回访"));
        }
        if case.has_identity == 0 {
            return Err(AppError::conflict("no_phone", "匿名举报，未留联系电话，无法发送回访链接"));
        }
        let campaign = self.campaign().await?;
        let settings = CampaignSettings::of(&campaign);
        let token = crate::auth::random_token();
        let now = self.now_ms();
        let link = format!("{}/huifang/{token}", self.cfg.public_base_url.trim_end_matches('/'));
        let mut tx = self.store.begin().await?;
        followup::insert_link(
            &mut tx,
            &crate::auth::token_hash(&token),
            case_id,
            now,
            now + i64::from(settings.callback_link_days) * 86_400_000,
        )
        .await?;
        ducha_store::outbox::enqueue(
            &mut tx,
            &NewMessage {
                kind: "callback_link".into(),
                channel: "sms".into(),
                unit_id: None,
                user_id: None,
                subject: "回访".into(),
                body: format!(
                    "【督察举报回访】您反映的问题（受理编号{}）已办理，请点击评价：{link}",
                    case.accept_no
                ),
                payload: serde_json::json!({ "case_id": case_id }),
                created_at: now,
                deliver_after: now,
                override_reason: None,
            },
        )
        .await?;
        audit::append(
            &mut tx,
            &user.audit(
                now,
                "case.callback_link",
                "case",
                case_id,
                serde_json::json!({ "expires_days": settings.callback_link_days }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(link)
    }

    /// The case a callback link is for, if the link is valid: (case id, accept number, redacted text).
    pub async fn callback_link_case(&self, token: &str) -> Result<(i64, String, String)> {
        let (case_id, expires, used) = followup::link(&self.store, &crate::auth::token_hash(token))
            .await?
            .ok_or_else(|| AppError::not_found("link_invalid", "回访链接无效"))?;
        if used.is_some() {
            return Err(AppError::conflict("link_used", "该回访链接已使用过，感谢您的评价"));
        }
        if expires < self.now_ms() {
            return Err(AppError::conflict("link_expired", "回访链接已过期，如需评价请拨打督察举报电话"));
        }
        let c = cases::get(&self.store, case_id)
            .await?
            .ok_or_else(|| AppError::not_found("link_invalid", "回访链接无效"))?;
        // The page is public: the text goes through the case's firewall.
        let text = self.screen_for_case(c.id, &c.redacted_text).await?.into_string();
        Ok((c.id, c.accept_no, text))
    }

    /// The complainant answers through the link (once).
    pub async fn answer_callback_link(&self, token: &str, satisfaction: &str, comment: &str) -> Result<bool> {
        let (case_id, _, _) = self.callback_link_case(token).await?;
        let result = CallbackResult::Answered { satisfaction: Satisfaction::parse(satisfaction)? };
        let hash = crate::auth::token_hash(token);
        self.record_callback(None, case_id, CallbackChannel::WebForm, result, comment, Some(&hash)).await
    }
}
