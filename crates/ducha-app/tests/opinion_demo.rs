//! `ducha demo`'s opinion desk, seeded through the real use cases on both backends: the items are
//! analysed and stored, reposts folded, the desk's alerts and escalations sent and acknowledged.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use chrono::TimeZone;
use ducha_app::auth::NewUserInput;
use ducha_app::{App, Config, FixedClock};
use ducha_store::directory::{self, NewCampaign};
use ducha_store::{Backend, Q, testing};

async fn count(app: &App, sql: &str) -> i64 {
    Q::new(sql).query_scalar::<i64>().unwrap().fetch_one(app.store.reader()).await.unwrap()
}

async fn seed(backend: Backend) {
    let (store, _db) = testing::fresh(backend).await;
    // Thursday 2023-12-14 10:00 Beijing time: daytime, so township alerts are delivered at once.
    let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2023, 12, 14, 2, 0, 0).unwrap()));
    let app = App::new(store.clone(), Config::for_tests(), clock, None);
    app.bootstrap_directory(ducha_triage::Gazetteer::builtin()).await.unwrap();
    let team = directory::unit_by_code(&store, "team").await.unwrap().unwrap();
    let city = directory::unit_by_code(&store, "city-4109").await.unwrap().unwrap();
    let mut tx = store.begin().await.unwrap();
    directory::insert_campaign(
        &mut tx,
        &NewCampaign {
            name: "三散专项督察".into(),
            team_name: "省第三督察组".into(),
            start_date: "2023-12-10".into(),
            end_date: "2024-01-10".into(),
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
    for (u, unit, role) in [
        ("yuqing", "city-4109", "opinion"),
        ("duchazu", "team", "team"),
        ("shiban", "city-4109", "office"),
        ("liutun", "town-410928101", "handler"),
    ] {
        app.create_user(
            None,
            &NewUserInput {
                username: u.into(),
                display_name: u.into(),
                password: "ducha-demo-2026".into(),
                unit_code: unit.into(),
                role: role.into(),
            },
        )
        .await
        .unwrap();
    }
    let summary = app.seed_opinion_demo().await.unwrap();
    assert!(summary.contains("已报送督察组并抄送市攻坚办，均已签收"), "{summary}");
    assert!(summary.contains("柳屯镇签收反馈，已处置"), "daytime: the township got the alert: {summary}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM opinion_items WHERE dup_of IS NULL").await, 20);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM opinion_items WHERE dup_of IS NOT NULL").await, 6);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM opinion_sources WHERE enabled = 0").await,
        3,
        "the demo fetches nothing"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM opinion_alerts WHERE kind = 'escalation'").await, 3);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM opinion_alerts WHERE kind = 'copy'").await, 3);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM opinion_alerts WHERE acknowledged_at IS NOT NULL").await, 3);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM opinion_items WHERE status = 'handled'").await, 2);
    assert_eq!(ducha_store::audit::verify(&store).await.unwrap().broken, None, "every step chained");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r3_demo_desk_all_backends() {
    for b in testing::backends() {
        seed(b).await;
    }
}
