//! Building packages from an AL project without the compiler.
//!
//! - [`writer`]: entries → a deterministic `.app` (zip laid out as the compiler does, NAVX
//!   header, package id derived from the content unless one is given).
//! - [`symbols`]: parsed AL → [`crate::SymbolReference`].
//! - [`symbols_only`]: a normal package's entries → a symbols-only package's.
//! - [`parts`]: the small generated parts (`MediaIdListing.xml`, `DocComments.xml`,
//!   `entitlement/<appId>.xml`).
//!
//! Nothing here reads files, the clock or the environment: callers pass bytes, the timestamp
//! and (if wanted) a random package id.

pub mod parts;
pub mod symbols;
pub mod symbols_only;
pub mod writer;

pub use parts::{DocMember, doc_comments_xml, doc_members, entitlement_xml, media_id_listing_xml};
pub use symbols::{AppIdentity, FileSymbols, SymbolBuilder};
pub use symbols_only::{SymbolsOnly, SymbolsOnlyError, symbols_only};
pub use writer::{
    BuildEntry, BuildError, BuildOptions, DOS_EPOCH_UNIX, PackageIdMode, build_package,
    build_package_to, content_types_xml, derive_package_id, dos_datetime,
};
