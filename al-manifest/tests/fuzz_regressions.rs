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

/// The checks of `fuzz/fuzz_targets/xlf.rs`, as a function.
fn xlf_check(data: &[u8]) {
    use al_manifest::xlf::{Rename, XlfFile, name_hash};
    use al_manifest::xml::{Escape, escape};
    const NEW: &str = "Fz & <New> \"name\" 'x'";

    let Ok(file) = XlfFile::parse(data) else {
        return;
    };
    assert_eq!(file.to_bytes(), data, "print-back");
    let text = file.text();
    for u in file.units() {
        assert!(text.get(u.id_span.clone()).is_some());
        for p in u.id_parts.iter().flatten() {
            assert!(p.hash_span.start >= u.id_span.start && p.hash_span.end <= u.id_span.end);
            assert!(text.get(p.hash_span.clone()).is_some());
        }
        if let Some(n) = &u.note {
            assert!(text.get(n.span.clone()).is_some());
            for p in &n.parts {
                assert!(p.name_span.start >= n.span.start && p.name_span.end <= n.span.end);
                assert!(text.get(p.name_span.clone()).is_some());
            }
        }
        if let Some(t) = &u.object_target {
            assert!(text.get(t.span.clone()).is_some());
        }
    }
    // Rename the first named path (object, and member if any) and back.
    let Some(parts) = file
        .units()
        .iter()
        .find_map(|u| u.note.as_ref().map(|n| &n.parts).filter(|p| !p.is_empty()))
    else {
        return;
    };
    let mut renames = Vec::new();
    if let Some(obj) = parts.first() {
        renames.push(Rename::object(&obj.kind, &obj.name, NEW));
        if let Some(member) = parts.get(1) {
            renames.push(Rename::member(
                &obj.kind,
                &obj.name,
                &member.kind,
                &member.name,
                NEW,
            ));
        }
    }
    let out = match file.rename(&renames) {
        Ok(out) => out,
        Err(e) => panic!("rename failed: {e}"),
    };
    let renamed = XlfFile::parse(&out.bytes).expect("renamed file reads back");
    // The reverse restores the input unless the input makes the rename lossy: a name
    // differing only in case from a renamed one, a renamed name escaped unlike the
    // compiler does, or something already spelled / hashed like the new name.
    let new_hash = name_hash(NEW);
    let old: Vec<&str> = renames
        .iter()
        .filter_map(|r| r.path.last())
        .map(|p| p.name.as_str())
        .collect();
    let lossy = file.units().iter().any(|u| {
        u.id_parts.iter().flatten().any(|p| p.hash == new_hash)
            || u.object_target
                .as_ref()
                .and_then(|t| t.part.as_ref())
                .is_some_and(|p| p.hash == new_hash)
            || u.note.as_ref().into_iter().flat_map(|n| &n.parts).any(|p| {
                eq_ci(&p.name, NEW)
                    || old.iter().any(|o| {
                        eq_ci(&p.name, o)
                            && (p.name != *o
                                || text.get(p.name_span.clone())
                                    != Some(&*escape(o, Escape::TEXT_WHITESPACE)))
                    })
            })
    });
    if lossy {
        return;
    }
    let reversed = Rename::reversed_all(&renames);
    let back = match renamed.rename(&reversed) {
        Ok(back) => back,
        // An old name that is not a valid new name (empty, or a character XML 1.0
        // forbids that the reader let through) cannot be restored by a rename.
        Err(al_manifest::xlf::XlfError::InvalidName { .. }) => return,
        Err(e) => panic!("reverse rename failed: {e}"),
    };
    assert_eq!(back.bytes, data, "rename + reverse is not the identity");
}

fn eq_ci(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

#[test]
fn xlf() {
    for data in inputs("xlf") {
        xlf_check(&data);
    }
}
