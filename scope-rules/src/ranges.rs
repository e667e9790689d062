//! Object and member ID ranges as data, and the per-scope rules that decide
//! whether an ID is allowed (scope-rules.md §2).
//!
//! The licence table ([`RANGE_TABLE`]) is kept apart from an app's declared
//! `idRanges`. [`classify`] combines both for one ID and returns the rules
//! that would fire.
//!
//! Uncertain bound: the exact range AS0084 accepts is not documented. Its
//! page accepts 1,000,000–1,000,100 and rejects 50,100–50,149; this crate
//! **infers** that it accepts the RSP plus App ranges,
//! 1,000,000–74,999,999 ([`APPSOURCE_ALLOWED`]).
//!
//! ```
//! use scope_rules::ranges::{classify, IdRange, IdKind, RangeClass};
//! use scope_rules::Scope;
//!
//! assert_eq!(RangeClass::of(50_100), RangeClass::PerTenant);
//! let declared = [IdRange::new(70_000_000, 70_000_099)];
//! let v = classify(Scope::APPSOURCE, IdKind::Object, 70_000_005, &declared);
//! assert!(v.is_ok());
//! let v = classify(Scope::APPSOURCE, IdKind::TableExtensionField, 50_005, &declared);
//! assert_eq!(v.rule_ids(), vec!["AS0013"]);
//! ```

use serde::{Deserialize, Serialize};

use crate::checks::diagnostic::Severity;
use crate::checks::rules::RuleId;
use crate::scope::{GlobalKind, Scope};

/// An inclusive range of IDs, as in app.json `idRanges`: the shared
/// [`al_manifest::IdRange`] (`from`, `to`, `contains`, `overlaps`, `is_valid`).
pub use al_manifest::IdRange;

/// Whether `inner` lies entirely inside `outer`.
///
/// ```
/// use scope_rules::ranges::{is_within, IdRange, PER_TENANT};
/// assert!(is_within(&IdRange::new(50_100, 50_149), &PER_TENANT));
/// assert!(!is_within(&IdRange::new(49_999, 50_149), &PER_TENANT));
/// ```
pub const fn is_within(inner: &IdRange, outer: &IdRange) -> bool {
    outer.from <= inner.from && inner.to <= outer.to
}

/// Base application objects: 0–49,999.
pub const BASE_APP: IdRange = IdRange::new(0, 49_999);
/// Per-tenant extensions (and test/training/sandbox use): 50,000–99,999.
pub const PER_TENANT: IdRange = IdRange::new(50_000, 99_999);
/// Microsoft localization objects: 100,000–999,999.
pub const LOCALIZATION: IdRange = IdRange::new(100_000, 999_999);
/// Registered Solution Program range: 1,000,000–69,999,999.
pub const RSP: IdRange = IdRange::new(1_000_000, 69_999_999);
/// The "App object range" for Marketplace apps: 70,000,000–74,999,999.
pub const APPSOURCE_APP: IdRange = IdRange::new(70_000_000, 74_999_999);
/// IDs no licence table assigns: 75,000,000–1,999,999,999.
pub const UNASSIGNED: IdRange = IdRange::new(75_000_000, 1_999_999_999);
/// System objects and reserved system fields: 2,000,000,000–2,147,483,647.
pub const SYSTEM: IdRange = IdRange::new(2_000_000_000, i32::MAX as u32);
/// The range AS0084 accepts for declared `idRanges` (**inferred**: RSP plus App
/// ranges; the exact bound is not documented).
pub const APPSOURCE_ALLOWED: IdRange = IdRange::new(1_000_000, 74_999_999);

/// The named licence ranges an ID can fall into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RangeClass {
    /// 0–49,999.
    BaseApp,
    /// 50,000–99,999.
    PerTenant,
    /// 100,000–999,999.
    Localization,
    /// 1,000,000–69,999,999.
    Rsp,
    /// 70,000,000–74,999,999.
    AppSourceApp,
    /// 75,000,000–1,999,999,999.
    Unassigned,
    /// 2,000,000,000 and up (up to `i32::MAX`).
    System,
    /// Above `i32::MAX`: not a valid AL integer.
    OutOfBounds,
}

/// One row of the licence range table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownRange {
    /// The class.
    pub class: RangeClass,
    /// The IDs.
    pub range: IdRange,
    /// Who owns it.
    pub description: &'static str,
}

/// The licence range table (scope-rules.md §2.1), in ascending order, covering
/// 0..=i32::MAX without gaps.
pub const RANGE_TABLE: &[KnownRange] = &[
    KnownRange {
        class: RangeClass::BaseApp,
        range: BASE_APP,
        description: "Business Central base application",
    },
    KnownRange {
        class: RangeClass::PerTenant,
        range: PER_TENANT,
        description: "per-tenant extensions; test, training, sandbox",
    },
    KnownRange {
        class: RangeClass::Localization,
        range: LOCALIZATION,
        description: "Microsoft localizations",
    },
    KnownRange {
        class: RangeClass::Rsp,
        range: RSP,
        description: "Registered Solution Program",
    },
    KnownRange {
        class: RangeClass::AppSourceApp,
        range: APPSOURCE_APP,
        description: "App object range (Marketplace apps)",
    },
    KnownRange {
        class: RangeClass::Unassigned,
        range: UNASSIGNED,
        description: "not assigned by the licence table",
    },
    KnownRange {
        class: RangeClass::System,
        range: SYSTEM,
        description: "system objects and reserved system fields",
    },
];

impl RangeClass {
    /// The class of `id` per [`RANGE_TABLE`].
    pub fn of(id: u32) -> RangeClass {
        RANGE_TABLE
            .iter()
            .find(|k| k.range.contains(id))
            .map_or(RangeClass::OutOfBounds, |k| k.class)
    }
}

/// What an ID numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdKind {
    /// An application object with an ID (table, page, codeunit, …, extensions).
    Object,
    /// A field of a table the app itself declares.
    OwnTableField,
    /// A field added by a table extension.
    TableExtensionField,
    /// A value of an enum the app itself declares.
    OwnEnumValue,
    /// A value added by an enum extension.
    EnumExtensionValue,
}

/// One rule that fires for an ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeFinding {
    /// The rule id.
    pub rule: RuleId,
    /// Its default severity.
    pub severity: Severity,
    /// Why it fires.
    pub reason: String,
}

/// The result of [`classify`]: the licence class and every rule that fires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeVerdict {
    /// Where the ID falls in the licence table.
    pub class: RangeClass,
    /// Rules that fire; empty means the ID is fine.
    pub findings: Vec<RangeFinding>,
}

impl RangeVerdict {
    /// Whether no rule fires.
    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }

    /// The ids of the rules that fire, in order.
    pub fn rule_ids(&self) -> Vec<RuleId> {
        self.findings.iter().map(|f| f.rule).collect()
    }
}

fn in_any(ranges: &[IdRange], id: u32) -> bool {
    ranges.iter().any(|r| r.contains(id))
}

fn finding(rule: RuleId, reason: String) -> RangeFinding {
    RangeFinding {
        rule,
        severity: rule.default_severity(),
        reason,
    }
}

fn describe(declared: &[IdRange]) -> String {
    if declared.is_empty() {
        "no declared idRanges".to_string()
    } else {
        let parts: Vec<String> = declared.iter().map(ToString::to_string).collect();
        format!("declared idRanges {}", parts.join(", "))
    }
}

/// Decides which rules fire for ID `id` of kind `kind` in an app of `scope`
/// with the declared ranges `declared` (scope-rules.md §2.4).
///
/// Rules applied:
/// - objects, every scope: outside `declared` → AL0297 (skipped when nothing
///   is declared). Marketplace: inside 50,000–99,999 → AS0013. PTE: outside
///   50,000–99,999 → PTE0001.
/// - fields, every scope: inside 2,000,000,000–2,147,483,647 → AL0566.
/// - table-extension fields: Marketplace: outside `declared` or inside
///   50,000–99,999 → AS0013. PTE: outside 50,000–99,999 → PTE0002; outside
///   `declared` or inside the AppSource range → PTE0022.
/// - own-table fields: Marketplace: outside 0–49,999 and outside `declared` →
///   AS0099. PTE: outside 0–99,999 → PTE0002.
/// - own-enum values: Marketplace: outside 0–49,999 and outside `declared`
///   → AS0013 (**uncertain**: the docs only say own enums may use 0–49,999).
/// - enum-extension values: Marketplace: outside `declared` → AS0099. PTE:
///   outside `declared` (or outside 50,000–99,999 when nothing is declared)
///   or inside the AppSource range → PTE0023.
///
/// DEV, Microsoft/Embed global and on-prem scopes only get the compiler rules
/// (AL0297, AL0566).
pub fn classify(scope: Scope, kind: IdKind, id: u32, declared: &[IdRange]) -> RangeVerdict {
    let class = RangeClass::of(id);
    let mut findings = Vec::new();
    let in_declared = in_any(declared, id);
    let marketplace = scope == Scope::Global(GlobalKind::Marketplace);
    let pte = scope == Scope::Pte;
    match kind {
        IdKind::Object => {
            if !declared.is_empty() && !in_declared {
                findings.push(finding(
                    RuleId::AL0297,
                    format!("object ID {id} is outside the {}", describe(declared)),
                ));
            }
            if marketplace && PER_TENANT.contains(id) {
                findings.push(finding(
                    RuleId::AS0013,
                    format!("object ID {id} lies in the per-tenant range 50000..99999"),
                ));
            }
            if pte && !PER_TENANT.contains(id) {
                findings.push(finding(
                    RuleId::PTE0001,
                    format!("object ID {id} is outside the per-tenant range 50000..99999"),
                ));
            }
        }
        IdKind::OwnTableField | IdKind::TableExtensionField if SYSTEM.contains(id) => {
            findings.push(finding(
                RuleId::AL0566,
                format!("field ID {id} lies in the reserved system field range"),
            ));
        }
        IdKind::TableExtensionField => {
            if marketplace && (!in_declared || PER_TENANT.contains(id)) {
                let why = if PER_TENANT.contains(id) {
                    "lies in the per-tenant range 50000..99999".to_string()
                } else {
                    format!("is outside the {}", describe(declared))
                };
                findings.push(finding(
                    RuleId::AS0013,
                    format!("table-extension field ID {id} {why}"),
                ));
            }
            if pte {
                if !PER_TENANT.contains(id) {
                    findings.push(finding(
                        RuleId::PTE0002,
                        format!("table-extension field ID {id} is outside the per-tenant range 50000..99999"),
                    ));
                }
                if !in_declared || APPSOURCE_APP.contains(id) {
                    findings.push(finding(
                        RuleId::PTE0022,
                        format!(
                            "table-extension field ID {id} is outside the {} or inside the AppSource range",
                            describe(declared)
                        ),
                    ));
                }
            }
        }
        IdKind::OwnTableField => {
            if marketplace && !BASE_APP.contains(id) && !in_declared {
                findings.push(finding(
                    RuleId::AS0099,
                    format!(
                        "field ID {id} is outside 0..49999 and the {}",
                        describe(declared)
                    ),
                ));
            }
            if pte && !BASE_APP.contains(id) && !PER_TENANT.contains(id) {
                findings.push(finding(
                    RuleId::PTE0002,
                    format!(
                        "field ID {id} is outside 0..49999 and the per-tenant range 50000..99999"
                    ),
                ));
            }
        }
        IdKind::OwnEnumValue => {
            if marketplace && !BASE_APP.contains(id) && !in_declared {
                findings.push(finding(
                    RuleId::AS0013,
                    format!(
                        "enum value {id} is outside 0..49999 and the {}",
                        describe(declared)
                    ),
                ));
            }
        }
        IdKind::EnumExtensionValue => {
            if marketplace && !in_declared {
                findings.push(finding(
                    RuleId::AS0099,
                    format!(
                        "enum-extension value {id} is outside the {}",
                        describe(declared)
                    ),
                ));
            }
            if pte {
                let allowed = if declared.is_empty() {
                    PER_TENANT.contains(id)
                } else {
                    in_declared
                };
                if !allowed || APPSOURCE_APP.contains(id) {
                    findings.push(finding(
                        RuleId::PTE0023,
                        format!(
                            "enum-extension value {id} is outside the {} or inside the AppSource range",
                            describe(declared)
                        ),
                    ));
                }
            }
        }
    }
    RangeVerdict { class, findings }
}

/// Whether a declared range is acceptable for `scope`: PTE ranges must lie in
/// 50,000–99,999; Marketplace ranges in [`APPSOURCE_ALLOWED`] (inferred bound).
/// Other scopes accept any valid range below the system range.
pub fn declared_range_allowed(scope: Scope, range: &IdRange) -> bool {
    if !range.is_valid() {
        return false;
    }
    match scope {
        Scope::Pte => is_within(range, &PER_TENANT),
        Scope::Global(GlobalKind::Marketplace) => is_within(range, &APPSOURCE_ALLOWED),
        _ => range.to < SYSTEM.from,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table_is_contiguous() {
        assert_eq!(RANGE_TABLE[0].range.from, 0);
        for w in RANGE_TABLE.windows(2) {
            assert_eq!(w[0].range.to + 1, w[1].range.from);
        }
        assert_eq!(RANGE_TABLE.last().unwrap().range.to, i32::MAX as u32);
        assert_eq!(RangeClass::of(u32::MAX), RangeClass::OutOfBounds);
    }

    #[test]
    fn boundaries() {
        assert_eq!(RangeClass::of(49_999), RangeClass::BaseApp);
        assert_eq!(RangeClass::of(50_000), RangeClass::PerTenant);
        assert_eq!(RangeClass::of(99_999), RangeClass::PerTenant);
        assert_eq!(RangeClass::of(100_000), RangeClass::Localization);
        assert_eq!(RangeClass::of(1_000_000), RangeClass::Rsp);
        assert_eq!(RangeClass::of(70_000_000), RangeClass::AppSourceApp);
        assert_eq!(RangeClass::of(74_999_999), RangeClass::AppSourceApp);
        assert_eq!(RangeClass::of(75_000_000), RangeClass::Unassigned);
        assert_eq!(RangeClass::of(2_000_000_000), RangeClass::System);
    }

    const PTE_DECL: [IdRange; 1] = [IdRange::new(50_100, 50_149)];
    const AS_DECL: [IdRange; 1] = [IdRange::new(70_000_000, 70_000_099)];

    #[test]
    fn objects() {
        assert!(classify(Scope::Pte, IdKind::Object, 50_100, &PTE_DECL).is_ok());
        assert_eq!(
            classify(Scope::Pte, IdKind::Object, 50_150, &PTE_DECL).rule_ids(),
            vec!["AL0297"]
        );
        assert_eq!(
            classify(Scope::Pte, IdKind::Object, 70_000_001, &AS_DECL).rule_ids(),
            vec!["PTE0001"]
        );
        assert_eq!(
            classify(Scope::APPSOURCE, IdKind::Object, 50_100, &PTE_DECL).rule_ids(),
            vec!["AS0013"]
        );
        assert!(classify(Scope::Dev, IdKind::Object, 5, &[]).is_ok());
    }

    #[test]
    fn table_extension_fields() {
        assert!(
            classify(
                Scope::APPSOURCE,
                IdKind::TableExtensionField,
                70_000_001,
                &AS_DECL
            )
            .is_ok()
        );
        assert_eq!(
            classify(
                Scope::APPSOURCE,
                IdKind::TableExtensionField,
                71_000_000,
                &AS_DECL
            )
            .rule_ids(),
            vec!["AS0013"]
        );
        assert!(classify(Scope::Pte, IdKind::TableExtensionField, 50_101, &PTE_DECL).is_ok());
        assert_eq!(
            classify(Scope::Pte, IdKind::TableExtensionField, 50_200, &PTE_DECL).rule_ids(),
            vec!["PTE0022"]
        );
        assert_eq!(
            classify(Scope::Pte, IdKind::TableExtensionField, 10, &PTE_DECL).rule_ids(),
            vec!["PTE0002", "PTE0022"]
        );
        assert_eq!(
            classify(Scope::Dev, IdKind::TableExtensionField, 2_000_000_001, &[]).rule_ids(),
            vec!["AL0566"]
        );
    }

    #[test]
    fn own_fields_and_enums() {
        assert!(classify(Scope::APPSOURCE, IdKind::OwnTableField, 10, &AS_DECL).is_ok());
        assert_eq!(
            classify(Scope::APPSOURCE, IdKind::OwnTableField, 60_000, &AS_DECL).rule_ids(),
            vec!["AS0099"]
        );
        assert!(classify(Scope::Pte, IdKind::OwnTableField, 60_000, &PTE_DECL).is_ok());
        assert_eq!(
            classify(Scope::Pte, IdKind::OwnTableField, 200_000, &PTE_DECL).rule_ids(),
            vec!["PTE0002"]
        );
        assert!(classify(Scope::APPSOURCE, IdKind::OwnEnumValue, 0, &AS_DECL).is_ok());
        assert_eq!(
            classify(Scope::APPSOURCE, IdKind::OwnEnumValue, 50_000, &AS_DECL).rule_ids(),
            vec!["AS0013"]
        );
        assert!(
            classify(
                Scope::APPSOURCE,
                IdKind::EnumExtensionValue,
                70_000_050,
                &AS_DECL
            )
            .is_ok()
        );
        assert_eq!(
            classify(Scope::APPSOURCE, IdKind::EnumExtensionValue, 5, &AS_DECL).rule_ids(),
            vec!["AS0099"]
        );
        assert!(classify(Scope::Pte, IdKind::EnumExtensionValue, 50_120, &PTE_DECL).is_ok());
        assert!(classify(Scope::Pte, IdKind::EnumExtensionValue, 50_120, &[]).is_ok());
        assert_eq!(
            classify(Scope::Pte, IdKind::EnumExtensionValue, 70_000_001, &[]).rule_ids(),
            vec!["PTE0023"]
        );
    }

    #[test]
    fn declared_ranges() {
        assert!(declared_range_allowed(
            Scope::Pte,
            &IdRange::new(50_000, 99_999)
        ));
        assert!(!declared_range_allowed(
            Scope::Pte,
            &IdRange::new(50_000, 100_000)
        ));
        assert!(declared_range_allowed(
            Scope::APPSOURCE,
            &IdRange::new(1_000_000, 1_000_100)
        ));
        assert!(!declared_range_allowed(
            Scope::APPSOURCE,
            &IdRange::new(50_100, 50_149)
        ));
        assert!(!declared_range_allowed(Scope::Dev, &IdRange::new(10, 5)));
    }

    proptest! {
        #[test]
        fn class_matches_table(id in any::<u32>()) {
            let class = RangeClass::of(id);
            let rows: Vec<_> = RANGE_TABLE.iter().filter(|k| k.range.contains(id)).collect();
            prop_assert!(rows.len() <= 1);
            match rows.first() {
                Some(k) => prop_assert_eq!(k.class, class),
                None => prop_assert_eq!(class, RangeClass::OutOfBounds),
            }
        }

        #[test]
        fn pte_objects_follow_the_pte_range(id in 0u32..200_000) {
            let v = classify(Scope::Pte, IdKind::Object, id, &[]);
            prop_assert_eq!(v.is_ok(), RangeClass::of(id) == RangeClass::PerTenant);
        }

        #[test]
        fn objects_in_declared_range_never_fire_al0297(from in 0u32..1_000_000, len in 0u32..1000, off in 0u32..1000) {
            let r = IdRange::new(from, from + len);
            let id = from + off.min(len);
            let v = classify(Scope::Dev, IdKind::Object, id, &[r]);
            prop_assert!(v.is_ok());
            let outside = from + len + 1 + off;
            let v = classify(Scope::Dev, IdKind::Object, outside, &[r]);
            prop_assert_eq!(v.rule_ids(), vec!["AL0297"]);
        }

        #[test]
        fn appsource_tableext_fields_never_in_pte_range(id in 50_000u32..=99_999) {
            let wide = [IdRange::new(0, 100_000_000)];
            let v = classify(Scope::APPSOURCE, IdKind::TableExtensionField, id, &wide);
            prop_assert_eq!(v.rule_ids(), vec!["AS0013"]);
        }
    }
}
