//! Office hours (R5.3): the working day, an optional lunch break that does not count, and spans of
//! working time in days or hours.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::{MissingYearPolicy, WorkCalendar};
use crate::DomainError;

/// A lunch break inside the working day; it does not count as working time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LunchBreak {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// Office hours and the missing-year policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkingTimeConfig {
    /// Start of the working day (default 08:00).
    pub workday_start: NaiveTime,
    /// End of the working day and the hour a due time in working days falls on (default 18:00).
    pub workday_end: NaiveTime,
    /// Optional lunch break, not counted in working hours (default none).
    pub lunch: Option<LunchBreak>,
    pub missing_year: MissingYearPolicy,
    /// 29–31 December need the next year's notice too (default true; see the module docs).
    pub late_december_needs_next_year: bool,
}

pub(super) fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

impl Default for WorkingTimeConfig {
    fn default() -> Self {
        Self {
            workday_start: hm(8, 0),
            workday_end: hm(18, 0),
            lunch: None,
            missing_year: MissingYearPolicy::Refuse,
            late_december_needs_next_year: true,
        }
    }
}

impl WorkingTimeConfig {
    /// Check the hours make sense, naming the field at fault.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.workday_end <= self.workday_start {
            return Err(DomainError::invalid("workday_end", "下班时间应晚于上班时间"));
        }
        if let Some(l) = self.lunch
            && (l.start <= self.workday_start || l.end >= self.workday_end || l.end <= l.start)
        {
            return Err(DomainError::invalid("lunch", "午休时间应在上下班时间之内，且结束晚于开始"));
        }
        Ok(())
    }

    /// Working time in one working day.
    pub fn day_length(&self) -> TimeDelta {
        let full = self.workday_end - self.workday_start;
        match self.lunch {
            Some(l) => full - (l.end - l.start),
            None => full,
        }
    }

    fn morning_length(&self) -> TimeDelta {
        match self.lunch {
            Some(l) => l.start - self.workday_start,
            None => self.day_length(),
        }
    }

    /// Working time elapsed on a working day at wall-clock `t` (clamped to `[0, day_length]`).
    pub(crate) fn offset_of(&self, t: NaiveTime) -> TimeDelta {
        if t <= self.workday_start {
            return TimeDelta::zero();
        }
        if t >= self.workday_end {
            return self.day_length();
        }
        match self.lunch {
            Some(l) if t >= l.end => self.morning_length() + (t - l.end),
            Some(l) if t >= l.start => self.morning_length(),
            _ => t - self.workday_start,
        }
    }

    /// The wall-clock time at working offset `off` (in `[0, day_length]`); at the lunch boundary the
    /// earlier time (lunch start) is chosen.
    pub(crate) fn time_at(&self, off: TimeDelta) -> NaiveTime {
        match self.lunch {
            Some(l) if off > self.morning_length() => l.end + (off - self.morning_length()),
            _ => self.workday_start + off,
        }
    }

    /// The part of `[a, b]` inside the office hours of `date`, as if `date` were a working day.
    pub(crate) fn working_within_day(
        &self,
        date: NaiveDate,
        a: DateTime<Utc>,
        b: DateTime<Utc>,
    ) -> TimeDelta {
        let periods = match self.lunch {
            Some(l) => [(self.workday_start, l.start), (l.end, self.workday_end)],
            None => [(self.workday_start, self.workday_end), (self.workday_end, self.workday_end)],
        };
        periods
            .iter()
            .map(|(s, e)| {
                let lo = WorkCalendar::instant(date, *s).max(a);
                let hi = WorkCalendar::instant(date, *e).min(b);
                if hi > lo { hi - lo } else { TimeDelta::zero() }
            })
            .sum()
    }

    /// `08:00—18:00`, with the lunch break when there is one.
    pub fn hours_label(&self) -> String {
        let f = |t: NaiveTime| t.format("%H:%M").to_string();
        match self.lunch {
            Some(l) => format!(
                "{}—{}（{}—{}午休不计）",
                f(self.workday_start),
                f(self.workday_end),
                f(l.start),
                f(l.end)
            ),
            None => format!("{}—{}", f(self.workday_start), f(self.workday_end)),
        }
    }
}

/// A span of working time: whole working days or working hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkingDuration {
    Days(u32),
    Hours(u32),
}

impl WorkingDuration {
    /// The same span as working time, a working day being [`WorkingTimeConfig::day_length`].
    pub fn to_delta(self, cfg: &WorkingTimeConfig) -> TimeDelta {
        match self {
            WorkingDuration::Days(d) => cfg.day_length() * i32::try_from(d).unwrap_or(i32::MAX),
            WorkingDuration::Hours(h) => TimeDelta::hours(i64::from(h)),
        }
    }

    /// `1个工作日`, `4个工作小时`.
    pub fn label(self) -> String {
        match self {
            WorkingDuration::Days(d) => format!("{d}个工作日"),
            WorkingDuration::Hours(h) => format!("{h}个工作小时"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r5_3_office_hours_and_lunch_offsets() {
        let cfg = WorkingTimeConfig {
            lunch: Some(LunchBreak { start: hm(12, 0), end: hm(13, 30) }),
            ..Default::default()
        };
        cfg.validate().unwrap();
        assert_eq!(cfg.day_length(), TimeDelta::minutes(510));
        for (t, off) in [(hm(7, 0), 0), (hm(9, 0), 60), (hm(12, 45), 240), (hm(14, 0), 270), (hm(19, 0), 510)]
        {
            assert_eq!(cfg.offset_of(t), TimeDelta::minutes(off), "{t}");
        }
        assert_eq!(cfg.time_at(TimeDelta::minutes(240)), hm(12, 0));
        assert_eq!(cfg.time_at(TimeDelta::minutes(241)), hm(13, 31));
        assert_eq!(cfg.hours_label(), "08:00—18:00（12:00—13:30午休不计）");
        let bad = WorkingTimeConfig { workday_end: hm(7, 0), ..Default::default() };
        assert_eq!(bad.validate().unwrap_err().field.as_deref(), Some("workday_end"));
        let bad = WorkingTimeConfig { lunch: Some(LunchBreak { start: hm(13, 0), end: hm(12, 0) }), ..cfg };
        assert_eq!(bad.validate().unwrap_err().field.as_deref(), Some("lunch"));
    }
}
