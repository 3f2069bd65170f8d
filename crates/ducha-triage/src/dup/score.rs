//! The score of a pair of documents: 0 when places, anchors, source kinds, directions or the writer's
//! own words (也有个…) say they are different sources; otherwise place, anchor, kind, type and text
//! agreement added up, with the reasons in Chinese for the case page.

use super::MINHASH_K;
use super::codes::{OUTSIDE_FLAG, conflicts, unpack};
use super::doc::DupDoc;

/// Kind 37 (养殖, generic livestock) is compatible with every specific farm kind (1–5).
const GENERIC_FARM: u8 = 37;

fn jaccard(a: &[u32; MINHASH_K], b: &[u32; MINHASH_K]) -> f32 {
    if a[0] == u32::MAX || b[0] == u32::MAX {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f32 / MINHASH_K as f32
}

/// Kinds that name an activity or fuel (burning coal, a boiler, straw, garbage, muck) rather than
/// what the source is; they decide only when neither side names what the source is.
const ACTIVITY_KINDS: u64 = (1 << 15) | (1 << 22) | (1 << 23) | (1 << 24) | (1 << 29);

fn kinds_compatible(a: u64, b: u64) -> Option<bool> {
    if a == 0 || b == 0 {
        return None;
    }
    let (pa, pb) = (a & !ACTIVITY_KINDS, b & !ACTIVITY_KINDS);
    let (a, b) = if pa != 0 && pb != 0 { (pa, pb) } else { (a, b) };
    let farm = 0b11_1110u64; // kinds 1..=5: pigs, chickens, ducks, cattle, sheep
    let generic = 1u64 << GENERIC_FARM;
    if a & farm != 0 && b & farm != 0 {
        // Both say which animals: they must agree.
        return Some(a & b & farm != 0);
    }
    if a & b & !generic != 0 {
        return Some(true);
    }
    if (a & generic != 0 && b & (farm | generic) != 0) || (b & generic != 0 && a & farm != 0) {
        return Some(true);
    }
    Some(false)
}

/// Score of a pair (0 when they cannot be the same source) and the reasons.
pub fn pair_score(q: &DupDoc, c: &DupDoc) -> (f32, Vec<String>) {
    let mut ev = Vec::new();
    let s = score(q, c, Some(&mut ev));
    (s, ev)
}

/// The score alone; reasons are written only when `ev` is given (the query's hot loop skips them).
pub(super) fn score(q: &DupDoc, c: &DupDoc, mut ev: Option<&mut Vec<String>>) -> f32 {
    let mut note = |f: &dyn Fn() -> String| {
        if let Some(ev) = ev.as_deref_mut() {
            ev.push(f());
        }
    };
    if q.version != c.version {
        // Made with other hashes or lists: nothing in them is comparable.
        return 0.0;
    }
    if conflicts(q.county, c.county) || conflicts(q.township, c.township) || conflicts(q.village, c.village) {
        return 0.0;
    }
    let mut score = 0.0f32;
    let outside_county = q.county & OUTSIDE_FLAG != 0 && ((q.county >> 52) & 0xF) == 6;
    if q.village != 0 && c.village != 0 {
        score += 0.35;
        note(&|| format!("同一村（居）：{}", unpack(q.village).unwrap_or_default()));
    } else if q.township != 0 && c.township != 0 {
        score += 0.2;
        note(&|| format!("同一乡镇（街道）：{}", unpack(q.township).unwrap_or_default()));
    } else if outside_county && q.county == c.county {
        // The same county across the border: as specific as a township here.
        score += 0.2;
        note(&|| format!("同一外地区县：{}", unpack(q.county).unwrap_or_default()));
    } else if q.county != 0 && c.county != 0 {
        score += 0.05;
        note(&|| format!("同一区县：{}", unpack(q.county).unwrap_or_default()));
    }
    if !q.anchor_keys.is_empty() && !c.anchor_keys.is_empty() {
        match q.anchor_keys.iter().position(|k| c.anchor_keys.contains(k)) {
            Some(i) => {
                score += 0.5;
                note(&|| format!("同一企业/商户：{}", q.anchors[i]));
            }
            None => return 0.0,
        }
    }
    if q.landmarks.iter().any(|l| c.landmarks.contains(l)) {
        score += 0.3;
        note(&|| "提到同一地标/企业".to_owned());
    }
    let kinds = kinds_compatible(q.kinds, c.kinds);
    match kinds {
        Some(true) => {
            score += 0.2;
            note(&|| "同类污染源".to_owned());
        }
        Some(false) => return 0.0,
        None => {}
    }
    if q.types != 0 && c.types != 0 {
        if q.types & c.types != 0 {
            score += 0.1;
        } else if kinds.is_none() {
            // Same kind of source but different types is classifier noise; without a kind it
            // means a different problem.
            score -= 0.3;
        }
    }
    if q.repeat {
        score += 0.15;
        note(&|| "来电称此前已反映".to_owned());
    }
    if q.sansan.is_some() && q.sansan == c.sansan {
        score += 0.1;
    }
    if q.receptors & c.receptors != 0 {
        score += 0.15;
    }
    let anchored = !q.anchor_keys.is_empty() && q.anchor_keys.iter().any(|k| c.anchor_keys.contains(k));
    if q.contrast && !anchored {
        // 也有个… / 跟…不是一家: the writer says this is another source.
        return 0.0;
    }
    if q.directions != 0 && q.directions == c.directions {
        score += 0.05;
    }
    if q.directions != 0 && c.directions != 0 && q.directions & c.directions == 0 {
        if q.directions.count_ones() == 1 && c.directions.count_ones() == 1 {
            // 村东头 vs 村西头: two places.
            return 0.0;
        }
        score -= 0.3;
    }
    let j = jaccard(&q.sig, &c.sig);
    score += 0.6 * j;
    if j > 0.0 {
        note(&|| format!("文字相似度{:.2}", j));
    }
    score
}
