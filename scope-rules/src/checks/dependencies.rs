//! Source rules that need the dependencies' **symbols** (`alkit check --symbols`,
//! `.alpackages`): what the app's objects clash with, write to, reference or move
//! against in the apps it depends on.
//!
//! | rule | scope | triggers on |
//! |---|---|---|
//! | AS0130 / PTE0025 | Marketplace / PTE | an object (not `dotnet`) with the type and name (case-insensitive, namespace ignored) of an object a dependency declares, or of another object of the app in another namespace; an object with `MovedFrom` or `MovedTo`, and a dependency's object moved (`MovedTo`) to this app, are one moved object and do not count |
//! | AS0059 | Marketplace | `V.Insert/Modify/ModifyAll/Delete/DeleteAll/Rename` through a local or global record variable not declared `temporary` whose table has an ID of 2,000,000,000 or more (by number in the type, else the table's ID in the dependencies' symbols). The rule's page names no list ("application database tables and reserved application tables"): alkit takes the documented system-table range, 2,000,000,000 and up (scope-rules.md §2.1). Not judged: parameters (a caller may pass a temporary record), a page's `Rec` (its `SourceTableTemporary`), `with` blocks |
//! | AS0105 | Marketplace | with `obsoleteTagMinAllowedMajorMinor` set in AppSourceCop.json: a reference (type, call, field, value, permission, `extends`, …) to a dependency's object or member whose `ObsoleteState` is `Pending` (or a procedure's `[Obsolete]`) and whose `ObsoleteTag` (Major.Minor) is lower ([`check_obsolete_references`]); references from the app's own obsolete code count too (the rule's page does not say otherwise) |
//! | AS0116 | Marketplace | a table or field `MovedFrom` an app whose symbols are not given, while AppSourceCop.json sets `sourceMovedObjectsPackagesCachePath` (moved-object validation on); without that setting alkit says it did not check (ALK0010) |
//! | AS0122 | Marketplace | a table or field `MovedFrom` an app whose symbols are given but do not declare it (table by ID, else name; field by ID, else name, on the same table or an extension of it) |
//! | AS0119 | Marketplace | that source symbol's `MovedTo` is missing or another app's id |
//! | AS0120 | Marketplace | a table or field `MovedTo` an app whose symbols declare it with a `MovedFrom` missing or naming another app |
//! | AS0121 | Marketplace | the moved symbol's name differs between the two apps (exact comparison) |
//! | AS0141 | Marketplace | a table without `MovedFrom` (or `MovedTo`) whose ID or name is a table another app marks `MovedTo` this app |
//! | AS0142 | Marketplace | a table without `MovedFrom` (or `MovedTo`) with the ID of a table another app declares (not AS0141) |
//! | ALK0010 | Marketplace / PTE | once, on app.json: what the rules above could not check for lack of symbols (dependencies without symbols, tables no symbols declare, moved symbols whose other app is missing) |
//!
//! The symbols come as [`AppSymbols`] (packages and source projects alike), with the
//! `ObsoleteState`/`ObsoleteTag`/`MovedFrom`/`MovedTo` markers ([`Markers`]) the symbol
//! readers keep. The app's own symbol with the app's id (a previous version among the
//! packages) is not another app.
//!
//! ```
//! use al_parser::symbols::{AppInfo, AppSymbols};
//! use scope_rules::checks::dependencies::{DependencyContext, check_with_dependencies};
//! use scope_rules::{objects_from_sources, IdRange, RuleConfig, Scope, SourceContext};
//! let dep = AppSymbols::from_sources(
//!     AppInfo { id: "d".into(), name: "Base".into(), publisher: "Microsoft".into(), ..AppInfo::default() },
//!     vec![al_parser::symbols::SourceText::new("T.al", b"table 18 Customer { }".to_vec())],
//! );
//! let src: &[u8] = b"table 50100 Customer { }";
//! let objects = objects_from_sources([("Customer.Table.al", src)]);
//! let ctx = SourceContext::new(Scope::Pte, vec![IdRange::new(50100, 50149)]);
//! let deps = DependencyContext::new("a", std::slice::from_ref(&dep), "app.json");
//! let d = check_with_dependencies(&objects, &ctx, &deps, &RuleConfig::new());
//! assert_eq!(d[0].code.as_str(), "PTE0025");
//! ```

use std::collections::{BTreeMap, BTreeSet};

use al_parser::resolve::{RefKind, Workspace};
use al_parser::symbols::{AppSymbols, Markers, MemberKind as SymMember, ObjectSymbol};

use crate::affix::strip_quotes;
use crate::checks::diagnostic::{Diagnostic, RuleConfig};
use crate::checks::rules::RuleId;
use crate::checks::source::{MemberKind, ObjectDecl, ObjectKind, Sink, SourceContext};
use crate::scope::Scope;

/// The lowest ID of the platform's system tables (scope-rules.md §2.1).
pub const SYSTEM_TABLE_START: u32 = 2_000_000_000;

/// What the dependency-symbol rules know about the app's dependencies.
#[derive(Debug, Clone)]
pub struct DependencyContext<'a> {
    /// The app's own id (GUID text, any case).
    pub app_id: String,
    /// The symbols of the dependencies and of every other app given (packages, source
    /// projects).
    pub apps: &'a [AppSymbols],
    /// The dependencies app.json declares (the "Application" umbrella included) whose
    /// symbols were not given, as `Name by Publisher`.
    pub missing: Vec<String>,
    /// AppSourceCop.json sets `sourceMovedObjectsPackagesCachePath`: moved-object
    /// validation is on, and a `MovedFrom` app not found is AS0116.
    pub moved_validation: bool,
    /// AS0105 is checked ([`check_obsolete_references`], AppSourceCop.json sets
    /// `obsoleteTagMinAllowedMajorMinor`): ALK0010 names it among the rules the missing
    /// dependencies leave unchecked.
    pub obsolete_references: bool,
    /// The file ALK0010 is reported on (app.json's label).
    pub manifest_file: String,
}

impl<'a> DependencyContext<'a> {
    /// A context with no missing dependencies and moved-object validation off.
    pub fn new(app_id: &str, apps: &'a [AppSymbols], manifest_file: &str) -> Self {
        DependencyContext {
            app_id: app_id.to_string(),
            apps,
            missing: Vec::new(),
            moved_validation: false,
            obsolete_references: false,
            manifest_file: manifest_file.to_string(),
        }
    }

    /// The given apps other than the app itself.
    fn others(&self) -> impl Iterator<Item = &'a AppSymbols> + '_ {
        let own = normalize_id(&self.app_id);
        self.apps
            .iter()
            .filter(move |a| normalize_id(&a.info.id) != own)
    }

    /// The given app with id `id`.
    fn app(&self, id: &str) -> Option<&'a AppSymbols> {
        let id = normalize_id(id);
        self.others().find(|a| normalize_id(&a.info.id) == id)
    }
}

/// A GUID as compared: trimmed, braces dropped, lower case.
fn normalize_id(id: &str) -> String {
    let t = id.trim();
    let t = t
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(t);
    t.to_ascii_lowercase()
}

fn key(name: &str) -> String {
    strip_quotes(name).trim().to_lowercase()
}

fn app_label(a: &AppSymbols) -> String {
    if a.info.publisher.is_empty() {
        a.info.name.clone()
    } else {
        format!("{} by {}", a.info.name, a.info.publisher)
    }
}

/// What the rules could not check for lack of symbols (ALK0010 parts).
#[derive(Default)]
struct Unchecked {
    parts: Vec<String>,
}

/// Runs the dependency-symbol rules (see the module table) over `objects`; rules disabled
/// in `config` are skipped. Gives nothing outside the Marketplace and PTE scopes.
pub fn check_with_dependencies(
    objects: &[ObjectDecl],
    ctx: &SourceContext,
    deps: &DependencyContext<'_>,
    config: &RuleConfig,
) -> Vec<Diagnostic> {
    let mut sink = Sink {
        out: Vec::new(),
        config,
    };
    let marketplace = ctx.scope == Scope::APPSOURCE;
    let pte = ctx.scope == Scope::Pte;
    if !marketplace && !pte {
        return sink.out;
    }
    let mut unchecked = Unchecked::default();
    duplicate_names(
        objects,
        deps,
        if pte { RuleId::PTE0025 } else { RuleId::AS0130 },
        &mut sink,
    );
    if !deps.missing.is_empty() {
        let rules = if pte {
            "PTE0025"
        } else if deps.obsolete_references {
            "AS0105, AS0130, AS0141, AS0142"
        } else {
            "AS0130, AS0141, AS0142"
        };
        unchecked.parts.push(format!(
            "{rules} against {} (no symbols)",
            deps.missing.join(", ")
        ));
    }
    if marketplace {
        reserved_table_writes(objects, deps, &mut sink, &mut unchecked);
        moved_symbols(objects, deps, &mut sink, &mut unchecked);
        moved_tables(objects, deps, &mut sink);
    }
    if !unchecked.parts.is_empty() {
        sink.push(
            RuleId::ALK0010,
            &deps.manifest_file,
            1,
            1,
            None,
            format!(
                "not checked for lack of dependency symbols: {}; pass --symbols (or fill .alpackages)",
                unchecked.parts.join("; ")
            ),
        );
    }
    sink.out
}

fn label(o: &ObjectDecl) -> String {
    format!("{} {:?}", o.kind, strip_quotes(&o.name))
}

fn push_on(sink: &mut Sink<'_>, rule: RuleId, o: &ObjectDecl, message: String) {
    sink.push(rule, &o.file, o.line, o.column, o.span.as_ref(), message);
}

/// AS0130 / PTE0025.
fn duplicate_names(
    objects: &[ObjectDecl],
    deps: &DependencyContext<'_>,
    rule: RuleId,
    sink: &mut Sink<'_>,
) {
    let own_id = normalize_id(&deps.app_id);
    let mut declared: BTreeMap<(ObjectKind, String), Vec<String>> = BTreeMap::new();
    for a in deps.others() {
        for o in &a.objects {
            let moved_here = o
                .markers
                .as_ref()
                .and_then(|m| m.moved_to.as_deref())
                .is_some_and(|t| normalize_id(t) == own_id);
            if o.kind == ObjectKind::DotNet || moved_here {
                continue;
            }
            let v = declared.entry((o.kind, key(&o.name))).or_default();
            let who = app_label(a);
            if !v.contains(&who) {
                v.push(who);
            }
        }
    }
    let mut own: BTreeMap<(ObjectKind, String), Vec<&ObjectDecl>> = BTreeMap::new();
    for o in objects.iter().filter(|o| o.kind != ObjectKind::DotNet) {
        let k = (o.kind, key(&o.name));
        let earlier = own.entry(k.clone()).or_default();
        if let Some(first) = earlier.iter().find(|e| e.namespace != o.namespace) {
            push_on(
                sink,
                rule,
                o,
                format!(
                    "{}: the app also declares {} {:?} in namespace {}; duplicate object names cause runtime and upgrade problems for dependents without namespaces",
                    label(o),
                    o.kind,
                    strip_quotes(&first.name),
                    first.namespace.as_deref().unwrap_or("(none)")
                ),
            );
        }
        earlier.push(o);
        if o.property("MovedFrom").is_some() || o.property("MovedTo").is_some() {
            continue;
        }
        if let Some(apps) = declared.get(&k) {
            push_on(
                sink,
                rule,
                o,
                format!(
                    "{}: {} declares a {} of the same name; duplicate object names cause runtime and upgrade problems for dependents without namespaces",
                    label(o),
                    apps.join(", "),
                    o.kind
                ),
            );
        }
    }
}

/// AS0059.
fn reserved_table_writes(
    objects: &[ObjectDecl],
    deps: &DependencyContext<'_>,
    sink: &mut Sink<'_>,
    unchecked: &mut Unchecked,
) {
    let own_tables: BTreeSet<String> = objects
        .iter()
        .filter(|o| o.kind == ObjectKind::Table)
        .map(|o| key(&o.name))
        .collect();
    let mut dep_tables: BTreeMap<String, u32> = BTreeMap::new();
    for a in deps.others() {
        for o in a.objects.iter().filter(|o| o.kind == ObjectKind::Table) {
            if let Some(id) = o.id {
                dep_tables.entry(key(&o.name)).or_insert(id.0);
            }
        }
    }
    let mut unknown: BTreeSet<String> = BTreeSet::new();
    let mut unknown_writes = 0usize;
    for o in objects {
        for w in &o.record_writes {
            let id = match w.table_number() {
                Some(n) => n,
                None if own_tables.contains(&key(&w.table)) => continue,
                None => match dep_tables.get(&key(&w.table)) {
                    Some(&n) => n,
                    None => {
                        unknown_writes += 1;
                        unknown.insert(w.table.clone());
                        continue;
                    }
                },
            };
            if id >= SYSTEM_TABLE_START {
                sink.push(
                    RuleId::AS0059,
                    &o.file,
                    w.line,
                    w.column,
                    None,
                    format!(
                        "{}: {}.{} writes the table {:?} ({id}), a reserved system table; in a multi-tenant environment use it only as a temporary record",
                        label(o),
                        w.variable,
                        w.method,
                        w.table
                    ),
                );
            }
        }
    }
    if unknown_writes > 0 {
        let names: Vec<String> = unknown.iter().map(|n| format!("{n:?}")).collect();
        unchecked.parts.push(format!(
            "AS0059 on {unknown_writes} write(s) to tables no symbols declare ({})",
            names.join(", ")
        ));
    }
}

/// A table or table field of the app with a `MovedFrom` or `MovedTo` property.
struct Moved<'o> {
    object: &'o ObjectDecl,
    /// The field, for a moved field.
    field: Option<&'o crate::checks::source::MemberDecl>,
    /// The table the symbol belongs to (the table itself, or the table a field is on).
    table: String,
    /// The property's value (an app id) and position.
    from: Option<(String, u32, u32)>,
    to: Option<(String, u32, u32)>,
}

impl Moved<'_> {
    fn what(&self) -> String {
        match self.field {
            Some(f) => format!("{}: field {:?}", label(self.object), strip_quotes(&f.name)),
            None => label(self.object),
        }
    }

    fn name(&self) -> &str {
        strip_quotes(self.field.map_or(&self.object.name, |f| &f.name)).trim()
    }

    fn id(&self) -> Option<u32> {
        match self.field {
            Some(f) => f.id,
            None => self.object.id,
        }
    }
}

fn moved_of(objects: &[ObjectDecl]) -> Vec<Moved<'_>> {
    let value = |props: &[crate::checks::source::PropertyDecl], name: &str| {
        props
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| (p.unquoted(), p.line, p.column))
    };
    let mut out = Vec::new();
    for o in objects {
        let table = match o.kind {
            ObjectKind::Table => strip_quotes(&o.name).trim().to_string(),
            ObjectKind::TableExtension => o
                .extends
                .as_ref()
                .map(|e| crate::parsed::target_name(&e.target).to_string())
                .unwrap_or_default(),
            _ => continue,
        };
        if o.kind == ObjectKind::Table {
            let (from, to) = (
                value(&o.properties, "MovedFrom"),
                value(&o.properties, "MovedTo"),
            );
            if from.is_some() || to.is_some() {
                out.push(Moved {
                    object: o,
                    field: None,
                    table: table.clone(),
                    from,
                    to,
                });
            }
        }
        for m in o.members.iter().filter(|m| m.kind == MemberKind::Field) {
            let (from, to) = (
                value(&m.properties, "MovedFrom"),
                value(&m.properties, "MovedTo"),
            );
            if from.is_some() || to.is_some() {
                out.push(Moved {
                    object: o,
                    field: Some(m),
                    table: table.clone(),
                    from,
                    to,
                });
            }
        }
    }
    out
}

/// The symbol in `app` that `m` is the moved copy of: the table (by ID, else name), or the
/// field (by ID, else name) on that table or an extension of it.
fn counterpart<'a>(app: &'a AppSymbols, m: &Moved<'_>) -> Option<(&'a str, Option<&'a Markers>)> {
    let table = key(&m.table);
    if m.field.is_none() {
        let tables = || app.objects.iter().filter(|o| o.kind == ObjectKind::Table);
        let t = tables()
            .find(|o| m.id().is_some() && o.id.map(|i| i.0) == m.id())
            .or_else(|| tables().find(|o| key(&o.name) == table))?;
        return Some((t.name.as_str(), t.markers.as_deref()));
    }
    let on_table = |o: &&ObjectSymbol| match o.kind {
        ObjectKind::Table => key(&o.name) == table,
        ObjectKind::TableExtension => o
            .extends
            .as_deref()
            .is_some_and(|e| key(crate::parsed::target_name(e)) == table),
        _ => false,
    };
    let fields = || {
        app.objects
            .iter()
            .filter(on_table)
            .flat_map(|o| o.members.iter())
            .filter(|f| f.kind == SymMember::Field)
    };
    let f = fields()
        .find(|f| m.id().is_some() && f.id == m.id())
        .or_else(|| fields().find(|f| key(&f.name) == key(m.name())))?;
    Some((f.name.as_str(), f.markers.as_deref()))
}

/// AS0116, AS0119–AS0122.
fn moved_symbols(
    objects: &[ObjectDecl],
    deps: &DependencyContext<'_>,
    sink: &mut Sink<'_>,
    unchecked: &mut Unchecked,
) {
    let own = normalize_id(&deps.app_id);
    let mut not_found = 0usize;
    for m in moved_of(objects) {
        let file = &m.object.file;
        if let Some((from, l, c)) = &m.from {
            match deps.app(from) {
                None if deps.moved_validation => sink.push(
                    RuleId::AS0116,
                    file,
                    *l,
                    *c,
                    None,
                    format!(
                        "{}: MovedFrom {from}: no symbols of that app were found (sourceMovedObjectsPackagesCachePath, --symbols, .alpackages)",
                        m.what()
                    ),
                ),
                None => not_found += 1,
                Some(src) => match counterpart(src, &m) {
                    None => sink.push(
                        RuleId::AS0122,
                        file,
                        *l,
                        *c,
                        None,
                        format!(
                            "{}: MovedFrom {}: that app's symbols declare no such symbol",
                            m.what(),
                            app_label(src)
                        ),
                    ),
                    Some((name, markers)) => {
                        let to = markers.and_then(|x| x.moved_to.as_deref());
                        if to.is_none_or(|t| normalize_id(t) != own) {
                            sink.push(
                                RuleId::AS0119,
                                file,
                                *l,
                                *c,
                                None,
                                format!(
                                    "{}: in {} the symbol's MovedTo is {}, not this app's id {}",
                                    m.what(),
                                    app_label(src),
                                    to.unwrap_or("not set"),
                                    deps.app_id
                                ),
                            );
                        }
                        renamed(sink, &m, name, src, (*l, *c));
                    }
                },
            }
        }
        if let Some((to, l, c)) = &m.to {
            match deps.app(to) {
                None => not_found += 1,
                Some(dst) => {
                    if let Some((name, markers)) = counterpart(dst, &m) {
                        let from = markers.and_then(|x| x.moved_from.as_deref());
                        if from.is_none_or(|f| normalize_id(f) != own) {
                            sink.push(
                                RuleId::AS0120,
                                file,
                                *l,
                                *c,
                                None,
                                format!(
                                    "{}: in {} the symbol's MovedFrom is {}, not this app's id {}",
                                    m.what(),
                                    app_label(dst),
                                    from.unwrap_or("not set"),
                                    deps.app_id
                                ),
                            );
                        }
                        renamed(sink, &m, name, dst, (*l, *c));
                    }
                }
            }
        }
    }
    if not_found > 0 {
        unchecked.parts.push(format!(
            "AS0119–AS0122 on {not_found} moved symbol(s) whose other app has no symbols given (pass its .app with --symbols; set sourceMovedObjectsPackagesCachePath to report AS0116)"
        ));
    }
}

/// AS0121: the moved symbol's name as the other app declares it differs.
fn renamed(sink: &mut Sink<'_>, m: &Moved<'_>, other: &str, app: &AppSymbols, at: (u32, u32)) {
    if other != m.name() {
        sink.push(
            RuleId::AS0121,
            &m.object.file,
            at.0,
            at.1,
            None,
            format!(
                "{}: {} calls it {other:?}; a moved symbol keeps its name",
                m.what(),
                app_label(app)
            ),
        );
    }
}

/// AS0141 / AS0142: a table of the app without `MovedFrom` that another app's table is
/// (or looks like) the source of.
fn moved_tables(objects: &[ObjectDecl], deps: &DependencyContext<'_>, sink: &mut Sink<'_>) {
    let own = normalize_id(&deps.app_id);
    for o in objects.iter().filter(|o| o.kind == ObjectKind::Table) {
        if o.property("MovedFrom").is_some() || o.property("MovedTo").is_some() {
            continue;
        }
        let same = |t: &ObjectSymbol| {
            t.kind == ObjectKind::Table
                && ((o.id.is_some() && t.id.map(|i| i.0) == o.id) || key(&t.name) == key(&o.name))
        };
        let moved_here = deps.others().find_map(|a| {
            a.objects
                .iter()
                .find(|t| {
                    same(t)
                        && t.markers
                            .as_ref()
                            .and_then(|m| m.moved_to.as_deref())
                            .is_some_and(|to| normalize_id(to) == own)
                })
                .map(|_| a)
        });
        if let Some(a) = moved_here {
            push_on(
                sink,
                RuleId::AS0141,
                o,
                format!(
                    "{}: {} marks this table MovedTo this app; the destination table must set MovedFrom = '{}'",
                    label(o),
                    app_label(a),
                    a.info.id
                ),
            );
            continue;
        }
        let same_id = deps.others().find(|a| {
            a.objects
                .iter()
                .any(|t| t.kind == ObjectKind::Table && o.id.is_some() && t.id.map(|i| i.0) == o.id)
        });
        if let (Some(a), Some(id)) = (same_id, o.id) {
            push_on(
                sink,
                RuleId::AS0142,
                o,
                format!(
                    "{}: {} declares a table with ID {id}; a table with a published schema moves only with MovedFrom = '{}'",
                    label(o),
                    app_label(a),
                    a.info.id
                ),
            );
        }
    }
}

/// `Major.Minor` of an obsolete tag or of `obsoleteTagMinAllowedMajorMinor` (`"18.0"`,
/// `"18.0.1"` → (18, 0)); `None` when the first two parts are not numbers.
pub fn major_minor(text: &str) -> Option<(u32, u32)> {
    let mut parts = text.trim().split('.');
    let major = parts.next()?.trim().parse().ok()?;
    let minor = parts.next()?.trim().parse().ok()?;
    Some((major, minor))
}

/// 1-based line and column in characters of `offset` in `text`.
fn char_position(text: &[u8], offset: u32) -> (u32, u32) {
    let end = (offset as usize).min(text.len());
    let before = text.get(..end).unwrap_or_default();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
        .chars()
        .count()
        + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

/// AS0105 (Marketplace): every reference of the workspace's first app (the app checked;
/// its files labelled as they should be reported) to a symbol of another app whose
/// `ObsoleteState` is `Pending` (a procedure's `[Obsolete]` counts as pending) with an
/// `ObsoleteTag` lower than `min` (`obsoleteTagMinAllowedMajorMinor`, Major.Minor).
/// Tags that are not `Major.Minor` are not compared.
///
/// ```
/// use al_parser::resolve::Workspace;
/// use al_parser::symbols::{AppInfo, ParsedApp, SourceText};
/// use scope_rules::checks::dependencies::check_obsolete_references;
/// use scope_rules::RuleConfig;
/// let dep = ParsedApp::parse(AppInfo::named("Dep"), vec![SourceText::new("P.al",
///     b"page 50100 SomePage { ObsoleteState = Pending; ObsoleteReason = 'Use X.'; ObsoleteTag = '18.0'; }".to_vec())]);
/// let app = ParsedApp::parse(AppInfo::named("App"), vec![SourceText::new("C.al",
///     b"codeunit 50101 MyCodeunit { var p: Page SomePage; }".to_vec())]);
/// let ws = Workspace::new(vec![app], vec![dep], vec![]);
/// assert_eq!(check_obsolete_references(&ws, (19, 0), &RuleConfig::new()).len(), 1);
/// assert!(check_obsolete_references(&ws, (18, 0), &RuleConfig::new()).is_empty());
/// ```
pub fn check_obsolete_references(
    ws: &Workspace,
    min: (u32, u32),
    config: &RuleConfig,
) -> Vec<Diagnostic> {
    let mut sink = Sink {
        out: Vec::new(),
        config,
    };
    let Some(Some(parsed)) = ws.parsed.first() else {
        return sink.out;
    };
    for r in ws.references(0) {
        let Some(sid) = r.resolution.symbol() else {
            continue;
        };
        if sid.app == 0 || r.kind == RefKind::Declaration {
            continue;
        }
        let markers = match sid.member {
            Some(_) => ws.index.member(sid).and_then(|m| m.markers.as_deref()),
            None => ws.index.object(sid).and_then(|o| o.markers.as_deref()),
        };
        let Some(m) = markers.filter(|m| m.state_is("Pending")) else {
            continue;
        };
        let Some(tag) = m.obsolete_tag.as_deref() else {
            continue;
        };
        if major_minor(tag).is_none_or(|t| t >= min) {
            continue;
        }
        let Some(file) = parsed.files.get(r.file as usize) else {
            continue;
        };
        let (line, column) = char_position(file.text(), r.span.start);
        let reason = m
            .obsolete_reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        sink.push(
            RuleId::AS0105,
            &file.path,
            line,
            column,
            None,
            format!(
                "{} is pending obsoletion with ObsoleteTag {tag}, below obsoleteTagMinAllowedMajorMinor {}.{}{reason}",
                ws.index.describe(sid),
                min.0,
                min.1
            ),
        );
    }
    sink.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use al_parser::symbols::{AppInfo, SourceText};

    fn app(id: &str, name: &str, src: &str) -> AppSymbols {
        AppSymbols::from_sources(
            AppInfo {
                id: id.into(),
                name: name.into(),
                publisher: "P".into(),
                ..AppInfo::default()
            },
            vec![SourceText::new("x.al", src.as_bytes().to_vec())],
        )
    }

    fn run(scope: Scope, own: &str, deps: &DependencyContext<'_>) -> Vec<Diagnostic> {
        let objects = crate::parsed::objects_from_sources([("a.al", own.as_bytes())]);
        let ctx = SourceContext::new(scope, vec![]);
        check_with_dependencies(&objects, &ctx, deps, &RuleConfig::new())
    }

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn duplicate_names_against_dependencies_and_namespaces() {
        let dep = app(
            "d",
            "Base",
            "table 18 Customer { }\npage 21 \"Customer Card\" { }",
        );
        let deps = DependencyContext::new("a", std::slice::from_ref(&dep), "app.json");
        let d = run(
            Scope::APPSOURCE,
            "table 70000000 \"CUSTOMER\" { }\ncodeunit 70000001 \"Customer Card\" { }",
            &deps,
        );
        assert_eq!(codes(&d), vec!["AS0130"]);
        assert!(d[0].message.contains("Base by P"), "{}", d[0].message);
        // Two namespaces of the app itself.
        let objects = [
            crate::parsed::objects_from_sources([(
                "a.al",
                b"namespace A.B;\ncodeunit 1 Mgt { }".as_slice(),
            )]),
            crate::parsed::objects_from_sources([(
                "b.al",
                b"namespace A.C;\ncodeunit 2 Mgt { }".as_slice(),
            )]),
        ]
        .concat();
        let ctx = SourceContext::new(Scope::Pte, vec![]);
        let none = DependencyContext::new("a", &[], "app.json");
        let d = check_with_dependencies(&objects, &ctx, &none, &RuleConfig::new());
        assert_eq!(codes(&d), vec!["PTE0025"]);
        assert_eq!(d[0].file, "b.al");
        // Dev scope: nothing.
        assert!(run(Scope::Dev, "table 1 Customer { }", &deps).is_empty());
    }

    #[test]
    fn missing_symbols_are_said_once() {
        let mut deps = DependencyContext::new("a", &[], "app.json");
        deps.missing = vec!["Base Application by Microsoft".into()];
        let d = run(
            Scope::APPSOURCE,
            "codeunit 1 C { var R: Record Company; procedure P() begin R.Insert(); R.Modify(); end; }",
            &deps,
        );
        assert_eq!(codes(&d), vec!["ALK0010"]);
        assert!(
            d[0].message
                .contains("AS0130, AS0141, AS0142 against Base Application by Microsoft")
        );
        assert!(
            d[0].message.contains("AS0059 on 2 write(s)"),
            "{}",
            d[0].message
        );
        assert_eq!((d[0].file.as_str(), d[0].line), ("app.json", 1));
    }

    #[test]
    fn reserved_tables() {
        let sys = app(
            "s",
            "System",
            "table 2000000006 Company { }\ntable 50 Other { }",
        );
        let deps = DependencyContext::new("a", std::slice::from_ref(&sys), "app.json");
        let src = "codeunit 1 C {\n var C: Record Company; T: Record Company temporary; O: Record Other; N: Record 2000000120;\n procedure P()\n var L: Record Company temporary;\n begin\n C.Insert(); T.Insert(); O.Insert(); N.Modify(); C.Get(); L.Delete();\n end;\n}";
        let d = run(Scope::APPSOURCE, src, &deps);
        assert_eq!(codes(&d), vec!["AS0059", "AS0059"]);
        assert_eq!((d[0].line, d[0].column), (6, 4));
        assert!(d[1].message.contains("2000000120"));
        // PTE: not an AppSourceCop rule.
        assert!(run(Scope::Pte, src, &deps).is_empty());
    }

    #[test]
    fn moved_tables_and_fields() {
        let own_id = "aaaaaaaa-0000-0000-0000-000000000001";
        let src_id = "bbbbbbbb-0000-0000-0000-000000000002";
        // The source app marks table 50100 and a field moved here; it calls the field Old.
        let source = app(
            src_id,
            "Source",
            &format!(
                "table 50100 Tier {{ ObsoleteState = Moved; MovedTo = '{own_id}'; fields {{ field(1; Code; Code[10]) {{ }} }} }}\n\
                 table 50101 Other {{ fields {{ field(5; Old; Integer) {{ MovedTo = '{own_id}'; }} field(6; Elsewhere; Integer) {{ }} }} }}\n\
                 table 50102 Same {{ }}"
            ),
        );
        let apps = [source];
        let deps = DependencyContext::new(own_id, &apps, "app.json");
        let good = format!(
            "table 50100 Tier {{ MovedFrom = '{src_id}'; }}\n\
             tableextension 50110 OtherExt extends Other {{ fields {{ field(5; New; Integer) {{ MovedFrom = '{src_id}'; }} field(6; Elsewhere; Integer) {{ MovedFrom = '{src_id}'; }} field(7; Nowhere; Integer) {{ MovedFrom = '{src_id}'; }} }} }}"
        );
        let d = run(Scope::APPSOURCE, &good, &deps);
        // Field 5: renamed (AS0121); field 6: its source does not say MovedTo (AS0119);
        // field 7: not in the source app (AS0122); the table is fine.
        assert_eq!(codes(&d), vec!["AS0121", "AS0119", "AS0122"], "{d:?}");
        // Tables without MovedFrom: marked MovedTo here (AS0141), same ID (AS0142).
        let d = run(
            Scope::APPSOURCE,
            "table 50100 Tier { }\ntable 50102 Elsewhere { }\ntable 50103 Fine { }",
            &deps,
        );
        assert_eq!(codes(&d), vec!["AS0141", "AS0142"], "{d:?}");
        // MovedFrom an app not given: AS0116 with moved-object validation on, else ALK0010.
        let none = DependencyContext::new(own_id, &[], "app.json");
        let d = run(Scope::APPSOURCE, &good, &none);
        assert_eq!(codes(&d), vec!["ALK0010"]);
        let mut on = none.clone();
        on.moved_validation = true;
        assert_eq!(
            codes(&run(Scope::APPSOURCE, &good, &on)),
            vec!["AS0116", "AS0116", "AS0116", "AS0116"]
        );
        // The source side: MovedTo an app whose symbol names another source (AS0120).
        let dest = app(
            src_id,
            "Dest",
            "table 50100 Tier { MovedFrom = 'cccccccc-0000-0000-0000-000000000003'; }",
        );
        let apps = [dest];
        let deps = DependencyContext::new(own_id, &apps, "app.json");
        let d = run(
            Scope::APPSOURCE,
            &format!("table 50100 Tier {{ ObsoleteState = PendingMove; MovedTo = '{src_id}'; }}"),
            &deps,
        );
        assert!(codes(&d).contains(&"AS0120"), "{d:?}");
    }

    #[test]
    fn major_minor_parses() {
        assert_eq!(major_minor("18.0"), Some((18, 0)));
        assert_eq!(major_minor(" 24.1.0 "), Some((24, 1)));
        assert_eq!(major_minor("x"), None);
        assert_eq!(major_minor("18"), None);
        assert_eq!(char_position("ab\ncé d".as_bytes(), 7), (2, 4));
    }
}
