#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! XML permission sets (`<PermissionSets>` files, the format before AL `permissionset`
//! objects) follow a move: every `<ObjectID>` of a renumbered object gets its new ID, and
//! the reverse restores the file byte for byte.

mod common;

use scope_rules::move_engine::ProjectFile;

const XML: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<PermissionSets>\n  <PermissionSet RoleID=\"POINTS\" RoleName=\"Points\">\n    <Permission>\n      <ObjectID>50100</ObjectID>\n      <ObjectType>0</ObjectType>\n      <ReadPermission>Yes</ReadPermission>\n    </Permission>\n    <Permission>\n      <ObjectID>50100</ObjectID>\n      <ObjectType>8</ObjectType>\n      <ExecutePermission>Yes</ExecutePermission>\n    </Permission>\n  </PermissionSet>\n</PermissionSets>\n";

#[test]
fn xml_permission_sets_follow_the_move_and_come_back() {
    let project = vec![
        common::app_json("Pts"),
        ProjectFile::new(
            "src/T.al",
            b"table 50100 Points { fields { field(1; No; Code[20]) { } } }\n".to_vec(),
        ),
        ProjectFile::new(
            "src/P.al",
            b"page 50100 \"Points List\" { SourceTable = Points; }\n".to_vec(),
        ),
        ProjectFile::new(
            "Permissions/Points.permissionset.xml",
            XML.as_bytes().to_vec(),
        ),
    ];
    let opts = common::to_appsource("PTS", false);
    let out = common::moved(&project, &opts);
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

    common::assert_reverse_restores(&project, &out, false);
}
