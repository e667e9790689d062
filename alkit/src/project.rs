//! The one reader of projects: every command finds project folders, project files, AL
//! files, packages and dependency symbols here, so every command sees the same project.
//! No command walks the file system on its own.
//!
//! The rules, each in one place:
//!
//! - **Skipped folders.** No walk enters a folder named in [`SKIPPED_DIRS`] (any case):
//!   version control, symbol caches, build output, tool folders. The folder a walk starts
//!   at is always read, whatever its name. One exception: [`packages`] enters
//!   `.alpackages`, since packages are what that folder holds.
//! - **Projects.** A project is a folder holding `app.json`. Its files
//!   ([`project_files`]) are the files below it, except in skipped folders and in
//!   sub-folders that hold an `app.json` of their own (other projects). Its AL files
//!   ([`al_files`]) are the project files with the extension `al` (any case), so `move`
//!   copies exactly the AL files `check` and `pack` read, plus the other files
//!   (`.vscode/launch.json`, `.objidconfig`, layouts …). [`al_files_below`] is the one
//!   walk that enters nested projects: `alkit parse` and `alkit refs` take folders, not
//!   projects (and an umbrella app such as BCApps' Base Application or System Application
//!   keeps modules it is built from in nested projects).
//! - **Symlinks** are followed while they stay inside the folder a walk starts at (the
//!   project, or the folder given): a link that leads outside it is an error naming the
//!   link and where it leads (a move would otherwise write, and a package carry, files of
//!   another folder). A link to nothing is left out. Each folder and each file is read
//!   once, recognised by device and inode on Unix and by canonical path elsewhere: files
//!   and folders are read under their own path first, and a link adds only what no
//!   other way reached (a link loop, or a second way to a folder or a file, adds
//!   nothing), so every walk ends and no object is read twice.
//! - **Order.** Results are sorted: project files by their `/`-separated relative path,
//!   other paths by path. The same tree gives the same list on every run.
//! - **Names.** A project file's relative path is text with `/` separators; one that is
//!   not valid Unicode is an error naming it (a label or a copy would name another file).
//! - **Errors.** A folder or file that cannot be read is an error naming it; nothing is
//!   left out silently.
//! - **Encodings.** app.json is decoded as UTF-8 (with or without BOM) or as UTF-16 with
//!   a BOM ([`read_manifest`]); AL files are read as bytes, which the parser decodes.
//! - **Self-contained.** This module uses no other module of the command-line tool but
//!   its printing macros (`errln!`), so the fuzz target `project_reader` compiles it as
//!   it is.
//! - **Path tests** go by components ([`has_component`]), never by substring, so both
//!   separators work on Windows.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use al_manifest::AppManifest;
use al_parser::symbols::{AppInfo, AppSymbols, DependencyInfo};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

pub use scope_rules::checks::manifest::APPLICATION_ID;
use scope_rules::checks::manifest::{
    BASE_APPLICATION_ID, BUSINESS_FOUNDATION_ID, SYSTEM_APPLICATION_ID,
};

/// The Microsoft apps the "Application" umbrella app (app.json's `application`) is built
/// over (ids and names), which stand in for it when it is not given.
const APPLICATION_PARTS: [(&str, &str); 3] = [
    (BASE_APPLICATION_ID, "Base Application"),
    (SYSTEM_APPLICATION_ID, "System Application"),
    (BUSINESS_FOUNDATION_ID, "Business Foundation"),
];

/// Whether `id` is one of the Microsoft apps that stand in for the "Application" app.
pub fn is_application_part(id: &str) -> bool {
    APPLICATION_PARTS
        .iter()
        .any(|(part, _)| part.eq_ignore_ascii_case(id))
}

/// Folder names no walk enters (compared in any case): version control (`.git`), symbol
/// caches (`.alpackages`, `.alcache`, `.snapshots`), build output (`output`, `.output`,
/// `bin`, `obj`) and tool folders (`.vs`, `node_modules`). `.vscode` is not among them:
/// its `launch.json` belongs to the project (`move` renumbers it).
pub const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".alpackages",
    ".alcache",
    ".snapshots",
    "output",
    ".output",
    "bin",
    "obj",
    ".vs",
    "node_modules",
];

/// Whether a folder named `name` is skipped ([`SKIPPED_DIRS`]).
pub fn is_skipped_dir(name: &str) -> bool {
    SKIPPED_DIRS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// A file of a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    /// Where to read it: the project folder as given, joined with the relative path.
    pub path: PathBuf,
    /// The path below the project folder, with `/` separators (`src/Customer.Table.al`).
    pub rel: String,
}

/// A file read: its label (see [`label`]) and its bytes.
pub type SourceFile = (String, Vec<u8>);

/// Every file of the project at `root` (see the module rules), sorted by relative path.
pub fn project_files(root: &Path) -> Result<Vec<FoundFile>> {
    project_files_where(root, |_| true)
}

/// The project files with extension `ext` (any case), sorted by relative path.
pub fn files_with_extension(root: &Path, ext: &str) -> Result<Vec<FoundFile>> {
    project_files_where(root, |p| has_extension(p, ext))
}

fn project_files_where(root: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<FoundFile>> {
    let walked = walk(
        root,
        Walk {
            nested_projects: false,
            alpackages: false,
        },
    )?;
    let mut out = walked
        .files
        .into_iter()
        .filter(|(path, _)| keep(path))
        .map(|(path, rel)| match rel {
            Some(rel) => Ok(FoundFile { path, rel }),
            None => Err(format!("{}: the name is not valid Unicode", path.display()).into()),
        })
        .collect::<Result<Vec<_>>>()?;
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// The AL files of the project at `root`, sorted by relative path.
pub fn al_files(root: &Path) -> Result<Vec<FoundFile>> {
    files_with_extension(root, "al")
}

/// Every AL file below `dir`, nested projects included (skipped folders are still
/// skipped), sorted by path. For commands that take folders rather than a project.
pub fn al_files_below(dir: &Path) -> Result<Vec<PathBuf>> {
    files_below(dir, "al", false)
}

/// The files with extension `ext` below `dir`, nested projects included (`.alpackages`
/// only with `alpackages`), sorted by path.
fn files_below(dir: &Path, ext: &str, alpackages: bool) -> Result<Vec<PathBuf>> {
    let walked = walk(
        dir,
        Walk {
            nested_projects: true,
            alpackages,
        },
    )?;
    let mut out: Vec<PathBuf> = walked
        .files
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| has_extension(p, ext))
        .collect();
    out.sort();
    Ok(out)
}

/// The project folders (holding `app.json`) at and below `dir`, nested ones included,
/// sorted. A path that is not a folder holds none.
pub fn find_projects(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let walked = walk(
        dir,
        Walk {
            nested_projects: true,
            alpackages: false,
        },
    )?;
    let mut out: Vec<PathBuf> = walked
        .dirs
        .into_iter()
        .filter(|d| d.join("app.json").is_file())
        .collect();
    out.sort();
    Ok(out)
}

/// The app manifests at and below the folder `dir`: the `app.json` of every project
/// (nested ones included) and every `.app` file outside a project folder (a project's
/// own `.app` files are its build output: its app.json stands for them), sorted by path.
/// `.alpackages` is skipped like the other skipped folders.
pub fn manifests_below(dir: &Path) -> Result<Vec<PathBuf>> {
    let walked = walk(
        dir,
        Walk {
            nested_projects: true,
            alpackages: false,
        },
    )?;
    let is_project = |d: &Path| d.join("app.json").is_file();
    let mut out: Vec<PathBuf> = walked
        .dirs
        .iter()
        .filter(|d| is_project(d))
        .map(|d| d.join("app.json"))
        .chain(
            walked
                .files
                .into_iter()
                .map(|(p, _)| p)
                .filter(|p| has_extension(p, "app") && !p.parent().is_some_and(is_project)),
        )
        .collect();
    out.sort();
    Ok(out)
}

/// `.app` files: `path` itself when it is one, or every `.app` below the folder `path`
/// (`.alpackages` included, other skipped folders not), sorted.
pub fn packages(path: &Path) -> Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(if has_extension(path, "app") {
            vec![path.to_path_buf()]
        } else {
            Vec::new()
        });
    }
    if !path.is_dir() {
        return Ok(Vec::new());
    }
    files_below(path, "app", true)
}

/// How a file found from `root` is named in messages: its path as reached (`root` joined
/// with the relative path), without a leading `./` when `root` is `.`.
pub fn label(root: &Path, path: &Path) -> String {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        path.strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string()
    } else {
        path.display().to_string()
    }
}

/// Reads `files` (path, label) in parallel (a base app has thousands), in their order,
/// as (label, bytes); the first failure in that order is reported.
pub fn read_all<L: Send>(files: Vec<(PathBuf, L)>) -> Result<Vec<(L, Vec<u8>)>> {
    use rayon::prelude::*;
    let read: Vec<std::result::Result<(L, Vec<u8>), String>> = files
        .into_par_iter()
        .map(|(path, label)| {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok((label, bytes))
        })
        .collect();
    Ok(read.into_iter().collect::<std::result::Result<_, _>>()?)
}

/// The project files of `root` with extension `ext`, read, as ([`label`], bytes).
pub fn read_files(root: &Path, ext: &str) -> Result<Vec<SourceFile>> {
    read_labelled(root, files_with_extension(root, ext)?)
}

/// The AL files of the project at `root`, read, as ([`label`], bytes).
pub fn read_al_files(root: &Path) -> Result<Vec<SourceFile>> {
    read_labelled(root, al_files(root)?)
}

/// Every AL file below `dir`, nested projects included ([`al_files_below`]), read, as
/// ([`label`], bytes): the sources of a folder `refs` resolves (an umbrella app such as
/// BCApps' System Application keeps its modules in nested projects).
pub fn read_al_files_below(dir: &Path) -> Result<Vec<SourceFile>> {
    read_all(
        al_files_below(dir)?
            .into_iter()
            .map(|p| {
                let l = label(dir, &p);
                (p, l)
            })
            .collect(),
    )
}

fn read_labelled(root: &Path, files: Vec<FoundFile>) -> Result<Vec<SourceFile>> {
    read_all(
        files
            .into_iter()
            .map(|f| {
                let l = label(root, &f.path);
                (f.path, l)
            })
            .collect(),
    )
}

/// The app.json of the project folder `dir` (or the app.json file `dir`), decoded
/// (UTF-8 with or without BOM, UTF-16 with BOM) and parsed; errors name the file.
pub fn read_manifest(dir: &Path) -> Result<AppManifest> {
    let file = if dir.is_dir() {
        dir.join("app.json")
    } else {
        dir.to_path_buf()
    };
    let text = read_text(&file)?;
    Ok(AppManifest::from_json_str_named(
        &text,
        &file.display().to_string(),
    )?)
}

/// A text file (settings, rule sets, mappings, NavxManifest.xml …) read and decoded by the
/// one decoder ([`al_manifest::text::decode`]: UTF-8 with or without BOM, UTF-16 with
/// BOM), its BOM left out; errors name the file.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = al_manifest::text::decode(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text.text.into_owned())
}

/// Whether `path` has a component equal to `name` (case-sensitive), e.g. a project in a
/// BCApps `W1` folder. Goes by components, so `/` and `\` both separate on Windows.
pub fn has_component(path: &Path, name: &str) -> bool {
    path.components()
        .any(|c| matches!(c, Component::Normal(n) if n == std::ffi::OsStr::new(name)))
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Dependency symbols named by `--symbols`: project folders and `.app` packages.
pub struct Symbols {
    /// Projects found, one per app id, in path order.
    pub projects: Vec<(PathBuf, AppInfo)>,
    /// The symbols of every package found.
    pub packages: Vec<AppSymbols>,
    /// The package files read, in path order (each once).
    pub package_files: Vec<PathBuf>,
}

impl Symbols {
    /// Reads what `paths` name: project folders, folders searched for projects
    /// ([`find_projects`]) and for packages ([`packages`]), or `.app` files. A path that
    /// does not exist is an error; a project whose app.json does not load is left out with
    /// a warning saying why; a package without symbols is a warning. `info` turns a manifest into the app's info.
    /// When several projects share an app id (BCApps' country layers), the first inside
    /// a `W1` folder is kept, else the first by path.
    pub fn read(paths: &[PathBuf], info: impl Fn(&AppManifest) -> AppInfo) -> Result<Self> {
        let mut dirs = Vec::new();
        let mut package_files = Vec::new();
        for p in paths {
            if !p.exists() {
                return Err(format!("--symbols {}: no such file or folder", p.display()).into());
            }
            dirs.extend(find_projects(p)?);
            package_files.extend(packages(p)?);
        }
        dirs.sort();
        // Each package once, however it was reached (`--symbols DIR` and DIR/.alpackages).
        let mut seen_files = HashSet::new();
        package_files.retain(|p| seen_files.insert(std::fs::canonicalize(p).unwrap_or(p.clone())));
        let mut projects: Vec<(PathBuf, AppInfo)> = Vec::new();
        let mut by_id: HashMap<String, usize> = HashMap::new();
        for d in dirs {
            let m = match read_manifest(&d) {
                Ok(m) => m,
                Err(e) => {
                    errln!(
                        "alkit: warning: {e}; the project's symbols are missing (fix its app.json)"
                    );
                    continue;
                }
            };
            let i = info(&m);
            match by_id.get(&i.id) {
                None => {
                    by_id.insert(i.id.clone(), projects.len());
                    projects.push((d, i));
                }
                Some(&at) => {
                    if has_component(&d, "W1") && !has_component(&projects[at].0, "W1") {
                        projects[at] = (d, i);
                    }
                }
            }
        }
        let mut symbols = Vec::new();
        for p in &package_files {
            let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let pkg =
                runtime_pack::Package::read(&bytes).map_err(|e| format!("{}: {e}", p.display()))?;
            match pkg.app_package().symbol_reference() {
                Ok(Some(sref)) => symbols.push(runtime_pack::index::app_symbols(&sref)),
                Ok(None) => errln!(
                    "alkit: warning: {}: no SymbolReference.json; its symbols are missing",
                    p.display()
                ),
                Err(e) => errln!(
                    "alkit: warning: {}: {e}; its symbols are missing",
                    p.display()
                ),
            }
        }
        Ok(Symbols {
            projects,
            packages: symbols,
            package_files,
        })
    }

    /// [`Symbols::read`] over `paths` and the project's own `.alpackages` folder (where
    /// `alkit symbols fetch` and VS Code put dependency symbols) when it exists; then says
    /// on stderr which packages were used.
    pub fn read_for_project(
        project: &Path,
        paths: &[PathBuf],
        info: impl Fn(&AppManifest) -> AppInfo,
    ) -> Result<Self> {
        let mut all = paths.to_vec();
        let own = project_alpackages(project);
        if let Some(p) = &own {
            all.push(p.clone());
        }
        let found = Self::read(&all, info)?;
        if !found.package_files.is_empty() {
            let names: Vec<String> = found
                .package_files
                .iter()
                .map(|f| {
                    f.file_name().map_or_else(
                        || f.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    )
                })
                .collect();
            let from = match &own {
                Some(p) if paths.is_empty() => format!(" (from {})", p.display()),
                Some(p) => format!(" (from --symbols and {})", p.display()),
                None => " (from --symbols)".to_owned(),
            };
            errln!(
                "alkit: symbols: {} package(s){from}: {}",
                names.len(),
                names.join(", ")
            );
        }
        Ok(found)
    }
}

/// The `.alpackages` folder of the project at `project` (any case), if there is one.
pub fn project_alpackages(project: &Path) -> Option<PathBuf> {
    let dir = if project.is_file() {
        project.parent()?
    } else {
        project
    };
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .find(|e| {
            e.file_name()
                .to_string_lossy()
                .eq_ignore_ascii_case(".alpackages")
                && e.path().is_dir()
        })
        .map(|e| e.path())
}

impl Symbols {
    /// The projects `roots` depend on, transitively (the roots themselves excepted), in
    /// the order they are reached.
    pub fn dependencies_of(&self, roots: &[AppInfo]) -> Vec<(PathBuf, AppInfo)> {
        let by_id: HashMap<&str, &(PathBuf, AppInfo)> =
            self.projects.iter().map(|p| (p.1.id.as_str(), p)).collect();
        let mut seen: HashSet<String> = roots.iter().map(|r| r.id.clone()).collect();
        let mut queue: Vec<DependencyInfo> = roots
            .iter()
            .flat_map(|r| r.dependencies.iter().cloned())
            .collect();
        let mut out = Vec::new();
        while let Some(d) = queue.pop() {
            if !seen.insert(d.id.clone()) {
                continue;
            }
            if let Some(&(dir, info)) = by_id.get(d.id.as_str()) {
                queue.extend(info.dependencies.iter().cloned());
                out.push((dir.clone(), info.clone()));
            } else if d.id.eq_ignore_ascii_case(APPLICATION_ID) {
                // app.json's `application` names the "Application" umbrella app, which
                // BCApps builds over the Microsoft apps below (propagateDependencies):
                // without it, the Microsoft apps given stand in for it.
                queue.extend(
                    APPLICATION_PARTS
                        .iter()
                        .filter(|(id, _)| by_id.contains_key(id))
                        .map(|(id, name)| DependencyInfo {
                            id: (*id).to_string(),
                            name: (*name).to_string(),
                            publisher: "Microsoft".into(),
                        }),
                );
            }
        }
        out
    }

    /// When `roots` name the "Application" umbrella app (app.json's `application`) and it
    /// was not given, the Microsoft apps that stand in for it (names; empty when the
    /// umbrella was given or none of them was).
    pub fn application_stand_ins(&self, roots: &[AppInfo]) -> Vec<&'static str> {
        let given = |id: &str| {
            self.projects
                .iter()
                .any(|p| p.1.id.eq_ignore_ascii_case(id))
                || self
                    .packages
                    .iter()
                    .any(|p| p.info.id.eq_ignore_ascii_case(id))
        };
        let wants = roots
            .iter()
            .flat_map(|r| &r.dependencies)
            .any(|d| d.id.eq_ignore_ascii_case(APPLICATION_ID));
        if !wants || given(APPLICATION_ID) {
            return Vec::new();
        }
        APPLICATION_PARTS
            .iter()
            .filter(|(id, _)| given(id))
            .map(|(_, name)| *name)
            .collect()
    }
}

/// What a walk enters besides ordinary folders.
#[derive(Clone, Copy)]
struct Walk {
    /// Sub-folders holding their own app.json.
    nested_projects: bool,
    /// `.alpackages` folders.
    alpackages: bool,
}

/// The folders entered (the start included) and the files found, each file with its
/// relative path when every name on the way is valid Unicode; in walk order.
#[derive(Default)]
struct Walked {
    dirs: Vec<PathBuf>,
    files: Vec<(PathBuf, Option<String>)>,
}

/// Identity of a file or folder (device and inode on Unix, the canonical path elsewhere),
/// to read each once.
#[cfg(unix)]
type FileId = (u64, u64);
#[cfg(not(unix))]
type FileId = PathBuf;

#[cfg(unix)]
fn file_id(_: &Path, meta: &std::fs::Metadata) -> Result<FileId> {
    use std::os::unix::fs::MetadataExt;
    Ok((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(path: &Path, _: &std::fs::Metadata) -> Result<FileId> {
    std::fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// A folder to read: its path as reached and its relative path (see [`Walked`]).
type Pending = (PathBuf, Option<String>);

/// The one folder walk (see the module rules). Ordinary entries first, depth first in
/// name order; then what symbolic links lead to that the ordinary walk did not reach
/// (again and again, as links may lead to more links).
fn walk(root: &Path, rule: Walk) -> Result<Walked> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    let meta = std::fs::metadata(root).map_err(|e| io(root, e))?;
    let inside = std::fs::canonicalize(root).map_err(|e| io(root, e))?;
    let mut seen_dirs: HashSet<FileId> = HashSet::from([file_id(root, &meta)?]);
    let mut seen_files: HashSet<FileId> = HashSet::new();
    let mut out = Walked::default();
    out.dirs.push(root.to_path_buf());
    let mut stack: Vec<Pending> = vec![(root.to_path_buf(), Some(String::new()))];
    // Linked folders and files, read once the ordinary walk is done.
    let mut linked_dirs: Vec<Pending> = Vec::new();
    let mut linked_files: Vec<(PathBuf, Option<String>, FileId)> = Vec::new();
    loop {
        while let Some((dir, rel)) = stack.pop() {
            let mut entries = std::fs::read_dir(&dir)
                .and_then(|rd| rd.collect::<std::io::Result<Vec<_>>>())
                .map_err(|e| io(&dir, e))?;
            entries.sort_by_key(|e| e.file_name());
            let mut subdirs = Vec::new();
            for entry in entries {
                let name = entry.file_name();
                let path = entry.path();
                let child_rel = match (&rel, name.to_str()) {
                    (Some(r), Some(n)) if r.is_empty() => Some(n.to_owned()),
                    (Some(r), Some(n)) => Some(format!("{r}/{n}")),
                    _ => None,
                };
                let mut ty = entry.file_type().map_err(|e| io(&path, e))?;
                let link = ty.is_symlink();
                if link {
                    match std::fs::metadata(&path) {
                        Ok(m) => ty = m.file_type(),
                        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                            return Err(io(&path, e).into());
                        }
                        // A link to nothing (or a loop of links): nothing to read.
                        Err(_) => continue,
                    }
                    let target = std::fs::canonicalize(&path).map_err(|e| io(&path, e))?;
                    if !target.starts_with(&inside) {
                        return Err(format!(
                            "{}: a symbolic link to {}, outside {}: alkit follows links only \
                             inside the folder it reads (copy what it points to into {}, or \
                             remove the link)",
                            path.display(),
                            target.display(),
                            root.display(),
                            root.display()
                        )
                        .into());
                    }
                }
                if ty.is_file() {
                    let meta = std::fs::metadata(&path).map_err(|e| io(&path, e))?;
                    let id = file_id(&path, &meta)?;
                    if link {
                        linked_files.push((path, child_rel, id));
                    } else if seen_files.insert(id) {
                        out.files.push((path, child_rel));
                    }
                } else if ty.is_dir() {
                    let n = name.to_string_lossy();
                    let skipped = is_skipped_dir(&n)
                        && !(rule.alpackages && n.eq_ignore_ascii_case(".alpackages"));
                    if skipped || (!rule.nested_projects && path.join("app.json").is_file()) {
                        continue;
                    }
                    if link {
                        linked_dirs.push((path, child_rel));
                        continue;
                    }
                    let meta = std::fs::metadata(&path).map_err(|e| io(&path, e))?;
                    if seen_dirs.insert(file_id(&path, &meta)?) {
                        out.dirs.push(path.clone());
                        subdirs.push((path, child_rel));
                    }
                }
            }
            // Depth first, in name order.
            stack.extend(subdirs.into_iter().rev());
        }
        // The linked folders the walk has not read yet, in the order they were found.
        for (path, rel) in std::mem::take(&mut linked_dirs) {
            let meta = std::fs::metadata(&path).map_err(|e| io(&path, e))?;
            if seen_dirs.insert(file_id(&path, &meta)?) {
                out.dirs.push(path.clone());
                stack.push((path, rel));
            }
        }
        if stack.is_empty() {
            break;
        }
        stack.reverse();
    }
    // A linked file counts only when no other way reached its file.
    for (path, rel, id) in linked_files {
        if seen_files.insert(id) {
            out.files.push((path, rel));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for rel in files {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, rel.as_bytes()).unwrap();
        }
        dir
    }

    fn rels(files: &[FoundFile]) -> Vec<&str> {
        files.iter().map(|f| f.rel.as_str()).collect()
    }

    #[test]
    fn skipped_folders_and_nested_projects() {
        let t = tree(&[
            "app.json",
            "src/B.Table.al",
            "src/a/A.CODEUNIT.AL",
            "src/a-b/C.al",
            ".vscode/launch.json",
            ".objidconfig",
            "Output/Old.al",
            ".alpackages/Dep.al",
            ".git/x.al",
            "bin/Gen.al",
            "node_modules/m/x.al",
            "test/app.json",
            "test/src/T.al",
        ]);
        let files = project_files(t.path()).unwrap();
        assert_eq!(
            rels(&files),
            [
                ".objidconfig",
                ".vscode/launch.json",
                "app.json",
                "src/B.Table.al",
                "src/a-b/C.al",
                "src/a/A.CODEUNIT.AL",
            ]
        );
        assert_eq!(files[0].path, t.path().join(".objidconfig"));
        assert_eq!(
            rels(&al_files(t.path()).unwrap()),
            ["src/B.Table.al", "src/a-b/C.al", "src/a/A.CODEUNIT.AL"]
        );
        // Folders rather than projects: the nested project too, skipped folders not.
        let below = al_files_below(t.path()).unwrap();
        assert_eq!(below.len(), 4);
        assert!(below.contains(&t.path().join("test/src/T.al")));
        // The folder a walk starts at is read whatever its name.
        let out = project_files(&t.path().join("Output")).unwrap();
        assert_eq!(rels(&out), ["Old.al"]);
        assert_eq!(
            find_projects(t.path()).unwrap(),
            [t.path().to_path_buf(), t.path().join("test")]
        );
    }

    #[test]
    fn packages_are_found_in_alpackages_only_among_skipped_folders() {
        let t = tree(&[
            ".alpackages/Microsoft_Base.app",
            "deps/Other.APP",
            "output/Me_1.0.0.0.app",
            "notes.txt",
        ]);
        let found = packages(t.path()).unwrap();
        assert_eq!(
            found,
            [
                t.path().join(".alpackages/Microsoft_Base.app"),
                t.path().join("deps/Other.APP")
            ]
        );
        let one = t.path().join("output/Me_1.0.0.0.app");
        assert_eq!(packages(&one).unwrap(), [one]);
        assert!(packages(&t.path().join("notes.txt")).unwrap().is_empty());
        assert!(packages(&t.path().join("absent")).unwrap().is_empty());
    }

    #[test]
    fn labels_leave_out_a_leading_dot() {
        assert_eq!(
            label(Path::new("."), &Path::new(".").join("src").join("a.al")),
            Path::new("src").join("a.al").display().to_string()
        );
        assert_eq!(
            label(Path::new("p"), &Path::new("p").join("a.al")),
            Path::new("p").join("a.al").display().to_string()
        );
    }

    #[test]
    fn components_not_substrings() {
        let native: PathBuf = ["BCApps", "Apps", "W1", "Shopify", "app"].iter().collect();
        assert!(has_component(&native, "W1"));
        assert!(has_component(Path::new("Apps/W1"), "W1"));
        assert!(has_component(Path::new("W1/app"), "W1"));
        assert!(!has_component(Path::new("Apps/W10/app"), "W1"));
        assert!(!has_component(Path::new("Apps/w1/app"), "W1"));
        assert!(!has_component(Path::new("Apps/DE/app"), "W1"));
    }

    #[cfg(windows)]
    #[test]
    fn components_with_backslashes() {
        assert!(has_component(Path::new(r"C:\BCApps\Apps\W1\Shopify"), "W1"));
        assert!(has_component(Path::new(r"C:\BCApps/Apps\W1/Shopify"), "W1"));
        assert!(!has_component(
            Path::new(r"C:\BCApps\Apps\DE\Shopify"),
            "W1"
        ));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_inside_are_followed_once_and_loops_end() {
        use std::os::unix::fs::symlink;
        let t = tree(&["app.json", "src/A.al", "output/Gen.al", "lib/L.al"]);
        // A loop back to the project, a loop to the folder itself, a second way to a
        // file and to a folder (named before the real one), a link into a skipped folder
        // (the only way to that file), a link to nothing.
        symlink(t.path(), t.path().join("src/up")).unwrap();
        symlink(".", t.path().join("src/self")).unwrap();
        symlink(t.path().join("src/A.al"), t.path().join("Linked.al")).unwrap();
        symlink("lib", t.path().join("a-lib")).unwrap();
        symlink("output/Gen.al", t.path().join("Gen.al")).unwrap();
        symlink(t.path().join("nothing"), t.path().join("Dangling.al")).unwrap();
        assert_eq!(
            rels(&al_files(t.path()).unwrap()),
            ["Gen.al", "lib/L.al", "src/A.al"]
        );
        assert_eq!(al_files_below(t.path()).unwrap().len(), 3);
        assert_eq!(find_projects(t.path()).unwrap(), [t.path().to_path_buf()]);
        // Two folders linking to each other.
        let r = tree(&["a/X.al", "b/Y.al"]);
        symlink("../b", r.path().join("a/b")).unwrap();
        symlink("../a", r.path().join("b/a")).unwrap();
        assert_eq!(
            rels(&project_files(r.path()).unwrap()),
            ["a/X.al", "b/Y.al"]
        );
        // Reading a folder through a link: inside is inside the folder linked to.
        let via = tempfile::tempdir().unwrap();
        symlink(r.path(), via.path().join("r")).unwrap();
        assert_eq!(project_files(&via.path().join("r")).unwrap().len(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_that_leave_the_folder_are_errors() {
        use std::os::unix::fs::symlink;
        let shared = tree(&["Shared.Codeunit.al"]);
        let t = tree(&["app.json", "src/A.al"]);
        symlink(shared.path(), t.path().join("shared")).unwrap();
        let err = al_files(t.path()).unwrap_err().to_string();
        assert!(err.contains("shared: a symbolic link to"), "{err}");
        assert!(err.contains("outside"), "{err}");
        std::fs::remove_file(t.path().join("shared")).unwrap();
        symlink(
            shared.path().join("Shared.Codeunit.al"),
            t.path().join("src/S.al"),
        )
        .unwrap();
        assert!(al_files_below(t.path()).is_err());
        assert!(packages(t.path()).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_unicode_are_errors() {
        use std::os::unix::ffi::OsStrExt;
        let t = tree(&["app.json"]);
        let name = std::ffi::OsStr::from_bytes(b"Bad\xff.al");
        if std::fs::write(t.path().join(name), "").is_err() {
            return; // the file system refuses such names
        }
        let err = al_files(t.path()).unwrap_err().to_string();
        assert!(err.contains("not valid Unicode"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_folder_is_an_error() {
        use std::os::unix::fs::PermissionsExt;
        let t = tree(&["app.json", "locked/A.al"]);
        let locked = t.path().join("locked");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let readable = std::fs::read_dir(&locked).is_ok(); // root reads anything
        let r = al_files(t.path());
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        if !readable {
            let err = r.unwrap_err().to_string();
            assert!(err.contains("locked"), "{err}");
        }
    }
}
