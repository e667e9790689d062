#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A move of an app whose table extension names its own base table by ID
//! (`extends 50100`, common in code from 2018–2020): the number follows the table's new
//! ID, and the extension's fields are renamed at every use through the base table.

mod common;

use scope_rules::move_engine::{ProjectFile, Verification};

#[test]
fn an_extension_of_an_own_table_by_id_follows_the_renumbering() {
    let project = vec![
        common::app_json("Num"),
        ProjectFile::new(
            "src/T.al",
            b"table 50100 \"Num Points\" { fields { field(1; \"No.\"; Code[20]) { } } }\n".to_vec(),
        ),
        ProjectFile::new(
            "src/E.al",
            b"tableextension 50101 \"Num Points Ext\" extends 50100\n{\n    fields { field(50100; Extra; Integer) { } }\n}\n".to_vec(),
        ),
        ProjectFile::new(
            "src/C.al",
            b"codeunit 50102 \"Num Mgt\"\n{\n    procedure Touch()\n    var\n        P: Record \"Num Points\";\n    begin\n        P.Extra := 1;\n    end;\n}\n".to_vec(),
        ),
    ];
    let opts = common::to_appsource("NUM", false);
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
    assert!(
        text("src/T.al").starts_with("table 70000000 \"Num Points\""),
        "{}",
        text("src/T.al")
    );
    assert!(
        text("src/E.al")
            .starts_with("tableextension 70000000 \"Num Points Ext\" extends 70000000\n"),
        "{}",
        text("src/E.al")
    );
    assert!(text("src/E.al").contains("field(70000000; NUMExtra; Integer)"));
    assert!(
        text("src/C.al").contains("P.NUMExtra := 1;"),
        "{}",
        text("src/C.al")
    );
    assert!(out.report.unresolved.is_empty() && out.report.missing_objects.is_empty());
    assert_eq!(out.report.verification, Verification::Proven);
}
