//! Counts, over every `.al` file below a folder, how many structured-form properties
//! (TableRelation, CalcFormula, views, links, Permissions, RunObject…) were parsed into
//! structure and how many fell back to raw tokens; prints a few fallbacks.
//!
//! `cargo run --release -p al-parser --example prop_stats -- <folder>`

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use al_parser::SyntaxKind;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("al")) {
            out.push(p);
        }
    }
}

const FORMS: &[&str] = &[
    "tablerelation",
    "calcformula",
    "sourcetableview",
    "dataitemtableview",
    "runpageview",
    "subpageview",
    "filters",
    "runpagelink",
    "subpagelink",
    "dataitemlink",
    "permissions",
    "accessbypermission",
    "runobject",
];

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let mut files = Vec::new();
    collect(&dir, &mut files);
    let mut stats: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut shown = 0;
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        let p = al_parser::parse(&bytes);
        for n in p
            .root()
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::Property)
        {
            let Some(name) = n.first_token().map(|t| t.text_lossy().to_ascii_lowercase()) else {
                continue;
            };
            if !FORMS.contains(&name.as_str()) {
                continue;
            }
            let Some(v) = n.child(SyntaxKind::PropertyValue) else {
                continue;
            };
            let raw = v
                .children()
                .next()
                .is_none_or(|c| c.kind() == SyntaxKind::TokenGroup);
            let e = stats.entry(name).or_default();
            if raw {
                e.1 += 1;
                if shown < 25 {
                    shown += 1;
                    let (l, _) = p.line_col(v.span().start);
                    println!(
                        "raw: {}:{l}: {}",
                        f.display(),
                        String::from_utf8_lossy(v.text()).replace('\n', " ")
                    );
                }
            } else {
                e.0 += 1;
            }
        }
    }
    for (k, (s, r)) in stats {
        println!("{k}: {s} structured, {r} raw");
    }
}
