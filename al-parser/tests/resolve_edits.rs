//! Rename / renumber edits: declarations and every reference, quoting, collisions, limits,
//! byte-exact reversibility (proptest) and UTF-16 files.

use std::collections::BTreeMap;

use al_parser::ast::ObjectKind;
use al_parser::edit::{EditError, apply_all, format_name, rename, renumber};
use al_parser::resolve::Workspace;
use al_parser::symbols::{AppInfo, MemberKind, ParsedApp, SourceText, SymbolId};
use proptest::prelude::*;

fn ws_of(files: &BTreeMap<String, Vec<u8>>) -> Workspace {
    let src = files
        .iter()
        .map(|(p, b)| SourceText::new(p.clone(), b.clone()))
        .collect();
    Workspace::new(
        vec![ParsedApp::parse(AppInfo::named("T"), src)],
        vec![],
        vec![],
    )
}

fn fixture(table: &str, field: &str, value: &str) -> BTreeMap<String, Vec<u8>> {
    let t = format_name(table);
    let f = format_name(field);
    let v = format_name(value);
    let mut m = BTreeMap::new();
    m.insert(
        "t.al".to_string(),
        format!(
            "table 50100 {t}\n{{\n    fields\n    {{\n        field(1; {f}; Enum E) {{ }}\n    }}\n    keys {{ key(PK; {f}) {{ }} }}\n    trigger OnInsert()\n    begin\n        TestField({f});\n#if CLEAN1\n        Rec.{f} := E::{v};\n#else\n        {f} := Enum::E::{v};\n#endif\n    end;\n}}\n"
        )
        .into_bytes(),
    );
    m.insert(
        "e.al".to_string(),
        format!("enum 50100 E\n{{\n    value(0; {v}) {{ }}\n}}\n").into_bytes(),
    );
    m.insert(
        "c.al".to_string(),
        format!(
            "codeunit 50100 C\n{{\n    Permissions = tabledata {t} = r;\n    var\n        R: Record {t};\n    [EventSubscriber(ObjectType::Table, Database::{t}, 'OnAfterValidateEvent', '{fs}', false, false)]\n    local procedure P(var Rec: Record {t})\n    begin\n        R.SetRange({f}, Enum::E::{v});\n        if R.{f} = R.{f}::{v} then\n            RecordRef.Open(50100);\n    end;\n}}\n",
            fs = field.replace('\'', "''")
        )
        .into_bytes(),
    );
    m
}

fn table(ws: &Workspace) -> SymbolId {
    ws.index.objects_numbered(ObjectKind::Table, 50100)[0]
}

#[test]
fn rename_table_field_and_value_everywhere() {
    let files = fixture("Item", "No", "Small");
    let ws = ws_of(&files);
    let t = table(&ws);
    let edits = rename(&ws, t, "Big Item").expect("rename");
    let out = apply_all(&edits, &files).expect("apply");
    let c = String::from_utf8(out["c.al"].clone()).expect("utf8");
    assert_eq!(c.matches("\"Big Item\"").count(), 4, "{c}");
    let f = ws
        .index
        .find_member(t, MemberKind::Field, "No")
        .expect("field");
    let out = apply_all(&rename(&ws, f, "Item's No").expect("rename"), &files).expect("apply");
    let c = String::from_utf8(out["c.al"].clone()).expect("utf8");
    assert!(c.contains("'Item''s No'"), "{c}");
    assert!(
        c.contains("R.\"Item's No\" = R.\"Item's No\"::Small"),
        "{c}"
    );
    let t_al = String::from_utf8(out["t.al"].clone()).expect("utf8");
    // Both preprocessor branches are rewritten.
    assert!(
        t_al.contains("Rec.\"Item's No\" := E::Small")
            && t_al.contains("\"Item's No\" := Enum::E::Small"),
        "{t_al}"
    );
    let e = ws.index.find_object(ObjectKind::Enum, "E").expect("enum");
    let v = ws
        .index
        .find_member(e, MemberKind::EnumValue, "Small")
        .expect("value");
    let out = apply_all(&rename(&ws, v, "Tiny").expect("rename"), &files).expect("apply");
    let all: String = out
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert_eq!(all.matches("Tiny").count(), 5, "{all}");
    assert!(!all.contains("Small"));
}

#[test]
fn renumber_object_and_field() {
    let files = fixture("Item", "No", "Small");
    let ws = ws_of(&files);
    let t = table(&ws);
    let out = apply_all(&renumber(&ws, t, 50200).expect("renumber"), &files).expect("apply");
    let c = String::from_utf8(out["c.al"].clone()).expect("utf8");
    assert!(c.contains("RecordRef.Open(50200)"));
    assert!(String::from_utf8_lossy(&out["t.al"]).starts_with("table 50200 Item"));
    let f = ws
        .index
        .find_member(t, MemberKind::Field, "No")
        .expect("field");
    let out = apply_all(&renumber(&ws, f, 7).expect("renumber"), &files).expect("apply");
    assert!(String::from_utf8_lossy(&out["t.al"]).contains("field(7; No;"));
    let c = ws
        .index
        .find_object(ObjectKind::Codeunit, "C")
        .expect("codeunit");
    let p = ws
        .index
        .find_member(c, MemberKind::Procedure, "P")
        .expect("proc");
    assert_eq!(renumber(&ws, p, 1), Err(EditError::NoId));
}

#[test]
fn collisions_and_limits_are_errors() {
    let mut files = fixture("Item", "No", "Small");
    files.insert("o.al".into(), b"table 50101 Other { }".to_vec());
    let ws = ws_of(&files);
    let t = table(&ws);
    assert!(matches!(
        rename(&ws, t, "OTHER"),
        Err(EditError::Collision { .. })
    ));
    assert!(matches!(
        renumber(&ws, t, 50101),
        Err(EditError::Collision { .. })
    ));
    assert!(matches!(
        rename(&ws, t, &"x".repeat(31)),
        Err(EditError::TooLong { limit: 30, .. })
    ));
    assert!(rename(&ws, t, &"x".repeat(30)).is_ok());
    assert!(matches!(rename(&ws, t, ""), Err(EditError::InvalidName(_))));
    let ps = "permissionset 50100 PS { Assignable = true; }\npermissionset 50101 PT { Assignable = false; }";
    let mut f2 = BTreeMap::new();
    f2.insert("p.al".to_string(), ps.as_bytes().to_vec());
    let ws = ws_of(&f2);
    let a = ws
        .index
        .find_object(ObjectKind::PermissionSet, "PS")
        .expect("ps");
    let b = ws
        .index
        .find_object(ObjectKind::PermissionSet, "PT")
        .expect("pt");
    assert!(matches!(
        rename(&ws, a, &"p".repeat(21)),
        Err(EditError::TooLong { limit: 20, .. })
    ));
    assert!(rename(&ws, b, &"p".repeat(21)).is_ok());
    let f = {
        let ws = ws_of(&fixture("Item", "No", "Small"));
        let t = table(&ws);
        let f = ws
            .index
            .find_member(t, MemberKind::Field, "No")
            .expect("field");
        rename(&ws, f, &"f".repeat(31))
    };
    assert!(matches!(f, Err(EditError::TooLong { limit: 30, .. })));
}

#[test]
fn utf16_files_keep_their_encoding() {
    let text = "table 50100 Item { fields { field(1; \"Nø\"; Integer) { } } }\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let mut files = BTreeMap::new();
    files.insert("u.al".to_string(), bytes.clone());
    let ws = ws_of(&files);
    let t = table(&ws);
    let f = ws
        .index
        .find_member(t, MemberKind::Field, "Nø")
        .expect("field");
    let out = apply_all(&rename(&ws, f, "Nåme").expect("rename"), &files).expect("apply");
    let u = &out["u.al"];
    assert_eq!(&u[..2], &[0xFF, 0xFE]);
    let back: Vec<u16> = u[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(
        String::from_utf16(&back).expect("utf16"),
        text.replace("\"Nø\"", "\"Nåme\"")
    );
    // And back again, byte for byte.
    let ws2 = ws_of(&out);
    let t2 = table(&ws2);
    let f2 = ws2
        .index
        .find_member(t2, MemberKind::Field, "Nåme")
        .expect("field");
    let again = apply_all(&rename(&ws2, f2, "Nø").expect("rename"), &out).expect("apply");
    assert_eq!(again["u.al"], bytes);
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z][a-z]{1,8}",
        "[A-Z][a-z]{1,5} [A-Z][a-z]{1,5}\\.?",
        "[A-Z][a-z]{1,4}'[a-z]{1,3}",
        "[A-Z][a-z]{1,4}\"[a-z]{1,3}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn rename_then_reverse_restores_every_byte(
        t in name(), f in name(), v in name(), t2 in name(), f2 in name(), v2 in name()
    ) {
        let distinct = |a: &str, b: &str| !a.eq_ignore_ascii_case(b);
        prop_assume!(distinct(&t, &t2) && distinct(&f, &f2) && distinct(&v, &v2));
        prop_assume!(distinct(&t, "C") && distinct(&t2, "C") && distinct(&v, "E") && distinct(&v2, "E"));
        let files = fixture(&t, &f, &v);
        let ws = ws_of(&files);
        let tab = table(&ws);
        let e = ws.index.find_object(ObjectKind::Enum, "E").expect("enum");
        let targets = [
            (tab, t2.clone(), t.clone()),
            (ws.index.find_member(tab, MemberKind::Field, &f).expect("field"), f2.clone(), f.clone()),
            (ws.index.find_member(e, MemberKind::EnumValue, &v).expect("value"), v2.clone(), v.clone()),
        ];
        for (sym, new, old) in targets {
            let set = rename(&ws, sym, &new).expect("rename");
            let out = apply_all(&set, &files).expect("apply");
            let ws2 = ws_of(&out);
            // The same symbol, found again by its new name.
            let sym2 = ws2.index.object(sym).map(|_| sym).expect("symbol");
            let back = apply_all(&rename(&ws2, sym2, &old).expect("reverse"), &out).expect("apply");
            prop_assert_eq!(&back, &files);
        }
    }
}
