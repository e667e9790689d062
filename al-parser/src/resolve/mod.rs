//! Reference resolution: every place a file names an object or a member, with its exact
//! span, classified (by name, by number, inside a string) and resolved to a
//! [`crate::symbols::SymbolId`] or reported unresolved with a reason.
//!
//! Every preprocessor branch is covered: each file is walked once per configuration of
//! [`crate::branch_configurations`] and references are deduplicated by span.
//!
//! ```
//! use al_parser::symbols::{AppInfo, ParsedApp, SourceText};
//! use al_parser::resolve::{Workspace, RefBy};
//!
//! let t = SourceText::new("T.al", b"table 50100 T { fields { field(1; A; Integer) { } } }".to_vec());
//! let c = SourceText::new("C.al", b"codeunit 50100 C { var R: Record T; procedure P() begin R.A := Database::T; Codeunit.Run(50100); end; }".to_vec());
//! let ws = Workspace::new(vec![ParsedApp::parse(AppInfo::named("A"), vec![t, c])], vec![], vec![]);
//! let refs = ws.references(0);
//! assert!(refs.iter().any(|r| r.text == "A" && r.resolution.is_resolved()));
//! assert!(refs.iter().any(|r| r.by == RefBy::Number && r.text == "50100"));
//! ```

mod attributes;
mod exprs;
mod members;
mod objects;
mod props;
mod segs;
mod types;
mod walk;

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::symbols::{AppSymbols, ParsedApp, SymbolId, SymbolIndex};

/// Where a reference occurs (what syntax names the symbol).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RefKind {
    /// The declaration itself (another preprocessor branch's copy, or the primary one).
    Declaration,
    /// A variable, parameter, return or field type (`Record X`, `Enum X`, `List of [Interface X]`).
    Type,
    /// `Database::X`, `Codeunit::X`, `Enum::X`, …
    ScopeOperator,
    /// An object-valued property (`SourceTable`, `RunObject`, `LookupPageId`, …).
    Property,
    /// `Permissions`, `AccessByPermission` and permission-set entries.
    Permission,
    /// `extends` / `customizes` target.
    Extends,
    /// `implements` list, interface `extends`.
    Implements,
    /// An element argument (`dataitem(X; Table)`, `part(X; Page)`, `usercontrol`, `tableelement`).
    Element,
    /// `Codeunit.Run(50100)`, `RecordRef.Open(…)`, … (number or qualified name string).
    RunCall,
    /// `[EventSubscriber(…)]` object argument.
    EventSubscriber,
    /// A field through a receiver or the implicit `Rec` (`Rec."X"`, `"X"`).
    FieldAccess,
    /// A field as argument of a record method (`SetRange("X", …)`, `FieldNo(X)`, …).
    FieldArgument,
    /// A field in a property (`TableRelation`, `CalcFormula`, links, views, `RequestFilterFields`).
    FieldInProperty,
    /// A field in an element (`field(N; Rec."X")`, key/fieldgroup lists, columns, xmlport fields).
    FieldInElement,
    /// An enum value (`Enum::"E"::V`, `"E"::V`, `Rec.Type::V`).
    EnumValue,
    /// A page control or action (`CurrPage.X`, `TestPage.X`, `actionref`).
    Control,
    /// An anchor of a change (`modify(X)`, `addafter(X)`, …).
    Change,
    /// A procedure call.
    ProcedureCall,
    /// Event name inside an `[EventSubscriber]` (a string).
    EventName,
    /// Element name inside an `[EventSubscriber]` (a string).
    EventElement,
}

/// How the reference names its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RefBy {
    /// An identifier (plain or quoted).
    Name,
    /// A numeric ID.
    Number,
    /// The contents of a string literal (`'OnAfterX'`, `'Ns.Name'`); `''` escapes apply.
    String,
}

/// Why a reference could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unresolved {
    /// No object of that kind and name/number in the index.
    ObjectNotFound {
        /// Kind keyword sought.
        kind: String,
    },
    /// The object is known, the member is not.
    MemberNotFound {
        /// Member kind keyword sought.
        kind: String,
        /// The object searched (description).
        object: String,
    },
    /// Platform symbols (system tables ≥ 2,000,000,000, system fields, built-in events)
    /// are not part of any app.
    Platform,
}

/// What a reference resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Resolution {
    /// A symbol of the index.
    Symbol(SymbolId),
    /// Not resolved, with the reason (boxed: most references resolve, and a reference is
    /// smaller without the reason's strings inline — an app has about a million).
    Unresolved(Box<Unresolved>),
}

impl Resolution {
    /// Whether it resolved.
    pub fn is_resolved(&self) -> bool {
        matches!(self, Resolution::Symbol(_))
    }

    /// Not resolved, for `reason`.
    pub fn unresolved(reason: Unresolved) -> Self {
        Resolution::Unresolved(Box::new(reason))
    }

    /// Why it did not resolve, if it did not.
    pub fn reason(&self) -> Option<&Unresolved> {
        match self {
            Resolution::Symbol(_) => None,
            Resolution::Unresolved(u) => Some(u),
        }
    }

    /// The symbol, if resolved.
    pub fn symbol(&self) -> Option<SymbolId> {
        match self {
            Resolution::Symbol(s) => Some(*s),
            Resolution::Unresolved(_) => None,
        }
    }
}

/// One reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// Index into the app's files.
    pub file: u32,
    /// Byte span in the decoded text: the identifier token as written (quotes included), the
    /// number, or the string contents (without the quotes).
    pub span: Range<u32>,
    /// Position kind.
    pub kind: RefKind,
    /// By name, number or string.
    pub by: RefBy,
    /// The text of the span, unquoted / unescaped.
    pub text: String,
    /// Target.
    pub resolution: Resolution,
}

/// Apps parsed from source and/or given as symbols, joined in one index, with the
/// references of every source app resolved.
#[derive(Debug)]
pub struct Workspace {
    /// The joined index. Apps are ordered: `sources`, then `dependencies`, then `symbols`.
    pub index: SymbolIndex,
    /// Parsed sources per app index (`None` for symbol-only apps).
    pub parsed: Vec<Option<ParsedApp>>,
    refs: Vec<Vec<Reference>>,
    /// (symbol, app, index in `refs[app]`), sorted; built on first use of
    /// [`Workspace::references_to`].
    by_symbol: std::sync::OnceLock<BySymbol>,
}

/// Dependencies given to a workspace: taken (their parses are kept) or read.
enum Deps<'a> {
    Owned(Vec<ParsedApp>),
    Borrowed(&'a [ParsedApp]),
}

/// `s` as one integer ordered like `SymbolId`'s own order, when its parts are small
/// enough (fewer than 2^16 apps, 2^24 objects per app and 2^24 - 1 members per object).
fn packed(s: SymbolId) -> Option<u64> {
    let m = s.member.map_or(0, |m| u64::from(m) + 1);
    (s.app < 1 << 16 && s.object < 1 << 24 && m < 1 << 24)
        .then(|| (u64::from(s.app) << 48) | (u64::from(s.object) << 24) | m)
}

/// (symbol, app, index of the reference) sorted: the symbol packed into one integer
/// (see [`packed`]) when every one packs, else as it is.
#[derive(Debug)]
enum BySymbol {
    Packed(Vec<(u64, u32, u32)>),
    Plain(Vec<(SymbolId, u32, u32)>),
}

impl Workspace {
    /// Builds the index of `sources` (resolved), `dependencies` (source projects whose
    /// symbols are used but whose references are not resolved) and `symbols` (packages),
    /// then resolves every reference of `sources` (in parallel across files).
    pub fn new(
        sources: Vec<ParsedApp>,
        dependencies: Vec<ParsedApp>,
        symbols: Vec<AppSymbols>,
    ) -> Self {
        Self::build(sources, Deps::Owned(dependencies), symbols, false)
    }

    /// [`Workspace::new`], and every object an extension of `sources` extends that no app
    /// provides gets an empty stand-in (one more symbol-only app, last, named
    /// [`AppSymbols::STAND_INS`]; see [`AppSymbols::stand_ins`]), so references through
    /// the base type to the extension's members resolve even without the base app's
    /// symbols.
    ///
    /// ```
    /// use al_parser::symbols::{AppInfo, ParsedApp, SourceText};
    /// use al_parser::resolve::Workspace;
    ///
    /// let te = SourceText::new("TE.al", b"tableextension 50100 E extends Customer { fields { field(50100; Points; Integer) { } } }".to_vec());
    /// let c = SourceText::new("C.al", b"codeunit 50101 C { procedure P(var C: Record Customer) begin C.Points := 1; end; }".to_vec());
    /// let ws = Workspace::with_stand_ins(vec![ParsedApp::parse(AppInfo::named("A"), vec![te, c])], vec![], vec![]);
    /// assert_eq!(ws.stand_ins().len(), 1);
    /// assert!(ws.references(0).iter().any(|r| r.file == 1 && r.text == "Points" && r.resolution.is_resolved()));
    /// ```
    pub fn with_stand_ins(
        sources: Vec<ParsedApp>,
        dependencies: Vec<ParsedApp>,
        symbols: Vec<AppSymbols>,
    ) -> Self {
        Self::build(sources, Deps::Owned(dependencies), symbols, true)
    }

    /// [`Workspace::with_stand_ins`] over dependencies and packages the caller keeps (e.g.
    /// to move several apps against the same dependencies): the dependencies' symbols are
    /// extracted from their parses, which are read, not copied or kept (their
    /// [`Workspace::parsed`] entry is `None`, as for packages, and they have no references
    /// either way); the packages' symbols are copied into the index.
    ///
    /// ```
    /// use al_parser::symbols::{AppInfo, ParsedApp, SourceText};
    /// use al_parser::resolve::Workspace;
    ///
    /// let base = ParsedApp::parse(AppInfo::named("Base"), vec![SourceText::new("T.al", b"table 50100 T { fields { field(1; F; Integer) { } } }".to_vec())]);
    /// let c = SourceText::new("C.al", b"codeunit 50101 C { procedure P(var R: Record T) begin R.F := 1; end; }".to_vec());
    /// let app = ParsedApp::parse(AppInfo::named("A"), vec![c]);
    /// let ws = Workspace::with_stand_ins_over(vec![app], std::slice::from_ref(&base), &[]);
    /// assert!(ws.parsed[1].is_none());
    /// assert!(ws.references(0).iter().any(|r| r.text == "F" && r.resolution.is_resolved()));
    /// ```
    pub fn with_stand_ins_over(
        sources: Vec<ParsedApp>,
        dependencies: &[ParsedApp],
        symbols: &[AppSymbols],
    ) -> Self {
        Self::build(
            sources,
            Deps::Borrowed(dependencies),
            symbols.to_vec(),
            true,
        )
    }

    /// The joined index alone: the parses and references are dropped (a large app's
    /// trees and references are most of a workspace's memory).
    pub fn into_index(self) -> SymbolIndex {
        let Workspace {
            index,
            parsed,
            refs,
            by_symbol,
        } = self;
        // Millions of small allocations: freed in parallel.
        rayon::join(
            || {
                parsed
                    .into_par_iter()
                    .flatten()
                    .for_each(|app| app.files.into_par_iter().for_each(drop))
            },
            || {
                for r in refs {
                    r.into_par_iter().for_each(drop);
                }
                drop(by_symbol);
            },
        );
        index
    }

    /// The stand-in objects [`Workspace::with_stand_ins`] added, as (kind, name).
    pub fn stand_ins(&self) -> Vec<(crate::ast::ObjectKind, String)> {
        self.index
            .apps
            .last()
            .filter(|a| {
                a.info.name == AppSymbols::STAND_INS
                    && a.origin == crate::symbols::AppOrigin::Package
            })
            .map(|a| a.objects.iter().map(|o| (o.kind, o.name.clone())).collect())
            .unwrap_or_default()
    }

    fn build(
        sources: Vec<ParsedApp>,
        dependencies: Deps<'_>,
        symbols: Vec<AppSymbols>,
        stand_ins: bool,
    ) -> Self {
        let n_src = sources.len();
        let mut parsed: Vec<Option<ParsedApp>> = Vec::new();
        let mut apps = Vec::new();
        let mut extras = Vec::new();
        let (kept, read): (Vec<ParsedApp>, &[ParsedApp]) = match dependencies {
            Deps::Owned(d) => (sources.into_iter().chain(d).collect(), &[]),
            Deps::Borrowed(d) => (sources, d),
        };
        // Apps are extracted in parallel (each also across its files).
        let extracted: Vec<_> = kept
            .par_iter()
            .chain(read.par_iter())
            .map(crate::symbols::build_extract)
            .collect();
        let parses = kept.into_iter().map(Some).chain(read.iter().map(|_| None));
        for (p, (syms, extra)) in parses.zip(extracted) {
            apps.push(syms);
            extras.push(extra);
            parsed.push(p);
        }
        for s in symbols {
            apps.push(s);
            parsed.push(None);
        }
        let mut index = SymbolIndex::new(apps);
        if stand_ins {
            let missing = index.unknown_bases(0..n_src as u32);
            if !missing.is_empty() {
                index.push_app(AppSymbols::stand_ins(&missing));
                parsed.push(None);
            }
        }
        let mut refs = Vec::new();
        for (ai, p) in parsed.iter().enumerate() {
            let Some(p) = p else {
                refs.push(Vec::new());
                continue;
            };
            if ai >= n_src {
                refs.push(Vec::new());
                continue;
            }
            // Repeated declaration sites (every object and member name and ID declared
            // again in another preprocessor branch) join their file's references before
            // the file's sort: the app's references come out sorted by (file, span)
            // without a second, app-wide sort.
            let mut sites: Vec<&crate::symbols::ExtraSite> = extras
                .get(ai)
                .map(|e| e.sites.iter().collect())
                .unwrap_or_default();
            sites.sort_by_key(|s| s.2);
            let add_sites = |fi: u32, out: &mut Vec<Reference>| {
                let lo = sites.partition_point(|s| s.2 < fi);
                let hi = sites.partition_point(|s| s.2 <= fi);
                let text = |span: &Range<u32>| {
                    p.files
                        .get(fi as usize)
                        .and_then(|f| f.text().get(span.start as usize..span.end as usize))
                };
                for (obj, mem, file, span, id_span) in sites.get(lo..hi).unwrap_or_default() {
                    let sid = SymbolId {
                        app: ai as u32,
                        object: *obj,
                        member: *mem,
                    };
                    out.push(Reference {
                        file: *file,
                        span: span.clone(),
                        kind: RefKind::Declaration,
                        by: RefBy::Name,
                        text: text(span).map(crate::ast::unquote).unwrap_or_default(),
                        resolution: Resolution::Symbol(sid),
                    });
                    if let Some(is) = id_span {
                        out.push(Reference {
                            file: *file,
                            span: is.clone(),
                            kind: RefKind::Declaration,
                            by: RefBy::Number,
                            text: text(is)
                                .map(|b| String::from_utf8_lossy(b).into_owned())
                                .unwrap_or_default(),
                            resolution: Resolution::Symbol(sid),
                        });
                    }
                }
            };
            refs.push(resolve_with(&index, ai as u32, p, add_sites));
        }
        Self {
            index,
            parsed,
            refs,
            by_symbol: std::sync::OnceLock::new(),
        }
    }

    /// The resolved references of a source app (empty for dependencies and packages).
    pub fn references(&self, app: u32) -> &[Reference] {
        self.refs
            .get(app as usize)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Builds the symbol-to-reference index of [`Self::references_to`] now, if it is not
    /// built yet. Call it before asking from parallel tasks: otherwise the first task
    /// builds it (in parallel, on the rayon pool) while every other one waits, its thread
    /// unable to help.
    ///
    /// ```
    /// use al_parser::symbols::{AppInfo, ParsedApp, SourceText};
    /// use al_parser::resolve::Workspace;
    /// let t = SourceText::new("T.al", b"table 50100 T { fields { field(1; F; Integer) { } } }".to_vec());
    /// let c = SourceText::new("C.al", b"codeunit 50101 C { var R: Record T; }".to_vec());
    /// let ws = Workspace::new(vec![ParsedApp::parse(AppInfo::named("A"), vec![t, c])], vec![], vec![]);
    /// ws.index_references();
    /// let table = ws.index.objects_named(al_parser::ast::ObjectKind::Table, "T")[0];
    /// assert!(ws.references_to(table).iter().any(|(_, r)| r.file == 1));
    /// ```
    pub fn index_references(&self) {
        self.by_symbol.get_or_init(|| self.build_by_symbol());
    }

    /// Every reference (in any source app) that resolves to `symbol`, as (app, reference).
    ///
    /// The first call builds an index from symbols to references, so asking for many
    /// symbols costs one pass over the references, not one per symbol (see
    /// [`Self::index_references`] to build it before parallel use).
    pub fn references_to(&self, symbol: SymbolId) -> Vec<(u32, &Reference)> {
        // The entries of `key` in an index sorted by key, as (app, index).
        fn entries<K: Ord + Copy>(
            v: &[(K, u32, u32)],
            key: K,
        ) -> impl Iterator<Item = (u32, u32)> + '_ {
            let lo = v.partition_point(|x| x.0 < key);
            let hi = v.partition_point(|x| x.0 <= key);
            v.get(lo..hi)
                .unwrap_or_default()
                .iter()
                .map(|&(_, a, r)| (a, r))
        }
        let at = |(a, r): (u32, u32)| {
            self.refs
                .get(a as usize)
                .and_then(|rs| rs.get(r as usize))
                .map(|x| (a, x))
        };
        match self.by_symbol.get_or_init(|| self.build_by_symbol()) {
            // Every indexed symbol packs, so one that does not is not referenced.
            BySymbol::Packed(v) => packed(symbol)
                .map(|key| entries(v, key).filter_map(at).collect())
                .unwrap_or_default(),
            BySymbol::Plain(v) => entries(v, symbol).filter_map(at).collect(),
        }
    }

    /// The symbol-to-reference index of [`Self::references_to`]: every resolved reference
    /// as (symbol, (app, index)), sorted, built in parallel into vectors allocated once
    /// (fresh memory is a large part of the cost at a million references).
    fn build_by_symbol(&self) -> BySymbol {
        let mut keyed: Vec<(u64, u32, u32)> = Vec::new();
        let mut packs = true;
        for (ai, rs) in self.refs.iter().enumerate() {
            let mut part: Vec<(u64, u32, u32)> = Vec::new();
            rs.par_iter()
                .enumerate()
                .map(|(ri, r)| {
                    let key = match r.resolution.symbol() {
                        // Unresolved: sorted last, then cut off.
                        None => u64::MAX,
                        Some(s) => packed(s).unwrap_or(u64::MAX - 1),
                    };
                    (key, ai as u32, ri as u32)
                })
                .collect_into_vec(&mut part);
            packs &= !part.par_iter().any(|x| x.0 == u64::MAX - 1);
            if keyed.is_empty() {
                keyed = part;
            } else {
                keyed.append(&mut part);
            }
        }
        if packs {
            keyed.par_sort_unstable();
            let n = keyed.partition_point(|x| x.0 != u64::MAX);
            keyed.truncate(n);
            return BySymbol::Packed(keyed);
        }
        // Ids too large to pack: the plain (slower) order.
        let mut v: Vec<(SymbolId, u32, u32)> = self
            .refs
            .iter()
            .enumerate()
            .flat_map(|(ai, rs)| {
                rs.iter()
                    .enumerate()
                    .filter_map(move |(ri, r)| Some((r.resolution.symbol()?, ai as u32, ri as u32)))
            })
            .collect();
        v.par_sort_unstable();
        BySymbol::Plain(v)
    }

    /// Resolved / unresolved counts by reference kind for one app.
    pub fn stats(&self, app: u32) -> Vec<(RefKind, usize, usize)> {
        let mut m: HashMap<RefKind, (usize, usize)> = HashMap::new();
        for r in self.references(app) {
            let e = m.entry(r.kind).or_default();
            if r.resolution.is_resolved() {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
        let mut v: Vec<_> = m.into_iter().map(|(k, (a, b))| (k, a, b)).collect();
        v.sort();
        v
    }
}

/// Resolves the references of one parsed app (`app` is its index in `index`).
pub fn resolve_app(index: &SymbolIndex, app: u32, parsed: &ParsedApp) -> Vec<Reference> {
    resolve_with(index, app, parsed, |_, _| {})
}

/// [`resolve_app`], with `extra(file, refs)` adding references to each file's before they
/// are sorted by span: at a span found twice, the first one added (the resolver's) stays.
fn resolve_with(
    index: &SymbolIndex,
    app: u32,
    parsed: &ParsedApp,
    extra: impl Fn(u32, &mut Vec<Reference>) + Sync,
) -> Vec<Reference> {
    let per_file: Vec<Vec<Reference>> = parsed
        .files
        .par_iter()
        .with_max_len(crate::symbols::FILES_PER_TASK)
        .enumerate()
        .map(|(fi, f)| {
            // About one reference per 20 tokens in real code (BaseApp: 800k in 15.6M
            // tokens): sized once instead of grown by copies.
            let tokens = f.parses.first().map_or(0, |p| p.token_count());
            let mut out: Vec<Reference> = Vec::with_capacity(tokens / 16);
            for p in &f.parses {
                walk::walk_file(index, app, fi as u32, p, &mut out);
            }
            extra(fi as u32, &mut out);
            // Stable, so `dedup_by` keeps the first reference at a span.
            out.sort_by_key(|a| (a.span.start, a.span.end));
            out.dedup_by(|a, b| a.span == b.span);
            out
        })
        .collect();
    let mut all = Vec::with_capacity(per_file.iter().map(Vec::len).sum());
    for f in per_file {
        all.extend(f);
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id() -> impl Strategy<Value = SymbolId> {
        (
            prop_oneof![0u32..4, any::<u32>()],
            prop_oneof![0u32..4, any::<u32>()],
            prop_oneof![
                Just(None),
                (0u32..4).prop_map(Some),
                any::<u32>().prop_map(Some)
            ],
        )
            .prop_map(|(app, object, member)| SymbolId {
                app,
                object,
                member,
            })
    }

    /// A workspace of bare references: `apps[a][i]` is the symbol of reference `i` of app
    /// `a` (`None`: unresolved).
    fn bare_workspace(apps: &[Vec<Option<SymbolId>>]) -> Workspace {
        let refs = apps
            .iter()
            .map(|rs| {
                rs.iter()
                    .enumerate()
                    .map(|(i, s)| Reference {
                        file: 0,
                        span: i as u32..i as u32 + 1,
                        kind: RefKind::Declaration,
                        by: RefBy::Name,
                        text: String::new(),
                        resolution: match s {
                            Some(s) => Resolution::Symbol(*s),
                            None => Resolution::unresolved(Unresolved::Platform),
                        },
                    })
                    .collect()
            })
            .collect();
        Workspace {
            index: SymbolIndex::new(Vec::new()),
            parsed: Vec::new(),
            refs,
            by_symbol: std::sync::OnceLock::new(),
        }
    }

    proptest! {
        /// Packing keeps the order of symbol ids, and packs every id it accepts uniquely.
        #[test]
        fn packed_ids_keep_their_order(a in id(), b in id()) {
            if let (Some(x), Some(y)) = (packed(a), packed(b)) {
                prop_assert_eq!(x.cmp(&y), a.cmp(&b));
            }
        }

        /// `references_to` finds exactly the references of a symbol, in (app, index)
        /// order, whether every id packs (the packed index) or not (the plain one).
        #[test]
        fn references_to_finds_every_reference_of_a_symbol(
            apps in proptest::collection::vec(
                proptest::collection::vec(proptest::option::of(id()), 0..40),
                1..4,
            ),
            extra in id(),
            small in any::<bool>(),
        ) {
            // Half the cases with small ids only, so that every id packs.
            let shrink = |s: SymbolId| SymbolId {
                app: s.app % 4,
                object: s.object % 4,
                member: s.member.map(|m| m % 4),
            };
            let apps: Vec<Vec<Option<SymbolId>>> = if small {
                apps.iter()
                    .map(|rs| rs.iter().map(|x| x.map(shrink)).collect())
                    .collect()
            } else {
                apps
            };
            let ws = bare_workspace(&apps);
            let mut asked: Vec<SymbolId> = apps.iter().flatten().flatten().copied().collect();
            asked.push(extra);
            for s in asked {
                let got: Vec<(u32, u32)> = ws
                    .references_to(s)
                    .into_iter()
                    .map(|(a, r)| (a, r.span.start))
                    .collect();
                let want: Vec<(u32, u32)> = apps
                    .iter()
                    .enumerate()
                    .flat_map(|(a, rs)| {
                        rs.iter()
                            .enumerate()
                            .filter(|(_, x)| **x == Some(s))
                            .map(move |(i, _)| (a as u32, i as u32))
                    })
                    .collect();
                prop_assert_eq!(got, want);
            }
        }
    }
}
