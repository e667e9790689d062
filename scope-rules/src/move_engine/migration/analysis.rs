//! What the migration copies: the moved tables and table-extension fields (each field
//! classified: plain, BLOB, Media, MediaSet, enum), the renumbered enum values, the fields
//! of other apps that store them, and what is not copied, with the reason.

use std::collections::BTreeMap;

use al_parser::symbols::{AppSymbols, MemberKind as SymMemberKind, ObjectKind as SymObjectKind};

use super::{MigrationError, MigrationInput};
use crate::checks::source::{MemberDecl, MemberKind, ObjectDecl, ObjectKind, PropertyDecl};
use crate::move_engine::MappingEntry;
use crate::move_engine::edits::strip;

/// How a field is copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FieldKind {
    /// Assigned.
    Plain,
    /// Assigned after `CalcFields`.
    Blob,
    /// Content exported and imported (a new media item).
    Media,
    /// Item references inserted one by one (shared media items; reported).
    MediaSet,
    /// Converted: the enum the target field has (renamed or not) and, when values of the
    /// source enum were renumbered, the source enum (key of [`Analysis::renumbered`]).
    Enum {
        /// The target's enum name.
        target: String,
        /// Key into [`Analysis::renumbered`], when ordinals change.
        renumbered: Option<String>,
    },
}

/// One field to copy: old name, new name, how.
#[derive(Debug, Clone)]
pub(super) struct FieldCopy {
    pub old: String,
    pub new: String,
    pub kind: FieldKind,
}

/// A moved table: its records are copied from `old` to `new`.
#[derive(Debug, Clone)]
pub(super) struct TableCopy {
    pub old: String,
    pub new: String,
    /// `DataPerCompany = false`: copied once (`OnInstallAppPerDatabase`).
    pub per_database: bool,
    pub fields: Vec<FieldCopy>,
}

/// Table-extension fields on one base table, copied within each record.
#[derive(Debug, Clone)]
pub(super) struct ExtCopy {
    /// The base table as the old app writes it.
    pub base: String,
    pub fields: Vec<FieldCopy>,
}

/// A renumbered value of an enum: (old value name, new value name, old ordinal, new ordinal).
pub(super) type Value = (String, String, u32, u32);

/// A renumbered enum (extended by the old app, or the old app's own).
#[derive(Debug, Clone)]
pub(super) struct Renumbered {
    /// The enum's name (unquoted), as the fields' types name it.
    pub name: String,
    /// Its namespace, when known.
    pub namespace: Option<String>,
    pub values: Vec<Value>,
}

/// A field of another app (dependency or dependent) storing a renumbered enum.
#[derive(Debug, Clone)]
pub(super) struct EnumRewrite {
    /// The app declaring the field.
    pub app: String,
    /// The table (a table extension's base table) holding it.
    pub table: String,
    /// The table's namespace, when known.
    pub namespace: Option<String>,
    pub field: String,
    /// Key into [`Analysis::renumbered`].
    pub enum_key: String,
}

/// Everything the generator writes, decided.
#[derive(Debug, Clone, Default)]
pub(super) struct Analysis {
    pub tables: Vec<TableCopy>,
    pub extensions: Vec<ExtCopy>,
    /// Lower-case enum name → the enum.
    pub renumbered: BTreeMap<String, Renumbered>,
    pub rewrites: Vec<EnumRewrite>,
    /// (what, why) not copied or not covered.
    pub skipped: Vec<(String, String)>,
    /// Apps (other than the old and the new) whose tables the migration touches.
    pub touched_apps: Vec<al_parser::symbols::AppInfo>,
}

pub(super) fn prop<'a>(props: &'a [PropertyDecl], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
        .map(|p| p.value.as_str())
}

fn is(props: &[PropertyDecl], name: &str, value: &str) -> bool {
    prop(props, name).is_some_and(|v| strip(v.trim()).eq_ignore_ascii_case(value))
}

/// The last segment of a dotted name as written (`Ns."My Enum"` → `My Enum`), unquoted.
pub(super) fn last_segment(s: &str) -> String {
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '.' if !quoted => start = i + 1,
            _ => {}
        }
    }
    strip(s[start..].trim()).to_string()
}

/// The enum a field's type names, unquoted (`Enum "Loyalty Level"` → `Loyalty Level`).
pub(super) fn enum_of(type_name: &str) -> Option<String> {
    let t = type_name.trim();
    t.get(..5).filter(|p| p.eq_ignore_ascii_case("enum "))?;
    Some(last_segment(t.get(5..)?))
}

/// Why a field is not copied, if it is not.
fn not_copied(m: &MemberDecl) -> Option<&'static str> {
    if m.kind != MemberKind::Field {
        return Some("");
    }
    if is(&m.properties, "FieldClass", "FlowField") {
        return Some("FlowField: computed, never stored");
    }
    if is(&m.properties, "FieldClass", "FlowFilter") {
        return Some("FlowFilter: a filter, never stored");
    }
    if is(&m.properties, "ObsoleteState", "Removed") {
        return Some("ObsoleteState = Removed: the field does not exist in the database");
    }
    None
}

/// The type of field `field` of object `object` in `syms`, when known.
fn field_type(syms: &AppSymbols, object: &str, field: &str) -> Option<String> {
    let o = syms
        .objects
        .iter()
        .find(|o| strip(&o.name).eq_ignore_ascii_case(strip(object)))?;
    o.members
        .iter()
        .find(|m| m.kind == SymMemberKind::Field && strip(&m.name).eq_ignore_ascii_case(field))?
        .type_name
        .clone()
}

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

/// The enums whose values the move renumbered: values of the old app's enum extensions
/// (keyed by the extended enum) and of its own enums.
fn renumbered_enums(input: &MigrationInput<'_>) -> BTreeMap<String, Renumbered> {
    let mut out: BTreeMap<String, Renumbered> = BTreeMap::new();
    for e in input
        .mapping
        .iter()
        .filter(|e| e.kind == "value" && e.old_id != e.new_id)
    {
        let (Some(old_id), Some(new_id)) = (e.old_id, e.new_id) else {
            continue;
        };
        let enum_name = match e.object_kind.as_str() {
            "enumextension" => input
                .objects
                .iter()
                .find(|o| {
                    o.kind == ObjectKind::EnumExtension
                        && strip(&o.name).eq_ignore_ascii_case(&e.object)
                })
                .and_then(|o| o.extends.as_ref())
                .map(|x| last_segment(&x.target)),
            "enum" => Some(e.object.clone()),
            _ => None,
        };
        let Some(name) = enum_name else { continue };
        let namespace = find_enum_namespace(input, &name);
        out.entry(name.to_ascii_lowercase())
            .or_insert_with(|| Renumbered {
                name: name.clone(),
                namespace,
                values: Vec::new(),
            })
            .values
            .push((e.old_name.clone(), e.new_name.clone(), old_id, new_id));
    }
    out
}

fn find_enum_namespace(input: &MigrationInput<'_>, name: &str) -> Option<String> {
    input
        .dependencies
        .iter()
        .flat_map(|a| &a.objects)
        .find(|o| o.kind == SymObjectKind::Enum && strip(&o.name).eq_ignore_ascii_case(name))
        .and_then(|o| o.namespace.clone())
}

/// A field of type `ty` copied into a field of the moved app.
fn classify(
    ty: Option<&str>,
    input: &MigrationInput<'_>,
    renumbered: &BTreeMap<String, Renumbered>,
) -> FieldKind {
    let Some(ty) = ty else {
        return FieldKind::Plain;
    };
    let t = ty.trim();
    if t.eq_ignore_ascii_case("blob") {
        return FieldKind::Blob;
    }
    if t.eq_ignore_ascii_case("media") {
        return FieldKind::Media;
    }
    if t.eq_ignore_ascii_case("mediaset") {
        return FieldKind::MediaSet;
    }
    let Some(e) = enum_of(t) else {
        return FieldKind::Plain;
    };
    let renamed = input
        .mapping
        .iter()
        .find(|m| {
            m.kind == "object"
                && m.object_kind == "enum"
                && m.old_name.eq_ignore_ascii_case(&e)
                && m.old_name != m.new_name
        })
        .map(|m| m.new_name.clone());
    let key = e.to_ascii_lowercase();
    let renum = renumbered.contains_key(&key).then_some(key);
    match (renamed, renum) {
        (None, None) => FieldKind::Plain,
        (target, renumbered) => FieldKind::Enum {
            target: target.unwrap_or(e),
            renumbered,
        },
    }
}

fn find_decl<'a>(
    objects: &'a [ObjectDecl],
    kind: ObjectKind,
    name: &str,
) -> Option<&'a ObjectDecl> {
    objects
        .iter()
        .find(|o| o.kind == kind && strip(&o.name).eq_ignore_ascii_case(strip(name)))
}

/// Decides what the migration does.
pub(super) fn analyse(
    input: &MigrationInput<'_>,
    syms: &AppSymbols,
) -> Result<Analysis, MigrationError> {
    let renumbered = renumbered_enums(input);
    let mut a = Analysis {
        renumbered,
        ..Analysis::default()
    };
    tables(input, syms, &mut a)?;
    extensions(input, syms, &mut a)?;
    rewrites(input, &mut a);
    Ok(a)
}

fn tables(
    input: &MigrationInput<'_>,
    syms: &AppSymbols,
    a: &mut Analysis,
) -> Result<(), MigrationError> {
    let map = input.mapping;
    for e in map
        .iter()
        .filter(|e| e.kind == "object" && e.object_kind == "table")
    {
        let Some(decl) = find_decl(input.objects, ObjectKind::Table, &e.old_name) else {
            continue;
        };
        if let Some(t) =
            prop(&decl.properties, "TableType").filter(|v| !v.eq_ignore_ascii_case("Normal"))
        {
            a.skipped.push((
                format!("table {:?}", e.old_name),
                format!("TableType = {t}: no data stored in the app's database"),
            ));
            continue;
        }
        if is(&decl.properties, "ObsoleteState", "Removed") {
            a.skipped.push((
                format!("table {:?}", e.old_name),
                "ObsoleteState = Removed: the table does not exist in the database".into(),
            ));
            continue;
        }
        if e.old_name.eq_ignore_ascii_case(&e.new_name) {
            return Err(MigrationError::SameName(format!("table {:?}", e.old_name)));
        }
        let mut fields = Vec::new();
        for f in &decl.members {
            let old = strip(&f.name);
            if let Some(why) = not_copied(f) {
                if !why.is_empty() {
                    a.skipped.push((
                        format!("field {old:?} of table {:?}", e.old_name),
                        why.into(),
                    ));
                }
                continue;
            }
            let new = new_member_name(map, "table", &e.old_name, old);
            let ty = field_type(syms, &decl.name, old);
            let kind = classify(ty.as_deref(), input, &a.renumbered);
            if kind == FieldKind::MediaSet {
                a.skipped.push((
                    format!("content of MediaSet field {old:?} of table {:?}", e.old_name),
                    "the copy references the same media items (AL cannot read a MediaSet item's content without the system table Tenant Media); keep the old app's data until the new records' media are checked".into(),
                ));
            }
            if is(&f.properties, "AutoIncrement", "true") {
                a.skipped.push((
                    format!("numbering of AutoIncrement field {old:?} of table {:?}", e.old_name),
                    "values are copied as they are; the next number continues after the highest copied value".into(),
                ));
            }
            fields.push(FieldCopy {
                old: old.to_string(),
                new,
                kind,
            });
        }
        a.tables.push(TableCopy {
            old: e.old_name.clone(),
            new: e.new_name.clone(),
            per_database: is(&decl.properties, "DataPerCompany", "false"),
            fields,
        });
    }
    Ok(())
}

fn extensions(
    input: &MigrationInput<'_>,
    syms: &AppSymbols,
    a: &mut Analysis,
) -> Result<(), MigrationError> {
    for e in input
        .mapping
        .iter()
        .filter(|e| e.kind == "field" && e.object_kind == "tableextension")
    {
        let Some(decl) = find_decl(input.objects, ObjectKind::TableExtension, &e.object) else {
            continue;
        };
        let Some(base) = decl.extends.as_ref().map(|x| table_by_id(input, &x.target)) else {
            continue;
        };
        let Some(member) = e.member.as_deref() else {
            continue;
        };
        let Some(m) = decl
            .members
            .iter()
            .find(|m| m.kind == MemberKind::Field && strip(&m.name).eq_ignore_ascii_case(member))
        else {
            continue;
        };
        if let Some(why) = not_copied(m) {
            a.skipped
                .push((format!("field {:?} of {base}", e.old_name), why.into()));
            continue;
        }
        if e.old_name.eq_ignore_ascii_case(&e.new_name) {
            return Err(MigrationError::SameName(format!(
                "field {:?} of {base}",
                e.old_name
            )));
        }
        let ty = field_type(syms, &decl.name, member);
        let kind = classify(ty.as_deref(), input, &a.renumbered);
        if kind == FieldKind::MediaSet {
            a.skipped.push((
                format!("content of MediaSet field {:?} of {base}", e.old_name),
                "the copy references the same media items; keep the old app's data until they are checked".into(),
            ));
        }
        let copy = FieldCopy {
            old: e.old_name.clone(),
            new: e.new_name.clone(),
            kind,
        };
        match a
            .extensions
            .iter_mut()
            .find(|x| x.base.eq_ignore_ascii_case(&base))
        {
            Some(x) => x.fields.push(copy),
            None => a.extensions.push(ExtCopy {
                base,
                fields: vec![copy],
            }),
        }
    }
    Ok(())
}

/// The name of the table an extension names by ID (`extends 110`), when the dependencies'
/// symbols know it; else `target` as written (a number then stays a number: `Record 110`).
fn table_by_id(input: &MigrationInput<'_>, target: &str) -> String {
    let Ok(id) = target.trim().parse::<u32>() else {
        return last_segment(target);
    };
    input
        .dependencies
        .iter()
        .chain(input.symbols)
        .flat_map(|a| &a.objects)
        .find(|o| o.kind == SymObjectKind::Table && o.id.is_some_and(|i| i.0 == id))
        .map_or_else(|| target.trim().to_string(), |o| o.name.clone())
}

/// Every field of a renumbered enum in the dependencies and the dependents.
fn rewrites(input: &MigrationInput<'_>, a: &mut Analysis) {
    dependents_on_moved_tables(input, a);
    if a.renumbered.is_empty() {
        return;
    }
    let apps: Vec<&AppSymbols> = input.dependencies.iter().chain(input.dependents).collect();
    for app in &apps {
        let mut touched = false;
        for o in &app.objects {
            let table = match o.kind {
                SymObjectKind::Table => o.name.clone(),
                SymObjectKind::TableExtension => match &o.extends {
                    Some(t) => last_segment(t),
                    None => continue,
                },
                _ => continue,
            };
            let namespace = match o.kind {
                SymObjectKind::Table => o.namespace.clone(),
                _ => apps
                    .iter()
                    .flat_map(|a| &a.objects)
                    .find(|b| {
                        b.kind == SymObjectKind::Table
                            && strip(&b.name).eq_ignore_ascii_case(&table)
                    })
                    .and_then(|b| b.namespace.clone()),
            };
            if o.kind == SymObjectKind::TableExtension && moved_table(input, &table) {
                continue;
            }
            for m in o.members.iter().filter(|m| m.kind == SymMemberKind::Field) {
                let Some(e) = m.type_name.as_deref().and_then(enum_of) else {
                    continue;
                };
                let key = e.to_ascii_lowercase();
                if a.renumbered.contains_key(&key) {
                    touched = true;
                    a.rewrites.push(EnumRewrite {
                        app: app.info.name.clone(),
                        table: table.clone(),
                        namespace: namespace.clone(),
                        field: m.name.clone(),
                        enum_key: key,
                    });
                }
            }
        }
        if touched
            && !a
                .touched_apps
                .iter()
                .any(|t| t.id == app.info.id && t.name == app.info.name)
        {
            a.touched_apps.push(app.info.clone());
        }
    }
    let found_enum = |name: &str| {
        apps.iter()
            .flat_map(|a| &a.objects)
            .any(|o| o.kind == SymObjectKind::Enum && strip(&o.name).eq_ignore_ascii_case(name))
    };
    for r in a.renumbered.values() {
        let own = input
            .objects
            .iter()
            .any(|o| o.kind == ObjectKind::Enum && strip(&o.name).eq_ignore_ascii_case(&r.name));
        if !own && !found_enum(&r.name) {
            a.skipped.push((
                format!("fields of enum {:?} in the base app and other dependencies", r.name),
                "no symbols of the app declaring the enum were given (alkit move --symbols): their tables could not be covered; their rows keep the old ordinals".into(),
            ));
        }
    }
}

/// Whether `table` is one of the old app's moved tables.
fn moved_table(input: &MigrationInput<'_>, table: &str) -> bool {
    input.mapping.iter().any(|e| {
        e.kind == "object" && e.object_kind == "table" && e.old_name.eq_ignore_ascii_case(table)
    })
}

/// A dependent's table extension of a moved table: its fields stay with the old table (the
/// moved dependent extends the new one), listed.
fn dependents_on_moved_tables(input: &MigrationInput<'_>, a: &mut Analysis) {
    renamed_enum_fields(input, a);
    for app in input.dependents {
        for o in app
            .objects
            .iter()
            .filter(|o| o.kind == SymObjectKind::TableExtension)
        {
            let Some(base) = o.extends.as_deref().map(last_segment) else {
                continue;
            };
            let fields: Vec<&str> = o
                .members
                .iter()
                .filter(|m| m.kind == SymMemberKind::Field)
                .map(|m| m.name.as_str())
                .collect();
            if fields.is_empty() || !moved_table(input, &base) {
                continue;
            }
            a.skipped.push((
                format!(
                    "fields {} of table extension {:?} ({}) on moved table {base:?}",
                    fields.join(", "),
                    o.name,
                    app.info.name
                ),
                "the dependent's data stays with the old table; its moved version extends the new table: copy them with a migration of the dependent".into(),
            ));
        }
    }
}

/// A dependent's field typed with an enum of the old app that the move renamed: the moved
/// dependent's field changes type (same ordinals), listed.
fn renamed_enum_fields(input: &MigrationInput<'_>, a: &mut Analysis) {
    for app in input.dependents {
        for o in app
            .objects
            .iter()
            .filter(|o| matches!(o.kind, SymObjectKind::Table | SymObjectKind::TableExtension))
        {
            for m in o.members.iter().filter(|m| m.kind == SymMemberKind::Field) {
                let Some(e) = m.type_name.as_deref().and_then(enum_of) else {
                    continue;
                };
                let Some(renamed) = input.mapping.iter().find(|x| {
                    x.kind == "object"
                        && x.object_kind == "enum"
                        && x.old_name.eq_ignore_ascii_case(&e)
                        && x.old_name != x.new_name
                }) else {
                    continue;
                };
                a.skipped.push((
                    format!("field {:?} of {:?} ({})", m.name, o.name, app.info.name),
                    format!(
                        "the moved dependent types it enum {:?} instead of {:?}: its rows keep their ordinals (the renamed enum has the same values); check that the dependent's upgrade accepts the type change",
                        renamed.new_name, renamed.old_name
                    ),
                ));
            }
        }
    }
}
