//! Roles. What a user may see is bounded by their unit's place in the chain; what they may do is
//! bounded by their role and by the workflow (see [`crate::workflow`]).

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::unit::UnitLevel;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 热线接线员: takes calls, letters and web reports; may read the complainant's identity.
    Operator,
    /// 督察组工作人员: batches and assigns; may read the complainant's identity.
    Team,
    /// 市/县（区）办工作人员: dispatches, reviews reports, verifies.
    Office,
    /// 乡镇（街道）/ 部门经办人: investigates, rectifies, reports.
    Handler,
    /// 舆情专员: the opinion desk of a county or of the city.
    Opinion,
    /// 省督察办: receives confidential reports on the team's own discipline (R6).
    Provincial,
    /// 系统管理员: users and configuration; no case content beyond what their unit sees.
    Admin,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Operator,
        Role::Team,
        Role::Office,
        Role::Handler,
        Role::Opinion,
        Role::Provincial,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Team => "team",
            Role::Office => "office",
            Role::Handler => "handler",
            Role::Opinion => "opinion",
            Role::Provincial => "provincial",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| DomainError::invalid("role", format!("未知的角色“{s}”")))
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Operator => "热线接线员",
            Role::Team => "督察组工作人员",
            Role::Office => "办公室工作人员",
            Role::Handler => "经办人",
            Role::Opinion => "舆情专员",
            Role::Provincial => "省督察办",
            Role::Admin => "系统管理员",
        }
    }

    /// Only the roles that take and follow up complaints may read who complained (each read is
    /// audited by the app layer).
    pub fn may_read_identity(self) -> bool {
        matches!(self, Role::Operator | Role::Team)
    }

    /// Which unit levels a user of this role may belong to.
    pub fn allowed_levels(self) -> &'static [UnitLevel] {
        match self {
            Role::Operator | Role::Team | Role::Provincial => &[UnitLevel::Team],
            Role::Office => &[UnitLevel::City, UnitLevel::County],
            Role::Handler => &[UnitLevel::Township, UnitLevel::Department],
            Role::Opinion => &[UnitLevel::City, UnitLevel::County],
            Role::Admin => &[UnitLevel::Team, UnitLevel::City],
        }
    }

    /// A role/unit pairing that makes sense, or a clear refusal.
    pub fn check_level(self, level: UnitLevel) -> Result<(), DomainError> {
        if self.allowed_levels().contains(&level) {
            Ok(())
        } else {
            let allowed: Vec<&str> = self.allowed_levels().iter().map(|l| l.label()).collect();
            Err(DomainError::invalid(
                "role",
                format!("角色“{}”只能设在{}，不能设在{}", self.label(), allowed.join("、"), level.label()),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_intake_and_team_read_identity() {
        let readers: Vec<Role> = Role::ALL.into_iter().filter(|r| r.may_read_identity()).collect();
        assert_eq!(readers, vec![Role::Operator, Role::Team]);
    }

    #[test]
    fn role_levels() {
        assert!(Role::Handler.check_level(UnitLevel::Township).is_ok());
        let e = Role::Handler.check_level(UnitLevel::City).unwrap_err();
        assert!(e.message.contains("经办人"));
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()).ok(), Some(r));
        }
    }
}
