//! The typed report of a move: what changed, what could not be resolved or proven, and what
//! is left for the user.

use serde::Serialize;

use crate::IdRange;
use crate::move_engine::mapping::{AppIdentity, MappingEntry};
use crate::move_engine::side_by_side::SideBySide;

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
    /// ([`crate::move_engine::proof::prove`]).
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
