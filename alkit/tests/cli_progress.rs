//! Progress bars: drawn only on a terminal, never with `--quiet`, never into a pipe.
//! The terminal case runs under `script` (util-linux) when installed, else it is skipped
//! with a message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

use common::{alkit, repo_root};

fn move_args(out: &str) -> Vec<String> {
    [
        "move",
        "examples/loyalty",
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
        "--allow-unresolved",
        "--accept-stale",
        "--out",
        out,
    ]
    .iter()
    .map(ToString::to_string)
    .collect()
}

#[test]
fn no_progress_into_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m");
    let args = move_args(out.to_str().unwrap());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = alkit(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains('\u{1b}'), "control sequences in a pipe");
}

#[test]
fn progress_on_a_terminal_unless_quiet() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: `script` (util-linux) is not installed; no terminal to test on");
        return;
    }
    let escapes = |quiet: bool| {
        let dir = tempfile::tempdir().unwrap();
        let mut args = move_args(dir.path().join("m").to_str().unwrap());
        if quiet {
            args.insert(0, "--quiet".into());
        }
        let line = format!("{} {}", env!("CARGO_BIN_EXE_alkit"), args.join(" "));
        let out = Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .current_dir(repo_root())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        out.stdout.contains(&0x1b)
    };
    assert!(escapes(false), "no progress drawn on a terminal");
    assert!(!escapes(true), "progress drawn despite --quiet");
}

/// `alkit parse` over a folder (a corpus run) draws its file count on a terminal, not with
/// `--quiet`, and never into a pipe.
#[test]
fn parse_progress_on_a_terminal_unless_quiet() {
    let r = alkit(&["parse", "examples"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains('\u{1b}'), "control sequences in a pipe");
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: `script` (util-linux) is not installed; no terminal to test on");
        return;
    }
    let drawn = |quiet: &str| {
        let line = format!("{} {quiet} parse examples", env!("CARGO_BIN_EXE_alkit"));
        let out = Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .current_dir(repo_root())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).contains("parsing [")
    };
    assert!(drawn(""), "no progress drawn on a terminal");
    assert!(!drawn("--quiet"), "progress drawn despite --quiet");
}
