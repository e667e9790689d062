//! `alkit licence check|convert|show` on the bundled loyalty example, temporary projects,
//! packages and hand-made (unsigned) licence fixtures. No real licence file is used.

#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use common::{alkit, project};
use runtime_pack::fixtures;

/// Covers table 50100 fully, codeunit 50100 with Execute only, the report until
/// 2026-06-30; nothing for pages or the query.
const RANGES: &str = "# bc-license-ranges 1\n\
# licensee: Example Ltd\n\
# expires: 2027-12-31\n\
table     50100 50149 RIMDX\n\
tabledata 50100 50149 RIMD\n\
codeunit  50100 50149 X\n\
report    50100 50149 RIMDX 2026-06-30\n\
query     50000 50099 RIMDX\n";

/// Everything the loyalty example needs.
const FULL: &str = "table,50100,50149,RIMDX\n\
page;50100;50149;RIMDX\n\
codeunit\t50100\t50149\tRIMDX\n\
report 50100 50149 31\n\
query 50100 50149 Yes Yes Yes Yes Yes\n";

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

/// A `.bclicense` in the §4 shape: UTF-16LE + BOM, header, two U+FEFF, one-line XML.
fn bclicense() -> Vec<u8> {
    let header = "Microsoft Software License Information\r\n\
Copyright (C) 2007-2024 Microsoft Corporation. All rights reserved\r\n\
*******************************************************************\r\n\
VOICE Account Number    : 7654321\r\n\
Licensed to             : Example Ltd\r\n\
*******************************************************************\r\n\r\n\r\n";
    let xml = "<License><Properties>\
<Property name=\"SN\" type=\"string\" id=\"1\"><![CDATA[7654321]]></Property>\
<Property name=\"INF1\" type=\"string\" id=\"20\"><![CDATA[Example Ltd]]></Property>\
<Property name=\"CC\" type=\"String\" id=\"254\"><![CDATA[W1]]></Property>\
</Properties><PermissionCollections>\
<pl t=\"Codeunit\" c=\"1\"><ps><p f=\"50100\" t=\"50149\" pbm=\"31\" /></ps></pl>\
<pl t=\"Page\" c=\"1\"><ps><p f=\"50100\" t=\"50149\" pbm=\"16\" /></ps></pl>\
<pl t=\"Query\" c=\"1\"><ps><p f=\"50100\" t=\"50149\" pbm=\"31\" /></ps></pl>\
<pl t=\"Report\" c=\"1\"><ps><p f=\"50100\" t=\"50149\" pbm=\"31\" /></ps></pl>\
<pl t=\"System\" c=\"1\"><ps><p f=\"6000\" t=\"6000\" pbm=\"31\"><e ed=\"2030-01-31\" wd=\"2029-12-31\"><![CDATA[License File Expiration]]></e></p></ps></pl>\
<pl t=\"TableData\" c=\"1\"><ps><p f=\"50100\" t=\"50149\" pbm=\"15\" /></ps></pl>\
<pl t=\"TableDescription\" c=\"1\"><ps><p f=\"50100\" t=\"50149\" pbm=\"31\" /></ps></pl>\
</PermissionCollections><Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo/></Signature></License>";
    let text = format!("{header}\u{feff}\u{feff}{xml}");
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

#[test]
fn check_lists_every_object_outside_the_licence() {
    let dir = tempfile::tempdir().unwrap();
    let lic = write(dir.path(), "lic.txt", RANGES.as_bytes());
    let r = alkit(&[
        "licence",
        "check",
        "examples/loyalty",
        "--licence",
        &lic,
        "--today",
        "2026-07-01",
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let line = |needle: &str| {
        r.stdout
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?} in\n{}", r.stdout))
            .to_string()
    };
    let table = line("table 50100 \"Loyalty Tier\"");
    assert!(table.starts_with("ok"), "{table}");
    assert!(
        table.contains("collection=TableDescription, range=50100..50149, R=D, I=D, M=D, D=D, X=D")
    );
    assert!(table.contains("tabledata=50100..50149 RIMD-"));
    let cu = line("codeunit 50100");
    assert!(cu.starts_with("FAIL"), "{cu}");
    assert!(
        cu.contains("publish=missing I, generate=missing I, runtime=ok"),
        "{cu}"
    );
    assert!(line("page 50100 \"Loyalty Tiers\"").contains("range=none"));
    assert!(line("report 50100").contains("expired on 2026-06-30"));
    assert!(line("pageextension 50100").starts_with("warning"));
    assert!(line("enum 50100").starts_with("skip"));
    assert!(line("permissionset 50100").starts_with("skip"));
    assert!(r.stdout.contains("licensee=Example Ltd"));
    assert!(r.stdout.contains("4 objects are outside the licence"));
    for n in [
        "Loyalty Management",
        "Loyalty Tiers",
        "Customer Points",
        "Loyalty Points Statement",
    ] {
        assert!(
            r.stdout
                .lines()
                .any(|l| l.starts_with("  ") && l.contains(n)),
            "{n} not listed:\n{}",
            r.stdout
        );
    }
    assert!(r.stderr.contains("4 objects are outside the licence"));
}

#[test]
fn check_passes_with_a_full_range_file_and_the_license_alias() {
    let dir = tempfile::tempdir().unwrap();
    let lic = write(dir.path(), "lic.txt", FULL.as_bytes());
    let r = alkit(&[
        "license",
        "check",
        "examples/loyalty",
        "--license",
        &lic,
        "--today",
        "2026-01-01",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("0 failed"));
}

#[test]
fn check_json_report() {
    let dir = tempfile::tempdir().unwrap();
    let lic = write(dir.path(), "lic.bclicense", &bclicense());
    let r = alkit(&[
        "licence",
        "check",
        "examples/loyalty",
        "--licence",
        &lic,
        "--json",
        "--today",
        "2030-02-01",
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["passed"], false);
    assert_eq!(v["licence"]["facts"]["serial"], "7654321");
    assert_eq!(v["summary"]["failed"], 1);
    let objects = v["objects"].as_array().unwrap();
    let page = objects
        .iter()
        .find(|o| o["object"]["kind"] == "Page")
        .unwrap();
    assert_eq!(page["status"], "Fail");
    assert_eq!(page["runtime"], true);
    assert_eq!(page["generate"], false);
    assert!(
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w == "the licence expired on 2030-01-31")
    );
}

#[test]
fn temporary_tables_and_removed_objects_are_skipped() {
    let p = project(&[
        (
            "app.json",
            r#"{"id":"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11","name":"T","publisher":"P","version":"1.0.0.0"}"#,
        ),
        (
            "src/Buf.Table.al",
            "table 60000 \"Buffer\"\n{\n    TableType = Temporary;\n    fields { field(1; Code; Code[20]) { } }\n}\n",
        ),
        (
            "src/Old.Codeunit.al",
            "codeunit 60001 \"Old\"\n{\n    ObsoleteState = Removed;\n    ObsoleteReason = 'gone';\n}\n",
        ),
        ("src/New.Codeunit.al", "codeunit 50100 \"New\"\n{\n}\n"),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let lic = write(dir.path(), "lic.txt", FULL.as_bytes());
    let r = alkit(&[
        "licence",
        "check",
        &p.path().display().to_string(),
        "--licence",
        &lic,
        "--today",
        "2026-01-01",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("skip    table 60000 \"Buffer\": temporary table"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("skip    codeunit 60001 \"Old\": ObsoleteState = Removed"),
        "{}",
        r.stdout
    );
}

#[test]
fn check_a_package() {
    let dir = tempfile::tempdir().unwrap();
    let app = fixtures::normal_package(
        runtime_pack::Uuid::from_u128(1),
        runtime_pack::Uuid::from_u128(2),
        "Fixture App",
    );
    let app = write(dir.path(), "fixture.app", &app);
    let lic = write(dir.path(), "lic.txt", b"table 50100 50100 RIMDX\n");
    let r = alkit(&[
        "licence",
        "check",
        &app,
        "--licence",
        &lic,
        "--today",
        "2026-01-01",
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("ok      table 50100 \"Fixture Table\""),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("FAIL    codeunit 50100 \"Fixture Codeunit\""),
        "{}",
        r.stdout
    );
    let rt = write(
        dir.path(),
        "runtime.app",
        &fixtures::runtime_package(runtime_pack::Uuid::from_u128(3)),
    );
    let r = alkit(&["licence", "check", &rt, "--licence", &lic]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("runtime package"), "{}", r.stderr);
}

#[test]
fn flf_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut flf = b"Microsoft Software License Information\r\n****\r\n\r\n".to_vec();
    flf.extend_from_slice(b"\x1A\x04\xFF\x0D\x10\x08\x1B@MBS Dynamics NAV lic");
    flf.extend_from_slice(&[0x91, 0x02, 0xee, 0x00, 0x13]);
    let lic = write(dir.path(), "old.flf", &flf);
    for args in [
        vec![
            "licence",
            "check",
            "examples/loyalty",
            "--licence",
            lic.as_str(),
        ],
        vec!["licence", "show", lic.as_str()],
        vec!["licence", "convert", lic.as_str()],
    ] {
        let r = alkit(&args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stderr.contains(".flf"), "{}", r.stderr);
        assert!(r.stderr.contains(".bclicense"), "{}", r.stderr);
    }
}

#[test]
fn bad_range_file_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let lic = write(
        dir.path(),
        "lic.txt",
        b"# x\ntable 1 2 RIMDX\npage 1 2 RIQ\n",
    );
    let r = alkit(&["licence", "check", "examples/loyalty", "--licence", &lic]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("line 3, column 10"), "{}", r.stderr);
    let r = alkit(&[
        "licence",
        "check",
        "examples/loyalty",
        "--licence",
        &lic,
        "--today",
        "31.12.2026",
    ]);
    assert_eq!(r.code, 2);
    let r = alkit(&["licence", "check", "no/such/dir", "--licence", &lic]);
    assert_eq!(r.code, 2);
}

#[test]
fn convert_then_check_gives_the_same_result() {
    let dir = tempfile::tempdir().unwrap();
    let lic = write(dir.path(), "lic.bclicense", &bclicense());
    let out = dir.path().join("lic.ranges");
    let out_s = out.display().to_string();
    let r = alkit(&["licence", "convert", &lic, "--out", &out_s]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("# bc-license-ranges 1\n"), "{text}");
    assert!(text.contains("# serial: 7654321"));
    assert!(
        text.contains("\npage               50100         50149         ----X\n"),
        "{text}"
    );
    let a = alkit(&[
        "licence",
        "check",
        "examples/loyalty",
        "--licence",
        &lic,
        "--json",
        "--today",
        "2026-01-01",
    ]);
    let b = alkit(&[
        "licence",
        "check",
        "examples/loyalty",
        "--licence",
        &out_s,
        "--json",
        "--today",
        "2026-01-01",
    ]);
    assert_eq!(a.code, b.code);
    let va: serde_json::Value = serde_json::from_str(&a.stdout).unwrap();
    let vb: serde_json::Value = serde_json::from_str(&b.stdout).unwrap();
    assert_eq!(va["objects"], vb["objects"]);
    // Without --out the range file goes to stdout.
    let r = alkit(&["licence", "convert", &lic]);
    assert_eq!(r.stdout, text);
}

#[test]
fn show_prints_header_facts_and_collections() {
    let dir = tempfile::tempdir().unwrap();
    let lic = write(dir.path(), "lic.bclicense", &bclicense());
    let r = alkit(&["licence", "show", &lic, "--verify-signature"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for needle in [
        "serial     7654321",
        "licensee   Example Ltd",
        "country    W1",
        "expires    2030-01-31",
        "NOT CHECKED",
        "VOICE Account Number: 7654321",
        "TableDescription     code    1     1 rows",
    ] {
        assert!(
            r.stdout.contains(needle),
            "{needle:?} missing:\n{}",
            r.stdout
        );
    }
    let r = alkit(&["licence", "show", &lic, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["collections"].as_array().unwrap().len(), 7);
}

#[test]
fn check_a_package_without_source_uses_its_symbols() {
    let dir = tempfile::tempdir().unwrap();
    let entries: Vec<(String, Vec<u8>)> =
        fixtures::normal_entries(runtime_pack::Uuid::from_u128(2), "Symbols Only")
            .into_iter()
            .filter(|(n, _)| !n.starts_with("src/"))
            .collect();
    let app = runtime_pack::write_container(
        runtime_pack::Uuid::from_u128(1),
        &fixtures::zip_owned(&entries),
    );
    let app = write(dir.path(), "symbols.app", &app);
    let lic = write(dir.path(), "lic.txt", b"codeunit 50100 50100 RIMDX\n");
    let r = alkit(&[
        "licence",
        "check",
        &app,
        "--licence",
        &lic,
        "--today",
        "2026-01-01",
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("FAIL    table 50100 \"Fixture Table\""),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("ok      codeunit 50100 \"Fixture Codeunit\""),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("skip    enum 50100 \"Fixture Enum\""),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("SymbolReference.json"), "{}", r.stdout);
}
