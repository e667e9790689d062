//! Turning a [`MovePlan`] into text edits on a resolved workspace, and verifying the
//! moved sources.
//!
//! [`build_edits`] finds every renumbered and renamed object or member of the plan in
//! the workspace's first source app, asks [`al_parser::edit::renumber`] and
//! [`al_parser::edit::rename`] for the edits at the declaration and every reference,
//! and merges them into one [`EditSet`] (overlapping edits are an error).
//! [`verify`] compares the workspace before and after: no new syntax errors, every
//! changed symbol keeps as many references, and no more references are unresolved.

use al_parser::edit::{EditSet, TextEdit, rename, renumber};
use al_parser::resolve::{RefBy, Unresolved, Workspace};
use al_parser::symbols::{MemberKind, SymbolId, kind_from_keyword, member_keyword};
use serde::Serialize;

use crate::checks::source::{MemberDeclKind, ObjectDecl, ObjectKind};
use crate::move_engine::plan::MovePlan;

/// Why the edits of a move could not be built or verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveEngineError {
    /// A symbol of the plan is not in the workspace's source app.
    #[error("{0}: not found in the project's symbols")]
    NotFound(String),
    /// Renaming or renumbering a symbol failed.
    #[error("{symbol}: {source}")]
    Edit {
        /// The symbol.
        symbol: String,
        /// Why.
        source: al_parser::edit::EditError,
    },
    /// Two edits of different symbols overlap.
    #[error("overlapping edits in {file} at bytes {a_start}..{a_end} and {b_start}..{b_end}")]
    Overlap {
        /// The file.
        file: String,
        /// First edit start.
        a_start: u32,
        /// First edit end.
        a_end: u32,
        /// Second edit start.
        b_start: u32,
        /// Second edit end.
        b_end: u32,
    },
}

/// One line of the move mapping (`move-mapping.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MappingEntry {
    /// `object` or the member kind (`field`, `value`, `control`, `action`, `procedure`, ...).
    pub kind: String,
    /// Object type keyword (`table`, `tableextension`, ...).
    pub object_kind: String,
    /// The object's old name.
    pub object: String,
    /// The member's old name (members only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// Old ID (objects, fields, enum values).
    pub old_id: Option<u32>,
    /// New ID.
    pub new_id: Option<u32>,
    /// Old name.
    pub old_name: String,
    /// New name.
    pub new_name: String,
    /// The symbol in the workspace (not serialized).
    #[serde(skip)]
    pub symbol: Option<SymbolId>,
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

/// The edits of a move and what they do.
#[derive(Debug, Clone, Default)]
pub struct MoveEdits {
    /// All edits, sorted, non-overlapping.
    pub edits: EditSet,
    /// One entry per changed symbol.
    pub mapping: Vec<MappingEntry>,
}

fn decl_matches(decl: Option<MemberDeclKind>, k: MemberKind) -> bool {
    match decl {
        None | Some(MemberDeclKind::Other) | Some(MemberDeclKind::Label) => true,
        Some(MemberDeclKind::Field) => k == MemberKind::Field,
        Some(MemberDeclKind::Key) => k == MemberKind::Key,
        Some(MemberDeclKind::Control) => k == MemberKind::Control,
        Some(MemberDeclKind::Action) => k == MemberKind::Action,
        Some(MemberDeclKind::EnumValue) => k == MemberKind::EnumValue,
        Some(MemberDeclKind::DataItem) => k == MemberKind::DataItem,
        Some(MemberDeclKind::Column) => k == MemberKind::Column,
        Some(MemberDeclKind::Procedure) => k == MemberKind::Procedure,
    }
}

/// The name without surrounding quotes (spaces inside are part of the name, so unlike
/// [`crate::affix::strip_quotes`] nothing is trimmed).
pub(crate) fn strip(name: &str) -> &str {
    name.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(name)
}

/// The object `kind name` in source app `app`.
fn find_object(
    ws: &Workspace,
    app: u32,
    kind: ObjectKind,
    name: &str,
) -> Result<SymbolId, MoveEngineError> {
    let what = || format!("{} {:?}", kind.as_str(), strip(name));
    let pk = kind_from_keyword(kind.as_str()).ok_or_else(|| MoveEngineError::NotFound(what()))?;
    if let Some(s) = ws
        .index
        .objects_named(pk, strip(name))
        .iter()
        .copied()
        .find(|s| s.app == app)
    {
        return Ok(s);
    }
    // Names declared with leading or trailing spaces (`"Name "`) may be trimmed on one side.
    let key = al_parser::symbols::name_key(strip(name).trim());
    ws.index
        .apps
        .get(app as usize)
        .and_then(|a| {
            a.objects
                .iter()
                .position(|o| o.kind == pk && al_parser::symbols::name_key(o.name.trim()) == key)
        })
        .map(|i| SymbolId {
            app,
            object: i as u32,
            member: None,
        })
        .ok_or_else(|| MoveEngineError::NotFound(what()))
}

/// Members of `obj` (own, not its extensions') named `name`.
fn find_members(
    ws: &Workspace,
    obj: SymbolId,
    name: &str,
    decl: Option<MemberDeclKind>,
    need_id: bool,
) -> Vec<SymbolId> {
    let Some(o) = ws.index.object(obj) else {
        return Vec::new();
    };
    let key = al_parser::symbols::name_key(strip(name).trim());
    o.members
        .iter()
        .enumerate()
        .filter(|(_, m)| {
            al_parser::symbols::name_key(m.name.trim()) == key
                && decl_matches(decl, m.kind)
                && (!need_id || m.id.is_some())
        })
        .map(|(i, _)| SymbolId {
            member: Some(i as u32),
            ..obj
        })
        .collect()
}

fn decl_kind(
    objects: &[ObjectDecl],
    kind: ObjectKind,
    object: &str,
    member: &str,
) -> Option<MemberDeclKind> {
    objects
        .iter()
        .find(|o| {
            o.kind == kind
                && strip(&o.name)
                    .trim()
                    .eq_ignore_ascii_case(strip(object).trim())
        })?
        .members
        .iter()
        .find(|m| {
            strip(&m.name)
                .trim()
                .eq_ignore_ascii_case(strip(member).trim())
        })
        .map(|m| m.kind)
}

/// The declaration of a member as (file, name span, element keyword), when known.
fn find_decl(
    objects: &[ObjectDecl],
    kind: ObjectKind,
    object: &str,
    member: &str,
) -> Option<(String, std::ops::Range<u32>, String)> {
    let o = objects.iter().find(|o| {
        o.kind == kind
            && strip(&o.name)
                .trim()
                .eq_ignore_ascii_case(strip(object).trim())
    })?;
    let m = o.members.iter().find(|m| {
        strip(&m.name)
            .trim()
            .eq_ignore_ascii_case(strip(member).trim())
    })?;
    let span = m.span.clone()?;
    let keyword = if m.keyword.is_empty() {
        "member".to_string()
    } else {
        m.keyword.clone()
    };
    Some((
        o.file.clone(),
        u32::try_from(span.start).ok()?..u32::try_from(span.end).ok()?,
        keyword,
    ))
}

/// Builds the edits of `plan` for source app `app` of `ws` (`objects` are the
/// declarations the plan was made from). Every renumbered object, field and enum value
/// and every renamed object and member is changed at its declaration and at every
/// reference the resolver found.
pub fn build_edits(
    ws: &Workspace,
    app: u32,
    plan: &MovePlan,
    objects: &[ObjectDecl],
) -> Result<MoveEdits, MoveEngineError> {
    let mut all: Vec<TextEdit> = Vec::new();
    let mut mapping: Vec<MappingEntry> = Vec::new();
    let edit_err = |symbol: String| move |source| MoveEngineError::Edit { symbol, source };

    // Objects are independent (thousands in a base app): renumbered in parallel, in
    // plan order, the first failure in plan order reported. The index of references
    // by symbol is built first, on the whole pool.
    use rayon::prelude::*;
    ws.index_references();
    let renumbered: Vec<(SymbolId, EditSet)> = plan
        .object_ids
        .par_iter()
        .map(|c| {
            let sid = find_object(ws, app, c.kind, &c.name)?;
            let set = renumber(ws, sid, c.new).map_err(edit_err(format!(
                "renumber {} {:?}",
                c.kind.as_str(),
                strip(&c.name)
            )))?;
            Ok((sid, set))
        })
        .collect::<Vec<Result<_, MoveEngineError>>>()
        .into_iter()
        .collect::<Result<_, _>>()?;
    for (c, (sid, set)) in plan.object_ids.iter().zip(renumbered) {
        all.extend(set.edits);
        mapping.push(MappingEntry {
            kind: "object".into(),
            object_kind: c.kind.as_str().into(),
            object: strip(&c.name).into(),
            member: None,
            old_id: Some(c.old),
            new_id: Some(c.new),
            old_name: strip(&c.name).into(),
            new_name: strip(&c.name).into(),
            symbol: Some(sid),
        });
    }
    for c in &plan.member_ids {
        let obj = find_object(ws, app, c.object_kind, &c.object)?;
        let what = format!(
            "{} {:?} member {:?}",
            c.object_kind.as_str(),
            strip(&c.object),
            strip(&c.member)
        );
        let sids = find_members(ws, obj, &c.member, None, true);
        let sid = sids
            .iter()
            .copied()
            .find(|s| ws.index.member(*s).and_then(|m| m.id) == Some(c.old))
            .ok_or_else(|| MoveEngineError::NotFound(what.clone()))?;
        let set = renumber(ws, sid, c.new).map_err(edit_err(format!("renumber {what}")))?;
        all.extend(set.edits);
        let kind = ws
            .index
            .member(sid)
            .map_or("member", |m| member_keyword(m.kind));
        mapping.push(MappingEntry {
            kind: kind.into(),
            object_kind: c.object_kind.as_str().into(),
            object: strip(&c.object).into(),
            member: Some(strip(&c.member).into()),
            old_id: Some(c.old),
            new_id: Some(c.new),
            old_name: strip(&c.member).into(),
            new_name: strip(&c.member).into(),
            symbol: Some(sid),
        });
    }
    // Renames: their targets found and their edits made in parallel (the index is only
    // read), then taken in plan order: the first rename of a symbol wins (overloads share
    // a name, so the first rename of a name takes all of them) and the first failure in
    // plan order is reported.
    enum Named {
        /// Not indexed (e.g. a `separator(X)`): nothing can refer to it, so renaming its
        /// declaration is enough.
        Decl(Box<(TextEdit, MappingEntry)>),
        Targets(Vec<(SymbolId, Result<EditSet, MoveEngineError>)>),
    }
    let named: Vec<Result<Named, MoveEngineError>> = plan
        .names
        .par_iter()
        .map(|n| {
            let obj = find_object(ws, app, n.object_kind, &n.object)?;
            let targets = match &n.member {
                None => vec![obj],
                Some(m) => {
                    let d = decl_kind(objects, n.object_kind, &n.object, m);
                    let v = find_members(ws, obj, m, d, false);
                    if v.is_empty() {
                        let decl =
                            find_decl(objects, n.object_kind, &n.object, m).ok_or_else(|| {
                                MoveEngineError::NotFound(format!(
                                    "{} {:?} member {:?}",
                                    n.object_kind.as_str(),
                                    strip(&n.object),
                                    m
                                ))
                            })?;
                        return Ok(Named::Decl(Box::new((
                            TextEdit {
                                file: decl.0,
                                range: decl.1,
                                replacement: al_parser::edit::format_name(&n.new),
                            },
                            MappingEntry {
                                kind: decl.2,
                                object_kind: n.object_kind.as_str().into(),
                                object: strip(&n.object).into(),
                                member: Some(strip(m).into()),
                                old_id: None,
                                new_id: None,
                                old_name: n.old.clone(),
                                new_name: n.new.clone(),
                                symbol: None,
                            },
                        ))));
                    }
                    v
                }
            };
            Ok(Named::Targets(
                targets
                    .into_iter()
                    .map(|sid| {
                        let what = format!("rename {} to {:?}", ws.index.describe(sid), n.new);
                        (sid, rename(ws, sid, &n.new).map_err(edit_err(what)))
                    })
                    .collect(),
            ))
        })
        .collect();
    // Renumber entries by symbol: a rename of a renumbered symbol joins its entry.
    let mut entry_of: std::collections::HashMap<SymbolId, usize> = std::collections::HashMap::new();
    for (i, e) in mapping.iter().enumerate() {
        if let Some(s) = e.symbol {
            entry_of.entry(s).or_insert(i);
        }
    }
    let mut renamed: std::collections::HashSet<SymbolId> = std::collections::HashSet::new();
    for (n, found) in plan.names.iter().zip(named) {
        let targets = match found? {
            Named::Decl(decl) => {
                let (edit, entry) = *decl;
                all.push(edit);
                mapping.push(entry);
                continue;
            }
            Named::Targets(t) => t,
        };
        for (sid, set) in targets {
            if !renamed.insert(sid) {
                continue;
            }
            all.extend(set?.edits);
            // Merge with an existing renumber entry of the same symbol.
            if let Some(e) = entry_of.get(&sid).and_then(|i| mapping.get_mut(*i)) {
                e.new_name = n.new.clone();
                continue;
            }
            let (kind, id) = match sid.member {
                None => (
                    "object".to_string(),
                    ws.index.object(sid).and_then(|o| o.id).map(|i| i.0),
                ),
                Some(_) => {
                    let m = ws.index.member(sid);
                    (
                        m.map_or("member", |m| member_keyword(m.kind)).to_string(),
                        m.and_then(|m| m.id),
                    )
                }
            };
            entry_of.insert(sid, mapping.len());
            mapping.push(MappingEntry {
                kind,
                object_kind: n.object_kind.as_str().into(),
                object: strip(&n.object).into(),
                member: n.member.as_deref().map(|m| strip(m).to_string()),
                old_id: id,
                new_id: id,
                old_name: n.old.clone(),
                new_name: n.new.clone(),
                symbol: Some(sid),
            });
        }
    }
    // Object renames: the object's new name applies to its mapping entry too.
    let edits = merge(all)?;
    Ok(MoveEdits { edits, mapping })
}

/// Sorts edits, drops exact duplicates and fails on overlaps.
pub fn merge(mut edits: Vec<TextEdit>) -> Result<EditSet, MoveEngineError> {
    edits.sort_by(|a, b| {
        (
            a.file.as_str(),
            a.range.start,
            a.range.end,
            a.replacement.as_str(),
        )
            .cmp(&(
                b.file.as_str(),
                b.range.start,
                b.range.end,
                b.replacement.as_str(),
            ))
    });
    edits.dedup();
    for w in edits.windows(2) {
        if let [a, b] = w
            && a.file == b.file
            && a.range.end > b.range.start
        {
            return Err(MoveEngineError::Overlap {
                file: a.file.clone(),
                a_start: a.range.start,
                a_end: a.range.end,
                b_start: b.range.start,
                b_end: b.range.end,
            });
        }
    }
    Ok(EditSet { edits })
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
            Unresolved::Platform => None,
            Unresolved::ObjectNotFound { .. } if r.by == RefBy::Name => None,
            u => Some(UnresolvedRef {
                file: files.get(r.file as usize).cloned().unwrap_or_default(),
                offset: r.span.start,
                text: r.text.clone(),
                reason: match u {
                    Unresolved::ObjectNotFound { kind } => format!("no {kind}"),
                    Unresolved::MemberNotFound { kind, object } => {
                        format!("no {kind} on {object}")
                    }
                    Unresolved::Platform => "platform".into(),
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
            Some(Unresolved::ObjectNotFound { kind }) if r.by == RefBy::Name => {
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
fn field_method(word: &[u8]) -> Option<bool> {
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
    use al_parser::SyntaxKind;
    use al_parser::symbols::name_key;
    use std::collections::{BTreeMap, BTreeSet};
    // Old name → new names of renamed members (fields, values, controls, ...), and the
    // old names of renamed objects. An identifier after `.` can only be a member;
    // elsewhere the old name of an object makes it ambiguous (a variable may carry it),
    // as does a kept symbol with that name: both add "" (no single new name).
    let mut members: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut objects: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
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
        map.entry(name_key(&e.old_name)).or_default().insert(new);
    }
    let renamed: BTreeSet<SymbolId> = mapping
        .iter()
        .filter(|e| e.old_name != e.new_name)
        .filter_map(|e| e.symbol)
        .collect();
    // Old names as a filter: most symbols and identifiers have none of them.
    let mut shapes = crate::move_engine::proof::KeyShapes::new();
    for k in members.keys().chain(objects.keys()) {
        shapes.insert(k.as_bytes());
    }
    // A kept symbol named like an old name makes that old name ambiguous. Kept names that
    // may be old names are found in parallel (most are not), then looked up.
    use rayon::prelude::*;
    let may = |sid: &SymbolId, name: &str| {
        shapes.may_match(name.as_bytes(), true) && !renamed.contains(sid)
    };
    let may = &may;
    let kept: Vec<(bool, &str)> = ws
        .index
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
        .unwrap_or_default();
    for (is_member, name) in kept {
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
    let members: std::collections::HashMap<String, BTreeSet<String>> =
        members.into_iter().collect();
    let objects: std::collections::HashMap<String, BTreeSet<String>> =
        objects.into_iter().collect();
    // The new names an identifier (quotes stripped) may stand for; ASCII names are
    // lower-cased on the stack (most identifiers are not old names).
    let names = |text: &[u8], after_access: bool| -> Option<BTreeSet<String>> {
        let find = |key: &str| {
            let m = members.get(key);
            let o = if after_access { None } else { objects.get(key) };
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
        if !shapes.may_match(inner, text.first() == Some(&b'"')) {
            return None;
        }
        match std::str::from_utf8(inner) {
            Ok(s) => {
                al_parser::symbols::with_key(s, |k| std::str::from_utf8(k).ok().and_then(find))
            }
            Err(_) => find(&name_key(&String::from_utf8_lossy(inner))),
        }
    };
    if members.is_empty() && objects.is_empty() {
        return Vec::new();
    }
    let Some(Some(parsed)) = ws.parsed.get(app as usize) else {
        return Vec::new();
    };
    let refs = ws.references(app);
    // Declared names (objects and members) are never leftovers.
    let mut decls_by_file: std::collections::HashMap<u32, Vec<(u32, u32)>> =
        std::collections::HashMap::new();
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
    let mut edited_by_file: std::collections::HashMap<&str, Vec<(u32, u32)>> =
        std::collections::HashMap::new();
    for e in edited {
        edited_by_file
            .entry(e.file.as_str())
            .or_default()
            .push((e.range.start, e.range.end));
    }
    let per_file: Vec<Vec<Leftover>> = parsed
        .files
        .par_iter()
        .with_max_len(crate::FILES_PER_TASK)
        .enumerate()
        .map(|(fi, f)| {
            let mut out = Vec::new();
            let Some(parse) = f.parses.first() else {
                return out;
            };
            // Spans of references, declarations and edits in this file, sorted by start, with
            // the running maximum of their ends: an overlap test is one binary search.
            // References are sorted by file, so this file's are one slice. Built on the
            // first identifier that spells an old name (most files have none).
            let covering = || {
                let lo = refs.partition_point(|x| x.file < fi as u32);
                let hi = refs.partition_point(|x| x.file <= fi as u32);
                let mut spans: Vec<(u32, u32)> = refs
                    .get(lo..hi)
                    .unwrap_or_default()
                    .iter()
                    .map(|x| (x.span.start, x.span.end))
                    .chain(
                        decls_by_file
                            .get(&(fi as u32))
                            .into_iter()
                            .flatten()
                            .copied(),
                    )
                    .chain(
                        edited_by_file
                            .get(f.path.as_str())
                            .into_iter()
                            .flatten()
                            .copied(),
                    )
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
            };
            let mut cover = None;
            let mut covered = |r: &std::ops::Range<u32>| {
                let (spans, max_end) = cover.get_or_insert_with(covering);
                let i = spans.partition_point(|s| s.0 < r.end);
                i > 0 && max_end.get(i - 1).is_some_and(|&e| e > r.start)
            };
            let mut prev: Option<SyntaxKind> = None;
            // Field arguments of record methods (`SetFilter("X", …)`, `CalcFields(A, B)`),
            // a stack of open calls: (paren depth, every argument a field, next one is).
            let mut depth = 0u32;
            let mut calls: Vec<(u32, bool, bool)> = Vec::new();
            let mut last_word: &[u8] = b"";
            for t in parse.root().tokens() {
                let k = t.kind();
                if k.is_trivia() {
                    continue;
                }
                let in_field_arg = calls.last().is_some_and(|&(d, _, next)| d == depth && next)
                    && matches!(prev, Some(SyntaxKind::LParen | SyntaxKind::Comma));
                let after_access = matches!(prev, Some(SyntaxKind::Dot | SyntaxKind::ColonColon));
                let after_dot = prev == Some(SyntaxKind::Dot) || in_field_arg;
                match k {
                    SyntaxKind::LParen => {
                        depth += 1;
                        if prev == Some(SyntaxKind::Ident)
                            && let Some(all) = field_method(last_word)
                        {
                            calls.push((depth, all, true));
                        }
                    }
                    SyntaxKind::RParen => {
                        if calls.last().is_some_and(|&(d, _, _)| d == depth) {
                            calls.pop();
                        }
                        depth = depth.saturating_sub(1);
                    }
                    SyntaxKind::Comma => {
                        if let Some(c) = calls.last_mut()
                            && c.0 == depth
                        {
                            c.2 = c.1;
                        }
                    }
                    _ => {}
                }
                if k == SyntaxKind::Ident {
                    last_word = t.text();
                }
                prev = Some(k);
                if !(k == SyntaxKind::QuotedIdent
                    || (k == SyntaxKind::Ident && (after_access || in_field_arg)))
                {
                    continue;
                }
                let Some(news) = names(t.text(), after_dot) else {
                    continue;
                };
                let range = t.span();
                if covered(&range) {
                    continue;
                }
                let text = t.text_lossy().into_owned();
                out.push(Leftover {
                    file: f.path.clone(),
                    range,
                    text,
                    new_name: (news.len() == 1)
                        .then(|| news.iter().next().cloned())
                        .flatten()
                        .filter(|n| !n.is_empty()),
                });
            }
            out
        })
        .collect();
    per_file.into_iter().flatten().collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::IdRange;
    use crate::affix::{AffixPosition, Affixes};
    use crate::move_engine::plan::{MoveRequest, plan_move};
    use crate::parsed::{mark_local_extensions, objects_from_parse};
    use al_parser::symbols::{AppInfo, ParsedApp, SourceText};

    const FILES: &[(&str, &str)] = &[
        (
            "t.al",
            "table 50100 \"Tier\" { fields { field(1; Code; Code[20]) { } } }\n",
        ),
        (
            "te.al",
            "tableextension 50101 \"Cust Ext\" extends Customer { fields { field(50100; \"Points\"; Integer) { } } }\n",
        ),
        (
            "c.al",
            "codeunit 50102 \"Mgt\" { procedure P(var C: Record Customer) var T: Record Tier; begin C.Validate(\"Points\"); if C.\"Points\" > 0 then Codeunit.Run(50102); Report.Run(50100); end; }\n",
        ),
    ];

    fn sources(files: &[(String, Vec<u8>)]) -> Vec<SourceText> {
        files
            .iter()
            .map(|(p, b)| SourceText::new(p.clone(), b.clone()))
            .collect()
    }

    fn ws(files: &[(String, Vec<u8>)]) -> Workspace {
        let app = ParsedApp::parse(AppInfo::named("A"), sources(files));
        Workspace::with_stand_ins(vec![app], vec![], vec![])
    }

    fn files() -> Vec<(String, Vec<u8>)> {
        FILES
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
            .collect()
    }

    fn objects(files: &[(String, Vec<u8>)]) -> Vec<ObjectDecl> {
        let mut v = Vec::new();
        for (p, b) in files {
            v.extend(objects_from_parse(&al_parser::parse(b), p));
        }
        mark_local_extensions(&mut v);
        v
    }

    #[test]
    fn moves_a_small_app_and_verifies() {
        let files = files();
        let before = ws(&files);
        assert_eq!(
            before.stand_ins(),
            vec![(al_parser::ast::ObjectKind::Table, "Customer".to_string())]
        );
        let objs = objects(&files);
        let plan = plan_move(&MoveRequest {
            from: crate::Scope::Pte,
            to: crate::Scope::APPSOURCE,
            objects: &objs,
            target_ranges: vec![IdRange::new(70_000_000, 70_000_099)],
            affix: Some("ABC".into()),
            affix_position: AffixPosition::Prefix,
            old_affixes: Affixes::default(),
            new_id: Some("0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0".into()),
            current: Default::default(),
            side_by_side: false,
        })
        .unwrap();
        let edits = build_edits(&before, 0, &plan, &objs).unwrap();
        assert!(leftover_names(&before, 0, &edits.mapping, &edits.edits.edits).is_empty());
        let moved: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|(p, b)| (p.clone(), edits.edits.apply(p, b).unwrap()))
            .collect();
        let c = String::from_utf8(moved[2].1.clone()).unwrap();
        assert!(c.contains("C.Validate(ABCPoints)"), "{c}");
        assert!(c.contains("C.ABCPoints > 0"), "{c}");
        assert!(c.contains("Codeunit.Run(70000000)"), "{c}");
        assert!(c.contains("Record ABCTier"), "{c}");
        // Report 50100 is not part of the app: left alone (and unresolved).
        assert!(c.contains("Report.Run(50100)"), "{c}");
        let te = String::from_utf8(moved[1].1.clone()).unwrap();
        assert!(te.contains("field(70000000; ABCPoints"), "{te}");
        let after = ws(&moved);
        assert_eq!(
            verify(&before, &after, 0, &edits.mapping),
            Vec::<String>::new()
        );
        assert!(leftover_names(&after, 0, &edits.mapping, &[]).is_empty());

        // Verification notices a reference left behind.
        let mut broken = moved.clone();
        broken[2].1 = String::from_utf8(broken[2].1.clone())
            .unwrap()
            .replace("C.ABCPoints > 0", "C.\"Points\" > 0")
            .into_bytes();
        let after = ws(&broken);
        assert!(!verify(&before, &after, 0, &edits.mapping).is_empty());
        assert_eq!(leftover_names(&after, 0, &edits.mapping, &[]).len(), 1);
    }

    #[test]
    fn field_arguments_of_record_methods_are_member_positions() {
        // A page extension on a page without symbols: `Rec`'s table is unknown, so the
        // resolver cannot see these field references; the old-name scan updates them
        // even though an object had the same old name (a field argument is no object).
        let text = "pageextension 50103 PE extends \"Customer Card\" { trigger OnOpenPage() begin Rec.SetFilter(\"Points\", '<>0'); Rec.CalcFields(Amount, \"Points\"); Rec.SetRange(Amount, \"Points\"); Message(\"Points\"); end; }\n";
        let w = ws(&[("p.al".to_string(), text.as_bytes().to_vec())]);
        let entry = |kind: &str| MappingEntry {
            kind: kind.into(),
            object_kind: if kind == "object" {
                "enum"
            } else {
                "tableextension"
            }
            .into(),
            object: "X".into(),
            member: None,
            old_id: None,
            new_id: None,
            old_name: "Points".into(),
            new_name: "ABC Points".into(),
            symbol: None,
        };
        let left = leftover_names(&w, 0, &[entry("field"), entry("object")], &[]);
        let found: Vec<(usize, Option<&str>)> = left
            .iter()
            .map(|l| (l.range.start as usize, l.new_name.as_deref()))
            .collect();
        let at = |n: usize| {
            text.match_indices("\"Points\"")
                .nth(n)
                .map(|(i, _)| i)
                .unwrap()
        };
        assert_eq!(
            found,
            vec![
                (at(0), Some("ABC Points")),
                (at(1), Some("ABC Points")),
                // SetRange's second argument is a value: a variable may carry the name.
                (at(2), None),
                (at(3), None),
            ]
        );
    }

    #[test]
    fn overlapping_edits_are_an_error() {
        let e = |s: u32, t: u32, r: &str| TextEdit {
            file: "a.al".into(),
            range: s..t,
            replacement: r.into(),
        };
        assert!(merge(vec![e(0, 4, "x"), e(0, 4, "x"), e(5, 6, "y")]).is_ok());
        assert!(matches!(
            merge(vec![e(0, 4, "x"), e(2, 6, "y")]),
            Err(MoveEngineError::Overlap { .. })
        ));
        assert!(matches!(
            merge(vec![e(0, 4, "x"), e(0, 4, "z")]),
            Err(MoveEngineError::Overlap { .. })
        ));
    }
}

/// What the old and the moved app would share if installed side by side (scope-rules
/// §2.5: no shared object IDs or names, and no shared field or enum-value IDs or names
/// on a base object both extend).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SideBySide {
    /// Objects whose kind and ID both apps declare (`table 50100`).
    pub shared_ids: Vec<String>,
    /// Objects whose kind, namespace and name both apps declare.
    pub shared_names: Vec<String>,
    /// Fields and enum values both apps add to the same base object (by ID or name).
    pub shared_members: Vec<String>,
}

impl SideBySide {
    /// Whether both apps can be installed side by side.
    pub fn is_clear(&self) -> bool {
        self.shared_ids.is_empty() && self.shared_names.is_empty() && self.shared_members.is_empty()
    }
}

/// Compares source app `app` of `before` (the old app) with the same app of `after`
/// (the moved one) for side-by-side installation.
pub fn side_by_side(before: &Workspace, after: &Workspace, app: u32) -> SideBySide {
    match (
        before.index.apps.get(app as usize),
        after.index.apps.get(app as usize),
    ) {
        (Some(a), Some(b)) => side_by_side_symbols(a, b),
        _ => SideBySide::default(),
    }
}

/// What two apps would share if installed together: object type + ID (AVS0110), object
/// type + name (AVS0111), and member IDs (AVS0112) and names (AVS0113) on a base object
/// one app extends and the other declares or extends too (fields and enum values by ID
/// and name; keys, controls and actions by name).
///
/// ```
/// use al_parser::symbols::{AppInfo, AppSymbols, SourceText};
/// let a = AppSymbols::from_sources(AppInfo::named("A"), vec![SourceText::new("a.al",
///     b"tableextension 50100 Ext extends Customer { fields { field(50100; Points; Integer) { } } }".to_vec())]);
/// let b = AppSymbols::from_sources(AppInfo::named("B"), vec![SourceText::new("b.al",
///     b"tableextension 70000000 \"CLY Ext\" extends Customer { fields { field(70000000; \"CLY Points\"; Integer) { } } }".to_vec())]);
/// assert!(scope_rules::move_engine::engine::side_by_side_symbols(&a, &b).is_clear());
/// assert!(!scope_rules::move_engine::engine::side_by_side_symbols(&a, &a).is_clear());
/// ```
pub fn side_by_side_symbols(
    a: &al_parser::symbols::AppSymbols,
    b: &al_parser::symbols::AppSymbols,
) -> SideBySide {
    use al_parser::symbols::{AppSymbols, name_key};
    use std::collections::BTreeMap;
    // Comparison key (case-insensitive) → text shown (as the old app writes it).
    type Keyed = BTreeMap<String, String>;
    let ids = |x: &AppSymbols| -> Keyed {
        x.objects
            .iter()
            .filter_map(|o| {
                let t = format!("{} {}", ObjectKind::from(o.kind).as_str(), o.id?.0);
                Some((t.clone(), t))
            })
            .collect()
    };
    let names = |x: &AppSymbols| -> Keyed {
        x.objects
            .iter()
            .map(|o| {
                let ns = o
                    .namespace
                    .as_deref()
                    .map(|n| format!("{n}."))
                    .unwrap_or_default();
                let kind = ObjectKind::from(o.kind).as_str();
                (
                    format!("{kind} {}{}", name_key(&ns), name_key(&o.name)),
                    format!("{kind} {ns}{:?}", o.name),
                )
            })
            .collect()
    };
    // Members can only clash on a base object an extension of either app extends.
    fn base_of(o: &al_parser::symbols::ObjectSymbol) -> (String, &str) {
        let base = o.extends.as_deref().unwrap_or(&o.name);
        let base_kind = al_parser::symbols::base_kind(o.kind).unwrap_or(o.kind);
        (
            format!(
                "{} {}",
                ObjectKind::from(base_kind).as_str(),
                al_parser::symbols::name_key(base)
            ),
            base,
        )
    }
    let extended: std::collections::HashSet<String> = a
        .objects
        .iter()
        .chain(&b.objects)
        .filter(|o| o.extends.is_some())
        .map(|o| base_of(o).0)
        .collect();
    // (base object, member kind, id or name) → (text, declared by an extension).
    type Members = BTreeMap<String, (String, bool)>;
    let members = |x: &AppSymbols| -> Members {
        let mut s = Members::new();
        for o in &x.objects {
            let (key, base) = base_of(o);
            if !extended.contains(&key) {
                continue;
            }
            let ext = o.extends.is_some();
            let base_kind = al_parser::symbols::base_kind(o.kind).unwrap_or(o.kind);
            let bk = ObjectKind::from(base_kind).as_str();
            let kind = ObjectKind::from(o.kind).as_str();
            for m in &o.members {
                let by_id = matches!(m.kind, MemberKind::Field | MemberKind::EnumValue);
                let by_name = by_id
                    || matches!(
                        m.kind,
                        MemberKind::Key | MemberKind::Control | MemberKind::Action
                    );
                if !by_name {
                    continue;
                }
                let k = member_keyword(m.kind);
                if by_id && let Some(id) = m.id {
                    s.insert(
                        format!("{bk} {} {k} {id}", name_key(base)),
                        (format!("{kind} of {base:?}: {k} {id}"), ext),
                    );
                }
                s.insert(
                    format!("{bk} {} {k} {}", name_key(base), name_key(&m.name)),
                    (format!("{kind} of {base:?}: {k} {:?}", m.name), ext),
                );
            }
        }
        s
    };
    let shared = |x: Keyed, y: Keyed| -> Vec<String> {
        x.into_iter()
            .filter(|(k, _)| y.contains_key(k))
            .map(|(_, v)| v)
            .collect()
    };
    let (ma, mb) = (members(a), members(b));
    let shared_members = ma
        .iter()
        .filter(|(k, (_, ext_a))| mb.get(*k).is_some_and(|(_, ext_b)| *ext_a || *ext_b))
        .map(|(_, (t, _))| t.clone())
        .collect();
    SideBySide {
        shared_ids: shared(ids(a), ids(b)),
        shared_names: shared(names(a), names(b)),
        shared_members,
    }
}
