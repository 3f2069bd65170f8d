//! R2.6 completeness: every assigned case disclosed within the configured working days (R5.3 calendar).

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::calendar::WorkCalendar;

/// Default: every assigned case is disclosed within 1 working day.
pub const DEFAULT_DISCLOSURE_WORKING_DAYS: u32 = 1;

/// One assigned case and when (if ever) it was first disclosed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosureItem {
    pub case_id: i64,
    pub accept_no: String,
    pub column: String,
    pub batch_number: u32,
    pub assigned_at: DateTime<Utc>,
    pub disclosed_at: Option<DateTime<Utc>>,
}

/// A case not disclosed in time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub case_id: i64,
    pub accept_no: String,
    pub column: String,
    pub batch_number: u32,
    pub assigned_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    /// None: still not disclosed (a gap); Some: disclosed, but after the due time.
    pub disclosed_at: Option<DateTime<Utc>>,
    /// Whole hours past due (at `now` for open gaps).
    pub hours_late: i64,
}

impl Gap {
    pub fn is_open(&self) -> bool {
        self.disclosed_at.is_none()
    }
}

/// The result of the R2.6 check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GapReport {
    /// Open gaps (not disclosed, past due) first, then late disclosures.
    pub gaps: Vec<Gap>,
    /// Calendar warnings (a year without holiday data was counted on whole days).
    pub warnings: Vec<String>,
}

impl GapReport {
    pub fn open(&self) -> impl Iterator<Item = &Gap> {
        self.gaps.iter().filter(|g| g.is_open())
    }
}

/// When a case assigned at `assigned_at` must be disclosed: the end of the `days`-th working day after
/// it (R5.3 calendar); with no calendar, or for a year the calendar has no data for, `days` whole days
/// (the warning says so).
pub fn disclosure_due(
    assigned_at: DateTime<Utc>,
    days: u32,
    cal: Option<&WorkCalendar>,
) -> (DateTime<Utc>, Option<String>) {
    let days = days.max(1);
    let whole = assigned_at + Duration::days(i64::from(days));
    match cal {
        None => (whole, Some(format!("未加载工作日历，公开时限按{days}个自然日计算"))),
        Some(c) => match crate::deadline::due_after_working_days(assigned_at, days, c) {
            Ok(due) => (due.at, due.warnings.into_iter().next()),
            Err(e) => (whole, Some(format!("{}；公开时限按{days}个自然日计算", e.message))),
        },
    }
}

/// R2.6: every assigned case must be disclosed within `days` working days of its assignment. Lists the
/// cases still undisclosed past their due time (open gaps) and those disclosed late.
pub fn disclosure_gaps(
    items: &[DisclosureItem],
    now: DateTime<Utc>,
    days: u32,
    cal: Option<&WorkCalendar>,
) -> GapReport {
    let mut report = GapReport::default();
    for it in items {
        let (due, warning) = disclosure_due(it.assigned_at, days, cal);
        if let Some(w) = warning
            && !report.warnings.contains(&w)
        {
            report.warnings.push(w);
        }
        let late_at = match it.disclosed_at {
            None if now > due => now,
            Some(d) if d > due => d,
            _ => continue,
        };
        report.gaps.push(Gap {
            case_id: it.case_id,
            accept_no: it.accept_no.clone(),
            column: it.column.clone(),
            batch_number: it.batch_number,
            assigned_at: it.assigned_at,
            due_at: due,
            disclosed_at: it.disclosed_at,
            hours_late: (late_at - due).num_hours(),
        });
    }
    report.gaps.sort_by(|a, b| {
        b.is_open()
            .cmp(&a.is_open())
            .then_with(|| a.due_at.cmp(&b.due_at))
            .then_with(|| a.accept_no.cmp(&b.accept_no))
    });
    report
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::fixtures::at;

    #[test]
    fn r2_6_disclosure_gaps_in_working_days() {
        let cal = WorkCalendar::builtin().unwrap();
        // Friday 2023-12-15 09:00 → due end of Monday 2023-12-18 (18:00).
        let assigned = at(2023, 12, 15, 9);
        let (due, warn) = disclosure_due(assigned, 1, Some(&cal));
        assert_eq!(due, at(2023, 12, 18, 18));
        assert_eq!(warn, None);
        let item = |id: i64, disclosed: Option<DateTime<Utc>>| DisclosureItem {
            case_id: id,
            accept_no: format!("D3HA2023121500{id:02}"),
            column: "410928".into(),
            batch_number: 1,
            assigned_at: assigned,
            disclosed_at: disclosed,
        };
        type Case = (DateTime<Utc>, Option<DateTime<Utc>>, Option<bool>);
        let table: &[Case] = &[
            // (now, disclosed_at, expect: None = no gap, Some(true) = open gap, Some(false) = late)
            (at(2023, 12, 16, 12), None, None), // Saturday: not yet due
            (at(2023, 12, 18, 17), None, None), // Monday before 18:00
            (at(2023, 12, 18, 19), None, Some(true)), // past due, undisclosed
            (at(2023, 12, 19, 9), Some(at(2023, 12, 18, 10)), None), // in time
            (at(2023, 12, 19, 9), Some(at(2023, 12, 19, 8)), Some(false)), // late
        ];
        for (i, (now, disclosed, expect)) in table.iter().enumerate() {
            let r = disclosure_gaps(&[item(i as i64, *disclosed)], *now, 1, Some(&cal));
            assert_eq!(r.gaps.first().map(Gap::is_open), *expect, "case {i}");
        }
        let r = disclosure_gaps(&[item(1, None)], at(2023, 12, 19, 18), 1, Some(&cal));
        assert_eq!(r.gaps[0].hours_late, 24);
        // Over a holiday: assigned Thursday 2023-09-28 → the National Day holiday runs to 10-06 and
        // Saturday 10-07 is a make-up working day.
        let (due, _) = disclosure_due(at(2023, 9, 28, 9), 1, Some(&cal));
        assert_eq!(due, at(2023, 10, 7, 18));
        // Without a calendar, whole days, with a warning.
        let (due, warn) = disclosure_due(assigned, 2, None);
        assert_eq!(due, assigned + Duration::days(2));
        assert!(warn.unwrap().contains("2个自然日"));
        // Open gaps come first.
        let r = disclosure_gaps(
            &[item(1, Some(at(2023, 12, 19, 8))), item(2, None)],
            at(2023, 12, 20, 9),
            1,
            Some(&cal),
        );
        assert_eq!(r.gaps.iter().map(|g| g.case_id).collect::<Vec<_>>(), vec![2, 1]);
        assert_eq!(r.open().count(), 1);
    }
}
