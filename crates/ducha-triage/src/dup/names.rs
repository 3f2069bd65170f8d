//! Business names in complaint text: the entity pattern (…有限公司, …养殖场, …作坊), the distinctive
//! core of a name (濮阳市**鑫源**塑料制品有限公司 → 鑫源) and its toneless-pinyin fold, so homophone
//! typos (新源, 馨园) meet.

use std::sync::LazyLock;

use pinyin::ToPinyin;
use regex::Regex;

use super::lexicon::LEXICON;
use crate::text::{fold_char, is_han};

/// A business name: up to 14 letters before a business suffix (group 1 is the name without it).
pub(super) static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([^\s的有个一在是了和把往向里旁边边上附近也叫就还都又从被让给对跟与及或，。,.、；;：:！!？?（）()“”\x22'《》0-9]{2,14}?)(有限责任公司|股份有限公司|有限公司|公司|集团|合作社|养殖场|养猪场|养鸡场|加工厂|加工点|作坊|厂|饭店|酒店|宾馆|超市|门市|门市部|洗车行|洗车店|搅拌站|砖窑|窑厂|物流园|农家乐|烧烤店|饭馆|餐馆|KTV|回收站|收购站|站)",
    )
    .unwrap_or_else(|e| panic!("entity regex: {e}"))
});

/// Folds a name to toneless pinyin syllables (鑫源 / 新源 → "xin yuan"); non-Han chars pass through.
pub fn fold_name(name: &str) -> String {
    let mut out = String::new();
    for (c, p) in name.chars().zip(name.to_pinyin()) {
        if !out.is_empty() {
            out.push(' ');
        }
        match p {
            Some(p) => out.push_str(p.plain()),
            None => out.push(fold_char(c).to_ascii_lowercase()),
        }
    }
    out
}

/// The distinctive core of a business name, or `None` when it is all generic.
pub(super) fn core_name(raw: &str) -> Option<String> {
    let mut s = raw.trim();
    let mut changed = true;
    while changed {
        changed = false;
        for p in &LEXICON.name_prefixes {
            if let Some(r) = s.strip_prefix(p.as_str()) {
                s = r;
                changed = true;
            }
        }
        // Any leading admin name ending in 县/区/镇/乡/村/市 (南乐县张果屯镇…).
        if let Some(i) = s.char_indices().take(8).find(|(_, c)| "省市县区镇乡村".contains(*c)).map(|(i, _)| i)
        {
            let next = i + '县'.len_utf8();
            if s[next..].chars().count() >= 2 {
                s = &s[next..];
                changed = true;
            }
        }
    }
    let mut s = s.to_owned();
    let mut changed = true;
    while changed {
        changed = false;
        for g in &LEXICON.name_generic {
            if s.len() > g.len()
                && let Some(r) = s.strip_suffix(g.as_str())
            {
                s = r.to_owned();
                changed = true;
            }
        }
    }
    // A leading position (村东小铸造厂 → 东小…) or size word is no part of a name.
    let mut t = s.as_str();
    for p in ["东", "西", "南", "北"] {
        if let Some(r) = t.strip_prefix(p) {
            t = r.trim_start_matches(['头', '边', '侧', '面']);
        }
    }
    let t = t.trim_start_matches(['小', '大']);
    let s = t.to_owned();
    if LEXICON.name_generic.contains(&s) || s.chars().count() < 2 || !s.chars().all(is_han) {
        return None;
    }
    Some(s)
}
