//! Seeing a missing year coming (R5.3): how far ahead due times counted in working days can reach, and
//! from which assignment day on they can reach a date the loaded notices do not decide — so an
//! administrator is told in time to import the year, instead of finding due times refused.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::{MAX_SCAN_DAYS, MissingYearPolicy, WorkCalendar, human_date};

/// The calendar days `working_days` working days can span at most: five working days a week (rounded
/// up), plus 14 days for the longest holiday stretch a notice sets (春节 or 国庆, up to 9 days, with
/// the weekends around it).
pub fn reach_days(working_days: u32) -> i64 {
    i64::from(working_days.saturating_mul(7).div_ceil(5)) + 14
}

/// The first date a due time can reach that the calendar cannot decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UncoveredAhead {
    /// The first undecided date due times can reach.
    pub date: NaiveDate,
    /// The year whose notice is missing for it (the next one for 29–31 December).
    pub year: i32,
    /// The first assignment day from which a due time can reach `date` (the window's first day when
    /// it already can).
    pub from: NaiveDate,
}

/// Whether due times counted from assignments made on `first..=last`, reaching at most `reach`
/// calendar days ahead, can reach a date `cal` does not decide; the first such date, its year and the
/// first assignment day that can reach it. `None` when every date they can reach is covered (or the
/// window is empty). Scans at most [`MAX_SCAN_DAYS`] days.
pub fn uncovered_ahead(
    cal: &WorkCalendar,
    first: NaiveDate,
    last: NaiveDate,
    reach: i64,
) -> Option<UncoveredAhead> {
    if last < first {
        return None;
    }
    let horizon = last + Duration::days(reach.max(0));
    let (date, year) = first
        .iter_days()
        .take_while(|d| *d <= horizon)
        .take(MAX_SCAN_DAYS as usize)
        .find_map(|d| cal.covers(d).err().map(|e| (d, e.year)))?;
    let from = (date - Duration::days(reach.max(0))).max(first);
    Some(UncoveredAhead { date, year, from })
}

/// The warning for an administrator (Chinese): which campaign, from when, which year, what happens
/// under `policy`, and what to do. `today` decides between "already" and "from <date> on".
pub fn uncovered_warning(
    campaign: &str,
    ahead: &UncoveredAhead,
    today: NaiveDate,
    policy: MissingYearPolicy,
) -> String {
    let y = ahead.year;
    let consequence = match policy {
        MissingYearPolicy::Refuse => {
            format!("涉及{y}年的期限将无法计算（calendar_year_missing），交办和延期审批会被拒绝")
        }
        MissingYearPolicy::WeekendsOnly => {
            format!("涉及{y}年的期限将只按周六、周日估算，不计法定节假日和调休")
        }
    };
    let todo = "请系统管理员在“节假日安排”页面（/admin/holidays）上传，或运行 ducha holidays import 录入";
    if ahead.from <= today {
        format!(
            "“{campaign}”：现在交办的案件，办理期限（含延期）已可能延至{y}年（最早{}），但{y}年节假日安排尚未录入，{consequence}。{todo}。",
            human_date(ahead.date)
        )
    } else {
        format!(
            "“{campaign}”：自{}起交办的案件，办理期限（含延期）可能延至{y}年（最早{}），但{y}年节假日安排尚未录入；届时{consequence}。{todo}，最迟在{}之前。",
            human_date(ahead.from),
            human_date(ahead.date),
            human_date(ahead.from)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn r5_3_reach_of_working_days() {
        for (wd, want) in [(0, 14), (1, 16), (5, 21), (7, 24), (37, 66)] {
            assert_eq!(reach_days(wd), want, "{wd}");
        }
    }

    /// The built-in data end with 2026; 29–31 December 2026 already need 2027.
    #[test]
    fn r5_3_uncovered_ahead_table() {
        let cal = WorkCalendar::builtin().unwrap();
        let u = |first, last, reach| uncovered_ahead(&cal, first, last, reach);
        let table: Vec<(NaiveDate, NaiveDate, i64, Option<UncoveredAhead>)> = vec![
            // Well inside the data: nothing.
            (d(2026, 3, 1), d(2026, 3, 31), 66, None),
            // Reaching 29 December 2026: the year named is 2027, reached from 66 days before.
            (
                d(2026, 10, 1),
                d(2026, 10, 31),
                66,
                Some(UncoveredAhead { date: d(2026, 12, 29), year: 2027, from: d(2026, 10, 24) }),
            ),
            // The window starts past the point of no return: from its first day.
            (
                d(2026, 12, 1),
                d(2026, 12, 10),
                66,
                Some(UncoveredAhead { date: d(2026, 12, 29), year: 2027, from: d(2026, 12, 1) }),
            ),
            (d(2026, 10, 1), d(2026, 10, 20), 66, None),
            // An empty window.
            (d(2026, 10, 2), d(2026, 10, 1), 66, None),
        ];
        for (first, last, reach, want) in table {
            assert_eq!(u(first, last, reach), want, "{first}..{last} +{reach}");
        }
    }

    #[test]
    fn r5_3_uncovered_warning_says_what_to_do() {
        let ahead = UncoveredAhead { date: d(2026, 12, 29), year: 2027, from: d(2026, 10, 24) };
        let later = uncovered_warning("三散专项督察", &ahead, d(2026, 10, 1), MissingYearPolicy::Refuse);
        for needle in [
            "三散专项督察",
            "自2026年10月24日起",
            "2027年",
            "/admin/holidays",
            "ducha holidays import",
            "无法计算",
        ] {
            assert!(later.contains(needle), "{needle}: {later}");
        }
        let now = uncovered_warning("三散专项督察", &ahead, d(2026, 10, 24), MissingYearPolicy::WeekendsOnly);
        assert!(now.contains("现在交办") && now.contains("只按周六、周日估算"), "{now}");
    }
}
