//! The `shukei` binary: parses the command line and runs a subcommand.
//! All the work is in the library; see `src/cli/` for each subcommand.

mod cli;

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let args = cli::Cli::parse();
    cli::run(args).into()
}
