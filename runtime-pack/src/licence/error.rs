//! Typed errors of the licence reader.

/// Why a licence file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LicenceError {
    /// A legacy `.flf` licence: only its text header is readable; the permissions are in an
    /// encrypted binary body.
    #[error(
        "this is a legacy .flf licence file (NAV / Business Central up to 21): its object \
         permissions are stored in an encrypted binary body that cannot be read; use the \
         .bclicense file of the same licence, or a licence range file \
         (type from to permissions [expires])"
    )]
    Flf,
    /// A UTF-16 file with an odd number of bytes.
    #[error("the file starts with a UTF-16 byte-order mark but has an odd number of bytes")]
    TruncatedUtf16,
    /// A UTF-16 `.bclicense` without a `<License` element.
    #[error("no <License> element found after the text header (not a .bclicense file?)")]
    NoLicenseElement,
    /// Malformed XML in the body.
    #[error("XML body, byte {offset}: {message}")]
    Xml {
        /// Byte offset in the XML text (from `<License`).
        offset: usize,
        /// What is wrong.
        message: String,
    },
    /// A `p`, `pl` or `e` element with a missing or invalid attribute.
    #[error("XML body, collection {collection:?}: element <{element}>: {message}")]
    BadElement {
        /// The enclosing `pl/@t`.
        collection: String,
        /// Element name.
        element: String,
        /// What is wrong.
        message: String,
    },
    /// The file is neither UTF-16 nor UTF-8.
    #[error(
        "the file is neither a .bclicense (UTF-16) nor UTF-8 text: invalid UTF-8 at byte {offset}"
    )]
    NotText {
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// An error in a range file.
    #[error("line {line}, column {column}: {kind}")]
    RangeFile {
        /// 1-based line.
        line: usize,
        /// 1-based column (characters).
        column: usize,
        /// What is wrong.
        kind: RangeErrorKind,
    },
    /// A range file without a single range.
    #[error("the range file holds no ranges (expected lines `type from to permissions [expires]`)")]
    EmptyRangeFile,
}

/// What is wrong in a range-file line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeErrorKind {
    /// Unknown object type.
    #[error(
        "unknown object type {0:?} (expected table, tabledata, page, codeunit, report, query, \
         xmlport, menusuite, system, fieldnumber, a collection name such as TableDescription, \
         or a code 0-22)"
    )]
    UnknownType(String),
    /// A required field is missing.
    #[error("missing {0}")]
    Missing(&'static str),
    /// `from` or `to` is not a decimal object ID.
    #[error("{field} {text:?} is not a decimal object ID")]
    BadId {
        /// `from` or `to`.
        field: &'static str,
        /// As written.
        text: String,
    },
    /// `from > to`.
    #[error("from {from} is greater than to {to}")]
    FromAfterTo {
        /// From.
        from: u32,
        /// To.
        to: u32,
    },
    /// Permissions not understood.
    #[error(
        "permissions {0:?} not understood (expected letters from RIMDX, upper case direct, lower \
         case indirect, - or . placeholders, each letter once; or a decimal pbm value; or five \
         Yes/Indirect/blank columns)"
    )]
    BadPermissions(String),
    /// A five-column permission cell not understood.
    #[error("permission column {column} value {text:?} is not Yes, Indirect or blank")]
    BadColumn {
        /// R, I, M, D or X.
        column: char,
        /// As written.
        text: String,
    },
    /// Expiry not an ISO date.
    #[error("expiry {0:?} is not an ISO date (yyyy-mm-dd)")]
    BadDate(String),
    /// Extra fields after the expiry.
    #[error("unexpected field {0:?} after the permissions and expiry")]
    Extra(String),
}
