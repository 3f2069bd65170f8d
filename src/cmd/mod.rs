//! One module per subcommand of `ducha`: each holds its clap `Opts` (and subcommand enum, where it
//! has subcommands) and a `run` that carries it out and gives the exit code.

pub mod audit;
pub mod backup;
pub mod calendar;
pub mod campaign;
pub mod demo;
pub mod disclosure;
pub mod generate;
pub mod holidays;
pub mod import;
pub mod init;
pub mod keys;
pub mod migrate;
pub mod opinion;
pub mod restore;
pub mod serve;
pub mod triage;
pub mod user;
