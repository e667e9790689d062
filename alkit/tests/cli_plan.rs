//! `alkit plan`: ordered changes with counts for the six moves, JSON output,
//! dependents, proposed ids, errors, and applying a plan to app.json.

mod common;

use common::{alkit, alkit_in, project};

const NEW_ID: &str = "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0";
const EXAMPLE_ID: &str = "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11";

fn plan_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["plan"];
    all.extend_from_slice(args);
    all.push("--json");
    let r = alkit(&all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("JSON")
}

fn step_kinds(v: &serde_json::Value) -> Vec<String> {
    v["plan"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["kind"].as_str().expect("kind").to_string())
        .collect()
}

#[test]
fn pte_to_appsource_on_the_example_counts_everything() {
    let r = alkit(&[
        "plan",
        "examples/loyalty",
        "--to",
        "appsource",
        "--affix",
        "CLP",
        "--new-id",
        NEW_ID,
        "--dependents",
        "examples",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = &r.stdout;
    assert!(out.starts_with("plan: \"Customer Loyalty\" (examples/loyalty) pte -> appsource\n"));
    assert!(out.contains("current scope: pte (inferred from idRanges 50100..50149"));
    assert!(out.contains("target ranges: 70000000..74999999 (documented default;"));
    assert!(out.contains(&format!("1. [required] set app.json id to {NEW_ID}\n")));
    assert!(out.contains("2. [required] set app.json version to 2.0.0.0"));
    assert!(out.contains("3. [required] set app.json idRanges to 70000000..74999999"));
    assert!(out.contains("renumber 10 object(s) and 3 field(s)/value(s)"));
    assert!(out.contains("objects to renumber:            10"));
    assert!(out.contains("fields/enum values to renumber: 3"));
    // Objects sit in the two-level namespace Contoso.Loyalty: no affix needed.
    assert!(out.contains("object names lacking the affix: 0"));
    assert!(out.contains("members needing the affix:      7"));
    assert!(out.contains(
        "dependents found:               1\n    examples/loyalty-rewards (\"Loyalty Rewards\")"
    ));
    assert!(out.contains("data is keyed by app id"));
    assert!(out.contains("AS0011   error   missing mandatory affix"));
    assert!(!out.contains("AS0055"), "hidden rules are not listed");
    assert!(out.contains(
        "tableextension \"Customer Loyalty\" member \"Loyalty Points\" -> \"CLP Loyalty Points\""
    ));
}

#[test]
fn generated_id_is_a_fresh_v4_uuid_marked_proposed() {
    let v = plan_json(&["examples/loyalty", "--to", "appsource", "--affix", "CLP"]);
    let id = v["proposedId"].as_str().unwrap();
    let parsed = uuid::Uuid::parse_str(id).unwrap();
    assert_eq!(parsed.get_version_num(), 4);
    assert_ne!(id, EXAMPLE_ID);
    assert_eq!(v["proposedIdGenerated"], true);
    let r = alkit(&[
        "plan",
        "examples/loyalty",
        "--to",
        "appsource",
        "--affix",
        "CLP",
    ]);
    assert!(
        r.stdout.contains("(proposed, freshly generated)"),
        "{}",
        r.stdout
    );
}

#[test]
fn json_output_has_counts_steps_and_checks() {
    let v = plan_json(&[
        "examples/loyalty",
        "--to",
        "appsource",
        "--affix",
        "CLP",
        "--new-id",
        NEW_ID,
        "--range",
        "70000000..70000099",
        "--dependents",
        "examples/loyalty-rewards",
    ]);
    assert_eq!(v["from"], "pte");
    assert_eq!(v["fromInferred"], true);
    assert_eq!(v["to"], "appsource");
    assert_eq!(v["targetRangesDefault"], false);
    assert_eq!(v["counts"]["objectsToRenumber"], 10);
    assert_eq!(v["counts"]["membersToRenumber"], 3);
    assert_eq!(v["counts"]["objectNamesLackingAffix"], 0);
    assert_eq!(v["counts"]["membersNeedingAffix"], 7);
    assert_eq!(v["counts"]["dependents"], 1);
    assert_eq!(v["dependents"][0]["name"], "Loyalty Rewards");
    assert_eq!(v["plan"]["newId"], NEW_ID);
    assert_eq!(v["plan"]["newVersion"], "2.0.0.0");
    assert_eq!(v["plan"]["idRanges"][0]["from"], 70_000_000);
    assert_eq!(v["plan"]["objectIds"][0]["new"], 70_000_000);
    assert_eq!(
        step_kinds(&v),
        [
            "new-id",
            "identity",
            "id-ranges",
            "renumber",
            "rename",
            "cop",
            "dependents"
        ]
    );
    assert!(
        v["plan"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["requirement"] == "required")
    );
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "AS0084")
    );
}

#[test]
fn all_six_moves_plan() {
    // (from, to, new-id step kind present, needs affix)
    let moves = [
        ("pte", "appsource", true),
        ("dev", "appsource", true),
        ("appsource", "dev", true),
        ("pte", "dev", false),
        ("dev", "pte", false),
        ("appsource", "pte", true),
    ];
    for (from, to, new_id) in moves {
        let v = plan_json(&[
            "examples/loyalty",
            "--from",
            from,
            "--to",
            to,
            "--affix",
            "CLP",
            "--new-id",
            NEW_ID,
        ]);
        assert_eq!(v["fromInferred"], false);
        let kinds = step_kinds(&v);
        assert_eq!(
            kinds.contains(&"new-id".to_string()),
            new_id,
            "{from}->{to}: {kinds:?}"
        );
        let requirement = &v["plan"]["steps"][0]["requirement"];
        match (from, to) {
            ("appsource", "dev") => assert_eq!(requirement, "recommended"),
            ("pte", "dev") => assert!(kinds.is_empty(), "{kinds:?}"),
            ("dev", "pte") => assert_eq!(kinds, ["cop"], "ranges are already PTE ranges"),
            _ => assert_eq!(requirement, "required"),
        }
    }
    let v = plan_json(&[
        "examples/loyalty",
        "--from",
        "dev",
        "--to",
        "appsource",
        "--affix",
        "CLP",
        "--new-id",
        NEW_ID,
    ]);
    let consequences = v["plan"]["consequences"].as_array().unwrap();
    assert!(
        consequences
            .iter()
            .any(|c| c.as_str().unwrap().contains("delete data and schema"))
    );
}

#[test]
fn affix_comes_from_appsourcecop_json() {
    let p = project(&[
        (
            "app.json",
            r#"{ "id": "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11", "name": "A", "publisher": "P", "version": "1.0.0.0",
                 "idRanges": [ { "from": 50100, "to": 50149 } ] }"#,
        ),
        ("AppSourceCop.json", r#"{ "mandatoryAffixes": ["XYZ"] }"#),
        ("src/a.al", "codeunit 50100 \"Worker\" { }\n"),
    ]);
    let r = alkit_in(p.path(), &["plan", ".", "--to", "appsource", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["affix"], "XYZ");
    assert_eq!(v["plan"]["names"][0]["new"], "XYZWorker");
}

#[test]
fn applying_the_plan_to_app_json_leaves_no_app_json_steps() {
    let p = project(&[
        (
            "app.json",
            &std::fs::read_to_string(common::repo_root().join("examples/loyalty/app.json"))
                .unwrap(),
        ),
        ("src/a.al", "codeunit 50100 \"Loyalty Worker\" { }\n"),
    ]);
    let r = alkit_in(
        p.path(),
        &["plan", ".", "--to", "appsource", "--affix", "CLP", "--json"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let text = std::fs::read_to_string(p.path().join("app.json")).unwrap();
    let mut doc = al_manifest::AppJsonDocument::parse(&text).unwrap();
    doc.set_id(uuid::Uuid::parse_str(v["plan"]["newId"].as_str().unwrap()).unwrap())
        .unwrap();
    doc.set_version(&v["plan"]["newVersion"].as_str().unwrap().parse().unwrap())
        .unwrap();
    let ranges: Vec<al_manifest::IdRange> = v["plan"]["idRanges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            al_manifest::IdRange::new(
                r["from"].as_u64().unwrap() as u32,
                r["to"].as_u64().unwrap() as u32,
            )
        })
        .collect();
    doc.set_id_ranges(&ranges).unwrap();
    std::fs::write(p.path().join("app.json"), doc.to_string()).unwrap();
    let r = alkit_in(
        p.path(),
        &["plan", ".", "--to", "appsource", "--affix", "CLP", "--json"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let again: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(again["from"], "appsource", "inferred from the new ranges");
    let kinds = step_kinds(&again);
    assert!(
        !kinds
            .iter()
            .any(|k| ["new-id", "identity", "id-ranges"].contains(&k.as_str())),
        "{kinds:?}"
    );
    // The object itself was not renumbered (that needs source edits): still listed.
    assert!(kinds.contains(&"renumber".to_string()), "{kinds:?}");
}

#[test]
fn errors_exit_2() {
    // AppSource needs an affix and the example has no AppSourceCop.json.
    let r = alkit(&["plan", "examples/loyalty", "--to", "appsource"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--affix"), "{}", r.stderr);
    // AppSource -> PTE renames for side-by-side use: a new affix is needed.
    let r = alkit(&[
        "plan",
        "examples/loyalty",
        "--from",
        "appsource",
        "--to",
        "pte",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--affix"), "{}", r.stderr);
    // Bad range, bad scope, bad id: usage errors.
    for args in [
        &["plan", "examples/loyalty", "--to", "pte", "--range", "9..1"][..],
        &["plan", "examples/loyalty", "--to", "pte", "--range", "abc"][..],
        &["plan", "examples/loyalty", "--to", "moon"][..],
        &[
            "plan",
            "examples/loyalty",
            "--to",
            "pte",
            "--new-id",
            "nope",
        ][..],
    ] {
        let r = alkit(args);
        assert_eq!(r.code, 2, "{args:?}");
    }
    // Too small a target range.
    let r = alkit(&[
        "plan",
        "examples/loyalty",
        "--to",
        "appsource",
        "--affix",
        "CLP",
        "--range",
        "70000000..70000000",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no free ID"), "{}", r.stderr);
    // Missing project and missing dependents folder.
    assert_eq!(alkit(&["plan", "nowhere", "--to", "pte"]).code, 2);
    let r = alkit(&[
        "plan",
        "examples/loyalty",
        "--to",
        "dev",
        "--dependents",
        "nowhere",
    ]);
    assert_eq!(r.code, 2);
}
