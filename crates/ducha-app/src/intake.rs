//! Intake: every channel (hotline, letter, web, Open311) goes through [`App::intake`]. The complaint
//! is triaged (place, type, duplicate, redaction), given an accept number, stored with its
//! complainant's identity sealed apart, and audited — in one transaction.

use chrono::{DateTime, Utc};
use ducha_domain::role::Role;
use ducha_domain::time;
use ducha_domain::workflow::Stage;
use ducha_store::audit::{self, AuditEntry};
use ducha_store::cases::{self, CaseRow, ComplainantIdentity, NewCase, Scope};
use ducha_store::directory;
use futures_util::FutureExt;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::queries::CaseView;
use ducha_triage::accept_no::AcceptNo;

use crate::{App, AppError, Result};

/// The channel a complaint came in by, with its accept-number letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 电话 (D).
    Phone,
    /// 来信 (X).
    Letter,
    /// 网络 (W).
    Web,
}

impl Channel {
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "phone" | "D" | "电话" => Ok(Channel::Phone),
            "letter" | "X" | "来信" => Ok(Channel::Letter),
            "web" | "W" | "网络" => Ok(Channel::Web),
            other => Err(AppError::invalid(
                "channel",
                format!("未知的举报渠道“{other}”（应为 phone、letter 或 web）"),
            )),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Letter => "letter",
            Channel::Web => "web",
        }
    }

    pub fn letter(self) -> char {
        match self {
            Channel::Phone => 'D',
            Channel::Letter => 'X',
            Channel::Web => 'W',
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Phone => "电话",
            Channel::Letter => "来信",
            Channel::Web => "网络",
        }
    }
}

/// A complaint as an operator or a client submits it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct IntakeInput {
    pub channel: String,
    pub text: String,
    /// When the complaint was received (defaults to now).
    #[serde(default)]
    pub received_at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub complainant: ComplainantIdentity,
    /// Operator's corrections of the suggested routing and classification.
    #[serde(default)]
    pub county_code: Option<String>,
    #[serde(default)]
    pub township_code: Option<String>,
    #[serde(default)]
    pub village_code: Option<String>,
    #[serde(default)]
    pub pollution_types: Option<Vec<String>>,
    #[serde(default)]
    pub sansan: Option<String>,
}

pub const MAX_TEXT_CHARS: usize = 5000;

fn blank_to_none(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

impl App {
    /// Take in one complaint.
    pub async fn intake(&self, user: &CurrentUser, input: &IntakeInput) -> Result<CaseView> {
        if !matches!(user.role, Role::Operator | Role::Team) {
            return Err(AppError::forbidden("只有热线接线员和督察组可以受理举报"));
        }
        let (row, region_label, screened) = self.intake_row(Some(user), input).await?;
        if user.scope() == Scope::All {
            // The row as stored (read back by the insert itself): nothing to look up again; its text
            // is what the firewall made of the complaint a moment ago.
            return crate::queries::view_with_text(user, row, region_label, screened, None);
        }
        self.case_view(user, row.id).await
    }

    /// Intake on behalf of a user, or anonymously for public channels (web/Open311); returns the id.
    pub async fn intake_as(&self, user: Option<&CurrentUser>, input: &IntakeInput) -> Result<i64> {
        Ok(self.intake_row(user, input).await?.0.id)
    }

    /// Intake; returns the case as stored and its region label.
    async fn intake_row(
        &self,
        user: Option<&CurrentUser>,
        input: &IntakeInput,
    ) -> Result<(CaseRow, String, ducha_shield::Screened)> {
        let channel = Channel::parse(&input.channel)?;
        let text = input.text.trim();
        if text.chars().count() < 5 {
            return Err(AppError::invalid("text", "举报内容过短，请写明污染问题的地点和情况"));
        }
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(AppError::invalid("text", format!("举报内容过长（最多{MAX_TEXT_CHARS}字）")));
        }
        let who = ComplainantIdentity {
            name: blank_to_none(&input.complainant.name),
            phone: blank_to_none(&input.complainant.phone),
            address: blank_to_none(&input.complainant.address),
            id_number: blank_to_none(&input.complainant.id_number),
            email: blank_to_none(&input.complainant.email),
            handle: blank_to_none(&input.complainant.handle),
        };
        if !who.is_empty() && self.cipher.is_none() {
            return Err(AppError::conflict(
                "no_key",
                "未配置 SM4 加密密钥，不能保存举报人信息；请联系管理员配置 DUCHA_SM4_KEY",
            ));
        }
        // The reads of an intake share one reader connection (see `Store::read_conn`).
        let mut conn = self.store.read_conn().await?;
        let campaign = directory::current_campaign_on(&mut *conn, &self.today_cst())
            .await?
            .ok_or_else(crate::queries::no_campaign)?;
        let now = self.clock.now();
        let received = input.received_at.unwrap_or(now);
        if received > now + chrono::Duration::minutes(5) {
            return Err(AppError::invalid("received_at", "受理时间不能晚于当前时间"));
        }
        if received < now - chrono::Duration::days(366) {
            return Err(AppError::invalid("received_at", "受理时间不能早于一年前"));
        }

        let analysis = self.analyse_on(&mut conn, text, &who).await?;
        let county_code = blank_to_none(&input.county_code).or(analysis.county_code.clone());
        let township_code = blank_to_none(&input.township_code).or(analysis.township_code.clone());
        let village_code = blank_to_none(&input.village_code).or(analysis.village_code.clone());
        // One look-up for the three codes: each must exist, and the county's office takes the case.
        let codes: Vec<&str> = [&county_code, &township_code, &village_code]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .filter(|c| *c != "OUTSIDE")
            .collect();
        let places = directory::places_on(&mut *conn, &codes).await?;
        drop(conn);
        for (field, code) in [
            ("county_code", &county_code),
            ("township_code", &township_code),
            ("village_code", &village_code),
        ] {
            if let Some(c) = code
                && c != "OUTSIDE"
                && !places.iter().any(|p| &p.code == c)
            {
                return Err(AppError::invalid(field, format!("区划代码“{c}”不存在")));
            }
        }
        let region_label = crate::queries::region_label(&codes, &places);
        let types = match &input.pollution_types {
            Some(t) if !t.is_empty() => {
                for x in t {
                    if !crate::triage::POLLUTION_TYPES.contains(&x.as_str()) {
                        return Err(AppError::invalid("pollution_types", format!("未知的污染类型“{x}”")));
                    }
                }
                t.clone()
            }
            _ => analysis.pollution_types.clone(),
        };
        let sansan = match blank_to_none(&input.sansan) {
            Some(s) if !crate::triage::SANSAN.contains(&s.as_str()) => {
                return Err(AppError::invalid("sansan", format!("未知的三散类别“{s}”")));
            }
            Some(s) => Some(s),
            None => analysis.sansan.clone(),
        };
        let county_unit = county_code
            .as_ref()
            .and_then(|c| places.iter().find(|p| &p.code == c))
            .and_then(|p| p.county_unit_id);
        let day = time::to_cst(received).format("%Y%m%d").to_string();
        let now_ms = now.timestamp_millis();
        let audit = match user {
            Some(u) => u.audit(now_ms, "case.intake", "case", "", serde_json::Value::Null),
            None => AuditEntry {
                at_ms: now_ms,
                actor_user_id: None,
                actor_unit_id: None,
                actor_name: format!("{}渠道（公众）", channel.label()),
                action: "case.intake".into(),
                entity_type: "case".into(),
                entity_id: String::new(),
                detail: serde_json::Value::Null,
            },
        };
        let job = Prepared {
            case: NewCase {
                campaign_id: campaign.id,
                accept_no: String::new(),
                channel: channel.code().into(),
                received_at: received.timestamp_millis(),
                original_text: text.to_owned(),
                redacted_text: analysis.redacted_text.clone(),
                county_code,
                township_code,
                village_code,
                pollution_types: types.join(","),
                sansan,
                triage: analysis.explanation.to_string(),
                dup_of: analysis.dup_of,
                stage: Stage::Received.code().into(),
                county_unit_id: county_unit,
                created_by: user.map(|u| u.id),
                now: now_ms,
                dup_doc: Some(analysis.dup_doc.clone()),
            },
            accept: accept_template(channel, &campaign, received)?,
            day,
            who,
            audit,
        };
        let row = self.intake_group.submit(self, job).await?;
        Ok((row, region_label, analysis.screened.clone()))
    }
}

/// The intake writer: one task that writes what has queued up as one group, again and again. It
/// holds the store and the key, not the [`App`], so it ends when the last [`App`] goes.
struct GroupWriter {
    store: ducha_store::Store,
    cipher: Option<ducha_store::IdentityCipher>,
    largest: Arc<AtomicUsize>,
}

impl GroupWriter {
    async fn run(self, mut queue: tokio::sync::mpsc::UnboundedReceiver<(Prepared, Waiter)>) {
        let mut group = Vec::with_capacity(GROUP_MAX);
        while queue.recv_many(&mut group, GROUP_MAX).await > 0 {
            self.largest.fetch_max(group.len(), Ordering::Relaxed);
            let (jobs, waiters): (Vec<Prepared>, Vec<Waiter>) = group.drain(..).unzip();
            let started = std::time::Instant::now();
            // A panic would leave every later caller without an answer: answer this group with an
            // error instead and go on.
            let results =
                std::panic::AssertUnwindSafe(self.write_intakes(&jobs)).catch_unwind().await.unwrap_or_else(
                    |_| jobs.iter().map(|_| Err(AppError::internal("intake writer failed"))).collect(),
                );
            for (w, r) in waiters.into_iter().zip(results) {
                let _ = w.send(r);
            }
            tracing::debug!(
                intakes = jobs.len(),
                ms = started.elapsed().as_secs_f64() * 1e3,
                "intake group written"
            );
        }
    }

    /// Write intakes in one transaction, a statement for each kind of row however many intakes there
    /// are: accept numbers (one counter upsert), cases (read back as stored), sealed identities, audit
    /// records. Any accept number past 9 999 fails the whole call.
    async fn write_intake_tx(&self, jobs: &[Prepared]) -> Result<Vec<CaseRow>> {
        let mut tx = self.store.begin().await?;
        // How many serials each campaign day needs, in first-seen order.
        let mut wants: Vec<(i64, &str, i64)> = Vec::new();
        for job in jobs {
            match wants.iter_mut().find(|(c, d, _)| *c == job.case.campaign_id && *d == job.day) {
                Some(w) => w.2 += 1,
                None => wants.push((job.case.campaign_id, &job.day, 1)),
            }
        }
        // The next serial of each campaign day's reserved range.
        let mut next = cases::reserve_accept_serials(&mut tx, &wants).await?;
        let mut new_cases = Vec::with_capacity(jobs.len());
        for job in jobs {
            let k = wants
                .iter()
                .position(|(c, d, _)| *c == job.case.campaign_id && *d == job.day)
                .ok_or_else(|| AppError::internal("accept counter missing"))?;
            let serial = next[k];
            next[k] += 1;
            if serial > 9999 {
                return Err(AppError::conflict("accept_no_exhausted", "当日受理编号已用完（9999件）"));
            }
            let sealed = self.cipher.is_some() && !job.who.is_empty();
            let serial =
                u32::try_from(serial).map_err(|_| AppError::internal("accept serial out of range"))?;
            new_cases.push((
                NewCase {
                    accept_no: AcceptNo { serial, ..job.accept.clone() }.to_string(),
                    ..job.case.clone()
                },
                sealed,
            ));
        }
        let refs: Vec<(&NewCase, bool)> = new_cases.iter().map(|(c, s)| (c, *s)).collect();
        let rows = cases::insert_cases(&mut tx, &refs).await?;
        if let Some(cipher) = &self.cipher {
            let sealed: Vec<(i64, &ComplainantIdentity)> = rows
                .iter()
                .zip(jobs)
                .filter(|(_, job)| !job.who.is_empty())
                .map(|(row, job)| (row.id, &job.who))
                .collect();
            cases::seal_identities(&mut tx, cipher, &sealed).await?;
        }
        let entries: Vec<AuditEntry> = rows
            .iter()
            .zip(jobs)
            .map(|(row, job)| AuditEntry {
                entity_id: row.id.to_string(),
                detail: serde_json::json!({ "accept_no": row.accept_no, "channel": row.channel, "dup_of": row.dup_of, "has_identity": !job.who.is_empty() }),
                ..job.audit.clone()
            })
            .collect();
        audit::append_many(&mut tx, &entries).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Write a group of intakes in one transaction (one commit, one fsync, for all of them). If any
    /// of them fails, nothing of the group is kept and each is written again on its own, so every
    /// caller gets its own answer and a bad one cannot take others down with it.
    async fn write_intakes(&self, jobs: &[Prepared]) -> Vec<Result<CaseRow>> {
        if jobs.len() > 1
            && let Ok(rows) = self.write_intake_tx(jobs).await
        {
            return rows.into_iter().map(Ok).collect();
        }
        let mut out = Vec::with_capacity(jobs.len());
        for job in jobs {
            out.push(self.write_intake_tx(std::slice::from_ref(job)).await.map(|mut r| r.remove(0)));
        }
        out
    }
}

/// The campaign's accept number for a channel and day, with serial 1 (`AcceptNo` validates the round and
/// the province letters, so a campaign set up with bad ones is refused here, not written as bad numbers).
fn accept_template(
    channel: Channel,
    campaign: &ducha_store::directory::CampaignRow,
    received: chrono::DateTime<chrono::Utc>,
) -> Result<AcceptNo> {
    let letter = ducha_triage::accept_no::Channel::from_letter(channel.letter())
        .ok_or_else(|| AppError::internal("channel without an accept-number letter"))?;
    let round = u32::try_from(campaign.round_no).unwrap_or(0);
    AcceptNo::new(letter, round, &campaign.province_letters, time::to_cst(received).date_naive(), 1)
        .map_err(|e| AppError::internal(format!("campaign accept numbers: {}", e.message)))
}

/// An intake checked and triaged, waiting for its write.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    case: NewCase,
    /// The accept number with serial 1: validated once, the serial is drawn at the write.
    accept: AcceptNo,
    day: String,
    who: ComplainantIdentity,
    /// The audit entry without its case id and detail (known once written).
    audit: AuditEntry,
}

type Waiter = tokio::sync::oneshot::Sender<Result<CaseRow>>;

/// Group commit for intake. Durability costs one fsync per commit; with one writer (SQLite) that
/// caps intake at the disk's fsync rate. So intakes queue for one writer task ([`GroupWriter`],
/// started with the first intake), which takes everything queued so far (up to [`GROUP_MAX`]),
/// writes it in one transaction and answers each caller after the commit; meanwhile the next group
/// queues up. Every 201 still means "on disk", and under load many intakes share one fsync and a
/// few statements. A caller that goes away (a closed connection, a timeout) only drops its answer:
/// the group's write goes on.
#[derive(Debug, Default)]
pub struct IntakeGroup {
    queue: std::sync::OnceLock<tokio::sync::mpsc::UnboundedSender<(Prepared, Waiter)>>,
    largest: Arc<AtomicUsize>,
}

/// At most this many intakes share one transaction.
const GROUP_MAX: usize = 128;

impl IntakeGroup {
    /// The most intakes written in one transaction so far.
    pub fn largest_group(&self) -> usize {
        self.largest.load(Ordering::Relaxed)
    }

    pub(crate) async fn submit(&self, app: &App, job: Prepared) -> Result<CaseRow> {
        let queue = self.queue.get_or_init(|| {
            let (queue, jobs) = tokio::sync::mpsc::unbounded_channel();
            let writer = GroupWriter {
                store: app.store.clone(),
                cipher: app.cipher.clone(),
                largest: self.largest.clone(),
            };
            tokio::spawn(writer.run(jobs));
            queue
        });
        let (tx, rx) = tokio::sync::oneshot::channel();
        queue.send((job, tx)).map_err(|_| AppError::internal("intake writer stopped"))?;
        rx.await.unwrap_or_else(|_| Err(AppError::internal("intake writer stopped")))
    }
}
