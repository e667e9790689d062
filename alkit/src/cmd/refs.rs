//! `alkit refs`: references to a symbol, and resolution statistics, for a project.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use al_parser::resolve::{RefBy, RefKind, Resolution, Unresolved, Workspace};
use al_parser::symbols::{
    AppInfo, IndexDiagnostic, MemberKind, ObjectKind, ParsedApp, SourceText, SymbolId, SymbolIndex,
    kind_from_keyword,
};
use clap::Args;

use crate::project;

/// Arguments of `alkit refs`.
#[derive(Debug, Args)]
pub struct RefsArgs {
    /// Project folder (with app.json).
    pub path: PathBuf,
    /// Dependency symbols: project folders, or folders searched for projects (app.json);
    /// the dependencies the project declares are taken from them, transitively. `.app`
    /// files (or folders holding them, e.g. `.alpackages`) add their SymbolReference.json.
    /// The project's own `.alpackages` is always read too.
    #[arg(long = "symbols", num_args = 1..)]
    pub symbols: Vec<PathBuf>,
    /// The symbol, e.g. `table "Customer"`, `codeunit 50100`,
    /// `table "Customer".field "No."`, `enum "Loyalty Level".value Gold`.
    #[arg(long)]
    pub symbol: Option<String>,
    /// Print resolved/unresolved counts by reference kind.
    #[arg(long)]
    pub stats: bool,
    /// With --stats: list the most frequent unresolved names with their reasons.
    #[arg(long, default_value_t = 0)]
    pub top_unresolved: usize,
    /// Print every unresolved reference of the project (`file:line:col`, kind, reason).
    #[arg(long)]
    pub unresolved: bool,
}

struct Project {
    dir: PathBuf,
    info: AppInfo,
}

fn load_info(dir: &Path) -> Result<AppInfo, Box<dyn std::error::Error>> {
    let m = project::read_manifest(dir)?;
    Ok(scope_rules::move_engine::app_info(&m))
}

fn read_sources(dir: &Path) -> Result<Vec<SourceText>, Box<dyn std::error::Error>> {
    // Every AL file below the folder, as `parse` reads folders: nested projects included.
    Ok(project::read_al_files_below(dir)?
        .into_iter()
        .map(|(label, bytes)| SourceText::new(label, bytes))
        .collect())
}

/// What [`load`] returns: the workspace, the seconds parsing and resolving took, and the
/// Microsoft apps standing in for a missing "Application" umbrella app.
type Loaded = (Workspace, f64, Vec<&'static str>);

/// Loads the project and the transitive closure of its dependencies found under `symbols`.
fn load(args: &RefsArgs) -> Result<Loaded, Box<dyn std::error::Error>> {
    let root = Project {
        dir: args.path.clone(),
        info: load_info(&args.path)?,
    };
    let symbols = project::Symbols::read_for_project(
        &args.path,
        &args.symbols,
        scope_rules::move_engine::app_info,
    )?;
    let stand_ins = symbols.application_stand_ins(std::slice::from_ref(&root.info));
    let deps: Vec<Project> = symbols
        .dependencies_of(std::slice::from_ref(&root.info))
        .into_iter()
        .map(|(dir, info)| Project { dir, info })
        .collect();
    let t0 = Instant::now();
    let root_src = read_sources(&root.dir)?;
    let mut dep_srcs = Vec::new();
    for d in &deps {
        dep_srcs.push((d.info.clone(), read_sources(&d.dir)?));
    }
    let read_s = t0.elapsed().as_secs_f64();
    let _ = read_s;
    let t1 = Instant::now();
    let root_parsed = ParsedApp::parse(root.info, root_src);
    let dep_parsed: Vec<ParsedApp> = dep_srcs
        .into_iter()
        .map(|(i, s)| ParsedApp::parse(i, s))
        .collect();
    let ws = Workspace::new(vec![root_parsed], dep_parsed, symbols.packages);
    Ok((ws, t1.elapsed().as_secs_f64(), stand_ins))
}

/// Parses `table "Customer"`, `codeunit 50100`, `table Customer.field "No."`.
fn parse_symbol(index: &SymbolIndex, spec: &str) -> Result<SymbolId, String> {
    let words = spec_words(spec);
    let mut it = words.iter();
    let kind_w = it.next().ok_or("empty symbol")?;
    let kind: ObjectKind =
        kind_from_keyword(kind_w).ok_or_else(|| format!("unknown object kind '{kind_w}'"))?;
    let name = it.next().ok_or("missing object name")?;
    let obj = if let Ok(n) = name.parse::<u32>() {
        index.objects_numbered(kind, n).first().copied()
    } else {
        index.find_object(kind, name)
    }
    .ok_or_else(|| format!("no {kind_w} '{name}' in the index"))?;
    let Some(mk) = it.next() else { return Ok(obj) };
    let mkind = match mk.to_ascii_lowercase().as_str() {
        "field" => MemberKind::Field,
        "key" => MemberKind::Key,
        "fieldgroup" => MemberKind::FieldGroup,
        "value" => MemberKind::EnumValue,
        "control" => MemberKind::Control,
        "action" => MemberKind::Action,
        "dataitem" => MemberKind::DataItem,
        "column" => MemberKind::Column,
        "procedure" => MemberKind::Procedure,
        other => return Err(format!("unknown member kind '{other}'")),
    };
    let mname = it.next().ok_or("missing member name")?;
    index
        .find_member(obj, mkind, mname)
        .ok_or_else(|| format!("no {mk} '{mname}' on {}", index.describe(obj)))
}

/// Words of a symbol spec: quoted names (with `""`), plain words; `.` separates.
fn spec_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(d) = chars.next() {
                    if d == '"' {
                        if chars.peek() == Some(&'"') {
                            chars.next();
                            cur.push('"');
                            continue;
                        }
                        break;
                    }
                    cur.push(d);
                }
                out.push(std::mem::take(&mut cur));
            }
            ' ' | '\t' | '.' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn by_text(b: RefBy) -> &'static str {
    match b {
        RefBy::Name => "name",
        RefBy::Number => "number",
        RefBy::String => "string",
    }
}

fn reason_text(u: &Unresolved) -> String {
    match u {
        Unresolved::ObjectNotFound { kind } => format!("no {kind}"),
        Unresolved::MemberNotFound { kind, object } => format!("no {kind} on {object}"),
        Unresolved::Platform => "platform symbol".into(),
    }
}

/// Runs the subcommand.
pub fn run(args: RefsArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let (ws, secs, stand_ins) = load(&args)?;
    if !stand_ins.is_empty() {
        errln!(
            "note: `application` names the Application app, which was not given; the Microsoft apps given stand in for it: {}",
            stand_ins.join(", ")
        );
    }
    for d in &ws.index.diagnostics {
        if let IndexDiagnostic::MissingDependency { app, dependency } = d {
            if !stand_ins.is_empty() && dependency.id.eq_ignore_ascii_case(project::APPLICATION_ID)
            {
                continue;
            }
            errln!(
                "warning: {app}: dependency {} ({}, {}) not found in --symbols; its symbols are missing",
                dependency.name,
                dependency.publisher,
                dependency.id
            );
        }
    }
    let n_objects: usize = ws.index.apps.iter().map(|a| a.objects.len()).sum();
    errln!(
        "indexed {} apps ({} objects), resolved {} references in {:.2}s",
        ws.index.apps.len(),
        n_objects,
        ws.references(0).len(),
        secs
    );
    if let Some(spec) = &args.symbol {
        let sym = parse_symbol(&ws.index, spec)?;
        print_refs(&ws, sym);
    }
    if args.stats {
        print_stats(&ws, args.top_unresolved);
    }
    if args.unresolved {
        print_unresolved(&ws);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_refs(ws: &Workspace, sym: SymbolId) {
    let index = &ws.index;
    let loc = |app: u32, file: u32, off: u32| -> String {
        let parsed = ws.parsed.get(app as usize).and_then(|p| p.as_ref());
        match parsed.and_then(|p| p.files.get(file as usize)) {
            Some(f) => {
                let (l, c) = f.line_col(off);
                format!("{}:{l}:{c}", f.path)
            }
            None => "?".into(),
        }
    };
    let decl = index
        .member(sym)
        .and_then(|m| m.name_span.clone())
        .or_else(|| {
            if sym.member.is_none() {
                index.object(sym).and_then(|o| o.name_span.clone())
            } else {
                None
            }
        });
    if let (Some(span), Some(o)) = (decl, index.object(sym))
        && let Some(f) = o.file
    {
        outln!(
            "{}: declaration {}",
            loc(sym.app, f, span.start),
            index.describe(sym)
        );
    }
    for (app, r) in ws.references_to(sym) {
        outln!(
            "{}: {:?} by {} {}",
            loc(app, r.file, r.span.start),
            r.kind,
            by_text(r.by),
            r.text
        );
    }
}

fn print_unresolved(ws: &Workspace) {
    let Some(Some(p)) = ws.parsed.first() else {
        return;
    };
    for r in ws.references(0) {
        if let Resolution::Unresolved(u) = &r.resolution
            && let Some(f) = p.files.get(r.file as usize)
        {
            let (l, c) = f.line_col(r.span.start);
            outln!(
                "{}:{l}:{c}: {:?} {} ({})",
                f.path,
                r.kind,
                r.text,
                reason_text(u)
            );
        }
    }
}

fn print_stats(ws: &Workspace, top: usize) {
    outln!("{:<16} {:>10} {:>10}", "kind", "resolved", "unresolved");
    let (mut a, mut b) = (0, 0);
    for (k, r, u) in ws.stats(0) {
        outln!("{:<16} {:>10} {:>10}", format!("{k:?}"), r, u);
        a += r;
        b += u;
    }
    outln!("{:<16} {:>10} {:>10}", "total", a, b);
    if top > 0 {
        let mut m: BTreeMap<(String, String, String), usize> = BTreeMap::new();
        for r in ws.references(0) {
            if let Resolution::Unresolved(u) = &r.resolution {
                *m.entry((format!("{:?}", r.kind), r.text.clone(), reason_text(u)))
                    .or_default() += 1;
            }
        }
        let mut v: Vec<_> = m.into_iter().collect();
        v.sort_by_key(|x| std::cmp::Reverse(x.1));
        for ((k, t, why), n) in v.into_iter().take(top) {
            outln!("{n:>8}  {k:<14} {t:<40} {why}");
        }
    }
    let _: Option<RefKind> = None;
}
