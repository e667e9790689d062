//! Stage "request": what to move and to what — scopes, the rules of the move between them,
//! target ranges, affixes, identity — read from the project and the options. `alkit plan`
//! and `alkit move` make their plans from the same request.

use serde::Serialize;

use al_manifest::{AppJsonDocument, AppManifest, AppVersion};
use al_parser::symbols::ParsedApp;
use rayon::prelude::*;

use crate::affix::{AffixPosition, Affixes};
use crate::checks::source::ObjectDecl;
use crate::move_engine::{Dependent, MoveError, MoveOptions, ProjectFile};
use crate::ranges::{APPSOURCE_APP, IdRange, PER_TENANT, declared_range_allowed};
use crate::scope::{Cop, Scope};

/// Where the affix of a move comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AffixSource {
    /// Given in the options (`--affix`).
    Option,
    /// The first `mandatoryAffixes` entry of AppSourceCop.json.
    AppSourceCop,
}

/// What to move and to what: the scopes, the rules of the move between them, the target
/// ranges, the affix and the identity, read from the project and the options. Made once
/// by the request stage; the plan ([`super::plan_project`], [`super::move_app`]) is made from it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The project's app.json as read (before the move).
    pub app: AppManifest,
    /// Current scope.
    pub from: Scope,
    /// Whether `from` was inferred from app.json's idRanges (not given).
    pub from_inferred: bool,
    /// Target scope.
    pub to: Scope,
    /// What the move between the two scopes requires.
    pub rules: MoveRules,
    /// app.json's idRanges.
    pub current_ranges: Vec<IdRange>,
    /// The ranges objects are renumbered into.
    pub target_ranges: Vec<IdRange>,
    /// Whether `target_ranges` are the default (none were given).
    pub ranges_defaulted: bool,
    /// The affix to add, if any.
    pub affix: Option<String>,
    /// Where `affix` comes from.
    pub affix_source: Option<AffixSource>,
    /// Where the affix goes.
    pub affix_position: AffixPosition,
    /// Affixes the names carry now (stripped before a new one is added).
    pub old_affixes: Affixes,
    /// The app id to use when the move sets a new one.
    pub proposed_id: String,
    /// Whether a new id is wanted (required by the move, or asked for).
    pub wants_new_id: bool,
    /// Index of AppSourceCop.json in the project's files.
    pub(super) cop_index: Option<usize>,
}

/// Checks the target ranges the user gave against the target scope's ranges
/// ([`declared_range_allowed`]: a PTE's lie in 50,000–99,999, an AppSource app's in
/// 1,000,000–74,999,999, every range below the system range 2,000,000,000).
///
/// ```
/// # use scope_rules::{IdRange, Scope};
/// # use scope_rules::move_engine::check_target_ranges;
/// assert!(check_target_ranges(Scope::APPSOURCE, &[IdRange::new(50_000, 50_099)]).is_err());
/// assert!(check_target_ranges(Scope::Pte, &[IdRange::new(70_000_000, 70_000_099)]).is_err());
/// assert!(check_target_ranges(Scope::Dev, &[IdRange::new(2_147_483_600, 2_147_483_647)]).is_err());
/// assert!(check_target_ranges(Scope::APPSOURCE, &[IdRange::new(70_000_000, 70_000_099)]).is_ok());
/// ```
pub fn check_target_ranges(to: Scope, ranges: &[IdRange]) -> Result<(), MoveError> {
    let bad: Vec<String> = ranges
        .iter()
        .filter(|r| !declared_range_allowed(to, r))
        .map(ToString::to_string)
        .collect();
    if bad.is_empty() {
        return Ok(());
    }
    let allowed = if to == Scope::Pte {
        format!("{PER_TENANT}")
    } else if to == Scope::APPSOURCE {
        format!("{}", crate::ranges::APPSOURCE_ALLOWED)
    } else {
        format!("below {}", crate::ranges::SYSTEM.from)
    };
    Err(MoveError::Input(format!(
        "target range {} is not valid for {to} (allowed: {allowed})",
        bad.join(", ")
    )))
}

/// Checks an affix given for the move (AppSourceCop.json's are checked by `alkit check`):
/// at least 3 characters (a registered affix is exactly 3; longer per-app or composite
/// ones such as `fab-rentals` are allowed), no quotes, no control characters.
///
/// ```
/// # use scope_rules::move_engine::check_affix;
/// assert!(check_affix("ABC").is_ok());
/// assert!(check_affix("fab-rentals").is_ok());
/// assert!(check_affix("AB").is_err());
/// assert!(check_affix("A\"BC").is_err());
/// assert!(check_affix("AB\tC").is_err());
/// ```
pub fn check_affix(affix: &str) -> Result<(), MoveError> {
    let why = if affix.chars().any(|c| c == '"' || c == '\'') {
        Some("it must not contain quotes")
    } else if affix.chars().any(char::is_control) {
        Some("it must not contain control characters")
    } else if affix.chars().count() < 3 {
        Some(
            "a registered affix has 3 characters (longer per-app or composite affixes such as fab-rentals are allowed)",
        )
    } else {
        None
    };
    match why {
        Some(w) => Err(MoveError::Input(format!("affix {affix:?}: {w}"))),
        None => Ok(()),
    }
}

/// Reads the request of a move of `project` from its files and `opts` (for a reverse move,
/// the scopes come from the mapping).
pub(super) fn read(
    project: &[ProjectFile],
    opts: &MoveOptions,
) -> Result<(Request, Manifest), MoveError> {
    let manifest = read_manifest(project, "project")?;
    let app = manifest.doc.manifest().clone();
    let reverse = opts.reverse;
    let mapping_in = opts.mapping.as_ref();
    if reverse && mapping_in.is_none() {
        return Err(MoveError::Input(
            "a reverse move needs the mapping of the move".into(),
        ));
    }
    let current_ranges = app.id_ranges();
    let (from, to, from_inferred) = match (reverse, mapping_in) {
        (true, Some(mp)) => match (mp.from, mp.to) {
            (Some(f), Some(t)) => (t, f, false),
            _ => {
                return Err(MoveError::Input(
                    "move-mapping.json: no \"from\"/\"to\" scope recorded; a reverse move needs the mapping a move wrote".into(),
                ));
            }
        },
        _ => match opts.from {
            Some(f) => (f, opts.to, false),
            None => (infer_scope(&current_ranges), opts.to, true),
        },
    };
    if reverse
        && let Some(mp) = mapping_in
        && !mp.new_app.id.eq_ignore_ascii_case(&app.id.to_string())
    {
        return Err(MoveError::Input(format!(
            "app.json: id {} is not the moved app's id {} recorded in the mapping",
            app.id, mp.new_app.id
        )));
    }
    let rules = move_rules(from, to);
    if !reverse {
        check_target_ranges(to, &opts.ranges)?;
    }
    let ranges_defaulted = opts.ranges.is_empty();
    let target_ranges = if ranges_defaulted {
        default_target_ranges(from, to, &current_ranges)
    } else {
        opts.ranges.clone()
    };
    let cop_index = project
        .iter()
        .position(|f| f.path.eq_ignore_ascii_case("AppSourceCop.json"));
    let cop = cop_index
        .and_then(|i| std::str::from_utf8(&project[i].bytes).ok())
        .map(|t| {
            al_manifest::AppSourceCop::from_json_str_named(
                t.trim_start_matches('\u{feff}'),
                "AppSourceCop.json",
            )
        })
        .transpose()
        .map_err(|e| MoveError::Input(e.to_string()))?;
    let cop_affixes = cop
        .as_ref()
        .map(crate::checks::cop::affixes_of)
        .unwrap_or_default();
    let side_by_side_needed =
        rules.rename_for_side_by_side == Requirement::Required || opts.side_by_side;
    let (affix, affix_source) = if reverse {
        (None, None)
    } else {
        match (&opts.affix, rules.add_affixes) {
            (Some(a), _) => (Some(a.trim().to_string()), Some(AffixSource::Option)),
            (None, true) => (
                cop_affixes.primary().map(str::to_string),
                Some(AffixSource::AppSourceCop),
            ),
            _ => (None, None),
        }
    };
    if let Some(a) = affix
        .as_deref()
        .filter(|a| !a.is_empty() && affix_source == Some(AffixSource::Option))
    {
        check_affix(a)?;
    }
    if !reverse
        && (rules.add_affixes || side_by_side_needed)
        && affix.as_deref().is_none_or(str::is_empty)
        && opts.names.is_empty()
    {
        let hint = if side_by_side_needed && !rules.add_affixes {
            "renames every object for side-by-side use: pass the new affix (e.g. --affix ABC)"
        } else {
            "adds an affix: pass one (e.g. --affix ABC) or declare mandatoryAffixes in AppSourceCop.json"
        };
        return Err(MoveError::Input(format!(
            "moving from {from} to {to} {hint}"
        )));
    }
    let old_affixes = if from == Scope::APPSOURCE {
        cop_affixes
    } else {
        Affixes::default()
    };
    let wants_new_id = rules.new_id != Requirement::No || opts.id.is_some() || opts.force_new_id;
    // Copying data installs the old and the moved app side by side: two apps, two ids.
    if opts.side_by_side && !opts.reverse && !wants_new_id {
        return Err(MoveError::Input(format!(
            "a data-migration app installs the old and the moved app side by side, which needs a new app id, \
             but a move from {from} to {to} keeps the id: add --new-id (or --id GUID)"
        )));
    }
    let request = Request {
        wants_new_id,
        from,
        from_inferred,
        to,
        rules,
        current_ranges,
        target_ranges,
        ranges_defaulted,
        affix_source: affix_source.filter(|_| affix.is_some()),
        affix,
        affix_position: opts.affix_position,
        old_affixes,
        proposed_id: opts.id.clone().unwrap_or_else(|| opts.generated_id.clone()),
        cop_index,
        app,
    };
    Ok((request, manifest))
}

/// The objects the plan reads: every AL file's declarations in the configuration app.json
/// defines (the first parse of each file: `parsed` was made with those symbols first).
pub(super) fn objects(project: &[ProjectFile], parsed: &ParsedApp) -> Vec<ObjectDecl> {
    let al_files: Vec<&ProjectFile> = project.iter().filter(|f| f.is_al()).collect();
    let mut objects: Vec<ObjectDecl> = al_files
        .par_iter()
        .zip(parsed.files.par_iter())
        .with_max_len(crate::FILES_PER_TASK)
        .flat_map_iter(|(f, pf)| {
            pf.parses
                .first()
                .map(|parse| crate::parsed::declarations_from_parse(parse, &f.path))
                .unwrap_or_default()
        })
        .collect();
    crate::parsed::mark_local_extensions(&mut objects);
    objects
}

/// A project's app.json, decoded and parsed.
pub(super) struct Manifest {
    /// Index in the file list.
    pub(super) index: usize,
    pub(super) doc: AppJsonDocument,
    pub(super) bom: bool,
    pub(super) encoding: al_parser::Encoding,
}

pub(super) fn read_manifest(files: &[ProjectFile], label: &str) -> Result<Manifest, MoveError> {
    let index = files
        .iter()
        .position(|f| f.path.eq_ignore_ascii_case("app.json"))
        .ok_or_else(|| MoveError::Input(format!("{label}: no app.json")))?;
    let (text, encoding) = al_parser::decode(&files[index].bytes);
    let text = String::from_utf8(text).map_err(|e| {
        MoveError::Input(format!(
            "{label}/app.json: not valid UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let bom = text.starts_with('\u{feff}');
    let doc = AppJsonDocument::parse_named(
        text.strip_prefix('\u{feff}').unwrap_or(&text),
        &format!("{label}/app.json"),
    )
    .map_err(|e| MoveError::Input(e.to_string()))?;
    Ok(Manifest {
        index,
        doc,
        bom,
        encoding,
    })
}

pub(super) fn manifest_bytes(m: &Manifest) -> Vec<u8> {
    let mut t = m.doc.to_string();
    if m.bom && !t.starts_with('\u{feff}') {
        t.insert(0, '\u{feff}');
    }
    al_parser::encode(t.as_bytes(), m.encoding)
}

/// How strongly a step is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Requirement {
    /// Must be done, or publishing fails / data is mixed up.
    Required,
    /// Advised by the docs.
    Recommended,
    /// Not needed.
    No,
}

/// Which IDs must be renumbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Renumber {
    /// Every object (the source range is never valid in the target scope).
    All,
    /// Only IDs the target scope does not accept.
    OutsideTarget,
    /// None.
    No,
}

/// What a move between two scopes requires (scope-rules.md §7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MoveRules {
    /// Source scope.
    #[serde(serialize_with = "ser_scope")]
    pub from: Scope,
    /// Target scope.
    #[serde(serialize_with = "ser_scope")]
    pub to: Scope,
    /// Whether a new app id is needed.
    pub new_id: Requirement,
    /// At least one of name/publisher/version must differ from the old app.
    pub identity_must_differ: bool,
    /// Which IDs to renumber.
    pub renumber: Renumber,
    /// Add the registered affix to objects (and members of other publishers' objects).
    pub add_affixes: bool,
    /// Rename objects so old and new can be installed side by side.
    pub rename_for_side_by_side: Requirement,
    /// Dependent apps must update their dependency id and object references.
    pub update_dependents: bool,
    /// Environments that switch from the old app to the new lose its data
    /// (data is keyed by app id), unless migrated side by side.
    pub data_lost_on_switch: bool,
    /// The analyzer the target scope must pass.
    #[serde(serialize_with = "ser_cop")]
    pub cop: Option<Cop>,
    /// Notes from the docs.
    pub notes: Vec<&'static str>,
}

pub(super) fn ser_scope<S: serde::Serializer>(s: &Scope, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s.as_str())
}

pub(super) fn ser_cop<S: serde::Serializer>(c: &Option<Cop>, ser: S) -> Result<S::Ok, S::Error> {
    match c {
        Some(Cop::AppSourceCop) => ser.serialize_str("AppSourceCop"),
        Some(Cop::PerTenantExtensionCop) => ser.serialize_str("PerTenantExtensionCop"),
        None => ser.serialize_none(),
    }
}

/// The rules for moving an app from `from` to `to`.
///
/// The six documented moves (PTE→AppSource, DEV→AppSource, AppSource→DEV,
/// PTE→DEV, DEV→PTE, AppSource→PTE) follow the docs' table; any other pair
/// gets a conservative default (new id recommended when either side is
/// global, renumber what the target rejects, no affixes unless the target is
/// Marketplace).
pub fn move_rules(from: Scope, to: Scope) -> MoveRules {
    let appsource = Scope::APPSOURCE;
    let base = MoveRules {
        from,
        to,
        new_id: Requirement::No,
        identity_must_differ: false,
        renumber: Renumber::OutsideTarget,
        add_affixes: to == appsource,
        rename_for_side_by_side: Requirement::No,
        update_dependents: false,
        data_lost_on_switch: false,
        cop: to.cop(),
        notes: Vec::new(),
    };
    match (from, to) {
        (Scope::Pte, t) if t == appsource => MoveRules {
            new_id: Requirement::Required,
            identity_must_differ: true,
            renumber: Renumber::All,
            update_dependents: true,
            data_lost_on_switch: true,
            notes: vec![
                "an AppSource app and a PTE cannot share an id",
                "to migrate data, install both side by side (no shared object names or IDs) and copy the data with a third PTE that depends on both",
            ],
            ..base
        },
        (Scope::Dev, t) if t == appsource => MoveRules {
            new_id: Requirement::Required,
            identity_must_differ: true,
            update_dependents: true,
            data_lost_on_switch: true,
            notes: vec![
                "DEV extensions have no range limit: renumber what is outside the AppSource range",
            ],
            ..base
        },
        (f, Scope::Dev) if f == appsource => MoveRules {
            new_id: Requirement::Recommended,
            renumber: Renumber::No,
            notes: vec![
                "with the same id the DEV copy is unpublished when another user installs the AppSource app, and publishing is blocked if another AppSource app depends on it",
                "a DEV copy must not equal the global app's id and version",
                "Marketplace previews can be installed without DEV publishing since 2023 release wave 2",
            ],
            ..base
        },
        (Scope::Pte, Scope::Dev) => MoveRules {
            renumber: Renumber::No,
            ..base
        },
        (Scope::Dev, Scope::Pte) => MoveRules {
            notes: vec!["the app must pass PerTenantExtensionCop (objects in 50,000-99,999)"],
            ..base
        },
        (f, Scope::Pte) if f == appsource => MoveRules {
            new_id: Requirement::Required,
            renumber: Renumber::All,
            rename_for_side_by_side: Requirement::Required,
            update_dependents: true,
            data_lost_on_switch: true,
            notes: vec![
                "a delisted Marketplace app keeps its id reserved, so the PTE can never reuse it",
                "rename all objects so the PTE and the Marketplace app can be installed side by side",
            ],
            ..base
        },
        _ => {
            let id_change = from != to && (from.is_global() || to.is_global());
            MoveRules {
                new_id: if id_change {
                    Requirement::Recommended
                } else {
                    Requirement::No
                },
                update_dependents: id_change,
                data_lost_on_switch: id_change,
                ..base
            }
        }
    }
}

/// The inputs of [`super::plan_move`].
#[derive(Debug, Clone)]
pub struct MoveRequest<'a> {
    /// Current scope.
    pub from: Scope,
    /// Target scope.
    pub to: Scope,
    /// The app's objects.
    pub objects: &'a [ObjectDecl],
    /// Target `idRanges` (e.g. the publisher's AppSource slice, or a PTE range).
    pub target_ranges: Vec<IdRange>,
    /// Affix to add when the move adds affixes or renames for side-by-side use.
    pub affix: Option<String>,
    /// Where to put it.
    pub affix_position: AffixPosition,
    /// Affixes to strip from names first (the old app's).
    pub old_affixes: Affixes,
    /// The new app id, supplied by the caller (the library has no randomness).
    pub new_id: Option<String>,
    /// The app's current identity and ranges, so steps already done are left out.
    pub current: CurrentApp,
    /// Rename every object so the old and the new app can be installed side by side
    /// (for data migration), even where the move alone would not require it.
    pub side_by_side: bool,
}

/// What app.json says today (all optional: unknown parts are treated as "to do").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CurrentApp {
    /// Current app id.
    pub id: Option<String>,
    /// Current version.
    pub version: Option<AppVersion>,
    /// Current declared `idRanges`.
    pub ranges: Vec<IdRange>,
}

/// The scope an app.json's declared ranges suggest: all inside 50,000–99,999
/// is a PTE; all inside the AppSource-allowed range is a Marketplace app;
/// anything else (none declared, mixed, other ranges) is taken as DEV, which
/// has no range limit. DEV and PTE share the PTE range, so a DEV extension
/// with PTE ranges is reported as a PTE: callers should let the user say.
///
/// ```
/// use scope_rules::move_engine::infer_scope;
/// use scope_rules::{IdRange, Scope};
/// assert_eq!(infer_scope(&[IdRange::new(50_100, 50_149)]), Scope::Pte);
/// assert_eq!(infer_scope(&[IdRange::new(70_000_000, 70_000_099)]), Scope::APPSOURCE);
/// assert_eq!(infer_scope(&[]), Scope::Dev);
/// ```
pub fn infer_scope(ranges: &[IdRange]) -> Scope {
    if ranges.is_empty() {
        Scope::Dev
    } else if ranges.iter().all(|r| declared_range_allowed(Scope::Pte, r)) {
        Scope::Pte
    } else if ranges
        .iter()
        .all(|r| declared_range_allowed(Scope::APPSOURCE, r))
    {
        Scope::APPSOURCE
    } else {
        Scope::Dev
    }
}

/// The target ranges to plan with when the user gives none: the current ranges
/// when the move keeps them valid (no forced renumbering and every current range
/// is allowed in `to`), otherwise the documented range of the target scope:
/// 50,000–99,999 for a PTE, the "App object range" 70,000,000–74,999,999 for
/// the Marketplace (a publisher must use its own allocated slice of it), and
/// the current ranges for scopes without a range rule.
///
/// ```
/// use scope_rules::move_engine::default_target_ranges;
/// use scope_rules::{IdRange, Scope};
/// let pte = [IdRange::new(50_100, 50_149)];
/// assert_eq!(default_target_ranges(Scope::Pte, Scope::APPSOURCE, &pte), vec![IdRange::new(70_000_000, 74_999_999)]);
/// assert_eq!(default_target_ranges(Scope::Dev, Scope::Pte, &pte), pte.to_vec());
/// ```
pub fn default_target_ranges(from: Scope, to: Scope, current: &[IdRange]) -> Vec<IdRange> {
    let rules = move_rules(from, to);
    let current_ok = !current.is_empty() && current.iter().all(|r| declared_range_allowed(to, r));
    if rules.renumber == Renumber::No || (rules.renumber != Renumber::All && current_ok) {
        return current.to_vec();
    }
    match to {
        Scope::Pte => vec![PER_TENANT],
        t if t == Scope::APPSOURCE => vec![APPSOURCE_APP],
        _ => current.to_vec(),
    }
}

/// `major+1.0.0.0` (saturating): a version that differs from `v` and sorts above it.
pub fn next_major(v: AppVersion) -> AppVersion {
    AppVersion::new(v.major.saturating_add(1), 0, 0, 0)
}

/// The app.json of each dependent, each checked to depend on the moved app.
pub(super) fn dependents(
    dependents: &[Dependent],
    app: &AppManifest,
) -> Result<Vec<Manifest>, MoveError> {
    dependents
        .iter()
        .map(|d| {
            let dm = read_manifest(&d.files, &d.label)?;
            if !dm
                .doc
                .manifest()
                .dependencies
                .iter()
                .any(|x| x.id == app.id)
            {
                return Err(MoveError::Input(format!(
                    "{}: does not depend on {:?} ({})",
                    d.label, app.name, app.id
                )));
            }
            Ok(dm)
        })
        .collect()
}
