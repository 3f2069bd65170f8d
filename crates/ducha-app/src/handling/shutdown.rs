//! The blanket-shutdown (一刀切) detector run when a report is saved (R1.2), and the R1.3 job that
//! raises "长停久治、久治不验" alerts for shutdowns and rectifications past due without verification.

use std::collections::HashMap;

use ducha_domain::handling::HandlingReport;
use ducha_domain::shutdown::{ShutdownRecord, detect_blanket_shutdowns, overdue_unverified};
use ducha_domain::unit::UnitLevel;
use ducha_domain::workflow::Stage;
use ducha_store::Tx;
use ducha_store::audit::{self, AuditEntry};
use ducha_store::cases;
use ducha_store::directory::{self, CampaignRow};
use ducha_store::followup;
use ducha_store::handling::{self as hstore, NewAlert};
use ducha_store::outbox::NewMessage;

use super::date_of;
use crate::settings::CampaignSettings;
use crate::{App, Result};

/// A name stripped of the usual legal-form suffixes, for matching subjects against complaint text.
fn core_name(name: &str) -> String {
    let mut n: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    for suffix in
        ["有限责任公司", "股份有限公司", "有限公司", "公司", "加工厂", "加工点", "作坊", "厂", "店", "场"]
    {
        if n.chars().count() > suffix.chars().count() + 1 && n.ends_with(suffix) {
            n.truncate(n.len() - suffix.len());
            break;
        }
    }
    n
}

impl App {
    /// R1.2: run the detector over the county's shutdowns and raise (once) every alert to the city.
    pub(super) async fn detect_blanket(
        &self,
        tx: &mut Tx,
        campaign: &CampaignRow,
        settings: &CampaignSettings,
        county_code: &str,
        now: i64,
    ) -> Result<usize> {
        let rows = hstore::shutdowns_in_county(tx, county_code).await?;
        let county_name = directory::region(&self.store, county_code)
            .await?
            .map(|r| r.short_name)
            .unwrap_or_else(|| county_code.to_owned());
        let records: Vec<ShutdownRecord> = rows
            .iter()
            .filter_map(|r| {
                Some(ShutdownRecord {
                    case_id: r.case_id.to_string(),
                    county_code: r.county_code.clone(),
                    county_name: county_name.clone(),
                    subject: r.subject.clone(),
                    industry: r.industry.clone(),
                    kind: ducha_domain::handling::MeasureKind::parse(&r.kind).ok()?,
                    on: r.starts_on.as_deref().and_then(|d| d.parse().ok())?,
                })
            })
            .collect();
        // Which subjects some complaint of the campaign names (by core name, in the redacted text).
        let texts = cases::texts_in_county(&self.store, campaign.id, county_code).await?;
        let named: HashMap<String, bool> = records
            .iter()
            .map(|r| {
                let core = core_name(&r.subject);
                (r.subject.clone(), !core.is_empty() && texts.iter().any(|t| t.contains(&core)))
            })
            .collect();
        let alerts = detect_blanket_shutdowns(
            &records,
            &|r: &ShutdownRecord| named.get(&r.subject).copied().unwrap_or(false),
            &settings.blanket_shutdown,
            date_of(now),
        );
        let mut raised = 0;
        for a in alerts {
            let case_ids: Vec<i64> = a.evidence.iter().filter_map(|e| e.case_id.parse().ok()).collect();
            let evidence: Vec<String> = a
                .evidence
                .iter()
                .map(|e| {
                    format!(
                        "{} {}：{}（{}）{}",
                        e.on,
                        e.subject,
                        e.kind.label(),
                        e.industry.clone().unwrap_or_else(|| "行业不明".into()),
                        if e.named_in_complaint { "" } else { "，无群众举报" }
                    )
                })
                .collect();
            let (_, fresh) = hstore::raise_alert(
                tx,
                &NewAlert {
                    kind: "blanket_shutdown".into(),
                    alert_key: a.key(),
                    level: UnitLevel::City.code().into(),
                    unit_id: Some(campaign.city_unit_id),
                    county_code: Some(county_code.to_owned()),
                    title: "疑似“一刀切”".into(),
                    summary: a.summary.clone(),
                    evidence,
                    case_ids,
                    escalation: 1,
                },
                now,
            )
            .await?;
            if fresh {
                raised += 1;
                self.enqueue_notice(
                    tx,
                    &NewMessage {
                        kind: "alert".into(),
                        channel: "inbox".into(),
                        unit_id: Some(campaign.city_unit_id),
                        user_id: None,
                        subject: format!("疑似“一刀切”预警：{county_name}"),
                        body: a.summary.clone(),
                        payload: serde_json::json!({ "alert_key": a.key() }),
                        created_at: now,
                        deliver_after: now,
                        override_reason: None,
                    },
                )
                .await?;
                audit::append(
                    tx,
                    &AuditEntry {
                        at_ms: now,
                        actor_user_id: None,
                        actor_unit_id: None,
                        actor_name: "系统（一刀切监测）".into(),
                        action: "alert.raised".into(),
                        entity_type: "alert".into(),
                        entity_id: a.key(),
                        detail: serde_json::json!({ "kind": "blanket_shutdown", "summary": a.summary }),
                    },
                )
                .await?;
            }
        }
        Ok(raised)
    }

    /// R1.3: shutdowns and scheduled rectifications past due without verification raise
    /// "长停久治、久治不验" alerts, escalating weekly (county → city → team). Returns alerts raised or
    /// escalated.
    pub async fn check_endless_shutdowns(&self) -> Result<usize> {
        let Some(campaign) = directory::current_campaign(&self.store, &self.today_cst()).await? else {
            return Ok(0);
        };
        let settings = CampaignSettings::of(&campaign);
        let now = self.now_ms();
        let today = date_of(now);
        let passes: HashMap<i64, i64> = followup::first_pass_times(&self.store).await?.into_iter().collect();
        let mut raised = 0;
        for row in hstore::all_reports(&self.store).await? {
            let Ok(report) = serde_json::from_str::<HandlingReport>(&row.report) else { continue };
            let Some(case) = cases::get(&self.store, row.case_id).await? else { continue };
            let stage = case.stage;
            // Verified on: the case's closing verification, unless a plan still runs (阶段性办结).
            let verified_on = match stage {
                Stage::Closed => passes.get(&case.id).map(|&t| date_of(t)),
                _ => None,
            };
            let county_code = case.county_code.clone().unwrap_or_default();
            let items = report.rectification_statuses(&case.id.to_string(), &county_code, "", verified_on);
            for a in overdue_unverified(&items, today, &settings.endless_shutdown) {
                let (unit_id, level) = match a.to_level {
                    UnitLevel::County => (case.county_unit_id, UnitLevel::County),
                    UnitLevel::City => (Some(campaign.city_unit_id), UnitLevel::City),
                    _ => (Some(campaign.team_unit_id), UnitLevel::Team),
                };
                let key = format!("r1_3:{}:{}:{}", a.case_id, a.subject, a.due);
                let mut tx = self.store.begin().await?;
                let (_, fresh) = hstore::raise_alert(
                    &mut tx,
                    &NewAlert {
                        kind: "endless_shutdown".into(),
                        alert_key: key.clone(),
                        level: level.code().into(),
                        unit_id,
                        county_code: Some(county_code.clone()),
                        title: "长停久治、久治不验".into(),
                        summary: a.summary.clone(),
                        evidence: vec![format!(
                            "受理编号 {}：{}，{}到期，已超期{}天",
                            case.accept_no, a.subject, a.due, a.days_overdue
                        )],
                        case_ids: vec![case.id],
                        escalation: i64::from(a.level),
                    },
                    now,
                )
                .await?;
                if fresh {
                    raised += 1;
                    if let Some(u) = unit_id {
                        self.enqueue_notice(
                            &mut tx,
                            &NewMessage {
                                kind: "alert".into(),
                                channel: "inbox".into(),
                                unit_id: Some(u),
                                user_id: None,
                                subject: format!("“长停久治、久治不验”预警 {}", case.accept_no),
                                body: a.summary.clone(),
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
            }
        }
        Ok(raised)
    }
}
