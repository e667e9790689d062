//! `alkit symbols fetch DIR`: dependency symbols from NuGet feeds into `DIR/.alpackages`.
//! `alkit symbols pack DIR|FILE.app`: a symbols-only package (see [`pack`]).
//!
//! Resolves app.json's `dependencies` (by app id and minimum version, as BC does),
//! `application` and `platform`, transitively through each package's nuspec dependencies,
//! over the feeds (`--feed`, then `alkit-symbols.json`, else Microsoft's public MSSymbols and
//! AppSourceSymbols feeds), with `runtime_pack::nuget::resolve`. Takes the lowest version
//! that satisfies every minimum (`--highest`: the highest), extracts the `.app` files into
//! `--out` (default `DIR/.alpackages`), keeps the nupkgs in `DIR/.alcache/nuget/` and writes
//! `DIR/alkit-symbols.lock.json` (id, version, SHA-256 of every package and app). The next
//! run takes the locked versions; when the cache holds them it does not touch the network.
//! `--offline` uses only the cache and the lock; `--update` ignores the lock.
//!
//! `DIR/alkit-symbols.json` (optional):
//!
//! ```json
//! { "country": "dk",
//!   "feeds": [ { "url": "https://nuget.pkg.github.com/OWNER/index.json", "tokenEnv": "GH_PACKAGES_TOKEN" },
//!              { "url": "https://dynamicssmb2.pkgs.visualstudio.com/DynamicsBCPublicFeeds/_packaging/MSSymbols/nuget/v3/index.json" } ] }
//! ```
//!
//! Tokens are only ever read from environment variables (never from the file itself, the
//! command line or the lock file) and never printed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use runtime_pack::nuget::{
    LockFile, LockedApp, LockedPackage, NuGetVersion, PackageSource, Requirement, Resolution,
    ResolveOptions, resolve, sha256_hex,
};
use serde::Deserialize;

use crate::nuget_feed::{CacheSource, HttpFeed, HttpSettings, store};

/// Microsoft's public symbol feeds, used when no feed is configured.
pub const PUBLIC_FEEDS: &[&str] = &[
    "https://dynamicssmb2.pkgs.visualstudio.com/DynamicsBCPublicFeeds/_packaging/MSSymbols/nuget/v3/index.json",
    "https://dynamicssmb2.pkgs.visualstudio.com/DynamicsBCPublicFeeds/_packaging/AppSourceSymbols/nuget/v3/index.json",
];

/// The project's feed configuration file.
pub const CONFIG_FILE: &str = "alkit-symbols.json";
/// The lock file.
pub const LOCK_FILE: &str = "alkit-symbols.lock.json";
/// Where `symbols fetch --baseline` puts the baseline (AL-Go's folder, which `check` reads).
pub const BASELINE_DIR: &str = ".appSourceCopPackages";
/// The lock file of `symbols fetch --baseline`.
pub const BASELINE_LOCK_FILE: &str = "alkit-baseline.lock.json";

/// `alkit symbols …`
#[derive(Debug, Args)]
pub struct SymbolsArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: SymbolsCommand,
}

/// Subcommands of `alkit symbols`.
#[derive(Debug, Subcommand)]
pub enum SymbolsCommand {
    /// Download the project's dependency symbols from NuGet feeds into .alpackages.
    Fetch(FetchArgs),
    /// Make a symbols-only package (manifest + SymbolReference.json, no AL source) from a
    /// project folder or a .app: what dependents compile against.
    Pack(SymbolsPackArgs),
}

/// `alkit symbols pack`
#[derive(Debug, Args)]
pub struct SymbolsPackArgs {
    /// Project folder (holding app.json) or a .app package (normal or ready-to-run).
    pub path: PathBuf,
    /// Output file, or a folder (created if missing) to write
    /// `<Publisher>_<Name>_<Version>.symbols.app` into (default: next to the input).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `alkit symbols fetch`
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Project folder (holding app.json).
    pub dir: PathBuf,
    /// NuGet v3 feed (service index URL, https:// or loopback http://); repeatable, asked in
    /// order, before the feeds of alkit-symbols.json.
    #[arg(long = "feed")]
    pub feeds: Vec<String>,
    /// Environment variable holding the token for the --feed feeds (PAT; sent as basic auth).
    #[arg(long)]
    pub token_env: Option<String>,
    /// Localisation (w1, dk, de …); default: alkit-symbols.json's, else w1.
    #[arg(long)]
    pub country: Option<String>,
    /// Where to put the .app files (default DIR/.alpackages).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Use only the cache and the lock file; no network.
    #[arg(long)]
    pub offline: bool,
    /// Take the highest version that fits (default: the lowest, as BC's minimums mean).
    #[arg(long)]
    pub highest: bool,
    /// Ignore the lock file (resolve afresh and rewrite it).
    #[arg(long, conflicts_with = "offline")]
    pub update: bool,
    /// Timeout of one HTTP request, in seconds.
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
    /// Retries of a request after a 5xx, 429, timeout or connection failure.
    #[arg(long, default_value_t = 3)]
    pub retries: u32,
    /// Fetch the AppSourceCop baseline instead: the previous version of this app, the one
    /// AppSourceCop.json names (`version`), into DIR/.appSourceCopPackages (lock file
    /// alkit-baseline.lock.json); `alkit check` reads it from there.
    #[arg(long)]
    pub baseline: bool,
}

/// `alkit-symbols.json`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    feeds: Vec<FeedConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FeedConfig {
    url: String,
    #[serde(default)]
    token_env: Option<String>,
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Runs `alkit symbols`.
pub fn run(args: SymbolsArgs) -> Result<ExitCode> {
    match args.command {
        SymbolsCommand::Fetch(a) => fetch(a),
        SymbolsCommand::Pack(a) => pack(a),
    }
}

fn read_config(dir: &Path) -> Result<Config> {
    let p = dir.join(CONFIG_FILE);
    match std::fs::read_to_string(&p) {
        Ok(text) => serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| format!("{}: {e}", p.display()).into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(e) => Err(format!("{}: {e}", p.display()).into()),
    }
}

/// The token in environment variable `var` (an unset variable is an error naming it).
fn token(var: Option<&str>) -> Result<Option<String>> {
    match var {
        None => Ok(None),
        Some(v) => match std::env::var(v) {
            Ok(t) => Ok(Some(t)),
            Err(_) => Err(format!("environment variable {v} (the feed token) is not set").into()),
        },
    }
}

fn version(v: &al_manifest::AppVersion) -> Result<NuGetVersion> {
    Ok(v.to_string().parse::<NuGetVersion>()?)
}

/// The baseline AppSourceCop.json names: this app (its id; AppSourceCop.json's `name` and
/// `publisher` when given, else app.json's) at exactly AppSourceCop.json's `version`.
fn baseline_root(
    dir: &Path,
    m: &al_manifest::AppManifest,
    country: Option<&str>,
) -> Result<Requirement> {
    let path = dir.join("AppSourceCop.json");
    let text = match crate::project::read_text(&path) {
        Ok(t) => t,
        Err(_) if !path.exists() => {
            return Err(format!(
                "{}: not found: --baseline fetches the version AppSourceCop.json names (add {{\"version\": \"<previous release>\"}})",
                path.display()
            )
            .into());
        }
        Err(e) => return Err(e),
    };
    let cop = al_manifest::AppSourceCop::from_json_str_named(&text, &path.display().to_string())?;
    let Some(v) = &cop.version else {
        return Err(format!(
            "{}: no \"version\": --baseline fetches the version AppSourceCop.json names (the previous release, e.g. \"version\": \"1.0.0.0\")",
            path.display()
        )
        .into());
    };
    Ok(Requirement::exact_app(
        cop.publisher.as_deref().unwrap_or(&m.publisher),
        cop.name.as_deref().unwrap_or(&m.name),
        m.id,
        version(v)?,
        country,
    ))
}

/// What app.json asks for.
fn roots(m: &al_manifest::AppManifest, country: Option<&str>) -> Result<Vec<Requirement>> {
    let mut out = Vec::new();
    for d in &m.dependencies {
        out.push(Requirement::app(
            &d.publisher,
            &d.name,
            d.id,
            version(&d.version)?,
            country,
        ));
    }
    if let Some(a) = &m.application {
        out.push(Requirement::application(version(a)?, country));
    }
    if let Some(p) = &m.platform {
        out.push(Requirement::platform(version(p)?));
    }
    Ok(out)
}

fn fetch(args: FetchArgs) -> Result<ExitCode> {
    let dir = args.dir.as_path();
    crate::stage::refuse_interrupted(dir)?;
    let manifest = crate::project::read_manifest(dir)?;
    let config = read_config(dir)?;
    let country = args
        .country
        .clone()
        .or(config.country.clone())
        .filter(|c| !c.eq_ignore_ascii_case("w1"));
    let out_dir = args.out.clone().unwrap_or_else(|| {
        dir.join(if args.baseline {
            BASELINE_DIR
        } else {
            ".alpackages"
        })
    });
    let cache = dir.join(".alcache").join("nuget");
    let lock_path = dir.join(if args.baseline {
        BASELINE_LOCK_FILE
    } else {
        LOCK_FILE
    });
    let old_lock = match std::fs::read_to_string(&lock_path) {
        Ok(t) => {
            Some(LockFile::from_json(&t).map_err(|e| format!("{}: {e}", lock_path.display()))?)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("{}: {e}", lock_path.display()).into()),
    };
    let lock = if args.update { None } else { old_lock.clone() };
    let roots = if args.baseline {
        vec![baseline_root(dir, &manifest, country.as_deref())?]
    } else {
        roots(&manifest, country.as_deref())?
    };
    let options = ResolveOptions {
        direct_only: args.baseline,
        highest: args.highest,
        country: country.clone(),
        lock: lock.clone(),
        ..ResolveOptions::default()
    };
    // First the cache alone, when a lock says what to take (or --offline).
    let mut resolution: Option<Resolution> = None;
    if lock.is_some() || args.offline {
        let mut c = CacheSource { dir: cache.clone() };
        match resolve(&roots, &mut [&mut c as &mut dyn PackageSource], &options) {
            Ok(r) => resolution = Some(r),
            Err(e) if args.offline => {
                return Err(format!("--offline: the cache cannot satisfy app.json: {e}").into());
            }
            Err(_) => {}
        }
    }
    let from_cache = resolution.is_some();
    let resolution = match resolution {
        Some(r) => r,
        None => {
            let settings = HttpSettings {
                timeout: Duration::from_secs(args.timeout.max(1)),
                retries: args.retries,
                backoff: Duration::from_millis(250),
                progress: true,
            };
            let mut feeds = Vec::new();
            let flag_token = token(args.token_env.as_deref())?;
            for f in &args.feeds {
                feeds.push(HttpFeed::new(
                    f,
                    flag_token.clone(),
                    settings.clone(),
                    Some(cache.clone()),
                )?);
            }
            for f in &config.feeds {
                let t = token(f.token_env.as_deref())?;
                feeds.push(HttpFeed::new(
                    &f.url,
                    t,
                    settings.clone(),
                    Some(cache.clone()),
                )?);
            }
            if feeds.is_empty() {
                for f in PUBLIC_FEEDS {
                    feeds.push(HttpFeed::new(
                        f,
                        None,
                        settings.clone(),
                        Some(cache.clone()),
                    )?);
                }
            }
            let mut sources: Vec<&mut dyn PackageSource> = feeds
                .iter_mut()
                .map(|f| f as &mut dyn PackageSource)
                .collect();
            resolve(&roots, &mut sources, &options).map_err(|e| {
                if lock.is_some() {
                    format!(
                        "{e} (the lock file {} fixes versions; --update resolves afresh)",
                        lock_path.display()
                    )
                } else {
                    e.to_string()
                }
            })?
        }
    };
    for n in &resolution.notes {
        errln!("alkit: note: {n}");
    }
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let mut new_lock = LockFile::default();
    let mut app_count = 0;
    for p in &resolution.packages {
        store(&cache, &p.id, &p.version, &p.bytes)
            .map_err(|e| format!("{}: {e}", cache.display()))?;
        let mut apps = Vec::new();
        for app in p.nupkg.apps_for(country.as_deref()) {
            let target = out_dir.join(&app.file_name);
            crate::output::write_atomic(&target, &app.bytes)
                .map_err(|e| format!("{}: {e}", target.display()))?;
            apps.push(LockedApp {
                file: app.file_name.clone(),
                sha256: sha256_hex(&app.bytes),
            });
            outln!("{} {} → {}", p.id, p.version, target.display());
            app_count += 1;
        }
        let feed = if from_cache {
            old_lock
                .as_ref()
                .and_then(|l| l.find(&p.id))
                .map(|l| l.feed.clone())
                .unwrap_or_else(|| p.source.clone())
        } else {
            p.source.clone()
        };
        new_lock.packages.push(LockedPackage {
            id: p.id.clone(),
            version: p.version.to_string(),
            sha256: p.sha256.clone(),
            feed,
            apps,
        });
    }
    // Apps an earlier fetch put there and this one did not: removed.
    if let Some(old) = &old_lock {
        let kept: Vec<&str> = new_lock
            .packages
            .iter()
            .flat_map(|p| p.apps.iter().map(|a| a.file.as_str()))
            .collect();
        for a in old.packages.iter().flat_map(|p| &p.apps) {
            if !kept.contains(&a.file.as_str()) && !a.file.contains(['/', '\\']) {
                let _ = std::fs::remove_file(out_dir.join(&a.file));
            }
        }
    }
    crate::output::write_atomic(&lock_path, new_lock.to_json().as_bytes())
        .map_err(|e| format!("{}: {e}", lock_path.display()))?;
    outln!(
        "{} package(s), {app_count} app(s) in {}{}; lock file {}",
        resolution.packages.len(),
        out_dir.display(),
        if from_cache {
            " (from the cache, offline)"
        } else {
            ""
        },
        lock_path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `<Publisher>_<Name>_<Version>.symbols.app` (BcContainerHelper's name for the symbols file
/// made from an app file), with characters invalid in Windows file names dropped.
pub fn symbols_file_name(publisher: &str, name: &str, version: &str) -> String {
    format!(
        "{}.symbols.app",
        runtime_pack::runtime::file_stem(publisher, name, version)
    )
}

/// `alkit symbols pack`: reads the `.app` (or builds the project's package in memory), keeps
/// what dependents compile against ([`runtime_pack::build::symbols_only`]), writes the
/// package atomically and reads it back to confirm it is symbols-only.
///
/// Exit codes: 0 written, 2 bad input (unreadable, genuine runtime package, already
/// symbols-only, no manifest or symbols).
fn pack(args: SymbolsPackArgs) -> Result<ExitCode> {
    let input = args.path.as_path();
    let label = input.display().to_string();
    let bad = |msg: String| {
        errln!("alkit: error: {msg}");
        Ok(ExitCode::from(2))
    };
    let from_app = crate::cmd::check::is_app_file(input);
    let (bytes, default_dir) = if from_app {
        let bytes = std::fs::read(input).map_err(|e| format!("{label}: {e}"))?;
        let parent = input.parent().map(Path::to_path_buf).unwrap_or_default();
        (bytes, parent)
    } else if input.is_dir() || input.file_name().is_some_and(|n| n == "app.json") {
        let Some(built) = crate::cmd::pack::build(input, false)? else {
            return Ok(ExitCode::from(2));
        };
        (built.bytes, built.project)
    } else {
        return bad(format!("{label}: not a project folder or a .app file"));
    };
    let pkg = match runtime_pack::Package::read(&bytes) {
        Ok(p) => p,
        Err(e) => return bad(format!("{label}: {e}")),
    };
    match pkg.kind() {
        runtime_pack::PackageKind::Runtime => {
            return bad(format!(
                "{label}: a genuine runtime package (.NEA): its payload is opaque, no symbols can be taken from it; \
                 use the app's normal package"
            ));
        }
        // A project without AL files builds a package without source: nothing to drop.
        runtime_pack::PackageKind::SymbolsOnly if from_app => {
            return bad(format!(
                "{label}: already a symbols-only package (no AL source)"
            ));
        }
        runtime_pack::PackageKind::SymbolsOnly => {}
        runtime_pack::PackageKind::Normal | runtime_pack::PackageKind::ReadyToRun => {}
    }
    let app = pkg.app_package();
    let navx = match app.manifest() {
        Some(Ok(m)) => m,
        Some(Err(e)) => return bad(format!("{label}: NavxManifest.xml: {e}")),
        None => return bad(format!("{label}: the package has no NavxManifest.xml")),
    };
    let made = match runtime_pack::build::symbols_only(app.entries()) {
        Ok(m) => m,
        Err(e) => return bad(format!("{label}: {e}")),
    };
    let objects = app
        .symbol_reference()
        .map_err(|e| format!("{label}: SymbolReference.json: {e}"))?
        .map_or(0, |s| s.objects().len());
    let kept: Vec<String> = made.entries.iter().map(|e| e.path.clone()).collect();
    let out_bytes = runtime_pack::build::build_package(
        made.entries,
        &runtime_pack::build::BuildOptions::default(),
    )?;
    // Read back what is about to be written: the claim "symbols-only" is checked, not assumed.
    let check = runtime_pack::Package::read(&out_bytes)
        .map_err(|e| format!("the symbols-only package alkit built does not read back: {e}"))?;
    if check.kind() != runtime_pack::PackageKind::SymbolsOnly {
        return Err(format!(
            "the package alkit built reads back as {}, not symbols-only",
            check.kind()
        )
        .into());
    }
    let file_name = symbols_file_name(
        &navx.app.publisher,
        &navx.app.name,
        &navx.app.version.to_string(),
    );
    let out = crate::cmd::pack::out_path(args.out.as_deref(), &default_dir, &file_name, "app")?;
    crate::output::write_atomic(&out, &out_bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    outln!(
        "{}: symbols-only package ({} entries, {objects} objects, {} bytes; read back: no AL source)",
        out.display(),
        kept.len() + 1,
        out_bytes.len()
    );
    outln!("  kept: {}", kept.join(", "));
    let mut dropped = vec![format!("{} source entries (src/)", made.dropped_source)];
    if made.dropped_translations > 0 {
        dropped.push(format!("{} translations", made.dropped_translations));
    }
    if !made.dropped_other.is_empty() {
        dropped.push(made.dropped_other.join(", "));
    }
    outln!("  dropped: {}", dropped.join("; "));
    if pkg.kind() == runtime_pack::PackageKind::ReadyToRun {
        outln!("  taken from the app inside the ready-to-run wrapper");
    }
    if pkg.is_signed() {
        outln!("  the input's signature does not carry over: the symbols-only package is unsigned");
    }
    outln!(
        "  for dependents to compile against (.alpackages) and AppSourceCop baselines; a server cannot \
         publish it as an extension"
    );
    Ok(ExitCode::SUCCESS)
}
