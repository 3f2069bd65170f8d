//! Triage at intake: where, what, already reported?, and the redacted text for public use.
//!
//! The near-duplicate index lives in memory. It is filled from the stored cases on first use and
//! then catches up with every case written since (by this or another instance) before each query,
//! so several instances on one PostgreSQL database see each other's intake.
//!
//! Each case stores its index document as JSON. A document made by another version of the index
//! (`DupDoc::is_current` false: before issue 16 the hashes were `std`'s `DefaultHasher`, which may
//! change with the toolchain) is never compared with new ones; it is made again from the case's
//! stored texts (`Triage::dup_doc_for`: the original and the redacted text, as intake made it) when
//! the index loads, so an existing database keeps finding duplicates. The stored JSON is left as it
//! is; `ducha serve` loads the index at start-up, so the cost is paid there once per process.

use std::collections::HashMap;
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

    /// The engines for another deployment city (`ducha serve` on a database made by `ducha init`).
    pub fn for_gazetteer(g: &ducha_triage::Gazetteer, places: &ducha_triage::Places) -> Arc<TriageEngine> {
        Arc::new(TriageEngine { triage: Triage::new(g, places), index: RwLock::new(IndexState::default()) })
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
            // Read (and rebuild older documents) outside the lock; insert under it.
            let parsed = self.dup_docs_after_on(conn, seen, 5000).await?;
            if parsed.is_empty() {
                return Ok(());
            }
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

    /// Stored cases after `after` (at most `limit`, in id order) with their duplicate link and index
    /// document, current: one made by another version is made again from the case's texts. `None`
    /// for a case stored without a document (or with one that does not parse).
    pub async fn dup_docs_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, Option<i64>, Option<DupDoc>)>> {
        let mut conn = self.store.read_conn().await?;
        self.dup_docs_after_on(&mut conn, after, limit).await
    }

    /// [`App::dup_docs_after`] on a reader connection the caller holds.
    pub(crate) async fn dup_docs_after_on(
        &self,
        conn: &mut ducha_store::ReadConn,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, Option<i64>, Option<DupDoc>)>> {
        let rows = ducha_store::cases::dup_docs_after_on(&mut **conn, after, limit).await?;
        let mut parsed: Vec<(i64, Option<i64>, Option<DupDoc>)> = rows
            .into_iter()
            .map(|(id, dup_of, doc)| (id, dup_of, doc.and_then(|d| serde_json::from_str::<DupDoc>(&d).ok())))
            .collect();
        let stale: Vec<i64> = parsed
            .iter()
            .filter(|(_, _, d)| d.as_ref().is_some_and(|d| !d.is_current()))
            .map(|r| r.0)
            .collect();
        let (Some(&from), Some(&to)) = (stale.first(), stale.last()) else {
            return Ok(parsed);
        };
        let texts = ducha_store::dup_reindex::case_texts_between_on(&mut **conn, from, to).await?;
        let mut texts: HashMap<i64, (String, String)> = texts
            .into_iter()
            .filter(|(id, _, _)| stale.binary_search(id).is_ok())
            .map(|(id, o, r)| (id, (o, r)))
            .collect();
        // Routing, classifying and segmenting a few thousand texts: off the async workers.
        let engine = Arc::clone(&self.triage);
        let again: HashMap<i64, DupDoc> = tokio::task::spawn_blocking(move || {
            texts
                .drain()
                .map(|(id, (original, redacted))| (id, engine.triage.dup_doc_for(&original, &redacted)))
                .collect()
        })
        .await
        .map_err(|e| AppError::internal(format!("dup index rebuild: {e}")))?;
        tracing::info!(
            count = again.len(),
            "duplicate documents of an older version made again from their texts"
        );
        for (id, _, doc) in &mut parsed {
            if doc.as_ref().is_some_and(|d| !d.is_current()) {
                *doc = again.get(id).cloned();
            }
        }
        Ok(parsed)
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use ducha_store::cases::{self, NewCase};
    use ducha_store::directory::{self, NewCampaign};
    use ducha_store::{Backend, testing};

    /// A database written before issue 16 keeps finding duplicates: its documents (no `version`)
    /// are made again from the stored texts when the index loads.
    #[tokio::test]
    async fn documents_of_an_older_version_are_made_again_from_the_texts() {
        let (store, _db) = testing::fresh(Backend::Sqlite).await;
        let clock =
            Arc::new(crate::FixedClock::new(chrono::DateTime::from_timestamp(1_702_519_200, 0).unwrap()));
        let app = App::new(store.clone(), crate::Config::for_tests(), clock, None);
        app.bootstrap_directory(ducha_triage::Gazetteer::builtin()).await.unwrap();
        let team = directory::unit_by_code(&store, "team").await.unwrap().unwrap();
        let city = directory::unit_by_code(&store, "city-4109").await.unwrap().unwrap();
        let mut tx = store.begin().await.unwrap();
        let campaign_id = directory::insert_campaign(
            &mut tx,
            &NewCampaign {
                name: "督察".into(),
                team_name: "督察组".into(),
                start_date: "2023-12-10".into(),
                end_date: "2024-01-10".into(),
                hotlines: vec![],
                postal_box: String::new(),
                hours_start: "08:00".into(),
                hours_end: "20:00".into(),
                round_no: 3,
                province_letters: "HA".into(),
                regions: vec![],
                team_unit_id: team.id,
                city_unit_id: city.id,
                settings: serde_json::json!({}),
                created_at: 0,
            },
        )
        .await
        .unwrap();
        let letter = "敬爱的督察组：濮阳县柳屯镇肖楼村村东头有一家塑料颗粒作坊，每天夜里冒黑烟，气味刺鼻，严重影响村民生活。";
        let who = ComplainantIdentity::default();
        let first = app.analyse(letter, &who).await.unwrap();
        // The document as a build before versions stored it: no `version` field.
        let mut old: serde_json::Value = serde_json::from_str(&first.dup_doc).unwrap();
        old.as_object_mut().unwrap().remove("version");
        let case = NewCase {
            campaign_id,
            accept_no: "HA3-20231214-0001".into(),
            channel: "letter".into(),
            received_at: 0,
            original_text: letter.into(),
            redacted_text: first.redacted_text.clone(),
            county_code: first.county_code.clone(),
            township_code: first.township_code.clone(),
            village_code: first.village_code.clone(),
            pollution_types: "[]".into(),
            sansan: None,
            triage: "{}".into(),
            dup_of: None,
            stage: "received".into(),
            county_unit_id: None,
            created_by: None,
            now: 0,
            dup_doc: Some(old.to_string()),
        };
        let id = cases::insert_case(&mut tx, &case).await.unwrap();
        tx.commit().await.unwrap();

        let docs = app.dup_docs_after(0, 10).await.unwrap();
        assert_eq!(docs.len(), 1);
        let doc = docs[0].2.clone().unwrap();
        assert!(doc.is_current());
        assert_eq!(serde_json::to_string(&doc).unwrap(), first.dup_doc);

        let call = "喂，你好，我想反映一下，就是柳屯镇肖楼村东头那个塑料作坊，晚上一直冒烟，味道很呛人。";
        let again = app.analyse(call, &who).await.unwrap();
        assert_eq!(again.dup_of, Some(id));
        assert_eq!(app.triage.indexed(), 1);
    }
}
