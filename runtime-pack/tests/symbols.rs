//! SymbolReference.json reading and write-back.

#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use runtime_pack::{SymbolObjectType, SymbolReference};

#[test]
fn bom_nuls_and_missing_arrays() {
    let s = SymbolReference::from_slice(b"\xEF\xBB\xBF{\"Name\":\"X\"}\0\0\0\r\n").unwrap();
    assert_eq!(s.name.as_deref(), Some("X"));
    assert!(s.objects().is_empty());
    assert!(s.objects.tables.is_none());
    // Absent arrays stay absent when written back.
    let out = String::from_utf8(s.to_vec().unwrap()).unwrap();
    assert_eq!(out, "\u{FEFF}{\"Name\":\"X\"}");
    assert!(SymbolReference::from_slice(b"").is_err());
    assert!(SymbolReference::from_slice(b"{\"Publisher\": Unquoted}").is_err());
}

#[test]
fn namespaces_are_flattened_with_their_path() {
    let json = br#"{"Tables":[{"Id":1,"Name":"Top"}],
      "Namespaces":[{"Name":"Microsoft","Namespaces":[
          {"Name":"Foundation","Namespaces":[{"Name":"NoSeries","Codeunits":[{"Id":310,"Name":"No. Series"}]}],
           "Tables":[{"Id":308,"Name":"No. Series"}]}],
        "EnumTypes":[{"Id":2,"Name":"E","Values":[{"Ordinal":0,"Name":"A"},{"Ordinal":5,"Name":"B"}]}]}]}"#;
    let s = SymbolReference::from_slice(json).unwrap();
    let objects: Vec<_> = s
        .objects()
        .into_iter()
        .map(|o| (o.kind, o.namespace, o.object.id))
        .collect();
    assert_eq!(
        objects,
        vec![
            (SymbolObjectType::Table, None, 1),
            (SymbolObjectType::EnumType, Some("Microsoft".to_owned()), 2),
            (
                SymbolObjectType::Table,
                Some("Microsoft.Foundation".to_owned()),
                308
            ),
            (
                SymbolObjectType::Codeunit,
                Some("Microsoft.Foundation.NoSeries".to_owned()),
                310
            ),
        ]
    );
    let e = &s.namespaces.as_ref().unwrap()[0]
        .objects
        .enum_types
        .as_ref()
        .unwrap()[0];
    assert_eq!(e.values.as_ref().unwrap()[1].ordinal, 5);
    assert_eq!(
        s.counts(),
        vec![
            (SymbolObjectType::Table, 2),
            (SymbolObjectType::Codeunit, 1),
            (SymbolObjectType::EnumType, 1)
        ]
    );
}

#[test]
fn bc11_variant() {
    let json = br#"{"Name":"Old App","Tables":[{"Id":50000,"Name":"T","Fields":[{"Id":1,"Name":"F","Type":"Text[50]"}]}],"Codeunits":[],"Pages":[]}"#;
    let s = SymbolReference::from_slice(json).unwrap();
    assert_eq!(s.app_id, None);
    let f = &s.objects.tables.as_ref().unwrap()[0]
        .fields
        .as_ref()
        .unwrap()[0];
    assert_eq!(f.type_text.as_deref(), Some("Text[50]"));
    assert!(f.type_definition.is_none());
}

#[test]
fn unknown_keys_survive_write_back() {
    let json = br#"{"RuntimeVersion":"13.0","Tables":[{"Id":1,"Name":"T","FieldGroups":[{"Name":"DropDown"}],"Fields":[{"Id":1,"Name":"F","TypeDefinition":{"Name":"Code[20]","Subtype":{"Name":"X","Id":0,"IsEmpty":true}},"Properties":[{"Name":"Caption","Value":"F"}],"Extra":1}],"Keys":[{"Name":"PK","FieldNames":["F"],"Properties":[]}]}],
      "Codeunits":[{"Id":2,"Name":"C","Methods":[{"Id":-12,"Name":"M","MethodKind":0,"Parameters":[{"Name":"p","IsVar":true,"TypeDefinition":{"Name":"Integer"}}],"ReturnTypeDefinition":{"Name":"Boolean"},"Attributes":[{"Name":"External","Arguments":[]}]}]}],
      "PageExtensions":[{"Id":3,"Name":"PE","TargetObject":"Customer Card","ControlChanges":[{"Anchor":"General","ChangeKind":"AddLast"}]}],
      "InternalsVisibleToModules":[{"AppId":"a","Name":"n","Publisher":"p"}],"AppId":"x","Name":"N","Publisher":"P","Version":"1.0.0.0","SomethingNew":{"a":[1,2]}}"#;
    let s = SymbolReference::from_slice(json).unwrap();
    let m = &s.objects.codeunits.as_ref().unwrap()[0]
        .methods
        .as_ref()
        .unwrap()[0];
    assert_eq!(m.return_type_definition.as_ref().unwrap().name, "Boolean");
    assert_eq!(m.extra["Id"], -12);
    let pe = &s.objects.page_extensions.as_ref().unwrap()[0];
    assert_eq!(pe.target_object.as_deref(), Some("Customer Card"));
    assert!(pe.extra.contains_key("ControlChanges"));
    assert!(s.extra.contains_key("SomethingNew"));

    let written = s.to_vec().unwrap();
    let again = SymbolReference::from_slice(&written).unwrap();
    assert_eq!(again, s);
    // Same JSON value as the input (key order aside).
    let a: serde_json::Value = serde_json::from_slice(json).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&written[3..]).unwrap();
    assert_eq!(a, b);
}
