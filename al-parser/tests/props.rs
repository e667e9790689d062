//! Property tests: losslessness on arbitrary bytes and generated AL, and stability of the
//! typed view under whitespace/comment changes.

use al_parser::ast::MemberKind;
use al_parser::{Defines, parse, parse_with};
use proptest::prelude::*;

/// Token fragments that stress the lexer (quotes, comments, directives, numbers, ranges).
const FRAGMENTS: &[&str] = &[
    "begin",
    "end",
    ";",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "'",
    "''",
    "\"",
    "\"\"",
    "@'",
    "//",
    "/*",
    "*/",
    "\n",
    "\r\n",
    "\r",
    " ",
    "#if X\n",
    "#else\n",
    "#endif\n",
    "#pragma warning disable AA0001\n",
    "1..5",
    "0D",
    "1.5",
    "x",
    ":=",
    "::",
    ".",
    "..",
    "table 1 T",
    "codeunit 1 C",
    "procedure P()",
    "trigger OnRun()",
    "var",
    "field(1; A; Integer)",
    "if",
    "then",
    "else",
    "case",
    "of",
    ":",
    "repeat",
    "until",
    "\u{feff}",
    "\u{a0}",
    "é",
    "\u{0}",
    "?",
    "not",
    "and",
    "=",
];

fn ident() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z_][A-Za-z0-9_]{0,8}"
            .prop_filter("not a keyword", |s| al_parser::edit::is_plain_identifier(s)),
        "[A-Za-z .%/-]{1,10}".prop_map(|s| format!("\"{s}\"")),
    ]
}

fn expr(depth: u32) -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        ident(),
        (0u32..100000).prop_map(|n| n.to_string()),
        "[a-z ]{0,6}".prop_map(|s| format!("'{s}'")),
        Just("0D".to_string()),
        Just("true".to_string()),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        2 => leaf,
        1 => (expr(depth - 1), prop::sample::select(vec!["+", "-", "*", "/", "div", "mod", "and", "or", "xor", "=", "<>", "<", ">=", "in"]), expr(depth - 1))
            .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        1 => expr(depth - 1).prop_map(|e| format!("({e})")),
        1 => expr(depth - 1).prop_map(|e| format!("not {e}")),
        1 => (ident(), expr(depth - 1)).prop_map(|(f, e)| format!("{f}.Call({e})")),
        1 => (expr(depth - 1), expr(depth - 1)).prop_map(|(a, b)| format!("[{a}, {a}..{b}]")),
        1 => (expr(depth - 1), expr(depth - 1), expr(depth - 1)).prop_map(|(a, b, c)| format!("({a} ? {b} : {c})")),
    ]
    .boxed()
}

fn stmt(depth: u32) -> BoxedStrategy<String> {
    let simple = prop_oneof![
        (ident(), expr(2)).prop_map(|(v, e)| format!("{v} := {e}")),
        (ident(), expr(2)).prop_map(|(v, e)| format!("{v} += {e}")),
        expr(1).prop_map(|e| format!("exit({e})")),
        ident().prop_map(|f| format!("{f}.Run()")),
    ];
    if depth == 0 {
        return simple.boxed();
    }
    prop_oneof![
        3 => simple,
        1 => (expr(2), stmt(depth - 1), stmt(depth - 1)).prop_map(|(c, a, b)| format!("if {c} then {a} else {b}")),
        1 => (expr(1), stmt(depth - 1)).prop_map(|(c, a)| format!("while {c} do {a}")),
        1 => (prop::collection::vec(stmt(depth - 1), 0..3), expr(1)).prop_map(|(s, c)| format!("repeat {} until {c}", s.join("; "))),
        1 => (ident(), stmt(depth - 1)).prop_map(|(v, a)| format!("for {v} := 1 to 10 do {a}")),
        1 => (expr(1), stmt(depth - 1), stmt(depth - 1)).prop_map(|(c, a, b)| format!("case {c} of 1, 2..3: {a}; else {b}; end")),
        1 => prop::collection::vec(stmt(depth - 1), 0..3).prop_map(|s| format!("begin {} end", s.join("; "))),
    ]
    .boxed()
}

/// A generated valid object as a list of tokens-ish chunks (joined with separators later).
fn object() -> impl Strategy<Value = Vec<String>> {
    (
        1u32..1_000_000,
        ident(),
        prop::collection::vec((1u32..1000, ident()), 0..5),
        prop::collection::vec((ident(), prop::collection::vec(stmt(2), 0..4)), 0..4),
    )
        .prop_map(|(id, name, fields, procs)| {
            let mut t: Vec<String> = vec![
                "table".into(),
                id.to_string(),
                name,
                "{".into(),
                "fields".into(),
                "{".into(),
            ];
            for (fid, fname) in fields {
                t.extend([
                    "field(".to_string(),
                    fid.to_string(),
                    ";".into(),
                    fname,
                    ";".into(),
                    "Integer)".into(),
                    "{".into(),
                    "}".into(),
                ]);
            }
            t.push("}".into());
            for (pname, body) in procs {
                t.extend(["procedure".to_string(), pname, "()".into(), "begin".into()]);
                for s in body {
                    t.push(s);
                    t.push(";".into());
                }
                t.extend(["end".to_string(), ";".into()]);
            }
            t.push("}".into());
            t
        })
}

fn separator() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(" ".to_string()),
        1 => Just("\n".to_string()),
        1 => Just("\r\n    ".to_string()),
        1 => Just(" /* c */ ".to_string()),
        1 => Just(" // line\n".to_string()),
        1 => Just("\n#pragma warning disable AA0001\n".to_string()),
        1 => Just("\n#region X\n".to_string()),
    ]
}

type View = (
    Option<u32>,
    Option<String>,
    Vec<(MemberKind, Option<u32>, Option<String>)>,
);

fn view(src: &str) -> View {
    let p = parse(src.as_bytes());
    assert!(!p.has_errors(), "{:?}\n{src}", p.diagnostics());
    let o = p.source_file().objects().next().expect("object");
    let members = o
        .members()
        .into_iter()
        .map(|m| (m.kind, m.id.and_then(|i| i.value), m.name.map(|n| n.value)))
        .collect();
    (
        o.id().and_then(|i| i.value),
        o.name().map(|n| n.value),
        members,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn lossless_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let p = parse(&bytes);
        prop_assert!(p.round_trips(&bytes));
        prop_assert_eq!(p.to_bytes(), bytes.clone());
        let p = parse_with(&bytes, &Defines::from_symbols(["X", "CLEAN24"]));
        prop_assert_eq!(p.to_bytes(), bytes);
    }

    #[test]
    fn lossless_on_al_fragments(parts in prop::collection::vec(prop::sample::select(FRAGMENTS), 0..200), x in any::<bool>()) {
        let s: String = parts.concat();
        let d = if x { Defines::from_symbols(["X"]) } else { Defines::none() };
        let p = parse_with(s.as_bytes(), &d);
        prop_assert_eq!(p.to_bytes(), s.as_bytes());
        for d in p.diagnostics() {
            let (l, c) = p.line_col(d.start);
            prop_assert!(l >= 1 && c >= 1);
        }
    }

    #[test]
    fn generated_al_parses_cleanly_and_round_trips(chunks in object()) {
        let s = chunks.join(" ");
        let p = parse(s.as_bytes());
        prop_assert!(!p.has_errors(), "{:?}\n{}", p.diagnostics(), s);
        prop_assert_eq!(p.to_bytes(), s.as_bytes());
    }

    #[test]
    fn typed_view_stable_under_trivia(chunks in object(), seps in prop::collection::vec(separator(), 200)) {
        let plain = chunks.join(" ");
        let mut fancy = String::from("// header comment\n");
        for (i, c) in chunks.iter().enumerate() {
            fancy.push_str(c);
            fancy.push_str(&seps[i % seps.len()]);
        }
        prop_assert_eq!(view(&plain), view(&fancy));
    }
}
