//! The side-by-side rules: can two apps be installed in one environment? (scope-rules
//! §2.5.) One implementation for every caller: `alkit side-by-side` and the move compare
//! two apps' symbols, [`crate::checks::deploy`] an app with each installed app.
//!
//! | rule | clash |
//! |---|---|
//! | AVS0110 | both apps declare an object of the same type and ID |
//! | AVS0111 | both apps declare an object of the same type, namespace and name |
//! | AVS0112 | both apps add a field or enum value of the same ID to the same base object |
//! | AVS0113 | both apps add a field, enum value, key, control or action of the same name to the same base object |
//!
//! Names compare case-insensitively, without their quotes. A member clash needs at least
//! one of the two members to come from an extension: two apps declaring the same base
//! object clash on its name already. `dotnet` declarations are no objects (no ID, no
//! name) and never clash.
//!
//! The input is a small view, [`SideBySideApp`], that [`AppSymbols`] and the deploy
//! check's app and installed apps convert into; the findings are [`Clash`]es (which rule,
//! which object or member of each app), rendered as report text ([`Clash::describe`],
//! [`SideBySide`]) or as a [`Diagnostic`] ([`Clash::to_diagnostic`]).
//!
//! ```
//! use scope_rules::checks::side_by_side::{SideBySideApp, SideBySideObject, SideBySideRule, clashes};
//! use scope_rules::ObjectKind;
//! let a = SideBySideApp { objects: vec![SideBySideObject::new(ObjectKind::Table, Some(50100), "Loyalty Tier")] };
//! let b = SideBySideApp { objects: vec![SideBySideObject::new(ObjectKind::Table, Some(50100), "\"LOYALTY TIER\"")] };
//! let found = clashes(&a, &b);
//! let rules: Vec<_> = found.iter().map(|c| c.rule.code()).collect();
//! assert_eq!(rules, ["AVS0110", "AVS0111"]);
//! assert_eq!(found[0].summary(&a), "AVS0110: both apps declare table 50100");
//! ```

use std::collections::{HashMap, HashSet};

use al_parser::symbols::{AppSymbols, MemberKind, name_key};
use serde::Serialize;

use crate::affix::strip_quotes;
use crate::checks::diagnostic::Diagnostic;
use crate::checks::rules::RuleId;
use crate::checks::source::ObjectKind;

/// The rule a [`Clash`] breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SideBySideRule {
    /// AVS0110: object type and ID.
    ObjectId,
    /// AVS0111: object type and name.
    ObjectName,
    /// AVS0112: a member ID on the same base object.
    MemberId,
    /// AVS0113: a member name on the same base object.
    MemberName,
}

impl SideBySideRule {
    /// The four rules, in code order.
    pub const ALL: [SideBySideRule; 4] = [
        SideBySideRule::ObjectId,
        SideBySideRule::ObjectName,
        SideBySideRule::MemberId,
        SideBySideRule::MemberName,
    ];

    /// The rule id Microsoft's service reports.
    ///
    /// ```
    /// use scope_rules::checks::side_by_side::SideBySideRule;
    /// assert_eq!(SideBySideRule::MemberName.code(), "AVS0113");
    /// ```
    pub const fn code(self) -> RuleId {
        match self {
            SideBySideRule::ObjectId => RuleId::AVS0110,
            SideBySideRule::ObjectName => RuleId::AVS0111,
            SideBySideRule::MemberId => RuleId::AVS0112,
            SideBySideRule::MemberName => RuleId::AVS0113,
        }
    }

    /// Whether the rule is about members (AVS0112, AVS0113) rather than objects.
    pub const fn is_member(self) -> bool {
        matches!(self, SideBySideRule::MemberId | SideBySideRule::MemberName)
    }
}

/// The kinds of member that can clash on a shared base object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SideBySideMemberKind {
    /// A table field (by ID and name).
    Field,
    /// An enum value (by ordinal and name).
    EnumValue,
    /// A table key (by name).
    Key,
    /// A page control (by name).
    Control,
    /// A page action (by name).
    Action,
}

impl SideBySideMemberKind {
    /// The AL keyword (`field`, `value`, `key`, `control`, `action`).
    pub const fn keyword(self) -> &'static str {
        match self {
            SideBySideMemberKind::Field => "field",
            SideBySideMemberKind::EnumValue => "value",
            SideBySideMemberKind::Key => "key",
            SideBySideMemberKind::Control => "control",
            SideBySideMemberKind::Action => "action",
        }
    }

    /// Whether members of this kind also clash by ID (fields and enum values).
    pub const fn clashes_by_id(self) -> bool {
        matches!(
            self,
            SideBySideMemberKind::Field | SideBySideMemberKind::EnumValue
        )
    }

    /// The kind of a symbol member, `None` for kinds that never clash (procedures,
    /// field groups, dataitems, …).
    pub const fn of_symbol(kind: MemberKind) -> Option<Self> {
        Some(match kind {
            MemberKind::Field => SideBySideMemberKind::Field,
            MemberKind::EnumValue => SideBySideMemberKind::EnumValue,
            MemberKind::Key => SideBySideMemberKind::Key,
            MemberKind::Control => SideBySideMemberKind::Control,
            MemberKind::Action => SideBySideMemberKind::Action,
            _ => return None,
        })
    }
}

/// A member an object declares (or an extension adds to its base object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideBySideMember<'a> {
    /// What it is.
    pub kind: SideBySideMemberKind,
    /// Field number or enum ordinal.
    pub id: Option<u32>,
    /// Name (quotes allowed).
    pub name: &'a str,
    /// 1-based line, 1 when unknown.
    pub line: u32,
    /// 1-based column, 1 when unknown.
    pub column: u32,
}

/// An object of a [`SideBySideApp`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideBySideObject<'a> {
    /// Object type.
    pub kind: ObjectKind,
    /// Object ID (only kinds that carry one are compared).
    pub id: Option<u32>,
    /// Name (quotes allowed).
    pub name: &'a str,
    /// Namespace (`A.B`), `None` for none.
    pub namespace: Option<&'a str>,
    /// For extension objects: the extended object's name (quotes allowed); an extension
    /// without one adds no members anywhere.
    pub extends: Option<&'a str>,
    /// The members that can clash.
    pub members: Vec<SideBySideMember<'a>>,
    /// File it is declared in, empty when unknown.
    pub file: &'a str,
    /// 1-based line, 1 when unknown.
    pub line: u32,
    /// 1-based column, 1 when unknown.
    pub column: u32,
}

impl<'a> SideBySideObject<'a> {
    /// An object with no namespace, target, members or location.
    pub fn new(kind: ObjectKind, id: Option<u32>, name: &'a str) -> Self {
        SideBySideObject {
            kind,
            id,
            name,
            namespace: None,
            extends: None,
            members: Vec::new(),
            file: "",
            line: 1,
            column: 1,
        }
    }

    /// The base object the members go to: its kind, its name as written, and whether
    /// this object is an extension of it. `None` for an extension without a target.
    fn base(&self) -> Option<(ObjectKind, &'a str, bool)> {
        match self.kind.base_kind() {
            Some(kind) => self
                .extends
                .filter(|t| !strip_quotes(t).is_empty())
                .map(|t| (kind, t, true)),
            None => Some((self.kind, self.name, false)),
        }
    }
}

/// What the side-by-side rules read of one app: its objects and their members.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SideBySideApp<'a> {
    /// Objects in declaration order.
    pub objects: Vec<SideBySideObject<'a>>,
}

impl<'a> From<&'a AppSymbols> for SideBySideApp<'a> {
    /// The objects of an app's symbols, with their files (lines and columns are 1).
    fn from(app: &'a AppSymbols) -> Self {
        Self::of_symbols(app, |_| true)
    }
}

impl<'a> SideBySideApp<'a> {
    /// Two apps' symbols as [`clashes`] reads them: members only on extensions and on the
    /// base objects an extension of either app extends (a base app's own tables, with
    /// thousands of fields, are compared as objects only). Same clashes as converting
    /// both whole, with less memory.
    pub fn pair_of_symbols(a: &'a AppSymbols, b: &'a AppSymbols) -> (Self, Self) {
        let extended: HashSet<(ObjectKind, String)> = a
            .objects
            .iter()
            .chain(&b.objects)
            .filter_map(|o| {
                let base = o.kind.base_kind()?;
                let target = strip_quotes(o.extends.as_deref()?);
                (!target.is_empty()).then(|| (base, name_key(target)))
            })
            .collect();
        let keep = |o: &al_parser::symbols::ObjectSymbol| {
            o.kind.is_extension() || extended.contains(&(o.kind, name_key(strip_quotes(&o.name))))
        };
        (Self::of_symbols(a, keep), Self::of_symbols(b, keep))
    }

    /// The objects of `app`'s symbols; members only of objects `keep_members` accepts.
    fn of_symbols(
        app: &'a AppSymbols,
        keep_members: impl Fn(&al_parser::symbols::ObjectSymbol) -> bool,
    ) -> Self {
        let objects = app
            .objects
            .iter()
            .map(|o| SideBySideObject {
                kind: o.kind,
                id: o.id.map(|i| i.0),
                name: &o.name,
                namespace: o.namespace.as_deref(),
                extends: o.extends.as_deref(),
                members: if keep_members(o) {
                    o.members
                        .iter()
                        .filter_map(|m| {
                            Some(SideBySideMember {
                                kind: SideBySideMemberKind::of_symbol(m.kind)?,
                                id: m.id,
                                name: &m.name,
                                line: 1,
                                column: 1,
                            })
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                file: o
                    .file
                    .and_then(|f| app.files.get(f as usize))
                    .map_or("", String::as_str),
                line: 1,
                column: 1,
            })
            .collect();
        SideBySideApp { objects }
    }
}

/// An object, or a member of it, by index into [`SideBySideApp::objects`] and
/// [`SideBySideObject::members`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Site {
    /// Index of the object.
    pub object: usize,
    /// Index of the member, for member clashes.
    pub member: Option<usize>,
}

/// One clash between app `a` and app `b` of [`clashes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Clash {
    /// The rule.
    pub rule: SideBySideRule,
    /// The object or member of `a`.
    pub a: Site,
    /// The object or member of `b` it clashes with.
    pub b: Site,
}

fn object_at<'v, 'a>(app: &'v SideBySideApp<'a>, site: Site) -> Option<&'v SideBySideObject<'a>> {
    app.objects.get(site.object)
}

fn member_at<'v, 'a>(
    app: &'v SideBySideApp<'a>,
    site: Site,
) -> Option<(&'v SideBySideObject<'a>, &'v SideBySideMember<'a>)> {
    let o = object_at(app, site)?;
    Some((o, o.members.get(site.member?)?))
}

impl Clash {
    /// What `a` shares, as the side-by-side report lists it: `table 50100`,
    /// `table Contoso."Loyalty Tier"`, `tableextension of "Customer": field 50100`,
    /// `tableextension of "Customer": field "Points"`. Empty when the clash is not one of
    /// `a`'s.
    pub fn describe(&self, a: &SideBySideApp<'_>) -> String {
        if self.rule.is_member() {
            let Some((o, m)) = member_at(a, self.a) else {
                return String::new();
            };
            let base = o.extends.unwrap_or(o.name);
            let k = m.kind.keyword();
            match (self.rule, m.id) {
                (SideBySideRule::MemberId, Some(id)) => format!("{} of {base:?}: {k} {id}", o.kind),
                _ => format!("{} of {base:?}: {k} {:?}", o.kind, m.name),
            }
        } else {
            let Some(o) = object_at(a, self.a) else {
                return String::new();
            };
            match (self.rule, o.id) {
                (SideBySideRule::ObjectId, Some(id)) => format!("{} {id}", o.kind),
                _ => {
                    let ns = o.namespace.map(|n| format!("{n}.")).unwrap_or_default();
                    format!("{} {ns}{:?}", o.kind, o.name)
                }
            }
        }
    }

    /// One line for a person: the rule id, then what both apps declare or add.
    ///
    /// ```
    /// use scope_rules::checks::side_by_side::{SideBySideApp, SideBySideMember, SideBySideMemberKind, SideBySideObject, clashes};
    /// use scope_rules::ObjectKind;
    /// let mut ext = SideBySideObject::new(ObjectKind::TableExtension, Some(50100), "Cust Ext");
    /// ext.extends = Some("Customer");
    /// ext.members.push(SideBySideMember { kind: SideBySideMemberKind::Field, id: Some(50100), name: "Points", line: 1, column: 1 });
    /// let mut other = ext.clone();
    /// other.id = Some(70000000);
    /// other.name = "Other Ext";
    /// other.members[0].name = "Bonus";
    /// let (a, b) = (SideBySideApp { objects: vec![ext] }, SideBySideApp { objects: vec![other] });
    /// let lines: Vec<String> = clashes(&a, &b).iter().map(|c| c.summary(&a)).collect();
    /// assert_eq!(lines, ["AVS0112: both apps add tableextension of \"Customer\": field 50100"]);
    /// ```
    pub fn summary(&self, a: &SideBySideApp<'_>) -> String {
        let verb = if self.rule.is_member() {
            "add"
        } else {
            "declare"
        };
        format!(
            "{}: both apps {verb} {}",
            self.rule.code(),
            self.describe(a)
        )
    }

    /// The clash as a diagnostic on `a`'s object or member (its file, line and column),
    /// saying what of `b` it clashes with; `other_app` names `b` in the message.
    ///
    /// ```
    /// use scope_rules::checks::side_by_side::{SideBySideApp, SideBySideObject, clashes};
    /// use scope_rules::ObjectKind;
    /// let mut t = SideBySideObject::new(ObjectKind::Table, Some(50100), "\"Loyalty Tier\"");
    /// (t.file, t.line, t.column) = ("src/Tier.Table.al", 3, 7);
    /// let a = SideBySideApp { objects: vec![t] };
    /// let b = SideBySideApp { objects: vec![SideBySideObject::new(ObjectKind::Table, Some(50100), "Tier")] };
    /// let d = clashes(&a, &b)[0].to_diagnostic(&a, &b, "\"Other\" by \"X\"");
    /// assert_eq!((d.code.as_str(), d.file.as_str(), d.line, d.column), ("AVS0110", "src/Tier.Table.al", 3, 7));
    /// assert_eq!(d.message, "table 50100 \"Loyalty Tier\" is already defined by \"Other\" by \"X\"");
    /// ```
    pub fn to_diagnostic(
        &self,
        a: &SideBySideApp<'_>,
        b: &SideBySideApp<'_>,
        other_app: &str,
    ) -> Diagnostic {
        let code = self.rule.code();
        let diag = |file: &str, message: String| {
            Diagnostic::new(code, code.default_severity(), file, message)
        };
        let owner = object_at(b, self.b).map_or("", |o| o.name);
        if self.rule.is_member() {
            let Some((o, m)) = member_at(a, self.a) else {
                return diag("", String::new());
            };
            let mname = strip_quotes(m.name);
            let target = name_key(strip_quotes(o.extends.unwrap_or(o.name)));
            let message = match (self.rule, m.id) {
                (SideBySideRule::MemberId, Some(id)) => format!(
                    "{mname:?} ({id}) on {target:?}: ID {id} is already used by {owner:?} of {other_app}"
                ),
                _ => format!(
                    "{mname:?} on {target:?}: the name is already used by {owner:?} of {other_app}"
                ),
            };
            diag(o.file, message).at(m.line, m.column)
        } else {
            let Some(o) = object_at(a, self.a) else {
                return diag("", String::new());
            };
            let name = strip_quotes(o.name);
            let message = match (self.rule, o.id) {
                (SideBySideRule::ObjectId, Some(id)) => {
                    format!("{} {id} {name:?} is already defined by {other_app}", o.kind)
                }
                _ => format!("{} {name:?} is already defined by {other_app}", o.kind),
            };
            diag(o.file, message).at(o.line, o.column)
        }
    }
}

/// What two declarations are compared by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    /// Object kind and ID.
    Id(ObjectKind, u32),
    /// Object kind, namespace and name (case-folded).
    Name(ObjectKind, String, String),
    /// Base object kind and name, member kind and ID.
    MemberId(ObjectKind, String, SideBySideMemberKind, u32),
    /// Base object kind and name, member kind and name.
    MemberName(ObjectKind, String, SideBySideMemberKind, String),
}

/// One declaration of an app under its key.
struct Entry {
    key: Key,
    rule: SideBySideRule,
    site: Site,
    /// Declared by an extension of the base object (members only).
    extension: bool,
}

impl Key {
    /// Where a clash goes in the report: the rule group, then a case-folded text
    /// (`table 50100`, `table contoso.loyalty tier`, `table customer field points`).
    fn order(&self) -> (u8, String) {
        match self {
            Key::Id(kind, id) => (0, format!("{kind} {id}")),
            Key::Name(kind, ns, name) if ns.is_empty() => (1, format!("{kind} {name}")),
            Key::Name(kind, ns, name) => (1, format!("{kind} {ns}.{name}")),
            Key::MemberId(kind, base, m, id) => (2, format!("{kind} {base} {} {id}", m.keyword())),
            Key::MemberName(kind, base, m, name) => {
                (2, format!("{kind} {base} {} {name}", m.keyword()))
            }
        }
    }
}

/// The base objects (kind, case-folded name) an extension of `a` or `b` extends: only on
/// these can members clash (two apps declaring one base object clash as objects).
fn extended_bases(a: &SideBySideApp<'_>, b: &SideBySideApp<'_>) -> HashSet<(ObjectKind, String)> {
    a.objects
        .iter()
        .chain(&b.objects)
        .filter_map(|o| match o.base()? {
            (kind, base, true) => Some((kind, name_key(strip_quotes(base)))),
            _ => None,
        })
        .collect()
}

/// Every declaration of `app` that can clash, with its key: objects, and the members of
/// objects on a base in `extended` (all when `None`). A base app's own tables, thousands
/// of fields, need no member keys unless something extends them.
fn entries(
    app: &SideBySideApp<'_>,
    extended: Option<&HashSet<(ObjectKind, String)>>,
) -> Vec<Entry> {
    let mut out = Vec::new();
    for (i, o) in app.objects.iter().enumerate() {
        // `dotnet { assembly(…) }` declares .NET types, not an object with an ID or name.
        if o.kind == ObjectKind::DotNet {
            continue;
        }
        let site = Site {
            object: i,
            member: None,
        };
        if let Some(id) = o.id.filter(|_| o.kind.has_id()) {
            out.push(Entry {
                key: Key::Id(o.kind, id),
                rule: SideBySideRule::ObjectId,
                site,
                extension: false,
            });
        }
        out.push(Entry {
            key: Key::Name(
                o.kind,
                name_key(o.namespace.unwrap_or_default()),
                name_key(strip_quotes(o.name)),
            ),
            rule: SideBySideRule::ObjectName,
            site,
            extension: false,
        });
        let Some((base_kind, base, extension)) = o.base() else {
            continue;
        };
        let base = name_key(strip_quotes(base));
        if !extension && extended.is_some_and(|x| !x.contains(&(base_kind, base.clone()))) {
            continue;
        }
        for (j, m) in o.members.iter().enumerate() {
            let site = Site {
                object: i,
                member: Some(j),
            };
            if m.kind.clashes_by_id()
                && let Some(id) = m.id
            {
                out.push(Entry {
                    key: Key::MemberId(base_kind, base.clone(), m.kind, id),
                    rule: SideBySideRule::MemberId,
                    site,
                    extension,
                });
            }
            out.push(Entry {
                key: Key::MemberName(
                    base_kind,
                    base.clone(),
                    m.kind,
                    name_key(strip_quotes(m.name)),
                ),
                rule: SideBySideRule::MemberName,
                site,
                extension,
            });
        }
    }
    out
}

/// Every clash of app `a` with app `b` (see the module docs for the rules): object ID
/// clashes, then object name clashes, then member ID and name clashes, each group in the
/// order of a case-folded text of what clashes (`table 50100`, `table contoso.tier`,
/// `table customer field 50100`). An object or member of `a` clashes at most once per
/// rule, with the first of `b`'s.
///
/// ```
/// use al_parser::symbols::{AppInfo, AppSymbols, SourceText};
/// use scope_rules::checks::side_by_side::{SideBySideApp, clashes};
/// let app = |name: &str, src: &str| AppSymbols::from_sources(AppInfo::named(name),
///     vec![SourceText::new("a.al", src.as_bytes().to_vec())]);
/// let a = app("A", "tableextension 50100 Ext extends Customer { fields { field(50100; Points; Integer) { } } }");
/// let b = app("B", "tableextension 70000000 \"CLY Ext\" extends Customer { fields { field(50100; \"CLY Points\"; Integer) { } } }");
/// let (va, vb) = (SideBySideApp::from(&a), SideBySideApp::from(&b));
/// let found: Vec<String> = clashes(&va, &vb).iter().map(|c| c.summary(&va)).collect();
/// assert_eq!(found, ["AVS0112: both apps add tableextension of \"Customer\": field 50100"]);
/// ```
pub fn clashes(a: &SideBySideApp<'_>, b: &SideBySideApp<'_>) -> Vec<Clash> {
    clashes_among(a, b, Some(&extended_bases(a, b)))
}

/// [`clashes`], with member keys made only for objects on an `extended` base (all when
/// `None`: the plain rule, which the property test compares with).
fn clashes_among(
    a: &SideBySideApp<'_>,
    b: &SideBySideApp<'_>,
    extended: Option<&HashSet<(ObjectKind, String)>>,
) -> Vec<Clash> {
    let mut theirs: HashMap<Key, (Site, bool)> = HashMap::new();
    for e in entries(b, extended) {
        theirs.entry(e.key).or_insert((e.site, e.extension));
    }
    let mut found: Vec<((u8, String), Clash)> = entries(a, extended)
        .into_iter()
        .filter_map(|e| {
            let &(b_site, b_extension) = theirs.get(&e.key)?;
            // Two base objects of one name clash as objects (AVS0111), not by members.
            if e.rule.is_member() && !e.extension && !b_extension {
                return None;
            }
            Some((
                e.key.order(),
                Clash {
                    rule: e.rule,
                    a: e.site,
                    b: b_site,
                },
            ))
        })
        .collect();
    found.sort_by(|x, y| x.0.cmp(&y.0));
    found.into_iter().map(|(_, c)| c).collect()
}

/// What two apps would share if installed side by side, as text (scope-rules §2.5: no
/// shared object IDs or names, and no shared field or enum-value IDs or names on a base
/// object both extend): the report form of [`clashes`].
///
/// ```
/// use scope_rules::checks::side_by_side::{SideBySide, SideBySideApp, SideBySideObject};
/// use scope_rules::ObjectKind;
/// let mut t = SideBySideObject::new(ObjectKind::Table, Some(50100), "Tier");
/// t.namespace = Some("Contoso");
/// let a = SideBySideApp { objects: vec![t] };
/// let r = SideBySide::between(&a, &a);
/// assert_eq!((r.shared_ids.as_slice(), r.shared_names.as_slice()), (&["table 50100".to_string()][..], &["table Contoso.\"Tier\"".to_string()][..]));
/// assert!(!r.is_clear());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SideBySide {
    /// Objects whose kind and ID both apps declare (`table 50100`).
    pub shared_ids: Vec<String>,
    /// Objects whose kind, namespace and name both apps declare.
    pub shared_names: Vec<String>,
    /// Members both apps add to the same base object: fields and enum values by ID or
    /// name, keys, controls and actions by name.
    pub shared_members: Vec<String>,
}

impl SideBySide {
    /// Whether both apps can be installed side by side.
    pub fn is_clear(&self) -> bool {
        self.shared_ids.is_empty() && self.shared_names.is_empty() && self.shared_members.is_empty()
    }

    /// The clashes of `a` with `b` ([`clashes`]) as text.
    pub fn between(a: &SideBySideApp<'_>, b: &SideBySideApp<'_>) -> Self {
        Self::from_clashes(a, &clashes(a, b))
    }

    /// The text of `found`, clashes of `a` (in their order).
    pub fn from_clashes(a: &SideBySideApp<'_>, found: &[Clash]) -> Self {
        let mut r = SideBySide::default();
        for c in found {
            let list = match c.rule {
                SideBySideRule::ObjectId => &mut r.shared_ids,
                SideBySideRule::ObjectName => &mut r.shared_names,
                SideBySideRule::MemberId | SideBySideRule::MemberName => &mut r.shared_members,
            };
            list.push(c.describe(a));
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use al_parser::symbols::{AppInfo, SourceText};

    fn symbols(name: &str, src: &str) -> AppSymbols {
        AppSymbols::from_sources(
            AppInfo::named(name),
            vec![SourceText::new("a.al", src.as_bytes().to_vec())],
        )
    }

    fn summaries(a: &AppSymbols, b: &AppSymbols) -> Vec<String> {
        let (va, vb) = (SideBySideApp::from(a), SideBySideApp::from(b));
        clashes(&va, &vb).iter().map(|c| c.summary(&va)).collect()
    }

    fn field(id: u32, name: &str) -> SideBySideMember<'_> {
        SideBySideMember {
            kind: SideBySideMemberKind::Field,
            id: Some(id),
            name,
            line: 1,
            column: 1,
        }
    }

    #[test]
    fn dotnet_declarations_are_not_objects() {
        let src = "dotnet\n{\n  assembly(\"mscorlib\")\n  {\n    type(\"System.String\"; MyString) { }\n  }\n}\n";
        let a = symbols("A", src);
        assert!(
            a.objects
                .iter()
                .any(|o| o.kind == al_parser::symbols::ObjectKind::DotNet),
            "{:?}",
            a.objects
        );
        let b = symbols("B", src);
        assert_eq!(summaries(&a, &b), Vec::<String>::new());
        assert!(SideBySide::between(&SideBySideApp::from(&a), &SideBySideApp::from(&b)).is_clear());
    }

    #[test]
    fn names_ignore_case_and_quotes_but_not_namespaces() {
        let a = symbols(
            "A",
            "namespace Contoso;\ntable 50100 \"Loyalty Tier\" { }\n",
        );
        let b = symbols(
            "B",
            "namespace CONTOSO;\ntable 50200 \"LOYALTY TIER\" { }\n",
        );
        assert_eq!(
            summaries(&a, &b),
            ["AVS0111: both apps declare table Contoso.\"Loyalty Tier\""]
        );
        let c = symbols(
            "C",
            "namespace Fabrikam;\ntable 50100 \"Loyalty Tier\" { }\n",
        );
        assert_eq!(
            summaries(&a, &c),
            ["AVS0110: both apps declare table 50100"]
        );
        // Same ID, other kind: no clash.
        let d = symbols("D", "page 50100 \"Loyalty Tier\" { }\n");
        assert!(summaries(&a, &d).is_empty());
    }

    #[test]
    fn a_member_id_never_clashes_with_a_member_name() {
        // Field 50100 of one app and a field named "50100" of the other.
        let a = symbols(
            "A",
            "tableextension 50100 A extends Customer { fields { field(50100; Points; Integer) { } } }",
        );
        let b = symbols(
            "B",
            "tableextension 70000000 B extends Customer { fields { field(70000000; \"50100\"; Integer) { } } }",
        );
        assert!(summaries(&a, &b).is_empty(), "{:?}", summaries(&a, &b));
        assert!(summaries(&b, &a).is_empty());
    }

    #[test]
    fn members_clash_on_a_shared_base_when_one_side_extends_it() {
        // The base table of one app and another app's extension of it: both ways.
        let base = symbols(
            "Base",
            "table 18 Customer { fields { field(1; \"No.\"; Code[20]) { } field(50100; Points; Integer) { } } keys { key(PK; \"No.\") { } } }",
        );
        let ext = symbols(
            "Ext",
            "tableextension 50100 \"Cust Ext\" extends Customer { fields { field(50100; \"No.\"; Integer) { } } keys { key(pk; \"No.\") { } } }",
        );
        let expected = [
            "AVS0112: both apps add table of \"Customer\": field 50100",
            "AVS0113: both apps add table of \"Customer\": field \"No.\"",
            "AVS0113: both apps add table of \"Customer\": key \"PK\"",
        ];
        assert_eq!(summaries(&base, &ext), expected);
        assert_eq!(
            summaries(&ext, &base),
            [
                "AVS0112: both apps add tableextension of \"Customer\": field 50100",
                "AVS0113: both apps add tableextension of \"Customer\": field \"No.\"",
                "AVS0113: both apps add tableextension of \"Customer\": key \"pk\"",
            ]
        );
        // Two base tables clash as objects, not by their members.
        let copy = symbols(
            "Copy",
            "table 50200 CUSTOMER { fields { field(1; \"No.\"; Code[20]) { } } }",
        );
        assert_eq!(
            summaries(&base, &copy),
            ["AVS0111: both apps declare table \"Customer\""]
        );
    }

    #[test]
    fn an_extension_without_a_target_adds_no_members() {
        let mut ext = SideBySideObject::new(ObjectKind::TableExtension, Some(50100), "Customer");
        ext.members.push(field(50100, "Points"));
        let mut other = SideBySideObject::new(ObjectKind::TableExtension, Some(50200), "Other");
        other.extends = Some("Customer");
        other.members.push(field(50100, "Points"));
        let a = SideBySideApp { objects: vec![ext] };
        let b = SideBySideApp {
            objects: vec![other],
        };
        assert!(clashes(&a, &b).is_empty());
        assert!(clashes(&b, &a).is_empty());
        let mut a = a;
        a.objects[0].extends = Some("\"\"");
        assert!(clashes(&a, &b).is_empty());
    }

    #[test]
    fn each_of_a_clashes_once_per_rule_with_the_first_of_b() {
        let t = |name| SideBySideObject::new(ObjectKind::Table, Some(50100), name);
        let a = SideBySideApp {
            objects: vec![t("Tier")],
        };
        let b = SideBySideApp {
            objects: vec![t("Other"), t("TIER"), t("tier")],
        };
        let found = clashes(&a, &b);
        let sites: Vec<_> = found.iter().map(|c| (c.rule, c.b.object)).collect();
        assert_eq!(
            sites,
            [
                (SideBySideRule::ObjectId, 0),
                (SideBySideRule::ObjectName, 1)
            ]
        );
        let d = found[1].to_diagnostic(&a, &b, "B");
        assert_eq!(
            (d.code.as_str(), d.message.as_str()),
            ("AVS0111", "table \"Tier\" is already defined by B")
        );
    }

    #[test]
    fn member_diagnostics_sit_on_the_member() {
        let mut ext = SideBySideObject::new(ObjectKind::TableExtension, Some(50100), "Ext");
        ext.extends = Some("\"Customer\"");
        (ext.file, ext.line, ext.column) = ("ext.al", 1, 16);
        ext.members.push(SideBySideMember {
            line: 4,
            column: 9,
            ..field(50100, "\"Points\"")
        });
        let mut base = SideBySideObject::new(ObjectKind::Table, Some(18), "Customer");
        base.members.push(field(50100, "points"));
        let (a, b) = (
            SideBySideApp { objects: vec![ext] },
            SideBySideApp {
                objects: vec![base],
            },
        );
        let d: Vec<Diagnostic> = clashes(&a, &b)
            .iter()
            .map(|c| c.to_diagnostic(&a, &b, "B"))
            .collect();
        let got: Vec<_> = d
            .iter()
            .map(|d| {
                (
                    d.code.as_str(),
                    d.file.as_str(),
                    d.line,
                    d.column,
                    d.message.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "AVS0112",
                    "ext.al",
                    4,
                    9,
                    "\"Points\" (50100) on \"customer\": ID 50100 is already used by \"Customer\" of B"
                ),
                (
                    "AVS0113",
                    "ext.al",
                    4,
                    9,
                    "\"Points\" on \"customer\": the name is already used by \"Customer\" of B"
                ),
            ]
        );
        assert_eq!(
            SideBySide::from_clashes(&a, &clashes(&a, &b)).shared_members,
            [
                "tableextension of \"\\\"Customer\\\"\": field 50100",
                "tableextension of \"\\\"Customer\\\"\": field \"\\\"Points\\\"\"",
            ]
        );
    }

    #[test]
    fn rule_codes() {
        let codes: Vec<&str> = SideBySideRule::ALL
            .iter()
            .map(|r| r.code().as_str())
            .collect();
        assert_eq!(codes, ["AVS0110", "AVS0111", "AVS0112", "AVS0113"]);
    }
    proptest::proptest! {
        /// Member keys are made only for objects on a base some extension extends: the
        /// clashes are those of the plain rule (every object's members keyed).
        #[test]
        fn keying_only_extended_bases_keeps_every_clash(
            a in app_strategy(),
            b in app_strategy(),
        ) {
            let (a, b) = (a.view(), b.view());
            proptest::prop_assert_eq!(clashes(&a, &b), clashes_among(&a, &b, None));
        }
    }

    /// An app of tables, table extensions, enums and enum extensions over a few names:
    /// (kind, name, extended name, members as (kind, id, name)).
    #[derive(Debug, Clone)]
    struct GenApp(Vec<GenObject>);

    /// (kind, name, extended name, members as (kind, id, name)).
    type GenObject = (u8, u8, u8, Vec<(u8, u8, u8)>);

    const NAMES: [&str; 4] = ["Customer", "Item", "Points", "customer"];
    const KINDS: [ObjectKind; 4] = [
        ObjectKind::Table,
        ObjectKind::TableExtension,
        ObjectKind::Enum,
        ObjectKind::EnumExtension,
    ];
    const MEMBERS: [SideBySideMemberKind; 3] = [
        SideBySideMemberKind::Field,
        SideBySideMemberKind::Key,
        SideBySideMemberKind::EnumValue,
    ];

    impl GenApp {
        fn view(&self) -> SideBySideApp<'static> {
            let objects = self.0.iter().map(|(k, n, target, members)| {
                let kind = KINDS[usize::from(*k) % 4];
                let name = NAMES[usize::from(*n) % 4];
                let mut o = SideBySideObject::new(kind, Some(50100 + u32::from(*n)), name);
                if kind.is_extension() {
                    o.extends = Some(NAMES[usize::from(*target) % 4]);
                }
                o.members = members
                    .iter()
                    .map(|(mk, id, member)| SideBySideMember {
                        kind: MEMBERS[usize::from(*mk) % 3],
                        id: Some(u32::from(*id)),
                        name: NAMES[usize::from(*member) % 4],
                        line: 1,
                        column: 1,
                    })
                    .collect();
                o
            });
            SideBySideApp {
                objects: objects.collect(),
            }
        }
    }

    fn app_strategy() -> impl proptest::strategy::Strategy<Value = GenApp> {
        use proptest::prelude::*;
        let member = (0u8..3, 0u8..3, 0u8..4);
        let object = (0u8..4, 0u8..4, 0u8..4, prop::collection::vec(member, 0..4));
        prop::collection::vec(object, 0..5).prop_map(GenApp)
    }
}
