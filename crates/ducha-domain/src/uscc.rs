//! 统一社会信用代码 (Unified Social Credit Code), GB 32100-2015.
//!
//! Eighteen characters from the 31-character set `0-9 A-H J-N P-R T U W X Y` (no I, O, Z, S, V):
//!
//! | positions | meaning |
//! |---|---|
//! | 1 | 登记管理部门代码 (9 = market regulation, 1 = 机构编制, 5 = 民政 …) |
//! | 2 | 机构类别代码 |
//! | 3–8 | 登记管理机关行政区划码 (GB/T 2260, digits) |
//! | 9–17 | 主体标识码 (组织机构代码) |
//! | 18 | 校验码 |
//!
//! The check character, per the standard: each of the first 17 characters has the value of its index
//! in the character set; position *i* (1-based) has the weight 3^(i−1) mod 31; with *S* the weighted
//! sum, the check value is 31 − (S mod 31), where 31 is written as 0. The check value is itself a
//! character of the set (so it may be a letter).
//!
//! Only the standard's own check is applied here; the embedded 组织机构代码 check (GB 11714) is not
//! re-checked, because GB 32100 does not require it and some registries assign identifiers outside it.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// The code's character set in value order (index = value).
pub const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

const LEN: usize = 18;

/// The value of one code character, if it belongs to the set.
fn value_of(c: char) -> Option<u32> {
    CHARSET.chars().position(|x| x == c).and_then(|p| u32::try_from(p).ok())
}

/// Weight of the 1-based position `i` (1..=17): 3^(i−1) mod 31.
fn weight(i: usize) -> u32 {
    (1..i).fold(1, |w, _| (w * 3) % 31)
}

/// The check character for the first 17 characters, or None when one of them is outside the set.
pub fn check_char(first17: &str) -> Option<char> {
    let chars: Vec<char> = first17.chars().collect();
    if chars.len() != LEN - 1 {
        return None;
    }
    let mut sum = 0u32;
    for (i, c) in chars.iter().enumerate() {
        sum += value_of(*c)? * weight(i + 1);
    }
    let check = (31 - sum % 31) % 31;
    CHARSET.chars().nth(check as usize)
}

/// A 统一社会信用代码 whose format and check character are right.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc(String);

impl Uscc {
    /// Parse what a person typed: surrounding spaces are dropped and lower-case letters raised.
    /// A refusal says what is wrong (length, a character outside the set, the division code, or the
    /// check character, with the one expected).
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let code: String = s.trim().to_ascii_uppercase();
        let err = |msg: String| DomainError::invalid("uscc", msg).with_details([code.clone()]);
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != LEN {
            return Err(err(format!("统一社会信用代码“{code}”应为18位，实际为{}位", chars.len())));
        }
        if let Some((i, c)) = chars.iter().enumerate().find(|(_, c)| value_of(**c).is_none()) {
            return Err(err(format!(
                "统一社会信用代码“{code}”第{}位“{c}”不是有效字符（只用数字和除I、O、Z、S、V以外的大写字母）",
                i + 1
            )));
        }
        if !chars[2..8].iter().all(char::is_ascii_digit) {
            return Err(err(format!("统一社会信用代码“{code}”第3至8位应为行政区划代码（数字）")));
        }
        let first17: String = chars[..LEN - 1].iter().collect();
        let expected = check_char(&first17);
        if expected != Some(chars[LEN - 1]) {
            return Err(err(format!(
                "统一社会信用代码“{code}”校验位不正确，请核对（按前17位计算，第18位应为“{}”）",
                expected.map(String::from).unwrap_or_default()
            )));
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 登记管理机关行政区划码 (positions 3–8).
    pub fn division_code(&self) -> &str {
        &self.0[2..8]
    }

    /// 登记管理部门代码 (position 1): `9` for market regulation (enterprises, 个体工商户).
    pub fn registration_authority(&self) -> char {
        self.0.chars().next().unwrap_or('0')
    }
}

impl TryFrom<String> for Uscc {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Uscc> for String {
    fn from(c: Uscc) -> String {
        c.0
    }
}

impl std::fmt::Display for Uscc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes printed on real business licences and published in the national enterprise credit
    /// information system; each must pass the check as printed.
    const PUBLISHED: &[(&str, &str)] = &[
        ("91440300708461136T", "深圳市腾讯计算机系统有限公司"),
        ("91110108551385082Q", "小米科技有限责任公司"),
        ("914403001922038216", "华为技术有限公司"),
        ("91350100M000100Y43", "GB 32100 examples in common use (福州)"),
    ];

    #[test]
    fn weights_follow_powers_of_three_mod_31() {
        let w: Vec<u32> = (1..=17).map(weight).collect();
        assert_eq!(w, vec![1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]);
        assert_eq!(CHARSET.chars().count(), 31);
        for banned in ['I', 'O', 'Z', 'S', 'V'] {
            assert!(!CHARSET.contains(banned));
        }
    }

    #[test]
    fn published_codes_pass() {
        for (code, who) in PUBLISHED {
            let parsed = Uscc::parse(code).unwrap_or_else(|e| panic!("{who}: {e}"));
            assert_eq!(parsed.as_str(), *code);
        }
        assert_eq!(Uscc::parse("91440300708461136T").unwrap().division_code(), "440300");
        assert_eq!(Uscc::parse(" 91440300708461136t ").unwrap().as_str(), "91440300708461136T");
    }

    #[test]
    fn every_single_character_change_of_a_published_code_is_caught() {
        // The check is a weighted sum mod 31 with weights prime to 31, so changing any one character
        // to any other character of the set must change the check.
        for (code, _) in PUBLISHED {
            let chars: Vec<char> = code.chars().collect();
            for pos in 0..18 {
                for c in CHARSET.chars().filter(|&c| c != chars[pos]) {
                    let mut changed = chars.clone();
                    changed[pos] = c;
                    let s: String = changed.into_iter().collect();
                    assert!(Uscc::parse(&s).is_err(), "{s} should fail");
                }
            }
        }
    }

    #[test]
    fn refusals_say_what_is_wrong() {
        let cases: &[(&str, &str)] = &[
            ("9144030070846113", "应为18位"),
            ("91440300708461136TX", "应为18位"),
            ("9144030070846113IT", "第17位“I”不是有效字符"),
            ("91A40300708461136T", "第3至8位应为行政区划代码"),
            ("91440300708461136A", "第18位应为“T”"),
        ];
        for (input, expect) in cases {
            let e = Uscc::parse(input).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("uscc"));
            assert!(e.message.contains(expect), "{input}: {}", e.message);
        }
    }

    #[test]
    fn serde_refuses_a_bad_code() {
        let ok: Uscc = serde_json::from_str("\"914403001922038216\"").unwrap();
        assert_eq!(ok.to_string(), "914403001922038216");
        assert!(serde_json::from_str::<Uscc>("\"914403001922038217\"").is_err());
    }
}
