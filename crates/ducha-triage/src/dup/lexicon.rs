//! The duplicate index's word lists (`data/dup-lexicon.toml`): source kinds, receptors, repeat and
//! contrast words, fillers, and the words stripped from business names. Compiled in and parsed once.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::error::TriageError;

/// The built-in lists.
pub const BUILTIN: &str = include_str!("../../data/dup-lexicon.toml");

/// The lists, parsed once on first use.
pub(super) static LEXICON: LazyLock<DupLexicon> =
    LazyLock::new(|| DupLexicon::parse(BUILTIN).unwrap_or_else(|e| panic!("data/dup-lexicon.toml: {e}")));

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    kinds: BTreeMap<String, Vec<String>>,
    receptors: BTreeMap<String, Vec<String>>,
    words: Words,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Words {
    repeat: Vec<String>,
    contrast: Vec<String>,
    fillers: Vec<String>,
    name_prefixes: Vec<String>,
    name_generic: Vec<String>,
}

/// The lists ready for matching.
#[derive(Debug)]
pub(super) struct DupLexicon {
    /// Source kinds: word → kind id (`0..64`, a bit of [`super::DupDoc`]'s kind mask).
    pub kinds: Vec<(String, u8)>,
    /// Words saying this source was reported before (上回有人反映, 又开始干了).
    pub repeat: Vec<String>,
    /// Receiving water bodies and places: word → receptor id (`0..8`).
    pub receptors: Vec<(String, u8)>,
    /// Words saying this is another source than one reported before (也有个…, 跟…不是一家).
    pub contrast: Vec<String>,
    /// Words left out of the text's MinHash.
    pub fillers: Vec<String>,
    /// Leading words of a business name that are places or positions (in order).
    pub name_prefixes: Vec<String>,
    /// Industry words that describe rather than identify (in order).
    pub name_generic: Vec<String>,
}

fn ids(
    table: BTreeMap<String, Vec<String>>,
    what: &str,
    below: u8,
) -> Result<Vec<(String, u8)>, TriageError> {
    let mut out = Vec::new();
    for (id, words) in table {
        let k: u8 = id.parse().ok().filter(|k| *k < below).ok_or_else(|| {
            TriageError::new("bad_toml", format!("{what} 编号须为 0..{below}：{id}"))
                .in_file("dup-lexicon.toml")
        })?;
        out.extend(words.into_iter().map(|w| (w, k)));
    }
    Ok(out)
}

impl DupLexicon {
    pub fn parse(text: &str) -> Result<DupLexicon, TriageError> {
        let f: File = toml::from_str(text).map_err(|e| {
            TriageError::new("bad_toml", format!("查重词表格式错误：{}", e.message()))
                .in_file("dup-lexicon.toml")
        })?;
        Ok(DupLexicon {
            kinds: ids(f.kinds, "kinds", 64)?,
            receptors: ids(f.receptors, "receptors", 8)?,
            repeat: f.words.repeat,
            contrast: f.words.contrast,
            fillers: f.words.fillers,
            name_prefixes: f.words.name_prefixes,
            name_generic: f.words.name_generic,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lexicon_parses_with_every_word() {
        let l = DupLexicon::parse(BUILTIN).unwrap_or_else(|e| panic!("{e}"));
        // The counts of the lists as they were written in code (issue 16 moved them here).
        assert_eq!(l.kinds.len(), 123);
        assert_eq!(l.receptors.len(), 16);
        assert_eq!(l.repeat.len(), 23);
        assert_eq!(l.contrast.len(), 17);
        assert_eq!(l.fillers.len(), 112);
        assert_eq!(l.name_prefixes.len(), 45);
        assert_eq!(l.name_generic.len(), 143);
        assert!(l.kinds.contains(&("养猪".to_owned(), 1)));
        assert!(l.receptors.contains(&("河".to_owned(), 2)));
        assert_eq!(l.name_prefixes.first().map(String::as_str), Some("濮阳市"));
        assert_eq!(l.name_generic.last().map(String::as_str), Some("塑胶"));
    }

    #[test]
    fn bad_ids_are_refused() {
        let bad = BUILTIN.replacen("1 = [\"养猪\"", "64 = [\"养猪\"", 1);
        assert!(DupLexicon::parse(&bad).is_err());
        assert!(DupLexicon::parse("kinds = 3").is_err());
    }
}
