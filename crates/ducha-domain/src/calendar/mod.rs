//! The working-time calendar (R5.3): Chinese public holidays and make-up working days (调休), and
//! arithmetic in working time.
//!
//! # Data
//! The built-in data are `data/holidays/notices.csv` and `data/holidays/cn.csv`, transcribed from the State
//! Council General Office notices (国务院办公厅关于X年部分节假日安排的通知) for 2019–2026 and the two amending
//! notices (2019 劳动节, 2020 春节 extension). Each `cn.csv` row is one sentence of a notice: a range of
//! holiday dates (放假, including the weekend days inside the range) or make-up working days (调休上班, always
//! a Saturday or Sunday). When two notices speak of one date, the later-dated notice wins. Adding a year is
//! adding one `notices.csv` row and its `cn.csv` rows; [`WorkCalendar::from_csv`] loads the same files at
//! run time.
//!
//! A deployment adds a year without a release: an administrator imports the year's notice (文号, date and
//! rows in the `cn.csv` layout), checked by [`ImportedYear::parse_csv`] and laid over the built-in data by
//! [`WorkCalendar::with_imported`] (`import`: what is checked, and how an imported year replaces a
//! built-in one). `coverage` sees a missing year coming: from which assignment day due times can reach
//! it ([`uncovered_ahead`]).
//!
//! # What a day is
//! [`WorkCalendar::day_kind`] gives a Beijing date one of four kinds: a plain [`DayKind::Workday`]
//! (Monday–Friday), a [`DayKind::Weekend`], a [`DayKind::Holiday`] or a [`DayKind::MakeupWorkday`].
//! Working days are plain workdays and make-up working days.
//!
//! # Years without data: never a silent guess
//! A calendar year is *covered* only when a notice for it is loaded. A date in an uncovered year is an
//! explicit error ([`NoCalendarData`], `DomainError` code `calendar_year_missing`, naming the year). Only when
//! configured ([`MissingYearPolicy::WeekendsOnly`]) is such a date computed on weekends alone, and then every
//! result that used it carries a Chinese warning.
//!
//! Odd choice, configurable (`late_december_needs_next_year`, default on): the notice for year Y+1 may
//! rearrange the last days of December of year Y (国办发明电〔2018〕15号 made 2018-12-29 a working Saturday and
//! 2018-12-30/31 holidays). So 29–31 December of Y count as covered only when the notice for Y+1 is loaded
//! too; otherwise the missing year named is Y+1.
//!
//! # Working time
//! [`WorkingTimeConfig`] holds the office hours (default 08:00–18:00, an optional lunch break that does not
//! count). All instants are `DateTime<Utc>`; every rule reads them in Beijing time. Working-time arithmetic
//! (used by due times in hours and by the compression guard) treats the end of one working period and the
//! start of the next as the same point in working time and, where it has to pick one, picks the earlier
//! wall-clock instant (a due time of 18:00 rather than the next morning's 08:00).
//!
//! # Layout
//! This module holds the holiday data and what a day is; `import` the years imported at run time;
//! `coverage` how far due times reach into years without data; `hours` the office hours
//! ([`WorkingTimeConfig`], [`WorkingDuration`]); `walk` the working-time arithmetic the due-time rules
//! share (crate-internal).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::time::from_cst;

mod coverage;
mod hours;
mod import;
mod walk;

pub use coverage::{UncoveredAhead, reach_days, uncovered_ahead, uncovered_warning};
pub use hours::{LunchBreak, WorkingDuration, WorkingTimeConfig};
pub use import::{CalendarYear, ImportedDay, ImportedDayKind, ImportedYear, MAX_IMPORT_BYTES, YearSource};
pub(crate) use walk::Walk;

/// The built-in notices list (`data/holidays/notices.csv`).
pub const BUILTIN_NOTICES_CSV: &str = include_str!("../../../../data/holidays/notices.csv");
/// The built-in holiday and make-up day rows (`data/holidays/cn.csv`).
pub const BUILTIN_DAYS_CSV: &str = include_str!("../../../../data/holidays/cn.csv");

/// The longest stretch of days one computation may walk through (about ten years). Beyond it a due time or
/// a remaining-time text is refused rather than computed for minutes.
pub const MAX_SCAN_DAYS: u32 = 3700;

/// What a Beijing date is for working-time purposes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayKind {
    /// Monday to Friday, no holiday.
    Workday,
    /// Saturday or Sunday, not a make-up working day.
    Weekend,
    /// A public holiday (放假) as a notice names it, e.g. `春节` or `中秋节、国庆节`.
    Holiday { name: String },
    /// A Saturday or Sunday worked to make up for a holiday (调休上班).
    MakeupWorkday { name: String },
}

impl DayKind {
    /// Working days are plain workdays and make-up working days.
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeupWorkday { .. })
    }

    /// Anything but a plain Monday–Friday workday: what `--explain` lists.
    pub fn is_notable(&self) -> bool {
        !matches!(self, DayKind::Workday)
    }

    /// Plain Chinese: `工作日`, `周末`, `春节假期`, `春节调休上班`.
    pub fn label(&self) -> String {
        match self {
            DayKind::Workday => "工作日".to_string(),
            DayKind::Weekend => "周末".to_string(),
            DayKind::Holiday { name } => format!("{name}假期"),
            DayKind::MakeupWorkday { name } => format!("{name}调休上班"),
        }
    }
}

/// One State Council notice the data come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// The arrangement year the notice governs.
    pub year: i32,
    /// 文号, e.g. `国办发明电〔2023〕7号`.
    pub doc_no: String,
    /// The date the notice bears.
    pub dated: NaiveDate,
    pub title: String,
    pub url: String,
}

/// A date in a year whose holiday notice is not loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("缺少{year}年的节假日安排数据，无法确定{date}是否为工作日")]
pub struct NoCalendarData {
    /// The date asked about.
    pub date: NaiveDate,
    /// The year whose notice is missing (the date's year, or the next one for 29–31 December).
    pub year: i32,
}

impl From<NoCalendarData> for DomainError {
    /// The refusal says what an administrator does about it: import the year (admin page or command),
    /// or, meanwhile, switch to the weekends-only estimate and accept what it ignores.
    fn from(e: NoCalendarData) -> Self {
        let y = e.year;
        DomainError::new(
            "calendar_year_missing",
            format!(
                "缺少{y}年的节假日安排数据（国务院办公厅{y}年节假日安排通知尚未录入），无法按工作日计算涉及{}的期限。\
                 请系统管理员补录{y}年节假日安排：在管理页面 /admin/holidays（节假日安排）上传通知的放假和调休安排，\
                 或在服务器上运行 ducha holidays import --db 数据库地址 --year {y} --doc-no 通知文号 --dated 通知日期 安排.csv\
                 （文件格式同 data/holidays/cn.csv）。补录之前如需照常计算期限，可设置 working_time.missing_year = \"weekends_only\"\
                 （环境变量 DUCHA_APP__WORKING_TIME__MISSING_YEAR=weekends_only）：届时{y}年的期限只按周六、周日休息计算，\
                 不计法定节假日和调休，结果附带提示，可能与正式安排不符。",
                human_date(e.date),
            ),
        )
        .with_details([
            format!("缺数据年份：{y}"),
            format!("涉及日期：{}", e.date),
            format!(
                "补录命令：ducha holidays import --db URL --year {y} --doc-no 文号 --dated YYYY-MM-DD FILE.csv"
            ),
            "管理页面：/admin/holidays".to_string(),
            "临时办法：working_time.missing_year = \"weekends_only\"（期限只按周六、周日计算，不计节假日和调休）"
                .to_string(),
        ])
    }
}

/// What to do with a date in a year without data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingYearPolicy {
    /// Refuse with `calendar_year_missing` (the default).
    #[default]
    Refuse,
    /// Treat Saturdays and Sundays as the only days off, and say so in a warning on every result.
    WeekendsOnly,
}

/// One date as the calendar resolved it, with the year whose data were missing if it was estimated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// `Some(year)` when the year had no data and the kind was estimated on weekends only.
    pub estimated_for: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Holiday,
    Workday,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    kind: EntryKind,
    name: String,
    doc_no: String,
    dated: NaiveDate,
}

#[derive(Debug, Deserialize)]
struct NoticeRow {
    year: i32,
    doc_no: String,
    dated: NaiveDate,
    title: String,
    url: String,
}

#[derive(Debug, Deserialize)]
struct DayRow {
    from: NaiveDate,
    to: NaiveDate,
    kind: String,
    name: String,
    doc_no: String,
}

/// The holiday calendar plus the office hours: everything working-time rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    notices: Vec<Notice>,
    /// Every (date, row) the notices wrote, before "the later notice wins": `days` is resolved from
    /// them, and resolved again when imported years replace built-in ones ([`Self::with_imported`]).
    rows: Vec<(NaiveDate, Entry)>,
    days: BTreeMap<NaiveDate, Entry>,
    years: BTreeSet<i32>,
    /// Years whose notice was imported at run time ([`ImportedYear`]) rather than built in.
    imported: BTreeSet<i32>,
    config: WorkingTimeConfig,
}

fn data_error(file: &str, message: impl Into<String>) -> DomainError {
    DomainError::new("calendar_data_invalid", format!("节假日数据文件 {file} 有误：{}", message.into()))
}

fn read_rows<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<Vec<T>, DomainError> {
    csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
        .deserialize()
        .map(|r| r.map_err(|e| data_error(file, e.to_string())))
        .collect()
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// What each date is when several notices speak of it: the later-dated notice wins; rows of one date
/// (one notice, or two notices of the same date) that disagree are an error, named in the message.
fn resolve(rows: &[(NaiveDate, Entry)]) -> Result<BTreeMap<NaiveDate, Entry>, String> {
    let mut days: BTreeMap<NaiveDate, Entry> = BTreeMap::new();
    for (date, entry) in rows {
        match days.get(date) {
            None => {
                days.insert(*date, entry.clone());
            }
            Some(old) if old.kind == entry.kind && old.name == entry.name => {
                if entry.dated > old.dated {
                    days.insert(*date, entry.clone());
                }
            }
            Some(old) if old.dated != entry.dated => {
                if entry.dated > old.dated {
                    days.insert(*date, entry.clone());
                }
            }
            Some(old) => {
                return Err(format!("{date}在{}和{}中的安排互相矛盾", old.doc_no, entry.doc_no));
            }
        }
    }
    Ok(days)
}

impl WorkCalendar {
    /// The built-in data (2019–2026) with default office hours.
    pub fn builtin() -> Result<Self, DomainError> {
        Self::from_csv(BUILTIN_NOTICES_CSV, BUILTIN_DAYS_CSV)
    }

    /// Parse and check a notices list and its day rows (the layout of `data/holidays/*.csv`).
    ///
    /// Refused: a row naming an unknown notice, a range backwards or longer than 15 days, a make-up
    /// working day that is not a Saturday or Sunday, a date outside its notice's year (December of the year
    /// before allowed), and two rows of one notice, or of two notices of the same date, that disagree.
    pub fn from_csv(notices_csv: &str, days_csv: &str) -> Result<Self, DomainError> {
        let notice_rows: Vec<NoticeRow> = read_rows("notices.csv", notices_csv)?;
        let mut notices: Vec<Notice> = Vec::with_capacity(notice_rows.len());
        for r in notice_rows {
            if notices.iter().any(|n| n.doc_no == r.doc_no) {
                return Err(data_error("notices.csv", format!("文号{}重复", r.doc_no)));
            }
            notices.push(Notice {
                year: r.year,
                doc_no: r.doc_no,
                dated: r.dated,
                title: r.title,
                url: r.url,
            });
        }
        let day_rows: Vec<DayRow> = read_rows("cn.csv", days_csv)?;
        let mut rows: Vec<(NaiveDate, Entry)> = Vec::new();
        for r in day_rows {
            let notice = notices
                .iter()
                .find(|n| n.doc_no == r.doc_no)
                .ok_or_else(|| data_error("cn.csv", format!("{}引用了未登记的通知{}", r.from, r.doc_no)))?;
            let kind = match r.kind.as_str() {
                "holiday" => EntryKind::Holiday,
                "workday" => EntryKind::Workday,
                other => {
                    return Err(data_error(
                        "cn.csv",
                        format!("{}的类型“{other}”应为 holiday 或 workday", r.from),
                    ));
                }
            };
            let span = (r.to - r.from).num_days();
            if !(0..15).contains(&span) {
                return Err(data_error("cn.csv", format!("{}至{}的日期范围不合理", r.from, r.to)));
            }
            if r.name.is_empty() {
                return Err(data_error("cn.csv", format!("{}缺少节日名称", r.from)));
            }
            for date in r.from.iter_days().take_while(|d| *d <= r.to) {
                let in_year =
                    date.year() == notice.year || (date.year() + 1 == notice.year && date.month() == 12);
                if !in_year {
                    return Err(data_error(
                        "cn.csv",
                        format!("{date}不在通知{}所管的{}年", notice.doc_no, notice.year),
                    ));
                }
                if kind == EntryKind::Workday && !is_weekend(date) {
                    return Err(data_error("cn.csv", format!("调休上班日{date}不是周六或周日")));
                }
                rows.push((
                    date,
                    Entry { kind, name: r.name.clone(), doc_no: notice.doc_no.clone(), dated: notice.dated },
                ));
            }
        }
        let days = resolve(&rows).map_err(|m| data_error("cn.csv", m))?;
        let years = notices.iter().map(|n| n.year).collect();
        Ok(Self {
            notices,
            rows,
            days,
            years,
            imported: BTreeSet::new(),
            config: WorkingTimeConfig::default(),
        })
    }

    /// The same data with other office hours or policy.
    pub fn with_config(mut self, config: WorkingTimeConfig) -> Result<Self, DomainError> {
        config.validate()?;
        self.config = config;
        Ok(self)
    }

    pub fn config(&self) -> &WorkingTimeConfig {
        &self.config
    }

    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// Years with a loaded notice, ascending.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    /// The years whose notice is missing for some date in `from..=to` (ascending, each once): what a
    /// computation over that stretch would refuse, or estimate under [`MissingYearPolicy::WeekendsOnly`].
    /// The stretch is capped at [`MAX_SCAN_DAYS`].
    pub fn missing_years(&self, from: NaiveDate, to: NaiveDate) -> Vec<i32> {
        let mut out = BTreeSet::new();
        for date in from.iter_days().take_while(|d| *d <= to).take(MAX_SCAN_DAYS as usize) {
            if let Err(e) = self.covers(date) {
                out.insert(e.year);
            }
        }
        out.into_iter().collect()
    }

    /// `Ok` when the notices that can decide `date` are loaded.
    pub fn covers(&self, date: NaiveDate) -> Result<(), NoCalendarData> {
        let year = date.year();
        if !self.years.contains(&year) {
            return Err(NoCalendarData { date, year });
        }
        if self.config.late_december_needs_next_year
            && date.month() == 12
            && date.day() >= 29
            && !self.years.contains(&(year + 1))
        {
            return Err(NoCalendarData { date, year: year + 1 });
        }
        Ok(())
    }

    /// What `date` is, from the notices; an error for a date the loaded notices cannot decide.
    pub fn day_kind(&self, date: NaiveDate) -> Result<DayKind, NoCalendarData> {
        self.covers(date)?;
        Ok(self.listed_or_weekday(date))
    }

    /// [`Self::day_kind`], but a missing year is estimated on weekends when the policy says so.
    pub fn resolve(&self, date: NaiveDate) -> Result<ResolvedDay, NoCalendarData> {
        match self.day_kind(date) {
            Ok(kind) => Ok(ResolvedDay { date, kind, estimated_for: None }),
            Err(e) if self.config.missing_year == MissingYearPolicy::WeekendsOnly => {
                // Rows a loaded notice wrote for this date (late December) still beat a weekend guess.
                Ok(ResolvedDay { date, kind: self.listed_or_weekday(date), estimated_for: Some(e.year) })
            }
            Err(e) => Err(e),
        }
    }

    /// Whether `date` is a working day (strict: no estimate).
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, NoCalendarData> {
        self.day_kind(date).map(|k| k.is_working())
    }

    /// The notice that decided `date`, if any row speaks of it.
    pub fn source_of(&self, date: NaiveDate) -> Option<&Notice> {
        let e = self.days.get(&date)?;
        self.notices.iter().find(|n| n.doc_no == e.doc_no)
    }

    fn listed_or_weekday(&self, date: NaiveDate) -> DayKind {
        match self.days.get(&date) {
            Some(Entry { kind: EntryKind::Holiday, name, .. }) => DayKind::Holiday { name: name.clone() },
            Some(Entry { kind: EntryKind::Workday, name, .. }) => {
                DayKind::MakeupWorkday { name: name.clone() }
            }
            None if is_weekend(date) => DayKind::Weekend,
            None => DayKind::Workday,
        }
    }

    /// The Beijing wall-clock instant `time` on `date`.
    pub(crate) fn instant(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
        from_cst(date.and_time(time))
    }
}

/// The Beijing wall-clock time of `t`, or `None` at the far ends of chrono's range where the local time
/// does not exist (using [`crate::time::to_cst`] there would panic).
pub fn beijing(t: DateTime<Utc>) -> Option<NaiveDateTime> {
    t.naive_utc().checked_add_signed(TimeDelta::hours(8))
}

/// [`beijing`], refusing instants outside the calendar's reach.
pub fn beijing_checked(t: DateTime<Utc>) -> Result<NaiveDateTime, DomainError> {
    beijing(t).ok_or_else(|| DomainError::invalid("time", "时间超出可计算范围"))
}

/// [`crate::time::human_cst`] that never panics.
pub fn human_time(t: DateTime<Utc>) -> String {
    match beijing(t) {
        Some(local) => local.format("%Y年%m月%d日 %H:%M").to_string(),
        None => "（时间超出范围）".to_string(),
    }
}

/// The warning attached to results that used a weekends-only estimate for `year`.
pub fn weekends_only_warning(year: i32) -> String {
    format!(
        "缺少{year}年节假日安排数据，{year}年的日期仅按周六、周日休息推算，未计法定节假日和调休，结果可能不准确，请补录数据后核对。"
    )
}

/// The short notice staff pages show while some year near today is estimated on weekends:
/// `2027年节假日安排尚未录入，期限按周末估算`. Under [`MissingYearPolicy::Refuse`] it says that such due
/// times are refused instead. `None` when nothing is missing.
pub fn missing_years_notice(missing: &[i32], policy: MissingYearPolicy) -> Option<String> {
    if missing.is_empty() {
        return None;
    }
    let years = missing.iter().map(|y| format!("{y}年")).collect::<Vec<_>>().join("、");
    Some(match policy {
        MissingYearPolicy::WeekendsOnly => format!("{years}节假日安排尚未录入，期限按周末估算"),
        MissingYearPolicy::Refuse => {
            format!(
                "{years}节假日安排尚未录入，涉及{years}的期限暂无法计算，请补录节假日数据（系统管理员：节假日安排 /admin/holidays）"
            )
        }
    })
}

/// `2024年02月18日`.
pub fn human_date(d: NaiveDate) -> String {
    d.format("%Y年%m月%d日").to_string()
}

/// `星期日`.
pub fn weekday_zh(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::builtin().unwrap()
    }

    fn holiday(name: &str) -> DayKind {
        DayKind::Holiday { name: name.into() }
    }

    fn makeup(name: &str) -> DayKind {
        DayKind::MakeupWorkday { name: name.into() }
    }

    #[test]
    fn r5_3_builtin_data_loads_and_covers_2019_to_2026() {
        let c = cal();
        assert_eq!(c.years().collect::<Vec<_>>(), (2019..=2026).collect::<Vec<_>>());
        assert_eq!(c.notices().len(), 10);
        assert!(c.notices().iter().all(|n| n.doc_no.starts_with("国办发明电〔") && n.url.contains("gov.cn")));
    }

    /// Calendar edges the brief names, one row each: date, expected kind.
    #[test]
    fn r5_3_day_kinds_at_the_edges() {
        let c = cal();
        let table: Vec<(NaiveDate, DayKind)> = vec![
            // Spring Festival 2024: 8 days 2月10日–17日, Sundays 2月4日 and 2月18日 worked.
            (d(2024, 2, 4), makeup("春节")),
            (d(2024, 2, 9), DayKind::Workday),
            (d(2024, 2, 10), holiday("春节")),
            (d(2024, 2, 13), holiday("春节")),
            (d(2024, 2, 17), holiday("春节")),
            (d(2024, 2, 18), makeup("春节")),
            (d(2024, 2, 19), DayKind::Workday),
            // Spring Festival 2025: from 除夕 1月28日 to 2月4日, 1月26日 (Sun) and 2月8日 (Sat) worked.
            (d(2025, 1, 26), makeup("春节")),
            (d(2025, 1, 27), DayKind::Workday),
            (d(2025, 1, 28), holiday("春节")),
            (d(2025, 2, 4), holiday("春节")),
            (d(2025, 2, 5), DayKind::Workday),
            (d(2025, 2, 8), makeup("春节")),
            (d(2025, 2, 9), DayKind::Weekend),
            // 国庆 2023 merged with 中秋: 9月29日–10月6日, 10月7日/8日 worked.
            (d(2023, 9, 28), DayKind::Workday),
            (d(2023, 9, 29), holiday("中秋节、国庆节")),
            (d(2023, 10, 6), holiday("中秋节、国庆节")),
            (d(2023, 10, 7), makeup("中秋节、国庆节")),
            (d(2023, 10, 8), makeup("中秋节、国庆节")),
            // Ordinary weekend; 与周末连休 weekends are plain weekends.
            (d(2024, 6, 8), DayKind::Weekend),
            (d(2024, 6, 10), holiday("端午节")),
            // The amending notices win: 2019 劳动节 4 days, 2020 春节 extended over the 2月1日 make-up day.
            (d(2019, 5, 4), holiday("劳动节")),
            (d(2019, 5, 5), makeup("劳动节")),
            (d(2020, 2, 1), holiday("春节")),
            (d(2020, 2, 3), DayKind::Workday),
            // 2023 元旦 began on 2022-12-31, written by the 2023 notice.
            (d(2022, 12, 31), holiday("元旦")),
            (d(2026, 1, 4), makeup("元旦")),
        ];
        for (date, want) in table {
            assert_eq!(c.day_kind(date).unwrap(), want, "{date}");
        }
    }

    #[test]
    fn r5_3_year_without_data_is_an_error_naming_the_year() {
        let c = cal();
        let e = c.day_kind(d(2027, 1, 4)).unwrap_err();
        assert_eq!(e.year, 2027);
        let de: DomainError = e.into();
        assert_eq!(de.code, "calendar_year_missing");
        assert!(de.message.contains("2027年"), "{}", de.message);
        assert_eq!(c.day_kind(d(2018, 6, 1)).unwrap_err().year, 2018);
        // Late December waits for the next year's notice; turning the rule off accepts it.
        assert_eq!(c.day_kind(d(2026, 12, 31)).unwrap_err().year, 2027);
        assert_eq!(c.day_kind(d(2026, 12, 28)).unwrap(), DayKind::Workday);
        assert_eq!(c.day_kind(d(2025, 12, 31)).unwrap(), DayKind::Workday);
        let lax = cal()
            .with_config(WorkingTimeConfig { late_december_needs_next_year: false, ..Default::default() })
            .unwrap();
        assert_eq!(lax.day_kind(d(2026, 12, 31)).unwrap(), DayKind::Workday);
    }

    #[test]
    fn r5_3_weekends_only_policy_estimates_and_says_so() {
        let c = cal()
            .with_config(WorkingTimeConfig {
                missing_year: MissingYearPolicy::WeekendsOnly,
                ..Default::default()
            })
            .unwrap();
        let r = c.resolve(d(2027, 1, 2)).unwrap();
        assert_eq!((r.kind, r.estimated_for), (DayKind::Weekend, Some(2027)));
        let r = c.resolve(d(2027, 1, 1)).unwrap();
        assert_eq!(
            (r.kind, r.estimated_for),
            (DayKind::Workday, Some(2027)),
            "元旦 2027 is unknown, not guessed"
        );
        // A date a loaded notice wrote about keeps its row even when estimated.
        let r = c.resolve(d(2018, 12, 29)).unwrap();
        assert_eq!((r.kind, r.estimated_for), (makeup("元旦"), Some(2018)));
        assert!(c.resolve(d(2024, 2, 10)).unwrap().estimated_for.is_none());
        // The strict lookup stays strict whatever the policy.
        assert!(c.day_kind(d(2027, 1, 2)).is_err());
    }

    #[test]
    fn r5_3_missing_years_of_a_stretch_and_the_notice() {
        let c = cal();
        // The built-in data end with 2026: a stretch reaching 2027 names it once.
        assert_eq!(c.missing_years(d(2026, 12, 1), d(2027, 3, 1)), vec![2027]);
        // 29–31 December already need next year's notice.
        assert_eq!(c.missing_years(d(2026, 12, 20), d(2026, 12, 29)), vec![2027]);
        assert_eq!(c.missing_years(d(2026, 12, 20), d(2026, 12, 28)), Vec::<i32>::new());
        assert_eq!(c.missing_years(d(2029, 12, 1), d(2031, 1, 5)), vec![2029, 2030, 2031]);
        assert_eq!(c.missing_years(d(2024, 1, 1), d(2024, 12, 31)), Vec::<i32>::new());
        // An empty or reversed stretch misses nothing.
        assert_eq!(c.missing_years(d(2030, 2, 1), d(2030, 1, 1)), Vec::<i32>::new());
        for (missing, policy, want) in [
            (vec![], MissingYearPolicy::WeekendsOnly, None),
            (vec![2027], MissingYearPolicy::WeekendsOnly, Some("2027年节假日安排尚未录入，期限按周末估算")),
            (
                vec![2027, 2028],
                MissingYearPolicy::WeekendsOnly,
                Some("2027年、2028年节假日安排尚未录入，期限按周末估算"),
            ),
            (
                vec![2027],
                MissingYearPolicy::Refuse,
                Some(
                    "2027年节假日安排尚未录入，涉及2027年的期限暂无法计算，请补录节假日数据（系统管理员：节假日安排 /admin/holidays）",
                ),
            ),
        ] {
            assert_eq!(missing_years_notice(&missing, policy).as_deref(), want, "{missing:?} {policy:?}");
        }
        // The refusal names what to do: add the year, or configure the weekends-only estimate.
        let e = DomainError::from(c.day_kind(d(2027, 3, 1)).unwrap_err());
        assert!(e.message.contains("补录2027年") && e.message.contains("weekends_only"), "{}", e.message);
    }

    #[test]
    fn r5_3_bad_data_is_refused_with_the_reason() {
        let notices = "year,doc_no,dated,title,url\n2024,A,2023-10-25,t,u\n2024,B,2023-11-01,t,u\n";
        let cases = [
            ("from,to,kind,name,doc_no\n2024-02-10,2024-02-17,holiday,春节,X\n", "未登记"),
            ("from,to,kind,name,doc_no\n2024-02-17,2024-02-10,holiday,春节,A\n", "范围"),
            ("from,to,kind,name,doc_no\n2024-02-05,2024-02-05,workday,春节,A\n", "不是周六或周日"),
            ("from,to,kind,name,doc_no\n2025-02-10,2025-02-10,holiday,春节,A\n", "不在通知"),
            ("from,to,kind,name,doc_no\n2024-02-10,2024-02-10,off,春节,A\n", "holiday 或 workday"),
            (
                "from,to,kind,name,doc_no\n2024-02-04,2024-02-04,workday,春节,A\n2024-02-04,2024-02-04,holiday,春节,A\n",
                "矛盾",
            ),
        ];
        for (days, needle) in cases {
            let e = WorkCalendar::from_csv(notices, days).unwrap_err();
            assert_eq!(e.code, "calendar_data_invalid");
            assert!(e.message.contains(needle), "{needle}: {}", e.message);
        }
        // A later notice overrides an earlier one on the same date.
        let days = "from,to,kind,name,doc_no\n2024-02-04,2024-02-04,workday,春节,A\n2024-02-04,2024-02-04,holiday,春节,B\n";
        let c = WorkCalendar::from_csv(notices, days).unwrap();
        assert_eq!(c.day_kind(d(2024, 2, 4)).unwrap(), holiday("春节"));
        assert_eq!(c.source_of(d(2024, 2, 4)).map(|n| n.doc_no.as_str()), Some("B"));
    }
}
