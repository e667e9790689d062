//! The projects the rows move.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

/// The small "Points" app: a table, a page on it and a codeunit using both.
pub(crate) fn points() -> Vec<ProjectFile> {
    files(&[
        ("app.json", &app_json(APP_ID, "Points", "[]", 50100, 50149)),
        ("src/RewardPoint.Table.al", POINT_TABLE),
        ("src/RewardPoints.Page.al", POINT_PAGE),
        ("src/PointMgt.Codeunit.al", POINT_CU),
    ])
}

pub(crate) const POINT_TABLE: &str = "table 50100 \"Reward Point\"
{
    LookupPageId = \"Reward Points\";

    fields
    {
        field(1; \"Entry No.\"; Integer) { }
        field(2; Points; Integer) { }
    }
}
";

pub(crate) const POINT_PAGE: &str = "page 50100 \"Reward Points\"
{
    PageType = List;
    SourceTable = \"Reward Point\";

    layout
    {
        area(Content)
        {
            repeater(Lines)
            {
                field(Points; Rec.Points) { }
            }
        }
    }
}
";

pub(crate) const POINT_CU: &str = "codeunit 50100 \"Point Mgt\"
{
    procedure Add(var Point: Record \"Reward Point\")
    begin
        Point.Points += 1;
        Point.Modify();
        Page.Run(50100, Point);
        Codeunit.Run(Codeunit::\"Point Mgt\");
    end;
}
";

/// The bundled example app `examples/loyalty` (namespace `Contoso.Loyalty`).
pub(crate) fn loyalty() -> Vec<ProjectFile> {
    macro_rules! ex {
        ($p:literal) => {
            ProjectFile::new(
                $p,
                include_bytes!(concat!("../../../examples/loyalty/", $p)).to_vec(),
            )
        };
    }
    vec![
        ex!("app.json"),
        ex!("src/Codeunits/LoyaltyManagement.Codeunit.al"),
        ex!("src/Enums/LoyaltyLevel.Enum.al"),
        ex!("src/Enums/SalesLineTypeLoyalty.EnumExt.al"),
        ex!("src/Pages/CustomerCardLoyalty.PageExt.al"),
        ex!("src/Pages/LoyaltyTiers.Page.al"),
        ex!("src/Permissions/LoyaltyAdmin.PermissionSet.al"),
        ex!("src/Queries/CustomerPoints.Query.al"),
        ex!("src/Reports/LoyaltyPointsStatement.Report.al"),
        ex!("src/Reports/LoyaltyPointsStatement.rdlc"),
        ex!("src/Tables/CustomerLoyalty.TableExt.al"),
        ex!("src/Tables/LoyaltyTier.Table.al"),
    ]
}

/// The bundled example app `examples/loyalty-rewards`, which depends on [`loyalty`].
pub(crate) fn rewards() -> Vec<ProjectFile> {
    macro_rules! ex {
        ($p:literal) => {
            ProjectFile::new(
                $p,
                include_bytes!(concat!("../../../examples/loyalty-rewards/", $p)).to_vec(),
            )
        };
    }
    vec![
        ex!("app.json"),
        ex!("src/LoyaltyReward.Table.al"),
        ex!("src/RewardCalculator.Codeunit.al"),
    ]
}

pub(crate) const LOYALTY_APP_JSON: &str = include_str!("../../../examples/loyalty/app.json");
pub(crate) const REWARDS_APP_JSON: &str =
    include_str!("../../../examples/loyalty-rewards/app.json");

/// A translation file of the loyalty example with units under the table extension's
/// field `Loyalty Points` and under the table `Loyalty Tier` (ids are name hashes).
pub(crate) fn loyalty_xlf() -> String {
    use al_manifest::xlf::name_hash as h;
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file datatype="xml" source-language="en-US" target-language="de-DE" original="Customer Loyalty">
    <body>
      <group id="body">
        <trans-unit id="TableExtension {} - Field {} - Property {}" size-limit="2147483647" translate="yes" xml:space="preserve" al-object-target="Table {}">
          <source>Loyalty Points</source>
          <target>Treuepunkte</target>
          <note from="Xliff Generator" annotates="general" priority="3">TableExtension Customer Loyalty - Field Loyalty Points - Property Caption</note>
        </trans-unit>
        <trans-unit id="Table {} - Property {}" size-limit="2147483647" translate="yes" xml:space="preserve">
          <source>Loyalty Tier</source>
          <target>Treuestufe</target>
          <note from="Xliff Generator" annotates="general" priority="3">Table Loyalty Tier - Property Caption</note>
        </trans-unit>
      </group>
    </body>
  </file>
</xliff>
"#,
        h("Customer Loyalty"),
        h("Loyalty Points"),
        h("Caption"),
        h("Customer"),
        h("Loyalty Tier"),
        h("Caption"),
    )
}

/// [`loyalty`] with [`loyalty_xlf`].
pub(crate) fn loyalty_translated() -> Vec<ProjectFile> {
    let mut p = loyalty();
    p.push(ProjectFile::new(
        "Translations/Customer Loyalty.de-DE.xlf",
        loyalty_xlf().into_bytes(),
    ));
    p
}

/// The options of the CLI tests' move of the example: AppSource, 70000000..70000099,
/// affix CLY, app id [`NEW_ID`], unresolved references (the base app's) allowed.
pub(crate) fn loyalty_to_appsource() -> MoveOptions {
    with(to_appsource(), |o| {
        o.affix = Some("CLY".into());
        o.allow_unresolved = true;
    })
}

/// A dependent of [`points`] ("Bonus"): its own codeunit uses the table, the page and the
/// codeunit of the app.
pub(crate) fn bonus() -> Vec<ProjectFile> {
    files(&[
        ("app.json", BONUS_APP_JSON),
        ("src/BonusMgt.Codeunit.al", BONUS_CU),
    ])
}

pub(crate) const BONUS_APP_JSON: &str = r#"{
  "id": "a7c2e9d4-3b18-4f6a-9e05-6d1b8c4f2e37",
  "name": "Bonus",
  "publisher": "Fabrikam",
  "version": "3.1.0.0",
  "dependencies": [
    {
      "id": "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11",
      "name": "Points",
      "publisher": "Contoso",
      "version": "1.0.0.0"
    }
  ],
  "idRanges": [ { "from": 50150, "to": 50199 } ]
}
"#;

pub(crate) const BONUS_CU: &str = "codeunit 50150 \"Bonus Mgt\"
{
    procedure Grant()
    var
        Point: Record \"Reward Point\";
        PointMgt: Codeunit \"Point Mgt\";
    begin
        Point.Points := 10;
        PointMgt.Add(Point);
        Page.Run(Page::\"Reward Points\", Point);
    end;
}
";

/// Table and enum extensions of the [`base`] app, an own enum, a page extension and a
/// codeunit using them all.
pub(crate) fn extensions() -> Vec<ProjectFile> {
    files(&[
        (
            "app.json",
            &app_json(APP_ID, "Bonus Ext", &base_dep(), 50100, 50149),
        ),
        ("src/CustomerBonus.TableExt.al", EXT_TABLEEXT),
        ("src/SalesLineBonus.EnumExt.al", EXT_ENUMEXT),
        ("src/BonusLevel.Enum.al", EXT_ENUM),
        ("src/CustomerCardBonus.PageExt.al", EXT_PAGEEXT),
        ("src/BonusMgt.Codeunit.al", EXT_CU),
    ])
}

pub(crate) const EXT_TABLEEXT: &str = "tableextension 50100 \"Customer Bonus\" extends Customer
{
    fields
    {
        field(50100; \"Bonus Points\"; Integer) { }
        field(50101; \"Bonus Level\"; Enum \"Bonus Level\") { }
    }
}
";

pub(crate) const EXT_ENUMEXT: &str =
    "enumextension 50100 \"Sales Line Bonus\" extends \"Sales Line Type\"
{
    value(50100; \"Bonus Line\") { }
    value(50101; \"Bonus Credit\") { }
}
";

pub(crate) const EXT_ENUM: &str = "enum 50100 \"Bonus Level\"
{
    Extensible = true;
    value(0; None) { }
    value(1; Gold) { }
}
";

pub(crate) const EXT_PAGEEXT: &str =
    "pageextension 50100 \"Customer Card Bonus\" extends \"Customer Card\"
{
    layout
    {
        addafter(Name)
        {
            field(BonusPoints; Rec.\"Bonus Points\") { }
        }
    }
}
";

pub(crate) const EXT_CU: &str = "codeunit 50100 \"Bonus Mgt\"
{
    procedure Grant(var Customer: Record Customer; var LineType: Enum \"Sales Line Type\")
    begin
        Customer.\"Bonus Points\" += 1;
        Customer.\"Bonus Level\" := Enum::\"Bonus Level\"::Gold;
        LineType := LineType::\"Bonus Line\";
        Customer.Validate(\"Bonus Points\");
    end;
}
";

/// [`points`] with one more file.
pub(crate) fn points_and(path: &str, text: &str) -> Vec<ProjectFile> {
    let mut p = points();
    p.push(ProjectFile::new(path, text.as_bytes().to_vec()));
    p
}

/// Names at the 30-character limit: a table and a table-extension field of the [`base`]
/// app's Customer, referenced from a codeunit.
pub(crate) fn long_names() -> Vec<ProjectFile> {
    files(&[
        (
            "app.json",
            &app_json(APP_ID, "Long", &base_dep(), 50100, 50149),
        ),
        (
            "src/Ledger.Table.al",
            "table 50100 \"Customer Loyalty Points Ledger\"
{
    fields
    {
        field(1; \"Entry No.\"; Integer) { }
    }
}
",
        ),
        (
            "src/Customer.TableExt.al",
            "tableextension 50100 \"Cust Ext\" extends Customer
{
    fields
    {
        field(50100; \"Loyalty Points Balance Amount\"; Integer) { }
    }
}
",
        ),
        (
            "src/Use.Codeunit.al",
            "codeunit 50100 \"Use Ledger\"
{
    procedure Run(var C: Record Customer)
    var
        L: Record \"Customer Loyalty Points Ledger\";
    begin
        C.\"Loyalty Points Balance Amount\" := L.Count();
    end;
}
",
        ),
    ])
}

/// UTF-16 LE with BOM.
pub(crate) fn utf16(text: &str) -> Vec<u8> {
    let mut v = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        v.extend_from_slice(&u.to_le_bytes());
    }
    v
}

/// UTF-8 with BOM.
pub(crate) fn bom(text: &str) -> Vec<u8> {
    let mut v = vec![0xEF, 0xBB, 0xBF];
    v.extend_from_slice(text.as_bytes());
    v
}

/// [`points`] with the codeunit in UTF-16 and the page in UTF-8 with a BOM.
pub(crate) fn points_encoded() -> Vec<ProjectFile> {
    let mut p = points();
    for f in &mut p {
        if f.path == "src/PointMgt.Codeunit.al" {
            *f = ProjectFile::new(f.path.clone(), utf16(POINT_CU));
        } else if f.path == "src/RewardPoints.Page.al" {
            *f = ProjectFile::new(f.path.clone(), bom(POINT_PAGE));
        }
    }
    p
}

pub(crate) const LAUNCH_JSON: &str = "{
  // debug
  \"version\": \"0.2.0\",
  \"configurations\": [
    { \"name\": \"list\", \"type\": \"al\", \"startupObjectId\": 50100 },
    { \"name\": \"run\", \"startupObjectType\": \"Codeunit\", \"startupObjectId\": 50100 },
    { \"name\": \"other\", \"startupObjectType\": \"Page\", \"startupObjectId\": 22 }
  ]
}
";

pub(crate) const OBJIDCONFIG: &str = "{
  \"idRanges\": [
    { \"from\": 50100, \"to\": 50149, \"description\": \"all\" }
  ],
  \"objectRanges\": {
    \"table\": [ { \"from\": 50100, \"to\": 50119, \"description\": \"Tables\" } ],
    \"codeunit\": [ { \"from\": 50120, \"to\": 50149 } ]
  },
  \"appPoolId\": \"x\"
}
";

/// A translation of [`points`] (a caption of the table, a label of the codeunit), with
/// the names of the table and the codeunit given.
pub(crate) fn points_xlf_of(table: &str, codeunit: &str) -> String {
    use al_manifest::xlf::name_hash as h;
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file datatype="xml" source-language="en-US" target-language="de-DE" original="Points">
    <body>
      <group id="body">
        <trans-unit id="Table {} - Property {}" translate="yes" xml:space="preserve">
          <source>Reward Point</source>
          <target>Bonuspunkt</target>
          <note from="Xliff Generator" annotates="general" priority="3">Table {table} - Property Caption</note>
        </trans-unit>
        <trans-unit id="Codeunit {} - Method {} - NamedType {}" translate="yes" xml:space="preserve">
          <source>Added</source>
          <target>Addiert</target>
          <note from="Xliff Generator" annotates="general" priority="3">Codeunit {codeunit} - Method Add - NamedType AddedMsg</note>
        </trans-unit>
      </group>
    </body>
  </file>
</xliff>
"#,
        h(table),
        h("Caption"),
        h(codeunit),
        h("Add"),
        h("AddedMsg"),
    )
}

pub(crate) fn points_xlf() -> String {
    points_xlf_of("Reward Point", "Point Mgt")
}

/// [`points`] with launch.json, .objidconfig, AppSourceCop.json (no affix yet) and a
/// translation.
pub(crate) fn points_with_settings() -> Vec<ProjectFile> {
    let mut p = points();
    p.extend(files(&[
        (".vscode/launch.json", LAUNCH_JSON),
        (".objidconfig", OBJIDCONFIG),
        (
            "AppSourceCop.json",
            "{\n  \"supportedCountries\": [\"US\"]\n}\n",
        ),
        ("Translations/Points.de-DE.xlf", &points_xlf()),
    ]));
    p
}

/// Everything a reverse move has to restore: the settings files, a created
/// AppSourceCop.json, other encodings, and references spelled in another case or with
/// quotes they do not need.
pub(crate) fn points_for_reverse() -> Vec<ProjectFile> {
    let mut p = points_encoded();
    p.extend(files(&[
        (".vscode/launch.json", LAUNCH_JSON),
        (".objidconfig", OBJIDCONFIG),
        ("Translations/Points.de-DE.xlf", &points_xlf()),
        (
            "src/Spelling.Codeunit.al",
            "codeunit 50101 Helper
{
    procedure Run()
    var
        P: record \"reward point\";
        H: Codeunit \"Helper\";
    begin
        codeunit.run(codeunit::\"POINT MGT\");
        Page.Run(page::\"Reward Points\", P);
        H.Run();
    end;
}
",
        ),
    ]));
    p
}

/// [`points`] with a codeunit using the base app's Customer and an extension of its
/// Customer Card.
pub(crate) fn points_with_customer() -> Vec<ProjectFile> {
    let mut p = points_and(
        "src/CustomerPoints.Codeunit.al",
        "codeunit 50101 \"Customer Points\"
{
    procedure Total(var Customer: Record Customer): Text
    begin
        exit(Customer.Name);
    end;
}
",
    );
    p.push(ProjectFile::new(
        "src/CustomerCard.PageExt.al",
        b"pageextension 50100 \"Customer Card Points\" extends \"Customer Card\"
{
    layout
    {
        addafter(Name)
        {
            field(PointsName; Rec.Name) { }
        }
    }
}
"
        .to_vec(),
    ));
    p
}

/// Namespaced objects (two levels: no affix needed) of [`points`].
pub(crate) fn points_namespaced() -> Vec<ProjectFile> {
    let mut p = points();
    for f in &mut p {
        if f.path.ends_with(".al") {
            let t = format!("namespace Contoso.Points;\n\n{}", text(&f.bytes));
            *f = ProjectFile::new(f.path.clone(), t.into_bytes());
        }
    }
    p
}

/// [`POINT_TABLE`], [`POINT_PAGE`] and [`POINT_CU`] moved to AppSource with affix ABC.
pub(crate) fn point_table_moved() -> String {
    POINT_TABLE
        .replace(
            "table 50100 \"Reward Point\"",
            "table 70000000 \"ABC Reward Point\"",
        )
        .replace("\"Reward Points\"", "\"ABC Reward Points\"")
}

pub(crate) fn point_page_moved() -> String {
    POINT_PAGE
        .replace(
            "page 50100 \"Reward Points\"",
            "page 70000000 \"ABC Reward Points\"",
        )
        .replace("\"Reward Point\";", "\"ABC Reward Point\";")
}

pub(crate) fn point_cu_moved() -> String {
    POINT_CU
        .replace(
            "codeunit 50100 \"Point Mgt\"",
            "codeunit 70000000 \"ABC Point Mgt\"",
        )
        .replace("Record \"Reward Point\"", "Record \"ABC Reward Point\"")
        .replace("Page.Run(50100", "Page.Run(70000000")
        .replace("Codeunit::\"Point Mgt\"", "Codeunit::\"ABC Point Mgt\"")
}
