#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! An object whose header differs by `#if` branch (hougaard's Preprocesor:
//! `#if appsource table 70050100 … #else table 50100 … #endif` with `appsource` in
//! app.json's `preprocessorSymbols`): the move reads the object as the app is built (the
//! branch app.json's symbols make active), side by side takes a new ID even though
//! 70050100 lies inside the target range, and the reverse restores every byte, the
//! inactive header's own ID included.

mod common;

use scope_rules::IdRange;
use scope_rules::move_engine::ProjectFile;

const TABLE: &str = "#if appsource\ntable 70050100 Preprocessor\n#else\ntable 50100 Preprocessor\n#endif\n{\n    fields\n    {\n        field(1; Pre; Code[20]) { }\n    }\n}\n";

fn project() -> Vec<ProjectFile> {
    vec![
        ProjectFile::new(
            "app.json",
            br#"{"id":"0c9ee1a4-6d3e-4c1f-9a57-3b0f5e2d8a61","name":"Pp","publisher":"Contoso","version":"1.0.0.0","idRanges":[{"from":50100,"to":50149},{"from":70050100,"to":70050149}],"preprocessorSymbols":["appsource"]}"#.to_vec(),
        ),
        ProjectFile::new("src/t.al", TABLE.as_bytes().to_vec()),
    ]
}

#[test]
fn the_active_header_is_the_object_and_the_reverse_restores_both_headers() {
    let project = project();
    let mut opts = common::to_appsource("XQZ", true);
    opts.ranges = vec![IdRange::new(70_000_000, 70_099_999)];
    opts.side_by_side = true;
    let out = common::moved(&project, &opts);
    let row = out
        .mapping
        .mapping
        .iter()
        .find(|e| e.object == "Preprocessor")
        .expect("the table is renumbered");
    // The object as the app is built: 70050100, not the inactive branch's 50100.
    assert_eq!(
        (row.old_id, row.new_id),
        (Some(70_050_100), Some(70_000_000))
    );
    let text = common::text(&out.files, "src/t.al");
    assert!(
        text.contains("table 70000000 XQZPreprocessor\n#else"),
        "{text}"
    );
    common::assert_reverse_restores(&project, &out, true);
}
