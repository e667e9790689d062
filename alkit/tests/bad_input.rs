//! The bad-input suite: every reader, driven through the CLI, on hostile or unusual input.
//!
//! Each case must end in a clear error (exit code 2, the defect named on stderr, nothing on
//! stdout, no output files left behind) or in a correct result — never a panic, a hang or
//! partial output. Every input here is built by the test itself.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{Run, alkit_in, project};
use runtime_pack::fixtures;
use uuid::Uuid;

const PKG: Uuid = Uuid::from_u128(0x1111_2222_3333_4444_5555_6666_7777_8888);
const APP: Uuid = Uuid::from_u128(0x5b4f_3a0e_9c1d_4e55_8a7b_2f6c_1d9e_0a11);

/// A run that failed cleanly: exit code 2, no panic text, the stderr mentions `needle`.
fn assert_clean_failure(r: &Run, needle: &str) {
    assert_eq!(r.code, 2, "exit code; stderr: {}", r.stderr);
    assert!(
        !r.stderr.contains("panicked") && !r.stderr.contains("RUST_BACKTRACE"),
        "panic: {}",
        r.stderr
    );
    assert!(
        r.stderr.to_lowercase().contains(&needle.to_lowercase()),
        "stderr should mention {needle:?}: {}",
        r.stderr
    );
}

/// A package whose zip holds the usual entries plus `extra` (stored names used verbatim).
fn package_with(extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut entries: Vec<(String, Vec<u8>)> = fixtures::normal_entries(APP, "Bad Input");
    for (n, d) in extra {
        entries.push(((*n).to_string(), d.to_vec()));
    }
    runtime_pack::write_container(PKG, &fixtures::zip_owned(&entries))
}

/// Runs `inspect` and `extract` on `bytes`; both must fail cleanly naming `needle`, and
/// `extract` must leave no output directory behind.
fn assert_package_rejected(bytes: &[u8], needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.app"), bytes).unwrap();
    let r = alkit_in(dir.path(), &["inspect", "bad.app"]);
    assert_clean_failure(&r, needle);
    assert_eq!(
        r.stdout, "",
        "inspect printed output for an invalid package"
    );
    let r = alkit_in(dir.path(), &["inspect", "bad.app", "--json"]);
    assert_clean_failure(&r, needle);
    let r = alkit_in(dir.path(), &["extract", "bad.app", "out"]);
    assert_clean_failure(&r, needle);
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        vec!["bad.app".to_string()],
        "extract left files behind"
    );
}

#[test]
fn the_fixture_package_itself_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.app"), package_with(&[])).unwrap();
    let r = alkit_in(dir.path(), &["inspect", "ok.app", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["kind"], "normal");
    assert_eq!(v["signed"], false);
}

#[test]
fn zip_slip_names_are_rejected() {
    for name in ["../evil.txt", "src/../../evil.al", "a/b/../../../evil"] {
        assert_package_rejected(&package_with(&[(name, b"x")]), "evil");
    }
}

#[test]
fn absolute_drive_and_unc_paths_are_rejected() {
    for name in [
        "/etc/passwd",
        "C:/Windows/evil.dll",
        "C:\\Windows\\evil.dll",
        "\\\\server\\share\\evil",
    ] {
        assert_package_rejected(&package_with(&[(name, b"x")]), name);
    }
}

#[test]
fn duplicate_entries_are_rejected() {
    assert_package_rejected(
        &package_with(&[("Translations/x.xlf", b"a"), ("Translations/X.XLF", b"b")]),
        "duplicate",
    );
}

#[test]
fn zip_bomb_by_ratio_is_rejected() {
    let zeros = vec![0u8; 4 << 20];
    assert_package_rejected(&package_with(&[("bomb.bin", &zeros)]), "ratio");
}

/// Rewrites the uncompressed size of every central-directory and local header record.
fn declare_uncompressed(zip: &mut [u8], size: u32) {
    let mut i = 0;
    while i + 30 <= zip.len() {
        match &zip[i..i + 4] {
            b"PK\x01\x02" if i + 28 <= zip.len() => {
                zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
                i += 46;
            }
            b"PK\x03\x04" => {
                zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
                i += 30;
            }
            _ => i += 1,
        }
    }
}

#[test]
fn zip_bomb_by_declared_size_is_rejected() {
    let entries: Vec<(String, Vec<u8>)> = fixtures::normal_entries(APP, "Bad Input");
    let mut zip = fixtures::zip_owned(&entries);
    declare_uncompressed(&mut zip, 0x7000_0000);
    let bytes = runtime_pack::write_container(PKG, &zip);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.app"), &bytes).unwrap();
    let r = alkit_in(dir.path(), &["inspect", "bad.app"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

#[test]
fn truncated_headers_and_payloads_are_rejected() {
    let good = package_with(&[]);
    assert_package_rejected(&good[..10], "header");
    assert_package_rejected(&good[..39], "header");
    assert_package_rejected(&good[..good.len() / 2], "past the end");
    assert_package_rejected(&[], "header");
}

#[test]
fn header_lengths_that_lie_are_rejected() {
    let mut bytes = package_with(&[]);
    // Content length (u64 at offset 28) far beyond the file.
    bytes[28..36].copy_from_slice(&(u64::MAX - 7).to_le_bytes());
    assert_package_rejected(&bytes, "past the end");
    let mut bytes = package_with(&[]);
    // Header size (u32 at offset 4) beyond the file.
    bytes[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_package_rejected(&bytes, "header");
    let mut bytes = package_with(&[]);
    bytes[0..4].copy_from_slice(b"NAVY");
    assert_package_rejected(&bytes, "NAVX");
}

#[test]
fn signature_offsets_outside_the_file_are_rejected() {
    let mut bytes = package_with(&[]);
    // A trailer that claims its block starts beyond the end of the file.
    bytes.extend_from_slice(b"NXSB");
    bytes.extend_from_slice(&[0x30, 0x00]);
    bytes.extend_from_slice(&u32::MAX.to_le_bytes());
    bytes.extend_from_slice(b"NXSB");
    assert_package_rejected(&bytes, "NXSB");
}

fn parse(dir: &Path, file: &str) -> Run {
    alkit_in(dir, &["parse", file])
}

const TABLE: &str = "table 50100 \"T\"\r\n{\r\n    fields\r\n    {\r\n        field(1; \"No.\"; Code[20]) { }\r\n    }\r\n}\r\n";

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

#[test]
fn al_with_every_bom_parses_losslessly() {
    let dir = tempfile::tempdir().unwrap();
    let variants: Vec<(&str, Vec<u8>)> = vec![
        ("utf8.al", TABLE.as_bytes().to_vec()),
        (
            "utf8bom.al",
            [b"\xEF\xBB\xBF".as_slice(), TABLE.as_bytes()].concat(),
        ),
        (
            "utf8bom2.al",
            [b"\xEF\xBB\xBF\xEF\xBB\xBF".as_slice(), TABLE.as_bytes()].concat(),
        ),
        ("utf16le.al", utf16(TABLE, false)),
        ("utf16be.al", utf16(TABLE, true)),
        ("UPPER.AL", TABLE.as_bytes().to_vec()),
    ];
    for (name, bytes) in &variants {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let r = parse(dir.path(), name);
        assert_eq!(r.code, 0, "{name}: {}{}", r.stdout, r.stderr);
    }
    let r = alkit_in(dir.path(), &["parse", "."]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains('6'),
        "all six files counted: {}",
        r.stdout
    );
}

#[test]
fn cr_only_line_endings_give_correct_positions() {
    let dir = tempfile::tempdir().unwrap();
    let src =
        "codeunit 50100 \"C\"\r{\r    procedure P()\r    begin\r        x := ;\r    end;\r}\r";
    std::fs::write(dir.path().join("cr.al"), src).unwrap();
    let r = parse(dir.path(), "cr.al");
    assert_eq!(
        r.code, 1,
        "a syntax error is reported: {}{}",
        r.stdout, r.stderr
    );
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(all.contains("cr.al:5:"), "error on line 5: {all}");
}

#[test]
fn invalid_utf8_is_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"codeunit 50100 \"C\"\n{\n    var\n        Txt: Label '".to_vec();
    bytes.extend_from_slice(&[0xC3, 0x28, 0xFF, 0xFE]);
    bytes.extend_from_slice(b"';\n}\n");
    std::fs::write(dir.path().join("bad.al"), &bytes).unwrap();
    let r = parse(dir.path(), "bad.al");
    assert!(r.code == 0 || r.code == 1, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(all.contains("round-trip failures: 0"), "lossless: {all}");
}

#[test]
fn ten_thousand_deep_nesting_is_a_clear_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 10_000;
    let expr = format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
    let blocks = format!("{}{}", "begin ".repeat(depth), "end; ".repeat(depth));
    let src = format!(
        "codeunit 50100 \"C\"\n{{\n    procedure P()\n    var\n        x: Integer;\n    begin\n        x := {expr};\n        {blocks}\n    end;\n}}\n"
    );
    std::fs::write(dir.path().join("deep.al"), &src).unwrap();
    let r = parse(dir.path(), "deep.al");
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        !r.stderr.contains("overflow") && !r.stderr.contains("panicked"),
        "{}",
        r.stderr
    );
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(
        all.to_lowercase().contains("deep") || all.contains("nest"),
        "{all}"
    );
}

#[test]
fn a_100_mb_al_file_parses() {
    let dir = tempfile::tempdir().unwrap();
    let mut src = String::from("codeunit 50100 \"Big\"\n{\n");
    let mut i = 0;
    while src.len() < 100 << 20 {
        src.push_str(&format!(
            "    procedure P{i}(Value: Integer): Integer\n    begin\n        if Value > {i} then\n            exit(Value * 2 + {i});\n        exit(0);\n    end;\n\n"
        ));
        i += 1;
    }
    src.push_str("}\n");
    std::fs::write(dir.path().join("big.al"), &src).unwrap();
    let r = parse(dir.path(), "big.al");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

const GOOD_ID: &str = "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11";

fn app_json(id_literal: &str) -> String {
    format!(
        "{{\n  \"id\": {id_literal},\n  \"name\": \"N\",\n  \"publisher\": \"P\",\n  \"version\": \"1.0.0.0\"\n}}\n"
    )
}

#[test]
fn guids_in_every_wrong_shape_are_errors_naming_id() {
    for bad in [
        "\"\"",
        "\"not-a-guid\"",
        "\"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a1\"",
        "\"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a111\"",
        "\"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a1g\"",
        "\"5b4f3a0e9c1d-4e55-8a7b-2f6c1d9e0a11-\"",
        "\"5b4f3a0e_9c1d_4e55_8a7b_2f6c1d9e0a11\"",
        "123",
        "null",
        "true",
        "[]",
        "{}",
    ] {
        let p = project(&[("app.json", &app_json(bad))]);
        let r = alkit_in(p.path(), &["manifest", "show", "."]);
        assert_clean_failure(&r, "id");
        assert!(
            r.stderr.contains("app.json(2,") || r.stderr.contains("app.json:2:"),
            "{bad}: {}",
            r.stderr
        );
        assert_eq!(r.stdout, "", "{bad}");
    }
    let p = project(&[("app.json", &app_json(&format!("\"{GOOD_ID}\"")))]);
    assert_eq!(alkit_in(p.path(), &["manifest", "show", "."]).code, 0);
}

#[test]
fn app_json_with_utf16_boms_is_read() {
    let text = app_json(&format!("\"{GOOD_ID}\""));
    for be in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.json"), utf16(&text, be)).unwrap();
        let r = alkit_in(dir.path(), &["manifest", "show", "."]);
        assert_eq!(r.code, 0, "big endian {be}: {}", r.stderr);
        assert!(r.stdout.starts_with("N 1.0.0.0 by P"), "{}", r.stdout);
    }
}

#[test]
fn app_json_that_is_not_text_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.json"), [0xC3u8, 0x28, 0x7B, 0x7D]).unwrap();
    let r = alkit_in(dir.path(), &["manifest", "show", "."]);
    assert_clean_failure(&r, "utf-8");
}

fn named_table(name: &str) -> String {
    format!(
        "namespace Contoso.Names;\n\ntable 50100 \"{name}\"\n{{\n    DataClassification = CustomerContent;\n\n    fields\n    {{\n        field(1; \"No.\"; Code[20]) {{ }}\n    }}\n}}\n\npermissionset 50100 \"Names\"\n{{\n    Assignable = true;\n    Permissions = tabledata \"{name}\" = RIMD;\n}}\n"
    )
}

#[test]
fn names_at_and_over_the_length_limit() {
    let app = format!(
        "{{ \"id\": \"{GOOD_ID}\", \"name\": \"N\", \"publisher\": \"P\", \"version\": \"1.0.0.0\", \"idRanges\": [{{ \"from\": 50100, \"to\": 50149 }}] }}"
    );
    let at = "A".repeat(30);
    let over = "B".repeat(31);
    let p = project(&[("app.json", &app), ("At.Table.al", &named_table(&at))]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert_eq!(
        r.code, 0,
        "30 characters is allowed: {}{}",
        r.stdout, r.stderr
    );
    let p = project(&[("app.json", &app), ("Over.Table.al", &named_table(&over))]);
    let r = alkit_in(p.path(), &["check", ".", "--scope", "pte"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("AL0305"), "{}", r.stdout);
    assert!(r.stdout.contains("Over.Table.al(3,"), "{}", r.stdout);
}

#[test]
fn extract_that_fails_midway_leaves_nothing_behind() {
    // `Translations/a.xlf` is written first; `Translations/a.xlf/b.xlf` then needs that file to
    // be a directory, so the write fails in the middle of the tree.
    let bytes = package_with(&[
        ("Translations/a.xlf", b"<xliff/>"),
        ("Translations/a.xlf/b.xlf", b"<xliff/>"),
    ]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.app"), &bytes).unwrap();
    // The package itself is valid: inspect reads it.
    assert_eq!(alkit_in(dir.path(), &["inspect", "bad.app"]).code, 0);
    let r = alkit_in(dir.path(), &["extract", "bad.app", "out"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(
        r.stderr.contains("a.xlf"),
        "fails while writing: {}",
        r.stderr
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        vec!["bad.app".to_string()],
        "partial output left behind"
    );
}

#[test]
fn extract_refuses_a_non_empty_target_and_leaves_it_untouched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.app"), package_with(&[])).unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/keep.txt"), b"mine").unwrap();
    let r = alkit_in(dir.path(), &["extract", "ok.app", "out"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        std::fs::read(dir.path().join("out/keep.txt")).unwrap(),
        b"mine"
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join("out")).unwrap().count(),
        1
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no staging dir left"
    );
}

#[test]
fn inputs_are_never_modified() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = package_with(&[]);
    std::fs::write(dir.path().join("ok.app"), &bytes).unwrap();
    for args in [
        vec!["inspect", "ok.app"],
        vec!["inspect", "ok.app", "--json"],
        vec!["extract", "ok.app", "out"],
        vec!["check", "ok.app", "--scope", "appsource"],
    ] {
        let _ = alkit_in(dir.path(), &args);
        assert_eq!(
            std::fs::read(dir.path().join("ok.app")).unwrap(),
            bytes,
            "{args:?}"
        );
    }
    let p = project(&[("app.json", &app_json(&format!("\"{GOOD_ID}\"")))]);
    let before = std::fs::read(p.path().join("app.json")).unwrap();
    for args in [
        vec!["manifest", "show", "."],
        vec!["manifest", "to-xml", "."],
        vec!["deps", "sort", "."],
        vec!["check", ".", "--scope", "pte"],
        vec!["plan", ".", "--to", "appsource", "--affix", "ABC"],
        vec!["parse", "."],
    ] {
        let _ = alkit_in(p.path(), &args);
        assert_eq!(
            std::fs::read(p.path().join("app.json")).unwrap(),
            before,
            "{args:?}"
        );
        assert_eq!(
            std::fs::read_dir(p.path()).unwrap().count(),
            1,
            "{args:?} wrote files"
        );
    }
}
