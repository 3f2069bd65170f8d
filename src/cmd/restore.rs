//! `ducha restore`: a backup into an empty database (one that holds data is refused).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use ducha_app::SystemClock;
use ducha_store::{backup, redact_url};

use crate::setup::{DbArg, connect_only, settings};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(flatten)]
    pub db: DbArg,
    /// The backup file written by `ducha backup`.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
}

pub async fn run(cfg_path: Option<&Path>, Opts { db, from }: Opts) -> Result<ExitCode> {
    let s = settings(cfg_path, &db)?;
    let store = connect_only(&s).await?;
    let now = ducha_app::Clock::now(&SystemClock).timestamp_millis();
    let file = std::fs::File::open(&from).with_context(|| format!("无法打开备份文件 {}", from.display()))?;
    let r = backup::restore(
        &store,
        std::io::BufReader::with_capacity(1 << 20, file),
        now,
        "命令行（ducha restore）",
    )
    .await
    .with_context(|| format!("恢复失败（{}）", from.display()))?;
    store.close().await;
    println!(
        "恢复完成：{} 行（来自 {} 备份，SM3 {}）写入 {}{}",
        r.rows,
        r.source_backend,
        r.sm3,
        redact_url(&s.db),
        r.upgraded_to.map(|v| format!("，并升级到数据库结构版本 {v}")).unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}
