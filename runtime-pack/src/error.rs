//! Typed errors of the package reader.

use thiserror::Error;

/// Why an entry name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnsafeNameReason {
    /// The name is empty or has no non-empty path segment.
    Empty,
    /// A `..` or `.` path segment (path traversal).
    Traversal,
    /// The name starts with `/` (absolute path).
    Absolute,
    /// The name starts with a drive letter (`C:`).
    Drive,
    /// The name contains a backslash (Windows separator, UNC path).
    Backslash,
    /// The name contains a NUL or another control character.
    ControlCharacter,
    /// The percent-escaped name does not un-escape to UTF-8.
    BadEscape,
}

impl std::fmt::Display for UnsafeNameReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Empty => "empty name",
            Self::Traversal => "path traversal segment (`..` or `.`)",
            Self::Absolute => "absolute path",
            Self::Drive => "drive-letter path",
            Self::Backslash => "backslash in name",
            Self::ControlCharacter => "control character in name",
            Self::BadEscape => "percent-escape that does not decode to UTF-8",
        })
    }
}

/// Every way reading a package can fail. A package that yields any of these is invalid for every
/// operation; nothing partial is returned.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum PackageError {
    /// The file is shorter than the 40-byte NAVX header.
    #[error("truncated NAVX header: file has {len} bytes, the header needs 40")]
    TruncatedHeader {
        /// Length of the file.
        len: usize,
    },
    /// One of the two `NAVX` magics is missing.
    #[error("not a NAVX package: no `NAVX` magic at offset {offset}")]
    BadMagic {
        /// Offset (0 or 36) of the missing magic.
        offset: usize,
    },
    /// Header version above 2.
    #[error("unsupported NAVX header version {version} (at most 2 is supported)")]
    UnsupportedVersion {
        /// The version found at offset 8.
        version: u32,
    },
    /// Header size field below 40.
    #[error("NAVX header size {size} is smaller than the 40-byte header")]
    BadHeaderSize {
        /// The header size found at offset 4.
        size: u32,
    },
    /// The payload described by the header does not fit in the file (or its end overflows).
    #[error(
        "NAVX header lies: payload of {len} bytes at offset {offset} runs past the end of the {file_len}-byte file"
    )]
    PayloadOutOfBounds {
        /// Payload offset (header size).
        offset: u64,
        /// Payload length claimed by the header.
        len: u64,
        /// Actual file length.
        file_len: u64,
    },
    /// The payload is neither a zip nor a `.NEA` runtime container.
    #[error("unknown payload format (first bytes {first_bytes:02X?})")]
    UnknownPayload {
        /// Up to 8 leading payload bytes.
        first_bytes: Vec<u8>,
    },
    /// Bytes after the payload that are not a signature block.
    #[error("{len} bytes of unexpected data after the payload at offset {offset}")]
    TrailingData {
        /// Offset of the first unexpected byte.
        offset: u64,
        /// Number of unexpected bytes.
        len: u64,
    },
    /// The NXSB block is cut short or lacks its closing magic.
    #[error("truncated NXSB signature block at offset {offset}")]
    TruncatedSignature {
        /// Offset of the leading `NXSB`.
        offset: u64,
    },
    /// The offset stored in the NXSB footer points outside the file.
    #[error("NXSB footer offset {offset} is outside the {file_len}-byte file")]
    SignatureOffsetOutOfBounds {
        /// Offset found in the footer.
        offset: u64,
        /// Actual file length.
        file_len: u64,
    },
    /// The offset stored in the NXSB footer is inside the file but not where the block starts.
    #[error(
        "NXSB footer offset {found} does not point at the signature block (expected {expected})"
    )]
    SignatureOffsetMismatch {
        /// Where the block actually starts.
        expected: u64,
        /// Offset found in the footer.
        found: u64,
    },
    /// The DER signature could not be parsed.
    #[error("malformed signature: {0}")]
    Signature(String),
    /// The zip directory is malformed or uses an unsupported feature.
    #[error("malformed zip payload: {0}")]
    MalformedZip(String),
    /// The zip library refused an entry or the archive.
    #[error("zip error{}: {source}", entry.as_ref().map(|e| format!(" in entry `{}`", shown(e))).unwrap_or_default())]
    Zip {
        /// The entry being read, if any.
        entry: Option<String>,
        /// The underlying error.
        #[source]
        source: zip::result::ZipError,
    },
    /// An entry name that could escape the extraction directory or is otherwise unsafe.
    #[error("unsafe entry name `{}`: {reason}", shown(name))]
    UnsafeEntryName {
        /// The name as stored in the zip.
        name: String,
        /// Why it was refused.
        reason: UnsafeNameReason,
    },
    /// Two entries with the same name (case-insensitive, after un-escaping).
    #[error("duplicate entry `{}` (same path as `{}`)", shown(name), shown(first))]
    DuplicateEntry {
        /// The later entry's stored name.
        name: String,
        /// The earlier entry's stored name.
        first: String,
    },
    /// More entries than [`ReadLimits::max_entries`](crate::ReadLimits::max_entries).
    #[error("too many zip entries: {count} (limit {limit})")]
    TooManyEntries {
        /// Entries declared by the zip.
        count: u64,
        /// The limit in force.
        limit: u64,
    },
    /// Total uncompressed size, nested packages included, above the package's budget
    /// ([`ReadLimits::max_total_size`](crate::ReadLimits::max_total_size),
    /// [`ReadLimits::max_total_ratio`](crate::ReadLimits::max_total_ratio)).
    #[error(
        "zip bomb: the entries inflate to more than {limit} bytes in all, nested packages \
         included, at entry `{}` (the limit for a package: 25 times its size, at least 64 MiB, \
         at most 1 GiB, unless ReadLimits say otherwise)",
        shown(entry)
    )]
    TotalSizeExceeded {
        /// Entry during which the limit was crossed.
        entry: String,
        /// The limit in force.
        limit: u64,
    },
    /// One entry expands more than [`ReadLimits::max_compression_ratio`](crate::ReadLimits::max_compression_ratio).
    #[error(
        "zip bomb: entry `{}` expands {uncompressed} bytes from {compressed} (ratio limit {limit})",
        shown(entry)
    )]
    CompressionRatioExceeded {
        /// The entry.
        entry: String,
        /// Uncompressed bytes seen (at least).
        uncompressed: u64,
        /// Compressed size.
        compressed: u64,
        /// The ratio limit in force.
        limit: u64,
    },
    /// A ready-to-run wrapper nests deeper than [`ReadLimits::max_nesting`](crate::ReadLimits::max_nesting).
    #[error("ready-to-run packages nested deeper than {limit} levels")]
    NestingTooDeep {
        /// The limit in force.
        limit: u32,
    },
    /// The `.app` embedded in a ready-to-run wrapper is itself defective.
    #[error("embedded package `{}`: {source}", shown(entry))]
    Embedded {
        /// Name of the embedded entry.
        entry: String,
        /// What is wrong with it.
        #[source]
        source: Box<PackageError>,
    },
    /// A ready-to-run wrapper without its embedded `.app`.
    #[error("ready-to-run wrapper: {0}")]
    ReadyToRun(String),
}

/// A name from a package as messages show it: control characters (a terminal's escape
/// sequences among them) and other characters that print as nothing escaped
/// (`\u{1b}`), so a hostile entry name cannot write to the terminal.
pub fn shown(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_control()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_are_shown_escaped() {
        let e = PackageError::UnsafeEntryName {
            name: "src/\u{1b}]0;pwned\u{7}\u{1b}[31mX.al".into(),
            reason: UnsafeNameReason::ControlCharacter,
        };
        let text = e.to_string();
        assert!(!text.chars().any(char::is_control), "{text:?}");
        assert!(
            text.contains("src/\\u{1b}]0;pwned\\u{7}\\u{1b}[31mX.al"),
            "{text}"
        );
        assert_eq!(shown("Customer Loyalty é"), "Customer Loyalty é");
        assert_eq!(shown("a\u{202E}b"), "a\\u{202e}b");
    }
}
