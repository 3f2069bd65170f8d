//! R2 disclosure while inspecting (边督边改信息公开): what the public sees, as pure functions.
//!
//! - R2.1 [`Announcement`] (`announcement`): the entry announcement (team, period, hotlines, postal box,
//!   answering hours) and its one-line TV crawl text;
//! - R2.2 [`Layout`] and [`PublicCase`] (`table`): the standard table (2023 layout by default, the older
//!   layout with 污染类型 and no 办结目标 per campaign); [`Stats`] and [`summary_text`] (`statistics`), the
//!   batch's counts and its "文字" part; [`publication_step`] (`publication`): draft → reviewed →
//!   published, corrections as new versions, the SM3 content hash;
//! - R2.3 [`tv_bulletin`] (`bulletin`): the prime-time news script (cases assigned and handled, progress
//!   and results, typical cases, public reaction);
//! - R2.4 [`PublicAccountabilityDoc`] (`accountability_doc`): counts and levels always, names only for
//!   typical records (built from [`crate::accountability::PublicAccountability`], which cannot hold any
//!   other name);
//! - R2.5 [`social_text`] (`social`): the ready-to-post WeChat/Weibo text with its link;
//! - R2.6 [`disclosure_gaps`] (`gaps`): every assigned case disclosed within the configured working days.
//!
//! Architecture invariant: [`PublicCase`] is the only shape in which a complaint reaches the public. It
//! has no field that could hold the complainant's identity (a test pins its field set), and its text
//! (`summary`) is the case's redacted text, never the original words.

mod accountability_doc;
mod announcement;
mod bulletin;
mod gaps;
mod publication;
mod social;
mod statistics;
mod table;

pub use accountability_doc::{LabelCount, PublicAccountabilityDoc};
pub use announcement::Announcement;
pub use bulletin::{BulletinScope, PublicReaction, pick_typical, tv_bulletin};
pub use gaps::{
    DEFAULT_DISCLOSURE_WORKING_DAYS, DisclosureItem, Gap, GapReport, disclosure_due, disclosure_gaps,
};
pub use publication::{
    MIN_NOTE_CHARS, PubStatus, PubStep, check_correction_note, content_hash, publication_step,
};
pub use social::{SOCIAL_MAX_CHARS, social_text};
pub use statistics::{BatchRef, ColumnRef, Stats, TYPE_ORDER, summary_text, wan_cn};
pub use table::{CaseFacts, Column, Layout, PublicCase, problem_type_cell};

/// Cases, a batch, a column and an announcement the R2 tests share.
#[cfg(test)]
mod fixtures {
    use chrono::{DateTime, NaiveDate, Utc};
    use ducha_shield::Shield;

    use super::{Announcement, BatchRef, CaseFacts, ColumnRef, PublicCase};
    use crate::accountability::{
        AccountabilityKind, AccountabilityRecord, AccountabilitySummary, PersonLevel, PublicAccountability,
    };
    use crate::campaign::AnsweringHours;
    use crate::handling::{
        Finding, HandlingReport, IssueFinding, Measure, MeasureKind, Rectification, RectificationPlan,
        Subject,
    };
    use crate::time::from_cst;
    use crate::workflow::Stage;

    pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub(super) fn at(y: i32, m: u32, day: u32, h: u32) -> DateTime<Utc> {
        from_cst(d(y, m, day).and_hms_opt(h, 0, 0).unwrap())
    }

    pub(super) fn facts(no: &str, county: &str, town: &str, types: &[&str], stage: Stage) -> CaseFacts {
        CaseFacts {
            accept_no: no.into(),
            redacted_text: "韩村镇某家具厂露天喷漆，气味刺鼻。".into(),
            county_code: Some(if county == "清丰县" { "410922" } else { "410928" }.into()),
            county_name: county.into(),
            township_name: town.into(),
            village_name: String::new(),
            pollution_types: types.iter().map(|t| t.to_string()).collect(),
            sansan: Some("散乱污企业".into()),
            stage,
            finding: None,
            received_at: at(2019, 11, 25, 9),
            assigned_at: Some(at(2019, 11, 26, 9)),
            updated_at: at(2019, 11, 28, 9),
            agency: format!("{county}攻坚办"),
        }
    }

    pub(super) fn report(finding: Finding, measures: Vec<Measure>) -> HandlingReport {
        HandlingReport {
            facts: "经现场核查，该厂露天喷漆".into(),
            issues: vec![IssueFinding { issue: String::new(), finding, facts: String::new() }],
            subjects: vec![Subject { name: "某家具厂".into(), ..Default::default() }],
            measures,
            rectifications: vec![Rectification::Scheduled(RectificationPlan {
                target: "建成密闭喷漆房".into(),
                measures: "安装治理设施".into(),
                due: Some(d(2019, 12, 20)),
                responsible_unit: "韩村镇人民政府".into(),
                completed_on: None,
            })],
            closure_target: "VOCs治理设施建成并验收".into(),
            investigated_on: Some(d(2019, 11, 27)),
        }
    }

    pub(super) fn m(kind: MeasureKind, fine: Option<u64>) -> Measure {
        Measure { kind, description: String::new(), fine_yuan: fine, shutdown: None }
    }

    pub(super) fn none() -> PublicAccountability {
        AccountabilitySummary::new([]).public_view()
    }

    pub(super) fn record(name: &str, typical: bool) -> AccountabilityRecord {
        AccountabilityRecord {
            person_name: name.into(),
            position: "副镇长".into(),
            person_level: PersonLevel::Section,
            unit: "清丰县韩村镇人民政府".into(),
            kind: AccountabilityKind::Admonishment,
            kind_detail: String::new(),
            basis: "监管不力".into(),
            case_ids: vec!["D3HA201911250001".into()],
            typical,
        }
    }

    /// Three cases: penalised and partly closed; closed with 关停取缔; not yet investigated.
    pub(super) fn rows() -> Vec<PublicCase> {
        let a = PublicCase::build(
            1,
            &facts("D3HA201911250001", "清丰县", "韩村镇", &["大气"], Stage::PartlyClosed),
            Some(&report(
                Finding::True,
                vec![m(MeasureKind::OrderCorrection, None), m(MeasureKind::Penalty, Some(25_000))],
            )),
            &none(),
            &Shield::none(),
        );
        let b = PublicCase::build(
            2,
            &facts("D3HA201911250002", "濮阳县", "柳屯镇", &["大气", "噪声"], Stage::Closed),
            Some(&report(
                Finding::PartlyTrue,
                vec![
                    m(MeasureKind::OrderCorrection, None),
                    m(MeasureKind::Penalty, Some(100_000)),
                    m(MeasureKind::CloseBan, None),
                ],
            )),
            &none(),
            &Shield::none(),
        );
        let c = PublicCase::build(
            3,
            &facts("X3HA201911250003", "濮阳县", "文留镇", &["水"], Stage::Investigating),
            None,
            &none(),
            &Shield::none(),
        );
        vec![a, b, c]
    }

    pub(super) fn batch() -> BatchRef {
        BatchRef {
            campaign_name: "河南省“三散”污染治理专项督察".into(),
            team_name: "省第三督察组".into(),
            number: 2,
            answering_date: d(2019, 11, 25),
            assigned_on: Some(d(2019, 11, 26)),
        }
    }

    pub(super) fn city() -> ColumnRef {
        ColumnRef { county_code: None, name: "濮阳市".into() }
    }

    pub(super) fn announcement() -> Announcement {
        Announcement {
            campaign_name: "“三散”污染治理专项督察".into(),
            team_name: "省第三督察组".into(),
            start: d(2019, 11, 25),
            end: d(2019, 12, 25),
            hotlines: vec!["0393-8991369".into(), "0393-8991370".into()],
            postal_box: "濮阳市A001号邮政信箱".into(),
            hours: AnsweringHours::default(),
            place: "濮阳县".into(),
        }
    }
}
