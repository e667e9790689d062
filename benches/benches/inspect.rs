//! What `alkit inspect` does with a ~2 MB package, minus printing: `LazyPackage::read` (NAVX
//! header, signature, checked ZIP directory, nothing inflated), inflating and parsing
//! `NavxManifest.xml`, inflating `SymbolReference.json` and listing its objects with
//! `SymbolSummary`. Target: < 5 ms. The eager `Package::read` (every entry inflated) and the
//! full `SymbolReference` model are timed alongside for comparison.
//!
//! Input: `$ALKIT_APP` (e.g. `/tmp/apps/Microsoft_System_24.0.17601.0.app`), else a synthetic
//! ~2 MB package built with `build_package` from generated AL (tables with fields and keys,
//! codeunits with procedures) and the symbol file `SymbolBuilder` makes for it.
//! Run: `cargo bench -p alkit-benches --bench inspect`.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use runtime_pack::build::{AppIdentity, BuildEntry, BuildOptions, SymbolBuilder, build_package};
use runtime_pack::{LazyPackage, NAVX_MANIFEST, Package, SYMBOL_REFERENCE, SymbolSummary};

/// Deterministic pseudo-random hex words, so the source does not compress to nothing.
struct Lcg(u64);

impl Lcg {
    fn word(&mut self) -> String {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        format!("{:08x}", self.0 >> 32)
    }
}

const MANIFEST: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<Package xmlns=\"http://schemas.microsoft.com/navx/2015/manifest\">\r\n  <App Id=\"8874ed3a-0643-4247-9ced-7a7002f7135d\" Name=\"Bench\" Publisher=\"Bench\" Brief=\"\" Description=\"\" Version=\"1.0.0.0\" CompatibilityId=\"0.0.0.0\" PrivacyStatement=\"\" EULA=\"\" Help=\"\" HelpBaseUrl=\"\" Url=\"\" Logo=\"\" Platform=\"24.0.0.0\" Application=\"24.0.0.0\" Runtime=\"13.0\" Target=\"Cloud\" ShowMyCode=\"True\" />\r\n  <IdRanges>\r\n    <IdRange MinObjectId=\"50000\" MaxObjectId=\"59999\" />\r\n  </IdRanges>\r\n  <Dependencies />\r\n  <InternalsVisibleTo />\r\n  <ScreenShots />\r\n  <SupportedLocales />\r\n  <Features />\r\n  <PreprocessorSymbols />\r\n  <SuppressWarnings />\r\n  <KeyVaultUrls />\r\n</Package>";

/// A synthetic package of about 2 MB.
fn synthetic() -> Vec<u8> {
    let mut rng = Lcg(42);
    let mut builder = SymbolBuilder::new(AppIdentity {
        app_id: runtime_pack::Uuid::from_u128(0x8874_ed3a_0643_4247_9ced_7a70_02f7_135d),
        name: "Bench".into(),
        publisher: "Bench".into(),
        version: "1.0.0.0".into(),
        runtime: Some((13, 0)),
        ..Default::default()
    });
    let mut entries = vec![BuildEntry::new(
        "NavxManifest.xml",
        MANIFEST.as_bytes().to_vec(),
    )];
    for i in 0..700u32 {
        let mut src = String::new();
        let _ = writeln!(
            src,
            "table {} \"T{i} {}\"\n{{\n    fields\n    {{",
            50000 + i,
            rng.word()
        );
        for f in 1..=30 {
            let _ = writeln!(
                src,
                "        field({f}; \"F{f} {} {}\"; Code[20]) {{ Caption = '{} {}'; }}",
                rng.word(),
                rng.word(),
                rng.word(),
                rng.word()
            );
        }
        src.push_str("    }\n    keys\n    {\n        key(PK; \"F1");
        let _ = writeln!(src, "\") {{ }}\n    }}\n}}");
        // Keep the key valid: name the first field exactly.
        let first = src
            .lines()
            .find(|l| l.contains("field(1;"))
            .and_then(|l| l.split('"').nth(1))
            .unwrap_or("F1")
            .to_owned();
        let src = src.replace("key(PK; \"F1\")", &format!("key(PK; \"{first}\")"));
        let mut cu = String::new();
        let _ = writeln!(cu, "codeunit {} \"C{i} {}\"\n{{", 50000 + i, rng.word());
        for p in 0..10 {
            let _ = writeln!(
                cu,
                "    procedure P{p}_{}(A: Integer; var B: Text[50]; C: Record \"T{i}\"): Decimal\n    begin\n        exit(A * {});\n    end;",
                rng.word(),
                p + 1
            );
        }
        cu.push('}');
        for (path, text) in [
            (format!("src/T{i}.Table.al"), src),
            (format!("src/C{i}.Codeunit.al"), cu),
        ] {
            builder.add_file(&path, &al_parser::parse(text.as_bytes()));
            entries.push(BuildEntry::new(path, text.into_bytes()));
        }
    }
    let symbols = builder.finish().to_vec().unwrap_or_default();
    entries.push(BuildEntry::new("SymbolReference.json", symbols));
    build_package(entries, &BuildOptions::default()).unwrap_or_default()
}

/// What `inspect` computes before printing.
fn inspect(file: &[u8]) -> usize {
    let Ok(p) = LazyPackage::read(file) else {
        return 0;
    };
    let m = p.read_app_file(NAVX_MANIFEST).ok().flatten().map(|b| {
        std::str::from_utf8(&b)
            .ok()
            .map(|t| al_manifest::NavxManifest::from_xml(t.trim_start_matches('\u{FEFF}')).is_ok())
    });
    black_box(m);
    let s = p
        .read_app_file(SYMBOL_REFERENCE)
        .ok()
        .flatten()
        .and_then(|b| SymbolSummary::from_slice(&b).ok())
        .map(|s| s.counts().len());
    s.unwrap_or(0) + p.entries().len()
}

fn bench(c: &mut Criterion) {
    let (label, file) = match std::env::var("ALKIT_APP") {
        Ok(path) => (path.clone(), std::fs::read(&path).unwrap_or_default()),
        Err(_) => ("synthetic".to_owned(), synthetic()),
    };
    let t = Instant::now();
    let n = inspect(&file);
    eprintln!(
        "inspect input {label}: {} bytes, {n} (entries + object kinds); first run {:.2} ms",
        file.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    // Where the time goes (best of five runs of each step).
    if let Ok(lazy) = LazyPackage::read(&file) {
        let best = |f: &dyn Fn()| {
            (0..5)
                .map(|_| {
                    let t = Instant::now();
                    f();
                    t.elapsed().as_secs_f64() * 1e3
                })
                .fold(f64::INFINITY, f64::min)
        };
        let symbols = lazy
            .read_app_file(SYMBOL_REFERENCE)
            .ok()
            .flatten()
            .unwrap_or_default();
        eprintln!(
            "  LazyPackage::read {:.2} ms, inflate NavxManifest.xml {:.2} ms, inflate SymbolReference.json ({} bytes) {:.2} ms, SymbolSummary {:.2} ms",
            best(&|| drop(black_box(LazyPackage::read(&file)))),
            best(&|| drop(black_box(lazy.read_app_file(NAVX_MANIFEST)))),
            symbols.len(),
            best(&|| drop(black_box(lazy.read_app_file(SYMBOL_REFERENCE)))),
            best(&|| drop(black_box(SymbolSummary::from_slice(&symbols)))),
        );
        eprintln!(
            "  for comparison: Package::read (all entries inflated) {:.2} ms, full SymbolReference model {:.2} ms",
            best(&|| drop(black_box(Package::read(&file)))),
            best(
                &|| drop(black_box(runtime_pack::SymbolReference::from_slice(
                    &symbols
                )))
            ),
        );
    }
    let mut g = c.benchmark_group("inspect");
    g.throughput(Throughput::Bytes(file.len() as u64));
    g.bench_function("lazy read + manifest + SymbolReference.json summary", |b| {
        b.iter(|| inspect(black_box(&file)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
