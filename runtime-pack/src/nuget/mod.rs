//! NuGet packages of Business Central apps (BcNuGet, MSSymbols, AppSourceSymbols), without
//! any I/O: package id naming ([`bcnuget_id`], [`symbols_id`], [`application_symbols_id`]),
//! versions and ranges ([`NuGetVersion`], [`VersionRange`]), the nuspec ([`Nuspec`]),
//! checked nupkg reading and `.app` extraction ([`Nupkg`]), the lock file ([`LockFile`]) and
//! writing BcNuGet packages ([`full_package`], [`symbols_package`],
//! [`runtime_indirect_package`], [`runtime_compiled_package`]) and dependency resolution
//! ([`resolve`]) over a [`PackageSource`] that callers implement
//! (alkit implements it over HTTP; tests with bytes in memory).
//!
//! Format: runtime-distribution.md §3. A nupkg is read as strictly as a `.app` payload
//! ([`crate::ZipIndex`]); nothing in it is ever executed.

mod lock;
mod naming;
mod nupkg;
mod nuspec;
mod pack;
mod resolve;
mod version;

pub use lock::{LOCK_VERSION, LockFile, LockedApp, LockedPackage, redact_url, sha256_hex};
pub use naming::{
    APPLICATION_KEY, PLATFORM_KEY, app_candidates, app_id_of, application_candidates,
    application_symbols_id, bcnuget_id, dependency_candidates, id_part, is_valid_id,
    pick_search_hit, platform_symbols_id, symbols_id,
};
pub use nupkg::{Nupkg, NupkgApp, write_nupkg};
pub use nuspec::{Nuspec, NuspecDependency};
pub use pack::{
    AppDependency, AppInfo, BuiltNupkg, NuspecMetadata, full_package, runtime_compiled_package,
    runtime_indirect_package, symbols_package, write_package,
};
pub use resolve::{
    PackageSource, Requirement, Resolution, ResolveOptions, ResolvedPackage, SourceError, resolve,
};
pub use version::{NuGetVersion, VersionRange};

/// Why a NuGet package, its nuspec, the lock file or a resolution was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NuGetError {
    /// The nupkg's zip failed a safety or integrity check.
    #[error("nupkg: {0}")]
    Zip(crate::PackageError),
    /// The nuspec is missing or malformed.
    #[error("nuspec: {0}")]
    Nuspec(String),
    /// An `.app` inside is not a package.
    #[error("{file}: {source}")]
    BadApp {
        /// The entry path.
        file: String,
        /// Why.
        source: crate::PackageError,
    },
    /// The lock file is malformed.
    #[error("lock file: {0}")]
    Lock(String),
    /// A source failed (the message names the source, package and status).
    #[error("{0}")]
    Source(String),
    /// A downloaded package was refused.
    #[error("{package}: {source}")]
    Package {
        /// Source, id and version.
        package: String,
        /// Why.
        source: Box<NuGetError>,
    },
    /// Nothing fits.
    #[error("{0}")]
    Resolve(String),
}
