//! Fuzz target: arbitrary bytes → parse (with and without symbols) → the tree prints back
//! the input byte for byte, diagnostics have valid positions, the typed view never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for defines in [
        al_parser::Defines::none(),
        al_parser::Defines::from_symbols(["X", "CLEAN24"]),
    ] {
        let p = al_parser::parse_with(data, &defines);
        assert_eq!(p.to_bytes(), data, "round trip");
        for d in p.diagnostics() {
            assert!(d.start <= d.end && d.end as usize <= p.text().len());
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
    let _ = al_parser::branch_configurations(data);
});
