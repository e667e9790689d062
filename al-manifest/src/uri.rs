//! One level of URI percent-escaping, as OPC part names (`.app` packages) and SARIF file
//! locations use it, on the `percent-encoding` crate: every byte outside RFC 3986's
//! unreserved characters, sub-delimiters, `:`, `@` and `/` becomes `%XX` (upper-case hex).

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// The bytes [`escape`] encodes: all but unreserved, sub-delims, `:`, `@` and `/`.
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@')
    .remove(b'/');

/// Percent-escapes one level: every byte of the UTF-8 text outside the kept set (space,
/// `%`, non-ASCII, brackets, …) becomes `%XX`.
///
/// ```
/// assert_eq!(al_manifest::uri::escape("Business Foundation [x]/ä.xlf"),
///            "Business%20Foundation%20%5Bx%5D/%C3%A4.xlf");
/// ```
pub fn escape(text: &str) -> Cow<'_, str> {
    utf8_percent_encode(text, ESCAPED).into()
}

/// Removes one level of percent-escaping. A `%` not followed by two hex digits is kept
/// literally (as .NET's `Uri.UnescapeDataString` does). `None` when the decoded bytes are
/// not UTF-8.
///
/// ```
/// assert_eq!(al_manifest::uri::unescape("a%20b%2").as_deref(), Some("a b%2"));
/// assert_eq!(al_manifest::uri::unescape("%FF"), None);
/// ```
pub fn unescape(text: &str) -> Option<Cow<'_, str>> {
    percent_decode_str(text).decode_utf8().ok()
}
