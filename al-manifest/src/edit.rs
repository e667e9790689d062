//! Format-preserving edits of `app.json` ([`AppJsonDocument`]).
//!
//! The editor is span based: it parses the text with byte ranges
//! (`jsonc-parser`'s AST), replaces only the byte range of the value being
//! changed, and inserts new properties or array elements copying the indentation
//! of their siblings. Everything else — key order, indentation, line endings
//! (CRLF/LF), the BOM, comments, unknown keys, number spellings — stays byte for
//! byte. After each edit the document is parsed again, so
//! [`AppJsonDocument::manifest`] always matches the text.
//!
//! Known limits: a comment between a removed property (or array element) and its
//! preceding sibling is removed with it; new multi-line values use the indent unit
//! detected from the document (two spaces if none can be seen).

use std::fmt;

use jsonc_parser::ast::{Array, Object, Value as Ast};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::diag::{ManifestDiagnostic, ManifestErrors, line_col};
use crate::json::{
    BOM, Seg, ast_at, ast_start, parse_ast, parse_manifest, path_to_string, prop_name,
};
use crate::model::{AppManifest, Dependency, IdKey, IdRange, InternalsVisibleTo};
use crate::version::{AppVersion, RuntimeVersion};

/// Why an edit could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The property or element to change does not exist.
    #[error("app.json: {0}: not found")]
    NotFound(String),
    /// The value at the path has a different JSON type than the edit needs.
    #[error("app.json: {path}: expected {expected}")]
    WrongType {
        /// JSON path.
        path: String,
        /// What was expected (`an object`, `an array`).
        expected: &'static str,
    },
    /// The edited text no longer parses as a manifest (the edit was rolled back).
    #[error("the edit would make app.json invalid: {0}")]
    Invalid(ManifestErrors),
}

/// One of the four `resourceExposurePolicy` flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyFlag {
    /// `allowDebugging`.
    AllowDebugging,
    /// `allowDownloadingSource`.
    AllowDownloadingSource,
    /// `includeSourceInSymbolFile`.
    IncludeSourceInSymbolFile,
    /// `applyToDevExtension`.
    ApplyToDevExtension,
}

impl PolicyFlag {
    /// The JSON key.
    pub const fn key(&self) -> &'static str {
        match self {
            PolicyFlag::AllowDebugging => "allowDebugging",
            PolicyFlag::AllowDownloadingSource => "allowDownloadingSource",
            PolicyFlag::IncludeSourceInSymbolFile => "includeSourceInSymbolFile",
            PolicyFlag::ApplyToDevExtension => "applyToDevExtension",
        }
    }
}

/// An `app.json` text plus its typed model, editable without reformatting.
///
/// ```
/// use al_manifest::{AppJsonDocument, AppVersion, IdRange};
/// let text = "{\r\n    \"id\": \"0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0\", // keep me\r\n    \"name\": \"A\",\r\n    \"publisher\": \"P\",\r\n    \"version\": \"1.0.0.0\"\r\n}";
/// let mut doc = AppJsonDocument::parse(text)?;
/// doc.set_version(&AppVersion::new(1, 1, 0, 0))?;
/// doc.set_id_ranges(&[IdRange::new(50100, 50149)])?;
/// let out = doc.to_string();
/// assert!(out.contains("// keep me"));
/// assert!(out.contains("\"version\": \"1.1.0.0\",\r\n    \"idRanges\": [\r\n        {\r\n            \"from\": 50100,"));
/// assert_eq!(doc.manifest().version, AppVersion::new(1, 1, 0, 0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct AppJsonDocument {
    bom: bool,
    text: String,
    file: String,
    manifest: AppManifest,
}

/// A text replacement: byte range in the (BOM-less) text and the new text.
type Splice = (usize, usize, String);

struct Style {
    eol: &'static str,
    unit: String,
}

fn detect_style(text: &str) -> Style {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    // The indent unit is the indentation of the first indented line.
    let unit = text
        .lines()
        .skip(1)
        .map(|l| {
            let n = l.len() - l.trim_start_matches([' ', '\t']).len();
            l.get(..n).unwrap_or("")
        })
        .find(|w| !w.is_empty())
        .unwrap_or("  ")
        .to_string();
    Style { eol, unit }
}

/// Whitespace at the start of the line containing `pos`.
fn line_indent(text: &str, pos: usize) -> &str {
    let head = text.get(..pos).unwrap_or("");
    let start = head.rfind('\n').map_or(0, |p| p + 1);
    let line = text.get(start..).unwrap_or("");
    let n = line.len() - line.trim_start_matches([' ', '\t']).len();
    line.get(..n).unwrap_or("")
}

fn spans_lines(text: &str, start: usize, end: usize) -> bool {
    text.get(start..end).is_some_and(|s| s.contains('\n'))
}

/// Renders a value. `pretty` = Some(base indent) for multi-line output.
fn render(v: &Value, pretty: Option<&str>, st: &Style) -> String {
    let mut out = String::new();
    render_into(&mut out, v, pretty, st);
    out
}

fn render_into(out: &mut String, v: &Value, pretty: Option<&str>, st: &Style) {
    match v {
        Value::Object(m) if !m.is_empty() => match pretty {
            Some(base) => {
                let inner = format!("{base}{}", st.unit);
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(st.eol);
                    out.push_str(&inner);
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push_str(": ");
                    render_into(out, v, Some(&inner), st);
                }
                out.push_str(st.eol);
                out.push_str(base);
                out.push('}');
            }
            None => {
                out.push_str("{ ");
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push_str(": ");
                    render_into(out, v, None, st);
                }
                out.push_str(" }");
            }
        },
        Value::Array(a) if !a.is_empty() => match pretty {
            Some(base) => {
                let inner = format!("{base}{}", st.unit);
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(st.eol);
                    out.push_str(&inner);
                    render_into(out, v, Some(&inner), st);
                }
                out.push_str(st.eol);
                out.push_str(base);
                out.push(']');
            }
            None => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    render_into(out, v, None, st);
                }
                out.push(']');
            }
        },
        other => out.push_str(&other.to_string()),
    }
}

fn range_of(node: &Ast<'_>) -> (usize, usize) {
    let r = match node {
        Ast::StringLit(n) => n.range,
        Ast::NumberLit(n) => n.range,
        Ast::BooleanLit(n) => n.range,
        Ast::NullKeyword(n) => n.range,
        Ast::Array(n) => n.range,
        Ast::Object(n) => n.range,
    };
    (r.start, r.end)
}

/// Position just after a trailing comma that follows `pos` (skipping whitespace
/// and comments), if there is one.
fn after_trailing_comma(text: &str, pos: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = pos;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => i += 1,
            Some(b'/') if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes.get(i) != Some(&b'\n') {
                    i += 1;
                }
            }
            Some(b'/') if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len()
                    && !(bytes.get(i) == Some(&b'*') && bytes.get(i + 1) == Some(&b'/'))
                {
                    i += 1;
                }
                i += 2;
            }
            Some(b',') => return Some(i + 1),
            _ => return None,
        }
    }
    None
}

/// Splice that appends a member as the last one of a container whose members'
/// (start, end) offsets are `members` and whose own range is `(open, close)`.
/// `render_item(indent, sibling_multiline)` renders the member; `indent` is the
/// indentation of the member's line when the container is laid out one member per
/// line, `sibling_multiline` tells whether the previous member spans lines.
fn append_member(
    text: &str,
    st: &Style,
    open: usize,
    close: usize,
    members: &[(usize, usize)],
    render_item: impl Fn(Option<&str>, bool) -> String,
) -> Splice {
    match members.last() {
        Some(&(last_start, last_end)) => {
            let multiline = spans_lines(text, open, last_start);
            let item_multiline = spans_lines(text, last_start, last_end);
            if multiline {
                let indent = line_indent(text, last_start).to_string();
                let item = render_item(Some(&indent), item_multiline);
                match after_trailing_comma(text, last_end) {
                    Some(p) => (p, p, format!("{}{indent}{item},", st.eol)),
                    None => (last_end, last_end, format!(",{}{indent}{item}", st.eol)),
                }
            } else {
                let item = render_item(None, item_multiline);
                match after_trailing_comma(text, last_end) {
                    Some(p) => (p, p, format!(" {item},")),
                    None => (last_end, last_end, format!(", {item}")),
                }
            }
        }
        None => {
            // Empty container: put the member on its own line, one unit deeper
            // than the line of the opening bracket, when the document is multi-line.
            let inner_start = open + 1;
            let inner_end = close.saturating_sub(1).max(inner_start);
            if text.contains('\n') {
                let base = line_indent(text, open).to_string();
                let indent = format!("{base}{}", st.unit);
                let item = render_item(Some(&indent), true);
                (
                    inner_start,
                    inner_end,
                    format!("{}{indent}{item}{}{base}", st.eol, st.eol),
                )
            } else {
                (
                    inner_start,
                    inner_end,
                    format!(" {} ", render_item(None, false)),
                )
            }
        }
    }
}

/// Splice removing member `idx` from a container with members `members`.
fn remove_member(
    open: usize,
    close: usize,
    members: &[(usize, usize)],
    idx: usize,
) -> Option<Splice> {
    let &(start, end) = members.get(idx)?;
    if members.len() == 1 {
        return Some((
            open + 1,
            close.saturating_sub(1).max(open + 1),
            String::new(),
        ));
    }
    if idx > 0 {
        let &(_, prev_end) = members.get(idx - 1)?;
        Some((prev_end, end, String::new()))
    } else {
        let &(next_start, _) = members.get(1)?;
        Some((start, next_start, String::new()))
    }
}

fn obj_members(o: &Object<'_>) -> Vec<(usize, usize)> {
    o.properties
        .iter()
        .map(|p| (p.range.start, p.range.end))
        .collect()
}

fn arr_members(a: &Array<'_>) -> Vec<(usize, usize)> {
    a.elements.iter().map(range_of).collect()
}

/// The property the model reads for `key`: the last one spelled exactly `key`;
/// else, among other casings, the spelling that occurs first (that one is
/// renamed to `key` when parsing) and its last occurrence.
fn find_prop<'b, 'a>(
    o: &'b Object<'a>,
    key: &str,
) -> Option<(usize, &'b jsonc_parser::ast::ObjectProp<'a>)> {
    let props = || o.properties.iter().enumerate().rev();
    if let Some(found) = props().find(|(_, p)| prop_name(&p.name) == key) {
        return Some(found);
    }
    let spelling = o
        .properties
        .iter()
        .map(|p| prop_name(&p.name))
        .find(|n| n.eq_ignore_ascii_case(key))?;
    props().find(|(_, p)| prop_name(&p.name) == spelling)
}

/// Index of the last property matching `key` in any casing.
fn find_any_casing(o: &Object<'_>, key: &str) -> Option<usize> {
    o.properties
        .iter()
        .rposition(|p| prop_name(&p.name).eq_ignore_ascii_case(key))
}

fn guid_of(v: &Ast<'_>) -> Option<Uuid> {
    let s = v.as_string_lit()?;
    Uuid::parse_str(s.value.trim_matches(|c| c == '{' || c == '}')).ok()
}

/// Index of the array element (object) whose `id`/`appId` is `id`.
fn find_by_id(a: &Array<'_>, id: Uuid) -> Option<usize> {
    a.elements.iter().position(|e| {
        e.as_object().is_some_and(|o| {
            ["id", "appId"]
                .iter()
                .any(|k| find_prop(o, k).and_then(|(_, p)| guid_of(&p.value)) == Some(id))
        })
    })
}

impl AppJsonDocument {
    /// Parses `app.json` text (see [`AppManifest::from_json_str`] for what is
    /// accepted).
    pub fn parse(text: &str) -> Result<Self, ManifestErrors> {
        Self::parse_named(text, "app.json")
    }

    /// Like [`AppJsonDocument::parse`], labelling diagnostics with `file`.
    pub fn parse_named(text: &str, file: &str) -> Result<Self, ManifestErrors> {
        let (bom, body) = match text.strip_prefix(BOM) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let manifest = parse_manifest(body, file)?;
        Ok(AppJsonDocument {
            bom,
            text: body.to_string(),
            file: file.to_string(),
            manifest,
        })
    }

    /// The typed model of the current text.
    pub fn manifest(&self) -> &AppManifest {
        &self.manifest
    }

    /// True when the text starts with a UTF-8 BOM (kept on output).
    pub fn has_bom(&self) -> bool {
        self.bom
    }

    /// [`AppManifest::validate`] with line:column filled in from the text and the
    /// document's file label.
    pub fn validate(&self) -> Vec<ManifestDiagnostic> {
        self.located(self.manifest.validate())
    }

    /// [`AppManifest::unwritable_characters`] with line:column filled in (what a writer
    /// of NavxManifest.xml refuses).
    pub fn unwritable_characters(&self) -> Vec<ManifestDiagnostic> {
        self.located(self.manifest.unwritable_characters())
    }

    /// `out` with the document's file label and line:column from the JSON paths.
    fn located(&self, mut out: Vec<ManifestDiagnostic>) -> Vec<ManifestDiagnostic> {
        if let Ok(ast) = parse_ast(&self.text, &self.file) {
            for d in &mut out {
                d.file.clone_from(&self.file);
                let path = parse_path(&d.path);
                let (l, c) = line_col(&self.text, ast_start(ast_at(&ast, &path)));
                d.line = Some(l);
                d.column = Some(c);
            }
        }
        out
    }

    /// Applies splices computed from the current AST, re-parses, and rolls back on
    /// failure.
    fn edit(
        &mut self,
        compute: impl FnOnce(&str, &Ast<'_>, &Style) -> Result<Vec<Splice>, EditError>,
    ) -> Result<(), EditError> {
        let splices = {
            let ast = parse_ast(&self.text, &self.file).map_err(EditError::Invalid)?;
            let st = detect_style(&self.text);
            compute(&self.text, &ast, &st)?
        };
        let mut new_text = self.text.clone();
        let mut sorted = splices;
        sorted.sort_by_key(|s| std::cmp::Reverse(s.0));
        for (start, end, with) in sorted {
            if start > end
                || end > new_text.len()
                || !new_text.is_char_boundary(start)
                || !new_text.is_char_boundary(end)
            {
                return Err(EditError::NotFound("(internal span)".into()));
            }
            new_text.replace_range(start..end, &with);
        }
        let manifest = parse_manifest(&new_text, &self.file).map_err(EditError::Invalid)?;
        self.text = new_text;
        self.manifest = manifest;
        Ok(())
    }

    /// Sets `key` of the object at `obj_path` to `value`: replaces the existing
    /// value's bytes, or appends a new property. The object must exist.
    pub fn set_value(
        &mut self,
        obj_path: &[&str],
        key: &str,
        value: &Value,
    ) -> Result<(), EditError> {
        let segs: Vec<Seg> = obj_path
            .iter()
            .map(|k| Seg::Key((*k).to_string()))
            .collect();
        self.edit(|text, ast, st| set_in(text, ast, st, &segs, key, value).map(|s| vec![s]))
    }

    /// Removes `key` from the object at `obj_path` — every occurrence, in any
    /// casing, so the model no longer sees it; returns false when absent.
    pub fn remove_value(&mut self, obj_path: &[&str], key: &str) -> Result<bool, EditError> {
        let segs: Vec<Seg> = obj_path
            .iter()
            .map(|k| Seg::Key((*k).to_string()))
            .collect();
        let mut any = false;
        // Each round removes one property, so this ends after at most as many
        // rounds as the object has properties.
        loop {
            let mut found = false;
            self.edit(|_, ast, _| {
                let o = object_at(ast, &segs)?;
                let Some(idx) = find_any_casing(o, key) else {
                    return Ok(vec![]);
                };
                found = true;
                Ok(
                    remove_member(o.range.start, o.range.end, &obj_members(o), idx)
                        .into_iter()
                        .collect(),
                )
            })?;
            if !found {
                return Ok(any);
            }
            any = true;
        }
    }

    /// Sets `id` (lower-case hyphenated GUID).
    pub fn set_id(&mut self, id: Uuid) -> Result<(), EditError> {
        self.set_value(&[], "id", &Value::String(id.to_string()))
    }

    /// Sets `name`.
    pub fn set_name(&mut self, name: &str) -> Result<(), EditError> {
        self.set_value(&[], "name", &Value::String(name.to_string()))
    }

    /// Sets `publisher`.
    pub fn set_publisher(&mut self, publisher: &str) -> Result<(), EditError> {
        self.set_value(&[], "publisher", &Value::String(publisher.to_string()))
    }

    /// Sets `version`.
    pub fn set_version(&mut self, version: &AppVersion) -> Result<(), EditError> {
        self.set_value(&[], "version", &Value::String(version.to_string()))
    }

    /// Writes `idRanges`. An existing legacy `idRange` is replaced in place by
    /// `idRanges` (its key and value); if both existed, `idRange` is removed.
    pub fn set_id_ranges(&mut self, ranges: &[IdRange]) -> Result<(), EditError> {
        self.set_replacing(&[], "idRanges", "idRange", &ranges_value(ranges))
    }

    /// Writes the legacy single `idRange`, replacing an `idRanges` in place (and
    /// removing it when both existed).
    pub fn set_id_range(&mut self, range: IdRange) -> Result<(), EditError> {
        self.set_replacing(&[], "idRange", "idRanges", &range_value(range))
    }

    /// Sets `key` to `value` in the object at `obj_path`, where `old_key` is an
    /// alternative spelling of the same setting: when only `old_key` exists it is
    /// replaced in place (key and value); afterwards no `old_key` remains.
    pub fn set_replacing(
        &mut self,
        obj_path: &[&str],
        key: &str,
        old_key: &str,
        value: &Value,
    ) -> Result<(), EditError> {
        let segs: Vec<Seg> = obj_path
            .iter()
            .map(|k| Seg::Key((*k).to_string()))
            .collect();
        self.edit(|text, ast, st| {
            let o = object_at(ast, &segs)?;
            match (find_prop(o, key), find_prop(o, old_key)) {
                (None, Some((_, p))) => {
                    let pretty = replacement_layout(text, &p.value, p.range.start, value);
                    let key_json = Value::String(key.to_string()).to_string();
                    Ok(vec![(
                        p.range.start,
                        p.range.end,
                        format!("{key_json}: {}", render(value, pretty.as_deref(), st)),
                    )])
                }
                _ => Ok(vec![set_in(text, ast, st, &segs, key, value)?]),
            }
        })?;
        self.remove_value(obj_path, old_key)?;
        Ok(())
    }

    /// Appends a dependency (`id`, `name`, `publisher`, `version`). The id key is
    /// `appId` when existing dependencies use it or `runtime` is ≤ 4.0, else `id`.
    /// Creates `dependencies` when absent.
    pub fn add_dependency(&mut self, dep: &Dependency) -> Result<(), EditError> {
        let legacy = self
            .manifest
            .dependencies
            .iter()
            .any(|d| d.id_key == IdKey::AppId)
            || self
                .manifest
                .runtime
                .is_some_and(|r| r < RuntimeVersion::new(4, 1));
        let mut obj = Map::new();
        obj.insert(
            if legacy { "appId" } else { "id" }.to_string(),
            Value::String(dep.id.to_string()),
        );
        obj.insert("name".into(), Value::String(dep.name.clone()));
        obj.insert("publisher".into(), Value::String(dep.publisher.clone()));
        obj.insert("version".into(), Value::String(dep.version.to_string()));
        for (k, v) in &dep.extra {
            obj.entry(k.clone()).or_insert_with(|| v.clone());
        }
        self.append_to_array("dependencies", Value::Object(obj))
    }

    fn append_to_array(&mut self, key: &str, item: Value) -> Result<(), EditError> {
        self.edit(|text, ast, st| {
            let root = object_at(ast, &[])?;
            match find_prop(root, key) {
                Some((_, p)) => {
                    let Ast::Array(a) = &p.value else {
                        return Err(EditError::WrongType {
                            path: key.to_string(),
                            expected: "an array",
                        });
                    };
                    Ok(vec![append_member(
                        text,
                        st,
                        a.range.start,
                        a.range.end,
                        &arr_members(a),
                        |indent, sibling_multiline| {
                            render(&item, indent.filter(|_| sibling_multiline), st)
                        },
                    )])
                }
                None => {
                    let arr = Value::Array(vec![item.clone()]);
                    Ok(vec![set_in(text, ast, st, &[], key, &arr)?])
                }
            }
        })
    }

    fn remove_from_array(&mut self, key: &str, id: Uuid) -> Result<bool, EditError> {
        let mut found = false;
        self.edit(|_, ast, _| {
            let root = object_at(ast, &[])?;
            let Some((_, p)) = find_prop(root, key) else {
                return Ok(vec![]);
            };
            let Ast::Array(a) = &p.value else {
                return Ok(vec![]);
            };
            let Some(idx) = find_by_id(a, id) else {
                return Ok(vec![]);
            };
            found = true;
            Ok(
                remove_member(a.range.start, a.range.end, &arr_members(a), idx)
                    .into_iter()
                    .collect(),
            )
        })?;
        Ok(found)
    }

    /// Removes the dependency with this id; returns false when there is none.
    pub fn remove_dependency(&mut self, id: Uuid) -> Result<bool, EditError> {
        self.remove_from_array("dependencies", id)
    }

    fn set_in_element(
        &mut self,
        array: &str,
        id: Uuid,
        key: &str,
        value: Value,
    ) -> Result<(), EditError> {
        self.edit(|text, ast, st| {
            let root = object_at(ast, &[])?;
            let idx = find_prop(root, array)
                .and_then(|(_, p)| p.value.as_array())
                .and_then(|a| find_by_id(a, id))
                .ok_or_else(|| EditError::NotFound(format!("{array}[id={id}]")))?;
            let path = [Seg::Key(array.to_string()), Seg::Index(idx)];
            // For the id itself keep whichever key (`id`/`appId`) the element uses.
            let key = if key == "id" {
                let el = ast_at(ast, &path);
                match el.as_object() {
                    Some(o) if find_prop(o, "id").is_none() && find_prop(o, "appId").is_some() => {
                        "appId"
                    }
                    _ => "id",
                }
            } else {
                key
            };
            Ok(vec![set_in(text, ast, st, &path, key, &value)?])
        })
    }

    /// Changes the minimum version of the dependency `id`.
    pub fn set_dependency_version(
        &mut self,
        id: Uuid,
        version: &AppVersion,
    ) -> Result<(), EditError> {
        self.set_in_element(
            "dependencies",
            id,
            "version",
            Value::String(version.to_string()),
        )
    }

    /// Changes the id of the dependency `id` to `new_id` (keeping `id`/`appId`).
    pub fn set_dependency_id(&mut self, id: Uuid, new_id: Uuid) -> Result<(), EditError> {
        self.set_in_element("dependencies", id, "id", Value::String(new_id.to_string()))
    }

    /// Changes the name of the dependency `id`.
    pub fn set_dependency_name(&mut self, id: Uuid, name: &str) -> Result<(), EditError> {
        self.set_in_element("dependencies", id, "name", Value::String(name.to_string()))
    }

    /// Changes the publisher of the dependency `id`.
    pub fn set_dependency_publisher(&mut self, id: Uuid, publisher: &str) -> Result<(), EditError> {
        self.set_in_element(
            "dependencies",
            id,
            "publisher",
            Value::String(publisher.to_string()),
        )
    }

    /// Sets one `resourceExposurePolicy` flag, creating the object when absent.
    pub fn set_policy_flag(&mut self, flag: PolicyFlag, value: bool) -> Result<(), EditError> {
        if self.manifest.resource_exposure_policy.is_some() {
            self.set_value(&["resourceExposurePolicy"], flag.key(), &Value::Bool(value))
        } else {
            let mut m = Map::new();
            m.insert(flag.key().to_string(), Value::Bool(value));
            self.set_value(&[], "resourceExposurePolicy", &Value::Object(m))
        }
    }

    /// Replaces `internalsVisibleTo` as a whole.
    pub fn set_internals_visible_to(
        &mut self,
        modules: &[InternalsVisibleTo],
    ) -> Result<(), EditError> {
        let v = serde_json::to_value(modules).map_err(|e| EditError::NotFound(e.to_string()))?;
        self.set_value(&[], "internalsVisibleTo", &v)
    }

    /// Appends one `internalsVisibleTo` entry.
    pub fn add_internals_visible_to(
        &mut self,
        module: &InternalsVisibleTo,
    ) -> Result<(), EditError> {
        let v = serde_json::to_value(module).map_err(|e| EditError::NotFound(e.to_string()))?;
        self.append_to_array("internalsVisibleTo", v)
    }

    /// Removes the `internalsVisibleTo` entry with this id; false when absent.
    pub fn remove_internals_visible_to(&mut self, id: Uuid) -> Result<bool, EditError> {
        self.remove_from_array("internalsVisibleTo", id)
    }
}

fn ranges_value(ranges: &[IdRange]) -> Value {
    Value::Array(ranges.iter().map(|r| range_value(*r)).collect())
}

fn range_value(r: IdRange) -> Value {
    let mut m = Map::new();
    m.insert("from".into(), Value::from(r.from));
    m.insert("to".into(), Value::from(r.to));
    Value::Object(m)
}

/// Layout for a container value replacing `old` in the property starting at
/// `prop_start`: Some(base indent) for multi-line, None for inline. A non-empty
/// single-line container stays inline; otherwise multi-line documents get
/// multi-line values.
fn replacement_layout(
    text: &str,
    old: &Ast<'_>,
    prop_start: usize,
    value: &Value,
) -> Option<String> {
    let container = matches!(value, Value::Object(m) if !m.is_empty())
        || matches!(value, Value::Array(a) if !a.is_empty());
    if !container {
        return None;
    }
    let (vs, ve) = range_of(old);
    let old_inline_container = match old {
        Ast::Object(o) => !o.properties.is_empty() && !spans_lines(text, vs, ve),
        Ast::Array(a) => !a.elements.is_empty() && !spans_lines(text, vs, ve),
        _ => false,
    };
    (!old_inline_container && text.contains('\n'))
        .then(|| line_indent(text, prop_start).to_string())
}

fn object_at<'b, 'a>(ast: &'b Ast<'a>, path: &[Seg]) -> Result<&'b Object<'a>, EditError> {
    let mut node = ast;
    for (i, seg) in path.iter().enumerate() {
        let next = match (seg, node) {
            (Seg::Key(k), Ast::Object(o)) => find_prop(o, k).map(|(_, p)| &p.value),
            (Seg::Index(n), Ast::Array(a)) => a.elements.get(*n),
            _ => None,
        };
        node = next
            .ok_or_else(|| EditError::NotFound(path_to_string(path.get(..=i).unwrap_or(path))))?;
    }
    node.as_object().ok_or_else(|| EditError::WrongType {
        path: path_to_string(path),
        expected: "an object",
    })
}

/// Splice setting `key` in the object at `path`.
fn set_in(
    text: &str,
    ast: &Ast<'_>,
    st: &Style,
    path: &[Seg],
    key: &str,
    value: &Value,
) -> Result<Splice, EditError> {
    let o = object_at(ast, path)?;
    match find_prop(o, key) {
        Some((_, p)) => {
            let (vs, ve) = range_of(&p.value);
            let pretty = replacement_layout(text, &p.value, p.range.start, value);
            Ok((vs, ve, render(value, pretty.as_deref(), st)))
        }
        None => {
            let key_json = Value::String(key.to_string()).to_string();
            Ok(append_member(
                text,
                st,
                o.range.start,
                o.range.end,
                &obj_members(o),
                |indent, _| format!("{key_json}: {}", render(value, indent, st)),
            ))
        }
    }
}

/// Parses a path string like `idRanges[1].from` back into segments.
fn parse_path(s: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in s.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(b) = rest.find('[') {
            let (k, tail) = rest.split_at(b);
            if !k.is_empty() {
                out.push(Seg::Key(k.to_string()));
            }
            rest = tail;
            for idx in rest.split('[').filter(|x| !x.is_empty()) {
                if let Ok(n) = idx.trim_end_matches(']').parse() {
                    out.push(Seg::Index(n));
                }
            }
        } else {
            out.push(Seg::Key(rest.to_string()));
        }
    }
    out
}

impl fmt::Display for AppJsonDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.bom {
            f.write_str("\u{feff}")?;
        }
        f.write_str(&self.text)
    }
}
