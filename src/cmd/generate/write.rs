//! The writer of `ducha gen --db`: each generated case into the database as the workflow would have
//! stored it — accept number from the campaign's counter, sealed complainant, the planned steps'
//! batches, assignments and due times (R5.2 buffers on the working-time calendar), finding, repeat
//! count — with one `case.generated` audit record in the same transaction.

use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, NaiveDate, Utc};
use ducha_app::App;
use ducha_app::settings::CampaignSettings;
use ducha_domain::answering::batch_day_of;
use ducha_domain::compression::default_child_due;
use ducha_domain::deadline::due_after_working_days;
use ducha_domain::time::to_cst;
use ducha_domain::unit::UnitLevel;
use ducha_domain::workflow::Action;
use ducha_store::audit::{self, AuditEntry};
use ducha_store::cases::{self, CasePatch, NewAssignment, NewCase};
use ducha_store::directory::CampaignRow;
use ducha_store::{Tx, batches};
use ducha_triage::Channel;

use super::plan::By;
use super::produce::{DupRef, GenCase};

/// Units and due times the writer needs.
#[derive(Debug)]
pub struct WriterCtx {
    pub campaign: CampaignRow,
    pub settings: CampaignSettings,
    pub county_units: HashMap<String, i64>,
    pub township_units: HashMap<String, i64>,
    pub ecology_units: HashMap<String, i64>,
    pub now_ms: i64,
}

/// A batch with the due times its cases get at each level (R5.2 defaults).
#[derive(Debug, Clone, Copy)]
pub struct BatchDue {
    id: i64,
    city: i64,
    county: i64,
    handler: i64,
}

#[derive(Debug, Default)]
pub struct WriterState {
    pub new_ids: Vec<i64>,
    pub batches: HashMap<NaiveDate, BatchDue>,
    pub stages: HashMap<&'static str, usize>,
}

async fn batch_for(
    tx: &mut Tx,
    app: &App,
    ctx: &WriterCtx,
    st: &mut WriterState,
    day: NaiveDate,
    assign_at: DateTime<Utc>,
) -> Result<BatchDue> {
    if let Some(b) = st.batches.get(&day) {
        return Ok(*b);
    }
    let day_s = day.format("%Y-%m-%d").to_string();
    let (id, city_due) = match batches::find(tx, ctx.campaign.id, &day_s).await? {
        Some(id) => {
            let due = batches::get_in_tx(tx, id).await?.and_then(|b| b.due_at).unwrap_or(ctx.now_ms);
            (id, ducha_domain::time::from_millis(due))
        }
        None => {
            let due =
                due_after_working_days(assign_at, ctx.settings.batch_due_working_days, &app.calendar())?.at;
            let id = batches::create(
                tx,
                ctx.campaign.id,
                &day_s,
                assign_at.timestamp_millis(),
                None,
                due.timestamp_millis(),
            )
            .await?;
            (id, due)
        }
    };
    let county_due =
        default_child_due(city_due, ctx.settings.compression.buffer_for(UnitLevel::City), &app.calendar())?;
    let handler_due = default_child_due(
        county_due,
        ctx.settings.compression.buffer_for(UnitLevel::County),
        &app.calendar(),
    )?;
    let b = BatchDue {
        id,
        city: city_due.timestamp_millis(),
        county: county_due.timestamp_millis(),
        handler: handler_due.timestamp_millis(),
    };
    st.batches.insert(day, b);
    Ok(b)
}

pub async fn write_case(
    tx: &mut Tx,
    app: &App,
    ctx: &WriterCtx,
    st: &mut WriterState,
    c: GenCase,
) -> Result<()> {
    let day = to_cst(c.received).format("%Y%m%d").to_string();
    let serial = cases::next_accept_serial(tx, ctx.campaign.id, &day).await?;
    if serial > 9999 {
        bail!("{day} 的受理编号已用完（每日最多9999件）；请减小 --per-day");
    }
    let accept_no = ducha_triage::accept_no::AcceptNo::format(
        c.channel,
        u32::try_from(ctx.campaign.round_no)?,
        &ctx.campaign.province_letters,
        to_cst(c.received).date_naive(),
        u32::try_from(serial)?,
    )?;
    let dup_of = match c.dup_of {
        Some(DupRef::Stored(id)) => Some(id),
        Some(DupRef::New(seq)) => {
            Some(*st.new_ids.get(seq).with_context(|| format!("重复件指向尚未写入的第{seq}件"))?)
        }
        None => None,
    };
    let county_unit = c.county_code.as_ref().and_then(|cc| ctx.county_units.get(cc).copied());
    let last_at = c.plan.steps.last().map(|s| s.at).unwrap_or(c.received).timestamp_millis();
    let id = cases::insert_case(
        tx,
        &NewCase {
            campaign_id: ctx.campaign.id,
            accept_no: accept_no.clone(),
            channel: channel_code(c.channel).into(),
            received_at: c.received.timestamp_millis(),
            original_text: c.text,
            redacted_text: c.redacted_text,
            county_code: c.county_code.clone(),
            township_code: c.township_code.clone(),
            village_code: c.village_code,
            pollution_types: c.pollution_types,
            sansan: c.sansan,
            triage: c.triage,
            dup_of,
            stage: c.plan.stage.code().into(),
            county_unit_id: county_unit,
            created_by: None,
            now: last_at,
            dup_doc: Some(c.dup_doc),
        },
    )
    .await?;
    if st.new_ids.len() != c.seq {
        bail!("生成顺序错乱（第{}件）", c.seq);
    }
    st.new_ids.push(id);
    let has_identity = !c.who.is_empty() && app.cipher.is_some();
    if let (true, Some(cipher)) = (has_identity, &app.cipher) {
        cases::put_identity(tx, cipher, id, &c.who).await?;
    }

    // Replay the planned steps' effects: batch, assignments, due times, finding, duplicate count.
    let mut patch = CasePatch::default();
    let mut assignments: Vec<i64> = Vec::new();
    let mut due = None;
    let batch_day = batch_day_of(c.received, ducha_app::batches::answering_hours(&ctx.campaign));
    for s in &c.plan.steps {
        let at = s.at.timestamp_millis();
        match (s.action, s.by) {
            (Action::MarkDuplicate, _) => {
                if let Some(p) = dup_of {
                    cases::increment_repeat(tx, p).await?;
                }
            }
            (Action::Assign, _) => {
                let b = batch_for(tx, app, ctx, st, batch_day, s.at).await?;
                patch.batch_id = Some(Some(b.id));
                due = Some(b);
                let aid = cases::insert_assignment(
                    tx,
                    &assignment(id, ctx.campaign.city_unit_id, UnitLevel::City, None, at, b.city),
                )
                .await?;
                assignments.push(aid);
                patch.due_at = Some(Some(b.city));
            }
            (Action::Dispatch, By::City) => {
                let unit = county_unit.context("缺少县级单位")?;
                let b = due.context("转办前未交办")?;
                let aid = cases::insert_assignment(
                    tx,
                    &assignment(id, unit, UnitLevel::County, assignments.last().copied(), at, b.county),
                )
                .await?;
                assignments.push(aid);
                patch.due_at = Some(Some(b.county));
            }
            (Action::Dispatch, _) => {
                let (unit, level) = if c.plan.to_township {
                    let t = c.township_code.as_ref().and_then(|t| ctx.township_units.get(t));
                    (*t.context("缺少乡镇单位")?, UnitLevel::Township)
                } else {
                    let cc = c.county_code.as_ref().and_then(|cc| ctx.ecology_units.get(cc));
                    (*cc.context("缺少县级生态环境部门")?, UnitLevel::Department)
                };
                let b = due.context("转办前未交办")?;
                let aid = cases::insert_assignment(
                    tx,
                    &assignment(id, unit, level, assignments.last().copied(), at, b.handler),
                )
                .await?;
                assignments.push(aid);
                patch.handler_unit_id = Some(Some(unit));
                patch.due_at = Some(Some(b.handler));
            }
            (Action::Acknowledge, _) => {
                if let Some(&a) = assignments.last() {
                    cases::acknowledge_assignment(tx, a, at).await?;
                }
            }
            (Action::Return, _) => {
                if let Some(a) = assignments.pop() {
                    cases::return_assignment(tx, a, at, s.reason.unwrap_or_default()).await?;
                }
                if s.by == By::County {
                    patch.county_unit_id = Some(None);
                } else {
                    patch.handler_unit_id = Some(None);
                }
            }
            (Action::RecordFinding, _) => patch.finding = Some(c.plan.finding.map(str::to_owned)),
            (Action::VerifyClosed, _) => {
                for &a in &assignments {
                    cases::complete_assignment(tx, a, at).await?;
                }
            }
            _ => {}
        }
    }
    let changed = patch.batch_id.is_some()
        || patch.due_at.is_some()
        || patch.handler_unit_id.is_some()
        || patch.finding.is_some()
        || patch.county_unit_id.is_some();
    if changed {
        cases::update(tx, id, 1, &patch, last_at).await?;
    }
    audit::append(
        tx,
        &AuditEntry {
            at_ms: ctx.now_ms,
            actor_user_id: None,
            actor_unit_id: None,
            actor_name: "ducha gen（合成数据）".into(),
            action: "case.generated".into(),
            entity_type: "case".into(),
            entity_id: id.to_string(),
            detail: serde_json::json!({
                "accept_no": accept_no,
                "channel": channel_code(c.channel),
                "dup_of": dup_of,
                "has_identity": has_identity,
                "synthetic": true,
                "stage": c.plan.stage.code(),
                "steps": c.plan.steps.iter().map(|s| serde_json::json!({
                    "action": s.action.code(),
                    "at": s.at.timestamp_millis(),
                    "reason": s.reason,
                })).collect::<Vec<_>>(),
            }),
        },
    )
    .await?;
    *st.stages.entry(c.plan.stage.code()).or_default() += 1;
    Ok(())
}

fn assignment(
    case_id: i64,
    unit_id: i64,
    level: UnitLevel,
    parent: Option<i64>,
    at: i64,
    due: i64,
) -> NewAssignment {
    NewAssignment {
        case_id,
        unit_id,
        level: level.code().into(),
        parent_id: parent,
        is_lead: true,
        created_at: at,
        delivered_at: Some(at),
        due_at: Some(due.max(at)),
        override_reason: None,
        created_by: None,
        deferred: false,
    }
}

fn channel_code(c: Channel) -> &'static str {
    match c {
        Channel::Phone => "phone",
        Channel::Letter => "letter",
        Channel::Web => "web",
    }
}
