//! # runtime-pack
//!
//! Read Business Central `.app` packages and write NAVX containers.
//!
//! ## Guarantees
//!
//! - **Total over input.** Every reader takes bytes and returns a value or a typed
//!   [`PackageError`]; no input makes it panic, loop forever or allocate without bound (see
//!   [`ReadLimits`]). The fuzz targets `navx_container`, `zip_reader` and `symbol_reference`
//!   exercise this.
//! - **All or nothing.** A package with any defect (lying header lengths, truncation, unsafe or
//!   duplicate entry names, zip bombs, a malformed or misplaced signature block) is rejected whole;
//!   no partial package is returned.
//! - **Header-driven payload.** The payload is `file[u32@4 .. u32@4 + u64@28]`, never "the rest
//!   of the file"; whatever follows must be a well-formed NXSB signature block (or, for runtime
//!   packages, the 8 extra `.NEA` bytes).
//! - **Safe names.** Every entry name is checked before and after un-escaping: no `..`/`.`
//!   segments, absolute, drive or UNC paths, backslashes, control characters; duplicates are
//!   detected case-insensitively after un-escaping. [`Entry::path`] is safe to join to a directory.
//! - **Runtime packages stay opaque.** `.NEA` payloads are detected and described, never decoded.
//! - **Digest, not trust.** For signed packages the `SpcIndirectDataContent` digest is compared with
//!   the SHA-256 (or SHA-1, BC 11 era) of the signed bytes and the signer's subject is reported; the CMS signature itself,
//!   the certificate chain and the timestamp are **not** verified.
//! - No printing, no environment reads, no file-system access: callers pass bytes.
//!
//! ## Example
//!
//! ```
//! use runtime_pack::{Package, PackageKind, write_container};
//! // A container whose payload is a `.NEA` runtime blob.
//! let file = write_container(uuid::Uuid::new_v4(), b".NEA\x00\x00\x00\x01opaque");
//! let package = Package::read(&file)?;
//! assert_eq!(package.kind(), PackageKind::Runtime);
//! assert!(!package.is_signed());
//! # Ok::<(), runtime_pack::PackageError>(())
//! ```

mod container;
mod error;
mod escape;
#[cfg(feature = "test-fixtures")]
pub mod fixtures;
mod package;
mod signature;
mod symbols;
mod zipread;

pub use container::{
    Container, NAVX_HEADER_LEN, NAVX_MAGIC, NAVX_MAX_VERSION, NavxHeader, read_container,
    write_container,
};
pub use error::{PackageError, UnsafeNameReason, shown};
pub use escape::{
    CONTENT_TYPES, SOURCE_PREFIX, escape_part_name, escape_uri, unescape_part_name, unescape_uri,
};
pub use package::{
    LazyPackage, NAVX_MANIFEST, NEA_EXTRA_BYTES, NEA_MAGIC, Package, PackageKind,
    READY_TO_RUN_MANIFEST, ReadyToRunManifest, RuntimeInfo, SYMBOL_REFERENCE,
};
pub use signature::{
    DigestCheck, NXSB_MAGIC, OID_SHA1, OID_SHA256, SignatureInfo, SignedDataSummary,
    parse_signed_data,
};
pub use symbols::{
    FlatObject, MAX_SYMBOL_OBJECTS, ObjectArrays, ObjectHead, SymbolEnumValue, SymbolError,
    SymbolField, SymbolKey, SymbolMethod, SymbolNamespace, SymbolObject, SymbolObjectType,
    SymbolParameter, SymbolProperty, SymbolReference, SymbolSummary, TypeDefinition,
};
pub use uuid::Uuid;
pub use zipread::{Entry, EntryInfo, ReadLimits, TOTAL_SIZE_FLOOR, ZipIndex, read_zip_entries};

pub mod index;
pub mod licence;
pub mod nuget;
pub mod runtime;

pub mod build;
