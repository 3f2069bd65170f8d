//! Scoring the firewall on a labelled set: how many identifying strings are gone (recall), how many
//! place and enterprise names stayed (kept).
//!
//! A labelled line gives the text, the identity the case recorded, `pii` (exact substrings that must
//! not survive, in any form: the check is made on the normalised, separator-free reading of the output
//! too) and `keep` (exact substrings that must survive, every occurrence). The score names no text, so
//! a blind set can be measured without being read.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::norm::Norm;
use crate::{Identity, Shield};

/// One labelled line (the blind sets' format; the triage set is mapped onto it).
#[derive(Debug, Clone, Deserialize)]
pub struct Labelled {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub kind: Option<String>,
    pub text: String,
    #[serde(default)]
    pub identity: Identity,
    #[serde(default)]
    pub pii: Vec<String>,
    #[serde(default)]
    pub keep: Vec<String>,
    #[serde(default)]
    pub families: Vec<String>,
}

/// Counts for one group of lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub lines: usize,
    pub pii: usize,
    pub pii_hidden: usize,
    pub keep: usize,
    pub keep_kept: usize,
}

impl Tally {
    pub fn recall(&self) -> f64 {
        if self.pii == 0 { 1.0 } else { self.pii_hidden as f64 / self.pii as f64 }
    }

    pub fn kept(&self) -> f64 {
        if self.keep == 0 { 1.0 } else { self.keep_kept as f64 / self.keep as f64 }
    }

    fn add(&mut self, o: &Tally) {
        self.lines += o.lines;
        self.pii += o.pii;
        self.pii_hidden += o.pii_hidden;
        self.keep += o.keep;
        self.keep_kept += o.keep_kept;
    }
}

/// The score of a set: overall, per kind of text and per writing family.
#[derive(Debug, Clone, Default)]
pub struct Score {
    pub all: Tally,
    pub by_kind: BTreeMap<String, Tally>,
    pub by_family: BTreeMap<String, Tally>,
}

/// The reading without anything but letters and digits, for "is it still there in any form".
fn squeeze(s: &str) -> String {
    Norm::new(s).text().chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase()
}

/// Score one line.
pub fn score_line(l: &Labelled) -> Tally {
    let out = Shield::new(&l.identity).screen(&l.text);
    let out = out.as_str();
    let squeezed = squeeze(out);
    let mut t = Tally { lines: 1, ..Tally::default() };
    for p in &l.pii {
        t.pii += 1;
        let sp = squeeze(p);
        let gone = !out.contains(p.as_str()) && (sp.chars().count() < 2 || !squeezed.contains(&sp));
        t.pii_hidden += usize::from(gone);
    }
    for k in &l.keep {
        t.keep += 1;
        let want = l.text.matches(k.as_str()).count().max(1);
        t.keep_kept += usize::from(out.matches(k.as_str()).count() >= want);
    }
    t
}

/// Score a set.
pub fn score(lines: &[Labelled]) -> Score {
    let mut s = Score::default();
    for l in lines {
        let t = score_line(l);
        s.all.add(&t);
        s.by_kind.entry(l.kind.clone().unwrap_or_else(|| "complaint".into())).or_default().add(&t);
        for f in &l.families {
            s.by_family.entry(f.clone()).or_default().add(&t);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_score_counts_what_is_gone_and_what_stayed() {
        let l = Labelled {
            id: "x".into(),
            kind: Some("report".into()),
            text: "已联系举报人王建国（138 0393 0123），柳屯镇塑料厂已关停。".into(),
            identity: Identity { name: Some("王建国".into()), ..Identity::default() },
            pii: vec!["王建国".into(), "138 0393 0123".into()],
            keep: vec!["柳屯镇".into(), "塑料厂".into(), "不在文中".into()],
            families: vec!["staff_typed".into()],
        };
        let s = score(&[l]);
        assert_eq!(s.all, Tally { lines: 1, pii: 2, pii_hidden: 2, keep: 3, keep_kept: 2 });
        assert_eq!(s.by_kind["report"].pii, 2);
        assert_eq!(s.by_family["staff_typed"].keep_kept, 2);
    }
}
