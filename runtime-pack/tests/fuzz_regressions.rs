#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Replays the committed fuzz findings of this crate's fuzz targets
//! (`fuzz/regressions/<target>/*`, plus the committed seeds) with the checks of the
//! targets in `fuzz/fuzz_targets/`.

use std::path::Path;

use runtime_pack::{
    Package, PackageKind, ReadLimits, SymbolReference, Uuid, read_container, read_zip_entries,
    write_container,
};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [here.join("../fuzz/regressions"), here.join("../fuzz/seeds")] {
        let Ok(dir) = std::fs::read_dir(dir.join(target)) else {
            continue;
        };
        let mut files: Vec<_> = dir.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for f in files {
            if f.is_file() {
                out.push((f.display().to_string(), std::fs::read(&f).unwrap()));
            }
        }
    }
    out
}

#[test]
fn navx_container() {
    for (name, data) in inputs("navx_container") {
        if let Ok(c) = read_container(&data) {
            assert_eq!(c.payload.len() as u64, c.header.content_length, "{name}");
            let rewritten = write_container(c.header.package_id, c.payload);
            let again = read_container(&rewritten).expect("written container reads back");
            assert_eq!(again.payload, c.payload, "{name}");
        }
        if let Ok(p) = Package::read(&data) {
            if let Some(sig) = p.signature() {
                assert!(sig.offset <= data.len() as u64, "{name}");
            }
            match p.kind() {
                PackageKind::Runtime => assert!(p.entries().is_empty(), "{name}"),
                PackageKind::ReadyToRun => assert!(p.ready_to_run().is_some(), "{name}"),
                PackageKind::Normal | PackageKind::SymbolsOnly => {}
            }
            let _ = p.manifest();
            let _ = p.symbol_reference();
        }
    }
}

#[test]
fn zip_reader() {
    for (name, data) in inputs("zip_reader") {
        let mut limits = ReadLimits::default();
        limits.max_total_size = 64 << 20;
        if let Ok(entries) = read_zip_entries(&data, &limits) {
            let total: u64 = entries.iter().map(|e| e.size).sum();
            assert!(total <= limits.max_total_size, "{name}");
            for e in &entries {
                assert_eq!(e.size, e.data.len() as u64, "{name}");
                assert!(!e.path.starts_with('/') && !e.path.contains('\\'), "{name}");
                assert!(e.path.split('/').all(|s| s != ".." && s != "."), "{name}");
            }
        }
        let file = write_container(Uuid::nil(), &data);
        let _ = Package::read_with_limits(&file, &limits);
    }
}

#[test]
fn symbol_reference() {
    for (name, data) in inputs("symbol_reference") {
        let Ok(s) = SymbolReference::from_slice(&data) else {
            continue;
        };
        let objects = s.objects();
        let written = s.to_vec().expect("a parsed model serializes");
        let back = SymbolReference::from_slice(&written).expect("written symbols read back");
        assert_eq!(objects.len(), back.objects().len(), "{name}");
    }
}

#[test]
fn nuget() {
    for (name, data) in inputs("nuget") {
        let _ = runtime_pack::nuget::Nupkg::read(&data, &runtime_pack::ReadLimits::default());
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        if let Ok(n) = runtime_pack::nuget::Nuspec::parse(text) {
            assert_eq!(
                runtime_pack::nuget::Nuspec::parse(&n.to_xml()).unwrap(),
                n,
                "{name}"
            );
        }
        let _ = runtime_pack::nuget::LockFile::from_json(text);
        let _ = runtime_pack::runtime::parse_runtime_file_name(text);
    }
}
