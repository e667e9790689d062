#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The data-migration app of a side-by-side move, on a project built here with every case
//! a copy can lose: a BLOB, a Media, a MediaSet, an enum field (own enum renamed), a
//! FlowField, a FlowFilter, a removed obsolete field, an AutoIncrement key, a per-database
//! table, table-extension BLOB and Media fields, and an enum-extension value stored in a
//! base-app table and in a dependent's table. The generated app parses and resolves
//! against the old, the moved app and the base app with no unresolved reference.

use al_parser::resolve::{Unresolved, Workspace};
use al_parser::symbols::{AppInfo, AppSymbols, ParsedApp, SourceText};
use scope_rules::move_engine::migration::{
    MigrationError, MigrationInput, MigrationOptions, migration_app,
};
use scope_rules::move_engine::{
    Dependencies, Dependent, MoveOptions, MoveOutcome, ProjectFile, move_app,
};
use scope_rules::{IdRange, Scope};

const BASE_ID: &str = "437dbf0e-84ff-417a-965d-ed2bb9650972";
const OLD_ID: &str = "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11";
const NEW_ID: &str = "0b5e6f3c-6a53-4a4a-9df3-0c1a9d6b7e21";
const DEP_ID: &str = "7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

const BASE_AL: &str = r#"enum 3 "Customer Type"
{
    Extensible = true;
    value(0; Person) { }
    value(1; Company) { }
}

table 18 Customer
{
    fields
    {
        field(1; "No."; Code[20]) { }
        field(2; Name; Text[100]) { }
        field(3; "Customer Type"; Enum "Customer Type") { }
    }
    keys
    {
        key(PK; "No.") { Clustered = true; }
    }
}
"#;

const OLD_AL: &str = r#"enum 50100 "Loyalty Level"
{
    Extensible = true;
    value(0; Bronze) { }
    value(1; Gold) { }
}

enumextension 50100 "Loyalty Customer Type" extends "Customer Type"
{
    value(50100; Member) { }
}

table 50100 "Loyalty Card"
{
    fields
    {
        field(1; "Entry No."; Integer) { AutoIncrement = true; }
        field(2; Note; Blob) { }
        field(3; Photo; Media) { }
        field(4; Pictures; MediaSet) { }
        field(5; Level; Enum "Loyalty Level") { }
        field(6; "Customer Type"; Enum "Customer Type") { }
        field(7; "Total Points"; Decimal)
        {
            FieldClass = FlowField;
            CalcFormula = sum("Loyalty Entry".Points where("Card No." = field("Entry No.")));
        }
        field(8; "Date Filter"; Date) { FieldClass = FlowFilter; }
        field(9; Legacy; Text[30]) { ObsoleteState = Removed; ObsoleteReason = 'Gone'; ObsoleteTag = '1.0'; }
    }
    keys
    {
        key(PK; "Entry No.") { Clustered = true; }
    }
}

table 50101 "Loyalty Setup"
{
    DataPerCompany = false;
    fields
    {
        field(1; Code; Code[10]) { }
        field(2; Logo; Blob) { }
    }
    keys
    {
        key(PK; Code) { Clustered = true; }
    }
}

table 50102 "Loyalty Entry"
{
    fields
    {
        field(1; "Card No."; Integer) { }
        field(2; Points; Decimal) { }
    }
    keys
    {
        key(PK; "Card No.") { Clustered = true; }
    }
}

tableextension 50100 "Loyalty Customer" extends Customer
{
    fields
    {
        field(50100; "Loyalty Notes"; Blob) { }
        field(50101; "Loyalty Photo"; Media) { }
        field(50102; "Loyalty Level"; Enum "Loyalty Level") { }
    }
}
"#;

const DEP_AL: &str = r#"table 50200 "Loyalty Visit"
{
    fields
    {
        field(1; "No."; Integer) { }
        field(2; "Visitor Type"; Enum "Customer Type") { }
        field(3; "Visit Level"; Enum "Loyalty Level") { }
    }
    keys
    {
        key(PK; "No.") { Clustered = true; }
    }
}

tableextension 50201 "Visit Card" extends "Loyalty Card"
{
    fields
    {
        field(50200; "Last Visit"; Date) { }
    }
}

tableextension 50200 "Visit Customer" extends Customer
{
    fields
    {
        field(50200; "Preferred Type"; Enum "Customer Type") { }
    }
}
"#;

fn manifest(id: &str, name: &str, runtime: &str, deps: &str, from: u32, to: u32) -> String {
    format!(
        r#"{{
  "id": "{id}",
  "name": "{name}",
  "publisher": "Contoso",
  "version": "1.0.0.0",
  "platform": "24.0.0.0",
  "application": "24.0.0.0",
  "runtime": "{runtime}",
  "dependencies": {deps},
  "idRanges": [ {{ "from": {from}, "to": {to} }} ]
}}
"#
    )
}

fn old_project(runtime: &str) -> Vec<ProjectFile> {
    vec![
        ProjectFile::new(
            "app.json",
            manifest(OLD_ID, "Loyalty", runtime, "[]", 50100, 50149).into_bytes(),
        ),
        ProjectFile::new("src/Loyalty.al", OLD_AL.as_bytes().to_vec()),
    ]
}

fn dependent() -> Vec<ProjectFile> {
    let deps = format!(
        r#"[ {{ "id": "{OLD_ID}", "name": "Loyalty", "publisher": "Contoso", "version": "1.0.0.0" }} ]"#
    );
    vec![
        ProjectFile::new(
            "app.json",
            manifest(DEP_ID, "Loyalty Visits", "12.0", &deps, 50200, 50249).into_bytes(),
        ),
        ProjectFile::new("src/Visit.al", DEP_AL.as_bytes().to_vec()),
    ]
}

fn info(id: &str, name: &str) -> AppInfo {
    AppInfo {
        id: id.into(),
        name: name.into(),
        publisher: if id == BASE_ID {
            "Microsoft"
        } else {
            "Contoso"
        }
        .into(),
        version: "1.0.0.0".into(),
        dependencies: Vec::new(),
    }
}

fn sources(files: &[ProjectFile]) -> Vec<SourceText> {
    files
        .iter()
        .filter(|f| f.path.ends_with(".al"))
        .map(|f| SourceText::new(f.path.clone(), f.bytes.clone()))
        .collect()
}

fn base() -> ParsedApp {
    ParsedApp::parse(
        info(BASE_ID, "Base Application"),
        vec![SourceText::new("Base.al", BASE_AL.as_bytes().to_vec())],
    )
}

fn options() -> MoveOptions {
    let mut o = MoveOptions::to(Scope::APPSOURCE, NEW_ID);
    o.ranges = vec![IdRange::new(70_000_000, 70_000_099)];
    o.affix = Some("CLY".into());
    o.allow_unresolved = true;
    o.side_by_side = true;
    o
}

fn moved(project: &[ProjectFile]) -> MoveOutcome {
    let deps = Dependencies {
        sources: vec![base()],
        packages: Vec::new(),
    };
    let dependents = [Dependent {
        label: "visits".into(),
        files: dependent(),
    }];
    let out = move_app(project, &deps, &dependents, &options(), &mut |_, _, _| {}).unwrap();
    assert!(
        out.report.side_by_side.possible,
        "{:?}",
        out.report.side_by_side
    );
    out
}

/// The generated files: (app.json, codeunit, log table, MIGRATION.md).
struct Generated {
    files: Vec<ProjectFile>,
}

impl Generated {
    fn text(&self, path: &str) -> String {
        let f = self
            .files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no {path}"));
        String::from_utf8(f.bytes.to_vec()).unwrap()
    }
    fn code(&self) -> String {
        self.text("src/DataMigration.Codeunit.al")
    }
    fn notes(&self) -> String {
        self.text("MIGRATION.md")
    }
}

fn generate(
    project: &[ProjectFile],
    out: &MoveOutcome,
    with_deps: bool,
    options: MigrationOptions,
) -> Result<Generated, MigrationError> {
    let text = String::from_utf8(project[0].bytes.to_vec()).unwrap();
    let manifest = al_manifest::AppManifest::from_json_str(&text).unwrap();
    let mut objects = Vec::new();
    for f in project.iter().filter(|f| f.path.ends_with(".al")) {
        let parse = al_parser::parse(&f.bytes);
        objects.extend(scope_rules::parsed::objects_from_parse(&parse, &f.path));
    }
    let dependencies = if with_deps {
        vec![AppSymbols::from_parsed(&base())]
    } else {
        Vec::new()
    };
    let dependents = if with_deps {
        vec![AppSymbols::from_sources(
            info(DEP_ID, "Loyalty Visits"),
            sources(&dependent()),
        )]
    } else {
        Vec::new()
    };
    let files = migration_app(&MigrationInput {
        old_manifest: &manifest,
        old: &out.mapping.old_app,
        new: &out.mapping.new_app,
        objects: &objects,
        files: project,
        mapping: &out.mapping.mapping,
        symbols: None,
        dependencies: &dependencies,
        dependents: &dependents,
        options,
        id: "9d6c1b2a-3e4f-4a5b-8c7d-0e1f2a3b4c5d".into(),
    })?;
    Ok(Generated { files })
}

fn full() -> (Vec<ProjectFile>, MoveOutcome, Generated) {
    let project = old_project("12.0");
    let out = moved(&project);
    let g = generate(&project, &out, true, MigrationOptions::default()).unwrap();
    (project, out, g)
}

/// The statements of the step copying `table` (from its doc line to the next step).
fn step<'a>(code: &'a str, marker: &str) -> &'a str {
    let start = code
        .find(marker)
        .unwrap_or_else(|| panic!("no step {marker}:\n{code}"));
    let rest = &code[start..];
    let end = rest[1..].find("    /// ").map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

#[test]
fn the_generated_app_parses_and_resolves_against_old_new_and_base() {
    let (project, out, g) = full();
    let mig: Vec<SourceText> = sources(&g.files);
    for s in &mig {
        let p = al_parser::parse(&s.bytes);
        assert!(
            p.diagnostics().is_empty(),
            "{}: {:?}\n{}",
            s.path,
            p.diagnostics(),
            String::from_utf8_lossy(&s.bytes)
        );
    }
    let ws = Workspace::new(
        vec![
            ParsedApp::parse(info(OLD_ID, "Loyalty"), sources(&project)),
            ParsedApp::parse(info(NEW_ID, "CLY Loyalty"), sources(&out.files)),
            ParsedApp::parse(info("mig", "Migration"), mig),
        ],
        vec![
            base(),
            ParsedApp::parse(info(DEP_ID, "Loyalty Visits"), sources(&dependent())),
        ],
        vec![],
    );
    let unresolved: Vec<_> = ws
        .references(2)
        .iter()
        .filter(|r| {
            !r.resolution.is_resolved() && r.resolution.reason() != Some(&Unresolved::Platform)
        })
        .collect();
    assert!(unresolved.is_empty(), "{unresolved:#?}\n{}", g.code());
    // Something was resolved at all: the old and the new tables, the base table.
    let refs = ws.references(2);
    for name in [
        "Loyalty Card",
        "CLY Loyalty Card",
        "Customer",
        "Loyalty Visit",
    ] {
        assert!(
            refs.iter()
                .any(|r| r.text == name && r.resolution.is_resolved()),
            "{name}"
        );
    }
}

#[test]
fn blobs_are_calcfielded_before_they_are_copied() {
    let (_, _, g) = full();
    let code = g.code();
    let card = step(&code, "/// copy table \"Loyalty Card\"");
    let calc = card.find("Source.CalcFields(Note)").expect(card);
    let assign = card.find("Target.Note := Source.Note;").expect(card);
    assert!(calc < assign, "{card}");
    let ext = step(&code, "/// copy fields of Customer");
    let calc = ext.find("Rec.CalcFields(\"Loyalty Notes\")").expect(ext);
    let assign = ext
        .find("Rec.\"CLY Loyalty Notes\" := Rec.\"Loyalty Notes\";")
        .expect(ext);
    assert!(calc < assign, "{ext}");
}

#[test]
fn records_keep_their_system_id_and_are_not_copied_twice() {
    let (_, _, g) = full();
    let code = g.code();
    let card = step(&code, "/// copy table \"Loyalty Card\"");
    assert!(
        card.contains("if not Target.GetBySystemId(Source.SystemId) then begin"),
        "{card}"
    );
    let keep = card
        .find("Target.SystemId := Source.SystemId;")
        .expect(card);
    let insert = card.find("Target.Insert(false, true)").expect(card);
    assert!(keep < insert, "{card}");
    assert!(!card.contains("Validate("), "{card}");
    assert!(!card.contains("Modify("), "{card}");
    // The AutoIncrement key is copied as it is, and said so.
    assert!(
        card.contains("Target.\"Entry No.\" := Source.\"Entry No.\";"),
        "{card}"
    );
    assert!(
        g.notes().contains("AutoIncrement field \"Entry No.\""),
        "{}",
        g.notes()
    );
}

#[test]
fn media_content_is_copied_and_mediaset_is_reported() {
    let (_, _, g) = full();
    let code = g.code();
    let card = step(&code, "/// copy table \"Loyalty Card\"");
    assert!(card.contains("Source.Photo.ExportStream(OutS);"), "{card}");
    assert!(card.contains("Target.Photo.ImportStream(InS, "), "{card}");
    assert!(!card.contains("Target.Photo := "), "{card}");
    assert!(
        card.contains("Target.Pictures.Insert(Source.Pictures.Item(I));"),
        "{card}"
    );
    let ext = step(&code, "/// copy fields of Customer");
    assert!(
        ext.contains("Rec.\"Loyalty Photo\".ExportStream(OutS);"),
        "{ext}"
    );
    let notes = g.notes();
    assert!(notes.contains("MediaSet field \"Pictures\""), "{notes}");
}

#[test]
fn computed_and_removed_fields_are_skipped_and_listed() {
    let (_, _, g) = full();
    let code = g.code();
    for f in ["Total Points", "Date Filter", "Legacy"] {
        assert!(!code.contains(f), "{f}\n{code}");
    }
    let notes = g.notes();
    assert!(
        notes.contains("\"Total Points\" of table \"Loyalty Card\": FlowField"),
        "{notes}"
    );
    assert!(
        notes.contains("\"Date Filter\" of table \"Loyalty Card\": FlowFilter"),
        "{notes}"
    );
    assert!(
        notes.contains("\"Legacy\" of table \"Loyalty Card\": ObsoleteState = Removed"),
        "{notes}"
    );
}

#[test]
fn per_database_tables_are_copied_once() {
    let (_, _, g) = full();
    let code = g.code();
    let per_db = code.find("trigger OnInstallAppPerDatabase()").expect(&code);
    let per_company = code.find("trigger OnInstallAppPerCompany()").expect(&code);
    let setup_doc = code.find("/// copy table \"Loyalty Setup\"").expect(&code);
    let n: String = code[setup_doc..]
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .trim_start_matches("local procedure ")
        .to_string();
    let call = format!("        {n};");
    let at = code.find(&call).expect(&code);
    assert!(at > per_db, "{code}");
    assert_eq!(code.matches(&call).count(), 1, "{code}");
    assert!(per_company < per_db || at > per_db, "{code}");
}

#[test]
fn renumbered_enum_extension_values_are_rewritten_everywhere() {
    let (_, out, g) = full();
    let value = out
        .mapping
        .mapping
        .iter()
        .find(|e| e.kind == "value" && e.object_kind == "enumextension")
        .expect("the enum-extension value is renumbered");
    let (old, new) = (value.old_id.unwrap(), value.new_id.unwrap());
    assert_ne!(old, new);
    let code = g.code();
    // The base app's table and the dependent's table.
    let base = step(
        &code,
        "/// rewrite renumbered \"Customer Type\" ordinals in \"Customer\"",
    );
    assert!(base.contains("Rec: Record Customer;"), "{base}");
    // FlowFields and primary-key fields cannot take ModifyAll: checked at run time (symbols
    // do not say), skipped and logged.
    assert!(
        base.contains("if not Rewritable(RecRef, Rec.FieldNo(\"Customer Type\")) then begin"),
        "{base}"
    );
    assert!(code.contains("if RecRef.Field(FieldNo).Class() <> FieldClass::Normal then"));
    assert!(
        base.contains("Rec.SetRange(\"Customer Type\", Enum::\"Customer Type\"::Member);"),
        "{base}"
    );
    assert!(
        base.contains(&format!(
            "Rec.ModifyAll(\"Customer Type\", Enum::\"Customer Type\"::{}, false);",
            al_parser::edit::format_name(&value.new_name)
        )),
        "{base}"
    );
    let dep = step(
        &code,
        "/// rewrite renumbered \"Customer Type\" ordinals in \"Loyalty Visit\"",
    );
    assert!(dep.contains("Rec.ModifyAll(\"Visitor Type\""), "{dep}");
    // A dependent's table-extension field on the base table.
    let ext = step(
        &code,
        "/// rewrite renumbered \"Customer Type\" ordinals in \"Customer\".\"Preferred Type\"",
    );
    assert!(ext.contains("Rec: Record Customer;"), "{ext}");
    assert!(ext.contains("Rec.ModifyAll(\"Preferred Type\""), "{ext}");
    // The moved table's own field converts while copying.
    let card = step(&code, "/// copy table \"Loyalty Card\"");
    assert!(
        card.contains(
            "Enum::\"Customer Type\".FromInteger(Ordinal1(Source.\"Customer Type\".AsInteger()))"
        ),
        "{card}"
    );
    assert!(
        code.contains(&format!("{old}:\n                exit({new});")),
        "{code}"
    );
    // The renamed own enum converts by ordinal.
    assert!(
        card.contains("Enum::\"CLY Loyalty Level\".FromInteger(Source.Level.AsInteger())"),
        "{card}"
    );
    // The migration app depends on the dependent whose table it rewrites.
    let app = g.text("app.json");
    assert!(app.contains(DEP_ID), "{app}");
}

#[test]
fn without_dependency_symbols_the_uncovered_tables_are_named() {
    let project = old_project("12.0");
    let out = moved(&project);
    let g = generate(&project, &out, false, MigrationOptions::default()).unwrap();
    assert!(!g.code().contains("rewrite renumbered"), "{}", g.code());
    let notes = g.notes();
    assert!(
        notes.contains("fields of enum \"Customer Type\" in the base app and other dependencies"),
        "{notes}"
    );
}

#[test]
fn every_table_touched_has_permissions() {
    let (_, _, g) = full();
    let code = g.code();
    let perms = &code[code.find("Permissions =").unwrap()..code.find("trigger").unwrap()];
    for t in [
        "tabledata \"Loyalty Card\" = R",
        "tabledata \"CLY Loyalty Card\" = RIM",
        "tabledata \"Loyalty Setup\" = R",
        "tabledata \"CLY Loyalty Setup\" = RIM",
        "tabledata Customer = RM",
        "tabledata \"Loyalty Visit\" = RM",
    ] {
        assert!(perms.contains(t), "{t}\n{perms}");
    }
}

#[test]
fn id_name_and_publisher_are_choosable() {
    let project = old_project("12.0");
    let out = moved(&project);
    let g = generate(
        &project,
        &out,
        true,
        MigrationOptions {
            object_id: Some(60000),
            name: Some("My Migration".into()),
            publisher: Some("Me".into()),
            bulk: false,
        },
    )
    .unwrap();
    let app: serde_json::Value = serde_json::from_str(&g.text("app.json")).unwrap();
    assert_eq!(app["name"], "My Migration");
    assert_eq!(app["publisher"], "Me");
    assert_eq!(app["idRanges"][0]["from"], 60000);
    assert_eq!(app["idRanges"][0]["to"], 60000);
    assert!(g.code().contains("codeunit 60000 "), "{}", g.code());
    assert!(
        g.text("src/DataMigrationLog.Table.al")
            .contains("table 60000 ")
    );
    let taken = generate(
        &project,
        &out,
        true,
        MigrationOptions {
            object_id: Some(50100),
            ..MigrationOptions::default()
        },
    );
    assert!(matches!(taken, Err(MigrationError::IdInUse(50100))));
    // The default: the first free ID from 50000, app name from the moved app.
    let (_, _, g) = full();
    let app: serde_json::Value = serde_json::from_str(&g.text("app.json")).unwrap();
    assert_eq!(app["idRanges"][0]["from"], 50000);
    assert!(app["name"].as_str().unwrap().ends_with(" Data Migration"));
}

#[test]
fn features_follow_the_runtime() {
    let (_, _, g) = full();
    assert!(g.text("app.json").contains("NoImplicitWith"));
    let project = old_project("5.0");
    let out = moved(&project);
    let g = generate(&project, &out, true, MigrationOptions::default()).unwrap();
    assert!(
        !g.text("app.json").contains("NoImplicitWith"),
        "{}",
        g.text("app.json")
    );
    assert!(g.code().contains("Insert(false, true)"));
    let project = old_project("4.0");
    let out = moved(&project);
    let g = generate(&project, &out, true, MigrationOptions::default()).unwrap();
    assert!(!g.code().contains("SystemId"), "{}", g.code());
    assert!(
        g.notes()
            .contains("SystemId: the app's runtime is below 5.0")
    );
}

#[test]
fn every_step_logs_its_counts_and_the_runbook_says_how_to_read_them() {
    let (_, _, g) = full();
    let code = g.code();
    let steps: Vec<&str> = code.split("local procedure Step").skip(1).collect();
    assert_eq!(steps.len(), 7, "{code}");
    for s in steps {
        let body = &s[..s.find("\n    end;\n").unwrap()];
        assert!(body.contains("Log('"), "{body}");
    }
    let notes = g.notes();
    for s in [
        "## Runbook",
        "?table=50000",
        "Rows Read",
        "Uninstall",
        "## Not copied, and why",
    ] {
        assert!(notes.contains(s), "{s}\n{notes}");
    }
    // The app keeps its name: the brief tells the two apps apart by version and says why.
    let brief = g.text("app.json");
    assert!(
        brief.contains("Copies data from Loyalty 1.0.0.0 to Loyalty 2.0.0.0 (new app id)"),
        "{brief}"
    );
}

/// Prints the generated app (`cargo test -p scope-rules --test migration -- --ignored --nocapture`).
#[test]
#[ignore]
fn print_the_generated_app() {
    let (_, _, g) = full();
    for f in &g.files {
        println!("==== {}\n{}", f.path, String::from_utf8_lossy(&f.bytes));
    }
}

#[test]
fn a_dependent_s_fields_on_a_moved_table_are_listed() {
    let (_, _, g) = full();
    let notes = g.notes();
    assert!(
        notes.contains("fields Last Visit of table extension \"Visit Card\" (Loyalty Visits) on moved table \"Loyalty Card\""),
        "{notes}"
    );
}

fn bulk(runtime: &str) -> (Vec<ProjectFile>, MoveOutcome, Generated) {
    let project = old_project(runtime);
    let out = moved(&project);
    let g = generate(
        &project,
        &out,
        true,
        MigrationOptions {
            bulk: true,
            ..MigrationOptions::default()
        },
    )
    .unwrap();
    (project, out, g)
}

#[test]
fn bulk_copies_with_data_transfer_where_the_platform_allows_it() {
    let (project, out, g) = bulk("12.0");
    let code = g.code();
    assert!(code.contains("Subtype = Upgrade;"), "{code}");
    assert!(code.contains("trigger OnUpgradePerCompany()"), "{code}");
    assert!(code.contains("trigger OnUpgradePerDatabase()"), "{code}");
    // A table whose fields copy as they are: CopyRows into an empty table.
    let entry = step(
        &code,
        "/// copy table \"Loyalty Entry\" to \"CLY Loyalty Entry\" with DataTransfer",
    );
    assert!(
        entry.contains("if not Target.IsEmpty() then begin"),
        "{entry}"
    );
    assert!(
        entry.contains(
            "Transfer.SetTables(Database::\"Loyalty Entry\", Database::\"CLY Loyalty Entry\");"
        ),
        "{entry}"
    );
    assert!(
        entry.contains("Transfer.AddFieldValue(Source.FieldNo(Points), Target.FieldNo(Points));"),
        "{entry}"
    );
    assert!(entry.contains("Transfer.CopyRows();"), "{entry}");
    // BLOBs copy as they are in SQL.
    assert!(
        code.contains(
            "/// copy table \"Loyalty Setup\" to \"CLY Loyalty Setup\" with DataTransfer"
        )
    );
    // Media, MediaSet and converted enums keep the record loop.
    let card = step(
        &code,
        "/// copy table \"Loyalty Card\" to \"CLY Loyalty Card\"\n",
    );
    assert!(card.contains("Target.Insert(false, true)"), "{card}");
    // The empty first version, same id, lower version.
    let first: serde_json::Value = serde_json::from_str(&g.text("first-version/app.json")).unwrap();
    let app: serde_json::Value = serde_json::from_str(&g.text("app.json")).unwrap();
    assert_eq!(first["id"], app["id"]);
    assert_eq!(first["version"], "1.0.0.0");
    assert_eq!(app["version"], "1.1.0.0");
    assert!(g.notes().contains("first-version/"), "{}", g.notes());
    assert!(
        g.notes()
            .contains("\"Loyalty Entry\" → \"CLY Loyalty Entry\": 2 fields; DataTransfer.CopyRows"),
        "{}",
        g.notes()
    );
    // It resolves like the install variant.
    let mig = sources(&g.files);
    let ws = Workspace::new(
        vec![
            ParsedApp::parse(info(OLD_ID, "Loyalty"), sources(&project)),
            ParsedApp::parse(info(NEW_ID, "CLY Loyalty"), sources(&out.files)),
            ParsedApp::parse(info("mig", "Migration"), mig),
        ],
        vec![
            base(),
            ParsedApp::parse(info(DEP_ID, "Loyalty Visits"), sources(&dependent())),
        ],
        vec![],
    );
    let unresolved: Vec<_> = ws
        .references(2)
        .iter()
        .filter(|r| {
            !r.resolution.is_resolved() && r.resolution.reason() != Some(&Unresolved::Platform)
        })
        .collect();
    assert!(unresolved.is_empty(), "{unresolved:#?}\n{code}");
}

#[test]
fn bulk_falls_back_to_the_install_codeunit_below_runtime_10() {
    let (_, _, g) = bulk("9.0");
    assert!(g.code().contains("Subtype = Install;"), "{}", g.code());
    assert!(!g.code().contains("DataTransfer"));
    assert!(!g.files.iter().any(|f| f.path.starts_with("first-version/")));
}

#[test]
fn a_dependent_s_field_of_a_renamed_enum_is_listed() {
    let (_, _, g) = full();
    let notes = g.notes();
    assert!(
        notes.contains("field \"Visit Level\" of \"Loyalty Visit\" (Loyalty Visits): the moved dependent types it enum \"CLY Loyalty Level\""),
        "{notes}"
    );
}

/// A table extension that names its base table by ID (`extends 18`, 2018–2020 code): the
/// migration names the table from the base app's symbols (`Record Customer`), and without
/// them keeps the number (`Record 18`), never a table called "18".
#[test]
fn a_base_table_named_by_id_is_copied_by_name_or_number() {
    let project: Vec<ProjectFile> = old_project("12.0")
        .into_iter()
        .map(|f| {
            let text = String::from_utf8(f.bytes.to_vec()).unwrap();
            let text = text.replace(
                "tableextension 50100 \"Loyalty Customer\" extends Customer",
                "tableextension 50100 \"Loyalty Customer\" extends 18",
            );
            ProjectFile::new(f.path.clone(), text.into_bytes())
        })
        .collect();
    assert!(
        project
            .iter()
            .any(|f| String::from_utf8_lossy(&f.bytes).contains("extends 18"))
    );
    let out = moved(&project);
    let with = generate(&project, &out, true, MigrationOptions::default()).unwrap();
    let code = with.code();
    assert!(code.contains("Rec: Record Customer;"), "{code}");
    assert!(!code.contains("\"18\""), "{code}");
    let without = generate(&project, &out, false, MigrationOptions::default()).unwrap();
    let code = without.code();
    assert!(code.contains("Rec: Record 18;"), "{code}");
    assert!(code.contains("tabledata 18 = "), "{code}");
    assert!(!code.contains("\"18\""), "{code}");
}

/// A data migration needs the old and the moved app side by side: a move that keeps the app
/// id (AppSource to AppSource) with a migration is refused, saying how to get a new id.
#[test]
fn a_migration_needs_a_new_app_id() {
    let project = old_project("12.0");
    let text = String::from_utf8(project[0].bytes.to_vec()).unwrap();
    let mut opts = options();
    opts.from = Some(Scope::APPSOURCE);
    let deps = Dependencies {
        sources: vec![base()],
        packages: Vec::new(),
    };
    let err = move_app(&project, &deps, &[], &opts, &mut |_, _, _| {}).unwrap_err();
    assert!(err.to_string().contains("--new-id"), "{err} ({text})");
    opts.force_new_id = true;
    assert!(move_app(&project, &deps, &[], &opts, &mut |_, _, _| {}).is_ok());
}
