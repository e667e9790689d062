//! Diagnostics: parse errors and semantic findings, with file, JSON path and
//! (when known) line and column.

use std::fmt;

use serde::Serialize;

/// How serious a finding is: the one severity of every alkit crate (manifest diagnostics,
/// the dependency graph, and scope-rules' checks, which re-export it). Mirrors the AL
/// analyzers' four levels, least serious first.
///
/// ```
/// use al_manifest::Severity;
/// assert!(Severity::Error > Severity::Warning && Severity::Info > Severity::Hidden);
/// assert_eq!("Information".parse::<Severity>(), Ok(Severity::Info));
/// assert_eq!(Severity::Info.sarif_level(), "note");
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Shown nowhere by default (AL `Hidden`).
    Hidden,
    /// Informational (AL `Info`).
    Info,
    /// Suspicious but accepted.
    Warning,
    /// Error: the compiler, the submission or publishing would reject it.
    Error,
}

impl Severity {
    /// The lower-case word used in msbuild-style output (`error`, `warning`, `info`,
    /// `hidden`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Hidden => "hidden",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// The SARIF 2.1.0 `level` for this severity (`none`, `note`, `warning`, `error`).
    pub const fn sarif_level(self) -> &'static str {
        match self {
            Severity::Hidden => "none",
            Severity::Info => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A severity word that is not one of `error`, `warning`, `info`, `hidden`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity {0:?} (expected error, warning, info or hidden)")]
pub struct UnknownSeverity(pub String);

impl std::str::FromStr for Severity {
    type Err = UnknownSeverity;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" => Ok(Severity::Error),
            "warning" => Ok(Severity::Warning),
            "info" | "information" | "note" => Ok(Severity::Info),
            "hidden" => Ok(Severity::Hidden),
            _ => Err(UnknownSeverity(s.to_string())),
        }
    }
}

/// What a [`ManifestDiagnostic`] is about (typed; the text is in [`ManifestDiagnostic::message`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticKind {
    /// The text is not valid JSON / XML.
    Syntax,
    /// A value has the wrong JSON type (or wrong shape).
    WrongType,
    /// A GUID string is malformed.
    InvalidGuid,
    /// A version string is malformed.
    InvalidVersion,
    /// A required property is missing.
    MissingProperty,
    /// `idRange` and `idRanges` are both set (AL1048).
    IdRangeAndIdRanges,
    /// Two id ranges overlap (AL1046).
    OverlappingIdRanges,
    /// An id range has `from` > `to` (AL1047).
    InvalidIdRange,
    /// `showMyCode` is combined with `resourceExposurePolicy`.
    ShowMyCodeWithPolicy,
    /// The same property occurs twice in one object.
    DuplicateProperty,
    /// Anything else (e.g. an edit target that does not exist).
    Other,
}

impl DiagnosticKind {
    /// True for kinds produced by parsing (as opposed to semantic validation).
    pub fn is_parse_error(&self) -> bool {
        matches!(
            self,
            DiagnosticKind::Syntax
                | DiagnosticKind::WrongType
                | DiagnosticKind::InvalidGuid
                | DiagnosticKind::InvalidVersion
                | DiagnosticKind::MissingProperty
        )
    }
}

/// Compiler rule id for "idRange and idRanges both set".
pub const AL1048: &str = "AL1048";
/// Compiler rule id for "overlapping id ranges".
pub const AL1046: &str = "AL1046";
/// Compiler rule id for "invalid id range (from > to)".
pub const AL1047: &str = "AL1047";

/// One finding about a manifest file.
///
/// `Display` renders `file[:line:column]: [path: ]message` (the rule id is in
/// [`ManifestDiagnostic::code`], not in the text), e.g.
/// `app.json: idRanges[1]: from 50200 is greater than to 50100`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestDiagnostic {
    /// Typed kind.
    pub kind: DiagnosticKind,
    /// Compiler rule id (`AL1046`, ...) when one applies.
    pub code: Option<&'static str>,
    /// Severity.
    pub severity: Severity,
    /// File name shown to the user (`app.json` unless set otherwise).
    pub file: String,
    /// JSON path (`idRanges[1].from`) or XML element path; empty for the whole file.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// Human-readable message (no file or path prefix).
    pub message: String,
}

impl ManifestDiagnostic {
    /// An error of `kind` at `path` in `file`.
    pub fn error(
        kind: DiagnosticKind,
        file: &str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ManifestDiagnostic {
            kind,
            code: None,
            severity: Severity::Error,
            file: file.to_string(),
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// Sets the compiler rule id.
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// Sets the severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Sets line and column (1-based).
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// True for [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for ManifestDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The error of a failed parse: one or more [`ManifestDiagnostic`]s (all errors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", join_lines(.diagnostics))]
pub struct ManifestErrors {
    /// The errors, in document order where known.
    pub diagnostics: Vec<ManifestDiagnostic>,
}

fn join_lines(d: &[ManifestDiagnostic]) -> String {
    d.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl ManifestErrors {
    /// Relabels every diagnostic with `file` (e.g. a full path instead of `app.json`).
    pub fn with_file(mut self, file: &str) -> Self {
        for d in &mut self.diagnostics {
            d.file = file.to_string();
        }
        self
    }

    /// A single-diagnostic error.
    pub fn single(d: ManifestDiagnostic) -> Self {
        ManifestErrors {
            diagnostics: vec![d],
        }
    }
}

/// 1-based (line, column) of a byte offset; columns count characters.
/// Offsets past the end or inside a character are clamped.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut off = offset.min(text.len());
    while off > 0 && !text.is_char_boundary(off) {
        off -= 1;
    }
    let before = text.get(..off).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_matches_documented_shape() {
        let d = ManifestDiagnostic::error(
            DiagnosticKind::InvalidIdRange,
            "app.json",
            "idRanges[1]",
            "from 50200 is greater than to 50100",
        );
        assert_eq!(
            d.to_string(),
            "app.json: idRanges[1]: from 50200 is greater than to 50100"
        );
        let d = d.with_code(AL1047).at(3, 5);
        assert_eq!(
            d.to_string(),
            "app.json:3:5: idRanges[1]: from 50200 is greater than to 50100"
        );
    }

    #[test]
    fn line_col_counts_chars() {
        let t = "ab\ncé\r\nx";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 6), (2, 3));
        assert_eq!(line_col(t, 5), (2, 2)); // inside 'é' → clamped
        assert_eq!(line_col(t, 99), (3, 2));
    }
}
