//! Reference resolution on fixtures covering the positions of al-language.md §3 and the
//! hard cases of §6.

use al_parser::ast::ObjectKind;
use al_parser::resolve::{RefBy, RefKind, Reference, Resolution, Unresolved, Workspace};
use al_parser::symbols::{AppInfo, MemberKind, ParsedApp, SourceText, SymbolId};

const TABLE: &str = r#"namespace Fix.Data;

table 50100 "Fix Item"
{
    LookupPageId = "Fix Items";
    DrillDownPageId = 50100;
    fields
    {
        field(1; "No."; Code[20]) { }
        field(2; Kind; Enum "Fix Kind") { }
        field(3; "Parent No."; Code[20])
        {
            TableRelation = if (Kind = const(Big)) "Fix Item"."No." where(Kind = const(Small)) else "Fix Item";
        }
        field(4; Total; Decimal)
        {
            FieldClass = FlowField;
            CalcFormula = sum("Fix Item".Total where("Parent No." = field("No.")));
        }
    }
    keys
    {
        key(PK; "No.") { }
        key(ByKind; Kind, "Parent No.") { }
    }
    trigger OnInsert()
    begin
        TestField("No.");
        if Kind = Kind::Big then
            Validate("Parent No.", '');
        if "Kind"::Small = Rec.Kind then;
    end;

    procedure Describe(): Text
    begin
        exit(Rec."No.");
    end;
}
"#;

const ENUM: &str = r#"namespace Fix.Data;

enum 50100 "Fix Kind"
{
    Extensible = true;
    value(0; Small) { }
    value(1; Big) { }
}
"#;

const PAGE: &str = r#"namespace Fix.UI;

using Fix.Data;

page 50100 "Fix Items"
{
    SourceTable = "Fix Item";
    layout
    {
        area(Content)
        {
            repeater(Lines)
            {
                field(No; Rec."No.") { }
                field(KindCtl; Kind) { }
            }
        }
    }
    actions
    {
        area(Processing)
        {
            action(Open)
            {
                RunObject = page "Fix Items";
                RunPageLink = "No." = field("Parent No.");
            }
        }
    }
    trigger OnOpenPage()
    begin
        CurrPage.Lines.Visible := true;
        Rec.Describe();
    end;
}
"#;

const CODEUNIT: &str = r#"namespace Fix.Logic;

using Fix.Data;

codeunit 50101 "Fix Logic"
{
    Permissions = tabledata "Fix Item" = rimd, tabledata 50100 = r;

    procedure Run(var Item: Record "Fix Item"): Enum "Fix Kind"
    var
        Items: array[2] of Record Fix.Data."Fix Item" temporary;
        Kinds: List of [Enum "Fix Kind"];
        RecRef: RecordRef;
        K: Enum "Fix Kind";
    begin
        Item.SetRange("No.", 'A');
        Item.SetCurrentKey(Kind, "Parent No.");
        if Item.FieldNo(Total) = 0 then;
        K := Enum::"Fix Kind"::Big;
        K := "Fix Kind"::Small;
        if Item.Kind = Item.Kind::Big then;
        RecRef.Open(50100);
        RecRef.Open(Database::Fix.Data."Fix Item");
        Codeunit.Run(50101);
        Codeunit.Run(Codeunit::"Fix Logic");
        Codeunit.Run('Fix.Logic.Fix Logic');
        Page.RunModal(0, Item);
        Page.Run(Page::"Fix Items", Item);
        Item.Describe();
#if CLEAN30
        Items[1].Validate("No.");
#else
        Items[1].Validate(Kind);
#endif
        exit(K);
    end;

    [EventSubscriber(ObjectType::Table, Database::"Fix Item", 'OnAfterValidateEvent', 'Kind', false, false)]
    local procedure OnKind(var Rec: Record "Fix Item")
    begin
    end;

    [EventSubscriber(ObjectType::Table, 50100, 'OnAfterInsertEvent', '', false, false)]
    local procedure OnIns(var Rec: Record "Fix Item")
    begin
    end;

    [EventSubscriber(ObjectType::Codeunit, Codeunit::"Fix Logic", 'OnAfterRun', '', false, false)]
    local procedure OnRunSub()
    begin
        OnAfterRun();
    end;

    [IntegrationEvent(false, false)]
    local procedure OnAfterRun()
    begin
    end;
}
"#;

fn workspace() -> Workspace {
    let files = vec![
        SourceText::new("Item.Table.al", TABLE.as_bytes().to_vec()),
        SourceText::new("Kind.Enum.al", ENUM.as_bytes().to_vec()),
        SourceText::new("Items.Page.al", PAGE.as_bytes().to_vec()),
        SourceText::new("Logic.Codeunit.al", CODEUNIT.as_bytes().to_vec()),
    ];
    Workspace::new(
        vec![ParsedApp::parse(AppInfo::named("Fix"), files)],
        vec![],
        vec![],
    )
}

fn text_at(src: &str, r: &Reference) -> String {
    src[r.span.start as usize..r.span.end as usize].to_string()
}

fn refs_to(ws: &Workspace, sym: SymbolId) -> Vec<(u32, RefKind, RefBy, String)> {
    ws.references_to(sym)
        .into_iter()
        .map(|(_, r)| (r.file, r.kind, r.by, r.text.clone()))
        .collect()
}

#[test]
fn object_references_in_every_position() {
    let ws = workspace();
    let t = ws
        .index
        .find_object(ObjectKind::Table, "Fix Item")
        .expect("table");
    let refs = refs_to(&ws, t);
    let kinds: Vec<RefKind> = refs.iter().map(|r| r.1).collect();
    for k in [
        RefKind::Type,
        RefKind::Property,
        RefKind::Permission,
        RefKind::ScopeOperator,
        RefKind::RunCall,
        RefKind::EventSubscriber,
    ] {
        assert!(kinds.contains(&k), "missing {k:?} in {refs:?}");
    }
    // By number: permission `tabledata 50100`, `RecRef.Open(50100)`, subscriber `50100`.
    let by_number = refs.iter().filter(|r| r.2 == RefBy::Number).count();
    assert_eq!(by_number, 3, "{refs:?}");
    // Qualified `Record Fix.Data."Fix Item"` and `Database::Fix.Data."Fix Item"` point at the name.
    assert!(refs.iter().filter(|r| r.3 == "Fix Item").count() >= 8);
    let p = ws
        .index
        .find_object(ObjectKind::Page, "Fix Items")
        .expect("page");
    let prefs = refs_to(&ws, p);
    // LookupPageId, DrillDownPageId (number), RunObject, Page::
    assert_eq!(prefs.len(), 4, "{prefs:?}");
    let c = ws
        .index
        .find_object(ObjectKind::Codeunit, "Fix Logic")
        .expect("codeunit");
    let crefs = refs_to(&ws, c);
    assert!(
        crefs
            .iter()
            .any(|r| r.1 == RefKind::RunCall && r.2 == RefBy::Number)
    );
    assert!(
        crefs
            .iter()
            .any(|r| r.1 == RefKind::RunCall && r.2 == RefBy::String)
    );
}

#[test]
fn page_run_modal_zero_is_not_an_object() {
    let ws = workspace();
    let zero = ws
        .references(0)
        .iter()
        .filter(|r| r.by == RefBy::Number && r.text == "0")
        .count();
    assert_eq!(zero, 0);
}

#[test]
fn field_references_through_receivers_and_properties() {
    let ws = workspace();
    let t = ws
        .index
        .find_object(ObjectKind::Table, "Fix Item")
        .expect("table");
    let no = ws
        .index
        .find_member(t, MemberKind::Field, "No.")
        .expect("field");
    let refs = refs_to(&ws, no);
    let kinds: Vec<RefKind> = refs.iter().map(|r| r.1).collect();
    for k in [
        RefKind::FieldAccess,
        RefKind::FieldArgument,
        RefKind::FieldInProperty,
        RefKind::FieldInElement,
    ] {
        assert!(kinds.contains(&k), "missing {k:?} in {refs:?}");
    }
    // The #if CLEAN30 branch is indexed too.
    let in_branch = ws.references_to(no).into_iter().any(|(_, r)| {
        r.file == 3 && CODEUNIT[..r.span.start as usize].ends_with("Items[1].Validate(")
    });
    assert!(in_branch);
    let kind = ws
        .index
        .find_member(t, MemberKind::Field, "Kind")
        .expect("field");
    let krefs = refs_to(&ws, kind);
    assert!(
        krefs
            .iter()
            .any(|r| r.1 == RefKind::EventElement && r.2 == RefBy::String)
    );
    assert!(
        krefs
            .iter()
            .any(|r| r.1 == RefKind::FieldInElement && r.0 == 2)
    );
    let parent = ws
        .index
        .find_member(t, MemberKind::Field, "Parent No.")
        .expect("field");
    let prefs = refs_to(&ws, parent);
    // CalcFormula where, key, SetCurrentKey, Validate, RunPageLink field(...)
    assert!(prefs.len() >= 5, "{prefs:?}");
}

#[test]
fn enum_values_procedures_and_controls() {
    let ws = workspace();
    let e = ws
        .index
        .find_object(ObjectKind::Enum, "Fix Kind")
        .expect("enum");
    let big = ws
        .index
        .find_member(e, MemberKind::EnumValue, "Big")
        .expect("value");
    let refs = refs_to(&ws, big);
    // Kind::Big (table), const(Big) is not resolved, Enum::"Fix Kind"::Big, Item.Kind::Big
    assert!(refs.len() >= 3, "{refs:?}");
    let small = ws
        .index
        .find_member(e, MemberKind::EnumValue, "Small")
        .expect("value");
    assert!(refs_to(&ws, small).len() >= 2);
    let t = ws
        .index
        .find_object(ObjectKind::Table, "Fix Item")
        .expect("table");
    let d = ws
        .index
        .find_member(t, MemberKind::Procedure, "Describe")
        .expect("proc");
    assert_eq!(refs_to(&ws, d).len(), 2);
    let p = ws
        .index
        .find_object(ObjectKind::Page, "Fix Items")
        .expect("page");
    let lines = ws
        .index
        .find_member(p, MemberKind::Control, "Lines")
        .expect("control");
    assert_eq!(refs_to(&ws, lines).len(), 1);
    let c = ws
        .index
        .find_object(ObjectKind::Codeunit, "Fix Logic")
        .expect("codeunit");
    let ev = ws
        .index
        .find_member(c, MemberKind::Procedure, "OnAfterRun")
        .expect("event");
    let evrefs = refs_to(&ws, ev);
    assert!(
        evrefs
            .iter()
            .any(|r| r.1 == RefKind::EventName && r.2 == RefBy::String)
    );
    assert!(evrefs.iter().any(|r| r.1 == RefKind::ProcedureCall));
}

#[test]
fn spans_are_exact_and_platform_events_are_classified() {
    let ws = workspace();
    for r in ws.references(0) {
        let src = [TABLE, ENUM, PAGE, CODEUNIT][r.file as usize];
        let raw = text_at(src, r);
        match r.by {
            RefBy::Name => assert_eq!(al_parser::ast::unquote(raw.as_bytes()), r.text),
            RefBy::Number => assert_eq!(raw, r.text),
            RefBy::String => assert_eq!(raw.replace("''", "'"), r.text),
        }
    }
    let platform = ws
        .references(0)
        .iter()
        .filter(|r| r.resolution == Resolution::unresolved(Unresolved::Platform))
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>();
    assert_eq!(platform, ["OnAfterValidateEvent", "OnAfterInsertEvent"]);
    let unresolved: Vec<&Reference> = ws
        .references(0)
        .iter()
        .filter(|r| !r.resolution.is_resolved())
        .collect();
    assert_eq!(unresolved.len(), 2, "{unresolved:?}");
}

#[test]
fn loyalty_rewards_resolve_into_the_dependency_project() {
    let load = |dir: &str| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples")
            .join(dir);
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("dir").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "al") {
                    out.push(SourceText::new(
                        p.display().to_string(),
                        std::fs::read(&p).expect("read"),
                    ));
                }
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    };
    let rewards = ParsedApp::parse(AppInfo::named("Loyalty Rewards"), load("loyalty-rewards"));
    let loyalty = ParsedApp::parse(AppInfo::named("Customer Loyalty"), load("loyalty"));
    let ws = Workspace::new(vec![rewards], vec![loyalty], vec![]);
    let tier = ws
        .index
        .find_object(ObjectKind::Table, "Loyalty Tier")
        .expect("table");
    assert_eq!(tier.app, 1);
    let refs = refs_to(&ws, tier);
    // TableRelation, CalcFormula, Database::, Record "Loyalty Tier"
    assert_eq!(refs.len(), 4, "{refs:?}");
    let level = ws
        .index
        .find_object(ObjectKind::Enum, "Loyalty Level")
        .expect("enum");
    let gold = ws
        .index
        .find_member(level, MemberKind::EnumValue, "Gold")
        .expect("gold");
    assert_eq!(refs_to(&ws, gold).len(), 1);
    let unresolved: Vec<_> = ws
        .references(0)
        .iter()
        .filter(|r| !r.resolution.is_resolved())
        .filter(|r| r.resolution != Resolution::unresolved(Unresolved::Platform))
        .map(|r| r.text.clone())
        .collect();
    // Only the base application's Customer table is missing (OnAfterDeleteEvent is a platform event).
    assert!(unresolved.iter().all(|t| t == "Customer"), "{unresolved:?}");
}

#[test]
fn interface_inheritance_and_extension_anchors() {
    let files = vec![
        SourceText::new(
            "i.al",
            b"interface IBase { procedure Ping(); }\ninterface IChild extends IBase { procedure Pong(); }\n".to_vec(),
        ),
        SourceText::new(
            "c.al",
            b"codeunit 50100 C { procedure P(I: Interface IChild) begin I.Ping(); I.Pong(); end; }".to_vec(),
        ),
        SourceText::new(
            "t.al",
            b"table 50100 T { fields { field(1; A; Integer) { } } fieldgroups { fieldgroup(DropDown; A) { } } }\ntableextension 50100 TX extends T { fieldgroups { addlast(DropDown) { } } }\npageextension 50100 PX extends P { actions { addlast(Category_Process) { } } }\npage 50100 P { }".to_vec(),
        ),
    ];
    let ws = Workspace::new(
        vec![ParsedApp::parse(AppInfo::named("I"), files)],
        vec![],
        vec![],
    );
    let base = ws
        .index
        .find_object(ObjectKind::Interface, "IBase")
        .expect("interface");
    let ping = ws
        .index
        .find_member(base, MemberKind::Procedure, "Ping")
        .expect("ping");
    assert_eq!(refs_to(&ws, ping).len(), 1);
    let t = ws.index.find_object(ObjectKind::Table, "T").expect("table");
    let dd = ws
        .index
        .find_member(t, MemberKind::FieldGroup, "DropDown")
        .expect("fieldgroup");
    assert_eq!(refs_to(&ws, dd).len(), 1);
    let platform: Vec<&str> = ws
        .references(0)
        .iter()
        .filter(|r| r.resolution == Resolution::unresolved(Unresolved::Platform))
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(platform, ["Category_Process"]);
}

#[test]
fn key_field_lists_are_field_references() {
    let src = br#"table 50100 T
{
    fields { field(1; "No."; Code[20]) { } field(2; Amount; Decimal) { } }
    keys { key(PK; "No.") { SumIndexFields = Amount; IncludedFields = "No.", Amount; } }
}"#;
    let ws = Workspace::new(
        vec![ParsedApp::parse(
            AppInfo::named("A"),
            vec![SourceText::new("a.al", src.to_vec())],
        )],
        vec![],
        vec![],
    );
    let t = ws.index.find_object(ObjectKind::Table, "T").expect("table");
    let i = ws
        .index
        .object(t)
        .expect("object")
        .members
        .iter()
        .position(|m| m.name == "Amount")
        .expect("field");
    let amount = SymbolId {
        member: Some(i as u32),
        ..t
    };
    let in_props = ws
        .references_to(amount)
        .iter()
        .filter(|(_, r)| r.kind == RefKind::FieldInProperty)
        .count();
    assert_eq!(in_props, 2, "SumIndexFields and IncludedFields");
}

#[test]
fn enum_type_as_receiver_of_static_methods() {
    let src = br#"enum 50100 "My Kind" { value(0; A) { } value(1; B) { } }
codeunit 50100 C
{
    procedure P()
    var
        i: Integer;
        Kind: Integer;
    begin
        foreach i in "My Kind".Ordinals() do;
        if "My Kind".Names().Count() = 2 then;
        Kind := 1;
        Kind.ToString();
    end;
}"#;
    let ws = Workspace::new(
        vec![ParsedApp::parse(
            AppInfo::named("A"),
            vec![SourceText::new("a.al", src.to_vec())],
        )],
        vec![],
        vec![],
    );
    let e = ws
        .index
        .find_object(ObjectKind::Enum, "My Kind")
        .expect("enum");
    let uses = ws
        .references_to(e)
        .iter()
        .filter(|(_, r)| r.kind == RefKind::Type)
        .count();
    assert_eq!(uses, 2, "both static calls");
    // A variable is never taken for an enum, and nothing becomes unresolved.
    assert!(
        ws.references(0)
            .iter()
            .all(|r| r.resolution.is_resolved() || r.text != "Kind")
    );
}

/// `tableextension 50101 X extends 50100` (an ID instead of a name, common in code from
/// 2018–2020) parses, its `extends` is a reference by number to the base table, and the
/// extension's fields are found through the base table's type.
#[test]
fn numeric_extends_resolves_by_id() {
    let table = "table 50100 \"Num Points\" { fields { field(1; \"No.\"; Code[20]) { } } }\n";
    let ext = "tableextension 50101 \"Num Points Ext\" extends 50100\n{\n    fields { field(50100; Extra; Integer) { } }\n}\n";
    let cu = "codeunit 50102 \"Num Mgt\"\n{\n    procedure Touch()\n    var\n        P: Record \"Num Points\";\n    begin\n        P.Extra := 1;\n    end;\n}\n";
    for src in [table, ext, cu] {
        assert!(!al_parser::parse(src.as_bytes()).has_errors(), "{src}");
    }
    let parse = al_parser::parse(ext.as_bytes());
    let o = parse.source_file().objects().next().unwrap();
    assert_eq!(
        o.extends().into_iter().map(|e| e.0).collect::<Vec<_>>(),
        ["50100"]
    );
    let app = ParsedApp::parse(
        AppInfo::named("Num"),
        vec![
            SourceText::new("T.al", table.as_bytes().to_vec()),
            SourceText::new("E.al", ext.as_bytes().to_vec()),
            SourceText::new("C.al", cu.as_bytes().to_vec()),
        ],
    );
    let ws = Workspace::new(vec![app], vec![], vec![]);
    let base = ws
        .index
        .find_object(ObjectKind::Table, "Num Points")
        .unwrap();
    let by_number: Vec<_> = refs_to(&ws, base)
        .into_iter()
        .filter(|r| r.1 == RefKind::Extends)
        .collect();
    assert_eq!(by_number.len(), 1);
    assert_eq!(by_number[0].2, RefBy::Number);
    assert_eq!(by_number[0].3, "50100");
    let ext_sym = ws
        .index
        .find_object(ObjectKind::TableExtension, "Num Points Ext")
        .unwrap();
    assert_eq!(ws.index.extensions_of(base), [ext_sym]);
    let unresolved: Vec<_> = ws
        .references(0)
        .iter()
        .filter(|r| r.resolution.reason().is_some())
        .map(|r| r.text.clone())
        .collect();
    assert!(unresolved.is_empty(), "{unresolved:?}");
}

/// `"Enum"::Value` inside property values (`const(…)`/`filter(…)` in
/// SubPageLink, CalcFormula, TableRelation, SourceTableView, RunPageLink, …) are
/// references to the enum and its value.
#[test]
fn enum_values_and_objects_inside_property_filters() {
    let e = "enum 50100 \"Loyalty Level\" { value(0; Bronze) { } value(1; Gold) { } }\n";
    let t = "table 50100 \"Loyalty Tier\"\n{\n    fields\n    {\n        field(1; Level; Enum \"Loyalty Level\") { }\n        field(2; Count; Integer)\n        {\n            FieldClass = FlowField;\n            CalcFormula = count(\"Loyalty Tier\" where(Level = const(\"Loyalty Level\"::Gold)));\n        }\n        field(3; Parent; Code[20]) { TableRelation = \"Loyalty Tier\" where(Level = filter(\"Loyalty Level\"::Bronze)); }\n    }\n}\n";
    let p = "page 50100 \"Loyalty Tiers\"\n{\n    SourceTable = \"Loyalty Tier\";\n    SourceTableView = where(Level = const(\"Loyalty Level\"::Gold));\n    layout\n    {\n        area(Content)\n        {\n            part(Sub; \"Loyalty Tiers\") { SubPageLink = Level = const(\"Loyalty Level\"::Gold); }\n        }\n    }\n    actions\n    {\n        area(Processing)\n        {\n            action(Open) { RunObject = Page::\"Loyalty Tiers\"; RunPageLink = Level = const(\"Loyalty Level\"::Gold); }\n        }\n    }\n}\n";
    let app = ParsedApp::parse(
        AppInfo::named("Flt"),
        vec![
            SourceText::new("E.al", e.as_bytes().to_vec()),
            SourceText::new("T.al", t.as_bytes().to_vec()),
            SourceText::new("P.al", p.as_bytes().to_vec()),
        ],
    );
    let ws = Workspace::new(vec![app], vec![], vec![]);
    let level = ws
        .index
        .find_object(ObjectKind::Enum, "Loyalty Level")
        .unwrap();
    let scope: Vec<_> = refs_to(&ws, level)
        .into_iter()
        .filter(|r| r.1 == RefKind::ScopeOperator)
        .collect();
    // CalcFormula, TableRelation, SourceTableView, SubPageLink, RunPageLink.
    assert_eq!(scope.len(), 5, "{scope:?}");
    let gold = ws
        .index
        .find_member(level, MemberKind::EnumValue, "Gold")
        .unwrap();
    // CalcFormula, SourceTableView, SubPageLink, RunPageLink.
    assert_eq!(refs_to(&ws, gold).len(), 4);
}

/// Issue 19 item 7: a member chain is resolved in one pass from its base, linear in its
/// length. A chain of a million members (`Item."No".x.x…`) used to take a minute and,
/// deeper than the walk's depth limit (2048), never reached its base: the field
/// reference at the bottom was lost.
#[test]
fn a_million_member_chain_is_resolved_from_its_base() {
    let mut chain = String::from("Item.\"No.\"");
    for _ in 0..1_000_000 {
        chain.push_str(".x");
    }
    let src = format!(
        "codeunit 50150 \"Fix Chain\"\n{{\n    procedure P()\n    var\n        Item: Record \"Fix Item\";\n    begin\n        {chain};\n    end;\n}}\n"
    );
    let files = vec![
        SourceText::new("Item.Table.al", TABLE.as_bytes().to_vec()),
        SourceText::new("Kind.Enum.al", ENUM.as_bytes().to_vec()),
        SourceText::new("Chain.Codeunit.al", src.into_bytes()),
    ];
    let ws = Workspace::new(
        vec![ParsedApp::parse(AppInfo::named("Fix"), files)],
        vec![],
        vec![],
    );
    let t = ws
        .index
        .find_object(ObjectKind::Table, "Fix Item")
        .expect("table");
    let no = ws
        .index
        .find_member(t, MemberKind::Field, "No.")
        .expect("field");
    let from_chain = refs_to(&ws, no)
        .into_iter()
        .filter(|r| r.0 == 2 && r.1 == RefKind::FieldAccess)
        .count();
    assert_eq!(from_chain, 1);
}
