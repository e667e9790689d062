//! Diagnostics, text edits, rule configuration and the three renderers
//! (msbuild-style text, JSON, SARIF 2.1.0).
//!
//! A [`Diagnostic`] carries a rule code (`AS0013`, `PTE0001`, `AL0297`, …), a
//! [`Severity`], a file, a 1-based line and column, an optional byte span, a
//! message and an optional fix expressed as [`TextEdit`]s.
//!
//! ```
//! use scope_rules::checks::diagnostic::{Diagnostic, Severity, render_text};
//! use scope_rules::checks::rules::RuleId;
//!
//! let d = Diagnostic::new(RuleId::AS0014, Severity::Error, "app.json", "no idRanges declared")
//!     .at(1, 1);
//! assert_eq!(
//!     render_text(&[d]),
//!     "app.json(1,1): error AS0014: no idRanges declared\n"
//! );
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::checks::rules::RuleId;

pub use al_manifest::{Severity, UnknownSeverity};

/// One replacement of a byte range in a file (al-parser's one edit type: a fix is applied
/// with the same [`al_parser::edit::EditSet`] as a move's edits). Edits never overlap within
/// one fix.
pub use al_parser::edit::TextEdit;

/// A finding of one rule at one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The rule id, e.g. `AS0013` (serialized as that string).
    pub code: RuleId,
    /// Severity after configuration was applied.
    pub severity: Severity,
    /// The file the finding is about (as given by the caller; often relative).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column (in characters).
    pub column: u32,
    /// Byte range in the file, when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub span: Option<Range<usize>>,
    /// Human-readable message (one line).
    pub message: String,
    /// A fix, as text edits, when one is known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub fix: Option<Vec<TextEdit>>,
}

impl Diagnostic {
    /// A diagnostic at line 1, column 1 with no span and no fix.
    pub fn new(
        code: RuleId,
        severity: Severity,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            file: file.into(),
            line: 1,
            column: 1,
            span: None,
            message: message.into(),
            fix: None,
        }
    }

    /// Same diagnostic at a 1-based `line` and `column` (0 is clamped to 1).
    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = line.max(1);
        self.column = column.max(1);
        self
    }

    /// Same diagnostic with a byte span.
    pub fn with_span(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    /// Same diagnostic with a fix.
    pub fn with_fix(mut self, edits: Vec<TextEdit>) -> Self {
        self.fix = Some(edits);
        self
    }
}

/// Which rules run and at which severity.
///
/// Rule ids are compared case-insensitively. A disabled rule produces no
/// diagnostics; an override replaces the rule's default severity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleConfig {
    disabled: BTreeSet<String>,
    overrides: BTreeMap<String, Severity>,
    suppressed_warnings: BTreeSet<String>,
}

/// Why a ruleset file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RuleSetError {
    /// The text is not a JSON ruleset.
    #[error("invalid ruleset JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A rule's `action` is not one of Error, Warning, Info, Hidden, None.
    #[error("rule {id}: unknown action {action:?} (expected Error, Warning, Info, Hidden or None)")]
    Action {
        /// The rule id.
        id: String,
        /// The action text.
        action: String,
    },
}

#[derive(Deserialize)]
struct RuleSetFile {
    #[serde(default)]
    rules: Vec<RuleSetEntry>,
}

#[derive(Deserialize)]
struct RuleSetEntry {
    id: String,
    action: String,
}

impl RuleConfig {
    /// Every rule enabled at its default severity.
    pub fn new() -> Self {
        Self::default()
    }

    /// Disables a rule by id.
    pub fn disable(&mut self, id: &str) -> &mut Self {
        self.disabled.insert(id.trim().to_ascii_uppercase());
        self
    }

    /// Sets the severity a rule reports at.
    pub fn set_severity(&mut self, id: &str, severity: Severity) -> &mut Self {
        self.overrides
            .insert(id.trim().to_ascii_uppercase(), severity);
        self
    }

    /// Hides the listed rules when they report below `Error`, like app.json's
    /// `suppressWarnings` (which cannot hide errors).
    ///
    /// ```
    /// use scope_rules::{Diagnostic, RuleConfig, Severity, checks::rules::RuleId};
    /// let mut cfg = RuleConfig::new();
    /// cfg.suppress_warnings(["AS0092", "AS0014"]);
    /// let d = vec![
    ///     Diagnostic::new(RuleId::AS0092, Severity::Warning, "app.json", "w"),
    ///     Diagnostic::new(RuleId::AS0014, Severity::Error, "app.json", "e"),
    /// ];
    /// assert_eq!(cfg.apply(d).len(), 1);
    /// ```
    pub fn suppress_warnings<I, S>(&mut self, ids: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.suppressed_warnings.extend(
            ids.into_iter()
                .map(|s| s.as_ref().trim().to_ascii_uppercase()),
        );
        self
    }

    /// Whether a rule is enabled.
    pub fn is_enabled(&self, id: &str) -> bool {
        !self.disabled.contains(&id.to_ascii_uppercase())
    }

    /// The severity to report `id` at, given its default.
    pub fn severity_of(&self, id: &str, default: Severity) -> Severity {
        self.overrides
            .get(&id.to_ascii_uppercase())
            .copied()
            .unwrap_or(default)
    }

    /// Reads an AL ruleset file (`{"rules": [{"id": "AS0011", "action": "Warning"}]}`).
    /// `action` `None` disables the rule; other actions override the severity.
    ///
    /// ```
    /// use scope_rules::checks::diagnostic::{RuleConfig, Severity};
    /// let cfg = RuleConfig::from_ruleset_json(
    ///     r#"{"name":"x","rules":[{"id":"AS0092","action":"None"},{"id":"as0011","action":"Warning"}]}"#,
    /// ).unwrap();
    /// assert!(!cfg.is_enabled("AS0092"));
    /// assert_eq!(cfg.severity_of("AS0011", Severity::Error), Severity::Warning);
    /// ```
    pub fn from_ruleset_json(text: &str) -> Result<Self, RuleSetError> {
        let file: RuleSetFile = serde_json::from_str(text)?;
        let mut cfg = RuleConfig::new();
        for rule in file.rules {
            if rule.action.trim().eq_ignore_ascii_case("none") {
                cfg.disable(&rule.id);
            } else {
                let sev = rule
                    .action
                    .parse::<Severity>()
                    .map_err(|_| RuleSetError::Action {
                        id: rule.id.clone(),
                        action: rule.action.clone(),
                    })?;
                cfg.set_severity(&rule.id, sev);
            }
        }
        Ok(cfg)
    }

    /// Drops diagnostics of disabled rules, applies severity overrides, then
    /// drops suppressed warnings (see [`RuleConfig::suppress_warnings`]).
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter(|d| self.is_enabled(d.code.as_str()))
            .map(|mut d| {
                d.severity = self.severity_of(d.code.as_str(), d.severity);
                d
            })
            .filter(|d| {
                d.severity == Severity::Error || !self.suppressed_warnings.contains(d.code.as_str())
            })
            .collect()
    }
}

/// Sorts diagnostics by file, line, column, then code (stable, so findings at
/// the same place keep their rule order). Checks return rule order; call this
/// before rendering when a file order is wanted.
pub fn sort_by_location(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.file.as_str(), a.line, a.column, a.code.as_str()).cmp(&(
            b.file.as_str(),
            b.line,
            b.column,
            b.code.as_str(),
        ))
    });
}

/// Renders diagnostics in the msbuild/AL compiler format read by VS Code problem
/// matchers and AL-Go: `file(line,col): error CODE: message`, one per line.
///
/// `Hidden` diagnostics are left out. Each line ends with `\n`.
pub fn render_text(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Hidden)
    {
        out.push_str(&format!(
            "{}({},{}): {} {}: {}\n",
            d.file,
            d.line,
            d.column,
            d.severity.as_str(),
            d.code,
            one_line(&d.message)
        ));
    }
    out
}

fn one_line(message: &str) -> String {
    message.replace(['\r', '\n'], " ")
}

/// Renders diagnostics as a pretty JSON array of objects with the fields of
/// [`Diagnostic`] (`span` and `fix` only when present).
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".to_string())
}

/// The name reported as `tool.driver.name` in SARIF output.
pub const SARIF_TOOL_NAME: &str = "alkit";

/// Builds a SARIF 2.1.0 log as a JSON value: one run, `tool.driver` with the
/// rules that occur (id, a short description and the default level from
/// [`crate::checks::rules::RULES`]), and one result per diagnostic.
pub fn sarif_value(diagnostics: &[Diagnostic]) -> Value {
    // RuleId's order is the ids' text order.
    let mut ids: Vec<RuleId> = diagnostics.iter().map(|d| d.code).collect();
    ids.sort_unstable();
    ids.dedup();
    let rule_index: BTreeMap<RuleId, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let rules_json: Vec<Value> = ids
        .iter()
        .map(|id| {
            let info = id.info();
            json!({
                "id": id,
                "shortDescription": { "text": info.title },
                "defaultConfiguration": { "level": info.severity.sarif_level() },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut region = json!({ "startLine": d.line.max(1), "startColumn": d.column.max(1) });
            if let Some(span) = &d.span {
                region["byteOffset"] = json!(span.start);
                region["byteLength"] = json!(span.end.saturating_sub(span.start));
            }
            let mut result = json!({
                "ruleId": d.code,
                "level": d.severity.sarif_level(),
                "message": { "text": one_line(&d.message) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": sarif_uri(&d.file) },
                        "region": region,
                    }
                }],
            });
            if let Some(i) = rule_index.get(&d.code) {
                result["ruleIndex"] = json!(i);
            }
            result
        })
        .collect();
    json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": { "driver": {
                "name": SARIF_TOOL_NAME,
                "informationUri": "https://example.invalid/alkit",
                "rules": rules_json,
            }},
            "results": results,
        }],
    })
}

/// Renders diagnostics as a pretty-printed SARIF 2.1.0 document (see [`sarif_value`]).
///
/// ```
/// use scope_rules::checks::diagnostic::{Diagnostic, Severity, render_sarif};
/// use scope_rules::checks::rules::RuleId;
/// let d = Diagnostic::new(RuleId::PTE0001, Severity::Error, "src/My Table.al", "out of range").at(3, 7);
/// let doc: serde_json::Value = serde_json::from_str(&render_sarif(&[d])).unwrap();
/// assert_eq!(doc["version"], "2.1.0");
/// assert_eq!(doc["runs"][0]["results"][0]["ruleId"], "PTE0001");
/// assert_eq!(
///     doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
///     "src/My%20Table.al"
/// );
/// ```
pub fn render_sarif(diagnostics: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(&sarif_value(diagnostics)).unwrap_or_default()
}

/// Turns a file path into a URI: backslashes become `/`, characters outside
/// the unreserved/path set are percent-encoded, and absolute paths (`/x`,
/// `C:/x`) become `file://` URIs; relative paths stay relative references.
fn sarif_uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let bytes = slashed.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    let mut out = String::with_capacity(path.len() + 8);
    if drive {
        out.push_str("file:///");
    } else if slashed.starts_with('/') {
        out.push_str("file://");
    }
    out.push_str(&al_manifest::uri::escape(&slashed));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Diagnostic> {
        vec![
            Diagnostic::new(RuleId::AS0014, Severity::Error, "app.json", "no ranges").at(2, 3),
            Diagnostic::new(RuleId::AS0092, Severity::Warning, "app.json", "no insights"),
            Diagnostic::new(
                RuleId::AS0055,
                Severity::Hidden,
                "AppSourceCop.json",
                "hidden one",
            ),
            Diagnostic::new(RuleId::AS0099, Severity::Info, "src\\a b.al", "info\nline")
                .at(4, 5)
                .with_span(10..20),
        ]
    }

    #[test]
    fn text_format_is_msbuild_style() {
        let text = render_text(&sample());
        assert_eq!(
            text,
            "app.json(2,3): error AS0014: no ranges\n\
             app.json(1,1): warning AS0092: no insights\n\
             src\\a b.al(4,5): info AS0099: info line\n"
        );
    }

    #[test]
    fn sorting() {
        let mut d = sample();
        sort_by_location(&mut d);
        let order: Vec<&str> = d.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(order, vec!["AS0055", "AS0092", "AS0014", "AS0099"]);
    }

    #[test]
    fn json_round_trips() {
        let json = render_json(&sample());
        let back: Vec<Diagnostic> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, sample());
    }

    #[test]
    fn sarif_is_structurally_valid() {
        let doc = sarif_value(&sample());
        assert_eq!(doc["version"], "2.1.0");
        assert!(doc["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
        let runs = doc["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let driver = &runs[0]["tool"]["driver"];
        assert_eq!(driver["name"], SARIF_TOOL_NAME);
        let rules: Vec<&str> = driver["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(rules, vec!["AS0014", "AS0055", "AS0092", "AS0099"]);
        let results = runs[0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        for r in results {
            let id = r["ruleId"].as_str().unwrap();
            let idx = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[idx], id);
            assert!(["none", "note", "warning", "error"].contains(&r["level"].as_str().unwrap()));
            assert!(r["message"]["text"].is_string());
            let loc = &r["locations"][0]["physicalLocation"];
            assert!(loc["artifactLocation"]["uri"].is_string());
            assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
            assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
        }
        assert_eq!(
            results[3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "src/a%20b.al"
        );
        assert_eq!(
            results[3]["locations"][0]["physicalLocation"]["region"]["byteLength"],
            10
        );
        assert_eq!(sarif_uri("C:\\src\\a.al"), "file:///C:/src/a.al");
        assert_eq!(sarif_uri("/home/x/a b.al"), "file:///home/x/a%20b.al");
        assert_eq!(sarif_uri("src/\u{e4}.al"), "src/%C3%A4.al");
    }

    #[test]
    fn rule_config_disables_and_overrides() {
        let mut cfg = RuleConfig::new();
        cfg.disable("as0092")
            .set_severity("AS0014", Severity::Warning);
        let out = cfg.apply(sample());
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].severity, Severity::Warning);
        assert!(out.iter().all(|d| d.code != "AS0092"));
    }

    #[test]
    fn ruleset_rejects_unknown_action() {
        let err = RuleConfig::from_ruleset_json(r#"{"rules":[{"id":"X","action":"Loud"}]}"#);
        assert!(matches!(err, Err(RuleSetError::Action { .. })));
        assert!(RuleConfig::from_ruleset_json("not json").is_err());
    }

    #[test]
    fn severity_parses_case_insensitively() {
        assert_eq!("Warning".parse::<Severity>().unwrap(), Severity::Warning);
        assert!("loud".parse::<Severity>().is_err());
    }
}
