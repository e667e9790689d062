//! `alkit check`: text/JSON/SARIF output, exit codes 0/1/2, rule disabling,
//! rulesets, recursive AL discovery and .app packages.

mod common;

use common::{alkit, alkit_in, project};

const APP_ID: &str = "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11";

fn app_json(extra: &str) -> String {
    format!(
        r#"{{
  "id": "{APP_ID}",
  "name": "Fixture",
  "publisher": "Contoso",
  "version": "1.0.0.0",
  "idRanges": [ {{ "from": 50100, "to": 50149 }} ]{extra}
}}"#
    )
}

/// Every stdout line is `path(line,col): severity CODE: message`.
fn assert_msbuild_lines(stdout: &str) {
    for line in stdout.lines() {
        let (loc, rest) = line.split_once("): ").expect("path(line,col): ...");
        let (path, pos) = loc.rsplit_once('(').expect("(line,col)");
        assert!(!path.is_empty(), "{line}");
        let (l, c) = pos.split_once(',').expect("line,col");
        assert!(l.parse::<u32>().expect("line") >= 1 && c.parse::<u32>().expect("col") >= 1);
        let (sev, rest) = rest.split_once(' ').expect("severity");
        assert!(["error", "warning", "info"].contains(&sev), "{line}");
        let (code, msg) = rest.split_once(": ").expect("CODE: message");
        assert!(
            code.chars().all(|ch| ch.is_ascii_alphanumeric()) && !msg.is_empty(),
            "{line}"
        );
    }
}

#[test]
fn example_is_clean_as_pte() {
    let r = alkit(&["check", "examples/loyalty", "--scope", "pte"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // No error or warning; without the Microsoft apps' symbols PTE0025 (duplicate object
    // names) is not checked against them, and that is said once (#24).
    assert_eq!(
        r.stdout,
        "examples/loyalty/app.json(1,1): info ALK0010: not checked for lack of dependency symbols: \
         PTE0025 against Application by Microsoft (no symbols); pass --symbols (or fill .alpackages)\n"
    );
}

#[test]
fn example_as_appsource_reports_manifest_and_source_errors() {
    let r = alkit(&["check", "examples/loyalty", "--scope", "appsource"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_msbuild_lines(&r.stdout);
    assert!(r.stdout.contains(
        "examples/loyalty/app.json(18,5): error AS0084: idRanges[0]: range 50100..50149"
    ));
    assert!(
        r.stdout
            .contains("examples/loyalty/app.json(8,3): error AS0051: privacyStatement")
    );
    // No AppSourceCop.json: AS0054 is placed on app.json, a file that exists.
    assert!(
        r.stdout
            .contains("examples/loyalty/app.json(1,1): error AS0054")
    );
    assert!(r.stdout.contains(
        "examples/loyalty/src/Tables/LoyaltyTier.Table.al(5,13): error AS0013: table \"Loyalty Tier\""
    ));
    assert!(r.stdout.contains("warning AS0092"));
    // Sorted by file, then position.
    let files: Vec<&str> = r
        .stdout
        .lines()
        .map(|l| l.split('(').next().unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
}

#[test]
fn json_format_is_an_array_of_diagnostics() {
    let r = alkit(&[
        "check",
        "examples/loyalty",
        "--scope",
        "appsource",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    let arr = v.as_array().unwrap();
    assert!(!arr.is_empty());
    for d in arr {
        assert!(d["code"].is_string() && d["message"].is_string());
        assert!(d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1);
        assert!(["error", "warning", "info"].contains(&d["severity"].as_str().unwrap()));
    }
    assert!(arr.iter().any(|d| d["code"] == "AS0084"
        && d["file"] == "examples/loyalty/app.json"
        && d["line"] == 18));
}

#[test]
fn sarif_format_is_structurally_valid() {
    let json = alkit(&[
        "check",
        "examples/loyalty",
        "--scope",
        "appsource",
        "--format",
        "json",
    ]);
    let r = alkit(&[
        "check",
        "examples/loyalty",
        "--scope",
        "appsource",
        "--format",
        "sarif",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("SARIF is JSON");
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif"));
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "alkit");
    let rules = driver["rules"].as_array().unwrap();
    let rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut dedup = rule_ids.clone();
    dedup.dedup();
    assert_eq!(rule_ids, dedup, "rules are unique");
    let results = runs[0]["results"].as_array().unwrap();
    let diags: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(results.len(), diags.len());
    for res in results {
        let id = res["ruleId"].as_str().unwrap();
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], id, "ruleIndex points at the rule");
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        let loc = &res["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"].is_string());
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
    let as0084 = results.iter().find(|r| r["ruleId"] == "AS0084").unwrap();
    assert_eq!(as0084["level"], "error");
    assert_eq!(
        as0084["locations"][0]["physicalLocation"]["region"]["startLine"],
        18
    );
}

#[test]
fn disabling_every_error_rule_gives_exit_0() {
    let r = alkit(&[
        "check",
        "examples/loyalty",
        "--scope",
        "appsource",
        "--disable",
        "AS0084,as0013",
        "--disable",
        "AS0051",
        "--disable",
        "AS0054",
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("warning AS0092"));
    assert!(!r.stdout.contains("AS0013"));
}

#[test]
fn ruleset_file_sets_severity_and_disables() {
    let p = project(&[(
        "my.ruleset.json",
        r#"{"name":"r","rules":[
            {"id":"AS0084","action":"None"},{"id":"AS0013","action":"None"},
            {"id":"AS0051","action":"Warning"},{"id":"AS0054","action":"Info"},
            {"id":"AS0092","action":"Error"}]}"#,
    )]);
    let rs = p.path().join("my.ruleset.json");
    let r = alkit(&[
        "check",
        "examples/loyalty",
        "--scope",
        "appsource",
        "--ruleset",
        rs.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "AS0092 raised to error: {}", r.stdout);
    assert!(r.stdout.contains("error AS0092"));
    assert!(r.stdout.contains("warning AS0051"));
    assert!(r.stdout.contains("info AS0054"));
    assert!(!r.stdout.contains("AS0084"));
    // --disable on top of the ruleset.
    let r = alkit(&[
        "check",
        "examples/loyalty",
        "--scope",
        "appsource",
        "--ruleset",
        rs.to_str().unwrap(),
        "--disable",
        "AS0092",
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn finds_al_files_recursively_and_skips_symbols_and_output() {
    let bad = "codeunit 70000000 \"Outside\" { }\n";
    let p = project(&[
        ("app.json", &app_json("")),
        ("src/Deep/Er/Thing.CODEUNIT.AL", bad),
        (".alpackages/Sym.al", bad),
        ("output/Old.al", bad),
        ("nested/app.json", &app_json("")),
        ("nested/src/Other.al", bad),
        ("src/ok.al", "codeunit 50100 \"Fine\" { }\n"),
    ]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_msbuild_lines(&r.stdout);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("src/Deep/Er/Thing.CODEUNIT.AL(1,")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("error PTE0001"));
    assert!(r.stdout.contains("error AL0297"));
    // The same project named from its parent: paths carry the folder as given.
    let parent = p.path().parent().unwrap();
    let name = p.path().file_name().unwrap().to_str().unwrap();
    let r = alkit_in(parent, &["check", name, "--scope", "pte"]);
    assert!(
        r.stdout
            .starts_with(&format!("{name}/src/Deep/Er/Thing.CODEUNIT.AL(1,"))
    );
}

#[test]
fn suppress_warnings_in_app_json_hides_warnings_only() {
    let p = project(&[(
        "app.json",
        &app_json(
            r#", "internalsVisibleTo": [ { "id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "name": "T", "publisher": "Contoso" } ]"#,
        ),
    )]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("warning PTE0012"), "{}", r.stdout);
    let p = project(&[(
        "app.json",
        &app_json(
            r#", "suppressWarnings": ["PTE0012"], "internalsVisibleTo": [ { "id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "name": "T", "publisher": "Contoso" } ]"#,
        ),
    )]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
}

#[test]
fn bad_input_and_usage_exit_2() {
    // Missing folder.
    let r = alkit(&["check", "no/such/dir", "--scope", "pte"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("alkit: error: "), "{}", r.stderr);
    // Unknown scope (usage).
    let r = alkit(&["check", "examples/loyalty", "--scope", "moon"]);
    assert_eq!(r.code, 2);
    // Unknown format (usage).
    let r = alkit(&[
        "check",
        "examples/loyalty",
        "--scope",
        "pte",
        "--format",
        "xml",
    ]);
    assert_eq!(r.code, 2);
    // Invalid app.json.
    let p = project(&[("app.json", "{ \"id\": 3 ")]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("app.json"), "{}", r.stderr);
    // Invalid AppSourceCop.json.
    let p = project(&[
        ("app.json", &app_json("")),
        ("AppSourceCop.json", "{ \"mandatoryAffixes\": 5 }"),
    ]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "appsource"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("AppSourceCop.json"), "{}", r.stderr);
    // Bad ruleset.
    let p = project(&[(
        "r.ruleset.json",
        r#"{"rules":[{"id":"AS0011","action":"Loud"}]}"#,
    )]);
    let r = alkit(&[
        "check",
        "examples/loyalty",
        "--scope",
        "pte",
        "--ruleset",
        p.path().join("r.ruleset.json").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("AS0011"), "{}", r.stderr);
}

#[test]
fn binary_garbage_in_al_files_does_not_crash() {
    let p = project(&[("app.json", &app_json(""))]);
    std::fs::create_dir_all(p.path().join("src")).unwrap();
    std::fs::write(
        p.path().join("src/junk.al"),
        [0xff, 0xfe, 0x00, b'{', b'"', 0x80, b'\n', b'}'],
    )
    .unwrap();
    let r = alkit_in(p.path(), &["check", ".", "--scope", "appsource"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
}

#[test]
fn runtime_package_is_avs0104_for_appsource() {
    let p = project(&[]);
    let file = p.path().join("Contoso_Loyalty_1.0.0.0.app");
    std::fs::write(
        &file,
        runtime_pack::fixtures::runtime_package(runtime_pack::Uuid::from_u128(42)),
    )
    .unwrap();
    let r = alkit_in(
        p.path(),
        &[
            "check",
            "Contoso_Loyalty_1.0.0.0.app",
            "--scope",
            "appsource",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("Contoso_Loyalty_1.0.0.0.app(1,1): error AVS0104: "),
        "{}",
        r.stdout
    );
    let r = alkit_in(
        p.path(),
        &["check", "Contoso_Loyalty_1.0.0.0.app", "--scope", "pte"],
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
}

#[test]
fn normal_package_is_checked_from_its_manifest_and_sources() {
    let p = project(&[]);
    let file = p.path().join("fixture.app");
    std::fs::write(
        &file,
        runtime_pack::fixtures::normal_package(
            runtime_pack::Uuid::from_u128(1),
            runtime_pack::Uuid::from_u128(2),
            "Fixture App",
        ),
    )
    .unwrap();
    // The fixture's table has no permission set, so PerTenantExtensionCop's PTE0004 (an
    // error) fires on its packaged source.
    let r = alkit_in(p.path(), &["check", "fixture.app", "--scope", "pte"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("fixture.app!src/"), "{}", r.stdout);
    assert!(r.stdout.contains("error PTE0004"), "{}", r.stdout);
    let r = alkit_in(
        p.path(),
        &[
            "check",
            "fixture.app",
            "--scope",
            "pte",
            "--disable",
            "PTE0004",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("fixture.app!app.json(1,1): warning PTE0020"),
        "{}",
        r.stdout
    );
    let r = alkit_in(
        p.path(),
        &[
            "check",
            "fixture.app",
            "--scope",
            "appsource",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        v.iter()
            .any(|d| d["code"] == "AS0013" && d["file"] == "fixture.app!src/FixtureTable.Table.al")
    );
    // Not a package at all.
    std::fs::write(p.path().join("broken.app"), b"NAVX but not really").unwrap();
    let r = alkit_in(p.path(), &["check", "broken.app", "--scope", "pte"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("broken.app"), "{}", r.stderr);
}

#[test]
fn preprocessor_symbols_from_app_json_are_defined() {
    let src =
        "#if BADRANGE\ncodeunit 70000000 \"Guarded\" { }\n#endif\ncodeunit 50100 \"Fine\" { }\n";
    let p = project(&[("app.json", &app_json("")), ("src/g.al", src)]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    let p = project(&[
        (
            "app.json",
            &app_json(r#", "preprocessorSymbols": ["BADRANGE"]"#),
        ),
        ("src/g.al", src),
    ]);
    // app.json itself names the project too.
    let r = alkit_in(p.path(), &["check", "app.json", "--scope", "pte"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("src/g.al(2,19): error PTE0001"),
        "{}",
        r.stdout
    );
}

#[test]
fn files_with_syntax_errors_are_named_on_stderr() {
    let p = project(&[
        ("app.json", &app_json("")),
        (
            "src/broken.al",
            "codeunit 50100 \"Half\" {\n procedure X( begin\n",
        ),
    ]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert!(r.code == 0 || r.code == 1);
    assert!(
        r.stderr.contains("syntax errors") && r.stderr.contains("src/broken.al"),
        "{}",
        r.stderr
    );
}

#[test]
fn ruleset_includes_are_followed() {
    let p = project(&[
        (
            "rules/base.ruleset.json",
            r#"{"rules":[{"id":"AS0084","action":"None"},{"id":"AS0013","action":"None"}]}"#,
        ),
        (
            // Forced to Warning by the include, except what it sets to None (Roslyn's rule);
            // a comment and a trailing comma, as the AL tools accept (BCApps' rule set).
            "rules/loud.ruleset.json",
            "{\"rules\":[{\"id\":\"AS0054\",\"action\":\"Info\"}, // loud\n {\"id\":\"AS0051\",\"action\":\"None\"},]}",
        ),
        (
            "main.ruleset.json",
            r#"{"name":"main","includedRuleSets":[
                {"path":"rules/base.ruleset.json","action":"Default"},
                {"path":"rules/loud.ruleset.json","action":"Warning"}],
               "rules":[{"id":"AS0092","action":"Info"}]}"#,
        ),
    ]);
    let rs = p.path().join("main.ruleset.json");
    let r = alkit(&[
        "check",
        "examples/loyalty",
        "--scope",
        "appsource",
        "--ruleset",
        rs.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("warning AS0054"),
        "include action forces Warning: {}",
        r.stdout
    );
    assert!(r.stdout.contains("info AS0092"));
    assert!(!r.stdout.contains("AS0013"));
    assert!(
        !r.stdout.contains("AS0051"),
        "None stays None: {}",
        r.stdout
    );
    // A missing include is bad input.
    let p = project(&[(
        "m.ruleset.json",
        r#"{"includedRuleSets":[{"path":"nope.ruleset.json","action":"Default"}],"rules":[]}"#,
    )]);
    let r = alkit(&[
        "check",
        "examples/loyalty",
        "--scope",
        "pte",
        "--ruleset",
        p.path().join("m.ruleset.json").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nope.ruleset.json"), "{}", r.stderr);
}

#[test]
fn members_added_to_the_apps_own_objects_need_no_affix() {
    let p = project(&[
        (
            "app.json",
            &app_json("").replace("50100, \"to\": 50149", "70000000, \"to\": 70000049"),
        ),
        ("AppSourceCop.json", r#"{ "mandatoryAffixes": ["CLP"] }"#),
        (
            "src/t.al",
            "namespace Contoso.Loyalty;\ntable 70000000 \"CLP Tier\" { fields { field(1; Code; Code[20]) { DataClassification = CustomerContent; } } }\n",
        ),
        (
            "src/x.al",
            "namespace Contoso.Loyalty;\ntableextension 70000001 \"CLP Tier Ext\" extends \"CLP Tier\" { fields { field(70000000; Extra; Integer) { DataClassification = CustomerContent; } } }\ntableextension 70000002 \"CLP Cust Ext\" extends Customer { fields { field(70000001; Points; Integer) { DataClassification = CustomerContent; } } }\n",
        ),
    ]);
    let r = alkit_in(
        p.path(),
        &["check", ".", "--scope", "appsource", "--format", "json"],
    );
    let v: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    // The app's own table needs no affix on added members; who publishes Customer is not
    // known without symbols: not checked, said once (ALK0009), not assumed (#24).
    assert!(!v.iter().any(|d| d["code"] == "AS0011"), "{v:?}");
    let info: Vec<&str> = v
        .iter()
        .filter(|d| d["code"] == "ALK0009")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(info.len(), 1, "{v:?}");
    assert!(
        info[0].contains("1 member(s) of 1 extension object(s)"),
        "{info:?}"
    );
}

#[test]
fn reserved_namespace_and_entitlement_are_pte_errors() {
    let p = project(&[
        ("app.json", &app_json("")),
        (
            "src/n.al",
            "namespace Microsoft.Sales.Loyalty;\ncodeunit 50100 \"Loyalty Worker\" { }\n",
        ),
        (
            "src/e.al",
            "entitlement \"Loyalty Entitlement\"\n{\n    Type = Role;\n    RoleType = Local;\n}\n",
        ),
    ]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("src/n.al(2,16): error PTE0021"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("src/e.al(1,13): error PTE0013"),
        "{}",
        r.stdout
    );
}

#[test]
fn asserterror_outside_test_codeunits_is_pte0007() {
    let worker = "codeunit 50100 \"Worker\"\n{\n    procedure Run()\n    begin\n        // asserterror in a comment\n        Message('asserterror in a string');\n        asserterror Error('x');\n    end;\n}\n";
    let test = "codeunit 50101 \"Worker Test\"\n{\n    Subtype = Test;\n\n    [Test]\n    procedure T()\n    begin\n        AssertError Error('x');\n    end;\n}\n";
    let p = project(&[
        ("app.json", &app_json("")),
        ("src/w.al", worker),
        ("test/t.al", test),
    ]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.stdout.lines().collect::<Vec<_>>(),
        vec![
            "src/w.al(7,9): error PTE0007: codeunit \"Worker\": asserterror is only allowed in test codeunits (Subtype = Test)"
        ]
    );
}

const XML_PERMISSIONS: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<PermissionSets>\n  <PermissionSet RoleID=\"LEGACY\" RoleName=\"Legacy\">\n    <Permission>\n      <ObjectID>50100</ObjectID>\n      <ObjectType>0</ObjectType>\n      <ReadPermission>1</ReadPermission>\n    </Permission>\n  </PermissionSet>\n</PermissionSets>\n";

const UNGRANTED_TABLE: &str = "table 50100 \"Legacy Data\"\n{\n    DataClassification = CustomerContent;\n    fields\n    {\n        field(1; \"No.\"; Code[20]) { }\n    }\n}\n";

#[test]
fn xml_permission_sets_are_reported_and_count_as_grants() {
    let p = project(&[
        ("app.json", &app_json("")),
        ("src/LegacyData.Table.al", UNGRANTED_TABLE),
        ("permissions/Legacy.xml", XML_PERMISSIONS),
    ]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert!(
        r.stdout
            .contains("permissions/Legacy.xml(2,1): warning PTE0014"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("PTE0004"),
        "the XML set grants the table: {}",
        r.stdout
    );
    // Without the XML file the table is ungranted.
    std::fs::remove_file(p.path().join("permissions/Legacy.xml")).unwrap();
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("error PTE0004"), "{}", r.stdout);
}

#[test]
fn obsolete_tag_pattern_comes_from_appsourcecop() {
    let table = "namespace Contoso.Tags;\n\ntable 70000000 \"ABC Tagged\"\n{\n    DataClassification = CustomerContent;\n    ObsoleteState = Pending;\n    ObsoleteReason = 'Replaced.';\n    ObsoleteTag = 'v25';\n    fields\n    {\n        field(1; \"No.\"; Code[20]) { }\n    }\n}\n";
    // AS0076 is Hidden by default; the ruleset makes it visible.
    let codes_with = |cop: &str| -> Vec<String> {
        let p = project(&[
            (
                "app.json",
                &format!(
                    "{{ \"id\": \"{APP_ID}\", \"name\": \"N\", \"publisher\": \"P\", \"version\": \"1.0.0.0\", \"idRanges\": [{{ \"from\": 70000000, \"to\": 70000099 }}] }}"
                ),
            ),
            ("AppSourceCop.json", cop),
            ("src/Tagged.Table.al", table),
            (
                "r.ruleset.json",
                r#"{"name":"r","rules":[{"id":"AS0076","action":"Warning"}]}"#,
            ),
        ]);
        let r = alkit_in(
            p.path(),
            &[
                "check",
                ".",
                "--scope",
                "appsource",
                "--ruleset",
                "r.ruleset.json",
                "--format",
                "json",
            ],
        );
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .filter_map(|d| d["code"].as_str().map(str::to_string))
            .collect()
    };
    // The default pattern `(\d+)\.(\d+)` rejects 'v25' ...
    let default = codes_with(r#"{ "mandatoryAffixes": ["ABC"] }"#);
    assert!(default.iter().any(|c| c == "AS0076"), "{default:?}");
    assert!(
        !default.iter().any(|c| c == "AS0075"),
        "reason is set: {default:?}"
    );
    // ... and AppSourceCop.json's own obsoleteTagPattern replaces it.
    let custom = codes_with(r#"{ "mandatoryAffixes": ["ABC"], "obsoleteTagPattern": "v\\d+" }"#);
    assert!(!custom.iter().any(|c| c == "AS0076"), "{custom:?}");
}

#[test]
fn utf16_app_json_is_read() {
    let text = app_json("");
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let p = project(&[("src/LegacyData.Table.al", UNGRANTED_TABLE)]);
    std::fs::write(p.path().join("app.json"), bytes).unwrap();
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("PTE0004"), "{}", r.stdout);
}

/// #24: who publishes an extended object decides the member affix rules. A connector
/// (publisher Contoso, affix CLP) extends a page of Contoso's main app and Microsoft's
/// Customer Card; its members carry no affix.
#[test]
fn member_affix_rules_follow_the_owner_from_symbols() {
    let main_app = r#"{"id":"11111111-1111-1111-1111-111111111111","name":"Main","publisher":"Contoso","version":"1.0.0.0","idRanges":[{"from":70000000,"to":70000099}]}"#;
    let main = project(&[
        ("app.json", main_app),
        (
            "src/Card.Page.al",
            "page 70000000 \"CLP Loyalty Card\" { layout { area(Content) { group(General) { } } } }\n",
        ),
    ]);
    let ms_app = r#"{"id":"437dbf0e-84ff-417a-965d-ed2bb9650972","name":"Base Application","publisher":"Microsoft","version":"24.0.0.0","idRanges":[{"from":1,"to":99999}]}"#;
    let ms = project(&[
        ("app.json", ms_app),
        (
            "src/CustomerCard.Page.al",
            "page 21 \"Customer Card\" { layout { area(Content) { group(General) { } } } }\n",
        ),
    ]);
    let connector_app = r#"{"id":"22222222-2222-2222-2222-222222222222","name":"Connector","publisher":"Contoso","version":"1.0.0.0",
      "dependencies":[{"id":"11111111-1111-1111-1111-111111111111","name":"Main","publisher":"Contoso","version":"1.0.0.0"},
                      {"id":"437dbf0e-84ff-417a-965d-ed2bb9650972","name":"Base Application","publisher":"Microsoft","version":"24.0.0.0"}],
      "idRanges":[{"from":70000100,"to":70000199}]}"#;
    let connector = project(&[
        ("app.json", connector_app),
        ("AppSourceCop.json", r#"{"mandatoryAffixes":["CLP"]}"#),
        (
            "src/Ext.PageExt.al",
            "pageextension 70000100 \"CLP Card Ext\" extends \"CLP Loyalty Card\" { layout { addlast(General) { field(Points; 1) { } } } }\n\
             pageextension 70000101 \"CLP Cust Ext\" extends \"Customer Card\" { layout { addlast(General) { field(Tier; 1) { } } } }\n",
        ),
    ]);
    let dir = connector.path().to_str().unwrap();
    let codes = |r: &common::Run| -> Vec<String> {
        r.stdout
            .lines()
            .filter_map(|l| {
                l.split_once("): ")
                    .map(|(_, rest)| rest.split(' ').take(2).collect::<Vec<_>>().join(" "))
            })
            .collect()
    };
    // No symbols: nothing assumed, said once.
    let r = alkit(&["check", dir, "--scope", "appsource"]);
    let c = codes(&r);
    assert!(c.contains(&"info ALK0009:".to_string()), "{}", r.stdout);
    assert!(!c.iter().any(|c| c.contains("AS0011")), "{}", r.stdout);
    assert!(
        r.stdout.contains("2 member(s) of 2 extension object(s)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains(
            "no symbols for the dependencies Main by Contoso, Base Application by Microsoft"
        ),
        "{}",
        r.stderr
    );
    // Main's symbols (source folder): its page is Contoso's, no affix needed; Customer Card
    // still unknown.
    let r = alkit(&[
        "check",
        dir,
        "--scope",
        "appsource",
        "--symbols",
        main.path().to_str().unwrap(),
    ]);
    assert!(
        r.stdout.contains("1 member(s) of 1 extension object(s)"),
        "{}",
        r.stdout
    );
    assert!(
        !codes(&r).iter().any(|c| c.contains("AS0011")),
        "{}",
        r.stdout
    );
    // Microsoft's page as a package in .alpackages: another publisher's object, AS0011.
    let pkgs = connector.path().join(".alpackages");
    let r = alkit(&[
        "pack",
        ms.path().to_str().unwrap(),
        "--out",
        pkgs.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = alkit(&[
        "check",
        dir,
        "--scope",
        "appsource",
        "--symbols",
        main.path().to_str().unwrap(),
    ]);
    let c = codes(&r);
    assert!(!c.contains(&"info ALK0009:".to_string()), "{}", r.stdout);
    let as0011: Vec<&str> = r.stdout.lines().filter(|l| l.contains("AS0011")).collect();
    assert_eq!(as0011.len(), 1, "{}", r.stdout);
    assert!(as0011[0].contains("\"Tier\""), "{}", r.stdout);
    assert!(
        r.stderr.contains("Base Application by Microsoft"),
        "{}",
        r.stderr
    );
}

/// #24: an app published by Microsoft is checked as Microsoft's rules apply to it: its
/// namespaces (AS0008) and its ID ranges (AS0013/AS0014/AS0084) are its own. The same app
/// under another publisher gets them.
#[test]
fn microsoft_apps_own_their_namespaces_and_ranges() {
    let app = |publisher: &str| {
        format!(
            r#"{{"id":"267b59d3-7302-44c5-ba77-c87000380514","name":"Core Localization Pack","publisher":"{publisher}","version":"29.0.0.0","features":["TranslationFile"]}}"#
        )
    };
    let src = "namespace Microsoft.Finance.Localization;\ncodeunit 31000 \"Local Mgt\" { }\n";
    let codes = |publisher: &str| {
        let p = project(&[("app.json", &app(publisher)), ("src/c.al", src)]);
        let r = alkit_in(
            p.path(),
            &["check", ".", "--scope", "appsource", "--format", "json"],
        );
        let v: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
        v.iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let theirs = codes("Microsoft");
    for c in ["AS0008", "AS0013", "AS0014", "AS0084"] {
        assert!(!theirs.contains(&c.to_string()), "{c}: {theirs:?}");
    }
    let partner = codes("Contoso");
    for c in ["AS0008", "AS0014", "AS0084"] {
        assert!(partner.contains(&c.to_string()), "{c}: {partner:?}");
    }
}

/// AS0061 / PTE0003: a subscriber to the platform's CompanyOpen event is refused in the
/// cloud scopes; OnCompanyOpenCompleted and other events are fine.
#[test]
fn company_open_subscribers_are_refused() {
    let src = "codeunit 50100 \"Open Handler\"\n{\n    [EventSubscriber(ObjectType::Codeunit, Codeunit::\"Company Triggers\", 'OnCompanyOpen', '', false, false)]\n    local procedure OnOpen()\n    begin\n    end;\n\n    [EventSubscriber(ObjectType::Codeunit, Codeunit::\"Company Triggers\", 'OnCompanyOpenCompleted', '', false, false)]\n    local procedure OnOpened()\n    begin\n    end;\n}\n";
    let p = project(&[("app.json", &app_json("")), ("src/h.al", src)]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let hits: Vec<&str> = r.stdout.lines().filter(|l| l.contains("PTE0003")).collect();
    assert_eq!(hits.len(), 1, "{}", r.stdout);
    assert!(hits[0].contains("src/h.al(3,5)"), "{}", r.stdout);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "appsource"]);
    assert_eq!(
        r.stdout.lines().filter(|l| l.contains("AS0061")).count(),
        1,
        "{}",
        r.stdout
    );
    let ok = src.replace("'OnCompanyOpen'", "'OnAfterCompanyOpen'");
    let p = project(&[("app.json", &app_json("")), ("src/h.al", &ok)]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert!(!r.stdout.contains("PTE0003"), "{}", r.stdout);
}

/// The stdout lines reporting `code` (`path(l,c): severity CODE: message`).
fn lines_with<'a>(stdout: &'a str, code: &str) -> Vec<&'a str> {
    let tag = format!(" {code}: ");
    stdout.lines().filter(|l| l.contains(&tag)).collect()
}

/// `alkit pack DIR --out OUT` (a package of the project, e.g. into `.alpackages`).
fn pack_into(dir: &std::path::Path, out: &std::path::Path) {
    let r = alkit(&[
        "pack",
        dir.to_str().expect("UTF-8 path"),
        "--out",
        out.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

const MAIN_ID: &str = "11111111-1111-1111-1111-111111111111";

/// A dependency "Main" by Contoso (id [`MAIN_ID`]) with the given AL file.
fn main_project(al: &str) -> tempfile::TempDir {
    let app = format!(
        r#"{{"id":"{MAIN_ID}","name":"Main","publisher":"Contoso","version":"1.0.0.0","idRanges":[{{"from":50100,"to":50199}},{{"from":70000000,"to":70000099}}]}}"#
    );
    project(&[("app.json", &app), ("src/Main.al", al)])
}

/// An app.json depending on Main, with `extra` keys.
fn addon_json(from: u32, extra: &str) -> String {
    format!(
        r#"{{"id":"22222222-2222-2222-2222-222222222222","name":"Addon","publisher":"Contoso","version":"1.0.0.0",
  "dependencies":[{{"id":"{MAIN_ID}","name":"Main","publisher":"Contoso","version":"1.0.0.0"}}],
  "idRanges":[{{"from":{from},"to":{}}}]{extra}}}"#,
        from + 99
    )
}

/// AS0130 / PTE0025 (#24): an object with the type and name of a dependency's object, found
/// through the dependency's source or its package in `.alpackages`; without symbols it is
/// not checked, and ALK0010 says so once.
#[test]
fn duplicate_object_names_against_dependency_symbols() {
    let main = main_project(
        "table 50100 \"Loyalty Setup\" { fields { field(1; Code; Code[10]) { DataClassification = CustomerContent; } } }\n",
    );
    let src = "table 50200 \"LOYALTY SETUP\" { fields { field(1; Code; Code[10]) { } } }\n\
               permissionset 50201 Addon { Permissions = tabledata \"LOYALTY SETUP\" = RIMD; }\n\
               codeunit 50202 \"Loyalty Setup\" { }\n";
    let addon = project(&[("app.json", &addon_json(50200, "")), ("src/a.al", src)]);
    let dir = addon.path().to_str().unwrap();
    // No symbols: not checked, said once on app.json.
    let r = alkit(&["check", dir, "--scope", "pte"]);
    assert!(lines_with(&r.stdout, "PTE0025").is_empty(), "{}", r.stdout);
    let note = lines_with(&r.stdout, "ALK0010");
    assert_eq!(note.len(), 1, "{}", r.stdout);
    assert!(
        note[0].contains("app.json(1,1): info ALK0010"),
        "{}",
        note[0]
    );
    assert!(
        note[0].contains("PTE0025 against Main by Contoso"),
        "{}",
        note[0]
    );
    // Main's source: the table clashes (a codeunit of the same name does not).
    let main_dir = main.path().to_str().unwrap();
    let r = alkit(&["check", dir, "--scope", "pte", "--symbols", main_dir]);
    let hits = lines_with(&r.stdout, "PTE0025");
    assert_eq!(hits.len(), 1, "{}", r.stdout);
    assert!(
        hits[0].contains("src/a.al(1,13): warning PTE0025"),
        "{}",
        hits[0]
    );
    assert!(hits[0].contains("Main by Contoso"), "{}", hits[0]);
    assert!(lines_with(&r.stdout, "ALK0010").is_empty(), "{}", r.stdout);
    // Main's package in .alpackages, the Marketplace rule.
    pack_into(main.path(), &addon.path().join(".alpackages"));
    let r = alkit(&["check", dir, "--scope", "appsource"]);
    assert_eq!(lines_with(&r.stdout, "AS0130").len(), 1, "{}", r.stdout);
    // Another name: nothing.
    std::fs::write(
        addon.path().join("src/a.al"),
        src.replace("\"LOYALTY SETUP\"", "\"Addon Setup\""),
    )
    .unwrap();
    let r = alkit(&["check", dir, "--scope", "pte"]);
    assert!(lines_with(&r.stdout, "PTE0025").is_empty(), "{}", r.stdout);
    assert!(lines_with(&r.stdout, "ALK0010").is_empty(), "{}", r.stdout);
}

/// AS0059 (#24): writing a system table (ID 2,000,000,000 and up) through a record that is
/// not temporary. By number from the source alone; by name with the symbols that declare
/// the table (the platform's System package), else not checked and said so.
#[test]
fn system_tables_are_written_only_as_temporary_records() {
    let system = project(&[
        (
            "app.json",
            r#"{"id":"8874ed3a-0643-4247-9ced-7a7002f7135d","name":"System","publisher":"Microsoft","version":"24.0.0.0"}"#,
        ),
        (
            "src/Company.Table.al",
            "table 2000000006 Company { fields { field(1; Name; Text[30]) { } } }\ntable 2000000300 \"Not System\" { }\n",
        ),
    ]);
    let src = "namespace Contoso.Writers;\n\ncodeunit 70000000 \"CLP Company Writer\"\n{\n    var\n        Company: Record Company;\n        TempCompany: Record Company temporary;\n        Users: Record 2000000120;\n\n    procedure Write()\n    begin\n        Company.Insert();\n        TempCompany.Insert();\n        Users.Modify();\n        Company.Get();\n    end;\n}\n";
    let app = r#"{"id":"33333333-3333-3333-3333-333333333333","name":"Writer","publisher":"Contoso","version":"1.0.0.0","idRanges":[{"from":70000000,"to":70000099}]}"#;
    let p = project(&[("app.json", app), ("src/w.al", src)]);
    let dir = p.path().to_str().unwrap();
    let r = alkit(&["check", dir, "--scope", "appsource"]);
    let hits = lines_with(&r.stdout, "AS0059");
    assert_eq!(hits.len(), 1, "{}", r.stdout);
    assert!(
        hits[0].contains("src/w.al(14,15): error AS0059"),
        "{}",
        hits[0]
    );
    let note = lines_with(&r.stdout, "ALK0010");
    assert_eq!(note.len(), 1, "{}", r.stdout);
    assert!(
        note[0].contains("AS0059 on 1 write(s) to tables no symbols declare (\"Company\")"),
        "{}",
        note[0]
    );
    // The System package declares Company (2000000006): its write is AS0059 too.
    pack_into(system.path(), &p.path().join(".alpackages"));
    let r = alkit(&["check", dir, "--scope", "appsource"]);
    let hits = lines_with(&r.stdout, "AS0059");
    assert_eq!(hits.len(), 2, "{}", r.stdout);
    assert!(hits[0].contains("src/w.al(12,17)"), "{}", hits[0]);
    assert!(lines_with(&r.stdout, "ALK0010").is_empty(), "{}", r.stdout);
    // Temporary records only: nothing.
    let temp = src
        .replace("Record Company;", "Record Company temporary;")
        .replace("Record 2000000120;", "Record 2000000120 temporary;");
    std::fs::write(p.path().join("src/w.al"), temp).unwrap();
    let r = alkit(&["check", dir, "--scope", "appsource"]);
    assert!(lines_with(&r.stdout, "AS0059").is_empty(), "{}", r.stdout);
}

/// PTE0006 (#24): the encryption-key functions are refused in a per-tenant extension;
/// using the key (Encrypt, EncryptionEnabled) is fine.
#[test]
fn encryption_key_functions_are_pte0006() {
    let src = "codeunit 50100 \"Key Setup\"\n{\n    procedure Setup()\n    begin\n        if not EncryptionEnabled() then\n            CreateEncryptionKey();\n        System.DeleteEncryptionKey();\n    end;\n}\n";
    let p = project(&[("app.json", &app_json("")), ("src/k.al", src)]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let hits = lines_with(&r.stdout, "PTE0006");
    assert_eq!(hits.len(), 2, "{}", r.stdout);
    assert!(
        hits[0].contains("src/k.al(6,13): error PTE0006"),
        "{}",
        hits[0]
    );
    assert!(hits[1].contains("DeleteEncryptionKey"), "{}", hits[1]);
    let ok = src
        .replace("CreateEncryptionKey()", "Message(Encrypt('x'))")
        .replace("System.DeleteEncryptionKey();", "");
    std::fs::write(p.path().join("src/k.al"), ok).unwrap();
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert!(lines_with(&r.stdout, "PTE0006").is_empty(), "{}", r.stdout);
}

/// AS0110–AS0112 / PTE0016–PTE0018 (#24): a permission set extension grants only the app's
/// own objects and includes only the app's own sets that grant only its own objects.
#[test]
fn permission_set_extensions_keep_to_the_apps_own_objects() {
    let src = "table 50100 \"Loyalty Tier\" { fields { field(1; Code; Code[10]) { } } }\n\
               permissionset 50101 \"Loyalty Read\" { Permissions = tabledata \"Loyalty Tier\" = R; }\n\
               permissionset 50102 \"Loyalty Cust\" { Permissions = tabledata Customer = R; }\n\
               permissionsetextension 50103 \"Loyalty Ext\" extends \"D365 BASIC\"\n{\n    Permissions = tabledata \"Loyalty Tier\" = RIMD, tabledata Customer = R;\n    IncludedPermissionSets = \"Loyalty Read\", \"Loyalty Cust\", \"D365 READ\";\n}\n";
    let p = project(&[("app.json", &app_json("")), ("src/p.al", src)]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    for code in ["PTE0016", "PTE0017", "PTE0018"] {
        let hits = lines_with(&r.stdout, code);
        assert_eq!(hits.len(), 1, "{code}: {}", r.stdout);
        assert!(hits[0].contains(&format!("warning {code}")), "{}", hits[0]);
    }
    assert!(lines_with(&r.stdout, "PTE0016")[0].contains("src/p.al(6,5)"));
    assert!(lines_with(&r.stdout, "PTE0017")[0].contains("\"D365 READ\""));
    assert!(lines_with(&r.stdout, "PTE0018")[0].contains("\"Loyalty Cust\""));
    let r = alkit_in(p.path(), &["check", ".", "--scope", "appsource"]);
    for code in ["AS0110", "AS0111", "AS0112"] {
        assert_eq!(lines_with(&r.stdout, code).len(), 1, "{code}: {}", r.stdout);
    }
    // The app's own objects and sets only.
    let own = "table 50100 \"Loyalty Tier\" { fields { field(1; Code; Code[10]) { } } }\n\
               permissionset 50101 \"Loyalty Read\" { Permissions = tabledata \"Loyalty Tier\" = R; }\n\
               permissionsetextension 50103 \"Loyalty Ext\" extends \"D365 BASIC\"\n{\n    Permissions = tabledata \"Loyalty Tier\" = RIMD;\n    IncludedPermissionSets = \"Loyalty Read\";\n}\n";
    std::fs::write(p.path().join("src/p.al"), own).unwrap();
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    for code in ["PTE0016", "PTE0017", "PTE0018"] {
        assert!(
            lines_with(&r.stdout, code).is_empty(),
            "{code}: {}",
            r.stdout
        );
    }
}

/// AS0105 (#24): with `obsoleteTagMinAllowedMajorMinor`, references to a dependency's
/// pending-obsolete page and procedure whose ObsoleteTag is lower; from the dependency's
/// source, and from its package (alkit pack writes the page's ObsoleteState/ObsoleteTag).
#[test]
fn pending_obsolete_references_below_the_minimum_tag() {
    let main = main_project(
        "page 70000000 \"CLP Old Card\" { ObsoleteState = Pending; ObsoleteReason = 'Use the new card.'; ObsoleteTag = '18.0'; }\n\
         codeunit 70000001 \"CLP Mgt\"\n{\n    [Obsolete('Use NewCalc.', '20.0')]\n    procedure OldCalc()\n    begin\n    end;\n\n    procedure NewCalc()\n    begin\n    end;\n}\n",
    );
    let src = "namespace Contoso.Users;\n\ncodeunit 70000100 \"CLP User\"\n{\n    var\n        Card: Page \"CLP Old Card\";\n        Mgt: Codeunit \"CLP Mgt\";\n\n    procedure Run()\n    begin\n        Mgt.OldCalc();\n        Mgt.NewCalc();\n    end;\n}\n";
    let cop = |min: &str| {
        format!(r#"{{"mandatoryAffixes":["CLP"],"obsoleteTagMinAllowedMajorMinor":"{min}"}}"#)
    };
    let addon = project(&[
        ("app.json", &addon_json(70000100, "")),
        ("AppSourceCop.json", &cop("21.0")),
        ("src/u.al", src),
    ]);
    let dir = addon.path().to_str().unwrap();
    let main_dir = main.path().to_str().unwrap();
    let check = || alkit(&["check", dir, "--scope", "appsource", "--symbols", main_dir]);
    let r = check();
    let hits = lines_with(&r.stdout, "AS0105");
    assert_eq!(hits.len(), 2, "{}", r.stdout);
    assert!(
        hits[0].contains("src/u.al(6,20): error AS0105"),
        "{}",
        hits[0]
    );
    assert!(hits[0].contains("ObsoleteTag 18.0") && hits[0].contains("Use the new card."));
    assert!(hits[1].contains("src/u.al(11,13)"), "{}", hits[1]);
    for (min, n) in [("19.0", 1), ("18.0", 0)] {
        std::fs::write(addon.path().join("AppSourceCop.json"), cop(min)).unwrap();
        assert_eq!(lines_with(&check().stdout, "AS0105").len(), n, "{min}");
    }
    // Not asked for: not checked.
    std::fs::write(
        addon.path().join("AppSourceCop.json"),
        r#"{"mandatoryAffixes":["CLP"]}"#,
    )
    .unwrap();
    assert!(lines_with(&check().stdout, "AS0105").is_empty());
    // Without symbols, said once; with Main's package, the page (the package carries no
    // procedure attributes).
    std::fs::write(addon.path().join("AppSourceCop.json"), cop("21.0")).unwrap();
    let r = alkit(&["check", dir, "--scope", "appsource"]);
    assert!(lines_with(&r.stdout, "AS0105").is_empty(), "{}", r.stdout);
    assert!(
        lines_with(&r.stdout, "ALK0010")[0].contains("AS0105"),
        "{}",
        r.stdout
    );
    pack_into(main.path(), &addon.path().join(".alpackages"));
    let r = alkit(&["check", dir, "--scope", "appsource"]);
    let hits = lines_with(&r.stdout, "AS0105");
    assert_eq!(hits.len(), 1, "{}", r.stdout);
    assert!(hits[0].contains("src/u.al(6,20)"), "{}", hits[0]);
}

/// The moved-object rules (#24): a destination table's MovedFrom against the source app's
/// package (AppSourceCop.json `sourceMovedObjectsPackagesCachePath`, or `--symbols`), and a
/// source table's MovedTo against the destination's.
#[test]
fn moved_tables_match_their_source_and_destination() {
    const SRC_ID: &str = "aaaaaaaa-1111-1111-1111-111111111111";
    const DST_ID: &str = "bbbbbbbb-2222-2222-2222-222222222222";
    let source_app = format!(
        r#"{{"id":"{SRC_ID}","name":"Loyalty Core","publisher":"Contoso","version":"2.0.0.0","idRanges":[{{"from":70000000,"to":70000099}}]}}"#
    );
    let source_table = format!(
        "table 70000000 \"CLP Tier\"\n{{\n    ObsoleteState = Moved;\n    ObsoleteReason = 'Moved to Loyalty Base.';\n    ObsoleteTag = '2.0';\n    MovedTo = '{DST_ID}';\n    fields {{ field(1; Code; Code[10]) {{ }} }}\n}}\n"
    );
    let dest_app = |extra: &str| {
        format!(
            r#"{{"id":"{DST_ID}","name":"Loyalty Base","publisher":"Contoso","version":"1.0.0.0","idRanges":[{{"from":70000000,"to":70000099}}]}}"#
        )
        .replace("}]}", &format!("}}]{extra}}}"))
    };
    let dest_table = |props: &str, name: &str| {
        format!(
            "namespace Contoso.Loyalty;\n\ntable 70000000 \"{name}\"\n{{\n{props}    fields {{ field(1; Code; Code[10]) {{ }} }}\n}}\n"
        )
    };
    let moved_from = format!("    MovedFrom = '{SRC_ID}';\n");
    let source = project(&[("app.json", &source_app), ("src/Tier.al", &source_table)]);
    let dest = project(&[
        ("app.json", &dest_app("")),
        (
            "AppSourceCop.json",
            r#"{"mandatoryAffixes":["CLP"],"sourceMovedObjectsPackagesCachePath":"moved"}"#,
        ),
        ("src/Tier.al", &dest_table(&moved_from, "CLP Tier")),
    ]);
    let dir = dest.path().to_str().unwrap();
    let moved = [
        "AS0116", "AS0119", "AS0120", "AS0121", "AS0122", "AS0141", "AS0142", "AS0130",
    ];
    let found = |stdout: &str| -> Vec<&'static str> {
        moved
            .iter()
            .copied()
            .filter(|c| !lines_with(stdout, c).is_empty())
            .collect()
    };
    // The cache folder is empty: the source app is not found (AS0116).
    std::fs::create_dir(dest.path().join("moved")).unwrap();
    let r = alkit(&["check", dir, "--scope", "appsource"]);
    assert_eq!(found(&r.stdout), ["AS0116"], "{}", r.stdout);
    assert!(lines_with(&r.stdout, "AS0116")[0].contains("src/Tier.al(5,5): warning AS0116"));
    // The source app's package in the cache: it says MovedTo this app, same name.
    pack_into(source.path(), &dest.path().join("moved"));
    let r = alkit(&["check", dir, "--scope", "appsource"]);
    assert!(found(&r.stdout).is_empty(), "{}", r.stdout);
    // Renamed: AS0121. Without MovedFrom: AS0141.
    std::fs::write(
        dest.path().join("src/Tier.al"),
        dest_table(&moved_from, "CLP Tiers"),
    )
    .unwrap();
    let r = alkit(&["check", dir, "--scope", "appsource"]);
    assert_eq!(found(&r.stdout), ["AS0121"], "{}", r.stdout);
    std::fs::write(dest.path().join("src/Tier.al"), dest_table("", "CLP Tier")).unwrap();
    let r = alkit(&["check", dir, "--scope", "appsource"]);
    assert_eq!(found(&r.stdout), ["AS0141"], "{}", r.stdout);
    // A source that does not say MovedTo this app (given with --symbols): AS0119; a table
    // of the same ID without MovedFrom: AS0142.
    let other = project(&[
        ("app.json", &source_app),
        (
            "src/Tier.al",
            &source_table.replace(&format!("    MovedTo = '{DST_ID}';\n"), ""),
        ),
    ]);
    let other_pkgs = other.path().join("out");
    pack_into(other.path(), &other_pkgs);
    let dest2 = project(&[
        ("app.json", &dest_app("")),
        ("src/Tier.al", &dest_table(&moved_from, "CLP Tier")),
    ]);
    let d2 = dest2.path().to_str().unwrap();
    let pk = other_pkgs.to_str().unwrap();
    let r = alkit(&["check", d2, "--scope", "appsource", "--symbols", pk]);
    assert_eq!(found(&r.stdout), ["AS0119"], "{}", r.stdout);
    std::fs::write(dest2.path().join("src/Tier.al"), dest_table("", "CLP Tier")).unwrap();
    let r = alkit(&["check", d2, "--scope", "appsource", "--symbols", pk]);
    assert_eq!(found(&r.stdout), ["AS0142", "AS0130"], "{}", r.stdout);
    // No symbols and no cache folder set: not checked, said once.
    std::fs::write(
        dest2.path().join("src/Tier.al"),
        dest_table(&moved_from, "CLP Tier"),
    )
    .unwrap();
    let r = alkit(&["check", d2, "--scope", "appsource"]);
    assert!(found(&r.stdout).is_empty(), "{}", r.stdout);
    assert!(lines_with(&r.stdout, "ALK0010")[0].contains("AS0119–AS0122 on 1 moved symbol(s)"));
    // The source side: MovedTo an app whose table names another source (AS0120).
    let wrong = project(&[
        ("app.json", &dest_app("")),
        (
            "src/Tier.al",
            &dest_table(
                "    MovedFrom = 'cccccccc-3333-3333-3333-333333333333';\n",
                "CLP Tier",
            ),
        ),
    ]);
    pack_into(wrong.path(), &source.path().join(".alpackages"));
    let r = alkit(&[
        "check",
        source.path().to_str().unwrap(),
        "--scope",
        "appsource",
    ]);
    assert_eq!(found(&r.stdout), ["AS0120"], "{}", r.stdout);
    // And the right destination: clean.
    std::fs::remove_dir_all(source.path().join(".alpackages")).unwrap();
    pack_into(dest2.path(), &source.path().join(".alpackages"));
    let r = alkit(&[
        "check",
        source.path().to_str().unwrap(),
        "--scope",
        "appsource",
    ]);
    assert!(found(&r.stdout).is_empty(), "{}", r.stdout);
}

/// A dotted object name (`extends "Gen. Journal Line"`) is one name, not a namespace path:
/// its owner comes from the symbols like any other (was: never found, ALK0009).
#[test]
fn extended_objects_with_dots_in_their_names_are_found_in_the_symbols() {
    let ms = project(&[
        (
            "app.json",
            r#"{"id":"437dbf0e-84ff-417a-965d-ed2bb9650972","name":"Base Application","publisher":"Microsoft","version":"24.0.0.0","idRanges":[{"from":1,"to":99999}]}"#,
        ),
        (
            "GenJournalLine.Table.al",
            "table 81 \"Gen. Journal Line\" { fields { field(1; \"Journal Template Name\"; Code[10]) { } } }\n",
        ),
    ]);
    let ext = project(&[
        (
            "app.json",
            r#"{"id":"22222222-2222-2222-2222-222222222222","name":"Ext","publisher":"Contoso","version":"1.0.0.0",
              "dependencies":[{"id":"437dbf0e-84ff-417a-965d-ed2bb9650972","name":"Base Application","publisher":"Microsoft","version":"24.0.0.0"}],
              "idRanges":[{"from":70000000,"to":70000099}]}"#,
        ),
        ("AppSourceCop.json", r#"{"mandatoryAffixes":["ABC"]}"#),
        (
            "GenJnlLine.TableExt.al",
            "tableextension 70000001 \"ABC Gen. Jnl. Line\" extends \"Gen. Journal Line\" { fields { field(70000001; \"No Affix\"; Integer) { DataClassification = CustomerContent; } } }\n",
        ),
    ]);
    let r = alkit(&[
        "check",
        ext.path().to_str().unwrap(),
        "--scope",
        "appsource",
        "--symbols",
        ms.path().to_str().unwrap(),
    ]);
    assert!(!r.stdout.contains("ALK0009"), "{}", r.stdout);
    let as0011: Vec<&str> = r.stdout.lines().filter(|l| l.contains("AS0011")).collect();
    assert_eq!(as0011.len(), 1, "{}", r.stdout);
    assert!(as0011[0].contains("No Affix"), "{}", r.stdout);
}

/// AL-Go's build writes `appSourceCopMandatoryAffixes` from `.github/AL-Go-Settings.json`
/// and `<project>/.AL-Go/settings.json` into AppSourceCop.json before compiling an app
/// (not a test app), so a repository may declare its affixes only there (#24: a Marketplace
/// app had a false AS0054 and no affix check).
#[test]
fn affixes_from_al_go_settings_are_used_as_al_go_uses_them() {
    let table = |name: &str, id: u32| {
        format!(
            "table {id} \"{name}\"\n{{\n    DataClassification = CustomerContent;\n    fields {{ field(1; \"No.\"; Code[20]) {{ }} }}\n}}\n"
        )
    };
    let app = |name: &str| {
        format!(
            "{{ \"id\": \"{APP_ID}\", \"name\": \"{name}\", \"publisher\": \"Contoso\", \"version\": \"1.0.0.0\", \"idRanges\": [{{ \"from\": 70000000, \"to\": 70000099 }}] }}"
        )
    };
    let p = project(&[
        (
            ".github/AL-Go-Settings.json",
            "{ \"type\": \"AppSource App\", // repository\n \"appSourceCopMandatoryAffixes\": [\"ABC\"], }",
        ),
        (
            "proj/.AL-Go/settings.json",
            "{ \"appFolders\": [\"app\"], \"testFolders\": [\"test\"] }",
        ),
        ("proj/app/app.json", &app("Main")),
        (
            "proj/app/AppSourceCop.json",
            "{ \"supportedCountries\": [\"US\"] }",
        ),
        ("proj/app/src/A.Table.al", &table("ABC Thing", 70000000)),
        ("proj/app/src/B.Table.al", &table("Thing", 70000001)),
        ("proj/test/app.json", &app("Main Test")),
    ]);
    let check = |dir: &str| alkit_in(p.path(), &["check", dir, "--scope", "appsource"]);
    let r = check("proj/app");
    assert!(
        r.stderr
            .contains("alkit: note: AppSourceCop settings from AL-Go (")
            && r.stderr.contains("AL-Go-Settings.json, ")
            && r.stderr
                .contains("settings.json): mandatoryAffixes [\"ABC\"]"),
        "{}",
        r.stderr
    );
    assert!(!r.stdout.contains("AS0054"), "{}", r.stdout);
    let as0011 = lines_with(&r.stdout, "AS0011");
    assert_eq!(as0011.len(), 1, "{}", r.stdout);
    assert!(as0011[0].contains("B.Table.al"), "{}", as0011[0]);
    // A test folder is compiled with its own (here: no) AppSourceCop.json.
    let t = check("proj/test");
    assert!(t.stderr.contains("as a test app"), "{}", t.stderr);
    assert!(t.stdout.contains("AS0054"), "{}", t.stdout);
    // Without the settings the app declares no affix; the project's settings left manage
    // nothing AppSourceCop reads, so nothing is said of them.
    std::fs::remove_file(p.path().join(".github/AL-Go-Settings.json")).unwrap();
    let r = check("proj/app");
    assert!(r.stdout.contains("AS0054"), "{}", r.stdout);
    assert!(!r.stderr.contains("from AL-Go"), "{}", r.stderr);
    // A setting of the wrong type is refused with its place, as AL-Go refuses it.
    std::fs::write(
        p.path().join("proj/.AL-Go/settings.json"),
        "{\n  \"appSourceCopMandatoryAffixes\": \"ABC\"\n}",
    )
    .unwrap();
    let r = check("proj/app");
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("settings.json:2:35: appSourceCopMandatoryAffixes: invalid type"),
        "{}",
        r.stderr
    );
}
