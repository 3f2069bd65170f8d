//! Exports that are inert: a cell a spreadsheet will not run, a document every parser accepts.
//!
//! CSV: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by
//! Excel, WPS and LibreOffice (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`); following OWASP's CSV-injection
//! guidance such a cell is prefixed with a single quote, which the spreadsheet shows as text. Leading
//! full-width forms (`＝`, `＋`, `－`, `＠`) are treated alike, since some spreadsheets fold them.
//!
//! XML: characters XML 1.0 does not allow (controls other than tab and line breaks, lone surrogates,
//! U+FFFE/U+FFFF) are dropped, so every feed and Open311 document stays well-formed.

use std::borrow::Cow;

/// Whether a spreadsheet would read a cell starting with `c` as a formula.
fn formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠')
}

/// A CSV (or spreadsheet) cell that a spreadsheet shows as text, never runs.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    match s.trim_start_matches([' ', '\u{3000}']).chars().next() {
        Some(c) if formula_start(c) => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// Whether XML 1.0 allows `c` in character data.
pub fn xml_char_ok(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// The text without the characters XML 1.0 does not allow.
pub fn xml_text(s: &str) -> Cow<'_, str> {
    if s.chars().all(xml_char_ok) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|c| xml_char_ok(*c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        for (cell, want) in [
            ("=HYPERLINK(\"http://x\",\"点我\")", "'=HYPERLINK(\"http://x\",\"点我\")"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(1+9)*cmd|' /C calc'!A0", "'@SUM(1+9)*cmd|' /C calc'!A0"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("  =1+1", "'  =1+1"),
            ("＝1+1", "'＝1+1"),
            ("柳屯镇塑料厂=1", "柳屯镇塑料厂=1"),
            ("D3HA202312150062", "D3HA202312150062"),
            ("—", "—"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(cell), want, "{cell:?}");
        }
    }

    #[test]
    fn xml_drops_what_xml_forbids() {
        assert_eq!(xml_text("a\u{0}b\u{1}c\u{8}d\u{B}e\u{C}f\u{FFFE}g\u{FFFF}"), "abcdefg");
        assert_eq!(xml_text("行1\n行2\t列"), "行1\n行2\t列");
        assert!(matches!(xml_text("正常文本"), Cow::Borrowed(_)));
    }
}
