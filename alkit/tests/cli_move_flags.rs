#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `alkit move` flags beyond the basic move: --dependents, --reverse with the mapping
//! (byte-exact), --mapping CSV, --names, --in-place (and its rollback under injected
//! failures), --migration-pte, launch.json / .objidconfig / AppSourceCop.json, and
//! `alkit side-by-side`.

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
        "--dependents",
        &dep,
        "--out",
        &out,
    ];
    args.extend_from_slice(extra);
    alkit(&args)
}

/// A translation file of the example with units under the table extension's field
/// `Loyalty Points` and under the table `Loyalty Tier` (ids are name hashes).
fn write_xlf(app: &Path) -> String {
    use al_manifest::xlf::name_hash as h;
    let text = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file datatype="xml" source-language="en-US" target-language="de-DE" original="Customer Loyalty">
    <body>
      <group id="body">
        <trans-unit id="TableExtension {} - Field {} - Property {}" size-limit="2147483647" translate="yes" xml:space="preserve" al-object-target="Table {}">
          <source>Loyalty Points</source>
          <target>Treuepunkte</target>
          <note from="Xliff Generator" annotates="general" priority="3">TableExtension Customer Loyalty - Field Loyalty Points - Property Caption</note>
        </trans-unit>
        <trans-unit id="Table {} - Property {}" size-limit="2147483647" translate="yes" xml:space="preserve">
          <source>Loyalty Tier</source>
          <target>Treuestufe</target>
          <note from="Xliff Generator" annotates="general" priority="3">Table Loyalty Tier - Property Caption</note>
        </trans-unit>
      </group>
    </body>
  </file>
</xliff>
"#,
        h("Customer Loyalty"),
        h("Loyalty Points"),
        h("Caption"),
        h("Customer"),
        h("Loyalty Tier"),
        h("Caption"),
    );
    let p = app.join("Translations/Customer Loyalty.de-DE.xlf");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, &text).unwrap();
    text
}

#[test]
fn dependents_are_updated_and_reverse_restores_every_byte() {
    let (t, app, dep) = examples();
    let xlf_before = write_xlf(&app);
    let out = t.path().join("moved/loyalty");
    let r = forward(&app, &dep, &out, &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // The dependent lands next to the output, pointing at the new app.
    let dep_out = t.path().join("moved/loyalty-rewards");
    let dep_json = std::fs::read_to_string(dep_out.join("app.json")).unwrap();
    assert!(dep_json.contains(NEW_ID), "{dep_json}");
    assert!(dep_json.contains("\"2.0.0.0\""), "{dep_json}");
    let changed: Vec<String> = snapshot(&dep_out)
        .into_iter()
        .filter(|(k, v)| std::fs::read(dep.join(k)).unwrap() != *v)
        .map(|(k, _)| k)
        .collect();
    assert!(changed.len() >= 2, "{changed:?}");
    let all: String = snapshot(&dep_out)
        .values()
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect();
    assert!(all.contains("Customer.\"CLY Loyalty Tier Code\""), "{all}");
    assert!(!all.contains("Customer.\"Loyalty Tier Code\""), "{all}");
    // The translation file follows the renamed field (id hash and note).
    let xlf = std::fs::read_to_string(out.join("Translations/Customer Loyalty.de-DE.xlf")).unwrap();
    assert_ne!(xlf, xlf_before);
    let field = al_manifest::xlf::name_hash("CLY Loyalty Points");
    assert!(
        xlf.contains(&format!("- Field {field} - Property")),
        "{xlf}"
    );
    assert!(
        xlf.contains("- Field CLY Loyalty Points - Property Caption</note>"),
        "{xlf}"
    );
    assert!(xlf.contains("<target>Treuepunkte</target>"), "{xlf}");
    // The input is untouched.
    let mut input = snapshot(&app);
    assert!(
        input
            .remove("Translations/Customer Loyalty.de-DE.xlf")
            .is_some()
    );
    assert_eq!(input, snapshot(&repo_root().join("examples/loyalty")));
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
    let mut restored = snapshot(&back);
    for a in ["move-mapping.json", "move-report.json", "move-report.md"] {
        assert!(restored.remove(a).is_some());
    }
    assert_eq!(restored, snapshot(&app));
    assert_eq!(
        snapshot(&t.path().join("back/loyalty-rewards")),
        snapshot(&dep)
    );
}

#[test]
fn reverse_refuses_a_mapping_of_another_app_and_edited_files() {
    let (t, app, dep) = examples();
    let out = t.path().join("moved/loyalty");
    assert_eq!(forward(&app, &dep, &out, &[]).code, 0);
    let mapping = s(&out.join("move-mapping.json"));
    // The original app is not the moved one.
    let r = alkit(&[
        "move",
        &s(&app),
        "--reverse",
        "--mapping",
        &mapping,
        "--allow-unresolved",
        "--out",
        &s(&t.path().join("x")),
    ]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("not the moved app's id"), "{}", r.stderr);
    // app.json edited since the move: the recorded change no longer matches.
    let p = out.join("app.json");
    let text = std::fs::read_to_string(&p)
        .unwrap()
        .replace("\"2.0.0.0\"", "\"2.0.0.1\"");
    std::fs::write(&p, text).unwrap();
    let r = alkit(&[
        "move",
        &s(&out),
        "--reverse",
        "--mapping",
        &mapping,
        "--allow-unresolved",
        "--out",
        &s(&t.path().join("y")),
    ]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("changed since the move"), "{}", r.stderr);
    assert!(!t.path().join("y").exists());
}

#[test]
fn csv_mapping_sets_ids_and_bad_rows_are_named() {
    let (t, app, _dep) = examples();
    let csv = t.path().join("ids.csv");
    std::fs::write(&csv, "type,oldId,newId\ntable,50100,70000050\n").unwrap();
    let out = t.path().join("o");
    let r = alkit(&[
        "move",
        &s(&app),
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
        "--allow-unresolved",
        "--mapping",
        &s(&csv),
        "--out",
        &s(&out),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("move-mapping.json")).unwrap())
            .unwrap();
    assert!(
        m["mapping"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["objectKind"] == "table" && e["oldId"] == 50100 && e["newId"] == 70000050)
    );
    std::fs::write(&csv, "table,50100,70000050\ntable,abc,1\n").unwrap();
    let r = alkit(&[
        "move",
        &s(&app),
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
        "--allow-unresolved",
        "--mapping",
        &s(&csv),
        "--dry-run",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("line 2"), "{}", r.stderr);
    std::fs::write(&csv, "table,50999,70000050\n").unwrap();
    let r = alkit(&[
        "move",
        &s(&app),
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
        "--allow-unresolved",
        "--mapping",
        &s(&csv),
        "--dry-run",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no table 50999"), "{}", r.stderr);
}

#[test]
fn names_file_wins_over_the_affixed_name() {
    let (t, app, _dep) = examples();
    let names = t.path().join("names.json");
    std::fs::write(&names, r#"{ "Loyalty Points": "CLY Points Balance" }"#).unwrap();
    let r = alkit(&[
        "move",
        &s(&app),
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
        "--allow-unresolved",
        "--names",
        &s(&names),
        "--dry-run",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("+                Customer.Validate(\"CLY Points Balance\");"),
        "{}",
        r.stdout
    );
    std::fs::write(&names, "[1]").unwrap();
    let r = alkit(&[
        "move",
        &s(&app),
        "--to",
        "appsource",
        "--affix",
        "CLY",
        "--allow-unresolved",
        "--names",
        &s(&names),
        "--dry-run",
    ]);
    assert_eq!(r.code, 2);
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
    let after = snapshot(&app);
    assert!(after.contains_key("move-mapping.json"));
    let launch = String::from_utf8(after[".vscode/launch.json"].clone()).unwrap();
    assert!(
        launch.contains("\"startupObjectId\": 70000") && launch.contains("// debug"),
        "{launch}"
    );
    let objid = String::from_utf8(after[".objidconfig"].clone()).unwrap();
    assert!(
        objid.contains("\"from\": 70000000, \"to\": 70000099"),
        "{objid}"
    );
    let cop = String::from_utf8(after["AppSourceCop.json"].clone()).unwrap();
    assert!(cop.contains("\"CLY\""), "{cop}");
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
    let r = forward(&app, &dep, &out, &["--migration-pte", &s(&mig)]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // Side-by-side renaming reaches the dependent's references to the objects.
    let reward = std::fs::read_to_string(
        t.path()
            .join("moved/loyalty-rewards/src/LoyaltyReward.Table.al"),
    )
    .unwrap();
    assert!(
        reward.contains("TableRelation = \"CLY Loyalty Tier\";"),
        "{reward}"
    );
    assert!(reward.contains("Enum \"CLY Loyalty Level\""), "{reward}");
    let al = std::fs::read_to_string(mig.join("src/DataMigration.Codeunit.al")).unwrap();
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
fn suffix_new_id_symbols_and_report() {
    let (t, app, dep) = examples();
    // --affix-position suffix, --new-id and --report with --dry-run (only the report is written).
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
        "--affix-position",
        "suffix",
        "--new-id",
        "--allow-unresolved",
        "--dry-run",
        "--report",
        &s(&report),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"Loyalty Points CLY\""), "{}", r.stdout);
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

#[test]
fn verification_falls_back_to_the_full_check_when_a_new_name_is_already_spelled() {
    let (t, app, dep) = examples();
    let report = t.path().join("r.json");
    let method = |extra: &[&str]| -> (String, String) {
        let mut args = vec!["--dry-run", "--report", report.to_str().unwrap()];
        args.extend_from_slice(extra);
        let r = alkit(
            &[
                &[
                    "move",
                    &s(&app),
                    "--to",
                    "appsource",
                    "--range",
                    "70000000..70000099",
                    "--affix",
                    "CLY",
                    "--allow-unresolved",
                    "--dependents",
                    &s(&dep),
                ][..],
                &args,
            ]
            .concat(),
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
        (
            v["verification"]["method"].as_str().unwrap().to_string(),
            v["verification"]["reason"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    };
    // The example's edits are proven token for token.
    assert_eq!(method(&[]).0, "proven");
    // Asked for: the full check.
    assert_eq!(
        method(&["--full-verification"]),
        ("full".to_string(), "asked for".to_string())
    );
    // A variable that already spells the field's new name could capture references:
    // the proof does not hold, the full check runs (and passes: it is only a variable).
    std::fs::write(
        app.join("src/Codeunits/Shadow.Codeunit.al"),
        "codeunit 50190 Shadow\n{\n    var\n        \"CLY Loyalty Points\": Integer;\n}\n",
    )
    .unwrap();
    let (m, why) = method(&[]);
    assert_eq!(m, "full");
    assert!(
        why.contains("Shadow.Codeunit.al:4:9") && why.contains("already spells a new name"),
        "{why}"
    );
}
