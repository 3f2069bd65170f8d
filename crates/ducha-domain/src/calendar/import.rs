//! Years imported at run time (issue 17, "holidays as data, not code", R5.3): the State Council
//! notice for a year typed in by an administrator, in the layout of `data/holidays/cn.csv`, checked
//! here and laid over the built-in data by [`WorkCalendar::with_imported`].
//!
//! # What an import is
//! One import is one notice for one year: its 文号, its date and its rows (`from,to,kind,name[,doc_no]`,
//! `#` comments, one row per sentence of the notice). It is complete: when a later notice amends a year,
//! the year is imported again with the whole arrangement as amended, under the amending notice's 文号.
//!
//! # What is checked ([`ImportedYear::parse_csv`])
//! - the year is 2000–2100; the 文号 is given; the notice is dated in the year before or the year itself;
//! - every row: dates written `YYYY-MM-DD`, `from` not after `to`, at most 15 days; kind `holiday` or
//!   `workday`; a name; a `doc_no` column, where present, empty or the 文号 imported;
//! - every date is in the stated year — **except 29–31 December of the year before**, which the notice
//!   for a year may arrange (国办发明电〔2018〕15号 made 2018-12-29 a working Saturday, 〔2022〕16号 made
//!   2022-12-31 a holiday). These are exactly the dates that count as covered only once the next year's
//!   notice is loaded (`late_december_needs_next_year`), so a faithful copy of a notice is accepted;
//! - a make-up working day (`workday`) is a Saturday or Sunday;
//! - no date is written twice (two rows covering one date are an error, naming both lines);
//! - at least one holiday row.
//!
//! Every error names its line; all of them are listed (`details`), the first one is the message.
//!
//! # Replacing a year ([`WorkCalendar::with_imported`])
//! An imported year replaces *every* notice of that year the calendar had (built-in ones included, and
//! the amending notices with them) and the rows those notices wrote, also their late-December rows of
//! the year before. Rows of other notices stay; where two notices speak of one date, the later-dated one
//! wins, as in the built-in data. Whether a year that is already there may be replaced is the caller's
//! decision, made explicitly (the app asks for `replace`; see `ducha_app::holidays`): this function
//! only computes the result.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Entry, EntryKind, Notice, WorkCalendar, is_weekend, resolve, weekday_zh};
use crate::DomainError;

/// The largest CSV text an import accepts: a year's notice is about 2 KB.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024;

/// Errors listed in `details` at most (the rest are counted).
const MAX_LISTED_ERRORS: usize = 30;

/// A day row's kind: 放假 or 调休上班.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportedDayKind {
    /// A public holiday (放假).
    Holiday,
    /// A Saturday or Sunday worked to make up for a holiday (调休上班).
    Workday,
}

impl ImportedDayKind {
    /// `holiday` / `workday`, as in `cn.csv` and in storage.
    pub fn code(self) -> &'static str {
        match self {
            ImportedDayKind::Holiday => "holiday",
            ImportedDayKind::Workday => "workday",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "holiday" => Some(ImportedDayKind::Holiday),
            "workday" => Some(ImportedDayKind::Workday),
            _ => None,
        }
    }

    fn entry_kind(self) -> EntryKind {
        match self {
            ImportedDayKind::Holiday => EntryKind::Holiday,
            ImportedDayKind::Workday => EntryKind::Workday,
        }
    }
}

/// One date of an imported year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedDay {
    pub date: NaiveDate,
    pub kind: ImportedDayKind,
    /// The notice's heading, e.g. `春节` or `中秋节、国庆节`.
    pub name: String,
}

/// A checked year: one notice and its dates, one per date, ascending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedYear {
    pub year: i32,
    /// 文号, e.g. `国办发明电〔2025〕7号`.
    pub doc_no: String,
    /// The date the notice bears.
    pub dated: NaiveDate,
    pub days: Vec<ImportedDay>,
}

/// Where a year of a calendar comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YearSource {
    /// The files compiled in (`data/holidays/`).
    Builtin,
    /// An import ([`ImportedYear`], stored in the database).
    Imported,
}

/// One covered year of a calendar, for listings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarYear {
    pub year: i32,
    pub source: YearSource,
    /// The notices of the year, oldest first.
    pub notices: Vec<Notice>,
    /// Dates of the year's notices that are holidays (as resolved: a later notice may have overruled some).
    pub holidays: usize,
    /// Dates of the year's notices that are make-up working days.
    pub makeup_workdays: usize,
}

fn invalid(field: &str, message: impl Into<String>) -> DomainError {
    DomainError::invalid(field, message)
}

fn content_errors(errors: Vec<String>) -> DomainError {
    let first = errors.first().cloned().unwrap_or_default();
    let n = errors.len();
    let mut details: Vec<String> = errors.into_iter().take(MAX_LISTED_ERRORS).collect();
    if n > MAX_LISTED_ERRORS {
        details.push(format!("……另有{}处错误", n - MAX_LISTED_ERRORS));
    }
    let message = if n == 1 {
        format!("节假日安排文件有误：{first}")
    } else {
        format!("节假日安排文件有{n}处错误，第一处：{first}")
    };
    DomainError::new("calendar_data_invalid", message).with_field("csv").with_details(details)
}

/// Why `date` may not be in the import for `year` (`None`: it may).
fn date_outside(year: i32, date: NaiveDate) -> Option<String> {
    let late_december_before = date.year() + 1 == year && date.month() == 12 && date.day() >= 29;
    if date.year() == year || late_december_before {
        None
    } else {
        Some(format!("{date}不在{year}年（仅{}年12月29日至31日可由{year}年的通知安排）", year - 1))
    }
}

fn check_header(year: i32, doc_no: &str, dated: NaiveDate) -> Result<(), DomainError> {
    if !(2000..=2100).contains(&year) {
        return Err(invalid("year", format!("年份{year}不合理（应在2000至2100之间）")));
    }
    if doc_no.is_empty() {
        return Err(invalid("doc_no", "请填写通知文号（如 国办发明电〔2025〕7号）"));
    }
    if doc_no.chars().count() > 64 || doc_no.chars().any(char::is_control) {
        return Err(invalid("doc_no", "通知文号过长或含有不可见字符"));
    }
    if !(year - 1..=year).contains(&dated.year()) {
        return Err(invalid(
            "dated",
            format!("通知日期{dated}应在{}年或{year}年（当年安排一般在上一年年底发布）", year - 1),
        ));
    }
    Ok(())
}

/// Read `YYYY-MM-DD` (nothing else: `2027/1/1` or `2027-1-1` are refused, so no date is guessed).
fn parse_date(s: &str) -> Option<NaiveDate> {
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// `date` as an admin reads it in an error: `2027-02-14（星期日）`.
fn with_weekday(date: NaiveDate) -> String {
    format!("{date}（{}）", weekday_zh(date))
}

impl ImportedYear {
    /// Parse and check a year's rows in the layout of `data/holidays/cn.csv` (header
    /// `from,to,kind,name,doc_no`, the `doc_no` column optional; `#` comment lines; a UTF-8 byte-order
    /// mark is ignored). See the module docs for what is refused.
    pub fn parse_csv(year: i32, doc_no: &str, dated: NaiveDate, csv_text: &str) -> Result<Self, DomainError> {
        let doc_no = doc_no.trim();
        check_header(year, doc_no, dated)?;
        if csv_text.len() > MAX_IMPORT_BYTES {
            return Err(invalid("csv", format!("文件过大（最多{}KB）", MAX_IMPORT_BYTES / 1024)));
        }
        let text = csv_text.strip_prefix('\u{feff}').unwrap_or(csv_text);
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(text.as_bytes());
        let header =
            reader.headers().map_err(|e| content_errors(vec![format!("表头无法读取：{e}")]))?.clone();
        let col = |name: &str| header.iter().position(|h| h == name);
        let (Some(from_i), Some(to_i), Some(kind_i), Some(name_i)) =
            (col("from"), col("to"), col("kind"), col("name"))
        else {
            return Err(content_errors(vec![format!(
                "表头应为 from,to,kind,name,doc_no（同 data/holidays/cn.csv），实为“{}”",
                header.iter().collect::<Vec<_>>().join(",")
            )]));
        };
        let doc_i = col("doc_no");

        let mut errors: Vec<String> = Vec::new();
        // date → (line, day)
        let mut seen: BTreeMap<NaiveDate, (u64, ImportedDay)> = BTreeMap::new();
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    errors.push(format!("第{line}行无法读取：{e}"));
                    continue;
                }
            };
            let line = record.position().map(|p| p.line()).unwrap_or(0);
            let field = |i: usize| record.get(i).unwrap_or("").trim();
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let at = |m: String| format!("第{line}行：{m}");
            let (from_s, to_s) = (field(from_i), field(to_i));
            let (Some(from), Some(to)) = (parse_date(from_s), parse_date(to_s)) else {
                errors.push(at(format!("日期“{from_s}”“{to_s}”应写作 YYYY-MM-DD（如 {year}-01-01）")));
                continue;
            };
            let span = (to - from).num_days();
            if !(0..15).contains(&span) {
                errors.push(at(format!("{from}至{to}的日期范围不合理（应从早到晚，最长15天）")));
                continue;
            }
            let kind_s = field(kind_i);
            let Some(kind) = ImportedDayKind::parse(kind_s) else {
                errors.push(at(format!("类型“{kind_s}”应为 holiday（放假）或 workday（调休上班）")));
                continue;
            };
            let name = field(name_i);
            if name.is_empty() || name.chars().count() > 32 || name.chars().any(char::is_control) {
                errors.push(at("节日名称缺失或过长（如 春节、中秋节、国庆节）".to_string()));
                continue;
            }
            if let Some(i) = doc_i {
                let row_doc = field(i);
                if !row_doc.is_empty() && row_doc != doc_no {
                    errors.push(at(format!(
                        "文号“{row_doc}”与导入的文号“{doc_no}”不一致（一次导入一份通知；修改通知请把全年安排按修改后的样子整理成一份，以修改通知的文号导入）"
                    )));
                    continue;
                }
            }
            for date in from.iter_days().take_while(|d| *d <= to) {
                if let Some(why) = date_outside(year, date) {
                    errors.push(at(why));
                    continue;
                }
                if kind == ImportedDayKind::Workday && !is_weekend(date) {
                    errors.push(at(format!("调休上班日{}不是周六或周日", with_weekday(date))));
                    continue;
                }
                if let Some((other, _)) = seen.get(&date) {
                    errors.push(at(format!("{date}已在第{other}行出现（同一日期只能写一行）")));
                    continue;
                }
                seen.insert(date, (line, ImportedDay { date, kind, name: name.to_owned() }));
            }
        }
        if errors.is_empty() && !seen.values().any(|(_, d)| d.kind == ImportedDayKind::Holiday) {
            errors.push("文件中没有放假（holiday）安排".to_string());
        }
        if !errors.is_empty() {
            return Err(content_errors(errors));
        }
        Self::new(year, doc_no, dated, seen.into_values().map(|(_, d)| d).collect())
    }

    /// A year from stored rows, checked by the same rules as [`Self::parse_csv`] (a row edited in the
    /// database by hand is refused rather than believed).
    pub fn new(
        year: i32,
        doc_no: &str,
        dated: NaiveDate,
        mut days: Vec<ImportedDay>,
    ) -> Result<Self, DomainError> {
        let doc_no = doc_no.trim();
        check_header(year, doc_no, dated)?;
        days.sort_by_key(|d| d.date);
        let mut errors = Vec::new();
        let mut seen = BTreeSet::new();
        for d in &days {
            if let Some(why) = date_outside(year, d.date) {
                errors.push(why);
            }
            if d.kind == ImportedDayKind::Workday && !is_weekend(d.date) {
                errors.push(format!("调休上班日{}不是周六或周日", with_weekday(d.date)));
            }
            if d.name.trim().is_empty() {
                errors.push(format!("{}缺少节日名称", d.date));
            }
            if !seen.insert(d.date) {
                errors.push(format!("{}重复", d.date));
            }
        }
        if errors.is_empty() && !days.iter().any(|d| d.kind == ImportedDayKind::Holiday) {
            errors.push("没有放假（holiday）安排".to_string());
        }
        if !errors.is_empty() {
            return Err(content_errors(errors));
        }
        Ok(Self { year, doc_no: doc_no.to_owned(), dated, days })
    }

    /// The usual title of such a notice: `国务院办公厅关于2027年部分节假日安排的通知`.
    pub fn title(&self) -> String {
        format!("国务院办公厅关于{}年部分节假日安排的通知", self.year)
    }

    pub fn holidays(&self) -> usize {
        self.days.iter().filter(|d| d.kind == ImportedDayKind::Holiday).count()
    }

    pub fn makeup_workdays(&self) -> usize {
        self.days.iter().filter(|d| d.kind == ImportedDayKind::Workday).count()
    }
}

impl WorkCalendar {
    /// This calendar with `years` laid over it: each imported year replaces every notice of that year the
    /// calendar had (built-in or imported) and the rows they wrote. Refused: one year twice, a 文号
    /// another year's notice already uses, and rows that contradict another notice of the same date
    /// (where the dates differ, the later notice wins, as in the built-in data).
    pub fn with_imported(&self, years: &[ImportedYear]) -> Result<Self, DomainError> {
        let mut replaced = BTreeSet::new();
        for y in years {
            if !replaced.insert(y.year) {
                return Err(DomainError::new(
                    "calendar_data_invalid",
                    format!("{}年的节假日安排导入了两次", y.year),
                ));
            }
        }
        let mut out = self.clone();
        out.notices.retain(|n| !replaced.contains(&n.year));
        let mut doc_nos: BTreeMap<String, i32> =
            out.notices.iter().map(|n| (n.doc_no.clone(), n.year)).collect();
        out.rows.retain(|(_, e)| doc_nos.contains_key(&e.doc_no));
        for y in years {
            if let Some(other) = doc_nos.insert(y.doc_no.clone(), y.year) {
                return Err(DomainError::new(
                    "calendar_data_invalid",
                    format!("文号{}已是{other}年节假日安排通知的文号，不能再用于{}年", y.doc_no, y.year),
                )
                .with_field("doc_no"));
            }
            out.notices.push(Notice {
                year: y.year,
                doc_no: y.doc_no.clone(),
                dated: y.dated,
                title: y.title(),
                url: String::new(),
            });
            out.rows.extend(y.days.iter().map(|d| {
                (
                    d.date,
                    Entry {
                        kind: d.kind.entry_kind(),
                        name: d.name.clone(),
                        doc_no: y.doc_no.clone(),
                        dated: y.dated,
                    },
                )
            }));
        }
        out.notices.sort_by_key(|a| (a.year, a.dated));
        out.days = resolve(&out.rows).map_err(|m| {
            DomainError::new("calendar_data_invalid", format!("导入的节假日安排与已有安排冲突：{m}"))
                .with_field("csv")
        })?;
        out.years = out.notices.iter().map(|n| n.year).collect();
        out.imported.extend(replaced);
        Ok(out)
    }

    /// Whether `year`'s notice was imported at run time.
    pub fn is_imported(&self, year: i32) -> bool {
        self.imported.contains(&year)
    }

    /// Every covered year, ascending, with its notices and how many holidays and make-up working days
    /// they set.
    pub fn calendar_years(&self) -> Vec<CalendarYear> {
        self.years
            .iter()
            .map(|&year| {
                let notices: Vec<Notice> = self.notices.iter().filter(|n| n.year == year).cloned().collect();
                let ours = |e: &Entry| notices.iter().any(|n| n.doc_no == e.doc_no);
                let count = |k: EntryKind| self.days.values().filter(|e| e.kind == k && ours(e)).count();
                CalendarYear {
                    year,
                    source: if self.is_imported(year) { YearSource::Imported } else { YearSource::Builtin },
                    holidays: count(EntryKind::Holiday),
                    makeup_workdays: count(EntryKind::Workday),
                    notices,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::DayKind;
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const HEADER: &str = "from,to,kind,name,doc_no\n";

    /// A plausible 2027 arrangement (a TEST fixture, not the real notice, which is not known here).
    const Y2027: &str = "# fixture\nfrom,to,kind,name,doc_no\n\
        2027-01-01,2027-01-03,holiday,元旦,测试〔2026〕1号\n\
        2027-02-05,2027-02-13,holiday,春节,\n\
        2027-01-31,2027-01-31,workday,春节,\n\
        2027-02-20,2027-02-20,workday,春节,测试〔2026〕1号\n\
        2027-10-01,2027-10-07,holiday,国庆节,\n";

    fn parse(csv: &str) -> Result<ImportedYear, DomainError> {
        ImportedYear::parse_csv(2027, "测试〔2026〕1号", d(2026, 11, 20), csv)
    }

    /// One helper for the refusal table: the CSV is refused, and the message names `needle`.
    fn refused(csv: &str, needle: &str) {
        let e = parse(csv).expect_err(needle);
        assert_eq!((e.code, e.field.as_deref()), ("calendar_data_invalid", Some("csv")), "{needle}: {e:?}");
        assert!(e.message.contains(needle), "{needle}: {}", e.message);
    }

    #[test]
    fn r5_3_import_parses_the_cn_csv_layout() {
        let y = parse(Y2027).unwrap();
        assert_eq!((y.year, y.doc_no.as_str(), y.dated), (2027, "测试〔2026〕1号", d(2026, 11, 20)));
        assert_eq!((y.holidays(), y.makeup_workdays()), (3 + 9 + 7, 2));
        assert!(y.days.windows(2).all(|w| w[0].date < w[1].date), "one row per date, ascending");
        assert_eq!(y.title(), "国务院办公厅关于2027年部分节假日安排的通知");
        // Without the doc_no column, with a byte-order mark and Windows line ends: the same year.
        let bare = "\u{feff}from,to,kind,name\r\n2027-01-01,2027-01-03,holiday,元旦\r\n2027-02-05,2027-02-13,holiday,春节\r\n2027-01-31,2027-01-31,workday,春节\r\n2027-02-20,2027-02-20,workday,春节\r\n2027-10-01,2027-10-07,holiday,国庆节\r\n";
        assert_eq!(parse(bare).unwrap(), y);
        // The built-in rows of a year are themselves a valid import (the 2026 notice).
        let rows_2026: String = super::super::BUILTIN_DAYS_CSV
            .lines()
            .filter(|l| l.contains("国办发明电〔2025〕7号") && !l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        let y26 = ImportedYear::parse_csv(
            2026,
            "国办发明电〔2025〕7号",
            d(2025, 11, 4),
            &format!("{HEADER}{rows_2026}"),
        )
        .unwrap();
        assert_eq!(y26.holidays(), 3 + 9 + 3 + 5 + 3 + 3 + 7);
    }

    /// Late December of the year before is the notice's to arrange (2019, 2023); nothing else outside.
    #[test]
    fn r5_3_import_dates_belong_to_the_stated_year() {
        let ok = ImportedYear::parse_csv(
            2023,
            "国办发明电〔2022〕16号",
            d(2022, 12, 8),
            "from,to,kind,name\n2022-12-31,2023-01-02,holiday,元旦\n",
        )
        .unwrap();
        assert_eq!(ok.days.first().map(|x| x.date), Some(d(2022, 12, 31)));
        for (csv, needle) in [
            ("2028-01-01,2028-01-01,holiday,元旦", "2028-01-01不在2027年"),
            ("2026-12-28,2026-12-28,holiday,元旦", "2026-12-28不在2027年"),
            ("2026-06-01,2026-06-01,holiday,儿童节", "仅2026年12月29日至31日"),
            ("2027-12-31,2028-01-01,holiday,元旦", "2028-01-01不在2027年"),
        ] {
            refused(&format!("{HEADER}{csv},\n"), needle);
        }
    }

    #[test]
    fn r5_3_import_refuses_bad_rows_naming_the_line() {
        for (rows, needle) in [
            (
                "2027-01-01,2027-01-03,holiday,元旦,\n2027-01-03,2027-01-03,holiday,元旦,\n",
                "第3行：2027-01-03已在第2行出现",
            ),
            ("2027-01-01,2027-01-01,off,元旦,\n", "holiday（放假）或 workday（调休上班）"),
            ("2027-01-01,2027-01-01,Holiday,元旦,\n", "类型“Holiday”"),
            (
                "2027-02-01,2027-02-01,workday,春节,\n2027-01-01,2027-01-01,holiday,元旦,\n",
                "2027-02-01（星期一）不是周六或周日",
            ),
            ("2027/01/01,2027/01/01,holiday,元旦,\n", "应写作 YYYY-MM-DD"),
            ("2027-1-1,2027-1-1,holiday,元旦,\n", "应写作 YYYY-MM-DD"),
            ("2027-02-13,2027-02-05,holiday,春节,\n", "日期范围不合理"),
            ("2027-01-01,2027-01-20,holiday,春节,\n", "日期范围不合理"),
            ("2027-01-01,2027-01-01,holiday,,\n", "节日名称"),
            ("2027-01-01,2027-01-01,holiday,元旦,国办发明电〔2026〕9号\n", "一次导入一份通知"),
            ("2027-01-31,2027-01-31,workday,春节,\n", "没有放假"),
            ("", "没有放假"),
        ] {
            refused(&format!("{HEADER}{rows}"), needle);
        }
        refused("date,kind\n2027-01-01,holiday\n", "表头应为 from,to,kind,name,doc_no");
        // Every error is listed, the first is the message.
        let e = parse(&format!(
            "{HEADER}2027-02-01,2027-02-01,workday,春节,\n2028-01-01,2028-01-01,holiday,元旦,\n"
        ))
        .unwrap_err();
        assert!(e.message.starts_with("节假日安排文件有2处错误，第一处：第2行"), "{}", e.message);
        assert_eq!(e.details.len(), 2, "{:?}", e.details);
        assert!(e.details[1].starts_with("第3行"), "{:?}", e.details);
    }

    #[test]
    fn r5_3_import_refuses_bad_year_doc_no_and_date() {
        let check = |year: i32, doc: &str, dated: NaiveDate, field: &str| {
            let e = ImportedYear::parse_csv(year, doc, dated, Y2027).unwrap_err();
            assert_eq!((e.code, e.field.as_deref()), ("invalid_input", Some(field)), "{e:?}");
        };
        check(1999, "x", d(1998, 12, 1), "year");
        check(2027, "  ", d(2026, 11, 20), "doc_no");
        check(2027, "国办发明电\n〔2026〕1号", d(2026, 11, 20), "doc_no");
        check(2027, "测试〔2026〕1号", d(2025, 11, 20), "dated");
        check(2027, "测试〔2026〕1号", d(2028, 1, 2), "dated");
        let big = format!("{Y2027}{}", "#\n".repeat(MAX_IMPORT_BYTES));
        assert_eq!(parse(&big).unwrap_err().field.as_deref(), Some("csv"));
        // An amending notice of the same year is dated in the year itself.
        let amended = "from,to,kind,name\n2027-01-01,2027-01-03,holiday,元旦\n";
        assert!(ImportedYear::parse_csv(2027, "测试〔2027〕2号", d(2027, 1, 26), amended).is_ok());
    }

    #[test]
    fn r5_3_imported_year_extends_the_calendar() {
        let builtin = WorkCalendar::builtin().unwrap();
        let y = parse(Y2027).unwrap();
        let c = builtin.with_imported(std::slice::from_ref(&y)).unwrap();
        assert_eq!(c.years().last(), Some(2027));
        assert!(c.is_imported(2027) && !c.is_imported(2026));
        for (date, want) in [
            (d(2027, 1, 1), DayKind::Holiday { name: "元旦".into() }),
            (d(2027, 1, 4), DayKind::Workday),
            (d(2027, 1, 31), DayKind::MakeupWorkday { name: "春节".into() }),
            (d(2027, 2, 12), DayKind::Holiday { name: "春节".into() }),
            (d(2027, 3, 6), DayKind::Weekend),
            // Late December 2026 waited for the 2027 notice; now it is decided.
            (d(2026, 12, 31), DayKind::Workday),
        ] {
            assert_eq!(c.day_kind(date).unwrap(), want, "{date}");
        }
        assert_eq!(c.source_of(d(2027, 2, 12)).map(|n| n.doc_no.as_str()), Some("测试〔2026〕1号"));
        assert_eq!(c.day_kind(d(2028, 1, 3)).unwrap_err().year, 2028);
        assert_eq!(c.day_kind(d(2027, 12, 30)).unwrap_err().year, 2028);
        let listed = c.calendar_years();
        let last = listed.last().unwrap();
        assert_eq!(
            (last.year, last.source, last.holidays, last.makeup_workdays),
            (2027, YearSource::Imported, 19, 2)
        );
        assert_eq!(listed[0].source, YearSource::Builtin);
        assert_eq!(listed.iter().find(|l| l.year == 2019).map(|l| l.notices.len()), Some(2));
        // The built-in calendar itself is untouched.
        assert!(builtin.day_kind(d(2027, 1, 4)).is_err());
    }

    /// Replacing a built-in year drops all its notices (amendments too) and their rows, late December
    /// of the year before included; other years' rows stay.
    #[test]
    fn r5_3_imported_year_replaces_a_builtin_year_wholly() {
        let builtin = WorkCalendar::builtin().unwrap();
        // 2020 had two notices; the replacement has only 元旦 and a shorter 春节.
        let y = ImportedYear::parse_csv(
            2020,
            "测试〔2019〕99号",
            d(2019, 12, 1),
            "from,to,kind,name\n2020-01-01,2020-01-01,holiday,元旦\n2020-01-24,2020-01-30,holiday,春节\n",
        )
        .unwrap();
        let c = builtin.with_imported(&[y]).unwrap();
        assert_eq!(c.notices().iter().filter(|n| n.year == 2020).count(), 1);
        assert_eq!(
            c.day_kind(d(2020, 2, 1)).unwrap(),
            DayKind::Weekend,
            "the extension notice went with its year"
        );
        assert_eq!(c.day_kind(d(2020, 1, 19)).unwrap(), DayKind::Weekend, "the old make-up Sunday went too");
        assert_eq!(c.day_kind(d(2020, 10, 1)).unwrap(), DayKind::Workday);
        assert_eq!(c.day_kind(d(2019, 10, 1)).unwrap(), DayKind::Holiday { name: "国庆节".into() });
        // Replacing 2023 drops its 2022-12-31 row as well.
        let y23 = ImportedYear::parse_csv(
            2023,
            "测试〔2022〕99号",
            d(2022, 12, 1),
            "from,to,kind,name\n2023-01-02,2023-01-02,holiday,元旦\n",
        )
        .unwrap();
        let c = builtin.with_imported(&[y23]).unwrap();
        assert_eq!(c.day_kind(d(2022, 12, 31)).unwrap(), DayKind::Weekend);
        assert_eq!(c.source_of(d(2023, 1, 2)).map(|n| n.doc_no.as_str()), Some("测试〔2022〕99号"));
    }

    #[test]
    fn r5_3_import_conflicts_are_refused() {
        let builtin = WorkCalendar::builtin().unwrap();
        let y = parse(Y2027).unwrap();
        let e = builtin.with_imported(&[y.clone(), y.clone()]).unwrap_err();
        assert!(e.message.contains("导入了两次"), "{}", e.message);
        // A 文号 of another year's notice.
        let reused = ImportedYear { doc_no: "国办发明电〔2025〕7号".into(), ..y.clone() };
        let e = builtin.with_imported(&[reused]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("doc_no"), "{e:?}");
        // A 2027 notice of the same date as the 2026 one that contradicts it on 2026-12-31: refused; a
        // later-dated one wins.
        let notices = "year,doc_no,dated,title,url\n2026,A,2026-01-10,t,u\n";
        let days = "from,to,kind,name,doc_no\n2026-12-31,2026-12-31,holiday,元旦,A\n2026-01-01,2026-01-01,holiday,元旦,A\n";
        let base = WorkCalendar::from_csv(notices, days).unwrap();
        let clash = |dated: NaiveDate| {
            let y = ImportedYear::parse_csv(
                2027,
                "B",
                dated,
                "from,to,kind,name\n2026-12-31,2026-12-31,workday,元旦\n2027-01-01,2027-01-01,holiday,元旦\n",
            );
            // 2026-12-31 is a Thursday: a make-up working day must be a weekend day.
            assert!(y.is_err());
            ImportedYear::parse_csv(
                2027,
                "B",
                dated,
                "from,to,kind,name\n2026-12-31,2026-12-31,holiday,除夕\n2027-01-01,2027-01-01,holiday,元旦\n",
            )
            .unwrap()
        };
        let e = base.with_imported(&[clash(d(2026, 1, 10))]).unwrap_err();
        assert!(e.message.contains("互相矛盾"), "{}", e.message);
        let c = base.with_imported(&[clash(d(2026, 11, 4))]).unwrap();
        assert_eq!(c.day_kind(d(2026, 12, 31)).unwrap(), DayKind::Holiday { name: "除夕".into() });
    }

    #[test]
    fn r5_3_stored_rows_are_checked_again() {
        let day = |date, kind, name: &str| ImportedDay { date, kind, name: name.into() };
        let ok = ImportedYear::new(
            2027,
            "x",
            d(2026, 11, 1),
            vec![
                day(d(2027, 2, 20), ImportedDayKind::Workday, "春节"),
                day(d(2027, 1, 1), ImportedDayKind::Holiday, "元旦"),
            ],
        )
        .unwrap();
        assert_eq!(ok.days[0].date, d(2027, 1, 1), "sorted");
        for days in [
            vec![
                day(d(2027, 1, 1), ImportedDayKind::Holiday, "元旦"),
                day(d(2027, 1, 1), ImportedDayKind::Holiday, "元旦"),
            ],
            vec![
                day(d(2027, 1, 4), ImportedDayKind::Workday, "元旦"),
                day(d(2027, 1, 1), ImportedDayKind::Holiday, "元旦"),
            ],
            vec![day(d(2028, 1, 1), ImportedDayKind::Holiday, "元旦")],
            vec![day(d(2027, 1, 1), ImportedDayKind::Holiday, " ")],
            vec![],
        ] {
            assert!(ImportedYear::new(2027, "x", d(2026, 11, 1), days.clone()).is_err(), "{days:?}");
        }
    }
}
