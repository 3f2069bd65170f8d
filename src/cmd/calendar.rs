//! `ducha calendar`: the working-time calendar (holidays and 调休) and how a due time is computed.
//! With `--db` (or `DUCHA_DB`) the calendar is the deployment's: built-in data plus the years imported
//! into that database (`ducha holidays import`); without, the built-in data alone.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::{Args, Subcommand};

use crate::config::Settings;
use crate::setup::{DbArg, connect, settings};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(subcommand)]
    pub cmd: CalendarCmd,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCmd {
    /// Show how a due time is computed: delivery (after quiet hours for grassroots levels) and due.
    Due {
        #[command(flatten)]
        db: DbArg,
        /// Creation time, ISO-8601 (`2024-02-08T21:30:00+08:00`; without offset read as Beijing time).
        #[arg(long, value_name = "ISO-8601")]
        from: String,
        /// Working days allowed.
        #[arg(long, value_name = "N")]
        working_days: u32,
        /// The receiving level: team, city, county, township, department.
        #[arg(long)]
        level: Option<String>,
        /// List the holidays, weekends and make-up working days crossed.
        #[arg(long)]
        explain: bool,
    },
}

pub async fn run(cfg_path: Option<&Path>, opts: Opts) -> Result<ExitCode> {
    let CalendarCmd::Due { db, from, working_days, level, explain } = opts.cmd;
    let cal = match &db.db {
        Some(_) => {
            let s = settings(cfg_path, &db)?;
            let app = ducha_app::App::new(
                connect(&s).await?,
                s.app.clone(),
                Arc::new(ducha_app::SystemClock),
                None,
            );
            app.reload_calendar().await.map_err(|e| anyhow::anyhow!(e.message))?;
            app.calendar()
        }
        None => {
            let s = Settings::load(cfg_path)?;
            Arc::new(
                ducha_domain::calendar::WorkCalendar::builtin()
                    .and_then(|c| c.with_config(s.app.working_time))
                    .map_err(|e| anyhow::anyhow!(e.message))?,
            )
        }
    };
    let created = ducha_domain::deadline::parse_instant(&from).map_err(|e| anyhow::anyhow!(e.message))?;
    let level = match level {
        Some(l) => Some(ducha_domain::unit::UnitLevel::parse(&l).map_err(|e| anyhow::anyhow!(e.message))?),
        None => None,
    };
    let quiet = ducha_domain::quiet::QuietHoursConfig::default();
    let plan = ducha_domain::deadline::plan_due(created, working_days, level, &quiet, &cal)
        .map_err(|e| anyhow::anyhow!(e.message))?;
    println!("delivered: {}", ducha_domain::time::iso_cst(plan.delivery.at));
    println!("due:       {}", ducha_domain::time::iso_cst(plan.due.at));
    if explain {
        for line in ducha_domain::deadline::explain_plan(&plan) {
            println!("  {line}");
        }
    } else {
        for w in plan.delivery.warnings.iter().chain(plan.due.warnings.iter()) {
            eprintln!("注意：{w}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
