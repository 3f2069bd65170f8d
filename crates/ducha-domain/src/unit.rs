//! Units form the chain: inspection team → city office → county/zone offices → townships/streets and
//! departments.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Where a unit sits in the chain. Order matters: a lower level has a larger rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    /// 督察组 (and the provincial office behind it).
    Team,
    /// 市污染防治攻坚战领导小组办公室.
    City,
    /// 县（区）/ 开发区 / 工业园区 / 示范区 office.
    County,
    /// 乡镇（街道）.
    Township,
    /// 有关部门 (ecology bureau branch, housing & construction …), handling beside townships.
    Department,
}

impl UnitLevel {
    pub const ALL: [UnitLevel; 5] =
        [UnitLevel::Team, UnitLevel::City, UnitLevel::County, UnitLevel::Township, UnitLevel::Department];

    pub fn code(self) -> &'static str {
        match self {
            UnitLevel::Team => "team",
            UnitLevel::City => "city",
            UnitLevel::County => "county",
            UnitLevel::Township => "township",
            UnitLevel::Department => "department",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|l| l.code() == s)
            .ok_or_else(|| DomainError::invalid("level", format!("未知的单位层级“{s}”")))
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitLevel::Team => "督察组",
            UnitLevel::City => "市级",
            UnitLevel::County => "县（区）级",
            UnitLevel::Township => "乡镇（街道）",
            UnitLevel::Department => "有关部门",
        }
    }

    /// The handling level: townships/streets and departments do the investigation and rectification.
    pub fn is_handling(self) -> bool {
        matches!(self, UnitLevel::Township | UnitLevel::Department)
    }

    /// Position in the chain for "one level up"; townships and departments are at the same depth.
    pub fn depth(self) -> u8 {
        match self {
            UnitLevel::Team => 0,
            UnitLevel::City => 1,
            UnitLevel::County => 2,
            UnitLevel::Township | UnitLevel::Department => 3,
        }
    }

    /// The level a unit of this level dispatches to, if any.
    pub fn dispatches_to(self) -> Option<&'static [UnitLevel]> {
        match self {
            UnitLevel::Team => Some(&[UnitLevel::City]),
            UnitLevel::City => Some(&[UnitLevel::County]),
            UnitLevel::County => Some(&[UnitLevel::Township, UnitLevel::Department]),
            UnitLevel::Township | UnitLevel::Department => None,
        }
    }
}

/// Read from storage (`#[sqlx(try_from = "String")]` on row types).
impl TryFrom<String> for UnitLevel {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, DomainError> {
        UnitLevel::parse(&s)
    }
}

impl std::fmt::Display for UnitLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// What a department does, for routing by problem type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepartmentKind {
    /// 生态环境分局.
    Ecology,
    /// 住房和城乡建设局.
    Housing,
    /// 城市管理局.
    UrbanManagement,
    /// 自然资源局.
    NaturalResources,
    /// 农业农村局.
    Agriculture,
    /// 交通运输局.
    Transport,
    /// 水利局.
    WaterResources,
    /// 公安交警 etc.
    Other,
}

impl DepartmentKind {
    pub const ALL: [DepartmentKind; 8] = [
        DepartmentKind::Ecology,
        DepartmentKind::Housing,
        DepartmentKind::UrbanManagement,
        DepartmentKind::NaturalResources,
        DepartmentKind::Agriculture,
        DepartmentKind::Transport,
        DepartmentKind::WaterResources,
        DepartmentKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DepartmentKind::Ecology => "ecology",
            DepartmentKind::Housing => "housing",
            DepartmentKind::UrbanManagement => "urban_management",
            DepartmentKind::NaturalResources => "natural_resources",
            DepartmentKind::Agriculture => "agriculture",
            DepartmentKind::Transport => "transport",
            DepartmentKind::WaterResources => "water_resources",
            DepartmentKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// The usual name of the county-level bureau.
    pub fn bureau_name(self) -> &'static str {
        match self {
            DepartmentKind::Ecology => "生态环境分局",
            DepartmentKind::Housing => "住房和城乡建设局",
            DepartmentKind::UrbanManagement => "城市管理局",
            DepartmentKind::NaturalResources => "自然资源局",
            DepartmentKind::Agriculture => "农业农村局",
            DepartmentKind::Transport => "交通运输局",
            DepartmentKind::WaterResources => "水利局",
            DepartmentKind::Other => "其他部门",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_and_order() {
        for l in UnitLevel::ALL {
            assert_eq!(UnitLevel::parse(l.code()).ok(), Some(l));
        }
        assert!(UnitLevel::parse("village").is_err());
        assert!(UnitLevel::City.depth() < UnitLevel::County.depth());
        assert_eq!(UnitLevel::Township.depth(), UnitLevel::Department.depth());
        assert!(UnitLevel::Department.is_handling());
        assert!(!UnitLevel::County.is_handling());
    }
}
