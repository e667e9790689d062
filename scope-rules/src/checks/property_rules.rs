//! Source rules decided by object and member **properties**: data
//! classification, application areas, permission-set coverage and
//! wildcards, obsoletion properties, move properties, and XML permission sets.
//!
//! (AS0138/PTE0026 on fields, AS0016 and the obsoletion rules come before
//! AS0062/PTE0008, AS0103/PTE0004 and AS0113/PTE0019 for each object.)
//!
//! They run as part of [`crate::checks::source::check_objects`] (except
//! [`check_xml_permission_sets`], which looks at non-AL files):
//!
//! | rule | scope | triggers on |
//! |---|---|---|
//! | AS0016 | Marketplace | a normal table / table-extension field (not `FieldClass = FlowField`/`FlowFilter`, not `ObsoleteState = Removed`, not in a `TableType = Temporary` table) whose effective `DataClassification` (its own, else the object's) is missing or `ToBeClassified` |
//! | AS0062 / PTE0008 | Marketplace / PTE | a page or page-extension `field`, `label`, `part`, `systempart`, `chartpart`, `usercontrol`, `action`, `customaction` or `fileuploadaction` without `ApplicationArea`, when the object has no object-level `ApplicationArea` (runtime 11.0+ default) and is not `PageType = API` |
//! | AS0103 / PTE0004 | Marketplace / PTE | a table (not `TableType = Temporary`) that no `permissionset` / `permissionsetextension` of the app grants `tabledata` for (by name, ID, or a `*` / `?` wildcard) |
//! | AS0113 / PTE0019 | Marketplace / PTE | a `permissionsetextension` `Permissions` entry whose object is a wildcard (contains `*` or `?`) |
//! | AS0110 / PTE0016 | Marketplace / PTE | a `permissionsetextension` `Permissions` entry (`tabledata`, `table`, `page`, `report`, `codeunit`, `xmlport`, `query`; not a wildcard, not `system`) naming an object the app does not declare |
//! | AS0111 / PTE0017 | Marketplace / PTE | a `permissionsetextension` `IncludedPermissionSets` entry naming a permission set the app does not declare |
//! | AS0112 / PTE0018 | Marketplace / PTE | a `permissionsetextension` `IncludedPermissionSets` entry naming one of the app's own permission sets that grants (itself, or through the app's own sets it includes) an object the app does not declare |
//! | PTE0024 | PTE | a `MovedFrom` or `MovedTo` property on an object or member |
//! | AS0075 | Marketplace | `ObsoleteState` other than `No` without `ObsoleteReason` |
//! | AS0073 | Marketplace | `ObsoleteState` other than `No` without `ObsoleteTag` (Hidden) |
//! | AS0076 | Marketplace | `ObsoleteTag` not matching `obsoleteTagPattern` (Hidden) |
//! | AS0138 / PTE0026 | Marketplace / PTE | a table / table-extension field whose effective `AllowInCustomizations` (its own, else the object's) is missing, `ToBeClassified` or `Always` (Hidden) |
//! | AS0094 / PTE0014 | Marketplace / PTE | an `*.xml` file whose root element is `PermissionSets` ([`check_xml_permission_sets`]) |
//!
//! Readings and limits:
//! - ApplicationArea (AS0062): Microsoft's page says controls and actions need
//!   it and that "from runtime 11.0, you can specify on the application object
//!   level the ApplicationArea to use as default"; the property applies to page
//!   labels, fields, parts, system parts, chart parts, user controls, actions,
//!   custom actions and file-upload actions, so containers (`area`, `group`,
//!   `repeater`, `grid`, `fixed`, `cuegroup`), `actionref`, `separator` and
//!   `systemaction` are not checked. API pages (`PageType = API`) have no UI
//!   and are skipped (this is our reading, not stated on the rule page).
//!   Report request pages are not checked. A page extension is judged on its
//!   own object-level `ApplicationArea` only (the extended page's default
//!   needs dependency symbols).
//! - Permission coverage (AS0103/PTE0004) counts `tabledata` entries
//!   (`table X = X` grants no data access) in the app's own permission sets
//!   and permission set extensions, plus the table IDs of XML permission sets
//!   when the caller passes them ([`xml_tabledata_grants`],
//!   [`SourceContext::with_xml_tabledata_grants`]); entitlements and
//!   `InherentPermissions` are not counted.
//! - AS0076: with no `obsoleteTagPattern`, or with one of the spellings of
//!   the default (`(\d+)\.(\d+)`, `\d+\.\d+`, optionally anchored with `^…$`),
//!   the whole tag must be `Major.Minor` (digits `.` digits). Any other custom
//!   pattern needs a regular-expression engine, which this crate does not
//!   carry: AS0076 is then not checked.
//! - Procedure `[Obsolete('reason', 'tag')]` attributes are not inspected
//!   (only `ObsoleteState`/`ObsoleteReason`/`ObsoleteTag` properties).
//! - Other apps' objects (AS0110–AS0112 / PTE0016–PTE0018): the compiler accepts a
//!   `Permissions` or `IncludedPermissionSets` entry only for an object that exists, in the
//!   app or in what it depends on (the platform's system objects included), so an object
//!   the app does not declare is another app's: these rules need no dependency symbols.
//!   Entries are matched by name (last namespace segment, case-insensitive) or number.
//!
//! ```
//! use scope_rules::{objects_from_sources, check_objects, IdRange, RuleConfig, Scope, SourceContext};
//! let src: &[u8] = b"table 50100 \"Loyalty Setup\" { fields { field(1; Code; Code[10]) { } } }";
//! let objects = objects_from_sources([("Setup.Table.al", src)]);
//! let ctx = SourceContext::new(Scope::Pte, vec![IdRange::new(50100, 50149)]);
//! let d = check_objects(&objects, &ctx, &RuleConfig::new());
//! let codes: Vec<&str> = d.iter().map(|d| d.code.as_str()).collect();
//! assert_eq!(codes, vec!["PTE0026", "PTE0004"]); // PTE0026 is Hidden

//! ```

use crate::checks::diagnostic::{Diagnostic, RuleConfig};
use crate::checks::rules::RuleId;
use crate::checks::source::{
    MemberDecl, MemberKind, ObjectDecl, ObjectKind, PropertyDecl, Sink, SourceContext,
};
use crate::scope::Scope;

/// Runs the property rules over every object, appending to `sink`.
pub(crate) fn check(objects: &[ObjectDecl], ctx: &SourceContext, sink: &mut Sink<'_>) {
    let marketplace = ctx.scope == Scope::APPSOURCE;
    let pte = ctx.scope == Scope::Pte;
    if !marketplace && !pte {
        return;
    }
    let grants = tabledata_grants(objects);
    for o in objects {
        let label = format!("{} {:?}", o.kind, crate::affix::strip_quotes(&o.name));
        allow_in_customizations(
            o,
            &label,
            if pte { RuleId::PTE0026 } else { RuleId::AS0138 },
            sink,
        );
        if marketplace {
            data_classification(o, &label, sink);
            obsoletion(o, &label, ctx, sink);
        }
        application_area(
            o,
            &label,
            if pte { RuleId::PTE0008 } else { RuleId::AS0062 },
            sink,
        );
        permission_coverage(
            o,
            &label,
            &grants,
            &ctx.xml_tabledata_grants,
            if pte { RuleId::PTE0004 } else { RuleId::AS0103 },
            sink,
        );
        extension_wildcards(
            o,
            &label,
            if pte { RuleId::PTE0019 } else { RuleId::AS0113 },
            sink,
        );
        extension_grants(o, &label, objects, pte, sink);
        if pte {
            move_properties(o, &label, sink);
        }
    }
}

fn push_at(
    sink: &mut Sink<'_>,
    rule: RuleId,
    o: &ObjectDecl,
    p: Option<&PropertyDecl>,
    msg: String,
) {
    match p {
        Some(p) => sink.push(rule, &o.file, p.line, p.column, None, msg),
        None => sink.push(rule, &o.file, o.line, o.column, o.span.as_ref(), msg),
    }
}

fn push_member(
    sink: &mut Sink<'_>,
    rule: RuleId,
    o: &ObjectDecl,
    m: &MemberDecl,
    p: Option<&PropertyDecl>,
    msg: String,
) {
    match p {
        Some(p) => sink.push(rule, &o.file, p.line, p.column, None, msg),
        None => sink.push(rule, &o.file, m.line, m.column, m.span.as_ref(), msg),
    }
}

fn member_label(label: &str, m: &MemberDecl) -> String {
    format!("{label}: {:?}", crate::affix::strip_quotes(&m.name))
}

fn is_temporary_table(o: &ObjectDecl) -> bool {
    o.kind == ObjectKind::Table
        && o.property("TableType")
            .is_some_and(|p| p.value_is("Temporary"))
}

/// AS0016.
fn data_classification(o: &ObjectDecl, label: &str, sink: &mut Sink<'_>) {
    if !matches!(o.kind, ObjectKind::Table | ObjectKind::TableExtension) || is_temporary_table(o) {
        return;
    }
    let object_dc = o.property("DataClassification");
    for m in o.members.iter().filter(|m| m.kind == MemberKind::Field) {
        let flow = m
            .property("FieldClass")
            .is_some_and(|p| p.value_is("FlowField") || p.value_is("FlowFilter"));
        // A removed field is no longer in the schema: nothing to classify (BCApps builds
        // its localization apps, which keep such fields without DataClassification, with
        // AS0016 as an error).
        let removed = m
            .property("ObsoleteState")
            .is_some_and(|p| p.value_is("Removed"));
        if flow || removed {
            continue;
        }
        let own = m.property("DataClassification");
        let mlabel = member_label(label, m);
        match own.or(object_dc) {
            None => push_member(
                sink,
                RuleId::AS0016,
                o,
                m,
                None,
                format!(
                    "{mlabel}: the field has no DataClassification and neither has the {}",
                    o.kind
                ),
            ),
            Some(p) if p.value_is("ToBeClassified") => push_member(
                sink,
                RuleId::AS0016,
                o,
                m,
                own,
                format!("{mlabel}: DataClassification is ToBeClassified; classify the field"),
            ),
            Some(_) => {}
        }
    }
}

/// AS0138 / PTE0026 (Hidden).
fn allow_in_customizations(o: &ObjectDecl, label: &str, rule: RuleId, sink: &mut Sink<'_>) {
    if !matches!(o.kind, ObjectKind::Table | ObjectKind::TableExtension) {
        return;
    }
    let object_aic = o.property("AllowInCustomizations");
    for m in o.members.iter().filter(|m| m.kind == MemberKind::Field) {
        let own = m.property("AllowInCustomizations");
        let mlabel = member_label(label, m);
        match own.or(object_aic) {
            None => push_member(
                sink,
                rule,
                o,
                m,
                None,
                format!(
                    "{mlabel}: no AllowInCustomizations on the field or the {}",
                    o.kind
                ),
            ),
            Some(p) if p.value_is("ToBeClassified") || p.value_is("Always") => push_member(
                sink,
                rule,
                o,
                m,
                own,
                format!(
                    "{mlabel}: AllowInCustomizations = {} should be Never, AsReadOnly or AsReadWrite",
                    p.unquoted()
                ),
            ),
            Some(_) => {}
        }
    }
}

/// Element keywords that take `ApplicationArea`.
const APPLICATION_AREA_KEYWORDS: &[&str] = &[
    "field",
    "label",
    "part",
    "systempart",
    "chartpart",
    "usercontrol",
    "action",
    "customaction",
    "fileuploadaction",
];

/// AS0062 / PTE0008.
fn application_area(o: &ObjectDecl, label: &str, rule: RuleId, sink: &mut Sink<'_>) {
    if !matches!(o.kind, ObjectKind::Page | ObjectKind::PageExtension) {
        return;
    }
    let has_default = o
        .property("ApplicationArea")
        .is_some_and(|p| !p.value.trim().is_empty());
    let api = o.property("PageType").is_some_and(|p| p.value_is("API"));
    if has_default || api {
        return;
    }
    for m in &o.members {
        if !matches!(m.kind, MemberKind::Control | MemberKind::Action)
            || !APPLICATION_AREA_KEYWORDS.contains(&m.keyword.as_str())
        {
            continue;
        }
        if m.property("ApplicationArea").is_none() {
            push_member(
                sink,
                rule,
                o,
                m,
                None,
                format!(
                    "{}: {} has no ApplicationArea and the {} sets no default ApplicationArea",
                    member_label(label, m),
                    m.keyword,
                    o.kind
                ),
            );
        }
    }
}

/// One `Permissions` entry: `tabledata "Loyalty Tier" = RIMD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionEntry {
    /// Object type keyword, lower case (`tabledata`, `table`, `page`, …).
    pub object_type: String,
    /// The object as written: a name (quotes removed, namespace kept), an
    /// ID, or a wildcard pattern.
    pub object: String,
    /// The permission letters (`RIMD`, `X`, …) as written.
    pub permissions: String,
}

impl PermissionEntry {
    /// Whether the object is a wildcard pattern (`*` or `?`).
    pub fn is_wildcard(&self) -> bool {
        self.object.contains(['*', '?'])
    }

    /// Whether the entry's object matches an object called `name` with `id`
    /// (case-insensitive; namespace qualification ignored; `*`/`?` wildcards). A name with
    /// dots (`"Gen. Jnl. Thing"`, stored unquoted) matches as a whole, not by its last
    /// dot-separated part.
    ///
    /// ```
    /// let e = &scope_rules::checks::property_rules::parse_permissions(r#"tabledata "Cash Desk Rep. Selections CZP" = R"#)[0];
    /// assert!(e.matches("Cash Desk Rep. Selections CZP", Some(11748)));
    /// let q = &scope_rules::checks::property_rules::parse_permissions(r#"tabledata Microsoft.Sales."Customer" = R"#)[0];
    /// assert!(q.matches("Customer", Some(18)));
    /// ```
    pub fn matches(&self, name: &str, id: Option<u32>) -> bool {
        let target = last_segment(&self.object);
        if let (Ok(n), Some(id)) = (target.parse::<u32>(), id) {
            return n == id;
        }
        let name = crate::affix::strip_quotes(name).trim().to_lowercase();
        glob_match(&self.object.trim().to_lowercase(), &name)
            || glob_match(&target.to_lowercase(), &name)
    }
}

/// Splits at `sep` outside `"…"` and `'…'`.
fn split_outside_quotes(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut dq, mut sq, mut start) = (false, false, 0);
    for (i, c) in s.char_indices() {
        match c {
            '"' if !sq => dq = !dq,
            '\'' if !dq => sq = !sq,
            c if c == sep && !dq && !sq => {
                out.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// The last `.`-separated segment outside quotes, quotes removed.
fn last_segment(s: &str) -> String {
    let parts = split_outside_quotes(s, '.');
    let last = parts.last().copied().unwrap_or(s);
    crate::affix::strip_quotes(last.trim()).trim().to_string()
}

/// `*` matches any run, `?` one character.
fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi.min(p.len())..].iter().all(|&c| c == '*')
}

/// Parses a `Permissions` property value (as in [`PropertyDecl::value`]) into
/// entries; malformed entries are skipped.
///
/// ```
/// use scope_rules::checks::property_rules::parse_permissions;
/// let e = parse_permissions(r#"tabledata "Loyalty Tier"=RIMD,table Contoso.Loyalty."Loyalty Tier"=X,tabledata *=R"#);
/// assert_eq!(e.len(), 3);
/// assert_eq!((e[0].object_type.as_str(), e[0].object.as_str(), e[0].permissions.as_str()), ("tabledata", "Loyalty Tier", "RIMD"));
/// assert!(e[1].matches("Loyalty Tier", None));
/// assert!(e[2].is_wildcard() && e[2].matches("Anything", Some(5)));
/// ```
pub fn parse_permissions(value: &str) -> Vec<PermissionEntry> {
    split_outside_quotes(value, ',')
        .into_iter()
        .filter_map(|entry| {
            let mut sides = split_outside_quotes(entry, '=').into_iter();
            let left = sides.next()?.trim();
            let perms = sides.next()?.trim();
            // The type keyword is the leading run of letters: `tabledata*`
            // (no space before a `*`) is `tabledata` + `*`.
            let split = left
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(left.len());
            let (ty, object) = left.split_at(split);
            let object = object.trim();
            if ty.is_empty() || object.is_empty() {
                return None;
            }
            let object =
                if object.starts_with('"') && object.ends_with('"') && !object[1..].contains("\".")
                {
                    crate::affix::strip_quotes(object).to_string()
                } else {
                    object.to_string()
                };
            Some(PermissionEntry {
                object_type: ty.to_ascii_lowercase(),
                object,
                permissions: perms.to_string(),
            })
        })
        .collect()
}

fn permission_entries(o: &ObjectDecl) -> Vec<(PermissionEntry, &PropertyDecl)> {
    if !matches!(
        o.kind,
        ObjectKind::PermissionSet | ObjectKind::PermissionSetExtension
    ) {
        return Vec::new();
    }
    o.properties
        .iter()
        .filter(|p| p.name.eq_ignore_ascii_case("Permissions"))
        .flat_map(|p| parse_permissions(&p.value).into_iter().map(move |e| (e, p)))
        .collect()
}

fn tabledata_grants(objects: &[ObjectDecl]) -> Vec<PermissionEntry> {
    objects
        .iter()
        .flat_map(permission_entries)
        .map(|(e, _)| e)
        .filter(|e| e.object_type == "tabledata")
        .collect()
}

/// AS0103 / PTE0004.
fn permission_coverage(
    o: &ObjectDecl,
    label: &str,
    grants: &[PermissionEntry],
    xml: &[u32],
    rule: RuleId,
    sink: &mut Sink<'_>,
) {
    if o.kind != ObjectKind::Table || is_temporary_table(o) {
        return;
    }
    if grants.iter().any(|g| g.matches(&o.name, o.id)) {
        return;
    }
    // XML permission sets: ObjectID 0 grants every table.
    if xml.iter().any(|&id| id == 0 || Some(id) == o.id) {
        return;
    }
    push_at(
        sink,
        rule,
        o,
        None,
        format!(
            "{label}: no permission set or permission set extension of the app grants tabledata for this table"
        ),
    );
}

/// AS0113 / PTE0019.
fn extension_wildcards(o: &ObjectDecl, label: &str, rule: RuleId, sink: &mut Sink<'_>) {
    if o.kind != ObjectKind::PermissionSetExtension {
        return;
    }
    for (e, p) in permission_entries(o) {
        if e.is_wildcard() {
            push_at(
                sink,
                rule,
                o,
                Some(p),
                format!(
                    "{label}: permission set extensions should not use wildcards ({} {} = {})",
                    e.object_type, e.object, e.permissions
                ),
            );
        }
    }
}

/// The object kind a `Permissions` entry's type keyword grants on (`tabledata`/`table` →
/// table, …); `None` for `system` and unknown keywords.
fn permission_kind(object_type: &str) -> Option<ObjectKind> {
    Some(match object_type {
        "tabledata" | "table" => ObjectKind::Table,
        "page" => ObjectKind::Page,
        "report" => ObjectKind::Report,
        "codeunit" => ObjectKind::Codeunit,
        "xmlport" => ObjectKind::XmlPort,
        "query" => ObjectKind::Query,
        _ => return None,
    })
}

/// Whether the app declares the object a `Permissions` entry names (`None`: the entry is a
/// wildcard or of a type no object declaration has, e.g. `system`).
fn grants_own_object(e: &PermissionEntry, objects: &[ObjectDecl]) -> Option<bool> {
    let kind = permission_kind(&e.object_type)?;
    if e.is_wildcard() {
        return None;
    }
    Some(
        objects
            .iter()
            .any(|x| x.kind == kind && e.matches(&x.name, x.id)),
    )
}

/// The permission sets an `IncludedPermissionSets` property names (last segment, unquoted).
fn included_sets(o: &ObjectDecl) -> Vec<(String, &PropertyDecl)> {
    o.properties
        .iter()
        .filter(|p| p.name.eq_ignore_ascii_case("IncludedPermissionSets"))
        .flat_map(|p| {
            split_outside_quotes(&p.value, ',')
                .into_iter()
                .map(last_segment)
                .filter(|s| !s.is_empty())
                .map(move |s| (s, p))
        })
        .collect()
}

/// The first object not declared by the app that the app's permission set `name` grants,
/// itself or through the app's own sets it includes (each set visited once).
fn foreign_grant_of(name: &str, objects: &[ObjectDecl]) -> Option<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut queue = vec![name.to_lowercase()];
    while let Some(n) = queue.pop() {
        if seen.contains(&n) {
            continue;
        }
        seen.push(n.clone());
        let Some(set) = objects.iter().find(|x| {
            x.kind == ObjectKind::PermissionSet
                && crate::affix::strip_quotes(&x.name).trim().to_lowercase() == n
        }) else {
            continue;
        };
        for (e, _) in permission_entries(set) {
            if grants_own_object(&e, objects) == Some(false) {
                return Some(format!("{} {}", e.object_type, e.object));
            }
        }
        queue.extend(
            included_sets(set)
                .into_iter()
                .map(|(s, _)| s.to_lowercase()),
        );
    }
    None
}

/// AS0110–AS0112 / PTE0016–PTE0018: a permission set extension granting other apps'
/// objects, including other apps' permission sets, or including the app's own sets that
/// grant other apps' objects.
fn extension_grants(
    o: &ObjectDecl,
    label: &str,
    objects: &[ObjectDecl],
    pte: bool,
    sink: &mut Sink<'_>,
) {
    if o.kind != ObjectKind::PermissionSetExtension {
        return;
    }
    let (objects_rule, sets_rule, indirect_rule) = if pte {
        (RuleId::PTE0016, RuleId::PTE0017, RuleId::PTE0018)
    } else {
        (RuleId::AS0110, RuleId::AS0111, RuleId::AS0112)
    };
    for (e, p) in permission_entries(o) {
        if grants_own_object(&e, objects) == Some(false) {
            push_at(
                sink,
                objects_rule,
                o,
                Some(p),
                format!(
                    "{label}: grants {} {}, an object this app does not declare (another app's); permission set extensions should grant only the app's own objects",
                    e.object_type, e.object
                ),
            );
        }
    }
    for (set, p) in included_sets(o) {
        let own = objects.iter().any(|x| {
            x.kind == ObjectKind::PermissionSet
                && crate::affix::strip_quotes(&x.name)
                    .trim()
                    .eq_ignore_ascii_case(&set)
        });
        if !own {
            push_at(
                sink,
                sets_rule,
                o,
                Some(p),
                format!(
                    "{label}: includes the permission set {set:?}, which this app does not declare (another app's)"
                ),
            );
        } else if let Some(grant) = foreign_grant_of(&set, objects) {
            push_at(
                sink,
                indirect_rule,
                o,
                Some(p),
                format!(
                    "{label}: includes the permission set {set:?}, which grants {grant}, an object this app does not declare (another app's)"
                ),
            );
        }
    }
}

/// PTE0024.
fn move_properties(o: &ObjectDecl, label: &str, sink: &mut Sink<'_>) {
    for name in ["MovedFrom", "MovedTo"] {
        if let Some(p) = o.property(name) {
            push_at(
                sink,
                RuleId::PTE0024,
                o,
                Some(p),
                format!(
                    "{label}: {name} is not allowed in a per-tenant extension (objects cannot be moved between PTEs)"
                ),
            );
        }
        for m in &o.members {
            if let Some(p) = m.property(name) {
                push_member(
                    sink,
                    RuleId::PTE0024,
                    o,
                    m,
                    Some(p),
                    format!(
                        "{}: {name} is not allowed in a per-tenant extension",
                        member_label(label, m)
                    ),
                );
            }
        }
    }
}

/// Whether `pattern` is one of the spellings of the default obsolete-tag pattern.
fn is_default_tag_pattern(pattern: &str) -> bool {
    let p = pattern.trim();
    let p = p.strip_prefix('^').unwrap_or(p);
    let p = p.strip_suffix('$').unwrap_or(p);
    matches!(p, r"(\d+)\.(\d+)" | r"\d+\.\d+")
}

/// Whether `tag` is `Major.Minor` (digits, a dot, digits).
fn is_major_minor(tag: &str) -> bool {
    let Some((a, b)) = tag.split_once('.') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    digits(a) && digits(b)
}

/// AS0075, AS0073, AS0076 on one property list.
fn obsoletion_props(
    props: &[PropertyDecl],
    what: &str,
    at: (u32, u32),
    o: &ObjectDecl,
    ctx: &SourceContext,
    sink: &mut Sink<'_>,
) {
    let find = |n: &str| props.iter().find(|p| p.name.eq_ignore_ascii_case(n));
    let state = find("ObsoleteState").filter(|p| !p.value_is("No"));
    let tag = find("ObsoleteTag");
    if let Some(state) = state {
        let sv = state.unquoted();
        if find("ObsoleteReason").is_none_or(|p| p.unquoted().trim().is_empty()) {
            sink.push(
                RuleId::AS0075,
                &o.file,
                state.line,
                state.column,
                None,
                format!("{what}: ObsoleteState = {sv} needs an ObsoleteReason"),
            );
        }
        if tag.is_none() {
            sink.push(
                RuleId::AS0073,
                &o.file,
                at.0,
                at.1,
                None,
                format!("{what}: ObsoleteState = {sv} needs an ObsoleteTag"),
            );
        }
    }
    if let Some(tag) = tag {
        let check = ctx
            .obsolete_tag_pattern
            .as_deref()
            .is_none_or(is_default_tag_pattern);
        let value = tag.unquoted();
        if check && !is_major_minor(value.trim()) {
            let pattern = ctx
                .obsolete_tag_pattern
                .as_deref()
                .unwrap_or(r"(\d+)\.(\d+)");
            sink.push(
                RuleId::AS0076,
                &o.file,
                tag.line,
                tag.column,
                None,
                format!("{what}: ObsoleteTag {value:?} does not match the pattern {pattern} (Major.Minor)"),
            );
        }
    }
}

/// AS0075 / AS0073 / AS0076 on the object and its members.
fn obsoletion(o: &ObjectDecl, label: &str, ctx: &SourceContext, sink: &mut Sink<'_>) {
    obsoletion_props(&o.properties, label, (o.line, o.column), o, ctx, sink);
    for m in &o.members {
        obsoletion_props(
            &m.properties,
            &member_label(label, m),
            (m.line, m.column),
            o,
            ctx,
            sink,
        );
    }
}

/// AS0094 (Marketplace) / PTE0014 (PTE): permission sets defined in XML.
/// `files` are `(label, bytes)` of the project's files; those whose label
/// ends in `.xml` (case-insensitive) and whose root element is
/// `PermissionSets` are reported at their root element. Other scopes give
/// nothing.
///
/// ```
/// use scope_rules::checks::property_rules::check_xml_permission_sets;
/// use scope_rules::{RuleConfig, Scope};
/// let xml: &[u8] = b"<?xml version=\"1.0\"?>\n<PermissionSets>\n</PermissionSets>";
/// let d = check_xml_permission_sets([("Perms.xml", xml)], Scope::Pte, &RuleConfig::new());
/// assert_eq!((d[0].code.as_str(), d[0].line), ("PTE0014", 2));
/// ```
pub fn check_xml_permission_sets<'a, I>(
    files: I,
    scope: Scope,
    config: &RuleConfig,
) -> Vec<Diagnostic>
where
    I: IntoIterator<Item = (&'a str, &'a [u8])>,
{
    let rule = match scope {
        Scope::Pte => RuleId::PTE0014,
        s if s == Scope::APPSOURCE => RuleId::AS0094,
        _ => return Vec::new(),
    };
    if !config.is_enabled(rule.as_str()) {
        return Vec::new();
    }
    let sev = config.severity_of(rule.as_str(), rule.default_severity());
    let mut out = Vec::new();
    for (label, bytes) in files {
        if !label.to_ascii_lowercase().ends_with(".xml") {
            continue;
        }
        if let Some((name, offset)) = xml_root(bytes)
            && name.eq_ignore_ascii_case(b"PermissionSets")
        {
            let before = bytes.get(..offset).unwrap_or_default();
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            let (line, col) = (
                u32::try_from(line).unwrap_or(u32::MAX),
                u32::try_from(col).unwrap_or(u32::MAX),
            );
            out.push(
                Diagnostic::new(
                    rule,
                    sev,
                    label,
                    "permission sets defined in XML are deprecated; declare them as permissionset objects in AL".to_string(),
                )
                .at(line, col),
            );
        }
    }
    out
}

/// Table IDs that an XML permission set file (`<PermissionSets>` root) grants
/// table data for: each `<Permission>` with `<ObjectType>0</ObjectType>`
/// (TableData) gives its `<ObjectID>` (0 = every table). Other files give
/// nothing. Pass the result to [`SourceContext::with_xml_tabledata_grants`]
/// so that AS0103/PTE0004 count XML permission sets, which Microsoft accepts.
///
/// ```
/// use scope_rules::checks::property_rules::xml_tabledata_grants;
/// let xml = b"<PermissionSets><PermissionSet RoleID=\"X\"><Permission><ObjectID>50100</ObjectID><ObjectType>0</ObjectType></Permission><Permission><ObjectType>1</ObjectType><ObjectID>50101</ObjectID></Permission></PermissionSet></PermissionSets>";
/// assert_eq!(xml_tabledata_grants(xml), vec![50100]);
/// ```
pub fn xml_tabledata_grants(bytes: &[u8]) -> Vec<u32> {
    if !xml_root(bytes).is_some_and(|(n, _)| n.eq_ignore_ascii_case(b"PermissionSets")) {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(bytes);
    let element = |block: &str, tag: &str| -> Option<String> {
        let open = format!("<{tag}>");
        let start = block.find(&open)? + open.len();
        let end = block.get(start..)?.find('<')? + start;
        Some(block.get(start..end)?.trim().to_string())
    };
    text.split("<Permission>")
        .skip(1)
        .filter_map(|block| {
            let block = block.split("</Permission>").next().unwrap_or(block);
            if element(block, "ObjectType")?.as_str() != "0" {
                return None;
            }
            element(block, "ObjectID")?.parse().ok()
        })
        .collect()
}

/// The root element's name and the offset of its `<`, skipping a BOM, the
/// XML declaration, processing instructions, comments and a DOCTYPE.
pub(crate) fn xml_root(bytes: &[u8]) -> Option<(&[u8], usize)> {
    let mut i = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    loop {
        let rest = bytes.get(i..)?;
        let lt = rest.iter().position(|&b| b == b'<')?;
        i += lt;
        let rest = bytes.get(i..)?;
        if rest.starts_with(b"<?") {
            i += find(rest, b"?>")? + 2;
        } else if rest.starts_with(b"<!--") {
            i += find(rest, b"-->")? + 3;
        } else if rest.starts_with(b"<!") {
            i += find(rest, b">")? + 1;
        } else {
            let name_len = rest
                .iter()
                .skip(1)
                .position(|&b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
                .unwrap_or(rest.len().saturating_sub(1));
            let name = rest.get(1..1 + name_len)?;
            // Drop a namespace prefix (`x:PermissionSets`).
            let local = match name.iter().rposition(|&b| b == b':') {
                Some(c) => name.get(c + 1..)?,
                None => name,
            };
            return Some((local, i));
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::source::check_objects;
    use crate::objects_from_sources;
    use crate::ranges::IdRange;

    fn run(src: &str, scope: Scope) -> Vec<Diagnostic> {
        let objects = objects_from_sources([("t.al", src.as_bytes())]);
        let ranges = if scope == Scope::Pte {
            vec![IdRange::new(50_100, 50_149)]
        } else {
            vec![IdRange::new(70_000_000, 70_000_099)]
        };
        check_objects(
            &objects,
            &SourceContext::new(scope, ranges),
            &RuleConfig::new(),
        )
    }

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    /// Diagnostics shown by default (not Hidden).
    fn visible(d: &[Diagnostic]) -> Vec<&Diagnostic> {
        d.iter()
            .filter(|x| x.severity != crate::Severity::Hidden)
            .collect()
    }

    fn only<'a>(d: &'a [Diagnostic], code: &str) -> Vec<&'a Diagnostic> {
        d.iter().filter(|x| x.code == code).collect()
    }

    const PERMS_AS: &str =
        "\npermissionset 70000050 \"CLP All\" { Permissions = tabledata * = RIMD; }\n";
    const PERMS_PTE: &str = "\npermissionset 50140 \"All\" { Permissions = tabledata * = RIMD; }\n";

    #[test]
    fn as0016_data_classification() {
        let bad = r#"namespace A.B;
table 70000000 "CLP T"
{
    fields
    {
        field(1; "No."; Code[20]) { }
        field(2; Name; Text[50]) { DataClassification = ToBeClassified; }
        field(3; Total; Decimal) { FieldClass = FlowField; CalcFormula = sum("CLP T".Total); }
        field(4; Ok; Integer) { DataClassification = CustomerContent; }
    }
}
tableextension 70000001 "CLP Cust" extends Customer
{
    fields { field(70000000; "CLP Points"; Integer) { } }
}"#;
        let d = run(&format!("{bad}{PERMS_AS}"), Scope::APPSOURCE);
        let hits = only(&d, "AS0016");
        assert_eq!(hits.len(), 3, "{d:?}");
        assert_eq!((hits[0].line, hits[0].column), (6, 18));
        // Points at the ToBeClassified property.
        assert_eq!((hits[1].line, hits[1].column), (7, 36));
        assert!(hits[2].message.contains("CLP Points"));
        assert_eq!(hits[0].severity, crate::Severity::Error);

        let good = r#"namespace A.B;
table 70000000 "CLP T"
{
    DataClassification = CustomerContent;
    fields
    {
        field(1; "No."; Code[20]) { }
        field(3; Total; Decimal) { FieldClass = FlowFilter; }
    }
}
tableextension 70000003 "CLP Cust2" extends Customer
{
    fields { field(70000002; "CLP Old"; Integer) { ObsoleteState = Removed; ObsoleteReason = 'x'; ObsoleteTag = '24.0'; } }
}
table 70000002 "CLP Buffer"
{
    TableType = Temporary;
    fields { field(1; "No."; Code[20]) { } }
}"#;
        let d = run(&format!("{good}{PERMS_AS}"), Scope::APPSOURCE);
        assert!(only(&d, "AS0016").is_empty(), "{d:?}");
        // PTEs are not checked for classification.
        let d = run(
            &format!(
                "{}{PERMS_PTE}",
                bad.replace("70000000", "50100")
                    .replace("70000001", "50101")
            ),
            Scope::Pte,
        );
        assert!(only(&d, "AS0016").is_empty(), "{d:?}");
    }

    const PAGE_BAD: &str = r#"page 50100 "Tiers"
{
    layout
    {
        area(Content)
        {
            group(General)
            {
                field(Code; Rec.Code) { }
                field(Name; Rec.Name) { ApplicationArea = All; }
                part(Lines; "Tier Lines") { }
            }
        }
    }
    actions
    {
        area(Processing)
        {
            action(Recalc) { }
            separator(Sep) { }
        }
        area(Promoted) { actionref(Recalc_Promoted; Recalc) { } }
    }
}
pageextension 50101 "Cust Card Ext" extends "Customer Card"
{
    layout { addlast(General) { field(Points; Rec.Points) { } } }
}
"#;

    #[test]
    fn as0062_pte0008_application_area() {
        let d = run(PAGE_BAD, Scope::Pte);
        let hits = only(&d, "PTE0008");
        let names: Vec<(u32, u32)> = hits.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(names, vec![(9, 23), (11, 22), (19, 20), (27, 39)], "{d:?}");
        assert_eq!(hits[0].severity, crate::Severity::Error);
        let d = run(
            &PAGE_BAD
                .replace("50100", "70000000")
                .replace("50101", "70000001"),
            Scope::APPSOURCE,
        );
        assert_eq!(only(&d, "AS0062").len(), 4);
        assert!(only(&d, "PTE0008").is_empty());

        // Object-level default, and API pages.
        let good = PAGE_BAD
            .replace(
                "page 50100 \"Tiers\"\n{",
                "page 50100 \"Tiers\"\n{\n    ApplicationArea = All;",
            )
            .replace(
                "extends \"Customer Card\"\n{",
                "extends \"Customer Card\"\n{\n    ApplicationArea = All;",
            );
        assert!(only(&run(&good, Scope::Pte), "PTE0008").is_empty());
        let api = "page 50100 \"Api\" { PageType = API; layout { area(Content) { field(Code; Rec.Code) { } } } }";
        assert!(only(&run(api, Scope::Pte), "PTE0008").is_empty());
    }

    #[test]
    fn as0103_pte0004_permission_coverage() {
        let tables = r#"table 50100 "Loyalty Tier" { DataClassification = CustomerContent; fields { field(1; Code; Code[10]) { } } }
table 50101 Other { DataClassification = CustomerContent; fields { field(1; Code; Code[10]) { } } }
table 50102 "Tmp" { TableType = Temporary; fields { field(1; Code; Code[10]) { } } }
"#;
        let perms = r#"permissionset 50110 "Loyalty" { Assignable = true; Permissions = tabledata "Loyalty Tier" = RIMD, table Other = X; }"#;
        let d = run(&format!("{tables}{perms}"), Scope::Pte);
        let hits = only(&d, "PTE0004");
        assert_eq!(hits.len(), 1, "{d:?}");
        assert!(hits[0].message.contains("\"Other\""));
        assert_eq!(hits[0].severity, crate::Severity::Error);

        // Covered by ID in a permission set extension, or by a namespace-qualified name.
        let ext = r#"permissionsetextension 50111 "Ext" extends "D365 BASIC" { Permissions = tabledata 50101 = R; }
permissionset 50112 "Q" { Permissions = tabledata Contoso.Loyalty."Loyalty Tier" = R; }"#;
        let d = run(&format!("{tables}{ext}"), Scope::Pte);
        assert!(only(&d, "PTE0004").is_empty(), "{d:?}");

        // Tables granted by an XML permission set (Microsoft accepts those too).
        let xml = b"<?xml version=\"1.0\"?><PermissionSets><PermissionSet RoleID=\"L\"><Permission><ObjectID>50101</ObjectID><ObjectType>0</ObjectType></Permission></PermissionSet></PermissionSets>";
        let objects = objects_from_sources([("t.al", format!("{tables}{perms}").as_bytes())]);
        let ctx = SourceContext::new(Scope::Pte, vec![IdRange::new(50_100, 50_149)])
            .with_xml_tabledata_grants(xml_tabledata_grants(xml));
        let d = check_objects(&objects, &ctx, &RuleConfig::new());
        assert!(only(&d, "PTE0004").is_empty(), "{d:?}");

        let as_tables = tables.replace("5010", "7000000");
        let d = run(&as_tables, Scope::APPSOURCE);
        let hits = only(&d, "AS0103");
        assert_eq!(hits.len(), 2, "{d:?}");
        assert_eq!(hits[0].severity, crate::Severity::Warning);
        let d = run(&format!("{as_tables}{PERMS_AS}"), Scope::APPSOURCE);
        assert!(only(&d, "AS0103").is_empty(), "{d:?}");
    }

    #[test]
    fn as0113_pte0019_wildcards_in_extensions() {
        let ext = r#"permissionsetextension 50111 "Ext" extends "D365 BASIC"
{
    Permissions = tabledata "Loyalty*" = R,
                  codeunit "Loyalty Mgt" = X;
}"#;
        let d = run(ext, Scope::Pte);
        let hits = only(&d, "PTE0019");
        assert_eq!(hits.len(), 1, "{d:?}");
        assert_eq!((hits[0].line, hits[0].column), (3, 5));
        assert_eq!(hits[0].severity, crate::Severity::Warning);
        let d = run(&ext.replace("50111", "70000011"), Scope::APPSOURCE);
        assert_eq!(codes(&d).iter().filter(|c| **c == "AS0113").count(), 1);
        // Wildcards in a permission set (not an extension) are fine.
        assert!(only(&run(PERMS_PTE, Scope::Pte), "PTE0019").is_empty());
        let named = ext.replace("\"Loyalty*\"", "\"Loyalty Tier\"");
        assert!(only(&run(&named, Scope::Pte), "PTE0019").is_empty());
    }

    /// AS0110–AS0112 / PTE0016–PTE0018: what a permission set extension grants or
    /// includes beyond the app's own objects and sets.
    #[test]
    fn extensions_granting_other_apps_objects() {
        let src = r#"table 50100 "Loyalty Tier" { }
codeunit 50101 "Loyalty Mgt" { }
permissionset 50102 "Loyalty Read" { Permissions = tabledata "Loyalty Tier" = R; }
permissionset 50103 "Loyalty Cust" { Permissions = tabledata Customer = R; }
permissionset 50104 "Loyalty Via" { IncludedPermissionSets = "Loyalty Cust"; }
permissionsetextension 50110 "Ext" extends "D365 BASIC"
{
    Permissions = tabledata "Loyalty Tier" = RIMD,
                  tabledata 50100 = R,
                  codeunit "Loyalty Mgt" = X,
                  tabledata Customer = R,
                  page 21 = X,
                  system "Tools, Restore" = X,
                  tabledata "Loy*" = R;
    IncludedPermissionSets = "Loyalty Read", "Loyalty Via", "D365 READ";
}
"#;
        let d = run(src, Scope::Pte);
        let objects = only(&d, "PTE0016");
        assert_eq!(objects.len(), 2, "{d:?}");
        assert!(
            objects[0].message.contains("tabledata Customer"),
            "{}",
            objects[0].message
        );
        assert!(objects[1].message.contains("page 21"));
        assert_eq!((objects[0].line, objects[0].column), (8, 5));
        let sets = only(&d, "PTE0017");
        assert_eq!(sets.len(), 1);
        assert!(sets[0].message.contains("\"D365 READ\""));
        let indirect = only(&d, "PTE0018");
        assert_eq!(indirect.len(), 1);
        assert!(
            indirect[0].message.contains("\"Loyalty Via\""),
            "{}",
            indirect[0].message
        );
        assert!(indirect[0].message.contains("tabledata Customer"));
        let d = run(&src.replace("5010", "7000001"), Scope::APPSOURCE);
        let c = codes(&d);
        for (rule, n) in [("AS0110", 2), ("AS0111", 1), ("AS0112", 1)] {
            assert_eq!(c.iter().filter(|x| **x == rule).count(), n, "{rule}: {c:?}");
        }
        // Only the app's own objects and sets: nothing.
        let own = "table 50100 T { }\npermissionset 50101 S { Permissions = tabledata T = R; }\npermissionsetextension 50102 E extends S { Permissions = table T = X; IncludedPermissionSets = S; }";
        let d = run(own, Scope::Pte);
        assert!(
            !codes(&d)
                .iter()
                .any(|c| ["PTE0016", "PTE0017", "PTE0018"].contains(c)),
            "{d:?}"
        );
    }

    #[test]
    fn pte0024_move_properties() {
        let src = r#"table 50100 "Moved"
{
    DataClassification = CustomerContent;
    MovedFrom = '8d5cd2a0-1b8e-4b63-9b67-0f0c3a2f1f10';
    fields { field(1; Code; Code[10]) { MovedTo = '8d5cd2a0-1b8e-4b63-9b67-0f0c3a2f1f11'; } }
}
permissionset 50101 "P" { Permissions = tabledata Moved = RIMD; }"#;
        let d = run(src, Scope::Pte);
        let d: Vec<Diagnostic> = visible(&d).into_iter().cloned().collect();
        assert_eq!(codes(&d), vec!["PTE0024", "PTE0024"]);
        assert_eq!((d[0].line, d[1].line), (4, 5));
        assert_eq!(d[0].severity, crate::Severity::Error);
        // Not a PTE rule elsewhere; fine without the properties.
        assert!(
            only(
                &run(&src.replace("5010", "7000000"), Scope::APPSOURCE),
                "PTE0024"
            )
            .is_empty()
        );
        let clean = src
            .replace("MovedFrom", "Caption")
            .replace("MovedTo", "Caption");
        assert!(visible(&run(&clean, Scope::Pte)).is_empty());
    }

    #[test]
    fn obsoletion_rules() {
        let src = r#"namespace A.B;
table 70000000 "CLP T"
{
    DataClassification = CustomerContent;
    ObsoleteState = Pending;
    fields
    {
        field(1; "No."; Code[20]) { ObsoleteState = Removed; ObsoleteReason = 'Gone'; ObsoleteTag = '24.0'; }
        field(2; Name; Text[50]) { ObsoleteState = Pending; ObsoleteReason = 'x'; ObsoleteTag = 'v24'; }
        field(3; Old; Text[50]) { ObsoleteState = No; }
    }
}"#;
        let d = run(&format!("{src}{PERMS_AS}"), Scope::APPSOURCE);
        let c: Vec<&str> = codes(&d)
            .into_iter()
            .filter(|c| ["AS0073", "AS0075", "AS0076"].contains(c))
            .collect();
        assert_eq!(c, vec!["AS0075", "AS0073", "AS0076"], "{d:?}");
        assert_eq!(
            d.iter()
                .find(|x| x.code == "AS0075")
                .map(|x| (x.line, x.severity)),
            Some((5, crate::Severity::Warning))
        );
        assert_eq!(
            d.iter().find(|x| x.code == "AS0073").map(|x| x.severity),
            Some(crate::Severity::Hidden)
        );
        assert_eq!(
            d.iter().find(|x| x.code == "AS0076").map(|x| x.line),
            Some(9)
        );

        let fixed = src.replace(
            "ObsoleteState = Pending;\n",
            "ObsoleteState = Pending;\n    ObsoleteReason = 'Use CLP T2';\n    ObsoleteTag = '25.0';\n",
        ).replace("'v24'", "'24.1'");
        let d = run(&format!("{fixed}{PERMS_AS}"), Scope::APPSOURCE);
        assert!(visible(&d).is_empty(), "{d:?}");

        // A custom pattern this crate cannot evaluate: AS0076 is skipped.
        let objects = objects_from_sources([("t.al", src.as_bytes())]);
        let ctx = SourceContext::new(Scope::APPSOURCE, vec![IdRange::new(70_000_000, 70_000_099)])
            .with_obsolete_tag_pattern(Some("v\\d+".into()));
        let d = check_objects(&objects, &ctx, &RuleConfig::new());
        assert!(only(&d, "AS0076").is_empty());
        // PTEs do not get AppSourceCop obsoletion rules.
        assert!(
            only(
                &run(
                    &format!("{}{PERMS_PTE}", src.replace("70000000", "50100")),
                    Scope::Pte
                ),
                "AS0075"
            )
            .is_empty()
        );
    }

    #[test]
    fn as0138_pte0026_allow_in_customizations() {
        let bad = r#"table 50100 "T"
{
    DataClassification = CustomerContent;
    fields
    {
        field(1; "No."; Code[20]) { }
        field(2; Name; Text[50]) { AllowInCustomizations = Always; }
        field(3; Ok; Integer) { AllowInCustomizations = AsReadOnly; }
    }
}"#;
        let d = run(&format!("{bad}{PERMS_PTE}"), Scope::Pte);
        let hits = only(&d, "PTE0026");
        assert_eq!(
            hits.iter().map(|d| d.line).collect::<Vec<_>>(),
            vec![6, 7],
            "{d:?}"
        );
        assert_eq!(hits[0].severity, crate::Severity::Hidden);
        // Object-level default (runtime 16.0+); a field may still override it.
        let good = bad.replace(
            "DataClassification = CustomerContent;",
            "DataClassification = CustomerContent;\n    AllowInCustomizations = Never;",
        );
        let d = run(&format!("{good}{PERMS_PTE}"), Scope::Pte);
        assert_eq!(only(&d, "PTE0026").len(), 1, "{d:?}");
        let good = good.replace("AllowInCustomizations = Always;", "");
        assert!(run(&format!("{good}{PERMS_PTE}"), Scope::Pte).is_empty());
        let d = run(
            &format!(
                "namespace A.B;\n{}{PERMS_AS}",
                bad.replace("50100", "70000000")
            ),
            Scope::APPSOURCE,
        );
        assert_eq!(only(&d, "AS0138").len(), 2, "{d:?}");
    }

    #[test]
    fn xml_permission_sets() {
        let xml: &[u8] = b"\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- perms -->\n  <PermissionSets>\n<PermissionSet RoleID=\"X\"/></PermissionSets>";
        let other: &[u8] = b"<?xml version=\"1.0\"?><xliff version=\"1.2\"></xliff>";
        let files = [
            ("src/Perms.xml", xml),
            ("Translations/a.xlf", xml),
            ("b.xml", other),
        ];
        let d = check_xml_permission_sets(files, Scope::APPSOURCE, &RuleConfig::new());
        assert_eq!(codes(&d), vec!["AS0094"]);
        assert_eq!(
            (d[0].file.as_str(), d[0].line, d[0].column),
            ("src/Perms.xml", 3, 3)
        );
        assert_eq!(d[0].severity, crate::Severity::Warning);
        let d = check_xml_permission_sets(files, Scope::Pte, &RuleConfig::new());
        assert_eq!(codes(&d), vec!["PTE0014"]);
        assert!(
            check_xml_permission_sets([("b.xml", other)], Scope::Pte, &RuleConfig::new())
                .is_empty()
        );
        assert!(
            check_xml_permission_sets([("x.xml", b"<" as &[u8])], Scope::Pte, &RuleConfig::new())
                .is_empty()
        );
    }

    #[test]
    fn glob_and_permission_parsing() {
        assert!(glob_match("loyalty*", "loyalty tier"));
        assert!(glob_match("*", ""));
        assert!(glob_match("l?y*r", "loyalty tier"));
        assert!(!glob_match("loyalty", "loyalty tier"));
        let e = parse_permissions("tabledata \"A, B\"=R,garbage,codeunit X=X");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].object, "A, B");
    }
}
