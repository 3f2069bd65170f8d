//! Triage at intake: where, what, already reported?, and the redacted text for public use.
//!
//! The near-duplicate index lives in memory. It is filled from the stored cases on first use and
//! then catches up with every case written since (by this or another instance) before each query,
//! so several instances on one PostgreSQL database see each other's intake.

use std::sync::{Arc, RwLock};

use ducha_store::cases::ComplainantIdentity;
use ducha_triage::dup::{DupDoc, DupIndex};
use ducha_triage::{CountyOutcome, Identity, Router, Triage};

use crate::{App, AppError, Result};

pub const POLLUTION_TYPES: [&str; 8] = ["大气", "水", "土壤", "噪声", "固废", "生态", "辐射", "其他"];
pub const SANSAN: [&str; 3] = ["散乱污企业", "散煤", "散尘"];

/// The triage engines, built once per process.
#[derive(Debug)]
pub struct TriageEngine {
    pub triage: Triage,
    /// Read-locked by queries (several at once), write-locked to add the cases written since.
    index: RwLock<IndexState>,
}

#[derive(Debug, Default)]
struct IndexState {
    index: DupIndex,
    /// Highest case id already in the index.
    seen: i64,
}

impl TriageEngine {
    pub fn builtin() -> Arc<TriageEngine> {
        Arc::new(TriageEngine { triage: Triage::builtin(), index: RwLock::new(IndexState::default()) })
    }

    pub fn router(&self) -> &Router {
        self.triage.router()
    }

    /// Documents in the index (for metrics and tests).
    pub fn indexed(&self) -> usize {
        self.index.read().map(|s| s.index.len()).unwrap_or(0)
    }
}

/// What triage suggests for one complaint.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    pub pollution_types: Vec<String>,
    pub sansan: Option<String>,
    pub redacted_text: String,
    /// The same text as the firewall made it (for the intake's answer, which need not screen it again).
    pub screened: ducha_shield::Screened,
    pub dup_of: Option<i64>,
    /// The deciding words and confidences, shown on the case page.
    pub explanation: serde_json::Value,
    /// JSON of the duplicate-index features.
    pub dup_doc: String,
}

fn identity(who: &ComplainantIdentity) -> Identity {
    crate::firewall::identity_of(who)
}

impl App {
    /// Bring the duplicate index up to date with every stored case.
    pub async fn sync_dup_index(&self) -> Result<()> {
        let mut conn = self.store.read_conn().await?;
        self.sync_dup_index_on(&mut conn).await
    }

    /// [`App::sync_dup_index`] on a reader connection the caller holds.
    pub(crate) async fn sync_dup_index_on(&self, conn: &mut ducha_store::ReadConn) -> Result<()> {
        loop {
            let seen = self
                .triage
                .index
                .read()
                .map(|s| s.seen)
                .map_err(|_| AppError::internal("dup index poisoned"))?;
            let rows = ducha_store::cases::dup_docs_after_on(&mut **conn, seen, 5000).await?;
            if rows.is_empty() {
                return Ok(());
            }
            // Parse outside the lock; insert under it.
            let parsed: Vec<(i64, Option<i64>, Option<DupDoc>)> = rows
                .into_iter()
                .map(|(id, dup_of, doc)| {
                    (id, dup_of, doc.and_then(|d| serde_json::from_str::<DupDoc>(&d).ok()))
                })
                .collect();
            let mut st = self.triage.index.write().map_err(|_| AppError::internal("dup index poisoned"))?;
            for (id, dup_of, doc) in parsed {
                if id <= st.seen {
                    continue;
                }
                st.seen = id;
                let Some(doc) = doc else { continue };
                match dup_of {
                    Some(p) => st.index.add_duplicate(id as u64, &doc, p as u64),
                    None => st.index.add(id as u64, &doc),
                }
            }
        }
    }

    /// Route, classify, redact and look for an earlier report of the same source.
    pub async fn analyse(&self, text: &str, who: &ComplainantIdentity) -> Result<Analysis> {
        let mut conn = self.store.read_conn().await?;
        self.analyse_on(&mut conn, text, who).await
    }

    /// [`App::analyse`] on a reader connection the caller holds.
    pub(crate) async fn analyse_on(
        &self,
        conn: &mut ducha_store::ReadConn,
        text: &str,
        who: &ComplainantIdentity,
    ) -> Result<Analysis> {
        let a = self.triage.triage.analyze(text, &identity(who));
        self.sync_dup_index_on(conn).await?;
        let dup = self
            .triage
            .index
            .read()
            .map_err(|_| AppError::internal("dup index poisoned"))?
            .index
            .query(&a.dup_doc);
        let county_code = match &a.routing.county {
            CountyOutcome::Code(c) => Some(c.clone()),
            CountyOutcome::Outside { .. } => Some("OUTSIDE".to_owned()),
            CountyOutcome::Unknown => None,
        };
        let mut evidence: Vec<String> = a.routing.evidence.clone();
        evidence.extend(a.classification.evidence.iter().cloned());
        let explanation = serde_json::json!({
            "evidence": evidence,
            "routing_evidence": a.routing.evidence,
            "type_evidence": a.classification.evidence,
            "duplicate_evidence": dup.as_ref().map(|d| d.evidence.clone()).unwrap_or_default(),
            "duplicate_score": dup.as_ref().map(|d| d.score),
            "outside": match &a.routing.county { CountyOutcome::Outside { name } => Some(name.clone()), _ => None },
            "confidence": {
                "county": a.routing.confidence.county,
                "township": a.routing.confidence.township,
                "village": a.routing.confidence.village,
                "pollution_types": a.classification.confidence.pollution_types,
                "sansan": a.classification.confidence.sansan,
            },
        });
        Ok(Analysis {
            county_code,
            township_code: a.routing.township_code.clone(),
            village_code: a.routing.village_code.clone(),
            pollution_types: a.classification.pollution_types.iter().map(|t| t.label().to_owned()).collect(),
            sansan: a.classification.sansan.map(|s| s.label().to_owned()),
            redacted_text: a.redacted.text.clone(),
            screened: match a.redacted.screened() {
                Some(s) => s.clone(),
                None => ducha_shield::Shield::none().screen(&a.redacted.text),
            },
            dup_of: dup.map(|d| d.id as i64),
            explanation,
            dup_doc: serde_json::to_string(&a.dup_doc).unwrap_or_default(),
        })
    }
}
