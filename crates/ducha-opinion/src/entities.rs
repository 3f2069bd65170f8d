//! Enterprises and sites an item names (`濮阳市华丰化工有限公司`, `柳屯镇鑫源砖厂`), found by their
//! endings (公司, 厂, 养殖场, 搅拌站 …) and cut at the word before the name (的, 一家, 有个 …).

use std::collections::HashSet;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::lexicon::Lexicon;

/// An enterprise or site named in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enterprise {
    /// As written, e.g. `濮阳市华丰化工有限公司`.
    pub name: String,
    /// Without places in front and legal form behind (`华丰化工`): what to look for elsewhere.
    pub core: String,
    /// Only a kind of business (`塑料颗粒厂`, `化工厂`), not one business.
    pub generic: bool,
}

/// Finds enterprises; built once from the lexicon.
#[derive(Debug)]
pub struct EnterpriseFinder {
    suffixes: AhoCorasick,
    boundaries: AhoCorasick,
    generic: HashSet<String>,
    /// The same words of two letters or more, longest first (then in the lexicon's order): the order
    /// they are cut from a name in, fixed so the result does not depend on a hash set's order.
    generic_cut: Vec<String>,
    /// The lexicon's words (a name made of a trade word — 羽绒, 炼油, 喷漆 — names a trade).
    words: AhoCorasick,
    word_kinds: Vec<Vec<crate::lexicon::Kind>>,
    coarse: HashSet<String>,
}

const MAX_NAME_CHARS: usize = 18;

static LEADING_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[\p{Han}]{1,6}?(?:省|市|县|区|镇|乡|街道|办事处|村|社区))+").expect("valid regex")
});

fn is_name_char(c: char) -> bool {
    ducha_triage::text::is_han(c) || c.is_ascii_alphanumeric() || matches!(c, '（' | '）' | '(' | ')')
}

impl EnterpriseFinder {
    pub fn new(lx: &Lexicon) -> EnterpriseFinder {
        let build = |words: &[String], kind: MatchKind| {
            AhoCorasick::builder()
                .match_kind(kind)
                .build(words)
                .unwrap_or_else(|e| panic!("enterprise automaton: {e}"))
        };
        EnterpriseFinder {
            suffixes: build(&lx.file.enterprise.suffixes, MatchKind::LeftmostLongest),
            boundaries: build(&lx.file.enterprise.boundaries, MatchKind::Standard),
            generic: lx.file.enterprise.generic.iter().cloned().collect(),
            generic_cut: {
                let mut cut: Vec<String> =
                    lx.file.enterprise.generic.iter().filter(|g| g.chars().count() >= 2).cloned().collect();
                cut.sort_by_key(|g| std::cmp::Reverse(g.chars().count()));
                cut.dedup();
                cut
            },
            words: lx.words.clone(),
            word_kinds: lx.word_kinds.clone(),
            coarse: lx.coarse_places.clone(),
        }
    }

    /// The enterprises a text names, in order, each once.
    pub fn find(&self, text: &str) -> Vec<Enterprise> {
        let mut out: Vec<Enterprise> = Vec::new();
        for m in self.suffixes.find_iter(text) {
            let next = text[m.end()..].chars().next();
            if matches!(next, Some('家' | '长' | '商')) {
                continue;
            }
            // The name runs back over name letters, at most MAX_NAME_CHARS of them.
            let head = &text[..m.start()];
            let mut start = m.start();
            for (n, (i, c)) in head.char_indices().rev().enumerate() {
                if !is_name_char(c) || n >= MAX_NAME_CHARS {
                    break;
                }
                start = i;
            }
            let mut prefix = &text[start..m.start()];
            // Cut after the last boundary word inside it.
            if let Some(cut) = self.boundaries.find_overlapping_iter(prefix).map(|b| b.end()).max() {
                prefix = &prefix[cut..];
            }
            let prefix =
                prefix.trim_start_matches(|c: char| c.is_ascii_digit() || "一两几某个家座处".contains(c));
            let name = format!("{prefix}{}", &text[m.start()..m.end()]);
            if out.iter().any(|e| e.name == name) {
                continue;
            }
            let core = core_name(prefix);
            // What is left of the name without trade words (化工, 炼油, 羽绒 …) and kind words (家具,
            // 小 …) must be a name of its own (华丰化工 → 华丰; 小炼油 → nothing).
            let mut rest = core.clone();
            for w in self.words.find_iter(core.as_str()) {
                if self.word_kinds[w.pattern().as_usize()].contains(&crate::lexicon::Kind::Environment) {
                    rest = rest.replace(&core[w.start()..w.end()], "");
                }
            }
            for g in &self.generic_cut {
                rest = rest.replace(g.as_str(), "");
            }
            let generic = rest.chars().count() < 2
                || self.generic.contains(core.as_str())
                || self.generic.contains(rest.as_str())
                || self.coarse.contains(core.as_str());
            out.push(Enterprise { name, core, generic });
        }
        out
    }
}

/// The distinctive part of a name's prefix (the words before 有限公司, 砖厂 …) without the places in
/// front of it: `濮阳市华丰化工` → `华丰化工`, `柳屯镇鑫源` → `鑫源`, `柳屯镇` → ``.
pub fn core_name(prefix: &str) -> String {
    LEADING_PLACE.replace(prefix, "").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, want: &[(&str, bool)]) {
        let f = EnterpriseFinder::new(&Lexicon::builtin().unwrap());
        let got: Vec<(String, bool)> = f.find(text).into_iter().map(|e| (e.name, e.generic)).collect();
        let want: Vec<(String, bool)> = want.iter().map(|(n, g)| ((*n).to_owned(), *g)).collect();
        assert_eq!(got, want, "{text}");
    }

    #[test]
    fn r3_finds_named_and_generic_enterprises() {
        check("濮阳市华丰化工有限公司夜间偷排废水", &[("濮阳市华丰化工有限公司", false)]);
        check("濮阳县柳屯镇某村有个塑料颗粒作坊夜里偷偷生产", &[("塑料颗粒作坊", true)]);
        check(
            "举报柳屯镇鑫源砖厂冒黑烟，旁边的化工厂也有异味",
            &[("柳屯镇鑫源砖厂", false), ("化工厂", true)],
        );
        check("南乐县一家养猪场粪污直排", &[("养猪场", true)]);
        check("清丰县宏达家具厂露天喷漆，厂家不管", &[("清丰县宏达家具厂", false)]);
        check("空气很好，没有问题", &[]);
    }

    #[test]
    fn core_names_drop_places() {
        assert_eq!(core_name("濮阳市华丰化工"), "华丰化工");
        assert_eq!(core_name("柳屯镇鑫源"), "鑫源");
        assert_eq!(core_name("清丰县宏达"), "宏达");
        assert_eq!(core_name("柳屯镇"), "");
        let f = EnterpriseFinder::new(&Lexicon::builtin().unwrap());
        let e = f.find("柳屯镇鑫源砖厂冒黑烟");
        assert_eq!((e[0].core.as_str(), e[0].generic), ("鑫源", false));
        let e = f.find("柳屯镇砖厂冒黑烟");
        assert_eq!((e[0].name.as_str(), e[0].generic), ("柳屯镇砖厂", true));
    }
}
