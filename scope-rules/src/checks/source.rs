//! Source-level checks over a small, parser-independent description of the
//! app's objects ([`ObjectDecl`], [`MemberDecl`]).
//!
//! The AL parser's typed view is adapted to these structs (one
//! `ObjectDecl` per object declaration); the checks themselves need no
//! parser. Rules: AL0297, AL0264, AL0566 (IDs); AS0008, PTE0021 (reserved
//! namespaces); PTE0013 (entitlements in a PTE); AS0058, PTE0007
//! (`asserterror` outside test codeunits); AS0061, PTE0003 (CompanyOpen
//! subscribers); PTE0006 (encryption-key functions); AS0013, AS0099, PTE0001,
//! PTE0002, PTE0022, PTE0023 (scope ranges, via [`crate::ranges::classify`]);
//! AS0011, AS0098, AS0079, AS0127 (affixes and namespaces, Marketplace only);
//! AL0305, AL0304, AL0468, AL0534, AL0659 (name lengths); and the rules over
//! object and member properties in [`crate::checks::property_rules`] (AS0016,
//! AS0062/PTE0008, AS0103/PTE0004, AS0113/PTE0019, PTE0024, AS0073, AS0075,
//! AS0076), which need [`ObjectDecl::properties`] and
//! [`MemberDecl::properties`] (filled by [`crate::parsed`]).
//!
//! What the caller must supply that the source alone does not show:
//! whether an extension object extends an object of **another publisher**
//! ([`Extends::other_publisher`], needs dependency symbols; assume `true` when
//! unknown) and whether an enum-extension value exists in the **baseline**
//! ([`MemberDecl::in_baseline`]; AS0098 instead of AS0011). AL0264 is checked
//! within the given objects only; clashes with dependencies need symbols.
//!
//! ```
//! use scope_rules::checks::source::{check_objects, ObjectDecl, ObjectKind, SourceContext};
//! use scope_rules::{IdRange, RuleConfig, Scope};
//! let ctx = SourceContext::new(Scope::Pte, vec![IdRange::new(50100, 50149)]);
//! let mut t = ObjectDecl::new(ObjectKind::Codeunit, Some(50100), "Loyalty Mgt", "src/LoyaltyMgt.Codeunit.al");
//! let ok = check_objects(&[t.clone()], &ctx, &RuleConfig::new());
//! assert!(ok.is_empty());
//! t.id = Some(70000000);
//! let d = check_objects(&[t], &ctx, &RuleConfig::new());
//! let codes: Vec<&str> = d.iter().map(|d| d.code.as_str()).collect();
//! assert_eq!(codes, vec!["AL0297", "PTE0001"]);
//! ```

use std::collections::BTreeMap;
use std::ops::Range;

use crate::affix::{AffixTarget, Affixes, affix_rule, namespace_has_two_levels};
use crate::checks::diagnostic::{Diagnostic, RuleConfig};
use crate::checks::rules::RuleId;
use crate::limits::{NameKind, check_name_length};
use crate::ranges::{IdKind, IdRange, classify};
use crate::scope::Scope;

pub use al_parser::ast::{ObjectKind, UnknownObjectKind};

/// What a member is: al-parser's [`MemberKind`], as [`crate::parsed`] classifies the
/// members of a declaration — `Field` only on tables and table extensions (a page's
/// `field` is a `Control`), and kinds no rule reads (field groups, triggers, views, …)
/// as `Other` (checked only against the 120-character limit).
pub use al_parser::ast::MemberKind;

/// A member declared in an object body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberDecl {
    /// What it is.
    pub kind: MemberKind,
    /// Field number or enum ordinal, when it has one.
    pub id: Option<u32>,
    /// Its name (quotes allowed).
    pub name: String,
    /// 1-based line of the declaration.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// Byte span of the name, when known.
    pub span: Option<Range<usize>>,
    /// Whether the member already exists in the baseline (previous version).
    pub in_baseline: bool,
    /// The element keyword, lower case (`field`, `part`, `action`, …); empty
    /// when unknown.
    pub keyword: String,
    /// The member's own properties (`Name = value;` directly in its body).
    pub properties: Vec<PropertyDecl>,
}

impl MemberDecl {
    /// A member at 1:1 with no span, not in the baseline.
    pub fn new(kind: MemberKind, id: Option<u32>, name: impl Into<String>) -> Self {
        MemberDecl {
            kind,
            id,
            name: name.into(),
            line: 1,
            column: 1,
            span: None,
            in_baseline: false,
            keyword: String::new(),
            properties: Vec::new(),
        }
    }

    /// Same member with `keyword` (lower-cased).
    pub fn with_keyword(mut self, keyword: &str) -> Self {
        self.keyword = keyword.to_ascii_lowercase();
        self
    }

    /// Same member with one more property `name = value` at its own position.
    pub fn with_property(mut self, name: &str, value: &str) -> Self {
        let p = PropertyDecl::new(name, value).at(self.line, self.column);
        self.properties.push(p);
        self
    }

    /// The first property called `name` (case-insensitive).
    pub fn property(&self, name: &str) -> Option<&PropertyDecl> {
        find_property(&self.properties, name)
    }

    /// Same member at `line`, `column`.
    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = line;
        self.column = column;
        self
    }
}

/// A `Name = value;` property of an object or member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyDecl {
    /// The property name as written.
    pub name: String,
    /// The value's significant tokens, with one space only between two
    /// adjacent words (`tabledata "Loyalty Tier"=RIMD,table X=X`); string
    /// literals keep their single quotes.
    pub value: String,
    /// 1-based line of the property name.
    pub line: u32,
    /// 1-based column of the property name.
    pub column: u32,
}

impl PropertyDecl {
    /// A property at 1:1.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        PropertyDecl {
            name: name.into(),
            value: value.into(),
            line: 1,
            column: 1,
        }
    }

    /// Same property at `line`, `column`.
    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// The value with one pair of surrounding single quotes removed
    /// (`'24.0'` → `24.0`; `''` inside is undoubled) and trimmed.
    pub fn unquoted(&self) -> String {
        let v = self.value.trim();
        match v.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
            Some(inner) => inner.replace("''", "'"),
            None => v.to_string(),
        }
    }

    /// Whether the (unquoted) value equals `expected`, case-insensitively.
    pub fn value_is(&self, expected: &str) -> bool {
        self.unquoted().trim().eq_ignore_ascii_case(expected)
    }
}

fn find_property<'a>(props: &'a [PropertyDecl], name: &str) -> Option<&'a PropertyDecl> {
    props.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}

/// Who publishes the object an extension extends: it decides whether the extension's
/// members need the affix (AS0011, AS0079, AS0098 apply to another publisher's objects).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The app's own publisher (the app itself, or a dependency of the same publisher).
    Same,
    /// Another publisher.
    Other,
    /// Not known: no symbols for the extended object. [`check_objects`] does not check the
    /// ownership-dependent affix rules on its members and says so once (ALK0009).
    Unknown,
}

/// What an extension object extends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extends {
    /// The extended object as the source writes it (quotes and namespace kept, e.g.
    /// `"Gen. Journal Line"`, `Microsoft.Sales.Customer.Customer`); its name is
    /// [`crate::parsed::target_name`] of it.
    pub target: String,
    /// Who publishes it (from the app itself or dependency symbols).
    pub owner: Owner,
}

/// One object declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectDecl {
    /// Object type.
    pub kind: ObjectKind,
    /// Object ID, for kinds that carry one.
    pub id: Option<u32>,
    /// Object name (quotes allowed).
    pub name: String,
    /// The file's namespace (`A.B`), if any.
    pub namespace: Option<String>,
    /// File the object is declared in.
    pub file: String,
    /// 1-based line of the header.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// Byte span of the name, when known.
    pub span: Option<Range<usize>>,
    /// For extension objects: what is extended.
    pub extends: Option<Extends>,
    /// For permission sets: `Assignable = true`.
    pub assignable: bool,
    /// Members in declaration order.
    pub members: Vec<MemberDecl>,
    /// For codeunits: `Subtype = Test`.
    pub test_codeunit: bool,
    /// 1-based `(line, column)` of each `asserterror` statement in the object.
    pub assert_errors: Vec<(u32, u32)>,
    /// 1-based `(line, column)` of each `[EventSubscriber(…)]` to the platform's
    /// CompanyOpen event (`OnCompanyOpen` of codeunit "Company Triggers", 2000000003).
    pub company_open_subscribers: Vec<(u32, u32)>,
    /// Calls of the platform's encryption-key methods ([`ENCRYPTION_KEY_METHODS`], PTE0006):
    /// `(method as written, line, column)`.
    pub encryption_key_calls: Vec<(String, u32, u32)>,
    /// Writes (`Insert`, `Modify`, `ModifyAll`, `Delete`, `DeleteAll`, `Rename`) through a
    /// record variable that is not `temporary` (AS0059 decides with the table's ID).
    pub record_writes: Vec<RecordWrite>,
    /// Object-level properties (`Name = value;` directly in the body).
    pub properties: Vec<PropertyDecl>,
}

/// The platform's encryption-key methods of the `System` type that PerTenantExtensionCop
/// refuses (PTE0006, "encryption key functions must not be invoked"): the ones that create,
/// delete, export or import the tenant's key. `Encrypt`, `Decrypt`, `EncryptionEnabled` and
/// `EncryptionKeyExists` only use or test the key and are not in the list.
pub const ENCRYPTION_KEY_METHODS: [&str; 4] = [
    "CreateEncryptionKey",
    "DeleteEncryptionKey",
    "ExportEncryptionKey",
    "ImportEncryptionKey",
];

/// The record methods that write a table (AS0059).
pub const RECORD_WRITE_METHODS: [&str; 6] = [
    "Insert",
    "Modify",
    "ModifyAll",
    "Delete",
    "DeleteAll",
    "Rename",
];

/// A write to a table through a non-temporary record variable (`Company.Insert()` with
/// `Company: Record Company;`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordWrite {
    /// The variable as written.
    pub variable: String,
    /// The table as the variable's type names it: the name (last segment, unquoted) or
    /// the number as text.
    pub table: String,
    /// The method (`Insert`, `Modify`, …) as written.
    pub method: String,
    /// 1-based line of the method name.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl RecordWrite {
    /// The table's number when the type names it by number (`Record 2000000006`).
    pub fn table_number(&self) -> Option<u32> {
        self.table.parse().ok()
    }
}

impl ObjectDecl {
    /// An object at 1:1 of `file` with no namespace, no members and, for
    /// extension kinds, an unknown target of another publisher.
    pub fn new(
        kind: ObjectKind,
        id: Option<u32>,
        name: impl Into<String>,
        file: impl Into<String>,
    ) -> Self {
        ObjectDecl {
            kind,
            id,
            name: name.into(),
            namespace: None,
            file: file.into(),
            line: 1,
            column: 1,
            span: None,
            extends: kind.is_extension().then(|| Extends {
                target: String::new(),
                owner: Owner::Other,
            }),
            assignable: false,
            members: Vec::new(),
            test_codeunit: false,
            assert_errors: Vec::new(),
            company_open_subscribers: Vec::new(),
            encryption_key_calls: Vec::new(),
            record_writes: Vec::new(),
            properties: Vec::new(),
        }
    }

    /// Same object with one more object-level property `name = value` at
    /// the object's position.
    pub fn with_property(mut self, name: &str, value: &str) -> Self {
        let p = PropertyDecl::new(name, value).at(self.line, self.column);
        self.properties.push(p);
        self
    }

    /// The first object-level property called `name` (case-insensitive).
    pub fn property(&self, name: &str) -> Option<&PropertyDecl> {
        find_property(&self.properties, name)
    }

    /// Who publishes what this object extends ([`Owner::Other`] for objects that extend
    /// nothing: they are the app's own, their members never need the affix anyway).
    pub fn owner(&self) -> Owner {
        self.extends.as_ref().map_or(Owner::Other, |e| e.owner)
    }
}

/// App-level facts the source checks need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceContext {
    /// The app's scope.
    pub scope: Scope,
    /// Declared `idRanges`.
    pub declared: Vec<IdRange>,
    /// Mandatory affixes (AppSourceCop.json); affix rules are skipped when empty.
    pub affixes: Affixes,
    /// AppSourceCop.json `obsoleteTagPattern`; `None` means the default
    /// `(\d+)\.(\d+)` (see [`crate::checks::property_rules`] for what is supported).
    pub obsolete_tag_pattern: Option<String>,
    /// Table IDs granted by the app's XML permission sets
    /// ([`crate::checks::property_rules::xml_tabledata_grants`]; 0 = every table),
    /// counted by AS0103/PTE0004.
    pub xml_tabledata_grants: Vec<u32>,
    /// The app is published by Microsoft: the namespaces reserved for Microsoft (AS0008) and
    /// Microsoft's own ID ranges (AS0013 inside the declared ranges, or anywhere when it
    /// declares none, as Microsoft's localization apps) are its own.
    pub microsoft: bool,
}

impl SourceContext {
    /// A context with no affixes.
    pub fn new(scope: Scope, declared: Vec<IdRange>) -> Self {
        SourceContext {
            scope,
            declared,
            affixes: Affixes::default(),
            obsolete_tag_pattern: None,
            xml_tabledata_grants: Vec::new(),
            microsoft: false,
        }
    }

    /// Same context for an app of `publisher` (`Microsoft`, in any case, sets
    /// [`SourceContext::microsoft`]).
    pub fn with_publisher(mut self, publisher: &str) -> Self {
        self.microsoft = publisher.trim().eq_ignore_ascii_case("Microsoft");
        self
    }

    /// Same context with the table IDs granted by XML permission sets.
    pub fn with_xml_tabledata_grants(mut self, ids: Vec<u32>) -> Self {
        self.xml_tabledata_grants = ids;
        self
    }

    /// Same context with AppSourceCop.json's `obsoleteTagPattern`.
    pub fn with_obsolete_tag_pattern(mut self, pattern: Option<String>) -> Self {
        self.obsolete_tag_pattern = pattern;
        self
    }

    /// Same context with affixes.
    pub fn with_affixes(mut self, affixes: Affixes) -> Self {
        self.affixes = affixes;
        self
    }
}

pub(crate) struct Sink<'a> {
    pub(crate) out: Vec<Diagnostic>,
    pub(crate) config: &'a RuleConfig,
}

impl Sink<'_> {
    pub(crate) fn push(
        &mut self,
        code: RuleId,
        file: &str,
        line: u32,
        column: u32,
        span: Option<&Range<usize>>,
        message: String,
    ) {
        if !self.config.is_enabled(code.as_str()) {
            return;
        }
        let sev = self
            .config
            .severity_of(code.as_str(), code.default_severity());
        let mut d = Diagnostic::new(code, sev, file, message).at(line, column);
        if let Some(s) = span {
            d = d.with_span(s.clone());
        }
        self.out.push(d);
    }
}

fn member_range_kind(object: ObjectKind, member: MemberKind) -> Option<IdKind> {
    match (object, member) {
        (ObjectKind::Table, MemberKind::Field) => Some(IdKind::OwnTableField),
        (ObjectKind::TableExtension, MemberKind::Field) => Some(IdKind::TableExtensionField),
        (ObjectKind::Enum, MemberKind::EnumValue) => Some(IdKind::OwnEnumValue),
        (ObjectKind::EnumExtension, MemberKind::EnumValue) => Some(IdKind::EnumExtensionValue),
        _ => None,
    }
}

pub(crate) fn member_affix_target(object: ObjectKind, m: &MemberDecl) -> AffixTarget {
    use MemberKind as K;
    use ObjectKind as O;
    match (object, m.kind) {
        (O::TableExtension, K::Field) => AffixTarget::TableExtensionField,
        (O::TableExtension, K::Key) => AffixTarget::TableExtensionKey,
        (O::PageExtension, K::Control) => AffixTarget::PageExtensionControl,
        (O::PageExtension, K::Action) => AffixTarget::PageExtensionAction,
        (O::EnumExtension, K::EnumValue) => AffixTarget::EnumExtensionValue {
            in_baseline: m.in_baseline,
        },
        (O::ReportExtension, K::DataItem) => AffixTarget::ReportExtensionDataItem,
        (O::ReportExtension, K::Column) => AffixTarget::ReportExtensionColumn,
        (O::ReportExtension, K::Label) => AffixTarget::ReportExtensionLabel,
        // Request-page controls and actions: two apps adding one name to the same report
        // cannot be installed together (AppSourceCop's rule for them is not documented;
        // AS0098 as for the report extension's other members).
        (O::ReportExtension, K::Control | K::Action) => {
            AffixTarget::ReportExtensionRequestPageMember
        }
        (
            O::TableExtension | O::PageExtension | O::ReportExtension | O::EnumExtension,
            K::Procedure,
        ) => AffixTarget::ExtensionProcedure,
        _ => AffixTarget::OwnObjectMember,
    }
}

fn member_name_kind(m: MemberKind) -> NameKind {
    match m {
        MemberKind::Field => NameKind::Field,
        MemberKind::Key => NameKind::Key,
        MemberKind::EnumValue => NameKind::EnumIdentifier,
        _ => NameKind::Identifier,
    }
}

fn affix_list(a: &Affixes) -> String {
    a.as_slice().join(", ")
}

/// Whether a namespace starts with the reserved `Microsoft` or `System` segment.
pub fn is_reserved_namespace(namespace: &str) -> bool {
    let first = namespace.split('.').next().unwrap_or("");
    let first = crate::affix::strip_quotes(first).trim();
    first.eq_ignore_ascii_case("Microsoft") || first.eq_ignore_ascii_case("System")
}

/// Runs every source-level rule over `objects` and returns diagnostics in
/// object order, then member order. Rules disabled in `config` are skipped.
pub fn check_objects(
    objects: &[ObjectDecl],
    ctx: &SourceContext,
    config: &RuleConfig,
) -> Vec<Diagnostic> {
    let mut sink = Sink {
        out: Vec::new(),
        config,
    };
    let marketplace = ctx.scope == Scope::APPSOURCE;
    let affix_rules = marketplace && !ctx.affixes.is_empty();
    let mut seen: BTreeMap<(ObjectKind, u32), (&str, &str)> = BTreeMap::new();
    // Members whose affix rule depends on an owner not known (no symbols).
    let mut unknown = 0usize;
    let mut unknown_objects = 0usize;

    for o in objects {
        let label = format!("{} {:?}", o.kind, crate::affix::strip_quotes(&o.name));
        object_id_rules(&mut sink, ctx, o, &label, &mut seen);
        object_name_rules(&mut sink, ctx, o, &label);
        object_scope_rules(&mut sink, ctx, o, &label);
        if marketplace && o.kind != ObjectKind::DotNet {
            object_marketplace_rules(&mut sink, ctx, o, &label, affix_rules);
        }
        let before = unknown;
        member_rules(&mut sink, ctx, o, &label, affix_rules, &mut unknown);
        unknown_objects += usize::from(unknown > before);
    }
    if unknown > 0
        && let Some(first) = objects.iter().find(|o| o.owner() == Owner::Unknown)
    {
        push_on_object(
            &mut sink,
            first,
            RuleId::ALK0009,
            format!(
                "not checked: the affix rules AS0011/AS0079/AS0098 on {unknown} member(s) of {unknown_objects} \
                 extension object(s) depend on who publishes the extended objects, and no symbols name them; \
                 pass --symbols (or fill .alpackages) to check them"
            ),
        );
    }
    crate::checks::property_rules::check(objects, ctx, &mut sink);
    sink.out
}

/// Pushes a diagnostic placed on the object's header.
fn push_on_object(sink: &mut Sink<'_>, o: &ObjectDecl, code: RuleId, message: String) {
    sink.push(code, &o.file, o.line, o.column, o.span.as_ref(), message);
}

/// The object ID: range rules of the scope, then AL0264 when another object of the
/// same kind already uses it (`seen` remembers the first name and file per kind and ID).
fn object_id_rules<'o>(
    sink: &mut Sink<'_>,
    ctx: &SourceContext,
    o: &'o ObjectDecl,
    label: &str,
    seen: &mut BTreeMap<(ObjectKind, u32), (&'o str, &'o str)>,
) {
    let Some(id) = o.id.filter(|_| o.kind.has_id()) else {
        return;
    };
    // Microsoft's own apps use Microsoft's ranges: an ID inside the declared ranges is theirs.
    let own_range =
        ctx.microsoft && (ctx.declared.is_empty() || ctx.declared.iter().any(|r| r.contains(id)));
    for f in classify(ctx.scope, IdKind::Object, id, &ctx.declared).findings {
        if own_range && f.rule == RuleId::AS0013 {
            continue;
        }
        push_on_object(sink, o, f.rule, format!("{label}: {}", f.reason));
    }
    if let Some((other_name, other_file)) = seen.get(&(o.kind, id)) {
        push_on_object(
            sink,
            o,
            RuleId::AL0264,
            format!(
                "{label}: ID {id} is already used by {} {other_name:?} in {other_file}",
                o.kind
            ),
        );
    } else {
        seen.insert(
            (o.kind, id),
            (crate::affix::strip_quotes(&o.name), o.file.as_str()),
        );
    }
}

/// The object's name length, and a namespace reserved for Microsoft (PTE0021 / AS0008).
fn object_name_rules(sink: &mut Sink<'_>, ctx: &SourceContext, o: &ObjectDecl, label: &str) {
    if let Some(v) = check_name_length(
        crate::limits::object_name_kind(o.kind, o.assignable),
        &o.name,
    ) {
        push_on_object(
            sink,
            o,
            v.limit.rule,
            format!(
                "{label}: name has {} characters; the limit is {}",
                v.length, v.limit.max
            ),
        );
    }
    if let Some(ns) = o.namespace.as_deref()
        && is_reserved_namespace(ns)
        && !ctx.microsoft
    {
        let rule = match ctx.scope {
            Scope::Pte => Some(RuleId::PTE0021),
            s if s == Scope::APPSOURCE => Some(RuleId::AS0008),
            _ => None,
        };
        if let Some(rule) = rule {
            push_on_object(
                sink,
                o,
                rule,
                format!("{label}: namespace {ns:?} is reserved for Microsoft (System/Microsoft)"),
            );
        }
    }
}

/// What the scope forbids in an object: asserterror outside test codeunits
/// (PTE0007 / AS0058), CompanyOpen subscribers (AS0061 / PTE0003), encryption-key calls
/// (PTE0006) and entitlements in a PTE (PTE0013).
fn object_scope_rules(sink: &mut Sink<'_>, ctx: &SourceContext, o: &ObjectDecl, label: &str) {
    // Test assertions belong in test codeunits.
    let assert_rule = match ctx.scope {
        Scope::Pte => Some(RuleId::PTE0007),
        s if s == Scope::APPSOURCE => Some(RuleId::AS0058),
        _ => None,
    };
    if let Some(rule) = assert_rule.filter(|_| !o.test_codeunit) {
        for &(l, c) in &o.assert_errors {
            sink.push(
                rule,
                &o.file,
                l,
                c,
                None,
                format!("{label}: asserterror is only allowed in test codeunits (Subtype = Test)"),
            );
        }
    }
    // CompanyOpen runs on every session start: not allowed in the cloud (AS0061 / PTE0003).
    let company_open_rule = match ctx.scope {
        Scope::Pte => Some(RuleId::PTE0003),
        s if s == Scope::APPSOURCE => Some(RuleId::AS0061),
        _ => None,
    };
    if let Some(rule) = company_open_rule {
        for &(l, c) in &o.company_open_subscribers {
            sink.push(
                rule,
                &o.file,
                l,
                c,
                None,
                format!(
                    "{label}: subscribes to the CompanyOpen event (OnCompanyOpen of \"Company Triggers\"); \
                     subscribe to OnCompanyOpenCompleted instead"
                ),
            );
        }
    }
    // The tenant's encryption key is the service's, not an extension's (PTE0006).
    if ctx.scope == Scope::Pte {
        for (method, l, c) in &o.encryption_key_calls {
            sink.push(
                RuleId::PTE0006,
                &o.file,
                *l,
                *c,
                None,
                format!(
                    "{label}: calls {method}; encryption key functions must not be invoked in a per-tenant extension"
                ),
            );
        }
    }
    // Entitlements are for Microsoft and Marketplace licensing, not PTEs.
    if ctx.scope == Scope::Pte && o.kind == ObjectKind::Entitlement {
        push_on_object(
            sink,
            o,
            RuleId::PTE0013,
            format!("{label}: per-tenant extensions cannot define entitlements"),
        );
    }
}

/// Marketplace namespace and affix rules of an object (not DotNet): AS0127, and the
/// affix rule of new and extension objects when `affix_rules`.
///
/// AS0127 asks for a namespace of two levels as the way for an object name to go without
/// an affix, so an object whose name carries an affix is not reported: Microsoft's own CI
/// compiles BCApps' CZ localization apps with AppSourceCop and AS0127 as an error, and
/// their 109 affixed objects outside two-level namespaces (no namespace, or `Microsoft`)
/// pass.
fn object_marketplace_rules(
    sink: &mut Sink<'_>,
    ctx: &SourceContext,
    o: &ObjectDecl,
    label: &str,
    affix_rules: bool,
) {
    let two_levels = namespace_has_two_levels(o.namespace.as_deref());
    if !two_levels && !ctx.affixes.has_affix(&o.name) {
        push_on_object(
            sink,
            o,
            RuleId::AS0127,
            format!("{label} is not in a namespace of at least two levels"),
        );
    }
    let target = if o.kind.is_extension() {
        AffixTarget::ExtensionObject
    } else {
        AffixTarget::NewObject
    };
    if affix_rules
        && let Some(rule) = affix_rule(target, true, two_levels)
        && !ctx.affixes.has_affix(&o.name)
    {
        push_on_object(
            sink,
            o,
            rule,
            format!(
                "{label}: the name must start or end with one of the affixes {}",
                affix_list(&ctx.affixes)
            ),
        );
    }
}

/// The rules on each member, in declaration order: ID ranges, name length, and the
/// affix rule for members added to another publisher's object when `affix_rules`.
fn member_rules(
    sink: &mut Sink<'_>,
    ctx: &SourceContext,
    o: &ObjectDecl,
    label: &str,
    affix_rules: bool,
    unknown: &mut usize,
) {
    let file = o.file.as_str();
    let owner = o.owner();
    for m in &o.members {
        let (ml, mc, ms) = (m.line, m.column, m.span.as_ref());
        let mlabel = format!("{label}: {:?}", crate::affix::strip_quotes(&m.name));
        if let (Some(id), Some(kind)) = (m.id, member_range_kind(o.kind, m.kind)) {
            let own_range = ctx.microsoft
                && (ctx.declared.is_empty() || ctx.declared.iter().any(|r| r.contains(id)));
            for f in classify(ctx.scope, kind, id, &ctx.declared).findings {
                if own_range && f.rule == RuleId::AS0013 {
                    continue;
                }
                sink.push(f.rule, file, ml, mc, ms, format!("{mlabel}: {}", f.reason));
            }
        }
        if let Some(v) = check_name_length(member_name_kind(m.kind), &m.name) {
            sink.push(
                v.limit.rule,
                file,
                ml,
                mc,
                ms,
                format!(
                    "{mlabel}: name has {} characters; the limit is {}",
                    v.length, v.limit.max
                ),
            );
        }
        if affix_rules
            && let Some(rule) =
                affix_rule(member_affix_target(o.kind, m), owner != Owner::Same, false)
            && !ctx.affixes.has_affix(&m.name)
        {
            if owner == Owner::Unknown {
                *unknown += 1;
                continue;
            }
            sink.push(
                rule,
                file,
                ml,
                mc,
                ms,
                format!(
                    "{mlabel}: members added to another publisher's object must start or end with one of the affixes {}",
                    affix_list(&ctx.affixes)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    /// These hand-built objects carry no properties; the property rules
    /// (`crate::checks::property_rules`) are tested there with parsed AL.
    fn no_property_rules() -> RuleConfig {
        let mut c = RuleConfig::new();
        for id in ["AS0016", "AS0103", "PTE0004", "AS0138", "PTE0026"] {
            c.disable(id);
        }
        c
    }

    fn as_ctx() -> SourceContext {
        SourceContext::new(Scope::APPSOURCE, vec![IdRange::new(70_000_000, 70_000_099)])
            .with_affixes(Affixes::new(["CLP"]))
    }

    #[test]
    fn asserterror_outside_test_codeunits() {
        let mut c = ObjectDecl::new(ObjectKind::Codeunit, Some(50100), "Worker", "w.al");
        c.assert_errors = vec![(4, 9)];
        let pte = SourceContext::new(Scope::Pte, vec![IdRange::new(50100, 50149)]);
        let d = check_objects(std::slice::from_ref(&c), &pte, &RuleConfig::new());
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].code.as_str(), d[0].line, d[0].column),
            ("PTE0007", 4, 9)
        );
        let app = SourceContext::new(Scope::APPSOURCE, vec![IdRange::new(70_000_000, 70_000_100)]);
        let mut c70 = c.clone();
        c70.id = Some(70_000_000);
        c70.namespace = Some("A.B".into());
        let d = check_objects(std::slice::from_ref(&c70), &app, &RuleConfig::new());
        assert_eq!(
            d.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
            vec!["AS0058"]
        );
        c.test_codeunit = true;
        assert!(check_objects(&[c], &pte, &RuleConfig::new()).is_empty());
    }

    #[test]
    fn entitlements_are_pte0013_in_a_pte_only() {
        let e = ObjectDecl::new(ObjectKind::Entitlement, None, "Loyalty Ent", "e.al");
        let pte = SourceContext::new(Scope::Pte, vec![IdRange::new(50100, 50149)]);
        let d = check_objects(std::slice::from_ref(&e), &pte, &RuleConfig::new());
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].code.as_str(), d[0].severity),
            ("PTE0013", crate::checks::diagnostic::Severity::Error)
        );
        let dev = SourceContext::new(Scope::Dev, vec![IdRange::new(50100, 50149)]);
        assert!(check_objects(&[e], &dev, &RuleConfig::new()).is_empty());
    }

    fn ns(mut o: ObjectDecl) -> ObjectDecl {
        o.namespace = Some("Contoso.Loyalty".into());
        o
    }

    #[test]
    fn kinds_parse() {
        for k in ObjectKind::ALL {
            assert_eq!(k.as_str().parse::<ObjectKind>().unwrap(), k);
        }
        assert_eq!(
            "Table Extension".parse::<ObjectKind>().unwrap(),
            ObjectKind::TableExtension
        );
        assert_eq!(
            "XmlPort".parse::<ObjectKind>().unwrap(),
            ObjectKind::XmlPort
        );
        assert!("widget".parse::<ObjectKind>().is_err());
    }

    #[test]
    fn duplicate_ids_al0264() {
        let ctx = SourceContext::new(Scope::Dev, vec![]);
        let a = ObjectDecl::new(ObjectKind::Table, Some(50100), "A", "a.al");
        let b = ObjectDecl::new(ObjectKind::Table, Some(50100), "B", "b.al");
        let p = ObjectDecl::new(ObjectKind::Page, Some(50100), "A", "p.al");
        assert_eq!(
            codes(&check_objects(
                &[a.clone(), p.clone()],
                &ctx,
                &RuleConfig::new()
            )),
            Vec::<&str>::new()
        );
        let d = check_objects(&[a, p, b], &ctx, &RuleConfig::new());
        assert_eq!(codes(&d), vec!["AL0264"]);
        assert_eq!(d[0].file, "b.al");
    }

    #[test]
    fn object_affix_and_namespace() {
        let ctx = as_ctx();
        let good = ns(ObjectDecl::new(
            ObjectKind::Table,
            Some(70_000_000),
            "CLP Setup",
            "s.al",
        ));
        assert!(check_objects(&[good], &ctx, &no_property_rules()).is_empty());
        // Namespace replaces the affix but AS0127 is about the namespace only.
        let ns_only = ns(ObjectDecl::new(
            ObjectKind::Table,
            Some(70_000_000),
            "Setup",
            "s.al",
        ));
        assert!(check_objects(&[ns_only], &ctx, &no_property_rules()).is_empty());
        // An affix without a two-level namespace: neither AS0011 nor AS0127.
        let affixed = ObjectDecl::new(ObjectKind::Codeunit, Some(70_000_001), "CLP Mgt", "s.al");
        assert!(check_objects(&[affixed], &ctx, &RuleConfig::new()).is_empty());
        let bare = ObjectDecl::new(ObjectKind::Codeunit, Some(70_000_001), "Setup Mgt", "s.al");
        assert_eq!(
            codes(&check_objects(&[bare], &ctx, &RuleConfig::new())),
            vec!["AS0127", "AS0011"]
        );
        let mut cfg = RuleConfig::new();
        cfg.disable("AS0127");
        let bare = ObjectDecl::new(ObjectKind::Interface, None, "IReward", "i.al");
        assert_eq!(codes(&check_objects(&[bare], &ctx, &cfg)), vec!["AS0011"]);
        // PTEs need no affix.
        let pte = SourceContext::new(Scope::Pte, vec![]).with_affixes(Affixes::new(["CLP"]));
        let bare = ObjectDecl::new(ObjectKind::Codeunit, Some(50_100), "Setup Mgt", "s.al");
        assert!(check_objects(&[bare], &pte, &RuleConfig::new()).is_empty());
    }

    #[test]
    fn extension_members() {
        let ctx = as_ctx();
        let mut te = ns(ObjectDecl::new(
            ObjectKind::TableExtension,
            Some(70_000_010),
            "CLP Customer",
            "c.al",
        ));
        te.members = vec![
            MemberDecl::new(MemberKind::Field, Some(70_000_000), "CLP Points").at(5, 9),
            MemberDecl::new(MemberKind::Field, Some(70_000_001), "Points Tier").at(6, 9),
            MemberDecl::new(MemberKind::Field, Some(50_000), "CLP Old"),
            MemberDecl::new(MemberKind::Key, None, "PointsKey"),
            MemberDecl::new(MemberKind::Procedure, None, "AddPoints"),
            MemberDecl::new(MemberKind::Procedure, None, "CLPAddPoints"),
        ];
        let d = check_objects(&[te.clone()], &ctx, &no_property_rules());
        assert_eq!(codes(&d), vec!["AS0011", "AS0013", "AS0098", "AS0079"]);
        assert_eq!((d[0].line, d[0].column), (6, 9));
        // Same publisher: no member affixes needed.
        te.extends = Some(Extends {
            target: "Customer".into(),
            owner: Owner::Same,
        });
        let d = check_objects(&[te], &ctx, &no_property_rules());
        assert_eq!(codes(&d), vec!["AS0013"]);
    }

    #[test]
    fn enum_extension_values() {
        let ctx = as_ctx();
        let mut ee = ns(ObjectDecl::new(
            ObjectKind::EnumExtension,
            Some(70_000_020),
            "CLP Tier Ext",
            "e.al",
        ));
        let mut existing = MemberDecl::new(MemberKind::EnumValue, Some(70_000_001), "Gold");
        existing.in_baseline = true;
        ee.members = vec![
            MemberDecl::new(MemberKind::EnumValue, Some(70_000_000), "Silver"),
            existing,
            MemberDecl::new(MemberKind::EnumValue, Some(3), "CLP Bronze"),
        ];
        let d = check_objects(&[ee], &ctx, &RuleConfig::new());
        assert_eq!(codes(&d), vec!["AS0011", "AS0098", "AS0099"]);
    }

    #[test]
    fn pte_member_ranges() {
        let ctx = SourceContext::new(Scope::Pte, vec![IdRange::new(50_100, 50_149)]);
        let mut t = ObjectDecl::new(ObjectKind::Table, Some(50_100), "Setup", "t.al");
        t.members = vec![
            MemberDecl::new(MemberKind::Field, Some(1), "Primary Key"),
            MemberDecl::new(MemberKind::Field, Some(200_000), "Far"),
        ];
        let mut te = ObjectDecl::new(ObjectKind::TableExtension, Some(50_101), "Cust Ext", "c.al");
        te.members = vec![
            MemberDecl::new(MemberKind::Field, Some(50_110), "Points"),
            MemberDecl::new(MemberKind::Field, Some(50_200), "Other"),
        ];
        let mut ee = ObjectDecl::new(ObjectKind::EnumExtension, Some(50_102), "Tier Ext", "e.al");
        ee.members = vec![MemberDecl::new(
            MemberKind::EnumValue,
            Some(70_000_000),
            "Gold",
        )];
        let d = check_objects(&[t, te, ee], &ctx, &no_property_rules());
        assert_eq!(codes(&d), vec!["PTE0002", "PTE0022", "PTE0023"]);
    }

    #[test]
    fn reserved_namespaces() {
        assert!(is_reserved_namespace("Microsoft.Sales"));
        assert!(is_reserved_namespace("system"));
        assert!(!is_reserved_namespace("Contoso.Microsoft"));
        let mut o = ObjectDecl::new(ObjectKind::Codeunit, Some(50_100), "Mgt", "m.al");
        o.namespace = Some("Microsoft.Sales".into());
        let pte = SourceContext::new(Scope::Pte, vec![]);
        assert_eq!(
            codes(&check_objects(&[o.clone()], &pte, &RuleConfig::new())),
            vec!["PTE0021"]
        );
        o.id = Some(70_000_000);
        let d = check_objects(&[o.clone()], &as_ctx(), &RuleConfig::new());
        assert_eq!(codes(&d), vec!["AS0008"]);
        o.namespace = Some("Contoso.Sales".into());
        o.id = Some(50_100);
        assert!(check_objects(&[o], &pte, &RuleConfig::new()).is_empty());
    }

    #[test]
    fn name_lengths() {
        let ctx = SourceContext::new(Scope::Dev, vec![]);
        let mut t = ObjectDecl::new(ObjectKind::Table, Some(1), "T".repeat(31), "t.al");
        t.members = vec![
            MemberDecl::new(MemberKind::Field, Some(1), "F".repeat(31)),
            MemberDecl::new(MemberKind::Key, None, "K".repeat(29)),
            MemberDecl::new(MemberKind::Procedure, None, "P".repeat(121)),
            MemberDecl::new(MemberKind::Key, None, "K".repeat(28)),
        ];
        let mut ps = ObjectDecl::new(ObjectKind::PermissionSet, Some(2), "P".repeat(21), "p.al");
        ps.assignable = true;
        let e = ObjectDecl::new(ObjectKind::Enum, Some(3), "E".repeat(31), "e.al");
        let i = ObjectDecl::new(ObjectKind::Interface, None, "I".repeat(38), "i.al");
        let d = check_objects(&[t, ps, e, i], &ctx, &RuleConfig::new());
        assert_eq!(
            codes(&d),
            vec!["AL0305", "AL0468", "AL0534", "AL0304", "AL0305", "AL0659"]
        );
    }
}
