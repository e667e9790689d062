//! Project files besides AL and app.json that a move updates, each edited in place
//! (every byte outside the changed values kept): `.vscode/launch.json`
//! (`startupObjectId`), `.objidconfig` (AL Object ID Ninja's `idRanges`),
//! AppSourceCop.json (`mandatoryAffixes`) and XLIFF translation files (trans-unit ids
//! and generator notes of renamed symbols).
//!
//! Each function returns `None` when the file needs no change or cannot be read (the
//! caller keeps it as it is).

use crate::IdRange;
use crate::checks::jsonpos::JsonLocator;
use crate::move_engine::MappingEntry;

fn splice(text: &str, range: std::ops::Range<usize>, with: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(text.get(..range.start)?);
    out.push_str(with);
    out.push_str(text.get(range.end..)?);
    Some(out)
}

/// `launch.json`: each configuration's `startupObjectId` follows its renumbered object
/// (of `startupObjectType`, default `Page`).
pub fn launch_json(bytes: &[u8], mapping: &[MappingEntry]) -> Option<Vec<u8>> {
    let mut text = std::str::from_utf8(bytes).ok()?.to_string();
    let mut changed = false;
    for i in 0..256 {
        let loc = JsonLocator::new(&text);
        let base = format!("configurations[{i}]");
        if !loc.contains(&base) {
            break;
        }
        let id_path = format!("{base}.startupObjectId");
        if !loc.contains(&id_path) {
            continue;
        }
        let span = loc.locate(&id_path).value_span;
        let Ok(old) = text.get(span.clone())?.trim().parse::<u32>() else {
            continue;
        };
        let kind = if loc.contains(&format!("{base}.startupObjectType")) {
            let s = loc.locate(&format!("{base}.startupObjectType")).value_span;
            text.get(s)?.trim().trim_matches('"').to_ascii_lowercase()
        } else {
            "page".to_string()
        };
        let Some(new) = mapping
            .iter()
            .find(|e| e.kind == "object" && e.object_kind == kind && e.old_id == Some(old))
            .and_then(|e| e.new_id)
        else {
            continue;
        };
        if new != old {
            text = splice(&text, span, &new.to_string())?;
            changed = true;
        }
    }
    changed.then(|| text.into_bytes())
}

/// `.objidconfig`: `idRanges` becomes the target ranges (descriptions dropped);
/// per-object-type `objectRanges` are left for the user.
pub fn objidconfig(bytes: &[u8], ranges: &[IdRange]) -> Option<Vec<u8>> {
    if ranges.is_empty() {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let loc = JsonLocator::new(text);
    if !loc.contains("idRanges") {
        return None;
    }
    let span = loc.locate("idRanges").value_span;
    let old = text.get(span.clone())?;
    let items: Vec<String> = ranges
        .iter()
        .map(|r| format!("{{ \"from\": {}, \"to\": {} }}", r.from, r.to))
        .collect();
    let new = if old.contains('\n') {
        let indent = text
            .get(..span.start)?
            .rsplit('\n')
            .next()
            .map(|l| l.len() - l.trim_start().len())
            .unwrap_or(0);
        let pad = " ".repeat(indent + 2);
        format!(
            "[\n{pad}{}\n{}]",
            items.join(&format!(",\n{pad}")),
            " ".repeat(indent)
        )
    } else {
        format!("[ {} ]", items.join(", "))
    };
    (new != old).then(|| splice(text, span, &new).map(String::into_bytes))?
}

/// AppSourceCop.json: adds `"mandatoryAffixes": ["ABC"]` when no affix setting exists.
pub fn cop_affixes(bytes: &[u8], affix: Option<&str>) -> Option<Vec<u8>> {
    let affix = affix?;
    let text = std::str::from_utf8(bytes).ok()?;
    let loc = JsonLocator::new(text);
    if ["mandatoryAffixes", "mandatoryPrefix", "mandatorySuffix"]
        .iter()
        .any(|k| loc.contains(k))
    {
        return None;
    }
    let open = text.find('{')?;
    let rest = text.get(open + 1..)?;
    let empty = rest.trim_start().starts_with('}');
    let value = serde_json::Value::String(affix.to_string());
    let insert = if empty {
        format!("\n  \"mandatoryAffixes\": [{value}]\n")
    } else {
        let ws_len = rest.len() - rest.trim_start().len();
        let ws = rest.get(..ws_len)?;
        let ws = if ws.is_empty() { " " } else { ws };
        format!("{ws}\"mandatoryAffixes\": [{value}],")
    };
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(text.get(..=open)?);
    out.push_str(&insert);
    out.push_str(rest);
    Some(out.into_bytes())
}

/// XLIFF: trans-unit ids (name hashes) and generator notes of renamed objects and
/// members follow their new names; every other byte is kept
/// ([`al_manifest::xlf::XlfFile::rename`]). `mapping` is the mapping of this move
/// (for a reverse move, the reverse move's own mapping).
pub fn xliff(bytes: &[u8], mapping: &[MappingEntry]) -> Option<Vec<u8>> {
    use al_manifest::xlf::{Rename, XlfFile, xliff_object_kind};
    let mut renames = Vec::new();
    for e in mapping.iter().filter(|e| e.old_name != e.new_name) {
        let Some(ok) = xliff_object_kind(&e.object_kind) else {
            continue;
        };
        if e.kind == "object" {
            renames.push(Rename::object(ok, &e.old_name, &e.new_name));
            continue;
        }
        let query = e.object_kind == "query";
        let mk = match e.kind.as_str() {
            "field" => "Field",
            "value" => "EnumValue",
            "control" => "Control",
            "action" => "Action",
            "procedure" => "Method",
            "dataitem" if query => "QueryDataItem",
            "dataitem" => "ReportDataItem",
            "column" if query => "QueryColumn",
            "column" => "ReportColumn",
            "xmlnode" => "XmlPortNode",
            _ => continue,
        };
        renames.push(Rename::member(ok, &e.object, mk, &e.old_name, &e.new_name));
    }
    if renames.is_empty() {
        return None;
    }
    let file = XlfFile::parse(bytes).ok()?;
    let out = file.rename(&renames).ok()?;
    (out.bytes != bytes).then_some(out.bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_launch_json() {
        use crate::move_engine::MappingEntry;
        let m = vec![MappingEntry {
            kind: "object".into(),
            object_kind: "page".into(),
            object: "P".into(),
            member: None,
            old_id: Some(50100),
            new_id: Some(70000000),
            old_name: "P".into(),
            new_name: "P".into(),
            symbol: None,
        }];
        let text = br#"{ "configurations": [ { "name": "x", "startupObjectId": 50100 } ] }"#;
        let out = launch_json(text, &m).unwrap();
        assert_eq!(
            out,
            br#"{ "configurations": [ { "name": "x", "startupObjectId": 70000000 } ] }"#
        );
    }

    #[test]
    fn example_objidconfig() {
        use crate::IdRange;
        let text = b"{\n  \"idRanges\": [ { \"from\": 50100, \"to\": 50149 } ]\n}\n";
        let out = objidconfig(text, &[IdRange::new(70000000, 70000099)]).unwrap();
        assert_eq!(
            out,
            b"{\n  \"idRanges\": [ { \"from\": 70000000, \"to\": 70000099 } ]\n}\n"
        );
    }

    #[test]
    fn example_cop_affixes() {
        let out = cop_affixes(b"{\n  \"version\": \"1.0.0.0\"\n}\n", Some("CLY")).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"mandatoryAffixes\": [\"CLY\"],\n  \"version\": \"1.0.0.0\"\n}\n"
        );
    }

    #[test]
    fn example_xliff() {
        use crate::move_engine::MappingEntry;
        use al_manifest::xlf::name_hash;
        let xlf = r#"<?xml version="1.0" encoding="utf-8"?>
        <xliff version="1.2"><file><body><group id="body">
          <trans-unit id="Table 596208023 - Property 2879900210">
            <source>T</source>
            <note from="Xliff Generator" annotates="general" priority="3">Table NAB Test Table - Property Caption</note>
          </trans-unit>
        </group></body></file></xliff>"#;
        let m = vec![MappingEntry {
            kind: "object".into(),
            object_kind: "table".into(),
            object: "NAB Test Table".into(),
            member: None,
            old_id: Some(50100),
            new_id: Some(70000000),
            old_name: "NAB Test Table".into(),
            new_name: "ABC NAB Test Table".into(),
            symbol: None,
        }];
        let out = String::from_utf8(xliff(xlf.as_bytes(), &m).unwrap()).unwrap();
        assert!(out.contains(&format!(
            "Table {} - Property 2879900210",
            name_hash("ABC NAB Test Table")
        )));
        assert!(out.contains(">Table ABC NAB Test Table - Property Caption</note>"));
    }
}
