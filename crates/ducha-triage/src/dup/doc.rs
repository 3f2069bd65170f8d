//! What the index keeps of one complaint ([`DupDoc`]): packed places, anchors (business names) and
//! their folded keys, landmarks, source kinds, pollution types, 三散, directions, receptors, repeat and
//! contrast words, and a MinHash of the wording. Stored as JSON with each case; [`DUP_DOC_VERSION`]
//! says which hashes and lists made it.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::codes::{pack, unpack};
use super::lexicon::LEXICON;
use super::names::{ENTITY, core_name, fold_name};
use super::{JIEBA, MINHASH_K};
use crate::classify::{Classification, PollutionType, Sansan};
use crate::hash::{hash_str, minhash};
use crate::router::{CountyOutcome, Routing};
use crate::text::{fold_char, is_han};

/// The version of the document format and its hashes. Documents of another version are never compared
/// with these ([`super::pair_score`] gives 0); a store rebuilds them from the complaint text (see
/// `ducha-app`'s `triage`).
///
/// - 1 (documents without a `version` field): hashed with `std`'s `DefaultHasher`, whose output Rust
///   does not promise across releases.
/// - 2: hashed with [`crate::hash`] (FNV-1a + SplitMix64, pinned), MinHash by [`crate::hash::minhash`].
pub const DUP_DOC_VERSION: u8 = 2;

/// The version of a stored document that has none: the `DefaultHasher` one.
fn unversioned() -> u8 {
    1
}

static CONTRAST_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"不是[^，。,.！？]{0,10}?(?:那家|那个|那一家|那边)|(?:跟|和|与)[^，。,.！？]{1,12}?(?:不是一|不一样|不同)")
        .unwrap_or_else(|e| panic!("contrast regex: {e}"))
});
static DIRECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:村|庄|屯|寨|镇|集|街|路|桥)(东|西|南|北)(?:头|边|侧|面|口|南|北)?|(东|西|南|北)(?:头|边)")
        .unwrap_or_else(|e| panic!("direction regex: {e}"))
});

/// What the index keeps of one complaint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DupDoc {
    /// [`DUP_DOC_VERSION`] when made; stored documents without one are version 1.
    #[serde(default = "unversioned")]
    pub(super) version: u8,
    /// County (local code, or another division across the border), township and village, packed
    /// (see `codes::pack`); 0 = not known.
    pub(super) county: u64,
    pub(super) township: u64,
    pub(super) village: u64,
    /// Anchors as found (core names, e.g. 鑫源) and their folded keys.
    pub anchors: Vec<String>,
    pub(super) anchor_keys: Vec<u64>,
    /// Point-like places of the places file named in the text (戚城遗址, 濮耐).
    pub(super) landmarks: Vec<u64>,
    /// The text says this was reported before.
    pub(super) repeat: bool,
    /// Bitmask of source kinds.
    pub(super) kinds: u64,
    pub(super) types: u8,
    pub(super) sansan: Option<Sansan>,
    pub(super) directions: u8,
    pub(super) receptors: u8,
    /// The text says it is a different source from one reported before.
    pub(super) contrast: bool,
    pub(super) sig: [u32; MINHASH_K],
}

fn type_bits(types: &[PollutionType]) -> u8 {
    types.iter().filter(|t| **t != PollutionType::Other).fold(0u8, |b, t| b | (1 << (*t as u8)))
}

impl DupDoc {
    /// From a complaint text and what the router and classifier found for it.
    pub fn new(text: &str, routing: &Routing, class: &Classification) -> DupDoc {
        let county = match &routing.county {
            CountyOutcome::Code(c) => Some(c.as_str()),
            CountyOutcome::Outside { .. } => None,
            CountyOutcome::Unknown => None,
        };
        let outside = routing.outside_code.as_ref().map(|c| format!("OUTSIDE:{c}"));
        let county = match &routing.county {
            CountyOutcome::Outside { .. } => Some(outside.as_deref().unwrap_or("OUTSIDE")),
            _ => county,
        };
        Self::build(
            text,
            county,
            routing.township_code.as_deref(),
            routing.village_code.as_deref(),
            &class.pollution_types,
            class.sansan,
            &routing.evidence,
            &routing.places,
        )
    }

    /// From the parts a store keeps (text, the `county_code` field value, township, village, types,
    /// 三散), so the app can rebuild the index at start-up. `county_code` is a code, `OUTSIDE` or
    /// `UNKNOWN`.
    pub fn from_parts(
        text: &str,
        county_code: &str,
        township: Option<&str>,
        village: Option<&str>,
        types: &[PollutionType],
        sansan: Option<Sansan>,
    ) -> DupDoc {
        let county = (county_code != "UNKNOWN" && !county_code.is_empty()).then_some(county_code);
        Self::build(text, county, township, village, types, sansan, &[], &[])
    }

    fn build(
        text: &str,
        county: Option<&str>,
        township: Option<&str>,
        village: Option<&str>,
        types: &[PollutionType],
        sansan: Option<Sansan>,
        place_words: &[String],
        landmarks: &[String],
    ) -> DupDoc {
        let t: String = text.chars().map(fold_char).collect();
        // Anchors.
        let mut anchors: Vec<String> = Vec::new();
        for c in ENTITY.captures_iter(&t) {
            if let Some(m) = c.get(1)
                && let Some(core) = core_name(m.as_str())
                && !place_words.iter().any(|p| p == &core || p.contains(core.as_str()))
                && !anchors.contains(&core)
            {
                anchors.push(core);
            }
        }
        let anchor_keys = anchors.iter().map(|a| hash_str(&fold_name(a))).collect();
        // Kinds.
        let lex = &*LEXICON;
        let mut kinds = 0u64;
        for (w, k) in &lex.kinds {
            if t.contains(w.as_str()) {
                kinds |= 1 << k;
            }
        }
        // Directions and content ignore the place names (渠村南湖村 has no 村南 in it).
        let mut content = t.clone();
        for p in place_words {
            content = content.replace(p.as_str(), "，");
        }
        let mut receptors = 0u8;
        for (w, k) in &lex.receptors {
            if content.contains(w.as_str()) {
                receptors |= 1 << k;
            }
        }
        let contrast = lex.contrast.iter().any(|w| t.contains(w.as_str())) || CONTRAST_RE.is_match(&t);
        let repeat = lex.repeat.iter().any(|w| t.contains(w.as_str()));
        let landmarks = landmarks.iter().map(|l| hash_str(l)).collect();
        let mut directions = 0u8;
        for c in DIRECTION.captures_iter(&content) {
            let d = c.get(1).or_else(|| c.get(2)).map(|m| m.as_str());
            directions |= match d {
                Some("东") => 1,
                Some("西") => 2,
                Some("南") => 4,
                Some("北") => 8,
                _ => 0,
            };
        }
        // Content shingles: jieba words (2+ chars, not fillers, not place words) and Han bigrams of them.
        let mut shingles: Vec<u64> = Vec::new();
        for tok in JIEBA.cut(&content, true) {
            let w = tok.word;
            if w.chars().count() < 2 || !w.chars().all(is_han) || lex.fillers.iter().any(|f| f == w) {
                continue;
            }
            shingles.push(hash_str(w));
            let cs: Vec<char> = w.chars().collect();
            for pair in cs.windows(2) {
                let bg: String = pair.iter().collect();
                shingles.push(hash_str(&bg) ^ 0x9e37_79b9_7f4a_7c15);
            }
        }
        DupDoc {
            version: DUP_DOC_VERSION,
            county: county.map_or(0, pack),
            township: township.map_or(0, pack),
            village: village.map_or(0, pack),
            anchors,
            anchor_keys,
            kinds,
            types: type_bits(types),
            sansan,
            directions,
            receptors,
            contrast,
            landmarks,
            repeat,
            sig: minhash(shingles),
        }
    }

    /// The version it was made with ([`DUP_DOC_VERSION`] for a new one; 1 for a stored one without).
    pub fn version(&self) -> u8 {
        self.version
    }

    /// Made with this build's hashes and lists, so comparable with new documents. A stored document
    /// that is not must be made again from its complaint text ([`crate::Triage::dup_doc_for`]).
    pub fn is_current(&self) -> bool {
        self.version == DUP_DOC_VERSION
    }

    /// County as given (`410928`, `OUTSIDE:371522`, `OUTSIDE`), if known.
    pub fn county(&self) -> Option<String> {
        unpack(self.county)
    }

    pub fn township(&self) -> Option<String> {
        unpack(self.township)
    }

    pub fn village(&self) -> Option<String> {
        unpack(self.village)
    }

    /// Bytes this document takes in the index (heap included).
    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<DupDoc>()
            + self.anchors.iter().map(|a| a.capacity() + 24).sum::<usize>()
            + self.anchor_keys.capacity() * 8
            + self.landmarks.capacity() * 8
    }
}
