//! `alkit check DIR|FILE.app --scope appsource|pte`: every scope rule decidable
//! from app.json, AppSourceCop.json and the AL source, and (for a project folder) those
//! needing the dependencies' symbols, with Microsoft rule ids.
//!
//! Also holds what `check`, `deploy-check` and `plan` share: reading a project
//! (app.json, AppSourceCop.json, AL files), the output formats and the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::project::{self, SourceFile};

use clap::{Args, ValueEnum};
use scope_rules::checks::dependencies::{DependencyContext, check_with_dependencies};
use scope_rules::checks::diagnostic::sort_by_location;
use scope_rules::checks::manifest::{
    ManifestSources, check_manifest, check_runtime_package_submission,
};
use scope_rules::{
    Diagnostic, ObjectDecl, RuleConfig, Scope, Severity, SourceContext, check_manifest_text,
    check_objects, objects_from_parse, objects_from_sources,
};

/// Output format of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path(line,col): error|warning CODE: message`, one per line.
    Text,
    /// A JSON array of diagnostics.
    Json,
    /// SARIF 2.1.0.
    Sarif,
}

/// `alkit check ...`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Project folder (holding app.json), or a .app package.
    pub path: PathBuf,
    /// Scope to check against: appsource (marketplace) or pte.
    #[arg(long, value_parser = parse_scope)]
    pub scope: Scope,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Rule ids to disable (comma-separated, repeatable), e.g. `--disable AS0092,PTE0012`.
    #[arg(long, value_delimiter = ',')]
    pub disable: Vec<String>,
    /// An AL ruleset file (`*.ruleset.json`): `action` None disables a rule, other actions set
    /// its severity; `includedRuleSets` are followed.
    #[arg(long)]
    pub ruleset: Option<PathBuf>,
    /// Dependency symbols (project folders, folders searched for projects, `.app` files or
    /// folders of them), as for `refs` and `move`; the project's `.alpackages` is always read.
    /// They say who publishes the objects the app extends (AS0011/AS0079/AS0098) and what the
    /// rules needing dependency symbols check against (AS0059, AS0105, AS0130/PTE0025,
    /// AS0116, AS0119–AS0122, AS0141, AS0142; ALK0010 says what they could not).
    #[arg(long = "symbols", num_args = 1..)]
    pub symbols: Vec<PathBuf>,
}

/// Who declares which object: (object kind, lower-case name) → publishers.
pub type Declared = std::collections::BTreeMap<(al_parser::ast::ObjectKind, String), Vec<String>>;

/// What `check` knows of the project's dependencies (from `--symbols`, `.alpackages` and
/// AppSourceCop.json's `sourceMovedObjectsPackagesCachePath`).
#[derive(Default)]
pub struct DependencySymbols {
    /// Who declares which object, for [`scope_rules::parsed::mark_owners`].
    pub declared: Declared,
    /// The symbols of every app found (packages, and dependency projects parsed).
    pub apps: Vec<al_parser::symbols::AppSymbols>,
    /// The dependencies app.json declares (the "Application" umbrella of `application`
    /// included) without symbols, as `Name by Publisher`.
    pub missing: Vec<String>,
    /// AppSourceCop.json sets `sourceMovedObjectsPackagesCachePath`.
    pub moved_validation: bool,
}

/// The project's dependency symbols (see [`DependencySymbols`]). Prints which apps were
/// used and which dependencies were not found (stderr).
fn dependency_symbols(
    dir: &Path,
    paths: &[PathBuf],
    cop: Option<&al_manifest::AppSourceCop>,
) -> Result<DependencySymbols, Box<dyn std::error::Error>> {
    let dir = match dir.parent() {
        Some(p) if dir.is_file() && !p.as_os_str().is_empty() => p,
        _ if dir.is_file() => Path::new("."),
        _ => dir,
    };
    let root = project::read_manifest(dir)?;
    let root_info = scope_rules::move_engine::app_info(&root);
    let mut paths = paths.to_vec();
    let moved_cache = cop
        .and_then(|c| c.extra.get("sourceMovedObjectsPackagesCachePath"))
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(cache) = moved_cache {
        let p = dir.join(cache);
        if p.exists() {
            paths.push(p);
        } else {
            errln!(
                "alkit: warning: sourceMovedObjectsPackagesCachePath {}: no such folder; no source packages of moved symbols read from it",
                p.display()
            );
        }
    }
    let symbols =
        project::Symbols::read_for_project(dir, &paths, scope_rules::move_engine::app_info)?;
    let mut out = DependencySymbols {
        moved_validation: moved_cache.is_some(),
        ..DependencySymbols::default()
    };
    let mut used = Vec::new();
    let deps = symbols.dependencies_of(std::slice::from_ref(&root_info));
    let found: Vec<String> = symbols
        .packages
        .iter()
        .map(|p| p.info.id.to_ascii_lowercase())
        .chain(deps.iter().map(|(_, i)| i.id.to_ascii_lowercase()))
        .collect();
    for p in symbols.packages {
        used.push(format!("{} by {}", p.info.name, p.info.publisher));
        out.apps.push(p);
    }
    for (dep_dir, info) in &deps {
        let files = project::read_al_files_below(dep_dir)?
            .into_iter()
            .map(|(label, bytes)| al_parser::symbols::SourceText::new(label, bytes))
            .collect();
        out.apps.push(al_parser::symbols::AppSymbols::from_sources(
            info.clone(),
            files,
        ));
        used.push(format!("{} by {} (source)", info.name, info.publisher));
    }
    for app in &out.apps {
        for o in &app.objects {
            let v = out
                .declared
                .entry((o.kind, o.name.to_lowercase()))
                .or_default();
            if !v
                .iter()
                .any(|p| p.eq_ignore_ascii_case(&app.info.publisher))
            {
                v.push(app.info.publisher.clone());
            }
        }
    }
    let is_found = |id: &str| found.iter().any(|f| f.eq_ignore_ascii_case(id));
    let missing: Vec<String> = root
        .dependencies
        .iter()
        .filter(|d| !is_found(&d.id.to_string()))
        .map(|d| format!("{} by {}", d.name, d.publisher))
        .collect();
    // The "Application" umbrella counts as given when it or one of the Microsoft apps it is
    // built over is.
    out.missing = root_info
        .dependencies
        .iter()
        .filter(|d| {
            let stand_in = d.id.eq_ignore_ascii_case(project::APPLICATION_ID)
                && found.iter().any(|f| project::is_application_part(f));
            !is_found(&d.id) && !stand_in
        })
        .map(|d| format!("{} by {}", d.name, d.publisher))
        .collect();
    if !used.is_empty() {
        errln!("alkit: symbols for ownership: {}", used.join(", "));
    }
    if !missing.is_empty() {
        errln!(
            "alkit: note: no symbols for the dependencies {}: extensions of their objects are not checked for member affixes (ALK0009)",
            missing.join(", ")
        );
    }
    Ok(out)
}

/// Parses a scope name (`appsource`, `marketplace`, `pte`, `dev`, `onprem`, ...).
pub fn parse_scope(s: &str) -> Result<Scope, String> {
    s.parse::<Scope>().map_err(|e| e.to_string())
}

/// Builds the rule configuration from `--ruleset` and `--disable`.
pub fn rule_config(
    ruleset: Option<&Path>,
    disable: &[String],
) -> Result<RuleConfig, Box<dyn std::error::Error>> {
    let mut cfg = match ruleset {
        Some(p) => {
            let mut rules = Vec::new();
            ruleset_rules(p, None, 0, &mut rules)?;
            // Last action per rule wins (a file's own rules after its includes).
            let mut last: Vec<(String, String)> = Vec::new();
            for (id, action) in rules {
                last.retain(|(i, _)| !i.eq_ignore_ascii_case(&id));
                last.push((id, action));
            }
            let rules: Vec<serde_json::Value> = last
                .into_iter()
                .map(|(id, action)| serde_json::json!({ "id": id, "action": action }))
                .collect();
            let text = serde_json::json!({ "rules": rules }).to_string();
            RuleConfig::from_ruleset_json(&text).map_err(|e| format!("{}: {e}", p.display()))?
        }
        None => RuleConfig::new(),
    };
    for id in disable.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        cfg.disable(id);
    }
    Ok(cfg)
}

/// Collects `(id, action)` pairs of an AL ruleset file: first those of its
/// `includedRuleSets` (paths relative to the file; an include's `action` other
/// than `Default` replaces the actions of the rules it brings, except rules the included
/// file sets to `None` or `Default`; an include with `None` is skipped), then its own
/// `rules`. The files may hold comments and trailing commas.
fn ruleset_rules(
    path: &Path,
    forced: Option<&str>,
    depth: usize,
    out: &mut Vec<(String, String)>,
) -> Result<(), Box<dyn std::error::Error>> {
    if depth > 16 {
        return Err(format!("{}: includedRuleSets nested too deeply", path.display()).into());
    }
    let text = crate::project::read_text(path)?;
    // Comments and trailing commas as the AL tools accept them (BCApps' own rule set has a
    // trailing comma).
    let v: serde_json::Value =
        jsonc_parser::parse_to_serde_value(&text, &al_manifest::json_parse_options())
            .map_err(|e| format!("{}: invalid ruleset JSON: {e}", path.display()))?;
    let field = |o: &serde_json::Value, k: &str| -> Option<String> {
        o.get(k).and_then(|x| x.as_str()).map(str::to_string)
    };
    if let Some(includes) = v.get("includedRuleSets").and_then(|x| x.as_array()) {
        for inc in includes {
            let Some(rel) = field(inc, "path") else {
                return Err(
                    format!("{}: includedRuleSets entry without a path", path.display()).into(),
                );
            };
            let action = field(inc, "action").unwrap_or_else(|| "Default".to_string());
            if action.eq_ignore_ascii_case("none") {
                continue;
            }
            let base = path.parent().unwrap_or(Path::new("."));
            let forced_here = if action.eq_ignore_ascii_case("default") {
                forced.map(str::to_string)
            } else {
                Some(action)
            };
            ruleset_rules(&base.join(rel), forced_here.as_deref(), depth + 1, out)?;
        }
    }
    if let Some(rules) = v.get("rules").and_then(|x| x.as_array()) {
        for r in rules {
            let (Some(id), Some(action)) = (field(r, "id"), field(r, "action")) else {
                return Err(format!("{}: a rule needs an id and an action", path.display()).into());
            };
            // An include's action replaces the actions of the rules it brings, except
            // `None` and `Default`, which stay (Roslyn's `RuleSet.WithEffectiveAction`).
            let keeps_own =
                action.eq_ignore_ascii_case("none") || action.eq_ignore_ascii_case("default");
            out.push((
                id,
                match forced {
                    Some(f) if !keeps_own => f.to_string(),
                    _ => action,
                },
            ));
        }
    }
    Ok(())
}

/// Renders diagnostics (hidden ones left out) in `format` to stdout and
/// returns exit code 1 when one is an error, 0 otherwise.
pub fn emit(mut diags: Vec<Diagnostic>, format: Format) -> ExitCode {
    diags.retain(|d| d.severity != Severity::Hidden);
    sort_by_location(&mut diags);
    let out = match format {
        Format::Text => scope_rules::render_text(&diags),
        Format::Json => {
            let mut s = scope_rules::render_json(&diags);
            s.push('\n');
            s
        }
        Format::Sarif => {
            let mut s = scope_rules::render_sarif(&diags);
            s.push('\n');
            s
        }
    };
    out!("{out}");
    if format == Format::Text {
        let errors = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = diags
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        let infos = diags.len() - errors - warnings;
        errln!("{errors} error(s), {warnings} warning(s), {infos} info(s)");
    }
    if diags.iter().any(|d| d.severity == Severity::Error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Whether `path` names a `.app` file (any case).
pub fn is_app_file(path: &Path) -> bool {
    path.is_file()
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("app"))
}

/// A project folder read from disk.
pub struct Project {
    /// Label of app.json (as given, e.g. `examples/loyalty/app.json`).
    pub app_json_file: String,
    /// app.json text (BOM stripped).
    pub app_json: String,
    /// The parsed, editable app.json.
    pub doc: al_manifest::AppJsonDocument,
    /// Label of AppSourceCop.json.
    pub cop_file: String,
    /// AppSourceCop.json text, when the project has one.
    pub cop_json: Option<String>,
    /// Its parsed model.
    pub cop: Option<al_manifest::AppSourceCop>,
    /// AL files as `(label, bytes)`.
    pub al_files: Vec<SourceFile>,
    /// XML files as `(label, bytes)` (legacy XML permission sets).
    pub xml_files: Vec<SourceFile>,
    /// AL-Go settings applied to [`Project::cop`] ([`Project::use_al_go_settings`]).
    pub al_go: Option<al_manifest::AlGoSettings>,
}

impl Project {
    /// Reads app.json, AppSourceCop.json (if present) and every AL file of `dir`.
    pub fn read(dir: &Path) -> Result<Self, Box<dyn std::error::Error>> {
        let dir = project_dir(dir);
        if !dir.is_dir() {
            return Err(format!("{}: not a project folder", dir.display()).into());
        }
        let file = dir.join("app.json");
        let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let text = crate::cmd::manifest::decode_text(&bytes)
            .map_err(|e| format!("{}: {e}", file.display()))?;
        let doc = al_manifest::AppJsonDocument::parse_named(&text, &file.display().to_string())?;
        let app_json = doc.to_string();
        let app_json = app_json
            .strip_prefix('\u{feff}')
            .unwrap_or(&app_json)
            .to_string();
        let cop_path = dir.join("AppSourceCop.json");
        let cop_json = if cop_path.is_file() {
            Some(crate::project::read_text(&cop_path)?)
        } else {
            None
        };
        let cop_file = project::label(dir, &cop_path);
        let cop = cop_json
            .as_deref()
            .map(|t| al_manifest::AppSourceCop::from_json_str_named(t, &cop_file))
            .transpose()?;
        Ok(Project {
            app_json_file: project::label(dir, &file),
            app_json,
            doc,
            cop_file,
            cop_json,
            cop,
            al_files: project::read_al_files(dir)?,
            xml_files: project::read_files(dir, "xml")?,
            al_go: None,
        })
    }

    /// Applies the AL-Go settings found above the project (`dir`, as given to
    /// [`Project::read`]) as AL-Go's build does before compiling an app with AppSourceCop:
    /// their `appSourceCopMandatoryAffixes` and `obsoleteTagMinAllowedMajorMinor` replace
    /// AppSourceCop.json's. Test apps (`testFolders`, `bcptTestFolders`) are left as they
    /// are. Returns what was applied and from which files, for the report.
    pub fn use_al_go_settings(
        &mut self,
        dir: &Path,
    ) -> Result<Option<String>, Box<dyn std::error::Error>> {
        let Some(found) = crate::al_go::find(project_dir(dir))? else {
            return Ok(None);
        };
        if found.test_app {
            return Ok(Some(format!(
                "AL-Go settings ({}) list this folder as a test app: AL-Go does not write them into its AppSourceCop.json",
                found.files_label()
            )));
        }
        let s = &found.settings;
        let mut applied = Vec::new();
        if !s.app_source_cop_mandatory_affixes.is_empty() {
            applied.push(format!(
                "mandatoryAffixes {:?}",
                s.app_source_cop_mandatory_affixes
            ));
        }
        if let Some(m) = &s.obsolete_tag_min_allowed_major_minor {
            applied.push(format!("obsoleteTagMinAllowedMajorMinor {m:?}"));
        }
        // Settings that manage nothing AppSourceCop reads change nothing: nothing to say.
        if applied.is_empty() {
            return Ok(None);
        }
        let note = format!(
            "AppSourceCop settings from AL-Go ({}): {}, as AL-Go's build writes them into AppSourceCop.json",
            found.files_label(),
            applied.join(", ")
        );
        self.cop = found.settings.applied_to(self.cop.take());
        self.al_go = Some(found.settings);
        Ok(Some(note))
    }

    /// The objects declared in the AL files, parsed with app.json's
    /// `preprocessorSymbols` defined. Files with syntax errors are named on
    /// stderr (their objects may be incomplete).
    pub fn objects(&self) -> Vec<ObjectDecl> {
        let defines = al_parser::Defines::from_symbols(&self.doc.manifest().preprocessor_symbols);
        let mut broken = Vec::new();
        let mut out = Vec::new();
        for (label, bytes) in &self.al_files {
            let parse = al_parser::parse_with(bytes, &defines);
            if parse.has_errors() {
                broken.push(label.as_str());
            }
            out.extend(objects_from_parse(&parse, label));
        }
        scope_rules::parsed::mark_local_extensions(&mut out);
        if !broken.is_empty() {
            errln!(
                "alkit: note: {} file(s) have syntax errors, so their findings may be incomplete (run `alkit parse`): {}",
                broken.len(),
                broken.join(", ")
            );
        }
        out
    }

    /// The effective affixes of AppSourceCop.json (empty without one).
    pub fn affixes(&self) -> scope_rules::affix::Affixes {
        self.cop
            .as_ref()
            .map(scope_rules::checks::cop::affixes_of)
            .unwrap_or_default()
    }
}

/// The project folder `dir` names: `DIR/app.json` names `DIR`.
fn project_dir(dir: &Path) -> &Path {
    match dir.file_name() {
        Some(n) if dir.is_file() && n.eq_ignore_ascii_case("app.json") => match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        },
        _ => dir,
    }
}

/// Manifest + source diagnostics of a project folder for `scope`; `deps` holds the
/// dependencies' symbols (who publishes what the app extends, the dependency-symbol rules;
/// empty: not known); `baseline`: the previous version, when found (which enum-extension
/// values exist).
pub fn check_project(
    project: &Project,
    scope: Scope,
    config: &RuleConfig,
    deps: DependencySymbols,
    baseline: Option<&crate::baseline::Baseline>,
) -> Result<Vec<Diagnostic>, Box<dyn std::error::Error>> {
    let sources = ManifestSources {
        app_json_file: &project.app_json_file,
        app_json: &project.app_json,
        cop_file: &project.cop_file,
        cop_json: project.cop_json.as_deref(),
        al_go: project.al_go.as_ref(),
    };
    let mut diags = check_manifest_text(&sources, scope, config).map_err(|e| match e {
        scope_rules::checks::manifest::ManifestCheckError::Manifest(m)
        | scope_rules::checks::manifest::ManifestCheckError::Cop(m) => m.to_string(),
    })?;
    let m = project.doc.manifest();
    let xml_grants: Vec<u32> = project
        .xml_files
        .iter()
        .flat_map(|(_, bytes)| scope_rules::checks::property_rules::xml_tabledata_grants(bytes))
        .collect();
    let ctx = SourceContext::new(scope, m.id_ranges())
        .with_publisher(&m.publisher)
        .with_affixes(project.affixes())
        .with_xml_tabledata_grants(xml_grants)
        .with_obsolete_tag_pattern(
            project
                .cop
                .as_ref()
                .and_then(|c| c.obsolete_tag_pattern.clone()),
        );
    let mut objects = project.objects();
    scope_rules::parsed::mark_owners(&mut objects, &m.publisher, &deps.declared);
    if let Some(b) = baseline {
        scope_rules::parsed::mark_in_baseline(&mut objects, &b.enum_extension_values);
    }
    diags.extend(check_objects(&objects, &ctx, config));
    let dep_ctx = DependencyContext {
        app_id: m.id.to_string(),
        apps: &deps.apps,
        missing: deps.missing,
        moved_validation: deps.moved_validation,
        obsolete_references: project
            .cop
            .as_ref()
            .is_some_and(|c| c.obsolete_tag_min_allowed_major_minor.is_some()),
        manifest_file: project.app_json_file.clone(),
    };
    diags.extend(check_with_dependencies(&objects, &ctx, &dep_ctx, config));
    diags.extend(obsolete_references(project, scope, config, deps.apps)?);
    diags.extend(
        scope_rules::checks::property_rules::check_xml_permission_sets(
            project
                .xml_files
                .iter()
                .map(|(label, bytes)| (label.as_str(), bytes.as_slice())),
            scope,
            config,
        ),
    );
    Ok(diags)
}

/// AS0105 when AppSourceCop.json sets `obsoleteTagMinAllowedMajorMinor` (an opt-in check:
/// it resolves every reference of the app against the dependencies' symbols).
fn obsolete_references(
    project: &Project,
    scope: Scope,
    config: &RuleConfig,
    apps: Vec<al_parser::symbols::AppSymbols>,
) -> Result<Vec<Diagnostic>, Box<dyn std::error::Error>> {
    let Some(min) = project
        .cop
        .as_ref()
        .and_then(|c| c.obsolete_tag_min_allowed_major_minor.as_deref())
    else {
        return Ok(Vec::new());
    };
    if scope != Scope::APPSOURCE || !config.is_enabled("AS0105") {
        return Ok(Vec::new());
    }
    let Some(min) = scope_rules::checks::dependencies::major_minor(min) else {
        errln!(
            "alkit: warning: {}: obsoleteTagMinAllowedMajorMinor {min:?} is not Major.Minor; AS0105 not checked",
            project.cop_file
        );
        return Ok(Vec::new());
    };
    let info = scope_rules::move_engine::app_info(project.doc.manifest());
    let files = project
        .al_files
        .iter()
        .map(|(label, bytes)| al_parser::symbols::SourceText::new(label.clone(), bytes.clone()))
        .collect();
    let app = al_parser::symbols::ParsedApp::parse(info, files);
    let ws = al_parser::resolve::Workspace::new(vec![app], Vec::new(), apps);
    Ok(scope_rules::checks::dependencies::check_obsolete_references(&ws, min, config))
}

/// Reads a `.app` file into a package (errors name the file).
pub fn read_package(path: &Path) -> Result<runtime_pack::Package, Box<dyn std::error::Error>> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    runtime_pack::Package::read(&bytes).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// Diagnostics of a `.app` package: AVS0104 for a runtime package submitted to
/// the Marketplace; otherwise the manifest checks (at the package, without
/// positions) and the source checks over the packaged AL files.
fn check_package(
    path: &Path,
    scope: Scope,
    config: &RuleConfig,
) -> Result<Vec<Diagnostic>, Box<dyn std::error::Error>> {
    let pkg = read_package(path)?;
    let file = path.display().to_string();
    if pkg.kind() == runtime_pack::PackageKind::Runtime {
        if scope != Scope::APPSOURCE {
            errln!(
                "alkit: note: {file} is a runtime package: it holds no manifest or AL source to check"
            );
        }
        return Ok(check_runtime_package_submission(true, scope, &file, config));
    }
    let m = match pkg.app_manifest() {
        Some(r) => r.map_err(|e| format!("{file}: NavxManifest.xml: {e}"))?,
        None => return Err(format!("{file}: the package has no NavxManifest.xml").into()),
    };
    let mut diags: Vec<Diagnostic> = check_manifest(&m, None, scope, config)
        .into_iter()
        .map(|mut d| {
            d.file = format!("{file}!{}", d.file);
            d
        })
        .collect();
    let sources: Vec<(String, &[u8])> = pkg
        .source_files()
        .filter(|e| {
            Path::new(&e.path)
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("al"))
        })
        .map(|e| (format!("{file}!{}", e.path), e.data.as_slice()))
        .collect();
    let objects = objects_from_sources(sources.iter().map(|(l, b)| (l.as_str(), *b)));
    let ctx = SourceContext::new(scope, m.id_ranges()).with_publisher(&m.publisher);
    diags.extend(check_objects(&objects, &ctx, config));
    Ok(diags)
}

/// The AppSourceCop baseline of the project (AppSource scope only), saying on stderr which
/// package was used, or that none was found and what that leaves unchecked.
fn baseline_for(
    dir: &Path,
    project: &Project,
    scope: Scope,
) -> Result<Option<crate::baseline::Baseline>, Box<dyn std::error::Error>> {
    if scope != Scope::APPSOURCE {
        return Ok(None);
    }
    let m = project.doc.manifest();
    match crate::baseline::find(dir, m, project.cop.as_ref())? {
        crate::baseline::Lookup::Found(b) => {
            errln!(
                "alkit: baseline: {} by {} {} ({})",
                b.name,
                b.publisher,
                b.version,
                b.path.display()
            );
            Ok(Some(b))
        }
        crate::baseline::Lookup::Missing { looked_in, wanted } => {
            let what = match &wanted {
                Some(v) => format!("the baseline {v} that AppSourceCop.json names"),
                None => "a baseline (an earlier version of this app)".to_string(),
            };
            let place = if looked_in.is_empty() {
                format!(
                    "not found (the project has no {} folder)",
                    crate::cmd::symbols::BASELINE_DIR
                )
            } else {
                let l: Vec<String> = looked_in.iter().map(|p| p.display().to_string()).collect();
                format!("not in {}", l.join(", "))
            };
            errln!(
                "alkit: note: no baseline: {what} is {place} (`alkit symbols fetch DIR --baseline` gets it); every enum-extension value is checked as new (AS0011, not AS0098) and the rules that compare with the baseline are not checked"
            );
            Ok(None)
        }
    }
}

/// Runs `alkit check`.
pub fn run(args: CheckArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut config = rule_config(args.ruleset.as_deref(), &args.disable)?;
    let diags = if is_app_file(&args.path) {
        check_package(&args.path, args.scope, &config)?
    } else {
        let mut project = Project::read(&args.path)?;
        if args.scope == Scope::APPSOURCE {
            if let Some(note) = project.use_al_go_settings(&args.path)? {
                errln!("alkit: note: {note}");
            }
        }
        config.suppress_warnings(&project.doc.manifest().suppress_warnings);
        let deps = dependency_symbols(&args.path, &args.symbols, project.cop.as_ref())?;
        let baseline = baseline_for(&args.path, &project, args.scope)?;
        check_project(&project, args.scope, &config, deps, baseline.as_ref())?
    };
    Ok(emit(config.apply(diags), args.format))
}
