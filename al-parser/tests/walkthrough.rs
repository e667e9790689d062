//! A tour of the whole public API in one readable function.

use al_parser::ast::{MemberKind, ObjectKind};
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
