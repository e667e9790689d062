#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `alkit plan` and `alkit move` make one plan: [`plan_project`] and [`move_app`] read one
//! request and plan from it, so what the plan counts is what the move does — on the bundled
//! example (with and without side-by-side renames, as `--migration-pte` asks) and on
//! generated apps.

use std::path::Path;

use proptest::prelude::*;
use scope_rules::move_engine::{
    Dependencies, MoveOptions, MovePlan, MoveReport, ProjectFile, move_app, plan_project,
};
use scope_rules::{IdRange, Scope};

fn read_project(dir: &Path) -> Vec<ProjectFile> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(ProjectFile::new(rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// (objects renumbered, members renumbered, names changed) of a plan and of a move's report.
fn plan_counts(p: &MovePlan) -> (usize, usize, usize) {
    (p.object_ids.len(), p.member_ids.len(), p.names.len())
}

fn report_counts(r: &MoveReport) -> (usize, usize, usize) {
    let objects = r.renumbered.iter().filter(|e| e.kind == "object").count();
    (objects, r.renumbered.len() - objects, r.renamed.len())
}

fn options(side_by_side: bool) -> MoveOptions {
    let mut o = MoveOptions::to(Scope::APPSOURCE, "0b5e6f3c-6a53-4a4a-9df3-0c1a9d6b7e21");
    o.ranges = vec![IdRange::new(70_000_000, 70_000_099)];
    o.affix = Some("CLY".into());
    o.allow_unresolved = true;
    o.side_by_side = side_by_side;
    o
}

fn same_counts(project: &[ProjectFile], opts: &MoveOptions) -> (usize, usize, usize) {
    let planned = plan_project(project, opts).unwrap();
    let moved = move_app(
        project,
        &Dependencies::default(),
        &[],
        opts,
        &mut |_, _, _| {},
    )
    .unwrap();
    assert_eq!(plan_counts(&planned.plan), report_counts(&moved.report));
    plan_counts(&planned.plan)
}

#[test]
fn the_example_plans_what_it_moves() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/loyalty");
    let project = read_project(&dir);
    let plain = same_counts(&project, &options(false));
    let side_by_side = same_counts(&project, &options(true));
    assert!(plain.0 > 0 && plain.2 > 0, "{plain:?}");
    // Side-by-side renames every object: at least as many names change.
    assert!(side_by_side.2 >= plain.2, "{plain:?} {side_by_side:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Generated apps: tables with fields, an enum, a table extension of a base table.
    #[test]
    fn generated_apps_plan_what_they_move(
        tables in prop::collection::btree_set("[A-Z][a-z]{2,8}", 1..4),
        fields in 1usize..4,
        values in 1usize..4,
        side_by_side in any::<bool>(),
    ) {
        let mut files = vec![ProjectFile::new(
            "app.json",
            br#"{"id":"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11","name":"Gen","publisher":"P","version":"1.0.0.0","idRanges":[{"from":50100,"to":50199}]}"#.to_vec(),
        )];
        for (i, t) in tables.iter().enumerate() {
            let fs: String = (0..fields).map(|f| format!("field({}; \"{t} F{f}\"; Integer) {{ }}\n", f + 1)).collect();
            files.push(ProjectFile::new(format!("{t}.Table.al"), format!("table {} \"{t} Data\" {{ fields {{ {fs} }} }}\n", 50100 + i).into_bytes()));
        }
        let vs: String = (0..values).map(|v| format!("value({}; V{v}) {{ }}\n", 50100 + v)).collect();
        files.push(ProjectFile::new("Kind.Enum.al", format!("enum 50100 \"Gen Kind\" {{ {vs} }}\n").into_bytes()));
        files.push(ProjectFile::new("Cust.TableExt.al", b"tableextension 50100 \"Gen Cust\" extends Customer { fields { field(50100; \"Gen Points\"; Integer) { } } }\n".to_vec()));
        let planned = plan_project(&files, &options(side_by_side)).unwrap();
        let moved = move_app(&files, &Dependencies::default(), &[], &options(side_by_side), &mut |_, _, _| {}).unwrap();
        prop_assert_eq!(plan_counts(&planned.plan), report_counts(&moved.report));
    }
}
