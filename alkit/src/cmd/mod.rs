//! Subcommand implementations: each gathers inputs, calls the libraries, renders output.

use std::process::ExitCode;

pub mod check;
pub mod completions;
pub mod deploy_check;
pub mod deps;
pub mod extract;
pub mod inspect;
pub mod licence;
pub mod manifest;
pub mod move_cmd;
pub mod move_view;
pub mod nuget;
pub mod pack;
pub mod parse;
pub mod plan;
pub mod recover;
pub mod refs;
pub mod repack;
pub mod runtime;
pub mod runtime_check;
pub mod side_by_side;
pub mod symbols;

use crate::cli::{Cli, Command};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match cli.command {
        Command::Parse(a) => parse::run(a),
        Command::Refs(a) => refs::run(a),
        Command::Manifest(a) => manifest::run(a),
        Command::Deps(a) => deps::run(a),
        Command::Completions(a) => completions::completions(a),
        Command::Man(a) => completions::man(a),
        Command::Inspect(a) => inspect::run(a),
        Command::Extract(a) => extract::run(a),
        Command::Pack(a) => pack::run(a),
        Command::Check(a) => check::run(a),
        Command::Plan(a) => plan::run(a),
        Command::Move(a) => move_cmd::run(a),
        Command::DeployCheck(a) => deploy_check::run(a),
        Command::Licence(a) => licence::run(a),
        Command::Runtime(a) => runtime::run(a),
        Command::RuntimeCheck(a) => runtime_check::run(a),
        Command::Repack(a) => repack::run(a),
        Command::SideBySide(a) => side_by_side::run(a),
        Command::Symbols(a) => symbols::run(a),
        Command::Recover(a) => recover::run(a),
        Command::Nuget(a) => nuget::run(a),
    }
}
