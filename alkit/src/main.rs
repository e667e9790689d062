//! `alkit`: the command-line tool over the alkit libraries.
//!
//! The binary is thin: it parses arguments, reads inputs, calls one library function per
//! subcommand and renders the result. Errors go to stderr with a non-zero exit code.

#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use clap::Parser;

/// The allocator of the command-line tool (the libraries leave the choice to their users).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

// First, so that its printing macros (outln!, out!, errln!) are seen by every module.
#[macro_use]
mod output;
mod al_go;
mod baseline;
mod cli;
mod cmd;
mod nuget_feed;
mod progress;
mod project;
mod stage;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    progress::set_quiet(cli.quiet);
    let code = match cmd::run(cli) {
        // A signal that arrived after the last swap of a commit: the outputs are complete.
        Ok(_) if stage::interrupted() => {
            errln!("alkit: interrupted after the outputs were written in full; exit 130");
            ExitCode::from(130)
        }
        Ok(code) => code,
        Err(e) if e.is::<stage::Interrupted>() => {
            errln!("alkit: {e}; exit 130");
            ExitCode::from(130)
        }
        Err(e) => {
            errln!("alkit: error: {e}");
            ExitCode::from(2)
        }
    };
    // A reader that has gone (a broken pipe) is no failure; any other write error is.
    match output::stdout_failure() {
        Some(e) => {
            errln!("alkit: error: cannot write to stdout: {e}");
            ExitCode::from(2)
        }
        None => code,
    }
}
