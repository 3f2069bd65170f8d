//! `ducha user`: create users and list the unit codes they belong to.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use ducha_app::{App, SystemClock};

use crate::setup::{DbArg, connect, settings};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(subcommand)]
    pub cmd: UserCmd,
}

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Create a user. The password is read from `DUCHA_NEW_PASSWORD` or from standard input.
    Add {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        username: String,
        /// Display name (姓名).
        #[arg(long)]
        name: String,
        /// Unit code, e.g. `county-410928` (see `ducha user units`).
        #[arg(long)]
        unit: String,
        /// operator | team | office | handler | opinion | provincial | admin
        #[arg(long)]
        role: String,
    },
    /// List unit codes.
    Units {
        #[command(flatten)]
        db: DbArg,
    },
}

pub async fn run(cfg_path: Option<&Path>, opts: Opts) -> Result<ExitCode> {
    match opts.cmd {
        UserCmd::Add { db, username, name, unit, role } => {
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            #[allow(clippy::disallowed_methods)] // a secret is better read from the environment than argv
            let from_env = std::env::var("DUCHA_NEW_PASSWORD");
            let password = match from_env {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line).context("无法读取密码")?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let app = App::new(store, s.app.clone(), Arc::new(SystemClock), None);
            let id = app
                .create_user(
                    None,
                    &ducha_app::auth::NewUserInput {
                        username: username.clone(),
                        display_name: name,
                        password,
                        unit_code: unit,
                        role,
                    },
                )
                .await?;
            println!("已创建用户 {username}（编号 {id}）");
            Ok(ExitCode::SUCCESS)
        }
        UserCmd::Units { db } => {
            let s = settings(cfg_path, &db)?;
            let store = connect(&s).await?;
            for u in ducha_store::directory::units(&store).await? {
                println!("{}\t{}\t{}", u.code, u.level, u.name);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
