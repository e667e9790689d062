//! Typed view over the tree: what renumbering and renaming need.

use std::ops::Range;

use crate::kind::{SyntaxKind, SyntaxKind::*};
use crate::tree::{NodeOrToken, SyntaxNode, SyntaxToken};

/// The kind of an AL object: the one object-kind type of every alkit crate (symbols,
/// checks and the move engine use it too). Ordered as the object types are listed in
/// scope-rules.md (tables first, `dotnet` last).
///
/// ```
/// use al_parser::ast::ObjectKind;
/// assert_eq!("Table Extension".parse::<ObjectKind>(), Ok(ObjectKind::TableExtension));
/// assert_eq!(ObjectKind::XmlPort.to_string(), "xmlport");
/// assert_eq!(ObjectKind::PageCustomization.base_kind(), Some(ObjectKind::Page));
/// assert!(ObjectKind::Enum.has_id() && !ObjectKind::Interface.has_id());
/// ```
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectKind {
    Table,
    TableExtension,
    Page,
    PageExtension,
    PageCustomization,
    Codeunit,
    Report,
    ReportExtension,
    XmlPort,
    Query,
    Enum,
    EnumExtension,
    PermissionSet,
    PermissionSetExtension,
    Interface,
    Profile,
    ProfileExtension,
    ControlAddIn,
    Entitlement,
    DotNet,
}

/// An object type name that is not recognised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown object type {0:?}")]
pub struct UnknownObjectKind(pub String);

impl std::fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ObjectKind {
    type Err = UnknownObjectKind;

    /// Case-insensitive AL keyword; spaces, `-` and `_` are ignored, so
    /// `"Table Extension"` and `"TableExtension"` both work; symbol-file spellings
    /// (`XmlPort`, `ControlAddIn`) are accepted.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect();
        ObjectKind::ALL
            .into_iter()
            .find(|k| k.as_str() == key)
            .ok_or_else(|| UnknownObjectKind(s.to_string()))
    }
}

impl ObjectKind {
    fn from_keyword(k: SyntaxKind) -> Option<Self> {
        Some(match k {
            KwTable => Self::Table,
            KwTableextension => Self::TableExtension,
            KwPage => Self::Page,
            KwPageextension => Self::PageExtension,
            KwPagecustomization => Self::PageCustomization,
            KwCodeunit => Self::Codeunit,
            KwReport => Self::Report,
            KwReportextension => Self::ReportExtension,
            KwXmlport => Self::XmlPort,
            KwQuery => Self::Query,
            KwEnum => Self::Enum,
            KwEnumextension => Self::EnumExtension,
            KwInterface => Self::Interface,
            KwPermissionset => Self::PermissionSet,
            KwPermissionsetextension => Self::PermissionSetExtension,
            KwProfile => Self::Profile,
            KwProfileextension => Self::ProfileExtension,
            KwControladdin => Self::ControlAddIn,
            KwEntitlement => Self::Entitlement,
            KwDotnet => Self::DotNet,
            _ => return None,
        })
    }

    /// Every kind, in order.
    pub const ALL: [ObjectKind; 20] = [
        Self::Table,
        Self::TableExtension,
        Self::Page,
        Self::PageExtension,
        Self::PageCustomization,
        Self::Codeunit,
        Self::Report,
        Self::ReportExtension,
        Self::XmlPort,
        Self::Query,
        Self::Enum,
        Self::EnumExtension,
        Self::PermissionSet,
        Self::PermissionSetExtension,
        Self::Interface,
        Self::Profile,
        Self::ProfileExtension,
        Self::ControlAddIn,
        Self::Entitlement,
        Self::DotNet,
    ];

    /// The declaring keyword in lower case (`table`, `pageextension`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Table => "table",
            Self::TableExtension => "tableextension",
            Self::Page => "page",
            Self::PageExtension => "pageextension",
            Self::PageCustomization => "pagecustomization",
            Self::Codeunit => "codeunit",
            Self::Report => "report",
            Self::ReportExtension => "reportextension",
            Self::XmlPort => "xmlport",
            Self::Query => "query",
            Self::Enum => "enum",
            Self::EnumExtension => "enumextension",
            Self::Interface => "interface",
            Self::PermissionSet => "permissionset",
            Self::PermissionSetExtension => "permissionsetextension",
            Self::Profile => "profile",
            Self::ProfileExtension => "profileextension",
            Self::ControlAddIn => "controladdin",
            Self::Entitlement => "entitlement",
            Self::DotNet => "dotnet",
        }
    }

    /// The kind of object an extension (or page customization) of this kind applies to;
    /// `None` for kinds that extend nothing.
    pub const fn base_kind(self) -> Option<ObjectKind> {
        Some(match self {
            Self::TableExtension => Self::Table,
            Self::PageExtension | Self::PageCustomization => Self::Page,
            Self::ReportExtension => Self::Report,
            Self::EnumExtension => Self::Enum,
            Self::PermissionSetExtension => Self::PermissionSet,
            Self::ProfileExtension => Self::Profile,
            _ => return None,
        })
    }

    /// Whether this kind extends or customizes another object.
    pub const fn is_extension(self) -> bool {
        self.base_kind().is_some()
    }

    /// Whether objects of this kind carry a numeric ID (al-language.md §1.3).
    pub const fn has_id(self) -> bool {
        !matches!(
            self,
            Self::Interface
                | Self::PageCustomization
                | Self::Profile
                | Self::ProfileExtension
                | Self::ControlAddIn
                | Self::Entitlement
                | Self::DotNet
        )
    }
}

/// A name as written (`span`, quotes included) and its value (quotes removed, `""` → `"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRef {
    /// The identifier's value (unquoted).
    pub value: String,
    /// Byte span of the token as written.
    pub span: Range<u32>,
    /// Whether it was written as a `"quoted identifier"`.
    pub quoted: bool,
}

impl NameRef {
    fn from_token(t: SyntaxToken<'_>) -> Self {
        let quoted = t.kind() == QuotedIdent;
        Self {
            value: unquote(t.text()),
            span: t.span(),
            quoted,
        }
    }
}

/// A numeric ID and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdRef {
    /// The value (`None` if it does not fit in `u32`).
    pub value: Option<u32>,
    /// Byte span of the number.
    pub span: Range<u32>,
}

/// Removes the quotes of a quoted identifier and undoubles `""`; plain words are returned as is.
pub fn unquote(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => unquote_str(s),
        Err(_) => unquote_str(&String::from_utf8_lossy(raw)),
    }
}

fn unquote_str(s: &str) -> String {
    let inner = if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        s.get(1..s.len() - 1).unwrap_or_default()
    } else if let Some(rest) = s.strip_prefix('"') {
        rest
    } else {
        return s.to_owned();
    };
    if inner.as_bytes().contains(&b'"') {
        inner.replace("\"\"", "\"")
    } else {
        inner.to_owned()
    }
}

fn sig_tokens<'p>(n: SyntaxNode<'p>) -> impl Iterator<Item = SyntaxToken<'p>> + 'p {
    n.tokens().filter(|t| !t.kind().is_trivia())
}

/// Dotted name as one string (`Microsoft.Sales."Sales Header"` → `Microsoft.Sales.Sales Header`).
fn qualified(n: SyntaxNode<'_>) -> (String, Range<u32>) {
    let mut out = String::new();
    for t in sig_tokens(n) {
        if t.kind() == Dot {
            out.push('.');
        } else {
            out.push_str(&unquote(t.text()));
        }
    }
    (out, n.span())
}

/// The root of a file.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'p>(pub(crate) SyntaxNode<'p>);

impl<'p> SourceFile<'p> {
    /// The underlying node.
    pub fn syntax(&self) -> SyntaxNode<'p> {
        self.0
    }

    /// `namespace X.Y;` — the dotted name and its span.
    pub fn namespace(&self) -> Option<(String, Range<u32>)> {
        self.0
            .child(NamespaceDecl)
            .and_then(|n| n.child(QualifiedName))
            .map(qualified)
    }

    /// The `using` names in order.
    pub fn usings(&self) -> Vec<(String, Range<u32>)> {
        self.0
            .children()
            .filter(|c| c.kind() == UsingDecl)
            .filter_map(|n| n.child(QualifiedName))
            .map(qualified)
            .collect()
    }

    /// The object declarations.
    pub fn objects(&self) -> impl Iterator<Item = Object<'p>> + 'p {
        self.0
            .children()
            .filter(|c| c.kind() == SyntaxKind::Object)
            .map(Object)
    }
}

/// One object declaration.
#[derive(Debug, Clone, Copy)]
pub struct Object<'p>(pub(crate) SyntaxNode<'p>);

/// What kind of member a [`Member`] is: the one member-kind type of every alkit crate
/// (symbols and the checks use it too).
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum MemberKind {
    /// `field(…)` in a table/table extension (with ID) or on a page/request page (control).
    Field,
    Key,
    FieldGroup,
    /// `value(ordinal; Name)` of an enum.
    EnumValue,
    /// Page controls: area, group, repeater, part, systempart, usercontrol, grid, fixed, cuegroup, label, chartpart.
    Control,
    /// action, actionref, separator, customaction, fileuploadaction (and action groups are `Control`).
    Action,
    DataItem,
    Column,
    Filter,
    /// Xmlport nodes: tableelement, fieldelement, textelement, fieldattribute, textattribute, tableattribute.
    XmlNode,
    /// `modify`, `addafter`, `addbefore`, `addfirst`, `addlast`, `add`, `moveafter`, `movebefore`, `movefirst`, `movelast`.
    Change,
    View,
    Layout,
    Label,
    Procedure,
    Trigger,
    Event,
    Variable,
    /// Any other `keyword(args) { … }` element.
    Other,
}

impl MemberKind {
    /// The keyword describing a member of this kind (`field`, `key`, `value`, …).
    pub const fn keyword(self) -> &'static str {
        match self {
            MemberKind::Field => "field",
            MemberKind::Key => "key",
            MemberKind::FieldGroup => "fieldgroup",
            MemberKind::EnumValue => "value",
            MemberKind::Control => "control",
            MemberKind::Action => "action",
            MemberKind::DataItem => "dataitem",
            MemberKind::Column => "column",
            MemberKind::Filter => "filter",
            MemberKind::XmlNode => "xmlnode",
            MemberKind::Procedure => "procedure",
            MemberKind::Change => "change",
            MemberKind::View => "view",
            MemberKind::Layout => "layout",
            MemberKind::Label => "label",
            MemberKind::Trigger => "trigger",
            MemberKind::Event => "event",
            MemberKind::Variable => "var",
            MemberKind::Other => "element",
        }
    }
}

/// A named (and possibly numbered) member somewhere in an object's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The kind.
    pub kind: MemberKind,
    /// The keyword as written, lower-cased (`field`, `procedure`, `addafter`, …).
    pub keyword: String,
    /// The member's ID (table fields, enum values).
    pub id: Option<IdRef>,
    /// The member's name (for changes like `modify(X)`/`addafter(X)`: the anchor/target).
    pub name: Option<NameRef>,
    /// Span of the whole member.
    pub span: Range<u32>,
    /// Nesting depth below the object body (0 = direct member).
    pub depth: u32,
    /// Byte spans of the element's `;`-separated arguments, trivia excluded
    /// (`field(1; "No."; Code[20])` → 3 spans; `part(Lines; "Sales Lines")` → 2);
    /// empty for procedures, triggers, events and variables.
    pub args: Vec<Range<u32>>,
}

fn member_kind(kw: &str) -> MemberKind {
    match kw {
        "field" => MemberKind::Field,
        "key" => MemberKind::Key,
        "fieldgroup" => MemberKind::FieldGroup,
        "value" => MemberKind::EnumValue,
        "area" | "group" | "repeater" | "part" | "systempart" | "usercontrol" | "grid"
        | "fixed" | "cuegroup" | "label" | "chartpart" => MemberKind::Control,
        "action" | "actionref" | "separator" | "customaction" | "fileuploadaction"
        | "systemaction" => MemberKind::Action,
        "dataitem" => MemberKind::DataItem,
        "column" => MemberKind::Column,
        "filter" => MemberKind::Filter,
        "tableelement" | "fieldelement" | "textelement" | "fieldattribute" | "textattribute"
        | "tableattribute" => MemberKind::XmlNode,
        "modify" | "addafter" | "addbefore" | "addfirst" | "addlast" | "add" | "moveafter"
        | "movebefore" | "movefirst" | "movelast" => MemberKind::Change,
        "view" => MemberKind::View,
        "layout" => MemberKind::Layout,
        _ => MemberKind::Other,
    }
}

impl<'p> Object<'p> {
    /// The underlying node.
    pub fn syntax(&self) -> SyntaxNode<'p> {
        self.0
    }

    /// The object's kind.
    pub fn kind(&self) -> Option<ObjectKind> {
        self.0
            .first_token()
            .and_then(|t| ObjectKind::from_keyword(t.kind()))
    }

    /// The numeric ID.
    pub fn id(&self) -> Option<IdRef> {
        let n = self.0.child(ObjectId)?;
        let t = n.first_token()?;
        Some(IdRef {
            value: std::str::from_utf8(t.text())
                .ok()
                .and_then(|s| s.parse().ok()),
            span: t.span(),
        })
    }

    /// The object's name.
    pub fn name(&self) -> Option<NameRef> {
        self.0
            .child(Name)
            .and_then(|n| n.first_token())
            .map(NameRef::from_token)
    }

    fn clause(&self, kind: SyntaxKind) -> Vec<(String, Range<u32>)> {
        self.0
            .child(kind)
            .map(|c| {
                c.children()
                    .filter(|q| q.kind() == QualifiedName)
                    .map(qualified)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `extends` target(s): one for extensions, possibly several for interfaces.
    pub fn extends(&self) -> Vec<(String, Range<u32>)> {
        self.clause(ExtendsClause)
    }

    /// `implements` list.
    pub fn implements(&self) -> Vec<(String, Range<u32>)> {
        self.clause(ImplementsClause)
    }

    /// `customizes` target of a page customization.
    pub fn customizes(&self) -> Option<(String, Range<u32>)> {
        self.clause(CustomizesClause).into_iter().next()
    }

    /// The body node.
    pub fn body(&self) -> Option<SyntaxNode<'p>> {
        self.0.child(Body)
    }

    /// Object-level properties as (name, raw value text, span of the property).
    pub fn properties(&self) -> Vec<Property<'p>> {
        self.body()
            .map(|b| {
                b.children()
                    .filter(|c| c.kind() == SyntaxKind::Property)
                    .map(Property)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every named member in the body, depth-first in source order.
    pub fn members(&self) -> Vec<Member> {
        let mut out = Vec::new();
        if let Some(b) = self.body() {
            collect_members(b, 0, &mut out);
        }
        out
    }
}

/// A `Name = value;` property.
#[derive(Debug, Clone, Copy)]
pub struct Property<'p>(pub(crate) SyntaxNode<'p>);

impl<'p> Property<'p> {
    /// The underlying node.
    pub fn syntax(&self) -> SyntaxNode<'p> {
        self.0
    }

    /// The property name as written.
    pub fn name(&self) -> String {
        String::from_utf8_lossy(self.name_bytes()).into_owned()
    }

    /// The property name's bytes as written (no allocation: compare with
    /// `eq_ignore_ascii_case`).
    ///
    /// ```
    /// let p = al_parser::parse(b"table 50100 T { Caption = 'T'; }");
    /// let o = p.source_file().objects().next().unwrap();
    /// assert!(o.properties()[0].name_bytes().eq_ignore_ascii_case(b"caption"));
    /// ```
    pub fn name_bytes(&self) -> &'p [u8] {
        self.0.first_token().map(|t| t.text()).unwrap_or_default()
    }

    /// The value node ([`SyntaxKind::PropertyValue`]).
    pub fn value(&self) -> Option<SyntaxNode<'p>> {
        self.0.child(PropertyValue)
    }
}

fn element_args<'p>(n: SyntaxNode<'p>) -> Vec<SyntaxNode<'p>> {
    n.child(ElementArgs)
        .map(|a| a.children().filter(|c| c.kind() == ElementArg).collect())
        .unwrap_or_default()
}

fn single_token(n: SyntaxNode<'_>) -> Option<SyntaxToken<'_>> {
    let mut it = sig_tokens(n);
    let t = it.next()?;
    if it.next().is_some() { None } else { Some(t) }
}

fn collect_members(body: SyntaxNode<'_>, depth: u32, out: &mut Vec<Member>) {
    for c in body.children() {
        match c.kind() {
            Element => {
                let Some(kw_tok) = c.first_token() else {
                    continue;
                };
                let keyword = kw_tok.text_lossy().to_ascii_lowercase();
                let kind = member_kind(&keyword);
                let args = element_args(c);
                let mut id = None;
                let mut name = None;
                let first = args.first().and_then(|a| single_token(*a));
                match first {
                    Some(t) if t.kind() == Int && args.len() >= 2 => {
                        id = Some(IdRef {
                            value: std::str::from_utf8(t.text())
                                .ok()
                                .and_then(|s| s.parse().ok()),
                            span: t.span(),
                        });
                        name = args
                            .get(1)
                            .and_then(|a| single_token(*a))
                            .filter(|t| t.kind().is_word())
                            .map(NameRef::from_token);
                    }
                    Some(t) if t.kind().is_word() => name = Some(NameRef::from_token(t)),
                    _ => {}
                }
                let args = args
                    .iter()
                    .filter_map(|a| {
                        let mut it = sig_tokens(*a);
                        let first = it.next()?;
                        let last = it.last().unwrap_or(first);
                        Some(first.span().start..last.span().end)
                    })
                    .collect();
                out.push(Member {
                    kind,
                    keyword,
                    id,
                    name,
                    span: c.span(),
                    depth,
                    args,
                });
                if let Some(b) = c.child(Body) {
                    collect_members(b, depth + 1, out);
                }
            }
            Section => {
                if let Some(b) = c.child(Body) {
                    collect_members(b, depth, out);
                }
            }
            Trigger | Procedure | EventDecl => {
                let kind = match c.kind() {
                    Trigger => MemberKind::Trigger,
                    Procedure => MemberKind::Procedure,
                    _ => MemberKind::Event,
                };
                let keyword = match kind {
                    MemberKind::Trigger => "trigger",
                    MemberKind::Procedure => "procedure",
                    _ => "event",
                };
                let name = c
                    .child(Name)
                    .and_then(|n| n.first_token())
                    .map(NameRef::from_token);
                out.push(Member {
                    kind,
                    keyword: keyword.into(),
                    id: None,
                    name,
                    span: c.span(),
                    depth,
                    args: Vec::new(),
                });
            }
            VarSection => {
                for d in c.children().filter(|d| d.kind() == VarDecl) {
                    let is_label = d
                        .child(TypeRef)
                        .and_then(|t| t.first_token())
                        .is_some_and(|t| t.text().eq_ignore_ascii_case(b"label"));
                    for n in d.children().filter(|n| n.kind() == Name) {
                        let name = n.first_token().map(NameRef::from_token);
                        let (kind, keyword) = if is_label {
                            (MemberKind::Label, "label")
                        } else {
                            (MemberKind::Variable, "var")
                        };
                        out.push(Member {
                            kind,
                            keyword: keyword.into(),
                            id: None,
                            name,
                            span: d.span(),
                            depth,
                            args: Vec::new(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

/// Iterates the significant (non-trivia) tokens of a node, flattening children.
pub fn significant_tokens<'p>(n: SyntaxNode<'p>) -> impl Iterator<Item = SyntaxToken<'p>> + 'p {
    sig_tokens(n)
}

#[allow(dead_code)]
fn _assert_used(n: NodeOrToken<'_>) -> bool {
    matches!(n, NodeOrToken::Node(_))
}
