//! Issue 17: campaigns (督察轮次) set up and edited by the administrator — use cases, refusals with
//! reasons, audit, the admin pages and API — and R2 publication four-eyes, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;
mod gongkai;

use axum::http::StatusCode;
use ducha_app::auth::NewUserInput;
use ducha_app::campaigns::CampaignInput;
use ducha_domain::disclosure::PubStatus;
use ducha_store::{Backend, audit, testing};
use gongkai::*;
use serde_json::json;

fn input(name: &str) -> CampaignInput {
    CampaignInput {
        name: name.into(),
        team_name: "省第三督察组".into(),
        city_code: "4109".into(),
        province_letters: "HA".into(),
        round: 4,
        start_date: "2024-03-01".into(),
        end_date: "2024-03-31".into(),
        hotlines: vec!["0393-8991369".into()],
        postal_box: "濮阳市A002号邮政信箱".into(),
        hours_start: "08:00".into(),
        hours_end: "20:00".into(),
        regions: vec!["410928".into(), "410902".into()],
        disclosure_layout: "legacy".into(),
        disclosure_days: Some(2),
        quiet_start: "20:00".into(),
        quiet_end: "08:00".into(),
        report_buffer_days: 1,
        livelihood_trades: vec!["供暖".into(), "餐饮".into()],
        publication_four_eyes: true,
    }
}

async fn add_user(fx: &common::Fx, username: &str, unit: &str, role: &str) {
    fx.app
        .create_user(
            None,
            &NewUserInput {
                username: username.into(),
                display_name: format!("用户{username}"),
                password: common::PASSWORD.into(),
                unit_code: unit.into(),
                role: role.into(),
            },
        )
        .await
        .unwrap();
}

async fn use_cases(backend: Backend) {
    let fx = common::setup(backend).await;
    add_user(&fx, "admin", "city-4109", "admin").await;
    add_user(&fx, "county_py2", "county-410928", "office").await;
    add_user(&fx, "county_py3", "county-410928", "office").await;
    let admin = user(&fx, "admin").await;
    let office = user(&fx, "city").await;
    // Cases received 2023-12-14 under the fixture's campaign (id 1): accept numbers are out.
    let ids = fixed_campaign(&fx).await;
    let batch = batch_of(&fx, ids[0]).await;

    let c1 = fx.app.campaign_by_id(1).await.unwrap();
    assert_eq!((c1.version, c1.input.city_code.as_str(), c1.input.round), (1, "4109", 3));
    assert!(c1.numbers_issued && c1.cases > 0, "{c1:?}");
    assert!(
        !c1.input.publication_four_eyes,
        "a campaign stored before the rule keeps single-person publication"
    );

    // Only the administrator (or the CLI as the system) edits campaigns.
    let mut edit = c1.input.clone();
    // The fixture stored no regions; an edit through the use case names them.
    edit.regions = vec!["410928".into(), "410902".into()];
    let e = fx.app.update_campaign(Some(&office), 1, &edit, 1).await.unwrap_err();
    assert_eq!(e.code, "forbidden");
    // Round and province letters are in every issued accept number.
    edit.round = 4;
    let e = fx.app.update_campaign(Some(&admin), 1, &edit, 1).await.unwrap_err();
    assert_eq!(e.code, "campaign_numbers_issued", "{e:?}");
    assert!(e.message.contains("受理编号"), "{}", e.message);
    edit.round = 3;
    // The period may not shrink to exclude received cases (received 2023-12-14).
    edit.start_date = "2023-12-15".into();
    let e = fx.app.update_campaign(Some(&admin), 1, &edit, 1).await.unwrap_err();
    assert_eq!(e.code, "campaign_period_excludes_cases", "{e:?}");
    assert!(e.message.contains("2023-12-14"), "{}", e.message);
    edit.start_date = "2023-12-10".into();
    // Answering hours are validated, not silently replaced.
    edit.hours_start = "8点".into();
    let e = fx.app.update_campaign(Some(&admin), 1, &edit, 1).await.unwrap_err();
    assert_eq!((e.code.as_str(), e.field.as_deref()), ("invalid_input", Some("hours_start")));
    edit.hours_start = "08:30".into();
    // A safe edit: hours, a hotline, the period extended, four-eyes switched on.
    edit.hotlines.push("0393-8991370".into());
    edit.end_date = "2024-01-20".into();
    edit.publication_four_eyes = true;
    let d = fx.app.update_campaign(Some(&admin), 1, &edit, 1).await.unwrap();
    assert_eq!(d.version, 2);
    assert_eq!(d.input.hours_start, "08:30");
    assert_eq!(d.input.hotlines.len(), 2);
    assert!(d.input.publication_four_eyes);
    // Someone else's edit in between: the stale version is refused.
    let e = fx.app.update_campaign(Some(&admin), 1, &edit, 1).await.unwrap_err();
    assert_eq!(e.code, "stale_version");
    let recs = audit::for_entity(&fx.app.store, "campaign", "1").await.unwrap();
    let upd: Vec<_> = recs.iter().filter(|r| r.action == "campaign.update").collect();
    assert_eq!(upd.len(), 1, "only the accepted edit is recorded");
    assert!(upd[0].detail.contains("08:30") && upd[0].actor_user_id == Some(admin.id), "{}", upd[0].detail);

    // R2 publication four-eyes, now on: the drafter may neither review nor publish.
    let py = user(&fx, "county_py").await;
    let py2 = user(&fx, "county_py2").await;
    let py3 = user(&fx, "county_py3").await;
    let v = fx.app.draft_disclosure(&py, batch).await.unwrap();
    let e = fx.app.review_disclosure(&py, v.id).await.unwrap_err();
    assert_eq!(e.code, "four_eyes_drafter", "{e:?}");
    assert!(e.message.contains("起草人不能审核"), "{}", e.message);
    fx.app.review_disclosure(&py2, v.id).await.unwrap();
    let e = fx.app.publish_disclosure(&py, v.id).await.unwrap_err();
    assert_eq!(e.code, "four_eyes_drafter");
    assert!(e.message.contains("起草人不能发布"), "{}", e.message);
    // Whoever re-generates the draft drafted it too: py2 refreshes, so py2 may no longer approve.
    let again = fx.app.draft_disclosure(&py2, batch).await.unwrap();
    assert_eq!((again.id, again.status), (v.id, PubStatus::Draft));
    let e = fx.app.review_disclosure(&py2, v.id).await.unwrap_err();
    assert_eq!(e.code, "four_eyes_drafter");
    fx.app.review_disclosure(&py3, v.id).await.unwrap();
    let p = fx.app.publish_disclosure(&py3, v.id).await.unwrap();
    assert_eq!(p.status, PubStatus::Published);

    // Creating: the table of refusals needing the database, then a campaign.
    let e = fx.app.create_campaign(Some(&office), &input("第二轮")).await.unwrap_err();
    assert_eq!(e.code, "forbidden");
    let mut bad = input("第二轮");
    bad.regions = vec!["410999".into()];
    let e = fx.app.create_campaign(Some(&admin), &bad).await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("regions"), "{e:?}");
    assert!(e.message.contains("410999"));
    let mut bad = input("第二轮");
    bad.hours_end = "25:00".into();
    bad.province_letters = "XX".into();
    let e = fx.app.create_campaign(Some(&admin), &bad).await.unwrap_err();
    assert_eq!(e.details.len(), 2, "every field problem is listed: {:?}", e.details);
    let id = fx.app.create_campaign(Some(&admin), &input("第二轮")).await.unwrap();
    let c2 = fx.app.campaign_by_id(id).await.unwrap();
    assert_eq!(c2.input, input("第二轮"), "what was stored reads back as the input");
    assert_eq!((c2.version, c2.cases, c2.numbers_issued), (1, 0, false));
    let e = fx.app.update_campaign(Some(&admin), id, &c2.input, 7).await.unwrap_err();
    assert_eq!(e.code, "stale_version", "{e:?}");
    // Nothing issued yet: round and letters may still change.
    let mut e2 = c2.input.clone();
    e2.round = 5;
    e2.start_date = "2024-03-05".into();
    assert_eq!(fx.app.update_campaign(None, id, &e2, 1).await.unwrap().input.round, 5);
    let recs = audit::for_entity(&fx.app.store, "campaign", &id.to_string()).await.unwrap();
    let actions: Vec<&str> = recs.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["campaign.create", "campaign.update"]);
    assert_eq!(recs[1].actor_name, "命令行");
    let all = fx.app.list_campaigns().await.unwrap();
    assert_eq!(all.iter().map(|c| c.id).collect::<Vec<_>>(), vec![1, id]);
    let e = fx.app.campaign_by_id(999).await.unwrap_err();
    assert_eq!(e.code, "campaign_not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn campaign_use_cases_and_r2_four_eyes_all_backends() {
    for b in testing::backends() {
        use_cases(b).await;
    }
}

async fn pages_and_api(backend: Backend) {
    let fx = common::setup(backend).await;
    add_user(&fx, "admin", "city-4109", "admin").await;
    let s = common::login(&fx, "admin").await;

    // The staff home of an administrator leads to the admin home.
    let home = s.get(&fx, "/").await;
    assert!(home.text.contains("href=\"/admin/\""), "{}", home.text);
    let r = s.get(&fx, "/admin/").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(
        r.text.contains("三散专项督察") && r.text.contains("进驻中"),
        "campaign and its state: {}",
        r.text
    );
    assert!(r.text.contains("/admin/units") && r.text.contains("/admin/users"), "the sections");

    // The form: each problem next to its field, the typed values kept.
    let mut fields: Vec<(&str, &str)> = vec![
        ("name", "河南省“三散”污染治理专项督察（安阳市）"),
        ("team_name", "省第五督察组"),
        ("city_code", "4109"),
        ("province_letters", "HA"),
        ("round", "3x"),
        ("start_date", "2024-03-01"),
        ("end_date", "2024-03-31"),
        ("hotlines", "0372-5081369\r\n0372-5081370"),
        ("postal_box", "A003号邮政信箱"),
        ("hours_start", "8:00"),
        ("hours_end", "20:00"),
        ("regions", "410928"),
        ("regions", "410902"),
        ("disclosure_layout", "2023"),
        ("disclosure_days", ""),
        ("quiet_start", "20:00"),
        ("quiet_end", "08:00"),
        ("report_buffer_days", "1"),
        ("livelihood_trades", "餐饮、供暖"),
        ("publication_four_eyes", "on"),
    ];
    let r = s.post_form(&fx, "/admin/campaigns", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("id=\"err-round\"") && r.text.contains("id=\"err-hours_start\""), "{}", r.text);
    assert!(r.text.contains("接听开始时间“8:00”无效"), "{}", r.text);
    assert!(r.text.contains("value=\"3x\""), "typed values are kept");
    assert!(!r.text.contains("id=\"err-name\""), "no error on a good field");
    fields.retain(|(k, _)| *k != "round" && *k != "hours_start");
    fields.push(("round", "3"));
    fields.push(("hours_start", "08:00"));
    let r = s.post_form(&fx, "/admin/campaigns", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.headers["location"], "/admin/campaigns/2?saved=1");
    let c = fx.app.campaign_by_id(2).await.unwrap();
    assert_eq!(c.input.hotlines, ["0372-5081369", "0372-5081370"]);
    assert_eq!(c.input.regions, ["410928", "410902"]);
    assert!(c.input.publication_four_eyes);
    let r = s.get(&fx, "/admin/campaigns/2?saved=1").await;
    assert!(r.status == StatusCode::OK && r.text.contains("已保存"), "{}", r.text);
    let r = s.get(&fx, "/admin/campaigns").await;
    assert!(r.text.contains("安阳市") && r.text.contains("三散专项督察"), "{}", r.text);
    // An edit on a stale version is refused with its reason above the form.
    fields.push(("version", "7"));
    let r = s.post_form(&fx, "/admin/campaigns/2", &fields).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("已被他人修改"), "{}", r.text);

    // The API: list, read, create, edit; others are refused.
    let t = fx.token("admin").await;
    let r = fx.json("GET", "/api/v1/admin/campaigns", Some(&t), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json.as_array().unwrap().len(), 2);
    let body = serde_json::to_value(input("API建的轮次")).unwrap();
    let r = fx.json("POST", "/api/v1/admin/campaigns", Some(&t), Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json["id"].as_i64().unwrap();
    assert_eq!(r.json["state"], "upcoming", "March 2024 seen from 2023-12-14");
    let mut changed = body.clone();
    changed["postal_box"] = json!("濮阳市A009号邮政信箱");
    let r = fx
        .json(
            "PUT",
            &format!("/api/v1/admin/campaigns/{id}"),
            Some(&t),
            Some(json!({ "version": 1, "campaign": changed })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.json["version"].as_i64(), r.json["input"]["postal_box"].as_str()),
        (Some(2), Some("濮阳市A009号邮政信箱"))
    );
    let r = fx
        .json(
            "PUT",
            &format!("/api/v1/admin/campaigns/{id}"),
            Some(&t),
            Some(json!({ "version": 1, "campaign": body })),
        )
        .await;
    assert_eq!((r.status, r.json["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("stale_version")));
    let mut bad = serde_json::to_value(input("坏的")).unwrap();
    bad["hours_end"] = json!("20点");
    let r = fx.json("POST", "/api/v1/admin/campaigns", Some(&t), Some(bad)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(r.json["error"]["field"], "hours_end");
    // The public column announces the campaign in force: the one that started last on or before today
    // (the app clock: 2023-12-14). The campaign created for 2024-03 takes over only when it starts.
    let r = fx.json("GET", "/gongkai/", None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("三散专项督察") && !r.text.contains("API建的轮次"), "{}", r.text);
    let other = fx.token("city").await;
    let r = fx.json("GET", "/api/v1/admin/campaigns", Some(&other), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_campaign_pages_and_api_all_backends() {
    for b in testing::backends() {
        pages_and_api(b).await;
    }
}
