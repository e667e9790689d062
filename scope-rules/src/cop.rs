//! A small model of `AppSourceCop.json`: the settings the scope checks read
//! (affixes, supported countries, baseline identity).
//!
//! This is a local stand-in until `al-manifest` exposes its own AppSourceCop
//! model; it reads only what this crate needs and ignores other keys.
//!
//! ```
//! use scope_rules::cop::AppSourceCop;
//! let cop = AppSourceCop::from_json_str(r#"{ "mandatoryAffixes": ["ABC"], "supportedCountries": ["US", "DK"] }"#).unwrap();
//! assert!(cop.affixes().has_affix("ABC Setup"));
//! assert_eq!(cop.supported_countries.as_deref(), Some(&["US".to_string(), "DK".to_string()][..]));
//! ```

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use crate::affix::Affixes;
use crate::jsonpos::line_col;

/// The parts of AppSourceCop.json this crate uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppSourceCop {
    /// `mandatoryAffixes`.
    pub mandatory_affixes: Vec<String>,
    /// `mandatoryPrefix` (legacy; usable at either end).
    pub mandatory_prefix: Option<String>,
    /// `mandatorySuffix` (legacy; usable at either end).
    pub mandatory_suffix: Option<String>,
    /// `supportedCountries`, when present.
    pub supported_countries: Option<Vec<String>>,
    /// Baseline `name`.
    pub name: Option<String>,
    /// Baseline `publisher`.
    pub publisher: Option<String>,
    /// Baseline `version`.
    pub version: Option<String>,
}

/// Why AppSourceCop.json could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CopError {
    /// Not JSON (JSONC accepted).
    #[error("AppSourceCop.json:{line}:{column}: invalid JSON: {message}")]
    Syntax {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// Parser message.
        message: String,
    },
    /// The top level is not an object.
    #[error("AppSourceCop.json: expected a JSON object at the top level")]
    NotAnObject,
    /// A known key has the wrong type.
    #[error("AppSourceCop.json:{line}:{column}: {path}: expected {expected}")]
    WrongType {
        /// JSON path.
        path: String,
        /// What was expected.
        expected: &'static str,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
    },
}

impl AppSourceCop {
    /// The effective affix set: `mandatoryAffixes` ∪ `mandatoryPrefix` ∪ `mandatorySuffix`.
    pub fn affixes(&self) -> Affixes {
        Affixes::from_cop(
            &self.mandatory_affixes,
            self.mandatory_prefix.as_deref(),
            self.mandatory_suffix.as_deref(),
        )
    }

    /// Parses AppSourceCop.json (comments, trailing commas and a BOM allowed;
    /// keys case-insensitive; unknown keys ignored; `null` means absent).
    pub fn from_json_str(text: &str) -> Result<Self, CopError> {
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let shift = text.len() - body.len();
        let parsed = parse_to_ast(body, &CollectOptions::default(), &ParseOptions::default())
            .map_err(|e| {
                let (line, column) = line_col(text, e.range().start + shift);
                CopError::Syntax {
                    line,
                    column,
                    message: e.kind().to_string(),
                }
            })?;
        let Some(Value::Object(obj)) = parsed.value else {
            return Err(CopError::NotAnObject);
        };
        let mut cop = AppSourceCop::default();
        for prop in &obj.properties {
            let key = match &prop.name {
                ObjectPropName::String(s) => s.value.to_string(),
                ObjectPropName::Word(w) => w.value.to_string(),
            };
            let wrong = |expected: &'static str| {
                let (line, column) = line_col(text, prop.value_range_start() + shift);
                CopError::WrongType {
                    path: key.clone(),
                    expected,
                    line,
                    column,
                }
            };
            if matches!(prop.value, Value::NullKeyword(_)) {
                continue;
            }
            match key.to_ascii_lowercase().as_str() {
                "mandatoryaffixes" => {
                    cop.mandatory_affixes =
                        string_array(&prop.value).ok_or_else(|| wrong("an array of strings"))?;
                }
                "supportedcountries" => {
                    cop.supported_countries = Some(
                        string_array(&prop.value).ok_or_else(|| wrong("an array of strings"))?,
                    );
                }
                "mandatoryprefix" => {
                    cop.mandatory_prefix =
                        Some(string(&prop.value).ok_or_else(|| wrong("a string"))?)
                }
                "mandatorysuffix" => {
                    cop.mandatory_suffix =
                        Some(string(&prop.value).ok_or_else(|| wrong("a string"))?)
                }
                "name" => cop.name = Some(string(&prop.value).ok_or_else(|| wrong("a string"))?),
                "publisher" => {
                    cop.publisher = Some(string(&prop.value).ok_or_else(|| wrong("a string"))?)
                }
                "version" => {
                    cop.version = Some(string(&prop.value).ok_or_else(|| wrong("a string"))?)
                }
                _ => {}
            }
        }
        Ok(cop)
    }
}

trait ValueStart {
    fn value_range_start(&self) -> usize;
}

impl ValueStart for jsonc_parser::ast::ObjectProp<'_> {
    fn value_range_start(&self) -> usize {
        use jsonc_parser::common::Ranged;
        self.value.range().start
    }
}

fn string(v: &Value<'_>) -> Option<String> {
    match v {
        Value::StringLit(s) => Some(s.value.to_string()),
        _ => None,
    }
}

fn string_array(v: &Value<'_>) -> Option<Vec<String>> {
    match v {
        Value::Array(a) => a.elements.iter().map(string).collect(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_all_affix_forms() {
        let cop = AppSourceCop::from_json_str(
            "// c\n{\"MandatoryPrefix\": \"ABC\", \"mandatorySuffix\": \"XYZ\", \"mandatoryAffixes\": null, \"other\": 1,}",
        )
        .unwrap();
        assert_eq!(
            cop.affixes().as_slice(),
            &["ABC".to_string(), "XYZ".to_string()]
        );
        assert!(cop.supported_countries.is_none());
    }

    #[test]
    fn errors() {
        assert!(matches!(
            AppSourceCop::from_json_str("{"),
            Err(CopError::Syntax { .. })
        ));
        assert_eq!(
            AppSourceCop::from_json_str("[]"),
            Err(CopError::NotAnObject)
        );
        let e = AppSourceCop::from_json_str("{\n \"mandatoryAffixes\": \"ABC\"}").unwrap_err();
        assert!(
            matches!(
                e,
                CopError::WrongType {
                    line: 2,
                    column: 22,
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(AppSourceCop::from_json_str("{\"supportedCountries\": [1]}").is_err());
    }
}
