//! `alkit move --report FILE`: the report in the format FILE's extension names — `.html`
//! (or `.htm`) the self-contained page of `scope_rules::move_engine::report_view`, anything
//! else the JSON report.

use std::path::Path;

use scope_rules::move_engine::report_view::{FileDiff, to_html};
use scope_rules::move_engine::{Dependent, MoveOutcome, ProjectFile};

/// Whether `path` names an HTML file.
pub fn is_html(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// The bytes `--report FILE` gets: the HTML page for `.html`/`.htm`, else `report_json`.
pub fn report_file(
    path: &Path,
    report_json: &str,
    outcome: &MoveOutcome,
    files: &[ProjectFile],
    dependents: &[Dependent],
) -> Vec<u8> {
    if !is_html(path) {
        return report_json.as_bytes().to_vec();
    }
    let diffs: Vec<FileDiff> = outcome
        .changes(files, dependents)
        .iter()
        .map(|(label, old, new)| line_counts(label, old, new))
        .collect();
    to_html(&outcome.report, &diffs).into_bytes()
}

/// Lines added and removed between two versions of a file.
fn line_counts(label: &str, old: &[u8], new: &[u8]) -> FileDiff {
    let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
    let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
    let (mut added, mut removed) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Insert => added += 1,
            similar::ChangeTag::Delete => removed += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    FileDiff {
        label: label.to_string(),
        added,
        removed,
    }
}
