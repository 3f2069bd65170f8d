//! Batches (第N批): the team's intake of one answering day, assigned to the city office together
//! with one due time; the batch of a day is created on first assignment (`App::ensure_batch`, called by
//! the workflow).

use chrono::NaiveTime;
use ducha_domain::answering::batch_window;
use ducha_domain::campaign::AnsweringHours;
use ducha_domain::deadline::due_after_working_days;
use ducha_domain::role::Role;
use ducha_domain::time::from_millis;
use ducha_domain::workflow::{Action, Stage};
use ducha_store::Tx;
use ducha_store::batches::{self, BatchRow};
use ducha_store::cases::{self, CaseFilter, Scope};
use ducha_store::directory::CampaignRow;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::settings::CampaignSettings;
use crate::workflow::ActInput;
use crate::{App, AppError, Result};

/// The campaign's answering hours (default 08:00–20:00).
pub fn answering_hours(c: &CampaignRow) -> AnsweringHours {
    let parse = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").ok();
    match (parse(&c.hours_start), parse(&c.hours_end)) {
        (Some(start), Some(end)) if end > start => AnsweringHours { start, end },
        _ => AnsweringHours::default(),
    }
}

/// What sending one day's batch did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchSent {
    pub batch_id: i64,
    pub number: i64,
    pub answering_date: String,
    pub due_at: Option<i64>,
    pub assigned: usize,
    /// Cases left with the team: the source is outside the city (to be transferred) or marked duplicate.
    pub kept: Vec<String>,
}

impl App {
    /// The team sends one answering day's intake to the city office as one batch: every received case
    /// of that day is assigned with the batch's due time; cases outside the city stay with the team.
    pub async fn send_batch(&self, user: &CurrentUser, date: chrono::NaiveDate) -> Result<BatchSent> {
        if user.role != Role::Team {
            return Err(AppError::forbidden("只有督察组可以交办批次"));
        }
        let campaign = self.campaign().await?;
        let (from, to) = batch_window(date, answering_hours(&campaign));
        let filter = CaseFilter {
            campaign_id: Some(campaign.id),
            stages: vec![Stage::Received.code().into(), Stage::ReturnedTeam.code().into()],
            received_from: Some(from.timestamp_millis()),
            received_to: Some(to.timestamp_millis()),
            limit: 500,
            ..CaseFilter::default()
        };
        let (rows, _) = cases::list(&self.store, Scope::All, &filter).await?;
        if rows.is_empty() {
            return Err(AppError::conflict(
                "empty_batch",
                format!("{}没有待交办的群众举报件", date.format("%Y年%m月%d日")),
            ));
        }
        let mut assigned = 0;
        let mut kept = Vec::new();
        for c in rows.iter().rev() {
            if c.county_code.as_deref() == Some("OUTSIDE") || c.dup_of.is_some() {
                kept.push(c.accept_no.clone());
                continue;
            }
            let input = ActInput {
                action: Action::Assign.code().into(),
                expected_version: Some(c.version),
                ..ActInput::default()
            };
            self.act(user, c.id, &input).await?;
            assigned += 1;
        }
        let day = date.format("%Y-%m-%d").to_string();
        let b = batches::list(&self.store, campaign.id).await?.into_iter().find(|b| b.answering_date == day);
        let b: BatchRow =
            b.ok_or_else(|| AppError::conflict("empty_batch", "本批次没有可交办的案件（均为外地或重复件）"))?;
        Ok(BatchSent {
            batch_id: b.id,
            number: b.number,
            answering_date: b.answering_date,
            due_at: b.due_at,
            assigned,
            kept,
        })
    }

    /// Batches of the campaign with their progress: (batch, total, closed, partly closed, overdue).
    pub async fn batch_board(&self) -> Result<Vec<(BatchRow, i64, i64, i64, i64)>> {
        let campaign = self.campaign().await?;
        let now = self.now_ms();
        let counts = batches::board(&self.store, campaign.id, now).await?;
        Ok(batches::list(&self.store, campaign.id)
            .await?
            .into_iter()
            .map(|b| {
                let c = counts.iter().find(|c| c.0 == b.id).copied().unwrap_or((b.id, 0, 0, 0, 0));
                (b, c.1, c.2, c.3, c.4)
            })
            .collect())
    }

    /// The batch for the answering day of `received_at` (08:00–20:00; later receipts belong to the next
    /// day), created on first use with its due time; returns (batch id, due instant in ms).
    pub(crate) async fn ensure_batch(
        &self,
        tx: &mut Tx,
        campaign: &CampaignRow,
        received_at: i64,
        user: &CurrentUser,
        now: i64,
    ) -> Result<(i64, i64)> {
        let hours = answering_hours(campaign);
        let day = ducha_domain::answering::batch_day_of(from_millis(received_at), hours)
            .format("%Y-%m-%d")
            .to_string();
        if let Some(id) = ducha_store::batches::find(tx, campaign.id, &day).await?
            && let Some(b) = ducha_store::batches::get_in_tx(tx, id).await?
        {
            return Ok((id, b.due_at.unwrap_or(now)));
        }
        let settings = CampaignSettings::of(campaign);
        let due =
            due_after_working_days(from_millis(now), settings.batch_due_working_days, &self.calendar())?
                .at
                .timestamp_millis();
        let id = ducha_store::batches::create(tx, campaign.id, &day, now, Some(user.id), due).await?;
        Ok((id, due))
    }

    /// Human text for how much time is left before `due_ms` (还剩3个工作日, 已超期2个工作日 …).
    pub fn remaining(&self, due_ms: i64) -> String {
        ducha_domain::deadline::remaining_text(self.clock.now(), from_millis(due_ms), &self.calendar())
    }
}
