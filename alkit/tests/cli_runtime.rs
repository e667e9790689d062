//! `alkit runtime` (checks + the server script), `alkit runtime-check` (genuine `.NEA`
//! packages, built here from random bytes behind a valid NAVX header) and `alkit symbols
//! pack` on OnPrem copies of the loyalty examples.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::{alkit, repo_root};
use runtime_pack::{Package, fixtures};

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

/// Copies both loyalty examples into a temporary folder with `"target": "OnPrem"`; returns
/// the folder, `loyalty` and `loyalty-rewards`.
fn onprem_copy() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["loyalty", "loyalty-rewards"] {
        let dst = tmp.path().join(name);
        copy_dir(&repo_root().join("examples").join(name), &dst);
        let app = dst.join("app.json");
        let text = std::fs::read_to_string(&app).unwrap();
        assert!(text.contains("\"target\": \"Cloud\""));
        std::fs::write(
            &app,
            text.replace("\"target\": \"Cloud\"", "\"target\": \"OnPrem\""),
        )
        .unwrap();
    }
    let (a, b) = (
        tmp.path().join("loyalty"),
        tmp.path().join("loyalty-rewards"),
    );
    (tmp, a, b)
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

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A genuine-looking runtime package: a valid NAVX header over a `.NEA` payload of random
/// bytes (what `Get-NAVAppRuntimePackage` writes, opaque).
fn nea_package(seed: u8) -> Vec<u8> {
    let mut payload = runtime_pack::NEA_MAGIC.to_vec();
    let mut x: u32 = 0x9E37_79B9 ^ u32::from(seed);
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        payload.push(x as u8);
    }
    runtime_pack::write_container(uuid::Uuid::from_u128(u128::from(seed) + 1), &payload)
}

#[test]
fn runtime_writes_script_and_packages_in_dependency_order() {
    let (tmp, loyalty, rewards) = onprem_copy();
    let out = tmp.path().join("out");
    // The dependent first on the command line: the script still publishes its dependency first.
    let r = alkit(&[
        "runtime",
        s(&rewards),
        s(&loyalty),
        "--platform",
        "24.0",
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("target: OnPrem"), "{}", r.stdout);
    assert!(
        r.stdout.contains("dependencies in this set"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Repair-NAVApp cannot recompile"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("no runtime package was made here"),
        "{}",
        r.stdout
    );
    let script = std::fs::read_to_string(out.join("runtime-packages.ps1")).unwrap();
    let first = script.find("Name = 'Customer Loyalty'").unwrap();
    let second = script.find("Name = 'Loyalty Rewards'").unwrap();
    assert!(first < second, "dependency first");
    assert!(script.contains("IncludeSource = $false"));
    assert!(script.contains("$Platform = '24.0'"));
    // The packages to publish are normal packages with their source (the server compiles them).
    for name in [
        "Contoso Partners_Customer Loyalty_1.2.0.0.app",
        "Contoso Partners_Loyalty Rewards_1.0.0.0.app",
    ] {
        let bytes = std::fs::read(out.join("apps").join(name)).unwrap();
        let pkg = Package::read(&bytes).unwrap();
        assert_eq!(pkg.kind(), runtime_pack::PackageKind::Normal);
        assert!(pkg.source_files().count() > 0);
    }
    // Nothing alkit wrote is called a runtime package.
    for e in std::fs::read_dir(out.join("apps")).unwrap() {
        assert!(!e.unwrap().file_name().to_string_lossy().contains("runtime"));
    }
    // --out must be new or empty.
    let r = alkit(&[
        "runtime",
        s(&loyalty),
        "--platform",
        "24.0",
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn include_source_and_show_my_code_reach_the_script() {
    let (tmp, loyalty, _) = onprem_copy();
    let out = tmp.path().join("out");
    let r = alkit(&[
        "runtime",
        s(&loyalty),
        "--platform",
        "24.0",
        "--show-my-code",
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Repair-NAVApp can recompile"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("-ShowMyCode lets users"), "{}", r.stdout);
    let script = std::fs::read_to_string(out.join("runtime-packages.ps1")).unwrap();
    assert!(script.contains("ShowMyCode = $true; IncludeSource = $true"));
}

#[test]
fn checks_fail_and_write_nothing() {
    let (tmp, loyalty, rewards) = onprem_copy();
    let out = tmp.path().join("out");
    // A licence without a page range: the loyalty page is outside it.
    let lic = tmp.path().join("ranges.txt");
    std::fs::write(
        &lic,
        "table 50100 50149 RIMDX\ncodeunit 50100 50149 RIMDX\nreport 50100 50149 RIMDX\nquery 50100 50149 RIMDX\n",
    )
    .unwrap();
    let r = alkit(&[
        "runtime",
        s(&loyalty),
        "--platform",
        "24.0",
        "--licence",
        s(&lic),
        "--today",
        "2026-01-01",
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("page 50100"), "{}", r.stdout);
    assert!(r.stdout.contains("outside the licence"), "{}", r.stdout);
    assert!(!out.exists());
    // An older server than the app needs.
    let r = alkit(&[
        "runtime",
        s(&loyalty),
        "--platform",
        "23.0",
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("needs Business Central 24.0 or later"),
        "{}",
        r.stdout
    );
    assert!(!out.exists());
    // Before BC 22 without --licence: said, not assumed.
    let app = loyalty.join("app.json");
    let text = std::fs::read_to_string(&app).unwrap();
    std::fs::write(
        &app,
        text.replace("24.0.0.0", "21.0.0.0")
            .replace("\"13.0\"", "\"10.0\""),
    )
    .unwrap();
    let r = alkit(&[
        "runtime",
        s(&loyalty),
        "--platform",
        "21.0",
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("licence: NOT CHECKED"), "{}", r.stdout);
    // Cloud target refused; a dependency outside the set is listed for the script to check.
    let r = alkit(&[
        "runtime",
        s(&repo_root().join("examples/loyalty")),
        "--platform",
        "24.0",
        "--out",
        s(&tmp.path().join("o2")),
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("on-premises only"), "{}", r.stdout);
    let out3 = tmp.path().join("o3");
    let r = alkit(&[
        "runtime",
        s(&rewards),
        "--platform",
        "24.0",
        "--out",
        s(&out3),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("must be installed on the server first"),
        "{}",
        r.stdout
    );
    let script = std::fs::read_to_string(out3.join("runtime-packages.ps1")).unwrap();
    assert!(script.contains("MinVersion = '1.2.0.0'"), "{script}");
}

#[test]
fn runtime_refuses_packages_a_server_cannot_compile() {
    let (tmp, loyalty, _) = onprem_copy();
    let nea = tmp.path().join("genuine.app");
    std::fs::write(&nea, nea_package(1)).unwrap();
    let r = alkit(&[
        "runtime",
        s(&nea),
        "--platform",
        "24.0",
        "--out",
        s(&tmp.path().join("o")),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("already a runtime package"),
        "{}",
        r.stderr
    );
    let r = alkit(&[
        "symbols",
        "pack",
        s(&loyalty),
        "--out",
        s(&tmp.path().join("sym")),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sym = tmp
        .path()
        .join("sym/Contoso Partners_Customer Loyalty_1.2.0.0.symbols.app");
    let r = alkit(&[
        "runtime",
        s(&sym),
        "--platform",
        "24.0",
        "--out",
        s(&tmp.path().join("o")),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("symbols-only"), "{}", r.stderr);
}

#[test]
fn symbols_pack_has_no_source_and_inspect_says_so() {
    let (tmp, loyalty, _) = onprem_copy();
    // From a signed .app, into a folder that does not exist yet.
    let r = alkit(&["pack", s(&loyalty), "--out", s(tmp.path())]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let app = tmp
        .path()
        .join("Contoso Partners_Customer Loyalty_1.2.0.0.app");
    let signed = fixtures::sign(std::fs::read(&app).unwrap(), None, "Contoso Code Signing");
    std::fs::write(&app, signed).unwrap();
    let out = tmp.path().join("new/folder");
    let r = alkit(&["symbols", "pack", s(&app), "--out", s(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("symbols-only package"), "{}", r.stdout);
    assert!(r.stdout.contains("unsigned"), "{}", r.stdout);
    let file = out.join("Contoso Partners_Customer Loyalty_1.2.0.0.symbols.app");
    let pkg = Package::read(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(pkg.kind(), runtime_pack::PackageKind::SymbolsOnly);
    assert!(!pkg.is_signed());
    let line = distinctive_line();
    for e in pkg.entries() {
        assert!(!e.path.starts_with("src/"), "{}", e.path);
        assert!(
            !String::from_utf8_lossy(&e.data).contains(&line),
            "{} holds source",
            e.path
        );
    }
    let full = Package::read(&std::fs::read(&app).unwrap()).unwrap();
    assert_eq!(pkg.symbol_reference_bytes(), full.symbol_reference_bytes());
    assert_eq!(pkg.manifest_xml(), full.manifest_xml());
    let r = alkit(&["inspect", s(&file)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Kind:          symbols-only"),
        "{}",
        r.stdout
    );
    let r = alkit(&["inspect", s(&app)]);
    assert!(r.stdout.contains("Kind:          normal"), "{}", r.stdout);
    // Twice is refused; a symbols-only package cannot be deploy-checked as an extension.
    let r = alkit(&["symbols", "pack", s(&file), "--out", s(&out)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("already a symbols-only package"),
        "{}",
        r.stderr
    );
}

#[test]
fn symbols_only_resolves_like_the_source() {
    let (tmp, loyalty, rewards) = onprem_copy();
    let r = alkit(&[
        "symbols",
        "pack",
        s(&loyalty),
        "--out",
        s(&tmp.path().join("sym")),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let from_source = alkit(&["refs", s(&rewards), "--symbols", s(&loyalty), "--stats"]);
    let sym = tmp
        .path()
        .join("sym/Contoso Partners_Customer Loyalty_1.2.0.0.symbols.app");
    let from_symbols = alkit(&["refs", s(&rewards), "--symbols", s(&sym), "--stats"]);
    assert_eq!(from_source.code, from_symbols.code);
    let table = |out: &str| {
        out.lines()
            .skip_while(|l| !l.starts_with("kind"))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert!(
        !table(&from_source.stdout).is_empty(),
        "{}",
        from_source.stdout
    );
    assert_eq!(table(&from_source.stdout), table(&from_symbols.stdout));
}

#[test]
fn runtime_check_on_nea_packages_and_the_set() {
    let (tmp, loyalty, rewards) = onprem_copy();
    let dir = tmp.path().join("runtime");
    std::fs::create_dir(&dir).unwrap();
    let a = dir.join("Contoso Partners_Customer Loyalty_1.2.0.0.runtime-24.0.16410.18056-dk.app");
    std::fs::write(&a, nea_package(1)).unwrap();
    let r = alkit(&["runtime-check", s(&a), "--platform", "24.0"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("genuine runtime package"), "{}", r.stdout);
    assert!(r.stdout.contains("2E 4E 45 41 00 00 00 01"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("package id 00000000-0000-0000-0000-000000000002"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("Business Central 24.0.16410.18056, localization dk"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("signature: none"), "{}", r.stdout);
    let r = alkit(&["runtime-check", s(&a), "--platform", "25.0"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("publish on 25.0: NO"), "{}", r.stdout);
    // Signed: the digest is compared.
    let signed = dir.join("x.app");
    std::fs::write(
        &signed,
        fixtures::sign(nea_package(3), None, "Contoso Code Signing"),
    )
    .unwrap();
    let r = alkit(&["runtime-check", s(&signed)]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("matches the package bytes"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("platform: NOT KNOWN"), "{}", r.stdout);
    std::fs::remove_file(&signed).unwrap();
    // The set: one app has its runtime package, the other not.
    let r = alkit(&[
        "runtime-check",
        s(&dir),
        "--platform",
        "24.0",
        "--sources",
        s(&loyalty),
        s(&rewards),
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("Loyalty Rewards 1.0.0.0: NO runtime package"),
        "{}",
        r.stdout
    );
    std::fs::write(
        dir.join("Contoso Partners_Loyalty Rewards_1.0.0.0.runtime-24.0.16410.18056-dk.app"),
        nea_package(2),
    )
    .unwrap();
    let r = alkit(&[
        "runtime-check",
        s(&dir),
        "--platform",
        "24.0",
        "--sources",
        s(&loyalty),
        s(&rewards),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("each of the 2 source apps has exactly one"),
        "{}",
        r.stdout
    );
    // A normal package is not a runtime package.
    let normal = tmp.path().join("normal.app");
    std::fs::write(
        &normal,
        fixtures::normal_package(uuid::Uuid::nil(), uuid::Uuid::nil(), "X"),
    )
    .unwrap();
    let r = alkit(&["runtime-check", s(&normal), "--platform", "24.0"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not a runtime package"), "{}", r.stderr);
}
