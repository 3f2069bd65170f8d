//! Holidays as data (issue 17, R5.3) through the use cases, on SQLite and (with `DUCHA_TEST_PG`)
//! PostgreSQL: a due time reaching a year without data is refused with instructions; an administrator
//! (or the command line) imports the year, audited; other roles may not; a year already there is
//! replaced only explicitly; another instance sees the import once it re-reads; a stored year that
//! fails the checks is left out and named; the admin home's warnings see a missing year coming.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeZone;
use ducha_app::auth::{CurrentUser, NewUserInput};
use ducha_app::error::ErrorKind;
use ducha_app::holidays::HolidayImportInput;
use ducha_app::{App, Clock, Config, FixedClock};
use ducha_domain::deadline::due_after_working_days;
use ducha_domain::time::iso_cst;
use ducha_store::directory::{self, NewCampaign};
use ducha_store::{Backend, Q, testing};

const FIXTURE: &str = include_str!("../../../tests/data/holidays/2027-fixture.csv");
const DOC_NO: &str = "测试文号〔2026〕1号";

async fn count(app: &App, sql: &str) -> i64 {
    Q::new(sql).query_scalar::<i64>().unwrap().fetch_one(app.store.reader()).await.unwrap()
}

fn input(year: i32, doc_no: &str, dated: &str, csv: &str, replace: bool) -> HolidayImportInput {
    HolidayImportInput { year, doc_no: doc_no.into(), dated: dated.into(), csv: csv.into(), replace }
}

async fn user(app: &App, username: &str, unit: &str, role: &str) -> CurrentUser {
    let id = app
        .create_user(
            None,
            &NewUserInput {
                username: username.into(),
                display_name: format!("用户{username}"),
                password: "password-123456".into(),
                unit_code: unit.into(),
                role: role.into(),
            },
        )
        .await
        .unwrap();
    app.load_user(id).await.unwrap()
}

/// 2026-12-18 10:00 Beijing: the day real assignments start to reach 2027.
fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2026, 12, 18, 2, 0, 0).unwrap()))
}

async fn story(backend: Backend) {
    let (store, _db) = testing::fresh(backend).await;
    let clock = clock();
    let app = App::new(store.clone(), Config::for_tests(), clock.clone(), None);
    app.bootstrap_directory(ducha_triage::Gazetteer::builtin()).await.unwrap();
    let team = directory::unit_by_code(&store, "team").await.unwrap().unwrap();
    let city = directory::unit_by_code(&store, "city-4109").await.unwrap().unwrap();
    let mut tx = store.begin().await.unwrap();
    directory::insert_campaign(
        &mut tx,
        &NewCampaign {
            name: "三散专项督察".into(),
            team_name: "省第三督察组".into(),
            start_date: "2026-12-01".into(),
            end_date: "2027-01-31".into(),
            hotlines: vec![],
            postal_box: String::new(),
            hours_start: "08:00".into(),
            hours_end: "20:00".into(),
            round_no: 3,
            province_letters: "HA".into(),
            regions: vec![],
            team_unit_id: team.id,
            city_unit_id: city.id,
            settings: serde_json::json!({}),
            created_at: 0,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let admin = user(&app, "admin", "city-4109", "admin").await;
    let office = user(&app, "shiban", "city-4109", "office").await;
    app.reload_calendar().await.unwrap();
    let now = clock.now();

    // R5.3: before the import, a 7-working-day due time from 18 December reaches 2027 and is refused,
    // telling an administrator exactly what to do.
    let e = ducha_app::AppError::from(due_after_working_days(now, 7, &app.calendar()).unwrap_err());
    assert_eq!(e.code, "calendar_year_missing");
    for needle in [
        "2027年",
        "ducha holidays import",
        "--year 2027",
        "/admin/holidays",
        "weekends_only",
        "只按周六、周日",
    ] {
        assert!(e.message.contains(needle), "{needle}: {}", e.message);
    }
    let warnings = app.calendar_warnings().await;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("三散专项督察") && warnings[0].contains("2027年"), "{warnings:?}");

    // Only an administrator imports; a refusal stores nothing.
    let fixture = input(2027, DOC_NO, "2026-11-20", FIXTURE, false);
    let e = app.import_holidays(Some(&office), &fixture).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    let bad = input(
        2027,
        DOC_NO,
        "2026-11-20",
        "from,to,kind,name\n2027-02-01,2027-02-01,workday,春节\n2028-01-01,2028-01-01,holiday,元旦\n",
        false,
    );
    let e = app.import_holidays(Some(&admin), &bad).await.unwrap_err();
    assert_eq!((e.kind, e.code.as_str()), (ErrorKind::Rule, "calendar_data_invalid"));
    assert_eq!(e.details.len(), 2, "{:?}", e.details);
    let e = app
        .import_holidays(Some(&admin), &input(2027, DOC_NO, "2026/11/20", FIXTURE, false))
        .await
        .unwrap_err();
    assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::BadRequest, Some("dated")));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM holiday_imports").await, 0);

    // The import: in use at once, audited.
    let y = app.import_holidays(Some(&admin), &fixture).await.unwrap();
    assert_eq!((y.year, y.source.as_str(), y.holidays, y.makeup_workdays), (2027, "imported", 29, 6));
    assert_eq!(y.notices[0].doc_no, DOC_NO);
    assert_eq!(y.notices[0].dated, "2026-11-20");
    assert!(y.in_force && !y.replaced_builtin);
    assert!(y.imported_by.as_deref().unwrap().contains("用户admin"));
    let due = due_after_working_days(now, 7, &app.calendar()).unwrap();
    // Fri 18 Dec 10:00 + 7 working days: 21–25, 28, 29 December → Tuesday 29 December 18:00.
    assert_eq!(iso_cst(due.at), "2026-12-29T18:00:00+08:00");
    let due = due_after_working_days(now, 11, &app.calendar()).unwrap();
    // … 30, 31 December, then 元旦 1–3 January, Monday 4 and Tuesday 5 January.
    assert_eq!(iso_cst(due.at), "2027-01-05T18:00:00+08:00");
    assert!(app.calendar_warnings().await.is_empty(), "{:?}", app.calendar_warnings().await);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'holidays.import' AND entity_id = '2027'")
            .await,
        1
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM holiday_days").await, 29 + 6);

    // Another instance (its own App on the same database) sees it once it re-reads: by itself, through
    // its watch (every 30 s in `ducha serve`; faster here).
    let other = App::new(store.clone(), Config::for_tests(), clock.clone(), None);
    assert!(due_after_working_days(now, 11, &other.calendar()).is_err());
    let watch = ducha_app::holidays::spawn_calendar_watch_every(other.clone(), Duration::from_millis(20));
    let waited = std::time::Instant::now();
    while !other.calendar().is_imported(2027) {
        assert!(waited.elapsed() < Duration::from_secs(10), "the watch never reloaded");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    watch.abort();
    assert!(!other.reload_calendar().await.unwrap(), "nothing changed: no rebuild");
    assert_eq!(
        iso_cst(due_after_working_days(now, 11, &other.calendar()).unwrap().at),
        "2027-01-05T18:00:00+08:00"
    );

    // A year already there is replaced only explicitly; the old import stays, superseded.
    let again = input(2027, "测试文号〔2027〕2号", "2027-01-10", &FIXTURE.replace(DOC_NO, ""), false);
    let e = app.import_holidays(None, &again).await.unwrap_err();
    assert_eq!((e.kind, e.code.as_str()), (ErrorKind::Conflict, "holiday_year_exists"));
    assert!(e.message.contains(DOC_NO) && e.message.contains("--replace"), "{}", e.message);
    let y = app.import_holidays(None, &HolidayImportInput { replace: true, ..again }).await.unwrap();
    assert_eq!(
        (y.notices[0].doc_no.as_str(), y.imported_by.as_deref()),
        ("测试文号〔2027〕2号", Some("命令行"))
    );
    let history = app.holiday_imports().await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!((history[0].superseded_at, history[1].superseded_at.is_some()), (None, true));
    assert!(other.reload_calendar().await.unwrap(), "the replacement changed the stamp");
    assert_eq!(
        other.calendar().notices().last().map(|n| n.doc_no.clone()).as_deref(),
        Some("测试文号〔2027〕2号")
    );

    // A built-in year too: refused naming the built-in notice, then replaced with `replace`.
    let y2026 = "from,to,kind,name\n2026-01-01,2026-01-03,holiday,元旦\n";
    let e = app
        .import_holidays(Some(&admin), &input(2026, "测试〔2025〕9号", "2025-12-01", y2026, false))
        .await
        .unwrap_err();
    assert_eq!(e.code, "holiday_year_exists");
    assert!(e.message.contains("内置") && e.message.contains("国办发明电〔2025〕7号"), "{}", e.message);
    let y = app
        .import_holidays(Some(&admin), &input(2026, "测试〔2025〕9号", "2025-12-01", y2026, true))
        .await
        .unwrap();
    assert!(y.replaced_builtin && y.source == "imported");
    assert_eq!(
        app.calendar().day_kind(chrono::NaiveDate::from_ymd_opt(2026, 2, 16).unwrap()).unwrap(),
        ducha_domain::calendar::DayKind::Workday
    );
    let years = app.holiday_years().await.unwrap();
    assert_eq!(years.iter().map(|y| y.year).collect::<Vec<_>>(), (2019..=2027).collect::<Vec<_>>());
    assert_eq!(years.iter().filter(|y| y.source == "imported").count(), 2);

    // A stored year edited by hand so that it fails the checks: left out, and named.
    Q::new("UPDATE holiday_days SET kind = 'workday' WHERE day = '2027-01-01'")
        .query()
        .unwrap()
        .execute(app.store.reader())
        .await
        .unwrap();
    let fresh = App::new(store.clone(), Config::for_tests(), clock.clone(), None);
    fresh.reload_calendar().await.unwrap();
    assert!(!fresh.calendar().is_imported(2027));
    let years = fresh.holiday_years().await.unwrap();
    let y27 = years.iter().find(|y| y.year == 2027).unwrap();
    assert!(!y27.in_force && y27.problem.as_deref().unwrap().contains("不是周六或周日"), "{y27:?}");
    let warnings = fresh.calendar_warnings().await;
    assert!(warnings.iter().any(|w| w.contains("未生效")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("三散专项督察")), "{warnings:?}");
}

#[tokio::test]
async fn r5_3_holiday_years_as_data() {
    for backend in testing::backends() {
        story(backend).await;
    }
}
