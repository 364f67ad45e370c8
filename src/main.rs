//! The `somu` command: serve, demo, migrate, backup, organisations, imports, accounts.
#![forbid(unsafe_code)]

mod analytics_cli;
mod bench;
mod classes_bench;
mod cli;
mod credentials_bench;
mod demo;
mod learning_cli;
mod progress_bench;
mod progress_cli;
mod pull_cli;
mod social_bench;
mod social_cli;
mod surveys_cli;

use anyhow::Result;
use clap::Parser;

fn main() -> Result<()> {
    let args = cli::Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(cli::run(args))
}
