//! `ducha backup`: an online, consistent backup in portable JSON lines (restores into SQLite or
//! PostgreSQL), written beside its final name and moved there only when complete and on disk.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use ducha_app::SystemClock;
use ducha_store::{Store, backup};

use crate::setup::{DbArg, connect_only, settings};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(flatten)]
    pub db: DbArg,
    /// The backup file to create (must not exist yet).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

pub async fn run(cfg_path: Option<&Path>, Opts { db, out }: Opts) -> Result<ExitCode> {
    let s = settings(cfg_path, &db)?;
    let store = connect_only(&s).await?;
    let now = ducha_app::Clock::now(&SystemClock).timestamp_millis();
    let summary = write_backup(&store, &out, now).await?;
    backup::record_backup(&store, &summary, "命令行（ducha backup）", now).await?;
    println!(
        "备份完成：{}，{} 张表共 {} 行，SM3 {}",
        out.display(),
        summary.counts.len(),
        summary.rows,
        summary.sm3
    );
    Ok(ExitCode::SUCCESS)
}

/// Write the backup next to its final name and move it there only when complete and on disk.
async fn write_backup(store: &Store, out: &Path, now_ms: i64) -> Result<backup::BackupSummary> {
    if out.exists() {
        bail!("备份文件 {} 已存在；请换一个文件名", out.display());
    }
    let partial = PathBuf::from(format!("{}.partial", out.display()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    // A backup holds every case (identities sealed, but still): readable by the service account only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let file = opts.open(&partial).with_context(|| format!("无法创建备份文件 {}", partial.display()))?;
    // A leftover `.partial` of an earlier run keeps its mode through `open`: tighten it too.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("无法设置备份文件权限 {}", partial.display()))?;
    }
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let summary = match backup::backup(store, &mut w, now_ms).await {
        Ok(s) => s,
        Err(e) => {
            drop(w);
            let _ = std::fs::remove_file(&partial);
            return Err(e).context("备份失败");
        }
    };
    let file = w.into_inner().map_err(|e| e.into_error()).context("写入备份文件失败")?;
    file.sync_all().context("写入备份文件失败")?;
    std::fs::rename(&partial, out).with_context(|| format!("无法写入 {}", out.display()))?;
    Ok(summary)
}
