#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Scenarios of a move, table-driven, at library level: each row is a small in-memory
//! project (app.json and a few AL files; optionally dependents and dependency symbols), the
//! [`MoveOptions`] of the move, and what [`move_app`] must return — exact texts or
//! substrings of edited files, report fields, mapping entries, or the [`MoveError`] of a
//! refused request.
//!
//! One runner ([`scenarios`]) moves every row and reports every failing row by name. It
//! also checks that every expectation can fail: each check is evaluated a second time
//! against a deliberately wrong value (text altered, count off by one, negated), and a
//! check that still passes is reported. A row may name a known bug (`expect_bug`): it is
//! run, but skipped with a note instead of failing.
//!
//! `SCENARIO=name` runs only the rows whose name contains `name`; `SCENARIO_DUMP=1` prints
//! the old and new text of every file a row's move changed.

use al_parser::symbols::{ParsedApp, SourceText};
use scope_rules::affix::AffixPosition;
use scope_rules::move_engine::{
    Dependencies, Dependent, MoveError, MoveMapping, MoveOptions, MoveOutcome, ProjectFile,
    Verification, app_info, move_app, plan_project,
};
use scope_rules::{IdRange, Scope};

// ---------------------------------------------------------------------------------------
// The table's vocabulary.
// ---------------------------------------------------------------------------------------

const APP_ID: &str = "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11";
const NEW_ID: &str = "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0";
const GENERATED_ID: &str = "3f1c2b9a-7d4e-4f60-9a1b-5c2d8e7f6a10";
const BASE_ID: &str = "437dbf0e-84ff-417a-965d-ed2bb9650972";
const DEP_ID: &str = "a7c2e9d4-3b18-4f6a-9e05-6d1b8c4f2e37";

/// A move to run and what it must give.
struct Scenario {
    name: &'static str,
    project: Vec<ProjectFile>,
    dependents: Vec<Dependent>,
    deps: Dependencies,
    opts: MoveOptions,
    /// The mapping as the user wrote it (`--mapping` CSV or JSON); a parse error is the
    /// scenario's outcome.
    mapping_text: Option<&'static str>,
    /// Move first with these options, then run this row on the result (a reverse move gets
    /// the first move's mapping).
    first: Option<First>,
    expect: Expect,
    /// A known bug: the row is run, but its failure is printed, not reported.
    expect_bug: Option<&'static str>,
}

/// A move made before the scenario's own (for reverse moves).
struct First {
    opts: MoveOptions,
    /// Run the scenario on the original project instead of the first move's output.
    on_original: bool,
    /// Change the first move's output before the scenario runs on it.
    tamper: Option<fn(&mut Vec<ProjectFile>)>,
}

enum Expect {
    Moved(Vec<Check>),
    Refused(Refusal),
}

/// The error a refused move returns.
enum Refusal {
    /// `MoveError::Input` whose message contains this.
    Input(&'static str),
    /// `MoveError::Unresolved` with exactly these missing objects (`kind name`) and this
    /// many unresolved references, one of which (if given) has this text.
    Unresolved {
        missing: &'static [&'static str],
        refs: usize,
        one_ref: Option<&'static str>,
    },
    /// `MoveError::OutOfIds` for exactly this.
    OutOfIds(&'static str),
    /// `MoveError::AffixMissing` for this target scope.
    AffixMissing(&'static str),
}

/// One expectation on a move's outcome. Paths are relative to the project; `dep` indexes
/// the scenario's dependents. Texts are compared decoded (UTF-16 files as UTF-8).
#[derive(Debug)]
enum Check {
    /// The file's text after the move, exactly.
    Text(&'static str, String),
    /// The file's text contains each of these.
    Has(&'static str, Vec<&'static str>),
    /// The file's text contains none of these.
    Lacks(&'static str, Vec<&'static str>),
    /// The file's bytes after the move, exactly.
    Bytes(&'static str, Vec<u8>),
    /// The file is as it was (same bytes).
    Unchanged(&'static str),
    /// The file was created by the move.
    Created(&'static str),
    /// A dependent's file text after the move, exactly.
    DepText(usize, &'static str, String),
    /// A dependent's file text contains each of these.
    DepHas(usize, &'static str, Vec<&'static str>),
    /// A dependent's file text contains none of these.
    DepLacks(usize, &'static str, Vec<&'static str>),
    /// Every file of the project and of each dependent is back, byte for byte, as it was
    /// before the first move (and nothing else is there).
    Restored,
    /// Every object declaration in the moved AL files has an ID in `from..=to`; there are
    /// `count` of them.
    ObjectIdsIn { from: u32, to: u32, count: usize },
    /// The mapping has this entry: kind, object kind, old and new ID, old and new name.
    Entry {
        kind: &'static str,
        object_kind: &'static str,
        ids: Option<(u32, u32)>,
        names: (&'static str, &'static str),
    },
    /// `report.renumbered.len()` (objects, members).
    Renumbered { objects: usize, members: usize },
    /// `report.renamed.len()`.
    Renamed(usize),
    /// `report.shortened`, exactly (old, new).
    Shortened(Vec<(&'static str, &'static str)>),
    /// `report.identity`, exactly (property, old, new).
    Identity(Vec<(&'static str, &'static str, &'static str)>),
    /// `report.new_id_generated`.
    NewIdGenerated(bool),
    /// `report.affix`.
    Affix(Option<&'static str>),
    /// `report.files_touched`, sorted, exactly.
    FilesTouched(Vec<&'static str>),
    /// `report.dependents`: (label, files touched sorted, edits) exactly.
    Dependents(Vec<(&'static str, Vec<&'static str>, usize)>),
    /// `report.verification` is `Proven`.
    Proven,
    /// `report.verification` is `Full` with a reason containing each of these.
    Full(Vec<&'static str>),
    /// `report.unresolved.len()`.
    Unresolved(usize),
    /// `report.missing_objects` as `kind name`, sorted, exactly.
    Missing(Vec<&'static str>),
    /// `report.possibly_stale` as `file:line:column old`, exactly.
    PossiblyStale(Vec<&'static str>),
    /// `report.updated_by_name` as `file:line:column old -> new`, exactly.
    UpdatedByName(Vec<&'static str>),
    /// `report.side_by_side.possible`.
    SideBySide(bool),
    /// `report.side_by_side.shared`: shared object IDs, names and members, exactly.
    Shared {
        ids: Vec<&'static str>,
        names: Vec<&'static str>,
        members: Vec<&'static str>,
    },
    /// `report.left_for_the_user` has a line containing this.
    LeftForUser(&'static str),
    /// `plan_project` with the same options plans (objects renumbered, members
    /// renumbered, names changed), and the report agrees.
    Plan {
        objects: usize,
        members: usize,
        names: usize,
    },
}

// ---------------------------------------------------------------------------------------
// Runner.
// ---------------------------------------------------------------------------------------

/// What a check looks at.
struct Run<'a> {
    /// The project and dependents the scenario started from (before any first move).
    original: &'a [ProjectFile],
    original_deps: &'a [Dependent],
    /// What `move_app` got.
    input: &'a [ProjectFile],
    opts: &'a MoveOptions,
    out: &'a MoveOutcome,
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&al_parser::decode(bytes).0).into_owned()
}

fn file<'a>(files: &'a [ProjectFile], path: &str) -> Result<&'a ProjectFile, String> {
    files
        .iter()
        .find(|f| f.path == path)
        .ok_or_else(|| format!("{path}: no such file in the output"))
}

fn first_difference(want: &str, got: &str) -> String {
    let line = want
        .lines()
        .zip(got.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| want.lines().count().min(got.lines().count()));
    format!(
        "first difference at line {}:\n  want: {:?}\n  got:  {:?}\n--- got in full ---\n{got}",
        line + 1,
        want.lines().nth(line).unwrap_or("<end>"),
        got.lines().nth(line).unwrap_or("<end>"),
    )
}

fn same<T: PartialEq + std::fmt::Debug>(what: &str, want: T, got: T) -> Result<(), String> {
    if want == got {
        Ok(())
    } else {
        Err(format!("{what}: want {want:?}, got {got:?}"))
    }
}

/// A deliberately wrong version of an expected text.
fn wrong_text(s: &str, wrong: bool) -> String {
    if wrong {
        format!("{s}\u{1}")
    } else {
        s.to_string()
    }
}

fn wrong_count(n: usize, wrong: bool) -> usize {
    n + usize::from(wrong)
}

fn wrong_list<T: Clone>(v: &[T], extra: T, wrong: bool) -> Vec<T> {
    let mut v = v.to_vec();
    if wrong {
        v.push(extra);
    }
    v
}

fn has_all(what: &str, t: &str, subs: &[&str], wrong: bool) -> Result<(), String> {
    for s in subs {
        let s = wrong_text(s, wrong);
        if !t.contains(&s) {
            return Err(format!("{what}: {s:?} not found in\n{t}"));
        }
    }
    Ok(())
}

fn lacks_all(what: &str, t: &str, subs: &[&str], wrong: bool) -> Result<(), String> {
    for s in subs {
        // Wrong: claim the text is there.
        if t.contains(s) != wrong {
            return Err(format!(
                "{what}: {s:?} {} in\n{t}",
                if wrong { "not found" } else { "found" }
            ));
        }
    }
    Ok(())
}

fn sorted_files(files: &[ProjectFile]) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.to_vec()))
        .collect();
    v.sort();
    v
}

impl Check {
    /// Evaluates the check; `wrong`: against a deliberately wrong expectation (must fail).
    fn eval(&self, r: &Run<'_>, wrong: bool) -> Result<(), String> {
        let rep = &r.out.report;
        match self {
            Check::Text(p, want) => {
                let got = text(&file(&r.out.files, p)?.bytes);
                let want = wrong_text(want, wrong);
                if got == want {
                    Ok(())
                } else {
                    Err(format!("{p}: {}", first_difference(&want, &got)))
                }
            }
            Check::Has(p, subs) => has_all(p, &text(&file(&r.out.files, p)?.bytes), subs, wrong),
            Check::Lacks(p, subs) => {
                lacks_all(p, &text(&file(&r.out.files, p)?.bytes), subs, wrong)
            }
            Check::Bytes(p, want) => {
                let got = file(&r.out.files, p)?.bytes.to_vec();
                let want = wrong_list(want, 0, wrong);
                if got == want {
                    Ok(())
                } else {
                    Err(format!(
                        "{p}: bytes differ:\n  want {want:?}\n  got  {got:?}"
                    ))
                }
            }
            Check::Unchanged(p) => {
                let got = file(&r.out.files, p)?;
                let was = file(r.input, p)?;
                same(&format!("{p} unchanged"), !wrong, got.bytes == was.bytes)
            }
            Check::Created(p) => {
                let created =
                    file(&r.out.files, p).is_ok() && !r.input.iter().any(|f| f.path == *p);
                same(&format!("{p} created"), !wrong, created)
            }
            Check::DepText(d, p, want) => {
                let files = r.out.dependents.get(*d).ok_or("no such dependent")?;
                let got = text(&file(files, p)?.bytes);
                let want = wrong_text(want, wrong);
                if got == want {
                    Ok(())
                } else {
                    Err(format!(
                        "dependent {d}: {p}: {}",
                        first_difference(&want, &got)
                    ))
                }
            }
            Check::DepHas(d, p, subs) => {
                let files = r.out.dependents.get(*d).ok_or("no such dependent")?;
                has_all(p, &text(&file(files, p)?.bytes), subs, wrong)
            }
            Check::DepLacks(d, p, subs) => {
                let files = r.out.dependents.get(*d).ok_or("no such dependent")?;
                lacks_all(p, &text(&file(files, p)?.bytes), subs, wrong)
            }
            Check::Restored => {
                let mut ok = sorted_files(&r.out.files) == sorted_files(r.original);
                for (new, old) in r.out.dependents.iter().zip(r.original_deps) {
                    ok &= sorted_files(new) == sorted_files(&old.files);
                }
                ok &= r.out.dependents.len() == r.original_deps.len();
                if ok != wrong {
                    Ok(())
                } else {
                    let mut why = String::new();
                    let (got, want) = (sorted_files(&r.out.files), sorted_files(r.original));
                    for (g, w) in got.iter().zip(&want) {
                        if g != w {
                            why.push_str(&format!(
                                "\n{} / {}:\n{}",
                                g.0,
                                w.0,
                                first_difference(&text(&w.1), &text(&g.1))
                            ));
                        }
                    }
                    Err(format!(
                        "restored: want {}, got {} files, {} deleted{why}",
                        want.len(),
                        got.len(),
                        r.out.deleted.len()
                    ))
                }
            }
            Check::ObjectIdsIn { from, to, count } => {
                const KINDS: &[&str] = &[
                    "table ",
                    "tableextension ",
                    "page ",
                    "pageextension ",
                    "codeunit ",
                    "report ",
                    "query ",
                    "enum ",
                    "enumextension ",
                    "permissionset ",
                    "xmlport ",
                ];
                let mut n = 0;
                for f in r.out.files.iter().filter(|f| f.path.ends_with(".al")) {
                    for line in text(&f.bytes).lines() {
                        let line = line.trim_start_matches('\u{feff}');
                        if let Some(k) = KINDS.iter().find(|k| line.starts_with(**k))
                            && let Some(Ok(id)) = line[k.len()..]
                                .split_whitespace()
                                .next()
                                .map(str::parse::<u32>)
                        {
                            if !(*from..=*to).contains(&id) {
                                return Err(format!("{}: {line}: not in {from}..{to}", f.path));
                            }
                            n += 1;
                        }
                    }
                }
                same("object declarations", wrong_count(*count, wrong), n)
            }
            Check::Entry {
                kind,
                object_kind,
                ids,
                names,
            } => {
                let new_name = wrong_text(names.1, wrong);
                let hits = r
                    .out
                    .mapping
                    .mapping
                    .iter()
                    .filter(|e| {
                        e.kind == *kind
                            && e.object_kind == *object_kind
                            && e.old_name == names.0
                            && e.new_name == new_name
                            && match *ids {
                                Some((a, b)) => e.old_id == Some(a) && e.new_id == Some(b),
                                None => e.old_id == e.new_id,
                            }
                    })
                    .count();
                if hits == 1 {
                    Ok(())
                } else {
                    Err(format!(
                        "mapping entry {kind} {object_kind} {ids:?} {names:?}: {hits} in {:#?}",
                        r.out.mapping.mapping
                    ))
                }
            }
            Check::Renumbered { objects, members } => {
                let o = rep.renumbered.iter().filter(|e| e.kind == "object").count();
                same(
                    "renumbered (objects, members)",
                    (wrong_count(*objects, wrong), *members),
                    (o, rep.renumbered.len() - o),
                )
            }
            Check::Renamed(n) => same("renamed", wrong_count(*n, wrong), rep.renamed.len()),
            Check::Shortened(want) => {
                let got: Vec<(&str, &str)> = rep
                    .shortened
                    .iter()
                    .map(|s| (s.old.as_str(), s.new.as_str()))
                    .collect();
                same("shortened", wrong_list(want, ("", ""), wrong), got)
            }
            Check::Identity(want) => {
                let got: Vec<(&str, &str, &str)> = rep
                    .identity
                    .iter()
                    .map(|i| (i.property.as_str(), i.old.as_str(), i.new.as_str()))
                    .collect();
                same("identity", wrong_list(want, ("", "", ""), wrong), got)
            }
            Check::NewIdGenerated(b) => same("new id generated", *b != wrong, rep.new_id_generated),
            Check::Affix(a) => same(
                "affix",
                a.map(|a| wrong_text(a, wrong))
                    .or_else(|| wrong.then(String::new)),
                rep.affix.clone(),
            ),
            Check::FilesTouched(want) => {
                let mut got: Vec<&str> = rep.files_touched.iter().map(String::as_str).collect();
                got.sort_unstable();
                same("files touched", wrong_list(want, "", wrong), got)
            }
            Check::Dependents(want) => {
                let got: Vec<(&str, Vec<&str>, usize)> = rep
                    .dependents
                    .iter()
                    .map(|d| {
                        let mut f: Vec<&str> = d.files_touched.iter().map(String::as_str).collect();
                        f.sort_unstable();
                        (d.label.as_str(), f, d.edits)
                    })
                    .collect();
                let want: Vec<(&str, Vec<&str>, usize)> = want
                    .iter()
                    .map(|(l, f, n)| (*l, f.clone(), wrong_count(*n, wrong)))
                    .collect();
                same("dependents", want, got)
            }
            Check::Proven => same(
                "verification proven",
                !wrong,
                rep.verification == Verification::Proven,
            ),
            Check::Full(subs) => match &rep.verification {
                Verification::Full { reason } => {
                    has_all("verification reason", reason, subs, wrong)
                }
                v => Err(format!("verification: want full, got {v:?}")),
            },
            Check::Unresolved(n) => {
                same("unresolved", wrong_count(*n, wrong), rep.unresolved.len())
            }
            Check::Missing(want) => {
                let mut got: Vec<String> = rep
                    .missing_objects
                    .iter()
                    .map(|m| format!("{} {}", m.kind, m.name))
                    .collect();
                got.sort();
                let want: Vec<String> = wrong_list(want, "?", wrong)
                    .iter()
                    .map(|s| (*s).to_string())
                    .collect();
                same("missing objects", want, got)
            }
            Check::PossiblyStale(want) => {
                let got: Vec<String> = rep
                    .possibly_stale
                    .iter()
                    .map(|s| format!("{}:{}:{} {}", s.at.file, s.at.line, s.at.column, s.old))
                    .collect();
                let want: Vec<String> = wrong_list(want, "?", wrong)
                    .iter()
                    .map(|s| (*s).to_string())
                    .collect();
                same("possibly stale", want, got)
            }
            Check::UpdatedByName(want) => {
                let got: Vec<String> = rep
                    .updated_by_name
                    .iter()
                    .map(|s| {
                        format!(
                            "{}:{}:{} {} -> {}",
                            s.at.file,
                            s.at.line,
                            s.at.column,
                            s.old,
                            s.new.as_deref().unwrap_or("-")
                        )
                    })
                    .collect();
                let want: Vec<String> = wrong_list(want, "?", wrong)
                    .iter()
                    .map(|s| (*s).to_string())
                    .collect();
                same("updated by name", want, got)
            }
            Check::SideBySide(b) => same(
                "side by side possible",
                *b != wrong,
                rep.side_by_side.possible,
            ),
            Check::Shared {
                ids,
                names,
                members,
            } => {
                let s = &rep.side_by_side.shared;
                same(
                    "shared (ids, names, members)",
                    (wrong_list(ids, "?", wrong), names.clone(), members.clone()),
                    (
                        s.shared_ids.iter().map(String::as_str).collect(),
                        s.shared_names.iter().map(String::as_str).collect(),
                        s.shared_members.iter().map(String::as_str).collect(),
                    ),
                )
            }
            Check::LeftForUser(sub) => {
                let sub = wrong_text(sub, wrong);
                if rep.left_for_the_user.iter().any(|l| l.contains(&sub)) {
                    Ok(())
                } else {
                    Err(format!(
                        "left for the user: {sub:?} not in {:#?}",
                        rep.left_for_the_user
                    ))
                }
            }
            Check::Plan {
                objects,
                members,
                names,
            } => {
                let p = plan_project(r.input, r.opts).map_err(|e| format!("plan: {e}"))?;
                let planned = (
                    p.plan.object_ids.len(),
                    p.plan.member_ids.len(),
                    p.plan.names.len(),
                );
                let o = rep.renumbered.iter().filter(|e| e.kind == "object").count();
                let reported = (o, rep.renumbered.len() - o, rep.renamed.len());
                same("plan agrees with the report", planned, reported)?;
                same(
                    "plan (objects, members, names)",
                    (wrong_count(*objects, wrong), *members, *names),
                    planned,
                )
            }
        }
    }
}

impl Refusal {
    fn eval(&self, e: &MoveError, wrong: bool) -> Result<(), String> {
        let ok = match (self, e) {
            (Refusal::Input(sub), MoveError::Input(m)) => m.contains(&wrong_text(sub, wrong)),
            (
                Refusal::Unresolved {
                    missing,
                    refs,
                    one_ref,
                },
                MoveError::Unresolved {
                    missing: m,
                    refs: r,
                },
            ) => {
                let mut got: Vec<String> = m.iter().map(|(k, n)| format!("{k} {n}")).collect();
                got.sort();
                got == missing.iter().map(|s| (*s).to_string()).collect::<Vec<_>>()
                    && r.len() == wrong_count(*refs, wrong)
                    && one_ref.is_none_or(|t| r.iter().any(|u| u.text == t))
            }
            (Refusal::OutOfIds(what), MoveError::OutOfIds { what: w }) => {
                *w == wrong_text(what, wrong)
            }
            (Refusal::AffixMissing(to), MoveError::AffixMissing(t)) => *t == wrong_text(to, wrong),
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(format!("refused with {e:?}"))
        }
    }
}

fn run_scenario(s: &Scenario) -> Result<(), Vec<String>> {
    let mut progress = |_: &str, _: usize, _: usize| {};
    let mut opts = s.opts.clone();
    if let Some(t) = s.mapping_text {
        match MoveMapping::parse(t) {
            Ok(m) => opts.mapping = Some(m),
            Err(e) => return check_refusal(&s.expect, &e),
        }
    }
    // The first move, when there is one: the scenario runs on its output.
    let (input, deps_in) = match &s.first {
        None => (s.project.clone(), s.dependents.clone()),
        Some(f) => {
            let out = move_app(&s.project, &s.deps, &s.dependents, &f.opts, &mut progress)
                .map_err(|e| vec![format!("first move: {e}")])?;
            if opts.mapping.is_none() {
                opts.mapping = Some(out.mapping.clone());
            }
            if f.on_original {
                (s.project.clone(), s.dependents.clone())
            } else {
                let mut files = out.files;
                if let Some(t) = f.tamper {
                    t(&mut files);
                }
                let deps = s
                    .dependents
                    .iter()
                    .zip(out.dependents)
                    .map(|(d, files)| Dependent {
                        label: d.label.clone(),
                        files,
                    })
                    .collect();
                (files, deps)
            }
        }
    };
    let result = move_app(&input, &s.deps, &deps_in, &opts, &mut progress);
    let checks = match (&s.expect, result) {
        (Expect::Refused(_), Err(e)) => return check_refusal(&s.expect, &e),
        (Expect::Refused(_), Ok(_)) => return Err(vec!["moved, but should be refused".into()]),
        (Expect::Moved(_), Err(e)) => return Err(vec![format!("refused: {e} ({e:?})")]),
        (Expect::Moved(c), Ok(out)) => (c, out),
    };
    let (checks, out) = checks;
    if std::env::var_os("SCENARIO_DUMP").is_some() {
        for (label, old, new) in out.changes(&input, &deps_in) {
            println!(
                "=== {}: {label}\n--- old\n{}\n--- new\n{}",
                s.name,
                String::from_utf8_lossy(&old),
                String::from_utf8_lossy(&new)
            );
        }
        println!("=== {}: report\n{:#?}", s.name, out.report);
    }
    let run = Run {
        original: &s.project,
        original_deps: &s.dependents,
        input: &input,
        opts: &opts,
        out: &out,
    };
    let mut failures = Vec::new();
    for c in checks {
        if let Err(e) = c.eval(&run, false) {
            failures.push(format!("{c:?}\n    {}", e.replace('\n', "\n    ")));
        } else if c.eval(&run, true).is_ok() {
            failures.push(format!(
                "{c:?}\n    cannot fail: passes a wrong expectation too"
            ));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures)
    }
}

fn check_refusal(expect: &Expect, e: &MoveError) -> Result<(), Vec<String>> {
    let Expect::Refused(r) = expect else {
        return Err(vec![format!("refused: {e} ({e:?})")]);
    };
    r.eval(e, false).map_err(|m| vec![m])?;
    if r.eval(e, true).is_ok() {
        return Err(vec!["the refusal check cannot fail".into()]);
    }
    Ok(())
}

#[test]
fn scenarios() {
    let only = std::env::var("SCENARIO").ok();
    let table = table();
    let mut names = std::collections::BTreeSet::new();
    for s in &table {
        assert!(names.insert(s.name), "two scenarios named {}", s.name);
    }
    let mut failed = Vec::new();
    let mut ran = 0;
    for s in table
        .iter()
        .filter(|s| only.as_deref().is_none_or(|o| s.name.contains(o)))
    {
        ran += 1;
        let result = run_scenario(s);
        match (s.expect_bug, result) {
            (None, Ok(())) => {}
            (None, Err(f)) => failed.push(format!("{}:\n  {}", s.name, f.join("\n  "))),
            (Some(bug), Err(f)) => println!(
                "note: scenario {} skipped, known bug: {bug}\n  {}",
                s.name,
                f.join("\n  ")
            ),
            (Some(bug), Ok(())) => println!(
                "note: scenario {} passes now, the bug may be fixed ({bug}): remove expect_bug",
                s.name
            ),
        }
    }
    assert!(ran > 0, "no scenario matches SCENARIO={only:?}");
    assert!(
        failed.is_empty(),
        "{} of {ran} scenario(s) failed:\n{}",
        failed.len(),
        failed.join("\n\n")
    );
}

// ---------------------------------------------------------------------------------------
// Building rows.
// ---------------------------------------------------------------------------------------

fn files(list: &[(&str, &str)]) -> Vec<ProjectFile> {
    list.iter()
        .map(|(p, t)| ProjectFile::new(*p, t.as_bytes().to_vec()))
        .collect()
}

/// An app.json with `dependencies` (JSON array text) and one range.
fn app_json(id: &str, name: &str, deps: &str, from: u32, to: u32) -> String {
    format!(
        "{{
  \"id\": \"{id}\",
  \"name\": \"{name}\",
  \"publisher\": \"Contoso\",
  \"version\": \"1.0.0.0\",
  \"dependencies\": {deps},
  \"idRanges\": [
    {{ \"from\": {from}, \"to\": {to} }}
  ]
}}
"
    )
}

/// The dependency entry of the base app ([`base`]).
fn base_dep() -> String {
    format!(
        "[
    {{ \"id\": \"{BASE_ID}\", \"name\": \"Base\", \"publisher\": \"Microsoft\",
      \"version\": \"24.0.0.0\" }}
  ]"
    )
}

/// A small base app (its sources as dependency symbols): Customer, Customer Card, the
/// Sales Line Type enum.
fn base() -> Dependencies {
    let manifest = al_manifest::AppManifest::from_json_str(&format!(
        r#"{{"id":"{BASE_ID}","name":"Base","publisher":"Microsoft","version":"24.0.0.0"}}"#
    ))
    .unwrap();
    let src = vec![
        SourceText::new(
            "Customer.Table.al",
            b"table 18 Customer
{
    fields
    {
        field(1; \"No.\"; Code[20]) { }
        field(2; Name; Text[100]) { }
    }
}
"
            .to_vec(),
        ),
        SourceText::new(
            "CustomerCard.Page.al",
            b"page 21 \"Customer Card\"
{
    SourceTable = Customer;
    layout
    {
        area(Content)
        {
            field(\"No.\"; Rec.\"No.\") { }
            field(Name; Rec.Name) { }
        }
    }
}
"
            .to_vec(),
        ),
        SourceText::new(
            "SalesLineType.Enum.al",
            b"enum 37 \"Sales Line Type\"
{
    Extensible = true;
    value(0; \" \") { }
    value(1; Item) { }
}
"
            .to_vec(),
        ),
    ];
    Dependencies {
        sources: vec![ParsedApp::parse(app_info(&manifest), src)],
        packages: Vec::new(),
    }
}

/// A project's sources as dependency symbols.
fn symbols_of(project: &[ProjectFile]) -> Dependencies {
    let app = project.iter().find(|f| f.path == "app.json").unwrap();
    let manifest = al_manifest::AppManifest::from_json_str(&text(&app.bytes)).unwrap();
    let src = project
        .iter()
        .filter(|f| f.path.ends_with(".al"))
        .map(|f| SourceText::new(f.path.clone(), f.bytes.clone()))
        .collect();
    Dependencies {
        sources: vec![ParsedApp::parse(app_info(&manifest), src)],
        packages: Vec::new(),
    }
}

/// Options of a move to AppSource in 70000000..70000099 with affix `ABC` and the app id
/// [`NEW_ID`].
fn to_appsource() -> MoveOptions {
    let mut o = MoveOptions::to(Scope::APPSOURCE, GENERATED_ID);
    o.ranges = vec![IdRange::new(70_000_000, 70_000_099)];
    o.affix = Some("ABC".into());
    o.id = Some(NEW_ID.into());
    o
}

fn with(mut o: MoveOptions, f: impl FnOnce(&mut MoveOptions)) -> MoveOptions {
    f(&mut o);
    o
}

fn moved(
    name: &'static str,
    project: Vec<ProjectFile>,
    opts: MoveOptions,
    checks: Vec<Check>,
) -> Scenario {
    Scenario {
        name,
        project,
        dependents: Vec::new(),
        deps: Dependencies::default(),
        opts,
        mapping_text: None,
        first: None,
        expect: Expect::Moved(checks),
        expect_bug: None,
    }
}

fn refused(
    name: &'static str,
    project: Vec<ProjectFile>,
    opts: MoveOptions,
    r: Refusal,
) -> Scenario {
    Scenario {
        expect: Expect::Refused(r),
        ..moved(name, project, opts, Vec::new())
    }
}

impl Scenario {
    fn deps(mut self, d: Dependencies) -> Self {
        self.deps = d;
        self
    }
    fn dependent(mut self, label: &str, files: Vec<ProjectFile>) -> Self {
        self.dependents.push(Dependent {
            label: label.into(),
            files,
        });
        self
    }
    fn mapping(mut self, text: &'static str) -> Self {
        self.mapping_text = Some(text);
        self
    }
    fn after(mut self, first: MoveOptions) -> Self {
        self.first = Some(First {
            opts: first,
            on_original: false,
            tamper: None,
        });
        self
    }
    fn on_original(mut self) -> Self {
        if let Some(f) = &mut self.first {
            f.on_original = true;
        }
        self
    }
    fn tamper(mut self, t: fn(&mut Vec<ProjectFile>)) -> Self {
        if let Some(f) = &mut self.first {
            f.tamper = Some(t);
        }
        self
    }
    /// Marks a row that shows a known bug (none today: the two this table found are fixed).
    #[allow(dead_code)]
    fn expect_bug(mut self, why: &'static str) -> Self {
        self.expect_bug = Some(why);
        self
    }
}

/// Options of the reverse of a move (the mapping comes from the first move).
fn reverse() -> MoveOptions {
    with(MoveOptions::to(Scope::Dev, GENERATED_ID), |o| {
        o.reverse = true
    })
}

fn has(p: &'static str, subs: &[&'static str]) -> Check {
    Check::Has(p, subs.to_vec())
}

fn lacks(p: &'static str, subs: &[&'static str]) -> Check {
    Check::Lacks(p, subs.to_vec())
}

fn entry(
    kind: &'static str,
    object_kind: &'static str,
    ids: Option<(u32, u32)>,
    old: &'static str,
    new: &'static str,
) -> Check {
    Check::Entry {
        kind,
        object_kind,
        ids,
        names: (old, new),
    }
}

// ---------------------------------------------------------------------------------------
// Projects.
// ---------------------------------------------------------------------------------------

/// The small "Points" app: a table, a page on it and a codeunit using both.
fn points() -> Vec<ProjectFile> {
    files(&[
        ("app.json", &app_json(APP_ID, "Points", "[]", 50100, 50149)),
        ("src/RewardPoint.Table.al", POINT_TABLE),
        ("src/RewardPoints.Page.al", POINT_PAGE),
        ("src/PointMgt.Codeunit.al", POINT_CU),
    ])
}

const POINT_TABLE: &str = "table 50100 \"Reward Point\"
{
    LookupPageId = \"Reward Points\";

    fields
    {
        field(1; \"Entry No.\"; Integer) { }
        field(2; Points; Integer) { }
    }
}
";

const POINT_PAGE: &str = "page 50100 \"Reward Points\"
{
    PageType = List;
    SourceTable = \"Reward Point\";

    layout
    {
        area(Content)
        {
            repeater(Lines)
            {
                field(Points; Rec.Points) { }
            }
        }
    }
}
";

const POINT_CU: &str = "codeunit 50100 \"Point Mgt\"
{
    procedure Add(var Point: Record \"Reward Point\")
    begin
        Point.Points += 1;
        Point.Modify();
        Page.Run(50100, Point);
        Codeunit.Run(Codeunit::\"Point Mgt\");
    end;
}
";

/// The bundled example app `examples/loyalty` (namespace `Contoso.Loyalty`).
fn loyalty() -> Vec<ProjectFile> {
    macro_rules! ex {
        ($p:literal) => {
            ProjectFile::new(
                $p,
                include_bytes!(concat!("../../examples/loyalty/", $p)).to_vec(),
            )
        };
    }
    vec![
        ex!("app.json"),
        ex!("src/Codeunits/LoyaltyManagement.Codeunit.al"),
        ex!("src/Enums/LoyaltyLevel.Enum.al"),
        ex!("src/Enums/SalesLineTypeLoyalty.EnumExt.al"),
        ex!("src/Pages/CustomerCardLoyalty.PageExt.al"),
        ex!("src/Pages/LoyaltyTiers.Page.al"),
        ex!("src/Permissions/LoyaltyAdmin.PermissionSet.al"),
        ex!("src/Queries/CustomerPoints.Query.al"),
        ex!("src/Reports/LoyaltyPointsStatement.Report.al"),
        ex!("src/Reports/LoyaltyPointsStatement.rdlc"),
        ex!("src/Tables/CustomerLoyalty.TableExt.al"),
        ex!("src/Tables/LoyaltyTier.Table.al"),
    ]
}

/// The bundled example app `examples/loyalty-rewards`, which depends on [`loyalty`].
fn rewards() -> Vec<ProjectFile> {
    macro_rules! ex {
        ($p:literal) => {
            ProjectFile::new(
                $p,
                include_bytes!(concat!("../../examples/loyalty-rewards/", $p)).to_vec(),
            )
        };
    }
    vec![
        ex!("app.json"),
        ex!("src/LoyaltyReward.Table.al"),
        ex!("src/RewardCalculator.Codeunit.al"),
    ]
}

const LOYALTY_APP_JSON: &str = include_str!("../../examples/loyalty/app.json");
const REWARDS_APP_JSON: &str = include_str!("../../examples/loyalty-rewards/app.json");

/// A translation file of the loyalty example with units under the table extension's
/// field `Loyalty Points` and under the table `Loyalty Tier` (ids are name hashes).
fn loyalty_xlf() -> String {
    use al_manifest::xlf::name_hash as h;
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file datatype="xml" source-language="en-US" target-language="de-DE" original="Customer Loyalty">
    <body>
      <group id="body">
        <trans-unit id="TableExtension {} - Field {} - Property {}" size-limit="2147483647" translate="yes" xml:space="preserve" al-object-target="Table {}">
          <source>Loyalty Points</source>
          <target>Treuepunkte</target>
          <note from="Xliff Generator" annotates="general" priority="3">TableExtension Customer Loyalty - Field Loyalty Points - Property Caption</note>
        </trans-unit>
        <trans-unit id="Table {} - Property {}" size-limit="2147483647" translate="yes" xml:space="preserve">
          <source>Loyalty Tier</source>
          <target>Treuestufe</target>
          <note from="Xliff Generator" annotates="general" priority="3">Table Loyalty Tier - Property Caption</note>
        </trans-unit>
      </group>
    </body>
  </file>
</xliff>
"#,
        h("Customer Loyalty"),
        h("Loyalty Points"),
        h("Caption"),
        h("Customer"),
        h("Loyalty Tier"),
        h("Caption"),
    )
}

/// [`loyalty`] with [`loyalty_xlf`].
fn loyalty_translated() -> Vec<ProjectFile> {
    let mut p = loyalty();
    p.push(ProjectFile::new(
        "Translations/Customer Loyalty.de-DE.xlf",
        loyalty_xlf().into_bytes(),
    ));
    p
}

/// The options of the CLI tests' move of the example: AppSource, 70000000..70000099,
/// affix CLY, app id [`NEW_ID`], unresolved references (the base app's) allowed.
fn loyalty_to_appsource() -> MoveOptions {
    with(to_appsource(), |o| {
        o.affix = Some("CLY".into());
        o.allow_unresolved = true;
    })
}

/// A dependent of [`points`] ("Bonus"): its own codeunit uses the table, the page and the
/// codeunit of the app.
fn bonus() -> Vec<ProjectFile> {
    files(&[
        ("app.json", BONUS_APP_JSON),
        ("src/BonusMgt.Codeunit.al", BONUS_CU),
    ])
}

const BONUS_APP_JSON: &str = r#"{
  "id": "a7c2e9d4-3b18-4f6a-9e05-6d1b8c4f2e37",
  "name": "Bonus",
  "publisher": "Fabrikam",
  "version": "3.1.0.0",
  "dependencies": [
    {
      "id": "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11",
      "name": "Points",
      "publisher": "Contoso",
      "version": "1.0.0.0"
    }
  ],
  "idRanges": [ { "from": 50150, "to": 50199 } ]
}
"#;

const BONUS_CU: &str = "codeunit 50150 \"Bonus Mgt\"
{
    procedure Grant()
    var
        Point: Record \"Reward Point\";
        PointMgt: Codeunit \"Point Mgt\";
    begin
        Point.Points := 10;
        PointMgt.Add(Point);
        Page.Run(Page::\"Reward Points\", Point);
    end;
}
";

/// Table and enum extensions of the [`base`] app, an own enum, a page extension and a
/// codeunit using them all.
fn extensions() -> Vec<ProjectFile> {
    files(&[
        (
            "app.json",
            &app_json(APP_ID, "Bonus Ext", &base_dep(), 50100, 50149),
        ),
        ("src/CustomerBonus.TableExt.al", EXT_TABLEEXT),
        ("src/SalesLineBonus.EnumExt.al", EXT_ENUMEXT),
        ("src/BonusLevel.Enum.al", EXT_ENUM),
        ("src/CustomerCardBonus.PageExt.al", EXT_PAGEEXT),
        ("src/BonusMgt.Codeunit.al", EXT_CU),
    ])
}

const EXT_TABLEEXT: &str = "tableextension 50100 \"Customer Bonus\" extends Customer
{
    fields
    {
        field(50100; \"Bonus Points\"; Integer) { }
        field(50101; \"Bonus Level\"; Enum \"Bonus Level\") { }
    }
}
";

const EXT_ENUMEXT: &str = "enumextension 50100 \"Sales Line Bonus\" extends \"Sales Line Type\"
{
    value(50100; \"Bonus Line\") { }
    value(50101; \"Bonus Credit\") { }
}
";

const EXT_ENUM: &str = "enum 50100 \"Bonus Level\"
{
    Extensible = true;
    value(0; None) { }
    value(1; Gold) { }
}
";

const EXT_PAGEEXT: &str = "pageextension 50100 \"Customer Card Bonus\" extends \"Customer Card\"
{
    layout
    {
        addafter(Name)
        {
            field(BonusPoints; Rec.\"Bonus Points\") { }
        }
    }
}
";

const EXT_CU: &str = "codeunit 50100 \"Bonus Mgt\"
{
    procedure Grant(var Customer: Record Customer; var LineType: Enum \"Sales Line Type\")
    begin
        Customer.\"Bonus Points\" += 1;
        Customer.\"Bonus Level\" := Enum::\"Bonus Level\"::Gold;
        LineType := LineType::\"Bonus Line\";
        Customer.Validate(\"Bonus Points\");
    end;
}
";

/// [`points`] with one more file.
fn points_and(path: &str, text: &str) -> Vec<ProjectFile> {
    let mut p = points();
    p.push(ProjectFile::new(path, text.as_bytes().to_vec()));
    p
}

/// Names at the 30-character limit: a table and a table-extension field of the [`base`]
/// app's Customer, referenced from a codeunit.
fn long_names() -> Vec<ProjectFile> {
    files(&[
        (
            "app.json",
            &app_json(APP_ID, "Long", &base_dep(), 50100, 50149),
        ),
        (
            "src/Ledger.Table.al",
            "table 50100 \"Customer Loyalty Points Ledger\"
{
    fields
    {
        field(1; \"Entry No.\"; Integer) { }
    }
}
",
        ),
        (
            "src/Customer.TableExt.al",
            "tableextension 50100 \"Cust Ext\" extends Customer
{
    fields
    {
        field(50100; \"Loyalty Points Balance Amount\"; Integer) { }
    }
}
",
        ),
        (
            "src/Use.Codeunit.al",
            "codeunit 50100 \"Use Ledger\"
{
    procedure Run(var C: Record Customer)
    var
        L: Record \"Customer Loyalty Points Ledger\";
    begin
        C.\"Loyalty Points Balance Amount\" := L.Count();
    end;
}
",
        ),
    ])
}

/// UTF-16 LE with BOM.
fn utf16(text: &str) -> Vec<u8> {
    let mut v = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        v.extend_from_slice(&u.to_le_bytes());
    }
    v
}

/// UTF-8 with BOM.
fn bom(text: &str) -> Vec<u8> {
    let mut v = vec![0xEF, 0xBB, 0xBF];
    v.extend_from_slice(text.as_bytes());
    v
}

/// [`points`] with the codeunit in UTF-16 and the page in UTF-8 with a BOM.
fn points_encoded() -> Vec<ProjectFile> {
    let mut p = points();
    for f in &mut p {
        if f.path == "src/PointMgt.Codeunit.al" {
            *f = ProjectFile::new(f.path.clone(), utf16(POINT_CU));
        } else if f.path == "src/RewardPoints.Page.al" {
            *f = ProjectFile::new(f.path.clone(), bom(POINT_PAGE));
        }
    }
    p
}

const LAUNCH_JSON: &str = "{
  // debug
  \"version\": \"0.2.0\",
  \"configurations\": [
    { \"name\": \"list\", \"type\": \"al\", \"startupObjectId\": 50100 },
    { \"name\": \"run\", \"startupObjectType\": \"Codeunit\", \"startupObjectId\": 50100 },
    { \"name\": \"other\", \"startupObjectType\": \"Page\", \"startupObjectId\": 22 }
  ]
}
";

const OBJIDCONFIG: &str = "{
  \"idRanges\": [
    { \"from\": 50100, \"to\": 50149, \"description\": \"all\" }
  ],
  \"appPoolId\": \"x\"
}
";

/// A translation of [`points`] (a caption of the table, a label of the codeunit), with
/// the names of the table and the codeunit given.
fn points_xlf_of(table: &str, codeunit: &str) -> String {
    use al_manifest::xlf::name_hash as h;
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file datatype="xml" source-language="en-US" target-language="de-DE" original="Points">
    <body>
      <group id="body">
        <trans-unit id="Table {} - Property {}" translate="yes" xml:space="preserve">
          <source>Reward Point</source>
          <target>Bonuspunkt</target>
          <note from="Xliff Generator" annotates="general" priority="3">Table {table} - Property Caption</note>
        </trans-unit>
        <trans-unit id="Codeunit {} - Method {} - NamedType {}" translate="yes" xml:space="preserve">
          <source>Added</source>
          <target>Addiert</target>
          <note from="Xliff Generator" annotates="general" priority="3">Codeunit {codeunit} - Method Add - NamedType AddedMsg</note>
        </trans-unit>
      </group>
    </body>
  </file>
</xliff>
"#,
        h(table),
        h("Caption"),
        h(codeunit),
        h("Add"),
        h("AddedMsg"),
    )
}

fn points_xlf() -> String {
    points_xlf_of("Reward Point", "Point Mgt")
}

/// [`points`] with launch.json, .objidconfig, AppSourceCop.json (no affix yet) and a
/// translation.
fn points_with_settings() -> Vec<ProjectFile> {
    let mut p = points();
    p.extend(files(&[
        (".vscode/launch.json", LAUNCH_JSON),
        (".objidconfig", OBJIDCONFIG),
        (
            "AppSourceCop.json",
            "{\n  \"supportedCountries\": [\"US\"]\n}\n",
        ),
        ("Translations/Points.de-DE.xlf", &points_xlf()),
    ]));
    p
}

/// Everything a reverse move has to restore: the settings files, a created
/// AppSourceCop.json, other encodings, and references spelled in another case or with
/// quotes they do not need.
fn points_for_reverse() -> Vec<ProjectFile> {
    let mut p = points_encoded();
    p.extend(files(&[
        (".vscode/launch.json", LAUNCH_JSON),
        (".objidconfig", OBJIDCONFIG),
        ("Translations/Points.de-DE.xlf", &points_xlf()),
        (
            "src/Spelling.Codeunit.al",
            "codeunit 50101 Helper
{
    procedure Run()
    var
        P: record \"reward point\";
        H: Codeunit \"Helper\";
    begin
        codeunit.run(codeunit::\"POINT MGT\");
        Page.Run(page::\"Reward Points\", P);
        H.Run();
    end;
}
",
        ),
    ]));
    p
}

/// [`points`] with a codeunit using the base app's Customer and an extension of its
/// Customer Card.
fn points_with_customer() -> Vec<ProjectFile> {
    let mut p = points_and(
        "src/CustomerPoints.Codeunit.al",
        "codeunit 50101 \"Customer Points\"
{
    procedure Total(var Customer: Record Customer): Text
    begin
        exit(Customer.Name);
    end;
}
",
    );
    p.push(ProjectFile::new(
        "src/CustomerCard.PageExt.al",
        b"pageextension 50100 \"Customer Card Points\" extends \"Customer Card\"
{
    layout
    {
        addafter(Name)
        {
            field(PointsName; Rec.Name) { }
        }
    }
}
"
        .to_vec(),
    ));
    p
}

/// Namespaced objects (two levels: no affix needed) of [`points`].
fn points_namespaced() -> Vec<ProjectFile> {
    let mut p = points();
    for f in &mut p {
        if f.path.ends_with(".al") {
            let t = format!("namespace Contoso.Points;\n\n{}", text(&f.bytes));
            *f = ProjectFile::new(f.path.clone(), t.into_bytes());
        }
    }
    p
}

/// [`POINT_TABLE`], [`POINT_PAGE`] and [`POINT_CU`] moved to AppSource with affix ABC.
fn point_table_moved() -> String {
    POINT_TABLE
        .replace(
            "table 50100 \"Reward Point\"",
            "table 70000000 \"ABC Reward Point\"",
        )
        .replace("\"Reward Points\"", "\"ABC Reward Points\"")
}

fn point_page_moved() -> String {
    POINT_PAGE
        .replace(
            "page 50100 \"Reward Points\"",
            "page 70000000 \"ABC Reward Points\"",
        )
        .replace("\"Reward Point\";", "\"ABC Reward Point\";")
}

fn point_cu_moved() -> String {
    POINT_CU
        .replace(
            "codeunit 50100 \"Point Mgt\"",
            "codeunit 70000000 \"ABC Point Mgt\"",
        )
        .replace("Record \"Reward Point\"", "Record \"ABC Reward Point\"")
        .replace("Page.Run(50100", "Page.Run(70000000")
        .replace("Codeunit::\"Point Mgt\"", "Codeunit::\"ABC Point Mgt\"")
}

// ---------------------------------------------------------------------------------------
// The table.
// ---------------------------------------------------------------------------------------

fn table() -> Vec<Scenario> {
    vec![
        moved(
            "pte_to_appsource_renumbers_and_affixes",
            points(),
            to_appsource(),
            vec![
                Check::Text("src/RewardPoint.Table.al", point_table_moved()),
                Check::Text("src/RewardPoints.Page.al", point_page_moved()),
                Check::Text("src/PointMgt.Codeunit.al", point_cu_moved()),
                // Identity and ranges set; the ranges array is rewritten in app.json's
                // usual layout.
                Check::Text(
                    "app.json",
                    format!(
                        "{{
  \"id\": \"{NEW_ID}\",
  \"name\": \"Points\",
  \"publisher\": \"Contoso\",
  \"version\": \"2.0.0.0\",
  \"dependencies\": [],
  \"idRanges\": [
    {{
      \"from\": 70000000,
      \"to\": 70000099
    }}
  ]
}}
"
                    ),
                ),
                Check::Renumbered {
                    objects: 3,
                    members: 0,
                },
                Check::Renamed(3),
                entry(
                    "object",
                    "table",
                    Some((50100, 70_000_000)),
                    "Reward Point",
                    "ABC Reward Point",
                ),
                entry(
                    "object",
                    "page",
                    Some((50100, 70_000_000)),
                    "Reward Points",
                    "ABC Reward Points",
                ),
                entry(
                    "object",
                    "codeunit",
                    Some((50100, 70_000_000)),
                    "Point Mgt",
                    "ABC Point Mgt",
                ),
                Check::Identity(vec![
                    ("id", APP_ID, NEW_ID),
                    ("version", "1.0.0.0", "2.0.0.0"),
                    ("idRanges", "50100..50149", "70000000..70000099"),
                ]),
                Check::NewIdGenerated(false),
                Check::Affix(Some("ABC")),
                Check::Proven,
                Check::Unresolved(0),
                Check::Missing(vec![]),
                Check::SideBySide(true),
                Check::Created("AppSourceCop.json"),
                Check::Plan {
                    objects: 3,
                    members: 0,
                    names: 3,
                },
            ],
        ),
        // The CLI's move of the bundled example (was cli_move::pte_to_appsource_on_the_example).
        moved(
            "loyalty_example_pte_to_appsource",
            loyalty(),
            loyalty_to_appsource(),
            vec![
                Check::ObjectIdsIn {
                    from: 70_000_000,
                    to: 70_000_099,
                    count: 10,
                },
                // Table-extension fields and the enum-extension value renumbered and affixed.
                has(
                    "src/Tables/CustomerLoyalty.TableExt.al",
                    &[
                        "field(70000000; \"CLY Loyalty Tier Code\"",
                        "field(70000001; \"CLY Loyalty Points\"",
                        "Rec.\"CLY Loyalty Points\"",
                        // Objects in a two-level namespace keep their names.
                        "LoyaltyMgt: Codeunit \"Loyalty Management\";",
                    ],
                ),
                has(
                    "src/Enums/SalesLineTypeLoyalty.EnumExt.al",
                    &[
                        "value(70000000; \"CLY Loyalty Reward\")",
                        // Captions are not names.
                        "Caption = 'Loyalty Reward';",
                    ],
                ),
                // Page-extension controls and actions carry the affix; field references follow.
                has(
                    "src/Pages/CustomerCardLoyalty.PageExt.al",
                    &[
                        "field(CLYLoyaltyTierCode; Rec.\"CLY Loyalty Tier Code\")",
                        "field(CLYLoyaltyPoints; Rec.\"CLY Loyalty Points\")",
                        "action(CLYShowTiers)",
                    ],
                ),
                lacks(
                    "src/Pages/CustomerCardLoyalty.PageExt.al",
                    &["\"Loyalty Points\""],
                ),
                // References in other objects, the event subscriber's element included.
                has(
                    "src/Codeunits/LoyaltyManagement.Codeunit.al",
                    &[
                        "codeunit 70000000 \"Loyalty Management\"",
                        "Report.Run(70000000, true, false, Customer)",
                        "Customer.Validate(\"CLY Loyalty Points\"",
                        "'OnAfterValidateEvent', 'CLY Loyalty Points'",
                    ],
                ),
                lacks("src/Codeunits/LoyaltyManagement.Codeunit.al", &["50100"]),
                has(
                    "src/Tables/LoyaltyTier.Table.al",
                    &[
                        "Customer.SetRange(\"CLY Loyalty Tier Code\"",
                        "DrillDownPageId = 70000000;",
                    ],
                ),
                // app.json: new id, next major version, idRanges; every other byte kept.
                Check::Text(
                    "app.json",
                    LOYALTY_APP_JSON
                        .replace(APP_ID, NEW_ID)
                        .replace("\"1.2.0.0\"", "\"2.0.0.0\"")
                        .replace("50100", "70000000")
                        .replace("50149", "70000099"),
                ),
                Check::Unchanged("src/Reports/LoyaltyPointsStatement.rdlc"),
                entry(
                    "field",
                    "tableextension",
                    Some((50101, 70_000_001)),
                    "Loyalty Points",
                    "CLY Loyalty Points",
                ),
                entry(
                    "object",
                    "report",
                    Some((50100, 70_000_000)),
                    "Loyalty Points Statement",
                    "Loyalty Points Statement",
                ),
                Check::Renumbered {
                    objects: 10,
                    members: 3,
                },
                // No symbols of the base app: its objects are missing, references to their
                // members are updated by name, the anchor `addafter(Name)` stays unresolved.
                Check::Missing(vec![
                    "codeunit Sales-Post",
                    "enum Sales Line Type",
                    "page Customer Card",
                    "table Customer",
                    "table Sales Header",
                ]),
                Check::Unresolved(1),
                Check::UpdatedByName(vec![
                    "src/Pages/CustomerCardLoyalty.PageExt.al:11:40 \
                     \"Loyalty Tier Code\" -> CLY Loyalty Tier Code",
                    "src/Pages/CustomerCardLoyalty.PageExt.al:16:38 \
                     \"Loyalty Points\" -> CLY Loyalty Points",
                    "src/Pages/CustomerCardLoyalty.PageExt.al:35:46 \
                     \"Loyalty Tier Code\" -> CLY Loyalty Tier Code",
                ]),
                Check::PossiblyStale(vec![]),
                Check::FilesTouched(vec![
                    "AppSourceCop.json",
                    "app.json",
                    "src/Codeunits/LoyaltyManagement.Codeunit.al",
                    "src/Enums/LoyaltyLevel.Enum.al",
                    "src/Enums/SalesLineTypeLoyalty.EnumExt.al",
                    "src/Pages/CustomerCardLoyalty.PageExt.al",
                    "src/Pages/LoyaltyTiers.Page.al",
                    "src/Permissions/LoyaltyAdmin.PermissionSet.al",
                    "src/Queries/CustomerPoints.Query.al",
                    "src/Reports/LoyaltyPointsStatement.Report.al",
                    "src/Tables/CustomerLoyalty.TableExt.al",
                    "src/Tables/LoyaltyTier.Table.al",
                ]),
                // Side by side: IDs and extension members differ now; the namespaced object
                // names do not (no affix is required for them).
                Check::SideBySide(false),
                Check::Shared {
                    ids: vec![],
                    names: vec![
                        "codeunit Contoso.Loyalty.\"Loyalty Management\"",
                        "enum Contoso.Loyalty.\"Loyalty Level\"",
                        "enumextension Contoso.Loyalty.\"Sales Line Type Loyalty\"",
                        "page Contoso.Loyalty.\"Loyalty Tiers\"",
                        "pageextension Contoso.Loyalty.\"Customer Card Loyalty\"",
                        "permissionset Contoso.Loyalty.\"Loyalty Admin\"",
                        "query Contoso.Loyalty.\"Customer Points\"",
                        "report Contoso.Loyalty.\"Loyalty Points Statement\"",
                        "table Contoso.Loyalty.\"Loyalty Tier\"",
                        "tableextension Contoso.Loyalty.\"Customer Loyalty\"",
                    ],
                    members: vec![],
                },
                Check::LeftForUser("apps that depend on this one were not given"),
                Check::Proven,
            ],
        ),
        moved(
            "dependent_app_follows_the_move",
            points(),
            to_appsource(),
            vec![
                // Its dependency entry points at the new identity; its own stays.
                Check::DepText(
                    0,
                    "app.json",
                    BONUS_APP_JSON
                        .replace(APP_ID, NEW_ID)
                        .replace("\"1.0.0.0\"", "\"2.0.0.0\""),
                ),
                Check::DepText(
                    0,
                    "src/BonusMgt.Codeunit.al",
                    BONUS_CU
                        .replace("Record \"Reward Point\"", "Record \"ABC Reward Point\"")
                        .replace("Codeunit \"Point Mgt\"", "Codeunit \"ABC Point Mgt\"")
                        .replace("Page::\"Reward Points\"", "Page::\"ABC Reward Points\""),
                ),
                Check::Dependents(vec![(
                    "bonus",
                    vec!["app.json", "src/BonusMgt.Codeunit.al"],
                    3,
                )]),
                Check::Unresolved(0),
                Check::Proven,
            ],
        )
        .dependent("bonus", bonus()),
        moved(
            "extension_fields_and_values_are_renumbered",
            extensions(),
            to_appsource(),
            vec![
                // Extension fields and values get IDs of the target range and the affix;
                // the own enum keeps its values.
                Check::Text(
                    "src/CustomerBonus.TableExt.al",
                    "tableextension 70000000 \"ABC Customer Bonus\" extends Customer
{
    fields
    {
        field(70000000; \"ABC Bonus Points\"; Integer) { }
        field(70000001; \"ABC Bonus Level\"; Enum \"ABC Bonus Level\") { }
    }
}
"
                    .into(),
                ),
                Check::Text(
                    "src/SalesLineBonus.EnumExt.al",
                    "enumextension 70000000 \"ABC Sales Line Bonus\" extends \"Sales Line Type\"
{
    value(70000000; \"ABC Bonus Line\") { }
    value(70000001; \"ABC Bonus Credit\") { }
}
"
                    .into(),
                ),
                Check::Text(
                    "src/BonusLevel.Enum.al",
                    "enum 70000000 \"ABC Bonus Level\"
{
    Extensible = true;
    value(0; None) { }
    value(1; Gold) { }
}
"
                    .into(),
                ),
                Check::Text(
                    "src/CustomerCardBonus.PageExt.al",
                    "pageextension 70000000 \"ABC Customer Card Bonus\" extends \"Customer Card\"
{
    layout
    {
        addafter(Name)
        {
            field(ABCBonusPoints; Rec.\"ABC Bonus Points\") { }
        }
    }
}
"
                    .into(),
                ),
                Check::Text(
                    "src/BonusMgt.Codeunit.al",
                    "codeunit 70000000 \"ABC Bonus Mgt\"
{
    procedure Grant(var Customer: Record Customer; var LineType: Enum \"Sales Line Type\")
    begin
        Customer.\"ABC Bonus Points\" += 1;
        Customer.\"ABC Bonus Level\" := Enum::\"ABC Bonus Level\"::Gold;
        LineType := LineType::\"ABC Bonus Line\";
        Customer.Validate(\"ABC Bonus Points\");
    end;
}
"
                    .into(),
                ),
                entry(
                    "field",
                    "tableextension",
                    Some((50101, 70_000_001)),
                    "Bonus Level",
                    "ABC Bonus Level",
                ),
                entry(
                    "value",
                    "enumextension",
                    Some((50100, 70_000_000)),
                    "Bonus Line",
                    "ABC Bonus Line",
                ),
                Check::Renumbered {
                    objects: 5,
                    members: 4,
                },
                Check::Unresolved(0),
                Check::Missing(vec![]),
                Check::Proven,
                Check::SideBySide(true),
            ],
        )
        .deps(base()),
        moved(
            "names_over_30_characters_are_shortened",
            long_names(),
            to_appsource(),
            vec![
                // 30 characters at most: words are shortened, the affix kept.
                Check::Text(
                    "src/Ledger.Table.al",
                    "table 70000000 \"ABC Customer Loyalty Pnts Ldgr\"
{
    fields
    {
        field(1; \"Entry No.\"; Integer) { }
    }
}
"
                    .into(),
                ),
                Check::Text(
                    "src/Customer.TableExt.al",
                    "tableextension 70000000 \"ABC Cust Ext\" extends Customer
{
    fields
    {
        field(70000000; \"ABC Loyalty Points Balanc Amnt\"; Integer) { }
    }
}
"
                    .into(),
                ),
                Check::Text(
                    "src/Use.Codeunit.al",
                    "codeunit 70000000 \"ABC Use Ledger\"
{
    procedure Run(var C: Record Customer)
    var
        L: Record \"ABC Customer Loyalty Pnts Ldgr\";
    begin
        C.\"ABC Loyalty Points Balanc Amnt\" := L.Count();
    end;
}
"
                    .into(),
                ),
                Check::Shortened(vec![
                    (
                        "Customer Loyalty Points Ledger",
                        "ABC Customer Loyalty Pnts Ldgr",
                    ),
                    (
                        "Loyalty Points Balance Amount",
                        "ABC Loyalty Points Balanc Amnt",
                    ),
                ]),
                Check::Renamed(4),
                Check::Proven,
            ],
        )
        .deps(base()),
        moved(
            "affixed_one_word_names_are_not_reported_as_shortened",
            files(&[
                ("app.json", &app_json(APP_ID, "Short", "[]", 50100, 50149)),
                ("src/Cust.Codeunit.al", "codeunit 50100 Cust { }\n"),
            ]),
            to_appsource(),
            vec![
                has("src/Cust.Codeunit.al", &["codeunit 70000000 ABCCust"]),
                Check::Shortened(vec![]),
            ],
        ),
        moved(
            "names_option_wins_over_the_affixed_name",
            points(),
            with(to_appsource(), |o| {
                o.names
                    .insert("reward point".into(), "ABC Point Entry".into());
            }),
            vec![
                // The key is compared case-insensitively; references follow the chosen name.
                Check::Text(
                    "src/RewardPoint.Table.al",
                    POINT_TABLE
                        .replace(
                            "table 50100 \"Reward Point\"",
                            "table 70000000 \"ABC Point Entry\"",
                        )
                        .replace("\"Reward Points\"", "\"ABC Reward Points\""),
                ),
                Check::Text(
                    "src/PointMgt.Codeunit.al",
                    POINT_CU
                        .replace(
                            "codeunit 50100 \"Point Mgt\"",
                            "codeunit 70000000 \"ABC Point Mgt\"",
                        )
                        .replace("Record \"Reward Point\"", "Record \"ABC Point Entry\"")
                        .replace("Page.Run(50100", "Page.Run(70000000")
                        .replace("Codeunit::\"Point Mgt\"", "Codeunit::\"ABC Point Mgt\""),
                ),
                has(
                    "src/RewardPoints.Page.al",
                    &["SourceTable = \"ABC Point Entry\";"],
                ),
                entry(
                    "object",
                    "table",
                    Some((50100, 70_000_000)),
                    "Reward Point",
                    "ABC Point Entry",
                ),
                Check::Proven,
            ],
        ),
        moved(
            "names_option_renames_what_the_move_keeps",
            points(),
            with(MoveOptions::to(Scope::Pte, GENERATED_ID), |o| {
                o.names
                    .insert("Point Mgt".into(), "Point Management".into());
            }),
            vec![
                Check::Text(
                    "src/PointMgt.Codeunit.al",
                    POINT_CU.replace("\"Point Mgt\"", "\"Point Management\""),
                ),
                Check::Renumbered {
                    objects: 0,
                    members: 0,
                },
                Check::Renamed(1),
                Check::Unchanged("app.json"),
                Check::Proven,
            ],
        ),
        moved(
            "csv_mapping_fixes_object_ids",
            points(),
            to_appsource(),
            vec![
                has(
                    "src/RewardPoint.Table.al",
                    &["table 70000050 \"ABC Reward Point\""],
                ),
                has(
                    "src/RewardPoints.Page.al",
                    &["page 70000000 \"ABC Reward Points\""],
                ),
                entry(
                    "object",
                    "table",
                    Some((50100, 70_000_050)),
                    "Reward Point",
                    "ABC Reward Point",
                ),
            ],
        )
        .mapping("type,oldId,newId\ntable,50100,70000050\n"),
        moved(
            "csv_mapping_fixes_extension_member_ids",
            extensions(),
            to_appsource(),
            vec![
                has(
                    "src/CustomerBonus.TableExt.al",
                    &["field(70000090; \"ABC Bonus Level\""],
                ),
                // A `field` row does not apply to enum values (the enum extension has the
                // same old ID and a value 50101).
                has(
                    "src/SalesLineBonus.EnumExt.al",
                    &["value(70000001; \"ABC Bonus Credit\")"],
                ),
            ],
        )
        .deps(base())
        .mapping("# fields by the extension's old ID\nfield,50101,70000090,50100\n"),
        moved(
            "csv_mapping_fixes_a_table_extension_field_id",
            long_names(),
            to_appsource(),
            vec![
                has(
                    "src/Customer.TableExt.al",
                    &["field(70000090; \"ABC Loyalty Points Balanc Amnt\""],
                ),
                entry(
                    "field",
                    "tableextension",
                    Some((50100, 70_000_090)),
                    "Loyalty Points Balance Amount",
                    "ABC Loyalty Points Balanc Amnt",
                ),
            ],
        )
        .deps(base())
        .mapping("type,oldId,newId,object\nfield,50100,70000090,50100\n"),
        // The mapping.json of a move, given to a move of the original project, repeats it:
        // the names chosen then come back without being given again.
        moved(
            "a_json_mapping_repeats_a_move",
            points(),
            to_appsource(),
            vec![
                has(
                    "src/RewardPoint.Table.al",
                    &["table 70000042 \"ABC Point Entry\""],
                ),
                has("src/PointMgt.Codeunit.al", &["Record \"ABC Point Entry\""]),
                Check::Text(
                    "src/RewardPoints.Page.al",
                    point_page_moved().replace("ABC Reward Point\";", "ABC Point Entry\";"),
                ),
            ],
        )
        .after(with(to_appsource(), |o| {
            o.names
                .insert("Reward Point".into(), "ABC Point Entry".into());
            o.mapping = Some(MoveMapping::parse("table,50100,70000042").unwrap());
        }))
        .on_original(),
        refused(
            "csv_mapping_with_a_bad_row_is_refused",
            points(),
            to_appsource(),
            Refusal::Input("mapping: line 2: IDs must be whole numbers: \"table,abc,1\""),
        )
        .mapping("table,50100,70000050\ntable,abc,1\n"),
        refused(
            "csv_mapping_of_an_unknown_object_is_refused",
            points(),
            to_appsource(),
            Refusal::Input("mapping: no table 50999 in the project"),
        )
        .mapping("table,50999,70000050\n"),
        moved(
            "affix_comes_from_appsourcecop_json",
            points_and("AppSourceCop.json", "{ \"mandatoryAffixes\": [\"XYZ\"] }\n"),
            with(to_appsource(), |o| o.affix = None),
            vec![
                has(
                    "src/PointMgt.Codeunit.al",
                    &["codeunit 70000000 \"XYZ Point Mgt\""],
                ),
                Check::Affix(Some("XYZ")),
                Check::Unchanged("AppSourceCop.json"),
                Check::Plan {
                    objects: 3,
                    members: 0,
                    names: 3,
                },
            ],
        ),
        moved(
            "suffix_affix_and_a_generated_id",
            points(),
            with(to_appsource(), |o| {
                o.id = None;
                o.affix_position = AffixPosition::Suffix;
            }),
            vec![
                has(
                    "src/PointMgt.Codeunit.al",
                    &[
                        "codeunit 70000000 \"Point Mgt ABC\"",
                        "Record \"Reward Point ABC\"",
                    ],
                ),
                Check::NewIdGenerated(true),
                Check::Identity(vec![
                    ("id", APP_ID, GENERATED_ID),
                    ("version", "1.0.0.0", "2.0.0.0"),
                    ("idRanges", "50100..50149", "70000000..70000099"),
                ]),
            ],
        ),
        moved(
            "explicit_identity_is_applied_when_the_move_needs_none",
            points(),
            with(MoveOptions::to(Scope::Pte, GENERATED_ID), |o| {
                o.from = Some(Scope::Pte);
                o.id = Some(NEW_ID.into());
                o.name = Some("Points Two".into());
                o.publisher = Some("Fabrikam".into());
                o.version = Some("3.0.0.0".parse().unwrap());
            }),
            vec![
                Check::Text(
                    "app.json",
                    app_json(NEW_ID, "Points Two", "[]", 50100, 50149)
                        .replace("Contoso", "Fabrikam")
                        .replace("1.0.0.0", "3.0.0.0"),
                ),
                Check::Identity(vec![
                    ("id", APP_ID, NEW_ID),
                    ("name", "Points", "Points Two"),
                    ("publisher", "Contoso", "Fabrikam"),
                    ("version", "1.0.0.0", "3.0.0.0"),
                ]),
                Check::FilesTouched(vec!["app.json"]),
                Check::Renumbered {
                    objects: 0,
                    members: 0,
                },
                Check::Renamed(0),
            ],
        ),
        // --- Refused requests ---
        refused(
            "unresolved_references_stop_the_move",
            points_with_customer(),
            to_appsource(),
            Refusal::Unresolved {
                missing: &["page Customer Card", "table Customer"],
                refs: 1,
                one_ref: Some("Name"),
            },
        ),
        moved(
            "unresolved_references_allowed_are_reported",
            points_with_customer(),
            with(to_appsource(), |o| o.allow_unresolved = true),
            vec![
                Check::Missing(vec!["page Customer Card", "table Customer"]),
                Check::Unresolved(1),
                has(
                    "src/CustomerPoints.Codeunit.al",
                    &["codeunit 70000001 \"ABC Customer Points\""],
                ),
            ],
        ),
        moved(
            "dependency_symbols_resolve_references",
            points_with_customer(),
            to_appsource(),
            vec![Check::Missing(vec![]), Check::Unresolved(0), Check::Proven],
        )
        .deps(base()),
        refused(
            "affix_missing_is_refused",
            points(),
            with(to_appsource(), |o| o.affix = None),
            Refusal::Input("adds an affix: pass one"),
        ),
        refused(
            "names_without_an_affix_are_refused",
            points(),
            with(to_appsource(), |o| {
                o.affix = None;
                o.names.insert("Point Mgt".into(), "ABC Points".into());
            }),
            Refusal::AffixMissing("appsource"),
        ),
        refused(
            "appsource_to_pte_needs_a_new_affix",
            points(),
            with(MoveOptions::to(Scope::Pte, GENERATED_ID), |o| {
                o.from = Some(Scope::APPSOURCE);
            }),
            Refusal::Input("renames every object for side-by-side use"),
        ),
        refused(
            "out_of_object_ids",
            points_and("src/Setup.Table.al", "table 50101 \"Point Setup\" { }\n"),
            with(to_appsource(), |o| {
                o.ranges = vec![IdRange::new(70_000_000, 70_000_000)];
            }),
            Refusal::OutOfIds("table objects"),
        ),
        refused(
            "out_of_member_ids",
            extensions(),
            with(to_appsource(), |o| {
                o.ranges = vec![IdRange::new(70_000_000, 70_000_000)];
            }),
            Refusal::OutOfIds("members of tableextension \"Customer Bonus\""),
        )
        .deps(base()),
        refused(
            "a_dependent_that_does_not_depend_on_the_app_is_refused",
            points(),
            to_appsource(),
            Refusal::Input("other: does not depend on \"Points\""),
        )
        .dependent(
            "other",
            files(&[("app.json", &app_json(DEP_ID, "Other", "[]", 50150, 50199))]),
        ),
        refused(
            "reverse_without_a_mapping_is_refused",
            points(),
            reverse(),
            Refusal::Input("a reverse move needs the mapping of the move"),
        ),
        refused(
            "reverse_of_another_app_is_refused",
            points(),
            reverse(),
            Refusal::Input("is not the moved app's id"),
        )
        .after(to_appsource())
        .on_original(),
        refused(
            "reverse_after_app_json_changed_is_refused",
            points(),
            reverse(),
            Refusal::Input("app.json: changed since the move"),
        )
        .after(to_appsource())
        .tamper(|files| {
            let f = files.iter_mut().find(|f| f.path == "app.json").unwrap();
            let t = text(&f.bytes).replace("\"2.0.0.0\"", "\"2.0.0.1\"");
            *f = ProjectFile::new("app.json", t.into_bytes());
        }),
        // --- Reverse ---
        // Moved to AppSource (with a dependent), then back with the move's mapping: the
        // created AppSourceCop.json is deleted, launch.json, .objidconfig, the XLIFF file,
        // UTF-16 and BOM files and references in another case or with quotes they do not
        // need come back as they were.
        moved(
            "forward_then_reverse_restores_every_byte",
            points_for_reverse(),
            reverse(),
            vec![Check::Restored, Check::Renamed(4)],
        )
        .dependent("bonus", bonus())
        .after(to_appsource()),
        // --- Side by side ---
        moved(
            "namespaced_objects_keep_their_names",
            points_namespaced(),
            to_appsource(),
            vec![
                has(
                    "src/PointMgt.Codeunit.al",
                    &["codeunit 70000000 \"Point Mgt\""],
                ),
                Check::Renamed(0),
                Check::SideBySide(false),
            ],
        ),
        moved(
            "side_by_side_renames_every_object",
            points_namespaced(),
            with(to_appsource(), |o| o.side_by_side = true),
            vec![
                has(
                    "src/PointMgt.Codeunit.al",
                    &["codeunit 70000000 \"ABC Point Mgt\""],
                ),
                Check::Renamed(3),
                Check::SideBySide(true),
                Check::Shared {
                    ids: vec![],
                    names: vec![],
                    members: vec![],
                },
            ],
        ),
        // --- Other files ---
        moved(
            "launch_objidconfig_appsourcecop_and_xliff_follow_the_move",
            points_with_settings(),
            to_appsource(),
            vec![
                // startupObjectId follows its object (Page by default); every other byte kept.
                Check::Text(
                    ".vscode/launch.json",
                    LAUNCH_JSON.replace(
                        "\"startupObjectId\": 50100",
                        "\"startupObjectId\": 70000000",
                    ),
                ),
                // idRanges: the target ranges (descriptions dropped).
                Check::Text(
                    ".objidconfig",
                    OBJIDCONFIG.replace(
                        "{ \"from\": 50100, \"to\": 50149, \"description\": \"all\" }",
                        "{ \"from\": 70000000, \"to\": 70000099 }",
                    ),
                ),
                // The affix added to the settings that had none.
                Check::Text(
                    "AppSourceCop.json",
                    "{
  \"mandatoryAffixes\": [\"ABC\"],
  \"supportedCountries\": [\"US\"]
}
"
                    .into(),
                ),
                // Trans-unit ids (name hashes) and notes follow the renamed objects.
                Check::Text(
                    "Translations/Points.de-DE.xlf",
                    points_xlf_of("ABC Reward Point", "ABC Point Mgt"),
                ),
                Check::FilesTouched(vec![
                    ".objidconfig",
                    ".vscode/launch.json",
                    "AppSourceCop.json",
                    "Translations/Points.de-DE.xlf",
                    "app.json",
                    "src/PointMgt.Codeunit.al",
                    "src/RewardPoint.Table.al",
                    "src/RewardPoints.Page.al",
                ]),
            ],
        ),
        moved(
            "appsourcecop_json_is_created",
            points(),
            to_appsource(),
            vec![
                Check::Created("AppSourceCop.json"),
                Check::Text(
                    "AppSourceCop.json",
                    "{\n  \"mandatoryAffixes\": [\n    \"ABC\"\n  ]\n}\n".into(),
                ),
            ],
        ),
        moved(
            "utf16_and_bom_files_keep_their_encoding",
            points_encoded(),
            to_appsource(),
            vec![
                Check::Bytes("src/PointMgt.Codeunit.al", utf16(&point_cu_moved())),
                Check::Bytes("src/RewardPoints.Page.al", bom(&point_page_moved())),
                Check::Proven,
            ],
        ),
        // --- Verification ---
        moved(
            "full_verification_when_asked",
            points(),
            with(to_appsource(), |o| o.full_verification = true),
            vec![Check::Full(vec!["asked for"])],
        ),
        moved(
            "proof_falls_back_to_full_verification_when_a_new_name_is_already_spelled",
            points_and(
                "src/Shadow.Codeunit.al",
                "codeunit 50190 Shadow\n{\n    var\n        \"ABC Reward Point\": Integer;\n}\n",
            ),
            to_appsource(),
            vec![Check::Full(vec![
                "src/Shadow.Codeunit.al:4:9",
                "already spells a new name",
            ])],
        ),
        // --- Dependents and dependencies (the example apps) ---
        // Was part of cli_move_flags::dependents_are_updated_and_reverse_restores_every_byte.
        moved(
            "loyalty_example_dependent_and_translation_follow_the_move",
            loyalty_translated(),
            loyalty_to_appsource(),
            vec![
                Check::DepText(
                    0,
                    "app.json",
                    REWARDS_APP_JSON
                        .replace(APP_ID, NEW_ID)
                        .replace("\"1.2.0.0\"", "\"2.0.0.0\""),
                ),
                Check::DepHas(
                    0,
                    "src/RewardCalculator.Codeunit.al",
                    vec!["Customer.\"CLY Loyalty Tier Code\""],
                ),
                Check::DepLacks(
                    0,
                    "src/RewardCalculator.Codeunit.al",
                    vec!["Customer.\"Loyalty Tier Code\""],
                ),
                Check::Dependents(vec![(
                    "loyalty-rewards",
                    vec!["app.json", "src/RewardCalculator.Codeunit.al"],
                    1,
                )]),
                Check::Text(
                    "Translations/Customer Loyalty.de-DE.xlf",
                    loyalty_xlf()
                        .replace(
                            &format!(
                                "- Field {} -",
                                al_manifest::xlf::name_hash("Loyalty Points")
                            ),
                            &format!(
                                "- Field {} -",
                                al_manifest::xlf::name_hash("CLY Loyalty Points")
                            ),
                        )
                        .replace(
                            "- Field Loyalty Points - Property Caption</note>",
                            "- Field CLY Loyalty Points - Property Caption</note>",
                        ),
                ),
                Check::Proven,
            ],
        )
        .dependent("loyalty-rewards", rewards()),
        moved(
            "loyalty_example_forward_then_reverse_restores_every_byte",
            loyalty_translated(),
            with(reverse(), |o| o.allow_unresolved = true),
            vec![Check::Restored],
        )
        .dependent("loyalty-rewards", rewards())
        .after(loyalty_to_appsource()),
        // Was part of cli_move_flags::migration_pte_copies_the_data_and_passes_the_pte_checks.
        moved(
            "loyalty_example_side_by_side_reaches_the_dependent",
            loyalty(),
            with(loyalty_to_appsource(), |o| o.side_by_side = true),
            vec![
                Check::DepHas(
                    0,
                    "src/LoyaltyReward.Table.al",
                    vec![
                        "TableRelation = \"CLY Loyalty Tier\";",
                        "Enum \"CLY Loyalty Level\"",
                    ],
                ),
                Check::SideBySide(true),
            ],
        )
        .dependent("loyalty-rewards", rewards()),
        // Was part of cli_move_flags::suffix_new_id_symbols_and_report.
        moved(
            "a_dependent_moves_with_its_dependency_s_symbols",
            bonus(),
            with(to_appsource(), |o| {
                o.ranges = vec![IdRange::new(70_000_100, 70_000_199)];
            }),
            vec![
                Check::Text(
                    "src/BonusMgt.Codeunit.al",
                    BONUS_CU.replace(
                        "codeunit 50150 \"Bonus Mgt\"",
                        "codeunit 70000100 \"ABC Bonus Mgt\"",
                    ),
                ),
                Check::Missing(vec![]),
                Check::Unresolved(0),
            ],
        )
        .deps(symbols_of(&points())),
        refused(
            "a_dependent_without_its_dependency_s_symbols_is_refused",
            bonus(),
            with(to_appsource(), |o| {
                o.ranges = vec![IdRange::new(70_000_100, 70_000_199)];
            }),
            Refusal::Unresolved {
                missing: &[
                    "codeunit Point Mgt",
                    "page Reward Points",
                    "table Reward Point",
                ],
                refs: 0,
                one_ref: None,
            },
        ),
        moved(
            "an_old_name_also_kept_elsewhere_is_possibly_stale",
            files(&[
                ("app.json", &app_json(APP_ID, "Bonus", "[]", 50100, 50149)),
                (
                    "src/CustomerBonus.TableExt.al",
                    "tableextension 50100 \"Customer Bonus\" extends Customer
{
    fields
    {
        field(50100; \"Bonus Points\"; Integer) { }
    }
}
",
                ),
                (
                    "src/BonusEntry.Table.al",
                    "table 50100 \"Bonus Entry\"
{
    fields
    {
        field(1; \"Bonus Points\"; Integer) { }
    }
}
",
                ),
                (
                    "src/BonusMgt.Codeunit.al",
                    "codeunit 50100 \"Bonus Mgt\"
{
    procedure Grant(var C: Record Customer; var V: Record Vendor)
    begin
        C.\"Bonus Points\" := 1;
        V.\"Bonus Points\" := 1;
    end;
}
",
                ),
            ]),
            with(to_appsource(), |o| o.allow_unresolved = true),
            vec![
                // Customer has no symbols, but its extension's field resolves; Vendor's
                // field cannot be told from the own table's field of the same name, so it
                // is left and listed.
                Check::PossiblyStale(vec!["src/BonusMgt.Codeunit.al:6:11 \"Bonus Points\""]),
                Check::UpdatedByName(vec![]),
                has(
                    "src/BonusMgt.Codeunit.al",
                    &["C.\"ABC Bonus Points\" := 1;", "V.\"Bonus Points\" := 1;"],
                ),
                has(
                    "src/CustomerBonus.TableExt.al",
                    &["field(70000000; \"ABC Bonus Points\""],
                ),
                has("src/BonusEntry.Table.al", &["field(1; \"Bonus Points\""]),
                Check::Missing(vec!["table Customer", "table Vendor"]),
            ],
        ),
        // Was cli_move_flags::verification_falls_back_to_the_full_check_when_a_new_name_is_
        // already_spelled.
        moved(
            "loyalty_example_variable_spelling_a_new_field_name_needs_the_full_check",
            {
                let mut p = loyalty();
                p.push(ProjectFile::new(
                    "src/Codeunits/Shadow.Codeunit.al",
                    b"codeunit 50190 Shadow
{
    var
        \"CLY Loyalty Points\": Integer;
}
"
                    .to_vec(),
                ));
                p
            },
            loyalty_to_appsource(),
            vec![
                // It is only a variable: the full check passes.
                Check::Full(vec![
                    "src/Codeunits/Shadow.Codeunit.al:4:9",
                    "already spells a new name",
                ]),
                has(
                    "src/Codeunits/Shadow.Codeunit.al",
                    &[
                        "codeunit 70000001 CLYShadow",
                        "\"CLY Loyalty Points\": Integer;",
                    ],
                ),
            ],
        ),
    ]
}
