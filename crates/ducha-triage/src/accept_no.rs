//! 受理编号 (accept numbers): channel letter + round + province letters + YYYYMMDD + 4-digit serial,
//! e.g. `D3HA202312150062` (phone, round 3, 河南, 2023-12-15, serial 62).
//!
//! Uniqueness under concurrent intake is the store's job (a counter row per campaign, channel and day);
//! this module formats, parses and validates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::TriageError;

/// How a complaint came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 来电 (D).
    #[serde(alias = "D", alias = "电话", alias = "来电")]
    Phone,
    /// 来信 (X).
    #[serde(alias = "X", alias = "来信", alias = "信件")]
    Letter,
    /// 网络 (W).
    #[serde(alias = "W", alias = "网络", alias = "网上")]
    Web,
}

impl Channel {
    pub fn letter(self) -> char {
        match self {
            Channel::Phone => 'D',
            Channel::Letter => 'X',
            Channel::Web => 'W',
        }
    }

    pub fn from_letter(c: char) -> Option<Channel> {
        match c.to_ascii_uppercase() {
            'D' => Some(Channel::Phone),
            'X' => Some(Channel::Letter),
            'W' => Some(Channel::Web),
            _ => None,
        }
    }

    /// Chinese label: 来电 / 来信 / 网络.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Phone => "来电",
            Channel::Letter => "来信",
            Channel::Web => "网络",
        }
    }
}

/// GB/T 2260 alphabetic province codes by 2-digit NBS province code.
const PROVINCE_LETTERS: &[(&str, &str)] = &[
    ("11", "BJ"),
    ("12", "TJ"),
    ("13", "HE"),
    ("14", "SX"),
    ("15", "NM"),
    ("21", "LN"),
    ("22", "JL"),
    ("23", "HL"),
    ("31", "SH"),
    ("32", "JS"),
    ("33", "ZJ"),
    ("34", "AH"),
    ("35", "FJ"),
    ("36", "JX"),
    ("37", "SD"),
    ("41", "HA"),
    ("42", "HB"),
    ("43", "HN"),
    ("44", "GD"),
    ("45", "GX"),
    ("46", "HI"),
    ("50", "CQ"),
    ("51", "SC"),
    ("52", "GZ"),
    ("53", "YN"),
    ("54", "XZ"),
    ("61", "SN"),
    ("62", "GS"),
    ("63", "QH"),
    ("64", "NX"),
    ("65", "XJ"),
    ("71", "TW"),
    ("81", "HK"),
    ("82", "MO"),
];

/// The two province letters for an NBS code starting with the province (`"41"`, `"410928"` → `HA`).
pub fn province_letters(code: &str) -> Option<&'static str> {
    let p = code.get(..2)?;
    PROVINCE_LETTERS.iter().find(|(c, _)| *c == p).map(|(_, l)| *l)
}

/// A parsed, valid accept number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AcceptNo {
    pub channel: Channel,
    /// Inspection round (1–99).
    pub round: u32,
    /// Two upper-case province letters (`HA`).
    pub province: String,
    pub date: NaiveDate,
    /// Daily serial, 1–9999.
    pub serial: u32,
}

fn bad(msg: impl Into<String>) -> TriageError {
    TriageError::new("bad_accept_no", msg)
}

impl AcceptNo {
    /// Builds a validated accept number.
    pub fn new(
        channel: Channel,
        round: u32,
        province_letters: &str,
        date: NaiveDate,
        serial: u32,
    ) -> Result<AcceptNo, TriageError> {
        if !(1..=99).contains(&round) {
            return Err(bad(format!("督察轮次{round}无效：应为1至99")));
        }
        if province_letters.len() != 2 || !province_letters.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(bad(format!("省份字母“{province_letters}”无效：应为两个大写字母，如 HA")));
        }
        if !PROVINCE_LETTERS.iter().any(|(_, l)| *l == province_letters) {
            return Err(bad(format!("省份字母“{province_letters}”不是GB/T 2260省级字母代码")));
        }
        if !(1..=9999).contains(&serial) {
            return Err(bad(format!("流水号{serial}无效：应为1至9999")));
        }
        Ok(AcceptNo { channel, round, province: province_letters.to_owned(), date, serial })
    }

    /// Formats an accept number, e.g. `D3HA202312150062`.
    pub fn format(
        channel: Channel,
        round: u32,
        province_letters: &str,
        date: NaiveDate,
        serial: u32,
    ) -> Result<String, TriageError> {
        Ok(AcceptNo::new(channel, round, province_letters, date, serial)?.to_string())
    }

    /// Parses and validates an accept number.
    pub fn parse(s: &str) -> Result<AcceptNo, TriageError> {
        let s = s.trim();
        let mut chars = s.chars();
        let channel = chars
            .next()
            .and_then(Channel::from_letter)
            .ok_or_else(|| bad(format!("受理编号“{s}”应以 D、X 或 W 开头")))?;
        let rest = chars.as_str();
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 2 {
            return Err(bad(format!("受理编号“{s}”缺少督察轮次")));
        }
        let round: u32 = rest[..digits].parse().map_err(|_| bad(format!("受理编号“{s}”轮次无效")))?;
        let rest = &rest[digits..];
        if rest.len() != 2 + 8 + 4 || !rest.is_ascii() {
            return Err(bad(format!("受理编号“{s}”长度不对：应为 字母+轮次+省份字母+8位日期+4位流水号")));
        }
        let (prov, rest) = rest.split_at(2);
        let (date, serial) = rest.split_at(8);
        if !date.bytes().all(|b| b.is_ascii_digit()) || !serial.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(format!("受理编号“{s}”的日期或流水号不是数字")));
        }
        let date = NaiveDate::parse_from_str(date, "%Y%m%d")
            .map_err(|_| bad(format!("受理编号“{s}”的日期{date}不存在")))?;
        let serial: u32 = serial.parse().map_err(|_| bad(format!("受理编号“{s}”流水号无效")))?;
        AcceptNo::new(channel, round, prov, date, serial)
    }
}

impl std::fmt::Display for AcceptNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}{}{}{}{:04}",
            self.channel.letter(),
            self.round,
            self.province,
            self.date.format("%Y%m%d"),
            self.serial
        )
    }
}

impl TryFrom<String> for AcceptNo {
    type Error = TriageError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        AcceptNo::parse(&s)
    }
}

impl From<AcceptNo> for String {
    fn from(a: AcceptNo) -> String {
        a.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn formats_the_published_example() {
        assert_eq!(
            AcceptNo::format(Channel::Phone, 3, "HA", d(2023, 12, 15), 62).unwrap(),
            "D3HA202312150062"
        );
        assert_eq!(AcceptNo::format(Channel::Letter, 2, "SD", d(2021, 4, 9), 1).unwrap(), "X2SD202104090001");
        assert_eq!(
            AcceptNo::format(Channel::Web, 12, "HE", d(2024, 1, 31), 9999).unwrap(),
            "W12HE202401319999"
        );
    }

    #[test]
    fn parse_round_trips() {
        for s in ["D3HA202312150062", "X2SD202104090001", "W12HE202401319999"] {
            let a = AcceptNo::parse(s).unwrap();
            assert_eq!(a.to_string(), s);
        }
        let a = AcceptNo::parse("D3HA202312150062").unwrap();
        assert_eq!(
            (a.channel, a.round, a.province.as_str(), a.date, a.serial),
            (Channel::Phone, 3, "HA", d(2023, 12, 15), 62)
        );
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, "\"D3HA202312150062\"");
        assert_eq!(serde_json::from_str::<AcceptNo>(&json).unwrap(), a);
    }

    #[test]
    fn rejects_malformed_numbers() {
        for s in [
            "",
            "Q3HA202312150062",  // unknown channel
            "DHA202312150062",   // no round
            "D3HA20231215006",   // short serial
            "D3HA2023121500620", // long
            "D3ZZ202312150062",  // not a province
            "D3ha202312150062",  // lower case
            "D3HA202302300062",  // 30 Feb
            "D3HA202312150000",  // serial 0
            "D123HA202312150062",
            "D3HA2023121５0062",
        ] {
            let e = AcceptNo::parse(s).unwrap_err();
            assert_eq!(e.code, "bad_accept_no", "{s}");
        }
        assert!(AcceptNo::format(Channel::Phone, 0, "HA", d(2023, 12, 15), 1).is_err());
        assert!(AcceptNo::format(Channel::Phone, 1, "HA", d(2023, 12, 15), 10000).is_err());
    }

    #[test]
    fn province_letters_by_code() {
        assert_eq!(province_letters("410928"), Some("HA"));
        assert_eq!(province_letters("37"), Some("SD"));
        assert_eq!(province_letters("13"), Some("HE"));
        assert_eq!(province_letters("99"), None);
        assert_eq!(province_letters("4"), None);
    }

    #[test]
    fn channel_serde_accepts_letters_and_words() {
        for (j, c) in [
            ("\"phone\"", Channel::Phone),
            ("\"D\"", Channel::Phone),
            ("\"letter\"", Channel::Letter),
            ("\"W\"", Channel::Web),
        ] {
            assert_eq!(serde_json::from_str::<Channel>(j).unwrap(), c);
        }
        assert!(serde_json::from_str::<Channel>("\"fax\"").is_err());
    }
}
