//! The one decoder of text files and package entries (app.json, NavxManifest.xml,
//! SymbolReference.json, AppSourceCop.json, settings): UTF-8 with or without a byte-order
//! mark, or UTF-16 (little or big endian) with one. The BOM is sniffed and the bytes are
//! decoded by [`encoding_rs`]; text that is not valid in its encoding is an error saying
//! which encoding and at which byte, never replaced or passed over.
//!
//! ```
//! use al_manifest::text::{TextEncoding, decode};
//! let utf16: Vec<u8> = [0xFF, 0xFE].into_iter()
//!     .chain("{}".encode_utf16().flat_map(u16::to_le_bytes))
//!     .collect();
//! let t = decode(&utf16)?;
//! assert_eq!((t.text.as_ref(), t.encoding), ("{}", TextEncoding::Utf16Le));
//! assert!(decode(b"\xFF\xFE{").is_err()); // half a UTF-16 code unit
//! # Ok::<(), al_manifest::text::TextError>(())
//! ```

use std::borrow::Cow;

use encoding_rs::{DecoderResult, UTF_8, UTF_16BE, UTF_16LE};

/// How a text was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// UTF-16 little endian with a byte-order mark.
    Utf16Le,
    /// UTF-16 big endian with a byte-order mark.
    Utf16Be,
}

impl TextEncoding {
    /// The encoding's name as messages give it.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => "UTF-8",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
        }
    }
}

/// A decoded text: without its byte-order mark, borrowed when the bytes were UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text.
    pub text: Cow<'a, str>,
    /// How it was stored.
    pub encoding: TextEncoding,
}

/// Bytes that are not valid text in the encoding their BOM (or its absence) names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not valid {} text: invalid bytes at byte offset {offset}{hint}", encoding.name(), hint = hint(*encoding))]
pub struct TextError {
    /// The encoding the bytes were read as.
    pub encoding: TextEncoding,
    /// Offset of the first invalid byte in the whole input (the BOM counted).
    pub offset: usize,
}

fn hint(e: TextEncoding) -> &'static str {
    match e {
        TextEncoding::Utf8 => " (save the file as UTF-8, or as UTF-16 with a byte-order mark)",
        _ => "",
    }
}

/// The encoding `bytes` are in by their byte-order mark (none: UTF-8), and the BOM's
/// length. Looks at the first bytes only; [`decode`] checks the rest.
pub fn sniff(bytes: &[u8]) -> (TextEncoding, usize) {
    match encoding_rs::Encoding::for_bom(bytes) {
        Some((e, n)) if e == UTF_16LE => (TextEncoding::Utf16Le, n),
        Some((e, n)) if e == UTF_16BE => (TextEncoding::Utf16Be, n),
        Some((e, n)) if e == UTF_8 => (TextEncoding::Utf8Bom, n),
        _ => (TextEncoding::Utf8, 0),
    }
}

/// Decodes `bytes` (see the module doc).
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, TextError> {
    let (encoding, bom) = sniff(bytes);
    let body = bytes.get(bom..).unwrap_or_default();
    let text = match encoding {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => {
            Cow::Borrowed(std::str::from_utf8(body).map_err(|e| TextError {
                encoding,
                offset: bom + e.valid_up_to(),
            })?)
        }
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            let coding = if encoding == TextEncoding::Utf16Le {
                UTF_16LE
            } else {
                UTF_16BE
            };
            let mut decoder = coding.new_decoder_without_bom_handling();
            let fail = |offset| TextError { encoding, offset };
            let cap = decoder
                .max_utf8_buffer_length_without_replacement(body.len())
                .ok_or(fail(bom))?;
            let mut out = String::with_capacity(cap);
            let (result, read) = decoder.decode_to_string_without_replacement(body, &mut out, true);
            match result {
                DecoderResult::InputEmpty => Cow::Owned(out),
                DecoderResult::Malformed(bad, later) => {
                    let at = read.saturating_sub(bad as usize + later as usize);
                    return Err(fail(bom + at));
                }
                DecoderResult::OutputFull => return Err(fail(bom + read)),
            }
        }
    };
    Ok(Decoded { text, encoding })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, le: bool) -> Vec<u8> {
        let mut v = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in s.encode_utf16() {
            v.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        v
    }

    #[test]
    fn every_encoding_with_its_bom() {
        let t = decode("{\"a\": \"é\"}".as_bytes()).unwrap();
        assert_eq!(t.encoding, TextEncoding::Utf8);
        assert!(matches!(t.text, Cow::Borrowed(_)));
        let t = decode(b"\xEF\xBB\xBF{}").unwrap();
        assert_eq!((t.text.as_ref(), t.encoding), ("{}", TextEncoding::Utf8Bom));
        for le in [true, false] {
            let bytes = utf16("<Package Name=\"é€😀\"/>", le);
            let t = decode(&bytes).unwrap();
            assert_eq!(t.text, "<Package Name=\"é€😀\"/>");
        }
        assert_eq!(decode(b"").unwrap().text, "");
    }

    #[test]
    fn invalid_text_says_where() {
        let e = decode(b"ab\xFFcd").unwrap_err();
        assert_eq!((e.encoding, e.offset), (TextEncoding::Utf8, 2));
        assert!(e.to_string().contains("UTF-8"), "{e}");
        // An unpaired surrogate, and an odd number of bytes.
        let mut v = utf16("ab", true);
        v.extend([0x00, 0xD8, b'c', 0]);
        let e = decode(&v).unwrap_err();
        assert_eq!(e.encoding, TextEncoding::Utf16Le);
        assert_eq!(e.offset, 6);
        let mut v = utf16("ab", false);
        v.push(b'c');
        let e = decode(&v).unwrap_err();
        assert_eq!(e.encoding, TextEncoding::Utf16Be);
        assert!(e.offset >= 6, "{e:?}");
    }
}
