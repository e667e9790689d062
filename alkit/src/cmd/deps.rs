//! `alkit deps sort DIR...`: dependency order of a set of apps.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use al_manifest::{AppVersion, DependencyGraph, GraphOptions, Severity};
use clap::{Args, Subcommand};
use serde::Serialize;

use al_manifest::{AppManifest, NavxManifest};

use crate::cmd::manifest::load_manifest;
use crate::output;

/// `alkit deps ...`
#[derive(Debug, Args)]
pub struct DepsArgs {
    /// What to do with the dependency graph.
    #[command(subcommand)]
    pub action: DepsAction,
}

/// Dependency graph actions.
#[derive(Debug, Subcommand)]
pub enum DepsAction {
    /// Print the apps in dependency order (every app after the apps it depends on).
    ///
    /// Microsoft's platform apps come first; ties are broken by name, then id.
    /// A cycle is an error that names the cycle path (exit code 1).
    Sort {
        /// Project folders (holding app.json), app.json files or NavxManifest.xml files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print the order as JSON.
        #[arg(long)]
        json: bool,
        /// Treat dependencies that are not among the given apps as errors.
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    id: String,
    name: &'a str,
    publisher: &'a str,
    version: String,
    path: String,
}

/// Runs `alkit deps`.
pub fn run(args: DepsArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let DepsAction::Sort {
        paths,
        json,
        strict,
    } = args.action;
    let mut manifests = Vec::new();
    let mut where_from: BTreeMap<(String, AppVersion), PathBuf> = BTreeMap::new();
    for p in &paths {
        let (file, m) = load_any(p)?;
        where_from.insert((m.id.to_string(), m.version), file);
        manifests.push(m);
    }
    let graph = DependencyGraph::new(manifests);
    let opts = GraphOptions {
        missing_is_error: strict,
    };
    match graph.sort(&opts) {
        Ok(sorted) => {
            for w in &sorted.warnings {
                eprintln!("alkit: warning: {w}");
            }
            let entries: Vec<Entry> = sorted
                .order
                .iter()
                .map(|m| Entry {
                    id: m.id.to_string(),
                    name: &m.name,
                    publisher: &m.publisher,
                    version: m.version.to_string(),
                    path: where_from
                        .get(&(m.id.to_string(), m.version))
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                })
                .collect();
            if json {
                print!("{}", output::to_json_pretty(&entries)?);
            } else {
                for (i, e) in entries.iter().enumerate() {
                    println!(
                        "{:>3}. {} {} by {}  ({})  {}",
                        i + 1,
                        e.name,
                        e.version,
                        e.publisher,
                        e.id,
                        e.path
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(errs) => {
            for w in &errs.warnings {
                if w.severity(&opts) == Severity::Warning {
                    eprintln!("alkit: warning: {w}");
                }
            }
            for e in &errs.errors {
                eprintln!("alkit: error: {e}");
            }
            Ok(ExitCode::from(1))
        }
    }
}

/// Loads an app's manifest from a project folder, an app.json or a NavxManifest.xml.
fn load_any(path: &std::path::Path) -> Result<(PathBuf, AppManifest), Box<dyn std::error::Error>> {
    let is_xml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
    if !is_xml {
        return load_manifest(path);
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let navx =
        NavxManifest::from_xml(&text).map_err(|e| e.with_file(&path.display().to_string()))?;
    Ok((path.to_path_buf(), navx.to_app_manifest()))
}
