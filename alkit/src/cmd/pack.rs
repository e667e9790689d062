//! `alkit pack DIR [--out FILE|DIR] [--random-package-id]`: builds
//! `<Publisher>_<Name>_<Version>.app` from an AL project without the compiler.
//!
//! Inputs, all relative to DIR:
//! - `app.json` (required);
//! - the project's AL files (every `.al` file, any case, below DIR, as every command reads
//!   them: see [`crate::project`] for the skipped folders, nested projects and symlinks).
//!   Each becomes `src/<project-relative path>` (escaped twice in the zip);
//! - the logo named by app.json (`logo/<file name>`);
//! - `Translations/*.xlf` (copied as they are);
//! - report layouts named by `LayoutFile`, `RDLCLayout`, `WordLayout` or `ExcelLayout`
//!   properties (`layout/<project-relative path>`); a missing layout is a warning.
//!
//! Generated: `NavxManifest.xml`, `SymbolReference.json`, `MediaIdListing.xml`,
//! `[Content_Types].xml`, and for runtime ≥ 6 (or no runtime in app.json) `DocComments.xml`
//! (object-level `///` comments) and `entitlement/<appId>.xml`.
//!
//! Determinism: the same input gives byte-identical output. Entry timestamps come from
//! `SOURCE_DATE_EPOCH` (Unix seconds) or are 1980-01-01 00:00:00; the package id is derived
//! from the content (see `runtime_pack::build::derive_package_id`) unless
//! `--random-package-id` asks for a fresh one, as the compiler does. A syntax error in any
//! file stops the build before anything is written (exit 2, `file:line:col` per error).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use al_parser::{Defines, Parse, SyntaxKind};
use clap::Args;
use rayon::prelude::*;
use runtime_pack::build::{
    AppIdentity, BuildEntry, BuildOptions, DOS_EPOCH_UNIX, PackageIdMode, SymbolBuilder,
    doc_comments_xml, doc_members, entitlement_xml, media_id_listing_xml,
};

/// `alkit pack`
#[derive(Debug, Args)]
pub struct PackArgs {
    /// The project folder (holding app.json).
    pub dir: PathBuf,
    /// Output file, or an existing folder to write `<Publisher>_<Name>_<Version>.app` into
    /// (default: the project folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Put a fresh random package id in the NAVX header instead of one derived from the content.
    #[arg(long)]
    pub random_package_id: bool,
}

/// Properties naming a report layout file.
const LAYOUT_PROPERTIES: &[&str] = &["LayoutFile", "RDLCLayout", "WordLayout", "ExcelLayout"];

/// `<Publisher>_<Name>_<Version>.app` with characters invalid in Windows file names dropped
/// (as BcContainerHelper does).
pub fn app_file_name(publisher: &str, name: &str, version: &str) -> String {
    format!(
        "{}.app",
        runtime_pack::runtime::file_stem(publisher, name, version)
    )
}

/// Layout file paths named in a parsed file (`LayoutFile = './x.rdlc';` …), normalised to
/// project-relative `/` paths.
fn layout_refs(parse: &Parse) -> Vec<String> {
    let toks: Vec<_> = al_parser::ast::significant_tokens(parse.root()).collect();
    let mut out = Vec::new();
    for w in toks.windows(3) {
        let [name, eq, value] = w else { continue };
        if name.kind().is_word()
            && LAYOUT_PROPERTIES
                .iter()
                .any(|p| p.as_bytes().eq_ignore_ascii_case(name.text()))
            && eq.kind() == SyntaxKind::Eq
            && value.kind() == SyntaxKind::StringLit
        {
            let raw = String::from_utf8_lossy(value.text());
            let inner = raw
                .strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
                .unwrap_or(&raw)
                .replace("''", "'")
                .replace('\\', "/");
            let path = inner.trim_start_matches("./").to_owned();
            if !path.is_empty() {
                out.push(path);
            }
        }
    }
    out
}

/// Whether a project-relative path names an AL file.
fn is_al(rel: &str) -> bool {
    Path::new(rel)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("al"))
}

/// Whether a project-relative path names a translation: `Translations/*.xlf` (the file
/// extension in any case).
fn is_translation(rel: &str) -> bool {
    rel.strip_prefix("Translations/").is_some_and(|name| {
        !name.contains('/')
            && Path::new(name)
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("xlf"))
    })
}

/// A safe project-relative path (no `..`, not absolute).
fn is_safe_rel(p: &str) -> bool {
    !p.starts_with('/')
        && !p.contains(':')
        && p.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
}

/// Reads a file, naming it in the error.
fn read(path: &Path) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// Entry timestamp: `SOURCE_DATE_EPOCH` or the DOS epoch.
fn timestamp() -> Result<i64, Box<dyn std::error::Error>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<i64>()
            .map_err(|_| format!("SOURCE_DATE_EPOCH is not a number of seconds: {v:?}").into()),
        _ => Ok(DOS_EPOCH_UNIX),
    }
}

/// The project's files, read and parsed, and what is made of them.
struct ParsedProject {
    /// The AL files: project-relative path and bytes.
    files: Vec<(String, Vec<u8>)>,
    /// `Translations/*.xlf`: path and project-relative path (read when packed).
    translations: Vec<(PathBuf, String)>,
    /// The symbols, doc comments and layouts of the AL files.
    derived: Derived,
}

/// What is made from the parses: the symbols, the doc comments and the layouts named.
struct Derived {
    /// The app's identity.
    identity: AppIdentity,
    /// `SymbolReference.json`.
    symbols: runtime_pack::SymbolReference,
    /// Object-level `///` comments.
    docs: Vec<runtime_pack::build::DocMember>,
    /// Layout files named by report properties, project-relative.
    layouts: std::collections::BTreeSet<String>,
}

/// An ordinary package built from a project folder, in memory.
pub struct Built {
    /// The package file's bytes.
    pub bytes: Vec<u8>,
    /// The project folder.
    pub project: PathBuf,
    /// `<Publisher>_<Name>_<Version>.app`.
    pub file_name: String,
    /// Entries in the package (with `[Content_Types].xml`).
    pub entries: usize,
    /// Objects in its SymbolReference.json.
    pub objects: usize,
}

/// Builds the ordinary package of the project at `dir` (a folder or its app.json) in
/// memory. `Ok(None)` when files have syntax errors (printed, `file:line:col`).
pub fn build(
    dir: &Path,
    random_package_id: bool,
) -> Result<Option<Built>, Box<dyn std::error::Error>> {
    let (_, doc) = crate::cmd::manifest::load_document(dir)?;
    // NavxManifest.xml cannot carry some characters (XML 1.0): refuse, never write it ill-formed.
    let unwritable = doc.unwritable_characters();
    if !unwritable.is_empty() {
        let lines: Vec<String> = unwritable
            .iter()
            .map(crate::cmd::manifest::render_diagnostic)
            .collect();
        return Err(format!("{}; no package written", lines.join("\n")).into());
    }
    let manifest = doc.manifest().clone();
    let ts = timestamp()?;
    let project = if dir.is_dir() {
        dir.to_path_buf()
    } else {
        dir.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    // A project an interrupted alkit run left half-written is not packed.
    crate::stage::refuse_interrupted(&project)?;
    let Some(parsed) = parse_project(&project, &manifest)? else {
        return Ok(None);
    };
    let ParsedProject {
        files,
        translations,
        derived,
    } = parsed;
    let entries = package_entries(&project, &manifest, &derived, files, translations)?;
    let options = BuildOptions {
        timestamp: ts,
        package_id: if random_package_id {
            PackageIdMode::Fixed(uuid::Uuid::new_v4())
        } else {
            PackageIdMode::Derived
        },
        ..BuildOptions::default()
    };
    let count = entries.len() + 1;
    let bytes = runtime_pack::build::build_package(entries, &options)?;
    let file_name = app_file_name(
        &manifest.publisher,
        &manifest.name,
        &manifest.version.to_string(),
    );
    Ok(Some(Built {
        bytes,
        file_name,
        project,
        entries: count,
        objects: derived.symbols.objects().len(),
    }))
}

/// Where `--out` puts a file named `file_name`: into an existing folder, or into a folder
/// created now when the path ends with a separator or has no extension `ext`; else the path
/// itself. `None` → `default_dir`.
pub fn out_path(
    out: Option<&Path>,
    default_dir: &Path,
    file_name: &str,
    ext: &str,
) -> Result<PathBuf, Box<dyn std::error::Error>> {
    Ok(match out {
        Some(p) if p.is_dir() => p.join(file_name),
        Some(p)
            if p.as_os_str().to_string_lossy().ends_with(['/', '\\'])
                || !p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)) =>
        {
            std::fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))?;
            p.join(file_name)
        }
        Some(p) => p.to_path_buf(),
        None => default_dir.join(file_name),
    })
}

/// Runs `alkit pack`.
pub fn run(args: PackArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let Some(built) = build(&args.dir, args.random_package_id)? else {
        return Ok(ExitCode::from(2));
    };
    let out = out_path(args.out.as_deref(), &built.project, &built.file_name, "app")?;
    crate::output::write_atomic(&out, &built.bytes)
        .map_err(|e| format!("{}: {e}", out.display()))?;
    outln!(
        "{}: {} entries, {} objects, {} bytes",
        out.display(),
        built.entries,
        built.objects,
        built.bytes.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// One AL file after its parallel pass: its bytes, and what its tree gave before it was
/// dropped.
struct FileOutcome {
    rel: String,
    bytes: Vec<u8>,
    /// Syntax errors as `file:line:col: error: …` lines, the first
    /// [`crate::output::ERRORS_PER_FILE`] and a line saying how many more.
    errors: Vec<String>,
    /// How many syntax errors the file has.
    error_count: usize,
    symbols: runtime_pack::build::FileSymbols,
    docs: Vec<runtime_pack::build::DocMember>,
    layouts: Vec<String>,
}

/// Reads, parses and derives every AL file in one parallel pass (each tree is dropped as
/// soon as its file is done, so trees never pile up), then merges in path order: the
/// symbols, the doc comments and the layouts named; and finds the translations. `None` when
/// a file has syntax errors: they are printed (`file:line:col`) and nothing is written.
fn parse_project(
    project: &Path,
    manifest: &al_manifest::AppManifest,
) -> Result<Option<ParsedProject>, Box<dyn std::error::Error>> {
    let defines = Defines::from_symbols(manifest.preprocessor_symbols.iter().cloned());
    let project_files = crate::project::project_files(project)?;
    let mut al = Vec::new();
    let mut translations = Vec::new();
    for f in project_files {
        if is_al(&f.rel) {
            al.push((f.path, f.rel));
        } else if is_translation(&f.rel) {
            translations.push((f.path, f.rel));
        }
    }
    let identity = AppIdentity::from_manifest(manifest);
    let mut builder = SymbolBuilder::new(identity.clone());
    let outcomes: Vec<Result<FileOutcome, String>> = al
        .into_par_iter()
        .map(|(path, rel)| {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let parse = al_parser::parse_with(&bytes, &defines);
            // The first errors of the file, and how many there are (output is capped).
            let diags = parse.diagnostics();
            let file = path.display().to_string();
            let mut errors: Vec<String> = diags
                .iter()
                .take(crate::output::ERRORS_PER_FILE)
                .map(|d| {
                    let (line, col) = parse.line_col(d.start);
                    format!("{file}:{line}:{col}: error: {d}")
                })
                .collect();
            errors.extend(crate::output::more_errors(&file, diags.len()));
            let error_count = diags.len();
            let symbols = builder.file_symbols(&rel, &parse);
            let docs = doc_members(&parse);
            let layouts = layout_refs(&parse);
            drop(parse);
            Ok(FileOutcome {
                rel,
                bytes,
                errors,
                error_count,
                symbols,
                docs,
                layouts,
            })
        })
        .collect();
    let mut files = Vec::with_capacity(outcomes.len());
    let mut docs = Vec::new();
    let mut layouts = std::collections::BTreeSet::new();
    let mut errors = 0usize;
    for o in outcomes {
        let o = o?;
        for e in &o.errors {
            errln!("{e}");
        }
        errors += o.error_count;
        builder.add(o.symbols);
        docs.extend(o.docs);
        layouts.extend(o.layouts);
        files.push((o.rel, o.bytes));
    }
    if errors > 0 {
        errln!("alkit: error: {errors} syntax error(s); no package written");
        return Ok(None);
    }
    Ok(Some(ParsedProject {
        files,
        translations,
        derived: Derived {
            identity,
            symbols: builder.finish(),
            docs,
            layouts,
        },
    }))
}

/// The package entries: the generated parts, the logo, the AL files (`src/`), the
/// translations and the layouts.
fn package_entries(
    project: &Path,
    manifest: &al_manifest::AppManifest,
    derived: &Derived,
    files: Vec<(String, Vec<u8>)>,
    translations: Vec<(PathBuf, String)>,
) -> Result<Vec<BuildEntry>, Box<dyn std::error::Error>> {
    let runtime_major = manifest.runtime.map(|r| r.major);
    let modern = runtime_major.is_none_or(|m| m >= 6);
    let mut entries = vec![
        BuildEntry::new(
            runtime_pack::NAVX_MANIFEST,
            manifest.to_navx().to_xml().into_bytes(),
        ),
        BuildEntry::new(runtime_pack::SYMBOL_REFERENCE, derived.symbols.to_vec()?),
    ];
    let logo = logo_entry(project, manifest)?;
    let media_listing = media_id_listing_xml(logo.as_ref().map(|l| (l.file.as_str(), l.id)));
    if let Some(l) = logo {
        entries.push(l.entry);
    }
    entries.push(BuildEntry::new("MediaIdListing.xml", media_listing));
    if modern {
        entries.push(BuildEntry::new(
            "DocComments.xml",
            doc_comments_xml(&derived.identity, &derived.docs),
        ));
        entries.push(BuildEntry::new(
            format!("entitlement/{}.xml", manifest.id),
            entitlement_xml(manifest.id, &derived.symbols),
        ));
    }
    for (rel, bytes) in files {
        entries.push(BuildEntry::new(format!("src/{rel}"), bytes));
    }
    // Translations/*.xlf
    for (rel, bytes) in crate::project::read_all(translations)? {
        entries.push(BuildEntry::new(rel, bytes));
    }
    layout_entries(project, &derived.layouts, &mut entries)?;
    Ok(entries)
}

/// The logo's entry and how `MediaIdListing.xml` names it.
struct Logo {
    /// The file name.
    file: String,
    /// The media id (derived from the content).
    id: uuid::Uuid,
    /// The entry, `logo/<file name>`.
    entry: BuildEntry,
}

/// The logo named by app.json, if any.
fn logo_entry(
    project: &Path,
    manifest: &al_manifest::AppManifest,
) -> Result<Option<Logo>, Box<dyn std::error::Error>> {
    let Some(path) = manifest.logo.as_deref().filter(|l| !l.trim().is_empty()) else {
        return Ok(None);
    };
    let full = project.join(path.replace('\\', "/"));
    let bytes = read(&full)?;
    let file = full
        .file_name()
        .and_then(|f| f.to_str())
        .ok_or_else(|| format!("{}: logo has no file name", full.display()))?
        .to_owned();
    let entry = BuildEntry::new(format!("logo/{file}"), bytes);
    // Content-derived media id (same hash as the package id, over the logo entry alone).
    let id = runtime_pack::build::derive_package_id(std::slice::from_ref(&entry));
    Ok(Some(Logo { file, id, entry }))
}

/// The report layouts (`layout/<project-relative path>`); a path leaving the project or a
/// missing file is a warning.
fn layout_entries(
    project: &Path,
    layouts: &std::collections::BTreeSet<String>,
    entries: &mut Vec<BuildEntry>,
) -> Result<(), Box<dyn std::error::Error>> {
    for rel in layouts {
        if !is_safe_rel(rel) {
            errln!("alkit: warning: layout path `{rel}` leaves the project; not packed");
            continue;
        }
        let full = project.join(rel);
        if !full.is_file() {
            errln!("alkit: warning: layout `{rel}` not found; not packed");
            continue;
        }
        entries.push(BuildEntry::new(format!("layout/{rel}"), read(&full)?));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_drops_invalid_characters() {
        assert_eq!(
            app_file_name("Contoso: \"A/B\"", "Loyalty?*", "1.2.0.0"),
            "Contoso AB_Loyalty_1.2.0.0.app"
        );
    }

    #[test]
    fn layout_paths() {
        let p = al_parser::parse(
            b"report 50100 R { RDLCLayout = './src/Reports\\R.rdlc'; rendering { layout(L) { LayoutFile = 'x.docx'; } } }",
        );
        assert_eq!(layout_refs(&p), ["src/Reports/R.rdlc", "x.docx"]);
        assert!(!is_safe_rel("../x.rdlc"));
        assert!(is_safe_rel("a/b.rdlc"));
    }
}
