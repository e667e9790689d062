#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Write safety of `alkit move` (issue #19): the same dependent under two spellings,
//! outputs inside the inputs or on each other, a kill at every durable step of an
//! in-place move followed by `alkit recover`, Ctrl-C at every step, the lock against a
//! second run, writers refusing an interrupted state, and `alkit recover` without a
//! journal. The kill and the pause are injected by the test hooks of alkit/src/stage.rs
//! (ALKIT_KILL_AT, ALKIT_PAUSE_AT).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Run, alkit_in, repo_root, snapshot};

const NEW_ID: &str = "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0";

fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in snapshot(from) {
        let p = to.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// Fresh copies of both example apps under `ws` (`ws/loyalty`, `ws/loyalty-rewards`).
fn lay_out(ws: &Path) {
    for name in ["loyalty", "loyalty-rewards"] {
        let p = ws.join(name);
        if p.exists() {
            std::fs::remove_dir_all(&p).unwrap();
        }
        copy_tree(&repo_root().join("examples").join(name), &p);
    }
}

/// Both projects, byte for byte (every file, hidden ones included).
fn state(ws: &Path) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, Vec<u8>>) {
    (
        snapshot(&ws.join("loyalty")),
        snapshot(&ws.join("loyalty-rewards")),
    )
}

/// Every path below `dir` whose name has `.alkit` in it.
fn alkit_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if e.file_name().to_string_lossy().contains(".alkit") {
                out.push(p.display().to_string());
            }
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The move of the example with its dependent, with `extra` flags.
fn move_args(extra: &[&str]) -> Vec<String> {
    let mut a: Vec<String> = [
        "move",
        "loyalty",
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
        "--id",
        NEW_ID,
        "--allow-unresolved",
        "--accept-stale",
        "--dependents",
        "loyalty-rewards",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

fn run_in(ws: &Path, args: &[String], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_alkit"))
        .args(args)
        .current_dir(ws)
        .envs(env.iter().copied())
        .output()
        .expect("alkit runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn strs(a: &[String]) -> Vec<&str> {
    a.iter().map(String::as_str).collect()
}

// ---------------------------------------------------------------------------------------
// Item 1: one dependent under two spellings

#[test]
fn the_same_dependent_under_two_spellings_is_refused_before_anything_is_written() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path();
    lay_out(ws);
    let before = state(ws);
    let abs = ws.join("loyalty-rewards").display().to_string();
    #[cfg(unix)]
    std::os::unix::fs::symlink(ws.join("loyalty-rewards"), ws.join("link")).unwrap();
    let mut spellings = vec![
        vec!["loyalty-rewards", "./loyalty-rewards"],
        vec!["loyalty-rewards", "./loyalty-rewards/"],
        vec!["loyalty-rewards", abs.as_str()],
    ];
    #[cfg(unix)]
    spellings.push(vec!["loyalty-rewards", "link"]);
    for two in &spellings {
        let mut a = move_args(&[]);
        a.truncate(a.len() - 1); // the single dependent
        a.extend(two.iter().map(|s| s.to_string()));
        a.push("--in-place".into());
        let r = alkit_in(ws, &strs(&a));
        assert_eq!(r.code, 2, "{two:?}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("give each dependent once"),
            "{two:?}: {}",
            r.stderr
        );
        assert_eq!(state(ws), before, "{two:?}");
        assert!(alkit_files(ws).is_empty(), "{:?}", alkit_files(ws));
    }
}

#[test]
fn the_moved_app_given_as_its_own_dependent_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path();
    lay_out(ws);
    let before = state(ws);
    for own in ["loyalty", "./loyalty/"] {
        let a = move_args(&[own, "--in-place"]);
        let r = alkit_in(ws, &strs(&a));
        assert_eq!(r.code, 2, "{own}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("not its own dependent"), "{}", r.stderr);
        assert_eq!(state(ws), before, "{own}");
    }
}

// ---------------------------------------------------------------------------------------
// Item 5: outputs inside the inputs, or on each other

#[test]
fn outputs_inside_the_inputs_or_on_each_other_are_refused_and_leave_nothing() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path();
    lay_out(ws);
    let before = state(ws);
    let cases: &[(&[&str], &str)] = &[
        // Through folders that do not exist yet.
        (&["--out", "loyalty/x/y"], "inside the project"),
        (&["--out", "out/../loyalty/x"], "inside the project"),
        (&["--out", "loyalty-rewards/x/y"], "inside the dependent"),
        (
            &["--out", "moved", "--migration-pte", "loyalty/mig"],
            "inside the project",
        ),
        (
            &["--in-place", "--migration-pte", "loyalty/a/b"],
            "inside the project",
        ),
        (
            &["--out", "moved", "--migration-pte", "loyalty-rewards/m"],
            "inside the dependent",
        ),
        (
            &["--out", "m", "--migration-pte", "m"],
            "give two separate folders",
        ),
        (
            &["--out", "m/x", "--migration-pte", "m"],
            "give two separate folders",
        ),
        (
            &["--out", "m", "--migration-pte", "./m/inner"],
            "give two separate folders",
        ),
    ];
    for (extra, expect) in cases {
        let a = move_args(extra);
        let r = alkit_in(ws, &strs(&a));
        assert_eq!(r.code, 2, "{extra:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(expect), "{extra:?}: {}", r.stderr);
        assert_eq!(state(ws), before, "{extra:?}");
        // Nothing made: no output folder, no empty folder, no lock or journal.
        let mut names: Vec<String> = std::fs::read_dir(ws)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["loyalty", "loyalty-rewards"], "{extra:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Item 2: kill, Ctrl-C, lock, detection, recover

/// The state after an uninterrupted in-place move of the workspace `ws` (laid out anew).
fn new_state(ws: &Path) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, Vec<u8>>) {
    lay_out(ws);
    let r = run_in(ws, &move_args(&["--in-place"]), &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(alkit_files(ws).is_empty(), "{:?}", alkit_files(ws));
    state(ws)
}

#[test]
fn a_kill_at_any_step_of_an_in_place_move_is_recovered_to_exactly_the_old_or_the_new_state() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path();
    lay_out(ws);
    let old = state(ws);
    let new = new_state(ws);
    assert_ne!(old, new);
    // The move is deterministic: the same again.
    assert_eq!(new_state(ws), new);
    let (mut rolled_back, mut completed) = (0, 0);
    let mut n = 1;
    loop {
        lay_out(ws);
        let step = n.to_string();
        let r = run_in(ws, &move_args(&["--in-place"]), &[("ALKIT_KILL_AT", &step)]);
        if r.code == 0 {
            // Past the last durable step: the move finished.
            assert_eq!(state(ws), new, "step {n}");
            assert!(alkit_files(ws).is_empty(), "{:?}", alkit_files(ws));
            break;
        }
        assert_eq!(r.code, 137, "step {n}: {}{}", r.stdout, r.stderr);
        if !ws.join("loyalty/.alkit-journal.json").is_file() {
            // Killed before the first journal write: nothing changed, only the lock files
            // are left; `recover` removes the one of the folder it is given.
            assert_eq!(n, 1, "no journal after step {n}");
            for dir in ["loyalty", "loyalty-rewards"] {
                let rec = run_in(ws, &["recover".into(), dir.into()], &[]);
                assert_eq!(rec.code, 0, "{}{}", rec.stdout, rec.stderr);
            }
            assert_eq!(state(ws), old);
            n += 1;
            continue;
        }
        // Detected: another move (in place, or to a new folder) refuses, naming recover.
        for extra in [&["--in-place"][..], &["--out", "elsewhere"][..]] {
            let again = run_in(ws, &move_args(extra), &[]);
            assert_eq!(again.code, 2, "step {n}: {}", again.stderr);
            assert!(
                again.stderr.contains("alkit recover"),
                "step {n}: {}",
                again.stderr
            );
        }
        assert!(!ws.join("elsewhere").exists());
        // Recovered from either project: both end in one state.
        let from = if n % 2 == 0 {
            "loyalty"
        } else {
            "loyalty-rewards"
        };
        let rec = run_in(ws, &["recover".into(), from.into()], &[]);
        assert_eq!(rec.code, 0, "step {n}: {}{}", rec.stdout, rec.stderr);
        let now = state(ws);
        if now == old {
            assert!(rec.stdout.contains("rolled back"), "{}", rec.stdout);
            rolled_back += 1;
        } else {
            assert!(
                now == new,
                "step {n}: after recover neither the old nor the new state"
            );
            assert!(rec.stdout.contains("completed"), "{}", rec.stdout);
            completed += 1;
        }
        assert!(
            alkit_files(ws).is_empty(),
            "step {n}: {:?}",
            alkit_files(ws)
        );
        let rec = run_in(ws, &["recover".into(), "loyalty".into()], &[]);
        assert!(rec.stdout.contains("nothing to recover"), "{}", rec.stdout);
        n += 1;
        assert!(n < 500, "the move never finished");
    }
    eprintln!(
        "kill points: {}; rolled back: {rolled_back}; completed: {completed}",
        n - 1
    );
    assert!(
        rolled_back > 10 && completed > 0,
        "{rolled_back} {completed}"
    );
    // After a recovery the move runs again.
    lay_out(ws);
    let r = run_in(ws, &move_args(&["--in-place"]), &[("ALKIT_KILL_AT", "20")]);
    assert_eq!(r.code, 137);
    assert_eq!(
        run_in(ws, &["recover".into(), "loyalty".into()], &[]).code,
        0
    );
    let r = run_in(ws, &move_args(&["--in-place"]), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(state(ws), new);
}

/// Starts the in-place move paused before its `n`-th durable step; returns the child and
/// the journal state the marker reports, once it is paused (`None` if it finished first).
fn start_paused(ws: &Path, n: usize, extra: &[&str]) -> (Child, Option<String>) {
    let marker = ws.join("paused");
    let _ = std::fs::remove_file(&marker);
    let mut a = move_args(&["--in-place"]);
    a.extend(extra.iter().map(|s| s.to_string()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_alkit"))
        .args(&a)
        .current_dir(ws)
        .env("ALKIT_PAUSE_AT", n.to_string())
        .env("ALKIT_PAUSE_MARKER", &marker)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(&marker)
            && let Some((_, st)) = text.split_once(' ')
        {
            return (child, Some(st.to_string()));
        }
        if child.try_wait().unwrap().is_some() {
            return (child, None);
        }
        assert!(start.elapsed() < Duration::from_secs(60), "never paused");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn sigint(child: &Child) {
    let ok = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

fn finish(child: Child) -> Run {
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_at_any_step_rolls_back_or_finishes_and_exits_130() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path();
    lay_out(ws);
    let old = state(ws);
    let new = new_state(ws);
    let mut seen = std::collections::BTreeSet::new();
    let mut n = 1;
    loop {
        lay_out(ws);
        let (child, st) = start_paused(ws, n, &[]);
        let Some(st) = st else {
            let r = finish(child);
            assert_eq!(r.code, 0, "{}", r.stderr);
            break;
        };
        sigint(&child);
        let r = finish(child);
        assert_eq!(r.code, 130, "step {n} ({st}): {}{}", r.stdout, r.stderr);
        let now = state(ws);
        if st == "swapped" {
            // Every swap was done: the run finishes, then exits 130.
            assert!(now == new, "step {n}: not the new state");
            assert!(r.stderr.contains("written in full"), "{}", r.stderr);
        } else {
            assert!(now == old, "step {n} ({st}): not the old state");
            assert!(r.stderr.contains("nothing was changed"), "{}", r.stderr);
        }
        // Nothing left behind: no journal, lock or staged file.
        let _ = std::fs::remove_file(ws.join("paused"));
        assert!(
            alkit_files(ws).is_empty(),
            "step {n}: {:?}",
            alkit_files(ws)
        );
        seen.insert(st);
        n += 1;
        assert!(n < 500);
    }
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        ["staging", "swapped", "swapping"]
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_before_the_commit_releases_the_locks_and_exits_130() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path();
    lay_out(ws);
    let old = state(ws);
    let (child, st) = start_paused(ws, 0, &[]);
    assert_eq!(st.as_deref(), Some("before"));
    assert!(ws.join("loyalty/.alkit-lock").is_file());
    sigint(&child);
    let r = finish(child);
    assert_eq!(r.code, 130, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("before the outputs were written"),
        "{}",
        r.stderr
    );
    assert_eq!(state(ws), old);
    let _ = std::fs::remove_file(ws.join("paused"));
    assert!(alkit_files(ws).is_empty(), "{:?}", alkit_files(ws));
}

#[test]
fn a_kill_at_any_step_of_a_move_to_new_folders_is_recovered_to_exactly_the_old_or_the_new_state() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path();
    let extra = [
        "--out",
        "moved/loyalty",
        "--migration-pte",
        "moved/migration",
    ];
    // Everything in the workspace, byte for byte (the outputs go next to the inputs),
    // except the data-migration app's id, which each run generates afresh.
    let all = |ws: &Path| {
        let mut m = snapshot(ws);
        if let Some(b) = m.get_mut("moved/migration/app.json") {
            let text = String::from_utf8(b.clone()).unwrap();
            let at = text.find("\"id\": \"").unwrap() + 7;
            *b = format!("{}{}", &text[..at], &text[at + 36..]).into_bytes();
        }
        m
    };
    lay_out(ws);
    let old = all(ws);
    let r = run_in(ws, &move_args(&extra), &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let new = all(ws);
    assert!(new.keys().any(|k| k.starts_with("moved/migration/")));
    let mut n = 1;
    loop {
        let _ = std::fs::remove_dir_all(ws.join("moved"));
        lay_out(ws);
        let step = n.to_string();
        let r = run_in(ws, &move_args(&extra), &[("ALKIT_KILL_AT", &step)]);
        if r.code == 0 {
            assert!(all(ws) == new, "step {n}");
            eprintln!("kill points of the move to new folders: {}", n - 1);
            break;
        }
        assert_eq!(r.code, 137, "step {n}: {}{}", r.stdout, r.stderr);
        // The folder the outputs go into holds the journal (and the lock): recover it.
        let rec = run_in(ws, &["recover".into(), ".".into()], &[]);
        assert_eq!(rec.code, 0, "step {n}: {}{}", rec.stdout, rec.stderr);
        let now = all(ws);
        assert!(now == old || now == new, "step {n}: {:?}", now.keys());
        assert!(
            alkit_files(ws).is_empty(),
            "step {n}: {:?}",
            alkit_files(ws)
        );
        n += 1;
        assert!(n < 500);
    }
}

#[cfg(unix)]
#[test]
fn a_second_run_on_a_project_being_moved_fails_and_changes_nothing() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path();
    lay_out(ws);
    let old = state(ws);
    let (child, st) = start_paused(ws, 1, &[]);
    assert_eq!(st.as_deref(), Some("staging"));
    // A second in-place move of the same project, one of the dependent, a recover and a
    // pack into the project: each refused while the first holds the lock.
    let second = run_in(ws, &move_args(&["--in-place"]), &[]);
    assert_eq!(second.code, 2, "{}{}", second.stdout, second.stderr);
    assert!(
        second.stderr.contains("another alkit run is writing here"),
        "{}",
        second.stderr
    );
    assert!(
        second.stderr.contains(&format!("pid {}", child.id())),
        "{}",
        second.stderr
    );
    let rec = run_in(ws, &["recover".into(), "loyalty-rewards".into()], &[]);
    assert_eq!(rec.code, 2, "{}{}", rec.stdout, rec.stderr);
    assert!(rec.stderr.contains("another alkit run"), "{}", rec.stderr);
    sigint(&child);
    let r = finish(child);
    assert_eq!(r.code, 130, "{}", r.stderr);
    assert_eq!(state(ws), old);
    let _ = std::fs::remove_file(ws.join("paused"));
    assert!(alkit_files(ws).is_empty(), "{:?}", alkit_files(ws));
}

#[test]
fn writers_refuse_an_interrupted_project_until_it_is_recovered() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path();
    lay_out(ws);
    let r = run_in(ws, &move_args(&["--in-place"]), &[("ALKIT_KILL_AT", "20")]);
    assert_eq!(r.code, 137);
    let half = state(ws);
    let refused = |args: &[&str]| {
        let a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let r = run_in(ws, &a, &[]);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("was interrupted") && r.stderr.contains("alkit recover"),
            "{args:?}: {}",
            r.stderr
        );
    };
    refused(&["pack", "loyalty"]);
    refused(&["pack", "loyalty-rewards", "--out", "loyalty"]);
    refused(&[
        "move",
        "loyalty-rewards",
        "--to",
        "pte",
        "--allow-unresolved",
        "--out",
        "x",
    ]);
    assert_eq!(state(ws), half);
    assert!(!ws.join("x").exists());
    let rec = run_in(ws, &["recover".into(), "loyalty".into()], &[]);
    assert_eq!(rec.code, 0, "{}", rec.stderr);
    let r = run_in(ws, &["pack".into(), "loyalty".into()], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn recover_without_a_journal_removes_staged_leftovers_and_keeps_backups() {
    let t = tempfile::tempdir().unwrap();
    let ws = t.path();
    lay_out(ws);
    let app = ws.join("loyalty");
    std::fs::write(app.join(".app.json.alkit-new-4242"), "staged").unwrap();
    std::fs::write(app.join("src/.x.al.alkit-new-4242"), "staged").unwrap();
    // A move to a new folder does not copy them into its output: it refuses.
    let r = run_in(ws, &move_args(&["--out", "moved/loyalty"]), &[]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("alkit recover"), "{}", r.stderr);
    assert!(!ws.join("moved").exists());
    // Staged files go; a backup of an original stays (exit 1: it needs a look).
    std::fs::write(app.join("src/.y.al.alkit-old-4242"), "original").unwrap();
    let rec = run_in(ws, &["recover".into(), "loyalty".into()], &[]);
    assert_eq!(rec.code, 1, "{}{}", rec.stdout, rec.stderr);
    assert!(rec.stdout.contains("removed 2 staged"), "{}", rec.stdout);
    assert!(
        rec.stderr.contains(".y.al.alkit-old-4242"),
        "{}",
        rec.stderr
    );
    assert!(app.join("src/.y.al.alkit-old-4242").is_file());
    assert!(!app.join(".app.json.alkit-new-4242").exists());
    std::fs::remove_file(app.join("src/.y.al.alkit-old-4242")).unwrap();
    let r = run_in(ws, &move_args(&["--out", "moved/loyalty"]), &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(alkit_files(&ws.join("moved")).is_empty());
    let _: PathBuf = ws.to_path_buf();
}
