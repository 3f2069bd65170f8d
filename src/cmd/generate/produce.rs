//! The producer of `ducha gen --db`: generates complaints, triages them as intake does (analysis on
//! several threads; the duplicate link against every earlier case, stored or generated, in order),
//! plans each one's history and sends the cases in chunks, in order, to the writer.

use std::collections::HashSet;

use anyhow::Result;
use chrono::{DateTime, Utc};
use ducha_domain::answering::batch_day_of;
use ducha_store::cases::ComplainantIdentity;
use ducha_triage::batch::analyse_parallel;
use ducha_triage::dup::{DupDoc, DupIndex};
use ducha_triage::synth::{Synth, SynthConfig};
use ducha_triage::{Analysis, Channel, CountyOutcome, Triage, TriageInput};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::plan::{Plan, PlanInput, plan};
use super::timeline::Timeline;

/// Index ids of generated cases start here (stored cases keep their database ids below it).
const NEW_BASE: u64 = 1 << 40;

/// The primary case a generated one repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DupRef {
    /// A case that was in the database before this run.
    Stored(i64),
    /// An earlier case of this run, by its position.
    New(usize),
}

/// One generated complaint, triaged and planned, ready to be written.
#[derive(Debug)]
pub struct GenCase {
    pub seq: usize,
    pub channel: Channel,
    pub received: DateTime<Utc>,
    pub text: String,
    pub who: ComplainantIdentity,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    pub pollution_types: String,
    pub sansan: Option<String>,
    pub redacted_text: String,
    pub triage: String,
    pub dup_doc: String,
    pub dup_of: Option<DupRef>,
    pub plan: Plan,
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
pub struct ProducerCtx {
    pub cfg: SynthConfig,
    pub count: usize,
    pub chunk: usize,
    pub jobs: usize,
    pub timeline: Timeline,
    pub hours: ducha_domain::campaign::AnsweringHours,
    pub now: DateTime<Utc>,
    pub counties: HashSet<String>,
    pub townships: HashSet<String>,
    pub existing: Vec<(i64, Option<i64>, DupDoc)>,
}

/// Generates, triages (duplicates against every earlier case) and plans; sends chunks in order.
pub fn produce(ctx: ProducerCtx, triage: Triage, out: tokio::sync::mpsc::Sender<Vec<GenCase>>) -> Result<()> {
    let mut index = DupIndex::new();
    for (id, dup_of, doc) in &ctx.existing {
        match dup_of {
            Some(p) => index.add_duplicate(*id as u64, doc, *p as u64),
            None => index.add(*id as u64, doc),
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(ctx.cfg.seed ^ 0x5EED_CA5E);
    let mut synth = Synth::builtin(ctx.cfg).take(ctx.count).enumerate().peekable();
    while synth.peek().is_some() {
        let items: Vec<(usize, ducha_triage::eval::EvalItem)> = synth.by_ref().take(ctx.chunk).collect();
        let inputs: Vec<&TriageInput> = items.iter().map(|(_, it)| &it.input).collect();
        let analyses = analyse_parallel(&triage, &inputs, ctx.jobs);
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
