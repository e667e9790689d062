//! Dependency resolution over package sources (feeds, a cache), protocol-independent.

use std::collections::{BTreeMap, HashMap, VecDeque};

use super::NuGetError;
use super::lock::{LockFile, sha256_hex};
use super::naming::{
    APPLICATION_KEY, PLATFORM_KEY, app_id_of, application_candidates, dependency_candidates,
    is_valid_id, pick_search_hit, platform_symbols_id,
};
use super::nupkg::Nupkg;
use super::version::{NuGetVersion, VersionRange};
use crate::ReadLimits;

/// Why a source could not answer. The message names the source, the package and (for HTTP)
/// the status; it never holds a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceError {
    /// The source does not have it (HTTP 404): resolution tries elsewhere.
    NotFound(String),
    /// Any other failure: resolution stops with it.
    Failed(String),
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotFound(m) | Self::Failed(m) => f.write_str(m),
        }
    }
}

/// Where packages come from: a NuGet feed (alkit's HTTP client), a local cache, a test
/// double. Resolution asks sources in order.
pub trait PackageSource {
    /// How the source is named in messages and the lock file (no credentials).
    fn name(&self) -> String;
    /// The versions of package `id` (any case), or `Ok(None)` when the source does not
    /// have the package.
    fn versions(&mut self, id: &str) -> Result<Option<Vec<NuGetVersion>>, SourceError>;
    /// The `.nupkg` of `id` `version`.
    fn download(&mut self, id: &str, version: &NuGetVersion) -> Result<Vec<u8>, SourceError>;
    /// The package ids the source's search finds for `query` (NuGet's
    /// `SearchQueryService`). Resolution searches for an app id when none of the ids it
    /// derives from app.json is listed — an app renamed since its dependents were written,
    /// a publisher spelled otherwise. The default: a source without search finds nothing.
    fn search(&mut self, query: &str) -> Result<Vec<String>, SourceError> {
        let _ = query;
        Ok(Vec::new())
    }
}

/// One thing to resolve: an app (by app id), the application or the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// What identifies it across packages: the app id (lower-case), or
    /// [`APPLICATION_KEY`] / [`PLATFORM_KEY`].
    pub key: String,
    /// The package ids to try, in order.
    pub candidates: Vec<String>,
    /// The versions accepted.
    pub range: VersionRange,
    /// Who asks for it (`app.json`, or a package id), for messages.
    pub wanted_by: String,
}

impl Requirement {
    /// An app of app.json's `dependencies` (at least `min`, as BC reads it).
    pub fn app(
        publisher: &str,
        name: &str,
        id: uuid::Uuid,
        min: NuGetVersion,
        country: Option<&str>,
    ) -> Self {
        Self {
            key: id.to_string(),
            candidates: super::naming::app_candidates(publisher, name, id, country),
            range: VersionRange::at_least(min),
            wanted_by: "app.json".into(),
        }
    }

    /// Exactly `version` of an app (an AppSourceCop baseline).
    pub fn exact_app(
        publisher: &str,
        name: &str,
        id: uuid::Uuid,
        version: NuGetVersion,
        country: Option<&str>,
    ) -> Self {
        Self {
            range: VersionRange {
                min: Some((version.clone(), true)),
                max: Some((version, true)),
            },
            key: id.to_string(),
            candidates: super::naming::app_candidates(publisher, name, id, country),
            wanted_by: "AppSourceCop.json".into(),
        }
    }

    /// app.json's `application` (at least `min`).
    pub fn application(min: NuGetVersion, country: Option<&str>) -> Self {
        Self {
            key: APPLICATION_KEY.into(),
            candidates: application_candidates(country),
            range: VersionRange::at_least(min),
            wanted_by: "app.json".into(),
        }
    }

    /// app.json's `platform` (at least `min`).
    pub fn platform(min: NuGetVersion) -> Self {
        Self {
            key: PLATFORM_KEY.into(),
            candidates: vec![platform_symbols_id()],
            range: VersionRange::at_least(min),
            wanted_by: "app.json".into(),
        }
    }

    /// A dependency named in the nuspec of `wanted_by`: `Microsoft.Application` and
    /// `Microsoft.Platform` (BcNuGet) and the MSSymbols ids of both become the
    /// application and platform requirements; an id ending in an app id is keyed by it.
    pub fn from_dependency(
        id: &str,
        range: VersionRange,
        wanted_by: &str,
        country: Option<&str>,
    ) -> Self {
        let lower = id.to_lowercase();
        let (key, candidates) = if lower == APPLICATION_KEY
            || (lower.starts_with("microsoft.application.") && lower.ends_with(".symbols"))
        {
            (APPLICATION_KEY.to_owned(), application_candidates(country))
        } else if lower == PLATFORM_KEY || lower == "microsoft.platform.symbols" {
            (PLATFORM_KEY.to_owned(), vec![platform_symbols_id()])
        } else if let Some(app) = app_id_of(id) {
            (app.to_string(), dependency_candidates(id, country))
        } else {
            (lower, vec![id.to_owned()])
        };
        Self {
            key,
            candidates,
            range,
            wanted_by: wanted_by.to_owned(),
        }
    }
}

/// How to choose.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// Take the highest version that satisfies the requirements (default: the lowest, as
    /// BC's minimum versions mean).
    pub highest: bool,
    /// Localisation (`dk`, …; `None` or `w1` for W1).
    pub country: Option<String>,
    /// Versions and digests to keep: a locked package is taken at its locked version only,
    /// and its bytes must have the locked SHA-256.
    pub lock: Option<LockFile>,
    /// Zip limits for the nupkgs (and the apps inside).
    pub limits: ReadLimits,
    /// Take only the packages the roots ask for, not what their nuspecs depend on (an
    /// AppSourceCop baseline: the previous version of the app itself).
    pub direct_only: bool,
}

/// A package chosen.
#[derive(Debug, Clone)]
pub struct ResolvedPackage {
    /// The requirement key it satisfies.
    pub key: String,
    /// The package id as the source lists it (the nuspec's spelling).
    pub id: String,
    /// The version.
    pub version: NuGetVersion,
    /// The source's name.
    pub source: String,
    /// SHA-256 of the nupkg.
    pub sha256: String,
    /// The nupkg's raw bytes (to cache).
    pub bytes: Vec<u8>,
    /// The checked nupkg.
    pub nupkg: Nupkg,
}

/// What resolution chose, and notes for the user (e.g. a listed version that could not
/// be downloaded and was passed over).
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    /// The packages, in the order chosen.
    pub packages: Vec<ResolvedPackage>,
    /// Notes.
    pub notes: Vec<String>,
}

/// Resolves `roots` transitively over `sources` (asked in order; the first that has a
/// candidate id answers for it).
///
/// Per requirement key: all ranges asked for it must hold; the lowest (or highest) listed
/// version that satisfies them is downloaded, checked ([`Nupkg::read`]; id and version must
/// match the nuspec; the locked digest when locked) and its nuspec dependencies become
/// requirements. When a later requirement rules out a version already chosen, the key is
/// chosen again (dependencies of the version passed over stay as requirements: resolution
/// is conservative). A listed version whose download is not found is passed over with a note.
///
/// ```
/// use runtime_pack::nuget::*;
/// struct Mem(Vec<(String, String, Vec<u8>)>);
/// impl PackageSource for Mem {
///     fn name(&self) -> String { "mem".into() }
///     fn versions(&mut self, id: &str) -> Result<Option<Vec<NuGetVersion>>, SourceError> {
///         let v: Vec<NuGetVersion> = self.0.iter().filter(|p| p.0.eq_ignore_ascii_case(id))
///             .map(|p| p.1.parse().unwrap()).collect();
///         Ok((!v.is_empty()).then_some(v))
///     }
///     fn download(&mut self, id: &str, v: &NuGetVersion) -> Result<Vec<u8>, SourceError> {
///         self.0.iter().find(|p| p.0.eq_ignore_ascii_case(id) && p.1.parse::<NuGetVersion>().unwrap() == *v)
///             .map(|p| p.2.clone()).ok_or(SourceError::NotFound(id.into()))
///     }
/// }
/// let spec = |v: &str| Nuspec { id: "Microsoft.Platform.symbols".into(), version: v.parse().unwrap(), dependencies: vec![] };
/// let mut feed = Mem(["24.0", "25.0"].iter().map(|v| ("Microsoft.Platform.symbols".into(), v.to_string(), write_nupkg(&spec(v), &[]))).collect());
/// let roots = vec![Requirement::platform("24.0.0.0".parse().unwrap())];
/// let r = resolve(&roots, &mut [&mut feed], &ResolveOptions::default()).unwrap();
/// assert_eq!(r.packages[0].version.to_string(), "24.0");
/// ```
pub fn resolve(
    roots: &[Requirement],
    sources: &mut [&mut dyn PackageSource],
    options: &ResolveOptions,
) -> Result<Resolution, NuGetError> {
    let country = options.country.as_deref();
    let mut reqs: BTreeMap<String, Vec<Requirement>> = BTreeMap::new();
    let mut queue: VecDeque<String> = VecDeque::new();
    let mut chosen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Resolution::default();
    // (source index, lower-case id) → versions (None: not there).
    let mut listed: HashMap<(usize, String), Option<Vec<NuGetVersion>>> = HashMap::new();
    let push = |r: Requirement,
                reqs: &mut BTreeMap<String, Vec<Requirement>>,
                queue: &mut VecDeque<String>| {
        queue.push_back(r.key.clone());
        reqs.entry(r.key.clone()).or_default().push(r);
    };
    for r in roots {
        push(r.clone(), &mut reqs, &mut queue);
    }
    let mut steps = 0usize;
    while let Some(key) = queue.pop_front() {
        steps += 1;
        if steps > 100_000 {
            return Err(NuGetError::Resolve("resolution does not settle".into()));
        }
        let wanted = reqs.get(&key).cloned().unwrap_or_default();
        let satisfies = |v: &NuGetVersion| wanted.iter().all(|r| r.range.contains(v));
        if let Some(&at) = chosen.get(&key)
            && out.packages.get(at).is_some_and(|p| satisfies(&p.version))
        {
            continue;
        }
        let candidates: Vec<String> = {
            let mut c: Vec<String> = Vec::new();
            for r in &wanted {
                for id in &r.candidates {
                    if !c.iter().any(|x| x.eq_ignore_ascii_case(id)) {
                        c.push(id.clone());
                    }
                }
            }
            c
        };
        if let Some(bad) = candidates.iter().find(|c| !is_valid_id(c)) {
            let by: Vec<&str> = wanted.iter().map(|r| r.wanted_by.as_str()).collect();
            return Err(NuGetError::Resolve(format!(
                "`{bad}` (asked for by {}) is not a valid package id",
                by.join(", ")
            )));
        }
        let mut found: Option<(usize, String, Vec<NuGetVersion>)> = None;
        'search: for (si, source) in sources.iter_mut().enumerate() {
            for id in &candidates {
                let slot = listed.entry((si, id.to_lowercase()));
                let versions = match slot {
                    std::collections::hash_map::Entry::Occupied(o) => o.get().clone(),
                    std::collections::hash_map::Entry::Vacant(v) => {
                        let got = match source.versions(id) {
                            Ok(x) => x,
                            Err(SourceError::NotFound(_)) => None,
                            Err(SourceError::Failed(m)) => return Err(NuGetError::Source(m)),
                        };
                        v.insert(got).clone()
                    }
                };
                if let Some(vs) = versions {
                    found = Some((si, id.clone(), vs));
                    break 'search;
                }
            }
        }
        // None of the derived ids is listed: search each source for the app id.
        let app_key = uuid::Uuid::parse_str(&key).ok();
        if found.is_none()
            && let Some(app) = app_key
        {
            'find: for (si, source) in sources.iter_mut().enumerate() {
                let hits = match source.search(&key) {
                    Ok(h) => h,
                    Err(SourceError::NotFound(_)) => Vec::new(),
                    Err(SourceError::Failed(m)) => {
                        out.notes
                            .push(format!("{m}; searching for {key} passed over"));
                        continue;
                    }
                };
                let Some(hit) = pick_search_hit(&hits, app, country) else {
                    continue;
                };
                if !is_valid_id(&hit) {
                    continue;
                }
                let versions = match source.versions(&hit) {
                    Ok(v) => v,
                    Err(SourceError::NotFound(_)) => None,
                    Err(SourceError::Failed(m)) => return Err(NuGetError::Source(m)),
                };
                if let Some(vs) = versions {
                    out.notes.push(format!(
                        "{}: {hit} found by searching for the app id {key} (none of {} is listed)",
                        source.name(),
                        candidates.join(", ")
                    ));
                    found = Some((si, hit, vs));
                    break 'find;
                }
            }
        }
        let ranges = || {
            wanted
                .iter()
                .map(|r| format!("{} (from {})", r.range, r.wanted_by))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some((si, id, versions)) = found else {
            return Err(NuGetError::Resolve(format!(
                "no feed has a package for {key} (tried {}; wanted {})",
                candidates.join(", "),
                ranges()
            )));
        };
        let locked = options.lock.as_ref().and_then(|l| l.find(&id));
        let mut fitting: Vec<NuGetVersion> = versions
            .iter()
            .filter(|v| satisfies(v))
            .filter(|v| {
                locked.is_none_or(|l| l.version.parse::<NuGetVersion>().is_ok_and(|lv| lv == **v))
            })
            .cloned()
            .collect();
        fitting.sort();
        fitting.dedup();
        if options.highest {
            fitting.reverse();
        }
        let source_name = sources.get(si).map(|s| s.name()).unwrap_or_default();
        let mut picked = None;
        for v in &fitting {
            let Some(source) = sources.get_mut(si) else {
                break;
            };
            match source.download(&id, v) {
                Ok(bytes) => {
                    picked = Some((v.clone(), bytes));
                    break;
                }
                Err(SourceError::NotFound(m)) => out
                    .notes
                    .push(format!("{m}; version {v} of {id} passed over")),
                Err(SourceError::Failed(m)) => return Err(NuGetError::Source(m)),
            }
        }
        let Some((version, bytes)) = picked else {
            let listed: Vec<String> = versions.iter().map(ToString::to_string).collect();
            let lock_note = locked
                .map(|l| format!("; locked at {}", l.version))
                .unwrap_or_default();
            return Err(NuGetError::Resolve(format!(
                "{source_name}: no version of {id} fits {}{lock_note} (listed: {})",
                ranges(),
                if listed.is_empty() {
                    "none".into()
                } else {
                    listed.join(", ")
                }
            )));
        };
        let sha256 = sha256_hex(&bytes);
        if let Some(l) = locked
            && !l.sha256.eq_ignore_ascii_case(&sha256)
        {
            return Err(NuGetError::Resolve(format!(
                "{source_name}: {id} {version}: SHA-256 {sha256} differs from the lock file's {}",
                l.sha256
            )));
        }
        let nupkg = Nupkg::read(&bytes, &options.limits).map_err(|e| NuGetError::Package {
            package: format!("{source_name}: {id} {version}"),
            source: Box::new(e),
        })?;
        if !nupkg.nuspec.id.eq_ignore_ascii_case(&id) || nupkg.nuspec.version != version {
            return Err(NuGetError::Resolve(format!(
                "{source_name}: {id} {version}: the nuspec says {} {}",
                nupkg.nuspec.id, nupkg.nuspec.version
            )));
        }
        // The package must hold the app it was chosen for (a package id is only a name).
        if let Some(app) = app_key {
            let ids: Vec<uuid::Uuid> = nupkg.apps.iter().filter_map(|a| a.app_id).collect();
            if !ids.is_empty() && !ids.contains(&app) {
                let held: Vec<String> = ids.iter().map(ToString::to_string).collect();
                return Err(NuGetError::Resolve(format!(
                    "{source_name}: {id} {version} holds the app {}, not the app {key} it was chosen for (refused)",
                    held.join(", ")
                )));
            }
        }
        for d in nupkg
            .nuspec
            .dependencies
            .iter()
            .filter(|_| !options.direct_only)
        {
            let r = Requirement::from_dependency(&d.id, d.range.clone(), &nupkg.nuspec.id, country);
            push(r, &mut reqs, &mut queue);
        }
        let package = ResolvedPackage {
            key: key.clone(),
            id: nupkg.nuspec.id.clone(),
            version,
            source: source_name,
            sha256,
            bytes,
            nupkg,
        };
        match chosen.get(&key) {
            Some(&at) => {
                if let Some(slot) = out.packages.get_mut(at) {
                    *slot = package;
                }
            }
            None => {
                chosen.insert(key, out.packages.len());
                out.packages.push(package);
            }
        }
    }
    Ok(out)
}
