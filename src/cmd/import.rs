//! `ducha import`: reference data — NBS division codes into the database, and the deployment's
//! places file (roads, landmarks, parks, enterprises) checked against the city and installed where
//! `ducha serve` reads it (`places_file`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use ducha_app::{App, SystemClock};

use crate::cmd::serve::gazetteer_for;
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
    /// Check a places file (`name,kind,county_code,township_code,village_code,aliases`, see
    /// `data/places/README.md`) against the database's city and install it as the configured
    /// `places_file`; `ducha serve` reads it at start.
    Places {
        /// The places CSV.
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
}

pub async fn run(cfg_path: Option<&Path>, opts: Opts) -> Result<ExitCode> {
    match opts.cmd {
        ImportCmd::Gazetteer { dir, city, db } => {
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            let gaz = load_gazetteer(&dir, &city)?;
            let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
            let n = app.import_regions(&gaz).await?;
            println!("已导入区划 {n} 条（{}，城市 {city}）", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        ImportCmd::Places { file, db } => {
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
            let Some(city) = app.deployment_city().await? else {
                bail!("数据库尚未初始化城市；请先运行 ducha init --city 城市代码");
            };
            let g = gazetteer_for(&city)?;
            let text =
                std::fs::read_to_string(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            let places = ducha_triage::Places::from_csv(&text)
                .with_context(|| format!("地点文件 {} 有误", file.display()))?;
            g.check_places(&places).with_context(|| format!("地点文件 {} 与本市区划不符", file.display()))?;
            let Some(target) = &s.places_file else {
                bail!(
                    "地点文件 {} 已校验（{} 条，城市 {city}），但未配置 places_file；请在 ducha.toml 中设置 places_file = \"/etc/ducha/places.csv\" 后重新运行",
                    file.display(),
                    places.len()
                );
            };
            install(&file, target)?;
            println!(
                "已安装地点文件：{} 条（城市 {city}）→ {}；重启 ducha serve 后生效",
                places.len(),
                target.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Copy `from` to `to` through a temporary file beside it, so `serve` never reads half a file.
fn install(from: &Path, to: &Path) -> Result<()> {
    if std::fs::canonicalize(from).ok() == std::fs::canonicalize(to).ok() && to.exists() {
        return Ok(());
    }
    let tmp = PathBuf::from(format!("{}.partial", to.display()));
    std::fs::copy(from, &tmp).with_context(|| format!("无法写入 {}", tmp.display()))?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("无法写入 {}", tmp.display()))?;
    std::fs::rename(&tmp, to).with_context(|| format!("无法写入 {}", to.display()))?;
    Ok(())
}
