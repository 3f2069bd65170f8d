//! Near-duplicate index: is this complaint about a source already reported?
//!
//! A [`DupDoc`] keeps what identifies a pollution source, not the wording:
//! - where: county / township / village codes from the router (different places never merge);
//! - who: *anchors* — the distinctive part of enterprise/shop names (濮阳市**鑫源**塑料制品有限公司 →
//!   鑫源), folded to toneless pinyin so that homophone typos (新源, 馨园) meet;
//! - what: the *source kind* (pig farm, plastics, paint shop, construction site …), pollution types and
//!   三散 category, and a direction (村东/村西) when the text gives one;
//! - how it is told: a 16-value MinHash of jieba words + Han bigrams (fillers, place names removed),
//!   which carries paraphrases and transcript-vs-letter style.
//!
//! Two documents are about different sources when their places, anchors or source kinds conflict — so
//! two plastics workshops in one village with different names, or a pig farm and a duck shed, do not
//! merge. Otherwise a score adds up place, anchor, kind, type and text agreement.
//!
//! Candidates come from an inverted index (village, township × kind, county × kind, anchor), so a
//! query scores a few hundred documents even at a million: O(bucket) per query, O(keys) per add.
//!
//! Modules: [`doc`] (the document and how it is made), [`names`] (business names and their folds),
//! [`codes`] (packed division codes), [`score`] (the pair score), [`index`] (the inverted index),
//! [`lexicon`] (the word lists of `data/dup-lexicon.toml`). Hashes are [`crate::hash`]'s, pinned; a
//! stored document carries [`DUP_DOC_VERSION`].

use std::sync::LazyLock;

use jieba_rs::Jieba;

mod codes;
pub mod doc;
pub mod index;
pub mod lexicon;
mod names;
pub mod score;
#[cfg(test)]
mod tests;

pub use doc::{DUP_DOC_VERSION, DupDoc};
pub use index::{DupIndex, DupMatch};
pub use names::fold_name;
pub use score::pair_score;

/// Number of MinHash values per document.
pub const MINHASH_K: usize = 16;
/// Score from which a pair is reported as the same source.
pub const DUP_THRESHOLD: f32 = 0.6;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Forces the jieba dictionary to load (it loads lazily on first use; call at start-up to keep the
/// first request fast).
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}
