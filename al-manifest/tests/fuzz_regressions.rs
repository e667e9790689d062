//! Replays fuzz findings for this crate's fuzz targets — this crate's own
//! `tests/fuzz-regressions/<target>/*` plus the workspace's
//! `fuzz/regressions/<target>/*` and `fuzz/seeds/<target>/*` — with the same
//! checks as the fuzz targets.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::Path;

use al_manifest::{AppJsonDocument, AppManifest, AppSourceCop, AppVersion, NavxManifest};

fn inputs(target: &str) -> Vec<Vec<u8>> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [
        here.join("tests/fuzz-regressions"),
        here.join("../fuzz/regressions"),
        here.join("../fuzz/seeds"),
    ] {
        let Ok(dir) = std::fs::read_dir(dir.join(target)) else {
            continue;
        };
        let mut files: Vec<_> = dir.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for f in files {
            if f.is_file() {
                out.push(std::fs::read(&f).unwrap());
            }
        }
    }
    out
}

#[test]
fn app_json() {
    for data in inputs("app_json") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        if let Ok(m) = AppManifest::from_json_str(text) {
            let _ = m.validate();
            let _ = m.to_navx().to_xml();
            let json = m.to_json_string();
            assert_eq!(AppManifest::from_json_str(&json).ok(), Some(m), "{json}");
        }
        if let Ok(mut doc) = AppJsonDocument::parse(text) {
            assert_eq!(doc.to_string(), text);
            let _ = doc.set_version(&AppVersion::new(9, 8, 7, 6));
        }
    }
}

#[test]
fn navx_manifest() {
    for data in inputs("navx_manifest") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        if let Ok(m) = NavxManifest::from_xml(text) {
            assert!(NavxManifest::from_xml(&m.to_xml()).is_ok());
            let _ = m.to_app_manifest();
        }
    }
}

#[test]
fn appsourcecop() {
    for data in inputs("appsourcecop") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        if let Ok(c) = AppSourceCop::from_json_str(text) {
            let json = c.to_json_string();
            assert_eq!(AppSourceCop::from_json_str(&json).ok(), Some(c), "{json}");
        }
    }
}

#[test]
fn xlf() {
    use al_manifest::xlf::{Rename, XlfFile};
    const NEW: &str = "Fz & <New> \"name\" 'x'";
    for data in inputs("xlf") {
        let Ok(file) = XlfFile::parse(&data) else {
            continue;
        };
        assert_eq!(file.to_bytes(), data);
        for u in file.units() {
            assert!(file.text().get(u.id_span.clone()).is_some());
            if let Some(n) = &u.note {
                assert!(file.text().get(n.span.clone()).is_some());
            }
        }
        let Some(parts) = file
            .units()
            .iter()
            .find_map(|u| u.note.as_ref().map(|n| &n.parts).filter(|p| !p.is_empty()))
        else {
            continue;
        };
        let mut renames = vec![Rename::object(&parts[0].kind, &parts[0].name, NEW)];
        if let Some(m) = parts.get(1) {
            renames.push(Rename::member(
                &parts[0].kind,
                &parts[0].name,
                &m.kind,
                &m.name,
                NEW,
            ));
        }
        let out = file.rename(&renames).unwrap();
        // The full identity check (with its exceptions) is the fuzz target's; the
        // committed inputs are plain enough for the reverse to restore them.
        let back = XlfFile::parse(&out.bytes)
            .unwrap()
            .rename(&Rename::reversed_all(&renames))
            .unwrap();
        assert_eq!(back.bytes, data);
    }
}
