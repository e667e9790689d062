//! `NavxManifest.xml`, the manifest inside a `.app` package: read, write, and the
//! two-way mapping with [`AppManifest`].
//!
//! **Writing** follows what the current compiler emits: no BOM, no XML
//! declaration, CRLF, 2-space indent, `<App>` attributes in the compiler's order,
//! child elements in the order IdRanges, Dependencies, InternalsVisibleTo,
//! ScreenShots, SupportedLocales, Features, PreprocessorSymbols, SuppressWarnings,
//! ResourceExposurePolicy, KeyVaultUrls, Source, Build, AlternateIds; empty
//! collections as empty elements (`<Dependencies />`).
//!
//! **Reading** is tolerant: BOM, XML declaration, comments, any attribute order,
//! the BC 11 layout (a bare `<IdRange>` under `<Package>`). Unknown attributes of
//! `<App>` are kept ([`NavxApp::extra_attributes`]) and written back after the
//! known ones; unknown elements are ignored (not kept). The namespace is not
//! checked; elements are matched by local name.
//!
//! Round-trips: the manifests of BC 24 and BC 27 packages (compiler output) write
//! back byte for byte; for older layouts (BC 11, runtime 8) the parts that were
//! absent are remembered in [`NavxManifest::omitted`] and not written while empty.
//!
//! Child element names that were not observed in real packages are written as
//! `<ScreenShot>`, `<SuppressWarning>`, `<KeyVaultUrl>` and `<AlternateId>` with
//! the value as text; `<SupportedLocale Local=".."/>` as BcContainerHelper reads
//! it. The reader takes the text of any child element, or else the value of its
//! `Name`, `Local`, `Id`, `Path` or first attribute.

use std::fmt::Write as _;

use uuid::Uuid;

use crate::diag::{DiagnosticKind, ManifestDiagnostic, ManifestErrors, line_col};
use crate::model::{
    AppManifest, BuildInfo, Dependency, IdKey, IdRange, InternalsVisibleTo, ResourceExposurePolicy,
    SourceInfo, Target,
};
use crate::version::{AppVersion, RuntimeVersion};
use crate::xml::{Element, escape_attr, escape_text};

/// The manifest XML namespace.
pub const NAVX_NAMESPACE: &str = "http://schemas.microsoft.com/navx/2015/manifest";

const FILE: &str = "NavxManifest.xml";

/// The `<App>` element.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NavxApp {
    /// `Id`.
    pub id: Uuid,
    /// `Name`.
    pub name: String,
    /// `Publisher`.
    pub publisher: String,
    /// `Brief` (empty when absent).
    pub brief: String,
    /// `Description` (empty when absent).
    pub description: String,
    /// `Version`.
    pub version: AppVersion,
    /// `CompatibilityId` (`0.0.0.0` in all samples).
    pub compatibility_id: AppVersion,
    /// `PrivacyStatement`.
    pub privacy_statement: String,
    /// `ApplicationInsightsKey`, written only when set.
    pub application_insights_key: Option<String>,
    /// `ApplicationInsightsConnectionString`, written only when set.
    pub application_insights_connection_string: Option<String>,
    /// `EULA`.
    pub eula: String,
    /// `Help`.
    pub help: String,
    /// `HelpBaseUrl`.
    pub help_base_url: String,
    /// `ContextSensitiveHelpUrl`, written only when set.
    pub context_sensitive_help_url: Option<String>,
    /// `Url`.
    pub url: String,
    /// `Logo`: the in-package path, `/logo/<file>`, or empty.
    pub logo: String,
    /// `Platform`.
    pub platform: Option<AppVersion>,
    /// `Application`.
    pub application: Option<AppVersion>,
    /// `Runtime` (absent in BC 11 packages).
    pub runtime: Option<RuntimeVersion>,
    /// `Target` (verbatim).
    pub target: Option<String>,
    /// `ShowMyCode` (`True`/`False`).
    pub show_my_code: Option<bool>,
    /// `PropagateDependencies` (`True`/`False`; the compiler writes it only when true).
    pub propagate_dependencies: Option<bool>,
    /// Unknown attributes, in document order (written after the known ones; names
    /// that are not XML names, known names and repeats are not written).
    pub extra_attributes: Vec<(String, String)>,
}

/// A `<Dependency>` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavxDependency {
    /// `Id`.
    pub id: Uuid,
    /// `Name`.
    pub name: String,
    /// `Publisher`.
    pub publisher: String,
    /// `MinVersion`.
    pub min_version: AppVersion,
    /// `CompatibilityId` (`0.0.0.0`).
    pub compatibility_id: AppVersion,
}

/// A `<Module>` element of `<InternalsVisibleTo>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavxModule {
    /// `Id`.
    pub id: Uuid,
    /// `Name`.
    pub name: String,
    /// `Publisher`.
    pub publisher: String,
}

/// `<ResourceExposurePolicy>` attributes (each optional; `true`/`false`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NavxResourceExposurePolicy {
    /// `AllowDebugging`.
    pub allow_debugging: Option<bool>,
    /// `AllowDownloadingSource`.
    pub allow_downloading_source: Option<bool>,
    /// `IncludeSourceInSymbolFile`.
    pub include_source_in_symbol_file: Option<bool>,
    /// `ApplyToDevExtension`.
    pub apply_to_dev_extension: Option<bool>,
}

/// `<Source>` attributes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NavxSource {
    /// `RepositoryUrl`.
    pub repository_url: Option<String>,
    /// `Commit`.
    pub commit: Option<String>,
}

/// `<Build>` attributes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NavxBuild {
    /// `By`.
    pub by: Option<String>,
    /// `Url`.
    pub url: Option<String>,
    /// `Timestamp` (ISO-8601, verbatim).
    pub timestamp: Option<String>,
    /// `CompilerVersion` (verbatim).
    pub compiler_version: Option<String>,
}

/// A parsed `NavxManifest.xml`.
///
/// ```
/// use al_manifest::NavxManifest;
/// let xml = r#"<Package xmlns="http://schemas.microsoft.com/navx/2015/manifest">
///   <App Id="0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0" Name="A" Publisher="P" Version="1.0.0.0" Runtime="13.0" />
///   <IdRanges><IdRange MinObjectId="50100" MaxObjectId="50149" /></IdRanges>
/// </Package>"#;
/// let m = NavxManifest::from_xml(xml)?;
/// assert_eq!(m.app.name, "A");
/// assert_eq!(m.id_ranges[0].from, 50100);
/// let out = m.to_xml();
/// assert!(out.starts_with("<Package xmlns=\"http://schemas.microsoft.com/navx/2015/manifest\">\r\n  <App Id="));
/// assert_eq!(NavxManifest::from_xml(&out)?, m);
/// # Ok::<(), al_manifest::ManifestErrors>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NavxManifest {
    /// `<App>`.
    pub app: NavxApp,
    /// `<IdRanges>` (or the bare BC 11 `<IdRange>`).
    pub id_ranges: Vec<IdRange>,
    /// True for the BC 11 layout: one `<IdRange>` directly under `<Package>`.
    /// Written that way only when there is exactly one range.
    pub bare_id_range: bool,
    /// `<Dependencies>`.
    pub dependencies: Vec<NavxDependency>,
    /// `<InternalsVisibleTo>`.
    pub internals_visible_to: Vec<NavxModule>,
    /// `<ScreenShots>`.
    pub screenshots: Vec<String>,
    /// `<SupportedLocales>`.
    pub supported_locales: Vec<String>,
    /// `<Features>` (upper case as written by the compiler).
    pub features: Vec<String>,
    /// `<PreprocessorSymbols>`.
    pub preprocessor_symbols: Vec<String>,
    /// `<SuppressWarnings>`.
    pub suppress_warnings: Vec<String>,
    /// `<ResourceExposurePolicy>` (absent before runtime 8).
    pub resource_exposure_policy: Option<NavxResourceExposurePolicy>,
    /// `<KeyVaultUrls>`.
    pub key_vault_urls: Vec<String>,
    /// `<Source>`.
    pub source: Option<NavxSource>,
    /// `<Build>`.
    pub build: Option<NavxBuild>,
    /// `<AlternateIds>`.
    pub alternate_ids: Vec<String>,
    /// Optional parts that were absent in the XML read (older compilers write
    /// fewer): names from [`OPTIONAL_PARTS`]. While such a part is empty it is not
    /// written, so an old manifest writes back byte for byte. Empty (the default)
    /// = the current compiler's full layout.
    pub omitted: Vec<String>,
}

/// Parts that older compilers leave out: the `HelpBaseUrl` attribute and these
/// child elements.
pub const OPTIONAL_PARTS: &[&str] = &[
    "HelpBaseUrl",
    "Dependencies",
    "InternalsVisibleTo",
    "ScreenShots",
    "SupportedLocales",
    "Features",
    "PreprocessorSymbols",
    "SuppressWarnings",
    "KeyVaultUrls",
    "AlternateIds",
];

// ---------------------------------------------------------------- writing

fn dotnet_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

fn lower_bool(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

struct Attrs(String);

impl Attrs {
    fn new() -> Self {
        Attrs(String::new())
    }
    fn add(&mut self, name: &str, value: &str) {
        let _ = write!(self.0, " {name}=\"{}\"", escape_attr(value));
    }
    fn opt(&mut self, name: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.add(name, v);
        }
    }
}

const EOL: &str = "\r\n";

fn empty_el(out: &mut String, indent: &str, name: &str, attrs: &Attrs) {
    let _ = write!(out, "{indent}<{name}{} />{EOL}", attrs.0);
}

fn list_el<T>(
    out: &mut String,
    omitted: &[String],
    name: &str,
    items: &[T],
    mut child: impl FnMut(&mut String, &T),
) {
    if items.is_empty() && omitted.iter().any(|o| o == name) {
        return;
    }
    if items.is_empty() {
        let _ = write!(out, "  <{name} />{EOL}");
        return;
    }
    let _ = write!(out, "  <{name}>{EOL}");
    for it in items {
        child(out, it);
    }
    let _ = write!(out, "  </{name}>{EOL}");
}

fn text_child(out: &mut String, name: &str, text: &str) {
    let _ = write!(out, "    <{name}>{}</{name}>{EOL}", escape_text(text));
}

impl NavxManifest {
    /// Writes the manifest as the compiler does (see the module docs). The output
    /// has no trailing line break.
    pub fn to_xml(&self) -> String {
        let mut out = String::with_capacity(2048);
        let _ = write!(out, "<Package xmlns=\"{NAVX_NAMESPACE}\">{EOL}");
        empty_el(&mut out, "  ", "App", &self.app_attrs());
        self.write_id_ranges(&mut out);
        self.write_modules(&mut out);
        self.write_text_lists(&mut out);
        self.write_policy(&mut out);
        list_el(
            &mut out,
            &self.omitted,
            "KeyVaultUrls",
            &self.key_vault_urls,
            |o, s| text_child(o, "KeyVaultUrl", s),
        );
        self.write_source_and_build(&mut out);
        list_el(
            &mut out,
            &self.omitted,
            "AlternateIds",
            &self.alternate_ids,
            |o, s| text_child(o, "AlternateId", s),
        );
        out.push_str("</Package>");
        out
    }

    /// The attributes of `<App>`: the known ones in the compiler's order, then the
    /// writable unknown ones.
    fn app_attrs(&self) -> Attrs {
        let a = &self.app;
        let mut at = Attrs::new();
        at.add("Id", &a.id.to_string());
        at.add("Name", &a.name);
        at.add("Publisher", &a.publisher);
        at.add("Brief", &a.brief);
        at.add("Description", &a.description);
        at.add("Version", &a.version.to_string());
        at.add("CompatibilityId", &a.compatibility_id.to_string());
        at.add("PrivacyStatement", &a.privacy_statement);
        at.opt(
            "ApplicationInsightsKey",
            a.application_insights_key.as_deref(),
        );
        at.opt(
            "ApplicationInsightsConnectionString",
            a.application_insights_connection_string.as_deref(),
        );
        at.add("EULA", &a.eula);
        at.add("Help", &a.help);
        if !(a.help_base_url.is_empty() && self.omitted.iter().any(|o| o == "HelpBaseUrl")) {
            at.add("HelpBaseUrl", &a.help_base_url);
        }
        at.opt(
            "ContextSensitiveHelpUrl",
            a.context_sensitive_help_url.as_deref(),
        );
        at.add("Url", &a.url);
        at.add("Logo", &a.logo);
        at.opt("Platform", a.platform.map(|v| v.to_string()).as_deref());
        at.opt(
            "Application",
            a.application.map(|v| v.to_string()).as_deref(),
        );
        at.opt("Runtime", a.runtime.map(|v| v.to_string()).as_deref());
        at.opt("Target", a.target.as_deref());
        at.opt("ShowMyCode", a.show_my_code.map(dotnet_bool));
        at.opt(
            "PropagateDependencies",
            a.propagate_dependencies.map(dotnet_bool),
        );
        add_extra_attributes(&mut at, &a.extra_attributes);
        at
    }

    /// `<IdRanges>`, or the bare BC 11 `<IdRange>` when that layout holds one range.
    fn write_id_ranges(&self, out: &mut String) {
        let range_attrs = |r: &IdRange| {
            let mut at = Attrs::new();
            at.add("MinObjectId", &r.from.to_string());
            at.add("MaxObjectId", &r.to.to_string());
            at
        };
        match (self.bare_id_range, self.id_ranges.as_slice()) {
            (true, [r]) => empty_el(out, "  ", "IdRange", &range_attrs(r)),
            _ => list_el(out, &[], "IdRanges", &self.id_ranges, |o, r| {
                empty_el(o, "    ", "IdRange", &range_attrs(r))
            }),
        }
    }

    /// `<Dependencies>` and `<InternalsVisibleTo>`: one empty element per app.
    fn write_modules(&self, out: &mut String) {
        list_el(
            out,
            &self.omitted,
            "Dependencies",
            &self.dependencies,
            |o, d| {
                let mut at = Attrs::new();
                at.add("Id", &d.id.to_string());
                at.add("Name", &d.name);
                at.add("Publisher", &d.publisher);
                at.add("MinVersion", &d.min_version.to_string());
                at.add("CompatibilityId", &d.compatibility_id.to_string());
                empty_el(o, "    ", "Dependency", &at);
            },
        );
        list_el(
            out,
            &self.omitted,
            "InternalsVisibleTo",
            &self.internals_visible_to,
            |o, m| {
                let mut at = Attrs::new();
                at.add("Id", &m.id.to_string());
                at.add("Name", &m.name);
                at.add("Publisher", &m.publisher);
                empty_el(o, "    ", "Module", &at);
            },
        );
    }

    /// The string lists between the modules and the policy: `<ScreenShots>`,
    /// `<SupportedLocales>`, `<Features>`, `<PreprocessorSymbols>`, `<SuppressWarnings>`.
    fn write_text_lists(&self, out: &mut String) {
        list_el(
            out,
            &self.omitted,
            "ScreenShots",
            &self.screenshots,
            |o, s| text_child(o, "ScreenShot", s),
        );
        list_el(
            out,
            &self.omitted,
            "SupportedLocales",
            &self.supported_locales,
            |o, s| {
                let mut at = Attrs::new();
                at.add("Local", s);
                empty_el(o, "    ", "SupportedLocale", &at);
            },
        );
        list_el(out, &self.omitted, "Features", &self.features, |o, s| {
            text_child(o, "Feature", s)
        });
        list_el(
            out,
            &self.omitted,
            "PreprocessorSymbols",
            &self.preprocessor_symbols,
            |o, s| text_child(o, "PreprocessorSymbol", s),
        );
        list_el(
            out,
            &self.omitted,
            "SuppressWarnings",
            &self.suppress_warnings,
            |o, s| text_child(o, "SuppressWarning", s),
        );
    }

    /// `<ResourceExposurePolicy>`, when set.
    fn write_policy(&self, out: &mut String) {
        if let Some(p) = &self.resource_exposure_policy {
            let mut at = Attrs::new();
            at.opt("AllowDebugging", p.allow_debugging.map(lower_bool));
            at.opt(
                "AllowDownloadingSource",
                p.allow_downloading_source.map(lower_bool),
            );
            at.opt(
                "IncludeSourceInSymbolFile",
                p.include_source_in_symbol_file.map(lower_bool),
            );
            at.opt(
                "ApplyToDevExtension",
                p.apply_to_dev_extension.map(lower_bool),
            );
            empty_el(out, "  ", "ResourceExposurePolicy", &at);
        }
    }

    /// `<Source>` and `<Build>`, each when set.
    fn write_source_and_build(&self, out: &mut String) {
        if let Some(s) = &self.source {
            let mut at = Attrs::new();
            at.opt("RepositoryUrl", s.repository_url.as_deref());
            at.opt("Commit", s.commit.as_deref());
            empty_el(out, "  ", "Source", &at);
        }
        if let Some(b) = &self.build {
            let mut at = Attrs::new();
            at.opt("By", b.by.as_deref());
            at.opt("Url", b.url.as_deref());
            at.opt("Timestamp", b.timestamp.as_deref());
            at.opt("CompilerVersion", b.compiler_version.as_deref());
            empty_el(out, "  ", "Build", &at);
        }
    }
}

/// Adds the unknown `<App>` attributes that can be written: XML names, not a known
/// attribute (case-insensitive), not a repeat of an earlier one.
fn add_extra_attributes(at: &mut Attrs, extra: &[(String, String)]) {
    for (i, (k, v)) in extra.iter().enumerate() {
        let known = APP_ATTRS.iter().any(|n| n.eq_ignore_ascii_case(k));
        let repeated = extra
            .get(..i)
            .is_some_and(|before| before.iter().any(|(e, _)| e == k));
        if is_xml_name(k) && !known && !repeated {
            at.add(k, v);
        }
    }
}

fn is_xml_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !s.starts_with("xmlns")
}

// ---------------------------------------------------------------- reading

fn xml_err(text: &str, pos: usize, msg: String) -> ManifestErrors {
    let (l, c) = line_col(text, pos);
    ManifestErrors::single(
        ManifestDiagnostic::error(DiagnosticKind::Syntax, FILE, "", msg).at(l, c),
    )
}

/// Parses XML into an element tree (nesting bounded by [`crate::xml::MAX_DEPTH`]).
fn parse_tree(text: &str) -> Result<Element, ManifestErrors> {
    crate::xml::parse(text).map_err(|e| xml_err(text, e.offset, e.kind.to_string()))
}

struct Ctx<'t> {
    text: &'t str,
    errors: Vec<ManifestDiagnostic>,
}

impl Ctx<'_> {
    fn err(&mut self, kind: DiagnosticKind, el: &Element, path: String, msg: String) {
        let (l, c) = line_col(self.text, el.offset);
        self.errors
            .push(ManifestDiagnostic::error(kind, FILE, path, msg).at(l, c));
    }

    fn required<'e>(&mut self, el: &'e Element, path: &str, attr: &str) -> Option<&'e str> {
        let v = el.attr_ignore_case(attr);
        if v.is_none() {
            self.err(
                DiagnosticKind::MissingProperty,
                el,
                format!("{path}/@{attr}"),
                format!("missing required attribute {attr}"),
            );
        }
        v
    }

    fn guid(&mut self, el: &Element, path: &str, attr: &str) -> Uuid {
        match self.required(el, path, attr) {
            Some(v) => match Uuid::parse_str(v.trim_matches(|c| c == '{' || c == '}')) {
                Ok(u) => u,
                Err(e) => {
                    self.err(
                        DiagnosticKind::InvalidGuid,
                        el,
                        format!("{path}/@{attr}"),
                        format!("invalid GUID {v:?}: {e}"),
                    );
                    Uuid::nil()
                }
            },
            None => Uuid::nil(),
        }
    }

    fn version(
        &mut self,
        el: &Element,
        path: &str,
        attr: &str,
        required: bool,
    ) -> Option<AppVersion> {
        let v = if required {
            self.required(el, path, attr)?
        } else {
            el.attr_ignore_case(attr)?
        };
        match v.parse::<AppVersion>() {
            Ok(v) => Some(v),
            Err(e) => {
                self.err(
                    DiagnosticKind::InvalidVersion,
                    el,
                    format!("{path}/@{attr}"),
                    e.to_string(),
                );
                None
            }
        }
    }

    fn number(&mut self, el: &Element, path: &str, attr: &str) -> u32 {
        let Some(v) = self.required(el, path, attr) else {
            return 0;
        };
        match v.trim().parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                self.err(
                    DiagnosticKind::WrongType,
                    el,
                    format!("{path}/@{attr}"),
                    format!("expected a non-negative integer, found {v:?}"),
                );
                0
            }
        }
    }

    fn bool_attr(&mut self, el: &Element, path: &str, attr: &str) -> Option<bool> {
        let v = el.attr_ignore_case(attr)?;
        match v.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                self.err(
                    DiagnosticKind::WrongType,
                    el,
                    format!("{path}/@{attr}"),
                    format!("expected True or False, found {v:?}"),
                );
                None
            }
        }
    }
}

fn child_values(el: Option<&Element>) -> Vec<String> {
    let Some(el) = el else { return Vec::new() };
    el.children
        .iter()
        .filter_map(|c| {
            let t = c.text.trim();
            if !t.is_empty() {
                return Some(t.to_string());
            }
            ["Name", "Local", "Id", "Path", "Value"]
                .iter()
                .find_map(|a| c.attr_ignore_case(a))
                .or_else(|| c.attrs.first().map(|(_, v)| v.as_str()))
                .map(str::to_string)
        })
        .collect()
}

const APP_ATTRS: &[&str] = &[
    "Id",
    "Name",
    "Publisher",
    "Brief",
    "Description",
    "Version",
    "CompatibilityId",
    "PrivacyStatement",
    "ApplicationInsightsKey",
    "ApplicationInsightsConnectionString",
    "EULA",
    "Help",
    "HelpBaseUrl",
    "ContextSensitiveHelpUrl",
    "Url",
    "Logo",
    "Platform",
    "Application",
    "Runtime",
    "Target",
    "ShowMyCode",
    "PropagateDependencies",
];

impl NavxManifest {
    /// Parses `NavxManifest.xml` as stored: decoded by the one decoder
    /// ([`crate::text::decode`]: UTF-8 with or without BOM, UTF-16 with BOM), then
    /// [`NavxManifest::from_xml`]. Bytes that are not text are an error saying where.
    pub fn from_xml_bytes(bytes: &[u8]) -> Result<NavxManifest, ManifestErrors> {
        let text = crate::text::decode(bytes).map_err(|e| {
            ManifestErrors::single(ManifestDiagnostic::error(
                DiagnosticKind::Syntax,
                FILE,
                "",
                e.to_string(),
            ))
        })?;
        NavxManifest::from_xml(&text.text)
    }

    /// Parses `NavxManifest.xml` text (tolerant; see the module docs). All
    /// problems found in the known elements are reported, labelled
    /// `NavxManifest.xml` with an element path (`Package/App/@Version`) and
    /// line:column.
    pub fn from_xml(text: &str) -> Result<NavxManifest, ManifestErrors> {
        let text = text.strip_prefix(crate::json::BOM).unwrap_or(text);
        let root = parse_tree(text)?;
        let mut cx = Ctx {
            text,
            errors: Vec::new(),
        };
        if root.name != "Package" {
            return Err(xml_err(
                text,
                root.offset,
                format!("expected root element Package, found {}", root.name),
            ));
        }
        let Some(app_el) = root.child("App") else {
            return Err(xml_err(text, root.offset, "missing <App> element".into()));
        };
        let app = read_app(&mut cx, app_el);
        let mut m = NavxManifest {
            app,
            ..NavxManifest::default()
        };
        (m.id_ranges, m.bare_id_range) = read_id_ranges(&mut cx, &root);
        m.dependencies = read_dependencies(&mut cx, &root);
        m.internals_visible_to = read_modules(&mut cx, &root);
        m.screenshots = child_values(root.child("ScreenShots"));
        m.supported_locales = child_values(root.child("SupportedLocales"));
        m.features = child_values(root.child("Features"));
        m.preprocessor_symbols = child_values(root.child("PreprocessorSymbols"));
        m.suppress_warnings = child_values(root.child("SuppressWarnings"));
        m.key_vault_urls = child_values(root.child("KeyVaultUrls"));
        m.alternate_ids = child_values(root.child("AlternateIds"));
        m.resource_exposure_policy = read_policy(&mut cx, &root);
        (m.source, m.build) = read_source_and_build(&root);
        m.omitted = omitted_parts(&root, app_el);
        if cx.errors.is_empty() {
            Ok(m)
        } else {
            Err(ManifestErrors {
                diagnostics: cx.errors,
            })
        }
    }
}

/// Reads `<App>`: the `Runtime` attribute first, then the others in field order
/// (which is the order their problems are reported in).
fn read_app(cx: &mut Ctx<'_>, app_el: &Element) -> NavxApp {
    let p = "Package/App";
    let s = |name: &str| {
        app_el
            .attr_ignore_case(name)
            .unwrap_or_default()
            .to_string()
    };
    let o = |name: &str| app_el.attr_ignore_case(name).map(str::to_string);
    let runtime = read_runtime(cx, app_el, p);
    NavxApp {
        id: cx.guid(app_el, p, "Id"),
        name: cx
            .required(app_el, p, "Name")
            .unwrap_or_default()
            .to_string(),
        publisher: cx
            .required(app_el, p, "Publisher")
            .unwrap_or_default()
            .to_string(),
        brief: s("Brief"),
        description: s("Description"),
        version: cx.version(app_el, p, "Version", true).unwrap_or_default(),
        compatibility_id: cx
            .version(app_el, p, "CompatibilityId", false)
            .unwrap_or_default(),
        privacy_statement: s("PrivacyStatement"),
        application_insights_key: o("ApplicationInsightsKey"),
        application_insights_connection_string: o("ApplicationInsightsConnectionString"),
        eula: s("EULA"),
        help: s("Help"),
        help_base_url: s("HelpBaseUrl"),
        context_sensitive_help_url: o("ContextSensitiveHelpUrl"),
        url: s("Url"),
        logo: s("Logo"),
        platform: cx.version(app_el, p, "Platform", false),
        application: cx.version(app_el, p, "Application", false),
        runtime,
        target: o("Target"),
        show_my_code: cx.bool_attr(app_el, p, "ShowMyCode"),
        propagate_dependencies: cx.bool_attr(app_el, p, "PropagateDependencies"),
        extra_attributes: extra_app_attributes(app_el),
    }
}

/// The optional `Runtime` attribute of `<App>` (`p` is its element path); an invalid
/// value is reported and read as absent.
fn read_runtime(cx: &mut Ctx<'_>, app_el: &Element, p: &str) -> Option<RuntimeVersion> {
    match app_el.attr_ignore_case("Runtime") {
        Some(v) => match v.parse::<RuntimeVersion>() {
            Ok(r) => Some(r),
            Err(e) => {
                cx.err(
                    DiagnosticKind::InvalidVersion,
                    app_el,
                    format!("{p}/@Runtime"),
                    e.to_string(),
                );
                None
            }
        },
        None => None,
    }
}

/// The unknown attributes of `<App>` in document order, first occurrence of each name.
fn extra_app_attributes(app_el: &Element) -> Vec<(String, String)> {
    let mut extra: Vec<(String, String)> = Vec::new();
    for (k, v) in &app_el.attrs {
        let known = APP_ATTRS.iter().any(|a| a.eq_ignore_ascii_case(k));
        if !known && !extra.iter().any(|(e, _)| e == k) {
            extra.push((k.clone(), v.clone()));
        }
    }
    extra
}

/// The id ranges of `<IdRanges>`, or else of a bare BC 11 `<IdRange>` (then the flag
/// is true).
fn read_id_ranges(cx: &mut Ctx<'_>, root: &Element) -> (Vec<IdRange>, bool) {
    let range = |cx: &mut Ctx<'_>, el: &Element, path: &str| {
        IdRange::new(
            cx.number(el, path, "MinObjectId"),
            cx.number(el, path, "MaxObjectId"),
        )
    };
    let mut ranges = Vec::new();
    let mut bare = false;
    if let Some(rs) = root.child("IdRanges") {
        for (i, r) in rs
            .children
            .iter()
            .filter(|c| c.name == "IdRange")
            .enumerate()
        {
            let path = format!("Package/IdRanges/IdRange[{i}]");
            ranges.push(range(cx, r, &path));
        }
    } else if let Some(r) = root.child("IdRange") {
        ranges.push(range(cx, r, "Package/IdRange"));
        bare = true;
    }
    (ranges, bare)
}

/// The `<Dependency>` elements of `<Dependencies>`.
fn read_dependencies(cx: &mut Ctx<'_>, root: &Element) -> Vec<NavxDependency> {
    let mut out = Vec::new();
    let Some(ds) = root.child("Dependencies") else {
        return out;
    };
    for (i, d) in ds
        .children
        .iter()
        .filter(|c| c.name == "Dependency")
        .enumerate()
    {
        let path = format!("Package/Dependencies/Dependency[{i}]");
        let id = cx.guid(d, &path, "Id");
        let name = cx
            .required(d, &path, "Name")
            .unwrap_or_default()
            .to_string();
        let publisher = cx
            .required(d, &path, "Publisher")
            .unwrap_or_default()
            .to_string();
        let min_version = cx.version(d, &path, "MinVersion", true).unwrap_or_default();
        let compatibility_id = cx
            .version(d, &path, "CompatibilityId", false)
            .unwrap_or_default();
        out.push(NavxDependency {
            id,
            name,
            publisher,
            min_version,
            compatibility_id,
        });
    }
    out
}

/// The `<Module>` elements of `<InternalsVisibleTo>`.
fn read_modules(cx: &mut Ctx<'_>, root: &Element) -> Vec<NavxModule> {
    let mut out = Vec::new();
    let Some(ms) = root.child("InternalsVisibleTo") else {
        return out;
    };
    for (i, d) in ms
        .children
        .iter()
        .filter(|c| c.name == "Module")
        .enumerate()
    {
        let path = format!("Package/InternalsVisibleTo/Module[{i}]");
        let id = cx.guid(d, &path, "Id");
        out.push(NavxModule {
            id,
            name: d.attr_ignore_case("Name").unwrap_or_default().to_string(),
            publisher: d
                .attr_ignore_case("Publisher")
                .unwrap_or_default()
                .to_string(),
        });
    }
    out
}

/// `<ResourceExposurePolicy>`, when present.
fn read_policy(cx: &mut Ctx<'_>, root: &Element) -> Option<NavxResourceExposurePolicy> {
    let el = root.child("ResourceExposurePolicy")?;
    let p = "Package/ResourceExposurePolicy";
    Some(NavxResourceExposurePolicy {
        allow_debugging: cx.bool_attr(el, p, "AllowDebugging"),
        allow_downloading_source: cx.bool_attr(el, p, "AllowDownloadingSource"),
        include_source_in_symbol_file: cx.bool_attr(el, p, "IncludeSourceInSymbolFile"),
        apply_to_dev_extension: cx.bool_attr(el, p, "ApplyToDevExtension"),
    })
}

/// `<Source>` and `<Build>`, each when present.
fn read_source_and_build(root: &Element) -> (Option<NavxSource>, Option<NavxBuild>) {
    let source = root.child("Source").map(|el| NavxSource {
        repository_url: el.attr_ignore_case("RepositoryUrl").map(str::to_string),
        commit: el.attr_ignore_case("Commit").map(str::to_string),
    });
    let build = root.child("Build").map(|el| NavxBuild {
        by: el.attr_ignore_case("By").map(str::to_string),
        url: el.attr_ignore_case("Url").map(str::to_string),
        timestamp: el.attr_ignore_case("Timestamp").map(str::to_string),
        compiler_version: el.attr_ignore_case("CompilerVersion").map(str::to_string),
    });
    (source, build)
}

/// The [`OPTIONAL_PARTS`] absent from the XML.
fn omitted_parts(root: &Element, app_el: &Element) -> Vec<String> {
    OPTIONAL_PARTS
        .iter()
        .filter(|part| match **part {
            "HelpBaseUrl" => app_el.attr_ignore_case("HelpBaseUrl").is_none(),
            el => root.child(el).is_none(),
        })
        .map(|p| (*p).to_string())
        .collect()
}

// ---------------------------------------------------------------- mapping

/// app.json feature names by their upper-case manifest spelling.
const FEATURES: &[&str] = &[
    "TranslationFile",
    "GenerateCaptions",
    "GenerateLockedTranslations",
    "NoImplicitWith",
    "NoPromotedActionProperties",
    "LCGTranslationFile",
];

/// Runtime 8.0: `resourceExposurePolicy` replaces `showMyCode`.
pub const RUNTIME_RESOURCE_EXPOSURE_POLICY: RuntimeVersion = RuntimeVersion::new(8, 0);
/// Runtime 4.1: dependencies use `id` instead of `appId` (BcContainerHelper's switch).
pub const RUNTIME_DEPENDENCY_ID_KEY: RuntimeVersion = RuntimeVersion::new(4, 1);

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

impl AppManifest {
    /// Builds the `NavxManifest.xml` model the compiler would write for this app.
    ///
    /// * `logo` becomes `/logo/<file name>`; absent texts become empty attributes.
    /// * `Target` defaults to `Cloud`; `CompatibilityId` is `0.0.0.0`.
    /// * `ShowMyCode` is always written (`showMyCode`, default `False`).
    ///   `<ResourceExposurePolicy>` is written when `runtime` is absent or ≥ 8.0,
    ///   with the four flags of the effective policy, or empty when only the legacy
    ///   `showMyCode` is set (as the compiler does); never before runtime 8.0.
    /// * `PropagateDependencies` only when true; features in upper case.
    /// * `<Source>`/`<Build>` only when `source`/`build` are set (the compiler's
    ///   `Timestamp`/`CompilerVersion` are not known here).
    pub fn to_navx(&self) -> NavxManifest {
        // `"logo": ""` (or a folder) names no file: the attribute stays empty.
        let logo = self
            .logo
            .as_deref()
            .map(|l| l.rsplit(['/', '\\']).next().unwrap_or(l).trim())
            .filter(|file| !file.is_empty())
            .map(|file| format!("/logo/{file}"))
            .unwrap_or_default();
        let policy_era = self
            .runtime
            .is_none_or(|r| r >= RUNTIME_RESOURCE_EXPOSURE_POLICY);
        let pol = self.effective_resource_exposure_policy();
        NavxManifest {
            app: NavxApp {
                id: self.id,
                name: self.name.clone(),
                publisher: self.publisher.clone(),
                brief: self.brief.clone().unwrap_or_default(),
                description: self.description.clone().unwrap_or_default(),
                version: self.version,
                compatibility_id: AppVersion::ZERO,
                privacy_statement: self.privacy_statement.clone().unwrap_or_default(),
                application_insights_key: self.application_insights_key.clone(),
                application_insights_connection_string: self
                    .application_insights_connection_string
                    .clone(),
                eula: self.eula.clone().unwrap_or_default(),
                help: self.help.clone().unwrap_or_default(),
                help_base_url: self.help_base_url.clone().unwrap_or_default(),
                context_sensitive_help_url: self.context_sensitive_help_url.clone(),
                url: self.url.clone().unwrap_or_default(),
                logo,
                platform: self.platform,
                application: self.application,
                runtime: self.runtime,
                target: Some(
                    self.target
                        .as_ref()
                        .map_or("Cloud".to_string(), |t| t.as_str().to_string()),
                ),
                show_my_code: Some(self.show_my_code.unwrap_or(false)),
                propagate_dependencies: (self.propagate_dependencies == Some(true)).then_some(true),
                extra_attributes: Vec::new(),
            },
            id_ranges: self.id_ranges(),
            bare_id_range: false,
            dependencies: self
                .dependencies
                .iter()
                .map(|d| NavxDependency {
                    id: d.id,
                    name: d.name.clone(),
                    publisher: d.publisher.clone(),
                    min_version: d.version,
                    compatibility_id: AppVersion::ZERO,
                })
                .collect(),
            internals_visible_to: self
                .internals_visible_to
                .iter()
                .map(|m| NavxModule {
                    id: m.id,
                    name: m.name.clone(),
                    publisher: m.publisher.clone(),
                })
                .collect(),
            screenshots: self.screenshots.clone(),
            supported_locales: self.supported_locales.clone(),
            features: self.features.iter().map(|f| f.to_uppercase()).collect(),
            preprocessor_symbols: self.preprocessor_symbols.clone(),
            suppress_warnings: self.suppress_warnings.clone(),
            resource_exposure_policy: policy_era.then(|| {
                if self.resource_exposure_policy.is_none() && self.show_my_code.is_some() {
                    // Legacy `showMyCode` alone: the compiler writes an empty element
                    // (Microsoft System 19/24 packages: `ShowMyCode="True"`,
                    // `<ResourceExposurePolicy />`).
                    NavxResourceExposurePolicy::default()
                } else {
                    NavxResourceExposurePolicy {
                        allow_debugging: Some(pol.allow_debugging),
                        allow_downloading_source: Some(pol.allow_downloading_source),
                        include_source_in_symbol_file: Some(pol.include_source_in_symbol_file),
                        apply_to_dev_extension: Some(pol.apply_to_dev_extension),
                    }
                }
            }),
            key_vault_urls: self.key_vault_urls.clone(),
            source: self.source.as_ref().map(|s| NavxSource {
                repository_url: s.repository_url.clone(),
                commit: s.commit.clone(),
            }),
            build: self.build.as_ref().map(|b| NavxBuild {
                by: b.by.clone(),
                url: b.url.clone(),
                timestamp: None,
                compiler_version: None,
            }),
            alternate_ids: self.alternate_ids.iter().map(Uuid::to_string).collect(),
            omitted: Vec::new(),
        }
    }
}

impl NavxManifest {
    /// Regenerates an `app.json` model from a package manifest.
    ///
    /// * Empty text attributes become absent properties; `Logo` `/logo/x.png`
    ///   becomes `logo/x.png` (where an extractor puts the file).
    /// * Dependencies and modules use `appId` when `Runtime` is absent or ≤ 4.0,
    ///   `id` from 4.1 (BcContainerHelper's switch).
    /// * Before runtime 8.0 `ShowMyCode` maps to `showMyCode`; from 8.0 (or when
    ///   `Runtime` is absent but a policy element exists) a policy element with at least one
    ///   flag maps to `resourceExposurePolicy` (missing flags are false), an empty one to
    ///   nothing, and `ShowMyCode="True"` is kept as `showMyCode: true` (so that
    ///   [`AppManifest::to_navx`] writes it again).
    /// * Upper-case features get their app.json spelling when known
    ///   (`NOIMPLICITWITH` → `NoImplicitWith`), others are kept.
    /// * A single bare BC 11 `<IdRange>` becomes `idRange`, otherwise `idRanges`.
    /// * Alternate ids that are not GUIDs are dropped.
    pub fn to_app_manifest(&self) -> AppManifest {
        let a = &self.app;
        let id_key = match a.runtime {
            Some(r) if r >= RUNTIME_DEPENDENCY_ID_KEY => IdKey::Id,
            _ => IdKey::AppId,
        };
        let policy_era = a
            .runtime
            .map_or(self.resource_exposure_policy.is_some(), |r| {
                r >= RUNTIME_RESOURCE_EXPOSURE_POLICY
            });
        let logo = non_empty(&a.logo).map(|l| l.trim_start_matches('/').to_string());
        let (id_range, id_ranges) = match (self.bare_id_range, self.id_ranges.as_slice()) {
            (_, []) => (None, None),
            (true, [r]) => (Some(*r), None),
            (_, rs) => (None, Some(rs.to_vec())),
        };
        AppManifest {
            id: a.id,
            name: a.name.clone(),
            publisher: a.publisher.clone(),
            version: a.version,
            brief: non_empty(&a.brief),
            description: non_empty(&a.description),
            privacy_statement: non_empty(&a.privacy_statement),
            eula: non_empty(&a.eula),
            help: non_empty(&a.help),
            help_base_url: non_empty(&a.help_base_url),
            url: non_empty(&a.url),
            logo,
            context_sensitive_help_url: a.context_sensitive_help_url.clone(),
            dependencies: self
                .dependencies
                .iter()
                .map(|d| Dependency {
                    id_key,
                    ..Dependency::new(d.id, &d.name, &d.publisher, d.min_version)
                })
                .collect(),
            internals_visible_to: self
                .internals_visible_to
                .iter()
                .map(|m| InternalsVisibleTo {
                    id_key,
                    ..InternalsVisibleTo::new(m.id, &m.name, &m.publisher)
                })
                .collect(),
            propagate_dependencies: (a.propagate_dependencies == Some(true)).then_some(true),
            screenshots: self.screenshots.clone(),
            platform: a.platform,
            application: a.application,
            test: None,
            id_range,
            id_ranges,
            resource_exposure_policy: if policy_era {
                self.resource_exposure_policy
                    .as_ref()
                    .filter(|p| **p != NavxResourceExposurePolicy::default())
                    .map(|p| ResourceExposurePolicy {
                        allow_debugging: p.allow_debugging.unwrap_or(false),
                        allow_downloading_source: p.allow_downloading_source.unwrap_or(false),
                        include_source_in_symbol_file: p
                            .include_source_in_symbol_file
                            .unwrap_or(false),
                        apply_to_dev_extension: p.apply_to_dev_extension.unwrap_or(false),
                        extra: Default::default(),
                    })
            } else {
                None
            },
            show_my_code: if policy_era {
                a.show_my_code.filter(|&b| b)
            } else {
                a.show_my_code
            },
            runtime: a.runtime,
            target: a.target.as_deref().map(Target::parse),
            features: self
                .features
                .iter()
                .map(|f| {
                    FEATURES
                        .iter()
                        .find(|k| k.eq_ignore_ascii_case(f))
                        .map_or_else(|| f.clone(), |k| (*k).to_string())
                })
                .collect(),
            supported_locales: self.supported_locales.clone(),
            preprocessor_symbols: self.preprocessor_symbols.clone(),
            suppress_warnings: self.suppress_warnings.clone(),
            key_vault_urls: self.key_vault_urls.clone(),
            application_insights_connection_string: a
                .application_insights_connection_string
                .clone(),
            application_insights_key: a.application_insights_key.clone(),
            source: self.source.as_ref().map(|s| SourceInfo {
                repository_url: s.repository_url.clone(),
                commit: s.commit.clone(),
                extra: Default::default(),
            }),
            build: self.build.as_ref().map(|b| BuildInfo {
                by: b.by.clone(),
                url: b.url.clone(),
                extra: Default::default(),
            }),
            alternate_ids: self
                .alternate_ids
                .iter()
                .filter_map(|s| Uuid::parse_str(s).ok())
                .collect(),
            resource_folders: Vec::new(),
            extra: Default::default(),
        }
    }
}

impl From<&NavxManifest> for AppManifest {
    fn from(m: &NavxManifest) -> Self {
        m.to_app_manifest()
    }
}

impl From<&AppManifest> for NavxManifest {
    fn from(m: &AppManifest) -> Self {
        m.to_navx()
    }
}
