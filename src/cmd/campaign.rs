//! `ducha campaign`: create a campaign (督察轮次) from a TOML file and list the campaigns. The file's
//! keys are those of [`CampaignInput`]; `deploy/campaign.example.toml` is a complete, commented one.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use ducha_app::campaigns::{CampaignInput, check};
use ducha_app::{App, SystemClock};
use figment::providers::Format as _;

use crate::setup::{DbArg, connect, settings};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(subcommand)]
    pub cmd: CampaignCmd,
}

#[derive(Debug, Subcommand)]
pub enum CampaignCmd {
    /// Create a campaign from a TOML file (see `deploy/campaign.example.toml`); prints its id.
    Create {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_name = "FILE.toml")]
        file: PathBuf,
    },
    /// List the campaigns.
    List {
        #[command(flatten)]
        db: DbArg,
    },
}

/// Read a campaign file: TOML with the keys of [`CampaignInput`], every field problem listed.
pub fn read_campaign_file(path: &Path) -> Result<CampaignInput> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("无法读取督察轮次文件 {}", path.display()))?;
    let input: CampaignInput = figment::Figment::from(figment::providers::Toml::string(&text))
        .extract()
        .map_err(|e| anyhow::anyhow!("督察轮次文件 {} 格式有误：{e}", path.display()))?;
    if let Err(errs) = check(&input) {
        let list: Vec<String> = errs.iter().map(|e| format!("{}：{}", e.field, e.message)).collect();
        bail!("督察轮次文件 {} 有误：{}", path.display(), list.join("；"));
    }
    Ok(input)
}

pub async fn run(cfg_path: Option<&Path>, opts: Opts) -> Result<ExitCode> {
    match opts.cmd {
        CampaignCmd::Create { db, file } => {
            let input = read_campaign_file(&file)?;
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
            let id = app.create_campaign(None, &input).await?;
            println!("{id}");
            eprintln!("已创建督察轮次“{}”（编号 {id}）", input.name);
            Ok(ExitCode::SUCCESS)
        }
        CampaignCmd::List { db } => {
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
            for c in app.list_campaigns().await? {
                let i = &c.input;
                println!(
                    "{}\t{}\t{}至{}\t第{}轮 {}\t{}件\t{}",
                    c.id,
                    c.state_label,
                    i.start_date,
                    i.end_date,
                    i.round,
                    i.province_letters,
                    c.cases,
                    i.name
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/campaign.example.toml");

    #[test]
    fn example_campaign_file_parses_and_sets_every_key() {
        let input = read_campaign_file(Path::new(EXAMPLE)).unwrap();
        assert_eq!(
            (input.city_code.as_str(), input.province_letters.as_str(), input.round),
            ("4109", "HA", 3)
        );
        assert_eq!(input.regions.len(), 8);
        assert!(input.publication_four_eyes);
        // A complete file: every key is written out, none leans on a default.
        let text = std::fs::read_to_string(EXAMPLE).unwrap();
        let json = serde_json::to_value(&input).unwrap();
        for key in json.as_object().unwrap().keys() {
            assert!(
                text.lines().any(|l| l.starts_with(&format!("{key} = "))),
                "{key} missing from the example"
            );
        }
    }
}
