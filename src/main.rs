//! `ducha` — one binary, subcommands for the platform and its operators.

#![allow(clippy::print_stdout)] // a CLI prints

mod cli;
mod cmd;
mod config;
mod gazetteer;
mod setup;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of glibc's malloc: under concurrent intake, glibc's arena bookkeeping
/// (`malloc_consolidate`, `unlink_chunk`) took a visible share of request handling.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("错误：无法启动运行时：{e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(cli::run(args)) {
        Ok(code) => code,
        Err(e) => {
            // Errors are one clear line.
            eprintln!("错误：{e:#}");
            ExitCode::from(1)
        }
    }
}
