//! Property: a move plan applied to its own output leaves nothing to do for
//! app.json. The parts that can be applied today (new id, version, idRanges)
//! are written with `al_manifest::AppJsonDocument`; re-planning the edited
//! app.json (as an app of the target scope, and with the scope inferred from
//! its ranges where ranges tell scopes apart) must report no identity or
//! range step.

use al_manifest::{AppJsonDocument, AppVersion, Uuid};
use proptest::prelude::*;
use scope_rules::affix::{AffixPosition, Affixes};
use scope_rules::move_engine::{
    CurrentApp, MovePlan, MoveRequest, Requirement, default_target_ranges, infer_scope, move_rules,
    plan_move,
};
use scope_rules::{IdRange, ObjectDecl, ObjectKind, Scope};

const MOVES: [(Scope, Scope); 6] = [
    (Scope::Pte, Scope::APPSOURCE),
    (Scope::Dev, Scope::APPSOURCE),
    (Scope::APPSOURCE, Scope::Dev),
    (Scope::Pte, Scope::Dev),
    (Scope::Dev, Scope::Pte),
    (Scope::APPSOURCE, Scope::Pte),
];

/// A range of at least 100 IDs inside `lo..=hi`.
fn range_in(lo: u32, hi: u32) -> impl Strategy<Value = IdRange> {
    (lo..=hi - 100, 100u32..=1000)
        .prop_map(move |(from, len)| IdRange::new(from, from.saturating_add(len).min(hi)))
}

/// Current ranges typical of the source scope.
fn source_ranges(from: Scope) -> BoxedStrategy<Vec<IdRange>> {
    match from {
        Scope::Pte => prop::collection::vec(range_in(50_000, 99_999), 1..2).boxed(),
        Scope::Dev => prop_oneof![
            Just(Vec::new()),
            prop::collection::vec(range_in(1, 49_999), 1..2),
            prop::collection::vec(range_in(50_000, 99_999), 1..2),
        ]
        .boxed(),
        _ => prop::collection::vec(range_in(70_000_000, 74_999_999), 1..2).boxed(),
    }
}

fn app_json(id: Uuid, version: AppVersion, ranges: &[IdRange]) -> String {
    let ranges: Vec<String> = ranges
        .iter()
        .map(|r| format!("{{ \"from\": {}, \"to\": {} }}", r.from, r.to))
        .collect();
    format!(
        "{{\n  \"id\": \"{id}\",\n  \"name\": \"Customer Loyalty\",\n  \"publisher\": \"Contoso\",\n  \"version\": \"{version}\",\n  \"idRanges\": [ {} ],\n  \"target\": \"Cloud\"\n}}\n",
        ranges.join(", ")
    )
}

fn objects(ids: &[u32]) -> Vec<ObjectDecl> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            ObjectDecl::new(
                ObjectKind::Codeunit,
                Some(*id),
                format!("Loyalty Worker {i}"),
                "w.al",
            )
        })
        .collect()
}

fn plan(
    from: Scope,
    to: Scope,
    objects: &[ObjectDecl],
    target: Vec<IdRange>,
    doc: &AppJsonDocument,
    new_id: Uuid,
) -> MovePlan {
    let m = doc.manifest();
    plan_move(&MoveRequest {
        from,
        to,
        objects,
        target_ranges: target,
        affix: Some("CLP".into()),
        affix_position: AffixPosition::Prefix,
        old_affixes: Affixes::default(),
        new_id: (move_rules(from, to).new_id != Requirement::No).then(|| new_id.to_string()),
        current: CurrentApp {
            id: Some(m.id.to_string()),
            version: Some(m.version),
            ranges: m.id_ranges(),
        },
        side_by_side: false,
    })
    .expect("plan")
}

fn app_json_steps(p: &MovePlan) -> Vec<String> {
    p.steps
        .iter()
        .filter(|s| s.kind.is_app_json())
        .map(|s| s.text.clone())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn applied_plan_leaves_no_app_json_steps(
        (which, current) in (0usize..6).prop_flat_map(|w| (Just(w), source_ranges(MOVES[w].0))),
        ranges_seed in any::<u64>(),
        (major, minor) in (0u32..50, 0u32..50),
        ids in prop::collection::vec(50_000u32..99_999, 0..12),
        user_range in prop::option::of(any::<bool>()),
    ) {
        let (from, to) = MOVES[which];
        let old_id = Uuid::from_u128(u128::from(ranges_seed) | 1);
        let new_id = Uuid::from_u128(!u128::from(ranges_seed) << 64);
        let version = AppVersion::new(major, minor, 0, 0);
        let mut doc = AppJsonDocument::parse(&app_json(old_id, version, &current)).expect("parse");
        let objects = objects(&ids);

        // Target ranges: the user's (a valid range of the target scope) or the default.
        let target = match (user_range, to) {
            (Some(true), Scope::Pte) => vec![IdRange::new(60_000, 60_999)],
            (Some(true), t) if t == Scope::APPSOURCE => vec![IdRange::new(70_200_000, 70_200_999)],
            _ => default_target_ranges(from, to, &current),
        };
        let first = plan(from, to, &objects, target, &doc, new_id);

        // Apply what can be applied to app.json.
        if let Some(id) = &first.new_id {
            doc.set_id(Uuid::parse_str(id).expect("uuid")).expect("set id");
        }
        if let Some(v) = &first.new_version {
            doc.set_version(v).expect("set version");
        }
        if !first.id_ranges.is_empty() {
            doc.set_id_ranges(&first.id_ranges).expect("set ranges");
        }
        let doc = AppJsonDocument::parse(&doc.to_string()).expect("edited app.json parses");
        prop_assert_eq!(doc.manifest().id_ranges().is_empty(), current.is_empty() && first.id_ranges.is_empty());

        // Re-plan as an app of the target scope.
        let applied = doc.manifest().id_ranges();
        let again = plan(to, to, &objects, default_target_ranges(to, to, &applied), &doc, Uuid::from_u128(7));
        prop_assert!(app_json_steps(&again).is_empty(), "{:?} -> {:?}: left {:?}", from, to, app_json_steps(&again));
        prop_assert!(again.new_id.is_none() && again.new_version.is_none() && again.id_ranges.is_empty());

        // Where ranges tell the scopes apart, the inferred scope is the target.
        if to != Scope::Dev && !applied.is_empty() {
            let inferred = infer_scope(&applied);
            prop_assert_eq!(inferred, to);
            let again = plan(inferred, to, &objects, default_target_ranges(inferred, to, &applied), &doc, Uuid::from_u128(9));
            prop_assert!(app_json_steps(&again).is_empty());
        }
    }
}

/// The property can fail: without applying the plan, the re-plan still asks
/// for the app.json changes.
#[test]
fn unapplied_plan_still_reports_app_json_steps() {
    let current = vec![IdRange::new(50_100, 50_149)];
    let doc = AppJsonDocument::parse(&app_json(
        Uuid::from_u128(1),
        AppVersion::new(1, 0, 0, 0),
        &current,
    ))
    .unwrap();
    let objects = objects(&[50_100]);
    let p = plan(
        Scope::Pte,
        Scope::APPSOURCE,
        &objects,
        default_target_ranges(Scope::Pte, Scope::APPSOURCE, &current),
        &doc,
        Uuid::from_u128(2),
    );
    assert_eq!(app_json_steps(&p).len(), 3, "{:?}", p.steps);
    let again = plan(
        infer_scope(&doc.manifest().id_ranges()),
        Scope::APPSOURCE,
        &objects,
        default_target_ranges(Scope::Pte, Scope::APPSOURCE, &current),
        &doc,
        Uuid::from_u128(2),
    );
    assert!(!app_json_steps(&again).is_empty());
}
