//! `ducha import`: reference data into the database (NBS division codes).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::{Args, Subcommand};
use ducha_app::{App, SystemClock};

use crate::gazetteer::load_gazetteer;
use crate::setup::{DbArg, connect, settings};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(subcommand)]
    pub cmd: ImportCmd,
}

#[derive(Debug, Subcommand)]
pub enum ImportCmd {
    /// Import NBS division codes from a directory in the NBS CSV layout.
    Gazetteer {
        /// Directory with provinces.csv, cities.csv, areas.csv, streets.csv and optionally villages*.csv.
        dir: PathBuf,
        /// Only this city's townships and villages (4 digits).
        #[arg(long, default_value = "4109")]
        city: String,
        #[command(flatten)]
        db: DbArg,
    },
}

pub async fn run(cfg_path: Option<&Path>, opts: Opts) -> Result<ExitCode> {
    let ImportCmd::Gazetteer { dir, city, db } = opts.cmd;
    let s = settings(cfg_path, &db)?;
    let store = connect(&s).await?;
    let gaz = load_gazetteer(&dir, &city)?;
    let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
    let n = app.import_regions(&gaz).await?;
    println!("已导入区划 {n} 条（{}，城市 {city}）", dir.display());
    Ok(ExitCode::SUCCESS)
}
