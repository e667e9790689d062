//! `alkit`: the command-line tool over the alkit libraries.
//!
//! The binary is thin: it parses arguments, reads inputs, calls one library function per
//! subcommand and renders the result. Errors go to stderr with a non-zero exit code.

use std::process::ExitCode;

use clap::Parser;

/// The allocator of the command-line tool (the libraries leave the choice to their users).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

mod cli;
mod cmd;
mod nuget_feed;
mod output;
mod progress;
mod project;
mod stage;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    progress::set_quiet(cli.quiet);
    match cmd::run(cli) {
        // A signal that arrived after the last swap of a commit: the outputs are complete.
        Ok(_) if stage::interrupted() => {
            eprintln!("alkit: interrupted after the outputs were written in full; exit 130");
            ExitCode::from(130)
        }
        Ok(code) => code,
        Err(e) if e.is::<stage::Interrupted>() => {
            eprintln!("alkit: {e}; exit 130");
            ExitCode::from(130)
        }
        Err(e) => {
            eprintln!("alkit: error: {e}");
            ExitCode::from(2)
        }
    }
}
