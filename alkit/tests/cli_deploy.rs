//! `alkit deploy-check`: environment files, output formats and exit codes.

mod common;

use common::{alkit, alkit_in, project};

const EXAMPLE_ID: &str = "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11";

fn env_with_marketplace_copy() -> String {
    format!(
        r#"{{ "platform": "24.0.0.0", "kind": "production", "apps": [
  {{ "id": "{EXAMPLE_ID}", "name": "Customer Loyalty", "publisher": "Contoso Partners",
     "version": "1.0.0.0", "scope": "appsource" }},
  {{ "id": "437dbf0e-84ff-417a-965d-ed2bb9650972", "name": "Base Application", "publisher": "Microsoft",
     "version": "24.0.16410.0", "scope": "global",
     "objects": [ {{ "type": "table", "id": 50100, "name": "Loyalty Tier" }} ] }}
] }}"#
    )
}

#[test]
fn clashes_are_reported_in_text_with_exit_1() {
    let p = project(&[("env.json", &env_with_marketplace_copy())]);
    let env = p.path().join("env.json");
    let r = alkit(&[
        "deploy-check",
        "examples/loyalty",
        "--scope",
        "pte",
        "--environment",
        env.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("examples/loyalty/app.json(1,1): error ALK0001: "),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("AVS0110"), "{}", r.stdout);
    assert!(r.stdout.contains("AVS0111"), "{}", r.stdout);
}

#[test]
fn json_and_sarif_formats() {
    let p = project(&[("env.json", &env_with_marketplace_copy())]);
    let env = p.path().join("env.json");
    let env = env.to_str().unwrap();
    let r = alkit(&[
        "deploy-check",
        "examples/loyalty",
        "--scope",
        "pte",
        "--environment",
        env,
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 1);
    let v: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        v.iter()
            .any(|d| d["code"] == "ALK0001" && d["severity"] == "error")
    );
    let r = alkit(&[
        "deploy-check",
        "examples/loyalty",
        "--scope",
        "pte",
        "--environment",
        env,
        "--format",
        "sarif",
    ]);
    assert_eq!(r.code, 1);
    let s: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(s["version"], "2.1.0");
    let results = s["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), v.len());
    let rules = s["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for res in results {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"]);
    }
}

#[test]
fn empty_environment_passes_and_disable_works() {
    // No environment file: nothing installed, nothing blocks a PTE.
    let r = alkit(&["deploy-check", "examples/loyalty", "--scope", "pte"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    // A DEV extension cannot go to production (ALK0006).
    let p = project(&[("env.json", r#"{ "kind": "production", "apps": [] }"#)]);
    let env = p.path().join("env.json");
    let r = alkit(&[
        "deploy-check",
        "examples/loyalty",
        "--scope",
        "dev",
        "--environment",
        env.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("error ALK0006"), "{}", r.stdout);
    let r = alkit(&[
        "deploy-check",
        "examples/loyalty",
        "--scope",
        "dev",
        "--environment",
        env.to_str().unwrap(),
        "--disable",
        "ALK0006",
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
}

#[test]
fn bad_environment_and_usage_exit_2() {
    let p = project(&[
        ("broken.json", "{ \"apps\": [ { \"id\": 1 } ] }"),
        (
            "badscope.json",
            r#"{ "apps": [ { "id": "x", "name": "n", "publisher": "p", "version": "1.0.0.0", "scope": "moon" } ] }"#,
        ),
    ]);
    for f in ["broken.json", "badscope.json", "missing.json"] {
        let env = p.path().join(f);
        let r = alkit(&[
            "deploy-check",
            "examples/loyalty",
            "--scope",
            "pte",
            "--environment",
            env.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 2, "{f}");
        assert!(r.stderr.contains(f), "{f}: {}", r.stderr);
    }
    assert_eq!(
        alkit(&["deploy-check", "examples/loyalty", "--scope", "cloud"]).code,
        2
    );
    assert_eq!(alkit(&["deploy-check", "examples/loyalty"]).code, 2);
}

#[test]
fn packages() {
    let p = project(&[]);
    std::fs::write(
        p.path().join("rt.app"),
        runtime_pack::fixtures::runtime_package(runtime_pack::Uuid::from_u128(5)),
    )
    .unwrap();
    let r = alkit_in(
        p.path(),
        &["deploy-check", "rt.app", "--scope", "appsource"],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.starts_with("rt.app(1,1): error AVS0104"),
        "{}",
        r.stdout
    );
    let r = alkit_in(p.path(), &["deploy-check", "rt.app", "--scope", "onprem"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("runtime package"), "{}", r.stderr);
    // A normal package is read through its manifest.
    let app_id = runtime_pack::Uuid::from_u128(2);
    std::fs::write(
        p.path().join("n.app"),
        runtime_pack::fixtures::normal_package(
            runtime_pack::Uuid::from_u128(1),
            app_id,
            "Fixture App",
        ),
    )
    .unwrap();
    std::fs::write(
        p.path().join("env.json"),
        format!(
            r#"{{ "apps": [ {{ "id": "{app_id}", "name": "Fixture App", "publisher": "Fixture Publisher", "version": "1.0.0.0", "scope": "appsource" }} ] }}"#
        ),
    )
    .unwrap();
    let r = alkit_in(
        p.path(),
        &[
            "deploy-check",
            "n.app",
            "--scope",
            "pte",
            "--environment",
            "env.json",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("n.app(1,1): error ALK0001"),
        "{}",
        r.stdout
    );
}
