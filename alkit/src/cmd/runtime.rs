//! `alkit runtime PATH... --platform X.Y --out DIR [--licence FILE] [--include-source]
//! [--show-my-code] [--server-instance NAME] [--tenant T] [--country CC] [--today DATE]`:
//! prepares the server step that makes genuine runtime packages (`runtime-distribution.md`).
//!
//! Only a Business Central server makes a runtime package (`Get-NAVAppRuntimePackage`, a
//! `.NEA` payload); alkit never writes a file it calls one. For one app or a set (project
//! folders or normal `.app` packages, in any order) it:
//!
//! 1. reads each `.app`, or builds the ordinary package of each project folder in memory
//!    (as `alkit pack`), and refuses packages a server cannot publish and compile
//!    (symbols-only, `.NEA`, ready-to-run wrappers);
//! 2. orders the set with the dependency graph of `alkit deps sort` (dependencies first;
//!    cycles and duplicate app ids are refused);
//! 3. checks what would make `Get-NAVAppRuntimePackage` fail or produce the wrong thing:
//!    `target` OnPrem (runtime packages are on-premises only, AVS0104); the app's `platform`,
//!    `application` and `runtime` not newer than `--platform`; with `--licence`, every object
//!    ID covered (direct Insert to generate, direct Execute to run; needed before BC 22);
//!    the exposure of the source (`--include-source` = `-IncludeSourceInPackageFile`, needed
//!    by `Repair-NAVApp`; `--show-my-code` = `-ShowMyCode`) against the app's
//!    `resourceExposurePolicy`; dependencies outside the set that must be installed on the
//!    server first (Microsoft's apps are there already);
//! 4. when every check passes, writes to `--out` (a new or empty folder) the packages to
//!    publish (`apps/…`) and `runtime-packages.ps1`
//!    ([`runtime_pack::runtime::ServerScript`]): publish, sync, install in order and
//!    `Get-NAVAppRuntimePackage` per app (or the BcContainerHelper equivalents with
//!    `-Container`).
//!
//! Exit codes: 0 script written; 1 a check failed (each failure listed, nothing written);
//! 2 bad input.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use al_manifest::{AppManifest, DependencyGraph, GraphOptions};
use clap::Args;
use runtime_pack::licence::{Date, LicObject, check_objects, read_licence};
use runtime_pack::runtime::{RequiredApp, ScriptApp, ServerScript};
use runtime_pack::{Package, PackageKind};

/// The script's file name in `--out`.
pub const SCRIPT_FILE: &str = "runtime-packages.ps1";
/// The folder of `--out` holding the packages the script publishes.
pub const APPS_FOLDER: &str = "apps";

/// `alkit runtime`
#[derive(Debug, Args)]
pub struct RuntimeArgs {
    /// Project folders (holding app.json) or normal .app packages: the app, or the whole set.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The platform of the server that makes the runtime packages, `major.minor` (e.g. `24.0`).
    #[arg(long, value_parser = parse_platform)]
    pub platform: (u32, u32),
    /// Folder for the script and the packages it publishes (created; must be new or empty).
    #[arg(long)]
    pub out: PathBuf,
    /// Check every object against this licence (.bclicense or range file) first.
    #[arg(long, alias = "license")]
    pub licence: Option<PathBuf>,
    /// Have the server put the AL source in (`-IncludeSourceInPackageFile`): Repair possible.
    #[arg(long)]
    pub include_source: bool,
    /// Also `-ShowMyCode` (implies --include-source).
    #[arg(long)]
    pub show_my_code: bool,
    /// Default of the script's -ServerInstance.
    #[arg(long, default_value = "BC")]
    pub server_instance: String,
    /// Default of the script's -Tenant.
    #[arg(long, default_value = "default")]
    pub tenant: String,
    /// Default of the script's -Country (the localization in the file names; w1 = none).
    #[arg(long, default_value = "w1")]
    pub country: String,
    /// The date that decides licence expiry (YYYY-MM-DD); default: today (UTC).
    #[arg(long, value_parser = parse_date)]
    pub today: Option<Date>,
}

/// Parses `--today` (`YYYY-MM-DD`).
fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| e.to_string())
}

/// Parses `major.minor` (a trailing `.0.0` is accepted).
pub fn parse_platform(s: &str) -> Result<(u32, u32), String> {
    let parts: Vec<&str> = s.trim().split('.').collect();
    let bad = || format!("platform must be major.minor, e.g. 24.0 (got {s:?})");
    if parts.len() < 2 || parts.len() > 4 {
        return Err(bad());
    }
    let nums: Vec<u32> = parts
        .iter()
        .map(|p| p.parse::<u32>().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    match nums.as_slice() {
        [a, b, rest @ ..] if rest.iter().all(|x| *x == 0) => Ok((*a, *b)),
        _ => Err(bad()),
    }
}

/// One app of the set: its package and manifest.
struct Input {
    /// The package file's bytes (as read, or as built).
    bytes: Vec<u8>,
    /// The package, read.
    pkg: Package,
    /// Its manifest in the app.json model.
    manifest: AppManifest,
    /// The input as messages name it.
    label: String,
}

/// What the checks found for one app.
#[derive(Default)]
struct Findings {
    /// Lines that stop the command.
    errors: Vec<String>,
    /// Lines to read (what passed, what to know).
    notes: Vec<String>,
}

type Error = Box<dyn std::error::Error>;

/// Prints `alkit: error: MSG` and gives exit code 2.
fn bad(msg: impl std::fmt::Display) -> Result<ExitCode, Error> {
    errln!("alkit: error: {msg}");
    Ok(ExitCode::from(2))
}

/// Runs `alkit runtime`.
pub fn run(args: RuntimeArgs) -> Result<ExitCode, Error> {
    if let Err(e) = crate::stage::check_new_dir(&args.out) {
        return bad(format!("--out {e}"));
    }
    let mut inputs = Vec::new();
    for path in &args.paths {
        match read_input(path)? {
            Ok(i) => inputs.push(i),
            Err(code) => return Ok(code),
        }
    }
    for (i, a) in inputs.iter().enumerate() {
        if let Some(b) = inputs[..i].iter().find(|b| b.manifest.id == a.manifest.id) {
            return bad(format!(
                "{} and {} are the same app ({}): give each app once",
                b.label, a.label, a.manifest.id
            ));
        }
    }
    let graph = DependencyGraph::new(inputs.iter().map(|i| i.manifest.clone()));
    let order: Vec<uuid::Uuid> = match graph.sort(&GraphOptions::default()) {
        Ok(sorted) => sorted.order.iter().map(|m| m.id).collect(),
        Err(e) => return bad(format!("the set cannot be ordered: {e}")),
    };
    inputs.sort_by_key(|i| order.iter().position(|id| *id == i.manifest.id));

    let licence = match &args.licence {
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
            match read_licence(&bytes) {
                Ok(l) => Some((p, l)),
                Err(e) => return bad(format!("{}: {e}", p.display())),
            }
        }
        None => None,
    };
    let today = args.today.unwrap_or_else(super::licence::today_utc);
    let set_ids: Vec<uuid::Uuid> = inputs.iter().map(|i| i.manifest.id).collect();
    let mut required: Vec<RequiredApp> = Vec::new();
    let mut failed = 0usize;
    for input in &inputs {
        let mut f = Findings::default();
        check_target(input, &mut f);
        check_versions(input, args.platform, &mut f);
        check_licence(input, licence.as_ref(), today, args.platform, &mut f)?;
        check_source(input, &args, &mut f);
        check_dependencies(input, &set_ids, &mut required, &mut f);
        let m = &input.manifest;
        outln!(
            "{}: {} by {} {} ({})",
            input.label,
            m.name,
            m.publisher,
            m.version,
            m.id
        );
        for n in &f.notes {
            outln!("  {n}");
        }
        for e in &f.errors {
            outln!("  ERROR: {e}");
        }
        failed += f.errors.len();
    }
    if failed > 0 {
        errln!(
            "alkit: error: {failed} problem(s) would make Get-NAVAppRuntimePackage fail or make the wrong package; nothing written"
        );
        return Ok(ExitCode::from(1));
    }
    write_outputs(&args, &inputs, required)
}

/// Reads the `.app`, or builds the ordinary package of a project folder; only a normal
/// package (with AL source the server compiles) and a readable manifest pass.
fn read_input(path: &Path) -> Result<Result<Input, ExitCode>, Error> {
    let is_app = crate::cmd::check::is_app_file(path);
    let label = path.display().to_string();
    let stop = |msg: String| -> Result<Result<Input, ExitCode>, Error> {
        errln!("alkit: error: {msg}");
        Ok(Err(ExitCode::from(2)))
    };
    let bytes = if is_app {
        std::fs::read(path).map_err(|e| format!("{label}: {e}"))?
    } else if path.is_dir() {
        match crate::cmd::pack::build(path, false)? {
            Some(built) => built.bytes,
            None => return Ok(Err(ExitCode::from(2))),
        }
    } else {
        return stop(format!("{label}: not a project folder or a .app file"));
    };
    let pkg = match Package::read(&bytes) {
        Ok(p) => p,
        Err(e) => return stop(format!("{label}: {e}")),
    };
    let why = match pkg.kind() {
        PackageKind::Normal => None,
        PackageKind::SymbolsOnly => Some(
            "a symbols-only package (no AL source): a server cannot publish it, there is nothing to compile; give the app's normal package or its project",
        ),
        PackageKind::Runtime => {
            Some("already a runtime package (.NEA); check it with `alkit runtime-check`")
        }
        PackageKind::ReadyToRun => {
            Some("a ready-to-run wrapper; give the .app it wraps (`alkit extract`) or the project")
        }
    };
    if let Some(why) = why {
        return stop(format!("{label}: {why}"));
    }
    let manifest = match pkg.app_manifest() {
        Some(Ok(m)) => m,
        Some(Err(e)) => return stop(format!("{label}: NavxManifest.xml: {e}")),
        None => return stop(format!("{label}: the package has no NavxManifest.xml")),
    };
    Ok(Ok(Input {
        bytes,
        pkg,
        manifest,
        label,
    }))
}

/// `target` must be OnPrem: runtime packages are on-premises only (AVS0104).
fn check_target(input: &Input, f: &mut Findings) {
    let target = input
        .manifest
        .target
        .as_ref()
        .map(|t| t.as_str().to_string());
    match target.as_deref() {
        Some(t) if t.eq_ignore_ascii_case("OnPrem") => f.notes.push("target: OnPrem".into()),
        t => f.errors.push(format!(
            "target is {} ({}): runtime packages are on-premises only and cannot go to AppSource (AVS0104); \
             set \"target\": \"OnPrem\" in app.json and build the package again",
            t.unwrap_or("Cloud"),
            if t.is_none() { "the default" } else { "declared" }
        )),
    }
}

/// The BC major.minor a runtime version needs (runtime 2.0 = BC 13, … 13.0 = BC 24).
fn platform_of_runtime(r: al_manifest::RuntimeVersion) -> Option<(u32, u32)> {
    (r.major >= 2).then_some((r.major + 11, r.minor))
}

/// The app's `platform`, `application` and `runtime` must not be newer than the server's.
fn check_versions(input: &Input, platform: (u32, u32), f: &mut Findings) {
    let m = &input.manifest;
    let (pm, pn) = platform;
    let mut fits = Vec::new();
    let mut check = |what: &str, shown: String, needs: Option<(u32, u32)>| {
        if let Some(needs) = needs {
            if needs > platform {
                f.errors.push(format!(
                    "{what} {shown} needs Business Central {}.{} or later; the server is {pm}.{pn}",
                    needs.0, needs.1
                ));
            } else {
                fits.push(format!("{what} {shown}"));
            }
        }
    };
    check(
        "platform",
        m.platform.map(|v| v.to_string()).unwrap_or_default(),
        m.platform.map(|v| (v.major, v.minor)),
    );
    check(
        "application",
        m.application.map(|v| v.to_string()).unwrap_or_default(),
        m.application.map(|v| (v.major, v.minor)),
    );
    check(
        "runtime",
        m.runtime.map(|v| v.to_string()).unwrap_or_default(),
        m.runtime.and_then(platform_of_runtime),
    );
    if !fits.is_empty() {
        f.notes.push(format!(
            "versions: {} fit platform {pm}.{pn} (the runtime package will only be guaranteed on {pm}.{pn})",
            fits.join(", ")
        ));
    }
}

/// With `--licence`: every object allowed (direct Insert to generate, direct Execute to run).
fn check_licence(
    input: &Input,
    licence: Option<&(&PathBuf, runtime_pack::licence::Licence)>,
    today: Date,
    platform: (u32, u32),
    f: &mut Findings,
) -> Result<(), Error> {
    let Some((path, lic)) = licence else {
        if platform.0 < 22 {
            f.notes.push(format!(
                "licence: NOT CHECKED: before BC 22 the server checks its developer licence against every object ID \
                 when it makes the runtime package; pass --licence to check here first ({} objects)",
                package_objects(input)?.len()
            ));
        } else {
            f.notes.push(
                "licence: not checked (the server needs no developer licence for this from BC 22)"
                    .into(),
            );
        }
        return Ok(());
    };
    let objects = package_objects(input)?;
    let check = check_objects(lic, &objects, Some(today));
    let failures: Vec<_> = check.failures().collect();
    if failures.is_empty() {
        f.notes.push(format!(
            "licence {}: all {} objects allowed (generate = direct Insert, run = direct Execute; {today})",
            path.display(),
            check.objects.len()
        ));
        return Ok(());
    }
    for c in failures {
        let o = &c.object;
        let mut missing = Vec::new();
        if c.generate != Some(true) {
            missing.push("Insert (generate)");
        }
        if c.runtime != Some(true) {
            missing.push("Execute (run)");
        }
        let id = o.id.map(|i| format!(" {i}")).unwrap_or_default();
        let why = if missing.is_empty() {
            c.notes.join("; ")
        } else {
            format!("missing {}", missing.join(" and "))
        };
        f.errors.push(format!(
            "{}{id} \"{}\" ({}) is outside the licence {}: {why}",
            o.kind.keyword(),
            o.name,
            o.source,
            path.display()
        ));
    }
    Ok(())
}

/// What `--include-source`/`--show-my-code` mean for this app, against its exposure policy.
fn check_source(input: &Input, args: &RuntimeArgs, f: &mut Findings) {
    let m = &input.manifest;
    let pol = m.resource_exposure_policy.clone().unwrap_or_default();
    let flag = |b: Option<bool>| b.unwrap_or(false);
    let with_source = args.include_source || args.show_my_code;
    if with_source {
        f.notes.push(format!(
            "source: the server puts the AL source in (-IncludeSourceInPackageFile{}): Repair-NAVApp can recompile \
             the package on another platform",
            if args.show_my_code { ", -ShowMyCode" } else { "" }
        ));
        if pol.allow_debugging || args.show_my_code {
            f.notes.push(format!(
                "exposure: {} lets users who can debug the app see the source inside",
                if args.show_my_code {
                    "-ShowMyCode"
                } else {
                    "allowDebugging=true"
                }
            ));
        }
    } else {
        f.notes.push(
            "source: not in the runtime package: Repair-NAVApp cannot recompile it; make a new one for each platform \
             (--include-source to put it in)"
                .into(),
        );
        if pol.allow_downloading_source || flag(m.show_my_code) {
            f.notes.push(
                "exposure: the app allows downloading its source (allowDownloadingSource/showMyCode), but without \
                 --include-source the runtime package has none to download"
                    .into(),
            );
        }
    }
}

/// Dependencies: in the set (published before), Microsoft's (on the server), or apps that
/// must be installed first (collected into `required`; the script checks them).
fn check_dependencies(
    input: &Input,
    set: &[uuid::Uuid],
    required: &mut Vec<RequiredApp>,
    f: &mut Findings,
) {
    let mut in_set = Vec::new();
    let mut microsoft = Vec::new();
    let mut first = Vec::new();
    for d in &input.manifest.dependencies {
        let label = format!("{} {}", d.name, d.version);
        if set.contains(&d.id) {
            in_set.push(label);
        } else if d.publisher.eq_ignore_ascii_case("Microsoft")
            || crate::project::is_application_part(&d.id.to_string())
        {
            microsoft.push(label);
        } else {
            first.push(format!("{} by {} {}", d.name, d.publisher, d.version));
            match required.iter_mut().find(|r| r.id == d.id) {
                Some(r) => {
                    if version_key(&d.version.to_string()) > version_key(&r.min_version) {
                        r.min_version = d.version.to_string();
                    }
                }
                None => required.push(RequiredApp {
                    id: d.id,
                    name: d.name.clone(),
                    publisher: d.publisher.clone(),
                    min_version: d.version.to_string(),
                }),
            }
        }
    }
    if input.manifest.dependencies.is_empty() {
        f.notes.push("dependencies: none".into());
    }
    if !in_set.is_empty() {
        f.notes.push(format!(
            "dependencies in this set (published before it): {}",
            in_set.join(", ")
        ));
    }
    if !microsoft.is_empty() {
        f.notes.push(format!(
            "dependencies by Microsoft (on the server): {}",
            microsoft.join(", ")
        ));
    }
    if !first.is_empty() {
        f.notes.push(format!(
            "dependencies that must be installed on the server first, published with Publish-NAVApp (not from \
             VS Code); the script checks them before it changes anything: {}",
            first.join(", ")
        ));
    }
}

/// `a.b.c.d` as numbers, for comparing minimum versions.
fn version_key(v: &str) -> Vec<u64> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// Objects of a package for the licence check (as `alkit licence check` reads them).
fn package_objects(input: &Input) -> Result<Vec<LicObject>, Error> {
    super::licence::package_objects(&input.pkg, &input.label)
}

/// Writes the packages to publish and the script into `--out`, then says what to do next.
fn write_outputs(
    args: &RuntimeArgs,
    inputs: &[Input],
    required: Vec<RequiredApp>,
) -> Result<ExitCode, Error> {
    let mut apps = Vec::new();
    let mut files = Vec::new();
    for i in inputs {
        let m = &i.manifest;
        let file = format!(
            "{APPS_FOLDER}/{}",
            crate::cmd::pack::app_file_name(&m.publisher, &m.name, &m.version.to_string())
        );
        apps.push(ScriptApp {
            id: m.id,
            name: m.name.clone(),
            publisher: m.publisher.clone(),
            version: m.version.to_string(),
            file: file.clone(),
            show_my_code: args.show_my_code,
            include_source: args.include_source || args.show_my_code,
        });
        files.push((file, &i.bytes));
    }
    let script = ServerScript {
        platform: args.platform,
        server_instance: args.server_instance.clone(),
        tenant: args.tenant.clone(),
        country: args.country.clone(),
        apps,
        required,
        tool: format!("alkit {}", env!("CARGO_PKG_VERSION")),
    }
    .to_powershell();
    // The folder appears whole or not at all (staged beside it, then renamed; a killed run
    // is found and undone by `alkit recover`).
    let root = crate::stage::new_dir_root(&args.out)
        .map_err(|e| format!("{}: {e}", args.out.display()))?;
    let guard = crate::stage::Guard::acquire(&[root])?;
    let mut dir_files: Vec<(String, std::sync::Arc<Vec<u8>>)> = files
        .iter()
        .map(|(rel, bytes)| (rel.clone(), std::sync::Arc::new((*bytes).clone())))
        .collect();
    dir_files.push((
        SCRIPT_FILE.to_string(),
        std::sync::Arc::new(script.into_bytes()),
    ));
    let mut tx = crate::stage::Transaction::default();
    tx.new_dir(&args.out, dir_files);
    tx.commit(&guard)?;
    let script_path = args.out.join(SCRIPT_FILE);
    let (pm, pn) = args.platform;
    outln!(
        "{}: publishes {} app(s) in this order and has the server make their runtime packages: {}",
        script_path.display(),
        inputs.len(),
        inputs
            .iter()
            .map(|i| i.manifest.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    outln!(
        "  packages to publish: {} in {}",
        files.len(),
        args.out.join(APPS_FOLDER).display()
    );
    outln!(
        "  next: copy {} to the Business Central {pm}.{pn} server and run it there \
         (powershell -File {SCRIPT_FILE} [-ServerInstance NAME] [-Container NAME]); then check what it made: \
         alkit runtime-check {}/runtime --platform {pm}.{pn} --sources {}",
        args.out.display(),
        args.out.display(),
        args.paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    );
    outln!("  no runtime package was made here: only a Business Central server makes them");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms() {
        assert_eq!(parse_platform("24.0"), Ok((24, 0)));
        assert_eq!(parse_platform("24.1.0.0"), Ok((24, 1)));
        assert!(parse_platform("24").is_err());
        assert!(parse_platform("24.1.5").is_err());
        let rt = |major, minor| al_manifest::RuntimeVersion { major, minor };
        assert_eq!(platform_of_runtime(rt(13, 0)), Some((24, 0)));
        assert_eq!(platform_of_runtime(rt(12, 1)), Some((23, 1)));
        assert_eq!(platform_of_runtime(rt(1, 0)), None);
    }
}
