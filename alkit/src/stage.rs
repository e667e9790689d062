//! All-or-nothing writes of several outputs: new folders and in-place file changes.
//!
//! A [`Transaction`] first stages everything (new folders are written in full to a
//! hidden sibling folder, changed files to a hidden sibling file), then swaps: staged
//! folders are renamed into place, each changed file replaces its original, whose bytes
//! are kept aside until the end. If any step fails, everything done so far is undone
//! (originals renamed back, staged output removed), so inputs end as they were and no
//! partial output remains.
//!
//! For tests, the environment variable `ALKIT_FAIL_AT=N` makes the N-th swap step
//! (1-based) fail, which exercises the rollback.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Errors of the transaction.
type Error = Box<dyn std::error::Error>;
/// Files of a new folder: relative path with `/`, bytes (shared with the caller's
/// outputs, not copied).
type DirFiles = Vec<(String, Arc<Vec<u8>>)>;

/// Outputs to write together.
#[derive(Debug, Default)]
pub struct Transaction {
    dirs: Vec<(PathBuf, DirFiles)>,
    writes: Vec<(PathBuf, Arc<Vec<u8>>)>,
    deletes: Vec<PathBuf>,
}

/// A hidden sibling of `path` for staging (`.<name>.alkit-<tag>-<pid>`).
fn sibling(path: &Path, tag: &str) -> Result<PathBuf, Error> {
    let name = path
        .file_name()
        .ok_or_else(|| format!("{}: not a file or folder name", path.display()))?
        .to_string_lossy()
        .into_owned();
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok(parent.join(format!(".{name}.alkit-{tag}-{}", std::process::id())))
}

/// Checks that `dir` can receive a new folder (absent, or an empty folder).
pub fn check_new_dir(dir: &Path) -> Result<(), Error> {
    if dir.exists() {
        let empty = dir.is_dir() && std::fs::read_dir(dir)?.next().is_none();
        if !empty {
            return Err(format!(
                "{}: already exists and is not an empty folder",
                dir.display()
            )
            .into());
        }
    }
    Ok(())
}

/// Writes `files` (relative paths with `/`) below `root`: folders first, then the files
/// in parallel (a large app has thousands); the first failure in `files` order is
/// returned.
fn write_tree(root: &Path, files: &DirFiles) -> Result<(), Error> {
    use rayon::prelude::*;
    let paths: Vec<PathBuf> = files.iter().map(|(label, _)| root.join(label)).collect();
    let dirs: std::collections::BTreeSet<&Path> = paths.iter().filter_map(|p| p.parent()).collect();
    for d in dirs {
        std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
    }
    let results: Vec<Result<(), String>> = paths
        .par_iter()
        .zip(files.par_iter())
        .map(|(p, (_, bytes))| {
            std::fs::write(p, bytes.as_slice()).map_err(|e| format!("{}: {e}", p.display()))
        })
        .collect();
    results.into_iter().collect::<Result<(), String>>()?;
    Ok(())
}

impl Transaction {
    /// A new folder `dir` (absent or empty) holding `files` (relative paths with `/`).
    pub fn new_dir(&mut self, dir: &Path, files: DirFiles) {
        self.dirs.push((dir.to_path_buf(), files));
    }

    /// Replace (or create) the file `path` with `bytes`.
    pub fn write(&mut self, path: &Path, bytes: impl Into<Arc<Vec<u8>>>) {
        self.writes.push((path.to_path_buf(), bytes.into()));
    }

    /// Delete the file `path`.
    pub fn delete(&mut self, path: &Path) {
        self.deletes.push(path.to_path_buf());
    }

    /// Stages and swaps everything, or nothing.
    pub fn commit(self) -> Result<(), Error> {
        let fail_at: Option<usize> = std::env::var("ALKIT_FAIL_AT")
            .ok()
            .and_then(|v| v.parse().ok());
        let mut step = 0usize;
        let mut check = |what: &Path| -> Result<(), Error> {
            step += 1;
            if fail_at == Some(step) {
                return Err(format!(
                    "{}: injected failure (ALKIT_FAIL_AT={step})",
                    what.display()
                )
                .into());
            }
            Ok(())
        };
        // --- Stage ---
        let mut staged_dirs: StagedDirs = Vec::new();
        let mut staged_files: StagedFiles = Vec::new();
        if let Err(e) = self.stage(&mut staged_dirs, &mut staged_files) {
            remove_staged(&staged_dirs, &staged_files);
            return Err(e);
        }
        // --- Swap ---
        let mut done: Vec<Done> = Vec::new();
        let swap = (|| -> Result<(), Error> {
            for (s, dir) in &staged_dirs {
                check(dir)?;
                if dir.exists() {
                    std::fs::remove_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                }
                std::fs::rename(s, dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                done.push(Done::Dir(dir.clone(), s.clone()));
            }
            for (path, staged) in &staged_files {
                check(path)?;
                let backup = if path.exists() {
                    let b = sibling(path, "old")?;
                    std::fs::rename(path, &b).map_err(|e| format!("{}: {e}", path.display()))?;
                    Some(b)
                } else {
                    None
                };
                done.push(Done::File(path.clone(), backup));
                if let Some(t) = staged {
                    if let Some(d) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                        std::fs::create_dir_all(d)?;
                    }
                    std::fs::rename(t, path).map_err(|e| format!("{}: {e}", path.display()))?;
                }
            }
            Ok(())
        })();
        match swap {
            Ok(()) => {
                for d in done {
                    if let Done::File(_, Some(b)) = d {
                        let _ = std::fs::remove_file(b);
                    }
                }
                Ok(())
            }
            Err(e) => {
                roll_back(done);
                remove_staged(&staged_dirs, &staged_files);
                Err(e)
            }
        }
    }

    /// Stages every output: each new folder written in full to a hidden sibling folder,
    /// each changed file to a hidden sibling file, each delete recorded. What was staged
    /// is recorded as it goes, so a failure can remove it.
    fn stage(
        &self,
        staged_dirs: &mut StagedDirs,
        staged_files: &mut StagedFiles,
    ) -> Result<(), Error> {
        for (dir, files) in &self.dirs {
            check_new_dir(dir)?;
            if let Some(p) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))?;
            }
            let s = sibling(dir, "staging")?;
            if s.exists() {
                std::fs::remove_dir_all(&s)?;
            }
            staged_dirs.push((s.clone(), dir.clone()));
            write_tree(&s, files)?;
        }
        for (path, bytes) in &self.writes {
            let t = sibling(path, "new")?;
            staged_files.push((path.clone(), Some(t.clone())));
            std::fs::write(&t, bytes.as_slice()).map_err(|e| format!("{}: {e}", t.display()))?;
            #[cfg(unix)]
            if let Ok(m) = std::fs::metadata(path) {
                std::fs::set_permissions(&t, m.permissions())?;
            }
        }
        for path in &self.deletes {
            staged_files.push((path.clone(), None));
        }
        Ok(())
    }
}

/// Staged folders: (staging folder, target folder).
type StagedDirs = Vec<(PathBuf, PathBuf)>;
/// Staged file changes: (target file, staged new file; `None` for a delete).
type StagedFiles = Vec<(PathBuf, Option<PathBuf>)>;

/// A swap step done, undone if a later one fails.
enum Done {
    /// A staged folder renamed into place: (target folder, staging folder).
    Dir(PathBuf, PathBuf),
    /// A file replaced or deleted: (target file, its original set aside, if there was one).
    File(PathBuf, Option<PathBuf>),
}

/// Removes the staged output (staging folders, staged new files).
fn remove_staged(dirs: &[(PathBuf, PathBuf)], files: &[(PathBuf, Option<PathBuf>)]) {
    for (s, _) in dirs {
        let _ = std::fs::remove_dir_all(s);
    }
    for (_, t) in files {
        if let Some(t) = t {
            let _ = std::fs::remove_file(t);
        }
    }
}

/// Undoes the swap steps done, last first: folders go back to their staging names (then
/// removed with the staged output), originals are renamed back over the new files.
fn roll_back(done: Vec<Done>) {
    for d in done.into_iter().rev() {
        match d {
            Done::Dir(dir, s) => {
                let _ = std::fs::rename(&dir, &s);
            }
            Done::File(path, backup) => {
                let _ = std::fs::remove_file(&path);
                if let Some(b) = backup {
                    let _ = std::fs::rename(&b, &path);
                }
            }
        }
    }
}
