//! One pinned `ducha triage` line: input and output types that match DESIGN.md exactly, and the
//! [`Triage`] engine that fills them.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};
use serde::{Deserialize, Deserializer, Serialize};

use crate::TriageError;
use crate::accept_no::Channel;
use crate::classify::{Classification, PollutionType, Sansan, classify};
use crate::dup::{DupDoc, DupIndex, DupMatch};
use crate::gazetteer::Gazetteer;
use crate::places::Places;
use crate::redact::{Identity, Redacted, redact};
use crate::router::{Router, Routing};

/// A line id as the input wrote it: a string or an integer (echoed back the same way).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LineId {
    Num(i64),
    Str(String),
}

impl std::fmt::Display for LineId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineId::Num(n) => write!(f, "{n}"),
            LineId::Str(s) => f.write_str(s),
        }
    }
}

/// The complainant as the record knows them; any field may be null.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complainant {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

/// One input line of `ducha triage` (unknown fields, e.g. an eval set's `expected`, are ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TriageInput {
    pub id: LineId,
    pub text: String,
    /// ISO-8601; without an offset it is taken as Beijing time (+08:00).
    #[serde(default, deserialize_with = "de_time", skip_serializing_if = "Option::is_none")]
    pub received_at: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complainant: Option<Complainant>,
}

fn de_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    let Some(s) = s else { return Ok(None) };
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(Some(t));
    }
    let beijing = FixedOffset::east_opt(8 * 3600).ok_or_else(|| serde::de::Error::custom("offset"))?;
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f)
            && let Some(t) = beijing.from_local_datetime(&n).single()
        {
            return Ok(Some(t));
        }
    }
    Err(serde::de::Error::custom(format!("received_at“{s}”不是ISO-8601时间")))
}

impl TriageInput {
    /// The complainant as an [`Identity`] for the redactor.
    pub fn identity(&self) -> Identity {
        let c = self.complainant.clone().unwrap_or_default();
        Identity { name: c.name, phone: c.phone, address: c.address, ..Identity::default() }
    }
}

/// Confidence of each output field, in `0..=1`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct OutputConfidence {
    pub county_code: f32,
    pub township_code: f32,
    pub village_code: f32,
    pub pollution_types: f32,
    pub sansan: f32,
    pub dup_of: f32,
}

/// One output line of `ducha triage`, exactly as pinned in DESIGN.md.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TriageOutput {
    pub id: LineId,
    /// GB/T 2260 code, a functional-zone code, `OUTSIDE` or `UNKNOWN`.
    pub county_code: String,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    pub pollution_types: Vec<PollutionType>,
    pub sansan: Option<Sansan>,
    /// Id of the earliest earlier line about the same source.
    pub dup_of: Option<LineId>,
    pub redacted_text: String,
    pub confidence: OutputConfidence,
}

/// Everything triage finds for one text (for intake and the case page: with the deciding words).
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub routing: Routing,
    pub classification: Classification,
    pub redacted: Redacted,
    pub dup_doc: DupDoc,
}

/// Parses one JSONL input line; the error names the line number.
pub fn parse_jsonl_line(line: &str, line_no: usize) -> Result<TriageInput, TriageError> {
    let line = line.trim_start_matches('\u{feff}');
    serde_json::from_str::<TriageInput>(line)
        .map_err(|e| TriageError::new("bad_jsonl", format!("无法解析输入行：{e}")).at("<input>", line_no))
}

fn round3(x: f32) -> f32 {
    (x.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
}

/// The triage engine: router (shared, cheap to clone) plus the duplicate index of this run.
#[derive(Debug)]
pub struct Triage {
    router: Router,
    index: DupIndex,
    ids: Vec<LineId>,
}

impl Triage {
    pub fn new(gazetteer: &Gazetteer, places: &Places) -> Triage {
        Triage::with_router(Router::new(gazetteer, places))
    }

    /// Uses an existing router (cheap: routers share their automaton).
    pub fn with_router(router: Router) -> Triage {
        Triage { router, index: DupIndex::new(), ids: Vec::new() }
    }

    /// Over the built-in gazetteer and places.
    pub fn builtin() -> Triage {
        Triage::new(Gazetteer::builtin(), Places::builtin())
    }

    pub fn router(&self) -> &Router {
        &self.router
    }

    /// Routes, classifies and redacts one text (no duplicate lookup).
    pub fn analyze(&self, text: &str, known: &Identity) -> Analysis {
        let redacted = redact(text, known);
        // Route the redacted text: a person's name (王东明) must not read as a place (东明县).
        let routing = self.router.route(&redacted.text);
        let classification = classify(text);
        let dup_doc = DupDoc::new(&redacted.text, &routing, &classification);
        Analysis { routing, classification, redacted, dup_doc }
    }

    /// The duplicate document [`Triage::analyze`] makes for `text`, from the text and its redacted
    /// form as stored with a case (`redacted` is [`Analysis::redacted`]'s text), without the
    /// complainant's identity: how a store rebuilds a document made by an older version
    /// ([`DupDoc::is_current`]).
    pub fn dup_doc_for(&self, text: &str, redacted: &str) -> DupDoc {
        DupDoc::new(redacted, &self.router.route(redacted), &classify(text))
    }

    /// One pinned output line; duplicates are looked up among the lines given before.
    pub fn triage_line(&mut self, input: &TriageInput) -> TriageOutput {
        let a = self.analyze(&input.text, &input.identity());
        self.link(input, a)
    }

    /// The output line for an analysis made earlier (possibly on another thread): the duplicate
    /// lookup sees the lines linked before it, so linking in input order gives the same result as
    /// [`Triage::triage_line`].
    pub fn link(&mut self, input: &TriageInput, a: Analysis) -> TriageOutput {
        let m: Option<DupMatch> = self.index.query(&a.dup_doc);
        let n = self.ids.len() as u64;
        match &m {
            Some(m) => self.index.add_duplicate(n, &a.dup_doc, m.id),
            None => self.index.add(n, &a.dup_doc),
        }
        self.ids.push(input.id.clone());
        let dup_of = m.as_ref().and_then(|m| self.ids.get(m.id as usize).cloned());
        let dup_conf = match &m {
            Some(m) => (0.5 + (m.score - crate::dup::DUP_THRESHOLD)).clamp(0.5, 0.99),
            None => 0.8,
        };
        TriageOutput {
            id: input.id.clone(),
            county_code: a.routing.county.code().to_owned(),
            township_code: a.routing.township_code,
            village_code: a.routing.village_code,
            pollution_types: a.classification.pollution_types,
            sansan: a.classification.sansan,
            dup_of,
            redacted_text: a.redacted.text,
            confidence: OutputConfidence {
                county_code: round3(a.routing.confidence.county),
                township_code: round3(a.routing.confidence.township),
                village_code: round3(a.routing.confidence.village),
                pollution_types: round3(a.classification.confidence.pollution_types),
                sansan: round3(a.classification.confidence.sansan),
                dup_of: round3(dup_conf),
            },
        }
    }

    /// Forgets the lines seen so far (a new input file).
    pub fn reset(&mut self) {
        self.index = DupIndex::new();
        self.ids.clear();
    }
}
