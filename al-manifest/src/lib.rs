//! # al-manifest
//!
//! Manifests of Business Central extensions: `app.json`, `NavxManifest.xml`,
//! `AppSourceCop.json`, four-part versions and the dependency graph over a set of apps.
//!
//! ## Guarantees
//!
//! * **No panics on input.** Every parser takes arbitrary text and returns either a
//!   value or typed errors ([`ManifestErrors`], a list of [`ManifestDiagnostic`]s); the
//!   parsers are fuzzed.
//! * **Errors say where.** Each diagnostic names the file, the JSON path
//!   (`idRanges[1].from`) or XML path, and the line:column when known, e.g.
//!   `app.json: idRanges[1]: from 50200 is greater than to 50100`.
//! * **Unknown data is kept.** Unknown `app.json` / `AppSourceCop.json` properties are
//!   kept in order in `extra` maps and written back.
//! * **Edits change only what they must.** [`AppJsonDocument`] keeps every byte
//!   outside the edited values — BOM, CRLF/LF, indentation, comments, key order,
//!   unknown keys (property-tested on randomly formatted documents).
//! * **Round-trips.** model → JSON → model and `NavxManifest` → XML → `NavxManifest`
//!   are identities (property-tested); the manifests of real BC 11 to BC 27
//!   packages write back byte for byte.
//! * **One JSON dialect, documented.** JSON plus `//`/`/* */` comments, trailing
//!   commas and a BOM; property names are matched case-insensitively (as
//!   Newtonsoft.Json does by default), the exact spelling winning.
//! * **Deterministic output.** Serialization, XML writing and dependency ordering do
//!   not depend on hash order or the machine.
//! * **No I/O in the core.** Only [`load_project`] reads a file; nothing prints or
//!   reads the environment.
//!
//! ## Map
//!
//! * [`AppVersion`] (4-part) and [`RuntimeVersion`] (`major.minor`).
//! * [`AppManifest`] — typed `app.json` ([`AppManifest::from_json_str`]).
//! * [`NavxManifest`] — `NavxManifest.xml` read/write and the mapping with `app.json`
//!   ([`AppManifest::to_navx`], [`NavxManifest::to_app_manifest`]).
//! * [`AppManifest::validate`] — AL1046/AL1047/AL1048 and friends as [`ManifestDiagnostic`]s.
//! * [`AppJsonDocument`] — format-preserving edits of `app.json`.
//! * [`AppSourceCop`] — typed `AppSourceCop.json`; [`AlGoSettings`] — the AL-Go settings
//!   that AL-Go's build writes into it.
//! * [`DependencyGraph`] — deterministic topological order, cycle paths, missing and
//!   too-old dependencies; [`graph_view`] draws it as Mermaid, Graphviz DOT or JSON
//!   ([`DependencyGraph::picture`]).
//! * [`xlf`] — XLIFF translation files: name hashes, a reader and format-preserving
//!   renames of objects and members.
//! * [`xml`] — the XML toolkit the readers and writers share: escaping, unescaping and a
//!   small element-tree parser.

mod al_go;
mod appsourcecop;
mod diag;
mod edit;
mod graph;
pub mod graph_view;
mod json;
mod model;
mod navx;
pub mod text;
pub mod uri;
mod validate;
mod version;
pub mod xlf;
pub mod xml;

pub use al_go::{AL_GO_PROJECT_SETTINGS, AL_GO_REPO_SETTINGS, AlGoSettings};
pub use appsourcecop::AppSourceCop;
pub use diag::{
    AL1046, AL1047, AL1048, DiagnosticKind, ManifestDiagnostic, ManifestErrors, Severity,
    UnknownSeverity, line_col,
};
pub use edit::{AppJsonDocument, EditError, PolicyFlag};
pub use graph::{
    APPLICATION_APP_ID, AppRef, BASE_APPLICATION_APP_ID, BUSINESS_FOUNDATION_APP_ID,
    DependencyGraph, GraphErrors, GraphIssue, GraphOptions, MICROSOFT_PLATFORM_APPS, SYSTEM_APP_ID,
    SYSTEM_APPLICATION_APP_ID, SortedApps,
};
pub use graph_view::{EdgeState, GraphPicture, PictureEdge, PictureNode};
pub use json::parse_options as json_parse_options;
pub use model::{
    AppManifest, BuildInfo, Dependency, IdKey, IdRange, InternalsVisibleTo, KNOWN_PROPERTIES,
    ResourceExposurePolicy, SourceInfo, Target,
};
pub use navx::{
    NAVX_NAMESPACE, NavxApp, NavxBuild, NavxDependency, NavxManifest, NavxModule,
    NavxResourceExposurePolicy, NavxSource, OPTIONAL_PARTS, RUNTIME_DEPENDENCY_ID_KEY,
    RUNTIME_RESOURCE_EXPOSURE_POLICY,
};
/// Re-export of the `uuid` crate (ids are [`Uuid`]s), so users need no direct dependency.
pub use uuid;
pub use uuid::Uuid;
pub use version::{AppVersion, MAX_VERSION_PART, RuntimeVersion, VersionError};

/// Reads `dir/app.json` and parses it; diagnostics are labelled with the file path.
pub fn load_project(dir: &std::path::Path) -> Result<AppManifest, ManifestErrors> {
    let path = dir.join("app.json");
    let label = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| {
        ManifestErrors::single(ManifestDiagnostic::error(
            DiagnosticKind::Other,
            &label,
            "",
            format!("cannot read file: {e}"),
        ))
    })?;
    AppManifest::from_json_str_named(&text, &label)
}
