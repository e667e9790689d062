//! `SymbolReference.json` from parsed AL source (app-format.md §4).
//!
//! What is generated, per object: `Id` (0 for kinds without ids), `Name`,
//! `ReferenceSourceFileName` (project-relative, `/`-separated, percent-escaped as the compiler
//! writes it: `System%20Tables/…`), `TargetObject`
//! (extensions and page customizations); table/table-extension `Fields` (`Id`, `Name`,
//! `TypeDefinition`) and `Keys` (`Name`, `FieldNames`); enum/enum-extension `Values`
//! (`Ordinal`, `Name`); `Methods` for every non-`local` procedure and every event publisher
//! (`Name`, `Parameters` with `IsVar` when `var`, `TypeDefinition` — `Option` with
//! `OptionMembers`, `List`/`Dictionary` with `TypeArguments` — `ReturnTypeDefinition`, `None`
//! when there is none for runtime < 11; `IsInternal` / `IsProtected` when so declared); key
//! `FieldNames` take the declared spelling of the table's fields. Top level: `RuntimeVersion` (when the runtime is known),
//! every object array (empty ones too), `InternalsVisibleToModules`, `AppId`, `Name`,
//! `Publisher`, `Version`. For runtime ≥ 12, objects of a file with `namespace A.B;` go under
//! the `Namespaces` tree (`A` → `B`), in first-seen order. Pages: `Properties` with
//! `SourceTable` (the table name); pages and page extensions: `Controls` and `Actions` by
//! `Name` only, flat (what dependents' `modify(...)` and `Rec."Field"` resolve against).
//! Objects, fields and enum values: `Properties` with the `ObsoleteState`, `ObsoleteReason`,
//! `ObsoleteTag`, `MovedFrom` and `MovedTo` set in the source (values unquoted), what
//! dependents' AppSourceCop rules read (AS0105, AS0119–AS0122).
//!
//! **Gaps** (documented, not guessed): method `Id`s are omitted — the compiler's member-id hash
//! is not identified (app-format.md §4.2); no other `Properties`, no `Variables`, `Attributes`
//! (a procedure's `[Obsolete]` is not written),
//! `MethodKind`; controls and actions are not nested and carry no `Kind` or properties; no
//! report/query columns, `FieldGroups`, field option members, array dimensions;
//! `TypeDefinition.Subtype` carries only `Name` (no `Id`).
//! Types are normalised by token (canonical case for built-in type names, `Code[20]`), not
//! resolved.

use al_parser::ast::{MemberKind, Object, ObjectKind, significant_tokens, unquote};
use al_parser::{Parse, SyntaxKind, SyntaxNode, SyntaxToken};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::symbols::{
    ObjectArrays, SymbolEnumValue, SymbolField, SymbolKey, SymbolMethod, SymbolNamespace,
    SymbolObject, SymbolObjectType, SymbolParameter, SymbolReference, TypeDefinition,
};

/// Identity written at the top level of the symbol file (must match the manifest).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AppIdentity {
    /// App id.
    pub app_id: Uuid,
    /// App name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Four-part version text.
    pub version: String,
    /// Runtime `(major, minor)`, `None` when app.json has none.
    pub runtime: Option<(u32, u32)>,
    /// `internalsVisibleTo` modules as `(id, name, publisher)`.
    pub internals_visible_to: Vec<(Uuid, String, String)>,
    /// Write the symbol layout of the BC 11 (NAV 2018) compiler, which predates `runtime`: type
    /// names as `"Type"` text instead of `TypeDefinition`, `"ReturnType"` text, no
    /// `ReferenceSourceFileName`, no `AppId`/`Publisher`/`Version`/`InternalsVisibleToModules`
    /// at the top (measured on
    /// Microsoft's System 11 and Get Address Service 1.0 packages).
    pub legacy_format: bool,
}

impl AppIdentity {
    /// The identity of an app.json. Without `runtime`, the newest of `platform` and
    /// `application` decides the layout, as the compiler that builds the app would: BC 13
    /// or later (AL-Go's template: `"platform": "1.0.0.0"`, `"application": "24.0.0.0"`) →
    /// runtime `major - 11`; BC 11 or earlier → the legacy layout.
    pub fn from_manifest(m: &al_manifest::AppManifest) -> Self {
        let newest = [m.platform, m.application]
            .into_iter()
            .flatten()
            .map(|v| (v.major, v.minor))
            .max();
        let runtime = match (m.runtime, newest) {
            (Some(r), _) => Some((r.major, r.minor)),
            (None, Some((major, minor))) if major >= 13 => Some((major - 11, minor)),
            _ => None,
        };
        Self {
            app_id: m.id,
            name: m.name.clone(),
            publisher: m.publisher.clone(),
            version: m.version.to_string(),
            runtime,
            internals_visible_to: m
                .internals_visible_to
                .iter()
                .map(|i| (i.id, i.name.clone(), i.publisher.clone()))
                .collect(),
            legacy_format: m.runtime.is_none()
                && m.platform.is_some()
                && newest.is_some_and(|(major, _)| major <= 11),
        }
    }
}

/// The BC 11 form of an object: types as text, no source file name.
fn to_legacy(sym: &mut SymbolObject) {
    sym.reference_source_file_name = None;
    for f in sym.fields.iter_mut().flatten() {
        if let Some(td) = f.type_definition.take() {
            f.type_text = Some(td.name);
        }
    }
    for m in sym.methods.iter_mut().flatten() {
        for p in m.parameters.iter_mut().flatten() {
            if let Some(td) = p.type_definition.take() {
                p.extra.insert("Type".into(), Value::String(td.name));
                if let Some(sub) = td.extra.get("Subtype") {
                    p.extra.insert("Subtype".into(), sub.clone());
                }
            }
        }
        let ret = m
            .return_type_definition
            .take()
            .map_or_else(|| "None".to_owned(), |t| t.name);
        m.extra.insert("ReturnType".into(), Value::String(ret));
    }
}

/// The symbol-file array of an object kind (`None` for `entitlement`, which has none).
pub fn symbol_type(kind: ObjectKind) -> Option<SymbolObjectType> {
    use SymbolObjectType as T;
    Some(match kind {
        ObjectKind::Table => T::Table,
        ObjectKind::TableExtension => T::TableExtension,
        ObjectKind::Page => T::Page,
        ObjectKind::PageExtension => T::PageExtension,
        ObjectKind::PageCustomization => T::PageCustomization,
        ObjectKind::Codeunit => T::Codeunit,
        ObjectKind::Report => T::Report,
        ObjectKind::ReportExtension => T::ReportExtension,
        ObjectKind::XmlPort => T::XmlPort,
        ObjectKind::Query => T::Query,
        ObjectKind::Enum => T::EnumType,
        ObjectKind::EnumExtension => T::EnumExtensionType,
        ObjectKind::Interface => T::Interface,
        ObjectKind::PermissionSet => T::PermissionSet,
        ObjectKind::PermissionSetExtension => T::PermissionSetExtension,
        ObjectKind::Profile => T::Profile,
        ObjectKind::ProfileExtension => T::ProfileExtension,
        ObjectKind::ControlAddIn => T::ControlAddIn,
        ObjectKind::DotNet => T::DotNetPackage,
        ObjectKind::Entitlement => return None,
    })
}

fn array_mut(a: &mut ObjectArrays, ty: SymbolObjectType) -> &mut Option<Vec<SymbolObject>> {
    use SymbolObjectType as T;
    match ty {
        T::Table => &mut a.tables,
        T::Codeunit => &mut a.codeunits,
        T::Page => &mut a.pages,
        T::PageExtension => &mut a.page_extensions,
        T::PageCustomization => &mut a.page_customizations,
        T::TableExtension => &mut a.table_extensions,
        T::Report => &mut a.reports,
        T::XmlPort => &mut a.xml_ports,
        T::Query => &mut a.queries,
        T::Profile => &mut a.profiles,
        T::ProfileExtension => &mut a.profile_extensions,
        T::ControlAddIn => &mut a.control_add_ins,
        T::EnumType => &mut a.enum_types,
        T::EnumExtensionType => &mut a.enum_extension_types,
        T::DotNetPackage => &mut a.dot_net_packages,
        T::Interface => &mut a.interfaces,
        T::PermissionSet => &mut a.permission_sets,
        T::PermissionSetExtension => &mut a.permission_set_extensions,
        T::ReportExtension => &mut a.report_extensions,
    }
}

/// Type keywords whose next words name an object (`Record Customer` → Subtype `Customer`).
const SUBTYPED: &[&str] = &[
    "Record",
    "Enum",
    "Codeunit",
    "Page",
    "Report",
    "Query",
    "XmlPort",
    "Interface",
    "TestPage",
    "TestRequestPage",
    "ControlAddIn",
    "DotNet",
];

/// Built-in type names in the compiler's spelling (first token of a type is re-cased).
const BUILTIN: &[&str] = &[
    "BigInteger",
    "BigText",
    "Blob",
    "Boolean",
    "Byte",
    "Char",
    "Code",
    "Date",
    "DateFormula",
    "DateTime",
    "Decimal",
    "Dialog",
    "Dictionary",
    "Duration",
    "ErrorInfo",
    "FieldRef",
    "File",
    "FilterPageBuilder",
    "Guid",
    "HttpClient",
    "HttpContent",
    "HttpHeaders",
    "HttpRequestMessage",
    "HttpResponseMessage",
    "InStream",
    "Integer",
    "JsonArray",
    "JsonObject",
    "JsonToken",
    "JsonValue",
    "KeyRef",
    "Label",
    "List",
    "Media",
    "MediaSet",
    "ModuleInfo",
    "Notification",
    "Option",
    "OutStream",
    "RecordId",
    "RecordRef",
    "SecretText",
    "SessionSettings",
    "Text",
    "TextBuilder",
    "TextConst",
    "Time",
    "Variant",
    "Version",
    "XmlDocument",
    "XmlElement",
    "XmlNode",
];

fn canonical(word: &str) -> Option<&'static str> {
    SUBTYPED
        .iter()
        .chain(BUILTIN)
        .find(|w| w.eq_ignore_ascii_case(word))
        .copied()
}

fn is_wordish(k: SyntaxKind) -> bool {
    k.is_word() || matches!(k, SyntaxKind::Int | SyntaxKind::StringLit)
}

/// Renders type tokens: words separated by one space, punctuation tight (`Code[20]`,
/// `List of [Text]`, `Dictionary of [Code[20], Decimal]`).
fn render(tokens: &[SyntaxToken<'_>]) -> String {
    let mut out = String::new();
    let mut prev: Option<SyntaxKind> = None;
    for (i, t) in tokens.iter().enumerate() {
        let k = t.kind();
        let text = t.text_lossy();
        let space = match (prev, k) {
            (None, _) => false,
            (Some(p), _) if is_wordish(p) && is_wordish(k) => true,
            (Some(_), SyntaxKind::LBracket) => out.ends_with(" of") || out.ends_with(" Of"),
            (Some(SyntaxKind::Comma), _) => true,
            (Some(SyntaxKind::RBracket), k) if is_wordish(k) => true,
            _ => false,
        };
        if space {
            out.push(' ');
        }
        if i == 0 {
            match canonical(&text) {
                Some(c) => out.push_str(c),
                None => out.push_str(&text),
            }
        } else if k == SyntaxKind::QuotedIdent {
            out.push_str(&unquote(t.text()));
        } else {
            out.push_str(&text);
        }
        prev = Some(k);
    }
    out
}

/// A `TypeDefinition` for the tokens of a type as written.
fn type_definition(tokens: &[SyntaxToken<'_>]) -> TypeDefinition {
    let mut extra = Map::new();
    let first = tokens.first().map(|t| t.text_lossy().into_owned());
    if let Some(kw) = first.as_deref().and_then(canonical)
        && SUBTYPED.contains(&kw)
        && tokens.len() >= 2
    {
        let mut rest: Vec<SyntaxToken<'_>> = tokens.get(1..).unwrap_or_default().to_vec();
        if rest
            .last()
            .is_some_and(|t| t.text().eq_ignore_ascii_case(b"temporary"))
        {
            rest.pop();
            extra.insert("Temporary".into(), Value::Bool(true));
        }
        let mut sub = String::new();
        for t in &rest {
            if t.kind() == SyntaxKind::Dot {
                sub.push('.');
            } else {
                sub.push_str(&unquote(t.text()));
            }
        }
        if !sub.is_empty() {
            extra.insert("Subtype".into(), json!({ "Name": sub }));
        }
        return TypeDefinition {
            name: kw.to_owned(),
            extra,
        };
    }
    match first.as_deref().and_then(canonical) {
        // `Option A,B` → `Option` with `OptionMembers` (the compiler's form).
        Some("Option") if tokens.len() >= 2 => {
            let members: Vec<Value> = tokens
                .get(1..)
                .unwrap_or_default()
                .split(|t| t.kind() == SyntaxKind::Comma)
                .map(|g| Value::String(word_value(g)))
                .collect();
            extra.insert("OptionMembers".into(), Value::Array(members));
            return TypeDefinition {
                name: "Option".to_owned(),
                extra,
            };
        }
        // `List of [T]`, `Dictionary of [K, V]` → the head with `TypeArguments`.
        Some(head @ ("List" | "Dictionary")) => {
            if let Some(args) = type_arguments(tokens) {
                extra.insert("TypeArguments".into(), Value::Array(args));
                return TypeDefinition {
                    name: head.to_owned(),
                    extra,
                };
            }
        }
        _ => {}
    }
    TypeDefinition {
        name: render(tokens),
        extra,
    }
}

/// The type arguments of `X of [A, B]` (split at top-level commas), as `TypeDefinition` values.
fn type_arguments(tokens: &[SyntaxToken<'_>]) -> Option<Vec<Value>> {
    let open = tokens
        .iter()
        .position(|t| t.kind() == SyntaxKind::LBracket)?;
    let close = tokens
        .iter()
        .rposition(|t| t.kind() == SyntaxKind::RBracket)?;
    let inner = tokens.get(open + 1..close)?;
    let mut args = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, t) in inner.iter().enumerate() {
        match t.kind() {
            SyntaxKind::LBracket => depth += 1,
            SyntaxKind::RBracket => depth -= 1,
            SyntaxKind::Comma if depth == 0 => {
                args.push(inner.get(start..i).unwrap_or_default());
                start = i + 1;
            }
            _ => {}
        }
    }
    args.push(inner.get(start..).unwrap_or_default());
    args.iter()
        .filter(|a| !a.is_empty())
        .map(|a| serde_json::to_value(type_definition(a)).ok())
        .collect()
}

/// Significant tokens of an object, with lookup by byte range.
struct Tokens<'p>(Vec<SyntaxToken<'p>>);

impl<'p> Tokens<'p> {
    fn of(n: SyntaxNode<'p>) -> Self {
        Self(significant_tokens(n).collect())
    }

    fn within(&self, r: &std::ops::Range<u32>) -> &[SyntaxToken<'p>] {
        let start = self.0.partition_point(|t| t.span().start < r.start);
        let end = self.0.partition_point(|t| t.span().end <= r.end);
        self.0.get(start..end.max(start)).unwrap_or_default()
    }
}

/// The obsoletion and move properties written to the symbols (as the compiler lists them
/// under `Properties`): what dependents' analyzers read (AS0105 obsolete tags, AS0119–AS0122
/// moved symbols).
const MARKER_PROPERTIES: [&str; 5] = [
    "ObsoleteState",
    "ObsoleteReason",
    "ObsoleteTag",
    "MovedFrom",
    "MovedTo",
];

/// The [`MARKER_PROPERTIES`] set directly in `body`, in source order, with their canonical
/// names and unquoted values.
fn marker_properties(body: Option<SyntaxNode<'_>>) -> Vec<crate::SymbolProperty> {
    let Some(body) = body else {
        return Vec::new();
    };
    body.children()
        .filter(|c| c.kind() == SyntaxKind::Property)
        .filter_map(|p| {
            let name = p.first_token()?;
            let canonical = MARKER_PROPERTIES
                .iter()
                .find(|m| name.text().eq_ignore_ascii_case(m.as_bytes()))?;
            let toks: Vec<_> = significant_tokens(p.child(SyntaxKind::PropertyValue)?).collect();
            let value = match toks.as_slice() {
                [t] if t.kind() == SyntaxKind::StringLit => {
                    let s = t.text_lossy();
                    let inner = s
                        .strip_prefix('\'')
                        .and_then(|x| x.strip_suffix('\''))
                        .unwrap_or(&s);
                    inner.replace("''", "'")
                }
                _ => word_value(&toks),
            };
            Some(crate::SymbolProperty {
                name: (*canonical).to_string(),
                value: Some(Value::String(value)),
                extra: Map::new(),
            })
        })
        .collect()
}

/// The [`marker_properties`] of every element below `body` (fields, values, …), by the
/// element's start offset (the start of its `ast::Member` span); elements without any are
/// left out.
fn elements_markers(
    body: SyntaxNode<'_>,
    out: &mut std::collections::HashMap<u32, Vec<crate::SymbolProperty>>,
) {
    let mut stack = vec![body];
    while let Some(b) = stack.pop() {
        for c in b.children() {
            if !matches!(c.kind(), SyntaxKind::Element | SyntaxKind::Section) {
                continue;
            }
            let Some(inner) = c.child(SyntaxKind::Body) else {
                continue;
            };
            if c.kind() == SyntaxKind::Element {
                let props = marker_properties(Some(inner));
                if !props.is_empty() {
                    out.insert(c.span().start, props);
                }
            }
            stack.push(inner);
        }
    }
}

fn word_value(tokens: &[SyntaxToken<'_>]) -> String {
    let mut s = String::new();
    for t in tokens {
        if t.kind() == SyntaxKind::Dot {
            s.push('.');
        } else {
            s.push_str(&unquote(t.text()));
        }
    }
    s
}

fn method(proc_node: SyntaxNode<'_>) -> Option<SymbolMethod> {
    let name_tok = proc_node.child(SyntaxKind::Name)?.first_token()?;
    let mut internal = false;
    let mut protected = false;
    // Event publishers are in the symbols even when `local` (the compiler lists them);
    // an `[InternalEvent]` is internal (subscribers need internalsVisibleTo).
    let attributes: Vec<String> = proc_node
        .children()
        .filter(|c| c.kind() == SyntaxKind::Attribute)
        .filter_map(|a| significant_tokens(a).find(|t| t.kind().is_word()))
        .map(|t| t.text_lossy().to_ascii_lowercase())
        .collect();
    let has = |a: &str| attributes.iter().any(|w| w == a);
    let publisher = has("integrationevent") || has("businessevent") || has("internalevent");
    if has("internalevent") {
        internal = true;
    }
    for t in proc_node.child_tokens() {
        match t.kind() {
            SyntaxKind::KwLocal if !publisher => return None,
            SyntaxKind::KwInternal => internal = true,
            SyntaxKind::KwProtected => protected = true,
            SyntaxKind::KwProcedure => break,
            _ => {}
        }
    }
    let mut parameters = Vec::new();
    if let Some(pl) = proc_node.child(SyntaxKind::ParamList) {
        for p in pl.children().filter(|c| c.kind() == SyntaxKind::Param) {
            let by_ref = p.child_tokens().any(|t| t.kind() == SyntaxKind::KwVar);
            let ty = p.child(SyntaxKind::TypeRef).map(|t| {
                let toks: Vec<_> = significant_tokens(t).collect();
                type_definition(&toks)
            });
            for nm in p.children().filter(|c| c.kind() == SyntaxKind::Name) {
                if let Some(t) = nm.first_token() {
                    parameters.push(SymbolParameter {
                        name: unquote(t.text()),
                        is_var: by_ref.then_some(true),
                        type_definition: ty.clone(),
                        extra: Map::new(),
                    });
                }
            }
        }
    }
    let return_type = proc_node
        .child(SyntaxKind::ReturnType)
        .and_then(|r| r.child(SyntaxKind::TypeRef))
        .map(|t| {
            let toks: Vec<_> = significant_tokens(t).collect();
            type_definition(&toks)
        });
    let mut extra = Map::new();
    if internal {
        extra.insert("IsInternal".into(), Value::Bool(true));
    }
    if protected {
        extra.insert("IsProtected".into(), Value::Bool(true));
    }
    Some(SymbolMethod {
        name: unquote(name_tok.text()),
        parameters: Some(parameters),
        return_type_definition: return_type,
        extra,
    })
}

/// The symbol-file object for one declaration (`None` for entitlements and nameless
/// declarations).
pub fn object_symbol(obj: Object<'_>, path: &str) -> Option<(SymbolObjectType, SymbolObject)> {
    let kind = obj.kind()?;
    let ty = symbol_type(kind)?;
    let name = obj.name()?.value;
    let id = if kind.has_id() {
        obj.id().and_then(|i| i.value).map_or(0, i64::from)
    } else {
        0
    };
    let target = match kind {
        ObjectKind::TableExtension
        | ObjectKind::PageExtension
        | ObjectKind::EnumExtension
        | ObjectKind::ReportExtension
        | ObjectKind::PermissionSetExtension
        | ObjectKind::ProfileExtension => obj.extends().into_iter().next().map(|e| e.0),
        ObjectKind::PageCustomization => obj.customizes().map(|c| c.0),
        _ => None,
    };
    let tokens = Tokens::of(obj.syntax());
    let members = obj.members();
    let mut fields = Vec::new();
    let mut keys = Vec::new();
    let mut values = Vec::new();
    let is_table = matches!(kind, ObjectKind::Table | ObjectKind::TableExtension);
    let is_enum = matches!(kind, ObjectKind::Enum | ObjectKind::EnumExtension);
    let mut element_markers = std::collections::HashMap::new();
    if let Some(body) = obj.body() {
        elements_markers(body, &mut element_markers);
    }
    for m in &members {
        match m.kind {
            MemberKind::Field if is_table => {
                let (Some(fid), Some(fname)) = (m.id.as_ref().and_then(|i| i.value), &m.name)
                else {
                    continue;
                };
                let ty = m.args.get(2).map(|r| type_definition(tokens.within(r)));
                let props = element_markers.remove(&m.span.start).unwrap_or_default();
                fields.push(SymbolField {
                    id: i64::from(fid),
                    name: fname.value.clone(),
                    type_definition: ty,
                    type_text: None,
                    properties: (!props.is_empty()).then_some(props),
                    extra: Map::new(),
                });
            }
            MemberKind::Key if is_table => {
                let Some(kname) = &m.name else { continue };
                let mut names = Vec::new();
                for r in m.args.get(1..).unwrap_or_default() {
                    for group in tokens.within(r).split(|t| t.kind() == SyntaxKind::Comma) {
                        if !group.is_empty() {
                            names.push(word_value(group));
                        }
                    }
                }
                keys.push(SymbolKey {
                    name: kname.value.clone(),
                    field_names: Some(names),
                    extra: Map::new(),
                });
            }
            MemberKind::EnumValue if is_enum => {
                let (Some(ord), Some(vname)) = (m.id.as_ref().and_then(|i| i.value), &m.name)
                else {
                    continue;
                };
                let mut extra = Map::new();
                let props = element_markers.remove(&m.span.start).unwrap_or_default();
                if !props.is_empty() {
                    extra.insert(
                        "Properties".into(),
                        serde_json::to_value(props).unwrap_or(Value::Null),
                    );
                }
                values.push(SymbolEnumValue {
                    ordinal: i64::from(ord),
                    name: vname.value.clone(),
                    extra,
                });
            }
            _ => {}
        }
    }
    // Key fields take the declared spelling of the field (`"Query Id"` → `Query ID`).
    for k in &mut keys {
        for n in k.field_names.iter_mut().flatten() {
            if let Some(f) = fields.iter().find(|f| f.name.eq_ignore_ascii_case(n)) {
                n.clone_from(&f.name);
            }
        }
    }
    let methods: Vec<SymbolMethod> = obj
        .body()
        .map(|b| {
            b.children()
                .filter(|c| c.kind() == SyntaxKind::Procedure)
                .filter_map(method)
                .collect()
        })
        .unwrap_or_default();
    let nonempty = |v: bool| v.then_some(());
    let is_page = matches!(kind, ObjectKind::Page | ObjectKind::PageExtension);
    // A page's SourceTable (the table name, without namespace), as the compiler lists it
    // under Properties: dependents resolve `Rec."Field"` in page extensions through it.
    let source_table = (kind == ObjectKind::Page)
        .then(|| {
            obj.properties()
                .into_iter()
                .find(|p| p.name_bytes().eq_ignore_ascii_case(b"SourceTable"))
                .and_then(|p| p.value())
        })
        .flatten()
        .map(|v| {
            let tokens = Tokens::of(v);
            let last = tokens
                .0
                .rsplit(|t| t.kind() == SyntaxKind::Dot)
                .next()
                .unwrap_or_default();
            vec![crate::SymbolProperty {
                name: "SourceTable".into(),
                value: Some(serde_json::Value::String(word_value(last))),
                extra: Map::new(),
            }]
        });
    let mut properties = source_table.unwrap_or_default();
    properties.extend(marker_properties(obj.body()));
    let properties = (!properties.is_empty()).then_some(properties);
    // Page controls and actions by name, flat (the compiler nests them and adds their kind
    // and properties): what `modify(...)` in dependents' page extensions resolves against.
    let mut extra = Map::new();
    if is_page {
        for (key, member_kind) in [
            ("Controls", MemberKind::Control),
            ("Actions", MemberKind::Action),
        ] {
            // A page's `field(Name; Source)` is a control (as the source index reads it).
            let named: Vec<serde_json::Value> = members
                .iter()
                .filter(|m| {
                    m.kind == member_kind
                        || (member_kind == MemberKind::Control && m.kind == MemberKind::Field)
                })
                .filter_map(|m| m.name.as_ref())
                .map(|n| serde_json::json!({ "Name": n.value }))
                .collect();
            if !named.is_empty() {
                extra.insert(key.into(), serde_json::Value::Array(named));
            }
        }
    }
    Some((
        ty,
        SymbolObject {
            id,
            name,
            reference_source_file_name: Some(path.to_owned()),
            target_object: target,
            fields: nonempty(is_table).map(|()| fields),
            keys: nonempty(is_table && !keys.is_empty()).map(|()| keys),
            values: nonempty(is_enum).map(|()| values),
            methods: nonempty(!methods.is_empty()).map(|()| methods),
            properties,
            extra,
        },
    ))
}

/// The symbols of one source file: [`SymbolBuilder::file_symbols`].
#[derive(Debug, Clone)]
pub struct FileSymbols {
    /// The file's namespace, when the symbol layout has namespaces.
    namespace: Option<String>,
    /// Its objects, in declaration order.
    objects: Vec<(SymbolObjectType, SymbolObject)>,
}

/// Accumulates objects file by file and produces the [`SymbolReference`].
///
/// ```
/// use runtime_pack::build::{AppIdentity, SymbolBuilder};
/// let src = b"namespace Contoso.Sales;\ntable 50100 \"My T\" { fields { field(1; \"No.\"; code[20]) { } } keys { key(PK; \"No.\") { } } }";
/// let parse = al_parser::parse(src);
/// let mut b = SymbolBuilder::new(AppIdentity { runtime: Some((13, 0)), ..Default::default() });
/// b.add_file("src/MyT.Table.al", &parse);
/// let symbols = b.finish();
/// let all = symbols.objects();
/// assert_eq!(all[0].namespace.as_deref(), Some("Contoso.Sales"));
/// let t = all[0].object;
/// assert_eq!(t.fields.as_ref().unwrap()[0].type_definition.as_ref().unwrap().name, "Code[20]");
/// assert_eq!(t.keys.as_ref().unwrap()[0].field_names.as_deref(), Some(&["No.".to_string()][..]));
/// ```
#[derive(Debug, Clone)]
pub struct SymbolBuilder {
    identity: AppIdentity,
    top: ObjectArrays,
    namespaces: Vec<SymbolNamespace>,
}

fn empty_arrays() -> ObjectArrays {
    let mut a = ObjectArrays::default();
    for ty in SymbolObjectType::ALL {
        *array_mut(&mut a, ty) = Some(Vec::new());
    }
    a
}

fn node_mut<'a>(nodes: &'a mut Vec<SymbolNamespace>, name: &str) -> &'a mut SymbolNamespace {
    let pos = match nodes.iter().position(|n| n.name == name) {
        Some(p) => p,
        None => {
            nodes.push(SymbolNamespace {
                name: name.to_owned(),
                namespaces: None,
                objects: ObjectArrays::default(),
                extra: Map::new(),
            });
            nodes.len() - 1
        }
    };
    &mut nodes[pos]
}

impl SymbolBuilder {
    /// A builder for this app.
    pub fn new(identity: AppIdentity) -> Self {
        Self {
            identity,
            top: empty_arrays(),
            namespaces: Vec::new(),
        }
    }

    fn uses_namespaces(&self) -> bool {
        self.identity.runtime.is_some_and(|(major, _)| major >= 12)
    }

    /// Adds the objects of one file; `path` is its project-relative path with `/` separators.
    pub fn add_file(&mut self, path: &str, parse: &Parse) {
        let file = self.file_symbols(path, parse);
        self.add(file);
    }

    /// The symbols of one file, made without touching the builder (so files can be
    /// processed in parallel and their trees dropped at once); [`SymbolBuilder::add`] them
    /// in file order for the same result as [`SymbolBuilder::add_file`].
    pub fn file_symbols(&self, path: &str, parse: &Parse) -> FileSymbols {
        let file = parse.source_file();
        let namespace = file
            .namespace()
            .map(|n| n.0)
            .filter(|n| !n.is_empty() && self.uses_namespaces());
        let mut objects = Vec::new();
        for obj in file.objects() {
            let Some((ty, mut sym)) = object_symbol(obj, path) else {
                continue;
            };
            // The compiler writes the path percent-escaped (`System%20Tables/…`).
            sym.reference_source_file_name = Some(crate::escape::escape_uri(path));
            // Older compilers (runtime < 11) write `None` for procedures without a return type.
            if self.identity.runtime.is_some_and(|(major, _)| major < 11) {
                for m in sym.methods.iter_mut().flatten() {
                    m.return_type_definition
                        .get_or_insert_with(|| TypeDefinition {
                            name: "None".to_owned(),
                            extra: Map::new(),
                        });
                }
            }
            if self.identity.legacy_format {
                to_legacy(&mut sym);
            }
            objects.push((ty, sym));
        }
        FileSymbols { namespace, objects }
    }

    /// Adds the symbols of one file (see [`SymbolBuilder::file_symbols`]).
    pub fn add(&mut self, file: FileSymbols) {
        let FileSymbols { namespace, objects } = file;
        for (ty, sym) in objects {
            let arrays = match &namespace {
                Some(ns) => {
                    let mut segs = ns.split('.');
                    let first = segs.next().unwrap_or_default();
                    let mut node = node_mut(&mut self.namespaces, first);
                    for seg in segs {
                        node = node_mut(node.namespaces.get_or_insert_with(Vec::new), seg);
                    }
                    &mut node.objects
                }
                None => &mut self.top,
            };
            array_mut(arrays, ty).get_or_insert_with(Vec::new).push(sym);
        }
    }

    /// The symbol file.
    pub fn finish(self) -> SymbolReference {
        let id = &self.identity;
        let mut extra = Map::new();
        if !id.legacy_format {
            extra.insert(
            "InternalsVisibleToModules".into(),
            Value::Array(
                id.internals_visible_to
                    .iter()
                    .map(|(i, n, p)| json!({ "AppId": i.to_string(), "Name": n, "Publisher": p }))
                    .collect(),
            ),
        );
        }
        SymbolReference {
            runtime_version: id.runtime.map(|(a, b)| format!("{a}.{b}")),
            namespaces: (!self.namespaces.is_empty()).then_some(self.namespaces),
            objects: self.top,
            app_id: (!id.legacy_format).then(|| id.app_id.to_string()),
            name: Some(id.name.clone()),
            publisher: (!id.legacy_format).then(|| id.publisher.clone()),
            version: (!id.legacy_format).then(|| id.version.clone()),
            extra,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    fn build(runtime: Option<(u32, u32)>, files: &[(&str, &str)]) -> SymbolReference {
        build_with(
            AppIdentity {
                app_id: Uuid::nil(),
                name: "App".into(),
                publisher: "Pub".into(),
                version: "1.0.0.0".into(),
                runtime,
                internals_visible_to: Vec::new(),
                legacy_format: false,
            },
            files,
        )
    }

    fn build_with(identity: AppIdentity, files: &[(&str, &str)]) -> SymbolReference {
        let mut b = SymbolBuilder::new(identity);
        for (path, src) in files {
            let p = al_parser::parse(src.as_bytes());
            assert!(!p.has_errors(), "{path}: {:?}", p.diagnostics());
            b.add_file(path, &p);
        }
        b.finish()
    }

    const TABLE: &str = r#"table 50100 "Loyalty Tier"
{
    fields
    {
        field(1; Code; code[20]) { }
        field(2; "Customer No."; Code[20]) { TableRelation = Customer; }
        field(3; Level; Enum "Loyalty Level") { }
        field(4; Amount; Decimal) { }
    }
    keys
    {
        key(PK; Code) { Clustered = true; }
        key(ByCust; "Customer No.", Level) { }
    }
    procedure Points(var Cust: Record Customer temporary; Factor: Decimal): Integer
    begin
    end;
    local procedure Hidden() begin end;
    internal procedure Inner(a: Text[50]; b: Text[50]) begin end;
}
"#;

    #[test]
    fn table_fields_keys_methods() {
        let s = build(None, &[("src/T.Table.al", TABLE)]);
        let json = String::from_utf8(s.to_vec().unwrap()).unwrap();
        assert!(json.starts_with('\u{FEFF}'));
        let t = &s.objects.tables.as_ref().unwrap()[0];
        assert_eq!((t.id, t.name.as_str()), (50100, "Loyalty Tier"));
        assert_eq!(
            t.reference_source_file_name.as_deref(),
            Some("src/T.Table.al")
        );
        let f = t.fields.as_ref().unwrap();
        let names: Vec<_> = f
            .iter()
            .map(|f| {
                (
                    f.id,
                    f.name.as_str(),
                    f.type_definition.as_ref().unwrap().name.as_str(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                (1, "Code", "Code[20]"),
                (2, "Customer No.", "Code[20]"),
                (3, "Level", "Enum"),
                (4, "Amount", "Decimal")
            ]
        );
        assert_eq!(
            f[2].type_definition.as_ref().unwrap().extra["Subtype"],
            json!({"Name": "Loyalty Level"})
        );
        let k = t.keys.as_ref().unwrap();
        assert_eq!(
            k[1].field_names.as_ref().unwrap(),
            &["Customer No.", "Level"]
        );
        let m = t.methods.as_ref().unwrap();
        assert_eq!(m.len(), 2, "local procedure omitted");
        assert_eq!(m[0].name, "Points");
        let p = m[0].parameters.as_ref().unwrap();
        assert_eq!(p[0].is_var, Some(true));
        let td = p[0].type_definition.as_ref().unwrap();
        assert_eq!(td.name, "Record");
        assert_eq!(td.extra["Subtype"], json!({"Name": "Customer"}));
        assert_eq!(td.extra["Temporary"], json!(true));
        assert_eq!(p[1].is_var, None);
        assert_eq!(
            m[0].return_type_definition.as_ref().unwrap().name,
            "Integer"
        );
        assert!(
            !m[0].extra.contains_key("Id"),
            "method ids are not generated"
        );
        assert_eq!(m[1].extra["IsInternal"], json!(true));
        let p = m[1].parameters.as_ref().unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[1].type_definition.as_ref().unwrap().name, "Text[50]");
        // Every array present in pre-namespace style.
        assert!(json.contains("\"ReportExtensions\":[]"));
        assert!(json.contains("\"InternalsVisibleToModules\":[]"));
        assert!(!json.contains("RuntimeVersion"));
    }

    #[test]
    fn enums_extensions_and_id_less() {
        let s = build(
            Some((11, 0)),
            &[
                (
                    "a/E.al",
                    "enum 50100 \"Loyalty Level\" { Extensible = true; value(0; None) { } value(10; Gold) { Caption = 'Gold'; } }",
                ),
                (
                    "a/X.al",
                    "enumextension 50101 \"Line Type Ext\" extends \"Sales Line Type\" { value(50100; Points) { } }",
                ),
                (
                    "a/I.al",
                    "namespace A.B;\ninterface \"IPoints\" { procedure Get(): Decimal; }",
                ),
                (
                    "a/P.al",
                    "pageextension 50102 \"Cust Ext\" extends \"Customer Card\" { }",
                ),
            ],
        );
        let e = &s.objects.enum_types.as_ref().unwrap()[0];
        let v: Vec<_> = e
            .values
            .as_ref()
            .unwrap()
            .iter()
            .map(|v| (v.ordinal, v.name.as_str()))
            .collect();
        assert_eq!(v, [(0, "None"), (10, "Gold")]);
        let x = &s.objects.enum_extension_types.as_ref().unwrap()[0];
        assert_eq!(x.target_object.as_deref(), Some("Sales Line Type"));
        assert_eq!(x.values.as_ref().unwrap()[0].ordinal, 50100);
        // Runtime 11: namespaces stay at top level.
        let i = &s.objects.interfaces.as_ref().unwrap()[0];
        assert_eq!((i.id, i.name.as_str()), (0, "IPoints"));
        assert_eq!(
            i.methods.as_ref().unwrap()[0]
                .return_type_definition
                .as_ref()
                .unwrap()
                .name,
            "Decimal"
        );
        assert!(s.namespaces.is_none());
        assert_eq!(s.runtime_version.as_deref(), Some("11.0"));
        let p = &s.objects.page_extensions.as_ref().unwrap()[0];
        assert_eq!(p.target_object.as_deref(), Some("Customer Card"));
    }

    #[test]
    fn namespace_tree() {
        let s = build(
            Some((13, 0)),
            &[
                (
                    "src/A.al",
                    "namespace Microsoft.Foundation.NoSeries;\ncodeunit 50100 \"No. Series\" { }",
                ),
                (
                    "src/B.al",
                    "namespace Microsoft.Foundation.NoSeries;\ntable 50100 \"No. Series Line\" { fields { field(1; X; Integer) { } } }",
                ),
                (
                    "src/C.al",
                    "namespace Microsoft.Sales;\ncodeunit 50101 S { }",
                ),
                ("src/D.al", "codeunit 50102 Top { }"),
            ],
        );
        let json = String::from_utf8(s.to_vec().unwrap()).unwrap();
        assert!(json.contains(r#""Namespaces":[{"Name":"Microsoft","Namespaces":[{"Name":"Foundation","Namespaces":[{"Name":"NoSeries","Tables":[{"Id":50100"#), "{json}");
        let flat = s.objects();
        let ns: Vec<_> = flat
            .iter()
            .map(|o| (o.object.name.as_str(), o.namespace.as_deref()))
            .collect();
        assert_eq!(
            ns,
            [
                ("Top", None),
                ("No. Series Line", Some("Microsoft.Foundation.NoSeries")),
                ("No. Series", Some("Microsoft.Foundation.NoSeries")),
                ("S", Some("Microsoft.Sales")),
            ]
        );
        assert_eq!(s.runtime_version.as_deref(), Some("13.0"));
        // Round-trips through the reader model.
        assert_eq!(SymbolReference::from_slice(json.as_bytes()).unwrap(), s);
    }

    #[test]
    fn type_rendering() {
        let p = al_parser::parse(b"codeunit 1 X { procedure P(a: Dictionary of [Code[20], Decimal]; b: List of [Text]; c: array[2] of Integer; d: Codeunit \"Sales-Post\"; e: Record Microsoft.Sales.Customer) begin end; }");
        let obj = p.source_file().objects().next().unwrap();
        let (_, o) = object_symbol(obj, "x.al").unwrap();
        let ps = o.methods.unwrap().remove(0).parameters.unwrap();
        let names: Vec<_> = ps
            .iter()
            .map(|p| p.type_definition.as_ref().unwrap().name.clone())
            .collect();
        assert_eq!(
            names,
            [
                "Dictionary",
                "List",
                "array[2] of Integer",
                "Codeunit",
                "Record"
            ]
        );
        assert_eq!(
            ps[4].type_definition.as_ref().unwrap().extra["Subtype"],
            json!({"Name": "Microsoft.Sales.Customer"})
        );
        assert_eq!(
            ps[0].type_definition.as_ref().unwrap().extra["TypeArguments"],
            json!([{"Name": "Code[20]"}, {"Name": "Decimal"}])
        );
        let p = al_parser::parse(b"codeunit 1 X { procedure P(o: Option \"A B\",,C) begin end; }");
        let obj = p.source_file().objects().next().unwrap();
        let (_, o) = object_symbol(obj, "x.al").unwrap();
        let t = o.methods.unwrap()[0].parameters.as_ref().unwrap()[0]
            .type_definition
            .clone()
            .unwrap();
        assert_eq!(t.name, "Option");
        assert_eq!(t.extra["OptionMembers"], json!(["A B", "", "C"]));
    }

    #[test]
    fn local_event_publishers_are_listed() {
        let src = "codeunit 1 C { [IntegrationEvent(false, false)]\n local procedure OnX(A: Date) begin end; local procedure Hidden() begin end; [InternalEvent(false, false)] local procedure OnInternal() begin end; }";
        let s = build(Some((13, 0)), &[("C.al", src)]);
        let m = s.objects.codeunits.as_ref().unwrap()[0]
            .methods
            .as_ref()
            .unwrap();
        let names: Vec<_> = m.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["OnX", "OnInternal"]);
        assert_eq!(m[1].extra["IsInternal"], json!(true));
        assert!(!m[0].extra.contains_key("IsInternal"));
    }

    #[test]
    fn key_fields_escaped_path_and_old_return_type() {
        let src = "table 1 T { fields { field(1; \"Query ID\"; Integer) { } } keys { key(PK; \"Query Id\") { } } procedure P() begin end; }";
        let s = build(Some((8, 1)), &[("My Tables/T.al", src)]);
        let t = &s.objects.tables.as_ref().unwrap()[0];
        assert_eq!(
            t.keys.as_ref().unwrap()[0].field_names.as_deref(),
            Some(&["Query ID".to_string()][..])
        );
        assert_eq!(
            t.reference_source_file_name.as_deref(),
            Some("My%20Tables/T.al")
        );
        let m = &t.methods.as_ref().unwrap()[0];
        assert_eq!(m.return_type_definition.as_ref().unwrap().name, "None");
        let s = build(Some((13, 0)), &[("T.al", src)]);
        let m = &s.objects.tables.as_ref().unwrap()[0]
            .methods
            .as_ref()
            .unwrap()[0];
        assert!(m.return_type_definition.is_none());
    }

    #[test]
    fn legacy_layout_for_bc11_projects() {
        let app = al_manifest::AppManifest::from_json_str(
            r#"{"id":"7acaede4-b19b-46e3-9ab6-c8ba239bafd0","name":"Old","publisher":"P","version":"1.0.0.0","platform":"11.0.0.0"}"#,
        )
        .unwrap();
        let identity = AppIdentity::from_manifest(&app);
        assert!(identity.legacy_format);
        let mut b = SymbolBuilder::new(identity);
        let src = "table 50100 Address { fields { field(1; Address; Text[50]) { } } }\ncodeunit 50101 Svc { procedure Run(var Rec: Record Customer; n: Integer) begin end; procedure Get(): Text begin end; }";
        b.add_file("Tables/Address.al", &al_parser::parse(src.as_bytes()));
        let json = String::from_utf8(b.finish().to_vec().unwrap()).unwrap();
        assert!(json.contains(r#""Type":"Text[50]""#), "{json}");
        assert!(json.contains(r#""ReturnType":"None""#), "{json}");
        assert!(json.contains(r#""ReturnType":"Text""#), "{json}");
        assert!(json.contains(r#""Type":"Record""#), "{json}");
        for absent in [
            "TypeDefinition",
            "ReferenceSourceFileName",
            "AppId",
            "InternalsVisibleToModules",
        ] {
            assert!(!json.contains(absent), "{absent}: {json}");
        }
        // A modern project (runtime, or a newer platform) keeps the current layout.
        let modern = al_manifest::AppManifest::from_json_str(
            r#"{"id":"7acaede4-b19b-46e3-9ab6-c8ba239bafd0","name":"New","publisher":"P","version":"1.0.0.0","platform":"12.0.0.0"}"#,
        )
        .unwrap();
        assert!(!AppIdentity::from_manifest(&modern).legacy_format);
        // AL-Go's template: platform 1.0.0.0, application 24.0.0.0, no runtime → runtime 13.0.
        let al_go = al_manifest::AppManifest::from_json_str(
            r#"{"id":"7acaede4-b19b-46e3-9ab6-c8ba239bafd0","name":"New","publisher":"P","version":"1.0.0.0","platform":"1.0.0.0","application":"24.0.0.0"}"#,
        )
        .unwrap();
        let id = AppIdentity::from_manifest(&al_go);
        assert!(!id.legacy_format);
        assert_eq!(id.runtime, Some((13, 0)));
        let s = build_with(id, &[("a.al", "namespace A.B;\ncodeunit 50100 X { }")]);
        let json = String::from_utf8(s.to_vec().unwrap()).unwrap();
        for present in ["Namespaces", "AppId", "Publisher", "RuntimeVersion"] {
            assert!(json.contains(present), "{present}: {json}");
        }
    }
}
