//! Manifest hot paths: app.json parse, NavxManifest.xml write and read.
//!
//! Pipelines read manifests of hundreds of apps per run (BcContainerHelper caches manifest
//! reads for that reason), so these are measured per document.
//! Run: `cargo bench -p alkit-benches --bench manifest`.

use std::hint::black_box;

use al_manifest::{
    AppManifest, AppVersion, Dependency, DependencyGraph, GraphOptions, NavxManifest, Uuid,
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const APP_JSON: &str = include_str!("../../examples/loyalty/app.json");
const DEPENDENT_APP_JSON: &str = include_str!("../../examples/loyalty-rewards/app.json");

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("manifest");
    g.throughput(Throughput::Bytes(APP_JSON.len() as u64));
    g.bench_function("app.json parse", |b| {
        b.iter(|| AppManifest::from_json_str(black_box(APP_JSON)))
    });
    let m = AppManifest::from_json_str(DEPENDENT_APP_JSON).expect("example app.json parses");
    g.bench_function("NavxManifest.xml write", |b| {
        b.iter(|| black_box(&m).to_navx().to_xml())
    });
    let xml = m.to_navx().to_xml();
    g.throughput(Throughput::Bytes(xml.len() as u64));
    g.bench_function("NavxManifest.xml read", |b| {
        b.iter(|| NavxManifest::from_xml(black_box(&xml)))
    });
    g.finish();

    // A layered DAG like a large partner repository: 2,000 apps, each depending on up to
    // four apps of earlier layers.
    let apps = layered_apps(2_000);
    let mut g = c.benchmark_group("deps");
    g.throughput(Throughput::Elements(apps.len() as u64));
    g.bench_function("sort 2000 apps", |b| {
        b.iter(|| {
            let graph = DependencyGraph::new(black_box(apps.clone()));
            graph.sort(&GraphOptions::default()).map(|s| s.order.len())
        })
    });
    g.finish();
}

fn layered_apps(n: u128) -> Vec<AppManifest> {
    (0..n)
        .map(|i| AppManifest {
            id: Uuid::from_u128(i + 1),
            name: format!("App {i:05}"),
            publisher: "Bench".into(),
            version: AppVersion::new(1, 0, 0, 0),
            dependencies: (1..=4u128)
                .filter_map(|k| i.checked_sub(k * 7 + i % 5))
                .map(|d| {
                    Dependency::new(
                        Uuid::from_u128(d + 1),
                        &format!("App {d:05}"),
                        "Bench",
                        AppVersion::new(1, 0, 0, 0),
                    )
                })
                .collect(),
            ..AppManifest::default()
        })
        .collect()
}

criterion_group!(benches, bench);
criterion_main!(benches);
