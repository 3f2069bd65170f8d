//! `ducha migrate`: apply the database migrations.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use ducha_store::redact_url;

use crate::setup::{DbArg, connect, settings};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(flatten)]
    pub db: DbArg,
}

pub async fn run(cfg_path: Option<&Path>, Opts { db }: Opts) -> Result<ExitCode> {
    let s = settings(cfg_path, &db)?;
    connect(&s).await?;
    println!("数据库迁移完成：{}", redact_url(&s.db));
    Ok(ExitCode::SUCCESS)
}
