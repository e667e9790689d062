#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A report extension's members get the affix (dataitems, columns, and the controls,
//! groups and actions it adds to the request page: two apps adding one name to the same
//! report cannot be installed side by side), and a column's source that names a global
//! variable of the same name is left alone.

use scope_rules::move_engine::{Dependencies, MoveOptions, ProjectFile, move_app};
use scope_rules::{IdRange, Scope};

const REPORT: &str = "reportextension 50100 \"My Labels\" extends \"Shipping Labels\"\n{\n    dataset\n    {\n        add(Header)\n        {\n            column(TempDesc; \"TempDesc\") { }\n        }\n    }\n    requestpage\n    {\n        layout\n        {\n            addlast(Content)\n            {\n                field(NoCopies; NoCopiesVar) { }\n                group(Opts) { }\n            }\n        }\n        actions\n        {\n            addlast(Processing) { action(Refresh) { } }\n        }\n    }\n    var\n        NoCopiesVar: Integer;\n        TempDesc: Text;\n}\n";

#[test]
fn report_extension_members_get_the_affix_and_variables_keep_their_names() {
    let project = vec![
        ProjectFile::new(
            "app.json",
            br#"{"id":"0c9ee1a4-6d3e-4c1f-9a57-3b0f5e2d8a61","name":"Rx","publisher":"Contoso","version":"1.0.0.0","idRanges":[{"from":50100,"to":50149}]}"#.to_vec(),
        ),
        ProjectFile::new("src/r.al", REPORT.as_bytes().to_vec()),
    ];
    let mut opts = MoveOptions::to(Scope::APPSOURCE, "0b5e6f3c-6a53-4a4a-9df3-0c1a9d6b7e21");
    opts.ranges = vec![IdRange::new(70_000_000, 70_000_099)];
    opts.affix = Some("XQZ".into());
    opts.allow_unresolved = true;
    let out = move_app(
        &project,
        &Dependencies::default(),
        &[],
        &opts,
        &mut |_, _, _| {},
    )
    .unwrap();
    let r = out.files.iter().find(|f| f.path == "src/r.al").unwrap();
    let text = String::from_utf8(r.bytes.to_vec()).unwrap();
    let want = REPORT
        .replace(
            "reportextension 50100 \"My Labels\"",
            "reportextension 70000000 \"XQZ My Labels\"",
        )
        .replace(
            "column(TempDesc; \"TempDesc\")",
            "column(XQZTempDesc; \"TempDesc\")",
        )
        .replace("field(NoCopies;", "field(XQZNoCopies;")
        .replace("group(Opts)", "group(XQZOpts)")
        .replace("action(Refresh)", "action(XQZRefresh)");
    assert_eq!(text, want);
}
