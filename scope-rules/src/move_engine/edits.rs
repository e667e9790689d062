//! Stage "edits": the plan turned into text edits on the resolved workspace.
//!
//! [`build_edits`] finds every renumbered and renamed object or member of the plan in
//! the workspace's first source app, asks [`al_parser::edit::renumber`] and
//! [`al_parser::edit::rename`] for the edits at the declaration and every reference,
//! and merges them into one [`EditSet`] (overlapping edits are an error).

use al_parser::edit::{EditSet, TextEdit, rename, renumber};
use al_parser::resolve::Workspace;
use al_parser::symbols::{MemberKind, SymbolId, kind_from_keyword, member_keyword};

use crate::checks::source::{ObjectDecl, ObjectKind};
use crate::move_engine::MoveError;
use std::collections::HashMap;

use al_parser::edit::format_name;
use rayon::prelude::*;

use crate::move_engine::mapping::{MappingEntry, Spelling, reverse_texts, unquote};
use crate::move_engine::plan::MovePlan;
use crate::move_engine::plan::NameChange;
use crate::move_engine::report::{Location, NameFix};
use crate::move_engine::verify::{leftover_names_in, stale_ordinals};
use crate::move_engine::workspace::{Inputs, Text, location, split_label};
use crate::move_engine::{Dependent, MoveOptions};

/// The edits of a move and what they do.
#[derive(Debug, Clone, Default)]
pub struct MoveEdits {
    /// All edits, sorted, non-overlapping.
    pub edits: EditSet,
    /// One entry per changed symbol.
    pub mapping: Vec<MappingEntry>,
    /// Names a reverse move restored although a newer symbol has them (a warning: the
    /// original bytes come back; the newer symbol must be renamed).
    pub collisions: Vec<String>,
}

pub(super) fn decl_matches(decl: Option<MemberKind>, k: MemberKind) -> bool {
    use MemberKind::*;
    match decl {
        Some(d @ (Field | Key | Control | Action | EnumValue | DataItem | Column | Procedure)) => {
            k == d
        }
        // No kind, `Other` and `Label`: any member of the name.
        _ => true,
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
pub(super) fn find_object(
    ws: &Workspace,
    app: u32,
    kind: ObjectKind,
    name: &str,
) -> Result<SymbolId, MoveError> {
    let what = || format!("{} {:?}", kind.as_str(), strip(name));
    let pk = kind_from_keyword(kind.as_str()).ok_or_else(|| MoveError::NotFound(what()))?;
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
        .ok_or_else(|| MoveError::NotFound(what()))
}

/// Members of `obj` (own, not its extensions') named `name`.
pub(super) fn find_members(
    ws: &Workspace,
    obj: SymbolId,
    name: &str,
    decl: Option<MemberKind>,
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

pub(super) fn decl_kind(
    objects: &[ObjectDecl],
    kind: ObjectKind,
    object: &str,
    member: &str,
) -> Option<MemberKind> {
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
        .filter(|m| {
            strip(&m.name)
                .trim()
                .eq_ignore_ascii_case(strip(member).trim())
        })
        .map(|m| m.kind)
        // Members of one name in different namespaces of the object (a report extension's
        // column and request-page field `NoCopies`): no kind, so the rename reaches them all.
        .try_fold(None, |seen: Option<MemberKind>, k| match seen {
            Some(s) if s != k => Err(()),
            _ => Ok(Some(k)),
        })
        .ok()
        .flatten()
}

/// The declaration of a member as (file, name span, element keyword), when known.
pub(super) fn find_decl(
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
    reverse: bool,
) -> Result<MoveEdits, MoveError> {
    let mut all: Vec<TextEdit> = Vec::new();
    let mut mapping: Vec<MappingEntry> = Vec::new();
    // The index of references by symbol is built first, on the whole pool.
    ws.index_references();
    renumber_objects(ws, app, plan, &mut all, &mut mapping)?;
    renumber_members(ws, app, plan, &mut all, &mut mapping)?;
    let collisions = std::sync::Mutex::new(Vec::new());
    let named = rename_targets(ws, app, plan, objects, reverse.then_some(&collisions));
    apply_renames(ws, plan, named, &mut all, &mut mapping)?;
    // Object renames: the object's new name applies to its mapping entry too.
    let edits = merge(all)?;
    let mut collisions = collisions.into_inner().unwrap_or_default();
    collisions.sort();
    Ok(MoveEdits {
        edits,
        mapping,
        collisions,
    })
}

/// The error of a failed rename or renumber of `symbol`, for `map_err`.
fn edit_err(symbol: String) -> impl FnOnce(al_parser::edit::EditError) -> MoveError {
    move |source| MoveError::Edit { symbol, source }
}

/// Step "renumber the objects": the edits and mapping entries of every renumbered object.
/// Objects are independent (thousands in a base app): renumbered in parallel, in plan
/// order, the first failure in plan order reported.
fn renumber_objects(
    ws: &Workspace,
    app: u32,
    plan: &MovePlan,
    all: &mut Vec<TextEdit>,
    mapping: &mut Vec<MappingEntry>,
) -> Result<(), MoveError> {
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
        .collect::<Vec<Result<_, MoveError>>>()
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
    Ok(())
}

/// Step "renumber the fields and values": the edits and mapping entries of every
/// renumbered member, in plan order.
fn renumber_members(
    ws: &Workspace,
    app: u32,
    plan: &MovePlan,
    all: &mut Vec<TextEdit>,
    mapping: &mut Vec<MappingEntry>,
) -> Result<(), MoveError> {
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
            .ok_or_else(|| MoveError::NotFound(what.clone()))?;
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
    Ok(())
}

/// What one rename of the plan changes.
enum Named {
    /// Not indexed (e.g. a `separator(X)`): nothing can refer to it, so renaming its
    /// declaration is enough.
    Decl(Box<(TextEdit, MappingEntry)>),
    /// The symbols of that name, each with its edits.
    Targets(Vec<(SymbolId, Result<EditSet, MoveError>)>),
}

/// Step "find the renamed symbols": every rename's targets found and their edits made,
/// in parallel (the index is only read), in plan order.
fn rename_targets(
    ws: &Workspace,
    app: u32,
    plan: &MovePlan,
    objects: &[ObjectDecl],
    collisions: Option<&std::sync::Mutex<Vec<String>>>,
) -> Vec<Result<Named, MoveError>> {
    plan.names
        .par_iter()
        .map(|n| {
            let obj = find_object(ws, app, n.object_kind, &n.object)?;
            let targets = match &n.member {
                None => vec![obj],
                Some(m) => {
                    let d = decl_kind(objects, n.object_kind, &n.object, m);
                    let v = find_members(ws, obj, m, d, false);
                    if v.is_empty() {
                        return decl_rename(objects, n, m);
                    }
                    v
                }
            };
            Ok(Named::Targets(
                targets
                    .into_iter()
                    .map(|sid| {
                        let what = format!("rename {} to {:?}", ws.index.describe(sid), n.new);
                        let edits = match (rename(ws, sid, &n.new), collisions) {
                            (Err(al_parser::edit::EditError::Collision { existing }), Some(c)) => {
                                if let Ok(mut c) = c.lock() {
                                    c.push(format!("{what}: {existing} has that name now"));
                                }
                                al_parser::edit::rename_despite_collisions(ws, sid, &n.new)
                            }
                            (r, _) => r,
                        };
                        (sid, edits.map_err(edit_err(what)))
                    })
                    .collect(),
            ))
        })
        .collect()
}

/// The rename of member `m` that the index does not know: its declaration only.
fn decl_rename(objects: &[ObjectDecl], n: &NameChange, m: &str) -> Result<Named, MoveError> {
    let decl = find_decl(objects, n.object_kind, &n.object, m).ok_or_else(|| {
        MoveError::NotFound(format!(
            "{} {:?} member {:?}",
            n.object_kind.as_str(),
            strip(&n.object),
            m
        ))
    })?;
    Ok(Named::Decl(Box::new((
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
    ))))
}

/// Step "apply the renames", in plan order: the first rename of a symbol wins (overloads
/// share a name, so the first rename of a name takes all of them), a rename of a
/// renumbered symbol joins its entry, and the first failure in plan order is reported.
fn apply_renames(
    ws: &Workspace,
    plan: &MovePlan,
    named: Vec<Result<Named, MoveError>>,
    all: &mut Vec<TextEdit>,
    mapping: &mut Vec<MappingEntry>,
) -> Result<(), MoveError> {
    // Renumber entries by symbol: a rename of a renumbered symbol joins its entry.
    let mut entry_of: HashMap<SymbolId, usize> = HashMap::new();
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
            entry_of.insert(sid, mapping.len());
            mapping.push(rename_entry(ws, sid, n));
        }
    }
    Ok(())
}

/// The mapping entry of symbol `sid` renamed by `n` (its ID kept).
fn rename_entry(ws: &Workspace, sid: SymbolId, n: &NameChange) -> MappingEntry {
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
    MappingEntry {
        kind,
        object_kind: n.object_kind.as_str().into(),
        object: strip(&n.object).into(),
        member: n.member.as_deref().map(|m| strip(m).to_string()),
        old_id: id,
        new_id: id,
        old_name: n.old.clone(),
        new_name: n.new.clone(),
        symbol: Some(sid),
    }
}

/// Sorts edits, drops exact duplicates and fails on overlaps ([`EditSet::from_edits`]).
pub fn merge(edits: Vec<TextEdit>) -> Result<EditSet, MoveError> {
    EditSet::from_edits(edits).map_err(|e| match e {
        al_parser::edit::EditError::Overlap {
            file,
            first,
            second,
        } => MoveError::Overlap {
            file,
            a_start: first.start,
            a_end: first.end,
            b_start: second.start,
            b_end: second.end,
        },
        source => MoveError::Edit {
            symbol: String::new(),
            source,
        },
    })
}

/// Byte offset in the new text of each edit's start (edits sorted per file).
pub(super) fn new_offsets(edits: &[TextEdit]) -> Vec<u32> {
    let mut out = Vec::with_capacity(edits.len());
    let mut file = "";
    let mut delta: i64 = 0;
    for e in edits {
        if e.file != file {
            file = &e.file;
            delta = 0;
        }
        out.push((i64::from(e.range.start) + delta).max(0) as u32);
        delta += e.replacement.len() as i64 - i64::from(e.range.end - e.range.start);
    }
    out
}

/// What the old-name search found: unresolved identifiers that spell the old name of a
/// renamed field or value.
#[derive(Debug, Default)]
pub(super) struct OldNames {
    /// Rewritten by name (their object could not be resolved, but the old name is unique).
    pub(super) by_name: Vec<NameFix>,
    /// Left as they are: the old name is also another symbol's.
    pub(super) ambiguous: Vec<NameFix>,
    /// What each new text reads back as (forward moves; for the spellings).
    back: Option<HashMap<String, Option<String>>>,
}

/// Stage "edits", old names: identifiers no reference resolved that still spell the old
/// name of a renamed field or value are rewritten when the name is unambiguous (and the
/// edits merged again), listed otherwise.
pub(super) fn old_names(
    edits: &mut MoveEdits,
    ws: &Workspace,
    texts: &HashMap<&str, Text<'_>>,
    dependents: &[Dependent],
    reverse: bool,
) -> Result<OldNames, MoveError> {
    let mut found = OldNames::default();
    let mut extra = Vec::new();
    // What each new text reads back as is worked out meanwhile: it needs only the mapping.
    let (back, ()) = rayon::join(
        || (!reverse).then(|| reverse_texts(&edits.mapping)),
        || {
            for app in 0..=dependents.len() {
                let mut left =
                    leftover_names_in(ws, app as u32, &edits.mapping, &edits.edits.edits, reverse);
                // Enum ordinals where the enum is not known: listed, never changed.
                left.extend(stale_ordinals(
                    ws,
                    app as u32,
                    &edits.mapping,
                    &edits.edits.edits,
                ));
                let at: Vec<Location> = left
                    .par_iter()
                    .map(|l| location(texts, dependents, &l.file, l.range.start))
                    .collect();
                for (l, at) in left.into_iter().zip(at) {
                    let fix = NameFix {
                        at,
                        old: l.text.clone(),
                        new: l.new_name.clone(),
                    };
                    match &l.new_name {
                        None => found.ambiguous.push(fix),
                        Some(n) => {
                            extra.push(TextEdit {
                                file: l.file.clone(),
                                range: l.range.clone(),
                                replacement: format_name(n),
                            });
                            found.by_name.push(fix);
                        }
                    }
                }
            }
        },
    );
    found.back = back;
    if !extra.is_empty() {
        let mut all = std::mem::take(&mut edits.edits.edits);
        all.append(&mut extra);
        edits.edits = merge(all)?;
    }
    Ok(found)
}

/// Stage "edits", spellings: a forward move records the old text of every edit whose
/// new text does not read back as it (a reference in another case, quotes it did not
/// need); a reverse move writes the recorded spellings back.
pub(super) fn spellings(
    edits: &mut MoveEdits,
    old_names: &OldNames,
    texts: &HashMap<&str, Text<'_>>,
    inputs: &Inputs<'_>,
    opts: &MoveOptions,
) -> Result<Vec<Spelling>, MoveError> {
    let mut spellings = Vec::new();
    if opts.reverse {
        let recorded: HashMap<(String, String, u32), &Spelling> = opts
            .mapping
            .as_ref()
            .map(|mp| {
                mp.spellings
                    .iter()
                    .map(|s| ((s.app.to_lowercase(), s.file.clone(), s.at), s))
                    .collect()
            })
            .unwrap_or_default();
        for e in &mut edits.edits.edits {
            let (_, path) = split_label(&e.file);
            let key = (inputs.app_key(&e.file), path.to_string(), e.range.start);
            if let Some(s) = recorded.get(&key) {
                // An ID may have been spelled as another number: an object header in an
                // inactive `#if` branch carries its own ID (`#if appsource table 70050100 …
                // #else table 50100 …`), which the forward move recorded.
                let number = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
                let ids = number(&s.text) && number(&e.replacement);
                if !ids && unquote(&s.text) != unquote(&e.replacement) {
                    return Err(MoveError::Input(format!(
                        "{path}: byte {}: the mapping's spelling {:?} does not name {:?}; the files changed since the move",
                        e.range.start, s.text, e.replacement
                    )));
                }
                e.replacement = s.text.clone();
            }
        }
        return Ok(spellings);
    }
    let offsets = new_offsets(&edits.edits.edits);
    let empty = HashMap::new();
    let back = old_names.back.as_ref().unwrap_or(&empty);
    for (e, at) in edits.edits.edits.iter().zip(offsets) {
        let Some(old) = texts
            .get(e.file.as_str())
            .and_then(|t| t.bytes.get(e.range.start as usize..e.range.end as usize))
        else {
            continue;
        };
        let old = String::from_utf8_lossy(old).into_owned();
        let predicted = back.get(&e.replacement).and_then(Option::as_deref);
        if predicted != Some(old.as_str()) {
            let (_, path) = split_label(&e.file);
            spellings.push(Spelling {
                app: inputs.app_key(&e.file),
                file: path.to_string(),
                at,
                text: old,
            });
        }
    }
    Ok(spellings)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::IdRange;
    use crate::affix::{AffixPosition, Affixes};
    use crate::move_engine::verify::{leftover_names, verify};
    use crate::move_engine::{MoveRequest, plan_move};
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
        let edits = build_edits(&before, 0, &plan, &objs, false).unwrap();
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
            Err(MoveError::Overlap { .. })
        ));
        assert!(matches!(
            merge(vec![e(0, 4, "x"), e(0, 4, "z")]),
            Err(MoveError::Overlap { .. })
        ));
    }
}
