#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `alkit move` tells the truth and refuses bad requests (issue 23): a reverse move leaves
//! the original folder exactly as it was, bad ranges and affixes are refused with exit 2,
//! files that do not parse stop the move, the console summary counts what a human must
//! look at and the exit code says whether anything needs a look.

mod common;

use std::path::Path;

use common::{Run, alkit, repo_root, snapshot};

const NEW_ID: &str = "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0";

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// A copy of examples/loyalty under a temp folder.
fn loyalty() -> (tempfile::TempDir, std::path::PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let app = t.path().join("loyalty");
    for (rel, bytes) in snapshot(&repo_root().join("examples/loyalty")) {
        let p = app.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    (t, app)
}

fn to_appsource(dir: &Path, extra: &[&str]) -> Run {
    let dir = s(dir);
    let mut args = vec![
        "move",
        &dir,
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
        "--id",
        NEW_ID,
        "--allow-unresolved",
    ];
    args.extend_from_slice(extra);
    alkit(&args)
}

#[test]
fn reverse_in_place_leaves_no_artifact_behind() {
    let (_t, app) = loyalty();
    let before = snapshot(&app);
    let r = to_appsource(&app, &["--in-place", "--accept-stale"]);
    assert!(r.code == 0, "{}{}", r.stdout, r.stderr);
    assert!(app.join("move-mapping.json").is_file());
    let mapping = s(&app.join("move-mapping.json"));
    // The mapping is read before the move: copy it out of the folder the reverse restores.
    let keep = app.parent().unwrap().join("mapping.json");
    std::fs::copy(&mapping, &keep).unwrap();
    let r = alkit(&[
        "move",
        &s(&app),
        "--reverse",
        "--mapping",
        &s(&keep),
        "--allow-unresolved",
        "--in-place",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        snapshot(&app),
        before,
        "diff -r against the original is not clean"
    );
}

#[test]
fn ranges_invalid_for_the_target_scope_are_refused() {
    let (t, app) = loyalty();
    let out = s(&t.path().join("out"));
    for (to, range, want) in [
        ("appsource", "50000..50099", "not valid for appsource"),
        ("pte", "70000000..70000099", "not valid for pte"),
        ("dev", "2147483600..2147483647", "not valid for dev"),
    ] {
        let r = alkit(&[
            "move",
            &s(&app),
            "--to",
            to,
            "--range",
            range,
            "--affix",
            "CLY",
            "--allow-unresolved",
            "--out",
            &out,
        ]);
        assert_eq!(r.code, 2, "{to} {range}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(want), "{to} {range}: {}", r.stderr);
        assert!(!t.path().join("out").exists());
    }
}

#[test]
fn bad_affixes_are_refused() {
    let (t, app) = loyalty();
    let out = s(&t.path().join("out"));
    for (affix, want) in [
        ("AB", "a registered affix has 3 characters"),
        ("A\"B", "must not contain quotes"),
        ("AB\tC", "must not contain control characters"),
    ] {
        let r = alkit(&[
            "move",
            &s(&app),
            "--to",
            "appsource",
            "--range",
            "70000000..70000099",
            "--affix",
            affix,
            "--allow-unresolved",
            "--out",
            &out,
        ]);
        assert_eq!(r.code, 2, "{affix:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(want), "{affix:?}: {}", r.stderr);
    }
}

#[test]
fn the_console_counts_what_needs_a_look_and_exits_1_unless_accepted() {
    let (t, app) = loyalty();
    let out = t.path().join("out");
    let r = to_appsource(&app, &["--out", &s(&out)]);
    // The example's references to the base app (no symbols given) are updated by name
    // only: written, listed on the console, exit 1.
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let md = std::fs::read_to_string(out.join("move-report.md")).unwrap();
    assert!(
        md.contains(
            "Not verified (listed below; check them): 3 updated by name only, 1 unresolved."
        ),
        "{md}"
    );
    for want in [
        "renumbered: 10 object(s), 3 field(s)/value(s)",
        "dependents updated: 0",
        "unresolved references left as they were: 1",
        "updated by name only (object not resolved): 3",
        "0 of them shortened",
        "not verified: 3 updated by name only, 1 unresolved",
    ] {
        assert!(r.stdout.contains(want), "{want:?} not in\n{}", r.stdout);
    }
    assert!(!r.stdout.contains("verified: edits proven"), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("needs a look: 3 reference(s) updated by name only"),
        "{}",
        r.stderr
    );
    // Accepted: exit 0, the same lines.
    let out2 = t.path().join("out2");
    let r = to_appsource(&app, &["--out", &s(&out2), "--accept-stale"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("updated by name only (object not resolved): 3"),
        "{}",
        r.stdout
    );
}

const BROKEN: &str =
    "codeunit 50101 Broken\n{\n    procedure X()\n    begin\n        if then\n    end;\n}\n";

#[test]
fn files_that_do_not_parse_are_refused_unless_allowed() {
    let (t, app) = loyalty();
    std::fs::write(app.join("src/Broken.Codeunit.al"), BROKEN).unwrap();
    let out = t.path().join("out");
    let r = to_appsource(&app, &["--out", &s(&out), "--accept-stale"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("src/Broken.Codeunit.al:5:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--allow-syntax-errors"), "{}", r.stderr);
    assert!(!out.exists());
    let r = to_appsource(
        &app,
        &["--out", &s(&out), "--accept-stale", "--allow-syntax-errors"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("syntax errors moved anyway (--allow-syntax-errors): "),
        "{}",
        r.stdout
    );
    let report = std::fs::read_to_string(out.join("move-report.json")).unwrap();
    assert!(report.contains("\"syntaxErrors\""), "{report}");
}

#[test]
fn a_second_move_says_so_and_keeps_the_earlier_mapping() {
    let (t, app) = loyalty();
    let first = t.path().join("first");
    let r = to_appsource(&app, &["--out", &s(&first), "--accept-stale"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let mapping = std::fs::read(first.join("move-mapping.json")).unwrap();
    let second = t.path().join("second");
    let r = to_appsource(&first, &["--out", &s(&second), "--accept-stale"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("already done: the app is already in appsource"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("kept the earlier move-mapping.json"),
        "{}",
        r.stdout
    );
    assert_eq!(
        std::fs::read(second.join("move-mapping.json")).unwrap(),
        mapping
    );
    let md = std::fs::read_to_string(second.join("move-report.md")).unwrap();
    assert!(md.contains("## Already done"), "{md}");
}

#[test]
fn plan_refuses_the_same_bad_ranges_and_open_ranges_are_named() {
    // `alkit plan` reads the request as the move does: the same refusal.
    let r = alkit(&[
        "plan",
        "examples/loyalty",
        "--to",
        "appsource",
        "--range",
        "50000..50099",
        "--affix",
        "CLY",
    ]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("not valid for appsource"), "{}", r.stderr);
    for range in ["2147483600..", "..50099"] {
        let r = alkit(&[
            "move",
            "examples/loyalty",
            "--to",
            "dev",
            "--range",
            range,
            "--dry-run",
        ]);
        assert_eq!(r.code, 2, "{range}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("both ends given"),
            "{range}: {}",
            r.stderr
        );
    }
}
