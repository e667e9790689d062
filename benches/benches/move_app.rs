//! The renumbering hot path: moving an app to a new ID range with an affix, every
//! reference rewritten and the files written.
//!
//! Input: the Base Application folder (every `.al` file below it, 8,141, the module
//! projects under `Modules/` included; System Application and Business Foundation, each
//! read whole, as dependency sources) from a microsoft/BCApps checkout named by
//! `$ALKIT_BCAPPS`, else the bundled example `examples/loyalty`. Measured side by side in
//! the same run:
//! * `alkit move`: [`scope_rules::move_engine::move_app`] (parse, plan, index, resolve,
//!   edits, old names, the proof of the edits — or the re-parse when it fails — and the
//!   side-by-side check) plus writing every file;
//! * the declaration-only baseline: what renumbering peers (AL Toolbox, CRS) do — a
//!   regex-style rewrite of each object header's ID, no references, no names — over the
//!   same files, also written. It is faster because it does far less, and leaves every
//!   reference by number and every name unchanged.
//!
//! Before the criterion group a direct timing prints the phases and peak memory.
//! The process runs with `alkit`'s allocator (jemalloc), as `alkit move` does.
//! Run: `ALKIT_BCAPPS=/path/to/BCApps cargo bench -p alkit-benches --bench move_app`.

/// The allocator `alkit` itself runs with (see alkit/src/main.rs).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use al_parser::symbols::{AppInfo, ParsedApp, SourceText};
use criterion::{Criterion, criterion_group, criterion_main};
use scope_rules::Scope;
use scope_rules::move_engine::{Dependencies, MoveOptions, ProjectFile, move_app};

fn project(dir: &Path) -> Vec<ProjectFile> {
    let mut files: Vec<ProjectFile> = alkit_benches::al_files(dir)
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            let rel = p.strip_prefix(dir).ok()?.display().to_string();
            Some(ProjectFile::new(rel, bytes))
        })
        .collect();
    if let Ok(b) = std::fs::read(dir.join("app.json")) {
        files.push(ProjectFile::new("app.json", b));
    }
    files
}

fn sources(dir: &Path) -> Vec<SourceText> {
    project(dir)
        .into_iter()
        .filter(|f| f.path.ends_with(".al"))
        .map(|f| SourceText::new(f.path, f.bytes))
        .collect()
}

fn inputs() -> (Vec<ProjectFile>, Vec<(String, Vec<SourceText>)>) {
    match std::env::var_os("ALKIT_BCAPPS")
        .map(PathBuf::from)
        .filter(|p| p.join("src").is_dir())
    {
        Some(root) => {
            let src = root.join("src");
            (
                project(&src.join("Layers/W1/BaseApp")),
                vec![
                    (
                        src.join("System Application/App").display().to_string(),
                        sources(&src.join("System Application/App")),
                    ),
                    (
                        src.join("Business Foundation/App").display().to_string(),
                        sources(&src.join("Business Foundation/App")),
                    ),
                ],
            )
        }
        None => (
            project(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/loyalty")),
            Vec::new(),
        ),
    }
}

fn options() -> MoveOptions {
    let mut o = MoveOptions::to(Scope::APPSOURCE, "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0");
    o.ranges = vec![scope_rules::IdRange::new(70_000_000, 74_999_999)];
    o.affix = Some("ALK".into());
    o.allow_unresolved = true;
    o
}

/// The dependency's identity from its app.json (the moved app's dependencies are matched
/// by id), else just its name.
fn info_of(dir: &str) -> AppInfo {
    al_manifest::load_project(Path::new(dir))
        .map(|m| scope_rules::move_engine::app_info(&m))
        .unwrap_or_else(|_| AppInfo::named(dir))
}

fn deps(d: &[(String, Vec<SourceText>)]) -> Dependencies {
    Dependencies {
        sources: d
            .iter()
            .map(|(n, f)| ParsedApp::parse(info_of(n), f.clone()))
            .collect(),
        packages: Vec::new(),
    }
}

/// Writes every file as `alkit move` does: folders first, then the files in parallel.
fn write_all(out: &Path, files: &[ProjectFile]) {
    use rayon::prelude::*;
    let paths: Vec<PathBuf> = files.iter().map(|f| out.join(&f.path)).collect();
    let dirs: std::collections::BTreeSet<&Path> = paths.iter().filter_map(|p| p.parent()).collect();
    for d in dirs {
        let _ = std::fs::create_dir_all(d);
    }
    paths.par_iter().zip(files.par_iter()).for_each(|(p, f)| {
        let _ = std::fs::write(p, f.bytes.as_slice());
    });
}

/// The declaration-only renumber of the peers: each object header's ID gets the next
/// number of the range; nothing else changes.
fn header_renumber(files: &[ProjectFile]) -> Vec<ProjectFile> {
    const KINDS: &[&str] = &[
        "table ",
        "tableextension ",
        "page ",
        "pageextension ",
        "codeunit ",
        "report ",
        "reportextension ",
        "query ",
        "xmlport ",
        "enum ",
        "enumextension ",
        "permissionset ",
        "permissionsetextension ",
    ];
    let mut next = 70_000_000u32;
    files
        .iter()
        .map(|f| {
            let text = String::from_utf8_lossy(&f.bytes);
            let mut out = String::with_capacity(text.len());
            for line in text.split_inclusive('\n') {
                let lower = line.to_ascii_lowercase();
                let hit = KINDS.iter().find(|k| lower.starts_with(*k));
                match hit {
                    Some(k) => {
                        let rest = &line[k.len()..];
                        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                        if digits > 0 {
                            out.push_str(&line[..k.len()]);
                            out.push_str(&next.to_string());
                            out.push_str(&rest[digits..]);
                            next += 1;
                        } else {
                            out.push_str(line);
                        }
                    }
                    None => out.push_str(line),
                }
            }
            ProjectFile::new(f.path.clone(), out.into_bytes())
        })
        .collect()
}

/// CPU time (user + system, every thread) of this process so far, in seconds
/// (/proc/self/stat, Linux; clock ticks of 10 ms).
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name (which is in parentheses).
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = |i: usize| f.get(i)?.parse::<f64>().ok();
            Some((ticks(11)? + ticks(12)?) / 100.0)
        })
        .unwrap_or(0.0)
}

fn peak_rss_mb() -> Option<f64> {
    rss_mb("VmHWM:")
}

/// A memory figure of this process from /proc/self/status (Linux), in MB.
fn rss_mb(field: &str) -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let l = s.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = l.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn bench(c: &mut Criterion) {
    let (app, dep_src) = inputs();
    let tmp = std::env::temp_dir().join(format!("alkit-move-bench-{}", std::process::id()));
    let t0 = Instant::now();
    let d = deps(&dep_src);
    let t_deps = t0.elapsed();
    let t1 = Instant::now();
    let mut stages: Vec<(String, std::time::Duration, f64, f64)> = Vec::new();
    let moved = move_app(&app, &d, &[], &options(), &mut |s, _, _| {
        stages.push((
            s.to_string(),
            t1.elapsed(),
            cpu_seconds(),
            rss_mb("VmRSS:").unwrap_or(0.0),
        ));
    });
    let t_move = t1.elapsed();
    let durations: Vec<String> = stages
        .windows(2)
        .filter_map(|w| match w {
            [(name, start, cpu0, _), (_, end, cpu1, rss)] => Some(format!(
                "{name} {:.2?} (CPU {:.2} s, RSS after {rss:.0} MB)",
                *end - *start,
                cpu1 - cpu0
            )),
            _ => None,
        })
        .collect();
    eprintln!("move_app stages: {}", durations.join(", "));
    if let Ok(m) = &moved {
        eprintln!("verification: {:?}", m.report.verification);
    }
    let t2 = Instant::now();
    if let Ok(m) = &moved {
        write_all(&tmp.join("direct"), &m.files);
    }
    let t_write = t2.elapsed();
    match &moved {
        Ok(m) => eprintln!(
            "move_app: {} files, {} renumbered, {} renamed, {} edits; dependency parse {:.2?}, move {:.2?}, write {:.2?}, total {:.2?}; peak RSS {:.0} MB",
            app.len(),
            m.report.renumbered.len(),
            m.report.renamed.len(),
            m.report.edits,
            t_deps,
            t_move,
            t_write,
            t_deps + t_move + t_write,
            peak_rss_mb().unwrap_or(0.0)
        ),
        Err(e) => eprintln!("move_app failed: {e}"),
    }
    // The direct run's outcome (the moved files) is not kept through the timed loop.
    drop(moved);
    let mut g = c.benchmark_group("move");
    g.sample_size(10);
    g.bench_function("alkit move_app + write (deps parsed)", |b| {
        b.iter(|| {
            let m = move_app(black_box(&app), &d, &[], &options(), &mut |_, _, _| {});
            if let Ok(m) = m {
                write_all(&tmp.join("alkit"), &m.files);
            }
        })
    });
    g.bench_function("peer baseline: header-only renumber + write", |b| {
        b.iter(|| write_all(&tmp.join("peer"), &header_renumber(black_box(&app))))
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&tmp);
}

criterion_group!(benches, bench);
criterion_main!(benches);
