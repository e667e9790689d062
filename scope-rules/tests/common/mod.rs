//! What the move tests that build small projects in code share: the app.json, the
//! options of a move to AppSource, the move, and the reverse that must restore every byte.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use scope_rules::move_engine::{Dependencies, MoveOptions, MoveOutcome, ProjectFile, move_app};
use scope_rules::{IdRange, Scope};

/// The id a move gives the app.
pub const NEW_ID: &str = "0b5e6f3c-6a53-4a4a-9df3-0c1a9d6b7e21";

/// The app.json of a PTE named `name` (publisher Contoso, IDs 50100..50149).
pub fn app_json(name: &str) -> ProjectFile {
    ProjectFile::new(
        "app.json",
        format!(
            r#"{{"id":"0c9ee1a4-6d3e-4c1f-9a57-3b0f5e2d8a61","name":"{name}","publisher":"Contoso","version":"1.0.0.0","idRanges":[{{"from":50100,"to":50149}}]}}"#
        )
        .into_bytes(),
    )
}

/// A move to AppSource in 70000000..70000099 with `affix`.
pub fn to_appsource(affix: &str, allow_unresolved: bool) -> MoveOptions {
    let mut opts = MoveOptions::to(Scope::APPSOURCE, NEW_ID);
    opts.ranges = vec![IdRange::new(70_000_000, 70_000_099)];
    opts.affix = Some(affix.into());
    opts.allow_unresolved = allow_unresolved;
    opts
}

/// Moves `project` (no dependencies, no dependents).
pub fn moved(project: &[ProjectFile], opts: &MoveOptions) -> MoveOutcome {
    move_app(
        project,
        &Dependencies::default(),
        &[],
        opts,
        &mut |_, _, _| {},
    )
    .unwrap()
}

/// The text of the file `path` of `files`.
pub fn text(files: &[ProjectFile], path: &str) -> String {
    String::from_utf8(
        files
            .iter()
            .find(|f| f.path == path)
            .unwrap()
            .bytes
            .to_vec(),
    )
    .unwrap()
}

/// The reverse of `out` (the move of `project`) restores every file byte for byte.
pub fn assert_reverse_restores(project: &[ProjectFile], out: &MoveOutcome, allow_unresolved: bool) {
    let mut back = MoveOptions::to(Scope::Pte, NEW_ID);
    back.reverse = true;
    back.mapping = Some(out.mapping.clone());
    back.allow_unresolved = allow_unresolved;
    let rev = moved(&out.files, &back);
    for f in project {
        let r = rev.files.iter().find(|x| x.path == f.path).unwrap();
        assert_eq!(r.bytes, f.bytes, "{}", f.path);
    }
}
