//! Lexicon sentiment with negation and intensity, and the scan of a text against the lexicon that
//! both sentiment and severity read.

use serde::{Deserialize, Serialize};

use crate::lexicon::{Kind, Lexicon};

/// One lexicon word found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub word: String,
    pub kinds: Vec<Kind>,
    /// Byte offset in the scanned text.
    pub start: usize,
    /// A negator stands right before it (未造成人员伤亡, 没有异味).
    pub negated: bool,
    /// An intensifier stands right before it (非常刺鼻).
    pub intensified: bool,
    /// Its sentence is a warning or notice (小心…中毒), or reports the problem as dealt with
    /// (…问题属实，已依法取缔): a problem or signal word there is not a complaint.
    pub muted: bool,
}

/// Whether a char ends a sentence (the reach of 已取缔 and 小心).
fn is_sentence_break(c: char) -> bool {
    "。！？；!?;\n".contains(c)
}

/// Whether a char ends a clause (negation and intensity never reach across one).
fn is_clause_break(c: char) -> bool {
    "，。！？；：、,.!?;:\n…—（）()【】 ".contains(c)
}

/// Whether one of `words` ends within `gap` letters before `start`, in the same clause.
fn preceded_by(text: &str, start: usize, words: &[String], gap: usize) -> bool {
    let mut end = start;
    for _ in 0..=gap {
        let before = &text[..end];
        if words.iter().any(|w| before.ends_with(w.as_str())) {
            return true;
        }
        match before.chars().next_back() {
            Some(c) if !is_clause_break(c) => end -= c.len_utf8(),
            _ => return false,
        }
    }
    false
}

/// Every lexicon word in `text` (leftmost-longest), with negation, intensity and muting marked.
pub fn scan(lx: &Lexicon, text: &str) -> Vec<Hit> {
    let s = &lx.file.sentiment;
    let mut hits: Vec<Hit> = lx
        .words
        .find_iter(text)
        .map(|m| {
            let i = m.pattern().as_usize();
            Hit {
                word: lx.word_text[i].clone(),
                kinds: lx.word_kinds[i].clone(),
                start: m.start(),
                negated: preceded_by(text, m.start(), &s.negators, 2),
                intensified: preceded_by(text, m.start(), &s.intensifiers, 1),
                muted: false,
            }
        })
        .collect();
    // Sentence by sentence: a notice or warning mutes everything, a report of a problem dealt with
    // mutes the problem words.
    let breaks: Vec<usize> =
        text.char_indices().filter(|(_, c)| is_sentence_break(*c)).map(|(i, _)| i).collect();
    let sentence_of = |pos: usize| breaks.partition_point(|&b| b < pos);
    let mut hypothetical = std::collections::HashSet::new();
    let mut resolved = std::collections::HashSet::new();
    for h in &hits {
        if h.kinds.contains(&Kind::Hypothetical) {
            hypothetical.insert(sentence_of(h.start));
        }
        // A quoted 已整改 is what someone claimed, not a report that it was done.
        let quoted = text[..h.start].ends_with(['“', '"', '‘', '「']);
        if h.kinds.contains(&Kind::Resolved) && !h.negated && !quoted {
            resolved.insert(sentence_of(h.start));
        }
    }
    for h in &mut hits {
        let sentence = sentence_of(h.start);
        let problem = h.kinds.iter().any(|k| matches!(k, Kind::Negative | Kind::Signal(_)));
        let marker = h.kinds.iter().any(|k| matches!(k, Kind::Hypothetical | Kind::Resolved));
        h.muted = !marker && (hypothetical.contains(&sentence) || (problem && resolved.contains(&sentence)));
    }
    hits
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SentimentLabel {
    Negative,
    Neutral,
    Positive,
}

impl SentimentLabel {
    pub const ALL: [SentimentLabel; 3] =
        [SentimentLabel::Negative, SentimentLabel::Neutral, SentimentLabel::Positive];

    pub fn code(self) -> &'static str {
        match self {
            SentimentLabel::Negative => "negative",
            SentimentLabel::Neutral => "neutral",
            SentimentLabel::Positive => "positive",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SentimentLabel::Negative => "负面",
            SentimentLabel::Neutral => "中性",
            SentimentLabel::Positive => "正面",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == s || l.label() == s)
    }
}

/// The sentiment of a text: a score in (-1, 1) and its label, with the words that decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentiment {
    pub score: f32,
    pub label: SentimentLabel,
    pub positive: Vec<String>,
    pub negative: Vec<String>,
}

/// Each positive word counts +1 and each negative word (severity signal words included) -1; an
/// intensifier makes it 1.5, a negator flips it (a negated positive word at 0.8, a negated negative
/// word at 0.4). The sum `s` becomes `s / (|pos| + |neg| + 2)`,
/// negative at or below -0.2, positive at or above 0.2.
pub fn sentiment(hits: &[Hit]) -> Sentiment {
    let (mut sum, mut mass) = (0f32, 0f32);
    let (mut positive, mut negative) = (Vec::new(), Vec::new());
    for h in hits.iter().filter(|h| !h.muted) {
        let pol = if h.kinds.contains(&Kind::Positive) {
            1.0
        } else if h.kinds.contains(&Kind::Negative) || h.kinds.iter().any(|k| matches!(k, Kind::Signal(_))) {
            -1.0
        } else {
            continue;
        };
        let mut v: f32 = pol * if h.intensified { 1.5 } else { 1.0 };
        if h.negated {
            // 不满意 is plainly negative; 不臭 is only faintly positive.
            v = -v * if pol > 0.0 { 0.8 } else { 0.4 };
        }
        let shown = if h.negated { format!("（否定）{}", h.word) } else { h.word.clone() };
        if v > 0.0 {
            positive.push(shown);
        } else {
            negative.push(shown);
        }
        sum += v;
        mass += v.abs();
    }
    let score = sum / (mass + 2.0);
    let label = if score <= -0.2 {
        SentimentLabel::Negative
    } else if score >= 0.2 {
        SentimentLabel::Positive
    } else {
        SentimentLabel::Neutral
    };
    Sentiment { score, label, positive, negative }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, want: SentimentLabel) {
        let lx = Lexicon::builtin().unwrap();
        let s = sentiment(&scan(&lx, text));
        assert_eq!(s.label, want, "{text}: {s:?}");
    }

    #[test]
    fn r3_sentiment_table() {
        use SentimentLabel::*;
        check("砖厂冒黑烟，气味刺鼻，太难受了，举报多次没人管！", Negative);
        check("督察组交办后整改到位，河水变清了，给督察组点赞！", Positive);
        check("濮阳市生态环境局发布第三批交办案件办理情况。", Neutral);
        check("处理得不太满意，问题并没有改善", Negative);
        check("经核查未造成人员伤亡，现场没有异味", Neutral);
        check("非常感谢，效率高，真好", Positive);
        check("一刀切全部关停，工人都失业了，凭什么", Negative);
    }

    #[test]
    fn negation_stays_inside_its_clause() {
        let lx = Lexicon::builtin().unwrap();
        let hits = scan(&lx, "不少村民聚集在厂门口");
        let h = hits.iter().find(|h| h.word == "聚集").unwrap();
        assert!(!h.negated, "不 is three letters away");
        let hits = scan(&lx, "没有。聚集");
        assert!(!hits.iter().find(|h| h.word == "聚集").unwrap().negated);
        let hits = scan(&lx, "未造成人员伤亡");
        assert!(hits.iter().all(|h| h.negated), "{hits:?}");
    }
}
