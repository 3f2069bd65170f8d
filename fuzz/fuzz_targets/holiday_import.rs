//! A year's holiday file as an administrator may upload it (`/admin/holidays`, `ducha holidays
//! import`), arbitrary: the checks never panic, what they accept has one row per date, all in the
//! stated year (or 29–31 December before it), and laid over the built-in data it gives an answer for
//! every day of that year.
#![no_main]

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use ducha_domain::calendar::{ImportedDayKind, ImportedYear, WorkCalendar};
use libfuzzer_sys::fuzz_target;

static BUILTIN: OnceLock<WorkCalendar> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let dated = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let Ok(y) = ImportedYear::parse_csv(2027, "测试〔2026〕1号", dated, s) else { return };
    assert!(y.days.windows(2).all(|w| w[0].date < w[1].date), "one row per date, ascending");
    for d in &y.days {
        let late_december = d.date.year() == 2026 && d.date.month() == 12 && d.date.day() >= 29;
        assert!(d.date.year() == 2027 || late_december, "{} outside 2027", d.date);
        if d.kind == ImportedDayKind::Workday {
            assert!(d.date.weekday().number_from_monday() >= 6, "make-up day {} on a weekday", d.date);
        }
    }
    let builtin = BUILTIN.get_or_init(|| WorkCalendar::builtin().unwrap());
    let Ok(cal) = builtin.with_imported(std::slice::from_ref(&y)) else { return };
    let mut day = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    while day.year() == 2027 && (day.month() < 12 || day.day() < 29) {
        assert!(cal.day_kind(day).is_ok(), "imported 2027 has no answer for {day}");
        day = day.succ_opt().unwrap();
    }
});
