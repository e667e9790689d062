//! Stage "resolve": the moved app (source app 0) and its dependents (1..) parsed into one
//! workspace over the dependencies' symbols, and locations of what the stages find in it.

use std::collections::HashMap;

use al_manifest::AppManifest;
use al_parser::resolve::Workspace;
use al_parser::symbols::{AppInfo, DependencyInfo, ParsedApp, SourceText};

use crate::move_engine::report::Location;
use crate::move_engine::request::Manifest;
use crate::move_engine::{Dependencies, Dependent, ProjectFile};

// The "Application" umbrella app app.json's `application` property stands for.
use crate::checks::manifest::APPLICATION_ID;

/// Label prefix of a dependent's files inside the joint workspace.
pub(super) const DEP_PREFIX: &str = "\u{1}dependent";

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

/// The sources of one app for the workspace, labelled with `prefix`.
pub(super) fn sources(files: &[ProjectFile], prefix: &str) -> Vec<SourceText> {
    files
        .iter()
        .filter(|f| f.is_al())
        .map(|f| SourceText::new(format!("{prefix}{}", f.path), f.bytes.clone()))
        .collect()
}

/// The app's AL files parsed in every branch configuration, the one its app.json defines
/// (`preprocessorSymbols`) first: what the plan reads and what the symbol index is built
/// on, before and after the move.
pub(super) fn parse_app(files: &[ProjectFile], app: &al_manifest::AppManifest) -> ParsedApp {
    ParsedApp::parse_with(
        super::app_info(app),
        sources(files, ""),
        &al_parser::Defines::from_symbols(&app.preprocessor_symbols),
    )
}

pub(super) fn dep_prefix(i: usize) -> String {
    format!("{DEP_PREFIX}{i}/")
}

/// Splits a workspace label into (dependent index, path).
pub(crate) fn split_label(label: &str) -> (Option<usize>, &str) {
    if let Some(rest) = label.strip_prefix(DEP_PREFIX)
        && let Some((n, path)) = rest.split_once('/')
        && let Ok(i) = n.parse::<usize>()
    {
        return (Some(i), path);
    }
    (None, label)
}

/// 1-based line and column of a byte offset in a decoded text, by a plain scan: what the
/// line index of [`Text`] must agree with (its property test).
#[cfg(test)]
pub(super) fn line_col(text: &[u8], offset: u32) -> (usize, usize) {
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

/// A decoded text and, built on first use, where its lines start: many locations in
/// one file (unresolved references) cost a binary search each, not a scan from the start.
pub(super) struct Text<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) lines: std::sync::OnceLock<Vec<u32>>,
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
pub(super) fn texts_of(ws: &Workspace, apps: std::ops::Range<usize>) -> HashMap<&str, Text<'_>> {
    apps.flat_map(|a| decoded(ws, a))
        .map(|(label, bytes)| (label, Text::new(bytes)))
        .collect()
}

/// Where `offset` of the file labelled `label` (see [`split_label`]) is, given the
/// decoded texts of the workspace's files.
pub(super) fn location(
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

pub(super) struct Inputs<'a> {
    pub(super) dep_infos: Vec<AppInfo>,
    pub(super) deps: &'a Dependencies,
}

/// Parses the app (source app 0) and its dependents (1..).
pub(super) fn parse_apps(
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
pub(super) fn build_workspace(inputs: &Inputs<'_>, parsed: Vec<ParsedApp>) -> Workspace {
    Workspace::with_stand_ins_over(parsed, &inputs.deps.sources, &inputs.deps.packages)
}

/// Decoded text of every AL file of source app `app` of `ws` (borrowed from its parses).
pub(super) fn decoded(ws: &Workspace, app: usize) -> HashMap<&str, &[u8]> {
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

impl<'a> Inputs<'a> {
    /// The inputs of the dependents given by their app.json.
    pub(super) fn new(dependents: &[Manifest], deps: &'a Dependencies) -> Self {
        Inputs {
            dep_infos: dependents
                .iter()
                .map(|d| app_info(d.doc.manifest()))
                .collect(),
            deps,
        }
    }

    /// The id of the app a workspace label belongs to (empty for the moved app).
    pub(super) fn app_key(&self, label: &str) -> String {
        match split_label(label).0 {
            Some(i) => self
                .dep_infos
                .get(i)
                .map(|x| x.id.clone())
                .unwrap_or_default(),
            None => String::new(),
        }
    }
}

/// Stage "resolve": the workspace of the moved app (`app`, parsed) and its `dependents`.
pub(super) fn build(inputs: &Inputs<'_>, app: ParsedApp, dependents: &[Dependent]) -> Workspace {
    let dep_sources: Vec<Vec<SourceText>> = dependents
        .iter()
        .enumerate()
        .map(|(i, d)| sources(&d.files, &dep_prefix(i)))
        .collect();
    build_workspace(inputs, parse_apps(inputs, app, dep_sources))
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
}
