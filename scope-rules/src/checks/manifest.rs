//! Manifest-level static checks on `app.json` ([`al_manifest::AppManifest`])
//! and `AppSourceCop.json` ([`AppSourceCop`]), each reported with the rule id
//! Microsoft's analyzers, compiler or service would use.
//!
//! Which checks run depends on the scope:
//! - every scope: AL1046, AL1047, AL1048 (the compiler's idRange rules);
//! - Marketplace ([`Scope::APPSOURCE`]): AS0014, AS0084, AS0051 (one per
//!   missing/empty key), AS0052, AS0053, AS0015, AS0047, AS0048, AS0054, AS0055,
//!   AS0056, AS0081, AS0126, AS0085, AS0092, AS0100, and AS0096/AS0097 when
//!   AppSourceCop.json names a baseline;
//! - PTE: PTE0005, PTE0009, PTE0010, PTE0011, PTE0012, PTE0020, and ALK0007 for
//!   declared ranges outside 50,000–99,999 (objects there would fail PTE0001);
//! - other scopes: the compiler rules only.
//!
//! [`check_manifest`] works on the typed model and reports every finding at
//! line 1, column 1 of `app.json` / `AppSourceCop.json`, with the JSON path in
//! the message. [`check_manifest_text`] parses the texts and places each
//! diagnostic on the offending key (or, for a missing key, on its parent
//! object) using a JSON locator (`jsonpos.rs`), because `al-manifest` keeps no spans.
//!
//! Uncertain points (scope-rules.md): which keys AS0051 checks (the docs list
//! eight; `application` is AS0100's); the exact range AS0084 accepts
//! ([`crate::ranges::APPSOURCE_ALLOWED`]); whether PTE0020 also covers the
//! System Application (checked here, like AS0085).
//!
//! ```
//! use al_manifest::AppManifest;
//! use scope_rules::{Scope, RuleConfig, checks::manifest::check_manifest};
//! let m = AppManifest::from_json_str(r#"{"id":"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11","name":"A",
//!   "publisher":"P","version":"1.0.0.0","idRanges":[{"from":50100,"to":50149}]}"#).unwrap();
//! assert!(check_manifest(&m, None, Scope::Pte, &RuleConfig::new()).is_empty());
//! let codes: Vec<String> = check_manifest(&m, None, Scope::APPSOURCE, &RuleConfig::new())
//!     .into_iter().map(|d| d.code.to_string()).collect();
//! assert!(codes.contains(&"AS0084".to_string()));
//! assert!(codes.contains(&"AS0100".to_string()));
//! ```

use al_manifest::{AppManifest, ManifestErrors, Target};

use crate::checks::cop::{AppSourceCop, affixes_of};
use crate::checks::diagnostic::{Diagnostic, RuleConfig, Severity, TextEdit};
use crate::checks::jsonpos::JsonLocator;
use crate::checks::rules::RuleId;
use crate::ranges::{self, APPSOURCE_ALLOWED, IdRange, PER_TENANT};
use crate::scope::Scope;

/// Default file label for app.json diagnostics.
pub const APP_JSON: &str = "app.json";
/// Default file label for AppSourceCop.json diagnostics.
pub const APPSOURCECOP_JSON: &str = "AppSourceCop.json";

/// Base Application app id.
pub const BASE_APPLICATION_ID: &str = "437dbf0e-84ff-417a-965d-ed2bb9650972";
/// System Application app id.
pub const SYSTEM_APPLICATION_ID: &str = "63ca2fa4-4f03-4f2b-a480-172fef340d3f";
/// Application (the logical umbrella app) id.
pub const APPLICATION_ID: &str = "c1335042-3002-4257-bf8a-75c898ccb1b8";
/// Business Foundation app id.
pub const BUSINESS_FOUNDATION_ID: &str = "f3552374-a1f2-4356-848e-196002525837";

/// AS0047: maximum `name` length for Marketplace apps (was 50 until late 2023).
pub const APPSOURCE_NAME_MAX: usize = 200;
/// PTE0010: maximum `name` length for PTEs.
pub const PTE_NAME_MAX: usize = 50;
/// AS0048 / PTE0011: maximum `publisher` length.
pub const PUBLISHER_MAX: usize = 50;

/// The officially assigned ISO 3166-1 alpha-2 codes (249), sorted.
pub const ISO_3166_ALPHA2: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// Whether `code` is an ISO 3166-1 alpha-2 code (case-insensitive).
pub fn is_iso_country(code: &str) -> bool {
    let up = code.trim().to_ascii_uppercase();
    ISO_3166_ALPHA2.binary_search(&up.as_str()).is_ok()
}

/// Whether `text` looks like an absolute http(s) URL with a host and no whitespace.
pub fn is_valid_url(text: &str) -> bool {
    let t = text.trim();
    let rest = if let Some(r) = strip_prefix_ci(t, "https://") {
        r
    } else if let Some(r) = strip_prefix_ci(t, "http://") {
        r
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    let host_name = host.split(':').next().unwrap_or("");
    !t.chars().any(char::is_whitespace)
        && !host_name.is_empty()
        && host_name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.' || c == '[' || c == ']')
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Which file a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestFile {
    /// app.json.
    AppJson,
    /// AppSourceCop.json.
    AppSourceCop,
}

/// A manifest finding before it is placed in a file: rule, JSON path, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestFinding {
    /// Rule id.
    pub code: RuleId,
    /// Default severity of the rule.
    pub severity: Severity,
    /// The file.
    pub file: ManifestFile,
    /// JSON path of the offending key (`""` = the whole document).
    pub path: String,
    /// Message, without the path.
    pub message: String,
    /// A mechanical fix, when one exists.
    pub fix: Option<ManifestFix>,
}

/// A fix for a manifest finding, applied at the finding's JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManifestFix {
    /// Replace the value at the path with this JSON text.
    ReplaceValue(String),
    /// Insert this JSON text as the first element of the array at the path.
    PrependToArray(String),
}

impl ManifestFinding {
    fn new(
        code: RuleId,
        file: ManifestFile,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ManifestFinding {
            code,
            severity: code.default_severity(),
            file,
            path: path.into(),
            message: message.into(),
            fix: None,
        }
    }

    fn with_fix(mut self, fix: ManifestFix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Converts to a [`Diagnostic`] in `file`, placed with `locator` when given
    /// (else at 1:1). The message is prefixed with the JSON path.
    pub fn to_diagnostic(&self, file: &str, locator: Option<&JsonLocator>) -> Diagnostic {
        let message = if self.path.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", self.path, self.message)
        };
        let d = Diagnostic::new(self.code, self.severity, file, message);
        let Some(loc) = locator else {
            return d;
        };
        let l = loc.locate(&self.path);
        let exact = loc.contains(&self.path);
        let edit = match (&self.fix, exact) {
            (Some(ManifestFix::ReplaceValue(text)), true) => Some(TextEdit {
                file: file.to_string(),
                range: span32(&l.value_span),
                replacement: text.clone(),
            }),
            (Some(ManifestFix::PrependToArray(text)), true)
                if l.value_span.end > l.value_span.start =>
            {
                let non_empty = loc.contains(&format!("{}[0]", self.path));
                let at = span32(&l.value_span).start.saturating_add(1);
                Some(TextEdit {
                    file: file.to_string(),
                    range: at..at,
                    replacement: if non_empty {
                        format!("{text}, ")
                    } else {
                        text.clone()
                    },
                })
            }
            _ => None,
        };
        let d = d.at(l.line, l.column).with_span(l.span);
        match edit {
            Some(e) => d.with_fix(vec![e]),
            None => d,
        }
    }
}

fn blank(v: Option<&str>) -> bool {
    v.is_none_or(|s| s.trim().is_empty())
}

/// Compiler checks on declared ranges, reusing [`AppManifest::validate`]:
/// AL1048 (both keys), AL1047 (from > to), AL1046 (overlap). Paths point at
/// `idRanges[i]` / `idRange`. al-manifest's uncoded warnings are not repeated.
pub fn compiler_range_findings(m: &AppManifest) -> Vec<ManifestFinding> {
    m.validate()
        .into_iter()
        .filter_map(|d| {
            let code = match d.code? {
                al_manifest::AL1046 => RuleId::AL1046,
                al_manifest::AL1047 => RuleId::AL1047,
                al_manifest::AL1048 => RuleId::AL1048,
                _ => return None,
            };
            Some(ManifestFinding::new(
                code,
                ManifestFile::AppJson,
                d.path,
                d.message,
            ))
        })
        .collect()
}

fn declared(m: &AppManifest) -> (Vec<IdRange>, &'static str) {
    match (&m.id_ranges, &m.id_range) {
        (Some(r), _) => (r.clone(), "idRanges"),
        (None, Some(r)) => (vec![*r], "idRange"),
        (None, None) => (Vec::new(), "idRanges"),
    }
}

fn range_path(key: &str, i: usize) -> String {
    if key == "idRange" {
        key.to_string()
    } else {
        format!("{key}[{i}]")
    }
}

fn is_base_or_system(id: &str) -> bool {
    id.eq_ignore_ascii_case(BASE_APPLICATION_ID) || id.eq_ignore_ascii_case(SYSTEM_APPLICATION_ID)
}

/// Marketplace (AppSourceCop) manifest findings.
pub fn appsource_findings(m: &AppManifest, cop: Option<&AppSourceCop>) -> Vec<ManifestFinding> {
    let mut out = Vec::new();
    appsource_range_findings(m, &mut out);
    required_key_findings(m, &mut out);
    listing_findings(m, &mut out);
    identity_length_findings(m, &mut out);
    cop_file_findings(cop, &mut out);
    internals_findings(m, &mut out);
    dependency_findings(m, &mut out);
    telemetry_and_application_findings(m, &mut out);
    out.extend(identity_change_findings(m, cop));
    out
}

/// AS0014 (no ranges) and AS0084 (no ranges, or a valid range outside the
/// AppSource-allowed range); neither for apps published by Microsoft.
fn appsource_range_findings(m: &AppManifest, out: &mut Vec<ManifestFinding>) {
    let (ranges, key) = declared(m);
    // Microsoft's own apps use Microsoft's ranges (its localization apps declare none).
    let microsoft = m.publisher.trim().eq_ignore_ascii_case("Microsoft");
    if ranges.is_empty() && !microsoft {
        out.push(ManifestFinding::new(
            RuleId::AS0014,
            ManifestFile::AppJson,
            "",
            "no idRanges are declared",
        ));
        out.push(ManifestFinding::new(
            RuleId::AS0084,
            ManifestFile::AppJson,
            "",
            format!(
                "no idRanges are declared, so the default range applies, which lies outside the AppSource-allowed range {APPSOURCE_ALLOWED}"
            ),
        ));
    }
    for (i, r) in ranges.iter().enumerate() {
        if r.is_valid() && !microsoft && !ranges::declared_range_allowed(Scope::APPSOURCE, r) {
            out.push(ManifestFinding::new(
                RuleId::AS0084,
                ManifestFile::AppJson,
                range_path(key, i),
                format!("range {r} lies outside the AppSource-allowed range {APPSOURCE_ALLOWED}"),
            ));
        }
    }
}

/// AS0051: one finding per missing or empty key that Marketplace submission requires.
fn required_key_findings(m: &AppManifest, out: &mut Vec<ManifestFinding>) {
    let required: [(&str, Option<&str>); 8] = [
        ("brief", m.brief.as_deref()),
        ("description", m.description.as_deref()),
        ("privacyStatement", m.privacy_statement.as_deref()),
        ("EULA", m.eula.as_deref()),
        ("help", m.help.as_deref()),
        ("url", m.url.as_deref()),
        ("logo", m.logo.as_deref()),
        (
            "contextSensitiveHelpUrl",
            m.context_sensitive_help_url.as_deref(),
        ),
    ];
    for (k, v) in required {
        if blank(v) {
            let what = if v.is_none() {
                "is missing"
            } else {
                "is empty"
            };
            out.push(ManifestFinding::new(
                RuleId::AS0051,
                ManifestFile::AppJson,
                k,
                format!("{what}; it is required for Marketplace submission"),
            ));
        }
    }
}

/// AS0052 (invalid `url`), AS0053 (target other than Cloud) and AS0015 (no
/// TranslationFile feature), the last two with a fix.
fn listing_findings(m: &AppManifest, out: &mut Vec<ManifestFinding>) {
    if let Some(url) = m.url.as_deref()
        && !url.trim().is_empty()
        && !is_valid_url(url)
    {
        out.push(ManifestFinding::new(
            RuleId::AS0052,
            ManifestFile::AppJson,
            "url",
            format!("{url:?} is not a valid http(s) URL"),
        ));
    }
    if let Some(t) = &m.target
        && *t != Target::Cloud
    {
        out.push(
            ManifestFinding::new(
                RuleId::AS0053,
                ManifestFile::AppJson,
                "target",
                format!("target {t} is not allowed for Marketplace apps; use Cloud"),
            )
            .with_fix(ManifestFix::ReplaceValue("\"Cloud\"".into())),
        );
    }
    if !m
        .features
        .iter()
        .any(|f| f.eq_ignore_ascii_case("TranslationFile"))
    {
        out.push(
            ManifestFinding::new(
                RuleId::AS0015,
                ManifestFile::AppJson,
                "features",
                "features does not contain TranslationFile",
            )
            .with_fix(ManifestFix::PrependToArray("\"TranslationFile\"".into())),
        );
    }
}

/// AS0047 / AS0048: `name` / `publisher` longer than the Marketplace limits.
fn identity_length_findings(m: &AppManifest, out: &mut Vec<ManifestFinding>) {
    let name_len = m.name.chars().count();
    if name_len > APPSOURCE_NAME_MAX {
        out.push(ManifestFinding::new(
            RuleId::AS0047,
            ManifestFile::AppJson,
            "name",
            format!("name has {name_len} characters; the limit is {APPSOURCE_NAME_MAX}"),
        ));
    }
    let pub_len = m.publisher.chars().count();
    if pub_len > PUBLISHER_MAX {
        out.push(ManifestFinding::new(
            RuleId::AS0048,
            ManifestFile::AppJson,
            "publisher",
            format!("publisher has {pub_len} characters; the limit is {PUBLISHER_MAX}"),
        ));
    }
}

/// AppSourceCop.json rules: AS0054 (no affix), AS0055 (no supportedCountries),
/// AS0056 (a country that is not an ISO 3166-1 alpha-2 code).
fn cop_file_findings(cop: Option<&AppSourceCop>, out: &mut Vec<ManifestFinding>) {
    let Some(cop) = cop else {
        out.push(ManifestFinding::new(
            RuleId::AS0054,
            ManifestFile::AppSourceCop,
            "",
            "no AppSourceCop.json, so no mandatory affixes are declared",
        ));
        out.push(ManifestFinding::new(
            RuleId::AS0055,
            ManifestFile::AppSourceCop,
            "",
            "no AppSourceCop.json, so supportedCountries is not declared",
        ));
        return;
    };
    if affixes_of(cop).is_empty() {
        out.push(ManifestFinding::new(
            RuleId::AS0054,
            ManifestFile::AppSourceCop,
            "",
            "none of mandatoryAffixes, mandatoryPrefix, mandatorySuffix declares an affix",
        ));
    }
    if cop.supported_countries.is_empty() {
        out.push(ManifestFinding::new(
            RuleId::AS0055,
            ManifestFile::AppSourceCop,
            "",
            "supportedCountries is not declared",
        ));
    }
    for (i, c) in cop.supported_countries.iter().enumerate() {
        if !is_iso_country(c) {
            out.push(ManifestFinding::new(
                RuleId::AS0056,
                ManifestFile::AppSourceCop,
                format!("supportedCountries[{i}]"),
                format!("{c:?} is not an ISO 3166-1 alpha-2 country code"),
            ));
        }
    }
}

/// AS0081 (internalsVisibleTo is used) and AS0126 (internals exposed to another
/// publisher).
fn internals_findings(m: &AppManifest, out: &mut Vec<ManifestFinding>) {
    if !m.internals_visible_to.is_empty() {
        out.push(ManifestFinding::new(
            RuleId::AS0081,
            ManifestFile::AppJson,
            "internalsVisibleTo",
            "internalsVisibleTo is used; it is not a security boundary",
        ));
    }
    for (i, ivt) in m.internals_visible_to.iter().enumerate() {
        if !ivt
            .publisher
            .trim()
            .eq_ignore_ascii_case(m.publisher.trim())
        {
            out.push(ManifestFinding::new(
                RuleId::AS0126,
                ManifestFile::AppJson,
                format!("internalsVisibleTo[{i}].publisher"),
                format!(
                    "internals are exposed to {:?} of publisher {:?}, not {:?}",
                    ivt.name, ivt.publisher, m.publisher
                ),
            ));
        }
    }
}

/// AS0085: an explicit dependency on the Base or System Application.
fn dependency_findings(m: &AppManifest, out: &mut Vec<ManifestFinding>) {
    for (i, d) in m.dependencies.iter().enumerate() {
        if is_base_or_system(&d.id.to_string()) {
            out.push(ManifestFinding::new(
                RuleId::AS0085,
                ManifestFile::AppJson,
                format!("dependencies[{i}]"),
                format!(
                    "explicit dependency on {:?}; use the application property instead",
                    d.name
                ),
            ));
        }
    }
}

/// AS0092 (no Application Insights connection string or key) and AS0100 (no
/// `application` property).
fn telemetry_and_application_findings(m: &AppManifest, out: &mut Vec<ManifestFinding>) {
    if blank(m.application_insights_connection_string.as_deref())
        && blank(m.application_insights_key.as_deref())
    {
        out.push(ManifestFinding::new(
            RuleId::AS0092,
            ManifestFile::AppJson,
            "",
            "no applicationInsightsConnectionString is set; validation results cannot be logged to telemetry",
        ));
    }
    if m.application.is_none() {
        out.push(ManifestFinding::new(
            RuleId::AS0100,
            ManifestFile::AppJson,
            "",
            "the application property is missing",
        ));
    }
}

/// AS0096 / AS0097: `name` / `publisher` differ from the baseline named in
/// AppSourceCop.json while `runtime` is below 8.0 (identity could not change
/// before 2021 release wave 2). Without a `runtime` the newest is assumed, so
/// nothing fires.
pub fn identity_change_findings(
    m: &AppManifest,
    cop: Option<&AppSourceCop>,
) -> Vec<ManifestFinding> {
    let mut out = Vec::new();
    let (Some(cop), Some(runtime)) = (cop, m.runtime) else {
        return out;
    };
    if runtime.major >= 8 {
        return out;
    }
    if let Some(old) = cop.name.as_deref()
        && old != m.name
    {
        out.push(ManifestFinding::new(
            RuleId::AS0096,
            ManifestFile::AppJson,
            "name",
            format!("name changed from the baseline's {old:?}; with runtime {runtime} the name cannot change (needs runtime 8.0 or later)"),
        ));
    }
    if let Some(old) = cop.publisher.as_deref()
        && old != m.publisher
    {
        out.push(ManifestFinding::new(
            RuleId::AS0097,
            ManifestFile::AppJson,
            "publisher",
            format!("publisher changed from the baseline's {old:?}; with runtime {runtime} the publisher cannot change (needs runtime 8.0 or later)"),
        ));
    }
    out
}

/// PTE (PerTenantExtensionCop) manifest findings.
pub fn pte_findings(m: &AppManifest) -> Vec<ManifestFinding> {
    use ManifestFile::AppJson;
    let mut out = Vec::new();
    let (ranges, key) = declared(m);
    for (i, r) in ranges.iter().enumerate() {
        if r.is_valid() && !ranges::is_within(r, &PER_TENANT) {
            out.push(ManifestFinding::new(
                RuleId::ALK0007,
                AppJson,
                range_path(key, i),
                format!("range {r} is not inside the per-tenant range {PER_TENANT}; objects numbered outside it fail PTE0001"),
            ));
        }
    }
    if let Some(t) = &m.target
        && *t != Target::Cloud
    {
        out.push(
            ManifestFinding::new(
                RuleId::PTE0005,
                AppJson,
                "target",
                format!("target {t} is not allowed for per-tenant extensions; use Cloud"),
            )
            .with_fix(ManifestFix::ReplaceValue("\"Cloud\"".into())),
        );
    }
    if m.help_base_url.is_some() {
        out.push(ManifestFinding::new(
            RuleId::PTE0009,
            AppJson,
            "helpBaseUrl",
            "helpBaseUrl is reserved for translation and localization apps",
        ));
    }
    if !m.supported_locales.is_empty() {
        out.push(ManifestFinding::new(
            RuleId::PTE0009,
            AppJson,
            "supportedLocales",
            "supportedLocales is reserved for translation and localization apps",
        ));
    }
    let name_len = m.name.chars().count();
    if name_len > PTE_NAME_MAX {
        out.push(ManifestFinding::new(
            RuleId::PTE0010,
            AppJson,
            "name",
            format!("name has {name_len} characters; the limit is {PTE_NAME_MAX}"),
        ));
    }
    let pub_len = m.publisher.chars().count();
    if pub_len > PUBLISHER_MAX {
        out.push(ManifestFinding::new(
            RuleId::PTE0011,
            AppJson,
            "publisher",
            format!("publisher has {pub_len} characters; the limit is {PUBLISHER_MAX}"),
        ));
    }
    if !m.internals_visible_to.is_empty() {
        out.push(ManifestFinding::new(
            RuleId::PTE0012,
            AppJson,
            "internalsVisibleTo",
            "internalsVisibleTo is used; it is not a security boundary",
        ));
    }
    for (i, d) in m.dependencies.iter().enumerate() {
        if is_base_or_system(&d.id.to_string()) {
            out.push(ManifestFinding::new(
                RuleId::PTE0020,
                AppJson,
                format!("dependencies[{i}]"),
                format!(
                    "explicit dependency on {:?}; use the application property instead",
                    d.name
                ),
            ));
        }
    }
    out
}

/// All manifest findings for `scope`, before configuration is applied.
pub fn manifest_findings(
    m: &AppManifest,
    cop: Option<&AppSourceCop>,
    scope: Scope,
) -> Vec<ManifestFinding> {
    let mut out = compiler_range_findings(m);
    match scope {
        Scope::Pte => out.extend(pte_findings(m)),
        s if s == Scope::APPSOURCE => out.extend(appsource_findings(m, cop)),
        _ => {}
    }
    out
}

/// Checks a parsed manifest; diagnostics are at 1:1 of `app.json` /
/// `AppSourceCop.json` with the JSON path in the message. Use
/// [`check_manifest_text`] for positions.
pub fn check_manifest(
    m: &AppManifest,
    cop: Option<&AppSourceCop>,
    scope: Scope,
    config: &RuleConfig,
) -> Vec<Diagnostic> {
    let diags = manifest_findings(m, cop, scope)
        .iter()
        .map(|f| {
            // Without an AppSourceCop.json its findings (AS0054) are placed on
            // app.json, a file that exists, so editors can show them.
            let file = match f.file {
                ManifestFile::AppSourceCop if cop.is_some() => APPSOURCECOP_JSON,
                _ => APP_JSON,
            };
            f.to_diagnostic(file, None)
        })
        .collect();
    config.apply(diags)
}

/// The texts and file labels for [`check_manifest_text`].
#[derive(Debug, Clone, Copy)]
pub struct ManifestSources<'a> {
    /// Label of app.json in diagnostics (e.g. `"app/app.json"`).
    pub app_json_file: &'a str,
    /// app.json text.
    pub app_json: &'a str,
    /// Label of AppSourceCop.json in diagnostics.
    pub cop_file: &'a str,
    /// AppSourceCop.json text, if the project has one.
    pub cop_json: Option<&'a str>,
    /// AL-Go settings that AL-Go's build writes into AppSourceCop.json before compiling
    /// the app (its affixes replace the file's; see [`al_manifest::AlGoSettings`]).
    pub al_go: Option<&'a al_manifest::AlGoSettings>,
}

/// Why [`check_manifest_text`] could not run the checks.
#[derive(Debug, thiserror::Error)]
pub enum ManifestCheckError {
    /// app.json did not parse; al-manifest's diagnostics say where.
    #[error("app.json could not be read: {0:?}")]
    Manifest(ManifestErrors),
    /// AppSourceCop.json did not parse; al-manifest's diagnostics say where.
    #[error("AppSourceCop.json could not be read: {0:?}")]
    Cop(ManifestErrors),
}

/// Parses app.json (with al-manifest) and AppSourceCop.json, runs the checks
/// for `scope`, and places each diagnostic on the offending key.
///
/// ```
/// use scope_rules::{Scope, RuleConfig, checks::manifest::{check_manifest_text, ManifestSources}};
/// let app = "{\n  \"id\": \"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11\",\n  \"name\": \"A\",\n  \"publisher\": \"P\",\n  \"version\": \"1.0.0.0\",\n  \"target\": \"OnPrem\"\n}";
/// let src = ManifestSources { app_json_file: "app.json", app_json: app, cop_file: "AppSourceCop.json", cop_json: None, al_go: None };
/// let d = check_manifest_text(&src, Scope::Pte, &RuleConfig::new()).unwrap();
/// assert_eq!(scope_rules::render_text(&d), "app.json(6,3): error PTE0005: target: target OnPrem is not allowed for per-tenant extensions; use Cloud\n");
/// ```
pub fn check_manifest_text(
    sources: &ManifestSources<'_>,
    scope: Scope,
    config: &RuleConfig,
) -> Result<Vec<Diagnostic>, ManifestCheckError> {
    let m = AppManifest::from_json_str_named(sources.app_json, sources.app_json_file)
        .map_err(ManifestCheckError::Manifest)?;
    let cop = sources
        .cop_json
        .map(|t| AppSourceCop::from_json_str_named(t, sources.cop_file))
        .transpose()
        .map_err(ManifestCheckError::Cop)?;
    let cop = match sources.al_go {
        Some(settings) => settings.applied_to(cop),
        None => cop,
    };
    let app_loc = JsonLocator::new(sources.app_json);
    let cop_loc = sources.cop_json.map(JsonLocator::new);
    let diags = manifest_findings(&m, cop.as_ref(), scope)
        .iter()
        .map(|f| match f.file {
            ManifestFile::AppJson => f.to_diagnostic(sources.app_json_file, Some(&app_loc)),
            ManifestFile::AppSourceCop => match &cop_loc {
                Some(loc) => f.to_diagnostic(sources.cop_file, Some(loc)),
                // No AppSourceCop.json: report on app.json (1,1), which exists.
                None => f.to_diagnostic(sources.app_json_file, None),
            },
        })
        .collect();
    Ok(config.apply(diags))
}

/// AVS0104: runtime packages cannot be submitted to the Marketplace. Returns a
/// diagnostic on `file` when `is_runtime_package` and the target scope is
/// Marketplace.
pub fn check_runtime_package_submission(
    is_runtime_package: bool,
    scope: Scope,
    file: &str,
    config: &RuleConfig,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if is_runtime_package && scope == Scope::APPSOURCE {
        out.push(Diagnostic::new(
            RuleId::AVS0104,
            RuleId::AVS0104.default_severity(),
            file,
            "the package is a runtime package (no AL source); runtime packages are on-prem only and cannot be submitted to the Marketplace",
        ));
    }
    config.apply(out)
}

/// A byte range of app.json as an edit's range (app.json is never 4 GiB; saturates).
fn span32(r: &std::ops::Range<usize>) -> std::ops::Range<u32> {
    let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    at(r.start)..at(r.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11";

    fn manifest(extra: &str) -> AppManifest {
        let text = format!(
            r#"{{"id":"{ID}","name":"Customer Loyalty","publisher":"Contoso","version":"1.0.0.0"{extra}}}"#
        );
        AppManifest::from_json_str(&text).unwrap()
    }

    const GOOD_AS: &str = r#","brief":"b","description":"d","privacyStatement":"https://c.example/p","EULA":"https://c.example/e",
        "help":"https://c.example/h","url":"https://c.example","logo":"logo.png","contextSensitiveHelpUrl":"https://c.example/{0}/",
        "application":"24.0.0.0","idRanges":[{"from":70000000,"to":70000099}],"features":["TranslationFile"],
        "applicationInsightsConnectionString":"InstrumentationKey=x","target":"Cloud""#;

    fn good_cop() -> AppSourceCop {
        AppSourceCop::from_json_str(
            r#"{"mandatoryAffixes":["CLP"],"supportedCountries":["US","DK"]}"#,
        )
        .unwrap()
    }

    fn codes(m: &AppManifest, cop: Option<&AppSourceCop>, scope: Scope) -> Vec<&'static str> {
        manifest_findings(m, cop, scope)
            .into_iter()
            .map(|f| f.code.as_str())
            .collect()
    }

    #[test]
    fn missing_cop_file_is_reported_on_app_json() {
        let app = "{\"id\":\"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11\",\"name\":\"A\",\"publisher\":\"P\",\"version\":\"1.0.0.0\"}";
        let src = ManifestSources {
            app_json_file: "p/app.json",
            app_json: app,
            cop_file: "p/AppSourceCop.json",
            cop_json: None,
            al_go: None,
        };
        let d = check_manifest_text(&src, Scope::APPSOURCE, &RuleConfig::new()).unwrap();
        let as0054 = d.iter().find(|d| d.code == "AS0054").unwrap();
        assert_eq!((as0054.file.as_str(), as0054.line), ("p/app.json", 1));
        let typed = check_manifest(&manifest(""), None, Scope::APPSOURCE, &RuleConfig::new());
        assert!(typed.iter().all(|d| d.file == APP_JSON));
    }

    #[test]
    fn complete_appsource_manifest_passes() {
        assert_eq!(
            codes(&manifest(GOOD_AS), Some(&good_cop()), Scope::APPSOURCE),
            Vec::<&str>::new()
        );
    }

    fn replace(key_value: &str, with: &str) -> AppManifest {
        let extra = GOOD_AS.replace(key_value, with);
        assert_ne!(extra, GOOD_AS, "pattern {key_value} not found");
        manifest(&extra)
    }

    #[test]
    fn each_appsource_rule_fails() {
        let cop = good_cop();
        let cases: &[(&str, &str, &str)] = &[
            (
                r#""idRanges":[{"from":70000000,"to":70000099}],"#,
                "",
                "AS0014",
            ),
            (
                r#""from":70000000,"to":70000099"#,
                r#""from":50100,"to":50149"#,
                "AS0084",
            ),
            (r#""brief":"b","#, "", "AS0051"),
            (r#""logo":"logo.png""#, r#""logo":" ""#, "AS0051"),
            (
                r#""url":"https://c.example""#,
                r#""url":"not a url""#,
                "AS0052",
            ),
            (r#""target":"Cloud""#, r#""target":"OnPrem""#, "AS0053"),
            (r#"["TranslationFile"]"#, r#"["NoImplicitWith"]"#, "AS0015"),
            (r#""application":"24.0.0.0","#, "", "AS0100"),
            (
                r#""applicationInsightsConnectionString":"InstrumentationKey=x","#,
                "",
                "AS0092",
            ),
        ];
        for (from, to, code) in cases {
            let got = codes(&replace(from, to), Some(&cop), Scope::APPSOURCE);
            assert!(got.contains(code), "{code}: {got:?}");
        }
        let long = format!(r#","name":"{}""#, "n".repeat(201));
        let m = AppManifest::from_json_str(&format!(
            r#"{{"id":"{ID}","publisher":"{}","version":"1.0.0.0"{long}{GOOD_AS}}}"#,
            "p".repeat(51)
        ))
        .unwrap();
        let got = codes(&m, Some(&cop), Scope::APPSOURCE);
        assert!(
            got.contains(&"AS0047") && got.contains(&"AS0048"),
            "{got:?}"
        );
    }

    #[test]
    fn cop_rules() {
        let m = manifest(GOOD_AS);
        assert_eq!(codes(&m, None, Scope::APPSOURCE), vec!["AS0054", "AS0055"]);
        let cop =
            AppSourceCop::from_json_str(r#"{"supportedCountries":["US","XX","dk"]}"#).unwrap();
        let f = manifest_findings(&m, Some(&cop), Scope::APPSOURCE);
        assert_eq!(
            f.iter().map(|f| f.code).collect::<Vec<_>>(),
            vec!["AS0054", "AS0056"]
        );
        assert_eq!(f[1].path, "supportedCountries[1]");
    }

    #[test]
    fn identity_changes() {
        let cop = AppSourceCop::from_json_str(
            r#"{"mandatoryAffixes":["CLP"],"supportedCountries":["US"],"name":"Old Name","publisher":"Old Pub"}"#,
        )
        .unwrap();
        let old_runtime = manifest(&format!(r#"{GOOD_AS},"runtime":"7.2""#));
        assert_eq!(
            codes(&old_runtime, Some(&cop), Scope::APPSOURCE),
            vec!["AS0096", "AS0097"]
        );
        let new_runtime = manifest(&format!(r#"{GOOD_AS},"runtime":"8.0""#));
        assert!(codes(&new_runtime, Some(&cop), Scope::APPSOURCE).is_empty());
        assert!(codes(&manifest(GOOD_AS), Some(&cop), Scope::APPSOURCE).is_empty());
    }

    #[test]
    fn dependencies_and_internals() {
        let extra = format!(
            r#"{GOOD_AS},"dependencies":[{{"id":"{BASE_APPLICATION_ID}","name":"Base Application","publisher":"Microsoft","version":"24.0.0.0"}}],
            "internalsVisibleTo":[{{"id":"{ID}","name":"Tests","publisher":"Contoso"}},{{"id":"{ID}","name":"X","publisher":"Other"}}]"#
        );
        let m = manifest(&extra);
        assert_eq!(
            codes(&m, Some(&good_cop()), Scope::APPSOURCE),
            vec!["AS0081", "AS0126", "AS0085"]
        );
        assert_eq!(
            codes(&m, None, Scope::Pte),
            vec!["ALK0007", "PTE0012", "PTE0020"]
        );
    }

    #[test]
    fn pte_rules() {
        let ok = manifest(r#","idRanges":[{"from":50100,"to":50149}],"target":"Cloud""#);
        assert!(codes(&ok, None, Scope::Pte).is_empty());
        let bad = manifest(
            r#","idRange":{"from":50100,"to":50149},"target":"OnPrem","helpBaseUrl":"https://x.example","supportedLocales":["da-DK"]"#,
        );
        assert_eq!(
            codes(&bad, None, Scope::Pte),
            vec!["PTE0005", "PTE0009", "PTE0009"]
        );
        let long = AppManifest::from_json_str(&format!(
            r#"{{"id":"{ID}","name":"{}","publisher":"{}","version":"1.0.0.0"}}"#,
            "n".repeat(51),
            "p".repeat(51)
        ))
        .unwrap();
        assert_eq!(codes(&long, None, Scope::Pte), vec!["PTE0010", "PTE0011"]);
        assert!(codes(&long, None, Scope::Dev).is_empty());
    }

    #[test]
    fn compiler_rules() {
        let m = manifest(
            r#","idRange":{"from":1,"to":2},"idRanges":[{"from":50100,"to":50149},{"from":50140,"to":50160},{"from":9,"to":3}]"#,
        );
        let f = compiler_range_findings(&m);
        let got: Vec<(&str, &str)> = f
            .iter()
            .map(|f| (f.code.as_str(), f.path.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("AL1048", "idRange"),
                ("AL1047", "idRanges[2]"),
                ("AL1046", "idRanges[1]")
            ]
        );
        assert!(
            compiler_range_findings(&manifest(
                r#","idRanges":[{"from":1,"to":2},{"from":3,"to":4}]"#
            ))
            .is_empty()
        );
    }

    #[test]
    fn positions_from_text() {
        let app = "{\n  \"id\": \"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11\",\n  \"name\": \"A\",\n  \"publisher\": \"P\",\n  \"version\": \"1.0.0.0\",\n  \"url\": \"\",\n  \"idRanges\": [\n    { \"from\": 50100, \"to\": 50149 }\n  ]\n}";
        let src = ManifestSources {
            app_json_file: "x/app.json",
            app_json: app,
            cop_file: "x/AppSourceCop.json",
            cop_json: Some("{\n  \"supportedCountries\": [\"QQ\"]\n}"),
            al_go: None,
        };
        let d = check_manifest_text(&src, Scope::APPSOURCE, &RuleConfig::new()).unwrap();
        let url = d
            .iter()
            .find(|d| d.code == "AS0051" && d.message.starts_with("url"))
            .unwrap();
        assert_eq!((url.line, url.column), (6, 3));
        let range = d.iter().find(|d| d.code == "AS0084").unwrap();
        assert_eq!((range.line, range.column), (8, 5));
        let country = d.iter().find(|d| d.code == "AS0056").unwrap();
        assert_eq!(
            (country.file.as_str(), country.line, country.column),
            ("x/AppSourceCop.json", 2, 26)
        );
        let brief = d
            .iter()
            .find(|d| d.code == "AS0051" && d.message.starts_with("brief"))
            .unwrap();
        assert_eq!((brief.line, brief.column), (1, 1));
        let mut cfg = RuleConfig::new();
        cfg.disable("AS0051");
        let d2 = check_manifest_text(&src, Scope::APPSOURCE, &cfg).unwrap();
        assert!(d2.iter().all(|d| d.code != "AS0051"));
        assert!(
            check_manifest_text(
                &ManifestSources {
                    app_json: "{",
                    ..src
                },
                Scope::Pte,
                &RuleConfig::new()
            )
            .is_err()
        );
    }

    fn apply(text: &str, d: &Diagnostic) -> String {
        let e = &d.fix.as_ref().unwrap()[0];
        format!(
            "{}{}{}",
            &text[..e.range.start as usize],
            e.replacement,
            &text[e.range.end as usize..]
        )
    }

    #[test]
    fn fixes() {
        let app = format!(
            r#"{{"id":"{ID}","name":"A","publisher":"P","version":"1.0.0.0","target":"OnPrem","features":["NoImplicitWith"]}}"#
        );
        let src = ManifestSources {
            app_json_file: "app.json",
            app_json: &app,
            cop_file: "AppSourceCop.json",
            cop_json: None,
            al_go: None,
        };
        let d = check_manifest_text(&src, Scope::APPSOURCE, &RuleConfig::new()).unwrap();
        let target = d.iter().find(|d| d.code == "AS0053").unwrap();
        let fixed = apply(&app, target);
        assert!(fixed.contains(r#""target":"Cloud""#), "{fixed}");
        let features = d.iter().find(|d| d.code == "AS0015").unwrap();
        let fixed = apply(&app, features);
        assert!(
            fixed.contains(r#"["TranslationFile", "NoImplicitWith"]"#),
            "{fixed}"
        );
        let m = AppManifest::from_json_str(&fixed).unwrap();
        assert!(m.features.iter().any(|f| f == "TranslationFile"));
        // Missing features array: no fix, placed on the root.
        let app = format!(
            r#"{{"id":"{ID}","name":"A","publisher":"P","version":"1.0.0.0","features":[]}}"#
        );
        let src = ManifestSources {
            app_json: &app,
            ..src
        };
        let d = check_manifest_text(&src, Scope::APPSOURCE, &RuleConfig::new()).unwrap();
        let features = d.iter().find(|d| d.code == "AS0015").unwrap();
        assert!(apply(&app, features).contains(r#""features":["TranslationFile"]"#));
    }

    #[test]
    fn runtime_package_submission() {
        let cfg = RuleConfig::new();
        assert_eq!(
            check_runtime_package_submission(true, Scope::APPSOURCE, "a.app", &cfg).len(),
            1
        );
        assert!(
            check_runtime_package_submission(false, Scope::APPSOURCE, "a.app", &cfg).is_empty()
        );
        assert!(
            check_runtime_package_submission(true, Scope::OnPremGlobal, "a.app", &cfg).is_empty()
        );
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,200}", cop in proptest::option::of("\\PC{0,80}")) {
            let src = ManifestSources {
                app_json_file: "app.json",
                app_json: &text,
                cop_file: "AppSourceCop.json",
                cop_json: cop.as_deref(),
                al_go: None,
            };
            for scope in Scope::ALL {
                let _ = check_manifest_text(&src, scope, &RuleConfig::new());
            }
            let loc = JsonLocator::new(&text);
            let _ = loc.locate("a.b[3].c");
        }
    }

    #[test]
    fn urls_and_countries() {
        assert!(is_valid_url("https://contoso.example/help?x=1"));
        assert!(is_valid_url("HTTP://localhost:8080"));
        assert!(!is_valid_url("contoso.example"));
        assert!(!is_valid_url("https://"));
        assert!(!is_valid_url("https://a b"));
        assert_eq!(ISO_3166_ALPHA2.len(), 249);
        assert!(ISO_3166_ALPHA2.windows(2).all(|w| w[0] < w[1]));
        assert!(is_iso_country("dk") && !is_iso_country("UK") && !is_iso_country("USA"));
    }
}
