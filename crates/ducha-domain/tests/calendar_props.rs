//! Property tests of R5.1 (quiet hours), R5.2 (compression guard) and R5.3 (working time), each against a
//! deliberately naive oracle: minute-by-minute counting over the calendar's day kinds.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Timelike, Utc};
use ducha_domain::calendar::{MissingYearPolicy, WorkCalendar, WorkingDuration, WorkingTimeConfig};
use ducha_domain::compression::{check_child_due, earliest_allowed_child_due};
use ducha_domain::deadline::{due_after_working_hours, plan_due, remaining_text, working_days_between};
use ducha_domain::quiet::{QuietHoursConfig, delivery_time};
use ducha_domain::time::{from_cst, to_cst};
use ducha_domain::unit::UnitLevel;
use proptest::prelude::*;

fn cal() -> WorkCalendar {
    WorkCalendar::builtin().unwrap()
}

fn minute(y: i32, m: u32, d: u32) -> i64 {
    from_cst(NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(0, 0, 0).unwrap()).timestamp() / 60
}

/// Minute-aligned instants from 2019-01-20 to 2026-11-20 (Beijing), leaving room inside the covered years
/// for due times after them and for buffers and overdue spans before them.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (minute(2019, 1, 20)..minute(2026, 11, 20)).prop_map(|m| DateTime::from_timestamp(m * 60, 0).unwrap())
}

fn level() -> impl Strategy<Value = UnitLevel> {
    prop::sample::select(UnitLevel::ALL.to_vec())
}

fn buffer() -> impl Strategy<Value = WorkingDuration> {
    prop_oneof![(1u32..=3).prop_map(WorkingDuration::Days), (1u32..=30).prop_map(WorkingDuration::Hours)]
}

/// Working minutes in `[a, b)`, one minute at a time: a minute counts when its Beijing date is a working day
/// and its Beijing time is within the default office hours 08:00–18:00.
fn oracle_working_minutes(cal: &WorkCalendar, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
    let (start, end) =
        (NaiveTime::from_hms_opt(8, 0, 0).unwrap(), NaiveTime::from_hms_opt(18, 0, 0).unwrap());
    let mut n = 0;
    let mut t = a;
    while t < b {
        let local = to_cst(t).naive_local();
        if local.time() >= start && local.time() < end && cal.is_working_day(local.date()).unwrap() {
            n += 1;
        }
        t += TimeDelta::minutes(1);
    }
    n
}

fn buffer_minutes(b: WorkingDuration) -> i64 {
    match b {
        WorkingDuration::Days(d) => i64::from(d) * 600,
        WorkingDuration::Hours(h) => i64::from(h) * 60,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// R5.1: delivered ≥ created; nothing reaches a handling unit inside the quiet window; a held task
    /// arrives at 08:00 on a working day, the first such morning after its creation.
    #[test]
    fn r5_1_delivered_not_before_created_and_never_at_night(created in instant(), level in level()) {
        let cal = cal();
        let cfg = QuietHoursConfig::default();
        let d = delivery_time(created, level, &cfg, &cal).unwrap();
        prop_assert!(d.at >= created);
        let local = to_cst(d.at).naive_local();
        if level.is_handling() {
            prop_assert!(!cfg.is_quiet(local.time()), "delivered at night: {}", local);
        } else {
            prop_assert_eq!(d.at, created);
        }
        prop_assert_eq!(d.deferred, d.at != created);
        if d.deferred {
            prop_assert_eq!(local.time(), cfg.end);
            prop_assert!(cal.is_working_day(local.date()).unwrap());
            prop_assert!(d.at - created < TimeDelta::days(12), "held {} too long", d.at - created);
            // No earlier working morning after `created`.
            let mut day = to_cst(created).date_naive();
            while day < local.date() {
                let morning = from_cst(day.and_time(cfg.end));
                prop_assert!(!(morning > created && cal.is_working_day(day).unwrap()), "skipped {}", day);
                day = day.succ_opt().unwrap();
            }
        }
    }

    /// R5.1 + R5.3: due ≥ delivered ≥ created; the due time is 18:00 on a working day with exactly n − 1
    /// working days strictly between the delivery date and the due date.
    #[test]
    fn r5_3_due_after_delivery(created in instant(), level in level(), n in 1u32..=20) {
        let cal = cal();
        let plan = plan_due(created, n, Some(level), &QuietHoursConfig::default(), &cal).unwrap();
        prop_assert!(plan.delivery.at >= created);
        prop_assert!(plan.due.at > plan.delivery.at);
        let due_local = to_cst(plan.due.at).naive_local();
        prop_assert_eq!(due_local.time(), NaiveTime::from_hms_opt(18, 0, 0).unwrap());
        prop_assert!(cal.is_working_day(due_local.date()).unwrap());
        let delivered = to_cst(plan.delivery.at).date_naive();
        let between = delivered
            .iter_days()
            .skip(1)
            .take_while(|d| *d < due_local.date())
            .filter(|d| cal.is_working_day(*d).unwrap())
            .count();
        prop_assert_eq!(between as u32, n - 1);
        prop_assert!(plan.due.warnings.is_empty());
    }

    /// R5.3: a due time in working hours is exactly that much working time after the start.
    #[test]
    fn r5_3_working_hours_due_matches_minute_count(start in instant(), h in 1u32..=40) {
        let cal = cal();
        let due = due_after_working_hours(start, h, &cal).unwrap();
        prop_assert!(due.at > start);
        prop_assert_eq!(oracle_working_minutes(&cal, start, due.at), i64::from(h) * 60);
        // And nothing earlier would do: one minute less is one working minute short.
        prop_assert_eq!(oracle_working_minutes(&cal, start, due.at - TimeDelta::minutes(1)), i64::from(h) * 60 - 1);
    }

    /// R5.2: every accepted child due is ≥ parent due − buffer, and acceptance is exactly "the working time
    /// between child and parent due is at most the buffer".
    #[test]
    fn r5_2_accepted_child_due_keeps_at_most_the_buffer(
        parent in instant(),
        back in 0i64..(8 * 24 * 60),
        buffer in buffer(),
    ) {
        let cal = cal();
        let child = parent - TimeDelta::minutes(back);
        let earliest = earliest_allowed_child_due(parent, buffer, &cal).unwrap();
        let used = oracle_working_minutes(&cal, child, parent);
        match check_child_due(parent, child, buffer, &cal) {
            Ok(()) => {
                prop_assert!(child >= earliest);
                prop_assert!(used <= buffer_minutes(buffer), "accepted with {} working minutes taken", used);
            }
            Err(e) => {
                prop_assert_eq!(e.code, "r5_2_deadline_compression");
                prop_assert!(child < earliest);
                prop_assert!(used > buffer_minutes(buffer));
            }
        }
    }

    /// R5.2 at the boundary: the earliest allowed time is accepted, one minute earlier is refused.
    #[test]
    fn r5_2_earliest_allowed_is_the_exact_boundary(parent in instant(), buffer in buffer()) {
        let cal = cal();
        let earliest = earliest_allowed_child_due(parent, buffer, &cal).unwrap();
        prop_assert!(earliest <= parent);
        prop_assert!(check_child_due(parent, earliest, buffer, &cal).is_ok());
        prop_assert_eq!(oracle_working_minutes(&cal, earliest, parent), buffer_minutes(buffer));
        let before = earliest - TimeDelta::minutes(1);
        prop_assert!(check_child_due(parent, before, buffer, &cal).is_err());
    }

    /// R5.3: the remaining-time text never panics, whatever the instants and the policy.
    #[test]
    fn r5_3_remaining_text_never_panics(
        now in -20_000_000_000i64..20_000_000_000,
        due in -20_000_000_000i64..20_000_000_000,
        estimate in any::<bool>(),
    ) {
        let policy = if estimate { MissingYearPolicy::WeekendsOnly } else { MissingYearPolicy::Refuse };
        let cal = cal().with_config(WorkingTimeConfig { missing_year: policy, ..Default::default() }).unwrap();
        let (now, due) = (DateTime::from_timestamp(now, 0).unwrap(), DateTime::from_timestamp(due, 0).unwrap());
        let text = remaining_text(now, due, &cal);
        prop_assert!(!text.is_empty());
    }

    /// R5.3: remaining time is consistent with the minute count, in both directions.
    #[test]
    fn r5_3_remaining_matches_minute_count(now in instant(), ahead in -(6 * 24 * 60i64)..(6 * 24 * 60)) {
        let cal = cal();
        let due = now + TimeDelta::minutes(ahead);
        let r = working_days_between(now, due, &cal).unwrap();
        prop_assert_eq!(r.overdue, now > due);
        let (a, b) = if r.overdue { (due, now) } else { (now, due) };
        prop_assert_eq!(r.working_seconds, oracle_working_minutes(&cal, a, b) * 60);
        let text = r.text();
        prop_assert!(text.starts_with(if r.overdue { "已" } else if r.working_seconds > 0 { "还剩" } else { "即将" }), "{}", text);
    }
}

#[test]
fn r5_3_remaining_text_at_the_ends_of_time() {
    let cal = cal();
    for (now, due) in [
        (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC),
        (DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC),
        (DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MAX_UTC),
        (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MIN_UTC),
    ] {
        assert!(!remaining_text(now, due, &cal).is_empty());
    }
    // The oracle's own sanity: a plain Monday has 600 working minutes.
    let monday = from_cst(NaiveDate::from_ymd_opt(2024, 3, 4).unwrap().and_hms_opt(0, 0, 0).unwrap());
    assert_eq!(oracle_working_minutes(&cal, monday, monday + TimeDelta::days(1)), 600);
    assert_eq!(to_cst(monday).weekday(), chrono::Weekday::Mon);
    assert_eq!(to_cst(monday).hour(), 0);
}
