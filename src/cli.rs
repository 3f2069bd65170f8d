//! The command tree: the global options and one variant per subcommand, whose options and `run` live
//! in `crate::cmd`. `Cli::command().debug_assert()` is checked in a test.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::cmd;

#[derive(Debug, Parser)]
#[command(
    name = "ducha",
    version,
    about = "督察 — 生态环境保护督察群众举报受理、交办、办理、验收与信息公开平台"
)]
pub struct Cli {
    /// Configuration file (TOML); `ducha.toml` in the working directory is read when present.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Set up an empty database for a city: schema, divisions, unit chain, first administrator.
    Init(cmd::init::Opts),
    /// Run the platform.
    Serve(cmd::serve::Opts),
    /// Run the platform on a fresh embedded database seeded with a realistic Puyang campaign.
    Demo(cmd::demo::Opts),
    /// Apply database migrations.
    Migrate(cmd::migrate::Opts),
    /// Manage users.
    User(cmd::user::Opts),
    /// Import reference data.
    Import(cmd::import::Opts),
    /// Check the audit trail.
    Audit(cmd::audit::Opts),
    /// Key management.
    Keys(cmd::keys::Opts),
    /// The working-time calendar (holidays and 调休).
    Calendar(cmd::calendar::Opts),
    /// Holiday years of the calendar: import a year's notice into the database, list the years.
    Holidays(cmd::holidays::Opts),
    /// Campaigns (督察轮次): create from a TOML file, list.
    Campaign(cmd::campaign::Opts),
    /// Public-opinion monitoring (舆情).
    Opinion(cmd::opinion::Opts),
    /// Public disclosure (边督边改信息公开).
    Disclosure(cmd::disclosure::Opts),
    /// Triage complaint text: JSONL in, JSONL out (place, pollution types, 三散, duplicate, redacted text);
    /// or evaluate against labelled data (`--eval`, `--score`).
    Triage(cmd::triage::Opts),
    /// Generate synthetic complaints: labelled JSONL for `ducha triage`, or cases in a database (`--db`).
    Gen(cmd::generate::Opts),
    /// Write an online, consistent backup (portable JSON lines; restores into SQLite or PostgreSQL).
    Backup(cmd::backup::Opts),
    /// Restore a backup into an empty database (refuses one that holds data).
    Restore(cmd::restore::Opts),
}

/// Runs the chosen subcommand.
pub async fn run(cli: Cli) -> Result<ExitCode> {
    let cfg = cli.config.as_deref();
    match cli.command {
        Command::Init(opts) => cmd::init::run(cfg, opts).await,
        Command::Serve(opts) => cmd::serve::run(cfg, opts).await,
        Command::Demo(opts) => cmd::demo::run(cfg, opts).await,
        Command::Migrate(opts) => cmd::migrate::run(cfg, opts).await,
        Command::User(opts) => cmd::user::run(cfg, opts).await,
        Command::Import(opts) => cmd::import::run(cfg, opts).await,
        Command::Audit(opts) => cmd::audit::run(cfg, opts).await,
        Command::Keys(opts) => cmd::keys::run(cfg, opts).await,
        Command::Calendar(opts) => cmd::calendar::run(cfg, opts).await,
        Command::Holidays(opts) => cmd::holidays::run(cfg, opts).await,
        Command::Campaign(opts) => cmd::campaign::run(cfg, opts).await,
        Command::Opinion(opts) => cmd::opinion::run(cfg, opts).await,
        Command::Disclosure(opts) => cmd::disclosure::run(cfg, opts).await,
        Command::Triage(opts) => cmd::triage::run(&opts),
        Command::Gen(opts) => cmd::generate::run(cfg, opts).await,
        Command::Backup(opts) => cmd::backup::run(cfg, opts).await,
        Command::Restore(opts) => cmd::restore::run(cfg, opts).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_tree_is_consistent() {
        Cli::command().debug_assert();
    }
}
