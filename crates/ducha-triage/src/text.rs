//! Small text helpers shared by the router, classifier, redactor and duplicate index.

/// Folds full-width ASCII (`１２３ＡＢＣ（）：`) and the ideographic space to their half-width forms.
/// Each char maps to exactly one char, so char positions are preserved.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// A text folded with [`fold_char`] plus, for every byte of the folded text, the byte offset in the
/// original text where its char starts (and one extra entry for the end).
#[derive(Debug, Clone)]
pub struct Folded {
    pub text: String,
    map: Vec<usize>,
}

impl Folded {
    pub fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len() + 1);
        for (i, c) in original.char_indices() {
            let f = fold_char(c);
            for _ in 0..f.len_utf8() {
                map.push(i);
            }
            text.push(f);
        }
        map.push(original.len());
        Self { text, map }
    }

    /// Original byte offset of folded byte offset `i` (a char boundary of the folded text).
    pub fn orig(&self, i: usize) -> usize {
        self.map[i.min(self.map.len() - 1)]
    }
}

/// Whether `c` is a CJK unified ideograph (the letters of Chinese names).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2EBEF)
}

/// Byte offset of the start of the char `n` chars before `i` (clamped at 0).
pub fn back_chars(s: &str, i: usize, n: usize) -> usize {
    let mut pos = i;
    for (k, (j, _)) in s[..i].char_indices().rev().enumerate() {
        pos = j;
        if k + 1 >= n {
            break;
        }
    }
    if n == 0 { i } else { pos }
}

/// Byte offset `n` chars after `i` (clamped at the end).
pub fn fwd_chars(s: &str, i: usize, n: usize) -> usize {
    s[i..].char_indices().nth(n).map(|(j, _)| i + j).unwrap_or(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_and_maps_back() {
        let f = Folded::new("电话：１３８ ０３９３");
        assert_eq!(f.text, "电话:138 0393");
        let p = f.text.find("138").unwrap();
        assert_eq!(&"电话：１３８ ０３９３"[f.orig(p)..], "１３８ ０３９３");
        assert_eq!(f.orig(f.text.len()), "电话：１３８ ０３９３".len());
    }

    #[test]
    fn char_windows() {
        let s = "濮阳县柳屯镇";
        let i = s.find("柳").unwrap();
        assert_eq!(&s[back_chars(s, i, 2)..i], "阳县");
        assert_eq!(&s[i..fwd_chars(s, i, 2)], "柳屯");
        assert_eq!(back_chars(s, i, 10), 0);
        assert_eq!(fwd_chars(s, i, 10), s.len());
    }
}
