//! Hostile input (issue 19): closed pipes, symlinks, floods of syntax errors, odd
//! encodings, control characters, leftovers a command used to pass over in silence.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::{alkit, alkit_closed_stdout, project, repo_root};

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), to).unwrap();
        }
    }
}

/// The loyalty example, copied, with `"target": "OnPrem"` (for `alkit runtime`).
fn onprem_loyalty() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dst = tmp.path().join("loyalty");
    copy_dir(&repo_root().join("examples/loyalty"), &dst);
    let app = dst.join("app.json");
    let text = std::fs::read_to_string(&app).unwrap();
    std::fs::write(
        &app,
        text.replace("\"target\": \"Cloud\"", "\"target\": \"OnPrem\""),
    )
    .unwrap();
    (tmp, dst)
}

// --- Item 9: a reader that has gone -------------------------------------------------

#[test]
fn a_closed_stdout_ends_quietly() {
    let root = repo_root();
    let examples = root.join("examples");
    for args in [
        vec![
            "side-by-side",
            "examples/loyalty",
            "examples/loyalty-rewards",
        ],
        vec!["parse", "--stats", "examples"],
        vec!["refs", "examples/loyalty", "--stats"],
        vec!["manifest", "show", "examples/loyalty"],
        vec!["completions", "bash"],
    ] {
        let r = alkit_closed_stdout(&root, &args);
        assert!(
            !r.stderr.contains("panicked") && !r.stderr.contains("Broken pipe"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.code == 0, "{args:?}: exit {} {}", r.code, r.stderr);
    }
    assert!(examples.is_dir());
}

#[test]
fn runtime_into_a_closed_pipe_still_writes_its_folder() {
    let (tmp, project) = onprem_loyalty();
    let out = tmp.path().join("out");
    let r = alkit_closed_stdout(
        tmp.path(),
        &[
            "runtime",
            &s(&project),
            "--platform",
            "24.0",
            "--out",
            &s(&out),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(out.join("runtime-packages.ps1").is_file());
    let apps: Vec<_> = std::fs::read_dir(out.join("apps"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        apps,
        ["Contoso Partners_Customer Loyalty_1.2.0.0.app"],
        "{apps:?}"
    );
}

// --- Item 12: leftovers passed over in silence ----------------------------------------

#[test]
fn deps_sort_reports_a_self_dependency_as_a_cycle() {
    let id = "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11";
    let manifest = format!(
        r#"{{"id":"{id}","name":"Loops","publisher":"P","version":"1.0.0.0",
            "dependencies":[{{"id":"{id}","name":"Loops","publisher":"P","version":"1.0.0.0"}}]}}"#
    );
    let p = project(&[("app.json", &manifest)]);
    let r = alkit(&["deps", "sort", &s(p.path())]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("dependency cycle: Loops -> Loops"),
        "{}",
        r.stderr
    );
}

// --- Item 8: a flood of syntax errors -----------------------------------------------

/// 200 KB of AL-looking garbage: tens of thousands of syntax errors.
fn garbage_al() -> String {
    let words = [
        "codeunit",
        "{",
        "}",
        "(",
        ")",
        ";",
        "begin",
        "end",
        "var",
        "procedure",
        "x",
        "1",
        "if",
        "then",
        ":=",
        ".",
        "field",
        "\"a b\"",
    ];
    let mut state = 7u64;
    let mut out = String::new();
    while out.len() < 200_000 {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        out.push_str(words[(state >> 33) as usize % words.len()]);
        out.push(' ');
    }
    out
}

#[test]
fn syntax_errors_are_capped_per_file() {
    let manifest = std::fs::read_to_string(repo_root().join("examples/loyalty/app.json")).unwrap();
    let garbage = garbage_al();
    let p = project(&[("app.json", &manifest), ("src/G.al", &garbage)]);
    let file = p.path().join("src/G.al");
    let r = alkit(&["parse", &s(&file)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.len() < 10_000, "{} bytes printed", r.stdout.len());
    assert!(
        r.stdout.contains("more syntax error(s) not shown"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("files with errors: 1"), "{}", r.stdout);
    let shown = r.stdout.lines().filter(|l| l.contains("G.al:1:")).count();
    assert_eq!(shown, 20, "{}", r.stdout);
    let r = alkit(&["pack", &s(p.path())]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.len() < 10_000, "{} bytes printed", r.stderr.len());
    assert!(
        r.stderr.contains("more syntax error(s) not shown"),
        "{}",
        r.stderr
    );
}

// --- Item 4: symbolic links -------------------------------------------------------

#[cfg(unix)]
fn enum_project() -> tempfile::TempDir {
    let manifest = std::fs::read_to_string(repo_root().join("examples/loyalty/app.json")).unwrap();
    project(&[
        ("app.json", &manifest),
        (
            "src/E.Enum.al",
            "enum 50100 \"My Enum\"\n{\n    value(0; A) { }\n}\n",
        ),
        ("src/C.Codeunit.al", "codeunit 50101 \"My CU\"\n{\n}\n"),
    ])
}

#[cfg(unix)]
#[test]
fn a_second_way_to_a_file_or_folder_reads_it_once_and_loops_end() {
    use std::os::unix::fs::symlink;
    let p = enum_project();
    symlink("src/E.Enum.al", p.path().join("E2.Enum.al")).unwrap();
    symlink("src", p.path().join("a-src")).unwrap();
    symlink("..", p.path().join("src/up")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let r = alkit(&["pack", &s(p.path()), "--out", &s(out.path())]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(" 2 objects"), "{}", r.stdout);
    let r = alkit(&["check", "--scope", "pte", &s(p.path())]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("AL0264"), "{}", r.stdout);
    assert!(!r.stdout.contains("E2.Enum.al"), "{}", r.stdout);
    let r = alkit(&["parse", &s(p.path())]);
    assert!(r.stdout.contains("files: 2"), "{}", r.stdout);
    let r = alkit(&["refs", &s(p.path()), "--stats"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_link_that_leaves_the_project_is_refused_by_every_command() {
    use std::os::unix::fs::symlink;
    let p = enum_project();
    let shared = project(&[("Shared.Codeunit.al", "codeunit 50102 \"Shared\"\n{\n}\n")]);
    symlink(
        shared.path().join("Shared.Codeunit.al"),
        p.path().join("src/Shared.Codeunit.al"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let other = enum_project();
    let (dir, out_dir, other) = (s(p.path()), s(out.path()), s(other.path()));
    for args in [
        vec!["pack", &dir, "--out", &out_dir],
        vec!["check", "--scope", "pte", &dir],
        vec!["parse", &dir],
        vec!["refs", &dir, "--stats"],
        vec!["side-by-side", &dir, &other],
    ] {
        let r = alkit(&args);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("Shared.Codeunit.al: a symbolic link to")
                && r.stderr.contains("outside"),
            "{args:?}: {}",
            r.stderr
        );
    }
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[cfg(unix)]
#[test]
fn deps_over_a_folder_with_a_link_loop_reads_each_project_once() {
    use std::os::unix::fs::symlink;
    let apps = tempfile::tempdir().unwrap();
    copy_dir(
        &repo_root().join("examples/loyalty"),
        &apps.path().join("a"),
    );
    std::fs::create_dir(apps.path().join("loop")).unwrap();
    symlink("..", apps.path().join("loop/up")).unwrap();
    // deps walked on its own: it went round the loop until the path was too long, and
    // said the app was given twice forty times.
    let r = alkit(&["deps", "graph", &s(apps.path())]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("given twice"), "{}", r.stderr);
}

// --- Item 10: encodings -----------------------------------------------------------

/// A package whose NavxManifest.xml is UTF-16 (little endian, with BOM), as some tools
/// write it.
fn utf16_manifest_package() -> Vec<u8> {
    use runtime_pack::fixtures;
    let id = runtime_pack::Uuid::from_u128(0x5b4f_3a0e_9c1d_4e55_8a7b_2f6c_1d9e_0a11);
    let mut entries = fixtures::normal_entries(id, "Sixteen App");
    for (name, data) in &mut entries {
        if name == "NavxManifest.xml" {
            let xml = fixtures::manifest_xml(id, "Sixteen App", "1.0.0.0")
                .replace("encoding=\"utf-8\"", "encoding=\"utf-16\"");
            *data = [0xFF, 0xFE]
                .into_iter()
                .chain(xml.encode_utf16().flat_map(u16::to_le_bytes))
                .collect();
        }
    }
    runtime_pack::write_container(
        runtime_pack::Uuid::from_u128(7),
        &fixtures::zip_owned(&entries),
    )
}

#[test]
fn a_utf16_navx_manifest_is_read_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("Sixteen.app");
    std::fs::write(&app, utf16_manifest_package()).unwrap();
    // extract said nothing and wrote no app.json (the manifest was "missing").
    let out = dir.path().join("out");
    let r = alkit(&["extract", &s(&app), &s(&out)]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let app_json = std::fs::read_to_string(out.join("app.json")).unwrap();
    assert!(app_json.contains("Sixteen App"), "{app_json}");
    let r = alkit(&["inspect", &s(&app), "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Sixteen App"), "{}", r.stdout);
    let r = alkit(&["deps", "sort", &s(&app)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Sixteen App"), "{}", r.stdout);
}

#[test]
fn a_utf16_app_json_is_read_by_every_command_and_a_broken_one_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("loyalty");
    copy_dir(&repo_root().join("examples/loyalty"), &a);
    let text = std::fs::read_to_string(a.join("app.json")).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(a.join("app.json"), &utf16).unwrap();
    let b = tmp.path().join("rewards");
    copy_dir(&repo_root().join("examples/loyalty-rewards"), &b);
    let r = alkit(&["side-by-side", &s(&a), &s(&b)]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = alkit(&["refs", &s(&b), "--symbols", &s(&a), "--stats"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stderr.contains("dependency Customer Loyalty"),
        "{}",
        r.stderr
    );
    // A dependency project whose app.json cannot be read was left out in silence, then
    // reported as "not found in --symbols".
    let mut broken = utf16.clone();
    broken.extend([0x00, 0xD8]); // an unpaired surrogate
    std::fs::write(a.join("app.json"), &broken).unwrap();
    let r = alkit(&["refs", &s(&b), "--symbols", &s(&a), "--stats"]);
    assert!(
        r.stderr.contains("app.json: not valid UTF-16LE text")
            && r.stderr.contains("symbols are missing"),
        "{}",
        r.stderr
    );
}

// --- Item 11: control characters ----------------------------------------------------

#[test]
fn a_control_character_in_app_json_is_refused_not_written_into_the_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("loyalty");
    copy_dir(&repo_root().join("examples/loyalty"), &p);
    let text = std::fs::read_to_string(p.join("app.json")).unwrap();
    std::fs::write(
        p.join("app.json"),
        text.replace(
            "\"name\": \"Customer Loyalty\"",
            "\"name\": \"Customer\\u0001 Loyalty\\u001b[31m\"",
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let r = alkit(&["pack", &s(&p), "--out", &s(&out)]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("app.json(3,") && r.stderr.contains("name: holds the character '\\u{1}'"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
    let r = alkit(&["manifest", "show", &s(&p)]);
    assert!(
        r.stdout.contains("'\\u{1}'") || r.stderr.contains("'\\u{1}'"),
        "{}{}",
        r.stdout,
        r.stderr
    );
}

#[test]
fn hostile_entry_names_are_shown_escaped() {
    use runtime_pack::fixtures;
    let id = runtime_pack::Uuid::from_u128(1);
    let mut entries = fixtures::normal_entries(id, "Fixture App");
    // A control character makes the name unsafe: the error names the entry.
    entries.push((
        "src/\u{1b}]0;owned\u{7}\u{1b}[2J.al".to_owned(),
        b"x".to_vec(),
    ));
    let app = runtime_pack::write_container(
        runtime_pack::Uuid::from_u128(2),
        &fixtures::zip_owned(&entries),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.app");
    std::fs::write(&path, app).unwrap();
    for args in [vec!["inspect", "p.app"], vec!["extract", "p.app", "out"]] {
        let r = common::alkit_in(dir.path(), &args);
        assert_ne!(r.code, 0, "{args:?}");
        let all = format!("{}{}", r.stdout, r.stderr);
        assert!(
            !all.contains('\u{1b}') && !all.contains('\u{7}'),
            "{args:?}: {all:?}"
        );
        assert!(all.contains("\\u{1b}"), "{args:?}: {all}");
    }
}
