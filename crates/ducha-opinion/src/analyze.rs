//! One item in, everything the desk needs to know about it out.

use std::collections::HashMap;

use ducha_triage::{CountyOutcome, Gazetteer, Router};
use jieba_rs::Jieba;
use serde::{Deserialize, Serialize};

use crate::entities::{Enterprise, EnterpriseFinder};
use crate::fingerprint::Fingerprint;
use crate::lexicon::{Kind, Lexicon};
use crate::normalise::{canonical_url, core_text, linked_urls, strip_noise};
use crate::record::RawItem;
use crate::sentiment::{Hit, Sentiment, scan, sentiment};
pub use crate::severity::Context;
use crate::severity::{Assessment, Reach, assess};

/// How many content words an item keeps (for matching and hot topics).
pub const KEYWORDS: usize = 12;

/// The analysis of one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Title and text without markup, links, mentions and emoticons.
    pub text: String,
    /// The original words of a repost (what near-duplicates are compared on).
    pub core: String,
    pub url_canonical: Option<String>,
    /// Canonical URLs the text links to: an item linking to a stored item's URL reposts it.
    pub linked_urls: Vec<String>,
    pub fingerprint: Option<Fingerprint>,
    /// A local county-level code, `OUTSIDE`, or `None` when nothing locates it.
    pub county_code: Option<String>,
    /// Where outside, when outside.
    pub outside: Option<String>,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    /// The place words that decided.
    pub place_evidence: Vec<String>,
    pub enterprises: Vec<Enterprise>,
    /// Content words, most telling first.
    pub keywords: Vec<String>,
    pub sentiment: Sentiment,
    /// About the environment or the inspection at all.
    pub relevant: bool,
    /// Mentions the inspection itself (督察, 交办 …): linked to the campaign.
    pub about_inspection: bool,
    pub reach: Reach,
    pub assessment: Assessment,
    #[serde(skip)]
    hits: Vec<Hit>,
}

/// Everything analysis needs, built once (loading jieba's dictionary and the router's automaton
/// takes a moment); share it behind an `Arc`.
#[derive(Debug)]
pub struct Analyzer {
    pub lexicon: Lexicon,
    pub router: Router,
    jieba: Jieba,
    enterprises: EnterpriseFinder,
    gazetteer: &'static Gazetteer,
}

impl Analyzer {
    /// With the built-in lexicon and the given router (share the app's triage router).
    pub fn new(router: Router) -> Analyzer {
        let lexicon = Lexicon::builtin().unwrap_or_else(|e| panic!("built-in opinion lexicon: {e}"));
        let mut jieba = Jieba::new();
        for w in lexicon.word_text.iter().chain(&lexicon.file.enterprise.suffixes) {
            if w.chars().count() >= 2 {
                jieba.add_word(w, None, None);
            }
        }
        let enterprises = EnterpriseFinder::new(&lexicon);
        Analyzer { lexicon, router, jieba, enterprises, gazetteer: Gazetteer::builtin() }
    }

    /// With the built-in router.
    pub fn builtin() -> Analyzer {
        Analyzer::new(Router::builtin())
    }

    /// The short name of a region code (`410928101` → `柳屯镇`).
    pub fn region_name(&self, code: &str) -> Option<String> {
        self.gazetteer.get(code).map(|d| d.common)
    }

    /// Content words of a text: jieba tokens of two or more letters with a Han character, no stop
    /// words, most frequent (then longest) first, each once.
    pub fn content_words(&self, text: &str) -> Vec<String> {
        let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
        for (i, tok) in self.jieba.cut(text, true).into_iter().enumerate() {
            let w = tok.word;
            if w.chars().count() < 2
                || !w.chars().any(ducha_triage::text::is_han)
                || w.chars().any(|c| c.is_ascii_digit() || c == '*')
                || self.lexicon.stopwords.contains(w)
            {
                continue;
            }
            let e = counts.entry(w).or_insert((0, i));
            e.0 += 1;
        }
        let mut v: Vec<(&str, (usize, usize))> = counts.into_iter().collect();
        v.sort_by(|a, b| {
            b.1.0.cmp(&a.1.0).then(b.0.chars().count().cmp(&a.0.chars().count())).then(a.1.1.cmp(&b.1.1))
        });
        v.into_iter().map(|(w, _)| w.to_owned()).collect()
    }

    /// Analyses one item. `ctx` is what the app knows beyond the text (linked cases, reposts seen);
    /// pass `Context::default()` and call [`Analyzer::reassess`] once it is known.
    pub fn analyze(&self, item: &RawItem, ctx: &Context) -> Analysis {
        let full = item.full_text();
        let text = strip_noise(&full);
        let core = match &item.title {
            Some(t) if !item.text.contains(t.as_str()) => {
                format!("{} {}", core_text(t), core_text(&item.text))
            }
            _ => core_text(&item.text),
        };
        let routing = self.router.route(&text);
        let (county_code, outside) = match &routing.county {
            CountyOutcome::Code(c) => (Some(c.clone()), None),
            CountyOutcome::Outside { name } => (Some("OUTSIDE".to_owned()), Some(name.clone())),
            CountyOutcome::Unknown => (None, None),
        };
        let hits = scan(&self.lexicon, &text);
        let sentiment = sentiment(&hits);
        // About Puyang's environment or the inspection: an environmental matter (an environment or
        // inspection word, or a complaint word of the lexicon), not placed outside unless a local place
        // is named too (a plant across the border whose smoke reaches 台前).
        let environmental = hits.iter().any(|h| {
            h.kinds.iter().any(|k| matches!(k, Kind::Environment | Kind::Inspection | Kind::Negative))
        });
        let local =
            county_code.as_deref() != Some("OUTSIDE") || self.lexicon.local_places.find(&text).is_some();
        let relevant = environmental && local;
        let about_inspection = hits.iter().any(|h| h.kinds.contains(&Kind::Inspection));
        let outlet_tier = [item.outlet.as_deref(), item.author.as_deref()]
            .into_iter()
            .flatten()
            .map(|o| self.lexicon.outlet_tier(o))
            .max()
            .unwrap_or(0);
        let reach = Reach {
            outlet_tier,
            reposts: item.reposts,
            comments: item.comments,
            likes: item.likes,
            views: item.views,
            followers: item.followers,
            reposts_seen: ctx.reposts_seen,
        };
        let assessment = assess(&self.lexicon, &hits, &sentiment, &reach, ctx, relevant);
        let mut keywords = self.content_words(&text);
        let places: Vec<&str> = routing.evidence.iter().map(String::as_str).collect();
        keywords.retain(|w| !places.iter().any(|p| p.contains(w.as_str()) || w.contains(p)));
        keywords.truncate(KEYWORDS);
        Analysis {
            url_canonical: item.url.as_deref().and_then(canonical_url),
            linked_urls: linked_urls(&full),
            fingerprint: Fingerprint::of(&core),
            enterprises: self.enterprises.find(&text),
            county_code,
            outside,
            township_code: routing.township_code.clone(),
            village_code: routing.village_code.clone(),
            place_evidence: routing.evidence,
            keywords,
            sentiment,
            relevant,
            about_inspection,
            reach,
            assessment,
            hits,
            text,
            core,
        }
    }

    /// Scores an analysed item again with what is now known about it (its linked cases, reposts).
    pub fn reassess(&self, a: &mut Analysis, ctx: &Context) {
        a.reach.reposts_seen = ctx.reposts_seen;
        let hits = if a.hits.is_empty() { scan(&self.lexicon, &a.text) } else { std::mem::take(&mut a.hits) };
        a.assessment = assess(&self.lexicon, &hits, &a.sentiment, &a.reach, ctx, a.relevant);
        a.hits = hits;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentiment::SentimentLabel;
    use crate::severity::Level;

    #[test]
    fn r3_one_item_end_to_end() {
        let az = Analyzer::builtin();
        let item = RawItem {
            title: Some("柳屯镇鑫源砖厂夜间冒黑烟".into()),
            text: "濮阳县柳屯镇鑫源砖厂晚上偷偷生产，烟囱冒黑烟，附近孩子咳嗽不止，举报多次一直没人管！https://t.cn/x".into(),
            url: Some("https://weibo.com/1/abc?from=share".into()),
            outlet: Some("濮阳身边事".into()),
            reposts: 120,
            comments: 45,
            ..RawItem::default()
        };
        let a = az.analyze(&item, &Context::default());
        assert_eq!(a.county_code.as_deref(), Some("410928"));
        assert_eq!(a.township_code.as_deref(), Some("410928101"));
        assert_eq!(a.url_canonical.as_deref(), Some("https://weibo.com/1/abc"));
        assert_eq!(a.sentiment.label, SentimentLabel::Negative);
        assert!(a.relevant && !a.about_inspection);
        assert!(a.enterprises.iter().any(|e| e.core == "鑫源" && !e.generic), "{:?}", a.enterprises);
        assert!(!a.text.contains("http"));
        let codes: Vec<&str> = a.assessment.signals.iter().map(|s| s.code.as_str()).collect();
        for c in ["health", "repeat_unresolved", "engagement"] {
            assert!(codes.contains(&c), "{codes:?}");
        }
        assert!(a.keywords.iter().any(|k| k == "黑烟" || k == "冒黑烟"), "{:?}", a.keywords);
        assert!(
            !a.keywords.iter().any(|k| k.contains("柳屯")),
            "places are not topic words: {:?}",
            a.keywords
        );
        let before = a.assessment.level;
        let mut b = a.clone();
        az.reassess(&mut b, &Context { linked_open_case: true, case_repeat_count: 3, reposts_seen: 4 });
        assert!(b.assessment.score > a.assessment.score);
        assert!(b.assessment.level >= before);
        assert!(b.assessment.level >= Level::High, "{:?}", b.assessment);
    }
}
