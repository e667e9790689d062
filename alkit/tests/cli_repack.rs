//! `alkit repack` on a packed loyalty example and on fixtures: version, dependencies, flags,
//! internalsVisibleTo; SymbolReference.json follows; other entries byte-identical; signed and
//! `.NEA` inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;

use common::{alkit, repo_root};
use runtime_pack::{Package, fixtures};

const LOYALTY_APP: &str = "Contoso Partners_Customer Loyalty_1.2.0.0.app";
const BASE_APP: &str = "437dbf0e-84ff-417a-965d-ed2bb9650972";
const TESTS_APP: &str = "11111111-2222-3333-4444-555555555555";

fn packed() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let r = alkit(&[
        "pack",
        repo_root().join("examples/loyalty").to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let file = dir.path().join(LOYALTY_APP);
    (dir, file)
}

fn symbols(pkg: &Package) -> serde_json::Value {
    let b = pkg.symbol_reference_bytes().unwrap();
    serde_json::from_slice(b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)).unwrap()
}

#[test]
fn repack_changes_manifest_and_symbols_follow() {
    let (dir, file) = packed();
    let out = dir.path().join("out.app");
    let dep = format!("{BASE_APP}:name=Base Application,publisher=Microsoft,version=24.0.0.0");
    let ivt = format!("{TESTS_APP}:Loyalty Tests:Contoso Partners");
    let r = alkit(&[
        "repack",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--version",
        "1.3.0.0",
        "--set-dependency",
        &dep,
        "--allow-debugging",
        "false",
        "--show-my-code",
        "true",
        "--add-internals-visible-to",
        &ivt,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("version 1.2.0.0 -> 1.3.0.0"),
        "{}",
        r.stdout
    );

    let old = Package::read(&std::fs::read(&file).unwrap()).unwrap();
    let new = Package::read(&std::fs::read(&out).unwrap()).unwrap();
    let m = new.manifest().unwrap().unwrap();
    assert_eq!(m.app.version.to_string(), "1.3.0.0");
    assert_eq!(m.dependencies.len(), 1);
    assert_eq!(m.dependencies[0].id.to_string(), BASE_APP);
    assert_eq!(m.dependencies[0].min_version.to_string(), "24.0.0.0");
    let pol = m.resource_exposure_policy.as_ref().unwrap();
    assert_eq!(pol.allow_debugging, Some(false));
    assert_eq!(pol.allow_downloading_source, Some(true));
    assert_eq!(m.app.show_my_code, Some(true));
    assert_eq!(m.internals_visible_to.len(), 1);

    let s = symbols(&new);
    assert_eq!(s["Version"], "1.3.0.0");
    assert_eq!(s["InternalsVisibleToModules"][0]["AppId"], TESTS_APP);
    assert_eq!(s["InternalsVisibleToModules"][0]["Name"], "Loyalty Tests");
    // Apart from the followed keys, SymbolReference.json is the same.
    let mut a = symbols(&old);
    let mut b = s.clone();
    for k in ["Version", "InternalsVisibleToModules"] {
        a.as_object_mut().unwrap().remove(k);
        b.as_object_mut().unwrap().remove(k);
    }
    assert_eq!(a, b);

    // Every other entry byte for byte; same set of entries; package id kept.
    let skip = [
        "NavxManifest.xml",
        "SymbolReference.json",
        "[Content_Types].xml",
    ];
    assert_eq!(old.entries().len(), new.entries().len());
    for e in old.entries() {
        let n = new
            .entry(&e.path)
            .unwrap_or_else(|| panic!("{} missing", e.path));
        if !skip.contains(&e.path.as_str()) {
            assert_eq!(e.data, n.data, "{} differs", e.path);
        }
    }
    assert_eq!(old.header().package_id, new.header().package_id);
}

#[test]
fn new_dependency_id_and_package_id() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("in.app");
    let app = uuid::Uuid::from_u128(7);
    std::fs::write(
        &file,
        fixtures::normal_package(uuid::Uuid::from_u128(1), app, "Fixture"),
    )
    .unwrap();
    let out = tmp.path().join("out.app");
    let new_dep = "22222222-3333-4444-5555-666666666666";
    let pid = "99999999-8888-7777-6666-555555555555";
    let r = alkit(&[
        "repack",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--new-dependency-id",
        &format!("{BASE_APP}={new_dep}"),
        "--package-id",
        pid,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let new = Package::read(&std::fs::read(&out).unwrap()).unwrap();
    let m = new.manifest().unwrap().unwrap();
    assert_eq!(m.dependencies[0].id.to_string(), new_dep);
    assert_eq!(new.header().package_id.to_string(), pid);
    // Unknown dependency: bad input, nothing written.
    let out2 = tmp.path().join("out2.app");
    let r = alkit(&[
        "repack",
        file.to_str().unwrap(),
        "--out",
        out2.to_str().unwrap(),
        "--new-dependency-id",
        &format!("{new_dep}={BASE_APP}"),
    ]);
    assert_eq!(r.code, 2);
    assert!(!out2.exists());
}

#[test]
fn signed_input_needs_strip_signature() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("signed.app");
    let pkg = fixtures::normal_package(
        uuid::Uuid::from_u128(1),
        uuid::Uuid::from_u128(7),
        "Fixture",
    );
    std::fs::write(&file, fixtures::sign(pkg, None, "Contoso Code Signing")).unwrap();
    let out = tmp.path().join("out.app");
    let args = [
        "repack",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--version",
        "2.0.0.0",
    ];
    let r = alkit(&args);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("--strip-signature"), "{}", r.stderr);
    assert!(!out.exists());

    let mut with = args.to_vec();
    with.push("--strip-signature");
    let r = alkit(&with);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("signature was DROPPED"), "{}", r.stdout);
    let new = Package::read(&std::fs::read(&out).unwrap()).unwrap();
    assert!(!new.is_signed());
}

#[test]
fn runtime_package_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("genuine.app");
    std::fs::write(&file, fixtures::runtime_package(uuid::Uuid::nil())).unwrap();
    let r = alkit(&["repack", file.to_str().unwrap(), "--version", "2.0.0.0"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains(".NEA"), "{}", r.stderr);
}

/// #19 item 3: `--out .` (or `--out` naming the input) where the generated name is the
/// input's own: refused, the signed original kept byte for byte.
#[test]
fn repack_never_overwrites_its_input_even_with_out() {
    let tmp = tempfile::tempdir().unwrap();
    let pkg = fixtures::normal_package(
        uuid::Uuid::from_u128(1),
        uuid::Uuid::from_u128(7),
        "Fixture",
    );
    let signed = fixtures::sign(pkg, None, "Contoso Code Signing");
    // The name repack generates for this package (written into another folder).
    let probe_in = tmp.path().join("probe.app");
    std::fs::write(&probe_in, &signed).unwrap();
    let probe_out = tmp.path().join("probe");
    std::fs::create_dir(&probe_out).unwrap();
    let r = alkit(&[
        "repack",
        probe_in.to_str().unwrap(),
        "--strip-signature",
        "--out",
        probe_out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let name = std::fs::read_dir(&probe_out)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .file_name();
    // The signed input under that very name.
    let input = tmp.path().join(&name);
    std::fs::write(&input, &signed).unwrap();
    let name = name.to_str().unwrap().to_string();
    for out in [".", name.as_str(), "./"] {
        let r = common::alkit_in(
            tmp.path(),
            &["repack", &name, "--strip-signature", "--out", out],
        );
        assert_eq!(r.code, 2, "--out {out}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("never overwrites its input")
                && r.stderr.contains("signed original would be lost"),
            "{}",
            r.stderr
        );
        assert_eq!(std::fs::read(&input).unwrap(), signed, "--out {out}");
    }
    // Without --out (next to the input) as before.
    let r = common::alkit_in(tmp.path(), &["repack", &name, "--strip-signature"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(std::fs::read(&input).unwrap(), signed);
}
