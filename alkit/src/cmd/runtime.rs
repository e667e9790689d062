//! `alkit runtime DIR|FILE.app --platform X.Y [--licence FILE] [--include-source]
//! [--show-my-code] [--out DIR|FILE] [--today DATE]`: an on-premises "runtime" package
//! without AL source (scope-rules.md §1.1).
//!
//! Genuine BC runtime packages (`.NEA` payload) are produced only by Microsoft's server
//! (`Get-NAVAppRuntimePackage`); alkit's are ordinary open packages without AL source.
//!
//! What is built:
//! - from a project folder: the package `alkit pack` would build (built in a temporary
//!   folder; pack's own summary line is printed), then transformed as below;
//! - from a `.app`: its entries (a signed package's signature is dropped and the report says
//!   so; genuine runtime packages and ready-to-run wrappers are refused);
//! - `src/…` entries and `DocComments.xml` (which quotes `///` comments) are dropped unless
//!   `--include-source` (BC's `-IncludeSourceInPackageFile`) or `--show-my-code` is given;
//!   `SymbolReference.json` holds no source text (only `ReferenceSourceFileName` paths);
//! - the resource exposure policy is the app's (app.json defaults: all false, so
//!   `allowDebugging` is false unless declared); `--show-my-code` also sets `ShowMyCode="True"`;
//! - the platform is recorded twice: the manifest's `Platform` attribute becomes `X.Y.0.0`,
//!   and an extra part `alkit/runtime.json` holds
//!   `{ "platform": "X.Y", "includesSource": bool, "tool": "alkit <version>" }`
//!   (`alkit runtime-check` reads it); the file is named
//!   `<Publisher>_<Name>_<Version>.runtime-<X.Y>.app`.
//!
//! Refused (exit 2): an app whose `target` is `Cloud` or absent (the default is Cloud):
//! runtime packages are on-premises only and cannot go to AppSource (AVS0104). With
//! `--licence`, every object is checked first (generating needs direct Insert, running needs
//! direct Execute, as `alkit licence check`); any object outside the licence fails the build
//! (exit 1), listed, and nothing is written.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use al_parser::ast::ObjectKind;
use clap::Args;
use runtime_pack::build::{BuildEntry, BuildOptions, PackageIdMode, build_package};
use runtime_pack::licence::{Date, LicObject, ObjectType, check_objects, read_licence};
use runtime_pack::{Package, PackageKind};

use crate::output::write_atomic;

/// Name of the part alkit adds to record the platform a runtime package was made for.
pub const RUNTIME_PART: &str = "alkit/runtime.json";

/// `alkit runtime`
#[derive(Debug, Args)]
pub struct RuntimeArgs {
    /// Project folder (holding app.json) or a .app package.
    pub path: PathBuf,
    /// The platform the package is made for, `major.minor` (e.g. `24.0`).
    #[arg(long, value_parser = parse_platform)]
    pub platform: (u32, u32),
    /// Check every object against this licence (.bclicense or range file) first.
    #[arg(long, alias = "license")]
    pub licence: Option<PathBuf>,
    /// Put the AL source in the package (BC's `-IncludeSourceInPackageFile`): Repair possible.
    #[arg(long)]
    pub include_source: bool,
    /// Put the AL source in and set `ShowMyCode` (BC's `-ShowMyCode`).
    #[arg(long)]
    pub show_my_code: bool,
    /// Output file, or an existing folder (default: the project folder or the .app's folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
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

/// `<Publisher>_<Name>_<Version>.runtime-<X.Y>.app` (invalid Windows characters dropped).
pub fn runtime_file_name(
    publisher: &str,
    name: &str,
    version: &str,
    platform: (u32, u32),
) -> String {
    let base = crate::cmd::pack::app_file_name(publisher, name, version);
    let stem = base.strip_suffix(".app").unwrap_or(&base);
    format!("{stem}.runtime-{}.{}.app", platform.0, platform.1)
}

/// Objects of a package for the licence check: from its AL source, else SymbolReference.json.
fn package_objects(
    pkg: &Package,
    label: &str,
    from_dir: bool,
) -> Result<Vec<LicObject>, Box<dyn std::error::Error>> {
    let sources: Vec<_> = pkg
        .source_files()
        .filter(|e| {
            Path::new(&e.path)
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("al"))
        })
        .collect();
    let mut out = Vec::new();
    if !sources.is_empty() {
        for e in sources {
            let source = match e.path.strip_prefix("src/") {
                Some(rel) if from_dir => format!("{label}/{rel}"),
                _ => format!("{label}!{}", e.path),
            };
            out.extend(super::licence::objects_from_al(&source, &e.data));
        }
        return Ok(out);
    }
    let symbols = pkg
        .symbol_reference()
        .map_err(|e| format!("{label}: SymbolReference.json: {e}"))?
        .ok_or_else(|| {
            format!("{label}: the package has neither AL source nor SymbolReference.json")
        })?;
    for f in symbols.objects() {
        let Some(kind) = ObjectType::from_keyword(ObjectKind::from(f.kind).as_str()) else {
            continue;
        };
        out.push(LicObject {
            kind,
            id: u32::try_from(f.object.id).ok().filter(|id| *id != 0),
            name: f.object.name.clone(),
            temporary: false,
            obsolete_removed: false,
            source: format!("{label}!SymbolReference.json"),
        });
    }
    Ok(out)
}

/// A step that may stop the command: `Ok(Err(code))` once the reason is printed.
type Step<T> = Result<Result<T, ExitCode>, Box<dyn std::error::Error>>;

/// Prints `alkit: error: MSG` and stops with exit code `code`.
fn stop<T>(msg: impl std::fmt::Display, code: u8) -> Step<T> {
    errln!("alkit: error: {msg}");
    Ok(Err(ExitCode::from(code)))
}

/// The input package, read or built, and checked.
struct Input {
    /// The package (a normal one, not targeting the cloud).
    pkg: Package,
    /// Its manifest.
    navx: al_manifest::NavxManifest,
    /// The input as messages name it.
    label: String,
    /// Where the runtime package goes without `--out`.
    default_dir: PathBuf,
    /// Whether the input is a `.app` (else a project folder).
    is_app: bool,
}

/// What became of the AL source in the runtime package.
struct Source {
    /// How many `src/` entries were dropped.
    dropped_src: usize,
    /// Whether `DocComments.xml` was dropped.
    dropped_docs: bool,
    /// Whether AL source is in the package.
    has_source: bool,
}

/// Runs `alkit runtime`.
pub fn run(args: RuntimeArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut input = match read_input(&args)? {
        Ok(i) => i,
        Err(code) => return Ok(code),
    };
    // Licence check, before anything is written.
    let report = match check_licence(&args, &input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let (entries, source) = runtime_entries(&args, &mut input)?;
    let count = entries.len() + 1;
    let (out, size) = write_package(&args, &input, entries)?;
    print_summary(&args, &input, &source, &out, count, size, &report);
    Ok(ExitCode::SUCCESS)
}

/// Reads the `.app`, or builds the ordinary package of a project folder, and checks it: a
/// normal package (not a genuine runtime package or a ready-to-run wrapper) with a manifest,
/// not targeting the cloud.
fn read_input(args: &RuntimeArgs) -> Step<Input> {
    let input = args.path.as_path();
    let is_app = crate::cmd::check::is_app_file(input);
    let (bytes, label, default_dir) = match input_bytes(input, is_app)? {
        Ok(b) => b,
        Err(code) => return Ok(Err(code)),
    };
    let pkg = match Package::read(&bytes) {
        Ok(p) => p,
        Err(e) => return stop(format!("{label}: {e}"), 2),
    };
    match pkg.kind() {
        PackageKind::Normal => {}
        PackageKind::Runtime => {
            return stop(
                format!(
                    "{label}: is already a genuine runtime package (.NEA); it holds no source or symbols to build from"
                ),
                2,
            );
        }
        PackageKind::ReadyToRun => {
            return stop(
                format!(
                    "{label}: is a ready-to-run wrapper; build from the .app it wraps (alkit extract) or the project"
                ),
                2,
            );
        }
    }
    let navx = match pkg.manifest() {
        Some(Ok(m)) => m,
        Some(Err(e)) => return stop(format!("{label}: NavxManifest.xml: {e}"), 2),
        None => return stop(format!("{label}: the package has no NavxManifest.xml"), 2),
    };
    if let Some(reason) = cloud_refusal(navx.app.target.as_deref()) {
        return stop(format!("{label}: {reason}"), 2);
    }
    Ok(Ok(Input {
        pkg,
        navx,
        label,
        default_dir,
        is_app,
    }))
}

/// The input package's bytes, its label and the default output folder: a `.app` as it is;
/// a project folder (not targeting the cloud) built by `alkit pack` in a temporary folder.
fn input_bytes(input: &Path, is_app: bool) -> Step<(Vec<u8>, String, PathBuf)> {
    if is_app {
        let bytes = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
        let parent = input.parent().map(Path::to_path_buf).unwrap_or_default();
        return Ok(Ok((bytes, input.display().to_string(), parent)));
    }
    if !input.is_dir() {
        return stop(
            format!("{}: not a project folder or a .app file", input.display()),
            2,
        );
    }
    // Refuse a Cloud target before building anything.
    let (_, doc) = crate::cmd::manifest::load_document(input)?;
    let target = doc
        .manifest()
        .target
        .as_ref()
        .map(|t| t.as_str().to_string());
    if let Some(reason) = cloud_refusal(target.as_deref()) {
        return stop(format!("{}: {reason}", input.display()), 2);
    }
    let tmp = tempfile::tempdir()?;
    outln!("building the ordinary package first (alkit pack, in a temporary folder):");
    let code = crate::cmd::pack::run(crate::cmd::pack::PackArgs {
        dir: input.to_path_buf(),
        out: Some(tmp.path().to_path_buf()),
        random_package_id: false,
    })?;
    if code != ExitCode::SUCCESS {
        return Ok(Err(code));
    }
    let p = crate::project::packages(tmp.path())?
        .pop()
        .ok_or("alkit pack wrote no package")?;
    let bytes = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
    Ok(Ok((
        bytes,
        input.display().to_string(),
        input.to_path_buf(),
    )))
}

/// `--licence`: every object must be allowed (direct Insert to generate, direct Execute to
/// run); else the objects outside the licence are listed and the command stops (exit 1).
/// Returns the report line (none without `--licence`).
fn check_licence(args: &RuntimeArgs, input: &Input) -> Step<Vec<String>> {
    let Some(lic_path) = &args.licence else {
        return Ok(Ok(Vec::new()));
    };
    let lic_bytes = std::fs::read(lic_path).map_err(|e| format!("{}: {e}", lic_path.display()))?;
    let lic = match read_licence(&lic_bytes) {
        Ok(l) => l,
        Err(e) => return stop(format!("{}: {e}", lic_path.display()), 2),
    };
    let objects = package_objects(&input.pkg, &input.label, !input.is_app)?;
    let today = args.today.unwrap_or_else(super::licence::today_utc);
    let check = check_objects(&lic, &objects, Some(today));
    let failures: Vec<_> = check.failures().collect();
    if !failures.is_empty() {
        errln!(
            "alkit: error: {} of {} objects are outside the licence {}; no runtime package written:",
            failures.len(),
            check.objects.len(),
            lic_path.display()
        );
        for c in &failures {
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
            errln!(
                "  {}{id} \"{}\" ({}): {why}",
                o.kind.keyword(),
                o.name,
                o.source
            );
        }
        return Ok(Err(ExitCode::from(1)));
    }
    Ok(Ok(vec![format!(
        "licence {}: all {} objects allowed (generate = direct Insert, run = direct Execute; {today})",
        lic_path.display(),
        check.objects.len()
    )]))
}

/// Records the platform (and `--show-my-code`) in the manifest and makes the entries: the
/// manifest first, the input's entries (without the source unless asked for), the platform
/// marker last.
fn runtime_entries(
    args: &RuntimeArgs,
    input: &mut Input,
) -> Result<(Vec<BuildEntry>, Source), Box<dyn std::error::Error>> {
    let with_source = args.include_source || args.show_my_code;
    let (major, minor) = args.platform;
    let navx = &mut input.navx;
    navx.app.platform = Some(
        format!("{major}.{minor}.0.0")
            .parse()
            .map_err(|e| format!("{e}"))?,
    );
    if args.show_my_code {
        navx.app.show_my_code = Some(true);
    }
    let mut entries = vec![BuildEntry::new(
        runtime_pack::NAVX_MANIFEST,
        navx.to_xml().into_bytes(),
    )];
    let mut dropped_src = 0usize;
    let mut dropped_docs = false;
    for e in input.pkg.entries() {
        let p = e.path.as_str();
        if p == runtime_pack::NAVX_MANIFEST
            || p.eq_ignore_ascii_case("[Content_Types].xml")
            || p.eq_ignore_ascii_case(RUNTIME_PART)
        {
            continue;
        }
        if !with_source && p.starts_with("src/") {
            dropped_src += 1;
            continue;
        }
        if !with_source && p.eq_ignore_ascii_case("DocComments.xml") {
            dropped_docs = true;
            continue;
        }
        entries.push(BuildEntry::new(p, e.data.clone()));
    }
    let has_source = entries.iter().any(|e| e.path.starts_with("src/"));
    if with_source && !has_source {
        errln!(
            "alkit: warning: {} holds no AL source: the runtime package has none either (Repair not possible)",
            input.label
        );
    }
    let marker = serde_json::json!({
        "platform": format!("{major}.{minor}"),
        "includesSource": has_source,
        "tool": format!("alkit {}", env!("CARGO_PKG_VERSION")),
    });
    entries.push(BuildEntry::new(
        RUNTIME_PART,
        crate::output::to_json_pretty(&marker)?.into_bytes(),
    ));
    Ok((
        entries,
        Source {
            dropped_src,
            dropped_docs,
            has_source,
        },
    ))
}

/// Builds the package and writes it to `--out` (a file, or a folder to put
/// `<Publisher>_<Name>_<Version>.runtime-<X.Y>.app` in) or the default folder. Returns the
/// path and the size.
fn write_package(
    args: &RuntimeArgs,
    input: &Input,
    entries: Vec<BuildEntry>,
) -> Result<(PathBuf, usize), Box<dyn std::error::Error>> {
    let out_bytes = build_package(
        entries,
        &BuildOptions {
            package_id: PackageIdMode::Derived,
            ..BuildOptions::default()
        },
    )?;
    let navx = &input.navx;
    let file_name = runtime_file_name(
        &navx.app.publisher,
        &navx.app.name,
        &navx.app.version.to_string(),
        args.platform,
    );
    let out = match &args.out {
        Some(p) if p.is_dir() => p.join(&file_name),
        Some(p) => p.clone(),
        None => input.default_dir.join(&file_name),
    };
    write_atomic(&out, &out_bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok((out, out_bytes.len()))
}

/// Prints what was written: the package, the licence report, the recorded platform, the
/// dropped signature, whether Repair is possible and the exposure policy.
fn print_summary(
    args: &RuntimeArgs,
    input: &Input,
    source: &Source,
    out: &Path,
    count: usize,
    size: usize,
    report: &[String],
) {
    let (major, minor) = args.platform;
    let platform = format!("{major}.{minor}");
    let navx = &input.navx;
    outln!(
        "{}: runtime package for platform {platform} ({count} entries, {size} bytes)",
        out.display()
    );
    for l in report {
        outln!("  {l}");
    }
    outln!(
        "  recorded: Platform=\"{major}.{minor}.0.0\" in NavxManifest.xml and {RUNTIME_PART}; \
         publish it only on platform {platform} (Publish-NAVApp, Install-NAVApp); on-premises only"
    );
    if input.pkg.is_signed() {
        outln!(
            "  the input's signature was dropped: the package is unsigned (sign it again if needed)"
        );
    }
    let pol = navx.resource_exposure_policy.clone().unwrap_or_default();
    let flag = |b: Option<bool>| b.unwrap_or(false);
    if source.has_source {
        outln!(
            "  AL source included ({}): Repair (Repair-NAVApp, recompiling on a new platform) is possible",
            if args.show_my_code {
                "--show-my-code"
            } else {
                "--include-source"
            }
        );
        outln!(
            "  with source inside, allowDebugging={} / showMyCode={} / allowDownloadingSource={} decide who can see it: \
             allowDebugging or showMyCode true exposes the source",
            flag(pol.allow_debugging),
            flag(navx.app.show_my_code),
            flag(pol.allow_downloading_source)
        );
    } else {
        outln!(
            "  no AL source: {} src/ entries dropped{}; Repair (Repair-NAVApp on a new platform) is NOT possible: \
             build a new runtime package for each platform",
            source.dropped_src,
            if source.dropped_docs {
                ", DocComments.xml dropped"
            } else {
                ""
            }
        );
        if flag(pol.allow_downloading_source) || flag(navx.app.show_my_code) {
            outln!(
                "  note: the app sets allowDownloadingSource/showMyCode, with which BC puts the source in; \
                 alkit includes it only with --include-source or --show-my-code"
            );
        }
    }
    outln!(
        "  exposure: allowDebugging={}, allowDownloadingSource={}, includeSourceInSymbolFile={}, showMyCode={}",
        flag(pol.allow_debugging),
        flag(pol.allow_downloading_source),
        flag(pol.include_source_in_symbol_file),
        flag(navx.app.show_my_code)
    );
}

/// Why an app with this `target` may not become a runtime package (`None` = allowed).
fn cloud_refusal(target: Option<&str>) -> Option<String> {
    let t = target.unwrap_or("Cloud");
    if t.eq_ignore_ascii_case("Cloud") {
        Some(format!(
            "target is {} ({}): runtime packages are on-premises only and cannot be submitted to \
             AppSource (AVS0104); set \"target\": \"OnPrem\" in app.json",
            t,
            if target.is_none() {
                "the default"
            } else {
                "declared"
            }
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_and_names() {
        assert_eq!(parse_platform("24.0"), Ok((24, 0)));
        assert_eq!(parse_platform("24.1.0.0"), Ok((24, 1)));
        assert!(parse_platform("24").is_err());
        assert!(parse_platform("24.1.5").is_err());
        assert_eq!(
            runtime_file_name("P", "N", "1.0.0.0", (24, 0)),
            "P_N_1.0.0.0.runtime-24.0.app"
        );
        assert!(cloud_refusal(None).is_some());
        assert!(cloud_refusal(Some("OnPrem")).is_none());
    }
}
