//! `alkit deps graph`: Mermaid and DOT pictures parse (a structural parser here; Graphviz
//! `dot` too when installed), cycles, missing and too-low dependencies are drawn distinctly
//! and listed, output is deterministic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use common::{alkit, project};

const A: &str = "00000000-0000-0000-0000-00000000000a";
const B: &str = "00000000-0000-0000-0000-00000000000b";
const C: &str = "00000000-0000-0000-0000-00000000000c";
const D: &str = "00000000-0000-0000-0000-00000000000d";
const SYSTEM_APPLICATION: &str = "63ca2fa4-4f03-4f2b-a480-172fef340d3f";

fn app(id: &str, name: &str, version: &str, deps: &[(&str, &str, &str)]) -> String {
    let deps: Vec<String> = deps
        .iter()
        .map(|(id, name, v)| {
            format!(r#"{{ "id": "{id}", "name": "{name}", "publisher": "P", "version": "{v}" }}"#)
        })
        .collect();
    format!(
        r#"{{ "id": "{id}", "name": "{name}", "publisher": "P \"Q\" <R>", "version": "{version}", "dependencies": [{}] }}"#,
        deps.join(", ")
    )
}

/// A <-> B (cycle), C needs B 2.0 (1.0 available: too low), C needs D (missing) and the
/// System Application (present, grouped).
fn troubled_set() -> tempfile::TempDir {
    let a = app(A, "Alpha", "1.0.0.0", &[(B, "Beta", "1.0.0.0")]);
    let b = app(B, "Beta", "1.0.0.0", &[(A, "Alpha", "1.0.0.0")]);
    let c = app(
        C,
        "Gamma",
        "1.0.0.0",
        &[
            (B, "Beta", "2.0.0.0"),
            (D, "Delta", "3.0.0.0"),
            (SYSTEM_APPLICATION, "System Application", "26.0.0.0"),
        ],
    );
    let s = format!(
        r#"{{ "id": "{SYSTEM_APPLICATION}", "name": "System Application", "publisher": "Microsoft", "version": "26.0.0.0" }}"#
    );
    project(&[
        ("apps/alpha/app.json", &a),
        ("apps/beta/app.json", &b),
        ("apps/nested/gamma/app.json", &c),
        ("apps/system/app.json", &s),
    ])
}

/// A parsed Mermaid flowchart: node ids, edges (from, arrow, to), classes per node and the
/// edge indices per `linkStyle`.
#[derive(Debug, Default)]
struct Mermaid {
    nodes: BTreeSet<String>,
    edges: Vec<(String, String, String)>,
    classes: Vec<(String, String)>,
    link_styles: Vec<(Vec<usize>, String)>,
    subgraphs: Vec<String>,
}

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A `"…"` string at the start of `s` (no raw `"` inside, as Mermaid requires); the rest.
fn quoted(s: &str) -> (&str, &str) {
    let body = s.strip_prefix('"').expect("a quoted label");
    let end = body.find('"').expect("closing quote");
    (&body[..end], &body[end + 1..])
}

/// Parses the subset of Mermaid `alkit deps graph` writes; panics on anything else.
fn parse_mermaid(text: &str) -> Mermaid {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("flowchart LR"));
    let mut m = Mermaid::default();
    let mut depth = 0;
    for line in lines {
        let l = line.trim();
        if l.starts_with("%% ") {
            continue;
        }
        if let Some(rest) = l.strip_prefix("subgraph ") {
            let (id, label) = rest.split_once('[').expect("subgraph label");
            assert!(is_id(id), "{line}");
            let (_, tail) = quoted(label);
            assert_eq!(tail, "]", "{line}");
            m.subgraphs.push(id.to_string());
            depth += 1;
        } else if l == "end" {
            depth -= 1;
            assert!(depth >= 0, "unbalanced end");
        } else if l.starts_with("classDef ") {
            let mut words = l.split_whitespace().skip(1);
            assert!(
                is_id(words.next().unwrap()) && words.next().is_some(),
                "{line}"
            );
        } else if let Some(rest) = l.strip_prefix("style ") {
            let id = rest.split_whitespace().next().unwrap();
            assert!(
                m.subgraphs.iter().any(|s| s == id) || m.nodes.contains(id),
                "{line}"
            );
        } else if let Some(rest) = l.strip_prefix("linkStyle ") {
            let (idx, style) = rest.split_once(' ').unwrap();
            let idx: Vec<usize> = idx.split(',').map(|i| i.parse().unwrap()).collect();
            m.link_styles.push((idx, style.to_string()));
        } else if let Some((id, rest)) = l.split_once("[\"") {
            assert!(is_id(id), "{line}");
            let label = format!("\"{rest}");
            let (_, tail) = quoted(&label);
            let class = match tail {
                "]" => None,
                t => Some(t.strip_prefix("]:::").expect("class").to_string()),
            };
            assert!(m.nodes.insert(id.to_string()), "node {id} defined twice");
            if let Some(c) = class {
                m.classes.push((id.to_string(), c));
            }
        } else {
            let (from, rest) = l.split_once(' ').expect("an edge");
            let arrow_end = rest.find(['|', ' ']).expect("an arrow");
            let arrow = &rest[..arrow_end];
            assert!(["-->", "-.->", "==>"].contains(&arrow), "{line}");
            let mut rest = &rest[arrow_end..];
            if let Some(label) = rest.strip_prefix('|') {
                let (_, tail) = quoted(label);
                rest = tail.strip_prefix('|').expect("|label|");
            }
            let to = rest.strip_prefix(' ').expect("edge target");
            for id in [from, to] {
                assert!(m.nodes.contains(id), "edge to undeclared node {id}: {line}");
            }
            m.edges.push((from.into(), arrow.into(), to.into()));
        }
    }
    assert_eq!(depth, 0, "unbalanced subgraph");
    for (idx, _) in &m.link_styles {
        assert!(idx.iter().all(|&i| i < m.edges.len()));
    }
    m
}

/// Statements of a DOT graph (split on `;`, `{`, `}` outside quotes), checking quotes and
/// braces balance; the `//` comments after the closing brace are returned apart.
fn parse_dot(text: &str) -> (Vec<String>, Vec<String>) {
    assert!(text.starts_with("digraph dependencies {\n"), "{text}");
    let (body, comments) = text.split_at(text.rfind("}\n").expect("closing brace") + 2);
    let comments: Vec<String> = comments.lines().map(String::from).collect();
    assert!(comments.iter().all(|c| c.starts_with("// ")));
    let mut statements = Vec::new();
    let mut cur = String::new();
    let (mut in_quote, mut escaped, mut depth) = (false, false, 0i32);
    for c in body.chars() {
        if in_quote {
            cur.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_quote = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_quote = true;
                cur.push(c);
            }
            '{' | '}' | ';' => {
                if c == '{' {
                    depth += 1;
                } else if c == '}' {
                    depth -= 1;
                    assert!(depth >= 0);
                }
                let s = cur.trim().to_string();
                if !s.is_empty() {
                    statements.push(s);
                }
                cur.clear();
            }
            '\n' => assert!(cur.trim().is_empty(), "statement without ';': {cur}"),
            c => cur.push(c),
        }
    }
    assert!(!in_quote && depth == 0, "unbalanced quotes or braces");
    (statements, comments)
}

#[test]
fn mermaid_parses_and_draws_problems_distinctly() {
    let dir = troubled_set();
    let r = alkit(&["deps", "graph", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 1, "cycle and too low are errors: {}", r.stderr);
    let m = parse_mermaid(&r.stdout);
    assert_eq!(m.nodes.len(), 5, "{}", r.stdout); // 4 apps + missing Delta
    assert_eq!(m.subgraphs, ["microsoft"]);
    let name_of = |id: &str| {
        let line = r
            .stdout
            .lines()
            .find(|l| l.trim().starts_with(&format!("{id}[\"")))
            .unwrap();
        line.split("<b>")
            .nth(1)
            .unwrap()
            .split("</b>")
            .next()
            .unwrap()
    };
    let edges: BTreeSet<(&str, &str, &str)> = m
        .edges
        .iter()
        .map(|(f, a, t)| (name_of(f), a.as_str(), name_of(t)))
        .collect();
    assert!(edges.contains(&("Gamma", "-.->", "Delta")), "{edges:?}");
    assert!(edges.contains(&("Gamma", "==>", "Beta")), "{edges:?}");
    assert!(edges.contains(&("Gamma", "-->", "System Application")));
    assert!(edges.contains(&("Alpha", "-->", "Beta")));
    let classes: BTreeSet<(&str, &str)> = m
        .classes
        .iter()
        .map(|(id, c)| (name_of(id), c.as_str()))
        .collect();
    assert_eq!(
        classes,
        BTreeSet::from([("Alpha", "cycle"), ("Beta", "cycle"), ("Delta", "missing")])
    );
    // Cycle, too-low and missing edges are styled red; the missing one dashed.
    let styled: BTreeSet<usize> = m.link_styles.iter().flat_map(|(i, _)| i.clone()).collect();
    assert_eq!(styled.len(), 4, "{}", r.stdout);
    assert!(
        m.link_styles
            .iter()
            .any(|(_, s)| s.contains("stroke-dasharray") && s.contains("#c00"))
    );
    assert!(r.stdout.contains("≥ 2.0.0.0 (has 1.0.0.0)"));
    assert!(r.stdout.contains("P #quot;Q#quot; #lt;R#gt;"), "escaped");
    // Listed: in the picture and on stderr.
    for needle in [
        "dependency cycle: Alpha -> Beta -> Alpha",
        "Gamma requires Beta 2.0.0.0 or later, but only 1.0.0.0 is available",
        "Gamma depends on Delta",
    ] {
        assert!(r.stdout.contains(&format!("%% {needle}")), "{needle}");
        assert!(r.stderr.contains(needle), "{needle}: {}", r.stderr);
    }
}

#[test]
fn dot_parses_and_renders_with_graphviz_when_installed() {
    let dir = troubled_set();
    let r = alkit(&[
        "deps",
        "graph",
        dir.path().to_str().unwrap(),
        "--format",
        "dot",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let (statements, comments) = parse_dot(&r.stdout);
    let nodes: Vec<&String> = statements
        .iter()
        .filter(|s| s.starts_with("n") && s[1..].starts_with(|c: char| c.is_ascii_digit()))
        .filter(|s| !s.contains("->"))
        .collect();
    assert_eq!(nodes.len(), 5, "{statements:#?}");
    let edges: Vec<&String> = statements.iter().filter(|s| s.contains(" -> ")).collect();
    assert_eq!(edges.len(), 5, "{statements:#?}");
    assert_eq!(
        edges
            .iter()
            .filter(|e| e.contains("class=\"cycle\""))
            .count(),
        2
    );
    assert_eq!(
        edges
            .iter()
            .filter(|e| e.contains("class=\"too-low\""))
            .count(),
        1
    );
    assert!(
        edges
            .iter()
            .any(|e| e.contains("class=\"missing\"") && e.contains("style=dashed"))
    );
    assert!(statements.iter().any(|s| s == "subgraph cluster_microsoft"));
    assert_eq!(comments.len(), 3, "{comments:?}");

    let dot = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = dot else {
        eprintln!("SKIPPED: Graphviz `dot` is not installed; only the structural DOT check ran");
        return;
    };
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(r.stdout.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "dot failed: {stderr}");
    assert!(stderr.trim().is_empty(), "dot warned: {stderr}");
    let svg = String::from_utf8_lossy(&out.stdout);
    assert!(svg.contains("<svg") && svg.contains("Delta") && svg.contains("Microsoft platform"));
}

#[test]
fn examples_json_and_determinism() {
    let r = alkit(&["deps", "graph", "examples", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["nodes"][0]["name"], "Customer Loyalty");
    assert_eq!(v["edges"][0]["from"], "n1");
    assert_eq!(v["edges"][0]["to"], "n0");
    assert_eq!(v["edges"][0]["minVersion"], "1.2.0.0");
    assert_eq!(v["edges"][0]["state"], "ok");
    let one = alkit(&[
        "deps",
        "graph",
        "examples/loyalty-rewards",
        "examples/loyalty",
    ]);
    let two = alkit(&[
        "deps",
        "graph",
        "examples/loyalty",
        "examples/loyalty-rewards",
    ]);
    assert_eq!(one.stdout, two.stdout);
    parse_mermaid(&one.stdout);
    let ex = alkit(&["deps", "graph", "examples", "--exclude", "REWARDS"]);
    assert_eq!(parse_mermaid(&ex.stdout).nodes.len(), 1);
}

#[test]
fn packages_in_a_folder_are_drawn_like_their_projects() {
    let dir = tempfile::tempdir().unwrap();
    for p in ["examples/loyalty", "examples/loyalty-rewards"] {
        let r = alkit(&["pack", p, "--out", dir.path().to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let from_apps = alkit(&["deps", "graph", dir.path().to_str().unwrap()]);
    assert_eq!(from_apps.code, 0, "{}", from_apps.stderr);
    let from_projects = alkit(&["deps", "graph", "examples"]);
    assert_eq!(from_apps.stdout, from_projects.stdout);
}

#[test]
fn projects_below_projects_are_found_and_build_output_is_not_doubled() {
    let a = app(A, "Umbrella", "1.0.0.0", &[(B, "Part", "1.0.0.0")]);
    let b = app(B, "Part", "1.0.0.0", &[]);
    let dir = project(&[
        ("apps/umbrella/app.json", &a),
        ("apps/umbrella/part/app.json", &b),
        ("apps/umbrella/P_Umbrella_1.0.0.0.app", "not a package"),
    ]);
    let r = alkit(&["deps", "graph", dir.path().join("apps").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(parse_mermaid(&r.stdout).nodes.len(), 2, "{}", r.stdout);
}
