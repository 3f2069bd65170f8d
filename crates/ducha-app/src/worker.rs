//! The background worker: drains the transactional outbox (in-app inbox, e-mail over SMTP, HTTP
//! webhooks, SMS gateway), reminds units before their due time, escalates overdue tasks one level
//! up, and runs the R1.3 "长停久治、久治不验" check.
//!
//! Delivery is exactly-once towards our own inbox (the inbox row is written in the same transaction
//! that marks the message delivered, and is unique per message) and effectively-once towards external
//! receivers: a message is claimed under a lease (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so several
//! instances never claim the same row), sent, then marked delivered only by the worker still holding
//! the lease; every send carries the message's stable id (`Message-ID: <outbox-N@ducha>` for e-mail,
//! `Idempotency-Key: outbox-N` for webhooks), so if a worker dies between sending and marking, the
//! resend after the lease expires is recognisable by the receiver.
//! Quiet hours (R5.1) are decided when a message is created (its `deliver_after`) and checked again
//! here before anything reaches a township or department.

use std::time::Duration;

use chrono::{DateTime, Utc};
use ducha_domain::quiet::delivery_time;
use ducha_domain::time::{from_millis, human_cst};
use ducha_domain::unit::UnitLevel;
use ducha_store::audit::{self, AuditEntry};
use ducha_store::cases::{self, AssignmentMark};
use ducha_store::directory;
use ducha_store::outbox::{self, MessageRow, NewMessage};
use hmac::{KeyInit, Mac};
use serde::Serialize;

use crate::admin_units::WebhookKind;
use crate::settings::CampaignSettings;
use crate::{App, AppError, Result};

/// What one delivery round did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct RoundReport {
    pub delivered: usize,
    pub postponed: usize,
    pub failed: usize,
    pub reminded: usize,
    pub escalated: usize,
    pub alerts: usize,
}

/// Lease on a claimed message.
const LEASE_MS: i64 = 60_000;
/// Attempts before a message is given up (and shown as failed on the dashboard).
const MAX_ATTEMPTS: i64 = 8;

fn backoff_ms(attempts: i64) -> i64 {
    // 30 s, 1 min, 2 min … capped at 2 h.
    (30_000i64 << attempts.clamp(0, 8)).min(2 * 3_600_000)
}

/// The HTTP client for webhooks: rustls on the *ring* provider, short timeouts.
fn http_client() -> Result<reqwest::Client> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(15))
        .user_agent("ducha-notify/1")
        .build()
        .map_err(|e| AppError::internal(format!("http client: {e}")))
}

fn sign(secret: Option<&str>, body: &[u8]) -> Option<String> {
    let secret = secret?;
    let mut mac = hmac::Hmac::<sm3::Sm3>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(body);
    Some(hex::encode(mac.finalize().into_bytes()))
}

impl App {
    /// Enqueue a notice to a unit on every channel the unit has: the in-app inbox always, e-mail,
    /// webhook and SMS when the unit has them (each its own outbox row, delivered exactly once).
    pub async fn enqueue_notice(&self, tx: &mut ducha_store::Tx, m: &NewMessage) -> Result<()> {
        let m = &self.screen_message(m).await?;
        outbox::enqueue(tx, m).await?;
        if let Some(unit_id) = m.unit_id
            && let Some(u) = ducha_store::admin::unit_in_tx(tx, unit_id).await?
        {
            if u.contact_email.as_deref().is_some_and(|e| !e.trim().is_empty()) && self.cfg.smtp.is_some() {
                outbox::enqueue(tx, &NewMessage { channel: "email".into(), ..m.clone() }).await?;
            }
            if u.contact_webhook.as_deref().is_some_and(|w| !w.trim().is_empty()) {
                outbox::enqueue(tx, &NewMessage { channel: "webhook".into(), ..m.clone() }).await?;
            }
            if u.contact_sms.as_deref().is_some_and(|n| !n.trim().is_empty())
                && self.cfg.sms_webhook_url.is_some()
            {
                outbox::enqueue(tx, &NewMessage { channel: "sms".into(), ..m.clone() }).await?;
            }
        }
        Ok(())
    }

    /// One pass over due messages.
    pub async fn deliver_outbox(&self, worker: &str) -> Result<RoundReport> {
        let mut report = RoundReport::default();
        let now = self.clock.now();
        let now_ms = now.timestamp_millis();
        let batch = outbox::claim(&self.store, worker, now_ms, now_ms + LEASE_MS, 50).await?;
        if batch.is_empty() {
            return Ok(report);
        }
        let client = http_client()?;
        let campaign = directory::current_campaign(&self.store, &self.today_cst()).await?;
        let settings = campaign.as_ref().map(CampaignSettings::of).unwrap_or_default();
        for m in batch {
            // R5.1 again at the door: a grassroots unit gets nothing in quiet hours without an override.
            if m.override_reason.is_none()
                && let Some(unit_id) = m.unit_id
                && let Some(u) = directory::unit(&self.store, unit_id).await?
            {
                let d = delivery_time(now, u.level, &settings.quiet, &self.calendar());
                if let Ok(d) = d
                    && d.deferred
                {
                    outbox::postpone(&self.store, m.id, worker, d.at.timestamp_millis()).await?;
                    report.postponed += 1;
                    continue;
                }
            }
            let sent = match m.channel.as_str() {
                "inbox" => Ok(()),
                "email" => self.send_email(&m).await,
                "webhook" => self.send_webhook(&client, &m).await,
                "sms" => self.send_sms(&client, &m).await,
                other => Err(format!("unknown channel {other}")),
            };
            match sent {
                Ok(()) => {
                    let link = serde_json::from_str::<serde_json::Value>(&m.payload)
                        .ok()
                        .and_then(|p| p.get("case_id").and_then(|v| v.as_i64()))
                        .map(|id| format!("/cases/{id}"));
                    if outbox::complete(&self.store, &m, worker, self.now_ms(), link.as_deref()).await? {
                        report.delivered += 1;
                    }
                }
                Err(e) => {
                    tracing::warn!(id = m.id, channel = %m.channel, error = %e, "delivery failed");
                    let retry = (m.attempts + 1 < MAX_ATTEMPTS).then(|| now_ms + backoff_ms(m.attempts));
                    outbox::fail(&self.store, m.id, worker, &e, retry).await?;
                    report.failed += 1;
                }
            }
        }
        Ok(report)
    }

    async fn send_email(&self, m: &MessageRow) -> std::result::Result<(), String> {
        use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
        let smtp = self.cfg.smtp.as_ref().ok_or("SMTP not configured")?;
        let unit_id = m.unit_id.ok_or("no recipient unit")?;
        let unit =
            directory::unit(&self.store, unit_id).await.map_err(|e| e.to_string())?.ok_or("unit gone")?;
        let to = unit.contact_email.ok_or("unit has no e-mail")?;
        let email = Message::builder()
            .message_id(Some(format!("<outbox-{}@ducha>", m.id)))
            .from(smtp.from.parse().map_err(|e| format!("from: {e}"))?)
            .to(to.parse().map_err(|e| format!("to: {e}"))?)
            .subject(m.subject.clone())
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(format!("{}\n\n（本邮件由督察举报办理平台发送，编号 outbox-{}）", m.body, m.id))
            .map_err(|e| e.to_string())?;
        let mut builder = if smtp.starttls {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host).map_err(|e| e.to_string())?
        } else {
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
        }
        .port(smtp.port)
        .timeout(Some(Duration::from_secs(15)));
        if let (Some(u), Some(p)) = (&smtp.username, &smtp.password) {
            builder = builder
                .credentials(lettre::transport::smtp::authentication::Credentials::new(u.clone(), p.clone()));
        }
        builder.build().send(email).await.map(|_| ()).map_err(|e| e.to_string())
    }

    async fn send_webhook(
        &self,
        client: &reqwest::Client,
        m: &MessageRow,
    ) -> std::result::Result<(), String> {
        let unit_id = m.unit_id.ok_or("no recipient unit")?;
        let unit = ducha_store::admin::unit(&self.store, unit_id)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("unit gone")?;
        let url = unit.contact_webhook.clone().ok_or("unit has no webhook")?;
        let kind = WebhookKind::of(&unit.webhook_kind);
        let body = webhook_body(kind, m, &unit).to_string();
        let mut req = client
            .post(&url)
            .header("content-type", "application/json")
            .header("idempotency-key", format!("outbox-{}", m.id))
            .body(body.clone());
        if kind == WebhookKind::Generic
            && let Some(sig) = sign(self.cfg.webhook_secret.as_deref(), body.as_bytes())
        {
            req = req.header("x-ducha-signature", format!("hmac-sm3={sig}"));
        }
        let resp = req.send().await.map_err(without_url)?;
        if !resp.status().is_success() {
            return Err(format!("webhook answered {}", resp.status()));
        }
        if kind == WebhookKind::Generic {
            return Ok(());
        }
        // The robots answer 200 with `{"errcode":0,"errmsg":"ok"}`; a non-zero `errcode` is a refusal
        // (wrong key, keyword missing, rate limited) and is retried like a failed delivery. A body
        // without one (a relay in between) counts as accepted, as the status said.
        let text = resp.text().await.map_err(without_url)?;
        let answer: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        match answer.get("errcode").and_then(serde_json::Value::as_i64) {
            None | Some(0) => Ok(()),
            Some(code) => Err(format!(
                "{} robot refused: errcode {code} {}",
                kind.code(),
                answer.get("errmsg").and_then(serde_json::Value::as_str).unwrap_or("")
            )),
        }
    }

    /// SMS to a complainant (callback links): the phone number is decrypted only now, at delivery, and
    /// that read is audited; the outbox itself never holds it.
    async fn send_sms(&self, client: &reqwest::Client, m: &MessageRow) -> std::result::Result<(), String> {
        let url = self.cfg.sms_webhook_url.clone().ok_or("SMS gateway not configured")?;
        if let Some(unit_id) = m.unit_id {
            return self.send_unit_sms(client, &url, unit_id, m).await;
        }
        let payload: serde_json::Value = serde_json::from_str(&m.payload).map_err(|e| e.to_string())?;
        let case_id = payload.get("case_id").and_then(|v| v.as_i64()).ok_or("no case")?;
        let cipher = self.cipher.as_ref().ok_or("no key")?;
        let who = cases::identity(&self.store, cipher, case_id)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("no identity")?;
        let phone = who.phone.ok_or("complainant left no phone")?;
        let mut tx = self.store.begin().await.map_err(|e| e.to_string())?;
        audit::append(
            &mut tx,
            &AuditEntry {
                at_ms: self.now_ms(),
                actor_user_id: None,
                actor_unit_id: None,
                actor_name: "短信网关（系统）".into(),
                action: "identity.read".into(),
                entity_type: "case".into(),
                entity_id: case_id.to_string(),
                detail: serde_json::json!({ "purpose": "callback_sms", "outbox_id": m.id }),
            },
        )
        .await
        .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        let body = serde_json::json!({ "id": format!("outbox-{}", m.id), "phone": phone, "text": m.body })
            .to_string();
        let resp = client
            .post(&url)
            .header("content-type", "application/json")
            .header("idempotency-key", format!("outbox-{}", m.id))
            .body(body)
            .send()
            .await
            .map_err(without_url)?;
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(format!("SMS gateway answered {}", resp.status()))
        }
    }

    /// A notice by SMS to a unit's duty number (no complainant data is involved).
    async fn send_unit_sms(
        &self,
        client: &reqwest::Client,
        url: &str,
        unit_id: i64,
        m: &MessageRow,
    ) -> std::result::Result<(), String> {
        let unit = ducha_store::admin::unit(&self.store, unit_id)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("unit gone")?;
        let phone = unit.contact_sms.ok_or("unit has no SMS number")?;
        let body = serde_json::json!({
            "id": format!("outbox-{}", m.id),
            "phone": phone,
            "text": format!("【督察举报办理】{}：{}", m.subject, m.body),
        })
        .to_string();
        let resp = client
            .post(url)
            .header("content-type", "application/json")
            .header("idempotency-key", format!("outbox-{}", m.id))
            .body(body)
            .send()
            .await
            .map_err(without_url)?;
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(format!("SMS gateway answered {}", resp.status()))
        }
    }

    /// Remind units a working day (configurable) before their due time; escalate overdue tasks one
    /// level up (never sideways), once each.
    pub async fn remind_and_escalate(&self) -> Result<RoundReport> {
        let mut report = RoundReport::default();
        let Some(campaign) = directory::current_campaign(&self.store, &self.today_cst()).await? else {
            return Ok(report);
        };
        let settings = CampaignSettings::of(&campaign);
        let now = self.clock.now();
        let now_ms = now.timestamp_millis();
        // Remind when the remaining working time drops under the threshold; look ahead generously in
        // calendar time and let the working-time count decide.
        let horizon = now_ms + 10 * 86_400_000;
        for a in cases::assignments_to_remind(&self.store, now_ms, horizon).await? {
            let Some(due) = a.due_at else { continue };
            let left = ducha_domain::deadline::working_days_between(now, from_millis(due), &self.calendar())
                .map(|r| r.working_seconds)
                .unwrap_or(i64::MAX);
            if left > i64::from(settings.reminder_working_hours) * 3600 {
                continue;
            }
            let Some(case) = cases::get(&self.store, a.case_id).await? else { continue };
            let mut tx = self.store.begin().await?;
            if !cases::mark_assignment(&mut tx, a.id, AssignmentMark::Reminded, now_ms).await? {
                continue;
            }
            let msg = self
                .grassroots_safe(
                    NewMessage {
                        kind: "reminder".into(),
                        channel: "inbox".into(),
                        unit_id: Some(a.unit_id),
                        user_id: None,
                        subject: format!("即将到期 {}", case.accept_no),
                        body: format!(
                            "该案件办理期限为{}（{}），请按时报送办理结果；确有困难可申请延期。",
                            human_cst(from_millis(due)),
                            self.remaining(due)
                        ),
                        payload: serde_json::json!({ "case_id": case.id, "accept_no": case.accept_no }),
                        created_at: now_ms,
                        deliver_after: now_ms,
                        override_reason: None,
                    },
                    &a.level,
                    &settings,
                )
                .await;
            self.enqueue_notice(&mut tx, &msg).await?;
            tx.commit().await?;
            report.reminded += 1;
        }
        for a in cases::assignments_overdue(&self.store, now_ms).await? {
            let Some(case) = cases::get(&self.store, a.case_id).await? else { continue };
            // One level up: the unit that gave the task, or the team for the city's own batch.
            let up = match a.parent_id {
                Some(p) => cases::assignment(&self.store, p).await?.map(|p| (p.unit_id, p.level)),
                None => Some((campaign.team_unit_id, "team".to_owned())),
            };
            let Some((up_unit, up_level)) = up else { continue };
            let unit_name =
                directory::unit(&self.store, a.unit_id).await?.map(|u| u.name).unwrap_or_default();
            let mut tx = self.store.begin().await?;
            if !cases::mark_assignment(&mut tx, a.id, AssignmentMark::Escalated, now_ms).await? {
                continue;
            }
            let due = a.due_at.unwrap_or(now_ms);
            let msg = self
                .grassroots_safe(
                    NewMessage {
                        kind: "overdue".into(),
                        channel: "inbox".into(),
                        unit_id: Some(up_unit),
                        user_id: None,
                        subject: format!("超期未办结 {}", case.accept_no),
                        body: format!("{}承办的案件已于{}到期（{}），请督促办理。", unit_name, human_cst(from_millis(due)), self.remaining(due)),
                        payload: serde_json::json!({ "case_id": case.id, "accept_no": case.accept_no, "assignment_id": a.id }),
                        created_at: now_ms,
                        deliver_after: now_ms,
                        override_reason: None,
                    },
                    &up_level,
                    &settings,
                )
                .await;
            self.enqueue_notice(&mut tx, &msg).await?;
            audit::append(
                &mut tx,
                &AuditEntry {
                    at_ms: now_ms,
                    actor_user_id: None,
                    actor_unit_id: None,
                    actor_name: "系统".into(),
                    action: "case.overdue_escalated".into(),
                    entity_type: "case".into(),
                    entity_id: case.id.to_string(),
                    detail: serde_json::json!({ "assignment_id": a.id, "unit": unit_name, "escalated_to": up_unit }),
                },
            )
            .await?;
            tx.commit().await?;
            report.escalated += 1;
        }
        Ok(report)
    }

    /// A message's `deliver_after` moved past quiet hours when the recipient is grassroots.
    pub(crate) async fn grassroots_safe(
        &self,
        mut m: NewMessage,
        level: &str,
        settings: &CampaignSettings,
    ) -> NewMessage {
        if let Ok(level) = UnitLevel::parse(level)
            && let Ok(d) =
                delivery_time(from_millis(m.deliver_after), level, &settings.quiet, &self.calendar())
        {
            m.deliver_after = d.at.timestamp_millis();
        }
        m
    }

    /// Everything the worker does in one tick.
    pub async fn worker_tick(&self, worker: &str, housekeeping: bool) -> Result<RoundReport> {
        let mut r = self.deliver_outbox(worker).await?;
        if housekeeping {
            let h = self.remind_and_escalate().await?;
            r.reminded = h.reminded;
            r.escalated = h.escalated;
            r.alerts = self.check_endless_shutdowns().await?;
        }
        Ok(r)
    }
}

/// Run the worker until the process ends. Housekeeping (reminders, escalation, R1.3) runs every
/// five minutes; deliveries every `worker_poll_ms`.
pub fn spawn_worker(app: App, worker_id: String) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let poll = Duration::from_millis(app.cfg.worker_poll_ms.max(100));
        let mut last_housekeeping: Option<DateTime<Utc>> = None;
        loop {
            let now = app.clock.now();
            let housekeeping = last_housekeeping.is_none_or(|t| now - t >= chrono::Duration::minutes(5));
            match app.worker_tick(&worker_id, housekeeping).await {
                Ok(r) if r != RoundReport::default() => tracing::info!(?r, "worker round"),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e.message, detail = e.internal.as_deref().unwrap_or(""), "worker round failed")
                }
            }
            if housekeeping {
                last_housekeeping = Some(now);
            }
            tokio::time::sleep(poll).await;
        }
    })
}

/// What a unit's webhook receives: the robots' documented text message
/// (`{"msgtype":"text","text":{"content":…}}`, the same for 企业微信 and 钉钉), or the generic signed
/// JSON with the message's id, kind, unit, subject and body.
pub fn webhook_body(
    kind: WebhookKind,
    m: &MessageRow,
    unit: &ducha_store::admin::UnitAdminRow,
) -> serde_json::Value {
    match kind {
        WebhookKind::Wecom | WebhookKind::Dingtalk => serde_json::json!({
            "msgtype": "text",
            "text": { "content": format!("【督察举报办理】{}\n{}\n（{}，编号 outbox-{}）", m.subject, m.body, unit.name, m.id) },
        }),
        WebhookKind::Generic => serde_json::json!({
            "id": format!("outbox-{}", m.id),
            "kind": m.kind,
            "unit": { "id": unit.id, "code": unit.code, "name": unit.name },
            "subject": m.subject,
            "body": m.body,
            "created_at": m.created_at,
        }),
    }
}

/// A delivery error as logged and kept in the outbox, without the address it went to: webhook and
/// gateway addresses often carry their credential in the query string (`…/webhook/send?key=…`).
fn without_url(e: reqwest::Error) -> String {
    e.without_url().to_string()
}
