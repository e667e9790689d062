//! A tour of the whole public API in two readable functions: one file through the parser
//! ([`walkthrough`]), then a small app through symbols, resolution and edits
//! ([`walkthrough_app`]).

use std::collections::BTreeMap;

use al_parser::ast::{MemberKind, ObjectKind};
use al_parser::edit::{TextEdit, apply_all, rename, renumber};
use al_parser::resolve::{RefBy, RefKind, Reference, Unresolved, Workspace};
use al_parser::symbols::{self, AppInfo, AppSymbols, ParsedApp, SourceText, SymbolIndex};
use al_parser::{
    Defines, NodeOrToken, SyntaxKind, branch_configurations, check_file, encode, parse, parse_with,
};

#[test]
fn walkthrough() {
    let src = "namespace Demo.Sales;\r\n\r\nusing Microsoft.Sales.Customer;\r\n\r\n\
#if not CLEAN26\r\ncodeunit 50100 \"Demo Mgt.\" implements \"Demo Interface\"\r\n\
#else\r\ncodeunit 50100 \"Demo Mgt.\"\r\n#endif\r\n{\r\n\
    Permissions = tabledata Customer = r;\r\n\r\n\
    var\r\n        GreetingLbl: Label 'Hello %1', Comment = '%1 = name';\r\n\r\n\
    /// <summary>Greets.</summary>\r\n\
    procedure Greet(Cust: Record Customer): Text\r\n    begin\r\n        exit(StrSubstNo(GreetingLbl, Cust.Name));\r\n    end;\r\n}\r\n";

    // 1. Parse: always a full tree, printing it gives the input back byte for byte.
    let p = parse(src.as_bytes());
    assert_eq!(p.to_bytes(), src.as_bytes());
    assert!(p.round_trips(src.as_bytes()));
    assert!(p.diagnostics().is_empty());

    // 2. The raw tree: nodes and tokens (trivia included) with byte spans.
    let root = p.root();
    assert_eq!(root.kind(), SyntaxKind::SourceFile);
    let object = root
        .children()
        .find(|n| n.kind() == SyntaxKind::Object)
        .expect("object");
    let first = object.children_with_tokens().next().expect("first child");
    assert!(matches!(first, NodeOrToken::Token(t) if t.kind() == SyntaxKind::KwCodeunit));
    // the inactive `#else` header is one DisabledText trivia token, kept verbatim
    let disabled = root
        .tokens()
        .find(|t| t.kind() == SyntaxKind::DisabledText)
        .expect("disabled");
    assert_eq!(disabled.text(), b"\r\ncodeunit 50100 \"Demo Mgt.\"\r\n");

    // 3. The typed view: what renumbering and renaming need.
    let file = p.source_file();
    assert_eq!(file.namespace().expect("namespace").0, "Demo.Sales");
    assert_eq!(file.usings()[0].0, "Microsoft.Sales.Customer");
    let o = file.objects().next().expect("object");
    assert_eq!(o.kind(), Some(ObjectKind::Codeunit));
    let id = o.id().expect("id");
    assert_eq!(
        (id.value, &src[id.span.start as usize..id.span.end as usize]),
        (Some(50100), "50100")
    );
    let name = o.name().expect("name");
    assert_eq!((name.value.as_str(), name.quoted), ("Demo Mgt.", true));
    assert_eq!(o.implements()[0].0, "Demo Interface");
    let members = o.members();
    assert!(members.iter().any(|m| m.kind == MemberKind::Label));
    let greet = members
        .iter()
        .find(|m| m.kind == MemberKind::Procedure)
        .expect("procedure");
    assert_eq!(greet.name.as_ref().expect("name").value, "Greet");
    assert_eq!(o.properties()[0].name(), "Permissions");

    // 4. Preprocessor: parse once per configuration to see every branch.
    let configs = branch_configurations(src.as_bytes());
    assert_eq!(
        configs,
        vec![Defines::none(), Defines::from_symbols(["CLEAN26"])]
    );
    let clean = parse_with(src.as_bytes(), &configs[1]);
    assert!(
        clean
            .source_file()
            .objects()
            .next()
            .expect("object")
            .implements()
            .is_empty()
    );

    // 5. Errors: diagnostics with line/column, parsing goes on.
    let bad =
        parse(b"codeunit 1 C\n{\n    procedure P()\n    begin\n        x := ;\n    end;\n}\n");
    let d = &bad.diagnostics()[0];
    assert_eq!(bad.line_col(d.start), (5, 14));
    assert_eq!(d.to_string(), "expected expression, found ';'");
    assert_eq!(bad.describe(d), "expected expression, found ';' `;`");
    let check = check_file(
        b"codeunit 1 C { trigger OnRun() begin x := ; end; }",
        &Defines::none(),
    );
    assert!(check.round_trip_ok && check.errors.len() == 1);

    // 6. Encodings: UTF-16 is decoded for parsing and encoded back when printing.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("table 1 T { }".encode_utf16().flat_map(u16::to_le_bytes));
    let p16 = parse(&utf16);
    assert_eq!(p16.to_bytes(), utf16);
    assert_eq!(encode(p16.text(), p16.encoding()), utf16);
}

const ITEM: &str = "namespace Demo.Sales;

table 50100 \"Demo Item\"
{
    fields
    {
        field(1; \"No.\"; Code[20]) { }
        field(2; Size; Enum \"Demo Size\") { }
    }
    keys
    {
        key(PK; \"No.\") { }
    }
}
";

const SIZE: &str = "namespace Demo.Sales;

enum 50100 \"Demo Size\"
{
    value(0; Small) { }
    value(1; Big) { }
}
";

const COUNTER: &str = "namespace Demo.Sales;

codeunit 50101 \"Demo Counter\"
{
    procedure CountBig(): Integer
    var
        Item: Record \"Demo Item\";
    begin
        Item.SetRange(Size, \"Demo Size\"::Big);
        exit(Item.Count());
    end;

    procedure IsBig(No: Code[20]): Boolean
    var
        Item: Record \"Demo Item\";
        RecRef: RecordRef;
    begin
        RecRef.Open(50100);
        Item.Get(No);
        exit(Item.Size = Item.Size::Big);
    end;

    procedure RunMissing()
    begin
        Codeunit.Run(50199);
    end;
}
";

#[test]
fn walkthrough_app() {
    let files: BTreeMap<String, Vec<u8>> = [("T.al", ITEM), ("E.al", SIZE), ("C.al", COUNTER)]
        .into_iter()
        .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
        .collect();
    let sources = files
        .iter()
        .map(|(path, bytes)| SourceText::new(path.clone(), bytes.clone()))
        .collect();

    // 1. Symbols: every file parsed (in every preprocessor branch), then each object with
    //    the members others can refer to, joined in an index of one or more apps.
    let parsed = ParsedApp::parse(AppInfo::named("Demo"), sources);
    let index = SymbolIndex::new(vec![AppSymbols::from_parsed(&parsed)]);
    assert!(index.diagnostics.is_empty());
    assert_eq!(index.apps[0].objects.len(), 3);
    // names are looked up ignoring case, IDs per object kind
    let item = index
        .find_object(ObjectKind::Table, "demo item")
        .expect("table");
    assert_eq!(index.objects_numbered(ObjectKind::Table, 50100), [item]);
    let table = index.object(item).expect("table symbol");
    assert_eq!(table.namespace.as_deref(), Some("Demo.Sales"));
    let members: Vec<(symbols::MemberKind, &str)> = table
        .members
        .iter()
        .map(|m| (m.kind, m.name.as_str()))
        .collect();
    assert_eq!(
        members,
        [
            (symbols::MemberKind::Field, "No."),
            (symbols::MemberKind::Field, "Size"),
            (symbols::MemberKind::Key, "PK")
        ]
    );
    let size = index
        .find_member(item, symbols::MemberKind::Field, "SIZE")
        .expect("field");
    let field = index.member(size).expect("field symbol");
    assert_eq!(
        (field.id, field.type_name.as_deref()),
        (Some(2), Some("Enum \"Demo Size\""))
    );
    assert_eq!(index.describe(size), "table \"Demo Item\".field \"Size\"");

    // 2. Resolve: a workspace indexes the apps and resolves every reference of the source
    //    apps (dependencies and symbol packages only provide symbols). A reference is an
    //    exact span, what names it (kind, by name / number / string) and its target.
    let ws = Workspace::new(vec![parsed], vec![], vec![]);
    let refs = ws.references(0);
    assert_eq!(refs.len(), 12);
    // per kind: (kind, resolved, unresolved)
    assert_eq!(
        ws.stats(0),
        [
            (RefKind::Type, 3, 0),
            (RefKind::ScopeOperator, 1, 0),
            (RefKind::RunCall, 1, 1),
            (RefKind::FieldAccess, 2, 0),
            (RefKind::FieldArgument, 1, 0),
            (RefKind::FieldInElement, 1, 0),
            (RefKind::EnumValue, 2, 0),
        ]
    );
    let c_al = 0; // files are numbered in the order given (here the map's: C, E, T)
    let unresolved: Vec<_> = refs
        .iter()
        .filter(|r| !r.resolution.is_resolved())
        .collect();
    assert_eq!(unresolved.len(), 1);
    let missing = unresolved[0];
    assert_eq!(
        (
            missing.file,
            missing.kind,
            missing.by,
            missing.text.as_str()
        ),
        (c_al, RefKind::RunCall, RefBy::Number, "50199")
    );
    assert_eq!(
        missing.resolution.reason(),
        Some(&Unresolved::ObjectNotFound {
            kind: "codeunit".into()
        })
    );
    // the workspace keeps the parsed sources: paths, texts (spans index them), lines
    let app = ws.parsed[0].as_ref().expect("source app");
    let file = &app.files[c_al as usize];
    assert_eq!(file.path, "C.al");
    assert_eq!(file.line_col(missing.span.start), (25, 22));
    let written = |r: &Reference| {
        let text = app.files[r.file as usize].text();
        String::from_utf8_lossy(&text[r.span.start as usize..r.span.end as usize]).into_owned()
    };
    assert_eq!(written(missing), "50199");

    // 3. Find references: everything in the source apps that resolves to one symbol, as
    //    (app, reference).
    let to_item: Vec<_> = ws
        .references_to(item)
        .into_iter()
        .map(|(_, r)| (r.kind, r.by, written(r)))
        .collect();
    assert_eq!(
        to_item,
        [
            (RefKind::Type, RefBy::Name, "\"Demo Item\"".to_string()),
            (RefKind::Type, RefBy::Name, "\"Demo Item\"".to_string()),
            (RefKind::RunCall, RefBy::Number, "50100".to_string()),
        ]
    );
    let to_size: Vec<_> = ws
        .references_to(size)
        .into_iter()
        .map(|(_, r)| (r.kind, written(r)))
        .collect();
    assert_eq!(
        to_size,
        [
            (RefKind::FieldArgument, "Size".to_string()),
            (RefKind::FieldAccess, "Size".to_string()),
            (RefKind::FieldAccess, "Size".to_string()),
        ]
    );

    // 4. Edit: a rename is the declaration plus every reference, quoted as needed, as
    //    byte-range edits sorted by file and offset; applying them gives the new files.
    let edits = rename(&ws, item, "Demo Article").expect("rename");
    assert_eq!(edits.files(), ["C.al", "T.al"]);
    assert_eq!(
        edits.for_file("T.al"),
        [TextEdit {
            file: "T.al".into(),
            range: 35..46,
            replacement: "\"Demo Article\"".into(),
        }]
    );
    let out = apply_all(&edits, &files).expect("apply");
    assert_eq!(
        String::from_utf8_lossy(&out["C.al"]),
        COUNTER.replace("Record \"Demo Item\"", "Record \"Demo Article\"")
    );
    assert_eq!(
        String::from_utf8_lossy(&out["T.al"]),
        ITEM.replace("table 50100 \"Demo Item\"", "table 50100 \"Demo Article\"")
    );
    assert_eq!(out["E.al"], files["E.al"]);
    // a field: quoted where the new name needs it, in the table and in code
    let out = apply_all(&rename(&ws, size, "Item Size").expect("rename"), &files).expect("apply");
    assert_eq!(
        String::from_utf8_lossy(&out["C.al"]),
        COUNTER
            .replace("SetRange(Size,", "SetRange(\"Item Size\",")
            .replace("Item.Size", "Item.\"Item Size\"")
    );
    assert_eq!(
        String::from_utf8_lossy(&out["T.al"]),
        ITEM.replace("field(2; Size;", "field(2; \"Item Size\";")
    );
    // a renumber: the ID and the references by number, not the enum's equal ID
    let edits = renumber(&ws, item, 50200).expect("renumber");
    let out = apply_all(&edits, &files).expect("apply");
    assert_eq!(
        String::from_utf8_lossy(&out["C.al"]),
        COUNTER.replace("RecRef.Open(50100)", "RecRef.Open(50200)")
    );
    assert_eq!(
        String::from_utf8_lossy(&out["T.al"]),
        ITEM.replace("table 50100", "table 50200")
    );
    assert_eq!(out["E.al"], files["E.al"]);
}
