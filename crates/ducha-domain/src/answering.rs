//! Answering days: which day's batch (第N批) a complaint belongs to.
//!
//! The hotline answers daily within the campaign's answering hours (default 08:00–20:00, every calendar
//! day, weekends included: batches are not working-day bound). A day's batch is that day's intake. Voice
//! mail, letters opened, web and app reports can arrive at any hour; a complaint received at night belongs
//! to the *next* answering day: one received at 20:00 or later on day D goes into D+1's batch, one received
//! before 08:00 on day D into D's batch. So the batch of day D covers `[D−1 20:00, D 20:00)` in Beijing
//! time, and its cutoff is D 20:00: 19:59 on Friday is Friday's batch, 20:01 is Saturday's.

use chrono::{DateTime, NaiveDate, Utc};

use crate::calendar::{WorkCalendar, beijing};
use crate::campaign::AnsweringHours;

/// The answering day whose batch a complaint received at `received_at` belongs to.
pub fn batch_day_of(received_at: DateTime<Utc>, hours: AnsweringHours) -> NaiveDate {
    // At the far ends of chrono's range, where Beijing time does not exist, the UTC date is used.
    let local = beijing(received_at).unwrap_or(received_at.naive_utc());
    let date = local.date();
    if local.time() >= hours.end { date.succ_opt().unwrap_or(date) } else { date }
}

/// The end of the intake of `date`'s batch (its answering hours' end, default 20:00), exclusive.
pub fn batch_cutoff(date: NaiveDate, hours: AnsweringHours) -> DateTime<Utc> {
    WorkCalendar::instant(date, hours.end)
}

/// The intake window of `date`'s batch: from the previous day's cutoff (night receipts included) to this
/// day's cutoff, `[start, end)`.
pub fn batch_window(date: NaiveDate, hours: AnsweringHours) -> (DateTime<Utc>, DateTime<Utc>) {
    let previous = date.pred_opt().unwrap_or(date);
    (batch_cutoff(previous, hours), batch_cutoff(date, hours))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn at(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        WorkCalendar::instant(date, NaiveTime::from_hms_opt(h, mi, 0).unwrap())
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn r2_1_answering_day_friday_1959_vs_2001_and_night_receipts() {
        let h = AnsweringHours::default();
        let rows = [
            (at(2024, 3, 8, 19, 59), date(2024, 3, 8)),
            (at(2024, 3, 8, 20, 0), date(2024, 3, 9)),
            (at(2024, 3, 8, 20, 1), date(2024, 3, 9)),
            (at(2024, 3, 9, 3, 0), date(2024, 3, 9)),
            (at(2024, 3, 9, 7, 59), date(2024, 3, 9)),
            (at(2024, 3, 9, 8, 0), date(2024, 3, 9)),
            (at(2024, 12, 31, 21, 0), date(2025, 1, 1)),
        ];
        for (received, want) in rows {
            assert_eq!(batch_day_of(received, h), want, "{}", crate::time::iso_cst(received));
        }
    }

    #[test]
    fn r2_1_batch_window_and_cutoff_agree_with_batch_day() {
        let h = AnsweringHours {
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(21, 0, 0).unwrap(),
        };
        let d = date(2024, 3, 8);
        assert_eq!(batch_cutoff(d, h), at(2024, 3, 8, 21, 0));
        let (start, end) = batch_window(d, h);
        assert_eq!((start, end), (at(2024, 3, 7, 21, 0), at(2024, 3, 8, 21, 0)));
        let minute = chrono::TimeDelta::minutes(1);
        assert_eq!(batch_day_of(start, h), d);
        assert_eq!(batch_day_of(end - minute, h), d);
        assert_eq!(batch_day_of(end, h), date(2024, 3, 9));
        assert_eq!(batch_day_of(start - minute, h), date(2024, 3, 7));
    }
}
