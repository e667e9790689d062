//! The data-migration PTE of a move: a third app, depending on the old and the moved
//! app, whose install codeunit copies every moved table's records field by field from
//! the old table to the new one, and every table-extension field from its old field to
//! its new one on the same base table, using the move's mapping.
//!
//! Both apps must be installable side by side (no shared object or member names), so
//! that every name in the generated code resolves to exactly one app. FlowFields,
//! FlowFilters and temporary or external tables are not copied.
//!
//! ```
//! use scope_rules::move_engine::migration::{MigrationInput, migration_app};
//! use scope_rules::move_engine::{AppIdentity, MappingEntry};
//! use scope_rules::checks::source::{MemberDecl, MemberKind, ObjectDecl, ObjectKind};
//! let manifest = al_manifest::AppManifest::from_json_str(r#"{"id":"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11",
//!     "name":"A","publisher":"P","version":"1.0.0.0","runtime":"12.0"}"#).unwrap();
//! let id = |id: &str, name: &str| AppIdentity { id: id.into(), name: name.into(),
//!     publisher: "P".into(), version: "1.0.0.0".into() };
//! let (old, new) = (id("5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11", "A"), id("0b5e6f3c-6a53-4a4a-9df3-0c1a9d6b7e21", "A"));
//! let mut table = ObjectDecl::new(ObjectKind::Table, Some(50100), "Points", "T.al");
//! table.members.push(MemberDecl::new(MemberKind::Field, Some(1), "No"));
//! let renamed = MappingEntry { kind: "object".into(), object_kind: "table".into(),
//!     object: "Points".into(), member: None, old_id: Some(50100), new_id: Some(70000000),
//!     old_name: "Points".into(), new_name: "ABC Points".into(), symbol: None };
//! let files = migration_app(&MigrationInput { old_manifest: &manifest, old: &old, new: &new,
//!     objects: &[table], files: &[], mapping: &[renamed], symbols: None,
//!     id: "9d6c1b2a-3e4f-4a5b-8c7d-0e1f2a3b4c5d".into() }).unwrap();
//! let code = files.iter().find(|f| f.path.ends_with(".al")).unwrap();
//! let text = String::from_utf8_lossy(&code.bytes);
//! assert!(text.contains("\"ABC Points\"") && text.contains("Points"));
//! ```

use std::collections::BTreeSet;

use al_manifest::AppManifest;
use al_parser::edit::format_name;

use crate::checks::source::{MemberKind, ObjectDecl, ObjectKind};
use crate::move_engine::MappingEntry;
use crate::move_engine::edits::strip;
use crate::move_engine::{AppIdentity, ProjectFile};

/// Why no migration app was made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MigrationError {
    /// Nothing to copy.
    #[error(
        "the move renumbered or renamed no table and no table-extension field: no data to migrate"
    )]
    NothingToCopy,
    /// A field keeps its name on the same base table in both apps, so code cannot tell
    /// them apart.
    #[error(
        "{0}: old and new field have the same name on the same table; the apps cannot be installed side by side"
    )]
    SameName(String),
    /// No free codeunit ID in the PTE range.
    #[error("no free codeunit ID in 50000..99999")]
    NoFreeId,
}

/// What the migration app is made from.
#[derive(Debug, Clone)]
pub struct MigrationInput<'a> {
    /// The old app's manifest (platform, application and runtime are copied; the target
    /// stays the default, Cloud, which per-tenant extensions require).
    pub old_manifest: &'a AppManifest,
    /// The old app.
    pub old: &'a AppIdentity,
    /// The moved app.
    pub new: &'a AppIdentity,
    /// The old app's objects.
    pub objects: &'a [ObjectDecl],
    /// The old app's files (their `using` directives are copied).
    pub files: &'a [ProjectFile],
    /// The move's mapping.
    pub mapping: &'a [MappingEntry],
    /// The old app's symbols (field types: enum-typed fields are converted between the
    /// old and the new enum).
    pub symbols: Option<&'a al_parser::symbols::AppSymbols>,
    /// The migration app's id (the caller supplies a fresh one).
    pub id: String,
}

/// The enum a field's type names, unquoted (`Enum "Loyalty Level"` → `Loyalty Level`).
fn enum_of(type_name: &str) -> Option<String> {
    let t = type_name.trim();
    t.get(..5).filter(|p| p.eq_ignore_ascii_case("enum "))?;
    let name = t.get(5..)?.trim();
    let name = name.rsplit('.').next().unwrap_or(name);
    Some(strip(name.trim()).to_string())
}

/// A doc-comment note on renumbered enum-extension values: data holding their old
/// ordinals (in any table) is not converted by this app.
fn enum_note(map: &[MappingEntry]) -> String {
    let values: Vec<String> = map
        .iter()
        .filter(|e| e.kind == "value" && e.object_kind == "enumextension" && e.old_id != e.new_id)
        .map(|e| {
            format!(
                "{:?} {} -> {}",
                e.old_name,
                e.old_id.unwrap_or_default(),
                e.new_id.unwrap_or_default()
            )
        })
        .collect();
    if values.is_empty() {
        return String::new();
    }
    format!(
        "/// Enum-extension values were renumbered ({}); fields that store them keep the old\n/// ordinals and are not converted here.\n",
        values.join(", ")
    )
}

/// `Target := Source` for a field, converting between an old enum and its renamed copy.
fn assign(target: &str, source: &str, type_name: Option<&str>, map: &[MappingEntry]) -> String {
    let renamed = type_name.and_then(enum_of).and_then(|e| {
        map.iter()
            .find(|m| {
                m.kind == "object"
                    && m.object_kind == "enum"
                    && m.old_name.eq_ignore_ascii_case(&e)
                    && m.old_name != m.new_name
            })
            .map(|m| m.new_name.clone())
    });
    match renamed {
        Some(new_enum) => format!(
            "{target} := Enum::{}.FromInteger({source}.AsInteger());",
            format_name(&new_enum)
        ),
        None => format!("{target} := {source};"),
    }
}

/// (old field name, new field name, field type) of a table-extension field.
type FieldCopy = (String, String, Option<String>);

fn prop<'a>(props: &'a [crate::checks::source::PropertyDecl], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
        .map(|p| p.value.as_str())
}

fn copied_field(m: &crate::checks::source::MemberDecl) -> bool {
    m.kind == MemberKind::Field
        && !prop(&m.properties, "FieldClass").is_some_and(|v| {
            v.eq_ignore_ascii_case("FlowField") || v.eq_ignore_ascii_case("FlowFilter")
        })
}

/// `<name> Data Migration`, the name cut so the whole fits app.json's 50 characters.
fn app_name(name: &str) -> String {
    const SUFFIX: &str = " Data Migration";
    let keep = 50 - SUFFIX.len();
    let cut: String = name.chars().take(keep).collect();
    format!("{}{SUFFIX}", cut.trim_end())
}

/// Builds the migration app: `app.json` and `src/DataMigration.Codeunit.al`.
pub fn migration_app(input: &MigrationInput<'_>) -> Result<Vec<ProjectFile>, MigrationError> {
    let used_ids = used_codeunit_ids(input);
    let mut procedures = table_procedures(input)?;
    for (base, fields) in &fields_by_base(input)? {
        procedures.push(fields_procedure(base, fields, input.mapping));
    }
    if procedures.is_empty() {
        return Err(MigrationError::NothingToCopy);
    }
    let id = (50000..=99999u32)
        .find(|i| !used_ids.contains(i))
        .ok_or(MigrationError::NoFreeId)?;
    let al = codeunit(input, id, &usings(input), &procedures);
    let app_json = app_json(input, id);
    Ok(vec![
        ProjectFile::new("app.json", app_json.into_bytes()),
        ProjectFile::new("src/DataMigration.Codeunit.al", al.into_bytes()),
    ])
}

/// A procedure of the install codeunit: (its doc line, its text after the signature).
type Procedure = (String, String);

/// The new name of field `member` of `object_kind object` in `map` (the old name when
/// it was not renamed).
fn new_member_name(map: &[MappingEntry], object_kind: &str, object: &str, member: &str) -> String {
    map.iter()
        .find(|e| {
            e.kind == "field"
                && e.object_kind == object_kind
                && e.object.eq_ignore_ascii_case(object)
                && e.member
                    .as_deref()
                    .is_some_and(|m| m.eq_ignore_ascii_case(member))
        })
        .map_or_else(|| member.to_string(), |e| e.new_name.clone())
}

/// The type of field `field` of object `object` in the old app's symbols, when known.
fn field_type(input: &MigrationInput<'_>, object: &str, field: &str) -> Option<String> {
    let syms = input.symbols?;
    let o = syms
        .objects
        .iter()
        .find(|o| strip(&o.name).eq_ignore_ascii_case(strip(object)))?;
    o.members
        .iter()
        .find(|m| strip(&m.name).eq_ignore_ascii_case(field))?
        .type_name
        .clone()
}

/// The codeunit IDs the old and the moved app use.
fn used_codeunit_ids(input: &MigrationInput<'_>) -> BTreeSet<u32> {
    let mut used_ids: BTreeSet<u32> = BTreeSet::new();
    for o in input
        .objects
        .iter()
        .filter(|o| o.kind == ObjectKind::Codeunit)
    {
        used_ids.extend(o.id);
    }
    for e in input
        .mapping
        .iter()
        .filter(|e| e.kind == "object" && e.object_kind == "codeunit")
    {
        used_ids.extend(e.new_id);
    }
    used_ids
}

/// Step "copy the tables": one procedure per moved (normal) table, copying its records
/// field by field; a table that keeps its name is an error.
fn table_procedures(input: &MigrationInput<'_>) -> Result<Vec<Procedure>, MigrationError> {
    let map = input.mapping;
    let mut procedures = Vec::new();
    for e in map
        .iter()
        .filter(|e| e.kind == "object" && e.object_kind == "table")
    {
        let Some(decl) = input.objects.iter().find(|o| {
            o.kind == ObjectKind::Table && strip(&o.name).eq_ignore_ascii_case(&e.old_name)
        }) else {
            continue;
        };
        if prop(&decl.properties, "TableType").is_some_and(|v| !v.eq_ignore_ascii_case("Normal")) {
            continue;
        }
        if e.old_name.eq_ignore_ascii_case(&e.new_name) {
            return Err(MigrationError::SameName(format!("table {:?}", e.old_name)));
        }
        let mut body = String::new();
        for f in decl.members.iter().filter(|m| copied_field(m)) {
            let old = strip(&f.name);
            let new = new_member_name(map, "table", &e.old_name, old);
            let ty = field_type(input, &decl.name, old);
            body.push_str(&format!(
                "                {}\n",
                assign(
                    &format!("Target.{}", format_name(&new)),
                    &format!("Source.{}", format_name(old)),
                    ty.as_deref(),
                    map
                )
            ));
        }
        procedures.push((
            format!("copy table {:?} to {:?}", e.old_name, e.new_name),
            format!(
                "    var\n        Source: Record {};\n        Target: Record {};\n    begin\n        if Source.FindSet() then\n            repeat\n                Target.Init();\n{body}                if not Target.Insert(false) then\n                    Target.Modify(false);\n            until Source.Next() = 0;\n    end;\n",
                format_name(&e.old_name),
                format_name(&e.new_name)
            ),
        ));
    }
    Ok(procedures)
}

/// Step "group the table-extension fields": the copied fields of every table extension,
/// per base table in order of appearance; a field that keeps its name is an error.
fn fields_by_base(
    input: &MigrationInput<'_>,
) -> Result<Vec<(String, Vec<FieldCopy>)>, MigrationError> {
    let mut by_base: Vec<(String, Vec<FieldCopy>)> = Vec::new();
    for e in input
        .mapping
        .iter()
        .filter(|e| e.kind == "field" && e.object_kind == "tableextension")
    {
        let Some(decl) = input.objects.iter().find(|o| {
            o.kind == ObjectKind::TableExtension && strip(&o.name).eq_ignore_ascii_case(&e.object)
        }) else {
            continue;
        };
        let Some(base) = decl.extends.as_ref().map(|x| x.target.clone()) else {
            continue;
        };
        let Some(member) = e.member.as_deref() else {
            continue;
        };
        if !decl
            .members
            .iter()
            .any(|m| strip(&m.name).eq_ignore_ascii_case(member) && copied_field(m))
        {
            continue;
        }
        if e.old_name.eq_ignore_ascii_case(&e.new_name) {
            return Err(MigrationError::SameName(format!(
                "field {:?} of {base}",
                e.old_name
            )));
        }
        let pair = (
            e.old_name.clone(),
            e.new_name.clone(),
            field_type(input, &decl.name, member),
        );
        match by_base
            .iter_mut()
            .find(|(b, _)| b.eq_ignore_ascii_case(&base))
        {
            Some((_, v)) => v.push(pair),
            None => by_base.push((base, vec![pair])),
        }
    }
    Ok(by_base)
}

/// Step "copy the table-extension fields": the procedure copying `fields` within each
/// record of base table `base`.
fn fields_procedure(base: &str, fields: &[FieldCopy], map: &[MappingEntry]) -> Procedure {
    let mut body = String::new();
    for (old, new, ty) in fields {
        body.push_str(&format!(
            "                {}\n",
            assign(
                &format!("Rec.{}", format_name(new)),
                &format!("Rec.{}", format_name(old)),
                ty.as_deref(),
                map
            )
        ));
    }
    let base_ref = if base.contains('"') || base.contains('.') {
        base.to_string()
    } else {
        format_name(base)
    };
    (
        format!("copy fields of {base}"),
        format!(
            "    var\n        Rec: Record {base_ref};\n    begin\n        if Rec.FindSet(true) then\n            repeat\n{body}                Rec.Modify(false);\n            until Rec.Next() = 0;\n    end;\n"
        ),
    )
}

/// `using` directives of the old app's files and the namespaces of its objects, so base
/// objects resolve as they did.
fn usings(input: &MigrationInput<'_>) -> BTreeSet<String> {
    let mut usings: BTreeSet<String> = BTreeSet::new();
    for f in input
        .files
        .iter()
        .filter(|f| f.path.to_ascii_lowercase().ends_with(".al"))
    {
        let text = String::from_utf8_lossy(&f.bytes);
        for line in text.lines() {
            let t = line.trim();
            if let Some(ns) = t.strip_prefix("using ").and_then(|r| r.strip_suffix(';')) {
                usings.insert(ns.trim().to_string());
            }
        }
    }
    for o in input.objects {
        if let Some(ns) = &o.namespace {
            usings.insert(ns.clone());
        }
    }
    usings
}

/// Step "write the codeunit": install codeunit `id` calling every procedure.
fn codeunit(
    input: &MigrationInput<'_>,
    id: u32,
    usings: &BTreeSet<String>,
    procedures: &[Procedure],
) -> String {
    let mut al = String::new();
    for u in usings {
        al.push_str(&format!("using {u};\n"));
    }
    if !usings.is_empty() {
        al.push('\n');
    }
    al.push_str(&format!(
        "/// Copies the data of {:?} to {:?} once both are installed.\n{}codeunit {id} \"Move Data Migration\"\n{{\n    Subtype = Install;\n\n    trigger OnInstallAppPerCompany()\n    begin\n",
        format!("{} {}", input.old.name, input.old.version),
        format!("{} {}", input.new.name, input.new.version),
        enum_note(input.mapping)
    ));
    for i in 0..procedures.len() {
        al.push_str(&format!("        Copy{}();\n", i + 1));
    }
    al.push_str("    end;\n");
    for (i, (doc, body)) in procedures.iter().enumerate() {
        al.push_str(&format!(
            "\n    /// {doc}\n    local procedure Copy{}()\n{body}",
            i + 1
        ));
    }
    al.push_str("}\n");
    al
}

/// Step "write app.json": the migration app depends on both apps and owns codeunit `id`;
/// platform, application and runtime come from the old app.
fn app_json(input: &MigrationInput<'_>, id: u32) -> String {
    let om = input.old_manifest;
    let dep = |a: &AppIdentity| serde_json::json!({ "id": a.id, "name": a.name, "publisher": a.publisher, "version": a.version });
    let mut app = serde_json::json!({
        "id": input.id,
        "name": app_name(&input.new.name),
        "publisher": input.new.publisher,
        "version": "1.0.0.0",
        "brief": format!("Copies data from {} to {}", input.old.name, input.new.name),
        "description": format!("Generated by alkit move: copies the records of {} to {} (install both side by side, then this app).", input.old.name, input.new.name),
        "dependencies": [dep(input.old), dep(input.new)],
        "idRanges": [{ "from": id, "to": id }],
        "features": ["NoImplicitWith"],
    });
    if let Some(obj) = app.as_object_mut() {
        if let Some(p) = &om.platform {
            obj.insert("platform".into(), p.to_string().into());
        }
        if let Some(a) = &om.application {
            obj.insert("application".into(), a.to_string().into());
        }
        if let Some(r) = &om.runtime {
            obj.insert("runtime".into(), r.to_string().into());
        }
    }
    let mut app_json = serde_json::to_string_pretty(&app).unwrap_or_default();
    app_json.push('\n');
    app_json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_name_fits_fifty_characters() {
        let long = "External File Storage - SharePoint Connector Plus More";
        let n = app_name(long);
        assert!(n.chars().count() <= 50, "{n}");
        assert!(n.ends_with(" Data Migration"));
        assert_eq!(app_name("Loyalty"), "Loyalty Data Migration");
    }

    #[test]
    fn nothing_to_copy_without_tables() {
        let m: AppManifest = serde_json::from_str(
            r#"{"id":"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11","name":"A","publisher":"P","version":"1.0.0.0"}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let id = AppIdentity::default();
        let input = MigrationInput {
            old_manifest: &m,
            old: &id,
            new: &id,
            objects: &[],
            files: &[],
            mapping: &[],
            symbols: None,
            id: "x".into(),
        };
        assert_eq!(migration_app(&input), Err(MigrationError::NothingToCopy));
    }
}
