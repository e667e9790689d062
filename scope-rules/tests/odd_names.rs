#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Names with leading or trailing spaces (`" Stop Delete Order on Post"`, `"Trailing Space "`)
//! are legal AL: a move renames them exactly (proven, not re-parsed) and its reverse
//! restores every byte.

mod common;

use scope_rules::move_engine::{ProjectFile, Verification};

fn project() -> Vec<ProjectFile> {
    vec![
        common::app_json("Sp"),
        ProjectFile::new(
            "src/T.al",
            b"table 50100 \" Stop Delete Order on Post\"\n{\n    fields { field(1; \" Trailing \"; Code[20]) { } }\n}\n".to_vec(),
        ),
        ProjectFile::new(
            "src/E.al",
            b"tableextension 50101 \"Sp Cust\" extends Customer\n{\n    fields\n    {\n        field(50100; \" Stop Delete Order on Post\"; Boolean) { }\n        field(50101; \"Trailing Space \"; Boolean) { }\n    }\n}\n".to_vec(),
        ),
        ProjectFile::new(
            "src/P.al",
            b"pageextension 50103 \"Sp Cust Card\" extends \"Customer Card\"\n{\n    layout\n    {\n        addlast(General)\n        {\n            field(StopDelete; Rec.\" Stop Delete Order on Post\") { }\n            field(Trail; Rec.\"Trailing Space \") { }\n        }\n    }\n}\n".to_vec(),
        ),
        ProjectFile::new(
            "src/C.al",
            b"codeunit 50102 \"Sp Mgt\"\n{\n    procedure Touch()\n    var\n        P: Record \" Stop Delete Order on Post\";\n    begin\n        P.\" Trailing \" := 'x';\n    end;\n}\n".to_vec(),
        ),
    ]
}

#[test]
fn names_with_outer_spaces_move_exactly_and_come_back() {
    let project = project();
    let opts = common::to_appsource("SPX", true);
    let out = common::moved(&project, &opts);
    assert_eq!(out.report.verification, Verification::Proven);
    let text = |files: &[ProjectFile], p: &str| {
        String::from_utf8(files.iter().find(|f| f.path == p).unwrap().bytes.to_vec()).unwrap()
    };
    let e = text(&out.files, "src/E.al");
    assert!(
        e.contains("field(70000000; \"SPX Stop Delete Order on Post\"; Boolean)"),
        "{e}"
    );
    assert!(
        e.contains("field(70000001; \"SPX Trailing Space\"; Boolean)"),
        "{e}"
    );
    let p = text(&out.files, "src/P.al");
    assert!(p.contains("Rec.\"SPX Stop Delete Order on Post\""), "{p}");
    assert!(p.contains("Rec.\"SPX Trailing Space\""), "{p}");
    let c = text(&out.files, "src/C.al");
    assert!(
        c.contains("Record \"SPX Stop Delete Order on Post\""),
        "{c}"
    );
    assert!(c.contains("P.\" Trailing \" := 'x';"), "{c}");

    common::assert_reverse_restores(&project, &out, true);
}

/// A field source a move could only update by name (the page's source table is given by
/// a number no symbols name) is written without its quotes (`"xShip"` → `XQZxShip`); the
/// reverse finds the unquoted name and restores the quoted spelling, byte for byte.
#[test]
fn a_name_only_update_comes_back_in_the_reverse() {
    let project = vec![
        common::app_json("Rv"),
        ProjectFile::new(
            "src/t.al",
            b"tableextension 50100 \"Rv Sales Header\" extends \"Sales Header\"\n{\n    fields { field(50100; \"xShip\"; Boolean) { } }\n}\n".to_vec(),
        ),
        ProjectFile::new(
            "src/p.al",
            b"page 50101 \"Rv WS\"\n{\n    SourceTable = 36;\n    layout { area(Content) { field(\"Ship\"; \"xShip\") { } } }\n}\n".to_vec(),
        ),
    ];
    let opts = common::to_appsource("XQZ", true);
    let out = common::moved(&project, &opts);
    let p = out.files.iter().find(|f| f.path == "src/p.al").unwrap();
    assert!(String::from_utf8_lossy(&p.bytes).contains("field(\"Ship\"; XQZxShip)"));
    common::assert_reverse_restores(&project, &out, true);
}
