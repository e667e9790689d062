//! Reading a `.nupkg`: the zip checked as strictly as a `.app` payload, its nuspec, its
//! `.app` files (each read and checked as a package).

use super::NuGetError;
use super::nuspec::Nuspec;
use crate::{Package, ReadLimits, ZipIndex};

/// One `.app` file inside a nupkg.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NupkgApp {
    /// The folder it lies in: `None` at the root, else the country code (BcNuGet runtime
    /// packages keep other localisations in sub-folders named by country).
    pub country: Option<String>,
    /// The file name (no folder; safe to join to a directory).
    pub file_name: String,
    /// The bytes (a package [`Package::read`] accepted).
    pub bytes: Vec<u8>,
    /// The app id its `NavxManifest.xml` declares (`None` for a runtime package, which
    /// has no manifest).
    pub app_id: Option<uuid::Uuid>,
}

/// A checked nupkg: its nuspec and its `.app` files.
///
/// Checks: every [`ZipIndex`] check under `limits` (safe, unique names — no traversal,
/// absolute or drive paths —, entry-count, size and ratio limits, CRC); exactly one
/// `*.nuspec` at the root; `.app` files only at the root or one folder down; each `.app`
/// accepted by [`Package::read`]. Nothing in the package is executed; other files (scripts,
/// `tools/`) are ignored.
///
/// ```
/// use runtime_pack::nuget::{Nupkg, Nuspec};
/// let spec = Nuspec { id: "A.B".into(), version: "1.0".parse().unwrap(), dependencies: vec![] };
/// let zip = runtime_pack::nuget::write_nupkg(&spec, &[]);
/// let pkg = Nupkg::read(&zip, &runtime_pack::ReadLimits::default()).unwrap();
/// assert_eq!(pkg.nuspec.id, "A.B");
/// assert!(pkg.apps.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nupkg {
    /// The parsed nuspec.
    pub nuspec: Nuspec,
    /// The `.app` files, in zip order.
    pub apps: Vec<NupkgApp>,
}

impl Nupkg {
    /// Reads and checks `bytes` (see [`Nupkg`]).
    pub fn read(bytes: &[u8], limits: &ReadLimits) -> Result<Self, NuGetError> {
        let index = ZipIndex::new(bytes, limits).map_err(NuGetError::Zip)?;
        let specs: Vec<_> = index
            .entries()
            .iter()
            .filter(|e| !e.path.contains('/') && e.path.to_lowercase().ends_with(".nuspec"))
            .collect();
        let [spec] = specs.as_slice() else {
            return Err(NuGetError::Nuspec(format!(
                "{} .nuspec files at the root (one expected)",
                specs.len()
            )));
        };
        let text = index.read(bytes, spec).map_err(NuGetError::Zip)?;
        let text = String::from_utf8(text)
            .map_err(|_| NuGetError::Nuspec("the nuspec is not UTF-8".into()))?;
        let nuspec = Nuspec::parse(&text)?;
        let mut apps = Vec::new();
        for e in index.entries() {
            if !e.path.to_lowercase().ends_with(".app") {
                continue;
            }
            let segs: Vec<&str> = e.path.split('/').filter(|s| !s.is_empty()).collect();
            let (country, file_name) = match segs.as_slice() {
                [f] => (None, *f),
                [c, f] => (Some(c.to_lowercase()), *f),
                _ => continue,
            };
            let data = index.read(bytes, e).map_err(NuGetError::Zip)?;
            let package = Package::read(&data).map_err(|source| NuGetError::BadApp {
                file: e.path.clone(),
                source,
            })?;
            let app_id = package.app_manifest().and_then(Result::ok).map(|m| m.id);
            apps.push(NupkgApp {
                country,
                file_name: file_name.to_owned(),
                bytes: data,
                app_id,
            });
        }
        Ok(Self { nuspec, apps })
    }

    /// The apps for `country`: those in the country's folder when it has any, else those at
    /// the root.
    pub fn apps_for(&self, country: Option<&str>) -> Vec<&NupkgApp> {
        let c = country.map(str::to_lowercase);
        let local: Vec<&NupkgApp> = self
            .apps
            .iter()
            .filter(|a| a.country.is_some() && a.country == c)
            .collect();
        if !local.is_empty() {
            return local;
        }
        self.apps.iter().filter(|a| a.country.is_none()).collect()
    }
}

/// Writes a nupkg with `files` as (path, bytes) and the default metadata (authors
/// `alkit`); see [`super::write_package`]. For tools and tests.
pub fn write_nupkg(nuspec: &Nuspec, files: &[(&str, &[u8])]) -> Vec<u8> {
    super::pack::write_package(
        nuspec,
        &super::pack::NuspecMetadata {
            title: String::new(),
            description: "Business Central app".into(),
            authors: "alkit".into(),
        },
        files,
    )
}
