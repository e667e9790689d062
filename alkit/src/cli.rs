//! Command-line grammar (clap derive). One variant per subcommand.

use clap::{Parser, Subcommand};

/// Toolkit for Business Central AL extensions: manifests, parsing, packages and scope moves.
#[derive(Debug, Parser)]
#[command(name = "alkit", version, about, long_about = None)]
pub struct Cli {
    /// No progress bars (they are drawn only when stderr is a terminal anyway).
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// All subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse AL files/folders: report syntax errors, round-trip failures and throughput.
    Parse(crate::cmd::parse::ParseArgs),
    /// References to a symbol (file:line:col, kind) and resolution statistics for a project.
    Refs(crate::cmd::refs::RefsArgs),
    /// Show or convert an app manifest (app.json).
    Manifest(crate::cmd::manifest::ManifestArgs),
    /// Dependency graph of a set of apps.
    Deps(crate::cmd::deps::DepsArgs),
    /// Describe a package (.app): kind, identity, signature digest, entries, objects.
    Inspect(crate::cmd::inspect::InspectArgs),
    /// Extract a package's files (paths un-escaped) and a regenerated app.json into a new directory.
    Extract(crate::cmd::extract::ExtractArgs),
    /// Build `<Publisher>_<Name>_<Version>.app` from an AL project without the compiler
    /// (deterministic: SOURCE_DATE_EPOCH or 1980-01-01 timestamps, content-derived package id).
    Pack(crate::cmd::pack::PackArgs),
    /// Check a project (or .app) against a scope's rules (AppSourceCop/PerTenantExtensionCop ids).
    Check(crate::cmd::check::CheckArgs),
    /// Plan a move between scopes (PTE, DEV, AppSource): ordered changes, counts, consequences.
    Plan(crate::cmd::plan::PlanArgs),
    /// Carry out a move between scopes: renumber, add affixes, update references, app.json
    /// and dependents, verify, write to --out or --in-place (or --dry-run for a diff);
    /// --reverse undoes a move from its mapping.
    #[command(name = "move")]
    Move(crate::cmd::move_cmd::MoveArgs),
    /// Can two apps (project folders or .app files) be installed side by side? Object
    /// type+ID and type+name clashes, member ID and name clashes (AVS0110-AVS0113).
    SideBySide(crate::cmd::side_by_side::SideBySideArgs),
    /// Would publishing this app into an environment (JSON description) be blocked?
    DeployCheck(crate::cmd::deploy_check::DeployCheckArgs),
    /// Licence check for runtime packages: check objects against a .bclicense or range file,
    /// convert a .bclicense to a range file, show a licence.
    #[command(alias = "license")]
    Licence(crate::cmd::licence::LicenceArgs),
    /// Prepare the server step that makes runtime packages: checks (target, versions, licence,
    /// source exposure, dependencies) and a PowerShell script for the on-premises server.
    Runtime(crate::cmd::runtime::RuntimeArgs),
    /// What a server made with Get-NAVAppRuntimePackage: .NEA header, signature, platform,
    /// publishable on a platform, one per source app.
    RuntimeCheck(crate::cmd::runtime_check::RuntimeCheckArgs),
    /// Change a package's version, dependencies, exposure flags, internalsVisibleTo or package id.
    Repack(crate::cmd::repack::RepackArgs),
    /// Dependency symbols from NuGet feeds (`symbols fetch DIR`: resolve app.json's
    /// dependencies, application and platform; extract the .app files into .alpackages;
    /// write a lock file); symbols-only packages (`symbols pack DIR|FILE.app`).
    Symbols(crate::cmd::symbols::SymbolsArgs),
    /// Finish or undo an alkit run that was killed while writing: with the journal it left
    /// in DIR, roll back (or, when every swap was done, complete) so DIR and the other
    /// folders that run wrote are exactly as before or exactly as after; without one,
    /// remove staged leftovers below DIR.
    Recover(crate::cmd::recover::RecoverArgs),
    /// BcNuGet packages (`nuget pack APP... --out DIR [--runtime FILES]`): full, symbols,
    /// indirect and compiled runtime packages.
    Nuget(crate::cmd::nuget::NugetArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell).
    Completions(crate::cmd::completions::CompletionsArgs),
    /// Print the man page (roff), or write one page per subcommand with --out DIR.
    Man(crate::cmd::completions::ManArgs),
}
