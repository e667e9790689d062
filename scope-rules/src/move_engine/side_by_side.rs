//! Can the old and the moved app be installed side by side: the side-by-side rules of
//! [`crate::checks::side_by_side`] over the two apps' symbols.

use al_parser::resolve::Workspace;
use al_parser::symbols::AppSymbols;

pub use crate::checks::side_by_side::SideBySide;
use crate::checks::side_by_side::SideBySideApp;

/// Compares source app `app` of `before` (the old app) with the same app of `after`
/// (the moved one) for side-by-side installation.
pub fn side_by_side(before: &Workspace, after: &Workspace, app: u32) -> SideBySide {
    match (
        before.index.apps.get(app as usize),
        after.index.apps.get(app as usize),
    ) {
        (Some(a), Some(b)) => side_by_side_symbols(a, b),
        _ => SideBySide::default(),
    }
}

/// What two apps would share if installed together: object type + ID (AVS0110), object
/// type + name (AVS0111), and member IDs (AVS0112) and names (AVS0113) on a base object
/// one app extends and the other declares or extends too (fields and enum values by ID
/// and name; keys, controls and actions by name). See
/// [`crate::checks::side_by_side::clashes`].
pub fn side_by_side_symbols(a: &AppSymbols, b: &AppSymbols) -> SideBySide {
    let (a, b) = SideBySideApp::pair_of_symbols(a, b);
    SideBySide::between(&a, &b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use al_parser::symbols::{AppInfo, SourceText};

    #[test]
    fn renamed_and_renumbered_extensions_can_be_installed_together() {
        let a = AppSymbols::from_sources(AppInfo::named("A"), vec![SourceText::new("a.al",
            b"tableextension 50100 Ext extends Customer { fields { field(50100; Points; Integer) { } } }".to_vec())]);
        let b = AppSymbols::from_sources(AppInfo::named("B"), vec![SourceText::new("b.al",
            b"tableextension 70000000 \"CLY Ext\" extends Customer { fields { field(70000000; \"CLY Points\"; Integer) { } } }".to_vec())]);
        assert!(side_by_side_symbols(&a, &b).is_clear());
        assert!(!side_by_side_symbols(&a, &a).is_clear());
    }

    /// (kind, name, extended name, members as (id, name)).
    type GenObject = (u8, u8, u8, Vec<(u8, u8)>);

    fn app(name: &str, objects: &[GenObject]) -> AppSymbols {
        const NAMES: [&str; 3] = ["Customer", "Item", "customer"];
        let mut text = String::new();
        for (i, (kind, n, target, members)) in objects.iter().enumerate() {
            let id = 50100 + i;
            let base = NAMES[usize::from(*n) % 3];
            let target = NAMES[usize::from(*target) % 3];
            let fields: String = members
                .iter()
                .map(|(mid, mname)| {
                    format!(
                        "field({}; \"{}\"; Integer) {{ }}\n",
                        1 + mid,
                        NAMES[usize::from(*mname) % 3]
                    )
                })
                .collect();
            let values: String = members
                .iter()
                .map(|(mid, mname)| {
                    format!(
                        "value({}; \"{}\") {{ }}\n",
                        mid,
                        NAMES[usize::from(*mname) % 3]
                    )
                })
                .collect();
            text.push_str(&match kind % 4 {
                0 => format!("table {id} \"{base}\" {{ fields {{ {fields} }} }}\n"),
                1 => format!("tableextension {id} \"X{id}\" extends \"{target}\" {{ fields {{ {fields} }} }}\n"),
                2 => format!("enum {id} \"{base}\" {{ {values} }}\n"),
                _ => format!("enumextension {id} \"Y{id}\" extends \"{target}\" {{ {values} }}\n"),
            });
        }
        AppSymbols::from_sources(
            AppInfo::named(name),
            vec![SourceText::new("a.al", text.into_bytes())],
        )
    }

    proptest::proptest! {
        /// Converting only the members that can clash finds what converting both apps
        /// whole finds.
        #[test]
        fn the_pair_conversion_finds_every_clash(
            a in proptest::collection::vec((0u8..4, 0u8..3, 0u8..3, proptest::collection::vec((0u8..3, 0u8..3), 0..3)), 0..5),
            b in proptest::collection::vec((0u8..4, 0u8..3, 0u8..3, proptest::collection::vec((0u8..3, 0u8..3), 0..3)), 0..5),
        ) {
            let (a, b) = (app("A", &a), app("B", &b));
            let whole = SideBySide::between(&SideBySideApp::from(&a), &SideBySideApp::from(&b));
            proptest::prop_assert_eq!(side_by_side_symbols(&a, &b), whole);
        }
    }
}
