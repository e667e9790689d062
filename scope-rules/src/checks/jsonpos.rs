//! Finding the line and column of a JSON path (`idRanges[1].from`) in a
//! JSON/JSONC text, so manifest diagnostics point at the offending key.
//!
//! `al-manifest`'s typed model does not keep spans, so this module re-reads
//! the text with `jsonc-parser` (comments, trailing commas and a UTF-8 BOM are
//! accepted, as app.json allows). Property names match case-insensitively.
//! A path that does not exist resolves to its nearest existing ancestor, and
//! finally to the root value; text that is not JSON resolves to 1:1.

use std::collections::BTreeMap;
use std::ops::Range;

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

/// A resolved position: 1-based line and column (in characters) and byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonLocation {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
    /// Byte range of the property (key and value) or array element.
    pub span: Range<usize>,
    /// Byte range of the value alone (for the root and array elements, the
    /// same as `span`).
    pub value_span: Range<usize>,
}

/// An index from JSON paths to positions in one text.
#[derive(Debug, Clone)]
pub struct JsonLocator {
    entries: BTreeMap<String, JsonLocation>,
}

const BOM: &str = "\u{feff}";

/// 1-based (line, column-in-chars) of a byte offset; offsets past the end or
/// inside a character are clamped.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let mut end = offset.min(text.len());
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

impl JsonLocator {
    /// Indexes `text`. Never fails: unparsable text gives an empty index.
    pub fn new(text: &str) -> Self {
        let (body, shift) = match text.strip_prefix(BOM) {
            Some(rest) => (rest, BOM.len()),
            None => (text, 0),
        };
        let mut raw: Vec<(String, Range<usize>, Range<usize>)> = Vec::new();
        if let Ok(parsed) = parse_to_ast(body, &CollectOptions::default(), &ParseOptions::default())
            && let Some(value) = &parsed.value
        {
            let r = value.range();
            raw.push((String::new(), r.start..r.end, r.start..r.end));
            walk(value, "", &mut raw);
        }
        let entries = raw
            .into_iter()
            .map(|(path, span, value)| {
                let span = span.start + shift..span.end + shift;
                let value_span = value.start + shift..value.end + shift;
                let (line, column) = line_col(text, span.start);
                (
                    path,
                    JsonLocation {
                        line,
                        column,
                        span,
                        value_span,
                    },
                )
            })
            .collect();
        JsonLocator { entries }
    }

    /// The position of `path` (property names case-insensitive), else of its
    /// nearest existing ancestor, else 1:1 with an empty span.
    pub fn locate(&self, path: &str) -> JsonLocation {
        let mut key = path.to_lowercase();
        loop {
            if let Some(loc) = self.entries.get(&key) {
                return loc.clone();
            }
            if key.is_empty() {
                return JsonLocation {
                    line: 1,
                    column: 1,
                    span: 0..0,
                    value_span: 0..0,
                };
            }
            key = parent(&key).to_string();
        }
    }

    /// Whether `path` exists exactly.
    pub fn contains(&self, path: &str) -> bool {
        self.entries.contains_key(&path.to_lowercase())
    }
}

fn parent(path: &str) -> &str {
    match path.rfind(['.', '[']) {
        Some(i) => &path[..i],
        None => "",
    }
}

type Raw = Vec<(String, Range<usize>, Range<usize>)>;

fn walk(value: &Value<'_>, path: &str, out: &mut Raw) {
    match value {
        Value::Object(obj) => {
            for prop in &obj.properties {
                let name = match &prop.name {
                    ObjectPropName::String(s) => s.value.to_lowercase(),
                    ObjectPropName::Word(w) => w.value.to_lowercase(),
                };
                let child = if path.is_empty() {
                    name
                } else {
                    format!("{path}.{name}")
                };
                // First occurrence wins for duplicated keys.
                if !out.iter().any(|(p, _, _)| *p == child) {
                    let v = prop.value.range();
                    out.push((
                        child.clone(),
                        prop.range.start..prop.range.end,
                        v.start..v.end,
                    ));
                }
                walk(&prop.value, &child, out);
            }
        }
        Value::Array(arr) => {
            for (i, el) in arr.elements.iter().enumerate() {
                let child = format!("{path}[{i}]");
                let r = el.range();
                out.push((child.clone(), r.start..r.end, r.start..r.end));
                walk(el, &child, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_a_path_and_falls_back_to_the_root() {
        let text = "{\n  \"idRanges\": [\n    { \"from\": 5, \"to\": 1 }\n  ]\n}";
        let loc = JsonLocator::new(text);
        let l = loc.locate("idRanges[0].from");
        assert_eq!((l.line, l.column), (3, 7));
        let l = loc.locate("brief"); // missing: the root object
        assert_eq!((l.line, l.column), (1, 1));
    }

    #[test]
    fn bom_comments_and_case() {
        let text =
            "\u{feff}// c\n{ \"Name\": \"x\", /* k */ \"idRange\": {\"from\": 1, \"to\": 2}, }";
        let loc = JsonLocator::new(text);
        let l = loc.locate("name");
        assert_eq!((l.line, l.column), (2, 3));
        assert_eq!(&text[l.span.clone()], "\"Name\": \"x\"");
        let l = loc.locate("idRange.to");
        assert_eq!(&text[l.span.clone()], "\"to\": 2");
        assert_eq!(&text[l.value_span.clone()], "2");
        assert!(loc.contains("IDRANGE"));
        assert!(!loc.contains("idRanges"));
    }

    #[test]
    fn garbage_resolves_to_origin() {
        let loc = JsonLocator::new("{ nope");
        assert_eq!(loc.locate("a.b").line, 1);
        let loc = JsonLocator::new("");
        assert_eq!(loc.locate("").column, 1);
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("é\nab", 4), (2, 2));
        assert_eq!(line_col("éa", 1), (1, 1));
        assert_eq!(line_col("ab", 99), (1, 3));
    }
}
