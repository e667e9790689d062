//! `alkit repack FILE.app [...]`: changes a package's version, dependencies, exposure flags,
//! internalsVisibleTo or package id without recompiling.
//!
//! `NavxManifest.xml` is re-written from its parsed model with the changes;
//! `SymbolReference.json` follows it (`AppId`, `Name`, `Publisher`, `Version`,
//! `InternalsVisibleToModules`; app-format.md §3/§4: the two must stay consistent) and is
//! re-serialised only when one of those changes (key order kept, UTF-8 BOM kept). Every other
//! entry is copied byte for byte. The zip is rebuilt with `runtime_pack::build::build_package`,
//! so the entry order is the builder's fixed one (manifest, symbols, the rest by path,
//! `[Content_Types].xml` last, regenerated from the extensions present) and timestamps are
//! `SOURCE_DATE_EPOCH` or 1980-01-01. The package id (NAVX header) is kept unless
//! `--package-id` or `--new-package-id` is given.
//!
//! Refused (exit 2): genuine runtime packages (`.NEA`, opaque), ready-to-run wrappers, and
//! signed packages unless `--strip-signature` is given (the report then says the signature was
//! dropped: the output is unsigned).

use std::path::PathBuf;
use std::process::ExitCode;

use al_manifest::{
    AppVersion, NavxDependency, NavxManifest, NavxModule, NavxResourceExposurePolicy,
};
use clap::Args;
use runtime_pack::build::{BuildEntry, BuildOptions, PackageIdMode, build_package};
use runtime_pack::{Package, PackageKind};
use uuid::Uuid;

use crate::output::write_atomic;

/// `alkit repack`
#[derive(Debug, Args)]
pub struct RepackArgs {
    /// The package to change.
    pub file: PathBuf,
    /// Output file or existing folder (default: `<Publisher>_<Name>_<Version>.app` next to the
    /// input; never the input itself).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// New app version (`major.minor.build.revision`).
    #[arg(long)]
    pub version: Option<AppVersion>,
    /// Change or add a dependency: `ID:name=..,publisher=..,version=..` (a new one needs all three).
    #[arg(long, value_name = "ID:KEY=VALUE,...")]
    pub set_dependency: Vec<String>,
    /// Replace a dependency's id: `OLD=NEW`.
    #[arg(long, value_name = "OLD=NEW")]
    pub new_dependency_id: Vec<String>,
    /// resourceExposurePolicy.allowDebugging.
    #[arg(long, value_name = "BOOL")]
    pub allow_debugging: Option<bool>,
    /// resourceExposurePolicy.allowDownloadingSource.
    #[arg(long, value_name = "BOOL")]
    pub allow_downloading_source: Option<bool>,
    /// resourceExposurePolicy.includeSourceInSymbolFile.
    #[arg(long, value_name = "BOOL")]
    pub include_source_in_symbol_file: Option<bool>,
    /// The legacy ShowMyCode flag.
    #[arg(long, value_name = "BOOL")]
    pub show_my_code: Option<bool>,
    /// Add (or replace) an internalsVisibleTo module: `ID:NAME:PUBLISHER`.
    #[arg(long, value_name = "ID:NAME:PUBLISHER")]
    pub add_internals_visible_to: Vec<String>,
    /// Remove the internalsVisibleTo module with this id.
    #[arg(long, value_name = "ID")]
    pub remove_internals_visible_to: Vec<Uuid>,
    /// Put this package id in the NAVX header.
    #[arg(long, conflicts_with = "new_package_id")]
    pub package_id: Option<Uuid>,
    /// Put a fresh random package id in the NAVX header.
    #[arg(long)]
    pub new_package_id: bool,
    /// Accept a signed input: the signature is dropped (the output is unsigned).
    #[arg(long)]
    pub strip_signature: bool,
}

/// What the command and its `bad` exits return.
type Res = Result<ExitCode, Box<dyn std::error::Error>>;

/// Prints `alkit: error: MSG` and exits with code 2 (bad input).
fn bad(msg: impl std::fmt::Display) -> Res {
    errln!("alkit: error: {msg}");
    Ok(ExitCode::from(2))
}

/// Parses an app id given to option `what`.
fn parse_uuid(s: &str, what: &str) -> Result<Uuid, String> {
    s.trim()
        .parse::<Uuid>()
        .map_err(|e| format!("{what}: bad id {s:?}: {e}"))
}

/// Applies one `--set-dependency ID:key=value,...`; returns a report line.
fn set_dependency(deps: &mut Vec<NavxDependency>, spec: &str) -> Result<String, String> {
    let (id, rest) = spec.split_once(':').unwrap_or((spec, ""));
    let id = parse_uuid(id, "--set-dependency")?;
    let (mut name, mut publisher, mut version) = (None, None, None);
    for kv in rest.split(',').filter(|s| !s.trim().is_empty()) {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| format!("--set-dependency: expected key=value, got {kv:?}"))?;
        let v = v.trim().to_string();
        match k.trim().to_ascii_lowercase().as_str() {
            "name" => name = Some(v),
            "publisher" => publisher = Some(v),
            "version" | "minversion" => {
                version = Some(
                    v.parse::<AppVersion>()
                        .map_err(|e| format!("--set-dependency: version {v:?}: {e}"))?,
                )
            }
            other => {
                return Err(format!(
                    "--set-dependency: unknown key {other:?} (name, publisher, version)"
                ));
            }
        }
    }
    if let Some(d) = deps.iter_mut().find(|d| d.id == id) {
        let mut changes = Vec::new();
        if let Some(n) = name {
            changes.push(format!("name {:?} -> {n:?}", d.name));
            d.name = n;
        }
        if let Some(p) = publisher {
            changes.push(format!("publisher {:?} -> {p:?}", d.publisher));
            d.publisher = p;
        }
        if let Some(v) = version {
            changes.push(format!("version {} -> {v}", d.min_version));
            d.min_version = v;
        }
        return Ok(format!("dependency {id}: {}", changes.join(", ")));
    }
    let (Some(name), Some(publisher), Some(version)) = (name, publisher, version) else {
        return Err(format!(
            "--set-dependency: {id} is not a dependency; a new one needs name, publisher and version"
        ));
    };
    let line = format!("dependency {id} added: {name} by {publisher} {version}");
    deps.push(NavxDependency {
        id,
        name,
        publisher,
        min_version: version,
        compatibility_id: AppVersion::ZERO,
    });
    Ok(line)
}

/// Makes SymbolReference.json follow the manifest. `None` when nothing changes.
fn follow_symbols(bytes: &[u8], m: &NavxManifest) -> Result<Option<Vec<u8>>, String> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let (bom, body) = match bytes.strip_prefix(BOM) {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let trimmed_len = body
        .iter()
        .rposition(|b| *b != 0 && !b.is_ascii_whitespace())
        .map_or(0, |p| p + 1);
    let mut v: serde_json::Value = serde_json::from_slice(&body[..trimmed_len])
        .map_err(|e| format!("SymbolReference.json: {e}"))?;
    let Some(obj) = v.as_object_mut() else {
        return Err("SymbolReference.json: not a JSON object".into());
    };
    let before = obj.clone();
    let set = |obj: &mut serde_json::Map<String, serde_json::Value>, k: &str, val: String| {
        // BC 11 files have no AppId/Publisher/Version: add only keys that exist, or the
        // identity ones when AppId is there.
        obj.insert(k.to_string(), serde_json::Value::String(val));
    };
    let modern = obj.contains_key("AppId");
    if modern {
        set(obj, "AppId", m.app.id.to_string());
        set(obj, "Publisher", m.app.publisher.clone());
        set(obj, "Version", m.app.version.to_string());
    }
    if obj.contains_key("Name") {
        set(obj, "Name", m.app.name.clone());
    }
    if modern || obj.contains_key("InternalsVisibleToModules") {
        let mods: Vec<serde_json::Value> = m
            .internals_visible_to
            .iter()
            .map(|x| {
                serde_json::json!({"AppId": x.id.to_string(), "Name": x.name, "Publisher": x.publisher})
            })
            .collect();
        // Keep the original entries (and their spelling) when the set is the same.
        let same = obj
            .get("InternalsVisibleToModules")
            .and_then(|a| a.as_array())
            .is_some_and(|a| {
                a.len() == mods.len()
                    && a.iter().zip(&mods).all(|(x, y)| {
                        x["AppId"]
                            .as_str()
                            .and_then(|s| s.parse::<Uuid>().ok())
                            .map(|u| u.to_string())
                            == y["AppId"].as_str().map(str::to_string)
                            && x["Name"] == y["Name"]
                            && x["Publisher"] == y["Publisher"]
                    })
            });
        if !same {
            obj.insert(
                "InternalsVisibleToModules".to_string(),
                serde_json::Value::Array(mods),
            );
        }
    }
    // Unchanged apart from spelling (e.g. GUID case): keep the original bytes.
    let unchanged = before.iter().all(|(k, old)| {
        let new = &obj[k];
        if k == "AppId" {
            old.as_str().and_then(|s| s.parse::<Uuid>().ok())
                == new.as_str().and_then(|s| s.parse::<Uuid>().ok())
        } else {
            old == new
        }
    }) && before.len() == obj.len();
    if unchanged {
        return Ok(None);
    }
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(BOM);
    }
    out.extend(serde_json::to_vec(&v).map_err(|e| format!("SymbolReference.json: {e}"))?);
    Ok(Some(out))
}

/// Runs `alkit repack`.
pub fn run(a: RepackArgs) -> Res {
    let file = a.file.display().to_string();
    let (pkg, mut m) = match open_package(&a, &file) {
        Ok(p) => p,
        Err(e) => return bad(e),
    };
    let mut report = match change_manifest(&a, &mut m, &file) {
        Ok(r) => r,
        Err(e) => return bad(e),
    };
    let package_id = package_id(&a, &pkg, &mut report);
    if report.is_empty() && !(pkg.is_signed() && a.strip_signature) {
        return bad("nothing to change (see alkit repack --help)");
    }
    let (entries, symbols_rewritten) = match package_entries(&pkg, &m, &file) {
        Ok(e) => e,
        Err(e) => return bad(e),
    };
    let timestamp = match timestamp() {
        Ok(t) => t,
        Err(e) => return bad(e),
    };
    let count = entries.len() + 1;
    let out_bytes = build_package(
        entries,
        &BuildOptions {
            timestamp,
            package_id: PackageIdMode::Fixed(package_id),
            ..BuildOptions::default()
        },
    )?;
    let out = match output_path(&a, &m) {
        Ok(o) => o,
        Err(e) => return bad(e),
    };
    write_atomic(&out, &out_bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    outln!(
        "{}: {count} entries, {} bytes (from {file})",
        out.display(),
        out_bytes.len()
    );
    print_report(&report, symbols_rewritten, pkg.is_signed());
    Ok(ExitCode::SUCCESS)
}

/// Reads the package and its manifest. Refused: unreadable files, genuine runtime packages,
/// ready-to-run wrappers, signed packages without `--strip-signature`.
fn open_package(a: &RepackArgs, file: &str) -> Result<(Package, NavxManifest), String> {
    let bytes = std::fs::read(&a.file).map_err(|e| format!("{file}: {e}"))?;
    let pkg = Package::read(&bytes).map_err(|e| format!("{file}: {e}"))?;
    match pkg.kind() {
        PackageKind::Normal | PackageKind::SymbolsOnly => {}
        PackageKind::Runtime => {
            return Err(format!(
                "{file}: a genuine runtime package (.NEA): opaque, it cannot be changed"
            ));
        }
        PackageKind::ReadyToRun => {
            return Err(format!(
                "{file}: a ready-to-run wrapper; repack the .app it wraps"
            ));
        }
    }
    if pkg.is_signed() && !a.strip_signature {
        return Err(format!(
            "{file}: the package is signed; changing it invalidates the signature: pass \
             --strip-signature to write an unsigned package"
        ));
    }
    let m = match pkg.manifest() {
        Some(Ok(m)) => m,
        Some(Err(e)) => return Err(format!("{file}: NavxManifest.xml: {e}")),
        None => return Err(format!("{file}: no NavxManifest.xml")),
    };
    Ok((pkg, m))
}

/// Applies the manifest changes in order (version, dependencies, exposure flags,
/// internalsVisibleTo); returns a report line per change.
fn change_manifest(
    a: &RepackArgs,
    m: &mut NavxManifest,
    file: &str,
) -> Result<Vec<String>, String> {
    let mut report: Vec<String> = Vec::new();
    if let Some(v) = a.version {
        report.push(format!("version {} -> {v}", m.app.version));
        m.app.version = v;
    }
    change_dependencies(a, m, file, &mut report)?;
    change_exposure(a, m, &mut report);
    change_internals_visible_to(a, m, &mut report)?;
    Ok(report)
}

/// `--new-dependency-id OLD=NEW`, then `--set-dependency`.
fn change_dependencies(
    a: &RepackArgs,
    m: &mut NavxManifest,
    file: &str,
    report: &mut Vec<String>,
) -> Result<(), String> {
    for spec in &a.new_dependency_id {
        let Some((old, new)) = spec.split_once('=') else {
            return Err(format!(
                "--new-dependency-id: expected OLD=NEW, got {spec:?}"
            ));
        };
        let old = parse_uuid(old, "--new-dependency-id")?;
        let new = parse_uuid(new, "--new-dependency-id")?;
        let Some(d) = m.dependencies.iter_mut().find(|d| d.id == old) else {
            return Err(format!(
                "--new-dependency-id: {old} is not a dependency of {file}"
            ));
        };
        d.id = new;
        report.push(format!("dependency {} id {old} -> {new}", d.name));
    }
    for spec in &a.set_dependency {
        report.push(set_dependency(&mut m.dependencies, spec)?);
    }
    Ok(())
}

/// The resourceExposurePolicy flags and the legacy ShowMyCode flag.
fn change_exposure(a: &RepackArgs, m: &mut NavxManifest, report: &mut Vec<String>) {
    let flags = [
        ("allowDebugging", a.allow_debugging),
        ("allowDownloadingSource", a.allow_downloading_source),
        ("includeSourceInSymbolFile", a.include_source_in_symbol_file),
    ];
    if flags.iter().any(|(_, f)| f.is_some()) {
        let pol = m
            .resource_exposure_policy
            .get_or_insert_with(NavxResourceExposurePolicy::default);
        for (name, f) in flags {
            let Some(f) = f else { continue };
            let slot = match name {
                "allowDebugging" => &mut pol.allow_debugging,
                "allowDownloadingSource" => &mut pol.allow_downloading_source,
                _ => &mut pol.include_source_in_symbol_file,
            };
            report.push(format!(
                "{name} {} -> {f}",
                slot.map_or("(absent)".to_string(), |b| b.to_string())
            ));
            *slot = Some(f);
        }
    }
    if let Some(f) = a.show_my_code {
        report.push(format!(
            "showMyCode {} -> {f}",
            m.app
                .show_my_code
                .map_or("(absent)".to_string(), |b| b.to_string())
        ));
        m.app.show_my_code = Some(f);
    }
}

/// `--remove-internals-visible-to`, then `--add-internals-visible-to` (replacing a module
/// with the same id).
fn change_internals_visible_to(
    a: &RepackArgs,
    m: &mut NavxManifest,
    report: &mut Vec<String>,
) -> Result<(), String> {
    for id in &a.remove_internals_visible_to {
        let before = m.internals_visible_to.len();
        m.internals_visible_to.retain(|x| x.id != *id);
        if m.internals_visible_to.len() == before {
            return Err(format!(
                "--remove-internals-visible-to: {id} is not in internalsVisibleTo"
            ));
        }
        report.push(format!("internalsVisibleTo {id} removed"));
    }
    for spec in &a.add_internals_visible_to {
        let parts: Vec<&str> = spec.splitn(3, ':').collect();
        let [id, name, publisher] = parts.as_slice() else {
            return Err(format!(
                "--add-internals-visible-to: expected ID:NAME:PUBLISHER, got {spec:?}"
            ));
        };
        let id = parse_uuid(id, "--add-internals-visible-to")?;
        let module = NavxModule {
            id,
            name: name.to_string(),
            publisher: publisher.to_string(),
        };
        match m.internals_visible_to.iter_mut().find(|x| x.id == id) {
            Some(x) => *x = module,
            None => m.internals_visible_to.push(module),
        }
        report.push(format!(
            "internalsVisibleTo {id} ({name} by {publisher}) added"
        ));
    }
    Ok(())
}

/// The package id for the NAVX header: `--package-id`, a fresh one with
/// `--new-package-id` (both reported), else the input's.
fn package_id(a: &RepackArgs, pkg: &Package, report: &mut Vec<String>) -> Uuid {
    let old_id = pkg.header().package_id;
    if let Some(id) = a.package_id {
        report.push(format!("package id {old_id} -> {id}"));
        id
    } else if a.new_package_id {
        let id = Uuid::new_v4();
        report.push(format!("package id {old_id} -> {id} (new)"));
        id
    } else {
        old_id
    }
}

/// The entries: the manifest re-written, SymbolReference.json following it, the rest as
/// is. The flag says whether SymbolReference.json was re-written.
fn package_entries(
    pkg: &Package,
    m: &NavxManifest,
    file: &str,
) -> Result<(Vec<BuildEntry>, bool), String> {
    let mut entries = vec![BuildEntry::new(
        runtime_pack::NAVX_MANIFEST,
        m.to_xml().into_bytes(),
    )];
    let mut symbols_rewritten = false;
    for e in pkg.entries() {
        let p = e.path.as_str();
        if p == runtime_pack::NAVX_MANIFEST || p.eq_ignore_ascii_case("[Content_Types].xml") {
            continue;
        }
        if p == runtime_pack::SYMBOL_REFERENCE {
            match follow_symbols(&e.data, m) {
                Ok(Some(b)) => {
                    symbols_rewritten = true;
                    entries.push(BuildEntry::new(p, b));
                }
                Ok(None) => entries.push(BuildEntry::new(p, e.data.clone())),
                Err(err) => return Err(format!("{file}: {err}")),
            }
            continue;
        }
        entries.push(BuildEntry::new(p, e.data.clone()));
    }
    Ok((entries, symbols_rewritten))
}

/// Entry timestamp: `SOURCE_DATE_EPOCH` or the DOS epoch.
fn timestamp() -> Result<i64, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<i64>()
            .map_err(|_| format!("SOURCE_DATE_EPOCH is not a number: {v:?}")),
        _ => Ok(runtime_pack::build::DOS_EPOCH_UNIX),
    }
}

/// Where the package goes: `--out` (a file, or a folder for `<Publisher>_<Name>_<Version>.app`),
/// else that name next to the input. Never the input itself (refused whether or not
/// `--out` was given).
fn output_path(a: &RepackArgs, m: &NavxManifest) -> Result<PathBuf, String> {
    let name =
        crate::cmd::pack::app_file_name(&m.app.publisher, &m.app.name, &m.app.version.to_string());
    let dir = a
        .file
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let out = match &a.out {
        Some(p) if p.is_dir() => p.join(&name),
        Some(p) => p.clone(),
        None => dir.join(&name),
    };
    if same_file(&out, &a.file) {
        return Err(format!(
            "{}: is the input {} (alkit never overwrites its input{}); nothing was written; pass --out with another file or folder",
            out.display(),
            a.file.display(),
            if a.strip_signature {
                ": with --strip-signature the signed original would be lost"
            } else {
                ""
            }
        ));
    }
    Ok(out)
}

/// Whether `a` and `b` are one existing file (the same path after resolving links, or on
/// Unix the same device and inode: a hard link too).
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if ma.dev() == mb.dev() && ma.ino() == mb.ino() {
            return true;
        }
    }
    let _ = (ma, mb);
    std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok()
}

/// Prints the changes, what became of NavxManifest.xml and SymbolReference.json, and a
/// dropped signature.
fn print_report(report: &[String], symbols_rewritten: bool, signed: bool) {
    for l in report {
        outln!("  {l}");
    }
    outln!(
        "  NavxManifest.xml re-written; SymbolReference.json {}; other entries copied byte for byte",
        if symbols_rewritten {
            "follows it (AppId/Name/Publisher/Version/InternalsVisibleToModules)"
        } else {
            "unchanged"
        }
    );
    if signed {
        outln!(
            "  the input's signature was DROPPED (--strip-signature): the output is unsigned; sign it again before publishing where signatures are required"
        );
    }
}
