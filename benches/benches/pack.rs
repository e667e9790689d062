//! `alkit pack` writer vs `zip -6`: the same files, compressed by
//! `runtime_pack::build::build_package` (parallel deflate, level 6) and by the `zip` program
//! run as a subprocess in the same benchmark run. Prints, once, the best of three timed runs
//! of each, the speed ratio and the size difference in % (targets: ≥ 3× faster, ≤ 2 % larger).
//!
//! Input: `$ALKIT_PACK_DIR`, else `$ALKIT_CORPUS` itself when it is the BaseApp folder
//! (e.g. `ALKIT_CORPUS=/work/corpus/bcapps/src/Layers/W1/BaseApp`), else
//! `$ALKIT_CORPUS/BaseApp` when it exists, else `examples/`.
//! `$ALKIT_PACK_LEVEL` sets the deflate level of `build_package` (default 6, as `alkit pack`).
//! End to end through the CLI: with `$ALKIT_BIN` (a built `alkit`, e.g.
//! `target/release/alkit`) and an input folder holding app.json, also `alkit pack DIR`
//! (read, parse, symbols, package, write) against `zip -6` of the same folder, best of three
//! wall times each, printed once (target: ≥ 3×).
//! Run: `cargo bench -p alkit-benches --bench pack`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use runtime_pack::build::{BuildEntry, BuildOptions, build_package};

fn input_dir() -> PathBuf {
    if let Ok(d) = std::env::var("ALKIT_PACK_DIR") {
        return PathBuf::from(d);
    }
    if let Ok(c) = std::env::var("ALKIT_CORPUS") {
        let here = Path::new(&c);
        if here.file_name().is_some_and(|n| n == "BaseApp") && here.is_dir() {
            return here.to_path_buf();
        }
        let base = here.join("BaseApp");
        if base.is_dir() {
            return base;
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn collect(root: &Path, rel: &str, out: &mut Vec<BuildEntry>) {
    let Ok(rd) = std::fs::read_dir(root.join(rel)) else {
        return;
    };
    let mut items: Vec<_> = rd.filter_map(Result::ok).collect();
    items.sort_by_key(|e| e.file_name());
    for e in items {
        let Some(name) = e.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let child = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() && !name.starts_with('.') {
            collect(root, &child, out);
        } else if ft.is_file()
            && let Ok(data) = std::fs::read(e.path())
        {
            out.push(BuildEntry::new(format!("src/{child}"), data));
        }
    }
}

fn zip_available() -> bool {
    Command::new("zip")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn run_zip(dir: &Path, out: &Path) -> u64 {
    let _ = std::fs::remove_file(out);
    let status = Command::new("zip")
        .args(["-6", "-q", "-r", "-X", "-D"])
        .arg(out)
        .arg(".")
        .current_dir(dir)
        .status();
    assert!(status.is_ok_and(|s| s.success()), "zip failed");
    std::fs::metadata(out).map(|m| m.len()).unwrap_or(0)
}

/// CPU seconds used so far by this process and by its waited-for children (Linux
/// `/proc/self/stat`, clock ticks taken as 1/100 s); `None` elsewhere.
fn cpu_seconds() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime is field 14 overall.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(4)
        .filter_map(|x| x.parse().ok())
        .collect();
    match f.as_slice() {
        [ut, st, cut, cst] => Some(((ut + st) / 100.0, (cut + cst) / 100.0)),
        _ => None,
    }
}

/// `alkit pack DIR` (the binary `$ALKIT_BIN`) against `zip -6 -r` of DIR: best of three
/// wall times, sizes, ratio. Prints why it is skipped when it cannot run.
fn end_to_end(dir: &Path, zip_out: &Path) {
    let Some(bin) = std::env::var_os("ALKIT_BIN") else {
        eprintln!("  end to end: skipped (set ALKIT_BIN to a built alkit binary)");
        return;
    };
    if !dir.join("app.json").is_file() {
        eprintln!(
            "  end to end: skipped ({} holds no app.json)",
            dir.display()
        );
        return;
    }
    let app = std::env::temp_dir().join(format!("alkit-bench-pack-{}.app", std::process::id()));
    let run = || {
        let status = Command::new(&bin)
            .arg("pack")
            .arg(dir)
            .arg("--out")
            .arg(&app)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        assert!(status.is_ok_and(|s| s.success()), "alkit pack failed");
    };
    let t_alkit = best_of(3, run);
    let t_zip = best_of(3, || {
        run_zip(dir, zip_out);
    });
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "  end to end: alkit pack {:.1} ms ({} bytes, the whole package), zip -6 -r {:.1} ms ({} bytes, the folder): {:.2}x",
        t_alkit.as_secs_f64() * 1e3,
        size(&app),
        t_zip.as_secs_f64() * 1e3,
        size(zip_out),
        t_zip.as_secs_f64() / t_alkit.as_secs_f64().max(1e-9)
    );
    let _ = std::fs::remove_file(&app);
}

/// The shortest of `n` timed runs of `f`.
fn best_of(n: usize, mut f: impl FnMut()) -> Duration {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let dir = input_dir();
    let mut entries = Vec::new();
    collect(&dir, "", &mut entries);
    let bytes: u64 = entries.iter().map(|e| e.data.len() as u64).sum();
    // `ALKIT_PACK_LEVEL` overrides the deflate level (default 6, what `alkit pack` uses).
    let options = BuildOptions {
        level: std::env::var("ALKIT_PACK_LEVEL")
            .ok()
            .and_then(|l| l.parse().ok())
            .unwrap_or(BuildOptions::default().level),
        ..BuildOptions::default()
    };
    let ours = build_package(entries.clone(), &options).map_or(0, |v| v.len());
    let out = std::env::temp_dir().join(format!("alkit-bench-pack-{}.zip", std::process::id()));
    let has_zip = zip_available();
    if has_zip {
        let theirs = run_zip(&dir, &out);
        // Inputs cloned before timing: only `build_package` is measured.
        let mut inputs: Vec<_> = (0..3).map(|_| entries.clone()).collect();
        let c0 = cpu_seconds();
        let t_ours = best_of(3, || {
            let input = inputs.pop().unwrap_or_default();
            black_box(build_package(input, &options)).ok();
        });
        let c1 = cpu_seconds();
        let t_zip = best_of(3, || {
            run_zip(&dir, &out);
        });
        let c2 = cpu_seconds();
        if let (Some(c0), Some(c1), Some(c2)) = (c0, c1, c2) {
            eprintln!(
                "  CPU time per run (load-independent): alkit {:.2} s, zip {:.2} s, ratio {:.2}",
                (c1.0 - c0.0) / 3.0,
                (c2.1 - c1.1) / 3.0,
                (c2.1 - c1.1) / (c1.0 - c0.0).max(1e-9)
            );
        }
        eprintln!(
            "pack input {}: {} files, {bytes} bytes\n  alkit build_package (level {}): {:.1} ms, {ours} bytes\n  zip -6 -r -q:        {:.1} ms, {theirs} bytes\n  speed ratio {:.2}x, size difference {:+.2} %",
            dir.display(),
            entries.len(),
            options.level,
            t_ours.as_secs_f64() * 1e3,
            t_zip.as_secs_f64() * 1e3,
            t_zip.as_secs_f64() / t_ours.as_secs_f64().max(1e-9),
            (ours as f64 / theirs.max(1) as f64 - 1.0) * 100.0
        );
    }
    if has_zip {
        end_to_end(&dir, &out);
    }
    let mut g = c.benchmark_group("pack");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    g.bench_function("alkit build_package", |b| {
        b.iter_batched(
            || entries.clone(),
            |e| black_box(build_package(e, &options)),
            BatchSize::LargeInput,
        )
    });
    if has_zip {
        g.bench_function("zip -6 (subprocess)", |b| b.iter(|| run_zip(&dir, &out)));
    }
    g.finish();
    let _ = std::fs::remove_file(&out);
}

criterion_group!(benches, bench);
criterion_main!(benches);
