//! `ducha demo`: a fresh embedded database seeded with a realistic Puyang campaign, then served.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;
use ducha_app::{App, SystemClock};
use ducha_store::{IdentityCipher, KeyMaterial, Store, StoreOptions, crypto};

use crate::config::Settings;
use crate::setup::{init_tracing, listen, worker_id};

#[derive(Debug, Args)]
pub struct Opts {
    /// Listen address.
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Where the demo database goes (recreated on every run).
    #[arg(long, value_name = "FILE", default_value = "ducha-demo.db")]
    pub file: PathBuf,
    /// Seed the database and exit without serving.
    #[arg(long)]
    pub seed_only: bool,
}

pub async fn run(cfg_path: Option<&Path>, Opts { addr, file, seed_only }: Opts) -> Result<ExitCode> {
    let s = Settings::load(cfg_path)?;
    init_tracing(&s.log);
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let p = PathBuf::from(format!("{}{suffix}", file.display()));
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("无法删除旧的演示数据库 {}", p.display()))?;
        }
    }
    let url = format!("sqlite://{}", file.display());
    let store = Store::connect(
        &url,
        &StoreOptions {
            sqlite_synchronous: "NORMAL".into(),
            // The demo serves like `serve` (unless it only seeds).
            sqlite_background_checkpoint: !seed_only,
            ..StoreOptions::default()
        },
    )
    .await?;
    store.migrate().await?;
    // The demo's key lives only in memory: the demo database is recreated on every run.
    let cipher = IdentityCipher::new(&KeyMaterial::generate(), &[])?;
    let now = ducha_app::Clock::now(&SystemClock);
    crypto::check_keys(&store, Some(&cipher), now.timestamp_millis()).await?;
    let today = ducha_domain::time::to_cst(now).date_naive();
    let (mut cfg, calendar_note) = ducha_app::demo::demo_config(s.app.clone(), today);
    // The demo is served over plain HTTP on this machine: cookies without `Secure`, or no login works.
    cfg.cookie_secure = false;
    if let Some(note) = &calendar_note {
        println!("{note}");
    }
    let app = App::new(store, cfg, Arc::new(SystemClock), Some(cipher));
    app.reload_calendar().await?;
    println!("正在生成演示数据（濮阳市“三散”污染治理专项督察）……");
    let report = app.seed_demo(ducha_triage::Gazetteer::builtin()).await?;
    println!("{report}");
    println!("{}", app.seed_opinion_demo().await?);
    println!("{}", app.seed_disclosure_demo().await?);
    if seed_only {
        return Ok(ExitCode::SUCCESS);
    }
    let _opinion_worker = ducha_app::opinion::spawn_opinion_worker(app.clone());
    let listener = listen(&addr).await?;
    ducha_app::worker::spawn_worker(app.clone(), worker_id());
    println!(
        "演示平台已启动：http://{}/  （公众专栏：http://{}/gongkai/）",
        listener.local_addr()?,
        listener.local_addr()?
    );
    ducha_web::serve(app, listener).await?;
    Ok(ExitCode::SUCCESS)
}
