//! `alkit pack`: round trip through `alkit inspect`, determinism, SOURCE_DATE_EPOCH, syntax
//! errors, resources (logo, translations, layouts) and part-name escaping.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Run, project, repo_root};
use runtime_pack::{NAVX_HEADER_LEN, Package};

const LOYALTY_APP: &str = "Contoso Partners_Customer Loyalty_1.2.0.0.app";

/// Runs `alkit` with `args`; `epoch` sets SOURCE_DATE_EPOCH (otherwise it is removed).
fn alkit_env(args: &[&str], epoch: Option<&str>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_alkit"));
    cmd.args(args).current_dir(repo_root());
    match epoch {
        Some(v) => cmd.env("SOURCE_DATE_EPOCH", v),
        None => cmd.env_remove("SOURCE_DATE_EPOCH"),
    };
    let out = cmd.output().expect("alkit runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn pack_into(project: &Path, out: &Path, extra: &[&str], epoch: Option<&str>) -> Run {
    let mut args = vec![
        "pack",
        project.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    alkit_env(&args, epoch)
}

fn pack_loyalty(extra: &[&str], epoch: Option<&str>) -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let r = pack_into(
        &repo_root().join("examples/loyalty"),
        dir.path(),
        extra,
        epoch,
    );
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    let file = dir.path().join(LOYALTY_APP);
    assert!(r.stdout.contains(LOYALTY_APP), "{}", r.stdout);
    let bytes = std::fs::read(&file).unwrap();
    (dir, file, bytes)
}

#[test]
fn loyalty_round_trips_through_inspect() {
    let (_dir, file, _) = pack_loyalty(&[], None);
    let r = common::alkit(&["inspect", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "Customer Loyalty by Contoso Partners 1.2.0.0 (id 5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11)"
        ),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("50100..50149"), "{}", r.stdout);
    assert!(r.stdout.contains("Runtime: 13.0"), "{}", r.stdout);

    let r = common::alkit(&["inspect", "--json", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut got: Vec<(String, i64, String, String)> = v["objects"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["type"].as_str().unwrap().to_owned(),
                o["id"].as_i64().unwrap(),
                o["name"].as_str().unwrap().to_owned(),
                o["source"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, i64, String, String)> = [
        (
            "Codeunits",
            "Loyalty Management",
            "Codeunits/LoyaltyManagement.Codeunit.al",
        ),
        (
            "EnumExtensionTypes",
            "Sales Line Type Loyalty",
            "Enums/SalesLineTypeLoyalty.EnumExt.al",
        ),
        ("EnumTypes", "Loyalty Level", "Enums/LoyaltyLevel.Enum.al"),
        (
            "PageExtensions",
            "Customer Card Loyalty",
            "Pages/CustomerCardLoyalty.PageExt.al",
        ),
        ("Pages", "Loyalty Tiers", "Pages/LoyaltyTiers.Page.al"),
        (
            "PermissionSets",
            "Loyalty Admin",
            "Permissions/LoyaltyAdmin.PermissionSet.al",
        ),
        (
            "Queries",
            "Customer Points",
            "Queries/CustomerPoints.Query.al",
        ),
        (
            "Reports",
            "Loyalty Points Statement",
            "Reports/LoyaltyPointsStatement.Report.al",
        ),
        (
            "TableExtensions",
            "Customer Loyalty",
            "Tables/CustomerLoyalty.TableExt.al",
        ),
        ("Tables", "Loyalty Tier", "Tables/LoyaltyTier.Table.al"),
    ]
    .iter()
    .map(|(t, n, s)| (t.to_string(), 50100, n.to_string(), format!("src/{s}")))
    .collect();
    want.sort();
    assert_eq!(got, want);

    // Every source file is in the package byte for byte, under src/ + project-relative path.
    let package = Package::read(&std::fs::read(&file).unwrap()).unwrap();
    for (_, _, _, source) in &want {
        let original = std::fs::read(repo_root().join("examples/loyalty").join(source)).unwrap();
        let entry = package.entry(&format!("src/{source}")).expect(source);
        assert_eq!(entry.data, original, "{source}");
    }
    for name in [
        "NavxManifest.xml",
        "SymbolReference.json",
        "MediaIdListing.xml",
        "DocComments.xml",
        "[Content_Types].xml",
        "entitlement/5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11.xml",
    ] {
        assert!(package.entry(name).is_some(), "{name}");
    }
    let symbols = package.symbol_reference().unwrap().unwrap();
    assert_eq!(symbols.runtime_version.as_deref(), Some("13.0"));
    assert!(
        symbols.namespaces.is_some(),
        "runtime 13 uses the Namespaces tree"
    );
}

#[test]
fn packing_twice_gives_identical_bytes() {
    let (_a, _, first) = pack_loyalty(&[], None);
    let (_b, _, second) = pack_loyalty(&[], None);
    assert_eq!(first, second);

    // A random package id changes only the 16 id bytes of the header.
    let (_c, _, random) = pack_loyalty(&["--random-package-id"], None);
    assert_eq!(first.len(), random.len());
    let diff: Vec<usize> = (0..first.len())
        .filter(|&i| first[i] != random[i])
        .collect();
    assert!(!diff.is_empty());
    assert!(diff.iter().all(|&i| (12..28).contains(&i)), "{diff:?}");
}

#[test]
fn source_date_epoch_changes_only_timestamps() {
    let (_a, _, plain) = pack_loyalty(&[], None);
    let (_b, _, dated) = pack_loyalty(&[], Some("1700000000"));
    let (_c, _, dated_again) = pack_loyalty(&[], Some("1700000000"));
    assert_eq!(dated, dated_again);
    assert_ne!(plain, dated);
    assert_eq!(plain.len(), dated.len());
    // Header (package id included) unchanged.
    assert_eq!(plain[..NAVX_HEADER_LEN], dated[..NAVX_HEADER_LEN]);
    let (p, d) = (
        Package::read(&plain).unwrap(),
        Package::read(&dated).unwrap(),
    );
    assert_eq!(p.entries(), d.entries());
    // Differences are confined to the 4-byte time/date fields: local header offset 10..14 and
    // central header offset 12..16 of each record.
    let zip = &plain[NAVX_HEADER_LEN..];
    let mut allowed = std::collections::BTreeSet::new();
    for i in 0..zip.len().saturating_sub(4) {
        if zip[i..i + 4] == *b"PK\x03\x04" {
            allowed.extend(i + 10..i + 14);
        } else if zip[i..i + 4] == *b"PK\x01\x02" {
            allowed.extend(i + 12..i + 16);
        }
    }
    for i in 0..zip.len() {
        if zip[i] != dated[NAVX_HEADER_LEN + i] {
            assert!(allowed.contains(&i), "byte {i} differs outside a timestamp");
        }
    }

    let r = pack_into(
        &repo_root().join("examples/loyalty"),
        tempfile::tempdir().unwrap().path(),
        &[],
        Some("yesterday"),
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("SOURCE_DATE_EPOCH"), "{}", r.stderr);
}

const APP_JSON: &str = r#"{
  "id": "11111111-2222-3333-4444-555555555555",
  "name": "Pack Test",
  "publisher": "Fabrikam",
  "version": "2.0.0.1",
  "logo": "Images/logo.png",
  "idRanges": [{ "from": 60000, "to": 60010 }],
  "runtime": "11.0"
}"#;

#[test]
fn syntax_error_stops_the_build() {
    let dir = project(&[
        ("app.json", APP_JSON),
        ("Images/logo.png", "png"),
        ("src/Good.Codeunit.al", "codeunit 60000 Good { }\n"),
        (
            "src/Bad.Codeunit.al",
            "codeunit 60001 Bad\n{\n    procedure P()\n    begin\n        if then;\n    end;\n}\n",
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    let r = pack_into(dir.path(), out.path(), &[], None);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("Bad.Codeunit.al:5:"), "{}", r.stderr);
    assert!(r.stderr.contains("no package written"), "{}", r.stderr);
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn resources_escaping_and_skipped_folders() {
    let dir = project(&[
        ("app.json", APP_JSON),
        ("Images/logo.png", "\u{89}PNG fake"),
        (
            "src/My Folder/Tier 100%.Codeunit.al",
            "/// <summary>Does things.</summary>\ncodeunit 60000 \"Tier Mgt\" { procedure Run(var N: Integer) begin end; }\n",
        ),
        (
            "src/Report.Report.al",
            "report 60001 Rep { RDLCLayout = './layouts/Rep.rdlc'; dataset { } }\n",
        ),
        ("layouts/Rep.rdlc", "<Report/>"),
        ("Translations/Pack Test.g.xlf", "<xliff/>"),
        ("Translations/Pack Test.de-DE.xlf", "<xliff de/>"),
        (".alpackages/Dep.al", "codeunit 1 Skipped { }"),
        ("bin/Gen.al", "codeunit 2 Skipped2 { }"),
        ("other/app.json", "{}"),
        ("other/Other.al", "codeunit 3 Skipped3 { }"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("pack.app");
    let r = pack_into(dir.path(), &file, &[], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let package = Package::read(&std::fs::read(&file).unwrap()).unwrap();
    let names: Vec<&str> = package.entries().iter().map(|e| e.name.as_str()).collect();
    assert!(
        names.contains(&"src/src/My%2520Folder/Tier%2520100%2525.Codeunit.al"),
        "{names:?}"
    );
    assert!(
        names.contains(&"Translations/Pack%20Test.g.xlf"),
        "{names:?}"
    );
    assert!(
        names.contains(&"Translations/Pack%20Test.de-DE.xlf"),
        "{names:?}"
    );
    assert!(names.contains(&"layout/layouts/Rep.rdlc"), "{names:?}");
    assert!(names.contains(&"logo/logo.png"), "{names:?}");
    assert_eq!(names.first(), Some(&"NavxManifest.xml"));
    assert_eq!(names.last(), Some(&"[Content_Types].xml"));
    assert!(
        !names
            .iter()
            .any(|n| n.contains("Skipped") || n.contains("Other") || n.contains("Gen.al"))
    );
    let ct = package.content_types_xml().unwrap();
    for ext in ["al", "json", "png", "rdlc", "xlf", "xml"] {
        assert!(
            ct.contains(&format!("<Default Extension=\"{ext}\" ContentType=\"\" />")),
            "{ct}"
        );
    }
    let media = package.entry("MediaIdListing.xml").unwrap().text().unwrap();
    assert!(media.contains("LogoFileName=\"logo.png\""), "{media}");
    let manifest = package.manifest_xml().unwrap();
    assert!(manifest.contains("Logo=\"/logo/logo.png\""), "{manifest}");
    let docs = package.entry("DocComments.xml").unwrap().text().unwrap();
    assert!(
        docs.contains(
            "<member name=\"O:Codeunit::Tier Mgt\"><summary>Does things.</summary></member>"
        ),
        "{docs}"
    );
    let symbols = package.symbol_reference().unwrap().unwrap();
    assert!(symbols.namespaces.is_none());
    let objects = symbols.objects();
    assert_eq!(objects.len(), 2);
    let cu = objects
        .iter()
        .find(|o| o.object.name == "Tier Mgt")
        .unwrap()
        .object;
    assert_eq!(cu.id, 60000);
    assert_eq!(
        cu.reference_source_file_name.as_deref(),
        // Percent-escaped, as the compiler writes it (BC 19/24 System packages).
        Some("src/My%20Folder/Tier%20100%25.Codeunit.al")
    );
    let m = &cu.methods.as_ref().unwrap()[0];
    assert_eq!(m.name, "Run");
    assert_eq!(m.parameters.as_ref().unwrap()[0].is_var, Some(true));
}

/// Round trips that hold (#20 item 6): `"logo": ""`, AL-Go's version hints, `--out` to a
/// folder that does not exist yet.
#[test]
fn pack_extract_pack_round_trips() {
    let app_json = r#"{"id":"7acaede4-b19b-46e3-9ab6-c8ba239bafd0","name":"Round","publisher":"P","version":"1.0.0.0","platform":"1.0.0.0","application":"24.0.0.0","logo":"","idRanges":[{"from":50100,"to":50149}]}"#;
    let p = project(&[
        ("app.json", app_json),
        (
            "src/X.Codeunit.al",
            "namespace Contoso.Round;\ncodeunit 50100 X\n{\n}\n",
        ),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    // A folder that does not exist yet (no .app extension): created, the package goes inside.
    let out = tmp.path().join("build/out");
    let r = pack_into(p.path(), &out, &[], Some("1700000000"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let file = out.join("P_Round_1.0.0.0.app");
    let pkg = Package::read(&std::fs::read(&file).unwrap()).unwrap();
    let xml = pkg.manifest_xml().unwrap();
    assert!(xml.contains("Logo=\"\""), "{xml}");
    // No runtime, but application 24: the compiler's current layout (namespaces, identity).
    let symbols = String::from_utf8(pkg.symbol_reference_bytes().unwrap().to_vec()).unwrap();
    for present in ["\"Namespaces\"", "\"AppId\"", "\"Publisher\""] {
        assert!(symbols.contains(present), "{present}: {symbols}");
    }
    // extract → pack again: same package.
    let x = tmp.path().join("x");
    let r = alkit_env(
        &["extract", file.to_str().unwrap(), x.to_str().unwrap()],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let again = tmp.path().join("again.app");
    let r = pack_into(&x, &again, &[], Some("1700000000"));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let pkg2 = Package::read(&std::fs::read(&again).unwrap()).unwrap();
    assert_eq!(pkg2.manifest_xml(), pkg.manifest_xml());
    assert_eq!(pkg2.symbol_reference_bytes(), pkg.symbol_reference_bytes());
}
