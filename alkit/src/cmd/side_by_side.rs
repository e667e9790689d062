//! `alkit side-by-side A B [--json]`: can two apps be installed together?
//!
//! A and B are project folders (parsed) or `.app` files (their SymbolReference.json).
//! Reports object type+ID clashes (AVS0110), object type+name clashes (AVS0111) and
//! member ID (AVS0112) and name (AVS0113) clashes on a base object one of them extends
//! (the rules of `scope_rules::checks::side_by_side`, shared with `deploy-check`).
//! Exit codes: 0 clean, 1 clashes, 2 bad input.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use al_parser::symbols::{AppSymbols, SourceText};
use clap::Args;
use scope_rules::checks::side_by_side::{SideBySide, SideBySideApp, SideBySideRule, clashes};

use crate::output;
use crate::project;

/// `alkit side-by-side ...`
#[derive(Debug, Args)]
pub struct SideBySideArgs {
    /// First app: project folder or .app file.
    pub a: PathBuf,
    /// Second app: project folder or .app file.
    pub b: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The symbols of a project folder or `.app` file.
pub fn app_symbols(path: &Path) -> Result<AppSymbols, Box<dyn std::error::Error>> {
    if path.is_dir() {
        let m = project::read_manifest(path)?;
        let files = project::read_al_files(path)?
            .into_iter()
            .map(|(l, b)| SourceText::new(l, b))
            .collect();
        return Ok(AppSymbols::from_sources(
            scope_rules::move_engine::app_info(&m),
            files,
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let pkg =
        runtime_pack::Package::read(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let sref = pkg
        .app_package()
        .symbol_reference()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .ok_or_else(|| {
            format!(
                "{}: the package has no SymbolReference.json",
                path.display()
            )
        })?;
    Ok(runtime_pack::index::app_symbols(&sref))
}

/// Runs `alkit side-by-side`.
pub fn run(args: SideBySideArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let a = app_symbols(&args.a)?;
    let b = app_symbols(&args.b)?;
    let (va, vb) = SideBySideApp::pair_of_symbols(&a, &b);
    let found = clashes(&va, &vb);
    let r = SideBySide::from_clashes(&va, &found);
    let same_id = !a.info.id.is_empty() && a.info.id.eq_ignore_ascii_case(&b.info.id);
    if args.json {
        let v = serde_json::json!({
            "a": args.a.display().to_string(),
            "b": args.b.display().to_string(),
            "sameAppId": same_id,
            "clean": r.is_clear() && !same_id,
            (SideBySideRule::ObjectId.code().as_str()): r.shared_ids,
            (SideBySideRule::ObjectName.code().as_str()): r.shared_names,
            "memberClashes": r.shared_members,
        });
        out!("{}", output::to_json_pretty(&v)?);
    } else {
        if same_id {
            outln!(
                "both apps have the id {}: they are versions of one app, not two apps",
                a.info.id
            );
        }
        for c in &found {
            outln!("{}", c.summary(&va));
        }
        outln!(
            "{} and {}: {}",
            args.a.display(),
            args.b.display(),
            if r.is_clear() && !same_id {
                "can be installed side by side".to_string()
            } else {
                format!(
                    "cannot be installed side by side ({} ID, {} name and {} member clash(es))",
                    r.shared_ids.len(),
                    r.shared_names.len(),
                    r.shared_members.len()
                )
            }
        );
    }
    Ok(if r.is_clear() && !same_id {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
