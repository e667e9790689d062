//! Name-length limits per kind of name, with the rule that enforces them
//! (al-language.md §1.4, scope-rules.md §3). Lengths count characters (Unicode
//! scalar values), after surrounding quotes are stripped. The affix counts.
//!
//! ```
//! use scope_rules::limits::{check_name_length, NameKind};
//! assert!(check_name_length(NameKind::Object, "Customer Loyalty Setup").is_none());
//! let v = check_name_length(NameKind::Key, "A key name that is far too long").unwrap();
//! assert_eq!(v.limit.rule, "AL0534");
//! assert_eq!(v.limit.max, 28);
//! ```

use crate::affix::strip_quotes;
use crate::checks::diagnostic::Severity;
use crate::checks::rules::RuleId;

/// What kind of name is limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// An application object name, including extension objects (table, page,
    /// codeunit, report, query, xmlport, tableextension, pageextension,
    /// reportextension, permissionset without `Assignable = true`, …).
    Object,
    /// A permission set with `Assignable = true`.
    AssignablePermissionSet,
    /// An enum or enumextension object name, or an enum value name.
    EnumIdentifier,
    /// A table field name.
    Field,
    /// A key name.
    Key,
    /// Any other identifier (variables, procedures, controls, …).
    Identifier,
}

/// A limit as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameLimit {
    /// The kind of name.
    pub kind: NameKind,
    /// Maximum number of characters.
    pub max: usize,
    /// Rule that fires above it.
    pub rule: RuleId,
    /// Default severity of that rule (from the catalog).
    pub severity: Severity,
}

/// The limits table.
///
/// Notes: AL0468 and AL0534 are warnings announced as future errors. Enum,
/// enumextension, interface, controladdin, entitlement and
/// permissionsetextension names longer than 30 exist in Microsoft's own code,
/// so AL0305 is not applied to them: enums get AL0659 (warning; whether it
/// targets the object name, the value names or both is **uncertain**, both
/// are checked), the others only AL0304.
pub const LIMITS: &[NameLimit] = &[
    NameLimit {
        kind: NameKind::Object,
        max: 30,
        rule: RuleId::AL0305,
        severity: RuleId::AL0305.default_severity(),
    },
    NameLimit {
        kind: NameKind::AssignablePermissionSet,
        max: 20,
        rule: RuleId::AL0305,
        severity: RuleId::AL0305.default_severity(),
    },
    NameLimit {
        kind: NameKind::EnumIdentifier,
        max: 30,
        rule: RuleId::AL0659,
        severity: RuleId::AL0659.default_severity(),
    },
    NameLimit {
        kind: NameKind::Field,
        max: 30,
        rule: RuleId::AL0468,
        severity: RuleId::AL0468.default_severity(),
    },
    NameLimit {
        kind: NameKind::Key,
        max: 28,
        rule: RuleId::AL0534,
        severity: RuleId::AL0534.default_severity(),
    },
    NameLimit {
        kind: NameKind::Identifier,
        max: 120,
        rule: RuleId::AL0304,
        severity: RuleId::AL0304.default_severity(),
    },
];

/// The any-identifier limit (AL0304).
pub const IDENTIFIER_MAX: usize = 120;

/// The limit for a kind.
pub fn limit_for(kind: NameKind) -> NameLimit {
    LIMITS
        .iter()
        .copied()
        .find(|l| l.kind == kind)
        .unwrap_or(NameLimit {
            kind,
            max: IDENTIFIER_MAX,
            rule: RuleId::AL0304,
            severity: RuleId::AL0304.default_severity(),
        })
}

/// A name that exceeds its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LengthViolation {
    /// The limit exceeded.
    pub limit: NameLimit,
    /// The name's length in characters.
    pub length: usize,
}

/// The number of characters of a name as AL counts it (quotes stripped).
pub fn name_length(name: &str) -> usize {
    strip_quotes(name).chars().count()
}

/// Checks a name against its kind's limit, then against the 120-character
/// identifier limit; returns the first violated one.
pub fn check_name_length(kind: NameKind, name: &str) -> Option<LengthViolation> {
    let length = name_length(name);
    let own = limit_for(kind);
    if length > own.max {
        return Some(LengthViolation { limit: own, length });
    }
    let any = limit_for(NameKind::Identifier);
    (length > any.max).then_some(LengthViolation { limit: any, length })
}

/// The name-length class of an object of `kind` (`assignable`: a permission set that can
/// be assigned to users).
///
/// ```
/// use scope_rules::checks::source::ObjectKind;
/// use scope_rules::limits::{NameKind, object_name_kind};
/// assert_eq!(object_name_kind(ObjectKind::Enum, false), NameKind::EnumIdentifier);
/// assert_eq!(object_name_kind(ObjectKind::Table, false), NameKind::Object);
/// ```
pub const fn object_name_kind(
    kind: crate::checks::source::ObjectKind,
    assignable: bool,
) -> NameKind {
    use crate::checks::source::ObjectKind;
    match kind {
        ObjectKind::PermissionSet if assignable => NameKind::AssignablePermissionSet,
        ObjectKind::Enum | ObjectKind::EnumExtension => NameKind::EnumIdentifier,
        ObjectKind::Interface
        | ObjectKind::ControlAddIn
        | ObjectKind::Entitlement
        | ObjectKind::PermissionSetExtension
        | ObjectKind::DotNet => NameKind::Identifier,
        _ => NameKind::Object,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_limit_has_a_failing_and_passing_case() {
        for l in LIMITS {
            let ok = "a".repeat(l.max);
            let bad = "a".repeat(l.max + 1);
            assert!(check_name_length(l.kind, &ok).is_none(), "{:?}", l.kind);
            let v = check_name_length(l.kind, &bad).unwrap();
            assert_eq!(v.limit.rule, l.rule);
            assert_eq!(v.length, l.max + 1);
        }
    }

    #[test]
    fn quotes_do_not_count_and_chars_not_bytes() {
        let q = format!("\"{}\"", "é".repeat(30));
        assert!(check_name_length(NameKind::Object, &q).is_none());
        assert_eq!(name_length(&q), 30);
    }

    #[test]
    fn assignable_permission_sets_are_shorter() {
        assert!(check_name_length(NameKind::AssignablePermissionSet, &"x".repeat(21)).is_some());
        assert!(check_name_length(NameKind::Object, &"x".repeat(21)).is_none());
    }
}
