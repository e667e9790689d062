//! The small XML toolkit shared by the readers and writers of this workspace
//! (`NavxManifest.xml`, XLIFF, `.bclicense`, the generated parts of a package):
//! escaping, unescaping, and one small element-tree parser.
//!
//! ## Escaping
//!
//! [`escape`] replaces the characters of an [`Escape`] set by entities (`&amp;`, `&lt;`,
//! `&gt;`, `&quot;`, `&apos;`) or character references (`&#x9;`, `&#xA;`, `&#xD;`). `&`,
//! `<` and `>` are always escaped; the presets differ only in quotes and whitespace,
//! because the files written here must match, byte for byte, what Microsoft's tools write:
//!
//! | preset                     | `"` | `'` | tab, LF | CR | used for |
//! |----------------------------|-----|-----|---------|----|----------|
//! | [`Escape::TEXT`]           |     |     |         | ✓  | element text ([`escape_text`]; `NavxManifest.xml`) |
//! | [`Escape::ATTR`]           | ✓   |     | ✓       | ✓  | attribute values in `"…"` ([`escape_attr`]; `NavxManifest.xml`) |
//! | [`Escape::TEXT_WHITESPACE`]|     |     | ✓       | ✓  | XLIFF notes (the AL compiler's spelling) |
//! | [`Escape::PREDEFINED`]     | ✓   | ✓   |         |    | all five predefined entities (`[Content_Types].xml`, `DocComments.xml`, `MediaIdListing.xml`) |
//!
//! [`escape_text`] and [`escape_attr`] are the minimal escapes under which a conforming
//! reader gives back exactly the input: a literal CR would be read as LF (line-end
//! normalisation), and literal tab, CR or LF in an attribute as a space (attribute-value
//! normalisation).
//!
//! **Characters XML 1.0 cannot carry.** U+0000–U+001F other than tab, LF and CR, the
//! surrogates and U+FFFE/U+FFFF ([`is_xml_char`] is false) are not representable in XML
//! 1.0, not even as character references. [`escape`] passes them through unchanged (the
//! output is then not well-formed): escaping never fails and never alters text silently.
//! A writer that must not produce such output checks its input with [`is_xml_char`]
//! first (the XLIFF rename refuses such a new name).
//!
//! ## Unescaping
//!
//! [`unescape`] resolves the five predefined entities and decimal / hexadecimal character
//! references in text without markup (an attribute value or element content), strictly
//! as XML 1.0 does: any other entity, a reference to a character [`is_xml_char`] rejects,
//! or an `&` without a closing `;` is an [`UnescapeError`] with its byte offset.
//! [`unescape_chars`] yields the characters with the offset each comes from, for callers
//! that map unescaped text back to the source.
//!
//! ## Element trees
//!
//! [`parse`] reads a whole document into an [`Element`] tree (on top of `quick-xml`): it
//! is meant for small documents read whole (manifests, licences), not for streaming.
//! Errors are [`XmlError`]s with byte offset and line:column.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use crate::diag::line_col;

// ---------------------------------------------------------------------------------------
// Escaping

/// Which characters [`escape`] replaces besides `&`, `<` and `>` (always escaped). See the
/// [module docs](self) for the presets.
///
/// ```
/// use al_manifest::xml::{Escape, escape};
/// let only_quotes = Escape { quot: true, ..Escape::NONE };
/// assert_eq!(escape("a\"b'\n", only_quotes), "a&quot;b'\n");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Escape {
    /// `"` as `&quot;`.
    pub quot: bool,
    /// `'` as `&apos;`.
    pub apos: bool,
    /// Tab as `&#x9;`.
    pub tab: bool,
    /// LF as `&#xA;`.
    pub lf: bool,
    /// CR as `&#xD;`.
    pub cr: bool,
}

impl Escape {
    /// Only `&`, `<` and `>`.
    ///
    /// ```
    /// use al_manifest::xml::{Escape, escape};
    /// assert_eq!(escape("<a href=\"x\">\r\n", Escape::NONE), "&lt;a href=\"x\"&gt;\r\n");
    /// ```
    pub const NONE: Escape = Escape {
        quot: false,
        apos: false,
        tab: false,
        lf: false,
        cr: false,
    };

    /// Element text: `&`, `<`, `>` and CR (which a reader would otherwise turn into LF).
    /// What [`escape_text`] uses.
    ///
    /// ```
    /// use al_manifest::xml::{Escape, escape};
    /// assert_eq!(escape("a & b\r\n\"c\"", Escape::TEXT), "a &amp; b&#xD;\n\"c\"");
    /// ```
    pub const TEXT: Escape = Escape {
        cr: true,
        ..Escape::NONE
    };

    /// Attribute values written between double quotes: `&`, `<`, `>`, `"` and tab, LF,
    /// CR (which a reader would otherwise turn into spaces). What [`escape_attr`] uses.
    ///
    /// ```
    /// use al_manifest::xml::{Escape, escape};
    /// assert_eq!(escape("\"x\"\t'y'", Escape::ATTR), "&quot;x&quot;&#x9;'y'");
    /// ```
    pub const ATTR: Escape = Escape {
        quot: true,
        tab: true,
        lf: true,
        cr: true,
        ..Escape::NONE
    };

    /// Element text with tab, LF and CR as character references, as .NET's `XmlWriter`
    /// (and so the AL compiler) writes XLIFF notes; quotes are written as they are.
    ///
    /// ```
    /// use al_manifest::xml::{Escape, escape};
    /// assert_eq!(escape("a\tb\n\"c\"", Escape::TEXT_WHITESPACE), "a&#x9;b&#xA;\"c\"");
    /// ```
    pub const TEXT_WHITESPACE: Escape = Escape {
        tab: true,
        lf: true,
        cr: true,
        ..Escape::NONE
    };

    /// All five predefined entities (`&`, `<`, `>`, `"`, `'`), whitespace as it is: safe
    /// in text and in attribute values quoted either way.
    ///
    /// ```
    /// use al_manifest::xml::{Escape, escape};
    /// assert_eq!(escape("'a' & \"b\"\n", Escape::PREDEFINED), "&apos;a&apos; &amp; &quot;b&quot;\n");
    /// ```
    pub const PREDEFINED: Escape = Escape {
        quot: true,
        apos: true,
        ..Escape::NONE
    };

    /// The replacement of byte `b`, if this set escapes it (only ASCII bytes are).
    fn replacement(self, b: u8) -> Option<&'static str> {
        match b {
            b'&' => Some("&amp;"),
            b'<' => Some("&lt;"),
            b'>' => Some("&gt;"),
            b'"' if self.quot => Some("&quot;"),
            b'\'' if self.apos => Some("&apos;"),
            b'\t' if self.tab => Some("&#x9;"),
            b'\n' if self.lf => Some("&#xA;"),
            b'\r' if self.cr => Some("&#xD;"),
            _ => None,
        }
    }
}

/// Escapes `s` for XML: `&`, `<`, `>` and the characters `set` selects. Borrows `s` when
/// nothing needs escaping. Characters XML 1.0 cannot carry are passed through (see the
/// [module docs](self)).
///
/// ```
/// use al_manifest::xml::{Escape, escape};
/// use std::borrow::Cow;
/// assert_eq!(escape("Fuel & <Oil>", Escape::TEXT), "Fuel &amp; &lt;Oil&gt;");
/// assert!(matches!(escape("plain", Escape::ATTR), Cow::Borrowed("plain")));
/// ```
pub fn escape(s: &str, set: Escape) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut last = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if let Some(rep) = set.replacement(b) {
            let o = out.get_or_insert_with(|| String::with_capacity(s.len() + 16));
            // `b` is ASCII, so `i` and `i + 1` are char boundaries.
            o.push_str(s.get(last..i).unwrap_or_default());
            o.push_str(rep);
            last = i + 1;
        }
    }
    match out {
        None => Cow::Borrowed(s),
        Some(mut o) => {
            o.push_str(s.get(last..).unwrap_or_default());
            Cow::Owned(o)
        }
    }
}

/// Escapes element text: [`escape`] with [`Escape::TEXT`] (`&`, `<`, `>`, CR).
///
/// ```
/// use al_manifest::xml::escape_text;
/// assert_eq!(escape_text("a<b>&c\r\n\"d\""), "a&lt;b&gt;&amp;c&#xD;\n\"d\"");
/// ```
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escape(s, Escape::TEXT)
}

/// Escapes an attribute value written between double quotes: [`escape`] with
/// [`Escape::ATTR`] (`&`, `<`, `>`, `"`, tab, LF, CR).
///
/// ```
/// use al_manifest::xml::escape_attr;
/// assert_eq!(escape_attr("Contoso \"Ltd\"\r\n"), "Contoso &quot;Ltd&quot;&#xD;&#xA;");
/// ```
pub fn escape_attr(s: &str) -> Cow<'_, str> {
    escape(s, Escape::ATTR)
}

/// Whether XML 1.0 can carry `c` (its `Char` production): tab, LF, CR, U+0020–U+D7FF,
/// U+E000–U+FFFD and U+10000–U+10FFFF.
///
/// ```
/// use al_manifest::xml::is_xml_char;
/// assert!(is_xml_char('\t') && is_xml_char('é') && is_xml_char('\u{1F600}'));
/// assert!(!is_xml_char('\u{0}') && !is_xml_char('\u{1B}') && !is_xml_char('\u{FFFE}'));
/// ```
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

// ---------------------------------------------------------------------------------------
// Unescaping

/// What [`unescape`] rejected, and where.
///
/// ```
/// use al_manifest::xml::{UnescapeErrorKind, unescape};
/// let e = unescape("a &nbsp; b").unwrap_err();
/// assert_eq!(e.offset, 2);
/// assert_eq!(e.kind, UnescapeErrorKind::UnknownEntity("nbsp".into()));
/// assert_eq!(e.to_string(), "byte 2: unknown entity &nbsp;");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("byte {offset}: {kind}")]
pub struct UnescapeError {
    /// Byte offset of the `&` in the escaped text.
    pub offset: usize,
    /// What is wrong.
    pub kind: UnescapeErrorKind,
}

/// The kinds of [`UnescapeError`].
///
/// ```
/// use al_manifest::xml::{UnescapeErrorKind, unescape};
/// assert_eq!(unescape("a & b").unwrap_err().kind, UnescapeErrorKind::Unterminated);
/// assert_eq!(
///     unescape("&#0;").unwrap_err().kind.to_string(),
///     "bad character reference &#0;"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnescapeErrorKind {
    /// An `&` without a `;` after it.
    #[error("'&' without a closing ';'")]
    Unterminated,
    /// `&name;` where `name` is not one of `lt`, `gt`, `amp`, `quot`, `apos`.
    #[error("unknown entity &{0};")]
    UnknownEntity(String),
    /// `&#…;` that is not a number or names a character XML 1.0 cannot carry (the
    /// reference's name, `#…`, is kept).
    #[error("bad character reference &{0};")]
    BadCharRef(String),
}

/// Resolves the name of a reference (`amp`, `#x41`, `#65`, …) strictly as XML 1.0 does.
fn resolve_name(name: &str) -> Result<char, UnescapeErrorKind> {
    let c = match name {
        "lt" => return Ok('<'),
        "gt" => return Ok('>'),
        "amp" => return Ok('&'),
        "quot" => return Ok('"'),
        "apos" => return Ok('\''),
        _ => {
            let num = if let Some(hex) = name.strip_prefix("#x") {
                hex.bytes()
                    .all(|b| b.is_ascii_hexdigit())
                    .then(|| u32::from_str_radix(hex, 16).ok())
                    .flatten()
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.bytes()
                    .all(|b| b.is_ascii_digit())
                    .then(|| dec.parse::<u32>().ok())
                    .flatten()
            } else {
                return Err(UnescapeErrorKind::UnknownEntity(name.to_string()));
            };
            num.and_then(char::from_u32).filter(|c| is_xml_char(*c))
        }
    };
    c.ok_or_else(|| UnescapeErrorKind::BadCharRef(name.to_string()))
}

/// The characters of escaped text, each with the byte offset it comes from; made by
/// [`unescape_chars`].
#[derive(Debug, Clone)]
pub struct UnescapeChars<'a> {
    raw: &'a str,
    pos: usize,
    failed: bool,
}

impl Iterator for UnescapeChars<'_> {
    type Item = Result<(usize, char), UnescapeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let at = self.pos;
        let c = self.raw.get(at..)?.chars().next()?;
        if c != '&' {
            self.pos += c.len_utf8();
            return Some(Ok((at, c)));
        }
        let tail = self.raw.get(at + 1..).unwrap_or_default();
        let resolved = match tail.find(';') {
            None => Err(UnescapeErrorKind::Unterminated),
            Some(end) => {
                let name = tail.get(..end).unwrap_or_default();
                self.pos = at + 1 + end + 1;
                resolve_name(name)
            }
        };
        Some(match resolved {
            Ok(c) => Ok((at, c)),
            Err(kind) => {
                self.failed = true;
                Err(UnescapeError { offset: at, kind })
            }
        })
    }
}

/// The characters of `raw` (text without markup) with references resolved, each with the
/// byte offset in `raw` it comes from: its own, or that of the `&` of its reference (so a
/// character came from a reference exactly when `raw[offset..]` starts with `&`). Stops
/// after the first error. See [`unescape`].
///
/// ```
/// use al_manifest::xml::unescape_chars;
/// let chars: Vec<_> = unescape_chars("a&amp;b&#x41;").collect::<Result<_, _>>().unwrap();
/// assert_eq!(chars, [(0, 'a'), (1, '&'), (6, 'b'), (7, 'A')]);
/// ```
pub fn unescape_chars(raw: &str) -> UnescapeChars<'_> {
    UnescapeChars {
        raw,
        pos: 0,
        failed: false,
    }
}

/// Resolves the five predefined entities and the character references (`&#65;`,
/// `&#x41;`) of `raw`, text without markup. Strict XML 1.0: other entities, references to
/// characters [`is_xml_char`] rejects and a bare `&` are errors. Literal characters are
/// kept as they are (no line-end or attribute-value normalisation). Borrows `raw` when it
/// has no `&`.
///
/// For every string `s` and every [`Escape`] set, `unescape(&escape(s, set))` is `s`.
///
/// ```
/// use al_manifest::xml::{escape_attr, unescape};
/// assert_eq!(unescape("Fuel &amp; &lt;Oil&gt; &#x41;&#66;").unwrap(), "Fuel & <Oil> AB");
/// let s = "tab\t \"q\" <&>\r\n";
/// assert_eq!(unescape(&escape_attr(s)).unwrap(), s);
/// assert!(unescape("&bogus;").is_err());
/// ```
pub fn unescape(raw: &str) -> Result<Cow<'_, str>, UnescapeError> {
    if !raw.contains('&') {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    for c in unescape_chars(raw) {
        out.push(c?.1);
    }
    Ok(Cow::Owned(out))
}

// ---------------------------------------------------------------------------------------
// Element trees

/// Deepest element nesting [`parse`] accepts; bounds the work and the recursion of
/// dropping the tree.
pub const MAX_DEPTH: usize = 64;

/// An element read by [`parse`].
///
/// Names are local names (a `prefix:` is dropped; namespaces are not checked), `xmlns`
/// attributes are left out, attribute values are normalised and unescaped as XML 1.0
/// requires, and `text` is all character data directly inside the element (before,
/// between and after its children), unescaped, line ends normalised, not trimmed.
///
/// ```
/// use al_manifest::xml::parse;
/// let root = parse("<a:Root xmlns:a=\"urn:x\"><Item Name=\"one\" /><Item Name=\"two\">x &amp; y</Item></a:Root>").unwrap();
/// assert_eq!(root.name, "Root");
/// assert!(root.attrs.is_empty());
/// let names: Vec<_> = root.children_named("Item").filter_map(|i| i.attr("Name")).collect();
/// assert_eq!(names, ["one", "two"]);
/// assert_eq!(root.children[1].text, "x & y");
/// assert_eq!(root.children[1].offset, 43);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// The local name.
    pub name: String,
    /// Attributes in document order (local names), without `xmlns` declarations.
    pub attrs: Vec<(String, String)>,
    /// The character data directly inside the element.
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// Byte offset of the element's `<` in the parsed text.
    pub offset: usize,
}

impl Element {
    /// The value of the first attribute named exactly `name`.
    ///
    /// ```
    /// let e = al_manifest::xml::parse("<e Id=\"1\" />").unwrap();
    /// assert_eq!(e.attr("Id"), Some("1"));
    /// assert_eq!(e.attr("id"), None);
    /// ```
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of the first attribute whose name equals `name` ASCII-case-insensitively.
    ///
    /// ```
    /// let e = al_manifest::xml::parse("<e ID=\"1\" />").unwrap();
    /// assert_eq!(e.attr_ignore_case("Id"), Some("1"));
    /// ```
    pub fn attr_ignore_case(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first child element named `name`.
    ///
    /// ```
    /// let e = al_manifest::xml::parse("<e><a>1</a><a>2</a></e>").unwrap();
    /// assert_eq!(e.child("a").map(|a| a.text.as_str()), Some("1"));
    /// assert!(e.child("b").is_none());
    /// ```
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The child elements named `name`, in document order.
    ///
    /// ```
    /// let e = al_manifest::xml::parse("<e><a>1</a><b/><a>2</a></e>").unwrap();
    /// let texts: Vec<_> = e.children_named("a").map(|a| a.text.as_str()).collect();
    /// assert_eq!(texts, ["1", "2"]);
    /// ```
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// A document [`parse`] could not read, and where.
///
/// ```
/// use al_manifest::xml::{XmlErrorKind, parse};
/// let e = parse("<a>\n  <b></a>").unwrap_err();
/// assert!(matches!(e.kind, XmlErrorKind::Malformed(_)));
/// assert_eq!((e.line, e.column), (2, 6)); // the `</a>`
/// assert!(e.to_string().starts_with("2:6: malformed XML: "));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {kind}")]
pub struct XmlError {
    /// Byte offset in the parsed text.
    pub offset: usize,
    /// 1-based line of `offset`.
    pub line: usize,
    /// 1-based column (in characters) of `offset`.
    pub column: usize,
    /// What is wrong.
    pub kind: XmlErrorKind,
}

/// The kinds of [`XmlError`]; the texts of the `quick-xml` errors are kept as strings.
///
/// ```
/// use al_manifest::xml::{XmlErrorKind, parse};
/// assert_eq!(parse("").unwrap_err().kind, XmlErrorKind::NoRoot);
/// assert_eq!(parse("<a/><b/>").unwrap_err().kind, XmlErrorKind::MultipleRoots);
/// assert_eq!(parse("<a>").unwrap_err().kind.to_string(), "unclosed element at end of input");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlErrorKind {
    /// The markup is not well-formed (the reader's message).
    #[error("malformed XML: {0}")]
    Malformed(String),
    /// An attribute could not be split off its start tag.
    #[error("bad attribute: {0}")]
    BadAttribute(String),
    /// An attribute value could not be unescaped.
    #[error("bad attribute value: {0}")]
    BadAttributeValue(String),
    /// Elements nested deeper than [`MAX_DEPTH`].
    #[error("elements nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
    /// An end tag without a start tag (`quick-xml`, which checks end tags, reports this
    /// as [`Malformed`](Self::Malformed) first).
    #[error("unexpected end tag")]
    UnexpectedEndTag,
    /// A second top-level element.
    #[error("more than one root element")]
    MultipleRoots,
    /// A reference to an entity other than the five predefined ones.
    #[error("unknown entity &{0};")]
    UnknownEntity(String),
    /// A character reference that is not a number or not a character.
    #[error("bad character reference: {0}")]
    BadCharRef(String),
    /// The input ends inside an element.
    #[error("unclosed element at end of input")]
    Unclosed,
    /// The input holds no element.
    #[error("no root element")]
    NoRoot,
    /// A character XML 1.0 does not allow (a control character, a lone surrogate,
    /// U+FFFE/U+FFFF), shown escaped.
    #[error("character {0:?} is not allowed in XML 1.0 (remove it)")]
    NotXmlChar(char),
}

/// Bytes of a leading U+FEFF, which quick-xml skips without counting; added back to its
/// positions so that they index the text.
pub(crate) fn bom_skip(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// The reader's position as a byte offset in the text (see [`bom_skip`]).
pub(crate) fn position(reader: &Reader<&[u8]>, skip: usize) -> usize {
    usize::try_from(reader.buffer_position()).map_or(usize::MAX, |p| p.saturating_add(skip))
}

/// The position of the reader's last error as a byte offset in the text.
pub(crate) fn error_position(reader: &Reader<&[u8]>, skip: usize) -> usize {
    usize::try_from(reader.error_position()).map_or(0, |p| p.saturating_add(skip))
}

/// Resolves a reference event of quick-xml: a character reference (quick-xml's rules:
/// any character but U+0000), else one of the five predefined entities.
pub(crate) fn resolve_ref(r: &BytesRef<'_>) -> Result<char, XmlErrorKind> {
    match r.resolve_char_ref() {
        // A reference may name a character XML 1.0 cannot carry (`&#1;`): as the literal.
        Ok(Some(c)) if !is_xml_char(c) => Err(XmlErrorKind::NotXmlChar(c)),
        Ok(Some(c)) => Ok(c),
        Ok(None) => quick_xml::escape::resolve_predefined_entity(r)
            .and_then(|s| s.chars().next())
            .ok_or_else(|| XmlErrorKind::UnknownEntity(r.to_string())),
        Err(e) => Err(XmlErrorKind::BadCharRef(e.to_string())),
    }
}

/// `name` without its namespace prefix.
pub(crate) fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

struct Parser<'t> {
    text: &'t str,
}

impl Parser<'_> {
    fn err(&self, offset: usize, kind: XmlErrorKind) -> XmlError {
        let (line, column) = line_col(self.text, offset);
        XmlError {
            offset,
            line,
            column,
            kind,
        }
    }

    fn start(&self, e: &BytesStart<'_>, offset: usize) -> Result<Element, XmlError> {
        let mut el = Element {
            name: local(e.name().0).to_string(),
            offset,
            ..Element::default()
        };
        for a in e.attributes() {
            let a =
                a.map_err(|err| self.err(offset, XmlErrorKind::BadAttribute(err.to_string())))?;
            let key = a.key.0;
            if key == "xmlns" || key.starts_with("xmlns:") {
                continue;
            }
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| {
                    self.err(offset, XmlErrorKind::BadAttributeValue(err.to_string()))
                })?;
            // A character reference (`&#1;`) may name a character XML 1.0 cannot carry;
            // the value as resolved is checked like literal text.
            if let Some(c) = v.chars().find(|c| !is_xml_char(*c)) {
                return Err(self.err(offset, XmlErrorKind::NotXmlChar(c)));
            }
            el.attrs.push((local(key).to_string(), v.into_owned()));
        }
        Ok(el)
    }

    fn attach(
        &self,
        stack: &mut [Element],
        root: &mut Option<Element>,
        el: Element,
        offset: usize,
    ) -> Result<(), XmlError> {
        match stack.last_mut() {
            Some(parent) => parent.children.push(el),
            None if root.is_none() => *root = Some(el),
            None => return Err(self.err(offset, XmlErrorKind::MultipleRoots)),
        }
        Ok(())
    }
}

/// Parses a whole XML document into its root [`Element`] (iteratively; nesting bounded by
/// [`MAX_DEPTH`]).
///
/// Accepted around and inside the elements: a leading BOM, the XML declaration,
/// comments, processing instructions and a DOCTYPE (all skipped), CDATA sections (their
/// text kept), the five predefined entities and character references (to characters XML 1.0
/// allows, in text and in attribute values). Start and end tags must match. Offsets in
/// errors and [`Element::offset`] index `text`, a leading BOM included.
///
/// ```
/// use al_manifest::xml::parse;
/// let doc = "\u{feff}<?xml version=\"1.0\"?>\r\n<!-- c --><License><p f=\"1\" t=\"&#x39;\"/><e><![CDATA[<raw>]]></e></License>";
/// let root = parse(doc).unwrap();
/// assert_eq!(root.name, "License");
/// assert_eq!(root.children[0].attr("t"), Some("9"));
/// assert_eq!(root.children[1].text, "<raw>");
/// assert!(parse("<a>&nbsp;</a>").is_err());
/// ```
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let p = Parser { text };
    // quick-xml passes any character through; XML 1.0 allows only its Char production
    // (a manifest with U+0001 in a name was read back as if well-formed).
    if let Some((at, c)) = text.char_indices().find(|&(_, c)| !is_xml_char(c)) {
        return Err(p.err(at, XmlErrorKind::NotXmlChar(c)));
    }
    let skip = bom_skip(text);
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let pos = position(&reader, skip);
        let ev = reader.read_event().map_err(|e| {
            p.err(
                error_position(&reader, skip),
                XmlErrorKind::Malformed(e.to_string()),
            )
        })?;
        match ev {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(p.err(pos, XmlErrorKind::TooDeep));
                }
                stack.push(p.start(&e, pos)?);
            }
            Event::Empty(e) => {
                let el = p.start(&e, pos)?;
                p.attach(&mut stack, &mut root, el, pos)?;
            }
            Event::End(_) => {
                let Some(el) = stack.pop() else {
                    return Err(p.err(pos, XmlErrorKind::UnexpectedEndTag));
                };
                p.attach(&mut stack, &mut root, el, pos)?;
            }
            Event::Text(t) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                let c = resolve_ref(&r).map_err(|kind| p.err(pos, kind))?;
                if let Some(el) = stack.last_mut() {
                    el.text.push(c);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(p.err(text.len(), XmlErrorKind::Unclosed));
    }
    root.ok_or_else(|| p.err(0, XmlErrorKind::NoRoot))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    #[test]
    fn characters_xml_does_not_allow_are_errors() {
        // A manifest with U+0001 in a name was read back as if well-formed.
        let e = parse("<Package>\n  <App Name=\"a\u{1}b\"/>\n</Package>").unwrap_err();
        assert_eq!(e.kind, XmlErrorKind::NotXmlChar('\u{1}'));
        assert_eq!((e.line, e.column), (2, 15));
        assert!(e.to_string().contains("'\\u{1}'"), "{e}");
        assert!(parse("<a>\u{1b}[31m</a>").is_err());
        assert!(parse("\u{feff}<a>\t\r\n</a>").is_ok());
        // The same character through a reference in an attribute (found by fuzzing nuspecs).
        let e = parse("<a v=\"x&#1;y\"/>").unwrap_err();
        assert_eq!(e.kind, XmlErrorKind::NotXmlChar('\u{1}'));
        assert_eq!(parse("<a v=\"x&#65;y\"/>").unwrap().attr("v"), Some("xAy"));
        let e = parse("<a>x&#1;y</a>").unwrap_err();
        assert_eq!(e.kind, XmlErrorKind::NotXmlChar('\u{1}'));
        assert_eq!(parse("<a>x&#65;y</a>").unwrap().text, "xAy");
    }
    use proptest::prelude::*;

    #[test]
    fn presets_escape_what_they_say() {
        let all = "&<>\"'\t\n\r";
        assert_eq!(escape(all, Escape::NONE), "&amp;&lt;&gt;\"'\t\n\r");
        assert_eq!(escape(all, Escape::TEXT), "&amp;&lt;&gt;\"'\t\n&#xD;");
        assert_eq!(
            escape(all, Escape::ATTR),
            "&amp;&lt;&gt;&quot;'&#x9;&#xA;&#xD;"
        );
        assert_eq!(
            escape(all, Escape::TEXT_WHITESPACE),
            "&amp;&lt;&gt;\"'&#x9;&#xA;&#xD;"
        );
        assert_eq!(
            escape(all, Escape::PREDEFINED),
            "&amp;&lt;&gt;&quot;&apos;\t\n\r"
        );
        assert_eq!(escape("é<ü>€", Escape::TEXT), "é&lt;ü&gt;€");
        assert!(matches!(escape("", Escape::ATTR), Cow::Borrowed("")));
    }

    #[test]
    fn control_characters_pass_through() {
        assert_eq!(escape_text("a\u{1}b\u{0}"), "a\u{1}b\u{0}");
        assert_eq!(escape_attr("\u{1B}"), "\u{1B}");
    }

    #[test]
    fn unescape_is_strict() {
        assert_eq!(unescape("plain").unwrap(), "plain");
        assert_eq!(
            unescape("&lt;&gt;&amp;&quot;&apos;&#9;&#x1F600;").unwrap(),
            "<>&\"'\t\u{1F600}"
        );
        let kind = |s: &str| unescape(s).unwrap_err().kind;
        assert_eq!(kind("a&b"), UnescapeErrorKind::Unterminated);
        assert_eq!(
            kind("&foo;"),
            UnescapeErrorKind::UnknownEntity("foo".into())
        );
        for bad in [
            "&#0;",
            "&#x1;",
            "&#xD800;",
            "&#x;",
            "&#;",
            "&#X41;",
            "&#+1;",
            "&#x110000;",
        ] {
            assert!(
                matches!(kind(bad), UnescapeErrorKind::BadCharRef(_)),
                "{bad}"
            );
        }
        assert_eq!(unescape("ab&bad;").unwrap_err().offset, 2);
        // Literal characters are kept, control characters included.
        assert_eq!(unescape("a\r\n\t\u{1}").unwrap(), "a\r\n\t\u{1}");
    }

    #[test]
    fn unescape_chars_stops_after_an_error() {
        let v: Vec<_> = unescape_chars("a&x;b").collect();
        assert_eq!(v.len(), 2);
        assert!(v[1].is_err());
    }

    #[test]
    fn parse_errors_say_where() {
        let e = parse("<a>\n<b x=\"1\" x=\"2\"/></a>").unwrap_err();
        assert!(matches!(e.kind, XmlErrorKind::BadAttribute(_)), "{e:?}");
        assert_eq!((e.offset, e.line, e.column), (4, 2, 1));
        let e = parse("<a>&bogus;</a>").unwrap_err();
        assert_eq!(e.kind, XmlErrorKind::UnknownEntity("bogus".into()));
        assert_eq!(e.offset, 3);
        assert!(matches!(
            parse("<a>&#0;</a>").unwrap_err().kind,
            XmlErrorKind::BadCharRef(_)
        ));
        assert!(matches!(
            parse("</a>").unwrap_err().kind,
            XmlErrorKind::Malformed(_)
        ));
        let deep = format!("{}{}", "<a>".repeat(1000), "</a>".repeat(1000));
        let e = parse(&deep).unwrap_err();
        assert_eq!(e.kind, XmlErrorKind::TooDeep);
        assert_eq!(e.offset, 3 * MAX_DEPTH);
        let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn offsets_count_a_leading_bom() {
        let root = parse("\u{feff}<a><b/></a>").unwrap();
        assert_eq!(root.offset, 3);
        assert_eq!(root.children[0].offset, 6);
        let e = parse("\u{feff}<a></b>").unwrap_err();
        assert!(e.offset >= 6, "{e:?}");
    }

    #[test]
    fn text_is_everything_directly_inside() {
        let root = parse("<a> x <b>in b</b> y\r\n<![CDATA[&]]>&#xD;</a>").unwrap();
        assert_eq!(root.text, " x  y\n&\r");
        assert_eq!(root.children[0].text, "in b");
        let e = parse("<e v=\"a\tb&#x9;c\r\nd\"/>").unwrap();
        assert_eq!(e.attr("v"), Some("a b\tc d"));
    }

    /// A generated element: a name, attributes with distinct names, text, children.
    fn element() -> impl Strategy<Value = Element> {
        let name = "[A-Za-z_][A-Za-z0-9_.-]{0,8}"
            .prop_filter("xmlns is dropped", |n: &String| !n.starts_with("xmlns"));
        let value = any::<String>().prop_map(|s| s.chars().filter(|c| is_xml_char(*c)).collect());
        let leaf = (
            name.clone(),
            proptest::collection::btree_map(name, value.clone(), 0..4),
            value,
        )
            .prop_map(|(name, attrs, text): (String, _, String)| Element {
                name,
                attrs: attrs.into_iter().collect(),
                text,
                ..Element::default()
            });
        leaf.prop_recursive(4, 24, 4, |inner| {
            (inner.clone(), proptest::collection::vec(inner, 0..4)).prop_map(
                |(mut el, children)| {
                    el.children = children;
                    el
                },
            )
        })
    }

    /// Writes `el` with [`escape_attr`] and [`escape_text`]: its text before its children.
    fn write(el: &Element, out: &mut String) {
        out.push('<');
        out.push_str(&el.name);
        for (k, v) in &el.attrs {
            out.push_str(&format!(" {k}=\"{}\"", escape_attr(v)));
        }
        if el.text.is_empty() && el.children.is_empty() {
            out.push_str(" />");
            return;
        }
        out.push('>');
        out.push_str(&escape_text(&el.text));
        for c in &el.children {
            write(c, out);
        }
        out.push_str(&format!("</{}>", el.name));
    }

    /// `el` with every offset cleared (the generator does not know them).
    fn without_offsets(mut el: Element) -> Element {
        el.offset = 0;
        el.children = el.children.into_iter().map(without_offsets).collect();
        el
    }

    proptest! {
        #[test]
        fn unescape_inverts_escape(s in any::<String>()) {
            for set in [Escape::NONE, Escape::TEXT, Escape::ATTR, Escape::TEXT_WHITESPACE, Escape::PREDEFINED] {
                let escaped = escape(&s, set);
                prop_assert_eq!(unescape(&escaped).unwrap(), s.as_str());
            }
        }

        #[test]
        fn parse_reads_back_a_written_tree(el in element()) {
            let mut xml = String::new();
            write(&el, &mut xml);
            let back = parse(&xml).map_err(|e| TestCaseError::fail(format!("{e}: {xml:?}")))?;
            prop_assert_eq!(without_offsets(back), el);
        }

        #[test]
        fn parse_never_panics(s in "(<[a-c/!?]|>|&[a-z#0-9x]{0,4};?|\"|=| |[a-c]|\u{feff}|\r|\n){0,40}") {
            if let Err(e) = parse(&s) {
                prop_assert!(e.offset <= s.len());
            }
        }
    }
}
