//! `alkit plan DIR --to appsource|pte|dev [--from ...]`: the ordered changes a
//! move between scopes needs, counted on the actual project, with the
//! consequences and the checks the target scope runs.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use scope_rules::affix::AffixPosition;
use scope_rules::checks::rules::{RULES, RuleFamily, RuleInput};
use scope_rules::move_engine::{
    AffixSource, MoveOptions, MovePlan, PlannedMove, Requirement, plan_project,
};
use scope_rules::{IdRange, Scope};
use serde_json::json;

use super::check::parse_scope;
use crate::output;

/// Where the affix goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Position {
    /// Before the name (`ABC Loyalty Tier`).
    Prefix,
    /// After the name (`Loyalty Tier ABC`).
    Suffix,
}

/// `alkit plan ...`
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Project folder (holding app.json).
    pub dir: PathBuf,
    /// Target scope: appsource (marketplace), pte or dev.
    #[arg(long, value_parser = parse_scope)]
    pub to: Scope,
    /// Current scope; inferred from app.json's idRanges when left out.
    #[arg(long, value_parser = parse_scope)]
    pub from: Option<Scope>,
    /// Target ID range `FROM..TO` (repeatable); default: the current ranges when
    /// still valid, else the documented range of the target scope.
    #[arg(long = "range", value_parser = parse_range)]
    pub ranges: Vec<IdRange>,
    /// Affix to add (default: the first affix of AppSourceCop.json when moving to AppSource).
    #[arg(long)]
    pub affix: Option<String>,
    /// Where the affix goes.
    #[arg(long, value_enum, default_value_t = Position::Prefix)]
    pub affix_position: Position,
    /// Use this app id instead of a freshly generated one.
    #[arg(long)]
    pub new_id: Option<uuid::Uuid>,
    /// Folders holding other apps (searched recursively for app.json) to count dependents.
    #[arg(long, num_args = 1..)]
    pub dependents: Vec<PathBuf>,
    /// Plan as `alkit move --migration-pte` does: every object renamed so old and new app
    /// can be installed side by side.
    #[arg(long)]
    pub migration_pte: bool,
    /// Names to use, as `alkit move --names FILE` (`{"old name": "new name"}`).
    #[arg(long)]
    pub names: Option<PathBuf>,
    /// IDs to use, as `alkit move --mapping FILE` (a move-mapping.json or CSV rows).
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Print the plan as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Parses `FROM..TO` (also `FROM-TO`).
pub fn parse_range(s: &str) -> Result<IdRange, String> {
    let (a, b) = s
        .split_once("..")
        .or_else(|| s.split_once('-'))
        .ok_or_else(|| format!("{s:?}: expected FROM..TO"))?;
    if a.trim().is_empty() || b.trim().is_empty() {
        return Err(format!(
            "{s:?}: expected FROM..TO, both ends given (IDs go up to {})",
            i32::MAX
        ));
    }
    let num = |t: &str| {
        t.trim()
            .replace('_', "")
            .parse::<u32>()
            .map_err(|e| format!("{s:?}: {t:?}: {e}"))
    };
    let r = IdRange::new(num(a)?, num(b)?);
    if r.from > r.to {
        return Err(format!("{s:?}: FROM is greater than TO"));
    }
    Ok(r)
}

/// Apps under `dirs` ([`crate::project::find_projects`]) that depend on `id`, as
/// `(folder, app name)`.
fn find_dependents(
    dirs: &[PathBuf],
    id: uuid::Uuid,
) -> Result<Vec<(String, String)>, Box<dyn std::error::Error>> {
    let mut found = Vec::new();
    for dir in dirs {
        if !dir.is_dir() {
            return Err(format!("{}: not a folder", dir.display()).into());
        }
        for folder in crate::project::find_projects(dir)? {
            let Ok(m) = crate::project::read_manifest(&folder) else {
                errln!(
                    "alkit: warning: {}: not a valid app.json, skipped",
                    folder.join("app.json").display()
                );
                continue;
            };
            if m.id != id && m.dependencies.iter().any(|d| d.id == id) {
                found.push((folder.display().to_string(), m.name));
            }
        }
    }
    found.dedup();
    Ok(found)
}

/// The rules `alkit check --scope <scope>` can report for the target scope.
fn target_checks(scope: Scope) -> Vec<&'static scope_rules::checks::rules::RuleInfo> {
    let appsource = scope == Scope::APPSOURCE;
    let pte = scope == Scope::Pte;
    RULES
        .iter()
        .filter(|r| {
            matches!(
                r.input,
                RuleInput::Manifest | RuleInput::Source | RuleInput::Dependencies
            )
        })
        .filter(|r| r.severity != scope_rules::Severity::Hidden)
        .filter(|r| match r.id.family() {
            RuleFamily::Compiler => true,
            RuleFamily::AppSourceCop => appsource,
            RuleFamily::PerTenantCop | RuleFamily::Alkit => pte,
            RuleFamily::SubmissionValidation => false,
        })
        .collect()
}

/// How a step's requirement is shown (`required`, `recommended`, `optional`).
fn requirement_word(r: Requirement) -> &'static str {
    match r {
        Requirement::Required => "required",
        Requirement::Recommended => "recommended",
        Requirement::No => "optional",
    }
}

/// Counts of the plan, for humans and tools.
struct Counts {
    objects_renumbered: usize,
    members_renumbered: usize,
    objects_lacking_affix: usize,
    members_needing_affix: usize,
}

/// Counts the renumbered objects and members and the names needing the affix.
fn counts(plan: &MovePlan) -> Counts {
    let objects = plan.names.iter().filter(|n| n.member.is_none()).count();
    Counts {
        objects_renumbered: plan.object_ids.len(),
        members_renumbered: plan.member_ids.len(),
        objects_lacking_affix: objects,
        members_needing_affix: plan.names.len() - objects,
    }
}

/// The plan and what the renderers show next to it.
struct PlanView {
    /// What is moved and to what, and the plan ([`plan_project`]).
    planned: PlannedMove,
    /// The app id the plan proposes: `--new-id`, else a fresh v4 id.
    proposed_id: uuid::Uuid,
    /// Whether `proposed_id` was generated (no `--new-id`).
    generated: bool,
    /// Apps depending on this one, as `(folder, app name)`; `None` without `--dependents`.
    dependents: Option<Vec<(String, String)>>,
    /// Counts of the plan.
    counts: Counts,
    /// The rules the target scope runs.
    checks: Vec<&'static scope_rules::checks::rules::RuleInfo>,
}

/// Runs `alkit plan`.
pub fn run(args: PlanArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let view = make_plan(&args)?;
    if args.json {
        out!("{}", output::to_json_pretty(&plan_json(&args, &view))?);
    } else {
        out!("{}", plan_text(&args, &view)?);
    }
    Ok(ExitCode::SUCCESS)
}

/// Makes the plan: the options `alkit move` would pass, one [`plan_project`] call, then the
/// dependents (`--dependents`), the counts and the target scope's checks.
fn make_plan(args: &PlanArgs) -> Result<PlanView, Box<dyn std::error::Error>> {
    if !args.dir.join("app.json").is_file() {
        return Err(format!("{}: not a project folder (no app.json)", args.dir.display()).into());
    }
    let files = super::move_cmd::project_files(&args.dir)?;
    let generated = args.new_id.is_none();
    let proposed_id = args.new_id.unwrap_or_else(uuid::Uuid::new_v4);
    // The same options `alkit move` would pass: one plan for both commands.
    let mut opts = MoveOptions::to(args.to, proposed_id.to_string());
    opts.from = args.from;
    opts.ranges = args.ranges.clone();
    opts.affix = args.affix.clone();
    opts.affix_position = match args.affix_position {
        Position::Prefix => AffixPosition::Prefix,
        Position::Suffix => AffixPosition::Suffix,
    };
    opts.id = args.new_id.map(|u| u.to_string());
    opts.side_by_side = args.migration_pte;
    opts.mapping = super::move_cmd::read_mapping(args.mapping.as_deref())?;
    opts.names = super::move_cmd::read_names(args.names.as_deref())?;
    let planned =
        plan_project(&files, &opts).map_err(|e| format!("{}: {e}", args.dir.display()))?;
    let dependents = if args.dependents.is_empty() {
        None
    } else {
        Some(find_dependents(&args.dependents, planned.request.app.id)?)
    };
    Ok(PlanView {
        counts: counts(&planned.plan),
        checks: target_checks(planned.request.to),
        planned,
        proposed_id,
        generated,
        dependents,
    })
}

/// The plan as JSON (`--json`).
fn plan_json(args: &PlanArgs, view: &PlanView) -> serde_json::Value {
    let PlannedMove { request, plan } = &view.planned;
    let m = &request.app;
    let c = &view.counts;
    let dependents = &view.dependents;
    json!({
        "app": { "name": m.name, "publisher": m.publisher, "version": m.version.to_string(), "id": m.id.to_string() },
        "path": args.dir.display().to_string(),
        "from": request.from.as_str(),
        "fromInferred": request.from_inferred,
        "to": request.to.as_str(),
        "targetRanges": request.target_ranges.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "targetRangesDefault": request.ranges_defaulted,
        "affix": request.affix,
        "proposedId": plan.new_id.as_ref().map(|_| view.proposed_id.to_string()),
        "proposedIdGenerated": view.generated,
        "counts": {
            "objectsToRenumber": c.objects_renumbered,
            "membersToRenumber": c.members_renumbered,
            "objectNamesLackingAffix": c.objects_lacking_affix,
            "membersNeedingAffix": c.members_needing_affix,
            "dependents": dependents.as_ref().map(Vec::len),
        },
        "dependents": dependents.as_ref().map(|d| d.iter().map(|(p, n)| json!({"path": p, "name": n})).collect::<Vec<_>>()),
        "checks": view.checks.iter().map(|r| json!({"id": r.id, "title": r.title, "severity": r.severity.as_str()})).collect::<Vec<_>>(),
        "plan": plan,
    })
}

/// The plan as text: the header, the changes, the counts, the consequences, the checks,
/// the ID changes and the renames.
fn plan_text(args: &PlanArgs, view: &PlanView) -> Result<String, std::fmt::Error> {
    let mut out = String::new();
    let w = &mut out;
    text_header(w, args, &view.planned)?;
    writeln!(w)?;
    text_changes(w, view)?;
    writeln!(w)?;
    text_counts(w, view)?;
    text_consequences(w, &view.planned.plan)?;
    writeln!(w)?;
    text_checks(w, args, view)?;
    text_id_changes(w, &view.planned.plan)?;
    text_renames(w, &view.planned.plan)?;
    Ok(out)
}

/// `FROM..TO` ranges joined with commas, or `none`.
fn ranges_text(r: &[IdRange]) -> String {
    if r.is_empty() {
        "none".to_string()
    } else {
        r.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The first lines: the app and the move, the inferred current scope, the target ranges
/// and the affix.
fn text_header(w: &mut String, args: &PlanArgs, planned: &PlannedMove) -> std::fmt::Result {
    let PlannedMove { request, plan } = planned;
    let (from, to) = (request.from, request.to);
    let (current_ranges, target_ranges) = (&request.current_ranges, &request.target_ranges);
    writeln!(
        w,
        "plan: {:?} ({}) {from} -> {to}",
        request.app.name,
        args.dir.display()
    )?;
    if request.from_inferred {
        let why = if current_ranges.is_empty() {
            "no idRanges declared".to_string()
        } else {
            format!("idRanges {}", ranges_text(current_ranges))
        };
        writeln!(
            w,
            "  current scope: {from} (inferred from {why}; pass --from to override)"
        )?;
    }
    if !plan.id_ranges.is_empty() || !plan.object_ids.is_empty() || !plan.member_ids.is_empty() {
        let note = if !request.ranges_defaulted {
            "from --range"
        } else if target_ranges == current_ranges {
            "the current ranges"
        } else if to == Scope::APPSOURCE {
            "documented default; use your publisher's allocated slice with --range FROM..TO"
        } else {
            "documented default for the target scope; narrow it with --range FROM..TO"
        };
        writeln!(
            w,
            "  target ranges: {} ({note})",
            ranges_text(target_ranges)
        )?;
    }
    if let Some(a) = &request.affix {
        let affix_source = match request.affix_source {
            Some(AffixSource::Option) => "--affix",
            Some(AffixSource::AppSourceCop) => "AppSourceCop.json",
            None => "",
        };
        writeln!(
            w,
            "  affix: {a} ({}, from {affix_source})",
            match args.affix_position {
                Position::Prefix => "prefix",
                Position::Suffix => "suffix",
            }
        )?;
    }
    Ok(())
}

/// The ordered changes, each with its requirement.
fn text_changes(w: &mut String, view: &PlanView) -> std::fmt::Result {
    let plan = &view.planned.plan;
    if plan.steps.is_empty() {
        return writeln!(w, "changes: none required");
    }
    writeln!(w, "changes:")?;
    for (i, s) in plan.steps.iter().enumerate() {
        let proposed = if s.kind == scope_rules::move_engine::StepKind::NewId && view.generated {
            " (proposed, freshly generated)"
        } else {
            ""
        };
        writeln!(
            w,
            "  {:>2}. [{}] {}{proposed}",
            i + 1,
            requirement_word(s.requirement),
            s.text
        )?;
    }
    Ok(())
}

/// The counts, and the dependents found (or a hint to search for them).
fn text_counts(w: &mut String, view: &PlanView) -> std::fmt::Result {
    let c = &view.counts;
    writeln!(w, "counts:")?;
    writeln!(
        w,
        "  objects to renumber:            {}",
        c.objects_renumbered
    )?;
    writeln!(
        w,
        "  fields/enum values to renumber: {}",
        c.members_renumbered
    )?;
    writeln!(
        w,
        "  object names lacking the affix: {}",
        c.objects_lacking_affix
    )?;
    writeln!(
        w,
        "  members needing the affix:      {}",
        c.members_needing_affix
    )?;
    match &view.dependents {
        Some(d) => {
            writeln!(w, "  dependents found:               {}", d.len())?;
            for (p, n) in d {
                writeln!(w, "    {p} ({n:?})")?;
            }
        }
        None => writeln!(
            w,
            "  dependents found:               not searched (pass --dependents DIR...)"
        )?,
    }
    Ok(())
}

/// The consequences and the target scope's notes (nothing when there are none).
fn text_consequences(w: &mut String, plan: &MovePlan) -> std::fmt::Result {
    let mut consequences: Vec<String> = plan.consequences.clone();
    consequences.extend(plan.rules.notes.iter().map(|s| s.to_string()));
    if !consequences.is_empty() {
        writeln!(w)?;
        writeln!(w, "consequences and notes:")?;
        for c in &consequences {
            writeln!(w, "  - {c}")?;
        }
    }
    Ok(())
}

/// The checks the target scope runs (with the analyzer, if any).
fn text_checks(w: &mut String, args: &PlanArgs, view: &PlanView) -> std::fmt::Result {
    match view.planned.plan.rules.cop {
        Some(cop) => writeln!(
            w,
            "checks the target scope runs ({cop:?}; try `alkit check {} --scope {}`):",
            args.dir.display(),
            view.planned.request.to
        )?,
        None => writeln!(
            w,
            "checks the target scope runs (compiler only, no analyzer):"
        )?,
    }
    for r in &view.checks {
        writeln!(w, "  {:<8} {:<7} {}", r.id, r.severity.as_str(), r.title)?;
    }
    Ok(())
}

/// The object and member ID changes (nothing when there are none).
fn text_id_changes(w: &mut String, plan: &MovePlan) -> std::fmt::Result {
    if !plan.object_ids.is_empty() || !plan.member_ids.is_empty() {
        writeln!(w)?;
        writeln!(w, "ID changes:")?;
        for o in &plan.object_ids {
            writeln!(w, "  {} {:?}: {} -> {}", o.kind, o.name, o.old, o.new)?;
        }
        for mbr in &plan.member_ids {
            writeln!(
                w,
                "  {} {:?} {:?}: {} -> {}",
                mbr.object_kind, mbr.object, mbr.member, mbr.old, mbr.new
            )?;
        }
    }
    Ok(())
}

/// The object and member renames (nothing when there are none).
fn text_renames(w: &mut String, plan: &MovePlan) -> std::fmt::Result {
    if !plan.names.is_empty() {
        writeln!(w)?;
        writeln!(w, "renames:")?;
        for n in &plan.names {
            match &n.member {
                None => writeln!(w, "  {} {:?} -> {:?}", n.object_kind, n.old, n.new)?,
                Some(_) => writeln!(
                    w,
                    "  {} {:?} member {:?} -> {:?}",
                    n.object_kind, n.object, n.old, n.new
                )?,
            }
        }
    }
    Ok(())
}
