//! `alkit move DIR --to appsource|pte|dev --range FROM..TO --out OUTDIR`: moves an app
//! between scopes (the I/O around [`scope_rules::move_engine::move_app`]).
//!
//! Reads the project, its dependencies (`--symbols`) and its dependents
//! (`--dependents`), runs the move in memory, and writes everything or nothing
//! ([`crate::stage::Transaction`]): the moved app to OUTDIR (or over the project with
//! `--in-place`), each dependent next to OUTDIR under its folder name (or in place), the
//! data-migration app to `--migration-pte DIR`. The input is never modified unless
//! `--in-place`. `--dry-run` prints a unified diff and writes nothing (except
//! `--report FILE`). The moved app gets `move-mapping.json` (drives `--reverse`),
//! `move-report.md` and `move-report.json`.
//!
//! The console summary counts what changed and what needs a look (see [`Summary`]); every
//! line is a count or a location the report holds.
//!
//! Exit codes: 0 moved and nothing needs a look (or a flag accepted it); 1 stopped
//! (unresolved references without `--allow-unresolved`, verification failed, not side by
//! side with `--migration-pte`) or moved with references updated by name only, possibly
//! stale or settings files skipped (without `--accept-stale`); 2 bad input (ranges, affix,
//! `--names`, `--mapping`, files that do not parse without `--allow-syntax-errors`).

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use al_parser::symbols::{AppInfo, ParsedApp, SourceText};
use clap::Args;
use scope_rules::affix::AffixPosition;
use scope_rules::move_engine::{
    Dependencies, Dependent, MoveError, MoveMapping, MoveOptions, MoveOutcome, ProjectFile,
    Verification, app_info, move_app,
};
use scope_rules::{IdRange, Scope};

use super::check::parse_scope;
use super::plan::{Position, parse_range};
use crate::output;
use crate::project;
use crate::stage::{self, Guard, Transaction, check_new_dir};

/// `alkit move ...`
#[derive(Debug, Args)]
pub struct MoveArgs {
    /// Project folder (holding app.json).
    pub dir: PathBuf,
    /// Target scope: appsource (marketplace), pte or dev (not needed with --reverse).
    #[arg(long, value_parser = parse_scope, required_unless_present = "reverse")]
    pub to: Option<Scope>,
    /// Current scope; inferred from app.json's idRanges when left out.
    #[arg(long, value_parser = parse_scope)]
    pub from: Option<Scope>,
    /// Target ID range `FROM..TO` (repeatable); default: the current ranges when still
    /// valid, else the documented range of the target scope.
    #[arg(long = "range", value_parser = parse_range)]
    pub ranges: Vec<IdRange>,
    /// Affix to add (default: the first affix of AppSourceCop.json when moving to AppSource).
    #[arg(long)]
    pub affix: Option<String>,
    /// Where the affix goes.
    #[arg(long, value_enum, default_value_t = Position::Prefix)]
    pub affix_position: Position,
    /// Use this app id (default: a freshly generated v4 id when the move needs a new id).
    #[arg(long, conflicts_with = "new_id")]
    pub id: Option<uuid::Uuid>,
    /// Generate a new v4 app id (the default when the move needs one).
    #[arg(long)]
    pub new_id: bool,
    /// New app name.
    #[arg(long)]
    pub name: Option<String>,
    /// New publisher.
    #[arg(long)]
    pub publisher: Option<String>,
    /// New version (default: the next major version when the move requires a different identity).
    #[arg(long)]
    pub version: Option<String>,
    /// Projects that depend on the app (folders, or folders searched for app.json): their
    /// dependency entry and references are updated too.
    #[arg(long = "dependents", num_args = 1..)]
    pub dependents: Vec<PathBuf>,
    /// Dependency symbols: project folders, folders searched for projects (app.json), or
    /// `.app` files / folders holding them (as for `alkit refs`). The project's own
    /// `.alpackages` is always read too.
    #[arg(long = "symbols", num_args = 1..)]
    pub symbols: Vec<PathBuf>,
    /// Go on when references cannot be resolved (they are listed in the report).
    #[arg(long)]
    pub allow_unresolved: bool,
    /// IDs to use: the move-mapping.json of an earlier move, or CSV rows
    /// `type,oldId,newId[,object]` (see the README).
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Undo the move recorded in --mapping (DIR is the moved app).
    #[arg(long, requires = "mapping")]
    pub reverse: bool,
    /// Names to use: a JSON object {"old name": "new name"}; wins over affixed and
    /// shortened names.
    #[arg(long)]
    pub names: Option<PathBuf>,
    /// Output folder (must not exist or be empty); dependents go next to it.
    #[arg(long, conflicts_with = "in_place")]
    pub out: Option<PathBuf>,
    /// Change the project (and dependents) in place, all or nothing.
    #[arg(long)]
    pub in_place: bool,
    /// Print a unified diff of the changes and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also write the report to FILE (written even with --dry-run): one self-contained HTML
    /// page when FILE ends in .html, else JSON.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Write a data-migration PTE (depends on both apps; copies the data) to this folder.
    #[arg(long)]
    pub migration_pte: Option<PathBuf>,
    /// The data-migration app's ID, name and publisher.
    #[command(flatten)]
    pub migration: Box<MigrationArgs>,
    /// Verify by re-parsing and re-resolving every moved file even when the edits are
    /// proven to keep every reference (slower; the proof falls back to it by itself when
    /// it cannot show that).
    #[arg(long)]
    pub full_verification: bool,
    /// Move files that do not parse (refused otherwise, naming each error); the report
    /// lists the errors.
    #[arg(long)]
    pub allow_syntax_errors: bool,
    /// Exit 0 even when references were updated by name only, identifiers may still spell
    /// an old name (possibly stale) or a settings file could not be read (skipped): they
    /// are listed, and accepted.
    #[arg(long)]
    pub accept_stale: bool,
}

/// `--migration-id`, `--migration-name`, `--migration-publisher`, `--migration-bulk`.
#[derive(Debug, Args)]
pub struct MigrationArgs {
    /// ID of the migration app's codeunit and log table (default: the first free from 50000).
    #[arg(long, requires = "migration_pte")]
    pub migration_id: Option<u32>,
    /// Name of the migration app (default: "<new name> Data Migration").
    #[arg(long, requires = "migration_pte")]
    pub migration_name: Option<String>,
    /// Publisher of the migration app (default: the moved app's publisher).
    #[arg(long, requires = "migration_pte")]
    pub migration_publisher: Option<String>,
    /// Copy with DataTransfer in an upgrade codeunit where the platform allows it (runtime
    /// 10.0+; see the README): the app is version 1.1.0.0, `first-version/` its empty 1.0.0.0.
    #[arg(long, requires = "migration_pte")]
    pub migration_bulk: bool,
}

/// Files a move writes into the moved project (not carried into a reverse move's output).
const ARTIFACTS: &[&str] = &["move-mapping.json", "move-report.json", "move-report.md"];

/// Every file of the project ([`project::project_files`]), read; the lock file of an
/// alkit run left out. Refused when the project holds leftovers of an interrupted alkit
/// run (staged files, backups, a journal): they are not the project's files.
pub(crate) fn project_files(dir: &Path) -> Result<Vec<ProjectFile>, Box<dyn std::error::Error>> {
    let mut all = project::project_files(dir)?;
    all.retain(|f| f.rel != stage::LOCK);
    let leftovers: Vec<&str> = all
        .iter()
        .filter(|f| {
            f.rel
                .rsplit('/')
                .next()
                .is_some_and(stage::is_leftover_name)
        })
        .map(|f| f.rel.as_str())
        .collect();
    if !leftovers.is_empty() {
        return Err(format!(
            "{}: holds {} file(s) an interrupted alkit run left ({}{}); run `alkit recover {}` first",
            dir.display(),
            leftovers.len(),
            leftovers
                .iter()
                .take(3)
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            if leftovers.len() > 3 { ", ..." } else { "" },
            dir.display()
        )
        .into());
    }
    let found = all.into_iter().map(|f| (f.path, f.rel)).collect();
    Ok(project::read_all(found)?
        .into_iter()
        .map(|(label, bytes)| ProjectFile::new(label, bytes))
        .collect())
}

/// Dependencies of `roots` (transitively) from `--symbols` and the project's `.alpackages`.
fn load_dependencies(
    dir: &Path,
    roots: &[AppInfo],
    symbols: &[PathBuf],
) -> Result<Dependencies, Box<dyn std::error::Error>> {
    let found = project::Symbols::read_for_project(dir, symbols, app_info)?;
    let stand_ins = found.application_stand_ins(roots);
    if !stand_ins.is_empty() {
        errln!(
            "alkit: note: `application` names the Application app, which was not given; the Microsoft apps given stand in for it: {}",
            stand_ins.join(", ")
        );
    }
    let mut sources = Vec::new();
    for (dir, info) in found.dependencies_of(roots) {
        // A dependency's symbols include the modules it is built from (nested projects,
        // as BCApps' System Application keeps them).
        let src = project::read_al_files_below(&dir)?
            .into_iter()
            .map(|(label, bytes)| SourceText::new(label, bytes))
            .collect();
        sources.push(ParsedApp::parse(info, src));
    }
    Ok(Dependencies {
        sources,
        packages: found.packages,
    })
}

/// The dependent project folders under `paths` (each a project or searched for them),
/// canonical (absolute, links resolved) and sorted. Refused: a path that is the moved app
/// itself, and a project reached twice (the same folder spelled two ways, through a link,
/// or found below two of the paths): its files would be staged and backed up twice. The
/// moved app found while searching a folder is left out.
fn dependent_dirs(
    paths: &[PathBuf],
    moved: &Path,
) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    let moved_c = std::fs::canonicalize(moved).map_err(|e| format!("{}: {e}", moved.display()))?;
    // (canonical project folder, the --dependents path it was found from)
    let mut found: Vec<(PathBuf, &Path)> = Vec::new();
    for p in paths {
        if !p.is_dir() {
            return Err(format!("--dependents {}: not a folder", p.display()).into());
        }
        let c = std::fs::canonicalize(p).map_err(|e| format!("{}: {e}", p.display()))?;
        if c == moved_c {
            return Err(format!(
                "--dependents {}: this is the app being moved ({}); an app is not its own dependent: leave it out",
                p.display(),
                moved.display()
            )
            .into());
        }
        for d in project::find_projects(p)? {
            let dc = std::fs::canonicalize(&d).map_err(|e| format!("{}: {e}", d.display()))?;
            if dc == moved_c {
                continue;
            }
            if let Some((_, first)) = found.iter().find(|(f, _)| *f == dc) {
                return Err(format!(
                    "--dependents {} and {}: both reach the project {}; give each dependent once",
                    first.display(),
                    p.display(),
                    dc.display()
                )
                .into());
            }
            found.push((dc, p));
        }
    }
    let mut dirs: Vec<PathBuf> = found.into_iter().map(|(d, _)| d).collect();
    dirs.sort();
    Ok(dirs)
}

/// A dependent's label and output folder name: its folder name, prefixed with parent
/// folder names (`Shopify-test`) while it collides with OUTDIR's name or another label.
fn unique_label(p: &Path, out_name: Option<&str>, taken: &[Dependent]) -> String {
    let full = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let parts: Vec<String> = full
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let mut label = String::new();
    for part in parts.iter().rev() {
        label = if label.is_empty() {
            part.clone()
        } else {
            format!("{part}-{label}")
        };
        let lower = label.to_lowercase();
        if Some(lower.as_str()) != out_name
            && !taken.iter().any(|t| t.label.to_lowercase() == lower)
        {
            return label;
        }
    }
    format!("{label}-{}", taken.len())
}

/// Reads `--mapping FILE` (a `move-mapping.json` or CSV rows).
pub(crate) fn read_mapping(
    path: Option<&Path>,
) -> Result<Option<MoveMapping>, Box<dyn std::error::Error>> {
    path.map(|p| -> Result<MoveMapping, Box<dyn std::error::Error>> {
        let text = crate::project::read_text(p)?;
        MoveMapping::parse(&text).map_err(|e| format!("{}: {e}", p.display()).into())
    })
    .transpose()
}

/// Reads `--names FILE` (`{"old name": "new name"}`).
pub(crate) fn read_names(
    path: Option<&Path>,
) -> Result<BTreeMap<String, String>, Box<dyn std::error::Error>> {
    let Some(p) = path else {
        return Ok(BTreeMap::new());
    };
    let text = crate::project::read_text(p)?;
    Ok(serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: expected a JSON object of \"old name\": \"new name\" ({e})",
            p.display(),
            e.line(),
            e.column()
        )
    })?)
}

/// What `alkit move` reads before moving: the project, its dependents and dependencies,
/// and the options of the move.
struct Inputs {
    /// The project's files (a reverse move leaves the earlier move's artifacts out).
    files: Vec<ProjectFile>,
    /// The dependents' folders, in the order of `dependents`.
    dep_dirs: Vec<PathBuf>,
    /// The dependent projects, each with its label.
    dependents: Vec<Dependent>,
    /// The dependencies found with `--symbols`.
    deps: Dependencies,
    /// The options passed to [`move_app`].
    opts: MoveOptions,
}

/// The files a move writes into the moved project ([`ARTIFACTS`]), rendered (none for a
/// reverse move).
type Artifacts = Vec<(&'static str, Vec<u8>)>;

/// Runs `alkit move`.
pub fn run(args: MoveArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    check_output_named(&args)?;
    // Inputs an interrupted run left half-written are not read (before anything else: such
    // a project may lack its app.json).
    stage::refuse_interrupted(&args.dir)?;
    for p in &args.dependents {
        stage::refuse_interrupted_below(p)?;
    }
    if !args.dir.join("app.json").is_file() {
        return Err(format!("{}: not a project folder (no app.json)", args.dir.display()).into());
    }
    let dep_dirs = dependent_dirs(&args.dependents, &args.dir)?;
    check_arguments(&args, &dep_dirs)?;
    // The folders written are locked from here to the end (a second run on them fails).
    let guard = if args.dry_run {
        None
    } else {
        Some(Guard::acquire(&write_roots(&args, &dep_dirs)?)?)
    };
    let inputs = read_inputs(&args, dep_dirs)?;
    let Some(outcome) = move_with_progress(&args.dir, &inputs)? else {
        return Ok(ExitCode::from(1));
    };
    let migration = match &args.migration_pte {
        None => None,
        Some(_) if !outcome.report.side_by_side.possible => {
            errln!(
                "alkit: the old and the moved app share object or member names or IDs, so they cannot be installed side by side and no data-migration app can be made (see the report's side-by-side section)"
            );
            return Ok(ExitCode::from(1));
        }
        Some(_) => migration_unless_empty(&args, &inputs, &outcome)?,
    };
    let ((report_json, report_md), mapping_json) = render_artifacts(&outcome);
    let report_json = report_json?;
    if let Some(r) = &args.report {
        let bytes = super::move_view::report_file(
            r,
            &report_json,
            &outcome,
            &inputs.files,
            &inputs.dependents,
        );
        output::write_atomic(r, &bytes).map_err(|e| format!("{}: {e}", r.display()))?;
    }
    let summary = summary(&outcome, args.accept_stale);
    if args.dry_run {
        print_changes(&inputs, &outcome);
        al_go_affix_warning(&args.dir, &outcome);
        return Ok(summary.finish(true));
    }
    // A reverse move restores the original project byte for byte: it writes no
    // artifacts there (`--report FILE` still gets the report).
    let mut artifacts: Vec<(&'static str, Vec<u8>)> = if args.reverse {
        Vec::new()
    } else {
        vec![
            ("move-mapping.json", mapping_json?.into_bytes()),
            ("move-report.json", report_json.into_bytes()),
            ("move-report.md", report_md.into_bytes()),
        ]
    };
    // A second move that changes no ID or name keeps the earlier move's mapping (it
    // drives the reverse) instead of writing an empty one over it.
    let keep_earlier = !args.reverse
        && outcome.mapping.mapping.is_empty()
        && inputs.files.iter().any(|f| {
            f.path == "move-mapping.json"
                && std::str::from_utf8(&f.bytes)
                    .ok()
                    .and_then(|t| MoveMapping::parse(t).ok())
                    .is_some_and(|m| !m.mapping.is_empty())
        });
    if keep_earlier {
        artifacts.retain(|(n, _)| *n != "move-mapping.json");
    }
    let wrote_migration = migration.is_some();
    let Some(guard) = &guard else {
        return Err("no lock on the output folders".into());
    };
    let target = write_outputs(&args, &inputs, &outcome, artifacts, migration, guard)?;
    print_moved(&args, &inputs, &outcome, &target, wrote_migration);
    al_go_affix_warning(&args.dir, &outcome);
    if keep_earlier {
        outln!("  kept the earlier move-mapping.json: this move changed no ID or name");
    }
    Ok(summary.finish(false))
}

/// Warns when the moved app's AL-Go settings declare `appSourceCopMandatoryAffixes` without
/// the affix this move added to AppSource: AL-Go's build writes those settings into
/// AppSourceCop.json before compiling, so AppSourceCop would ask for them instead. The
/// settings lie outside the app and are not edited.
fn al_go_affix_warning(dir: &Path, outcome: &MoveOutcome) {
    let r = &outcome.report;
    let Some(affix) = r.affix.as_deref().filter(|a| !a.is_empty()) else {
        return;
    };
    if r.reverse || r.to != Scope::APPSOURCE.as_str() {
        return;
    }
    let found = match crate::al_go::find(dir) {
        Ok(Some(f)) => f,
        Ok(None) => return,
        Err(e) => {
            errln!("alkit: note: AL-Go settings not checked for the affix {affix:?}: {e}");
            return;
        }
    };
    let declared = &found.settings.app_source_cop_mandatory_affixes;
    if found.test_app
        || declared.is_empty()
        || declared.iter().any(|d| d.eq_ignore_ascii_case(affix))
    {
        return;
    }
    errln!(
        "alkit: warning: AL-Go settings ({}) declare appSourceCopMandatoryAffixes {declared:?}, which AL-Go's build writes into AppSourceCop.json, so AppSourceCop would ask for those and not the affix {affix:?} this move added: add {affix:?} there",
        found.files_label()
    );
}

/// An output is named: `--out`, `--in-place` or `--dry-run`.
fn check_output_named(args: &MoveArgs) -> Result<(), Box<dyn std::error::Error>> {
    if !args.dry_run && args.out.is_none() && !args.in_place {
        return Err(
            "--out OUTDIR or --in-place is required (or --dry-run to only print the changes)"
                .into(),
        );
    }
    Ok(())
}

/// Checks the output folders before anything is read, each resolved (absolute, links
/// resolved, folders that do not exist yet included): OUTDIR and the data-migration
/// folder are new or empty, neither lies inside (or holds) the project or a dependent, and
/// they are not the same folder or one inside the other.
fn check_arguments(
    args: &MoveArgs,
    dep_dirs: &[PathBuf],
) -> Result<(), Box<dyn std::error::Error>> {
    let dir = &args.dir;
    let project = std::fs::canonicalize(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut outputs: Vec<(&str, &Path, PathBuf)> = Vec::new();
    for (flag, p) in [
        ("--out", args.out.as_deref()),
        ("--migration-pte", args.migration_pte.as_deref()),
    ] {
        let Some(p) = p else { continue };
        check_new_dir(p).map_err(|e| format!("{flag} {e}"))?;
        let r = stage::resolve(p).map_err(|e| format!("{flag} {}: {e}", p.display()))?;
        let inputs = std::iter::once((&project, "the project"))
            .chain(dep_dirs.iter().map(|d| (d, "the dependent")));
        for (input, what) in inputs {
            if r.starts_with(input) || input.starts_with(&r) {
                return Err(format!(
                    "{flag} {}: is inside {what} {} (resolved: {}); the output must be outside the inputs",
                    p.display(),
                    input.display(),
                    r.display()
                )
                .into());
            }
        }
        if let Some((f, q, other)) = outputs
            .iter()
            .find(|(_, _, o)| o.starts_with(&r) || r.starts_with(o))
        {
            return Err(format!(
                "{f} {} and {flag} {}: the same folder or one inside the other (resolved: {} and {}); give two separate folders",
                q.display(),
                p.display(),
                other.display(),
                r.display()
            )
            .into());
        }
        outputs.push((flag, p, r));
    }
    Ok(())
}

/// The folders a run writes, each locked and given the journal: the project and the
/// dependents for `--in-place`, the nearest existing folder above OUTDIR (the dependents
/// go next to it) otherwise, and the one above the data-migration folder.
fn write_roots(
    args: &MoveArgs,
    dep_dirs: &[PathBuf],
) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    let mut roots = Vec::new();
    if args.in_place {
        roots.push(args.dir.clone());
        roots.extend(dep_dirs.iter().cloned());
    }
    for p in args.out.iter().chain(&args.migration_pte) {
        roots.push(stage::new_dir_root(p).map_err(|e| format!("{}: {e}", p.display()))?);
    }
    Ok(roots)
}

/// Reads the inputs: `--version`, `--mapping` and `--names`, the project, its dependents
/// and the dependencies from `--symbols` (a note for each one not found).
fn read_inputs(
    args: &MoveArgs,
    dep_dirs: Vec<PathBuf>,
) -> Result<Inputs, Box<dyn std::error::Error>> {
    let dir = &args.dir;
    let version = args
        .version
        .as_deref()
        .map(|v| {
            v.parse::<al_manifest::AppVersion>()
                .map_err(|e| format!("--version {v:?}: {e}"))
        })
        .transpose()?;
    let mapping = read_mapping(args.mapping.as_deref())?;
    let names = read_names(args.names.as_deref())?;
    let mut files = project_files(dir)?;
    if args.reverse {
        files.retain(|f| !ARTIFACTS.contains(&f.path.as_str()));
    }
    let mut dependents: Vec<Dependent> = Vec::new();
    let out_name = args
        .out
        .as_ref()
        .and_then(|o| o.file_name())
        .map(|n| n.to_string_lossy().to_lowercase());
    for d in &dep_dirs {
        dependents.push(Dependent {
            label: unique_label(d, out_name.as_deref(), &dependents),
            files: project_files(d)?,
        });
    }
    let mut roots = vec![app_info(&project::read_manifest(dir)?)];
    for d in &dep_dirs {
        roots.push(app_info(&project::read_manifest(d)?));
    }
    let deps = load_dependencies(dir, &roots, &args.symbols)?;
    for m in missing_dependencies(&roots, &deps) {
        errln!(
            "alkit: note: dependency {m} not given with --symbols; references to it stay unresolved"
        );
    }
    let opts = move_options(args, version, mapping, names);
    Ok(Inputs {
        files,
        dep_dirs,
        dependents,
        deps,
        opts,
    })
}

/// The options of the move from the arguments and the files they name.
fn move_options(
    args: &MoveArgs,
    version: Option<al_manifest::AppVersion>,
    mapping: Option<MoveMapping>,
    names: BTreeMap<String, String>,
) -> MoveOptions {
    MoveOptions {
        from: args.from,
        to: args.to.unwrap_or(Scope::Dev),
        ranges: args.ranges.clone(),
        affix: args.affix.clone(),
        affix_position: match args.affix_position {
            Position::Prefix => AffixPosition::Prefix,
            Position::Suffix => AffixPosition::Suffix,
        },
        id: args.id.map(|i| i.to_string()),
        generated_id: uuid::Uuid::new_v4().to_string(),
        force_new_id: args.new_id,
        name: args.name.clone(),
        publisher: args.publisher.clone(),
        version,
        allow_unresolved: args.allow_unresolved,
        mapping,
        reverse: args.reverse,
        names,
        side_by_side: args.migration_pte.is_some(),
        full_verification: args.full_verification,
        allow_syntax_errors: args.allow_syntax_errors,
    }
}

/// Runs [`move_app`] behind a progress bar. `None` when the move stopped (unresolved
/// references, failed verification): the reasons are printed and the exit code is 1.
fn move_with_progress(
    dir: &Path,
    inputs: &Inputs,
) -> Result<Option<MoveOutcome>, Box<dyn std::error::Error>> {
    let bar = crate::progress::bar(5, false);
    bar.set_message(format!("moving {}", dir.display()));
    let mut tick = |stage: &str, done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(stage.to_string());
    };
    let result = move_app(
        &inputs.files,
        &inputs.deps,
        &inputs.dependents,
        &inputs.opts,
        &mut tick,
    );
    bar.finish_and_clear();
    match result {
        Ok(o) => Ok(Some(o)),
        Err(MoveError::Unresolved { missing, refs }) => {
            if !missing.is_empty() {
                errln!(
                    "alkit: {} object(s) referenced but not found (pass --symbols with the dependencies, or --allow-unresolved):",
                    missing.len()
                );
                for (k, n) in &missing {
                    errln!("  {k} {n:?}");
                }
            }
            errln!(
                "alkit: {} reference(s) could not be resolved, so they could not be updated (pass --symbols with the dependencies, or --allow-unresolved):",
                refs.len()
            );
            for u in &refs {
                errln!("  {} {:?}: {}", u.at, u.text, u.reason);
            }
            Ok(None)
        }
        Err(MoveError::Syntax(errors)) => {
            let mut m = format!(
                "{}: {} syntax error(s); files that do not parse are not moved (fix them, or pass --allow-syntax-errors):",
                dir.display(),
                errors.len()
            );
            let shown = crate::output::capped_per_file(
                &errors,
                |e| match e.at.app.as_str() {
                    "" => e.at.file.clone(),
                    app => format!("[{app}] {}", e.at.file),
                },
                ToString::to_string,
            );
            for line in shown {
                let _ = write!(m, "\n  {line}");
            }
            Err(m.into())
        }
        Err(MoveError::Verification(problems)) => {
            errln!("alkit: verification of the moved sources failed; nothing written:");
            for p in &problems {
                errln!("  {p}");
            }
            Ok(None)
        }
        Err(e) => Err(format!("{}: {e}", dir.display()).into()),
    }
}

/// The data-migration app's files; `None`, with a note, when there is no data to copy.
fn migration_unless_empty(
    args: &MoveArgs,
    inputs: &Inputs,
    outcome: &MoveOutcome,
) -> Result<Option<Vec<ProjectFile>>, Box<dyn std::error::Error>> {
    match migration_files(args, inputs, outcome) {
        Ok(m) => Ok(Some(m)),
        Err(e)
            if e.is::<scope_rules::move_engine::migration::MigrationError>()
                && matches!(
                    e.downcast_ref::<scope_rules::move_engine::migration::MigrationError>(),
                    Some(scope_rules::move_engine::migration::MigrationError::NothingToCopy)
                ) =>
        {
            errln!("alkit: note: {e}; no data-migration app written");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The report (JSON and Markdown) and the mapping (JSON), rendered side by side (a base
/// app's report has tens of thousands of lines).
fn render_artifacts(
    outcome: &MoveOutcome,
) -> (
    (Result<String, serde_json::Error>, String),
    Result<String, serde_json::Error>,
) {
    rayon::join(
        || {
            rayon::join(
                || output::to_json_pretty(&outcome.report),
                || outcome.report.to_markdown(),
            )
        },
        || output::to_json_pretty(&outcome.mapping),
    )
}

/// How many locations the console shows of each list (the report has them all).
const FIRST_FEW: usize = 5;

/// The console summary of a move: every line a count (or a location) the report holds,
/// and what a human must look at before the result can be trusted.
struct Summary {
    /// The lines, printed indented under the "moved ..." line.
    lines: Vec<String>,
    /// What needs a look and no flag accepted (exit 1 when not empty).
    look: Vec<String>,
}

/// Pushes `count what` and the first few locations of a list.
fn push_list<T>(lines: &mut Vec<String>, what: &str, list: &[T], show: impl Fn(&T) -> String) {
    if list.is_empty() {
        return;
    }
    lines.push(format!("{what}: {}", list.len()));
    for x in list.iter().take(FIRST_FEW) {
        lines.push(format!("  {}", show(x)));
    }
    if list.len() > FIRST_FEW {
        lines.push(format!(
            "  ... and {} more (move-report.json)",
            list.len() - FIRST_FEW
        ));
    }
}

/// The console summary of `outcome` (see [`Summary`]).
fn summary(outcome: &MoveOutcome, accept_stale: bool) -> Summary {
    let r = &outcome.report;
    let mut lines = Vec::new();
    let members = r.renumbered.iter().filter(|e| e.kind != "object").count();
    lines.push(format!(
        "renumbered: {} object(s), {members} field(s)/value(s); renamed: {} object(s)/member(s), {} of them shortened to fit the length limits",
        r.renumbered.len() - members,
        r.renamed.len(),
        r.shortened.len()
    ));
    let dep_edits: usize = r.dependents.iter().map(|d| d.edits).sum();
    let dep_files: usize = r.dependents.iter().map(|d| d.files_touched.len()).sum();
    lines.push(format!(
        "edits: {} in {} file(s) of the app; dependents updated: {} ({dep_edits} edit(s) in {dep_files} file(s))",
        r.edits.saturating_sub(dep_edits),
        r.files_touched.len(),
        r.dependents.len()
    ));
    if !r.unresolved.is_empty() || !r.missing_objects.is_empty() {
        lines.push(format!(
            "objects not found: {} (no symbols); unresolved references left as they were: {}",
            r.missing_objects.len(),
            r.unresolved.len()
        ));
        for m in r.missing_objects.iter().take(FIRST_FEW) {
            lines.push(format!("  not found: {} {:?}", m.kind, m.name));
        }
        for u in r.unresolved.iter().take(FIRST_FEW) {
            lines.push(format!("  {} {:?}: {}", u.at, u.text, u.reason));
        }
    }
    push_list(
        &mut lines,
        "updated by name only (object not resolved)",
        &r.updated_by_name,
        |u| {
            format!(
                "{} {} -> {}",
                u.at,
                u.old,
                u.new.as_deref().unwrap_or("(left)")
            )
        },
    );
    push_list(
        &mut lines,
        "possibly stale (may still spell an old name)",
        &r.possibly_stale,
        |u| format!("{} {}", u.at, u.old),
    );
    push_list(
        &mut lines,
        "syntax errors moved anyway (--allow-syntax-errors)",
        &r.syntax_errors,
        ToString::to_string,
    );
    let not_verified = r.not_verified();
    let method = match &r.verification {
        Verification::Proven => "edits proven to keep every resolved reference".to_string(),
        Verification::Full { reason } => {
            format!("re-parsed and re-resolved, every resolved reference compared ({reason})")
        }
    };
    lines.push(if not_verified.is_empty() {
        format!("verification: {method}")
    } else {
        format!(
            "verification: {method}; not verified: {}",
            not_verified.join(", ")
        )
    });
    lines.push(format!(
        "side by side with the old app: {}",
        if r.side_by_side.possible {
            "clean"
        } else {
            "NOT clean (shared names or IDs; see the report)"
        }
    ));
    for w in &r.warnings {
        lines.push(format!("warning: {w}"));
    }
    for f in &r.skipped {
        lines.push(format!("skipped: {f}"));
    }
    for l in &r.already_done {
        lines.push(format!("already done: {l}"));
    }
    for l in &r.left_for_the_user {
        lines.push(format!("look at: {l}"));
    }
    let mut look = Vec::new();
    // A reverse move restores what the forward move changed: what it lists was looked
    // at (or accepted) on the way there.
    if !accept_stale && !r.reverse {
        if !r.possibly_stale.is_empty() {
            look.push(format!(
                "{} possibly stale identifier(s)",
                r.possibly_stale.len()
            ));
        }
        if !r.skipped.is_empty() {
            look.push(format!("{} file(s) skipped", r.skipped.len()));
        }
        if !r.updated_by_name.is_empty() {
            look.push(format!(
                "{} reference(s) updated by name only",
                r.updated_by_name.len()
            ));
        }
    }
    Summary { lines, look }
}

impl Summary {
    /// Prints the lines (to stderr for a dry run, whose stdout is the diff) and what needs
    /// a look; the exit code: 1 when something needs a look that no flag accepted.
    fn finish(&self, to_stderr: bool) -> ExitCode {
        for l in &self.lines {
            if to_stderr {
                errln!("  {l}");
            } else {
                outln!("  {l}");
            }
        }
        if self.look.is_empty() {
            ExitCode::SUCCESS
        } else {
            errln!(
                "alkit: needs a look: {} (listed above and in move-report.json); pass --accept-stale to accept them",
                self.look.join(", ")
            );
            ExitCode::from(1)
        }
    }
}

/// `--dry-run`: prints the unified diff of every changed file and the summary.
fn print_changes(inputs: &Inputs, outcome: &MoveOutcome) {
    let mut diffs = String::new();
    for (label, old, new) in &outcome.changes(&inputs.files, &inputs.dependents) {
        diff_into(
            &mut diffs,
            label,
            &String::from_utf8_lossy(old),
            &String::from_utf8_lossy(new),
        );
    }
    out!("{diffs}");
    errln!("alkit: dry run: nothing written");
}

/// Writes everything or nothing: the moved app with its artifacts (to OUTDIR or over the
/// project), the dependents and the data-migration app. Returns where the moved app went.
fn write_outputs(
    args: &MoveArgs,
    inputs: &Inputs,
    outcome: &MoveOutcome,
    artifacts: Artifacts,
    migration: Option<Vec<ProjectFile>>,
    guard: &Guard,
) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let mut tx = Transaction::default();
    let target = if args.in_place {
        stage_in_place(&mut tx, &args.dir, inputs, outcome, artifacts);
        args.dir.clone()
    } else {
        let Some(out) = &args.out else {
            return Err("--out OUTDIR is required".into());
        };
        stage_new_dirs(&mut tx, out, &inputs.dependents, outcome, artifacts);
        out.clone()
    };
    if let (Some(p), Some(m)) = (&args.migration_pte, migration) {
        tx.new_dir(p, m.into_iter().map(|f| (f.path, f.bytes)).collect());
    }
    tx.commit(guard)?;
    Ok(target)
}

/// `--in-place`: stages the changed and deleted files of the project and the dependents,
/// and the artifacts in the project.
fn stage_in_place(
    tx: &mut Transaction,
    dir: &Path,
    inputs: &Inputs,
    outcome: &MoveOutcome,
    artifacts: Artifacts,
) {
    for f in &outcome.files {
        let old = inputs.files.iter().find(|x| x.path == f.path);
        if old.is_none_or(|o| o.bytes != f.bytes) {
            tx.write(&dir.join(&f.path), f.bytes.clone());
        }
    }
    for d in &outcome.deleted {
        tx.delete(&dir.join(d));
    }
    for (name, bytes) in artifacts {
        tx.write(&dir.join(name), bytes);
    }
    if inputs.opts.reverse {
        // The restored project is the original: the earlier move's artifacts go.
        for name in ARTIFACTS {
            if dir.join(name).is_file() {
                tx.delete(&dir.join(name));
            }
        }
    }
    for ((d, dep), new) in inputs
        .dep_dirs
        .iter()
        .zip(&inputs.dependents)
        .zip(&outcome.dependents)
    {
        for (old, f) in dep.files.iter().zip(new) {
            if old.bytes != f.bytes {
                tx.write(&d.join(&f.path), f.bytes.clone());
            }
        }
    }
}

/// `--out OUTDIR`: stages OUTDIR (the moved app and the artifacts) and, next to it, a
/// folder per dependent named by its label.
fn stage_new_dirs(
    tx: &mut Transaction,
    out: &Path,
    dependents: &[Dependent],
    outcome: &MoveOutcome,
    artifacts: Artifacts,
) {
    let mut all: Vec<(String, std::sync::Arc<Vec<u8>>)> = outcome
        .files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.clone()))
        .collect();
    all.extend(
        artifacts
            .into_iter()
            .map(|(n, b)| (n.to_string(), std::sync::Arc::new(b))),
    );
    tx.new_dir(out, all);
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    for (dep, new) in dependents.iter().zip(&outcome.dependents) {
        let dest = parent.join(&dep.label);
        tx.new_dir(
            &dest,
            new.iter()
                .map(|f| (f.path.clone(), f.bytes.clone()))
                .collect(),
        );
    }
}

/// Prints what was written: the moved app with the summary, each dependent, the
/// data-migration app.
fn print_moved(
    args: &MoveArgs,
    inputs: &Inputs,
    outcome: &MoveOutcome,
    target: &Path,
    wrote_migration: bool,
) {
    let r = &outcome.report;
    outln!(
        "{} {:?} ({} -> {}) {} {}",
        if r.reverse { "reversed" } else { "moved" },
        r.app.name,
        r.from,
        r.to,
        if args.in_place { "in" } else { "to" },
        target.display()
    );
    for (dep, rep) in inputs.dependents.iter().zip(&r.dependents) {
        outln!(
            "  dependent {}: {} edits in {} files",
            dep.label,
            rep.edits,
            rep.files_touched.len()
        );
    }
    if let Some(p) = args.migration_pte.as_ref().filter(|_| wrote_migration) {
        outln!("  data-migration app: {}", p.display());
    }
}

/// Dependencies that neither a source project nor a package provides.
fn missing_dependencies(roots: &[AppInfo], deps: &Dependencies) -> Vec<String> {
    let mut have: HashSet<String> = roots.iter().map(|r| r.id.clone()).collect();
    have.extend(deps.sources.iter().map(|p| p.info.id.clone()));
    have.extend(deps.packages.iter().map(|p| p.info.id.to_ascii_lowercase()));
    // The Microsoft apps given stand in for the "Application" umbrella (noted apart).
    if have.iter().any(|id| project::is_application_part(id)) {
        have.insert(project::APPLICATION_ID.to_string());
    }
    let mut out = Vec::new();
    for r in roots
        .iter()
        .map(|r| &r.dependencies)
        .chain(deps.sources.iter().map(|p| &p.info.dependencies))
    {
        for d in r {
            if have.insert(d.id.clone()) {
                out.push(format!("{} ({})", d.name, d.publisher));
            }
        }
    }
    out
}

/// The data-migration app (depends on the old and the moved app; copies the data).
fn migration_files(
    args: &MoveArgs,
    inputs: &Inputs,
    outcome: &MoveOutcome,
) -> Result<Vec<ProjectFile>, Box<dyn std::error::Error>> {
    let files = &inputs.files;
    let app = files
        .iter()
        .find(|f| f.path.eq_ignore_ascii_case("app.json"))
        .ok_or("no app.json")?;
    let text = super::manifest::decode_text(&app.bytes)?;
    let manifest = al_manifest::AppJsonDocument::parse(text.trim_start_matches('\u{feff}'))?
        .manifest()
        .clone();
    let defines = al_parser::Defines::from_symbols(&manifest.preprocessor_symbols);
    let mut objects = Vec::new();
    for f in files
        .iter()
        .filter(|f| f.path.to_ascii_lowercase().ends_with(".al"))
    {
        let parse = al_parser::parse_with(&f.bytes, &defines);
        objects.extend(scope_rules::parsed::objects_from_parse(&parse, &f.path));
    }
    let symbols = al_parser::symbols::AppSymbols::from_sources(
        app_info(&manifest),
        files
            .iter()
            .filter(|f| f.path.to_ascii_lowercase().ends_with(".al"))
            .map(|f| SourceText::new(f.path.clone(), f.bytes.clone()))
            .collect(),
    );
    let input = scope_rules::move_engine::migration::MigrationInput {
        old_manifest: &manifest,
        old: &outcome.mapping.old_app,
        new: &outcome.mapping.new_app,
        objects: &objects,
        files,
        mapping: &outcome.mapping.mapping,
        symbols: Some(&symbols),
        dependencies: &dependency_symbols(&inputs.deps),
        dependents: &dependent_symbols(&inputs.dependents)?,
        options: scope_rules::move_engine::migration::MigrationOptions {
            object_id: args.migration.migration_id,
            name: args.migration.migration_name.clone(),
            publisher: args.migration.migration_publisher.clone(),
            bulk: args.migration.migration_bulk,
        },
        id: uuid::Uuid::new_v4().to_string(),
    };
    Ok(scope_rules::move_engine::migration::migration_app(&input)?)
}

/// The symbols of the dependencies (`--symbols`): source projects and packages.
fn dependency_symbols(deps: &Dependencies) -> Vec<al_parser::symbols::AppSymbols> {
    let mut out: Vec<_> = deps
        .sources
        .iter()
        .map(al_parser::symbols::AppSymbols::from_parsed)
        .collect();
    out.extend(deps.packages.iter().cloned());
    out
}

/// The symbols of the dependents (`--dependents`), as they are before the move.
fn dependent_symbols(
    dependents: &[Dependent],
) -> Result<Vec<al_parser::symbols::AppSymbols>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for d in dependents {
        let Some(app) = d
            .files
            .iter()
            .find(|f| f.path.eq_ignore_ascii_case("app.json"))
        else {
            continue;
        };
        let text = super::manifest::decode_text(&app.bytes)?;
        let manifest = al_manifest::AppJsonDocument::parse(text.trim_start_matches('\u{feff}'))?
            .manifest()
            .clone();
        out.push(al_parser::symbols::AppSymbols::from_sources(
            app_info(&manifest),
            d.files
                .iter()
                .filter(|f| f.path.to_ascii_lowercase().ends_with(".al"))
                .map(|f| SourceText::new(f.path.clone(), f.bytes.clone()))
                .collect(),
        ));
    }
    Ok(out)
}

/// Appends the unified diff of one file (3 lines of context) to `out`.
fn diff_into(out: &mut String, label: &str, old: &str, new: &str) {
    let d = similar::TextDiff::from_lines(old, new);
    let _ = write!(
        out,
        "{}",
        d.unified_diff()
            .context_radius(3)
            .header(&format!("a/{label}"), &format!("b/{label}"))
    );
}
