//! Stage "verification": what the workspace leaves unresolved or missing, identifiers that
//! still spell an old name, and — when the edits could not be proven — the comparison of the
//! workspace before and after the move (no new syntax errors, every changed symbol keeps as
//! many references, no more references unresolved).

use al_parser::edit::TextEdit;
use al_parser::resolve::{RefBy, Unresolved as Unresolvable, Workspace};
use al_parser::symbols::SymbolId;
use serde::Serialize;

use std::collections::{BTreeMap, BTreeSet};
use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::move_engine::edits::MoveEdits;
use crate::move_engine::mapping::MappingEntry;
use crate::move_engine::outputs::{DependentOutputs, ProjectOutputs};
use crate::move_engine::proof::Unproven;
use crate::move_engine::report::{Location, Unresolved, Verification};
use crate::move_engine::side_by_side::{SideBySide, side_by_side};
use crate::move_engine::workspace::{
    Inputs, Text, build_workspace, dep_prefix, location, parse_app, parse_apps, sources, texts_of,
};
use crate::move_engine::{Dependent, MoveError};

/// What the workspace of the move names but cannot resolve.
#[derive(Debug, Default)]
pub(super) struct Found {
    /// Objects the sources name that no app provides (the stand-ins and every other
    /// object named but not found), as (kind keyword, name), sorted.
    pub(super) missing: Vec<(String, String)>,
    /// References left unresolved, located.
    pub(super) unresolved: Vec<Unresolved>,
}

impl Found {
    pub(super) fn is_clear(&self) -> bool {
        self.missing.is_empty() && self.unresolved.is_empty()
    }
}

/// Stage "verification", before the edits: the missing objects and unresolved references
/// of the moved app and its dependents.
pub(super) fn found(
    ws: &Workspace,
    texts: &HashMap<&str, Text<'_>>,
    dependents: &[Dependent],
) -> Found {
    let mut missing: Vec<(String, String)> = ws
        .stand_ins()
        .into_iter()
        .map(|(k, n)| (al_parser::symbols::kind_keyword(k).to_string(), n))
        .collect();
    for app in 0..=dependents.len() {
        missing.extend(missing_objects(ws, app as u32));
    }
    missing.sort_by_cached_key(|(k, n)| (k.clone(), al_parser::symbols::name_key(n)));
    missing.dedup_by(|a, b| {
        a.0 == b.0 && al_parser::symbols::name_key(&a.1) == al_parser::symbols::name_key(&b.1)
    });
    let mut located = Vec::new();
    for app in 0..=dependents.len() {
        // Located in parallel (each file's line index is built once, by the first).
        let refs = unresolved(ws, app as u32);
        let at: Vec<Location> = refs
            .par_iter()
            .map(|u| location(texts, dependents, &u.file, u.offset))
            .collect();
        for (u, at) in refs.into_iter().zip(at) {
            located.push(Unresolved {
                at,
                text: u.text,
                reason: u.reason,
            });
        }
    }
    Found {
        missing,
        unresolved: located,
    }
}

/// Stage "verification", when the edits could not be proven (or a full check was asked
/// for): the moved sources re-parsed and re-resolved, compared with the workspace before
/// (see [`verify`]), and checked for identifiers still spelling an old name.
pub(super) fn full(
    unproven: Unproven,
    app_out: &ProjectOutputs,
    dep_out: &DependentOutputs,
    edits: &MoveEdits,
    inputs: &Inputs<'_>,
    dependents: &[Dependent],
) -> Result<(SideBySide, Verification), MoveError> {
    let Unproven { before, reason } = unproven;
    let n_src = dependents.len() + 1;
    let after_inputs = Inputs::new(&dep_out.manifests, inputs.deps);
    let after_parsed = parse_apps(
        &after_inputs,
        parse_app(&app_out.files, app_out.manifest.doc.manifest()),
        dep_out
            .files
            .iter()
            .enumerate()
            .map(|(i, files)| sources(files, &dep_prefix(i)))
            .collect(),
    );
    let after = build_workspace(&after_inputs, after_parsed);
    let after_texts = texts_of(&after, 0..n_src);
    let mut problems = verify(&before, &after, 0, &edits.mapping);
    for app in 0..n_src {
        for l in leftover_names(&after, app as u32, &edits.mapping, &[]) {
            if l.new_name.is_some() {
                problems.push(format!(
                    "{}: {} still spells the old name of a renamed field or value",
                    location(&after_texts, dependents, &l.file, l.range.start),
                    l.text
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(MoveError::Verification(problems));
    }
    Ok((
        side_by_side(&before, &after, 0),
        Verification::Full { reason },
    ))
}

/// A reference the resolver could not resolve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnresolvedRef {
    /// File path (as the sources were named).
    pub file: String,
    /// Byte offset in the decoded text.
    pub offset: u32,
    /// The text of the reference.
    pub text: String,
    /// Why.
    pub reason: String,
}

/// References of source app `app` that did not resolve (platform symbols excluded, and
/// objects named but not found, which [`missing_objects`] lists).
pub fn unresolved(ws: &Workspace, app: u32) -> Vec<UnresolvedRef> {
    let files: Vec<String> = ws
        .index
        .apps
        .get(app as usize)
        .map(|a| a.files.clone())
        .unwrap_or_default();
    use rayon::prelude::*;
    ws.references(app)
        .par_iter()
        .filter_map(|r| match r.resolution.reason()? {
            Unresolvable::Platform => None,
            Unresolvable::ObjectNotFound { .. } if r.by == RefBy::Name => None,
            u => Some(UnresolvedRef {
                file: files.get(r.file as usize).cloned().unwrap_or_default(),
                offset: r.span.start,
                text: r.text.clone(),
                reason: match u {
                    Unresolvable::ObjectNotFound { kind } => format!("no {kind}"),
                    Unresolvable::MemberNotFound { kind, object } => {
                        format!("no {kind} on {object}")
                    }
                    Unresolvable::Platform => "platform".into(),
                },
            }),
        })
        .collect()
}

/// Syntax-error count per file of source app `app` (any preprocessor configuration).
pub fn syntax_errors(ws: &Workspace, app: u32) -> Vec<(String, usize)> {
    ws.parsed
        .get(app as usize)
        .and_then(Option::as_ref)
        .map(|p| {
            p.files
                .iter()
                .map(|f| {
                    (
                        f.path.clone(),
                        f.parses.iter().map(|x| x.diagnostics().len()).sum(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What [`verify`] found wrong (empty: the moved sources are consistent).
pub fn verify(
    before: &Workspace,
    after: &Workspace,
    app: u32,
    mapping: &[MappingEntry],
) -> Vec<String> {
    let mut problems = Vec::new();
    let old_errors = syntax_errors(before, app);
    for (path, n) in syntax_errors(after, app) {
        let was = old_errors
            .iter()
            .find(|(p, _)| *p == path)
            .map_or(0, |(_, n)| *n);
        if n > was {
            problems.push(format!(
                "{path}: {n} syntax error(s) after the move, {was} before"
            ));
        }
    }
    for e in mapping {
        let Some(sid) = e.symbol else { continue };
        let count = |ws: &Workspace| {
            let refs = ws.references_to(sid);
            let by_name = refs.iter().filter(|(_, r)| r.by != RefBy::Number).count();
            let by_number = refs.len() - by_name;
            (by_name, by_number)
        };
        let (a, b) = (count(before), count(after));
        if a != b {
            problems.push(format!(
                "{} {:?}{}: {} reference(s) by name and {} by number before the move, {} and {} after",
                e.object_kind,
                e.object,
                e.member
                    .as_deref()
                    .map(|m| format!(" {} {m:?}", e.kind))
                    .unwrap_or_default(),
                a.0,
                a.1,
                b.0,
                b.1
            ));
        }
        // The symbol carries its new name and ID.
        let (name, id) = match sid.member {
            None => (
                after.index.object(sid).map(|o| o.name.clone()),
                after.index.object(sid).and_then(|o| o.id).map(|i| i.0),
            ),
            Some(_) => (
                after.index.member(sid).map(|m| m.name.clone()),
                after.index.member(sid).and_then(|m| m.id),
            ),
        };
        if name.as_deref() != Some(e.new_name.as_str()) || id != e.new_id {
            problems.push(format!(
                "{} {:?}: expected name {:?} and ID {:?} after the move, found {:?} and {:?}",
                e.object_kind, e.object, e.new_name, e.new_id, name, id
            ));
        }
    }
    let old_missing = missing_objects(before, app);
    for m in missing_objects(after, app) {
        if !old_missing.contains(&m) {
            problems.push(format!(
                "{} {:?} is named after the move but not found: a reference to an old name remains",
                m.0, m.1
            ));
        }
    }
    let (u0, u1) = (unresolved(before, app), unresolved(after, app));
    if u1.len() > u0.len() {
        problems.push(format!(
            "{} unresolved reference(s) after the move, {} before: a reference to an old name or ID remains",
            u1.len(),
            u0.len()
        ));
        // Name the new ones: (file, text, reason) occurrences beyond the old count.
        let mut old: std::collections::HashMap<(String, String, String), usize> =
            std::collections::HashMap::new();
        for u in u0 {
            *old.entry((u.file, u.text, u.reason)).or_default() += 1;
        }
        for u in u1 {
            let key = (u.file.clone(), u.text.clone(), u.reason.clone());
            match old.get_mut(&key) {
                Some(n) if *n > 0 => *n -= 1,
                _ => problems.push(format!(
                    "{}:{}: {:?}: {} (new after the move)",
                    u.file, u.offset, u.text, u.reason
                )),
            }
        }
    }
    problems
}

/// Objects that references of source app `app` name but the index lacks, as `(kind
/// keyword, name)`, sorted and without duplicates.
pub fn missing_objects(ws: &Workspace, app: u32) -> Vec<(String, String)> {
    use rayon::prelude::*;
    let mut v: Vec<(String, String)> = ws
        .references(app)
        .par_iter()
        .filter_map(|r| match r.resolution.reason() {
            Some(Unresolvable::ObjectNotFound { kind }) if r.by == RefBy::Name => {
                Some((kind.clone(), r.text.clone()))
            }
            _ => None,
        })
        .collect();
    v.sort_by_key(|(k, n)| (k.clone(), al_parser::symbols::name_key(n)));
    v.dedup_by(|a, b| {
        a.0 == b.0 && al_parser::symbols::name_key(&a.1) == al_parser::symbols::name_key(&b.1)
    });
    v
}

/// Whether `word` is a record method whose first argument is a field (`Some(false)`) or
/// whose every argument is (`Some(true)`).
pub(super) fn field_method(word: &[u8]) -> Option<bool> {
    const FIRST: &[&str] = &[
        "setrange",
        "setfilter",
        "getfilter",
        "getrangemin",
        "getrangemax",
        "fieldno",
        "fieldcaption",
        "fieldname",
        "fielderror",
        "fieldactive",
        "testfield",
        "validate",
        "modifyall",
        "copyfilter",
    ];
    const ALL: &[&str] = &[
        "calcfields",
        "calcsums",
        "setcurrentkey",
        "setloadfields",
        "addloadfields",
        "setautocalcfields",
    ];
    let is = |list: &[&str]| list.iter().any(|m| m.as_bytes().eq_ignore_ascii_case(word));
    if is(ALL) {
        Some(true)
    } else if is(FIRST) {
        Some(false)
    } else {
        None
    }
}

/// An identifier that spells the old name of a renamed field or enum value but that no
/// resolved reference covers (typically `Rec."Old Name"` where `Rec`'s table is unknown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leftover {
    /// File path (as the sources were named).
    pub file: String,
    /// Byte range of the identifier in the decoded text.
    pub range: std::ops::Range<u32>,
    /// The identifier as written.
    pub text: String,
    /// The new name, when exactly one renamed field or value had that old name.
    pub new_name: Option<String>,
}

/// Identifiers of source app `app` that spell an old name of a renamed field or enum
/// value of `mapping`, are quoted or follow `.` / `::`, and lie outside every reference
/// the resolver found and every span in `edited` (`(file, range)`). `new_name` is `None`
/// when the old name is ambiguous (several new names, or a kept field or value of the
/// app has it too).
pub fn leftover_names(
    ws: &Workspace,
    app: u32,
    mapping: &[MappingEntry],
    edited: &[TextEdit],
) -> Vec<Leftover> {
    leftover_names_in(ws, app, mapping, edited, false)
}

/// [`leftover_names`]; with `bare`, unquoted names anywhere are candidates too: a reverse
/// move's old names are the names a move wrote, which it may have written where only a
/// name-driven update reached (a field source `"X"` written as `ABCX`).
pub(super) fn leftover_names_in(
    ws: &Workspace,
    app: u32,
    mapping: &[MappingEntry],
    edited: &[TextEdit],
    bare: bool,
) -> Vec<Leftover> {
    let mut old = OldNameLookup::new(ws, app, mapping);
    old.bare = bare;
    if old.is_empty() {
        return Vec::new();
    }
    let Some(Some(parsed)) = ws.parsed.get(app as usize) else {
        return Vec::new();
    };
    let cover = Covering {
        refs: ws.references(app),
        decls: decls_by_file(ws, app),
        edited: edited_by_file(edited),
    };
    let per_file: Vec<Vec<Leftover>> = parsed
        .files
        .par_iter()
        .with_max_len(crate::FILES_PER_TASK)
        .enumerate()
        .map(|(fi, f)| file_leftovers(fi, f, &cover, &old))
        .collect();
    per_file.into_iter().flatten().collect()
}

/// Integer literals of source app `app` that name an enum value by its ordinal
/// (`E.FromInteger(50100)`, `X.AsInteger() = 50100` or `<>`, `case X.AsInteger() of 50100:`),
/// whose number is the old ordinal of a renumbered enum value of `mapping`, and that no
/// reference resolved and no edit covers: the enum could not be known there, so the number
/// may be stale. Listed (`new_name` is `None`), never changed.
pub fn stale_ordinals(
    ws: &Workspace,
    app: u32,
    mapping: &[MappingEntry],
    edited: &[TextEdit],
) -> Vec<Leftover> {
    use al_parser::SyntaxKind as K;
    let old: HashSet<u32> = mapping
        .iter()
        .filter(|e| e.kind == "value" && e.old_id != e.new_id)
        .filter_map(|e| e.old_id)
        .collect();
    if old.is_empty() {
        return Vec::new();
    }
    let Some(Some(parsed)) = ws.parsed.get(app as usize) else {
        return Vec::new();
    };
    let cover = Covering {
        refs: ws.references(app),
        decls: decls_by_file(ws, app),
        edited: edited_by_file(edited),
    };
    // `recv.AsInteger()` (no arguments).
    fn is_as_integer(n: al_parser::SyntaxNode<'_>) -> bool {
        n.kind() == K::CallExpr
            && n.children().next().is_some_and(|c| {
                c.kind() == K::MemberExpr
                    && c.tokens()
                        .filter(|t| t.kind().is_word())
                        .last()
                        .is_some_and(|t| t.text().eq_ignore_ascii_case(b"AsInteger"))
            })
            && n.child(K::ArgList)
                .is_none_or(|a| a.children().next().is_none())
    }
    // The Int token of a literal node.
    fn int_of(n: al_parser::SyntaxNode<'_>) -> Option<al_parser::SyntaxToken<'_>> {
        if n.kind() != K::Literal {
            return None;
        }
        let mut toks = n.tokens().filter(|t| !t.kind().is_trivia());
        let t = toks.next()?;
        (toks.next().is_none() && t.kind() == K::Int).then_some(t)
    }
    let per_file: Vec<Vec<Leftover>> = parsed
        .files
        .par_iter()
        .enumerate()
        .map(|(fi, f)| {
            let mut out = Vec::new();
            let Some(parse) = f.parses.first() else {
                return out;
            };
            let mut ints = Vec::new();
            for n in parse.root().descendants() {
                match n.kind() {
                    K::CallExpr => {
                        let callee_is_from_integer = n.children().next().is_some_and(|c| {
                            c.kind() == K::MemberExpr
                                && c.tokens()
                                    .filter(|t| t.kind().is_word())
                                    .last()
                                    .is_some_and(|t| t.text().eq_ignore_ascii_case(b"FromInteger"))
                        });
                        if callee_is_from_integer
                            && let Some(a0) = n.child(K::ArgList).and_then(|a| a.children().next())
                        {
                            ints.extend(int_of(a0));
                        }
                    }
                    K::BinaryExpr => {
                        let eq = n
                            .child_tokens()
                            .any(|t| matches!(t.kind(), K::Eq | K::NotEq));
                        let kids: Vec<_> = n.children().collect();
                        if let ([a, b], true) = (kids.as_slice(), eq) {
                            if is_as_integer(*a) {
                                ints.extend(int_of(*b));
                            } else if is_as_integer(*b) {
                                ints.extend(int_of(*a));
                            }
                        }
                    }
                    K::CaseStmt => {
                        let mut kids = n.children();
                        if kids.next().is_some_and(is_as_integer) {
                            for branch in kids.filter(|c| c.kind() == K::CaseBranch) {
                                for part in branch.children() {
                                    match int_of(part) {
                                        Some(t) => ints.push(t),
                                        None if part.kind() == K::Literal => {}
                                        None => break,
                                    }
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            let (spans, max_end) = cover.spans(fi, &f.path);
            for t in ints {
                let Some(n) = std::str::from_utf8(t.text())
                    .ok()
                    .and_then(|x| x.parse::<u32>().ok())
                else {
                    continue;
                };
                let r = t.span();
                let i = spans.partition_point(|s| s.0 < r.end);
                let covered = i > 0 && max_end.get(i - 1).is_some_and(|&e| e > r.start);
                if old.contains(&n) && !covered {
                    out.push(Leftover {
                        file: f.path.clone(),
                        range: r,
                        text: n.to_string(),
                        new_name: None,
                    });
                }
            }
            out
        })
        .collect();
    per_file.into_iter().flatten().collect()
}

/// Old name (its key) → the new names it may stand for; `""` when it has no single one.
type NewNamesByOld = BTreeMap<String, BTreeSet<String>>;

/// The old names of a mapping's renamed symbols, to look identifiers up in.
struct OldNameLookup {
    /// Old names of renamed members (fields, values, controls, ...) → their new names.
    members: HashMap<String, BTreeSet<String>>,
    /// Old names of renamed objects → `""` (no single new name: a variable may carry it).
    objects: HashMap<String, BTreeSet<String>>,
    /// The shapes of all those old names: a quick filter (most identifiers are none).
    shapes: crate::move_engine::proof::KeyShapes,
    /// Keys of the fields typed `Option` in the workspace: `Field::Member` names one of
    /// the field's option members, never a renamed symbol.
    option_fields: HashSet<String>,
    /// Unquoted names anywhere are candidates (a reverse move).
    bare: bool,
}

impl OldNameLookup {
    /// The lookup of `mapping`'s renamed symbols; an old name that a kept symbol of source
    /// app `app` has too is ambiguous.
    fn new(ws: &Workspace, app: u32, mapping: &[MappingEntry]) -> Self {
        let (mut members, mut objects) = old_name_maps(mapping);
        // Old names as a filter: most symbols and identifiers have none of them.
        let mut shapes = crate::move_engine::proof::KeyShapes::new();
        for k in members.keys().chain(objects.keys()) {
            shapes.insert(k.as_bytes());
        }
        // A kept symbol named like an old name makes that old name ambiguous.
        for (is_member, name) in kept_names(ws, app, mapping, &shapes) {
            let map = if is_member {
                &mut members
            } else {
                &mut objects
            };
            al_parser::symbols::with_key(name, |k| {
                if let Some(v) = std::str::from_utf8(k).ok().and_then(|k| map.get_mut(k)) {
                    v.insert(String::new());
                }
            });
        }
        let option_fields = ws
            .index
            .apps
            .iter()
            .flat_map(|a| &a.objects)
            .flat_map(|o| &o.members)
            .filter(|m| {
                m.kind == al_parser::symbols::MemberKind::Field
                    && m.type_name.as_deref().is_some_and(|t| {
                        t.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("option"))
                    })
            })
            .map(|m| al_parser::symbols::name_key(&m.name))
            .collect();
        OldNameLookup {
            members: members.into_iter().collect(),
            objects: objects.into_iter().collect(),
            shapes,
            option_fields,
            bare: false,
        }
    }

    /// Whether the identifier `t` names an option-typed field of the workspace or one of
    /// `locals` (variables typed `Option` in the file).
    fn is_option(&self, t: al_parser::SyntaxToken<'_>, locals: &HashSet<String>) -> bool {
        let key = al_parser::symbols::name_key(&al_parser::ast::unquote(t.text()));
        locals.contains(&key) || self.option_fields.contains(&key)
    }

    /// Whether no symbol was renamed.
    fn is_empty(&self) -> bool {
        self.members.is_empty() && self.objects.is_empty()
    }

    /// The new names an identifier (quotes stripped) may stand for, members only when
    /// `after_access`; ASCII names are lower-cased on the stack (most identifiers are not
    /// old names).
    fn news(&self, text: &[u8], after_access: bool) -> Option<BTreeSet<String>> {
        let find = |key: &str| {
            let m = self.members.get(key);
            let o = if after_access {
                None
            } else {
                self.objects.get(key)
            };
            match (m, o) {
                (None, None) => None,
                (a, b) => Some(a.into_iter().chain(b).flatten().cloned().collect()),
            }
        };
        let inner = text
            .strip_prefix(b"\"")
            .and_then(|x| x.strip_suffix(b"\""))
            .unwrap_or(text);
        // A plain identifier holds no `"`: only quoted text needs the search for one.
        if !self.shapes.may_match(inner, text.first() == Some(&b'"')) {
            return None;
        }
        match std::str::from_utf8(inner) {
            Ok(s) => {
                al_parser::symbols::with_key(s, |k| std::str::from_utf8(k).ok().and_then(find))
            }
            Err(_) => find(&al_parser::symbols::name_key(&String::from_utf8_lossy(
                inner,
            ))),
        }
    }
}

/// Old name → new names of renamed members (fields, values, controls, ...), and the old
/// names of renamed objects. An identifier after `.` can only be a member; elsewhere the
/// old name of an object makes it ambiguous (a variable may carry it), as does a kept
/// symbol with that name: both add "" (no single new name).
fn old_name_maps(mapping: &[MappingEntry]) -> (NewNamesByOld, NewNamesByOld) {
    let mut members = NewNamesByOld::new();
    let mut objects = NewNamesByOld::new();
    for e in mapping.iter().filter(|e| e.old_name != e.new_name) {
        let map = if e.kind == "object" {
            &mut objects
        } else {
            &mut members
        };
        let new = if e.kind == "object" {
            String::new()
        } else {
            e.new_name.clone()
        };
        map.entry(al_parser::symbols::name_key(&e.old_name))
            .or_default()
            .insert(new);
    }
    (members, objects)
}

/// The names of source app `app`'s kept (not renamed) symbols that may be old names, as
/// (is a member, name): found in parallel (most are not).
fn kept_names<'w>(
    ws: &'w Workspace,
    app: u32,
    mapping: &[MappingEntry],
    shapes: &crate::move_engine::proof::KeyShapes,
) -> Vec<(bool, &'w str)> {
    let renamed: BTreeSet<SymbolId> = mapping
        .iter()
        .filter(|e| e.old_name != e.new_name)
        .filter_map(|e| e.symbol)
        .collect();
    let may = |sid: &SymbolId, name: &str| {
        shapes.may_match(name.as_bytes(), true) && !renamed.contains(sid)
    };
    let may = &may;
    ws.index
        .apps
        .get(app as usize)
        .map(|a| {
            a.objects
                .par_iter()
                .enumerate()
                .flat_map_iter(|(oi, o)| {
                    let sid = SymbolId {
                        app,
                        object: oi as u32,
                        member: None,
                    };
                    may(&sid, &o.name)
                        .then_some((false, o.name.as_str()))
                        .into_iter()
                        .chain(o.members.iter().enumerate().filter_map(move |(mi, m)| {
                            let sid = SymbolId {
                                member: Some(mi as u32),
                                ..sid
                            };
                            may(&sid, &m.name).then_some((true, m.name.as_str()))
                        }))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The spans of declared names (objects and members) of source app `app`, per file index:
/// declared names are never leftovers.
fn decls_by_file(ws: &Workspace, app: u32) -> HashMap<u32, Vec<(u32, u32)>> {
    let mut decls_by_file: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
    if let Some(a) = ws.index.apps.get(app as usize) {
        for o in &a.objects {
            let Some(file) = o.file else { continue };
            let spans = decls_by_file.entry(file).or_default();
            spans.extend(
                o.name_span
                    .iter()
                    .chain(o.members.iter().filter_map(|m| m.name_span.as_ref()))
                    .map(|r| (r.start, r.end)),
            );
        }
    }
    decls_by_file
}

/// The spans of `edited` per file path.
fn edited_by_file(edited: &[TextEdit]) -> HashMap<&str, Vec<(u32, u32)>> {
    let mut edited_by_file: HashMap<&str, Vec<(u32, u32)>> = HashMap::new();
    for e in edited {
        edited_by_file
            .entry(e.file.as_str())
            .or_default()
            .push((e.range.start, e.range.end));
    }
    edited_by_file
}

/// What covers an identifier, so it is no leftover: a reference, a declared name or an edit.
struct Covering<'a> {
    /// The app's references, sorted by file.
    refs: &'a [al_parser::resolve::Reference],
    /// Spans of declared names per file index.
    decls: HashMap<u32, Vec<(u32, u32)>>,
    /// Spans of edits per file path.
    edited: HashMap<&'a str, Vec<(u32, u32)>>,
}

impl Covering<'_> {
    /// Spans of references, declarations and edits in file `fi` (path `path`), sorted by
    /// start, with the running maximum of their ends: an overlap test is one binary search.
    /// References are sorted by file, so this file's are one slice.
    fn spans(&self, fi: usize, path: &str) -> (Vec<(u32, u32)>, Vec<u32>) {
        let refs = self.refs;
        let lo = refs.partition_point(|x| x.file < fi as u32);
        let hi = refs.partition_point(|x| x.file <= fi as u32);
        let mut spans: Vec<(u32, u32)> = refs
            .get(lo..hi)
            .unwrap_or_default()
            .iter()
            .map(|x| (x.span.start, x.span.end))
            .chain(self.decls.get(&(fi as u32)).into_iter().flatten().copied())
            .chain(self.edited.get(path).into_iter().flatten().copied())
            .collect();
        spans.sort_unstable();
        let max_end: Vec<u32> = spans
            .iter()
            .scan(0u32, |m, s| {
                *m = (*m).max(s.1);
                Some(*m)
            })
            .collect();
        (spans, max_end)
    }
}

/// Step "scan a file": the leftovers of file `fi`, in token order.
fn file_leftovers(
    fi: usize,
    f: &al_parser::symbols::ParsedFile,
    cover: &Covering<'_>,
    old: &OldNameLookup,
) -> Vec<Leftover> {
    let mut out = Vec::new();
    let Some(parse) = f.parses.first() else {
        return out;
    };
    // The covering spans are built on the first identifier that spells an old name (most
    // files have none).
    let mut spans = None;
    let mut covered = |r: &std::ops::Range<u32>| {
        let (spans, max_end) = spans.get_or_insert_with(|| cover.spans(fi, &f.path));
        let i = spans.partition_point(|s| s.0 < r.end);
        i > 0 && max_end.get(i - 1).is_some_and(|&e| e > r.start)
    };
    let mut scan = TokenScan::default();
    // A candidate waits for the next token: a name followed by `(` is a call (`FindSet()`,
    // `Window.Update(1, x)`), and no renamed field, value, control or action is called.
    let mut pending: Option<(Leftover, Option<String>)> = None;
    let mut found: Vec<(Leftover, Option<String>)> = Vec::new();
    for t in parse.root().tokens() {
        let k = t.kind();
        if k.is_trivia() {
            continue;
        }
        if let Some(p) = pending.take()
            && k != al_parser::SyntaxKind::LParen
        {
            found.push(p);
        }
        let bare = !matches!(
            scan.prev,
            Some(al_parser::SyntaxKind::Dot | al_parser::SyntaxKind::ColonColon)
        );
        let Some(after_dot) = scan
            .candidate(t, k)
            .or_else(|| (old.bare && k == al_parser::SyntaxKind::Ident).then_some(false))
        else {
            continue;
        };
        let Some(news) = old.news(t.text(), after_dot) else {
            continue;
        };
        // A bare name may be a variable or parameter of the file (`column(X; "X")` with a
        // global `X`, declared anywhere in the file): decided once the file is scanned.
        let bare_key = (bare && !after_dot)
            .then(|| al_parser::symbols::name_key(&al_parser::ast::unquote(t.text())));
        // Option members are never renamed: in an `Option A,B` type or an `OptionMembers`
        // value, and after `X::` where X is an option-typed variable or field.
        if scan.in_option_members()
            || scan
                .scope_left
                .is_some_and(|l| old.is_option(l, &scan.option_locals))
        {
            continue;
        }
        let range = t.span();
        if covered(&range) {
            continue;
        }
        let text = t.text_lossy().into_owned();
        pending = Some((
            Leftover {
                file: f.path.clone(),
                range,
                text,
                new_name: (news.len() == 1)
                    .then(|| news.iter().next().cloned())
                    .flatten()
                    .filter(|n| !n.is_empty()),
            },
            bare_key,
        ));
    }
    found.extend(pending);
    out.extend(
        found
            .into_iter()
            .filter(|(_, bare)| bare.as_ref().is_none_or(|k| !scan.var_locals.contains(k)))
            .map(|(l, _)| l),
    );
    out
}

/// The state of a file's token scan: the previous token and the open calls of record
/// methods whose arguments are fields (`SetFilter("X", …)`, `CalcFields(A, B)`).
#[derive(Default)]
struct TokenScan<'p> {
    /// The previous non-trivia token's kind.
    prev: Option<al_parser::SyntaxKind>,
    /// Parenthesis depth.
    depth: u32,
    /// A stack of open calls: (paren depth, every argument a field, next one is).
    calls: Vec<(u32, bool, bool)>,
    /// The last identifier.
    last_word: &'p [u8],
    /// The last identifier or quoted identifier token.
    last_name: Option<al_parser::SyntaxToken<'p>>,
    /// The name before the last `:` (a variable or parameter being declared).
    declared: Option<al_parser::SyntaxToken<'p>>,
    /// The name before the last `::`, for the token right after it.
    scope_left: Option<al_parser::SyntaxToken<'p>>,
    /// Inside the member list of an `Option A,B` type (until `;` or `)`).
    option_type: bool,
    /// Inside an `OptionMembers = …;` value.
    option_value: bool,
    /// Keys of the names declared `Option` in the file.
    option_locals: HashSet<String>,
    /// Inside a `var` section (or after `var` in a parameter list), until `begin`,
    /// `procedure` or `trigger`.
    in_var: bool,
    /// Keys of the variables and parameters declared in the file.
    var_locals: HashSet<String>,
}

impl<'p> TokenScan<'p> {
    /// Takes the next non-trivia token `t` (of kind `k`). `Some(after_dot)` when it may
    /// spell an old name: quoted, or an identifier after `.` / `::` or as a field argument;
    /// `after_dot` when only a member can be meant there (after `.`, or a field argument).
    fn candidate(
        &mut self,
        t: al_parser::SyntaxToken<'p>,
        k: al_parser::SyntaxKind,
    ) -> Option<bool> {
        use al_parser::SyntaxKind;
        let depth = self.depth;
        let in_field_arg = self
            .calls
            .last()
            .is_some_and(|&(d, _, next)| d == depth && next)
            && matches!(self.prev, Some(SyntaxKind::LParen | SyntaxKind::Comma));
        let after_access = matches!(self.prev, Some(SyntaxKind::Dot | SyntaxKind::ColonColon));
        let after_dot = self.prev == Some(SyntaxKind::Dot) || in_field_arg;
        match k {
            SyntaxKind::LParen => {
                self.depth += 1;
                if self.prev == Some(SyntaxKind::Ident)
                    && let Some(all) = field_method(self.last_word)
                {
                    self.calls.push((self.depth, all, true));
                }
            }
            SyntaxKind::RParen => {
                if self.calls.last().is_some_and(|&(d, _, _)| d == depth) {
                    self.calls.pop();
                }
                self.depth = depth.saturating_sub(1);
            }
            SyntaxKind::Comma => {
                if let Some(c) = self.calls.last_mut()
                    && c.0 == depth
                {
                    c.2 = c.1;
                }
            }
            _ => {}
        }
        self.track_options(t, k);
        if k == SyntaxKind::Ident {
            self.last_word = t.text();
        }
        if matches!(k, SyntaxKind::Ident | SyntaxKind::QuotedIdent) {
            self.last_name = Some(t);
        }
        self.prev = Some(k);
        (k == SyntaxKind::QuotedIdent || (k == SyntaxKind::Ident && (after_access || in_field_arg)))
            .then_some(after_dot)
    }

    /// Follows where option members stand: `Name: Option A,B` (the members, and `Name`
    /// as an option variable), `OptionMembers = A,B;`, and the name before `::`.
    fn track_options(&mut self, t: al_parser::SyntaxToken<'p>, k: al_parser::SyntaxKind) {
        use al_parser::SyntaxKind;
        if self.prev != Some(SyntaxKind::ColonColon) {
            self.scope_left = None;
        }
        match k {
            SyntaxKind::KwVar => self.in_var = true,
            SyntaxKind::KwBegin | SyntaxKind::KwProcedure | SyntaxKind::KwTrigger => {
                self.in_var = false;
            }
            SyntaxKind::Colon => {
                self.declared = self.last_name;
                // A variable or parameter (not a `case` label, which stands after `begin`).
                if (self.in_var || self.depth > 0)
                    && let Some(d) = self.declared
                {
                    self.var_locals
                        .insert(al_parser::symbols::name_key(&al_parser::ast::unquote(
                            d.text(),
                        )));
                }
            }
            SyntaxKind::ColonColon => self.scope_left = self.last_name,
            SyntaxKind::Semi | SyntaxKind::RParen => {
                self.option_type = false;
                self.option_value = false;
            }
            SyntaxKind::Eq if self.prev == Some(SyntaxKind::Ident) => {
                let w = self.last_word;
                self.option_value = w.eq_ignore_ascii_case(b"optionmembers")
                    || w.eq_ignore_ascii_case(b"optionordinalvalues");
            }
            SyntaxKind::Ident
                if self.prev == Some(SyntaxKind::Colon)
                    && t.text().eq_ignore_ascii_case(b"option") =>
            {
                self.option_type = true;
                if let Some(d) = self.declared {
                    self.option_locals.insert(al_parser::symbols::name_key(
                        &al_parser::ast::unquote(d.text()),
                    ));
                }
            }
            _ => {}
        }
    }

    /// Whether the current token stands among option members (`Option A,B` or
    /// `OptionMembers = A,B`).
    fn in_option_members(&self) -> bool {
        self.option_type || self.option_value
    }
}
