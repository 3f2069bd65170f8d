//! Triage at intake: where, what, already reported?, and the redacted text for public use.

use ducha_store::cases::ComplainantIdentity;

use crate::{App, Result};

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
        Ok(Analysis { redacted_text: redacted, explanation: serde_json::json!({}), ..Analysis::default() })
    }

    pub fn remember_for_duplicates(&self, _id: i64, _a: &Analysis) {}
}
