//! The AppSourceCop baseline: the previous version of the app, which AppSourceCop compares
//! the new one with. AL-Go keeps it in the project's `.appSourceCopPackages`
//! (`alkit symbols fetch DIR --baseline` puts it there); AppSourceCop.json's
//! `baselinePackageCachePath` may name another folder, and its `version` (with `name` and
//! `publisher`) says which package is the baseline.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::project;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The baseline package found, and what the checks take from it.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The `.app` file.
    pub path: PathBuf,
    /// Its manifest's name, publisher and version (for the report).
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Version.
    pub version: String,
    /// The values of its enum extensions: (enum-extension name, value name), lower-case.
    pub enum_extension_values: BTreeSet<(String, String)>,
}

/// What looking for the baseline found.
#[derive(Debug, Clone)]
pub enum Lookup {
    /// The package of this app at the version AppSourceCop.json names (or, without one,
    /// the newest below the app's own version).
    Found(Baseline),
    /// No package of this app fits in the folders looked in.
    Missing {
        /// The folders looked in (those that exist).
        looked_in: Vec<PathBuf>,
        /// The version AppSourceCop.json names, if it names one.
        wanted: Option<String>,
    },
}

/// The folders a baseline may be in: AppSourceCop.json's `baselinePackageCachePath`
/// (relative to the project) and the project's `.appSourceCopPackages` (any case).
fn folders(dir: &Path, cop: Option<&al_manifest::AppSourceCop>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(p) = cop.and_then(|c| c.baseline_package_cache_path.as_deref()) {
        let p = dir.join(p.trim());
        if p.is_dir() {
            out.push(p);
        }
    }
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            if e.file_name()
                .to_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(crate::cmd::symbols::BASELINE_DIR))
                && e.path().is_dir()
                && !out.contains(&e.path())
            {
                out.push(e.path());
            }
        }
    }
    out
}

/// Looks for the baseline of the app `manifest` (project folder `dir`). Packages that are
/// not this app (other ids: the baseline's dependencies) are passed over; a package that
/// cannot be read is an error naming it.
pub fn find(
    dir: &Path,
    manifest: &al_manifest::AppManifest,
    cop: Option<&al_manifest::AppSourceCop>,
) -> Result<Lookup> {
    let looked_in = folders(dir, cop);
    let wanted = cop.and_then(|c| c.version);
    let mut best: Option<(al_manifest::AppManifest, PathBuf, runtime_pack::Package)> = None;
    for folder in &looked_in {
        for file in project::packages(folder)? {
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let pkg = runtime_pack::Package::read(&bytes)
                .map_err(|e| format!("{}: {e}", file.display()))?;
            let Some(Ok(m)) = pkg.app_manifest() else {
                continue;
            };
            if m.id != manifest.id {
                continue;
            }
            let fits = match wanted {
                Some(w) => m.version == w,
                None => m.version < manifest.version,
            };
            if fits && best.as_ref().is_none_or(|(b, _, _)| m.version > b.version) {
                best = Some((m, file, pkg));
            }
        }
    }
    let Some((m, path, pkg)) = best else {
        return Ok(Lookup::Missing {
            looked_in,
            wanted: wanted.map(|v| v.to_string()),
        });
    };
    let mut enum_extension_values = BTreeSet::new();
    if let Some(symbols) = pkg
        .symbol_reference()
        .map_err(|e| format!("{}: SymbolReference.json: {e}", path.display()))?
    {
        for o in symbols.objects() {
            if o.kind != runtime_pack::SymbolObjectType::EnumExtensionType {
                continue;
            }
            for v in o.object.values.iter().flatten() {
                enum_extension_values.insert((o.object.name.to_lowercase(), v.name.to_lowercase()));
            }
        }
    }
    Ok(Lookup::Found(Baseline {
        path,
        name: m.name,
        publisher: m.publisher,
        version: m.version.to_string(),
        enum_extension_values,
    }))
}
