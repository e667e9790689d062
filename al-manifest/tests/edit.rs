//! Format-preserving edits of app.json.
#![allow(clippy::unwrap_used, clippy::panic)]

use al_manifest::{
    AppJsonDocument, AppVersion, Dependency, EditError, IdRange, InternalsVisibleTo, PolicyFlag,
};
use uuid::Uuid;

const ID: &str = "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0";
const DEP1: &str = "63ca2fa4-4f03-4f2b-a480-172fef340d3f";
const DEP2: &str = "437dbf0e-84ff-417a-965d-ed2bb9650972";

fn sample(eol: &str) -> String {
    let t = r#"{
    // the app
    "id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0",
    "name": "My App",
    "publisher": "Contoso",
    "version": "1.0.0.0",
    "myTool": { "x": [1,2,   3] },
    "dependencies": [
        {
            "id": "63ca2fa4-4f03-4f2b-a480-172fef340d3f",
            "name": "System Application",
            "publisher": "Microsoft",
            "version": "24.0.0.0"
        }
    ],
    "idRange": { "from": 50100, "to": 50149 },
    "runtime": "13.0"
}"#;
    t.replace('\n', eol)
}

fn uid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap()
}

#[test]
fn set_scalars_changes_only_values() {
    for eol in ["\n", "\r\n"] {
        let text = sample(eol);
        let mut doc = AppJsonDocument::parse(&text).unwrap();
        doc.set_version(&AppVersion::new(2, 0, 0, 7)).unwrap();
        doc.set_name("Renamed \"App\"").unwrap();
        doc.set_publisher("Fabrikam").unwrap();
        let new_id = uid("11111111-2222-3333-4444-555555555555");
        doc.set_id(new_id).unwrap();
        let expected = text
            .replace("\"1.0.0.0\"", "\"2.0.0.7\"")
            .replace("\"My App\"", "\"Renamed \\\"App\\\"\"")
            .replace("\"Contoso\"", "\"Fabrikam\"")
            .replace(ID, "11111111-2222-3333-4444-555555555555");
        assert_eq!(doc.to_string(), expected);
        assert_eq!(doc.manifest().name, "Renamed \"App\"");
        assert_eq!(doc.manifest().id, new_id);
    }
}

#[test]
fn bom_is_kept() {
    let text = format!("\u{feff}{}", sample("\r\n"));
    let mut doc = AppJsonDocument::parse(&text).unwrap();
    assert!(doc.has_bom());
    doc.set_version(&AppVersion::new(1, 0, 0, 1)).unwrap();
    assert_eq!(doc.to_string(), text.replace("\"1.0.0.0\"", "\"1.0.0.1\""));
}

#[test]
fn legacy_id_range_replaced_in_place() {
    let text = sample("\r\n");
    let mut doc = AppJsonDocument::parse(&text).unwrap();
    doc.set_id_ranges(&[IdRange::new(50100, 50149), IdRange::new(50200, 50249)])
        .unwrap();
    let expected = text.replace(
        "\"idRange\": { \"from\": 50100, \"to\": 50149 }",
        // a single-line value stays single-line
        "\"idRanges\": [{ \"from\": 50100, \"to\": 50149 }, { \"from\": 50200, \"to\": 50249 }]",
    );
    assert_eq!(doc.to_string(), expected);
    assert!(doc.manifest().id_range.is_none());
    assert_eq!(doc.manifest().id_ranges().len(), 2);
    // and back
    doc.set_id_range(IdRange::new(1, 2)).unwrap();
    assert_eq!(
        doc.to_string(),
        text.replace("50100, \"to\": 50149", "1, \"to\": 2")
    );
    assert!(doc.manifest().id_ranges.is_none());
}

#[test]
fn inline_value_stays_inline() {
    let text = r#"{"id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "name": "A", "publisher": "P", "version": "1.0.0.0", "idRanges": [{"from": 1, "to": 2}]}"#;
    let mut doc = AppJsonDocument::parse(text).unwrap();
    doc.set_id_ranges(&[IdRange::new(5, 6)]).unwrap();
    assert_eq!(
        doc.to_string(),
        text.replace(r#"[{"from": 1, "to": 2}]"#, r#"[{ "from": 5, "to": 6 }]"#)
    );
    doc.set_policy_flag(PolicyFlag::AllowDebugging, true)
        .unwrap();
    assert!(
        doc.to_string()
            .ends_with(r#"}], "resourceExposurePolicy": { "allowDebugging": true }}"#)
    );
}

#[test]
fn both_ranges_collapse_to_one() {
    let text = "{\n  \"id\": \"0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0\",\n  \"name\": \"A\",\n  \"publisher\": \"P\",\n  \"version\": \"1.0.0.0\",\n  \"idRange\": {\"from\": 1, \"to\": 2},\n  \"idRanges\": []\n}";
    let mut doc = AppJsonDocument::parse(text).unwrap();
    assert_eq!(doc.validate()[0].code, Some("AL1048"));
    doc.set_id_ranges(&[IdRange::new(3, 4)]).unwrap();
    assert_eq!(
        doc.to_string(),
        "{\n  \"id\": \"0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0\",\n  \"name\": \"A\",\n  \"publisher\": \"P\",\n  \"version\": \"1.0.0.0\",\n  \"idRanges\": [\n    {\n      \"from\": 3,\n      \"to\": 4\n    }\n  ]\n}"
    );
    assert!(doc.validate().is_empty());
}

#[test]
fn dependencies_add_change_remove() {
    let text = sample("\n");
    let mut doc = AppJsonDocument::parse(&text).unwrap();
    let d2 = Dependency::new(
        uid(DEP2),
        "Base Application",
        "Microsoft",
        AppVersion::new(24, 0, 0, 0),
    );
    doc.add_dependency(&d2).unwrap();
    let added = "            \"version\": \"24.0.0.0\"\n        },\n        {\n            \"id\": \"437dbf0e-84ff-417a-965d-ed2bb9650972\",\n            \"name\": \"Base Application\",\n            \"publisher\": \"Microsoft\",\n            \"version\": \"24.0.0.0\"\n        }\n    ],";
    assert!(doc.to_string().contains(added), "{}", doc);
    assert_eq!(doc.manifest().dependencies.len(), 2);

    doc.set_dependency_version(uid(DEP2), &AppVersion::new(25, 1, 0, 0))
        .unwrap();
    doc.set_dependency_name(uid(DEP2), "Base App").unwrap();
    doc.set_dependency_publisher(uid(DEP2), "MS").unwrap();
    let d = &doc.manifest().dependencies[1];
    assert_eq!(
        (d.name.as_str(), d.publisher.as_str(), d.version),
        ("Base App", "MS", AppVersion::new(25, 1, 0, 0))
    );
    let new = uid("99999999-9999-9999-9999-999999999999");
    doc.set_dependency_id(uid(DEP2), new).unwrap();
    assert_eq!(doc.manifest().dependencies[1].id, new);

    assert!(doc.remove_dependency(new).unwrap());
    assert_eq!(doc.to_string(), text);
    assert!(!doc.remove_dependency(new).unwrap());
    assert!(doc.remove_dependency(uid(DEP1)).unwrap());
    assert!(doc.to_string().contains("\"dependencies\": [],"));
    assert!(matches!(
        doc.set_dependency_version(uid(DEP1), &AppVersion::ZERO),
        Err(EditError::NotFound(_))
    ));
    // re-add into the now empty array
    doc.add_dependency(&d2).unwrap();
    assert!(
        doc.to_string()
            .contains("\"dependencies\": [\n        {\n            \"id\": \"437dbf0e"),
        "{}",
        doc
    );
}

#[test]
fn legacy_app_id_kept() {
    let text = r#"{
  "id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "name": "A", "publisher": "P", "version": "1.0.0.0",
  "runtime": "3.0",
  "dependencies": [ { "appId": "63ca2fa4-4f03-4f2b-a480-172fef340d3f", "name": "S", "publisher": "M", "version": "1.0.0.0" } ]
}"#;
    let mut doc = AppJsonDocument::parse(text).unwrap();
    let new = uid("99999999-9999-9999-9999-999999999999");
    doc.set_dependency_id(uid(DEP1), new).unwrap();
    assert_eq!(
        doc.to_string(),
        text.replace(DEP1, "99999999-9999-9999-9999-999999999999")
    );
    doc.add_dependency(&Dependency::new(uid(DEP2), "B", "M", AppVersion::ZERO))
        .unwrap();
    assert!(doc.to_string().contains(r#"}, { "appId": "437dbf0e-84ff-417a-965d-ed2bb9650972", "name": "B", "publisher": "M", "version": "0.0.0.0" } ]"#), "{}", doc);
}

#[test]
fn new_keys_copy_sibling_indent_and_trailing_comma() {
    let text = "{\n\t\"id\": \"0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0\",\n\t\"name\": \"A\",\n\t\"publisher\": \"P\",\n\t\"version\": \"1.0.0.0\", // last\n}\n";
    let mut doc = AppJsonDocument::parse(text).unwrap();
    doc.set_policy_flag(PolicyFlag::AllowDownloadingSource, false)
        .unwrap();
    assert_eq!(
        doc.to_string(),
        "{\n\t\"id\": \"0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0\",\n\t\"name\": \"A\",\n\t\"publisher\": \"P\",\n\t\"version\": \"1.0.0.0\",\n\t\"resourceExposurePolicy\": {\n\t\t\"allowDownloadingSource\": false\n\t}, // last\n}\n"
    );
    doc.set_policy_flag(PolicyFlag::AllowDebugging, true)
        .unwrap();
    doc.set_policy_flag(PolicyFlag::AllowDownloadingSource, true)
        .unwrap();
    let p = doc.manifest().resource_exposure_policy.clone().unwrap();
    assert!(p.allow_debugging && p.allow_downloading_source && !p.include_source_in_symbol_file);
    assert!(
        doc.to_string()
            .contains("\t\t\"allowDownloadingSource\": true,\n\t\t\"allowDebugging\": true\n\t},")
    );
}

#[test]
fn internals_visible_to() {
    let text = sample("\n");
    let mut doc = AppJsonDocument::parse(&text).unwrap();
    let m = InternalsVisibleTo::new(uid(DEP2), "Tests", "Contoso");
    doc.add_internals_visible_to(&m).unwrap();
    assert_eq!(doc.manifest().internals_visible_to, vec![m.clone()]);
    doc.set_internals_visible_to(&[m.clone(), InternalsVisibleTo::new(uid(DEP1), "T2", "C")])
        .unwrap();
    assert_eq!(doc.manifest().internals_visible_to.len(), 2);
    assert!(doc.remove_internals_visible_to(uid(DEP2)).unwrap());
    assert_eq!(doc.manifest().internals_visible_to[0].name, "T2");
}

#[test]
fn generic_set_and_remove() {
    let text = sample("\n");
    let mut doc = AppJsonDocument::parse(&text).unwrap();
    doc.set_value(&["myTool"], "y", &serde_json::json!("z"))
        .unwrap();
    assert!(
        doc.to_string()
            .contains(r#""myTool": { "x": [1,2,   3], "y": "z" },"#)
    );
    assert!(doc.remove_value(&["myTool"], "y").unwrap());
    assert_eq!(doc.to_string(), text);
    assert!(doc.remove_value(&[], "myTool").unwrap());
    assert!(!doc.to_string().contains("myTool"));
    assert!(matches!(
        doc.set_value(&["nope"], "a", &serde_json::json!(1)),
        Err(EditError::NotFound(_))
    ));
    // an edit that breaks the manifest is rolled back
    let before = doc.to_string();
    assert!(matches!(
        doc.set_value(&[], "version", &serde_json::json!("1.0")),
        Err(EditError::Invalid(_))
    ));
    assert_eq!(doc.to_string(), before);
}

#[test]
fn validate_has_line_numbers() {
    let text = "{\n  \"id\": \"0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0\", \"name\": \"A\", \"publisher\": \"P\", \"version\": \"1.0.0.0\",\n  \"idRanges\": [\n    { \"from\": 50100, \"to\": 50149 },\n    { \"from\": 50200, \"to\": 50100 }\n  ]\n}";
    let doc = AppJsonDocument::parse(text).unwrap();
    let d = doc.validate();
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].to_string(),
        "app.json:5:5: idRanges[1]: from 50200 is greater than to 50100"
    );
}

#[test]
fn exact_key_spelling_wins_over_other_casing() {
    let text = r#"{"id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "name": "A", "publisher": "P", "version": "1.0.0.0", "Version": "keep"}"#;
    let mut doc = AppJsonDocument::parse(text).unwrap();
    // the other casing is ignored by the model (but kept in the text)
    assert!(!doc.manifest().extra.contains_key("Version"));
    doc.set_version(&AppVersion::new(2, 0, 0, 0)).unwrap();
    assert_eq!(doc.to_string(), text.replace("1.0.0.0", "2.0.0.0"));
    // only another casing present: it is edited in place
    let text = r#"{"Id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "Name": "A", "Publisher": "P", "Version": "1.0.0.0"}"#;
    let mut doc = AppJsonDocument::parse(text).unwrap();
    doc.set_version(&AppVersion::new(2, 0, 0, 0)).unwrap();
    assert_eq!(doc.to_string(), text.replace("1.0.0.0", "2.0.0.0"));
}

#[test]
fn duplicate_and_odd_cased_keys_follow_the_model() {
    let base = r#""id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "name": "A", "publisher": "P", "version": "1.0.0.0""#;
    // duplicate legacy keys in two casings: all go when switching to idRanges
    let text = format!(
        r#"{{{base}, "idRange": {{"from": 1, "to": 2}}, "IDRANGE": {{"from": 3, "to": 4}}, "idRange": {{"from": 5, "to": 6}}}}"#
    );
    let mut doc = AppJsonDocument::parse(&text).unwrap();
    assert_eq!(doc.manifest().id_range, Some(IdRange::new(5, 6)));
    doc.set_id_ranges(&[IdRange::new(7, 8)]).unwrap();
    assert_eq!(doc.manifest().id_ranges(), vec![IdRange::new(7, 8)]);
    assert!(doc.manifest().id_range.is_none());
    assert!(
        !doc.to_string().to_lowercase().contains("\"idrange\""),
        "{doc}"
    );
    // the first-seen casing is the one the model reads and the one edited
    let text = r#"{"Id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "name": "A", "publisher": "P", "VERSION": "1.0.0.0", "Version": "x"}"#;
    let mut doc = AppJsonDocument::parse(text).unwrap();
    doc.set_version(&AppVersion::new(3, 0, 0, 0)).unwrap();
    assert_eq!(doc.to_string(), text.replace("1.0.0.0", "3.0.0.0"));
    assert_eq!(doc.manifest().version, AppVersion::new(3, 0, 0, 0));
}
