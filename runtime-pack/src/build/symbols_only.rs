//! Symbols-only packages: what `altool CreateSymbolPackage` makes from a compiled app, and
//! what Microsoft's symbol feeds deliver. Dependents compile against them (`.alpackages`,
//! AppSourceCop baselines); a server cannot publish them as extensions (no source to
//! compile). See `runtime-distribution.md` §1.
//!
//! Kept from the package: `NavxManifest.xml`, `SymbolReference.json`, `DocComments.xml`
//! (object documentation for IntelliSense), `MediaIdListing.xml`, `navigation.xml` and the
//! logo the manifest names. Everything else is dropped and counted: the AL source
//! (`src/…`, with the report layouts the compiler stores there), translations
//! (`Translations/…`), entitlements, and any other part.

use super::writer::BuildEntry;
use crate::zipread::Entry;

/// Why a package cannot be turned into a symbols-only package.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SymbolsOnlyError {
    /// A part every symbols-only package needs is missing.
    #[error("the package has no {0}: it cannot be made symbols-only (is it an AL app package?)")]
    Missing(&'static str),
}

/// What became of each entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SymbolsOnly {
    /// The entries of the symbols-only package, in the input's order (manifest first).
    pub entries: Vec<BuildEntry>,
    /// `src/…` entries dropped (AL files, layouts and other files of the project).
    pub dropped_source: usize,
    /// `Translations/…` entries dropped.
    pub dropped_translations: usize,
    /// Other entries dropped (entitlements, generated parts not needed to compile), by path.
    pub dropped_other: Vec<String>,
}

/// Whether `path` is one of the parts a symbols-only package keeps (case-insensitive, as
/// BC treats package paths), besides the logo.
fn is_kept_part(path: &str) -> bool {
    [
        crate::NAVX_MANIFEST,
        crate::SYMBOL_REFERENCE,
        "DocComments.xml",
        "MediaIdListing.xml",
        "navigation.xml",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(path))
}

/// The logo's package path from the manifest's `Logo` attribute (`/logo/x.png` or `x.png`).
fn logo_path(manifest: &str) -> Option<String> {
    let root = al_manifest::xml::parse(manifest).ok()?;
    let logo = root.child("App")?.attr("Logo")?.trim_start_matches('/');
    (!logo.is_empty() && !logo.ends_with('/')).then(|| logo.to_string())
}

/// The entries of the symbols-only package made from `entries` (a normal package's): see the
/// module documentation for what is kept.
///
/// ```
/// use runtime_pack::Entry;
/// let entry = |path: &str, data: &[u8]| Entry {
///     name: path.into(), path: path.into(), compressed_size: 0,
///     size: data.len() as u64, data: data.to_vec() };
/// let manifest = br#"<Package xmlns="http://schemas.microsoft.com/navx/2015/manifest"><App Id="x" Name="N" Publisher="P" Version="1.0.0.0" Logo="/logo/l.png"/></Package>"#;
/// let input = vec![
///     entry("NavxManifest.xml", manifest),
///     entry("SymbolReference.json", b"{}"),
///     entry("logo/l.png", b"PNG"),
///     entry("src/Codeunit.al", b"codeunit 50100 X {}"),
///     entry("Translations/App.g.xlf", b"<xliff/>"),
/// ];
/// let s = runtime_pack::build::symbols_only(&input).unwrap();
/// let kept: Vec<&str> = s.entries.iter().map(|e| e.path.as_str()).collect();
/// assert_eq!(kept, ["NavxManifest.xml", "SymbolReference.json", "logo/l.png"]);
/// assert_eq!((s.dropped_source, s.dropped_translations), (1, 1));
/// ```
pub fn symbols_only(entries: &[Entry]) -> Result<SymbolsOnly, SymbolsOnlyError> {
    let find = |name: &str| entries.iter().find(|e| e.path.eq_ignore_ascii_case(name));
    let manifest =
        find(crate::NAVX_MANIFEST).ok_or(SymbolsOnlyError::Missing(crate::NAVX_MANIFEST))?;
    find(crate::SYMBOL_REFERENCE).ok_or(SymbolsOnlyError::Missing(crate::SYMBOL_REFERENCE))?;
    let logo = logo_path(String::from_utf8_lossy(&manifest.data).trim_start_matches('\u{feff}'));
    let mut out = SymbolsOnly::default();
    for e in entries {
        let p = e.path.as_str();
        if is_kept_part(p) || logo.as_deref().is_some_and(|l| l.eq_ignore_ascii_case(p)) {
            out.entries.push(BuildEntry::new(p, e.data.clone()));
        } else if p.starts_with(crate::escape::SOURCE_PREFIX) {
            out.dropped_source += 1;
        } else if p
            .get(..13)
            .is_some_and(|s| s.eq_ignore_ascii_case("Translations/"))
        {
            out.dropped_translations += 1;
        } else if !p.eq_ignore_ascii_case("[Content_Types].xml") {
            // The writer makes its own [Content_Types].xml.
            out.dropped_other.push(p.to_string());
        }
    }
    // The manifest first, as the compiler writes it.
    out.entries
        .sort_by_key(|e| !e.path.eq_ignore_ascii_case(crate::NAVX_MANIFEST));
    Ok(out)
}
