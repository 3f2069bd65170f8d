//! The holiday-data importer on arbitrary files: never panics, and a calendar it accepts answers for
//! every day of every year it claims to cover (and refuses, without panicking, the years it does not).
#![no_main]

use chrono::{Datelike, NaiveDate};
use ducha_domain::calendar::WorkCalendar;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let (notices, days) = s.split_once('\0').unwrap_or((s, ""));
    let Ok(cal) = WorkCalendar::from_csv(notices, days) else { return };
    let years: Vec<i32> = cal.years().collect();
    for y in years.iter().copied().take(4) {
        let Some(mut d) = NaiveDate::from_ymd_opt(y, 1, 1) else { continue };
        while d.year() == y {
            // 29–31 December may need the next year's notice: either answer is fine, never a panic.
            let kind = cal.day_kind(d);
            if d.month() < 12 || d.day() < 29 {
                assert!(kind.is_ok(), "covered year {y} has no answer for {d}");
            }
            let _ = cal.is_working_day(d);
            let Some(next) = d.succ_opt() else { break };
            d = next;
        }
        if !years.contains(&(y - 1)) {
            let before = NaiveDate::from_ymd_opt(y - 1, 6, 1);
            if let Some(b) = before {
                assert!(cal.day_kind(b).is_err(), "uncovered year {} answered", y - 1);
            }
        }
    }
});
