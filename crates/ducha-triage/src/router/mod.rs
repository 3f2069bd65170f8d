//! The address router: complaint text → county-level unit, township and village, with confidence and
//! the words that decided.
//!
//! How it decides: every alias of every division (official, common and short names, abbreviations of
//! functional zones, the places file, other cities/provinces/counties of China) is one pattern of a
//! leftmost-longest Aho–Corasick automaton. Each match ("mention") votes for the counties it can mean
//! (an ambiguous name such as 城关镇 splits its vote), weighted by how specific it is and by its context:
//! a mention right before the polluting source (…村一家塑料厂) counts more; a reference point (台前县
//! *对岸*的…) and the complainant's home (我家住…) count less. OUTSIDE wins when the other cities'/
//! provinces' mentions outweigh the local ones; UNKNOWN when nothing locates the text or the best two
//! counties tie. Township and village are then chosen among the mentions inside the chosen county.
//!
//! Modules: [`build`] (the patterns and automata made from a gazetteer and a places list), [`words`]
//! (the context word lists), [`context`] (how the words around a mention weigh it), [`decide`]
//! (county, township and village from the weighed mentions).

use std::collections::HashMap;
use std::sync::Arc;

use aho_corasick::AhoCorasick;
use serde::{Deserialize, Serialize};

use crate::gazetteer::Gazetteer;
use crate::places::Places;
use crate::text::Folded;

mod build;
mod context;
mod decide;
#[cfg(test)]
mod tests;
mod words;

/// The county-level outcome of routing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CountyOutcome {
    /// A local county-level unit: GB/T 2260 code or a functional-zone code.
    Code(String),
    /// The source is in another city or province (`name` e.g. 山东省聊城市阳谷县).
    Outside { name: String },
    /// Nothing in the text locates the source.
    Unknown,
}

impl CountyOutcome {
    /// The value of the pinned `county_code` field: the code, `OUTSIDE` or `UNKNOWN`.
    pub fn code(&self) -> &str {
        match self {
            CountyOutcome::Code(c) => c,
            CountyOutcome::Outside { .. } => "OUTSIDE",
            CountyOutcome::Unknown => "UNKNOWN",
        }
    }
}

/// Confidence of each routing field, each in `0..=1`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct FieldConfidence {
    pub county: f32,
    pub township: f32,
    pub village: f32,
}

/// What the router found for one text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Routing {
    pub county: CountyOutcome,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    pub confidence: FieldConfidence,
    /// The words that decided, in text order.
    pub evidence: Vec<String>,
    /// Point-like places of the places file named in the text (enterprises, landmarks, markets,
    /// schools, hospitals, communities) — duplicate detection uses them as anchors.
    #[serde(default)]
    pub places: Vec<String>,
    /// For OUTSIDE: the code of the most specific other division named (county, city or province).
    #[serde(default)]
    pub outside_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Scope {
    /// A local county-level unit, optionally a township and village in it.
    Local { county: Box<str>, township: Option<Box<str>>, village: Option<Box<str>> },
    /// Somewhere in the deployment city, county unknown (濮阳市, a river, a place spanning counties).
    LocalCity,
    /// Another county/city/province (code of that division).
    Outside { code: Box<str> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Admin,
    /// A point-like place of the places file (enterprise, landmark …).
    Spot,
    /// A generic abbreviation (开发区, 工业园区, 示范区): ignored right after another place name.
    Generic,
    Place,
    /// A short outside name (阳谷, 大名): weak unless next to its province or city.
    OutsideShort,
}

#[derive(Debug, Clone)]
struct Target {
    scope: Scope,
    weight: f32,
}

#[derive(Debug, Clone)]
struct Pattern {
    text: String,
    class: Class,
    targets: Vec<Target>,
}

#[derive(Debug)]
struct Inner {
    ac: AhoCorasick,
    patterns: Vec<Pattern>,
    context: AhoCorasick,
    context_kinds: Vec<Ctx>,
    /// Routing counties that have exactly one township.
    single_township: HashMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Source,
    RelationAfter,
    RelationBefore,
    Home,
    RefBefore,
    RefAfter,
}

/// Routes complaint text to regions. Cheap to clone (shared automaton).
#[derive(Debug, Clone)]
pub struct Router {
    inner: Arc<Inner>,
}

/// One match of a pattern in the text, with the weight its context gives it.
#[derive(Debug, Clone, Copy)]
struct Mention {
    start: usize,
    end: usize,
    pat: usize,
    factor: f32,
    /// Cross-border relation factor (对岸/隔壁): counts for the county decision only.
    relation: f32,
}

impl Router {
    /// The router over the built-in gazetteer and places.
    pub fn builtin() -> Router {
        Router::new(Gazetteer::builtin(), Places::builtin())
    }

    /// Number of alias patterns (for diagnostics).
    pub fn pattern_count(&self) -> usize {
        self.inner.patterns.len()
    }

    /// Routes one text.
    pub fn route(&self, text: &str) -> Routing {
        let folded = Folded::new(text);
        let t = folded.text.as_str();
        let inner = &*self.inner;
        let mut mentions: Vec<Mention> = inner
            .ac
            .find_iter(t)
            .map(|m| Mention {
                start: m.start(),
                end: m.end(),
                pat: m.pattern().as_usize(),
                factor: 1.0,
                relation: 1.0,
            })
            .collect();
        if mentions.is_empty() {
            return decide::unknown(Vec::new(), 0.9);
        }
        // Context words anywhere (overlapping), as (start, end, kind).
        let ctx: Vec<(usize, usize, Ctx)> = inner
            .context
            .find_overlapping_iter(t)
            .map(|m| (m.start(), m.end(), inner.context_kinds[m.pattern().as_usize()]))
            .collect();
        self.apply_context(t, &mut mentions, &ctx);
        let mut routing = self.decide(&mentions);
        for m in &mentions {
            let p = &inner.patterns[m.pat];
            if p.class == Class::Spot && m.factor > 0.0 && !routing.places.contains(&p.text) {
                routing.places.push(p.text.clone());
            }
        }
        routing
    }
}
