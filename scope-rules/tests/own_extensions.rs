#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Members an extension adds to the app's own object need no affix, also when the object's
//! name holds dots (`"Calc. Inventory Value - Test"`, BaseApp's own report extended by its
//! Manufacturing report extension): the name is one name, not a namespace path (was: taken
//! for `Inventory Value - Test`, not found among the app's objects, and every member
//! affixed — 128 needless renames in a move of BaseApp).

mod common;

use scope_rules::move_engine::ProjectFile;

#[test]
fn members_added_to_the_apps_own_dotted_name_object_keep_their_names() {
    let project = vec![
        common::app_json("Own"),
        ProjectFile::new(
            "src/t.al",
            b"table 50100 \"Gen. Jnl. Thing\"\n{\n    fields\n    {\n        field(1; No; Code[20]) { }\n    }\n}\n".to_vec(),
        ),
        ProjectFile::new(
            "src/e.al",
            b"tableextension 50101 \"Thing Ext\" extends \"Gen. Jnl. Thing\"\n{\n    fields\n    {\n        field(50100; Extra; Integer) { }\n    }\n}\n".to_vec(),
        ),
    ];
    let out = common::moved(&project, &common::to_appsource("XQZ", true));
    let text = common::text(&out.files, "src/e.al");
    assert!(text.contains("extends \"XQZ Gen. Jnl. Thing\""), "{text}");
    assert!(text.contains("; Extra; Integer)"), "{text}");
    common::assert_reverse_restores(&project, &out, true);
}
