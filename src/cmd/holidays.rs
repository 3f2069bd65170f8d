//! `ducha holidays`: the holiday years of the working-time calendar — import a year's State Council
//! notice into the database (the rows in the layout of `data/holidays/cn.csv`), list the years in use.
//! The same use cases as the admin page `/admin/holidays` (`ducha_app::holidays`); the command line acts
//! as the server's operator and is recorded in the audit log as `命令行`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use ducha_app::holidays::{HolidayImportInput, HolidayYearView};
use ducha_app::{App, AppError, SystemClock};

use crate::setup::{DbArg, connect, settings};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(subcommand)]
    pub cmd: HolidaysCmd,
}

#[derive(Debug, Subcommand)]
pub enum HolidaysCmd {
    /// Import a year's holidays and make-up working days (国务院办公厅关于X年部分节假日安排的通知).
    Import {
        #[command(flatten)]
        db: DbArg,
        /// The arrangement year the notice governs.
        #[arg(long, value_name = "YYYY")]
        year: i32,
        /// The notice's document number (文号), e.g. 国办发明电〔2026〕5号.
        #[arg(long, value_name = "文号")]
        doc_no: String,
        /// The date the notice bears.
        #[arg(long, value_name = "YYYY-MM-DD")]
        dated: String,
        /// Replace the arrangement already there for the year (built in, or imported before).
        #[arg(long)]
        replace: bool,
        /// The rows: `from,to,kind,name,doc_no` as in data/holidays/cn.csv (`-` for standard input).
        #[arg(value_name = "FILE.csv")]
        file: PathBuf,
    },
    /// List the years of the calendar: built in and imported, with 文号 and date.
    List {
        #[command(flatten)]
        db: DbArg,
    },
}

/// An app error as one paragraph: the message, then what it lists.
fn explain(e: AppError) -> anyhow::Error {
    let mut text = e.message;
    for d in &e.details {
        text.push_str("\n  ");
        text.push_str(d);
    }
    anyhow::anyhow!(text)
}

fn print_year(y: &HolidayYearView) {
    let notices =
        y.notices.iter().map(|n| format!("{}（{}）", n.doc_no, n.dated)).collect::<Vec<_>>().join("；");
    let by = match (&y.imported_by, y.imported_at) {
        (Some(by), Some(at)) => {
            format!("\t{by} 于 {} 导入", ducha_domain::time::human_cst(ducha_domain::time::from_millis(at)))
        }
        _ => String::new(),
    };
    let replaced = if y.replaced_builtin { "（替换内置数据）" } else { "" };
    let problem = y.problem.as_deref().map(|p| format!("\t{p}")).unwrap_or_default();
    println!(
        "{}\t{}{replaced}\t放假{}天、调休上班{}天\t{notices}{by}{problem}",
        y.year, y.source_label, y.holidays, y.makeup_workdays
    );
}

pub async fn run(cfg_path: Option<&Path>, opts: Opts) -> Result<ExitCode> {
    match opts.cmd {
        HolidaysCmd::Import { db, year, doc_no, dated, replace, file } => {
            let csv = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin()).context("无法读取标准输入")?
            } else {
                std::fs::read_to_string(&file).with_context(|| format!("无法读取文件 {}", file.display()))?
            };
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
            let y = app
                .import_holidays(None, &HolidayImportInput { year, doc_no, dated, csv, replace })
                .await
                .map_err(explain)?;
            println!("已导入{}年节假日安排：", y.year);
            print_year(&y);
            Ok(ExitCode::SUCCESS)
        }
        HolidaysCmd::List { db } => {
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
            for y in app.holiday_years().await.map_err(explain)? {
                print_year(&y);
            }
            for w in app.calendar_warnings().await {
                println!("注意：{w}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
