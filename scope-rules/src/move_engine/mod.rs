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
//!    ([`crate::move_engine::engine::build_edits`]) — they reach into the dependents too;
//! 4. prove that the edits keep every reference ([`crate::move_engine::proof::prove`]: whole
//!    names and numbers replaced as the mapping says, nothing left that a new name or ID
//!    could capture), then drop the workspace but its index;
//! 5. edit app.json (identity, idRanges), AppSourceCop.json (`mandatoryAffixes`),
//!    `.vscode/launch.json` (`startupObjectId`), `.objidconfig` (ranges), XLIFF files
//!    (trans-unit ids and notes of renamed symbols), and each dependent's dependency
//!    entry;
//! 6. when the proof did not hold (or [`MoveOptions::full_verification`]), re-parse and
//!    re-resolve the result and verify it ([`crate::move_engine::engine::verify`]); compare old and
//!    new app for side-by-side installation.
//!
//! The mapping written by a move ([`MoveMapping`]) drives the reverse move: old and new
//! IDs and names swap, and the few spellings a name-driven rewrite cannot know (a
//! reference written in another case or with quotes it did not need, a non-AL file's
//! bytes) are recorded, so forward then reverse restores every file byte for byte.

pub mod engine;
pub mod migration;
pub mod outputs;
pub mod plan;
pub mod proof;

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use al_manifest::{AppJsonDocument, AppManifest, AppVersion};
use al_parser::edit::{TextEdit, format_name};
use al_parser::resolve::Workspace;
use al_parser::symbols::{AppInfo, AppSymbols, DependencyInfo, ParsedApp, SourceText};
use serde::{Deserialize, Serialize};

use crate::affix::{AffixPosition, Affixes};
use crate::checks::source::{ObjectDecl, ObjectKind};
use crate::move_engine::engine::{MappingEntry, MoveEngineError, SideBySide};
use crate::move_engine::plan::{
    CurrentApp, MemberIdChange, MovePlan, MoveRequest, NameChange, ObjectIdChange, Requirement,
    default_target_ranges, infer_scope, move_rules, plan_move,
};
use crate::{IdRange, Scope};

/// The id of Microsoft's Base Application ("Application" dependency of app.json).
const APPLICATION_ID: &str = "c1335042-3002-4257-bf8a-75c898ccb1b8";
/// Label prefix of a dependent's files inside the joint workspace.
const DEP_PREFIX: &str = "\u{1}dependent";

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

/// The identity of an app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppIdentity {
    /// App id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Version.
    pub version: String,
}

/// A byte change to a file that is not AL source (app.json, launch.json, ...): at byte
/// `at` of the new file, `new` replaced `old` (or the file was created / deleted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Splice {
    /// Which app: empty for the moved app, else the dependent's app id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub app: String,
    /// File path.
    pub file: String,
    /// Byte offset in the new file.
    pub at: usize,
    /// The old bytes (UTF-8 text).
    pub old: String,
    /// The new bytes (UTF-8 text).
    pub new: String,
    /// The move created the file (a reverse move deletes it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub created: bool,
}

/// A reference whose old spelling a name-driven reverse rewrite would not reproduce
/// (other case, quotes it did not need): at byte `at` of the moved file's decoded text,
/// the reverse move writes `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spelling {
    /// Which app: empty for the moved app, else the dependent's app id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub app: String,
    /// File path.
    pub file: String,
    /// Byte offset in the moved file's decoded text.
    pub at: u32,
    /// The text before the move.
    pub text: String,
}

/// `move-mapping.json`: what a move changed, enough to undo it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MoveMapping {
    /// Format version (1).
    pub format: u32,
    /// Source scope.
    pub from: String,
    /// Target scope.
    pub to: String,
    /// Identity before the move.
    pub old_app: AppIdentity,
    /// Identity after the move.
    pub new_app: AppIdentity,
    /// One entry per renumbered or renamed symbol.
    pub mapping: Vec<MappingEntry>,
    /// Byte changes of non-AL files.
    #[serde(default)]
    pub files: Vec<Splice>,
    /// Old spellings of references.
    #[serde(default)]
    pub spellings: Vec<Spelling>,
}

impl MoveMapping {
    /// Reads a mapping: the JSON alkit writes, or CSV rows `type,oldId,newId[,object]`
    /// (an object type keyword, or `field`/`value` for a table-extension field or
    /// enum-extension value, whose fourth column names the extension object's old ID;
    /// `#` comments and a header row are skipped).
    ///
    /// ```
    /// use scope_rules::move_engine::MoveMapping;
    /// let m = MoveMapping::parse("type,oldId,newId\ntable,50100,70000000\n").unwrap();
    /// assert_eq!(m.mapping[0].new_id, Some(70000000));
    /// ```
    pub fn parse(text: &str) -> Result<Self, MoveError> {
        let t = text.trim_start_matches('\u{feff}');
        if t.trim_start().starts_with('{') {
            return serde_json::from_str(t).map_err(|e| {
                MoveError::Input(format!(
                    "mapping: line {}, column {}: {e}",
                    e.line(),
                    e.column()
                ))
            });
        }
        let mut m = MoveMapping {
            format: 1,
            ..Default::default()
        };
        let mut first = true;
        for (i, line) in t.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let header = std::mem::replace(&mut first, false);
            let cols: Vec<&str> = line.split(',').map(str::trim).collect();
            let bad =
                |what: &str| MoveError::Input(format!("mapping: line {}: {what}: {line:?}", i + 1));
            if cols.len() < 3 || cols.len() > 4 {
                return Err(bad("expected `type,oldId,newId[,object]`"));
            }
            let (Ok(old), Ok(new)) = (cols[1].parse::<u32>(), cols[2].parse::<u32>()) else {
                if header {
                    continue;
                }
                return Err(bad("IDs must be whole numbers"));
            };
            let kind = cols[0].to_ascii_lowercase();
            let member = matches!(kind.as_str(), "field" | "value");
            if !member && kind.parse::<ObjectKind>().is_err() {
                return Err(bad("unknown object type"));
            }
            m.mapping.push(MappingEntry {
                kind: if member {
                    kind.clone()
                } else {
                    "object".into()
                },
                object_kind: if member { String::new() } else { kind },
                object: cols.get(3).map(|s| (*s).to_string()).unwrap_or_default(),
                member: None,
                old_id: Some(old),
                new_id: Some(new),
                old_name: String::new(),
                new_name: String::new(),
                symbol: None,
            });
        }
        Ok(m)
    }
}

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

/// Why a move did not happen (nothing is produced).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    /// The input is wrong (message says what, where and what was expected).
    #[error("{0}")]
    Input(String),
    /// References could not be resolved and `allow_unresolved` was not set.
    #[error("{} object(s) not found and {} reference(s) unresolved (pass the dependencies' symbols, or allow unresolved references)", missing.len(), refs.len())]
    Unresolved {
        /// Objects referenced but not found, as (kind, name).
        missing: Vec<(String, String)>,
        /// Unresolved references.
        refs: Vec<Unresolved>,
    },
    /// The edits could not be built.
    #[error(transparent)]
    Engine(#[from] MoveEngineError),
    /// The moved sources failed verification.
    #[error("verification of the moved sources failed: {}", .0.join("; "))]
    Verification(Vec<String>),
}

/// Progress callback: `(stage, done, total)`.
pub type Progress<'a> = &'a mut dyn FnMut(&str, usize, usize);

/// Identity and dependencies of a manifest, as the symbol index wants them.
pub fn app_info(m: &AppManifest) -> AppInfo {
    let mut deps: Vec<DependencyInfo> = m
        .dependencies
        .iter()
        .map(|d| DependencyInfo {
            id: d.id.to_string().to_ascii_lowercase(),
            name: d.name.clone(),
            publisher: d.publisher.clone(),
        })
        .collect();
    if m.application.is_some() && m.id.to_string() != APPLICATION_ID {
        deps.push(DependencyInfo {
            id: APPLICATION_ID.into(),
            name: "Application".into(),
            publisher: "Microsoft".into(),
        });
    }
    AppInfo {
        id: m.id.to_string().to_ascii_lowercase(),
        name: m.name.clone(),
        publisher: m.publisher.clone(),
        version: m.version.to_string(),
        dependencies: deps,
    }
}

/// A project's app.json, decoded and parsed.
struct Manifest {
    /// Index in the file list.
    index: usize,
    doc: AppJsonDocument,
    bom: bool,
    encoding: al_parser::Encoding,
}

fn read_manifest(files: &[ProjectFile], label: &str) -> Result<Manifest, MoveError> {
    let index = files
        .iter()
        .position(|f| f.path.eq_ignore_ascii_case("app.json"))
        .ok_or_else(|| MoveError::Input(format!("{label}: no app.json")))?;
    let (text, encoding) = al_parser::decode(&files[index].bytes);
    let text = String::from_utf8(text).map_err(|e| {
        MoveError::Input(format!(
            "{label}/app.json: not valid UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let bom = text.starts_with('\u{feff}');
    let doc = AppJsonDocument::parse_named(
        text.strip_prefix('\u{feff}').unwrap_or(&text),
        &format!("{label}/app.json"),
    )
    .map_err(|e| MoveError::Input(e.to_string()))?;
    Ok(Manifest {
        index,
        doc,
        bom,
        encoding,
    })
}

fn manifest_bytes(m: &Manifest) -> Vec<u8> {
    let mut t = m.doc.to_string();
    if m.bom && !t.starts_with('\u{feff}') {
        t.insert(0, '\u{feff}');
    }
    al_parser::encode(t.as_bytes(), m.encoding)
}

fn ranges_text(r: &[IdRange]) -> String {
    r.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn identity_of(m: &AppManifest) -> AppIdentity {
    AppIdentity {
        id: m.id.to_string(),
        name: m.name.clone(),
        publisher: m.publisher.clone(),
        version: m.version.to_string(),
    }
}

/// 1-based line and column of a byte offset in a decoded text.
pub fn line_col(text: &[u8], offset: u32) -> (usize, usize) {
    let end = (offset as usize).min(text.len());
    let before = text.get(..end).unwrap_or_default();
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(before.get(start..).unwrap_or_default())
        .chars()
        .count()
        + 1;
    (line, col)
}

/// The smallest splice turning `old` into `new` (common prefix and suffix cut, on
/// character boundaries); `None` when equal or not UTF-8.
fn splice(app: &str, file: &str, old: &[u8], new: &[u8]) -> Option<Splice> {
    if old == new {
        return None;
    }
    let (o, n) = (
        std::str::from_utf8(old).ok()?,
        std::str::from_utf8(new).ok()?,
    );
    let mut p = o.bytes().zip(n.bytes()).take_while(|(a, b)| a == b).count();
    while !o.is_char_boundary(p) || !n.is_char_boundary(p) {
        p -= 1;
    }
    let max_s = o.len().min(n.len()) - p;
    let mut s = o
        .bytes()
        .rev()
        .zip(n.bytes().rev())
        .take(max_s)
        .take_while(|(a, b)| a == b)
        .count();
    while !o.is_char_boundary(o.len() - s) || !n.is_char_boundary(n.len() - s) {
        s -= 1;
    }
    Some(Splice {
        app: app.to_string(),
        file: file.to_string(),
        at: p,
        old: o[p..o.len() - s].to_string(),
        new: n[p..n.len() - s].to_string(),
        created: false,
    })
}

/// Undoes `s` on `bytes` (which must hold `s.new` at `s.at`).
fn unsplice(bytes: &[u8], s: &Splice) -> Result<Vec<u8>, MoveError> {
    let end = s.at + s.new.len();
    if bytes.get(s.at..end) != Some(s.new.as_bytes()) {
        return Err(MoveError::Input(format!(
            "{}: changed since the move (expected {:?} at byte {}); cannot reverse",
            s.file, s.new, s.at
        )));
    }
    let mut out = Vec::with_capacity(bytes.len() + s.old.len());
    out.extend_from_slice(&bytes[..s.at]);
    out.extend_from_slice(s.old.as_bytes());
    out.extend_from_slice(&bytes[end..]);
    Ok(out)
}

fn unquote(s: &str) -> String {
    let t = s.trim();
    let t = t
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .or_else(|| t.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
        .unwrap_or(t);
    t.replace("''", "'").to_lowercase()
}

/// The sources of one app for the workspace, labelled with `prefix`.
fn sources(files: &[ProjectFile], prefix: &str) -> Vec<SourceText> {
    files
        .iter()
        .filter(|f| f.is_al())
        .map(|f| SourceText::new(format!("{prefix}{}", f.path), f.bytes.clone()))
        .collect()
}

fn dep_prefix(i: usize) -> String {
    format!("{DEP_PREFIX}{i}/")
}

/// Splits a workspace label into (dependent index, path).
fn split_label(label: &str) -> (Option<usize>, &str) {
    if let Some(rest) = label.strip_prefix(DEP_PREFIX)
        && let Some((n, path)) = rest.split_once('/')
        && let Ok(i) = n.parse::<usize>()
    {
        return (Some(i), path);
    }
    (None, label)
}

/// A decoded text and, built on first use, where its lines start: many locations in
/// one file (unresolved references) cost a binary search each, not a scan from the start.
struct Text<'a> {
    bytes: &'a [u8],
    lines: std::sync::OnceLock<Vec<u32>>,
}

impl<'a> Text<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Text {
            bytes,
            lines: std::sync::OnceLock::new(),
        }
    }

    /// [`line_col`] of `offset`.
    fn line_col(&self, offset: u32) -> (usize, usize) {
        let end = (offset as usize).min(self.bytes.len());
        let starts = self.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.bytes).map(|i| i as u32 + 1))
                .collect()
        });
        let line = starts.partition_point(|&s| s as usize <= end).max(1);
        let start = starts.get(line - 1).map_or(0, |&s| s as usize);
        let in_line = self.bytes.get(start..end).unwrap_or_default();
        let chars = match std::str::from_utf8(in_line) {
            Ok(s) => s.chars().count(),
            Err(_) => String::from_utf8_lossy(in_line).chars().count(),
        };
        (line, chars + 1)
    }
}

/// The decoded texts of `apps` of `ws` by label.
fn texts_of(ws: &Workspace, apps: std::ops::Range<usize>) -> HashMap<&str, Text<'_>> {
    apps.flat_map(|a| decoded(ws, a))
        .map(|(label, bytes)| (label, Text::new(bytes)))
        .collect()
}

/// Where `offset` of the file labelled `label` (see [`split_label`]) is, given the
/// decoded texts of the workspace's files.
fn location(
    texts: &HashMap<&str, Text<'_>>,
    dependents: &[Dependent],
    label: &str,
    offset: u32,
) -> Location {
    let (line, column) = texts.get(label).map_or((0, 0), |t| t.line_col(offset));
    let (dep, path) = split_label(label);
    Location {
        app: dep
            .and_then(|i| dependents.get(i))
            .map(|d| d.label.clone())
            .unwrap_or_default(),
        file: path.to_string(),
        line,
        column,
    }
}

struct Inputs<'a> {
    dep_infos: Vec<AppInfo>,
    deps: &'a Dependencies,
}

/// Parses the app (source app 0) and its dependents (1..).
fn parse_apps(
    inputs: &Inputs<'_>,
    app: ParsedApp,
    dep_sources: Vec<Vec<SourceText>>,
) -> Vec<ParsedApp> {
    let mut src = vec![app];
    for (info, s) in inputs.dep_infos.iter().zip(dep_sources) {
        src.push(ParsedApp::parse(info.clone(), s));
    }
    src
}

/// The workspace of the app and its dependents (sources), with stand-ins for the base
/// objects of their extensions that no dependency provides.
fn build_workspace(inputs: &Inputs<'_>, parsed: Vec<ParsedApp>) -> Workspace {
    Workspace::with_stand_ins_over(parsed, &inputs.deps.sources, &inputs.deps.packages)
}

/// Decoded text of every AL file of source app `app` of `ws` (borrowed from its parses).
fn decoded(ws: &Workspace, app: usize) -> HashMap<&str, &[u8]> {
    ws.parsed
        .get(app)
        .and_then(Option::as_ref)
        .map(|p| {
            p.files
                .iter()
                .filter_map(|f| f.parses.first().map(|x| (f.path.as_str(), x.text())))
                .collect()
        })
        .unwrap_or_default()
}

/// Builds the plan from a mapping (a reverse move swaps old and new).
fn plan_from_mapping(m: &MoveMapping, reverse: bool) -> MovePlan {
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
fn override_plan(
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
                    for mem in o.members.iter().filter(|x| x.id == Some(old)) {
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

fn apply_names(plan: &mut MovePlan, names: &BTreeMap<String, String>, objects: &[ObjectDecl]) {
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
                old: crate::move_engine::engine::strip(&o.name).to_string(),
                new: new.clone(),
            });
        }
    }
}

/// Byte offset in the new text of each edit's start (edits sorted per file).
fn new_offsets(edits: &[TextEdit]) -> Vec<u32> {
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

/// For each replacement text a forward move writes, what the reverse move writes back
/// (`None`: two symbols would write different texts, so it cannot be predicted).
fn reverse_texts(mapping: &[MappingEntry]) -> HashMap<String, Option<String>> {
    let mut m: HashMap<String, Option<String>> = HashMap::new();
    for e in mapping {
        let cands = [
            (format_name(&e.new_name), format_name(&e.old_name)),
            (
                e.new_name.replace('\'', "''"),
                e.old_name.replace('\'', "''"),
            ),
            (
                e.new_id.map(|i| i.to_string()).unwrap_or_default(),
                e.old_id.map(|i| i.to_string()).unwrap_or_default(),
            ),
        ];
        for (fwd, back) in cands {
            if fwd.is_empty() {
                continue;
            }
            match m.get(&fwd) {
                None => {
                    m.insert(fwd, Some(back));
                }
                Some(Some(g)) if *g == back => {}
                Some(_) => {
                    m.insert(fwd, None);
                }
            }
        }
    }
    m
}

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
        missing.extend(engine::missing_objects(&before, app as u32));
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
        let found = engine::unresolved(&before, app as u32);
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
    let mut edits = engine::build_edits(&before, 0, &plan, &objects)?;
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
                    engine::leftover_names(&before, app as u32, &edits.mapping, &edits.edits.edits);
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
        edits.edits = engine::merge(all)?;
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
            .map(|old| engine::side_by_side_symbols(old, &moved))
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
            let mut problems = engine::verify(&before, &after, 0, &edits.mapping);
            for app in 0..n_src {
                for l in engine::leftover_names(&after, app as u32, &edits.mapping, &[]) {
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
                engine::side_by_side(&before, &after, 0),
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
    use proptest::prelude::*;

    proptest! {
        /// The line index gives the positions of the plain scan (lines end at LF; columns
        /// count characters, invalid UTF-8 read lossily), at every offset, past the end too.
        #[test]
        fn indexed_line_col_is_the_scan(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'\n'), Just(b'\r'), Just(b'a'), Just(0xC3u8), Just(0xA9u8), any::<u8>()],
                0..64,
            ),
            offsets in proptest::collection::vec(0u32..80, 1..8),
        ) {
            let t = Text::new(&bytes);
            for o in offsets {
                prop_assert_eq!(t.line_col(o), line_col(&bytes, o));
            }
        }
    }

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
