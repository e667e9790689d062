//! The runner: moves a row, runs its checks (and each check against a wrong value).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

/// What a check looks at.
pub(crate) struct Run<'a> {
    /// The project and dependents the scenario started from (before any first move).
    pub(crate) original: &'a [ProjectFile],
    pub(crate) original_deps: &'a [Dependent],
    /// What `move_app` got.
    pub(crate) input: &'a [ProjectFile],
    pub(crate) opts: &'a MoveOptions,
    pub(crate) out: &'a MoveOutcome,
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&al_parser::decode(bytes).0).into_owned()
}

pub(crate) fn file<'a>(files: &'a [ProjectFile], path: &str) -> Result<&'a ProjectFile, String> {
    files
        .iter()
        .find(|f| f.path == path)
        .ok_or_else(|| format!("{path}: no such file in the output"))
}

pub(crate) fn first_difference(want: &str, got: &str) -> String {
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

pub(crate) fn same<T: PartialEq + std::fmt::Debug>(
    what: &str,
    want: T,
    got: T,
) -> Result<(), String> {
    if want == got {
        Ok(())
    } else {
        Err(format!("{what}: want {want:?}, got {got:?}"))
    }
}

/// A deliberately wrong version of an expected text.
pub(crate) fn wrong_text(s: &str, wrong: bool) -> String {
    if wrong {
        format!("{s}\u{1}")
    } else {
        s.to_string()
    }
}

pub(crate) fn wrong_count(n: usize, wrong: bool) -> usize {
    n + usize::from(wrong)
}

pub(crate) fn wrong_list<T: Clone>(v: &[T], extra: T, wrong: bool) -> Vec<T> {
    let mut v = v.to_vec();
    if wrong {
        v.push(extra);
    }
    v
}

pub(crate) fn has_all(what: &str, t: &str, subs: &[&str], wrong: bool) -> Result<(), String> {
    for s in subs {
        let s = wrong_text(s, wrong);
        if !t.contains(&s) {
            return Err(format!("{what}: {s:?} not found in\n{t}"));
        }
    }
    Ok(())
}

pub(crate) fn lacks_all(what: &str, t: &str, subs: &[&str], wrong: bool) -> Result<(), String> {
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

pub(crate) fn sorted_files(files: &[ProjectFile]) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.to_vec()))
        .collect();
    v.sort();
    v
}

impl Check {
    /// Evaluates the check; `wrong`: against a deliberately wrong expectation (must fail).
    pub(crate) fn eval(&self, r: &Run<'_>, wrong: bool) -> Result<(), String> {
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
            Check::Skipped(sub) => {
                let sub = wrong_text(sub, wrong);
                if rep.skipped.iter().any(|l| l.contains(&sub)) {
                    Ok(())
                } else {
                    Err(format!("skipped: {sub:?} not in {:#?}", rep.skipped))
                }
            }
            Check::Warning(sub) => {
                let sub = wrong_text(sub, wrong);
                if rep.warnings.iter().any(|l| l.contains(&sub)) {
                    Ok(())
                } else {
                    Err(format!("warnings: {sub:?} not in {:#?}", rep.warnings))
                }
            }
            Check::AlreadyDone(sub) => {
                let sub = wrong_text(sub, wrong);
                if rep.already_done.iter().any(|l| l.contains(&sub)) {
                    Ok(())
                } else {
                    Err(format!(
                        "already done: {sub:?} not in {:#?}",
                        rep.already_done
                    ))
                }
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
    pub(crate) fn eval(&self, e: &MoveError, wrong: bool) -> Result<(), String> {
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
            (Refusal::Syntax(sub), MoveError::Syntax(errors)) => errors
                .iter()
                .any(|e| e.to_string().contains(&wrong_text(sub, wrong))),
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(format!("refused with {e:?}"))
        }
    }
}

pub(crate) fn run_scenario(s: &Scenario) -> Result<(), Vec<String>> {
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
            // A forward move on the first move's output is a second move: it gets no mapping.
            if opts.mapping.is_none() && (opts.reverse || f.on_original) {
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

pub(crate) fn check_refusal(expect: &Expect, e: &MoveError) -> Result<(), Vec<String>> {
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
pub(crate) fn scenarios() {
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
