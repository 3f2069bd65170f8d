//! `ducha audit`: walk the audit trail's SM3 hash chain.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use ducha_store::audit;

use crate::setup::{DbArg, connect, settings};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(subcommand)]
    pub cmd: AuditCmd,
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Walk the hash chain; exit non-zero naming the first broken record.
    Verify {
        #[command(flatten)]
        db: DbArg,
    },
}

pub async fn run(cfg_path: Option<&Path>, opts: Opts) -> Result<ExitCode> {
    let AuditCmd::Verify { db } = opts.cmd;
    let s = settings(cfg_path, &db)?;
    let store = connect(&s).await?;
    let r = audit::verify(&store).await?;
    match r.broken {
        None => {
            println!("审计链完整：共 {} 条记录，逐条哈希校验通过（SM3）", r.checked);
            Ok(ExitCode::SUCCESS)
        }
        Some(b) => {
            eprintln!("审计链校验失败：第 {} 条记录。{}", b.seq, b.reason);
            Ok(ExitCode::from(3))
        }
    }
}
