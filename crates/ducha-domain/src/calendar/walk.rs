//! Working-time arithmetic (R5.3): one computation's walk over the calendar — adding and subtracting
//! working time, measuring it between two instants — shared by due times, quiet hours and the
//! compression guard.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::hours::WorkingTimeConfig;
use super::{MAX_SCAN_DAYS, ResolvedDay, WorkCalendar, beijing_checked, weekends_only_warning};
use crate::DomainError;

fn span_too_large() -> DomainError {
    DomainError::new("calendar_span_too_large", format!("时间跨度超过{MAX_SCAN_DAYS}天，无法按工作时间计算"))
}

fn next_date(d: NaiveDate) -> Result<NaiveDate, DomainError> {
    d.succ_opt().ok_or_else(span_too_large)
}

fn prev_date(d: NaiveDate) -> Result<NaiveDate, DomainError> {
    d.pred_opt().ok_or_else(span_too_large)
}

/// One computation's walk over the calendar: resolves days under the policy, remembers which years were
/// estimated (for the warnings) and stops runaway scans.
#[derive(Debug)]
pub(crate) struct Walk<'a> {
    pub(crate) cal: &'a WorkCalendar,
    estimated: BTreeSet<i32>,
    steps: u32,
}

impl<'a> Walk<'a> {
    pub(crate) fn new(cal: &'a WorkCalendar) -> Self {
        Self { cal, estimated: BTreeSet::new(), steps: 0 }
    }

    pub(crate) fn cfg(&self) -> &'a WorkingTimeConfig {
        &self.cal.config
    }

    pub(crate) fn day(&mut self, date: NaiveDate) -> Result<ResolvedDay, DomainError> {
        self.steps += 1;
        if self.steps > MAX_SCAN_DAYS {
            return Err(span_too_large());
        }
        let r = self.cal.resolve(date)?;
        if let Some(y) = r.estimated_for {
            self.estimated.insert(y);
        }
        Ok(r)
    }

    pub(crate) fn is_working(&mut self, date: NaiveDate) -> Result<bool, DomainError> {
        Ok(self.day(date)?.kind.is_working())
    }

    /// The first working day strictly after `date`.
    pub(crate) fn next_working_day(&mut self, date: NaiveDate) -> Result<NaiveDate, DomainError> {
        let mut d = next_date(date)?;
        while !self.is_working(d)? {
            d = next_date(d)?;
        }
        Ok(d)
    }

    /// The last working day strictly before `date`.
    pub(crate) fn prev_working_day(&mut self, date: NaiveDate) -> Result<NaiveDate, DomainError> {
        let mut d = prev_date(date)?;
        while !self.is_working(d)? {
            d = prev_date(d)?;
        }
        Ok(d)
    }

    pub(crate) fn warnings(&self) -> Vec<String> {
        self.estimated.iter().map(|y| weekends_only_warning(*y)).collect()
    }

    fn at(&self, date: NaiveDate, off: TimeDelta) -> DateTime<Utc> {
        WorkCalendar::instant(date, self.cfg().time_at(off))
    }

    /// Working position of `t` looking forward: `(working day, offset in [0, L))`.
    fn pos_forward(&mut self, t: DateTime<Utc>) -> Result<(NaiveDate, TimeDelta), DomainError> {
        let local = beijing_checked(t)?;
        let (date, time) = (local.date(), local.time());
        let cfg = self.cfg();
        if self.is_working(date)? && time < cfg.workday_end {
            return Ok((date, cfg.offset_of(time)));
        }
        Ok((self.next_working_day(date)?, TimeDelta::zero()))
    }

    /// Working position of `t` looking backward: `(working day, offset in (0, L])`.
    fn pos_backward(&mut self, t: DateTime<Utc>) -> Result<(NaiveDate, TimeDelta), DomainError> {
        let local = beijing_checked(t)?;
        let (date, time) = (local.date(), local.time());
        let cfg = self.cfg();
        if self.is_working(date)? && time > cfg.workday_start {
            return Ok((date, cfg.offset_of(time)));
        }
        Ok((self.prev_working_day(date)?, cfg.day_length()))
    }

    /// The instant `dur` of working time after `t` (the earlier wall-clock instant at period boundaries).
    pub(crate) fn add_working(
        &mut self,
        t: DateTime<Utc>,
        dur: TimeDelta,
    ) -> Result<DateTime<Utc>, DomainError> {
        let len = self.cfg().day_length();
        let (mut date, mut off) = self.pos_forward(t)?;
        let mut rest = dur;
        loop {
            let avail = len - off;
            if rest <= avail {
                return Ok(self.at(date, off + rest));
            }
            rest -= avail;
            date = self.next_working_day(date)?;
            off = TimeDelta::zero();
        }
    }

    /// The earliest instant that lies `dur` of working time before `t`.
    pub(crate) fn sub_working(
        &mut self,
        t: DateTime<Utc>,
        dur: TimeDelta,
    ) -> Result<DateTime<Utc>, DomainError> {
        let len = self.cfg().day_length();
        let (mut date, mut off) = self.pos_backward(t)?;
        let mut rest = dur;
        loop {
            if rest < off {
                return Ok(self.at(date, off - rest));
            }
            rest -= off;
            date = self.prev_working_day(date)?;
            off = len;
        }
    }

    /// Working time inside `[a, b]` (zero when `b <= a`).
    pub(crate) fn working_between(
        &mut self,
        a: DateTime<Utc>,
        b: DateTime<Utc>,
    ) -> Result<TimeDelta, DomainError> {
        if b <= a {
            return Ok(TimeDelta::zero());
        }
        let last = beijing_checked(b)?.date();
        let mut date = beijing_checked(a)?.date();
        let mut total = TimeDelta::zero();
        while date <= last {
            if self.is_working(date)? {
                total += self.cfg().working_within_day(date, a, b);
            }
            date = next_date(date)?;
        }
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::hours::hm;

    fn cal() -> WorkCalendar {
        WorkCalendar::builtin().unwrap()
    }

    #[test]
    fn r5_3_working_time_add_sub_and_between() {
        let c = cal();
        let mut w = Walk::new(&c);
        // Friday 2024-02-09 16:00 + 4h → through the whole Spring Festival to the 调休 Sunday 2月18日 10:00.
        let got = w.add_working(at(2024, 2, 9, 16, 0), TimeDelta::hours(4)).unwrap();
        assert_eq!(got, at(2024, 2, 18, 10, 0));
        // Exactly the rest of a day ends at 18:00, not the next morning.
        assert_eq!(w.add_working(at(2024, 3, 4, 8, 0), TimeDelta::hours(10)).unwrap(), at(2024, 3, 4, 18, 0));
        // Backwards: Monday 09:00 − 2h → Friday 17:00; Monday 08:00 − 10h → Thursday 18:00.
        assert_eq!(w.sub_working(at(2024, 3, 11, 9, 0), TimeDelta::hours(2)).unwrap(), at(2024, 3, 8, 17, 0));
        assert_eq!(
            w.sub_working(at(2024, 3, 11, 8, 0), TimeDelta::hours(10)).unwrap(),
            at(2024, 3, 7, 18, 0)
        );
        assert_eq!(
            w.working_between(at(2024, 2, 9, 16, 0), at(2024, 2, 18, 10, 0)).unwrap(),
            TimeDelta::hours(4)
        );
        assert_eq!(
            w.working_between(at(2024, 2, 18, 10, 0), at(2024, 2, 9, 16, 0)).unwrap(),
            TimeDelta::zero()
        );
        assert!(w.warnings().is_empty());
    }

    fn at(y: i32, m: u32, dd: u32, h: u32, mi: u32) -> DateTime<Utc> {
        WorkCalendar::instant(NaiveDate::from_ymd_opt(y, m, dd).unwrap(), hm(h, mi))
    }
}
