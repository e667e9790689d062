//! Symbol index + reference resolution throughput.
//!
//! Input: Base Application with its dependencies (System Application, Business Foundation)
//! from a microsoft/BCApps checkout named by `$ALKIT_BCAPPS` (the folder holding `src/`),
//! else the bundled examples (`examples/loyalty-rewards` on `examples/loyalty`).
//! Before the criterion group, a direct timing prints parse / index + resolve / total.
//! Measured: `parse_index_resolve` (parsing every branch configuration, indexing and
//! resolving) and `index_resolve` (indexing and resolving parsed apps); not measured: the
//! copy of the input files each iteration consumes, and dropping the result.
//! Run: `ALKIT_BCAPPS=/path/to/BCApps cargo bench -p alkit-benches --bench resolve`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use al_parser::resolve::Workspace;
use al_parser::symbols::{AppInfo, ParsedApp, SourceText};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

fn read_app(dir: &Path) -> Vec<SourceText> {
    alkit_benches::al_files(dir)
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            Some(SourceText::new(p.display().to_string(), bytes))
        })
        .collect()
}

/// (root app, dependency apps), each as (name, files).
fn inputs() -> (Vec<SourceText>, Vec<(String, Vec<SourceText>)>) {
    let bcapps = std::env::var_os("ALKIT_BCAPPS")
        .map(PathBuf::from)
        .filter(|p| p.join("src").is_dir());
    match bcapps {
        Some(root) => {
            let src = root.join("src");
            let base = read_app(&src.join("Layers/W1/BaseApp"));
            let deps = vec![
                (
                    "System Application".to_string(),
                    read_app(&src.join("System Application/App")),
                ),
                (
                    "Business Foundation".to_string(),
                    read_app(&src.join("Business Foundation/App")),
                ),
            ];
            (base, deps)
        }
        None => {
            let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
            (
                read_app(&ex.join("loyalty-rewards")),
                vec![(
                    "Customer Loyalty".to_string(),
                    read_app(&ex.join("loyalty")),
                )],
            )
        }
    }
}

type Inputs = (Vec<SourceText>, Vec<(String, Vec<SourceText>)>);

fn pipeline((root, deps): Inputs) -> Workspace {
    let r = ParsedApp::parse(AppInfo::named("root"), root);
    let d = deps
        .into_iter()
        .map(|(n, f)| ParsedApp::parse(AppInfo::named(&n), f))
        .collect();
    Workspace::new(vec![r], d, Vec::new())
}

fn bench(c: &mut Criterion) {
    let (root, deps) = inputs();
    let files = root.len() + deps.iter().map(|d| d.1.len()).sum::<usize>();
    let bytes: usize = root
        .iter()
        .chain(deps.iter().flat_map(|d| d.1.iter()))
        .map(|f| f.bytes.len())
        .sum();
    // Direct timing of the phases (the input copy is made before the clock starts).
    let (root_copy, deps_copy) = (root.clone(), deps.clone());
    let t0 = Instant::now();
    let r = ParsedApp::parse(AppInfo::named("root"), root_copy);
    let d: Vec<ParsedApp> = deps_copy
        .into_iter()
        .map(|(n, f)| ParsedApp::parse(AppInfo::named(&n), f))
        .collect();
    let parse_s = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let ws = Workspace::new(vec![r], d, Vec::new());
    let resolve_s = t1.elapsed().as_secs_f64();
    println!(
        "resolve: {files} files, {:.1} MB, {} threads: parse (all branches) {parse_s:.3}s, index + resolve {resolve_s:.3}s, total {:.3}s, {} references",
        bytes as f64 / 1e6,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        parse_s + resolve_s,
        ws.references(0).len()
    );
    drop(ws);
    let mut g = c.benchmark_group("resolve");
    g.sample_size(10);
    g.bench_function("parse_index_resolve", |b| {
        b.iter_batched(
            || (root.clone(), deps.clone()),
            |input| black_box(pipeline(input)),
            BatchSize::PerIteration,
        )
    });
    // Index + resolve alone: the inputs are parsed in the (unmeasured) setup.
    g.bench_function("index_resolve", |b| {
        b.iter_batched(
            || {
                let (root, deps) = (root.clone(), deps.clone());
                (
                    ParsedApp::parse(AppInfo::named("root"), root),
                    deps.into_iter()
                        .map(|(n, f)| ParsedApp::parse(AppInfo::named(&n), f))
                        .collect::<Vec<_>>(),
                )
            },
            |(r, d)| black_box(Workspace::new(vec![r], d, Vec::new())),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
