//! The `somu` command: serve, demo, migrate, backup, organisations, imports, accounts.
#![forbid(unsafe_code)]

mod bench;
mod cli;
mod demo;

use anyhow::Result;
use clap::Parser;

fn main() -> Result<()> {
    let args = cli::Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(cli::run(args))
}
