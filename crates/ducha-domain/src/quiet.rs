//! R5.1 quiet hours: no cadre is kept up at night receiving tasks (不熬夜接收任务).
//!
//! Units at the handling level (townships/streets and departments by default; the set is configurable)
//! receive nothing between 20:00 and 08:00 Beijing time (configurable). A task created in that window waits
//! for the *next working morning*: the end of the quiet window (08:00) on the first working day whose 08:00
//! is after the creation time — 02:00 on a Tuesday waits until 08:00 that Tuesday, 21:00 on a Friday until
//! 08:00 on Monday, 21:00 before the Spring Festival until 08:00 on the first working day after it.
//! Higher levels (team, city, county) get everything at once.
//!
//! A daytime delivery on a non-working day is delivered at once (people may choose to look), but its clock,
//! like every clock, starts at delivery and counts working days only (see [`crate::deadline`]), so nobody is
//! expected to act on a holiday. The window's start is inside it and its end is not: 19:59 and 08:00 deliver
//! at once, 20:00 and 07:59 wait.
//!
//! An urgent override (a written reason of at least [`QuietHoursConfig::min_override_reason_chars`]
//! characters) delivers at once; the returned [`Delivery`] says `overridden`, and the app audits the reason
//! and counts overrides per unit on the public burden dashboard.

use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::calendar::{Walk, WorkCalendar, beijing_checked, human_date, weekday_zh};
use crate::time::human_cst;
use crate::unit::UnitLevel;

/// When, and to whom, nothing is delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuietHoursConfig {
    /// Start of the quiet window (default 20:00), inside it.
    pub start: NaiveTime,
    /// End of the quiet window (default 08:00), outside it; deferred deliveries arrive at this time.
    pub end: NaiveTime,
    /// Levels that get quiet hours (default: the handling levels, township and department).
    pub levels: Vec<UnitLevel>,
    /// The shortest written reason accepted for an urgent override (default 10 characters).
    pub min_override_reason_chars: usize,
}

impl Default for QuietHoursConfig {
    fn default() -> Self {
        Self {
            start: NaiveTime::from_hms_opt(20, 0, 0).unwrap_or(NaiveTime::MIN),
            end: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN),
            levels: UnitLevel::ALL.into_iter().filter(|l| l.is_handling()).collect(),
            min_override_reason_chars: 10,
        }
    }
}

impl QuietHoursConfig {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.start == self.end {
            return Err(DomainError::invalid("quiet_hours", "夜间静默的开始和结束时间不能相同"));
        }
        if self.min_override_reason_chars == 0 {
            return Err(DomainError::invalid("min_override_reason_chars", "紧急送达理由的最少字数应大于0"));
        }
        Ok(())
    }

    /// Whether units of `level` get quiet hours.
    pub fn applies_to(&self, level: UnitLevel) -> bool {
        self.levels.contains(&level)
    }

    /// Whether the Beijing wall-clock `t` is inside the quiet window (which may wrap midnight).
    pub fn is_quiet(&self, t: NaiveTime) -> bool {
        if self.start > self.end { t >= self.start || t < self.end } else { t >= self.start && t < self.end }
    }

    /// `20:00至次日08:00`.
    pub fn label(&self) -> String {
        let next = if self.start > self.end { "次日" } else { "" };
        format!("{}至{next}{}", self.start.format("%H:%M"), self.end.format("%H:%M"))
    }
}

/// When a task reaches a unit, and why then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// When the task was created (dispatched).
    pub created: DateTime<Utc>,
    /// When the unit receives it; its clock starts here.
    pub at: DateTime<Utc>,
    /// Held back by quiet hours.
    pub deferred: bool,
    /// Delivered at night by an urgent override (audit and count it).
    pub overridden: bool,
    /// Plain Chinese for the unit and the dispatcher.
    pub reason_text: String,
    /// Weekends-only estimates used (only with `MissingYearPolicy::WeekendsOnly`).
    pub warnings: Vec<String>,
}

/// R5.1: when a task created at `created` for a unit of `level` is delivered.
///
/// Errors only when the task is held and the calendar cannot say which is the next working day
/// (`calendar_year_missing`, unless the policy estimates).
pub fn delivery_time(
    created: DateTime<Utc>,
    level: UnitLevel,
    cfg: &QuietHoursConfig,
    cal: &WorkCalendar,
) -> Result<Delivery, DomainError> {
    let at_once = |reason_text: String, warnings: Vec<String>| Delivery {
        created,
        at: created,
        deferred: false,
        overridden: false,
        reason_text,
        warnings,
    };
    if !cfg.applies_to(level) {
        return Ok(at_once(format!("{}不适用夜间静默，立即送达", level.label()), Vec::new()));
    }
    let local = beijing_checked(created)?;
    let (date, time) = (local.date(), local.time());
    let mut walk = Walk::new(cal);
    if !cfg.is_quiet(time) {
        // The day's kind only shapes the words; a day the calendar cannot place is still delivered now.
        let text = match walk.day(date) {
            Ok(day) if !day.kind.is_working() => {
                format!("{}白天，立即送达；办理时限自送达时起按工作日计算", day.kind.label())
            }
            Ok(_) => "非夜间静默时段，立即送达".to_string(),
            Err(_) => "非夜间静默时段，立即送达".to_string(),
        };
        return Ok(at_once(text, walk.warnings()));
    }
    let mut day = date;
    let at = loop {
        if walk.is_working(day)? {
            let candidate = WorkCalendar::instant(day, cfg.end);
            if candidate > created {
                break candidate;
            }
        }
        day = day.succ_opt().ok_or_else(|| DomainError::invalid("created", "时间超出可计算范围"))?;
    };
    Ok(Delivery {
        created,
        at,
        deferred: true,
        overridden: false,
        reason_text: format!(
            "{}为夜间静默时段，顺延至{}（{}）{}送达",
            cfg.label(),
            human_date(day),
            weekday_zh(day),
            cfg.end.format("%H:%M")
        ),
        warnings: walk.warnings(),
    })
}

/// R5.1 with an urgent override: a written reason of at least `min_override_reason_chars` characters
/// delivers a held task at once, marked `overridden` for the audit log and the per-unit count. A task that
/// would not be held is delivered as usual and is not counted as an override.
pub fn delivery_time_with_override(
    created: DateTime<Utc>,
    level: UnitLevel,
    cfg: &QuietHoursConfig,
    cal: &WorkCalendar,
    reason: &str,
) -> Result<Delivery, DomainError> {
    let reason = reason.trim();
    if reason.chars().count() < cfg.min_override_reason_chars {
        return Err(DomainError::new(
            "r5_1_override_reason_required",
            format!(
                "夜间紧急送达须填写不少于{}个字的书面理由（说明为何不能等到工作日早上），该理由将留痕并公开计数",
                cfg.min_override_reason_chars
            ),
        )
        .with_field("override_reason"));
    }
    let normal = delivery_time(created, level, cfg, cal)?;
    if !normal.deferred {
        return Ok(normal);
    }
    Ok(Delivery {
        at: created,
        deferred: false,
        overridden: true,
        reason_text: format!(
            "紧急送达（理由：{reason}），未等待夜间静默结束（原应于{}送达），已留痕",
            human_cst(normal.at)
        ),
        ..normal
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        WorkCalendar::instant(date, NaiveTime::from_hms_opt(h, mi, 0).unwrap())
    }

    fn check(created: DateTime<Utc>, level: UnitLevel, want_at: DateTime<Utc>, want_deferred: bool) {
        let cal = WorkCalendar::builtin().unwrap();
        let got = delivery_time(created, level, &QuietHoursConfig::default(), &cal).unwrap();
        assert_eq!(
            (got.at, got.deferred),
            (want_at, want_deferred),
            "{} {level:?}: {}",
            crate::time::iso_cst(created),
            got.reason_text
        );
        assert!(!got.overridden);
    }

    #[test]
    fn r5_1_quiet_hours_table() {
        use UnitLevel::*;
        let rows = [
            // Edges of the window on a working Tuesday.
            (at(2024, 3, 5, 7, 59), Township, at(2024, 3, 5, 8, 0), true),
            (at(2024, 3, 5, 8, 0), Township, at(2024, 3, 5, 8, 0), false),
            (at(2024, 3, 5, 19, 59), Township, at(2024, 3, 5, 19, 59), false),
            (at(2024, 3, 5, 20, 0), Township, at(2024, 3, 6, 8, 0), true),
            (at(2024, 3, 5, 2, 30), Department, at(2024, 3, 5, 8, 0), true),
            // A batch dispatched Friday 19:59 arrives at once; at 20:01 it waits for Monday morning.
            (at(2024, 3, 8, 19, 59), Township, at(2024, 3, 8, 19, 59), false),
            (at(2024, 3, 8, 20, 1), Township, at(2024, 3, 11, 8, 0), true),
            (at(2024, 3, 9, 3, 0), Township, at(2024, 3, 11, 8, 0), true),
            // Daytime on a weekend or a holiday: at once.
            (at(2024, 3, 9, 10, 0), Township, at(2024, 3, 9, 10, 0), false),
            (at(2024, 2, 12, 10, 0), Department, at(2024, 2, 12, 10, 0), false),
            // The night before the Spring Festival 2024 waits for the 调休 Sunday 2月18日.
            (at(2024, 2, 9, 21, 0), Township, at(2024, 2, 18, 8, 0), true),
            // Saturday night before the 调休 Sunday 2024-02-04: that Sunday is a working morning.
            (at(2024, 2, 3, 22, 0), Township, at(2024, 2, 4, 8, 0), true),
            // Higher levels are never held.
            (at(2024, 3, 8, 23, 0), County, at(2024, 3, 8, 23, 0), false),
            (at(2024, 3, 8, 23, 0), City, at(2024, 3, 8, 23, 0), false),
            (at(2024, 3, 8, 23, 0), Team, at(2024, 3, 8, 23, 0), false),
        ];
        for (created, level, want_at, deferred) in rows {
            check(created, level, want_at, deferred);
        }
    }

    #[test]
    fn r5_1_reason_texts_are_plain_chinese() {
        let cal = WorkCalendar::builtin().unwrap();
        let cfg = QuietHoursConfig::default();
        let held = delivery_time(at(2024, 3, 8, 20, 1), UnitLevel::Township, &cfg, &cal).unwrap();
        assert_eq!(
            held.reason_text,
            "20:00至次日08:00为夜间静默时段，顺延至2024年03月11日（星期一）08:00送达"
        );
        let sunday = delivery_time(at(2024, 3, 10, 10, 0), UnitLevel::Township, &cfg, &cal).unwrap();
        assert!(sunday.reason_text.starts_with("周末白天，立即送达"), "{}", sunday.reason_text);
        let county = delivery_time(at(2024, 3, 10, 23, 0), UnitLevel::County, &cfg, &cal).unwrap();
        assert_eq!(county.reason_text, "县（区）级不适用夜间静默，立即送达");
    }

    #[test]
    fn r5_1_configurable_window_and_levels() {
        let cal = WorkCalendar::builtin().unwrap();
        let cfg = QuietHoursConfig {
            start: NaiveTime::from_hms_opt(21, 30, 0).unwrap(),
            end: NaiveTime::from_hms_opt(7, 30, 0).unwrap(),
            levels: vec![UnitLevel::Township, UnitLevel::Department, UnitLevel::County],
            ..Default::default()
        };
        cfg.validate().unwrap();
        let d = delivery_time(at(2024, 3, 5, 21, 0), UnitLevel::Township, &cfg, &cal).unwrap();
        assert!(!d.deferred);
        let d = delivery_time(at(2024, 3, 5, 21, 30), UnitLevel::County, &cfg, &cal).unwrap();
        assert_eq!((d.at, d.deferred), (at(2024, 3, 6, 7, 30), true));
        let bad = QuietHoursConfig { end: cfg.start, ..cfg };
        assert_eq!(bad.validate().unwrap_err().field.as_deref(), Some("quiet_hours"));
    }

    #[test]
    fn r5_1_held_delivery_into_a_year_without_data_is_refused() {
        let cal = WorkCalendar::builtin().unwrap();
        let cfg = QuietHoursConfig::default();
        // 2026-12-31 is a Thursday; whether 2027-01-01 is worked is not known yet.
        let e = delivery_time(at(2026, 12, 31, 21, 0), UnitLevel::Township, &cfg, &cal).unwrap_err();
        assert_eq!(e.code, "calendar_year_missing");
        assert!(e.message.contains("2027年"));
        // Daytime is delivered at once without asking the calendar.
        let d = delivery_time(at(2027, 6, 1, 10, 0), UnitLevel::Township, &cfg, &cal).unwrap();
        assert!(!d.deferred);
    }

    #[test]
    fn r5_1_urgent_override_needs_a_written_reason_and_is_flagged() {
        let cal = WorkCalendar::builtin().unwrap();
        let cfg = QuietHoursConfig::default();
        let night = at(2024, 3, 8, 23, 0);
        for reason in ["", "   ", "紧急", "有群众反映"] {
            let e = delivery_time_with_override(night, UnitLevel::Township, &cfg, &cal, reason).unwrap_err();
            assert_eq!(e.code, "r5_1_override_reason_required");
            assert_eq!(e.field.as_deref(), Some("override_reason"));
        }
        let reason = "化工厂夜间偷排，群众持续举报，需立即赶赴现场";
        let d = delivery_time_with_override(night, UnitLevel::Township, &cfg, &cal, reason).unwrap();
        assert_eq!((d.at, d.deferred, d.overridden), (night, false, true));
        assert!(d.reason_text.contains(reason) && d.reason_text.contains("2024年03月11日 08:00"));
        // In the daytime there is nothing to override, and nothing to count.
        let day = at(2024, 3, 8, 10, 0);
        let d = delivery_time_with_override(day, UnitLevel::Township, &cfg, &cal, reason).unwrap();
        assert_eq!((d.at, d.overridden), (day, false));
    }
}
