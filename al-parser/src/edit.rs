//! Text edits: rename and renumber a symbol everywhere it is declared or referenced.
//!
//! Edits are byte ranges of the *decoded* text of a file (what [`crate::Parse::text`] holds);
//! [`EditSet::apply`] decodes, applies and encodes back, so UTF-16 files keep their
//! encoding.
//!
//! ```
//! use al_parser::symbols::{AppInfo, ParsedApp, SourceText};
//! use al_parser::resolve::Workspace;
//! use al_parser::edit::rename;
//! use al_parser::ast::ObjectKind;
//!
//! let src = b"table 50100 T { }\ncodeunit 50100 C { var R: Record T; }".to_vec();
//! let files = vec![SourceText::new("a.al", src.clone())];
//! let ws = Workspace::new(vec![ParsedApp::parse(AppInfo::named("A"), files)], vec![], vec![]);
//! let t = ws.index.find_object(ObjectKind::Table, "T").unwrap();
//! let edits = rename(&ws, t, "My Table").unwrap();
//! let out = edits.apply_to_text("a.al", &src).unwrap();
//! assert_eq!(out, b"table 50100 \"My Table\" { }\ncodeunit 50100 C { var R: Record \"My Table\"; }");
//! ```

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::resolve::{RefBy, Workspace};
use crate::symbols::{MemberKind, ObjectKind, SymbolId, SymbolIndex, base_kind, name_key};

/// One replacement in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextEdit {
    /// File path (as the sources were named).
    pub file: String,
    /// Byte range in the decoded text.
    pub range: Range<u32>,
    /// New text.
    pub replacement: String,
}

/// A set of non-overlapping edits, sorted by file and offset.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EditSet {
    /// The edits, sorted by file and offset ([`EditSet::for_file`] and the appliers rely
    /// on that order).
    pub edits: Vec<TextEdit>,
}

/// Why an edit could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The symbol is not in the index.
    UnknownSymbol,
    /// The symbol has no source declaration (it comes from a package).
    NotInSource,
    /// The new name is empty or contains a line break or control character.
    InvalidName(String),
    /// The new name exceeds the limit for this kind.
    TooLong {
        /// The name.
        name: String,
        /// Its length in characters.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// Another symbol in the same scope already has the name or ID.
    Collision {
        /// The existing symbol.
        existing: String,
    },
    /// The symbol kind has no numeric ID.
    NoId,
    /// Two edits overlap (an internal inconsistency, reported instead of corrupting text).
    Overlap {
        /// The file.
        file: String,
        /// The first edit's byte range.
        first: Range<u32>,
        /// The second edit's byte range, which starts inside the first.
        second: Range<u32>,
    },
    /// An edit's range lies outside the text given to apply.
    OutOfRange {
        /// The file.
        file: String,
    },
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::UnknownSymbol => write!(f, "unknown symbol"),
            EditError::NotInSource => write!(f, "the symbol is not declared in source"),
            EditError::InvalidName(n) => write!(f, "invalid name {n:?}"),
            EditError::TooLong { name, len, limit } => {
                write!(
                    f,
                    "name {name:?} has {len} characters; the limit is {limit}"
                )
            }
            EditError::Collision { existing } => write!(f, "collides with {existing}"),
            EditError::NoId => write!(f, "this kind of symbol has no numeric ID"),
            EditError::Overlap { file, .. } => write!(f, "overlapping edits in {file}"),
            EditError::OutOfRange { file } => write!(f, "edit outside the text of {file}"),
        }
    }
}

impl std::error::Error for EditError {}

impl EditSet {
    /// The set of `edits`: sorted by file and offset, exact duplicates dropped; two edits
    /// that overlap are an error.
    ///
    /// ```
    /// use al_parser::edit::{EditSet, TextEdit};
    /// let e = |s: u32, t: u32| TextEdit { file: "a.al".into(), range: s..t, replacement: "x".into() };
    /// assert_eq!(EditSet::from_edits(vec![e(5, 6), e(0, 1), e(5, 6)]).unwrap().edits.len(), 2);
    /// assert!(EditSet::from_edits(vec![e(0, 4), e(2, 3)]).is_err());
    /// ```
    pub fn from_edits(edits: Vec<TextEdit>) -> Result<Self, EditError> {
        EditSet { edits }.normalize()
    }

    fn normalize(mut self) -> Result<Self, EditError> {
        self.edits.sort_by(|a, b| {
            (
                a.file.as_str(),
                a.range.start,
                a.range.end,
                a.replacement.as_str(),
            )
                .cmp(&(
                    b.file.as_str(),
                    b.range.start,
                    b.range.end,
                    b.replacement.as_str(),
                ))
        });
        self.edits.dedup();
        for w in self.edits.windows(2) {
            if let [a, b] = w
                && a.file == b.file
                && a.range.end > b.range.start
            {
                return Err(EditError::Overlap {
                    file: a.file.clone(),
                    first: a.range.clone(),
                    second: b.range.clone(),
                });
            }
        }
        Ok(self)
    }

    /// The edits of one file (a binary search: a set is sorted by file and offset).
    pub fn for_file(&self, file: &str) -> &[TextEdit] {
        let start = self.edits.partition_point(|e| e.file.as_str() < file);
        let end = self.edits.partition_point(|e| e.file.as_str() <= file);
        self.edits.get(start..end).unwrap_or_default()
    }

    /// The files with edits, in order.
    pub fn files(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.edits.iter().map(|e| e.file.as_str()).collect();
        v.dedup();
        v
    }

    /// Applies the edits of `file` to its decoded text.
    pub fn apply_to_text(&self, file: &str, text: &[u8]) -> Result<Vec<u8>, EditError> {
        let mut out = Vec::with_capacity(text.len());
        let mut pos = 0usize;
        for e in self.for_file(file) {
            let (s, t) = (e.range.start as usize, e.range.end as usize);
            let before = text
                .get(pos..s)
                .ok_or_else(|| EditError::OutOfRange { file: file.into() })?;
            if t > text.len() {
                return Err(EditError::OutOfRange { file: file.into() });
            }
            out.extend_from_slice(before);
            out.extend_from_slice(e.replacement.as_bytes());
            pos = t;
        }
        out.extend_from_slice(text.get(pos..).unwrap_or_default());
        Ok(out)
    }

    /// Applies the edits of `file` to the file's bytes: decodes (UTF-16 → UTF-8), applies,
    /// encodes back to the original encoding.
    pub fn apply(&self, file: &str, bytes: &[u8]) -> Result<Vec<u8>, EditError> {
        match crate::source::decode_utf16(bytes) {
            Some((text, enc)) => Ok(crate::encode(&self.apply_to_text(file, &text)?, enc)),
            // UTF-8 (or any other bytes): the text is the bytes, edited without a copy.
            None => self.apply_to_text(file, bytes),
        }
    }
}

/// Whether a name can be written without quotes.
pub fn is_plain_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '_') {
        return false;
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    // Keywords and built-in type names are written quoted.
    crate::symbols::kind_from_keyword(&lower).is_none() && !RESERVED.contains(&lower.as_str())
}

const RESERVED: &[&str] = &[
    "begin",
    "end",
    "if",
    "then",
    "else",
    "case",
    "of",
    "while",
    "do",
    "repeat",
    "until",
    "for",
    "to",
    "downto",
    "foreach",
    "in",
    "with",
    "exit",
    "break",
    "continue",
    "asserterror",
    "and",
    "or",
    "xor",
    "not",
    "div",
    "mod",
    "is",
    "as",
    "true",
    "false",
    "var",
    "procedure",
    "local",
    "internal",
    "protected",
    "trigger",
    "event",
    "namespace",
    "using",
    "extends",
    "implements",
    "customizes",
    "this",
    "code",
    "text",
    "integer",
    "decimal",
    "boolean",
    "date",
    "time",
    "datetime",
    "option",
    "guid",
    "blob",
    "media",
    "mediaset",
    "biginteger",
    "duration",
    "dateformula",
    "recordid",
    "label",
    "char",
    "byte",
    "action",
    "key",
    "field",
    "value",
    "rec",
    "xrec",
    "currpage",
    "array",
    "list",
    "dictionary",
    "temporary",
];

/// The name as it must be written: plain when possible, else quoted with `""` escapes.
pub fn format_name(name: &str) -> String {
    if is_plain_identifier(name) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// Name-length limit for an object kind (al-language.md §1.4).
pub fn object_name_limit(kind: ObjectKind, assignable: bool) -> usize {
    use ObjectKind::*;
    match kind {
        PermissionSet if assignable => 20,
        Table | Page | Codeunit | Report | Query | XmlPort | TableExtension | PageExtension
        | ReportExtension | PermissionSet => 30,
        _ => 120,
    }
}

/// Name-length limit for a member kind.
pub fn member_name_limit(kind: MemberKind) -> usize {
    match kind {
        MemberKind::Field => 30,
        MemberKind::Key => 28,
        _ => 120,
    }
}

fn file_path(ws: &Workspace, app: u32, file: u32) -> Option<String> {
    ws.parsed
        .get(app as usize)?
        .as_ref()?
        .files
        .get(file as usize)
        .map(|f| f.path.clone())
}

/// Members sharing a name scope with `sym` (the object and the whole extension family).
fn family(index: &SymbolIndex, obj: SymbolId) -> Vec<SymbolId> {
    let o = obj.object_id();
    let root = index
        .object(o)
        .and_then(|x| base_kind(x.kind))
        .and_then(|_| index.base_of(o))
        .unwrap_or(o);
    let mut v = vec![root];
    v.extend_from_slice(index.extensions_of(root));
    v
}

fn check_name(name: &str) -> Result<(), EditError> {
    if name.is_empty() || name.chars().any(|c| c.is_control()) {
        return Err(EditError::InvalidName(name.into()));
    }
    Ok(())
}

/// Edits that rename `symbol` to `new_name` at its declaration(s) and every reference in the
/// workspace's source apps. Collisions and name-length limits are errors.
pub fn rename(ws: &Workspace, symbol: SymbolId, new_name: &str) -> Result<EditSet, EditError> {
    rename_checked(ws, symbol, new_name, true)
}

/// [`rename`] without the collision check: the new name may be one another symbol
/// already has (a reverse move restoring a name something newer took; the caller warns).
pub fn rename_despite_collisions(
    ws: &Workspace,
    symbol: SymbolId,
    new_name: &str,
) -> Result<EditSet, EditError> {
    rename_checked(ws, symbol, new_name, false)
}

fn rename_checked(
    ws: &Workspace,
    symbol: SymbolId,
    new_name: &str,
    check_collisions: bool,
) -> Result<EditSet, EditError> {
    check_name(new_name)?;
    let index = &ws.index;
    let obj = index.object(symbol).ok_or(EditError::UnknownSymbol)?;
    let (limit, decl_span) = match symbol.member {
        None => (
            object_name_limit(obj.kind, obj.assignable),
            obj.name_span.clone(),
        ),
        Some(_) => {
            let m = index.member(symbol).ok_or(EditError::UnknownSymbol)?;
            (member_name_limit(m.kind), m.name_span.clone())
        }
    };
    let len = new_name.chars().count();
    if len > limit {
        return Err(EditError::TooLong {
            name: new_name.into(),
            len,
            limit,
        });
    }
    // Collisions.
    match symbol.member {
        _ if !check_collisions => {}
        None => {
            for other in index.objects_named(obj.kind, new_name) {
                if *other != symbol {
                    return Err(EditError::Collision {
                        existing: index.describe(*other),
                    });
                }
            }
        }
        Some(_) => {
            let m = index.member(symbol).ok_or(EditError::UnknownSymbol)?;
            let kinds: &[MemberKind] = match m.kind {
                MemberKind::Control | MemberKind::Action => {
                    &[MemberKind::Control, MemberKind::Action]
                }
                MemberKind::DataItem | MemberKind::Column | MemberKind::Filter => {
                    &[MemberKind::DataItem, MemberKind::Column, MemberKind::Filter]
                }
                k => std::slice::from_ref(match k {
                    MemberKind::Field => &MemberKind::Field,
                    MemberKind::Key => &MemberKind::Key,
                    MemberKind::FieldGroup => &MemberKind::FieldGroup,
                    MemberKind::EnumValue => &MemberKind::EnumValue,
                    MemberKind::XmlNode => &MemberKind::XmlNode,
                    _ => &MemberKind::Procedure,
                }),
            };
            for o in family(index, symbol) {
                for k in kinds {
                    for other in index.own_members(o, *k, new_name) {
                        if other != symbol {
                            return Err(EditError::Collision {
                                existing: index.describe(other),
                            });
                        }
                    }
                }
            }
        }
    }
    let file = obj.file.ok_or(EditError::NotInSource)?;
    let decl_path = file_path(ws, symbol.app, file).ok_or(EditError::NotInSource)?;
    let ident = format_name(new_name);
    let mut edits = Vec::new();
    if let Some(span) = decl_span {
        edits.push(TextEdit {
            file: decl_path,
            range: span,
            replacement: ident.clone(),
        });
    }
    for (app, r) in ws.references_to(symbol) {
        let Some(path) = file_path(ws, app, r.file) else {
            continue;
        };
        let replacement = match r.by {
            RefBy::Name => ident.clone(),
            RefBy::String => new_name.replace('\'', "''"),
            RefBy::Number => continue,
        };
        edits.push(TextEdit {
            file: path,
            range: r.span.clone(),
            replacement,
        });
    }
    EditSet { edits }.normalize()
}

/// Edits that change the ID of an object, a table field or an enum value, at its
/// declaration(s) and every reference by number. Another symbol with that ID in the same
/// scope is an error.
pub fn renumber(ws: &Workspace, symbol: SymbolId, new_id: u32) -> Result<EditSet, EditError> {
    let index = &ws.index;
    let obj = index.object(symbol).ok_or(EditError::UnknownSymbol)?;
    let decl = match symbol.member {
        None => {
            if !obj.kind.has_id() {
                return Err(EditError::NoId);
            }
            for other in index.objects_numbered(obj.kind, new_id) {
                if *other != symbol {
                    return Err(EditError::Collision {
                        existing: index.describe(*other),
                    });
                }
            }
            obj.id_span.clone()
        }
        Some(_) => {
            let m = index.member(symbol).ok_or(EditError::UnknownSymbol)?;
            if m.id.is_none() {
                return Err(EditError::NoId);
            }
            for o in family(index, symbol) {
                if let Some(x) = index.object(o) {
                    for (mi, other) in x.members.iter().enumerate() {
                        let sid = SymbolId {
                            member: Some(mi as u32),
                            ..o
                        };
                        if other.kind == m.kind && other.id == Some(new_id) && sid != symbol {
                            return Err(EditError::Collision {
                                existing: index.describe(sid),
                            });
                        }
                    }
                }
            }
            m.id_span.clone()
        }
    };
    let file = obj.file.ok_or(EditError::NotInSource)?;
    let decl_path = file_path(ws, symbol.app, file).ok_or(EditError::NotInSource)?;
    let mut edits = Vec::new();
    if let Some(span) = decl {
        edits.push(TextEdit {
            file: decl_path,
            range: span,
            replacement: new_id.to_string(),
        });
    }
    for (app, r) in ws.references_to(symbol) {
        if r.by != RefBy::Number {
            continue;
        }
        let Some(path) = file_path(ws, app, r.file) else {
            continue;
        };
        edits.push(TextEdit {
            file: path,
            range: r.span.clone(),
            replacement: new_id.to_string(),
        });
    }
    EditSet { edits }.normalize()
}

/// Applies an edit set to a map of file path → bytes (files without edits are unchanged).
pub fn apply_all(
    set: &EditSet,
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<BTreeMap<String, Vec<u8>>, EditError> {
    let mut out = files.clone();
    for f in set.files() {
        if let Some(bytes) = files.get(f) {
            out.insert(f.to_string(), set.apply(f, bytes)?);
        }
    }
    Ok(out)
}

#[allow(dead_code)]
fn _key(s: &str) -> String {
    name_key(s)
}
