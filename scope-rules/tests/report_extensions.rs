#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A report extension's members get the affix (dataitems, columns, and the controls,
//! groups and actions it adds to the request page: two apps adding one name to the same
//! report cannot be installed side by side), and a column's source that names a global
//! variable of the same name is left alone.

mod common;

use scope_rules::move_engine::ProjectFile;

const REPORT: &str = "reportextension 50100 \"My Labels\" extends \"Shipping Labels\"\n{\n    dataset\n    {\n        add(Header)\n        {\n            column(TempDesc; \"TempDesc\") { }\n        }\n    }\n    requestpage\n    {\n        layout\n        {\n            addlast(Content)\n            {\n                field(NoCopies; NoCopiesVar) { }\n                group(Opts) { }\n            }\n        }\n        actions\n        {\n            addlast(Processing) { action(Refresh) { } }\n        }\n    }\n    var\n        NoCopiesVar: Integer;\n        TempDesc: Text;\n}\n";

#[test]
fn report_extension_members_get_the_affix_and_variables_keep_their_names() {
    let project = vec![
        common::app_json("Rx"),
        ProjectFile::new("src/r.al", REPORT.as_bytes().to_vec()),
    ];
    let opts = common::to_appsource("XQZ", true);
    let out = common::moved(&project, &opts);
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

/// A column and a request-page field of one name (Torlys' `NoCopies`): both get the affix
/// (they live in different namespaces of the report), and the reverse restores the bytes.
#[test]
fn a_column_and_a_request_page_field_of_one_name_both_get_the_affix() {
    let src = "reportextension 50100 \"NC Labels\" extends \"Shipping Labels\"\n{\n    dataset\n    {\n        addfirst(Header)\n        {\n            dataitem(CopyLoop; Integer)\n            {\n                column(NoCopies; Number) { }\n            }\n        }\n    }\n    requestpage\n    {\n        layout\n        {\n            addlast(Content)\n            {\n                field(NoCopies; NoCopiesVar) { }\n            }\n        }\n    }\n    var\n        NoCopiesVar: Integer;\n}\n";
    let project = vec![
        common::app_json("Nc"),
        ProjectFile::new("src/r.al", src.as_bytes().to_vec()),
    ];
    let opts = common::to_appsource("XQZ", true);
    let out = common::moved(&project, &opts);
    let text = common::text(&out.files, "src/r.al");
    assert!(text.contains("column(XQZNoCopies; Number)"), "{text}");
    assert!(text.contains("field(XQZNoCopies; NoCopiesVar)"), "{text}");
    assert!(text.contains("NoCopiesVar: Integer;"), "{text}");
    common::assert_reverse_restores(&project, &out, true);
}
