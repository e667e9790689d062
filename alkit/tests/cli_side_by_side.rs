//! `alkit side-by-side`: the shared side-by-side rules (AVS0110–AVS0113) over two
//! project folders.

mod common;

use common::{alkit, project};

fn app(id: &str, name: &str, src: &str) -> tempfile::TempDir {
    let manifest = format!(
        r#"{{"id":"{id}","name":"{name}","publisher":"P","version":"1.0.0.0","platform":"24.0.0.0","application":"24.0.0.0","runtime":"13.0","idRanges":[{{"from":50100,"to":50199}}]}}"#
    );
    project(&[("app.json", &manifest), ("src/App.al", src)])
}

fn s(p: &tempfile::TempDir) -> String {
    p.path().display().to_string()
}

const A: &str = "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11";
const B: &str = "a7c2e9d4-3b18-4f6a-9e05-6d1b8c4f2e37";

#[test]
fn dotnet_declarations_are_not_shared_objects() {
    let dotnet = "dotnet\n{\n    assembly(\"mscorlib\")\n    {\n        type(\"System.String\"; MyString) { }\n    }\n}\n";
    let a = app(A, "A", &format!("{dotnet}codeunit 50100 \"A Mgt\" {{ }}\n"));
    let b = app(B, "B", &format!("{dotnet}codeunit 50101 \"B Mgt\" {{ }}\n"));
    let r = alkit(&["side-by-side", &s(&a), &s(&b)]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("dotnet"), "{}", r.stdout);
    assert!(
        r.stdout.contains("can be installed side by side"),
        "{}",
        r.stdout
    );
}

#[test]
fn member_clashes_name_their_rule() {
    let a = app(
        A,
        "A",
        "tableextension 50100 \"A Cust\" extends Customer\n{\n    fields\n    {\n        field(50100; Points; Integer) { }\n    }\n}\n",
    );
    let b = app(
        B,
        "B",
        "tableextension 50101 \"B Cust\" extends Customer\n{\n    fields\n    {\n        field(50100; Bonus; Integer) { }\n        field(50101; POINTS; Integer) { }\n    }\n}\n",
    );
    let r = alkit(&["side-by-side", &s(&a), &s(&b)]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let lines: Vec<&str> = r.stdout.lines().take(2).collect();
    assert_eq!(
        lines,
        [
            "AVS0112: both apps add tableextension of \"Customer\": field 50100",
            "AVS0113: both apps add tableextension of \"Customer\": field \"Points\"",
        ],
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("cannot be installed side by side (0 ID, 0 name and 2 member clash(es))"),
        "{}",
        r.stdout
    );
    let r = alkit(&["side-by-side", &s(&a), &s(&b), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["clean"], false);
    assert_eq!(
        v["memberClashes"],
        serde_json::json!([
            "tableextension of \"Customer\": field 50100",
            "tableextension of \"Customer\": field \"Points\""
        ])
    );
}
