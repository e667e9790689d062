//! The table's vocabulary: a scenario, what it expects, the checks on an outcome.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

pub(crate) const APP_ID: &str = "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11";
pub(crate) const NEW_ID: &str = "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0";
pub(crate) const GENERATED_ID: &str = "3f1c2b9a-7d4e-4f60-9a1b-5c2d8e7f6a10";
pub(crate) const BASE_ID: &str = "437dbf0e-84ff-417a-965d-ed2bb9650972";
pub(crate) const DEP_ID: &str = "a7c2e9d4-3b18-4f6a-9e05-6d1b8c4f2e37";

/// A move to run and what it must give.
pub(crate) struct Scenario {
    pub(crate) name: &'static str,
    pub(crate) project: Vec<ProjectFile>,
    pub(crate) dependents: Vec<Dependent>,
    pub(crate) deps: Dependencies,
    pub(crate) opts: MoveOptions,
    /// The mapping as the user wrote it (`--mapping` CSV or JSON); a parse error is the
    /// scenario's outcome.
    pub(crate) mapping_text: Option<&'static str>,
    /// Move first with these options, then run this row on the result (a reverse move gets
    /// the first move's mapping).
    pub(crate) first: Option<First>,
    pub(crate) expect: Expect,
    /// A known bug: the row is run, but its failure is printed, not reported.
    pub(crate) expect_bug: Option<&'static str>,
}

/// A move made before the scenario's own (for reverse moves).
pub(crate) struct First {
    pub(crate) opts: MoveOptions,
    /// Run the scenario on the original project instead of the first move's output.
    pub(crate) on_original: bool,
    /// Change the first move's output before the scenario runs on it.
    pub(crate) tamper: Option<fn(&mut Vec<ProjectFile>)>,
}

pub(crate) enum Expect {
    Moved(Vec<Check>),
    Refused(Refusal),
}

/// The error a refused move returns.
pub(crate) enum Refusal {
    /// `MoveError::Input` whose message contains this.
    Input(&'static str),
    /// `MoveError::Unresolved` with exactly these missing objects (`kind name`) and this
    /// many unresolved references, one of which (if given) has this text.
    Unresolved {
        missing: &'static [&'static str],
        refs: usize,
        one_ref: Option<&'static str>,
    },
    /// `MoveError::OutOfIds` for exactly this.
    OutOfIds(&'static str),
    /// `MoveError::AffixMissing` for this target scope.
    AffixMissing(&'static str),
    /// `MoveError::Syntax` with one error whose `file:line:col: message` contains this.
    Syntax(&'static str),
}

/// One expectation on a move's outcome. Paths are relative to the project; `dep` indexes
/// the scenario's dependents. Texts are compared decoded (UTF-16 files as UTF-8).
#[derive(Debug)]
pub(crate) enum Check {
    /// The file's text after the move, exactly.
    Text(&'static str, String),
    /// The file's text contains each of these.
    Has(&'static str, Vec<&'static str>),
    /// The file's text contains none of these.
    Lacks(&'static str, Vec<&'static str>),
    /// The file's bytes after the move, exactly.
    Bytes(&'static str, Vec<u8>),
    /// The file is as it was (same bytes).
    Unchanged(&'static str),
    /// The file was created by the move.
    Created(&'static str),
    /// A dependent's file text after the move, exactly.
    DepText(usize, &'static str, String),
    /// A dependent's file text contains each of these.
    DepHas(usize, &'static str, Vec<&'static str>),
    /// A dependent's file text contains none of these.
    DepLacks(usize, &'static str, Vec<&'static str>),
    /// Every file of the project and of each dependent is back, byte for byte, as it was
    /// before the first move (and nothing else is there).
    Restored,
    /// Every object declaration in the moved AL files has an ID in `from..=to`; there are
    /// `count` of them.
    ObjectIdsIn { from: u32, to: u32, count: usize },
    /// The mapping has this entry: kind, object kind, old and new ID, old and new name.
    Entry {
        kind: &'static str,
        object_kind: &'static str,
        ids: Option<(u32, u32)>,
        names: (&'static str, &'static str),
    },
    /// `report.renumbered.len()` (objects, members).
    Renumbered { objects: usize, members: usize },
    /// `report.renamed.len()`.
    Renamed(usize),
    /// `report.shortened`, exactly (old, new).
    Shortened(Vec<(&'static str, &'static str)>),
    /// `report.identity`, exactly (property, old, new).
    Identity(Vec<(&'static str, &'static str, &'static str)>),
    /// `report.new_id_generated`.
    NewIdGenerated(bool),
    /// `report.affix`.
    Affix(Option<&'static str>),
    /// `report.files_touched`, sorted, exactly.
    FilesTouched(Vec<&'static str>),
    /// `report.dependents`: (label, files touched sorted, edits) exactly.
    Dependents(Vec<(&'static str, Vec<&'static str>, usize)>),
    /// `report.verification` is `Proven`.
    Proven,
    /// `report.verification` is `Full` with a reason containing each of these.
    Full(Vec<&'static str>),
    /// `report.unresolved.len()`.
    Unresolved(usize),
    /// `report.missing_objects` as `kind name`, sorted, exactly.
    Missing(Vec<&'static str>),
    /// `report.possibly_stale` as `file:line:column old`, exactly.
    PossiblyStale(Vec<&'static str>),
    /// `report.updated_by_name` as `file:line:column old -> new`, exactly.
    UpdatedByName(Vec<&'static str>),
    /// `report.side_by_side.possible`.
    SideBySide(bool),
    /// `report.side_by_side.shared`: shared object IDs, names and members, exactly.
    Shared {
        ids: Vec<&'static str>,
        names: Vec<&'static str>,
        members: Vec<&'static str>,
    },
    /// `report.left_for_the_user` has a line containing this.
    LeftForUser(&'static str),
    /// One of the report's `already_done` lines contains this.
    AlreadyDone(&'static str),
    /// One of the report's warnings contains this.
    Warning(&'static str),
    /// One of the report's skipped files contains this.
    Skipped(&'static str),
    /// `plan_project` with the same options plans (objects renumbered, members
    /// renumbered, names changed), and the report agrees.
    Plan {
        objects: usize,
        members: usize,
        names: usize,
    },
}
