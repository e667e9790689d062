//! The project reader (`alkit/src/project.rs`, compiled here as it is): a folder tree built
//! from the input — folders, files in every encoding the readers meet (UTF-8 with and
//! without BOM, UTF-16 LE/BE, broken UTF-16, arbitrary bytes), and symbolic links to the
//! folder itself, its parents, siblings, files, nothing, and a folder outside — must never
//! panic or hang any walk, and what a walk returns must be inside the folder read, each
//! file once, in order.
//!
//! Input: a list of operations of 3 bytes `(op, path, what)` (at most 48): `op % 3` makes
//! a folder, a file or a link; `path` picks a path of up to three names; `what` picks the
//! file's content or the link's target. Bytes after the operations are the content of the
//! "arbitrary bytes" files.
#![no_main]
#![allow(dead_code, unused_macros, missing_docs)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;

#[macro_use]
#[path = "../../alkit/src/output.rs"]
mod output;
#[path = "../../alkit/src/project.rs"]
mod project;

/// What `output.rs` needs of `alkit/src/stage.rs` (which brings the lock and signal
/// machinery the project reader does not use): no journal is ever written here, so nothing
/// is interrupted.
mod stage {
    pub fn refuse_interrupted(_: &std::path::Path) -> Result<(), String> {
        Ok(())
    }
}

const NAMES: [&str; 10] = [
    "app.json",
    "src",
    "a.al",
    "B.AL",
    "c.app",
    ".alpackages",
    "output",
    "sub",
    "x.txt",
    "Ü é.al",
];

const APP_JSON: &str = r#"{"id":"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11","name":"Fz","publisher":"P","version":"1.0.0.0","dependencies":[{"id":"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a12","name":"Dep","publisher":"P","version":"1.0.0.0"}]}"#;

fn utf16(text: &str, le: bool) -> Vec<u8> {
    let mut v = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        v.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    v
}

fn content(what: u8, tail: &[u8]) -> Vec<u8> {
    match what % 7 {
        0 => APP_JSON.as_bytes().to_vec(),
        1 => [b"\xEF\xBB\xBF".as_slice(), APP_JSON.as_bytes()].concat(),
        2 => utf16(APP_JSON, true),
        3 => utf16(APP_JSON, false),
        4 => {
            let mut v = utf16(APP_JSON, true);
            v.extend([0x00, 0xD8, b'x']); // a lone surrogate and half a code unit
            v
        }
        5 => b"codeunit 50100 X { }".to_vec(),
        _ => tail.to_vec(),
    }
}

fn rel_path(p: u8) -> PathBuf {
    let mut out = PathBuf::new();
    let depth = 1 + (p as usize >> 6) % 3;
    let mut x = p as usize;
    for _ in 0..depth {
        out.push(NAMES[x % NAMES.len()]);
        x = x / NAMES.len() + 3;
    }
    out
}

#[cfg(unix)]
fn link_target(what: u8, outside: &Path) -> PathBuf {
    match what % 9 {
        0 => ".".into(),
        1 => "..".into(),
        2 => "../..".into(),
        3 => "src".into(),
        4 => "a.al".into(),
        5 => "../src/a.al".into(),
        6 => outside.to_path_buf(),
        7 => "missing".into(),
        _ => rel_path(what),
    }
}

/// Identity of what a path leads to.
#[cfg(unix)]
fn id(p: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

/// Every path leads inside `root`; with `once`, no two lead to the same file or folder.
fn check_inside(root: &Path, paths: &[PathBuf], once: bool) {
    let inside = std::fs::canonicalize(root).unwrap();
    let mut seen = HashSet::new();
    for p in paths {
        let c = std::fs::canonicalize(p).unwrap();
        assert!(
            c.starts_with(&inside),
            "{} leads outside to {}",
            p.display(),
            c.display()
        );
        #[cfg(unix)]
        assert!(!once || seen.insert(id(p)), "{} read twice", p.display());
    }
}

fuzz_target!(|data: &[u8]| {
    let ops = (data.len() / 3).min(48);
    let (ops_bytes, tail) = data.split_at(ops * 3);
    let Ok(root_dir) = tempfile::tempdir() else {
        return;
    };
    let Ok(outside) = tempfile::tempdir() else {
        return;
    };
    let _ = std::fs::write(outside.path().join("app.json"), APP_JSON);
    let _ = std::fs::write(outside.path().join("o.al"), "codeunit 1 O { }");
    let root = root_dir.path().join("p");
    let _ = std::fs::create_dir(&root);
    for op in ops_bytes.chunks_exact(3) {
        let path = root.join(rel_path(op[1]));
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        match op[0] % 3 {
            0 => {
                let _ = std::fs::create_dir_all(&path);
            }
            1 => {
                let _ = std::fs::write(&path, content(op[2], tail));
            }
            _ => {
                #[cfg(unix)]
                {
                    let _ = std::os::unix::fs::symlink(link_target(op[2], outside.path()), &path);
                }
            }
        }
    }

    if let Ok(files) = project::project_files(&root) {
        let rels: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        assert!(rels.windows(2).all(|w| w[0] < w[1]), "not sorted: {rels:?}");
        for f in &files {
            assert!(
                f.rel
                    .split('/')
                    .all(|c| !c.is_empty() && c != "." && c != ".."),
                "{}",
                f.rel
            );
            assert_eq!(f.path, root.join(&f.rel));
        }
        let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
        check_inside(&root, &paths, true);
        // The AL files are the project files with extension `al`.
        if let Ok(al) = project::al_files(&root) {
            let want: Vec<&str> = rels
                .iter()
                .copied()
                .filter(|r| r.to_ascii_lowercase().ends_with(".al"))
                .collect();
            assert_eq!(al.iter().map(|f| f.rel.as_str()).collect::<Vec<_>>(), want);
        }
    }
    if let Ok(below) = project::al_files_below(&root) {
        check_inside(&root, &below, true);
    }
    if let Ok(projects) = project::find_projects(&root) {
        for p in &projects {
            assert!(p.join("app.json").is_file());
        }
        check_inside(&root, &projects, true);
    }
    if let Ok(pkgs) = project::packages(&root) {
        check_inside(&root, &pkgs, true);
    }
    if let Ok(manifests) = project::manifests_below(&root) {
        // A project's app.json may be a link to a package file found too: inside only.
        check_inside(&root, &manifests, false);
    }
    let _ = project::read_manifest(&root);
    let _ = project::read_text(&root.join("app.json"));
    let _ = project::read_al_files_below(&root);
    let _ = project::Symbols::read(&[root.clone()], scope_rules::move_engine::app_info);
});
