//! `alkit nuget pack APP... --out DIR [--runtime PATH...] [--country CC] [--no-symbols]`:
//! BcNuGet packages from `.app` files or project folders (runtime-distribution.md §3).
//!
//! For each app: the full package (`DIR/full/`), the symbols package with a symbols-only
//! `.app` (`DIR/symbols/`, unless `--no-symbols`), and for the runtime packages given with
//! `--runtime` (genuine `.NEA` files named `<Publisher>_<Name>_<Version>.runtime-<bcVersion>[-<country>].app`,
//! as `alkit runtime`'s script writes them) the indirect package and one compiled package per
//! BC version (`DIR/runtime/`; the `--country` file at the root, other localizations in
//! folders named by country). Full and runtime packages go to different feeds, hence the
//! folders. Every package is read back with alkit's nupkg reader before it is written.
//!
//! Exit codes: 0 written; 2 bad input (unreadable, not a normal package, a runtime file
//! that matches no app or is not `.NEA`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use runtime_pack::nuget::{
    AppInfo, BuiltNupkg, NuGetVersion, Nupkg, full_package, runtime_compiled_package,
    runtime_indirect_package, symbols_package,
};
use runtime_pack::runtime::{file_stem, parse_runtime_file_name};
use runtime_pack::{Package, PackageKind, ReadLimits};

type Error = Box<dyn std::error::Error>;

/// `alkit nuget …`
#[derive(Debug, Args)]
pub struct NugetArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: NugetCommand,
}

/// Subcommands of `alkit nuget`.
#[derive(Debug, Subcommand)]
pub enum NugetCommand {
    /// Write BcNuGet packages (full, symbols, runtime) for apps.
    Pack(NugetPackArgs),
}

/// `alkit nuget pack`
#[derive(Debug, Args)]
pub struct NugetPackArgs {
    /// Normal .app packages or project folders.
    #[arg(required = true)]
    pub apps: Vec<PathBuf>,
    /// Folder for the packages (new or empty; written whole): full/, symbols/, runtime/.
    #[arg(long)]
    pub out: PathBuf,
    /// Runtime packages made by a server (.NEA), or folders of them.
    #[arg(long, num_args = 1..)]
    pub runtime: Vec<PathBuf>,
    /// The localization whose runtime package goes to the root of a compiled package.
    #[arg(long, default_value = "w1")]
    pub country: String,
    /// Do not write symbols packages.
    #[arg(long)]
    pub no_symbols: bool,
}

/// Runs `alkit nuget`.
pub fn run(args: NugetArgs) -> Result<ExitCode, Error> {
    match args.command {
        NugetCommand::Pack(a) => pack(a),
    }
}

fn bad(msg: impl std::fmt::Display) -> Result<ExitCode, Error> {
    errln!("alkit: error: {msg}");
    Ok(ExitCode::from(2))
}

/// One app: its package and what the nuspecs say of it.
struct App {
    label: String,
    bytes: Vec<u8>,
    pkg: Package,
    info: AppInfo,
    file_name: String,
}

/// One runtime file, matched to its app.
struct RuntimeFile {
    path: PathBuf,
    bytes: Vec<u8>,
    file_name: String,
    bc_version: NuGetVersion,
    country: Option<String>,
}

fn read_app(path: &Path) -> Result<Result<App, String>, Error> {
    let label = path.display().to_string();
    let bytes = if crate::cmd::check::is_app_file(path) {
        std::fs::read(path).map_err(|e| format!("{label}: {e}"))?
    } else if path.is_dir() {
        match crate::cmd::pack::build(path, false)? {
            Some(b) => b.bytes,
            None => return Ok(Err(format!("{label}: the project does not build"))),
        }
    } else {
        return Ok(Err(format!("{label}: not a .app file or a project folder")));
    };
    let pkg = match Package::read(&bytes) {
        Ok(p) => p,
        Err(e) => return Ok(Err(format!("{label}: {e}"))),
    };
    if pkg.kind() != PackageKind::Normal {
        return Ok(Err(format!(
            "{label}: a {} package; BcNuGet full packages carry the normal package (runtime packages go with --runtime)",
            pkg.kind()
        )));
    }
    let m = match pkg.app_manifest() {
        Some(Ok(m)) => m,
        Some(Err(e)) => return Ok(Err(format!("{label}: NavxManifest.xml: {e}"))),
        None => return Ok(Err(format!("{label}: no NavxManifest.xml"))),
    };
    let file_name = crate::cmd::pack::app_file_name(&m.publisher, &m.name, &m.version.to_string());
    Ok(Ok(App {
        label,
        bytes,
        pkg,
        info: AppInfo::from_manifest(&m),
        file_name,
    }))
}

/// The runtime files named (folders expanded), each read and checked to be `.NEA`.
fn read_runtime(paths: &[PathBuf]) -> Result<Result<Vec<RuntimeFile>, String>, Error> {
    let files = crate::cmd::runtime_check::app_files(paths)?;
    let mut out = Vec::new();
    for path in files {
        let label = path.display().to_string();
        let bytes = std::fs::read(&path).map_err(|e| format!("{label}: {e}"))?;
        match Package::read(&bytes) {
            Ok(p) if p.kind() == PackageKind::Runtime => {}
            Ok(p) => {
                return Ok(Err(format!(
                    "{label}: a {} package, not a runtime package (.NEA): only a Business Central server makes those",
                    p.kind()
                )));
            }
            Err(e) => return Ok(Err(format!("{label}: {e}"))),
        }
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let Some(n) = parse_runtime_file_name(&file_name) else {
            return Ok(Err(format!(
                "{label}: the name does not say the BC version: expected \
                 <Publisher>_<Name>_<Version>.runtime-<bcVersion>[-<country>].app"
            )));
        };
        let bc_version: NuGetVersion = match n.bc_version.parse() {
            Ok(v) => v,
            Err(e) => return Ok(Err(format!("{label}: {e}"))),
        };
        out.push(RuntimeFile {
            path,
            bytes,
            file_name,
            bc_version,
            country: n.country,
        });
    }
    Ok(Ok(out))
}

/// `alkit nuget pack`.
fn pack(args: NugetPackArgs) -> Result<ExitCode, Error> {
    let mut apps = Vec::new();
    for p in &args.apps {
        match read_app(p)? {
            Ok(a) => apps.push(a),
            Err(e) => return bad(e),
        }
    }
    let runtime = match read_runtime(&args.runtime)? {
        Ok(r) => r,
        Err(e) => return bad(e),
    };
    // Runtime files by app (index into `apps`) and BC version.
    let mut by_app: BTreeMap<(usize, String), Vec<&RuntimeFile>> = BTreeMap::new();
    for r in &runtime {
        let stem = r.file_name.to_lowercase();
        let Some(i) = apps.iter().position(|a| {
            let want = format!(
                "{}.runtime-",
                file_stem(&a.info.publisher, &a.info.name, &a.info.version.to_string())
            )
            .to_lowercase();
            stem.starts_with(&want)
        }) else {
            return bad(format!(
                "{}: matches none of the apps given (by <Publisher>_<Name>_<Version> in its name)",
                r.path.display()
            ));
        };
        by_app
            .entry((i, r.bc_version.to_string()))
            .or_default()
            .push(r);
    }
    let mut built: Vec<(&str, BuiltNupkg)> = Vec::new();
    for a in &apps {
        built.push(("full", full_package(&a.info, &a.file_name, &a.bytes)));
        if !args.no_symbols {
            let made = runtime_pack::build::symbols_only(a.pkg.entries())
                .map_err(|e| format!("{}: {e}", a.label))?;
            let symbols = runtime_pack::build::build_package(
                made.entries,
                &runtime_pack::build::BuildOptions::default(),
            )?;
            built.push(("symbols", symbols_package(&a.info, &a.file_name, &symbols)));
        }
    }
    let mut indirect_done = Vec::new();
    for ((i, _), files) in &by_app {
        let a = &apps[*i];
        if !indirect_done.contains(i) {
            built.push(("runtime", runtime_indirect_package(&a.info)));
            indirect_done.push(*i);
        }
        let root = files
            .iter()
            .position(|f| {
                f.country
                    .as_deref()
                    .unwrap_or("w1")
                    .eq_ignore_ascii_case(&args.country)
            })
            .unwrap_or(0);
        let mut entries: Vec<(Option<&str>, &str, &[u8])> = Vec::new();
        for (k, f) in files.iter().enumerate() {
            let folder = if k == root {
                None
            } else {
                match f.country.as_deref() {
                    Some(c) => Some(c),
                    None => {
                        return bad(format!(
                            "{}: two runtime packages for the root of {} {} (no localization in the name)",
                            f.path.display(),
                            a.info.name,
                            f.bc_version
                        ));
                    }
                }
            };
            entries.push((folder, f.file_name.as_str(), f.bytes.as_slice()));
        }
        // The root file first, then the localizations' folders.
        entries.sort_by_key(|(folder, _, _)| folder.is_some());
        match runtime_compiled_package(&a.info, &files[root].bc_version, &entries) {
            Ok(p) => built.push(("runtime", p)),
            Err(e) => return bad(format!("{}: {e}", files[root].path.display())),
        }
    }
    // Read every package back before anything is written.
    for (_, b) in &built {
        let read = Nupkg::read(&b.bytes, &ReadLimits::default()).map_err(|e| {
            format!(
                "{}: alkit's own package does not read back: {e}",
                b.file_name
            )
        })?;
        if read.nuspec.id != b.id || read.nuspec.version != b.version {
            return Err(format!(
                "{}: reads back as {} {}",
                b.file_name, read.nuspec.id, read.nuspec.version
            )
            .into());
        }
    }
    // `--out` appears whole or not at all (staged beside it, then renamed).
    if let Err(e) = crate::stage::check_new_dir(&args.out) {
        return bad(format!("--out {e}"));
    }
    let root = crate::stage::new_dir_root(&args.out)
        .map_err(|e| format!("{}: {e}", args.out.display()))?;
    let guard = crate::stage::Guard::acquire(&[root])?;
    let mut tx = crate::stage::Transaction::default();
    tx.new_dir(
        &args.out,
        built
            .iter()
            .map(|(folder, b)| {
                (
                    format!("{folder}/{}", b.file_name),
                    std::sync::Arc::new(b.bytes.clone()),
                )
            })
            .collect(),
    );
    tx.commit(&guard)?;
    for (folder, b) in &built {
        let path = args.out.join(folder).join(&b.file_name);
        let read = Nupkg::read(&b.bytes, &ReadLimits::default())?;
        outln!(
            "{}: {} {} ({} app file{}, {} dependencies, {} bytes)",
            path.display(),
            b.id,
            b.version,
            read.apps.len(),
            if read.apps.len() == 1 { "" } else { "s" },
            read.nuspec.dependencies.len(),
            b.bytes.len()
        );
    }
    let runtime_count = built.iter().filter(|(f, _)| *f == "runtime").count();
    outln!(
        "{} packages for {} app(s) in {}: full/ and runtime/ go to different feeds{}",
        built.len(),
        apps.len(),
        args.out.display(),
        if runtime_count == 0 && !args.runtime.is_empty() {
            ""
        } else if runtime_count == 0 {
            " (no runtime packages given: --runtime)"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}
