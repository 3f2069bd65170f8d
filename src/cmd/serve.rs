//! `ducha serve`: run the platform on the configured database.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::Args;
use ducha_app::{App, SystemClock};

use crate::setup::{DbArg, connect_with, init_tracing, key, listen, settings, worker_id};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(flatten)]
    pub db: DbArg,
    /// Listen address, e.g. 127.0.0.1:8080.
    #[arg(long, value_name = "HOST:PORT")]
    pub addr: Option<String>,
}

pub async fn run(cfg_path: Option<&Path>, Opts { db, addr }: Opts) -> Result<ExitCode> {
    let mut s = settings(cfg_path, &db)?;
    if let Some(a) = addr {
        s.addr = a;
    }
    init_tracing(&s.log);
    let store = connect_with(&s, true).await?;
    // Several instances may start together on one PostgreSQL database: they take turns at
    // the key check and the directory bootstrap.
    let startup = store.startup_lock().await?;
    let now = ducha_app::Clock::now(&SystemClock).timestamp_millis();
    let cipher = key(&s, &store, true, now).await?;
    let app = App::new(store, s.app.clone(), Arc::new(SystemClock), cipher);
    app.bootstrap_directory(ducha_triage::Gazetteer::builtin()).await?;
    let sealed = app.seal_legacy_callback_comments().await?;
    if sealed > 0 {
        tracing::info!(sealed, "older callback comments sealed, firewalled text kept in the clear");
    }
    startup.release().await?;
    app.sync_dup_index().await?;
    let _opinion_worker = ducha_app::opinion::spawn_opinion_worker(app.clone());
    let listener = listen(&s.addr).await?;
    ducha_app::worker::spawn_worker(app.clone(), worker_id());
    println!("ducha 已启动：http://{}", listener.local_addr()?);
    ducha_web::serve(app, listener).await?;
    Ok(ExitCode::SUCCESS)
}
