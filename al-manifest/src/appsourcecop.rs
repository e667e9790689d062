//! `AppSourceCop.json`: the AppSourceCop analyzer settings of a project.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::diag::{DiagnosticKind, ManifestDiagnostic, ManifestErrors};
use crate::json::{BOM, Checker, canonicalize, parse_object};
use crate::version::AppVersion;

/// The typed model of `AppSourceCop.json`. Unknown keys are kept in
/// [`AppSourceCop::extra`]. Keys are matched case-insensitively, as for `app.json`.
///
/// ```
/// use al_manifest::AppSourceCop;
/// let c = AppSourceCop::from_json_str(r#"{ "mandatoryAffixes": ["CON"], "mandatorySuffix": "XYZ", "version": "1.0.0.0" }"#)?;
/// assert_eq!(c.affixes(), vec!["CON", "XYZ"]);
/// assert_eq!(c.version.unwrap().major, 1);
/// # Ok::<(), al_manifest::ManifestErrors>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSourceCop {
    /// Affixes, any of which every object name must carry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mandatory_affixes: Vec<String>,
    /// Legacy single mandatory prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandatory_prefix: Option<String>,
    /// Legacy single mandatory suffix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandatory_suffix: Option<String>,
    /// Baseline app name (for breaking-change checks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Baseline app publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Baseline app version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<AppVersion>,
    /// Folder holding the baseline package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_package_cache_path: Option<String>,
    /// Countries/regions the app is offered in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supported_countries: Vec<String>,
    /// Expected `ObsoleteTag` value for newly obsoleted objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obsolete_tag_version: Option<String>,
    /// Regular expression the `ObsoleteTag` must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obsolete_tag_pattern: Option<String>,
    /// Allowed `ObsoleteTag` values (the docs show a comma-separated string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obsolete_tag_allowed_versions: Option<String>,
    /// Lowest allowed `major.minor` in an `ObsoleteTag`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obsolete_tag_min_allowed_major_minor: Option<String>,
    /// Unknown keys, in document order.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

const KNOWN: &[&str] = &[
    "mandatoryAffixes",
    "mandatoryPrefix",
    "mandatorySuffix",
    "name",
    "publisher",
    "version",
    "baselinePackageCachePath",
    "supportedCountries",
    "obsoleteTagVersion",
    "obsoleteTagPattern",
    "obsoleteTagAllowedVersions",
    "obsoleteTagMinAllowedMajorMinor",
];

impl AppSourceCop {
    /// All affixes: `mandatoryAffixes`, then `mandatoryPrefix`, then
    /// `mandatorySuffix`; empty strings and exact duplicates dropped, order kept.
    pub fn affixes(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let all = self
            .mandatory_affixes
            .iter()
            .map(String::as_str)
            .chain(self.mandatory_prefix.as_deref())
            .chain(self.mandatory_suffix.as_deref());
        for a in all {
            if !a.is_empty() && !out.contains(&a) {
                out.push(a);
            }
        }
        out
    }

    /// Parses `AppSourceCop.json` text (BOM, comments and trailing commas
    /// accepted); diagnostics are labelled `AppSourceCop.json`.
    pub fn from_json_str(text: &str) -> Result<AppSourceCop, ManifestErrors> {
        Self::from_json_str_named(text, "AppSourceCop.json")
    }

    /// Like [`AppSourceCop::from_json_str`], labelling diagnostics with `file`.
    pub fn from_json_str_named(text: &str, file: &str) -> Result<AppSourceCop, ManifestErrors> {
        let text = text.strip_prefix(BOM).unwrap_or(text);
        let (ast, mut root) = parse_object(text, file)?;
        canonicalize(&mut root, KNOWN);
        root.retain(|k, v| !(v.is_null() && KNOWN.contains(&k.as_str())));
        let ro = Value::Object(root);
        let mut ck = Checker {
            file,
            text,
            ast: &ast,
            root: &ro,
            errors: Vec::new(),
        };
        ck.check::<Vec<String>>("mandatoryAffixes");
        ck.check::<Vec<String>>("supportedCountries");
        ck.check::<AppVersion>("version");
        for k in [
            "mandatoryPrefix",
            "mandatorySuffix",
            "name",
            "publisher",
            "baselinePackageCachePath",
            "obsoleteTagVersion",
            "obsoleteTagPattern",
            "obsoleteTagAllowedVersions",
            "obsoleteTagMinAllowedMajorMinor",
        ] {
            ck.check::<String>(k);
        }
        if !ck.errors.is_empty() {
            return Err(ManifestErrors {
                diagnostics: ck.errors,
            });
        }
        serde_json::from_value(ro).map_err(|e| {
            ManifestErrors::single(ManifestDiagnostic::error(
                DiagnosticKind::WrongType,
                file,
                "",
                e.to_string(),
            ))
        })
    }

    /// Pretty JSON (2-space indent).
    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full() {
        let t = "\u{feff}{\n  // cop\n  \"mandatoryAffixes\": [\"ABC\", \"DEF\"],\n  \"mandatoryPrefix\": \"ABC\",\n  \"MandatorySuffix\": \"XYZ\",\n  \"name\": \"Base\", \"publisher\": \"Me\", \"version\": \"2.0.0.0\",\n  \"baselinePackageCachePath\": \"./baseline\",\n  \"supportedCountries\": [\"DK\", \"US\"],\n  \"obsoleteTagVersion\": \"24.0\", \"obsoleteTagPattern\": \"^\\\\d+\\\\.\\\\d+$\",\n  \"obsoleteTagAllowedVersions\": \"23.0,24.0\", \"obsoleteTagMinAllowedMajorMinor\": \"22.0\",\n  \"targetVersion\": \"x\",\n}";
        let c = AppSourceCop::from_json_str(t).unwrap();
        assert_eq!(c.affixes(), vec!["ABC", "DEF", "XYZ"]);
        assert_eq!(c.version, Some(AppVersion::new(2, 0, 0, 0)));
        assert_eq!(c.supported_countries, vec!["DK", "US"]);
        assert_eq!(c.obsolete_tag_pattern.as_deref(), Some("^\\d+\\.\\d+$"));
        assert_eq!(c.extra.get("targetVersion"), Some(&Value::from("x")));
        let back = AppSourceCop::from_json_str(&c.to_json_string()).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn errors() {
        let e = AppSourceCop::from_json_str(
            "{\n  \"mandatoryAffixes\": \"ABC\",\n  \"version\": \"1.0\"\n}",
        )
        .unwrap_err();
        let s: Vec<_> = e.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(s.len(), 2);
        assert!(s[0].starts_with("AppSourceCop.json:2:23: mandatoryAffixes: invalid type"));
        assert_eq!(e.diagnostics[1].kind, DiagnosticKind::InvalidVersion);
        assert!(AppSourceCop::from_json_str("[]").is_err());
        assert!(AppSourceCop::from_json_str("{").is_err());
        assert_eq!(
            AppSourceCop::from_json_str("{}").unwrap(),
            AppSourceCop::default()
        );
    }
}
