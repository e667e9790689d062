//! The catalog of rules this crate can report: id, short title, default
//! severity and what input the rule needs.
//!
//! Microsoft rule ids (`AL…`, `AS…`, `PTE…`, `AVS…`) keep their meaning; the
//! titles are paraphrases. Rules prefixed `ALK` are alkit's own, for
//! publishing blockers that Microsoft documents but gives no rule id.
//!
//! Each rule is written once, in the `rule_catalog!` table at the end of this
//! module; the [`RuleId`] enum (one variant a rule), [`RULES`],
//! [`RuleId::as_str`], [`RuleId::info`], `Display`, `FromStr` and serde are
//! generated from that table. Checks name the rule they report by its
//! variant, so an id that is not in the catalog does not compile; a `&str`
//! is parsed into a [`RuleId`] only where an id comes from the user
//! (`--disable`, a ruleset file).
//!
//! The variants are spelled exactly like the ids Microsoft's tools print
//! (`RuleId::AS0013`, not `As0013`): the code then reads like the output, the
//! docs and the AppSourceCop index, and a search for an id finds both the
//! check that reports it and the place it is documented.
//!
//! ```
//! use scope_rules::checks::rules::{RuleId, RuleInput};
//! use scope_rules::Severity;
//! let id: RuleId = "as0014".parse().unwrap();
//! assert_eq!(id, RuleId::AS0014);
//! assert_eq!(id.to_string(), "AS0014");
//! assert_eq!(id.default_severity(), Severity::Error);
//! assert_eq!(id.info().input, RuleInput::Manifest);
//! assert!("XX9999".parse::<RuleId>().is_err());
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::checks::diagnostic::Severity;

/// What a rule needs to be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleInput {
    /// app.json and/or AppSourceCop.json alone.
    Manifest,
    /// The app's AL source (objects, members) plus the manifest.
    Source,
    /// The AL source plus the dependencies' symbols (`--symbols`, `.alpackages`): without
    /// them the rule is not checked (or only partly) and `ALK0010` says so.
    Dependencies,
    /// An environment description (installed apps).
    Environment,
    /// Package facts (e.g. "is a runtime package").
    Package,
}

/// Who defines a rule, from its id's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleFamily {
    /// `AL…`: the AL compiler.
    Compiler,
    /// `AS…`: AppSourceCop (Marketplace apps).
    AppSourceCop,
    /// `PTE…`: PerTenantExtensionCop.
    PerTenantCop,
    /// `AVS…`: Marketplace submission validation.
    SubmissionValidation,
    /// `ALK…`: alkit's own publishing blockers.
    Alkit,
}

/// One rule of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// Rule id.
    pub id: RuleId,
    /// Short paraphrased title.
    pub title: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// What the rule needs.
    pub input: RuleInput,
    /// The Microsoft docs page that defines the rule, as `scope-rules.md` cites it
    /// (`appsourcecop-as0059.md` under `dev-itpro/developer/analyzers/`), where the catalog
    /// row names it.
    pub doc: Option<&'static str>,
}

/// `Some(page)` for a row that names its docs page, `None` otherwise.
macro_rules! rule_doc {
    () => {
        None
    };
    ($doc:literal) => {
        Some($doc)
    };
}

/// Generates [`RuleId`], [`RULES`] and [`RuleId::as_str`] from one table of
/// `ID: Severity, RuleInput, "title"[, "docs page"];` rows, sorted by id. The variants'
/// discriminants are their indexes in [`RULES`] (same order), which
/// [`RuleId::info`] relies on.
macro_rules! rule_catalog {
    ($($id:ident: $severity:ident, $input:ident, $title:literal $(, $doc:literal)?;)*) => {
        /// A rule id of the catalog, e.g. [`RuleId::AS0013`]; written and parsed as the id
        /// text (`"AS0013"`, parsing ignores case), serialized as that string.
        ///
        /// `Ord` is the order of the ids' text: the catalog is sorted.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $(
                #[doc = concat!(
                    "`", stringify!($id), "` (", stringify!($severity), "): ", $title, "."
                )]
                $id,
            )*
        }

        /// Every rule this crate reports, sorted by id; `RULES[id as usize].id == id`.
        pub const RULES: &[RuleInfo] = &[
            $(
                RuleInfo {
                    id: RuleId::$id,
                    title: $title,
                    severity: Severity::$severity,
                    input: RuleInput::$input,
                    doc: rule_doc!($($doc)?),
                },
            )*
        ];

        impl RuleId {
            /// The id as text, upper case, e.g. `"AS0013"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$id => stringify!($id),)*
                }
            }
        }
    };
}

impl RuleId {
    /// The rule's catalog entry.
    pub const fn info(self) -> &'static RuleInfo {
        &RULES[self as usize]
    }

    /// The rule's default severity.
    pub const fn default_severity(self) -> Severity {
        self.info().severity
    }

    /// The rule's short title.
    pub const fn title(self) -> &'static str {
        self.info().title
    }

    /// Who defines the rule (the id's prefix).
    pub fn family(self) -> RuleFamily {
        let id = self.as_str();
        if id.starts_with("ALK") {
            RuleFamily::Alkit
        } else if id.starts_with("AL") {
            RuleFamily::Compiler
        } else if id.starts_with("AS") {
            RuleFamily::AppSourceCop
        } else if id.starts_with("PTE") {
            RuleFamily::PerTenantCop
        } else {
            RuleFamily::SubmissionValidation
        }
    }

    /// Every rule id, in catalog (id) order.
    pub fn all() -> impl ExactSizeIterator<Item = RuleId> {
        RULES.iter().map(|r| r.id)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A rule id that is not in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule id {0:?}")]
pub struct UnknownRule(pub String);

impl FromStr for RuleId {
    type Err = UnknownRule;

    /// Parses an id, ignoring case and surrounding whitespace.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let id = s.trim();
        RuleId::all()
            .find(|r| r.as_str().eq_ignore_ascii_case(id))
            .ok_or_else(|| UnknownRule(s.to_string()))
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<RuleId> for str {
    fn eq(&self, other: &RuleId) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<RuleId> for &str {
    fn eq(&self, other: &RuleId) -> bool {
        *self == other.as_str()
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

rule_catalog! {
    AL0264:  Error,   Source,      "two objects of the same type share an ID";
    AL0297:  Error,   Source,      "object ID outside the app's declared idRanges";
    AL0304:  Error,   Source,      "identifier longer than 120 characters";
    AL0305:  Error,   Source,      "object name too long (30; 20 for assignable permission sets)";
    AL0468:  Warning, Source,      "field name longer than 30 characters";
    AL0534:  Warning, Source,      "key name longer than 28 characters";
    AL0566:  Error,   Source,      "field ID in the reserved system range 2,000,000,000-2,147,483,647";
    AL0659:  Warning, Source,      "enum identifier longer than 30 characters";
    AL1046:  Error,   Manifest,    "declared ID ranges overlap";
    AL1047:  Error,   Manifest,    "invalid ID range (from > to or out of bounds)";
    AL1048:  Error,   Manifest,    "both idRange and idRanges are declared";
    ALK0001: Error,   Environment, "app id already used by an app of an incompatible scope";
    ALK0002: Error,   Environment, "DEV extension equals a global app's id and version";
    ALK0003: Error,   Environment, "dependency not allowed from this scope";
    ALK0004: Error,   Environment, "runtime package built for a different platform version";
    ALK0005: Warning, Environment, "dependency not installed in the environment";
    ALK0006: Error,   Environment, "scope cannot be deployed to this kind of environment";
    ALK0007: Error,   Manifest,    "declared ID range not usable by this scope";
    ALK0008: Warning, Environment, "an installed app of the same id has a higher version (downgrade)";
    ALK0009: Info,    Source,      "ownership-dependent affix rules not checked: no symbols for the extended objects";
    ALK0010: Info,    Dependencies, "rules needing dependency symbols not (fully) checked: no symbols for some dependencies";
    AS0008:  Error,   Source,      "namespace System or Microsoft is reserved";
    AS0011:  Error,   Source,      "missing mandatory affix";
    AS0013:  Error,   Source,      "ID outside idRanges or inside 50,000-99,999";
    AS0014:  Error,   Manifest,    "app.json declares no idRanges";
    AS0015:  Error,   Manifest,    "features lacks TranslationFile";
    AS0016:  Error,   Source,      "normal field without DataClassification, or ToBeClassified";
    AS0047:  Error,   Manifest,    "app name longer than 200 characters";
    AS0048:  Error,   Manifest,    "publisher longer than 50 characters";
    AS0051:  Error,   Manifest,    "manifest property required for Marketplace missing or empty";
    AS0052:  Error,   Manifest,    "url is not a valid URL";
    AS0053:  Error,   Manifest,    "target not allowed in SaaS (must be Cloud)";
    AS0054:  Error,   Manifest,    "AppSourceCop.json declares no affixes";
    AS0055:  Hidden,  Manifest,    "AppSourceCop.json lacks supportedCountries";
    AS0056:  Warning, Manifest,    "supportedCountries entry is not ISO 3166-1 alpha-2";
    AS0058:  Error,   Source,      "asserterror outside test codeunits";
    AS0059:  Error,   Dependencies, "write to a reserved system table (ID 2,000,000,000 and up) through a non-temporary record", "appsourcecop-as0059.md";
    AS0061:  Error,   Source,      "subscribing to CompanyOpen events", "appsourcecop-as0061.md";
    AS0062:  Error,   Source,      "page control or action without ApplicationArea";
    AS0073:  Hidden,  Source,      "ObsoleteTag missing";
    AS0075:  Warning, Source,      "ObsoleteState set without ObsoleteReason";
    AS0076:  Hidden,  Source,      "ObsoleteTag does not match obsoleteTagPattern";
    AS0079:  Warning, Source,      "procedure in an extension object lacks the affix";
    AS0081:  Warning, Manifest,    "internalsVisibleTo is not a security boundary";
    AS0084:  Error,   Manifest,    "declared ID range outside the AppSource-allowed range";
    AS0085:  Warning, Manifest,    "explicit Base/System Application dependency; use application";
    AS0092:  Warning, Manifest,    "no Application Insights connection string";
    AS0094:  Warning, Source,      "permission set defined in XML";
    AS0096:  Error,   Manifest,    "app name changed while runtime is below 8.0";
    AS0097:  Error,   Manifest,    "publisher changed while runtime is below 8.0";
    AS0098:  Warning, Source,      "affix missing on report-extension members, extension keys or existing enum-extension values";
    AS0099:  Info,    Source,      "enum-extension value or own-table field ID outside the app range";
    AS0100:  Error,   Manifest,    "application property missing";
    AS0103:  Warning, Source,      "table not granted by any permission set of the app";
    AS0105:  Error,   Dependencies, "reference to a pending-obsolete symbol whose ObsoleteTag is below obsoleteTagMinAllowedMajorMinor", "appsourcecop-as0105.md";
    AS0110:  Warning, Source,      "permission set extension grants another app's objects", "appsourcecop-as0110.md";
    AS0111:  Warning, Source,      "permission set extension includes another app's permission set", "appsourcecop-as0111.md";
    AS0112:  Warning, Source,      "permission set extension includes a set that grants another app's objects", "appsourcecop-as0112.md";
    AS0113:  Warning, Source,      "permission set extension uses wildcards";
    AS0116:  Warning, Dependencies, "source app of a moved symbol (MovedFrom) not found (checked when AppSourceCop.json sets sourceMovedObjectsPackagesCachePath)", "appsourcecop-as0116.md";
    AS0119:  Error,   Dependencies, "the source symbol's MovedTo does not name the destination app", "appsourcecop-as0119.md";
    AS0120:  Error,   Dependencies, "the destination symbol's MovedFrom does not name the source app", "appsourcecop-as0120.md";
    AS0121:  Error,   Dependencies, "moved symbol renamed", "appsourcecop-as0121.md";
    AS0122:  Warning, Dependencies, "moved symbol not found in the source app's symbols (sourceMovedObjectsPackagesCachePath, --symbols or .alpackages)", "appsourcecop-as0122.md";
    AS0126:  Warning, Manifest,    "internalsVisibleTo names another publisher";
    AS0127:  Warning, Source,      "object not in a namespace of at least two levels";
    AS0130:  Warning, Dependencies, "object name already used by an object of the same type (a dependency's, or the app's in another namespace)", "appsourcecop-as0130.md";
    AS0138:  Hidden,  Source,      "table field without a proper AllowInCustomizations";
    AS0141:  Error,   Dependencies, "table that another app says moved here (MovedTo) lacks MovedFrom", "appsourcecop-as0141.md";
    AS0142:  Error,   Dependencies, "table with the ID of another app's table lacks MovedFrom", "appsourcecop-as0142.md";
    AVS0103: Error,   Package,     "the same app id occurs twice in one submission";
    AVS0104: Error,   Package,     "runtime packages cannot be submitted to the Marketplace";
    AVS0107: Error,   Environment, "same id and version already published with different content";
    AVS0110: Warning, Environment, "object type and ID already used by an installed app";
    AVS0111: Warning, Environment, "object type and name already used by an installed app";
    AVS0112: Warning, Environment, "field or enum value ID already used on the same base object";
    AVS0113: Warning, Environment, "field or enum value name already used on the same base object";
    PTE0001: Error,   Source,      "object ID outside 50,000-99,999";
    PTE0002: Error,   Source,      "field ID outside the per-tenant range";
    PTE0003: Error,   Source,      "CompanyOpen subscriber", "pertenantextensioncop-pte0003.md";
    PTE0004: Error,   Source,      "table not granted by any permission set of the app";
    PTE0005: Error,   Manifest,    "target not allowed in SaaS";
    PTE0006: Error,   Source,      "encryption key function called (CreateEncryptionKey, DeleteEncryptionKey, ExportEncryptionKey, ImportEncryptionKey)", "pertenantextensioncop-pte0006.md";
    PTE0007: Error,   Source,      "test assertion outside test codeunits";
    PTE0008: Error,   Source,      "page control or action without ApplicationArea";
    PTE0009: Error,   Manifest,    "helpBaseUrl/supportedLocales not allowed in a PTE";
    PTE0010: Error,   Manifest,    "app name longer than 50 characters";
    PTE0011: Error,   Manifest,    "publisher longer than 50 characters";
    PTE0012: Warning, Manifest,    "internalsVisibleTo is not a security boundary";
    PTE0013: Error,   Source,      "entitlement defined in a per-tenant extension";
    PTE0014: Warning, Source,      "permission set defined in XML";
    PTE0016: Warning, Source,      "permission set extension grants another app's objects", "pertenantextensioncop-pte0016.md";
    PTE0017: Warning, Source,      "permission set extension includes another app's permission set", "pertenantextensioncop-pte0017.md";
    PTE0018: Warning, Source,      "permission set extension includes a set that grants another app's objects", "pertenantextensioncop-pte0018.md";
    PTE0019: Warning, Source,      "permission set extension uses wildcards";
    PTE0020: Warning, Manifest,    "explicit Base Application dependency; use application";
    PTE0021: Error,   Source,      "namespace System or Microsoft is reserved";
    PTE0022: Info,    Source,      "table-extension field ID outside the app ranges or inside the AppSource range";
    PTE0023: Info,    Source,      "enum-extension ordinal outside the allowed range";
    PTE0024: Error,   Source,      "MovedFrom/MovedTo not allowed in a per-tenant extension";
    PTE0025: Warning, Dependencies, "object name already used by an object of the same type (a dependency's, or the app's in another namespace)", "pertenantextensioncop-pte0025.md";
    PTE0026: Hidden,  Source,      "table field without a proper AllowInCustomizations";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_sorted_and_unique() {
        for w in RULES.windows(2) {
            assert!(
                w[0].id.as_str() < w[1].id.as_str(),
                "{} !< {}",
                w[0].id,
                w[1].id
            );
            assert!(w[0].id < w[1].id, "Ord follows the text");
        }
    }

    #[test]
    fn every_id_is_its_own_entry() {
        assert_eq!(RuleId::all().len(), RULES.len());
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.id as usize, i);
            assert_eq!(r.id.info(), r);
            assert_eq!(r.id.to_string(), r.id.as_str());
            assert_eq!(r.id.as_str().parse::<RuleId>(), Ok(r.id));
            assert_eq!(r.id.as_str().to_lowercase().parse::<RuleId>(), Ok(r.id));
            let json = serde_json::to_string(&r.id).unwrap();
            assert_eq!(json, format!("\"{}\"", r.id.as_str()));
            assert_eq!(serde_json::from_str::<RuleId>(&json).unwrap(), r.id);
        }
    }

    /// A docs page, where a row names one, is the rule's own analyzer page.
    #[test]
    fn doc_pages_name_their_rule() {
        for r in RULES {
            let Some(doc) = r.doc else { continue };
            let id = r.id.as_str().to_ascii_lowercase();
            let page = match r.id.family() {
                RuleFamily::AppSourceCop => format!("appsourcecop-{id}.md"),
                RuleFamily::PerTenantCop => format!("pertenantextensioncop-{id}.md"),
                _ => panic!("{}: no docs page pattern", r.id),
            };
            assert_eq!(doc, page, "{}", r.id);
        }
        assert_eq!(RuleId::AS0059.info().input, RuleInput::Dependencies);
        assert_eq!(RuleId::AS0059.info().doc, Some("appsourcecop-as0059.md"));
    }

    #[test]
    fn lookup() {
        assert_eq!(
            "pte0001".parse::<RuleId>().map(|r| r.info().id),
            Ok(RuleId::PTE0001)
        );
        assert_eq!(
            "XX9999".parse::<RuleId>(),
            Err(UnknownRule("XX9999".to_string()))
        );
        assert_eq!(RuleId::AS0099.default_severity(), Severity::Info);
        assert_eq!(RuleId::PTE0021.default_severity(), Severity::Error);
        assert_eq!(RuleId::AS0096.default_severity(), Severity::Error);
        assert_eq!(RuleId::AS0055.default_severity(), Severity::Hidden);
        assert_eq!(RuleId::ALK0005.default_severity(), Severity::Warning);
        assert_eq!(RuleId::AS0013, "AS0013");
        assert_ne!(RuleId::AS0013, "as0013");
        assert!(serde_json::from_str::<RuleId>("\"XX9999\"").is_err());
        assert_eq!(format!("[{:<7}]", RuleId::AS0013), "[AS0013 ]");
    }

    #[test]
    fn families() {
        assert_eq!(RuleId::AL0264.family(), RuleFamily::Compiler);
        assert_eq!(RuleId::ALK0001.family(), RuleFamily::Alkit);
        assert_eq!(RuleId::AS0013.family(), RuleFamily::AppSourceCop);
        assert_eq!(RuleId::PTE0001.family(), RuleFamily::PerTenantCop);
        assert_eq!(RuleId::AVS0110.family(), RuleFamily::SubmissionValidation);
        for id in RuleId::all() {
            // The prefix is the id without its four digits.
            let prefix = &id.as_str()[..id.as_str().len() - 4];
            let family = match prefix {
                "AL" => RuleFamily::Compiler,
                "AS" => RuleFamily::AppSourceCop,
                "PTE" => RuleFamily::PerTenantCop,
                "AVS" => RuleFamily::SubmissionValidation,
                "ALK" => RuleFamily::Alkit,
                _ => panic!("{id}: unknown prefix"),
            };
            assert_eq!(id.family(), family, "{id}");
        }
    }
}
