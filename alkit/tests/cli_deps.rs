//! `alkit deps sort`: order, JSON, cycles (exit 1 with the path), missing dependencies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{alkit, alkit_in, project};

fn app(id: &str, name: &str, version: &str, deps: &[(&str, &str, &str)]) -> String {
    let deps: Vec<String> = deps
        .iter()
        .map(|(id, name, v)| {
            format!(r#"{{ "id": "{id}", "name": "{name}", "publisher": "P", "version": "{v}" }}"#)
        })
        .collect();
    format!(
        r#"{{ "id": "{id}", "name": "{name}", "publisher": "P", "version": "{version}", "dependencies": [{}] }}"#,
        deps.join(", ")
    )
}

const A: &str = "00000000-0000-0000-0000-00000000000a";
const B: &str = "00000000-0000-0000-0000-00000000000b";
const C: &str = "00000000-0000-0000-0000-00000000000c";

#[test]
fn example_apps_are_ordered_dependency_first() {
    let r = alkit(&[
        "deps",
        "sort",
        "examples/loyalty-rewards",
        "examples/loyalty",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].contains("Customer Loyalty 1.2.0.0"),
        "{}",
        r.stdout
    );
    assert!(lines[1].contains("Loyalty Rewards 1.0.0.0"), "{}", r.stdout);
}

#[test]
fn json_lists_apps_with_their_paths() {
    let r = alkit(&[
        "deps",
        "sort",
        "examples/loyalty",
        "examples/loyalty-rewards",
        "--json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v[0]["name"], "Customer Loyalty");
    assert_eq!(v[0]["path"], "examples/loyalty/app.json");
    assert_eq!(v[1]["name"], "Loyalty Rewards");
}

#[test]
fn a_cycle_exits_1_and_names_the_path() {
    let p = project(&[
        (
            "a/app.json",
            &app(A, "A", "1.0.0.0", &[(B, "B", "1.0.0.0")]),
        ),
        (
            "b/app.json",
            &app(B, "B", "1.0.0.0", &[(C, "C", "1.0.0.0")]),
        ),
        (
            "c/app.json",
            &app(C, "C", "1.0.0.0", &[(A, "A", "1.0.0.0")]),
        ),
    ]);
    let r = alkit_in(p.path(), &["deps", "sort", "a", "b", "c"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains("dependency cycle: A -> B -> C -> A"),
        "{}",
        r.stderr
    );
}

#[test]
fn missing_dependency_warns_and_strict_fails() {
    let p = project(&[(
        "a/app.json",
        &app(A, "A", "1.0.0.0", &[(B, "B", "2.0.0.0")]),
    )]);
    let r = alkit_in(p.path(), &["deps", "sort", "a"]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("warning: A depends on B"), "{}", r.stderr);
    let r = alkit_in(p.path(), &["deps", "sort", "a", "--strict"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error: A depends on B"), "{}", r.stderr);
}

#[test]
fn too_low_dependency_version_is_an_error() {
    let p = project(&[
        (
            "a/app.json",
            &app(A, "A", "1.0.0.0", &[(B, "B", "2.0.0.0")]),
        ),
        ("b/app.json", &app(B, "B", "1.5.0.0", &[])),
    ]);
    let r = alkit_in(p.path(), &["deps", "sort", "a", "b"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("A requires B 2.0.0.0 or later, but only 1.5.0.0"),
        "{}",
        r.stderr
    );
}

#[test]
fn duplicate_ids_keep_the_highest_version_with_a_warning() {
    let p = project(&[
        ("b1/app.json", &app(B, "B", "1.0.0.0", &[])),
        ("b2/app.json", &app(B, "B", "2.0.0.0", &[])),
        (
            "a/app.json",
            &app(A, "A", "1.0.0.0", &[(B, "B", "2.0.0.0")]),
        ),
    ]);
    let r = alkit_in(p.path(), &["deps", "sort", "b1", "a", "b2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("warning"), "{}", r.stderr);
    assert!(
        r.stdout.lines().next().unwrap().contains("B 2.0.0.0"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("b2/app.json"), "{}", r.stdout);
}

#[test]
fn bad_manifest_is_exit_2_naming_the_file() {
    let p = project(&[("a/app.json", "{ \"id\": \"not-a-guid\" }")]);
    let r = alkit_in(p.path(), &["deps", "sort", "a"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("a/app.json"), "{}", r.stderr);
}

#[test]
fn navx_manifests_can_be_sorted_with_projects() {
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("NavxManifest.xml");
    let r = alkit(&[
        "manifest",
        "to-xml",
        "examples/loyalty",
        "--out",
        xml.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = alkit(&[
        "deps",
        "sort",
        "examples/loyalty-rewards",
        xml.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let first = r.stdout.lines().next().unwrap();
    assert!(
        first.contains("Customer Loyalty 1.2.0.0") && first.contains("NavxManifest.xml"),
        "{}",
        r.stdout
    );
}

#[test]
fn broken_navx_manifest_is_exit_2_naming_the_file() {
    let p = project(&[("NavxManifest.xml", "<Package><App Id=\"nope\"")]);
    let r = alkit_in(p.path(), &["deps", "sort", "NavxManifest.xml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("NavxManifest.xml"), "{}", r.stderr);
}
