//! Output helpers shared by subcommands: printing, atomic file writes and JSON rendering.
//!
//! Every line alkit prints goes through [`outln!`]/[`out!`] (stdout) or [`errln!`]
//! (stderr), never `println!`/`eprintln!` (which panic when the reader has gone, as in
//! `alkit side-by-side A B | head -1`; the crate denies them). A stream whose reader has
//! gone (broken pipe) is closed for the rest of the run: nothing more is written to it and
//! the command carries on to its end and its exit code, so `alkit runtime … | true` still
//! writes its package. Any other write error on stdout (a full disk behind `>`) is kept
//! and, once the command has run, reported by `main` ([`stdout_failure`]) with exit code 2.
//!
//! Every file alkit writes goes through [`write_atomic`]: the bytes are written to a
//! temporary file in the target's directory, flushed, and renamed over the target, so a
//! reader never sees a half-written file and a failure leaves the old file untouched.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once stdout's reader has gone: later writes are dropped.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
/// Set once stderr's reader has gone: later writes are dropped.
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);
/// The first error writing to stdout other than a broken pipe.
static STDOUT_FAILURE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Writes `args` to stdout (see the module doc): a broken pipe closes stdout for the rest
/// of the run; another write error is kept for [`stdout_failure`] and closes it too.
pub fn write_stdout(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = write_to(&mut out, &STDOUT_CLOSED, args) {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
        if let Ok(mut f) = STDOUT_FAILURE.lock() {
            f.get_or_insert_with(|| e.to_string());
        }
    }
}

/// Why writing to stdout failed during the run (a broken pipe is no failure).
pub fn stdout_failure() -> Option<String> {
    STDOUT_FAILURE.lock().ok().and_then(|f| f.clone())
}

/// Writes `args` to stderr; a failure is dropped (there is nowhere left to report it).
pub fn write_stderr(args: std::fmt::Arguments<'_>) {
    let _ = write_to(&mut std::io::stderr().lock(), &STDERR_CLOSED, args);
}

fn write_to(
    w: &mut impl Write,
    closed: &AtomicBool,
    args: std::fmt::Arguments<'_>,
) -> std::io::Result<()> {
    if closed.load(Ordering::Relaxed) {
        return Ok(());
    }
    // Flushed at once, so a failure is seen here, not at exit (where it would be lost).
    match w.write_fmt(args).and_then(|()| w.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            closed.store(true, Ordering::Relaxed);
            Ok(())
        }
        r => r,
    }
}

/// `print!` for alkit: writes to stdout through [`write_stdout`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!($($arg)*))
    };
}

/// `println!` for alkit: like [`out!`], with a newline.
macro_rules! outln {
    () => {
        $crate::output::write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` for alkit: writes a line to stderr; never panics, never fails.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::output::write_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Writes `bytes` to `path` atomically (temporary file in the same directory + rename).
/// Refused when `path` lies in (or below) a folder an interrupted alkit run left a journal
/// in ([`crate::stage::refuse_interrupted`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::stage::refuse_interrupted(path).map_err(|e| std::io::Error::other(e.to_string()))?;
    write_atomic_unchecked(path, bytes)
}

/// [`write_atomic`] without the check for an interrupted run (the journal's own writes).
pub fn write_atomic_unchecked(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".alkit-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // Temporary files are created owner-only; give the result the target's existing
    // permissions, or the usual 0644 for a new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode())
            .unwrap_or(0o644);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// How many syntax errors of one file are printed; the rest are counted. A file of
/// garbage has millions, and all of them printed came to twenty times its size.
pub const ERRORS_PER_FILE: usize = 20;

/// The line that follows a file's first [`ERRORS_PER_FILE`] errors when it has `total`,
/// more than that.
pub fn more_errors(file: &str, total: usize) -> Option<String> {
    (total > ERRORS_PER_FILE).then(|| {
        format!(
            "{file}: {} more syntax error(s) not shown (only the first {ERRORS_PER_FILE} of a \
             file are; fix those first, they often cause the rest)",
            total - ERRORS_PER_FILE
        )
    })
}

/// `items` as lines (`show`), at most [`ERRORS_PER_FILE`] of each `file`, in their order;
/// each file that had more gets a [`more_errors`] line after its last one shown.
pub fn capped_per_file<T>(
    items: &[T],
    file: impl Fn(&T) -> String,
    show: impl Fn(&T) -> String,
) -> Vec<String> {
    use std::collections::HashMap;
    let mut total: HashMap<String, usize> = HashMap::new();
    for x in items {
        *total.entry(file(x)).or_default() += 1;
    }
    let mut shown: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for x in items {
        let f = file(x);
        let all = total.get(&f).copied().unwrap_or(0);
        let n = shown.entry(f).or_default();
        *n += 1;
        if *n <= ERRORS_PER_FILE {
            out.push(show(x));
        }
        if *n == ERRORS_PER_FILE
            && let Some(more) = more_errors(&file(x), all)
        {
            out.push(more);
        }
    }
    out
}

/// Renders a serializable value as pretty JSON followed by a newline.
pub fn to_json_pretty<T: serde::Serialize>(value: &T) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string_pretty(value)?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_content_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        std::fs::write(&target, b"old").unwrap();
        write_atomic(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.txt")]);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_0644_and_existing_files_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("fresh.app");
        write_atomic(&fresh, b"x").unwrap();
        let mode = std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
        let kept = dir.path().join("kept.json");
        std::fs::write(&kept, b"old").unwrap();
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&kept, b"new").unwrap();
        let mode = std::fs::metadata(&kept).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[test]
    fn a_broken_pipe_closes_the_stream_other_errors_are_returned() {
        struct Gone(usize);
        impl Write for Gone {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                self.0 += 1;
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let closed = AtomicBool::new(false);
        let mut w = Gone(0);
        write_to(&mut w, &closed, format_args!("a")).unwrap();
        write_to(&mut w, &closed, format_args!("b")).unwrap();
        assert!(closed.load(Ordering::Relaxed));
        assert_eq!(w.0, 1, "nothing is written after the reader has gone");
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::StorageFull.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let open = AtomicBool::new(false);
        assert!(write_to(&mut Full, &open, format_args!("a")).is_err());
    }

    #[test]
    fn errors_are_capped_per_file() {
        let items: Vec<(&str, usize)> = (0..ERRORS_PER_FILE + 5)
            .map(|i| ("a.al", i))
            .chain([("b.al", 0)])
            .collect();
        let lines = capped_per_file(&items, |x| x.0.to_string(), |x| format!("{}:{}", x.0, x.1));
        assert_eq!(lines.len(), ERRORS_PER_FILE + 2);
        assert!(
            lines[ERRORS_PER_FILE].starts_with("a.al: 5 more syntax error(s) not shown"),
            "{lines:?}"
        );
        assert_eq!(lines[ERRORS_PER_FILE + 1], "b.al:0");
        assert!(more_errors("x", ERRORS_PER_FILE).is_none());
    }

    #[test]
    fn atomic_write_into_missing_directory_fails_without_creating_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing").join("out.txt");
        assert!(write_atomic(&target, b"x").is_err());
        assert!(!dir.path().join("missing").exists());
    }
}
