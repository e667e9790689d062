#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Names with leading or trailing spaces (`" Stop Delete Order on Post"`, `"Trailing Space "`)
//! are legal AL: a move renames them exactly (proven, not re-parsed) and its reverse
//! restores every byte.

use scope_rules::move_engine::{Dependencies, MoveOptions, ProjectFile, Verification, move_app};
use scope_rules::{IdRange, Scope};

fn project() -> Vec<ProjectFile> {
    vec![
        ProjectFile::new(
            "app.json",
            br#"{"id":"0c9ee1a4-6d3e-4c1f-9a57-3b0f5e2d8a61","name":"Sp","publisher":"Contoso","version":"1.0.0.0","idRanges":[{"from":50100,"to":50149}]}"#.to_vec(),
        ),
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
    let mut opts = MoveOptions::to(Scope::APPSOURCE, "0b5e6f3c-6a53-4a4a-9df3-0c1a9d6b7e21");
    opts.ranges = vec![IdRange::new(70_000_000, 70_000_099)];
    opts.affix = Some("SPX".into());
    opts.allow_unresolved = true;
    let none = &mut |_: &str, _: usize, _: usize| {};
    let out = move_app(&project, &Dependencies::default(), &[], &opts, none).unwrap();
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

    let mut back = MoveOptions::to(Scope::Pte, "0b5e6f3c-6a53-4a4a-9df3-0c1a9d6b7e21");
    back.reverse = true;
    back.mapping = Some(out.mapping.clone());
    back.allow_unresolved = true;
    let rev = move_app(&out.files, &Dependencies::default(), &[], &back, none).unwrap();
    for f in &project {
        let r = rev.files.iter().find(|x| x.path == f.path).unwrap();
        assert_eq!(r.bytes, f.bytes, "{}", f.path);
    }
}

/// A field source a move could only update by name (the page's source table is given by
/// a number no symbols name) is written without its quotes (`"xShip"` → `XQZxShip`); the
/// reverse finds the unquoted name and restores the quoted spelling, byte for byte.
#[test]
fn a_name_only_update_comes_back_in_the_reverse() {
    let project = vec![
        ProjectFile::new(
            "app.json",
            br#"{"id":"0c9ee1a4-6d3e-4c1f-9a57-3b0f5e2d8a61","name":"Rv","publisher":"Contoso","version":"1.0.0.0","idRanges":[{"from":50100,"to":50149}]}"#.to_vec(),
        ),
        ProjectFile::new(
            "src/t.al",
            b"tableextension 50100 \"Rv Sales Header\" extends \"Sales Header\"\n{\n    fields { field(50100; \"xShip\"; Boolean) { } }\n}\n".to_vec(),
        ),
        ProjectFile::new(
            "src/p.al",
            b"page 50101 \"Rv WS\"\n{\n    SourceTable = 36;\n    layout { area(Content) { field(\"Ship\"; \"xShip\") { } } }\n}\n".to_vec(),
        ),
    ];
    let mut opts = MoveOptions::to(Scope::APPSOURCE, "0b5e6f3c-6a53-4a4a-9df3-0c1a9d6b7e21");
    opts.ranges = vec![IdRange::new(70_000_000, 70_000_099)];
    opts.affix = Some("XQZ".into());
    opts.allow_unresolved = true;
    let none = &mut |_: &str, _: usize, _: usize| {};
    let out = move_app(&project, &Dependencies::default(), &[], &opts, none).unwrap();
    let p = out.files.iter().find(|f| f.path == "src/p.al").unwrap();
    assert!(String::from_utf8_lossy(&p.bytes).contains("field(\"Ship\"; XQZxShip)"));
    let mut back = MoveOptions::to(Scope::Pte, "0b5e6f3c-6a53-4a4a-9df3-0c1a9d6b7e21");
    back.reverse = true;
    back.mapping = Some(out.mapping.clone());
    back.allow_unresolved = true;
    let rev = move_app(&out.files, &Dependencies::default(), &[], &back, none).unwrap();
    for f in &project {
        let r = rev.files.iter().find(|x| x.path == f.path).unwrap();
        assert_eq!(r.bytes, f.bytes, "{}", f.path);
    }
}
