//! The normalised reading of a text: what a person sees, written in one way.
//!
//! An identity can be written in many ways that look alike to a reader: digits in other scripts
//! (`１３８`, `①③⑧`, `١٣٨`, `𝟏𝟑𝟖`), read out in Chinese numerals (`幺三八`, `一三八零`), split by invisible
//! characters (zero-width space, soft hyphen, word joiner), shown reversed by a right-to-left override,
//! a name with spaces or dots between its characters (`王 建 国`, `王·建国`). [`Norm`] reads the text the
//! way a person sees it and writes it one way; the detectors work on that reading, and every position
//! maps back to the original text so a hit hides exactly what was written.
//!
//! Steps, per character of the original:
//! 1. format and control characters (Unicode `Cf`, `Cc` but the line break, combining and enclosing
//!    marks `Mn`/`Me`, variation selectors) are dropped;
//! 2. a run between a right-to-left override (U+202E) and its pop (U+202C) or the line's end is read
//!    in reverse, as it is displayed;
//! 3. spaces of any kind become one ASCII space, line and paragraph separators a line break;
//! 4. NFKC (full-width forms, circled and parenthesised numbers, mathematical digits, compatibility
//!    ideographs), then decimal digits of every script (`Nd`) and the dingbat circled digits NFKC
//!    leaves alone (`❶`, `➀`, `➊`, `⓵`) become ASCII digits;
//!
//! then, over the whole text:
//! 5. Chinese numerals become digits where they are read as a number: a run of five or more
//!    (`一三八零三九三…`, phones and ID numbers read out), a run mixed with Arabic digits (`138零三九三`),
//!    and a number before or after a dwelling unit (`三号楼二单元五零一室`, `七组`, `二十三号院`);
//! 6. a space or a dot between two Chinese characters is dropped (`王 建 国` → `王建国`).

use std::sync::LazyLock;

use unicode_general_category::{GeneralCategory as Gc, get_general_category};
use unicode_normalization::UnicodeNormalization;

/// One character of the text as displayed: right-to-left override runs are reversed (as a reader sees
/// them) and the bidi controls themselves are left out. Each keeps its byte range in the original.
#[derive(Debug, Clone, Copy)]
pub struct Shown {
    pub c: char,
    pub start: u32,
    pub end: u32,
}

/// The text as displayed (see [`Shown`]).
pub fn displayed(original: &str) -> Vec<Shown> {
    let mut out: Vec<Shown> = Vec::with_capacity(original.len());
    let mut rlo: Option<Vec<Shown>> = None;
    let flush = |rlo: &mut Option<Vec<Shown>>, out: &mut Vec<Shown>| {
        if let Some(run) = rlo.take() {
            out.extend(run.into_iter().rev());
        }
    };
    for (i, c) in original.char_indices() {
        let ch = Shown { c, start: i as u32, end: (i + c.len_utf8()) as u32 };
        match c {
            '\u{202E}' => {
                flush(&mut rlo, &mut out);
                rlo = Some(Vec::new());
                continue;
            }
            '\u{202C}' | '\u{202D}' => {
                flush(&mut rlo, &mut out);
                continue;
            }
            '\n' | '\u{2028}' | '\u{2029}' => flush(&mut rlo, &mut out),
            _ => {}
        }
        match rlo.as_mut() {
            Some(run) => run.push(ch),
            None => out.push(ch),
        }
    }
    flush(&mut rlo, &mut out);
    out
}

/// A text in its normalised reading, with the displayed characters every normalised byte was read from.
#[derive(Clone)]
pub struct Norm {
    text: String,
    /// For each byte of `text`: the range of displayed characters it was read from.
    src: Vec<(u32, u32)>,
    shown: Vec<Shown>,
    original_len: usize,
}

impl std::fmt::Debug for Norm {
    // The text may hold an identity: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Norm").field("len", &self.text.len()).finish_non_exhaustive()
    }
}

/// One character of the reading and the displayed characters `[start, end)` it came from.
#[derive(Debug, Clone, Copy)]
struct Ch {
    c: char,
    start: u32,
    end: u32,
}

impl Norm {
    pub fn new(original: &str) -> Norm {
        let shown = displayed(original);
        let mut out: Vec<Ch> = Vec::with_capacity(shown.len());
        for (k, sh) in shown.iter().enumerate() {
            let (start, end) = (k as u32, k as u32 + 1);
            read_char(sh.c, |r| out.push(Ch { c: r, start, end }));
        }
        chinese_numerals(&mut out);
        letters_for_digits(&mut out);
        let out = drop_spacing_between_han(out);
        let mut text = String::with_capacity(out.len() * 3);
        let mut src = Vec::with_capacity(out.len() * 3);
        for ch in out {
            text.push(ch.c);
            for _ in 0..ch.c.len_utf8() {
                src.push((ch.start, ch.end));
            }
        }
        Norm { text, src, shown, original_len: original.len() }
    }

    /// The normalised reading.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The displayed characters.
    pub fn shown(&self) -> &[Shown] {
        &self.shown
    }

    /// The range of displayed characters that normalised bytes `s..e` were read from.
    pub fn shown_range(&self, s: usize, e: usize) -> (usize, usize) {
        if s >= e || self.src.is_empty() {
            return (self.shown.len(), self.shown.len());
        }
        let (s, e) = (s.min(self.src.len() - 1), e.min(self.src.len()));
        let lo = self.src[s..e].iter().map(|r| r.0).min().unwrap_or(0);
        let hi = self.src[s..e].iter().map(|r| r.1).max().unwrap_or(0);
        (lo as usize, hi as usize)
    }

    /// The original byte range that normalised bytes `s..e` were read from (the smallest range
    /// holding all of them: a reversed run may widen it, never narrow it).
    pub fn original_range(&self, s: usize, e: usize) -> (usize, usize) {
        let (a, b) = self.shown_range(s, e);
        if a >= b {
            return (self.original_len, self.original_len);
        }
        let lo = self.shown[a..b].iter().map(|c| c.start).min().unwrap_or(0);
        let hi = self.shown[a..b].iter().map(|c| c.end).max().unwrap_or(0);
        (lo as usize, hi as usize)
    }
}

/// Whether a character is invisible formatting that a reader does not see: format characters,
/// controls other than the line break and tab, combining and enclosing marks.
pub fn is_invisible(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control() && c != '\n' && c != '\t';
    }
    // Ideographs, CJK punctuation and full-width forms are visible: no table lookup for them.
    if matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF5E}' | '\u{2018}'..='\u{201F}')
    {
        return false;
    }
    matches!(
        get_general_category(c),
        Gc::Format | Gc::Control | Gc::NonspacingMark | Gc::EnclosingMark | Gc::Surrogate | Gc::Unassigned
    ) || matches!(c, '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}')
}

/// Traditional → simplified, one character to one (`data/t2s.tsv`, from OpenCC): 劉長順 reads as 刘长顺 and
/// 舉報人 as 举报人, so every rule written for simplified text reads traditional text too.
struct Simplifier {
    /// One bit per ideograph of U+4E00–U+9FFF: has a simplified form.
    has: Vec<u64>,
    /// (traditional, simplified), sorted.
    pairs: Vec<(char, char)>,
}

static SIMPLIFIER: std::sync::LazyLock<Simplifier> = std::sync::LazyLock::new(|| {
    let mut pairs: Vec<(char, char)> = include_str!("../data/t2s.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut cs = l.split('\t').map(|f| f.chars().next());
            match (cs.next().flatten(), cs.next().flatten()) {
                (Some(t), Some(s)) => Some((t, s)),
                _ => None,
            }
        })
        .filter(|(t, _)| ('\u{4E00}'..='\u{9FFF}').contains(t))
        .collect();
    pairs.sort_unstable();
    let mut has = vec![0u64; (0x9FFF - 0x4E00) / 64 + 1];
    for (t, _) in &pairs {
        let i = *t as usize - 0x4E00;
        has[i / 64] |= 1 << (i % 64);
    }
    Simplifier { has, pairs }
});

/// The simplified form of an ideograph (itself when it has none).
fn simplified(c: char) -> char {
    let s = &*SIMPLIFIER;
    let i = c as usize - 0x4E00;
    if s.has.get(i / 64).is_none_or(|w| w & (1 << (i % 64)) == 0) {
        return c;
    }
    s.pairs.binary_search_by(|(t, _)| t.cmp(&c)).map_or(c, |k| s.pairs[k].1)
}

/// The reading of one character (none, one or several characters).
fn read_char(c: char, mut push: impl FnMut(char)) {
    if c.is_ascii() {
        match c {
            '\n' => push('\n'),
            '\t' => push(' '),
            c if c.is_ascii_control() => {}
            c => push(c),
        }
        return;
    }
    // Fast paths for what Chinese text is mostly made of (their NFKC forms, without the lookup):
    // ideographs and CJK punctuation stay, full-width ASCII folds to ASCII, curly quotes stay.
    match c {
        '\u{4E00}'..='\u{9FFF}' => return push(simplified(c)),
        '\u{3001}'..='\u{3006}' | '\u{3008}'..='\u{301F}' | '\u{2018}'..='\u{201F}' => {
            return push(c);
        }
        '\u{3000}' => return push(' '),
        '\u{FF01}'..='\u{FF5E}' => {
            let a = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
            return push(a);
        }
        _ => {}
    }
    if is_invisible(c) {
        return;
    }
    match get_general_category(c) {
        Gc::SpaceSeparator => return push(' '),
        Gc::LineSeparator | Gc::ParagraphSeparator => return push('\n'),
        _ => {}
    }
    if let Some(d) = dingbat_digit(c) {
        for x in d.chars() {
            push(x);
        }
        return;
    }
    for n in std::iter::once(c).nfkc() {
        if is_invisible(n) {
            continue;
        }
        match digit_value(n) {
            Some(v) => push(char::from(b'0' + v)),
            None if get_general_category(n) == Gc::SpaceSeparator => push(' '),
            None => push(n),
        }
    }
}

/// The value of a decimal digit of any script (`Nd`): every such run in Unicode is a complete 0–9
/// sequence, so the value is the distance from the run's start, modulo 10.
pub fn digit_value(c: char) -> Option<u8> {
    if c.is_ascii_digit() {
        return Some(c as u8 - b'0');
    }
    if c.is_ascii() || get_general_category(c) != Gc::DecimalNumber {
        return None;
    }
    let mut base = c as u32;
    while base > 0 && c as u32 - base < 100 {
        match char::from_u32(base - 1) {
            Some(p) if get_general_category(p) == Gc::DecimalNumber => base -= 1,
            _ => break,
        }
    }
    Some(((c as u32 - base) % 10) as u8)
}

/// Circled digits that NFKC does not decompose (dingbats and double-circled forms).
fn dingbat_digit(c: char) -> Option<&'static str> {
    const TEN: [&str; 10] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];
    const TEEN: [&str; 10] = ["11", "12", "13", "14", "15", "16", "17", "18", "19", "20"];
    let u = c as u32;
    Some(match u {
        0x2776..=0x277F => TEN[(u - 0x2776) as usize],
        0x2780..=0x2789 => TEN[(u - 0x2780) as usize],
        0x278A..=0x2793 => TEN[(u - 0x278A) as usize],
        0x24F5..=0x24FE => TEN[(u - 0x24F5) as usize],
        0x24EB..=0x24F4 => TEEN[(u - 0x24EB) as usize],
        0x24FF | 0x1F10B | 0x1F10C => "0",
        _ => return None,
    })
}

/// The digit a Chinese numeral stands for when a number is read out (`幺` and `两` for 1 and 2, the
/// financial forms, the radio alphabet's `洞 拐 勾` for 0 7 9).
pub fn cn_digit(c: char) -> Option<u8> {
    Some(match c {
        '零' | '〇' | '洞' => 0,
        '一' | '幺' | '壹' | '弌' => 1,
        '二' | '两' | '贰' | '貳' | '弍' => 2,
        '三' | '叁' | '參' | '弎' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' | '拐' => 7,
        '八' | '捌' => 8,
        '九' | '玖' | '勾' => 9,
        _ => return None,
    })
}

/// Numerals that are nothing but numerals (not `洞 拐 勾`, which are also ordinary words).
fn strict_cn_digit(c: char) -> bool {
    cn_digit(c).is_some() && !matches!(c, '洞' | '拐' | '勾')
}

/// Dwelling units after which (or before which) a numeral is a house number.
const UNITS_AFTER: &[&str] =
    &["号楼", "号院", "号房", "号门", "栋", "幢", "单元", "室", "层", "户", "组", "排", "号", "楼", "门"];

fn starts_with_any(chars: &[Ch], at: usize, words: &[&str]) -> bool {
    words.iter().any(|w| w.chars().enumerate().all(|(k, wc)| chars.get(at + k).is_some_and(|x| x.c == wc)))
}

fn ends_with_any(chars: &[Ch], end: usize, words: &[&str]) -> bool {
    words.iter().any(|w| {
        let n = w.chars().count();
        end >= n && w.chars().enumerate().all(|(k, wc)| chars[end - n + k].c == wc)
    })
}

/// The value of a numeral written with 十/百 (`二十三` → 23, `十二` → 12, `一百零五` → 105).
fn positional_value(run: &[char]) -> Option<u32> {
    let (mut total, mut digit) = (0u32, None::<u32>);
    for &c in run {
        match c {
            '十' | '拾' => {
                total += digit.take().unwrap_or(1) * 10;
            }
            '百' | '佰' => {
                total += digit.take().unwrap_or(1) * 100;
            }
            c => {
                let v = cn_digit(c).map(u32::from).or_else(|| c.to_digit(10))?;
                digit = Some(v);
            }
        }
    }
    Some(total + digit.unwrap_or(0))
}

/// Step 5: Chinese numerals read as numbers become ASCII digits, in place.
fn chinese_numerals(chars: &mut Vec<Ch>) {
    let mut i = 0;
    while i < chars.len() {
        let is_num =
            |c: char| cn_digit(c).is_some() || c.is_ascii_digit() || matches!(c, '十' | '百' | '拾' | '佰');
        if !is_num(chars[i].c) {
            i += 1;
            continue;
        }
        // A run of numerals and digits, with single spaces or dashes between them.
        let start = i;
        let mut end = i;
        let mut j = i;
        while j < chars.len() {
            if is_num(chars[j].c) {
                end = j + 1;
                j += 1;
            } else if matches!(chars[j].c, ' ' | '-' | ',' | '，' | '、' | '.' | '·' | '/' | '—' | '–')
                && j + 1 < chars.len()
                && is_num(chars[j + 1].c)
            {
                j += 1;
            } else {
                break;
            }
        }
        let run: Vec<char> = chars[start..end].iter().map(|c| c.c).filter(|c| is_num(*c)).collect();
        let strict = run.iter().filter(|c| strict_cn_digit(**c)).count();
        let cn = run.iter().filter(|c| cn_digit(**c).is_some()).count();
        let ascii = run.iter().filter(|c| c.is_ascii_digit()).count();
        let tens = run.iter().any(|c| matches!(c, '十' | '百' | '拾' | '佰'));
        let after_unit = ends_with_any(chars, start, &["单元", "号楼", "栋", "幢", "楼", "号院"]);
        let before_unit = starts_with_any(chars, end, UNITS_AFTER);
        let ordinal = start > 0 && matches!(chars[start - 1].c, '第' | '初' | '周' | '星' | '礼');
        let read_out =
            !tens && ((strict >= 5 && cn + ascii >= 5) || (strict >= 1 && ascii >= 1 && cn + ascii >= 5));
        let house = cn >= 1 && !ordinal && (before_unit || after_unit) && run.len() <= 6;
        if read_out {
            for ch in &mut chars[start..end] {
                if let Some(v) = cn_digit(ch.c) {
                    ch.c = char::from(b'0' + v);
                }
            }
        } else if house {
            let value = if tens {
                positional_value(&run).map(|v| v.to_string())
            } else {
                run.iter().map(|c| cn_digit(*c).map(|v| char::from(b'0' + v)).or(Some(*c))).collect()
            };
            if let Some(v) = value {
                // The value's digits take the place of the numerals, each mapped to the whole run.
                let (s, e) = (chars[start].start, chars[end - 1].end);
                let replacement: Vec<Ch> = v.chars().map(|c| Ch { c, start: s, end: e }).collect();
                let n = replacement.len();
                chars.splice(start..end, replacement);
                i = start + n;
                continue;
            }
        }
        i = end.max(i + 1);
    }
}

fn is_han(c: char) -> bool {
    crate::is_han(c)
}

/// Letters written for digits inside a number (l38-O393-4O2l: l and I for 1, O and o for 0): read as
/// digits when the run, separators aside, holds at least seven real digits and at most about half
/// as many letters.
fn letters_for_digits(chars: &mut [Ch]) {
    let lookalike = |c: char| matches!(c, 'O' | 'o' | 'l' | 'I');
    let sep = |c: char| matches!(c, '-' | ' ' | '.' | '/');
    let mut i = 0;
    while i < chars.len() {
        if !(chars[i].c.is_ascii_digit() || lookalike(chars[i].c)) {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i;
        let (mut digits, mut letters) = (0, 0);
        while j < chars.len() && (chars[j].c.is_ascii_digit() || lookalike(chars[j].c) || sep(chars[j].c)) {
            if chars[j].c.is_ascii_digit() {
                digits += 1;
            } else if lookalike(chars[j].c) {
                letters += 1;
            }
            j += 1;
        }
        // Not part of a word (Hello, Old): the run must not touch other letters.
        let glued = start > 0 && chars[start - 1].c.is_ascii_alphabetic()
            || j < chars.len() && chars[j].c.is_ascii_alphabetic();
        if digits >= 7 && letters >= 1 && letters * 2 <= digits + 1 && !glued {
            for ch in &mut chars[start..j] {
                ch.c = match ch.c {
                    'O' | 'o' => '0',
                    'l' | 'I' => '1',
                    c => c,
                };
            }
        }
        i = j.max(i + 1);
    }
}

/// Step 6: spaces and dots between two Chinese characters are not read.
fn drop_spacing_between_han(chars: Vec<Ch>) -> Vec<Ch> {
    static SPACING: LazyLock<Vec<char>> = LazyLock::new(|| {
        vec![' ', '·', '•', '・', '‧', '.', '∙', '⋅', '_', '-', '—', '–', '/', '\\', '|', '~', '*', '+']
    });
    // A short run of Han characters that stands alone on its side of a line break: one or
    // two characters, bounded by the start or end of the text or a break or separator.
    let boundary = |c: char| matches!(c, '\n' | ':' | '：' | ',' | '，' | '。' | ' ' | '、');
    let alone = |k: usize, backwards: bool| {
        let mut run = 0;
        let mut at = k;
        loop {
            let Some(ch) = chars.get(at) else { return run > 0 };
            if boundary(ch.c) {
                return run > 0;
            }
            if !is_han(ch.c) || run == 2 {
                return false;
            }
            run += 1;
            if backwards {
                if at == 0 {
                    return true;
                }
                at -= 1;
            } else {
                at += 1;
            }
        }
    };
    let mut out: Vec<Ch> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let line_break_in_name = chars[i].c == '\n'
            && i > 0
            && is_han(chars[i - 1].c)
            && chars.get(i + 1).is_some_and(|n| is_han(n.c))
            && alone(i - 1, true)
            && alone(i + 1, false);
        if line_break_in_name {
            let s = chars[i].start;
            let mut next = chars[i + 1];
            next.start = next.start.min(s);
            out.push(next);
            i += 2;
            continue;
        }
        if SPACING.contains(&chars[i].c) && out.last().is_some_and(|p| is_han(p.c)) {
            let mut j = i;
            while j < chars.len() && SPACING.contains(&chars[j].c) && j - i < 3 {
                j += 1;
            }
            if chars.get(j).is_some_and(|n| is_han(n.c)) {
                // Dropped: the next character carries the dropped ones' range so a hit covers them.
                let s = chars[i].start;
                i = j;
                let mut next = chars[i];
                next.start = next.start.min(s);
                out.push(next);
                i += 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> String {
        Norm::new(s).text().to_owned()
    }

    #[test]
    fn digits_of_every_script_and_invisible_characters() {
        for (input, want) in [
            ("１３８０３９３０１２３", "13803930123"),
            ("①③⑧⓪③⑨③⓪①②③", "13803930123"),
            ("❶❸❽", "138"),
            ("١٣٨", "138"),
            ("۱۳۸", "138"),
            ("१३८", "138"),
            ("𝟏𝟑𝟖", "138"),
            ("138\u{200B}0393\u{00AD}0123", "13803930123"),
            ("1\u{2060}3\u{200D}8\u{FEFF}", "138"),
            ("1\u{20E3}3\u{20E3}", "13"),
            ("\u{202E}3210393083 1\u{202C}", "1 3803930123"),
            ("电话\u{202E}321\u{202C}。", "电话123。"),
        ] {
            assert_eq!(read(input), want, "{input:?}");
        }
    }

    #[test]
    fn chinese_numerals_where_they_are_a_number() {
        for (input, want) in [
            ("幺三八零三九三零幺二三", "13803930123"),
            ("一三八 零三九三 零一二三", "138 0393 0123"),
            ("138零三九三0123", "13803930123"),
            ("三号楼二单元五零一室", "3号楼2单元501室"),
            ("二十三号院", "23号院"),
            ("东陈庄村七组", "东陈庄村7组"),
            ("十二组", "12组"),
            // Ordinary numbers stay words.
            ("第一批", "第一批"),
            ("一刀切", "一刀切"),
            ("二〇二三年十二月五日", "二〇二三年十二月五日"),
            ("三五成群", "三五成群"),
        ] {
            assert_eq!(read(input), want, "{input:?}");
        }
    }

    #[test]
    fn spacing_between_han_characters() {
        assert_eq!(read("王 建 国反映"), "王建国反映");
        assert_eq!(read("王·建国"), "王建国");
        assert_eq!(read("张　春　梅"), "张春梅");
        assert_eq!(read("Call 138 0393"), "Call 138 0393");
        assert_eq!(read("第一行\n第二行"), "第一行\n第二行");
    }

    #[test]
    fn positions_map_back_to_what_was_written() {
        let s = "电话：１３８\u{200B}０３９３，王 建 国";
        let n = Norm::new(s);
        let t = n.text();
        let p = t.find("1380393").unwrap();
        let (a, b) = n.original_range(p, p + 7);
        assert_eq!(&s[a..b], "１３８\u{200B}０３９３");
        let q = t.find("王建国").unwrap();
        let (a, b) = n.original_range(q, q + "王建国".len());
        assert_eq!(&s[a..b], "王 建 国");
        let n = Norm::new("三号楼");
        let (a, b) = n.original_range(0, 1);
        assert_eq!(&"三号楼"[a..b], "三");
    }
}
