//! R5.2 the compression guard: no deadline shortened at each level (禁止层层加码、级级提速).
//!
//! # The rule
//! When a level dispatches a case down (city → county, county → township/department), it has its own due
//! time (the parent due). It needs some working time before that due time to review the lower level's
//! report and pass it up: the *report buffer*, by default one working day, configurable per dispatching
//! level ([`CompressionConfig`]). Everything before that belongs to the lower level. So a lower level's due
//! time may not be earlier than the parent due minus the buffer:
//!
//! ```text
//! child_due >= earliest_allowed_child_due(parent_due, buffer)
//! ```
//!
//! # Why counted backwards in working time
//! The buffer is the reviewing level's working time, so it is taken off the parent due in working time on
//! the holiday calendar, not in wall-clock hours: a parent due on Monday 18:00 minus one working day is
//! Friday 18:00, not Sunday 18:00, and a parent due on the first working day after the Spring Festival minus
//! one working day is the last working day before it. A wall-clock subtraction would let a county demand the
//! report over a weekend or a holiday, exactly the squeeze the notice forbids. Where two instants are the
//! same point in working time (Friday 18:00 and Monday 08:00) the earlier one is the bound, so the lower
//! level is never refused a due time that gives it the full allowance.
//!
//! Equivalently: a child due time before the parent due is accepted exactly when the working time between
//! the two is at most the buffer. A child due *after* the parent due is not compression and passes this
//! guard (whether the parent can still report in time is the parent's business, and extension requests
//! handle it).
//!
//! The dispatch form proposes [`default_child_due`], which is that earliest allowed time: the lower level
//! gets everything except the buffer. A refusal (`r5_2_deadline_compression`) names the earliest allowed due
//! time in Beijing time and the parent's due time; the app counts refusals on the burden dashboard.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::calendar::{Walk, WorkCalendar, WorkingDuration};
use crate::time::{human_cst, iso_cst};
use crate::unit::UnitLevel;

/// The default report buffer a dispatching level keeps: one working day.
pub const DEFAULT_REPORT_BUFFER: WorkingDuration = WorkingDuration::Days(1);

/// Report buffers, by the level that dispatches (the parent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompressionConfig {
    pub default_buffer: WorkingDuration,
    /// Overrides per dispatching level, e.g. `{ "city": { "days": 2 } }`.
    pub per_level: BTreeMap<UnitLevel, WorkingDuration>,
}

impl Default for CompressionConfig {
    fn default() -> Self {
        Self { default_buffer: DEFAULT_REPORT_BUFFER, per_level: BTreeMap::new() }
    }
}

impl CompressionConfig {
    /// The buffer a unit of `parent_level` keeps when it dispatches down.
    pub fn buffer_for(&self, parent_level: UnitLevel) -> WorkingDuration {
        self.per_level.get(&parent_level).copied().unwrap_or(self.default_buffer)
    }
}

/// R5.2: the earliest due time a lower level may be given under a parent due of `parent_due`.
pub fn earliest_allowed_child_due(
    parent_due: DateTime<Utc>,
    buffer: WorkingDuration,
    cal: &WorkCalendar,
) -> Result<DateTime<Utc>, DomainError> {
    Walk::new(cal).sub_working(parent_due, buffer.to_delta(cal.config()))
}

/// What a dispatch form proposes: the earliest allowed due time, leaving the lower level all the time
/// except the parent's report buffer.
pub fn default_child_due(
    parent_due: DateTime<Utc>,
    buffer: WorkingDuration,
    cal: &WorkCalendar,
) -> Result<DateTime<Utc>, DomainError> {
    earliest_allowed_child_due(parent_due, buffer, cal)
}

/// R5.2: refuse a lower-level due time earlier than the parent due minus the report buffer.
pub fn check_child_due(
    parent_due: DateTime<Utc>,
    child_due: DateTime<Utc>,
    buffer: WorkingDuration,
    cal: &WorkCalendar,
) -> Result<(), DomainError> {
    if child_due >= parent_due {
        return Ok(());
    }
    let earliest = earliest_allowed_child_due(parent_due, buffer, cal)?;
    if child_due >= earliest {
        return Ok(());
    }
    Err(DomainError::new(
        "r5_2_deadline_compression",
        format!(
            "下级办理时限不得早于{}。上级时限为{}，本级只可保留{}用于审核报送，其余时间应留给下级办理（禁止层层加码、级级提速）。",
            human_cst(earliest),
            human_cst(parent_due),
            buffer.label()
        ),
    )
    .with_field("due_at")
    .with_details([
        format!("最早允许时限：{}", iso_cst(earliest)),
        format!("上级时限：{}", iso_cst(parent_due)),
        format!("所填时限：{}", iso_cst(child_due)),
    ]))
}

/// [`check_child_due`] with the buffer the dispatching level keeps under `cfg`.
pub fn check_dispatch(
    parent_level: UnitLevel,
    parent_due: DateTime<Utc>,
    child_due: DateTime<Utc>,
    cfg: &CompressionConfig,
    cal: &WorkCalendar,
) -> Result<(), DomainError> {
    check_child_due(parent_due, child_due, cfg.buffer_for(parent_level), cal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};

    fn at(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        WorkCalendar::instant(date, NaiveTime::from_hms_opt(h, mi, 0).unwrap())
    }

    #[test]
    fn r5_2_earliest_allowed_child_due_table() {
        let cal = WorkCalendar::builtin().unwrap();
        let day = WorkingDuration::Days(1);
        let rows = [
            // Thursday 18:00 − 1 working day → Wednesday 18:00.
            (at(2024, 3, 7, 18, 0), day, at(2024, 3, 6, 18, 0)),
            // Monday 18:00 − 1 → Friday 18:00 (not Sunday).
            (at(2024, 3, 11, 18, 0), day, at(2024, 3, 8, 18, 0)),
            // A parent due at Monday 08:00 is Friday 18:00 in working time; − 1 → Thursday 18:00.
            (at(2024, 3, 11, 8, 0), day, at(2024, 3, 7, 18, 0)),
            // After the Spring Festival 2024: Monday 2月19日 − 1 → the 调休 Sunday 2月18日; − 2 → Friday 2月9日.
            (at(2024, 2, 19, 18, 0), day, at(2024, 2, 18, 18, 0)),
            (at(2024, 2, 19, 18, 0), WorkingDuration::Days(2), at(2024, 2, 9, 18, 0)),
            // A parent due on a holiday counts from the last working moment before it.
            (at(2024, 2, 14, 12, 0), day, at(2024, 2, 8, 18, 0)),
            // Hours: Tuesday 10:00 − 4 working hours → Monday 16:00.
            (at(2024, 3, 5, 10, 0), WorkingDuration::Hours(4), at(2024, 3, 4, 16, 0)),
        ];
        for (parent, buffer, want) in rows {
            assert_eq!(
                earliest_allowed_child_due(parent, buffer, &cal).unwrap(),
                want,
                "{}",
                iso_cst(parent)
            );
            assert_eq!(default_child_due(parent, buffer, &cal).unwrap(), want);
        }
    }

    #[test]
    fn r5_2_compression_is_refused_naming_the_earliest_time() {
        let cal = WorkCalendar::builtin().unwrap();
        let parent = at(2024, 3, 11, 18, 0); // Monday
        let buffer = WorkingDuration::Days(1);
        for ok in [
            at(2024, 3, 8, 18, 0),
            at(2024, 3, 9, 10, 0),
            at(2024, 3, 11, 8, 0),
            parent,
            at(2024, 3, 12, 18, 0),
        ] {
            assert!(check_child_due(parent, ok, buffer, &cal).is_ok(), "{}", iso_cst(ok));
        }
        for squeezed in [at(2024, 3, 8, 17, 59), at(2024, 3, 7, 18, 0), at(2024, 3, 4, 9, 0)] {
            let e = check_child_due(parent, squeezed, buffer, &cal).unwrap_err();
            assert_eq!(e.code, "r5_2_deadline_compression");
            assert_eq!(e.field.as_deref(), Some("due_at"));
            assert!(e.message.contains("不得早于2024年03月08日 18:00"), "{}", e.message);
            assert!(e.message.contains("上级时限为2024年03月11日 18:00"), "{}", e.message);
            assert!(e.message.contains("1个工作日"));
            assert_eq!(e.details[0], "最早允许时限：2024-03-08T18:00:00+08:00");
        }
    }

    #[test]
    fn r5_2_buffer_is_configurable_per_dispatching_level() {
        let cal = WorkCalendar::builtin().unwrap();
        let mut cfg = CompressionConfig::default();
        cfg.per_level.insert(UnitLevel::City, WorkingDuration::Days(2));
        assert_eq!(cfg.buffer_for(UnitLevel::County), WorkingDuration::Days(1));
        assert_eq!(cfg.buffer_for(UnitLevel::City), WorkingDuration::Days(2));
        let parent = at(2024, 3, 14, 18, 0); // Thursday
        let tuesday = at(2024, 3, 12, 18, 0);
        assert!(check_dispatch(UnitLevel::City, parent, tuesday, &cfg, &cal).is_ok());
        assert!(check_dispatch(UnitLevel::County, parent, tuesday, &cfg, &cal).is_err());
        let json = serde_json::to_string(&cfg).unwrap();
        assert_eq!(json, r#"{"default_buffer":{"days":1},"per_level":{"city":{"days":2}}}"#);
        assert_eq!(serde_json::from_str::<CompressionConfig>(&json).unwrap(), cfg);
    }

    #[test]
    fn r5_2_parent_due_in_a_year_without_data_is_an_error_not_a_guess() {
        let cal = WorkCalendar::builtin().unwrap();
        let e = check_child_due(at(2027, 1, 8, 18, 0), at(2027, 1, 4, 18, 0), DEFAULT_REPORT_BUFFER, &cal)
            .unwrap_err();
        assert_eq!(e.code, "calendar_year_missing");
    }
}
