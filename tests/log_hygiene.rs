//! Secrets never reach the log: `ducha serve` at `debug` level for every crate (what an operator
//! turns on to chase a fault) is driven through logins, an intake with a complainant's identity, an
//! audited identity read, a staff-typed reason naming the complainant, a complainant's callback link,
//! Open311 with an `api_key` and a webhook delivery that fails; then the whole log is searched for every secret it handled.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod common;

use std::time::{Duration, Instant};

use common::{PASSWORD, Server, bootstrap, client, login};
use ducha_store::{KeyMaterial, Store, StoreOptions, directory};

/// A loopback port with nothing listening on it (connections are refused at once).
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_never_reach_the_debug_log() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("logs.db").display());
    let key = KeyMaterial::generate();
    bootstrap(&url, &key).await;

    // The city office's webhook carries its credential in the query string, as WeCom and DingTalk
    // robot addresses do; nothing listens there, so each delivery fails and is logged.
    let hook_secret = "HOOKSECRET7f3a9c";
    let hook = format!("http://127.0.0.1:{}/cgi-bin/webhook/send?key={hook_secret}", closed_port());
    {
        let store = Store::connect(&url, &StoreOptions::default()).await.unwrap();
        let city = directory::unit_by_code(&store, "city-4109").await.unwrap().unwrap();
        let mut tx = store.begin().await.unwrap();
        directory::set_unit_contacts(&mut tx, city.id, None, Some(&hook)).await.unwrap();
        tx.commit().await.unwrap();
        store.close().await;
    }

    let api_key = "OPEN311KEY5d8e2b";
    let key_hex = key.to_hex();
    let keys = format!("[\"{api_key}\"]");
    let server = Server::start(
        &url,
        &[
            ("DUCHA_SM4_KEY", key_hex.as_str()),
            ("DUCHA_LOG", "debug"),
            ("DUCHA_APP__WORKER_POLL_MS", "200"),
            ("DUCHA_APP__PUBLIC__OPEN311_API_KEYS", keys.as_str()),
        ],
    );
    let http = client();
    let base = &server.base;

    // Logins: one refused (a wrong password), two accepted (their session tokens are secrets too).
    let wrong_password = "wrong-password-c41e";
    let r = http
        .post(format!("{base}/api/v1/session"))
        .json(&serde_json::json!({ "username": "op", "password": wrong_password }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let op = login(&http, base, "op").await;
    let team = login(&http, base, "team").await;

    // An intake with the complainant's identity, then the audited read of it.
    let (name, phone, id_number, address) =
        ("欧阳秘密", "13903930417", "410901198807150419", "濮阳县柳屯镇幸福路17号院");
    let r = http
        .post(format!("{base}/api/v1/cases"))
        .bearer_auth(&op)
        .json(&serde_json::json!({
            "channel": "phone",
            "text": "濮阳县柳屯镇有个塑料颗粒加工点晚上偷偷生产，冒黑烟，气味刺鼻。",
            "complainant": { "name": name, "phone": phone, "id_number": id_number, "address": address }
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
    let case: serde_json::Value = r.json().await.unwrap();
    let id = case["id"].as_i64().unwrap();
    let r = http.get(format!("{base}/api/v1/cases/{id}/identity")).bearer_auth(&team).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["phone"], phone);

    // Free text typed by staff with the complainant's details in it (a triage correction's reason):
    // it reaches the case history only through the identity firewall, and the log not at all.
    let r = http
        .post(format!("{base}/api/v1/cases/{id}/triage-corrections"))
        .bearer_auth(&team)
        .json(&serde_json::json!({ "pollution_types": ["大气", "水", "固废"], "reason": format!("来电人{name}补充（电话{phone}）：是无证小作坊") }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());
    let r = http.get(format!("{base}/api/v1/cases/{id}/history")).bearer_auth(&team).send().await.unwrap();
    let history = r.text().await.unwrap();
    assert!(history.contains("是无证小作坊") && !history.contains(phone), "{history}");

    // The team hands the case to the city: a notice for the city's (failing) webhook.
    let r = http
        .post(format!("{base}/api/v1/cases/{id}/actions"))
        .bearer_auth(&team)
        .json(&serde_json::json!({ "action": "assign" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());

    // A complainant's callback link (the token is the key to the form) and Open311 with its key,
    // in the query string and in a form body.
    let callback_token = "HUIFANGTOKENb62d90e4";
    let r = http.get(format!("{base}/huifang/{callback_token}")).send().await.unwrap();
    assert!(r.status().is_client_error() || r.status().is_success(), "{}", r.status());
    let r = http
        .get(format!("{base}/open311/v2/requests.json?api_key={api_key}&status=open"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let (o_name, o_phone) = ("司马保密", "13700001234");
    // A form body, encoded by the URL parser (reqwest is built without its form feature).
    let form = reqwest::Url::parse_with_params(
        "http://form.invalid/",
        [
            ("service_code", "air"),
            ("description", "南乐县城关镇废品收购站露天焚烧垃圾，浓烟很大"),
            ("address_string", "南乐县城关镇"),
            ("first_name", o_name),
            ("phone", o_phone),
            ("api_key", api_key),
        ],
    )
    .unwrap();
    let r = http
        .post(format!("{base}/open311/v2/requests.json"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.query().unwrap().to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());

    // Wait until the worker has tried the webhook and logged the failure.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !server.log.lock().unwrap().contains("delivery failed") {
        assert!(Instant::now() < deadline, "no failed delivery logged:\n{}", server.log.lock().unwrap());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let log = server.log.lock().unwrap().clone();
    drop(server);

    // The log is really at debug level and records the requests (so a leak would have been seen).
    for expected in
        ["/huifang/{token}", "/open311/v2/{*rest}", "/api/v1/cases/{id}/identity", "delivery failed"]
    {
        assert!(log.contains(expected), "the debug log records {expected}");
    }
    let secrets = [
        ("SM4 key", key_hex.as_str()),
        ("password", PASSWORD),
        ("wrong password", wrong_password),
        ("operator session", op.as_str()),
        ("team session", team.as_str()),
        ("complainant name", name),
        ("complainant phone", phone),
        ("complainant ID number", id_number),
        ("complainant address", address),
        ("Open311 complainant name", o_name),
        ("Open311 complainant phone", o_phone),
        ("callback token", callback_token),
        ("Open311 api_key", api_key),
        ("webhook credential", hook_secret),
    ];
    let leaks: Vec<String> = secrets
        .iter()
        .filter_map(|(what, s)| {
            log.lines()
                .find(|l| l.contains(s))
                .map(|l| format!("{what} in: {}", l.chars().take(300).collect::<String>()))
        })
        .collect();
    assert!(leaks.is_empty(), "secrets in the log ({} bytes):\n{}", log.len(), leaks.join("\n"));
}
