//! Progress bars for long runs (the move's stages, downloads, `parse` over a corpus): drawn on stderr only
//! when it is a terminal, never with `--quiet` or when a command prints JSON, so scripts,
//! pipes and CI logs see no control sequences.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static QUIET: AtomicBool = AtomicBool::new(false);

/// Records `--quiet` (called once, by `main`).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether progress may be drawn: stderr is a terminal, no `--quiet`, and the command's
/// output is not JSON.
pub fn enabled(json: bool) -> bool {
    !json && !QUIET.load(Ordering::Relaxed) && std::io::stderr().is_terminal()
}

/// A bar of `len` steps (`{spinner} {msg} [bar] pos/len`), hidden unless [`enabled`].
pub fn bar(len: u64, json: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
    if enabled(json) {
        bar.set_draw_target(ProgressDrawTarget::stderr());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:20}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
