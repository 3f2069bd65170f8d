//! When the generated cases were received: spread evenly over the answering hours of as many whole
//! days as `--per-day` needs, ending yesterday, plus today's answering hours so far.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use ducha_domain::time::{from_cst, to_cst};

/// Received instants: `count` cases spread evenly over the answering hours (08:00–20:00) of as many
/// whole days as `per_day` needs, ending yesterday, plus today's answering hours up to `now`; in order.
#[derive(Debug, Clone, Copy)]
pub struct Timeline {
    pub first_day: NaiveDate,
    full_days: u64,
    /// Cases on the whole days, and on today.
    on_full_days: u64,
    today: u64,
    /// Seconds of today's answering hours before `now`.
    today_secs: u64,
}

const DAY_SECS: u64 = 12 * 3600;

impl Timeline {
    pub fn new(count: usize, per_day: usize, now: DateTime<Utc>) -> Timeline {
        let count = count as u64;
        let full_days = count.div_ceil(per_day.max(1) as u64).max(1);
        let local = to_cst(now);
        let opens = NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default();
        let since_open = (local.time() - opens).num_seconds().clamp(0, DAY_SECS as i64) as u64;
        let total = full_days * DAY_SECS + since_open;
        let today = ((count as u128 * since_open as u128) / total as u128) as u64;
        Timeline {
            first_day: local.date_naive() - Duration::days(full_days as i64),
            full_days,
            on_full_days: count - today,
            today,
            today_secs: since_open,
        }
    }
    /// First position of whole day `d`.
    fn day_start(&self, d: u64) -> u64 {
        ((d as u128 * self.on_full_days as u128).div_ceil(self.full_days as u128)) as u64
    }
    pub fn at(&self, k: usize) -> DateTime<Utc> {
        let k = k as u64;
        let (day, pos, n, span) = if k < self.on_full_days {
            let d = ((k as u128 * self.full_days as u128) / self.on_full_days as u128) as u64;
            let first = self.day_start(d);
            (d, k - first, (self.day_start(d + 1) - first).max(1), DAY_SECS)
        } else {
            (self.full_days, k - self.on_full_days, self.today.max(1), self.today_secs)
        };
        let secs = span as f64 * (pos as f64 + 0.5) / n as f64;
        let date = self.first_day + Duration::days(day as i64);
        from_cst(date.and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default()))
            + Duration::milliseconds((secs * 1000.0) as i64)
    }
    pub fn last_day(&self) -> NaiveDate {
        let extra = if self.today > 0 { 0 } else { 1 };
        self.first_day + Duration::days(self.full_days as i64 - extra)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn timeline_spreads_cases_over_days_in_order_within_the_cap() {
        let today = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        for (hour, expect_today) in [(5, false), (14, true), (23, true)] {
            let now = from_cst(today.and_hms_opt(hour, 30, 0).unwrap());
            let t = Timeline::new(25_001, 1000, now);
            assert_eq!(t.full_days, 26);
            assert_eq!(t.today > 0, expect_today, "{hour}:30");
            let mut per_day: HashMap<NaiveDate, usize> = HashMap::new();
            let mut prev = None;
            for k in 0..25_001 {
                let at = t.at(k);
                assert!(at < now);
                if let Some(p) = prev {
                    assert!(at >= p);
                }
                prev = Some(at);
                let local = to_cst(at);
                assert!((8..20).contains(&chrono::Timelike::hour(&local)), "{local}");
                *per_day.entry(local.date_naive()).or_default() += 1;
            }
            assert_eq!(per_day.len(), 26 + usize::from(expect_today));
            assert!(per_day.values().all(|&n| n <= 1000), "{per_day:?}");
            assert_eq!(per_day.keys().min(), Some(&(today - Duration::days(26))));
            assert_eq!(per_day.keys().max(), Some(&t.last_day()));
        }
    }
}
