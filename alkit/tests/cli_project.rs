#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Every command reads a project the same way (`alkit/src/project.rs`): the same skipped
//! folders, the same nested projects left out, the same symlink rule.

mod common;

use std::path::Path;

use common::{alkit_in, project, snapshot};

const APP_ID: &str = "0c9ee1a4-6d3e-4c1f-9a57-3b0f5e2d8a61";
const BASE_ID: &str = "7d2c4a9e-1b3f-4e8a-9c6d-5f0a2b1e3c47";

fn app_json(id: &str, name: &str, dependency: Option<&str>) -> String {
    let deps = dependency.map_or(String::new(), |d| {
        format!(
            r#", "dependencies": [ {{ "id": "{d}", "name": "Base", "publisher": "Contoso", "version": "1.0.0.0" }} ]"#
        )
    });
    format!(
        r#"{{ "id": "{id}", "name": "{name}", "publisher": "Contoso", "version": "1.0.0.0", "idRanges": [ {{ "from": 50100, "to": 50149 }} ]{deps} }}"#
    )
}

const FINE: &str = "codeunit 50100 \"Fine\"\n{\n    trigger OnRun()\n    begin\n    end;\n}\n";
/// Valid AL that adds an object and an unresolved reference when read.
const STALE: &str = "codeunit 50101 \"Stale\"\n{\n    var\n        C: Record \"Nowhere\";\n}\n";
/// A syntax error when read.
const BROKEN: &str = "codeunit 50102 \"Broken\"\n{\n    trigger OnRun(\n";

/// Runs every command that reads a project's AL files on `dir` and checks that each saw
/// `src/Fine.Codeunit.al` only; `parse` and `refs`, which take folders rather than projects
/// (nested projects included), see `parse_files`.
fn every_command_sees_one_file(dir: &Path, parse_files: usize) {
    let d = dir.to_str().unwrap();
    let parent = dir.parent().unwrap();

    let r = alkit_in(parent, &["parse", d]);
    assert_eq!(r.code, 0, "parse: {}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains(&format!("files: {parse_files}\n")),
        "parse: {}",
        r.stdout
    );

    let r = alkit_in(parent, &["check", d, "--scope", "pte"]);
    assert!(r.code < 2, "check: {}{}", r.stdout, r.stderr);
    assert!(
        !r.stdout.contains("Stale") && !r.stderr.contains("syntax errors"),
        "check: {}{}",
        r.stdout,
        r.stderr
    );

    // `refs`, like `parse`, reads every AL file below the folder (nested projects too: an
    // umbrella app such as BCApps' System Application keeps its modules there), but none
    // in a skipped folder.
    let r = alkit_in(parent, &["refs", d, "--unresolved"]);
    assert_eq!(r.code, 0, "refs: {}", r.stderr);
    assert!(
        r.stderr.contains(&format!("({parse_files} objects)")),
        "refs: {}",
        r.stderr
    );
    assert_eq!(
        r.stdout.matches("Nowhere").count(),
        parse_files - 1,
        "refs: {}",
        r.stdout
    );

    let out = tempfile::tempdir().unwrap();
    let app = out.path().join("x.app");
    let r = alkit_in(parent, &["pack", d, "--out", app.to_str().unwrap()]);
    assert_eq!(r.code, 0, "pack: {}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(", 1 objects,"), "pack: {}", r.stdout);

    let moved = out.path().join("moved");
    let r = alkit_in(
        parent,
        &[
            "move",
            d,
            "--to",
            "appsource",
            "--range",
            "70000000..70000099",
            "--affix",
            "CLY",
            "--allow-unresolved",
            "--out",
            moved.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "move: {}{}", r.stdout, r.stderr);
    let al: Vec<String> = snapshot(&moved)
        .into_keys()
        .filter(|k| k.to_ascii_lowercase().ends_with(".al"))
        .collect();
    assert_eq!(al, ["src/Fine.Codeunit.al"], "move");
}

#[test]
fn skipped_folders_and_nested_projects_are_left_out_by_every_command() {
    let app = app_json(APP_ID, "Fixture", None);
    let nested = app_json(BASE_ID, "Nested", None);
    let mut files = vec![
        ("app.json", app.as_str()),
        ("src/Fine.Codeunit.al", FINE),
        ("test/app.json", nested.as_str()),
        ("test/Stale.Codeunit.al", STALE),
    ];
    let skipped: Vec<(String, String)> = ["output", ".alpackages", ".git", "bin", "node_modules"]
        .iter()
        .flat_map(|d| {
            [
                (format!("{d}/Stale.Codeunit.al"), STALE),
                (format!("{d}/Broken.al"), BROKEN),
            ]
        })
        .map(|(p, c)| (p, c.to_string()))
        .collect();
    files.extend(skipped.iter().map(|(p, c)| (p.as_str(), c.as_str())));
    let p = project(&files);
    every_command_sees_one_file(p.path(), 2);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_ends_and_each_folder_is_read_once() {
    use std::os::unix::fs::symlink;
    let app = app_json(APP_ID, "Fixture", None);
    let p = project(&[("app.json", &app), ("src/Fine.Codeunit.al", FINE)]);
    symlink("..", p.path().join("src/up")).unwrap();
    symlink(".", p.path().join("src/here")).unwrap();
    every_command_sees_one_file(p.path(), 1);
}

#[test]
fn dependency_projects_in_a_w1_folder_win_over_country_layers() {
    let uses = "codeunit 50100 \"User\"\n{\n    var\n        T: Record \"Only In W1\";\n}\n";
    let table = "table 50100 \"Only In W1\"\n{\n    fields\n    {\n        field(1; \"No.\"; Code[20]) { }\n    }\n}\n";
    let other = "table 50101 \"Only In DE\"\n{\n    fields\n    {\n        field(1; \"No.\"; Code[20]) { }\n    }\n}\n";
    let root = app_json(APP_ID, "Fixture", Some(BASE_ID));
    let base = app_json(BASE_ID, "Base", None);
    let p = project(&[
        ("app/app.json", &root),
        ("app/src/User.Codeunit.al", uses),
        ("layers/DE/Base/app.json", &base),
        ("layers/DE/Base/Other.Table.al", other),
        ("layers/W1/Base/app.json", &base),
        ("layers/W1/Base/Only.Table.al", table),
    ]);
    let r = alkit_in(
        p.path(),
        &[
            "refs",
            "app",
            "--symbols",
            "layers",
            "--symbol",
            "table \"Only In W1\"",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("User.Codeunit.al:4:"), "{}", r.stdout);
    // A --symbols path that does not exist is an error (as for move).
    let r = alkit_in(p.path(), &["refs", "app", "--symbols", "nowhere"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--symbols nowhere"), "{}", r.stderr);
}
