//! Criterion benchmarks for alkit's hot paths live in `benches/`; this library only
//! holds helpers shared between them (corpus discovery).

use std::path::{Path, PathBuf};

/// The corpus root used by benchmarks that run on real AL: `$ALKIT_CORPUS` when set.
/// Benchmarks that need it skip themselves (printing why) when it is absent.
pub fn corpus_root() -> Option<PathBuf> {
    std::env::var_os("ALKIT_CORPUS")
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
}

/// Collects every `.al` file (any case) below `dir`, sorted for determinism.
pub fn al_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("al")) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
