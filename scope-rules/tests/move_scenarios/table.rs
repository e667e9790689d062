//! The table: every scenario.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

pub(crate) fn table() -> Vec<Scenario> {
    vec![
        moved(
            "pte_to_appsource_renumbers_and_affixes",
            points(),
            to_appsource(),
            vec![
                Check::Text("src/RewardPoint.Table.al", point_table_moved()),
                Check::Text("src/RewardPoints.Page.al", point_page_moved()),
                Check::Text("src/PointMgt.Codeunit.al", point_cu_moved()),
                // Identity and ranges set; the ranges array is rewritten in app.json's
                // usual layout.
                Check::Text(
                    "app.json",
                    format!(
                        "{{
  \"id\": \"{NEW_ID}\",
  \"name\": \"Points\",
  \"publisher\": \"Contoso\",
  \"version\": \"2.0.0.0\",
  \"dependencies\": [],
  \"idRanges\": [
    {{
      \"from\": 70000000,
      \"to\": 70000099
    }}
  ]
}}
"
                    ),
                ),
                Check::Renumbered {
                    objects: 3,
                    members: 0,
                },
                Check::Renamed(3),
                entry(
                    "object",
                    "table",
                    Some((50100, 70_000_000)),
                    "Reward Point",
                    "ABC Reward Point",
                ),
                entry(
                    "object",
                    "page",
                    Some((50100, 70_000_000)),
                    "Reward Points",
                    "ABC Reward Points",
                ),
                entry(
                    "object",
                    "codeunit",
                    Some((50100, 70_000_000)),
                    "Point Mgt",
                    "ABC Point Mgt",
                ),
                Check::Identity(vec![
                    ("id", APP_ID, NEW_ID),
                    ("version", "1.0.0.0", "2.0.0.0"),
                    ("idRanges", "50100..50149", "70000000..70000099"),
                ]),
                Check::NewIdGenerated(false),
                Check::Affix(Some("ABC")),
                Check::Proven,
                Check::Unresolved(0),
                Check::Missing(vec![]),
                Check::SideBySide(true),
                Check::Created("AppSourceCop.json"),
                Check::Plan {
                    objects: 3,
                    members: 0,
                    names: 3,
                },
            ],
        ),
        // The CLI's move of the bundled example (was cli_move::pte_to_appsource_on_the_example).
        moved(
            "loyalty_example_pte_to_appsource",
            loyalty(),
            loyalty_to_appsource(),
            vec![
                Check::ObjectIdsIn {
                    from: 70_000_000,
                    to: 70_000_099,
                    count: 10,
                },
                // Table-extension fields and the enum-extension value renumbered and affixed.
                has(
                    "src/Tables/CustomerLoyalty.TableExt.al",
                    &[
                        "field(70000000; \"CLY Loyalty Tier Code\"",
                        "field(70000001; \"CLY Loyalty Points\"",
                        "Rec.\"CLY Loyalty Points\"",
                        // Objects in a two-level namespace keep their names.
                        "LoyaltyMgt: Codeunit \"Loyalty Management\";",
                    ],
                ),
                has(
                    "src/Enums/SalesLineTypeLoyalty.EnumExt.al",
                    &[
                        "value(70000000; \"CLY Loyalty Reward\")",
                        // Captions are not names.
                        "Caption = 'Loyalty Reward';",
                    ],
                ),
                // Page-extension controls and actions carry the affix; field references follow.
                has(
                    "src/Pages/CustomerCardLoyalty.PageExt.al",
                    &[
                        "field(CLYLoyaltyTierCode; Rec.\"CLY Loyalty Tier Code\")",
                        "field(CLYLoyaltyPoints; Rec.\"CLY Loyalty Points\")",
                        "action(CLYShowTiers)",
                    ],
                ),
                lacks(
                    "src/Pages/CustomerCardLoyalty.PageExt.al",
                    &["\"Loyalty Points\""],
                ),
                // References in other objects, the event subscriber's element included.
                has(
                    "src/Codeunits/LoyaltyManagement.Codeunit.al",
                    &[
                        "codeunit 70000000 \"Loyalty Management\"",
                        "Report.Run(70000000, true, false, Customer)",
                        "Customer.Validate(\"CLY Loyalty Points\"",
                        "'OnAfterValidateEvent', 'CLY Loyalty Points'",
                    ],
                ),
                lacks("src/Codeunits/LoyaltyManagement.Codeunit.al", &["50100"]),
                has(
                    "src/Tables/LoyaltyTier.Table.al",
                    &[
                        "Customer.SetRange(\"CLY Loyalty Tier Code\"",
                        "DrillDownPageId = 70000000;",
                    ],
                ),
                // app.json: new id, next major version, idRanges; every other byte kept.
                Check::Text(
                    "app.json",
                    LOYALTY_APP_JSON
                        .replace(APP_ID, NEW_ID)
                        .replace("\"1.2.0.0\"", "\"2.0.0.0\"")
                        .replace("50100", "70000000")
                        .replace("50149", "70000099"),
                ),
                Check::Unchanged("src/Reports/LoyaltyPointsStatement.rdlc"),
                entry(
                    "field",
                    "tableextension",
                    Some((50101, 70_000_001)),
                    "Loyalty Points",
                    "CLY Loyalty Points",
                ),
                entry(
                    "object",
                    "report",
                    Some((50100, 70_000_000)),
                    "Loyalty Points Statement",
                    "Loyalty Points Statement",
                ),
                Check::Renumbered {
                    objects: 10,
                    members: 3,
                },
                // No symbols of the base app: its objects are missing, references to their
                // members are updated by name, the anchor `addafter(Name)` stays unresolved.
                Check::Missing(vec![
                    "codeunit Sales-Post",
                    "enum Sales Line Type",
                    "page Customer Card",
                    "table Customer",
                    "table Sales Header",
                ]),
                Check::Unresolved(1),
                Check::UpdatedByName(vec![
                    "src/Pages/CustomerCardLoyalty.PageExt.al:11:40 \
                     \"Loyalty Tier Code\" -> CLY Loyalty Tier Code",
                    "src/Pages/CustomerCardLoyalty.PageExt.al:16:38 \
                     \"Loyalty Points\" -> CLY Loyalty Points",
                    "src/Pages/CustomerCardLoyalty.PageExt.al:35:46 \
                     \"Loyalty Tier Code\" -> CLY Loyalty Tier Code",
                ]),
                Check::PossiblyStale(vec![]),
                Check::FilesTouched(vec![
                    "AppSourceCop.json",
                    "app.json",
                    "src/Codeunits/LoyaltyManagement.Codeunit.al",
                    "src/Enums/LoyaltyLevel.Enum.al",
                    "src/Enums/SalesLineTypeLoyalty.EnumExt.al",
                    "src/Pages/CustomerCardLoyalty.PageExt.al",
                    "src/Pages/LoyaltyTiers.Page.al",
                    "src/Permissions/LoyaltyAdmin.PermissionSet.al",
                    "src/Queries/CustomerPoints.Query.al",
                    "src/Reports/LoyaltyPointsStatement.Report.al",
                    "src/Tables/CustomerLoyalty.TableExt.al",
                    "src/Tables/LoyaltyTier.Table.al",
                ]),
                // Side by side: IDs and extension members differ now; the namespaced object
                // names do not (no affix is required for them).
                Check::SideBySide(false),
                Check::Shared {
                    ids: vec![],
                    names: vec![
                        "codeunit Contoso.Loyalty.\"Loyalty Management\"",
                        "enum Contoso.Loyalty.\"Loyalty Level\"",
                        "enumextension Contoso.Loyalty.\"Sales Line Type Loyalty\"",
                        "page Contoso.Loyalty.\"Loyalty Tiers\"",
                        "pageextension Contoso.Loyalty.\"Customer Card Loyalty\"",
                        "permissionset Contoso.Loyalty.\"Loyalty Admin\"",
                        "query Contoso.Loyalty.\"Customer Points\"",
                        "report Contoso.Loyalty.\"Loyalty Points Statement\"",
                        "table Contoso.Loyalty.\"Loyalty Tier\"",
                        "tableextension Contoso.Loyalty.\"Customer Loyalty\"",
                    ],
                    members: vec![],
                },
                Check::LeftForUser("apps that depend on this one were not given"),
                Check::Proven,
            ],
        ),
        moved(
            "dependent_app_follows_the_move",
            points(),
            to_appsource(),
            vec![
                // Its dependency entry points at the new identity; its own stays.
                Check::DepText(
                    0,
                    "app.json",
                    BONUS_APP_JSON
                        .replace(APP_ID, NEW_ID)
                        .replace("\"1.0.0.0\"", "\"2.0.0.0\""),
                ),
                Check::DepText(
                    0,
                    "src/BonusMgt.Codeunit.al",
                    BONUS_CU
                        .replace("Record \"Reward Point\"", "Record \"ABC Reward Point\"")
                        .replace("Codeunit \"Point Mgt\"", "Codeunit \"ABC Point Mgt\"")
                        .replace("Page::\"Reward Points\"", "Page::\"ABC Reward Points\""),
                ),
                Check::Dependents(vec![(
                    "bonus",
                    vec!["app.json", "src/BonusMgt.Codeunit.al"],
                    3,
                )]),
                Check::Unresolved(0),
                Check::Proven,
            ],
        )
        .dependent("bonus", bonus()),
        moved(
            "extension_fields_and_values_are_renumbered",
            extensions(),
            to_appsource(),
            vec![
                // Extension fields and values get IDs of the target range and the affix;
                // the own enum keeps its values.
                Check::Text(
                    "src/CustomerBonus.TableExt.al",
                    "tableextension 70000000 \"ABC Customer Bonus\" extends Customer
{
    fields
    {
        field(70000000; \"ABC Bonus Points\"; Integer) { }
        field(70000001; \"ABC Bonus Level\"; Enum \"ABC Bonus Level\") { }
    }
}
"
                    .into(),
                ),
                Check::Text(
                    "src/SalesLineBonus.EnumExt.al",
                    "enumextension 70000000 \"ABC Sales Line Bonus\" extends \"Sales Line Type\"
{
    value(70000000; \"ABC Bonus Line\") { }
    value(70000001; \"ABC Bonus Credit\") { }
}
"
                    .into(),
                ),
                Check::Text(
                    "src/BonusLevel.Enum.al",
                    "enum 70000000 \"ABC Bonus Level\"
{
    Extensible = true;
    value(0; None) { }
    value(1; Gold) { }
}
"
                    .into(),
                ),
                Check::Text(
                    "src/CustomerCardBonus.PageExt.al",
                    "pageextension 70000000 \"ABC Customer Card Bonus\" extends \"Customer Card\"
{
    layout
    {
        addafter(Name)
        {
            field(ABCBonusPoints; Rec.\"ABC Bonus Points\") { }
        }
    }
}
"
                    .into(),
                ),
                Check::Text(
                    "src/BonusMgt.Codeunit.al",
                    "codeunit 70000000 \"ABC Bonus Mgt\"
{
    procedure Grant(var Customer: Record Customer; var LineType: Enum \"Sales Line Type\")
    begin
        Customer.\"ABC Bonus Points\" += 1;
        Customer.\"ABC Bonus Level\" := Enum::\"ABC Bonus Level\"::Gold;
        LineType := LineType::\"ABC Bonus Line\";
        Customer.Validate(\"ABC Bonus Points\");
    end;
}
"
                    .into(),
                ),
                entry(
                    "field",
                    "tableextension",
                    Some((50101, 70_000_001)),
                    "Bonus Level",
                    "ABC Bonus Level",
                ),
                entry(
                    "value",
                    "enumextension",
                    Some((50100, 70_000_000)),
                    "Bonus Line",
                    "ABC Bonus Line",
                ),
                Check::Renumbered {
                    objects: 5,
                    members: 4,
                },
                Check::Unresolved(0),
                Check::Missing(vec![]),
                Check::Proven,
                Check::SideBySide(true),
            ],
        )
        .deps(base()),
        moved(
            "a_long_affix_that_shortens_names_is_warned_about",
            long_names(),
            with(to_appsource(), |o| o.affix = Some("fab-rentals".into())),
            vec![Check::LeftForUser(
                "the 11-character affix \"fab-rentals\" made 2 name(s) too long",
            )],
        )
        .deps(base()),
        moved(
            "names_over_30_characters_are_shortened",
            long_names(),
            to_appsource(),
            vec![
                // 30 characters at most: words are shortened, the affix kept.
                Check::Text(
                    "src/Ledger.Table.al",
                    "table 70000000 \"ABCCust. Loyalty Points Ledg.\"
{
    fields
    {
        field(1; \"Entry No.\"; Integer) { }
    }
}
"
                    .into(),
                ),
                Check::Text(
                    "src/Customer.TableExt.al",
                    "tableextension 70000000 \"ABC Cust Ext\" extends Customer
{
    fields
    {
        field(70000000; \"ABCLoyalty Points Balance Amt.\"; Integer) { }
    }
}
"
                    .into(),
                ),
                Check::Text(
                    "src/Use.Codeunit.al",
                    "codeunit 70000000 \"ABC Use Ledger\"
{
    procedure Run(var C: Record Customer)
    var
        L: Record \"ABCCust. Loyalty Points Ledg.\";
    begin
        C.\"ABCLoyalty Points Balance Amt.\" := L.Count();
    end;
}
"
                    .into(),
                ),
                Check::Shortened(vec![
                    (
                        "Customer Loyalty Points Ledger",
                        "ABCCust. Loyalty Points Ledg.",
                    ),
                    (
                        "Loyalty Points Balance Amount",
                        "ABCLoyalty Points Balance Amt.",
                    ),
                ]),
                Check::Renamed(4),
                Check::Proven,
            ],
        )
        .deps(base()),
        moved(
            "affixed_one_word_names_are_not_reported_as_shortened",
            files(&[
                ("app.json", &app_json(APP_ID, "Short", "[]", 50100, 50149)),
                ("src/Cust.Codeunit.al", "codeunit 50100 Cust { }\n"),
            ]),
            to_appsource(),
            vec![
                has("src/Cust.Codeunit.al", &["codeunit 70000000 ABCCust"]),
                Check::Shortened(vec![]),
            ],
        ),
        moved(
            "names_option_wins_over_the_affixed_name",
            points(),
            with(to_appsource(), |o| {
                o.names
                    .insert("reward point".into(), "ABC Point Entry".into());
            }),
            vec![
                // The key is compared case-insensitively; references follow the chosen name.
                Check::Text(
                    "src/RewardPoint.Table.al",
                    POINT_TABLE
                        .replace(
                            "table 50100 \"Reward Point\"",
                            "table 70000000 \"ABC Point Entry\"",
                        )
                        .replace("\"Reward Points\"", "\"ABC Reward Points\""),
                ),
                Check::Text(
                    "src/PointMgt.Codeunit.al",
                    POINT_CU
                        .replace(
                            "codeunit 50100 \"Point Mgt\"",
                            "codeunit 70000000 \"ABC Point Mgt\"",
                        )
                        .replace("Record \"Reward Point\"", "Record \"ABC Point Entry\"")
                        .replace("Page.Run(50100", "Page.Run(70000000")
                        .replace("Codeunit::\"Point Mgt\"", "Codeunit::\"ABC Point Mgt\""),
                ),
                has(
                    "src/RewardPoints.Page.al",
                    &["SourceTable = \"ABC Point Entry\";"],
                ),
                entry(
                    "object",
                    "table",
                    Some((50100, 70_000_000)),
                    "Reward Point",
                    "ABC Point Entry",
                ),
                Check::Proven,
            ],
        ),
        moved(
            "names_option_renames_what_the_move_keeps",
            points(),
            with(MoveOptions::to(Scope::Pte, GENERATED_ID), |o| {
                o.names
                    .insert("Point Mgt".into(), "Point Management".into());
            }),
            vec![
                Check::Text(
                    "src/PointMgt.Codeunit.al",
                    POINT_CU.replace("\"Point Mgt\"", "\"Point Management\""),
                ),
                Check::Renumbered {
                    objects: 0,
                    members: 0,
                },
                Check::Renamed(1),
                Check::Unchanged("app.json"),
                Check::Proven,
            ],
        ),
        moved(
            "csv_mapping_fixes_object_ids",
            points(),
            to_appsource(),
            vec![
                has(
                    "src/RewardPoint.Table.al",
                    &["table 70000050 \"ABC Reward Point\""],
                ),
                has(
                    "src/RewardPoints.Page.al",
                    &["page 70000000 \"ABC Reward Points\""],
                ),
                entry(
                    "object",
                    "table",
                    Some((50100, 70_000_050)),
                    "Reward Point",
                    "ABC Reward Point",
                ),
            ],
        )
        .mapping("type,oldId,newId\ntable,50100,70000050\n"),
        moved(
            "csv_mapping_fixes_extension_member_ids",
            extensions(),
            to_appsource(),
            vec![
                has(
                    "src/CustomerBonus.TableExt.al",
                    &["field(70000090; \"ABC Bonus Level\""],
                ),
                // A `field` row does not apply to enum values (the enum extension has the
                // same old ID and a value 50101).
                has(
                    "src/SalesLineBonus.EnumExt.al",
                    &["value(70000001; \"ABC Bonus Credit\")"],
                ),
            ],
        )
        .deps(base())
        .mapping("# fields by the extension's old ID\nfield,50101,70000090,50100\n"),
        moved(
            "csv_mapping_fixes_a_table_extension_field_id",
            long_names(),
            to_appsource(),
            vec![
                has(
                    "src/Customer.TableExt.al",
                    &["field(70000090; \"ABCLoyalty Points Balance Amt.\""],
                ),
                entry(
                    "field",
                    "tableextension",
                    Some((50100, 70_000_090)),
                    "Loyalty Points Balance Amount",
                    "ABCLoyalty Points Balance Amt.",
                ),
            ],
        )
        .deps(base())
        .mapping("type,oldId,newId,object\nfield,50100,70000090,50100\n"),
        // The mapping.json of a move, given to a move of the original project, repeats it:
        // the names chosen then come back without being given again.
        moved(
            "a_json_mapping_repeats_a_move",
            points(),
            to_appsource(),
            vec![
                has(
                    "src/RewardPoint.Table.al",
                    &["table 70000042 \"ABC Point Entry\""],
                ),
                has("src/PointMgt.Codeunit.al", &["Record \"ABC Point Entry\""]),
                Check::Text(
                    "src/RewardPoints.Page.al",
                    point_page_moved().replace("ABC Reward Point\";", "ABC Point Entry\";"),
                ),
            ],
        )
        .after(with(to_appsource(), |o| {
            o.names
                .insert("Reward Point".into(), "ABC Point Entry".into());
            o.mapping = Some(MoveMapping::parse("table,50100,70000042").unwrap());
        }))
        .on_original(),
        refused(
            "csv_mapping_with_a_bad_row_is_refused",
            points(),
            to_appsource(),
            Refusal::Input("mapping: line 2: IDs must be whole numbers: \"table,abc,1\""),
        )
        .mapping("table,50100,70000050\ntable,abc,1\n"),
        refused(
            "csv_mapping_of_an_unknown_object_is_refused",
            points(),
            to_appsource(),
            Refusal::Input("mapping: no table 50999 in the project"),
        )
        .mapping("table,50999,70000050\n"),
        moved(
            "affix_comes_from_appsourcecop_json",
            points_and("AppSourceCop.json", "{ \"mandatoryAffixes\": [\"XYZ\"] }\n"),
            with(to_appsource(), |o| o.affix = None),
            vec![
                has(
                    "src/PointMgt.Codeunit.al",
                    &["codeunit 70000000 \"XYZ Point Mgt\""],
                ),
                Check::Affix(Some("XYZ")),
                Check::Unchanged("AppSourceCop.json"),
                Check::Plan {
                    objects: 3,
                    members: 0,
                    names: 3,
                },
            ],
        ),
        moved(
            "suffix_affix_and_a_generated_id",
            points(),
            with(to_appsource(), |o| {
                o.id = None;
                o.affix_position = AffixPosition::Suffix;
            }),
            vec![
                has(
                    "src/PointMgt.Codeunit.al",
                    &[
                        "codeunit 70000000 \"Point Mgt ABC\"",
                        "Record \"Reward Point ABC\"",
                    ],
                ),
                Check::NewIdGenerated(true),
                Check::Identity(vec![
                    ("id", APP_ID, GENERATED_ID),
                    ("version", "1.0.0.0", "2.0.0.0"),
                    ("idRanges", "50100..50149", "70000000..70000099"),
                ]),
            ],
        ),
        moved(
            "explicit_identity_is_applied_when_the_move_needs_none",
            points(),
            with(MoveOptions::to(Scope::Pte, GENERATED_ID), |o| {
                o.from = Some(Scope::Pte);
                o.id = Some(NEW_ID.into());
                o.name = Some("Points Two".into());
                o.publisher = Some("Fabrikam".into());
                o.version = Some("3.0.0.0".parse().unwrap());
            }),
            vec![
                Check::Text(
                    "app.json",
                    app_json(NEW_ID, "Points Two", "[]", 50100, 50149)
                        .replace("Contoso", "Fabrikam")
                        .replace("1.0.0.0", "3.0.0.0"),
                ),
                Check::Identity(vec![
                    ("id", APP_ID, NEW_ID),
                    ("name", "Points", "Points Two"),
                    ("publisher", "Contoso", "Fabrikam"),
                    ("version", "1.0.0.0", "3.0.0.0"),
                ]),
                Check::FilesTouched(vec!["app.json"]),
                Check::Renumbered {
                    objects: 0,
                    members: 0,
                },
                Check::Renamed(0),
            ],
        ),
        // --- Refused requests ---
        refused(
            "unresolved_references_stop_the_move",
            points_with_customer(),
            to_appsource(),
            Refusal::Unresolved {
                missing: &["page Customer Card", "table Customer"],
                refs: 1,
                one_ref: Some("Name"),
            },
        ),
        moved(
            "unresolved_references_allowed_are_reported",
            points_with_customer(),
            with(to_appsource(), |o| o.allow_unresolved = true),
            vec![
                Check::Missing(vec!["page Customer Card", "table Customer"]),
                Check::Unresolved(1),
                has(
                    "src/CustomerPoints.Codeunit.al",
                    &["codeunit 70000001 \"ABC Customer Points\""],
                ),
            ],
        ),
        moved(
            "dependency_symbols_resolve_references",
            points_with_customer(),
            to_appsource(),
            vec![Check::Missing(vec![]), Check::Unresolved(0), Check::Proven],
        )
        .deps(base()),
        refused(
            "affix_missing_is_refused",
            points(),
            with(to_appsource(), |o| o.affix = None),
            Refusal::Input("adds an affix: pass one"),
        ),
        refused(
            "names_without_an_affix_are_refused",
            points(),
            with(to_appsource(), |o| {
                o.affix = None;
                o.names.insert("Point Mgt".into(), "ABC Points".into());
            }),
            Refusal::AffixMissing("appsource"),
        ),
        refused(
            "appsource_to_pte_needs_a_new_affix",
            points(),
            with(MoveOptions::to(Scope::Pte, GENERATED_ID), |o| {
                o.from = Some(Scope::APPSOURCE);
            }),
            Refusal::Input("renames every object for side-by-side use"),
        ),
        // --- Syntax errors (issue 23, item 2) ---
        refused(
            "a_file_that_does_not_parse_is_refused",
            points_and("src/Broken.Codeunit.al", "codeunit 50101 Broken\n{\n    procedure X()\n    begin\n        if then\n    end;\n}\n"),
            to_appsource(),
            Refusal::Syntax("src/Broken.Codeunit.al:5:"),
        ),
        moved(
            "syntax_errors_allowed_are_reported",
            points_and("src/Broken.Codeunit.al", "codeunit 50101 Broken\n{\n    procedure X()\n    begin\n        if then\n    end;\n}\n"),
            with(to_appsource(), |o| o.allow_syntax_errors = true),
            vec![
                Check::LeftForUser("syntax error(s) in the app's files were accepted"),
                has("src/PointMgt.Codeunit.al", &["codeunit 70000000"]),
            ],
        ),
        refused(
            "a_dependent_file_that_does_not_parse_is_refused",
            points(),
            to_appsource(),
            Refusal::Syntax("[bonus] src/Broken.Codeunit.al:5:"),
        )
        .dependent("bonus", {
            let mut b = bonus();
            b.push(ProjectFile::new(
                "src/Broken.Codeunit.al",
                b"codeunit 50201 Broken\n{\n    procedure X()\n    begin\n        if then\n    end;\n}\n".to_vec(),
            ));
            b
        }),
        // --- Input checks (issue 23, item 4) ---
        refused(
            "a_pte_range_for_appsource_is_refused",
            points(),
            with(to_appsource(), |o| {
                o.ranges = vec![IdRange::new(50_000, 50_099)];
            }),
            Refusal::Input("target range 50000..50099 is not valid for appsource"),
        ),
        refused(
            "an_appsource_range_for_a_pte_is_refused",
            points(),
            with(MoveOptions::to(Scope::Pte, GENERATED_ID), |o| {
                o.from = Some(Scope::Pte);
                o.ranges = vec![IdRange::new(70_000_000, 70_000_099)];
            }),
            Refusal::Input("is not valid for pte"),
        ),
        refused(
            "a_range_in_the_system_range_is_refused",
            points(),
            with(MoveOptions::to(Scope::Dev, GENERATED_ID), |o| {
                o.ranges = vec![IdRange::new(2_147_483_600, 2_147_483_647)];
            }),
            Refusal::Input("is not valid for dev"),
        ),
        refused(
            "a_two_character_affix_is_refused",
            points(),
            with(to_appsource(), |o| o.affix = Some("AB".into())),
            Refusal::Input("affix \"AB\": a registered affix has 3 characters"),
        ),
        refused(
            "an_affix_with_a_quote_is_refused",
            points(),
            with(to_appsource(), |o| o.affix = Some("AB\"C".into())),
            Refusal::Input("must not contain quotes"),
        ),
        refused(
            "an_affix_with_a_control_character_is_refused",
            points(),
            with(to_appsource(), |o| o.affix = Some("AB\u{7}C".into())),
            Refusal::Input("must not contain control characters"),
        ),
        moved(
            "a_composite_affix_is_accepted",
            points(),
            with(to_appsource(), |o| o.affix = Some("fab-rentals".into())),
            vec![Check::Affix(Some("fab-rentals"))],
        ),
        refused(
            "names_giving_two_objects_one_name_are_refused",
            points_and("src/Setup.Table.al", "table 50101 \"Point Setup\" { }\n"),
            with(to_appsource(), |o| {
                o.names.insert("Reward Point".into(), "ABC Points".into());
                o.names.insert("Point Setup".into(), "ABC Points".into());
            }),
            Refusal::Input(
                "table \"Reward Point\" and table \"Point Setup\" would both be named \"ABC Points\"",
            ),
        ),
        refused(
            "names_giving_two_fields_one_name_are_refused",
            extensions(),
            with(to_appsource(), |o| {
                o.names.insert("Bonus Points".into(), "ABC Bonus".into());
                o.names.insert("Bonus Level".into(), "ABC Bonus".into());
            }),
            Refusal::Input(
                "tableextension \"Customer Bonus\": field \"Bonus Points\" and field \"Bonus Level\" would both be named \"ABC Bonus\"",
            ),
        )
        .deps(base()),
        refused(
            "names_that_rename_nothing_are_refused",
            points(),
            with(to_appsource(), |o| {
                o.names.insert("Reward Pointz".into(), "ABC Points".into());
            }),
            Refusal::Input("no object of the app has and no member the move renames: \"Reward Pointz\""),
        ),
        refused(
            "mapping_rows_giving_two_objects_one_id_are_refused",
            points_and("src/Setup.Table.al", "table 50101 \"Point Setup\" { }\n"),
            to_appsource(),
            Refusal::Input(
                "rows \"table,50100,70000050\" and \"table,50101,70000050\" give two symbols the ID 70000050",
            ),
        )
        .mapping("table,50100,70000050\ntable,50101,70000050\n"),
        refused(
            "a_duplicate_mapping_row_is_refused",
            points(),
            to_appsource(),
            Refusal::Input("row \"table,50100,70000050\" is given twice"),
        )
        .mapping("table,50100,70000050\ntable,50100,70000050\n"),
        refused(
            "a_mapping_id_outside_the_target_range_is_refused",
            points(),
            to_appsource(),
            Refusal::Input(
                "row \"table,50100,70000500\": ID 70000500 is outside the target ranges 70000000..70000099",
            ),
        )
        .mapping("table,50100,70000500\n"),
        refused(
            "a_mapping_id_taken_by_a_planned_object_is_refused",
            points_and("src/Setup.Table.al", "table 50101 \"Point Setup\" { }\n"),
            to_appsource(),
            Refusal::Input("would both get the ID 70000000"),
        )
        .mapping("table,50101,70000000\n"),
        refused(
            "out_of_object_ids",
            points_and("src/Setup.Table.al", "table 50101 \"Point Setup\" { }\n"),
            with(to_appsource(), |o| {
                o.ranges = vec![IdRange::new(70_000_000, 70_000_000)];
            }),
            Refusal::OutOfIds("table objects"),
        ),
        refused(
            "out_of_member_ids",
            extensions(),
            with(to_appsource(), |o| {
                o.ranges = vec![IdRange::new(70_000_000, 70_000_000)];
            }),
            Refusal::OutOfIds("members of tableextension \"Customer Bonus\""),
        )
        .deps(base()),
        refused(
            "a_dependent_that_does_not_depend_on_the_app_is_refused",
            points(),
            to_appsource(),
            Refusal::Input("other: does not depend on \"Points\""),
        )
        .dependent(
            "other",
            files(&[("app.json", &app_json(DEP_ID, "Other", "[]", 50150, 50199))]),
        ),
        refused(
            "reverse_without_a_mapping_is_refused",
            points(),
            reverse(),
            Refusal::Input("a reverse move needs the mapping of the move"),
        ),
        refused(
            "reverse_of_another_app_is_refused",
            points(),
            reverse(),
            Refusal::Input("is not the moved app's id"),
        )
        .after(to_appsource())
        .on_original(),
        moved(
            "reverse_restores_a_name_a_newer_object_took_with_a_warning",
            points(),
            reverse(),
            vec![
                has("src/RewardPoint.Table.al", &["table 50100 \"Reward Point\""]),
                Check::Warning("has that name now"),
            ],
        )
        .after(to_appsource())
        .tamper(|files| {
            files.push(ProjectFile::new(
                "src/Newer.Table.al",
                b"table 70000050 \"Reward Point\" { }\n".to_vec(),
            ))
        }),
        refused(
            "reverse_after_app_json_changed_is_refused",
            points(),
            reverse(),
            Refusal::Input("app.json: changed since the move"),
        )
        .after(to_appsource())
        .tamper(|files| {
            let f = files.iter_mut().find(|f| f.path == "app.json").unwrap();
            let t = text(&f.bytes).replace("\"2.0.0.0\"", "\"2.0.0.1\"");
            *f = ProjectFile::new("app.json", t.into_bytes());
        }),
        // --- Reverse ---
        // Moved to AppSource (with a dependent), then back with the move's mapping: the
        // created AppSourceCop.json is deleted, launch.json, .objidconfig, the XLIFF file,
        // UTF-16 and BOM files and references in another case or with quotes they do not
        // need come back as they were.
        moved(
            "forward_then_reverse_restores_every_byte",
            points_for_reverse(),
            reverse(),
            vec![Check::Restored, Check::Renamed(4)],
        )
        .dependent("bonus", bonus())
        .after(to_appsource()),
        // --- Side by side ---
        moved(
            "namespaced_objects_keep_their_names",
            points_namespaced(),
            to_appsource(),
            vec![
                has(
                    "src/PointMgt.Codeunit.al",
                    &["codeunit 70000000 \"Point Mgt\""],
                ),
                Check::Renamed(0),
                Check::SideBySide(false),
            ],
        ),
        moved(
            "side_by_side_renames_every_object",
            points_namespaced(),
            with(to_appsource(), |o| o.side_by_side = true),
            vec![
                has(
                    "src/PointMgt.Codeunit.al",
                    &["codeunit 70000000 \"ABC Point Mgt\""],
                ),
                Check::Renamed(3),
                Check::SideBySide(true),
                Check::Shared {
                    ids: vec![],
                    names: vec![],
                    members: vec![],
                },
            ],
        ),
        // --- Other files ---
        moved(
            "launch_objidconfig_appsourcecop_and_xliff_follow_the_move",
            points_with_settings(),
            to_appsource(),
            vec![
                // startupObjectId follows its object (Page by default); every other byte kept.
                Check::Text(
                    ".vscode/launch.json",
                    LAUNCH_JSON.replace(
                        "\"startupObjectId\": 50100",
                        "\"startupObjectId\": 70000000",
                    ),
                ),
                // idRanges: the target ranges, descriptions kept; objectRanges moved to
                // the same positions in the target ranges.
                Check::Text(
                    ".objidconfig",
                    OBJIDCONFIG
                        .replace(
                            "{ \"from\": 50100, \"to\": 50149, \"description\": \"all\" }",
                            "{ \"from\": 70000000, \"to\": 70000099, \"description\": \"all\" }",
                        )
                        .replace(
                            "{ \"from\": 50100, \"to\": 50119, \"description\": \"Tables\" }",
                            "{ \"from\": 70000000, \"to\": 70000019, \"description\": \"Tables\" }",
                        )
                        .replace(
                            "{ \"from\": 50120, \"to\": 50149 }",
                            "{ \"from\": 70000020, \"to\": 70000049 }",
                        ),
                ),
                // The affix added to the settings that had none.
                Check::Text(
                    "AppSourceCop.json",
                    "{
  \"mandatoryAffixes\": [\"ABC\"],
  \"supportedCountries\": [\"US\"]
}
"
                    .into(),
                ),
                // Trans-unit ids (name hashes) and notes follow the renamed objects.
                Check::Text(
                    "Translations/Points.de-DE.xlf",
                    points_xlf_of("ABC Reward Point", "ABC Point Mgt"),
                ),
                Check::FilesTouched(vec![
                    ".objidconfig",
                    ".vscode/launch.json",
                    "AppSourceCop.json",
                    "Translations/Points.de-DE.xlf",
                    "app.json",
                    "src/PointMgt.Codeunit.al",
                    "src/RewardPoint.Table.al",
                    "src/RewardPoints.Page.al",
                ]),
            ],
        ),
        // --- Moving again (issue 23, item 5) ---
        moved(
            "a_second_move_says_it_was_already_done",
            points(),
            to_appsource(),
            vec![
                Check::AlreadyDone("the app is already in appsource"),
                Check::AlreadyDone("every name that needs it already carries the affix ABC"),
                Check::Renamed(0),
            ],
        )
        .after(to_appsource()),
        moved(
            "appsourcecop_json_gets_the_affix_the_names_carry",
            points_and("AppSourceCop.json", "{ \"mandatoryAffixes\": [\"XYZ\"] }\n"),
            to_appsource(),
            vec![
                has("src/PointMgt.Codeunit.al", &["\"ABC Point Mgt\""]),
                Check::Text(
                    "AppSourceCop.json",
                    "{ \"mandatoryAffixes\": [\"XYZ\", \"ABC\"] }\n".into(),
                ),
            ],
        ),
        moved(
            "an_unreadable_objidconfig_is_reported_as_skipped",
            points_and(".objidconfig", "{ \"idRanges\": [ { \"from\": 50100, \"to\": \n"),
            to_appsource(),
            vec![
                Check::Unchanged(".objidconfig"),
                Check::Skipped(".objidconfig: not readable as JSON"),
            ],
        ),
        // Issue 19 item 12: a translation file the move cannot read was copied unchanged
        // without a word, its trans-unit ids still hashing the old names.
        moved(
            "an_unreadable_xlf_is_reported_as_skipped",
            points_and(
                "Translations/Points.g.xlf",
                "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\"><file>\n",
            ),
            to_appsource(),
            vec![
                Check::Unchanged("Translations/Points.g.xlf"),
                Check::Skipped("Translations/Points.g.xlf:"),
                Check::Skipped("not readable as XLIFF; left as it was"),
            ],
        ),
        moved(
            "appsourcecop_json_is_created",
            points(),
            to_appsource(),
            vec![
                Check::Created("AppSourceCop.json"),
                Check::Text(
                    "AppSourceCop.json",
                    "{\n  \"mandatoryAffixes\": [\n    \"ABC\"\n  ]\n}\n".into(),
                ),
            ],
        ),
        moved(
            "utf16_and_bom_files_keep_their_encoding",
            points_encoded(),
            to_appsource(),
            vec![
                Check::Bytes("src/PointMgt.Codeunit.al", utf16(&point_cu_moved())),
                Check::Bytes("src/RewardPoints.Page.al", bom(&point_page_moved())),
                Check::Proven,
            ],
        ),
        // --- Verification ---
        moved(
            "full_verification_when_asked",
            points(),
            with(to_appsource(), |o| o.full_verification = true),
            vec![Check::Full(vec!["asked for"])],
        ),
        moved(
            "proof_falls_back_to_full_verification_when_a_new_name_is_already_spelled",
            points_and(
                "src/Shadow.Codeunit.al",
                "codeunit 50190 Shadow\n{\n    var\n        \"ABC Reward Point\": Integer;\n}\n",
            ),
            to_appsource(),
            vec![Check::Full(vec![
                "src/Shadow.Codeunit.al:4:9",
                "already spells a new name",
            ])],
        ),
        // --- Dependents and dependencies (the example apps) ---
        // Was part of cli_move_flags::dependents_are_updated_and_reverse_restores_every_byte.
        moved(
            "loyalty_example_dependent_and_translation_follow_the_move",
            loyalty_translated(),
            loyalty_to_appsource(),
            vec![
                Check::DepText(
                    0,
                    "app.json",
                    REWARDS_APP_JSON
                        .replace(APP_ID, NEW_ID)
                        .replace("\"1.2.0.0\"", "\"2.0.0.0\""),
                ),
                Check::DepHas(
                    0,
                    "src/RewardCalculator.Codeunit.al",
                    vec!["Customer.\"CLY Loyalty Tier Code\""],
                ),
                Check::DepLacks(
                    0,
                    "src/RewardCalculator.Codeunit.al",
                    vec!["Customer.\"Loyalty Tier Code\""],
                ),
                Check::Dependents(vec![(
                    "loyalty-rewards",
                    vec!["app.json", "src/RewardCalculator.Codeunit.al"],
                    1,
                )]),
                Check::Text(
                    "Translations/Customer Loyalty.de-DE.xlf",
                    loyalty_xlf()
                        .replace(
                            &format!(
                                "- Field {} -",
                                al_manifest::xlf::name_hash("Loyalty Points")
                            ),
                            &format!(
                                "- Field {} -",
                                al_manifest::xlf::name_hash("CLY Loyalty Points")
                            ),
                        )
                        .replace(
                            "- Field Loyalty Points - Property Caption</note>",
                            "- Field CLY Loyalty Points - Property Caption</note>",
                        ),
                ),
                Check::Proven,
            ],
        )
        .dependent("loyalty-rewards", rewards()),
        moved(
            "loyalty_example_forward_then_reverse_restores_every_byte",
            loyalty_translated(),
            with(reverse(), |o| o.allow_unresolved = true),
            vec![Check::Restored],
        )
        .dependent("loyalty-rewards", rewards())
        .after(loyalty_to_appsource()),
        // Was part of cli_move_flags::migration_pte_copies_the_data_and_passes_the_pte_checks.
        moved(
            "loyalty_example_side_by_side_reaches_the_dependent",
            loyalty(),
            with(loyalty_to_appsource(), |o| o.side_by_side = true),
            vec![
                Check::DepHas(
                    0,
                    "src/LoyaltyReward.Table.al",
                    vec![
                        "TableRelation = \"CLY Loyalty Tier\";",
                        "Enum \"CLY Loyalty Level\"",
                    ],
                ),
                Check::SideBySide(true),
            ],
        )
        .dependent("loyalty-rewards", rewards()),
        // Was part of cli_move_flags::suffix_new_id_symbols_and_report.
        moved(
            "a_dependent_moves_with_its_dependency_s_symbols",
            bonus(),
            with(to_appsource(), |o| {
                o.ranges = vec![IdRange::new(70_000_100, 70_000_199)];
            }),
            vec![
                Check::Text(
                    "src/BonusMgt.Codeunit.al",
                    BONUS_CU.replace(
                        "codeunit 50150 \"Bonus Mgt\"",
                        "codeunit 70000100 \"ABC Bonus Mgt\"",
                    ),
                ),
                Check::Missing(vec![]),
                Check::Unresolved(0),
            ],
        )
        .deps(symbols_of(&points())),
        refused(
            "a_dependent_without_its_dependency_s_symbols_is_refused",
            bonus(),
            with(to_appsource(), |o| {
                o.ranges = vec![IdRange::new(70_000_100, 70_000_199)];
            }),
            Refusal::Unresolved {
                missing: &[
                    "codeunit Point Mgt",
                    "page Reward Points",
                    "table Reward Point",
                ],
                refs: 0,
                one_ref: None,
            },
        ),
        moved(
            "an_old_name_also_kept_elsewhere_is_possibly_stale",
            files(&[
                ("app.json", &app_json(APP_ID, "Bonus", "[]", 50100, 50149)),
                (
                    "src/CustomerBonus.TableExt.al",
                    "tableextension 50100 \"Customer Bonus\" extends Customer
{
    fields
    {
        field(50100; \"Bonus Points\"; Integer) { }
    }
}
",
                ),
                (
                    "src/BonusEntry.Table.al",
                    "table 50100 \"Bonus Entry\"
{
    fields
    {
        field(1; \"Bonus Points\"; Integer) { }
    }
}
",
                ),
                (
                    "src/BonusMgt.Codeunit.al",
                    "codeunit 50100 \"Bonus Mgt\"
{
    procedure Grant(var C: Record Customer; var V: Record Vendor)
    begin
        C.\"Bonus Points\" := 1;
        V.\"Bonus Points\" := 1;
    end;
}
",
                ),
            ]),
            with(to_appsource(), |o| o.allow_unresolved = true),
            vec![
                // Customer has no symbols, but its extension's field resolves; Vendor's
                // field cannot be told from the own table's field of the same name, so it
                // is left and listed.
                Check::PossiblyStale(vec!["src/BonusMgt.Codeunit.al:6:11 \"Bonus Points\""]),
                Check::UpdatedByName(vec![]),
                has(
                    "src/BonusMgt.Codeunit.al",
                    &["C.\"ABC Bonus Points\" := 1;", "V.\"Bonus Points\" := 1;"],
                ),
                has(
                    "src/CustomerBonus.TableExt.al",
                    &["field(70000000; \"ABC Bonus Points\""],
                ),
                has("src/BonusEntry.Table.al", &["field(1; \"Bonus Points\""]),
                Check::Missing(vec!["table Customer", "table Vendor"]),
            ],
        ),
        // Was cli_move_flags::verification_falls_back_to_the_full_check_when_a_new_name_is_
        // already_spelled.
        moved(
            "loyalty_example_variable_spelling_a_new_field_name_needs_the_full_check",
            {
                let mut p = loyalty();
                p.push(ProjectFile::new(
                    "src/Codeunits/Shadow.Codeunit.al",
                    b"codeunit 50190 Shadow
{
    var
        \"CLY Loyalty Points\": Integer;
}
"
                    .to_vec(),
                ));
                p
            },
            loyalty_to_appsource(),
            vec![
                // It is only a variable: the full check passes.
                Check::Full(vec![
                    "src/Codeunits/Shadow.Codeunit.al:4:9",
                    "already spells a new name",
                ]),
                has(
                    "src/Codeunits/Shadow.Codeunit.al",
                    &[
                        "codeunit 70000001 CLYShadow",
                        "\"CLY Loyalty Points\": Integer;",
                    ],
                ),
            ],
        ),
    ]
}
