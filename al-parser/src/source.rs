//! Input encodings: detection, decoding to the bytes the lexer sees, and encoding back.

/// The encoding a source file was read in; [`crate::Parse::to_bytes`] writes it back the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8 (with or without BOMs, which stay in the text as trivia) or any other bytes,
    /// including invalid UTF-8: the text is the input bytes unchanged.
    Utf8,
    /// UTF-16 little endian with BOM `FF FE`; decoded to UTF-8 (the BOM becomes U+FEFF).
    Utf16Le,
    /// UTF-16 big endian with BOM `FE FF`; decoded to UTF-8 (the BOM becomes U+FEFF).
    Utf16Be,
}

/// Decodes `bytes` to the text the lexer sees. UTF-16 is only decoded when it has a BOM,
/// an even length and no unpaired surrogate (so that encoding back is exact); otherwise
/// the bytes are taken as they are.
pub(crate) fn decode(bytes: &[u8]) -> (Vec<u8>, Encoding) {
    decode_utf16(bytes).unwrap_or_else(|| (bytes.to_vec(), Encoding::Utf8))
}

/// [`decode`] taking ownership: UTF-8 (and undecodable) input is returned without a copy.
pub(crate) fn decode_owned(bytes: std::sync::Arc<Vec<u8>>) -> (std::sync::Arc<Vec<u8>>, Encoding) {
    match decode_utf16(&bytes) {
        Some((text, encoding)) => (std::sync::Arc::new(text), encoding),
        None => (bytes, Encoding::Utf8),
    }
}

/// The UTF-8 text of UTF-16 input with a BOM, an even length and no unpaired surrogate.
pub(crate) fn decode_utf16(bytes: &[u8]) -> Option<(Vec<u8>, Encoding)> {
    let le = bytes.starts_with(&[0xFF, 0xFE]);
    let be = bytes.starts_with(&[0xFE, 0xFF]);
    if !(le || be) || bytes.len() % 2 != 0 {
        return None;
    }
    let units = bytes.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let mut out = String::with_capacity(bytes.len());
    for r in char::decode_utf16(units) {
        out.push(r.ok()?);
    }
    Some((
        out.into_bytes(),
        if le {
            Encoding::Utf16Le
        } else {
            Encoding::Utf16Be
        },
    ))
}

/// Encodes decoded text back to `enc`.
pub(crate) fn encode(text: &[u8], enc: Encoding) -> Vec<u8> {
    match enc {
        Encoding::Utf8 => text.to_vec(),
        Encoding::Utf16Le | Encoding::Utf16Be => {
            // text came from decode(), so it is valid UTF-8; be defensive anyway
            let s = String::from_utf8_lossy(text);
            let mut out = Vec::with_capacity(text.len() * 2);
            for u in s.encode_utf16() {
                let b = if enc == Encoding::Utf16Le {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                };
                out.extend_from_slice(&b);
            }
            out
        }
    }
}
