//! `alkit runtime-check FILE.app --platform X.Y`: can this runtime package be published on
//! platform X.Y, and can it be repaired there?
//!
//! - alkit's runtime packages (built by `alkit runtime`) record the platform in
//!   `alkit/runtime.json` and as the manifest's `Platform`: publishable when the major.minor
//!   is the same (scope-rules.md §1.1: only guaranteed on the same version); repairable
//!   (`Repair-NAVApp`, recompiling on a new platform) only when AL source is inside.
//! - genuine runtime packages (`.NEA` payload) are opaque: the platform they were generated
//!   for is not recorded in readable form, and they hold no source. The check says so and
//!   exits 1 (publishability cannot be shown).
//!
//! Exit codes: 0 publishable, 1 not (or not shown), 2 bad input (unreadable, not a runtime
//! package, ready-to-run wrapper).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use runtime_pack::{Package, PackageKind};

use super::runtime::{RUNTIME_PART, parse_platform};

/// `alkit runtime-check`
#[derive(Debug, Args)]
pub struct RuntimeCheckArgs {
    /// The runtime package.
    pub file: PathBuf,
    /// The platform to publish on, `major.minor` (e.g. `24.0`).
    #[arg(long, value_parser = parse_platform)]
    pub platform: (u32, u32),
}

fn bad(msg: impl std::fmt::Display) -> Result<ExitCode, Box<dyn std::error::Error>> {
    errln!("alkit: error: {msg}");
    Ok(ExitCode::from(2))
}

/// Runs `alkit runtime-check`.
pub fn run(args: RuntimeCheckArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let file = args.file.display().to_string();
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => return bad(format!("{file}: {e}")),
    };
    let pkg = match Package::read(&bytes) {
        Ok(p) => p,
        Err(e) => return bad(format!("{file}: {e}")),
    };
    let (tm, tn) = args.platform;
    let target = format!("{tm}.{tn}");
    match pkg.kind() {
        PackageKind::Runtime => {
            outln!("{file}: genuine runtime package (.NEA payload, opaque)");
            outln!(
                "  platform: NOT KNOWN: the platform it was generated for is not recorded in readable form"
            );
            outln!(
                "  publish on {target}: cannot be confirmed; a runtime package is only guaranteed on the \
                 platform version of the server that generated it (Get-NAVAppRuntimePackage) - ask its supplier"
            );
            outln!(
                "  repair: unknown from here: the payload cannot be read; Repair-NAVApp needs the source inside \
                 (generated with -IncludeSourceInPackageFile or -ShowMyCode)"
            );
            if pkg.is_signed() {
                outln!("  signed: yes");
            }
            errln!("alkit: publishability on {target} cannot be shown for a .NEA package");
            return Ok(ExitCode::from(1));
        }
        PackageKind::ReadyToRun => {
            return bad(format!(
                "{file}: a ready-to-run wrapper, not a runtime package"
            ));
        }
        PackageKind::Normal => {}
    }
    let Some(marker) = pkg.entry(RUNTIME_PART) else {
        return bad(format!(
            "{file}: not a runtime package: no {RUNTIME_PART} (an ordinary package; build one with `alkit runtime`)"
        ));
    };
    let v: serde_json::Value = match serde_json::from_slice(&marker.data) {
        Ok(v) => v,
        Err(e) => return bad(format!("{file}: {RUNTIME_PART}: {e}")),
    };
    let Some(recorded) = v["platform"].as_str() else {
        return bad(format!("{file}: {RUNTIME_PART}: no \"platform\""));
    };
    let Ok((rm, rn)) = parse_platform(recorded) else {
        return bad(format!("{file}: {RUNTIME_PART}: bad platform {recorded:?}"));
    };
    let includes = v["includesSource"].as_bool().unwrap_or(false);
    let src_entries = pkg.source_files().count();
    let manifest_platform = pkg
        .manifest()
        .and_then(Result::ok)
        .and_then(|m| m.app.platform);
    let tool = v["tool"].as_str().unwrap_or("?");
    outln!("{file}: alkit runtime package ({tool}) for platform {rm}.{rn}");
    if let Some(p) = manifest_platform {
        let consistent = (p.major, p.minor) == (rm, rn);
        outln!(
            "  manifest Platform: {p}{}",
            if consistent {
                ""
            } else {
                " (differs from alkit/runtime.json: the package was changed after it was built)"
            }
        );
    }
    let repairable = src_entries > 0;
    if repairable {
        outln!(
            "  repair: possible: {src_entries} AL source files inside (Repair-NAVApp can recompile it on a new \
             platform; not guaranteed and not advised across versions)"
        );
    } else {
        outln!(
            "  repair: NOT possible: no AL source inside{}; build a new runtime package for {target}",
            if includes {
                " (alkit/runtime.json says it was included: the package was changed)"
            } else {
                ""
            }
        );
    }
    if (rm, rn) == (tm, tn) {
        outln!("  publish on {target}: yes (same platform version)");
        Ok(ExitCode::SUCCESS)
    } else {
        outln!(
            "  publish on {target}: NO: made for {rm}.{rn}; runtime packages are only guaranteed on the same \
             platform version{}",
            if repairable {
                " (publish on the old platform and Repair-NAVApp, or rebuild)"
            } else {
                " (rebuild it with `alkit runtime --platform` from the project)"
            }
        );
        errln!("alkit: not publishable on {target} (made for {rm}.{rn})");
        Ok(ExitCode::from(1))
    }
}
