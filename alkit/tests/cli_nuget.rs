//! `alkit nuget pack`: BcNuGet packages for the loyalty examples (full, symbols, indirect and
//! compiled runtime packages with `.NEA` fixtures made here from random bytes behind a valid
//! NAVX header), read by alkit's own nupkg reader and, when python3 is installed, by
//! Python's zipfile and XML parser.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{alkit, repo_root};
use runtime_pack::ReadLimits;
use runtime_pack::nuget::Nupkg;

const LOYALTY_ID: &str = "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A runtime package as a server writes it: NAVX header over `.NEA` + opaque bytes.
fn nea(seed: u8) -> Vec<u8> {
    let mut payload = runtime_pack::NEA_MAGIC.to_vec();
    let mut x: u32 = 0x2545_F491 ^ u32::from(seed);
    for _ in 0..2048 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        payload.push(x as u8);
    }
    runtime_pack::write_container(uuid::Uuid::from_u128(u128::from(seed)), &payload)
}

fn read(path: &Path) -> Nupkg {
    Nupkg::read(&std::fs::read(path).unwrap(), &ReadLimits::default()).unwrap()
}

/// Packs both examples plus runtime packages of Customer Loyalty for 24.0 (w1 + dk) and 24.1.
fn pack_all(out: &Path) -> common::Run {
    let rt = out.with_extension("rt");
    std::fs::create_dir_all(&rt).unwrap();
    for (seed, name) in [
        (
            1,
            "Contoso Partners_Customer Loyalty_1.2.0.0.runtime-24.0.16410.18056-w1.app",
        ),
        (
            2,
            "Contoso Partners_Customer Loyalty_1.2.0.0.runtime-24.0.16410.18056-dk.app",
        ),
        (
            3,
            "Contoso Partners_Customer Loyalty_1.2.0.0.runtime-24.1.18000.0-w1.app",
        ),
    ] {
        std::fs::write(rt.join(name), nea(seed)).unwrap();
    }
    alkit(&[
        "nuget",
        "pack",
        s(&repo_root().join("examples/loyalty")),
        s(&repo_root().join("examples/loyalty-rewards")),
        "--runtime",
        s(&rt),
        "--out",
        s(out),
    ])
}

#[test]
fn full_symbols_and_runtime_packages_follow_the_format() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("feed");
    let r = pack_all(&out);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);

    // Full: publisher.name.appid, the .app at the root, dependencies by BcNuGet id.
    let full = read(&out.join(
        "full/ContosoPartners.LoyaltyRewards.a7c2e9d4-3b18-4f6a-9e05-6d1b8c4f2e37.1.0.0.0.nupkg",
    ));
    assert_eq!(full.apps.len(), 1);
    assert_eq!(
        full.apps[0].file_name,
        "Contoso Partners_Loyalty Rewards_1.0.0.0.app"
    );
    assert_eq!(full.apps[0].country, None);
    let deps: Vec<(String, String)> = full
        .nuspec
        .dependencies
        .iter()
        .map(|d| (d.id.clone(), d.range.to_string()))
        .collect();
    assert!(
        deps.contains(&(
            format!("ContosoPartners.CustomerLoyalty.{LOYALTY_ID}"),
            "1.2.0.0".into()
        )),
        "{deps:?}"
    );
    assert!(
        deps.iter().any(|(i, _)| i == "Microsoft.Application"),
        "{deps:?}"
    );
    assert!(
        deps.iter().any(|(i, _)| i == "Microsoft.Platform"),
        "{deps:?}"
    );

    // Symbols: a symbols-only .app.
    let sym = read(&out.join(format!(
        "symbols/ContosoPartners.CustomerLoyalty.symbols.{LOYALTY_ID}.1.2.0.0.nupkg"
    )));
    let app = runtime_pack::Package::read(&sym.apps[0].bytes).unwrap();
    assert_eq!(app.kind(), runtime_pack::PackageKind::SymbolsOnly);

    // Indirect runtime package: no files, a dependency on the compiled package.
    let indirect = read(&out.join(format!(
        "runtime/ContosoPartners.CustomerLoyalty.runtime.{LOYALTY_ID}.1.2.0.0.nupkg"
    )));
    assert!(indirect.apps.is_empty());
    assert!(indirect.nuspec.dependencies.iter().any(|d| d.id
        == "ContosoPartners.CustomerLoyalty.runtime-1-2-0-0"
        && d.range.to_string() == "1.0.0.0"));

    // Compiled: one version per BC version, Microsoft.Application [x, x.minor+1), dk in a folder.
    let c240 = read(
        &out.join("runtime/ContosoPartners.CustomerLoyalty.runtime-1-2-0-0.24.0.16410.18056.nupkg"),
    );
    let app_range = c240
        .nuspec
        .dependencies
        .iter()
        .find(|d| d.id == "Microsoft.Application")
        .unwrap()
        .range
        .to_string();
    assert_eq!(app_range, "[24.0.16410.18056,24.1)");
    let files: Vec<(Option<String>, String)> = c240
        .apps
        .iter()
        .map(|a| (a.country.clone(), a.file_name.clone()))
        .collect();
    assert_eq!(
        files,
        [
            (
                None,
                "Contoso Partners_Customer Loyalty_1.2.0.0.runtime-24.0.16410.18056-w1.app"
                    .to_string()
            ),
            (
                Some("dk".to_string()),
                "Contoso Partners_Customer Loyalty_1.2.0.0.runtime-24.0.16410.18056-dk.app"
                    .to_string()
            ),
        ]
    );
    assert_eq!(c240.apps_for(Some("dk"))[0].country.as_deref(), Some("dk"));
    assert_eq!(c240.apps_for(Some("de"))[0].country, None);
    assert!(
        out.join("runtime/ContosoPartners.CustomerLoyalty.runtime-1-2-0-0.24.1.18000.0.nupkg")
            .is_file()
    );
    // The runtime packages are opaque .NEA files, carried byte for byte.
    assert_eq!(c240.apps[0].bytes, nea(1));
}

#[test]
fn bytes_are_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_eq!(pack_all(&a).code, 0);
    assert_eq!(pack_all(&b).code, 0);
    let snap = |d: &Path| common::snapshot(d);
    let (sa, sb) = (snap(&a), snap(&b));
    assert_eq!(sa.len(), 7, "{:?}", sa.keys());
    assert_eq!(sa, sb);
}

#[test]
fn python_reads_the_packages() {
    if std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("SKIPPED: python3 is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("feed");
    assert_eq!(pack_all(&out).code, 0);
    // zipfile (CRC of every member), the nuspec, [Content_Types].xml, _rels/.rels and the
    // core properties they point to; prints id, version and the .app files.
    let script = r#"
import sys, zipfile, glob, os, xml.etree.ElementTree as ET
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*", "*.nupkg"))):
    z = zipfile.ZipFile(f)
    assert z.testzip() is None, f
    names = z.namelist()
    spec = [n for n in names if n.endswith(".nuspec") and "/" not in n]
    assert len(spec) == 1, names
    root = ET.fromstring(z.read(spec[0]))
    ns = root.tag.split("}")[0][1:]
    md = root.find("{%s}metadata" % ns)
    ident = md.find("{%s}id" % ns).text
    ver = md.find("{%s}version" % ns).text
    assert md.find("{%s}authors" % ns).text == "Contoso Partners"
    ET.fromstring(z.read("[Content_Types].xml"))
    rels = ET.fromstring(z.read("_rels/.rels"))
    for r in rels:
        target = r.get("Target").lstrip("/")
        assert target in names, target
        ET.fromstring(z.read(target))
    apps = [n for n in names if n.endswith(".app")]
    print(ident, ver, len(apps))
"#;
    let o = std::process::Command::new("python3")
        .args(["-c", script, s(&out)])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(stdout.lines().count(), 7, "{stdout}");
    assert!(
        stdout.contains("ContosoPartners.CustomerLoyalty.runtime-1-2-0-0 24.0.16410.18056 2"),
        "{stdout}"
    );
}

#[test]
fn runtime_files_must_be_nea_and_match_an_app() {
    let tmp = tempfile::tempdir().unwrap();
    let stray = tmp
        .path()
        .join("Fabrikam_Other_1.0.0.0.runtime-24.0.1.2-w1.app");
    std::fs::write(&stray, nea(9)).unwrap();
    let r = alkit(&[
        "nuget",
        "pack",
        s(&repo_root().join("examples/loyalty")),
        "--runtime",
        s(&stray),
        "--out",
        s(&tmp.path().join("o")),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("matches none of the apps"),
        "{}",
        r.stderr
    );
    // An ordinary package is not a runtime package.
    let fake = tmp
        .path()
        .join("Contoso Partners_Customer Loyalty_1.2.0.0.runtime-24.0.1.2-w1.app");
    std::fs::write(
        &fake,
        runtime_pack::fixtures::normal_package(uuid::Uuid::nil(), uuid::Uuid::nil(), "X"),
    )
    .unwrap();
    let r = alkit(&[
        "nuget",
        "pack",
        s(&repo_root().join("examples/loyalty")),
        "--runtime",
        s(&fake),
        "--out",
        s(&tmp.path().join("o")),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not a runtime package"), "{}", r.stderr);
    assert!(!tmp.path().join("o").exists());
}
