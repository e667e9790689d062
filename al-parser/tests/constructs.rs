//! One fixture per construct (all written for these tests), plus the hard cases of
//! al-language.md §6.

use al_parser::ast::{MemberKind, ObjectKind};
use al_parser::{Defines, Encoding, Parse, SyntaxKind, branch_configurations, parse, parse_with};

/// Parses, asserts round trip and no diagnostics, returns the parse.
fn ok(src: &str) -> Parse {
    let p = parse(src.as_bytes());
    assert_eq!(p.to_bytes(), src.as_bytes(), "round trip");
    let diags: Vec<String> = p
        .diagnostics()
        .iter()
        .map(|d| {
            let (l, c) = p.line_col(d.start);
            format!("{l}:{c}: {d}")
        })
        .collect();
    assert!(
        diags.is_empty(),
        "unexpected diagnostics {diags:?} in\n{src}\n{}",
        p.debug_tree()
    );
    p
}

/// S-expression of the right-hand side of the first assignment inside a procedure.
fn rhs(expr: &str) -> String {
    let src = format!("codeunit 1 C {{ procedure P() begin x := {expr}; end; }}");
    let p = ok(&src);
    let a = p
        .root()
        .descendants()
        .find(|n| n.kind() == SyntaxKind::AssignStmt)
        .expect("assignment");
    let e = a.children().nth(1).expect("rhs");
    p.sexp(e)
}

fn code(body: &str) -> Parse {
    ok(&format!(
        "codeunit 50100 \"Code\"\n{{\n    procedure P()\n    var\n        x: Integer;\n    begin\n{body}\n    end;\n}}\n"
    ))
}

fn count(p: &Parse, k: SyntaxKind) -> usize {
    p.root().descendants().filter(|n| n.kind() == k).count()
}

// ---------------------------------------------------------------- precedence

#[test]
fn precedence_multiplicative_over_additive() {
    assert_eq!(
        rhs("a + b * c"),
        "(BinaryExpr (NameRef a) + (BinaryExpr (NameRef b) * (NameRef c)))"
    );
    assert_eq!(
        rhs("a - b div c mod d"),
        "(BinaryExpr (NameRef a) - (BinaryExpr (BinaryExpr (NameRef b) div (NameRef c)) mod (NameRef d)))"
    );
}

#[test]
fn precedence_and_binds_like_multiplication_or_like_addition() {
    // Pascal / C/AL: and is multiplicative, or/xor additive, so both bind tighter than `=`
    assert_eq!(
        rhs("a = b and c"),
        "(BinaryExpr (NameRef a) = (BinaryExpr (NameRef b) and (NameRef c)))"
    );
    assert_eq!(
        rhs("a or b and c"),
        "(BinaryExpr (NameRef a) or (BinaryExpr (NameRef b) and (NameRef c)))"
    );
    assert_eq!(
        rhs("a < b or c"),
        "(BinaryExpr (NameRef a) < (BinaryExpr (NameRef b) or (NameRef c)))"
    );
    assert_eq!(
        rhs("a xor b and c"),
        "(BinaryExpr (NameRef a) xor (BinaryExpr (NameRef b) and (NameRef c)))"
    );
}

#[test]
fn precedence_unary_highest() {
    assert_eq!(
        rhs("not a = b"),
        "(BinaryExpr (UnaryExpr not (NameRef a)) = (NameRef b))"
    );
    assert_eq!(
        rhs("-a * b"),
        "(BinaryExpr (UnaryExpr - (NameRef a)) * (NameRef b))"
    );
    assert_eq!(
        rhs("not not a"),
        "(UnaryExpr not (UnaryExpr not (NameRef a)))"
    );
}

#[test]
fn precedence_relational_in_is_as_and_range_ternary() {
    assert_eq!(
        rhs("a + 1 in [1..5, 7]"),
        "(BinaryExpr (BinaryExpr (NameRef a) + (Literal 1)) in (SetExpr [ (RangeExpr (Literal 1) .. (Literal 5)) , (Literal 7) ]))"
    );
    assert_eq!(rhs("a is B"), "(BinaryExpr (NameRef a) is (NameRef B))");
    assert_eq!(
        rhs("(a) as B"),
        "(BinaryExpr (ParenExpr ( (NameRef a) )) as (NameRef B))"
    );
    assert_eq!(
        rhs("a < 0 ? b + 1 : c"),
        "(TernaryExpr (BinaryExpr (NameRef a) < (Literal 0)) ? (BinaryExpr (NameRef b) + (Literal 1)) : (NameRef c))"
    );
    assert_eq!(
        rhs("a - b - c"),
        "(BinaryExpr (BinaryExpr (NameRef a) - (NameRef b)) - (NameRef c))"
    );
}

#[test]
fn postfix_forms() {
    assert_eq!(rhs("Rec.\"No.\""), "(MemberExpr (NameRef Rec) . \"No.\")");
    assert_eq!(
        rhs("Database::\"Sales Header\""),
        "(ScopeExpr (NameRef Database) :: \"Sales Header\")"
    );
    assert_eq!(
        rhs("Enum::\"Doc Type\"::Invoice"),
        "(ScopeExpr (ScopeExpr (NameRef Enum) :: \"Doc Type\") :: Invoice)"
    );
    assert_eq!(
        rhs("f(a, b)[1]"),
        "(IndexExpr (CallExpr (NameRef f) (ArgList ( (NameRef a) , (NameRef b) ))) [ (Literal 1) ])"
    );
    assert_eq!(rhs("this.Value"), "(MemberExpr (NameRef this) . Value)");
    assert_eq!(rhs("Codeunit::80"), "(ScopeExpr (NameRef Codeunit) :: 80)");
}

// ---------------------------------------------------------------- literals

#[test]
fn literals() {
    let p = code(
        "x := 1; x := 1.5; d := 0D; t := 0T; dt := 0DT; b := 1L; t := 235959.999T; s := 'it''s // not a comment'; v := @'multi\nline ''x'''; r := [1..5];",
    );
    let kinds: Vec<SyntaxKind> = p
        .root()
        .tokens()
        .map(|t| t.kind())
        .filter(|k| {
            matches!(
                k,
                SyntaxKind::Int
                    | SyntaxKind::Decimal
                    | SyntaxKind::Date
                    | SyntaxKind::Time
                    | SyntaxKind::DateTime
                    | SyntaxKind::BigInt
                    | SyntaxKind::StringLit
                    | SyntaxKind::VerbatimString
            )
        })
        .collect();
    use SyntaxKind::*;
    assert_eq!(
        kinds,
        vec![
            Int,
            Int,
            Decimal,
            Date,
            Time,
            DateTime,
            BigInt,
            Time,
            StringLit,
            VerbatimString,
            Int,
            Int
        ]
    );
}

// ---------------------------------------------------------------- statements

#[test]
fn statements() {
    let p = code(
        r#"        x := 1; x += 1; x -= 1; x *= 2; x /= 2;
        if x = 1 then x := 2 else if x = 3 then x := 4 else begin x := 5; end;
        case x of
            1, 2..3: x := 1;
            Database::Customer:
                begin
                end;
            else
                x := 0;
                x := 1;
        end;
        while x > 0 do x -= 1;
        repeat x += 1; until x > 10;
        for x := 1 to 10 do Foo(x);
        for x := 10 downto 1 do;
        foreach t in List do Message(t);
        with Rec do Modify();
        exit;
        exit(x);
        exit();
        break;
        Continue := true;
        continue;
        asserterror Error('x');
        Rec.FindFirst;
        CurrPage.Update(false);;
        if not Confirm('q') then exit;"#,
    );
    use SyntaxKind::*;
    for k in [
        AssignStmt,
        IfStmt,
        CaseStmt,
        CaseBranch,
        CaseElse,
        WhileStmt,
        RepeatStmt,
        ForStmt,
        ForeachStmt,
        WithStmt,
        ExitStmt,
        BreakStmt,
        ContinueStmt,
        AsserterrorStmt,
        ExprStmt,
    ] {
        assert!(count(&p, k) > 0, "{k:?} missing");
    }
    assert_eq!(count(&p, IfStmt), 3);
    assert_eq!(count(&p, ContinueStmt), 1);
}

#[test]
fn long_else_if_chain_is_not_recursive() {
    let mut s = String::from("if a then x := 0");
    for i in 0..5000 {
        s.push_str(&format!(" else if a = {i} then x := {i}"));
    }
    s.push(';');
    let p = code(&s);
    assert_eq!(count(&p, SyntaxKind::IfStmt), 5001);
}

// ---------------------------------------------------------------- objects

#[test]
fn every_object_header() {
    let cases: &[(&str, ObjectKind, Option<u32>, Option<&str>)] = &[
        (
            "table 18 Customer { }",
            ObjectKind::Table,
            Some(18),
            Some("Customer"),
        ),
        (
            "tableextension 50100 \"Cust Ext\" extends Customer { }",
            ObjectKind::TableExtension,
            Some(50100),
            Some("Cust Ext"),
        ),
        (
            "page 21 \"Customer Card\" { }",
            ObjectKind::Page,
            Some(21),
            Some("Customer Card"),
        ),
        (
            "pageextension 50100 PE extends \"Customer Card\" { }",
            ObjectKind::PageExtension,
            Some(50100),
            Some("PE"),
        ),
        (
            "pagecustomization PC customizes \"Customer Card\" { }",
            ObjectKind::PageCustomization,
            None,
            Some("PC"),
        ),
        (
            "codeunit 80 \"Sales-Post\" implements IA, \"I B\" { }",
            ObjectKind::Codeunit,
            Some(80),
            Some("Sales-Post"),
        ),
        ("report 1 R { }", ObjectKind::Report, Some(1), Some("R")),
        (
            "reportextension 50100 RE extends R { }",
            ObjectKind::ReportExtension,
            Some(50100),
            Some("RE"),
        ),
        ("xmlport 1 X { }", ObjectKind::XmlPort, Some(1), Some("X")),
        ("query 1 Q { }", ObjectKind::Query, Some(1), Some("Q")),
        (
            "enum 1 E implements I { }",
            ObjectKind::Enum,
            Some(1),
            Some("E"),
        ),
        (
            "enumextension 50100 EE extends E { }",
            ObjectKind::EnumExtension,
            Some(50100),
            Some("EE"),
        ),
        (
            "interface I extends IA, IB { }",
            ObjectKind::Interface,
            None,
            Some("I"),
        ),
        (
            "permissionset 1 PS { }",
            ObjectKind::PermissionSet,
            Some(1),
            Some("PS"),
        ),
        (
            "permissionsetextension 1 PSE extends PS { }",
            ObjectKind::PermissionSetExtension,
            Some(1),
            Some("PSE"),
        ),
        ("profile P { }", ObjectKind::Profile, None, Some("P")),
        (
            "profileextension PX extends P { }",
            ObjectKind::ProfileExtension,
            None,
            Some("PX"),
        ),
        (
            "controladdin CA { }",
            ObjectKind::ControlAddIn,
            None,
            Some("CA"),
        ),
        (
            "entitlement En { }",
            ObjectKind::Entitlement,
            None,
            Some("En"),
        ),
        ("dotnet { }", ObjectKind::DotNet, None, None),
    ];
    for (src, kind, id, name) in cases {
        let p = ok(src);
        let o = p.source_file().objects().next().expect("object");
        assert_eq!(o.kind(), Some(*kind), "{src}");
        assert_eq!(o.id().and_then(|i| i.value), *id, "{src}");
        assert_eq!(o.name().map(|n| n.value), name.map(str::to_owned), "{src}");
        assert_eq!(kind.has_id(), id.is_some());
    }
    let p = ok("codeunit 80 \"Sales-Post\" implements IA, \"I B\" { }");
    let o = p.source_file().objects().next().expect("object");
    let names: Vec<String> = o.implements().into_iter().map(|x| x.0).collect();
    assert_eq!(names, ["IA", "I B"]);
    let p = ok("interface I extends IA, IB { }");
    assert_eq!(
        p.source_file().objects().next().expect("o").extends().len(),
        2
    );
    let p = ok("pagecustomization PC customizes \"Customer Card\" { }");
    assert_eq!(
        p.source_file()
            .objects()
            .next()
            .expect("o")
            .customizes()
            .expect("c")
            .0,
        "Customer Card"
    );
}

#[test]
fn namespace_and_usings_with_keyword_segments() {
    let p = ok(
        "namespace Microsoft.Foundation.Reporting;\n\nusing Microsoft.Shared.Report;\nusing System.Test;\nusing Microsoft.Page.Action;\n\npage 1 P { }\n",
    );
    let f = p.source_file();
    assert_eq!(
        f.namespace().expect("ns").0,
        "Microsoft.Foundation.Reporting"
    );
    let u: Vec<String> = f.usings().into_iter().map(|x| x.0).collect();
    assert_eq!(
        u,
        [
            "Microsoft.Shared.Report",
            "System.Test",
            "Microsoft.Page.Action"
        ]
    );
}

const TABLE: &str = r#"table 50100 "My Table"
{
    Caption = 'My Table', Comment = 'x', Locked = true;
    DataClassification = CustomerContent;
    LookupPageId = 1070;
    Permissions = tabledata "G/L Entry" = rimd, tabledata Microsoft.Service.Document."Service Header" = R, page * = X, tabledata 4003 = rimd;
    SomeFutureProperty = Whatever(1, 2) + 3;

    fields
    {
        field(1; "No."; Code[20])
        {
            Caption = 'No.';
            TableRelation = if (Type = const(Item)) Item."No." where(Blocked = const(false), "Type" = filter(Inventory | Service))
                            else if (Type = const("G/L Account")) "G/L Account" where("Account Type" = const(Posting))
                            else System.Environment.Company.Name;
            ObsoleteState = Pending;
            ObsoleteReason = 'Use "No. 2"';
            ObsoleteTag = '25.0';

            trigger OnValidate()
            var
                Cust: Record Customer temporary;
            begin
                if "No." <> xRec."No." then
                    TestField("No.");
            end;
        }
        field(2; Type; Option)
        {
            OptionMembers = " ",Item,"G/L Account";
            OptionCaption = ' ,Item,G/L Account';
        }
        field(3; Amount; Decimal)
        {
            FieldClass = FlowField;
            CalcFormula = sum("Cust. Ledger Entry".Amount where("Customer No." = field("No."), "Posting Date" = field(upperlimit("Date Filter"))));
        }
        field(4; "Has Entries"; Boolean)
        {
            CalcFormula = exist("G/L Entry" where("G/L Account No." = field("No.")));
        }
        field(5; Cnt; Integer) { CalcFormula = count("G/L Entry"); }
        field(6; Mx; Decimal) { CalcFormula = max("G/L Entry".Amount); }
        field(7; Lk; Text[100]) { CalcFormula = lookup(Customer.Name where("No." = field("No."))); }
        field(8; "Doc Type"; Enum "Sales Document Type") { }
        [Obsolete('x', '1.0')]
        field(9; Av; Decimal) { CalcFormula = average("G/L Entry".Amount); }
        field(10; Mn; Decimal) { CalcFormula = min("G/L Entry".Amount); }
    }
    keys
    {
        key(PK; "No.") { Clustered = true; }
        key(Key2; Type, Amount) { SumIndexFields = Amount; }
    }
    fieldgroups
    {
        fieldgroup(DropDown; "No.", Type) { }
    }

    var
        GlobalText: Text[50];
        NoLbl: Label 'No. %1', Comment = '%1 = number', Locked = true, MaxLength = 30;
        Arr: array[10] of Code[20];
        Dict: Dictionary of [Code[20], List of [Interface "My Interface"]];
        Rec2: Record Microsoft.Manufacturing.Document."Prod. Order Line";

    protected var
        Prot: Boolean;

    trigger OnInsert()
    begin
    end;

    [IntegrationEvent(false, false)]
    local procedure OnBeforeX(var Rec: Record "My Table"; xRec: Record "My Table"; var IsHandled: Boolean)
    begin
    end;

    [EventSubscriber(ObjectType::Table, Database::Customer, 'OnAfterInsertEvent', '', false, false)]
    internal procedure Sub(var Rec: Record Customer): Boolean
    var
        i: Integer;
    begin
        exit(true);
    end;

    procedure Named() Result: Text[30]
    begin
    end;

    [Scope('OnPrem'), NonDebuggable]
    protected procedure Prot2(): Dictionary of [Text, Integer]
    begin
    end;
}
"#;

#[test]
fn table_members_and_property_forms() {
    let p = ok(TABLE);
    let o = p.source_file().objects().next().expect("object");
    let members = o.members();
    let fields: Vec<(Option<u32>, String)> = members
        .iter()
        .filter(|m| m.kind == MemberKind::Field)
        .map(|m| {
            (
                m.id.as_ref().and_then(|i| i.value),
                m.name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(fields.len(), 10);
    assert_eq!(fields[0], (Some(1), "No.".into()));
    assert_eq!(fields[7], (Some(8), "Doc Type".into()));
    // field name span points at the quoted identifier
    let f1 = members
        .iter()
        .find(|m| m.kind == MemberKind::Field)
        .expect("field");
    let n = f1.name.as_ref().expect("name");
    assert_eq!(
        &TABLE.as_bytes()[n.span.start as usize..n.span.end as usize],
        b"\"No.\""
    );
    let id = f1.id.as_ref().expect("id");
    assert_eq!(
        &TABLE.as_bytes()[id.span.start as usize..id.span.end as usize],
        b"1"
    );
    assert_eq!(
        members.iter().filter(|m| m.kind == MemberKind::Key).count(),
        2
    );
    assert_eq!(
        members
            .iter()
            .filter(|m| m.kind == MemberKind::FieldGroup)
            .count(),
        1
    );
    let procs: Vec<String> = members
        .iter()
        .filter(|m| m.kind == MemberKind::Procedure)
        .filter_map(|m| m.name.as_ref().map(|n| n.value.clone()))
        .collect();
    assert_eq!(procs, ["OnBeforeX", "Sub", "Named", "Prot2"]);
    assert!(members.iter().any(|m| m.kind == MemberKind::Trigger
        && m.name.as_ref().is_some_and(|n| n.value == "OnValidate")));
    assert!(members.iter().any(
        |m| m.kind == MemberKind::Label && m.name.as_ref().is_some_and(|n| n.value == "NoLbl")
    ));
    assert!(
        members.iter().any(|m| m.kind == MemberKind::Variable
            && m.name.as_ref().is_some_and(|n| n.value == "Prot"))
    );
    let props: Vec<String> = o.properties().iter().map(|p| p.name()).collect();
    assert!(
        props.contains(&"SomeFutureProperty".to_string()),
        "unknown properties are kept"
    );
    assert_eq!(
        count(&p, SyntaxKind::Attribute),
        4,
        "[Scope(..), NonDebuggable] is one node"
    );
    assert_eq!(count(&p, SyntaxKind::ConditionalRelation), 2);
    assert_eq!(count(&p, SyntaxKind::CalcFormula), 7);
    assert_eq!(count(&p, SyntaxKind::PermissionEntry), 4);
}

/// The value of the first property called `name` in `src`, as an S-expression.
fn prop_value(src: &str, name: &str) -> String {
    let p = ok(src);
    let prop = p
        .root()
        .descendants()
        .filter(|n| n.kind() == SyntaxKind::Property)
        .find(|n| {
            n.first_token()
                .is_some_and(|t| t.text().eq_ignore_ascii_case(name.as_bytes()))
        })
        .expect("property");
    let v = prop.child(SyntaxKind::PropertyValue).expect("value");
    p.sexp(v)
}

fn in_field(prop: &str) -> String {
    format!("table 1 T {{ fields {{ field(1; A; Code[20]) {{ {prop} }} }} }}")
}

#[test]
fn structured_property_values() {
    assert_eq!(
        prop_value(
            &in_field(
                "TableRelation = if (Type = const(Item)) Item.\"No.\" where(Blocked = const(false)) else \"G/L Account\";"
            ),
            "TableRelation"
        ),
        "(PropertyValue (ConditionalRelation if ( (FilterItem (QualifiedName Type) = (FilterValue const (TokenGroup ( Item )))) ) (Relation (QualifiedName Item . \"No.\") (WhereClause where ( (FilterItem (QualifiedName Blocked) = (FilterValue const (TokenGroup ( false )))) ))) else (Relation (QualifiedName \"G/L Account\"))))"
    );
    assert_eq!(
        prop_value(
            &in_field(
                "CalcFormula = -Sum(\"G/L Entry\".Amount where(\"No.\" = field(\"No.\"), Date = field(upperlimit(\"Date Filter\"))));"
            ),
            "CalcFormula"
        ),
        "(PropertyValue (CalcFormula - Sum ( (QualifiedName \"G/L Entry\" . Amount) (WhereClause where ( (FilterItem (QualifiedName \"No.\") = (FilterValue field ( (QualifiedName \"No.\") ))) , (FilterItem (QualifiedName Date) = (FilterValue field ( upperlimit ( (QualifiedName \"Date Filter\") ) ))) )) )))"
    );
    assert_eq!(
        prop_value(
            "page 1 P { SourceTableView = sorting(\"No.\", Name) order(descending) where(Blocked = filter(<> ' ')); }",
            "SourceTableView"
        ),
        "(PropertyValue (SortingClause sorting ( (QualifiedName \"No.\") , (QualifiedName Name) )) (OrderClause order ( descending )) (WhereClause where ( (FilterItem (QualifiedName Blocked) = (FilterValue filter (TokenGroup ( <> ' ' )))) )))"
    );
    assert_eq!(
        prop_value(
            "query 1 Q { elements { dataitem(A; Customer) { dataitem(B; \"Cust. Ledger Entry\") { DataItemLink = \"Customer No.\" = A.\"No.\"; } } } }",
            "DataItemLink"
        ),
        "(PropertyValue (FilterItem (QualifiedName \"Customer No.\") = (FilterValue (QualifiedName A . \"No.\"))))"
    );
    assert_eq!(
        prop_value(
            "page 1 P { actions { area(Processing) { action(A) { RunObject = page Microsoft.Sales.Document.\"Sales Order\"; } } } }",
            "RunObject"
        ),
        "(PropertyValue (ObjectRef page (QualifiedName Microsoft . Sales . Document . \"Sales Order\")))"
    );
    assert_eq!(
        prop_value(
            "codeunit 1 C { Permissions = tabledata 4003 = rimd, page * = X; }",
            "Permissions"
        ),
        "(PropertyValue (PermissionEntry tabledata 4003 = rimd) , (PermissionEntry page * = X))"
    );
    // a value that does not fit its form falls back to raw tokens, without errors
    assert_eq!(
        prop_value("codeunit 1 C { Permissions = ; }", "Permissions"),
        "(PropertyValue)"
    );
    assert_eq!(
        prop_value(
            &in_field("TableRelation = Item WHERE (\"No.\" = CONST('1')) + 1;"),
            "TableRelation"
        ),
        "(PropertyValue Item WHERE (TokenGroup ( \"No.\" = CONST (TokenGroup ( '1' )) )) + 1)"
    );
    // unknown properties are kept as raw tokens
    assert_eq!(
        prop_value("codeunit 1 C { FutureThing = a(b), 'c'; }", "FutureThing"),
        "(PropertyValue a (TokenGroup ( b )) , 'c')"
    );
}

const SRC_PAGE: &str = r#"page 50100 "My Card"
{
    PageType = Card;
    SourceTable = Customer;
    SourceTableView = sorting("No.") where(Blocked = const(" "));
    CardPageId = "Customer Card";

    layout
    {
        area(Content)
        {
            group(General)
            {
                field("No."; Rec."No.") { ApplicationArea = All; ToolTip = 'x'; }
                field(Amt; Rec.Amount + 1) { }
                field("""Balance (LCY)"" - ""Payment (LCY)"""; Rec.Balance) { }
            }
            repeater(Lines) { field(Name; Rec.Name) { } }
            part(Sub; "Sales Lines") { SubPageLink = "Document No." = field("No."); }
            systempart(Links; Links) { }
            usercontrol(Ctl; "My Add-in") { trigger ControlReady() begin end; }
            grid(G) { fixed(F) { } }
            cuegroup(Cues) { }
        }
    }
    actions
    {
        area(Processing)
        {
            group(Fns)
            {
                action(Post)
                {
                    RunObject = page Microsoft.Sales.Document."Sales Order";
                    RunPageLink = "No." = field("No."), Type = const(Item);
                    AccessByPermission = TableData "Sales Header" = R;
                    trigger OnAction()
                    begin
                        Codeunit.Run(Codeunit::"Sales-Post", Rec);
                    end;
                }
                separator(Sep) { }
                customaction(Flow) { CustomActionType = Flow; }
                fileuploadaction(Upload) { trigger OnAction(Files: List of [FileUpload]) begin end; }
            }
        }
        area(Promoted)
        {
            actionref(Post_Promoted; Post) { }
        }
    }
    views
    {
        view(Open) { Caption = 'Open'; Filters = where(Blocked = const(" ")); }
    }
    trigger OnOpenPage()
    begin
        CurrPage.Update(false);
    end;
}
"#;

#[test]
fn page_layout_actions_views() {
    let p = ok(SRC_PAGE);
    let o = p.source_file().objects().next().expect("object");
    let m = o.members();
    let controls = m.iter().filter(|m| m.kind == MemberKind::Control).count();
    assert_eq!(controls, 12, "9 layout controls + action areas/groups");
    let quoted = m
        .iter()
        .find(|x| {
            x.name
                .as_ref()
                .is_some_and(|n| n.value == "\"Balance (LCY)\" - \"Payment (LCY)\"")
        })
        .expect("escaped name");
    assert_eq!(quoted.kind, MemberKind::Field);
    assert_eq!(m.iter().filter(|m| m.kind == MemberKind::Action).count(), 5);
    assert_eq!(m.iter().filter(|m| m.kind == MemberKind::View).count(), 1);
    let part = m.iter().find(|x| x.keyword == "part").expect("part");
    let args: Vec<&str> = part
        .args
        .iter()
        .map(|r| &SRC_PAGE[r.start as usize..r.end as usize])
        .collect();
    assert_eq!(args, ["Sub", "\"Sales Lines\""]);
}

#[test]
fn extension_changes() {
    let p = ok(
        r#"pageextension 50100 "Cust Card Ext" extends "Customer Card"
{
    layout
    {
        addafter(Name) { field(MyField; Rec.MyField) { } }
        addbefore("No.") { }
        addfirst(General) { }
        addlast(General) { }
        modify("E-Mail") { Visible = false; }
        movebefore("No."; Name)
        moveafter(Name; "No.", Address)
        movefirst(General; Name)
        movelast(General; Name)
    }
    actions { addlast(Processing) { action(A) { } } }
}
"#,
    );
    let o = p.source_file().objects().next().expect("object");
    let kws: Vec<String> = o
        .members()
        .into_iter()
        .filter(|m| m.kind == MemberKind::Change)
        .map(|m| m.keyword)
        .collect();
    assert_eq!(
        kws,
        [
            "addafter",
            "addbefore",
            "addfirst",
            "addlast",
            "modify",
            "movebefore",
            "moveafter",
            "movefirst",
            "movelast",
            "addlast"
        ]
    );
    assert_eq!(o.extends()[0].0, "Customer Card");
}

#[test]
fn report_query_xmlport() {
    ok(r#"report 50100 R
{
    DefaultRenderingLayout = Word;
    dataset
    {
        dataitem(Header; "Sales Header")
        {
            DataItemTableView = sorting("Document Type", "No.") where("Document Type" = const(Order));
            RequestFilterFields = "No.";
            column(No; "No.") { IncludeCaption = true; }
            dataitem(Line; "Sales Line")
            {
                DataItemLink = "Document No." = field("No.");
                column(Amount; Amount * 2) { }
                trigger OnAfterGetRecord() begin end;
            }
        }
    }
    requestpage
    {
        SaveValues = true;
        layout { area(Content) { field(X; X) { } } }
        actions { }
    }
    rendering
    {
        layout(Word) { Type = Word; LayoutFile = './R.docx'; }
    }
    labels { Title = 'Title', Comment = 'x'; }
    var
        X: Boolean;
}
"#);
    ok(r#"reportextension 50100 RE extends R
{
    dataset
    {
        add(Header) { column(Extra; "Extra") { } }
        addafter(Line) { dataitem(More; Customer) { } }
        modify(Header) { trigger OnAfterAfterGetRecord() begin end; }
    }
    requestpage { layout { addafter(X) { field(Y; Y) { } } } }
}
"#);
    ok(r#"query 50100 Q
{
    QueryType = API;
    elements
    {
        dataitem(Cust; Customer)
        {
            column(No; "No.") { }
            column(Sum; Amount) { Method = Sum; }
            filter(DateFilter; "Date Filter") { }
            dataitem(Led; "Cust. Ledger Entry") { DataItemLink = "Customer No." = Cust."No."; SqlJoinType = InnerJoin; }
        }
    }
}
"#);
    ok(r#"xmlport 50100 X
{
    schema
    {
        textelement(Root)
        {
            tableelement(Cust; Customer)
            {
                fieldelement(No; Cust."No.") { }
                fieldattribute(Name; Cust.Name) { }
                textattribute(Kind) { }
                textelement(Extra) { trigger OnBeforePassVariable() begin Extra := ''; end; }
            }
        }
    }
}
"#);
}

#[test]
fn enum_permissionset_profile_controladdin_dotnet_entitlement() {
    let p = ok(r#"enum 50100 "My Enum" implements "My Interface"
{
    Extensible = true;
    DefaultImplementation = "My Interface" = "Default Impl";
    value(0; " ") { Caption = ' '; }
    value(1; Item) { Caption = 'Item'; Implementation = "My Interface" = "Item Impl"; }
}
"#);
    let vals: Vec<(Option<u32>, String)> = p
        .source_file()
        .objects()
        .next()
        .expect("o")
        .members()
        .into_iter()
        .filter(|m| m.kind == MemberKind::EnumValue)
        .map(|m| {
            (
                m.id.and_then(|i| i.value),
                m.name.map(|n| n.value).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        vals,
        [(Some(0), " ".to_string()), (Some(1), "Item".to_string())]
    );
    ok(
        "permissionset 50100 \"My PS\"\n{\n    Assignable = true;\n    IncludedPermissionSets = \"Other PS\";\n    Permissions = tabledata Customer = RIMD,\n        table Customer = X,\n        codeunit \"Sales-Post\" = X,\n        system \"Create a new company\" = X;\n}\n",
    );
    ok(
        "profile \"My Profile\"\n{\n    Caption = 'x';\n    RoleCenter = 31210;\n    Customizations = PC1, PC2;\n}\n",
    );
    ok(
        "profileextension PX extends \"My Profile\" { Caption = 'y'; }\npagecustomization PC customizes \"Customer Card\"\n{\n    layout { modify(Name) { Visible = false; } moveafter(Name; \"No.\") }\n    views { addfirst { view(V) { } } }\n}\n",
    );
    ok(
        "controladdin \"My Add-in\"\n{\n    Scripts = 'a.js', 'b.js';\n    RequestedHeight = 300;\n    event ControlReady();\n    event Clicked(Id: Integer; Name: Text);\n    procedure SetData(Data: JsonObject);\n}\n",
    );
    ok(
        "dotnet\n{\n    assembly(\"mscorlib\")\n    {\n        Version = '4.0.0.0';\n        type(\"System.IO.File\"; \"File\") { }\n    }\n}\n",
    );
    ok(
        "entitlement \"My Entitlement\"\n{\n    Type = Role;\n    RoleType = Delegated;\n    ObjectEntitlements = \"PS A\", \"PS B\";\n}\n",
    );
    ok(
        "interface \"My Interface\"\n{\n    Access = Internal;\n    procedure DoIt(var Rec: Record Customer): Boolean;\n    procedure Other();\n}\n",
    );
}

// ---------------------------------------------------------------- encodings

#[test]
fn encodings_and_line_ends() {
    let body = "codeunit 1 C\r\n{\r\n    procedure P()\rbegin\n    end;\r\n}\r\n";
    for prefix in ["", "\u{feff}", "\u{feff}\u{feff}"] {
        let s = format!("{prefix}{body}");
        let p = ok(&s);
        assert_eq!(p.encoding(), Encoding::Utf8);
    }
    // UTF-16 LE and BE with BOM: decoded, written back identically
    for le in [true, false] {
        let mut bytes = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in "table 1 \"Tábla\" { }".encode_utf16() {
            bytes.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        let p = parse(&bytes);
        assert_eq!(
            p.encoding(),
            if le {
                Encoding::Utf16Le
            } else {
                Encoding::Utf16Be
            }
        );
        assert!(!p.has_errors(), "{:?}", p.diagnostics());
        assert_eq!(p.to_bytes(), bytes);
        assert_eq!(
            p.source_file()
                .objects()
                .next()
                .expect("o")
                .name()
                .expect("n")
                .value,
            "Tábla"
        );
    }
    // invalid UTF-8 stays lossless
    let bad = b"codeunit 1 C { var X\xff\xfe: Integer; }";
    let p = parse(bad);
    assert_eq!(p.to_bytes(), bad);
    // non-ASCII identifiers and NBSP
    ok("codeunit 1 C\n{\n    var\n        Almer\u{ed}aLbl: Label 'x';\u{a0}\n}\n");
}

#[test]
fn comments() {
    let p = ok(
        "/// <summary>doc</summary>\n// line\n/* block\n  multi */ codeunit 1 C { /* inner */ }\n",
    );
    let kinds: Vec<SyntaxKind> = p
        .root()
        .tokens()
        .map(|t| t.kind())
        .filter(|k| matches!(k, SyntaxKind::LineComment | SyntaxKind::BlockComment))
        .collect();
    assert_eq!(kinds.len(), 4);
}

// ---------------------------------------------------------------- preprocessor

const SPLIT_HEADER: &str = r#"#pragma warning disable AA0001
#if not CLEAN25
codeunit 4508 "Email Client" implements "Email Connector", "Old Interface"
#else
#if CLEAN26
codeunit 4508 "Email Client" implements "Email Connector"
#else
codeunit 4508 "Email Client" implements "Email Connector", "Mid Interface"
#endif
#endif
#pragma warning restore AA0001
{
#if not CLEAN25
    [Obsolete('x', '25.0')]
    procedure Run(Page: TestPage "Postcode Search")
#else
    procedure Run(Page: TestPage "Postcode Search GB")
#endif
    var
        x: Integer;
    begin
        x := 1 +
#if CLEAN25
            2;
#else
            3;
#endif
    end;
}
"#;

#[test]
fn directives_cut_through_headers_signatures_expressions() {
    let configs = branch_configurations(SPLIT_HEADER.as_bytes());
    assert!(configs.len() >= 3, "{configs:?}");
    let mut implements = Vec::new();
    for d in &configs {
        let p = parse_with(SPLIT_HEADER.as_bytes(), d);
        assert!(!p.has_errors(), "{d:?}: {:?}", p.diagnostics());
        assert_eq!(p.to_bytes(), SPLIT_HEADER.as_bytes());
        let o = p.source_file().objects().next().expect("o");
        assert_eq!(o.id().and_then(|i| i.value), Some(4508));
        implements.push(o.implements().len());
        assert!(
            p.root()
                .tokens()
                .any(|t| t.kind() == SyntaxKind::DisabledText)
        );
    }
    implements.sort_unstable();
    implements.dedup();
    assert_eq!(implements, [1, 2], "every header branch seen");
    // every branch covered by some configuration
    let mut covered = std::collections::BTreeSet::new();
    for d in &configs {
        for b in parse_with(SPLIT_HEADER.as_bytes(), d).branches() {
            if b.active {
                covered.insert(b.offset);
            }
        }
    }
    assert_eq!(
        covered.len(),
        8,
        "3 #if + 2 #else per nesting, plus the 2 in the body and the 2 in the expression"
    );
}

#[test]
fn whole_file_under_if_and_elif_define_undef() {
    let s = "#if not CLEAN24\nnamespace A.B;\nusing C;\ntable 1 T { }\n#endif\n";
    ok(s);
    let p = parse_with(s.as_bytes(), &Defines::from_symbols(["CLEAN24"]));
    assert!(!p.has_errors());
    assert_eq!(p.source_file().objects().count(), 0);
    let s = "#define X\n#undef Y\n#if Y\ncodeunit 1 A { }\n#elif X and not Y\ncodeunit 2 B { }\n#else\ncodeunit 3 C { }\n#endif\n";
    let p = ok(s);
    assert_eq!(
        p.source_file()
            .objects()
            .next()
            .expect("o")
            .id()
            .and_then(|i| i.value),
        Some(2)
    );
    let s2 = "#region R\n#pragma implicitwith disable\ncodeunit 1 A { }\n#endregion\n";
    ok(s2);
}

#[test]
fn unbalanced_directives_are_diagnosed_not_fatal() {
    for s in [
        "#endif\ncodeunit 1 A { }",
        "#if X\ncodeunit 1 A { }",
        "#else\n",
        "#bogus\n",
        "#if (\n#endif\n",
    ] {
        let p = parse(s.as_bytes());
        assert!(p.has_errors(), "{s}");
        assert_eq!(p.to_bytes(), s.as_bytes());
    }
}

// ---------------------------------------------------------------- hard cases §6

#[test]
fn hard_cases() {
    // 2: doubled quotes in quoted identifiers
    let p = ok(
        "page 1 P { layout { area(Content) { field(\"MediaResourcesStandard.\"\"Media Reference\"\"\"; X) { } } } }",
    );
    let m = p.source_file().objects().next().expect("o").members();
    assert!(m.iter().any(|m| {
        m.name
            .as_ref()
            .is_some_and(|n| n.value == "MediaResourcesStandard.\"Media Reference\"")
    }));
    // 3: qualified names mixing namespace, object and field dots
    code("        Rec2.Get(); x := Database::Microsoft.Finance.Dimension.\"Dimension Value\";");
    // 4: bare enum type access vs field option access
    code(
        "        if Rec.\"Document Type\" = \"Sales Document Type\"::Invoice then x := \"Document Type\"::Order;",
    );
    // 5: numeric object references
    code("        RecRef.Open(104038); Page.RunModal(0, Rec); Xmlport.Run(50112, false, false);");
    // 7: contextual keywords as names
    code(
        "        Page := 1; Codeunit := 2; Namespace := 3; Continue := true; Break := false; iS := iS + 1; Report.Run(Report::X); Query.Open(); Enum := Enum::X::Y; Interface := 0; Trigger := 0;",
    );
    ok(
        "codeunit 1 C { var Page: Page \"Customer Card\"; Namespace: Text; \"Continue\": Boolean; iS: Integer; procedure Caption(StyleExpr: Text): Text begin end; }",
    );
    // event subscriber with arguments across lines
    ok(
        "codeunit 1 C\n{\n    [EventSubscriber(ObjectType::Table, Database::\"Sales Header\",\n        'OnAfterValidateEvent', 'Sell-to Customer No.', false, false)]\n    local procedure S(var Rec: Record \"Sales Header\") begin end;\n}\n",
    );
    // 9: literal traps
    code("        x := 'a''b//c\"d@1@@'; y := 1..5; z := 0D..; w := ..0D;");
    // control add-in event triggers on page controls
    ok(
        "page 1 P { layout { area(Content) { usercontrol(UserTours; Tours) { trigger UserTours::ShowTourWizard(hasTourCompleted: Boolean) begin end; } } } }",
    );
    // stray semicolons
    ok("table 1 T { fields { field(1; A; Integer) { AutoFormatExpression = '';; } } ; }");
    // filter alternatives in property values
    ok(
        "table 1 T { fields { field(1; A; Code[10]) { TableRelation = Currency where(Code = filter('CHF' | 'EUR' & <> '')); } } }",
    );
    // old-style semicolon after signature and trigger qualified names
    ok(
        "codeunit 1 C\n{\n    procedure P();\n    var\n        x: Integer;\n    begin\n    end;\n\n    trigger OnRun()\n    begin\n    end;\n}\n",
    );
}

// ---------------------------------------------------------------- errors and limits

#[test]
fn error_recovery_reports_line_column_and_continues() {
    let src = "codeunit 1 C\n{\n    procedure A()\n    begin\n        x := ;\n        y := 1\n    end;\n\n    procedure B()\n    begin\n    end;\n}\n";
    let p = parse(src.as_bytes());
    assert_eq!(p.to_bytes(), src.as_bytes());
    let d = &p.diagnostics()[0];
    assert_eq!(p.line_col(d.start), (5, 14));
    assert!(d.to_string().contains("expected expression"), "{d}");
    // both procedures still found
    let procs = p
        .source_file()
        .objects()
        .next()
        .expect("o")
        .members()
        .into_iter()
        .filter(|m| m.kind == MemberKind::Procedure)
        .count();
    assert_eq!(procs, 2);
    // missing `end;` recovers at the next procedure
    let src = "codeunit 1 C\n{\n    procedure A()\n    begin\n        x := 1;\n    procedure B()\n    begin\n    end;\n}\n";
    let p = parse(src.as_bytes());
    assert!(p.has_errors());
    let procs = p
        .source_file()
        .objects()
        .next()
        .expect("o")
        .members()
        .into_iter()
        .filter(|m| m.kind == MemberKind::Procedure)
        .count();
    assert_eq!(procs, 2);
}

fn on_small_stack<F: FnOnce() + Send + 'static>(f: F) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic");
}

#[test]
fn deep_nesting_is_bounded() {
    on_small_stack(|| {
        for (open, close) in [
            ("(", ")"),
            ("begin ", " end"),
            ("[", "]"),
            ("not ", ""),
            ("-", ""),
        ] {
            let n = 10_000;
            let inner = format!("{}x{}", open.repeat(n), close.repeat(n));
            let src = format!("codeunit 1 C {{ procedure P() begin y := {inner}; {inner}; end; }}");
            let p = parse(src.as_bytes());
            assert_eq!(p.to_bytes(), src.as_bytes());
            assert!(
                p.diagnostics()
                    .iter()
                    .any(|d| matches!(d.kind, al_parser::DiagKind::TooDeep)),
                "{open}"
            );
        }
        let src = format!("table 1 T {{ {} }}", "fields { ".repeat(10_000));
        let p = parse(src.as_bytes());
        assert_eq!(p.to_bytes(), src.as_bytes());
    });
}

#[test]
fn garbage_never_panics() {
    for s in [
        "",
        "}",
        "{{{{",
        "codeunit",
        "table 1",
        "codeunit 1 C { procedure",
        "'unterminated",
        "\"quoted",
        "/* open",
        "@'open",
        "#if",
        "begin end",
        "\u{0}\u{1}\u{7f}",
        "codeunit 1 C { trigger OnRun() begin case x of 1: ; else end; end; }",
    ] {
        let p = parse(s.as_bytes());
        assert_eq!(p.to_bytes(), s.as_bytes(), "{s:?}");
    }
}

#[test]
fn directives_around_properties_vars_statements_and_case_branches() {
    let src = "table 1 T\n{\n    fields\n    {\n        field(1; A; Integer)\n        {\n#if not CLEAN25\n            ObsoleteState = Pending;\n#else\n            ObsoleteState = Removed;\n#endif\n        }\n    }\n\n    var\n#if not CLEAN24\n        Old: Integer;\n#endif\n        New: Integer;\n\n    procedure P()\n    begin\n        case New of\n#if not CLEAN24\n            1:\n                Old := 1;\n#endif\n            2:\n                New := 2;\n        end;\n#if CLEAN24\n        New := 3;\n#else\n        Old := 3;\n#endif\n    end;\n}\n";
    let configs = branch_configurations(src.as_bytes());
    assert_eq!(configs.len(), 2);
    for d in configs {
        let p = parse_with(src.as_bytes(), &d);
        assert!(!p.has_errors(), "{d:?}: {:?}", p.diagnostics());
        assert_eq!(p.to_bytes(), src.as_bytes());
    }
}

#[test]
fn long_operator_and_member_chains() {
    // wrappers are inserted in one splice per chain, so this stays linear
    let n = 50_000;
    let sum = vec!["a"; n].join(" + ");
    let member = vec!["b"; n].join(".");
    let src = format!("codeunit 1 C {{ procedure P() begin x := {sum}; y := {member}; end; }}");
    let p = ok(&src);
    assert_eq!(count(&p, SyntaxKind::BinaryExpr), n - 1);
    assert_eq!(count(&p, SyntaxKind::MemberExpr), n - 1);
    let a = p
        .root()
        .descendants()
        .find(|n| n.kind() == SyntaxKind::AssignStmt)
        .expect("assignment");
    let rhs = a.children().nth(1).expect("rhs");
    assert_eq!(rhs.kind(), SyntaxKind::BinaryExpr);
    assert_eq!(rhs.text(), sum.as_bytes());
}
