//! Administrative regions (GB/T 2260 / NBS statistical division codes) and functional zones.

use serde::{Deserialize, Serialize};

use crate::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    County,
    Township,
    Village,
}

impl RegionLevel {
    pub fn code(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::City => "city",
            RegionLevel::County => "county",
            RegionLevel::Township => "township",
            RegionLevel::Village => "village",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        [Self::Province, Self::City, Self::County, Self::Township, Self::Village]
            .into_iter()
            .find(|l| l.code() == s)
            .ok_or_else(|| DomainError::invalid("region_level", format!("未知的区划层级“{s}”")))
    }

    /// NBS code length at this level.
    pub fn code_len(self) -> usize {
        match self {
            RegionLevel::Province => 2,
            RegionLevel::City => 4,
            RegionLevel::County => 6,
            RegionLevel::Township => 9,
            RegionLevel::Village => 12,
        }
    }

    pub fn from_code_len(len: usize) -> Option<Self> {
        match len {
            2 => Some(RegionLevel::Province),
            4 => Some(RegionLevel::City),
            6 => Some(RegionLevel::County),
            9 => Some(RegionLevel::Township),
            12 => Some(RegionLevel::Village),
            _ => None,
        }
    }
}

/// Read from storage (`#[sqlx(try_from = "String")]` on row types).
impl TryFrom<String> for RegionLevel {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, DomainError> {
        RegionLevel::parse(&s)
    }
}

/// A validated division code: all ASCII digits, of a length NBS uses.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if !s.bytes().all(|b| b.is_ascii_digit()) || RegionLevel::from_code_len(s.len()).is_none() {
            return Err(DomainError::invalid(
                "region_code",
                format!("区划代码“{s}”无效：应为2、4、6、9或12位数字"),
            ));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        RegionLevel::from_code_len(self.0.len()).unwrap_or(RegionLevel::Village)
    }

    /// The enclosing region's code (None for a province).
    pub fn parent(&self) -> Option<RegionCode> {
        let len = match self.level() {
            RegionLevel::Province => return None,
            RegionLevel::City => 2,
            RegionLevel::County => 4,
            RegionLevel::Township => 6,
            RegionLevel::Village => 9,
        };
        Some(RegionCode(self.0[..len].to_owned()))
    }

    /// Whether `self` lies within `other` by code prefix.
    pub fn within(&self, other: &RegionCode) -> bool {
        self.0.starts_with(&other.0)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(c: RegionCode) -> String {
        c.0
    }
}

impl std::fmt::Display for RegionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        let v = RegionCode::parse("410928101203").expect("village");
        assert_eq!(v.level(), RegionLevel::Village);
        assert_eq!(v.parent().map(|p| p.0), Some("410928101".into()));
        let c = RegionCode::parse("410928").expect("county");
        assert!(v.within(&c));
        assert!(RegionCode::parse("41092").is_err());
        assert!(RegionCode::parse("41a928").is_err());
        assert!(RegionCode::parse("").is_err());
    }
}
