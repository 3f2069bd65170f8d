//! `ducha gen`: synthetic complaints from `ducha_triage::synth`.
//!
//! - Without `--db`: labelled JSONL (each line a `ducha triage` input plus its `expected` labels), so
//!   one file serves as triage input, as `--eval` file and as `--score` labels.
//! - With `--db URL`: N synthetic cases written into a database through the store, for the search
//!   and dashboard benchmarks. Each case is triaged as intake does (routing, types, 三散, redacted
//!   text, duplicate link against every earlier case, `dup_doc`), gets an accept number from the
//!   campaign's counter, its complainant sealed when a key is configured, and a history over the
//!   workflow that depends on its age: steps (batch, dispatch to county and township/department,
//!   acknowledgement, investigation, finding, rectification, report, verification, returns,
//!   duplicates) are planned in simulated time and replayed through `workflow::transition`, so every
//!   stage reached is one the rules allow. Batches, assignments and due times (R5.2 buffers on the
//!   working-time calendar) are stored as the workflow would store them. Each case is written with one
//!   audit record (`case.generated`, naming the planned steps) in the same transaction; cases are
//!   committed `--tx-size` at a time. Handling reports, verifications and callbacks are not generated.
//!
//! The JSONL mode is here; the database mode is `db`: `produce` generates, triages and plans (`plan`,
//! `timeline`) on its own thread, `write` stores what it sends.

mod db;
mod plan;
mod produce;
mod timeline;
mod write;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::Args;
use ducha_app::{App, SystemClock};
use ducha_triage::synth::{Synth, SynthConfig};

use crate::config::Settings;
use crate::setup::{connect, init_tracing, key};

#[derive(Debug, Args)]
pub struct Opts {
    /// How many complaints.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub count: usize,
    /// Random seed (same seed, same corpus).
    #[arg(long, default_value_t = 42, value_name = "S")]
    pub seed: u64,
    /// Share of complaints that re-report an earlier source (0–1).
    #[arg(long, default_value_t = 0.2, value_name = "R")]
    pub dup_rate: f64,
    /// Share of complainants who leave their name, phone or address in the text (0–1).
    #[arg(long, default_value_t = 0.5, value_name = "R")]
    pub pii_rate: f64,
    /// Write the JSONL here instead of standard output.
    #[arg(long, value_name = "FILE", conflicts_with = "db")]
    pub out: Option<PathBuf>,
    /// Insert the complaints as cases into this database (`sqlite://FILE` or `postgres://…`); it is
    /// migrated, and given the built-in directory and a campaign when it has none.
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// With `--db`: cases per transaction.
    #[arg(long, default_value_t = 5000, value_name = "N")]
    pub tx_size: usize,
    /// With `--db`: cases per answering day (accept numbers allow 9999 a day); the cases are spread
    /// over as many days as that needs, ending yesterday.
    #[arg(long, default_value_t = 8000, value_name = "N")]
    pub per_day: usize,
    /// Worker threads for text analysis (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

fn synth_config(args: &Opts) -> Result<SynthConfig> {
    for (name, v) in [("--dup-rate", args.dup_rate), ("--pii-rate", args.pii_rate)] {
        if !(0.0..=1.0).contains(&v) {
            bail!("{name} 应在 0 到 1 之间");
        }
    }
    Ok(SynthConfig {
        seed: args.seed,
        dup_rate: args.dup_rate,
        pii_rate: args.pii_rate,
        ..SynthConfig::default()
    })
}

/// `ducha gen` without `--db`: labelled JSONL.
fn write_jsonl(args: &Opts) -> Result<ExitCode> {
    let cfg = synth_config(args)?;
    let stdout = io::stdout();
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(BufWriter::with_capacity(
            1 << 16,
            File::create(p).with_context(|| format!("无法创建输出文件 {}", p.display()))?,
        )),
        None => Box::new(BufWriter::with_capacity(1 << 16, stdout.lock())),
    };
    let mut n = 0usize;
    for item in Synth::builtin(cfg).take(args.count) {
        let written = serde_json::to_writer(&mut out, &item)
            .map_err(io::Error::from)
            .and_then(|()| out.write_all(b"\n"));
        match written {
            Ok(()) => n += 1,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            Err(e) => return Err(e).context("无法写出"),
        }
    }
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        r => r.context("无法写出")?,
    }
    if n < args.count {
        bail!("只生成了 {n} 条（内置区划中没有可用的村）");
    }
    if let Some(p) = &args.out {
        eprintln!("已生成 {n} 条合成举报：{}", p.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `ducha gen`: JSONL without `--db`, else cases into that database.
pub async fn run(cfg_path: Option<&Path>, opts: Opts) -> Result<ExitCode> {
    let Some(url) = &opts.db else { return write_jsonl(&opts) };
    let mut s = Settings::load(cfg_path)?;
    s.db = url.clone();
    init_tracing(&s.log);
    let store = connect(&s).await?;
    let now = ducha_app::Clock::now(&SystemClock);
    let cipher = key(&s, &store, true, now.timestamp_millis()).await?;
    // Synthetic data, like the demo: a year without holiday data is estimated, and said so.
    let today = ducha_domain::time::to_cst(now).date_naive();
    let (cfg, calendar_note) = ducha_app::demo::demo_config(s.app.clone(), today);
    if let Some(note) = &calendar_note {
        eprintln!("{note}");
    }
    let app = App::new(store, cfg, Arc::new(SystemClock), cipher);
    app.reload_calendar().await?;
    db::into_db(&app, &opts).await
}
