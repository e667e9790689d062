//! Can the old and the moved app be installed side by side: object IDs and names, and the
//! members both add to a shared base object.

use al_parser::resolve::Workspace;
use al_parser::symbols::{MemberKind, member_keyword};
use serde::Serialize;

use crate::checks::source::ObjectKind;

/// What the old and the moved app would share if installed side by side (scope-rules
/// §2.5: no shared object IDs or names, and no shared field or enum-value IDs or names
/// on a base object both extend).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SideBySide {
    /// Objects whose kind and ID both apps declare (`table 50100`).
    pub shared_ids: Vec<String>,
    /// Objects whose kind, namespace and name both apps declare.
    pub shared_names: Vec<String>,
    /// Fields and enum values both apps add to the same base object (by ID or name).
    pub shared_members: Vec<String>,
}

impl SideBySide {
    /// Whether both apps can be installed side by side.
    pub fn is_clear(&self) -> bool {
        self.shared_ids.is_empty() && self.shared_names.is_empty() && self.shared_members.is_empty()
    }
}

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
/// and name; keys, controls and actions by name).
///
/// ```
/// use al_parser::symbols::{AppInfo, AppSymbols, SourceText};
/// let a = AppSymbols::from_sources(AppInfo::named("A"), vec![SourceText::new("a.al",
///     b"tableextension 50100 Ext extends Customer { fields { field(50100; Points; Integer) { } } }".to_vec())]);
/// let b = AppSymbols::from_sources(AppInfo::named("B"), vec![SourceText::new("b.al",
///     b"tableextension 70000000 \"CLY Ext\" extends Customer { fields { field(70000000; \"CLY Points\"; Integer) { } } }".to_vec())]);
/// assert!(scope_rules::move_engine::side_by_side_symbols(&a, &b).is_clear());
/// assert!(!scope_rules::move_engine::side_by_side_symbols(&a, &a).is_clear());
/// ```
pub fn side_by_side_symbols(
    a: &al_parser::symbols::AppSymbols,
    b: &al_parser::symbols::AppSymbols,
) -> SideBySide {
    use al_parser::symbols::{AppSymbols, name_key};
    use std::collections::BTreeMap;
    // Comparison key (case-insensitive) → text shown (as the old app writes it).
    type Keyed = BTreeMap<String, String>;
    let ids = |x: &AppSymbols| -> Keyed {
        x.objects
            .iter()
            .filter_map(|o| {
                let t = format!("{} {}", ObjectKind::from(o.kind).as_str(), o.id?.0);
                Some((t.clone(), t))
            })
            .collect()
    };
    let names = |x: &AppSymbols| -> Keyed {
        x.objects
            .iter()
            .map(|o| {
                let ns = o
                    .namespace
                    .as_deref()
                    .map(|n| format!("{n}."))
                    .unwrap_or_default();
                let kind = ObjectKind::from(o.kind).as_str();
                (
                    format!("{kind} {}{}", name_key(&ns), name_key(&o.name)),
                    format!("{kind} {ns}{:?}", o.name),
                )
            })
            .collect()
    };
    // Members can only clash on a base object an extension of either app extends.
    fn base_of(o: &al_parser::symbols::ObjectSymbol) -> (String, &str) {
        let base = o.extends.as_deref().unwrap_or(&o.name);
        let base_kind = al_parser::symbols::base_kind(o.kind).unwrap_or(o.kind);
        (
            format!(
                "{} {}",
                ObjectKind::from(base_kind).as_str(),
                al_parser::symbols::name_key(base)
            ),
            base,
        )
    }
    let extended: std::collections::HashSet<String> = a
        .objects
        .iter()
        .chain(&b.objects)
        .filter(|o| o.extends.is_some())
        .map(|o| base_of(o).0)
        .collect();
    // (base object, member kind, id or name) → (text, declared by an extension).
    type Members = BTreeMap<String, (String, bool)>;
    let members = |x: &AppSymbols| -> Members {
        let mut s = Members::new();
        for o in &x.objects {
            let (key, base) = base_of(o);
            if !extended.contains(&key) {
                continue;
            }
            let ext = o.extends.is_some();
            let base_kind = al_parser::symbols::base_kind(o.kind).unwrap_or(o.kind);
            let bk = ObjectKind::from(base_kind).as_str();
            let kind = ObjectKind::from(o.kind).as_str();
            for m in &o.members {
                let by_id = matches!(m.kind, MemberKind::Field | MemberKind::EnumValue);
                let by_name = by_id
                    || matches!(
                        m.kind,
                        MemberKind::Key | MemberKind::Control | MemberKind::Action
                    );
                if !by_name {
                    continue;
                }
                let k = member_keyword(m.kind);
                if by_id && let Some(id) = m.id {
                    s.insert(
                        format!("{bk} {} {k} {id}", name_key(base)),
                        (format!("{kind} of {base:?}: {k} {id}"), ext),
                    );
                }
                s.insert(
                    format!("{bk} {} {k} {}", name_key(base), name_key(&m.name)),
                    (format!("{kind} of {base:?}: {k} {:?}", m.name), ext),
                );
            }
        }
        s
    };
    let shared = |x: Keyed, y: Keyed| -> Vec<String> {
        x.into_iter()
            .filter(|(k, _)| y.contains_key(k))
            .map(|(_, v)| v)
            .collect()
    };
    let (ma, mb) = (members(a), members(b));
    let shared_members = ma
        .iter()
        .filter(|(k, (_, ext_a))| mb.get(*k).is_some_and(|(_, ext_b)| *ext_a || *ext_b))
        .map(|(_, (t, _))| t.clone())
        .collect();
    SideBySide {
        shared_ids: shared(ids(a), ids(b)),
        shared_names: shared(names(a), names(b)),
        shared_members,
    }
}
