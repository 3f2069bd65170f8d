//! `ducha disclosure`: public disclosure (边督边改信息公开) — the R2.6 time-limit check.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::{Args, Subcommand};
use ducha_app::{App, SystemClock};

use crate::setup::{DbArg, connect, settings};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(subcommand)]
    pub cmd: DisclosureCmd,
}

#[derive(Debug, Subcommand)]
pub enum DisclosureCmd {
    /// R2.6: list every assigned case not disclosed within the configured working days; exit non-zero
    /// (4) when any is still undisclosed past its due time.
    Check {
        #[command(flatten)]
        db: DbArg,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(cfg_path: Option<&Path>, opts: Opts) -> Result<ExitCode> {
    let DisclosureCmd::Check { db, json } = opts.cmd;
    let s = settings(cfg_path, &db)?;
    let store = connect(&s).await?;
    let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
    app.reload_calendar().await?;
    let report = app.disclosure_check().await?;
    let open = report.open().count();
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for w in &report.warnings {
            println!("注意：{w}");
        }
        for g in &report.gaps {
            let state = match g.disclosed_at {
                None => "未公开".to_owned(),
                Some(t) => format!("{} 公开（超时）", ducha_domain::time::human_cst(t)),
            };
            println!(
                "{}\t专栏 {}\t第{}批\t交办 {}\t时限 {}\t{}\t超时 {} 小时",
                g.accept_no,
                g.column,
                g.batch_number,
                ducha_domain::time::human_cst(g.assigned_at),
                ducha_domain::time::human_cst(g.due_at),
                state,
                g.hours_late
            );
        }
        if open == 0 {
            println!(
                "公开时限检查通过：没有超时未公开的交办件（超时后才公开的 {} 件已列出）",
                report.gaps.len()
            );
        } else {
            println!("公开时限检查未通过：{open} 件交办件超过时限仍未公开");
        }
    }
    Ok(if open == 0 { ExitCode::SUCCESS } else { ExitCode::from(4) })
}
