//! All-or-nothing writes of several outputs (new folders and in-place file changes) that
//! survive a kill: a journal, a lock, Ctrl-C handling and `alkit recover`.
//!
//! A [`Transaction`] is committed under a [`Guard`], which holds an exclusive lock
//! (`.alkit-lock`, an OS file lock) on each *root*: the folders the outputs go into (the
//! project and each dependent for `--in-place`, the nearest existing folder above each new
//! folder otherwise). Commit:
//!
//! 1. plans every step: each new folder gets a hidden sibling staging folder, each changed
//!    file a hidden sibling staged file and a backup name (`.<name>.alkit-<tag>-<pid>`);
//! 2. writes the plan as a journal (`.alkit-journal.json`, flushed to disk) into every root,
//!    state `staging`;
//! 3. stages: new folders written in full, changed files written next to their targets;
//! 4. sets the journal's state to `swapping`, then swaps: staged folders renamed into
//!    place, each original file renamed to its backup name and the staged file renamed
//!    over it;
//! 5. sets the state to `swapped`, removes the backups, then the journals.
//!
//! A failure at any step rolls back from the journal (originals renamed back, staged
//! output removed). A killed process leaves the journal: [`recover`] (`alkit recover DIR`)
//! rolls back (state `staging` or `swapping`) or completes (state `swapped`), so the roots
//! end in exactly the old or exactly the new state. Every command that writes refuses to
//! run over a root holding a journal ([`refuse_interrupted`]). Ctrl-C (SIGINT, and SIGTERM
//! and SIGHUP) while a guard is held: before the commit the locks are released and the
//! process exits 130; during the commit a flag is checked between steps and the commit
//! rolls back (or, after the last swap, finishes) and returns [`Interrupted`].
//!
//! For tests, environment variables inject faults: `ALKIT_FAIL_AT=N` makes the N-th swap
//! step (1-based; one per new folder or changed file) fail, which exercises the rollback;
//! `ALKIT_KILL_AT=N` ends the process (exit code 137, no clean-up at all, as a SIGKILL
//! would) before the N-th durable action of the commit (journal write, staged output,
//! rename, removal); `ALKIT_PAUSE_AT=N` with `ALKIT_PAUSE_MARKER=FILE` writes FILE (the pid and
//! the journal's state) and waits (up to 30 s, or until a signal arrives) before the N-th
//! durable action; `ALKIT_PAUSE_AT=0` pauses right after the locks are taken (state
//! `before`).

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

/// Errors of the transaction.
type Error = Box<dyn std::error::Error>;
/// Files of a new folder: relative path with `/`, bytes (shared with the caller's
/// outputs, not copied).
type DirFiles = Vec<(String, Arc<Vec<u8>>)>;

/// The journal's file name, in each root of a commit that has not finished.
pub const JOURNAL: &str = ".alkit-journal.json";
/// The lock file's name, in each root while a guard holds it.
pub const LOCK: &str = ".alkit-lock";

/// Outputs to write together.
#[derive(Debug, Default)]
pub struct Transaction {
    dirs: Vec<(PathBuf, DirFiles)>,
    writes: Vec<(PathBuf, Arc<Vec<u8>>)>,
    deletes: Vec<PathBuf>,
}

/// The commit stopped on Ctrl-C (or SIGTERM/SIGHUP); the message says what state the roots
/// are in. The CLI exits 130.
#[derive(Debug)]
pub struct Interrupted(pub String);

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Interrupted {}

// ---------------------------------------------------------------------------------------
// Paths

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

/// Whether a file or folder name is one alkit writes only while a commit runs: a staged
/// file or folder or a backup (`.<name>.alkit-new|old|staging-<pid>`), a temporary file
/// (`.alkit-*.tmp`), an extract's staging folder (`.alkit-extract-*`) or the journal. Found outside a running commit, it is a leftover of
/// an interrupted one.
pub fn is_leftover_name(name: &str) -> bool {
    if name == JOURNAL
        || (name.starts_with(".alkit-") && name.ends_with(".tmp"))
        || name.starts_with(".alkit-extract-")
    {
        return true;
    }
    leftover_kind(name).is_some()
}

/// `new`, `old` or `staging` for a staged/backup name `.<name>.alkit-<tag>-<digits>`.
fn leftover_kind(name: &str) -> Option<&'static str> {
    if !name.starts_with('.') {
        return None;
    }
    for tag in ["new", "old", "staging"] {
        let marker = format!(".alkit-{tag}-");
        if let Some(i) = name.rfind(&marker) {
            let pid = &name[i + marker.len()..];
            if i > 1 && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) {
                return Some(match tag {
                    "new" => "new",
                    "old" => "old",
                    _ => "staging",
                });
            }
        }
    }
    None
}

/// The absolute, symlink-free form of `path`, which need not exist: its longest existing
/// ancestor canonicalised, the rest appended (`.` dropped, `..` taking off the last
/// component).
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    let parts: Vec<Component> = abs.components().collect();
    for k in (1..=parts.len()).rev() {
        let prefix: PathBuf = parts[..k].iter().collect();
        let Ok(mut out) = std::fs::canonicalize(&prefix) else {
            continue;
        };
        for part in &parts[k..] {
            match part {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other.as_os_str()),
            }
        }
        return Ok(out);
    }
    Err(std::io::Error::other(format!(
        "{}: no existing folder above it",
        path.display()
    )))
}

/// The root of a new folder `dir`: the nearest existing folder above it (never `dir`
/// itself, which may exist empty and must stay so), resolved.
pub fn new_dir_root(dir: &Path) -> std::io::Result<PathBuf> {
    let mut p = resolve(dir)?;
    p.pop();
    while !p.is_dir() {
        if !p.pop() {
            return Err(std::io::Error::other(format!(
                "{}: no existing folder above it",
                dir.display()
            )));
        }
    }
    Ok(p)
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

// ---------------------------------------------------------------------------------------
// Locks and interruption

/// Where the process is, for the signal handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Guards held, the commit not begun: nothing written yet.
    Before,
    /// A commit runs: the handler only raises [`INTERRUPTED`].
    Committing,
    /// The commit ended (done, or failed and rolled back).
    After,
}

/// What the signal handler needs: the phase and the lock files to remove on exit.
#[derive(Debug)]
struct Signals {
    phase: Phase,
    locks: Vec<PathBuf>,
}

static SIGNALS: Mutex<Signals> = Mutex::new(Signals {
    phase: Phase::After,
    locks: Vec::new(),
});
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static HANDLER: std::sync::Once = std::sync::Once::new();

fn signals() -> std::sync::MutexGuard<'static, Signals> {
    SIGNALS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether Ctrl-C (SIGINT), SIGTERM or SIGHUP arrived during a commit.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Installs the handler of Ctrl-C, SIGTERM and SIGHUP (once). During a commit it raises
/// a flag the commit checks between steps; otherwise it removes the lock files and exits
/// 130 (the mutex keeps a commit from starting meanwhile).
fn install_handler() {
    HANDLER.call_once(|| {
        // Failing to install it (another handler) leaves the default: the process ends;
        // the journal still makes that recoverable.
        let _ = ctrlc::set_handler(|| {
            let s = signals();
            if s.phase == Phase::Committing {
                INTERRUPTED.store(true, Ordering::SeqCst);
                return;
            }
            let roots: Vec<String> = s
                .locks
                .iter()
                .filter_map(|l| l.parent().map(|r| r.display().to_string()))
                .collect();
            for l in &s.locks {
                let _ = std::fs::remove_file(l);
            }
            if s.phase == Phase::Before {
                errln!(
                    "alkit: interrupted before the outputs were written: nothing was staged or swapped; the locks on {} were released; exit 130",
                    roots.join(", ")
                );
            } else {
                errln!("alkit: interrupted; exit 130");
            }
            std::process::exit(130);
        });
    });
}

/// One held lock: the lock file and its OS lock (released when dropped).
struct Held {
    path: PathBuf,
    guard: fd_lock::RwLockWriteGuard<'static, std::fs::File>,
}

/// Exclusive locks on the roots of a commit (`.alkit-lock` in each, holding the pid).
/// While held, another alkit run that wants one of them fails, and Ctrl-C is handled.
/// Dropping it removes the lock files.
pub struct Guard {
    roots: Vec<PathBuf>,
    held: Vec<Held>,
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard").field("roots", &self.roots).finish()
    }
}

/// The pid written in a lock file, for messages.
fn lock_holder(path: &Path) -> String {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .map_or_else(|| "pid unknown".to_string(), |p| format!("pid {p}"))
}

/// Takes the lock of `root`.
fn lock_root(root: &Path) -> Result<Held, Error> {
    use std::io::Write as _;
    let path = root.join(LOCK);
    for _ in 0..5 {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| format!("{}: cannot create the lock file: {e}", path.display()))?;
        let lock: &'static mut fd_lock::RwLock<std::fs::File> =
            Box::leak(Box::new(fd_lock::RwLock::new(file)));
        let mut guard = match lock.try_write() {
            Ok(g) => g,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                return Err(format!(
                    "{}: another alkit run is writing here ({}, {}); wait for it to finish",
                    root.display(),
                    lock_holder(&path),
                    path.display()
                )
                .into());
            }
            Err(e) => return Err(format!("{}: cannot lock: {e}", path.display()).into()),
        };
        // The file may have been removed (and another one made) by the holder that
        // released it between our open and our lock: then lock the new one.
        if !same_file(&path, &guard) {
            continue;
        }
        guard.set_len(0)?;
        write!(&mut *guard, "{}", std::process::id())?;
        return Ok(Held { path, guard });
    }
    Err(format!(
        "{}: cannot take the lock (it keeps changing)",
        path.display()
    )
    .into())
}

/// Whether `path` names the open file `f`.
fn same_file(path: &Path, f: &std::fs::File) -> bool {
    let (Ok(a), Ok(b)) = (std::fs::metadata(path), f.metadata()) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        a.len() == b.len()
    }
}

impl Guard {
    /// Locks every root (resolved, duplicates once) and refuses when one holds a journal
    /// (an interrupted commit: `alkit recover`). Installs the Ctrl-C handler.
    pub fn acquire(roots: &[PathBuf]) -> Result<Self, Error> {
        let mut resolved: Vec<PathBuf> = Vec::new();
        for r in roots {
            let r = resolve(r).map_err(|e| format!("{}: {e}", r.display()))?;
            if !resolved.contains(&r) {
                resolved.push(r);
            }
        }
        install_handler();
        let mut g = Guard {
            roots: Vec::new(),
            held: Vec::new(),
        };
        for r in &resolved {
            let h = lock_root(r)?;
            g.roots.push(r.clone());
            {
                let mut s = signals();
                s.phase = Phase::Before;
                s.locks.push(h.path.clone());
            }
            g.held.push(h);
            if r.join(JOURNAL).exists() {
                return Err(interrupted_message(r).into());
            }
        }
        let hooks = Hooks::from_env();
        if hooks.pause_at == Some(0) {
            hooks.pause("before");
        }
        Ok(g)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let mut s = signals();
        for h in self.held.drain(..) {
            s.locks.retain(|l| *l != h.path);
            let _ = std::fs::remove_file(&h.path);
            drop(h.guard);
        }
    }
}

/// The message for a root holding a journal.
fn interrupted_message(root: &Path) -> String {
    format!(
        "{}: an alkit run that writes here was interrupted ({} is there); run `alkit recover {}` to roll it back or complete it, then run this again",
        root.display(),
        root.join(JOURNAL).display(),
        root.display()
    )
}

/// Refuses to write to `path` when it, or a folder above it, holds a journal: an alkit
/// run writing there is under way (its lock is held) or was interrupted.
pub fn refuse_interrupted(path: &Path) -> Result<(), Error> {
    let Ok(full) = resolve(path) else {
        return Ok(());
    };
    for dir in full.ancestors() {
        if dir.join(JOURNAL).is_file() {
            let lock = dir.join(LOCK);
            if let Ok(f) = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&lock)
            {
                let mut l = fd_lock::RwLock::new(f);
                if let Err(e) = l.try_write() {
                    if e.kind() == std::io::ErrorKind::WouldBlock {
                        return Err(format!(
                            "{}: another alkit run is writing here ({}, {}); wait for it to finish",
                            dir.display(),
                            lock_holder(&lock),
                            lock.display()
                        )
                        .into());
                    }
                }
            }
            return Err(interrupted_message(dir).into());
        }
    }
    Ok(())
}

/// [`refuse_interrupted`] for `dir` and for every folder below it (not following links,
/// skipping the folders no project walk enters): for a folder searched for projects, where
/// a project an interrupted run left without its app.json would not be found.
pub fn refuse_interrupted_below(dir: &Path) -> Result<(), Error> {
    refuse_interrupted(dir)?;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name == JOURNAL {
                return refuse_interrupted(&d);
            }
            if e.file_type().is_ok_and(|t| t.is_dir()) && !crate::project::is_skipped_dir(&name) {
                stack.push(e.path());
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The journal

/// How far a commit got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum State {
    /// Staging; no target touched.
    Staging,
    /// Everything staged; swapping (some targets may be swapped).
    Swapping,
    /// Every swap done; only backups and journals are left to remove.
    Swapped,
}

/// A new folder: staged in `staging`, renamed to `target`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct DirOp {
    target: PathBuf,
    staging: PathBuf,
    /// The target existed as an empty folder (removed before the rename, made again on a
    /// roll back).
    existed: bool,
}

/// A changed, new or deleted file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct FileOp {
    target: PathBuf,
    /// The new bytes, staged here; none for a delete.
    staged: Option<PathBuf>,
    /// Where the original goes while the commit runs.
    backup: PathBuf,
    /// The target existed when the commit was planned.
    existed: bool,
}

/// What a commit does, written to every root before the first change.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Journal {
    /// `alkit-journal/1`.
    format: String,
    /// The alkit process that wrote it.
    pid: u32,
    state: State,
    /// The folders holding a copy of this journal.
    roots: Vec<PathBuf>,
    dirs: Vec<DirOp>,
    files: Vec<FileOp>,
    /// Folders made for the outputs, outermost first (removed on a roll back when empty).
    created: Vec<PathBuf>,
}

const FORMAT: &str = "alkit-journal/1";

/// The fault-injection hooks of the tests (see the module documentation).
#[derive(Debug, Default)]
struct Hooks {
    fail_at: Option<usize>,
    kill_at: Option<usize>,
    pause_at: Option<usize>,
    pause_marker: Option<PathBuf>,
    /// Durable actions so far.
    actions: usize,
    /// Swap steps so far.
    steps: usize,
}

impl Hooks {
    fn from_env() -> Self {
        let num = |k: &str| std::env::var(k).ok().and_then(|v| v.parse().ok());
        Hooks {
            fail_at: num("ALKIT_FAIL_AT"),
            kill_at: num("ALKIT_KILL_AT"),
            pause_at: num("ALKIT_PAUSE_AT"),
            pause_marker: std::env::var_os("ALKIT_PAUSE_MARKER").map(PathBuf::from),
            ..Hooks::default()
        }
    }

    /// Before a durable action, the journal being in `state`: the kill and pause hooks
    /// (the pause marker holds the pid and the state).
    fn action(&mut self, state: State) {
        self.actions += 1;
        if self.kill_at == Some(self.actions) {
            // As a SIGKILL would: no clean-up, no destructors.
            std::process::exit(137);
        }
        if self.pause_at == Some(self.actions) {
            self.pause(match state {
                State::Staging => "staging",
                State::Swapping => "swapping",
                State::Swapped => "swapped",
            });
        }
    }

    /// Writes the pause marker (pid and `state`), then waits up to 30 s or until a signal
    /// arrives.
    fn pause(&self, state: &str) {
        if let Some(m) = &self.pause_marker {
            let _ = std::fs::write(m, format!("{} {state}", std::process::id()));
        }
        let start = std::time::Instant::now();
        while !interrupted() && start.elapsed() < std::time::Duration::from_secs(30) {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// Before a swap step: the failure hook.
    fn step(&mut self, what: &Path) -> Result<(), Error> {
        self.steps += 1;
        if self.fail_at == Some(self.steps) {
            return Err(format!(
                "{}: injected failure (ALKIT_FAIL_AT={})",
                what.display(),
                self.steps
            )
            .into());
        }
        Ok(())
    }
}

/// Writes the journal to every root (temporary file, flushed, renamed).
fn write_journal(j: &Journal) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(j)?;
    for r in &j.roots {
        let p = r.join(JOURNAL);
        crate::output::write_atomic_unchecked(&p, text.as_bytes())
            .map_err(|e| format!("{}: {e}", p.display()))?;
    }
    Ok(())
}

/// Removes the journal from every root.
fn remove_journal(j: &Journal) {
    for r in &j.roots {
        let _ = std::fs::remove_file(r.join(JOURNAL));
    }
}

/// What a roll back or completion did, for the messages of `alkit recover`.
#[derive(Debug, Default)]
pub struct Recovered {
    /// Whether the commit was completed (else rolled back).
    pub completed: bool,
    /// The roots whose journal was handled.
    pub roots: Vec<PathBuf>,
    /// Originals put back (roll back) or backups removed (completion).
    pub originals: usize,
    /// Staged files and folders removed.
    pub staged_removed: usize,
    /// New files and folders taken away again (roll back).
    pub new_removed: usize,
    /// The pid of the interrupted run.
    pub pid: u32,
}

/// Whether something (a file, a folder, a link even to nothing) is at `p`.
fn present(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok()
}

/// Rolls back what `j` planned, whatever got done (idempotent: run again after a kill it
/// gives the same result). Targets are touched only in state `swapping`.
fn roll_back(j: &Journal, out: &mut Recovered) {
    let swapping = j.state != State::Staging;
    for f in j.files.iter().rev() {
        if swapping {
            if f.existed {
                if present(&f.backup) && std::fs::rename(&f.backup, &f.target).is_ok() {
                    out.originals += 1;
                }
            } else if f.staged.as_ref().is_none_or(|s| !present(s))
                && f.target.is_file()
                && std::fs::remove_file(&f.target).is_ok()
            {
                out.new_removed += 1;
            }
        }
        if let Some(s) = &f.staged {
            if present(s) && std::fs::remove_file(s).is_ok() {
                out.staged_removed += 1;
            }
        }
    }
    for d in j.dirs.iter().rev() {
        if d.staging.exists() {
            if std::fs::remove_dir_all(&d.staging).is_ok() {
                out.staged_removed += 1;
            }
        } else if swapping && d.target.is_dir() && std::fs::remove_dir_all(&d.target).is_ok() {
            out.new_removed += 1;
        }
        if d.existed && !d.target.exists() {
            let _ = std::fs::create_dir(&d.target);
        }
    }
    for c in j.created.iter().rev() {
        let _ = std::fs::remove_dir(c);
    }
}

/// Completes a commit whose swaps are all done: removes the backups (and any staged
/// output left, which a finished swap does not leave).
fn complete(j: &Journal, out: &mut Recovered) {
    out.completed = true;
    for f in &j.files {
        if present(&f.backup) && std::fs::remove_file(&f.backup).is_ok() {
            out.originals += 1;
        }
        if let Some(s) = &f.staged {
            if present(s) && std::fs::remove_file(s).is_ok() {
                out.staged_removed += 1;
            }
        }
    }
    for d in &j.dirs {
        if d.staging.exists() && std::fs::remove_dir_all(&d.staging).is_ok() {
            out.staged_removed += 1;
        }
    }
}

/// What is not as a roll back (`completed` false) or a completion should have left it:
/// a staged file or backup still there, a target missing or still there. Empty when every
/// path of the journal is as it should be.
fn not_as_planned(j: &Journal, completed: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |p: &Path, should: bool, what: &str| {
        if present(p) != should {
            out.push(format!(
                "{}: {what} {}",
                p.display(),
                if should { "missing" } else { "still there" }
            ));
        }
    };
    for f in &j.files {
        if let Some(s) = &f.staged {
            check(s, false, "staged file");
        }
        check(&f.backup, false, "backup");
        let should = if completed {
            f.staged.is_some()
        } else {
            f.existed
        };
        check(&f.target, should, if should { "file" } else { "new file" });
    }
    for d in &j.dirs {
        check(&d.staging, false, "staged folder");
        check(&d.target, completed || d.existed, "folder");
    }
    out
}

/// The error of a roll back or completion that left `problems`: the journal is kept.
fn unfinished(problems: &[String]) -> String {
    let mut m = format!(
        "{} path(s) are not as they should be; the journal was kept: fix what stops them (permissions, a full disk, a file open elsewhere) and run `alkit recover` again:",
        problems.len()
    );
    for p in problems.iter().take(10) {
        m.push_str("\n  ");
        m.push_str(p);
    }
    if problems.len() > 10 {
        m.push_str(&format!("\n  ... and {} more", problems.len() - 10));
    }
    m
}

/// What `alkit recover DIR` found and did.
#[derive(Debug)]
pub enum Recovery {
    /// A journal: rolled back or completed.
    Journal(Recovered),
    /// No journal: leftovers removed (staged files and folders, temporary files) and
    /// backups kept (they may hold originals).
    Leftovers {
        /// Removed.
        removed: Vec<PathBuf>,
        /// Kept: backups of originals (`.<name>.alkit-old-<pid>`).
        kept: Vec<PathBuf>,
    },
}

/// `alkit recover DIR`: rolls back or completes the interrupted commit whose journal `dir`
/// holds (every root the journal names), or, without a journal, removes staged leftovers
/// below `dir` (backups of originals are kept and listed).
pub fn recover(dir: &Path) -> Result<Recovery, Error> {
    let root = resolve(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if !root.is_dir() {
        return Err(format!("{}: not a folder", dir.display()).into());
    }
    let journal_path = root.join(JOURNAL);
    let journal: Option<Journal> = if journal_path.is_file() {
        let text = std::fs::read_to_string(&journal_path)
            .map_err(|e| format!("{}: {e}", journal_path.display()))?;
        let j: Journal = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}: not an alkit journal ({e}); nothing was changed",
                journal_path.display()
            )
        })?;
        if j.format != FORMAT {
            return Err(format!(
                "{}: journal format {:?}, expected {FORMAT:?}; nothing was changed",
                journal_path.display(),
                j.format
            )
            .into());
        }
        Some(j)
    } else {
        None
    };
    // Lock every root involved, without the journal check of `Guard::acquire`.
    let mut roots = vec![root.clone()];
    if let Some(j) = &journal {
        for r in &j.roots {
            if !roots.contains(r) {
                roots.push(r.clone());
            }
        }
    }
    let mut held = Vec::new();
    for r in &roots {
        if r.is_dir() {
            held.push(lock_root(r)?);
        }
    }
    let result = match journal {
        Some(j) => {
            let mut out = Recovered {
                roots: j.roots.clone(),
                pid: j.pid,
                ..Recovered::default()
            };
            let completed = j.state == State::Swapped;
            if completed {
                complete(&j, &mut out);
            } else {
                roll_back(&j, &mut out);
            }
            let problems = not_as_planned(&j, completed);
            if !problems.is_empty() {
                for h in held {
                    let _ = std::fs::remove_file(&h.path);
                    drop(h.guard);
                }
                return Err(unfinished(&problems).into());
            }
            remove_journal(&j);
            Recovery::Journal(out)
        }
        None => {
            let (removed, kept) = remove_leftovers(&root)?;
            Recovery::Leftovers { removed, kept }
        }
    };
    for h in held {
        let _ = std::fs::remove_file(&h.path);
        drop(h.guard);
    }
    Ok(result)
}

/// Removes staged leftovers below `root` (not following links; skipping `.git`); keeps
/// backups. Returns (removed, kept), sorted.
fn remove_leftovers(root: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), Error> {
    let mut removed = Vec::new();
    let mut kept = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for e in entries {
            let e = e.map_err(|e| format!("{}: {e}", d.display()))?;
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            let ty = e.file_type()?;
            if name == LOCK || !is_leftover_name(&name) {
                if ty.is_dir() && name != ".git" {
                    stack.push(path);
                }
                continue;
            }
            if leftover_kind(&name) == Some("old") {
                kept.push(path);
                continue;
            }
            let r = if ty.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            r.map_err(|e| format!("{}: {e}", path.display()))?;
            removed.push(path);
        }
    }
    removed.sort();
    kept.sort();
    Ok((removed, kept))
}

// ---------------------------------------------------------------------------------------
// Commit

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

/// The missing folders above `path` (outermost first), not yet in `created`.
fn missing_parents(path: &Path, created: &mut Vec<PathBuf>) {
    let mut missing = Vec::new();
    let mut p = path.parent();
    while let Some(d) = p.filter(|d| !d.as_os_str().is_empty()) {
        if d.exists() {
            break;
        }
        missing.push(d.to_path_buf());
        p = d.parent();
    }
    for d in missing.into_iter().rev() {
        if !created.contains(&d) {
            created.push(d);
        }
    }
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

    /// The journal of this transaction (state `staging`): absolute paths, the staged and
    /// backup names, what exists. Refuses new folders that are not new or empty, or that
    /// coincide with or lie inside one another.
    fn plan(&self, guard: &Guard) -> Result<Journal, Error> {
        // The folder resolved, the name kept: a link is replaced, not followed.
        let abs = |p: &Path| -> Result<PathBuf, Error> {
            let name = p
                .file_name()
                .ok_or_else(|| format!("{}: not a file or folder name", p.display()))?;
            let parent = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            Ok(resolve(parent)
                .map_err(|e| format!("{}: {e}", p.display()))?
                .join(name))
        };
        let mut created = Vec::new();
        let mut dirs: Vec<DirOp> = Vec::new();
        for (dir, _) in &self.dirs {
            check_new_dir(dir)?;
            let target = abs(dir)?;
            if let Some(other) = dirs
                .iter()
                .find(|d| d.target.starts_with(&target) || target.starts_with(&d.target))
            {
                return Err(format!(
                    "{} and {}: two outputs in one folder (the same folder, or one inside the other); give separate folders",
                    other.target.display(),
                    target.display()
                )
                .into());
            }
            missing_parents(&target, &mut created);
            dirs.push(DirOp {
                staging: sibling(&target, "staging")?,
                existed: target.is_dir(),
                target,
            });
        }
        let mut files: Vec<FileOp> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let planned = self
            .writes
            .iter()
            .map(|(p, _)| (p, true))
            .chain(self.deletes.iter().map(|p| (p, false)));
        for (path, write) in planned {
            let target = abs(path)?;
            if !seen.insert(target.clone()) {
                return Err(format!(
                    "{}: written twice by one run (the same file reached by two paths); nothing was written",
                    target.display()
                )
                .into());
            }
            missing_parents(&target, &mut created);
            files.push(FileOp {
                staged: if write {
                    Some(sibling(&target, "new")?)
                } else {
                    None
                },
                backup: sibling(&target, "old")?,
                existed: present(&target),
                target,
            });
        }
        Ok(Journal {
            format: FORMAT.to_string(),
            pid: std::process::id(),
            state: State::Staging,
            roots: guard.roots.clone(),
            dirs,
            files,
            created,
        })
    }

    /// Stages and swaps everything, or nothing (see the module documentation). The
    /// guard's roots get the journal.
    pub fn commit(self, guard: &Guard) -> Result<(), Error> {
        let mut journal = self.plan(guard)?;
        let mut hooks = Hooks::from_env();
        signals().phase = Phase::Committing;
        let result = self.run(&mut journal, &mut hooks);
        signals().phase = Phase::After;
        result
    }

    /// [`Transaction::commit`] after the plan.
    fn run(&self, j: &mut Journal, hooks: &mut Hooks) -> Result<(), Error> {
        // Rolls back; `e` gets what the roll back could not put right (then the journal
        // stays for `alkit recover`).
        let undo = |j: &Journal, e: Error| -> Error {
            let mut r = Recovered::default();
            roll_back(j, &mut r);
            let problems = not_as_planned(j, false);
            if problems.is_empty() {
                remove_journal(j);
                return e;
            }
            if e.is::<Interrupted>() {
                format!(
                    "interrupted; the roll back did not finish: {}",
                    unfinished(&problems)
                )
                .into()
            } else {
                format!(
                    "{e}; the roll back did not finish: {}",
                    unfinished(&problems)
                )
                .into()
            }
        };
        hooks.action(j.state);
        write_journal(j)?;
        // --- Stage ---
        if let Err(e) = self.stage(j, hooks) {
            return Err(undo(j, e));
        }
        if interrupted() {
            return Err(undo(
                j,
                Box::new(Interrupted(
                    "interrupted while staging; the staged output was removed and nothing was changed"
                        .into(),
                )),
            ));
        }
        // --- Swap ---
        j.state = State::Swapping;
        hooks.action(j.state);
        if let Err(e) = write_journal(j) {
            j.state = State::Staging;
            return Err(undo(j, e));
        }
        if let Err(e) = swap(j, hooks) {
            return Err(undo(j, e));
        }
        // --- Finish ---
        j.state = State::Swapped;
        hooks.action(j.state);
        // The swaps are done: should the journal not be updated, `recover` would roll
        // back, which is right too; the error is reported.
        if let Err(e) = write_journal(j) {
            return Err(undo(j, e));
        }
        for f in &j.files {
            if present(&f.backup) {
                hooks.action(j.state);
                let _ = std::fs::remove_file(&f.backup);
            }
        }
        hooks.action(j.state);
        remove_journal(j);
        Ok(())
    }

    /// Stages every output: each new folder written in full to its staging folder, each
    /// changed file to its staged file (with the original's permissions).
    fn stage(&self, j: &Journal, hooks: &mut Hooks) -> Result<(), Error> {
        for c in &j.created {
            std::fs::create_dir_all(c).map_err(|e| format!("{}: {e}", c.display()))?;
        }
        for ((_, files), op) in self.dirs.iter().zip(&j.dirs) {
            hooks.action(j.state);
            if interrupted() {
                return Ok(());
            }
            if op.staging.exists() {
                std::fs::remove_dir_all(&op.staging)?;
            }
            write_tree(&op.staging, files)?;
        }
        let writes = self.writes.iter().zip(&j.files);
        for ((_, bytes), op) in writes {
            let Some(t) = &op.staged else { continue };
            hooks.action(j.state);
            if interrupted() {
                return Ok(());
            }
            std::fs::write(t, bytes.as_slice()).map_err(|e| format!("{}: {e}", t.display()))?;
            #[cfg(unix)]
            if let Ok(m) = std::fs::metadata(&op.target) {
                std::fs::set_permissions(t, m.permissions())?;
            }
        }
        Ok(())
    }
}

/// The swaps, in the journal's order; stops at the first failure or on an interrupt.
fn swap(j: &Journal, hooks: &mut Hooks) -> Result<(), Error> {
    let stop = || -> Error {
        Box::new(Interrupted(
            "interrupted while swapping; rolled back: every original is back and nothing was changed"
                .into(),
        ))
    };
    for d in &j.dirs {
        if interrupted() {
            return Err(stop());
        }
        hooks.step(&d.target)?;
        hooks.action(j.state);
        if d.existed {
            std::fs::remove_dir(&d.target).map_err(|e| format!("{}: {e}", d.target.display()))?;
        }
        std::fs::rename(&d.staging, &d.target)
            .map_err(|e| format!("{}: {e}", d.target.display()))?;
    }
    for f in &j.files {
        if interrupted() {
            return Err(stop());
        }
        hooks.step(&f.target)?;
        if f.existed {
            hooks.action(j.state);
            std::fs::rename(&f.target, &f.backup)
                .map_err(|e| format!("{}: {e}", f.target.display()))?;
        }
        if let Some(s) = &f.staged {
            hooks.action(j.state);
            std::fs::rename(s, &f.target).map_err(|e| format!("{}: {e}", f.target.display()))?;
        }
    }
    // A signal during the last swap still rolls back: only a commit whose journal says
    // `swapped` is completed.
    if interrupted() {
        return Err(stop());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn leftover_names() {
        assert!(is_leftover_name(".app.json.alkit-new-123"));
        assert!(is_leftover_name(".x.al.alkit-old-9"));
        assert!(is_leftover_name(".loyalty.alkit-staging-42"));
        assert!(is_leftover_name(".alkit-AbC123.tmp"));
        assert!(is_leftover_name(JOURNAL));
        assert!(is_leftover_name(".alkit-extract-Xy12"));
        assert!(!is_leftover_name(LOCK));
        assert!(!is_leftover_name("app.json"));
        assert!(!is_leftover_name(".alkit-new-12"));
        assert!(!is_leftover_name(".x.alkit-new-"));
        assert!(!is_leftover_name(".x.alkit-new-1a"));
    }

    /// Whatever swaps were done (a step cut in half too), a roll back stopped after any
    /// number of its steps (a killed `alkit recover`), then run again in full, gives the old
    /// state: roll back is idempotent.
    #[test]
    fn a_roll_back_cut_short_then_run_again_gives_the_old_state() {
        let names = ["a.al", "b.al", "c.al", "new.json"];
        for (swapped, half) in (0..=names.len()).flat_map(|s| [(s, false), (s, true)]) {
            for cut in 0..=names.len() {
                let t = tempfile::tempdir().unwrap();
                let root = std::fs::canonicalize(t.path()).unwrap();
                let mut files = Vec::new();
                for n in names {
                    let target = root.join(n);
                    let existed = n != "new.json";
                    if existed {
                        std::fs::write(&target, format!("old {n}")).unwrap();
                    }
                    let staged = sibling(&target, "new").unwrap();
                    std::fs::write(&staged, format!("new {n}")).unwrap();
                    files.push(FileOp {
                        backup: sibling(&target, "old").unwrap(),
                        staged: Some(staged),
                        existed,
                        target,
                    });
                }
                // The first `swapped` files swapped, as `swap` does.
                for f in files.iter().take(swapped) {
                    if f.existed {
                        std::fs::rename(&f.target, &f.backup).unwrap();
                    }
                    std::fs::rename(f.staged.as_ref().unwrap(), &f.target).unwrap();
                }
                // Killed inside the next step: the original set aside, the new file not yet
                // in place.
                if let Some(f) = files.get(swapped).filter(|f| half && f.existed) {
                    std::fs::rename(&f.target, &f.backup).unwrap();
                }
                let j = Journal {
                    format: FORMAT.into(),
                    pid: 1,
                    state: State::Swapping,
                    roots: vec![root.clone()],
                    dirs: Vec::new(),
                    files,
                    created: Vec::new(),
                };
                // Cut short: only the last `cut` files rolled back (it goes last first).
                let mut part = j.clone();
                part.files = j.files[j.files.len() - cut..].to_vec();
                roll_back(&part, &mut Recovered::default());
                roll_back(&j, &mut Recovered::default());
                assert!(
                    not_as_planned(&j, false).is_empty(),
                    "{swapped} {half} {cut}"
                );
                let mut left: Vec<String> = std::fs::read_dir(&root)
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect();
                left.sort();
                assert_eq!(left, ["a.al", "b.al", "c.al"], "{swapped} {cut}");
                for n in ["a.al", "b.al", "c.al"] {
                    let text = std::fs::read_to_string(root.join(n)).unwrap();
                    assert_eq!(text, format!("old {n}"));
                }
            }
        }
    }

    #[test]
    fn resolve_goes_through_missing_folders() {
        let t = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(t.path()).unwrap();
        assert_eq!(
            resolve(&t.path().join("a/b/../c")).unwrap(),
            base.join("a/c")
        );
        assert_eq!(resolve(&t.path().join("./x")).unwrap(), base.join("x"));
        assert_eq!(
            resolve(&t.path().join("n/../m/x")).unwrap(),
            base.join("m/x")
        );
        assert_eq!(new_dir_root(&t.path().join("a/b")).unwrap(), base);
        std::fs::create_dir(t.path().join("e")).unwrap();
        assert_eq!(new_dir_root(&t.path().join("e")).unwrap(), base);
    }
}
