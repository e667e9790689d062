//! Adapter from a package's `SymbolReference.json` model to al-parser's symbol index
//! ([`al_parser::symbols::AppSymbols`]), so dependencies given as `.app` files resolve like
//! source projects.

use al_parser::symbols::{
    Access, AppInfo, AppOrigin, AppSymbols, Markers, MemberKind, MemberSymbol, ObjectId,
    ObjectKind, ObjectSymbol, Parameter,
};
use serde_json::Value;

use crate::{SymbolObjectType, SymbolReference};

impl From<SymbolObjectType> for ObjectKind {
    /// The object kind of a symbol file's array (`EnumTypes` hold enums, `DotNetPackages`
    /// dotnet declarations).
    fn from(t: SymbolObjectType) -> Self {
        use SymbolObjectType as T;
        match t {
            T::Table => ObjectKind::Table,
            T::Codeunit => ObjectKind::Codeunit,
            T::Page => ObjectKind::Page,
            T::PageExtension => ObjectKind::PageExtension,
            T::PageCustomization => ObjectKind::PageCustomization,
            T::TableExtension => ObjectKind::TableExtension,
            T::Report => ObjectKind::Report,
            T::XmlPort => ObjectKind::XmlPort,
            T::Query => ObjectKind::Query,
            T::Profile => ObjectKind::Profile,
            T::ProfileExtension => ObjectKind::ProfileExtension,
            T::ControlAddIn => ObjectKind::ControlAddIn,
            T::EnumType => ObjectKind::Enum,
            T::EnumExtensionType => ObjectKind::EnumExtension,
            T::DotNetPackage => ObjectKind::DotNet,
            T::Interface => ObjectKind::Interface,
            T::PermissionSet => ObjectKind::PermissionSet,
            T::PermissionSetExtension => ObjectKind::PermissionSetExtension,
            T::ReportExtension => ObjectKind::ReportExtension,
        }
    }
}

fn member(
    kind: MemberKind,
    id: Option<u32>,
    name: &str,
    type_name: Option<String>,
) -> MemberSymbol {
    MemberSymbol {
        kind,
        id,
        name: name.to_string(),
        type_name,
        parameters: Vec::new(),
        access: Access::Public,
        parent: None,
        span: None,
        name_span: None,
        id_span: None,
        markers: None,
    }
}

/// The obsoletion and move markers among `Properties` (`ObsoleteState`, `ObsoleteTag`,
/// `ObsoleteReason`, `MovedFrom`, `MovedTo`; string values).
fn markers(props: &[crate::SymbolProperty]) -> Option<Box<Markers>> {
    let mut m = Markers::default();
    for p in props {
        if let Some(v) = p.value.as_ref().and_then(Value::as_str) {
            m.set(&p.name, v);
        }
    }
    m.boxed()
}

/// [`markers`] of a `Properties` array kept among the unmodelled keys (keys, enum values).
fn extra_markers(extra: &serde_json::Map<String, Value>) -> Option<Box<Markers>> {
    let mut m = Markers::default();
    for p in extra
        .get("Properties")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        if let (Some(n), Some(v)) = (
            p.get("Name").and_then(Value::as_str),
            p.get("Value").and_then(Value::as_str),
        ) {
            m.set(n, v);
        }
    }
    m.boxed()
}

/// A method's `[Obsolete('reason', 'tag')]` attribute (`Attributes`: `{"Name": "Obsolete",
/// "Arguments": [...]}`, each argument a string or `{"Value": …}`) as markers with state
/// `Pending`.
fn obsolete_attribute(extra: &serde_json::Map<String, Value>) -> Option<Box<Markers>> {
    let attr = extra
        .get("Attributes")
        .and_then(Value::as_array)?
        .iter()
        .find(|a| {
            a.get("Name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case("Obsolete"))
        })?;
    let args: Vec<&str> = attr
        .get("Arguments")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|a| {
            a.as_str()
                .or_else(|| a.get("Value").and_then(Value::as_str))
        })
        .collect();
    Markers::obsolete_attribute(&args).boxed()
}

/// A type as source text, the form the resolver reads: `Enum "Sales Line Type"` from
/// `{"Name": "Enum", "Subtype": {"Name": "Sales Line Type"}}`, `Record "Customer" temporary`,
/// `Code[20]` (no subtype). Without the subtype a field's enum or record type would be
/// unknown, and `Rec.Status::Rejected` or `Rec.Customer."No."` would not resolve.
fn type_text(t: &crate::TypeDefinition) -> String {
    let sub = t
        .extra
        .get("Subtype")
        .and_then(|s| s.get("Name"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    match sub {
        Some(sub) => {
            let mut s = format!("{} \"{}\"", t.name, sub.replace('"', "\"\""));
            if t.extra.get("Temporary") == Some(&Value::Bool(true)) {
                s.push_str(" temporary");
            }
            s
        }
        None => t.name.clone(),
    }
}

/// Page controls and actions (`Controls` / `Actions` arrays, nested), without recursion.
fn controls(extra: &serde_json::Map<String, Value>, out: &mut Vec<MemberSymbol>) {
    let mut stack: Vec<(&Value, MemberKind)> = Vec::new();
    for (key, kind) in [
        ("Controls", MemberKind::Control),
        ("Actions", MemberKind::Action),
    ] {
        if let Some(v) = extra.get(key) {
            stack.push((v, kind));
        }
    }
    while let Some((v, kind)) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items.iter().rev().map(|i| (i, kind))),
            Value::Object(o) => {
                if let Some(Value::String(n)) = o.get("Name") {
                    out.push(member(kind, None, n, None));
                }
                for (key, k) in [
                    ("Controls", MemberKind::Control),
                    ("Actions", MemberKind::Action),
                ] {
                    if let Some(c) = o.get(key) {
                        stack.push((c, k));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The symbols of a package, for [`al_parser::symbols::SymbolIndex::new`].
pub fn app_symbols(sref: &SymbolReference) -> AppSymbols {
    let mut objects = Vec::new();
    for flat in sref.objects() {
        let o = flat.object;
        let kind = ObjectKind::from(flat.kind);
        let mut members = Vec::new();
        for f in o.fields.as_deref().unwrap_or_default() {
            let ty = f
                .type_definition
                .as_ref()
                .map(type_text)
                .or_else(|| f.type_text.clone());
            let mut fs = member(MemberKind::Field, u32::try_from(f.id).ok(), &f.name, ty);
            fs.markers = markers(f.properties.as_deref().unwrap_or_default());
            members.push(fs);
        }
        for k in o.keys.as_deref().unwrap_or_default() {
            let mut ks = member(MemberKind::Key, None, &k.name, None);
            ks.markers = extra_markers(&k.extra);
            members.push(ks);
        }
        for v in o.values.as_deref().unwrap_or_default() {
            let mut vs = member(
                MemberKind::EnumValue,
                u32::try_from(v.ordinal).ok(),
                &v.name,
                None,
            );
            vs.markers = extra_markers(&v.extra);
            members.push(vs);
        }
        for m in o.methods.as_deref().unwrap_or_default() {
            let mut ms = member(
                MemberKind::Procedure,
                None,
                &m.name,
                m.return_type_definition.as_ref().map(type_text),
            );
            ms.parameters = m
                .parameters
                .as_deref()
                .unwrap_or_default()
                .iter()
                .map(|p| Parameter {
                    name: p.name.clone(),
                    type_name: p
                        .type_definition
                        .as_ref()
                        .map(type_text)
                        .unwrap_or_default(),
                    by_ref: p.is_var.unwrap_or(false),
                })
                .collect();
            ms.markers = obsolete_attribute(&m.extra);
            members.push(ms);
        }
        controls(&o.extra, &mut members);
        let prop = |name: &str| {
            o.properties
                .as_deref()
                .unwrap_or_default()
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(name))
                .and_then(|p| p.value.as_ref())
                .and_then(|v| v.as_str().map(str::to_owned))
        };
        objects.push(ObjectSymbol {
            kind,
            id: u32::try_from(o.id)
                .ok()
                .filter(|_| kind.has_id())
                .map(ObjectId),
            name: o.name.clone(),
            namespace: flat.namespace.clone(),
            file: None,
            span: None,
            name_span: None,
            id_span: None,
            extends: o.target_object.clone(),
            implements: Vec::new(),
            source_table: prop("SourceTable").map(|s| format!("\"{}\"", s.replace('"', "\"\""))),
            assignable: prop("Assignable").is_some_and(|v| v.eq_ignore_ascii_case("true")),
            markers: markers(o.properties.as_deref().unwrap_or_default()),
            members,
        });
    }
    AppSymbols {
        info: AppInfo {
            id: sref.app_id.clone().unwrap_or_default().to_ascii_lowercase(),
            name: sref.name.clone().unwrap_or_default(),
            publisher: sref.publisher.clone().unwrap_or_default(),
            version: sref.version.clone().unwrap_or_default(),
            dependencies: Vec::new(),
        },
        origin: AppOrigin::Package,
        files: Vec::new(),
        objects,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_fields_values_and_controls() {
        let json = br#"{"AppId":"AB","Name":"Dep","Publisher":"P","Version":"1.0.0.0",
            "Tables":[{"Id":18,"Name":"Customer","Fields":[{"Id":1,"Name":"No.","TypeDefinition":{"Name":"Code"}}],
                       "Keys":[{"Name":"PK","FieldNames":["No."]}]}],
            "Namespaces":[{"Name":"Ns","EnumTypes":[{"Id":5,"Name":"Kind","Values":[{"Ordinal":1,"Name":"Big"}]}],
               "Pages":[{"Id":21,"Name":"Customer Card","Controls":[{"Name":"General","Controls":[{"Name":"Name"}]}],
                         "Actions":[{"Name":"Post"}],
                         "Properties":[{"Name":"SourceTable","Value":"Customer"}]}]}]}"#;
        let sref = SymbolReference::from_slice(json).expect("parse");
        let app = app_symbols(&sref);
        let index = al_parser::symbols::SymbolIndex::new(vec![app]);
        let t = index
            .find_object(ObjectKind::Table, "Customer")
            .expect("table");
        assert!(index.find_member(t, MemberKind::Field, "No.").is_some());
        let e = index
            .find_object(ObjectKind::Enum, "Ns.Kind")
            .expect("enum");
        assert!(index.find_member(e, MemberKind::EnumValue, "Big").is_some());
        let p = index
            .find_object(ObjectKind::Page, "Customer Card")
            .expect("page");
        assert!(index.find_member(p, MemberKind::Control, "Name").is_some());
        assert!(index.find_member(p, MemberKind::Action, "Post").is_some());
        assert_eq!(
            index.object(p).and_then(|o| o.source_table.as_deref()),
            Some("\"Customer\"")
        );
    }

    /// What `alkit symbols pack` writes for a page and an enum field resolves as the source
    /// does: the SourceTable, the controls (field controls included) and actions, and the
    /// field's enum type (from `Subtype`).
    #[test]
    fn built_symbols_carry_page_controls_source_table_and_subtypes() {
        let src = br#"table 50100 "Svc Status" { fields { field(1; Status; Enum "Svc State") { } field(2; Cust; Record Customer) { } } }
enum 50100 "Svc State" { value(0; Open) { } value(1; Rejected) { } }
page 50100 "Svc Card" { SourceTable = "Svc Status";
  layout { area(Content) { group(General) { field(StatusCtl; Rec.Status) { } } } }
  actions { area(Processing) { action(Reject) { } } } }"#;
        let parse = al_parser::parse(src);
        let mut b = crate::build::SymbolBuilder::new(crate::build::AppIdentity {
            runtime: Some((13, 0)),
            ..Default::default()
        });
        b.add_file("src/a.al", &parse);
        let sref = b.finish();
        let index = al_parser::symbols::SymbolIndex::new(vec![app_symbols(&sref)]);
        let p = index
            .find_object(ObjectKind::Page, "Svc Card")
            .expect("page");
        for control in ["Content", "General", "StatusCtl"] {
            assert!(
                index.find_member(p, MemberKind::Control, control).is_some(),
                "{control}"
            );
        }
        assert!(index.find_member(p, MemberKind::Action, "Reject").is_some());
        assert_eq!(
            index.object(p).and_then(|o| o.source_table.as_deref()),
            Some("\"Svc Status\"")
        );
        let t = index
            .find_object(ObjectKind::Table, "Svc Status")
            .expect("table");
        let status = index
            .find_member(t, MemberKind::Field, "Status")
            .and_then(|m| index.member(m))
            .expect("field");
        assert_eq!(status.type_name.as_deref(), Some("Enum \"Svc State\""));
    }

    /// The obsoletion and move properties written by the symbol builder are read back as
    /// markers (objects, fields, enum values), and so are the compiler's method
    /// `[Obsolete]` attributes.
    #[test]
    fn obsolete_and_move_markers_round_trip() {
        let src = br#"table 50100 Tier { ObsoleteState = Moved; ObsoleteReason = 'It''s moved.'; ObsoleteTag = '24.0'; MovedTo = 'd0d0d0d0-0000-0000-0000-000000000001';
  fields { field(1; Code; Code[10]) { ObsoleteState = Pending; ObsoleteTag = '23.0'; } field(2; Name; Text[50]) { } } }
enum 50101 Kind { value(0; Old) { ObsoleteState = Pending; ObsoleteTag = '22.0'; } value(1; New) { } }
page 50102 Card { SourceTable = Tier; ObsoleteState = Pending; }"#;
        let parse = al_parser::parse(src);
        let mut b = crate::build::SymbolBuilder::new(crate::build::AppIdentity {
            runtime: Some((13, 0)),
            ..Default::default()
        });
        b.add_file("src/a.al", &parse);
        let app = app_symbols(&b.finish());
        let t = app.objects.iter().find(|o| o.name == "Tier").expect("Tier");
        let m = t.markers.as_deref().expect("table markers");
        assert!(m.state_is("Moved"));
        assert_eq!(m.obsolete_reason.as_deref(), Some("It's moved."));
        assert_eq!(m.obsolete_tag.as_deref(), Some("24.0"));
        assert_eq!(
            m.moved_to.as_deref(),
            Some("d0d0d0d0-0000-0000-0000-000000000001")
        );
        let code = t.members.iter().find(|f| f.name == "Code").expect("Code");
        assert_eq!(
            code.markers
                .as_deref()
                .and_then(|m| m.obsolete_tag.as_deref()),
            Some("23.0")
        );
        assert!(
            t.members
                .iter()
                .find(|f| f.name == "Name")
                .is_some_and(|f| f.markers.is_none())
        );
        let by_name = |n: &str| app.objects.iter().find(|o| o.name == n).expect("object");
        let old = by_name("Kind")
            .members
            .iter()
            .find(|v| v.name == "Old")
            .expect("Old");
        assert!(
            old.markers
                .as_deref()
                .is_some_and(|m| m.state_is("Pending"))
        );
        let page = by_name("Card");
        assert_eq!(page.source_table.as_deref(), Some("\"Tier\""));
        assert!(
            page.markers
                .as_deref()
                .is_some_and(|m| m.state_is("Pending"))
        );
        // A compiler-made method attribute.
        let json = br#"{"AppId":"a","Name":"D","Publisher":"P","Version":"1.0.0.0","Codeunits":[{"Id":1,"Name":"C",
            "Methods":[{"Name":"Old","Attributes":[{"Name":"Obsolete","Arguments":[{"Value":"Use New."},{"Value":"21.0"}]}]},{"Name":"New"}]}]}"#;
        let app = app_symbols(&SymbolReference::from_slice(json).expect("parse"));
        let old = &app.objects[0].members[0];
        let m = old.markers.as_deref().expect("attribute markers");
        assert!(m.state_is("Pending"));
        assert_eq!(
            (m.obsolete_reason.as_deref(), m.obsolete_tag.as_deref()),
            (Some("Use New."), Some("21.0"))
        );
        assert!(app.objects[0].members[1].markers.is_none());
    }
}
