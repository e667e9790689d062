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

/// A syntax error in a file the move was given (the move refuses such files unless
/// [`crate::move_engine::MoveOptions::allow_syntax_errors`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyntaxProblem {
    /// Where (the column counts bytes).
    pub at: Location,
    /// The parser's message.
    pub message: String,
}

impl std::fmt::Display for SyntaxProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
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
    /// Syntax errors in the moved app's files, moved anyway (`allow_syntax_errors`): the
    /// parts of those files the parser could not read may hold references left as they were.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub syntax_errors: Vec<SyntaxProblem>,
    /// What the move found already done (an app moved a second time): already in the
    /// target scope, names already carrying the affix, nothing to renumber or rename.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub already_done: Vec<String>,
    /// Warnings: a reverse move restored names that newer symbols have taken (the
    /// original bytes come back; rename the newer symbols before compiling).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Files the move should have updated but skipped (not readable), left as they were.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
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

impl Location {
    /// `[app] file:line:column` (the app only for a dependent's file).
    fn markdown(&self) -> String {
        let app = if self.app.is_empty() {
            String::new()
        } else {
            format!("[{}] ", self.app)
        };
        format!("{app}{}:{}:{}", self.file, self.line, self.column)
    }
}

/// An optional number as JSON writes it (`null` when absent).
fn id_text(id: Option<u32>) -> String {
    id.map_or_else(|| "null".to_string(), |n| n.to_string())
}

impl MoveReport {
    /// What the verification did not cover, with counts (`3 possibly stale`, `1
    /// unresolved`, …): neither the proof nor the full verification can vouch for
    /// references left unresolved, updated by name only, possibly stale or in text the
    /// parser could not read. Empty when everything was verified.
    pub fn not_verified(&self) -> Vec<String> {
        [
            (self.possibly_stale.len(), "possibly stale"),
            (self.updated_by_name.len(), "updated by name only"),
            (self.unresolved.len(), "unresolved"),
            (self.syntax_errors.len(), "syntax error(s)"),
            (self.skipped.len(), "file(s) skipped"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect()
    }

    /// The Markdown sections of what the move found on the way, each only when it has
    /// something: syntax errors moved anyway, warnings, what was already done.
    fn markdown_found_on_the_way(&self) -> String {
        use std::fmt::Write as _;
        let mut w = String::new();
        if !self.syntax_errors.is_empty() {
            let _ = writeln!(
                w,
                "\n## Syntax errors (moved anyway; references in them may be left as they were)\n"
            );
            for e in &self.syntax_errors {
                let _ = writeln!(w, "- {} {}", e.at.markdown(), e.message);
            }
        }
        for (title, list) in [
            ("Skipped (not readable; update by hand)", &self.skipped),
            ("Warnings", &self.warnings),
            ("Already done", &self.already_done),
        ] {
            if !list.is_empty() {
                let _ = writeln!(w, "\n## {title}\n");
                for l in list {
                    let _ = writeln!(w, "- {l}");
                }
            }
        }
        w
    }

    /// The report as Markdown (`move-report.md`): identity, renumbered and renamed
    /// symbols, shortened names, files and dependents touched, how the result was
    /// verified, what was updated by name or left possibly stale, what could not be
    /// resolved, side by side with the old app, and what is left for the user.
    pub fn to_markdown(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let w = &mut s;
        let _ = writeln!(
            w,
            "# Move report: {} ({} -> {})\n",
            self.app.name, self.from, self.to
        );
        let _ = writeln!(w, "## Identity\n");
        for i in &self.identity {
            let _ = writeln!(w, "- {}: `{}` -> `{}`", i.property, i.old, i.new);
        }
        let _ = writeln!(w, "\n## Renumbered\n");
        for e in &self.renumbered {
            let member = e
                .member
                .as_ref()
                .map(|m| format!(" {} {m:?}", e.kind))
                .unwrap_or_default();
            let _ = writeln!(
                w,
                "- {} {:?}{member}: {} -> {}",
                e.object_kind,
                e.object,
                id_text(e.old_id),
                id_text(e.new_id)
            );
        }
        let _ = writeln!(w, "\n## Renamed\n");
        for e in &self.renamed {
            let member = e
                .member
                .as_ref()
                .map(|_| format!(" {}", e.kind))
                .unwrap_or_default();
            let _ = writeln!(
                w,
                "- {} {:?}{member}: {:?} -> {:?}",
                e.object_kind, e.object, e.old_name, e.new_name
            );
        }
        let _ = writeln!(w, "\n## Shortened names\n");
        for e in &self.shortened {
            let _ = writeln!(w, "- {:?} -> {:?}", e.old, e.new);
        }
        let _ = writeln!(w, "\n## Files touched\n");
        for f in &self.files_touched {
            let _ = writeln!(w, "- {f}");
        }
        let _ = writeln!(w, "\n## Dependents updated\n");
        for d in &self.dependents {
            let _ = writeln!(
                w,
                "- {} ({}): {} edits in {} files",
                d.label,
                d.name,
                d.edits,
                d.files_touched.len()
            );
        }
        let _ = writeln!(
            w,
            "\n## Verification\n\n{}",
            match &self.verification {
                Verification::Proven => "Edits proven to rename and renumber only what the mapping says, token for token; nothing left spells a new name or ID.".to_string(),
                Verification::Full { reason } => format!("Moved sources re-parsed and re-resolved, every reference compared ({reason})."),
            }
        );
        let not_verified = self.not_verified();
        if !not_verified.is_empty() {
            let _ = writeln!(
                w,
                "\nNot verified (listed below; check them): {}.",
                not_verified.join(", ")
            );
        }
        let _ = writeln!(w, "\n## Updated by name (object not resolved; check)\n");
        for u in &self.updated_by_name {
            let _ = writeln!(
                w,
                "- {} `{}` -> `{}`",
                u.at.markdown(),
                u.old,
                u.new.as_deref().unwrap_or("null")
            );
        }
        let _ = writeln!(
            w,
            "\n## Possibly stale (unresolved, ambiguous old name; check)\n"
        );
        for u in &self.possibly_stale {
            let _ = writeln!(w, "- {} `{}`", u.at.markdown(), u.old);
        }
        let _ = writeln!(
            w,
            "\n## Objects not found (no symbols; references left as they are)\n"
        );
        for u in &self.missing_objects {
            let _ = writeln!(w, "- {} {:?}", u.kind, u.name);
        }
        let _ = writeln!(w, "\n## Unresolved references (not updated)\n");
        for u in &self.unresolved {
            let _ = writeln!(w, "- {} `{}`: {}", u.at.markdown(), u.text, u.reason);
        }
        let _ = writeln!(w, "\n## Side by side with the old app\n");
        if self.side_by_side.possible {
            let _ = writeln!(
                w,
                "- no shared object IDs, object names or extension fields/values"
            );
        }
        let shared = &self.side_by_side.shared;
        for (what, list) in [
            ("object ID", &shared.shared_ids),
            ("object name", &shared.shared_names),
            ("extension field/value", &shared.shared_members),
        ] {
            for x in list {
                let _ = writeln!(w, "- shared {what}: {x}");
            }
        }
        w.push_str(&self.markdown_found_on_the_way());
        let _ = writeln!(w, "\n## Left for you\n");
        for l in &self.left_for_the_user {
            let _ = writeln!(w, "- {l}");
        }
        s.push_str(&super::report_view::markdown_section(self));
        s
    }
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
    pub(super) syntax_errors: Vec<SyntaxProblem>,
}

/// Names the plan shortened (not only prefixed) to keep the length limits.
fn shortened(p: &Parts<'_>) -> Vec<Shortened> {
    if p.opts.reverse {
        return Vec::new();
    }
    // A name is shortened when it lost characters of its own: the affix alone (joined
    // with or without a space) or a dropped separator is not shortening.
    let affix = p.request.affix.as_deref();
    p.plan
        .names
        .iter()
        .filter(|n| {
            let base = n.old.chars().count() + affix.map_or(0, |a| a.chars().count());
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
    if let Some(a) = p.request.affix.as_deref().filter(|a| a.chars().count() > 3) {
        let n = shortened(p).len();
        if n > 0 {
            left.push(format!(
                "the {}-character affix {a:?} made {n} name(s) too long, so they were shortened (listed in the report); a 3-character affix leaves more of each name",
                a.chars().count()
            ));
        }
    }
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
    if !p.syntax_errors.is_empty() {
        left.push(format!(
            "{} syntax error(s) in the app's files were accepted (allow syntax errors): references in what the parser could not read were not updated; fix and check them",
            p.syntax_errors.len()
        ));
    }
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

/// The syntax errors of the parsed files (in every branch configuration, each once).
pub(super) fn syntax_errors(app: &al_parser::symbols::ParsedApp) -> Vec<SyntaxProblem> {
    let mut out = Vec::new();
    for f in &app.files {
        let mut seen = std::collections::BTreeSet::new();
        for parse in &f.parses {
            for d in parse.diagnostics() {
                let (line, column) = parse.line_col(d.start);
                if seen.insert((line, column)) {
                    out.push(SyntaxProblem {
                        at: Location {
                            app: String::new(),
                            file: f.path.clone(),
                            line: line as usize,
                            column: column as usize,
                        },
                        message: parse.describe(d),
                    });
                }
            }
        }
    }
    out
}

/// What a move finds already done: the app already in the target scope (its ranges
/// valid there and kept), nothing renumbered or renamed.
fn already_done(p: &Parts<'_>) -> Vec<String> {
    if p.opts.reverse {
        return Vec::new();
    }
    let mut out = Vec::new();
    let in_target = p.request.from == p.request.to
        || (!p.request.current_ranges.is_empty()
            && crate::move_engine::plan::same_ranges(
                &p.request.current_ranges,
                &p.request.target_ranges,
            )
            && crate::move_engine::request::infer_scope(&p.request.current_ranges) == p.request.to);
    if in_target {
        out.push(format!(
            "the app is already in {} with idRanges {}",
            p.request.to,
            ranges_text(&p.request.current_ranges)
        ));
    }
    let changed = p
        .edits
        .mapping
        .iter()
        .any(|e| e.old_id != e.new_id || e.old_name != e.new_name);
    if !changed {
        out.push(match &p.request.affix {
            Some(a) => format!(
                "nothing to renumber or rename: every ID is in the target ranges and every name that needs it already carries the affix {a} (moved before?); the earlier move's mapping is the one to keep"
            ),
            None => "nothing to renumber or rename: every ID is in the target ranges (moved before?); the earlier move's mapping is the one to keep".to_string(),
        });
    }
    out
}

/// Stage "report": the typed report of the move.
pub(super) fn build(p: Parts<'_>) -> MoveReport {
    let already_done = already_done(&p);
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
        syntax_errors: p.syntax_errors,
        already_done,
        warnings: p.edits.collisions.clone(),
        skipped: p.app_out.skipped.clone(),
    }
}
