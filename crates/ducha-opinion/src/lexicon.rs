//! The opinion lexicon (`data/opinion/lexicon.toml`), compiled in and turned into automata once.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

use crate::OpinionError;

/// The built-in lexicon text.
pub const BUILTIN: &str = include_str!("../../../data/opinion/lexicon.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct SignalWords {
    pub label: String,
    pub words: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct WordList {
    pub words: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SentimentWords {
    pub positive: Vec<String>,
    pub negative: Vec<String>,
    /// Words that report a problem as dealt with (their sentence's problem words are history).
    pub resolved: Vec<String>,
    /// Words that make their sentence a warning, invitation or notice (nothing in it is reported).
    pub hypothetical: Vec<String>,
    pub negators: Vec<String>,
    pub intensifiers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Outlets {
    pub national: Vec<String>,
    pub provincial: Vec<String>,
    pub local: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EnterpriseWords {
    pub suffixes: Vec<String>,
    pub boundaries: Vec<String>,
    pub generic: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TopicWords {
    pub stopwords: Vec<String>,
}

/// The lexicon as written in the data file.
#[derive(Debug, Clone, Deserialize)]
pub struct LexiconFile {
    pub signals: BTreeMap<String, SignalWords>,
    pub environment: WordList,
    pub inspection: WordList,
    pub sentiment: SentimentWords,
    pub outlets: Outlets,
    pub enterprise: EnterpriseWords,
    pub topics: TopicWords,
}

/// Which list a word came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A severity signal, by its index in [`SIGNAL_CODES`].
    Signal(usize),
    Environment,
    Inspection,
    Positive,
    Negative,
    Resolved,
    Hypothetical,
}

/// The signal codes the lexicon must define, in a fixed order (severity weights follow it).
pub const SIGNAL_CODES: [&str; 7] = [
    "casualty",
    "health",
    "harm",
    "mass_incident",
    "repeat_unresolved",
    "inspection_criticism",
    "blanket_shutdown",
];

/// The lexicon ready for matching.
#[derive(Debug)]
pub struct Lexicon {
    pub file: LexiconFile,
    /// One automaton over every word of every list (leftmost-longest), and the lists each word is in.
    pub words: AhoCorasick,
    pub word_kinds: Vec<Vec<Kind>>,
    pub word_text: Vec<String>,
    pub signal_labels: Vec<String>,
    pub outlets: AhoCorasick,
    /// Tier per outlet pattern: 3 national, 2 provincial, 1 local.
    pub outlet_tier: Vec<u8>,
    pub stopwords: std::collections::HashSet<String>,
    /// Every local place name (the city, its counties and townships): an item naming none of them
    /// while placed outside is not about the deployment.
    pub local_places: AhoCorasick,
    /// Names of provinces, cities and county-level divisions anywhere in China (with their short
    /// forms): too coarse to say two posts are about the same spot.
    pub coarse_places: std::collections::HashSet<String>,
}

impl Lexicon {
    pub fn parse(text: &str) -> Result<Lexicon, OpinionError> {
        let file: LexiconFile = toml::from_str(text).map_err(|e| OpinionError::Lexicon(e.to_string()))?;
        let mut signal_labels = Vec::new();
        let mut entries: BTreeMap<String, Vec<Kind>> = BTreeMap::new();
        let mut add = |w: &str, k: Kind| {
            let w = w.trim();
            if !w.is_empty() {
                let v = entries.entry(w.to_owned()).or_default();
                if !v.contains(&k) {
                    v.push(k);
                }
            }
        };
        for (i, code) in SIGNAL_CODES.iter().enumerate() {
            let s = file
                .signals
                .get(*code)
                .ok_or_else(|| OpinionError::Lexicon(format!("缺少信号词表 signals.{code}")))?;
            signal_labels.push(s.label.clone());
            for w in &s.words {
                add(w, Kind::Signal(i));
            }
        }
        if let Some(extra) = file.signals.keys().find(|k| !SIGNAL_CODES.contains(&k.as_str())) {
            return Err(OpinionError::Lexicon(format!("未知的信号词表 signals.{extra}")));
        }
        for w in &file.environment.words {
            add(w, Kind::Environment);
        }
        for w in &file.inspection.words {
            add(w, Kind::Inspection);
        }
        for w in &file.sentiment.positive {
            add(w, Kind::Positive);
        }
        for w in &file.sentiment.negative {
            add(w, Kind::Negative);
        }
        for w in &file.sentiment.resolved {
            add(w, Kind::Resolved);
            add(w, Kind::Positive);
        }
        for w in &file.sentiment.hypothetical {
            add(w, Kind::Hypothetical);
        }
        let word_text: Vec<String> = entries.keys().cloned().collect();
        let word_kinds: Vec<Vec<Kind>> = entries.into_values().collect();
        let words = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&word_text)
            .map_err(|e| OpinionError::Lexicon(e.to_string()))?;
        let mut outlet_names = Vec::new();
        let mut outlet_tier = Vec::new();
        for (tier, list) in
            [(3u8, &file.outlets.national), (2, &file.outlets.provincial), (1, &file.outlets.local)]
        {
            for n in list {
                outlet_names.push(n.clone());
                outlet_tier.push(tier);
            }
        }
        let outlets = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&outlet_names)
            .map_err(|e| OpinionError::Lexicon(e.to_string()))?;
        let stopwords = file.topics.stopwords.iter().cloned().collect();
        let g = ducha_triage::Gazetteer::builtin();
        let mut places: Vec<String> = Vec::new();
        for c in g.local_cities() {
            if let Some(d) = g.get(c) {
                places.extend([d.name, d.common].into_iter().chain(d.short));
            }
        }
        for d in g.counties() {
            places.extend([d.name, d.common].into_iter().chain(d.short));
        }
        for d in g.townships() {
            places.extend([d.name.clone(), d.common.clone()].into_iter().chain(d.short.clone()));
        }
        places.retain(|p| p.chars().count() >= 2);
        places.sort();
        places.dedup();
        let local_places = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&places)
            .map_err(|e| OpinionError::Lexicon(e.to_string()))?;
        let mut coarse_places = std::collections::HashSet::new();
        for d in g.provinces().chain(g.cities()).chain(g.all_counties()) {
            coarse_places.insert(d.name.clone());
            coarse_places.insert(d.common.clone());
            if let Some(s) = &d.short {
                coarse_places.insert(s.clone());
            }
        }
        for d in g.counties() {
            coarse_places.extend([d.name, d.common].into_iter().chain(d.short));
        }
        for p in ["河北", "山东", "山西", "河南", "濮阳", "濮阳市"] {
            coarse_places.insert(p.to_owned());
        }
        Ok(Lexicon {
            file,
            words,
            word_kinds,
            word_text,
            signal_labels,
            outlets,
            outlet_tier,
            stopwords,
            local_places,
            coarse_places,
        })
    }

    /// The built-in lexicon.
    pub fn builtin() -> Result<Lexicon, OpinionError> {
        Lexicon::parse(BUILTIN)
    }

    /// Reach tier of an outlet name: 3 national, 2 provincial, 1 local, 0 anything else.
    pub fn outlet_tier(&self, outlet: &str) -> u8 {
        self.outlets.find_iter(outlet).map(|m| self.outlet_tier[m.pattern().as_usize()]).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lexicon_parses_with_every_signal() {
        let lx = Lexicon::builtin().unwrap();
        assert_eq!(lx.signal_labels.len(), SIGNAL_CODES.len());
        assert_eq!(lx.outlet_tier("人民日报客户端"), 3);
        assert_eq!(lx.outlet_tier("大河报·豫视频"), 2);
        assert_eq!(lx.outlet_tier("濮阳日报"), 1);
        assert_eq!(lx.outlet_tier("某网友"), 0);
        // 一刀切 is both a signal word and an environment word: both kinds are kept.
        let i = lx.word_text.iter().position(|w| w == "一刀切").unwrap();
        assert!(lx.word_kinds[i].contains(&Kind::Signal(6)));
        assert!(lx.word_kinds[i].contains(&Kind::Environment));
    }

    #[test]
    fn a_lexicon_without_a_signal_is_refused() {
        let text = BUILTIN.replace("[signals.harm]", "[signals.harmless]");
        assert!(matches!(Lexicon::parse(&text), Err(OpinionError::Lexicon(_))));
    }
}
