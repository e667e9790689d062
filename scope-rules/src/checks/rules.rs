//! The catalog of rules this crate can report: id, short title, default
//! severity and what input the rule needs.
//!
//! Microsoft rule ids (`AL…`, `AS…`, `PTE…`, `AVS…`) keep their meaning; the
//! titles are paraphrases. Rules prefixed `ALK` are alkit's own, for
//! publishing blockers that Microsoft documents but gives no rule id.
//!
//! ```
//! use scope_rules::checks::rules::rule_info;
//! use scope_rules::Severity;
//! let r = rule_info("as0014").unwrap();
//! assert_eq!(r.id, "AS0014");
//! assert_eq!(r.severity, Severity::Error);
//! ```

use crate::checks::diagnostic::Severity;

/// What a rule needs to be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleInput {
    /// app.json and/or AppSourceCop.json alone.
    Manifest,
    /// The app's AL source (objects, members) plus the manifest.
    Source,
    /// An environment description (installed apps).
    Environment,
    /// Package facts (e.g. "is a runtime package").
    Package,
}

/// One rule of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// Rule id, upper case.
    pub id: &'static str,
    /// Short paraphrased title.
    pub title: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// What the rule needs.
    pub input: RuleInput,
}

const fn r(
    id: &'static str,
    title: &'static str,
    severity: Severity,
    input: RuleInput,
) -> RuleInfo {
    RuleInfo {
        id,
        title,
        severity,
        input,
    }
}

use RuleInput::{Environment as E, Manifest as M, Package as P, Source as S};
use Severity::{Error, Hidden, Info, Warning};

/// Every rule this crate reports, sorted by id.
pub const RULES: &[RuleInfo] = &[
    r(
        "AL0264",
        "two objects of the same type share an ID",
        Error,
        S,
    ),
    r(
        "AL0297",
        "object ID outside the app's declared idRanges",
        Error,
        S,
    ),
    r("AL0304", "identifier longer than 120 characters", Error, S),
    r(
        "AL0305",
        "object name too long (30; 20 for assignable permission sets)",
        Error,
        S,
    ),
    r("AL0468", "field name longer than 30 characters", Warning, S),
    r("AL0534", "key name longer than 28 characters", Warning, S),
    r(
        "AL0566",
        "field ID in the reserved system range 2,000,000,000-2,147,483,647",
        Error,
        S,
    ),
    r(
        "AL0659",
        "enum identifier longer than 30 characters",
        Warning,
        S,
    ),
    r("AL1046", "declared ID ranges overlap", Error, M),
    r(
        "AL1047",
        "invalid ID range (from > to or out of bounds)",
        Error,
        M,
    ),
    r("AL1048", "both idRange and idRanges are declared", Error, M),
    r(
        "ALK0001",
        "app id already used by an app of an incompatible scope",
        Error,
        E,
    ),
    r(
        "ALK0002",
        "DEV extension equals a global app's id and version",
        Error,
        E,
    ),
    r(
        "ALK0003",
        "dependency not allowed from this scope",
        Error,
        E,
    ),
    r(
        "ALK0004",
        "runtime package built for a different platform version",
        Error,
        E,
    ),
    r(
        "ALK0005",
        "dependency not installed in the environment",
        Warning,
        E,
    ),
    r(
        "ALK0006",
        "scope cannot be deployed to this kind of environment",
        Error,
        E,
    ),
    r(
        "ALK0007",
        "declared ID range not usable by this scope",
        Error,
        M,
    ),
    r(
        "ALK0008",
        "an installed app of the same id has a higher version (downgrade)",
        Warning,
        E,
    ),
    r(
        "AS0008",
        "namespace System or Microsoft is reserved",
        Error,
        S,
    ),
    r("AS0011", "missing mandatory affix", Error, S),
    r(
        "AS0013",
        "ID outside idRanges or inside 50,000-99,999",
        Error,
        S,
    ),
    r("AS0014", "app.json declares no idRanges", Error, M),
    r("AS0015", "features lacks TranslationFile", Error, M),
    r(
        "AS0016",
        "normal field without DataClassification, or ToBeClassified",
        Error,
        S,
    ),
    r("AS0047", "app name longer than 200 characters", Error, M),
    r("AS0048", "publisher longer than 50 characters", Error, M),
    r(
        "AS0051",
        "manifest property required for Marketplace missing or empty",
        Error,
        M,
    ),
    r("AS0052", "url is not a valid URL", Error, M),
    r(
        "AS0053",
        "target not allowed in SaaS (must be Cloud)",
        Error,
        M,
    ),
    r("AS0054", "AppSourceCop.json declares no affixes", Error, M),
    r(
        "AS0055",
        "AppSourceCop.json lacks supportedCountries",
        Hidden,
        M,
    ),
    r(
        "AS0056",
        "supportedCountries entry is not ISO 3166-1 alpha-2",
        Warning,
        M,
    ),
    r("AS0058", "asserterror outside test codeunits", Error, S),
    r(
        "AS0062",
        "page control or action without ApplicationArea",
        Error,
        S,
    ),
    r("AS0073", "ObsoleteTag missing", Hidden, S),
    r(
        "AS0075",
        "ObsoleteState set without ObsoleteReason",
        Warning,
        S,
    ),
    r(
        "AS0076",
        "ObsoleteTag does not match obsoleteTagPattern",
        Hidden,
        S,
    ),
    r(
        "AS0079",
        "procedure in an extension object lacks the affix",
        Warning,
        S,
    ),
    r(
        "AS0081",
        "internalsVisibleTo is not a security boundary",
        Warning,
        M,
    ),
    r(
        "AS0084",
        "declared ID range outside the AppSource-allowed range",
        Error,
        M,
    ),
    r(
        "AS0085",
        "explicit Base/System Application dependency; use application",
        Warning,
        M,
    ),
    r(
        "AS0092",
        "no Application Insights connection string",
        Warning,
        M,
    ),
    r("AS0094", "permission set defined in XML", Warning, S),
    r(
        "AS0096",
        "app name changed while runtime is below 8.0",
        Error,
        M,
    ),
    r(
        "AS0097",
        "publisher changed while runtime is below 8.0",
        Error,
        M,
    ),
    r(
        "AS0098",
        "affix missing on report-extension members, extension keys or existing enum-extension values",
        Warning,
        S,
    ),
    r(
        "AS0099",
        "enum-extension value or own-table field ID outside the app range",
        Info,
        S,
    ),
    r("AS0100", "application property missing", Error, M),
    r(
        "AS0103",
        "table not granted by any permission set of the app",
        Warning,
        S,
    ),
    r(
        "AS0113",
        "permission set extension uses wildcards",
        Warning,
        S,
    ),
    r(
        "AS0126",
        "internalsVisibleTo names another publisher",
        Warning,
        M,
    ),
    r(
        "AS0127",
        "object not in a namespace of at least two levels",
        Warning,
        S,
    ),
    r(
        "AS0138",
        "table field without a proper AllowInCustomizations",
        Hidden,
        S,
    ),
    r(
        "AVS0103",
        "the same app id occurs twice in one submission",
        Error,
        P,
    ),
    r(
        "AVS0104",
        "runtime packages cannot be submitted to the Marketplace",
        Error,
        P,
    ),
    r(
        "AVS0107",
        "same id and version already published with different content",
        Error,
        E,
    ),
    r(
        "AVS0110",
        "object type and ID already used by an installed app",
        Warning,
        E,
    ),
    r(
        "AVS0111",
        "object type and name already used by an installed app",
        Warning,
        E,
    ),
    r(
        "AVS0112",
        "field or enum value ID already used on the same base object",
        Warning,
        E,
    ),
    r(
        "AVS0113",
        "field or enum value name already used on the same base object",
        Warning,
        E,
    ),
    r("PTE0001", "object ID outside 50,000-99,999", Error, S),
    r("PTE0002", "field ID outside the per-tenant range", Error, S),
    r(
        "PTE0004",
        "table not granted by any permission set of the app",
        Error,
        S,
    ),
    r("PTE0005", "target not allowed in SaaS", Error, M),
    r("PTE0007", "test assertion outside test codeunits", Error, S),
    r(
        "PTE0008",
        "page control or action without ApplicationArea",
        Error,
        S,
    ),
    r(
        "PTE0009",
        "helpBaseUrl/supportedLocales not allowed in a PTE",
        Error,
        M,
    ),
    r("PTE0010", "app name longer than 50 characters", Error, M),
    r("PTE0011", "publisher longer than 50 characters", Error, M),
    r(
        "PTE0012",
        "internalsVisibleTo is not a security boundary",
        Warning,
        M,
    ),
    r(
        "PTE0013",
        "entitlement defined in a per-tenant extension",
        Error,
        S,
    ),
    r("PTE0014", "permission set defined in XML", Warning, S),
    r(
        "PTE0019",
        "permission set extension uses wildcards",
        Warning,
        S,
    ),
    r(
        "PTE0020",
        "explicit Base Application dependency; use application",
        Warning,
        M,
    ),
    r(
        "PTE0021",
        "namespace System or Microsoft is reserved",
        Error,
        S,
    ),
    r(
        "PTE0022",
        "table-extension field ID outside the app ranges or inside the AppSource range",
        Info,
        S,
    ),
    r(
        "PTE0023",
        "enum-extension ordinal outside the allowed range",
        Info,
        S,
    ),
    r(
        "PTE0024",
        "MovedFrom/MovedTo not allowed in a per-tenant extension",
        Error,
        S,
    ),
    r(
        "PTE0026",
        "table field without a proper AllowInCustomizations",
        Hidden,
        S,
    ),
];

/// Looks a rule up by id (case-insensitive).
pub fn rule_info(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Default severity of a rule; `Warning` for ids not in the catalog.
pub fn default_severity(id: &str) -> Severity {
    rule_info(id).map_or(Severity::Warning, |r| r.severity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_sorted_and_unique() {
        for w in RULES.windows(2) {
            assert!(w[0].id < w[1].id, "{} !< {}", w[0].id, w[1].id);
        }
    }

    /// Every rule id a check can emit (a string literal shaped like a rule id
    /// in the crate's sources) is in the catalog, so it gets its documented
    /// default severity instead of the `Warning` fallback.
    #[test]
    fn every_emitted_rule_is_in_the_catalog() {
        let sources = [
            include_str!("../affix.rs"),
            include_str!("deploy.rs"),
            include_str!("../limits.rs"),
            include_str!("manifest.rs"),
            include_str!("../ranges.rs"),
            include_str!("source.rs"),
            include_str!("../move_engine/plan.rs"),
            include_str!("../parsed.rs"),
            include_str!("property_rules.rs"),
        ];
        let mut missing = Vec::new();
        for text in sources {
            // Only the non-test part of each file.
            let text = text.split("#[cfg(test)]").next().unwrap_or(text);
            for (i, _) in text.match_indices('"') {
                let rest = &text[i + 1..];
                let Some(end) = rest.find('"') else { continue };
                let lit = &rest[..end];
                let prefix_len = lit.len().saturating_sub(4);
                let (prefix, digits) = lit.split_at(prefix_len);
                let looks_like_rule = ["AL", "AS", "PTE", "AVS", "ALK"].contains(&prefix)
                    && digits.len() == 4
                    && digits.chars().all(|c| c.is_ascii_digit());
                if looks_like_rule && rule_info(lit).is_none() {
                    missing.push(lit.to_string());
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "not in RULES: {missing:?}");
    }

    #[test]
    fn lookup() {
        assert_eq!(rule_info("pte0001").map(|r| r.id), Some("PTE0001"));
        assert!(rule_info("XX9999").is_none());
        assert_eq!(default_severity("AS0099"), Severity::Info);
        assert_eq!(default_severity("PTE0021"), Severity::Error);
        assert_eq!(default_severity("AS0096"), Severity::Error);
        assert_eq!(default_severity("XX9999"), Severity::Warning);
    }
}
