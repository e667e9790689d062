//! Reads real packages from a directory named by `ALKIT_REAL_APPS` (never committed to the repo).
//! Ignored by default: `ALKIT_REAL_APPS=/tmp/apps cargo test -p runtime-pack --test real_packages -- --ignored --nocapture`.

#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use runtime_pack::{Package, SymbolReference};

#[test]
#[ignore = "needs real packages in ALKIT_REAL_APPS"]
fn read_real_packages() {
    let Ok(dir) = std::env::var("ALKIT_REAL_APPS") else {
        return;
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "app"))
        .collect();
    paths.sort();
    for path in paths {
        let bytes = std::fs::read(&path).expect("read");
        let start = std::time::Instant::now();
        let result = Package::read(&bytes);
        let elapsed = start.elapsed();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        match result {
            Ok(p) => {
                let app = p.app_package();
                let t = std::time::Instant::now();
                let symbols = p.symbol_reference();
                let symbols_time = t.elapsed();
                let symbols_len = p.symbol_reference_bytes().map_or(0, <[u8]>::len);
                let count = symbols
                    .as_ref()
                    .ok()
                    .and_then(|s| s.as_ref())
                    .map(|s| s.objects().len());
                println!(
                    "{name}: {} bytes, {} signed={} digest={:?} signer={:?} entries={} app_entries={} src={} symbols={:?} objects={:?} runtime={:?} in {:?} (SymbolReference.json {symbols_len} bytes parsed in {symbols_time:?})",
                    bytes.len(),
                    p.kind(),
                    p.is_signed(),
                    p.signature().map(|s| s.digest),
                    p.signature().and_then(|s| s.signer_subject.clone()),
                    p.entries().len(),
                    app.entries().len(),
                    p.source_files().count(),
                    symbols.as_ref().err().map(|e| e.to_string()),
                    count,
                    p.runtime_info(),
                    elapsed
                );
                if let Some((_, inner)) = p.ready_to_run() {
                    println!(
                        "  inner: {} signed={} digest={:?} signer={:?}",
                        inner.kind(),
                        inner.is_signed(),
                        inner.signature().map(|s| s.digest),
                        inner.signature().and_then(|s| s.signer_subject.clone())
                    );
                }
            }
            Err(e) => println!("{name}: {} bytes, ERROR {e}", bytes.len()),
        }
    }
}

#[test]
#[ignore = "needs real packages in ALKIT_REAL_APPS"]
fn real_manifests() {
    let Ok(dir) = std::env::var("ALKIT_REAL_APPS") else {
        return;
    };
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        let Ok(p) = Package::read(&std::fs::read(&path).expect("read")) else {
            continue;
        };
        match p.manifest() {
            Some(Ok(m)) => println!(
                "{}: {} {} {} runtime={:?} deps={} ranges={}",
                path.display(),
                m.app.name,
                m.app.publisher,
                m.app.version,
                m.app.runtime.map(|r| r.to_string()),
                m.dependencies.len(),
                m.id_ranges.len()
            ),
            Some(Err(e)) => println!("{}: manifest error {e}", path.display()),
            None => println!("{}: no manifest", path.display()),
        }
    }
}

/// Writes synthetic fuzz seeds (made by `runtime_pack::fixtures`) under `ALKIT_WRITE_SEEDS`.
#[test]
#[ignore = "writes fuzz seeds when ALKIT_WRITE_SEEDS is set"]
fn write_fuzz_seeds() {
    use runtime_pack::{Uuid, fixtures};
    let Ok(root) = std::env::var("ALKIT_WRITE_SEEDS") else {
        return;
    };
    let root = std::path::PathBuf::from(root);
    let normal = fixtures::normal_package(Uuid::from_u128(1), Uuid::from_u128(2), "Seed App");
    let signed = fixtures::sign(normal.clone(), None, "Seed Signer");
    let runtime = fixtures::sign(fixtures::runtime_package(Uuid::from_u128(3)), None, "Seed");
    let r2r = fixtures::ready_to_run_package(Uuid::from_u128(4), "inner.app", &signed);
    let zip = fixtures::zip_owned(&fixtures::normal_entries(Uuid::from_u128(2), "Seed App"));
    let symbols = fixtures::symbol_reference_json(Uuid::from_u128(2), "Seed App");
    let files: [(&str, &str, &[u8]); 7] = [
        ("navx_container", "normal.app", &normal),
        ("navx_container", "signed.app", &signed),
        ("navx_container", "runtime.app", &runtime),
        ("navx_container", "ready-to-run.app", &r2r),
        ("zip_reader", "normal.zip", &zip),
        ("symbol_reference", "fixture.json", &symbols),
        (
            "symbol_reference",
            "bc11.json",
            br#"{"Name":"Old","Tables":[{"Id":1,"Name":"T","Fields":[{"Id":1,"Name":"F","Type":"Text[50]"}]}]}"#,
        ),
    ];
    for (target, name, bytes) in files {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

/// Times parsing a large SymbolReference.json named by `ALKIT_BIG_SYMBOLS`.
#[test]
#[ignore = "needs ALKIT_BIG_SYMBOLS"]
fn big_symbols() {
    let Ok(path) = std::env::var("ALKIT_BIG_SYMBOLS") else {
        return;
    };
    let bytes = std::fs::read(path).unwrap();
    let t = std::time::Instant::now();
    let v: serde_json::Value = serde_json::from_slice(&bytes[3..]).unwrap();
    println!("serde_json::Value baseline: {:?}", t.elapsed());
    drop(v);
    let t = std::time::Instant::now();
    let s = runtime_pack::SymbolReference::from_slice(&bytes).unwrap();
    let parse = t.elapsed();
    let t = std::time::Instant::now();
    let n = s.objects().len();
    println!(
        "{} bytes: parsed in {parse:?}, {n} objects flattened in {:?}",
        bytes.len(),
        t.elapsed()
    );
}

/// Checks that `escape_part_name` reproduces every stored entry name of the real packages.
#[test]
#[ignore = "needs real packages in ALKIT_REAL_APPS"]
fn real_names_round_trip() {
    let Ok(dir) = std::env::var("ALKIT_REAL_APPS") else {
        return;
    };
    let (mut same, mut differ) = (0, 0);
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let Ok(p) = Package::read(&std::fs::read(&path).unwrap()) else {
            continue;
        };
        let mut all: Vec<_> = p.entries().iter().collect();
        if let Some((_, inner)) = p.ready_to_run() {
            all.extend(inner.entries());
        }
        for e in all {
            if runtime_pack::escape_part_name(&e.path) == e.name {
                same += 1;
            } else {
                differ += 1;
                println!(
                    "{}: stored `{}` escaped `{}`",
                    path.display(),
                    e.name,
                    runtime_pack::escape_part_name(&e.path)
                );
            }
        }
    }
    println!("{same} names reproduced, {differ} differ");
}

/// The lazy reader and the light symbol parse agree with the full ones on real packages.
#[test]
#[ignore = "needs real packages in ALKIT_REAL_APPS"]
fn lazy_reader_agrees_on_real_packages() {
    let Ok(dir) = std::env::var("ALKIT_REAL_APPS") else {
        return;
    };
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "app") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read");
        let name = path.display().to_string();
        let (full, lazy) = (
            Package::read(&bytes),
            runtime_pack::LazyPackage::read(&bytes),
        );
        let (Ok(full), Ok(lazy)) = (full, lazy) else {
            assert!(
                Package::read(&bytes).is_err() && runtime_pack::LazyPackage::read(&bytes).is_err(),
                "{name}: one reader accepts, the other refuses"
            );
            continue;
        };
        let (fa, la) = (full.app_package(), lazy.app_package());
        assert_eq!(fa.entries().len(), la.entries().len(), "{name}");
        for (f, l) in fa.entries().iter().zip(la.entries()) {
            assert_eq!(f.data, la.read_entry(l).unwrap(), "{name}: {}", f.name);
        }
        if let Some(bytes) = full.symbol_reference_bytes() {
            let objects = SymbolReference::from_slice(bytes).unwrap();
            let summary = runtime_pack::SymbolSummary::from_slice(bytes).unwrap();
            assert_eq!(objects.counts(), summary.counts(), "{name}");
            for (o, h) in objects.objects().iter().zip(summary.objects()) {
                assert_eq!(
                    (o.kind, &o.namespace, o.object.id, &o.object.name),
                    (h.kind, &h.namespace, h.id, &h.name),
                    "{name}"
                );
            }
        }
        println!("{name}: agree");
    }
}
