#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `alkit move` as a command: the example PTE moved to AppSource into a new folder (every
//! file written, the mapping and the reports, no staging folder left), dry run, refusals
//! before anything is written. What the move itself does (IDs, affixes, references,
//! app.json, the report's content, encodings) is tested on `move_app` in
//! scope-rules/tests/move_scenarios.rs.

mod common;

use std::path::Path;

use common::{alkit, repo_root, snapshot};

const NEW_ID: &str = "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0";

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap()
}

fn move_args<'a>(out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![
        "move",
        "examples/loyalty",
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
        "--id",
        NEW_ID,
        "--allow-unresolved",
        // The example's references to the base app are updated by name only (no symbols).
        "--accept-stale",
        "--out",
        out,
    ];
    v.extend_from_slice(extra);
    v
}

#[test]
fn pte_to_appsource_on_the_example() {
    let input = repo_root().join("examples/loyalty");
    let before = snapshot(&input);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("moved");
    let out_s = out.display().to_string();
    let r = alkit(&move_args(&out_s, &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("moved \"Customer Loyalty\""),
        "{}",
        r.stdout
    );

    // Inputs untouched; every file copied (plus the mapping and the reports).
    assert_eq!(snapshot(&input), before);
    let after = snapshot(&out);
    for k in before.keys() {
        assert!(after.contains_key(k), "{k} missing from the output");
    }
    assert_eq!(
        after["src/Reports/LoyaltyPointsStatement.rdlc"],
        before["src/Reports/LoyaltyPointsStatement.rdlc"]
    );
    for f in ["move-mapping.json", "move-report.md", "move-report.json"] {
        assert!(after.contains_key(f), "{f}");
    }
    // No staging folder left beside the output.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, vec!["moved".to_string()]);

    // The moved files are what the move made (what the move does is tested on
    // `move_app` in scope-rules/tests/move_scenarios.rs: loyalty_example_pte_to_appsource).
    let tableext = read(&out, "src/Tables/CustomerLoyalty.TableExt.al");
    assert!(
        tableext.contains("field(70000000; \"CLY Loyalty Tier Code\""),
        "{tableext}"
    );
    let app_out = read(&out, "app.json");
    assert!(
        app_out.contains(&format!("\"id\": \"{NEW_ID}\"")),
        "{app_out}"
    );

    // The output parses without errors.
    let p = alkit(&["parse", &out_s]);
    assert_eq!(p.code, 0, "{}{}", p.stdout, p.stderr);

    // The mapping and the reports as files: the mapping in the form --reverse reads back,
    // the JSON report with its sections, the Markdown report.
    let mapping: serde_json::Value =
        serde_json::from_str(&read(&out, "move-mapping.json")).unwrap();
    let entries = mapping["mapping"].as_array().unwrap();
    assert!(entries.iter().any(|e| e["kind"] == "field"
        && e["oldId"] == 50101
        && e["newId"] == 70000001
        && e["oldName"] == "Loyalty Points"
        && e["newName"] == "CLY Loyalty Points"));
    let report: serde_json::Value = serde_json::from_str(&read(&out, "move-report.json")).unwrap();
    for key in [
        "renumbered",
        "renamed",
        "filesTouched",
        "unresolved",
        "missingObjects",
    ] {
        assert!(report[key].is_array(), "{key}: {report}");
    }
    assert!(report["sideBySide"]["possible"].is_boolean(), "{report}");
    assert!(report["verification"]["method"].is_string(), "{report}");
    let md = read(&out, "move-report.md");
    assert!(
        md.contains("## Renumbered") && md.contains("## Renamed"),
        "{md}"
    );
    assert!(md.contains(NEW_ID), "{md}");
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("moved");
    let out_s = out.display().to_string();
    let r = alkit(&move_args(&out_s, &["--dry-run"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("--- a/app.json"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("+codeunit 70000000 \"Loyalty Management\""),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("-codeunit 50100 \"Loyalty Management\""),
        "{}",
        r.stdout
    );
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn refuses_a_non_empty_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
    let out_s = tmp.path().display().to_string();
    let r = alkit(&move_args(&out_s, &[]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not an empty folder"), "{}", r.stderr);
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    assert_eq!(read(tmp.path(), "keep.txt"), "mine");
}

#[test]
fn an_empty_output_folder_is_used() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("empty");
    std::fs::create_dir(&out).unwrap();
    let out_s = out.display().to_string();
    let r = alkit(&move_args(&out_s, &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(out.join("app.json").is_file());
}

#[test]
fn too_few_ids_is_an_error_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("moved");
    let out_s = out.display().to_string();
    let r = alkit(&[
        "move",
        "examples/loyalty",
        "--to",
        "appsource",
        "--range",
        "70000000..70000000",
        "--affix",
        "CLY",
        "--allow-unresolved",
        "--out",
        &out_s,
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no free ID"), "{}", r.stderr);
    assert!(!out.exists());
}

#[test]
fn unresolved_references_stop_the_move() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("moved");
    let out_s = out.display().to_string();
    let r = alkit(&[
        "move",
        "examples/loyalty",
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
        "--out",
        &out_s,
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("table \"Customer\""), "{}", r.stderr);
    assert!(r.stderr.contains("--allow-unresolved"), "{}", r.stderr);
    assert!(!out.exists());
}

#[test]
fn out_is_required_without_dry_run() {
    let r = alkit(&[
        "move",
        "examples/loyalty",
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--out"), "{}", r.stderr);
}

/// A move into AppSource inside an AL-Go repository whose settings declare other affixes:
/// AL-Go's build writes those into AppSourceCop.json, so the move says to add its affix there
/// (it does not edit files outside the app).
#[test]
fn a_new_affix_missing_from_al_go_settings_is_warned_about() {
    let repo = tempfile::tempdir().unwrap();
    for (rel, bytes) in snapshot(&repo_root().join("examples/loyalty")) {
        let p = repo.path().join("app").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let settings = repo.path().join(".github/AL-Go-Settings.json");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let app = repo.path().join("app").display().to_string();
    let run = |affixes: &str, name: &str| {
        std::fs::write(
            &settings,
            format!(
                "{{ \"type\": \"AppSource App\", \"appSourceCopMandatoryAffixes\": {affixes} }}"
            ),
        )
        .unwrap();
        let o = out.path().join(name).display().to_string();
        let mut args = move_args(&o, &[]);
        args[1] = &app;
        alkit(&args)
    };
    let r = run(r#"["OLD"]"#, "a");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "declare appSourceCopMandatoryAffixes [\"OLD\"], which AL-Go's build writes into AppSourceCop.json"
        ) && r.stderr.contains("add \"CLY\" there"),
        "{}",
        r.stderr
    );
    // The settings are not touched.
    assert!(read(repo.path(), ".github/AL-Go-Settings.json").contains("[\"OLD\"]"));
    // Listed there (in any case): nothing to say.
    let r = run(r#"["OLD", "cly"]"#, "b");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("AL-Go"), "{}", r.stderr);
}
