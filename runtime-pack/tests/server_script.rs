//! The PowerShell script of `alkit runtime`: golden text, PowerShell syntax (tree-sitter's
//! PowerShell grammar, an independent parser), and quoting of hostile names.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use runtime_pack::runtime::{RequiredApp, ScriptApp, ServerScript, ps_quote};

fn app(name: &str, publisher: &str, n: u128) -> ScriptApp {
    ScriptApp {
        id: uuid::Uuid::from_u128(n),
        name: name.into(),
        publisher: publisher.into(),
        version: "1.2.0.0".into(),
        file: format!("apps/{publisher}_{name}_1.2.0.0.app"),
        show_my_code: n % 2 == 0,
        include_source: true,
    }
}

fn sample() -> ServerScript {
    ServerScript {
        platform: (24, 0),
        server_instance: "BC240".into(),
        tenant: "default".into(),
        country: "dk".into(),
        apps: vec![
            app("Customer Loyalty", "Contoso Partners", 1),
            app(
                "O'Neil's \"Rewards\" $(Get-Date) `n",
                "Contoso ‘Partners’",
                2,
            ),
        ],
        required: vec![RequiredApp {
            id: uuid::Uuid::from_u128(3),
            name: "Partner Base".into(),
            publisher: "Fabrikam".into(),
            min_version: "2.0.0.0".into(),
        }],
        tool: "alkit test".into(),
    }
}

/// Syntax errors tree-sitter's PowerShell grammar finds: (line, text) of every ERROR or
/// MISSING node.
fn syntax_errors(script: &str) -> Vec<(usize, String)> {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_powershell::LANGUAGE.into())
        .unwrap();
    let tree = parser.parse(script, None).unwrap();
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            let text = script
                .get(node.start_byte()..node.end_byte().min(node.start_byte() + 80))
                .unwrap_or("");
            out.push((node.start_position().row + 1, text.to_string()));
        }
        for c in node.children(&mut cursor) {
            stack.push(c);
        }
    }
    out
}

#[test]
fn golden() {
    let text = sample().to_powershell();
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/runtime-packages.ps1");
    if std::env::var_os("ALKIT_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text, want,
        "rerun with ALKIT_BLESS=1 to accept a deliberate change"
    );
}

#[test]
fn script_parses_as_powershell() {
    let text = sample().to_powershell();
    let body = text.trim_start_matches('\u{feff}');
    assert_eq!(syntax_errors(body), Vec::<(usize, String)>::new());
    // The check can fail: a broken script is caught.
    let broken = body.replace("foreach ($a in $Apps) {", "foreach ($a in $Apps) {{");
    assert!(!syntax_errors(&broken).is_empty());
}

#[test]
fn every_value_is_single_quoted() {
    let text = sample().to_powershell();
    assert!(text.contains("Name = 'O''Neil''s \"Rewards\" $(Get-Date) `n'"));
    assert!(text.contains("Publisher = 'Contoso ‘‘Partners’’'"));
    assert!(text.contains("$ErrorActionPreference = 'Stop'"));
    assert!(text.contains("ServerInstance = 'BC240'"));
    assert!(text.contains("Country = 'dk'"));
    // Dependencies first as given; the required app is checked before anything is changed.
    let required = text.find("foreach ($r in $Required)").unwrap();
    let publish = text.find("Publish-NAVApp -ServerInstance").unwrap();
    assert!(required < publish);
}

/// Inverse of `ps_quote` for the test: PowerShell's reading of a single-quoted literal.
fn ps_unquote(lit: &str) -> Option<String> {
    let q = |c: char| matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}');
    let inner: Vec<char> = lit
        .strip_prefix('\'')?
        .strip_suffix('\'')?
        .chars()
        .collect();
    let mut out = String::new();
    let mut i = 0;
    while i < inner.len() {
        let c = inner[i];
        if q(c) {
            // A quote inside must be doubled (the pair is one character).
            if inner.get(i + 1).copied().is_some_and(q) {
                out.push(c);
                i += 2;
                continue;
            }
            return None;
        }
        out.push(c);
        i += 1;
    }
    Some(out)
}

proptest! {
    /// Any name survives quoting: PowerShell reads back exactly the value, and the script
    /// around it still parses.
    #[test]
    fn quoting_round_trips(name in "\\PC{0,40}") {
        let lit = ps_quote(&name);
        prop_assert_eq!(ps_unquote(&lit), Some(name));
    }

    #[test]
    fn scripts_with_any_names_parse(name in "[ -~‘’‚‛]{1,30}", publisher in "[ -~‘’]{1,20}") {
        let mut s = sample();
        s.apps = vec![app(&name, &publisher, 1)];
        let text = s.to_powershell();
        prop_assert_eq!(syntax_errors(text.trim_start_matches('\u{feff}')), Vec::<(usize, String)>::new());
    }
}
