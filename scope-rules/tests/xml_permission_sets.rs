#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! XML permission sets (`<PermissionSets>` files, the format before AL `permissionset`
//! objects) follow a move: every `<ObjectID>` of a renumbered object gets its new ID, and
//! the reverse restores the file byte for byte.

use scope_rules::move_engine::{Dependencies, MoveOptions, ProjectFile, move_app};
use scope_rules::{IdRange, Scope};

const XML: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<PermissionSets>\n  <PermissionSet RoleID=\"POINTS\" RoleName=\"Points\">\n    <Permission>\n      <ObjectID>50100</ObjectID>\n      <ObjectType>0</ObjectType>\n      <ReadPermission>Yes</ReadPermission>\n    </Permission>\n    <Permission>\n      <ObjectID>50100</ObjectID>\n      <ObjectType>8</ObjectType>\n      <ExecutePermission>Yes</ExecutePermission>\n    </Permission>\n  </PermissionSet>\n</PermissionSets>\n";

#[test]
fn xml_permission_sets_follow_the_move_and_come_back() {
    let project = vec![
        ProjectFile::new(
            "app.json",
            br#"{"id":"0c9ee1a4-6d3e-4c1f-9a57-3b0f5e2d8a61","name":"Pts","publisher":"Contoso","version":"1.0.0.0","idRanges":[{"from":50100,"to":50149}]}"#.to_vec(),
        ),
        ProjectFile::new(
            "src/T.al",
            b"table 50100 Points { fields { field(1; No; Code[20]) { } } }\n".to_vec(),
        ),
        ProjectFile::new(
            "src/P.al",
            b"page 50100 \"Points List\" { SourceTable = Points; }\n".to_vec(),
        ),
        ProjectFile::new("Permissions/Points.permissionset.xml", XML.as_bytes().to_vec()),
    ];
    let mut opts = MoveOptions::to(Scope::APPSOURCE, "0b5e6f3c-6a53-4a4a-9df3-0c1a9d6b7e21");
    opts.ranges = vec![IdRange::new(70_000_000, 70_000_099)];
    opts.affix = Some("PTS".into());
    let none = &mut |_: &str, _: usize, _: usize| {};
    let out = move_app(&project, &Dependencies::default(), &[], &opts, none).unwrap();
    let xml = out.files.iter().find(|f| f.path.ends_with(".xml")).unwrap();
    let text = String::from_utf8(xml.bytes.to_vec()).unwrap();
    assert_eq!(
        text,
        XML.replace(
            "<ObjectID>50100</ObjectID>",
            "<ObjectID>70000000</ObjectID>"
        )
    );
    assert!(
        out.report
            .files_touched
            .contains(&"Permissions/Points.permissionset.xml".to_string())
    );

    let mut back = MoveOptions::to(Scope::Pte, "0b5e6f3c-6a53-4a4a-9df3-0c1a9d6b7e21");
    back.reverse = true;
    back.mapping = Some(out.mapping.clone());
    let rev = move_app(&out.files, &Dependencies::default(), &[], &back, none).unwrap();
    for f in &project {
        let r = rev.files.iter().find(|x| x.path == f.path).unwrap();
        assert_eq!(r.bytes, f.bytes, "{}", f.path);
    }
}
