//! Mandatory affixes (AppSourceCop.json `mandatoryAffixes` ∪ `mandatoryPrefix`
//! ∪ `mandatorySuffix`) and where they are required (scope-rules.md §3).
//!
//! Matching is case-insensitive, at the start **or** the end of the name,
//! after surrounding double quotes are stripped. Whether AppSourceCop itself
//! ignores case is undocumented (**uncertain**); ignoring it is the safe
//! choice.
//!
//! ```
//! use scope_rules::affix::{Affixes, AffixPosition, add_affix};
//! let a = Affixes::from_cop(&["ABC".to_string()], None, Some("XYZ"));
//! assert!(a.has_affix("\"abc Customer Card\""));
//! assert!(a.has_affix("CustomerCardXyz"));
//! assert!(!a.has_affix("Customer Card"));
//! assert_eq!(add_affix("Customer Card", "ABC", AffixPosition::Prefix), "ABC Customer Card");
//! assert_eq!(add_affix("CustomerCard", "ABC", AffixPosition::Suffix), "CustomerCardABC");
//! ```

use crate::checks::rules::RuleId;

/// Whether an affix goes before or after the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AffixPosition {
    /// At the start.
    Prefix,
    /// At the end.
    Suffix,
}

/// The set of affixes an app may use (deduplicated case-insensitively, empty
/// strings dropped, order of first appearance kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Affixes {
    list: Vec<String>,
}

/// Removes one pair of surrounding double quotes, if present.
pub fn strip_quotes(name: &str) -> &str {
    let t = name.trim();
    t.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(t)
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    let mut sc = s.chars().flat_map(char::to_lowercase);
    prefix
        .chars()
        .flat_map(char::to_lowercase)
        .all(|p| sc.next() == Some(p))
}

fn ends_with_ci(s: &str, suffix: &str) -> bool {
    let mut sc = s.chars().rev().flat_map(char::to_lowercase);
    suffix
        .chars()
        .rev()
        .flat_map(char::to_lowercase)
        .all(|p| sc.next() == Some(p))
}

/// Whether `name` (quotes stripped) starts or ends with `affix`, ignoring case.
/// An empty affix never matches.
pub fn name_has_affix(name: &str, affix: &str) -> bool {
    affix_position(name, affix).is_some()
}

/// Where `affix` sits on `name` (prefix is preferred when both match).
pub fn affix_position(name: &str, affix: &str) -> Option<AffixPosition> {
    let affix = affix.trim();
    if affix.is_empty() {
        return None;
    }
    let bare = strip_quotes(name);
    if starts_with_ci(bare, affix) {
        Some(AffixPosition::Prefix)
    } else if ends_with_ci(bare, affix) {
        Some(AffixPosition::Suffix)
    } else {
        None
    }
}

impl Affixes {
    /// Builds the set from any list of strings.
    pub fn new<I, S>(affixes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut list: Vec<String> = Vec::new();
        for a in affixes {
            let a = a.as_ref().trim();
            if !a.is_empty() && !list.iter().any(|x| x.to_lowercase() == a.to_lowercase()) {
                list.push(a.to_string());
            }
        }
        Affixes { list }
    }

    /// Builds the set from AppSourceCop.json's three settings.
    pub fn from_cop(
        mandatory_affixes: &[String],
        mandatory_prefix: Option<&str>,
        mandatory_suffix: Option<&str>,
    ) -> Self {
        Affixes::new(
            mandatory_affixes
                .iter()
                .map(String::as_str)
                .chain(mandatory_prefix)
                .chain(mandatory_suffix),
        )
    }

    /// The affixes, in order of first appearance.
    pub fn as_slice(&self) -> &[String] {
        &self.list
    }

    /// Whether no affix is configured.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Whether `name` starts or ends with any configured affix (case-insensitive,
    /// quotes stripped).
    pub fn has_affix(&self, name: &str) -> bool {
        self.matching(name).is_some()
    }

    /// The first configured affix the name carries, and where.
    pub fn matching(&self, name: &str) -> Option<(&str, AffixPosition)> {
        self.list
            .iter()
            .find_map(|a| affix_position(name, a).map(|p| (a.as_str(), p)))
    }

    /// The affix to add when renaming: the first configured one.
    pub fn primary(&self) -> Option<&str> {
        self.list.first().map(String::as_str)
    }
}

/// The separator [`add_affix`] uses for `name`: a space when the bare name
/// contains whitespace, none otherwise.
pub fn separator_for(name: &str) -> &'static str {
    if strip_quotes(name).chars().any(char::is_whitespace) {
        " "
    } else {
        ""
    }
}

/// Adds `affix` to `name` (quotes stripped; the result is unquoted). If the name
/// already carries the affix at either end it is returned unchanged (unquoted).
/// The separator is a space when the name contains whitespace, none otherwise.
pub fn add_affix(name: &str, affix: &str, position: AffixPosition) -> String {
    let bare = strip_quotes(name);
    if name_has_affix(bare, affix) || affix.trim().is_empty() {
        return bare.to_string();
    }
    let sep = separator_for(bare);
    let affix = affix.trim();
    match position {
        AffixPosition::Prefix => format!("{affix}{sep}{bare}"),
        AffixPosition::Suffix => format!("{bare}{sep}{affix}"),
    }
}

/// Whether a namespace (`A.B`, quotes allowed per part) has at least two levels,
/// which AS0127 asks for and which the docs accept in place of an object affix.
pub fn namespace_has_two_levels(namespace: Option<&str>) -> bool {
    namespace.is_some_and(|ns| {
        ns.split('.')
            .filter(|p| !strip_quotes(p).is_empty())
            .count()
            >= 2
    })
}

/// What is being named, for deciding which affix rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AffixTarget {
    /// A new object of the app (table, page, codeunit, …).
    NewObject,
    /// An extension object (tableextension, pageextension, …).
    ExtensionObject,
    /// A field added by a table extension.
    TableExtensionField,
    /// A key added by a table extension.
    TableExtensionKey,
    /// A control added by a page extension.
    PageExtensionControl,
    /// An action added by a page extension.
    PageExtensionAction,
    /// A value added by an enum extension; `in_baseline` when the previous
    /// version already had it.
    EnumExtensionValue {
        /// Whether the value exists in the baseline.
        in_baseline: bool,
    },
    /// A dataitem added by a report extension.
    ReportExtensionDataItem,
    /// A column added by a report extension.
    ReportExtensionColumn,
    /// A label added by a report extension.
    ReportExtensionLabel,
    /// A control or action added to the request page by a report extension.
    ReportExtensionRequestPageMember,
    /// A procedure declared in an extension object.
    ExtensionProcedure,
    /// A member of an object the app itself declares.
    OwnObjectMember,
}

/// The rule that requires an affix on `target`, or `None` when no affix is
/// required.
///
/// `extends_other_publisher` says whether the extended object belongs to
/// another publisher (members added to same-publisher objects need none).
/// `in_two_level_namespace` applies to objects only: the namespace replaces
/// the affix (AS0127 is reported separately).
///
/// ```
/// use scope_rules::affix::{affix_rule, AffixTarget};
/// use scope_rules::checks::rules::RuleId;
/// assert_eq!(affix_rule(AffixTarget::NewObject, false, false), Some(RuleId::AS0011));
/// assert_eq!(affix_rule(AffixTarget::NewObject, false, true), None);
/// assert_eq!(affix_rule(AffixTarget::TableExtensionField, true, false), Some(RuleId::AS0011));
/// assert_eq!(affix_rule(AffixTarget::TableExtensionField, false, false), None);
/// assert_eq!(affix_rule(AffixTarget::ExtensionProcedure, true, false), Some(RuleId::AS0079));
/// ```
pub fn affix_rule(
    target: AffixTarget,
    extends_other_publisher: bool,
    in_two_level_namespace: bool,
) -> Option<RuleId> {
    match target {
        AffixTarget::NewObject | AffixTarget::ExtensionObject => {
            (!in_two_level_namespace).then_some(RuleId::AS0011)
        }
        AffixTarget::OwnObjectMember => None,
        _ if !extends_other_publisher => None,
        AffixTarget::TableExtensionField
        | AffixTarget::PageExtensionControl
        | AffixTarget::PageExtensionAction
        | AffixTarget::EnumExtensionValue { in_baseline: false } => Some(RuleId::AS0011),
        AffixTarget::EnumExtensionValue { in_baseline: true }
        | AffixTarget::TableExtensionKey
        | AffixTarget::ReportExtensionDataItem
        | AffixTarget::ReportExtensionColumn
        | AffixTarget::ReportExtensionLabel
        | AffixTarget::ReportExtensionRequestPageMember => Some(RuleId::AS0098),
        AffixTarget::ExtensionProcedure => Some(RuleId::AS0079),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dedup_and_union() {
        let a = Affixes::from_cop(
            &["ABC".into(), "abc".into(), "".into()],
            Some("XYZ"),
            Some("abc"),
        );
        assert_eq!(a.as_slice(), &["ABC".to_string(), "XYZ".to_string()]);
        assert_eq!(a.primary(), Some("ABC"));
        assert!(Affixes::new(Vec::<String>::new()).is_empty());
    }

    #[test]
    fn matching_positions() {
        let a = Affixes::new(["fab-rentals"]);
        assert_eq!(
            a.matching("FAB-Rentals Setup"),
            Some(("fab-rentals", AffixPosition::Prefix))
        );
        assert_eq!(
            a.matching("Setup FAB-RENTALS"),
            Some(("fab-rentals", AffixPosition::Suffix))
        );
        assert_eq!(a.matching("Setup"), None);
        assert!(!name_has_affix("anything", ""));
    }

    #[test]
    fn add_affix_is_idempotent() {
        let once = add_affix("\"My Table\"", "ABC", AffixPosition::Suffix);
        assert_eq!(once, "My Table ABC");
        assert_eq!(add_affix(&once, "abc", AffixPosition::Prefix), once);
    }

    #[test]
    fn namespaces() {
        assert!(namespace_has_two_levels(Some("Contoso.Loyalty")));
        assert!(!namespace_has_two_levels(Some("Contoso")));
        assert!(!namespace_has_two_levels(None));
    }

    #[test]
    fn rule_table() {
        assert_eq!(
            affix_rule(AffixTarget::ExtensionObject, true, false),
            Some(RuleId::AS0011)
        );
        assert_eq!(affix_rule(AffixTarget::OwnObjectMember, true, false), None);
        assert_eq!(
            affix_rule(AffixTarget::TableExtensionKey, true, false),
            Some(RuleId::AS0098)
        );
        assert_eq!(
            affix_rule(
                AffixTarget::EnumExtensionValue { in_baseline: false },
                true,
                false
            ),
            Some(RuleId::AS0011)
        );
        assert_eq!(
            affix_rule(
                AffixTarget::EnumExtensionValue { in_baseline: true },
                true,
                false
            ),
            Some(RuleId::AS0098)
        );
        assert_eq!(
            affix_rule(AffixTarget::ReportExtensionColumn, false, false),
            None
        );
    }

    proptest! {
        #[test]
        fn case_insensitive(name in "[A-Za-z ]{0,20}", affix in "[A-Za-z]{1,5}") {
            let a = Affixes::new([affix.clone()]);
            let n = format!("{affix}{name}");
            prop_assert!(a.has_affix(&n));
            prop_assert!(a.has_affix(&n.to_uppercase()));
            prop_assert!(a.has_affix(&n.to_lowercase()));
            prop_assert!(Affixes::new([affix.to_uppercase()]).has_affix(&n));
        }

        #[test]
        fn symmetric_in_position(name in "[A-Za-z0-9 ]{0,20}", affix in "[A-Za-z]{1,5}") {
            let a = Affixes::new([affix.clone()]);
            let pre = format!("{affix}{name}");
            let suf = format!("{name}{affix}");
            prop_assert_eq!(a.has_affix(&pre), a.has_affix(&suf));
            prop_assert!(a.has_affix(&pre));
            let reversed_name: String = pre.chars().rev().collect();
            let reversed_affix: String = affix.chars().rev().collect();
            prop_assert!(Affixes::new([reversed_affix]).has_affix(&reversed_name));
        }

        #[test]
        fn add_then_has(name in "[A-Za-z][A-Za-z0-9 ]{0,20}", affix in "[A-Za-z]{3}", pre in any::<bool>()) {
            let pos = if pre { AffixPosition::Prefix } else { AffixPosition::Suffix };
            let out = add_affix(&name, &affix, pos);
            prop_assert!(name_has_affix(&out, &affix));
        }
    }
}
