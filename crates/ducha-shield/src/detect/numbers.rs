//! Numbers that identify a person: the case's own digits wherever they stand, and anything shaped
//! like a mobile, a landline or an ID number (15 or 18 characters, checked), read across separators
//! group by group, masked ones included — unless the campaign made the number public.

use crate::PiiKind;

use super::{Hit, Known, back, push};

/// Separators that may stand between the digits of one number: spaces, dashes, brackets, quotes,
/// punctuation and symbols of any script — but not a colon (times: 14:30) or a percent sign.
fn is_digit_sep(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as Gc, get_general_category};
    if matches!(c, ':' | '：' | '%' | '％' | '‰' | '\n') {
        return false;
    }
    matches!(
        get_general_category(c),
        Gc::SpaceSeparator
            | Gc::DashPunctuation
            | Gc::OpenPunctuation
            | Gc::ClosePunctuation
            | Gc::InitialPunctuation
            | Gc::FinalPunctuation
            | Gc::OtherPunctuation
            | Gc::ConnectorPunctuation
            | Gc::MathSymbol
            | Gc::OtherSymbol
            | Gc::ModifierSymbol
    )
}

/// A run of digit groups with short separators between them, as found in the reading.
#[derive(Debug)]
struct Chain {
    /// Each digit (or a final `X` of an ID number, or `*` of a masked one) and its byte range.
    digits: Vec<(char, usize, usize)>,
    /// Index into `digits` where each group starts.
    groups: Vec<usize>,
}

fn chains(t: &str) -> Vec<Chain> {
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_ascii_digit() {
            i += 1;
            continue;
        }
        // Not the tail of a word or code (ABC123).
        let mut chain = Chain { digits: Vec::new(), groups: vec![0] };
        let mut j = i;
        loop {
            // One group.
            while j < chars.len() {
                let (b, c) = chars[j];
                let is_d = c.is_ascii_digit()
                    || (c == '*' && !chain.digits.is_empty())
                    || (matches!(c, 'X' | 'x')
                        && chain.digits.len() >= 14
                        && !chars.get(j + 1).is_some_and(|n| n.1.is_ascii_alphanumeric()));
                if !is_d {
                    break;
                }
                chain.digits.push((if c == 'x' { 'X' } else { c }, b, b + c.len_utf8()));
                j += 1;
            }
            // Separators (at most three) and another digit after them? A line break counts too after a
            // short group (a number written over several lines: 138⏎0393⏎5527).
            let group_len = chain.digits.len() - chain.groups.last().copied().unwrap_or(0);
            let mut k = j;
            while k < chars.len()
                && k - j < 3
                && ((is_digit_sep(chars[k].1) && chars[k].1 != '*')
                    || (chars[k].1 == '\n' && (group_len <= 4 || (9..=10).contains(&group_len))))
            {
                k += 1;
            }
            // A masked middle group (139 **** 5027) continues the chain as well.
            if k > j
                && k < chars.len()
                && (chars[k].1.is_ascii_digit() || (chars[k].1 == '*' && group_len > 0))
            {
                chain.groups.push(chain.digits.len());
                j = k;
                continue;
            }
            break;
        }
        // A chain glued to letters on its left (a code like MA44X123) is not a number to read.
        let glued = i > 0 && chars[i - 1].1.is_ascii_alphabetic();
        if !glued {
            out.push(chain);
        }
        i = j.max(i + 1);
    }
    out
}

/// Whether the text before `at` (a few characters) says a phone number follows.
fn phone_context(t: &str, at: usize) -> bool {
    let before = &t[back(t, at, 10)..at];
    ["电话", "手机", "座机", "号码", "联系", "打", "拨", "致电", "tel", "Tel", "TEL", "call", "微信", "家里"]
        .iter()
        .any(|w| before.contains(w))
}

/// Whether the text before `at` says the number is a public one (a hotline, an office).
fn public_context(t: &str, at: usize) -> bool {
    // The words before the number, and a bracketed note right after it (…（督察组内部转接）).
    let after_end = t[at..].char_indices().nth(24).map_or(t.len(), |(i, _)| at + i);
    let after = &t[at..after_end];
    let bracket = after.find(['(', '（']).map(|i| &after[i..]).unwrap_or("");
    let before = format!("{}{bracket}", &t[back(t, at, 14)..at]);
    [
        "热线",
        "举报电话",
        "值班电话",
        "监督电话",
        "服务电话",
        "办公电话",
        "咨询电话",
        "受理电话",
        "公开电话",
        "投诉电话",
        "督察组",
        "办公室电话",
        "客服",
        "攻坚办",
        "督察科",
        "办公室",
        "指挥部",
        "生态环境局",
        "环保局",
        "政府",
        "管委会",
        "纪委",
        "信访",
        "分局",
        "执法大队",
    ]
    .iter()
    .any(|w| before.contains(w))
}

fn id18_valid(d: &[char]) -> bool {
    if d.len() != 18 || !d[..17].iter().all(char::is_ascii_digit) {
        return false;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = W.iter().zip(d).map(|(w, c)| w * c.to_digit(10).unwrap_or(0)).sum();
    let birth: String = d[6..14].iter().collect();
    ('1'..='8').contains(&d[0]) && (d[17] == C[(sum % 11) as usize] || plausible_date(&birth))
}

fn plausible_date(yyyymmdd: &str) -> bool {
    if yyyymmdd.len() != 8 || !yyyymmdd.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let y: u32 = yyyymmdd[..4].parse().unwrap_or(0);
    let m: u32 = yyyymmdd[4..6].parse().unwrap_or(0);
    let d: u32 = yyyymmdd[6..8].parse().unwrap_or(0);
    (1900..=2030).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

/// What a run of digits is: `Some(Some(kind))` when it identifies somebody, `Some(None)` when it is a
/// number the campaign made public (the stretch is then taken, not read again in parts), `None` when it
/// is neither.
fn classify_number(d: &[char], t: &str, at: usize, public: &[String]) -> Option<Option<PiiKind>> {
    let s: String = d.iter().collect();
    if public.contains(&s) {
        return Some(None);
    }
    identifying_number(d, &s, t, at).map(Some)
}

fn identifying_number(d: &[char], s: &str, t: &str, at: usize) -> Option<PiiKind> {
    let s = s.to_owned();
    let masked = d.iter().filter(|c| **c == '*').count();
    if masked > 0 {
        // 410928********069X, 138****0123: a masked ID number or phone still says too much.
        let known = d.len() - masked;
        return match d.len() {
            18 | 15 if known >= 6 && masked >= 4 => Some(PiiKind::IdNumber),
            11 if d[0] == '1' && known >= 7 => Some(PiiKind::Phone),
            _ => None,
        };
    }
    let mobile = |m: &str| m.len() == 11 && m.starts_with('1') && matches!(m.as_bytes()[1], b'3'..=b'9');
    if d.len() == 18 && id18_valid(d) {
        // A permit, case or filing number of 18 digits is not an ID card (施工许可证号4109…).
        let before = &t[back(t, at, 10)..at];
        let permit = ["许可证", "证号", "编号", "案号", "文号", "批准号", "备案号", "登记号", "代码"]
            .iter()
            .any(|w| before.contains(w))
            && !before.contains("身份证");
        if !permit {
            return Some(PiiKind::IdNumber);
        }
    }
    if d.len() == 15
        && d.iter().all(char::is_ascii_digit)
        && ('1'..='8').contains(&d[0])
        && plausible_date(&format!("19{}", &s[6..12]))
    {
        return Some(PiiKind::IdNumber);
    }
    if !d.iter().all(char::is_ascii_digit) {
        return None;
    }
    if mobile(&s)
        || (s.len() == 13 && s.starts_with("86") && mobile(&s[2..]))
        || (s.len() == 15 && s.starts_with("0086") && mobile(&s[4..]))
    {
        return Some(PiiKind::Phone);
    }
    let landline = s.starts_with('0') && !s.starts_with("00") && (10..=12).contains(&s.len());
    if landline && !public_context(t, at) {
        return Some(PiiKind::Phone);
    }
    if (7..=8).contains(&s.len()) && !s.starts_with('0') && phone_context(t, at) && !public_context(t, at) {
        return Some(PiiKind::Phone);
    }
    None
}

/// The case's own digits wherever they stand, then every group-aligned stretch shaped like a phone or
/// an ID number.
pub(super) fn numbers(t: &str, known: &Known, public_numbers: &[String], hits: &mut Vec<Hit>) {
    for chain in chains(t) {
        let ds: Vec<char> = chain.digits.iter().map(|d| d.0).collect();
        for k in &known.digits {
            let kc: Vec<char> = k.chars().collect();
            if kc.is_empty() || kc.len() > ds.len() {
                continue;
            }
            for s in 0..=ds.len() - kc.len() {
                if ds[s..s + kc.len()] == kc[..] {
                    let kind = if kc.len() >= 15 { PiiKind::IdNumber } else { PiiKind::Phone };
                    push(hits, chain.digits[s].1, chain.digits[s + kc.len() - 1].2, kind, kind.token());
                }
            }
        }
        // Group-aligned stretches, longest first from each group.
        let n = chain.groups.len();
        let mut g = 0;
        while g < n {
            let mut found = None;
            for h in (g..n.min(g + 18)).rev() {
                let from = chain.groups[g];
                let to = if h + 1 < n { chain.groups[h + 1] } else { chain.digits.len() };
                if to - from > 18 {
                    continue;
                }
                let d: Vec<char> = chain.digits[from..to].iter().map(|x| x.0).collect();
                if let Some(kind) = classify_number(&d, t, chain.digits[from].1, public_numbers) {
                    found = Some((h, kind, chain.digits[from].1, chain.digits[to - 1].2));
                    break;
                }
            }
            match found {
                Some((h, kind, s, e)) => {
                    if let Some(kind) = kind {
                        push(hits, s, e, kind, kind.token());
                    }
                    g = h + 1;
                }
                None => g += 1,
            }
        }
    }
}
