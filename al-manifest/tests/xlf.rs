#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The XLIFF reader and renames on this project's own fixtures
//! (`tests/xlf/Contoso Fleet.*.xlf`: a compiler-style `.g.xlf` with BOM and CRLF, and a
//! translated copy with LF and `<target>`s).

use al_manifest::xlf::{
    NameRef, Rename, RenameWarning, XlfEncoding, XlfError, XlfFile, name_hash, xliff_object_kind,
};
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/xlf")
        .join(name);
    std::fs::read(path).unwrap()
}

fn generated() -> Vec<u8> {
    fixture("Contoso Fleet.g.xlf")
}

fn translated() -> Vec<u8> {
    fixture("Contoso Fleet.de-DE.xlf")
}

fn names(file: &XlfFile, unit: usize) -> Vec<(String, String)> {
    file.units()[unit]
        .note
        .as_ref()
        .map(|n| &n.parts)
        .unwrap()
        .iter()
        .map(|p| (p.kind.clone(), p.name.clone()))
        .collect()
}

fn unit_by_note<'f>(file: &'f XlfFile, note: &str) -> &'f al_manifest::xlf::TransUnit {
    file.units()
        .iter()
        .find(|u| u.note.as_ref().is_some_and(|n| n.text == note))
        .unwrap_or_else(|| panic!("no unit with note {note:?}"))
}

#[test]
fn documented_hashes() {
    assert_eq!(name_hash("NAB Test Table"), 596_208_023);
    assert_eq!(name_hash("Caption"), 2_879_900_210);
}

#[test]
fn reads_the_fixtures() {
    for bytes in [generated(), translated()] {
        let file = XlfFile::parse(&bytes).unwrap();
        assert_eq!(file.to_bytes(), bytes);
        assert!(file.units().len() >= 31, "{}", file.units().len());
        for u in file.units() {
            let ids = u.id_parts.as_ref().unwrap();
            let note = u.note.as_ref().unwrap();
            assert!(note.complete, "{}", note.text);
            let parts = &note.parts;
            assert_eq!(ids.len(), parts.len());
            for (id, part) in ids.iter().zip(parts) {
                assert_eq!(id.kind, part.kind);
                assert_eq!(id.hash, name_hash(&part.name), "{}", note.text);
                assert_eq!(file.text()[id.hash_span.clone()], id.hash.to_string());
            }
            assert_eq!(&file.text()[u.id_span.clone()], u.id);
        }
    }
    let g = XlfFile::parse(&generated()).unwrap();
    assert_eq!(g.encoding(), XlfEncoding::Utf8Bom);
    assert_eq!(
        XlfFile::parse(&translated()).unwrap().encoding(),
        XlfEncoding::Utf8
    );
    assert_eq!(g.units()[0].line, 6);
    assert_eq!(g.units()[0].column, 9);
}

#[test]
fn notes_split_on_kinds_and_unescape() {
    let g = XlfFile::parse(&generated()).unwrap();
    let u = unit_by_note(
        &g,
        "Report CFL Fleet - Summary - ReportColumn LicensePlate - Property Caption",
    );
    assert_eq!(
        names(&g, g.units().iter().position(|x| x == u).unwrap())[0].1,
        "CFL Fleet - Summary"
    );
    let u = unit_by_note(
        &g,
        "Table CFL Vehicle - Field Fuel & <Oil> Cost - Property Caption",
    );
    let part = &u.note.as_ref().unwrap().parts[1];
    assert_eq!(part.name, "Fuel & <Oil> Cost");
    assert_eq!(
        &g.text()[part.name_span.clone()],
        "Fuel &amp; &lt;Oil&gt; Cost"
    );
}

#[test]
fn object_target_is_read() {
    let g = XlfFile::parse(&generated()).unwrap();
    let u = unit_by_note(
        &g,
        "PageExtension CFL Customer Card - Control CFL Fleet Size - Property Caption",
    );
    let t = u.object_target.as_ref().unwrap();
    assert_eq!(t.value, format!("Page {}", name_hash("Customer Card")));
    assert_eq!(t.part.as_ref().unwrap().hash, name_hash("Customer Card"));
}

fn rename(bytes: &[u8], renames: &[Rename]) -> (String, al_manifest::xlf::RenameOutput) {
    let out = XlfFile::parse(bytes).unwrap().rename(renames).unwrap();
    let back = XlfFile::parse(&out.bytes)
        .unwrap()
        .rename(&Rename::reversed_all(renames))
        .unwrap();
    assert!(
        back.bytes == bytes,
        "reverse rename does not restore the file"
    );
    (String::from_utf8(out.bytes.clone()).unwrap(), out)
}

#[test]
fn object_rename_rewrites_every_unit_of_the_object() {
    for bytes in [generated(), translated()] {
        let (text, out) = rename(&bytes, &[Rename::object("Table", "CFL Vehicle", "CFL Car")]);
        let old = format!("Table {} - ", name_hash("CFL Vehicle"));
        let new = format!("Table {} - ", name_hash("CFL Car"));
        assert!(!text.contains(&old));
        assert_eq!(text.matches(&new).count(), out.changed_units.len());
        assert!(out.changed_units.len() >= 6);
        assert!(text.contains(
            ">Table CFL Car - Field Fuel &amp; &lt;Oil&gt; Cost - Property Caption</note>"
        ));
        // The field named like the table keeps its name.
        assert!(text.contains(">Table CFL Car - Field CFL Vehicle - Property Caption</note>"));
        assert!(out.warnings.is_empty());
        // Nothing outside the edited values changed: same line count and line endings.
        let before = String::from_utf8_lossy(&bytes).into_owned();
        assert_eq!(text.matches("\r\n").count(), before.matches("\r\n").count());
        assert_eq!(text.lines().count(), before.lines().count());
    }
}

#[test]
fn member_rename_touches_only_that_member() {
    let (text, out) = rename(
        &generated(),
        &[Rename::member(
            "Table",
            "CFL Vehicle",
            "Field",
            "License Plate",
            "Registration No.",
        )],
    );
    // Names match as AL identifiers do, ignoring case.
    let other_case = XlfFile::parse(&generated())
        .unwrap()
        .rename(&[Rename::member(
            "table",
            "cfl VEHICLE",
            "field",
            "license plate",
            "Registration No.",
        )])
        .unwrap();
    assert_eq!(other_case.bytes, text.as_bytes());
    assert_eq!(out.changed_units.len(), 2);
    assert!(text.contains(">Table CFL Vehicle - Field Registration No. - Property Caption</note>"));
    assert!(text.contains(
        ">Table CFL Vehicle - Field Registration No. - Method OnValidate - NamedType InvalidPlateErr</note>"
    ));
    // The page control of the same name is another element.
    assert!(
        text.contains(">Page CFL Vehicle Card - Control License Plate - Property ToolTip</note>")
    );
    let id = format!(
        "Table {} - Field {} - Property {}",
        name_hash("CFL Vehicle"),
        name_hash("Registration No."),
        name_hash("Caption")
    );
    assert!(text.contains(&id));
}

#[test]
fn object_and_member_renames_in_one_batch() {
    let renames = [
        Rename::object("Page", "CFL Vehicle Card", "CFL Car Card"),
        Rename::member(
            "Page",
            "CFL Vehicle Card",
            "Action",
            "Service History",
            "Maintenance",
        ),
        Rename::new(
            vec![
                NameRef::new("Page", "CFL Vehicle Card"),
                NameRef::new("Action", "Service History"),
                NameRef::new("Method", "OnAction"),
                NameRef::new("NamedType", "NoHistoryMsg"),
            ],
            "NoMaintenanceMsg",
        ),
    ];
    let (text, out) = rename(&translated(), &renames);
    assert_eq!(out.changed_units.len(), 7);
    assert!(text.contains(
        ">Page CFL Car Card - Action Maintenance - Method OnAction - NamedType NoMaintenanceMsg</note>"
    ));
    assert!(text.contains("<target state=\"translated\">Wartungsverlauf anzeigen.</target>"));
}

#[test]
fn object_rename_updates_extension_targets() {
    let (text, out) = rename(
        &generated(),
        &[Rename::object("Page", "Customer Card", "Client Card")],
    );
    assert_eq!(out.changed_units.len(), 2);
    assert_eq!(
        text.matches(&format!(
            "al-object-target=\"Page {}\"",
            name_hash("Client Card")
        ))
        .count(),
        2
    );
    // Table Customer's extension is not a page.
    assert!(text.contains(&format!(
        "al-object-target=\"Table {}\"",
        name_hash("Customer")
    )));
    let (text, _) = rename(
        &generated(),
        &[Rename::object("Enum", "CFL Fuel Type", "CFL Fuel")],
    );
    assert!(text.contains(&format!(
        "al-object-target=\"Enum {}\"",
        name_hash("CFL Fuel")
    )));
    assert!(text.contains(">Enum CFL Fuel - EnumValue Diesel - Property Caption</note>"));
}

#[test]
fn new_names_are_escaped() {
    let (text, _) = rename(
        &generated(),
        &[Rename::member(
            "Enum",
            "CFL Fuel Type",
            "EnumValue",
            "Petrol",
            "Gas & \"Oil\" <'98'>",
        )],
    );
    assert!(text.contains(
        ">Enum CFL Fuel Type - EnumValue Gas &amp; \"Oil\" &lt;'98'&gt; - Property Caption</note>"
    ));
    let file = XlfFile::parse(text.as_bytes()).unwrap();
    let u = unit_by_note(
        &file,
        "Enum CFL Fuel Type - EnumValue Gas & \"Oil\" <'98'> - Property Caption",
    );
    assert_eq!(
        u.id_parts.as_ref().unwrap()[1].hash,
        name_hash("Gas & \"Oil\" <'98'>")
    );
}

const MINI_HEAD: &str = "<xliff version=\"1.2\"><file><body><group id=\"body\">\n";
const MINI_TAIL: &str = "</group></body></file></xliff>\n";

fn mini(units: &str) -> String {
    format!("{MINI_HEAD}{units}{MINI_TAIL}")
}

#[test]
fn ambiguous_notes_are_split_by_hash() {
    let (a, b) = ("A - Field B", "C - Field D");
    let xlf = mini(&format!(
        "<trans-unit id=\"Table {} - Field {} - Property {}\"><note from=\"Xliff Generator\">Table {a} - Field {b} - Property Caption</note></trans-unit>\n",
        name_hash(a),
        name_hash(b),
        name_hash("Caption")
    ));
    let file = XlfFile::parse(xlf.as_bytes()).unwrap();
    assert_eq!(
        names(&file, 0),
        [
            ("Table".into(), a.into()),
            ("Field".into(), b.into()),
            ("Property".into(), "Caption".into())
        ]
    );
    let (text, _) = rename(
        xlf.as_bytes(),
        &[Rename::member("Table", a, "Field", b, "E")],
    );
    assert!(text.contains(">Table A - Field B - Field E - Property Caption</note>"));
}

#[test]
fn inconsistent_units_are_reported_not_changed() {
    let xlf = mini(&format!(
        "<trans-unit id=\"Table 1 - Property 2879900210\"><note from=\"Xliff Generator\">Table T - Property Caption</note></trans-unit>\n\
         <trans-unit id=\"Table {} - Property 2879900210\"><note from=\"Developer\">x</note></trans-unit>\n",
        name_hash("T")
    ));
    let file = XlfFile::parse(xlf.as_bytes()).unwrap();
    let out = file.rename(&[Rename::object("Table", "T", "U")]).unwrap();
    assert_eq!(out.bytes, xlf.as_bytes());
    assert!(out.changed_units.is_empty());
    assert!(matches!(
        out.warnings.as_slice(),
        [
            RenameWarning::HashMismatch {
                unit: 0,
                line: 2,
                ..
            },
            RenameWarning::Unconfirmed {
                unit: 1,
                line: 3,
                ..
            }
        ]
    ));
}

#[test]
fn rename_errors() {
    let file = XlfFile::parse(&generated()).unwrap();
    assert!(matches!(
        file.rename(&[Rename::object("Table", "CFL Vehicle", "")]),
        Err(XlfError::InvalidName { .. })
    ));
    assert!(matches!(
        file.rename(&[Rename::object("Table", "CFL Vehicle", "a\u{1}b")]),
        Err(XlfError::InvalidName { .. })
    ));
    assert_eq!(
        file.rename(&[Rename::new(vec![], "x")]),
        Err(XlfError::EmptyPath)
    );
    let err = file
        .rename(&[
            Rename::object("Table", "CFL Vehicle", "X"),
            Rename::object("table", "cfl vehicle", "Y"),
        ])
        .unwrap_err();
    assert!(
        matches!(err, XlfError::ConflictingRenames { line: 6, .. }),
        "{err}"
    );
}

#[test]
fn utf16_round_trips() {
    let text = String::from_utf8(translated()).unwrap();
    for (bom, le) in [([0xFF, 0xFE], true), ([0xFE, 0xFF], false)] {
        let mut bytes = bom.to_vec();
        for u in text.encode_utf16() {
            bytes.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        let file = XlfFile::parse(&bytes).unwrap();
        assert_eq!(file.to_bytes(), bytes);
        assert_eq!(file.text(), text);
        let renames = [Rename::object(
            "Codeunit",
            "CFL Vehicle Mgt.",
            "CFL Fahrzeug",
        )];
        let out = file.rename(&renames).unwrap();
        assert_eq!(out.changed_units.len(), 2);
        let renamed = XlfFile::parse(&out.bytes).unwrap();
        assert_eq!(renamed.encoding(), file.encoding());
        assert!(
            renamed
                .text()
                .contains(">Codeunit CFL Fahrzeug - NamedType VehicleBlockedErr</note>")
        );
        let back = renamed.rename(&Rename::reversed_all(&renames)).unwrap();
        assert!(back.bytes == bytes);
    }
}

#[test]
fn errors_say_where() {
    let cases: [(&[u8], &str); 9] = [
        (b"\xff\xfe\x3c\x00\x00", "1:2: invalid UTF-16LE text"),
        (b"<xliff>\n  <file>\n</xliff>", "3:1: malformed XML"),
        (b"<root/>", "1:1: root element is <root>, expected <xliff>"),
        (
            b"<xliff>\n<trans-unit/>\n</xliff>",
            "2:1: trans-unit without an id",
        ),
        (
            b"<xliff>\n <trans-unit id=\"a\"><trans-unit id=\"b\"/></trans-unit></xliff>",
            "2:21: trans-unit inside trans-unit",
        ),
        (
            b"<xliff>\n  <x a=\"\xff\"/></xliff>",
            "2:9: invalid UTF-8 text",
        ),
        (
            b"<xliff><trans-unit id=\"a&bogus;\"/></xliff>",
            "1:25: malformed XML: unknown entity &bogus;",
        ),
        (b"", "1:1: no root element"),
        (b"\xff\xfe\x3c\x00\x00\xd8", "1:2: invalid UTF-16LE text"),
    ];
    for (input, want) in cases {
        let err = XlfFile::parse(input).unwrap_err().to_string();
        assert!(
            err.starts_with(want),
            "{err:?} does not start with {want:?}"
        );
    }
}

#[test]
fn object_kinds() {
    assert_eq!(xliff_object_kind("tableextension"), Some("TableExtension"));
    assert_eq!(xliff_object_kind("XmlPort"), Some("XmlPort"));
    assert_eq!(xliff_object_kind("begin"), None);
}

/// Elements (path of (kind, name)) named in the fixture's notes, by prefix.
fn paths(file: &XlfFile) -> Vec<Vec<(String, String)>> {
    let mut out: Vec<Vec<(String, String)>> = Vec::new();
    for u in file.units() {
        let parts = &u.note.as_ref().unwrap().parts;
        for len in 1..=parts.len() {
            let p: Vec<_> = parts[..len]
                .iter()
                .map(|p| (p.kind.clone(), p.name.clone()))
                .collect();
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Renaming any element the fixtures name, then renaming it back, restores the
    /// file byte for byte; the rename itself changes the file.
    #[test]
    fn rename_then_reverse_is_identity(
        which in 0usize..1000,
        translated_file in any::<bool>(),
        new_name in "[A-Za-z0-9 .&<>\"'()/%-]{0,12}[A-Za-zÄöß]",
    ) {
        let bytes = if translated_file { translated() } else { generated() };
        let file = XlfFile::parse(&bytes).unwrap();
        let all = paths(&file);
        let path = &all[which % all.len()];
        let lower = new_name.to_lowercase();
        prop_assume!(!all.iter().any(|p| p.last().unwrap().1.to_lowercase() == lower));
        let rename = Rename::new(
            path.iter().map(|(k, n)| NameRef::new(k.as_str(), n.as_str())).collect(),
            new_name.as_str(),
        );
        let out = file.rename(std::slice::from_ref(&rename)).unwrap();
        prop_assert!(out.bytes != bytes, "the rename changed nothing");
        prop_assert!(out.warnings.is_empty());
        let back = XlfFile::parse(&out.bytes).unwrap().rename(&[rename.reversed()]).unwrap();
        prop_assert!(back.bytes == bytes, "the reverse rename did not restore the file");
    }
}

#[test]
fn notes_cut_short_still_allow_renaming_the_leading_parts() {
    // The compiler writes `Control Measures (Y-Axis` for a control named
    // `Measures (Y-Axis)` (seen in Base Application translations).
    let (page, control) = ("Account Chart Setup", "Measures (Y-Axis)");
    let xlf = mini(&format!(
        "<trans-unit id=\"Page {} - Control {} - Property {}\"><note from=\"Xliff Generator\">Page {page} - Control Measures (Y-Axis</note></trans-unit>\n",
        name_hash(page),
        name_hash(control),
        name_hash("Caption")
    ));
    let file = XlfFile::parse(xlf.as_bytes()).unwrap();
    let note = file.units()[0].note.as_ref().unwrap();
    assert!(!note.complete);
    assert_eq!(note.parts.len(), 1);
    let (text, out) = rename(
        xlf.as_bytes(),
        &[Rename::object("Page", page, "Chart Setup")],
    );
    assert_eq!(out.changed_units, [0]);
    assert!(text.contains(">Page Chart Setup - Control Measures (Y-Axis</note>"));
    let out = file
        .rename(&[Rename::member("Page", page, "Control", control, "Measures")])
        .unwrap();
    assert_eq!(out.bytes, xlf.as_bytes());
    assert!(matches!(
        out.warnings.as_slice(),
        [RenameWarning::Unconfirmed { unit: 0, .. }]
    ));
}

#[test]
fn many_units_on_one_line_parse_in_linear_time() {
    let units = "<trans-unit id=\"Table 1\"/>".repeat(40_000);
    let xlf = format!("<xliff>{units}</xliff>");
    let start = std::time::Instant::now();
    let file = XlfFile::parse(xlf.as_bytes()).unwrap();
    assert_eq!(file.units().len(), 40_000);
    assert_eq!(file.units()[39_999].column, 8 + 39_999 * 26);
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn overlapping_separators_are_all_candidates() {
    // " - Field " occurs twice, overlapping in one space: `A - Field` + ` - Field B`.
    let a = "A - Field";
    let xlf = mini(&format!(
        "<trans-unit id=\"Table {} - Field {} - Property {}\"><note from=\"Xliff Generator\">Table {a} - Field B - Property Caption</note></trans-unit>\n",
        name_hash(a),
        name_hash("B"),
        name_hash("Caption")
    ));
    let file = XlfFile::parse(xlf.as_bytes()).unwrap();
    assert_eq!(names(&file, 0)[0].1, a);
    assert_eq!(names(&file, 0)[1].1, "B");
}

#[test]
fn a_member_under_an_unconfirmed_object_is_left_alone() {
    // The object's hash disagrees with its name: renaming only the member could not be
    // undone by the reverse rename (whose path names the object as in the note).
    let xlf = mini(&format!(
        "<trans-unit id=\"Table 7 - Field {} - Property {}\"><note from=\"Xliff Generator\">Table T - Field F - Property Caption</note></trans-unit>\n",
        name_hash("F"),
        name_hash("Caption")
    ));
    let file = XlfFile::parse(xlf.as_bytes()).unwrap();
    let renames = [
        Rename::object("Table", "T", "U"),
        Rename::member("Table", "T", "Field", "F", "G"),
    ];
    let out = file.rename(&renames).unwrap();
    assert_eq!(out.bytes, xlf.as_bytes());
    assert!(matches!(
        out.warnings.as_slice(),
        [RenameWarning::HashMismatch { unit: 0, .. }]
    ));
}

#[test]
fn a_second_bom_is_text_and_spans_still_point_at_it() {
    // quick-xml skips a leading U+FEFF without counting it (fuzz: spans were off by 3).
    let body = "<xliff><trans-unit id=\"Table 3639982712 - Property 2879900210\"><note from=\"Xliff Generator\">Table T - Property Caption</note></trans-unit></xliff>";
    for prefix in ["\u{feff}", ""] {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(prefix.as_bytes());
        bytes.extend_from_slice(body.as_bytes());
        let file = XlfFile::parse(&bytes).unwrap();
        let u = &file.units()[0];
        assert_eq!(&file.text()[u.offset..u.offset + 11], "<trans-unit");
        let note = u.note.as_ref().unwrap();
        assert_eq!(
            &file.text()[note.span.clone()],
            "Table T - Property Caption"
        );
        assert_eq!(note.parts.len(), 2);
        let (_, out) = rename(&bytes, &[Rename::object("Table", "T", "U")]);
        assert_eq!(out.changed_units, [0]);
    }
}
