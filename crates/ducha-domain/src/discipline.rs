//! R6: a confidential channel for reports about the inspection team's own conduct (the notice asks
//! every unit to supervise the team's discipline under 《中央生态环境保护督察工作规定》). Such reports
//! are read only by the provincial office, never by the team they are about.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::handling::blank;
use crate::role::Role;

/// What the report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisciplineConcern {
    /// 接受宴请、礼品礼金或违规报销.
    Hospitality,
    /// 干预被督察地方正常工作或越权处理问题.
    Interference,
    /// 泄露举报人信息或督察工作秘密.
    Leak,
    /// 增加基层负担（迎来送往、层层陪同、过度留痕）.
    Burden,
    /// 不如实反映情况、弄虚作假.
    Misreporting,
    /// 其他违反督察纪律的行为.
    Other,
}

impl DisciplineConcern {
    pub fn label(self) -> &'static str {
        match self {
            DisciplineConcern::Hospitality => "接受宴请、礼品礼金或违规报销",
            DisciplineConcern::Interference => "干预被督察地方正常工作或越权处理问题",
            DisciplineConcern::Leak => "泄露举报人信息或督察工作秘密",
            DisciplineConcern::Burden => "增加基层负担（迎来送往、层层陪同、过度留痕）",
            DisciplineConcern::Misreporting => "不如实反映情况、弄虚作假",
            DisciplineConcern::Other => "其他违反督察纪律的行为",
        }
    }
}

/// The shortest account of facts accepted, in characters.
pub const MIN_FACTS_CHARS: usize = 10;

/// A report on the inspection team's conduct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisciplineReport {
    pub concern: DisciplineConcern,
    /// Who or which group the report is about (a team, a member, a post).
    pub about: String,
    pub facts: String,
    #[serde(default)]
    pub occurred_on: Option<NaiveDate>,
    #[serde(default)]
    pub place: String,
    /// How to reach the reporter; None for an anonymous report.
    #[serde(default)]
    pub contact: Option<String>,
    pub received_at: DateTime<Utc>,
}

impl DisciplineReport {
    /// Names what is missing or wrong; code `r6_incomplete_discipline_report`.
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut missing = Vec::new();
        if blank(&self.about) {
            missing.push("反映对象（督察组或人员）".to_owned());
        }
        if self.facts.trim().chars().count() < MIN_FACTS_CHARS {
            missing.push(format!("具体事实（至少{MIN_FACTS_CHARS}字）"));
        }
        if let Some(day) = self.occurred_on
            && day > crate::time::to_cst(self.received_at).date_naive()
        {
            missing.push("正确的发生日期（不能晚于提交日期）".to_owned());
        }
        if self.contact.as_deref().is_some_and(blank) {
            missing.push("联系方式（不愿留下可选择匿名）".to_owned());
        }
        if missing.is_empty() {
            return Ok(());
        }
        Err(DomainError::new(
            "r6_incomplete_discipline_report",
            format!("反映督察纪律问题，还需要：{}。", missing.join("；")),
        )
        .with_details(missing))
    }
}

/// Only the provincial office reads discipline reports.
pub fn may_read_discipline(role: Role) -> bool {
    role == Role::Provincial
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> DisciplineReport {
        DisciplineReport {
            concern: DisciplineConcern::Hospitality,
            about: "省第三督察组某工作人员".into(),
            facts: "11月28日晚在某酒店接受县里安排的宴请".into(),
            occurred_on: NaiveDate::from_ymd_opt(2019, 11, 28),
            place: "清丰县".into(),
            contact: None,
            received_at: crate::time::from_cst(
                NaiveDate::from_ymd_opt(2019, 11, 29).unwrap().and_hms_opt(9, 0, 0).unwrap(),
            ),
        }
    }

    #[test]
    fn r6_only_the_provincial_office_reads_discipline_reports() {
        let readers: Vec<Role> = Role::ALL.into_iter().filter(|r| may_read_discipline(*r)).collect();
        assert_eq!(readers, vec![Role::Provincial]);
        assert!(!may_read_discipline(Role::Team), "never the team the reports are about");
    }

    #[test]
    fn r6_discipline_report_validation_table() {
        type Case = (fn(&mut DisciplineReport), Option<&'static str>);
        let table: &[Case] = &[
            (|_| {}, None),
            (|r| r.contact = Some("13800000000".into()), None),
            (|r| r.about = " ".into(), Some("反映对象")),
            (|r| r.facts = "吃饭".into(), Some("具体事实")),
            (|r| r.occurred_on = NaiveDate::from_ymd_opt(2019, 11, 30), Some("发生日期")),
            (|r| r.contact = Some(" ".into()), Some("匿名")),
        ];
        for (mutate, missing) in table {
            let mut r = report();
            mutate(&mut r);
            match (r.validate(), missing) {
                (Ok(()), None) => {}
                (Err(e), Some(w)) => {
                    assert_eq!(e.code, "r6_incomplete_discipline_report");
                    assert!(e.message.contains(w), "{w}: {}", e.message);
                }
                (got, want) => panic!("{got:?} vs {want:?}"),
            }
        }
        assert!(DisciplineConcern::Other.label().contains("督察纪律"));
    }
}
