//! How the words around a mention weigh it: generic abbreviations after a place, short outside names
//! next to their province, reference points, the complainant's home, cross-border relations, and the
//! place right before the polluting source.

use super::{Class, Ctx, Mention, Router, Scope};
use crate::text::{back_chars, fwd_chars};

impl Router {
    pub(super) fn apply_context(&self, t: &str, mentions: &mut [Mention], ctx: &[(usize, usize, Ctx)]) {
        let pats = &self.inner.patterns;
        // Generic abbreviations right after another place name belong to that place.
        for i in 1..mentions.len() {
            let (prev, cur) = (mentions[i - 1], mentions[i]);
            if pats[cur.pat].class == Class::Generic && prev.end == cur.start {
                let prev_city = pats[prev.pat].targets.iter().all(|t| t.scope == Scope::LocalCity);
                if !prev_city {
                    mentions[i].factor = 0.0;
                }
            }
        }
        // Short outside names: strong next to their province/city, weak alone.
        for i in 0..mentions.len() {
            if pats[mentions[i].pat].class != Class::OutsideShort {
                continue;
            }
            let code: Option<&str> = pats[mentions[i].pat].targets.iter().find_map(|t| match &t.scope {
                Scope::Outside { code } => Some(&**code),
                _ => None,
            });
            let near_parent = i > 0 && {
                let prev = mentions[i - 1];
                prev.end + 3 >= mentions[i].start
                    && pats[prev.pat].targets.iter().any(|t| match (&t.scope, code) {
                        (Scope::Outside { code: p }, Some(c)) => c.starts_with(&**p),
                        _ => false,
                    })
            };
            let after = &t[mentions[i].end..fwd_chars(t, mentions[i].end, 2)];
            let placey = after.starts_with('那') || after.starts_with("境") || after.starts_with("县城");
            mentions[i].factor *= if near_parent || placey { 2.5 } else { 1.0 };
        }
        for m in mentions.iter_mut() {
            let before_start = back_chars(t, m.start, 5);
            let after_end = fwd_chars(t, m.end, 3);
            for &(s, e, kind) in ctx {
                match kind {
                    Ctx::RelationAfter if s >= m.end && e <= after_end => {
                        let gap = &t[m.end..s];
                        if gap.is_empty() || gap == "的" || gap == "县" {
                            m.relation *= 0.3;
                        }
                    }
                    Ctx::RelationBefore if e <= m.start && s >= before_start => m.relation *= 1.6,
                    Ctx::Home if e <= m.start && s >= back_chars(t, m.start, 4) => m.factor *= 0.7,
                    Ctx::RefBefore if e <= m.start && s >= back_chars(t, m.start, 2) => m.relation *= 0.4,
                    Ctx::RefAfter
                        if s >= m.end
                            && s <= fwd_chars(t, m.end, 8)
                            && !t[m.end..s].contains(['，', ',', '。', '；', ';', '！', '？']) =>
                    {
                        m.relation *= 0.4
                    }
                    _ => {}
                }
            }
        }
        // Adjacent names form one place (台前县侯庙一带): a reference context applies to all of it.
        let mut i = 0;
        while i < mentions.len() {
            let mut j = i;
            while j + 1 < mentions.len() && mentions[j].end == mentions[j + 1].start {
                j += 1;
            }
            // A local village/township name right after another province's county (魏县张二庄镇,
            // 东明县马头镇) is a place over there that happens to share a Puyang name.
            let outside_at = |m: &Mention| {
                let p = &self.inner.patterns[m.pat];
                !p.targets.is_empty() && p.targets.iter().all(|t| matches!(t.scope, Scope::Outside { .. }))
            };
            if let Some(first_out) = (i..=j).find(|&k| outside_at(&mentions[k])) {
                for m in &mut mentions[first_out + 1..=j] {
                    let p = &self.inner.patterns[m.pat];
                    let sub_county = p.targets.iter().all(|t| match &t.scope {
                        Scope::Local { township, .. } => township.is_some(),
                        _ => false,
                    });
                    if sub_county {
                        m.factor = 0.0;
                    }
                }
            }
            let rel = mentions[i..=j].iter().map(|m| m.relation).fold(f32::MAX, f32::min);
            if rel < 1.0 {
                for m in &mut mentions[i..=j] {
                    m.relation = m.relation.min(rel);
                }
            }
            i = j + 1;
        }
        // A place named only to say the source is NOT there (跟东陈庄那个不是一家, 不是东巴河那个,
        // 和柳屯那边的不一样) does not locate it.
        for m in mentions.iter_mut() {
            let before = &t[back_chars(t, m.start, 3)..m.start];
            let after = &t[m.end..fwd_chars(t, m.end, 14)];
            let after = after.split(['。', '，', ',', '！', '？', '；']).next().unwrap_or("");
            let lead = ["跟", "和", "与", "同"].iter().any(|w| before.ends_with(w));
            let not_lead = ["不是", "并非", "别光查", "别查"].iter().any(|w| before.ends_with(w));
            let that = ["那个", "那家", "那边", "那里", "那儿", "的那"].iter().any(|w| after.starts_with(w));
            let differ = ["不是一", "不一样", "不是同一", "不同", "两码事", "不是一回事", "没关系"]
                .iter()
                .any(|w| after.contains(w));
            // 不是濮阳县的梁庄镇 / 咱这边的张二庄不是 / 张二庄没这事.
            let clause_start = t[..m.start]
                .char_indices()
                .rev()
                .find(|(_, c)| "，,。；;！!？?".contains(*c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            let negated_clause =
                t[clause_start..m.start].contains("不是") && !t[clause_start..m.start].contains("是不是");
            let denied = ["不是", "没这事", "没有这事", "没事"]
                .iter()
                .any(|w| after.trim_start_matches(['的', '那', '个']).starts_with(w));
            if (lead && differ) || (not_lead && that) || negated_clause || denied {
                m.factor = 0.0;
            }
        }
        // The nearest place before each source word (within 16 chars) is where the source is.
        let mut boosted = vec![false; mentions.len()];
        for &(s, _, kind) in ctx {
            if kind != Ctx::Source {
                continue;
            }
            let lo = back_chars(t, s, 16);
            if let Some(i) = mentions
                .iter()
                .rposition(|m| m.end <= s && m.end >= lo && m.factor > 0.0 && m.relation >= 1.0)
                && !boosted[i]
            {
                boosted[i] = true;
                mentions[i].factor *= 1.5;
            }
        }
    }
}
