//! Business Central licence files and the licence check for runtime packages.
//!
//! Reads a `.bclicense` (UTF-16 text header + one-line XML with permission collections) or a
//! plain-text **licence range file** (license-format.md §11.2), and checks a list of objects:
//! may the developer licence generate a runtime package of them (direct Insert, like
//! publishing) and may they run (direct Execute)?
//!
//! Legacy `.flf` files are recognised and refused with [`LicenceError::Flf`]: their
//! permissions are in an encrypted body.
//!
//! * Labels of the text header are localised: they are kept raw ([`HeaderLine`]) and never
//!   interpreted; facts come from the XML properties.
//! * The XML signature is **not verified** ([`SignatureStatus::NotChecked`]): that needs XML
//!   canonicalisation (exclusive and inclusive C14N), which no dependency of this crate
//!   provides. Even when verified it would prove integrity only, never that Microsoft issued
//!   the file.
//! * No printing, no clock or environment reads: callers pass bytes and "today".
//!
//! ```
//! use runtime_pack::licence::{LicObject, ObjectType, read_licence, check_objects};
//! let lic = read_licence(b"# expires: 2030-12-31\npage 50000 50099 RIMDX\n")?;
//! let page = LicObject {
//!     kind: ObjectType::Page, id: Some(50100), name: "Tiers".into(),
//!     temporary: false, obsolete_removed: false, source: "Tiers.Page.al".into(),
//! };
//! let report = check_objects(&lic, &[page], "2026-01-01".parse().ok());
//! assert!(!report.passed()); // 50100 lies outside 50000..50099
//! # Ok::<(), runtime_pack::licence::LicenceError>(())
//! ```

mod bclicense;
mod check;
mod error;
mod model;
mod perm;
mod ranges;

pub use bclicense::{FLF_MAGIC, FileKind, HEADER_TITLE, parse_header, sniff};
pub use check::{
    LicObject, LicenceCheck, Mapping, ObjectCheck, ObjectType, Status, check_objects, mapping,
};
pub use error::{LicenceError, RangeErrorKind};
pub use model::{
    CollectionKind, HeaderLine, Licence, LicenceFormat, LicenceProperty, Lookup,
    PermissionCollection, PermissionRange, RangeComment, RangeExpiry, SignatureStatus,
};
pub use perm::{Date, DateError, LETTERS, Permission, Permissions};
pub use ranges::{RANGE_FILE_MAGIC, parse_range_file, write_range_file};

/// Reads licence bytes of any supported kind: a `.bclicense` (UTF-16LE/BE with BOM, or
/// re-saved as UTF-8: then its first line must be the header title or `<License`), or a
/// UTF-8 range file. A `.flf` gives [`LicenceError::Flf`].
pub fn read_licence(bytes: &[u8]) -> Result<Licence, LicenceError> {
    match sniff(bytes) {
        FileKind::BcLicenseUtf16Le => {
            bclicense::parse_bclicense_text(&bclicense::decode_utf16(bytes, true)?)
        }
        FileKind::BcLicenseUtf16Be => {
            bclicense::parse_bclicense_text(&bclicense::decode_utf16(bytes, false)?)
        }
        FileKind::Flf => Err(LicenceError::Flf),
        FileKind::Text => {
            let text = std::str::from_utf8(bytes).map_err(|e| LicenceError::NotText {
                offset: e.valid_up_to(),
            })?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            let first = text.lines().map(str::trim).find(|l| !l.is_empty());
            let looks_like_bclicense = first.is_some_and(|l| {
                l.trim_start_matches('\u{feff}') == HEADER_TITLE
                    || l.trim_start_matches('\u{feff}').starts_with("<License")
            });
            if looks_like_bclicense && bclicense::find_license_tag(text).is_some() {
                bclicense::parse_bclicense_text(text)
            } else {
                parse_range_file(text)
            }
        }
    }
}
