#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The AppSourceCop baseline: `alkit check --scope appsource` finds the previous version of
//! the app in `.appSourceCopPackages` (or AppSourceCop.json's `baselinePackageCachePath`),
//! says which package it used, and reports a missing affix on an enum-extension value the
//! baseline already has as AS0098 (warning) instead of AS0011 (error). Without a baseline it
//! says so, and what that leaves unchecked.

mod common;

use std::path::Path;

use common::{alkit, project};
use tempfile::TempDir;

const MS_APP: &str = r#"{"id":"437dbf0e-84ff-417a-965d-ed2bb9650972","name":"Base Application","publisher":"Microsoft","version":"24.0.0.0","idRanges":[{"from":1,"to":99999}]}"#;

fn app_json(version: &str) -> String {
    format!(
        r#"{{"id":"11111111-1111-1111-1111-111111111111","name":"Loyalty","publisher":"Contoso","version":"{version}",
        "brief":"b","description":"d","privacyStatement":"https://contoso.com/p","EULA":"https://contoso.com/e","help":"https://contoso.com/h","url":"https://contoso.com","logo":"",
        "application":"24.0.0.0",
        "dependencies":[{{"id":"437dbf0e-84ff-417a-965d-ed2bb9650972","name":"Base Application","publisher":"Microsoft","version":"24.0.0.0"}}],
        "idRanges":[{{"from":70000000,"to":70000099}}]}}"#
    )
}

const ENUM_EXT_V1: &str = "enumextension 70000000 \"CLP Line Type\" extends \"Sales Line Type\"\n{\n    value(70000000; Gold) { Caption = 'Gold'; }\n}\n";
const ENUM_EXT_V2: &str = "enumextension 70000000 \"CLP Line Type\" extends \"Sales Line Type\"\n{\n    value(70000000; Gold) { Caption = 'Gold'; }\n    value(70000001; Silver) { Caption = 'Silver'; }\n}\n";

/// (rule, line) of every diagnostic of `code` on stdout.
fn lines_of<'a>(stdout: &'a str, code: &str) -> Vec<&'a str> {
    stdout
        .lines()
        .filter(|l| l.contains(&format!(" {code}: ")))
        .collect()
}

/// `alkit pack FROM --out TO`, which must succeed.
fn pack(from: &Path, to: &Path) {
    let r = alkit(&[
        "pack",
        from.to_str().unwrap(),
        "--out",
        to.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// Microsoft's base app (the extended enum), the previous release 1.0.0.0 (value Gold) and
/// this release 1.1.0.0 (Gold and Silver) with `cop` as its AppSourceCop.json and the base
/// app packed into its `.alpackages`.
fn releases(cop: &str) -> (TempDir, TempDir, TempDir) {
    let ms = project(&[
        ("app.json", MS_APP),
        (
            "src/SalesLineType.Enum.al",
            "enum 37 \"Sales Line Type\" { Extensible = true; value(0; \" \") { } }\n",
        ),
    ]);
    let v1 = project(&[
        ("app.json", &app_json("1.0.0.0")),
        ("src/LineType.EnumExt.al", ENUM_EXT_V1),
    ]);
    let v2 = project(&[
        ("app.json", &app_json("1.1.0.0")),
        ("AppSourceCop.json", cop),
        ("src/LineType.EnumExt.al", ENUM_EXT_V2),
    ]);
    pack(ms.path(), &v2.path().join(".alpackages"));
    (ms, v1, v2)
}

#[test]
fn the_baseline_in_appsourcecoppackages_turns_existing_enum_values_into_as0098() {
    let (_ms, v1, v2) = releases(
        r#"{"mandatoryAffixes":["CLP"],"name":"Loyalty","publisher":"Contoso","version":"1.0.0.0"}"#,
    );
    let dir = v2.path().to_str().unwrap();

    // No baseline yet: both values are new, AS0011 each, and the report says why.
    let r = alkit(&["check", dir, "--scope", "appsource"]);
    assert_eq!(lines_of(&r.stdout, "AS0011").len(), 2, "{}", r.stdout);
    assert!(lines_of(&r.stdout, "AS0098").is_empty(), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("no baseline: the baseline 1.0.0.0 that AppSourceCop.json names")
            && r.stderr.contains("--baseline"),
        "{}",
        r.stderr
    );

    // The baseline in .appSourceCopPackages: Gold exists (AS0098), Silver is new (AS0011).
    pack(v1.path(), &v2.path().join(".appSourceCopPackages"));
    let r = alkit(&["check", dir, "--scope", "appsource"]);
    let as0011 = lines_of(&r.stdout, "AS0011");
    let as0098 = lines_of(&r.stdout, "AS0098");
    assert_eq!(as0011.len(), 1, "{}", r.stdout);
    assert!(as0011[0].contains("Silver"), "{}", r.stdout);
    assert_eq!(as0098.len(), 1, "{}", r.stdout);
    assert!(
        as0098[0].contains("Gold") && as0098[0].contains("warning"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("baseline: Loyalty by Contoso 1.0.0.0"),
        "{}",
        r.stderr
    );

    // AppSourceCop.json naming another version: that one is not there, said so.
    std::fs::write(
        v2.path().join("AppSourceCop.json"),
        r#"{"mandatoryAffixes":["CLP"],"version":"1.0.5.0"}"#,
    )
    .unwrap();
    let r = alkit(&["check", dir, "--scope", "appsource"]);
    assert_eq!(lines_of(&r.stdout, "AS0011").len(), 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("the baseline 1.0.5.0") && r.stderr.contains("appSourceCopPackages"),
        "{}",
        r.stderr
    );
}

#[test]
fn baseline_package_cache_path_is_followed() {
    let (_ms, v1, v2) =
        releases(r#"{"mandatoryAffixes":["CLP"],"baselinePackageCachePath":"./previous"}"#);
    pack(v1.path(), &v2.path().join("previous"));
    // No version named: the newest earlier version of this app is the baseline.
    let r = alkit(&["check", v2.path().to_str().unwrap(), "--scope", "appsource"]);
    assert_eq!(lines_of(&r.stdout, "AS0098").len(), 1, "{}", r.stdout);
    assert!(r.stderr.contains("previous"), "{}", r.stderr);
}
