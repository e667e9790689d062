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
    SideBySide::between(&SideBySideApp::from(a), &SideBySideApp::from(b))
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
}
