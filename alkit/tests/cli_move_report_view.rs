//! `alkit move --report FILE.html`: one self-contained page (nothing fetched) with the
//! range picture, what needs a human look and the diff summary; `--report FILE.json` stays
//! JSON; move-report.md carries the Mermaid picture. The page is rendered by headless
//! Chromium when installed (the test says so and skips the rendering otherwise).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;

use common::alkit;

/// Moves the example with its dependent into a new temporary folder, the report to
/// `report_name` there.
fn move_example(report_name: &str) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join(report_name);
    let moved = out.path().join("moved");
    let r = alkit(&[
        "move",
        "examples/loyalty",
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
        "--allow-unresolved",
        // Without base-app symbols three references are updated by name only.
        "--accept-stale",
        "--dependents",
        "examples/loyalty-rewards",
        "--out",
        moved.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&report).unwrap();
    (out, text)
}

#[test]
fn html_report_is_self_contained_with_picture_look_list_and_diffs() {
    let (out, html) = move_example("report.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    for banned in [
        "http:", "https:", "<script", "<link", " src=", "@import", "url(http",
    ] {
        assert!(
            !html.contains(banned),
            "page must not fetch anything: {banned}"
        );
    }
    for needed in [
        "<svg",
        "Before (pte)",
        "After (appsource)",
        "table × 1",
        "70000000..70000099",
        "Needs a human look",
        "Updated by name only",
        "Migration limits",
        "Changes per file",
        "Loyalty Rewards",
        "src/Pages/CustomerCardLoyalty.PageExt.al",
    ] {
        assert!(html.contains(needed), "missing {needed}");
    }
    // Tags balance in the SVG (a cheap well-formedness check of what is drawn).
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
    assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());

    // move-report.md carries the Mermaid picture.
    let md = std::fs::read_to_string(out.path().join("moved/move-report.md")).unwrap();
    assert!(md.contains("## Pictures\n"));
    assert!(md.contains("```mermaid\nflowchart LR\n"));
    assert!(md.contains("d0 -.->|\"references rewritten\"| app"));

    screenshot(
        &out.path().join("report.html"),
        &out.path().join("report.png"),
    );
}

#[test]
fn json_report_stays_json() {
    let (_out, json) = move_example("report.json");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["to"], "appsource");
}

/// Renders the page with headless Chromium and checks a PNG came out; skips with a
/// message when no Chromium is installed.
fn screenshot(page: &Path, png: &Path) {
    let Some(browser) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok())
    else {
        eprintln!("SKIPPED: no headless Chromium installed; the HTML page was not rendered");
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--window-size=1200,1600",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{browser} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(
        bytes.len() > 20_000,
        "screenshot suspiciously small: {} bytes",
        bytes.len()
    );
}
