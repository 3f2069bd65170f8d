//! Holidays as data, not code (issue 17, R5.3): the working-time calendar every due time is counted on
//! is the built-in data (`data/holidays/`) plus the years an administrator imported into the database
//! — so a deployment adds next year's State Council notice without a release.
//!
//! # One calendar per instance, kept current
//! [`App::calendar`] hands out the calendar in use (an `Arc`, swapped whole; readers never wait on a
//! reload). It is built from the built-in data at [`App::new`] and from the database by
//! [`App::reload_calendar`], which the commands call at start (`ducha serve`, `ducha demo`, `ducha gen
//! --db`, `ducha calendar due --db`, …), which an import calls on its own instance, and which
//! [`spawn_calendar_watch`] calls every [`CALENDAR_RECHECK`] on every serving instance, so an import
//! on one instance is in use on all of them within that time. A reload first reads the store's stamp
//! (row count and highest id of `holiday_imports`, which only grow) and rebuilds only when it changed;
//! reloads are serialised, so an older read can never replace a newer one.
//!
//! A stored year that fails the checks (edited by hand, or a new release with stricter rules or
//! contradicting built-in data) is left out and logged, and [`App::calendar_warnings`] names it: its
//! dates then count as "not covered" (refused or, if so configured, estimated on weekends) — never a
//! silent guess.
//!
//! # Replacing a year: only explicitly
//! A year that is already there — built in, or imported before — is replaced only when the import says
//! `replace` (`--replace` on the command line, a checkbox on `/admin/holidays`, `"replace": true` in the
//! API); otherwise the import is refused with `holiday_year_exists`, naming what is there. The
//! replaced import stays in the database, marked superseded, and the audit record names it. An imported
//! year stays in force over built-in data of the same year that a later release brings.
//!
//! Due times already stored are not recomputed by an import: it decides the due times computed after it.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::NaiveDate;
use ducha_domain::calendar::{
    ImportedDay, ImportedDayKind, ImportedYear, WorkCalendar, YearSource, reach_days, uncovered_ahead,
    uncovered_warning,
};
use ducha_domain::role::Role;
use ducha_domain::time::to_cst;
use ducha_store::audit::{self, AuditEntry};
use ducha_store::holidays::{self as store, DayRow, NewImport, YearInForce};
use serde::{Deserialize, Serialize};
use sm3::{Digest, Sm3};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::settings::CampaignSettings;
use crate::{App, AppError, Result};

/// How often a serving instance checks the database for years imported elsewhere.
pub const CALENDAR_RECHECK: Duration = Duration::from_secs(30);

/// [`App::calendar_warnings`] warns this many days before a campaign's due times can reach a year
/// without data.
pub const WARN_DAYS_AHEAD: i64 = 30;

/// The most working days an approved extension adds to a due time (`request_extension` takes 1–30).
pub const MAX_EXTENSION_WORKING_DAYS: u32 = 30;

/// The calendar in use and what it was built from (see the module docs).
#[derive(Debug)]
pub struct CalendarCell {
    /// The built-in data with the configured office hours and policy: what imported years are laid over.
    builtin: Arc<WorkCalendar>,
    current: RwLock<Arc<WorkCalendar>>,
    /// The store's stamp `current` was built at (`None`: not read from the database yet), and the
    /// stored years left out of it, with the reason. Held across a whole reload.
    loaded: tokio::sync::Mutex<Option<(i64, i64)>>,
    problems: RwLock<Vec<(i64, String)>>,
}

impl CalendarCell {
    /// A cell holding the built-in calendar until the database is read.
    pub fn new(builtin: WorkCalendar) -> Self {
        let builtin = Arc::new(builtin);
        Self {
            current: RwLock::new(builtin.clone()),
            builtin,
            loaded: tokio::sync::Mutex::new(None),
            problems: RwLock::new(Vec::new()),
        }
    }

    fn current(&self) -> Arc<WorkCalendar> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn problems(&self) -> Vec<(i64, String)> {
        self.problems.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// An import as submitted (page form, API body or command line).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct HolidayImportInput {
    /// The arrangement year the notice governs, e.g. 2027.
    pub year: i32,
    /// 文号 of the notice, e.g. `国办发明电〔2026〕5号`.
    pub doc_no: String,
    /// The date the notice bears, `YYYY-MM-DD`.
    pub dated: String,
    /// The notice's rows in the layout of `data/holidays/cn.csv`: header `from,to,kind,name,doc_no`,
    /// one row per sentence (`holiday` ranges, `workday` make-up days), `#` comments.
    pub csv: String,
    /// Replace the arrangement already there for the year (built in, or imported before). Without it
    /// such a year is refused (`holiday_year_exists`).
    #[serde(default)]
    pub replace: bool,
}

/// One notice of a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HolidayNoticeView {
    pub doc_no: String,
    /// `YYYY-MM-DD`.
    pub dated: String,
    pub title: String,
}

/// One year of the calendar, or a stored year left out of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HolidayYearView {
    pub year: i32,
    /// `builtin` or `imported`.
    pub source: String,
    /// 内置 / 导入.
    pub source_label: String,
    pub notices: Vec<HolidayNoticeView>,
    pub holidays: usize,
    pub makeup_workdays: usize,
    /// The import in force (imported years).
    pub import_id: Option<i64>,
    pub imported_by: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub imported_at: Option<i64>,
    /// The import replaced the built-in data of the year.
    pub replaced_builtin: bool,
    /// The year is in the calendar in use (false: stored, but left out because of `problem`).
    pub in_force: bool,
    pub problem: Option<String>,
}

/// One import, in force or superseded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HolidayImportView {
    pub id: i64,
    pub year: i64,
    pub doc_no: String,
    pub dated: String,
    pub imported_by: String,
    /// Milliseconds since the Unix epoch.
    pub imported_at: i64,
    /// When a later import replaced it.
    pub superseded_at: Option<i64>,
    pub replaced_builtin: bool,
}

/// Only system administrators manage holiday data (the command line acts as the operator of the
/// server).
pub fn check_holiday_admin(user: &CurrentUser) -> Result<()> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::forbidden("只有系统管理员可以管理节假日安排"))
    }
}

fn parse_dated(s: &str) -> Result<NaiveDate> {
    let s = s.trim();
    (s.len() == 10)
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| AppError::invalid("dated", "通知日期应写作 YYYY-MM-DD（如 2026-11-04）"))
}

/// A stored year back as the domain's, checked again.
fn imported_year(y: &YearInForce) -> std::result::Result<ImportedYear, String> {
    let dated = NaiveDate::parse_from_str(&y.import.dated, "%Y-%m-%d")
        .map_err(|_| format!("通知日期“{}”无法识别", y.import.dated))?;
    let mut days = Vec::with_capacity(y.days.len());
    for d in &y.days {
        let date =
            NaiveDate::parse_from_str(&d.day, "%Y-%m-%d").map_err(|_| format!("日期“{}”无法识别", d.day))?;
        let kind =
            ImportedDayKind::parse(&d.kind).ok_or_else(|| format!("{}的类型“{}”无法识别", d.day, d.kind))?;
        days.push(ImportedDay { date, kind, name: d.name.clone() });
    }
    let year = i32::try_from(y.import.year).map_err(|_| format!("年份{}不合理", y.import.year))?;
    ImportedYear::new(year, &y.import.doc_no, dated, days).map_err(|e| {
        let mut m = e.message;
        if let Some(first) = e.details.first() {
            m = format!("{m}（{first}）");
        }
        m
    })
}

/// The built-in calendar with every stored year that passes the checks and fits the rest; the years
/// left out, with the reason.
fn build(builtin: &WorkCalendar, stored: &[YearInForce]) -> (WorkCalendar, Vec<(i64, String)>) {
    let mut problems = Vec::new();
    let mut years = Vec::new();
    for y in stored {
        match imported_year(y) {
            Ok(v) => years.push(v),
            Err(m) => problems.push((
                y.import.year,
                format!("已导入的{}年节假日安排（{}）未生效：{m}", y.import.year, y.import.doc_no),
            )),
        }
    }
    if let Ok(all) = builtin.with_imported(&years) {
        return (all, problems);
    }
    // Something does not fit: lay the years over one by one and leave out the ones that do not.
    let mut cal = builtin.clone();
    for y in &years {
        match cal.with_imported(std::slice::from_ref(y)) {
            Ok(c) => cal = c,
            Err(e) => problems.push((
                i64::from(y.year),
                format!("已导入的{}年节假日安排（{}）未生效：{}", y.year, y.doc_no, e.message),
            )),
        }
    }
    (cal, problems)
}

fn import_view(r: &store::ImportRow) -> HolidayImportView {
    HolidayImportView {
        id: r.id,
        year: r.year,
        doc_no: r.doc_no.clone(),
        dated: r.dated.clone(),
        imported_by: r.imported_by_name.clone(),
        imported_at: r.imported_at,
        superseded_at: r.superseded_at,
        replaced_builtin: r.replaced_builtin != 0,
    }
}

impl App {
    /// The working-time calendar in use: built-in data plus the imported years (see the module docs).
    /// Take it once per use case and pass `&cal` on, so one computation sees one calendar.
    pub fn calendar(&self) -> Arc<WorkCalendar> {
        self.calendar_cell.current()
    }

    /// Read the imported years from the database when they changed since the last read, and put the
    /// calendar built from them in use. Answers whether it rebuilt.
    pub async fn reload_calendar(&self) -> Result<bool> {
        let mut loaded = self.calendar_cell.loaded.lock().await;
        // The stamp before the rows: an import between the two reads is read again next time.
        let stamp = store::stamp(&self.store).await?;
        if *loaded == Some(stamp) {
            return Ok(false);
        }
        let stored = store::in_force(&self.store).await?;
        let (cal, problems) = build(&self.calendar_cell.builtin, &stored);
        for (_, p) in &problems {
            tracing::error!(problem = %p, "imported holiday year left out of the calendar");
        }
        *self.calendar_cell.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(cal);
        *self.calendar_cell.problems.write().unwrap_or_else(|e| e.into_inner()) = problems;
        *loaded = Some(stamp);
        Ok(true)
    }

    /// Import a year's holiday notice. `by`: the administrator, or `None` for the command line.
    /// Checked by the domain (`ImportedYear::parse_csv`) and against the rest of the calendar; a year
    /// already there is replaced only with `replace`. Stored with an audit record in one transaction,
    /// then in use on this instance at once (others within [`CALENDAR_RECHECK`]).
    pub async fn import_holidays(
        &self,
        by: Option<&CurrentUser>,
        input: &HolidayImportInput,
    ) -> Result<HolidayYearView> {
        if let Some(u) = by {
            check_holiday_admin(u)?;
        }
        let dated = parse_dated(&input.dated)?;
        let year = ImportedYear::parse_csv(input.year, &input.doc_no, dated, &input.csv)?;
        // It must fit the calendar as it is now (late-December rows of neighbouring years).
        self.reload_calendar().await?;
        self.calendar().with_imported(std::slice::from_ref(&year))?;
        let builtin: Vec<_> =
            self.calendar_cell.builtin.notices().iter().filter(|n| n.year == year.year).cloned().collect();

        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let before = store::in_force_for_year(&mut tx, i64::from(year.year)).await?;
        if !input.replace && (before.is_some() || !builtin.is_empty()) {
            let there = match &before {
                Some(b) => format!(
                    "已于{}由{}导入（{}，{}）",
                    ducha_domain::time::human_cst(ducha_domain::time::from_millis(b.imported_at)),
                    b.imported_by_name,
                    b.doc_no,
                    b.dated
                ),
                None => format!(
                    "内置数据（{}）",
                    builtin
                        .iter()
                        .map(|n| format!("{}，{}", n.doc_no, n.dated))
                        .collect::<Vec<_>>()
                        .join("；")
                ),
            };
            return Err(AppError {
                field: Some("replace".into()),
                ..AppError::conflict(
                    "holiday_year_exists",
                    format!(
                        "{}年已有节假日安排：{there}。如确需以新的通知替换，请勾选“替换该年已有安排”（命令行加 --replace）后重新导入。",
                        year.year
                    ),
                )
            });
        }
        let (actor_id, actor_unit, actor_name) = match by {
            Some(u) => (Some(u.id), Some(u.unit.id), format!("{}（{}）", u.display_name, u.unit.name)),
            None => (None, None, "命令行".to_owned()),
        };
        let id = store::insert(
            &mut tx,
            &NewImport {
                year: i64::from(year.year),
                doc_no: year.doc_no.clone(),
                dated: year.dated.format("%Y-%m-%d").to_string(),
                replaced_builtin: !builtin.is_empty(),
                imported_by: actor_id,
                imported_by_name: actor_name.clone(),
                imported_at: now,
                source_csv: input.csv.clone(),
                days: year
                    .days
                    .iter()
                    .map(|d| DayRow {
                        day: d.date.format("%Y-%m-%d").to_string(),
                        kind: d.kind.code().to_owned(),
                        name: d.name.clone(),
                    })
                    .collect(),
            },
        )
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                at_ms: now,
                actor_user_id: actor_id,
                actor_unit_id: actor_unit,
                actor_name,
                action: "holidays.import".into(),
                entity_type: "holiday_year".into(),
                entity_id: year.year.to_string(),
                detail: serde_json::json!({
                    "import_id": id,
                    "year": year.year,
                    "doc_no": year.doc_no,
                    "dated": year.dated.format("%Y-%m-%d").to_string(),
                    "holidays": year.holidays(),
                    "makeup_workdays": year.makeup_workdays(),
                    "replaced_import": before.as_ref().map(|b| b.id),
                    "replaced_builtin": builtin.iter().map(|n| n.doc_no.clone()).collect::<Vec<_>>(),
                    "csv_sm3": hex::encode(Sm3::digest(input.csv.as_bytes())),
                }),
            },
        )
        .await?;
        tx.commit().await?;
        if let Err(e) = self.reload_calendar().await {
            // Stored: the watch (or the next start) puts it in use.
            tracing::warn!(error = %e.message, "calendar reload after a holiday import failed");
        }
        let view = self.holiday_years().await?.into_iter().find(|v| v.year == year.year);
        view.ok_or_else(|| AppError::internal("imported holiday year not listed"))
    }

    /// Every year of the calendar in use — built in and imported, with their notices (文号, date) and
    /// who imported them when — and stored years left out of it, ascending. Reads the database afresh.
    pub async fn holiday_years(&self) -> Result<Vec<HolidayYearView>> {
        self.reload_calendar().await?;
        let cal = self.calendar();
        let stored = store::in_force(&self.store).await?;
        let builtin_years: Vec<i32> = self.calendar_cell.builtin.years().collect();
        let mut out: Vec<HolidayYearView> = cal
            .calendar_years()
            .into_iter()
            .map(|y| {
                let row = stored.iter().find(|s| s.import.year == i64::from(y.year)).map(|s| &s.import);
                let imported = y.source == YearSource::Imported;
                HolidayYearView {
                    year: y.year,
                    source: if imported { "imported" } else { "builtin" }.into(),
                    source_label: if imported { "导入" } else { "内置" }.into(),
                    notices: y
                        .notices
                        .iter()
                        .map(|n| HolidayNoticeView {
                            doc_no: n.doc_no.clone(),
                            dated: n.dated.format("%Y-%m-%d").to_string(),
                            title: n.title.clone(),
                        })
                        .collect(),
                    holidays: y.holidays,
                    makeup_workdays: y.makeup_workdays,
                    import_id: row.filter(|_| imported).map(|r| r.id),
                    imported_by: row.filter(|_| imported).map(|r| r.imported_by_name.clone()),
                    imported_at: row.filter(|_| imported).map(|r| r.imported_at),
                    replaced_builtin: imported && builtin_years.contains(&y.year),
                    in_force: true,
                    problem: None,
                }
            })
            .collect();
        let problems = self.calendar_cell.problems();
        for s in &stored {
            let in_use = cal.is_imported(i32::try_from(s.import.year).unwrap_or(i32::MIN));
            if in_use {
                continue;
            }
            let problem = problems.iter().find(|(y, _)| *y == s.import.year).map(|(_, p)| p.clone());
            out.push(HolidayYearView {
                year: i32::try_from(s.import.year).unwrap_or_default(),
                source: "imported".into(),
                source_label: "导入（未生效）".into(),
                notices: vec![HolidayNoticeView {
                    doc_no: s.import.doc_no.clone(),
                    dated: s.import.dated.clone(),
                    title: format!("国务院办公厅关于{}年部分节假日安排的通知", s.import.year),
                }],
                holidays: s.days.iter().filter(|d| d.kind == "holiday").count(),
                makeup_workdays: s.days.iter().filter(|d| d.kind == "workday").count(),
                import_id: Some(s.import.id),
                imported_by: Some(s.import.imported_by_name.clone()),
                imported_at: Some(s.import.imported_at),
                replaced_builtin: s.import.replaced_builtin != 0,
                in_force: false,
                problem,
            });
        }
        out.sort_by_key(|v| v.year);
        Ok(out)
    }

    /// [`Self::holiday_years`] for an administrator.
    pub async fn holiday_years_as(&self, user: &CurrentUser) -> Result<Vec<HolidayYearView>> {
        check_holiday_admin(user)?;
        self.holiday_years().await
    }

    /// Every import, the superseded ones too, newest first.
    pub async fn holiday_imports(&self) -> Result<Vec<HolidayImportView>> {
        Ok(store::history(&self.store).await?.iter().map(import_view).collect())
    }

    /// [`Self::holiday_imports`] for an administrator.
    pub async fn holiday_imports_as(&self, user: &CurrentUser) -> Result<Vec<HolidayImportView>> {
        check_holiday_admin(user)?;
        self.holiday_imports().await
    }

    /// For the admin home (Chinese, one line each): every campaign not yet ended whose due times —
    /// counted from assignments in the next [`WARN_DAYS_AHEAD`] days, the batch's working days plus the
    /// longest extension — can reach a date the calendar in use does not decide, with the date from
    /// which they can, the year and what to do; and stored years left out of the calendar. Empty when
    /// all is covered. Reads the database afresh.
    pub async fn calendar_warnings(&self) -> Vec<String> {
        if let Err(e) = self.reload_calendar().await {
            tracing::warn!(error = %e.message, "calendar reload for the warnings failed");
        }
        let cal = self.calendar();
        let mut out: Vec<String> = self.calendar_cell.problems().into_iter().map(|(_, p)| p).collect();
        let campaigns = match ducha_store::directory::campaigns(&self.store).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "campaigns unreadable for the calendar warnings");
                out.push("暂时无法读取督察信息，节假日安排是否覆盖办理期限未能检查，请稍后刷新。".into());
                return out;
            }
        };
        let today = to_cst(self.clock.now()).date_naive();
        let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        for c in campaigns {
            let (Some(start), Some(end)) = (date(&c.start_date), date(&c.end_date)) else { continue };
            let first = start.max(today);
            let last = end.min(today + chrono::Duration::days(WARN_DAYS_AHEAD));
            let settings = CampaignSettings::of(&c);
            let reach =
                reach_days(settings.batch_due_working_days.saturating_add(MAX_EXTENSION_WORKING_DAYS));
            if let Some(ahead) = uncovered_ahead(&cal, first, last, reach) {
                out.push(uncovered_warning(&c.name, &ahead, today, cal.config().missing_year));
            }
        }
        out
    }
}

/// Re-read the imported years every [`CALENDAR_RECHECK`] until the process ends (one per serving
/// instance), so imports made on other instances come into use here.
pub fn spawn_calendar_watch(app: App) -> tokio::task::JoinHandle<()> {
    spawn_calendar_watch_every(app, CALENDAR_RECHECK)
}

/// [`spawn_calendar_watch`] at another interval (tests).
pub fn spawn_calendar_watch_every(app: App, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match app.reload_calendar().await {
                Ok(true) => tracing::info!("holiday calendar reloaded: imported years changed"),
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e.message, "holiday calendar recheck failed"),
            }
        }
    })
}
