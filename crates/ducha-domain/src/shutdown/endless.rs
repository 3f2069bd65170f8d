//! R1.3 长停久治、久治不验: a shutdown or a scheduled rectification past its due date without a
//! passing verification raises an alert, escalating weekly from the county office to the city office
//! and the inspection team.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::handling::{HandlingReport, MeasureKind, Rectification, date_cn};
use crate::unit::UnitLevel;

/// What is being tracked to verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Tracked {
    /// A shutdown-type measure (its end date is the due date).
    Shutdown { kind: MeasureKind },
    /// A 限期整改 plan.
    ScheduledRectification,
}

impl Tracked {
    pub fn label(self) -> &'static str {
        match self {
            Tracked::Shutdown { kind } => kind.label(),
            Tracked::ScheduledRectification => "限期整改",
        }
    }
}

/// One shutdown or plan and whether it has been verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RectificationStatus {
    pub case_id: String,
    pub county_code: String,
    pub county_name: String,
    pub subject: String,
    pub what: Tracked,
    pub due: NaiveDate,
    /// The day a verification passed, if one has.
    #[serde(default)]
    pub verified_on: Option<NaiveDate>,
}

impl HandlingReport {
    /// What of this report R1.3 tracks: every shutdown-type measure with an end date and every
    /// scheduled plan with a due date. `verified_on` is the date of the case's passing verification.
    pub fn rectification_statuses(
        &self,
        case_id: &str,
        county_code: &str,
        county_name: &str,
        verified_on: Option<NaiveDate>,
    ) -> Vec<RectificationStatus> {
        let subject = self.subjects.first().map(|s| s.name.trim().to_owned()).unwrap_or_default();
        let status = |subject: String, what: Tracked, due: NaiveDate| RectificationStatus {
            case_id: case_id.to_owned(),
            county_code: county_code.to_owned(),
            county_name: county_name.to_owned(),
            subject,
            what,
            due,
            verified_on,
        };
        let shutdowns = self.measures.iter().filter(|m| m.kind.is_shutdown_type()).filter_map(|m| {
            let t = m.shutdown.as_ref()?;
            Some(status(t.subject.trim().to_owned(), Tracked::Shutdown { kind: m.kind }, t.ends_on?))
        });
        let plans = self.rectifications.iter().filter_map(|r| match r {
            Rectification::Scheduled(p) => {
                Some(status(subject.clone(), Tracked::ScheduledRectification, p.due?))
            }
            Rectification::Immediate { .. } => None,
        });
        shutdowns.chain(plans).collect()
    }
}

/// R1.3 configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndlessShutdownConfig {
    /// Days after the due date before the first alert (default 0: the day after due).
    pub grace_days: u32,
    /// The highest escalation level (1 county, 2 city, 3 team; default 3).
    pub max_level: u8,
}

impl Default for EndlessShutdownConfig {
    fn default() -> Self {
        Self { grace_days: 0, max_level: 3 }
    }
}

/// A “长停久治、久治不验” alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndlessShutdownAlert {
    pub case_id: String,
    pub county_code: String,
    pub subject: String,
    pub what: Tracked,
    pub due: NaiveDate,
    pub days_overdue: u32,
    /// 1 for days 1–7 overdue, 2 for days 8–14, …
    pub week: u32,
    /// 1 + whole weeks overdue, capped at `max_level`.
    pub level: u8,
    /// Who is alerted: level 1 the county office, 2 the city office, 3 the inspection team.
    pub to_level: UnitLevel,
    pub summary: String,
}

impl EndlessShutdownAlert {
    /// Stable per case, item and level: the app raises each escalation once.
    pub fn key(&self) -> String {
        format!("r1_3:{}:{}:{}:{}:{}", self.case_id, self.what.label(), self.subject, self.due, self.level)
    }
}

/// The unit level an R1.3 escalation level goes to.
pub fn escalation_target(level: u8) -> UnitLevel {
    match level {
        0 | 1 => UnitLevel::County,
        2 => UnitLevel::City,
        _ => UnitLevel::Team,
    }
}

/// R1.3. An item is overdue on `now` when it has no verification on or before `now` and `now` is
/// more than `grace_days` after its due date. Escalation is weekly: with `n` days overdue (counted
/// after the grace days), week = ⌈n / 7⌉ and level = min(week, max_level) — that is 1 + whole weeks
/// overdue — so days 1–7 alert the county office, days 8–14 the city office, and from day 15 the
/// inspection team.
pub fn overdue_unverified(
    items: &[RectificationStatus],
    now: NaiveDate,
    cfg: &EndlessShutdownConfig,
) -> Vec<EndlessShutdownAlert> {
    let max_level = cfg.max_level.clamp(1, 3);
    items
        .iter()
        .filter(|i| i.verified_on.is_none_or(|v| v > now))
        .filter_map(|i| {
            let days = (now - i.due).num_days() - i64::from(cfg.grace_days);
            let days = u32::try_from(days).ok().filter(|d| *d > 0)?;
            let week = days.div_ceil(7);
            let level = u8::try_from(week).unwrap_or(u8::MAX).min(max_level);
            let to_level = escalation_target(level);
            let summary = format!(
                "长停久治、久治不验：{}“{}”的{}已于{}到期，逾期{}天仍未验收（逾期第{}周），请{}督促尽快验收。",
                i.county_name,
                i.subject,
                i.what.label(),
                date_cn(i.due),
                days,
                week,
                match to_level {
                    UnitLevel::County => "县（区）污染防治攻坚办",
                    UnitLevel::City => "市污染防治攻坚战领导小组办公室",
                    _ => "督察组",
                }
            );
            Some(EndlessShutdownAlert {
                case_id: i.case_id.clone(),
                county_code: i.county_code.clone(),
                subject: i.subject.clone(),
                what: i.what,
                due: i.due,
                days_overdue: days,
                week,
                level,
                to_level,
                summary,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handling::tests::d;

    #[test]
    fn r1_3_weekly_escalation_table() {
        let item = |due: NaiveDate, verified: Option<NaiveDate>| RectificationStatus {
            case_id: "D3HA201911260001".into(),
            county_code: "410922".into(),
            county_name: "清丰县".into(),
            subject: "甲家具厂".into(),
            what: Tracked::Shutdown { kind: MeasureKind::SuspendProduction },
            due,
            verified_on: verified,
        };
        let due = d(2019, 12, 1);
        let cfg = EndlessShutdownConfig::default();
        // (now, verified_on, expected (days, week, level, to))
        let table: &[(NaiveDate, Option<NaiveDate>, Option<(u32, u32, u8, UnitLevel)>)] = &[
            (d(2019, 11, 30), None, None),
            (d(2019, 12, 1), None, None),
            (d(2019, 12, 2), None, Some((1, 1, 1, UnitLevel::County))),
            (d(2019, 12, 8), None, Some((7, 1, 1, UnitLevel::County))),
            (d(2019, 12, 9), None, Some((8, 2, 2, UnitLevel::City))),
            (d(2019, 12, 15), None, Some((14, 2, 2, UnitLevel::City))),
            (d(2019, 12, 16), None, Some((15, 3, 3, UnitLevel::Team))),
            (d(2020, 2, 1), None, Some((62, 9, 3, UnitLevel::Team))),
            (d(2019, 12, 20), Some(d(2019, 12, 10)), None),
            (d(2019, 12, 20), Some(d(2019, 12, 25)), Some((19, 3, 3, UnitLevel::Team))),
        ];
        for (now, verified, expect) in table {
            let alerts = overdue_unverified(&[item(due, *verified)], *now, &cfg);
            let got = alerts.first().map(|a| (a.days_overdue, a.week, a.level, a.to_level));
            assert_eq!(got, *expect, "now {now}");
            if let Some(a) = alerts.first() {
                assert!(
                    a.summary.contains("长停久治、久治不验") && a.summary.contains("甲家具厂"),
                    "{}",
                    a.summary
                );
                assert!(a.summary.contains(&format!("逾期{}天", a.days_overdue)));
            }
        }
        // Grace days and the cap are configuration.
        let cfg = EndlessShutdownConfig { grace_days: 2, max_level: 2 };
        assert!(overdue_unverified(&[item(due, None)], d(2019, 12, 3), &cfg).is_empty());
        let a = overdue_unverified(&[item(due, None)], d(2019, 12, 30), &cfg);
        assert_eq!((a[0].level, a[0].to_level), (2, UnitLevel::City));
    }
}
