//! `SymbolReference.json`: a serde model that keeps unknown keys so it can be written back.
//!
//! Tolerates a UTF-8 BOM, trailing NULs and whitespace, missing arrays, the `Namespaces` tree
//! (flattened by [`SymbolReference::objects`]) and the BC 11 variant (`"Type"` instead of
//! `TypeDefinition`, no `AppId`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Error parsing `SymbolReference.json`.
#[derive(Debug, thiserror::Error)]
#[error("invalid SymbolReference.json: {0}")]
pub struct SymbolError(#[from] serde_json::Error);

/// The object arrays of a symbol file, one per object type. `None` = key absent (kept absent when
/// written back).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct ObjectArrays {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codeunits: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_extensions: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_customizations: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_extensions: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reports: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_ports: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queries: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profiles: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_extensions: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_add_ins: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enum_types: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enum_extension_types: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dot_net_packages: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interfaces: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_sets: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_set_extensions: Option<Vec<SymbolObject>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_extensions: Option<Vec<SymbolObject>>,
}

/// The object types of a symbol file, named after their JSON arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum SymbolObjectType {
    Table,
    Codeunit,
    Page,
    PageExtension,
    PageCustomization,
    TableExtension,
    Report,
    XmlPort,
    Query,
    Profile,
    ProfileExtension,
    ControlAddIn,
    EnumType,
    EnumExtensionType,
    DotNetPackage,
    Interface,
    PermissionSet,
    PermissionSetExtension,
    ReportExtension,
}

impl SymbolObjectType {
    /// All types, in the order of the JSON arrays.
    pub const ALL: [Self; 19] = [
        Self::Table,
        Self::Codeunit,
        Self::Page,
        Self::PageExtension,
        Self::PageCustomization,
        Self::TableExtension,
        Self::Report,
        Self::XmlPort,
        Self::Query,
        Self::Profile,
        Self::ProfileExtension,
        Self::ControlAddIn,
        Self::EnumType,
        Self::EnumExtensionType,
        Self::DotNetPackage,
        Self::Interface,
        Self::PermissionSet,
        Self::PermissionSetExtension,
        Self::ReportExtension,
    ];

    /// The JSON array key (`"Tables"`, `"XmlPorts"`, …).
    pub fn array_name(self) -> &'static str {
        match self {
            Self::Table => "Tables",
            Self::Codeunit => "Codeunits",
            Self::Page => "Pages",
            Self::PageExtension => "PageExtensions",
            Self::PageCustomization => "PageCustomizations",
            Self::TableExtension => "TableExtensions",
            Self::Report => "Reports",
            Self::XmlPort => "XmlPorts",
            Self::Query => "Queries",
            Self::Profile => "Profiles",
            Self::ProfileExtension => "ProfileExtensions",
            Self::ControlAddIn => "ControlAddIns",
            Self::EnumType => "EnumTypes",
            Self::EnumExtensionType => "EnumExtensionTypes",
            Self::DotNetPackage => "DotNetPackages",
            Self::Interface => "Interfaces",
            Self::PermissionSet => "PermissionSets",
            Self::PermissionSetExtension => "PermissionSetExtensions",
            Self::ReportExtension => "ReportExtensions",
        }
    }
}

impl ObjectArrays {
    /// The array for `ty`, empty when absent.
    pub fn get(&self, ty: SymbolObjectType) -> &[SymbolObject] {
        use SymbolObjectType as T;
        let v = match ty {
            T::Table => &self.tables,
            T::Codeunit => &self.codeunits,
            T::Page => &self.pages,
            T::PageExtension => &self.page_extensions,
            T::PageCustomization => &self.page_customizations,
            T::TableExtension => &self.table_extensions,
            T::Report => &self.reports,
            T::XmlPort => &self.xml_ports,
            T::Query => &self.queries,
            T::Profile => &self.profiles,
            T::ProfileExtension => &self.profile_extensions,
            T::ControlAddIn => &self.control_add_ins,
            T::EnumType => &self.enum_types,
            T::EnumExtensionType => &self.enum_extension_types,
            T::DotNetPackage => &self.dot_net_packages,
            T::Interface => &self.interfaces,
            T::PermissionSet => &self.permission_sets,
            T::PermissionSetExtension => &self.permission_set_extensions,
            T::ReportExtension => &self.report_extensions,
        };
        v.as_deref().unwrap_or_default()
    }
}

/// A `{ "Name": …, "Value": … }` property.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SymbolProperty {
    /// Property name.
    #[serde(default)]
    pub name: String,
    /// Property value (a string in every known file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Keys not modelled here.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A type reference (`{ "Name": "Code[20]", "Subtype": … }`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TypeDefinition {
    /// Type name (`"Code[20]"`, `"Record"`, `"Option"`, …).
    #[serde(default)]
    pub name: String,
    /// Keys not modelled here (`Subtype`, `Temporary`, `ArrayDimensions`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A table field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SymbolField {
    /// Field number.
    #[serde(default)]
    pub id: i64,
    /// Field name.
    #[serde(default)]
    pub name: String,
    /// Field type (BC ≥ 12 files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_definition: Option<TypeDefinition>,
    /// Field type as text (BC 11 files use `"Type": "Text[50]"`).
    #[serde(default, rename = "Type", skip_serializing_if = "Option::is_none")]
    pub type_text: Option<String>,
    /// Field properties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<Vec<SymbolProperty>>,
    /// Keys not modelled here.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A table key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SymbolKey {
    /// Key name.
    #[serde(default)]
    pub name: String,
    /// Field names of the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_names: Option<Vec<String>>,
    /// Keys not modelled here.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An enum value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SymbolEnumValue {
    /// Ordinal.
    #[serde(default)]
    pub ordinal: i64,
    /// Value name.
    #[serde(default)]
    pub name: String,
    /// Keys not modelled here.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A method parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SymbolParameter {
    /// Parameter name.
    #[serde(default)]
    pub name: String,
    /// `var` parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_var: Option<bool>,
    /// Parameter type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_definition: Option<TypeDefinition>,
    /// Keys not modelled here.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A method (procedure, trigger, event).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SymbolMethod {
    /// Method name.
    #[serde(default)]
    pub name: String,
    /// Parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<SymbolParameter>>,
    /// Return type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_type_definition: Option<TypeDefinition>,
    /// Keys not modelled here (`Id`, `MethodKind`, `Attributes`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One application object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SymbolObject {
    /// Object id (0 for object types without ids).
    #[serde(default)]
    pub id: i64,
    /// Object name.
    #[serde(default)]
    pub name: String,
    /// Project-relative source path (without the zip's `src/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_source_file_name: Option<String>,
    /// Extended object (extensions, customizations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_object: Option<String>,
    /// Table fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<SymbolField>>,
    /// Table keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<Vec<SymbolKey>>,
    /// Enum values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<SymbolEnumValue>>,
    /// Methods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub methods: Option<Vec<SymbolMethod>>,
    /// Object properties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<Vec<SymbolProperty>>,
    /// Keys not modelled here (`Controls`, `Actions`, `Variables`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A node of the `Namespaces` tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SymbolNamespace {
    /// One namespace segment (`"Microsoft"`, `"Foundation"`, …).
    #[serde(default)]
    pub name: String,
    /// Child namespaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<Vec<SymbolNamespace>>,
    /// Objects declared directly in this namespace.
    #[serde(flatten)]
    pub objects: ObjectArrays,
    /// Keys not modelled here.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A parsed `SymbolReference.json`.
///
/// ```
/// use runtime_pack::{SymbolReference, SymbolObjectType};
/// let json = b"\xEF\xBB\xBF{\"Codeunits\":[{\"Id\":50100,\"Name\":\"My CU\"}],\
///   \"Namespaces\":[{\"Name\":\"Contoso\",\"Tables\":[{\"Id\":50100,\"Name\":\"T\"}]}],\
///   \"AppId\":\"x\",\"Name\":\"App\",\"Publisher\":\"P\",\"Version\":\"1.0.0.0\"}\0\0";
/// let symbols = SymbolReference::from_slice(json)?;
/// let all = symbols.objects();
/// assert_eq!(all.len(), 2);
/// assert_eq!(all[1].namespace.as_deref(), Some("Contoso"));
/// assert_eq!(all[1].kind, SymbolObjectType::Table);
/// # Ok::<(), runtime_pack::SymbolError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SymbolReference {
    /// Runtime version (`"13.0"`), newer compilers only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_version: Option<String>,
    /// Namespaced objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<Vec<SymbolNamespace>>,
    /// Objects outside any namespace.
    #[serde(flatten)]
    pub objects: ObjectArrays,
    /// App id (absent in BC 11 files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// App name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// App version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Keys not modelled here (`InternalsVisibleToModules`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An object from anywhere in the file, with its type and namespace.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatObject<'a> {
    /// Its array.
    pub kind: SymbolObjectType,
    /// Dotted namespace (`Microsoft.Foundation.NoSeries`), `None` at top level.
    pub namespace: Option<String>,
    /// The object.
    pub object: &'a SymbolObject,
}

/// Strips a UTF-8 BOM, trailing NULs and surrounding whitespace.
fn trim_json(bytes: &[u8]) -> &[u8] {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let end = b
        .iter()
        .rposition(|&c| c != 0 && !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    b.get(..end).unwrap_or_default()
}

/// The JSON of a symbol file: UTF-16 (with BOM) transcoded by the one decoder
/// ([`al_manifest::text::decode`]), UTF-8 as it is (serde checks it); BOM and trailing
/// NULs and whitespace left out.
fn json_bytes(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, SymbolError> {
    use al_manifest::text::{TextEncoding, decode, sniff};
    use std::borrow::Cow;
    match sniff(bytes).0 {
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => match decode(bytes) {
            Ok(d) => Ok(Cow::Owned(trim_json(d.text.as_bytes()).to_vec())),
            Err(e) => Err(SymbolError(
                <serde_json::Error as serde::de::Error>::custom(e),
            )),
        },
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => Ok(Cow::Borrowed(trim_json(bytes))),
    }
}

/// The most objects a symbol file may list ([`SymbolReference::from_slice`],
/// [`SymbolSummary::from_slice`] refuse more): the parsed objects of a file of a million
/// tiny objects took 2 GB. Ten times what a large app lists.
pub const MAX_SYMBOL_OBJECTS: usize = 100_000;

/// Counts the objects `json` lists (the object arrays at the top level and in every
/// namespace) without keeping anything, and fails once there are more than `limit`: run
/// before a parse that keeps them.
fn check_object_count(json: &[u8], limit: usize) -> Result<(), SymbolError> {
    use serde::de::{DeserializeSeed, Error, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use std::cell::Cell;
    use std::fmt;

    #[derive(Clone, Copy)]
    struct Node<'c>(&'c Cell<usize>, usize);
    #[derive(Clone, Copy)]
    struct Objects<'c>(&'c Cell<usize>, usize);
    #[derive(Clone, Copy)]
    struct Nodes<'c>(&'c Cell<usize>, usize);

    impl<'de> DeserializeSeed<'de> for Node<'_> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Node<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<Key<'de>>()? {
                if key == "Namespaces" {
                    map.next_value_seed(Nodes(self.0, self.1))?;
                } else if SymbolObjectType::ALL.iter().any(|t| t.array_name() == key) {
                    map.next_value_seed(Objects(self.0, self.1))?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(())
        }
        fn visit_unit<E: Error>(self) -> Result<(), E> {
            Ok(())
        }
    }
    impl<'de> DeserializeSeed<'de> for Objects<'_> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Objects<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of objects")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {
                self.0.set(self.0.get() + 1);
                if self.0.get() > self.1 {
                    return Err(A::Error::custom(format!(
                        "more than {} objects (the limit: runtime_pack::MAX_SYMBOL_OBJECTS)",
                        self.1
                    )));
                }
            }
            Ok(())
        }
        fn visit_unit<E: Error>(self) -> Result<(), E> {
            Ok(())
        }
    }
    impl<'de> DeserializeSeed<'de> for Nodes<'_> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Nodes<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of namespaces")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(Node(self.0, self.1))?.is_some() {}
            Ok(())
        }
        fn visit_unit<E: Error>(self) -> Result<(), E> {
            Ok(())
        }
    }

    let count = Cell::new(0);
    let mut de = serde_json::Deserializer::from_slice(json);
    // Nesting is bounded by serde_json's recursion limit; type errors are left to the
    // parse that follows (this pass only counts).
    match Node(&count, limit).deserialize(&mut de) {
        Err(e) if count.get() > limit => Err(SymbolError(e)),
        _ => Ok(()),
    }
}

impl SymbolReference {
    /// Parses the file's bytes (BOM, UTF-16, trailing NULs tolerated). More than
    /// [`MAX_SYMBOL_OBJECTS`] objects are an error.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, SymbolError> {
        let json = json_bytes(bytes)?;
        check_object_count(&json, MAX_SYMBOL_OBJECTS)?;
        Ok(serde_json::from_slice(&json)?)
    }

    /// Writes compact JSON with a UTF-8 BOM, as the compiler does.
    pub fn to_vec(&self) -> Result<Vec<u8>, SymbolError> {
        let mut out = b"\xEF\xBB\xBF".to_vec();
        serde_json::to_writer(&mut out, self)?;
        Ok(out)
    }

    /// Every object, top level first, then the `Namespaces` tree depth-first, each with its
    /// dotted namespace.
    pub fn objects(&self) -> Vec<FlatObject<'_>> {
        let mut out = Vec::new();
        push_objects(&self.objects, None, &mut out);
        let mut stack: Vec<(String, &SymbolNamespace)> = Vec::new();
        for node in self.namespaces.as_deref().unwrap_or_default().iter().rev() {
            stack.push((node.name.clone(), node));
        }
        while let Some((path, node)) = stack.pop() {
            push_objects(&node.objects, Some(&path), &mut out);
            for child in node.namespaces.as_deref().unwrap_or_default().iter().rev() {
                stack.push((format!("{path}.{}", child.name), child));
            }
        }
        out
    }

    /// Number of objects of each type, namespaces included.
    pub fn counts(&self) -> Vec<(SymbolObjectType, usize)> {
        let objects = self.objects();
        SymbolObjectType::ALL
            .iter()
            .map(|&t| (t, objects.iter().filter(|o| o.kind == t).count()))
            .filter(|&(_, n)| n > 0)
            .collect()
    }
}

fn push_objects<'a>(arrays: &'a ObjectArrays, ns: Option<&str>, out: &mut Vec<FlatObject<'a>>) {
    for kind in SymbolObjectType::ALL {
        for object in arrays.get(kind) {
            out.push(FlatObject {
                kind,
                namespace: ns.map(str::to_owned),
                object,
            });
        }
    }
}

// ------------------------------------------------------------------ summary

/// Id, name and source file of an object; every other key is skipped while parsing.
#[derive(Debug, Default)]
struct HeadRaw {
    id: i64,
    name: String,
    reference_source_file_name: Option<String>,
}

/// The file's root or a namespace node, reduced to object heads (one slot per
/// [`SymbolObjectType::ALL`] entry) and child namespaces.
#[derive(Debug, Default)]
struct HeadNode {
    name: Option<String>,
    namespaces: Option<Vec<HeadNode>>,
    arrays: [Option<Vec<HeadRaw>>; SymbolObjectType::ALL.len()],
}

/// Keys are borrowed from the input when they contain no escapes.
type Key<'de> = std::borrow::Cow<'de, str>;

impl<'de> Deserialize<'de> for HeadRaw {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = HeadRaw;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<HeadRaw, A::Error> {
                let mut head = HeadRaw::default();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match key.as_ref() {
                        "Id" => head.id = map.next_value()?,
                        "Name" => head.name = map.next_value()?,
                        "ReferenceSourceFileName" => {
                            head.reference_source_file_name = map.next_value()?;
                        }
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(head)
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for HeadNode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = HeadNode;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<HeadNode, A::Error> {
                let mut node = HeadNode::default();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match key.as_ref() {
                        "Name" => node.name = map.next_value()?,
                        "Namespaces" => node.namespaces = map.next_value()?,
                        k => {
                            let slot = SymbolObjectType::ALL
                                .iter()
                                .position(|t| t.array_name() == k)
                                .and_then(|i| node.arrays.get_mut(i));
                            match slot {
                                Some(slot) => *slot = map.next_value()?,
                                None => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                    }
                }
                Ok(node)
            }
        }
        d.deserialize_map(V)
    }
}

impl HeadNode {
    fn push_heads(&mut self, ns: Option<&str>, out: &mut Vec<ObjectHead>) {
        for (kind, slot) in SymbolObjectType::ALL.iter().zip(self.arrays.iter_mut()) {
            for h in slot.take().unwrap_or_default() {
                out.push(ObjectHead {
                    kind: *kind,
                    namespace: ns.map(str::to_owned),
                    id: h.id,
                    name: h.name,
                    reference_source_file_name: h.reference_source_file_name,
                });
            }
        }
    }
}

/// An object as listed by [`SymbolSummary`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectHead {
    /// Its array.
    pub kind: SymbolObjectType,
    /// Dotted namespace (`Microsoft.Foundation.NoSeries`), `None` at top level.
    pub namespace: Option<String>,
    /// Object id.
    pub id: i64,
    /// Object name.
    pub name: String,
    /// Project-relative source path.
    pub reference_source_file_name: Option<String>,
}

/// The objects of a `SymbolReference.json` with their type, namespace, id, name and source file
/// only: a light parse that skips fields, methods, properties and every other key, for
/// listings such as `alkit inspect`. Lists the same objects in the same order as
/// [`SymbolReference::objects`].
///
/// ```
/// use runtime_pack::{SymbolObjectType, SymbolSummary};
/// let json = b"\xEF\xBB\xBF{\"Codeunits\":[{\"Id\":50100,\"Name\":\"My CU\",\"Methods\":[{\"Name\":\"Run\"}]}],\
///   \"Namespaces\":[{\"Name\":\"Contoso\",\"Tables\":[{\"Id\":50100,\"Name\":\"T\"}]}],\
///   \"AppId\":\"x\",\"Name\":\"App\",\"Publisher\":\"P\",\"Version\":\"1.0.0.0\"}\0\0";
/// let summary = SymbolSummary::from_slice(json)?;
/// assert_eq!(summary.objects().len(), 2);
/// assert_eq!(summary.objects()[1].namespace.as_deref(), Some("Contoso"));
/// assert_eq!(summary.counts(), [(SymbolObjectType::Table, 1), (SymbolObjectType::Codeunit, 1)]);
/// # Ok::<(), runtime_pack::SymbolError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SymbolSummary {
    objects: Vec<ObjectHead>,
}

impl SymbolSummary {
    /// Parses the file's bytes (BOM, UTF-16, trailing NULs tolerated). More than
    /// [`MAX_SYMBOL_OBJECTS`] objects are an error.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, SymbolError> {
        let json = json_bytes(bytes)?;
        check_object_count(&json, MAX_SYMBOL_OBJECTS)?;
        let mut root: HeadNode = serde_json::from_slice(&json)?;
        let mut objects = Vec::new();
        root.push_heads(None, &mut objects);
        let mut stack: Vec<(String, HeadNode)> = Vec::new();
        for node in root.namespaces.take().unwrap_or_default().into_iter().rev() {
            stack.push((node.name.clone().unwrap_or_default(), node));
        }
        while let Some((path, mut node)) = stack.pop() {
            node.push_heads(Some(&path), &mut objects);
            for child in node.namespaces.take().unwrap_or_default().into_iter().rev() {
                let name = child.name.clone().unwrap_or_default();
                stack.push((format!("{path}.{name}"), child));
            }
        }
        Ok(Self { objects })
    }

    /// Every object, top level first, then the `Namespaces` tree depth-first.
    pub fn objects(&self) -> &[ObjectHead] {
        &self.objects
    }

    /// Number of objects per type (types without objects left out), in [`SymbolObjectType::ALL`]
    /// order.
    pub fn counts(&self) -> Vec<(SymbolObjectType, usize)> {
        let mut n = [0usize; SymbolObjectType::ALL.len()];
        for o in &self.objects {
            if let Some(i) = SymbolObjectType::ALL.iter().position(|&t| t == o.kind)
                && let Some(c) = n.get_mut(i)
            {
                *c += 1;
            }
        }
        SymbolObjectType::ALL
            .iter()
            .zip(n)
            .filter(|&(_, c)| c > 0)
            .map(|(&t, c)| (t, c))
            .collect()
    }
}
