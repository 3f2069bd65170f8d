//! Time in the notice is Beijing time (Asia/Shanghai, UTC+8, no daylight saving since 1991).

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};

/// UTC+08:00, the only offset Asia/Shanghai has used since 1991.
pub fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is within ±24h")
}

/// A UTC instant seen in Beijing time.
pub fn to_cst(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&cst())
}

/// A Beijing wall-clock time as a UTC instant.
pub fn from_cst(local: NaiveDateTime) -> DateTime<Utc> {
    cst()
        .from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

/// Milliseconds since the Unix epoch, the storage form of every instant.
pub fn to_millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Inverse of [`to_millis`]; out-of-range values clamp to the epoch rather than panic.
pub fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// ISO-8601 with the +08:00 offset, the form every pinned interface prints.
pub fn iso_cst(t: DateTime<Utc>) -> String {
    to_cst(t).format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// `2023年12月15日 14:05`, the form people read on pages.
pub fn human_cst(t: DateTime<Utc>) -> String {
    to_cst(t).format("%Y年%m月%d日 %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn cst_round_trip() {
        let local =
            NaiveDate::from_ymd_opt(2023, 12, 15).and_then(|d| d.and_hms_opt(8, 0, 0)).expect("valid");
        let utc = from_cst(local);
        assert_eq!(utc.to_rfc3339(), "2023-12-15T00:00:00+00:00");
        assert_eq!(iso_cst(utc), "2023-12-15T08:00:00+08:00");
        assert_eq!(from_millis(to_millis(utc)), utc);
        assert_eq!(human_cst(utc), "2023年12月15日 08:00");
    }
}
