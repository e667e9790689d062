#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Replays the committed fuzz findings of the `al_parse` target
//! (`fuzz/regressions/al_parse/*`, plus the committed seeds) with the target's checks.

use std::path::Path;

#[test]
fn al_parse() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in [
        here.join("../fuzz/regressions/al_parse"),
        here.join("../fuzz/seeds/al_parse"),
    ] {
        let Ok(dir) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut files: Vec<_> = dir.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for f in files.iter().filter(|f| f.is_file()) {
            let data = std::fs::read(f).unwrap();
            let name = f.display();
            for defines in [
                al_parser::Defines::none(),
                al_parser::Defines::from_symbols(["X", "CLEAN24"]),
            ] {
                let p = al_parser::parse_with(&data, &defines);
                assert_eq!(p.to_bytes(), data, "{name}: round trip");
                for d in p.diagnostics() {
                    assert!(
                        d.start <= d.end && d.end as usize <= p.text().len(),
                        "{name}"
                    );
                    let _ = p.line_col(d.start);
                }
                let f = p.source_file();
                let _ = (f.namespace(), f.usings());
                for o in f.objects() {
                    let _ = (
                        o.kind(),
                        o.id(),
                        o.name(),
                        o.extends(),
                        o.implements(),
                        o.members(),
                    );
                }
            }
            let _ = al_parser::branch_configurations(&data);
        }
    }
}
