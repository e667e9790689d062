//! `alkit extract` writes a project `alkit pack` can rebuild: sources and layouts at their
//! project-relative paths (not one `src/` level deeper), app.json with `showMyCode` and the
//! resource exposure policy. Synthetic packages only (`runtime_pack::fixtures`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::alkit_in;
use runtime_pack::{Package, Uuid, escape_part_name, fixtures, write_container};

const TABLE: &str =
    "table 50100 \"Fixture Table\"\r\n{\r\n    fields { field(1; Code; Code[20]) { } }\r\n}\r\n";
const CODEUNIT: &str = "codeunit 50100 \"Fixture Codeunit\"\r\n{\r\n}\r\n";
const REPORT: &str = "report 50101 \"Fixture Report\"\r\n{\r\n    RDLCLayout = './src/Reports/Fixture Report.rdlc';\r\n}\r\n";

/// A package laid out as the compiler lays out a project that keeps its code in `src/`:
/// source parts `src/src/…` (escaped twice), a layout under `layout/src/…`, and a manifest
/// whose `ShowMyCode` and policy are given.
fn compiler_like_package(manifest: &str) -> Vec<u8> {
    let entries: Vec<(String, Vec<u8>)> = vec![
        ("NavxManifest.xml".to_owned(), manifest.as_bytes().to_vec()),
        (
            "SymbolReference.json".to_owned(),
            fixtures::symbol_reference_json(Uuid::nil(), "Fixture App"),
        ),
        (
            escape_part_name("src/src/Tables/Fixture Table.Table.al"),
            TABLE.as_bytes().to_vec(),
        ),
        (
            escape_part_name("src/src/System Codeunits/Fixture Codeunit.Codeunit.al"),
            CODEUNIT.as_bytes().to_vec(),
        ),
        (
            escape_part_name("src/src/Reports/Fixture Report.Report.al"),
            REPORT.as_bytes().to_vec(),
        ),
        (
            escape_part_name("layout/src/Reports/Fixture Report.rdlc"),
            b"<Report/>".to_vec(),
        ),
        (
            escape_part_name("Translations/Fixture App.g.xlf"),
            b"<xliff/>".to_vec(),
        ),
        (
            "[Content_Types].xml".to_owned(),
            fixtures::content_types_xml(&["xml", "json", "al", "xlf", "rdlc"]),
        ),
    ];
    write_container(Uuid::nil(), &fixtures::zip_owned(&entries))
}

fn fixture_manifest() -> String {
    fixtures::manifest_xml(Uuid::nil(), "Fixture App", "1.0.0.0")
}

/// Writes `bytes` as `p.app` in a new temp dir and extracts it to `out`.
fn extract(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.app"), bytes).unwrap();
    let r = alkit_in(dir.path(), &["extract", "p.app", "out"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let out = dir.path().join("out");
    (dir, out)
}

/// Packs `project` into `dir/rebuilt` and reads the package back.
fn pack(dir: &Path, project: &Path) -> Vec<u8> {
    let out = dir.join("rebuilt");
    std::fs::create_dir_all(&out).unwrap();
    let r = alkit_in(
        dir,
        &[
            "pack",
            project.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let app = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "app"))
        .expect("pack wrote an .app");
    std::fs::read(app).unwrap()
}

#[test]
fn sources_land_at_their_project_relative_paths() {
    let (_dir, out) = extract(&compiler_like_package(&fixture_manifest()));
    let table = out
        .join("src")
        .join("Tables")
        .join("Fixture Table.Table.al");
    assert_eq!(std::fs::read_to_string(&table).unwrap(), TABLE);
    assert!(
        out.join("src")
            .join("System Codeunits")
            .join("Fixture Codeunit.Codeunit.al")
            .is_file()
    );
    assert!(
        !out.join("src").join("src").exists(),
        "sources nested one level too deep"
    );
    // Layouts likewise: where the report's RDLCLayout property points.
    assert!(
        out.join("src")
            .join("Reports")
            .join("Fixture Report.rdlc")
            .is_file()
    );
    assert!(!out.join("layout").exists());
    // Other entries keep their package paths (un-escaped once).
    assert!(out.join("Translations").join("Fixture App.g.xlf").is_file());
    assert!(out.join("NavxManifest.xml").is_file());
}

#[test]
fn extract_then_pack_keeps_paths_show_my_code_and_policy() {
    let original = compiler_like_package(&fixture_manifest());
    let (dir, out) = extract(&original);
    let app_json = std::fs::read_to_string(out.join("app.json")).unwrap();
    assert!(app_json.contains("\"showMyCode\": true"), "{app_json}");
    assert!(app_json.contains("\"allowDebugging\": true"), "{app_json}");

    let rebuilt = pack(dir.path(), &out);
    let rebuilt = Package::read(&rebuilt).unwrap();
    let original = Package::read(&original).unwrap();
    let sources = |p: &Package| {
        let mut v: Vec<(String, Vec<u8>)> = p
            .source_files()
            .map(|e| (e.name.clone(), e.data.clone()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(sources(&rebuilt), sources(&original));
    let layout = rebuilt
        .entry("layout/src/Reports/Fixture Report.rdlc")
        .expect("layout packed again");
    assert_eq!(layout.data, b"<Report/>");

    let manifest = rebuilt.manifest().unwrap().unwrap();
    assert_eq!(manifest.app.show_my_code, Some(true));
    let policy = manifest.resource_exposure_policy.unwrap();
    assert_eq!(policy.allow_debugging, Some(true));
    assert_eq!(policy.allow_downloading_source, Some(false));
    assert_eq!(policy.include_source_in_symbol_file, Some(false));

    // Symbols point at the same project-relative files as the compiler's do (escaped once).
    let symbols = rebuilt.symbol_reference().unwrap().unwrap();
    let mut files: Vec<String> = symbols
        .objects()
        .iter()
        .filter_map(|o| o.object.reference_source_file_name.clone())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "src/Reports/Fixture%20Report.Report.al",
            "src/System%20Codeunits/Fixture%20Codeunit.Codeunit.al",
            "src/Tables/Fixture%20Table.Table.al",
        ]
    );
}

#[test]
fn show_my_code_without_policy_flags_round_trips() {
    // Microsoft's System 19/24 packages: ShowMyCode="True" and an empty policy element.
    let manifest = fixture_manifest().replace(
        "<ResourceExposurePolicy AllowDebugging=\"true\" AllowDownloadingSource=\"false\" IncludeSourceInSymbolFile=\"false\" ApplyToDevExtension=\"false\" />",
        "<ResourceExposurePolicy />",
    );
    assert!(manifest.contains("<ResourceExposurePolicy />"));
    let (dir, out) = extract(&compiler_like_package(&manifest));
    let app_json = std::fs::read_to_string(out.join("app.json")).unwrap();
    assert!(app_json.contains("\"showMyCode\": true"), "{app_json}");
    assert!(!app_json.contains("resourceExposurePolicy"), "{app_json}");

    let rebuilt = Package::read(&pack(dir.path(), &out)).unwrap();
    let xml = rebuilt.manifest_xml().unwrap();
    assert!(xml.contains(" ShowMyCode=\"True\""), "{xml}");
    assert!(xml.contains("<ResourceExposurePolicy />"), "{xml}");
}

#[test]
fn entries_that_would_share_a_file_are_refused() {
    // `src/NavxManifest.xml` lands where the package's own manifest goes.
    let entries: Vec<(String, Vec<u8>)> = vec![
        (
            "NavxManifest.xml".to_owned(),
            fixture_manifest().into_bytes(),
        ),
        ("src/NavxManifest.xml".to_owned(), b"<x/>".to_vec()),
    ];
    let bytes = write_container(Uuid::nil(), &fixtures::zip_owned(&entries));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.app"), bytes).unwrap();
    let r = alkit_in(dir.path(), &["extract", "p.app", "out"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("both be written"), "{}", r.stderr);
    assert!(!dir.path().join("out").exists());
}
