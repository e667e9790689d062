//! Moving an app between scopes end to end, in memory: the functional core of
//! `alkit move`.
//!
//! [`move_app`] takes the project's files, its dependencies' symbols, the projects
//! that depend on it and the options, and returns every output file, the mapping and
//! a typed [`MoveReport`]; it reads and writes nothing. The steps:
//!
//! 1. read app.json (format-preserving) and the AL objects; plan the move
//!    ([`crate::move_engine::plan::plan_move`]), or take the plan from a mapping
//!    ([`MoveOptions::mapping`], [`MoveOptions::reverse`]);
//! 2. index and resolve the app together with its dependents (one workspace: the moved
//!    app is source app 0, dependent `i` is source app `i + 1`);
//! 3. build the text edits of every renumbered and renamed symbol
//!    ([`crate::move_engine::edits::build_edits`]) — they reach into the dependents too;
//! 4. prove that the edits keep every reference ([`crate::move_engine::proof::prove`]: whole
//!    names and numbers replaced as the mapping says, nothing left that a new name or ID
//!    could capture), then drop the workspace but its index;
//! 5. edit app.json (identity, idRanges), AppSourceCop.json (`mandatoryAffixes`),
//!    `.vscode/launch.json` (`startupObjectId`), `.objidconfig` (ranges), XLIFF files
//!    (trans-unit ids and notes of renamed symbols), and each dependent's dependency
//!    entry;
//! 6. when the proof did not hold (or [`MoveOptions::full_verification`]), re-parse and
//!    re-resolve the result and verify it ([`crate::move_engine::verify::verify`]); compare old and
//!    new app for side-by-side installation.
//!
//! The mapping written by a move ([`MoveMapping`]) drives the reverse move: old and new
//! IDs and names swap, and the few spellings a name-driven rewrite cannot know (a
//! reference written in another case or with quotes it did not need, a non-AL file's
//! bytes) are recorded, so forward then reverse restores every file byte for byte.

mod edits;
mod error;
mod mapping;
pub mod migration;
mod outputs;
mod plan;
mod proof;
mod report;
mod request;
mod side_by_side;
mod verify;
mod workspace;

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use al_manifest::AppVersion;
use al_parser::edit::{TextEdit, format_name};
use al_parser::symbols::{AppSymbols, ParsedApp, SourceText};

use crate::affix::{AffixPosition, Affixes};
use crate::checks::source::ObjectDecl;
use crate::{IdRange, Scope};

pub use error::MoveError;
pub use mapping::{AppIdentity, MappingEntry, MoveMapping, Spelling, Splice};
pub use plan::{
    MemberIdChange, MovePlan, NameChange, ObjectIdChange, PlanStep, StepKind, plan_move,
};
pub use report::{
    DependentReport, IdentityChange, Location, MissingObject, MoveReport, NameFix, Shortened,
    SideBySideReport, Unresolved, Verification,
};
pub use request::{
    CurrentApp, MoveRequest, MoveRules, Renumber, Requirement, default_target_ranges, infer_scope,
    move_rules, next_major,
};
pub use side_by_side::{SideBySide, side_by_side, side_by_side_symbols};
pub use workspace::{app_info, line_col};

use edits::new_offsets;
use mapping::{identity_of, reverse_texts, splice, unquote, unsplice};
use plan::{override_plan, plan_from_mapping};
use report::ranges_text;
use request::{manifest_bytes, read_manifest};
use workspace::{
    Inputs, build_workspace, dep_prefix, location, parse_apps, sources, split_label, texts_of,
};

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
    /// edits can be proven to keep every reference (see [`crate::move_engine::proof`]).
    pub full_verification: bool,
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
    let manifest = read_manifest(project, "project")?;
    let m = manifest.doc.manifest().clone();
    let mut dep_manifests = Vec::new();
    for d in dependents {
        let dm = read_manifest(&d.files, &d.label)?;
        let depends = dm.doc.manifest().dependencies.iter().any(|x| x.id == m.id);
        if !depends {
            return Err(MoveError::Input(format!(
                "{}: does not depend on {:?} ({})",
                d.label, m.name, m.id
            )));
        }
        dep_manifests.push(dm);
    }
    let reverse = opts.reverse;
    let mapping_in = opts.mapping.as_ref();
    if reverse && mapping_in.is_none() {
        return Err(MoveError::Input(
            "a reverse move needs the mapping of the move".into(),
        ));
    }
    let current_ranges = m.id_ranges();
    let (from, to) = match (reverse, mapping_in) {
        (true, Some(mp)) => (
            mp.to.parse::<Scope>().unwrap_or(Scope::Dev),
            mp.from.parse::<Scope>().unwrap_or(Scope::Dev),
        ),
        _ => (
            opts.from.unwrap_or_else(|| infer_scope(&current_ranges)),
            opts.to,
        ),
    };
    if reverse
        && let Some(mp) = mapping_in
        && !mp.new_app.id.eq_ignore_ascii_case(&m.id.to_string())
    {
        return Err(MoveError::Input(format!(
            "app.json: id {} is not the moved app's id {} recorded in the mapping",
            m.id, mp.new_app.id
        )));
    }
    let rules = move_rules(from, to);
    let target_ranges = if opts.ranges.is_empty() {
        default_target_ranges(from, to, &current_ranges)
    } else {
        opts.ranges.clone()
    };
    let cop_index = project
        .iter()
        .position(|f| f.path.eq_ignore_ascii_case("AppSourceCop.json"));
    let cop = cop_index
        .and_then(|i| std::str::from_utf8(&project[i].bytes).ok())
        .map(|t| {
            al_manifest::AppSourceCop::from_json_str_named(
                t.trim_start_matches('\u{feff}'),
                "AppSourceCop.json",
            )
        })
        .transpose()
        .map_err(|e| MoveError::Input(e.to_string()))?;
    let cop_affixes = cop
        .as_ref()
        .map(crate::checks::cop::affixes_of)
        .unwrap_or_default();
    let side_by_side_needed =
        rules.rename_for_side_by_side == Requirement::Required || opts.side_by_side;
    let affix = if reverse {
        None
    } else {
        match (&opts.affix, rules.add_affixes) {
            (Some(a), _) => Some(a.trim().to_string()),
            (None, true) => cop_affixes.primary().map(str::to_string),
            _ => None,
        }
    };
    if !reverse
        && (rules.add_affixes || side_by_side_needed)
        && affix.as_deref().is_none_or(str::is_empty)
        && opts.names.is_empty()
    {
        return Err(MoveError::Input(format!(
            "moving from {from} to {to} adds an affix: pass one (e.g. --affix ABC)"
        )));
    }
    // Every file parsed once (in every branch configuration); the plan reads the objects
    // of the configuration app.json defines, re-parsing only files with directives.
    let app_parsed = ParsedApp::parse(app_info(&m), sources(project, ""));
    progress("planning", 1, 8);
    let defines = al_parser::Defines::from_symbols(&m.preprocessor_symbols);
    let al_files: Vec<&ProjectFile> = project.iter().filter(|f| f.is_al()).collect();
    let mut objects: Vec<ObjectDecl> = al_files
        .par_iter()
        .zip(app_parsed.files.par_iter())
        .with_max_len(crate::FILES_PER_TASK)
        .flat_map_iter(|(f, pf)| {
            let reuse = m.preprocessor_symbols.is_empty() || !f.bytes.contains(&b'#');
            match pf.parses.first().filter(|_| reuse) {
                Some(parse) => crate::parsed::declarations_from_parse(parse, &f.path),
                None => {
                    let parse = al_parser::parse_with(&f.bytes, &defines);
                    crate::parsed::declarations_from_parse(&parse, &f.path)
                }
            }
        })
        .collect();
    crate::parsed::mark_local_extensions(&mut objects);
    let old_affixes = if from == Scope::APPSOURCE {
        cop_affixes.clone()
    } else {
        Affixes::default()
    };
    let proposed_id = opts.id.clone().unwrap_or_else(|| opts.generated_id.clone());
    let wants_new_id = rules.new_id != Requirement::No || opts.id.is_some() || opts.force_new_id;
    // The plan (mostly sequential) is made while the workspace is built (parallel): the
    // two are independent, and a plan error still stops the move before any edit.
    let make_plan = || -> Result<MovePlan, MoveError> {
        if reverse {
            return Ok(plan_from_mapping(
                mapping_in.unwrap_or(&MoveMapping::default()),
                true,
            ));
        }
        let mut plan = plan_move(&MoveRequest {
            from,
            to,
            objects: &objects,
            target_ranges: target_ranges.clone(),
            affix: affix.clone(),
            affix_position: opts.affix_position,
            old_affixes,
            new_id: wants_new_id.then(|| proposed_id.clone()),
            current: CurrentApp {
                id: Some(m.id.to_string()),
                version: Some(m.version),
                ranges: current_ranges.clone(),
            },
            side_by_side: opts.side_by_side,
        })
        .map_err(|e| MoveError::Input(e.to_string()))?;
        override_plan(&mut plan, mapping_in, &opts.names, &objects)?;
        Ok(plan)
    };

    // --- Workspace: the app (0) and its dependents (1..) ---
    progress("resolving", 2, 8);
    let inputs = Inputs {
        dep_infos: dep_manifests
            .iter()
            .map(|d| app_info(d.doc.manifest()))
            .collect(),
        deps,
    };
    let dep_sources: Vec<Vec<SourceText>> = dependents
        .iter()
        .enumerate()
        .map(|(i, d)| sources(&d.files, &dep_prefix(i)))
        .collect();
    let (plan, before) = rayon::join(make_plan, || {
        build_workspace(&inputs, parse_apps(&inputs, app_parsed, dep_sources))
    });
    let plan = plan?;
    let n_src = dependents.len() + 1;
    // Objects the sources name that no app provides: the stand-ins (extended base
    // objects) and every other object named but not found.
    let mut missing: Vec<(String, String)> = before
        .stand_ins()
        .into_iter()
        .map(|(k, n)| (al_parser::symbols::kind_keyword(k).to_string(), n))
        .collect();
    for app in 0..=dependents.len() {
        missing.extend(verify::missing_objects(&before, app as u32));
    }
    missing.sort_by_cached_key(|(k, n)| (k.clone(), al_parser::symbols::name_key(n)));
    missing.dedup_by(|a, b| {
        a.0 == b.0 && al_parser::symbols::name_key(&a.1) == al_parser::symbols::name_key(&b.1)
    });
    let texts = texts_of(&before, 0..dependents.len() + 1);
    let locate = |label: &str, offset: u32| location(&texts, dependents, label, offset);
    let mut unresolved = Vec::new();
    for app in 0..=dependents.len() {
        // Located in parallel (each file's line index is built once, by the first).
        let found = verify::unresolved(&before, app as u32);
        let at: Vec<Location> = found
            .par_iter()
            .map(|u| locate(&u.file, u.offset))
            .collect();
        for (u, at) in found.into_iter().zip(at) {
            unresolved.push(Unresolved {
                at,
                text: u.text,
                reason: u.reason,
            });
        }
    }
    if (!unresolved.is_empty() || !missing.is_empty()) && !opts.allow_unresolved {
        return Err(MoveError::Unresolved {
            missing,
            refs: unresolved,
        });
    }

    // --- Edits ---
    progress("editing", 3, 8);
    let mut edits = edits::build_edits(&before, 0, &plan, &objects)?;
    // Freed in the background: the stages that follow are mostly sequential, so a
    // core is free to do it (the same below for the workspace).
    rayon::spawn(move || objects.into_par_iter().for_each(drop));
    progress("finding old names", 4, 8);
    let mut by_name = Vec::new();
    let mut ambiguous = Vec::new();
    let mut extra = Vec::new();
    // What each new text reads back as (for the spellings below) is worked out meanwhile:
    // it needs only the mapping.
    let (back, ()) = rayon::join(
        || (!reverse).then(|| reverse_texts(&edits.mapping)),
        || {
            for app in 0..=dependents.len() {
                let found =
                    verify::leftover_names(&before, app as u32, &edits.mapping, &edits.edits.edits);
                let at: Vec<Location> = found
                    .par_iter()
                    .map(|l| locate(&l.file, l.range.start))
                    .collect();
                for (l, at) in found.into_iter().zip(at) {
                    let fix = NameFix {
                        at,
                        old: l.text.clone(),
                        new: l.new_name.clone(),
                    };
                    match &l.new_name {
                        None => ambiguous.push(fix),
                        Some(n) => {
                            extra.push(TextEdit {
                                file: l.file.clone(),
                                range: l.range.clone(),
                                replacement: format_name(n),
                            });
                            by_name.push(fix);
                        }
                    }
                }
            }
        },
    );
    if !extra.is_empty() {
        let mut all = std::mem::take(&mut edits.edits.edits);
        all.append(&mut extra);
        edits.edits = edits::merge(all)?;
    }
    // Old spellings: recorded by a forward move, applied by a reverse one.
    let mut spellings = Vec::new();
    let app_key = |label: &str| -> String {
        match split_label(label).0 {
            Some(i) => inputs
                .dep_infos
                .get(i)
                .map(|x| x.id.clone())
                .unwrap_or_default(),
            None => String::new(),
        }
    };
    if reverse {
        let recorded: HashMap<(String, String, u32), &Spelling> = mapping_in
            .map(|mp| {
                mp.spellings
                    .iter()
                    .map(|s| ((s.app.to_lowercase(), s.file.clone(), s.at), s))
                    .collect()
            })
            .unwrap_or_default();
        for e in &mut edits.edits.edits {
            let (_, path) = split_label(&e.file);
            let key = (app_key(&e.file), path.to_string(), e.range.start);
            if let Some(s) = recorded.get(&key) {
                if unquote(&s.text) != unquote(&e.replacement) {
                    return Err(MoveError::Input(format!(
                        "{path}: byte {}: the mapping's spelling {:?} does not name {:?}; the files changed since the move",
                        e.range.start, s.text, e.replacement
                    )));
                }
                e.replacement = s.text.clone();
            }
        }
    } else {
        let offsets = new_offsets(&edits.edits.edits);
        let back = back.unwrap_or_default();
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
                    app: app_key(&e.file),
                    file: path.to_string(),
                    at,
                    text: old,
                });
            }
        }
    }

    // --- Proof: the edits keep every reference (checked before the outputs are built,
    // so that the workspace is gone when they are) ---
    progress("verifying", 5, 8);
    // The side-by-side comparison of the proven case is computed alongside the proof
    // (both only read the workspace); the full check makes its own.
    let side_by_side_if_proven = || {
        let moved = crate::move_engine::proof::moved_symbols(&before.index, 0, &edits.mapping);
        before
            .index
            .apps
            .first()
            .map(|old| side_by_side::side_by_side_symbols(old, &moved))
            .unwrap_or_default()
    };
    let (proof, shared) = if opts.full_verification {
        (Err("asked for".to_string()), None)
    } else {
        let (proof, shared) = rayon::join(
            || {
                crate::move_engine::proof::prove(
                    &before,
                    n_src as u32,
                    &edits.edits,
                    &edits.mapping,
                )
            },
            side_by_side_if_proven,
        );
        (proof, Some(shared))
    };
    let proven = match proof {
        Ok(()) => {
            rayon::spawn(move || before.into_index().drop_parallel());
            Ok(shared.unwrap_or_default())
        }
        Err(reason) => {
            // Internal labels of dependents' files read as the dependents' own labels.
            let mut reason = reason;
            for (i, d) in dependents.iter().enumerate() {
                reason = reason.replace(&dep_prefix(i), &format!("{}/", d.label));
            }
            Err((before, reason))
        }
    };

    progress("applying edits", 6, 8);
    // --- app.json and other project files ---
    let mut manifest = manifest;
    let mut identity = Vec::new();
    let mut new_files: Vec<ProjectFile> = Vec::new();
    let mut deleted = Vec::new();
    let mut splices = Vec::new();
    let new_id = if reverse {
        None
    } else {
        let explicit = opts.id.is_some() || opts.force_new_id;
        plan.new_id
            .as_ref()
            .map(|_| proposed_id.clone())
            .or_else(|| explicit.then(|| proposed_id.clone()))
            .filter(|id| !id.eq_ignore_ascii_case(&m.id.to_string()))
    };
    let doc = &mut manifest.doc;
    let edit_err = |e: al_manifest::EditError| MoveError::Input(format!("app.json: {e}"));
    if let Some(id) = &new_id {
        let uuid: uuid::Uuid = id
            .parse()
            .map_err(|_| MoveError::Input(format!("app id {id:?}: not a GUID")))?;
        doc.set_id(uuid).map_err(edit_err)?;
        identity.push(IdentityChange {
            property: "id".into(),
            old: m.id.to_string(),
            new: uuid.to_string(),
        });
    }
    if !reverse {
        if let Some(n) = &opts.name {
            doc.set_name(n).map_err(edit_err)?;
            identity.push(IdentityChange {
                property: "name".into(),
                old: m.name.clone(),
                new: n.clone(),
            });
        }
        if let Some(p) = &opts.publisher {
            doc.set_publisher(p).map_err(edit_err)?;
            identity.push(IdentityChange {
                property: "publisher".into(),
                old: m.publisher.clone(),
                new: p.clone(),
            });
        }
        if let Some(v) = opts.version.or(plan.new_version) {
            doc.set_version(&v).map_err(edit_err)?;
            identity.push(IdentityChange {
                property: "version".into(),
                old: m.version.to_string(),
                new: v.to_string(),
            });
        }
        if !plan.id_ranges.is_empty() {
            doc.set_id_ranges(&plan.id_ranges).map_err(edit_err)?;
            identity.push(IdentityChange {
                property: "idRanges".into(),
                old: ranges_text(&current_ranges),
                new: ranges_text(&plan.id_ranges),
            });
        }
    }
    let renames: Vec<&MappingEntry> = edits
        .mapping
        .iter()
        .filter(|e| e.old_name != e.new_name || e.old_id != e.new_id)
        .collect();
    let mut out_files: Vec<ProjectFile> = Vec::with_capacity(project.len());
    let mut touched = Vec::new();
    let edited: BTreeSet<&str> = edits.edits.files().into_iter().collect();
    let reverse_splices: Vec<&Splice> = mapping_in
        .filter(|_| reverse)
        .map(|mp| mp.files.iter().filter(|s| s.app.is_empty()).collect())
        .unwrap_or_default();
    // The edited AL files (most of a renumbered app), edited in parallel.
    let mut applied: Vec<Option<Result<Vec<u8>, al_parser::edit::EditError>>> = project
        .par_iter()
        .with_max_len(crate::FILES_PER_TASK)
        .map(|f| {
            (f.is_al() && edited.contains(f.path.as_str()))
                .then(|| edits.edits.apply(&f.path, &f.bytes))
        })
        .collect();
    for (i, f) in project.iter().enumerate() {
        let lower = f.path.to_ascii_lowercase();
        // Unchanged files share their bytes with the input.
        let new: Arc<Vec<u8>> = if reverse
            && let Some(s) = reverse_splices.iter().find(|s| s.file == f.path)
        {
            if s.created {
                deleted.push(f.path.clone());
                continue;
            }
            Arc::new(unsplice(&f.bytes, s)?)
        } else if i == manifest.index {
            Arc::new(manifest_bytes(&manifest))
        } else if let Some(new) = applied.get_mut(i).and_then(Option::take) {
            Arc::new(new.map_err(|e| MoveError::Input(format!("{}: {e:?}", f.path)))?)
        } else {
            let changed = if !reverse && lower.ends_with("launch.json") {
                crate::move_engine::outputs::launch_json(&f.bytes, &edits.mapping)
            } else if !reverse && lower.ends_with(".objidconfig") {
                crate::move_engine::outputs::objidconfig(&f.bytes, &plan.id_ranges)
            } else if !reverse && i == cop_index.unwrap_or(usize::MAX) && to == Scope::APPSOURCE {
                crate::move_engine::outputs::cop_affixes(&f.bytes, affix.as_deref())
            } else if lower.ends_with(".xlf") && !renames.is_empty() {
                crate::move_engine::outputs::xliff(&f.bytes, &edits.mapping)
            } else {
                None
            };
            changed.map_or_else(|| f.bytes.clone(), Arc::new)
        };
        if new != f.bytes {
            touched.push(f.path.clone());
            if !f.is_al()
                && !reverse
                && !lower.ends_with(".xlf")
                && let Some(s) = splice("", &f.path, &f.bytes, &new)
            {
                splices.push(s);
            }
        }
        out_files.push(ProjectFile::new(f.path.clone(), new));
    }
    // AppSourceCop.json with the affix, when moving to AppSource without one.
    if !reverse
        && to == Scope::APPSOURCE
        && cop_index.is_none()
        && let Some(a) = affix.as_deref()
    {
        let text = format!(
            "{{\n  \"mandatoryAffixes\": [\n    {}\n  ]\n}}\n",
            serde_json::Value::String(a.to_string())
        );
        splices.push(Splice {
            app: String::new(),
            file: "AppSourceCop.json".into(),
            at: 0,
            old: String::new(),
            new: text.clone(),
            created: true,
        });
        touched.push("AppSourceCop.json".into());
        new_files.push(ProjectFile::new("AppSourceCop.json", text.into_bytes()));
    }
    out_files.extend(new_files);

    // --- Dependents ---
    let new_identity = identity_of(manifest.doc.manifest());
    let mut dep_out = Vec::new();
    let mut dep_reports = Vec::new();
    for (i, (d, dm)) in dependents.iter().zip(dep_manifests.iter_mut()).enumerate() {
        let prefix = dep_prefix(i);
        let dep_id = inputs
            .dep_infos
            .get(i)
            .map(|x| x.id.clone())
            .unwrap_or_default();
        if !reverse {
            let nm = manifest.doc.manifest();
            if nm.id != m.id {
                dm.doc.set_dependency_id(m.id, nm.id).map_err(edit_err)?;
            }
            if nm.name != m.name {
                dm.doc
                    .set_dependency_name(nm.id, &nm.name)
                    .map_err(edit_err)?;
            }
            if nm.publisher != m.publisher {
                dm.doc
                    .set_dependency_publisher(nm.id, &nm.publisher)
                    .map_err(edit_err)?;
            }
            if nm.version != m.version {
                dm.doc
                    .set_dependency_version(nm.id, &nm.version)
                    .map_err(edit_err)?;
            }
        }
        let rev: Vec<&Splice> = mapping_in
            .filter(|_| reverse)
            .map(|mp| {
                mp.files
                    .iter()
                    .filter(|s| s.app.eq_ignore_ascii_case(&dep_id))
                    .collect()
            })
            .unwrap_or_default();
        let mut files = Vec::new();
        let mut dep_touched = Vec::new();
        let mut dep_edits = 0;
        for (fi, f) in d.files.iter().enumerate() {
            let label = format!("{prefix}{}", f.path);
            let new: Arc<Vec<u8>> = if let Some(s) = rev.iter().find(|s| s.file == f.path) {
                Arc::new(unsplice(&f.bytes, s)?)
            } else if fi == dm.index {
                Arc::new(manifest_bytes(dm))
            } else if f.is_al() && edited.contains(label.as_str()) {
                dep_edits += edits.edits.edits.iter().filter(|e| e.file == label).count();
                Arc::new(
                    edits
                        .edits
                        .apply(&label, &f.bytes)
                        .map_err(|e| MoveError::Input(format!("{}/{}: {e:?}", d.label, f.path)))?,
                )
            } else {
                f.bytes.clone()
            };
            if new != f.bytes {
                dep_touched.push(f.path.clone());
                if !f.is_al()
                    && !reverse
                    && let Some(s) = splice(&dep_id, &f.path, &f.bytes, &new)
                {
                    splices.push(s);
                }
            }
            files.push(ProjectFile::new(f.path.clone(), new));
        }
        dep_reports.push(DependentReport {
            label: d.label.clone(),
            name: dm.doc.manifest().name.clone(),
            files_touched: dep_touched,
            edits: dep_edits,
        });
        dep_out.push(files);
    }

    // --- Full verification, when the proof did not hold or was not wanted: re-parse,
    // re-resolve and compare ---
    let (sbs, verification) = match proven {
        Ok(sbs) => (sbs, Verification::Proven),
        Err((before, reason)) => {
            progress("verifying (full)", 7, 8);
            let al_sources = |files: &[ProjectFile], prefix: &str| -> Vec<SourceText> {
                files
                    .iter()
                    .filter(|f| f.is_al())
                    .map(|f| SourceText::new(format!("{prefix}{}", f.path), f.bytes.clone()))
                    .collect()
            };
            let after_inputs = Inputs {
                dep_infos: dep_manifests
                    .iter()
                    .map(|d| app_info(d.doc.manifest()))
                    .collect(),
                deps,
            };
            let after_parsed = parse_apps(
                &after_inputs,
                ParsedApp::parse(
                    app_info(manifest.doc.manifest()),
                    al_sources(&out_files, ""),
                ),
                dep_out
                    .iter()
                    .enumerate()
                    .map(|(i, files)| al_sources(files, &dep_prefix(i)))
                    .collect(),
            );
            let after = build_workspace(&after_inputs, after_parsed);
            let after_texts = texts_of(&after, 0..n_src);
            let mut problems = verify::verify(&before, &after, 0, &edits.mapping);
            for app in 0..n_src {
                for l in verify::leftover_names(&after, app as u32, &edits.mapping, &[]) {
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
            (
                side_by_side::side_by_side(&before, &after, 0),
                Verification::Full { reason },
            )
        }
    };

    // --- Report ---
    progress("reporting", 7, 8);
    let shortened: Vec<Shortened> = if reverse {
        Vec::new()
    } else {
        plan.names
            .iter()
            .filter(|n| {
                let base =
                    n.old.chars().count() + affix.as_deref().map_or(0, |a| a.chars().count() + 1);
                n.new.chars().count() < base
            })
            .map(|n| Shortened {
                old: n.old.clone(),
                new: n.new.clone(),
            })
            .collect()
    };
    let mut left: Vec<String> = if reverse {
        Vec::new()
    } else {
        let mut l = plan.consequences.clone();
        l.extend(plan.rules.notes.iter().map(|s| s.to_string()));
        l
    };
    if rules.update_dependents && dependents.is_empty() && !reverse {
        left.push("apps that depend on this one were not given (--dependents); update their dependency id and references".into());
    }
    if !sbs.is_clear() && !reverse {
        left.push(format!(
            "side by side with the old app: {} object ID(s), {} object name(s) and {} extension member(s) are shared, so both cannot be installed together (needed to migrate data)",
            sbs.shared_ids.len(),
            sbs.shared_names.len(),
            sbs.shared_members.len()
        ));
    }
    if !by_name.is_empty() {
        left.push(format!(
            "{} reference(s) whose object could not be resolved were updated by name only; check them",
            by_name.len()
        ));
    }
    if !ambiguous.is_empty() {
        left.push(format!(
            "{} unresolved identifier(s) spell the old name of a renamed field or value that another still has; check them",
            ambiguous.len()
        ));
    }
    if !missing.is_empty() {
        left.push(format!(
            "{} object(s) were not found (no symbols given for them); references to them were left as they are",
            missing.len()
        ));
    }
    if !unresolved.is_empty() {
        left.push(format!(
            "{} unresolved reference(s) were left as they are; check them by hand",
            unresolved.len()
        ));
    }
    let report = MoveReport {
        app: identity_of(&m),
        from: from.as_str().to_string(),
        to: to.as_str().to_string(),
        reverse,
        target_ranges: target_ranges.iter().map(ToString::to_string).collect(),
        affix: affix.clone(),
        new_id_generated: new_id.is_some() && opts.id.is_none(),
        identity,
        renumbered: edits
            .mapping
            .iter()
            .filter(|e| e.old_id != e.new_id)
            .cloned()
            .collect(),
        renamed: edits
            .mapping
            .iter()
            .filter(|e| e.old_name != e.new_name)
            .cloned()
            .collect(),
        shortened,
        files_touched: touched,
        edits: edits.edits.edits.len(),
        dependents: dep_reports,
        updated_by_name: by_name,
        possibly_stale: ambiguous,
        side_by_side: SideBySideReport {
            possible: sbs.is_clear(),
            shared: sbs,
        },
        verification,
        missing_objects: missing
            .into_iter()
            .map(|(kind, name)| MissingObject { kind, name })
            .collect(),
        unresolved,
        left_for_the_user: left,
    };
    let mapping = if reverse {
        mapping_in.cloned().unwrap_or_default()
    } else {
        MoveMapping {
            format: 1,
            from: from.as_str().to_string(),
            to: to.as_str().to_string(),
            old_app: identity_of(&m),
            new_app: new_identity,
            mapping: edits.mapping.clone(),
            files: splices,
            spellings,
        }
    };
    progress("done", 8, 8);
    Ok(MoveOutcome {
        files: out_files,
        deleted,
        dependents: dep_out,
        mapping,
        report,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
