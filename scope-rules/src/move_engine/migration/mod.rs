//! The data-migration PTE of a move: a third app, depending on the old and the moved
//! app, whose install codeunit copies every moved table's records field by field from
//! the old table to the new one (BLOBs after `CalcFields`, SystemId kept with
//! `Insert(false, true)`, Media content exported and imported, per-database tables once),
//! every table-extension field from its old field to its new one on the same base table,
//! and rewrites the stored ordinals of renumbered enum-extension values in every field of
//! that enum in the dependencies and dependents (from their symbols). Each step logs its
//! row counts in the app's log table; every step can run again (existence checks). The
//! app's `MIGRATION.md` is the runbook and lists what was not copied and why.
//!
//! Design: a record loop in an install codeunit. `DataTransfer` (set-based) throws outside
//! upgrade codeunits, and an install codeunit is what a one-shot migration app has.
//!
//! Both apps must be installable side by side (no shared object or member names), so
//! that every name in the generated code resolves to exactly one app.
//!
//! ```
//! use scope_rules::move_engine::migration::{MigrationInput, migration_app};
//! use scope_rules::move_engine::{AppIdentity, MappingEntry};
//! use scope_rules::checks::source::{MemberDecl, MemberKind, ObjectDecl, ObjectKind};
//! let manifest = al_manifest::AppManifest::from_json_str(r#"{"id":"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11",
//!     "name":"A","publisher":"P","version":"1.0.0.0","runtime":"12.0"}"#).unwrap();
//! let id = |id: &str, name: &str| AppIdentity { id: id.into(), name: name.into(),
//!     publisher: "P".into(), version: "1.0.0.0".into() };
//! let (old, new) = (id("5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11", "A"), id("0b5e6f3c-6a53-4a4a-9df3-0c1a9d6b7e21", "A"));
//! let mut table = ObjectDecl::new(ObjectKind::Table, Some(50100), "Points", "T.al");
//! table.members.push(MemberDecl::new(MemberKind::Field, Some(1), "No"));
//! let renamed = MappingEntry { kind: "object".into(), object_kind: "table".into(),
//!     object: "Points".into(), member: None, old_id: Some(50100), new_id: Some(70000000),
//!     old_name: "Points".into(), new_name: "ABC Points".into(), symbol: None };
//! let files = migration_app(&MigrationInput { old_manifest: &manifest, old: &old, new: &new,
//!     objects: &[table], files: &[], mapping: &[renamed], symbols: None,
//!     dependencies: &[], dependents: &[], options: Default::default(),
//!     id: "9d6c1b2a-3e4f-4a5b-8c7d-0e1f2a3b4c5d".into() }).unwrap();
//! let code = files.iter().find(|f| f.path.ends_with(".al")).unwrap();
//! let text = String::from_utf8_lossy(&code.bytes);
//! assert!(text.contains("\"ABC Points\"") && text.contains("Points"));
//! ```

mod analysis;
mod bulk;
mod code;
mod notes;

use std::collections::BTreeSet;

use al_manifest::AppManifest;
use al_parser::symbols::{AppInfo, AppSymbols, SourceText};

use crate::checks::source::{ObjectDecl, ObjectKind};
use crate::move_engine::MappingEntry;
use crate::move_engine::{AppIdentity, ProjectFile};

/// Why no migration app was made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MigrationError {
    /// Nothing to copy.
    #[error(
        "the move renumbered or renamed no table and no table-extension field: no data to migrate"
    )]
    NothingToCopy,
    /// A field keeps its name on the same base table in both apps, so code cannot tell
    /// them apart.
    #[error(
        "{0}: old and new field have the same name on the same table; the apps cannot be installed side by side"
    )]
    SameName(String),
    /// No free ID in the PTE range.
    #[error("no free codeunit and table ID in 50000..99999")]
    NoFreeId,
    /// The chosen ID is taken by the old or the moved app.
    #[error("migration ID {0} is used by a codeunit or table of the old or the moved app")]
    IdInUse(u32),
}

/// Choices for the migration app; each `None` takes the documented default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationOptions {
    /// ID of the install codeunit and of the log table (the app's range is this one ID).
    /// Default: the first ID from 50000 that no codeunit or table of the old and the moved
    /// app uses.
    pub object_id: Option<u32>,
    /// App name. Default: `<moved app's name> Data Migration` (cut to 50 characters).
    pub name: Option<String>,
    /// Publisher. Default: the moved app's publisher.
    pub publisher: Option<String>,
    /// Copy set-based with `DataTransfer` where it can (runtime 10.0+; tables only from
    /// platform 21.5, which keeps SystemIds): the app becomes version 1.1.0.0 with an
    /// upgrade codeunit, and `first-version/app.json` is its empty version 1.0.0.0 to install
    /// first. Default: off (one install codeunit, record loops).
    pub bulk: bool,
}

/// What the migration app is made from.
#[derive(Debug, Clone)]
pub struct MigrationInput<'a> {
    /// The old app's manifest (platform, application and runtime are copied; the target
    /// stays the default, Cloud, which per-tenant extensions require).
    pub old_manifest: &'a AppManifest,
    /// The old app.
    pub old: &'a AppIdentity,
    /// The moved app.
    pub new: &'a AppIdentity,
    /// The old app's objects.
    pub objects: &'a [ObjectDecl],
    /// The old app's files (their `using` directives are copied; their symbols give the
    /// field types when `symbols` is `None`).
    pub files: &'a [ProjectFile],
    /// The move's mapping.
    pub mapping: &'a [MappingEntry],
    /// The old app's symbols (field types), when the caller has them.
    pub symbols: Option<&'a AppSymbols>,
    /// Symbols of the old app's dependencies (base app, ...): their fields storing a
    /// renumbered enum-extension value are rewritten.
    pub dependencies: &'a [AppSymbols],
    /// Symbols of the apps depending on the old app (as installed, before the move): same.
    pub dependents: &'a [AppSymbols],
    /// Object ID, name, publisher.
    pub options: MigrationOptions,
    /// The migration app's id (the caller supplies a fresh one).
    pub id: String,
}

/// `<name> Data Migration`, the name cut so the whole fits app.json's 50 characters.
fn app_name(name: &str) -> String {
    const SUFFIX: &str = " Data Migration";
    let keep = 50 - SUFFIX.len();
    let cut: String = name.chars().take(keep).collect();
    format!("{}{SUFFIX}", cut.trim_end())
}

/// The runtime of the old app as (major, minor); `None` when app.json names none.
fn runtime(m: &AppManifest) -> Option<(u32, u32)> {
    m.runtime.as_ref().map(|r| (r.major, r.minor))
}

/// Builds the migration app: `app.json`, `src/DataMigration.Codeunit.al`,
/// `src/DataMigrationLog.Table.al`, `src/DataMigration.PermissionSet.al` and `MIGRATION.md` (runbook, what is not copied).
pub fn migration_app(input: &MigrationInput<'_>) -> Result<Vec<ProjectFile>, MigrationError> {
    let own;
    let syms = match input.symbols {
        Some(s) => s,
        None => {
            own = AppSymbols::from_sources(
                AppInfo::named(&input.old.name),
                input
                    .files
                    .iter()
                    .filter(|f| f.path.to_ascii_lowercase().ends_with(".al"))
                    .map(|f| SourceText::new(f.path.clone(), f.bytes.clone()))
                    .collect(),
            );
            &own
        }
    };
    let a = analysis::analyse(input, syms)?;
    if a.tables.is_empty() && a.extensions.is_empty() && a.rewrites.is_empty() {
        return Err(MigrationError::NothingToCopy);
    }
    let used = used_ids(input);
    let id = match input.options.object_id {
        Some(i) if used.contains(&i) => return Err(MigrationError::IdInUse(i)),
        Some(i) => i,
        None => (50000..=99999u32)
            .find(|i| !used.contains(i))
            .ok_or(MigrationError::NoFreeId)?,
    };
    let objects = code::Objects {
        id,
        codeunit: format!("Data Migration {id}"),
        log_table: format!("Data Migration Log {id}"),
        permission_set: format!("Data Mig. {id}"),
    };
    // SystemId, GetBySystemId and Insert(RunTrigger, InsertWithSystemId): runtime 5.0+.
    let upgrade = input.options.bulk && runtime(input.old_manifest).is_none_or(|r| r >= (10, 0));
    let features = code::Features {
        keep_system_id: runtime(input.old_manifest).is_none_or(|r| r >= (5, 0)),
        upgrade,
        copy_rows: upgrade
            && input
                .old_manifest
                .platform
                .as_ref()
                .is_some_and(|p| (p.major, p.minor) >= (21, 5)),
    };
    let mut usings = usings(input);
    for r in &a.rewrites {
        usings.extend(r.namespace.clone());
    }
    for e in a.renumbered.values() {
        usings.extend(e.namespace.clone());
    }
    let doc = format!(
        "/// Copies the data of {} to {} once both are installed (see MIGRATION.md).\n",
        describe(input.old),
        describe(input.new)
    );
    let al = code::codeunit(&a, &usings, &doc, features, &objects);
    let log = code::log_table(&objects);
    let version = if upgrade { "1.1.0.0" } else { "1.0.0.0" };
    let app = app_json(input, id, &a.touched_apps, version);
    let notes = notes::runbook(input, &a, &objects, features);
    let mut files = vec![ProjectFile::new("app.json", app.into_bytes())];
    if upgrade {
        files.push(ProjectFile::new(
            "first-version/app.json",
            app_json(input, id, &a.touched_apps, "1.0.0.0").into_bytes(),
        ));
    }
    files.extend([
        ProjectFile::new("src/DataMigration.Codeunit.al", al.into_bytes()),
        ProjectFile::new("src/DataMigrationLog.Table.al", log.into_bytes()),
        ProjectFile::new(
            "src/DataMigration.PermissionSet.al",
            code::permission_set(&objects).into_bytes(),
        ),
        ProjectFile::new("MIGRATION.md", notes.into_bytes()),
    ]);
    Ok(files)
}

/// `"Name" version (id)`.
fn describe(a: &AppIdentity) -> String {
    format!("{:?} {} ({})", a.name, a.version, a.id)
}

/// The codeunit and table IDs the old and the moved app use.
fn used_ids(input: &MigrationInput<'_>) -> BTreeSet<u32> {
    let mut used: BTreeSet<u32> = BTreeSet::new();
    for o in input
        .objects
        .iter()
        .filter(|o| matches!(o.kind, ObjectKind::Codeunit | ObjectKind::Table))
    {
        used.extend(o.id);
    }
    for e in input
        .mapping
        .iter()
        .filter(|e| e.kind == "object" && matches!(e.object_kind.as_str(), "codeunit" | "table"))
    {
        used.extend(e.new_id);
    }
    used
}

/// `using` directives of the old app's files and the namespaces of its objects, so base
/// objects resolve as they did.
fn usings(input: &MigrationInput<'_>) -> BTreeSet<String> {
    let mut usings: BTreeSet<String> = BTreeSet::new();
    for f in input
        .files
        .iter()
        .filter(|f| f.path.to_ascii_lowercase().ends_with(".al"))
    {
        let text = String::from_utf8_lossy(&f.bytes);
        for line in text.lines() {
            let t = line.trim();
            if let Some(ns) = t.strip_prefix("using ").and_then(|r| r.strip_suffix(';')) {
                usings.insert(ns.trim().to_string());
            }
        }
    }
    for o in input.objects {
        if let Some(ns) = &o.namespace {
            usings.insert(ns.clone());
        }
    }
    usings
}

/// Whether an app is reached through app.json's `application` (Microsoft's application apps).
fn through_application(a: &AppInfo) -> bool {
    a.publisher.eq_ignore_ascii_case("Microsoft")
        && [
            "Base Application",
            "System Application",
            "Application",
            "Business Foundation",
        ]
        .iter()
        .any(|n| a.name.eq_ignore_ascii_case(n))
}

/// Step "write app.json": the migration app depends on both apps (and on every other app
/// whose tables it rewrites) and owns ID `id`; platform, application and runtime come
/// from the old app; `NoImplicitWith` from runtime 6.0 (where the feature exists).
fn app_json(input: &MigrationInput<'_>, id: u32, touched: &[AppInfo], version: &str) -> String {
    let om = input.old_manifest;
    let dep = |a: &AppIdentity| serde_json::json!({ "id": a.id, "name": a.name, "publisher": a.publisher, "version": a.version });
    let mut deps = vec![dep(input.old), dep(input.new)];
    for a in touched
        .iter()
        .filter(|a| !through_application(a) && !a.id.is_empty())
    {
        let version = if a.version.is_empty() {
            "1.0.0.0"
        } else {
            &a.version
        };
        deps.push(serde_json::json!({ "id": a.id, "name": a.name, "publisher": a.publisher, "version": version }));
    }
    let same = input.old.name.eq_ignore_ascii_case(&input.new.name);
    let brief = if same {
        format!(
            "Copies data from {} {} to {} {} (new app id)",
            input.old.name, input.old.version, input.new.name, input.new.version
        )
    } else {
        format!("Copies data from {} to {}", input.old.name, input.new.name)
    };
    let mut app = serde_json::json!({
        "id": input.id,
        "name": input.options.name.clone().unwrap_or_else(|| app_name(&input.new.name)),
        "publisher": input.options.publisher.clone().unwrap_or_else(|| input.new.publisher.clone()),
        "version": version,
        "brief": brief,
        "description": format!("Generated by alkit move: copies the records of {} ({}) to {} ({}); see MIGRATION.md.", input.old.name, input.old.id, input.new.name, input.new.id),
        "dependencies": deps,
        "idRanges": [{ "from": id, "to": id }],
    });
    if let Some(obj) = app.as_object_mut() {
        if runtime(om).is_none_or(|r| r >= (6, 0)) {
            obj.insert("features".into(), serde_json::json!(["NoImplicitWith"]));
        }
        if let Some(p) = &om.platform {
            obj.insert("platform".into(), p.to_string().into());
        }
        if let Some(a) = &om.application {
            obj.insert("application".into(), a.to_string().into());
        }
        if let Some(r) = &om.runtime {
            obj.insert("runtime".into(), r.to_string().into());
        }
    }
    let mut app_json = serde_json::to_string_pretty(&app).unwrap_or_default();
    app_json.push('\n');
    app_json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_name_fits_fifty_characters() {
        let long = "External File Storage - SharePoint Connector Plus More";
        let n = app_name(long);
        assert!(n.chars().count() <= 50, "{n}");
        assert!(n.ends_with(" Data Migration"));
        assert_eq!(app_name("Loyalty"), "Loyalty Data Migration");
    }

    #[test]
    fn enum_types_name_their_last_segment() {
        use analysis::enum_of;
        assert_eq!(
            enum_of("Enum \"Loyalty Level\"").as_deref(),
            Some("Loyalty Level")
        );
        assert_eq!(
            enum_of("Enum Microsoft.Sales.Customer.\"Customer Type\"").as_deref(),
            Some("Customer Type")
        );
        assert_eq!(enum_of("Enum \"A.B\"").as_deref(), Some("A.B"));
        assert_eq!(enum_of("enum Level").as_deref(), Some("Level"));
        assert_eq!(enum_of("Integer"), None);
    }

    #[test]
    fn nothing_to_copy_without_tables() {
        let m: AppManifest = serde_json::from_str(
            r#"{"id":"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11","name":"A","publisher":"P","version":"1.0.0.0"}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let id = AppIdentity::default();
        let input = MigrationInput {
            old_manifest: &m,
            old: &id,
            new: &id,
            objects: &[],
            files: &[],
            mapping: &[],
            symbols: None,
            dependencies: &[],
            dependents: &[],
            options: MigrationOptions::default(),
            id: "x".into(),
        };
        assert_eq!(migration_app(&input), Err(MigrationError::NothingToCopy));
    }
}
