//! `alkit manifest show|to-xml`: output, JSON, atomic writes, errors and exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{alkit, alkit_in, project};

#[test]
fn show_summarises_the_example() {
    let r = alkit(&["manifest", "show", "examples/loyalty"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("Customer Loyalty 1.2.0.0 by Contoso Partners\n")
    );
    assert!(r.stdout.contains("id ranges     50100..50149"));
    assert!(r.stdout.contains("allowDebugging=true"));
}

#[test]
fn show_json_is_the_typed_model() {
    let r = alkit(&[
        "manifest",
        "show",
        "examples/loyalty-rewards/app.json",
        "--json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("valid JSON");
    assert_eq!(v["name"], "Loyalty Rewards");
    assert_eq!(v["dependencies"][0]["name"], "Customer Loyalty");
    assert_eq!(v["dependencies"][0]["version"], "1.2.0.0");
    assert_eq!(v["idRanges"][0]["from"], 50150);
}

#[test]
fn to_xml_prints_the_manifest_with_crlf() {
    let r = alkit(&["manifest", "to-xml", "examples/loyalty-rewards"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("<Package xmlns=\"http://schemas.microsoft.com/navx/2015/manifest\">\r\n")
    );
    assert!(
        r.stdout
            .contains("<IdRange MinObjectId=\"50150\" MaxObjectId=\"50199\" />")
    );
    assert!(r.stdout.contains("MinVersion=\"1.2.0.0\""));
}

#[test]
fn to_xml_out_writes_the_file_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("NavxManifest.xml");
    let r = alkit(&[
        "manifest",
        "to-xml",
        "examples/loyalty",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let xml = std::fs::read_to_string(&out).unwrap();
    assert!(xml.contains("Name=\"Customer Loyalty\""));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn invalid_range_names_file_and_json_path() {
    let p = project(&[(
        "app.json",
        r#"{
  "id": "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11",
  "name": "X",
  "publisher": "P",
  "version": "1.0.0.0",
  "idRanges": [ { "from": 50000, "to": 50099 }, { "from": 50200, "to": 50100 } ]
}"#,
    )]);
    let r = alkit_in(p.path(), &["manifest", "show", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stderr.trim(),
        "./app.json(6,49): error AL1047: idRanges[1]: from 50200 is greater than to 50100"
    );
}

#[test]
fn malformed_json_reports_line_and_column() {
    let p = project(&[(
        "app.json",
        "{\n  \"id\": \"x\",\n  \"name\" \"missing colon\"\n}\n",
    )]);
    let r = alkit_in(p.path(), &["manifest", "show", "app.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("app.json"), "{}", r.stderr);
    assert!(
        r.stderr.contains(":3:") || r.stderr.contains("line 3"),
        "{}",
        r.stderr
    );
}

#[test]
fn missing_project_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let r = alkit_in(dir.path(), &["manifest", "show", "nowhere"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nowhere"), "{}", r.stderr);
}

#[test]
fn bom_is_accepted() {
    let p = project(&[(
        "app.json",
        "\u{feff}{\"id\":\"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11\",\"name\":\"B\",\"publisher\":\"P\",\"version\":\"1.0.0.0\"}",
    )]);
    let r = alkit_in(p.path(), &["manifest", "show", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("B 1.0.0.0 by P"));
}
