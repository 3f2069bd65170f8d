//! R1: no blanket shutdown (禁止“一刀切”).
//!
//! - R1.1 [`check_shutdown_measure`]: a shutdown-type measure is accepted only on a completed
//!   属实/部分属实 finding, naming one of the case's subjects, with a legal basis, scope, start and end,
//!   a rectification target and verification conditions — no “一停了之”. It reads one report, so it
//!   lives in [`crate::handling`] and is re-exported here.
//! - R1.2 [`detect_blanket_shutdowns`]: K or more shutdowns of distinct subjects in one county and one
//!   industry within D days, or a shutdown of a subject no complaint names, raise a “疑似一刀切” alert to
//!   the city office with the evidence; livelihood trades need a second approval
//!   ([`requires_second_approval`], [`check_second_approval`]). Industries come from the subject record
//!   or the keyword map ([`IndustryMap`], `data/industries.csv`).
//! - R1.3 [`overdue_unverified`]: a shutdown or scheduled rectification past its due date without
//!   verification raises a “长停久治、久治不验” alert, escalating weekly.
//!
//! This module builds on [`crate::handling`] (the report and its measures); the handling module does
//! not depend on it.

use chrono::{DateTime, NaiveDate, Utc};

mod blanket;
mod endless;
mod industry;

pub use blanket::{
    BlanketAlert, BlanketAlertKind, ShutdownEvidence, ShutdownRecord, detect_blanket_shutdowns,
};
pub use endless::{
    EndlessShutdownAlert, EndlessShutdownConfig, RectificationStatus, Tracked, escalation_target,
    overdue_unverified,
};
pub use industry::{
    BlanketShutdownConfig, IndustryEntry, IndustryMap, check_second_approval, requires_second_approval,
};

/// R1.1 reads one report, so it lives in [`crate::handling`]; re-exported here, where callers found it.
pub use crate::handling::{check_shutdown_measure, cites_law_and_article, shutdown_problems};

/// The time an alert or record was made, as the Beijing date the rules count in.
pub fn cst_date(t: DateTime<Utc>) -> NaiveDate {
    crate::time::to_cst(t).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handling::MeasureKind;
    use crate::handling::tests::{d, lawful_terms, painting_workshop, shutdown};
    use crate::unit::UnitLevel;

    /// The scenario of issue 5, end to end through the pure rules.
    #[test]
    fn r1_scenario_four_furniture_workshops_in_three_days() {
        let cfg = BlanketShutdownConfig::default();
        let county = ("410922", "清丰县");
        // Three complaints name three workshops; the fourth workshop appears in no complaint.
        let complained_of = ["韩村镇甲家具厂", "韩村镇乙家具厂", "马庄桥镇丙家具厂"];
        let workshops = [
            ("D3HA201911250011", "韩村镇甲家具厂", d(2019, 11, 26)),
            ("D3HA201911250012", "韩村镇乙家具厂", d(2019, 11, 27)),
            ("D3HA201911250013", "马庄桥镇丙家具厂", d(2019, 11, 27)),
            ("D3HA201911250013", "马庄桥镇丁家具作坊", d(2019, 11, 28)),
        ];
        let records: Vec<ShutdownRecord> = workshops
            .iter()
            .map(|(case, subject, on)| ShutdownRecord {
                case_id: (*case).into(),
                county_code: county.0.into(),
                county_name: county.1.into(),
                subject: (*subject).into(),
                industry: None,
                kind: MeasureKind::SuspendProduction,
                on: *on,
            })
            .collect();
        let named = |r: &ShutdownRecord| complained_of.contains(&r.subject.as_str());
        let alerts = detect_blanket_shutdowns(&records, &named, &cfg, d(2019, 11, 28));

        let cluster: Vec<&BlanketAlert> =
            alerts.iter().filter(|a| a.kind == BlanketAlertKind::Cluster).collect();
        assert_eq!(cluster.len(), 1);
        let c = cluster[0];
        assert_eq!(c.to_level, UnitLevel::City);
        assert_eq!(c.industry.as_deref(), Some("家具制造"));
        assert_eq!((c.from, c.to, c.subjects), (d(2019, 11, 26), d(2019, 11, 28), 4));
        let evidence: Vec<(&str, NaiveDate, bool)> =
            c.evidence.iter().map(|e| (e.subject.as_str(), e.on, e.named_in_complaint)).collect();
        assert_eq!(
            evidence,
            vec![
                ("韩村镇甲家具厂", d(2019, 11, 26), true),
                ("韩村镇乙家具厂", d(2019, 11, 27), true),
                ("马庄桥镇丙家具厂", d(2019, 11, 27), true),
                ("马庄桥镇丁家具作坊", d(2019, 11, 28), false),
            ]
        );
        for w in [
            "疑似“一刀切”",
            "清丰县",
            "4家家具制造",
            "其中1起未见群众举报",
            "马庄桥镇丁家具作坊（停产整治，11月28日",
        ] {
            assert!(c.summary.contains(w), "{w}: {}", c.summary);
        }
        let unnamed: Vec<&BlanketAlert> =
            alerts.iter().filter(|a| a.kind == BlanketAlertKind::NotNamedInComplaint).collect();
        assert_eq!(unnamed.len(), 1);
        assert_eq!(unnamed[0].evidence[0].subject, "马庄桥镇丁家具作坊");
        assert_ne!(unnamed[0].key(), c.key());

        // Meanwhile a lawful, complaint-based shutdown with a plan passes R1.1 …
        let mut report = painting_workshop();
        report.subjects[0].name = "韩村镇甲家具厂".into();
        let mut terms = lawful_terms("韩村镇甲家具厂");
        terms.starts_on = Some(d(2019, 11, 26));
        terms.ends_on = Some(d(2019, 12, 10));
        report.measures.push(shutdown(MeasureKind::SuspendProduction, Some(terms)));
        assert!(check_shutdown_measure(&report, report.measures.last().unwrap()).is_ok());
        assert!(report.validate().is_ok(), "{:?}", report.problems());
        let from_report = report.shutdown_records("D3HA201911250011", county.0, county.1);
        assert_eq!(from_report.len(), 1);
        assert_eq!(from_report[0], records[0]);

        // … and, left unverified past its end date, it raises R1.3.
        let statuses = report.rectification_statuses("D3HA201911250011", county.0, county.1, None);
        assert_eq!(statuses.len(), 2, "the shutdown and the scheduled plan");
        let alerts = overdue_unverified(&statuses, d(2019, 12, 12), &EndlessShutdownConfig::default());
        assert_eq!(alerts.len(), 1, "only the shutdown (due 12-10) is overdue; the plan is due 12-20");
        assert_eq!(alerts[0].what, Tracked::Shutdown { kind: MeasureKind::SuspendProduction });
        assert_eq!((alerts[0].days_overdue, alerts[0].to_level), (2, UnitLevel::County));
        let verified =
            report.rectification_statuses("D3HA201911250011", county.0, county.1, Some(d(2019, 12, 9)));
        assert!(overdue_unverified(&verified, d(2019, 12, 30), &EndlessShutdownConfig::default()).is_empty());
    }
}
