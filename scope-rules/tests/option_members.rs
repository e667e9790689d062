#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Option members are never renamed by a move, even when they spell the old name of a
//! renamed field: in an `Option A,B` type, in `OptionMembers`, and after `X::` where X is
//! an option-typed variable or field.

mod common;

use scope_rules::move_engine::ProjectFile;

const CODEUNIT: &str = "codeunit 50101 \"Opt Mgt\"\n{\n    procedure Touch(Log: Record \"Opt Log\")\n    var\n        Kind: Option \"Loyalty Points\",\"Other\";\n        State: Option Overdue,Fine;\n    begin\n        Kind := Kind::\"Loyalty Points\";\n        if State = State::Overdue then;\n        if Log.Kind = Log.Kind::\"Loyalty Points\" then;\n    end;\n}\n";
const TABLE: &str = "table 50102 \"Opt Log\"\n{\n    fields\n    {\n        field(1; Kind; Option) { OptionMembers = \"Loyalty Points\",Other; }\n    }\n}\n";

#[test]
fn option_members_keep_their_names() {
    let project = vec![
        common::app_json("Opt"),
        ProjectFile::new(
            "src/E.al",
            b"tableextension 50100 \"Opt Customer\" extends Customer\n{\n    fields\n    {\n        field(50100; \"Loyalty Points\"; Integer) { }\n        field(50101; Overdue; Boolean) { }\n    }\n}\n".to_vec(),
        ),
        ProjectFile::new("src/C.al", CODEUNIT.as_bytes().to_vec()),
        ProjectFile::new("src/T.al", TABLE.as_bytes().to_vec()),
    ];
    let opts = common::to_appsource("XQZ", true);
    let out = common::moved(&project, &opts);
    let text = |p: &str| {
        String::from_utf8(
            out.files
                .iter()
                .find(|f| f.path == p)
                .unwrap()
                .bytes
                .to_vec(),
        )
        .unwrap()
    };
    // The extension's fields are renamed …
    assert!(text("src/E.al").contains("\"XQZ Loyalty Points\""));
    assert!(text("src/E.al").contains("XQZOverdue"));
    // … the option members that spell their old names are not.
    assert_eq!(
        text("src/C.al"),
        CODEUNIT
            .replace(
                "codeunit 50101 \"Opt Mgt\"",
                "codeunit 70000000 \"XQZ Opt Mgt\""
            )
            .replace("Record \"Opt Log\"", "Record \"XQZ Opt Log\"")
    );
    assert_eq!(
        text("src/T.al"),
        TABLE.replace("table 50102 \"Opt Log\"", "table 70000000 \"XQZ Opt Log\"")
    );
    assert!(
        out.report.updated_by_name.is_empty(),
        "{:?}",
        out.report.updated_by_name
    );
}

/// A call is never a renamed member: `T.FindSet()` and `Window.Update(…)` keep their names
/// when an enum-extension value is named FindSet and an action Update (a base app's
/// Dialog and a record of the app's own table: no reference names them).
#[test]
fn calls_keep_their_names() {
    let codeunit = "codeunit 50102 \"Use\"\n{\n    procedure Run()\n    var\n        T: Record \"My Table\";\n        Window: Dialog;\n    begin\n        if T.FindSet() then;\n        Window.Update(1, 'x');\n    end;\n}\n";
    let project = vec![
        common::app_json("R1"),
        ProjectFile::new(
            "src/a.al",
            b"enumextension 50101 \"K Ext\" extends \"Sales Line Type\" { value(50100; FindSet) { } }\ntable 50100 \"My Table\" { fields { field(1; \"No.\"; Code[20]) { } } }\npageextension 50103 \"C\" extends \"Customer Card\" { actions { addlast(Processing) { action(Update) { } } } }\n".to_vec(),
        ),
        ProjectFile::new("src/c.al", codeunit.as_bytes().to_vec()),
    ];
    let opts = common::to_appsource("XQZ", true);
    let out = common::moved(&project, &opts);
    let c = out.files.iter().find(|f| f.path == "src/c.al").unwrap();
    let text = String::from_utf8(c.bytes.to_vec()).unwrap();
    assert!(text.contains("if T.FindSet() then;"), "{text}");
    assert!(text.contains("Window.Update(1, 'x');"), "{text}");
}
