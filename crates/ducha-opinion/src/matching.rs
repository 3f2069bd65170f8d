//! Linking an item to open cases about the same place or enterprise (R3).
//!
//! A case is a candidate when it lies in the item's county (items and cases placed outside Puyang or
//! nowhere are compared with each other; an item naming an enterprise is compared with every case).
//! Its score adds up: same village 3, else same township 2.5, else a place word of the item below
//! county level found in the case text 2.5 (else same county 0.5); the item's named enterprise found in the case text 5; and
//! the content — the larger of the shared content words (1 each) and ten times the share of the item's
//! character pairs found in the case text — at most 4. A case is linked at 4 points or more, and only
//! with a shared place (village, township, place word) or enterprise: a county and similar words are not
//! enough; and only the clear best — a case a point or more behind the best one is another source nearby.
//! The evidence lists each reason.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::analyze::{Analysis, Analyzer};

/// Points needed to link.
pub const LINK_FROM: f32 = 4.0;
/// Cases this far (or more) behind the best one are not linked.
pub const CLEAR_BEST: f32 = 1.0;
/// At most this many cases are linked to one item.
pub const MAX_LINKS: usize = 3;

/// An open case as matching sees it: routing codes and the redacted text only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRef {
    pub id: i64,
    pub accept_no: String,
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    /// The redacted text (never the original).
    pub text: String,
    pub repeat_count: i64,
}

/// A case an item is about, with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseMatch {
    pub case_id: i64,
    pub accept_no: String,
    pub score: f32,
    pub evidence: Vec<String>,
    pub repeat_count: i64,
}

/// Open cases, segmented once, for matching many items.
#[derive(Debug, Default)]
pub struct CaseIndex {
    cases: Vec<(CaseRef, HashSet<String>, HashSet<(char, char)>)>,
    by_county: HashMap<String, Vec<usize>>,
}

/// Pairs of neighbouring Han characters (what two wordings of one complaint share, however jieba cuts
/// them).
fn han_pairs(text: &str) -> HashSet<(char, char)> {
    let han: Vec<char> = text.chars().filter(|c| ducha_triage::text::is_han(*c)).collect();
    han.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Where a place-less county sits in the index.
const NOWHERE: &str = "";

impl CaseIndex {
    pub fn new(analyzer: &Analyzer, cases: Vec<CaseRef>) -> CaseIndex {
        let mut idx = CaseIndex::default();
        for c in cases {
            let words: HashSet<String> = analyzer.content_words(&c.text).into_iter().collect();
            let pairs = han_pairs(&c.text);
            let county = match c.county_code.as_deref() {
                Some(k) if k != "OUTSIDE" && k != "UNKNOWN" => k.to_owned(),
                _ => NOWHERE.to_owned(),
            };
            idx.by_county.entry(county).or_default().push(idx.cases.len());
            idx.cases.push((c, words, pairs));
        }
        idx
    }

    pub fn len(&self) -> usize {
        self.cases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// The cases an analysed item is about, best first (at most [`MAX_LINKS`]).
    pub fn matches(&self, analyzer: &Analyzer, a: &Analysis) -> Vec<CaseMatch> {
        let mut out: Vec<CaseMatch> =
            self.scored(analyzer, a).into_iter().filter(|(_, linked)| *linked).map(|(m, _)| m).collect();
        // Only the clear best: a case a point or more behind the best one is another source nearby.
        if let Some(best) = out.first().map(|m| m.score) {
            out.retain(|m| m.score > best - CLEAR_BEST);
        }
        out.truncate(MAX_LINKS);
        out
    }

    /// Every candidate case with its score, best first, and whether it would be linked (for the desk's
    /// "possibly related" list and for tuning).
    pub fn scored(&self, analyzer: &Analyzer, a: &Analysis) -> Vec<(CaseMatch, bool)> {
        let named: Vec<&str> = a
            .enterprises
            .iter()
            .filter(|e| !e.generic)
            .map(|e| e.core.as_str())
            .filter(|c| c.chars().count() >= 2)
            .collect();
        let candidates: Vec<usize> = if !named.is_empty() {
            (0..self.cases.len()).collect()
        } else {
            let county = match a.county_code.as_deref() {
                Some(c) if c != "OUTSIDE" => c,
                _ => NOWHERE,
            };
            self.by_county.get(county).cloned().unwrap_or_default()
        };
        // Place words below county level (a village, a street, a landmark); counties and provinces are
        // too coarse to say two posts are about one spot.
        let coarse = &analyzer.lexicon.coarse_places;
        let places: Vec<&str> = a
            .place_evidence
            .iter()
            .map(String::as_str)
            .filter(|p| p.chars().count() >= 2 && !coarse.contains(*p))
            .collect();
        let place_chars: HashSet<char> = places.iter().flat_map(|p| p.chars()).collect();
        let item_pairs: HashSet<(char, char)> = han_pairs(&a.core)
            .into_iter()
            .filter(|(x, y)| !(place_chars.contains(x) && place_chars.contains(y)))
            .collect();
        let name = |code: &str| analyzer.region_name(code).unwrap_or_else(|| code.to_owned());
        let mut out = Vec::new();
        for i in candidates {
            let (c, words, pairs) = &self.cases[i];
            let mut score = 0.0;
            let mut evidence = Vec::new();
            let mut anchored = false;
            if a.village_code.is_some() && a.village_code == c.village_code {
                score += 3.0;
                anchored = true;
                evidence
                    .push(format!("同一村（社区）：{}", name(c.village_code.as_deref().unwrap_or_default())));
            } else if a.township_code.is_some() && a.township_code == c.township_code {
                score += 2.5;
                anchored = true;
                evidence.push(format!(
                    "同一乡镇（街道）：{}",
                    name(c.township_code.as_deref().unwrap_or_default())
                ));
            } else if let Some(p) = places.iter().find(|p| c.text.contains(**p)) {
                score += 2.5;
                anchored = true;
                evidence.push(format!("同一地点：{p}"));
            } else if a.county_code.is_some() && a.county_code == c.county_code {
                score += 0.5;
                evidence
                    .push(format!("同一县（区）：{}", name(c.county_code.as_deref().unwrap_or_default())));
            }
            if let Some(e) = named.iter().find(|n| c.text.contains(**n)) {
                score += 5.0;
                anchored = true;
                evidence.push(format!("同一企业：{e}"));
            }
            let mut shared: Vec<&str> =
                a.keywords.iter().filter(|w| words.contains(w.as_str())).map(String::as_str).collect();
            shared.truncate(4);
            let overlap = if item_pairs.is_empty() {
                0.0
            } else {
                item_pairs.intersection(pairs).count() as f32 / item_pairs.len() as f32
            };
            let content = (shared.len() as f32).max(10.0 * overlap).min(4.0);
            if content > 0.0 {
                score += content;
                let mut why = format!("内容相近（{:.0}%的字词见于案件）", overlap * 100.0);
                if !shared.is_empty() {
                    why.push_str(&format!("：{}", shared.join("、")));
                }
                evidence.push(why);
            }
            if score > 0.5 {
                let m = CaseMatch {
                    case_id: c.id,
                    accept_no: c.accept_no.clone(),
                    score,
                    evidence,
                    repeat_count: c.repeat_count,
                };
                out.push((m, anchored && score >= LINK_FROM));
            }
        }
        out.sort_by(|x, y| y.0.score.total_cmp(&x.0.score).then(x.0.case_id.cmp(&y.0.case_id)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::RawItem;
    use crate::severity::Context;

    fn case(id: i64, county: &str, town: Option<&str>, text: &str) -> CaseRef {
        CaseRef {
            id,
            accept_no: format!("D3HA2023121500{id:02}"),
            county_code: Some(county.into()),
            township_code: town.map(Into::into),
            village_code: None,
            text: text.into(),
            repeat_count: 0,
        }
    }

    #[test]
    fn r3_links_items_to_the_right_open_case() {
        let az = Analyzer::builtin();
        let idx = CaseIndex::new(
            &az,
            vec![
                case(
                    1,
                    "410928",
                    Some("410928101"),
                    "濮阳县柳屯镇有个塑料颗粒加工点晚上偷偷生产，冒黑烟，气味刺鼻。",
                ),
                case(2, "410928", Some("410928102"), "濮阳县文留镇一家砖厂烟囱冒黑烟，粉尘大。"),
                case(3, "410902", Some("410902101"), "华龙区岳村镇工地扬尘严重，渣土车不苫盖。"),
                case(4, "410922", Some("410922100"), "清丰县城关镇宏达家具厂露天喷漆，油漆味很大。"),
            ],
        );
        let check = |text: &str, want: &[i64]| {
            let a = az.analyze(&RawItem { text: text.into(), ..RawItem::default() }, &Context::default());
            let got: Vec<i64> = idx.matches(&az, &a).iter().map(|m| m.case_id).collect();
            assert_eq!(got, want, "{text}: {:?}", idx.matches(&az, &a));
        };
        check("柳屯镇那个塑料颗粒加工点又在晚上生产了，黑烟滚滚，气味刺鼻", &[1]);
        check("文留镇砖厂冒黑烟，粉尘飘到村里", &[2]);
        check("宏达家具厂喷漆的味道太大了", &[4]);
        check("濮阳县今天天气不错", &[]);
        check("柳屯镇举办农民丰收节", &[]);
    }
}
