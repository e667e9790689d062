//! `alkit deps sort DIR...`: dependency order of a set of apps.
//! `alkit deps graph DIR|app.json|.app...`: the same apps drawn as Mermaid, DOT or JSON.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use al_manifest::{AppVersion, DependencyGraph, GraphOptions, Severity};
use clap::{Args, Subcommand};
use serde::Serialize;

use al_manifest::{AppManifest, NavxManifest};

use runtime_pack::{LazyPackage, NAVX_MANIFEST};

use crate::cmd::manifest::{decode_text, load_manifest};
use crate::output;
use crate::project;

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
    /// Draw the dependency graph: apps as nodes (name, version, publisher), dependencies as
    /// edges labelled with the minimum version.
    ///
    /// Missing dependencies are dashed red, too-low versions and cycles thick red; the
    /// problems are also listed on stderr (exit code 1 for cycles and too-low versions).
    /// Microsoft's platform apps are grouped. A folder without an app.json is searched for
    /// app.json and .app files (hidden folders and .alpackages skipped).
    Graph {
        /// Project folders, folders of projects, app.json, NavxManifest.xml or .app files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
        /// Leave out apps whose name contains TEXT (case-insensitive; repeatable), e.g.
        /// `--exclude test` for a picture of the apps alone.
        #[arg(long, value_name = "TEXT")]
        exclude: Vec<String>,
        /// Write the picture to FILE instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Formats of `alkit deps graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    /// Mermaid flowchart (renders in Markdown on GitHub, GitLab, Azure DevOps).
    Mermaid,
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
    /// Nodes, edges and issues as JSON.
    Json,
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
    match args.action {
        DepsAction::Sort {
            paths,
            json,
            strict,
        } => sort(&paths, json, strict),
        DepsAction::Graph {
            paths,
            format,
            exclude,
            out,
        } => graph(&paths, format, &exclude, out.as_deref()),
    }
}

/// `alkit deps graph`: reads the apps, prints the picture, lists the problems on stderr.
fn graph(
    paths: &[PathBuf],
    format: GraphFormat,
    exclude: &[String],
    out: Option<&Path>,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let exclude: Vec<String> = exclude.iter().map(|e| e.to_lowercase()).collect();
    let mut manifests = Vec::new();
    for p in paths {
        for file in expand(p)? {
            let m = load_any(&file)?.1;
            let name = m.name.to_lowercase();
            if !exclude.iter().any(|e| name.contains(e.as_str())) {
                manifests.push(m);
            }
        }
    }
    if manifests.is_empty() {
        return Err(format!(
            "no app.json or .app found in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
        .into());
    }
    let picture = DependencyGraph::new(manifests).picture();
    let text = match format {
        GraphFormat::Mermaid => picture.to_mermaid(),
        GraphFormat::Dot => picture.to_dot(),
        GraphFormat::Json => output::to_json_pretty(&picture)?,
    };
    match out {
        Some(file) => output::write_atomic(file, text.as_bytes())
            .map_err(|e| format!("{}: {e}", file.display()))?,
        None => out!("{text}"),
    }
    let opts = GraphOptions::default();
    let mut failed = false;
    for issue in &picture.issues {
        let error = issue.severity(&opts) == Severity::Error;
        failed |= error;
        let word = if error { "error" } else { "warning" };
        errln!("alkit: {word}: {issue}");
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The manifest files a path stands for: the path itself when it is a file or a project
/// folder (holding app.json); otherwise every app.json and .app below it, projects below
/// projects included, in path order ([`project::manifests_below`]: the folders every
/// command skips are skipped, links followed by the one rule).
fn expand(path: &Path) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    if !path.is_dir() || path.join("app.json").is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    project::manifests_below(path)
}

/// `alkit deps sort`.
fn sort(
    paths: &[PathBuf],
    json: bool,
    strict: bool,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut manifests = Vec::new();
    let mut where_from: BTreeMap<(String, AppVersion), PathBuf> = BTreeMap::new();
    for p in paths {
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
                errln!("alkit: warning: {w}");
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
                out!("{}", output::to_json_pretty(&entries)?);
            } else {
                for (i, e) in entries.iter().enumerate() {
                    outln!(
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
                    errln!("alkit: warning: {w}");
                }
            }
            for e in &errs.errors {
                errln!("alkit: error: {e}");
            }
            Ok(ExitCode::from(1))
        }
    }
}

/// Loads an app's manifest from a project folder, an app.json, a NavxManifest.xml or a
/// package (.app, its NavxManifest.xml).
fn load_any(path: &Path) -> Result<(PathBuf, AppManifest), Box<dyn std::error::Error>> {
    let ext = |x: &str| path.extension().is_some_and(|e| e.eq_ignore_ascii_case(x));
    if ext("app") && path.is_file() {
        let label = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| format!("{label}: {e}"))?;
        let package = LazyPackage::read(&bytes).map_err(|e| format!("{label}: {e}"))?;
        let xml = package
            .read_app_file(NAVX_MANIFEST)
            .map_err(|e| format!("{label}: {e}"))?
            .ok_or_else(|| format!("{label}: no {NAVX_MANIFEST} in the package"))?;
        let text = decode_text(&xml).map_err(|e| format!("{label}: {NAVX_MANIFEST}: {e}"))?;
        let navx = NavxManifest::from_xml(&text).map_err(|e| e.with_file(&label))?;
        return Ok((path.to_path_buf(), navx.to_app_manifest()));
    }
    if !ext("xml") {
        return load_manifest(path);
    }
    let text = project::read_text(path)?;
    let navx =
        NavxManifest::from_xml(&text).map_err(|e| e.with_file(&path.display().to_string()))?;
    Ok((path.to_path_buf(), navx.to_app_manifest()))
}
