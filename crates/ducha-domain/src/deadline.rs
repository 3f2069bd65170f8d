//! R5.3 due times in working time on the Chinese calendar, what a page prints about them, and what
//! `ducha calendar due --explain` shows.
//!
//! # Working days
//! [`due_after_working_days`]`(start, n)`: day 1 is the first working day *after* the Beijing date of
//! `start` (the rest of the start day is never counted, whatever the hour), and the due instant is the end
//! of the working day (`workday_end`, default 18:00) of day n. Weekends and holidays are skipped; a make-up
//! working day (调休上班) counts. `start` is the delivery time: every clock starts at delivery (R5.1).
//!
//! # Working hours
//! [`due_after_working_hours`]`(start, h)`: only the time inside the office hours of working days counts
//! (default 08:00–18:00, optional lunch break), starting at `start` itself. A due time that falls exactly at
//! the end of a working period is that end (18:00), not the next morning.
//!
//! # Remaining time
//! [`working_days_between`]`(now, due)` measures the working time between the two instants, and
//! [`remaining_text`] prints it: `还剩3个工作日` (whole working days of working time left), `还剩5小时`,
//! `还剩40分钟`, `已超期2个工作日`, `已超期3小时`, or `已到期` when the due time has passed but no working
//! time has gone by since (a due time of Friday 18:00 read on Saturday).
//!
//! Results that used a weekends-only estimate (only with `MissingYearPolicy::WeekendsOnly`) carry the
//! warning in `warnings`; pages must show it next to the due time.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::DomainError;
use crate::calendar::{
    DayKind, Walk, WorkCalendar, WorkingDuration, beijing_checked, human_date, human_time, weekday_zh,
};
use crate::quiet::{Delivery, QuietHoursConfig, delivery_time};
use crate::time::{from_cst, human_cst, iso_cst};
use crate::unit::UnitLevel;

/// The most working days one due time may span.
pub const MAX_WORKING_DAYS: u32 = 365;

/// A non-plain day between the start and the due time: a weekend, a holiday or a make-up working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarNote {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The year had no data and the kind was estimated on weekends only.
    pub estimated: bool,
}

/// A computed due time and how it came about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    /// Where the clock started (the delivery time).
    pub from: DateTime<Utc>,
    /// What was counted.
    pub basis: WorkingDuration,
    /// The due instant.
    pub at: DateTime<Utc>,
    /// The working days that were counted, in order.
    pub counted_days: Vec<NaiveDate>,
    /// Weekends, holidays and make-up working days crossed on the way, in order.
    pub crossed: Vec<CalendarNote>,
    /// Visible warnings (weekends-only estimates).
    pub warnings: Vec<String>,
    /// The office hours the computation used, e.g. `08:00—18:00`.
    pub office_hours: String,
}

fn positive(field: &str, n: u32, max: u32) -> Result<(), DomainError> {
    if n == 0 || n > max {
        return Err(DomainError::invalid(field, format!("时限应为1至{max}之间的整数")));
    }
    Ok(())
}

fn note(day: crate::calendar::ResolvedDay) -> CalendarNote {
    CalendarNote { date: day.date, kind: day.kind, estimated: day.estimated_for.is_some() }
}

/// R5.3: the end of the `n`-th working day after the Beijing date of `start`.
pub fn due_after_working_days(start: DateTime<Utc>, n: u32, cal: &WorkCalendar) -> Result<Due, DomainError> {
    positive("working_days", n, MAX_WORKING_DAYS)?;
    let mut walk = Walk::new(cal);
    let mut date = beijing_checked(start)?.date();
    let mut counted = Vec::with_capacity(n as usize);
    let mut crossed = Vec::new();
    while counted.len() < n as usize {
        date = date.succ_opt().ok_or_else(|| DomainError::invalid("from", "时间超出可计算范围"))?;
        let day = walk.day(date)?;
        if day.kind.is_working() {
            counted.push(date);
        }
        if day.kind.is_notable() {
            crossed.push(note(day));
        }
    }
    Ok(Due {
        from: start,
        basis: WorkingDuration::Days(n),
        at: WorkCalendar::instant(date, cal.config().workday_end),
        counted_days: counted,
        crossed,
        warnings: walk.warnings(),
        office_hours: cal.config().hours_label(),
    })
}

/// R5.3: the instant `hours` of working time after `start`.
pub fn due_after_working_hours(
    start: DateTime<Utc>,
    hours: u32,
    cal: &WorkCalendar,
) -> Result<Due, DomainError> {
    positive("working_hours", hours, MAX_WORKING_DAYS * 24)?;
    let mut walk = Walk::new(cal);
    let at = walk.add_working(start, TimeDelta::hours(i64::from(hours)))?;
    let (mut counted, mut crossed) = (Vec::new(), Vec::new());
    let (mut date, last) = (beijing_checked(start)?.date(), beijing_checked(at)?.date());
    while date <= last {
        let day = walk.day(date)?;
        if day.kind.is_working() && cal.config().working_within_day(date, start, at) > TimeDelta::zero() {
            counted.push(date);
        }
        if day.kind.is_notable() {
            crossed.push(note(day));
        }
        date = date.succ_opt().ok_or_else(|| DomainError::invalid("from", "时间超出可计算范围"))?;
    }
    Ok(Due {
        from: start,
        basis: WorkingDuration::Hours(hours),
        at,
        counted_days: counted,
        crossed,
        warnings: walk.warnings(),
        office_hours: cal.config().hours_label(),
    })
}

/// Either kind of due time.
pub fn due_after(
    start: DateTime<Utc>,
    span: WorkingDuration,
    cal: &WorkCalendar,
) -> Result<Due, DomainError> {
    match span {
        WorkingDuration::Days(n) => due_after_working_days(start, n, cal),
        WorkingDuration::Hours(h) => due_after_working_hours(start, h, cal),
    }
}

/// Working time between now and a due time, for pages and sorting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Remaining {
    /// `now` is after the due time.
    pub overdue: bool,
    /// Working seconds left (or, when overdue, gone by since the due time).
    pub working_seconds: i64,
    /// Working seconds in one working day.
    pub day_seconds: i64,
}

impl Remaining {
    /// Whole working days of working time.
    pub fn whole_working_days(&self) -> i64 {
        if self.day_seconds > 0 { self.working_seconds / self.day_seconds } else { 0 }
    }

    /// `还剩3个工作日`, `还剩5小时`, `已超期2个工作日`, … (see the module docs).
    pub fn text(&self) -> String {
        let days = self.whole_working_days();
        let secs = self.working_seconds.max(0);
        let (verb, none) = if self.overdue { ("已超期", "已到期") } else { ("还剩", "即将到期") };
        if days >= 1 {
            format!("{verb}{days}个工作日")
        } else if secs >= 3600 {
            format!("{verb}{}小时", secs / 3600)
        } else if secs > 0 {
            format!("{verb}{}分钟", (secs + 59) / 60)
        } else {
            none.to_string()
        }
    }
}

/// R5.3: the working time from `now` to `due` (or since `due`, when overdue).
pub fn working_days_between(
    now: DateTime<Utc>,
    due: DateTime<Utc>,
    cal: &WorkCalendar,
) -> Result<Remaining, DomainError> {
    let mut walk = Walk::new(cal);
    let overdue = now > due;
    let (a, b) = if overdue { (due, now) } else { (now, due) };
    let span = walk.working_between(a, b)?;
    Ok(Remaining {
        overdue,
        working_seconds: span.num_seconds(),
        day_seconds: cal.config().day_length().num_seconds(),
    })
}

/// What a task list prints next to a due time. Never fails: when the calendar cannot measure the span it
/// prints the due time itself and says why.
pub fn remaining_text(now: DateTime<Utc>, due: DateTime<Utc>, cal: &WorkCalendar) -> String {
    match working_days_between(now, due, cal) {
        Ok(r) => r.text(),
        Err(e) => {
            let why = if e.code == "calendar_year_missing" { "缺少节假日数据，" } else { "" };
            if now > due {
                format!("已超过截止时间（{}），{why}无法折算工作日", human_time(due))
            } else {
                format!("截止{}（{why}未折算工作日）", human_time(due))
            }
        }
    }
}

fn run_label(first: NaiveDate, last: NaiveDate) -> String {
    use chrono::Datelike;
    if first == last {
        format!("{}（{}）", human_date(first), weekday_zh(first))
    } else if first.year() == last.year() {
        format!("{}至{}", human_date(first), last.format("%m月%d日"))
    } else {
        format!("{}至{}", human_date(first), human_date(last))
    }
}

/// Chinese lines for `--explain`: where the clock started, every run of weekends, holidays and make-up
/// working days crossed, the counted days and the due time, then any warning.
pub fn explain(due: &Due) -> Vec<String> {
    let mut lines = Vec::new();
    match due.basis {
        WorkingDuration::Days(n) => {
            lines.push(format!("起算时间：{}（北京时间），自次日起计算工作日", human_cst(due.from)));
            lines.push(format!("办理时限：{n}个工作日，截止于第{n}个工作日下班时"));
        }
        WorkingDuration::Hours(h) => {
            lines.push(format!("起算时间：{}（北京时间）", human_cst(due.from)));
            lines.push(format!("办理时限：{h}个工作小时，只计工作日的{}", due.office_hours));
        }
    }
    let mut i = 0;
    while i < due.crossed.len() {
        let head = &due.crossed[i];
        let mut j = i;
        while j + 1 < due.crossed.len() {
            let next = &due.crossed[j + 1];
            let adjacent = due.crossed[j].date.succ_opt() == Some(next.date);
            if !(adjacent && next.kind == head.kind && next.estimated == head.estimated) {
                break;
            }
            j += 1;
        }
        let (first, last) = (head.date, due.crossed[j].date);
        let days = j - i + 1;
        let estimate = if head.estimated { "（按周末推算）" } else { "" };
        let line = match &head.kind {
            DayKind::Holiday { name } => {
                format!("{}：{name}放假，不计入（{days}天）", run_label(first, last))
            }
            DayKind::MakeupWorkday { name } => {
                format!("{}：{name}调休上班，计为工作日", run_label(first, last))
            }
            DayKind::Weekend => format!("{}：周末，不计入{estimate}", run_label(first, last)),
            DayKind::Workday => format!("{}：工作日{estimate}", run_label(first, last)),
        };
        lines.push(line);
        i = j + 1;
    }
    if let (Some(first), Some(last)) = (due.counted_days.first(), due.counted_days.last()) {
        lines.push(format!(
            "计入工作日：{}天（{}至{}）",
            due.counted_days.len(),
            human_date(*first),
            human_date(*last)
        ));
    }
    lines.push(format!("截止时间：{}（{}）", human_cst(due.at), iso_cst(due.at)));
    lines.extend(due.warnings.iter().map(|w| format!("注意：{w}")));
    lines
}

/// What `ducha calendar due` prints: the delivery (after quiet hours for a grassroots level) and the due
/// time counted from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuePlan {
    pub level: Option<UnitLevel>,
    pub delivery: Delivery,
    pub due: Due,
}

/// The pure core of `ducha calendar due --from ISO --working-days N [--level L]`: deliver (R5.1, only when
/// a level is given), then count `n` working days from the delivery (R5.3).
pub fn plan_due(
    created: DateTime<Utc>,
    n: u32,
    level: Option<UnitLevel>,
    quiet: &QuietHoursConfig,
    cal: &WorkCalendar,
) -> Result<DuePlan, DomainError> {
    let delivery = match level {
        Some(l) => delivery_time(created, l, quiet, cal)?,
        None => Delivery {
            created,
            at: created,
            deferred: false,
            overridden: false,
            reason_text: "未指定接收单位层级，按创建时间起算".to_string(),
            warnings: Vec::new(),
        },
    };
    let due = due_after_working_days(delivery.at, n, cal)?;
    Ok(DuePlan { level, delivery, due })
}

/// `--explain` for a plan: the delivery line, then [`explain`] of the due time.
pub fn explain_plan(plan: &DuePlan) -> Vec<String> {
    let mut lines = vec![format!("创建时间：{}", human_cst(plan.delivery.created))];
    lines.push(format!("送达时间：{}（{}）", human_cst(plan.delivery.at), plan.delivery.reason_text));
    lines.extend(plan.delivery.warnings.iter().map(|w| format!("注意：{w}")));
    // A warning the delivery already showed is not repeated under the due time.
    let shown: Vec<String> = plan.delivery.warnings.iter().map(|w| format!("注意：{w}")).collect();
    lines.extend(explain(&plan.due).into_iter().filter(|l| !shown.contains(l)));
    lines
}

/// Parse `--from`: RFC 3339 with an offset (`2024-02-08T21:30:00+08:00`, `…Z`), or a date-time without
/// offset read as Beijing time (`2024-02-08T21:30`, `2024-02-08 21:30:00`).
pub fn parse_instant(s: &str) -> Result<DateTime<Utc>, DomainError> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(from_cst(t));
        }
    }
    Err(DomainError::invalid(
        "from",
        format!("无法识别的时间“{s}”，请使用如 2024-02-08T21:30:00+08:00 的格式"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{LunchBreak, MissingYearPolicy, WorkingTimeConfig};
    use chrono::NaiveTime;

    fn at(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        WorkCalendar::instant(date, NaiveTime::from_hms_opt(h, mi, 0).unwrap())
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::builtin().unwrap()
    }

    fn check_days(start: DateTime<Utc>, n: u32, want: DateTime<Utc>) {
        let due = due_after_working_days(start, n, &cal()).unwrap();
        assert_eq!(due.at, want, "{} + {n} working days; explain: {:#?}", iso_cst(start), explain(&due));
        assert_eq!(due.counted_days.len(), n as usize);
        assert!(due.warnings.is_empty());
    }

    #[test]
    fn r5_3_due_after_working_days_table() {
        let rows = [
            // Plain week: Monday 10:00 + 1 → Tuesday 18:00; + 5 → next Monday 18:00.
            (at(2024, 3, 4, 10, 0), 1, at(2024, 3, 5, 18, 0)),
            (at(2024, 3, 4, 10, 0), 5, at(2024, 3, 11, 18, 0)),
            // The hour does not matter: the start day is never counted.
            (at(2024, 3, 4, 0, 1), 1, at(2024, 3, 5, 18, 0)),
            (at(2024, 3, 4, 23, 59), 1, at(2024, 3, 5, 18, 0)),
            // Friday + 1 → Monday.
            (at(2024, 3, 8, 19, 59), 1, at(2024, 3, 11, 18, 0)),
            // Spring Festival 2024: from Thursday 2月8日, day 1 is Friday 2月9日, day 2 the 调休 Sunday 2月18日.
            (at(2024, 2, 8, 10, 0), 1, at(2024, 2, 9, 18, 0)),
            (at(2024, 2, 8, 10, 0), 2, at(2024, 2, 18, 18, 0)),
            (at(2024, 2, 8, 10, 0), 7, at(2024, 2, 23, 18, 0)),
            // Saturday 2024-02-03 + 1 → the 调休 Sunday 2月4日.
            (at(2024, 2, 3, 10, 0), 1, at(2024, 2, 4, 18, 0)),
            // Spring Festival 2025: Monday 1月27日 + 1 → Wednesday 2月5日; + 4 → the 调休 Saturday 2月8日.
            (at(2025, 1, 27, 9, 0), 1, at(2025, 2, 5, 18, 0)),
            (at(2025, 1, 27, 9, 0), 4, at(2025, 2, 8, 18, 0)),
            // 国庆 2023 merged with 中秋: Thursday 9月28日 + 1 → the 调休 Saturday 10月7日, + 3 → Monday 10月9日.
            (at(2023, 9, 28, 15, 0), 1, at(2023, 10, 7, 18, 0)),
            (at(2023, 9, 28, 15, 0), 3, at(2023, 10, 9, 18, 0)),
            // A week-long batch due: 7 working days from 2026-09-24 (中秋 and 国庆 2026 ahead).
            (at(2026, 9, 24, 9, 0), 7, at(2026, 10, 12, 18, 0)),
        ];
        for (start, n, want) in rows {
            check_days(start, n, want);
        }
    }

    #[test]
    fn r5_3_crossed_days_are_listed_for_explain() {
        let due = due_after_working_days(at(2024, 2, 8, 10, 0), 2, &cal()).unwrap();
        let kinds: Vec<(NaiveDate, String)> = due.crossed.iter().map(|c| (c.date, c.kind.label())).collect();
        let mut want: Vec<(NaiveDate, String)> =
            (10..=17).map(|d| (date(2024, 2, d), "春节假期".to_string())).collect();
        want.push((date(2024, 2, 18), "春节调休上班".to_string()));
        assert_eq!(kinds, want);
        let lines = explain(&due);
        assert_eq!(
            lines,
            vec![
                "起算时间：2024年02月08日 10:00（北京时间），自次日起计算工作日".to_string(),
                "办理时限：2个工作日，截止于第2个工作日下班时".to_string(),
                "2024年02月10日至02月17日：春节放假，不计入（8天）".to_string(),
                "2024年02月18日（星期日）：春节调休上班，计为工作日".to_string(),
                "计入工作日：2天（2024年02月09日至2024年02月18日）".to_string(),
                "截止时间：2024年02月18日 18:00（2024-02-18T18:00:00+08:00）".to_string(),
            ]
        );
    }

    #[test]
    fn r5_3_year_boundary_without_data_is_refused_or_estimated_with_a_warning() {
        // 2026-12-31 (Thursday) + 2 working days reaches into 2027, which has no notice yet.
        let start = at(2026, 12, 31, 10, 0);
        let e = due_after_working_days(start, 2, &cal()).unwrap_err();
        assert_eq!(e.code, "calendar_year_missing");
        assert!(e.message.contains("2027年"), "{}", e.message);
        // Also refused from late December: 12月29日–31日 wait for the 2027 notice.
        assert_eq!(
            due_after_working_days(at(2026, 12, 28, 10, 0), 1, &cal()).unwrap_err().code,
            "calendar_year_missing"
        );
        let estimating = cal()
            .with_config(WorkingTimeConfig {
                missing_year: MissingYearPolicy::WeekendsOnly,
                ..Default::default()
            })
            .unwrap();
        let due = due_after_working_days(start, 2, &estimating).unwrap();
        // Friday 2027-01-01 and Monday 2027-01-04 (Saturday/Sunday skipped), 元旦 2027 unknown.
        assert_eq!(due.at, at(2027, 1, 4, 18, 0));
        assert_eq!(due.warnings.len(), 1);
        assert!(due.warnings[0].contains("2027年") && due.warnings[0].contains("仅按周六、周日"));
        assert!(due.crossed.iter().all(|c| c.estimated));
        assert!(explain(&due).last().unwrap().starts_with("注意：缺少2027年"));
        // Held overnight into 2027 for a township: delivered (estimated) 2027-01-01 08:00, one warning shown.
        let plan = plan_due(
            at(2026, 12, 31, 21, 0),
            3,
            Some(UnitLevel::Township),
            &QuietHoursConfig::default(),
            &estimating,
        )
        .unwrap();
        assert_eq!((plan.delivery.at, plan.due.at), (at(2027, 1, 1, 8, 0), at(2027, 1, 6, 18, 0)));
        let lines = explain_plan(&plan);
        assert_eq!(lines.iter().filter(|l| l.starts_with("注意：")).count(), 1, "{lines:#?}");
        // A year without any data at all, far from the boundary.
        assert_eq!(
            due_after_working_days(at(2018, 6, 1, 10, 0), 3, &cal()).unwrap_err().code,
            "calendar_year_missing"
        );
    }

    #[test]
    fn r5_3_zero_or_absurd_spans_are_refused() {
        assert_eq!(
            due_after_working_days(at(2024, 3, 4, 10, 0), 0, &cal()).unwrap_err().field.as_deref(),
            Some("working_days")
        );
        assert!(due_after_working_days(at(2024, 3, 4, 10, 0), MAX_WORKING_DAYS + 1, &cal()).is_err());
        assert!(due_after_working_hours(at(2024, 3, 4, 10, 0), 0, &cal()).is_err());
    }

    #[test]
    fn r5_3_due_after_working_hours_table() {
        let lunch = cal()
            .with_config(WorkingTimeConfig {
                lunch: Some(LunchBreak {
                    start: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
                    end: NaiveTime::from_hms_opt(13, 30, 0).unwrap(),
                }),
                ..Default::default()
            })
            .unwrap();
        let plain = cal();
        let rows: Vec<(&WorkCalendar, DateTime<Utc>, u32, DateTime<Utc>)> = vec![
            (&plain, at(2024, 3, 4, 10, 0), 2, at(2024, 3, 4, 12, 0)),
            (&plain, at(2024, 3, 4, 16, 0), 2, at(2024, 3, 4, 18, 0)),
            (&plain, at(2024, 3, 4, 16, 0), 3, at(2024, 3, 5, 9, 0)),
            // Night start counts from the next morning; Friday evening from Monday.
            (&plain, at(2024, 3, 4, 21, 0), 1, at(2024, 3, 5, 9, 0)),
            (&plain, at(2024, 3, 8, 17, 0), 5, at(2024, 3, 11, 12, 0)),
            // Across the Spring Festival 2024 into the 调休 Sunday.
            (&plain, at(2024, 2, 9, 16, 0), 4, at(2024, 2, 18, 10, 0)),
            // With a lunch break 12:00–13:30 not counted.
            (&lunch, at(2024, 3, 4, 11, 0), 2, at(2024, 3, 4, 14, 30)),
            (&lunch, at(2024, 3, 4, 11, 0), 1, at(2024, 3, 4, 12, 0)),
            (&lunch, at(2024, 3, 4, 12, 30), 1, at(2024, 3, 4, 14, 30)),
        ];
        for (c, start, h, want) in rows {
            let due = due_after_working_hours(start, h, c).unwrap();
            assert_eq!(due.at, want, "{} + {h}h: {:#?}", iso_cst(start), explain(&due));
        }
        let due = due_after_working_hours(at(2024, 2, 9, 16, 0), 4, &cal()).unwrap();
        assert_eq!(due.counted_days, vec![date(2024, 2, 9), date(2024, 2, 18)]);
        assert_eq!(due.crossed.len(), 9);
    }

    #[test]
    fn r5_3_remaining_text_table() {
        let c = cal();
        let due = at(2024, 3, 7, 18, 0); // Thursday
        let rows = [
            (at(2024, 3, 4, 10, 0), "还剩3个工作日"), // 8h + 3×10h = 38h
            (at(2024, 3, 4, 7, 0), "还剩4个工作日"),
            (at(2024, 3, 6, 19, 0), "还剩1个工作日"),
            (at(2024, 3, 7, 13, 0), "还剩5小时"),
            (at(2024, 3, 7, 17, 20), "还剩40分钟"),
            (at(2024, 3, 7, 18, 0), "即将到期"),
            (at(2024, 3, 7, 23, 0), "已到期"),
            (at(2024, 3, 8, 11, 0), "已超期3小时"),
            (at(2024, 3, 11, 18, 0), "已超期2个工作日"),
        ];
        for (now, want) in rows {
            assert_eq!(remaining_text(now, due, &c), want, "{}", iso_cst(now));
        }
        // Over the Spring Festival the eight holidays do not count.
        assert_eq!(remaining_text(at(2024, 2, 8, 18, 0), at(2024, 2, 19, 18, 0), &c), "还剩3个工作日");
        // Without data the due time is printed as it is.
        assert_eq!(
            remaining_text(at(2027, 3, 1, 9, 0), at(2027, 3, 5, 18, 0), &c),
            "截止2027年03月05日 18:00（缺少节假日数据，未折算工作日）"
        );
        assert!(
            remaining_text(at(2027, 3, 9, 9, 0), at(2027, 3, 5, 18, 0), &c).starts_with("已超过截止时间")
        );
    }

    #[test]
    fn r5_1_r5_3_plan_starts_the_clock_at_delivery() {
        let c = cal();
        let q = QuietHoursConfig::default();
        // Friday 20:01 to a township: delivered Monday 08:00; 3 working days from Monday → Thursday 18:00.
        let plan = plan_due(at(2024, 3, 8, 20, 1), 3, Some(UnitLevel::Township), &q, &c).unwrap();
        assert!(plan.delivery.deferred);
        assert_eq!(plan.delivery.at, at(2024, 3, 11, 8, 0));
        assert_eq!(plan.due.at, at(2024, 3, 14, 18, 0));
        // Friday 19:59: delivered at once; 3 working days → Wednesday 18:00.
        let plan = plan_due(at(2024, 3, 8, 19, 59), 3, Some(UnitLevel::Township), &q, &c).unwrap();
        assert_eq!((plan.delivery.deferred, plan.due.at), (false, at(2024, 3, 13, 18, 0)));
        // The county is not held at 20:01.
        let plan = plan_due(at(2024, 3, 8, 20, 1), 3, Some(UnitLevel::County), &q, &c).unwrap();
        assert_eq!(plan.due.at, at(2024, 3, 13, 18, 0));
        let plan = plan_due(at(2024, 2, 9, 21, 0), 1, Some(UnitLevel::Township), &q, &c).unwrap();
        assert_eq!(plan.delivery.at, at(2024, 2, 18, 8, 0));
        assert_eq!(plan.due.at, at(2024, 2, 19, 18, 0));
        let lines = explain_plan(&plan);
        assert!(
            lines[1].starts_with("送达时间：2024年02月18日 08:00（20:00至次日08:00为夜间静默时段"),
            "{lines:#?}"
        );
        assert_eq!(lines.last().unwrap(), "截止时间：2024年02月19日 18:00（2024-02-19T18:00:00+08:00）");
    }

    #[test]
    fn r5_3_parse_instant_forms() {
        let want = at(2024, 2, 8, 21, 30);
        for s in [
            "2024-02-08T21:30:00+08:00",
            "2024-02-08T13:30:00Z",
            "2024-02-08T21:30",
            "2024-02-08 21:30:00",
            " 2024-02-08 21:30 ",
        ] {
            assert_eq!(parse_instant(s).unwrap(), want, "{s}");
        }
        assert_eq!(parse_instant("明天").unwrap_err().field.as_deref(), Some("from"));
    }
}
