//! `alkit runtime-check PATH... [--platform X.Y] [--sources PATH...]`: what a Business
//! Central server made with `Get-NAVAppRuntimePackage`, and where it can be published.
//!
//! PATH is a runtime package or a folder of them (its `*.app` files). For each file:
//! - a genuine runtime package (`.NEA` payload) is recognised and described: NAVX header
//!   (version, package GUID, payload length), the `.NEA` header, the signature (digest
//!   algorithm, whether the signed digest matches the bytes, the signer); the payload is
//!   never decoded;
//! - its platform comes from the community's file name
//!   (`<Publisher>_<Name>_<Version>.runtime-<bcVersion>[-<country>].app`); when the name does
//!   not say, the platform is reported as not known (the source app's manifest only gives
//!   the minimum platform it needs, not the server's);
//! - with `--platform`: publishable only on the same major.minor;
//! - any other package (normal, symbols-only, ready-to-run) is not a runtime package.
//!
//! With `--sources` (project folders or `.app` files): every source app has exactly one
//! runtime package, matched by publisher, name and version in the file name (a `.NEA`
//! package's identity is not readable), and no runtime package is left without its app.
//!
//! Exit codes: 0 every file is a runtime package (publishable on `--platform`, the set
//! complete); 1 one is not publishable there, its platform is not known, or the set does not
//! match; 2 bad input (unreadable, not a runtime package).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use runtime_pack::runtime::{RuntimeFileName, file_stem, parse_runtime_file_name};
use runtime_pack::{DigestCheck, Package, PackageKind};

use super::runtime::parse_platform;

/// `alkit runtime-check`
#[derive(Debug, Args)]
pub struct RuntimeCheckArgs {
    /// Runtime packages, or folders holding them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The platform to publish on, `major.minor` (e.g. `24.0`).
    #[arg(long, value_parser = parse_platform)]
    pub platform: Option<(u32, u32)>,
    /// The apps the runtime packages were made from (project folders or .app files): each
    /// must have exactly one, with the same version.
    #[arg(long, num_args = 1..)]
    pub sources: Vec<PathBuf>,
}

type Error = Box<dyn std::error::Error>;

fn bad(msg: impl std::fmt::Display) -> Result<ExitCode, Error> {
    errln!("alkit: error: {msg}");
    Ok(ExitCode::from(2))
}

/// The `.app` files named, folders expanded through the project reader (sorted; a file
/// named is taken whatever its extension).
pub fn app_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            out.extend(crate::project::packages(p)?);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Publisher, name and version of a source app (project folder or `.app`).
fn source_identity(path: &Path) -> Result<(String, String, String), String> {
    let label = path.display().to_string();
    let m = if crate::cmd::check::is_app_file(path) {
        let bytes = std::fs::read(path).map_err(|e| format!("{label}: {e}"))?;
        let pkg = Package::read(&bytes).map_err(|e| format!("{label}: {e}"))?;
        match pkg.app_manifest() {
            Some(Ok(m)) => m,
            Some(Err(e)) => return Err(format!("{label}: NavxManifest.xml: {e}")),
            None => return Err(format!("{label}: no readable NavxManifest.xml")),
        }
    } else {
        let (_, doc) =
            crate::cmd::manifest::load_document(path).map_err(|e| format!("{label}: {e}"))?;
        doc.manifest().clone()
    };
    Ok((m.publisher, m.name, m.version.to_string()))
}

/// Describes one runtime package; `Ok(true)` when it is publishable on `--platform` (or no
/// platform was asked and its platform is known).
fn describe(
    file: &Path,
    pkg: &Package,
    name: Option<&RuntimeFileName>,
    platform: Option<(u32, u32)>,
) -> bool {
    let h = pkg.header();
    outln!(
        "{}: genuine runtime package (.NEA payload, opaque)",
        file.display()
    );
    outln!(
        "  NAVX header: version {}, package id {}, payload {} bytes",
        h.version,
        h.package_id,
        h.content_length
    );
    if let Some(r) = pkg.runtime_info() {
        let hex: Vec<String> = r.nea_header.iter().map(|b| format!("{b:02X}")).collect();
        outln!(
            "  .NEA header: {} ({} extra bytes after the payload)",
            hex.join(" "),
            r.extra_bytes
        );
    }
    match pkg.signature() {
        None => outln!("  signature: none (unsigned)"),
        Some(s) => {
            let digest = match s.digest {
                DigestCheck::Match => "matches the package bytes",
                DigestCheck::Mismatch => "DOES NOT match the package bytes (changed after signing)",
                DigestCheck::UnsupportedAlgorithm => "not compared (unknown digest algorithm)",
            };
            outln!(
                "  signature: digest {} {}; signer {} (the certificate chain is not verified)",
                s.digest_algorithm,
                digest,
                s.signer_common_name.as_deref().unwrap_or("unknown")
            );
        }
    }
    let Some(n) = name else {
        outln!(
            "  platform: NOT KNOWN: the file name does not follow <Publisher>_<Name>_<Version>.runtime-<bcVersion>[-<country>].app \
             and the payload is opaque; ask who made it on which server"
        );
        return false;
    };
    let (rm, rn) = n.platform;
    outln!(
        "  made on: Business Central {}{} (from the file name), app version {}",
        n.bc_version,
        n.country
            .as_deref()
            .map(|c| format!(", localization {c}"))
            .unwrap_or_default(),
        n.version
    );
    match platform {
        Some((tm, tn)) if (tm, tn) == (rm, rn) => {
            outln!("  publish on {tm}.{tn}: yes (same platform major.minor)");
            true
        }
        Some((tm, tn)) => {
            outln!(
                "  publish on {tm}.{tn}: NO: made on {rm}.{rn}; a runtime package is only guaranteed on the platform \
                 it was made on: make a new one on a {tm}.{tn} server (alkit runtime --platform {tm}.{tn}), or \
                 Repair-NAVApp if it was made with its source inside"
            );
            false
        }
        None => {
            outln!("  publish: on platform {rm}.{rn} only");
            true
        }
    }
}

/// Runs `alkit runtime-check`.
pub fn run(args: RuntimeCheckArgs) -> Result<ExitCode, Error> {
    let files = app_files(&args.paths)?;
    if files.is_empty() {
        return bad("no .app files found in the given folders");
    }
    let mut ok = true;
    let mut names: Vec<(PathBuf, Option<RuntimeFileName>)> = Vec::new();
    for file in &files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => return bad(format!("{}: {e}", file.display())),
        };
        let pkg = match Package::read(&bytes) {
            Ok(p) => p,
            Err(e) => return bad(format!("{}: {e}", file.display())),
        };
        if pkg.kind() != PackageKind::Runtime {
            return bad(format!(
                "{}: not a runtime package: a {} package (only a Business Central server makes runtime packages: \
                 alkit runtime prepares that step)",
                file.display(),
                pkg.kind()
            ));
        }
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(parse_runtime_file_name);
        ok &= describe(file, &pkg, name.as_ref(), args.platform);
        names.push((file.clone(), name));
    }
    if !args.sources.is_empty() {
        ok &= check_set(&args.sources, &names)?;
    }
    if !ok {
        errln!("alkit: not every runtime package is confirmed: see above");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Every source app has exactly one runtime package of the same version; none is left over.
fn check_set(
    sources: &[PathBuf],
    names: &[(PathBuf, Option<RuntimeFileName>)],
) -> Result<bool, Error> {
    let mut ok = true;
    let mut used = vec![false; names.len()];
    for src in sources {
        let (publisher, name, version) = source_identity(src)?;
        let stem = file_stem(&publisher, &name, &version).to_lowercase();
        let prefix = file_stem(&publisher, &name, "").to_lowercase();
        let same: Vec<usize> = names
            .iter()
            .enumerate()
            .filter(|(_, (_, n))| n.as_ref().is_some_and(|n| n.stem.to_lowercase() == stem))
            .map(|(i, _)| i)
            .collect();
        match same.as_slice() {
            [i] => {
                used[*i] = true;
                outln!(
                    "{}: {name} {version}: runtime package {}",
                    src.display(),
                    names[*i].0.display()
                );
            }
            [] => {
                ok = false;
                let other: Vec<String> = names
                    .iter()
                    .filter_map(|(p, n)| {
                        n.as_ref()
                            .filter(|n| n.stem.to_lowercase().starts_with(&prefix))
                            .map(|n| format!("{} (version {})", p.display(), n.version))
                    })
                    .collect();
                if other.is_empty() {
                    outln!("{}: {name} {version}: NO runtime package", src.display());
                } else {
                    outln!(
                        "{}: {name} {version}: NO runtime package of this version; found {}",
                        src.display(),
                        other.join(", ")
                    );
                }
            }
            many => {
                ok = false;
                let list: Vec<String> = many
                    .iter()
                    .map(|i| names[*i].0.display().to_string())
                    .collect();
                for i in many {
                    used[*i] = true;
                }
                outln!(
                    "{}: {name} {version}: {} runtime packages, expected one: {}",
                    src.display(),
                    many.len(),
                    list.join(", ")
                );
            }
        }
    }
    for ((path, _), used) in names.iter().zip(&used) {
        if !used {
            ok = false;
            outln!(
                "{}: made from none of the --sources (matched by <Publisher>_<Name>_<Version> in the file name)",
                path.display()
            );
        }
    }
    if ok {
        outln!(
            "set: each of the {} source apps has exactly one runtime package of its version (matched by file name: \
             a .NEA payload's identity is not readable)",
            sources.len()
        );
    }
    Ok(ok)
}
