//! `alkit recover DIR`: finishes or undoes an alkit run that was killed while writing
//! ([`crate::stage::recover`]).
//!
//! Exit codes: 0 recovered (or nothing to recover); 1 backups of originals without a
//! journal were found and kept (they need a look); 2 bad input (not a folder, an unreadable
//! journal, a folder another alkit run is writing).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::stage::{Recovery, recover};

/// `alkit recover DIR`
#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// The folder an interrupted run wrote (the project of an `--in-place` move, or the
    /// folder above a new output folder): the one an error message named.
    pub dir: PathBuf,
}

/// Runs `alkit recover`.
pub fn run(args: RecoverArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match recover(&args.dir)? {
        Recovery::Journal(r) => {
            let roots: Vec<String> = r.roots.iter().map(|p| p.display().to_string()).collect();
            if r.completed {
                outln!(
                    "completed the interrupted run (pid {}): every change was already in place; removed {} backup(s) of originals and {} staged leftover(s)",
                    r.pid,
                    r.originals,
                    r.staged_removed
                );
                outln!("  now in the state after that run: {}", roots.join(", "));
            } else {
                outln!(
                    "rolled back the interrupted run (pid {}): {} original(s) put back, {} new file(s)/folder(s) taken away, {} staged file(s)/folder(s) removed",
                    r.pid,
                    r.originals,
                    r.new_removed,
                    r.staged_removed
                );
                outln!("  now in the state before that run: {}", roots.join(", "));
            }
            Ok(ExitCode::SUCCESS)
        }
        Recovery::Leftovers { removed, kept } => {
            if removed.is_empty() && kept.is_empty() {
                outln!(
                    "{}: nothing to recover (no journal, no staged leftovers)",
                    args.dir.display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            if !removed.is_empty() {
                outln!(
                    "{}: no journal; removed {} staged leftover(s) of an interrupted run:",
                    args.dir.display(),
                    removed.len()
                );
                for p in &removed {
                    outln!("  {}", p.display());
                }
            }
            if kept.is_empty() {
                return Ok(ExitCode::SUCCESS);
            }
            errln!(
                "alkit: {}: no journal, but {} backup(s) of originals an interrupted run set aside (`.<name>.alkit-old-<pid>`); kept: compare each with the file it was named after and keep the right one:",
                args.dir.display(),
                kept.len()
            );
            for p in &kept {
                errln!("  {}", p.display());
            }
            Ok(ExitCode::from(1))
        }
    }
}
