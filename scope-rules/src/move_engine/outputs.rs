//! Project files besides AL and app.json that a move updates, each edited in place
//! (every byte outside the changed values kept): `.vscode/launch.json`
//! (`startupObjectId`), `.objidconfig` (AL Object ID Ninja's `idRanges`),
//! AppSourceCop.json (`mandatoryAffixes`) and XLIFF translation files (trans-unit ids
//! and generator notes of renamed symbols).
//!
//! Each function returns `None` when the file needs no change or cannot be read (the
//! caller keeps it as it is).

use std::collections::BTreeSet;
use std::sync::Arc;

use al_manifest::AppManifest;
use rayon::prelude::*;

use crate::checks::jsonpos::JsonLocator;
use crate::checks::source::ObjectKind;
use crate::move_engine::edits::MoveEdits;
use crate::move_engine::mapping::{self, Splice, unsplice};
use crate::move_engine::report::{DependentReport, IdentityChange, ranges_text};
use crate::move_engine::request::{Manifest, Request, manifest_bytes};
use crate::move_engine::workspace::{Inputs, dep_prefix};
use crate::move_engine::{Dependent, MappingEntry, MoveError, MoveOptions, MovePlan, ProjectFile};
use crate::{IdRange, Scope};

fn splice(text: &str, range: std::ops::Range<usize>, with: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(text.get(..range.start)?);
    out.push_str(with);
    out.push_str(text.get(range.end..)?);
    Some(out)
}

/// `launch.json`: each configuration's `startupObjectId` follows its renumbered object
/// (of `startupObjectType`, default `Page`).
pub fn launch_json(bytes: &[u8], mapping: &[MappingEntry]) -> Option<Vec<u8>> {
    let mut text = std::str::from_utf8(bytes).ok()?.to_string();
    let mut changed = false;
    for i in 0..256 {
        let loc = JsonLocator::new(&text);
        let base = format!("configurations[{i}]");
        if !loc.contains(&base) {
            break;
        }
        let id_path = format!("{base}.startupObjectId");
        if !loc.contains(&id_path) {
            continue;
        }
        let span = loc.locate(&id_path).value_span;
        let Ok(old) = text.get(span.clone())?.trim().parse::<u32>() else {
            continue;
        };
        let kind = if loc.contains(&format!("{base}.startupObjectType")) {
            let s = loc.locate(&format!("{base}.startupObjectType")).value_span;
            text.get(s)?.trim().trim_matches('"').to_ascii_lowercase()
        } else {
            "page".to_string()
        };
        let Some(new) = mapping
            .iter()
            .find(|e| e.kind == "object" && e.object_kind == kind && e.old_id == Some(old))
            .and_then(|e| e.new_id)
        else {
            continue;
        };
        if new != old {
            text = splice(&text, span, &new.to_string())?;
            changed = true;
        }
    }
    changed.then(|| text.into_bytes())
}

/// Whether `bytes` are UTF-8 JSON (comments allowed) the settings edits can read.
fn readable_json(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|t| JsonLocator::new(t).contains(""))
}

/// Object type keys of `.objidconfig`'s `objectRanges` (AL Object ID Ninja).
const OBJID_KINDS: &[&str] = &[
    "table",
    "tableextension",
    "page",
    "pageextension",
    "report",
    "reportextension",
    "codeunit",
    "xmlport",
    "query",
    "enum",
    "enumextension",
    "permissionset",
    "permissionsetextension",
    "entitlement",
    "interface",
    "profile",
    "controladdin",
];

/// The ID at the same position in `to` as `id` has in `from` (each a list of ranges
/// taken one after the other); `None` when `id` is in no range of `from` or past the end
/// of `to`.
fn same_position(id: u32, from: &[IdRange], to: &[IdRange]) -> Option<u32> {
    let mut pos = 0u64;
    let mut found = None;
    for r in from {
        if r.contains(id) {
            found = Some(pos + u64::from(id - r.from));
            break;
        }
        pos += u64::from(r.to - r.from) + 1;
    }
    let mut pos = found?;
    for r in to {
        let len = u64::from(r.to - r.from) + 1;
        if pos < len {
            return u32::try_from(u64::from(r.from) + pos).ok();
        }
        pos -= len;
    }
    None
}

/// `.objidconfig`: `idRanges` becomes the target ranges, each keeping the `description`
/// of the range it replaces (by position); every per-object-type range in
/// `objectRanges` moves to the same position in the target ranges (its description kept).
pub fn objidconfig(bytes: &[u8], ranges: &[IdRange]) -> Option<Vec<u8>> {
    if ranges.is_empty() {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let loc = JsonLocator::new(text);
    if !loc.contains("idRanges") {
        return None;
    }
    let num = |path: &str| -> Option<u32> {
        loc.contains(path)
            .then(|| text.get(loc.locate(path).value_span)?.trim().parse().ok())?
    };
    let raw = |path: &str| -> Option<&str> {
        loc.contains(path)
            .then(|| text.get(loc.locate(path).value_span))?
    };
    let mut old_ranges = Vec::new();
    let mut descriptions = Vec::new();
    for i in 0.. {
        let (Some(from), Some(to)) = (
            num(&format!("idRanges[{i}].from")),
            num(&format!("idRanges[{i}].to")),
        ) else {
            break;
        };
        old_ranges.push(IdRange::new(from, to));
        descriptions.push(raw(&format!("idRanges[{i}].description")));
    }
    let mut splices: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    // objectRanges: each from/to at the same position in the target ranges.
    for kind in OBJID_KINDS {
        for j in 0.. {
            let base = format!("objectRanges.{kind}[{j}]");
            if !loc.contains(&base) {
                break;
            }
            let (Some(from), Some(to)) = (num(&format!("{base}.from")), num(&format!("{base}.to")))
            else {
                continue;
            };
            let (Some(new_from), Some(new_to)) = (
                same_position(from, &old_ranges, ranges),
                same_position(to, &old_ranges, ranges),
            ) else {
                continue;
            };
            for (key, new) in [("from", new_from), ("to", new_to)] {
                let span = loc.locate(&format!("{base}.{key}")).value_span;
                splices.push((span, new.to_string()));
            }
        }
    }
    let span = loc.locate("idRanges").value_span;
    let old = text.get(span.clone())?;
    let items: Vec<String> = ranges
        .iter()
        .enumerate()
        .map(|(i, r)| match descriptions.get(i).copied().flatten() {
            Some(d) => format!(
                "{{ \"from\": {}, \"to\": {}, \"description\": {d} }}",
                r.from, r.to
            ),
            None => format!("{{ \"from\": {}, \"to\": {} }}", r.from, r.to),
        })
        .collect();
    let new = if old.contains('\n') {
        let indent = text
            .get(..span.start)?
            .rsplit('\n')
            .next()
            .map(|l| l.len() - l.trim_start().len())
            .unwrap_or(0);
        let pad = " ".repeat(indent + 2);
        format!(
            "[\n{pad}{}\n{}]",
            items.join(&format!(",\n{pad}")),
            " ".repeat(indent)
        )
    } else {
        format!("[ {} ]", items.join(", "))
    };
    if new != old {
        splices.push((span, new));
    }
    splices.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    let mut changed = false;
    for (r, with) in splices {
        if out.get(r.clone()) != Some(with.as_str()) {
            out = splice(&out, r, &with)?;
            changed = true;
        }
    }
    changed.then(|| out.into_bytes())
}

/// AppSourceCop.json: adds `"mandatoryAffixes": ["ABC"]` when no affix setting exists.
pub fn cop_affixes(bytes: &[u8], affix: Option<&str>) -> Option<Vec<u8>> {
    let affix = affix?;
    let text = std::str::from_utf8(bytes).ok()?;
    let loc = JsonLocator::new(text);
    if loc.contains("mandatoryAffixes") {
        // The names carry `affix`: the list gets it when it lacks it.
        let span = loc.locate("mandatoryAffixes").value_span;
        let list = text.get(span.clone())?;
        let have: Vec<String> = serde_json::from_str(list).ok()?;
        if have.iter().any(|a| a.eq_ignore_ascii_case(affix)) {
            return None;
        }
        let value = serde_json::Value::String(affix.to_string());
        let inner = list.trim_end().strip_suffix(']')?.trim_end();
        let new = if have.is_empty() {
            format!("[{value}]")
        } else {
            format!("{inner}, {value}]")
        };
        return splice(text, span, &new).map(String::into_bytes);
    }
    if ["mandatoryPrefix", "mandatorySuffix"]
        .iter()
        .any(|k| loc.contains(k))
    {
        return None;
    }
    let open = text.find('{')?;
    let rest = text.get(open + 1..)?;
    let empty = rest.trim_start().starts_with('}');
    let value = serde_json::Value::String(affix.to_string());
    let insert = if empty {
        format!("\n  \"mandatoryAffixes\": [{value}]\n")
    } else {
        let ws_len = rest.len() - rest.trim_start().len();
        let ws = rest.get(..ws_len)?;
        let ws = if ws.is_empty() { " " } else { ws };
        format!("{ws}\"mandatoryAffixes\": [{value}],")
    };
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(text.get(..=open)?);
    out.push_str(&insert);
    out.push_str(rest);
    Some(out.into_bytes())
}

/// XLIFF: trans-unit ids (name hashes) and generator notes of renamed objects and
/// members follow their new names; every other byte is kept
/// ([`al_manifest::xlf::XlfFile::rename`]). `mapping` is the mapping of this move
/// (for a reverse move, the reverse move's own mapping). `Ok(None)` when nothing
/// changes; an error when the file is no XLIFF file that can be read or renamed.
pub fn xliff(
    bytes: &[u8],
    mapping: &[MappingEntry],
) -> Result<Option<Vec<u8>>, al_manifest::xlf::XlfError> {
    use al_manifest::xlf::{Rename, XlfFile, xliff_object_kind};
    let mut renames = Vec::new();
    for e in mapping.iter().filter(|e| e.old_name != e.new_name) {
        let Some(ok) = xliff_object_kind(&e.object_kind) else {
            continue;
        };
        if e.kind == "object" {
            renames.push(Rename::object(ok, &e.old_name, &e.new_name));
            continue;
        }
        let query = e.object_kind == "query";
        let mk = match e.kind.as_str() {
            "field" => "Field",
            "value" => "EnumValue",
            "control" => "Control",
            "action" => "Action",
            "procedure" => "Method",
            "dataitem" if query => "QueryDataItem",
            "dataitem" => "ReportDataItem",
            "column" if query => "QueryColumn",
            "column" => "ReportColumn",
            "xmlnode" => "XmlPortNode",
            _ => continue,
        };
        renames.push(Rename::member(ok, &e.object, mk, &e.old_name, &e.new_name));
    }
    if renames.is_empty() {
        return Ok(None);
    }
    let out = XlfFile::parse(bytes)?.rename(&renames)?;
    Ok((out.bytes != bytes).then_some(out.bytes))
}

/// How a translation file the move could not update is reported (a skipped file).
fn xliff_skipped(path: &str, e: &al_manifest::xlf::XlfError) -> String {
    use al_manifest::xlf::XlfError;
    let why = match e {
        XlfError::Encoding { .. } | XlfError::Xml { .. } | XlfError::Structure { .. } => {
            format!("{path}:{e}: not readable as XLIFF")
        }
        _ => format!("{path}: {e}"),
    };
    format!(
        "{why}; left as it was: its trans-unit ids still hash the old names (fix it and move \
         again, or regenerate it with the compiler)"
    )
}

/// The object kind an XML permission set's `<ObjectType>` names: the number of the
/// platform's object-type option (`0` TableData, `1` Table, `3` Report, `5` Codeunit,
/// `6` XMLport, `8` Page, `9` Query) or its name.
fn xml_object_kind(text: &str) -> Option<ObjectKind> {
    Some(match text.trim().to_ascii_lowercase().as_str() {
        "0" | "tabledata" | "1" | "table" => ObjectKind::Table,
        "3" | "report" => ObjectKind::Report,
        "5" | "codeunit" => ObjectKind::Codeunit,
        "6" | "xmlport" => ObjectKind::XmlPort,
        "8" | "page" => ObjectKind::Page,
        "9" | "query" => ObjectKind::Query,
        _ => return None,
    })
}

/// An XML permission set (`<PermissionSets>` with `<Permission>` entries of
/// `<ObjectType>` and `<ObjectID>`, the format before AL `permissionset` objects) with the
/// object IDs the move renumbered; every other byte kept. `None` when nothing changes or
/// the file is no permission set.
pub fn xml_permission_sets(bytes: &[u8], mapping: &[MappingEntry]) -> Option<Vec<u8>> {
    crate::checks::property_rules::xml_root(bytes)
        .filter(|(name, _)| name.eq_ignore_ascii_case(b"PermissionSets"))?;
    let text = std::str::from_utf8(bytes).ok()?;
    let renumbered = |kind: ObjectKind, id: u32| {
        mapping
            .iter()
            .find(|e| {
                e.kind == "object"
                    && e.object_kind == kind.as_str()
                    && e.old_id == Some(id)
                    && e.new_id != e.old_id
            })
            .and_then(|e| e.new_id)
    };
    let element = |block: &str, tag: &str| -> Option<(usize, usize)> {
        let open = format!("<{tag}>");
        let start = block.find(&open)? + open.len();
        let end = block.get(start..)?.find('<')? + start;
        Some((start, end))
    };
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    let mut at = 0;
    while let Some(p) = text.get(at..).and_then(|r| r.find("<Permission>")) {
        let start = at + p;
        let end = text
            .get(start..)
            .and_then(|r| r.find("</Permission>"))
            .map_or(text.len(), |e| start + e);
        let block = text.get(start..end)?;
        at = end;
        let Some(kind) = element(block, "ObjectType")
            .and_then(|(s, e)| block.get(s..e))
            .and_then(xml_object_kind)
        else {
            continue;
        };
        let Some((s, e)) = element(block, "ObjectID") else {
            continue;
        };
        let raw = block.get(s..e)?;
        let Some(new) = raw
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(|id| renumbered(kind, id))
        else {
            continue;
        };
        // Keep the whitespace around the number.
        let lead = raw.len() - raw.trim_start().len();
        let num_start = start + s + lead;
        let num_end = num_start + raw.trim().len();
        out.push_str(text.get(done..num_start)?);
        out.push_str(&new.to_string());
        done = num_end;
    }
    if done == 0 {
        return None;
    }
    out.push_str(text.get(done..)?);
    Some(out.into_bytes())
}

/// The moved project's files and what the move did to them.
pub(super) struct ProjectOutputs {
    /// The app.json after the move (identity and ranges edited).
    pub(super) manifest: Manifest,
    /// Every file of the moved project (unchanged ones share their bytes with the input;
    /// created files at the end; deleted files left out).
    pub(super) files: Vec<ProjectFile>,
    /// Files a reverse move deletes (what the move created).
    pub(super) deleted: Vec<String>,
    /// Paths of the files that changed or were created.
    pub(super) touched: Vec<String>,
    /// Byte changes of non-AL files (recorded for the reverse).
    pub(super) splices: Vec<Splice>,
    /// The identity changes written to app.json.
    pub(super) identity: Vec<IdentityChange>,
    /// The new app id, when the move set one.
    pub(super) new_id: Option<String>,
    /// Settings files the move should have updated but could not read (left as they were).
    pub(super) skipped: Vec<String>,
}

/// The dependents' files after the move.
pub(super) struct DependentOutputs {
    /// Each dependent's app.json after the move.
    pub(super) manifests: Vec<Manifest>,
    /// Every file of each dependent, in `dependents` order.
    pub(super) files: Vec<Vec<ProjectFile>>,
    /// What changed in each.
    pub(super) reports: Vec<DependentReport>,
    /// Byte changes of their non-AL files.
    pub(super) splices: Vec<Splice>,
}

/// The app id the move sets, when it sets one that differs from the current id.
fn new_id(request: &Request, plan: &MovePlan, opts: &MoveOptions) -> Option<String> {
    if opts.reverse {
        return None;
    }
    let explicit = opts.id.is_some() || opts.force_new_id;
    plan.new_id
        .as_ref()
        .map(|_| request.proposed_id.clone())
        .or_else(|| explicit.then(|| request.proposed_id.clone()))
        .filter(|id| !id.eq_ignore_ascii_case(&request.app.id.to_string()))
}

fn edit_err(e: al_manifest::EditError) -> MoveError {
    MoveError::Input(format!("app.json: {e}"))
}

/// Writes the new identity (id, name, publisher, version, idRanges) into app.json.
fn identity(
    manifest: &mut Manifest,
    request: &Request,
    plan: &MovePlan,
    opts: &MoveOptions,
    new_id: Option<&str>,
) -> Result<Vec<IdentityChange>, MoveError> {
    let m = &request.app;
    let doc = &mut manifest.doc;
    let mut changes = Vec::new();
    let mut change = |property: &str, old: String, new: String| {
        changes.push(IdentityChange {
            property: property.into(),
            old,
            new,
        });
    };
    if let Some(id) = new_id {
        let uuid: uuid::Uuid = id
            .parse()
            .map_err(|_| MoveError::Input(format!("app id {id:?}: not a GUID")))?;
        doc.set_id(uuid).map_err(edit_err)?;
        change("id", m.id.to_string(), uuid.to_string());
    }
    if opts.reverse {
        return Ok(changes);
    }
    if let Some(n) = &opts.name {
        doc.set_name(n).map_err(edit_err)?;
        change("name", m.name.clone(), n.clone());
    }
    if let Some(p) = &opts.publisher {
        doc.set_publisher(p).map_err(edit_err)?;
        change("publisher", m.publisher.clone(), p.clone());
    }
    if let Some(v) = opts.version.or(plan.new_version) {
        doc.set_version(&v).map_err(edit_err)?;
        change("version", m.version.to_string(), v.to_string());
    }
    if !plan.id_ranges.is_empty() {
        doc.set_id_ranges(&plan.id_ranges).map_err(edit_err)?;
        change(
            "idRanges",
            ranges_text(&request.current_ranges),
            ranges_text(&plan.id_ranges),
        );
    }
    Ok(changes)
}

/// Stage "outputs", the moved project: app.json with the new identity, the AL files
/// edited (in parallel), launch.json, .objidconfig, AppSourceCop.json and XLIFF files
/// updated — or, for a reverse move, every non-AL file restored from the mapping.
pub(super) fn project(
    project: &[ProjectFile],
    mut manifest: Manifest,
    request: &Request,
    plan: &MovePlan,
    edits: &MoveEdits,
    opts: &MoveOptions,
) -> Result<ProjectOutputs, MoveError> {
    let reverse = opts.reverse;
    let new_id = new_id(request, plan, opts);
    let identity = identity(&mut manifest, request, plan, opts, new_id.as_deref())?;
    let renamed = edits
        .mapping
        .iter()
        .any(|e| e.old_name != e.new_name || e.old_id != e.new_id);
    let mut out = ProjectOutputs {
        manifest,
        files: Vec::with_capacity(project.len()),
        deleted: Vec::new(),
        touched: Vec::new(),
        splices: Vec::new(),
        identity,
        new_id,
        skipped: Vec::new(),
    };
    let edited: BTreeSet<&str> = edits.edits.files().into_iter().collect();
    let reverse_splices: Vec<&Splice> = opts
        .mapping
        .as_ref()
        .filter(|_| reverse)
        .map(|mp| mp.files.iter().filter(|s| s.app.is_empty()).collect())
        .unwrap_or_default();
    // The edited AL files (most of a renumbered app), edited in parallel.
    let mut applied: Vec<Option<Result<Vec<u8>, al_parser::edit::EditError>>> = project
        .par_iter()
        .with_max_len(crate::FILES_PER_TASK)
        .map(|f| {
            (f.is_al() && edited.contains(f.path.as_str()))
                .then(|| edits.edits.apply(&f.path, &f.bytes))
        })
        .collect();
    let to_appsource = request.to == Scope::APPSOURCE;
    for (i, f) in project.iter().enumerate() {
        let lower = f.path.to_ascii_lowercase();
        // Unchanged files share their bytes with the input.
        let new: Arc<Vec<u8>> =
            if reverse && let Some(s) = reverse_splices.iter().find(|s| s.file == f.path) {
                if s.created {
                    out.deleted.push(f.path.clone());
                    continue;
                }
                Arc::new(unsplice(&f.bytes, s)?)
            } else if i == out.manifest.index {
                Arc::new(manifest_bytes(&out.manifest))
            } else if let Some(new) = applied.get_mut(i).and_then(Option::take) {
                Arc::new(new.map_err(|e| MoveError::Input(format!("{}: {e:?}", f.path)))?)
            } else {
                let settings = !reverse
                    && (lower.ends_with("launch.json")
                        || lower.ends_with(".objidconfig")
                        || (Some(i) == request.cop_index && to_appsource));
                if settings && !readable_json(&f.bytes) {
                    out.skipped.push(format!(
                        "{}: not readable as JSON, left as it was (update it by hand)",
                        f.path
                    ));
                }
                let changed = if !reverse && lower.ends_with("launch.json") {
                    launch_json(&f.bytes, &edits.mapping)
                } else if !reverse && lower.ends_with(".objidconfig") {
                    objidconfig(&f.bytes, &plan.id_ranges)
                } else if !reverse && Some(i) == request.cop_index && to_appsource {
                    cop_affixes(&f.bytes, request.affix.as_deref())
                } else if lower.ends_with(".xlf") && renamed {
                    xliff(&f.bytes, &edits.mapping).unwrap_or_else(|e| {
                        out.skipped.push(xliff_skipped(&f.path, &e));
                        None
                    })
                } else if !reverse && lower.ends_with(".xml") {
                    xml_permission_sets(&f.bytes, &edits.mapping)
                } else {
                    None
                };
                changed.map_or_else(|| f.bytes.clone(), Arc::new)
            };
        if new != f.bytes {
            out.touched.push(f.path.clone());
            if !f.is_al()
                && !reverse
                && !lower.ends_with(".xlf")
                && let Some(s) = mapping::splice("", &f.path, &f.bytes, &new)
            {
                out.splices.push(s);
            }
        }
        out.files.push(ProjectFile::new(f.path.clone(), new));
    }
    // AppSourceCop.json with the affix, when moving to AppSource without one.
    if !reverse
        && to_appsource
        && request.cop_index.is_none()
        && let Some(a) = request.affix.as_deref()
    {
        let text = format!(
            "{{\n  \"mandatoryAffixes\": [\n    {}\n  ]\n}}\n",
            serde_json::Value::String(a.to_string())
        );
        out.splices.push(Splice {
            app: String::new(),
            file: "AppSourceCop.json".into(),
            at: 0,
            old: String::new(),
            new: text.clone(),
            created: true,
        });
        out.touched.push("AppSourceCop.json".into());
        out.files
            .push(ProjectFile::new("AppSourceCop.json", text.into_bytes()));
    }
    Ok(out)
}

/// Points a dependent's app.json at the moved app's new identity.
fn retarget(dm: &mut Manifest, old: &AppManifest, new: &AppManifest) -> Result<(), MoveError> {
    if new.id != old.id {
        dm.doc.set_dependency_id(old.id, new.id).map_err(edit_err)?;
    }
    if new.name != old.name {
        dm.doc
            .set_dependency_name(new.id, &new.name)
            .map_err(edit_err)?;
    }
    if new.publisher != old.publisher {
        dm.doc
            .set_dependency_publisher(new.id, &new.publisher)
            .map_err(edit_err)?;
    }
    if new.version != old.version {
        dm.doc
            .set_dependency_version(new.id, &new.version)
            .map_err(edit_err)?;
    }
    Ok(())
}

/// Stage "outputs", the dependents: their dependency entry on the moved app and the
/// edits of their AL files — or, for a reverse move, their files restored.
pub(super) fn dependents(
    dependents: &[Dependent],
    mut manifests: Vec<Manifest>,
    app_out: &ProjectOutputs,
    request: &Request,
    edits: &MoveEdits,
    inputs: &Inputs<'_>,
    opts: &MoveOptions,
) -> Result<DependentOutputs, MoveError> {
    let reverse = opts.reverse;
    let edited: BTreeSet<&str> = edits.edits.files().into_iter().collect();
    let mut out = DependentOutputs {
        manifests: Vec::new(),
        files: Vec::new(),
        reports: Vec::new(),
        splices: Vec::new(),
    };
    for (i, (d, dm)) in dependents.iter().zip(manifests.iter_mut()).enumerate() {
        let prefix = dep_prefix(i);
        let dep_id = inputs
            .dep_infos
            .get(i)
            .map(|x| x.id.clone())
            .unwrap_or_default();
        if !reverse {
            retarget(dm, &request.app, app_out.manifest.doc.manifest())?;
        }
        let rev: Vec<&Splice> = opts
            .mapping
            .as_ref()
            .filter(|_| reverse)
            .map(|mp| {
                mp.files
                    .iter()
                    .filter(|s| s.app.eq_ignore_ascii_case(&dep_id))
                    .collect()
            })
            .unwrap_or_default();
        let mut files = Vec::new();
        let mut touched = Vec::new();
        let mut n_edits = 0;
        for (fi, f) in d.files.iter().enumerate() {
            let label = format!("{prefix}{}", f.path);
            let new: Arc<Vec<u8>> = if let Some(s) = rev.iter().find(|s| s.file == f.path) {
                Arc::new(unsplice(&f.bytes, s)?)
            } else if fi == dm.index {
                Arc::new(manifest_bytes(dm))
            } else if f.is_al() && edited.contains(label.as_str()) {
                n_edits += edits.edits.edits.iter().filter(|e| e.file == label).count();
                Arc::new(
                    edits
                        .edits
                        .apply(&label, &f.bytes)
                        .map_err(|e| MoveError::Input(format!("{}/{}: {e:?}", d.label, f.path)))?,
                )
            } else {
                f.bytes.clone()
            };
            if new != f.bytes {
                touched.push(f.path.clone());
                if !f.is_al()
                    && !reverse
                    && let Some(s) = mapping::splice(&dep_id, &f.path, &f.bytes, &new)
                {
                    out.splices.push(s);
                }
            }
            files.push(ProjectFile::new(f.path.clone(), new));
        }
        out.reports.push(DependentReport {
            label: d.label.clone(),
            name: dm.doc.manifest().name.clone(),
            files_touched: touched,
            edits: n_edits,
        });
        out.files.push(files);
    }
    out.manifests = manifests;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_launch_json() {
        use crate::move_engine::MappingEntry;
        let m = vec![MappingEntry {
            kind: "object".into(),
            object_kind: "page".into(),
            object: "P".into(),
            member: None,
            old_id: Some(50100),
            new_id: Some(70000000),
            old_name: "P".into(),
            new_name: "P".into(),
            symbol: None,
        }];
        let text = br#"{ "configurations": [ { "name": "x", "startupObjectId": 50100 } ] }"#;
        let out = launch_json(text, &m).unwrap();
        assert_eq!(
            out,
            br#"{ "configurations": [ { "name": "x", "startupObjectId": 70000000 } ] }"#
        );
    }

    #[test]
    fn example_objidconfig() {
        use crate::IdRange;
        let text = b"{\n  \"idRanges\": [ { \"from\": 50100, \"to\": 50149 } ]\n}\n";
        let out = objidconfig(text, &[IdRange::new(70000000, 70000099)]).unwrap();
        assert_eq!(
            out,
            b"{\n  \"idRanges\": [ { \"from\": 70000000, \"to\": 70000099 } ]\n}\n"
        );
    }

    #[test]
    fn objidconfig_keeps_descriptions_and_moves_object_ranges() {
        use crate::IdRange;
        let text = "{\n  \"idRanges\": [\n    { \"from\": 50100, \"to\": 50149, \"description\": \"all\" }\n  ],\n  \"objectRanges\": {\n    \"table\": [ { \"from\": 50100, \"to\": 50119, \"description\": \"Tables\" } ],\n    \"codeunit\": [ { \"from\": 50120, \"to\": 50149 } ]\n  }\n}\n";
        let out = objidconfig(text.as_bytes(), &[IdRange::new(70000000, 70000099)]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"idRanges\": [\n    { \"from\": 70000000, \"to\": 70000099, \"description\": \"all\" }\n  ],\n  \"objectRanges\": {\n    \"table\": [ { \"from\": 70000000, \"to\": 70000019, \"description\": \"Tables\" } ],\n    \"codeunit\": [ { \"from\": 70000020, \"to\": 70000049 } ]\n  }\n}\n"
        );
        // Two ranges into two: positions carry over range by range.
        assert_eq!(
            same_position(
                50205,
                &[IdRange::new(50100, 50149), IdRange::new(50200, 50209)],
                &[
                    IdRange::new(70000000, 70000049),
                    IdRange::new(70000100, 70000199)
                ]
            ),
            Some(70000105)
        );
        assert_eq!(
            same_position(50150, &[IdRange::new(50100, 50149)], &[IdRange::new(7, 9)]),
            None
        );
    }

    #[test]
    fn example_cop_affixes() {
        let out = cop_affixes(b"{\n  \"version\": \"1.0.0.0\"\n}\n", Some("CLY")).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"mandatoryAffixes\": [\"CLY\"],\n  \"version\": \"1.0.0.0\"\n}\n"
        );
    }

    #[test]
    fn example_xliff() {
        use crate::move_engine::MappingEntry;
        use al_manifest::xlf::name_hash;
        let xlf = r#"<?xml version="1.0" encoding="utf-8"?>
        <xliff version="1.2"><file><body><group id="body">
          <trans-unit id="Table 596208023 - Property 2879900210">
            <source>T</source>
            <note from="Xliff Generator" annotates="general" priority="3">Table NAB Test Table - Property Caption</note>
          </trans-unit>
        </group></body></file></xliff>"#;
        let m = vec![MappingEntry {
            kind: "object".into(),
            object_kind: "table".into(),
            object: "NAB Test Table".into(),
            member: None,
            old_id: Some(50100),
            new_id: Some(70000000),
            old_name: "NAB Test Table".into(),
            new_name: "ABC NAB Test Table".into(),
            symbol: None,
        }];
        let out = String::from_utf8(xliff(xlf.as_bytes(), &m).unwrap().unwrap()).unwrap();
        assert!(out.contains(&format!(
            "Table {} - Property 2879900210",
            name_hash("ABC NAB Test Table")
        )));
        assert!(out.contains(">Table ABC NAB Test Table - Property Caption</note>"));
    }

    #[test]
    fn xml_permission_sets_follow_renumbered_objects() {
        let entry = |kind: &str, old: u32, new: u32| MappingEntry {
            kind: "object".into(),
            object_kind: kind.into(),
            object: "X".into(),
            member: None,
            old_id: Some(old),
            new_id: Some(new),
            old_name: "X".into(),
            new_name: "X".into(),
            symbol: None,
        };
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<PermissionSets>\n  <PermissionSet RoleID=\"LOY\" RoleName=\"Loyalty\">\n    <Permission>\n      <ObjectID> 50100 </ObjectID>\n      <ObjectType>0</ObjectType>\n    </Permission>\n    <Permission>\n      <ObjectType>Page</ObjectType>\n      <ObjectID>50100</ObjectID>\n    </Permission>\n    <Permission>\n      <ObjectID>50101</ObjectID>\n      <ObjectType>5</ObjectType>\n    </Permission>\n  </PermissionSet>\n</PermissionSets>\n";
        let map = [
            entry("table", 50100, 70000000),
            entry("page", 50100, 70000001),
        ];
        let out = String::from_utf8(xml_permission_sets(xml.as_bytes(), &map).unwrap()).unwrap();
        assert_eq!(
            out,
            xml.replace(
                "<ObjectID> 50100 </ObjectID>",
                "<ObjectID> 70000000 </ObjectID>"
            )
            .replace(
                "<ObjectType>Page</ObjectType>\n      <ObjectID>50100</ObjectID>",
                "<ObjectType>Page</ObjectType>\n      <ObjectID>70000001</ObjectID>"
            )
        );
        // Codeunit 50101 is not renumbered; other XML is not a permission set.
        assert!(out.contains("<ObjectID>50101</ObjectID>"));
        assert_eq!(
            xml_permission_sets(b"<Report><ObjectID>50100</ObjectID></Report>", &map),
            None
        );
        assert_eq!(xml_permission_sets(xml.as_bytes(), &[]), None);
    }
}
