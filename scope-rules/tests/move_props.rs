#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Properties of whole moves ([`scope_rules::move_engine::move_app`]) on generated projects:
//! move then reverse move restores every byte; renumbering is a bijection into the
//! target ranges; no two objects of a kind share a name or ID afterwards; the old and the
//! moved app can be installed side by side.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use scope_rules::Scope;
use scope_rules::move_engine::{Dependencies, MoveOptions, ProjectFile, Verification, move_app};

const WORDS: &[&str] = &[
    "Alpha", "Beta", "Gamma", "Delta", "Item", "Setup", "Entry", "Ledger",
];

#[derive(Debug, Clone)]
struct Table {
    name: String,
    fields: Vec<String>,
}

/// How a reference spells a name: as declared, lower case, or quoted when it need not be.
fn spell(name: &str, style: u8) -> String {
    let plain = !name.contains(' ');
    match (style % 3, plain) {
        (1, true) => name.to_lowercase(),
        (1, false) => format!("\"{}\"", name.to_lowercase()),
        (2, true) => format!("\"{name}\""),
        _ if plain => name.to_string(),
        _ => format!("\"{name}\""),
    }
}

fn tables() -> impl Strategy<Value = Vec<Table>> {
    prop::collection::btree_set((0..WORDS.len(), 0..WORDS.len()), 1..4).prop_flat_map(|names| {
        let names: Vec<String> = names
            .into_iter()
            .map(|(a, b)| {
                if a == b {
                    WORDS[a].to_string()
                } else {
                    format!("{} {}", WORDS[a], WORDS[b])
                }
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let n = names.len();
        (
            Just(names),
            prop::collection::vec(prop::collection::btree_set(0..WORDS.len(), 1..4), n),
        )
            .prop_map(|(names, fields)| {
                names
                    .into_iter()
                    .zip(fields)
                    .map(|(name, f)| Table {
                        name,
                        fields: f.into_iter().map(|i| format!("{} No", WORDS[i])).collect(),
                    })
                    .collect()
            })
    })
}

fn project(tables: &[Table], ext_fields: &[String], styles: &[u8]) -> Vec<ProjectFile> {
    let mut files = vec![ProjectFile::new(
        "app.json",
        br#"{
  "id": "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11",
  "name": "Gen",
  "publisher": "Tester",
  "version": "1.0.0.0",
  "idRanges": [ { "from": 50100, "to": 50199 } ]
}
"#
        .to_vec(),
    )];
    let mut style = styles.iter().copied().cycle();
    let mut cu = String::from("codeunit 50100 \"Main Logic\"\n{\n    procedure Run()\n    var\n");
    for (i, t) in tables.iter().enumerate() {
        let mut al = format!(
            "table {} \"{}\"\n{{\n    fields\n    {{\n",
            50100 + i,
            t.name
        );
        for (j, f) in t.fields.iter().enumerate() {
            al.push_str(&format!(
                "        field({}; \"{f}\"; Integer) {{ }}\n",
                j + 1
            ));
        }
        al.push_str("    }\n}\n");
        files.push(ProjectFile::new(
            format!("src/T{i}.Table.al"),
            al.into_bytes(),
        ));
        cu.push_str(&format!(
            "        R{i}: Record {};\n",
            spell(&t.name, style.next().unwrap_or(0))
        ));
    }
    cu.push_str("        C: Record Customer;\n    begin\n");
    for (i, t) in tables.iter().enumerate() {
        for f in &t.fields {
            cu.push_str(&format!(
                "        R{i}.{} := {};\n",
                spell(f, style.next().unwrap_or(0)),
                50100 + i
            ));
        }
        cu.push_str(&format!(
            "        if R{i}.Get() then Page.Run(0, R{i});\n        R{i}.SetRange({});\n",
            spell(&t.fields[0], style.next().unwrap_or(0))
        ));
    }
    for f in ext_fields {
        cu.push_str(&format!(
            "        C.{} := 1;\n",
            spell(f, style.next().unwrap_or(0))
        ));
    }
    cu.push_str("        Codeunit.Run(Codeunit::\"Main Logic\");\n    end;\n}\n");
    files.push(ProjectFile::new("src/Logic.Codeunit.al", cu.into_bytes()));
    if !ext_fields.is_empty() {
        let mut al = String::from(
            "tableextension 50100 \"Main Customer\" extends Customer\n{\n    fields\n    {\n",
        );
        for (j, f) in ext_fields.iter().enumerate() {
            al.push_str(&format!(
                "        field({}; \"{f}\"; Integer) {{ }}\n",
                50100 + j
            ));
        }
        al.push_str("    }\n}\n");
        files.push(ProjectFile::new(
            "src/Customer.TableExt.al",
            al.into_bytes(),
        ));
    }
    files
}

fn options() -> MoveOptions {
    let mut o = MoveOptions::to(Scope::APPSOURCE, "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0");
    o.ranges = vec![scope_rules::IdRange::new(70_000_000, 70_000_049)];
    o.affix = Some("GEN".into());
    o.allow_unresolved = true;
    o.side_by_side = true;
    o
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn move_then_reverse_is_identity_and_the_move_is_clean(
        tables in tables(),
        ext in prop::collection::btree_set(0..WORDS.len(), 0..3),
        styles in prop::collection::vec(0u8..3, 1..8),
    ) {
        let ext: Vec<String> = ext.into_iter().map(|i| format!("{} Points", WORDS[i])).collect();
        let files = project(&tables, &ext, &styles);
        let deps = Dependencies::default();
        let moved = move_app(&files, &deps, &[], &options(), &mut |_, _, _| {}).unwrap();

        // Bijection into the target range, per object kind and per extension member.
        let mut seen: BTreeMap<(String, String), BTreeSet<u32>> = BTreeMap::new();
        for e in &moved.mapping.mapping {
            if let (Some(old), Some(new)) = (e.old_id, e.new_id) {
                if old != new {
                    prop_assert!((70_000_000..=70_000_049).contains(&new), "{e:?}");
                }
                let key = (e.kind.clone(), e.object_kind.clone());
                prop_assert!(seen.entry(key).or_default().insert(new), "{e:?} collides");
            }
        }
        // Every object got a new ID and the affix; no two objects of a kind share a name.
        let mut names: BTreeSet<(String, String)> = BTreeSet::new();
        for e in moved.mapping.mapping.iter().filter(|e| e.kind == "object") {
            prop_assert!(e.new_name.starts_with("GEN"), "{e:?}");
            prop_assert!(names.insert((e.object_kind.clone(), e.new_name.to_lowercase())), "{e:?}");
        }
        prop_assert_eq!(
            moved.mapping.mapping.iter().filter(|e| e.kind == "object").count(),
            tables.len() + 1 + usize::from(!ext.is_empty())
        );
        // The edits are proven without re-parsing, and the full check (re-parse, re-resolve,
        // compare every reference) agrees with the same output.
        prop_assert_eq!(&moved.report.verification, &Verification::Proven);
        let mut full = options();
        full.full_verification = true;
        let checked = move_app(&files, &deps, &[], &full, &mut |_, _, _| {}).unwrap();
        let is_full = matches!(checked.report.verification, Verification::Full { .. });
        prop_assert!(is_full);
        prop_assert_eq!(&checked.report.side_by_side, &moved.report.side_by_side);
        for (a, b) in checked.files.iter().zip(&moved.files) {
            prop_assert_eq!(&a.path, &b.path);
            if a.path != "app.json" && a.path != "move-mapping.json" {
                prop_assert_eq!(&a.bytes, &b.bytes, "{}", a.path);
            }
        }
        // Old and new app side by side.
        prop_assert!(moved.report.side_by_side.possible, "{:?}", moved.report.side_by_side);
        // No old declaration ID remains in the moved sources.
        for f in moved.files.iter().filter(|f| f.path.ends_with(".al")) {
            let text = String::from_utf8_lossy(&f.bytes);
            for i in 0..tables.len() {
                prop_assert!(!text.contains(&format!("table {} ", 50100 + i)), "{}", text);
            }
        }

        // Reverse: every byte comes back.
        let mut rev = options();
        rev.mapping = Some(moved.mapping.clone());
        rev.reverse = true;
        let back = move_app(&moved.files, &deps, &[], &rev, &mut |_, _, _| {}).unwrap();
        let mut got: Vec<(String, Vec<u8>)> = back
            .files
            .into_iter()
            .filter(|f| !back.deleted.contains(&f.path))
            .map(|f| (f.path, f.bytes.to_vec()))
            .collect();
        got.sort();
        let mut want: Vec<(String, Vec<u8>)> = files.into_iter().map(|f| (f.path, f.bytes.to_vec())).collect();
        want.sort();
        for (g, w) in got.iter().zip(&want) {
            prop_assert_eq!(&g.0, &w.0);
            prop_assert_eq!(
                String::from_utf8_lossy(&g.1),
                String::from_utf8_lossy(&w.1),
                "{}", g.0
            );
        }
        prop_assert_eq!(got.len(), want.len());
    }
}
