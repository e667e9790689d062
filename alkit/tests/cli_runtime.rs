//! `alkit runtime` and `alkit runtime-check` on an OnPrem copy of the loyalty example, a
//! licence range file and a synthetic `.NEA` package.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::{alkit, repo_root};
use runtime_pack::{Package, fixtures};

const RUNTIME_APP: &str = "Contoso Partners_Customer Loyalty_1.2.0.0.runtime-24.0.app";

/// A distinctive line of the example's AL (src/Codeunits/LoyaltyManagement.Codeunit.al).
fn distinctive_line() -> String {
    let root = repo_root().join("examples/loyalty/src");
    let mut stack = vec![root];
    let mut best = String::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "al") {
                for l in std::fs::read_to_string(&p).unwrap().lines() {
                    let l = l.trim();
                    if l.len() > best.len() && !l.starts_with("//") && l.contains('(') {
                        best = l.to_string();
                    }
                }
            }
        }
    }
    assert!(best.len() > 20, "{best}");
    best
}

/// Copies the loyalty example into a temporary folder with `"target": "OnPrem"`.
fn onprem_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let src = repo_root().join("examples/loyalty");
    let dst = tmp.path().join("loyalty");
    copy_dir(&src, &dst);
    let app = dst.join("app.json");
    let text = std::fs::read_to_string(&app).unwrap();
    assert!(text.contains("\"target\": \"Cloud\""));
    std::fs::write(
        &app,
        text.replace("\"target\": \"Cloud\"", "\"target\": \"OnPrem\""),
    )
    .unwrap();
    (tmp, dst)
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), to).unwrap();
        }
    }
}

fn runtime(project: &Path, out: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec![
        "runtime",
        project.to_str().unwrap(),
        "--platform",
        "24.0",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    alkit(&args)
}

#[test]
fn runtime_package_has_no_source() {
    let (tmp, project) = onprem_copy();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let r = runtime(&project, &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Repair"), "{}", r.stdout);
    assert!(r.stdout.contains("NOT possible"), "{}", r.stdout);
    let file = out.join(RUNTIME_APP);
    let bytes = std::fs::read(&file).unwrap();
    let pkg = Package::read(&bytes).unwrap();
    assert!(pkg.entries().iter().all(|e| !e.path.starts_with("src/")));
    assert!(pkg.entry("DocComments.xml").is_none());
    let line = distinctive_line();
    for e in pkg.entries() {
        assert!(
            !String::from_utf8_lossy(&e.data).contains(&line),
            "{} holds source: {line}",
            e.path
        );
    }
    let marker: serde_json::Value =
        serde_json::from_slice(&pkg.entry("alkit/runtime.json").unwrap().data).unwrap();
    assert_eq!(marker["platform"], "24.0");
    assert_eq!(marker["includesSource"], false);

    let r = alkit(&["inspect", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Platform:      24.0.0.0"), "{}", r.stdout);
    assert!(r.stdout.contains("alkit/runtime.json"), "{}", r.stdout);

    // runtime-check: same platform publishable, another one not.
    let r = alkit(&[
        "runtime-check",
        file.to_str().unwrap(),
        "--platform",
        "24.0",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("repair: NOT possible"), "{}", r.stdout);
    let r = alkit(&[
        "runtime-check",
        file.to_str().unwrap(),
        "--platform",
        "25.0",
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("made for 24.0"), "{}", r.stdout);
}

#[test]
fn include_source_makes_repair_possible() {
    let (tmp, project) = onprem_copy();
    let file = tmp.path().join("with-source.app");
    let r = runtime(&project, &file, &["--include-source"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Repair"), "{}", r.stdout);
    assert!(r.stdout.contains("is possible"), "{}", r.stdout);
    assert!(r.stdout.contains("allowDebugging"), "{}", r.stdout);
    let pkg = Package::read(&std::fs::read(&file).unwrap()).unwrap();
    assert!(pkg.source_files().count() >= 5);
    let r = alkit(&[
        "runtime-check",
        file.to_str().unwrap(),
        "--platform",
        "24.0",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("repair: possible"), "{}", r.stdout);
}

#[test]
fn licence_gap_fails_and_writes_nothing() {
    let (tmp, project) = onprem_copy();
    let lic = tmp.path().join("ranges.txt");
    // No page range: the loyalty page is outside the licence.
    std::fs::write(
        &lic,
        "table 50100 50149 RIMDX\ncodeunit 50100 50149 RIMDX\nreport 50100 50149 RIMDX\nquery 50100 50149 RIMDX\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let r = runtime(
        &project,
        &out,
        &["--licence", lic.to_str().unwrap(), "--today", "2026-01-01"],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("page 50100"), "{}", r.stderr);
    assert!(r.stderr.contains("outside the licence"), "{}", r.stderr);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
}

#[test]
fn cloud_target_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let r = runtime(&repo_root().join("examples/loyalty"), tmp.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("on-premises only"), "{}", r.stderr);
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn runtime_check_on_nea_package() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("genuine.app");
    std::fs::write(&file, fixtures::runtime_package(uuid::Uuid::nil())).unwrap();
    let r = alkit(&[
        "runtime-check",
        file.to_str().unwrap(),
        "--platform",
        "24.0",
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("NOT KNOWN"), "{}", r.stdout);
    assert!(r.stdout.contains("cannot be confirmed"), "{}", r.stdout);
    // An ordinary package is not a runtime package.
    let file = tmp.path().join("normal.app");
    std::fs::write(
        &file,
        fixtures::normal_package(uuid::Uuid::nil(), uuid::Uuid::nil(), "X"),
    )
    .unwrap();
    let r = alkit(&[
        "runtime-check",
        file.to_str().unwrap(),
        "--platform",
        "24.0",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // runtime refuses a .NEA package as input.
    let r = alkit(&[
        "runtime",
        tmp.path().join("genuine.app").to_str().unwrap(),
        "--platform",
        "24.0",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn from_signed_app_drops_signature_and_show_my_code() {
    let (tmp, project) = onprem_copy();
    let r = alkit(&[
        "pack",
        project.to_str().unwrap(),
        "--out",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let app = tmp
        .path()
        .join("Contoso Partners_Customer Loyalty_1.2.0.0.app");
    let signed = fixtures::sign(std::fs::read(&app).unwrap(), None, "Contoso Code Signing");
    std::fs::write(&app, signed).unwrap();
    let out = tmp.path().join("rt.app");
    let r = alkit(&[
        "runtime",
        app.to_str().unwrap(),
        "--platform",
        "24.0",
        "--show-my-code",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("signature was dropped"), "{}", r.stdout);
    assert!(r.stdout.contains("is possible"), "{}", r.stdout);
    let pkg = Package::read(&std::fs::read(&out).unwrap()).unwrap();
    assert!(!pkg.is_signed());
    assert!(pkg.source_files().count() > 0);
    assert_eq!(
        pkg.manifest().unwrap().unwrap().app.show_my_code,
        Some(true)
    );
}
