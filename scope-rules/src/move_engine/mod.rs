//! Moving an app between scopes end to end, in memory: the functional core of
//! `alkit move`.
//!
//! [`move_app`] takes the project's files, its dependencies' symbols, the projects
//! that depend on it and the options, and returns every output file, the mapping and
//! a typed [`MoveReport`]; it reads and writes nothing. It only chains the stages, one
//! file each:
//!
//! 1. `request.rs` — what to move and to what ([`Request`]: scopes, [`MoveRules`], target
//!    ranges, affix, identity) from app.json, AppSourceCop.json and the options;
//! 2. `plan.rs` — the ID and name mapping ([`plan_move`]), or the plan a mapping records
//!    ([`MoveOptions::mapping`], [`MoveOptions::reverse`]); [`plan_project`] stops here
//!    (what `alkit plan` shows);
//! 3. `workspace.rs` — the app (source app 0) and its dependents (1..) parsed and resolved
//!    in one workspace over the dependencies' symbols;
//! 4. `verify.rs`, before the edits — objects missing and references unresolved;
//! 5. `edits.rs` — the text edits of every renumbered and renamed symbol (they reach into
//!    the dependents), identifiers still spelling an old name, the spellings a reverse needs;
//! 6. `proof.rs` — proof that the edits keep every reference (whole names and numbers
//!    replaced as the mapping says, nothing left that a new name or ID could capture);
//! 7. `outputs.rs` — app.json (identity, idRanges), AppSourceCop.json, launch.json,
//!    .objidconfig, XLIFF files, and each dependent's dependency entry and files;
//! 8. `verify.rs`, after the edits — when the proof did not hold (or
//!    [`MoveOptions::full_verification`]), the result re-parsed, re-resolved and compared;
//! 9. `report.rs` and `mapping.rs` — the typed [`MoveReport`] and the [`MoveMapping`].
//!
//! `side_by_side.rs` compares old and new app for side-by-side installation, and
//! [`migration`] writes the data-migration app. Every stage returns [`MoveError`].
//!
//! The mapping written by a move drives the reverse move: old and new IDs and names swap,
//! and the few spellings a name-driven rewrite cannot know (a reference written in another
//! case or with quotes it did not need, a non-AL file's bytes) are recorded, so forward
//! then reverse restores every file byte for byte.
//!
//! ```
//! use scope_rules::move_engine::{Dependencies, MoveOptions, ProjectFile, Verification, move_app};
//! use scope_rules::{IdRange, Scope};
//! let project = vec![
//!     ProjectFile::new("app.json", br#"{"id":"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11","name":"A",
//!       "publisher":"P","version":"1.0.0.0","idRanges":[{"from":50100,"to":50149}]}"#.to_vec()),
//!     ProjectFile::new("src/T.al", b"table 50100 Points { fields { field(1; No; Code[20]) { } } }".to_vec()),
//!     ProjectFile::new("src/P.al", b"page 50100 Card { SourceTable = Points; }".to_vec()),
//! ];
//! let mut opts = MoveOptions::to(Scope::APPSOURCE, "0b5e6f3c-6a53-4a4a-9df3-0c1a9d6b7e21");
//! opts.ranges = vec![IdRange::new(70000000, 70000099)];
//! opts.affix = Some("ABC".into());
//! let out = move_app(&project, &Dependencies::default(), &[], &opts, &mut |_, _, _| {}).unwrap();
//! let page = out.files.iter().find(|f| f.path == "src/P.al").unwrap();
//! assert_eq!(page.bytes.as_slice(), b"page 70000000 ABCCard { SourceTable = ABCPoints; }");
//! assert_eq!(out.report.verification, Verification::Proven);
//! assert_eq!(out.mapping.mapping.len(), 2);
//! ```

mod edits;
mod error;
mod mapping;
pub mod migration;
mod outputs;
mod plan;
mod proof;
mod report;
pub mod report_view;
mod request;
mod side_by_side;
mod verify;
mod workspace;

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use al_manifest::AppVersion;
use al_parser::symbols::{AppSymbols, ParsedApp};

use crate::affix::AffixPosition;
use crate::{IdRange, Scope};

pub use error::MoveError;
pub use mapping::{AppIdentity, MappingEntry, MoveMapping, Spelling, Splice};
pub use plan::{
    MemberIdChange, MovePlan, NameChange, ObjectIdChange, PlanStep, StepKind, plan_move,
};
pub use report::{
    DependentReport, IdentityChange, Location, MissingObject, MoveReport, NameFix, Shortened,
    SideBySideReport, SyntaxProblem, Unresolved, Verification,
};
pub use request::{
    AffixSource, CurrentApp, MoveRequest, MoveRules, Renumber, Request, Requirement, check_affix,
    check_target_ranges, default_target_ranges, infer_scope, move_rules,
};
pub use side_by_side::SideBySide;
pub use workspace::app_info;

use workspace::{Inputs, texts_of};

/// One file of a project: its path relative to the project folder (with `/`) and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFile {
    /// Relative path with `/` separators (`app.json`, `src/Table.al`).
    pub path: String,
    /// The file's bytes, shared: the move parses them without a copy, and a file the
    /// move leaves as it is shares them with its output.
    pub bytes: std::sync::Arc<Vec<u8>>,
}

impl ProjectFile {
    /// A file (`bytes`: a `Vec<u8>` or an already shared `Arc<Vec<u8>>`).
    pub fn new(path: impl Into<String>, bytes: impl Into<std::sync::Arc<Vec<u8>>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
        }
    }

    fn is_al(&self) -> bool {
        self.path.to_ascii_lowercase().ends_with(".al")
    }
}

/// Symbols of what the app (and its dependents) depend on.
#[derive(Debug, Clone, Default)]
pub struct Dependencies {
    /// Dependency projects, parsed.
    pub sources: Vec<ParsedApp>,
    /// Dependency packages' symbols.
    pub packages: Vec<AppSymbols>,
}

/// A project that depends on the moved app.
#[derive(Debug, Clone)]
pub struct Dependent {
    /// How reports name it (e.g. its folder).
    pub label: String,
    /// Its files (as for the moved project).
    pub files: Vec<ProjectFile>,
}

/// How to move.
#[derive(Debug, Clone)]
pub struct MoveOptions {
    /// Current scope; inferred from app.json's idRanges when `None`.
    pub from: Option<Scope>,
    /// Target scope (ignored by a reverse move, which takes it from the mapping).
    pub to: Scope,
    /// Target ID ranges; empty: the current ranges when still valid, else the target
    /// scope's documented range.
    pub ranges: Vec<IdRange>,
    /// Affix to add; `None`: the first affix of AppSourceCop.json when one is needed.
    pub affix: Option<String>,
    /// Where the affix goes.
    pub affix_position: AffixPosition,
    /// Use this app id.
    pub id: Option<String>,
    /// The id to use when the move needs a new one and `id` is `None` (the library has
    /// no randomness: the caller supplies a fresh v4 id).
    pub generated_id: String,
    /// Set a new id even when the move does not need one.
    pub force_new_id: bool,
    /// New app name.
    pub name: Option<String>,
    /// New publisher.
    pub publisher: Option<String>,
    /// New version (default: the next major version when the move needs a different
    /// identity).
    pub version: Option<AppVersion>,
    /// Go on when references cannot be resolved (they are listed in the report).
    pub allow_unresolved: bool,
    /// IDs and names to use instead of (or, for a reverse move, as) the plan's.
    pub mapping: Option<MoveMapping>,
    /// Undo the move recorded in `mapping`.
    pub reverse: bool,
    /// Names chosen by the user (old name → new name, compared case-insensitively);
    /// they win over the affixed and shortened names of the plan.
    pub names: BTreeMap<String, String>,
    /// Rename every object so old and new app can be installed side by side (needed to
    /// migrate data), even where the move alone would not require it.
    pub side_by_side: bool,
    /// Always verify by re-parsing and re-resolving the moved sources, even when the
    /// edits can be proven to keep every reference (the proof stage).
    pub full_verification: bool,
    /// Move files that do not parse (else [`MoveError::Syntax`] names them); the report
    /// lists their errors.
    pub allow_syntax_errors: bool,
}

impl MoveOptions {
    /// Options for a move to `to` with everything else left to the plan.
    pub fn to(to: Scope, generated_id: impl Into<String>) -> Self {
        Self {
            from: None,
            to,
            ranges: Vec::new(),
            affix: None,
            affix_position: AffixPosition::Prefix,
            id: None,
            generated_id: generated_id.into(),
            force_new_id: false,
            name: None,
            publisher: None,
            version: None,
            allow_unresolved: false,
            mapping: None,
            reverse: false,
            names: BTreeMap::new(),
            full_verification: false,
            side_by_side: false,
            allow_syntax_errors: false,
        }
    }
}

/// The result of a move.
#[derive(Debug, Clone)]
pub struct MoveOutcome {
    /// Every file of the moved project, in the input order (unchanged ones included;
    /// created files at the end; deleted files left out).
    pub files: Vec<ProjectFile>,
    /// Paths of files the move deletes (a reverse move deletes what the move created).
    pub deleted: Vec<String>,
    /// Every file of each dependent, in `dependents` order.
    pub dependents: Vec<Vec<ProjectFile>>,
    /// The mapping (write it next to the output; it drives `--reverse`).
    pub mapping: MoveMapping,
    /// The report.
    pub report: MoveReport,
}

impl MoveOutcome {
    /// Old and new text of every file of the moved app (`project`, as given to
    /// [`move_app`]) and its `dependents` that the move changes, creates or deletes, as
    /// `(label, old, new)` (AL files decoded, so UTF-16 files diff as text; a created
    /// file has no old text, a deleted one no new text). Labels of dependents' files are
    /// `LABEL/path`. Computed on demand: a move of a large app need not hold two more
    /// copies of every file for a diff nobody asked for.
    pub fn changes(
        &self,
        project: &[ProjectFile],
        dependents: &[Dependent],
    ) -> Vec<(String, Vec<u8>, Vec<u8>)> {
        fn text(f: &ProjectFile, bytes: &[u8]) -> Vec<u8> {
            if f.is_al() {
                al_parser::decode(bytes).0
            } else {
                bytes.to_vec()
            }
        }
        fn diff(
            prefix: &str,
            old: &[ProjectFile],
            new: &[ProjectFile],
            deleted: &[String],
            out: &mut Vec<(String, Vec<u8>, Vec<u8>)>,
        ) {
            let by_path: HashMap<&str, &ProjectFile> =
                new.iter().map(|f| (f.path.as_str(), f)).collect();
            for f in old {
                let label = format!("{prefix}{}", f.path);
                match by_path.get(f.path.as_str()) {
                    Some(n) if n.bytes != f.bytes => {
                        out.push((label, text(f, &f.bytes), text(f, &n.bytes)));
                    }
                    None if deleted.contains(&f.path) => {
                        out.push((label, text(f, &f.bytes), Vec::new()));
                    }
                    _ => {}
                }
            }
            let before: BTreeSet<&str> = old.iter().map(|f| f.path.as_str()).collect();
            for n in new.iter().filter(|n| !before.contains(n.path.as_str())) {
                out.push((format!("{prefix}{}", n.path), Vec::new(), text(n, &n.bytes)));
            }
        }
        let mut out = Vec::new();
        diff("", project, &self.files, &self.deleted, &mut out);
        for (d, files) in dependents.iter().zip(&self.dependents) {
            diff(&format!("{}/", d.label), &d.files, files, &[], &mut out);
        }
        out
    }
}

/// Progress callback: `(stage, done, total)`.
pub type Progress<'a> = &'a mut dyn FnMut(&str, usize, usize);

/// Moves the app in `project`. Pure: reads and writes nothing.
pub fn move_app(
    project: &[ProjectFile],
    deps: &Dependencies,
    dependents: &[Dependent],
    opts: &MoveOptions,
    progress: Progress<'_>,
) -> Result<MoveOutcome, MoveError> {
    progress("parsing", 0, 8);
    let (request, manifest) = request::read(project, opts)?;
    let dep_manifests = request::dependents(dependents, &request.app)?;
    // Every file parsed once in every branch configuration, the one app.json defines first:
    // the plan and the symbol index read that one.
    let app_parsed = workspace::parse_app(project, &request.app);
    // The diagnostics of the parse just made: no extra pass over the files.
    let syntax_errors = report::syntax_errors(&app_parsed);
    if !syntax_errors.is_empty() && !opts.allow_syntax_errors && !opts.reverse {
        return Err(MoveError::Syntax(syntax_errors));
    }
    progress("planning", 1, 8);
    let objects = request::objects(project, &app_parsed);

    progress("resolving", 2, 8);
    let inputs = Inputs::new(&dep_manifests, deps);
    // The plan (mostly sequential) is made while the workspace is built (parallel): the
    // two are independent, and a plan error still stops the move before any edit.
    let (plan, before) = rayon::join(
        || plan::make(&request, &objects, opts),
        || workspace::build(&inputs, app_parsed, dependents),
    );
    let plan = plan?;
    // The dependents' syntax errors, from the parses the workspace holds.
    let mut syntax_errors = syntax_errors;
    let mut dep_errors = Vec::new();
    for (i, d) in dependents.iter().enumerate() {
        if let Some(Some(parsed)) = before.parsed.get(i + 1) {
            for mut e in report::syntax_errors(parsed) {
                e.at.file = workspace::split_label(&e.at.file).1.to_string();
                e.at.app = d.label.clone();
                dep_errors.push(e);
            }
        }
    }
    if !dep_errors.is_empty() && !opts.allow_syntax_errors && !opts.reverse {
        return Err(MoveError::Syntax(dep_errors));
    }
    syntax_errors.extend(dep_errors);
    let texts = texts_of(&before, 0..dependents.len() + 1);
    let found = verify::found(&before, &texts, dependents);
    if !found.is_clear() && !opts.allow_unresolved {
        return Err(MoveError::Unresolved {
            missing: found.missing,
            refs: found.unresolved,
        });
    }

    progress("editing", 3, 8);
    let mut edits = edits::build_edits(&before, 0, &plan, &objects, opts.reverse)?;
    // Freed in the background: the stages that follow are mostly sequential, so a
    // core is free to do it (the same below for the workspace).
    rayon::spawn(move || objects.into_par_iter().for_each(drop));
    progress("finding old names", 4, 8);
    let old_names = edits::old_names(&mut edits, &before, &texts, dependents, opts.reverse)?;
    let spellings = edits::spellings(&mut edits, &old_names, &texts, &inputs, opts)?;
    drop(texts);

    progress("verifying", 5, 8);
    let proof = proof::run(before, dependents, &edits, opts.full_verification);

    progress("applying edits", 6, 8);
    let app_out = outputs::project(project, manifest, &request, &plan, &edits, opts)?;
    let dep_out = outputs::dependents(
        dependents,
        dep_manifests,
        &app_out,
        &request,
        &edits,
        &inputs,
        opts,
    )?;

    let (side_by_side, verification) = match proof {
        proof::Proof::Proven(shared) => (shared, Verification::Proven),
        proof::Proof::Unproven(unproven) => {
            progress("verifying (full)", 7, 8);
            verify::full(unproven, &app_out, &dep_out, &edits, &inputs, dependents)?
        }
    };

    progress("reporting", 7, 8);
    let report = report::build(report::Parts {
        request: &request,
        plan: &plan,
        opts,
        edits: &edits,
        found,
        old_names,
        app_out: &app_out,
        dep_out: &dep_out,
        dependents_given: !dependents.is_empty(),
        side_by_side,
        verification,
        syntax_errors,
    });
    let mapping = mapping::record(
        &request,
        opts,
        &app_out,
        &edits,
        dep_out.splices.clone(),
        spellings,
    );
    progress("done", 8, 8);
    Ok(MoveOutcome {
        files: app_out.files,
        deleted: app_out.deleted,
        dependents: dep_out.files,
        mapping,
        report,
    })
}

/// The plan of a move of `project` as `alkit move` would make it with `opts` (no
/// dependency symbols needed: the plan reads only the project): the request it was made
/// from and the plan. `alkit plan` shows it; [`move_app`] makes the same plan.
///
/// ```
/// use scope_rules::{Scope, move_engine::{MoveOptions, ProjectFile, plan_project}};
/// let project = vec![
///     ProjectFile::new("app.json", br#"{"id":"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11","name":"A",
///       "publisher":"P","version":"1.0.0.0","idRanges":[{"from":50100,"to":50149}]}"#.to_vec()),
///     ProjectFile::new("T.al", b"table 50100 Points { fields { field(1; No; Code[20]) { } } }".to_vec()),
/// ];
/// let mut opts = MoveOptions::to(Scope::APPSOURCE, "0b5e6f3c-6a53-4a4a-9df3-0c1a9d6b7e21");
/// opts.affix = Some("ABC".into());
/// opts.ranges = vec![scope_rules::IdRange::new(70000000, 70000099)];
/// let p = plan_project(&project, &opts).unwrap();
/// assert_eq!(p.plan.object_ids.len(), 1);
/// assert_eq!(p.plan.names[0].new, "ABCPoints");
/// assert_eq!(p.request.affix.as_deref(), Some("ABC"));
/// ```
pub fn plan_project(project: &[ProjectFile], opts: &MoveOptions) -> Result<PlannedMove, MoveError> {
    let (request, _) = request::read(project, opts)?;
    let parsed = workspace::parse_app(project, &request.app);
    let objects = request::objects(project, &parsed);
    let plan = plan::make(&request, &objects, opts)?;
    Ok(PlannedMove { request, plan })
}

/// What [`plan_project`] returns.
#[derive(Debug, Clone)]
pub struct PlannedMove {
    /// What is moved and to what.
    pub request: Request,
    /// The plan.
    pub plan: MovePlan,
}

#[cfg(test)]
mod tests {
    use super::*;
    use al_parser::edit::TextEdit;
    use edits::new_offsets;
    use mapping::{splice, unsplice};

    #[test]
    fn splice_is_minimal_and_undone() {
        let s = splice(
            "",
            "a",
            b"{\"id\": \"x\", \"v\": 1}",
            b"{\"id\": \"yy\", \"v\": 1}",
        )
        .unwrap();
        assert_eq!((s.at, s.old.as_str(), s.new.as_str()), (8, "x", "yy"));
        assert_eq!(
            unsplice(b"{\"id\": \"yy\", \"v\": 1}", &s).unwrap(),
            b"{\"id\": \"x\", \"v\": 1}"
        );
        assert!(unsplice(b"{\"id\": \"zz\", \"v\": 1}", &s).is_err());
    }

    #[test]
    fn csv_mapping() {
        let m = MoveMapping::parse(
            "# ids\ntype,oldId,newId\ntable,50100,70000000\nfield,50100,70000001,50101\n",
        )
        .unwrap();
        assert_eq!(m.mapping.len(), 2);
        assert_eq!(m.mapping[1].kind, "field");
        assert_eq!(m.mapping[1].object, "50101");
        assert!(MoveMapping::parse("table,x,1\ntable,2,y\n").is_err());
        assert!(MoveMapping::parse("tabel,1,2\n").is_err());
    }

    #[test]
    fn offsets_after_edits() {
        let e = |s: u32, t: u32, r: &str| TextEdit {
            file: "a".into(),
            range: s..t,
            replacement: r.into(),
        };
        assert_eq!(
            new_offsets(&[e(0, 1, "abc"), e(5, 6, "x"), e(10, 12, "")]),
            vec![0, 7, 12]
        );
    }
}
