#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! An app that declares only `"application"` depends on Microsoft's "Application" umbrella
//! app. When the umbrella is not among `--symbols` but the Microsoft apps it is built over
//! are (BCApps' layout: Base Application, System Application, Business Foundation), they
//! stand in for it, and the commands say so instead of leaving the base app unresolved.

mod common;

use common::{alkit_in, project};

const APP: &str = r#"{ "id": "0c9ee1a4-6d3e-4c1f-9a57-3b0f5e2d8a61", "name": "Ext", "publisher": "Contoso", "version": "1.0.0.0", "application": "24.0.0.0", "idRanges": [ { "from": 50100, "to": 50149 } ] }"#;
const BASE: &str = r#"{ "id": "437dbf0e-84ff-417a-965d-ed2bb9650972", "name": "Base Application", "publisher": "Microsoft", "version": "24.0.0.0", "dependencies": [ { "id": "63ca2fa4-4f03-4f2b-a480-172fef340d3f", "name": "System Application", "publisher": "Microsoft", "version": "24.0.0.0" } ] }"#;
const SYSTEM: &str = r#"{ "id": "63ca2fa4-4f03-4f2b-a480-172fef340d3f", "name": "System Application", "publisher": "Microsoft", "version": "24.0.0.0" }"#;

#[test]
fn microsoft_apps_stand_in_for_a_missing_application_app() {
    let p = project(&[
        ("ext/app.json", APP),
        (
            "ext/src/Cust.TableExt.al",
            "tableextension 50100 \"Ext Customer\" extends Customer\n{\n    fields { field(50100; \"Ext Points\"; Integer) { } }\n}\n",
        ),
        (
            "ext/src/Mgt.Codeunit.al",
            "codeunit 50101 \"Ext Mgt\"\n{\n    procedure Touch()\n    var\n        C: Record Customer;\n        T: Codeunit \"Type Helper\";\n    begin\n        C.\"Ext Points\" := 1;\n        C.Name := '';\n    end;\n}\n",
        ),
        ("symbols/BaseApp/app.json", BASE),
        (
            "symbols/BaseApp/src/Customer.Table.al",
            "table 18 Customer { fields { field(1; \"No.\"; Code[20]) { } field(2; Name; Text[100]) { } } }\n",
        ),
        ("symbols/System Application/App/app.json", SYSTEM),
        // A module of the System Application kept in a nested project, as BCApps does.
        (
            "symbols/System Application/App/Type Helper/app.json",
            r#"{ "id": "1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7a80", "name": "Type Helper", "publisher": "Microsoft", "version": "24.0.0.0" }"#,
        ),
        (
            "symbols/System Application/App/Type Helper/src/TypeHelper.Codeunit.al",
            "codeunit 10 \"Type Helper\" { }\n",
        ),
    ]);
    let r = alkit_in(
        p.path(),
        &["refs", "ext", "--symbols", "symbols", "--unresolved"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(
            "the Microsoft apps given stand in for it: Base Application, System Application"
        ),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("not found in --symbols"), "{}", r.stderr);
    assert!(
        !r.stdout.contains("Customer") && !r.stdout.contains("Name"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("Type Helper"), "{}", r.stdout);

    let r = alkit_in(
        p.path(),
        &[
            "move",
            "ext",
            "--to",
            "appsource",
            "--range",
            "70000000..70000099",
            "--affix",
            "ZZZ",
            "--symbols",
            "symbols",
            "--dry-run",
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("stand in for it"), "{}", r.stderr);
    assert!(
        !r.stderr.contains("not given with --symbols"),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout.contains("C.\"ZZZ Ext Points\" := 1;"),
        "{}",
        r.stdout
    );
}
