//! The typed `app.json` model: [`AppManifest`] and its parts.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::version::{AppVersion, RuntimeVersion};

/// An object id range, `{ "from": n, "to": m }` (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct IdRange {
    /// First id of the range.
    pub from: u32,
    /// Last id of the range (inclusive).
    pub to: u32,
}

impl IdRange {
    /// Builds a range (not checked: see [`IdRange::is_valid`]).
    pub const fn new(from: u32, to: u32) -> Self {
        IdRange { from, to }
    }

    /// `from <= to` (AL1047 otherwise).
    pub const fn is_valid(&self) -> bool {
        self.from <= self.to
    }

    /// True when `id` lies in the range.
    pub const fn contains(&self, id: u32) -> bool {
        self.from <= id && id <= self.to
    }

    /// True when the two (valid) ranges share at least one id.
    pub const fn overlaps(&self, other: &IdRange) -> bool {
        self.from <= other.to && other.from <= self.to
    }
}

impl fmt::Display for IdRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.from, self.to)
    }
}

/// Which JSON key carried a dependency's (or module's) app id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum IdKey {
    /// `"id"` (runtime 4.1 and later; the default).
    #[default]
    Id,
    /// Legacy `"appId"` (runtime 4.0 and earlier).
    AppId,
}

impl IdKey {
    /// The JSON key text.
    pub const fn as_str(&self) -> &'static str {
        match self {
            IdKey::Id => "id",
            IdKey::AppId => "appId",
        }
    }
}

/// One entry of `dependencies`. `version` is a **minimum** version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The app id (`id`, or legacy `appId`).
    pub id: Uuid,
    /// App name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Minimum version.
    pub version: AppVersion,
    /// Which key held the id (kept for round-trips).
    pub id_key: IdKey,
    /// Unknown properties, kept in order.
    pub extra: Map<String, Value>,
}

impl Dependency {
    /// A dependency with the `id` key and no extra properties.
    pub fn new(id: Uuid, name: &str, publisher: &str, version: AppVersion) -> Self {
        Dependency {
            id,
            name: name.to_string(),
            publisher: publisher.to_string(),
            version,
            id_key: IdKey::Id,
            extra: Map::new(),
        }
    }

    /// True when an app of version `available` satisfies this dependency.
    pub fn is_satisfied_by(&self, available: &AppVersion) -> bool {
        available.satisfies(&self.version)
    }
}

/// One entry of `internalsVisibleTo`: `{ id, name, publisher }` (legacy `appId`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalsVisibleTo {
    /// The friend module's app id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Its publisher.
    pub publisher: String,
    /// Which key held the id.
    pub id_key: IdKey,
    /// Unknown properties, kept in order.
    pub extra: Map<String, Value>,
}

impl InternalsVisibleTo {
    /// A module reference with the `id` key.
    pub fn new(id: Uuid, name: &str, publisher: &str) -> Self {
        InternalsVisibleTo {
            id,
            name: name.to_string(),
            publisher: publisher.to_string(),
            id_key: IdKey::Id,
            extra: Map::new(),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RefRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    app_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    version: Option<AppVersion>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

fn split_id<E: serde::de::Error>(r: &RefRepr) -> Result<(Uuid, IdKey), E> {
    match (r.id, r.app_id) {
        (Some(id), _) => Ok((id, IdKey::Id)),
        (None, Some(id)) => Ok((id, IdKey::AppId)),
        (None, None) => Err(E::missing_field("id")),
    }
}

impl Serialize for Dependency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (id, app_id) = match self.id_key {
            IdKey::Id => (Some(self.id), None),
            IdKey::AppId => (None, Some(self.id)),
        };
        RefRepr {
            id,
            app_id,
            name: Some(self.name.clone()),
            publisher: Some(self.publisher.clone()),
            version: Some(self.version),
            extra: self.extra.clone(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Dependency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = RefRepr::deserialize(d)?;
        let (id, id_key) = split_id(&r)?;
        let version = r
            .version
            .ok_or_else(|| serde::de::Error::missing_field("version"))?;
        Ok(Dependency {
            id,
            name: r.name.unwrap_or_default(),
            publisher: r.publisher.unwrap_or_default(),
            version,
            id_key,
            extra: r.extra,
        })
    }
}

impl Serialize for InternalsVisibleTo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (id, app_id) = match self.id_key {
            IdKey::Id => (Some(self.id), None),
            IdKey::AppId => (None, Some(self.id)),
        };
        RefRepr {
            id,
            app_id,
            name: Some(self.name.clone()),
            publisher: Some(self.publisher.clone()),
            version: None,
            extra: self.extra.clone(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for InternalsVisibleTo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut r = RefRepr::deserialize(d)?;
        let (id, id_key) = split_id(&r)?;
        // `version` is not a property of internalsVisibleTo entries: keep it as unknown.
        if let Some(v) = r.version.take() {
            r.extra
                .insert("version".into(), Value::String(v.to_string()));
        }
        Ok(InternalsVisibleTo {
            id,
            name: r.name.unwrap_or_default(),
            publisher: r.publisher.unwrap_or_default(),
            id_key,
            extra: r.extra,
        })
    }
}

/// `resourceExposurePolicy`: four flags, each `false` when absent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceExposurePolicy {
    /// Dependents may step into this app's code.
    #[serde(default)]
    pub allow_debugging: bool,
    /// Source and media can be downloaded.
    #[serde(default)]
    pub allow_downloading_source: bool,
    /// Downloaded symbols contain the source.
    #[serde(default)]
    pub include_source_in_symbol_file: bool,
    /// The policy also applies to DEV extensions.
    #[serde(default)]
    pub apply_to_dev_extension: bool,
    /// Unknown properties.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `source`: source-control provenance.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceInfo {
    /// Repository URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository_url: Option<String>,
    /// Commit id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Unknown properties.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `build`: build-system provenance.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildInfo {
    /// Who/what built it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Link to the build.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Unknown properties.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `target`: `Cloud` (default), `OnPrem`, or the legacy `Extension` / `Internal`.
/// Parsing is case-insensitive; other values are kept in [`Target::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// `Cloud`.
    Cloud,
    /// `OnPrem`.
    OnPrem,
    /// Legacy `Extension` (deprecated in runtime 4.0).
    Extension,
    /// Legacy `Internal` (deprecated in runtime 4.0).
    Internal,
    /// Any other value, verbatim.
    Other(String),
}

impl Target {
    /// The canonical spelling.
    pub fn as_str(&self) -> &str {
        match self {
            Target::Cloud => "Cloud",
            Target::OnPrem => "OnPrem",
            Target::Extension => "Extension",
            Target::Internal => "Internal",
            Target::Other(s) => s,
        }
    }

    /// Case-insensitive parse; never fails.
    pub fn parse(s: &str) -> Target {
        match s.to_ascii_lowercase().as_str() {
            "cloud" => Target::Cloud,
            "onprem" => Target::OnPrem,
            "extension" => Target::Extension,
            "internal" => Target::Internal,
            _ => Target::Other(s.to_string()),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Target::parse(&s))
    }
}

/// The typed model of `app.json`.
///
/// Every documented property has a field; unknown properties are kept in
/// [`AppManifest::extra`] (in document order) and written back by `Serialize`.
/// Serde uses the camelCase `app.json` names (`EULA` for [`AppManifest::eula`]).
/// Empty lists are omitted when serializing, so "absent" and "empty" are the same
/// in the model.
///
/// Parse with [`AppManifest::from_json_str`] (BOM, comments, line:column errors,
/// case-insensitive keys, all errors at once) rather than plain `serde_json`.
///
/// ```
/// use al_manifest::AppManifest;
/// let m = AppManifest::from_json_str(r#"{
///   "id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "name": "My App",
///   "publisher": "Me", "version": "1.0.0.0",
///   "idRanges": [{ "from": 50100, "to": 50149 }],
///   "myTool": { "kept": true }
/// }"#)?;
/// assert_eq!(m.name, "My App");
/// assert_eq!(m.id_ranges()[0].to, 50149);
/// assert!(m.extra.contains_key("myTool"));
/// # Ok::<(), al_manifest::ManifestErrors>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppManifest {
    /// App id.
    pub id: Uuid,
    /// App name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// App version.
    pub version: AppVersion,
    /// Short description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brief: Option<String>,
    /// Long description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Privacy statement URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_statement: Option<String>,
    /// Licence terms URL (`EULA`).
    #[serde(rename = "EULA", default, skip_serializing_if = "Option::is_none")]
    pub eula: Option<String>,
    /// Help URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Help base URL (localization apps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help_base_url: Option<String>,
    /// Website URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Logo path, relative to the project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// Base URL for context-sensitive help.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_sensitive_help_url: Option<String>,
    /// Dependencies (minimum versions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Dependency>,
    /// Friend modules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub internals_visible_to: Vec<InternalsVisibleTo>,
    /// Expose direct dependencies to dependents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub propagate_dependencies: Option<bool>,
    /// Screenshot paths.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub screenshots: Vec<String>,
    /// Minimum platform (System app) version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<AppVersion>,
    /// Application version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<AppVersion>,
    /// Legacy test framework version (BC 14 and earlier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<AppVersion>,
    /// Legacy single range (`idRange`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_range: Option<IdRange>,
    /// Ranges (`idRanges`); `Some(vec![])` when present but empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_ranges: Option<Vec<IdRange>>,
    /// Resource exposure policy (runtime 8.0+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_exposure_policy: Option<ResourceExposurePolicy>,
    /// Legacy `showMyCode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_my_code: Option<bool>,
    /// AL runtime version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<RuntimeVersion>,
    /// Target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// Compiler features (`TranslationFile`, `NoImplicitWith`, ...), verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// Help locales.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supported_locales: Vec<String>,
    /// Preprocessor symbols.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preprocessor_symbols: Vec<String>,
    /// Suppressed diagnostic ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppress_warnings: Vec<String>,
    /// Key vault URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_vault_urls: Vec<String>,
    /// Telemetry connection string (runtime 7.2+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_insights_connection_string: Option<String>,
    /// Legacy telemetry key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_insights_key: Option<String>,
    /// Source-control provenance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceInfo>,
    /// Build provenance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<BuildInfo>,
    /// Ids of apps this one replaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternate_ids: Vec<Uuid>,
    /// Folders packaged as resources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_folders: Vec<String>,
    /// Unknown properties, in document order.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Names of the top-level properties this model knows, in canonical spelling.
pub const KNOWN_PROPERTIES: &[&str] = &[
    "id",
    "name",
    "publisher",
    "version",
    "brief",
    "description",
    "privacyStatement",
    "EULA",
    "help",
    "helpBaseUrl",
    "url",
    "logo",
    "contextSensitiveHelpUrl",
    "dependencies",
    "internalsVisibleTo",
    "propagateDependencies",
    "screenshots",
    "platform",
    "application",
    "test",
    "idRange",
    "idRanges",
    "resourceExposurePolicy",
    "showMyCode",
    "runtime",
    "target",
    "features",
    "supportedLocales",
    "preprocessorSymbols",
    "suppressWarnings",
    "keyVaultUrls",
    "applicationInsightsConnectionString",
    "applicationInsightsKey",
    "source",
    "build",
    "alternateIds",
    "resourceFolders",
];

impl AppManifest {
    /// The declared ranges: `idRanges`, else the single `idRange`, else empty.
    pub fn id_ranges(&self) -> Vec<IdRange> {
        match (&self.id_ranges, &self.id_range) {
            (Some(r), _) => r.clone(),
            (None, Some(r)) => vec![*r],
            (None, None) => Vec::new(),
        }
    }

    /// The effective resource exposure policy: the declared one, or all `false`
    /// (also when legacy `showMyCode` is used).
    pub fn effective_resource_exposure_policy(&self) -> ResourceExposurePolicy {
        self.resource_exposure_policy.clone().unwrap_or_default()
    }

    /// Serializes to pretty JSON (2-space indent, `\n` line ends), the shape the
    /// CLI prints for `--json`. Never fails for models built by this crate.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
