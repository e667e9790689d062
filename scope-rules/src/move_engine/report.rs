//! The typed report of a move: what changed, what could not be resolved or proven, and what
//! is left for the user.

use serde::Serialize;

use crate::IdRange;
use crate::move_engine::edits::{MoveEdits, OldNames};
use crate::move_engine::mapping::{AppIdentity, MappingEntry, identity_of};
use crate::move_engine::outputs::{DependentOutputs, ProjectOutputs};
use crate::move_engine::request::Request;
use crate::move_engine::side_by_side::SideBySide;
use crate::move_engine::verify::Found;
use crate::move_engine::{MoveOptions, MovePlan};

/// Where a reference is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Which app: empty for the moved app, else the dependent's label.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub app: String,
    /// File path.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.app.is_empty() {
            write!(f, "[{}] ", self.app)?;
        }
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A reference left as it was (listed in the report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unresolved {
    /// Where.
    pub at: Location,
    /// The reference's text.
    pub text: String,
    /// Why it did not resolve.
    pub reason: String,
}

/// A name updated by spelling only (its object could not be resolved), or an
/// identifier that may still spell an old name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameFix {
    /// Where.
    pub at: Location,
    /// The identifier.
    pub old: String,
    /// What it became (`None`: left as it was).
    pub new: Option<String>,
}

/// An identity property that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdentityChange {
    /// app.json property.
    pub property: String,
    /// Old value.
    pub old: String,
    /// New value.
    pub new: String,
}

/// A shortened name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortened {
    /// Old name.
    pub old: String,
    /// New (shortened) name.
    pub new: String,
}

/// What happened to a dependent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DependentReport {
    /// Its label.
    pub label: String,
    /// Its app name.
    pub name: String,
    /// Files changed.
    pub files_touched: Vec<String>,
    /// Edits in its AL files.
    pub edits: usize,
}

/// The report of a move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MoveReport {
    /// The app before the move.
    pub app: AppIdentity,
    /// Source scope.
    pub from: String,
    /// Target scope.
    pub to: String,
    /// Whether this undid an earlier move.
    pub reverse: bool,
    /// Target ranges.
    pub target_ranges: Vec<String>,
    /// The affix added.
    pub affix: Option<String>,
    /// Whether a new app id was generated (not given).
    pub new_id_generated: bool,
    /// app.json identity changes.
    pub identity: Vec<IdentityChange>,
    /// Renumbered symbols.
    pub renumbered: Vec<MappingEntry>,
    /// Renamed symbols.
    pub renamed: Vec<MappingEntry>,
    /// Names shortened to fit the length limits.
    pub shortened: Vec<Shortened>,
    /// Files of the moved app that changed.
    pub files_touched: Vec<String>,
    /// Edits in AL files (this app and dependents).
    pub edits: usize,
    /// Dependents updated.
    pub dependents: Vec<DependentReport>,
    /// References updated by name only.
    pub updated_by_name: Vec<NameFix>,
    /// Identifiers that may still spell an old name.
    pub possibly_stale: Vec<NameFix>,
    /// Side-by-side comparison of old and new app.
    pub side_by_side: SideBySideReport,
    /// How the moved sources were verified.
    pub verification: Verification,
    /// Objects referenced but not found (no symbols).
    pub missing_objects: Vec<MissingObject>,
    /// References left unresolved.
    pub unresolved: Vec<Unresolved>,
    /// What the user still has to do.
    pub left_for_the_user: Vec<String>,
}

/// How a move verified that its edits keep every reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "method")]
pub enum Verification {
    /// The edits were proven to rename and renumber only what the mapping says, token
    /// for token, with nothing left that could capture a reference
    /// (the proof stage, `proof.rs`).
    Proven,
    /// The moved sources were re-parsed and re-resolved, and every reference compared.
    Full {
        /// Why (asked for, or what the proof could not show).
        reason: String,
    },
}

/// An object referenced but not found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingObject {
    /// Object type keyword.
    pub kind: String,
    /// Name as referenced.
    pub name: String,
}

/// The side-by-side part of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SideBySideReport {
    /// Whether both apps can be installed together.
    pub possible: bool,
    /// What they share.
    pub shared: SideBySide,
}

pub(super) fn ranges_text(r: &[IdRange]) -> String {
    r.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the report is made from.
pub(super) struct Parts<'a> {
    pub(super) request: &'a Request,
    pub(super) plan: &'a MovePlan,
    pub(super) opts: &'a MoveOptions,
    pub(super) edits: &'a MoveEdits,
    pub(super) found: Found,
    pub(super) old_names: OldNames,
    pub(super) app_out: &'a ProjectOutputs,
    pub(super) dep_out: &'a DependentOutputs,
    pub(super) dependents_given: bool,
    pub(super) side_by_side: SideBySide,
    pub(super) verification: Verification,
}

/// Names the plan shortened (not only prefixed) to keep the length limits.
fn shortened(p: &Parts<'_>) -> Vec<Shortened> {
    if p.opts.reverse {
        return Vec::new();
    }
    let affix = p.request.affix.as_deref();
    p.plan
        .names
        .iter()
        .filter(|n| {
            let base = n.old.chars().count() + affix.map_or(0, |a| a.chars().count() + 1);
            n.new.chars().count() < base
        })
        .map(|n| Shortened {
            old: n.old.clone(),
            new: n.new.clone(),
        })
        .collect()
}

/// What the user has to look at after the move.
fn left_for_the_user(p: &Parts<'_>) -> Vec<String> {
    if p.opts.reverse {
        let mut left = Vec::new();
        push_found(&mut left, p);
        return left;
    }
    let mut left = p.plan.consequences.clone();
    left.extend(p.plan.rules.notes.iter().map(|s| s.to_string()));
    if p.request.rules.update_dependents && !p.dependents_given {
        left.push("apps that depend on this one were not given (--dependents); update their dependency id and references".into());
    }
    let sbs = &p.side_by_side;
    if !sbs.is_clear() {
        left.push(format!(
            "side by side with the old app: {} object ID(s), {} object name(s) and {} extension member(s) are shared, so both cannot be installed together (needed to migrate data)",
            sbs.shared_ids.len(),
            sbs.shared_names.len(),
            sbs.shared_members.len()
        ));
    }
    push_found(&mut left, p);
    left
}

fn push_found(left: &mut Vec<String>, p: &Parts<'_>) {
    if !p.old_names.by_name.is_empty() {
        left.push(format!(
            "{} reference(s) whose object could not be resolved were updated by name only; check them",
            p.old_names.by_name.len()
        ));
    }
    if !p.old_names.ambiguous.is_empty() {
        left.push(format!(
            "{} unresolved identifier(s) spell the old name of a renamed field or value that another still has; check them",
            p.old_names.ambiguous.len()
        ));
    }
    if !p.found.missing.is_empty() {
        left.push(format!(
            "{} object(s) were not found (no symbols given for them); references to them were left as they are",
            p.found.missing.len()
        ));
    }
    if !p.found.unresolved.is_empty() {
        left.push(format!(
            "{} unresolved reference(s) were left as they are; check them by hand",
            p.found.unresolved.len()
        ));
    }
}

/// Stage "report": the typed report of the move.
pub(super) fn build(p: Parts<'_>) -> MoveReport {
    let shortened = shortened(&p);
    let left = left_for_the_user(&p);
    let mapping = &p.edits.mapping;
    MoveReport {
        app: identity_of(&p.request.app),
        from: p.request.from.as_str().to_string(),
        to: p.request.to.as_str().to_string(),
        reverse: p.opts.reverse,
        target_ranges: p
            .request
            .target_ranges
            .iter()
            .map(ToString::to_string)
            .collect(),
        affix: p.request.affix.clone(),
        new_id_generated: p.app_out.new_id.is_some() && p.opts.id.is_none(),
        identity: p.app_out.identity.clone(),
        renumbered: mapping
            .iter()
            .filter(|e| e.old_id != e.new_id)
            .cloned()
            .collect(),
        renamed: mapping
            .iter()
            .filter(|e| e.old_name != e.new_name)
            .cloned()
            .collect(),
        shortened,
        files_touched: p.app_out.touched.clone(),
        edits: p.edits.edits.edits.len(),
        dependents: p.dep_out.reports.clone(),
        updated_by_name: p.old_names.by_name,
        possibly_stale: p.old_names.ambiguous,
        side_by_side: SideBySideReport {
            possible: p.side_by_side.is_clear(),
            shared: p.side_by_side,
        },
        verification: p.verification,
        missing_objects: p
            .found
            .missing
            .into_iter()
            .map(|(kind, name)| MissingObject { kind, name })
            .collect(),
        unresolved: p.found.unresolved,
        left_for_the_user: left,
    }
}
