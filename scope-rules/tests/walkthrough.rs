//! A tour of the public API on the bundled Customer Loyalty example: manifest
//! checks per scope, source checks on hand-built declarations, renaming with
//! the shortener, rendering, and a deployment check.

use std::collections::BTreeSet;

use scope_rules::affix::{AffixPosition, Affixes};
use scope_rules::checks::source::{Extends, MemberKind};
use scope_rules::limits::{NameKind, limit_for};
use scope_rules::shorten::shorten;
use scope_rules::{
    AppSourceCop, AppUnderTest, Environment, IdRange, ManifestSources, MemberDecl, ObjectDecl,
    ObjectKind, RuleConfig, Scope, SourceContext, check_manifest_text, check_objects, deploy_check,
    render_sarif, render_text,
};

const APP_JSON: &str = include_str!("../../examples/loyalty/app.json");

fn codes(d: &[scope_rules::Diagnostic]) -> Vec<&str> {
    d.iter().map(|d| d.code.as_str()).collect()
}

fn loyalty_objects() -> Vec<ObjectDecl> {
    let mut tier = ObjectDecl::new(
        ObjectKind::Table,
        Some(50100),
        "\"Loyalty Tier\"",
        "src/Tables/LoyaltyTier.Table.al",
    );
    tier.members = vec![
        MemberDecl::new(MemberKind::Field, Some(1), "Code"),
        MemberDecl::new(MemberKind::Field, Some(2), "Min. Points"),
    ];
    let mut cust = ObjectDecl::new(
        ObjectKind::TableExtension,
        Some(50100),
        "\"Customer Loyalty\"",
        "src/Tables/CustomerLoyalty.TableExt.al",
    );
    cust.extends = Some(Extends {
        target: "Customer".into(),
        owner: scope_rules::checks::source::Owner::Other,
    });
    cust.members = vec![MemberDecl::new(
        MemberKind::Field,
        Some(50100),
        "Loyalty Points",
    )];
    vec![
        tier,
        cust,
        ObjectDecl::new(
            ObjectKind::Codeunit,
            Some(50100),
            "\"Loyalty Management\"",
            "src/Codeunits/LoyaltyManagement.Codeunit.al",
        ),
    ]
}

#[test]
fn walkthrough() {
    let sources = ManifestSources {
        app_json_file: "examples/loyalty/app.json",
        app_json: APP_JSON,
        cop_file: "examples/loyalty/AppSourceCop.json",
        cop_json: None,
        al_go: None,
    };
    // 1. As a PTE the example manifest is clean.
    let pte = check_manifest_text(&sources, Scope::Pte, &RuleConfig::new()).unwrap();
    assert!(pte.is_empty(), "{}", render_text(&pte));

    // 2. As a Marketplace app it is not: ranges, empty links, no AppSourceCop.json …
    let as_diags = check_manifest_text(&sources, Scope::APPSOURCE, &RuleConfig::new()).unwrap();
    let c = codes(&as_diags);
    for expected in ["AS0084", "AS0051", "AS0054", "AS0092"] {
        assert!(c.contains(&expected), "{expected} missing from {c:?}");
    }
    let range = as_diags.iter().find(|d| d.code == "AS0084").unwrap();
    let ranges_line = APP_JSON
        .lines()
        .position(|l| l.contains("\"idRanges\""))
        .unwrap()
        + 1;
    assert_eq!(
        range.line as usize,
        ranges_line + 1,
        "points at idRanges[0]"
    );

    // 3. Source checks: fine as a PTE, affix and range findings as Marketplace.
    let objects = loyalty_objects();
    let pte_ctx = SourceContext::new(Scope::Pte, vec![IdRange::new(50100, 50149)]);
    // The table needs a permission set granting its data (PTE0004), as in the example.
    let mut with_perms = objects.clone();
    with_perms.push(
        ObjectDecl::new(
            ObjectKind::PermissionSet,
            Some(50100),
            "\"Loyalty Admin\"",
            "src/Permissions/LoyaltyAdmin.PermissionSet.al",
        )
        .with_property("Permissions", "tabledata \"Loyalty Tier\"=RIMD"),
    );
    // PTE0026 (AllowInCustomizations) is Hidden: not shown by default.
    let shown = |d: Vec<scope_rules::Diagnostic>| -> Vec<String> {
        d.into_iter()
            .filter(|d| d.severity != scope_rules::Severity::Hidden)
            .map(|d| d.code.to_string())
            .collect()
    };
    assert!(shown(check_objects(&with_perms, &pte_ctx, &RuleConfig::new())).is_empty());
    assert_eq!(
        shown(check_objects(&objects, &pte_ctx, &RuleConfig::new())),
        vec!["PTE0004"]
    );
    let cop = AppSourceCop::from_json_str(r#"{"mandatoryAffixes":["CLP"]}"#).unwrap();
    let cop_affixes = scope_rules::checks::cop::affixes_of(&cop);
    let as_ctx = SourceContext::new(Scope::APPSOURCE, vec![IdRange::new(70_000_000, 70_000_099)])
        .with_affixes(cop_affixes);
    let src = check_objects(&objects, &as_ctx, &RuleConfig::new());
    assert!(codes(&src).contains(&"AS0011") && codes(&src).contains(&"AL0297"));

    // 4. Renaming with the affix, respecting the 30-character object limit.
    let affixes: &Affixes = &as_ctx.affixes;
    let mut taken = BTreeSet::new();
    for o in &objects {
        let new = shorten(
            &o.name,
            affixes.primary().unwrap(),
            AffixPosition::Prefix,
            limit_for(NameKind::Object).max,
            &taken,
        )
        .unwrap();
        assert!(affixes.has_affix(&new));
        assert!(taken.insert(new.to_lowercase()));
    }

    // 4b. The same as a full move plan (PTE -> AppSource).
    let plan = scope_rules::plan_move(&scope_rules::MoveRequest {
        from: Scope::Pte,
        to: Scope::APPSOURCE,
        objects: &objects,
        target_ranges: vec![IdRange::new(70_000_000, 70_000_099)],
        affix: Some("CLP".into()),
        affix_position: AffixPosition::Prefix,
        old_affixes: Affixes::default(),
        new_id: Some("0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0".into()),
        current: Default::default(),
        side_by_side: false,
    })
    .unwrap();
    assert_eq!(plan.object_ids.len(), 3);
    assert_eq!(
        plan.member_ids.len(),
        1,
        "the table-extension field moves; own fields 1 and 2 stay"
    );
    assert_eq!(plan.id_ranges, vec![IdRange::new(70_000_000, 70_000_099)]);

    // 5. Rendering.
    let sarif: serde_json::Value = serde_json::from_str(&render_sarif(&as_diags)).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        as_diags.len()
    );

    // 6. Deployment: the PTE clashes with an installed Marketplace app of the same id.
    let env = Environment::from_json_str(
        r#"{"platform":"24.0.0.0","kind":"production","apps":[
            {"id":"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11","name":"Customer Loyalty","publisher":"Contoso Partners",
             "version":"1.0.0.0","scope":"appsource"}]}"#,
    )
    .unwrap();
    let m = al_manifest::AppManifest::from_json_str(APP_JSON).unwrap();
    let app = AppUnderTest::from_manifest(&m, Scope::Pte, "examples/loyalty/app.json");
    assert_eq!(codes(&deploy_check(&app, &env)), vec!["ALK0001"]);
}
