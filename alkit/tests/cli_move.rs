#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `alkit move`: the example PTE moved to AppSource on a copy (IDs, affixes, references,
//! app.json, reports), dry run, refusals before anything is written.

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

    // Every object ID is in the target range.
    let kinds = [
        "table ",
        "tableextension ",
        "page ",
        "pageextension ",
        "codeunit ",
        "report ",
        "query ",
        "enum ",
        "enumextension ",
        "permissionset ",
    ];
    let mut objects = 0;
    for (rel, bytes) in &after {
        if !rel.ends_with(".al") {
            continue;
        }
        let text = String::from_utf8(bytes.clone()).unwrap();
        for line in text.lines() {
            if let Some(k) = kinds.iter().find(|k| line.starts_with(**k)) {
                let id: u32 = line[k.len()..]
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!((70_000_000..=70_000_099).contains(&id), "{rel}: {line}");
                objects += 1;
            }
        }
    }
    assert_eq!(objects, 10);

    // Table-extension fields and the enum-extension value renumbered and affixed.
    let tableext = read(&out, "src/Tables/CustomerLoyalty.TableExt.al");
    assert!(
        tableext.contains("field(70000000; \"CLY Loyalty Tier Code\""),
        "{tableext}"
    );
    assert!(
        tableext.contains("field(70000001; \"CLY Loyalty Points\""),
        "{tableext}"
    );
    assert!(
        tableext.contains("Rec.\"CLY Loyalty Points\""),
        "{tableext}"
    );
    let enumext = read(&out, "src/Enums/SalesLineTypeLoyalty.EnumExt.al");
    assert!(
        enumext.contains("value(70000000; \"CLY Loyalty Reward\")"),
        "{enumext}"
    );
    // Page-extension controls and actions carry the affix; field references follow.
    let pageext = read(&out, "src/Pages/CustomerCardLoyalty.PageExt.al");
    assert!(
        pageext.contains("field(CLYLoyaltyTierCode; Rec.\"CLY Loyalty Tier Code\")"),
        "{pageext}"
    );
    assert!(
        pageext.contains("field(CLYLoyaltyPoints; Rec.\"CLY Loyalty Points\")"),
        "{pageext}"
    );
    assert!(pageext.contains("action(CLYShowTiers)"), "{pageext}");
    assert!(!pageext.contains("\"Loyalty Points\""), "{pageext}");
    // References in other objects.
    let cu = read(&out, "src/Codeunits/LoyaltyManagement.Codeunit.al");
    assert!(
        cu.contains("Report.Run(70000000, true, false, Customer)"),
        "{cu}"
    );
    assert!(
        cu.contains("Customer.Validate(\"CLY Loyalty Points\""),
        "{cu}"
    );
    assert!(
        cu.contains("'CLY Loyalty Points'"),
        "event subscriber element: {cu}"
    );
    assert!(!cu.contains("50100"), "{cu}");
    let tier = read(&out, "src/Tables/LoyaltyTier.Table.al");
    assert!(
        tier.contains("Customer.SetRange(\"CLY Loyalty Tier Code\""),
        "{tier}"
    );
    // Objects in a two-level namespace keep their names; calls still point at them.
    assert!(
        tableext.contains("LoyaltyMgt: Codeunit \"Loyalty Management\";"),
        "{tableext}"
    );
    assert!(tier.contains("DrillDownPageId = 70000000;"), "{tier}");
    // Captions are not names.
    assert!(enumext.contains("Caption = 'Loyalty Reward';"), "{enumext}");

    // app.json: new id, next major version, idRanges, formatting kept.
    let app_in = read(&input, "app.json");
    let app_out = read(&out, "app.json");
    assert!(
        app_out.contains(&format!("\"id\": \"{NEW_ID}\"")),
        "{app_out}"
    );
    assert!(app_out.contains("\"version\": \"2.0.0.0\""), "{app_out}");
    assert!(
        app_out.contains("\"from\": 70000000,\n      \"to\": 70000099"),
        "{app_out}"
    );
    let changed: Vec<(&str, &str)> = app_in
        .lines()
        .zip(app_out.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(app_in.lines().count(), app_out.lines().count());
    assert_eq!(changed.len(), 4, "{changed:?}");

    // The output parses without errors.
    let p = alkit(&["parse", &out_s]);
    assert_eq!(p.code, 0, "{}{}", p.stdout, p.stderr);

    // Mapping and reports.
    let mapping: serde_json::Value =
        serde_json::from_str(&read(&out, "move-mapping.json")).unwrap();
    let entries = mapping["mapping"].as_array().unwrap();
    assert!(entries.iter().any(|e| e["kind"] == "field"
        && e["oldId"] == 50101
        && e["newId"] == 70000001
        && e["oldName"] == "Loyalty Points"
        && e["newName"] == "CLY Loyalty Points"));
    assert!(entries.iter().any(|e| e["kind"] == "object"
        && e["objectKind"] == "report"
        && e["oldId"] == 50100
        && e["newId"] == 70000000));
    let report: serde_json::Value = serde_json::from_str(&read(&out, "move-report.json")).unwrap();
    assert!(!report["unresolved"].as_array().unwrap().is_empty());
    assert!(
        report["missingObjects"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["name"] == "Customer")
    );
    assert!(report["filesTouched"].as_array().unwrap().len() >= 10);
    // Side by side: the IDs and extension members differ now, the namespaced object names
    // do not (the affix is not required for them), so both apps cannot be installed together.
    let sbs = &report["sideBySide"];
    assert_eq!(sbs["possible"], false);
    assert!(sbs["shared"]["sharedIds"].as_array().unwrap().is_empty());
    assert!(
        sbs["shared"]["sharedMembers"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        sbs["shared"]["sharedNames"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "codeunit Contoso.Loyalty.\"Loyalty Management\"")
    );
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

#[test]
fn explicit_identity_is_applied_even_when_the_move_needs_none() {
    let r = alkit(&[
        "move",
        "examples/loyalty",
        "--from",
        "pte",
        "--to",
        "pte",
        "--id",
        NEW_ID,
        "--name",
        "Loyalty Two",
        "--publisher",
        "Fabrikam",
        "--version",
        "3.0.0.0",
        "--allow-unresolved",
        "--dry-run",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for line in [
        format!("+  \"id\": \"{NEW_ID}\","),
        "+  \"name\": \"Loyalty Two\",".to_string(),
        "+  \"publisher\": \"Fabrikam\",".to_string(),
        "+  \"version\": \"3.0.0.0\",".to_string(),
    ] {
        assert!(r.stdout.contains(&line), "{line}\n{}", r.stdout);
    }
    assert!(!r.stdout.contains(".al\n"), "no AL changes: {}", r.stdout);
}

#[test]
fn utf16_sources_keep_their_encoding() {
    let tmp = tempfile::tempdir().unwrap();
    let src = repo_root().join("examples/loyalty");
    let proj = tmp.path().join("proj");
    for (rel, bytes) in snapshot(&src) {
        let p = proj.join(&rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let bytes = if rel.ends_with("LoyaltyManagement.Codeunit.al") {
            let text = String::from_utf8(bytes).unwrap();
            let mut v = vec![0xFF, 0xFE];
            for u in text.encode_utf16() {
                v.extend_from_slice(&u.to_le_bytes());
            }
            v
        } else {
            bytes
        };
        std::fs::write(p, bytes).unwrap();
    }
    let out = tmp.path().join("moved");
    let (proj_s, out_s) = (proj.display().to_string(), out.display().to_string());
    let r = alkit(&[
        "move",
        &proj_s,
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
        "--allow-unresolved",
        "--out",
        &out_s,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = std::fs::read(out.join("src/Codeunits/LoyaltyManagement.Codeunit.al")).unwrap();
    assert_eq!(&bytes[..2], &[0xFF, 0xFE]);
    let units: Vec<u16> = bytes[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let text = String::from_utf16(&units).unwrap();
    assert!(
        text.contains("codeunit 70000000 \"Loyalty Management\""),
        "{text}"
    );
    assert!(text.contains("Report.Run(70000000"), "{text}");
}
