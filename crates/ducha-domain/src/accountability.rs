//! R4 accountability (问责): strict, precise, effective — never a substitute for rectification (R4.2
//! lives in [`crate::closure::check_not_accountability_alone`]), never arbitrary, and with the
//! notice's fault-tolerance (容错) mechanism.
//!
//! - R4.1 [`AccountabilityRecord::validate`]: person, level, unit, kind, basis and linked case(s);
//! - R4.3 [`FaultTolerance::validate`]: one of the notice's two grounds, a written statement, and an
//!   approver who is neither the person exempted nor of their unit;
//! - R4.4 [`check_linked_findings`]: every linked case has a 属实/部分属实 finding;
//! - R2.4 disclosure: [`AccountabilitySummary::public_view`] gives counts by level and kind always,
//!   and names only for records marked typical — the public type cannot hold any other name.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::handling::{Finding, blank, same_name};

/// 职级 of the person held to account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonLevel {
    /// 厅局级.
    Bureau,
    /// 县处级.
    Division,
    /// 乡科级.
    Section,
    /// 一般干部.
    Staff,
    /// 其他 (e.g. village cadres, enterprise staff of state firms).
    Other,
}

impl PersonLevel {
    pub const ALL: [PersonLevel; 5] = [
        PersonLevel::Bureau,
        PersonLevel::Division,
        PersonLevel::Section,
        PersonLevel::Staff,
        PersonLevel::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PersonLevel::Bureau => "bureau",
            PersonLevel::Division => "division",
            PersonLevel::Section => "section",
            PersonLevel::Staff => "staff",
            PersonLevel::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PersonLevel::Bureau => "厅局级",
            PersonLevel::Division => "县处级",
            PersonLevel::Section => "乡科级",
            PersonLevel::Staff => "一般干部",
            PersonLevel::Other => "其他人员",
        }
    }
}

/// 问责方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountabilityKind {
    /// 诫勉谈话.
    Admonishment,
    /// 通报批评.
    CircularCriticism,
    /// 党纪处分.
    PartyDiscipline,
    /// 政务处分.
    GovernmentSanction,
    /// 组织处理.
    OrganizationalHandling,
    /// 责令检查.
    OrderedSelfExamination,
    /// 批评教育.
    CriticalEducation,
    /// 其他.
    Other,
}

impl AccountabilityKind {
    pub const ALL: [AccountabilityKind; 8] = [
        AccountabilityKind::Admonishment,
        AccountabilityKind::CircularCriticism,
        AccountabilityKind::PartyDiscipline,
        AccountabilityKind::GovernmentSanction,
        AccountabilityKind::OrganizationalHandling,
        AccountabilityKind::OrderedSelfExamination,
        AccountabilityKind::CriticalEducation,
        AccountabilityKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AccountabilityKind::Admonishment => "admonishment",
            AccountabilityKind::CircularCriticism => "circular_criticism",
            AccountabilityKind::PartyDiscipline => "party_discipline",
            AccountabilityKind::GovernmentSanction => "government_sanction",
            AccountabilityKind::OrganizationalHandling => "organizational_handling",
            AccountabilityKind::OrderedSelfExamination => "ordered_self_examination",
            AccountabilityKind::CriticalEducation => "critical_education",
            AccountabilityKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AccountabilityKind::Admonishment => "诫勉谈话",
            AccountabilityKind::CircularCriticism => "通报批评",
            AccountabilityKind::PartyDiscipline => "党纪处分",
            AccountabilityKind::GovernmentSanction => "政务处分",
            AccountabilityKind::OrganizationalHandling => "组织处理",
            AccountabilityKind::OrderedSelfExamination => "责令检查",
            AccountabilityKind::CriticalEducation => "批评教育",
            AccountabilityKind::Other => "其他",
        }
    }
}

/// One person held to account (R4.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountabilityRecord {
    pub person_name: String,
    /// 职务, e.g. `副镇长`.
    #[serde(default)]
    pub position: String,
    pub person_level: PersonLevel,
    /// The person's unit, e.g. `清丰县韩村镇人民政府`.
    pub unit: String,
    pub kind: AccountabilityKind,
    /// The specific form, e.g. `党内警告`, `政务记过`; required for 其他.
    #[serde(default)]
    pub kind_detail: String,
    /// 问责依据: the failing and the rule it breaks.
    pub basis: String,
    /// The case(s) the accountability arises from.
    pub case_ids: Vec<String>,
    /// Marked as a typical case of inaction/misconduct: disclosed with the name.
    #[serde(default)]
    pub typical: bool,
}

fn refuse(code: &'static str, lead: &str, missing: Vec<String>) -> Result<(), DomainError> {
    if missing.is_empty() {
        return Ok(());
    }
    Err(DomainError::new(code, format!("{lead}还缺少：{}。", missing.join("；"))).with_details(missing))
}

impl AccountabilityRecord {
    /// R4.1: every field a record needs, all missing ones listed (code `r4_1_incomplete_record`).
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut missing = Vec::new();
        if blank(&self.person_name) {
            missing.push("被问责人姓名".to_owned());
        }
        if blank(&self.unit) {
            missing.push("被问责人所在单位".to_owned());
        }
        if self.kind == AccountabilityKind::Other && blank(&self.kind_detail) {
            missing.push("具体问责方式（问责方式为“其他”）".to_owned());
        }
        if blank(&self.basis) {
            missing.push("问责依据".to_owned());
        }
        if self.case_ids.iter().all(|c| blank(c)) {
            missing.push("关联案件".to_owned());
        }
        refuse("r4_1_incomplete_record", "问责记录不完整，", missing)
    }

    /// `给予党纪处分（党内警告）`-style wording of the kind.
    fn kind_text(&self) -> String {
        // The detail is free text: it passes the identity firewall like every public string.
        let detail = ducha_shield::Shield::none().screen(self.kind_detail.trim());
        if blank(&self.kind_detail) {
            self.kind.label().to_owned()
        } else if self.kind == AccountabilityKind::Other {
            detail.into_string()
        } else {
            format!("{}（{}）", self.kind.label(), detail)
        }
    }
}

/// R4.4: no accountability without a linked case that has a 属实/部分属实 finding. Every linked case
/// must have one; `finding_of` answers for a case id (None: unknown or not yet investigated). Code
/// `r4_4_accountability_without_finding`.
pub fn check_linked_findings(
    record: &AccountabilityRecord,
    finding_of: &dyn Fn(&str) -> Option<Finding>,
) -> Result<(), DomainError> {
    let mut missing = Vec::new();
    let ids: Vec<&str> = record.case_ids.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    if ids.is_empty() {
        missing.push("关联案件（问责须有调查认定属实或部分属实的案件）".to_owned());
    }
    for id in ids {
        match finding_of(id) {
            Some(f) if f.is_substantiated() => {}
            Some(f) => missing.push(format!("案件{id}调查结论为{}，不能据此问责", f.label())),
            None => missing.push(format!("案件{id}尚无调查结论")),
        }
    }
    refuse(
        "r4_4_accountability_without_finding",
        "问责须以调查认定的事实为依据，防止乱问责、滥问责。",
        missing,
    )
}

/// The notice's two grounds for fault tolerance (容错).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultToleranceGround {
    /// 勇于探索、敢于创新 …
    ExploredAndInnovated,
    /// 自我加压、严格工作目标要求 …
    SelfImposedHighTargets,
}

impl FaultToleranceGround {
    pub const ALL: [FaultToleranceGround; 2] =
        [FaultToleranceGround::ExploredAndInnovated, FaultToleranceGround::SelfImposedHighTargets];

    pub fn code(self) -> &'static str {
        match self {
            FaultToleranceGround::ExploredAndInnovated => "explored_and_innovated",
            FaultToleranceGround::SelfImposedHighTargets => "self_imposed_high_targets",
        }
    }

    /// The ground as the notice words it (part 三).
    pub fn quote(self) -> &'static str {
        match self {
            FaultToleranceGround::ExploredAndInnovated => {
                "在生态环境保护工作中勇于探索、敢于创新，担当尽责且成效明显，但因客观原因没有达到预期目标"
            }
            FaultToleranceGround::SelfImposedHighTargets => {
                "自我加压、严格工作目标要求且正确履行职责，但因历史原因或难以预见因素，导致未完成工作任务或未达到预期效果"
            }
        }
    }
}

/// The shortest written statement accepted for a 容错 exemption, in characters.
pub const MIN_STATEMENT_CHARS: usize = 20;

/// A 容错 exemption (R4.3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaultTolerance {
    pub person_name: String,
    pub unit: String,
    pub case_ids: Vec<String>,
    /// One of the notice's two grounds.
    pub ground: Option<FaultToleranceGround>,
    /// The written statement: what was done, and why the target was missed.
    pub statement: String,
    pub approver_name: String,
    pub approver_unit: String,
    pub approved_at: Option<DateTime<Utc>>,
}

impl FaultTolerance {
    /// R4.3: a ground, a statement of at least [`MIN_STATEMENT_CHARS`] characters, and an approver
    /// (name, unit, time) who is not the exempted person and not of the exempted person's unit.
    /// Code `r4_3_fault_tolerance_incomplete`.
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut missing = Vec::new();
        if blank(&self.person_name) || blank(&self.unit) {
            missing.push("容错对象的姓名及单位".to_owned());
        }
        if self.case_ids.iter().all(|c| blank(c)) {
            missing.push("关联案件".to_owned());
        }
        if self.ground.is_none() {
            missing.push(format!(
                "容错情形（须为通知列明的两种情形之一：{}的；或{}的）",
                FaultToleranceGround::ExploredAndInnovated.quote(),
                FaultToleranceGround::SelfImposedHighTargets.quote()
            ));
        }
        if self.statement.trim().chars().count() < MIN_STATEMENT_CHARS {
            missing.push(format!("书面情况说明（至少{MIN_STATEMENT_CHARS}字）"));
        }
        if blank(&self.approver_name) || blank(&self.approver_unit) || self.approved_at.is_none() {
            missing.push("审批人、审批单位及审批时间".to_owned());
        }
        if same_name(&self.approver_name, &self.person_name) {
            missing.push("由本人以外的人员审批（审批人不能是容错对象本人）".to_owned());
        }
        if same_name(&self.approver_unit, &self.unit) {
            missing.push("由容错对象所在单位以外的单位审批".to_owned());
        }
        refuse("r4_3_fault_tolerance_incomplete", "容错免责申请不能通过，", missing)
    }
}

// ---------------------------------------------------------------------------------------------
// Disclosure (R2.4)

/// A count by one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count<K> {
    pub key: K,
    pub label: &'static str,
    pub count: usize,
}

/// All accountability records of a scope (a batch, a county, a campaign), for staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountabilitySummary {
    records: Vec<AccountabilityRecord>,
}

/// A typical case as disclosed, with the name. Built only from records marked typical: its fields are
/// private and it has no other constructor, so a public view cannot carry another name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypicalCase {
    person_name: String,
    position: String,
    person_level: PersonLevel,
    unit: String,
    kind: AccountabilityKind,
    text: String,
    case_ids: Vec<String>,
}

impl TypicalCase {
    /// Some only for a record marked typical.
    fn from_record(r: &AccountabilityRecord) -> Option<Self> {
        r.typical.then(|| TypicalCase {
            person_name: r.person_name.trim().to_owned(),
            position: r.position.trim().to_owned(),
            person_level: r.person_level,
            unit: r.unit.trim().to_owned(),
            kind: r.kind,
            text: format!(
                "对{}{}{}给予{}",
                r.unit.trim(),
                r.position.trim(),
                r.person_name.trim(),
                r.kind_text()
            ),
            case_ids: r.case_ids.clone(),
        })
    }

    pub fn person_name(&self) -> &str {
        &self.person_name
    }

    pub fn unit(&self) -> &str {
        &self.unit
    }

    pub fn kind(&self) -> AccountabilityKind {
        self.kind
    }

    pub fn person_level(&self) -> PersonLevel {
        self.person_level
    }

    pub fn position(&self) -> &str {
        &self.position
    }

    pub fn case_ids(&self) -> &[String] {
        &self.case_ids
    }

    /// `对清丰县韩村镇人民政府副镇长张三给予诫勉谈话`.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// What the public sees: counts by level and kind, and the typical cases with names.
///
/// `people` counts distinct persons (same name and unit = one person) and `by_level` counts persons
/// by the level on their first record; `by_kind` counts records (人次), since one person may receive
/// two kinds (e.g. 党纪处分 and 组织处理). Every level and kind appears, with zero counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicAccountability {
    pub people: usize,
    pub records: usize,
    pub by_level: Vec<Count<PersonLevel>>,
    pub by_kind: Vec<Count<AccountabilityKind>>,
    pub typical: Vec<TypicalCase>,
}

impl AccountabilitySummary {
    pub fn new(records: impl IntoIterator<Item = AccountabilityRecord>) -> Self {
        Self { records: records.into_iter().collect() }
    }

    pub fn records(&self) -> &[AccountabilityRecord] {
        &self.records
    }

    /// The public view (R2.4).
    pub fn public_view(&self) -> PublicAccountability {
        let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
        let mut level_of_person = Vec::new();
        for r in &self.records {
            let who = (compact(&r.person_name), compact(&r.unit));
            if seen.insert(who) {
                level_of_person.push(r.person_level);
            }
        }
        let by_level = PersonLevel::ALL
            .into_iter()
            .map(|l| Count {
                key: l,
                label: l.label(),
                count: level_of_person.iter().filter(|x| **x == l).count(),
            })
            .collect();
        let by_kind = AccountabilityKind::ALL
            .into_iter()
            .map(|k| Count {
                key: k,
                label: k.label(),
                count: self.records.iter().filter(|r| r.kind == k).count(),
            })
            .collect();
        PublicAccountability {
            people: level_of_person.len(),
            records: self.records.len(),
            by_level,
            by_kind,
            typical: self.records.iter().filter_map(TypicalCase::from_record).collect(),
        }
    }
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

impl PublicAccountability {
    /// `问责5人（县处级1人、乡科级2人、一般干部2人），其中诫勉谈话2人次、通报批评2人次、政务处分1人次。`
    /// plus the typical cases; `暂无问责情况。` when there are none.
    pub fn text(&self) -> String {
        if self.people == 0 {
            return "暂无问责情况。".to_owned();
        }
        let levels: Vec<String> = self
            .by_level
            .iter()
            .filter(|c| c.count > 0)
            .map(|c| format!("{}{}人", c.label, c.count))
            .collect();
        let kinds: Vec<String> = self
            .by_kind
            .iter()
            .filter(|c| c.count > 0)
            .map(|c| format!("{}{}人次", c.label, c.count))
            .collect();
        let mut s = format!("问责{}人（{}），其中{}。", self.people, levels.join("、"), kinds.join("、"));
        if !self.typical.is_empty() {
            let t: Vec<&str> = self.typical.iter().map(TypicalCase::text).collect();
            s.push_str(&format!("典型问责案例：{}。", t.join("；")));
        }
        s
    }

    /// The 责任人被处理情况 cell of one case: typical records by name, the others as counts; `无`
    /// when the case has none.
    pub fn cell(&self) -> String {
        if self.records == 0 {
            return "无".to_owned();
        }
        let named: Vec<&str> = self.typical.iter().map(TypicalCase::text).collect();
        let unnamed = self.records - self.typical.len();
        let mut parts: Vec<String> = named.into_iter().map(String::from).collect();
        if unnamed > 0 {
            let mut kinds = self.by_kind.iter().map(|c| (c.key, c.count)).collect::<Vec<_>>();
            for t in &self.typical {
                if let Some(k) = kinds.iter_mut().find(|(k, _)| *k == t.kind) {
                    k.1 -= 1;
                }
            }
            let kinds: Vec<String> = kinds
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| format!("{}{}人次", k.label(), n))
                .collect();
            let prefix = if parts.is_empty() { "" } else { "另" };
            parts.push(format!("{prefix}{}", kinds.join("、")));
        }
        parts.join("；")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn record(name: &str, typical: bool) -> AccountabilityRecord {
        AccountabilityRecord {
            person_name: name.into(),
            position: "副镇长".into(),
            person_level: PersonLevel::Section,
            unit: "清丰县韩村镇人民政府".into(),
            kind: AccountabilityKind::Admonishment,
            kind_detail: String::new(),
            basis: "对辖区家具厂露天喷漆问题监管不力".into(),
            case_ids: vec!["D3HA201911250011".into()],
            typical,
        }
    }

    #[test]
    fn r4_1_record_validation_table() {
        type Case = (fn(&mut AccountabilityRecord), Option<&'static str>);
        let table: &[Case] = &[
            (|_| {}, None),
            (|r| r.person_name = " ".into(), Some("被问责人姓名")),
            (|r| r.unit.clear(), Some("所在单位")),
            (|r| r.basis.clear(), Some("问责依据")),
            (|r| r.case_ids.clear(), Some("关联案件")),
            (|r| r.case_ids = vec![" ".into()], Some("关联案件")),
            (|r| r.kind = AccountabilityKind::Other, Some("具体问责方式")),
            (
                |r| {
                    r.kind = AccountabilityKind::Other;
                    r.kind_detail = "调离岗位".into();
                },
                None,
            ),
        ];
        for (mutate, missing) in table {
            let mut r = record("张三", false);
            mutate(&mut r);
            match (r.validate(), missing) {
                (Ok(()), None) => {}
                (Err(e), Some(w)) => {
                    assert_eq!(e.code, "r4_1_incomplete_record");
                    assert!(e.message.contains(w), "{}", e.message);
                    assert_eq!(e.details.len(), 1);
                }
                (got, want) => panic!("{got:?} vs {want:?}"),
            }
        }
    }

    #[test]
    fn r4_4_accountability_needs_a_substantiated_linked_case() {
        let findings = |id: &str| match id {
            "T" => Some(Finding::True),
            "P" => Some(Finding::PartlyTrue),
            "F" => Some(Finding::False),
            _ => None,
        };
        let table: &[(&[&str], Option<&[&str]>)] = &[
            (&["T"], None),
            (&["P"], None),
            (&["T", "P"], None),
            (&["F"], Some(&["案件F调查结论为不属实"])),
            (&["N"], Some(&["案件N尚无调查结论"])),
            (&["T", "F", "N"], Some(&["案件F", "案件N"])),
            (&[], Some(&["关联案件"])),
        ];
        for (ids, expect) in table {
            let mut r = record("张三", false);
            r.case_ids = ids.iter().map(|s| s.to_string()).collect();
            match (check_linked_findings(&r, &findings), expect) {
                (Ok(()), None) => {}
                (Err(e), Some(words)) => {
                    assert_eq!(e.code, "r4_4_accountability_without_finding");
                    for w in *words {
                        assert!(e.message.contains(w), "{w}: {}", e.message);
                    }
                }
                (got, want) => panic!("{ids:?}: {got:?} vs {want:?}"),
            }
        }
    }

    fn exemption() -> FaultTolerance {
        FaultTolerance {
            person_name: "王五".into(),
            unit: "清丰县韩村镇人民政府".into(),
            case_ids: vec!["D3HA201911250011".into()],
            ground: Some(FaultToleranceGround::SelfImposedHighTargets),
            statement: "该同志按期推进煤改气工程，因上游气源临时限供未能如期完工，已采取临时保障措施".into(),
            approver_name: "赵六".into(),
            approver_unit: "清丰县纪委监委".into(),
            approved_at: Some(crate::time::from_cst(
                chrono::NaiveDate::from_ymd_opt(2019, 12, 5).unwrap().and_hms_opt(9, 0, 0).unwrap(),
            )),
        }
    }

    #[test]
    fn r4_3_fault_tolerance_table() {
        type Case = (fn(&mut FaultTolerance), Option<&'static str>);
        let table: &[Case] = &[
            (|_| {}, None),
            (|f| f.ground = Some(FaultToleranceGround::ExploredAndInnovated), None),
            (|f| f.ground = None, Some("勇于探索、敢于创新")),
            (|f| f.statement = "客观原因".into(), Some("书面情况说明")),
            (|f| f.approver_name.clear(), Some("审批人")),
            (|f| f.approved_at = None, Some("审批时间")),
            (|f| f.approver_name = "王五".into(), Some("不能是容错对象本人")),
            (|f| f.approver_unit = " 清丰县韩村镇人民政府".into(), Some("所在单位以外的单位")),
            (|f| f.case_ids.clear(), Some("关联案件")),
        ];
        for (mutate, missing) in table {
            let mut f = exemption();
            mutate(&mut f);
            match (f.validate(), missing) {
                (Ok(()), None) => {}
                (Err(e), Some(w)) => {
                    assert_eq!(e.code, "r4_3_fault_tolerance_incomplete");
                    assert!(e.message.contains(w), "{w}: {}", e.message);
                }
                (got, want) => panic!("{got:?} vs {want:?}"),
            }
        }
        // The grounds quote the notice word for word.
        let notice = "对在生态环境保护工作中勇于探索、敢于创新，担当尽责且成效明显，但因客观原因没有达到预期目标的；\
                      对自我加压、严格工作目标要求且正确履行职责，但因历史原因或难以预见因素，导致未完成工作任务或未达到预期效果的";
        for g in FaultToleranceGround::ALL {
            assert!(notice.contains(g.quote()), "{g:?}");
        }
        // A form with an unknown ground does not parse into a ground.
        assert!(serde_json::from_str::<FaultTolerance>(r#"{"ground":"was_busy"}"#).is_err());
    }

    #[test]
    fn r2_4_public_view_counts_always_names_only_typical() {
        let mut a = record("张三", true);
        a.kind = AccountabilityKind::PartyDiscipline;
        a.kind_detail = "党内警告".into();
        let b = record("李四", false);
        let mut c = record("李四", false); // the same person, a second kind
        c.kind = AccountabilityKind::OrganizationalHandling;
        let mut d = record("孙七", false);
        d.person_level = PersonLevel::Division;
        d.position = "局长".into();
        d.unit = "清丰县生态环境分局".into();
        d.kind = AccountabilityKind::CircularCriticism;
        let view = AccountabilitySummary::new([a, b, c, d]).public_view();
        assert_eq!((view.people, view.records), (3, 4));
        let level = |l| view.by_level.iter().find(|c| c.key == l).unwrap().count;
        assert_eq!(
            (level(PersonLevel::Section), level(PersonLevel::Division), level(PersonLevel::Bureau)),
            (2, 1, 0)
        );
        assert_eq!(view.by_level.len(), 5);
        assert_eq!(view.by_kind.len(), 8);
        assert_eq!(view.typical.len(), 1);
        assert_eq!(view.typical[0].text(), "对清丰县韩村镇人民政府副镇长张三给予党纪处分（党内警告）");

        let json = serde_json::to_string(&view).unwrap();
        assert!(json.contains("张三"));
        for hidden in ["李四", "孙七"] {
            assert!(!json.contains(hidden), "{hidden} leaked: {json}");
            assert!(!view.text().contains(hidden));
            assert!(!view.cell().contains(hidden));
        }
        assert_eq!(
            view.text(),
            "问责3人（县处级1人、乡科级2人），其中诫勉谈话1人次、通报批评1人次、党纪处分1人次、组织处理1人次。\
             典型问责案例：对清丰县韩村镇人民政府副镇长张三给予党纪处分（党内警告）。"
        );
        assert_eq!(
            view.cell(),
            "对清丰县韩村镇人民政府副镇长张三给予党纪处分（党内警告）；另诫勉谈话1人次、通报批评1人次、组织处理1人次"
        );
        let none = AccountabilitySummary::new([]).public_view();
        assert_eq!((none.text().as_str(), none.cell().as_str()), ("暂无问责情况。", "无"));
    }
}
