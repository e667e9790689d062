//! The symbol model (plain, serde-serializable data) and the joined index.

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

pub use crate::ast::ObjectKind;

/// A numeric object ID (`table 50100 …` → `ObjectId(50100)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ObjectId(pub u32);

/// Lower-case keyword of an object kind (`table`, `tableextension`, …).
pub fn kind_keyword(kind: ObjectKind) -> &'static str {
    kind.as_str()
}

/// Parses an object keyword case-insensitively (`Table`, `tabledata` → table, `XmlPort`, …).
pub fn kind_from_keyword(word: &str) -> Option<ObjectKind> {
    use ObjectKind::*;
    const WORDS: &[(&str, ObjectKind)] = &[
        ("table", Table),
        ("tabledata", Table),
        ("record", Table),
        ("database", Table),
        ("tableextension", TableExtension),
        ("page", Page),
        ("testpage", Page),
        ("pageextension", PageExtension),
        ("pagecustomization", PageCustomization),
        ("codeunit", Codeunit),
        ("report", Report),
        ("testrequestpage", Report),
        ("reportextension", ReportExtension),
        ("xmlport", XmlPort),
        ("query", Query),
        ("enum", Enum),
        ("enumextension", EnumExtension),
        ("interface", Interface),
        ("permissionset", PermissionSet),
        ("permissionsetextension", PermissionSetExtension),
        ("profile", Profile),
        ("profileextension", ProfileExtension),
        ("controladdin", ControlAddIn),
        ("entitlement", Entitlement),
        ("dotnet", DotNet),
    ];
    WORDS
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
        .map(|(_, k)| *k)
}

pub(crate) mod kind_serde {
    use super::{ObjectKind, kind_from_keyword, kind_keyword};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(k: &ObjectKind, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(kind_keyword(*k))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ObjectKind, D::Error> {
        let s = String::deserialize(d)?;
        kind_from_keyword(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown kind {s}")))
    }
}

/// What kind of member a [`MemberSymbol`] is: the parser's one [`MemberKind`]; an index
/// holds fields, keys, field groups, enum values, controls, actions, dataitems, columns,
/// filters, xmlport nodes and procedures.
pub use crate::ast::MemberKind;

/// Procedure access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Access {
    /// No modifier.
    #[default]
    Public,
    /// `local`.
    Local,
    /// `internal`.
    Internal,
    /// `protected`.
    Protected,
}

/// A procedure parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parameter {
    /// Name.
    pub name: String,
    /// Type as written (tokens joined by single spaces).
    pub type_name: String,
    /// `var` parameter.
    pub by_ref: bool,
}

/// The obsoletion and move markers of an object or member: `ObsoleteState`, `ObsoleteTag`,
/// `ObsoleteReason`, `MovedFrom`, `MovedTo` (properties), or a procedure's
/// `[Obsolete('reason', 'tag')]` attribute (state `Pending`). Values as written, unquoted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Markers {
    /// `ObsoleteState` (`Pending`, `Removed`, `PendingMove`, `Moved`; `No` is left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obsolete_state: Option<String>,
    /// `ObsoleteTag`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obsolete_tag: Option<String>,
    /// `ObsoleteReason`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obsolete_reason: Option<String>,
    /// `MovedFrom`: the app id the symbol was moved from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<String>,
    /// `MovedTo`: the app id the symbol was moved to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
}

impl Markers {
    /// Reads one `name = value` property into the markers (case-insensitive names; others
    /// ignored). Returns whether `name` was one of them.
    pub fn set(&mut self, name: &str, value: &str) -> bool {
        let v = value.trim();
        let v = v
            .strip_prefix('\'')
            .and_then(|x| x.strip_suffix('\''))
            .map_or_else(|| v.to_string(), |x| x.replace("''", "'"));
        let slot = if name.eq_ignore_ascii_case("ObsoleteState") {
            if v.eq_ignore_ascii_case("No") {
                return true;
            }
            &mut self.obsolete_state
        } else if name.eq_ignore_ascii_case("ObsoleteTag") {
            &mut self.obsolete_tag
        } else if name.eq_ignore_ascii_case("ObsoleteReason") {
            &mut self.obsolete_reason
        } else if name.eq_ignore_ascii_case("MovedFrom") {
            &mut self.moved_from
        } else if name.eq_ignore_ascii_case("MovedTo") {
            &mut self.moved_to
        } else {
            return false;
        };
        *slot = Some(v);
        true
    }

    /// The markers of an `[Obsolete('reason', 'tag')]` attribute with these arguments:
    /// state `Pending`, the first argument the reason, the second the tag.
    ///
    /// ```
    /// let m = al_parser::symbols::Markers::obsolete_attribute(&["Use X", "24.0"]);
    /// assert!(m.state_is("Pending"));
    /// assert_eq!(m.obsolete_tag.as_deref(), Some("24.0"));
    /// ```
    pub fn obsolete_attribute<S: AsRef<str>>(args: &[S]) -> Markers {
        let mut m = Markers::default();
        m.set("ObsoleteState", "Pending");
        if let Some(r) = args.first() {
            m.set("ObsoleteReason", r.as_ref());
        }
        if let Some(t) = args.get(1) {
            m.set("ObsoleteTag", t.as_ref());
        }
        m
    }

    /// `Some(self)` boxed when any marker is set.
    pub fn boxed(self) -> Option<Box<Markers>> {
        (self != Markers::default()).then(|| Box::new(self))
    }

    /// Whether `ObsoleteState` is `state` (case-insensitive).
    pub fn state_is(&self, state: &str) -> bool {
        self.obsolete_state
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(state))
    }
}

/// A member other code can refer to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSymbol {
    /// Kind.
    pub kind: MemberKind,
    /// Field ID or enum ordinal.
    pub id: Option<u32>,
    /// Name (unquoted).
    pub name: String,
    /// Field type / procedure return type / dataitem table / part page / column source, as written.
    pub type_name: Option<String>,
    /// Procedure parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    /// Procedure access.
    #[serde(default)]
    pub access: Access,
    /// Index of the enclosing dataitem member (columns, nested dataitems).
    pub parent: Option<u32>,
    /// Span of the whole member (source symbols only).
    pub span: Option<Range<u32>>,
    /// Span of the name token as written.
    pub name_span: Option<Range<u32>>,
    /// Span of the ID.
    pub id_span: Option<Range<u32>>,
    /// Obsoletion and move markers, when any is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markers: Option<Box<Markers>>,
}

/// An object declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectSymbol {
    /// Kind.
    #[serde(with = "kind_serde")]
    pub kind: ObjectKind,
    /// Numeric ID (kinds that have one).
    pub id: Option<ObjectId>,
    /// Name (unquoted).
    pub name: String,
    /// Namespace of the declaring file.
    pub namespace: Option<String>,
    /// Index into [`AppSymbols::files`] (source symbols only).
    pub file: Option<u32>,
    /// Span of the whole declaration.
    pub span: Option<Range<u32>>,
    /// Span of the name token.
    pub name_span: Option<Range<u32>>,
    /// Span of the ID token.
    pub id_span: Option<Range<u32>>,
    /// `extends` / `customizes` target as written (dotted, unquoted segments).
    pub extends: Option<String>,
    /// `implements` list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub implements: Vec<String>,
    /// `SourceTable` (pages) or `TableNo` (codeunits), as written (quotes kept).
    pub source_table: Option<String>,
    /// Permission sets: `Assignable = true` (the 20-character limit applies).
    #[serde(default)]
    pub assignable: bool,
    /// Obsoletion and move markers, when any is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markers: Option<Box<Markers>>,
    /// Members.
    pub members: Vec<MemberSymbol>,
}

/// Where an app's symbols come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum AppOrigin {
    /// Parsed from a project folder.
    #[default]
    Source,
    /// Read from a package's SymbolReference.json.
    Package,
}

/// A dependency as declared in app.json.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DependencyInfo {
    /// App id (lower-case GUID text).
    pub id: String,
    /// Name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
}

/// Identity of an app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AppInfo {
    /// App id (lower-case GUID text; may be empty).
    pub id: String,
    /// Name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Version text.
    pub version: String,
    /// Declared dependencies.
    pub dependencies: Vec<DependencyInfo>,
}

impl AppInfo {
    /// An app with only a name (tests, ad-hoc folders).
    pub fn named(name: &str) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
}

/// The symbols of one app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AppSymbols {
    /// Identity and dependencies.
    pub info: AppInfo,
    /// Source or package.
    pub origin: AppOrigin,
    /// File paths (as given), indexed by [`ObjectSymbol::file`].
    pub files: Vec<String>,
    /// Objects.
    pub objects: Vec<ObjectSymbol>,
}

impl AppSymbols {
    /// Name of the app [`AppSymbols::stand_ins`] builds.
    pub const STAND_INS: &'static str = "alkit: stand-ins for objects without symbols";

    /// A symbol-only app with an empty object for each (kind, name) of `objects` (see
    /// [`SymbolIndex::unknown_bases`]). Joined to an index, it lets the resolver attach
    /// extensions to their unknown base objects, so references through the base type
    /// (`Customer."Loyalty Points"` without the base app's symbols) resolve to the
    /// extension's members.
    pub fn stand_ins(objects: &[(ObjectKind, String)]) -> Self {
        Self {
            info: AppInfo::named(Self::STAND_INS),
            origin: AppOrigin::Package,
            files: Vec::new(),
            objects: objects
                .iter()
                .map(|(kind, name)| ObjectSymbol {
                    kind: *kind,
                    id: None,
                    name: name.clone(),
                    namespace: None,
                    file: None,
                    span: None,
                    name_span: None,
                    id_span: None,
                    extends: None,
                    implements: Vec::new(),
                    source_table: None,
                    assignable: false,
                    markers: None,
                    members: Vec::new(),
                })
                .collect(),
        }
    }
}

/// A file of source text.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// Path (as the caller names it; used in reports and edits).
    pub path: String,
    /// The file's bytes, shared: parsing UTF-8 keeps them as the parse's text, without a
    /// copy, so a caller that holds a project's files in memory can parse them for free.
    pub bytes: std::sync::Arc<Vec<u8>>,
}

impl SourceText {
    /// A file (`bytes`: a `Vec<u8>` or an already shared `Arc<Vec<u8>>`).
    ///
    /// ```
    /// use al_parser::symbols::{ParsedFile, SourceText};
    /// let bytes = std::sync::Arc::new(b"codeunit 50100 A { }".to_vec());
    /// let file = ParsedFile::parse_owned(SourceText::new("A.al", bytes.clone()));
    /// // UTF-8 text is the caller's bytes, not a copy.
    /// assert!(std::ptr::eq(file.text(), bytes.as_slice()));
    /// ```
    pub fn new(path: impl Into<String>, bytes: impl Into<std::sync::Arc<Vec<u8>>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Identifies an object or member in a [`SymbolIndex`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SymbolId {
    /// Index into [`SymbolIndex::apps`].
    pub app: u32,
    /// Index into [`AppSymbols::objects`].
    pub object: u32,
    /// Index into [`ObjectSymbol::members`], or `None` for the object itself.
    pub member: Option<u32>,
}

impl SymbolId {
    /// The object this symbol is (or belongs to).
    pub fn object_id(self) -> SymbolId {
        SymbolId {
            member: None,
            ..self
        }
    }
}

/// Problems met while joining apps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IndexDiagnostic {
    /// An app declares a dependency whose symbols were not given.
    MissingDependency {
        /// The depending app's name.
        app: String,
        /// The dependency.
        dependency: DependencyInfo,
    },
    /// Two objects of one kind share an ID.
    DuplicateId {
        /// Kind keyword.
        kind: String,
        /// The ID.
        id: u32,
        /// The objects' names.
        names: Vec<String>,
    },
}

/// All apps' symbols with lookup tables.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SymbolIndex {
    /// The apps (the first is usually the one being worked on).
    pub apps: Vec<AppSymbols>,
    /// Missing dependencies and duplicate IDs.
    pub diagnostics: Vec<IndexDiagnostic>,
    #[serde(skip)]
    lookup: Lookup,
}

#[derive(Debug, Clone, Default)]
struct Lookup {
    /// Per object kind (`ObjectKind as usize`): lower-case name → objects.
    by_name: Vec<FastMap<Vec<u8>, Vec<SymbolId>>>,
    by_id: FastMap<(u8, u32), Vec<SymbolId>>,
    /// Base object → extension objects.
    extensions: FastMap<SymbolId, Vec<SymbolId>>,
    /// Per app, per object: lower-case member name → the members with that name.
    members: Vec<Vec<FastMap<Box<[u8]>, SameName>>>,
}

/// The members of one object that share a name, in declaration order, with their kinds
/// (a lookup by name and kind reads no member). Most names are one member's, kept
/// without a second allocation.
#[derive(Debug, Clone)]
struct SameName {
    first: (u32, MemberKind),
    more: Vec<(u32, MemberKind)>,
}

impl SameName {
    fn iter(&self) -> impl Iterator<Item = (u32, MemberKind)> + '_ {
        std::iter::once(self.first).chain(self.more.iter().copied())
    }
}

/// Longest name [`with_key`] lower-cases on the stack.
const KEY_BUF: usize = 128;

/// Calls `f` with the bytes of [`name_key`] of `s`, without allocating for short ASCII names
/// (for lookups on hot paths).
///
/// ```
/// assert!(al_parser::symbols::with_key("Sales Header", |k| k == b"sales header"));
/// ```
pub fn with_key<R>(s: &str, f: impl FnOnce(&[u8]) -> R) -> R {
    let b = s.as_bytes();
    let mut buf = [0u8; KEY_BUF];
    if b.is_ascii()
        && let Some(dst) = buf.get_mut(..b.len())
    {
        dst.copy_from_slice(b);
        dst.make_ascii_lowercase();
        return f(dst);
    }
    f(name_key(s).as_bytes())
}

/// [`name_key`] of an owned string, lower-casing ASCII in place.
pub(crate) fn into_key(mut s: String) -> String {
    if s.is_ascii() {
        s.make_ascii_lowercase();
        s
    } else {
        s.to_lowercase()
    }
}

impl Lookup {
    fn named(&self, kind: ObjectKind, key: &[u8]) -> Option<&Vec<SymbolId>> {
        self.by_name.get(kind as usize)?.get(key)
    }
}

/// Number of [`ObjectKind`] variants (size of per-kind tables).
const OBJECT_KINDS: usize = ObjectKind::DotNet as usize + 1;

/// Lower-case key for case-insensitive name comparison.
pub fn name_key(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

/// A small non-cryptographic hasher (FxHash) for the lookup tables: keys are names from
/// the user's own sources, so hash flooding is not a concern and SipHash dominated lookups.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(K);
    }

    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FxHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

impl SymbolIndex {
    /// Drops the index, freeing its objects and lookup tables in parallel on the rayon
    /// pool: a base app's index with its dependencies holds millions of small
    /// allocations, and freeing them on one thread is a visible part of a large move.
    ///
    /// ```
    /// use al_parser::symbols::{AppInfo, AppSymbols, SourceText, SymbolIndex};
    /// let app = AppSymbols::from_sources(AppInfo::named("A"), vec![SourceText::new("t.al", b"table 50100 T { }".to_vec())]);
    /// let index = SymbolIndex::new(vec![app]);
    /// assert_eq!(index.apps[0].objects.len(), 1);
    /// index.drop_parallel();
    /// ```
    pub fn drop_parallel(self) {
        use rayon::prelude::*;
        let SymbolIndex { apps, lookup, .. } = self;
        let Lookup {
            by_name,
            by_id,
            extensions,
            members,
        } = lookup;
        rayon::join(
            || {
                apps.into_par_iter()
                    .for_each(|a| a.objects.into_par_iter().for_each(drop))
            },
            || {
                rayon::join(
                    || {
                        members
                            .into_par_iter()
                            .for_each(|m| m.into_par_iter().for_each(drop))
                    },
                    || by_name.into_par_iter().for_each(drop),
                );
                drop((by_id, extensions));
            },
        );
    }

    /// Joins apps, reports missing dependencies and duplicate IDs, and builds the lookups.
    pub fn new(apps: Vec<AppSymbols>) -> Self {
        let mut s = Self {
            apps,
            diagnostics: Vec::new(),
            lookup: Lookup::default(),
        };
        s.reindex();
        let ids: std::collections::HashSet<String> = s
            .apps
            .iter()
            .map(|a| a.info.id.to_ascii_lowercase())
            .collect();
        let names: std::collections::HashSet<(String, String)> = s
            .apps
            .iter()
            .map(|a| (name_key(&a.info.name), name_key(&a.info.publisher)))
            .collect();
        let mut diags = Vec::new();
        for a in &s.apps {
            for d in &a.info.dependencies {
                let present = ids.contains(&d.id.to_ascii_lowercase())
                    || names.contains(&(name_key(&d.name), name_key(&d.publisher)));
                if !present {
                    diags.push(IndexDiagnostic::MissingDependency {
                        app: a.info.name.clone(),
                        dependency: d.clone(),
                    });
                }
            }
        }
        let mut dup: Vec<_> = s
            .lookup
            .by_id
            .iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|((k, id), v)| (*k, *id, v.clone()))
            .collect();
        dup.sort();
        for (_, id, v) in dup {
            let objs: Vec<&ObjectSymbol> = v.iter().filter_map(|x| s.object(*x)).collect();
            if let Some(first) = objs.first() {
                diags.push(IndexDiagnostic::DuplicateId {
                    kind: kind_keyword(first.kind).into(),
                    id,
                    names: objs.iter().map(|o| o.name.clone()).collect(),
                });
            }
        }
        s.diagnostics = diags;
        s
    }

    /// Rebuilds the lookup tables (needed after deserializing or editing `apps`).
    pub fn reindex(&mut self) {
        self.lookup = Lookup {
            by_name: vec![FastMap::default(); OBJECT_KINDS],
            ..Lookup::default()
        };
        self.index_apps(0);
    }

    /// Adds an app and indexes it, without rebuilding the lookups of the apps already
    /// in the index (the extensions' bases are looked up again: the new app may provide
    /// some). Diagnostics are not recomputed.
    ///
    /// ```
    /// use al_parser::symbols::{AppInfo, AppSymbols, SourceText, SymbolIndex};
    /// use al_parser::ast::ObjectKind;
    /// let ext = AppSymbols::from_sources(AppInfo::named("A"), vec![SourceText::new("e.al", b"tableextension 50100 E extends Customer { }".to_vec())]);
    /// let mut index = SymbolIndex::new(vec![ext]);
    /// assert!(index.objects_named(ObjectKind::Table, "Customer").is_empty());
    /// index.push_app(AppSymbols::stand_ins(&[(ObjectKind::Table, "Customer".into())]));
    /// let base = index.objects_named(ObjectKind::Table, "Customer")[0];
    /// assert_eq!(index.extensions_of(base).len(), 1);
    /// ```
    pub fn push_app(&mut self, app: AppSymbols) {
        // Lookups that do not cover the apps (e.g. a deserialized index) are built whole.
        let current = self.lookup.members.len() == self.apps.len()
            && self.lookup.by_name.len() == OBJECT_KINDS;
        self.apps.push(app);
        if current {
            self.index_apps(self.apps.len() - 1);
        } else {
            self.reindex();
        }
    }

    /// Adds apps `first..` to the lookups and recomputes the extensions.
    fn index_apps(&mut self, first: usize) {
        use rayon::prelude::*;
        let l = &mut self.lookup;
        for (ai, app) in self.apps.iter().enumerate().skip(first) {
            for (oi, o) in app.objects.iter().enumerate() {
                let sid = SymbolId {
                    app: ai as u32,
                    object: oi as u32,
                    member: None,
                };
                if let Some(m) = l.by_name.get_mut(o.kind as usize) {
                    m.entry(name_key(&o.name).into_bytes())
                        .or_default()
                        .push(sid);
                }
                if let Some(id) = o.id {
                    l.by_id.entry((o.kind as u8, id.0)).or_default().push(sid);
                }
            }
        }
        l.members.truncate(first);
        l.members.extend(self.apps.iter().skip(first).map(|app| {
            app.objects
                .par_iter()
                .map(|o| {
                    let mut m: FastMap<Box<[u8]>, SameName> = FastMap::default();
                    m.reserve(o.members.len());
                    for (mi, mem) in o.members.iter().enumerate() {
                        let at = (mi as u32, mem.kind);
                        match m.entry(name_key(&mem.name).into_bytes().into_boxed_slice()) {
                            std::collections::hash_map::Entry::Occupied(mut e) => {
                                e.get_mut().more.push(at)
                            }
                            std::collections::hash_map::Entry::Vacant(e) => {
                                e.insert(SameName {
                                    first: at,
                                    more: Vec::new(),
                                });
                            }
                        }
                    }
                    m
                })
                .collect()
        }));
        let mut ext = FastMap::<SymbolId, Vec<SymbolId>>::default();
        for (ai, app) in self.apps.iter().enumerate() {
            for (oi, o) in app.objects.iter().enumerate() {
                let Some(base_kind) = base_kind(o.kind) else {
                    continue;
                };
                let Some(target) = &o.extends else { continue };
                let last = target.rsplit('.').next().unwrap_or(target);
                let full = l.named(base_kind, name_key(target).as_bytes());
                let short = l.named(base_kind, name_key(last).as_bytes());
                // `extends 18`: the target is the base object's ID.
                let numbered = || {
                    let id = target.parse::<u32>().ok()?;
                    l.by_id.get(&(base_kind as u8, id))
                };
                if let Some(b) = full.or(short).or_else(numbered).and_then(|v| v.first()) {
                    ext.entry(*b).or_default().push(SymbolId {
                        app: ai as u32,
                        object: oi as u32,
                        member: None,
                    });
                }
            }
        }
        l.extensions = ext;
    }

    /// The object of a symbol id (its object part).
    pub fn object(&self, id: SymbolId) -> Option<&ObjectSymbol> {
        self.apps
            .get(id.app as usize)?
            .objects
            .get(id.object as usize)
    }

    /// The member a symbol id names.
    pub fn member(&self, id: SymbolId) -> Option<&MemberSymbol> {
        self.object(id)?.members.get(id.member? as usize)
    }

    /// Objects of a kind with a name (case-insensitive, unquoted), in app order.
    pub fn objects_named(&self, kind: ObjectKind, name: &str) -> &[SymbolId] {
        with_key(name, |k| self.objects_named_key(kind, k))
    }

    /// [`Self::objects_named`] with a name already lower-cased by [`name_key`].
    pub(crate) fn objects_named_key(&self, kind: ObjectKind, key: &[u8]) -> &[SymbolId] {
        self.lookup
            .named(kind, key)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Member lookup table of an object.
    fn member_map(&self, obj: SymbolId) -> Option<&FastMap<Box<[u8]>, SameName>> {
        self.lookup
            .members
            .get(obj.app as usize)?
            .get(obj.object as usize)
    }

    /// Objects of a kind with an ID.
    pub fn objects_numbered(&self, kind: ObjectKind, id: u32) -> &[SymbolId] {
        self.lookup
            .by_id
            .get(&(kind as u8, id))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The first object of a kind with a name (or a `Namespace.Name` qualified name).
    pub fn find_object(&self, kind: ObjectKind, name: &str) -> Option<SymbolId> {
        if let Some(s) = self.objects_named(kind, name).first() {
            return Some(*s);
        }
        // An extension's target may be the extended object's ID (`extends 18`).
        if let Ok(id) = name.parse::<u32>()
            && let Some(s) = self.objects_numbered(kind, id).first()
        {
            return Some(*s);
        }
        let (ns, last) = name.rsplit_once('.')?;
        self.objects_named(kind, last).iter().copied().find(|s| {
            self.object(*s)
                .and_then(|o| o.namespace.as_deref())
                .is_some_and(|n| n.eq_ignore_ascii_case(ns))
        })
    }

    /// Extension objects (table/page/enum/report/permission-set/profile extensions, page
    /// customizations) whose target is `base`.
    pub fn extensions_of(&self, base: SymbolId) -> &[SymbolId] {
        self.lookup
            .extensions
            .get(&base.object_id())
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Members of one object (not its extensions) with a kind and a name.
    pub fn own_members(&self, obj: SymbolId, kind: MemberKind, name: &str) -> Vec<SymbolId> {
        let obj = obj.object_id();
        with_key(name, |k| self.member_map(obj).and_then(|m| m.get(k)))
            .map(|v| {
                v.iter()
                    .filter(|(_, k)| *k == kind)
                    .map(|(i, _)| SymbolId {
                        member: Some(i),
                        ..obj
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn first_own(&self, obj: SymbolId, kind: MemberKind, key: &[u8]) -> Option<SymbolId> {
        let obj = obj.object_id();
        let (i, _) = self
            .member_map(obj)?
            .get(key)?
            .iter()
            .find(|(_, k)| *k == kind)?;
        Some(SymbolId {
            member: Some(i),
            ..obj
        })
    }

    /// The first member of a kind and name on an object or on any of its extensions.
    pub fn find_member(&self, obj: SymbolId, kind: MemberKind, name: &str) -> Option<SymbolId> {
        with_key(name, |k| self.find_member_bytes(obj, kind, k))
    }

    /// The member of `kind` numbered `id` (an enum value by its ordinal, a field by its
    /// number) in `obj` or one of its extensions.
    pub fn find_member_numbered(
        &self,
        obj: SymbolId,
        kind: MemberKind,
        id: u32,
    ) -> Option<SymbolId> {
        std::iter::once(obj)
            .chain(self.extensions_of(obj).iter().copied())
            .find_map(|o| {
                let x = self.object(o)?;
                x.members
                    .iter()
                    .position(|m| m.kind == kind && m.id == Some(id))
                    .map(|i| SymbolId {
                        member: Some(i as u32),
                        ..o
                    })
            })
    }

    /// [`Self::find_member`] with a name already lower-cased by [`name_key`].
    pub(crate) fn find_member_key(
        &self,
        obj: SymbolId,
        kind: MemberKind,
        key: &str,
    ) -> Option<SymbolId> {
        self.find_member_bytes(obj, kind, key.as_bytes())
    }

    /// [`Self::find_member_key`] with the key as bytes.
    pub(crate) fn find_member_bytes(
        &self,
        obj: SymbolId,
        kind: MemberKind,
        key: &[u8],
    ) -> Option<SymbolId> {
        if let Some(m) = self.first_own(obj, kind, key) {
            return Some(m);
        }
        self.extensions_of(obj)
            .iter()
            .find_map(|e| self.first_own(*e, kind, key))
    }

    /// [`Self::find_member`] on an optional object.
    pub fn find_member_opt(
        &self,
        obj: Option<SymbolId>,
        kind: MemberKind,
        name: &str,
    ) -> Option<SymbolId> {
        self.find_member(obj?, kind, name)
    }

    /// Base objects that an extension of the apps `apps` (indices) extends but no app of
    /// the index provides, as (kind, name), sorted by kind and name key, without
    /// duplicates. The name is the last segment of the `extends` target as written.
    pub fn unknown_bases(&self, apps: std::ops::Range<u32>) -> Vec<(ObjectKind, String)> {
        let mut v: Vec<(ObjectKind, String)> = self
            .apps
            .get(apps.start as usize..(apps.end as usize).min(self.apps.len()))
            .unwrap_or_default()
            .iter()
            .flat_map(|a| &a.objects)
            .filter_map(|o| {
                let bk = base_kind(o.kind)?;
                let target = o.extends.as_deref()?;
                let last = target.rsplit('.').next().unwrap_or(target);
                let known =
                    self.find_object(bk, target).is_some() || self.find_object(bk, last).is_some();
                (!known).then(|| (bk, last.to_string()))
            })
            .collect();
        v.sort_by_cached_key(|(k, n)| (*k as u8, name_key(n)));
        v.dedup_by(|a, b| a.0 == b.0 && name_key(&a.1) == name_key(&b.1));
        v
    }

    /// The object an extension extends (resolved by name), if any.
    pub fn base_of(&self, ext: SymbolId) -> Option<SymbolId> {
        let o = self.object(ext)?;
        let bk = base_kind(o.kind)?;
        let target = o.extends.as_deref()?;
        self.find_object(bk, target)
    }

    /// A human-readable description: `table "Customer"`, `table "Customer".field "No."`.
    pub fn describe(&self, id: SymbolId) -> String {
        let Some(o) = self.object(id) else {
            return "?".into();
        };
        let mut s = format!("{} \"{}\"", kind_keyword(o.kind), o.name);
        if let Some(m) = self.member(id) {
            s.push_str(&format!(".{} \"{}\"", member_keyword(m.kind), m.name));
        }
        s
    }
}

/// Keyword used to describe a member kind (`field`, `key`, `value`, …).
pub fn member_keyword(k: MemberKind) -> &'static str {
    k.keyword()
}

/// The kind an extension-like object targets.
pub fn base_kind(k: ObjectKind) -> Option<ObjectKind> {
    k.base_kind()
}
