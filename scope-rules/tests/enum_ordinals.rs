#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! #17 item 3: enum values named by their ordinal in code (`FromInteger(50100)`,
//! `X.AsInteger() = 50100`, `case X.AsInteger() of 50100:`) follow an enum-extension value
//! renumbered by the move where the enum is known, and are listed where it is not.

mod common;

use al_parser::symbols::{AppInfo, ParsedApp, SourceText};
use scope_rules::move_engine::{Dependencies, ProjectFile, move_app};

const BASE_ID: &str = "437dbf0e-84ff-417a-965d-ed2bb9650972";

const BASE_AL: &str = "enum 10 \"Level\"\n{\n    Extensible = true;\n    value(0; Bronze) { }\n}\ntable 18 Customer\n{\n    fields\n    {\n        field(1; \"No.\"; Code[20]) { }\n        field(2; Level; Enum Level) { }\n    }\n}\n";

fn base() -> ParsedApp {
    ParsedApp::parse(
        AppInfo {
            id: BASE_ID.into(),
            name: "Base Application".into(),
            publisher: "Microsoft".into(),
            version: "24.0.0.0".into(),
            dependencies: Vec::new(),
        },
        vec![SourceText::new("Base.al", BASE_AL.as_bytes().to_vec())],
    )
}

const CODE: &str = "codeunit 50100 \"Ord Mgt\"\n{\n    procedure P(var Cust: Record Customer; Unknown: Record \"Not Here\")\n    var\n        L: Enum Level;\n        N: Integer;\n    begin\n        L := Enum::Level.FromInteger(50100);\n        if Cust.Level.AsInteger() = 50100 then;\n        if 50100 <> L.AsInteger() then;\n        case L.AsInteger() of\n            50100:\n                N := 50100;\n        end;\n        if Unknown.Kind.AsInteger() = 50100 then;\n        N := 50100;\n    end;\n}\n";

#[test]
fn ordinals_follow_a_renumbered_enum_extension_value() {
    let app_json = format!(
        r#"{{"id":"0c9ee1a4-6d3e-4c1f-9a57-3b0f5e2d8a61","name":"Ord","publisher":"Contoso","version":"1.0.0.0","idRanges":[{{"from":50100,"to":50149}}],"dependencies":[{{"id":"{BASE_ID}","name":"Base Application","publisher":"Microsoft","version":"24.0.0.0"}}]}}"#
    );
    let project = vec![
        ProjectFile::new("app.json", app_json.into_bytes()),
        ProjectFile::new(
            "src/E.al",
            b"enumextension 50100 \"Ord Level Ext\" extends Level\n{\n    value(50100; Platinum) { }\n}\n".to_vec(),
        ),
        ProjectFile::new("src/C.al", CODE.as_bytes().to_vec()),
    ];
    let deps = Dependencies {
        sources: vec![base()],
        packages: Vec::new(),
    };
    let opts = common::to_appsource("ORD", true);
    let out = move_app(&project, &deps, &[], &opts, &mut |_, _, _| {}).unwrap();
    let e = common::text(&out.files, "src/E.al");
    assert!(e.contains("value(70000000; ORDPlatinum)"), "{e}");
    let c = common::text(&out.files, "src/C.al");
    // Where the enum is known, the ordinal follows the value.
    assert!(c.contains("Enum::Level.FromInteger(70000000)"), "{c}");
    assert!(c.contains("Cust.Level.AsInteger() = 70000000"), "{c}");
    assert!(c.contains("if 70000000 <> L.AsInteger()"), "{c}");
    assert!(c.contains("            70000000:\n"), "{c}");
    // A plain number is no enum value; where the enum is not known, the number stays and is
    // listed as possibly stale.
    assert!(c.contains("N := 50100;"), "{c}");
    assert!(c.contains("Unknown.Kind.AsInteger() = 50100"), "{c}");
    let stale: Vec<(&str, usize)> = out
        .report
        .possibly_stale
        .iter()
        .map(|f| (f.old.as_str(), f.at.line))
        .collect();
    assert_eq!(stale, [("50100", 15)], "{:?}", out.report.possibly_stale);
}
