//! XLIFF 1.2 translation files of AL apps (`Translations/<App>.g.xlf` and translated
//! copies such as `<App>.de-DE.xlf`): a reader and a format-preserving rename.
//!
//! ## What the AL compiler writes
//!
//! Every translatable text becomes a `<trans-unit>` whose `id` is a path of
//! `<Kind> <hash>` parts joined by `" - "`, and whose note from the
//! `Xliff Generator` spells the same path with names:
//!
//! ```xml
//! <trans-unit id="Table 596208023 - Field 1296262074 - Property 2879900210" …>
//!   <source>MyField</source>
//!   <note from="Xliff Generator" annotates="general" priority="3">Table NAB Test Table - Field MyField - Property Caption</note>
//! </trans-unit>
//! ```
//!
//! * The hash of a name is [`name_hash`]: FNV-1a (32 bit) over the UTF-16LE bytes of the
//!   name exactly as declared (case matters), read as a signed 32-bit integer, plus
//!   2147483647.
//! * Kinds seen in generated files (and in jwikman/nab-al-tools, which reads and writes
//!   them): objects `Table`, `TableExtension`, `Page`, `PageExtension`,
//!   `PageCustomization`, `Report`, `ReportExtension`, `Codeunit`, `XmlPort`, `Query`,
//!   `Enum`, `EnumExtension`, `Profile`, `PermissionSet`, `PermissionSetExtension`,
//!   `Interface`; members `Field`, `Control`, `Action`, `Method` (procedures and
//!   triggers), `NamedType` (labels), `EnumValue`, `ReportDataItem`, `ReportColumn`,
//!   `ReportLabel`, `ReportLayout`, `RequestPage`, `QueryDataItem`, `QueryColumn`,
//!   `XmlPortNode`, `View`, `Change`; the last part is usually `Property <name>`
//!   (`Caption`, `ToolTip`, `OptionCaption`, …). [`xliff_object_kind`] maps AL object
//!   keywords to these spellings.
//! * An extension object is named by its own kind and name (`PageExtension My Ext -
//!   Control …`); the object it extends is identified only by hash, in the
//!   `al-object-target="Page 2901867346"` attribute of each of its units.
//! * Names in notes are XML-escaped text (`My &lt;&gt; &amp; Field`) and may themselves
//!   contain `" - "` (report `Sales - Invoice`); the reader splits a note using the kinds
//!   of the id and, where a split is ambiguous, the hashes.
//!
//! ## Renames
//!
//! A [`Rename`] names an element by the path of `(kind, old name)` pairs from the object
//! down to the element, plus the new name of the last element; names are matched as AL
//! matches identifiers (case-insensitively), kinds ASCII-case-insensitively:
//!
//! * `Rename::object("Table", "Customer", "Client")` — every unit under the table;
//! * `Rename::member("Table", "Customer", "Field", "Name", "Full Name")` — every unit
//!   under that field (its caption, its tooltip, labels in its triggers);
//! * longer paths (`[Page X, Action Y, Method OnAction, NamedType Lbl]`) through
//!   [`Rename::new`].
//!
//! All paths are spelled with **old** names, so a batch may rename an object and its
//! members at once. For a matching unit [`XlfFile::rename`] rewrites the hash of the
//! renamed part in the `id` and its name in the note; an object rename also rewrites
//! `al-object-target` hashes of that kind that equal the hash of the old name (as spelled
//! by the caller). Every other byte of the file — BOM, encoding, line endings,
//! indentation, other attributes, translations — is kept, so applying the
//! [`Rename::reversed`] renames to the output restores the input byte for byte.
//! Members referenced by extensions (`modify("Name")` in a page extension) live under
//! the extension's own path; a caller renaming a base member renames those paths too.
//!
//! ```
//! use al_manifest::xlf::{Rename, XlfFile, name_hash};
//!
//! let xlf = r#"<?xml version="1.0" encoding="utf-8"?>
//! <xliff version="1.2"><file><body><group id="body">
//!   <trans-unit id="Table 596208023 - Property 2879900210">
//!     <source>Table</source>
//!     <note from="Xliff Generator" annotates="general" priority="3">Table NAB Test Table - Property Caption</note>
//!   </trans-unit>
//! </group></body></file></xliff>"#;
//! let file = XlfFile::parse(xlf.as_bytes()).unwrap();
//! let out = file.rename(&[Rename::object("Table", "NAB Test Table", "Renamed")]).unwrap();
//! let text = String::from_utf8(out.bytes).unwrap();
//! let id = format!("Table {} - Property 2879900210", name_hash("Renamed"));
//! assert!(text.contains(&id));
//! assert!(text.contains(">Table Renamed - Property Caption</note>"));
//! ```

use std::ops::Range;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::diag::line_col;
use crate::xml::{Escape, bom_skip, error_position, escape, is_xml_char, local, position};

/// The `from` attribute of the note that spells an id with names.
pub const GENERATOR_NOTE_FROM: &str = "Xliff Generator";

/// Ids with more parts than this are not split into parts (generated ids have at most
/// about six); bounds the work spent splitting a note.
pub const MAX_ID_PARTS: usize = 64;

/// The AL compiler's hash of a name in XLIFF ids: FNV-1a (32 bit) over the UTF-16LE
/// bytes of `name`, taken as a signed 32-bit integer, plus 2147483647.
///
/// The compiler's result lies in `-1..=4294967294`; the one negative value, `-1`, is
/// returned as `u32::MAX` (which the compiler never produces otherwise), and ids
/// spelling `-1` are read as `u32::MAX`.
///
/// ```
/// use al_manifest::xlf::name_hash;
/// assert_eq!(name_hash("NAB Test Table"), 596208023);
/// assert_eq!(name_hash("Caption"), 2879900210);
/// ```
pub fn name_hash(name: &str) -> u32 {
    let mut h = Fnv::new();
    h.push_str(name);
    h.finish()
}

/// Incremental [`name_hash`].
#[derive(Clone, Copy)]
struct Fnv(u32);

impl Fnv {
    const OFFSET: u32 = 0x811c_9dc5;
    const PRIME: u32 = 16_777_619;

    fn new() -> Self {
        Fnv(Self::OFFSET)
    }
    fn push_char(&mut self, c: char) {
        let mut units = [0u16; 2];
        for u in c.encode_utf16(&mut units) {
            for b in u.to_le_bytes() {
                self.0 = (self.0 ^ u32::from(b)).wrapping_mul(Self::PRIME);
            }
        }
    }
    fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            self.push_char(c);
        }
    }
    fn finish(self) -> u32 {
        // (signed value) + i32::MAX, modulo 2^32: u32::MAX stands for -1.
        self.0.wrapping_add(0x7FFF_FFFF)
    }
}

/// Writes a hash as the compiler spells it (`u32::MAX` is `-1`).
fn hash_text(h: u32) -> String {
    if h == u32::MAX {
        "-1".to_string()
    } else {
        h.to_string()
    }
}

fn parse_hash(s: &str) -> Option<u32> {
    if s == "-1" {
        return Some(u32::MAX);
    }
    // Only the canonical spelling (no sign, no leading zeros), so that writing a hash
    // back reproduces it.
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    // u32::MAX is spelled "-1".
    s.parse().ok().filter(|h| *h != u32::MAX)
}

/// The XLIFF spelling of an AL object keyword (`tableextension` → `TableExtension`),
/// matched ASCII-case-insensitively; `None` for other words.
pub fn xliff_object_kind(al_keyword: &str) -> Option<&'static str> {
    const KINDS: &[(&str, &str)] = &[
        ("table", "Table"),
        ("tableextension", "TableExtension"),
        ("page", "Page"),
        ("pageextension", "PageExtension"),
        ("pagecustomization", "PageCustomization"),
        ("report", "Report"),
        ("reportextension", "ReportExtension"),
        ("codeunit", "Codeunit"),
        ("xmlport", "XmlPort"),
        ("query", "Query"),
        ("enum", "Enum"),
        ("enumextension", "EnumExtension"),
        ("profile", "Profile"),
        ("permissionset", "PermissionSet"),
        ("permissionsetextension", "PermissionSetExtension"),
        ("interface", "Interface"),
        ("controladdin", "ControlAddIn"),
    ];
    KINDS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(al_keyword))
        .map(|(_, v)| *v)
}

/// How the file's bytes encode its text; [`XlfFile::to_bytes`] and renames write the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XlfEncoding {
    /// UTF-8 without a byte order mark.
    Utf8,
    /// UTF-8 with a byte order mark (what the compiler writes for `.g.xlf`).
    Utf8Bom,
    /// UTF-16 little endian with a byte order mark.
    Utf16Le,
    /// UTF-16 big endian with a byte order mark.
    Utf16Be,
}

/// Why a file could not be read or a rename not applied. Positions are 1-based
/// line:column (columns count characters) in the decoded text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XlfError {
    /// The bytes are not valid UTF-8 / UTF-16.
    #[error("{line}:{column}: invalid {encoding} text")]
    Encoding {
        /// The encoding the bytes were read as.
        encoding: &'static str,
        /// Line of the first invalid byte.
        line: usize,
        /// Column of the first invalid byte.
        column: usize,
    },
    /// The XML is malformed.
    #[error("{line}:{column}: malformed XML: {message}")]
    Xml {
        /// Line of the error.
        line: usize,
        /// Column of the error.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The document is well-formed XML but not an XLIFF file as the compiler writes it.
    #[error("{line}:{column}: {message}")]
    Structure {
        /// Line of the offending element.
        line: usize,
        /// Column of the offending element.
        column: usize,
        /// What was expected.
        message: String,
    },
    /// A rename's new name cannot be written (empty, or a character XML 1.0 forbids).
    #[error("invalid new name {name:?}: {reason}")]
    InvalidName {
        /// The rejected name.
        name: String,
        /// Why.
        reason: &'static str,
    },
    /// A rename has an empty path.
    #[error("a rename needs at least one (kind, name) in its path")]
    EmptyPath,
    /// Two renames give the same element different new names.
    #[error("{line}:{column}: conflicting renames of {kind} {name:?}: {first:?} and {second:?}")]
    ConflictingRenames {
        /// Line of the trans-unit.
        line: usize,
        /// Column of the trans-unit.
        column: usize,
        /// Kind of the element.
        kind: String,
        /// Its current name.
        name: String,
        /// One new name.
        first: String,
        /// The other.
        second: String,
    },
}

/// One `<Kind> <hash>` part of an id (or of `al-object-target`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdPart {
    /// The kind (`Table`, `Field`, `Property`, …).
    pub kind: String,
    /// The hash ([`name_hash`] of the element's name).
    pub hash: u32,
    /// Byte span of the hash digits in [`XlfFile::text`].
    pub hash_span: Range<usize>,
}

/// One `<Kind> <name>` part of a generator note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotePart {
    /// The kind, as in the id.
    pub kind: String,
    /// The name (unescaped).
    pub name: String,
    /// Byte span of the (escaped) name in [`XlfFile::text`].
    pub name_span: Range<usize>,
}

/// The note from the `Xliff Generator`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratorNote {
    /// The note's text (unescaped).
    pub text: String,
    /// Byte span of the note's content (escaped, between the tags) in
    /// [`XlfFile::text`]; empty at the end of the tag for `<note … />`.
    pub span: Range<usize>,
    /// The note split along the id's parts: one part per id part, or fewer — the parts
    /// that could be split from the start — when the note is cut short (the compiler
    /// writes `Control Measures (Y-Axis` for a control named `Measures (Y-Axis)`), and
    /// none when the id has no parts, the note is empty, contains markup or does not
    /// spell the id's kinds.
    pub parts: Vec<NotePart>,
    /// Whether [`GeneratorNote::parts`] has one part per id part.
    pub complete: bool,
}

/// The `al-object-target` attribute of a unit of an extension object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectTarget {
    /// The attribute value (unescaped), e.g. `Page 2901867346`.
    pub value: String,
    /// Byte span of the (escaped) value in [`XlfFile::text`].
    pub span: Range<usize>,
    /// The value read as one `<Kind> <hash>` part.
    pub part: Option<IdPart>,
}

/// One `<trans-unit>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransUnit {
    /// The `id` attribute (unescaped).
    pub id: String,
    /// Byte span of the (escaped) id value in [`XlfFile::text`].
    pub id_span: Range<usize>,
    /// The id split into `<Kind> <hash>` parts; `None` if it is not of that shape or has
    /// more than [`MAX_ID_PARTS`] parts.
    pub id_parts: Option<Vec<IdPart>>,
    /// The `Xliff Generator` note, if any (the first, if several).
    pub note: Option<GeneratorNote>,
    /// The `al-object-target` attribute, if any.
    pub object_target: Option<ObjectTarget>,
    /// Byte offset of `<trans-unit` in [`XlfFile::text`].
    pub offset: usize,
    /// 1-based line of `<trans-unit`.
    pub line: usize,
    /// 1-based column of `<trans-unit`.
    pub column: usize,
}

/// A parsed XLIFF file: its text and its trans-units, with byte spans for editing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XlfFile {
    encoding: XlfEncoding,
    text: String,
    units: Vec<TransUnit>,
}

/// One element of a [`Rename`] path: a kind and a name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NameRef {
    /// XLIFF kind (`Table`, `Field`, …; see the module documentation).
    pub kind: String,
    /// The element's name (unquoted, unescaped).
    pub name: String,
}

impl NameRef {
    /// A kind and a name.
    pub fn new(kind: impl Into<String>, name: impl Into<String>) -> Self {
        NameRef {
            kind: kind.into(),
            name: name.into(),
        }
    }
}

/// Renames the last element of `path` (spelled with old names) to `new_name`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rename {
    /// From the object down to the renamed element, with current names.
    pub path: Vec<NameRef>,
    /// The new name of the last element of `path`.
    pub new_name: String,
}

impl Rename {
    /// A rename of the last element of `path`.
    pub fn new(path: Vec<NameRef>, new_name: impl Into<String>) -> Self {
        Rename {
            path,
            new_name: new_name.into(),
        }
    }

    /// Renames an object (`kind` as in XLIFF, e.g. `Table`; see [`xliff_object_kind`]).
    pub fn object(kind: &str, old_name: &str, new_name: &str) -> Self {
        Rename::new(vec![NameRef::new(kind, old_name)], new_name)
    }

    /// Renames a member (`Field`, `Control`, `Action`, `Method`, `EnumValue`, …) of an
    /// object.
    pub fn member(
        object_kind: &str,
        object_name: &str,
        member_kind: &str,
        old_name: &str,
        new_name: &str,
    ) -> Self {
        Rename::new(
            vec![
                NameRef::new(object_kind, object_name),
                NameRef::new(member_kind, old_name),
            ],
            new_name,
        )
    }

    /// The rename that undoes this one (old and new name of the last element swapped).
    /// Returns `self` unchanged when the path is empty.
    pub fn reversed(&self) -> Rename {
        let mut path = self.path.clone();
        let mut new_name = self.new_name.clone();
        if let Some(last) = path.last_mut() {
            std::mem::swap(&mut last.name, &mut new_name);
        }
        Rename { path, new_name }
    }

    /// The batch that undoes `renames` applied together: each rename reversed, and
    /// path elements renamed by another rename of the batch spelled with their new
    /// names (undoing `Table A → B` and `[Table A, Field X] → Y` needs
    /// `Table B → A` and `[Table B, Field Y] → X`).
    pub fn reversed_all(renames: &[Rename]) -> Vec<Rename> {
        renames
            .iter()
            .map(|r| {
                let mut rev = r.reversed();
                let prefix_len = r.path.len().saturating_sub(1);
                for j in 0..prefix_len {
                    let renamed = renames.iter().find(|s| {
                        s.path.len() == j + 1
                            && s.path.iter().zip(&r.path).all(|(a, b)| {
                                a.kind.eq_ignore_ascii_case(&b.kind)
                                    && names_equal(&a.name, &b.name)
                            })
                    });
                    if let (Some(s), Some(el)) = (renamed, rev.path.get_mut(j)) {
                        el.name.clone_from(&s.new_name);
                    }
                }
                rev
            })
            .collect()
    }
}

/// Something a rename left alone although it may concern a renamed element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameWarning {
    /// The note names the element, but a hash of the id along the renamed path is not
    /// the hash of the name in the note, so that rename left the unit alone.
    HashMismatch {
        /// Index of the unit in [`XlfFile::units`].
        unit: usize,
        /// Line of the unit.
        line: usize,
        /// Column of the unit.
        column: usize,
        /// The id of the unit.
        id: String,
    },
    /// The id's kinds and hashes match a renamed path, but the unit has no note that
    /// could confirm the names, so it was not changed.
    Unconfirmed {
        /// Index of the unit in [`XlfFile::units`].
        unit: usize,
        /// Line of the unit.
        line: usize,
        /// Column of the unit.
        column: usize,
        /// The id of the unit.
        id: String,
    },
}

/// The result of [`XlfFile::rename`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameOutput {
    /// The new file, in the input's encoding.
    pub bytes: Vec<u8>,
    /// Indices (in [`XlfFile::units`]) of the units that changed.
    pub changed_units: Vec<usize>,
    /// Units that may concern a renamed element but were left alone.
    pub warnings: Vec<RenameWarning>,
}

impl XlfFile {
    /// Reads an XLIFF file: UTF-8 with or without a BOM, or UTF-16 (LE/BE) with a BOM.
    pub fn parse(bytes: &[u8]) -> Result<XlfFile, XlfError> {
        let (encoding, text) = decode(bytes)?;
        let units = parse_units(&text)?;
        Ok(XlfFile {
            encoding,
            text,
            units,
        })
    }

    /// The encoding of the input.
    pub fn encoding(&self) -> XlfEncoding {
        self.encoding
    }

    /// The decoded text (without a BOM); all spans index into it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The trans-units in document order.
    pub fn units(&self) -> &[TransUnit] {
        &self.units
    }

    /// The file as bytes: identical to the parsed input.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(self.encoding, &self.text)
    }

    /// Applies `renames` (see the module documentation) and returns the new file.
    pub fn rename(&self, renames: &[Rename]) -> Result<RenameOutput, XlfError> {
        for r in renames {
            check_new_name(&r.new_name)?;
            if r.path.is_empty() {
                return Err(XlfError::EmptyPath);
            }
        }
        let mut edits: Vec<(Range<usize>, String)> = Vec::new();
        let mut changed_units = Vec::new();
        let mut warnings = Vec::new();
        for (index, unit) in self.units.iter().enumerate() {
            let before = edits.len();
            self.rename_unit(index, unit, renames, &mut edits, &mut warnings)?;
            if edits.len() > before {
                changed_units.push(index);
            }
        }
        edits.sort_by_key(|(r, _)| r.start);
        let mut out = String::with_capacity(self.text.len());
        let mut at = 0;
        for (range, replacement) in &edits {
            // Spans of one file never overlap (id, note and target are distinct), but
            // never slice backwards even if they did.
            if range.start < at {
                continue;
            }
            out.push_str(self.text.get(at..range.start).unwrap_or_default());
            out.push_str(replacement);
            at = range.end;
        }
        out.push_str(self.text.get(at..).unwrap_or_default());
        Ok(RenameOutput {
            bytes: encode(self.encoding, &out),
            changed_units,
            warnings,
        })
    }

    fn rename_unit(
        &self,
        index: usize,
        unit: &TransUnit,
        renames: &[Rename],
        edits: &mut Vec<(Range<usize>, String)>,
        warnings: &mut Vec<RenameWarning>,
    ) -> Result<(), XlfError> {
        // al-object-target: object renames, by hash of the old name as given.
        if let Some(ObjectTarget {
            part: Some(part), ..
        }) = &unit.object_target
        {
            let mut chosen: Option<&str> = None;
            for r in renames {
                if let [obj] = r.path.as_slice()
                    && obj.kind.eq_ignore_ascii_case(&part.kind)
                    && name_hash(&obj.name) == part.hash
                    && name_hash(&r.new_name) != part.hash
                {
                    match chosen {
                        Some(prev) if prev != r.new_name => {
                            return Err(conflict(unit, &part.kind, &obj.name, prev, &r.new_name));
                        }
                        _ => chosen = Some(&r.new_name),
                    }
                }
            }
            if let Some(new) = chosen {
                edits.push((part.hash_span.clone(), hash_text(name_hash(new))));
            }
        }
        let Some(ids) = &unit.id_parts else {
            return Ok(());
        };
        let notes = unit.note.as_ref().map_or(&[][..], |n| n.parts.as_slice());
        // No note part to confirm the names: report ids whose hashes match the path.
        let unconfirmed = renames.iter().any(|r| {
            r.path.len() > notes.len()
                && r.path.len() <= ids.len()
                && r.path.iter().zip(ids).all(|(p, id)| {
                    p.kind.eq_ignore_ascii_case(&id.kind) && name_hash(&p.name) == id.hash
                })
        });
        if unconfirmed {
            warnings.push(RenameWarning::Unconfirmed {
                unit: index,
                line: unit.line,
                column: unit.column,
                id: unit.id.clone(),
            });
        }
        // New name per part index.
        let mut new_names: Vec<Option<&str>> = vec![None; notes.len()];
        let mut mismatch = false;
        for r in renames {
            if r.path.len() > notes.len() {
                continue;
            }
            let matches = r.path.iter().zip(notes).all(|(p, n)| {
                p.kind.eq_ignore_ascii_case(&n.kind) && names_equal(&p.name, &n.name)
            });
            if !matches {
                continue;
            }
            // The whole path must be confirmed by the id: a unit whose hashes disagree
            // with its note is left alone (renaming only some of its parts could not be
            // undone by the reverse rename).
            let confirmed = notes
                .iter()
                .zip(ids)
                .take(r.path.len())
                .all(|(n, id)| name_hash(&n.name) == id.hash);
            if !confirmed {
                mismatch = true;
                continue;
            }
            let at = r.path.len() - 1;
            let (Some(slot), Some(note)) = (new_names.get_mut(at), notes.get(at)) else {
                continue;
            };
            match slot {
                Some(prev) if *prev != r.new_name => {
                    return Err(conflict(unit, &note.kind, &note.name, prev, &r.new_name));
                }
                _ => *slot = Some(&r.new_name),
            }
        }
        for ((new, note), id) in new_names.iter().zip(notes).zip(ids) {
            let Some(new) = new else { continue };
            if *new == note.name {
                continue;
            }
            edits.push((id.hash_span.clone(), hash_text(name_hash(new))));
            // How .NET's XmlWriter (and so the compiler) escapes note text: tab, CR and LF
            // as character references so they read back as written; quotes as they are,
            // so that a rename followed by its reverse restores compiler-written notes.
            edits.push((
                note.name_span.clone(),
                escape(new, Escape::TEXT_WHITESPACE).into_owned(),
            ));
        }
        if mismatch {
            warnings.push(RenameWarning::HashMismatch {
                unit: index,
                line: unit.line,
                column: unit.column,
                id: unit.id.clone(),
            });
        }
        Ok(())
    }
}

fn conflict(unit: &TransUnit, kind: &str, name: &str, first: &str, second: &str) -> XlfError {
    XlfError::ConflictingRenames {
        line: unit.line,
        column: unit.column,
        kind: kind.to_string(),
        name: name.to_string(),
        first: first.to_string(),
        second: second.to_string(),
    }
}

/// AL identifiers compare case-insensitively.
fn names_equal(a: &str, b: &str) -> bool {
    a == b
        || a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
}

fn check_new_name(name: &str) -> Result<(), XlfError> {
    let reason = if name.is_empty() {
        "it is empty"
    } else if !name.chars().all(is_xml_char) {
        "it contains a character XML 1.0 cannot represent"
    } else {
        return Ok(());
    };
    Err(XlfError::InvalidName {
        name: name.to_string(),
        reason,
    })
}

// ---------------------------------------------------------------------------------------
// Encoding

/// Decodes with the one decoder ([`crate::text::decode`]); an error gives the line and
/// column of the first byte that is not valid in the file's encoding.
fn decode(bytes: &[u8]) -> Result<(XlfEncoding, String), XlfError> {
    use crate::text::{TextEncoding, decode as decode_text};
    let encoding = |e: TextEncoding| match e {
        TextEncoding::Utf8 => XlfEncoding::Utf8,
        TextEncoding::Utf8Bom => XlfEncoding::Utf8Bom,
        TextEncoding::Utf16Le => XlfEncoding::Utf16Le,
        TextEncoding::Utf16Be => XlfEncoding::Utf16Be,
    };
    match decode_text(bytes) {
        Ok(d) => Ok((encoding(d.encoding), d.text.into_owned())),
        Err(e) => {
            // The bytes before the first invalid one decode: count lines and columns there.
            let prefix = bytes
                .get(..e.offset)
                .and_then(|p| decode_text(p).ok())
                .map(|d| d.text.into_owned())
                .unwrap_or_default();
            let (line, column) = line_col(&prefix, prefix.len());
            Err(XlfError::Encoding {
                encoding: e.encoding.name(),
                line,
                column,
            })
        }
    }
}

fn encode(encoding: XlfEncoding, text: &str) -> Vec<u8> {
    match encoding {
        XlfEncoding::Utf8 => text.as_bytes().to_vec(),
        XlfEncoding::Utf8Bom => {
            let mut v = Vec::with_capacity(text.len() + 3);
            v.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
            v.extend_from_slice(text.as_bytes());
            v
        }
        XlfEncoding::Utf16Le => {
            let mut v = vec![0xFF, 0xFE];
            v.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            v
        }
        XlfEncoding::Utf16Be => {
            let mut v = vec![0xFE, 0xFF];
            v.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            v
        }
    }
}

// ---------------------------------------------------------------------------------------
// Parsing

fn xml_err(text: &str, pos: usize, message: String) -> XlfError {
    let (line, column) = line_col(text, pos);
    XlfError::Xml {
        line,
        column,
        message,
    }
}

fn structure_err(text: &str, pos: usize, message: String) -> XlfError {
    let (line, column) = line_col(text, pos);
    XlfError::Structure {
        line,
        column,
        message,
    }
}

/// The byte offset of `part` within `text`, when `part` is a slice of `text`.
fn offset_in(text: &str, part: &str) -> Option<usize> {
    let off = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    (text.get(off..off.checked_add(part.len())?) == Some(part)).then_some(off)
}

/// Text unescaped from a raw slice, with the raw offset of each unescaped byte.
struct Unescaped {
    text: String,
    /// `map[i]` is the raw offset (relative to the slice) of the character starting at
    /// unescaped byte `i`; `map[text.len()]` is the slice length.
    map: Vec<usize>,
}

impl Unescaped {
    fn raw(&self, base: usize, r: &Range<usize>) -> Option<Range<usize>> {
        Some(base + *self.map.get(r.start)?..base + *self.map.get(r.end)?)
    }
}

/// Resolves the five predefined entities and character references of `raw` (which has
/// no markup). `attribute` also applies attribute-value normalization of literal
/// whitespace. Errors carry the raw offset of the bad reference.
fn unescape(raw: &str, attribute: bool) -> Result<Unescaped, (usize, String)> {
    let mut text = String::with_capacity(raw.len());
    let mut map = Vec::with_capacity(raw.len() + 1);
    for c in crate::xml::unescape_chars(raw) {
        let (i, c) = c.map_err(|e| (e.offset, e.kind.to_string()))?;
        // Literal whitespace (not a reference, which starts with `&`) is normalised.
        let literal = raw.as_bytes().get(i) != Some(&b'&');
        let c = if attribute && literal && matches!(c, '\t' | '\n' | '\r') {
            ' '
        } else {
            c
        };
        for _ in 0..c.len_utf8() {
            map.push(i);
        }
        text.push(c);
    }
    map.push(raw.len());
    Ok(Unescaped { text, map })
}

struct Attr<'a> {
    raw: &'a str,
    offset: usize,
}

fn attributes<'a>(
    text: &'a str,
    e: &BytesStart<'_>,
    pos: usize,
) -> Result<Vec<(String, Attr<'a>)>, XlfError> {
    let mut out = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| xml_err(text, pos, format!("bad attribute: {err}")))?;
        // The reader borrows from `text`, so the raw value is a slice of it.
        let raw = offset_in(text, &a.value).and_then(|offset| {
            let raw = text.get(offset..offset.checked_add(a.value.len())?)?;
            Some(Attr { raw, offset })
        });
        let Some(raw) = raw else {
            return Err(xml_err(
                text,
                pos,
                "attribute value not in the input".into(),
            ));
        };
        out.push((a.key.0.to_string(), raw));
    }
    Ok(out)
}

fn attr_value(text: &str, a: &Attr<'_>) -> Result<Unescaped, XlfError> {
    unescape(a.raw, true).map_err(|(at, msg)| xml_err(text, a.offset + at, msg))
}

/// Splits `Kind hash - Kind hash - …`; hashes must be written as plain digits in the
/// raw value (no character references), so that rewriting them keeps everything else.
fn id_parts(u: &Unescaped, raw: &str, base: usize) -> Option<Vec<IdPart>> {
    let mut parts = Vec::new();
    let mut start = 0;
    for piece in u.text.split(" - ") {
        let (kind, hash) = piece.split_once(' ')?;
        if kind.is_empty() || !kind.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        let h = parse_hash(hash)?;
        let hash_start = start + kind.len() + 1;
        let hash_span = u.raw(base, &(hash_start..hash_start + hash.len()))?;
        if raw.get(hash_span.start - base..hash_span.end - base) != Some(hash) {
            return None;
        }
        parts.push(IdPart {
            kind: kind.to_string(),
            hash: h,
            hash_span,
        });
        if parts.len() > MAX_ID_PARTS {
            return None;
        }
        start += piece.len() + 3;
    }
    Some(parts)
}

/// Splits a note along the kinds of `ids`; where `" - <next kind> "` occurs more than
/// once, the first split whose name hashes to the id's hash wins, else the first. Stops
/// at the first part that cannot be split (a note cut short).
fn note_parts(u: &Unescaped, base: usize, ids: &[IdPart]) -> Vec<NotePart> {
    let mut parts = Vec::with_capacity(ids.len());
    let mut pos = 0;
    for (i, id) in ids.iter().enumerate() {
        let Some(part) = note_part(u, base, ids, i, id, pos) else {
            break;
        };
        pos = part.1 + 3;
        parts.push(part.0);
    }
    parts
}

/// Part `i` of a note, starting at unescaped offset `pos`; with the end of its name.
fn note_part(
    u: &Unescaped,
    base: usize,
    ids: &[IdPart],
    i: usize,
    id: &IdPart,
    pos: usize,
) -> Option<(NotePart, usize)> {
    let t = u.text.as_str();
    {
        let rest = t.get(pos..)?;
        let after_kind = rest.strip_prefix(id.kind.as_str())?.strip_prefix(' ')?;
        let name_start = pos + id.kind.len() + 1;
        let name_end = match ids.get(i + 1) {
            None => t.len(),
            Some(next) => {
                let sep = format!(" - {} ", next.kind);
                let mut first = None;
                let mut found = None;
                let mut fnv = Fnv::new();
                let mut hashed = 0;
                let mut from = 0;
                // Every (possibly overlapping) occurrence; the hash of the name so far is
                // carried from one candidate to the next.
                while let Some(k) = after_kind.get(from..).and_then(|s| s.find(&sep)) {
                    let j = from + k;
                    fnv.push_str(after_kind.get(hashed..j).unwrap_or_default());
                    hashed = j;
                    first.get_or_insert(j);
                    if fnv.finish() == id.hash {
                        found = Some(j);
                        break;
                    }
                    // `sep` starts with an ASCII space, so `j + 1` is a char boundary.
                    from = j + 1;
                }
                name_start + found.or(first)?
            }
        };
        let name = t.get(name_start..name_end)?;
        let part = NotePart {
            kind: id.kind.clone(),
            name: name.to_string(),
            name_span: u.raw(base, &(name_start..name_end))?,
        };
        Some((part, name_end))
    }
}

struct UnitBuilder {
    unit: TransUnit,
    depth: usize,
}

fn start_unit(text: &str, e: &BytesStart<'_>, pos: usize) -> Result<TransUnit, XlfError> {
    let mut id = None;
    let mut object_target = None;
    for (key, a) in attributes(text, e, pos)? {
        match key.as_str() {
            "id" => {
                let u = attr_value(text, &a)?;
                let parts = id_parts(&u, a.raw, a.offset);
                id = Some((u.text, a.offset..a.offset + a.raw.len(), parts));
            }
            "al-object-target" => {
                let u = attr_value(text, &a)?;
                let part = id_parts(&u, a.raw, a.offset)
                    .and_then(|mut p| if p.len() == 1 { p.pop() } else { None });
                object_target = Some(ObjectTarget {
                    value: u.text,
                    span: a.offset..a.offset + a.raw.len(),
                    part,
                });
            }
            _ => {}
        }
    }
    let Some((id, id_span, id_parts)) = id else {
        return Err(structure_err(text, pos, "trans-unit without an id".into()));
    };
    // Line and column are filled in for all units at once (see `parse_units`).
    Ok(TransUnit {
        id,
        id_span,
        id_parts,
        note: None,
        object_target,
        offset: pos,
        line: 0,
        column: 0,
    })
}

fn is_generator_note(text: &str, e: &BytesStart<'_>, pos: usize) -> Result<bool, XlfError> {
    for (key, a) in attributes(text, e, pos)? {
        if key == "from" {
            return Ok(attr_value(text, &a)?.text == GENERATOR_NOTE_FROM);
        }
    }
    Ok(false)
}

fn parse_units(text: &str) -> Result<Vec<TransUnit>, XlfError> {
    let mut reader = Reader::from_str(text);
    let skip = bom_skip(text);
    let mut units = Vec::new();
    let mut depth = 0usize;
    let mut root_seen = false;
    let mut current: Option<UnitBuilder> = None;
    loop {
        let pos = position(&reader, skip);
        let ev = reader.read_event().map_err(|e| {
            let p = error_position(&reader, skip);
            xml_err(text, p, e.to_string())
        })?;
        let is_start = matches!(ev, Event::Start(_));
        match ev {
            Event::Start(e) | Event::Empty(e) if depth == 0 => {
                if root_seen {
                    return Err(structure_err(
                        text,
                        pos,
                        "more than one root element".into(),
                    ));
                }
                root_seen = true;
                let name = e.name().0;
                if local(name) != "xliff" {
                    return Err(structure_err(
                        text,
                        pos,
                        format!("root element is <{name}>, expected <xliff>"),
                    ));
                }
                if is_start {
                    depth += 1;
                }
            }
            Event::Start(e) => {
                let name = local(e.name().0);
                if name == "trans-unit" {
                    if current.is_some() {
                        return Err(structure_err(
                            text,
                            pos,
                            "trans-unit inside trans-unit".into(),
                        ));
                    }
                    current = Some(UnitBuilder {
                        unit: start_unit(text, &e, pos)?,
                        depth: depth + 1,
                    });
                    depth += 1;
                } else if name == "note"
                    && let Some(b) = current.as_mut().filter(|b| b.depth == depth)
                    && is_generator_note(text, &e, pos)?
                {
                    let note = read_note(text, &mut reader, skip)?;
                    if b.unit.note.is_none() {
                        b.unit.note = Some(note);
                    }
                } else {
                    depth += 1;
                }
            }
            Event::Empty(e) => {
                let name = local(e.name().0);
                if name == "trans-unit" {
                    if current.is_some() {
                        return Err(structure_err(
                            text,
                            pos,
                            "trans-unit inside trans-unit".into(),
                        ));
                    }
                    units.push(start_unit(text, &e, pos)?);
                } else if name == "note"
                    && let Some(b) = current.as_mut().filter(|b| b.depth == depth)
                    && b.unit.note.is_none()
                    && is_generator_note(text, &e, pos)?
                {
                    let end = position(&reader, skip);
                    b.unit.note = Some(GeneratorNote {
                        text: String::new(),
                        span: end..end,
                        parts: Vec::new(),
                        complete: false,
                    });
                }
            }
            Event::End(_) => {
                if current.as_ref().is_some_and(|b| b.depth == depth)
                    && let Some(b) = current.take()
                {
                    units.push(b.unit);
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(xml_err(
            text,
            text.len(),
            "unclosed element at end of input".into(),
        ));
    }
    if !root_seen {
        return Err(structure_err(text, text.len(), "no root element".into()));
    }
    // Units are in document order: one pass computes every line:column.
    let (mut at, mut line, mut column) = (0, 1, 1);
    for unit in &mut units {
        for c in text.get(at..unit.offset).unwrap_or_default().chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        at = at.max(unit.offset);
        (unit.line, unit.column) = (line, column);
    }
    for unit in &mut units {
        let (Some(ids), Some(note)) = (&unit.id_parts, &mut unit.note) else {
            continue;
        };
        let raw = text.get(note.span.clone()).unwrap_or_default();
        if raw.contains('<') {
            continue;
        }
        if let Ok(u) = unescape(raw, false) {
            note.parts = note_parts(&u, note.span.start, ids);
            note.complete = note.parts.len() == ids.len();
        }
    }
    Ok(units)
}

/// Reads a note's content after its start tag, up to and including its end tag.
fn read_note(
    text: &str,
    reader: &mut Reader<&[u8]>,
    skip: usize,
) -> Result<GeneratorNote, XlfError> {
    let start = position(reader, skip);
    let mut nested = 0usize;
    let mut markup = false;
    let mut content = String::new();
    loop {
        let pos = position(reader, skip);
        let ev = reader.read_event().map_err(|e| {
            let p = error_position(reader, skip);
            xml_err(text, p, e.to_string())
        })?;
        match ev {
            Event::End(_) if nested == 0 => {
                let raw = text.get(start..pos).unwrap_or_default();
                let text_value = if markup {
                    content
                } else {
                    unescape(raw, false)
                        .map_err(|(at, msg)| xml_err(text, start + at, msg))?
                        .text
                };
                return Ok(GeneratorNote {
                    text: text_value,
                    span: start..pos,
                    parts: Vec::new(),
                    complete: false,
                });
            }
            Event::End(_) => {
                nested -= 1;
                markup = true;
            }
            Event::Start(_) => {
                nested += 1;
                markup = true;
            }
            Event::Text(t) => content.push_str(&t.xml10_content()),
            Event::CData(t) => {
                markup = true;
                content.push_str(&t);
            }
            Event::GeneralRef(r) => match crate::xml::resolve_ref(&r) {
                Ok(c) => content.push(c),
                Err(_) => {
                    return Err(xml_err(text, pos, format!("bad reference &{};", &*r)));
                }
            },
            Event::Eof => {
                return Err(xml_err(
                    text,
                    text.len(),
                    "unclosed <note> at end of input".into(),
                ));
            }
            _ => markup = true,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn hashes() {
        assert_eq!(name_hash("NAB Test Table"), 596208023);
        assert_eq!(name_hash("Caption"), 2879900210);
        assert_eq!(name_hash("Customer"), 1994964448);
        assert_eq!(name_hash("ToolTip"), 1295455071);
        // Nothing but the offset basis: 0x811c9dc5 as i32 + i32::MAX.
        assert_eq!(
            i64::from(name_hash("")),
            i64::from(0x811c_9dc5_u32 as i32) + i64::from(i32::MAX)
        );
        assert_eq!(hash_text(u32::MAX), "-1");
        assert_eq!(parse_hash("-1"), Some(u32::MAX));
        assert_eq!(parse_hash("4294967296"), None);
        assert_eq!(parse_hash("+1"), None);
        assert_eq!(parse_hash("0123"), None);
        assert_eq!(parse_hash("0"), Some(0));
        assert_eq!(parse_hash("4294967295"), None);
    }

    #[test]
    fn unescape_maps_offsets() {
        let u = unescape("a&amp;b&#x41;c", false).unwrap();
        assert_eq!(u.text, "a&bAc");
        assert_eq!(u.raw(0, &(1..2)), Some(1..6));
        assert_eq!(u.raw(10, &(3..5)), Some(17..24));
        assert!(unescape("a&b", false).is_err());
        assert!(unescape("&#0;", false).is_err());
        assert!(unescape("&foo;", false).is_err());
        assert_eq!(unescape("a\tb", true).unwrap().text, "a b");
    }
}
