//! `alkit refs` end to end on the bundled examples.

use std::path::PathBuf;
use std::process::Command;

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn alkit(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_alkit"))
        .args(args)
        .output()
        .expect("run alkit");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn refs_to_a_field_across_projects() {
    let ex = examples();
    let rewards = ex.join("loyalty-rewards");
    let loyalty = ex.join("loyalty");
    let (ok, out, err) = alkit(&[
        "refs",
        rewards.to_str().expect("path"),
        "--symbols",
        loyalty.to_str().expect("path"),
        "--symbol",
        "table \"Loyalty Tier\".field \"Code\"",
    ]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].contains("LoyaltyTier.Table.al:14:18: declaration"),
        "{out}"
    );
    assert!(
        out.contains("LoyaltyReward.Table.al:28:61: FieldInProperty by name Code"),
        "{out}"
    );
    assert!(
        out.contains("RewardCalculator.Codeunit.al:25:34: FieldAccess by name Code"),
        "{out}"
    );
    // The base application is not given: reported, not ignored.
    assert!(err.contains("dependency Application"), "{err}");
}

#[test]
fn refs_by_number_and_stats() {
    let loyalty = examples().join("loyalty");
    let (ok, out, _) = alkit(&[
        "refs",
        loyalty.to_str().expect("path"),
        "--symbol",
        "report 50100",
        "--stats",
    ]);
    assert!(ok);
    assert!(out.contains("RunCall by number 50100"), "{out}");
    assert!(
        out.contains("Property by name Loyalty Points Statement"),
        "{out}"
    );
    assert!(
        out.contains("Permission by name Loyalty Points Statement"),
        "{out}"
    );
    let total = out
        .lines()
        .find(|l| l.starts_with("total"))
        .expect("total line");
    let nums: Vec<usize> = total
        .split_whitespace()
        .skip(1)
        .map(|n| n.parse().expect("number"))
        .collect();
    assert!(nums[0] > 40 && nums[1] > 0, "{total}");
}

#[test]
fn unknown_symbol_is_an_error() {
    let loyalty = examples().join("loyalty");
    let (ok, _, err) = alkit(&[
        "refs",
        loyalty.to_str().expect("path"),
        "--symbol",
        "table Nope",
    ]);
    assert!(!ok);
    assert!(err.contains("no table 'Nope'"), "{err}");
}
