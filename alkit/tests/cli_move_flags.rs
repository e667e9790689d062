#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `alkit move` flags beyond the basic move, as a command: that each flag reaches the move,
//! --dependents written next to the output, --reverse reading the mapping file back
//! (byte-exact on disk), errors in --mapping and --names files, --in-place (and its
//! rollback under injected failures), --migration-pte, --new-id, --symbols, --report, and
//! `alkit side-by-side`. What the move does with the options (dependents' references,
//! XLIFF, launch.json, .objidconfig, AppSourceCop.json, mappings, names, verification) is
//! tested on `move_app` in scope-rules/tests/move_scenarios.rs.

mod common;

use std::path::{Path, PathBuf};

use common::{Run, alkit, alkit_env as run, repo_root, snapshot};

const NEW_ID: &str = "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0";

fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in snapshot(from) {
        let p = to.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// Copies of both example apps (loyalty and loyalty-rewards) under a temp folder.
fn examples() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let app = t.path().join("in/loyalty");
    let dep = t.path().join("in/loyalty-rewards");
    copy_tree(&repo_root().join("examples/loyalty"), &app);
    copy_tree(&repo_root().join("examples/loyalty-rewards"), &dep);
    (t, app, dep)
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn forward(app: &Path, dep: &Path, out: &Path, extra: &[&str]) -> Run {
    let (app, dep, out) = (s(app), s(dep), s(out));
    let mut args = vec![
        "move",
        &app,
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
        "--id",
        NEW_ID,
        "--allow-unresolved",
        "--accept-stale",
        "--dependents",
        &dep,
        "--out",
        &out,
    ];
    args.extend_from_slice(extra);
    alkit(&args)
}

#[test]
fn dependents_are_written_next_to_the_output_and_reverse_restores_every_byte() {
    let (t, app, dep) = examples();
    let out = t.path().join("moved/loyalty");
    let r = forward(&app, &dep, &out, &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // The dependent lands next to the output, under its folder name, pointing at the new app.
    let dep_out = t.path().join("moved/loyalty-rewards");
    let dep_json = std::fs::read_to_string(dep_out.join("app.json")).unwrap();
    assert!(dep_json.contains(NEW_ID), "{dep_json}");
    assert_ne!(snapshot(&dep_out), snapshot(&dep));
    // The inputs are untouched.
    assert_eq!(
        snapshot(&app),
        snapshot(&repo_root().join("examples/loyalty"))
    );
    assert_eq!(
        snapshot(&dep),
        snapshot(&repo_root().join("examples/loyalty-rewards"))
    );
    // Reverse: every file of both apps comes back byte for byte.
    let back = t.path().join("back/loyalty");
    let mapping = s(&out.join("move-mapping.json"));
    let r = alkit(&[
        "move",
        &s(&out),
        "--reverse",
        "--mapping",
        &mapping,
        "--allow-unresolved",
        "--dependents",
        &s(&dep_out),
        "--out",
        &s(&back),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // No artifact of either move in the restored folder: diff -r against the original is clean.
    assert_eq!(snapshot(&back), snapshot(&app));
    assert_eq!(
        snapshot(&t.path().join("back/loyalty-rewards")),
        snapshot(&dep)
    );
}

/// The report of a dry run of the example's move with `extra` flags (--report FILE).
fn dry_run_report(t: &Path, app: &Path, extra: &[&str]) -> Run {
    let report = t.join("r.json");
    let (app, report) = (s(app), s(&report));
    let mut args = vec![
        "move",
        &app,
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
        "--allow-unresolved",
        "--accept-stale",
        "--dry-run",
        "--report",
        &report,
    ];
    args.extend_from_slice(extra);
    alkit(&args)
}

#[test]
fn flags_reach_the_move() {
    // One trace of each option in the report; what the move does with them is tested on
    // `move_app` (scope-rules/tests/move_scenarios.rs).
    let (t, app, _dep) = examples();
    let names = t.path().join("names.json");
    std::fs::write(&names, r#"{ "Loyalty Points": "CLY Points Balance" }"#).unwrap();
    let csv = t.path().join("ids.csv");
    std::fs::write(&csv, "type,oldId,newId\ntable,50100,70000050\n").unwrap();
    let r = dry_run_report(
        t.path(),
        &app,
        &[
            "--affix-position",
            "suffix",
            "--names",
            &s(&names),
            "--mapping",
            &s(&csv),
            "--id",
            NEW_ID,
            "--name",
            "Loyalty Two",
            "--publisher",
            "Fabrikam",
            "--version",
            "3.0.0.0",
            "--full-verification",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.path().join("r.json")).unwrap()).unwrap();
    let identity: Vec<(String, String)> = v["identity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["property"].as_str().unwrap().to_string(),
                i["new"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (p, new) in [
        ("id", NEW_ID),
        ("name", "Loyalty Two"),
        ("publisher", "Fabrikam"),
        ("version", "3.0.0.0"),
    ] {
        assert!(
            identity.contains(&(p.to_string(), new.to_string())),
            "{p}: {identity:?}"
        );
    }
    let renamed = v["renamed"].as_array().unwrap();
    // --names
    assert!(
        renamed.iter().any(|e| e["newName"] == "CLY Points Balance"),
        "{renamed:?}"
    );
    // --affix-position suffix
    assert!(
        renamed
            .iter()
            .any(|e| e["newName"] == "Loyalty Tier Code CLY"),
        "{renamed:?}"
    );
    // --mapping
    assert!(
        v["renumbered"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["objectKind"] == "table" && e["oldId"] == 50100 && e["newId"] == 70000050)
    );
    // --full-verification
    assert_eq!(v["verification"]["method"], "full");
}

#[test]
fn a_mapping_file_with_a_bad_row_is_refused_naming_the_file_and_line() {
    let (t, app, _dep) = examples();
    let csv = t.path().join("ids.csv");
    std::fs::write(&csv, "table,50100,70000050\ntable,abc,1\n").unwrap();
    let r = dry_run_report(t.path(), &app, &["--mapping", &s(&csv)]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("ids.csv") && r.stderr.contains("line 2"),
        "{}",
        r.stderr
    );
    assert!(!t.path().join("r.json").exists());
    let r = dry_run_report(
        t.path(),
        &app,
        &["--mapping", &s(&t.path().join("nope.csv"))],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nope.csv"), "{}", r.stderr);
}

#[test]
fn a_names_file_that_is_not_an_object_is_refused() {
    let (t, app, _dep) = examples();
    let names = t.path().join("names.json");
    std::fs::write(&names, "[1]").unwrap();
    let r = dry_run_report(t.path(), &app, &["--names", &s(&names)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("names.json"), "{}", r.stderr);
    assert!(r.stderr.contains("expected a JSON object"), "{}", r.stderr);
}

#[test]
fn in_place_changes_everything_or_nothing() {
    let (_t, app, dep) = examples();
    std::fs::create_dir_all(app.join(".vscode")).unwrap();
    std::fs::write(
        app.join(".vscode/launch.json"),
        "{\n  // debug\n  \"configurations\": [\n    { \"name\": \"x\", \"startupObjectType\": \"Page\", \"startupObjectId\": 50100 }\n  ]\n}\n",
    )
    .unwrap();
    std::fs::write(
        app.join(".objidconfig"),
        "{\n  \"idRanges\": [\n    { \"from\": 50100, \"to\": 50149, \"description\": \"all\" }\n  ]\n}\n",
    )
    .unwrap();
    let before_app = snapshot(&app);
    let before_dep = snapshot(&dep);
    let args = |extra: &'static str| {
        vec![
            "move".to_string(),
            s(&app),
            "--to".into(),
            "appsource".into(),
            "--range".into(),
            "70000000..70000099".into(),
            "--affix".into(),
            "CLY".into(),
            "--allow-unresolved".into(),
            "--accept-stale".into(),
            "--dependents".into(),
            s(&dep),
            extra.into(),
        ]
    };
    // A failure at every step of the swap leaves both projects as they were.
    for step in ["1", "2", "5", "12"] {
        let a = args("--in-place");
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let r = run(&a, &[("ALKIT_FAIL_AT", step)]);
        assert_eq!(r.code, 2, "step {step}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("injected failure"), "{}", r.stderr);
        assert_eq!(snapshot(&app), before_app, "step {step}");
        assert_eq!(snapshot(&dep), before_dep, "step {step}");
    }
    let a = args("--in-place");
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let r = alkit(&a);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // Changed files (hidden ones too) written over the project, the created
    // AppSourceCop.json and the mapping added (their content: move_scenarios'
    // launch_objidconfig_appsourcecop_and_xliff_follow_the_move).
    let after = snapshot(&app);
    assert!(after.contains_key("move-mapping.json"));
    for f in [".vscode/launch.json", ".objidconfig", "app.json"] {
        assert_ne!(after[f], before_app[f], "{f}");
    }
    assert!(
        after.contains_key("AppSourceCop.json") && !before_app.contains_key("AppSourceCop.json")
    );
    assert_ne!(snapshot(&dep), before_dep);
    // No staging or backup files are left behind.
    for k in after.keys() {
        assert!(!k.contains(".alkit-"), "{k}");
    }
}

#[test]
fn migration_pte_copies_the_data_and_passes_the_pte_checks() {
    let (t, app, dep) = examples();
    let out = t.path().join("moved/loyalty");
    let mig = t.path().join("migration");
    let r = forward(
        &app,
        &dep,
        &out,
        &["--migration-pte", &s(&mig), "--migration-id", "60000"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let al = std::fs::read_to_string(mig.join("src/DataMigration.Codeunit.al")).unwrap();
    assert!(al.contains("codeunit 60000 "), "{al}");
    assert!(mig.join("MIGRATION.md").is_file());
    assert!(al.contains("Subtype = Install;"), "{al}");
    assert!(al.contains("Source: Record \"Loyalty Tier\";"), "{al}");
    assert!(al.contains("Target: Record \"CLY Loyalty Tier\";"), "{al}");
    assert!(
        al.contains("Rec.\"CLY Loyalty Points\" := Rec.\"Loyalty Points\";"),
        "{al}"
    );
    assert!(
        al.contains("Enum::\"CLY Loyalty Level\".FromInteger("),
        "{al}"
    );
    let app_json = std::fs::read_to_string(mig.join("app.json")).unwrap();
    assert!(app_json.contains(NEW_ID) && app_json.contains("5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11"));
    let p = alkit(&["parse", &s(&mig)]);
    assert_eq!(p.code, 0, "{}{}", p.stdout, p.stderr);
    let c = alkit(&["check", &s(&mig), "--scope", "pte"]);
    assert_eq!(c.code, 0, "{}{}", c.stdout, c.stderr);
    // Both apps can be installed side by side, the original with itself cannot.
    let r = alkit(&["side-by-side", &s(&app), &s(&out)]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = alkit(&["side-by-side", &s(&app), &s(&app), "--json"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["clean"], false);
    assert!(!v["AVS0110"].as_array().unwrap().is_empty());
    assert!(!v["AVS0111"].as_array().unwrap().is_empty());
    let r = alkit(&["side-by-side", &s(&app), &s(&t.path().join("nope"))]);
    assert_eq!(r.code, 2);
}

#[test]
fn refusals_write_nothing() {
    let (t, app, dep) = examples();
    // Output folder not empty.
    let out = t.path().join("busy");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("x"), "x").unwrap();
    let r = forward(&app, &dep, &out, &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not an empty folder"), "{}", r.stderr);
    // A dependents folder with no dependent of the app.
    let other = t.path().join("other");
    copy_tree(&repo_root().join("examples/loyalty"), &other.join("x"));
    std::fs::write(
        other.join("x/app.json"),
        std::fs::read_to_string(app.join("app.json"))
            .unwrap()
            .replace(
                "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11",
                "11111111-1111-4111-8111-111111111111",
            ),
    )
    .unwrap();
    let r = alkit(&[
        "move",
        &s(&app),
        "--to",
        "appsource",
        "--affix",
        "CLY",
        "--allow-unresolved",
        "--dependents",
        &s(&other),
        "--dry-run",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("does not depend on"), "{}", r.stderr);
    // --reverse needs --mapping; --out and --in-place exclude each other.
    assert_eq!(alkit(&["move", &s(&app), "--reverse", "--dry-run"]).code, 2);
    let r = alkit(&[
        "move",
        &s(&app),
        "--to",
        "pte",
        "--in-place",
        "--out",
        &s(&t.path().join("z")),
    ]);
    assert_eq!(r.code, 2);
    assert_eq!(
        snapshot(&app),
        snapshot(&repo_root().join("examples/loyalty"))
    );
}

#[test]
fn new_id_symbols_and_report() {
    let (t, app, dep) = examples();
    // --new-id (a fresh v4 id made by the command) and --report with --dry-run (only the
    // report is written).
    let report = t.path().join("r.json");
    let r = alkit(&[
        "move",
        &s(&app),
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
        "--new-id",
        "--allow-unresolved",
        "--accept-stale",
        "--dry-run",
        "--report",
        &s(&report),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(v["newIdGenerated"], true);
    let id = v["identity"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["property"] == "id")
        .unwrap()["new"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(uuid::Uuid::parse_str(&id).is_ok() && id != "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11");
    assert_eq!(
        std::fs::read_dir(t.path()).unwrap().count(),
        2,
        "only in/ and r.json"
    );
    // --symbols with the dependency project: the dependent's references to it resolve,
    // so moving the dependent needs no --allow-unresolved for them.
    let r = alkit(&[
        "move",
        &s(&dep),
        "--to",
        "appsource",
        "--range",
        "70000100..70000199",
        "--affix",
        "CLY",
        "--symbols",
        &s(&app),
        "--dry-run",
    ]);
    let without = alkit(&[
        "move",
        &s(&dep),
        "--to",
        "appsource",
        "--range",
        "70000100..70000199",
        "--affix",
        "CLY",
        "--dry-run",
    ]);
    // Without the symbols the move stops on the unresolved references to the dependency.
    assert_eq!(without.code, 1, "{}", without.stderr);
    assert!(
        without.stderr.contains("Loyalty Tier"),
        "{}",
        without.stderr
    );
    // With them, what stays unresolved is only the base app's (Customer).
    assert!(!r.stderr.contains("Loyalty Tier"), "{}", r.stderr);
    assert!(r.stderr.contains("Customer"), "{}", r.stderr);
    // --symbols that does not exist is bad input.
    let r = alkit(&[
        "move",
        &s(&dep),
        "--to",
        "appsource",
        "--affix",
        "CLY",
        "--symbols",
        &s(&t.path().join("nope")),
        "--dry-run",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no such file or folder"), "{}", r.stderr);
}
