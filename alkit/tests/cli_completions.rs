//! `alkit completions SHELL` and `alkit man`: generated from the grammar, so every
//! subcommand is in them; the bash script is valid bash (checked when bash is installed).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::alkit;

#[test]
fn completions_name_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let r = alkit(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        for word in [
            "deps",
            "graph",
            "move",
            "side-by-side",
            "completions",
            "format",
        ] {
            assert!(r.stdout.contains(word), "{shell} script lacks {word}");
        }
    }
    let bad = alkit(&["completions", "tcsh"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn bash_script_parses() {
    let r = alkit(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("alkit.bash");
    std::fs::write(&file, &r.stdout).unwrap();
    match std::process::Command::new("bash")
        .arg("-n")
        .arg(&file)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => eprintln!("SKIPPED: bash is not installed; the script was not parsed"),
    }
}

#[test]
fn man_pages() {
    let r = alkit(&["man"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(".TH alkit 1"), "{}", r.stdout);
    assert!(r.stdout.contains("alkit\\-deps(1)"), "{}", r.stdout);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let r = alkit(&["man", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for page in [
        "alkit.1",
        "alkit-deps-graph.1",
        "alkit-move.1",
        "alkit-completions.1",
    ] {
        let text = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(text.starts_with(".ie") || text.contains(".TH"), "{page}");
    }
}
