//! Manifest hot paths: app.json parse, NavxManifest.xml write and read.
//!
//! Pipelines read manifests of hundreds of apps per run (BcContainerHelper caches manifest
//! reads for that reason), so these are measured per document.
//! Run: `cargo bench -p alkit-benches --bench manifest`.

use std::hint::black_box;

use al_manifest::{AppManifest, NavxManifest};
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
}

criterion_group!(benches, bench);
criterion_main!(benches);
