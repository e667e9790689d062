//! Package ids of the three Business Central feed families.
//!
//! | family | package id | source |
//! |---|---|---|
//! | BcNuGet (full package) | `publisher.name.appid` | GenerateBcNuGet README, BcContainerHelper `New-BcNuGetPackage` |
//! | AppSourceSymbols | `publisher.name[.country].symbols.appid` | runtime-distribution.md §3 |
//! | MSSymbols | `Microsoft.Application[.country].symbols`, `Microsoft.Platform.symbols` | runtime-distribution.md §3 |
//!
//! **Assumption** (the spec says only "one package per Microsoft app from v27"): a Microsoft
//! app other than the application and the platform (Base Application, System Application …)
//! is named as on AppSourceSymbols, `Microsoft.<Name>[.country].symbols.<appid>`
//! (`Microsoft.BaseApplication.symbols.437dbf0e-84ff-417a-965d-ed2bb9650972`).
//!
//! Publisher and name are normalised as BcContainerHelper does: every character other than
//! ASCII letters, digits, `_` and `-` is dropped (spaces and dots go). The country `w1` (or
//! none) adds no segment. NuGet ids compare case-insensitively; URLs use them lower-case.

use uuid::Uuid;

/// The key of the application requirement (app.json `application`, `Microsoft.Application`).
pub const APPLICATION_KEY: &str = "microsoft.application";
/// The key of the platform requirement (app.json `platform`, `Microsoft.Platform`).
pub const PLATFORM_KEY: &str = "microsoft.platform";

/// Whether `id` is a valid NuGet package id: 1–100 characters of ASCII letters, digits,
/// `_`, `-` and `.`, not starting or ending with `.`, no `..`. Ids come from nuspecs
/// (untrusted); they become URL and cache path segments only when valid.
///
/// ```
/// use runtime_pack::nuget::is_valid_id;
/// assert!(is_valid_id("Microsoft.Application.symbols"));
/// assert!(!is_valid_id("../../etc"));
/// assert!(!is_valid_id("a/b"));
/// ```
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !id.starts_with('.')
        && !id.ends_with('.')
        && !id.contains("..")
}

/// `publisher` or `name` as it appears in a package id.
///
/// ```
/// assert_eq!(runtime_pack::nuget::id_part("Contoso Partners Ltd."), "ContosoPartnersLtd");
/// ```
pub fn id_part(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

/// The country segment: `None` for no country or `w1`, else the lower-case code.
fn country_part(country: Option<&str>) -> Option<String> {
    country
        .map(|c| c.trim().to_lowercase())
        .filter(|c| !c.is_empty() && c != "w1")
}

/// The BcNuGet id of an app: `publisher.name.appid`.
///
/// ```
/// use runtime_pack::nuget::bcnuget_id;
/// let id = uuid::Uuid::parse_str("5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11").unwrap();
/// assert_eq!(bcnuget_id("Contoso Partners", "Customer Loyalty", id),
///            "ContosoPartners.CustomerLoyalty.5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11");
/// ```
pub fn bcnuget_id(publisher: &str, name: &str, app_id: Uuid) -> String {
    format!("{}.{}.{}", id_part(publisher), id_part(name), app_id)
}

/// The symbols-package id of an app (AppSourceSymbols, and Microsoft apps on MSSymbols):
/// `publisher.name[.country].symbols.appid`.
///
/// ```
/// use runtime_pack::nuget::symbols_id;
/// let id = uuid::Uuid::parse_str("437dbf0e-84ff-417a-965d-ed2bb9650972").unwrap();
/// assert_eq!(symbols_id("Microsoft", "Base Application", Some("dk"), id),
///            "Microsoft.BaseApplication.dk.symbols.437dbf0e-84ff-417a-965d-ed2bb9650972");
/// assert_eq!(symbols_id("Microsoft", "Base Application", Some("W1"), id),
///            "Microsoft.BaseApplication.symbols.437dbf0e-84ff-417a-965d-ed2bb9650972");
/// ```
pub fn symbols_id(publisher: &str, name: &str, country: Option<&str>, app_id: Uuid) -> String {
    match country_part(country) {
        Some(c) => format!(
            "{}.{}.{c}.symbols.{app_id}",
            id_part(publisher),
            id_part(name)
        ),
        None => format!("{}.{}.symbols.{app_id}", id_part(publisher), id_part(name)),
    }
}

/// `Microsoft.Application[.country].symbols` (MSSymbols).
///
/// ```
/// assert_eq!(runtime_pack::nuget::application_symbols_id(Some("dk")), "Microsoft.Application.dk.symbols");
/// assert_eq!(runtime_pack::nuget::application_symbols_id(None), "Microsoft.Application.symbols");
/// ```
pub fn application_symbols_id(country: Option<&str>) -> String {
    match country_part(country) {
        Some(c) => format!("Microsoft.Application.{c}.symbols"),
        None => "Microsoft.Application.symbols".to_owned(),
    }
}

/// `Microsoft.Platform.symbols` (MSSymbols; the platform has no localisation).
pub fn platform_symbols_id() -> String {
    "Microsoft.Platform.symbols".to_owned()
}

/// The app id a package id ends with (`….5b4f3a0e-…`), if it ends with one.
///
/// ```
/// use runtime_pack::nuget::app_id_of;
/// assert!(app_id_of("Contoso.Loyalty.5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11").is_some());
/// assert!(app_id_of("Microsoft.Application.symbols").is_none());
/// ```
pub fn app_id_of(package_id: &str) -> Option<Uuid> {
    let (_, tail) = package_id.rsplit_once('.')?;
    if tail.len() != 36 {
        return None;
    }
    Uuid::parse_str(tail).ok()
}

/// The package a search for `app_id` should take: among the hits whose id ends with
/// `.<app_id>`, the only one; else the one in `country` (`….<country>.symbols.<app_id>`);
/// else the W1 one (the BcNuGet id `publisher.name.<app_id>`, then the symbols id
/// `publisher.name.symbols.<app_id>`); else none (only other countries' packages).
///
/// ```
/// use runtime_pack::nuget::pick_search_hit;
/// let id = uuid::Uuid::parse_str("58623bfa-0559-4bc2-ae1c-0979c29fd9e0").unwrap();
/// let hits: Vec<String> = [
///     "Microsoft.IntelligentCloudBase.AT.symbols.58623bfa-0559-4bc2-ae1c-0979c29fd9e0",
///     "Microsoft.IntelligentCloudBase.symbols.58623bfa-0559-4bc2-ae1c-0979c29fd9e0",
///     "Microsoft.IntelligentCloudBase.DK.symbols.58623bfa-0559-4bc2-ae1c-0979c29fd9e0",
///     "Unrelated.symbols.x",
/// ].map(String::from).to_vec();
/// assert!(pick_search_hit(&hits, id, Some("dk")).unwrap().contains(".DK."));
/// assert_eq!(pick_search_hit(&hits, id, Some("xx")).as_deref(), Some(hits[1].as_str()));
/// assert_eq!(pick_search_hit(&hits, id, None).as_deref(), Some(hits[1].as_str()));
/// ```
pub fn pick_search_hit(hits: &[String], app_id: Uuid, country: Option<&str>) -> Option<String> {
    let mine: Vec<&String> = hits
        .iter()
        .filter(|h| app_id_of(h) == Some(app_id))
        .collect();
    if let [one] = mine.as_slice() {
        return Some((*one).clone());
    }
    let prefix = |h: &str| h[..h.len() - 37].to_lowercase();
    if let Some(c) = country_part(country) {
        let tail = format!(".{c}.symbols");
        if let Some(h) = mine.iter().find(|h| prefix(h).ends_with(&tail)) {
            return Some((*h).clone());
        }
    }
    let segments = |h: &str| prefix(h).split('.').count();
    mine.iter()
        .find(|h| !prefix(h).ends_with(".symbols") && segments(h) == 2)
        .or_else(|| {
            mine.iter()
                .find(|h| prefix(h).ends_with(".symbols") && segments(h) == 3)
        })
        .map(|h| (*h).clone())
}

/// The package ids to try, in order, for an app: the BcNuGet id, then the symbols id in
/// `country` (when one is given), then the W1 symbols id.
pub fn app_candidates(
    publisher: &str,
    name: &str,
    app_id: Uuid,
    country: Option<&str>,
) -> Vec<String> {
    let mut out = vec![bcnuget_id(publisher, name, app_id)];
    if country_part(country).is_some() {
        out.push(symbols_id(publisher, name, country, app_id));
    }
    out.push(symbols_id(publisher, name, None, app_id));
    out
}

/// The package ids to try for the application: in `country`, then W1.
pub fn application_candidates(country: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if country_part(country).is_some() {
        out.push(application_symbols_id(country));
    }
    out.push(application_symbols_id(None));
    out
}

/// The package ids to try for a package id named as a dependency in a nuspec: the id
/// itself and, for a BcNuGet id `prefix.appid`, its symbols forms
/// `prefix[.country].symbols.appid`; for a symbols id, its BcNuGet form.
pub fn dependency_candidates(id: &str, country: Option<&str>) -> Vec<String> {
    let mut out = vec![id.to_owned()];
    let Some(app) = app_id_of(id) else {
        return out;
    };
    let prefix = &id[..id.len() - 37];
    let lower = prefix.to_lowercase();
    if let Some(at) = lower.rfind(".symbols").filter(|&at| at + 8 == lower.len()) {
        // `publisher.name[.country].symbols`: the BcNuGet form is `publisher.name.appid`.
        let base = &prefix[..at];
        let segs: Vec<&str> = base.split('.').collect();
        if segs.len() >= 2 {
            out.push(format!("{}.{}.{app}", segs[0], segs[1]));
        }
    } else {
        if let Some(c) = country_part(country) {
            out.push(format!("{prefix}.{c}.symbols.{app}"));
        }
        out.push(format!("{prefix}.symbols.{app}"));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn candidates() {
        let id = "C.L.5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11";
        assert_eq!(
            dependency_candidates(id, Some("dk")),
            [
                id,
                "C.L.dk.symbols.5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11",
                "C.L.symbols.5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11"
            ]
        );
        let sym = "Microsoft.BaseApplication.dk.symbols.437dbf0e-84ff-417a-965d-ed2bb9650972";
        assert_eq!(
            dependency_candidates(sym, None),
            [
                sym,
                "Microsoft.BaseApplication.437dbf0e-84ff-417a-965d-ed2bb9650972"
            ]
        );
        assert_eq!(dependency_candidates("Other.Thing", None), ["Other.Thing"]);
        assert_eq!(
            application_candidates(Some("w1")),
            ["Microsoft.Application.symbols"]
        );
    }
}
