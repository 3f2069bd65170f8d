//! `ducha gen`: synthetic complaints from `ducha_triage::synth`.
//!
//! - Without `--db`: labelled JSONL (each line a `ducha triage` input plus its `expected` labels), so
//!   one file serves as triage input, as `--eval` file and as `--score` labels.
//! - With `--db URL`: N synthetic cases written into a database through the store, for the search
//!   and dashboard benchmarks. Each case is triaged as intake does (routing, types, 三散, redacted
//!   text, duplicate link against every earlier case, `dup_doc`), gets an accept number from the
//!   campaign's counter, its complainant sealed when a key is configured, and a history over the
//!   workflow that depends on its age: steps (batch, dispatch to county and township/department,
//!   acknowledgement, investigation, finding, rectification, report, verification, returns,
//!   duplicates) are planned in simulated time and replayed through `workflow::transition`, so every
//!   stage reached is one the rules allow. Batches, assignments and due times (R5.2 buffers on the
//!   working-time calendar) are stored as the workflow would store them. Each case is written with one
//!   audit record (`case.generated`, naming the planned steps) in the same transaction; cases are
//!   committed `--tx-size` at a time. Handling reports, verifications and callbacks are not generated.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use clap::Args;
use ducha_app::App;
use ducha_app::settings::CampaignSettings;
use ducha_domain::answering::batch_day_of;
use ducha_domain::compression::default_child_due;
use ducha_domain::deadline::due_after_working_days;
use ducha_domain::role::Role;
use ducha_domain::time::{from_cst, to_cst};
use ducha_domain::unit::{DepartmentKind, UnitLevel};
use ducha_domain::workflow::{self, Action, Actor, Stage};
use ducha_store::audit::{self, AuditEntry};
use ducha_store::cases::{self, CasePatch, ComplainantIdentity, NewAssignment, NewCase};
use ducha_store::directory::{self, CampaignRow, NewCampaign};
use ducha_store::{Tx, batches};
use ducha_triage::dup::{DupDoc, DupIndex};
use ducha_triage::synth::{Synth, SynthConfig};
use ducha_triage::{Analysis, Channel, CountyOutcome, Gazetteer, Triage, TriageInput};

/// `ducha gen` arguments.
#[derive(Debug, Args)]
pub struct GenArgs {
    /// How many complaints.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub count: usize,
    /// Random seed (same seed, same corpus).
    #[arg(long, default_value_t = 42, value_name = "S")]
    pub seed: u64,
    /// Share of complaints that re-report an earlier source (0–1).
    #[arg(long, default_value_t = 0.2, value_name = "R")]
    pub dup_rate: f64,
    /// Share of complainants who leave their name, phone or address in the text (0–1).
    #[arg(long, default_value_t = 0.5, value_name = "R")]
    pub pii_rate: f64,
    /// Write the JSONL here instead of standard output.
    #[arg(long, value_name = "FILE", conflicts_with = "db")]
    pub out: Option<PathBuf>,
    /// Insert the complaints as cases into this database (`sqlite://FILE` or `postgres://…`); it is
    /// migrated, and given the built-in directory and a campaign when it has none.
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// With `--db`: cases per transaction.
    #[arg(long, default_value_t = 5000, value_name = "N")]
    pub tx_size: usize,
    /// With `--db`: cases per answering day (accept numbers allow 9999 a day); the cases are spread
    /// over as many days as that needs, ending yesterday.
    #[arg(long, default_value_t = 8000, value_name = "N")]
    pub per_day: usize,
    /// Worker threads for text analysis (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

fn synth_config(args: &GenArgs) -> Result<SynthConfig> {
    for (name, v) in [("--dup-rate", args.dup_rate), ("--pii-rate", args.pii_rate)] {
        if !(0.0..=1.0).contains(&v) {
            bail!("{name} 应在 0 到 1 之间");
        }
    }
    Ok(SynthConfig {
        seed: args.seed,
        dup_rate: args.dup_rate,
        pii_rate: args.pii_rate,
        ..SynthConfig::default()
    })
}

/// `ducha gen` without `--db`: labelled JSONL.
pub fn write_jsonl(args: &GenArgs) -> Result<ExitCode> {
    let cfg = synth_config(args)?;
    let stdout = io::stdout();
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(BufWriter::with_capacity(
            1 << 16,
            File::create(p).with_context(|| format!("无法创建输出文件 {}", p.display()))?,
        )),
        None => Box::new(BufWriter::with_capacity(1 << 16, stdout.lock())),
    };
    let mut n = 0usize;
    for item in Synth::builtin(cfg).take(args.count) {
        let written = serde_json::to_writer(&mut out, &item)
            .map_err(io::Error::from)
            .and_then(|()| out.write_all(b"\n"));
        match written {
            Ok(()) => n += 1,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            Err(e) => return Err(e).context("无法写出"),
        }
    }
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        r => r.context("无法写出")?,
    }
    if n < args.count {
        bail!("只生成了 {n} 条（内置区划中没有可用的村）");
    }
    if let Some(p) = &args.out {
        eprintln!("已生成 {n} 条合成举报：{}", p.display());
    }
    Ok(ExitCode::SUCCESS)
}

// ---- the database mode ------------------------------------------------------------------------

/// Index ids of generated cases start here (stored cases keep their database ids below it).
const NEW_BASE: u64 = 1 << 40;

/// The primary case a generated one repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DupRef {
    /// A case that was in the database before this run.
    Stored(i64),
    /// An earlier case of this run, by its position.
    New(usize),
}

/// Who takes a planned step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    Team,
    City,
    County,
    Handler,
}

impl By {
    fn actor(self, handler_level: UnitLevel) -> Actor {
        match self {
            By::Team => Actor { role: Role::Team, level: UnitLevel::Team },
            By::City => Actor { role: Role::Office, level: UnitLevel::City },
            By::County => Actor { role: Role::Office, level: UnitLevel::County },
            By::Handler => Actor { role: Role::Handler, level: handler_level },
        }
    }
}

/// One planned workflow step.
#[derive(Debug, Clone, PartialEq)]
struct Step {
    action: Action,
    by: By,
    at: DateTime<Utc>,
    reason: Option<&'static str>,
}

/// A case's simulated history and where it ends.
#[derive(Debug, Clone, PartialEq)]
struct Plan {
    steps: Vec<Step>,
    stage: Stage,
    finding: Option<&'static str>,
    /// The handler is a township/street (true) or the county's ecology department (false).
    to_township: bool,
}

/// A small deterministic generator (SplitMix64) for the plan's choices.
#[derive(Debug, Clone)]
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..1`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// A delay of `lo..hi` hours.
    fn hours(&mut self, lo: f64, hi: f64) -> Duration {
        Duration::seconds(((lo + (hi - lo) * self.unit()) * 3600.0) as i64)
    }
}

/// The next moment inside office hours (08:30–18:00 Beijing time).
fn office_hours(t: DateTime<Utc>) -> DateTime<Utc> {
    let local = to_cst(t);
    let (start, end) = (
        NaiveTime::from_hms_opt(8, 30, 0).unwrap_or_default(),
        NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default(),
    );
    let date = local.date_naive();
    if local.time() < start {
        from_cst(date.and_time(start))
    } else if local.time() >= end {
        from_cst(date.succ_opt().unwrap_or(date).and_time(start))
    } else {
        t
    }
}

/// What the planner knows about one case.
#[derive(Debug, Clone, Copy)]
struct PlanInput {
    received: DateTime<Utc>,
    /// Answering day of the receipt (its batch).
    batch_day: NaiveDate,
    /// A local county-level unit exists for the routed county.
    county_known: bool,
    /// A township unit exists for the routed township.
    township_known: bool,
    is_duplicate: bool,
    now: DateTime<Utc>,
}

/// Plans a case's history up to `now` and checks every step against the workflow rules.
fn plan(p: PlanInput, rng: &mut Mix) -> Result<Plan> {
    let mut steps = Vec::new();
    let mut finding = None;
    let to_township = p.township_known;
    // Next morning the team sends the answering day's batch to the city.
    let assign_at = from_cst(
        p.batch_day
            .succ_opt()
            .unwrap_or(p.batch_day)
            .and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default()),
    ) + Duration::minutes((rng.unit() * 40.0) as i64);
    // A few cases stall at some handling step and go overdue.
    let stall_after = if rng.chance(0.05) { Some(3 + (rng.unit() * 5.0) as usize) } else { None };
    let push = |steps: &mut Vec<Step>, action, by, at: DateTime<Utc>, reason| -> bool {
        if at > p.now || stall_after.is_some_and(|s| steps.len() >= s) {
            return false;
        }
        steps.push(Step { action, by, at, reason });
        true
    };
    'walk: {
        if assign_at <= p.received || !p.county_known && !p.is_duplicate {
            // Outside the city or not located: stays with the team.
            break 'walk;
        }
        if p.is_duplicate && rng.chance(0.9) {
            push(&mut steps, Action::MarkDuplicate, By::Team, assign_at, Some("与已受理案件反映同一污染源"));
            break 'walk;
        }
        if !p.county_known || !push(&mut steps, Action::Assign, By::Team, assign_at, None) {
            break 'walk;
        }
        let mut t = office_hours(assign_at + rng.hours(2.0, 40.0));
        if !push(&mut steps, Action::Dispatch, By::City, t, None) {
            break 'walk;
        }
        t = office_hours(t + rng.hours(2.0, 24.0));
        if rng.chance(0.02) {
            push(&mut steps, Action::Return, By::County, t, Some("问题不在本辖区，请重新交办"));
            break 'walk;
        }
        if !push(&mut steps, Action::Dispatch, By::County, t, None) {
            break 'walk;
        }
        t = office_hours(t + rng.hours(0.5, 6.0));
        if rng.chance(0.02) {
            push(&mut steps, Action::Return, By::Handler, t, Some("不属本单位职责，请重新转办"));
            break 'walk;
        }
        if !push(&mut steps, Action::Acknowledge, By::Handler, t, None) {
            break 'walk;
        }
        t = office_hours(t + rng.hours(1.0, 24.0));
        if !push(&mut steps, Action::StartInvestigation, By::Handler, t, None) {
            break 'walk;
        }
        t = office_hours(t + rng.hours(24.0, 96.0));
        let f = match rng.unit() {
            x if x < 0.7 => "属实",
            x if x < 0.9 => "部分属实",
            _ => "不属实",
        };
        if !push(&mut steps, Action::RecordFinding, By::Handler, t, None) {
            break 'walk;
        }
        finding = Some(f);
        if f != "不属实" {
            t = office_hours(t + rng.hours(1.0, 24.0));
            if !push(&mut steps, Action::StartRectification, By::Handler, t, None) {
                break 'walk;
            }
            t = office_hours(t + rng.hours(24.0, 240.0));
        } else {
            t = office_hours(t + rng.hours(4.0, 24.0));
        }
        if !push(&mut steps, Action::SubmitReport, By::Handler, t, None) {
            break 'walk;
        }
        t = office_hours(t + rng.hours(24.0, 96.0));
        let verify =
            if f != "不属实" && rng.chance(0.12) { Action::VerifyPartly } else { Action::VerifyClosed };
        push(&mut steps, verify, By::County, t, None);
    }
    let handler_level = if to_township { UnitLevel::Township } else { UnitLevel::Department };
    let mut stage = Stage::Received;
    for s in &steps {
        stage = workflow::transition(stage, s.action, s.by.actor(handler_level), s.reason)
            .map_err(|e| anyhow::anyhow!("生成的办理步骤不合规则（{}）：{}", s.action.code(), e.message))?;
    }
    Ok(Plan { steps, stage, finding, to_township })
}

/// Received instants: `count` cases spread evenly over the answering hours (08:00–20:00) of as many
/// whole days as `per_day` needs, ending yesterday, plus today's answering hours up to `now`; in order.
#[derive(Debug, Clone, Copy)]
struct Timeline {
    first_day: NaiveDate,
    full_days: u64,
    /// Cases on the whole days, and on today.
    on_full_days: u64,
    today: u64,
    /// Seconds of today's answering hours before `now`.
    today_secs: u64,
}

const DAY_SECS: u64 = 12 * 3600;

impl Timeline {
    fn new(count: usize, per_day: usize, now: DateTime<Utc>) -> Timeline {
        let count = count as u64;
        let full_days = count.div_ceil(per_day.max(1) as u64).max(1);
        let local = to_cst(now);
        let opens = NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default();
        let since_open = (local.time() - opens).num_seconds().clamp(0, DAY_SECS as i64) as u64;
        let total = full_days * DAY_SECS + since_open;
        let today = ((count as u128 * since_open as u128) / total as u128) as u64;
        Timeline {
            first_day: local.date_naive() - Duration::days(full_days as i64),
            full_days,
            on_full_days: count - today,
            today,
            today_secs: since_open,
        }
    }
    /// First position of whole day `d`.
    fn day_start(&self, d: u64) -> u64 {
        ((d as u128 * self.on_full_days as u128).div_ceil(self.full_days as u128)) as u64
    }
    fn at(&self, k: usize) -> DateTime<Utc> {
        let k = k as u64;
        let (day, pos, n, span) = if k < self.on_full_days {
            let d = ((k as u128 * self.full_days as u128) / self.on_full_days as u128) as u64;
            let first = self.day_start(d);
            (d, k - first, (self.day_start(d + 1) - first).max(1), DAY_SECS)
        } else {
            (self.full_days, k - self.on_full_days, self.today.max(1), self.today_secs)
        };
        let secs = span as f64 * (pos as f64 + 0.5) / n as f64;
        let date = self.first_day + Duration::days(day as i64);
        from_cst(date.and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default()))
            + Duration::milliseconds((secs * 1000.0) as i64)
    }
    fn last_day(&self) -> NaiveDate {
        let extra = if self.today > 0 { 0 } else { 1 };
        self.first_day + Duration::days(self.full_days as i64 - extra)
    }
}

/// One generated complaint, triaged and planned, ready to be written.
#[derive(Debug)]
struct GenCase {
    seq: usize,
    channel: Channel,
    received: DateTime<Utc>,
    text: String,
    who: ComplainantIdentity,
    county_code: Option<String>,
    township_code: Option<String>,
    village_code: Option<String>,
    pollution_types: String,
    sansan: Option<String>,
    redacted_text: String,
    triage: String,
    dup_doc: String,
    dup_of: Option<DupRef>,
    plan: Plan,
}

fn channel_code(c: Channel) -> &'static str {
    match c {
        Channel::Phone => "phone",
        Channel::Letter => "letter",
        Channel::Web => "web",
    }
}

/// The explanation intake stores with a case (the same keys as `App::analyse`), marked synthetic.
fn explanation(a: &Analysis, dup: Option<&ducha_triage::DupMatch>) -> serde_json::Value {
    let mut evidence = a.routing.evidence.clone();
    evidence.extend(a.classification.evidence.iter().cloned());
    serde_json::json!({
        "evidence": evidence,
        "routing_evidence": a.routing.evidence,
        "type_evidence": a.classification.evidence,
        "duplicate_evidence": dup.map(|d| d.evidence.clone()).unwrap_or_default(),
        "duplicate_score": dup.map(|d| d.score),
        "outside": match &a.routing.county { CountyOutcome::Outside { name } => Some(name.clone()), _ => None },
        "confidence": {
            "county": a.routing.confidence.county,
            "township": a.routing.confidence.township,
            "village": a.routing.confidence.village,
            "pollution_types": a.classification.confidence.pollution_types,
            "sansan": a.classification.confidence.sansan,
        },
        "synthetic": true,
    })
}

/// What the producer needs from the database, read before it starts.
#[derive(Debug)]
struct ProducerCtx {
    cfg: SynthConfig,
    count: usize,
    chunk: usize,
    jobs: usize,
    timeline: Timeline,
    hours: ducha_domain::campaign::AnsweringHours,
    now: DateTime<Utc>,
    counties: std::collections::HashSet<String>,
    townships: std::collections::HashSet<String>,
    existing: Vec<(i64, Option<i64>, DupDoc)>,
}

/// Generates, triages (duplicates against every earlier case) and plans; sends chunks in order.
fn produce(ctx: ProducerCtx, triage: Triage, out: tokio::sync::mpsc::Sender<Vec<GenCase>>) -> Result<()> {
    let mut index = DupIndex::new();
    for (id, dup_of, doc) in &ctx.existing {
        match dup_of {
            Some(p) => index.add_duplicate(*id as u64, doc, *p as u64),
            None => index.add(*id as u64, doc),
        }
    }
    let mut rng = Mix(ctx.cfg.seed ^ 0x5EED_CA5E);
    let mut synth = Synth::builtin(ctx.cfg).take(ctx.count).enumerate().peekable();
    while synth.peek().is_some() {
        let items: Vec<(usize, ducha_triage::eval::EvalItem)> = synth.by_ref().take(ctx.chunk).collect();
        let inputs: Vec<&TriageInput> = items.iter().map(|(_, it)| &it.input).collect();
        let analyses = crate::triage_cmd::analyse_parallel(&triage, &inputs, ctx.jobs);
        let mut chunk = Vec::with_capacity(items.len());
        for ((seq, item), a) in items.into_iter().zip(analyses) {
            let m = index.query(&a.dup_doc);
            let own = NEW_BASE + seq as u64;
            match &m {
                Some(m) => index.add_duplicate(own, &a.dup_doc, m.id),
                None => index.add(own, &a.dup_doc),
            }
            let dup_of = m.as_ref().map(|m| {
                if m.id >= NEW_BASE {
                    DupRef::New((m.id - NEW_BASE) as usize)
                } else {
                    DupRef::Stored(m.id as i64)
                }
            });
            let county_code = match &a.routing.county {
                CountyOutcome::Code(c) => Some(c.clone()),
                CountyOutcome::Outside { .. } => Some("OUTSIDE".to_owned()),
                CountyOutcome::Unknown => None,
            };
            let received = ctx.timeline.at(seq);
            let plan = plan(
                PlanInput {
                    received,
                    batch_day: batch_day_of(received, ctx.hours),
                    county_known: county_code.as_ref().is_some_and(|c| ctx.counties.contains(c)),
                    township_known: a
                        .routing
                        .township_code
                        .as_ref()
                        .is_some_and(|t| ctx.townships.contains(t)),
                    is_duplicate: dup_of.is_some(),
                    now: ctx.now,
                },
                &mut rng,
            )?;
            let c = item.input.complainant.clone().unwrap_or_default();
            chunk.push(GenCase {
                seq,
                channel: item.input.channel.unwrap_or(Channel::Phone),
                received,
                triage: explanation(&a, m.as_ref()).to_string(),
                dup_doc: serde_json::to_string(&a.dup_doc)?,
                text: item.input.text,
                who: ComplainantIdentity {
                    name: c.name,
                    phone: c.phone,
                    address: c.address,
                    id_number: None,
                    ..Default::default()
                },
                county_code,
                township_code: a.routing.township_code,
                village_code: a.routing.village_code,
                pollution_types: a
                    .classification
                    .pollution_types
                    .iter()
                    .map(|t| t.label())
                    .collect::<Vec<_>>()
                    .join(","),
                sansan: a.classification.sansan.map(|s| s.label().to_owned()),
                redacted_text: a.redacted.text,
                dup_of,
                plan,
            });
        }
        if out.blocking_send(chunk).is_err() {
            // The writer stopped (its error is reported there).
            return Ok(());
        }
    }
    Ok(())
}

/// Units and due times the writer needs.
#[derive(Debug)]
struct WriterCtx {
    campaign: CampaignRow,
    settings: CampaignSettings,
    county_units: HashMap<String, i64>,
    township_units: HashMap<String, i64>,
    ecology_units: HashMap<String, i64>,
    now_ms: i64,
}

/// A batch with the due times its cases get at each level (R5.2 defaults).
#[derive(Debug, Clone, Copy)]
struct BatchDue {
    id: i64,
    city: i64,
    county: i64,
    handler: i64,
}

#[derive(Debug, Default)]
struct WriterState {
    new_ids: Vec<i64>,
    batches: HashMap<NaiveDate, BatchDue>,
    stages: HashMap<&'static str, usize>,
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
                due_after_working_days(assign_at, ctx.settings.batch_due_working_days, &app.calendar)?.at;
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
        default_child_due(city_due, ctx.settings.compression.buffer_for(UnitLevel::City), &app.calendar)?;
    let handler_due =
        default_child_due(county_due, ctx.settings.compression.buffer_for(UnitLevel::County), &app.calendar)?;
    let b = BatchDue {
        id,
        city: city_due.timestamp_millis(),
        county: county_due.timestamp_millis(),
        handler: handler_due.timestamp_millis(),
    };
    st.batches.insert(day, b);
    Ok(b)
}

async fn write_case(tx: &mut Tx, app: &App, ctx: &WriterCtx, st: &mut WriterState, c: GenCase) -> Result<()> {
    let day = to_cst(c.received).format("%Y%m%d").to_string();
    let serial = cases::next_accept_serial(tx, ctx.campaign.id, &day).await?;
    if serial > 9999 {
        bail!("{day} 的受理编号已用完（每日最多9999件）；请减小 --per-day");
    }
    let accept_no = format!(
        "{}{}{}{}{:04}",
        c.channel.letter(),
        ctx.campaign.round_no,
        ctx.campaign.province_letters,
        day,
        serial
    );
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

/// The campaign to generate into: the current one, or a new one spanning the generated days.
async fn ensure_campaign(app: &App, g: &Gazetteer, timeline: &Timeline, now_ms: i64) -> Result<CampaignRow> {
    if let Some(c) = directory::current_campaign(&app.store).await? {
        return Ok(c);
    }
    let team = directory::unit_by_code(&app.store, "team").await?.context("目录中没有督察组单位")?;
    let city = directory::unit_by_code(&app.store, &ducha_app::directory::unit_code_city("4109"))
        .await?
        .context("目录中没有濮阳市攻坚办单位")?;
    let mut tx = app.store.begin().await?;
    let id = directory::insert_campaign(
        &mut tx,
        &NewCampaign {
            name: "河南省“三散”污染治理专项督察（濮阳市，合成数据）".into(),
            team_name: "省“三散”污染治理专项督察第三组".into(),
            start_date: timeline.first_day.format("%Y-%m-%d").to_string(),
            end_date: (timeline.last_day() + Duration::days(30)).format("%Y-%m-%d").to_string(),
            hotlines: vec!["0393-8991369".into()],
            postal_box: "濮阳市A001号邮政信箱".into(),
            hours_start: "08:00".into(),
            hours_end: "20:00".into(),
            round_no: 3,
            province_letters: "HA".into(),
            regions: g.counties().map(|c| c.code).collect(),
            team_unit_id: team.id,
            city_unit_id: city.id,
            settings: serde_json::json!({ "disclosure_layout": "2023" }),
            created_at: now_ms,
        },
    )
    .await?;
    audit::append(
        &mut tx,
        &AuditEntry {
            at_ms: now_ms,
            actor_user_id: None,
            actor_unit_id: None,
            actor_name: "ducha gen（合成数据）".into(),
            action: "campaign.create".into(),
            entity_type: "campaign".into(),
            entity_id: id.to_string(),
            detail: serde_json::json!({ "synthetic": true }),
        },
    )
    .await?;
    tx.commit().await?;
    directory::campaign(&app.store, id).await?.context("新建的督察批次未找到")
}

/// `ducha gen --db URL`: N synthetic cases into the database.
pub async fn into_db(app: &App, args: &GenArgs) -> Result<ExitCode> {
    let cfg = synth_config(args)?;
    if args.tx_size == 0 || args.per_day == 0 || args.per_day > 9999 {
        bail!("--tx-size 应大于0，--per-day 应在 1 到 9999 之间");
    }
    let started = Instant::now();
    let g = Gazetteer::builtin();
    app.bootstrap_directory(g).await?;
    let now = ducha_app::Clock::now(&*app.clock);
    let now_ms = now.timestamp_millis();
    let timeline = Timeline::new(args.count, args.per_day, now);
    let campaign = ensure_campaign(app, g, &timeline, now_ms).await?;

    let mut county_units = HashMap::new();
    let mut township_units = HashMap::new();
    let mut ecology_units = HashMap::new();
    for u in directory::units(&app.store).await? {
        let Some(region) = u.region_code.clone() else { continue };
        match u.level.as_str() {
            "county" => {
                county_units.insert(region, u.id);
            }
            "township" => {
                township_units.insert(region, u.id);
            }
            "department" if u.dept_kind.as_deref() == Some(DepartmentKind::Ecology.code()) => {
                ecology_units.insert(region, u.id);
            }
            _ => {}
        }
    }
    // Every stored case joins the duplicate index, as intake's index does.
    let mut existing = Vec::new();
    let mut after = 0i64;
    loop {
        let rows = cases::dup_docs_after(&app.store, after, 5000).await?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        existing.extend(rows.into_iter().filter_map(|(id, dup_of, doc)| {
            doc.and_then(|d| serde_json::from_str::<DupDoc>(&d).ok()).map(|d| (id, dup_of, d))
        }));
    }
    let before = existing.len();

    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
        .clamp(1, 64);
    let pctx = ProducerCtx {
        cfg,
        count: args.count,
        chunk: args.tx_size.min(4096),
        jobs,
        timeline,
        hours: ducha_app::batches::answering_hours(&campaign),
        now,
        counties: county_units.keys().cloned().collect(),
        townships: township_units.keys().cloned().collect(),
        existing,
    };
    let wctx = WriterCtx {
        settings: CampaignSettings::of(&campaign),
        campaign,
        county_units,
        township_units,
        ecology_units,
        now_ms,
    };
    let triage = Triage::builtin();
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<GenCase>>(4);
    let producer = std::thread::spawn(move || produce(pctx, triage, sender));

    let mut st = WriterState::default();
    let mut pending: Vec<GenCase> = Vec::new();
    let mut last_report = Instant::now();
    let mut result: Result<()> = Ok(());
    loop {
        let more = receiver.recv().await;
        let done = more.is_none();
        pending.extend(more.unwrap_or_default());
        while pending.len() >= args.tx_size || (done && !pending.is_empty()) {
            let take = pending.len().min(args.tx_size);
            let batch: Vec<GenCase> = pending.drain(..take).collect();
            let written = async {
                let mut tx = app.store.begin().await?;
                for c in batch {
                    write_case(&mut tx, app, &wctx, &mut st, c).await?;
                }
                tx.commit().await?;
                Ok::<_, anyhow::Error>(())
            }
            .await;
            if let Err(e) = written {
                result = Err(e);
                break;
            }
            if last_report.elapsed().as_secs() >= 10 {
                last_report = Instant::now();
                let n = st.new_ids.len();
                eprintln!(
                    "已写入 {n} 件（{:.0} 件/秒）",
                    n as f64 / started.elapsed().as_secs_f64().max(1e-9)
                );
            }
        }
        if done || result.is_err() {
            break;
        }
    }
    drop(receiver);
    let produced = producer.join().map_err(|_| anyhow::anyhow!("生成线程异常退出"))?;
    result?;
    produced?;

    let secs = started.elapsed().as_secs_f64();
    let n = st.new_ids.len();
    println!(
        "已写入 {n} 件合成案件（原有 {before} 件），用时 {secs:.1} 秒（{:.0} 件/秒）；受理日期 {} 至 {}，批次 {} 个",
        n as f64 / secs.max(1e-9),
        timeline.first_day,
        timeline.last_day(),
        st.batches.len()
    );
    let mut by_stage: Vec<(&str, usize)> = st.stages.into_iter().collect();
    by_stage.sort_by_key(|(s, _)| Stage::ALL.iter().position(|x| x.code() == *s));
    let summary: Vec<String> = by_stage
        .iter()
        .map(|(s, k)| format!("{} {k}", Stage::parse(s).map(|x| x.label()).unwrap_or(s)))
        .collect();
    println!("各状态：{}", summary.join("；"));
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(now: DateTime<Utc>, received: DateTime<Utc>, dup: bool) -> PlanInput {
        PlanInput {
            received,
            batch_day: batch_day_of(received, Default::default()),
            county_known: true,
            township_known: true,
            is_duplicate: dup,
            now,
        }
    }

    #[test]
    fn plans_follow_the_workflow_and_spread_with_age() {
        let now = from_cst(NaiveDate::from_ymd_opt(2024, 6, 1).unwrap().and_hms_opt(12, 0, 0).unwrap());
        let mut rng = Mix(7);
        let mut stages: HashMap<Stage, usize> = HashMap::new();
        for i in 0..3000 {
            let received = now - Duration::hours(6 + (i % 60) * 24);
            let p = plan(input(now, received, i % 10 == 0), &mut rng).unwrap();
            // Times never go backwards and never pass `now`.
            let mut t = received;
            for s in &p.steps {
                assert!(s.at >= t && s.at <= now, "{:?}", p.steps);
                t = s.at;
            }
            if p.stage == Stage::Duplicate {
                assert_eq!(p.steps.len(), 1);
            }
            assert_eq!(p.finding.is_some(), p.steps.iter().any(|s| s.action == Action::RecordFinding));
            *stages.entry(p.stage).or_default() += 1;
        }
        // Young cases are early in the workflow, old ones mostly closed; all main stages occur.
        for s in [
            Stage::Received,
            Stage::Assigned,
            Stage::DispatchedCounty,
            Stage::DispatchedHandler,
            Stage::Acknowledged,
            Stage::Investigating,
            Stage::Rectifying,
            Stage::AwaitingVerification,
            Stage::Closed,
            Stage::PartlyClosed,
            Stage::Duplicate,
        ] {
            assert!(stages.get(&s).copied().unwrap_or(0) > 0, "{s:?} missing: {stages:?}");
        }
        assert!(stages[&Stage::Closed] > stages[&Stage::Received], "{stages:?}");
    }

    #[test]
    fn young_cases_stay_with_the_team_and_unlocated_ones_are_never_dispatched() {
        let now = from_cst(NaiveDate::from_ymd_opt(2024, 6, 1).unwrap().and_hms_opt(12, 0, 0).unwrap());
        let mut rng = Mix(1);
        let p = plan(input(now, now - Duration::hours(1), false), &mut rng).unwrap();
        assert_eq!(p.stage, Stage::Received);
        let old = now - Duration::days(40);
        for _ in 0..200 {
            let mut i = input(now, old, false);
            i.county_known = false;
            let p = plan(i, &mut rng).unwrap();
            assert_eq!(p.stage, Stage::Received);
            assert!(p.steps.is_empty());
        }
    }

    #[test]
    fn timeline_spreads_cases_over_days_in_order_within_the_cap() {
        let today = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        for (hour, expect_today) in [(5, false), (14, true), (23, true)] {
            let now = from_cst(today.and_hms_opt(hour, 30, 0).unwrap());
            let t = Timeline::new(25_001, 1000, now);
            assert_eq!(t.full_days, 26);
            assert_eq!(t.today > 0, expect_today, "{hour}:30");
            let mut per_day: HashMap<NaiveDate, usize> = HashMap::new();
            let mut prev = None;
            for k in 0..25_001 {
                let at = t.at(k);
                assert!(at < now);
                if let Some(p) = prev {
                    assert!(at >= p);
                }
                prev = Some(at);
                let local = to_cst(at);
                assert!((8..20).contains(&chrono::Timelike::hour(&local)), "{local}");
                *per_day.entry(local.date_naive()).or_default() += 1;
            }
            assert_eq!(per_day.len(), 26 + usize::from(expect_today));
            assert!(per_day.values().all(|&n| n <= 1000), "{per_day:?}");
            assert_eq!(per_day.keys().min(), Some(&(today - Duration::days(26))));
            assert_eq!(per_day.keys().max(), Some(&t.last_day()));
        }
    }
}
