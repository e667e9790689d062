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
fn runtime_into_a_closed_pipe_still_writes_its_package() {
    let (tmp, project) = onprem_loyalty();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
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
    let written: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        written.iter().any(|n| n.ends_with(".runtime-24.0.app")),
        "{written:?}"
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
