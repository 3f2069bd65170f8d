//! `ducha serve`: run the platform on the configured database, for the city it was set up for
//! (`ducha init --city CODE`).

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;
use ducha_app::{App, SystemClock};
use ducha_triage::{Gazetteer, Places};

use crate::config::Settings;
use crate::setup::{DbArg, connect_with, init_tracing, key, listen, settings, worker_id};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(flatten)]
    pub db: DbArg,
    /// Listen address, e.g. 127.0.0.1:8080.
    #[arg(long, value_name = "HOST:PORT")]
    pub addr: Option<String>,
}

/// The city of Puyang, served when a database holds no city yet (the built-in data).
pub const PUYANG: &str = "4109";

/// The gazetteer of a deployment city: built-in for Puyang, else from the embedded NBS data.
pub fn gazetteer_for(city: &str) -> Result<Gazetteer> {
    if city == PUYANG {
        return Ok(Gazetteer::builtin().clone());
    }
    Ok(Gazetteer::for_city(city)?)
}

/// The places the router uses: `places_file` when configured (checked against the city's
/// gazetteer), else the built-in Puyang list for Puyang and none for other cities.
pub fn places_for(s: &Settings, g: &Gazetteer, city: &str) -> Result<Places> {
    match &s.places_file {
        Some(f) => {
            let text =
                std::fs::read_to_string(f).with_context(|| format!("无法读取地点文件 {}", f.display()))?;
            let places = Places::from_csv(&text).with_context(|| format!("地点文件 {} 有误", f.display()))?;
            g.check_places(&places).with_context(|| format!("地点文件 {} 与本市区划不符", f.display()))?;
            Ok(places)
        }
        None if city == PUYANG => Ok(Places::builtin().clone()),
        None => Ok(Places::empty()),
    }
}

/// Checks the settings `serve` cannot run with (before anything is opened).
pub fn check_settings(s: &Settings) -> Result<()> {
    ducha_web::ratelimit::TrustedProxies::parse(&s.app.trusted_proxies).map_err(anyhow::Error::msg)?;
    Ok(())
}

pub async fn run(cfg_path: Option<&Path>, Opts { db, addr }: Opts) -> Result<ExitCode> {
    let mut s = settings(cfg_path, &db)?;
    if let Some(a) = addr {
        s.addr = a;
    }
    init_tracing(&s.log);
    check_settings(&s)?;
    let store = connect_with(&s, true).await?;
    // Several instances may start together on one PostgreSQL database: they take turns at
    // the key check and the directory bootstrap.
    let startup = store.startup_lock().await?;
    let now = ducha_app::Clock::now(&SystemClock).timestamp_millis();
    let cipher = key(&s, &store, true, now).await?;
    let mut app = App::new(store, s.app.clone(), Arc::new(SystemClock), cipher);
    let city = match app.deployment_city().await? {
        Some(c) => c,
        None => {
            tracing::warn!(
                "数据库中尚无城市，按濮阳市（4109）建立单位；正式部署请先运行 ducha init --city 城市代码"
            );
            PUYANG.to_owned()
        }
    };
    let g = gazetteer_for(&city)?;
    let places = places_for(&s, &g, &city)?;
    if city != PUYANG || s.places_file.is_some() {
        app.triage = ducha_app::triage::TriageEngine::for_gazetteer(&g, &places);
    }
    app.bootstrap_directory(&g).await?;
    let sealed = app.seal_legacy_callback_comments().await?;
    if sealed > 0 {
        tracing::info!(sealed, "older callback comments sealed, firewalled text kept in the clear");
    }
    startup.release().await?;
    // The imported holiday years, and every CALENDAR_RECHECK those imported on other instances.
    app.reload_calendar().await?;
    let _calendar_watch = ducha_app::holidays::spawn_calendar_watch(app.clone());
    app.sync_dup_index().await?;
    let _opinion_worker = ducha_app::opinion::spawn_opinion_worker(app.clone());
    let listener = listen(&s.addr).await?;
    ducha_app::worker::spawn_worker(app.clone(), worker_id());
    tracing::info!(city = %city, places = places.len(), "deployment city");
    println!("ducha 已启动：http://{}", listener.local_addr()?);
    ducha_web::serve(app, listener).await?;
    Ok(ExitCode::SUCCESS)
}
