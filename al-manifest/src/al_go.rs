//! AL-Go for GitHub settings that decide what AppSourceCop is told in an AL-Go build.
//!
//! AL-Go (Microsoft's GitHub template for AL projects) does not use a project's
//! `AppSourceCop.json` as it is: before compiling an app (not a test app) with AppSourceCop
//! on, its pipeline writes the settings `appSourceCopMandatoryAffixes` and
//! `obsoleteTagMinAllowedMajorMinor` into that file (creating it when missing, replacing
//! those keys, keeping every other). So an AL-Go repository may declare its affixes only in
//! `.github/AL-Go-Settings.json` (the repository's settings) or `<project>/.AL-Go/settings.json`
//! (a project's settings, read after the repository's). Settings are merged as AL-Go
//! merges them: arrays are joined (each value once, first occurrence first), other values
//! replaced.

use serde_json::{Map, Value};

use crate::appsourcecop::AppSourceCop;
use crate::diag::ManifestErrors;
use crate::json::{BOM, Checker, canonicalize, parse_object};

/// The repository settings file, relative to the repository's root.
pub const AL_GO_REPO_SETTINGS: &str = ".github/AL-Go-Settings.json";
/// A project's settings file, relative to the project's folder.
pub const AL_GO_PROJECT_SETTINGS: &str = ".AL-Go/settings.json";

/// The AL-Go settings alkit reads; every other setting is ignored.
///
/// ```
/// use al_manifest::{AlGoSettings, AppSourceCop};
/// let mut s = AlGoSettings::from_json_str_named(
///     r#"{ "type": "AppSource App", "appSourceCopMandatoryAffixes": ["ABC"] }"#,
///     ".github/AL-Go-Settings.json",
/// )?;
/// s.merge(AlGoSettings::from_json_str_named(
///     r#"{ "AppSourceCopMandatoryAffixes": ["XYZ", "ABC"], "testFolders": ["test"] }"#,
///     ".AL-Go/settings.json",
/// )?);
/// assert_eq!(s.app_source_cop_mandatory_affixes, ["ABC", "XYZ"]);
/// assert!(s.is_test_folder("./Test/"));
/// // What AL-Go's pipeline writes into the app's AppSourceCop.json (none here):
/// let cop = s.applied_to(None).unwrap();
/// assert_eq!(cop.mandatory_affixes, ["ABC", "XYZ"]);
/// # Ok::<(), al_manifest::ManifestErrors>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AlGoSettings {
    /// `appSourceCopMandatoryAffixes`.
    pub app_source_cop_mandatory_affixes: Vec<String>,
    /// `obsoleteTagMinAllowedMajorMinor` (AL-Go's default, empty, is `None`).
    pub obsolete_tag_min_allowed_major_minor: Option<String>,
    /// `testFolders`: folders of test apps, which AL-Go compiles without these settings.
    pub test_folders: Vec<String>,
    /// `bcptTestFolders`: folders of performance-test apps, likewise.
    pub bcpt_test_folders: Vec<String>,
}

const KNOWN: &[&str] = &[
    "appSourceCopMandatoryAffixes",
    "obsoleteTagMinAllowedMajorMinor",
    "testFolders",
    "bcptTestFolders",
];

impl AlGoSettings {
    /// Reads one settings file's text (BOM, comments and trailing commas accepted; keys
    /// matched case-insensitively, as PowerShell does). A value of the wrong type is an
    /// error at its JSON path, as AL-Go refuses it too.
    pub fn from_json_str_named(text: &str, file: &str) -> Result<AlGoSettings, ManifestErrors> {
        let text = text.strip_prefix(BOM).unwrap_or(text);
        let (ast, mut root) = parse_object(text, file)?;
        canonicalize(&mut root, KNOWN);
        let ro = Value::Object(root.clone());
        let mut ck = Checker {
            file,
            text,
            ast: &ast,
            root: &ro,
            errors: Vec::new(),
        };
        for k in [
            "appSourceCopMandatoryAffixes",
            "testFolders",
            "bcptTestFolders",
        ] {
            ck.check::<Vec<String>>(k);
        }
        ck.check::<String>("obsoleteTagMinAllowedMajorMinor");
        if !ck.errors.is_empty() {
            return Err(ManifestErrors {
                diagnostics: ck.errors,
            });
        }
        Ok(AlGoSettings {
            app_source_cop_mandatory_affixes: strings(&root, "appSourceCopMandatoryAffixes"),
            obsolete_tag_min_allowed_major_minor: root
                .get("obsoleteTagMinAllowedMajorMinor")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            test_folders: strings(&root, "testFolders"),
            bcpt_test_folders: strings(&root, "bcptTestFolders"),
        })
    }

    /// Merges settings read later (a project's after the repository's): arrays are
    /// joined without repeats, a given `obsoleteTagMinAllowedMajorMinor` replaces.
    pub fn merge(&mut self, later: AlGoSettings) {
        join(
            &mut self.app_source_cop_mandatory_affixes,
            later.app_source_cop_mandatory_affixes,
        );
        join(&mut self.test_folders, later.test_folders);
        join(&mut self.bcpt_test_folders, later.bcpt_test_folders);
        if later.obsolete_tag_min_allowed_major_minor.is_some() {
            self.obsolete_tag_min_allowed_major_minor = later.obsolete_tag_min_allowed_major_minor;
        }
    }

    /// Whether these settings change what AppSourceCop is told.
    pub fn manages_app_source_cop(&self) -> bool {
        !self.app_source_cop_mandatory_affixes.is_empty()
            || self.obsolete_tag_min_allowed_major_minor.is_some()
    }

    /// Whether `folder` (relative to the project's folder) is listed as a test or
    /// performance-test app folder (compared without `./`, trailing separators and case).
    pub fn is_test_folder(&self, folder: &str) -> bool {
        let norm = |s: &str| {
            let s = s.replace('\\', "/");
            let s = s.trim_start_matches("./").trim_end_matches('/').to_string();
            s.to_lowercase()
        };
        let f = norm(folder);
        self.test_folders
            .iter()
            .chain(&self.bcpt_test_folders)
            .any(|t| norm(t) == f)
    }

    /// The AppSourceCop settings an app is compiled with in AL-Go when `cop` is its
    /// `AppSourceCop.json` (`None`: the app has none): the managed keys replaced when
    /// these settings give them, everything else kept; `None` when there is no file and
    /// nothing to write into one (AL-Go creates none then).
    pub fn applied_to(&self, cop: Option<AppSourceCop>) -> Option<AppSourceCop> {
        if !self.manages_app_source_cop() {
            return cop;
        }
        let mut cop = cop.unwrap_or_default();
        if !self.app_source_cop_mandatory_affixes.is_empty() {
            cop.mandatory_affixes = self.app_source_cop_mandatory_affixes.clone();
        }
        if let Some(m) = &self.obsolete_tag_min_allowed_major_minor {
            cop.obsolete_tag_min_allowed_major_minor = Some(m.clone());
        }
        Some(cop)
    }
}

fn strings(root: &Map<String, Value>, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(Value::Array(a)) = root.get(key) {
        join(
            &mut out,
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        );
    }
    out
}

fn join(into: &mut Vec<String>, more: Vec<String>) {
    for s in more {
        if !into.contains(&s) {
            into.push(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_managed_keys_and_ignores_the_rest() {
        let s = AlGoSettings::from_json_str_named(
            "\u{feff}{\n // AL-Go\n \"country\": \"us\", \"appFolders\": [],\n \"OBSOLETETAGMINALLOWEDMAJORMINOR\": \"22.0\",\n \"bcptTestFolders\": [\"bcpt\"],}",
            "s.json",
        )
        .unwrap();
        assert_eq!(
            s.obsolete_tag_min_allowed_major_minor.as_deref(),
            Some("22.0")
        );
        assert!(s.app_source_cop_mandatory_affixes.is_empty());
        assert!(s.is_test_folder("BCPT"));
        assert!(s.manages_app_source_cop());
        // Empty is AL-Go's default: not managed.
        let e =
            AlGoSettings::from_json_str_named("{\"obsoleteTagMinAllowedMajorMinor\":\"\"}", "s")
                .unwrap();
        assert!(!e.manages_app_source_cop());
        assert_eq!(e.applied_to(None), None);
    }

    #[test]
    fn wrong_types_are_errors_at_their_path() {
        let e = AlGoSettings::from_json_str_named(
            "{\n  \"appSourceCopMandatoryAffixes\": \"ABC\"\n}",
            ".AL-Go/settings.json",
        )
        .unwrap_err();
        let s = e.diagnostics[0].to_string();
        assert!(
            s.starts_with(".AL-Go/settings.json:2:35: appSourceCopMandatoryAffixes: invalid type"),
            "{s}"
        );
        assert!(AlGoSettings::from_json_str_named("[1]", "s").is_err());
        assert!(AlGoSettings::from_json_str_named("{", "s").is_err());
    }

    #[test]
    fn applied_settings_replace_only_the_managed_keys() {
        let cop = AppSourceCop::from_json_str(
            "{\"mandatoryAffixes\":[\"OLD\"],\"mandatoryPrefix\":\"PRE\",\"supportedCountries\":[\"DK\"],\"x\":1}",
        )
        .unwrap();
        let s = AlGoSettings {
            app_source_cop_mandatory_affixes: vec!["NEW".into()],
            ..AlGoSettings::default()
        };
        let got = s.applied_to(Some(cop.clone())).unwrap();
        assert_eq!(got.mandatory_affixes, ["NEW"]);
        assert_eq!(got.mandatory_prefix.as_deref(), Some("PRE"));
        assert_eq!(got.supported_countries, ["DK"]);
        assert_eq!(got.extra, cop.extra);
        // Nothing managed: the file as it is.
        assert_eq!(
            AlGoSettings::default().applied_to(Some(cop.clone())),
            Some(cop)
        );
    }
}
