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

/// jemalloc's options (read from this symbol before `main`): freed memory is kept for
/// reuse, never handed back to the system while the command runs. `alkit` runs one
/// command and exits, when all memory goes back anyway; returning pages early only costs
/// `madvise` calls now and page faults when they are needed again (a base app's move
/// frees and reallocates hundreds of megabytes).
#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: &[u8; 36] = b"dirty_decay_ms:-1,muzzy_decay_ms:-1\0";

mod cli;
mod cmd;
mod output;
mod stage;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("alkit: error: {e}");
            ExitCode::from(2)
        }
    }
}
