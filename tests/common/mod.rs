//! Shared by the tests that run the real binary: a database with Puyang's directory, a campaign and an
//! operator; `ducha serve` as a child process on a free port; a small JSON client.

#![allow(dead_code, clippy::unwrap_used, clippy::print_stdout)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ducha_app::auth::NewUserInput;
use ducha_app::{App, Config, SystemClock};
use ducha_store::directory::{self, NewCampaign};
use ducha_store::{IdentityCipher, KeyMaterial, Store, StoreOptions, crypto};

pub const PASSWORD: &str = "operator-password-1";

pub fn ducha() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ducha"));
    for (k, _) in std::env::vars() {
        if k.starts_with("DUCHA_") && k != "DUCHA_TEST_PG" && k != "DUCHA_REQUIRE_PG" {
            c.env_remove(k);
        }
    }
    c.env("DUCHA_LOG", "warn");
    // These tests run the binary on the real clock, on any date: where a due time reaches a year the
    // built-in holiday data do not cover yet, it is estimated on weekends (as a deployment may be
    // configured to) instead of refused. The refusal itself is tested in ducha-domain and ducha-app.
    c.env("DUCHA_APP__WORKING_TIME__MISSING_YEAR", "weekends_only");
    c
}

/// A campaign period around today (`YYYY-MM-DD`, Beijing dates), so the suite holds on any date.
pub fn campaign_period() -> (String, String) {
    let today = ducha_domain::time::to_cst(ducha_app::Clock::now(&SystemClock)).date_naive();
    let f = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    (f(today - chrono::Duration::days(30)), f(today + chrono::Duration::days(400)))
}

/// Migrate, build Puyang's unit chain, add a campaign and the users `op` (operator) and `team`.
/// Identities will be sealed with `key`.
pub async fn bootstrap(url: &str, key: &KeyMaterial) {
    let store = Store::connect(url, &StoreOptions::default()).await.unwrap();
    store.migrate().await.unwrap();
    let cipher = IdentityCipher::new(key, &[]).unwrap();
    crypto::check_keys(&store, Some(&cipher), 0).await.unwrap();
    let app = App::new(store.clone(), Config::for_tests(), Arc::new(SystemClock), Some(cipher));
    app.bootstrap_directory(ducha_triage::Gazetteer::builtin()).await.unwrap();
    let team = directory::unit_by_code(&store, "team").await.unwrap().unwrap();
    let city = directory::unit_by_code(&store, "city-4109").await.unwrap().unwrap();
    let (start_date, end_date) = campaign_period();
    let mut tx = store.begin().await.unwrap();
    directory::insert_campaign(
        &mut tx,
        &NewCampaign {
            name: "三散专项督察".into(),
            team_name: "省第三督察组".into(),
            start_date,
            end_date,
            hotlines: vec!["0393-12369".into()],
            postal_box: "濮阳市A001号信箱".into(),
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
    for (u, role) in [("op", "operator"), ("team", "team")] {
        app.create_user(
            None,
            &NewUserInput {
                username: u.into(),
                display_name: format!("用户{u}"),
                password: PASSWORD.into(),
                unit_code: "team".into(),
                role: role.into(),
            },
        )
        .await
        .unwrap();
    }
    store.close().await;
}

/// How much of a server's output [`Server::log`] keeps.
pub const LOG_CAP: usize = 16 * 1024 * 1024;

fn keep(log: &std::sync::Mutex<String>, line: &str) {
    let mut l = log.lock().unwrap();
    if l.len() < LOG_CAP {
        l.push_str(line);
        l.push('\n');
    }
}

/// A running `ducha serve`; killed (SIGKILL) when dropped.
#[derive(Debug)]
pub struct Server {
    pub child: Child,
    pub base: String,
    /// What the server wrote so far, stdout (where its log goes) and stderr, up to [`LOG_CAP`].
    pub log: Arc<std::sync::Mutex<String>>,
}

impl Server {
    /// Start `ducha serve` on a free port with extra environment; waits until `/healthz` answers.
    pub fn start(db: &str, env: &[(&str, &str)]) -> Server {
        Self::try_start(db, env).unwrap_or_else(|e| panic!("ducha serve did not start: {e}"))
    }

    pub fn try_start(db: &str, env: &[(&str, &str)]) -> Result<Server, String> {
        let mut cmd = ducha();
        cmd.args(["serve", "--db", db, "--addr", "127.0.0.1:0"]);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Self::spawn(cmd, Duration::from_secs(60))
    }

    /// Run `cmd` (a `ducha` command that serves) and wait up to `wait` for the first line naming its
    /// `http://` address.
    pub fn spawn(mut cmd: Command, wait: Duration) -> Result<Server, String> {
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| e.to_string())?;
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(std::sync::Mutex::new(String::new()));
        {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    keep(&log, &line);
                }
            });
        }
        let (tx, rx) = std::sync::mpsc::channel();
        {
            let log = log.clone();
            std::thread::spawn(move || {
                let mut started = false;
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if !started && let Some(rest) = line.split("http://").nth(1) {
                        started = true;
                        let addr = rest.split(|c: char| c == '/' || c.is_whitespace()).next().unwrap_or("");
                        let _ = tx.send(addr.to_owned());
                    }
                    keep(&log, &line);
                }
            });
        }
        match rx.recv_timeout(wait) {
            Ok(addr) => Ok(Server { child, base: format!("http://{addr}"), log }),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                std::thread::sleep(Duration::from_millis(100));
                Err(log.lock().unwrap().clone())
            }
        }
    }

    /// SIGKILL: no graceful shutdown, no flush, no destructor.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap()
}

pub async fn login(c: &reqwest::Client, base: &str, user: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = c
            .post(format!("{base}/api/v1/session"))
            .json(&serde_json::json!({ "username": user, "password": PASSWORD }))
            .send()
            .await;
        if let Ok(r) = r
            && r.status().is_success()
        {
            let v: serde_json::Value = r.json().await.unwrap();
            return v["token"].as_str().unwrap().to_owned();
        }
        assert!(Instant::now() < deadline, "login as {user} failed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Run a `ducha` subcommand; (exit code, stdout, stderr).
pub fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = ducha();
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
