//! `alkit move DIR --to appsource|pte|dev --range FROM..TO --out OUTDIR`: carries out a
//! move plan on a copy of the project.
//!
//! Reads the project, resolves it (dependencies from `--symbols`), runs
//! [`scope_rules::moves::plan_move`], turns the plan into text edits
//! ([`scope_rules::move_engine::build_edits`]: renumbered objects, fields and enum
//! values, affixed names, at declarations and references) plus app.json edits (new id,
//! version, idRanges, optional name and publisher), re-parses and re-resolves the result
//! to verify it, and writes a copy of the whole project to OUTDIR through a staging
//! folder renamed at the end. The input is never modified. `--out` is required unless
//! `--dry-run`, which prints a unified diff and writes nothing (except `--report FILE`).
//! OUTDIR gets `move-mapping.json`, `move-report.md` and `move-report.json`.
//!
//! Exit codes: 0 moved, 1 stopped (unresolved references without `--allow-unresolved`,
//! verification failed), 2 bad input.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use al_parser::resolve::Workspace;
use al_parser::symbols::{AppInfo, AppSymbols, DependencyInfo, ParsedApp, SourceText};
use clap::Args;
use scope_rules::affix::AffixPosition;
use scope_rules::move_engine::{self, UnresolvedRef};
use scope_rules::moves::{
    CurrentApp, MoveRequest, Requirement, default_target_ranges, infer_scope, move_rules, plan_move,
};
use scope_rules::{IdRange, Scope};
use serde_json::json;

use super::check::{Project, parse_scope};
use super::plan::{Position, parse_range};
use crate::cmd::refs;
use crate::output;

/// `alkit move ...`
#[derive(Debug, Args)]
pub struct MoveArgs {
    /// Project folder (holding app.json).
    pub dir: PathBuf,
    /// Target scope: appsource (marketplace), pte or dev.
    #[arg(long, value_parser = parse_scope)]
    pub to: Scope,
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
    /// Dependency symbols: project folders, folders searched for projects (app.json), or
    /// `.app` files / folders holding them (as for `alkit refs`).
    #[arg(long = "symbols", num_args = 1..)]
    pub symbols: Vec<PathBuf>,
    /// Go on when references cannot be resolved (they are listed in the report).
    #[arg(long)]
    pub allow_unresolved: bool,
    /// Output folder (must not exist or be empty); required unless --dry-run.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print a unified diff of the changes and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also write the JSON report to FILE (written even with --dry-run).
    #[arg(long)]
    pub report: Option<PathBuf>,
}

const APPLICATION_ID: &str = "c1335042-3002-4257-bf8a-75c898ccb1b8";
/// Folders never copied: build output, symbol caches, version control.
const SKIPPED: &[&str] = &[".git", ".alpackages", ".output", "output", ".snapshots"];

fn app_info(m: &al_manifest::AppManifest) -> AppInfo {
    let mut deps: Vec<DependencyInfo> = m
        .dependencies
        .iter()
        .map(|d| DependencyInfo {
            id: d.id.to_string().to_ascii_lowercase(),
            name: d.name.clone(),
            publisher: d.publisher.clone(),
        })
        .collect();
    if m.application.is_some() && m.id.to_string() != APPLICATION_ID {
        deps.push(DependencyInfo {
            id: APPLICATION_ID.into(),
            name: "Application".into(),
            publisher: "Microsoft".into(),
        });
    }
    AppInfo {
        id: m.id.to_string().to_ascii_lowercase(),
        name: m.name.clone(),
        publisher: m.publisher.clone(),
        version: m.version.to_string(),
        dependencies: deps,
    }
}

/// Every file of the project as (relative path with `/`, bytes, is a project AL file).
/// Skips [`SKIPPED`] folders, symlinks and sub-folders with their own app.json.
/// A project file: relative path with `/`, bytes, whether it is a project AL file.
type ProjectFile = (String, Vec<u8>, bool);

fn project_files(dir: &Path) -> Result<Vec<ProjectFile>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let d = dir.join(&rel);
        for e in std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))? {
            let e = e.map_err(|e| format!("{}: {e}", d.display()))?;
            let ty = e.file_type()?;
            let name = e.file_name().to_string_lossy().into_owned();
            let child = rel.join(&name);
            if ty.is_dir() {
                if SKIPPED.iter().any(|s| name.eq_ignore_ascii_case(s))
                    || dir.join(&child).join("app.json").is_file()
                {
                    continue;
                }
                stack.push(child);
            } else if ty.is_file() {
                let bytes =
                    std::fs::read(e.path()).map_err(|x| format!("{}: {x}", e.path().display()))?;
                let label = child
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                let is_al = name.to_ascii_lowercase().ends_with(".al");
                out.push((label, bytes, is_al));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Dependencies: (info, sources) of source projects and symbols of packages.
type Deps = (Vec<(AppInfo, Vec<SourceText>)>, Vec<AppSymbols>);

fn load_dependencies(
    root: &AppInfo,
    symbols: &[PathBuf],
) -> Result<Deps, Box<dyn std::error::Error>> {
    let mut dirs = Vec::new();
    let mut packages = Vec::new();
    for s in symbols {
        if !s.exists() {
            return Err(format!("--symbols {}: no such file or folder", s.display()).into());
        }
        refs::find_projects(s, &mut dirs);
        refs::find_packages(s, &mut packages);
    }
    let mut package_symbols = Vec::new();
    for p in &packages {
        let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
        let pkg =
            runtime_pack::Package::read(&bytes).map_err(|e| format!("{}: {e}", p.display()))?;
        match pkg.app_package().symbol_reference() {
            Ok(Some(sref)) => package_symbols.push(runtime_pack::index::app_symbols(&sref)),
            Ok(None) => eprintln!(
                "alkit: warning: {}: no SymbolReference.json; its symbols are missing",
                p.display()
            ),
            Err(e) => eprintln!(
                "alkit: warning: {}: {e}; its symbols are missing",
                p.display()
            ),
        }
    }
    dirs.sort();
    let mut pool: HashMap<String, (PathBuf, AppInfo)> = HashMap::new();
    for d in dirs {
        let Ok(m) = al_manifest::load_project(&d) else {
            continue;
        };
        let info = app_info(&m);
        let w1 = d.to_string_lossy().contains("/W1/");
        let replace = match pool.get(&info.id) {
            None => true,
            Some((p, _)) => w1 && !p.to_string_lossy().contains("/W1/"),
        };
        if replace {
            pool.insert(info.id.clone(), (d, info));
        }
    }
    let mut deps = Vec::new();
    let mut seen: HashSet<String> = HashSet::from([root.id.clone()]);
    let mut queue: Vec<DependencyInfo> = root.dependencies.clone();
    while let Some(d) = queue.pop() {
        if !seen.insert(d.id.clone()) {
            continue;
        }
        if let Some((dir, info)) = pool.remove(&d.id) {
            queue.extend(info.dependencies.iter().cloned());
            let mut src = Vec::new();
            for (label, bytes) in super::check::read_al_files(&dir)? {
                src.push(SourceText::new(label, bytes));
            }
            deps.push((info, src));
        }
    }
    Ok((deps, package_symbols))
}

fn workspace(info: &AppInfo, sources: Vec<SourceText>, deps: &Deps) -> Workspace {
    let root = ParsedApp::parse(info.clone(), sources);
    let dep_parsed = deps
        .0
        .iter()
        .map(|(i, s)| ParsedApp::parse(i.clone(), s.clone()))
        .collect();
    Workspace::new(vec![root], dep_parsed, deps.1.clone())
}

/// 1-based line and column of a byte offset in a decoded text.
fn line_col(text: &[u8], offset: u32) -> (usize, usize) {
    let end = (offset as usize).min(text.len());
    let before = text.get(..end).unwrap_or_default();
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(before.get(start..).unwrap_or_default())
        .chars()
        .count()
        + 1;
    (line, col)
}

fn ranges_text(r: &[IdRange]) -> String {
    r.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs `alkit move`.
pub fn run(args: MoveArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    // --- Inputs ---
    if !args.dry_run && args.out.is_none() {
        return Err("--out OUTDIR is required (or --dry-run to only print the changes)".into());
    }
    if let Some(out) = &args.out {
        if out.exists() {
            let empty = out.is_dir() && std::fs::read_dir(out)?.next().is_none();
            if !empty {
                return Err(format!(
                    "{}: already exists and is not an empty folder",
                    out.display()
                )
                .into());
            }
        }
        let (a, b) = (
            std::fs::canonicalize(&args.dir)?,
            out.parent().map(std::fs::canonicalize),
        );
        if let Some(Ok(parent)) = b
            && parent.starts_with(&a)
        {
            return Err(format!(
                "{}: the output folder must not be inside the project",
                out.display()
            )
            .into());
        }
    }
    let new_version = args
        .version
        .as_deref()
        .map(|v| {
            v.parse::<al_manifest::AppVersion>()
                .map_err(|e| format!("--version {v:?}: {e}"))
        })
        .transpose()?;
    let project = Project::read(&args.dir)?;
    let m = project.doc.manifest().clone();
    let current_ranges = m.id_ranges();
    let from = args.from.unwrap_or_else(|| infer_scope(&current_ranges));
    let to = args.to;
    let rules = move_rules(from, to);
    let target_ranges = if args.ranges.is_empty() {
        default_target_ranges(from, to, &current_ranges)
    } else {
        args.ranges.clone()
    };
    let cop_affixes = project.affixes();
    let side_by_side = rules.rename_for_side_by_side == Requirement::Required;
    let affix = match (&args.affix, rules.add_affixes) {
        (Some(a), _) => Some(a.trim().to_string()),
        (None, true) => cop_affixes.primary().map(str::to_string),
        _ => None,
    };
    if (rules.add_affixes || side_by_side) && affix.as_deref().is_none_or(str::is_empty) {
        return Err(format!("moving from {from} to {to} adds an affix: pass --affix ABC").into());
    }
    let generated = args.id.is_none();
    let proposed_id = args.id.unwrap_or_else(uuid::Uuid::new_v4);
    // The objects, labelled like the workspace's sources (paths relative to DIR).
    let files = project_files(&args.dir)?;
    let defines = al_parser::Defines::from_symbols(&m.preprocessor_symbols);
    let mut objects = Vec::new();
    for (label, bytes, _) in files.iter().filter(|f| f.2) {
        let parse = al_parser::parse_with(bytes, &defines);
        objects.extend(scope_rules::parsed::objects_from_parse(&parse, label));
    }
    scope_rules::parsed::mark_local_extensions(&mut objects);
    let old_affixes = if from == Scope::APPSOURCE {
        cop_affixes.clone()
    } else {
        scope_rules::affix::Affixes::default()
    };
    let wants_new_id = rules.new_id != Requirement::No || args.id.is_some() || args.new_id;
    let plan = plan_move(&MoveRequest {
        from,
        to,
        objects: &objects,
        target_ranges: target_ranges.clone(),
        affix: affix.clone(),
        affix_position: match args.affix_position {
            Position::Prefix => AffixPosition::Prefix,
            Position::Suffix => AffixPosition::Suffix,
        },
        old_affixes,
        new_id: wants_new_id.then(|| proposed_id.to_string()),
        current: CurrentApp {
            id: Some(m.id.to_string()),
            version: Some(m.version),
            ranges: current_ranges.clone(),
        },
    })
    .map_err(|e| format!("{}: {e}", args.dir.display()))?;

    // --- Workspace ---
    let info = app_info(&m);
    let deps = load_dependencies(&info, &args.symbols)?;
    let sources: Vec<SourceText> = files
        .iter()
        .filter(|f| f.2)
        .map(|(l, b, _)| SourceText::new(l.clone(), b.clone()))
        .collect();
    let first = workspace(&info, sources.clone(), &deps);
    // Objects of missing dependencies get empty stand-ins so that references to this
    // app's fields and values on them (`Customer."Loyalty Points"`) resolve.
    let missing = move_engine::missing_objects(&first, 0);
    let mut deps = deps;
    if !missing.is_empty() {
        deps.1.push(move_engine::stub_app(&missing));
    }
    let before = if missing.is_empty() {
        first
    } else {
        drop(first);
        workspace(&info, sources, &deps)
    };
    for d in &before.index.diagnostics {
        if let al_parser::symbols::IndexDiagnostic::MissingDependency { dependency, .. } = d {
            eprintln!(
                "alkit: note: dependency {} ({}) not given with --symbols; references to it stay unresolved",
                dependency.name, dependency.publisher
            );
        }
    }
    let unresolved = move_engine::unresolved(&before, 0);
    let decoded: BTreeMap<String, Vec<u8>> = before
        .parsed
        .first()
        .and_then(Option::as_ref)
        .map(|p| {
            p.files
                .iter()
                .filter_map(|f| {
                    f.parses
                        .first()
                        .map(|x| (f.path.clone(), x.text().to_vec()))
                })
                .collect()
        })
        .unwrap_or_default();
    let where_ = |u: &UnresolvedRef| {
        let (l, c) = decoded
            .get(&u.file)
            .map_or((0, 0), |t| line_col(t, u.offset));
        format!("{}:{l}:{c}", u.file)
    };
    let anything_unresolved = !unresolved.is_empty() || !missing.is_empty();
    if anything_unresolved && !args.allow_unresolved {
        if !missing.is_empty() {
            eprintln!(
                "alkit: {} object(s) referenced but not found (pass --symbols with the dependencies, or --allow-unresolved):",
                missing.len()
            );
            for (k, n) in &missing {
                eprintln!("  {k} {n:?}");
            }
        }
        eprintln!(
            "alkit: {} reference(s) could not be resolved, so they could not be updated (pass --symbols with the dependencies, or --allow-unresolved):",
            unresolved.len()
        );
        for u in &unresolved {
            eprintln!("  {} {:?}: {}", where_(u), u.text, u.reason);
        }
        return Ok(ExitCode::from(1));
    }

    // --- Edits ---
    let mut edits = move_engine::build_edits(&before, 0, &plan, &objects)?;
    // Old names of renamed fields and values that no reference covers (e.g.
    // `Rec."Old Name"` on a page extension whose base page has no symbols): updated by
    // name when the new name is unambiguous, and reported.
    let leftovers = move_engine::leftover_names(&before, 0, &edits.mapping, &edits.edits.edits);
    let mut by_name = Vec::new();
    let mut ambiguous = Vec::new();
    let mut extra = edits.edits.edits.clone();
    for l in leftovers {
        if l.new_name.is_none() {
            ambiguous.push(l);
        } else if let Some(n) = &l.new_name {
            extra.push(al_parser::edit::TextEdit {
                file: l.file.clone(),
                range: l.range.clone(),
                replacement: al_parser::edit::format_name(n),
            });
            by_name.push(l);
        }
    }
    if !by_name.is_empty() {
        edits.edits = move_engine::merge(extra)?;
    }
    let leftover_at = |l: &move_engine::Leftover| {
        let (line, c) = decoded
            .get(&l.file)
            .map_or((0, 0), |t| line_col(t, l.range.start));
        format!("{}:{line}:{c}", l.file)
    };
    let mut doc = project.doc.clone();
    let mut identity: Vec<(String, String, String)> = Vec::new();
    // The plan leaves the id alone when the move does not need a new one; an explicit
    // --id / --new-id still sets it.
    let explicit_id = args.id.is_some() || args.new_id;
    let new_id = plan
        .new_id
        .as_ref()
        .map(|_| proposed_id)
        .or_else(|| explicit_id.then_some(proposed_id))
        .filter(|id| *id != m.id);
    if let Some(id) = new_id {
        doc.set_id(id)?;
        identity.push(("id".into(), m.id.to_string(), id.to_string()));
    }
    if let Some(n) = &args.name {
        doc.set_name(n)?;
        identity.push(("name".into(), m.name.clone(), n.clone()));
    }
    if let Some(p) = &args.publisher {
        doc.set_publisher(p)?;
        identity.push(("publisher".into(), m.publisher.clone(), p.clone()));
    }
    if let Some(v) = new_version.or(plan.new_version) {
        doc.set_version(&v)?;
        identity.push(("version".into(), m.version.to_string(), v.to_string()));
    }
    if !plan.id_ranges.is_empty() {
        doc.set_id_ranges(&plan.id_ranges)?;
        identity.push((
            "idRanges".into(),
            ranges_text(&current_ranges),
            ranges_text(&plan.id_ranges),
        ));
    }

    // --- Output files ---
    let mut out_files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut touched: Vec<String> = Vec::new();
    let mut diffs = String::new();
    let mut new_sources = Vec::new();
    let edited: HashSet<&str> = edits.edits.files().into_iter().collect();
    for (label, bytes, is_al) in &files {
        let new = if label.eq_ignore_ascii_case("app.json") {
            let mut t = doc.to_string().into_bytes();
            if bytes.starts_with(b"\xef\xbb\xbf") && !t.starts_with(b"\xef\xbb\xbf") {
                t.splice(0..0, *b"\xef\xbb\xbf");
            }
            if t != *bytes {
                let old = String::from_utf8_lossy(bytes).into_owned();
                let newt = String::from_utf8_lossy(&t).into_owned();
                diff_into(&mut diffs, label, &old, &newt);
            }
            t
        } else if *is_al && edited.contains(label.as_str()) {
            let new = edits.edits.apply(label, bytes)?;
            if let Some(old_text) = decoded.get(label) {
                let new_text = edits.edits.apply_to_text(label, old_text)?;
                diff_into(
                    &mut diffs,
                    label,
                    &String::from_utf8_lossy(old_text),
                    &String::from_utf8_lossy(&new_text),
                );
            }
            new
        } else {
            bytes.clone()
        };
        if new != *bytes {
            touched.push(label.clone());
        }
        if *is_al {
            new_sources.push(SourceText::new(label.clone(), new.clone()));
        }
        out_files.push((label.clone(), new));
    }

    // --- Verify ---
    let after = workspace(&info, new_sources, &deps);
    let mut problems = move_engine::verify(&before, &after, 0, &edits.mapping);
    for l in move_engine::leftover_names(&after, 0, &edits.mapping, &[]) {
        if l.new_name.is_some() {
            problems.push(format!(
                "{}:{}: {} still spells the old name of a renamed field or value",
                l.file, l.range.start, l.text
            ));
        }
    }
    if !problems.is_empty() {
        eprintln!("alkit: verification of the moved sources failed; nothing written:");
        for p in &problems {
            eprintln!("  {p}");
        }
        return Ok(ExitCode::from(1));
    }

    // --- Report ---
    let sbs = move_engine::side_by_side(&before, &after, 0);
    let mapping_json = output::to_json_pretty(&json!({ "mapping": edits.mapping }))?;
    let shortened: Vec<&scope_rules::moves::NameChange> = plan
        .names
        .iter()
        .filter(|n| {
            let base =
                n.old.chars().count() + affix.as_deref().map_or(0, |a| a.chars().count() + 1);
            n.new.chars().count() < base
        })
        .collect();
    let mut left: Vec<String> = plan.consequences.clone();
    left.extend(plan.rules.notes.iter().map(|s| s.to_string()));
    left.push("translation files (.xlf), launch.json and .objidconfig are not updated; regenerate or edit them".into());
    if rules.update_dependents {
        left.push("dependent apps are not updated (their dependency id and references)".into());
    }
    if !sbs.is_clear() {
        left.push(format!(
            "side by side with the old app: {} object ID(s), {} object name(s) and {} extension field/value(s) are shared, so both cannot be installed together (needed to migrate data; see \"Side by side\")",
            sbs.shared_ids.len(),
            sbs.shared_names.len(),
            sbs.shared_members.len()
        ));
    }
    if !by_name.is_empty() {
        left.push(format!(
            "{} reference(s) whose object could not be resolved were updated by name only; check them (see \"Updated by name\")",
            by_name.len()
        ));
    }
    if !ambiguous.is_empty() {
        left.push(format!(
            "{} unresolved identifier(s) spell the old name of a renamed field or value that another field or value still has; check them (see \"Possibly stale\")",
            ambiguous.len()
        ));
    }
    if !missing.is_empty() {
        left.push(format!(
            "{} object(s) were not found (no symbols given for them); references to them were left as they are",
            missing.len()
        ));
    }
    if !unresolved.is_empty() {
        left.push(format!(
            "{} unresolved reference(s) were left as they are; check them by hand",
            unresolved.len()
        ));
    }
    let report = json!({
        "app": { "name": m.name, "publisher": m.publisher, "id": m.id.to_string(), "version": m.version.to_string() },
        "from": from.as_str(),
        "to": to.as_str(),
        "targetRanges": target_ranges.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "affix": affix,
        "newIdGenerated": new_id.is_some() && generated,
        "identity": identity.iter().map(|(k, a, b)| json!({"property": k, "old": a, "new": b})).collect::<Vec<_>>(),
        "renumbered": edits.mapping.iter().filter(|e| e.old_id != e.new_id).collect::<Vec<_>>(),
        "renamed": edits.mapping.iter().filter(|e| e.old_name != e.new_name).collect::<Vec<_>>(),
        "shortened": shortened,
        "filesTouched": touched,
        "edits": edits.edits.edits.len(),
        "updatedByName": by_name.iter().map(|l| json!({"at": leftover_at(l), "old": l.text, "new": l.new_name})).collect::<Vec<_>>(),
        "possiblyStale": ambiguous.iter().map(|l| json!({"at": leftover_at(l), "text": l.text})).collect::<Vec<_>>(),
        "sideBySide": { "possible": sbs.is_clear(), "shared": &sbs },
        "missingObjects": missing.iter().map(|(k, n)| json!({"kind": k, "name": n})).collect::<Vec<_>>(),
        "unresolved": unresolved.iter().map(|u| json!({"at": where_(u), "text": u.text, "reason": u.reason})).collect::<Vec<_>>(),
        "leftForTheUser": left,
    });
    let report_json = output::to_json_pretty(&report)?;
    let report_md = markdown(&report);
    if let Some(r) = &args.report {
        output::write_atomic(r, report_json.as_bytes())
            .map_err(|e| format!("{}: {e}", r.display()))?;
    }

    let summary = format!(
        "{} objects and {} fields/values renumbered, {} names changed, {} edits in {} files, {} unresolved reference(s)",
        plan.object_ids.len(),
        plan.member_ids.len(),
        plan.names.len(),
        edits.edits.edits.len(),
        touched.len(),
        unresolved.len()
    );
    if args.dry_run {
        print!("{diffs}");
        eprintln!("alkit: dry run: {summary}; nothing written");
        return Ok(ExitCode::SUCCESS);
    }
    let Some(out) = &args.out else {
        return Err("--out OUTDIR is required".into());
    };
    out_files.push(("move-mapping.json".into(), mapping_json.into_bytes()));
    out_files.push(("move-report.json".into(), report_json.into_bytes()));
    out_files.push(("move-report.md".into(), report_md.into_bytes()));
    write_tree(out, &out_files)?;
    println!(
        "moved {:?} ({from} -> {to}) to {}: {summary}",
        m.name,
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

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

/// Writes every file into a staging folder beside `out`, then renames it to `out`.
fn write_tree(out: &Path, files: &[(String, Vec<u8>)]) -> Result<(), Box<dyn std::error::Error>> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .ok_or_else(|| format!("{}: not a folder name", out.display()))?
        .to_string_lossy()
        .into_owned();
    std::fs::create_dir_all(&parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    let staging = parent.join(format!(".{name}.alkit-staging-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    let result = (|| -> Result<(), Box<dyn std::error::Error>> {
        for (label, bytes) in files {
            let p = staging.join(label);
            if let Some(d) = p.parent() {
                std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
            }
            std::fs::write(&p, bytes).map_err(|e| format!("{}: {e}", p.display()))?;
        }
        if out.exists() {
            // Checked empty before; remove it so the rename can take its place.
            std::fs::remove_dir(out).map_err(|e| format!("{}: {e}", out.display()))?;
        }
        std::fs::rename(&staging, out).map_err(|e| format!("{}: {e}", out.display()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn markdown(r: &serde_json::Value) -> String {
    let mut s = String::new();
    let w = &mut s;
    let t = |v: &serde_json::Value| {
        v.as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string())
    };
    let _ = writeln!(
        w,
        "# Move report: {} ({} -> {})\n",
        t(&r["app"]["name"]),
        t(&r["from"]),
        t(&r["to"])
    );
    let _ = writeln!(w, "## Identity\n");
    for i in r["identity"].as_array().into_iter().flatten() {
        let _ = writeln!(
            w,
            "- {}: `{}` -> `{}`",
            t(&i["property"]),
            t(&i["old"]),
            t(&i["new"])
        );
    }
    let _ = writeln!(w, "\n## Renumbered\n");
    for e in r["renumbered"].as_array().into_iter().flatten() {
        let _ = writeln!(
            w,
            "- {} {:?}{}: {} -> {}",
            t(&e["objectKind"]),
            t(&e["object"]),
            e["member"]
                .as_str()
                .map(|m| format!(" {} {m:?}", t(&e["kind"])))
                .unwrap_or_default(),
            e["oldId"],
            e["newId"]
        );
    }
    let _ = writeln!(w, "\n## Renamed\n");
    for e in r["renamed"].as_array().into_iter().flatten() {
        let _ = writeln!(
            w,
            "- {} {:?}{}: {:?} -> {:?}",
            t(&e["objectKind"]),
            t(&e["object"]),
            e["member"]
                .as_str()
                .map(|_| format!(" {}", t(&e["kind"])))
                .unwrap_or_default(),
            t(&e["oldName"]),
            t(&e["newName"])
        );
    }
    let _ = writeln!(w, "\n## Shortened names\n");
    for e in r["shortened"].as_array().into_iter().flatten() {
        let _ = writeln!(w, "- {:?} -> {:?}", t(&e["old"]), t(&e["new"]));
    }
    let _ = writeln!(w, "\n## Files touched\n");
    for f in r["filesTouched"].as_array().into_iter().flatten() {
        let _ = writeln!(w, "- {}", t(f));
    }
    let _ = writeln!(w, "\n## Updated by name (object not resolved; check)\n");
    for u in r["updatedByName"].as_array().into_iter().flatten() {
        let _ = writeln!(
            w,
            "- {} `{}` -> `{}`",
            t(&u["at"]),
            t(&u["old"]),
            t(&u["new"])
        );
    }
    let _ = writeln!(
        w,
        "\n## Possibly stale (unresolved, ambiguous old name; check)\n"
    );
    for u in r["possiblyStale"].as_array().into_iter().flatten() {
        let _ = writeln!(w, "- {} `{}`", t(&u["at"]), t(&u["text"]));
    }
    let _ = writeln!(
        w,
        "\n## Objects not found (no symbols; references left as they are)\n"
    );
    for u in r["missingObjects"].as_array().into_iter().flatten() {
        let _ = writeln!(w, "- {} {:?}", t(&u["kind"]), t(&u["name"]));
    }
    let _ = writeln!(w, "\n## Unresolved references (not updated)\n");
    for u in r["unresolved"].as_array().into_iter().flatten() {
        let _ = writeln!(
            w,
            "- {} `{}`: {}",
            t(&u["at"]),
            t(&u["text"]),
            t(&u["reason"])
        );
    }
    let _ = writeln!(w, "\n## Side by side with the old app\n");
    let sb = &r["sideBySide"];
    if sb["possible"].as_bool() == Some(true) {
        let _ = writeln!(
            w,
            "- no shared object IDs, object names or extension fields/values"
        );
    }
    for (what, key) in [
        ("object ID", "sharedIds"),
        ("object name", "sharedNames"),
        ("extension field/value", "sharedMembers"),
    ] {
        for x in sb["shared"][key].as_array().into_iter().flatten() {
            let _ = writeln!(w, "- shared {what}: {}", t(x));
        }
    }
    let _ = writeln!(w, "\n## Left for you\n");
    for l in r["leftForTheUser"].as_array().into_iter().flatten() {
        let _ = writeln!(w, "- {}", t(l));
    }
    s
}
