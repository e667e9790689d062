//! Moves between scopes: the six documented moves as data ([`move_rules`],
//! scope-rules.md §7) and a deterministic plan over an app's objects
//! ([`plan_move`]): new identity, ID mapping, name mapping.
//!
//! The plan is pure data. Turning it into text edits needs the parser's
//! reference index (every place that names a renamed or renumbered object),
//! which is not part of this crate yet.
//!
//! # Planning algorithm
//!
//! - **IDs.** Every ID-carrying item (objects, own-table fields, table-extension
//!   fields, own-enum values, enum-extension values) is checked with
//!   [`crate::ranges::classify`] against the target scope and target ranges. An
//!   item that passes keeps its ID; the others get the next free ID of the
//!   target ranges in ascending order, in order of their old ID. ID spaces:
//!   one per object type; one per table for own fields and per enum for own
//!   values; one app-wide pool for table-extension fields and one for
//!   enum-extension values (so extensions of the same table never clash).
//!   Running out of IDs is an error.
//! - **Names.** When the move adds affixes, every object lacking one gets the
//!   target affix via [`crate::shorten::shorten`] (with the kind's length
//!   limit), and so do members that [`crate::affix::affix_rule`] says need one
//!   (members added to other publishers' objects). `old_affixes` are stripped
//!   first, which is how AppSource→PTE renames objects for side-by-side use.
//!   Objects in a namespace of at least two levels keep their names when only
//!   affixes are added (the docs accept the namespace instead of an affix).
//!   Names stay unique per object type (objects) and per object (members),
//!   case-insensitively.
//!
//! ```
//! use scope_rules::move_engine::{move_rules, Requirement};
//! use scope_rules::Scope;
//! let r = move_rules(Scope::Pte, Scope::APPSOURCE);
//! assert_eq!(r.new_id, Requirement::Required);
//! assert!(r.add_affixes && r.identity_must_differ);
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use al_manifest::AppVersion;

use crate::affix::{
    AffixPosition, Affixes, affix_position, affix_rule, namespace_has_two_levels, strip_quotes,
};

use crate::checks::source::{MemberDecl, MemberKind, ObjectDecl, ObjectKind};

use crate::limits::{NameKind, limit_for};

use crate::ranges::{IdKind, IdRange, classify, declared_range_allowed};

use crate::scope::Scope;

use crate::move_engine::MoveOptions;
use crate::move_engine::mapping::unquote;
use crate::move_engine::request::next_major;
use crate::move_engine::request::{
    CurrentApp, MoveRequest, MoveRules, Renumber, Request, Requirement, move_rules,
};
use crate::move_engine::{MoveError, MoveMapping};
use crate::shorten::shorten;

/// One renumbered object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectIdChange {
    /// Object type.
    #[serde(serialize_with = "ser_kind")]
    pub kind: ObjectKind,
    /// Object name (as declared).
    pub name: String,
    /// Old ID.
    pub old: u32,
    /// New ID.
    pub new: u32,
}

/// One renumbered field or enum value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberIdChange {
    /// Type of the containing object.
    #[serde(serialize_with = "ser_kind")]
    pub object_kind: ObjectKind,
    /// Name of the containing object.
    pub object: String,
    /// Member name.
    pub member: String,
    /// Old ID.
    pub old: u32,
    /// New ID.
    pub new: u32,
}

/// One renamed object or member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameChange {
    /// Type of the (containing) object.
    #[serde(serialize_with = "ser_kind")]
    pub object_kind: ObjectKind,
    /// The object's old name.
    pub object: String,
    /// For members: the member's old name; `None` for the object itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// Old name (bare, unquoted).
    pub old: String,
    /// New name (bare, unquoted).
    pub new: String,
}

pub(super) fn ser_kind<S: serde::Serializer>(k: &ObjectKind, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(k.as_str())
}

/// What a [`PlanStep`] changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// Set a new app id in app.json.
    NewId,
    /// Make name, publisher or version differ from the old app.
    Identity,
    /// Set app.json `idRanges`.
    IdRanges,
    /// Renumber objects, fields and enum values.
    Renumber,
    /// Rename objects and members (affixes, side-by-side names).
    Rename,
    /// Enable the target scope's analyzer and fix its findings.
    Cop,
    /// Update dependent apps.
    Dependents,
}

impl StepKind {
    /// Whether the step edits app.json's identity or ranges (what
    /// [`MovePlan::new_id`], [`MovePlan::new_version`] and
    /// [`MovePlan::id_ranges`] describe).
    pub const fn is_app_json(self) -> bool {
        matches!(
            self,
            StepKind::NewId | StepKind::Identity | StepKind::IdRanges
        )
    }
}

/// One step of a [`MovePlan`], in the order to do them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanStep {
    /// What the step changes.
    pub kind: StepKind,
    /// Required or recommended.
    pub requirement: Requirement,
    /// The step as a sentence.
    pub text: String,
    /// How many items the step touches, when it is about items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

/// A move plan: the rules plus the concrete identity, ID and name mappings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MovePlan {
    /// What the move requires.
    pub rules: MoveRules,
    /// The new app id, when one is used and differs from the current one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_id: Option<String>,
    /// The version to write so the new app's identity differs from the old
    /// one (only when the move requires it and the current version is known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_version: Option<AppVersion>,
    /// The `idRanges` to write to app.json (the target ranges; empty when the
    /// move does not renumber or the current ranges already equal them).
    pub id_ranges: Vec<IdRange>,
    /// Renumbered objects.
    pub object_ids: Vec<ObjectIdChange>,
    /// Renumbered fields and enum values.
    pub member_ids: Vec<MemberIdChange>,
    /// Renamed objects and members.
    pub names: Vec<NameChange>,
    /// Steps in order.
    pub steps: Vec<PlanStep>,
    /// What happens to data and installations (not steps to take).
    pub consequences: Vec<String>,
}

pub(super) fn object_limit(o: &ObjectDecl) -> usize {
    limit_for(crate::limits::object_name_kind(o.kind, o.assignable)).max
}

pub(super) fn member_limit(m: &MemberDecl) -> usize {
    limit_for(match m.kind {
        MemberKind::Field => NameKind::Field,
        MemberKind::Key => NameKind::Key,
        MemberKind::EnumValue => NameKind::EnumIdentifier,
        _ => NameKind::Identifier,
    })
    .max
}

pub(super) fn strip_affixes(name: &str, old: &Affixes) -> String {
    let bare = strip_quotes(name);
    for a in old.as_slice() {
        let len = a.chars().count();
        let total = bare.chars().count();
        if total <= len {
            continue;
        }
        let rest: String = match affix_position(bare, a) {
            Some(AffixPosition::Prefix) => bare.chars().skip(len).collect(),
            Some(AffixPosition::Suffix) => bare.chars().take(total - len).collect(),
            None => continue,
        };
        let rest = rest.trim_matches(|c: char| c.is_whitespace() || c == '_' || c == '-');
        if !rest.is_empty() {
            return rest.to_string();
        }
    }
    bare.to_string()
}

pub(super) struct Pool {
    ranges: Vec<IdRange>,
    used: BTreeSet<u32>,
    cursor: usize,
    next: Option<u32>,
}

impl Pool {
    fn new(ranges: &[IdRange]) -> Self {
        let mut ranges: Vec<IdRange> = ranges.iter().copied().filter(IdRange::is_valid).collect();
        ranges.sort();
        let next = ranges.first().map(|r| r.from);
        Pool {
            ranges,
            used: BTreeSet::new(),
            cursor: 0,
            next,
        }
    }

    fn take(&mut self) -> Option<u32> {
        loop {
            let r = *self.ranges.get(self.cursor)?;
            let n = self.next?;
            if n > r.to {
                self.cursor += 1;
                self.next = self.ranges.get(self.cursor).map(|r| r.from);
                continue;
            }
            self.next = n.checked_add(1);
            if self.next.is_none() {
                self.cursor = self.ranges.len();
            }
            if self.used.insert(n) {
                return Some(n);
            }
        }
    }
}

/// Computes a [`MovePlan`]. Deterministic: the same request gives the same plan.
///
/// ```
/// use scope_rules::move_engine::{plan_move, MoveRequest};
/// use scope_rules::affix::{AffixPosition, Affixes};
/// use scope_rules::{IdRange, ObjectDecl, ObjectKind, Scope};
/// let objects = vec![
///     ObjectDecl::new(ObjectKind::Table, Some(50101), "Loyalty Tier", "t.al"),
///     ObjectDecl::new(ObjectKind::Table, Some(50100), "Loyalty Setup", "s.al"),
/// ];
/// let plan = plan_move(&MoveRequest {
///     from: Scope::Pte, to: Scope::APPSOURCE, objects: &objects,
///     target_ranges: vec![IdRange::new(70_000_000, 70_000_099)],
///     affix: Some("CLP".into()), affix_position: AffixPosition::Prefix,
///     old_affixes: Affixes::default(), new_id: Some("0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0".into()),
///     current: Default::default(), side_by_side: false,
/// }).unwrap();
/// assert_eq!((plan.object_ids[0].old, plan.object_ids[0].new), (50100, 70_000_000));
/// assert_eq!(plan.names[0].new, "CLP Loyalty Tier");
/// ```
pub fn plan_move(req: &MoveRequest<'_>) -> Result<MovePlan, MoveError> {
    let rules = rules_for(req)?;
    let affix = affix_for(req, &rules)?;

    // --- IDs ---
    let mut object_ids = Vec::new();
    let mut member_ids = Vec::new();
    if rules.renumber != Renumber::No {
        object_ids = renumber_objects(req, &rules)?;
        member_ids = renumber_members(req, &rules)?;
    }

    // --- Names ---
    let names = match affix {
        Some(affix) => affixed_names(req, &rules, affix)?,
        None => Vec::new(),
    };

    let (new_id, new_version, id_ranges) = identity(req, &rules);
    let steps = steps_for(
        &rules,
        req,
        &new_id,
        new_version,
        &id_ranges,
        &object_ids,
        &member_ids,
        &names,
    );
    let consequences = consequences(req, &rules, &new_id);
    Ok(MovePlan {
        new_id,
        new_version,
        id_ranges,
        rules,
        object_ids,
        member_ids,
        names,
        steps,
        consequences,
    })
}

/// The rules of the move `req` asks for; a move that requires a new app id needs one.
fn rules_for(req: &MoveRequest<'_>) -> Result<MoveRules, MoveError> {
    let mut rules = move_rules(req.from, req.to);
    if req.side_by_side {
        rules.rename_for_side_by_side = Requirement::Required;
    }
    if rules.new_id == Requirement::Required && req.new_id.is_none() {
        return Err(MoveError::NewIdMissing {
            from: req.from.to_string(),
            to: req.to.to_string(),
        });
    }
    Ok(rules)
}

/// The affix the move's renaming adds (`None` when the move renames nothing); a move
/// that renames needs one.
fn affix_for<'r>(
    req: &'r MoveRequest<'_>,
    rules: &MoveRules,
) -> Result<Option<&'r str>, MoveError> {
    let rename = rules.add_affixes || rules.rename_for_side_by_side == Requirement::Required;
    let affix = req
        .affix
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    if rename && affix.is_none() {
        return Err(MoveError::AffixMissing(req.to.to_string()));
    }
    Ok(affix.filter(|_| rename))
}

/// Whether an item of ID space `kind` with ID `id` gets a new ID. For side-by-side use
/// (a data migration) every ID the old app holds in a shared space — objects,
/// table-extension fields, enum-extension values — is taken anew, even inside the target
/// ranges: the two apps cannot both install an ID.
fn needs_new_id(req: &MoveRequest<'_>, rules: &MoveRules, kind: IdKind, id: u32) -> bool {
    (rules.renumber == Renumber::All && kind == IdKind::Object)
        || (req.side_by_side && shared_id_space(kind))
        || !classify(req.to, kind, id, &req.target_ranges).is_ok()
}

/// ID spaces two installed apps share: object IDs, and the fields and values extensions
/// add to one base object. (A table's own fields are per table.)
fn shared_id_space(kind: IdKind) -> bool {
    matches!(
        kind,
        IdKind::Object | IdKind::TableExtensionField | IdKind::EnumExtensionValue
    )
}

/// Step "number the objects": per object type, the objects that need a new ID get the
/// next free one of the target ranges, in order of their old ID.
fn renumber_objects(
    req: &MoveRequest<'_>,
    rules: &MoveRules,
) -> Result<Vec<ObjectIdChange>, MoveError> {
    let mut object_ids = Vec::new();
    let mut by_kind: BTreeMap<ObjectKind, Vec<(u32, usize)>> = BTreeMap::new();
    for (i, o) in req.objects.iter().enumerate() {
        if let Some(id) = o.id.filter(|_| o.kind.has_id()) {
            by_kind.entry(o.kind).or_default().push((id, i));
        }
    }
    for (kind, mut items) in by_kind {
        items.sort();
        let mut pool = Pool::new(&req.target_ranges);
        let keep: Vec<bool> = items
            .iter()
            .map(|(id, _)| !needs_new_id(req, rules, IdKind::Object, *id))
            .collect();
        for ((id, _), k) in items.iter().zip(&keep) {
            // Side by side, no new ID may be one the old app holds.
            if *k || req.side_by_side {
                pool.used.insert(*id);
            }
        }
        for ((id, i), k) in items.iter().zip(&keep) {
            if *k {
                continue;
            }
            let new = pool.take().ok_or_else(|| MoveError::OutOfIds {
                what: format!("{kind} objects"),
            })?;
            object_ids.push(ObjectIdChange {
                kind,
                name: req.objects[*i].name.clone(),
                old: *id,
                new,
            });
        }
    }
    Ok(object_ids)
}

/// A member that needs a new ID: (object index, member index, ID space, old ID).
type PendingMember = (usize, usize, IdKind, u32);

/// Step "renumber fields and values": the members that need a new ID get the next free
/// one of their ID space (per table or enum for own members, one app-wide pool each for
/// table-extension fields and enum-extension values).
fn renumber_members(
    req: &MoveRequest<'_>,
    rules: &MoveRules,
) -> Result<Vec<MemberIdChange>, MoveError> {
    let mut member_ids = Vec::new();
    let mut tableext_pool = Pool::new(&req.target_ranges);
    let mut enumext_pool = Pool::new(&req.target_ranges);
    let mut pending = pending_members(req, rules, &mut tableext_pool, &mut enumext_pool);
    pending.sort_by_key(|(oi, _, kind, id)| (*kind as u8, *oi, *id));
    let mut own_pools: BTreeMap<usize, Pool> = BTreeMap::new();
    for (oi, mi, kind, id) in pending {
        let o = &req.objects[oi];
        let m = &o.members[mi];
        let pool = match kind {
            IdKind::TableExtensionField => &mut tableext_pool,
            IdKind::EnumExtensionValue => &mut enumext_pool,
            _ => own_pools.entry(oi).or_insert_with(|| {
                let mut p = Pool::new(&req.target_ranges);
                p.used.extend(o.members.iter().filter_map(|m| m.id));
                p
            }),
        };
        let new = pool.take().ok_or_else(|| MoveError::OutOfIds {
            what: format!("members of {} {:?}", o.kind, strip_quotes(&o.name)),
        })?;
        member_ids.push(MemberIdChange {
            object_kind: o.kind,
            object: o.name.clone(),
            member: m.name.clone(),
            old: id,
            new,
        });
    }
    Ok(member_ids)
}

/// The ID space of a member of an object of kind `object`, when it carries an ID.
fn member_id_kind(object: ObjectKind, member: MemberKind) -> Option<IdKind> {
    match (object, member) {
        (ObjectKind::Table, MemberKind::Field) => Some(IdKind::OwnTableField),
        (ObjectKind::TableExtension, MemberKind::Field) => Some(IdKind::TableExtensionField),
        (ObjectKind::Enum, MemberKind::EnumValue) => Some(IdKind::OwnEnumValue),
        (ObjectKind::EnumExtension, MemberKind::EnumValue) => Some(IdKind::EnumExtensionValue),
        _ => None,
    }
}

/// The members that need a new ID, in declaration order; the IDs that extension members
/// keep are taken from their app-wide pools.
fn pending_members(
    req: &MoveRequest<'_>,
    rules: &MoveRules,
    tableext_pool: &mut Pool,
    enumext_pool: &mut Pool,
) -> Vec<PendingMember> {
    let mut pending: Vec<PendingMember> = Vec::new();
    for (oi, o) in req.objects.iter().enumerate() {
        for (mi, m) in o.members.iter().enumerate() {
            let Some(kind) = member_id_kind(o.kind, m.kind) else {
                continue;
            };
            let Some(id) = m.id else { continue };
            let renumber = needs_new_id(req, rules, kind, id);
            if renumber {
                pending.push((oi, mi, kind, id));
            }
            // Side by side, no new ID may be one the old app holds.
            if !renumber || req.side_by_side {
                match kind {
                    IdKind::TableExtensionField => {
                        tableext_pool.used.insert(id);
                    }
                    IdKind::EnumExtensionValue => {
                        enumext_pool.used.insert(id);
                    }
                    _ => {}
                }
            }
        }
    }
    pending
}

/// Step "affix the names": every object lacking the target affix gets it (shortened to
/// the kind's length limit, names unique per object type), and so do the members that
/// need one (names unique per object).
fn affixed_names(
    req: &MoveRequest<'_>,
    rules: &MoveRules,
    affix: &str,
) -> Result<Vec<NameChange>, MoveError> {
    let mut names = Vec::new();
    let target_affix = Affixes::new([affix]);
    let mut taken: BTreeMap<ObjectKind, BTreeSet<String>> = BTreeMap::new();
    for o in req.objects {
        taken
            .entry(o.kind)
            .or_default()
            .insert(strip_quotes(&o.name).to_lowercase());
    }
    for o in req.objects {
        let old = strip_quotes(&o.name).to_string();
        // An object in a namespace of at least two levels needs no affix
        // (the docs accept it instead); renaming for side-by-side use
        // still applies, since both apps would share the namespace.
        let namespaced = rules.rename_for_side_by_side != Requirement::Required
            && namespace_has_two_levels(o.namespace.as_deref());
        if o.kind != ObjectKind::DotNet && !namespaced && !target_affix.has_affix(&old) {
            let set = taken.entry(o.kind).or_default();
            affix_object(req, affix, o, &old, set, &mut names)?;
        }
        affix_members(req, affix, &target_affix, o, &old, &mut names)?;
    }
    Ok(names)
}

/// The affixed name of object `o` (`old`, unquoted), unique among the names `taken` of
/// its type, added to `names` when it differs.
fn affix_object(
    req: &MoveRequest<'_>,
    affix: &str,
    o: &ObjectDecl,
    old: &str,
    taken: &mut BTreeSet<String>,
    names: &mut Vec<NameChange>,
) -> Result<(), MoveError> {
    let base = strip_affixes(old, &req.old_affixes);
    taken.remove(&old.to_lowercase());
    let new =
        shorten(&base, affix, req.affix_position, object_limit(o), taken).map_err(|source| {
            MoveError::Shorten {
                name: old.to_string(),
                source,
            }
        })?;
    taken.insert(new.to_lowercase());
    if new != old {
        names.push(NameChange {
            object_kind: o.kind,
            object: old.to_string(),
            member: None,
            old: old.to_string(),
            new,
        });
    }
    Ok(())
}

/// The affixed names of the members of object `o` (old name `old`) that need the target
/// affix, unique on the object, added to `names` when they differ.
fn affix_members(
    req: &MoveRequest<'_>,
    affix: &str,
    target_affix: &Affixes,
    o: &ObjectDecl,
    old: &str,
    names: &mut Vec<NameChange>,
) -> Result<(), MoveError> {
    // Unknown owners are treated as another publisher's: the move affixes strictly.
    let other_pub = o.owner() != crate::checks::source::Owner::Same;
    let to_affix: Vec<&crate::checks::source::MemberDecl> = o
        .members
        .iter()
        .filter(|m| {
            let target = crate::checks::source::member_affix_target(o.kind, m);
            affix_rule(target, other_pub, false).is_some()
                && !target_affix.has_affix(strip_quotes(&m.name))
        })
        .collect();
    // The names taken on the object, only for objects with members to rename
    // (most of a large app's objects have none).
    let mut member_taken: BTreeSet<String> = if to_affix.is_empty() {
        BTreeSet::new()
    } else {
        o.members
            .iter()
            .map(|m| strip_quotes(&m.name).to_lowercase())
            .collect()
    };
    // Members of one name in different namespaces of the object (a report extension's
    // column and request-page field `NoCopies`) get one new name: the rename by name reaches
    // them all.
    let mut done: BTreeSet<String> = BTreeSet::new();
    for m in to_affix {
        let mold = strip_quotes(&m.name).to_string();
        if !done.insert(mold.to_lowercase()) {
            continue;
        }
        let base = strip_affixes(&mold, &req.old_affixes);
        member_taken.remove(&mold.to_lowercase());
        let new = shorten(
            &base,
            affix,
            req.affix_position,
            member_limit(m),
            &member_taken,
        )
        .map_err(|source| MoveError::Shorten {
            name: mold.clone(),
            source,
        })?;
        member_taken.insert(new.to_lowercase());
        if new != mold {
            names.push(NameChange {
                object_kind: o.kind,
                object: old.to_string(),
                member: Some(mold.clone()),
                old: mold,
                new,
            });
        }
    }
    Ok(())
}

/// Step "the new identity": the new app id (when used and different), the new version
/// (when the identity must differ) and the `idRanges` to write (when they change).
fn identity(
    req: &MoveRequest<'_>,
    rules: &MoveRules,
) -> (Option<String>, Option<AppVersion>, Vec<IdRange>) {
    let new_id = if rules.new_id == Requirement::No {
        None
    } else {
        req.new_id
            .clone()
            .filter(|id| !same_id(req.current.id.as_deref(), id))
    };
    let new_version = if rules.identity_must_differ {
        req.current.version.map(next_major)
    } else {
        None
    };
    let id_ranges =
        if rules.renumber == Renumber::No || same_ranges(&req.target_ranges, &req.current.ranges) {
            Vec::new()
        } else {
            req.target_ranges.clone()
        };
    (new_id, new_version, id_ranges)
}

/// Step "the consequences": what the move means for data and installations.
fn consequences(req: &MoveRequest<'_>, rules: &MoveRules, new_id: &Option<String>) -> Vec<String> {
    let mut consequences = Vec::new();
    if rules.data_lost_on_switch {
        consequences.push(
            "data is keyed by app id: environments that switch from the old app to the new one do not get the old app's data, unless it is migrated side by side (install both, copy with a third app that depends on both)"
                .to_string(),
        );
    }
    if new_id.is_some() && !rules.data_lost_on_switch {
        consequences.push(
            "data is keyed by app id: with the new id the app starts without the old app's data"
                .to_string(),
        );
    }
    if req.from == Scope::Dev && rules.new_id == Requirement::Required {
        consequences.push(
            "alternative to a new id: uninstall and unpublish the DEV extension with the 'delete data and schema' option (its data is deleted)"
                .to_string(),
        );
    }
    if rules.update_dependents {
        consequences.push(
            "dependent apps keep pointing at the old app until their dependency id and references are updated"
                .to_string(),
        );
    }
    consequences
}

pub(super) fn same_id(current: Option<&str>, new: &str) -> bool {
    current.is_some_and(|c| {
        c.trim()
            .trim_matches(|ch| ch == '{' || ch == '}')
            .eq_ignore_ascii_case(new.trim().trim_matches(|ch| ch == '{' || ch == '}'))
    })
}

pub(super) fn same_ranges(a: &[IdRange], b: &[IdRange]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}

pub(super) fn step(
    kind: StepKind,
    requirement: Requirement,
    text: String,
    count: Option<usize>,
) -> PlanStep {
    PlanStep {
        kind,
        requirement,
        text,
        count,
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn steps_for(
    rules: &MoveRules,
    req: &MoveRequest<'_>,
    new_id: &Option<String>,
    new_version: Option<AppVersion>,
    id_ranges: &[IdRange],
    object_ids: &[ObjectIdChange],
    member_ids: &[MemberIdChange],
    names: &[NameChange],
) -> Vec<PlanStep> {
    use crate::move_engine::request::Requirement::{Recommended, Required};
    let mut steps = Vec::new();
    match (rules.new_id, new_id) {
        (Requirement::No, _) => {}
        (r, Some(id)) => steps.push(step(
            StepKind::NewId,
            r,
            format!("set app.json id to {id}"),
            None,
        )),
        (r, None) => {
            if req.new_id.is_none() {
                steps.push(step(
                    StepKind::NewId,
                    r,
                    "use a new app id".to_string(),
                    None,
                ));
            }
        }
    }
    if rules.identity_must_differ {
        let text = match new_version {
            Some(v) => format!(
                "set app.json version to {v} (name, publisher or version must differ from the old app)"
            ),
            None => "make name, publisher or version differ from the old app".to_string(),
        };
        steps.push(step(StepKind::Identity, Required, text, None));
    }
    if !id_ranges.is_empty() {
        let current_bad = req.current.ranges.is_empty()
            || req
                .current
                .ranges
                .iter()
                .any(|r| !declared_range_allowed(req.to, r));
        let parts: Vec<String> = id_ranges.iter().map(ToString::to_string).collect();
        steps.push(step(
            StepKind::IdRanges,
            if current_bad || rules.renumber == Renumber::All {
                Required
            } else {
                Recommended
            },
            format!("set app.json idRanges to {}", parts.join(", ")),
            None,
        ));
    }
    if !object_ids.is_empty() || !member_ids.is_empty() {
        steps.push(step(
            StepKind::Renumber,
            Required,
            format!(
                "renumber {} object(s) and {} field(s)/value(s), and every reference to them",
                object_ids.len(),
                member_ids.len()
            ),
            Some(object_ids.len() + member_ids.len()),
        ));
    }
    if !names.is_empty() {
        let objects = names.iter().filter(|n| n.member.is_none()).count();
        let requirement = if rules.add_affixes || rules.rename_for_side_by_side == Required {
            Required
        } else {
            Recommended
        };
        steps.push(step(
            StepKind::Rename,
            requirement,
            format!(
                "rename {objects} object(s) and {} member(s) and every reference to them",
                names.len() - objects
            ),
            Some(names.len()),
        ));
    }
    if let Some(cop) = rules.cop {
        steps.push(step(
            StepKind::Cop,
            Required,
            format!("enable {cop:?} and fix its findings"),
            None,
        ));
    }
    if rules.update_dependents {
        steps.push(step(
            StepKind::Dependents,
            Required,
            "update dependent apps: dependency id and references to renamed or renumbered objects"
                .to_string(),
            None,
        ));
    }
    steps
}

/// Builds the plan from a mapping (a reverse move swaps old and new).
pub(super) fn plan_from_mapping(m: &MoveMapping, reverse: bool) -> MovePlan {
    let mut plan = MovePlan {
        rules: move_rules(Scope::Dev, Scope::Dev),
        new_id: None,
        new_version: None,
        id_ranges: Vec::new(),
        object_ids: Vec::new(),
        member_ids: Vec::new(),
        names: Vec::new(),
        steps: Vec::new(),
        consequences: Vec::new(),
    };
    let pick = |a: &str, b: &str| {
        if reverse {
            b.to_string()
        } else {
            a.to_string()
        }
    };
    // The object's current name (new name after the move, for a reverse).
    let current_object = |kind: &str, object: &str| -> String {
        if !reverse {
            return object.to_string();
        }
        m.mapping
            .iter()
            .find(|e| {
                e.kind == "object"
                    && e.object_kind == kind
                    && e.object.trim().eq_ignore_ascii_case(object.trim())
            })
            .map_or_else(|| object.to_string(), |e| e.new_name.clone())
    };
    for e in &m.mapping {
        let Some(kind) = e.object_kind.parse::<ObjectKind>().ok() else {
            continue;
        };
        let object = current_object(&e.object_kind, &e.object);
        let (old_name, new_name) = (
            pick(&e.old_name, &e.new_name),
            pick(&e.new_name, &e.old_name),
        );
        let ids = match (e.old_id, e.new_id) {
            (Some(a), Some(b)) if a != b => Some(if reverse { (b, a) } else { (a, b) }),
            _ => None,
        };
        if e.kind == "object" {
            if let Some((old, new)) = ids {
                plan.object_ids.push(ObjectIdChange {
                    kind,
                    name: old_name.clone(),
                    old,
                    new,
                });
            }
            if e.old_name != e.new_name {
                plan.names.push(NameChange {
                    object_kind: kind,
                    object: old_name.clone(),
                    member: None,
                    old: old_name,
                    new: new_name,
                });
            }
        } else {
            if let Some((old, new)) = ids {
                plan.member_ids.push(MemberIdChange {
                    object_kind: kind,
                    object: object.clone(),
                    member: old_name.clone(),
                    old,
                    new,
                });
            }
            if e.old_name != e.new_name {
                plan.names.push(NameChange {
                    object_kind: kind,
                    object,
                    member: Some(old_name.clone()),
                    old: old_name,
                    new: new_name,
                });
            }
        }
    }
    plan
}

/// Applies an explicit (forward) mapping and the user's names on top of `plan`.
pub(super) fn override_plan(
    plan: &mut MovePlan,
    mapping: Option<&MoveMapping>,
    names: &BTreeMap<String, String>,
    objects: &[ObjectDecl],
) -> Result<(), MoveError> {
    if let Some(m) = mapping {
        for e in &m.mapping {
            let (Some(old), Some(new)) = (e.old_id, e.new_id) else {
                continue;
            };
            if e.kind == "object" {
                let kind = e.object_kind.parse::<ObjectKind>().ok().ok_or_else(|| {
                    MoveError::Input(format!("mapping: unknown object type {:?}", e.object_kind))
                })?;
                let Some(o) = objects.iter().find(|o| o.kind == kind && o.id == Some(old)) else {
                    return Err(MoveError::Input(format!(
                        "mapping: no {} {old} in the project",
                        kind.as_str()
                    )));
                };
                plan.object_ids
                    .retain(|c| !(c.kind == kind && c.old == old));
                if old != new {
                    plan.object_ids.push(ObjectIdChange {
                        kind,
                        name: o.name.clone(),
                        old,
                        new,
                    });
                }
            } else {
                let mut hit = false;
                for o in objects.iter().filter(|o| {
                    o.extends.is_some()
                        && (e.object.is_empty()
                            || o.id.map(|i| i.to_string()).as_deref() == Some(e.object.as_str())
                            || o.name.eq_ignore_ascii_case(&e.object))
                }) {
                    // A `field` row renumbers fields, a `value` row enum values: an enum
                    // extension may share the table extension's old ID and a value's ID.
                    let of_kind = |x: &&MemberDecl| x.id == Some(old) && x.kind.keyword() == e.kind;
                    for mem in o.members.iter().filter(of_kind) {
                        hit = true;
                        plan.member_ids.retain(|c| {
                            !(c.object_kind == o.kind && c.object == o.name && c.old == old)
                        });
                        if old != new {
                            plan.member_ids.push(MemberIdChange {
                                object_kind: o.kind,
                                object: o.name.clone(),
                                member: mem.name.clone(),
                                old,
                                new,
                            });
                        }
                    }
                }
                if !hit {
                    return Err(MoveError::Input(format!(
                        "mapping: no extension {} with ID {old}{}",
                        e.kind,
                        if e.object.is_empty() {
                            String::new()
                        } else {
                            format!(" in object {}", e.object)
                        }
                    )));
                }
            }
        }
        // Names from a JSON mapping.
        for e in m
            .mapping
            .iter()
            .filter(|e| e.old_name != e.new_name && !e.old_name.is_empty())
        {
            let mut names = BTreeMap::new();
            names.insert(e.old_name.clone(), e.new_name.clone());
            apply_names(plan, &names, objects);
        }
    }
    apply_names(plan, names, objects);
    Ok(())
}

pub(super) fn apply_names(
    plan: &mut MovePlan,
    names: &BTreeMap<String, String>,
    objects: &[ObjectDecl],
) {
    for (old, new) in names {
        let mut found = false;
        for n in plan.names.iter_mut() {
            if n.old.eq_ignore_ascii_case(old) {
                n.new = new.clone();
                found = true;
            }
        }
        if found {
            continue;
        }
        // Not renamed by the plan: rename the object(s) of that name.
        for o in objects
            .iter()
            .filter(|o| unquote(&o.name) == old.to_lowercase())
        {
            plan.names.push(NameChange {
                object_kind: o.kind,
                object: o.name.clone(),
                member: None,
                old: crate::move_engine::edits::strip(&o.name).to_string(),
                new: new.clone(),
            });
        }
    }
}

/// Stage "plan": the plan of `request` over `objects` — taken from the mapping for a reverse
/// move, else made by [`plan_move`] and overridden by the mapping and names the user gave.
pub(super) fn make(
    request: &Request,
    objects: &[ObjectDecl],
    opts: &MoveOptions,
) -> Result<MovePlan, MoveError> {
    if opts.reverse {
        return Ok(plan_from_mapping(
            opts.mapping.as_ref().unwrap_or(&MoveMapping::default()),
            true,
        ));
    }
    let mut plan = plan_move(&MoveRequest {
        from: request.from,
        to: request.to,
        objects,
        target_ranges: request.target_ranges.clone(),
        affix: request.affix.clone(),
        affix_position: request.affix_position,
        old_affixes: request.old_affixes.clone(),
        new_id: request.wants_new_id.then(|| request.proposed_id.clone()),
        current: CurrentApp {
            id: Some(request.app.id.to_string()),
            version: Some(request.app.version),
            ranges: request.current_ranges.clone(),
        },
        side_by_side: opts.side_by_side,
    })?;
    if let Some(m) = &opts.mapping {
        check_mapping_rows(m, &request.target_ranges)?;
    }
    override_plan(&mut plan, opts.mapping.as_ref(), &opts.names, objects)?;
    // A name the user gave that renames nothing is refused, not ignored.
    let unused: Vec<String> = opts
        .names
        .iter()
        .filter(|(old, new)| {
            !plan
                .names
                .iter()
                .any(|n| n.new == **new && n.old.eq_ignore_ascii_case(old))
        })
        .map(|(old, _)| format!("{old:?}"))
        .collect();
    if !unused.is_empty() {
        return Err(MoveError::Input(format!(
            "names: {} name(s) no object of the app has and no member the move renames: {}",
            unused.len(),
            unused.join(", ")
        )));
    }
    check_unique(&plan, objects)?;
    Ok(plan)
}

/// A mapping row as the user wrote it (`type,oldId,newId[,object]`).
fn row_text(e: &crate::move_engine::MappingEntry) -> String {
    let id = |i: Option<u32>| i.map_or_else(String::new, |n| n.to_string());
    let kind = if e.kind == "object" {
        e.object_kind.as_str()
    } else {
        e.kind.as_str()
    };
    let mut t = format!("{kind},{},{}", id(e.old_id), id(e.new_id));
    if e.kind != "object" && !e.object.is_empty() {
        t.push(',');
        t.push_str(&e.object);
    }
    t
}

/// Refuses `--mapping` rows that repeat a row, give two objects (or two fields of one
/// object) one ID, or give an ID outside the target ranges; the rows are named.
fn check_mapping_rows(m: &MoveMapping, ranges: &[IdRange]) -> Result<(), MoveError> {
    let mut problems = Vec::new();
    let mut old_seen: BTreeMap<(String, String, String, u32), String> = BTreeMap::new();
    let mut new_seen: BTreeMap<(String, String, String, u32), String> = BTreeMap::new();
    for e in &m.mapping {
        let (Some(old), Some(new)) = (e.old_id, e.new_id) else {
            continue;
        };
        let row = row_text(e);
        let group = |id| {
            (
                e.kind.to_ascii_lowercase(),
                e.object_kind.to_ascii_lowercase(),
                e.object.to_ascii_lowercase(),
                id,
            )
        };
        if let Some(first) = old_seen.insert(group(old), row.clone()) {
            if first == row {
                problems.push(format!("row {row:?} is given twice"));
            } else {
                problems.push(format!("rows {first:?} and {row:?} map the same ID {old}"));
            }
            continue;
        }
        if let Some(first) = new_seen.insert(group(new), row.clone()) {
            problems.push(format!(
                "rows {first:?} and {row:?} give two symbols the ID {new}"
            ));
        }
        if old != new && !ranges.is_empty() && !ranges.iter().any(|r| r.contains(new)) {
            problems.push(format!(
                "row {row:?}: ID {new} is outside the target ranges {}",
                crate::move_engine::report::ranges_text(ranges)
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(MoveError::Input(format!(
            "mapping: {}",
            problems.join("; ")
        )))
    }
}

/// Refuses a plan (after `--mapping` and `--names`) that gives two objects of one type, or
/// two members of one object, one name or one ID; the symbols are named.
fn check_unique(plan: &MovePlan, objects: &[ObjectDecl]) -> Result<(), MoveError> {
    use std::collections::HashMap;
    let mut problems = Vec::new();
    // Indexes of the plan (a base app has tens of thousands of names): one pass each.
    let mut object_names: HashMap<(ObjectKind, &str), &str> = HashMap::new();
    let mut member_renames: HashMap<(ObjectKind, &str, String), &str> = HashMap::new();
    for n in &plan.names {
        match &n.member {
            None => {
                object_names
                    .entry((n.object_kind, n.object.as_str()))
                    .or_insert(n.new.as_str());
            }
            Some(m) => {
                member_renames
                    .entry((
                        n.object_kind,
                        n.object.as_str(),
                        strip_quotes(m).to_lowercase(),
                    ))
                    .or_insert(n.new.as_str());
            }
        }
    }
    let object_ids: HashMap<(ObjectKind, u32), u32> = plan
        .object_ids
        .iter()
        .map(|c| ((c.kind, c.old), c.new))
        .collect();
    let member_renumbers: HashMap<(ObjectKind, &str, &str, u32), u32> = plan
        .member_ids
        .iter()
        .map(|c| {
            (
                (c.object_kind, c.object.as_str(), c.member.as_str(), c.old),
                c.new,
            )
        })
        .collect();
    let object_name = |o: &ObjectDecl| {
        object_names
            .get(&(o.kind, o.name.as_str()))
            .map(|n| ((*n).to_string(), true))
            .unwrap_or_else(|| (strip_quotes(&o.name).to_string(), false))
    };
    let object_id = |o: &ObjectDecl| {
        o.id.map(|id| {
            object_ids
                .get(&(o.kind, id))
                .map_or((id, false), |new| (*new, true))
        })
    };
    let mut names: BTreeMap<(ObjectKind, String), (&ObjectDecl, bool)> = BTreeMap::new();
    let mut ids: BTreeMap<(ObjectKind, u32), (&ObjectDecl, bool)> = BTreeMap::new();
    for o in objects {
        let (name, renamed) = object_name(o);
        if let Some((first, r0)) = names.insert((o.kind, name.to_lowercase()), (o, renamed))
            && (renamed || r0)
        {
            problems.push(format!(
                "{k} {:?} and {k} {:?} would both be named {name:?}",
                first.name,
                o.name,
                k = o.kind.as_str()
            ));
        }
        if let Some((id, changed)) = object_id(o)
            && let Some((first, c0)) = ids.insert((o.kind, id), (o, changed))
            && (changed || c0)
        {
            problems.push(format!(
                "{k} {:?} and {k} {:?} would both get the ID {id}",
                first.name,
                o.name,
                k = o.kind.as_str()
            ));
        }
        let mut member_names: BTreeMap<(String, String), (&MemberDecl, bool)> = BTreeMap::new();
        let mut member_ids: BTreeMap<(String, u32), (&MemberDecl, bool)> = BTreeMap::new();
        // Procedures may be overloaded, triggers and changes repeat names: only members
        // whose names must be unique in their object are compared.
        for m in o.members.iter().filter(|m| {
            matches!(
                m.kind,
                MemberKind::Field
                    | MemberKind::Key
                    | MemberKind::FieldGroup
                    | MemberKind::EnumValue
                    | MemberKind::Control
                    | MemberKind::Action
                    | MemberKind::DataItem
                    | MemberKind::Column
            )
        }) {
            let renamed = member_renames
                .get(&(
                    o.kind,
                    o.name.as_str(),
                    strip_quotes(&m.name).to_lowercase(),
                ))
                .copied();
            let name = renamed.map_or_else(|| strip_quotes(&m.name).to_string(), str::to_string);
            let group = m.kind.keyword().to_string();
            if let Some((first, r0)) =
                member_names.insert((group.clone(), name.to_lowercase()), (m, renamed.is_some()))
                && (renamed.is_some() || r0)
            {
                problems.push(format!(
                    "{} {:?}: {group} {:?} and {group} {:?} would both be named {name:?}",
                    o.kind.as_str(),
                    o.name,
                    first.name,
                    m.name
                ));
            }
            if let Some(id) = m.id {
                let changed = member_renumbers.get(&(o.kind, o.name.as_str(), m.name.as_str(), id));
                let new = changed.copied().unwrap_or(id);
                if let Some((first, c0)) =
                    member_ids.insert((group.clone(), new), (m, changed.is_some()))
                    && (changed.is_some() || c0)
                {
                    problems.push(format!(
                        "{} {:?}: {group} {:?} and {group} {:?} would both get the ID {new}",
                        o.kind.as_str(),
                        o.name,
                        first.name,
                        m.name
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(MoveError::Input(format!(
            "names and IDs must stay unique: {}",
            problems.join("; ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::source::{Extends, MemberDecl};
    use crate::move_engine::request::{CurrentApp, default_target_ranges, infer_scope};
    use crate::ranges::{APPSOURCE_APP, PER_TENANT};

    const NEW_ID: &str = "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0";

    fn loyalty() -> Vec<ObjectDecl> {
        let mut tier = ObjectDecl::new(ObjectKind::Table, Some(50100), "\"Loyalty Tier\"", "t.al");
        tier.members = vec![
            MemberDecl::new(MemberKind::Field, Some(1), "Code"),
            MemberDecl::new(MemberKind::Field, Some(50_000), "Legacy"),
        ];
        let mut cust = ObjectDecl::new(
            ObjectKind::TableExtension,
            Some(50100),
            "Customer Loyalty",
            "c.al",
        );
        cust.extends = Some(Extends {
            target: "Customer".into(),
            owner: crate::checks::source::Owner::Other,
        });
        cust.members = vec![
            MemberDecl::new(MemberKind::Field, Some(50101), "Loyalty Points"),
            MemberDecl::new(MemberKind::Field, Some(50100), "Loyalty Tier Code"),
            MemberDecl::new(MemberKind::Key, None, "PointsKey"),
        ];
        let mut ee = ObjectDecl::new(
            ObjectKind::EnumExtension,
            Some(50100),
            "Sales Line Type Loyalty",
            "e.al",
        );
        ee.members = vec![MemberDecl::new(
            MemberKind::EnumValue,
            Some(50100),
            "Loyalty Points",
        )];
        vec![
            tier,
            cust,
            ee,
            ObjectDecl::new(
                ObjectKind::Codeunit,
                Some(50101),
                "Loyalty Management",
                "m.al",
            ),
            ObjectDecl::new(
                ObjectKind::Codeunit,
                Some(50100),
                "Loyalty Points Ledger Posting",
                "p.al",
            ),
        ]
    }

    fn req<'a>(
        objects: &'a [ObjectDecl],
        from: Scope,
        to: Scope,
        ranges: Vec<IdRange>,
    ) -> MoveRequest<'a> {
        MoveRequest {
            from,
            to,
            objects,
            target_ranges: ranges,
            affix: Some("CLP".into()),
            affix_position: AffixPosition::Prefix,
            old_affixes: Affixes::default(),
            new_id: Some(NEW_ID.into()),
            current: CurrentApp::default(),
            side_by_side: false,
        }
    }

    /// Side by side (a data migration), IDs the old app holds are never kept or reused,
    /// even inside the target range (hougaard's Preprocesor: a table already at 70050100
    /// in a range 70000000..70099999 clashed with the old app); without it they are kept.
    #[test]
    fn side_by_side_takes_new_ids_for_everything_the_old_app_holds() {
        let mut enum_ext =
            ObjectDecl::new(ObjectKind::EnumExtension, Some(70_000_005), "Ext", "e.al");
        enum_ext.extends = Some(crate::checks::source::Extends {
            target: "Sales Line Type".into(),
            owner: crate::checks::source::Owner::Other,
        });
        enum_ext.members = vec![MemberDecl::new(
            MemberKind::EnumValue,
            Some(70_000_000),
            "Gold",
        )];
        let objects = vec![
            ObjectDecl::new(ObjectKind::Table, Some(70_050_100), "Preprocessor", "t.al"),
            ObjectDecl::new(ObjectKind::Table, Some(70_000_000), "Second", "s.al"),
            ObjectDecl::new(ObjectKind::Codeunit, Some(50_100), "Mgt", "c.al"),
            enum_ext,
        ];
        let range = vec![IdRange::new(70_000_000, 70_099_999)];
        let alone = plan_move(&req(&objects, Scope::Dev, Scope::APPSOURCE, range.clone())).unwrap();
        let moved: Vec<(u32, u32)> = alone.object_ids.iter().map(|c| (c.old, c.new)).collect();
        assert_eq!(moved, [(50_100, 70_000_000)]);
        assert!(alone.member_ids.is_empty());
        let mut r = req(&objects, Scope::Dev, Scope::APPSOURCE, range);
        r.side_by_side = true;
        let plan = plan_move(&r).unwrap();
        let mut moved: Vec<(u32, u32)> = plan.object_ids.iter().map(|c| (c.old, c.new)).collect();
        moved.sort();
        // Per object type: the tables skip 70000000 (the old app's), none keeps its ID.
        assert_eq!(
            moved,
            [
                (50_100, 70_000_000),
                (70_000_000, 70_000_001),
                (70_000_005, 70_000_000),
                (70_050_100, 70_000_002)
            ]
        );
        let values: Vec<(u32, u32)> = plan.member_ids.iter().map(|c| (c.old, c.new)).collect();
        assert_eq!(values, [(70_000_000, 70_000_001)]);
    }

    #[test]
    fn six_moves() {
        use Requirement::*;
        let a = Scope::APPSOURCE;
        let table = [
            (Scope::Pte, a, Required, Renumber::All, true),
            (Scope::Dev, a, Required, Renumber::OutsideTarget, true),
            (a, Scope::Dev, Recommended, Renumber::No, false),
            (Scope::Pte, Scope::Dev, No, Renumber::No, false),
            (Scope::Dev, Scope::Pte, No, Renumber::OutsideTarget, false),
            (a, Scope::Pte, Required, Renumber::All, false),
        ];
        for (from, to, id, renumber, affixes) in table {
            let r = move_rules(from, to);
            assert_eq!(
                (r.new_id, r.renumber, r.add_affixes),
                (id, renumber, affixes),
                "{from}->{to}"
            );
        }
        assert_eq!(move_rules(a, Scope::Pte).rename_for_side_by_side, Required);
        assert_eq!(move_rules(Scope::Pte, Scope::OnPremGlobal).new_id, No);
    }

    #[test]
    fn pte_to_appsource_plan() {
        let objects = loyalty();
        let plan = plan_move(&req(
            &objects,
            Scope::Pte,
            Scope::APPSOURCE,
            vec![IdRange::new(70_000_000, 70_000_099)],
        ))
        .unwrap();
        let ids: Vec<(ObjectKind, u32, u32)> = plan
            .object_ids
            .iter()
            .map(|c| (c.kind, c.old, c.new))
            .collect();
        assert_eq!(
            ids,
            vec![
                (ObjectKind::Table, 50100, 70_000_000),
                (ObjectKind::TableExtension, 50100, 70_000_000),
                (ObjectKind::Codeunit, 50100, 70_000_000),
                (ObjectKind::Codeunit, 50101, 70_000_001),
                (ObjectKind::EnumExtension, 50100, 70_000_000),
            ]
        );
        let members: Vec<(&str, u32, u32)> = plan
            .member_ids
            .iter()
            .map(|c| (c.member.as_str(), c.old, c.new))
            .collect();
        // own field 1 stays (0..49,999 allowed); own field 50,000 moves; extension fields from one pool.
        assert_eq!(
            members,
            vec![
                ("Legacy", 50_000, 70_000_000),
                ("Loyalty Tier Code", 50100, 70_000_000),
                ("Loyalty Points", 50101, 70_000_001),
                ("Loyalty Points", 50100, 70_000_000),
            ]
        );
        let names: Vec<(&str, &str)> = plan
            .names
            .iter()
            .map(|n| (n.old.as_str(), n.new.as_str()))
            .collect();
        assert!(names.contains(&("Loyalty Tier", "CLP Loyalty Tier")));
        assert!(names.contains(&("PointsKey", "CLPPointsKey")));
        assert!(names.contains(&(
            "Loyalty Points Ledger Posting",
            "CLPLoyalty Points Ledg. Postng"
        )));
        assert!(plan.names.iter().all(|n| n.new.chars().count() <= 30));
        assert_eq!(plan.new_id.as_deref(), Some(NEW_ID));
        assert!(!plan.steps.is_empty());
        let json = serde_json::to_value(&plan).unwrap();
        assert_eq!(json["rules"]["from"], "pte");
        assert_eq!(json["objectIds"][0]["kind"], "table");
        // Deterministic.
        assert_eq!(
            plan,
            plan_move(&req(
                &objects,
                Scope::Pte,
                Scope::APPSOURCE,
                vec![IdRange::new(70_000_000, 70_000_099)]
            ))
            .unwrap()
        );
    }

    #[test]
    fn appsource_to_pte_strips_old_affix() {
        let objects = vec![ObjectDecl::new(
            ObjectKind::Codeunit,
            Some(70_000_000),
            "CLP Loyalty Management",
            "m.al",
        )];
        let mut r = req(
            &objects,
            Scope::APPSOURCE,
            Scope::Pte,
            vec![IdRange::new(50_100, 50_149)],
        );
        r.affix = Some("PTE".into());
        r.affix_position = AffixPosition::Suffix;
        r.old_affixes = Affixes::new(["CLP"]);
        let plan = plan_move(&r).unwrap();
        assert_eq!(plan.names[0].new, "Loyalty Management PTE");
        assert_eq!(plan.object_ids[0].new, 50_100);
    }

    #[test]
    fn errors() {
        let objects = loyalty();
        let mut r = req(
            &objects,
            Scope::Pte,
            Scope::APPSOURCE,
            vec![IdRange::new(70_000_000, 70_000_000)],
        );
        assert!(matches!(plan_move(&r), Err(MoveError::OutOfIds { .. })));
        r.new_id = None;
        assert!(matches!(plan_move(&r), Err(MoveError::NewIdMissing { .. })));
        r.new_id = Some(NEW_ID.into());
        r.affix = None;
        assert!(matches!(plan_move(&r), Err(MoveError::AffixMissing(_))));
    }

    #[test]
    fn pte_to_dev_changes_nothing() {
        let objects = loyalty();
        let mut r = req(&objects, Scope::Pte, Scope::Dev, vec![]);
        r.new_id = None;
        let plan = plan_move(&r).unwrap();
        assert!(plan.object_ids.is_empty() && plan.names.is_empty() && plan.new_id.is_none());
    }

    #[test]
    fn namespaced_objects_keep_their_names_but_members_get_the_affix() {
        let mut objects = loyalty();
        for o in &mut objects {
            o.namespace = Some("Contoso.Loyalty".into());
        }
        let plan = plan_move(&req(
            &objects,
            Scope::Pte,
            Scope::APPSOURCE,
            vec![IdRange::new(70_000_000, 70_000_099)],
        ))
        .unwrap();
        assert!(
            plan.names.iter().all(|n| n.member.is_some()),
            "{:?}",
            plan.names
        );
        assert!(plan.names.iter().any(|n| n.new == "CLP Loyalty Points"));
        // Side-by-side renaming (AppSource -> PTE) still renames them.
        let mut r = req(
            &objects,
            Scope::APPSOURCE,
            Scope::Pte,
            vec![IdRange::new(50_000, 50_099)],
        );
        r.affix = Some("PTE".into());
        let plan = plan_move(&r).unwrap();
        assert!(plan.names.iter().any(|n| n.member.is_none()));
    }

    #[test]
    fn applied_identity_leaves_no_app_json_steps() {
        let objects = loyalty();
        let mut r = req(
            &objects,
            Scope::Pte,
            Scope::APPSOURCE,
            vec![IdRange::new(70_000_000, 70_000_099)],
        );
        r.current = CurrentApp {
            id: Some("5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11".into()),
            version: Some(AppVersion::new(1, 2, 0, 0)),
            ranges: vec![IdRange::new(50_100, 50_149)],
        };
        let plan = plan_move(&r).unwrap();
        let kinds: Vec<StepKind> = plan.steps.iter().map(|s| s.kind).collect();
        assert_eq!(
            &kinds[..3],
            &[StepKind::NewId, StepKind::Identity, StepKind::IdRanges]
        );
        assert_eq!(plan.new_version, Some(AppVersion::new(2, 0, 0, 0)));
        // Apply, then plan within the target scope: nothing left for app.json.
        r.from = Scope::APPSOURCE;
        r.current = CurrentApp {
            id: plan.new_id.clone(),
            version: plan.new_version,
            ranges: plan.id_ranges.clone(),
        };
        let again = plan_move(&r).unwrap();
        assert!(
            again.steps.iter().all(|s| !s.kind.is_app_json()),
            "{:?}",
            again.steps
        );
        assert!(again.id_ranges.is_empty() && again.new_id.is_none());
        assert_eq!(infer_scope(&plan.id_ranges), Scope::APPSOURCE);
    }

    #[test]
    fn default_ranges_per_move() {
        let pte = [IdRange::new(50_100, 50_149)];
        let app = [IdRange::new(70_000_000, 70_000_099)];
        assert_eq!(
            default_target_ranges(Scope::Pte, Scope::APPSOURCE, &pte),
            vec![APPSOURCE_APP]
        );
        assert_eq!(
            default_target_ranges(Scope::APPSOURCE, Scope::Pte, &app),
            vec![PER_TENANT]
        );
        assert_eq!(
            default_target_ranges(Scope::Dev, Scope::Pte, &pte),
            pte.to_vec()
        );
        assert_eq!(
            default_target_ranges(Scope::Dev, Scope::Pte, &[]),
            vec![PER_TENANT]
        );
        assert_eq!(
            default_target_ranges(Scope::APPSOURCE, Scope::Dev, &app),
            app.to_vec()
        );
        assert_eq!(infer_scope(&[IdRange::new(1, 10)]), Scope::Dev);
        assert_eq!(
            infer_scope(&[
                IdRange::new(50_000, 50_010),
                IdRange::new(70_000_000, 70_000_010)
            ]),
            Scope::Dev
        );
    }

    #[test]
    fn consequences_name_data_and_the_dev_alternative() {
        let objects = loyalty();
        let plan = plan_move(&req(
            &objects,
            Scope::Dev,
            Scope::APPSOURCE,
            vec![IdRange::new(70_000_000, 70_000_099)],
        ))
        .unwrap();
        assert!(
            plan.consequences
                .iter()
                .any(|c| c.contains("keyed by app id"))
        );
        assert!(
            plan.consequences
                .iter()
                .any(|c| c.contains("delete data and schema"))
        );
        let plan = plan_move(&req(&objects, Scope::APPSOURCE, Scope::Dev, vec![])).unwrap();
        assert_eq!(plan.steps[0].requirement, Requirement::Recommended);
        assert!(
            plan.consequences
                .iter()
                .any(|c| c.contains("starts without"))
        );
        assert!(!plan.consequences.iter().any(|c| c.contains("delete data")));
    }

    #[test]
    fn pool_spans_ranges() {
        let mut p = Pool::new(&[IdRange::new(10, 11), IdRange::new(5, 5), IdRange::new(3, 1)]);
        p.used.insert(10);
        assert_eq!((p.take(), p.take(), p.take()), (Some(5), Some(11), None));
        let mut p = Pool::new(&[IdRange::new(u32::MAX, u32::MAX)]);
        assert_eq!((p.take(), p.take()), (Some(u32::MAX), None));
    }
}
