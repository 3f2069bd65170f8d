//! Issue 17, both databases: the administration store functions — a subtree moved with its
//! materialised paths, contacts and retirement, the must-change mark read with the session, and a
//! user's sessions ended at once.

#![allow(clippy::unwrap_used)]

use ducha_store::directory::{self, NewUnit, NewUser};
use ducha_store::sessions::{self, SessionRow};
use ducha_store::{Store, admin, testing};

async fn unit(store: &Store, code: &str, level: &str, parent: Option<i64>) -> i64 {
    let mut tx = store.begin().await.unwrap();
    let id = directory::insert_unit(
        &mut tx,
        &NewUnit {
            code: code.into(),
            name: format!("单位{code}"),
            level: level.into(),
            dept_kind: None,
            parent_id: parent,
            region_code: None,
            contact_email: None,
            contact_webhook: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn path(store: &Store, id: i64) -> String {
    admin::unit(store, id).await.unwrap().unwrap().path
}

async fn story(store: &Store) {
    let team = unit(store, "team", "team", None).await;
    let city_a = unit(store, "city-a", "city", Some(team)).await;
    let city_b = unit(store, "city-b", "city", Some(team)).await;
    let county = unit(store, "county", "county", Some(city_a)).await;
    let town = unit(store, "town", "township", Some(county)).await;
    let other = unit(store, "county-other", "county", Some(city_a)).await;
    assert_eq!(path(store, town).await, format!("/{team}/{city_a}/{county}/{town}/"));

    // Move the county with its township: both paths follow; a sibling is untouched.
    let mut tx = store.begin().await.unwrap();
    let n = admin::move_unit(&mut tx, county, city_b).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(n, 2);
    assert_eq!(path(store, county).await, format!("/{team}/{city_b}/{county}/"));
    assert_eq!(path(store, town).await, format!("/{team}/{city_b}/{county}/{town}/"));
    assert_eq!(path(store, other).await, format!("/{team}/{city_a}/{other}/"));
    assert_eq!(admin::unit(store, county).await.unwrap().unwrap().parent_id, Some(city_b));

    // Contacts and the webhook kind round-trip; a retired unit is no child and no dispatch target.
    let mut tx = store.begin().await.unwrap();
    let c = admin::Contacts {
        email: Some("t@example.gov.cn".into()),
        webhook: Some("https://oapi.dingtalk.com/robot/send?access_token=x".into()),
        webhook_kind: "dingtalk".into(),
        sms: Some("13939300001".into()),
    };
    admin::set_contacts(&mut tx, town, &c).await.unwrap();
    admin::retire_unit(&mut tx, town, 42).await.unwrap();
    assert!(admin::live_children(&mut tx, county).await.unwrap().is_empty());
    assert!(directory::unit_in_tx(&mut tx, town).await.unwrap().is_none());
    assert!(directory::unit_in_tx(&mut tx, county).await.unwrap().is_some());
    tx.commit().await.unwrap();
    let row = admin::unit(store, town).await.unwrap().unwrap();
    assert_eq!(
        (row.webhook_kind.as_str(), row.contact_sms.as_deref(), row.retired_at),
        ("dingtalk", Some("13939300001"), Some(42))
    );
    assert!(directory::child_units(store, county).await.unwrap().is_empty());
    assert_eq!(admin::units(store).await.unwrap().len(), 6, "retired units stay listed");

    // Users: the must-change mark comes with the session; ending sessions ends them all.
    let mut tx = store.begin().await.unwrap();
    let uid = directory::insert_user(
        &mut tx,
        &NewUser {
            username: "u1".into(),
            display_name: "用户".into(),
            password_hash: "x".into(),
            unit_id: county,
            role: "office".into(),
            created_at: 0,
        },
    )
    .await
    .unwrap();
    admin::set_password(&mut tx, uid, "y", true).await.unwrap();
    for t in ["s1", "s2"] {
        sessions::insert(
            &mut tx,
            &SessionRow {
                token_hash: t.into(),
                user_id: uid,
                csrf_token: "c".into(),
                created_at: 0,
                expires_at: 100,
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let (_, u, _) = sessions::get_with_user(store, "s1", 1).await.unwrap().unwrap();
    assert_eq!((u.must_change_password, u.password_hash.as_str()), (1, "y"));
    let mut tx = store.begin().await.unwrap();
    assert_eq!(admin::end_other_sessions(&mut tx, uid, "s1").await.unwrap(), 1);
    admin::set_active(&mut tx, uid, false).await.unwrap();
    assert_eq!(admin::end_sessions(&mut tx, uid).await.unwrap(), 1);
    admin::set_role_unit(&mut tx, uid, "opinion", other).await.unwrap();
    tx.commit().await.unwrap();
    assert!(sessions::get_with_user(store, "s1", 1).await.unwrap().is_none());
    let row = admin::user(store, uid).await.unwrap().unwrap();
    assert_eq!((row.active, row.role.as_str(), row.unit_id), (0, "opinion", other));
}

#[tokio::test]
async fn admin_story_all_backends() {
    for b in testing::backends() {
        let (store, _db) = testing::fresh(b).await;
        story(&store).await;
    }
}
