//! Triage at intake: where, what, already reported?, and the redacted text for public use.

use std::sync::Arc;

use ducha_store::cases::ComplainantIdentity;
use ducha_triage::{CountyOutcome, Router};

use crate::{App, Result};

/// The triage engines, built once per process.
#[derive(Debug)]
pub struct TriageEngine {
    pub router: Router,
}

impl TriageEngine {
    pub fn builtin() -> Arc<TriageEngine> {
        Arc::new(TriageEngine { router: Router::builtin() })
    }
}

pub const POLLUTION_TYPES: [&str; 8] = ["大气", "水", "土壤", "噪声", "固废", "生态", "辐射", "其他"];
pub const SANSAN: [&str; 3] = ["散乱污企业", "散煤", "散尘"];

/// What triage suggests for one complaint.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    pub pollution_types: Vec<String>,
    pub sansan: Option<String>,
    pub redacted_text: String,
    pub dup_of: Option<i64>,
    pub explanation: serde_json::Value,
}

impl App {
    pub async fn analyse(&self, text: &str, who: &ComplainantIdentity) -> Result<Analysis> {
        let mut redacted: String = text.chars().map(|c| if c.is_ascii_digit() { '*' } else { c }).collect();
        for v in [&who.name, &who.address].into_iter().flatten() {
            if !v.is_empty() {
                redacted = redacted.replace(v.as_str(), "某某");
            }
        }
        let routing = self.triage.router.route(text);
        let county_code = match &routing.county {
            CountyOutcome::Code(c) => Some(c.clone()),
            CountyOutcome::Outside { .. } => Some("OUTSIDE".to_owned()),
            CountyOutcome::Unknown => None,
        };
        let explanation = serde_json::json!({
            "evidence": routing.evidence,
            "confidence": { "county": routing.confidence.county, "township": routing.confidence.township, "village": routing.confidence.village },
            "outside": match &routing.county { CountyOutcome::Outside { name } => Some(name.clone()), _ => None },
        });
        Ok(Analysis {
            county_code,
            township_code: routing.township_code.clone(),
            village_code: routing.village_code.clone(),
            redacted_text: redacted,
            explanation,
            ..Analysis::default()
        })
    }

    pub fn remember_for_duplicates(&self, _id: i64, _a: &Analysis) {}
}
