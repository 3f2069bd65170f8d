//! `ducha opinion`: public-opinion monitoring (舆情) — import exported posts, poll the feeds.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use ducha_app::{App, SystemClock};

use crate::setup::{DbArg, connect, settings};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(subcommand)]
    pub cmd: OpinionCmd,
}

#[derive(Debug, Subcommand)]
pub enum OpinionCmd {
    /// Import exported posts (Weibo, WeChat articles, forum threads, news) from a JSONL or CSV file.
    Import {
        /// The export file (UTF-8).
        file: PathBuf,
        /// `jsonl` or `csv` (default: from the file extension, else jsonl).
        #[arg(long, value_parser = ["jsonl", "csv"])]
        format: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Poll every due feed source once.
    Poll {
        #[command(flatten)]
        db: DbArg,
    },
}

pub async fn run(cfg_path: Option<&Path>, opts: Opts) -> Result<ExitCode> {
    match opts.cmd {
        OpinionCmd::Import { file, format, db } => {
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
            app.reload_calendar().await?;
            import(&app, &file, format.as_deref()).await
        }
        OpinionCmd::Poll { db } => poll(cfg_path, &db).await,
    }
}

/// `ducha opinion poll`: every due feed source once; exit 4 when one failed.
async fn poll(cfg_path: Option<&Path>, db: &DbArg) -> Result<ExitCode> {
    let s = settings(cfg_path, db)?;
    let store = connect(&s).await?;
    let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
    app.reload_calendar().await?;
    let r = app.poll_due_sources().await?;
    for p in &r.sources {
        match &p.error {
            None => println!(
                "{}：{}，新增 {} 条，转载 {} 条，已收录 {} 条",
                p.name, p.outcome, p.items_new, p.items_dup, p.items_seen
            ),
            Some(e) => println!(
                "{}：失败（{e}）{}",
                p.name,
                if p.now_failing { "，已连续失败，暂停采集" } else { "" }
            ),
        }
    }
    println!(
        "本轮采集 {} 个订阅源：成功 {}，无更新 {}，失败 {}；新增舆情 {} 条，转载 {} 条",
        r.polled, r.ok, r.not_modified, r.failed, r.items_new, r.items_dup
    );
    Ok(if r.failed > 0 { ExitCode::from(4) } else { ExitCode::SUCCESS })
}

/// `ducha opinion import`: parse the export (pure), then analyse and store it in chunks with a
/// progress bar. Unreadable lines are listed and skipped; the exit code is 0 only when every line was
/// read.
async fn import(app: &App, file: &Path, format: Option<&str>) -> Result<ExitCode> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("无法读取 {}（应为 UTF-8 文本）", file.display()))?;
    let format = match format {
        Some(f) => f.to_owned(),
        None if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) => "csv".into(),
        None => "jsonl".into(),
    };
    let parsed = match format.as_str() {
        "csv" => ducha_opinion::record::parse_csv(&text)?,
        _ => ducha_opinion::record::parse_jsonl(&text),
    };
    let mut items = Vec::new();
    let mut bad = 0usize;
    for r in parsed {
        match r {
            Ok(i) => items.push(i),
            Err(e) => {
                bad += 1;
                eprintln!("跳过：{e}");
            }
        }
    }
    let bar = indicatif::ProgressBar::new(items.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} 导入舆情 [{bar:40}] {pos}/{len} 条 {per_sec} 剩余 {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let (mut new, mut dup, mut seen, mut links, mut key) = (0usize, 0usize, 0usize, 0usize, 0usize);
    for chunk in items.chunks(ducha_app::opinion::ingest::CHUNK) {
        let r = app.import_opinion_items(None, chunk.to_vec()).await?;
        new += r.new_items.len();
        dup += r.near_duplicates.len();
        seen += r.seen;
        links += r.links;
        key += r.key_items.len();
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    println!(
        "导入完成：读取 {} 条，新增 {new} 条（其中重大及以上 {key} 条），转载 {dup} 条，已收录跳过 {seen} 条，关联交办案件 {links} 次；无法读取 {bad} 行",
        items.len()
    );
    Ok(if bad > 0 { ExitCode::from(4) } else { ExitCode::SUCCESS })
}
