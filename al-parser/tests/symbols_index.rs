//! Symbol index over the bundled examples and small fixtures.

use al_parser::ast::ObjectKind;
use al_parser::symbols::{
    AppInfo, AppSymbols, DependencyInfo, IndexDiagnostic, MemberKind, ParsedApp, SourceText,
    SymbolIndex,
};

fn example(dir: &str) -> Vec<SourceText> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(dir);
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("example dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "al") {
                let rel = p.strip_prefix(&root).expect("prefix").display().to_string();
                out.push(SourceText::new(rel, std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

#[test]
fn loyalty_objects_and_members() {
    let app = AppSymbols::from_sources(AppInfo::named("Customer Loyalty"), example("loyalty"));
    let index = SymbolIndex::new(vec![app]);
    let t = index
        .find_object(ObjectKind::Table, "Loyalty Tier")
        .expect("table");
    let o = index.object(t).expect("object");
    assert_eq!(o.id.map(|i| i.0), Some(50100));
    assert_eq!(o.namespace.as_deref(), Some("Contoso.Loyalty"));
    let f = index
        .find_member(t, MemberKind::Field, "minimum points")
        .expect("field");
    let m = index.member(f).expect("member");
    assert_eq!(m.id, Some(3));
    assert_eq!(m.type_name.as_deref(), Some("Integer"));
    assert!(index.find_member(t, MemberKind::Key, "Points").is_some());
    assert!(
        index
            .find_member(t, MemberKind::FieldGroup, "DropDown")
            .is_some()
    );
    let e = index
        .find_object(ObjectKind::Enum, "Loyalty Level")
        .expect("enum");
    let gold = index
        .find_member(e, MemberKind::EnumValue, "Gold")
        .expect("value");
    assert_eq!(index.member(gold).and_then(|m| m.id), Some(2));
    let c = index
        .find_object(ObjectKind::Codeunit, "Loyalty Management")
        .expect("codeunit");
    let p = index
        .find_member(c, MemberKind::Procedure, "GetLevel")
        .expect("procedure");
    let pm = index.member(p).expect("member");
    assert_eq!(pm.parameters.len(), 1);
    assert_eq!(pm.parameters[0].type_name, "Code[20]");
    assert_eq!(pm.type_name.as_deref(), Some("Enum \"Loyalty Level\""));
    let local = index
        .find_member(c, MemberKind::Procedure, "AddPointsOnAfterPostSalesDoc")
        .and_then(|p| index.member(p))
        .expect("local procedure");
    assert_eq!(local.access, al_parser::symbols::Access::Local);
    let ext = index
        .find_object(ObjectKind::TableExtension, "Customer Loyalty")
        .expect("tableext");
    assert_eq!(
        index.object(ext).and_then(|o| o.extends.as_deref()),
        Some("Customer")
    );
    let page = index
        .find_object(ObjectKind::Page, "Loyalty Tiers")
        .expect("page");
    assert!(
        index
            .find_member(page, MemberKind::Control, "MinimumPoints")
            .is_some()
    );
    assert!(
        index
            .find_member(page, MemberKind::Action, "Recalculate")
            .is_some()
    );
    let rep = index
        .find_object(ObjectKind::Report, "Loyalty Points Statement")
        .expect("report");
    let col = index
        .find_member(rep, MemberKind::Column, "TierDescription")
        .expect("column");
    let di = index.member(col).and_then(|c| c.parent).expect("parent");
    assert_eq!(
        index.object(rep).expect("r").members[di as usize].name,
        "LoyaltyTier"
    );
}

#[test]
fn missing_dependencies_are_reported() {
    let mut info = AppInfo::named("Loyalty Rewards");
    info.dependencies.push(DependencyInfo {
        id: "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11".into(),
        name: "Customer Loyalty".into(),
        publisher: "Contoso Partners".into(),
    });
    let rewards = AppSymbols::from_sources(info, example("loyalty-rewards"));
    let index = SymbolIndex::new(vec![rewards.clone()]);
    assert!(matches!(
        index.diagnostics.as_slice(),
        [IndexDiagnostic::MissingDependency { .. }]
    ));
    let mut dep_info = AppInfo::named("Customer Loyalty");
    dep_info.id = "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11".into();
    let dep = AppSymbols::from_sources(dep_info, example("loyalty"));
    let index = SymbolIndex::new(vec![rewards, dep]);
    assert!(index.diagnostics.is_empty());
}

#[test]
fn duplicate_ids_are_reported() {
    let files = vec![
        SourceText::new("a.al", b"table 50100 A { }".to_vec()),
        SourceText::new("b.al", b"table 50100 B { }".to_vec()),
    ];
    let index = SymbolIndex::new(vec![AppSymbols::from_sources(AppInfo::named("X"), files)]);
    assert!(
        index
            .diagnostics
            .iter()
            .any(|d| matches!(d, IndexDiagnostic::DuplicateId { id: 50100, .. }))
    );
}

#[test]
fn serde_round_trip_and_reindex() {
    let app = AppSymbols::from_sources(AppInfo::named("Customer Loyalty"), example("loyalty"));
    let index = SymbolIndex::new(vec![app]);
    let json = serde_json::to_string(&index).expect("serialize");
    let mut back: SymbolIndex = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back.apps, index.apps);
    back.reindex();
    assert!(
        back.find_object(ObjectKind::Query, "Customer Points")
            .is_some()
    );
    assert!(json.contains("\"kind\":\"table\""));
}

#[test]
fn push_app_indexes_incrementally_and_rebuilds_stale_lookups() {
    let loyalty =
        || AppSymbols::from_sources(AppInfo::named("Customer Loyalty"), example("loyalty"));
    let ext = || {
        AppSymbols::from_sources(
            AppInfo::named("Ext"),
            vec![SourceText::new(
                "e.al",
                b"tableextension 50900 E extends Customer { }".to_vec(),
            )],
        )
    };
    let stand_in = || AppSymbols::stand_ins(&[(ObjectKind::Table, "Customer".into())]);
    // Incremental: the first apps keep their lookups, the new app's objects are found and
    // the extension now has a base.
    let mut index = SymbolIndex::new(vec![loyalty(), ext()]);
    index.push_app(stand_in());
    let base = index.objects_named(ObjectKind::Table, "Customer")[0];
    assert_eq!(base.app, 2);
    assert!(index.extensions_of(base).iter().any(|e| e.app == 1));
    assert!(
        index
            .find_object(ObjectKind::Query, "Customer Points")
            .is_some()
    );
    // The same lookups as a full rebuild.
    let mut full = SymbolIndex::new(vec![loyalty(), ext(), stand_in()]);
    full.reindex();
    assert_eq!(index.extensions_of(base), full.extensions_of(base));
    // A deserialized index (no lookups yet) is indexed whole.
    let json = serde_json::to_string(&SymbolIndex::new(vec![loyalty(), ext()])).expect("json");
    let mut back: SymbolIndex = serde_json::from_str(&json).expect("deserialize");
    back.push_app(stand_in());
    assert!(
        back.find_object(ObjectKind::Query, "Customer Points")
            .is_some()
    );
    assert_eq!(back.extensions_of(base), full.extensions_of(base));
}

#[test]
fn every_branch_is_indexed() {
    let src = b"codeunit 50100 C\n{\n#if CLEAN24\n    procedure NewProc(): Integer\n#else\n    procedure OldProc(): Integer\n#endif\n    begin\n    end;\n}\n";
    let parsed = ParsedApp::parse(
        AppInfo::named("X"),
        vec![SourceText::new("c.al", src.to_vec())],
    );
    assert!(parsed.files[0].parses.len() >= 2);
    let index = SymbolIndex::new(vec![AppSymbols::from_parsed(&parsed)]);
    let c = index
        .find_object(ObjectKind::Codeunit, "C")
        .expect("codeunit");
    assert!(
        index
            .find_member(c, MemberKind::Procedure, "NewProc")
            .is_some()
    );
    assert!(
        index
            .find_member(c, MemberKind::Procedure, "OldProc")
            .is_some()
    );
}

#[test]
fn utf16_files_are_indexed() {
    let text = "table 50100 \"Tåble\" { fields { field(1; \"Nø\"; Integer) { } } }";
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let index = SymbolIndex::new(vec![AppSymbols::from_sources(
        AppInfo::named("X"),
        vec![SourceText::new("t.al", bytes)],
    )]);
    let t = index
        .find_object(ObjectKind::Table, "tåble")
        .expect("table");
    assert!(index.find_member(t, MemberKind::Field, "Nø").is_some());
}
